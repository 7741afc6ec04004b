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

use crate::command::Command;
use crate::model::world::World;
use crate::repl::counting::{self, LineKind};
use crate::repl::course::Course;
use crate::repl::explain::Explanation;
use crate::repl::learn;
use crate::repl::line_source::{LazyNames, Names};
use crate::repl::picture::{self, registries};
use crate::repl::play::ScenarioPlay;
use crate::repl::progress::{self, Record, Store};
use crate::repl::prompts;
use crate::repl::quiz_play::QuizPlay;
use crate::repl::shell_idiom;
use crate::repl::style::Kind;
use crate::repl::suggest;
use crate::runner::{self, Parsed, StepResult};
use crate::script::{self, Line};
use std::collections::VecDeque;
use std::sync::Arc;

/// How many steps `undo` can go back.
pub const UNDO_DEPTH: usize = 100;

use crate::repl::activity::chunks_of_tty;
pub use crate::repl::activity::{Activity, ActivityReply, Chunk, Did, Mark};

/// The longest `wait` (ten years, as `sleep` allows).
const MAX_WAIT: u64 = 10 * 365 * 86_400;

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

/// What the session expects the next line to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// A command, after the machine's prompt; it goes into the history.
    Command,
    /// An answer to a waiting command (`[y/N]`, `Username: `), after [`Session::prompt`]; not a command, not
    /// kept in the history.
    Answer,
    /// A password: read without echo, never kept in the history.
    Secret,
}

/// The state before a step, and the step's name. The world is shared with the step's [`Last`], so a step
/// stores the world once.
struct Snapshot {
    world: Arc<World>,
    machine: String,
    last: Option<Last>,
    label: String,
    mark: Mark,
}

/// What `explain` will say about the last command. The world diff is computed when `explain` is typed (most
/// commands are never explained), from the worlds kept here.
#[derive(Clone)]
enum Last {
    /// Not explained yet.
    Lazy(Box<LastStep>),
    /// Computed (by `explain`, or at once when a later change would blur the diff).
    Done(Box<Explanation>),
}

/// A command's facts, kept for `explain`: the typed step as the runner returned it.
#[derive(Clone)]
struct LastStep {
    host: String,
    command: String,
    /// The typed result (`None` for `wait`, which is no command).
    step: Option<StepResult>,
    /// The world before the command; `None` for a look (it changed nothing but the clock).
    before: Option<Arc<World>>,
    /// The world right after it, when something else (a scripted event) has changed it since; `None` means
    /// the current world.
    after: Option<Arc<World>>,
}

impl LastStep {
    fn explain(&self, now: &World) -> Explanation {
        let after = self.after.as_deref().unwrap_or(now);
        let before = self.before.as_deref().unwrap_or(after);
        match &self.step {
            Some(step) => Explanation::of_step(step, before, after),
            None => Explanation::new(&self.host, &self.command, before, after),
        }
    }
}

/// The learner's own world with its history, put aside while a scenario or quiz lends them its worlds, and
/// given back exactly as it was by `leave`.
struct Home {
    world: World,
    machine: String,
    undo: VecDeque<Snapshot>,
    redo: Vec<Snapshot>,
    last: Option<Last>,
}

/// A docker command waiting for the learner's next line.
enum Pending {
    /// `--password-stdin`: the next line is the password.
    Stdin { line: Line, parsed: Parsed },
    /// A `[y/N]` question: the next line is the answer; `shown` is the text already printed (the question),
    /// which the real run prints again.
    Confirm {
        line: Line,
        parsed: Parsed,
        shown: String,
    },
    /// `docker login` without a username, at a terminal: the next line is the username.
    Username { line: Line, server: Option<String> },
    /// `docker login` without a password, at a terminal: the next line (typed hidden) is the password.
    Password {
        line: Line,
        server: Option<String>,
        user: String,
    },
}

/// One learner's session.
pub struct Session {
    world: World,
    /// What `reset` returns to.
    initial: World,
    machine: String,
    undo: VecDeque<Snapshot>,
    redo: Vec<Snapshot>,
    last: Option<Last>,
    /// A docker command waiting for the learner's next line (a password, a `[y/N]` answer).
    pending: Option<Pending>,
    /// The question a waiting command asks (`Are you sure you want to continue? [y/N] `), the next prompt.
    question: String,
    /// Is a person typing at a terminal? (`docker run -it` needs one.)
    tty: bool,
    animation: bool,
    activity: Option<Box<dyn Activity>>,
    /// The learner's own world, while a scenario or quiz lends them one.
    home: Option<Home>,
    /// The scenarios and quizzes on offer.
    course: Course,
    /// What the learner has achieved, and where it is saved (nowhere in tests that do not ask).
    progress: progress::Progress,
    store: Option<Box<dyn Store>>,
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
            question: String::new(),
            tty: false,
            animation: true,
            activity: None,
            home: None,
            course: Course::shipped(),
            progress: progress::Progress::default(),
            store: None,
        }
    }

    /// Gives the session the learner's progress and where to save it.
    pub fn set_progress(&mut self, progress: progress::Progress, store: Option<Box<dyn Store>>) {
        self.progress = progress;
        self.store = store;
    }

    /// The learner's progress.
    pub fn progress(&self) -> &progress::Progress {
        &self.progress
    }

    /// Replaces the courseware on offer (tests).
    pub fn set_course(&mut self, course: Course) {
        self.course = course;
    }

    /// One line on what the learner has done: `2 of 12 scenarios done, 15/21 quiz questions right`.
    pub fn progress_summary(&self) -> String {
        learn::summary(&self.course, &self.progress)
    }

    /// Starts playing `scenario`: the learner's own world is put aside (`leave` brings it back) and the
    /// scenario's world becomes the session's, fresh.
    pub fn play(&mut self, scenario: crate::courseware::Scenario) -> Outcome {
        let mut out = self.leave_activity();
        let world = scenario.world.clone();
        let play = ScenarioPlay::new(scenario);
        let mut intro = play.intro().into_iter();
        out.extend(intro.next());
        out.push(Chunk::note(LEAVE_NOTE));
        out.extend(intro);
        self.put_home_aside();
        self.begin(world);
        self.activity = Some(Box::new(play));
        Outcome::show(out)
    }

    /// Starts `quiz`, putting the learner's own world aside to return to when it ends.
    pub fn quiz(&mut self, quiz: crate::courseware::Quiz) -> Outcome {
        let mut out = self.leave_activity();
        let (play, intro, world) = QuizPlay::start(quiz);
        out.extend(intro);
        self.put_home_aside();
        self.begin(world);
        self.activity = Some(Box::new(play));
        Outcome::show(out)
    }

    /// Keeps the learner's own world and its history (once: a second scenario keeps the same home).
    fn put_home_aside(&mut self) {
        if self.home.is_some() {
            return;
        }
        self.home = Some(Home {
            world: std::mem::take(&mut self.world),
            machine: self.machine.clone(),
            undo: std::mem::take(&mut self.undo),
            redo: std::mem::take(&mut self.redo),
            last: self.last.take(),
        });
    }

    /// A fresh start on `world`: `reset` returns to it and undo forgets what came before.
    fn begin(&mut self, mut world: World) {
        // Real registries given on the command line serve every world of the session.
        if world.remotes.is_empty() {
            world.remotes = self.world.remotes.clone();
        }
        self.initial = world.clone();
        self.world = world;
        self.machine = crate::model::world::DEFAULT_MACHINE.to_string();
        self.world.machine(&self.machine);
        self.undo.clear();
        self.redo.clear();
        self.last = None;
    }

    /// Drops the activity and gives the learner's own world back, exactly as it was (world, machine,
    /// undo and redo history, what `explain` would say).
    fn leave_activity(&mut self) -> Vec<Chunk> {
        self.activity = None;
        self.pending = None;
        let Some(home) = self.home.take() else {
            return Vec::new();
        };
        self.initial = World::new();
        self.world = home.world;
        self.machine = home.machine;
        self.undo = home.undo;
        self.redo = home.redo;
        self.last = home.last;
        vec![Chunk::note("back in your own world")]
    }

    /// `leave`: ends the scenario or quiz (or the finished scenario's world) and goes home.
    fn leave(&mut self) -> Vec<Chunk> {
        let what = self.activity.as_ref().map(|a| a.title());
        if what.is_none() && self.home.is_none() {
            return vec![Chunk::note(
                "you are in your own world already: `leave` ends a scenario or a quiz",
            )];
        }
        let mut out = Vec::new();
        if let Some(what) = what {
            out.push(Chunk::note(format!("left {what}")));
        }
        out.extend(self.leave_activity());
        out
    }

    /// Saves achievements; says so when a best was beaten or when saving fails (once).
    fn record(&mut self, records: &[Record]) -> Vec<Chunk> {
        if records.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for r in records {
            if let (Some(old), Record::Scenario { commands, .. }) = (self.progress.record(r), r) {
                out.push(Chunk::note(format!(
                    "a new best: {commands}, down from {old}"
                )));
            }
        }
        if let Some(store) = self.store.as_mut()
            && let Some(message) = store.save(&self.progress)
        {
            out.push(Chunk::note(message));
        }
        out
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
        match &self.pending {
            None => runner::prompt(&self.machine),
            Some(Pending::Stdin { .. }) => String::new(),
            Some(_) => self.question.clone(),
        }
    }

    /// Names from the current state for completion.
    pub fn names(&self) -> Names {
        gather_names(
            &self.world,
            &self.machine,
            self.course.scenario_names(),
            self.course.quiz_names(),
        )
    }

    /// [`Session::names`], gathered only when completion asks: the snapshot is a clone of the world that shares
    /// all of its structure, so handing it over before every line costs nothing that grows with the world.
    pub fn lazy_names(&self) -> LazyNames {
        let world = self.world.clone();
        let machine = self.machine.clone();
        let scenarios: Vec<String> = self
            .course
            .scenario_names()
            .into_iter()
            .map(String::from)
            .collect();
        let quizzes: Vec<String> = self
            .course
            .quiz_names()
            .into_iter()
            .map(String::from)
            .collect();
        LazyNames::new(move || {
            gather_names(
                &world,
                &machine,
                scenarios.iter().map(String::as_str).collect(),
                quizzes.iter().map(String::as_str).collect(),
            )
        })
    }

    /// What the next line is read as: a command, or an answer to the command that is waiting (shown with
    /// [`Session::prompt`] as its prompt; a secret is read without echo and never kept in the history).
    pub fn reading(&self) -> Reading {
        match &self.pending {
            None => Reading::Command,
            Some(Pending::Password { .. } | Pending::Stdin { .. }) => Reading::Secret,
            Some(_) => Reading::Answer,
        }
    }

    /// Ctrl-C (or Ctrl-D while a command waits for an answer): a waiting command is cancelled, as Docker is
    /// when interrupted at its prompt; otherwise nothing happens (the front end drops the typed line).
    pub fn interrupt(&mut self) -> Vec<Chunk> {
        self.question.clear();
        let Some(pending) = self.pending.take() else {
            return Vec::new();
        };
        let line = match &pending {
            Pending::Stdin { line: l, .. } | Pending::Confirm { line: l, .. } => l,
            Pending::Username { line, .. } | Pending::Password { line, .. } => line,
        };
        vec![Chunk::note(format!(
            "`{}` cancelled: it did nothing",
            line.command
        ))]
    }

    /// Handles one line: the single entry point every front end drives (the terminal, a pipe, the browser).
    /// The line is a command, or the answer to a waiting command when [`Session::reading`] says so. Never
    /// panics and never ends the session except on `exit`.
    pub fn handle_line(&mut self, line: &str) -> Outcome {
        if let Some(pending) = self.pending.take() {
            return Outcome::show(self.answer(pending, line));
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
            "state" if rest.is_empty() => {
                Outcome::show(lines(picture::picture(&self.world, &self.machine)))
            }
            "state" => Outcome::show(vec![Chunk::note(crate::svg::state_command(
                &self.world,
                &self.machine,
                rest,
            ))]),
            "explain" => Outcome::show(self.explain()),
            "undo" => Outcome::show(self.undo()),
            "redo" => Outcome::show(self.redo()),
            "reset" => Outcome::show(self.reset()),
            "leave" => Outcome::show(self.leave()),
            // `machine --platform OS/ARCH` sets this machine's CPU: a world change, so it runs as a line.
            "machine" if rest.starts_with("--platform") => Outcome::show(self.command(trimmed)),
            "machine" | "machines" => Outcome::show(self.switch_machine(rest)),
            "scenarios" | "quizzes" => Outcome::show(learn::list(&self.course, &self.progress)),
            "play" if rest.is_empty() => Outcome::show(vec![Chunk::note(
                "usage: `play NAME` (`scenarios` lists them; a number or a .yaml file works too)",
            )]),
            "play" => match self.course.find_scenario(rest) {
                Ok(scenario) => self.play(scenario),
                Err(e) => Outcome::show(vec![Chunk::note(e)]),
            },
            "quiz" => match self.course.find_quiz(rest) {
                Ok(quiz) => self.quiz(quiz),
                Err(e) => Outcome::show(vec![Chunk::note(e)]),
            },
            "goal" | "hint" | "solution" => Outcome::show(vec![Chunk::note(
                "no scenario is being played: `scenarios` lists them, `play NAME` starts one",
            )]),
            "answer" | "next" | "skip" | "question" | "quit-quiz" => {
                Outcome::show(vec![Chunk::note(
                    "no quiz is being taken: `quiz` starts one",
                )])
            }
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
            _ if word.starts_with(':') => {
                let mut text =
                    format!("`{word}` is not a dockdrill command: type `help` for the list");
                if let Some(near) = suggest::closest(meta, own_commands()) {
                    text = format!("`{word}` is not a dockdrill command: did you mean `{near}`?");
                }
                Outcome::show(vec![Chunk::note(text)])
            }
            _ => Outcome::show(self.command(trimmed)),
        }
    }

    /// A docker command or file helper (or something that is neither). The line is split and parsed once,
    /// here; what it is decides whether it counts and whether it asks a question first, and the parsed
    /// line is what runs.
    fn command(&mut self, trimmed: &str) -> Vec<Chunk> {
        let mut line = script::split_host(trimmed);
        if line.command == trimmed {
            line.host = self.machine.clone();
        }
        if let Some(idiom) = shell_idiom::find(&line.command) {
            return vec![Chunk::note(shell_idiom::note(idiom, &line.command))];
        }
        let parsed = runner::parse_line(&line);
        let invocation = match &parsed {
            Parsed::Unsplittable(_) => return self.run(line, parsed, None, LineKind::NotACommand),
            Parsed::Words(words) => {
                if let Some(kind) = counting::helper(words) {
                    return self.run(line, parsed, None, kind);
                }
                let words = words.clone();
                return self.not_a_command(line, parsed, &words);
            }
            Parsed::Usage(..) => {
                let near = script::words(&line.command).ok().and_then(|argv| {
                    argv.iter()
                        .skip_while(|w| w.contains('=') && *w != "docker")
                        .nth(1)
                        .filter(|w| !w.starts_with('-'))
                        .filter(|w| !crate::help::COMMANDS.contains(&w.as_str()))
                        .and_then(|w| suggest::closest(w, top_level_commands()))
                });
                let fixed = near.map(|n| replace_word(&line.command, 1, n));
                let mut out = self.run(line, parsed, None, LineKind::NotACommand);
                if let Some(fixed) = fixed {
                    out.push(Chunk::note(format!("did you mean `{fixed}`?")));
                }
                return out;
            }
            Parsed::Docker(invocation, _) => invocation,
        };
        let kind = counting::docker(&invocation.command);
        match &invocation.command {
            Command::Login {
                password_stdin: true,
                ..
            } => {
                self.pending = Some(Pending::Stdin { line, parsed });
                let mut out = Vec::new();
                if self.tty {
                    out.push(Chunk::note(
                        "--password-stdin reads the password from the next line you type",
                    ));
                }
                out
            }
            Command::ImagePrune { force: false, .. }
            | Command::ContainerPrune { force: false, .. } => self.confirm(line, parsed),
            Command::Login {
                server,
                username,
                password: None,
                password_stdin: false,
            } if self.tty => {
                let (server, username) = (server.clone(), username.clone());
                self.login_prompts(line, parsed, server, username)
            }
            _ => self.run(line, parsed, None, kind),
        }
    }

    /// A first word that is neither docker nor a file helper: a "did you mean", else the runner's note.
    fn not_a_command(&mut self, line: Line, parsed: Parsed, argv: &[String]) -> Vec<Chunk> {
        let first = argv.first().map(String::as_str).unwrap_or_default();
        if let Some(hint) = missing_docker(&line.command) {
            let mut out = self.run(line, parsed, None, LineKind::NotACommand);
            out.push(Chunk::note(hint));
            return out;
        }
        let known = std::iter::once("docker")
            .chain(own_commands())
            .chain(counting::HELPERS.iter().copied());
        if let Some(near) = suggest::closest(first, known) {
            let fixed = replace_word(&line.command, 0, near);
            return vec![Chunk::note(format!(
                "`{first}` is not a command: did you mean `{fixed}`?"
            ))];
        }
        self.run(line, parsed, None, LineKind::NotACommand)
    }

    /// Docker's `[y/N]` question: its text is shown now (the question line becomes the prompt) and the
    /// learner's next line is the answer, as the real CLI reads it from the terminal.
    fn confirm(&mut self, line: Line, parsed: Parsed) -> Vec<Chunk> {
        // The question is Docker's own text: ask the engine for it on a scratch copy (a cancelled prune
        // changes nothing), so its wording lives in one place.
        let mut scratch = self.world.clone();
        let probe = runner::run_parsed(&mut scratch, &line, parsed.clone(), None, self.tty);
        let shown = probe.interleaved.clone();
        let cut = shown.rfind('\n').map_or(0, |i| i + 1);
        let (said, question) = shown.split_at(cut);
        let out = if said.is_empty() {
            Vec::new()
        } else {
            vec![Chunk::new(Kind::Stdout, said)]
        };
        self.question = question.to_string();
        self.pending = Some(Pending::Confirm {
            line,
            parsed,
            shown,
        });
        out
    }

    /// `docker login` with something missing, at a terminal: Docker's prompts for what is missing.
    fn login_prompts(
        &mut self,
        line: Line,
        parsed: Parsed,
        server: Option<String>,
        username: Option<String>,
    ) -> Vec<Chunk> {
        let hub = server.as_deref().is_none_or(prompts::is_docker_hub);
        // Stored credentials and no `-u`: Docker logs in with them, no prompt.
        let key = if hub {
            "docker.io"
        } else {
            server.as_deref().unwrap_or("")
        };
        let logged_in = self
            .world
            .machines
            .get(line.host.as_str())
            .is_some_and(|m| m.logins.contains_key(key));
        if username.is_none() && logged_in {
            return self.run(line, parsed, None, LineKind::Step);
        }
        let mut out = Vec::new();
        match username {
            None => {
                if hub {
                    out.push(Chunk::note(prompts::WEB_LOGIN_NOTE));
                    out.push(Chunk::new(Kind::Stdout, prompts::HUB_INTRO));
                }
                self.question = prompts::USERNAME.to_string();
                self.pending = Some(Pending::Username { line, server });
            }
            Some(user) => {
                if hub {
                    out.push(Chunk::new(Kind::Stderr, prompts::PAT_NOTE));
                }
                self.question = prompts::PASSWORD.to_string();
                self.pending = Some(Pending::Password { line, server, user });
            }
        }
        out
    }

    /// The learner's answer to a waiting command.
    fn answer(&mut self, pending: Pending, text: &str) -> Vec<Chunk> {
        self.question.clear();
        match pending {
            Pending::Stdin { line, parsed } => {
                self.run_with(line, parsed, Some(format!("{text}\n")), LineKind::Step, "")
            }
            Pending::Confirm {
                line,
                parsed,
                shown,
            } => {
                // The learner's answer ended the question's line (a terminal echoes it, a pipe's echo shows
                // it): the run's copy of the question and of that line end is left out.
                let echoed = format!("{shown}\n");
                self.run_with(
                    line,
                    parsed,
                    Some(format!("{text}\n")),
                    LineKind::Step,
                    &echoed,
                )
            }
            Pending::Username { line, server } => {
                let user = text.trim();
                if user.is_empty() {
                    return vec![Chunk::new(Kind::Stderr, prompts::USERNAME_REQUIRED)];
                }
                let hub = server.as_deref().is_none_or(prompts::is_docker_hub);
                let mut out = Vec::new();
                if hub {
                    out.push(Chunk::new(Kind::Stderr, prompts::PAT_NOTE));
                }
                self.question = prompts::PASSWORD.to_string();
                self.pending = Some(Pending::Password {
                    line,
                    server,
                    user: user.to_string(),
                });
                out
            }
            Pending::Password { line, server, user } => {
                // Docker prints a newline after the hidden password (the terminal did not echo Enter).
                let mut out = Vec::new();
                if !self.tty {
                    out.push(Chunk::new(Kind::Stdout, ""));
                }
                if text.is_empty() {
                    out.push(Chunk::new(Kind::Stderr, prompts::PASSWORD_REQUIRED));
                    return out;
                }
                // The prompts gathered what `-u USER --password-stdin` would have given: run that, labelled
                // as the learner typed it.
                let mut command = format!("docker login -u {} --password-stdin", quote(&user));
                if let Some(server) = &server {
                    command.push(' ');
                    command.push_str(&quote(server));
                }
                let real = Line {
                    host: line.host.clone(),
                    command,
                };
                let parsed = runner::parse_line(&real);
                out.extend(self.run_labelled(
                    real,
                    parsed,
                    &line.command,
                    Some(format!("{text}\n")),
                    LineKind::Step,
                    "",
                ));
                out
            }
        }
    }

    /// Runs a docker command or file helper; a step (see [`counting`]) is undoable and counted.
    fn run(
        &mut self,
        line: Line,
        parsed: Parsed,
        stdin: Option<String>,
        kind: LineKind,
    ) -> Vec<Chunk> {
        self.run_with(line, parsed, stdin, kind, "")
    }

    fn run_with(
        &mut self,
        line: Line,
        parsed: Parsed,
        stdin: Option<String>,
        kind: LineKind,
        shown: &str,
    ) -> Vec<Chunk> {
        let typed = line.command.clone();
        self.run_labelled(line, parsed, &typed, stdin, kind, shown)
    }

    /// Runs `line`, reporting it as `typed`; `shown` is output already printed (a `[y/N]` question), left out.
    fn run_labelled(
        &mut self,
        line: Line,
        parsed: Parsed,
        typed: &str,
        stdin: Option<String>,
        kind: LineKind,
        shown: &str,
    ) -> Vec<Chunk> {
        let tty = self.tty;
        let counted = kind.counts();
        let label = format!("{}{typed}", runner::prompt(&line.host));
        let mut step = if counted {
            let before = Arc::new(self.world.clone());
            let mut step = runner::run_parsed(&mut self.world, &line, parsed, stdin, tty);
            step.command = typed.to_string();
            self.push_undo(label, Arc::clone(&before));
            self.last = Some(Last::Lazy(Box::new(LastStep {
                host: line.host.clone(),
                command: typed.to_string(),
                step: Some(step.clone()),
                before: Some(before),
                after: None,
            })));
            step
        } else {
            // A look (or a line that is no command) changes nothing but the clock; a process ending
            // meanwhile would blur the last step's diff, so that one is computed first.
            if !self.world.timers.is_empty() {
                self.settle_last();
            }
            let mut step = runner::run_parsed(&mut self.world, &line, parsed, stdin, tty);
            step.command = typed.to_string();
            // A look or a refused line is still what `explain` explains (a usage error has its rule too).
            {
                self.last = Some(Last::Lazy(Box::new(LastStep {
                    host: line.host.clone(),
                    command: typed.to_string(),
                    step: Some(step.clone()),
                    before: None,
                    after: None,
                })));
            }
            step
        };
        step.command = typed.to_string();
        let mut output = chunks_of_tty(&step, &self.world, tty);
        if !shown.is_empty() {
            strip_shown(&mut output, shown);
        }
        output.extend(self.after_step(&Did::Command {
            host: &line.host,
            command: typed,
            result: &step,
            counted,
        }));
        output
    }

    /// Records `before` as the state `undo` goes back to, labelled with the line that left it.
    fn push_undo(&mut self, label: String, before: Arc<World>) {
        let snapshot = Snapshot {
            world: before,
            machine: self.machine.clone(),
            last: self.last.take(),
            label,
            mark: self.mark(),
        };
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(snapshot);
        self.redo.clear();
    }

    /// Records the state before `f` changes it, so `undo` can bring it back.
    fn step<R>(&mut self, label: &str, f: impl FnOnce(&mut Session) -> R) -> R {
        let before = Arc::new(self.world.clone());
        let machine = self.machine.clone();
        let last = self.last.clone();
        let mark = self.mark();
        let r = f(self);
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(Snapshot {
            world: before,
            machine,
            last,
            label: label.to_string(),
            mark,
        });
        self.redo.clear();
        r
    }

    /// Computes the last command's explanation now, against the world as it is.
    fn settle_last(&mut self) {
        if let Some(Last::Lazy(step)) = &self.last {
            let done = step.explain(&self.world);
            self.last = Some(Last::Done(Box::new(done)));
        }
    }

    /// `explain`: the last command's rules and changes, the diff computed now.
    fn explain(&mut self) -> Vec<Chunk> {
        self.settle_last();
        match &self.last {
            Some(Last::Done(e)) => lines(e.lines()),
            _ => vec![Chunk::note(
                "nothing to explain yet: run a docker command first",
            )],
        }
    }

    /// `reset`: a fresh default world in free play, the scenario's (or question's) start in one. Undoable.
    fn reset(&mut self) -> Vec<Chunk> {
        let (fresh, said) = match &self.activity {
            Some(a) => (
                self.initial.clone(),
                format!(
                    "{} is back at its start (`undo` brings back where you were; `leave` ends it)",
                    a.title()
                ),
            ),
            None if self.home.is_some() => (
                self.initial.clone(),
                "the scenario's world is back at its start (`leave` takes you back to your own world)"
                    .to_string(),
            ),
            None => (
                World::new(),
                "a fresh default world (`undo` brings the old one back)".to_string(),
            ),
        };
        self.step("reset", |s| {
            s.world = fresh;
            s.machine = crate::model::world::DEFAULT_MACHINE.to_string();
            s.last = None;
            if let Some(a) = s.activity.as_mut() {
                a.set_mark(Mark::default());
            }
        });
        vec![Chunk::note(said)]
    }

    fn mark(&self) -> Mark {
        self.activity.as_ref().map(|a| a.mark()).unwrap_or_default()
    }

    fn restore(&mut self, s: Snapshot) -> Snapshot {
        let mark = self.mark();
        if let Some(a) = self.activity.as_mut() {
            a.set_mark(s.mark);
        }
        let world = Arc::try_unwrap(s.world).unwrap_or_else(|shared| (*shared).clone());
        Snapshot {
            world: Arc::new(std::mem::replace(&mut self.world, world)),
            machine: std::mem::replace(&mut self.machine, s.machine),
            last: std::mem::replace(&mut self.last, s.last),
            label: s.label,
            mark,
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
                    if **m == *self.machine {
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
        out.extend(self.after_step(&Did::Machine));
        out
    }

    fn wait(&mut self, line: &str, arg: &str) -> Vec<Chunk> {
        let Some(secs) = parse_duration(arg) else {
            return vec![Chunk::note(
                "usage: `wait N` with N seconds (or `30s`, `5m`, `2h`)",
            )];
        };
        let host = self.machine.clone();
        let before = Arc::new(self.world.clone());
        self.world.advance(secs);
        self.push_undo(line.to_string(), Arc::clone(&before));
        self.last = Some(Last::Lazy(Box::new(LastStep {
            host,
            command: line.to_string(),
            step: None,
            before: Some(before),
            after: None,
        })));
        let mut out = vec![Chunk::note(format!(
            "{} passed",
            crate::render::units::human_duration(secs)
        ))];
        out.extend(self.after_step(&Did::Wait));
        out
    }

    fn after_step(&mut self, did: &Did) -> Vec<Chunk> {
        let Some(activity) = self.activity.as_mut() else {
            return Vec::new();
        };
        let reply = activity.after_step(did, &self.world);
        if let Some(world) = reply.world {
            if reply.start {
                self.begin(world);
            } else {
                // A scripted event: part of the step, so `explain` keeps to the learner's own command.
                self.settle_last();
                self.world = world;
                self.world.machine(&self.machine);
            }
        }
        let mut out = reply.output;
        out.extend(self.record(&reply.records));
        if reply.finished {
            out.extend(self.finish_activity());
        }
        out
    }

    fn apply_reply(&mut self, line: &str, reply: ActivityReply) -> Outcome {
        if let Some(world) = reply.world {
            if reply.start {
                self.begin(world);
            } else {
                self.step(line, |s| {
                    s.world = world;
                    s.world.machine(&s.machine);
                });
            }
        }
        let mut out = reply.output;
        out.extend(self.record(&reply.records));
        if reply.finished {
            out.extend(self.finish_activity());
        }
        Outcome::show(out)
    }

    /// An activity that is over: a quiz gives the learner's world back at once; a scenario leaves its
    /// world to look at until `leave`.
    fn finish_activity(&mut self) -> Vec<Chunk> {
        let stays = self
            .activity
            .as_ref()
            .is_some_and(|a| a.stays_when_finished());
        if stays && self.home.is_some() {
            self.activity = None;
            return vec![Chunk::note(
                "look around as long as you like: `leave` takes you back to your own world",
            )];
        }
        self.leave_activity()
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

/// A docker command typed without `docker` (`ps`) gets a nudge.
fn missing_docker(command: &str) -> Option<String> {
    let first = command.split_whitespace().next()?;
    let is_helper = ["cat", "ls", "sed", "echo", "cp", "rm", "sleep"].contains(&first);
    let is_docker = crate::help::COMMANDS.contains(&first) && first != "docker";
    (is_docker && !is_helper).then(|| format!("did you mean `docker {command}`?"))
}

/// The simulator's own command words (for "did you mean"): the completion list without `docker`.
fn own_commands() -> impl Iterator<Item = &'static str> {
    crate::repl::helper::SIMULATOR_COMMANDS
        .iter()
        .copied()
        .filter(|c| *c != "docker")
}

/// The top-level docker commands (`ps`, `image`), for "did you mean".
fn top_level_commands() -> impl Iterator<Item = &'static str> {
    crate::help::COMMANDS
        .iter()
        .copied()
        .filter(|c| !c.contains(' ') && *c != "docker")
}

/// `line` with its `n`th word replaced (spacing elsewhere kept).
fn replace_word(line: &str, n: usize, with: &str) -> String {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    if let Some(w) = words.get_mut(n) {
        *w = with;
    }
    words.join(" ")
}

/// Quotes a word for the shell-style splitter, when it needs it.
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@:/".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Drops from the front of `output` the text already shown (a `[y/N]` question printed before the answer).
fn strip_shown(output: &mut Vec<Chunk>, shown: &str) {
    let mut left = shown;
    for chunk in output.iter_mut() {
        if left.is_empty() {
            break;
        }
        if let Some(rest) = chunk.text.strip_prefix(left) {
            chunk.text = rest.to_string();
            left = "";
        } else if let Some(rest) = left.strip_prefix(chunk.text.as_str()) {
            left = rest;
            chunk.text.clear();
        } else {
            break;
        }
    }
    output.retain(|c| !c.text.is_empty());
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

/// Said when a scenario starts.
const LEAVE_NOTE: &str =
    "your own world is put aside: `leave` ends the scenario and brings it back as it was";

/// What `help` prints.
const HELP: &str = "\
dockdrill's own commands (never docker's: docker commands start with `docker`; `:state` works too)
  help                 this help
  state                draw the world: machines with their images, layers and containers, and registries
  state --svg FILE     the same drawing as an SVG picture in FILE (for slides and handouts)
  explain              why the last command did what it did, and what it changed
  undo, redo           step back and forward through what you typed (up to 100 steps)
  reset                start again from a fresh world (`undo` brings the old one back)
  machine [NAME]       list the machines, or switch to NAME (a new name makes a new, empty machine)
  wait N               let N seconds pass (`30s`, `5m`, `2h`): processes that end by themselves end
  animation on|off     animate pull and push progress in a terminal
  exit, quit           leave (Ctrl-D does too; Ctrl-C clears the line)

lessons and quizzes (your progress is saved between sessions)
  scenarios            list the scenarios and quizzes, with what you have done
  play NAME            play a scenario (its name, its number in `scenarios`, or a .yaml file)
  goal                 the goal and what is still missing from it
  hint                 one more hint, from a nudge to the answer
  solution             the reference solution (asks first)
  quiz [NAME]          take a quiz: `answer b` (or `answer a,c`), `next`, `skip`, `quit-quiz`
  A line may name its machine: `laptop$ docker images` runs once on `laptop`

files in the machine's working folder (the build context of `docker build .`)
  ls   cat FILE   echo TEXT > FILE   sed -i 's/OLD/NEW/' FILE   cp FROM TO   rm FILE   sleep N

docker commands simulated
  build  run  create  start  stop  restart  kill  pause  unpause  rm  ps  logs  exec  inspect
  images  rmi  tag  history  image prune  container prune  pull  push  login  logout  version
  and `--help` on each (`docker run --help`)

accounts on Docker Hub (docker.io)
  alice / wonderland   owns the private repository `alice/secret-app`
  bob   / builder
  e.g. `docker login -u alice -p wonderland`, then `docker tag myimage alice/myimage` and `docker push alice/myimage`
";

/// The names completion offers on `machine`: its images (as `docker images` names them, and bare repository
/// names), its containers (names and short IDs), its files, the registries' pushed tags, the machines and the
/// lessons.
fn gather_names(world: &World, machine: &str, scenarios: Vec<&str>, quizzes: Vec<&str>) -> Names {
    let mut names = Names::default();
    if let Some(m) = world.machines.get(machine) {
        for t in m.images.tags.keys() {
            names.images.push(t.repo.familiar().to_string());
            names.images.push(t.familiar());
        }
        for c in m.containers.all() {
            names.containers.push(c.name.to_string());
            names.containers.push(c.short_id().to_string());
        }
        names.files = m.files.keys().map(|k| k.to_string()).collect();
    }
    for view in registries(world) {
        names.registries.push(view.host.to_string());
        for (path, repo) in &view.registry.repos {
            for tag in repo.tags.keys() {
                let repo = crate::reference::RepoName::new(&format!("{}/{path}", view.host));
                names
                    .images
                    .push(crate::reference::TagRef::new(repo, tag).familiar());
            }
        }
    }
    names.machines = world.machines.keys().map(|k| k.to_string()).collect();
    names.scenarios = scenarios.into_iter().map(String::from).collect();
    names.quizzes = quizzes.into_iter().map(String::from).collect();
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
        // A look keeps the redo history; a new step forgets it.
        let _ = s.handle_line("undo");
        let _ = s.handle_line("docker ps");
        assert_eq!(
            s.handle_line("redo").text(),
            "[dockdrill] redid `$ docker tag alpine mine`\n"
        );
        let _ = s.handle_line("undo");
        let _ = s.handle_line("docker pull -q busybox");
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
    fn lazy_names_are_the_state_when_the_line_was_read() {
        let (mut s, _) = session(&["docker build -t myimage ."]);
        let lazy = s.lazy_names();
        let now = s.names();
        let _ = s.handle_line("docker tag myimage other:1");
        assert_eq!(lazy.get(), &now, "the snapshot does not see later steps");
        assert!(s.names().images.contains(&"other:1".to_string()));
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
        fn after_step(&mut self, _did: &Did, world: &World) -> ActivityReply {
            self.checks += 1;
            let done = world.machines["default"]
                .images
                .has_tag("docker.io/library/myimage:latest");
            ActivityReply {
                output: if done {
                    vec![Chunk::note(format!(
                        "goal reached in {} commands",
                        self.checks
                    ))]
                } else {
                    Vec::new()
                },
                finished: done,
                ..ActivityReply::default()
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
