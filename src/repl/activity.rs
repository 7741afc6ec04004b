//! What the session and the lessons running inside it share: the chunks of output, the [`Activity`] a
//! scenario or quiz implements, and what it hears about each step. Kept apart from `session` so that the
//! session depends on the activities and the activities depend on this module, never on the session.

use crate::model::world::World;
use crate::render::Channel;
use crate::repl::progress::Record;
use crate::repl::progress_bars::{self, Progress};
use crate::repl::style::{Kind, NOTE_MARKER};
use crate::runner::StepResult;

/// A piece of output: whole lines of one kind, maybe with progress frames to play inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub kind: Kind,
    /// Whole lines, each ending in `\n`.
    pub text: String,
    /// Pull and push blocks inside `text`, animated in a terminal.
    pub progress: Vec<Progress>,
}

impl Chunk {
    /// Whole lines of one kind (a missing final newline is added).
    pub fn new(kind: Kind, text: impl Into<String>) -> Chunk {
        let mut text = text.into();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Chunk {
            kind,
            text,
            progress: Vec::new(),
        }
    }

    /// A note of the simulator's, behind its marker.
    pub fn note(text: impl AsRef<str>) -> Chunk {
        Chunk::new(Kind::Note, format!("{NOTE_MARKER}{}", text.as_ref()))
    }
}

/// A lesson running inside the session, such as a scenario's goal checker or a quiz. It gets the first look
/// at every line (for its own commands: `hint`, `answer 2`) and hears about every command that ran, so it can
/// say when a goal is reached. The session keeps the world; an activity reads it, and may hand the session a
/// new one (a scenario's starting world, a copy to experiment on before answering).
pub trait Activity {
    /// What the learner is doing (`scenario pull-basics`), shown by `help`.
    fn title(&self) -> String;
    /// The activity's own commands for `help`: (usage, what it does).
    fn commands(&self) -> Vec<(String, String)>;
    /// Handles one of the activity's commands; `None` lets the session handle the line.
    fn handle(&mut self, line: &str, world: &World) -> Option<ActivityReply>;
    /// Called after each docker command, file helper, `wait` or machine switch, with the world after it. A
    /// world in the reply (a scripted event's) replaces it as part of the same step, so one `undo` takes back
    /// the learner's command and what happened because of it.
    fn after_step(&mut self, did: &Did, world: &World) -> ActivityReply;
    /// Where the activity is (commands counted, steps done), kept with every undo snapshot so that `undo`
    /// also takes back the count and a scripted event happens again when its command is typed again.
    fn mark(&self) -> Mark {
        Mark::default()
    }
    /// Goes back to a mark taken earlier (by `undo`, `redo` and `reset`).
    fn set_mark(&mut self, mark: Mark) {
        let _ = mark;
    }
    /// Once finished, does the learner stay in the activity's world until `leave`? (A scenario's final
    /// state is worth a look; a quiz gives the learner's own world back at once.)
    fn stays_when_finished(&self) -> bool {
        false
    }
}

/// An activity's position, as undo sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// The learner's commands counted so far.
    pub commands: usize,
    /// The activity's own stage (a lesson's next step).
    pub stage: usize,
}

/// What the learner just did, as an activity hears it.
#[derive(Debug)]
pub enum Did<'a> {
    /// A docker command or file helper ran on `host`. Only a `counted` one (a step, see
    /// [`crate::repl::counting`]) counts toward par and fires events; a look is reported so that a lesson step
    /// asking for `docker images` is done by typing it.
    Command {
        host: &'a str,
        command: &'a str,
        result: &'a StepResult,
        counted: bool,
    },
    /// Time passed (`wait`).
    Wait,
    /// The learner moved to another machine (not a command of the lesson's: it is not counted).
    Machine,
}

/// What an activity answers.
#[derive(Debug, Default)]
pub struct ActivityReply {
    pub output: Vec<Chunk>,
    /// A world to continue in: from [`Activity::handle`] an undoable step labelled with the line, from
    /// [`Activity::after_step`] part of the step just taken.
    pub world: Option<World>,
    /// The world is a fresh start (a quiz's next question): `reset` returns to it, the learner is put on the
    /// default machine, and `undo` does not reach back past it.
    pub start: bool,
    /// The activity is over: the session drops it.
    pub finished: bool,
    /// Achievements to save in the progress file.
    pub records: Vec<Record>,
}

/// A step's output as chunks: Docker's stdout and stderr in the order written, then the simulator's notes,
/// with pull and push blocks located for animation.
pub(crate) fn chunks_of(step: &StepResult, world: &World) -> Vec<Chunk> {
    chunks_of_tty(step, world, false)
}

/// `chunks_of` for output shown on a terminal (BuildKit then draws its final frame).
pub(crate) fn chunks_of_tty(step: &StepResult, world: &World, _tty: bool) -> Vec<Chunk> {
    // The step was rendered once, by the runner: its chunks are shown as they are.
    let mut out: Vec<Chunk> = step
        .chunks
        .iter()
        .map(|(channel, text)| match channel {
            Channel::Stdout => Chunk::new(Kind::Stdout, text.clone()),
            Channel::Stderr => Chunk::new(Kind::Stderr, text.clone()),
            Channel::Note => Chunk::note(text.trim_end()),
        })
        .collect();
    if !step.events().is_empty() {
        let texts: Vec<&str> = out.iter().map(|c| c.text.as_str()).collect();
        let found = progress_bars::locate(&texts, step.events(), world);
        for (chunk, progress) in out.iter_mut().zip(found) {
            chunk.progress = progress;
        }
    }
    out
}
