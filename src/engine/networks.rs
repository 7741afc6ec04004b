//! Networks. Every engine has three that cannot be removed — `bridge` (where containers go by default),
//! `host` and `none` — and `docker network create NAME` adds user-defined bridges, each on its own subnet
//! (`172.18.0.0/16`, then `172.19.0.0/16`, …). IDs are 64 hex digits; the default three get IDs derived
//! from the machine's name, so they read the same in every replay.
//!
//! Words from moby 28 `daemon/network.go` and libnetwork ("network with name X already exists",
//! "network X not found", "X is a pre-defined network and cannot be removed"), checked on the oracle where
//! it has them; the CLI sorts `network ls` by name and ends a failed `network rm` with `exit status 1`.

use super::Outcome;
use crate::digest::Digest;
use crate::event::{DockerError, Event, NetworkListing, NetworkMember, NetworkRow, Note};
use crate::model::objects::{Endpoint, Network};
use crate::model::world::World;

/// The networks every engine has: (name, driver).
pub const PREDEFINED: [(&str, &str); 3] =
    [("bridge", "bridge"), ("host", "host"), ("none", "null")];

/// The ID of predefined network `name` on `host`, derived from the machine's name (the same in every replay).
fn predefined_id(host: &str, name: &str) -> String {
    Digest::of(format!("dockdrill network {host} {name}").as_bytes())
        .hex()
        .to_string()
}

fn predefined_row(world: &World, host: &str, name: &str, driver: &str) -> NetworkRow {
    let id = predefined_id(host, name);
    let bridge = name == "bridge";
    NetworkRow {
        id,
        name: name.to_string(),
        driver: driver.to_string(),
        created: crate::clock::WORLD_EPOCH.min(world.now),
        subnet: if bridge {
            "172.17.0.0/16".into()
        } else {
            String::new()
        },
        gateway: if bridge {
            "172.17.0.1".into()
        } else {
            String::new()
        },
        default_bridge: bridge,
        containers: Vec::new(),
    }
}

fn user_row(n: &Network) -> NetworkRow {
    NetworkRow {
        id: n.id.clone(),
        name: n.name.clone(),
        driver: n.driver.clone(),
        created: n.created,
        subnet: format!("172.{}.0.0/16", n.subnet),
        gateway: format!("172.{}.0.1", n.subnet),
        default_bridge: false,
        containers: Vec::new(),
    }
}

/// Every network of `host`, in name order (as the CLI sorts them).
pub fn rows(world: &World, host: &str) -> Vec<NetworkRow> {
    let mut rows: Vec<NetworkRow> = PREDEFINED
        .iter()
        .map(|(n, d)| predefined_row(world, host, n, d))
        .collect();
    rows.extend(world.machines[host].networks.values().map(user_row));
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

/// What `run --network VALUE` joins: `None` for a network the daemon does not know (`network VALUE not
/// found`), `Some(true)` for the default bridge (what dockdrill models), `Some(false)` for any other.
/// `default` is the daemon's alias of `bridge`; `container:NAME` shares another container's stack.
pub fn joins(world: &World, host: &str, value: &str) -> Option<bool> {
    if value == "default" || value.starts_with("container:") {
        return Some(value == "default");
    }
    find(world, host, value).map(|r| r.name == "bridge")
}

/// The network a name, full ID or ID prefix names.
fn find(world: &World, host: &str, arg: &str) -> Option<NetworkRow> {
    // A name is a lookup (every container start asks for `bridge`); only an ID or prefix walks the list.
    if let Some((n, d)) = PREDEFINED.iter().find(|(n, _)| *n == arg) {
        return Some(predefined_row(world, host, n, d));
    }
    if let Some(n) = world.machines[host].networks.get(arg) {
        return Some(user_row(n));
    }
    let all = rows(world, host);
    if let Some(r) = all.iter().find(|r| r.name == arg || r.id == arg) {
        return Some(r.clone());
    }
    let mut prefixed = all.into_iter().filter(|r| r.id.starts_with(arg));
    match (prefixed.next(), prefixed.next()) {
        (Some(r), None) if !arg.is_empty() => Some(r),
        _ => None,
    }
}

/// `docker network ls`.
pub fn ls(
    world: &World,
    host: &str,
    (quiet, no_trunc): (bool, bool),
    filters: &[String],
    format: Option<&str>,
    path: &str,
    out: &mut Outcome,
) {
    let Some(filters) = super::parse_filters(
        filters,
        &["driver", "id", "label", "name", "scope", "type", "dangling"],
        path,
        out,
    ) else {
        return;
    };
    let rows = rows(world, host)
        .into_iter()
        .filter(|r| {
            filters.iter().all(|(k, v)| match k.as_str() {
                "driver" => r.driver == *v,
                "id" => r.id.starts_with(v.as_str()),
                "name" => r.name.contains(v.as_str()),
                "scope" => v == "local",
                "type" => match v.as_str() {
                    "builtin" => PREDEFINED.iter().any(|(n, _)| *n == r.name),
                    _ => !PREDEFINED.iter().any(|(n, _)| *n == r.name),
                },
                _ => false,
            })
        })
        .collect();
    out.push(Event::Networks(NetworkListing {
        rows,
        quiet,
        no_trunc,
        format: format.map(str::to_string),
    }));
}

/// `docker network create [-d DRIVER] NAME`.
pub fn create(world: &mut World, host: &str, name: &str, driver: Option<&str>, out: &mut Outcome) {
    match driver.unwrap_or("bridge") {
        "bridge" => {}
        d @ ("host" | "null") => {
            return out.error(
                DockerError::SingleInstanceNetwork {
                    driver: d.to_string(),
                },
                1,
            );
        }
        "overlay" => return out.error(DockerError::NotASwarmManager, 1),
        d @ ("ipvlan" | "macvlan") => {
            out.note(Note::NotSimulated {
                path: format!("network create -d {d}"),
            });
            out.exit_code = 1;
            return;
        }
        d => {
            return out.error(
                DockerError::NoSuchNetworkDriver {
                    driver: d.to_string(),
                },
                1,
            );
        }
    }
    if find(world, host, name).is_some_and(|r| r.name == name) {
        return out.error(
            DockerError::NetworkExists {
                name: name.to_string(),
            },
            1,
        );
    }
    let id = world.new_container_id(host);
    let now = world.now;
    let m = world.machine(host);
    // The first free /16 after the default bridge's 172.17.
    let subnet = (18u8..=31)
        .find(|s| m.networks.values().all(|n| n.subnet != *s))
        .unwrap_or(31);
    m.networks.insert(
        name.to_string(),
        Network {
            name: name.to_string(),
            id: id.clone(),
            driver: "bridge".into(),
            created: now,
            subnet,
        },
    );
    out.push(Event::Named(id));
}

/// `docker network rm [-f] NAME...`.
pub fn rm(world: &mut World, host: &str, force: bool, names: &[String], out: &mut Outcome) {
    let mut failed = false;
    for n in names {
        match find(world, host, n) {
            Some(r) if PREDEFINED.iter().any(|(p, _)| *p == r.name) => {
                out.push(Event::Error(DockerError::PredefinedNetwork {
                    name: r.name,
                }));
                failed = true;
            }
            Some(r) => {
                // Running containers hold endpoints on it; a stopped one keeps only its setting.
                let busy = members(world, host, &r);
                if !busy.is_empty() {
                    out.push(Event::Error(DockerError::NetworkHasEndpoints {
                        network: r.name,
                        endpoints: busy
                            .iter()
                            .map(|c| (c.name.clone(), c.endpoint.endpoint_id(&c.id)))
                            .collect(),
                    }));
                    failed = true;
                    continue;
                }
                let m = world.machine(host);
                m.networks.remove(&r.name);
                m.network_members.remove(&r.name);
                out.push(Event::Named(n.clone()));
            }
            None if force => {}
            None => {
                out.push(Event::Error(DockerError::NoSuchNetwork { name: n.clone() }));
                failed = true;
            }
        }
    }
    if failed {
        out.push(Event::ExitStatus(1));
        out.exit_code = 1;
    }
}

/// `docker network inspect NAME...`.
pub fn inspect(
    world: &World,
    host: &str,
    names: &[String],
    format: Option<&str>,
    out: &mut Outcome,
) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for n in names {
        match find(world, host, n) {
            Some(mut r) => {
                r.containers = members(world, host, &r);
                found.push(r)
            }
            None => missing.push(DockerError::NoSuchNetwork { name: n.clone() }),
        }
    }
    out.push(Event::NetworkInspect {
        networks: found,
        format: format.map(str::to_string),
    });
    for e in missing {
        out.error(e, 1);
    }
}

/// User-defined networks no container was connected to with `docker network connect`, in name order.
pub fn unused(world: &World, host: &str) -> Vec<String> {
    let m = &world.machines[host];
    m.networks
        .keys()
        .filter(|n| m.network_members.get(*n).is_none_or(|c| c.is_empty()))
        .cloned()
        .collect()
}

/// The names of the networks container `c` is attached to, in name order.
pub fn names_of(c: &crate::model::container::Container) -> Vec<String> {
    let mut names: Vec<String> = c.networks.keys().map(str::to_string).collect();
    if !c.left_primary() {
        names.push(
            c.network()
                .map(str::to_string)
                .unwrap_or_else(|| "bridge".to_string()),
        );
    }
    names.sort();
    names.dedup();
    names
}

/// The running containers `network connect` put on network `r`, in container-ID order.
fn members(world: &World, host: &str, r: &NetworkRow) -> Vec<NetworkMember> {
    let m = &world.machines[host];
    let Some(ids) = m.network_members.get(&r.name) else {
        return Vec::new();
    };
    ids.hosts
        .keys()
        .filter_map(|k| m.containers.by_key(*k))
        .filter(|c| c.is_running())
        .filter_map(|c| {
            Some(NetworkMember {
                id: c.id.to_string(),
                name: c.name.to_string(),
                endpoint: c.networks.get(&r.name)?.clone(),
            })
        })
        .collect()
}

/// Gives container `id` its endpoints as it starts: on the default bridge (a new address each start, freed
/// at stop) unless it left it, and once on the user network its `--network` names (it is then on that
/// network only, as `network connect` would have put it).
pub fn join_at_start(world: &mut World, host: &str, id: &str) {
    let Some(c) = world.machines[host].containers.get(id) else {
        return;
    };
    let on_bridge = matches!(c.network(), None | Some("bridge" | "default"));
    if on_bridge {
        if !c.left_primary() && !c.networks.contains_key("bridge") {
            // Every start joins the bridge: its ID is hashed once per machine, then shared by its members.
            let known = world.machines[host]
                .network_members
                .get("bridge")
                .and_then(|m| m.known_id().cloned());
            let network_id = known.unwrap_or_else(|| predefined_id(host, "bridge").into());
            attach(world, host, id, "bridge", &network_id, &[]);
        }
        return;
    }
    let Some(r) = c.network().and_then(|n| find(world, host, n)) else {
        return;
    };
    if PREDEFINED.iter().any(|(p, _)| *p == r.name)
        || c.left_primary()
        || c.networks.contains_key(&r.name)
    {
        return;
    }
    attach(world, host, id, &r.name, &r.id, &[]);
    if let Some(c) = world.machine(host).containers.get_mut(id) {
        c.rare.get_mut().left_primary = true;
    }
}

/// A stopped container gives its default-bridge address back (the next start may get another).
pub fn leave_at_stop(world: &mut World, host: &str, id: &str) {
    let m = world.machine(host);
    let Some(c) = m.containers.get(id) else {
        return;
    };
    if !c.networks.contains_key("bridge") {
        return;
    }
    if let Some(members) = m.network_members.get_mut("bridge") {
        members.release(id);
    }
    if let Some(c) = m.containers.get_mut(id) {
        c.networks.remove("bridge");
    }
}

/// Puts container `id` on network `r` at the lowest free address after the gateway (`.1`), as IPAM does.
fn attach(
    world: &mut World,
    host: &str,
    id: &str,
    name: &str,
    network_id: &str,
    aliases: &[String],
) {
    let m = world.machine(host);
    // The second octet of the network's subnet (`172.X.0.0/16`; the default bridge's is 17).
    let subnet = m.networks.get(name).map_or(17, |n| n.subnet);
    if m.containers.get(id).is_none() {
        return;
    }
    if !m.network_members.contains_key(name) {
        m.network_members
            .insert(name.to_string(), Default::default());
    }
    let Some(members) = m.network_members.get_mut(name) else {
        return;
    };
    let Some(host_no) = members.take(id) else {
        return;
    };
    let network_id = members.shared_id(network_id);
    let name = members.shared_name(name);
    let endpoint = Endpoint {
        network_id,
        aliases: aliases.into(),
        subnet,
        host: host_no,
    };
    if let Some(c) = m.containers.get_mut(id) {
        c.networks.insert(name, endpoint);
    }
}

/// `docker network connect [--alias A] NETWORK CONTAINER`: the daemon finds the container first, then the
/// network; a container is on a network once (its creation network counts).
pub fn connect(
    world: &mut World,
    host: &str,
    network: &str,
    container: &str,
    aliases: &[String],
    out: &mut Outcome,
) {
    let id = match super::container_ops::resolve(world, host, container) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let Some(r) = find(world, host, network) else {
        return out.error(
            DockerError::NoSuchNetwork {
                name: network.to_string(),
            },
            1,
        );
    };
    let m = &world.machines[host];
    let c = &m.containers[&id];
    if r.name == "host" || c.network() == Some("host") {
        return out.error(DockerError::HostNetworkConflict, 1);
    }
    // `none` is a container's only network (oracle); one on no network at all is not modelled.
    if r.name == "none" {
        if super::networks::names_of(c).is_empty() {
            out.note(Note::NotSimulated {
                path: "network connect none".into(),
            });
            out.exit_code = 1;
        } else {
            out.error(DockerError::NoneNetworkConflict, 1);
        }
        return;
    }
    let primary = c.network().unwrap_or("bridge");
    let primary = if primary == "default" {
        "bridge"
    } else {
        primary
    };
    if c.networks.contains_key(&r.name) || (!c.left_primary() && primary == r.name) {
        return out.error(
            DockerError::EndpointExists {
                container: c.name.to_string(),
                network: r.name.clone(),
            },
            1,
        );
    }
    attach(world, host, &id, &r.name, &r.id, aliases);
}

/// `docker network disconnect [-f] NETWORK CONTAINER`.
pub fn disconnect(
    world: &mut World,
    host: &str,
    network: &str,
    container: &str,
    force: bool,
    out: &mut Outcome,
) {
    let id = match super::container_ops::resolve(world, host, container) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let found = find(world, host, network);
    let c = &world.machines[host].containers[&id];
    let running = c.is_running();
    // A running container needs the network to exist (unless forced); a stopped one is looked up by name.
    if running && found.is_none() && !force {
        return out.error(
            DockerError::NoSuchNetwork {
                name: network.to_string(),
            },
            1,
        );
    }
    let name = found.map_or_else(|| network.to_string(), |r| r.name);
    let primary = c.network().unwrap_or("bridge");
    let primary = if primary == "default" {
        "bridge"
    } else {
        primary
    };
    if name == "host" && primary == "host" {
        return out.error(DockerError::HostNetworkConflict, 1);
    }
    let on_primary = !c.left_primary() && primary == name;
    if !on_primary && !c.networks.contains_key(&name) {
        return out.error(
            DockerError::NotConnected {
                id: id.to_string(),
                network: network.to_string(),
                stopped: !running,
            },
            1,
        );
    }
    let m = world.machine(host);
    if let Some(members) = m.network_members.get_mut(&name) {
        members.release(&id);
    }
    if let Some(c) = m.containers.get_mut(&id) {
        if on_primary {
            c.rare.get_mut().left_primary = true;
        }
        c.networks.remove(&name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        let mut w = World::default();
        w.machine("m");
        w
    }

    #[test]
    fn the_default_networks_are_always_there_and_stay() {
        let mut w = world();
        let names: Vec<String> = rows(&w, "m").into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["bridge", "host", "none"]);
        let mut out = Outcome::default();
        rm(&mut w, "m", false, &["bridge".to_string()], &mut out);
        assert_eq!(
            out.refusal(),
            Some(&DockerError::PredefinedNetwork {
                name: "bridge".into()
            })
        );
        assert_eq!(out.exit_code, 1);
        // The same ID in every replay.
        assert_eq!(rows(&w, "m")[0].id, rows(&world(), "m")[0].id);
    }

    #[test]
    fn user_networks_get_their_own_subnet_and_unique_names() {
        let mut w = world();
        let mut out = Outcome::default();
        create(&mut w, "m", "front", None, &mut out);
        create(&mut w, "m", "back", None, &mut out);
        assert_eq!(out.exit_code, 0);
        let subnets: Vec<String> = rows(&w, "m")
            .into_iter()
            .filter(|r| r.name == "front" || r.name == "back")
            .map(|r| r.subnet)
            .collect();
        assert_eq!(subnets, ["172.19.0.0/16", "172.18.0.0/16"]);
        let mut out = Outcome::default();
        create(&mut w, "m", "front", None, &mut out);
        assert_eq!(
            out.refusal(),
            Some(&DockerError::NetworkExists {
                name: "front".into()
            })
        );
        let mut out = Outcome::default();
        create(&mut w, "m", "bridge", None, &mut out);
        assert!(matches!(
            out.refusal(),
            Some(DockerError::NetworkExists { .. })
        ));
        let mut out = Outcome::default();
        rm(&mut w, "m", false, &["front".to_string()], &mut out);
        assert_eq!(out.events, vec![Event::Named("front".into())]);
    }

    use crate::engine::run_test_line as line;

    fn refusal(out: &Outcome) -> Option<&DockerError> {
        out.events.iter().find_map(|e| match e {
            Event::Error(e) => Some(e),
            _ => None,
        })
    }

    /// A container is on a network once; it gets the next free address; a network with running
    /// containers on it cannot be removed; disconnecting twice is refused with the container's ID.
    #[test]
    fn connect_and_disconnect() {
        let mut w = World::new();
        line(&mut w, "docker pull -q busybox");
        line(&mut w, "docker run -d --name aa busybox sleep 100");
        line(&mut w, "docker run -d --name bb busybox sleep 100");
        line(&mut w, "docker network create n1");
        assert_eq!(line(&mut w, "docker network connect n1 aa").exit_code, 0);
        assert_eq!(
            line(&mut w, "docker network connect --alias web n1 bb").exit_code,
            0
        );
        let out = line(&mut w, "docker network connect n1 aa");
        assert!(
            matches!(refusal(&out), Some(DockerError::EndpointExists { container, network })
            if container == "aa" && network == "n1")
        );
        let b = &w.machines["default"]
            .containers
            .get(
                &w.machines["default"]
                    .containers
                    .named("bb")
                    .expect("named")
                    .id
                    .clone(),
            )
            .cloned();
        let ep = &b.as_ref().map(|c| c.networks["n1"].clone());
        assert_eq!(
            ep.as_ref().map(|e| e.address()),
            Some("172.18.0.3".to_string())
        );
        assert_eq!(
            ep.as_ref().map(|e| e.aliases.clone()),
            Some(vec!["web".to_string()].into())
        );
        let out = line(&mut w, "docker network rm n1");
        assert!(
            matches!(refusal(&out), Some(DockerError::NetworkHasEndpoints { endpoints, .. }) if endpoints.len() == 2)
        );
        line(&mut w, "docker network disconnect n1 aa");
        let out = line(&mut w, "docker network disconnect n1 aa");
        assert!(matches!(
            refusal(&out),
            Some(DockerError::NotConnected { stopped: false, .. })
        ));
        line(&mut w, "docker rm -f bb");
        assert_eq!(line(&mut w, "docker network rm n1").exit_code, 0);
        let out = line(&mut w, "docker network connect host aa");
        assert_eq!(refusal(&out), Some(&DockerError::HostNetworkConflict));
        let out = line(&mut w, "docker network connect none aa");
        assert_eq!(refusal(&out), Some(&DockerError::NoneNetworkConflict));
    }

    /// `run --network NET` puts the container on that user network only, at its first start.
    #[test]
    fn run_network_joins_at_start() {
        let mut w = World::new();
        line(&mut w, "docker pull -q busybox");
        line(&mut w, "docker network create n1");
        line(
            &mut w,
            "docker create --name cc --network n1 busybox sleep 100",
        );
        let m = &w.machines["default"];
        let id = m.containers.named("cc").expect("named").id.clone();
        assert!(m.containers[&id].networks.is_empty());
        line(&mut w, "docker start cc");
        let c = w.machines["default"].containers[&id].clone();
        assert_eq!(names_of(&c), vec!["n1".to_string()]);
        assert_eq!(c.networks["n1"].address(), "172.18.0.2");
        let out = line(&mut w, "docker network connect n1 cc");
        assert!(matches!(
            refusal(&out),
            Some(DockerError::EndpointExists { .. })
        ));
    }

    /// A running container on the default bridge holds the lowest free `172.17.0.N`; stopping frees it.
    #[test]
    fn the_default_bridge_hands_out_addresses_while_running() {
        let mut w = World::new();
        line(&mut w, "docker pull -q busybox");
        line(&mut w, "docker run -d --name aa busybox sleep 100");
        line(&mut w, "docker run -d --name bb busybox sleep 100");
        let addr = |w: &World, name: &str| {
            let m = &w.machines["default"];
            m.containers
                .named(name)
                .expect("named")
                .networks
                .get("bridge")
                .map(Endpoint::address)
        };
        assert_eq!(addr(&w, "bb"), Some("172.17.0.3".to_string()));
        line(&mut w, "docker stop -t 0 aa");
        assert_eq!(addr(&w, "aa"), None);
        line(&mut w, "docker run -d --name cc busybox sleep 100");
        assert_eq!(addr(&w, "cc"), Some("172.17.0.2".to_string()));
        line(&mut w, "docker network disconnect bridge cc");
        let out = line(&mut w, "docker network disconnect bridge cc");
        assert!(matches!(
            refusal(&out),
            Some(DockerError::NotConnected { .. })
        ));
    }
}
