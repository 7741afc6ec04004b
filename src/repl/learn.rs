//! What the learner has done, as `scenarios` lists it and the welcome sums it up. Only the shipped courseware
//! is counted: a file played from disk is recorded too, but "2 of 12 scenarios" is about the course.

use super::course::Course;
use super::play::plural;
use super::progress::Progress;
use super::session::Chunk;
use super::style::Kind;

/// `2 of 12 scenarios done, 15/21 quiz questions right`.
pub fn summary(course: &Course, progress: &Progress) -> String {
    let names = course.scenario_names();
    let done = names.iter().filter(|n| progress.best(n).is_some()).count();
    let (mut right, mut total) = (0, 0);
    for i in 0..course.quiz_names().len() {
        if let Some(Ok(quiz)) = course.quiz_at(i) {
            let n = quiz.questions.len();
            total += n;
            right += progress.right(&quiz.id, n);
        }
    }
    format!(
        "{done} of {} {} done, {right}/{total} quiz questions right",
        names.len(),
        plural(names.len(), "scenario")
    )
}

/// The `scenarios` listing: every scenario and quiz with what is done.
pub fn list(course: &Course, progress: &Progress) -> Vec<Chunk> {
    let mut text = String::from("scenarios (`play NAME` or `play N` starts one)\n");
    let names = course.scenario_names();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    for (i, name) in names.iter().enumerate() {
        let (title, kind) = match course.scenario_at(i) {
            Some(Ok(s)) => {
                let kind = match &s.goal {
                    Some(g) => format!("level, par {}", super::play::par_of(g)),
                    None => {
                        let n = s.steps.iter().filter(|s| s.command.is_some()).count();
                        format!("lesson, {n} {}", plural(n, "step"))
                    }
                };
                (s.title.trim().to_string(), kind)
            }
            Some(Err(e)) => (format!("cannot be loaded: {e}"), String::new()),
            None => (String::new(), String::new()),
        };
        let (mark, done) = match progress.best(name) {
            Some(best) => ("✓", format!("; done in {best}")),
            None => (" ", String::new()),
        };
        text.push_str(&format!(
            "{mark} {:>2}. {name:<width$}  {title} ({kind}{done})\n",
            i + 1
        ));
    }
    let quizzes = course.quiz_names();
    if !quizzes.is_empty() {
        text.push_str("quizzes (`quiz NAME` starts one; `quiz` the first)\n");
        let width = quizzes.iter().map(|n| n.len()).max().unwrap_or(0);
        for (i, name) in quizzes.iter().enumerate() {
            let line = match course.quiz_at(i) {
                Some(Ok(q)) => {
                    let n = q.questions.len();
                    let right = progress.right(&q.id, n);
                    let mark = if right == n { "✓" } else { " " };
                    format!(
                        "{mark} {name:<width$}  {} ({right}/{n} {} right)",
                        q.title.trim(),
                        plural(n, "question")
                    )
                }
                Some(Err(e)) => format!("  {name:<width$}  cannot be loaded: {e}"),
                None => String::new(),
            };
            text.push_str(&line);
            text.push('\n');
        }
    }
    text.push_str(&format!("{}\n", summary(course, progress)));
    vec![Chunk::new(Kind::Info, text)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::progress::Record;

    #[test]
    fn summary_counts_only_the_course() {
        let course = Course::shipped();
        let mut p = Progress::default();
        assert_eq!(
            summary(&course, &p),
            "0 of 12 scenarios done, 0/21 quiz questions right"
        );
        for (id, commands) in [("first-image", 6), ("stale-image-level", 4), ("mine", 1)] {
            p.record(&Record::Scenario {
                id: id.into(),
                commands,
            });
        }
        for (question, right) in [(0, true), (1, false), (2, true), (40, true)] {
            p.record(&Record::Answer {
                quiz: "sharing-images".into(),
                question,
                right,
            });
        }
        assert_eq!(
            summary(&course, &p),
            "2 of 12 scenarios done, 2/21 quiz questions right"
        );
        let listed: String = list(&course, &p).iter().map(|c| c.text.clone()).collect();
        assert!(
            listed.contains(
                "✓  1. first-image        Your first image and container (lesson, 6 steps; done in 6)"
            ),
            "{listed}"
        );
        assert!(listed.contains("(level, par 3; done in 4)"), "{listed}");
        assert!(listed.contains("(2/21 questions right)"), "{listed}");
    }
}
