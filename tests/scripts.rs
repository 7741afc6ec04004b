//! One insta snapshot per script in `tests/scripts/`: the whole transcript, exit codes included, so any
//! change in simulated behaviour shows as a reviewable diff.

use dockdrill::model::world::World;
use dockdrill::replay::{Format, replay};

/// Replays one script; a script in a folder of its own builds that folder (its Dockerfile and files).
fn transcript(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut world = World::new();
    if path.file_name().is_some_and(|n| n == "script.txt") {
        let dir = path.parent().unwrap();
        dockdrill::replay::load_context(&mut world, dir).unwrap();
        // script.txt stays in the context: `docker build .` in that folder sends it too.
    }
    let mut out = Vec::new();
    replay(&mut world, text.as_bytes(), Format::Transcript, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn script_transcripts() {
    insta::glob!("scripts/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut world = World::new();
        let mut out = Vec::new();
        replay(&mut world, text.as_bytes(), Format::Transcript, &mut out).unwrap();
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(String::from_utf8(out).unwrap());
        });
    });
}

/// Scripts with a build context of their own, checked against a real Docker with the oracle.
#[test]
fn folder_script_transcripts() {
    insta::glob!("scripts/*/script.txt", |path| {
        let text = transcript(path);
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(text);
        });
    });
}

#[test]
fn replaying_twice_is_byte_identical() {
    let text = std::fs::read_to_string("tests/scripts/share-via-hub.txt").unwrap();
    let run = || {
        let mut world = World::new();
        let mut out = Vec::new();
        replay(&mut world, text.as_bytes(), Format::Json, &mut out).unwrap();
        out
    };
    assert_eq!(run(), run());
}
