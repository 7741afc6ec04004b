//! One insta snapshot per script in `tests/scripts/`: the whole transcript, exit codes included, so any
//! change in simulated behaviour shows as a reviewable diff.

use dockdrill::model::world::World;
use dockdrill::replay::{Format, replay};

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
