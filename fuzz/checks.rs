//! What each fuzz target checks, shared with `tests/fuzz_regressions.rs` (which includes this file with
//! `#[path]`) so a saved crash input is replayed through exactly the code that found it.
//!
//! Every check takes raw bytes. Beyond "no panic", each asserts a property the target's code promises.

#![allow(dead_code)]

use dockdrill::command::{self, shell_words};
use dockdrill::courseware::check;
use dockdrill::model::world::World;
use dockdrill::reference::ImageRef;
use dockdrill::replay::{self, Format};
use dockdrill::runner::run_line;
use dockdrill::script::{self, Line};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A docker command line: shell splitting, then the docker argv parser. Usage errors must say something
/// and fail.
pub fn command_line(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut words) = shell_words::split(text) else {
        return;
    };
    if words.first().map(String::as_str) != Some("docker") {
        words.insert(0, "docker".to_string());
    }
    let (env, words) = script::env_prefix(&words);
    if let Err(e) = command::parse(words, &env) {
        assert!(
            !dockdrill::render::usage::text(&e).is_empty(),
            "empty usage error for {words:?}"
        );
        assert_ne!(e.exit_code(), 0, "usage error with exit 0 for {words:?}");
    }
}

/// An image reference: parsing never panics, and a parsed reference is a fixed point of its canonical and
/// familiar spellings (what the CLI prints can be typed back and means the same image).
pub fn image_ref(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(r) = ImageRef::parse(text) else {
        return;
    };
    let full = r.full();
    assert_eq!(
        ImageRef::parse(&full).as_ref(),
        Ok(&r),
        "canonical form {full:?} of {text:?} does not parse back"
    );
    let familiar = r.familiar();
    // Docker's FamiliarString drops `docker.io/` even when the path's first component looks like a host
    // (`docker.io/a.b/c` prints as `a.b/c`, which names registry `a.b`): the one case where the familiar
    // form does not read back, in Docker as here.
    // Likewise `docker.io/<64 hex>` prints as 64 hex digits, which Docker refuses as a name (it would
    // shadow an image ID).
    let first = r.path.split('/').next().unwrap_or("");
    let host_like = first.contains(['.', ':']) || first == "localhost";
    let is_id = dockdrill::reference::is_full_id(familiar.split([':', '@']).next().unwrap_or(""));
    if !(r.is_docker_hub() && (host_like || is_id)) {
        assert_eq!(
            ImageRef::parse(&familiar).as_ref(),
            Ok(&r),
            "familiar form {familiar:?} of {text:?} does not parse back"
        );
    }
    let tagged = r.clone().with_default_tag();
    assert!(ImageRef::parse(&tagged.full()).is_ok());
}

/// A Dockerfile: the parser never panics; one that parses is built on a fresh machine, which must not
/// panic either and must report success or failure with output.
pub fn dockerfile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if dockdrill::dockerfile::parse(text).is_err() {
        return;
    }
    let mut world = World::new();
    world
        .machine("default")
        .files
        .insert("Dockerfile".into(), Arc::from(text.as_bytes()));
    let line = Line {
        host: "default".into(),
        command: "docker build -t fuzz .".into(),
    };
    let r = run_line(&mut world, &line, None, false);
    if r.exit_code != 0 {
        assert!(
            !r.stderr.is_empty() || !r.stdout.is_empty(),
            "a failed build said nothing"
        );
    }
}

static COURSE_FILES: AtomicUsize = AtomicUsize::new(0);

/// A scenario or quiz file: `dockdrill check` on it never panics, and a failing file names a reason.
/// The loaders read paths, so the bytes go through a temporary file.
pub fn course_yaml(data: &[u8]) {
    let n = COURSE_FILES.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "dockdrill-fuzz-{}-{}.yaml",
        std::process::id(),
        n % 64
    ));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let report = check::check_file(&path);
    let _ = std::fs::remove_file(&path);
    for e in &report.errors {
        assert!(!e.message().is_empty(), "an error without a message");
    }
}

/// A whole script: replay never fails on any bytes, and its JSON transcript and final state are valid JSON.
pub fn replay(data: &[u8]) {
    let mut world = World::new();
    let mut out = Vec::new();
    replay::replay(&mut world, data, Format::Json, &mut out).expect("replay of in-memory bytes");
    let parsed: serde_json::Value =
        serde_json::from_slice(&out).expect("replay --format json prints valid JSON");
    assert!(parsed.is_array());
    let _ = serde_json::to_string(&replay::state_json(&world)).expect("state JSON");
}
