//! The courseware the REPL offers: a course of scenarios and quizzes in order, plus any file the learner
//! names (`play ./mine.yaml`). The default is the shipped course, compiled into the binary so an installed
//! `dockdrill` has its lessons wherever it runs: `build.rs` lists every file of `scenarios/` and `quizzes/`
//! when building, and `course.yaml` orders them, so a new file cannot be missing from `scenarios`.
//! `dockdrill repl --course DIR` offers an instructor's own folder instead ([`Course::from_dir`]).
//!
//! Files are loaded on first use, not at start-up: a session that never opens a lesson pays nothing, and a
//! broken file (impossible for shipped ones, which `dockdrill check` and the tests verify) only fails the
//! command that asked for it.

use crate::courseware::check::FileKind;
use crate::courseware::course::{self as order, CourseItem, CourseOrder};
use crate::courseware::{self, Quiz, Scenario};
use std::cell::OnceCell;
use std::path::{Path, PathBuf};

mod shipped {
    include!(concat!(env!("OUT_DIR"), "/shipped.rs"));
}

/// One course file: its name, where it is, its text and, once asked for, what loading it gave.
struct Entry<T> {
    /// The file name without `.yaml`: how the learner names it.
    name: String,
    /// A title for the listing that replaces the file's own (from `course.yaml`).
    title: Option<String>,
    path: PathBuf,
    text: String,
    /// How many scenarios come before it in the course (for a quiz: where the listing shows it).
    after: usize,
    loaded: OnceCell<Result<T, String>>,
}

impl<T> Entry<T> {
    fn new(
        name: String,
        title: Option<String>,
        path: PathBuf,
        text: String,
        after: usize,
        error: Option<String>,
    ) -> Entry<T> {
        let loaded = OnceCell::new();
        if let Some(e) = error {
            let _ = loaded.set(Err(e));
        }
        Entry {
            name,
            title,
            path,
            text,
            after,
            loaded,
        }
    }
}

/// A course's scenarios and quizzes, in the order a learner meets them.
pub struct Course {
    title: Option<String>,
    scenarios: Vec<Entry<Scenario>>,
    quizzes: Vec<Entry<Quiz>>,
}

impl Default for Course {
    fn default() -> Course {
        Course::shipped()
    }
}

impl Course {
    /// The courseware compiled into dockdrill, in the order `course.yaml` gives.
    pub fn shipped() -> Course {
        let files: Vec<(FileKind, PathBuf)> = shipped::SHIPPED
            .iter()
            .map(|(dir, name, _)| {
                let kind = if *dir == "quizzes" {
                    FileKind::Quiz
                } else {
                    FileKind::Scenario
                };
                (kind, Path::new(dir).join(format!("{name}.yaml")))
            })
            .collect();
        let order = order::order(
            Some((Path::new(order::COURSE_FILE), shipped::SHIPPED_ORDER)),
            files.clone(),
        )
        .or_else(|_| order::order(None, files))
        .unwrap_or_default();
        Course::from_order(order, |path| {
            shipped::SHIPPED
                .iter()
                .find(|(dir, name, _)| Path::new(dir).join(format!("{name}.yaml")) == path)
                .map(|(_, _, text)| (*text).to_string())
                .ok_or_else(|| "not compiled in".to_string())
        })
    }

    /// The course in folder `dir` (its `scenarios/` and `quizzes/`, or its own YAML files, ordered by its
    /// `course.yaml` if it has one). Files are read now and loaded when first asked for.
    pub fn from_dir(dir: &Path) -> Result<Course, String> {
        let order = order::read_folder(dir).map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        if order.items.is_empty() {
            return Err(format!(
                "{}: no scenarios or quizzes here (looked for scenarios/*.yaml, quizzes/*.yaml and *.yaml)",
                dir.display()
            ));
        }
        Ok(Course::from_order(order, |path| {
            courseware::setup::read_source(path).map_err(|e| e.to_string())
        }))
    }

    fn from_order(order: CourseOrder, read: impl Fn(&Path) -> Result<String, String>) -> Course {
        let mut course = Course::empty();
        course.title = order.title;
        for CourseItem {
            kind,
            name,
            path,
            title,
        } in order.items
        {
            let (text, error) = match read(&path) {
                Ok(text) => (text, None),
                Err(e) => (String::new(), Some(e)),
            };
            let after = course.scenarios.len();
            match kind {
                FileKind::Quiz => course
                    .quizzes
                    .push(Entry::new(name, title, path, text, after, error)),
                FileKind::Scenario | FileKind::Course => course
                    .scenarios
                    .push(Entry::new(name, title, path, text, after, error)),
            }
        }
        course
    }

    /// A course with nothing in it (unit tests of the plumbing).
    pub fn empty() -> Course {
        Course {
            title: None,
            scenarios: Vec::new(),
            quizzes: Vec::new(),
        }
    }

    /// The course's title, when its `course.yaml` gives one.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The scenarios' names, in order.
    pub fn scenario_names(&self) -> Vec<&str> {
        self.scenarios.iter().map(|e| e.name.as_str()).collect()
    }

    /// The quizzes' names, in order.
    pub fn quiz_names(&self) -> Vec<&str> {
        self.quizzes.iter().map(|e| e.name.as_str()).collect()
    }

    /// The title the listing shows for the `i`-th scenario, when the course gives one.
    pub fn scenario_title(&self, i: usize) -> Option<&str> {
        self.scenarios.get(i).and_then(|e| e.title.as_deref())
    }

    /// The title the listing shows for the `i`-th quiz, when the course gives one.
    pub fn quiz_title(&self, i: usize) -> Option<&str> {
        self.quizzes.get(i).and_then(|e| e.title.as_deref())
    }

    /// The quizzes (indexes) the course places right after its first `n` scenarios.
    pub fn quizzes_after(&self, n: usize) -> Vec<usize> {
        (0..self.quizzes.len())
            .filter(|q| self.quizzes[*q].after == n)
            .collect()
    }

    /// The `i`-th scenario, loaded.
    pub fn scenario_at(&self, i: usize) -> Option<Result<&Scenario, String>> {
        self.scenarios.get(i).map(|e| {
            e.loaded
                .get_or_init(|| {
                    courseware::scenario::load_scenario_text(&e.path, &e.text).map_err(first_error)
                })
                .as_ref()
                .map_err(Clone::clone)
        })
    }

    /// The `i`-th quiz, loaded.
    pub fn quiz_at(&self, i: usize) -> Option<Result<&Quiz, String>> {
        self.quizzes.get(i).map(|e| {
            e.loaded
                .get_or_init(|| {
                    courseware::quiz::load_quiz_text(&e.path, &e.text).map_err(first_error)
                })
                .as_ref()
                .map_err(Clone::clone)
        })
    }

    /// Finds a scenario by name, by its number in `scenarios` (1-based), or as a `.yaml` file to load.
    pub fn find_scenario(&self, name: &str) -> Result<Scenario, String> {
        if is_file_name(name) {
            return courseware::load_scenario(Path::new(name)).map_err(|e| e.to_string());
        }
        let index = match name.parse::<usize>() {
            Ok(n) if (1..=self.scenarios.len()).contains(&n) => Some(n - 1),
            Ok(_) => {
                return Err(format!(
                    "there is no scenario {name}: they are numbered 1 to {}",
                    self.scenarios.len()
                ));
            }
            Err(_) => self.scenarios.iter().position(|e| e.name == name),
        };
        match index.and_then(|i| self.scenario_at(i)) {
            Some(loaded) => loaded.cloned(),
            None => Err(unknown("scenario", name, &self.scenario_names())),
        }
    }

    /// Finds a quiz by name, by number, or as a `.yaml` file; no name means the first quiz.
    pub fn find_quiz(&self, name: &str) -> Result<Quiz, String> {
        if is_file_name(name) {
            return courseware::load_quiz(Path::new(name)).map_err(|e| e.to_string());
        }
        let index = if name.is_empty() {
            Some(0)
        } else {
            match name.parse::<usize>() {
                Ok(n) if n >= 1 => Some(n - 1),
                _ => self.quizzes.iter().position(|e| e.name == name),
            }
        };
        match index.and_then(|i| self.quiz_at(i)) {
            Some(loaded) => loaded.cloned(),
            None if self.quizzes.is_empty() => Err("no quizzes are available".into()),
            None => Err(unknown("quiz", name, &self.quiz_names())),
        }
    }
}

fn first_error(mut errors: Vec<courseware::CourseError>) -> String {
    if errors.is_empty() {
        "cannot be loaded".into()
    } else {
        errors.swap_remove(0).to_string()
    }
}

/// Does the learner mean a file rather than a name?
fn is_file_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml") || name.contains('/')
}

fn unknown(what: &str, name: &str, names: &[&str]) -> String {
    let suggestion = courseware::diagnostic::suggest(name, names.iter().copied())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    format!("there is no {what} `{name}`{suggestion}: `scenarios` lists them")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_is_compiled_in_and_named_by_its_id() {
        let course = Course::shipped();
        for (dir, names) in [
            ("scenarios", course.scenario_names()),
            ("quizzes", course.quiz_names()),
        ] {
            let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
                .map(|r| {
                    r.filter_map(Result::ok)
                        .filter_map(|e| {
                            e.file_name()
                                .to_string_lossy()
                                .strip_suffix(".yaml")
                                .map(str::to_string)
                        })
                        .collect()
                })
                .unwrap_or_default();
            on_disk.sort();
            let mut listed: Vec<String> = names.iter().map(ToString::to_string).collect();
            listed.sort();
            assert_eq!(
                listed, on_disk,
                "every file in `{dir}/` is listed in `Course::shipped`"
            );
        }
        for i in 0..course.scenarios.len() {
            match course.scenario_at(i) {
                Some(Ok(s)) => assert_eq!(s.id, course.scenarios[i].name),
                other => panic!("scenario {i}: {:?}", other.map(|r| r.map(|s| s.id.clone()))),
            }
        }
        for i in 0..course.quizzes.len() {
            match course.quiz_at(i) {
                Some(Ok(q)) => assert_eq!(q.id, course.quizzes[i].name),
                other => panic!("quiz {i}: {:?}", other.map(|r| r.map(|q| q.id.clone()))),
            }
        }
    }

    #[test]
    fn finding_by_name_number_and_typo() {
        let course = Course::shipped();
        assert_eq!(
            course.find_scenario("1").map(|s| s.id),
            Ok("first-image".into())
        );
        assert_eq!(
            course.find_scenario("two-machines").map(|s| s.id),
            Ok("two-machines".into())
        );
        assert_eq!(
            course.find_scenario("two-machine").map(|s| s.id),
            Err("there is no scenario `two-machine` (did you mean `two-machines`?): `scenarios` lists them".into())
        );
        assert!(
            course
                .find_scenario("99")
                .is_err_and(|e| e.contains("numbered 1 to 30"))
        );
        assert_eq!(
            course.find_quiz("").map(|q| q.id),
            Ok("images-and-containers".into())
        );
        assert!(course.find_quiz("nope").is_err());
        assert!(
            course
                .find_scenario("./missing.yaml")
                .is_err_and(|e| e.starts_with("./missing.yaml: "))
        );
        assert_eq!(
            Course::empty().find_quiz("").map(|q| q.id),
            Err("no quizzes are available".into())
        );
    }
}
