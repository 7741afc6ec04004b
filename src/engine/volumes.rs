//! Volumes: named storage that outlives containers. `docker volume create NAME` (or `-v NAME:/path` on
//! `run`, which creates it on first use) makes one; `-v /path` makes an anonymous one named by 64 hex digits.
//! The rule a learner meets: a volume a container mounts cannot be removed, even with `-f`, until that
//! container is removed (stopped is not enough) — the daemon names the containers that hold it.
//!
//! Words and rules from moby 28 `volume/service` and `volume/local` (name pattern, "no such volume",
//! "volume is in use"), checked on the oracle; the CLI sorts `volume ls` by name.

use super::Outcome;
use super::changes::clean;
use crate::event::{DockerError, Event, VolumeListing, VolumeRow};
use crate::model::objects::{MountPoint, MountSource, Volume};
use crate::model::world::World;

/// The local driver's name rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, and at least two characters.
fn check_name(name: &str) -> Result<(), DockerError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !first_ok || !rest_ok {
        return Err(DockerError::InvalidVolumeName {
            name: name.to_string(),
        });
    }
    if name.len() < 2 {
        return Err(DockerError::VolumeNameTooShort {
            name: name.to_string(),
        });
    }
    Ok(())
}

/// Makes volume `name` on `host` unless it exists (creating an existing volume is not an error).
fn ensure(world: &mut World, host: &str, name: &str, anonymous: bool) {
    let now = world.now;
    world
        .machine(host)
        .volumes
        .entry(name.to_string())
        .or_insert_with(|| Volume {
            name: name.to_string(),
            created: now,
            anonymous,
        });
}

/// A new anonymous volume's name: 64 hex digits from the machine's seeded generator.
fn anonymous_name(world: &mut World, host: &str) -> String {
    world.new_container_id(host)
}

/// `docker volume create [NAME]`.
pub fn create(world: &mut World, host: &str, name: Option<&str>, out: &mut Outcome) {
    let name = match name {
        Some(n) => {
            if let Err(e) = check_name(n) {
                return out.error(e, 1);
            }
            n.to_string()
        }
        None => anonymous_name(world, host),
    };
    ensure(world, host, &name, false);
    out.push(Event::Named(name));
}

fn row(world: &World, host: &str, v: &Volume) -> VolumeRow {
    VolumeRow {
        name: v.name.clone(),
        created: v.created,
        anonymous: v.anonymous,
        links: world.machines[host]
            .volume_users
            .get(&v.name)
            .map_or(0, |u| u.len()),
    }
}

/// Every volume of `host`, in name order.
pub fn rows(world: &World, host: &str) -> Vec<VolumeRow> {
    world.machines[host]
        .volumes
        .values()
        .map(|v| row(world, host, v))
        .collect()
}

/// `docker volume ls`.
pub fn ls(
    world: &World,
    host: &str,
    quiet: bool,
    filters: &[String],
    format: Option<&str>,
    path: &str,
    out: &mut Outcome,
) {
    let Some(filters) = super::parse_filters(filters, &["dangling", "name", "driver"], path, out)
    else {
        return;
    };
    let rows = rows(world, host)
        .into_iter()
        .filter(|r| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "dangling" => (r.links == 0) == matches!(v.as_str(), "true" | "1"),
                "name" => r.name.contains(v.as_str()),
                _ => v == "local",
            })
        })
        .collect();
    out.push(Event::Volumes(VolumeListing {
        rows,
        quiet,
        format: format.map(str::to_string),
    }));
}

/// `docker volume inspect NAME...`.
pub fn inspect(
    world: &World,
    host: &str,
    names: &[String],
    format: Option<&str>,
    out: &mut Outcome,
) {
    let m = &world.machines[host];
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for n in names {
        match m.volumes.get(n) {
            Some(v) => found.push(row(world, host, v)),
            None => missing.push(DockerError::NoSuchVolume { name: n.clone() }),
        }
    }
    out.push(Event::VolumeInspect {
        volumes: found,
        format: format.map(str::to_string),
    });
    for e in missing {
        out.error(e, 1);
    }
}

/// `docker volume rm [-f] NAME...`: `-f` only forgives a missing name, never one in use.
pub fn rm(world: &mut World, host: &str, force: bool, names: &[String], out: &mut Outcome) {
    for n in names {
        let m = world.machine(host);
        if !m.volumes.contains_key(n) {
            if !force {
                out.error(DockerError::NoSuchVolume { name: n.clone() }, 1);
            }
            continue;
        }
        let users: Vec<String> = m
            .volume_users
            .get(n)
            .map(|u| u.iter().cloned().collect())
            .unwrap_or_default();
        if !users.is_empty() {
            out.error(
                DockerError::VolumeInUse {
                    name: n.clone(),
                    containers: users,
                },
                1,
            );
            continue;
        }
        m.volumes.remove(n);
        m.volume_users.remove(n);
        m.volume_files.remove(n);
        out.push(Event::Named(n.clone()));
    }
}

/// Removes the volumes no container mounts (anonymous ones only, unless `all`): their names.
pub fn prune(world: &mut World, host: &str, all: bool) -> Vec<String> {
    let names: Vec<String> = rows(world, host)
        .into_iter()
        .filter(|r| (all || r.anonymous) && r.links == 0)
        .map(|r| r.name)
        .collect();
    let m = world.machine(host);
    for n in &names {
        m.volumes.remove(n);
        m.volume_users.remove(n);
        m.volume_files.remove(n);
    }
    names
}

/// One `-v` or `--mount` value of `run`/`create`, read before the container exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSpec {
    /// `-v NAME:/path[:MODE]`, `--mount source=NAME,target=/path`.
    Named {
        name: String,
        target: String,
        read_only: bool,
        mode: String,
    },
    /// `-v /path`, `--mount target=/path`, or an image's `VOLUME /path`.
    Anonymous { target: String },
    /// `--mount type=tmpfs,target=/path`: an empty folder in memory.
    Tmpfs { target: String },
    /// `-v /host/path:/path[:ro]`, `-v ./dir:/path`, `--mount type=bind,...`: a folder of the host, by its
    /// absolute path (the client makes `./dir` absolute from its working folder).
    Bind {
        source: String,
        target: String,
        read_only: bool,
        mode: String,
        /// `--mount` refuses a missing source; `-v` makes the folder.
        must_exist: bool,
    },
}

/// Why a `--mount` value makes no mount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountProblem {
    /// No `target=`: the CLI's flag error (the value as typed).
    NoTarget { value: String },
    /// The daemon's refusal (an unknown type, a bind without a source).
    Refused(DockerError),
    /// A key dockdrill does not read (`volume-opt=`, `tmpfs-size=` …): the value as typed.
    Unread { value: String },
}

/// The modes `-v` takes on Linux (moby `volume/mounts/linux_parser.go`), comma-separated.
const MODES: &[&str] = &[
    "ro",
    "rw",
    "z",
    "Z",
    "nocopy",
    "shared",
    "rshared",
    "slave",
    "rslave",
    "private",
    "rprivate",
    "consistent",
    "cached",
    "delegated",
];

/// `./dir` (or `../dir`) as the client makes it absolute: from the working folder.
fn absolute(source: &str) -> String {
    if source.starts_with('/') {
        return clean(source);
    }
    clean(&format!("{}/{source}", crate::vfs::WORKDIR))
}

/// Does a mode (`ro`, `rw`, `ro,z`) make the mount read-only?
fn read_only(mode: &str) -> bool {
    mode.split(',').any(|m| m == "ro")
}

/// Reads `-v` values (`src:dst[:mode]`); an invalid volume name is the daemon's error.
pub fn parse_mounts(values: &[String]) -> Result<Vec<MountSpec>, DockerError> {
    let mut specs = Vec::new();
    for v in values {
        let parts: Vec<&str> = v.split(':').collect();
        let mode = parts.get(2).copied().unwrap_or("").to_string();
        if !mode.is_empty() && !mode.split(',').all(|m| MODES.contains(&m)) {
            return Err(DockerError::InvalidMountMode { mode });
        }
        let spec = match parts.as_slice() {
            [target] => MountSpec::Anonymous {
                target: target.to_string(),
            },
            [source, target, ..] if source.starts_with('/') || source.starts_with('.') => {
                MountSpec::Bind {
                    source: absolute(source),
                    target: clean(target),
                    read_only: read_only(&mode),
                    mode,
                    must_exist: false,
                }
            }
            [source, target, ..] => {
                check_name(source)?;
                MountSpec::Named {
                    name: source.to_string(),
                    target: clean(target),
                    read_only: read_only(&mode),
                    // The daemon records `z` for a named volume given no mode (oracle).
                    mode: if mode.is_empty() { "z".into() } else { mode },
                }
            }
            [] => continue,
        };
        specs.push(spec);
    }
    Ok(specs)
}

/// Reads `--mount` values (`type=bind,source=./site,target=/data,readonly`), as docker/cli `opts/mount.go`
/// does: `src`/`source`, `dst`/`destination`/`target`, `ro`/`readonly` (bare or `=true|1|false|0`).
pub fn parse_mount_flags(values: &[String]) -> Result<Vec<MountSpec>, MountProblem> {
    let mut specs = Vec::new();
    for v in values {
        let unread = || MountProblem::Unread { value: v.clone() };
        let (mut kind, mut source, mut target, mut ro) = ("volume", None, None, false);
        for field in v.split(',') {
            let (key, value) = match field.split_once('=') {
                Some((k, val)) => (k.trim().to_lowercase(), Some(val)),
                None => (field.trim().to_lowercase(), None),
            };
            match (key.as_str(), value) {
                ("type", Some(t)) => kind = t,
                ("source" | "src", Some(s)) => source = Some(s),
                ("target" | "destination" | "dst", Some(t)) => target = Some(t),
                ("readonly" | "ro", None) => ro = true,
                ("readonly" | "ro", Some(b)) => match b {
                    "1" | "true" => ro = true,
                    "0" | "false" => ro = false,
                    _ => return Err(unread()),
                },
                ("bind-propagation" | "volume-nocopy" | "consistency", _) => {}
                _ => return Err(unread()),
            }
        }
        let Some(target) = target.map(clean) else {
            return Err(MountProblem::NoTarget { value: v.clone() });
        };
        let spec = match (kind, source) {
            ("bind", Some(s)) => MountSpec::Bind {
                source: absolute(s),
                target,
                read_only: ro,
                mode: String::new(),
                must_exist: true,
            },
            ("volume", Some(name)) => MountSpec::Named {
                name: name.to_string(),
                target,
                read_only: ro,
                mode: "z".into(),
            },
            ("volume", None) => MountSpec::Anonymous { target },
            ("tmpfs", _) => MountSpec::Tmpfs { target },
            ("bind", None) => return Err(MountProblem::Refused(DockerError::BindSourceEmpty)),
            ("npipe" | "cluster" | "image", _) => return Err(unread()),
            (other, _) => {
                return Err(MountProblem::Refused(DockerError::UnknownMountType {
                    kind: other.to_string(),
                }));
            }
        };
        specs.push(spec);
    }
    Ok(specs)
}

/// Why a bind mount cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindProblem {
    /// `--mount type=bind` of a path that does not exist (the daemon's refusal).
    Missing(DockerError),
    /// A host path outside the working folder: the simulation has no files there.
    OutsideWorkingFolder { source: String },
}

/// Checks the bind sources before the container is made: each must lie in the working folder, and exist
/// when `--mount` named it.
pub fn check_binds(world: &World, host: &str, specs: &[MountSpec]) -> Result<(), BindProblem> {
    let files = &world.machines[host].files;
    for spec in specs {
        let MountSpec::Bind {
            source, must_exist, ..
        } = spec
        else {
            continue;
        };
        let Some(key) = crate::vfs::normalize(source) else {
            return Err(BindProblem::OutsideWorkingFolder {
                source: source.clone(),
            });
        };
        let exists = files.contains_key(key.as_str())
            || crate::vfs::is_folder(files, &key)
            || world.machines[host].host_folders.contains(&key);
        if *must_exist && !exists {
            return Err(BindProblem::Missing(DockerError::BindSourceMissing {
                path: source.clone(),
            }));
        }
    }
    Ok(())
}

/// Mounts the volumes and host folders of container `id` (volumes are created on first use, a missing
/// bind source folder is made on the host) and remembers who holds each volume.
pub fn mount(world: &mut World, host: &str, id: &str, specs: &[MountSpec]) {
    let mut points = Vec::new();
    for spec in specs {
        let point = match spec {
            MountSpec::Named {
                name,
                target,
                read_only,
                mode,
            } => MountPoint {
                source: MountSource::Volume {
                    name: name.clone(),
                    anonymous: false,
                },
                target: target.clone(),
                read_only: *read_only,
                mode: mode.clone(),
            },
            MountSpec::Anonymous { target } => MountPoint {
                source: MountSource::Volume {
                    name: anonymous_name(world, host),
                    anonymous: true,
                },
                target: target.clone(),
                read_only: false,
                mode: String::new(),
            },
            MountSpec::Tmpfs { target } => MountPoint {
                source: MountSource::Tmpfs,
                target: target.clone(),
                read_only: false,
                mode: String::new(),
            },
            MountSpec::Bind {
                source,
                target,
                read_only,
                mode,
                ..
            } => {
                if let Some(key) = crate::vfs::normalize(source) {
                    let m = world.machine(host);
                    if !m.files.contains_key(key.as_str()) && !crate::vfs::is_folder(&m.files, &key)
                    {
                        m.host_folders.insert(key);
                    }
                }
                MountPoint {
                    source: MountSource::Bind {
                        path: source.clone(),
                    },
                    target: target.clone(),
                    read_only: *read_only,
                    mode: mode.clone(),
                }
            }
        };
        // A later mount on the same path replaces an earlier one (an image `VOLUME` under `-v`).
        points.retain(|p: &MountPoint| p.target != point.target);
        points.push(point);
    }
    for p in &points {
        let MountSource::Volume { name, anonymous } = &p.source else {
            continue;
        };
        ensure(world, host, name, *anonymous);
        let m = world.machine(host);
        m.volume_users
            .entry(name.clone())
            .or_default()
            .insert(id.to_string());
        m.container_fs
            .entry(id.to_string())
            .or_default()
            .mounts
            .push((name.clone(), p.target.clone()));
    }
    if points.is_empty() {
        return;
    }
    super::changes::make_mount_points(world, host, id, &points);
    if let Some(c) = world.machine(host).containers.get_mut(id) {
        c.rare.get_mut().mounts = points;
    }
}

/// Removes container `id` and those of its anonymous volumes no other container mounts, as `rm -v` and
/// `--rm` do (named volumes stay).
pub fn remove_with_anonymous(world: &mut World, host: &str, id: &str) {
    let m = world.machine(host);
    let Some(c) = m.remove_container(id) else {
        return;
    };
    for p in c.mounts() {
        let MountSource::Volume {
            name,
            anonymous: true,
        } = &p.source
        else {
            continue;
        };
        if m.volume_users.get(name).is_none_or(|u| u.is_empty()) {
            m.volumes.remove(name);
            m.volume_users.remove(name);
            m.volume_files.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_local_driver() {
        assert!(check_name("myvol").is_ok());
        assert!(check_name("a.b_c-d").is_ok());
        assert_eq!(
            check_name("a"),
            Err(DockerError::VolumeNameTooShort { name: "a".into() })
        );
        assert!(matches!(
            check_name("bad name"),
            Err(DockerError::InvalidVolumeName { .. })
        ));
        assert!(matches!(
            check_name("-x"),
            Err(DockerError::InvalidVolumeName { .. })
        ));
    }

    #[test]
    fn mount_specs() {
        let v = |s: &str| parse_mounts(&[s.to_string()]);
        assert_eq!(
            v("data:/data").unwrap(),
            vec![MountSpec::Named {
                name: "data".into(),
                target: "/data".into(),
                read_only: false,
                mode: "z".into(),
            }]
        );
        assert_eq!(
            v("/data").unwrap(),
            vec![MountSpec::Anonymous {
                target: "/data".into()
            }]
        );
        assert_eq!(
            v("./here:/x:ro").unwrap(),
            vec![MountSpec::Bind {
                source: "/home/learner/here".into(),
                target: "/x".into(),
                read_only: true,
                mode: "ro".into(),
                must_exist: false,
            }]
        );
        // `--mount` keeps no mode and needs the source to exist; `readonly` is bare or a boolean.
        assert_eq!(
            parse_mount_flags(&["type=bind,src=/home/learner/site,dst=/d,readonly=false".into()])
                .unwrap(),
            vec![MountSpec::Bind {
                source: "/home/learner/site".into(),
                target: "/d".into(),
                read_only: false,
                mode: String::new(),
                must_exist: true,
            }]
        );
        assert_eq!(
            parse_mount_flags(&["target=/cache".into()]).unwrap(),
            vec![MountSpec::Anonymous {
                target: "/cache".into()
            }]
        );
        assert_eq!(
            parse_mount_flags(&["type=tmpfs,target=/t".into()]),
            Ok(vec![MountSpec::Tmpfs {
                target: "/t".into()
            }])
        );
        assert_eq!(
            parse_mount_flags(&["type=foo,target=/t".into()]),
            Err(MountProblem::Refused(DockerError::UnknownMountType {
                kind: "foo".into()
            }))
        );
        assert_eq!(
            parse_mount_flags(&["type=bind,target=/t".into()]),
            Err(MountProblem::Refused(DockerError::BindSourceEmpty))
        );
        assert_eq!(
            parse_mount_flags(&["type=bind,source=./x".into()]),
            Err(MountProblem::NoTarget {
                value: "type=bind,source=./x".into()
            })
        );
        assert_eq!(
            v("./site:/data:bad"),
            Err(DockerError::InvalidMountMode { mode: "bad".into() })
        );
        assert!(v("./site:/data:ro,z").is_ok());
    }

    fn world() -> World {
        let mut w = World::default();
        w.machine("m");
        w
    }

    #[test]
    fn a_mounted_volume_cannot_be_removed_even_with_force() {
        let mut w = world();
        let mut out = Outcome::default();
        create(&mut w, "m", Some("data"), &mut out);
        let specs = parse_mounts(&["data:/data".to_string()]).unwrap();
        mount(&mut w, "m", "c1", &specs);
        let mut out = Outcome::default();
        rm(&mut w, "m", true, &["data".to_string()], &mut out);
        assert_eq!(
            out.refusal(),
            Some(&DockerError::VolumeInUse {
                name: "data".into(),
                containers: vec!["c1".into()]
            })
        );
        assert!(w.machines["m"].volumes.contains_key("data"));
        w.machine("m").volume_users.clear();
        let mut out = Outcome::default();
        rm(&mut w, "m", false, &["data".to_string()], &mut out);
        assert_eq!(out.events, vec![Event::Named("data".into())]);
        let mut out = Outcome::default();
        rm(&mut w, "m", false, &["data".to_string()], &mut out);
        assert_eq!(
            out.refusal(),
            Some(&DockerError::NoSuchVolume {
                name: "data".into()
            })
        );
    }

    use crate::engine::run_test_line as line;

    fn names(w: &World) -> Vec<(String, bool)> {
        w.machines["default"]
            .volumes
            .values()
            .map(|v| (v.name.clone(), v.anonymous))
            .collect()
    }

    /// `--rm` and `rm -v` take a container's anonymous volumes with it, never a named one; a plain `rm`
    /// leaves the anonymous one dangling.
    #[test]
    fn anonymous_volumes_go_with_rm_v_and_rm_flag() {
        let mut w = World::new();
        line(&mut w, "docker pull -q busybox");
        line(&mut w, "docker run --rm -v /a -v keep:/k busybox true");
        assert_eq!(names(&w), vec![("keep".to_string(), false)]);
        line(&mut w, "docker run -d --name c1 -v /b busybox true");
        line(&mut w, "docker rm -v c1");
        assert_eq!(names(&w).len(), 1);
        line(&mut w, "docker run -d --name c2 -v /c busybox true");
        line(&mut w, "docker rm c2");
        let left = names(&w);
        assert_eq!(left.len(), 2);
        assert!(left.iter().any(|(n, anon)| *anon && n.len() == 64));
    }

    /// An image's `VOLUME` gives each container an anonymous volume there, unless `-v` names that path.
    #[test]
    fn image_volumes_are_anonymous_unless_named() {
        let mut w = World::new();
        line(&mut w, "docker pull -q busybox");
        w.machine("default").files.insert(
            "Dockerfile".into(),
            crate::model::image::FileBytes::from(b"FROM busybox\nVOLUME /data\n".to_vec()),
        );
        assert_eq!(line(&mut w, "docker build -q -t v .").exit_code, 0);
        line(&mut w, "docker create --name aa v");
        line(&mut w, "docker create --name bb -v mine:/data v");
        let anon: Vec<_> = names(&w).into_iter().filter(|(_, a)| *a).collect();
        assert_eq!(anon.len(), 1);
        assert!(w.machines["default"].volumes.contains_key("mine"));
    }

    /// A volume keeps what a container wrote into it (its main process or an exec) for the next container
    /// that mounts it; `:ro` refuses writes; `volume rm` throws the content away.
    #[test]
    fn a_volume_outlives_its_containers() {
        let mut w = World::new();
        line(&mut w, "docker pull -q busybox");
        line(
            &mut w,
            "docker run --rm -v data:/data busybox sh -c \"echo saved > /data/f.txt\"",
        );
        let held = |w: &World| {
            w.machines["default"]
                .volume_files
                .get("data")
                .and_then(|f| f.get("f.txt"))
                .map(|b| b.to_vec())
        };
        assert_eq!(held(&w), Some(b"saved\n".to_vec()));
        let out = line(&mut w, "docker run --rm -v data:/d:ro busybox touch /d/x");
        assert_eq!(out.exit_code, 1);
        line(&mut w, "docker volume rm data");
        assert_eq!(held(&w), None);
    }
}
