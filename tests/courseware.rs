//! Courseware: every shipped scenario and quiz rendered and snapshotted (a change in simulated behaviour shows
//! up as a reviewable diff), and `dockdrill check` on broken fixtures exits 1 with precise messages.

use dockdrill::courseware::{self, check, text};
use std::path::Path;
use std::process::{Command, Stdio};

/// Renders a course file as the snapshot records it; load errors go into the text instead of panicking.
fn render(path: &Path) -> String {
    let content = std::fs::read_to_string(path).unwrap_or_default();
    match check::kind_of(&content) {
        check::FileKind::Quiz => match courseware::load_quiz(path) {
            Ok(q) => text::render_quiz(&q),
            Err(e) => format!("error: {e}\n"),
        },
        check::FileKind::Scenario | check::FileKind::Course => {
            match courseware::load_scenario(path) {
                Ok(s) => {
                    let mut out = text::render_scenario(&s);
                    for e in s.verify() {
                        out.push_str(&format!("error: {e}\n"));
                    }
                    out
                }
                Err(e) => format!("error: {e}\n"),
            }
        }
    }
}

/// One test over both folders: each file is its own snapshot (`courseware@scenarios__NAME.yaml.snap`), so a
/// changed lesson fails under its own name with its diff (two `glob!` tests running in parallel would share
/// insta's failure count and blame each other).
#[test]
fn courseware() {
    insta::glob!("..", "{scenarios,quizzes}/*.yaml", |path| {
        insta::assert_snapshot!(render(path));
    });
}

/// Runs the binary from the crate root with no stdin.
fn dockdrill(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run dockdrill: {e}"));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (text, out.status.code().unwrap_or(-1))
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/courseware/{name}")
}

/// `check` on one broken fixture: exit 1, a FAILED line and the expected message.
fn fails_with(name: &str, message: &str) {
    let (out, code) = dockdrill(&["check", &fixture(name)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("FAILED  {}", fixture(name))), "{out}");
    assert!(out.contains(message), "expected `{message}` in:\n{out}");
    assert!(out.contains("checked 1 file: 0 ok, 1 failed"), "{out}");
}

#[test]
fn shipped_content_checks_clean() {
    let (out, code) = dockdrill(&["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("FAILED"), "{out}");
    let reports = check::check_paths(&[]);
    assert!(reports.len() >= 11, "{} course files", reports.len());
}

#[test]
fn malformed_yaml_names_line_column_and_field() {
    fails_with(
        "malformed.yaml",
        "tests/fixtures/courseware/malformed.yaml:3:10: `steps[0].run`: invalid YAML: unclosed quote",
    );
}

#[test]
fn unknown_field_gets_a_suggestion() {
    fails_with(
        "unknown-field.yaml",
        "unknown-field.yaml:5:5: `steps[0].expct`: unknown field `expct`, did you mean `expect`?",
    );
}

#[test]
fn wrong_value_says_what_was_expected() {
    fails_with(
        "wrong-type.yaml",
        "wrong-type.yaml:6:18: `steps[0].expect.exit_code`: expected a whole number, found `zero`",
    );
}

#[test]
fn wrong_answer_key_is_an_error() {
    fails_with(
        "wrong-key.yaml",
        "wrong-key.yaml:13:13: `questions[0].answer`: the answer key says `a` but the simulation says `b`",
    );
}

#[test]
fn unreachable_goal_is_an_error() {
    fails_with(
        "unreachable-goal.yaml",
        "`goal.solution`: the reference solution does not reach the goal; still missing: a container `web` is running on `server`",
    );
}

#[test]
fn goal_met_at_start_is_an_error() {
    fails_with(
        "goal-already-met.yaml",
        "`goal`: the goal is already met before the learner types anything",
    );
}

#[test]
fn failing_expectation_is_an_error() {
    fails_with(
        "failing-expectation.yaml",
        "failing-expectation.yaml:4:10: `steps[1].expect`: `docker rm web`: expected exit code 0, got 1\n    | Error response from daemon: No such container: web\n",
    );
}

#[test]
fn a_failing_step_needs_an_exit_code_that_says_so() {
    fails_with(
        "failing-step.yaml",
        "failing-step.yaml:6:10: `steps[1].run`: `docker push myimage` exits with code 1; a step that fails on purpose says so with `expect: { exit_code: 1 }`\n    | Using default tag: latest\n",
    );
    let (out, _) = dockdrill(&["check", &fixture("failing-step.yaml")]);
    assert!(
        out.contains("    | denied: requested access to the resource is denied\n"),
        "{out}"
    );
}

#[test]
fn a_failing_solution_line_is_an_error() {
    fails_with(
        "failing-solution.yaml",
        "failing-solution.yaml:6:7: `goal.solution[0]`: `docker rm web` exits with code 1; every command of a reference solution must succeed (the par counts them)\n    | Error response from daemon: No such container: web\n",
    );
}

#[test]
fn an_undeclared_machine_gets_a_suggestion() {
    fails_with(
        "unknown-machine.yaml",
        "unknown-machine.yaml:8:10: `steps[1].run`: no machine `sever` in this scenario's world, did you mean `server`? (its machines are `default`, `server`; a new one is declared under `world.machines` as `sever: {}`)",
    );
}

#[test]
fn a_machine_platform_must_parse() {
    fails_with(
        "bad-platform.yaml",
        "bad-platform.yaml:6:17: `world.machines.laptop.platform`: \"amd64,arm64\" is an invalid component of \"linux/amd64,arm64\": platform specifier component must match \"^[A-Za-z0-9_-]+$\": invalid argument (write OS/ARCH, like `linux/amd64` or `linux/arm64`)",
    );
}

#[test]
fn a_type_mismatch_says_what_was_expected_and_found() {
    fails_with(
        "list-expected.yaml",
        "list-expected.yaml:5:10: `goal.hints`: expected a list of strings, found an integer (`3`)",
    );
}

#[test]
fn a_misindented_field_names_where_it_belongs() {
    fails_with(
        "misindented.yaml",
        "misindented.yaml:6:5: `steps[0].exit_code`: unknown field `exit_code` (expected one of `text`, `run`, `expect`); `exit_code` belongs under `steps[].expect`: is the line indented under the right field?",
    );
}

#[test]
fn steps_a_level_would_never_show_are_an_error() {
    fails_with(
        "steps-and-goal.yaml",
        "steps-and-goal.yaml:4:5: `steps`: a scenario with a `goal` is played as a level, so the learner never sees its `steps`: put the lesson and the level in two files",
    );
}

/// Every message `check` prints for the fixtures carries `file:line:column`: never a field path alone.
#[test]
fn every_fixture_error_has_a_position() {
    let reports = check::check_paths(&[std::path::PathBuf::from("tests/fixtures/courseware")]);
    assert!(reports.len() >= 12, "{} fixtures", reports.len());
    for r in &reports {
        assert!(!r.errors.is_empty(), "{} passes", r.path.display());
        for e in &r.errors {
            assert!(e.line > 0 && e.column > 0, "no position: {e}");
        }
    }
}

#[test]
fn binary_huge_and_deep_files_are_refused() {
    let dir = std::env::temp_dir().join(format!("dockdrill-courseware-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let binary = dir.join("binary.yaml");
    std::fs::write(&binary, b"title: \x00\x01\x02").unwrap_or_else(|e| panic!("{e}"));
    let huge = dir.join("huge.yaml");
    std::fs::write(&huge, vec![b'a'; 11 * 1024 * 1024]).unwrap_or_else(|e| panic!("{e}"));
    let deep = dir.join("deep.yaml");
    let nested = format!(
        "title: x\nsteps:\n  - run: docker ps\n    expect:\n      output_contains: {}{}\n",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    std::fs::write(&deep, nested).unwrap_or_else(|e| panic!("{e}"));
    let reports = check::check_paths(&[binary, huge, deep]);
    let messages: Vec<String> = reports
        .iter()
        .map(|r| r.errors.iter().map(ToString::to_string).collect())
        .collect();
    assert!(messages[0].contains("is not UTF-8 text"), "{messages:?}");
    assert!(
        messages[1].contains("course files may be at most 10485760 bytes"),
        "{messages:?}"
    );
    assert!(
        messages[2].contains("nests deeper than 32 levels"),
        "{messages:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replay_runs_a_scenario_file() {
    let (out, code) = dockdrill(&["replay", "scenarios/rm-flag.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "$ docker rm mycontainer\nError response from daemon: No such container: mycontainer\n"
        ),
        "{out}"
    );
}

#[test]
fn schema_covers_both_formats() {
    let (out, code) = dockdrill(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    for def in ["scenario", "quiz", "predicate", "world", "goal"] {
        assert!(schema["$defs"][def].is_object(), "missing {def}");
    }
    // Every question kind the loader accepts is in the schema.
    let kinds =
        &schema["$defs"]["quiz"]["properties"]["questions"]["items"]["properties"]["kind"]["enum"];
    assert_eq!(kinds.as_array().map(Vec::len), Some(5));
}

#[test]
fn api_goal_missing_and_events() {
    let s = courseware::load_scenario(Path::new("scenarios/stale-image-level.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let goal = s.goal.as_ref().unwrap_or_else(|| panic!("no goal"));
    assert!(!goal.met(&s.world));
    assert!(!goal.missing(&s.world).is_empty());
    assert!(goal.par >= 1);
    assert!(!s.events_after(1).is_empty());
    assert!(s.events_after(99).is_empty());
}

#[test]
fn api_question_keys_come_from_the_simulation() {
    let quiz = courseware::load_quiz(Path::new("quizzes/images-and-containers.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(quiz.questions.len() >= 3);
    // Seed question 2: `docker rm mycontainer` (c) fails after a `--rm` container was stopped.
    let q = &quiz.questions[1];
    assert_eq!(q.correct, vec![2]);
    assert!(q.is_correct(&[2]));
    assert!(!q.is_correct(&[1]));
    let outcome = q.options[2].outcome.as_deref().unwrap_or("");
    assert!(
        outcome.contains("No such container: mycontainer"),
        "{outcome}"
    );
}

#[test]
fn shipped_schema_file_is_current() {
    let (out, _) = dockdrill(&["schema"]);
    let shipped = std::fs::read_to_string("docs/courseware.schema.json").unwrap_or_default();
    assert!(
        shipped == out,
        "docs/courseware.schema.json is stale: run `cargo run -- schema > docs/courseware.schema.json`"
    );
}

/// `repl --course DIR` offers the folder's own scenarios and quizzes, in its `course.yaml` order, and
/// `check DIR` checks them (with the course file).
#[test]
fn repl_course_lists_a_folders_own_scenario() {
    let dir = std::env::temp_dir().join(format!("dockdrill-course-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("pull-nginx.yaml"),
        "title: Pull nginx\nsteps:\n  - run: docker pull nginx\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("my-level.yaml"),
        "title: My level\ngoal:\n  predicates: [{ container_running: { name: web } }]\n  solution: [\"docker run -d --name web nginx\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("course.yaml"),
        "title: Carol's course\norder:\n  - pull-nginx\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .args(["repl", "--course"])
        .arg(&dir)
        .env("DOCKDRILL_HOME", dir.join("home"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(b"scenarios\nplay 2\n")?;
            }
            child.wait_with_output()
        })
        .unwrap_or_else(|e| panic!("cannot run dockdrill: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Carol's course: scenarios"), "{text}");
    assert!(
        text.contains("   1. pull-nginx  Pull nginx (lesson, 1 step)\n   2. my-level    My level (level, par 1)\n"),
        "{text}"
    );
    assert!(
        text.contains("0 of 2 scenarios done, 0/0 quiz questions right"),
        "{text}"
    );
    assert!(text.contains("scenario `my-level`: My level"), "{text}");
    let (checked, code) = dockdrill(&["check", &dir.display().to_string()]);
    assert_eq!(code, 0, "{checked}");
    assert!(checked.contains("course.yaml\n"), "{checked}");
    assert!(
        checked.contains("checked 3 files: 3 ok, 0 failed"),
        "{checked}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every complete scenario or quiz shown in the README and docs/courseware.md passes `check`: the
/// documentation cannot show an instructor a file the stricter check refuses.
#[test]
fn documented_examples_check_clean() {
    let dir = std::env::temp_dir().join(format!("dockdrill-doc-examples-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut files = Vec::new();
    for doc in ["README.md", "docs/courseware.md"] {
        let text = std::fs::read_to_string(doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
        for (i, block) in text.split("```yaml\n").skip(1).enumerate() {
            let block = block.split("```").next().unwrap_or_default();
            if block.contains("title:") && !block.contains("order:") {
                let file = dir.join(format!("{}-{i}.yaml", doc.replace('/', "_")));
                std::fs::write(&file, block).unwrap_or_else(|e| panic!("{e}"));
                files.push(file);
            }
        }
    }
    assert!(files.len() >= 4, "{files:?}");
    let reports = check::check_paths(&files);
    let (text, ok) = check::render(&reports);
    assert!(ok, "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
