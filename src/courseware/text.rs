//! Plain-text renderings of scenarios and quizzes: what `dockdrill replay lesson.yaml` prints and what the
//! snapshot tests record, so a change in simulated behaviour shows up as a reviewable diff of the courseware.

use super::quiz::{Measure, Question, Quiz};
use super::scenario::Scenario;
use crate::runner;

/// Narrative lines are printed as `# ` comments, so the transcript stays readable as a script.
fn narrative(out: &mut String, text: &str) {
    for line in text.trim_end().lines() {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str(&format!("# {line}\n"));
        }
    }
}

pub(crate) fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{by}{l}\n")
            }
        })
        .collect()
}

/// What the simulator showed for one option (its command's outcome) and the author's explanation, indented
/// under the option (the snapshot text and the REPL's verdict print the same block).
pub(crate) fn option_details(o: &super::QuizOption) -> String {
    let mut out = String::new();
    if let Some(outcome) = &o.outcome {
        out.push_str(&indent(outcome, "     | "));
    }
    if !o.explanation.trim().is_empty() {
        out.push_str(&indent(o.explanation.trim_end(), "     "));
    }
    out
}

/// The steps of a lesson as a terminal transcript, narrative as `# ` lines (what `replay` prints).
pub fn steps_transcript(scenario: &Scenario) -> String {
    let mut out = String::new();
    narrative(&mut out, &scenario.title);
    if !scenario.summary.trim().is_empty() {
        narrative(&mut out, &scenario.summary);
    }
    let (_, played) = scenario.play_steps();
    for (step, result) in played {
        if let Some(text) = &step.text {
            out.push('\n');
            narrative(&mut out, text);
        }
        if let Some(r) = result {
            if step.text.is_none() {
                out.push('\n');
            }
            out.push_str(&runner::transcript(&r, false));
        }
    }
    out
}

/// Everything about a scenario: steps, goal, hints and the reference solution with its events.
pub fn render_scenario(scenario: &Scenario) -> String {
    let mut out = format!("scenario `{}`\n\n", scenario.id);
    out.push_str(&steps_transcript(scenario));
    if let Some(goal) = &scenario.goal {
        out.push_str("\n== goal ==\n");
        if !goal.text.trim().is_empty() {
            out.push_str(goal.text.trim_end());
            out.push('\n');
        }
        out.push_str("must hold:\n");
        for p in &goal.predicates {
            out.push_str(&format!("  - {}\n", p.describe()));
        }
        if !goal.hints.is_empty() {
            out.push_str("hints:\n");
            for (i, h) in goal.hints.iter().enumerate() {
                out.push_str(&format!("  {}. {}\n", i + 1, h.trim()));
            }
        }
        out.push_str(&format!("reference solution (par {}):\n", goal.par));
        let (end, played) = scenario.play_solution();
        for (_, r, is_event) in played {
            if is_event {
                out.push_str("[dockdrill] meanwhile:\n");
            }
            out.push_str(&runner::transcript(&r, true));
        }
        let missing = goal.missing(&end);
        if missing.is_empty() {
            out.push_str("goal met\n");
        } else {
            out.push_str(&format!("goal not met; missing: {}\n", missing.join("; ")));
        }
    }
    out
}

fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::ExitCode => "exit code",
        Measure::Rows => "rows",
        Measure::Line => "a line of output",
        Measure::Contains => "text in the output",
        Measure::State => "the resulting state",
    }
}

/// One question: prompt, setup transcript, options with their outcomes and explanations, the key.
pub fn render_question(number: usize, q: &Question) -> String {
    let mut out = format!("== question {number} ({}) ==\n", q.kind.label());
    out.push_str(q.prompt.trim_end());
    out.push('\n');
    if !q.setup_transcript.is_empty() {
        out.push_str("setup:\n");
        out.push_str(&indent(&q.setup_transcript, "  "));
    }
    if let Some(c) = &q.command {
        let m = q.measure.map_or("", measure_name);
        out.push_str(&format!("command: {c} (measured: {m})\n"));
    }
    for (i, o) in q.options.iter().enumerate() {
        let mark = if q.correct.contains(&i) { "*" } else { " " };
        out.push_str(&format!("{mark} {}. {}\n", o.label, o.text));
        out.push_str(&option_details(o));
    }
    if let Some(reveal) = &q.reveal {
        out.push_str("the simulator ran:\n");
        out.push_str(&indent(reveal, "  | "));
    }
    if let Some(goal) = &q.goal {
        out.push_str("goal:\n");
        for p in &goal.predicates {
            out.push_str(&format!("  - {}\n", p.describe()));
        }
        for (i, h) in goal.hints.iter().enumerate() {
            out.push_str(&format!("  hint {}: {}\n", i + 1, h.trim()));
        }
        out.push_str(&format!(
            "  reference solution (par {}): {}\n",
            goal.par,
            goal.solution.join(" && ")
        ));
    } else {
        out.push_str(&format!("key: {}\n", q.key_labels()));
    }
    if !q.explanation.trim().is_empty() {
        out.push_str(&indent(q.explanation.trim_end(), "  "));
    }
    out
}

/// A whole quiz.
pub fn render_quiz(quiz: &Quiz) -> String {
    let mut out = format!("quiz `{}`: {}\n", quiz.id, quiz.title);
    for (i, q) in quiz.questions.iter().enumerate() {
        out.push('\n');
        out.push_str(&render_question(i + 1, q));
    }
    out
}
