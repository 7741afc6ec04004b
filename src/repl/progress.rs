//! The learner's progress: which scenarios are done (with the fewest commands each took) and which quiz
//! questions were answered right. It is small, lives in the data directory ([`super::paths`]) and is never worth
//! losing a lesson over: a file that cannot be read is set aside and the session starts afresh, a folder that
//! cannot be written only turns saving off, each said once.
//!
//! The file is `progress.json`; see [`Progress::to_json`] for its format.

use super::paths::DataDir;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The progress file's name inside the data directory.
pub const FILE_NAME: &str = "progress.json";

/// The `format_version` this dockdrill writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// How many set-aside copies (`progress.json.corrupt-1` …) are tried before giving up on finding a free name.
const MAX_BACKUPS: u32 = 1000;

/// Everything the learner has achieved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Scenario id → how it went.
    #[serde(default)]
    pub scenarios: BTreeMap<String, ScenarioProgress>,
    /// Quiz id → its questions.
    #[serde(default)]
    pub quizzes: BTreeMap<String, QuizProgress>,
}

/// A completed scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioProgress {
    /// The fewest commands the learner needed to complete it.
    pub best: usize,
}

/// A quiz's answered questions, by index (0-based, in the quiz file's order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizProgress {
    /// Questions answered right at least once.
    #[serde(default)]
    pub right: BTreeSet<usize>,
    /// Questions answered, but never right yet.
    #[serde(default)]
    pub wrong: BTreeSet<usize>,
}

/// The file as written: the version header, then the progress.
#[derive(Serialize, Deserialize)]
struct FileContents {
    format_version: u32,
    #[serde(flatten)]
    progress: Progress,
}

/// Just the header, read first so that a newer file is recognised even when the rest would not parse.
#[derive(Deserialize)]
struct Header {
    format_version: u32,
}

/// Something achieved, to be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// A scenario completed in `commands` commands.
    Scenario { id: String, commands: usize },
    /// Quiz `quiz`'s question `question` (0-based) answered.
    Answer {
        quiz: String,
        question: usize,
        right: bool,
    },
}

impl Progress {
    /// Is there nothing recorded yet?
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
            && self
                .quizzes
                .values()
                .all(|q| q.right.is_empty() && q.wrong.is_empty())
    }

    /// Records an achievement. Returns the previous best when a scenario was beaten in fewer commands than
    /// before, so the learner can be told.
    pub fn record(&mut self, record: &Record) -> Option<usize> {
        match record {
            Record::Scenario { id, commands } => match self.scenarios.get_mut(id) {
                Some(p) if *commands < p.best => Some(std::mem::replace(&mut p.best, *commands)),
                Some(_) => None,
                None => {
                    self.scenarios
                        .insert(id.clone(), ScenarioProgress { best: *commands });
                    None
                }
            },
            Record::Answer {
                quiz,
                question,
                right,
            } => {
                let q = self.quizzes.entry(quiz.clone()).or_default();
                if *right {
                    q.right.insert(*question);
                    q.wrong.remove(question);
                } else if !q.right.contains(question) {
                    q.wrong.insert(*question);
                }
                None
            }
        }
    }

    /// Adds what `other` recorded: every completed scenario (the fewer commands wins) and every answer (a
    /// question answered right in either is right).
    pub fn merge(&mut self, other: &Progress) {
        for (id, s) in &other.scenarios {
            self.record(&Record::Scenario {
                id: id.clone(),
                commands: s.best,
            });
        }
        for (quiz, q) in &other.quizzes {
            for (set, right) in [(&q.wrong, false), (&q.right, true)] {
                for question in set {
                    self.record(&Record::Answer {
                        quiz: quiz.clone(),
                        question: *question,
                        right,
                    });
                }
            }
        }
    }

    /// The fewest commands scenario `id` took, when it is done.
    pub fn best(&self, id: &str) -> Option<usize> {
        self.scenarios.get(id).map(|s| s.best)
    }

    /// How many of quiz `id`'s questions were answered right, counting only indexes below `total` (a quiz
    /// that lost questions since must not report 22 of 21).
    pub fn right(&self, id: &str, total: usize) -> usize {
        self.quizzes
            .get(id)
            .map_or(0, |q| q.right.range(..total).count())
    }

    /// The progress file's text.
    ///
    /// # Format (`progress.json`, `format_version` 1)
    ///
    /// ```json
    /// {
    ///   "format_version": 1,
    ///   "scenarios": { "stale-image-level": { "best": 4 } },
    ///   "quizzes": { "sharing-images": { "right": [0, 2], "wrong": [1] } }
    /// }
    /// ```
    ///
    /// - `format_version`: always first; a file with a newer version is set aside, not overwritten.
    /// - `scenarios`: completed scenarios by id, `best` being the fewest commands the learner needed.
    /// - `quizzes`: by quiz id, the 0-based indexes of the questions answered `right` at least once, and of
    ///   those answered but only ever `wrong`.
    ///
    /// Unknown fields are ignored when reading, so a file edited by hand or by a later 1.x stays readable.
    pub fn to_json(&self) -> String {
        let contents = FileContents {
            format_version: FORMAT_VERSION,
            progress: self.clone(),
        };
        // Maps with string keys and sets of numbers always serialise; the fallback is never taken.
        let mut text = serde_json::to_string_pretty(&contents).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a progress file's text.
    pub fn from_json(text: &str) -> Result<Progress, Unreadable> {
        let header: Header =
            serde_json::from_str(text).map_err(|e| Unreadable::Invalid { why: e.to_string() })?;
        if header.format_version > FORMAT_VERSION {
            return Err(Unreadable::Newer {
                version: header.format_version,
            });
        }
        let contents: FileContents =
            serde_json::from_str(text).map_err(|e| Unreadable::Invalid { why: e.to_string() })?;
        Ok(contents.progress)
    }
}

/// Why a progress file was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not JSON, or not progress.
    Invalid { why: String },
    /// Written by a newer dockdrill.
    Newer { version: u32 },
    /// The file could not be read at all.
    Io { why: String },
}

impl Unreadable {
    /// What is wrong, as the learner is told (`is not a progress file (…)`).
    pub fn describe(&self) -> String {
        match self {
            Unreadable::Invalid { why } => format!("is not a progress file ({why})"),
            Unreadable::Newer { version } => {
                format!("has format version {version}: it needs a newer dockdrill")
            }
            Unreadable::Io { why } => format!("cannot be read ({why})"),
        }
    }

    /// The suffix of the set-aside copy.
    pub fn suffix(&self) -> &'static str {
        match self {
            Unreadable::Newer { .. } => "newer",
            Unreadable::Invalid { .. } | Unreadable::Io { .. } => "corrupt",
        }
    }
}

/// Where progress is saved. The session only knows this trait, so it stays free of I/O in tests.
pub trait Store {
    /// Saves `progress`; returns a message for the learner the first time saving fails.
    fn save(&mut self, progress: &Progress) -> Option<String>;
}

/// The progress file in the data directory.
#[derive(Debug)]
pub struct ProgressFile {
    dir: DataDir,
    /// An unreadable file that could not be set aside: never overwrite it.
    blocked: bool,
}

impl ProgressFile {
    /// Opens the progress file in `dir`: the progress read from it (empty for a first start) and, when the
    /// file could not be used, a message saying so. An unusable file is renamed to
    /// `progress.json.corrupt-N` (or `.newer-N` for a newer format) so nothing the learner achieved is lost;
    /// if even that fails, saving is turned off rather than overwrite it.
    pub fn open(dir: DataDir) -> (ProgressFile, Progress, Option<String>) {
        let mut file = ProgressFile {
            dir,
            blocked: false,
        };
        let Some(path) = file.dir.file(FILE_NAME) else {
            return (file, Progress::default(), None);
        };
        // No file (or no folder, or a file where the folder should be): a first start. Saving will say
        // whatever is wrong with the folder.
        let Ok(meta) = std::fs::metadata(&path) else {
            return (file, Progress::default(), None);
        };
        let problem = if meta.is_dir() {
            Unreadable::Io {
                why: "it is a folder".into(),
            }
        } else {
            match read_file(&path) {
                Ok(p) => return (file, p, None),
                Err(e) => e,
            }
        };
        let message = match set_aside(&path, problem.suffix()) {
            Ok(backup) => format!(
                "`{FILE_NAME}` {}: kept as `{backup}`, starting afresh",
                problem.describe()
            ),
            Err(why) => {
                file.blocked = true;
                format!(
                    "`{FILE_NAME}` {} and cannot be set aside ({why}): progress will not be saved this session",
                    problem.describe()
                )
            }
        };
        (file, Progress::default(), Some(message))
    }
}

impl Store for ProgressFile {
    /// Saves under the data folder's lock, merged with what the file holds at that moment: another
    /// session's answers and completed levels are kept (the best count wins, an answer right anywhere is
    /// right). A file that became unreadable meanwhile is set aside first, never overwritten.
    fn save(&mut self, progress: &Progress) -> Option<String> {
        if self.blocked {
            return None;
        }
        let path = self.dir.file(FILE_NAME);
        self.dir
            .update(FILE_NAME, |_| {
                let mut merged = progress.clone();
                if let Some(path) = &path
                    && std::fs::symlink_metadata(path).is_ok()
                {
                    match read_file(path) {
                        Ok(on_disk) => merged.merge(&on_disk),
                        Err(problem) => {
                            let _ = set_aside(path, problem.suffix());
                        }
                    }
                }
                merged.to_json().into_bytes()
            })
            .map(|m| format!("progress: {m}"))
    }
}

/// The largest progress file read; a bigger one is set aside like a corrupt one (a real one is a few KB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads and parses the progress file: a regular file of at most [`MAX_FILE_BYTES`].
fn read_file(path: &Path) -> Result<Progress, Unreadable> {
    match crate::safe_fs::read_regular(path, MAX_FILE_BYTES, true) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Progress::from_json(&text),
            Err(_) => Err(Unreadable::Invalid {
                why: "it is not UTF-8 text".into(),
            }),
        },
        Err(crate::safe_fs::ReadError::TooLarge { limit }) => Err(Unreadable::Io {
            why: format!("it is larger than {limit} bytes"),
        }),
        Err(e) => Err(Unreadable::Io {
            why: e.to_string().to_lowercase(),
        }),
    }
}

/// Renames `path` to the first free `NAME.SUFFIX-N` beside it; returns the new file name.
fn set_aside(path: &Path, suffix: &str) -> Result<String, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 1..=MAX_BACKUPS {
        let backup = format!("{name}.{suffix}-{n}");
        let target = path.with_file_name(&backup);
        if std::fs::symlink_metadata(&target).is_ok() {
            continue;
        }
        return std::fs::rename(path, &target)
            .map(|()| backup)
            .map_err(|e| e.to_string().to_lowercase());
    }
    Err(format!("`{name}.{suffix}-1` to `-{MAX_BACKUPS}` all exist"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn temp(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("dockdrill-progress-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_file(&dir);
        dir
    }

    #[test]
    fn records_keep_the_best() {
        let mut p = Progress::default();
        assert!(p.is_empty());
        let done = |n| Record::Scenario {
            id: "level".into(),
            commands: n,
        };
        assert_eq!(p.record(&done(7)), None);
        assert_eq!(p.record(&done(9)), None);
        assert_eq!(p.best("level"), Some(7));
        assert_eq!(p.record(&done(4)), Some(7));
        assert_eq!(p.best("level"), Some(4));
        let answer = |question, right| Record::Answer {
            quiz: "q".into(),
            question,
            right,
        };
        p.record(&answer(0, false));
        p.record(&answer(1, true));
        p.record(&answer(1, false));
        p.record(&answer(0, true));
        p.record(&answer(5, true));
        assert_eq!(p.right("q", 21), 3);
        assert_eq!(p.right("q", 2), 2, "indexes past the end are not counted");
        assert!(p.quizzes["q"].wrong.is_empty());
        assert!(!p.is_empty());
    }

    #[test]
    fn json_round_trip_and_format() {
        let mut p = Progress::default();
        p.record(&Record::Scenario {
            id: "first-image".into(),
            commands: 6,
        });
        p.record(&Record::Answer {
            quiz: "sharing-images".into(),
            question: 2,
            right: true,
        });
        let text = p.to_json();
        assert!(
            text.starts_with("{\n  \"format_version\": 1,\n  \"scenarios\": {"),
            "{text}"
        );
        assert_eq!(Progress::from_json(&text), Ok(p));
        // Unknown fields are tolerated; missing sections are empty.
        assert_eq!(
            Progress::from_json(r#"{"format_version": 1, "later": true}"#),
            Ok(Progress::default())
        );
    }

    #[test]
    fn bad_files_are_named() {
        assert!(matches!(
            Progress::from_json("{\"format_version\": 2}"),
            Err(Unreadable::Newer { version: 2 })
        ));
        assert!(matches!(
            Progress::from_json("not json"),
            Err(Unreadable::Invalid { .. })
        ));
        assert!(matches!(
            Progress::from_json("{\"scenarios\": {}}"),
            Err(Unreadable::Invalid { .. })
        ));
        assert!(matches!(
            Progress::from_json(r#"{"format_version": 1, "scenarios": {"x": {"best": "many"}}}"#),
            Err(Unreadable::Invalid { .. })
        ));
    }

    #[test]
    fn a_corrupt_file_is_set_aside_once() {
        let dir = temp("corrupt");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(FILE_NAME), "{ garbage");
        let _ = std::fs::write(dir.join("progress.json.corrupt-1"), "an older one");
        let (mut file, p, message) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        assert!(p.is_empty());
        let message = message.unwrap_or_default();
        assert!(
            message.starts_with("`progress.json` is not a progress file (")
                && message.ends_with("): kept as `progress.json.corrupt-2`, starting afresh"),
            "{message}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("progress.json.corrupt-2")).ok(),
            Some("{ garbage".into())
        );
        assert_eq!(file.save(&p), None);
        let (_, again, message) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        assert_eq!((again, message), (Progress::default(), None));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_newer_file_is_kept_under_its_own_name() {
        let dir = temp("newer");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(FILE_NAME), "{\"format_version\": 9}");
        let (_, _, message) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        assert_eq!(
            message.as_deref(),
            Some(
                "`progress.json` has format version 9: it needs a newer dockdrill: kept as `progress.json.newer-1`, starting afresh"
            )
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unwritable_folder_only_turns_saving_off() {
        let dir = temp("blocked");
        let _ = std::fs::write(&dir, "a file where the folder should be");
        let (mut file, p, message) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        assert_eq!(message, None);
        let first = file.save(&p).unwrap_or_default();
        assert!(
            first.starts_with("progress: cannot write")
                && first.ends_with("saving disabled for this session"),
            "{first}"
        );
        assert_eq!(file.save(&p), None, "said once");
        let _ = std::fs::remove_file(&dir);
    }

    #[test]
    fn a_folder_in_the_way_is_never_overwritten() {
        let dir = temp("folder");
        let _ = std::fs::create_dir_all(dir.join(FILE_NAME));
        let (_, _, message) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        let message = message.unwrap_or_default();
        assert!(
            message.contains("cannot be read (it is a folder): kept as `progress.json.corrupt-1`"),
            "{message}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
