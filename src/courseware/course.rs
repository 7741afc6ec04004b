//! Courses: a folder of scenarios and quizzes, in the order a learner meets them. A folder holds them in
//! `scenarios/` and `quizzes/` (as this repository does) or as YAML files of its own; an optional
//! `course.yaml` gives the order (quizzes placed after the lessons they test) and titles for the listing.
//! Files it does not name come after the ones it does, in name order, so a new file is never left out.
//!
//! ```yaml
//! format_version: 1
//! title: Docker images, built, run and shared
//! order:
//!   - first-image                       # a scenario or quiz, by file name without `.yaml`
//!   - { name: containers, title: "Quiz: images and containers" }
//! ```

use super::check::{self, FileKind};
use super::diagnostic::{CourseError, CourseErrorKind, Pos, suggest};
use super::setup;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};

/// The name of the file that orders a course folder.
pub const COURSE_FILE: &str = "course.yaml";

/// `course.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseFile {
    format_version: Option<Spanned<u32>>,
    title: Option<String>,
    #[serde(default)]
    order: Vec<Spanned<OrderItem>>,
}

/// One entry of `order`: a name, or a name with the title the listing shows.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OrderItem {
    Name(String),
    Titled { name: String, title: String },
}

/// One course file found in a folder, not loaded yet.
#[derive(Clone, Debug)]
pub struct CourseItem {
    pub kind: FileKind,
    /// The file name without `.yaml`: how the learner names it (`play first-image`).
    pub name: String,
    /// Where it is, as messages name it.
    pub path: PathBuf,
    /// A title for the listing from `course.yaml`, when it gives one.
    pub title: Option<String>,
}

/// A course: its title and its files in order.
#[derive(Clone, Debug, Default)]
pub struct CourseOrder {
    pub title: Option<String>,
    pub items: Vec<CourseItem>,
}

/// The course files of `dir`: its `scenarios/` and `quizzes/` when it has either, else its own `*.yaml`
/// files (`course.yaml` aside), each with its kind; sorted by name within each folder.
pub fn files_of(dir: &Path) -> Result<Vec<(FileKind, PathBuf)>, CourseError> {
    let subfolders = [dir.join("scenarios"), dir.join("quizzes")];
    let folders: Vec<&PathBuf> = subfolders.iter().filter(|d| d.is_dir()).collect();
    let mut out = Vec::new();
    let read = |d: &Path| -> Result<Vec<PathBuf>, CourseError> {
        let entries = std::fs::read_dir(d).map_err(|e| {
            CourseError::file(
                d,
                CourseErrorKind::Io {
                    message: e.to_string().to_lowercase(),
                },
            )
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && is_course_file(p))
            .collect();
        files.sort();
        Ok(files)
    };
    if folders.is_empty() {
        for path in read(dir)? {
            let kind = match setup::read_source(&path) {
                Ok(text) => check::kind_of(&text),
                Err(_) => FileKind::Scenario,
            };
            out.push((kind, path));
        }
    } else {
        for (folder, kind) in subfolders.iter().zip([FileKind::Scenario, FileKind::Quiz]) {
            if folder.is_dir() {
                out.extend(read(folder)?.into_iter().map(|p| (kind, p)));
            }
        }
    }
    Ok(out)
}

/// A scenario or quiz file (`*.yaml`, `*.yml`), not the folder's `course.yaml`.
pub fn is_course_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "yaml" || x == "yml")
        && path.file_name().is_some_and(|n| n != COURSE_FILE)
}

/// The file name without its extension.
pub fn name_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Orders `files` as the `course.yaml` text says (`course` names it in messages); with no text, scenarios
/// first, then quizzes, each by name. Every problem is returned (an unknown or repeated name, bad YAML).
pub fn order(
    course: Option<(&Path, &str)>,
    files: Vec<(FileKind, PathBuf)>,
) -> Result<CourseOrder, Vec<CourseError>> {
    let mut rest: Vec<CourseItem> = files
        .into_iter()
        .map(|(kind, path)| CourseItem {
            kind,
            name: name_of(&path),
            path,
            title: None,
        })
        .collect();
    rest.sort_by_key(|i| i.kind == FileKind::Quiz);
    let Some((file, text)) = course else {
        return Ok(CourseOrder {
            title: None,
            items: rest,
        });
    };
    let raw: CourseFile = setup::parse(file, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    if let Some(v) = &raw.format_version
        && v.value > super::FORMAT_VERSION
    {
        return Err(vec![CourseError::at(
            file,
            Pos::of(&v.referenced),
            "format_version",
            CourseErrorKind::NewerFormat { version: v.value },
        )]);
    }
    let names: Vec<String> = rest.iter().map(|i| i.name.clone()).collect();
    let mut items = Vec::new();
    for (i, entry) in raw.order.iter().enumerate() {
        let (name, title) = match &entry.value {
            OrderItem::Name(n) => (n.clone(), None),
            OrderItem::Titled { name, title } => (name.clone(), Some(title.clone())),
        };
        let pos = Pos::of(&entry.referenced);
        let found: Vec<usize> = (0..rest.len()).filter(|j| rest[*j].name == name).collect();
        match found.as_slice() {
            [j] => {
                let mut item = rest.remove(*j);
                item.title = title;
                items.push(item);
            }
            [] => {
                let message = if items.iter().any(|it: &CourseItem| it.name == name) {
                    format!("`{name}` is listed twice")
                } else {
                    let hint = suggest(&name, names.iter().map(String::as_str))
                        .map(|s| format!(", did you mean `{s}`?"))
                        .unwrap_or_default();
                    format!("no scenario or quiz `{name}` in this course{hint}")
                };
                errors.push(CourseError::at(
                    file,
                    pos,
                    format!("order[{i}]"),
                    CourseErrorKind::Invalid { message },
                ));
            }
            _ => errors.push(CourseError::at(
                file,
                pos,
                format!("order[{i}]"),
                CourseErrorKind::Invalid {
                    message: format!(
                        "both a scenario and a quiz are named `{name}`: rename one of the files"
                    ),
                },
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    items.extend(rest);
    Ok(CourseOrder {
        title: raw.title,
        items,
    })
}

/// Reads a course folder: its files and the order its `course.yaml` (if any) gives them.
pub fn read_folder(dir: &Path) -> Result<CourseOrder, Vec<CourseError>> {
    let files = files_of(dir).map_err(|e| vec![e])?;
    let course = dir.join(COURSE_FILE);
    if course.is_file() {
        let text = setup::read_source(&course).map_err(|e| vec![e])?;
        order(Some((&course, &text)), files)
    } else {
        order(None, files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(FileKind, PathBuf)> {
        vec![
            (FileKind::Scenario, PathBuf::from("scenarios/b-second.yaml")),
            (FileKind::Scenario, PathBuf::from("scenarios/a-first.yaml")),
            (FileKind::Quiz, PathBuf::from("quizzes/basics.yaml")),
            (FileKind::Scenario, PathBuf::from("scenarios/new-one.yaml")),
        ]
    }

    #[test]
    fn course_yaml_orders_and_titles_and_unlisted_files_come_last() {
        let text =
            "title: T\norder:\n  - b-second\n  - { name: basics, title: Quiz one }\n  - a-first\n";
        let order = order(Some((Path::new("course.yaml"), text)), files())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let names: Vec<&str> = order.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["b-second", "basics", "a-first", "new-one"]);
        assert_eq!(order.items[1].title.as_deref(), Some("Quiz one"));
        assert_eq!(order.title.as_deref(), Some("T"));
    }

    #[test]
    fn an_unknown_name_is_an_error_with_a_suggestion() {
        let text = "order:\n  - a-frist\n";
        let errors = order(Some((Path::new("course.yaml"), text)), files())
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "course.yaml:2:5: `order[0]`: no scenario or quiz `a-frist` in this course, did you mean `a-first`?"
            ]
        );
    }

    #[test]
    fn without_course_yaml_scenarios_come_first() {
        let order = order(None, files()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(order.items.last().map(|i| i.kind), Some(FileKind::Quiz));
    }
}
