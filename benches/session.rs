//! `cargo bench --bench session`: the learner's REPL session as it grows. A session of 200 commands and one
//! of 2,000 (every pair adds a container and a tag, so the large world holds 1,000 of each) run through
//! `Session::handle_line`; the per-command cost of both is printed side by side with their ratio (the
//! target: within 1.5x), then 100 undos and 100 redos on the large one, what `explain` (the world diff)
//! costs after a step in the small and the large world, and `echo … >> FILE` into a short and a long file.
//! Last, the release binary runs the piped 201- and 2,001-command sessions under `/usr/bin/time -v` for
//! their peak memory (target: 64 MiB). Plain timing loops, like `benches/replay.rs`.

use dockdrill::repl::session::Session;
use std::hint::black_box;
use std::io::Write;
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

/// Seconds per command over the last 200 commands of an `n + 1`-command session (the pull, then `n`).
fn per_command(n: usize) -> (f64, Session) {
    let all = lines(n + 1);
    let mut s = Session::new();
    let (warm, timed) = all.split_at(n + 1 - 200);
    for l in warm {
        let _ = black_box(s.handle_line(l));
    }
    let start = Instant::now();
    for l in timed {
        let _ = black_box(s.handle_line(l));
    }
    (start.elapsed().as_secs_f64() / timed.len() as f64, s)
}

/// Median microseconds of `explain` typed right after a step (`docker tag`), over `reps` steps.
fn explain_cost(s: &mut Session, reps: usize) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|k| {
            let _ = s.handle_line(&format!("docker tag alpine e{k}"));
            let start = Instant::now();
            let _ = black_box(s.handle_line("explain"));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Microseconds per `echo … >> log` over 200 appends, after `before` appends made the file long.
fn append_cost(before: usize) -> f64 {
    let mut s = Session::new();
    for i in 0..before {
        let _ = s.handle_line(&format!(
            "echo line {i} of the log, long enough to matter >> log"
        ));
    }
    let start = Instant::now();
    for i in 0..200 {
        let _ = black_box(s.handle_line(&format!("echo one more line {i} >> log")));
    }
    start.elapsed().as_secs_f64() * 1e6 / 200.0
}

/// Pipes the `n`-line session into the release binary's REPL under `/usr/bin/time -v`: (user seconds,
/// peak RSS in KiB).
fn piped_rss(n: usize) -> Option<(f64, u64)> {
    let path =
        std::env::temp_dir().join(format!("dockdrill-session-{}-{n}.txt", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).ok()?);
    for l in lines(n) {
        writeln!(f, "{l}").ok()?;
    }
    drop(f);
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_dockdrill"))
        .stdin(std::fs::File::open(&path).ok()?)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    let field = |key: &str| {
        err.lines()
            .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_string()))
    };
    let user = field("User time (seconds):")?.parse().ok()?;
    let rss = field("Maximum resident set size (kbytes):")?.parse().ok()?;
    Some((user, rss))
}

/// The median of a few timings.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // Small and large sessions alternate, so a shared machine's load falls on both; medians of 7.
    let (mut smalls, mut larges) = (Vec::new(), Vec::new());
    let (mut small_session, mut s) = (Session::new(), Session::new());
    for _ in 0..7 {
        let (t, session) = per_command(200);
        smalls.push(t);
        small_session = session;
        let (t, session) = per_command(2000);
        larges.push(t);
        s = session;
    }
    let (small, large) = (median(smalls), median(larges));
    println!(
        "session: {:.1} µs/command at 201 commands, {:.1} µs/command at 2,001 (last 200 of each); ratio {:.2}",
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
    let (e_small, e_large) = (
        explain_cost(&mut small_session, 51),
        explain_cost(&mut s, 51),
    );
    println!(
        "explain after a step: {e_small:.1} µs in the 200-command world, {e_large:.1} µs in the 2,000-command one; ratio {:.2}",
        e_large / e_small
    );
    let (mut shorts, mut longs) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        shorts.push(append_cost(200));
        longs.push(append_cost(2000));
    }
    let (a_short, a_long) = (median(shorts), median(longs));
    println!(
        "echo >> FILE: {a_short:.1} µs/append into a 200-line file, {a_long:.1} µs into a 2,000-line one; ratio {:.2}",
        a_long / a_short
    );
    match (piped_rss(201), piped_rss(2001)) {
        (Some((u1, r1)), Some((u2, r2))) => println!(
            "piped session (release binary): 201 commands {u1:.2} s user, peak {:.1} MiB; 2,001 commands {u2:.2} s user, peak {:.1} MiB",
            r1 as f64 / 1024.0,
            r2 as f64 / 1024.0
        ),
        _ => println!("piped session: /usr/bin/time -v not available"),
    }
}
