//! A machine's working folder: its files, and beside them the bytes they hold together. Every write checks
//! the folder's cap ([`crate::limits::MAX_MACHINE_BYTES`]); with the total kept here that check is one
//! addition, where summing the files would cost as much as the folder holds (up to
//! [`crate::script::MAX_MACHINE_FILES`] files) on every `echo`.
//!
//! Reading goes through `Deref` to the file map. Changing it goes only through the methods below, so the
//! total cannot drift from the files: the compiler refuses any other way in.

use crate::model::image::{FileBytes, Files};
use crate::model::persistent::RetainMap;

/// The files of a working folder and their total size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folder {
    files: Files,
    bytes: usize,
}

impl Folder {
    /// Bytes the files hold together (a link counts its entry, as [`crate::vfs::total_bytes`] does).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The file map itself (a build context, a copy for another machine).
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// Puts `bytes` at `key`, returning what was there.
    pub fn insert(&mut self, key: String, bytes: FileBytes) -> Option<FileBytes> {
        self.bytes += bytes.len();
        let old = self.files.insert(key.into(), bytes);
        self.bytes -= old.as_ref().map_or(0, |b| b.len());
        old
    }

    /// Takes the file at `key` away.
    pub fn remove(&mut self, key: &str) -> Option<FileBytes> {
        let old = self.files.remove(key);
        self.bytes -= old.as_ref().map_or(0, |b| b.len());
        old
    }

    /// Keeps only the files `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&std::sync::Arc<str>, &FileBytes) -> bool) {
        let mut bytes = self.bytes;
        self.files.retain(|k, v| {
            let kept = keep(k, v);
            if !kept {
                bytes -= v.len();
            }
            kept
        });
        self.bytes = bytes;
    }

    /// Adds `more` at the end of the file at `key` (in place unless an undo step shares it); false when
    /// there is no such file.
    pub fn append(&mut self, key: &str, more: &[u8]) -> bool {
        match self.files.get_mut(key) {
            Some(file) => {
                file.append(more);
                self.bytes += more.len();
                true
            }
            None => false,
        }
    }
}

impl std::ops::Deref for Folder {
    type Target = Files;
    fn deref(&self) -> &Files {
        &self.files
    }
}

impl<'a> IntoIterator for &'a Folder {
    type Item = (&'a std::sync::Arc<str>, &'a FileBytes);
    type IntoIter =
        imbl::ordmap::Iter<'a, std::sync::Arc<str>, FileBytes, imbl::shared_ptr::DefaultSharedPtr>;
    fn into_iter(self) -> Self::IntoIter {
        self.files.iter()
    }
}

impl From<Files> for Folder {
    fn from(files: Files) -> Folder {
        let bytes = crate::vfs::total_bytes(&files);
        Folder { files, bytes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> FileBytes {
        FileBytes::from(s.as_bytes())
    }

    /// Whatever the changes, the kept total is what summing the files gives.
    #[test]
    fn the_total_follows_every_change() {
        let mut f = Folder::from(Files::new());
        let check = |f: &Folder| assert_eq!(f.bytes(), crate::vfs::total_bytes(f.files()));
        f.insert("a".into(), bytes("12345"));
        check(&f);
        assert_eq!(f.bytes(), 5);
        f.insert("a".into(), bytes("12"));
        f.insert("d/b".into(), bytes("xyz"));
        check(&f);
        assert_eq!(f.bytes(), 5);
        assert!(f.append("a", b"345"));
        assert!(!f.append("missing", b"345"));
        check(&f);
        assert_eq!(f.bytes(), 8);
        let before = f.clone();
        f.retain(|k, _| !k.starts_with("d/"));
        check(&f);
        assert_eq!(f.bytes(), 5);
        assert_eq!(
            before.bytes(),
            8,
            "an earlier copy (an undo step) keeps its own total"
        );
        assert_eq!(f.remove("a").as_deref(), Some(&b"12345"[..]));
        assert_eq!(f.remove("a"), None);
        check(&f);
        assert_eq!(f.bytes(), 0);
    }

    #[test]
    fn a_folder_made_from_files_counts_them() {
        let mut files = Files::new();
        files.insert("x".into(), bytes("abc"));
        files.insert("y".into(), bytes("de"));
        assert_eq!(Folder::from(files).bytes(), 5);
    }
}
