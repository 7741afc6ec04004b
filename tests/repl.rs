//! The REPL driven through a pipe (as a script or a course would drive it) and through a real terminal in
//! tmux. Piped sessions are snapshotted whole: the echoed commands, Docker's output, the simulator's notes,
//! the `state` picture and `explain`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A screen wide enough that nothing wraps, for tests about something else.
const WIDE: &[(&str, &str)] = &[("COLUMNS", "400")];

/// A fresh data directory for one test.
fn home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dockdrill-repl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs `dockdrill ARGS` with `input` piped in; returns stdout, stderr and the exit code.
fn repl_with(args: &[&str], input: &str, env: &[(&str, &str)]) -> (String, String, i32) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let dir = home(&format!("pipe{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let out = repl_in(&dir, args, input, env);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Runs `dockdrill ARGS` with `input` piped in and `DOCKDRILL_HOME` at `dir`, which is kept.
fn repl_in(
    dir: &std::path::Path,
    args: &[&str],
    input: &str,
    env: &[(&str, &str)],
) -> (String, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockdrill"));
    cmd.args(args)
        .env("DOCKDRILL_HOME", dir)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run dockdrill: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("dockdrill did not finish: {e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Snapshots a whole session without the input in the metadata (the session's text shows it).
fn snap(name: &str, input: &str) {
    insta::with_settings!({ omit_expression => true }, {
        insta::assert_snapshot!(name, session(input));
    });
}

/// A piped session's stdout; stderr must stay empty and the exit code 0.
fn session(input: &str) -> String {
    let (out, err, code) = repl_with(&[], input, &[]);
    assert_eq!(err, "", "nothing goes to stderr in a piped session");
    assert_eq!(code, 0);
    out
}

#[test]
fn basics_state_explain_undo() {
    snap(
        "basics",
        "\
docker build -q -t myimage .
docker run -d --name web myimage
docker ps
state
explain
docker stop web
explain
undo
docker ps
undo
redo
redo
redo
docker ps -a
undo
undo
undo
undo
undo
undo
explain
docker run --name hello alpine echo hi
explain
",
    );
}

#[test]
fn sharing_between_machines() {
    snap(
        "sharing",
        "\
docker login -u alice -p wonderland
docker build -q -t alice/app .
docker push alice/app
explain
machine laptop
docker pull alice/app
explain
state
machine
machine default
docker images
",
    );
}

#[test]
fn stale_latest_is_explained() {
    snap(
        "stale_latest",
        "\
laptop$ docker login -u alice -p wonderland
laptop$ docker build -q -t alice/app .
laptop$ docker push -q alice/app
docker run -d --name v1 alice/app
laptop$ sed -i 's/version 1/version 2/' server.js
laptop$ docker build -q -t alice/app .
laptop$ docker push -q alice/app
docker run -d --name again alice/app
explain
docker pull -q alice/app
explain
",
    );
}

#[test]
fn a_registry_served_by_a_container() {
    snap(
        "private_registry",
        "\
docker run -d -p 5000:5000 --name registry registry:2
docker pull -q alpine
docker tag alpine localhost:5000/alpine
docker push -q localhost:5000/alpine
explain
docker stop registry
explain
state
",
    );
}

#[test]
fn time_rm_and_reset() {
    snap(
        "time_rm_reset",
        "\
docker run -d --rm --name nap alpine sleep 5
docker ps
wait 10
explain
docker rm nap
reset
state
undo
docker images
ps
:frob
wait soon
animation off
",
    );
}

#[test]
fn help_lists_commands_and_accounts() {
    let out = session("help\n");
    for want in [
        "state",
        "explain",
        "undo, redo",
        "reset",
        "machine [NAME]",
        "wait N",
        "exit, quit",
        "alice / wonderland",
        "bob   / builder",
        "image prune",
        "sed -i",
    ] {
        assert!(out.contains(want), "help lacks {want:?}:\n{out}");
    }
}

#[test]
fn repl_subcommand_is_the_default() {
    let input = "docker pull alpine\nstate\n";
    let (a, _, _) = repl_with(&[], input, &[]);
    let (b, _, _) = repl_with(&["repl"], input, &[]);
    assert_eq!(a, b);
    assert!(
        a.starts_with("$ docker pull alpine\nUsing default tag: latest\n"),
        "{a}"
    );
}

#[test]
fn a_pipe_is_never_coloured() {
    let (out, _, _) = repl_with(&[], "docker rm nope\nstate\n", &[("CLICOLOR_FORCE", "1")]);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("Error response from daemon: No such container: nope\n"));
}

#[test]
fn password_lines_are_not_echoed() {
    let out = session("docker login -u bob --password-stdin\nbuilder\ndocker logout\n");
    assert!(!out.contains("builder\n"), "{out}");
    assert!(out.contains("Login Succeeded"), "{out}");
    assert!(
        out.contains("Removing login credentials for https://index.docker.io/v1/"),
        "{out}"
    );
}

#[test]
fn exit_stops_reading_and_empty_input_is_fine() {
    let out = session("docker ps -q\nexit\ndocker pull alpine\n");
    assert_eq!(out, "$ docker ps -q\n$ exit\n");
    assert_eq!(session(""), "");
    assert_eq!(session("\n# only a comment\n\n"), "");
}

/// The real terminal path, in tmux: completion of a container name with Tab, Ctrl-C clearing the line, and
/// history recalled with Up, also in the next session (it is saved in `DOCKDRILL_HOME`).
#[test]
fn terminal_session_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipping terminal_session_in_tmux: tmux is not installed");
        return;
    }
    // A real terminal is timing-dependent under a loaded machine: one retry, then the failure stands.
    if std::panic::catch_unwind(|| terminal_session("tmux")).is_err() {
        eprintln!("terminal_session_in_tmux: first attempt failed, retrying once");
        let _ = Command::new("tmux")
            .args([
                "-L",
                &format!("dockdrill-test-{}", std::process::id()),
                "kill-server",
            ])
            .output();
        terminal_session("tmux-retry");
    }
}

fn terminal_session(name: &str) {
    let dir = home(name);
    let tmux = Tmux::start(&dir);
    tmux.wait_for("welcome", |s| {
        s.contains("dockdrill: Docker, simulated") && last_line(s) == "$"
    });
    tmux.keys(&["docker run -d --name webserver nginx", "Enter"]);
    tmux.wait_for("nginx to run", |s| {
        s.contains("Status: Downloaded newer image for nginx:latest") && last_line(s) == "$"
    });
    // Tab completes the container name from the state.
    tmux.keys(&["docker stop webs", "Tab"]);
    tmux.wait_for("completion", |s| last_line(s) == "$ docker stop webserver");
    tmux.keys(&["Enter"]);
    tmux.wait_for("stop", |s| {
        s.lines().any(|l| l == "webserver") && last_line(s) == "$"
    });
    // Ctrl-C drops the line: it never runs.
    tmux.keys(&["docker rm -f webserver", "C-c"]);
    tmux.wait_for("a fresh prompt", |s| last_line(s) == "$");
    tmux.keys(&["explain", "Enter"]);
    tmux.wait_for("explain of the stop", |s| {
        s.contains("last command: $ docker stop webserver") && last_line(s) == "$"
    });
    // Up recalls history.
    tmux.keys(&["Up", "Up"]);
    tmux.wait_for("history recall", |s| {
        last_line(s) == "$ docker stop webserver"
    });
    tmux.leave();
    let history = std::fs::read_to_string(dir.join("history")).unwrap_or_default();
    assert_eq!(
        history,
        "docker run -d --name webserver nginx\ndocker stop webserver\nexplain\n"
    );
    // The next session remembers.
    let tmux = Tmux::start(&dir);
    tmux.wait_for("welcome", |s| {
        s.contains("dockdrill: Docker, simulated") && last_line(s) == "$"
    });
    tmux.keys(&["Up"]);
    tmux.wait_for("history of the last session", |s| {
        last_line(s) == "$ explain"
    });
    tmux.leave();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 10 in a real terminal: at 80 columns the simulator's notes wrap at words under their text, and
/// bytes that are not UTF-8 typed at the prompt do not end the session.
#[test]
fn terminal_width_and_bad_bytes_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipping terminal_width_and_bad_bytes_in_tmux: tmux is not installed");
        return;
    }
    let run = |name: &str| {
        let dir = home(name);
        let tmux = Tmux::start_sized(&dir, "-width", 80, 24);
        tmux.wait_for("welcome", |s| {
            s.contains("dockdrill: Docker, simulated") && last_line(s) == "$"
        });
        tmux.keys(&["foo", "Enter"]);
        tmux.wait_for("a wrapped note", |s| {
            s.lines()
                .any(|l| l.starts_with("[dockdrill] `foo` is not something dockdrill runs"))
                && s.lines()
                    .any(|l| l.starts_with("            cat, ls, sed -i"))
                && last_line(s) == "$"
        });
        tmux.bytes(&["ff", "fe", "c3"]);
        tmux.keys(&["Enter"]);
        tmux.keys(&["docker ps -q", "Enter"]);
        tmux.wait_for("the session going on", |s| {
            s.contains("$ docker ps -q") && last_line(s) == "$"
        });
        tmux.leave();
        let _ = std::fs::remove_dir_all(&dir);
    };
    if std::panic::catch_unwind(|| run("tmux-width")).is_err() {
        eprintln!("terminal_width_and_bad_bytes_in_tmux: first attempt failed, retrying once");
        let _ = Command::new("tmux")
            .args([
                "-L",
                &format!("dockdrill-test-width-{}", std::process::id()),
                "kill-server",
            ])
            .output();
        run("tmux-width-retry");
    }
}

fn last_line(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end()
}

/// One dockdrill in its own tmux server (a private socket, so nothing else of the user's is touched).
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &std::path::Path) -> Tmux {
        Tmux::start_sized(dir, "", 160, 50)
    }

    /// A session `cols` by `rows`, on a socket of its own (`name` keeps parallel tests apart).
    fn start_sized(dir: &std::path::Path, name: &str, cols: u16, rows: u16) -> Tmux {
        let socket = format!("dockdrill-test{name}-{}", std::process::id());
        let command = format!(
            "env -u COLUMNS DOCKDRILL_HOME='{}' TERM=xterm-256color '{}'",
            dir.display(),
            env!("CARGO_BIN_EXE_dockdrill")
        );
        let (cols, rows) = (cols.to_string(), rows.to_string());
        let t = Tmux { socket };
        let ok = t
            .tmux(&[
                "new-session",
                "-d",
                "-s",
                "drill",
                "-x",
                &cols,
                "-y",
                &rows,
                &command,
            ])
            .status
            .success();
        assert!(ok, "tmux could not start a session");
        t
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run tmux: {e}"))
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            // Literal text is sent with -l so that words like `Enter` inside it are not read as keys.
            let special = matches!(*k, "Enter" | "Tab" | "Up" | "C-c" | "C-d");
            let mut args = vec!["send-keys", "-t", "drill"];
            if !special {
                args.push("-l");
            }
            args.push(k);
            self.tmux(&args);
        }
    }

    /// Sends raw bytes (tmux `send-keys -H`), such as bytes that are not UTF-8.
    fn bytes(&self, hex: &[&str]) {
        let mut args = vec!["send-keys", "-t", "drill", "-H"];
        args.extend_from_slice(hex);
        self.tmux(&args);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "drill"]).stdout)
            .into_owned()
    }

    /// Polls the screen until `ok` holds, failing with the screen after 20 seconds.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let s = self.screen();
            if ok(&s) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "waiting for {what}; the screen:\n{s}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Clears the line with Ctrl-C and, once the fresh prompt shows (so the editor is reading again; a key
    /// sent between two reads would reach a terminal in cooked mode), leaves with Ctrl-D.
    fn leave(&self) {
        self.keys(&["C-c"]);
        self.wait_for("a fresh prompt", |s| last_line(s) == "$");
        self.keys(&["C-d"]);
        self.wait_for_exit();
    }

    fn wait_for_exit(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while self.tmux(&["has-session", "-t", "drill"]).status.success() {
            assert!(
                std::time::Instant::now() < deadline,
                "dockdrill did not leave on Ctrl-D"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// Playing the level whose teammate pushes a new image after the learner's first command: a hint, the
/// scripted event narrated as the teammate's, the goal with what is missing, and the par message.
#[test]
fn scenario_played_to_its_goal() {
    snap(
        "scenario_level",
        "\
play stale-image-level
hint
server$ docker ps
foo
goal
hint
server$ docker rm -f web
server$ docker pull -q alice/app
server$ docker run -d --name web alice/app
scenarios
leave
docker images
",
    );
}

/// A quiz answered right, then a command tried on the question's copy of the world and a wrong answer.
#[test]
fn quiz_answered_right_and_wrong() {
    snap(
        "quiz_right_and_wrong",
        "\
docker pull -q alpine
quiz
answer a
next
docker rm mycontainer
answer b
quit-quiz
docker images
",
    );
}

/// A lesson (a scenario without a goal) followed step by step, started with `--scenario`.
#[test]
fn lesson_started_from_the_command_line() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/rm-flag.yaml");
    let (out, err, code) = repl_with(&["repl", "--scenario", file], "goal\nsolution\n", &[]);
    assert_eq!((err.as_str(), code), ("", 0));
    assert!(
        out.starts_with(
            "[dockdrill] scenario `rm-flag`: Containers that clean up after themselves\n"
        ),
        "{out}"
    );
    assert!(out.contains("step 1 of 8\n"), "{out}");
    let quiz = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/quizzes/images-and-containers.yaml"
    );
    let (out, _, code) = repl_with(&["repl", "--quiz", quiz], "answer a\n", &[]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("[dockdrill] quiz `images-and-containers`: "),
        "{out}"
    );
    assert!(out.contains("$ answer a\n[dockdrill] right\n"), "{out}");
    let (out, err, code) = repl_with(&["repl", "--quiz", "no/such.yaml"], "", &[]);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.starts_with("dockdrill: no/such.yaml: "), "{err}");
}

/// Progress is written to `progress.json` in the data directory and summed up when the next session starts.
#[test]
fn progress_is_saved_and_shown_on_the_next_start() {
    let dir = home("progress");
    let (out, err, _) = repl_in(
        &dir,
        &[],
        "\
play stale-image-level
machine server
docker ps -q
docker rm -f web
docker pull -q alice/app
docker run -d --name web alice/app
quiz
answer a
next
answer c
",
        WIDE,
    );
    assert_eq!(err, "");
    assert!(out.contains("goal reached in 3 commands (par 3)"), "{out}");
    let saved = std::fs::read_to_string(dir.join("progress.json")).unwrap_or_default();
    insta::assert_snapshot!("progress_file", saved);
    let (out, _, _) = repl_in(&dir, &[], "scenarios\n", WIDE);
    insta::assert_snapshot!("progress_next_start", out);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A progress file that is not JSON is reported once and kept beside, never overwritten.
#[test]
fn a_corrupt_progress_file_is_set_aside() {
    let dir = home("corrupt");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join("progress.json"), "{ \"format_version\": 1, oops");
    let (out, err, code) = repl_in(&dir, &[], "quiz\nanswer a\nquit-quiz\n", WIDE);
    assert_eq!((err.as_str(), code), ("", 0));
    let first = out.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "[dockdrill] `progress.json` is not a progress file (key must be a string at line 1 column 24): kept as `progress.json.corrupt-1`, starting afresh"
    );
    assert_eq!(out.matches("progress.json").count(), 2, "said once:\n{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("progress.json.corrupt-1")).ok(),
        Some("{ \"format_version\": 1, oops".to_string())
    );
    let fresh = std::fs::read_to_string(dir.join("progress.json")).unwrap_or_default();
    assert!(
        fresh.contains("\"right\": [\n        0\n      ]"),
        "{fresh}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `DOCKDRILL_HOME` naming a file: the lesson goes on, saving is off, and that is said exactly once.
#[test]
fn an_unwritable_data_dir_only_disables_saving() {
    let file = home("unwritable");
    let _ = std::fs::write(&file, "not a folder");
    let (out, err, code) = repl_in(
        &file,
        &[],
        "quiz\nanswer a\nnext\nanswer c\nquit-quiz\ndocker ps -q\n",
        WIDE,
    );
    assert_eq!((err.as_str(), code), ("", 0));
    assert_eq!(
        out.matches("saving disabled for this session").count(),
        1,
        "{out}"
    );
    assert!(
        out.contains("[dockdrill] progress: cannot write `"),
        "{out}"
    );
    assert!(
        out.contains("[dockdrill] quiz `images-and-containers` over: 2 of 2 answers right\n"),
        "{out}"
    );
    assert!(out.ends_with("$ docker ps -q\n"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&file).ok(),
        Some("not a folder".to_string())
    );
    let _ = std::fs::remove_file(&file);
}

/// Issue 10, worlds a learner can trust: `play` puts the learner's world aside, `reset` says what it
/// restores, `leave` brings the learner's own world back exactly as it was (undo history included).
#[test]
fn worlds_put_aside_and_brought_back() {
    snap(
        "worlds",
        "\
docker pull -q alpine
docker tag alpine mine
play first-image
docker images
reset
leave
docker images
undo
docker images
leave
reset
docker images
",
    );
}

/// Issue 10, only real steps count: typos, looks and empty lines take no undo step and fire no event; a
/// typo gets a "did you mean".
#[test]
fn only_steps_count() {
    snap(
        "what_counts",
        "\
dokcer ps
docker psh
stat
:stat
foo
docker pull -q alpine
docker images
docker ps -a
docker inspect -f '{{.Id}}' alpine
docker history -q alpine
ls
cat package.json
state
explain
undo
undo
",
    );
}

/// Issue 10, prompts answered in place: a `[y/N]` question takes the next line; a cancelled prune does
/// nothing; at a pipe `docker login` without a password is Docker's non-TTY refusal.
#[test]
fn prompts_take_the_next_line() {
    snap(
        "prompts",
        "\
docker build -q -t myimage .
sed -i 's/version 1/version 2/' server.js
docker build -q -t myimage .
docker image prune
n
docker images
docker image prune
y
docker images
docker run --name once alpine true
docker container prune
y
explain
docker login
",
    );
}

/// Issue 10, shell idioms: one note on what is not simulated and what to type instead; nothing runs.
#[test]
fn shell_idioms_are_named() {
    snap(
        "shell_idioms",
        "\
docker run -d --name web nginx
docker rm -f $(docker ps -aq)
docker images | grep my
docker build -t app . && docker run app
docker ps; docker images
docker images > list.txt
echo hello > notes.txt
cat notes.txt
docker ps -q
",
    );
}

/// Issue 10, quiz honesty: a predict question's measured command is refused until answered; a bare
/// letter is an answer; an answer after trying commands is said to be so and not recorded.
#[test]
fn quiz_honesty() {
    snap(
        "quiz_honesty",
        "\
quiz
docker images
a
next
b
next
docker ps -a
a
leave
",
    );
}

/// Issue 10, text fits: at 80 columns (the default when piped) notes, `help` and `explain` wrap at words
/// with a hanging indent; Docker's own lines are never wrapped.
#[test]
fn text_fits_the_screen() {
    let out = session("help\ndocker pull alpine\nexplain\nstate\ndocker images --no-trunc\n");
    for line in out.lines() {
        let docker = line.starts_with("REPOSITORY")
            || line.starts_with("alpine ")
            || line.starts_with("Digest:")
            || line.starts_with("docker.io/");
        if !docker {
            assert!(line.chars().count() <= 80, "too wide: {line:?}");
        }
    }
    assert!(
        out.lines().any(|l| l.chars().count() > 80),
        "`images --no-trunc` is Docker's and stays wide"
    );
    let (narrow, _, _) = repl_with(&[], "help\n", &[("COLUMNS", "60")]);
    assert!(narrow.lines().all(|l| l.chars().count() <= 60), "{narrow}");
}

/// Issue 10, the terminal never kills the session: bytes that are not text, a 10,000-character paste and
/// empty lines are reported or ignored and the session goes on.
#[test]
fn bad_input_never_ends_the_session() {
    let mut input = b"docker pull -q alpine\n\xff\xfe bad bytes\n".to_vec();
    input.extend_from_slice(format!("docker tag alpine {}\n", "x".repeat(10_000)).as_bytes());
    input.extend_from_slice(b"\n\n   \ndocker images -q\n");
    let (out, err, code) = repl_bytes(&input);
    assert_eq!((err.as_str(), code), ("", 0));
    assert!(out.contains("[dockdrill] line 2 is not text"), "{out}");
    assert!(out.ends_with("$ docker images -q\nbf32855f9c77\n"), "{out}");
}

/// Runs a piped session on raw bytes.
fn repl_bytes(input: &[u8]) -> (String, String, i32) {
    let dir = home("bytes");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dockdrill"));
    cmd.env("DOCKDRILL_HOME", &dir)
        .env_remove("COLUMNS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run dockdrill: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("dockdrill did not finish: {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Issue 11: one image for two CPUs. A `docker-container` builder pushes an index; `explain` says which
/// member each machine's pull took and where a build's result went, `state` shows the index and the builder.
#[test]
fn buildx_index_is_explained() {
    snap(
        "buildx_index",
        "\
laptop$ machine --platform linux/arm64
laptop$ docker buildx create --use --name multi
laptop$ docker buildx build -q --platform linux/amd64,linux/arm64 -t alice/app --push .
explain
laptop$ docker login -u alice -p wonderland
laptop$ docker buildx build -q --platform linux/amd64,linux/arm64 -t alice/app --push .
explain
server$ docker pull alice/app
explain
laptop$ docker build -q -t app .
explain
state
",
    );
}
