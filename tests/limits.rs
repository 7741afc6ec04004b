//! Bounded resources (issue 6): huge, hostile or endless input is refused or carried through quickly, in
//! bounded memory, without a hang, an overflow or a panic. Each test runs in well under a second in a
//! release build (a few seconds at most in debug).

// Helpers outside #[test] functions panic on purpose: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::harness::Sim;
use dockdrill::courseware::check::check_file;
use dockdrill::courseware::diagnostic::{MAX_FILE_BYTES, MAX_NODES};
use dockdrill::courseware::{CourseErrorKind, load_scenario};
use dockdrill::model::world::World;
use dockdrill::replay::{self, Format, MAX_LINE, state_json};
use std::io::{self, BufReader, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A fresh scratch folder for this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dockdrill-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A script of `total` lines generated on the fly, never held in memory: mostly comments and blank lines,
/// every `every`-th line a real command.
struct LazyScript {
    total: usize,
    every: usize,
    next: usize,
    pending: Vec<u8>,
    at: usize,
}

const COMMANDS: [&str; 4] = [
    "docker ps -q",
    "docker run --rm alpine echo hi",
    "docker images -q",
    "laptop$ docker ps -a",
];

impl Read for LazyScript {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.pending.len() {
            if self.next == self.total {
                return Ok(0);
            }
            self.pending.clear();
            self.at = 0;
            let n = self.next;
            self.next += 1;
            let line = if n.is_multiple_of(self.every) {
                COMMANDS[(n / self.every) % COMMANDS.len()]
            } else if n.is_multiple_of(2) {
                "# a comment line"
            } else {
                "   "
            };
            self.pending.extend_from_slice(line.as_bytes());
            self.pending.push(b'\n');
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Counts what is written and keeps nothing but the last few bytes.
#[derive(Default)]
struct Tally {
    bytes: usize,
    commands: usize,
}

impl Write for Tally {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len();
        self.commands += buf.windows(2).filter(|w| w == b"$ ").count();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A million-line script streams through `replay`: nothing but the current line is held, comments and blank
/// lines cost nothing, and the commands among them all run. (Peak memory of the release binary on a
/// million real commands is measured separately; see the README's Reliability section.)
#[test]
fn a_million_line_script_replays_streaming() {
    let script = LazyScript {
        total: 1_000_000,
        every: 2_000,
        next: 0,
        pending: Vec::new(),
        at: 0,
    };
    let mut world = World::new();
    let mut out = Tally::default();
    replay::replay(&mut world, BufReader::new(script), Format::Text, &mut out).unwrap();
    assert_eq!(out.commands, 500);
    // `--rm` containers leave nothing behind, however many ran.
    assert!(world.machines["default"].containers.is_empty());
}

/// A 100 MB line without a newline: reported as too long, read through without being held whole.
#[test]
fn a_100_mb_line_is_reported_not_held() {
    let huge = io::repeat(b'a').take(100 * 1024 * 1024);
    let reader = BufReader::with_capacity(1 << 20, huge).chain(&b"\ndocker ps -q\n"[..]);
    let mut world = World::new();
    let mut out = Vec::new();
    let start = Instant::now();
    replay::replay(&mut world, reader, Format::Text, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(&format!(
            "dockdrill: line 1 is too long (104857600 bytes; at most {MAX_LINE})"
        )),
        "{text}"
    );
    assert!(text.contains("$ docker ps -q"), "the next line still runs");
    assert!(start.elapsed() < Duration::from_secs(20));
}

/// Binary bytes in a script: the line is named and skipped; the script goes on.
#[test]
fn binary_script_lines_are_named_and_skipped() {
    let data = b"docker ps -q\n\x7fELF\x02\x01\x01\x00\x00\n\xff\xfe\xfd\ndocker images -q\n";
    let mut world = World::new();
    let mut out = Vec::new();
    replay::replay(&mut world, &data[..], Format::Text, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("dockdrill: line 2 is not text (binary data)"),
        "{text}"
    );
    assert!(
        text.contains("dockdrill: line 3 is not text (binary data)"),
        "{text}"
    );
    assert!(text.contains("$ docker images -q"));
}

/// The classic "billion laughs": ten anchors, each a list of nine aliases of the one before, inside a value
/// the loader must buffer whole. Refused in milliseconds with a message that says what happened.
#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    let mut parts = vec![format!("&a0 [{}]", ["lol"; 9].join(","))];
    for i in 1..10 {
        parts.push(format!(
            "&a{i} [{}]",
            vec![format!("*a{}", i - 1); 9].join(",")
        ));
    }
    let dir = scratch("bomb");
    let scenario = dir.join("bomb.yaml");
    std::fs::write(
        &scenario,
        format!(
            "title: bomb\nsummary: x\nsteps:\n  - run: docker ps\n    expect:\n      output_contains: [{}]\n",
            parts.join(", ")
        ),
    )
    .unwrap();
    let quiz = dir.join("bomb-quiz.yaml");
    std::fs::write(
        &quiz,
        format!(
            "questions:\n  - kind: concept\n    prompt: x\n    answer: [{}]\n",
            parts.join(", ")
        ),
    )
    .unwrap();
    for file in [&scenario, &quiz] {
        let start = Instant::now();
        let report = check_file(file);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "took {:?}",
            start.elapsed()
        );
        let msg = report.errors[0].to_string();
        assert!(
            msg.contains(&format!("expands to more than {MAX_NODES} values")),
            "{msg}"
        );
        assert!(msg.starts_with(&format!("{}:", file.display())), "{msg}");
    }
}

/// A 100 MB course file is refused by its size, before a byte is read (the file is sparse).
#[test]
fn a_100_mb_course_file_is_refused_by_size() {
    let dir = scratch("huge");
    let file = dir.join("huge.yaml");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let start = Instant::now();
    let err = load_scenario(&file).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(
        *err.kind,
        CourseErrorKind::TooLarge {
            bytes: 100 * 1024 * 1024
        }
    );
    assert!(err.to_string().contains(&format!(
        "course files may be at most {MAX_FILE_BYTES} bytes"
    )));
}

/// A binary file (an ELF header, say) or Latin-1 text is refused as not UTF-8 text.
#[test]
fn a_binary_course_file_is_refused() {
    let dir = scratch("binary");
    for (name, bytes) in [
        ("elf.yaml", &b"\x7fELF\x02\x01\x01\x00title: x\n"[..]),
        ("latin1.yaml", &b"title: caf\xe9\nsummary: x\n"[..]),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let err = load_scenario(&file).unwrap_err();
        assert_eq!(*err.kind, CourseErrorKind::Binary, "{name}");
        assert!(err.to_string().contains("is it a binary file?"));
    }
}

/// YAML nested 100,000 deep (flow style) or 200 deep (block style), where the loader must take the whole
/// value, is refused without overflowing the stack. (Where a plain string is expected, the first bracket is
/// already a type error, which is refused even sooner.)
#[test]
fn deeply_nested_yaml_is_refused() {
    let dir = scratch("deep");
    let head =
        "title: deep\nsummary: x\nsteps:\n  - run: docker ps\n    expect:\n      output_contains:";
    let flow = dir.join("flow.yaml");
    std::fs::write(
        &flow,
        format!("{head} {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let block = dir.join("block.yaml");
    let mut text = format!("{head}\n");
    for i in 0..200 {
        text.push_str(&" ".repeat(8 + 2 * i));
        text.push_str("-\n");
    }
    text.push_str(&" ".repeat(8 + 2 * 200));
    text.push_str("x\n");
    std::fs::write(&block, text).unwrap();
    for file in [&flow, &block] {
        let start = Instant::now();
        let err = load_scenario(file).unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(*err.kind, CourseErrorKind::TooDeep, "{err}");
        assert!(err.to_string().contains("nests deeper than 32 levels"));
    }
    let typed = dir.join("typed.yaml");
    std::fs::write(&typed, format!("title: {}\n", "[".repeat(100_000))).unwrap();
    let err = load_scenario(&typed).unwrap_err();
    assert!(err.to_string().contains("typed.yaml:1:8: `title`"), "{err}");
}

/// A foreground run of a process that never ends returns at once with the simulator's note, and the
/// container is left running as if a second terminal had been opened.
#[test]
fn a_foreground_run_that_never_ends_does_not_hang() {
    let mut sim = Sim::new();
    for line in [
        "docker run --name fg nginx",
        "docker run --name forever alpine sleep infinity",
        "docker run -i --name shell alpine sh",
    ] {
        let words: Vec<&str> = line.split_whitespace().collect();
        let name = words[words.iter().position(|w| *w == "--name").unwrap() + 1];
        let r = sim.run(line);
        assert_eq!(r.exit_code, 0, "{line}: {}", r.stderr);
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("keeps running in the foreground")),
            "{line}: {:?}",
            r.notes
        );
        let inspect = sim.ok(&format!("docker inspect {name}"));
        assert!(
            inspect.contains("\"Status\": \"running\""),
            "{line}: {inspect}"
        );
    }
    // Following logs or attaching to a container that never ends returns too.
    sim.ok("docker logs -f fg");
    sim.run("docker start -a forever");
}

/// Huge sleeps, timeouts and clock jumps saturate instead of overflowing: no panic (overflow checks are
/// on in tests), statuses still render, and the final state is still valid JSON.
#[test]
fn huge_sleeps_timeouts_and_clock_jumps_cannot_overflow() {
    let mut sim = Sim::new();
    for line in [
        "sleep 999999999",
        "docker run -d --name huge alpine sleep 99999999999999999999",
        "docker run -d --name max alpine sleep 18446744073709551615",
        "docker run -d --name i64 alpine sleep 9223372036854775807",
        "docker run -d --name sci alpine sleep 1e30",
        "docker run -d --name inf alpine sleep infinity",
        "docker stop -t 9223372036854775807 huge",
        "docker stop -t -1 i64",
        "docker restart -t 9223372036854775807 inf",
        "docker stop -t 9223372036854775807 inf max",
        "docker stop -t 99999999999999999999999 sci",
        "docker ps -a",
        "docker inspect huge",
    ] {
        sim.run(line);
    }
    for _ in 0..1_000 {
        sim.ok("sleep 999999999");
    }
    sim.run("docker run -d --name late alpine sleep 5");
    sim.ok("sleep 10");
    let ps = sim.ok("docker ps -a");
    assert!(ps.contains("late"), "{ps}");
    let inspect = sim.ok("docker inspect late");
    assert!(inspect.contains("\"Status\": \"exited\""), "{inspect}");
    serde_json::to_string(&state_json(&sim.world)).unwrap();
    let r = sim.run("docker stop -t 99999999999999999999999 late");
    assert!(r.stderr.contains("value out of range"), "{}", r.stderr);
}

/// `replay` reading from a source that fails midway reports the failure instead of looping or panicking.
#[test]
fn an_unreadable_script_is_an_error_not_a_hang() {
    struct Broken(u8);
    impl Read for Broken {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::other("disk on fire"));
            }
            self.0 -= 1;
            let line = b"docker ps -q\n";
            buf[..line.len()].copy_from_slice(line);
            Ok(line.len())
        }
    }
    let mut world = World::new();
    let mut out = Vec::new();
    let err = replay::replay(
        &mut world,
        BufReader::new(Broken(3)),
        Format::Text,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "line 4: disk on fire");
    assert_eq!(
        String::from_utf8(out)
            .unwrap()
            .matches("$ docker ps -q")
            .count(),
        3
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile courseware and files (issue 12): no secret read, no file clobbered, no abort, bounded memory.
// ---------------------------------------------------------------------------------------------

mod hostile {
    use super::scratch;
    use crate::harness::Sim;
    use dockdrill::courseware::check::{check_file, collect};
    use dockdrill::courseware::load_scenario;
    use dockdrill::limits::{MAX_FILE_BYTES, MAX_INSTRUCTIONS, MAX_MACHINES};
    use dockdrill::model::world::World;
    use dockdrill::repl::paths::DataDir;
    use dockdrill::repl::progress::{ProgressFile, Record, Store};
    use dockdrill::replay::load_context;
    use dockdrill::vfs;
    use std::path::Path;
    use std::process::Command;
    use std::time::{Duration, Instant};

    fn dockdrill() -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dockdrill"));
        c.env_remove("CLICOLOR_FORCE")
            .stdin(std::process::Stdio::null());
        c
    }

    /// Runs `f` on a thread and fails (instead of hanging the suite) when it takes longer than `limit`.
    fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(limit)
            .unwrap_or_else(|_| panic!("still running after {limit:?}: a hang"))
    }

    fn mkfifo(path: &Path) -> bool {
        Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Finding 1: `ln -s /proc/self/environ env` and a link to a key outside the folder.
    #[cfg(unix)]
    #[test]
    fn links_in_the_build_folder_stay_links_and_nothing_outside_is_read() {
        let dir = scratch("links");
        let outside = scratch("links-outside");
        std::fs::write(outside.join("id_rsa"), "SECRET-KEY-MATERIAL").unwrap();
        std::fs::write(
            dir.join("Dockerfile"),
            "FROM alpine\nWORKDIR /app\nCOPY . .\n",
        )
        .unwrap();
        std::fs::write(dir.join("server.js"), "console.log(1)\n").unwrap();
        std::os::unix::fs::symlink("/proc/self/environ", dir.join("env")).unwrap();
        std::os::unix::fs::symlink(outside.join("id_rsa"), dir.join("key")).unwrap();
        std::os::unix::fs::symlink("server.js", dir.join("inner")).unwrap();
        let mut world = World::new();
        let skipped = load_context(&mut world, &dir).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        let files = &world.machines["default"].files;
        assert_eq!(vfs::link_target(&files["env"]), Some("/proc/self/environ"));
        assert!(files.values().all(|b| !contains(b, b"SECRET")));
        let mut sim = Sim { world };
        let env = sim.run("cat env");
        assert_eq!(
            (env.exit_code, env.stderr.as_str(), env.stdout.as_str()),
            (1, "cat: env: No such file or directory\n", "")
        );
        assert_eq!(
            env.notes,
            vec![
                "`env` is a symbolic link to `/proc/self/environ`, outside the working folder: dockdrill keeps links as links (as Docker sends them) and never reads what they point to"
                    .to_string()
            ]
        );
        assert_eq!(
            sim.ok("cat inner"),
            "console.log(1)\n",
            "a link inside the folder is followed"
        );
        sim.ok("docker build -t app .");
        let image = sim.image("default", "app");
        assert_eq!(
            image
                .files
                .get("/app/key")
                .and_then(|b| vfs::link_target(b).map(str::to_string)),
            Some(outside.join("id_rsa").to_string_lossy().into_owned()),
            "COPY copies the link as a link"
        );
        assert!(image.files.values().all(|b| !contains(b, b"SECRET")));
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    /// Findings 4 and 7: a FIFO, a link to `/dev/zero`, a link to a folder and an unreadable file in the
    /// build folder never stop (or hang) a replay: each is a line, the rest loads.
    #[cfg(unix)]
    #[test]
    fn special_and_unreadable_entries_are_reported_and_skipped() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("special");
        std::fs::write(dir.join("Dockerfile"), "FROM alpine\nCOPY . .\n").unwrap();
        std::fs::write(dir.join("script.txt"), "cat Dockerfile\n").unwrap();
        let fifo = mkfifo(&dir.join("pipe"));
        std::os::unix::fs::symlink("/dev/zero", dir.join("zero")).unwrap();
        std::os::unix::fs::symlink(".", dir.join("loop")).unwrap();
        std::fs::write(dir.join("locked"), "x").unwrap();
        std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o000))
            .unwrap();
        let script = dir.join("script.txt");
        let out = within(Duration::from_secs(20), move || {
            dockdrill().arg("replay").arg(&script).output().unwrap()
        });
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(
            String::from_utf8_lossy(&out.stdout).starts_with("$ cat Dockerfile\nFROM alpine\n")
        );
        if fifo {
            assert!(
                stderr.contains(
                    "dockdrill: build context: skipped `pipe`: it is a named pipe (only regular files, folders and links are copied)"
                ),
                "{stderr}"
            );
        }
        // Root reads a mode-000 file anyway; anyone else gets a line for it.
        if std::fs::read(dir.join("locked")).is_err() {
            assert!(
                stderr.contains("skipped `locked`: Permission denied"),
                "{stderr}"
            );
        }
        let mut world = World::new();
        load_context(&mut world, &dir).unwrap();
        let files = &world.machines["default"].files;
        assert_eq!(vfs::link_target(&files["zero"]), Some("/dev/zero"));
        assert_eq!(vfs::link_target(&files["loop"]), Some("."));
    }

    /// Finding 2: `replay s.txt --state s.txt` replaced the script with JSON.
    #[test]
    fn a_state_path_that_is_the_script_or_inside_the_context_is_refused() {
        let dir = scratch("state");
        let script = dir.join("s.txt");
        std::fs::write(&script, "docker images -q\n").unwrap();
        let out = dockdrill()
            .arg("replay")
            .arg(&script)
            .arg("--state")
            .arg(&script)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(out.stdout, b"", "nothing ran");
        assert!(String::from_utf8_lossy(&out.stderr).contains("it is the script being replayed"));
        assert_eq!(
            std::fs::read_to_string(&script).unwrap(),
            "docker images -q\n"
        );
        // Spelled another way, it is still the script.
        let other = dir.join(".").join("s.txt");
        let out = dockdrill()
            .args(["replay", "--state"])
            .arg(&other)
            .arg(&script)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        // Next to a Dockerfile, the state file would be copied by the next build.
        std::fs::write(dir.join("Dockerfile"), "FROM alpine\nCOPY . .\n").unwrap();
        let out = dockdrill()
            .arg("replay")
            .arg(&script)
            .arg("--state")
            .arg(dir.join("state.json"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("inside the build context"));
        assert!(!dir.join("state.json").exists());
        // Elsewhere it is written whole, with no temporary file left.
        let away = scratch("state-away");
        let out = dockdrill()
            .arg("replay")
            .arg(&script)
            .arg("--state")
            .arg(away.join("state.json"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let names: Vec<String> = std::fs::read_dir(&away)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["state.json".to_string()]);
    }

    /// Finding 2: a state file (or anything else) named in `.dockerignore` never reaches the build.
    #[test]
    fn dockerignore_keeps_files_out_of_the_build() {
        let mut sim = Sim::new();
        sim.ok("echo state.json > .dockerignore");
        sim.ok("echo !keep.json >> .dockerignore");
        sim.ok("echo one > state.json");
        sim.ok("echo kept > keep.json");
        sim.ok("docker build -t app .");
        let first = sim.image("default", "app");
        assert!(!first.files.contains_key("/app/state.json"));
        assert!(first.files.contains_key("/app/keep.json"));
        sim.ok("echo two > state.json");
        sim.ok("docker build -t app .");
        assert_eq!(
            sim.image("default", "app").id,
            first.id,
            "an ignored file changes nothing"
        );
    }

    /// Finding 3: nine `ENV A1=${A0}${A0}…` lines (815 bytes) allocated 4 GB and aborted.
    #[test]
    fn the_env_expansion_bomb_fails_fast() {
        let mut df = String::from(
            "FROM alpine\nENV A0=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
        );
        for i in 1..9 {
            let refs = format!("${{A{}}}", i - 1).repeat(10);
            df.push_str(&format!("ENV A{i}={refs}\n"));
        }
        assert!(df.len() < 900);
        let mut sim = Sim::new();
        sim.world.machine("default").files.insert(
            "Dockerfile".into(),
            dockdrill::model::image::FileBytes::from(df.as_bytes()),
        );
        let start = Instant::now();
        let r = sim.run("docker build -t bomb .");
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(r.exit_code, 1);
        assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
        assert_eq!(r.notes.len(), 1);
        assert!(
            r.notes[0].starts_with(
                "`${A3}${A3}${A3}${A3}${A3}${A3}${A3}${A3}…` expands to more than 131072 bytes"
            ),
            "{:?}",
            r.notes
        );
    }

    /// Finding 3: `sed -i s/a/aa/g f` repeated doubled a file each line (40 lines: >2.6 GB).
    #[test]
    fn a_doubling_sed_runs_out_of_space_like_a_full_disk() {
        let mut sim = Sim::new();
        sim.ok("echo aaaaaaaa > f");
        let mut last = None;
        for _ in 0..40 {
            let r = sim.run("sed -i s/a/aa/g f");
            if r.exit_code != 0 {
                last = Some(r);
                break;
            }
        }
        let r = last.expect("the cap is reached before 40 doublings");
        assert_eq!(
            (r.exit_code, r.stderr.as_str()),
            (4, "sed: couldn't flush f: No space left on device\n")
        );
        let size = sim.world.machines["default"].files["f"].len();
        assert!(
            size <= MAX_FILE_BYTES && size > MAX_FILE_BYTES / 4,
            "{size}"
        );
        let r = sim.run("cp f g");
        assert_eq!(r.exit_code, 0, "{}", r.stderr);
        for i in 0..20 {
            let name = format!("copy{i}");
            let r = sim.run(&format!("cp f {name}"));
            if r.exit_code != 0 {
                assert_eq!(
                    r.stderr,
                    format!("cp: error writing '{name}': No space left on device\n")
                );
                return;
            }
        }
        panic!("the machine's folder is capped as a whole");
    }

    /// Finding 3: a 2,000-instruction Dockerfile took ~930 MB; the cap refuses it at once, and a long
    /// build keeps every step's state with a shared history.
    #[test]
    fn instructions_are_capped_and_a_long_build_is_lean() {
        let mut sim = Sim::new();
        let long: String = std::iter::once("FROM alpine\n".to_string())
            .chain((0..2_000).map(|i| format!("ENV V{i}={i}\n")))
            .collect();
        sim.world.machine("default").files.insert(
            "Dockerfile".into(),
            dockdrill::model::image::FileBytes::from(long.as_bytes()),
        );
        let r = sim.run("docker build -t long .");
        assert_eq!(r.exit_code, 1);
        assert_eq!(
            r.notes,
            vec![format!(
                "this Dockerfile has 2001 instructions; dockdrill builds at most {MAX_INSTRUCTIONS}"
            )]
        );
        // Every step hashes its whole config (history included), as Docker does for an image ID, so a
        // build costs O(steps²) time: 200 steps keep this test fast in a debug build on a busy machine.
        let long_build: String = std::iter::once("FROM alpine\n".to_string())
            .chain((1..200).map(|i| format!("LABEL l{i}={i}\n")))
            .collect();
        sim.world.machine("default").files.insert(
            "Dockerfile".into(),
            dockdrill::model::image::FileBytes::from(long_build.as_bytes()),
        );
        let start = Instant::now();
        sim.ok("docker build -t long .");
        assert!(start.elapsed() < Duration::from_secs(60));
        let image = sim.image("default", "long");
        assert!(image.history.len() >= 199);
        // The last step's image shares its parent's history: the cached parent state holds one entry less.
        let cached = &sim.world.machines["default"].build_cache;
        assert!(
            cached
                .values()
                .any(|c| c.state.history.len() == image.history.len() - 1)
        );
    }

    /// Finding 3: the legacy builder stops where the daemon's layer store does (125 layers).
    #[test]
    fn the_legacy_builder_stops_at_the_layer_stores_max_depth() {
        let mut sim = Sim::new();
        let df: String = std::iter::once("FROM alpine\n".to_string())
            .chain((0..130).map(|i| format!("RUN echo {i}\n")))
            .collect();
        sim.world.machine("default").files.insert(
            "Dockerfile".into(),
            dockdrill::model::image::FileBytes::from(df.as_bytes()),
        );
        let mut probe = Sim::new();
        probe.ok("docker pull alpine");
        let layers = probe.image("default", "alpine").layers.len();
        let r = sim.run("DOCKER_BUILDKIT=0 docker build -t deep .");
        assert_eq!(r.exit_code, 1);
        assert!(r.stderr.ends_with("max depth exceeded\n"), "{}", r.stderr);
        let failed_step = 125 - layers + 2;
        assert!(
            r.stdout.contains(&format!(
                "Step {failed_step}/131 : RUN echo {}",
                failed_step - 2
            )),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains(&format!("Step {}/131", failed_step + 1)));
    }

    /// Finding 3: 10^6 machines via `HOST$` took 1.5 GB.
    #[test]
    fn machines_are_capped() {
        let mut sim = Sim::new();
        for i in 1..MAX_MACHINES {
            let r = sim.run(&format!("m{i}$ ls"));
            assert_eq!(r.exit_code, 0);
        }
        assert_eq!(sim.world.machines.len(), MAX_MACHINES);
        let r = sim.run("one-more$ docker ps");
        assert_eq!(r.exit_code, 1);
        assert_eq!(
            r.notes,
            vec![format!(
                "`one-more` would be machine number {}; dockdrill simulates at most {MAX_MACHINES}",
                MAX_MACHINES + 1
            )]
        );
        assert_eq!(
            sim.run("m7$ docker ps -q").exit_code,
            0,
            "existing machines still work"
        );
    }

    /// Finding 3: one quiz question with 12,000 setup lines ran for more than 100 s.
    #[test]
    fn a_question_with_12000_setup_lines_is_refused_before_running_them() {
        let dir = scratch("setup-bomb");
        let mut yaml = String::from(
            "format_version: 1\ntitle: Bomb\nquestions:\n  - kind: fails\n    prompt: Which fails?\n    setup:\n",
        );
        for i in 0..12_000 {
            yaml.push_str(&format!(
                "      - docker run -d --name c{i} alpine sleep 1000\n"
            ));
        }
        yaml.push_str("    options:\n      - run: docker ps\n      - run: docker rm nope\n");
        let file = dir.join("bomb.yaml");
        std::fs::write(&file, yaml).unwrap();
        let start = Instant::now();
        let report = check_file(&file);
        assert!(start.elapsed() < Duration::from_secs(10));
        let text: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|e| e.contains("12000 setup lines")),
            "{text:?}"
        );
    }

    /// Finding 4: a FIFO named `*.yaml` hung `check`; `play /dev/zero` read forever.
    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_never_read_as_course_files_or_scripts() {
        let dir = scratch("fifo");
        let fifo = dir.join("lesson.yaml");
        if !mkfifo(&fifo) {
            return;
        }
        let f = fifo.clone();
        let report = within(Duration::from_secs(10), move || check_file(&f));
        assert_eq!(
            report
                .errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            vec![format!(
                "{}: cannot read the file: a named pipe is not a regular file; dockdrill reads only regular files",
                fifo.display()
            )]
        );
        let zero = within(Duration::from_secs(10), || {
            load_scenario(Path::new("/dev/zero")).map(|s| s.id)
        });
        assert!(zero.is_err_and(|e| e.to_string().contains("a device is not a regular file")));
        let f = fifo.clone();
        let out = within(Duration::from_secs(10), move || {
            dockdrill().arg("replay").arg(&f).output().unwrap()
        });
        assert_eq!(
            out.status.code(),
            Some(2),
            "a FIFO is not replayed as a scenario"
        );
        let script = dir.join("script");
        mkfifo(&script);
        let out = within(Duration::from_secs(10), move || {
            dockdrill().arg("replay").arg(&script).output().unwrap()
        });
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("a named pipe is not a regular file")
        );
    }

    /// Finding 4: `check` on a folder with links to `.` walked 4^8 paths.
    #[cfg(unix)]
    #[test]
    fn check_never_follows_links_inside_folders() {
        let dir = scratch("check-links");
        std::fs::write(dir.join("real.yaml"), "format_version: 1\ntitle: t\n").unwrap();
        for name in ["a", "b", "c", "d"] {
            std::os::unix::fs::symlink(".", dir.join(name)).unwrap();
        }
        std::os::unix::fs::symlink("/etc/hostname", dir.join("secret.yaml")).unwrap();
        let d = dir.clone();
        let (files, errors) = within(Duration::from_secs(10), move || collect(&[d]));
        assert_eq!(files, vec![dir.join("real.yaml")]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().contains("it is a symbolic link"));
    }

    /// Finding 5: two REPLs on one data folder: the later save dropped the other's answers.
    #[test]
    fn two_sessions_sharing_a_folder_keep_each_others_progress() {
        let dir = scratch("two-sessions");
        let (mut a, mut pa, _) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        let (mut b, mut pb, _) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        pa.record(&Record::Scenario {
            id: "first-image".into(),
            commands: 5,
        });
        assert_eq!(a.save(&pa), None);
        pb.record(&Record::Answer {
            quiz: "sharing-images".into(),
            question: 1,
            right: true,
        });
        pb.record(&Record::Scenario {
            id: "first-image".into(),
            commands: 7,
        });
        assert_eq!(b.save(&pb), None);
        let (_, merged, message) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        assert_eq!(message, None);
        assert_eq!(merged.best("first-image"), Some(5), "the better count wins");
        assert_eq!(merged.right("sharing-images", 5), 1);
    }

    /// Finding 5: one Latin-1 byte made the history read as empty (and the next command rewrote it).
    #[test]
    fn a_latin1_byte_in_the_history_keeps_the_other_lines() {
        let dir = scratch("latin1");
        std::fs::write(
            dir.join("history"),
            b"docker ps\necho caf\xe9 > f\ndocker images\n",
        )
        .unwrap();
        let text = DataDir::at(Some(dir)).read("history").unwrap();
        assert_eq!(text.lines().count(), 3);
        assert_eq!(text.lines().last(), Some("docker images"));
    }

    /// Finding 5: a 100 MB progress file was read whole.
    #[test]
    fn a_100_mb_progress_file_is_set_aside_unread() {
        let dir = scratch("huge-progress");
        let f = std::fs::File::create(dir.join("progress.json")).unwrap();
        f.set_len(100 * 1024 * 1024).unwrap();
        let start = Instant::now();
        let (_, p, message) = ProgressFile::open(DataDir::at(Some(dir.clone())));
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(p.is_empty());
        assert_eq!(
            message.as_deref(),
            Some(
                "`progress.json` cannot be read (it is larger than 1048576 bytes): kept as `progress.json.corrupt-1`, starting afresh"
            )
        );
        assert!(dir.join("progress.json.corrupt-1").exists());
    }

    /// Finding 6: `ESC ]0;…`, `ESC ]52;…` and `ESC [2J` in a lesson passed `check` and reached the terminal.
    #[test]
    fn terminal_escapes_in_courseware_are_stripped_and_reported() {
        let dir = scratch("escapes");
        let file = dir.join("lesson.yaml");
        std::fs::write(
            &file,
            "format_version: 1\ntitle: \"Hi\\e]0;owned\\a\"\nsummary: \"\\x1b]52;c;aGk=\\x07 clipboard\"\nsteps:\n  - text: \"clear \\u001b[2J now\"\n    run: docker images\n",
        )
        .unwrap();
        let scenario = load_scenario(&file).unwrap();
        assert_eq!(scenario.title, "Hi]0;owned");
        assert_eq!(scenario.summary, "]52;c;aGk= clipboard");
        assert!(
            scenario
                .steps
                .iter()
                .all(|s| !s.text.as_deref().unwrap_or("").contains('\u{1b}'))
        );
        let report = check_file(&file);
        let positions: Vec<String> = report
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        assert_eq!(positions, vec!["2:11", "2:21", "3:11", "3:25", "5:18"]);
        assert!(
            report.errors[0]
                .to_string()
                .contains("control character U+001B (ESC)")
        );
    }

    /// Finding 7: `echo x > ../f` made an entry named `..`.
    #[test]
    fn virtual_paths_are_normalised_and_may_not_leave_the_folder() {
        let mut sim = Sim::new();
        let r = sim.run("echo x > ../f");
        assert_eq!(
            (r.exit_code, r.stderr.as_str()),
            (2, "sh: can't create ../f: Permission denied\n")
        );
        sim.ok("echo y > sub/../g");
        sim.ok("echo z > ./sub//h");
        let keys: Vec<&std::sync::Arc<str>> = sim.world.machines["default"].files.keys().collect();
        assert!(
            keys.iter()
                .all(|k| !k.split('/').any(|p| p == ".." || p == "." || p.is_empty())),
            "{keys:?}"
        );
        assert_eq!(sim.ok("cat /home/learner/g"), "y\n");
        assert_eq!(sim.ok("cat sub/h"), "z\n");
        let r = sim.run("cat ../../etc/passwd");
        assert_eq!(
            (r.exit_code, r.stderr.as_str()),
            (1, "cat: ../../etc/passwd: No such file or directory\n")
        );
        let r = sim.run("cp g ../x");
        assert_eq!(
            r.stderr,
            "cp: cannot create regular file '../x': Permission denied\n"
        );
    }
}
