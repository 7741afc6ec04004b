//! Every input a fuzz target ever failed on, replayed through the same check that found it
//! (`fuzz/checks.rs`, included below). Inputs live in `tests/fixtures/fuzz/<target>/`, one file each,
//! named after what they exposed; `fuzz/README.md` says how to add one.

// Helpers outside #[test] functions panic on purpose: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../fuzz/checks.rs"]
mod checks;

use dockdrill::reference::ImageRef;
use std::path::Path;

/// Runs `check` on every saved input of `target`; returns how many there were.
fn replay_inputs(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let bytes = std::fs::read(e.path()).unwrap();
        let result = std::panic::catch_unwind(|| check(&bytes));
        assert!(result.is_ok(), "{} fails again", e.path().display());
        n += 1;
    }
    n
}

#[test]
fn command_line_inputs() {
    replay_inputs("command_line", checks::command_line);
}

#[test]
fn image_ref_inputs() {
    assert!(replay_inputs("image_ref", checks::image_ref) >= 1);
}

#[test]
fn dockerfile_inputs() {
    replay_inputs("dockerfile", checks::dockerfile);
}

#[test]
fn course_yaml_inputs() {
    replay_inputs("course_yaml", checks::course_yaml);
}

/// Seeded with issue 12's ENV/ARG expansion bomb.
#[test]
fn dockerfile_expansion_inputs() {
    assert!(replay_inputs("dockerfile_expansion", checks::dockerfile_expansion) >= 1);
}

/// Seeded with issue 12's doubling `sed` and `..` paths.
#[test]
fn file_helpers_inputs() {
    assert!(replay_inputs("file_helpers", checks::file_helpers) >= 1);
}

#[test]
fn replay_script_inputs() {
    replay_inputs("replay", checks::replay);
}

/// Found by the image_ref target: `docker.io/a.b/c` prints as `a.b/c`, which reads back as registry `a.b`.
/// Docker's FamiliarString does the same, so dockdrill keeps it; the check now allows exactly this case.
#[test]
fn familiar_form_of_a_hub_path_with_a_host_like_namespace() {
    let r = ImageRef::parse("docker.io/ldocibrarker.iy/nood/e").unwrap();
    assert_eq!(r.familiar(), "ldocibrarker.iy/nood/e");
    assert_eq!(
        ImageRef::parse(&r.familiar()).unwrap().domain(),
        "ldocibrarker.iy"
    );
    assert_eq!(ImageRef::parse(&r.full()).unwrap(), r);
}
