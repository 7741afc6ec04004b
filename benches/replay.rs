//! `cargo bench`: replay throughput and the cost of push/pull as the world grows.
//! Plain timing loops (no bench framework): the figures go in the README.

use dockdrill::digest::Digest;
use dockdrill::model::image::{Image, ImageConfig, Layer};
use dockdrill::model::registry::{Policy, Registry};
use dockdrill::model::world::World;
use dockdrill::replay::{Format, replay};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

/// A script of `n` commands whose world keeps growing: every 7 commands add an image tag and containers.
fn growing_script(n: usize) -> String {
    let mut s = String::from("docker pull alpine\n");
    let mut i = 0;
    let mut count = 1;
    while count < n {
        let cmds = [
            format!("docker tag alpine img{i}:v{i}"),
            format!("docker create --name c{i} img{i}:v{i} echo hi"),
            format!("docker start c{i}"),
            format!("docker run -d --name s{i} alpine sleep 100000"),
            format!("docker inspect -f '{{{{.State.Status}}}}' s{i}"),
            format!("docker rm c{i}"),
            format!("docker stop -t 0 s{i}"),
        ];
        for c in cmds {
            s.push_str(&c);
            s.push('\n');
            count += 1;
        }
        i += 1;
    }
    s
}

fn throughput() {
    let n = 100_000;
    let script = growing_script(n);
    let lines: Vec<&str> = script.lines().collect();
    let chunk = lines.len() / 10;
    let mut world = World::new();
    let mut per_chunk = Vec::new();
    let total = Instant::now();
    for part in lines.chunks(chunk) {
        let text = part.join("\n");
        let t = Instant::now();
        let mut sink = Vec::new();
        if replay(&mut world, text.as_bytes(), Format::Json, &mut sink).is_err() {
            eprintln!("replay failed");
            return;
        }
        black_box(&sink);
        per_chunk.push(part.len() as f64 / t.elapsed().as_secs_f64());
    }
    let secs = total.elapsed().as_secs_f64();
    let containers = world.machines["default"].containers.by_id.len();
    let tags = world.machines["default"].images.tags.len();
    println!(
        "replay: {} commands in {secs:.2}s = {:.0} commands/s (world ends with {tags} tags, {containers} containers)",
        lines.len(),
        lines.len() as f64 / secs
    );
    println!(
        "replay: first tenth {:.0} commands/s, last tenth {:.0} commands/s",
        per_chunk.first().copied().unwrap_or(0.0),
        per_chunk.last().copied().unwrap_or(0.0)
    );
}

fn image_with_layers(seed: &str, n: usize) -> Arc<Image> {
    let layers = (0..n)
        .map(|i| {
            Layer::new(
                Digest::of(format!("{seed}:{i}").as_bytes()),
                1_000_000 + i as u64,
            )
        })
        .collect();
    Arc::new(Image::new(
        ImageConfig::default(),
        layers,
        vec![],
        0,
        Arc::default(),
        Arc::default(),
    ))
}

/// Pushes and pulls of 50-layer images into a registry with `repos` repositories.
fn push_pull(repos: usize) -> (f64, f64) {
    let mut world = World::new();
    let mut reg = Registry::new("registry.example.com", Policy::Open);
    for r in 0..repos {
        reg.put_manifest(
            &format!("team/repo{r}"),
            "latest",
            image_with_layers(&format!("r{r}"), 3),
            None,
        );
    }
    world.registries.insert("registry.example.com".into(), reg);
    let rounds = 200;
    for k in 0..rounds {
        let img = image_with_layers(&format!("app{k}"), 50);
        let m = world.machine("default");
        m.images.insert(img.clone());
        let repo = dockdrill::reference::RepoName::new("registry.example.com/team/app");
        let tag = dockdrill::reference::TagRef::new(repo, &k.to_string());
        m.images.set_tag(&tag, &img.id, 0);
    }
    let run = |world: &mut World, line: &str| {
        let r =
            dockdrill::runner::run_line(world, &dockdrill::script::split_host(line), None, false);
        black_box(r.exit_code)
    };
    let t = Instant::now();
    for k in 0..rounds {
        run(
            &mut world,
            &format!("docker push registry.example.com/team/app:{k}"),
        );
    }
    let push = t.elapsed().as_secs_f64() / rounds as f64;
    let t = Instant::now();
    for k in 0..rounds {
        run(
            &mut world,
            &format!("server$ docker pull registry.example.com/team/app:{k}"),
        );
    }
    let pull = t.elapsed().as_secs_f64() / rounds as f64;
    (push * 1e6, pull * 1e6)
}

fn main() {
    throughput();
    let (p0, l0) = push_pull(0);
    let (p1, l1) = push_pull(10_000);
    println!(
        "push of a 50-layer image: {p0:.0} µs into an empty registry, {p1:.0} µs into one with 10,000 repositories"
    );
    println!(
        "pull of a 50-layer image: {l0:.0} µs from an empty registry, {l1:.0} µs from one with 10,000 repositories"
    );
}
