//! Where dockdrill keeps what outlives a session (REPL history now, the learner's progress later), and how it
//! writes there.
//!
//! The folder is `$DOCKDRILL_HOME` when set (tests always set it), otherwise the platform's data directory from
//! `directories::ProjectDirs` (`~/.local/share/dockdrill` on Linux). Files are written whole to a temporary file
//! and renamed over the old one (see [`crate::safe_fs`]), so a crash or a full disk never leaves half a file
//! behind. When the folder
//! cannot be written the learner is told once and the session carries on without saving: losing history is
//! never worth stopping a lesson for.

use std::io;
use std::path::{Path, PathBuf};

/// The largest file read from the data directory (history and progress are a few kilobytes).
pub const MAX_READ_BYTES: u64 = 4 * 1024 * 1024;

/// The environment variable that relocates the data directory.
pub const HOME_VAR: &str = "DOCKDRILL_HOME";

/// The data directory and whether saving there still works.
#[derive(Debug)]
pub struct DataDir {
    /// `None` when no folder could be determined at all (no home directory).
    root: Option<PathBuf>,
    /// Set after the first failed write: later writes are skipped silently.
    disabled: bool,
}

impl DataDir {
    /// Resolves the folder from `DOCKDRILL_HOME` or the platform's data directory.
    pub fn resolve() -> DataDir {
        let from_env = std::env::var_os(HOME_VAR).filter(|v| !v.is_empty());
        let root = from_env.map(PathBuf::from).or_else(|| {
            directories::ProjectDirs::from("", "", "dockdrill").map(|p| p.data_dir().to_path_buf())
        });
        DataDir::at(root)
    }

    /// A data directory at a given place (`None`: nowhere, saving disabled from the start).
    pub fn at(root: Option<PathBuf>) -> DataDir {
        DataDir {
            root,
            disabled: false,
        }
    }

    /// The folder, if there is one.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The path of `name` inside the folder.
    pub fn file(&self, name: &str) -> Option<PathBuf> {
        self.root.as_ref().map(|r| r.join(name))
    }

    /// Reads `name` (a regular file of at most [`MAX_READ_BYTES`], bytes that are not UTF-8 replaced); a
    /// missing, unreadable or oversized file reads as nothing (a fresh start, never an error).
    pub fn read(&self, name: &str) -> Option<String> {
        crate::safe_fs::read_text_lossy(&self.file(name)?, MAX_READ_BYTES).ok()
    }

    /// Writes `name` atomically. Returns a message for the learner the first time saving fails, and `None`
    /// on success or when saving was already disabled (so the learner hears about it exactly once).
    pub fn write(&mut self, name: &str, contents: &[u8]) -> Option<String> {
        let contents = contents.to_vec();
        self.update(name, move |_| contents)
    }

    /// Rewrites `name` from what it holds now, under the folder's lock: `change` gets the file's current
    /// text (`None` when there is none) read just before the write, so two sessions sharing the folder
    /// merge their work instead of the later save dropping the other's. Saving failures are reported
    /// as by [`DataDir::write`].
    pub fn update(
        &mut self,
        name: &str,
        change: impl FnOnce(Option<String>) -> Vec<u8>,
    ) -> Option<String> {
        if self.disabled {
            return None;
        }
        let result = match self.file(name) {
            Some(path) => self
                .locked(|| {
                    let contents = change(self.read(name));
                    write_atomic(&path, &contents)
                })
                .map_err(|e| format!("{}: {e}", path.display())),
            None => Err("no home directory; set `DOCKDRILL_HOME` to choose a folder".to_string()),
        };
        match result {
            Ok(()) => None,
            Err(why) => {
                self.disabled = true;
                Some(format!(
                    "cannot write `{why}`: saving disabled for this session"
                ))
            }
        }
    }
}

impl DataDir {
    /// Runs `f` holding the folder's advisory lock (`.lock`, an exclusive `flock`), which every dockdrill
    /// writing there takes; the folder is created first. The lock is released when `f` returns.
    fn locked<T>(&self, f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
        let root = self
            .root
            .as_deref()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no data folder"))?;
        std::fs::create_dir_all(root)?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(root.join(LOCK_FILE))?;
        lock.lock()?;
        let result = f();
        let _ = lock.unlock();
        result
    }
}

/// The lock file every writer of the data directory holds while it reads and rewrites a file.
pub const LOCK_FILE: &str = ".lock";

/// Writes `contents` to `path` atomically: the one safe implementation, [`crate::safe_fs::write_atomic`].
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    crate::safe_fs::write_atomic(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("dockdrill-paths-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_atomically_and_reads_back() {
        let dir = temp("ok");
        let mut d = DataDir::at(Some(dir.join("nested")));
        assert_eq!(d.write("history", b"one\ntwo\n"), None);
        assert_eq!(d.write("history", b"three\n"), None);
        assert_eq!(d.read("history").as_deref(), Some("three\n"));
        let leftovers = std::fs::read_dir(dir.join("nested"))
            .map(|r| {
                r.filter_map(Result::ok)
                    .filter(|e| e.file_name() != LOCK_FILE)
                    .count()
            })
            .unwrap_or(0);
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_write_is_reported_once() {
        let dir = temp("blocked");
        // A file where the folder should be makes every write fail.
        let _ = std::fs::write(&dir, b"not a folder");
        let mut d = DataDir::at(Some(dir.clone()));
        let first = d.write("history", b"x");
        assert!(first.is_some_and(|m| m.contains("saving disabled")));
        assert_eq!(d.write("history", b"y"), None);
        let _ = std::fs::remove_file(&dir);
    }

    #[test]
    fn nowhere_to_write() {
        let mut d = DataDir::at(None);
        assert!(d.write("history", b"x").is_some());
        assert_eq!(d.read("history"), None);
    }
}
