//! Volumes: named storage that outlives containers. `docker volume create NAME` (or `-v NAME:/path` on
//! `run`, which creates it on first use) makes one; `-v /path` makes an anonymous one named by 64 hex digits.
//! The rule a learner meets: a volume a container mounts cannot be removed, even with `-f`, until that
//! container is removed (stopped is not enough) — the daemon names the containers that hold it.
//!
//! Words and rules from moby 28 `volume/service` and `volume/local` (name pattern, "no such volume",
//! "volume is in use"), checked on the oracle; the CLI sorts `volume ls` by name.

use super::Outcome;
use crate::event::{DockerError, Event, Note, VolumeListing, VolumeRow};
use crate::model::objects::Volume;
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
    }
    names
}

/// One `-v` value of `run`/`create`, read before the container exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSpec {
    /// `-v NAME:/path[:ro]`.
    Named { name: String, target: String },
    /// `-v /path`.
    Anonymous { target: String },
    /// `-v /host/path:/path` or `./dir:/path`: a folder of the host, not simulated.
    Bind { source: String },
}

/// Reads `-v` values (`src:dst[:mode]`); an invalid volume name is the daemon's error.
pub fn parse_mounts(values: &[String]) -> Result<Vec<MountSpec>, DockerError> {
    let mut specs = Vec::new();
    for v in values {
        let parts: Vec<&str> = v.split(':').collect();
        let spec = match parts.as_slice() {
            [target] => MountSpec::Anonymous {
                target: target.to_string(),
            },
            [source, target, ..] if source.starts_with('/') || source.starts_with('.') => {
                let _ = target;
                MountSpec::Bind {
                    source: source.to_string(),
                }
            }
            [source, target, ..] => {
                check_name(source)?;
                MountSpec::Named {
                    name: source.to_string(),
                    target: target.to_string(),
                }
            }
            [] => continue,
        };
        specs.push(spec);
    }
    Ok(specs)
}

/// Mounts the volumes of container `id` (created on first use) and remembers who holds them.
pub fn mount(world: &mut World, host: &str, id: &str, specs: &[MountSpec], out: &mut Outcome) {
    for spec in specs {
        let (name, target) = match spec {
            MountSpec::Named { name, target } => (name.clone(), target.clone()),
            MountSpec::Anonymous { target } => (anonymous_name(world, host), target.clone()),
            MountSpec::Bind { source } => {
                out.note(Note::BindMountNotSimulated {
                    source: source.clone(),
                });
                continue;
            }
        };
        ensure(
            world,
            host,
            &name,
            matches!(spec, MountSpec::Anonymous { .. }),
        );
        let m = world.machine(host);
        m.volume_users
            .entry(name.clone())
            .or_default()
            .insert(id.to_string());
        m.container_fs
            .entry(id.to_string())
            .or_default()
            .mounts
            .push((name, target));
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
                target: "/data".into()
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
                source: "./here".into()
            }]
        );
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
        mount(&mut w, "m", "c1", &specs, &mut out);
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
}
