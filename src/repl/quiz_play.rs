//! Taking a quiz in the REPL. Each question puts the learner in a copy of its world (after the setup), shows
//! the setup's transcript, the prompt and the options, and lets them try docker commands there before
//! answering: the copy is theirs to break, the question's own world stays as the quiz computed it. The verdict
//! comes with what the simulator saw: every option's explanation and, for "which fails" questions, what each
//! command printed when it was tried. `task` questions are answered by reaching their goal.

use super::activity::{Activity, ActivityReply, Chunk, Did};
use super::play::{GoalTracker, plural};
use super::progress::Record;
use super::style::Kind;
use crate::courseware::text::indent;
use crate::courseware::{Question, QuestionKind, Quiz};
use crate::model::world::World;

/// A quiz being taken.
pub struct QuizPlay {
    quiz: Quiz,
    /// The current question's index.
    at: usize,
    /// Was the current question answered (right or wrong)?
    answered: bool,
    /// Answers given and answers right in this run.
    given: usize,
    right: usize,
    /// For a `task` question: its goal and the commands typed towards it.
    task: Option<GoalTracker>,
    commands: usize,
    /// Did the learner run a command on this question's world before answering? A `predict` answer given
    /// after trying is shown as such and not recorded as right or wrong.
    tried: bool,
}

impl QuizPlay {
    /// Starts `quiz` at its first question: the activity, what to show, and the first question's world.
    pub fn start(quiz: Quiz) -> (QuizPlay, Vec<Chunk>, World) {
        let mut play = QuizPlay {
            quiz,
            at: 0,
            answered: false,
            given: 0,
            right: 0,
            task: None,
            commands: 0,
            tried: false,
        };
        let n = play.quiz.questions.len();
        let mut out = vec![Chunk::note(format!(
            "quiz `{}`: {} ({n} {})",
            play.quiz.id,
            play.quiz.title.trim(),
            plural(n, "question")
        ))];
        out.push(Chunk::note(
            "each question gives you a copy of its world: try docker commands there, then `answer b` (or `answer a,c`); `skip` moves on, `quit-quiz` stops",
        ));
        let world = play.enter(0, &mut out);
        (play, out, world)
    }

    fn question(&self) -> Option<&Question> {
        self.quiz.questions.get(self.at)
    }

    /// Moves to question `i`: shows it and returns the world to try things in.
    fn enter(&mut self, i: usize, out: &mut Vec<Chunk>) -> World {
        self.at = i;
        self.answered = false;
        self.commands = 0;
        self.tried = false;
        let Some(q) = self.quiz.questions.get(i) else {
            return World::new();
        };
        self.task = q.goal.clone().map(GoalTracker::new);
        out.extend(self.show(q));
        q.world.clone()
    }

    /// A question as the learner first sees it.
    fn show(&self, q: &Question) -> Vec<Chunk> {
        let n = self.quiz.questions.len();
        let mut out = vec![Chunk::new(
            Kind::Heading,
            format!("== question {} of {n} ({}) ==", self.at + 1, q.kind.label()),
        )];
        if !q.setup_transcript.is_empty() {
            out.push(Chunk::note(
                "the setup, already run in this question's world:",
            ));
            out.push(Chunk::new(Kind::Stdout, q.setup_transcript.clone()));
        }
        let mut text = format!("\n{}\n", crate::repl::wrap::reflow(q.prompt.trim_end()));
        for o in &q.options {
            text.push_str(&format!("  {}) {}\n", o.label, o.text));
        }
        out.push(Chunk::new(Kind::Info, text));
        if let Some(task) = &self.task {
            out.extend(task.show(&q.world));
            out.push(Chunk::note(format!(
                "reach the goal to answer (par {}); `goal`, `hint` and `solution` help",
                task.par()
            )));
        }
        out
    }

    /// `answer b`, `answer a,c`: what to show, and whether the answer was right when one was taken.
    fn answer(&mut self, arg: &str) -> (Vec<Chunk>, Option<bool>) {
        let refuse = |text: String| (vec![Chunk::note(text)], None);
        let Some(q) = self.question() else {
            return (Vec::new(), None);
        };
        if q.kind == QuestionKind::Task {
            return refuse(
                "this question is answered by reaching its goal: `goal` shows what is still missing"
                    .into(),
            );
        }
        if self.answered {
            return refuse(self.onwards("already answered:"));
        }
        let labels: Vec<String> = arg
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|l| !l.is_empty())
            .map(|l| l.trim_end_matches(')').to_lowercase())
            .collect();
        let known: Vec<&str> = q.options.iter().map(|o| o.label.as_str()).collect();
        if labels.is_empty() {
            return refuse(format!(
                "usage: `answer LABEL` or `answer LABEL,LABEL` with the options' labels ({})",
                known.join(", ")
            ));
        }
        let mut chosen = Vec::new();
        for l in &labels {
            match known.iter().position(|k| k == l) {
                Some(i) => chosen.push(i),
                None => {
                    return refuse(format!(
                        "`{l}` is not an option here: the options are {}",
                        known.join(", ")
                    ));
                }
            }
        }
        let right = q.is_correct(&chosen);
        let after_trying = q.kind == QuestionKind::Predict && self.tried;
        let mut verdict = if right {
            "right".to_string()
        } else {
            format!("wrong: the answer is {}", q.key_labels())
        };
        if after_trying {
            verdict.push_str(
                " (answered after trying commands on this world: a prediction only counts before, so your progress does not record it)",
            );
        }
        let mut out = vec![Chunk::note(verdict)];
        let mut text = String::new();
        for (i, o) in q.options.iter().enumerate() {
            let mark = match (q.correct.contains(&i), chosen.contains(&i)) {
                (true, _) => "✓",
                (false, true) => "✗",
                (false, false) => " ",
            };
            let yours = if chosen.contains(&i) {
                "   ← your answer"
            } else {
                ""
            };
            text.push_str(&format!("{mark} {}) {}{yours}\n", o.label, o.text));
            text.push_str(&crate::courseware::text::option_details(o));
        }
        if let Some(reveal) = &q.reveal {
            text.push_str("the simulator ran it on the question's world:\n");
            text.push_str(&indent(reveal, "  | "));
        }
        if !q.explanation.trim().is_empty() {
            text.push_str(&crate::repl::wrap::reflow(q.explanation.trim_end()));
            text.push('\n');
        }
        out.push(Chunk::new(Kind::Info, text));
        self.answered = true;
        self.given += 1;
        self.right += usize::from(right);
        out.push(Chunk::note(self.onwards("")));
        (out, if after_trying { None } else { Some(right) })
    }

    /// Is `line` the command a `predict` question asks about (the same docker subcommand on the default
    /// machine), typed before answering?
    fn peeks(&self, line: &str) -> Option<String> {
        let q = self.question()?;
        if self.answered || q.kind != QuestionKind::Predict {
            return None;
        }
        let measured = q.command.as_deref()?;
        let head = |l: &str| -> Option<Vec<String>> {
            let words = crate::script::words(l).ok()?;
            let (_, words) = crate::script::env_prefix(&words);
            Some(words.iter().take(2).cloned().collect())
        };
        let typed = crate::script::split_host(line);
        let wanted = crate::script::split_host(measured);
        (head(&typed.command)? == head(&wanted.command)?).then(|| measured.to_string())
    }

    /// A bare option label (`b`, `a,c`, `b)`) typed as the answer.
    fn bare_answer(&self, line: &str) -> bool {
        let Some(q) = self.question() else {
            return false;
        };
        if q.kind == QuestionKind::Task || line.len() > 2 * q.options.len() + 4 {
            return false;
        }
        let labels: Vec<String> = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|l| !l.is_empty())
            .map(|l| l.trim_end_matches(')').to_lowercase())
            .collect();
        !labels.is_empty()
            && labels
                .iter()
                .all(|l| q.options.iter().any(|o| o.label == *l))
    }

    /// What comes next, for after an answer.
    fn onwards(&self, lead: &str) -> String {
        let n = self.quiz.questions.len();
        let lead = if lead.is_empty() {
            String::new()
        } else {
            format!("{lead} ")
        };
        if self.at + 1 < n {
            format!("{lead}`next` for question {} of {n}", self.at + 2)
        } else {
            format!("{lead}that was the last question: `next` ends the quiz")
        }
    }

    /// `next` and `skip`: the next question, or the end.
    fn advance(&mut self, skipping: bool) -> ActivityReply {
        let mut out = Vec::new();
        if skipping && !self.answered {
            out.push(Chunk::note(format!("skipped question {}", self.at + 1)));
        }
        if self.at + 1 >= self.quiz.questions.len() {
            return self.finish(out);
        }
        let world = self.enter(self.at + 1, &mut out);
        ActivityReply {
            output: out,
            world: Some(world),
            start: true,
            ..ActivityReply::default()
        }
    }

    fn finish(&self, mut out: Vec<Chunk>) -> ActivityReply {
        out.push(Chunk::note(format!(
            "quiz `{}` over: {} of {} {} right",
            self.quiz.id,
            self.right,
            self.given,
            plural(self.given, "answer")
        )));
        ActivityReply {
            output: out,
            finished: true,
            ..ActivityReply::default()
        }
    }

    fn record(&self, right: bool) -> Record {
        Record::Answer {
            quiz: self.quiz.id.clone(),
            question: self.at,
            right,
        }
    }
}

impl Activity for QuizPlay {
    fn title(&self) -> String {
        format!(
            "quiz `{}`, question {} of {}",
            self.quiz.id,
            self.at + 1,
            self.quiz.questions.len()
        )
    }

    fn commands(&self) -> Vec<(String, String)> {
        let mut c = vec![
            (
                "answer B, answer A,C".into(),
                "answer with the options' labels".into(),
            ),
            ("question".into(), "show the question again".into()),
            ("next, skip".into(), "go on to the next question".into()),
            ("quit-quiz".into(), "stop the quiz".into()),
        ];
        if self.task.is_some() {
            c.push(("goal, hint, solution".into(), "for this task".into()));
        }
        c
    }

    fn handle(&mut self, line: &str, world: &World) -> Option<ActivityReply> {
        let (word, rest) = match line.split_once(char::is_whitespace) {
            Some((w, r)) => (w, r.trim()),
            None => (line, ""),
        };
        let word = word.strip_prefix(':').unwrap_or(word);
        if let Some(measured) = self.peeks(line) {
            return Some(ActivityReply {
                output: vec![Chunk::note(format!(
                    "this question asks what `{measured}` gives: predict first (`answer LABEL`), then try it"
                ))],
                ..ActivityReply::default()
            });
        }
        let (word, rest) = if self.bare_answer(line) {
            ("answer", line)
        } else {
            (word, rest)
        };
        let output = match word {
            "answer" => {
                let (output, right) = self.answer(rest);
                return Some(ActivityReply {
                    output,
                    records: right.map(|r| self.record(r)).into_iter().collect(),
                    ..ActivityReply::default()
                });
            }
            "question" => match self.question() {
                Some(q) => self.show(q),
                None => Vec::new(),
            },
            "next" | "skip" => return Some(self.advance(true)),
            "quit-quiz" => return Some(self.finish(Vec::new())),
            "goal" | "hint" | "solution" => match &mut self.task {
                Some(task) => match word {
                    "goal" => task.show(world),
                    "hint" => task.hint(),
                    _ => task.solution(rest),
                },
                None => vec![Chunk::note(
                    "this question has no goal: try the commands on this copy of its world, then `answer`",
                )],
            },
            _ => return None,
        };
        Some(ActivityReply {
            output,
            ..ActivityReply::default()
        })
    }

    fn after_step(&mut self, did: &Did, world: &World) -> ActivityReply {
        if let Did::Command { .. } | Did::Wait = did {
            self.tried = true;
        }
        let counted = match did {
            Did::Machine => false,
            Did::Wait => true,
            Did::Command { counted, .. } => *counted,
        };
        if self.answered || !counted {
            return ActivityReply::default();
        }
        let Some(task) = &self.task else {
            return ActivityReply::default();
        };
        self.commands += 1;
        if !task.met(world) {
            return ActivityReply::default();
        }
        let mut output = vec![task.reached(self.commands)];
        if let Some(q) = self.question()
            && !q.explanation.trim().is_empty()
        {
            output.push(Chunk::new(Kind::Info, q.explanation.trim_end()));
        }
        self.answered = true;
        self.given += 1;
        self.right += 1;
        output.push(Chunk::note(self.onwards("right:")));
        ActivityReply {
            output,
            records: vec![self.record(true)],
            ..ActivityReply::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::session::Session;

    fn run(s: &mut Session, lines: &[&str]) -> String {
        lines.iter().map(|l| s.handle_line(l).text()).collect()
    }

    /// The `task` question of the shipped quiz `tags`.
    fn task_index() -> usize {
        crate::repl::course::Course::shipped()
            .find_quiz("tags")
            .ok()
            .and_then(|q| {
                q.questions
                    .iter()
                    .position(|q| q.kind == QuestionKind::Task)
            })
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn right_wrong_and_refusals() {
        let mut s = Session::new();
        let _ = run(&mut s, &["docker pull -q alpine"]);
        let intro = run(&mut s, &["quiz"]);
        assert!(intro.contains("== question 1 of 4 (predict) =="), "{intro}");
        assert!(
            intro.contains("  a) An image named myimage and a stopped container"),
            "{intro}"
        );
        // The question's world, not the learner's.
        assert!(
            s.world().machines["default"]
                .images
                .has_tag("docker.io/library/myimage:latest")
        );
        assert!(run(&mut s, &["answer"]).contains("usage: `answer LABEL`"));
        assert!(
            run(&mut s, &["answer q"])
                .contains("`q` is not an option here: the options are a, b, c")
        );
        let right = run(&mut s, &["answer A"]);
        assert!(right.starts_with("[dockdrill] right\n✓ a) "), "{right}");
        assert!(
            right.ends_with("[dockdrill] `next` for question 2 of 4\n"),
            "{right}"
        );
        assert!(run(&mut s, &["answer b"]).contains("already answered"));
        run(&mut s, &["next"]);
        // Trying a command on the copy, then answering wrong.
        let tried = run(&mut s, &["docker rm mycontainer"]);
        assert!(tried.contains("No such container: mycontainer"), "{tried}");
        let wrong = run(&mut s, &["answer a, b"]);
        assert!(
            wrong.starts_with("[dockdrill] wrong: the answer is `c`\n"),
            "{wrong}"
        );
        assert!(
            wrong.contains("✗ a) docker ps -a   ← your answer\n     | $ docker ps -a\n"),
            "{wrong}"
        );
        assert!(
            wrong.contains("     | [exit 1]\n     `--rm` removed the container"),
            "{wrong}"
        );
        let progress = &s.progress().quizzes["images-and-containers"];
        assert_eq!(progress.right.iter().copied().collect::<Vec<_>>(), vec![0]);
        assert_eq!(progress.wrong.iter().copied().collect::<Vec<_>>(), vec![1]);
        let over = run(&mut s, &["quit-quiz"]);
        assert_eq!(
            over,
            "[dockdrill] quiz `images-and-containers` over: 1 of 2 answers right\n[dockdrill] back in your own world\n"
        );
        // The learner's own world is back.
        let images = &s.world().machines["default"].images;
        assert!(images.has_tag("docker.io/library/alpine:latest"));
        assert!(!images.has_tag("docker.io/library/myimage:latest"));
        assert!(run(&mut s, &["answer a"]).contains("no quiz is being taken"));
    }

    #[test]
    fn a_task_is_answered_by_reaching_its_goal() {
        let mut s = Session::new();
        let task = task_index();
        run(&mut s, &["quiz tags"]);
        for _ in 0..task {
            run(&mut s, &["skip"]);
        }
        let shown = run(&mut s, &["question"]);
        assert!(shown.contains("(task) =="), "{shown}");
        assert!(run(&mut s, &["answer a"]).contains("answered by reaching its goal"));
        assert!(run(&mut s, &["hint"]).starts_with("[dockdrill] hint 1 of 2"));
        let done = run(&mut s, &["docker image prune -f"]);
        assert!(
            done.contains("[dockdrill] goal reached in 1 command (par 1): exactly par"),
            "{done}"
        );
        assert!(s.progress().quizzes["tags"].right.contains(&task));
    }

    #[test]
    fn the_last_next_ends_the_quiz() {
        let mut s = Session::new();
        run(&mut s, &["quiz images-and-containers"]);
        let mut out = String::new();
        for _ in 0..4 {
            out = run(&mut s, &["next"]);
        }
        assert!(out.starts_with("[dockdrill] skipped question 4\n[dockdrill] quiz `images-and-containers` over: 0 of 0 answers right\n"), "{out}");
        assert!(run(&mut s, &["quiz nope"]).contains("there is no quiz `nope`"));
    }
}
