//! Runs one script or REPL line against a world: the one path every front end (replay, check, quizzes,
//! the REPL) shares, so they can never disagree about what a command does.

use crate::command::{self, Invocation, UsageError};
use crate::engine::{Input, Outcome};
use crate::event::{Event, Note};
use crate::model::world::World;
use crate::render::{self, Channel, Context};
use crate::script::{self, Line};
use serde::Serialize;

/// What kind of line a step was, with what each kind knows (the REPL and `explain` read this, never the
/// text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A docker command: what was typed, as parsed, and what the engine did.
    Docker {
        invocation: Box<Invocation>,
        outcome: Outcome,
    },
    /// A docker command line the CLI refused before doing anything.
    Usage(UsageError),
    /// A file helper (`cat`, `sed -i`, `echo … > FILE`, …) or `sleep`.
    Shell,
    /// A word dockdrill does not run.
    Unknown { word: String },
    /// A line whose quoting does not close.
    Unsplittable,
    /// A line dockdrill refused to run because a cap was reached (a new machine past the last).
    Limit(crate::limits::LimitExceeded),
}

/// What one line did: the typed step and its rendering.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct StepResult {
    pub host: String,
    pub command: String,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// The simulator's own notes (never part of Docker's output).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// stdout and stderr in the order they were written.
    #[serde(skip)]
    pub interleaved: String,
    /// The rendered output in order, notes included.
    #[serde(skip)]
    pub chunks: Vec<(Channel, String)>,
    #[serde(skip)]
    pub kind: StepKind,
}

/// What one line did, with its output still as the rendered chunks: what [`StepResult`]'s text fields are
/// made from, and all a transcript needs. `replay` writes it without copying the text into those fields.
#[derive(Clone, Debug)]
pub struct Ran {
    /// The output in order, notes included, as [`StepResult::chunks`].
    pub chunks: Vec<(Channel, String)>,
    pub exit_code: i32,
    pub kind: StepKind,
}

impl Ran {
    /// A line with only plain output (no notes yet): its stdout, then its stderr.
    fn simple(stdout: String, stderr: String, exit_code: i32, kind: StepKind) -> Ran {
        let chunks = [(Channel::Stdout, stdout), (Channel::Stderr, stderr)]
            .into_iter()
            .filter(|(_, t)| !t.is_empty())
            .collect();
        Ran {
            chunks,
            exit_code,
            kind,
        }
    }

    /// Adds one of the simulator's notes after the output.
    fn note(mut self, note: String) -> Ran {
        self.chunks.push((Channel::Note, note));
        self
    }
}

impl StepResult {
    /// The step `ran` on machine `host`, its text fields made from its chunks.
    pub fn from_ran(host: String, command: String, ran: Ran) -> StepResult {
        let mut stdout = String::new();
        let mut stderr = String::new();
        let mut interleaved = String::new();
        let mut notes = Vec::new();
        for (channel, text) in &ran.chunks {
            match channel {
                Channel::Stdout => stdout.push_str(text),
                Channel::Stderr => stderr.push_str(text),
                Channel::Note => {
                    notes.push(text.clone());
                    continue;
                }
            }
            interleaved.push_str(text);
        }
        StepResult {
            host,
            command,
            stdout,
            stderr,
            exit_code: ran.exit_code,
            notes,
            interleaved,
            chunks: ran.chunks,
            kind: ran.kind,
        }
    }

    /// The engine's events (none for lines that were not docker commands).
    pub fn events(&self) -> &[Event] {
        match &self.kind {
            StepKind::Docker { outcome, .. } => &outcome.events,
            _ => &[],
        }
    }

    /// The typed command, when the line was a docker command that parsed.
    pub fn invocation(&self) -> Option<&Invocation> {
        match &self.kind {
            StepKind::Docker { invocation, .. } => Some(invocation),
            _ => None,
        }
    }
}

/// A line split and parsed, for a front end (the REPL) to look at what it is (does it change the world?
/// does it ask a question?) before running it with [`run_parsed`]: a line is split and parsed once.
#[derive(Clone, Debug)]
pub enum Parsed {
    /// A docker command that parsed, with the shell redirections taken off its words.
    Docker(Box<command::Invocation>, script::Redirect),
    /// A docker command line the CLI refuses before doing anything.
    Usage(command::UsageError, script::Redirect),
    /// Not docker: a file helper, or a word dockdrill does not run (the words after any `VAR=value`).
    Words(Vec<String>),
    /// The quoting does not close (the message says where).
    Unsplittable(String),
}

/// Splits and parses `line` (shell redirections of `docker save`/`load` are taken off first).
pub fn parse_line(line: &Line) -> Parsed {
    let mut words = match script::words(&line.command) {
        Ok(w) => w,
        Err(msg) => return Parsed::Unsplittable(msg),
    };
    let (env, rest) = script::env_prefix(&words);
    let assignments = words.len() - rest.len();
    if rest.first().map(String::as_str) != Some("docker") {
        return Parsed::Words(words.split_off(assignments));
    }
    // Most lines redirect nothing: their words are then used as split, without a copy.
    let (words, redirect) = if rest.iter().any(|w| matches!(w.as_str(), ">" | ">>" | "<")) {
        script::redirections(rest)
    } else {
        words.drain(..assignments);
        (words, script::Redirect::default())
    };
    match command::parse(&words, &env) {
        Ok(i) => Parsed::Docker(Box::new(i), redirect),
        Err(e) => Parsed::Usage(e, redirect),
    }
}

/// Runs `line` on `world`. `stdin` feeds `--password-stdin` and prompts; `tty` says a person is typing.
pub fn run_line(world: &mut World, line: &Line, stdin: Option<String>, tty: bool) -> StepResult {
    run_parsed(world, line, parse_line(line), stdin, tty)
}

/// Runs a line already parsed with [`parse_line`].
pub fn run_parsed(
    world: &mut World,
    line: &Line,
    parsed: Parsed,
    stdin: Option<String>,
    tty: bool,
) -> StepResult {
    let ran = run_parsed_chunks(world, line, parsed, stdin, tty);
    StepResult::from_ran(line.host.clone(), line.command.clone(), ran)
}

/// Runs `line` on `world` like [`run_line`], keeping the output as chunks (see [`Ran`]).
pub fn run_line_chunks(world: &mut World, line: &Line, stdin: Option<String>, tty: bool) -> Ran {
    run_parsed_chunks(world, line, parse_line(line), stdin, tty)
}

/// The one path every line takes: [`run_parsed`] and [`run_line_chunks`] differ only in what they return.
fn run_parsed_chunks(
    world: &mut World,
    line: &Line,
    parsed: Parsed,
    stdin: Option<String>,
    tty: bool,
) -> Ran {
    if let Err(limit) = world.admit(&line.host) {
        let note = render::notes::text(&Note::Limit(limit.clone()));
        return Ran::simple(String::new(), String::new(), 1, StepKind::Limit(limit)).note(note);
    }
    let (parsed, redirect) = match parsed {
        Parsed::Unsplittable(msg) => {
            return Ran::simple(String::new(), format!("{msg}\n"), 2, StepKind::Unsplittable);
        }
        Parsed::Words(words) => return run_words(world, line, &words),
        Parsed::Docker(invocation, redirect) => (Ok(invocation), redirect),
        Parsed::Usage(e, redirect) => (Err(e), redirect),
    };
    // `docker save IMG > FILE`, `docker load < FILE`: a shell redirects to the machine's working folder.
    let mut stdin = stdin;
    let mut tty = tty;
    if let Some(file) = &redirect.stdin {
        match world
            .machine(&line.host)
            .files
            .get(file.trim_start_matches("./"))
        {
            Some(b) => stdin = Some(String::from_utf8_lossy(b).into_owned()),
            None => {
                let msg = format!("bash: {file}: No such file or directory\n");
                return Ran::simple(String::new(), msg, 1, StepKind::Shell);
            }
        }
    }
    if redirect.stdin.is_some() || redirect.stdout.is_some() {
        tty = false;
    }
    let invocation = match parsed {
        Ok(i) => *i,
        Err(e) => {
            return Ran::simple(
                String::new(),
                render::usage::text(&e),
                e.exit_code(),
                StepKind::Usage(e),
            );
        }
    };
    let mut outcome = world.execute(&line.host, &invocation, &Input { stdin, tty });
    for notice in invocation.notices.iter().rev() {
        outcome.events.insert(0, Event::Notice(*notice));
    }
    let ctx = Context {
        pull_on_stdout: matches!(invocation.command, command::Command::Pull { .. }),
        terminal_width: tty.then(terminal_width),
    };
    let mut rendered = render::render(&outcome.events, ctx);
    if let Some((file, append)) = &redirect.stdout {
        let stdout = rendered.channel(Channel::Stdout);
        let files = &mut world.machine(&line.host).files;
        let path = file.trim_start_matches("./").to_string();
        let mut bytes = if *append {
            files
                .get(path.as_str())
                .map(|b| b.to_vec())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        bytes.extend_from_slice(stdout.as_bytes());
        files.insert(path, bytes.into());
        rendered.chunks.retain(|(c, _)| *c != Channel::Stdout);
    }
    Ran {
        chunks: rendered.chunks,
        exit_code: rendered.exit_code.unwrap_or(outcome.exit_code),
        kind: StepKind::Docker {
            invocation: Box::new(invocation),
            outcome,
        },
    }
}

/// A line that is no docker command: a file helper, or a word dockdrill does not run.
fn run_words(world: &mut World, line: &Line, words: &[String]) -> Ran {
    world.machine(&line.host);
    if let Some(r) = script::shell(world, &line.host, words) {
        let mut step = Ran::simple(r.stdout, r.stderr, r.code, StepKind::Shell);
        for note in r.notes {
            step = step.note(note);
        }
        return step;
    }
    let word = words.first().cloned().unwrap_or_default();
    let note = render::notes::not_a_command(&word);
    Ran::simple(
        String::new(),
        String::new(),
        127,
        StepKind::Unknown { word },
    )
    .note(note)
}

/// The terminal's width from `COLUMNS`, else the customary 80.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(80)
}

/// The prompt a line is echoed with (`$ ` or `laptop$ `).
pub fn prompt(host: &str) -> String {
    if host == crate::model::world::DEFAULT_MACHINE {
        "$ ".to_string()
    } else {
        format!("{host}$ ")
    }
}

/// A step as a transcript shows it: the echoed command, the output, each note marked as the simulator's.
pub fn transcript(step: &StepResult, exit_codes: bool) -> String {
    let mut s =
        String::with_capacity(step.host.len() + step.command.len() + step.interleaved.len() + 8);
    if step.host != crate::model::world::DEFAULT_MACHINE {
        s.push_str(&step.host);
    }
    s.push_str("$ ");
    s.push_str(&step.command);
    s.push('\n');
    s.push_str(&step.interleaved);
    if !step.interleaved.is_empty() && !step.interleaved.ends_with('\n') {
        s.push('\n');
    }
    for n in &step.notes {
        s.push_str("[dockdrill] ");
        s.push_str(n);
        s.push('\n');
    }
    if exit_codes {
        s.push_str("[exit ");
        s.push_str(&step.exit_code.to_string());
        s.push_str("]\n");
    }
    s
}

/// [`transcript`] of a step still in chunks (`ran` on `host`), appended to `s`: the same text, without the
/// step's fields copied first.
pub fn transcript_into(s: &mut String, host: &str, command: &str, ran: &Ran, exit_codes: bool) {
    if host != crate::model::world::DEFAULT_MACHINE {
        s.push_str(host);
    }
    s.push_str("$ ");
    s.push_str(command);
    s.push('\n');
    let mut last = None;
    for (_, text) in ran.chunks.iter().filter(|(c, _)| *c != Channel::Note) {
        s.push_str(text);
        last = text.as_bytes().last().copied().or(last);
    }
    if last.is_some_and(|b| b != b'\n') {
        s.push('\n');
    }
    for (_, n) in ran.chunks.iter().filter(|(c, _)| *c == Channel::Note) {
        s.push_str("[dockdrill] ");
        s.push_str(n);
        s.push('\n');
    }
    if exit_codes {
        use std::fmt::Write as _;
        let _ = writeln!(s, "[exit {}]", ran.exit_code);
    }
}
