//! Invariants under random use (issue 6): random command sequences over a small vocabulary of names, two
//! machines and two registries (Docker Hub and a `registry:2` at localhost:5000), failing commands included.
//! After every step the world's books must balance; a sequence replays to the same bytes every time; a
//! clone (what undo restores) is isolated from later changes; and no sequence panics.
//!
//! CI runs a few dozen cases (a few seconds). For a longer hunt:
//! `PROPTEST_CASES=2000 cargo test --release --test integration props::`.
//! A failing case is shrunk and printed as a script; it can be pasted into `dockdrill replay -`.

// Helpers outside #[test] functions panic on purpose: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dockdrill::model::container::State;
use dockdrill::model::machine::Machine;
use dockdrill::model::registry::Registry;
use dockdrill::model::world::World;
use dockdrill::replay::{self, Format, state_json};
use dockdrill::runner::run_line;
use dockdrill::script::split_host;
use proptest::prelude::*;
use std::collections::HashMap;

const MACHINES: [&str; 2] = ["default", "server"];
const IMAGES: [&str; 3] = ["app", "alice/app:1.0", "localhost:5000/app"];
const CONTAINERS: [&str; 2] = ["web", "db"];
/// Commands a process in a container runs: a server (the image's CMD), output then exit, a timer, a failure.
const PROCESSES: [&str; 5] = ["", " echo hi", " sleep 5", " false", " nosuchcmd"];

/// One line of a random script.
fn line() -> impl Strategy<Value = String> {
    let machine = || prop::sample::select(&MACHINES[..]);
    let image = || prop::sample::select(&IMAGES[..]);
    let container = || prop::sample::select(&CONTAINERS[..]);
    let process = || prop::sample::select(&PROCESSES[..]);
    let command = prop_oneof![
        image().prop_map(|i| format!("docker build -t {i} .")),
        (image(), image()).prop_map(|(a, b)| format!("docker tag {a} {b}")),
        (
            any::<bool>(),
            any::<bool>(),
            prop::option::of(container()),
            image(),
            process()
        )
            .prop_map(|(d, rm, name, i, p)| {
                let mut s = "docker run".to_string();
                if d {
                    s.push_str(" -d");
                }
                if rm {
                    s.push_str(" --rm");
                }
                if let Some(n) = name {
                    s.push_str(&format!(" --name {n}"));
                }
                format!("{s} {i}{p}")
            }),
        (container(), image(), process())
            .prop_map(|(n, i, p)| format!("docker create --name {n} {i}{p}")),
        container().prop_map(|n| format!("docker start {n}")),
        container().prop_map(|n| format!("docker stop {n}")),
        (any::<bool>(), container())
            .prop_map(|(f, n)| format!("docker rm {}{n}", if f { "-f " } else { "" })),
        (any::<bool>(), image())
            .prop_map(|(f, i)| format!("docker rmi {}{i}", if f { "-f " } else { "" })),
        image().prop_map(|i| format!("docker pull {i}")),
        image().prop_map(|i| format!("docker push {i}")),
        Just("docker login -u alice -p wonderland".to_string()),
        Just("docker login -u bob -p builder".to_string()),
        Just("docker login -u alice -p wrong".to_string()),
        Just("docker logout".to_string()),
        Just("docker run -d -p 5000:5000 --name registry registry:2".to_string()),
        Just("docker stop registry".to_string()),
        Just("docker image prune -f".to_string()),
        Just("docker container prune -f".to_string()),
        (1u32..5).prop_map(|v| format!("sed -i 's/version [0-9]*/version {v}/g' server.js")),
        prop_oneof![Just(1u64), Just(3), Just(10), Just(999_999_999)]
            .prop_map(|n| format!("sleep {n}")),
        // Failing on purpose: unknown command and flag, a bad reference, quoting gone wrong.
        Just("docker frobnicate".to_string()),
        Just("docker run --bogus app".to_string()),
        Just("docker pull Alice/App".to_string()),
        Just("docker run 'unterminated".to_string()),
    ];
    (machine(), command).prop_map(|(m, c)| {
        if m == "default" {
            c
        } else {
            format!("{m}$ {c}")
        }
    })
}

fn script() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(line(), 1..30)
}

fn config() -> ProptestConfig {
    // A CI-sized default; `PROPTEST_CASES` overrides it for longer runs.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every registry in the world: the shared ones and those `registry` containers serve.
fn registries(world: &World) -> Vec<(String, &Registry)> {
    let mut all: Vec<(String, &Registry)> = world
        .registries
        .iter()
        .map(|(h, r)| (h.clone(), r))
        .collect();
    for m in world.machines.values() {
        for c in m.containers.all() {
            if let Some(r) = &c.registry {
                all.push((format!("{} on {}/{}", r.host, m.name, c.name), &**r));
            }
        }
    }
    all
}

/// Each blob is stored once, and its reference count is the number of stored manifests using it (a
/// manifest listing the same blob twice counts twice, as `put_manifest` counts it); every tag names a
/// stored manifest and every blob a repository links is stored.
fn check_registry(name: &str, reg: &Registry) -> Result<(), String> {
    let mut uses: HashMap<&dockdrill::digest::Digest, u32> = HashMap::new();
    for m in reg.manifests.values() {
        for l in &m.image.layers {
            *uses.entry(&l.blob).or_default() += 1;
        }
        *uses.entry(&m.image.id).or_default() += 1;
    }
    for (d, blob) in &reg.blobs {
        let used = uses.get(d).copied().unwrap_or(0);
        if blob.refs != used {
            return Err(format!(
                "{name}: blob {d} has refs {} but {used} manifests use it",
                blob.refs
            ));
        }
    }
    for d in uses.keys() {
        if !reg.blobs.contains_key(*d) {
            return Err(format!(
                "{name}: a manifest uses blob {d}, which is not stored"
            ));
        }
    }
    for (path, repo) in &reg.repos {
        for (tag, digest) in &repo.tags {
            if !reg.manifests.contains_key(digest) {
                return Err(format!("{name}: {path}:{tag} names a missing manifest"));
            }
        }
        for b in &repo.blobs {
            if !reg.blobs.contains_key(b) {
                return Err(format!("{name}: {path} links a blob that is not stored"));
            }
        }
    }
    Ok(())
}

/// A machine's books: containers' images, tags both ways, and layer reference counts (each image and each
/// container holds one reference on every layer of its stack).
fn check_machine(m: &Machine) -> Result<(), String> {
    let name = &m.name;
    for c in m.containers.all() {
        if !m.images.images.contains_key(&c.image) && c.image_data.id != c.image {
            return Err(format!(
                "{name}: container {} uses image {}, which is neither stored nor held",
                c.name, c.image
            ));
        }
        for chain in c.image_data.chain_ids() {
            if !m.images.layers.contains_key(&chain) {
                return Err(format!(
                    "{name}: container {} lost a layer of its image",
                    c.name
                ));
            }
        }
        if c.auto_remove && matches!(c.state, State::Exited { .. }) {
            return Err(format!("{name}: --rm container {} lingers exited", c.name));
        }
    }
    m.containers
        .check_indexes()
        .map_err(|e| format!("{name}: {e}"))?;
    for (tag, id) in &m.images.tags {
        match m.images.images.get(id) {
            None => return Err(format!("{name}: tag {tag} points to a missing image {id}")),
            Some(s) if !s.tags.contains(tag) => {
                return Err(format!("{name}: image {id} does not list its tag {tag}"));
            }
            Some(_) => {}
        }
    }
    for (id, s) in &m.images.images {
        for tag in &s.tags {
            if m.images.tags.get(tag) != Some(id) {
                return Err(format!(
                    "{name}: image {id} lists tag {tag}, which points elsewhere"
                ));
            }
        }
        for d in &s.digests {
            if m.images.digest_refs.get(d) != Some(id) {
                return Err(format!(
                    "{name}: image {id} lists {d}, which points elsewhere"
                ));
            }
        }
    }
    for (d, id) in &m.images.digest_refs {
        if !m.images.images.contains_key(id) {
            return Err(format!("{name}: {d} points to a missing image"));
        }
    }
    let mut holds: HashMap<dockdrill::digest::Digest, u32> = HashMap::new();
    for s in m.images.images.values() {
        for chain in s.image.chain_ids() {
            *holds.entry(chain).or_default() += 1;
        }
    }
    for c in m.containers.all() {
        for chain in c.image_data.chain_ids() {
            *holds.entry(chain).or_default() += 1;
        }
    }
    for (chain, l) in &m.images.layers {
        let want = holds.get(chain).copied().unwrap_or(0);
        if l.refs != want {
            return Err(format!(
                "{name}: layer {chain} has refs {} but {want} images and containers hold it",
                l.refs
            ));
        }
    }
    for chain in holds.keys() {
        if !m.images.layers.contains_key(chain) {
            return Err(format!("{name}: layer {chain} is held but not stored"));
        }
    }
    Ok(())
}

/// All the invariants, on the world as it is and once pending timers have fired (a `--rm` container whose
/// `sleep` ended must be gone, not exited).
fn check_world(world: &World) -> Result<(), String> {
    let mut settled = world.clone();
    settled.settle();
    for w in [world, &settled] {
        for m in w.machines.values() {
            check_machine(m)?;
        }
        for (name, reg) in registries(w) {
            check_registry(&name, reg)?;
        }
    }
    Ok(())
}

fn run(world: &mut World, line: &str) -> dockdrill::runner::StepResult {
    run_line(world, &split_host(line), None, false)
}

fn transcript(lines: &[String]) -> (Vec<u8>, String) {
    let mut world = World::new();
    let mut out = Vec::new();
    replay::replay(
        &mut world,
        lines.join("\n").as_bytes(),
        Format::Json,
        &mut out,
    )
    .expect("replay from memory");
    (out, state_json(&world).to_string())
}

/// Pushes `alice/app:1.0` from every machine that has it and pulls it on a fresh machine: the image ID and
/// layers must be the same on both sides.
fn check_push_pull(world: &World) -> Result<(), String> {
    for host in MACHINES {
        let mut w = world.clone();
        let Some(id) = w
            .machine(host)
            .images
            .lookup("alice/app:1.0")
            .map(|s| s.image.id.clone())
        else {
            continue;
        };
        run(
            &mut w,
            &format!("{host}$ docker login -u alice -p wonderland"),
        );
        let push = run(&mut w, &format!("{host}$ docker push alice/app:1.0"));
        if push.exit_code != 0 {
            return Err(format!("push from {host} failed: {}", push.stderr));
        }
        run(&mut w, "probe$ docker login -u alice -p wonderland");
        let pull = run(&mut w, "probe$ docker pull alice/app:1.0");
        if pull.exit_code != 0 {
            return Err(format!("pull on probe failed: {}", pull.stderr));
        }
        let there = w
            .machine(host)
            .images
            .lookup("alice/app:1.0")
            .map(|s| s.image.clone());
        let here = w
            .machine("probe")
            .images
            .lookup("alice/app:1.0")
            .map(|s| s.image.clone());
        let (Some(there), Some(here)) = (there, here) else {
            return Err("alice/app:1.0 missing after push and pull".into());
        };
        if there.id != id || here.id != id {
            return Err(format!("pushed {id} from {host}, pulled {}", here.id));
        }
        if here.layers != there.layers {
            return Err("pulled layers differ from pushed layers".into());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Invariants after every step; a clone taken before a step (what undo restores) is untouched by it, and
    /// the step replayed on that clone does exactly the same thing.
    #[test]
    fn invariants_hold_after_every_step(lines in script()) {
        let mut world = World::new();
        for (i, l) in lines.iter().enumerate() {
            let before = world.clone();
            let before_json = state_json(&before);
            let result = run(&mut world, l);
            if let Err(e) = check_world(&world) {
                prop_assert!(false, "after step {} `{l}`: {e}", i + 1);
            }
            prop_assert_eq!(&state_json(&before), &before_json, "a clone changed when the world did");
            let mut again = before.clone();
            let result_again = run(&mut again, l);
            prop_assert_eq!(&result_again, &result);
            prop_assert_eq!(state_json(&again), state_json(&world));
        }
        if let Err(e) = check_push_pull(&world) {
            prop_assert!(false, "{e}");
        }
    }

    /// The same script twice gives byte-identical JSON transcripts and final states.
    #[test]
    fn replay_is_deterministic(lines in script()) {
        let (a, sa) = transcript(&lines);
        let (b, sb) = transcript(&lines);
        prop_assert_eq!(a, b);
        prop_assert_eq!(sa, sb);
    }
}

/// The invariants hold on the default world before anything runs (the hub is built with the same books).
#[test]
fn default_world_balances() {
    check_world(&World::new()).unwrap();
}
