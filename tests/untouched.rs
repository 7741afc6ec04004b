//! Nothing lost (issue 6): `dockdrill check` and `dockdrill replay` only ever read the files they are given.
//! The test runs the real binary on copies of shipped content and compares every file's bytes and
//! modification time before and after, and the folder listing (no stray temporary files).
//!
//! The REPL's history and progress files (written atomically, corrupt files set aside) belong to the REPL
//! issue and are not covered here.

// Helpers outside #[test] functions panic on purpose: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

fn dockdrill() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dockdrill"));
    c.stdin(Stdio::null()).env_remove("CLICOLOR_FORCE");
    c
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.clone(),
                    (std::fs::read(&p).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

fn copy_into(dir: &Path, from: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
    let dst = dir.join(from);
    std::fs::create_dir_all(&dst).unwrap();
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn check_and_replay_never_write_to_what_they_read() {
    let dir = std::env::temp_dir().join(format!("dockdrill-untouched-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    copy_into(&dir, "scenarios");
    copy_into(&dir, "quizzes");
    copy_into(&dir, "tests/scripts");
    copy_into(&dir, "tests/fixtures/courseware");
    // A script next to a Dockerfile: replay reads that folder as the build context.
    let ctx = dir.join("app");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM alpine:3.20\nCOPY hello.txt /\nCMD [\"cat\", \"/hello.txt\"]\n",
    )
    .unwrap();
    std::fs::write(ctx.join("hello.txt"), "hello\n").unwrap();
    std::fs::write(
        ctx.join("script.txt"),
        "docker build -t hello .\ndocker run --rm hello\nrm hello.txt\n",
    )
    .unwrap();
    let before = snapshot(&dir);
    assert!(before.len() > 20, "the copies are there");

    let check = dockdrill()
        .arg("check")
        .arg(dir.join("scenarios"))
        .arg(dir.join("quizzes"))
        .arg(dir.join("tests/fixtures/courseware"))
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "the broken fixtures fail");
    let mut replays = Vec::new();
    for path in before.keys() {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "txt" || (ext == "yaml" && path.starts_with(dir.join("scenarios"))) {
            replays.push(path.clone());
        }
    }
    for path in &replays {
        for format in ["text", "json"] {
            let out = dockdrill()
                .current_dir(&dir)
                .args(["replay", "--format", format])
                .arg(path)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let state = std::env::temp_dir().join(format!(
        "dockdrill-untouched-state-{}.json",
        std::process::id()
    ));
    let out = dockdrill()
        .arg("replay")
        .arg(ctx.join("script.txt"))
        .arg("--state")
        .arg(&state)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("hello"));
    let _ = std::fs::remove_file(&state);

    let after = snapshot(&dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files appeared or vanished"
    );
    for (path, (bytes, mtime)) in &before {
        let (b2, m2) = &after[path];
        assert!(bytes == b2, "{} changed", path.display());
        assert_eq!(mtime, m2, "{} was written", path.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
