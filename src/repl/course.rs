//! The courseware the REPL offers: the shipped scenarios and quizzes, compiled into the binary so an installed
//! `dockdrill` has its lessons wherever it runs, plus any file the learner names (`play ./mine.yaml`).
//!
//! Files are loaded on first use, not at start-up: a session that never opens a lesson pays nothing, and a
//! broken file (impossible for shipped ones, which `dockdrill check` and the tests verify) only fails the
//! command that asked for it.

use crate::courseware::{self, Quiz, Scenario};
use std::cell::OnceCell;
use std::path::{Path, PathBuf};

/// One shipped file: its name, its text and, once asked for, what loading it gave.
struct Entry<T> {
    /// The file name without `.yaml`; shipped files use it as their id.
    name: &'static str,
    text: &'static str,
    loaded: OnceCell<Result<T, String>>,
}

impl<T> Entry<T> {
    const fn new(name: &'static str, text: &'static str) -> Entry<T> {
        Entry {
            name,
            text,
            loaded: OnceCell::new(),
        }
    }
}

macro_rules! shipped {
    ($dir:literal: $($name:literal),* $(,)?) => {
        vec![$(Entry::new($name, include_str!(concat!("../../", $dir, "/", $name, ".yaml")))),*]
    };
}

/// The shipped scenarios and quizzes, in the order a learner meets them.
pub struct Course {
    scenarios: Vec<Entry<Scenario>>,
    quizzes: Vec<Entry<Quiz>>,
}

impl Default for Course {
    fn default() -> Course {
        Course::shipped()
    }
}

impl Course {
    /// The courseware compiled into dockdrill: the first image, then containers, tags and the build cache,
    /// layers, then sharing between machines and registries, ending with the level that makes the stale-image
    /// rule happen.
    pub fn shipped() -> Course {
        Course {
            scenarios: shipped!("scenarios":
                "first-image",
                "rm-flag",
                "tags-as-versions",
                "build-cache",
                "layer-sharing",
                "rmi-and-dangling",
                "logins",
                "private-repos",
                "two-machines",
                "private-registry",
                "company-registry",
                "stale-image-level",
            ),
            quizzes: shipped!("quizzes": "sharing-images"),
        }
    }

    /// A course with nothing in it (unit tests of the plumbing).
    pub fn empty() -> Course {
        Course {
            scenarios: Vec::new(),
            quizzes: Vec::new(),
        }
    }

    /// The shipped scenarios' names, in order.
    pub fn scenario_names(&self) -> Vec<&'static str> {
        self.scenarios.iter().map(|e| e.name).collect()
    }

    /// The shipped quizzes' names, in order.
    pub fn quiz_names(&self) -> Vec<&'static str> {
        self.quizzes.iter().map(|e| e.name).collect()
    }

    /// The `i`-th shipped scenario, loaded.
    pub fn scenario_at(&self, i: usize) -> Option<Result<&Scenario, String>> {
        self.scenarios.get(i).map(|e| {
            e.loaded
                .get_or_init(|| {
                    courseware::scenario::load_scenario_text(
                        &shipped_path("scenarios", e.name),
                        e.text,
                    )
                    .map_err(first_error)
                })
                .as_ref()
                .map_err(Clone::clone)
        })
    }

    /// The `i`-th shipped quiz, loaded.
    pub fn quiz_at(&self, i: usize) -> Option<Result<&Quiz, String>> {
        self.quizzes.get(i).map(|e| {
            e.loaded
                .get_or_init(|| {
                    courseware::quiz::load_quiz_text(&shipped_path("quizzes", e.name), e.text)
                        .map_err(first_error)
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

/// Where a shipped file lives in the source tree (its messages name it so).
fn shipped_path(dir: &str, name: &str) -> PathBuf {
    Path::new(dir).join(format!("{name}.yaml"))
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
                .is_err_and(|e| e.contains("numbered 1 to 12"))
        );
        assert_eq!(
            course.find_quiz("").map(|q| q.id),
            Ok("sharing-images".into())
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
