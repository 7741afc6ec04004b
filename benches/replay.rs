//! `cargo bench`: is every command's cost flat as the world grows, how fast is a learner-like mix, and how
//! much memory does a long replay take. Plain timing loops (no bench framework): the figures go in the
//! README's "Performance" section.
//!
//! Every world is built by real commands (tags, runs, pushes), never by inserting into the model directly,
//! so the indexes a probe meets are the ones a learner's session builds.
//!
//! `DOCKDRILL_BENCH=quick` runs fewer repetitions and skips the 1,000,000-line replays.

use dockdrill::model::world::World;
use dockdrill::replay::{Format, replay};
use dockdrill::runner::run_line;
use dockdrill::script::split_host;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::time::Instant;

/// Replays `script` into `world`, discarding the transcript.
fn feed(world: &mut World, script: &str) {
    if replay(world, script.as_bytes(), Format::Text, &mut std::io::sink()).is_err() {
        eprintln!("replay failed");
    }
}

/// What every probe needs, whatever the dimension: images, a login, a pushed repository, one running and one
/// stopped container, a second machine to pull onto.
const BASE: &str = "\
docker pull alpine
docker pull busybox
docker login -u alice -p wonderland
docker tag alpine probe:1
docker tag alpine probe:2
docker tag alpine alice/app:1
docker push alice/app:1
docker run -d --name probe-run alpine sleep 1000000000
docker create --name probe-stopped alpine
docker create --name busy-user busybox
echo start > probe.txt
puller$ docker images -q
";

/// The commands that grow one dimension to size `n`.
fn grow(dimension: &str, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = match dimension {
            "tags on one image" => writeln!(s, "docker tag alpine t{i}:x"),
            "images" => writeln!(
                s,
                "echo {i} > v.txt\ndocker build -q -f Dockerfile.bench -t img{i} ."
            ),
            "running containers" => {
                writeln!(s, "docker run -d --name r{i} busybox sleep 1000000000")
            }
            "stopped containers" => writeln!(s, "docker run --name s{i} busybox true"),
            "repositories in a registry" => writeln!(
                s,
                "docker tag alpine alice/r{i}:1\ndocker push alice/r{i}:1\ndocker rmi alice/r{i}:1"
            ),
            "tags in one pushed repository" => writeln!(
                s,
                "docker tag alpine alice/app:t{i}\ndocker push alice/app:t{i}\ndocker rmi alice/app:t{i}"
            ),
            "machines" => writeln!(s, "m{i}$ docker pull busybox"),
            "files in the working folder" => writeln!(s, "echo {i} > f{i}.txt"),
            "history length" => writeln!(
                s,
                "docker run -d --name h busybox sleep 1000000000\ndocker stop -t 0 h\ndocker rm h"
            ),
            _ => Ok(()),
        };
    }
    s
}

/// One fixed command per simulated command kind; `true` when it changes the world (run on a clone).
const PROBES: &[(&str, &str, bool)] = &[
    ("rmi TAG", "docker rmi probe:1", true),
    ("inspect -f", "docker inspect -f '{{.Id}}' alpine", false),
    ("rmi IMAGE (in use)", "docker rmi busybox", false),
    ("ps", "docker ps -q", false),
    ("images REF", "docker images probe", false),
    ("push", "docker push alice/app:1", true),
    ("pull", "puller$ docker pull alice/app:1", true),
    ("run -d", "docker run -d alpine sleep 1000000000", true),
    ("stop", "docker stop -t 0 probe-run", true),
    ("rm", "docker rm probe-stopped", true),
    ("tag", "docker tag alpine probe:new", true),
    ("login", "docker login -u alice -p wonderland", false),
    ("echo >> FILE", "echo more >> probe.txt", true),
];

/// The mutating probes again, as a sequence on one world: `{i}` is the repetition, and the setup lines
/// (run before any timing) give each repetition its own tag, container or pushed tag. No world is cloned
/// between runs, so the figure is the command's own cost, without what a fresh clone of a large world does
/// to the caches and the allocator just before it (the clone's cost is `persist`'s, measured apart).
const IN_PLACE: &[(&str, &str, &str)] = &[
    (
        "rmi TAG",
        "docker tag alpine probe-{i}:1",
        "docker rmi probe-{i}:1",
    ),
    (
        "push",
        "docker tag alpine alice/app:p{i}",
        "docker push alice/app:p{i}",
    ),
    (
        "pull",
        "docker tag alpine alice/app:q{i}\ndocker push alice/app:q{i}",
        "puller$ docker pull alice/app:q{i}",
    ),
    ("run -d", "", "docker run -d alpine sleep 1000000000"),
    (
        "stop",
        "docker run -d --name probe-run{i} alpine sleep 1000000000",
        "docker stop -t 0 probe-run{i}",
    ),
    (
        "rm",
        "docker create --name probe-stopped{i} alpine",
        "docker rm probe-stopped{i}",
    ),
    ("tag", "", "docker tag alpine probe:new{i}"),
    ("echo >> FILE", "", "echo more >> probe.txt"),
];

/// Median times of the in-place sequence of probe `name` in a small and a large world of `dim`, interleaved,
/// in nanoseconds (`None` for a probe that does not change the world). Each world is built for the
/// sequence, not cloned from the fresh-clone probe's: a clone's maps share every node with the original,
/// and the sequence's first insertions at scattered places (a new container's ID, name, bridge address)
/// would copy them, which is the fresh-clone figure's cost, not the command's own.
fn in_place_pair(dim: &str, sizes: (usize, usize), name: &str, reps: usize) -> Option<(f64, f64)> {
    let (_, setup, line) = IN_PLACE.iter().find(|p| p.0 == name)?;
    let mut worlds = [world_of(dim, sizes.0), world_of(dim, sizes.1)];
    for w in &mut worlds {
        let mut script = String::new();
        for i in 0..reps {
            if !setup.is_empty() {
                let _ = writeln!(script, "{}", setup.replace("{i}", &i.to_string()));
            }
        }
        feed(w, &script);
    }
    let mut times = [Vec::with_capacity(reps), Vec::with_capacity(reps)];
    for i in 0..reps {
        let parsed = split_host(&line.replace("{i}", &i.to_string()));
        for (k, world) in worlds.iter_mut().enumerate() {
            let t = Instant::now();
            let r = run_line(world, &parsed, None, false);
            times[k].push(t.elapsed().as_nanos() as f64);
            black_box(r.exit_code);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [mut a, mut b] = times;
    Some((median(&mut a), median(&mut b)))
}

fn world_of(dimension: &str, n: usize) -> World {
    let mut w = World::new();
    if dimension == "images" {
        let m = w.machine("default");
        m.files.insert(
            "Dockerfile.bench".into(),
            dockdrill::model::image::FileBytes::from(&b"FROM alpine\nCOPY v.txt /v.txt\n"[..]),
        );
    }
    feed(&mut w, BASE);
    feed(&mut w, &grow(dimension, n));
    w
}

/// Median times of `line` in a small and a large world, the runs interleaved so that the load of a shared
/// machine falls on both alike, in nanoseconds.
fn probe_pair(small: &World, large: &World, line: &str, mutates: bool, reps: usize) -> (f64, f64) {
    let parsed = split_host(line);
    let mut times = [Vec::with_capacity(reps), Vec::with_capacity(reps)];
    let mut scratch = [small.clone(), large.clone()];
    for _ in 0..reps {
        for (k, world) in [small, large].into_iter().enumerate() {
            if mutates {
                scratch[k] = world.clone();
            }
            let t = Instant::now();
            let r = run_line(&mut scratch[k], &parsed, None, false);
            times[k].push(t.elapsed().as_nanos() as f64);
            black_box(r.exit_code);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let [mut a, mut b] = times;
    (median(&mut a), median(&mut b))
}

fn flatness(quick: bool) {
    let reps = if quick { 15 } else { 61 };
    println!(
        "per-command cost, small vs large world (median of {reps} runs, µs; ratio large/small)\n\
         a command that changes the world runs on a fresh clone of it (clone not timed), then again\n\
         in place: a sequence on one world, each repetition on its own tag or container (\"in place\")"
    );
    let dims: &[(&str, usize, usize)] = &[
        ("tags on one image", 200, 4_000),
        ("images", 100, 1_000),
        ("running containers", 200, 4_000),
        ("stopped containers", 200, 4_000),
        ("repositories in a registry", 200, 4_000),
        ("tags in one pushed repository", 200, 4_000),
        ("machines", 20, 400),
        ("files in the working folder", 200, 4_000),
        ("history length", 1_000, 10_000),
    ];
    let mut worst: (f64, String) = (0.0, String::new());
    let mut worst_in_place: (f64, String) = (0.0, String::new());
    // DOCKDRILL_BENCH_DIM=WORDS: only the dimensions whose name holds WORDS.
    let only_dim = std::env::var("DOCKDRILL_BENCH_DIM").unwrap_or_default();
    for (dim, small, large) in dims.iter().filter(|d| d.0.contains(only_dim.as_str())) {
        let t = Instant::now();
        let ws = world_of(dim, *small);
        let wl = world_of(dim, *large);
        println!(
            "\n{dim}: {small} vs {large} (worlds built in {:.1}s)",
            t.elapsed().as_secs_f64()
        );
        for (name, line, mutates) in PROBES {
            let (a, b) = probe_pair(&ws, &wl, line, *mutates, reps);
            let ratio = b / a;
            // `ps` lists running containers: its output (and cost) grows with them by design.
            let listing = *name == "ps" && *dim == "running containers";
            println!(
                "  {name:<20} {:>9.1} {:>9.1}  {ratio:>5.2}x{}",
                a / 1e3,
                b / 1e3,
                if listing {
                    "  (listing: output grows)"
                } else {
                    ""
                }
            );
            if !listing && ratio > worst.0 {
                worst = (ratio, format!("{name} / {dim}"));
            }
            if let Some((a, b)) = in_place_pair(dim, (*small, *large), name, reps) {
                let ratio = b / a;
                println!(
                    "  {:<20} {:>9.1} {:>9.1}  {ratio:>5.2}x",
                    format!("{name} in place"),
                    a / 1e3,
                    b / 1e3
                );
                if ratio > worst_in_place.0 {
                    worst_in_place = (ratio, format!("{name} in place / {dim}"));
                }
            } else if !mutates && !listing && ratio > worst_in_place.0 {
                worst_in_place = (ratio, format!("{name} / {dim}"));
            }
        }
    }
    println!("\nworst ratio: {:.2}x ({})", worst.0, worst.1);
    println!(
        "worst ratio, mutating probes in place: {:.2}x ({})",
        worst_in_place.0, worst_in_place.1
    );
}

/// A learner-like mix on three machines: build, images, run, ps, tag, push, pull, stop, rm, rmi, login.
fn mix_script(rounds: usize) -> String {
    let mut s = String::from(
        "laptop$ docker login -u alice -p wonderland\nserver$ docker login -u alice -p wonderland\n",
    );
    for i in 0..rounds {
        if i % 20 == 0 {
            let _ = writeln!(s, "laptop$ docker build -t alice/app:latest .");
        }
        let _ = write!(
            s,
            "laptop$ docker images\n\
             laptop$ docker tag alice/app alice/app:{i}\n\
             laptop$ docker push alice/app:{i}\n\
             server$ docker pull alice/app:{i}\n\
             server$ docker run -d --name web{i} alice/app:{i}\n\
             server$ docker ps\n\
             ci$ docker run --rm alpine echo hi\n\
             server$ docker stop -t 1 web{i}\n\
             server$ docker rm web{i}\n\
             server$ docker rmi alice/app:{i}\n\
             laptop$ docker rmi alice/app:{i}\n\
             ci$ docker login -u bob -p builder\n"
        );
    }
    s
}

fn mix(quick: bool) {
    let rounds = if quick { 2_000 } else { 10_000 };
    let script = mix_script(rounds);
    let commands = script.lines().count();
    let mut best = 0.0f64;
    for _ in 0..3 {
        let mut w = World::new();
        feed(&mut w, "ci$ docker pull alpine\n");
        let t = Instant::now();
        feed(&mut w, &script);
        best = best.max(commands as f64 / t.elapsed().as_secs_f64());
    }
    println!("\nlearner mix: {commands} commands, best of 3: {best:.0} commands/s");
}

/// A world whose Docker Hub holds `repos` more repositories, made by real pushes, and a local `alice/web:1`.
fn push_world(repos: usize) -> World {
    let mut w = World::new();
    let mut s = String::from(
        "docker pull alpine\ndocker pull nginx\ndocker login -u alice -p wonderland\ndocker tag nginx alice/web:1\n",
    );
    for i in 0..repos {
        let _ = writeln!(
            s,
            "docker tag alpine alice/r{i}:1\ndocker push alice/r{i}:1\ndocker rmi alice/r{i}:1"
        );
    }
    feed(&mut w, &s);
    w
}

/// Writes a script of `lines` lines and replays it with the release binary, returning
/// (seconds, peak RSS in KiB) as `/usr/bin/time -v` reports them.
fn replay_rss(name: &str, lines: usize, growing: bool) -> Option<(f64, u64)> {
    let path =
        std::env::temp_dir().join(format!("dockdrill-bench-{}-{name}.txt", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).ok()?);
    let _ = writeln!(f, "docker pull alpine");
    let mut written = 1;
    let mut i = 0;
    while written < lines {
        let block = if growing {
            // 3 tags, 1 live container per 10 lines: ~300k tags and 100k containers at 1,000,000 lines.
            format!(
                "docker tag alpine a{i}:1\ndocker tag alpine b{i}:1\ndocker tag alpine c{i}:1\n\
                 docker run -d --name w{i} alpine sleep 1000000000\n\
                 docker inspect -f '{{{{.State.Status}}}}' w{i}\n\
                 docker create --name x{i} alpine\ndocker rm x{i}\n\
                 docker run --rm alpine true\n# a comment\ndocker login -u alice -p wonderland\n"
            )
        } else {
            format!(
                "docker tag alpine a{i}:1\ndocker run -d --name w{i} alpine sleep 1000000000\n\
                 docker inspect -f '{{{{.State.Status}}}}' w{i}\ndocker ps -q\ndocker stop -t 0 w{i}\n\
                 docker rm w{i}\ndocker rmi a{i}:1\ndocker run --rm alpine true\n# a comment\n\
                 docker images -q alpine\n"
            )
        };
        let _ = f.write_all(block.as_bytes());
        written += 10;
        i += 1;
    }
    drop(f);
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_dockdrill"))
        .arg("replay")
        .arg(&path)
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
    let rss = field("Maximum resident set size (kbytes):")?.parse().ok()?;
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):")?;
    let secs = wall
        .split(':')
        .fold(0.0, |acc, p| acc * 60.0 + p.parse::<f64>().unwrap_or(0.0));
    Some((secs, rss))
}

/// What the REPL's undo pays per command: one clone of the world, with `n` containers and `n` tags.
fn clone_cost(n: usize, reps: usize) -> f64 {
    let mut w = World::new();
    let mut s = String::from("docker pull alpine\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "docker tag alpine t{i}:x\ndocker run -d --name c{i} alpine sleep 1000000000"
        );
    }
    feed(&mut w, &s);
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            black_box(w.clone());
            t.elapsed().as_nanos() as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    // DOCKDRILL_BENCH=quick: fewer repetitions, no 1,000,000-line replays.
    // DOCKDRILL_BENCH_ONLY=clone|flat|mix|push|rss: one part only.
    let quick = std::env::var("DOCKDRILL_BENCH").is_ok_and(|v| v == "quick");
    let only = std::env::var("DOCKDRILL_BENCH_ONLY").unwrap_or_default();
    let part = |name: &str| only.is_empty() || only == name;
    // DOCKDRILL_BENCH_MIX_FILE=PATH: write the mix as one script (400 rounds, 4,823 lines, the `ci` machine's
    // pull first) for `dockdrill replay` under callgrind, whose instruction count the noisy timings cannot give.
    if let Ok(path) = std::env::var("DOCKDRILL_BENCH_MIX_FILE") {
        let script = format!("ci$ docker pull alpine\n{}", mix_script(400));
        if let Err(e) = std::fs::write(&path, script) {
            eprintln!("cannot write {path}: {e}");
        }
        return;
    }
    if part("clone") {
        let (a, b) = (clone_cost(100, 21), clone_cost(1_000, 21));
        println!(
            "world clone (what undo pays per command): {:.0} µs with 100 containers + 100 tags, {:.0} µs with 1,000 + 1,000 ({:.1}x)",
            a / 1e3,
            b / 1e3,
            b / a
        );
    }
    if part("flat") {
        flatness(quick);
    }
    if part("mix") {
        mix(quick);
    }
    if part("push") {
        let reps = if quick { 15 } else { 41 };
        let (w0, w1) = (push_world(0), push_world(10_000));
        let (p0, p1) = probe_pair(&w0, &w1, "docker push alice/web:1", true, reps);
        println!(
            "push of nginx: {:.1} µs into an empty registry, {:.1} µs into one with 10,000 pushed repositories ({:.2}x)",
            p0 / 1e3,
            p1 / 1e3,
            p1 / p0
        );
    }
    if quick || !part("rss") {
        return;
    }
    for (name, growing) in [("small", false), ("growing", true)] {
        match replay_rss(name, 1_000_000, growing) {
            Some((secs, kib)) => println!(
                "1,000,000-line replay ({name} world): {secs:.1}s, {:.0} commands/s, peak RSS {:.1} MiB",
                900_000.0 / secs,
                kib as f64 / 1024.0
            ),
            None => {
                println!("1,000,000-line replay ({name} world): /usr/bin/time -v not available")
            }
        }
    }
}
