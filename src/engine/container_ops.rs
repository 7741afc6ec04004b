//! Container commands that change or read one container without running anything: `rename`, `wait`,
//! `port`, `top`, and `commit` (a new image from a container).
//!
//! - A name is an index entry pointing at a container ID: `rename` moves the entry, and the daemon refuses a
//!   name another container holds (`Conflict. The container name "/x" is already in use …`), the same name,
//!   or one outside `[a-zA-Z0-9][a-zA-Z0-9_.-]`. The CLI prints the daemon's error and then its own
//!   `Error: failed to rename container named OLD`.
//! - `wait` returns once the container has stopped: a process that ends by itself (`sleep 5`) moves the
//!   clock to its end; one that never ends would block the terminal, which dockdrill says in a note.
//! - `port` lists the bindings of a running container (each `-p` is published on IPv4 and IPv6).
//! - `commit` makes an image of the container's image plus one layer with the container's changes, and the
//!   container's command as `Cmd`: a new image ID on this machine only (it is shared, like any image,
//!   through a push or a saved tarball).

use super::Outcome;
use crate::digest::Digest;
use crate::event::{DockerError, Event, Note, PortLine, TopRow};
use crate::model::container::State;
use crate::model::image::{HistoryEntry, Image, Layer};
use crate::model::machine::ResolveError;
use crate::model::world::World;
use crate::reference::ImageArg;
use std::sync::Arc;

pub(super) fn resolve(
    world: &World,
    host: &str,
    arg: &str,
) -> Result<crate::model::container::ContainerId, DockerError> {
    world.machines[host]
        .containers
        .resolve(arg)
        .map_err(|e| match e {
            ResolveError::NotFound => DockerError::no_such_container(arg),
            ResolveError::Ambiguous => DockerError::AmbiguousContainer {
                prefix: arg.to_string(),
            },
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
        return out.error(DockerError::RenameEmpty, 1);
    }
    if let Err(cause) = rename_in(world, host, old, new) {
        out.error(
            DockerError::RenameFailed {
                old: old.to_string(),
                cause: Box::new(cause),
            },
            1,
        );
    }
}

fn rename_in(world: &mut World, host: &str, old: &str, new: &str) -> Result<(), DockerError> {
    let id = resolve(world, host, old)?;
    let m = world.machine(host);
    let current = m.containers.get(&id).map(|c| c.name.clone());
    if current.as_deref() == Some(new) {
        return Err(DockerError::RenameSameName);
    }
    if !valid_name(new) {
        return Err(DockerError::NameAllocation {
            cause: Box::new(DockerError::InvalidContainerName {
                name: format!("/{new}"),
            }),
        });
    }
    if let Some(holder) = m.containers.named(new) {
        return Err(DockerError::NameAllocation {
            cause: Box::new(DockerError::NameInUse {
                name: new.to_string(),
                holder: holder.id.to_string(),
            }),
        });
    }
    m.containers.rename(&id, new);
    Ok(())
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
        let c = &world.machines[host].containers[&id];
        let auto_remove = c.auto_remove;
        let code = match c.state.clone() {
            State::Exited { code, .. } => Some(code),
            State::Running {
                ends_at: Some(at), ..
            } => {
                world.advance(at.saturating_sub(world.now));
                match world.machines[host].containers.get(&id).map(|c| &c.state) {
                    Some(State::Exited { code, .. }) => Some(*code),
                    // `--rm` removed it the moment it stopped; the daemon still answers the wait.
                    None if auto_remove => Some(0),
                    _ => None,
                }
            }
            _ => None,
        };
        match code {
            Some(code) => out.push(Event::ExitCode(code)),
            None => {
                out.note(Note::WaitBlocks {
                    container: arg.clone(),
                });
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

/// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`: the bindings of a running container, each `-p`
/// published on IPv4 and IPv6.
pub fn port(world: &mut World, host: &str, arg: &str, port: Option<&str>, out: &mut Outcome) {
    let id = match resolve(world, host, arg) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let c = &world.machines[host].containers[&id];
    let bindings = if c.is_running() { c.ports() } else { &[] };
    let wanted = match port {
        None => None,
        Some(spec) => {
            let (num, proto) = spec.split_once('/').unwrap_or((spec, ""));
            let proto = if proto.is_empty() { "tcp" } else { proto };
            match num.parse::<u16>() {
                Ok(n) => Some((n, proto.to_string())),
                Err(_) => {
                    return out.error(
                        DockerError::PortNumber {
                            port: num.to_string(),
                            out_of_range: num.parse::<u64>().is_ok(),
                        },
                        1,
                    );
                }
            }
        }
    };
    let mut lines = Vec::new();
    for b in bindings {
        if wanted
            .as_ref()
            .is_some_and(|(n, p)| b.container_port != *n || b.proto != *p)
        {
            continue;
        }
        let private = wanted
            .is_none()
            .then(|| format!("{}/{}", b.container_port, b.proto));
        for ip in [b.host_ip.as_str(), "::"] {
            lines.push(PortLine {
                private: private.clone(),
                host_ip: ip.to_string(),
                host_port: b.host_port,
            });
        }
    }
    match port {
        Some(spec) if lines.is_empty() => out.error(
            DockerError::PortNotPublished {
                spec: spec.to_string(),
                container: arg.to_string(),
            },
            1,
        ),
        _ if lines.is_empty() => {}
        _ => out.push(Event::Ports(lines)),
    }
}

/// The diff ID of an empty layer (an empty tar: 1024 zero bytes), what `commit` of an unchanged container
/// adds.
const EMPTY_LAYER: &str = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

/// `docker commit CONTAINER [REPOSITORY[:TAG]]`: a new image of the container's image plus one layer (its
/// changes; dockdrill's containers change no files, so the layer is empty), with the container's command.
/// What `docker commit` records besides the container's layer: `-m`, `-a` and the `-c` changes.
pub struct CommitMeta<'a> {
    pub message: Option<&'a str>,
    pub author: Option<&'a str>,
    pub changes: &'a [String],
}

pub fn commit(
    world: &mut World,
    host: &str,
    arg: &str,
    reference: Option<&ImageArg>,
    meta: CommitMeta<'_>,
    out: &mut Outcome,
) {
    let target = match reference.map(|r| r.parsed.clone()) {
        Some(Err(error)) => {
            return out.error(
                DockerError::InvalidReference {
                    error,
                    daemon: false,
                },
                1,
            );
        }
        Some(Ok(r)) => Some(r.with_default_tag()),
        None => None,
    };
    let id = match resolve(world, host, arg) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let now = world.now;
    let m = world.machine(host);
    let c = &m.containers[&id];
    let base = &c.image_data;
    let mut config = base.config.clone();
    if config.entrypoint.is_none() {
        config.cmd = Some(c.argv());
    }
    if let Some(env) = c.env_given() {
        config.env = env.to_vec();
    }
    let config = match super::commit_changes::apply(&config, meta.changes) {
        Ok(config) => config,
        Err(problem) => return out.error(DockerError::CommitChange(problem), 1),
    };
    let mut layers = base.layers.clone();
    // The container's own layer: what it wrote (`cp`, `exec`), or an empty tar when it wrote nothing.
    let (layer, files) = match super::changes::layer_of(m, &id, base) {
        Some((layer, seen)) => (Some(layer), Arc::clone(&seen.files)),
        None => (
            Digest::parse(EMPTY_LAYER).map(|d| Layer::new(d, 0)),
            Arc::clone(&base.files),
        ),
    };
    let size = layer.as_ref().map_or(0, |l| l.size);
    layers.extend(layer);
    let mut history = base.history.clone();
    history.push(HistoryEntry {
        created: now,
        created_by: c.argv().join(" "),
        empty_layer: false,
        comment: meta.message.unwrap_or_default().to_string(),
        size,
    });
    let image = Arc::new(
        Image::new(
            config,
            layers,
            history,
            now,
            files,
            Arc::clone(&base.programs),
        )
        .with_platform(base.platform.clone())
        .with_commit(
            meta.author.unwrap_or_default(),
            meta.message.unwrap_or_default(),
        ),
    );
    let image_id = image.id.clone();
    let parent = base.id.clone();
    // The classic store links a committed image to its parent (`docker history` names it, `rmi` of the
    // parent by ID sees a child).
    m.images.insert_child(image, Some(&parent));
    if let Some(t) = target.and_then(|r| r.tag_ref()) {
        m.images.set_tag(&t, &image_id, now);
    }
    out.push(Event::Committed(image_id));
}

/// `docker top CONTAINER`: the processes of a running container, as `ps -ef` inside it shows them.
pub fn top(world: &mut World, host: &str, arg: &str, ps_args: &[String], out: &mut Outcome) {
    let id = match resolve(world, host, arg) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let c = &world.machines[host].containers[&id];
    let started = match c.state {
        State::Running { started, .. } | State::Paused { started } => started,
        _ => return out.error(DockerError::NotRunning { id: id.to_string() }, 1),
    };
    // A host PID: repeatable, different per container.
    let seq = world.machines[host].containers.seq_of(&id).unwrap_or(0);
    let pid = 4000 + seq * 23;
    out.push(Event::Top(vec![TopRow {
        pid,
        ppid: pid - 22,
        started,
        tty: c.tty,
        command: c.argv().join(" "),
    }]));
    if !ps_args.is_empty() && ps_args != ["-ef"] {
        out.note(Note::TopOptions {
            options: ps_args.join(" "),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::engine::run_test_line as run;

    #[test]
    fn commit_adds_one_layer_on_the_containers_image_and_tags_it() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run -d --name web busybox sleep 3600");
        let o = run(&mut w, "docker commit -m snapshot web snap:1");
        let Some(Event::Committed(id)) = o.events.first() else {
            panic!("{o:?}")
        };
        let m = &w.machines["default"];
        let img = &m.images.images[id].image;
        let base = &m.images.lookup("busybox").unwrap().image;
        assert_eq!(img.layers.len(), base.layers.len() + 1);
        assert_eq!(img.layers[..base.layers.len()], base.layers[..]);
        assert_eq!(img.config.cmd, Some(vec!["sleep".into(), "3600".into()]));
        assert_eq!(
            img.history.last().map(|h| h.comment.as_str()),
            Some("snapshot")
        );
        assert_eq!(m.images.lookup("snap:1").map(|s| &s.image.id), Some(id));
    }

    #[test]
    fn commit_records_author_message_and_changes_and_refuses_a_run_change() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run -d --name web busybox sleep 3600");
        let o = run(
            &mut w,
            "docker commit -a bob -m msg -c 'ENV MODE=prod' -c 'CMD [\"echo\"]' web snap:1",
        );
        let Some(Event::Committed(id)) = o.events.first() else {
            panic!("{o:?}")
        };
        let img = &w.machines["default"].images.images[id].image;
        assert_eq!(img.author, "bob");
        assert_eq!(img.comment, "msg");
        assert!(img.config.env.contains(&"MODE=prod".to_string()));
        assert_eq!(img.config.cmd, Some(vec!["echo".to_string()]));
        let o = run(&mut w, "docker commit -c 'RUN echo no' web snap:2");
        assert_eq!(o.exit_code, 1);
        assert_eq!(
            o.refusal(),
            Some(&DockerError::CommitChange(
                crate::docker_error::ChangeProblem::NotAChange {
                    keyword: "run".into()
                }
            ))
        );
        assert!(w.machines["default"].images.lookup("snap:2").is_none());
    }

    #[test]
    fn top_with_ps_options_other_than_ef_says_their_columns_are_not_drawn() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run -d --name web busybox sleep 3600");
        let notes = |o: &Outcome| -> Vec<Note> {
            o.events
                .iter()
                .filter_map(|e| match e {
                    Event::Note(n) => Some(n.clone()),
                    _ => None,
                })
                .collect()
        };
        let o = run(&mut w, "docker top web -ef");
        assert!(notes(&o).is_empty(), "{o:?}");
        let o = run(&mut w, "docker top web aux");
        assert_eq!(
            notes(&o),
            vec![Note::TopOptions {
                options: "aux".into()
            }]
        );
    }

    #[test]
    fn top_of_a_stopped_container_is_refused() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run --name done busybox true");
        assert!(matches!(
            run(&mut w, "docker top done").refusal(),
            Some(DockerError::NotRunning { .. })
        ));
    }

    #[test]
    fn names_follow_the_daemon_rule() {
        assert!(valid_name("web2"));
        assert!(!valid_name("bad name"));
        assert!(!valid_name("-x"));
        assert!(!valid_name("a"));
    }

    #[test]
    fn a_rename_to_a_taken_name_is_refused_with_the_holder() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run -d --name web busybox sleep 3600");
        run(&mut w, "docker run -d --name other busybox sleep 3600");
        let holder = w.machines["default"]
            .containers
            .named("other")
            .expect("named")
            .id
            .to_string();
        let o = run(&mut w, "docker rename web other");
        assert_eq!(o.exit_code, 1);
        assert_eq!(
            o.refusal(),
            Some(&DockerError::RenameFailed {
                old: "web".into(),
                cause: Box::new(DockerError::NameAllocation {
                    cause: Box::new(DockerError::NameInUse {
                        name: "other".into(),
                        holder,
                    })
                })
            })
        );
        assert_eq!(run(&mut w, "docker rename web web2").exit_code, 0);
        let store = &w.machines["default"].containers;
        assert!(store.name_taken("web2") && !store.name_taken("web"));
        assert!(store.check_indexes().is_ok());
    }

    #[test]
    fn wait_moves_the_clock_to_the_end_of_a_process_that_ends() {
        let mut w = World::new();
        run(&mut w, "docker pull busybox");
        run(&mut w, "docker run -d --name short busybox sleep 30");
        let before = w.now;
        let o = run(&mut w, "docker wait short");
        assert!(o.events.contains(&Event::ExitCode(0)), "{o:?}");
        assert!(w.now >= before + 29);
    }

    #[test]
    fn port_lists_both_address_families_of_a_running_container() {
        let mut w = World::new();
        run(&mut w, "docker pull nginx");
        run(&mut w, "docker run -d --name web -p 8080:80 nginx");
        let o = run(&mut w, "docker port web 80");
        assert_eq!(
            o.events,
            vec![Event::Ports(vec![
                PortLine {
                    private: None,
                    host_ip: "0.0.0.0".into(),
                    host_port: 8080
                },
                PortLine {
                    private: None,
                    host_ip: "::".into(),
                    host_port: 8080
                },
            ])]
        );
        assert!(matches!(
            run(&mut w, "docker port web 81").refusal(),
            Some(DockerError::PortNotPublished { .. })
        ));
    }
}
