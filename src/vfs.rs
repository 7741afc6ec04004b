//! A machine's working folder as a virtual file tree: paths are normalised the way a shell and Docker
//! resolve them, and symbolic links are links.
//!
//! The folder is [`WORKDIR`] (`/home/learner`) on every machine; its files live in a
//! map from a clean relative path (`app/server.js`, never `./x`, `a//b` or `..`) to bytes. A path that
//! climbs out of the folder (`../f`, `/etc/passwd`) names nothing the simulation has, so the shell helpers
//! refuse it in the shell's words. A symbolic link from a build folder on disk is kept as a link (Docker's
//! client sends the link itself, never what it points to): its entry holds [`LINK_MAGIC`] and the target,
//! and reading through it follows it only inside the tree, so a link to `/proc/self/environ` or
//! `~/.ssh/id_rsa` is dangling here and nothing outside the folder is ever read.

use crate::model::image::{FileBytes, Files};

/// The working folder's absolute path on every simulated machine.
pub const WORKDIR: &str = "/home/learner";

/// How a link's entry starts: bytes no text file holds (a NUL, then a name), followed by the target.
pub const LINK_MAGIC: &[u8] = b"\0dockdrill-symlink\0";

/// Links followed in a row before giving up (Linux allows 40; a loop needs far fewer to show).
const MAX_HOPS: usize = 40;

/// The entry of a link to `target`.
pub fn link(target: &str) -> FileBytes {
    let mut bytes = LINK_MAGIC.to_vec();
    bytes.extend_from_slice(target.as_bytes());
    FileBytes::from(bytes)
}

/// The target when `bytes` is a link's entry.
pub fn link_target(bytes: &[u8]) -> Option<&str> {
    bytes
        .strip_prefix(LINK_MAGIC)
        .and_then(|t| std::str::from_utf8(t).ok())
}

/// A path as the working folder's key: `.`, empty parts and `..` resolved, an absolute path inside
/// [`WORKDIR`] made relative. `None` when it leaves the folder (`../f`, `/etc/passwd`). The folder itself is
/// `Some("")`.
pub fn normalize(path: &str) -> Option<String> {
    normalize_from("", path)
}

/// [`normalize`] for a path written in folder `base` (a clean key): how a relative link target resolves.
pub fn normalize_from(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let rest = if let Some(abs) = path.strip_prefix('/') {
        let inside = abs.trim_start_matches('/');
        let home = WORKDIR.trim_start_matches('/');
        match inside.strip_prefix(home) {
            Some(r) if r.is_empty() || r.starts_with('/') => r,
            _ => return None,
        }
    } else {
        parts.extend(base.split('/').filter(|p| !p.is_empty()));
        path
    };
    for p in rest.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// What reading a path finds, links followed inside the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// A file: its key (the link's target when links were followed) and bytes.
    File { key: String, bytes: FileBytes },
    /// A folder (some key lies under it).
    Folder { key: String },
    /// A link whose target is not in the tree (outside the folder, or missing).
    Dangling { link: String, target: String },
    /// Links that lead back to themselves.
    Loop,
    /// Nothing there, or a path that leaves the folder.
    Missing,
}

/// Follows `path` through the tree: [`Found`] says what a program opening it would see.
pub fn resolve(files: &Files, path: &str) -> Found {
    let Some(mut key) = normalize(path) else {
        return Found::Missing;
    };
    for _ in 0..MAX_HOPS {
        let Some(bytes) = files.get(key.as_str()) else {
            return if is_folder(files, &key) {
                Found::Folder { key }
            } else {
                Found::Missing
            };
        };
        let Some(target) = link_target(bytes) else {
            return Found::File {
                key,
                bytes: bytes.clone(),
            };
        };
        let base = key.rsplit_once('/').map_or("", |(d, _)| d);
        match normalize_from(base, target) {
            Some(next) if files.contains_key(next.as_str()) || is_folder(files, &next) => {
                key = next
            }
            _ => {
                return Found::Dangling {
                    link: key,
                    target: target.to_string(),
                };
            }
        }
    }
    Found::Loop
}

/// Is `key` a folder of the tree (the working folder itself, or a prefix of some entry)?
pub fn is_folder(files: &Files, key: &str) -> bool {
    if key.is_empty() {
        return true;
    }
    under(files, &format!("{key}/")).next().is_some()
}

/// The entries of `files` whose paths start with `prefix` (a folder's, given `dir/`), in path order: a range
/// of the map, not a scan of it.
pub fn under<'a>(
    files: &'a Files,
    prefix: &'a str,
) -> impl Iterator<Item = (&'a std::sync::Arc<str>, &'a FileBytes)> + 'a {
    files
        .range::<_, str>((
            std::ops::Bound::Included(prefix),
            std::ops::Bound::Unbounded,
        ))
        .take_while(move |(k, _)| k.starts_with(prefix))
}

/// Bytes the files of a tree hold together (a link counts its target's length, as on disk).
pub fn total_bytes(files: &Files) -> usize {
    files.values().map(|b| b.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder's entries are the range of its prefix, and no others (`ab` sorts between `a/…` and `b/…`).
    #[test]
    fn the_entries_under_a_folder_are_its_prefix_range() {
        let mut files = Files::new();
        for path in ["a/x", "a/y/z", "a", "ab", "b/z"] {
            files.insert(path.into(), FileBytes::from(&b"."[..]));
        }
        let under_a: Vec<&str> = under(&files, "a/").map(|(k, _)| &**k).collect();
        assert_eq!(under_a, ["a/x", "a/y/z"]);
        assert!(is_folder(&files, "a") && is_folder(&files, "a/y") && !is_folder(&files, "ab"));
        assert_eq!(under(&files, "c/").count(), 0);
    }

    #[test]
    fn paths_are_normalised_inside_the_folder() {
        assert_eq!(normalize("./a//b/./c").as_deref(), Some("a/b/c"));
        assert_eq!(normalize("a/../f").as_deref(), Some("f"));
        assert_eq!(normalize("/home/learner/x").as_deref(), Some("x"));
        assert_eq!(normalize("/home/learner").as_deref(), Some(""));
        assert_eq!(normalize("../f"), None);
        assert_eq!(normalize("a/../../f"), None);
        assert_eq!(normalize("/etc/passwd"), None);
        assert_eq!(normalize("/home/learnerx"), None);
    }

    #[test]
    fn links_resolve_only_inside_the_tree() {
        let mut files = Files::new();
        files.insert("real".into(), FileBytes::from(&b"text"[..]));
        files.insert("sub/up".into(), link("../real"));
        files.insert("env".into(), link("/proc/self/environ"));
        files.insert("a".into(), link("b"));
        files.insert("b".into(), link("a"));
        assert!(matches!(resolve(&files, "sub/up"), Found::File { key, .. } if key == "real"));
        assert_eq!(
            resolve(&files, "env"),
            Found::Dangling {
                link: "env".into(),
                target: "/proc/self/environ".into()
            }
        );
        assert_eq!(resolve(&files, "a"), Found::Loop);
        assert_eq!(resolve(&files, "sub"), Found::Folder { key: "sub".into() });
        assert_eq!(resolve(&files, "../real"), Found::Missing);
    }
}
