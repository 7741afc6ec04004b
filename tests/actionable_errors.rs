//! Errors a person can act on (issue 6): typical bad input gives an error that names what was wrong and
//! where — the script line, the command and argument, or `file:line:column` and the field path in YAML —
//! and, where Docker itself would complain, says it in Docker's words.

// Helpers outside #[test] functions panic on purpose: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::harness::Sim;
use dockdrill::courseware::check::check_file;
use dockdrill::model::world::World;
use dockdrill::replay::{self, Format};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dockdrill-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Docker's own words for mistyped commands, naming the command, flag or argument.
#[test]
fn docker_command_errors_name_the_culprit() {
    let mut sim = Sim::new();
    for (line, want) in [
        (
            "docker frobnicate",
            "docker: unknown command: docker frobnicate",
        ),
        ("docker run --bogus app", "unknown flag: --bogus"),
        (
            "docker run --bogus app",
            "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        ),
        (
            "docker pull Alice/App",
            "invalid reference format: repository name (App) must be lowercase",
        ),
        ("docker pull alpine:no:pe", "invalid reference format"),
        (
            "docker rmi nosuchimage",
            "Error response from daemon: No such image: nosuchimage:latest",
        ),
        (
            "docker stop nosuch",
            "Error response from daemon: No such container: nosuch",
        ),
        (
            "docker stop -t x nosuch",
            "invalid argument \"x\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"x\": invalid syntax",
        ),
        ("docker tag", "docker: 'docker tag' requires 2 arguments"),
        (
            "docker run 'alpine",
            "dockdrill: cannot parse this line: unexpected EOF while looking for matching `''",
        ),
    ] {
        let r = sim.run(line);
        assert_ne!(r.exit_code, 0, "{line}");
        assert!(r.stderr.contains(want), "{line}:\n{}", r.stderr);
    }
}

/// A script line that cannot be read is reported by its number; so is a read that fails partway.
#[test]
fn replay_names_the_line_it_could_not_read() {
    let data = b"docker ps -q\n\n# comment\nbad\x00line\ndocker images -q\n";
    let mut world = World::new();
    let mut out = Vec::new();
    replay::replay(&mut world, &data[..], Format::Json, &mut out).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let steps = json.as_array().unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[1]["command"], "<line 4>");
    assert_eq!(
        steps[1]["stderr"],
        "dockdrill: line 4 is not text (binary data)\n"
    );
    assert_eq!(steps[1]["exit_code"], 2);

    // The binary: a folder given as the script fails with exit 2 and says what it is (issue 12: a script
    // is opened as a regular file first, so nothing is read and no line is named).
    let dir = scratch();
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .arg("replay")
        .arg(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        format!("dockdrill: cannot read {}: Is a directory\n", dir.display())
    );
    let missing = dir.join("no-such-script.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .arg("replay")
        .arg(&missing)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(&format!("cannot read {}: No such file", missing.display()))
    );
}

/// YAML mistakes name `file:line:column`, the field path and what was expected.
#[test]
fn yaml_errors_name_file_line_column_and_field() {
    let dir = scratch();
    for (name, text, want) in [
        (
            "type.yaml",
            "title: x\nsummary: y\nsteps:\n  - run: docker ps\n    expect:\n      exit_code: abc\n",
            "type.yaml:6:18: `steps[0].expect.exit_code`: expected a whole number, found `abc`",
        ),
        (
            "typo.yaml",
            "title: x\nsumary: y\n",
            "typo.yaml:2:1: `sumary`: unknown field `sumary`, did you mean `summary`?",
        ),
        (
            "quote.yaml",
            "title: \"x\nsummary: y\n",
            "quote.yaml:1:8: `title`: invalid YAML: unclosed quote",
        ),
        (
            "tabs.yaml",
            "title: x\nsummary: y\nsteps:\n\t- run: docker ps\n",
            "tabs.yaml:4:2: `steps`: invalid YAML: tabs disallowed",
        ),
        (
            "duplicate.yaml",
            "title: x\ntitle: y\nsummary: z\n",
            "duplicate.yaml:2:1: `title`: duplicate key `title`",
        ),
        (
            "kind.yaml",
            "questions:\n  - kind: wich-fails\n    prompt: x\n",
            "kind.yaml:2:11: `questions[0].kind`: unknown value `wich-fails`",
        ),
        // A missing field names the mapping that lacks it, not its last key.
        (
            "missing.yaml",
            "questions:\n  - kind: concept\n    answer: a\n    options:\n      - text: x\n",
            "missing.yaml:4:5: `questions[0]`: missing field `prompt`",
        ),
        (
            "missing-top.yaml",
            "summary: y\nsteps: []\n",
            "missing-top.yaml:2:1: missing field `title`",
        ),
        (
            "quoting.yaml",
            "title: x\nsummary: y\nsteps:\n  - run: docker run 'alpine\n",
            "quoting.yaml:4:10: `steps[0].run`: ",
        ),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let report = check_file(&file);
        let first = report
            .errors
            .first()
            .unwrap_or_else(|| panic!("{name} passed"))
            .to_string();
        let want = format!("{}/{want}", dir.display());
        assert!(
            first.starts_with(&want),
            "{name}:\n got: {first}\nwant: {want}"
        );
    }
}
