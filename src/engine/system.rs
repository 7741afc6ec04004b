//! The daemon looking at itself: `docker info`, `docker system df`, `docker stats --no-stream` and
//! `docker system prune`.
//!
//! `system df` is the picture of shared layers: an image's SIZE counts every layer it uses, but the Images
//! total counts each layer once, and SHARED SIZE is the part of an image another image also uses. The CLI's
//! RECLAIMABLE is the total minus the unique bytes of images that containers use (docker/cli
//! `formatter/disk_usage.go` v28.2.2) — so bytes shared by a used image still count as reclaimable, as the
//! real command says.
//!
//! `stats` numbers are the model's, fixed so every replay reads the same: a running container uses
//! [`MEMORY_PER_PROCESS`] for its one process, no CPU, no network or block I/O; its LIMIT is the machine's
//! memory ([`MACHINE_MEMORY`], also `info`'s Total Memory). A stopped container shows zeros.

use super::{Input, Outcome, confirm};
use crate::digest::Digest;
use crate::event::{
    DfCache, DfContainer, DfImage, DiskUsage, Event, InfoReport, Prompt, StatsListing, StatsRow,
    SystemPruneReport,
};
use crate::model::container::State;
use crate::model::persistent::RetainMap;
use crate::model::world::World;
use std::collections::HashMap;

/// What one running process uses in the model (busybox `sleep` uses 656KiB on the oracle).
pub const MEMORY_PER_PROCESS: u64 = 656 * 1024;

/// The memory of every simulated machine: 16 GiB.
pub const MACHINE_MEMORY: u64 = 16 << 30;

/// CPUs of every simulated machine.
pub const MACHINE_CPUS: u32 = 2;

/// `docker info`.
pub fn info(world: &World, host: &str, format: Option<&str>, out: &mut Outcome) {
    let m = &world.machines[host];
    let mut running = 0;
    let mut paused = 0;
    let mut stopped = 0;
    for c in m.containers.all() {
        match c.state {
            State::Running { .. } => running += 1,
            State::Paused { .. } => paused += 1,
            State::Created | State::Exited { .. } => stopped += 1,
        }
    }
    // A UUID from the machine's name: the same in every replay, different per machine.
    let hex = Digest::of(format!("dockdrill engine {host}").as_bytes())
        .hex()
        .to_string();
    let id = format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    out.push(Event::Info(Box::new(InfoReport {
        containers: m.containers.len(),
        running,
        paused,
        stopped,
        images: m.images.images.len(),
        name: host.to_string(),
        id,
        architecture: world.machines[host].platform.kernel_arch(),
        cpus: MACHINE_CPUS,
        memory: MACHINE_MEMORY,
        username: super::distribution::user_of(world, host, "docker.io"),
        format: format.map(str::to_string),
    })));
}

/// Bytes container `id` wrote over its image.
pub fn container_size(world: &World, host: &str, id: &str) -> u64 {
    world.machines[host]
        .container_fs
        .get(id)
        .map_or(0, |fs| fs.files.bytes() as u64)
}

/// `docker system df [-v]`.
pub fn df(world: &World, host: &str, verbose: bool, format: Option<&str>, out: &mut Outcome) {
    let m = &world.machines[host];
    // How many images use each layer (by chain ID): a layer used by two is shared.
    let mut users: HashMap<&Digest, usize> = HashMap::new();
    for s in m.images.images.values() {
        for chain in &s.image.chains {
            *users.entry(chain).or_default() += 1;
        }
    }
    let layers_size = m
        .images
        .images
        .values()
        .flat_map(|s| s.image.chains.iter().zip(&s.image.layers))
        .map(|(chain, l)| (chain, l.size))
        .collect::<HashMap<_, _>>()
        .values()
        .sum();
    let mut images = Vec::new();
    for (_, id) in m.images.by_created.iter().rev() {
        let s = &m.images.images[id];
        let (repository, tag) = s
            .tags
            .iter()
            .next()
            .map(|t| (t.repo.familiar().to_string(), t.tag.to_string()))
            .unwrap_or_else(|| ("<none>".into(), "<none>".into()));
        let shared = s
            .image
            .chains
            .iter()
            .zip(&s.image.layers)
            .filter(|(c, _)| users.get(c).copied().unwrap_or(0) > 1)
            .map(|(_, l)| l.size)
            .sum();
        images.push(DfImage {
            repository,
            tag,
            id: id.clone(),
            created: s.image.created,
            size: s.image.size(),
            shared,
            containers: m.containers.users_of(id),
        });
    }
    let containers = m
        .containers
        .newest_first()
        .map(|c| DfContainer {
            id: c.id.to_string(),
            image: super::containers::image_column(world, host, c),
            argv: c.argv(),
            volumes: m.container_fs.get(&*c.id).map_or(0, |fs| fs.mounts.len()),
            size: container_size(world, host, &c.id),
            created: c.created,
            state: c.state.clone(),
            name: c.name.to_string(),
        })
        .collect();
    out.push(Event::DiskUsage(Box::new(DiskUsage {
        images,
        layers_size,
        containers,
        volumes: super::volumes::rows(world, host),
        build_cache: build_cache(world, host),
        verbose,
        format: format.map(str::to_string),
        now: world.now,
    })));
}

/// The builder's cache records: one per distinct step result (its top layer), oldest first.
pub fn build_cache(world: &World, host: &str) -> Vec<DfCache> {
    let m = &world.machines[host];
    let mut by_chain: HashMap<&Digest, DfCache> = HashMap::new();
    for step in m.build_cache.values() {
        let img = &step.state;
        let (Some(chain), Some(layer)) = (img.chains.last(), img.layers.last()) else {
            continue;
        };
        // Steps sharing a top layer (config-only steps) share its record: the first step made it, whatever
        // order the cache is walked in.
        by_chain
            .entry(chain)
            .and_modify(|r| r.created = r.created.min(img.created))
            .or_insert_with(|| DfCache {
                id: cache_id(chain),
                size: layer.size,
                created: img.created,
                shared: m.images.layers.contains_key(chain),
            });
    }
    let mut records: Vec<DfCache> = by_chain.into_values().collect();
    records.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
    records
}

/// A BuildKit-style record ID (25 lowercase base-36 characters) from a layer's chain ID.
fn cache_id(chain: &Digest) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    chain
        .hex()
        .as_bytes()
        .chunks(2)
        .take(25)
        .map(|pair| {
            let v = u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("0"), 16).unwrap_or(0);
            ALPHABET[usize::from(v) % 36] as char
        })
        .collect()
}

/// `docker stats`: the running containers (every one with `-a`, or the ones named).
pub fn stats(
    world: &World,
    host: &str,
    all: bool,
    names: &[String],
    (no_trunc, format): (bool, Option<&str>),
    out: &mut Outcome,
) {
    let m = &world.machines[host];
    let row = |c: &crate::model::container::Container| {
        let running = matches!(c.state, State::Running { .. } | State::Paused { .. });
        StatsRow {
            id: c.id.to_string(),
            name: c.name.to_string(),
            memory: if running { MEMORY_PER_PROCESS } else { 0 },
            pids: u32::from(running),
            running,
        }
    };
    let mut rows = Vec::new();
    let mut missing = Vec::new();
    if names.is_empty() {
        // The CLI lists containers in the daemon's `ps` order.
        for c in m.containers.newest_first() {
            if all || c.is_running() {
                rows.push(row(c));
            }
        }
    } else {
        for n in names {
            match m.containers.resolve(n) {
                Ok(id) => rows.push(row(&m.containers[&id])),
                Err(_) => missing.push(crate::event::DockerError::no_such_container(n.clone())),
            }
        }
    }
    if let Some(e) = missing.into_iter().next() {
        // The CLI checks every named container before it prints a frame.
        return out.error(e, 1);
    }
    out.push(Event::Stats(StatsListing {
        rows,
        limit: MACHINE_MEMORY,
        no_trunc,
        format: format.map(str::to_string),
    }));
}

/// `docker system prune [-a] [--volumes] [-f]`: stopped containers, unused networks, (anonymous unused
/// volumes,) dangling or unused images and build cache, in that order.
pub fn prune(
    world: &mut World,
    host: &str,
    (all, volumes, force): (bool, bool, bool),
    input: &Input,
    out: &mut Outcome,
) {
    if !force && !confirm(Prompt::PruneSystem { all, volumes }, input, out) {
        return;
    }
    let mut report = SystemPruneReport::default();
    let stopped: Vec<String> = world.machines[host]
        .containers
        .newest_first()
        .filter(|c| !c.is_running())
        .map(|c| c.id.to_string())
        .collect();
    report.reclaimed += stopped
        .iter()
        .map(|id| container_size(world, host, id))
        .sum::<u64>();
    report.containers = super::containers::remove_stopped(world, host);
    report.networks = super::networks::unused(world, host);
    world.machine(host).networks.clear();
    if volumes {
        report.volumes = super::volumes::prune(world, host, false);
    }
    let (images, freed) = super::images::remove_unused(world, host, all);
    report.images = images;
    report.reclaimed += freed;
    let records = build_cache(world, host);
    let victims: Vec<&DfCache> = records.iter().filter(|r| all || !r.shared).collect();
    report.reclaimed += victims
        .iter()
        .filter(|r| !r.shared)
        .map(|r| r.size)
        .sum::<u64>();
    report.build_cache = victims.iter().map(|r| r.id.clone()).collect();
    let m = world.machine(host);
    let gone: std::collections::HashSet<&str> = victims.iter().map(|r| r.id.as_str()).collect();
    m.build_cache.retain(|_, step| {
        step.state
            .chains
            .last()
            .is_none_or(|c| !gone.contains(cache_id(c).as_str()))
    });
    if all {
        m.base_cache.clear();
    }
    out.push(Event::SystemPruned(report));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Note;

    use crate::engine::run_test_line as run;

    #[test]
    fn stats_streams_unless_told_not_to() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run -d --name web busybox sleep 3600");
        let once = run(&mut w, "docker stats --no-stream");
        assert!(!once.events.iter().any(|e| matches!(e, Event::Note(_))));
        let Some(Event::Stats(l)) = once.events.first() else {
            panic!("{once:?}")
        };
        assert_eq!(l.rows.len(), 1);
        assert_eq!((l.rows[0].memory, l.rows[0].pids), (MEMORY_PER_PROCESS, 1));
        let stream = run(&mut w, "docker stats");
        assert!(stream.events.contains(&Event::Note(Note::StatsStreams)));
    }

    #[test]
    fn system_df_counts_a_shared_layer_once() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker tag busybox mybox");
        let out = run(&mut w, "docker system df");
        let Some(Event::DiskUsage(d)) = out.events.first() else {
            panic!("{out:?}")
        };
        assert_eq!(d.images.len(), 1);
        assert_eq!(d.layers_size, d.images[0].size);
        assert_eq!(d.images[0].shared, 0);
    }

    #[test]
    fn system_prune_removes_stopped_containers_and_user_networks() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run --name done busybox true");
        run(&mut w, "docker run -d --name web busybox sleep 3600");
        run(&mut w, "docker network create n1");
        let out = run(&mut w, "docker system prune -f");
        let Some(Event::SystemPruned(r)) = out.events.first() else {
            panic!("{out:?}")
        };
        assert_eq!(r.containers.len(), 1);
        assert_eq!(r.networks, vec!["n1".to_string()]);
        assert!(r.images.is_empty());
        assert_eq!(w.machines["default"].containers.len(), 1);
        // Without -f and without a yes, nothing goes.
        run(&mut w, "docker network create n2");
        run(&mut w, "docker system prune");
        assert!(w.machines["default"].networks.contains_key("n2"));
    }

    #[test]
    fn cache_ids_look_like_buildkit_records() {
        let id = cache_id(&Digest::of(b"x"));
        assert_eq!(id.len(), 25);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_eq!(id, cache_id(&Digest::of(b"x")));
    }

    #[test]
    fn info_counts_containers_by_state() {
        let mut w = World::default();
        w.machine("laptop");
        let mut out = Outcome::default();
        info(&w, "laptop", None, &mut out);
        let Some(Event::Info(r)) = out.events.first() else {
            panic!("{out:?}")
        };
        assert_eq!((r.containers, r.running, r.images), (0, 0, 0));
        assert_eq!(r.name, "laptop");
        assert_eq!(r.username, None);
    }
}
