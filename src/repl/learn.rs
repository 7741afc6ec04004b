//! What the learner has done, as `scenarios` lists it and the welcome sums it up. Only the shipped courseware
//! is counted: a file played from disk is recorded too, but "2 of 12 scenarios" is about the course.

use super::activity::Chunk;
use super::course::Course;
use super::play::plural;
use super::progress::Progress;
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

/// The `scenarios` listing: every scenario with what is done, each quiz after the lessons it tests.
pub fn list(course: &Course, progress: &Progress) -> Vec<Chunk> {
    let mut text = match course.title() {
        Some(title) => format!(
            "{}: scenarios (`play NAME` or `play N` starts one; `quiz NAME` a quiz)\n",
            title.trim()
        ),
        None => {
            String::from("scenarios (`play NAME` or `play N` starts one; `quiz NAME` a quiz)\n")
        }
    };
    let names = course.scenario_names();
    let quizzes = course.quiz_names();
    // Titles line up: a quiz's `quiz NAME` starts two columns before a scenario's name.
    let width = names
        .iter()
        .map(|n| n.len())
        .chain(quizzes.iter().map(|n| n.len() + 2))
        .max()
        .unwrap_or(0);
    let qwidth = width - 2;
    let quiz_lines = |text: &mut String, after: usize| {
        for q in course.quizzes_after(after) {
            let name = quizzes.get(q).copied().unwrap_or_default();
            let line = match course.quiz_at(q) {
                Some(Ok(quiz)) => {
                    let n = quiz.questions.len();
                    let right = progress.right(&quiz.id, n);
                    let mark = if right == n { "✓" } else { " " };
                    let title = course.quiz_title(q).unwrap_or(quiz.title.as_str());
                    format!(
                        "{mark}  quiz {name:<qwidth$}  {} ({right}/{n} {} right)",
                        title.trim(),
                        plural(n, "question")
                    )
                }
                Some(Err(e)) => format!("   quiz {name:<qwidth$}  cannot be loaded: {e}"),
                None => String::new(),
            };
            text.push_str(&line);
            text.push('\n');
        }
    };
    quiz_lines(&mut text, 0);
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
                let title = course.scenario_title(i).unwrap_or(s.title.as_str());
                (title.trim().to_string(), kind)
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
        quiz_lines(&mut text, i + 1);
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
            "0 of 30 scenarios done, 0/31 quiz questions right"
        );
        for (id, commands) in [("first-image", 6), ("stale-image-level", 4), ("mine", 1)] {
            p.record(&Record::Scenario {
                id: id.into(),
                commands,
            });
        }
        for (question, right) in [(0, true), (1, false), (2, true), (40, true)] {
            p.record(&Record::Answer {
                quiz: "images-and-containers".into(),
                question,
                right,
            });
        }
        assert_eq!(
            summary(&course, &p),
            "2 of 30 scenarios done, 2/31 quiz questions right"
        );
        let listed: String = list(&course, &p).iter().map(|c| c.text.clone()).collect();
        assert!(
            listed.contains(
                "✓  1. first-image                Your first image and container (lesson, 6 steps; done in 6)"
            ),
            "{listed}"
        );
        assert!(listed.contains("(level, par 3; done in 4)"), "{listed}");
        assert!(listed.contains("(2/4 questions right)"), "{listed}");
    }
}
