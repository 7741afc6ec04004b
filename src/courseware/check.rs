//! `dockdrill check`: validates course files and proves them against the simulator — scenarios replay to
//! their expectations and their goals are reachable (and not already reached); quiz keys are computed and
//! compared with any written key. One line per file, the reasons under a failing one, then a summary.

use super::diagnostic::{CourseError, CourseErrorKind};
use super::{quiz, scenario, setup};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Scenario,
    Quiz,
    /// A folder's `course.yaml`, which orders its scenarios and quizzes.
    Course,
}

/// The result of checking one file.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub kind: FileKind,
    /// An id, when the file loaded far enough to have one.
    pub id: Option<String>,
    pub errors: Vec<CourseError>,
}

/// The folders `check` reads when given no paths.
pub const DEFAULT_PATHS: [&str; 2] = ["scenarios", "quizzes"];

/// Files never nested deeper than this inside a folder given to `check`.
const MAX_DIR_DEPTH: usize = 8;

/// A quiz has a top-level `questions:` key; anything else is read as a scenario.
pub fn kind_of(text: &str) -> FileKind {
    if text.lines().any(|l| l.starts_with("questions:")) {
        FileKind::Quiz
    } else {
        FileKind::Scenario
    }
}

/// The `.yaml`/`.yml` files under `paths` (folders are searched; files are taken as given), sorted.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<CourseError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let (mut found, walk_errors) = walk(p);
            found.sort();
            files.extend(found);
            errors.extend(walk_errors);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            errors.push(CourseError::file(
                p,
                CourseErrorKind::Io {
                    message: "no such file or folder".into(),
                },
            ));
        }
    }
    (files, errors)
}

/// The course files under folder `root`: links are never followed (a link to `.` would make the walk
/// endless, a link to a secret would put it in a CI log), at most [`MAX_DIR_DEPTH`] folders deep and
/// [`crate::limits::MAX_CHECK_ENTRIES`] entries in all.
fn walk(root: &Path) -> (Vec<PathBuf>, Vec<CourseError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut seen = 0usize;
    let mut stack = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > crate::limits::MAX_CHECK_ENTRIES {
                errors.push(CourseError::file(
                    root,
                    CourseErrorKind::Io {
                        message: format!(
                            "more than {} files and folders; `dockdrill check` looks at no more",
                            crate::limits::MAX_CHECK_ENTRIES
                        ),
                    },
                ));
                return (found, errors);
            }
            let path = e.path();
            let Ok(kind) = e.file_type() else { continue };
            let course_file = super::course::is_course_file(&path);
            if kind.is_dir() {
                if depth < MAX_DIR_DEPTH {
                    stack.push((path, depth + 1));
                }
            } else if kind.is_symlink() {
                if course_file {
                    errors.push(CourseError::file(
                        &path,
                        CourseErrorKind::Io {
                            message: "it is a symbolic link; `check` follows links only when they are named on its command line".into(),
                        },
                    ));
                }
            } else if course_file {
                found.push(path);
            }
        }
    }
    (found, errors)
}

/// Checks one file: load (which validates and computes quiz keys), then replay what it claims.
pub fn check_file(path: &Path) -> FileReport {
    let text = match setup::read_source(path) {
        Ok(t) => t,
        Err(e) => {
            return FileReport {
                path: path.to_path_buf(),
                kind: FileKind::Scenario,
                id: None,
                errors: vec![e],
            };
        }
    };
    let kind = if path
        .file_name()
        .is_some_and(|n| n == super::course::COURSE_FILE)
    {
        FileKind::Course
    } else {
        kind_of(&text)
    };
    let (id, errors) = match kind {
        FileKind::Quiz => match quiz::load_quiz_all(path) {
            Ok(q) => (Some(q.id), Vec::new()),
            Err(e) => (None, e),
        },
        FileKind::Course => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            (
                None,
                super::course::read_folder(dir).err().unwrap_or_default(),
            )
        }
        FileKind::Scenario => match scenario::load_scenario_all(path) {
            Ok(s) => (Some(s.id.clone()), s.verify()),
            Err(e) => (None, e),
        },
    };
    let mut errors = errors;
    errors.extend(super::sanitize::problems(path, &text));
    errors.extend(not_simulated_uses(path, &text));
    FileReport {
        path: path.to_path_buf(),
        kind,
        id,
        errors,
    }
}

/// Courseware must not teach with a real docker command dockdrill does not simulate (`docker network
/// create`, `docker compose up`): the learner would see a note instead of Docker's behaviour. Every
/// `docker …` command written in the file is parsed; one the simulator marks as not simulated is an error
/// at its line.
fn not_simulated_uses(path: &Path, text: &str) -> Vec<CourseError> {
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("docker ") {
            let column = line.len() - rest.len() + at;
            let tail = &rest[at..];
            let end = tail.find(['"', ',', ']', '#']).unwrap_or(tail.len());
            let cmd = tail[..end].trim_end_matches(['\'', ' ']);
            if let Ok(words) = crate::command::shell_words::split(cmd)
                && let Ok(inv) = crate::command::parse(&words, &[])
                && let crate::command::Command::NotSimulated { path: cmd_path } = inv.command
            {
                errors.push(CourseError::at(
                    path,
                    super::diagnostic::Pos {
                        line: n + 1,
                        column: column + 1,
                    },
                    String::new(),
                    CourseErrorKind::Invalid {
                        message: format!(
                            "`docker {cmd_path}` is a real Docker command that dockdrill does not simulate"
                        ),
                    },
                ));
            }
            rest = &tail["docker ".len()..];
        }
    }
    errors
}

/// Checks a folder's `course.yaml`: it parses, and every name it lists is a file of the folder.
fn check_course_file(dir: &Path) -> Option<FileReport> {
    let path = dir.join(super::course::COURSE_FILE);
    if !path.is_file() {
        return None;
    }
    let errors = super::course::read_folder(dir).err().unwrap_or_default();
    Some(FileReport {
        path,
        kind: FileKind::Course,
        id: None,
        errors,
    })
}

/// Checks every file under `paths` (the default folders and `course.yaml` when empty). Ids must be unique
/// per kind. A folder given with a `course.yaml` has that file checked too.
pub fn check_paths(paths: &[PathBuf]) -> Vec<FileReport> {
    let (paths, courses): (Vec<PathBuf>, Vec<PathBuf>) = if paths.is_empty() {
        (
            DEFAULT_PATHS.iter().map(PathBuf::from).collect(),
            vec![PathBuf::from(".")],
        )
    } else {
        (
            paths.to_vec(),
            paths.iter().filter(|p| p.is_dir()).cloned().collect(),
        )
    };
    let (files, missing) = collect(&paths);
    let mut reports: Vec<FileReport> = missing
        .into_iter()
        .map(|e| FileReport {
            path: e.file.clone(),
            kind: FileKind::Scenario,
            id: None,
            errors: vec![e],
        })
        .collect();
    let mut seen: BTreeMap<(bool, String), PathBuf> = BTreeMap::new();
    for f in files {
        let mut report = check_file(&f);
        if let Some(id) = &report.id {
            let key = (report.kind == FileKind::Quiz, id.clone());
            if let Some(other) = seen.get(&key) {
                report.errors.push(CourseError::file(
                    &f,
                    CourseErrorKind::DuplicateId {
                        id: id.clone(),
                        other: other.clone(),
                    },
                ));
            } else {
                seen.insert(key, f.clone());
            }
        }
        reports.push(report);
    }
    for dir in courses {
        if let Some(mut report) = check_course_file(&dir) {
            // `./course.yaml` reads as `course.yaml`, as the default folders do.
            if let Ok(short) = report.path.strip_prefix(".") {
                report.path = short.to_path_buf();
            }
            reports.push(report);
        }
    }
    reports
}

/// The report as printed: a line per file, reasons indented under failures, a summary. The flag says
/// whether everything passed.
pub fn render(reports: &[FileReport]) -> (String, bool) {
    let mut out = String::new();
    let mut failed = 0;
    for r in reports {
        if r.errors.is_empty() {
            let _ = writeln!(out, "ok      {}", r.path.display());
        } else {
            failed += 1;
            let _ = writeln!(out, "FAILED  {}", r.path.display());
            for e in &r.errors {
                let _ = writeln!(out, "  {e}");
            }
        }
    }
    let total = reports.len();
    if total == 0 {
        out.push_str("no course files found (looked for *.yaml and *.yml)\n");
        return (out, false);
    }
    let files = if total == 1 { "file" } else { "files" };
    let _ = writeln!(
        out,
        "checked {total} {files}: {} ok, {failed} failed",
        total - failed
    );
    (out, failed == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn courseware_using_a_command_that_is_not_simulated_is_refused() {
        let text = "steps:\n  - run: \"docker system events\"\n  - run: docker ps\n  - run: \"laptop$ docker save -o a.tar x\"\n";
        let errors = not_simulated_uses(Path::new("s.yaml"), text);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].message().contains("`docker system events`"));
    }
}
