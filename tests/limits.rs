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
    assert!(world.machines["default"].containers.by_id.is_empty());
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
