//! The REPL session: a world, the machine the learner is on, and the history that makes undo, redo and
//! `explain` possible. It is pure: [`Session::handle_line`] takes a line and returns what to show, so tests
//! drive it without a terminal and the front end (rustyline or a pipe) only reads lines and prints pieces.
//!
//! Lines are docker commands (`docker …`, run by [`runner::run_line`] exactly as `replay` runs them), the
//! file helpers (`cat`, `sed -i`, …), or the simulator's own commands. Those are plain words that are not
//! docker commands (`state`, `explain`, `undo`, `machine laptop`, `wait 10`), and each may also be written with
//! a leading colon (`:state`), so they can never be confused with something Docker does.
//!
//! Undo works on snapshots: every line that may change the world stores the world as it was before (a clone
//! is cheap: images and layers sit behind `Arc`). The depth is capped so a long session cannot eat memory.

use crate::command::{self, Command};
use crate::model::world::World;
use crate::render::{self, Channel, Context};
use crate::repl::explain::Explanation;
use crate::repl::line_source::Names;
use crate::repl::picture::{self, registries};
use crate::repl::progress_bars::{self, Progress};
use crate::repl::style::{Kind, NOTE_MARKER};
use crate::runner::{self, StepResult};
use crate::script::{self, Line};
use std::collections::VecDeque;

/// How many steps `undo` can go back.
pub const UNDO_DEPTH: usize = 100;

/// The longest `wait` (ten years, as `sleep` allows).
const MAX_WAIT: u64 = 10 * 365 * 86_400;

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

/// Whether the session goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// What one line produced.
#[must_use]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub output: Vec<Chunk>,
    pub flow: Flow,
}

impl Outcome {
    fn show(output: Vec<Chunk>) -> Outcome {
        Outcome {
            output,
            flow: Flow::Continue,
        }
    }

    /// The output as plain text (tests, transcripts).
    pub fn text(&self) -> String {
        self.output.iter().map(|c| c.text.as_str()).collect()
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
    /// Called after each docker command, file helper or `wait` changed the world.
    fn after_step(&mut self, world: &World) -> ActivityReply;
}

/// What an activity answers.
#[derive(Debug, Default)]
pub struct ActivityReply {
    pub output: Vec<Chunk>,
    /// A world to continue in (an undoable step, labelled with the line).
    pub world: Option<World>,
    /// The activity is over: the session drops it.
    pub finished: bool,
}

/// The state before a step, and the step's name.
struct Snapshot {
    world: World,
    machine: String,
    last: Option<Explanation>,
    label: String,
}

/// One learner's session.
pub struct Session {
    world: World,
    /// What `reset` returns to.
    initial: World,
    machine: String,
    undo: VecDeque<Snapshot>,
    redo: Vec<Snapshot>,
    last: Option<Explanation>,
    /// A docker command waiting for its standard input (`login --password-stdin`): the next line.
    pending: Option<Line>,
    /// Is a person typing at a terminal? (`docker run -it` needs one.)
    tty: bool,
    animation: bool,
    activity: Option<Box<dyn Activity>>,
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    /// A session on the default world.
    pub fn new() -> Session {
        Session::with_world(World::new())
    }

    /// A session on a given world (a scenario's); `reset` returns to it.
    pub fn with_world(world: World) -> Session {
        Session {
            initial: world.clone(),
            world,
            machine: crate::model::world::DEFAULT_MACHINE.to_string(),
            undo: VecDeque::new(),
            redo: Vec::new(),
            last: None,
            pending: None,
            tty: false,
            animation: true,
            activity: None,
        }
    }

    /// Marks the session as typed at a terminal (docker's `-t` checks see a TTY).
    pub fn set_tty(&mut self, tty: bool) {
        self.tty = tty;
    }

    /// Plugs in (or removes) a scenario or quiz.
    pub fn set_activity(&mut self, activity: Option<Box<dyn Activity>>) {
        self.activity = activity;
    }

    /// The world as it is now.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The machine commands run on.
    pub fn machine(&self) -> &str {
        &self.machine
    }

    /// Whether pull and push progress is animated (the `animation` command turns it off).
    pub fn animation(&self) -> bool {
        self.animation
    }

    /// Turns the progress animation on or off (`DOCKDRILL_NO_ANIMATION=1` starts with it off).
    pub fn set_animation(&mut self, on: bool) {
        self.animation = on;
    }

    /// The prompt for the next line: the machine's (`$ `, `laptop$ `), or none while a command waits for its
    /// standard input.
    pub fn prompt(&self) -> String {
        if self.pending.is_some() {
            String::new()
        } else {
            runner::prompt(&self.machine)
        }
    }

    /// Names from the current state for completion.
    pub fn names(&self) -> Names {
        let mut names = Names::default();
        if let Some(m) = self.world.machines.get(&self.machine) {
            for t in m.images.tags.keys() {
                let familiar = crate::engine::familiar_ref(t);
                if let Some((repo, _)) = familiar.rsplit_once(':') {
                    names.images.push(repo.to_string());
                }
                names.images.push(familiar);
            }
            for c in m.containers.by_id.values() {
                names.containers.push(c.name.clone());
                names.containers.push(c.short_id().to_string());
            }
            names.files = m.files.keys().cloned().collect();
        }
        for view in registries(&self.world) {
            names.registries.push(view.host.to_string());
            for (path, repo) in &view.registry.repos {
                for tag in repo.tags.keys() {
                    let full = format!("{}/{path}:{tag}", view.host);
                    names.images.push(crate::engine::familiar_ref(&full));
                }
            }
        }
        names.machines = self.world.machines.keys().cloned().collect();
        for list in [
            &mut names.images,
            &mut names.containers,
            &mut names.registries,
            &mut names.files,
        ] {
            list.sort();
            list.dedup();
        }
        names
    }

    /// Handles one line.
    pub fn handle_line(&mut self, line: &str) -> Outcome {
        if let Some(pending) = self.pending.take() {
            return self.run(pending, Some(format!("{line}\n")));
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Outcome::show(Vec::new());
        }
        if let Some(activity) = self.activity.as_mut()
            && let Some(reply) = activity.handle(trimmed, &self.world)
        {
            return self.apply_reply(trimmed, reply);
        }
        let (word, rest) = match trimmed.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (trimmed, ""),
        };
        let meta = word.strip_prefix(':').unwrap_or(word);
        match meta {
            "help" | "?" => Outcome::show(self.help()),
            "state" => Outcome::show(lines(picture::picture(&self.world, &self.machine))),
            "explain" => Outcome::show(match &self.last {
                Some(e) => lines(e.lines()),
                None => vec![Chunk::note(
                    "nothing to explain yet: run a docker command first",
                )],
            }),
            "undo" => Outcome::show(self.undo()),
            "redo" => Outcome::show(self.redo()),
            "reset" => {
                let fresh = self.initial.clone();
                self.step("reset", |s| {
                    s.world = fresh;
                    s.machine = crate::model::world::DEFAULT_MACHINE.to_string();
                });
                Outcome::show(vec![Chunk::note(
                    "the world is as it was at the start (`undo` brings the old one back)",
                )])
            }
            "machine" | "machines" => Outcome::show(self.switch_machine(rest)),
            "wait" => Outcome::show(self.wait(trimmed, rest)),
            "animation" => Outcome::show(match rest {
                "on" | "off" => {
                    self.animation = rest == "on";
                    vec![Chunk::note(format!("progress animation {rest}"))]
                }
                _ => vec![Chunk::note("usage: `animation on` or `animation off`")],
            }),
            "exit" | "quit" => Outcome {
                output: Vec::new(),
                flow: Flow::Quit,
            },
            _ if word.starts_with(':') => Outcome::show(vec![Chunk::note(format!(
                "`{word}` is not a dockdrill command: type `help` for the list"
            ))]),
            _ => {
                let mut line = script::split_host(trimmed);
                if line.command == trimmed {
                    line.host = self.machine.clone();
                }
                let wants_stdin = script::words(&line.command).is_ok_and(|w| {
                    w.first().is_some_and(|d| d == "docker") && script::wants_stdin(&w)
                });
                if wants_stdin {
                    self.pending = Some(line);
                    let mut out = Vec::new();
                    if self.tty {
                        out.push(Chunk::note(
                            "--password-stdin reads the password from the next line you type",
                        ));
                    }
                    return Outcome::show(out);
                }
                self.run(line, None)
            }
        }
    }

    /// Runs a docker command or file helper as an undoable step.
    fn run(&mut self, line: Line, stdin: Option<String>) -> Outcome {
        let tty = self.tty;
        let label = format!("{}{}", runner::prompt(&line.host), line.command);
        let step = self.step(&label, |s| {
            let before = s.world.clone();
            let step = runner::run_line(&mut s.world, &line, stdin, tty);
            s.last = Some(Explanation::new(
                &line.host,
                &line.command,
                step.exit_code,
                &step.events,
                &before,
                &s.world,
            ));
            Some(step)
        });
        let mut output = step.map(|s| chunks_of(&s, &self.world)).unwrap_or_default();
        if let Some(hint) = missing_docker(&line.command) {
            output.push(Chunk::note(hint));
        }
        output.extend(self.after_step());
        Outcome::show(output)
    }

    /// Records the state before `f` changes it, so `undo` can bring it back.
    fn step<R>(&mut self, label: &str, f: impl FnOnce(&mut Session) -> R) -> R {
        let snapshot = Snapshot {
            world: self.world.clone(),
            machine: self.machine.clone(),
            last: self.last.clone(),
            label: label.to_string(),
        };
        let r = f(self);
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(snapshot);
        self.redo.clear();
        r
    }

    fn restore(&mut self, s: Snapshot) -> Snapshot {
        Snapshot {
            world: std::mem::replace(&mut self.world, s.world),
            machine: std::mem::replace(&mut self.machine, s.machine),
            last: std::mem::replace(&mut self.last, s.last),
            label: s.label,
        }
    }

    fn undo(&mut self) -> Vec<Chunk> {
        let Some(s) = self.undo.pop_back() else {
            return vec![Chunk::note("nothing to undo")];
        };
        let label = s.label.clone();
        let newer = self.restore(s);
        self.redo.push(newer);
        vec![Chunk::note(format!("undid `{label}`"))]
    }

    fn redo(&mut self) -> Vec<Chunk> {
        let Some(s) = self.redo.pop() else {
            return vec![Chunk::note("nothing to redo")];
        };
        let label = s.label.clone();
        let older = self.restore(s);
        self.undo.push_back(older);
        vec![Chunk::note(format!("redid `{label}`"))]
    }

    fn switch_machine(&mut self, name: &str) -> Vec<Chunk> {
        if name.is_empty() {
            let list: Vec<String> = self
                .world
                .machines
                .keys()
                .map(|m| {
                    if *m == self.machine {
                        format!("`{m}` (current)")
                    } else {
                        format!("`{m}`")
                    }
                })
                .collect();
            return vec![Chunk::note(format!(
                "machines: {}; `machine NAME` switches (a new name makes a new, empty machine)",
                list.join(", ")
            ))];
        }
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !valid {
            return vec![Chunk::note(format!(
                "`{name}` cannot name a machine: use letters, digits, `.`, `_` and `-`"
            ))];
        }
        if name == self.machine {
            return vec![Chunk::note(format!("already on `{name}`"))];
        }
        let existed = self.world.machines.contains_key(name);
        self.step(&format!("machine {name}"), |s| {
            s.world.machine(name);
            s.machine = name.to_string();
        });
        let what = if existed {
            ""
        } else {
            " (a new machine: no images, no containers; registries are shared)"
        };
        let mut out = vec![Chunk::note(format!("now on `{name}`{what}"))];
        out.extend(self.after_step());
        out
    }

    fn wait(&mut self, line: &str, arg: &str) -> Vec<Chunk> {
        let Some(secs) = parse_duration(arg) else {
            return vec![Chunk::note(
                "usage: `wait N` with N seconds (or `30s`, `5m`, `2h`)",
            )];
        };
        let host = self.machine.clone();
        self.step(line, |s| {
            let before = s.world.clone();
            s.world.advance(secs);
            s.last = Some(Explanation::new(&host, line, 0, &[], &before, &s.world));
        });
        let mut out = vec![Chunk::note(format!(
            "{} passed",
            crate::units::human_duration(secs)
        ))];
        out.extend(self.after_step());
        out
    }

    fn after_step(&mut self) -> Vec<Chunk> {
        let Some(activity) = self.activity.as_mut() else {
            return Vec::new();
        };
        let reply = activity.after_step(&self.world);
        let finished = reply.finished;
        let out = reply.output;
        if finished {
            self.activity = None;
        }
        out
    }

    fn apply_reply(&mut self, line: &str, reply: ActivityReply) -> Outcome {
        if let Some(world) = reply.world {
            self.step(line, |s| {
                s.world = world;
                s.world.machine(&s.machine);
            });
        }
        if reply.finished {
            self.activity = None;
        }
        Outcome::show(reply.output)
    }

    fn help(&self) -> Vec<Chunk> {
        let mut out = vec![Chunk::new(Kind::Info, HELP)];
        if let Some(a) = &self.activity {
            let mut text = format!("now: {}\n", a.title());
            for (usage, what) in a.commands() {
                text.push_str(&format!("  {usage:<20} {what}\n"));
            }
            out.push(Chunk::new(Kind::Info, text));
        }
        out
    }
}

/// Turns picture/explain lines into chunks, merging runs of one kind.
fn lines(lines: Vec<(Kind, String)>) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    for (kind, text) in lines {
        match out.last_mut() {
            Some(c) if c.kind == kind => {
                c.text.push_str(&text);
                c.text.push('\n');
            }
            _ => out.push(Chunk::new(kind, text)),
        }
    }
    out
}

/// A step's output as chunks: Docker's stdout and stderr in the order written, then the simulator's notes,
/// with pull and push blocks located for animation.
fn chunks_of(step: &StepResult, world: &World) -> Vec<Chunk> {
    let mut out = Vec::new();
    if step.events.is_empty() {
        for (kind, text) in [(Kind::Stdout, &step.stdout), (Kind::Stderr, &step.stderr)] {
            if !text.is_empty() {
                out.push(Chunk::new(kind, text.clone()));
            }
        }
        out.extend(step.notes.iter().map(Chunk::note));
        return out;
    }
    let rendered = render::render(
        &step.events,
        Context {
            pull_on_stdout: is_pull(&step.command),
            ..Context::default()
        },
    );
    for (channel, text) in &rendered.chunks {
        out.push(match channel {
            Channel::Stdout => Chunk::new(Kind::Stdout, text.clone()),
            Channel::Stderr => Chunk::new(Kind::Stderr, text.clone()),
            Channel::Note => Chunk::note(text.trim_end()),
        });
    }
    let texts: Vec<&str> = out.iter().map(|c| c.text.as_str()).collect();
    let found = progress_bars::locate(&texts, &step.events, world);
    for (chunk, progress) in out.iter_mut().zip(found) {
        chunk.progress = progress;
    }
    out
}

/// Is this `docker pull` (whose progress goes to stdout; `run` and `build` send theirs to stderr)?
fn is_pull(command: &str) -> bool {
    let Ok(words) = script::words(command) else {
        return false;
    };
    let (env, words) = script::env_prefix(&words);
    command::parse(words, &env).is_ok_and(|i| matches!(i.command, Command::Pull { .. }))
}

/// A docker command typed without `docker` (`ps`) gets a nudge.
fn missing_docker(command: &str) -> Option<String> {
    let first = command.split_whitespace().next()?;
    let is_helper = ["cat", "ls", "sed", "echo", "cp", "rm", "sleep"].contains(&first);
    let is_docker = crate::help::COMMANDS.contains(&first) && first != "docker";
    (is_docker && !is_helper).then(|| format!("did you mean `docker {command}`?"))
}

/// `10`, `10s`, `5m`, `2h` → seconds.
fn parse_duration(s: &str) -> Option<u64> {
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let n: u64 = digits.parse().ok()?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => return None,
    };
    Some(n.saturating_mul(factor).min(MAX_WAIT))
}

/// What `help` prints.
const HELP: &str = "\
dockdrill's own commands (never docker's: docker commands start with `docker`; `:state` works too)
  help                 this help
  state                draw the world: machines with their images, layers and containers, and registries
  explain              why the last command did what it did, and what it changed
  undo, redo           step back and forward through what you typed (up to 100 steps)
  reset                start again from a fresh world (`undo` brings the old one back)
  machine [NAME]       list the machines, or switch to NAME (a new name makes a new, empty machine)
  wait N               let N seconds pass (`30s`, `5m`, `2h`): processes that end by themselves end
  animation on|off     animate pull and push progress in a terminal
  exit, quit           leave (Ctrl-D does too; Ctrl-C clears the line)
  A line may name its machine: `laptop$ docker images` runs once on `laptop`

files in the machine's working folder (the build context of `docker build .`)
  ls   cat FILE   echo TEXT > FILE   sed -i 's/OLD/NEW/' FILE   cp FROM TO   rm FILE   sleep N

docker commands simulated
  build  run  create  start  stop  restart  kill  pause  unpause  rm  ps  logs  inspect
  images  rmi  tag  history  image prune  container prune  pull  push  login  logout  version
  and `--help` on each (`docker run --help`)

accounts on Docker Hub (docker.io)
  alice / wonderland   owns the private repository `alice/secret-app`
  bob   / builder
  e.g. `docker login -u alice -p wonderland`, then `docker tag myimage alice/myimage` and `docker push alice/myimage`
";

#[cfg(test)]
mod tests {
    use super::*;

    fn session(lines: &[&str]) -> (Session, String) {
        let mut s = Session::new();
        let mut text = String::new();
        for l in lines {
            text.push_str(&s.handle_line(l).text());
        }
        (s, text)
    }

    #[test]
    fn docker_commands_run_on_the_current_machine() {
        let (s, _) = session(&["machine laptop", "docker pull alpine"]);
        assert_eq!(s.machine(), "laptop");
        assert_eq!(s.world().machines["laptop"].images.images.len(), 1);
        assert!(s.world().machines["default"].images.images.is_empty());
        assert_eq!(s.prompt(), "laptop$ ");
    }

    #[test]
    fn undo_and_redo_walk_the_snapshots() {
        let (mut s, _) = session(&["docker pull alpine", "docker tag alpine mine"]);
        let tags = |s: &Session| s.world().machines["default"].images.tags.len();
        assert_eq!(tags(&s), 2);
        assert_eq!(
            s.handle_line("undo").text(),
            "[dockdrill] undid `$ docker tag alpine mine`\n"
        );
        assert_eq!(tags(&s), 1);
        assert_eq!(
            s.handle_line("undo").text(),
            "[dockdrill] undid `$ docker pull alpine`\n"
        );
        assert_eq!(tags(&s), 0);
        assert_eq!(
            s.handle_line("undo").text(),
            "[dockdrill] nothing to undo\n"
        );
        let _ = s.handle_line("redo");
        let _ = s.handle_line(":redo");
        assert_eq!(tags(&s), 2);
        assert_eq!(
            s.handle_line("redo").text(),
            "[dockdrill] nothing to redo\n"
        );
        // A new step forgets the redo history.
        let _ = s.handle_line("undo");
        let _ = s.handle_line("docker ps");
        assert_eq!(
            s.handle_line("redo").text(),
            "[dockdrill] nothing to redo\n"
        );
    }

    #[test]
    fn undo_depth_is_capped() {
        let mut s = Session::new();
        for _ in 0..UNDO_DEPTH + 5 {
            let _ = s.handle_line("wait 1");
        }
        assert_eq!(s.undo.len(), UNDO_DEPTH);
    }

    #[test]
    fn reset_is_undoable() {
        let (mut s, _) = session(&["docker pull alpine", "machine laptop", "reset"]);
        assert_eq!(s.machine(), "default");
        assert!(s.world().machines["default"].images.images.is_empty());
        let _ = s.handle_line("undo");
        assert_eq!(s.machine(), "laptop");
        assert_eq!(s.world().machines["default"].images.images.len(), 1);
    }

    #[test]
    fn password_stdin_takes_the_next_line() {
        let (s, text) = session(&["docker login -u alice --password-stdin", "wonderland"]);
        assert!(text.contains("Login Succeeded"), "{text}");
        assert_eq!(
            s.world().machines["default"]
                .logins
                .get("docker.io")
                .map(String::as_str),
            Some("alice")
        );
    }

    #[test]
    fn wait_lets_processes_end() {
        let (_, text) = session(&[
            "docker run -d --rm --name nap alpine sleep 5",
            "wait 10",
            "explain",
        ]);
        assert!(text.contains("[dockdrill] 10 seconds passed"), "{text}");
        assert!(
            text.contains("- container `nap` removed (--rm) on `default`"),
            "{text}"
        );
    }

    #[test]
    fn exit_quits_and_unknown_meta_commands_are_named() {
        let mut s = Session::new();
        assert_eq!(s.handle_line("exit").flow, Flow::Quit);
        assert_eq!(s.handle_line(":quit").flow, Flow::Quit);
        assert!(
            s.handle_line(":frob")
                .text()
                .contains("`:frob` is not a dockdrill command")
        );
        assert!(
            s.handle_line("ps")
                .text()
                .contains("did you mean `docker ps`?")
        );
        assert!(
            s.handle_line("machine ../x")
                .text()
                .contains("cannot name a machine")
        );
        assert!(
            s.handle_line("wait soon")
                .text()
                .contains("usage: `wait N`")
        );
    }

    #[test]
    fn names_for_completion() {
        let (s, _) = session(&[
            "docker build -t myimage .",
            "docker run -d --name web myimage",
        ]);
        let n = s.names();
        assert!(n.images.contains(&"myimage".to_string()));
        assert!(n.images.contains(&"myimage:latest".to_string()));
        assert!(n.images.contains(&"node:22-alpine".to_string()));
        assert!(n.containers.contains(&"web".to_string()));
        assert_eq!(n.machines, vec!["default".to_string()]);
        assert!(n.registries.contains(&"docker.io".to_string()));
        assert!(n.files.contains(&"Dockerfile".to_string()));
    }

    #[test]
    fn pulls_carry_progress() {
        let (mut s, _) = session(&[]);
        let out = s.handle_line("docker pull alpine");
        assert_eq!(
            out.output.iter().map(|c| c.progress.len()).sum::<usize>(),
            1
        );
        assert!(out.text().contains("Pull complete"));
    }

    /// A goal checker in the shape a scenario will take: it watches the world and finishes when the goal
    /// holds. Proves the hook carries what the lead needs.
    struct Goal {
        checks: usize,
    }

    impl Activity for Goal {
        fn title(&self) -> String {
            "scenario `first-image`".into()
        }
        fn commands(&self) -> Vec<(String, String)> {
            vec![("goal".into(), "what is still missing".into())]
        }
        fn handle(&mut self, line: &str, world: &World) -> Option<ActivityReply> {
            (line == "goal").then(|| ActivityReply {
                output: vec![Chunk::note(format!(
                    "goal: an image `myimage` ({} images so far)",
                    world.machines["default"].images.images.len()
                ))],
                ..ActivityReply::default()
            })
        }
        fn after_step(&mut self, world: &World) -> ActivityReply {
            self.checks += 1;
            let done = world.machines["default"]
                .images
                .tags
                .contains_key("docker.io/library/myimage:latest");
            ActivityReply {
                output: if done {
                    vec![Chunk::note(format!(
                        "goal reached in {} commands",
                        self.checks
                    ))]
                } else {
                    Vec::new()
                },
                world: None,
                finished: done,
            }
        }
    }

    #[test]
    fn an_activity_plugs_in() {
        let mut s = Session::new();
        s.set_activity(Some(Box::new(Goal { checks: 0 })));
        assert!(
            s.handle_line("help")
                .text()
                .contains("now: scenario `first-image`")
        );
        assert!(s.handle_line("goal").text().contains("(0 images so far)"));
        let _ = s.handle_line("docker ps");
        let out = s.handle_line("docker build -t myimage .").text();
        assert!(
            out.ends_with("[dockdrill] goal reached in 2 commands\n"),
            "{out}"
        );
        assert!(s.activity.is_none());
    }
}
