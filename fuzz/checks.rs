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
    let first = r.path().split('/').next().unwrap_or("");
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
    world.machine("default").files.insert(
        "Dockerfile".into(),
        dockdrill::model::image::FileBytes::from(text.as_bytes()),
    );
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

/// A Dockerfile built around ENV and ARG expansion: each input line becomes the value of an `ARG` or `ENV`
/// (alternately), and later instructions use every variable, so `${…}` forms, nesting and growth are all
/// exercised. The build must end (success, Docker's error, or dockdrill's cap as a note) and never hold an
/// expanded value past the cap.
pub fn dockerfile_expansion(data: &[u8]) {
    use dockdrill::limits::{MAX_CONFIG_BYTES, MAX_EXPANDED_BYTES};
    let text = String::from_utf8_lossy(data);
    let mut df = String::from("ARG BASE=alpine\nFROM ${BASE}\n");
    let mut names = Vec::new();
    for (i, line) in text.lines().take(64).enumerate() {
        let value = line.replace('\r', "");
        let kind = if i % 2 == 0 { "ENV" } else { "ARG" };
        df.push_str(&format!("{kind} V{i}={value}\n"));
        names.push(format!("${{V{i}}}"));
    }
    let all = names.concat();
    df.push_str(&format!(
        "LABEL all=\"{all}\"\nWORKDIR /w/{all}\nENV LAST={all}{all}\n"
    ));
    let mut world = World::new();
    world.machine("default").files.insert(
        "Dockerfile".into(),
        dockdrill::model::image::FileBytes::from(df.as_bytes()),
    );
    let line = Line {
        host: "default".into(),
        command: "docker build -t fuzz .".into(),
    };
    let r = run_line(&mut world, &line, None, false);
    if r.exit_code != 0 {
        assert!(
            !r.stderr.is_empty() || !r.stdout.is_empty() || !r.notes.is_empty(),
            "a failed build said nothing"
        );
        return;
    }
    let Some(image) = world.machines["default"].images.lookup("fuzz") else {
        return;
    };
    let config = &image.image.config;
    for e in &config.env {
        assert!(
            e.len() <= MAX_EXPANDED_BYTES + 64,
            "an ENV value past the cap"
        );
    }
    let bytes: usize = config.env.iter().map(String::len).sum::<usize>()
        + config
            .labels
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>();
    assert!(bytes <= MAX_CONFIG_BYTES, "ENV and LABEL past the cap");
}

/// A lesson's file work: each input line becomes a file-helper command (`echo … >`, `>>`, `sed -i`, `cp`,
/// `rm`, `cat`, `ls`) chosen by its first byte, with the rest of the line as its arguments, and a build
/// now and then. After every line: every path is normalised (no `.`, `..` or empty part), no file and no
/// folder passes its cap, and a failing command says why.
pub fn file_helpers(data: &[u8]) {
    use dockdrill::limits::{MAX_FILE_BYTES, MAX_MACHINE_BYTES};
    let text = String::from_utf8_lossy(data);
    let mut world = World::new();
    for raw in text.lines().take(200) {
        let Some(first) = raw.bytes().next() else {
            continue;
        };
        let rest = raw.get(1..).unwrap_or("");
        let command = match first % 9 {
            0 => format!("echo {rest} > {}", word(rest, 0)),
            1 => format!("echo {rest} >> {}", word(rest, 1)),
            2 => format!("sed -i {rest}"),
            3 => format!("cp {rest}"),
            4 => format!("rm {rest}"),
            5 => format!("cat {rest}"),
            6 => format!("ls {rest}"),
            7 => "docker build -t f .".to_string(),
            _ => format!(
                "sed -i s/{}/{}/g {}",
                word(rest, 0),
                word(rest, 1),
                word(rest, 2)
            ),
        };
        let r = run_line(&mut world, &script::split_host(&command), None, false);
        if r.exit_code != 0 {
            assert!(
                !r.stderr.is_empty() || !r.stdout.is_empty() || !r.notes.is_empty(),
                "`{command}` failed silently"
            );
        }
        let files = &world.machines["default"].files;
        let mut total = 0;
        for (k, v) in files {
            assert!(
                !k.is_empty() && k.split('/').all(|p| !p.is_empty() && p != "." && p != ".."),
                "an unnormalised path {k:?} after `{command}`"
            );
            assert!(
                v.len() <= MAX_FILE_BYTES,
                "a file past the cap after `{command}`"
            );
            total += v.len();
        }
        assert!(total <= MAX_MACHINE_BYTES, "the folder past its cap");
    }
}

/// The `n`-th whitespace-separated word of `s` (or `f`), for building file names.
fn word(s: &str, n: usize) -> String {
    s.split_whitespace().nth(n).unwrap_or("f").to_string()
}
