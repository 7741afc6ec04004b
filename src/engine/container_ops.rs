//! Container commands that change or read one container without running anything: `rename`, `wait`, `port`.
//!
//! - A name is an index entry pointing at a container ID: `rename` moves the entry, and the daemon refuses a
//!   name another container holds (`Conflict. The container name "/x" is already in use …`), the same name,
//!   or one outside `[a-zA-Z0-9][a-zA-Z0-9_.-]`. The CLI prints the daemon's error and then its own
//!   `Error: failed to rename container named OLD`.
//! - `wait` returns once the container has stopped: a process that ends by itself (`sleep 5`) moves the
//!   clock to its end; one that never ends would block the terminal, which dockdrill says in a note.
//! - `port` lists the bindings of a running container (each `-p` is published on IPv4 and IPv6).

use super::Outcome;
use crate::event::{DockerError, Event};
use crate::model::container::{State, Stream};
use crate::model::machine::ResolveError;
use crate::model::world::World;

fn resolve(world: &World, host: &str, arg: &str) -> Result<String, DockerError> {
    world.machines[host]
        .containers
        .resolve(arg)
        .map_err(|e| match e {
            ResolveError::NotFound => DockerError::no_such_container(arg),
            ResolveError::Ambiguous => {
                DockerError::daemon(format!("multiple IDs found with provided prefix: {arg}"))
            }
        })
}

/// The daemon's container-name rule (`daemon/names.go`: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`).
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// `docker rename OLD NEW`.
pub fn rename(world: &mut World, host: &str, old: &str, new: &str, out: &mut Outcome) {
    let (old, new) = (old.trim(), new.trim());
    if old.is_empty() || new.is_empty() {
        out.error(
            DockerError::plain("Error: Neither old nor new names may be empty"),
            1,
        );
        return;
    }
    let refused = match resolve(world, host, old) {
        Err(e) => Some(e),
        Ok(id) => {
            let m = world.machine(host);
            let current = m.containers.by_id.get(&id).map(|c| c.name.clone());
            let holder = m.containers.names.get(new).cloned();
            if current.as_deref() == Some(new) {
                Some(DockerError::daemon(
                    "Renaming a container with the same name as its current name",
                ))
            } else if !valid_name(new) {
                Some(DockerError::daemon(format!(
                    "Error when allocating new name: Invalid container name (/{new}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
                )))
            } else if let Some(holder) = holder {
                Some(DockerError::daemon(format!(
                    "Error when allocating new name: Conflict. The container name \"/{new}\" is already in use by container \"{holder}\". You have to remove (or rename) that container to be able to reuse that name."
                )))
            } else {
                if let Some(c) = m.containers.by_id.get_mut(&id) {
                    m.containers.names.remove(&c.name);
                    c.name = new.to_string();
                }
                m.containers.names.insert(new.to_string(), id);
                None
            }
        }
    };
    if let Some(e) = refused {
        out.error(e, 1);
        out.error(
            DockerError::plain(format!("Error: failed to rename container named {old}")),
            1,
        );
    }
}

/// `docker wait CONTAINER...`: prints each exit code; errors come after, as `errors.Join` prints them.
pub fn wait(world: &mut World, host: &str, args: &[String], out: &mut Outcome) {
    let mut errors = Vec::new();
    for arg in args {
        let id = match resolve(world, host, arg) {
            Ok(id) => id,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let state = world.machines[host].containers.by_id[&id].state.clone();
        let code = match state {
            State::Exited { code, .. } => Some(code),
            State::Running {
                ends_at: Some(at), ..
            } => {
                let auto_remove = world.machines[host].containers.by_id[&id].auto_remove;
                world.advance(at.saturating_sub(world.now));
                match world.machines[host]
                    .containers
                    .by_id
                    .get(&id)
                    .map(|c| &c.state)
                {
                    Some(State::Exited { code, .. }) => Some(*code),
                    // `--rm` removed it the moment it stopped; the daemon still answers the wait.
                    None if auto_remove => Some(0),
                    _ => None,
                }
            }
            _ => None,
        };
        match code {
            Some(code) => out.out(format!("{code}\n")),
            None => {
                out.note(format!(
                    "`docker wait {arg}` would block until the container stops, and its process never ends by itself: stop it from another terminal (`docker stop {arg}`)"
                ));
                break;
            }
        }
    }
    let failed = !errors.is_empty();
    for e in errors {
        out.push(Event::Error(e));
    }
    if failed {
        out.exit_code = 1;
    }
}

/// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`.
pub fn port(world: &mut World, host: &str, arg: &str, port: Option<&str>, out: &mut Outcome) {
    let id = match resolve(world, host, arg) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let c = &world.machines[host].containers.by_id[&id];
    let bindings: Vec<_> = if c.is_running() {
        c.ports.clone()
    } else {
        Vec::new()
    };
    let mut lines = Vec::new();
    match port {
        Some(spec) => {
            let (num, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
            let proto = if proto.is_empty() { "tcp" } else { proto };
            let Ok(n) = num.parse::<u16>() else {
                let why = if num.parse::<u64>().is_ok() {
                    "value out of range"
                } else {
                    "invalid syntax"
                };
                return out.error(
                    DockerError::plain(format!(
                        "Error: invalid port ({num}): strconv.ParseUint: parsing \"{num}\": {why}"
                    )),
                    1,
                );
            };
            for b in bindings
                .iter()
                .filter(|b| b.container_port == n && b.proto == proto)
            {
                lines.push(format!("{}:{}", b.host_ip, b.host_port));
                lines.push(format!("[::]:{}", b.host_port));
            }
            if lines.is_empty() {
                return out.error(
                    DockerError::plain(format!(
                        "Error: No public port '{spec}' published for {arg}"
                    )),
                    1,
                );
            }
        }
        None => {
            for b in &bindings {
                let from = format!("{}/{}", b.container_port, b.proto);
                lines.push(format!("{from} -> {}:{}", b.host_ip, b.host_port));
                lines.push(format!("{from} -> [::]:{}", b.host_port));
            }
        }
    }
    lines.sort_by(|a, b| natural_cmp(a, b));
    if !lines.is_empty() {
        out.push(Event::Text {
            stream: Stream::Stdout,
            text: lines.iter().map(|l| format!("{l}\n")).collect(),
        });
    }
}

/// `sortorder.NaturalLess`: runs of digits compare as numbers, the rest byte by byte.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let na = String::from_utf8_lossy(&a[..da])
                    .parse::<u64>()
                    .unwrap_or(0);
                let nb = String::from_utf8_lossy(&b[..db])
                    .parse::<u64>()
                    .unwrap_or(0);
                if na != nb {
                    return na.cmp(&nb);
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_sort_naturally() {
        let mut v = vec!["8080/tcp -> x", "443/tcp -> x", "80/tcp -> x"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["80/tcp -> x", "443/tcp -> x", "8080/tcp -> x"]);
    }

    #[test]
    fn names_follow_the_daemon_rule() {
        assert!(valid_name("web2"));
        assert!(!valid_name("bad name"));
        assert!(!valid_name("-x"));
        assert!(!valid_name("a"));
    }
}
