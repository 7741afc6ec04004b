//! `cargo bench --bench session`: the learner's REPL session as it grows. A session of 200 commands and one
//! of 2,000 (every pair adds a container and a tag, so the large world holds 1,000 of each) run through
//! `Session::handle_line`; the per-command cost of both is printed side by side with their ratio (the
//! target: within 1.5x), then 100 undos and 100 redos on the large one. Plain timing loops, like
//! `benches/replay.rs`; peak memory is measured outside, with `/usr/bin/time -v` on a piped session.

use dockdrill::repl::session::Session;
use std::hint::black_box;
use std::time::Instant;

/// `n` lines: a pull, then a container and a tag per two lines, a look every tenth line.
fn lines(n: usize) -> Vec<String> {
    let mut out = vec!["docker pull -q alpine".to_string()];
    let mut i = 0;
    while out.len() < n {
        out.push(format!("docker create --name c{i} alpine echo hi"));
        out.push(if i % 5 == 4 {
            "docker ps -q -l".to_string()
        } else {
            format!("docker tag alpine t{i}")
        });
        i += 1;
    }
    out.truncate(n);
    out
}

/// Seconds per command over the last 200 commands of an `n`-command session.
fn per_command(n: usize) -> (f64, Session) {
    let all = lines(n);
    let mut s = Session::new();
    let (warm, timed) = all.split_at(n - 200);
    for l in warm {
        let _ = black_box(s.handle_line(l));
    }
    let start = Instant::now();
    for l in timed {
        let _ = black_box(s.handle_line(l));
    }
    (start.elapsed().as_secs_f64() / timed.len() as f64, s)
}

fn main() {
    let (small, _) = per_command(200);
    let (large, mut s) = per_command(2000);
    println!(
        "session: {:.1} µs/command at 200 commands, {:.1} µs/command at 2,000 (last 200 of each); ratio {:.2}",
        small * 1e6,
        large * 1e6,
        large / small
    );
    let start = Instant::now();
    let mut undone = 0;
    for _ in 0..100 {
        if !s.handle_line("undo").text().contains("nothing to undo") {
            undone += 1;
        }
    }
    let undo = start.elapsed();
    let start = Instant::now();
    for _ in 0..100 {
        let _ = black_box(s.handle_line("redo"));
    }
    println!(
        "undo: {undone} steps back in {:.1} ms, 100 redos in {:.1} ms",
        undo.as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e3
    );
}
