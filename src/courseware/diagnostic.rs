//! `CourseError`: every problem with a course file, pointing at `file:line:column` and the field path
//! (`steps[2].expect.exit_code`), in the tool's own voice (lowercase, names in backticks, no final period).
//!
//! serde-saphyr reports where a YAML error happened but not the field path, so the path is recovered by
//! walking the parser's events up to that position ([`path_at`]).

use serde_saphyr::granit_parser::{Event, Parser};
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with one course file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourseError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based; 0 when the problem concerns the whole file.
    pub column: usize,
    /// Field path inside the document (`questions[1].answer`); empty for the whole file.
    pub path: String,
    /// Boxed: errors travel in `Result`s, which should stay small.
    pub kind: Box<CourseErrorKind>,
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CourseErrorKind {
    /// The file could not be read.
    Io { message: String },
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge { bytes: u64 },
    /// The file is not UTF-8 text.
    Binary,
    /// The YAML nests deeper than the parser's budget allows.
    TooDeep,
    /// YAML syntax or a value of the wrong shape.
    Yaml { message: String },
    /// A field the format does not know, maybe a typo.
    UnknownField {
        field: String,
        suggestion: Option<String>,
        expected: Vec<String>,
        /// Where the field is accepted when it is not here (`steps[].expect`): a wrongly indented line.
        belongs: Option<String>,
    },
    /// A value the format does not know (an enum variant such as a question kind).
    UnknownValue {
        value: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },
    /// A required field is absent.
    MissingField { field: String },
    /// A value has the right shape but is not acceptable.
    Invalid { message: String },
    /// The file's `format_version` is newer than this dockdrill.
    NewerFormat { version: u32 },
    /// A `setup` command failed, so the world is not what the author meant.
    SetupFailed {
        command: String,
        exit_code: i32,
        output: String,
    },
    /// A step's expectation does not hold when the simulator runs it; `output` is what the command printed.
    Expectation {
        command: String,
        message: String,
        output: String,
    },
    /// A command the learner is shown (a step, a reference solution line, a scripted event) fails, and no
    /// `expect.exit_code` says it should.
    CommandFailed {
        command: String,
        exit_code: i32,
        output: String,
        /// Which kind of line it is: what the author can do about it differs.
        line: LineKind,
    },
    /// A line or predicate names a machine the world does not declare.
    UnknownMachine {
        machine: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    /// The author's answer key disagrees with the simulation.
    WrongKey { written: String, computed: String },
    /// No option is right according to the simulation.
    NoCorrectOption,
    /// The reference solution does not reach the goal.
    GoalUnreachable { missing: Vec<String> },
    /// The goal holds before the learner does anything.
    GoalAlreadyMet,
    /// Two files use the same id.
    DuplicateId { id: String, other: PathBuf },
}

/// The kinds of line a scenario runs, for [`CourseErrorKind::CommandFailed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A lesson step the learner types.
    Step,
    /// A line of a goal's reference solution.
    Solution,
    /// A scripted event between the learner's commands.
    Event,
}

/// Course files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The deepest YAML nesting accepted (the formats need fewer than 10 levels).
pub const MAX_DEPTH: usize = 32;

/// The most YAML values (scalars, lists and mappings, aliases expanded) a course file may hold. The
/// shipped files hold a few thousand; the cap stops an alias bomb ("billion laughs") in milliseconds.
pub const MAX_NODES: usize = 50_000;

/// The parser's budget for course files: [`MAX_DEPTH`], [`MAX_NODES`], and proportionate caps on the
/// aliases and anchor copies an alias bomb would need.
pub fn yaml_budget() -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_events = 4 * MAX_NODES;
    budget.max_aliases = MAX_NODES / 10;
    budget.max_recorded_anchor_events = 2 * MAX_NODES;
    budget
}

impl CourseError {
    /// An error about the whole file.
    pub fn file(file: &Path, kind: CourseErrorKind) -> CourseError {
        CourseError {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            path: String::new(),
            kind: Box::new(kind),
        }
    }

    /// An error at a position and field path.
    pub fn at(
        file: &Path,
        pos: Pos,
        path: impl Into<String>,
        kind: CourseErrorKind,
    ) -> CourseError {
        CourseError {
            file: file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            path: path.into(),
            kind: Box::new(kind),
        }
    }

    /// The message without the location prefix.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for CourseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": ")?;
        if !self.path.is_empty() {
            write!(f, "`{}`: ", self.path)?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for CourseError {}

/// The most lines of a command's output a failure message quotes.
const MAX_OUTPUT_LINES: usize = 12;

/// A command's output under a failure message, trimmed, one `| ` line each.
fn write_output(f: &mut fmt::Formatter<'_>, output: &str) -> fmt::Result {
    let lines: Vec<&str> = output.trim().lines().map(str::trim_end).collect();
    if lines.is_empty() || lines.iter().all(|l| l.trim().is_empty()) {
        return write!(f, "\n    | (no output)");
    }
    for l in lines.iter().take(MAX_OUTPUT_LINES) {
        write!(f, "\n    | {l}")?;
    }
    if lines.len() > MAX_OUTPUT_LINES {
        write!(f, "\n    | … {} more lines", lines.len() - MAX_OUTPUT_LINES)?;
    }
    Ok(())
}

fn backticked(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for CourseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CourseErrorKind::Io { message } => write!(f, "cannot read the file: {message}"),
            CourseErrorKind::TooLarge { bytes } => write!(
                f,
                "the file is {bytes} bytes; course files may be at most {MAX_FILE_BYTES} bytes"
            ),
            CourseErrorKind::Binary => {
                write!(f, "the file is not UTF-8 text (is it a binary file?)")
            }
            CourseErrorKind::TooDeep => write!(
                f,
                "the YAML nests deeper than {MAX_DEPTH} levels; course files never need that"
            ),
            CourseErrorKind::Yaml { message } => write!(f, "{message}"),
            CourseErrorKind::UnknownField {
                field,
                suggestion,
                expected,
                belongs,
            } => {
                write!(f, "unknown field `{field}`")?;
                if let Some(s) = suggestion {
                    write!(f, ", did you mean `{s}`?")?;
                }
                if !expected.is_empty() {
                    write!(f, " (expected one of {})", backticked(expected))?;
                }
                if let Some(parent) = belongs {
                    write!(
                        f,
                        "; `{field}` belongs under `{parent}`: is the line indented under the right field?"
                    )?;
                }
                Ok(())
            }
            CourseErrorKind::UnknownValue {
                value,
                suggestion,
                expected,
            } => {
                write!(f, "unknown value `{value}`")?;
                if let Some(s) = suggestion {
                    write!(f, ", did you mean `{s}`?")?;
                }
                if !expected.is_empty() {
                    write!(f, " (expected one of {})", backticked(expected))?;
                }
                Ok(())
            }
            CourseErrorKind::MissingField { field } => write!(f, "missing field `{field}`"),
            CourseErrorKind::Invalid { message } => write!(f, "{message}"),
            CourseErrorKind::NewerFormat { version } => write!(
                f,
                "format_version {version} needs a newer dockdrill (this one reads version {})",
                super::FORMAT_VERSION
            ),
            CourseErrorKind::SetupFailed {
                command,
                exit_code,
                output,
            } => {
                write!(
                    f,
                    "setup command `{command}` failed with exit code {exit_code}"
                )?;
                if let Some(first) = output.lines().find(|l| !l.trim().is_empty()) {
                    write!(f, ": {}", first.trim())?;
                }
                Ok(())
            }
            CourseErrorKind::Expectation {
                command,
                message,
                output,
            } => {
                write!(f, "`{command}`: {message}")?;
                write_output(f, output)
            }
            CourseErrorKind::CommandFailed {
                command,
                exit_code,
                output,
                line,
            } => {
                write!(f, "`{command}` exits with code {exit_code}; ")?;
                match line {
                    LineKind::Step => write!(
                        f,
                        "a step that fails on purpose says so with `expect: {{ exit_code: {exit_code} }}`"
                    )?,
                    LineKind::Solution => write!(
                        f,
                        "every command of a reference solution must succeed (the par counts them)"
                    )?,
                    LineKind::Event => write!(
                        f,
                        "a scripted event must succeed, or the learner is told of something that did not happen"
                    )?,
                }
                write_output(f, output)
            }
            CourseErrorKind::UnknownMachine {
                machine,
                suggestion,
                known,
            } => {
                write!(f, "no machine `{machine}` in this scenario's world")?;
                if let Some(s) = suggestion {
                    write!(f, ", did you mean `{s}`?")?;
                }
                write!(
                    f,
                    " (its machines are {}; a new one is declared under `world.machines` as `{machine}: {{}}`)",
                    backticked(known)
                )
            }
            CourseErrorKind::WrongKey { written, computed } => write!(
                f,
                "the answer key says {written} but the simulation says {computed}"
            ),
            CourseErrorKind::NoCorrectOption => {
                write!(f, "no option is correct according to the simulation")
            }
            CourseErrorKind::GoalUnreachable { missing } => write!(
                f,
                "the reference solution does not reach the goal; still missing: {}",
                missing.join("; ")
            ),
            CourseErrorKind::GoalAlreadyMet => write!(
                f,
                "the goal is already met before the learner types anything"
            ),
            CourseErrorKind::DuplicateId { id, other } => {
                write!(f, "id `{id}` is also used by {}", other.display())
            }
        }
    }
}

/// A 1-based line and column in a course file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The position serde-saphyr recorded for a value.
    pub fn of(loc: &serde_saphyr::Location) -> Pos {
        Pos {
            line: usize::try_from(loc.line()).unwrap_or(usize::MAX),
            column: usize::try_from(loc.column()).unwrap_or(usize::MAX),
        }
    }
}

/// The closest of `candidates` to `word`, if close enough to be a plausible typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// One level of the path while walking events.
enum Frame {
    Map { key: Option<String>, want_key: bool },
    Seq { index: Option<usize> },
}

fn render_path(stack: &[Frame], extra: Option<&str>) -> String {
    let mut s = String::new();
    for frame in stack {
        match frame {
            Frame::Map { key: Some(k), .. } => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Frame::Seq { index: Some(i) } => s.push_str(&format!("[{i}]")),
            _ => {}
        }
    }
    if let Some(k) = extra {
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(k);
    }
    s
}

/// The field path of the last YAML node that starts at or before `pos` (1-based line and column).
/// Iterative, so deep documents cannot overflow the stack; stops at the first syntax error.
pub fn path_at(text: &str, pos: Pos) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut best = String::new();
    let target = (pos.line, pos.column);
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { break };
        let at = (span.start.line(), span.start.col() + 1);
        if at > target {
            break;
        }
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Alias(_)
        );
        if !is_node {
            match event {
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    finish_value(&mut stack);
                }
                _ => {}
            }
            continue;
        }
        // A key scalar names the field; point at it with the key included.
        if let (Some(Frame::Map { want_key: true, .. }), Event::Scalar(value, ..)) =
            (stack.last(), &event)
        {
            let key = value.to_string();
            best = render_path(&stack[..stack.len().saturating_sub(1)], None);
            best = if best.is_empty() {
                key.clone()
            } else {
                format!("{best}.{key}")
            };
            if let Some(Frame::Map { key: k, want_key }) = stack.last_mut() {
                *k = Some(key);
                *want_key = false;
            }
            continue;
        }
        if let Some(Frame::Seq { index }) = stack.last_mut() {
            *index = Some(index.map_or(0, |i| i + 1));
        }
        best = render_path(&stack, None);
        match event {
            Event::MappingStart(..) => stack.push(Frame::Map {
                key: None,
                want_key: true,
            }),
            Event::SequenceStart(..) => stack.push(Frame::Seq { index: None }),
            _ => finish_value(&mut stack),
        }
    }
    best
}

/// A value ended: the enclosing mapping now wants its next key.
fn finish_value(stack: &mut [Frame]) {
    if let Some(Frame::Map { want_key, .. }) = stack.last_mut() {
        *want_key = true;
    }
}

/// Turns a serde-saphyr error into a `CourseError` with position, path and a message that says what was expected.
pub fn from_yaml(file: &Path, text: &str, err: &serde_saphyr::Error) -> CourseError {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let mut err = err.without_snippet();
    let pos = err.location().map(|l| Pos::of(&l)).unwrap_or_default();
    // An error met while expanding an alias wraps the real one (an alias bomb's budget breach, say).
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = err {
        err = error;
    }
    let deep = matches!(
        err,
        E::Budget {
            breach: B::Depth { .. },
            ..
        }
    ) || err.to_string().contains("recursion limit");
    let at = if pos.line > 0 && !deep {
        path_at(text, pos)
    } else {
        String::new()
    };
    let quiz = super::check::kind_of(text) == super::check::FileKind::Quiz;
    let kind = match err {
        E::Budget {
            breach: B::Depth { .. },
            ..
        } => CourseErrorKind::TooDeep,
        E::Budget {
            breach:
                B::Nodes { .. }
                | B::Events { .. }
                | B::Aliases { .. }
                | B::AliasAnchorRatio { .. }
                | B::RecordedAnchorEvents { .. }
                | B::RecordedAnchorBytes { .. },
            ..
        } => CourseErrorKind::Yaml {
            message: format!(
                "the YAML expands to more than {MAX_NODES} values (is an alias `*name` repeating a large anchor?); course files never need that"
            ),
        },
        E::Budget { breach, .. } => CourseErrorKind::Yaml {
            message: format!("the YAML is too large for a course file ({breach:?})"),
        },
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let suggestion = suggest(field, expected.iter().copied());
            let here = strip_indexes(at.rsplit_once('.').map_or("", |(parent, _)| parent));
            let belongs = if suggestion.is_none() {
                super::schema::parents_of(quiz, field)
                    .into_iter()
                    .find(|p| *p != here)
            } else {
                None
            };
            CourseErrorKind::UnknownField {
                field: field.clone(),
                suggestion,
                expected: expected.iter().map(|s| (*s).to_string()).collect(),
                belongs,
            }
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => CourseErrorKind::UnknownValue {
            value: variant.clone(),
            suggestion: suggest(variant, expected.iter().copied()),
            expected: expected.iter().map(|s| (*s).to_string()).collect(),
        },
        E::SerdeMissingField { field, .. } => CourseErrorKind::MissingField {
            field: (*field).to_string(),
        },
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => CourseErrorKind::Yaml {
            message: format!(
                "expected {}, found {unexpected}",
                super::schema::expected_at(quiz, &at).unwrap_or_else(|| expected.clone())
            ),
        },
        E::Unexpected {
            expected: what @ ("sequence start" | "mapping start"),
            ..
        } => {
            let fallback = if *what == "sequence start" {
                "a list"
            } else {
                "a mapping (`key: value` lines)"
            };
            CourseErrorKind::Yaml {
                message: format!(
                    "expected {}, found {}",
                    super::schema::expected_at(quiz, &at).unwrap_or_else(|| fallback.into()),
                    found_at(text, pos)
                ),
            }
        }
        E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => CourseErrorKind::Yaml {
            message: format!("expected {expected}, found {unexpected}"),
        },
        E::InvalidScalar { ty, .. } => CourseErrorKind::Yaml {
            message: format!(
                "expected {}, found `{}`",
                type_words(ty),
                scalar_at(text, pos)
            ),
        },
        E::DuplicateMappingKey { key, .. } => CourseErrorKind::Yaml {
            message: match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".to_string(),
            },
        },
        other => {
            let message = strip_location(&other.to_string());
            if message.contains("recursion limit") {
                CourseErrorKind::TooDeep
            } else {
                CourseErrorKind::Yaml {
                    message: format!("invalid YAML: {message}"),
                }
            }
        }
    };
    let mut path = if matches!(kind, CourseErrorKind::TooDeep) {
        String::new()
    } else {
        at
    };
    // serde-saphyr reports a missing field at the last key of the mapping that lacks it; name that
    // mapping (`questions[0]`), not the unrelated key (`questions[0].options`).
    if matches!(kind, CourseErrorKind::MissingField { .. }) {
        path = mapping_of_key(text, pos, &path);
    }
    CourseError::at(file, pos, path, kind)
}

/// When `path` ends in a key and that key is what stands at `pos`, the path of the mapping holding it.
fn mapping_of_key(text: &str, pos: Pos, path: &str) -> String {
    if path.ends_with(']') {
        return path.to_string();
    }
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    if scalar_at(text, pos).starts_with(key) {
        parent.to_string()
    } else {
        path.to_string()
    }
}

/// `steps[].expect` for `steps[3].expect`: a path as the schema names it.
fn strip_indexes(path: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => {
                skipping = true;
                out.push_str("[]");
            }
            ']' => skipping = false,
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

/// The kind of YAML value standing at `pos`, in words, for "found …".
fn found_at(text: &str, pos: Pos) -> String {
    let scalar = scalar_at(text, pos);
    let word = scalar.trim();
    if word.starts_with('[') || word.starts_with("- ") || word == "-" {
        return "a list".into();
    }
    if word.starts_with('{') {
        return "a mapping".into();
    }
    let kind = if word.is_empty() || word == "~" || word == "null" {
        return "nothing (an empty value)".into();
    } else if word.parse::<i64>().is_ok() {
        "an integer"
    } else if word.parse::<f64>().is_ok() {
        "a number"
    } else if matches!(word, "true" | "false") {
        "a boolean"
    } else if word.contains(": ") || word.ends_with(':') {
        return "a mapping".into();
    } else {
        "a string"
    };
    format!("{kind} (`{word}`)")
}

/// A Rust scalar type in words.
fn type_words(ty: &str) -> &'static str {
    match ty {
        "bool" => "`true` or `false`",
        "f32" | "f64" => "a number",
        t if t.starts_with('u') => "a whole number (0 or more)",
        t if t.starts_with('i') => "a whole number",
        _ => "a different value",
    }
}

/// The scalar text at `pos` (up to the end of the line), for "found `...`".
fn scalar_at(text: &str, pos: Pos) -> String {
    let line = text.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
    let rest: String = line.chars().skip(pos.column.saturating_sub(1)).collect();
    rest.split(" #")
        .next()
        .unwrap_or("")
        .trim()
        .chars()
        .take(40)
        .collect()
}

/// serde-saphyr appends " at line N column M"; the location is already in the prefix.
fn strip_location(msg: &str) -> String {
    let msg = msg.lines().next().unwrap_or(msg);
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(
            suggest("tittle", ["title", "summary"]).as_deref(),
            Some("title")
        );
        assert_eq!(suggest("zzzzzz", ["title", "summary"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn path_of_a_nested_key() {
        let text = "title: x\nsteps:\n  - run: docker ps\n  - run: docker images\n    expct: 1\n";
        assert_eq!(path_at(text, Pos { line: 5, column: 5 }), "steps[1].expct");
        assert_eq!(
            path_at(
                text,
                Pos {
                    line: 3,
                    column: 12
                }
            ),
            "steps[0].run"
        );
    }
}
