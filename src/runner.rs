//! Runs one script or REPL line against a world: the one path every front end (replay, check, quizzes,
//! the REPL) shares, so they can never disagree about what a command does.

use crate::command;
use crate::engine::Input;
use crate::event::Event;
use crate::model::world::World;
use crate::render::{self, Channel, Context};
use crate::script::{self, Line};
use serde::Serialize;

/// What one line did, rendered.
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
    #[serde(skip)]
    pub events: Vec<Event>,
}

impl StepResult {
    fn simple(line: &Line, stdout: String, stderr: String, exit_code: i32) -> StepResult {
        let interleaved = format!("{stdout}{stderr}");
        StepResult {
            host: line.host.clone(),
            command: line.command.clone(),
            stdout,
            stderr,
            exit_code,
            notes: vec![],
            interleaved,
            events: vec![],
        }
    }
}

/// Runs `line` on `world`. `stdin` feeds `--password-stdin` and prompts; `tty` says a person is typing.
pub fn run_line(world: &mut World, line: &Line, stdin: Option<String>, tty: bool) -> StepResult {
    if let Err(limit) = world.admit(&line.host) {
        let mut r = StepResult::simple(line, String::new(), String::new(), 1);
        r.notes.push(limit.to_string());
        return r;
    }
    let words = match script::words(&line.command) {
        Ok(w) => w,
        Err(msg) => return StepResult::simple(line, String::new(), format!("{msg}\n"), 2),
    };
    let (env, words) = script::env_prefix(&words);
    if words.first().map(String::as_str) != Some("docker") {
        world.machine(&line.host);
        if let Some(r) = script::shell(world, &line.host, words) {
            let mut step = StepResult::simple(line, r.stdout, r.stderr, r.code);
            step.notes = r.notes;
            return step;
        }
        let mut r = StepResult::simple(line, String::new(), String::new(), 127);
        let name = words.first().cloned().unwrap_or_default();
        r.notes.push(format!(
            "`{name}` is not something dockdrill runs: type docker commands (and cat, ls, sed -i, echo … > FILE, cp, rm, sleep to work with files)"
        ));
        return r;
    }
    let invocation = match command::parse(words, &env) {
        Ok(i) => i,
        Err(e) => return StepResult::simple(line, String::new(), e.message, e.exit_code),
    };
    let mut outcome = world.execute(&line.host, &invocation, &Input { stdin, tty });
    for notice in invocation.notices.iter().rev() {
        outcome.events.insert(
            0,
            Event::Text {
                stream: crate::model::container::Stream::Stdout,
                text: format!("{notice}\n"),
            },
        );
    }
    let ctx = Context {
        pull_on_stdout: matches!(invocation.command, command::Command::Pull { .. }),
        terminal_width: tty.then(terminal_width),
    };
    let rendered = render::render(&outcome.events, ctx);
    let interleaved = rendered
        .chunks
        .iter()
        .filter(|(c, _)| *c != Channel::Note)
        .map(|(_, t)| t.as_str())
        .collect();
    StepResult {
        host: line.host.clone(),
        command: line.command.clone(),
        stdout: rendered.channel(Channel::Stdout),
        stderr: rendered.channel(Channel::Stderr),
        exit_code: outcome.exit_code,
        notes: rendered.notes(),
        interleaved,
        events: outcome.events,
    }
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
    let mut s = format!("{}{}\n", prompt(&step.host), step.command);
    s.push_str(&step.interleaved);
    if !step.interleaved.is_empty() && !step.interleaved.ends_with('\n') {
        s.push('\n');
    }
    for n in &step.notes {
        s.push_str(&format!("[dockdrill] {n}\n"));
    }
    if exit_codes {
        s.push_str(&format!("[exit {}]\n", step.exit_code));
    }
    s
}
