//! The YAML formats as written, before validation. Every struct rejects unknown fields (so a typo is an
//! error with a suggestion, not a silently ignored setting), and values a later check must point at are
//! `Spanned`. Only the loaders in `scenario` and `quiz` see these types.

use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// A scenario file (`scenarios/*.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub format_version: Option<Spanned<u32>>,
    pub id: Option<Spanned<String>>,
    pub title: Spanned<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub world: WorldSpec,
    #[serde(default)]
    pub steps: Vec<Spanned<StepSpec>>,
    pub goal: Option<Spanned<GoalSpec>>,
    #[serde(default)]
    pub events: Vec<Spanned<EventSpec>>,
}

/// How a file's world differs from the default world.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldSpec {
    #[serde(default)]
    pub machines: BTreeMap<String, Spanned<MachineSpec>>,
    #[serde(default)]
    pub registries: BTreeMap<String, Spanned<RegistrySpec>>,
    /// Commands run silently before the learner arrives (a teammate builds and pushes, say).
    #[serde(default)]
    pub setup: Vec<Spanned<String>>,
}

/// A machine: extra build-context files and logins.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineSpec {
    /// Start without the sample app's files.
    #[serde(default)]
    pub replace_files: bool,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// registry host → user already logged in.
    #[serde(default)]
    pub logins: BTreeMap<String, Spanned<String>>,
    /// The CPU platform (`linux/arm64`); `linux/amd64` when absent.
    pub platform: Option<Spanned<String>>,
}

/// A registry: Docker Hub (`docker.io`) or a private one by host.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySpec {
    /// A real registry at this URL (`http://127.0.0.1:5000`): the host's references go over HTTP to it.
    pub url: Option<String>,
    pub auth: Option<Auth>,
    /// user → password.
    #[serde(default)]
    pub accounts: BTreeMap<String, String>,
    /// organisation → members.
    #[serde(default)]
    pub orgs: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub repositories: BTreeMap<String, Spanned<RepoSpec>>,
}

/// Who may do what on a registry.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    Hub,
    Open,
    Password,
}

/// A repository created up front (empty until something is pushed).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoSpec {
    #[serde(default)]
    pub visibility: Visibility,
}

/// Repository visibility.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Public,
    Private,
}

/// One step: narrative text, a command, or both (the text comes first).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    pub text: Option<String>,
    pub run: Option<Spanned<String>>,
    pub expect: Option<Spanned<ExpectSpec>>,
}

/// A string or a list of strings.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The strings, in order.
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// What a step must produce.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    pub exit_code: Option<i32>,
    pub output_contains: Option<OneOrMany>,
    pub output_lacks: Option<OneOrMany>,
    pub output_matches: Option<OneOrMany>,
    /// Rows of standard output, not counting a table header (0: prints nothing).
    pub rows: Option<usize>,
    #[serde(default)]
    pub state: Vec<Spanned<PredicateSpec>>,
}

/// A goal for learner-driven play.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalSpec {
    #[serde(default)]
    pub text: String,
    pub predicates: Vec<Spanned<PredicateSpec>>,
    #[serde(default)]
    pub hints: Vec<String>,
    pub solution: Vec<Spanned<String>>,
}

/// Commands that happen after the learner's `after`-th command.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    pub after: usize,
    pub run: Vec<Spanned<String>>,
}

/// A state predicate as written: `image_on_registry: { image: alice/app:1.0 }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum PredicateSpec {
    ImageOnRegistry {
        image: String,
        machine: Option<String>,
    },
    ImageOnMachine {
        image: String,
        machine: Option<String>,
    },
    ContainerExists {
        name: String,
        machine: Option<String>,
    },
    ContainerRunning {
        name: String,
        machine: Option<String>,
    },
    ContainerRunsImage {
        name: String,
        image: String,
        machine: Option<String>,
    },
    ContainerLogsContain {
        name: String,
        text: String,
        machine: Option<String>,
    },
    NoDanglingImages {
        machine: Option<String>,
    },
    LoggedIn {
        registry: String,
        user: Option<String>,
        machine: Option<String>,
    },
    SameImage {
        a: String,
        b: String,
        machine: Option<String>,
    },
    Not(Box<PredicateSpec>),
}

/// A quiz file (`quizzes/*.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizFile {
    pub format_version: Option<Spanned<u32>>,
    pub id: Option<Spanned<String>>,
    pub title: Spanned<String>,
    pub questions: Vec<Spanned<QuestionSpec>>,
}

/// The kinds of question.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum KindSpec {
    Fails,
    Succeeds,
    Predict,
    Task,
    Concept,
}

/// What `predict` compares each option's value with.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MeasureSpec {
    ExitCode,
    Rows,
    Line,
    Contains,
    State,
}

/// One question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionSpec {
    pub kind: Spanned<KindSpec>,
    pub prompt: String,
    #[serde(default)]
    pub world: WorldSpec,
    /// Commands the learner sees run before the question.
    #[serde(default)]
    pub setup: Vec<Spanned<String>>,
    pub command: Option<Spanned<String>>,
    pub measure: Option<Spanned<MeasureSpec>>,
    #[serde(default)]
    pub options: Vec<Spanned<OptionSpec>>,
    pub answer: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub explanation: String,
    pub goal: Option<Spanned<GoalSpec>>,
}

/// One option of a question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    /// What the learner reads (defaults to `run`).
    pub text: Option<String>,
    /// For `fails`/`succeeds`: the command to try.
    pub run: Option<String>,
    /// For `predict`: the value compared with the measurement (defaults to `text`).
    pub value: Option<String>,
    /// For `predict` with `measure: state`: what must hold.
    #[serde(default)]
    pub state: Vec<Spanned<PredicateSpec>>,
    #[serde(default)]
    pub explanation: String,
}
