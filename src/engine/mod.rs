//! The rules of Docker, applied to the world. `World::execute` takes one typed command on one machine and
//! returns what happened as events; it never prints, reads files or looks at the wall clock.
//!
//! The rules that matter most for a learner, and where they live:
//! - `--rm` removes a container the moment it stops, however it stops (`containers::finish`).
//! - `docker run` uses a local image when one has the name, even if the registry has moved on
//!   (`containers::resolve_run_image`); only `pull` or `--pull=always` fetch the new one.
//! - a push sends only the layers the registry lacks, and mounts what another repository already has
//!   (`distribution::push`).
//! - images are shared through registries only; containers never leave their machine.

mod build;
mod buildx;
mod changes;
mod commit_changes;
mod container_ops;
mod containers;
mod distribution;
mod image_tree;
mod images;
mod inspect;
mod manifest;
mod networks;
mod search;
mod signal;
mod system;
pub mod transfer;
mod until;
mod volumes;

use crate::clock::STEP;
use crate::command::flags::FlagError;
use crate::command::{Command, Invocation};
use crate::event::{DockerError, Event, Note, Prompt};
use crate::model::world::World;

pub use build::WORKDIR;

/// The object types `docker inspect --type` takes.
pub fn inspect_types() -> &'static [&'static str] {
    inspect::TYPES
}
pub use distribution::{RegistryAccess, is_loopback, registry_status};

/// What a command may read besides its arguments.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// Standard input (`--password-stdin`, prune prompts); `None` reads as empty.
    pub stdin: Option<String>,
    /// Is the user at a terminal? (`-it` needs one.)
    pub tty: bool,
}

/// The result of one command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Event>,
    pub exit_code: i32,
}

impl Outcome {
    fn push(&mut self, e: Event) {
        self.events.push(e);
    }

    fn error(&mut self, e: DockerError, code: i32) {
        self.events.push(Event::Error(e));
        self.exit_code = code;
    }

    /// A flag value Docker's CLI rejects: its message, the usage line, exit 125.
    fn usage_error(&mut self, path: &str, error: FlagError) {
        let e = crate::command::value_error(path, error);
        self.exit_code = e.exit_code();
        self.events.push(Event::Usage(e));
    }

    fn note(&mut self, note: Note) {
        self.events.push(Event::Note(note));
    }

    /// The first refusal among the events, if any (what `explain` explains).
    pub fn refusal(&self) -> Option<&DockerError> {
        self.events.iter().find_map(|e| match e {
            Event::Error(e) | Event::RunFailed { error: e, .. } => Some(e),
            _ => None,
        })
    }
}

impl World {
    /// Runs one docker command on machine `host` (created on first use) and advances the clock.
    pub fn execute(&mut self, host: &str, invocation: &Invocation, input: &Input) -> Outcome {
        if !self.machines.contains_key(host) {
            self.machine(host);
        }
        self.settle();
        let mut out = Outcome::default();
        match &invocation.command {
            Command::Help(text) => out.push(Event::Help(text)),
            Command::Version { format } => out.push(Event::Version {
                format: format.clone(),
                arch: self.machines[host].platform.architecture.clone(),
            }),
            Command::Build(b) => {
                if !buildx::build(self, host, b, &mut out) {
                    build::build(self, host, b, &mut out)
                }
            }
            Command::Buildx(b) => buildx::buildx(self, host, b, &mut out),
            Command::Manifest(m) => manifest::manifest(self, host, m, &mut out),
            Command::ImagesTree {
                all,
                filter,
                reference,
            } => image_tree::tree(self, host, (*all, filter, reference), &mut out),
            Command::Images { .. } => {
                images::images(self, host, &invocation.command, &invocation.path, &mut out)
            }
            Command::Ps { .. } => {
                containers::ps(self, host, &invocation.command, &invocation.path, &mut out)
            }
            Command::Run(r) => containers::run(self, host, r, &invocation.path, input, &mut out),
            Command::Start { attach, containers } => {
                containers::start(self, host, *attach, containers, &mut out)
            }
            Command::Stop {
                timeout,
                signal,
                containers,
            } => containers::stop(
                self,
                host,
                (*timeout, signal.as_deref()),
                containers,
                &mut out,
            ),
            Command::Restart {
                timeout,
                containers,
            } => containers::restart(self, host, *timeout, containers, &mut out),
            Command::Kill { signal, containers } => {
                containers::kill(self, host, signal.as_deref(), containers, &mut out)
            }
            Command::Pause { containers } => {
                containers::pause(self, host, containers, true, &mut out)
            }
            Command::Unpause { containers } => {
                containers::pause(self, host, containers, false, &mut out)
            }
            Command::Rm {
                force,
                link,
                volumes,
                containers,
            } => containers::rm(self, host, (*force, *link, *volumes), containers, &mut out),
            Command::Rmi { force, images } => images::rmi(self, host, *force, images, &mut out),
            Command::Tag { source, target } => images::tag(self, host, source, target, &mut out),
            Command::Logs { container, .. } => {
                containers::logs(self, host, container, &invocation.command, &mut out)
            }
            Command::Inspect {
                of_type: Some(t), ..
            } if !inspect::TYPES.contains(&t.as_str()) => {
                out.error(DockerError::InspectType { value: t.clone() }, 1)
            }
            Command::Inspect {
                kind,
                names,
                format,
                size,
                ..
            } => inspect::inspect(self, host, *kind, names, (format.as_ref(), *size), &mut out),
            Command::History {
                image,
                quiet,
                no_trunc,
                format,
                human,
            } => images::history(
                self,
                host,
                image,
                (*quiet, *no_trunc, format.clone(), *human),
                &mut out,
            ),
            Command::ImagePrune { all, force, filter } => {
                let prompt = if *all {
                    Prompt::PruneAllImages
                } else {
                    Prompt::PruneDanglingImages
                };
                if let Some(f) = prune_filters(
                    self,
                    filter,
                    &["dangling", "label", "label!", "until"],
                    &invocation.path,
                    (*force, prompt),
                    input,
                    &mut out,
                ) {
                    images::prune(self, host, *all, &f, &mut out)
                }
            }
            Command::ContainerPrune { force, filter } => {
                if let Some(f) = prune_filters(
                    self,
                    filter,
                    &["label", "label!", "until"],
                    &invocation.path,
                    (*force, Prompt::PruneContainers),
                    input,
                    &mut out,
                ) {
                    containers::prune(self, host, &f, &mut out)
                }
            }
            Command::Pull {
                reference,
                all_tags,
                quiet,
                platform,
            } => distribution::pull_command(
                self,
                host,
                reference,
                (*all_tags, *quiet),
                platform.as_deref(),
                &mut out,
            ),
            Command::Push {
                reference,
                all_tags,
                quiet,
            } => distribution::push_command(self, host, reference, *all_tags, *quiet, &mut out),
            Command::Login {
                server,
                username,
                password,
                password_stdin,
            } => distribution::login(
                self,
                host,
                server.as_deref(),
                username.as_deref(),
                password.as_deref(),
                *password_stdin,
                input,
                &mut out,
            ),
            Command::Logout { server } => {
                distribution::logout(self, host, server.as_deref(), &mut out)
            }
            Command::Exec {
                container,
                command,
                env,
                interactive,
                tty,
                detach,
                user,
                workdir,
            } => containers::exec(
                self,
                host,
                container,
                command,
                env,
                (*interactive, *tty, *detach),
                (user.as_deref(), workdir.as_deref()),
                input,
                &mut out,
            ),
            Command::Save { images, output } => {
                transfer::save_command(self, host, images, output.as_deref(), input, &mut out)
            }
            Command::Load { input: file, .. } => {
                transfer::load_command(self, host, file.as_deref(), input, &mut out)
            }
            Command::Rename { old, new } => container_ops::rename(self, host, old, new, &mut out),
            Command::Wait { containers } => container_ops::wait(self, host, containers, &mut out),
            Command::Commit {
                container,
                reference,
                message,
                author,
                changes,
            } => container_ops::commit(
                self,
                host,
                container,
                reference.as_ref(),
                container_ops::CommitMeta {
                    message: message.as_deref(),
                    author: author.as_deref(),
                    changes,
                },
                &mut out,
            ),
            Command::Top { container, ps_args } => {
                container_ops::top(self, host, container, ps_args, &mut out)
            }
            Command::Port { container, port } => {
                container_ops::port(self, host, container, port.as_deref(), &mut out)
            }
            Command::Cp { source, dest } => changes::cp(self, host, source, dest, input, &mut out),
            Command::Diff { container } => changes::diff(self, host, container, &mut out),
            Command::Stats {
                all,
                no_stream,
                no_trunc,
                format,
                containers,
            } => {
                system::stats(
                    self,
                    host,
                    *all,
                    containers,
                    (*no_trunc, format.as_deref()),
                    &mut out,
                );
                if !*no_stream && out.exit_code == 0 {
                    out.note(Note::StatsStreams);
                }
            }
            Command::Info { format } => system::info(self, host, format.as_deref(), &mut out),
            Command::SystemDf { verbose, format } => {
                system::df(self, host, *verbose, format.as_deref(), &mut out)
            }
            Command::SystemPrune {
                all,
                force,
                volumes,
            } => system::prune(self, host, (*all, *volumes, *force), input, &mut out),
            Command::Search {
                term,
                limit,
                filter,
                format,
                no_trunc,
            } => search::search(
                self,
                term,
                *limit,
                filter,
                (*no_trunc, format.as_deref()),
                &invocation.path,
                &mut out,
            ),
            Command::NetworkLs {
                quiet,
                no_trunc,
                filter,
                format,
            } => networks::ls(
                self,
                host,
                (*quiet, *no_trunc),
                filter,
                format.as_deref(),
                &invocation.path,
                &mut out,
            ),
            Command::NetworkCreate { name, driver } => {
                networks::create(self, host, name, driver.as_deref(), &mut out)
            }
            Command::NetworkRm { force, networks } => {
                networks::rm(self, host, *force, networks, &mut out)
            }
            Command::NetworkConnect {
                network,
                container,
                aliases,
            } => networks::connect(self, host, network, container, aliases, &mut out),
            Command::NetworkDisconnect {
                network,
                container,
                force,
            } => networks::disconnect(self, host, network, container, *force, &mut out),
            Command::NetworkInspect { names, format } => {
                networks::inspect(self, host, names, format.as_deref(), &mut out)
            }
            Command::NetworkPrune { force } => {
                if *force || confirm(Prompt::PruneNetworks, input, &mut out) {
                    let names = networks::unused(self, host);
                    self.machine(host).networks.clear();
                    out.push(Event::NetworksPruned(names));
                }
            }
            Command::VolumePrune { all, force } => {
                if *force || confirm(Prompt::PruneVolumes { all: *all }, input, &mut out) {
                    let names = volumes::prune(self, host, *all);
                    out.push(Event::VolumesPruned(names));
                }
            }
            Command::VolumeLs {
                quiet,
                filter,
                format,
            } => volumes::ls(
                self,
                host,
                *quiet,
                filter,
                format.as_deref(),
                &invocation.path,
                &mut out,
            ),
            Command::VolumeCreate { name } => {
                volumes::create(self, host, name.as_deref(), &mut out)
            }
            Command::VolumeRm { force, volumes } => {
                volumes::rm(self, host, *force, volumes, &mut out)
            }
            Command::VolumeInspect { names, format } => {
                volumes::inspect(self, host, names, format.as_deref(), &mut out)
            }
            Command::NotSimulated { path } => {
                out.note(Note::NotSimulated { path: path.clone() });
                out.exit_code = 1;
            }
        }
        self.advance(STEP);
        out
    }

    /// Moves the clock forward, letting processes that end by themselves end.
    pub fn advance(&mut self, secs: u64) {
        self.now = self.now.saturating_add(secs);
        self.settle();
    }

    /// Ends every process whose time has come (`sleep 5` after five seconds), removing `--rm` containers.
    pub fn settle(&mut self) {
        while self.timers.get_min().is_some_and(|t| t.0 <= self.now) {
            let Some((at, machine, key)) = self.timers.remove_min() else {
                break;
            };
            let id = self
                .machines
                .get(&*machine)
                .and_then(|m| m.containers.by_key(key));
            if let Some(id) = id.map(|c| c.id.clone()) {
                containers::end_by_itself(self, &machine, &id, at);
            }
        }
    }
}

/// Checks `--filter` values the way the CLI and daemon do.
fn parse_filters(
    filters: &[String],
    allowed: &[&str],
    path: &str,
    out: &mut Outcome,
) -> Option<Vec<(String, String)>> {
    let mut parsed = Vec::new();
    for f in filters {
        let Some((k, v)) = f.split_once('=') else {
            out.usage_error(path, FlagError::BadFilterFormat { value: f.clone() });
            return None;
        };
        let k = k.trim().to_lowercase();
        if !allowed.contains(&k.as_str()) {
            out.error(DockerError::InvalidFilter { key: k }, 1);
            return None;
        }
        parsed.push((k, v.to_string()));
    }
    Some(parsed)
}

/// What `image prune` / `container prune --filter` select by: created before `until`, and the label tests.
#[derive(Debug, Default)]
struct PruneFilters {
    until: Option<i64>,
    /// `("label", "k=v")` / `("label!", "k")` pairs.
    labels: Vec<(String, String)>,
    /// `dangling=false` (image prune): every unused image, as `-a`.
    not_dangling_only: bool,
}

impl PruneFilters {
    fn keeps(&self, created: u64, labels: &std::collections::BTreeMap<String, String>) -> bool {
        self.until.is_some_and(|t| created as i64 > t) || !until::labels_match(&self.labels, labels)
    }
}

/// The prompt (unless `-f`), then the daemon's reading of the prune filters. A filter without `=` is the
/// CLI's flag error, before the prompt; an unknown key or a bad `until` is the daemon's, after it.
#[allow(clippy::too_many_arguments)]
fn prune_filters(
    world: &World,
    filter: &[String],
    allowed: &[&str],
    path: &str,
    (force, prompt): (bool, Prompt),
    input: &Input,
    out: &mut Outcome,
) -> Option<PruneFilters> {
    let mut daemon = Outcome::default();
    let parsed = parse_filters(filter, allowed, path, &mut daemon);
    if parsed.is_none() && daemon.events.iter().any(|e| matches!(e, Event::Usage(_))) {
        out.events.append(&mut daemon.events);
        out.exit_code = daemon.exit_code;
        return None;
    }
    if !force && !confirm(prompt, input, out) {
        return None;
    }
    let Some(parsed) = parsed else {
        out.events.append(&mut daemon.events);
        out.exit_code = daemon.exit_code;
        return None;
    };
    let mut f = PruneFilters::default();
    for (k, v) in parsed {
        match k.as_str() {
            "until" => match until::parse(&v, world.now) {
                Some(t) => f.until = Some(t),
                None => {
                    out.error(
                        DockerError::InvalidFilterValue {
                            key: k,
                            value: v,
                            problem: crate::docker_error::FilterProblem::NotATime,
                        },
                        1,
                    );
                    return None;
                }
            },
            "dangling" => f.not_dangling_only |= v == "false" || v == "0",
            _ => f.labels.push((k, v)),
        }
    }
    Some(f)
}

/// Asks a `[y/N]` question; anything but y/Y cancels silently (exit 0).
fn confirm(prompt: Prompt, input: &Input, out: &mut Outcome) -> bool {
    let answer = input.stdin.as_deref().unwrap_or("").trim().to_lowercase();
    let yes = answer == "y" || answer == "yes";
    out.push(Event::Prompt {
        prompt,
        answered: yes,
    });
    yes
}

/// The first container (by ID) of `host` that uses image `id`, and the first running one: what decides an
/// `rmi` conflict, found through the indexes without collecting every user.
fn first_user(world: &World, host: &str, id: &crate::digest::Digest) -> Option<String> {
    world.machines[host]
        .containers
        .first_user(id)
        .map(str::to_string)
}

/// The first running (or paused) container (by ID) of `host` that uses image `id`.
fn first_running_user(world: &World, host: &str, id: &crate::digest::Digest) -> Option<String> {
    world.machines[host]
        .containers
        .first_running_user(id)
        .map(str::to_string)
}

/// Test helper: runs one command line (`docker pull busybox`, optionally after `VAR=value` words) on machine
/// `default`, as a script line would.
#[cfg(test)]
pub(crate) fn run_test_line(world: &mut World, line: &str) -> Outcome {
    let words = crate::command::shell_words::split(line).expect("a test line splits");
    let env: Vec<(String, String)> = words
        .iter()
        .take_while(|w| w.contains('='))
        .filter_map(|w| w.split_once('=').map(|(k, v)| (k.into(), v.into())))
        .collect();
    let inv = crate::command::parse(&words[env.len()..], &env).expect("a test line parses");
    world.execute("default", &inv, &Input::default())
}
