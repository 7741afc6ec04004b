//! Reading and writing the learner's and the instructor's files without trusting them.
//!
//! Every file dockdrill reads on a person's behalf (a script, a scenario or quiz, the build context, the
//! progress and history files) comes through [`read_regular`]: the file is opened without blocking (so a
//! named pipe cannot hang the open), checked to be a regular file *on the open handle* (so a link swapped
//! in between a check and the open changes nothing), and read through a byte limit (so `/dev/zero` or a
//! file that grows while it is read cannot exhaust memory). Everything dockdrill writes goes through
//! [`write_atomic`]: a new temporary file created exclusively beside the target, synced, renamed over it,
//! and the folder synced, so a crash or a full disk leaves the old file or the new one, never half of one.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed (missing file, permissions, …).
    Io(io::Error),
    /// The path names something other than a regular file.
    NotRegular { kind: FileKind },
    /// The file holds more than the caller's limit.
    TooLarge { limit: u64 },
}

/// What a path that is not a regular file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Folder,
    NamedPipe,
    Socket,
    Device,
    Link,
    Other,
}

impl FileKind {
    /// The kind of a file from its (not followed) metadata.
    pub fn of(file_type: std::fs::FileType) -> Option<FileKind> {
        if file_type.is_file() {
            return None;
        }
        Some(if file_type.is_dir() {
            FileKind::Folder
        } else if file_type.is_symlink() {
            FileKind::Link
        } else {
            special_kind(file_type)
        })
    }

    /// How a message names it.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Folder => "a folder",
            FileKind::NamedPipe => "a named pipe",
            FileKind::Socket => "a socket",
            FileKind::Device => "a device",
            FileKind::Link => "a symbolic link",
            FileKind::Other => "not a regular file",
        }
    }
}

#[cfg(unix)]
fn special_kind(file_type: std::fs::FileType) -> FileKind {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        FileKind::NamedPipe
    } else if file_type.is_socket() {
        FileKind::Socket
    } else if file_type.is_char_device() || file_type.is_block_device() {
        FileKind::Device
    } else {
        FileKind::Other
    }
}

#[cfg(not(unix))]
fn special_kind(_: std::fs::FileType) -> FileKind {
    FileKind::Other
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular {
                kind: FileKind::Folder,
            } => write!(f, "Is a directory"),
            ReadError::NotRegular { kind } => write!(
                f,
                "{} is not a regular file; dockdrill reads only regular files",
                match kind {
                    FileKind::Other => "it",
                    k => k.describe(),
                }
            ),
            ReadError::TooLarge { limit } => {
                write!(f, "the file is larger than {limit} bytes")
            }
        }
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> io::Error {
        match e {
            ReadError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
        }
    }
}

/// An I/O error as a person reads it: the operating system's words without Rust's `(os error N)`.
pub fn io_message(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Opens `path` for reading: without blocking on a named pipe, and only if the open handle is a regular
/// file. `follow_links: false` also refuses a final symbolic link (the build context never follows one).
pub fn open_regular(path: &Path, follow_links: bool) -> Result<File, ReadError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
        if !follow_links {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        // O_NOFOLLOW on a link fails with ELOOP: say what it is instead.
        Err(e) if !follow_links && e.raw_os_error() == Some(ELOOP) => {
            return Err(ReadError::NotRegular {
                kind: FileKind::Link,
            });
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = FileKind::of(meta.file_type()) {
        return Err(ReadError::NotRegular { kind });
    }
    Ok(file)
}

#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

/// Reads a whole regular file of at most `limit` bytes (see [`open_regular`]).
pub fn read_regular(path: &Path, limit: u64, follow_links: bool) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path, follow_links)?;
    read_limited(file, limit)
}

/// Reads at most `limit` bytes from `reader`; more is an error, never a bigger allocation.
pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Reads a regular text file, replacing bytes that are not UTF-8 (a history file with one Latin-1 byte
/// keeps every other line).
pub fn read_text_lossy(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, limit, true)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Writes `contents` to `path` atomically, creating the folder if needed: a temporary file created with
/// `O_EXCL` in the same folder (never an existing file or a planted link), written and synced, renamed over
/// `path`, then the folder synced so the rename itself survives a crash.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if d.as_os_str().is_empty() => Path::new("."),
        Some(d) => d,
        None => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no parent folder",
            ));
        }
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tmp, mut file) = create_temporary(dir, &name)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir);
    Ok(())
}

/// A new file `.NAME.PID.N.tmp` in `dir`, created exclusively (an existing file or link there is never
/// opened).
fn create_temporary(dir: &Path, name: &str) -> io::Result<(std::path::PathBuf, File)> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

/// Syncs a folder so that a rename in it is on disk (best effort: not every platform can open a folder).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn temp(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("dockdrill-safefs-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        dir
    }

    #[test]
    fn a_regular_file_is_read_within_its_limit() {
        let dir = temp("regular");
        let f = dir.join("f");
        let _ = std::fs::write(&f, b"hello");
        assert_eq!(read_regular(&f, 5, true).ok(), Some(b"hello".to_vec()));
        assert!(matches!(
            read_regular(&f, 4, true),
            Err(ReadError::TooLarge { limit: 4 })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn devices_pipes_folders_and_links_are_refused_without_reading() {
        let dir = temp("special");
        let zero = dir.join("zero");
        let _ = std::os::unix::fs::symlink("/dev/zero", &zero);
        assert!(matches!(
            read_regular(&zero, 1 << 40, true),
            Err(ReadError::NotRegular {
                kind: FileKind::Device
            })
        ));
        assert!(matches!(
            read_regular(&zero, 1 << 40, false),
            Err(ReadError::NotRegular {
                kind: FileKind::Link
            })
        ));
        assert!(matches!(
            read_regular(&dir, 10, true),
            Err(ReadError::NotRegular {
                kind: FileKind::Folder
            })
        ));
        let fifo = dir.join("pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening a FIFO with no writer would block forever without O_NONBLOCK.
            assert!(matches!(
                read_regular(&fifo, 10, true),
                Err(ReadError::NotRegular {
                    kind: FileKind::NamedPipe
                })
            ));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn latin1_text_is_read_lossily() {
        let dir = temp("lossy");
        let f = dir.join("history");
        let _ = std::fs::write(&f, b"docker ps\ncaf\xe9\ndocker images\n");
        let text = read_text_lossy(&f, 100).unwrap_or_default();
        assert_eq!(text.lines().count(), 3);
        assert!(text.starts_with("docker ps\ncaf\u{fffd}\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn atomic_writes_leave_no_temporary_file() {
        let dir = temp("atomic");
        let f = dir.join("nested").join("state.json");
        assert!(write_atomic(&f, b"one").is_ok());
        assert!(write_atomic(&f, b"two").is_ok());
        assert_eq!(std::fs::read(&f).ok(), Some(b"two".to_vec()));
        let count = std::fs::read_dir(dir.join("nested")).map_or(0, Iterator::count);
        assert_eq!(count, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_link_is_never_written_through() {
        let dir = temp("planted");
        let victim = dir.join("victim");
        let _ = std::fs::write(&victim, b"keep");
        let pid = std::process::id();
        let _ = std::os::unix::fs::symlink(&victim, dir.join(format!(".out.{pid}.0.tmp")));
        assert!(write_atomic(&dir.join("out"), b"new").is_ok());
        assert_eq!(std::fs::read(&victim).ok(), Some(b"keep".to_vec()));
        assert_eq!(std::fs::read(dir.join("out")).ok(), Some(b"new".to_vec()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
