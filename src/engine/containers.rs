//! Container life cycle: create, start, stop, remove; `--rm`; statuses over time; `ps`.

use super::{Input, Outcome, distribution, parse_filters};
use crate::command::flags::FlagError;
use crate::command::{Command, PullPolicy, Run};
use crate::docker_error::{ExecProblem, FilterProblem, PortProblem, RestartProblem, StartProblem};
use crate::event::{ContainerListing, ContainerRow, DockerError, Event, Note, PsView, Rule};
use crate::model::container::{
    Container, IdKey, LogLine, OnTerm, PortBinding, Rare, RareFields, State,
};
use crate::model::machine::ResolveError;
use crate::model::objects::MountSource;
use crate::model::platform::Platform;
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

fn resolve(
    world: &World,
    host: &str,
    arg: &str,
) -> Result<crate::model::container::ContainerId, DockerError> {
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
    let want = match r.platform.as_deref().map(Platform::parse).transpose() {
        Ok(p) => p,
        Err(e) => return Err((DockerError::RunPlatform(e), false)),
    };
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
    let found = store
        .lookup_parsed(&r.image.raw, &reference)
        .map(|s| (s.image.id.clone(), s.image.platform.clone()));
    // With `--platform` the daemon's lookup skips an image of another platform (NotFound: the CLI pulls).
    let mismatch = |actual: crate::model::platform::Platform| {
        want.as_ref().map(|w| DockerError::PlatformMismatch {
            reference: r.image.raw.clone(),
            wanted: Box::new(w.clone()),
            actual: Box::new(actual),
        })
    };
    let (local, skipped) = match found {
        Some((_, p)) if want.as_ref().is_some_and(|w| !p.matches(w)) => (None, mismatch(p)),
        Some((id, _)) => (Some(id), None),
        None => (None, None),
    };
    let pulled = |world: &mut World, out: &mut Outcome| {
        let id = distribution::pull_for(world, host, &reference, want.as_ref(), out, r.quiet)
            .map_err(|e| (e, true))?;
        // A single-platform image of another platform is pulled all the same; create then refuses it.
        let actual = world.machines[host].images.images[&id]
            .image
            .platform
            .clone();
        match want.as_ref().filter(|w| !actual.matches(w)) {
            Some(_) => Err((mismatch(actual).unwrap_or(DockerError::NoCommand), false)),
            None => Ok(id),
        }
    };
    match (r.pull, local) {
        (PullPolicy::Always, _) => pulled(world, out),
        (_, Some(id)) => {
            let newer = distribution::registry_has_newer(world, host, &reference, &id);
            out.push(Event::Rule(Rule::UsedLocalImage {
                reference: reference.clone(),
                newer_on_registry: newer,
            }));
            Ok(id)
        }
        (PullPolicy::Never, None) => Err((
            skipped.unwrap_or_else(|| DockerError::no_such_image(reference.familiar())),
            false,
        )),
        (PullPolicy::Missing, None) => {
            if !r.quiet {
                out.push(Event::UnableToFind {
                    familiar: reference.familiar(),
                });
            }
            pulled(world, out)
        }
    }
}

/// moby's `ValidateRestartPolicy` on `--restart NAME[:COUNT]`.
fn restart_problem(policy: &str) -> Option<RestartProblem> {
    let (name, count) = match policy.split_once(':') {
        Some((n, c)) => (n, Some(c)),
        None => (policy, None),
    };
    match name {
        "no" | "always" | "unless-stopped" if count.is_some() => {
            Some(RestartProblem::CountNeedsOnFailure)
        }
        "no" | "always" | "unless-stopped" | "on-failure" | "" => None,
        other => Some(RestartProblem::Unknown {
            name: other.to_string(),
        }),
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
    // The daemon checks the host config before it looks for the image (no pull for a refused policy).
    if let Some(problem) = r.restart.as_deref().and_then(restart_problem) {
        return fail(out, DockerError::InvalidRestartPolicy { problem }, 125);
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
        if let Some(other) = world.machines[host].containers.named(name) {
            return fail(
                out,
                DockerError::NameInUse {
                    name: name.clone(),
                    holder: other.id.to_string(),
                },
                125,
            );
        }
    }
    let Some(stored) = world.machines[host].images.images.get(&image_id) else {
        return fail(out, DockerError::no_such_image(r.image.raw.clone()), 125);
    };
    let image = stored.image.clone();
    let host_platform = &world.machines[host].platform;
    if r.platform.is_none() && !image.platform.runs_on(host_platform) {
        out.push(Event::ForeignPlatform {
            image: image.platform.clone(),
            host: host_platform.host_maximum(),
        });
    }
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
    // Without `-e` the container reads its image's environment (no copy per container).
    let env_given = (!r.env.is_empty()).then(|| {
        let mut env = image.config.env.clone();
        for e in &r.env {
            crate::model::image::set_env(&mut env, e.clone());
        }
        env.into_boxed_slice()
    });
    let labels = match label_file_lines(world, host, &r.more.label_files) {
        Ok(mut from_files) => {
            from_files.extend(r.labels.iter().cloned());
            container_labels(&image.config.labels, &from_files)
        }
        Err(e) => return fail(out, e, 125),
    };
    // The image's `VOLUME`s first: a `-v` or `--mount` on the same path takes its place.
    let mut mounts: Vec<super::volumes::MountSpec> = image
        .config
        .volumes
        .iter()
        .map(|t| super::volumes::MountSpec::Anonymous { target: t.clone() })
        .collect();
    match super::volumes::parse_mounts(&r.volumes) {
        Ok(m) => mounts.extend(m),
        Err(e) => return fail(out, e, 125),
    }
    match super::volumes::parse_mount_flags(&r.more.mounts) {
        Ok(m) => mounts.extend(m),
        Err(super::volumes::MountProblem::NoTarget { value }) => {
            out.usage_error(
                path,
                FlagError::InvalidValue {
                    value,
                    flag: "--mount".into(),
                    problem: crate::command::flags::ValueProblem::MountTarget,
                },
            );
            return;
        }
        Err(super::volumes::MountProblem::Refused(e)) => return fail(out, e, 125),
        Err(super::volumes::MountProblem::Unread { value }) => {
            out.note(Note::MountNotSimulated { value });
            out.exit_code = 1;
            return;
        }
    }
    match super::volumes::check_binds(world, host, &mounts) {
        Ok(()) => {}
        Err(super::volumes::BindProblem::Missing(e)) => return fail(out, e, 125),
        Err(super::volumes::BindProblem::OutsideWorkingFolder { source }) => {
            out.note(Note::BindMountNotSimulated { source });
            out.exit_code = 1;
            return;
        }
    }
    let id = world.new_shared_id(host);
    let name = match &r.name {
        Some(n) => n.clone(),
        None => world.new_container_name(host),
    };
    let container = Container {
        id: id.clone(),
        name: name.as_str().into(),
        image: image_id,
        image_data: image.clone(),
        image_ref: world.machines[host].containers.image_ref_for(&r.image),
        cmdline: world.machines[host].containers.cmdline_for(&argv),
        created: world.now,
        state: State::Created,
        auto_remove: r.rm,
        interactive: r.interactive,
        tty: r.tty,
        logs: Vec::new(),
        seq: 0,
        registry: None,
        networks: Default::default(),
        rare: Rare::new(RareFields {
            ports,
            labels,
            user: r.user.clone(),
            hostname: r.hostname.clone(),
            network: r.network.clone(),
            env_given,
            ..RareFields::default()
        }),
    };
    world.machine(host).add_container(container);
    super::volumes::mount(world, host, &id, &mounts);
    if r.create_only {
        out.push(Event::ContainerId(id.to_string()));
        return;
    }
    if r.detach {
        out.push(Event::ContainerId(id.to_string()));
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

/// The `k=v` lines of `--label-file` files in the working folder (blank lines, `#` comments and lines
/// without `=` are skipped, as the oracle's CLI 28.2.2 does).
fn label_file_lines(
    world: &World,
    host: &str,
    paths: &[String],
) -> Result<Vec<String>, DockerError> {
    let files = &world.machines[host].files;
    let mut lines = Vec::new();
    for p in paths {
        let bytes = crate::vfs::normalize(p)
            .and_then(|k| files.get(k.as_str()))
            .ok_or_else(|| DockerError::OpenFile { path: p.clone() })?;
        let text = String::from_utf8_lossy(bytes);
        lines.extend(
            text.lines()
                .map(str::trim_start)
                .filter(|l| !l.is_empty() && !l.starts_with('#') && l.contains('='))
                .map(str::to_string),
        );
    }
    Ok(lines)
}

/// The container's labels: the image's, then each `--label k=v` (a bare `k` is an empty value) over them.
fn container_labels(
    image: &std::collections::BTreeMap<String, String>,
    given: &[String],
) -> std::collections::BTreeMap<String, String> {
    let mut labels = image.clone();
    for l in given {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        labels.insert(k.to_string(), v.to_string());
    }
    labels
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

/// A `-t` container writes to a terminal: one stream, and the terminal's `\r\n` line ends (also in its
/// logs).
fn through_tty(b: Behaviour) -> Behaviour {
    let tty = |output: Vec<LogLine>| {
        output
            .into_iter()
            .map(|l| LogLine {
                stream: crate::model::container::Stream::Stdout,
                text: format!("{}\r", l.text),
            })
            .collect()
    };
    match b {
        Behaviour::Exits { code, output } => Behaviour::Exits {
            code,
            output: tty(output),
        },
        Behaviour::Runs {
            output,
            ends_after,
            end_code,
            on_term,
        } => Behaviour::Runs {
            output: tty(output),
            ends_after,
            end_code,
            on_term,
        },
        missing => missing,
    }
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
    match &world.machines[host].containers.get(id)?.state {
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
    let (argv, env, image, interactive, user, hostname, tty, ports, network) = {
        let c = &world.machines[host].containers[id];
        (
            c.argv(),
            c.env().to_vec(),
            c.image_data.clone(),
            c.interactive,
            c.user().map(str::to_string),
            c.host_name().to_string(),
            c.tty,
            c.ports().to_vec(),
            c.network().map(str::to_string),
        )
    };
    // The process sees its own layer and the host folders bind-mounted into it.
    let image = super::changes::seen_by_processes(&world.machines[host], id, &image);
    let folders = super::changes::mounted_folders(&world.machines[host], id);
    // The daemon looks the network up when it sets up the container's networking, at start.
    if let Some(name) = network
        && super::networks::joins(world, host, &name).is_none()
    {
        let e = DockerError::StartFailed {
            problem: StartProblem::NoSuchNetwork { name },
        };
        record_failed_start(world, host, id, 128, &e);
        return Err(e);
    }
    // A user network named by `--network` gets the container's endpoint when it first starts.
    super::networks::join_at_start(world, host, id);
    if let Some(Err(unknown)) = user
        .as_deref()
        .map(|u| crate::model::users::resolve(&image, u))
    {
        let e = DockerError::StartFailed {
            problem: StartProblem::UnknownUser(unknown),
        };
        record_failed_start(world, host, id, 128, &e);
        return Err(e);
    }
    // Ports are bound at start: a port another running container holds fails the start.
    let m = &world.machines[host];
    for p in &ports {
        if let Some(holder) = m.containers.port_holder(p.host_port)
            && *holder.id != *id
        {
            let container_name = m.containers[id].name.to_string();
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
    let read_only = super::changes::read_only_refusal(m, id, &argv, &workdir);
    let runs_here = image.platform.runs_on(&m.platform);
    let b = if let Some(line) = read_only.filter(|_| runs_here) {
        // A write under a read-only mount fails in the program (busybox's line, exit 1).
        Behaviour::Exits {
            code: 1,
            output: vec![LogLine {
                stream: crate::model::container::Stream::Stderr,
                text: line,
            }],
        }
    } else if runs_here {
        crate::model::process::behaviour_in(
            &argv,
            &image,
            &env,
            &workdir,
            interactive,
            crate::model::process::Inside {
                hostname: &hostname,
                pid1: &argv,
                user: user.as_deref(),
                term: tty,
                folders: &folders,
            },
        )
    } else {
        // The kernel refuses a binary of another architecture: runc's init reports the failed execve and
        // exits 255 (runc `libcontainer/init_linux.go`, `system.Exec`).
        Behaviour::Exits {
            code: 255,
            output: vec![LogLine {
                stream: crate::model::container::Stream::Stderr,
                text: format!(
                    "exec {}: exec format error",
                    crate::model::platform::resolved_path(argv.first().map_or("", String::as_str))
                ),
            }],
        }
    };
    let b = if tty { through_tty(b) } else { b };
    // What the main process writes lands as an exec's writes do (its layer, a mount, the host folder).
    let writes = matches!(b, Behaviour::Exits { code: 0, .. } | Behaviour::Runs { .. });
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
            let cid = c.id.clone();
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
                m.containers.hold_port(p.host_port, &cid);
            }
            if let (Some(at), Some(key)) = (ends_at, IdKey::of(&cid)) {
                let machine = m.name.clone();
                world.timers.insert((at, machine, key));
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
    if writes {
        super::changes::record_exec(world, host, id, &argv);
    }
    if !started.running {
        finish(world, host, id);
    }
    Ok(started)
}

/// Forgets the timer of a process that will no longer end by itself (stopped, killed, paused), so timers
/// do not pile up with every container ever started.
fn drop_timer(world: &mut World, host: &str, id: &str, ends_at: Option<u64>) {
    let machine = world
        .machines
        .get_key_value(host)
        .map(|(name, _)| name.clone());
    if let (Some(at), Some(machine), Some(key)) = (ends_at, machine, IdKey::of(id)) {
        world.timers.remove(&(at, machine, key));
    }
}

/// A start that failed leaves the container `Created` (with the exit code recorded), or removes it with `--rm`.
fn record_failed_start(world: &mut World, host: &str, id: &str, code: i32, e: &DockerError) {
    let m = world.machine(host);
    if let Some(c) = m.containers.get_mut(id) {
        c.rare.get_mut().start_error = Some((code, e.clone()));
        if c.auto_remove {
            super::volumes::remove_with_anonymous(world, host, id);
        }
    }
}

/// A container just stopped: frees its ports and applies `--rm`.
fn finish(world: &mut World, host: &str, id: &str) -> bool {
    super::networks::leave_at_stop(world, host, id);
    let m = world.machine(host);
    m.containers.release_ports_of(id);
    let auto = m.containers.get(id).is_some_and(|c| c.auto_remove);
    if auto {
        // `--rm` takes the container's anonymous volumes with it, never a named one.
        super::volumes::remove_with_anonymous(world, host, id);
    }
    auto
}

/// A timer fired: the process ended by itself at `at`.
pub fn end_by_itself(world: &mut World, host: &str, id: &str, at: u64) {
    let Some(m) = world.machines.get_mut(host).map(std::sync::Arc::make_mut) else {
        return;
    };
    let Some(c) = m.containers.get(id) else {
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
    let signal = if kill {
        super::signal::KILL
    } else {
        super::signal::TERM
    };
    stop_with(world, host, id, timeout, signal)
}

/// Stops a running container with `signal`: SIGKILL at once; a stop signal its program handles ends it;
/// any other is ignored (PID 1 has no default action) until SIGKILL after `timeout`. Returns the seconds
/// it took.
fn stop_with(world: &mut World, host: &str, id: &str, timeout: u64, signal: i64) -> u64 {
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
    let (code, took) = match on_term {
        _ if signal == super::signal::KILL => (137, 0),
        OnTerm::Exit(code) if super::signal::asks_to_stop(signal) => (code, 0),
        _ => (137, timeout),
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
    (timeout, signal): (Option<i64>, Option<&str>),
    args: &[String],
    out: &mut Outcome,
) {
    let timeout = stop_timeout(timeout);
    let mut errors = Vec::new();
    let mut longest = 0;
    for arg in args {
        let r = resolve(world, host, arg).and_then(|id| {
            // The daemon reads `-s` only for a running container (a stopped one is "not modified").
            let running = world.machines[host].containers[&id].is_running();
            let number = match signal.map(super::signal::parse) {
                Some(Err(problem)) if running => {
                    return Err(DockerError::BadSignal {
                        signal: signal.unwrap_or_default().to_string(),
                        problem,
                    });
                }
                Some(Ok(n)) => n,
                _ => super::signal::TERM,
            };
            let took = stop_with(world, host, &id, timeout, number);
            longest = longest.max(took);
            let name = world.machines[host]
                .containers
                .get(&id)
                .map(|c| c.name.to_string());
            if finish(world, host, &id)
                && let Some(name) = name
            {
                out.push(Event::Rule(Rule::AutoRemoved { name }));
            }
            Ok(())
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

/// `docker kill [-s SIGNAL]`: SIGKILL ends any process; SIGTERM, SIGINT and SIGQUIT end one that handles
/// them (as `stop` would, without the wait); any other signal, or one PID 1 has no handler for, changes
/// nothing.
pub fn kill(
    world: &mut World,
    host: &str,
    signal: Option<&str>,
    args: &[String],
    out: &mut Outcome,
) {
    let number = match signal.map(super::signal::parse) {
        None => super::signal::KILL,
        Some(Ok(n)) => n,
        Some(Err(problem)) => {
            // The daemon reads the signal before it looks for the container, so every name gets this.
            let bad = DockerError::BadSignal {
                signal: signal.unwrap_or_default().to_string(),
                problem,
            };
            let errors = args
                .iter()
                .map(|arg| DockerError::KillFailed {
                    name: arg.clone(),
                    cause: Box::new(bad.clone()),
                })
                .collect();
            return report_errors(errors, out);
        }
    };
    let mut errors = Vec::new();
    for arg in args {
        // The API's kill route wraps every error, a missing container's too.
        let found = resolve(world, host, arg).map_err(|e| DockerError::KillFailed {
            name: arg.clone(),
            cause: Box::new(e),
        });
        let r = found.and_then(|id| {
            let c = &world.machines[host].containers[&id];
            if !c.is_running() {
                return Err(DockerError::KillNotRunning {
                    name: arg.clone(),
                    id: id.to_string(),
                });
            }
            let handles = matches!(
                c.state,
                State::Running {
                    on_term: OnTerm::Exit(_),
                    ..
                }
            );
            if number == super::signal::KILL {
                stop_container(world, host, &id, 0, true);
                finish(world, host, &id);
            } else if super::signal::asks_to_stop(number) && handles {
                stop_container(world, host, &id, 0, false);
                finish(world, host, &id);
            }
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
                (State::Paused { .. }, true) => {
                    Err(DockerError::AlreadyPaused { id: id.to_string() })
                }
                (_, false) => Err(DockerError::NotPaused { id: id.to_string() }),
                (_, true) => Err(DockerError::NotRunning { id: id.to_string() }),
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
            let c = &world.machines[host].containers[&id];
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
            let wd = world.machines[host].containers[&id]
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
pub fn rm(
    world: &mut World,
    host: &str,
    (force, link, volumes): (bool, bool, bool),
    args: &[String],
    out: &mut Outcome,
) {
    let mut errors = Vec::new();
    let mut hard_error = false;
    for arg in args {
        let r = resolve(world, host, arg).and_then(|id| {
            if link {
                // No container has links here: a plain name is the container's own ("default") one.
                return Err(DockerError::DefaultLink);
            }
            let c = &world.machines[host].containers[&id];
            if c.is_running() {
                if !force {
                    hard_error = true;
                    return Err(DockerError::RemoveRunning { name: arg.clone() });
                }
                stop_container(world, host, &id, 0, true);
            }
            if volumes {
                super::volumes::remove_with_anonymous(world, host, &id);
            } else {
                world.machine(host).remove_container(&id);
            }
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
    (user, workdir): (Option<&str>, Option<&str>),
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
    let c = &world.machines[host].containers[&id];
    if matches!(c.state, State::Paused { .. }) {
        return out.error(
            DockerError::ExecPaused {
                name: arg.to_string(),
            },
            1,
        );
    }
    if !c.is_running() {
        return out.error(DockerError::NotRunning { id: id.to_string() }, 1);
    }
    // runc refuses these before the program starts; the exec's stream carries the words (exit 126).
    if let Some(wd) = workdir.filter(|w| !w.is_empty() && !w.starts_with('/')) {
        out.push(Event::ExecFailed {
            problem: ExecProblem::RelativeWorkdir {
                workdir: wd.to_string(),
            },
        });
        out.exit_code = 126;
        return;
    }
    if let Some(Err(unknown)) = user.map(|u| crate::model::users::resolve(&c.image_data, u)) {
        out.push(Event::ExecFailed {
            problem: ExecProblem::UnknownUser(unknown),
        });
        out.exit_code = 126;
        return;
    }
    let m = &world.machines[host];
    // runc changes into `-w` before it starts the program: a folder the container lacks fails the exec.
    if let Some(wd) = workdir.filter(|w| !w.is_empty())
        && !super::changes::folder_seen(m, &id, &c.image_data, wd)
    {
        out.push(Event::ExecFailed {
            problem: ExecProblem::MissingWorkdir {
                workdir: wd.to_string(),
            },
        });
        out.exit_code = 126;
        return;
    }
    let wd = workdir
        .filter(|w| !w.is_empty())
        .map_or_else(|| c.image_data.config.working_dir.clone(), str::to_string);
    // A write the command makes under a read-only mount fails in the program (busybox's line, exit 1).
    if let Some(line) = super::changes::read_only_refusal(m, &id, command, &wd) {
        out.push(Event::Output(vec![crate::model::container::LogLine {
            stream: crate::model::container::Stream::Stderr,
            text: line,
        }]));
        out.exit_code = 1;
        return;
    }
    let folders = super::changes::mounted_folders(m, &id);
    let mut env = c.env().to_vec();
    env.extend(extra_env.iter().cloned());
    let hostname = c.host_name();
    let pid1 = c.argv();
    let inside = crate::model::process::Inside {
        hostname,
        pid1: &pid1,
        // An exec runs as the container's user (`run -u`, else the image's) unless it says otherwise.
        user: user.or(c.user()),
        term: false,
        folders: &folders,
    };
    // What the container wrote over its image (`docker cp`, earlier execs) is what its processes read.
    let image = super::changes::seen_by_processes(&world.machines[host], &id, &c.image_data);
    let b = crate::model::process::behaviour_in(command, &image, &env, &wd, interactive, inside);
    match if tty { through_tty(b) } else { b } {
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
            let name = c.name.to_string();
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

/// `docker logs [-n N] [-t] [--details] [--since T] [--until T]`. Lines carry no time of their own here:
/// each counts as written when the container last started.
pub fn logs(world: &mut World, host: &str, arg: &str, cmd: &Command, out: &mut Outcome) {
    let Command::Logs {
        tail,
        timestamps,
        details,
        since,
        until,
        ..
    } = cmd
    else {
        return;
    };
    // The API client reads the times before it sends anything.
    let mut window = (i64::MIN, i64::MAX);
    for (flag, value, slot) in [
        ("since", since, &mut window.0),
        ("until", until, &mut window.1),
    ] {
        if let Some(v) = value {
            match super::until::parse(v, world.now) {
                Some(t) => *slot = t,
                None => {
                    return out.error(
                        DockerError::BadLogsTime {
                            flag,
                            value: v.clone(),
                        },
                        1,
                    );
                }
            }
        }
    }
    let id = match resolve(world, host, arg) {
        Ok(id) => id,
        Err(e) => return out.error(e, 1),
    };
    let c = &world.machines[host].containers[&id];
    let written = match c.state {
        State::Running { started, .. }
        | State::Paused { started }
        | State::Exited { started, .. } => started,
        State::Created => c.created,
    };
    let shown = (written as i64) >= window.0 && (until.is_none() || (written as i64) <= window.1);
    let mut lines = if shown { c.logs.clone() } else { Vec::new() };
    if let Some(n) = tail {
        lines.drain(..lines.len().saturating_sub(*n));
    }
    if lines.is_empty() {
        return;
    }
    if *timestamps || *details {
        out.push(Event::LogLines {
            lines,
            at: timestamps.then_some(written),
            details: *details,
        });
    } else {
        out.push(Event::Output(lines));
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
        "publish" | "expose" if v.contains(':') => Some(FilterProblem::PortWithHost),
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
    by_key.iter().all(|(k, vals)| match *k {
        // Every label filter must hold (the daemon's `MatchKVList`); the other keys OR their values.
        "label" => vals.iter().all(|v| label_matches(c.labels(), v)),
        // `expose` and `publish` together: any one port of either kind.
        "expose" | "publish" => port_filter_matches(c, filters),
        _ => vals.iter().any(|v| match *k {
            "status" => c.status_word() == *v,
            "name" => name_matches(&c.name, v),
            "id" => c.id.starts_with(v),
            "exited" => matches!(c.state, State::Exited { code, .. } if code.to_string() == *v),
            "ancestor" => c.image_ref.raw == *v || c.image.hex().starts_with(v),
            // The networks it is on (its creation network unless it left it, and those it was connected to).
            "network" => super::networks::names_of(c).iter().any(|n| n == v),
            // moby `daemon/list.go`: a mount's volume name or its mount point.
            "volume" => c.mounts().iter().any(|p| {
                p.target == *v || matches!(&p.source, MountSource::Volume { name, .. } if name == v)
            }),
            _ => true,
        }),
    })
}

/// `label=k` (present) or `label=k=v` (equal).
fn label_matches(labels: &std::collections::BTreeMap<String, String>, filter: &str) -> bool {
    match filter.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|have| have == v),
        None => labels.contains_key(filter),
    }
}

/// `name=`: the daemon matches a regular expression against `/NAME` and `NAME`. The anchors `^` and `$`
/// are honoured; the rest of the pattern is matched literally.
fn name_matches(name: &str, pattern: &str) -> bool {
    let slashed = format!("/{name}");
    let (start, rest) = match pattern.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, pattern),
    };
    let (end, body) = match rest.strip_suffix('$') {
        Some(b) => (true, b),
        None => (false, rest),
    };
    [name, slashed.as_str()].iter().any(|n| match (start, end) {
        (true, true) => *n == body,
        (true, false) => n.starts_with(body),
        (false, true) => n.ends_with(body),
        (false, false) => n.contains(body),
    })
}

/// `publish=PORT[/PROTO]` matches a published host port, `expose=PORT[/PROTO]` a container port (both may
/// be a range `8000-8001`); only running containers have ports.
fn port_filter_matches(c: &Container, filters: &[(String, String)]) -> bool {
    if !c.is_running() {
        return false;
    }
    let wanted = |key: &str, port: u16, proto: &str| {
        filters.iter().filter(|(k, _)| k == key).any(|(_, v)| {
            let (range, want_proto) = v.split_once('/').unwrap_or((v, "tcp"));
            want_proto == proto && port_range(range).is_some_and(|(a, b)| (a..=b).contains(&port))
        })
    };
    c.ports().iter().any(|p| {
        wanted("publish", p.host_port, &p.proto) || wanted("expose", p.container_port, &p.proto)
    }) || c.image_data.config.exposed_ports.iter().any(|e| {
        let (port, proto) = e.split_once('/').unwrap_or((e, "tcp"));
        port.parse().is_ok_and(|port| wanted("expose", port, proto))
    })
}

/// `before=` / `since=`: the container a value names (ID, name or unique ID prefix), as its creation
/// sequence number.
fn filter_container(world: &World, host: &str, key: &str, value: &str) -> Result<u64, DockerError> {
    let m = &world.machines[host].containers;
    m.resolve(value)
        .ok()
        .and_then(|id| m.seq_of(&id))
        .ok_or_else(|| DockerError::InvalidFilterValue {
            key: key.to_string(),
            value: value.to_string(),
            problem: FilterProblem::NoSuchContainer,
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
            Ok(r) if r.digest().is_some() => r.repo_familiar(),
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
    // The last `before=` / `since=` value wins, as in the daemon's walk over them.
    let mut bounds = (None, None);
    for (k, v) in filters
        .iter()
        .filter(|(k, _)| k == "before" || k == "since")
    {
        match filter_container(world, host, k, v) {
            Ok(seq) if k == "before" => bounds.0 = Some(seq),
            Ok(seq) => bounds.1 = Some(seq),
            Err(e) => return out.error(e, 1),
        }
    }
    let (before, since) = bounds;
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
    let seq = |c: &Container| c.seq;
    let rows = candidates
        .filter(|c| before.is_none_or(|b| seq(c) < b) && since.is_none_or(|s| seq(c) > s))
        .filter(|c| matches_filters(c, &filters))
        .take(limit.unwrap_or(usize::MAX))
        .map(|c| ContainerRow {
            id: c.id.to_string(),
            name: c.name.to_string(),
            image: image_column(world, host, c),
            argv: c.argv(),
            created: c.created,
            state: c.state.clone(),
            ports: if c.is_running() {
                c.ports().to_vec()
            } else {
                Vec::new()
            },
            exposed: if c.is_running() {
                c.image_data.config.exposed_ports.iter().cloned().collect()
            } else {
                Vec::new()
            },
            virtual_size: c.image_data.size(),
            labels: c.labels().iter().map(|(k, v)| format!("{k}={v}")).collect(),
            mounts: c
                .mounts()
                .iter()
                .map(|p| match &p.source {
                    MountSource::Volume { name, .. } => name.clone(),
                    MountSource::Bind { path } => path.clone(),
                    MountSource::Tmpfs => String::new(),
                })
                .collect(),
            local_volumes: c
                .mounts()
                .iter()
                .filter(|p| matches!(p.source, MountSource::Volume { .. }))
                .count(),
            networks: super::networks::names_of(c),
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
pub fn prune(world: &mut World, host: &str, f: &super::PruneFilters, out: &mut Outcome) {
    let ids = remove_stopped_matching(world, host, f);
    out.push(Event::ContainersPruned { ids });
}

/// Removes every container that is not running (newest first): the IDs removed.
pub(super) fn remove_stopped(world: &mut World, host: &str) -> Vec<String> {
    remove_stopped_matching(world, host, &super::PruneFilters::default())
}

/// Removes the stopped containers the prune filters select: the IDs removed.
fn remove_stopped_matching(world: &mut World, host: &str, f: &super::PruneFilters) -> Vec<String> {
    let m = world.machine(host);
    let ids: Vec<String> = m
        .containers
        .newest_first()
        .filter(|c| !c.is_running() && !f.keeps(c.created, c.labels()))
        .map(|c| c.id.to_string())
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

    use crate::engine::run_test_line as exec;

    /// The daemon looks `--network` up at start (oracle): `create` succeeds, `run` and `start` fail and leave
    /// the container created, and once the network exists the same container starts.
    #[test]
    fn an_unknown_network_fails_the_start_not_the_create() {
        let mut world = World::new();
        exec(&mut world, "docker pull -q busybox");
        let out = exec(
            &mut world,
            "docker create --name web --network nets busybox true",
        );
        assert_eq!(out.exit_code, 0, "{:?}", out.events);
        let out = exec(&mut world, "docker start web");
        assert_eq!(out.exit_code, 1);
        assert!(out.events.iter().any(|e| matches!(e,
            Event::Error(DockerError::StartFailed { problem: StartProblem::NoSuchNetwork { name } }) if name == "nets")));
        assert_eq!(world.machines["default"].containers.len(), 1);
        let out = exec(&mut world, "docker run --network nets busybox true");
        assert_eq!(out.exit_code, 125);
        exec(&mut world, "docker network create nets");
        assert_eq!(exec(&mut world, "docker start web").exit_code, 0);
        // `default` is the daemon's name for the bridge; no note for it.
        let out = exec(&mut world, "docker run --rm --network default busybox true");
        assert_eq!(out.exit_code, 0);
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
        assert_eq!(check("publish", "80:80"), Some(FilterProblem::PortWithHost));
        assert_eq!(
            restart_problem("bogus"),
            Some(RestartProblem::Unknown {
                name: "bogus".into()
            })
        );
        assert_eq!(
            restart_problem("always:3"),
            Some(RestartProblem::CountNeedsOnFailure)
        );
        assert_eq!(restart_problem("on-failure:3"), None);
        assert_eq!(restart_problem("unless-stopped"), None);
        assert_eq!(check("expose", "80/tcp"), None);
    }

    /// `name=` is the daemon's regular expression on `/NAME` and `NAME` (anchors honoured); `label=`
    /// needs every value to hold.
    #[test]
    fn name_and_label_filters() {
        assert!(name_matches("third", "ir"));
        assert!(name_matches("third", "^/third"));
        assert!(name_matches("third", "^third$"));
        assert!(!name_matches("third", "^hird"));
        assert!(name_matches("third", "rd$"));
        let labels: std::collections::BTreeMap<String, String> =
            [("tier".to_string(), "web".to_string())].into();
        assert!(label_matches(&labels, "tier"));
        assert!(label_matches(&labels, "tier=web"));
        assert!(!label_matches(&labels, "tier=db"));
        assert!(!label_matches(&labels, "other"));
        assert_eq!(
            container_labels(&labels, &["tier=db".into(), "solo".into()]),
            [
                ("solo".to_string(), String::new()),
                ("tier".to_string(), "db".to_string())
            ]
            .into()
        );
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
