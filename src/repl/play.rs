//! Playing a scenario in the REPL. A scenario with a goal is a level (Learn Git Branching style): the learner
//! reaches a state in as few commands as they can, with `goal`, `hint` and `solution` to help and the
//! scenario's scripted events happening between their commands. A scenario without a goal is a lesson: its
//! steps are shown one at a time and the learner types each command (or anything else, to explore).
//!
//! Both count the learner's commands, so a finished scenario reports "in N commands (par P)" and the best count
//! is kept in the progress file.

use super::activity::{Activity, ActivityReply, Chunk, Did, Mark, chunks_of};
use super::counting;
use super::progress::Record;
use super::style::Kind;
use crate::courseware::{Goal, Scenario, Step};
use crate::model::world::{DEFAULT_MACHINE, World};
use crate::runner::{self, StepResult};
use crate::script;

/// A goal being worked towards: shared by scenario levels and quiz `task` questions.
#[derive(Clone, Debug)]
pub struct GoalTracker {
    goal: Goal,
    /// Hints shown so far.
    hints: usize,
    par: usize,
}

/// A goal's par: the steps of its reference solution (a look such as `docker ps` in it does not count, as
/// it does not count for the learner).
pub fn par_of(goal: &Goal) -> usize {
    goal.solution
        .iter()
        .filter(|l| counting::script_line(&script::split_host(l).command).counts())
        .count()
}

impl GoalTracker {
    pub fn new(goal: Goal) -> GoalTracker {
        let par = par_of(&goal);
        GoalTracker {
            goal,
            hints: 0,
            par,
        }
    }

    /// The reference solution's steps (its looks, such as `docker ps`, do not count).
    pub fn par(&self) -> usize {
        self.par
    }

    pub fn met(&self, world: &World) -> bool {
        self.goal.met(world)
    }

    /// The goal's text and each of its conditions, ticked when it holds.
    pub fn show(&self, world: &World) -> Vec<Chunk> {
        let mut text = String::new();
        if !self.goal.text.trim().is_empty() {
            text.push_str(&format!("goal: {}\n", self.goal.text.trim()));
        }
        let missing = self.goal.missing(world).len();
        if missing == 0 {
            text.push_str("every condition holds:\n");
        } else {
            text.push_str(&format!(
                "{missing} of {} conditions still missing:\n",
                self.goal.predicates.len()
            ));
        }
        for p in &self.goal.predicates {
            let mark = if p.holds(world) { "✓" } else { "✗" };
            text.push_str(&format!("  {mark} {}\n", p.describe()));
        }
        vec![Chunk::new(Kind::Info, text)]
    }

    /// The next hint, from a nudge to the answer.
    pub fn hint(&mut self) -> Vec<Chunk> {
        let total = self.goal.hints.len();
        if total == 0 {
            return vec![Chunk::note(
                "there are no hints here: `solution` shows the reference solution",
            )];
        }
        let Some(hint) = self.goal.hints.get(self.hints) else {
            return vec![Chunk::note(format!(
                "that was the last of {total} hints: `solution` shows the reference solution"
            ))];
        };
        self.hints += 1;
        vec![Chunk::note(format!(
            "hint {} of {total}: {}",
            self.hints,
            hint.trim()
        ))]
    }

    /// The reference solution, once the learner confirms with `solution show`.
    pub fn solution(&self, arg: &str) -> Vec<Chunk> {
        if arg != "show" {
            return vec![Chunk::note(format!(
                "this gives the answer away: type `solution show` to see the reference solution ({} commands, the par)",
                self.par
            ))];
        }
        let mut text = format!("reference solution (par {}):\n", self.par);
        for line in &self.goal.solution {
            text.push_str(&format!("  {line}\n"));
        }
        vec![Chunk::new(Kind::Info, text)]
    }

    /// "goal reached in N commands (par P)", with a word on how that compares.
    pub fn reached(&self, commands: usize) -> Chunk {
        let par = self.par;
        let how = match commands.cmp(&par) {
            std::cmp::Ordering::Less => ": better than the reference solution",
            std::cmp::Ordering::Equal => ": exactly par",
            std::cmp::Ordering::Greater => "",
        };
        Chunk::note(format!(
            "goal reached in {commands} {} (par {par}){how}",
            plural(commands, "command")
        ))
    }
}

/// `1 command`, `2 commands`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// A scenario being played.
pub struct ScenarioPlay {
    scenario: Scenario,
    mode: Mode,
    /// The learner's steps so far (`wait` included; looks, typos, switching machines and the simulator's own
    /// commands not).
    commands: usize,
}

enum Mode {
    /// Reach the goal.
    Level(GoalTracker),
    /// Follow the steps; `next` is the index of the step whose command is awaited.
    Lesson { next: usize },
}

impl ScenarioPlay {
    /// Starts playing `scenario` (the session switches to `scenario.world`).
    pub fn new(scenario: Scenario) -> ScenarioPlay {
        let mode = match &scenario.goal {
            Some(goal) => Mode::Level(GoalTracker::new(goal.clone())),
            None => Mode::Lesson { next: 0 },
        };
        ScenarioPlay {
            scenario,
            mode,
            commands: 0,
        }
    }

    /// What the learner sees on `play`: title, summary, and the goal or the first step.
    pub fn intro(&self) -> Vec<Chunk> {
        let s = &self.scenario;
        let mut out = vec![Chunk::note(format!(
            "scenario `{}`: {}",
            s.id,
            s.title.trim()
        ))];
        if !s.summary.trim().is_empty() {
            out.push(Chunk::new(
                Kind::Info,
                crate::repl::wrap::reflow(s.summary.trim_end()),
            ));
        }
        let machines: Vec<&str> = s.world.machines.keys().map(|k| &**k).collect();
        if machines.len() > 1 {
            let list: Vec<String> = machines
                .iter()
                .map(|m| {
                    if *m == DEFAULT_MACHINE {
                        format!("`{m}` (you are here)")
                    } else {
                        format!("`{m}`")
                    }
                })
                .collect();
            out.push(Chunk::note(format!(
                "machines: {}; `NAME$ docker …` runs one command on NAME, `machine NAME` moves there",
                list.join(", ")
            )));
        }
        match &self.mode {
            Mode::Level(goal) => {
                out.extend(goal.show(&s.world));
                out.push(Chunk::note(format!(
                    "`goal` shows what is still missing, `hint` gives a hint, `solution` the reference solution; par is {} {}",
                    goal.par(),
                    plural(goal.par(), "command")
                )));
            }
            Mode::Lesson { next } => {
                let total = self.command_steps();
                out.push(Chunk::note(format!(
                    "a lesson in {total} {}: type each command shown (anything else runs too); `goal` shows where you are",
                    plural(total, "step")
                )));
                out.extend(self.lesson_step(*next));
            }
        }
        out
    }

    /// The lesson's par: its commands that are steps (a `docker images` step is a look, and looks do not
    /// count).
    fn counted_steps(&self) -> usize {
        self.scenario
            .steps
            .iter()
            .filter_map(|s| s.command.as_ref())
            .filter(|l| counting::script_line(&l.command).counts())
            .count()
    }

    fn command_steps(&self) -> usize {
        self.scenario
            .steps
            .iter()
            .filter(|s| s.command.is_some())
            .count()
    }

    /// Shows the narrative from step `from` up to and including the next step with a command.
    fn lesson_step(&self, from: usize) -> Vec<Chunk> {
        let steps = &self.scenario.steps;
        let mut text = String::new();
        let mut out = Vec::new();
        for step in steps.iter().skip(from) {
            if let Some(t) = &step.text {
                text.push_str(&crate::repl::wrap::reflow(t.trim_end()));
                text.push('\n');
            }
            if let Some(run) = &step.run {
                let number = steps
                    .iter()
                    .take_while(|s| !std::ptr::eq(*s, step))
                    .filter(|s| s.command.is_some())
                    .count()
                    + 1;
                out.push(Chunk::new(
                    Kind::Heading,
                    format!("step {number} of {}", self.command_steps()),
                ));
                if !text.is_empty() {
                    out.push(Chunk::new(Kind::Info, std::mem::take(&mut text)));
                }
                out.push(Chunk::note(format!("type `{run}`")));
                return out;
            }
        }
        // Only narrative is left: the closing words.
        if !text.is_empty() {
            out.push(Chunk::new(Kind::Info, text));
        }
        out
    }

    /// The index of the next step with a command at or after `from`.
    fn next_command_step(&self, from: usize) -> Option<usize> {
        (from..self.scenario.steps.len()).find(|i| self.scenario.steps[*i].command.is_some())
    }

    /// Runs the scripted events due after the learner's `commands`-th command on a copy of `world`.
    fn events(&self, world: &World) -> Option<(World, Vec<Chunk>)> {
        let lines = self.scenario.events_after(self.commands);
        if lines.is_empty() {
            return None;
        }
        let mut world = world.clone();
        let mut out = Vec::new();
        let mut host: Option<String> = None;
        for text in lines {
            let line = script::split_host(text);
            if host.as_deref() != Some(line.host.as_str()) {
                out.push(Chunk::note(format!("meanwhile on `{}`:", line.host)));
                host = Some(line.host.clone());
            }
            out.push(Chunk::new(
                Kind::Echo,
                format!("{}{}", runner::prompt(&line.host), line.command),
            ));
            let result = runner::run_line(&mut world, &line, None, false);
            // The teammate's progress bars are not animated: the learner's own are the ones to watch.
            out.extend(chunks_of(&result, &world).into_iter().map(|mut c| {
                c.progress.clear();
                c
            }));
        }
        Some((world, out))
    }
}

/// Does the learner's command do what lesson step `step` asks? The same words on the same machine do (`-q`
/// aside: quiet output changes nothing). So does the same docker subcommand when it ends as the step expects
/// and the step's state conditions hold (`-t myimage:latest` for `-t myimage`); the step's output
/// expectations are not asked of it, since other flags print differently.
fn does_step(step: &Step, host: &str, command: &str, result: &StepResult, world: &World) -> bool {
    let Some(line) = &step.command else {
        return false;
    };
    if line.host != host {
        return false;
    }
    let loud = |words: Vec<String>| -> Vec<String> {
        words
            .into_iter()
            .filter(|w| w != "-q" && w != "--quiet")
            .collect()
    };
    let (Ok(want), Ok(got)) = (script::words(&line.command), script::words(command)) else {
        return false;
    };
    let (want, got) = (loud(want), loud(got));
    if want == got {
        return true;
    }
    let same_command = want.len() >= 2 && got.len() >= 2 && want[..2] == got[..2];
    same_command
        && step.expect.as_ref().is_some_and(|e| {
            e.exit_code.unwrap_or(0) == result.exit_code && e.state.iter().all(|p| p.holds(world))
        })
}

impl Activity for ScenarioPlay {
    fn title(&self) -> String {
        format!("scenario `{}`", self.scenario.id)
    }

    fn commands(&self) -> Vec<(String, String)> {
        match &self.mode {
            Mode::Level(_) => vec![
                ("goal".into(), "the goal and what is still missing".into()),
                (
                    "hint".into(),
                    "one more hint, from a nudge to the answer".into(),
                ),
                (
                    "solution".into(),
                    "the reference solution (asks first)".into(),
                ),
            ],
            Mode::Lesson { .. } => vec![
                ("goal".into(), "the step you are on".into()),
                ("hint".into(), "the command to type".into()),
                (
                    "solution".into(),
                    "the rest of the lesson's commands".into(),
                ),
            ],
        }
    }

    fn handle(&mut self, line: &str, world: &World) -> Option<ActivityReply> {
        let (word, rest) = match line.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (line, ""),
        };
        let word = word.strip_prefix(':').unwrap_or(word);
        if !matches!(word, "goal" | "hint" | "solution") {
            return None;
        }
        let output = match &mut self.mode {
            Mode::Level(goal) => match word {
                "goal" => goal.show(world),
                "hint" => goal.hint(),
                _ => goal.solution(rest),
            },
            Mode::Lesson { next } if word == "solution" => {
                let remaining: Vec<&str> = self
                    .scenario
                    .steps
                    .get(*next..)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|s| s.run.as_deref())
                    .collect();
                vec![Chunk::new(
                    Kind::Info,
                    format!(
                        "the lesson's remaining commands:\n  {}",
                        remaining.join("\n  ")
                    ),
                )]
            }
            Mode::Lesson { next } => {
                let next = *next;
                self.lesson_step(next)
            }
        };
        Some(ActivityReply {
            output,
            ..ActivityReply::default()
        })
    }

    fn after_step(&mut self, did: &Did, world: &World) -> ActivityReply {
        let counted = match did {
            Did::Machine => return ActivityReply::default(),
            Did::Wait => true,
            Did::Command { counted, .. } => *counted,
        };
        if counted {
            self.commands += 1;
        }
        // A lesson step is judged on the learner's command alone, before anything else happens.
        let mut advanced = false;
        if let (
            Mode::Lesson { next },
            Did::Command {
                host,
                command,
                result,
                ..
            },
        ) = (&self.mode, did)
            && let Some(i) = self.next_command_step(*next)
            && does_step(&self.scenario.steps[i], host, command, result, world)
        {
            self.mode = Mode::Lesson { next: i + 1 };
            advanced = true;
        }
        // Scripted events follow the learner's steps, never a look or a typo.
        let events = if counted { self.events(world) } else { None };
        let (after, mut output) = match events {
            Some((after, out)) => (Some(after), out),
            None => (None, Vec::new()),
        };
        let now = after.as_ref().unwrap_or(world);
        let finished = match &self.mode {
            Mode::Level(goal) => goal.met(now).then(|| goal.reached(self.commands)),
            Mode::Lesson { next } => {
                let next = *next;
                if self.next_command_step(next).is_some() {
                    // Moving on shows the next step; a command that was not the step's shows nothing more.
                    if advanced {
                        output.extend(self.lesson_step(next));
                    }
                    None
                } else {
                    output.extend(self.lesson_step(next));
                    let par = self.counted_steps();
                    Some(Chunk::note(format!(
                        "lesson done in {} {} (par {par})",
                        self.commands,
                        plural(self.commands, "command")
                    )))
                }
            }
        };
        let records = match &finished {
            Some(_) => vec![Record::Scenario {
                id: self.scenario.id.clone(),
                commands: self.commands,
            }],
            None => Vec::new(),
        };
        output.extend(finished.iter().cloned());
        ActivityReply {
            output,
            world: after,
            finished: !records.is_empty(),
            records,
            ..ActivityReply::default()
        }
    }

    fn mark(&self) -> Mark {
        Mark {
            commands: self.commands,
            stage: match self.mode {
                Mode::Lesson { next } => next,
                Mode::Level(_) => 0,
            },
        }
    }

    fn stays_when_finished(&self) -> bool {
        true
    }

    fn set_mark(&mut self, mark: Mark) {
        self.commands = mark.commands;
        if let Mode::Lesson { next } = &mut self.mode {
            *next = mark.stage;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::repl::session::Session;

    fn run(s: &mut Session, lines: &[&str]) -> String {
        lines.iter().map(|l| s.handle_line(l).text()).collect()
    }

    #[test]
    fn a_level_with_an_event_hints_and_par() {
        let mut s = Session::new();
        let intro = run(&mut s, &["play stale-image-level"]);
        assert!(
            intro
                .starts_with("[dockdrill] scenario `stale-image-level`: Level: the stale latest\n")
        );
        assert!(
            intro.contains("✗ container `web` on `server` has logged `version 2`"),
            "{intro}"
        );
        assert_eq!(s.machine(), "default");
        let hints = run(&mut s, &["hint", "hint", "hint", "hint"]);
        assert!(
            hints.starts_with("[dockdrill] hint 1 of 3: Restarting"),
            "{hints}"
        );
        assert!(
            hints.contains("[dockdrill] hint 3 of 3: server$ docker pull"),
            "{hints}"
        );
        assert!(
            hints.ends_with(
                "that was the last of 3 hints: `solution` shows the reference solution\n"
            )
        );
        let asked = run(&mut s, &["solution"]);
        assert!(asked.contains("type `solution show`"), "{asked}");
        let shown = run(&mut s, &["solution show"]);
        assert!(
            shown.starts_with("reference solution (par 3):\n  server$ docker rm -f web\n"),
            "{shown}"
        );
        // A look and a typo are not steps: no event, nothing to undo.
        let look = run(&mut s, &["server$ docker ps", "foo", "docker images"]);
        assert!(!look.contains("meanwhile"), "{look}");
        assert_eq!(run(&mut s, &["undo"]), "[dockdrill] nothing to undo\n");
        // The first step brings the teammate's push.
        let first = run(&mut s, &["server$ docker pull -q alice/app"]);
        assert!(
            first.contains("[dockdrill] meanwhile on `teammate`:\nteammate$ sed -i"),
            "{first}"
        );
        assert!(
            first.contains("teammate$ docker push alice/app\n"),
            "{first}"
        );
        // Undo takes back the command and the event; typing it again brings the event again.
        let undone = run(&mut s, &["undo"]);
        assert_eq!(
            undone,
            "[dockdrill] undid `server$ docker pull -q alice/app`\n"
        );
        let again = run(&mut s, &["server$ docker rm -f web"]);
        assert!(again.contains("meanwhile on `teammate`"), "{again}");
        let end = run(
            &mut s,
            &[
                "server$ docker pull -q alice/app",
                "server$ docker run -d --name web alice/app",
            ],
        );
        assert!(
            end.contains("[dockdrill] goal reached in 3 commands (par 3): exactly par\n"),
            "{end}"
        );
        assert_eq!(s.progress().best("stale-image-level"), Some(3));
        assert!(run(&mut s, &["goal"]).contains("no scenario is being played"));
        // The scenario's world stays until `leave` brings the learner's own back.
        assert!(s.world().machines.contains_key("teammate"));
        assert_eq!(
            run(&mut s, &["leave"]),
            "[dockdrill] back in your own world\n"
        );
        assert!(!s.world().machines.contains_key("teammate"));
    }

    #[test]
    fn machine_switches_are_not_counted_but_wait_is() {
        let mut s = Session::new();
        run(
            &mut s,
            &["play stale-image-level", "machine server", "wait 1"],
        );
        let out = run(
            &mut s,
            &[
                "docker pull -q alice/app",
                "docker rm -f web",
                "docker run -d --name web alice/app",
            ],
        );
        assert!(out.contains("goal reached in 4 commands (par 3)"), "{out}");
    }

    #[test]
    fn a_lesson_step_by_step() {
        let mut s = Session::new();
        let intro = run(&mut s, &["play first-image"]);
        assert!(intro.contains("a lesson in 6 steps"), "{intro}");
        assert!(intro.ends_with("step 1 of 6\nYour folder holds a small Node.js app with a Dockerfile. `docker build` turns it into an image; `-t` gives the image a name.\n[dockdrill] type `cat Dockerfile`\n"), "{intro}");
        // Something else runs and leaves the step where it is.
        let other = run(&mut s, &["docker images"]);
        assert!(!other.contains("step 2"), "{other}");
        let next = run(&mut s, &["cat Dockerfile"]);
        assert!(
            next.ends_with("step 2 of 6\n[dockdrill] type `docker build -t myimage .`\n"),
            "{next}"
        );
        // Quiet output and a spelled-out tag do what the step asks.
        let built = run(&mut s, &["docker build -q -t myimage:latest ."]);
        assert!(built.contains("step 3 of 6"), "{built}");
        assert!(run(&mut s, &["hint"]).contains("type `docker run --name mycontainer myimage`"));
        let rest = run(&mut s, &["solution"]);
        assert!(
            rest.starts_with(
                "the lesson's remaining commands:\n  docker run --name mycontainer myimage\n"
            ),
            "{rest}"
        );
        let end = run(
            &mut s,
            &[
                "docker run --name mycontainer myimage",
                "docker stop mycontainer",
                "docker ps -a",
                "docker images",
            ],
        );
        assert!(
            end.contains("[dockdrill] lesson done in 3 commands (par 3)\n"),
            "{end}"
        );
        assert_eq!(s.progress().best("first-image"), Some(3));
    }

    #[test]
    fn a_step_on_another_machine_needs_that_machine() {
        let mut s = Session::new();
        run(&mut s, &["play two-machines"]);
        let wrong = run(&mut s, &["docker build -t alice/app:latest ."]);
        assert!(!wrong.contains("step 2"), "{wrong}");
        let right = run(&mut s, &["laptop$ docker build -q -t alice/app:latest ."]);
        assert!(right.contains("step 2 of 12"), "{right}");
        run(&mut s, &["machine laptop"]);
        let pushed = run(&mut s, &["docker push -q alice/app"]);
        assert!(pushed.contains("step 3 of 12"), "{pushed}");
    }

    #[test]
    fn reset_starts_the_scenario_over() {
        let mut s = Session::new();
        run(
            &mut s,
            &["play stale-image-level", "server$ docker stop web"],
        );
        let said = run(&mut s, &["reset"]);
        assert!(
            said.starts_with("[dockdrill] scenario `stale-image-level` is back at its start"),
            "{said}"
        );
        // The count is back to zero: the event happens again after the next step.
        assert!(run(&mut s, &["server$ docker stop web"]).contains("meanwhile on `teammate`"));
        assert!(run(&mut s, &["play nope"]).contains("there is no scenario `nope`"));
        assert!(run(&mut s, &["play"]).contains("usage: `play NAME`"));
    }
}
