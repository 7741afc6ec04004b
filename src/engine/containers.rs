//! Container life cycle: create, start, stop, remove; `--rm`; statuses over time; `ps`.

use super::{Input, Outcome, distribution, parse_filters};
use crate::command::flags::FlagError;
use crate::command::{Command, PullPolicy, Run};
use crate::docker_error::{FilterProblem, PortProblem, StartProblem};
use crate::event::{
    ContainerListing, ContainerRow, DockerError, Event, Note, Prompt, PsView, Rule,
};
use crate::model::container::{Container, LogLine, OnTerm, PortBinding, State};
use crate::model::machine::ResolveError;
use crate::model::process::Behaviour;
use crate::model::world::World;

/// Longest foreground wait the simulator plays out; longer ones are "left in another terminal".
const FOREGROUND_WAIT_LIMIT: u64 = 60;

/// The longest wait the simulated clock plays out (ten years): a `stop -t` beyond it would only make every
/// later status read "292471208677 years ago".
const MAX_WAIT: u64 = 10 * 365 * 86_400;

/// The grace period `-t` asks for (Docker's 10 s by default), within what the clock plays out.
fn stop_timeout(t: Option<i64>) -> u64 {
    t.map_or(DEFAULT_STOP_TIMEOUT, |t| (t.max(0) as u64).min(MAX_WAIT))
}

/// Docker's default `stop` grace period.
const DEFAULT_STOP_TIMEOUT: u64 = 10;

fn resolve(world: &World, host: &str, arg: &str) -> Result<String, DockerError> {
    let m = &world.machines[host];
    m.containers.resolve(arg).map_err(|e| match e {
        ResolveError::NotFound => DockerError::no_such_container(arg),
        ResolveError::Ambiguous => DockerError::AmbiguousContainer {
            prefix: arg.to_string(),
        },
    })
}

/// Which image `docker run IMAGE` uses, pulling it when the policy says so. Implements the stale-local-image
/// rule: with `--pull=missing` a local image with that name is used without asking the registry.
fn resolve_run_image(
    world: &mut World,
    host: &str,
    r: &Run,
    out: &mut Outcome,
) -> Result<crate::digest::Digest, (DockerError, bool)> {
    let store = &world.machines[host].images;
    let reference = match &r.image.parsed {
        Ok(p) => p.clone().with_default_tag(),
        Err(e) => {
            return match store.lookup_id(&r.image.raw) {
                Some(s) => Ok(s.image.id.clone()),
                None => Err((
                    DockerError::InvalidReference {
                        error: e.clone(),
                        daemon: false,
                    },
                    false,
                )),
            };
        }
    };
    let local = store
        .lookup_parsed(&r.image.raw, &reference)
        .map(|s| s.image.id.clone());
    match (r.pull, local) {
        (PullPolicy::Always, _) => {
            distribution::pull_for(world, host, &reference, out, r.quiet).map_err(|e| (e, true))
        }
        (_, Some(id)) => {
            let newer = distribution::registry_has_newer(world, host, &reference, &id);
            out.push(Event::Rule(Rule::UsedLocalImage {
                reference: reference.clone(),
                newer_on_registry: newer,
            }));
            Ok(id)
        }
        (PullPolicy::Never, None) => Err((DockerError::no_such_image(reference.familiar()), false)),
        (PullPolicy::Missing, None) => {
            if !r.quiet {
                out.push(Event::UnableToFind {
                    familiar: reference.familiar(),
                });
            }
            distribution::pull_for(world, host, &reference, out, r.quiet).map_err(|e| (e, true))
        }
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// A port or port range (`80`, `8000-8001`), as go-connections' `ParsePortRange` reads it.
fn port_range(text: &str) -> Option<(u16, u16)> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b): (u16, u16) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then_some((a, b))
}

/// Parses `-p` values (`8080:80`, `127.0.0.1:8080:80/tcp`, `[::1]:9001:80`, `8000-8001:80-81`, `80`) with
/// the CLI's checks, in its order (go-connections `nat.ParsePortSpec`).
fn parse_ports(specs: &[String]) -> Result<Vec<PortBinding>, PortProblem> {
    let mut out = Vec::new();
    for spec in specs {
        let parts: Vec<&str> = spec.split(':').collect();
        let n = parts.len();
        let (ip, host, ctr) = match n {
            1 => (String::new(), "", parts[0]),
            2 => (String::new(), parts[0], parts[1]),
            3 => (parts[0].to_string(), parts[1], parts[2]),
            _ => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
        };
        let (ctr, proto) = match ctr.split_once('/') {
            Some((c, p)) => (c, p.to_lowercase()),
            None => (ctr, "tcp".to_string()),
        };
        let ip = match ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
            Some(inner) => inner.to_string(),
            None => ip,
        };
        if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
            return Err(PortProblem::Ip { ip });
        }
        if ctr.is_empty() {
            return Err(PortProblem::NoPort { spec: spec.clone() });
        }
        let (c_lo, c_hi) = port_range(ctr).filter(|(lo, _)| *lo > 0).ok_or_else(|| {
            PortProblem::ContainerPort {
                port: ctr.to_string(),
            }
        })?;
        let hosts = if host.is_empty() {
            None
        } else {
            Some(port_range(host).ok_or_else(|| PortProblem::HostPort {
                port: host.to_string(),
            })?)
        };
        if let Some((h_lo, h_hi)) = hosts
            && h_hi - h_lo != c_hi - c_lo
            && c_hi != c_lo
        {
            return Err(PortProblem::Ranges {
                container: ctr.to_string(),
                host: host.to_string(),
            });
        }
        if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
            return Err(PortProblem::Proto { proto });
        }
        for (i, container_port) in (c_lo..=c_hi).enumerate() {
            let offset = i as u16;
            let (spec_port, host_port) = match hosts {
                None => (String::new(), 0),
                // One container port and a host range: the daemon binds the first free port in it.
                Some((lo, hi)) if c_lo == c_hi && lo != hi => (format!("{lo}-{hi}"), lo),
                Some((lo, _)) => ((lo + offset).to_string(), lo + offset),
            };
            let host_port = if host_port == 0 {
                // An ephemeral port, deterministic here.
                32768 + container_port % 1000
            } else {
                host_port
            };
            out.push(PortBinding {
                host_ip: if ip.is_empty() {
                    "0.0.0.0".into()
                } else {
                    ip.clone()
                },
                host_port,
                container_port,
                proto: proto.clone(),
                spec_ip: ip.clone(),
                spec_port,
            });
        }
    }
    Ok(out)
}

/// `docker run` / `docker create`.
pub fn run(world: &mut World, host: &str, r: &Run, path: &str, input: &Input, out: &mut Outcome) {
    let is_run = !r.create_only;
    let fail = |out: &mut Outcome, error: DockerError, code: i32| {
        if is_run {
            out.push(Event::RunFailed {
                path: path.to_string(),
                error,
            });
            out.exit_code = code;
        } else {
            out.error(error, 1);
        }
    };
    if is_run && r.tty && r.interactive && !input.tty {
        out.error(DockerError::NotATty, 1);
        return;
    }
    let ports = match parse_ports(&r.publish) {
        Ok(p) => p,
        Err(problem) => {
            // A flag the CLI cannot parse: `create` reports it the way `run` does (`reportError`,
            // exit 125), unlike the daemon's refusals.
            out.push(Event::RunFailed {
                path: path.to_string(),
                error: DockerError::InvalidPort { problem },
            });
            out.exit_code = 125;
            return;
        }
    };
    for e in &r.env {
        if e.starts_with('=') || e.is_empty() {
            out.usage_error(path, FlagError::InvalidEnv { value: e.clone() });
            return;
        }
    }
    let image_id = match resolve_run_image(world, host, r, out) {
        Ok(id) => id,
        Err((e, _)) => return fail(out, e, 125),
    };
    if let Some(name) = &r.name {
        if !valid_name(name) {
            return fail(
                out,
                DockerError::InvalidContainerName { name: name.clone() },
                125,
            );
        }
        if let Some(other) = world.machines[host].containers.names.get(name.as_str()) {
            return fail(
                out,
                DockerError::NameInUse {
                    name: name.clone(),
                    holder: other.clone(),
                },
                125,
            );
        }
    }
    let Some(stored) = world.machines[host].images.images.get(&image_id) else {
        return fail(out, DockerError::no_such_image(r.image.raw.clone()), 125);
    };
    let image = stored.image.clone();
    let mut entrypoint = image.config.entrypoint.clone().unwrap_or_default();
    let mut cmd = image.config.cmd.clone().unwrap_or_default();
    if let Some(ep) = &r.entrypoint {
        entrypoint = if ep.is_empty() {
            vec![]
        } else {
            vec![ep.clone()]
        };
        if r.command.is_empty() {
            cmd.clear();
        }
    }
    if !r.command.is_empty() {
        cmd = r.command.clone();
    }
    let mut argv = entrypoint;
    argv.extend(cmd);
    if argv.is_empty() {
        return fail(out, DockerError::NoCommand, 125);
    }
    let mut env = image.config.env.clone();
    for e in &r.env {
        if let Some((k, _)) = e.split_once('=') {
            env.retain(|x| x.split_once('=').map(|p| p.0) != Some(k));
            env.push(e.clone());
        }
    }
    let mounts = match super::volumes::parse_mounts(&r.volumes) {
        Ok(m) => m,
        Err(e) => return fail(out, e, 125),
    };
    let id = world.new_container_id(host);
    let name = match &r.name {
        Some(n) => n.clone(),
        None => world.new_container_name(host),
    };
    let container = Container {
        id: id.clone(),
        name: name.clone(),
        image: image_id,
        image_data: image.clone(),
        image_ref: r.image.clone(),
        path: argv[0].clone(),
        args: argv[1..].to_vec(),
        env,
        created: world.now,
        state: State::Created,
        auto_remove: r.rm,
        interactive: r.interactive,
        tty: r.tty,
        ports,
        logs: Vec::new(),
        start_error: None,
        registry: None,
    };
    world.machine(host).add_container(container);
    super::volumes::mount(world, host, &id, &mounts, out);
    if r.create_only {
        out.push(Event::ContainerId(id));
        return;
    }
    if r.detach {
        out.push(Event::ContainerId(id.clone()));
    }
    match start_container(world, host, &id, workdir(r, &image.config.working_dir)) {
        Err(e) => {
            let code = match &e {
                DockerError::StartFailed {
                    problem: StartProblem::NotInPath { .. } | StartProblem::NoSuchFile { .. },
                } => 127,
                // The CLI maps "permission denied" (a folder run as a program) to 126.
                DockerError::StartFailed {
                    problem: StartProblem::PermissionDenied { .. },
                } => 126,
                _ => 125,
            };
            fail(out, e, code);
        }
        Ok(started) => attach_foreground(
            world,
            host,
            &id,
            &name,
            started,
            r.detach,
            r.tty && r.interactive,
            out,
        ),
    }
}

fn workdir(r: &Run, image_wd: &str) -> String {
    r.workdir.clone().unwrap_or_else(|| image_wd.to_string())
}

/// What a start produced: the first output and whether the process is still running.
struct Started {
    output: Vec<LogLine>,
    running: bool,
    ends_after: Option<u64>,
    code: i32,
}

/// Shows a foreground run: output, exit code, or the simulator's note that the process keeps the terminal.
#[allow(clippy::too_many_arguments)]
fn attach_foreground(
    world: &mut World,
    host: &str,
    id: &str,
    name: &str,
    started: Started,
    detach: bool,
    interactive_tty: bool,
    out: &mut Outcome,
) {
    if detach {
        return;
    }
    if !started.output.is_empty() {
        out.push(Event::Output(started.output));
    }
    if !started.running {
        out.exit_code = started.code;
        return;
    }
    match started.ends_after {
        Some(n) if n <= FOREGROUND_WAIT_LIMIT => {
            // The terminal waits for the process; so does the clock.
            world.advance(n);
            let code = exit_code_after_end(world, host, id).unwrap_or(started.code);
            out.exit_code = code;
        }
        _ if interactive_tty => out.note(Note::InteractiveSession {
            name: name.to_string(),
        }),
        _ => out.note(Note::ForegroundRuns {
            name: name.to_string(),
        }),
    }
}

fn exit_code_after_end(world: &World, host: &str, id: &str) -> Option<i32> {
    match &world.machines[host].containers.by_id.get(id)?.state {
        State::Exited { code, .. } => Some(*code),
        _ => None,
    }
}

/// Starts a created or exited container's main process.
fn start_container(
    world: &mut World,
    host: &str,
    id: &str,
    workdir: String,
) -> Result<Started, DockerError> {
    let now = world.now;
    let (argv, env, image, interactive, ports) = {
        let c = &world.machines[host].containers.by_id[id];
        (
            c.argv(),
            c.env.clone(),
            c.image_data.clone(),
            c.interactive,
            c.ports.clone(),
        )
    };
    // Ports are bound at start: a port another running container holds fails the start.
    for p in &ports {
        if let Some(holder) = world.machines[host].containers.ports.get(&p.host_port)
            && holder != id
        {
            let container_name = world.machines[host].containers.by_id[id].name.clone();
            let e = DockerError::StartFailed {
                problem: StartProblem::PortAllocated {
                    container_name,
                    container_id: id.to_string(),
                    host_ip: p.host_ip.clone(),
                    host_port: p.host_port,
                },
            };
            record_failed_start(world, host, id, 128, &e);
            return Err(e);
        }
    }
    let hostname = &id[..id.len().min(12)];
    let b = crate::model::process::behaviour_in(
        &argv,
        &image,
        &env,
        &workdir,
        interactive,
        crate::model::process::Inside {
            hostname,
            pid1: &argv,
        },
    );
    let m = world.machine(host);
    let started = match b {
        Behaviour::Missing { executable } if is_directory(&executable) => {
            // runc's execve of a folder fails with EACCES.
            let e = DockerError::StartFailed {
                problem: StartProblem::PermissionDenied { executable },
            };
            record_failed_start(world, host, id, 126, &e);
            return Err(e);
        }
        Behaviour::Missing { executable } => {
            // A path (`/x`, `./x`) is looked up as a file; a bare name on $PATH.
            let problem = if executable.contains('/') {
                StartProblem::NoSuchFile { executable }
            } else {
                StartProblem::NotInPath { executable }
            };
            let e = DockerError::StartFailed { problem };
            record_failed_start(world, host, id, 127, &e);
            return Err(e);
        }
        Behaviour::Exits { code, output } => {
            let c = m
                .containers
                .get_mut(id)
                .ok_or_else(|| DockerError::no_such_container(id))?;
            c.logs.extend(output.iter().cloned());
            m.containers.set_state(
                id,
                State::Exited {
                    code,
                    started: now,
                    finished: now,
                },
            );
            Started {
                output,
                running: false,
                ends_after: None,
                code,
            }
        }
        Behaviour::Runs {
            output,
            ends_after,
            end_code,
            on_term,
        } => {
            let c = m
                .containers
                .get_mut(id)
                .ok_or_else(|| DockerError::no_such_container(id))?;
            c.logs.extend(output.iter().cloned());
            let ends_at = ends_after.map(|n| now.saturating_add(n));
            m.containers.set_state(
                id,
                State::Running {
                    started: now,
                    ends_at,
                    end_code,
                    on_term,
                },
            );
            for p in &ports {
                m.containers.ports.insert(p.host_port, id.to_string());
            }
            if let Some(at) = ends_at {
                world.timers.insert((at, host.to_string(), id.to_string()));
            }
            if image.programs.contains("registry") {
                distribution::attach_registry(world, host, id);
            }
            Started {
                output,
                running: true,
                ends_after,
                code: end_code,
            }
        }
    };
    if !started.running {
        finish(world, host, id);
    }
    Ok(started)
}

/// Forgets the timer of a process that will no longer end by itself (stopped, killed, paused), so timers
/// do not pile up with every container ever started.
fn drop_timer(world: &mut World, host: &str, id: &str, ends_at: Option<u64>) {
    if let Some(at) = ends_at {
        world.timers.remove(&(at, host.to_string(), id.to_string()));
    }
}

/// A start that failed leaves the container `Created` (with the exit code recorded), or removes it with `--rm`.
fn record_failed_start(world: &mut World, host: &str, id: &str, code: i32, e: &DockerError) {
    let m = world.machine(host);
    if let Some(c) = m.containers.get_mut(id) {
        c.start_error = Some((code, e.clone()));
        if c.auto_remove {
            m.remove_container(id);
        }
    }
}

/// A container just stopped: frees its ports and applies `--rm`.
fn finish(world: &mut World, host: &str, id: &str) -> bool {
    let m = world.machine(host);
    m.containers.release_ports_of(id);
    let auto = m.containers.by_id.get(id).is_some_and(|c| c.auto_remove);
    if auto {
        m.remove_container(id);
    }
    auto
}

/// A timer fired: the process ended by itself at `at`.
pub fn end_by_itself(world: &mut World, host: &str, id: &str, at: u64) {
    let Some(m) = world.machines.get_mut(host) else {
        return;
    };
    let Some(c) = m.containers.by_id.get(id) else {
        return;
    };
    if let State::Running {
        started,
        ends_at: Some(t),
        end_code,
        ..
    } = c.state
        && t == at
    {
        m.containers.set_state(
            id,
            State::Exited {
                code: end_code,
                started,
                finished: at,
            },
        );
        finish(world, host, id);
    }
}

/// Stops a running container: SIGTERM, then SIGKILL after `timeout`. Returns the seconds it took.
fn stop_container(world: &mut World, host: &str, id: &str, timeout: u64, kill: bool) -> u64 {
    let now = world.now;
    let Some(c) = world.machine(host).containers.get_mut(id) else {
        return 0;
    };
    let (started, on_term, ends_at) = match c.state {
        State::Running {
            started,
            on_term,
            ends_at,
            ..
        } => (started, on_term, ends_at),
        State::Paused { started } => (started, OnTerm::Ignore, None),
        _ => return 0,
    };
    let (code, took) = match (kill, on_term) {
        (true, _) => (137, 0),
        (false, OnTerm::Exit(code)) => (code, 0),
        (false, OnTerm::Ignore) => (137, timeout),
    };
    world.machine(host).containers.set_state(
        id,
        State::Exited {
            code,
            started,
            finished: now.saturating_add(took),
        },
    );
    drop_timer(world, host, id, ends_at);
    took
}

fn echo_or_collect(
    result: Result<(), DockerError>,
    arg: &str,
    out: &mut Outcome,
    errors: &mut Vec<DockerError>,
) {
    match result {
        Ok(()) => out.push(Event::Echo(arg.to_string())),
        Err(e) => errors.push(e),
    }
}

/// `docker stop`.
pub fn stop(
    world: &mut World,
    host: &str,
    timeout: Option<i64>,
    args: &[String],
    out: &mut Outcome,
) {
    let timeout = stop_timeout(timeout);
    let mut errors = Vec::new();
    let mut longest = 0;
    for arg in args {
        let r = resolve(world, host, arg).map(|id| {
            let took = stop_container(world, host, &id, timeout, false);
            longest = longest.max(took);
            let name = world.machines[host]
                .containers
                .by_id
                .get(&id)
                .map(|c| c.name.clone());
            if finish(world, host, &id)
                && let Some(name) = name
            {
                out.push(Event::Rule(Rule::AutoRemoved { name }));
            }
        });
        echo_or_collect(r, arg, out, &mut errors);
    }
    world.now = world.now.saturating_add(longest);
    report_errors(errors, out);
}

fn report_errors(errors: Vec<DockerError>, out: &mut Outcome) {
    if !errors.is_empty() {
        for e in errors {
            out.push(Event::Error(e));
        }
        out.exit_code = 1;
    }
}

/// `docker kill`.
pub fn kill(world: &mut World, host: &str, args: &[String], out: &mut Outcome) {
    let mut errors = Vec::new();
    for arg in args {
        // The API's kill route wraps every error, a missing container's too.
        let found = resolve(world, host, arg).map_err(|e| DockerError::KillFailed {
            name: arg.clone(),
            cause: Box::new(e),
        });
        let r = found.and_then(|id| {
            let c = &world.machines[host].containers.by_id[&id];
            if !c.is_running() {
                return Err(DockerError::KillNotRunning {
                    name: arg.clone(),
                    id,
                });
            }
            stop_container(world, host, &id, 0, true);
            finish(world, host, &id);
            Ok(())
        });
        echo_or_collect(r, arg, out, &mut errors);
    }
    report_errors(errors, out);
}

/// `docker pause` / `docker unpause`.
pub fn pause(world: &mut World, host: &str, args: &[String], pausing: bool, out: &mut Outcome) {
    let mut errors = Vec::new();
    for arg in args {
        let r = resolve(world, host, arg).and_then(|id| {
            let c = world
                .machine(host)
                .containers
                .get_mut(&id)
                .ok_or_else(|| DockerError::no_such_container(arg))?;
            match (&c.state, pausing) {
                (
                    State::Running {
                        started, ends_at, ..
                    },
                    true,
                ) => {
                    let ends_at = *ends_at;
                    c.state = State::Paused { started: *started };
                    // A paused process never ends by itself (unpausing forgets the end): its timer goes.
                    drop_timer(world, host, &id, ends_at);
                    Ok(())
                }
                (State::Paused { started }, false) => {
                    // Running and paused both count as running for the index: no re-indexing needed.
                    c.state = State::Running {
                        started: *started,
                        ends_at: None,
                        end_code: 0,
                        on_term: OnTerm::Ignore,
                    };
                    Ok(())
                }
                (State::Paused { .. }, true) => Err(DockerError::AlreadyPaused { id: id.clone() }),
                (_, false) => Err(DockerError::NotPaused { id: id.clone() }),
                (_, true) => Err(DockerError::NotRunning { id: id.clone() }),
            }
        });
        echo_or_collect(r, arg, out, &mut errors);
    }
    report_errors(errors, out);
}

/// `docker start`.
pub fn start(world: &mut World, host: &str, attach: bool, args: &[String], out: &mut Outcome) {
    if attach && args.len() > 1 {
        out.error(DockerError::StartAttachMany, 1);
        return;
    }
    let mut failed = Vec::new();
    for arg in args {
        let result = resolve(world, host, arg).and_then(|id| {
            let c = &world.machines[host].containers.by_id[&id];
            if matches!(c.state, State::Paused { .. }) {
                return Err(DockerError::StartPaused);
            }
            if c.is_running() {
                return Ok(None);
            }
            let wd = c.image_data.config.working_dir.clone();
            start_container(world, host, &id, wd).map(Some)
        });
        match result {
            Ok(started) => {
                if attach {
                    if let Some(s) = started {
                        if !s.output.is_empty() {
                            out.push(Event::Output(s.output));
                        }
                        out.exit_code = s.code;
                        if s.running {
                            out.note(Note::AttachedRuns { name: arg.clone() });
                        }
                    }
                } else {
                    out.push(Event::Echo(arg.clone()));
                }
            }
            Err(e) => {
                out.push(Event::Error(e));
                failed.push(arg.clone());
            }
        }
    }
    if !failed.is_empty() {
        out.push(Event::FailedToStart { names: failed });
        out.exit_code = 1;
    }
}

/// `docker restart`: stop if running, then start (a `--rm` container survives a manual restart).
pub fn restart(
    world: &mut World,
    host: &str,
    timeout: Option<i64>,
    args: &[String],
    out: &mut Outcome,
) {
    let timeout = stop_timeout(timeout);
    let mut errors = Vec::new();
    for arg in args {
        let r = resolve(world, host, arg).and_then(|id| {
            let took = stop_container(world, host, &id, timeout, false);
            world.now = world.now.saturating_add(took);
            let m = world.machine(host);
            m.containers.release_ports_of(&id);
            let wd = world.machines[host].containers.by_id[&id]
                .image_data
                .config
                .working_dir
                .clone();
            start_container(world, host, &id, wd)
                .map(|_| ())
                .map_err(|e| DockerError::RestartFailed {
                    name: arg.clone(),
                    cause: Box::new(e),
                })
        });
        echo_or_collect(r, arg, out, &mut errors);
    }
    report_errors(errors, out);
}

/// `docker rm`.
pub fn rm(world: &mut World, host: &str, force: bool, args: &[String], out: &mut Outcome) {
    let mut errors = Vec::new();
    let mut hard_error = false;
    for arg in args {
        let r = resolve(world, host, arg).and_then(|id| {
            let c = &world.machines[host].containers.by_id[&id];
            if c.is_running() {
                if !force {
                    hard_error = true;
                    return Err(DockerError::RemoveRunning { name: arg.clone() });
                }
                stop_container(world, host, &id, 0, true);
            }
            world.machine(host).remove_container(&id);
            Ok(())
        });
        if let Err(e) = &r
            && (!force || !e.is_not_found())
        {
            hard_error = true;
        }
        echo_or_collect(r, arg, out, &mut errors);
    }
    let had = !errors.is_empty();
    report_errors(errors, out);
    // `rm -f` of a missing container prints the error but exits 0.
    if had && !hard_error {
        out.exit_code = 0;
    }
}

/// `docker exec`: runs another process in a running container, with the same process model as the main one.
#[allow(clippy::too_many_arguments)]
pub fn exec(
    world: &mut World,
    host: &str,
    arg: &str,
    command: &[String],
    extra_env: &[String],
    (interactive, tty, detach): (bool, bool, bool),
    input: &Input,
    out: &mut Outcome,
) {
    if tty && interactive && !input.tty && !detach {
        out.error(DockerError::NotATty, 1);
        return;
    }
    let id = match resolve(world, host, arg) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let c = &world.machines[host].containers.by_id[&id];
    if matches!(c.state, State::Paused { .. }) {
        return out.error(DockerError::ExecPaused { id }, 1);
    }
    if !c.is_running() {
        return out.error(DockerError::NotRunning { id }, 1);
    }
    let wd = c.image_data.config.working_dir.clone();
    let mut env = c.env.clone();
    env.extend(extra_env.iter().cloned());
    let hostname = &c.id[..c.id.len().min(12)];
    let pid1 = c.argv();
    let inside = crate::model::process::Inside {
        hostname,
        pid1: &pid1,
    };
    // What the container wrote over its image (`docker cp`, earlier execs) is what its processes read.
    let image = super::changes::seen_by_processes(&world.machines[host], &id, &c.image_data);
    match crate::model::process::behaviour_in(command, &image, &env, &wd, interactive, inside) {
        Behaviour::Missing { executable } if is_directory(&executable) => {
            out.push(Event::ExecPermissionDenied { executable });
            out.exit_code = 126;
        }
        // The exec's own stream carries this failure: stdout, with the terminal's line ending.
        Behaviour::Missing { executable } => {
            out.push(Event::ExecNotFound { executable });
            out.exit_code = 126;
        }
        _ if detach => {}
        Behaviour::Exits { code, output } => {
            if !output.is_empty() {
                out.push(Event::Output(output));
            }
            out.exit_code = code;
        }
        Behaviour::Runs { output, .. } => {
            if !output.is_empty() {
                out.push(Event::Output(output));
            }
            let name = c.name.clone();
            out.note(if tty && interactive {
                Note::ExecShell { name }
            } else {
                Note::ExecKeepsRunning { name }
            });
        }
    }
    if out.exit_code == 0 {
        super::changes::record_exec(world, host, &id, command);
    }
}

/// `docker logs`.
pub fn logs(world: &mut World, host: &str, arg: &str, out: &mut Outcome) {
    match resolve(world, host, arg) {
        Ok(id) => {
            let logs = world.machines[host].containers.by_id[&id].logs.clone();
            if !logs.is_empty() {
                out.push(Event::Output(logs));
            }
        }
        Err(e) => out.error(e, 1),
    }
}

/// Folders every Linux base image has: running one as a command is `permission denied`, not missing.
fn is_directory(path: &str) -> bool {
    const DIRS: &[&str] = &[
        "/",
        "/bin",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/proc",
        "/root",
        "/sys",
        "/tmp",
        "/usr",
        "/var",
        "/usr/bin",
        "/usr/local",
        "/usr/local/bin",
        "/var/log",
    ];
    let trimmed = path.trim_end_matches('/');
    DIRS.contains(&if trimmed.is_empty() { "/" } else { trimmed })
}

/// The values the daemon checks before listing (moby `daemon/list.go`): a status word, a number for
/// `exited`, a health state, a boolean for `is-task`.
fn invalid_ps_filter(filters: &[(String, String)]) -> Option<DockerError> {
    const STATES: &[&str] = &[
        "created",
        "restarting",
        "running",
        "removing",
        "paused",
        "exited",
        "dead",
    ];
    let problem = |k: &str, v: &str| match k {
        "status" if !STATES.contains(&v) => Some(FilterProblem::NotAState),
        "exited" if v.parse::<i64>().is_err() => Some(FilterProblem::NotANumber),
        "health" if !["starting", "healthy", "unhealthy", "none"].contains(&v) => {
            Some(FilterProblem::NotAHealth)
        }
        "is-task" if v != "true" && v != "false" => Some(FilterProblem::NotABool),
        _ => None,
    };
    filters.iter().find_map(|(k, v)| {
        problem(k, v).map(|problem| DockerError::InvalidFilterValue {
            key: k.clone(),
            value: v.clone(),
            problem,
        })
    })
}

fn matches_filters(c: &Container, filters: &[(String, String)]) -> bool {
    let mut by_key: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (k, v) in filters {
        by_key.entry(k).or_default().push(v);
    }
    by_key.iter().all(|(k, vals)| {
        vals.iter().any(|v| match *k {
            "status" => c.status_word() == *v,
            "name" => c.name.contains(v),
            "id" => c.id.starts_with(v),
            "exited" => matches!(c.state, State::Exited { code, .. } if code.to_string() == *v),
            "ancestor" => c.image_ref.raw == *v || c.image.hex().starts_with(v),
            _ => true,
        })
    })
}

/// The IMAGE column: the reference as typed, or the image ID once that reference names another image.
pub(super) fn image_column(world: &World, host: &str, c: &Container) -> String {
    let m = &world.machines[host];
    let same = m
        .images
        .lookup_arg(&c.image_ref)
        .is_some_and(|s| s.image.id == c.image);
    if same {
        let raw = &c.image_ref.raw;
        match &c.image_ref.parsed {
            Ok(r) if r.digest.is_some() => r.repo_familiar(),
            Ok(r) if raw.contains('/') || raw.contains(':') => r.familiar(),
            _ => raw.clone(),
        }
    } else {
        c.image.short().to_string()
    }
}

/// `docker ps`: the containers the options select, newest first.
pub fn ps(world: &mut World, host: &str, cmd: &Command, path: &str, out: &mut Outcome) {
    let Command::Ps {
        all,
        quiet,
        last,
        latest,
        no_trunc,
        size,
        filter,
        format,
    } = cmd
    else {
        return;
    };
    let Some(filters) = parse_filters(
        filter,
        &[
            "status", "name", "id", "exited", "ancestor", "label", "before", "since", "health",
            "network", "volume", "publish", "expose", "is-task",
        ],
        path,
        out,
    ) else {
        return;
    };
    if let Some(e) = invalid_ps_filter(&filters) {
        out.error(e, 1);
        return;
    }
    let limit = if *latest {
        Some(1)
    } else {
        last.filter(|n| *n > 0).map(|n| n as usize)
    };
    let show_all =
        *all || limit.is_some() || filters.iter().any(|(k, _)| k == "status" || k == "exited");
    let m = &world.machines[host];
    let candidates: Box<dyn Iterator<Item = &Container>> = if show_all {
        Box::new(m.containers.newest_first())
    } else {
        Box::new(m.containers.running_newest_first())
    };
    let rows = candidates
        .filter(|c| matches_filters(c, &filters))
        .take(limit.unwrap_or(usize::MAX))
        .map(|c| ContainerRow {
            id: c.id.clone(),
            name: c.name.clone(),
            image: image_column(world, host, c),
            argv: c.argv(),
            created: c.created,
            state: c.state.clone(),
            ports: if c.is_running() {
                c.ports.clone()
            } else {
                Vec::new()
            },
            exposed: if c.is_running() {
                c.image_data.config.exposed_ports.iter().cloned().collect()
            } else {
                Vec::new()
            },
            virtual_size: c.image_data.size(),
        })
        .collect();
    out.push(Event::Containers(ContainerListing {
        view: PsView {
            quiet: *quiet,
            no_trunc: *no_trunc,
            size: *size,
            format: format.clone(),
        },
        rows,
        now: world.now,
    }));
}

/// `docker container prune`.
pub fn prune(world: &mut World, host: &str, force: bool, input: &Input, out: &mut Outcome) {
    if !force && !super::confirm(Prompt::PruneContainers, input, out) {
        return;
    }
    let ids = remove_stopped(world, host);
    out.push(Event::ContainersPruned { ids });
}

/// Removes every container that is not running (newest first): the IDs removed.
pub(super) fn remove_stopped(world: &mut World, host: &str) -> Vec<String> {
    let m = world.machine(host);
    let ids: Vec<String> = m
        .containers
        .newest_first()
        .filter(|c| !c.is_running())
        .map(|c| c.id.clone())
        .collect();
    for id in &ids {
        m.remove_container(id);
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(k: &str, v: &str) -> Option<FilterProblem> {
        invalid_ps_filter(&[(k.to_string(), v.to_string())]).map(|e| match e {
            DockerError::InvalidFilterValue { problem, .. } => problem,
            other => panic!("unexpected {other:?}"),
        })
    }

    /// The values the daemon refuses (oracle, Docker CLI 28.2.2); the words are pinned in render.
    #[test]
    fn ps_filter_values_are_checked() {
        assert_eq!(check("status", "runing"), Some(FilterProblem::NotAState));
        assert_eq!(check("status", "exited"), None);
        assert_eq!(check("exited", "abc"), Some(FilterProblem::NotANumber));
        assert_eq!(check("exited", "0"), None);
        assert_eq!(check("health", "maybe"), Some(FilterProblem::NotAHealth));
        assert_eq!(check("is-task", "maybe"), Some(FilterProblem::NotABool));
        assert_eq!(check("name", "anything"), None);
    }

    /// (bound address, bound port, container port, address as typed, port as typed).
    type Bound = (String, u16, u16, String, String);

    fn ports(spec: &str) -> Result<Vec<Bound>, PortProblem> {
        parse_ports(&[spec.to_string()]).map(|v| {
            v.into_iter()
                .map(|p| {
                    (
                        p.host_ip,
                        p.host_port,
                        p.container_port,
                        p.spec_ip,
                        p.spec_port,
                    )
                })
                .collect()
        })
    }

    /// go-connections' `ParsePortSpec`, as the oracle's `HostConfig.PortBindings` showed it.
    #[test]
    fn port_specs() {
        assert_eq!(
            ports("8000-8001:80-81").unwrap(),
            vec![
                ("0.0.0.0".into(), 8000, 80, String::new(), "8000".into()),
                ("0.0.0.0".into(), 8001, 81, String::new(), "8001".into()),
            ]
        );
        assert_eq!(
            ports("[::1]:9001:80").unwrap(),
            vec![("::1".into(), 9001, 80, "::1".into(), "9001".into())]
        );
        assert_eq!(
            ports("8000-8001:80").unwrap(),
            vec![(
                "0.0.0.0".into(),
                8000,
                80,
                String::new(),
                "8000-8001".into()
            )]
        );
        assert_eq!(ports("0:80").unwrap()[0].4, "0");
        assert_eq!(
            ports("1.2.3:80:80"),
            Err(PortProblem::Ip { ip: "1.2.3".into() })
        );
        assert_eq!(
            ports("80-79:80"),
            Err(PortProblem::HostPort {
                port: "80-79".into()
            })
        );
        assert_eq!(
            ports("8000-8002:80-81"),
            Err(PortProblem::Ranges {
                container: "80-81".into(),
                host: "8000-8002".into()
            })
        );
    }
}
