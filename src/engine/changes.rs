//! What a container changed over its image, and copies in and out of it: `docker diff` and `docker cp`.
//!
//! A container's file system is its image's, read-only, plus a layer of its own where every write lands
//! (`ContainerFs` on the machine). `docker diff` lists that layer: `A` for a path the container added, `C`
//! for one of the image's that it changed (a folder changes when something inside it is added or removed),
//! `D` for one of the image's it deleted. Writes come from `docker cp` into the container and from `exec`
//! of `touch`, `mkdir`, `rm` or a shell redirection (`sh -c "echo hi > /f"`). The layer is the
//! container's: `commit` is the way to turn it into an image, and `rm` throws it away.
//!
//! Words from docker/cli `container/cp.go` v28.2.2 and the daemon's archive routes, checked on the oracle:
//! `must specify at least one container source`, `copying between containers is not supported`,
//! `Could not find the file /x in container web`, `lstat /home/learner/x: no such file or directory`,
//! `no such directory`, `invalid output path: directory "…" does not exist`. The daemon's order of `diff`
//! lines follows its walk of the layer; dockdrill sorts them by path.

use super::{Input, Outcome};
use crate::event::{DockerError, Event, Note};
use crate::model::image::{FileBytes, Files, Image};
use crate::model::objects::{Change, ContainerFs, MountPoint, MountSource};
use crate::model::persistent::{Retain, RetainMap};
use crate::model::tarball::{self, Entry};
use crate::model::world::World;
use crate::vfs::{self, Found, WORKDIR};
use std::sync::Arc;

/// Folders every Linux base image has (an image without programs, `FROM scratch`, has none of them).
const BASE_FOLDERS: &[&str] = &[
    "/bin",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/sbin",
    "/var",
    "/var/log",
    "/var/tmp",
];

/// Files every Linux base image has besides its programs.
const BASE_FILES: &[&str] = &["/etc/group", "/etc/hostname", "/etc/hosts", "/etc/passwd"];

/// The largest total a container's own layer may hold in the model (as the working folder's cap).
const MAX_LAYER_BYTES: usize = crate::limits::MAX_MACHINE_BYTES;

/// `/a/./b/../c` → `/a/c`; a relative path is taken from the root, as `docker cp` takes it.
pub(super) fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn parent(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((p, _)) => p,
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The ancestors of an absolute path, outermost first, without `/` itself.
fn ancestors(path: &str) -> Vec<&str> {
    let mut v: Vec<&str> = path
        .match_indices('/')
        .skip(1)
        .map(|(i, _)| &path[..i])
        .collect();
    v.retain(|p| !p.is_empty());
    v
}

/// What the image itself holds at a path.
fn image_file(image: &Image, path: &str) -> bool {
    if image.files.contains_key(path) {
        return true;
    }
    if image.programs.is_empty() {
        return false;
    }
    BASE_FILES.contains(&path)
        || path
            .strip_prefix("/bin/")
            .is_some_and(|p| image.programs.contains(p))
}

fn image_folder(image: &Image, path: &str) -> bool {
    if path == "/" {
        return true;
    }
    if !image.programs.is_empty() && BASE_FOLDERS.contains(&path) {
        return true;
    }
    crate::vfs::under(&image.files, &format!("{path}/"))
        .next()
        .is_some()
}

/// The container's view: its image with its own layer over it.
struct View<'a> {
    image: &'a Image,
    fs: Option<&'a ContainerFs>,
    hostname: &'a str,
}

impl View<'_> {
    fn deleted(&self, path: &str) -> bool {
        self.fs.is_some_and(|fs| {
            std::iter::once(path)
                .chain(ancestors(path))
                .any(|p| fs.changes.get(p) == Some(&Change::Deleted))
        })
    }

    fn file(&self, path: &str) -> Option<FileBytes> {
        if let Some(b) = self.fs.and_then(|fs| fs.files.get(path)) {
            return Some(b.clone());
        }
        if self.deleted(path) || !image_file(self.image, path) {
            return None;
        }
        if path == "/etc/hostname" {
            return Some(FileBytes::from(format!("{}\n", self.hostname).into_bytes()));
        }
        Some(
            self.image
                .files
                .get(path)
                .cloned()
                .unwrap_or_else(|| FileBytes::from(Vec::new())),
        )
    }

    fn folder(&self, path: &str) -> bool {
        if let Some(fs) = self.fs {
            if fs.folders.contains(path) {
                return true;
            }
            if crate::vfs::under(&fs.files, &format!("{path}/"))
                .next()
                .is_some()
            {
                return true;
            }
        }
        !self.deleted(path) && image_folder(self.image, path)
    }

    /// Every file at or under `path` (absolute paths), merged.
    fn files_under(&self, path: &str) -> Files {
        let mut out = Files::new();
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        let image_keys = crate::vfs::under(&self.image.files, &prefix);
        let own_keys = self
            .fs
            .map(|fs| crate::vfs::under(&fs.files, &prefix))
            .into_iter()
            .flatten();
        for (k, _) in image_keys.chain(own_keys) {
            if let Some(b) = self.file(k) {
                out.insert(k.clone(), b);
            }
        }
        out
    }
}

/// Marks the folders above `path` as added or changed.
fn touch_parents(fs: &mut ContainerFs, image: &Image, path: &str) {
    for a in ancestors(path) {
        if image_folder(image, a) && fs.changes.get(a) != Some(&Change::Deleted) {
            fs.changes.entry(a.to_string()).or_insert(Change::Changed);
        } else {
            fs.changes.insert(a.to_string(), Change::Added);
            fs.folders.insert(a.to_string());
        }
    }
}

fn write_file(fs: &mut ContainerFs, image: &Image, path: &str, bytes: FileBytes) {
    touch_parents(fs, image, path);
    let change = if image_file(image, path) {
        Change::Changed
    } else {
        Change::Added
    };
    if fs.changes.get(path) != Some(&Change::Added) {
        fs.changes.insert(path.to_string(), change);
    }
    fs.files.insert(path.to_string(), bytes);
}

fn make_folder(fs: &mut ContainerFs, image: &Image, path: &str) {
    if path == "/" {
        return;
    }
    touch_parents(fs, image, path);
    if !image_folder(image, path) || fs.changes.get(path) == Some(&Change::Deleted) {
        fs.changes.insert(path.to_string(), Change::Added);
        fs.folders.insert(path.to_string());
    }
}

fn delete(fs: &mut ContainerFs, image: &Image, path: &str) {
    let prefix = format!("{path}/");
    fs.files
        .retain(|k, _| **k != *path && !k.starts_with(&prefix));
    fs.folders.retain(|k| k != path && !k.starts_with(&prefix));
    fs.changes
        .retain(|k, _| k != path && !k.starts_with(&prefix));
    if image_file(image, path) || image_folder(image, path) {
        touch_parents(fs, image, path);
        fs.changes.insert(path.to_string(), Change::Deleted);
    }
}

/// One change a command makes to the container's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Create the file, or update it (`touch`), or set its bytes (`echo > f`, `append`: `>>`).
    Write {
        path: String,
        bytes: Option<Vec<u8>>,
        append: bool,
    },
    Mkdir(String),
    Remove(String),
}

/// The file effects of an `exec` command line: `touch`, `mkdir`, `rm`, and `>`/`>>` redirections in
/// `sh -c` scripts (`echo WORDS > FILE`). Relative paths start at `workdir`.
pub fn effects(argv: &[String], workdir: &str) -> Vec<Effect> {
    let abs = |p: &str| {
        if p.starts_with('/') {
            clean(p)
        } else {
            clean(&format!("{workdir}/{p}"))
        }
    };
    let Some((prog, args)) = argv.split_first() else {
        return vec![];
    };
    let prog = basename(prog);
    if matches!(prog, "sh" | "bash" | "ash") && args.first().is_some_and(|a| a == "-c") {
        let Some(script) = args.get(1) else {
            return vec![];
        };
        let mut all = Vec::new();
        for part in script.split([';', '\n']).flat_map(|p| p.split("&&")) {
            let Ok(words) = crate::command::shell_words::split(part) else {
                continue;
            };
            all.extend(simple_effects(&words, &abs));
        }
        return all;
    }
    let mut words = vec![prog.to_string()];
    words.extend(args.iter().cloned());
    simple_effects(&words, &abs)
}

fn simple_effects(words: &[String], abs: &dyn Fn(&str) -> String) -> Vec<Effect> {
    // A redirection: everything before it is the command, the word after it the file.
    if let Some(i) = words.iter().position(|w| w == ">" || w == ">>") {
        let Some(target) = words.get(i + 1) else {
            return vec![];
        };
        let cmd = &words[..i];
        let bytes = match cmd.split_first() {
            Some((p, rest)) if p == "echo" => {
                let mut s = rest.join(" ");
                s.push('\n');
                s.into_bytes()
            }
            _ => Vec::new(),
        };
        return vec![Effect::Write {
            path: abs(target),
            bytes: Some(bytes),
            append: words[i] == ">>",
        }];
    }
    let Some((prog, rest)) = words.split_first() else {
        return vec![];
    };
    let operands = rest.iter().filter(|a| !a.starts_with('-'));
    match prog.as_str() {
        "touch" => operands
            .map(|p| Effect::Write {
                path: abs(p),
                bytes: None,
                append: false,
            })
            .collect(),
        "mkdir" => operands.map(|p| Effect::Mkdir(abs(p))).collect(),
        "rm" | "rmdir" => operands.map(|p| Effect::Remove(abs(p))).collect(),
        _ => vec![],
    }
}

/// The image as container `id`'s processes see it: its files with the container's own writes over them
/// and the host folders bind-mounted into it (the image itself when neither changes anything, without a
/// copy). A mount hides what the image had under its mount point.
pub fn seen_by_processes(
    m: &crate::model::machine::Machine,
    id: &str,
    image: &Arc<Image>,
) -> Arc<Image> {
    let fs = m.container_fs.get(id).filter(|fs| !fs.changes.is_empty());
    let mounts = m.containers.get(id).map(|c| c.mounts());
    let binds: Vec<(&MountPoint, String)> = mounts.map(bind_sources).unwrap_or_default();
    // What containers wrote into a volume, over the image's content at its mount point (the copy a new
    // volume gets of it).
    let volumes: Vec<(&MountPoint, &Files)> = mounts
        .into_iter()
        .flatten()
        .filter_map(|p| match &p.source {
            MountSource::Volume { name, .. } => m.volume_files.get(name).map(|f| (p, f.files())),
            _ => None,
        })
        .collect();
    if fs.is_none() && binds.is_empty() && volumes.is_empty() {
        return image.clone();
    }
    let mut files = (*image.files).clone();
    if let Some(fs) = fs {
        for (path, change) in &fs.changes {
            if *change == Change::Deleted {
                let prefix = format!("{path}/");
                files.retain(|k, _| **k != **path && !k.starts_with(&prefix));
            }
        }
        files.extend(fs.files.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    for (point, key) in binds {
        let target = point.target.as_str();
        let prefix = format!("{target}/");
        files.retain(|k, _| &**k != target && !k.starts_with(&prefix));
        if let Some(bytes) = m.files.get(key.as_str()) {
            files.insert(target.into(), bytes.clone());
            continue;
        }
        let host_prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        for (k, v) in crate::vfs::under(&m.files, &host_prefix) {
            let Some(rel) = k.strip_prefix(&host_prefix) else {
                continue;
            };
            files.insert(format!("{prefix}{rel}").into(), v.clone());
        }
    }
    for (point, held) in volumes {
        for (k, v) in held {
            files.insert(format!("{}/{k}", point.target).into(), v.clone());
        }
    }
    let mut seen = (**image).clone();
    seen.files = Arc::new(files);
    Arc::new(seen)
}

/// Does container `id` have folder `path` (its image's, its own, a mount point, a mounted host folder)?
pub fn folder_seen(
    m: &crate::model::machine::Machine,
    id: &str,
    image: &Arc<Image>,
    path: &str,
) -> bool {
    let path = clean(path);
    let view = View {
        image,
        fs: m.container_fs.get(id),
        hostname: "",
    };
    if view.folder(&path) || mounted_folders(m, id).contains(&path) {
        return true;
    }
    let seen = seen_by_processes(m, id, image);
    crate::vfs::under(&seen.files, &format!("{path}/"))
        .next()
        .is_some()
}

/// The bind mounts among `mounts`, each with its source's key in the working folder.
fn bind_sources(mounts: &[MountPoint]) -> Vec<(&MountPoint, String)> {
    mounts
        .iter()
        .filter_map(|p| match &p.source {
            MountSource::Bind { path } => vfs::normalize(path).map(|k| (p, k)),
            MountSource::Volume { .. } | MountSource::Tmpfs => None,
        })
        .collect()
}

/// Folders container `id`'s processes see that no file shows: its mount points and the empty host
/// folders under its bind mounts.
pub fn mounted_folders(m: &crate::model::machine::Machine, id: &str) -> Vec<String> {
    let Some(c) = m.containers.get(id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in c.mounts() {
        let key = match &p.source {
            MountSource::Bind { path } => vfs::normalize(path),
            MountSource::Volume { .. } | MountSource::Tmpfs => None,
        };
        if key
            .as_ref()
            .is_some_and(|k| m.files.contains_key(k.as_str()))
        {
            continue;
        }
        out.push(p.target.clone());
        let Some(key) = key else { continue };
        let prefix = format!("{key}/");
        for f in m.host_folders.range(prefix.clone()..) {
            let Some(rel) = f.strip_prefix(&prefix) else {
                break;
            };
            out.push(format!("{}/{rel}", p.target));
        }
    }
    out
}

/// Where a path under a mount point is stored: the host's working folder (a bind) or a volume's files.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Store {
    /// A key of the working folder.
    Host(String),
    /// A volume, and the path's key inside it (`""` for the volume's root).
    Volume { name: String, key: String },
}

/// The mount a path lies under (the innermost one; a tmpfs keeps nothing), whether it is read-only, and
/// where the path is stored.
fn mount_at(m: &crate::model::machine::Machine, id: &str, path: &str) -> Option<(bool, Store)> {
    let c = m.containers.get(id)?;
    let p = c
        .mounts()
        .iter()
        .filter(|p| path == p.target || path.starts_with(&format!("{}/", p.target)))
        .max_by_key(|p| p.target.len())?;
    let rel = path[p.target.len()..].trim_start_matches('/');
    let join = |base: &str| match (base.is_empty(), rel.is_empty()) {
        (_, true) => base.to_string(),
        (true, false) => rel.to_string(),
        (false, false) => format!("{base}/{rel}"),
    };
    let store = match &p.source {
        MountSource::Bind { path: src } => Store::Host(join(&vfs::normalize(src)?)),
        MountSource::Volume { name, .. } => Store::Volume {
            name: name.clone(),
            key: join(""),
        },
        MountSource::Tmpfs => return None,
    };
    Some((p.read_only, store))
}

/// What busybox prints when an exec's write meets a read-only mount (`:ro`, `readonly`), with exit code 1;
/// `None` when every write of the command line is allowed. Program output, as the process model prints it.
pub fn read_only_refusal(
    m: &crate::model::machine::Machine,
    id: &str,
    argv: &[String],
    workdir: &str,
) -> Option<String> {
    // Most containers mount nothing read-only: then no write can be refused, and the command line is not
    // read for its writes at all.
    let c = m.containers.get(id)?;
    if !c.mounts().iter().any(|p| p.read_only) {
        return None;
    }
    for e in effects(argv, workdir) {
        let (path, shape): (&str, fn(&str) -> String) = match &e {
            Effect::Write {
                path, bytes: None, ..
            } => (path, |p| format!("touch: {p}: Read-only file system")),
            Effect::Write { path, .. } => (path, |p| {
                format!("sh: can't create {p}: Read-only file system")
            }),
            Effect::Mkdir(path) => (path, |p| {
                format!("mkdir: can't create directory '{p}': Read-only file system")
            }),
            Effect::Remove(path) => (path, |p| {
                format!("rm: can't remove '{p}': Read-only file system")
            }),
        };
        if mount_at(m, id, path).is_some_and(|(ro, _)| ro) {
            return Some(shape(path));
        }
    }
    None
}

/// Makes the mount points of container `id` in its own layer where its image lacks them (the daemon
/// creates them, and `docker diff` lists them; never what a mount holds).
pub fn make_mount_points(world: &mut World, host: &str, id: &str, points: &[MountPoint]) {
    if points.is_empty() {
        return;
    }
    let Some(image) = world.machines[host]
        .containers
        .get(id)
        .map(|c| c.image_data.clone())
    else {
        return;
    };
    let host_files = world.machines[host].files.clone();
    let fs = world
        .machine(host)
        .container_fs
        .entry(id.to_string())
        .or_default();
    for p in points {
        let is_file = match &p.source {
            MountSource::Bind { path } => {
                vfs::normalize(path).is_some_and(|k| host_files.contains_key(k.as_str()))
            }
            MountSource::Volume { .. } | MountSource::Tmpfs => false,
        };
        if is_file {
            if !image_file(&image, &p.target) {
                write_file(fs, &image, &p.target, FileBytes::from(Vec::new()));
                fs.files.remove(&p.target);
            }
        } else if !image_folder(&image, &p.target) {
            make_folder(fs, &image, &p.target);
        }
    }
}

/// The layer `docker commit` makes of container `id`'s writes, and the image as its processes see it;
/// `None` when the container changed nothing. The layer's identity is its content (each change and the
/// bytes written), its size the bytes of the files it holds.
pub fn layer_of(
    m: &crate::model::machine::Machine,
    id: &str,
    image: &Arc<Image>,
) -> Option<(crate::model::image::Layer, Arc<Image>)> {
    let fs = m.container_fs.get(id).filter(|fs| !fs.changes.is_empty())?;
    let mut parts: Vec<Vec<u8>> = vec![b"container-layer".to_vec()];
    for (path, change) in &fs.changes {
        let mut part = format!("{change:?} {path}").into_bytes();
        if let Some(b) = fs.files.get(&**path) {
            part.extend_from_slice(crate::digest::Digest::of(b).as_str().as_bytes());
        }
        parts.push(part);
    }
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let diff_id = crate::digest::Digest::of_parts(&refs);
    let size = fs.files.bytes() as u64;
    Some((
        crate::model::image::Layer::new(diff_id, size),
        seen_by_processes(m, id, image),
    ))
}

/// Applies an `exec`'s effects to container `id`'s own layer.
pub fn record_exec(world: &mut World, host: &str, id: &str, argv: &[String]) {
    let Some(c) = world.machines[host].containers.get(id) else {
        return;
    };
    let image = c.image_data.clone();
    let wd = if image.config.working_dir.is_empty() {
        "/".to_string()
    } else {
        image.config.working_dir.clone()
    };
    let list = effects(argv, &wd);
    if list.is_empty() {
        return;
    }
    let m = world.machine(host);
    let list: Vec<Effect> = list
        .into_iter()
        .filter(|e| !write_through_bind(m, id, e))
        .collect();
    let fs = m.container_fs.entry(id.to_string()).or_default();
    for e in list {
        match e {
            Effect::Write {
                path,
                bytes,
                append,
            } => {
                let old: Vec<u8> = fs
                    .files
                    .get(path.as_str())
                    .map(|b| b.to_vec())
                    .or_else(|| image.files.get(path.as_str()).map(|b| b.to_vec()))
                    .unwrap_or_default();
                let new = match bytes {
                    None => old,
                    Some(b) if append => [old, b].concat(),
                    Some(b) => b,
                };
                if layer_bytes(fs) + new.len() > MAX_LAYER_BYTES {
                    continue;
                }
                write_file(fs, &image, &path, FileBytes::from(new));
            }
            Effect::Mkdir(p) => make_folder(fs, &image, &p),
            Effect::Remove(p) => delete(fs, &image, &p),
        }
    }
}

/// Applies an effect under a writable bind mount to the host's working folder; true when it was one.
fn write_through_bind(m: &mut crate::model::machine::Machine, id: &str, e: &Effect) -> bool {
    let path = match e {
        Effect::Write { path, .. } | Effect::Mkdir(path) | Effect::Remove(path) => path,
    };
    let Some((read_only, store)) = mount_at(m, id, path) else {
        return false;
    };
    if read_only {
        return true;
    }
    let key = match store {
        Store::Host(key) => key,
        Store::Volume { name, key } => {
            write_to_volume(m, &name, &key, e);
            return true;
        }
    };
    match e {
        Effect::Write { bytes, append, .. } => {
            let old = m
                .files
                .get(key.as_str())
                .map(|b| b.to_vec())
                .unwrap_or_default();
            let new = match bytes {
                None => old,
                Some(b) if *append => [old, b.clone()].concat(),
                Some(b) => b.clone(),
            };
            if m.files.bytes() + new.len() <= MAX_LAYER_BYTES && !key.is_empty() {
                if let Some(parent) = key.rsplit_once('/').map(|(p, _)| p.to_string()) {
                    m.host_folders.remove(&parent);
                }
                m.files.insert(key, FileBytes::from(new));
            }
        }
        Effect::Mkdir(_) => {
            if !vfs::is_folder(&m.files, &key) && !key.is_empty() {
                m.host_folders.insert(key);
            }
        }
        Effect::Remove(_) => {
            let prefix = format!("{key}/");
            m.files
                .retain(|k, _| **k != *key && !k.starts_with(&prefix));
            m.host_folders
                .retain(|k| *k != key && !k.starts_with(&prefix));
        }
    }
    true
}

/// A write under a volume's mount point goes to the volume, which outlives the container: another
/// container that mounts it reads it. (An empty folder made in a volume is not kept.)
fn write_to_volume(m: &mut crate::model::machine::Machine, name: &str, key: &str, e: &Effect) {
    let files = m.volume_files.entry(name.to_string()).or_default();
    match e {
        Effect::Write { bytes, append, .. } if !key.is_empty() => {
            let old = files.get(key).map(|b| b.to_vec()).unwrap_or_default();
            let new = match bytes {
                None => old,
                Some(b) if *append => [old, b.clone()].concat(),
                Some(b) => b.clone(),
            };
            if files.bytes() + new.len() <= MAX_LAYER_BYTES {
                files.insert(key.to_string(), FileBytes::from(new));
            }
        }
        Effect::Remove(_) => {
            let prefix = format!("{key}/");
            files.retain(|k, _| key.is_empty() || (**k != *key && !k.starts_with(&prefix)));
        }
        _ => {}
    }
}

fn layer_bytes(fs: &ContainerFs) -> usize {
    fs.files.bytes()
}

/// `docker diff CONTAINER`.
pub fn diff(world: &World, host: &str, arg: &str, out: &mut Outcome) {
    let id = match super::container_ops::resolve(world, host, arg) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let lines = world.machines[host]
        .container_fs
        .get(&*id)
        .map(|fs| {
            fs.changes
                .iter()
                .map(|(p, c)| (*c, p.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if !lines.is_empty() {
        out.push(Event::Diff(lines));
    }
}

/// A `docker cp` side: `CONTAINER:PATH` or a local path.
fn container_side(arg: &str) -> Option<(&str, &str)> {
    // A local path may hold a colon after a slash (`./a:b`); a container name never holds a slash.
    let (c, p) = arg.split_once(':')?;
    if c.is_empty() || c.contains('/') || c.starts_with('.') {
        return None;
    }
    Some((c, p))
}

/// The absolute local path the CLI names in its errors.
fn local_abs(path: &str) -> String {
    if path.starts_with('/') {
        clean(path)
    } else {
        clean(&format!("{WORKDIR}/{path}"))
    }
}

/// `docker cp SRC DEST`.
pub fn cp(world: &mut World, host: &str, src: &str, dest: &str, input: &Input, out: &mut Outcome) {
    match (container_side(src), container_side(dest)) {
        (None, None) => out.error(DockerError::CopyWithoutContainer, 1),
        (Some(_), Some(_)) => out.error(DockerError::CopyBetweenContainers, 1),
        (None, Some((c, path))) => copy_in(world, host, src, c, path, input, out),
        (Some((c, path)), None) => copy_out(world, host, c, path, dest, out),
    }
}

fn copy_in(
    world: &mut World,
    host: &str,
    src: &str,
    container: &str,
    path: &str,
    input: &Input,
    out: &mut Outcome,
) {
    let id = match super::container_ops::resolve(world, host, container) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    if src == "-" {
        // A tar archive from standard input; an empty one copies nothing.
        if input.stdin.as_deref().unwrap_or("").is_empty() {
            return;
        }
        out.note(Note::NotSimulated {
            path: "cp - CONTAINER:PATH (a tar archive on standard input)".into(),
        });
        out.exit_code = 1;
        return;
    }
    let m = &world.machines[host];
    let found = vfs::resolve(&m.files, src);
    let sources: Files = match &found {
        Found::File { bytes, .. } => {
            let mut f = Files::new();
            f.insert("".into(), bytes.clone());
            f
        }
        Found::Folder { key } => {
            let prefix = if key.is_empty() {
                String::new()
            } else {
                format!("{key}/")
            };
            m.files
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .filter_map(|(k, _)| match vfs::resolve(&m.files, k) {
                    Found::File { bytes, .. } => Some((format!("/{}", &k[prefix.len()..]), bytes)),
                    _ => None,
                })
                .collect()
        }
        _ => {
            return out.error(
                DockerError::LocalPathMissing {
                    path: local_abs(src),
                },
                1,
            );
        }
    };
    let c = &m.containers[&id];
    let image = c.image_data.clone();
    let view = View {
        image: &image,
        fs: m.container_fs.get(&*id),
        hostname: c.short_id(),
    };
    let dest = clean(path);
    let name = basename(src.trim_end_matches('/'));
    let target = if path.ends_with('/') {
        if !view.folder(&dest) {
            return out.error(DockerError::CopyNoSuchDirectory, 1);
        }
        clean(&format!("{dest}/{name}"))
    } else if view.folder(&dest) {
        clean(&format!("{dest}/{name}"))
    } else {
        let p = parent(&dest);
        if !view.folder(p) {
            return out.error(
                DockerError::NotInContainer {
                    path: p.to_string(),
                    container: container.to_string(),
                },
                1,
            );
        }
        dest
    };
    let adding: usize = sources.values().map(|b| b.len()).sum();
    let m = world.machine(host);
    // What lands under a writable bind mount is written to the host folder, not the container's layer.
    let sources: Vec<(std::sync::Arc<str>, FileBytes)> = sources
        .into_iter()
        .filter(|(rel, bytes)| {
            let path = clean(&format!("{target}{rel}"));
            let writable_bind = mount_at(m, &id, &path).is_some_and(|(ro, _)| !ro);
            let write = Effect::Write {
                path,
                bytes: Some(bytes.to_vec()),
                append: false,
            };
            !(writable_bind && write_through_bind(m, &id, &write))
        })
        .collect();
    let fs = m.container_fs.entry(id.to_string()).or_default();
    if layer_bytes(fs) + adding > MAX_LAYER_BYTES {
        out.note(Note::CopyTooLarge { bytes: adding });
        out.exit_code = 1;
        return;
    }
    if matches!(found, Found::Folder { .. }) {
        make_folder(fs, &image, &target);
    }
    for (rel, bytes) in sources {
        write_file(fs, &image, &clean(&format!("{target}{rel}")), bytes);
    }
}

fn copy_out(
    world: &mut World,
    host: &str,
    container: &str,
    path: &str,
    dest: &str,
    out: &mut Outcome,
) {
    let id = match super::container_ops::resolve(world, host, container) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let m = &world.machines[host];
    let c = &m.containers[&id];
    let view = View {
        image: &c.image_data,
        fs: m.container_fs.get(&*id),
        hostname: c.short_id(),
    };
    let src = clean(path);
    let name = basename(&src).to_string();
    // (path relative to the copied item, bytes); the item itself is "".
    let items: Vec<(String, FileBytes)> = if let Some(bytes) = view.file(&src) {
        vec![(String::new(), bytes)]
    } else if view.folder(&src) {
        let prefix_len = if src == "/" { 0 } else { src.len() };
        view.files_under(&src)
            .into_iter()
            .map(|(k, b)| (k[prefix_len..].to_string(), b))
            .collect()
    } else {
        return out.error(
            DockerError::NotInContainer {
                path: src,
                container: container.to_string(),
            },
            1,
        );
    };
    let is_folder = !(items.len() == 1 && items[0].0.is_empty());
    if dest == "-" {
        let mut entries = Vec::new();
        if is_folder {
            entries.push(Entry {
                name: format!("{name}/"),
                data: Vec::new(),
            });
        }
        for (rel, bytes) in &items {
            entries.push(Entry {
                name: format!("{name}{rel}"),
                data: bytes.to_vec(),
            });
        }
        out.push(Event::Archive(tarball::write(&entries)));
        return;
    }
    let Some(key) = vfs::normalize(dest) else {
        return out.error(
            DockerError::LocalPathMissing {
                path: local_abs(dest),
            },
            1,
        );
    };
    let files = &m.files;
    let target = if dest.ends_with('/') {
        if !vfs::is_folder(files, &key) {
            return out.error(DockerError::CopyNoSuchDirectory, 1);
        }
        join_key(&key, &name)
    } else if vfs::is_folder(files, &key) {
        join_key(&key, &name)
    } else {
        let p = key.rsplit_once('/').map_or("", |(p, _)| p);
        if !vfs::is_folder(files, p) {
            return out.error(DockerError::NoOutputFolder { path: local_abs(p) }, 1);
        }
        key
    };
    let adding: usize = items.iter().map(|(_, b)| b.len()).sum();
    if files.bytes() + adding > crate::limits::MAX_MACHINE_BYTES {
        out.note(Note::CopyTooLarge { bytes: adding });
        out.exit_code = 1;
        return;
    }
    let m = world.machine(host);
    for (rel, bytes) in items {
        m.files.insert(format!("{target}{rel}"), bytes);
    }
}

fn join_key(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        crate::command::shell_words::split(s).unwrap()
    }

    #[test]
    fn exec_effects_are_read_from_the_command_line() {
        assert_eq!(
            effects(&argv("touch /tmp/x y"), "/app"),
            vec![
                Effect::Write {
                    path: "/tmp/x".into(),
                    bytes: None,
                    append: false
                },
                Effect::Write {
                    path: "/app/y".into(),
                    bytes: None,
                    append: false
                }
            ]
        );
        assert_eq!(
            effects(&argv("sh -c 'echo hi > /etc/motd; rm -f /etc/hosts'"), "/"),
            vec![
                Effect::Write {
                    path: "/etc/motd".into(),
                    bytes: Some(b"hi\n".to_vec()),
                    append: false
                },
                Effect::Remove("/etc/hosts".into())
            ]
        );
        assert_eq!(
            effects(&argv("mkdir -p /a/b"), "/"),
            vec![Effect::Mkdir("/a/b".into())]
        );
        assert!(effects(&argv("ls -l /"), "/").is_empty());
    }

    #[test]
    fn the_layer_says_added_changed_deleted() {
        let image = Image::new(
            Default::default(),
            vec![],
            Vec::<crate::model::image::HistoryEntry>::new(),
            0,
            Arc::default(),
            Arc::new(["sh".to_string(), "ls".to_string()].into_iter().collect()),
        );
        let mut fs = ContainerFs::default();
        write_file(
            &mut fs,
            &image,
            "/etc/motd",
            FileBytes::from(b"hi\n".to_vec()),
        );
        make_folder(&mut fs, &image, "/newdir");
        write_file(&mut fs, &image, "/newdir/f", FileBytes::from(Vec::new()));
        delete(&mut fs, &image, "/bin/ls");
        write_file(&mut fs, &image, "/etc/passwd", FileBytes::from(Vec::new()));
        let lines: Vec<(Change, &str)> = fs.changes.iter().map(|(p, c)| (*c, p.as_str())).collect();
        assert_eq!(
            lines,
            vec![
                (Change::Changed, "/bin"),
                (Change::Deleted, "/bin/ls"),
                (Change::Changed, "/etc"),
                (Change::Added, "/etc/motd"),
                (Change::Changed, "/etc/passwd"),
                (Change::Added, "/newdir"),
                (Change::Added, "/newdir/f"),
            ]
        );
        // Removing what the container added leaves no trace of it.
        delete(&mut fs, &image, "/newdir");
        assert!(!fs.changes.contains_key("/newdir/f"));
        assert!(!fs.changes.contains_key("/newdir"));
    }

    #[test]
    fn container_sides() {
        assert_eq!(container_side("web:/x"), Some(("web", "/x")));
        assert_eq!(container_side("./a:b"), None);
        assert_eq!(container_side("hello.txt"), None);
        assert_eq!(clean("/a/./b/../c/"), "/a/c");
        assert_eq!(ancestors("/a/b/c"), vec!["/a", "/a/b"]);
    }

    use crate::engine::run_test_line as line;
    use crate::model::image::FileBytes as Bytes;

    fn with_site() -> World {
        let mut w = World::new();
        line(&mut w, "docker pull -q busybox");
        w.machine("default")
            .files
            .insert("site/index.html".into(), Bytes::from(b"hi\n".to_vec()));
        w
    }

    fn output(out: &super::super::Outcome) -> Vec<String> {
        out.events
            .iter()
            .filter_map(|e| match e {
                Event::Output(lines) => Some(lines.iter().map(|l| l.text.clone())),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// A bind mount is the host folder itself: the container reads what the host has now, its writes land
    /// on the host, and `docker diff` lists only the mount point it made.
    #[test]
    fn a_bind_mount_shares_the_host_folder_both_ways() {
        let mut w = with_site();
        assert_eq!(
            line(
                &mut w,
                "docker run -d --name web -v ./site:/srv/html busybox sleep 100"
            )
            .exit_code,
            0
        );
        let out = line(&mut w, "docker exec web cat /srv/html/index.html");
        assert_eq!(output(&out), vec!["hi"]);
        line(
            &mut w,
            "docker exec web sh -c \"echo x > /srv/html/new.txt\"",
        );
        let m = &w.machines["default"];
        assert_eq!(
            m.files.get("site/new.txt").map(|b| b.to_vec()),
            Some(b"x\n".to_vec())
        );
        let id = m.containers.named("web").expect("named").id.clone();
        let fs = &m.container_fs[&*id];
        assert!(!fs.files.contains_key("/srv/html/new.txt"));
        assert_eq!(fs.changes.get("/srv/html"), Some(&Change::Added));
        // A file the host gains later is seen at once.
        w.machine("default")
            .files
            .insert("site/later.txt".into(), Bytes::from(b"later\n".to_vec()));
        let out = line(&mut w, "docker exec web cat /srv/html/later.txt");
        assert_eq!(output(&out), vec!["later"]);
    }

    /// `:ro` refuses every write in the program's words (exit 1) and changes nothing on the host.
    #[test]
    fn a_read_only_bind_refuses_writes() {
        let mut w = with_site();
        line(
            &mut w,
            "docker run -d --name ro -v ./site:/data:ro busybox sleep 100",
        );
        let out = line(&mut w, "docker exec ro touch /data/z");
        assert_eq!(out.exit_code, 1);
        assert_eq!(output(&out), vec!["touch: /data/z: Read-only file system"]);
        let out = line(&mut w, "docker exec ro rm /data/index.html");
        assert_eq!(out.exit_code, 1);
        assert!(w.machines["default"].files.contains_key("site/index.html"));
    }

    /// `-v` makes a missing host folder; `--mount` refuses it; a path outside the working folder is not
    /// simulated (a note, exit 1, nothing made).
    #[test]
    fn missing_and_outside_bind_sources() {
        let mut w = with_site();
        assert_eq!(
            line(&mut w, "docker run --rm -v ./made:/d busybox ls /d").exit_code,
            0
        );
        assert!(w.machines["default"].host_folders.contains("made"));
        let out = line(
            &mut w,
            "docker run --rm --mount type=bind,source=./nope,target=/d busybox true",
        );
        assert_eq!(out.exit_code, 125);
        assert!(out.events.iter().any(|e| matches!(e, Event::RunFailed {
            error: DockerError::BindSourceMissing { path }, .. } if path == "/home/learner/nope")));
        let before = w.machines["default"].containers.len();
        let out = line(&mut w, "docker run -v /etc:/x busybox true");
        assert_eq!(out.exit_code, 1);
        assert_eq!(w.machines["default"].containers.len(), before);
    }

    /// runc refuses `exec -w` of a folder the container lacks; a mount point is a folder.
    #[test]
    fn exec_workdir_must_exist() {
        let mut w = with_site();
        line(
            &mut w,
            "docker run -d --name web -v ./site:/srv/html busybox sleep 100",
        );
        let out = line(&mut w, "docker exec -w /missing web pwd");
        assert_eq!(out.exit_code, 126);
        assert!(out.events.iter().any(|e| matches!(e, Event::ExecFailed {
            problem: crate::docker_error::ExecProblem::MissingWorkdir { workdir } } if workdir == "/missing")));
        assert_eq!(
            line(&mut w, "docker exec -w /srv/html web pwd").exit_code,
            0
        );
        assert_eq!(line(&mut w, "docker exec -w /etc web pwd").exit_code, 0);
    }
}
