//! Courseware: scenarios (lessons and goal levels) and quizzes written in YAML, whose claims the simulator
//! itself verifies. An instructor writes what happens; dockdrill replays it, so a lesson can never show Docker
//! output Docker would not print and a quiz key can never disagree with Docker.
//!
//! # API for front ends (the REPL)
//!
//! - [`load_scenario`]`(path) -> Result<`[`Scenario`]`, `[`CourseError`]`>`: a validated scenario with
//!   `id`, `title`, `summary`, `world` (the starting world, its `setup` already run), `steps`
//!   (narrative `text`, a `command` line and an `expect`ation each), `goal: Option<`[`Goal`]`>` and scripted
//!   events: [`Scenario::events_after`]`(n)` gives the script lines to run after the learner's `n`-th command.
//! - [`Goal`] has `predicates`, `hints` (from a nudge to the answer), the reference `solution` and its length
//!   `par`; [`Goal::missing`]`(&world)` describes what is not met yet and [`Goal::met`]`(&world)` says
//!   whether the level is done.
//! - [`load_quiz`]`(path) -> Result<`[`Quiz`]`, `[`CourseError`]`>`: `id`, `title` and `questions`; a
//!   [`Question`] has `prompt`, `world` (after the setup), `setup_transcript`, `options`
//!   ([`QuizOption`] `{ label, text, explanation, outcome }`), the simulator-computed `correct` indexes and an
//!   `explanation`; [`Question::is_correct`]`(&[usize])` checks a learner's choice. A `task` question has a
//!   `goal` instead of a key.
//! - [`check::check_paths`] is `dockdrill check`; [`schema::schema`] is `dockdrill schema`; [`text`] renders
//!   scenarios and quizzes as plain text (the replay transcript and the snapshot tests).
//!
//! # Formats
//!
//! Both formats are documented in `docs/courseware.md` and described by the JSON Schema `dockdrill schema`
//! prints. Parsing is two-stage: [`raw`] mirrors the YAML (unknown fields rejected, spans kept), then the
//! loaders validate it into the types above, so nothing downstream sees unchecked input.

pub mod check;
pub mod course;
pub mod diagnostic;
pub mod matcher;
pub mod predicate;
pub mod quiz;
pub mod raw;
pub mod scenario;
pub mod schema;
pub mod setup;
pub mod text;

pub use diagnostic::{CourseError, CourseErrorKind};
pub use predicate::Predicate;
pub use quiz::{Measure, Question, QuestionKind, Quiz, QuizOption, load_quiz};
pub use scenario::{Expectation, Goal, Scenario, Step, load_scenario};

use diagnostic::Pos;
use std::path::Path;

/// The newest `format_version` this dockdrill reads.
pub const FORMAT_VERSION: u32 = 1;

/// A file's id: its `id` field, or the file name without extension.
fn file_id(
    path: &Path,
    id: Option<&serde_saphyr::Spanned<String>>,
    errors: &mut Vec<CourseError>,
) -> String {
    let Some(id) = id else {
        return path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
    };
    let ok = !id.value.is_empty()
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        errors.push(CourseError::at(
            path,
            Pos::of(&id.referenced),
            "id",
            CourseErrorKind::Invalid {
                message: format!(
                    "`{}` is not an id (use lowercase letters, digits, `-` and `_`)",
                    id.value
                ),
            },
        ));
    }
    id.value.clone()
}

/// Machine names follow the `HOST$ ` prefix grammar, so every machine can be addressed from a script.
fn validate_machine_name(name: &str) -> Result<(), String> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a machine name (letters, digits, `.`, `_` and `-`)"
        ))
    }
}

/// Checks a script line's quoting at load time, so a typo is reported where it is written.
fn validate_line(text: &str) -> Result<crate::script::Line, String> {
    scenario::line_of(text)
}
