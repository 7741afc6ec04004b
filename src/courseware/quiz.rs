//! Quizzes whose keys come from the simulator. For `fails`/`succeeds` every option is a command tried on its
//! own copy of the world after the setup; for `predict` the simulator runs the question's command and measures
//! its output (exit code, rows, a line, a substring) or checks each option's state predicates; `task` questions
//! carry a goal whose reference solution must reach it; only `concept` questions take the author's key on
//! trust. When the author also writes `answer:`, a disagreement with the simulation is an error, so a quiz can
//! never teach something Docker does not do.

use super::diagnostic::{CourseError, CourseErrorKind, Pos};
use super::predicate::Predicate;
use super::raw::{self, KindSpec, MeasureSpec, QuizFile};
use super::scenario::{self, Goal};
use super::setup;
use crate::model::world::World;
use crate::runner;
use std::path::{Path, PathBuf};

/// A loaded quiz with computed keys.
#[derive(Clone, Debug)]
pub struct Quiz {
    pub id: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub file: PathBuf,
}

/// The kinds of question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// Which command fails?
    Fails,
    /// Which command succeeds?
    Succeeds,
    /// What does the command print / how many rows / which state results?
    Predict,
    /// Reach a goal state from the setup.
    Task,
    /// An idea no command shows: the author's key.
    Concept,
}

impl QuestionKind {
    /// How the kind reads to a learner (`which fails`).
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Fails => "which fails",
            QuestionKind::Succeeds => "which succeeds",
            QuestionKind::Predict => "predict",
            QuestionKind::Task => "task",
            QuestionKind::Concept => "concept",
        }
    }
}

/// What a `predict` question measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// The command's exit code.
    ExitCode,
    /// Rows of output, not counting a table header.
    Rows,
    /// A whole line of output (trimmed).
    Line,
    /// A substring of the output.
    Contains,
    /// Each option's state predicates.
    State,
}

/// One question, its world after the setup and its computed key.
#[derive(Clone, Debug)]
pub struct Question {
    pub kind: QuestionKind,
    pub prompt: String,
    /// The state after the setup (world `setup` and visible `setup`).
    pub world: World,
    /// The visible setup as a terminal transcript.
    pub setup_transcript: String,
    /// For `predict`: the command whose result is asked about.
    pub command: Option<String>,
    pub measure: Option<Measure>,
    /// For `predict`: the command's transcript, to reveal after answering.
    pub reveal: Option<String>,
    pub options: Vec<QuizOption>,
    /// Indexes into `options` of the right answers (empty for `task`).
    pub correct: Vec<usize>,
    pub explanation: String,
    /// For `task`: the goal to reach.
    pub goal: Option<Goal>,
}

/// One option.
#[derive(Clone, Debug)]
pub struct QuizOption {
    /// `a`, `b`, `c`, …
    pub label: String,
    pub text: String,
    pub explanation: String,
    /// For `fails`/`succeeds`: the transcript of trying the command on a copy of the world.
    pub outcome: Option<String>,
}

impl Question {
    /// Is this set of chosen option indexes exactly the key? (`task` questions are checked with
    /// `goal.met` instead and always answer false here.)
    pub fn is_correct(&self, chosen: &[usize]) -> bool {
        if self.kind == QuestionKind::Task {
            return false;
        }
        let mut chosen = chosen.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        chosen == self.correct
    }

    /// The labels of the right answers (`b`, `a, c`).
    pub fn key_labels(&self) -> String {
        labels(&self.correct)
    }
}

fn label(i: usize) -> String {
    u8::try_from(i).ok().filter(|i| *i < 26).map_or_else(
        || format!("#{}", i + 1),
        |i| char::from(b'a' + i).to_string(),
    )
}

fn labels(indexes: &[usize]) -> String {
    if indexes.is_empty() {
        return "nothing".into();
    }
    indexes
        .iter()
        .map(|i| format!("`{}`", label(*i)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads a quiz, running each question's setup and computing every key. The first problem is returned;
/// [`load_quiz_all`] returns them all.
pub fn load_quiz(path: &Path) -> Result<Quiz, CourseError> {
    load_quiz_all(path).map_err(|mut e| e.remove(0))
}

/// Loads a quiz, collecting every problem (never an empty `Err`).
pub fn load_quiz_all(path: &Path) -> Result<Quiz, Vec<CourseError>> {
    let text = setup::read_source(path).map_err(|e| vec![e])?;
    load_quiz_text(path, &text)
}

/// Loads a quiz from text already in memory (courseware embedded in the binary); `path` names it in
/// messages. Collects every problem, as [`load_quiz_all`] does.
pub fn load_quiz_text(path: &Path, text: &str) -> Result<Quiz, Vec<CourseError>> {
    let raw: QuizFile = setup::parse(path, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    if let Some(v) = &raw.format_version
        && v.value > super::FORMAT_VERSION
    {
        return Err(vec![CourseError::at(
            path,
            Pos::of(&v.referenced),
            "format_version",
            CourseErrorKind::NewerFormat { version: v.value },
        )]);
    }
    let id = super::file_id(path, raw.id.as_ref(), &mut errors);
    if raw.questions.is_empty() {
        errors.push(CourseError::at(
            path,
            Pos::of(&raw.title.referenced),
            "questions",
            CourseErrorKind::Invalid {
                message: "a quiz needs at least one question".into(),
            },
        ));
    }
    let mut questions = Vec::new();
    for (i, q) in raw.questions.iter().enumerate() {
        if let Some(q) = question(path, &q.value, Pos::of(&q.referenced), i, &mut errors) {
            questions.push(q);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Quiz {
        id,
        title: raw.title.value,
        questions,
        file: path.to_path_buf(),
    })
}

fn question(
    file: &Path,
    spec: &raw::QuestionSpec,
    pos: Pos,
    index: usize,
    errors: &mut Vec<CourseError>,
) -> Option<Question> {
    let field = format!("questions[{index}]");
    let before = errors.len();
    let invalid = |pos: Pos, sub: &str, message: String| {
        CourseError::at(
            file,
            pos,
            format!("{field}{sub}"),
            CourseErrorKind::Invalid { message },
        )
    };
    let kind = match spec.kind.value {
        KindSpec::Fails => QuestionKind::Fails,
        KindSpec::Succeeds => QuestionKind::Succeeds,
        KindSpec::Predict => QuestionKind::Predict,
        KindSpec::Task => QuestionKind::Task,
        KindSpec::Concept => QuestionKind::Concept,
    };
    if let Some(e) = setup::too_much_setup(file, &field, spec.world.setup.len() + spec.setup.len())
    {
        errors.push(e);
        return None;
    }
    let mut world = setup::build_world(file, &spec.world, &format!("{field}.world"), errors);
    let mut setup_transcript = String::new();
    for (j, line) in spec.setup.iter().enumerate() {
        if let Err(m) = scenario::line_of(&line.value) {
            errors.push(invalid(
                Pos::of(&line.referenced),
                &format!(".setup[{j}]"),
                m,
            ));
            continue;
        }
        let step = setup::run(&mut world, &line.value);
        setup_transcript.push_str(&runner::transcript(&step, false));
    }
    let measure = spec.measure.as_ref().map(|m| match m.value {
        MeasureSpec::ExitCode => Measure::ExitCode,
        MeasureSpec::Rows => Measure::Rows,
        MeasureSpec::Line => Measure::Line,
        MeasureSpec::Contains => Measure::Contains,
        MeasureSpec::State => Measure::State,
    });
    let kind_pos = Pos::of(&spec.kind.referenced);
    if spec.prompt.trim().is_empty() {
        errors.push(invalid(pos, ".prompt", "the prompt is empty".into()));
    }
    if kind != QuestionKind::Task && spec.options.len() < 2 {
        errors.push(invalid(
            kind_pos,
            ".options",
            "a question needs at least two options".into(),
        ));
    }
    if spec.options.len() > 26 {
        errors.push(invalid(
            kind_pos,
            ".options",
            "at most 26 options (a to z)".into(),
        ));
    }
    match kind {
        QuestionKind::Predict if measure.is_none() => errors.push(invalid(
            kind_pos,
            ".measure",
            "a `predict` question needs `measure` (exit_code, rows, line, contains or state)"
                .into(),
        )),
        QuestionKind::Predict => {}
        _ if spec.measure.is_some() => errors.push(invalid(
            kind_pos,
            ".measure",
            "`measure` is only for `predict` questions".into(),
        )),
        _ => {}
    }
    let needs_command = kind == QuestionKind::Predict && measure != Some(Measure::State);
    let command = spec.command.as_ref().map(|c| c.value.clone());
    if needs_command && command.is_none() {
        errors.push(invalid(
            kind_pos,
            ".command",
            "this `predict` question needs the `command` whose result it asks about".into(),
        ));
    }
    if let Some(c) = &spec.command
        && let Err(m) = scenario::line_of(&c.value)
    {
        errors.push(invalid(Pos::of(&c.referenced), ".command", m));
    }
    let goal = match (&spec.goal, kind) {
        (Some(g), QuestionKind::Task) => Some(scenario::validate_goal(
            file,
            &g.value,
            Pos::of(&g.referenced),
            &format!("{field}.goal"),
            errors,
        )),
        (None, QuestionKind::Task) => {
            errors.push(invalid(
                kind_pos,
                ".goal",
                "a `task` question needs a `goal`".into(),
            ));
            None
        }
        (Some(g), _) => {
            errors.push(invalid(
                Pos::of(&g.referenced),
                ".goal",
                "`goal` is only for `task` questions".into(),
            ));
            None
        }
        (None, _) => None,
    };
    // The measured result of the question's command, on its own copy of the world.
    let mut after_command = world.clone();
    let command_result = command
        .as_ref()
        .filter(|_| errors.len() == before)
        .map(|c| setup::run(&mut after_command, c));
    let reveal = command_result.as_ref().map(|r| runner::transcript(r, true));
    let mut options = Vec::new();
    let mut computed = Vec::new();
    for (j, o) in spec.options.iter().enumerate() {
        let opos = Pos::of(&o.referenced);
        let o = &o.value;
        let text = o.text.clone().or_else(|| o.run.clone()).unwrap_or_default();
        if text.trim().is_empty() {
            errors.push(invalid(
                opos,
                &format!(".options[{j}]"),
                "an option needs `text` (or `run`)".into(),
            ));
        }
        let mut outcome = None;
        let right = match kind {
            QuestionKind::Fails | QuestionKind::Succeeds => match &o.run {
                Some(run) => match scenario::line_of(run) {
                    Ok(_) => {
                        let mut copy = world.clone();
                        let r = setup::run(&mut copy, run);
                        outcome = Some(runner::transcript(&r, true));
                        (r.exit_code != 0) == (kind == QuestionKind::Fails)
                    }
                    Err(m) => {
                        errors.push(invalid(opos, &format!(".options[{j}].run"), m));
                        false
                    }
                },
                None => {
                    errors.push(invalid(
                        opos,
                        &format!(".options[{j}]"),
                        "options of `fails`/`succeeds` questions need `run`: the command to try"
                            .into(),
                    ));
                    false
                }
            },
            QuestionKind::Predict => {
                let value = o.value.clone().unwrap_or_else(|| text.clone());
                match (measure, &command_result) {
                    (Some(Measure::State), _) => {
                        let preds = scenario::predicates(
                            file,
                            &o.state,
                            &format!("{field}.options[{j}].state"),
                            errors,
                        );
                        if o.state.is_empty() {
                            errors.push(invalid(
                                opos,
                                &format!(".options[{j}].state"),
                                "with `measure: state` every option needs `state` predicates"
                                    .into(),
                            ));
                        }
                        !preds.is_empty()
                            && preds.iter().all(|p: &Predicate| p.holds(&after_command))
                    }
                    (Some(m), Some(r)) => match measured(m, r, &value) {
                        Ok(b) => b,
                        Err(msg) => {
                            errors.push(invalid(opos, &format!(".options[{j}].value"), msg));
                            false
                        }
                    },
                    _ => false,
                }
            }
            QuestionKind::Task | QuestionKind::Concept => false,
        };
        if right {
            computed.push(j);
        }
        options.push(QuizOption {
            label: label(j),
            text,
            explanation: o.explanation.clone(),
            outcome,
        });
    }
    let written = match &spec.answer {
        Some(a) => {
            let apos = Pos::of(&a.referenced);
            let mut idx = Vec::new();
            for l in a.value.clone().into_vec() {
                match (0..options.len()).find(|i| label(*i) == l.trim()) {
                    Some(i) => idx.push(i),
                    None => errors.push(invalid(
                        apos,
                        ".answer",
                        format!(
                            "`{l}` is not an option label (the options are {})",
                            labels(&(0..options.len()).collect::<Vec<_>>())
                        ),
                    )),
                }
            }
            idx.sort_unstable();
            idx.dedup();
            Some((idx, apos))
        }
        None => None,
    };
    let correct = match kind {
        QuestionKind::Concept => match written {
            Some((idx, _)) => idx,
            None => {
                errors.push(invalid(
                    kind_pos,
                    ".answer",
                    "a `concept` question needs `answer`: no command can compute its key".into(),
                ));
                Vec::new()
            }
        },
        QuestionKind::Task => {
            if let Some((_, apos)) = written {
                errors.push(invalid(
                    apos,
                    ".answer",
                    "a `task` question is answered by reaching its goal, not by `answer`".into(),
                ));
            }
            if let Some(goal) = &goal {
                if goal.met(&world) {
                    errors.push(CourseError::at(
                        file,
                        kind_pos,
                        format!("{field}.goal"),
                        CourseErrorKind::GoalAlreadyMet,
                    ));
                }
                let mut w = world.clone();
                for line in &goal.solution {
                    setup::run(&mut w, line);
                }
                let missing = goal.missing(&w);
                if !missing.is_empty() {
                    errors.push(CourseError::at(
                        file,
                        kind_pos,
                        format!("{field}.goal.solution"),
                        CourseErrorKind::GoalUnreachable { missing },
                    ));
                }
            }
            Vec::new()
        }
        _ => {
            if errors.len() == before {
                if computed.is_empty() {
                    errors.push(CourseError::at(
                        file,
                        kind_pos,
                        field.clone(),
                        CourseErrorKind::NoCorrectOption,
                    ));
                }
                if let Some((idx, apos)) = &written
                    && *idx != computed
                {
                    errors.push(CourseError::at(
                        file,
                        *apos,
                        format!("{field}.answer"),
                        CourseErrorKind::WrongKey {
                            written: labels(idx),
                            computed: labels(&computed),
                        },
                    ));
                }
            }
            computed
        }
    };
    if errors.len() != before {
        return None;
    }
    Some(Question {
        kind,
        prompt: spec.prompt.clone(),
        world,
        setup_transcript,
        command,
        measure,
        reveal,
        options,
        correct,
        explanation: spec.explanation.clone(),
        goal,
    })
}

/// Does `value` agree with what `measure` observed in `r`?
fn measured(measure: Measure, r: &runner::StepResult, value: &str) -> Result<bool, String> {
    let value = value.trim();
    Ok(match measure {
        Measure::ExitCode => {
            let want: i32 = value
                .parse()
                .map_err(|_| format!("`{value}` is not an exit code"))?;
            want == r.exit_code
        }
        Measure::Rows => {
            let want: usize = value
                .parse()
                .map_err(|_| format!("`{value}` is not a number of rows"))?;
            want == rows(&r.stdout)
        }
        Measure::Line => r.interleaved.lines().any(|l| l.trim() == value),
        Measure::Contains => r.interleaved.contains(value),
        Measure::State => false,
    })
}

/// Rows of output, not counting a table header (a first line in capitals, as `docker images` and `docker ps`
/// print).
pub fn rows(stdout: &str) -> usize {
    let mut lines = stdout.lines().filter(|l| !l.trim().is_empty()).peekable();
    let header = lines.peek().is_some_and(|l| {
        l.chars().any(char::is_alphabetic) && l.chars().all(|c| !c.is_lowercase())
    });
    lines.count() - usize::from(header)
}
