//! Scenarios: a short lesson (narrative steps, each optionally running a command with expectations) and,
//! optionally, a goal for learner-driven play with hints, a par and scripted events between the learner's
//! commands. Loading validates the file and builds the starting world; [`Scenario::verify`] replays it.

use super::diagnostic::{CourseError, CourseErrorKind, LineKind, Pos};
use super::matcher::Pattern;
use super::predicate::{self, Predicate};
use super::raw::{self, ScenarioFile};
use super::setup;
use crate::model::world::World;
use crate::runner::{self, StepResult};
use crate::script::{self, Line};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A loaded, validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// From the file's `id`, or its file name.
    pub id: String,
    pub title: String,
    pub summary: String,
    /// The starting world: the default world extended by the file, `setup` applied.
    pub world: World,
    pub steps: Vec<Step>,
    pub goal: Option<Goal>,
    /// learner command count → script lines run after it.
    pub events: BTreeMap<usize, Vec<String>>,
    /// Where it was loaded from.
    pub file: PathBuf,
    /// Positions of the goal and events, for `check`'s messages.
    goal_pos: Pos,
    /// learner command count → where each of its event lines is written, and its field path.
    event_pos: BTreeMap<usize, Vec<(Pos, String)>>,
    /// Where the steps start, when there are any.
    steps_pos: Pos,
}

/// One step of a lesson.
#[derive(Clone, Debug)]
pub struct Step {
    /// Narrative shown before the command.
    pub text: Option<String>,
    /// The command, with its machine.
    pub command: Option<Line>,
    /// The command as written (with its `HOST$ ` prefix).
    pub run: Option<String>,
    pub expect: Option<Expectation>,
    pos: Pos,
}

/// What a step's command must produce.
#[derive(Clone, Debug, Default)]
pub struct Expectation {
    pub exit_code: Option<i32>,
    pub output_contains: Vec<String>,
    pub output_lacks: Vec<String>,
    pub output_matches: Vec<(String, Pattern)>,
    /// Rows of standard output, a table header not counted.
    pub rows: Option<usize>,
    pub state: Vec<Predicate>,
}

impl Expectation {
    /// The ways `result` (and the world after it) fails this expectation.
    pub fn failures(&self, result: &StepResult, world: &World) -> Vec<String> {
        let mut out = Vec::new();
        let output = &result.interleaved;
        if let Some(code) = self.exit_code
            && code != result.exit_code
        {
            out.push(format!(
                "expected exit code {code}, got {}",
                result.exit_code
            ));
        }
        for s in &self.output_contains {
            if !output.contains(s.as_str()) {
                out.push(format!("expected the output to contain `{s}`"));
            }
        }
        for s in &self.output_lacks {
            if output.contains(s.as_str()) {
                out.push(format!("expected the output not to contain `{s}`"));
            }
        }
        for (src, p) in &self.output_matches {
            if !p.is_match(output) {
                out.push(format!("expected a line of the output to match `{src}`"));
            }
        }
        if let Some(want) = self.rows {
            let got = super::quiz::rows(&result.stdout);
            if got != want {
                out.push(format!("expected {want} rows of output, got {got}"));
            }
        }
        for p in &self.state {
            if !p.holds(world) {
                out.push(format!("expected {}", p.describe()));
            }
        }
        out
    }
}

/// A goal for learner-driven play, like a level of Learn Git Branching.
#[derive(Clone, Debug)]
pub struct Goal {
    /// What the learner is asked to do.
    pub text: String,
    pub predicates: Vec<Predicate>,
    /// From a nudge to the answer.
    pub hints: Vec<String>,
    /// The reference solution, script lines.
    pub solution: Vec<String>,
    /// The reference solution's length: the number of commands to beat.
    pub par: usize,
    /// Where each solution line is written, for `check`'s messages.
    solution_pos: Vec<Pos>,
}

impl Goal {
    /// Descriptions of the predicates `world` does not meet yet.
    pub fn missing(&self, world: &World) -> Vec<String> {
        self.predicates
            .iter()
            .filter(|p| !p.holds(world))
            .map(Predicate::describe)
            .collect()
    }

    /// Is every predicate met?
    pub fn met(&self, world: &World) -> bool {
        self.predicates.iter().all(|p| p.holds(world))
    }
}

impl Scenario {
    /// Script lines to run after the learner's `n`-th command (1-based); empty when nothing happens then.
    pub fn events_after(&self, n: usize) -> &[String] {
        self.events.get(&n).map_or(&[], Vec::as_slice)
    }

    /// Plays the steps from the starting world: each step with its result.
    pub fn play_steps(&self) -> (World, Vec<(&Step, Option<StepResult>)>) {
        let mut world = self.world.clone();
        let mut out = Vec::new();
        for step in &self.steps {
            let result = step
                .command
                .as_ref()
                .map(|line| runner::run_line(&mut world, line, None, false));
            out.push((step, result));
        }
        (world, out)
    }

    /// Plays the goal's reference solution with the scripted events: (line, result, is_event) in order.
    pub fn play_solution(&self) -> (World, Vec<(String, StepResult, bool)>) {
        let mut world = self.world.clone();
        let mut out = Vec::new();
        let Some(goal) = &self.goal else {
            return (world, out);
        };
        for (i, line) in goal.solution.iter().enumerate() {
            let r = setup::run(&mut world, line);
            out.push((line.clone(), r, false));
            for ev in self.events_after(i + 1) {
                let r = setup::run(&mut world, ev);
                out.push((ev.clone(), r, true));
            }
        }
        (world, out)
    }

    /// Replays the scenario and reports every way it does not do what it says: an expectation that does not
    /// hold, a command that fails where nothing says it should, a machine the world does not declare, a goal
    /// that is unreachable or already met, and steps a level would never show.
    pub fn verify(&self) -> Vec<CourseError> {
        let mut errors = Vec::new();
        let mut machines = MachineNames::of(&self.world);
        if self.goal.is_some() && !self.steps.is_empty() {
            errors.push(CourseError::at(
                &self.file,
                self.steps_pos,
                "steps",
                CourseErrorKind::Invalid {
                    message: "a scenario with a `goal` is played as a level, so the learner never sees its `steps`: put the lesson and the level in two files".into(),
                },
            ));
        }
        // Expectations on state are checked right after their step.
        let mut world = self.world.clone();
        for (i, step) in self.steps.iter().enumerate() {
            let Some(line) = &step.command else { continue };
            let field = format!("steps[{i}]");
            let command = step.run.clone().unwrap_or_default();
            machines.check(
                &self.file,
                step.pos,
                &format!("{field}.run"),
                &line.host,
                &mut errors,
            );
            if let Some(expect) = &step.expect {
                for p in &expect.state {
                    for m in p.machines() {
                        machines.check(
                            &self.file,
                            step.pos,
                            &format!("{field}.expect.state"),
                            m,
                            &mut errors,
                        );
                    }
                }
            }
            let result = runner::run_line(&mut world, line, None, false);
            let expected_code = step.expect.as_ref().and_then(|e| e.exit_code);
            if result.exit_code != 0 && expected_code.is_none() {
                errors.push(CourseError::at(
                    &self.file,
                    step.pos,
                    format!("{field}.run"),
                    CourseErrorKind::CommandFailed {
                        command: command.clone(),
                        exit_code: result.exit_code,
                        output: result.interleaved.clone(),
                        line: LineKind::Step,
                    },
                ));
            }
            if let Some(expect) = &step.expect {
                for message in expect.failures(&result, &world) {
                    errors.push(CourseError::at(
                        &self.file,
                        step.pos,
                        format!("{field}.expect"),
                        CourseErrorKind::Expectation {
                            command: command.clone(),
                            message,
                            output: result.interleaved.clone(),
                        },
                    ));
                }
            }
        }
        if let Some(goal) = &self.goal {
            self.verify_goal(goal, &mut machines, &mut errors);
        }
        errors
    }

    /// The goal's part of [`Scenario::verify`]: machines, the solution and events run cleanly, reachable,
    /// not already met.
    fn verify_goal(&self, goal: &Goal, machines: &mut MachineNames, errors: &mut Vec<CourseError>) {
        for p in &goal.predicates {
            for m in p.machines() {
                machines.check(&self.file, self.goal_pos, "goal.predicates", m, errors);
            }
        }
        if goal.met(&self.world) {
            errors.push(CourseError::at(
                &self.file,
                self.goal_pos,
                "goal",
                CourseErrorKind::GoalAlreadyMet,
            ));
        }
        let mut world = self.world.clone();
        let mut ran = |world: &mut World,
                       line: &str,
                       (pos, field, kind): (Pos, String, LineKind),
                       errors: &mut Vec<CourseError>| {
            let host = script::split_host(line).host;
            machines.check(&self.file, pos, &field, &host, errors);
            let r = setup::run(world, line);
            if r.exit_code != 0 {
                errors.push(CourseError::at(
                    &self.file,
                    pos,
                    field,
                    CourseErrorKind::CommandFailed {
                        command: line.to_string(),
                        exit_code: r.exit_code,
                        output: r.interleaved,
                        line: kind,
                    },
                ));
            }
        };
        for (i, line) in goal.solution.iter().enumerate() {
            let pos = goal.solution_pos.get(i).copied().unwrap_or(self.goal_pos);
            let at = (pos, format!("goal.solution[{i}]"), LineKind::Solution);
            ran(&mut world, line, at, errors);
            let positions = self.event_pos.get(&(i + 1));
            for (j, ev) in self.events_after(i + 1).iter().enumerate() {
                let (pos, field) = positions
                    .and_then(|p| p.get(j))
                    .cloned()
                    .unwrap_or((self.goal_pos, "events".into()));
                ran(&mut world, ev, (pos, field, LineKind::Event), errors);
            }
        }
        let missing = goal.missing(&world);
        if !missing.is_empty() {
            errors.push(CourseError::at(
                &self.file,
                self.goal_pos,
                "goal.solution",
                CourseErrorKind::GoalUnreachable { missing },
            ));
        }
    }
}

/// The machines a scenario may name: those of its world (declared, or used by its `setup`), and any already
/// reported, so one misspelling is reported once.
struct MachineNames {
    known: Vec<String>,
    reported: Vec<String>,
}

impl MachineNames {
    fn of(world: &World) -> MachineNames {
        MachineNames {
            known: world.machines.keys().map(|k| k.to_string()).collect(),
            reported: Vec::new(),
        }
    }

    /// Reports `machine` at `pos` unless the world has it.
    fn check(
        &mut self,
        file: &Path,
        pos: Pos,
        field: &str,
        machine: &str,
        errors: &mut Vec<CourseError>,
    ) {
        if self.known.iter().any(|k| k == machine) || self.reported.iter().any(|k| k == machine) {
            return;
        }
        self.reported.push(machine.to_string());
        errors.push(CourseError::at(
            file,
            pos,
            field,
            CourseErrorKind::UnknownMachine {
                machine: machine.to_string(),
                suggestion: super::diagnostic::suggest(
                    machine,
                    self.known.iter().map(String::as_str),
                ),
                known: self.known.clone(),
            },
        ));
    }
}

/// Loads and validates a scenario, building its starting world. The first problem is returned;
/// [`load_scenario_all`] returns them all.
pub fn load_scenario(path: &Path) -> Result<Scenario, CourseError> {
    load_scenario_all(path).map_err(|mut e| e.remove(0))
}

/// Loads a scenario, collecting every validation problem (never an empty `Err`).
pub fn load_scenario_all(path: &Path) -> Result<Scenario, Vec<CourseError>> {
    let text = setup::read_source(path).map_err(|e| vec![e])?;
    load_scenario_text(path, &text)
}

/// Loads a scenario from text already in memory (courseware embedded in the binary); `path` names it in
/// messages. Collects every validation problem, as [`load_scenario_all`] does.
pub fn load_scenario_text(path: &Path, text: &str) -> Result<Scenario, Vec<CourseError>> {
    let raw: ScenarioFile = setup::parse(path, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let invalid = |pos: Pos, field: String, message: String| {
        CourseError::at(path, pos, field, CourseErrorKind::Invalid { message })
    };
    if let Some(v) = &raw.format_version
        && v.value > super::FORMAT_VERSION
    {
        errors.push(CourseError::at(
            path,
            Pos::of(&v.referenced),
            "format_version",
            CourseErrorKind::NewerFormat { version: v.value },
        ));
        return Err(errors);
    }
    let id = super::file_id(path, raw.id.as_ref(), &mut errors);
    if raw.title.value.trim().is_empty() {
        errors.push(invalid(
            Pos::of(&raw.title.referenced),
            "title".into(),
            "the title is empty".into(),
        ));
    }
    let world = setup::build_world(path, &raw.world, "world", &mut errors);
    let mut steps = Vec::new();
    for (i, s) in raw.steps.iter().enumerate() {
        let pos = Pos::of(&s.referenced);
        let spec = &s.value;
        if spec.text.is_none() && spec.run.is_none() {
            errors.push(invalid(
                pos,
                format!("steps[{i}]"),
                "a step needs `text`, `run` or both".into(),
            ));
        }
        let expect = match &spec.expect {
            Some(e) if spec.run.is_none() => {
                errors.push(invalid(
                    Pos::of(&e.referenced),
                    format!("steps[{i}].expect"),
                    "`expect` needs a `run` command to check".into(),
                ));
                None
            }
            Some(e) => Some(expectation(
                path,
                &e.value,
                Pos::of(&e.referenced),
                &format!("steps[{i}].expect"),
                &mut errors,
            )),
            None => None,
        };
        let (command, run) = match &spec.run {
            Some(r) => match super::validate_line(&r.value) {
                Ok(line) => (Some(line), Some(r.value.clone())),
                Err(m) => {
                    errors.push(invalid(
                        Pos::of(&r.referenced),
                        format!("steps[{i}].run"),
                        m,
                    ));
                    (None, None)
                }
            },
            None => (None, None),
        };
        steps.push(Step {
            text: spec.text.clone(),
            command,
            run,
            expect,
            pos: spec.run.as_ref().map_or(pos, |r| Pos::of(&r.referenced)),
        });
    }
    let goal_pos = raw
        .goal
        .as_ref()
        .map(|g| Pos::of(&g.referenced))
        .unwrap_or_default();
    let goal = raw
        .goal
        .as_ref()
        .map(|g| validate_goal(path, &g.value, Pos::of(&g.referenced), "goal", &mut errors));
    let mut events: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut event_pos: BTreeMap<usize, Vec<(Pos, String)>> = BTreeMap::new();
    for (i, ev) in raw.events.iter().enumerate() {
        let pos = Pos::of(&ev.referenced);
        if goal.is_none() {
            errors.push(invalid(
                pos,
                format!("events[{i}]"),
                "events happen between the learner's commands, so they need a `goal`".into(),
            ));
        }
        if ev.value.after == 0 {
            errors.push(invalid(
                pos,
                format!("events[{i}].after"),
                "`after` counts the learner's commands from 1".into(),
            ));
        }
        for (j, line) in ev.value.run.iter().enumerate() {
            if let Err(m) = super::validate_line(&line.value) {
                errors.push(invalid(
                    Pos::of(&line.referenced),
                    format!("events[{i}].run[{j}]"),
                    m,
                ));
            }
        }
        events
            .entry(ev.value.after)
            .or_default()
            .extend(ev.value.run.iter().map(|l| l.value.clone()));
        event_pos.entry(ev.value.after).or_default().extend(
            ev.value
                .run
                .iter()
                .enumerate()
                .map(|(j, l)| (Pos::of(&l.referenced), format!("events[{i}].run[{j}]"))),
        );
    }
    if steps.is_empty() && goal.is_none() {
        errors.push(CourseError::at(
            path,
            Pos::of(&raw.title.referenced),
            "",
            CourseErrorKind::Invalid {
                message: "a scenario needs `steps` or a `goal`".into(),
            },
        ));
    }
    let steps_pos = raw
        .steps
        .first()
        .map(|s| Pos::of(&s.referenced))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Scenario {
        id,
        title: raw.title.value,
        summary: raw.summary,
        world,
        steps,
        goal,
        events,
        file: path.to_path_buf(),
        goal_pos,
        event_pos,
        steps_pos,
    })
}

/// Validates an `expect` block.
fn expectation(
    file: &Path,
    spec: &raw::ExpectSpec,
    pos: Pos,
    field: &str,
    errors: &mut Vec<CourseError>,
) -> Expectation {
    let mut e = Expectation {
        exit_code: spec.exit_code,
        rows: spec.rows,
        output_contains: spec
            .output_contains
            .clone()
            .map(raw::OneOrMany::into_vec)
            .unwrap_or_default(),
        output_lacks: spec
            .output_lacks
            .clone()
            .map(raw::OneOrMany::into_vec)
            .unwrap_or_default(),
        ..Expectation::default()
    };
    for (i, src) in spec
        .output_matches
        .clone()
        .map(raw::OneOrMany::into_vec)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        match Pattern::parse(&src) {
            Ok(p) => e.output_matches.push((src, p)),
            Err(m) => errors.push(CourseError::at(
                file,
                pos,
                format!("{field}.output_matches[{i}]"),
                CourseErrorKind::Invalid { message: m },
            )),
        }
    }
    e.state = predicates(file, &spec.state, &format!("{field}.state"), errors);
    e
}

/// Validates a list of predicates.
pub(super) fn predicates(
    file: &Path,
    specs: &[serde_saphyr::Spanned<raw::PredicateSpec>],
    field: &str,
    errors: &mut Vec<CourseError>,
) -> Vec<Predicate> {
    let mut out = Vec::new();
    for (i, p) in specs.iter().enumerate() {
        match predicate::validate(&p.value) {
            Ok(p) => out.push(p),
            Err(message) => errors.push(CourseError::at(
                file,
                Pos::of(&p.referenced),
                format!("{field}[{i}]"),
                CourseErrorKind::Invalid { message },
            )),
        }
    }
    out
}

/// Validates a goal (shared by scenarios and `task` questions).
pub(super) fn validate_goal(
    file: &Path,
    spec: &raw::GoalSpec,
    pos: Pos,
    field: &str,
    errors: &mut Vec<CourseError>,
) -> Goal {
    let preds = predicates(
        file,
        &spec.predicates,
        &format!("{field}.predicates"),
        errors,
    );
    if spec.predicates.is_empty() {
        errors.push(CourseError::at(
            file,
            pos,
            format!("{field}.predicates"),
            CourseErrorKind::Invalid {
                message: "a goal needs at least one predicate".into(),
            },
        ));
    }
    if spec.solution.is_empty() {
        errors.push(CourseError::at(
            file,
            pos,
            format!("{field}.solution"),
            CourseErrorKind::Invalid {
                message: "a goal needs a reference solution (its length is the par)".into(),
            },
        ));
    }
    for (i, line) in spec.solution.iter().enumerate() {
        if let Err(message) = super::validate_line(&line.value) {
            errors.push(CourseError::at(
                file,
                Pos::of(&line.referenced),
                format!("{field}.solution[{i}]"),
                CourseErrorKind::Invalid { message },
            ));
        }
    }
    let solution: Vec<String> = spec.solution.iter().map(|l| l.value.clone()).collect();
    Goal {
        text: spec.text.clone(),
        predicates: preds,
        hints: spec.hints.clone(),
        par: solution.len(),
        solution,
        solution_pos: spec
            .solution
            .iter()
            .map(|l| Pos::of(&l.referenced))
            .collect(),
    }
}

/// Splits a line and checks its quoting, so a typo is reported at load time.
pub(super) fn line_of(text: &str) -> Result<Line, String> {
    let line = script::split_host(text);
    crate::command::shell_words::split(&line.command)
        .map_err(|e| format!("cannot parse this line: {e}"))?;
    if line.command.is_empty() {
        return Err("the command is empty".into());
    }
    Ok(line)
}
