//! Where dockdrill keeps what outlives a session (REPL history now, the learner's progress later), and how it
//! writes there.
//!
//! The folder is `$DOCKDRILL_HOME` when set (tests always set it), otherwise the platform's data directory from
//! `directories::ProjectDirs` (`~/.local/share/dockdrill` on Linux). Files are written whole to a temporary file
//! and renamed over the old one, so a crash or a full disk never leaves half a file behind. When the folder
//! cannot be written the learner is told once and the session carries on without saving: losing history is
//! never worth stopping a lesson for.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

    /// Reads `name`; a missing or unreadable file reads as nothing (a fresh start, never an error).
    pub fn read(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.file(name)?).ok()
    }

    /// Writes `name` atomically. Returns a message for the learner the first time saving fails, and `None`
    /// on success or when saving was already disabled (so the learner hears about it exactly once).
    pub fn write(&mut self, name: &str, contents: &[u8]) -> Option<String> {
        if self.disabled {
            return None;
        }
        let result = match self.file(name) {
            Some(path) => {
                write_atomic(&path, contents).map_err(|e| format!("{}: {e}", path.display()))
            }
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

/// Writes `contents` to `path` through a temporary file in the same folder and a rename, creating the folder
/// if needed. A rename within one folder replaces the file in one step, so readers see the old or the new
/// content, never a mix.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no parent folder"))?;
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()
    })();
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
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
            .map(|r| r.count())
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
