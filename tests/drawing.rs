//! The SVG drawing from the command line: `dockdrill replay --svg FILE SCRIPT` and the REPL's `state --svg FILE`
//! write the same drawing the web page shows beside its terminal.

use std::process::{Command, Stdio};

fn temp(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dockdrill-drawing-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn replay_svg_draws_the_final_world() {
    let dir = temp("replay");
    let script = dir.join("script.txt");
    std::fs::write(
        &script,
        "docker pull node:22-alpine\ndocker build -t myimage .\nlaptop$ docker pull alpine:3.20\n",
    )
    .unwrap();
    let drawing = dir.join("world.svg");
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .args(["replay", "--svg"])
        .arg(&drawing)
        .arg(&script)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(&drawing).unwrap();
    // The same bytes as the library draws for the same lines.
    let mut world = dockdrill::model::world::World::new();
    for line in std::fs::read_to_string(&script).unwrap().lines() {
        let _ = dockdrill::runner::run_line(
            &mut world,
            &dockdrill::script::split_host(line),
            None,
            false,
        );
    }
    assert_eq!(svg, dockdrill::svg::svg(&world, None));
    assert!(
        svg.contains(r#"data-id="image:default:myimage:latest""#),
        "{svg}"
    );
    assert!(svg.contains("machine laptop"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replay_svg_into_a_missing_folder_is_an_error() {
    let dir = temp("missing");
    let script = dir.join("script.txt");
    std::fs::write(&script, "docker pull alpine\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .args(["replay", "--svg"])
        .arg(dir.join("no/such/folder/world.svg"))
        .arg(&script)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("dockdrill: cannot write "));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_repl_state_command_writes_the_drawing() {
    let dir = temp("state");
    let drawing = dir.join("w.svg");
    let mut s = dockdrill::repl::session::Session::new();
    let _ = s.handle_line("docker pull alpine");
    let said = s
        .handle_line(&format!("state --svg '{}'", drawing.display()))
        .text();
    assert_eq!(
        said,
        format!(
            "[dockdrill] the drawing is in `{}` (open it in a browser)\n",
            drawing.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&drawing).unwrap(),
        dockdrill::svg::svg(s.world(), Some("default"))
    );
    assert!(
        s.handle_line("state --png x")
            .text()
            .contains("usage: `state`")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
