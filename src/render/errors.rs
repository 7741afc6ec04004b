//! Every refusal's words: the one place a [`DockerError`] becomes Docker's sentence, and where the CLI
//! says whether it came from the daemon (`Error response from daemon: …`) or from itself.

use crate::docker_error::{
    ArchiveProblem, ChangeProblem, DockerError, FilterProblem, ImageHold, PortProblem,
    PrepareProblem, StartProblem, StepFailure, Transfer, Unreachable,
};
use crate::event::BuildFailure;
use crate::model::tarball::TarError;

/// Loopback hosts get plain HTTP from the daemon; everything else HTTPS.
fn scheme(host: &str) -> &'static str {
    if crate::engine::is_loopback(host) {
        "http"
    } else {
        "https"
    }
}

/// The daemon's words for a registry that does not answer.
fn unreachable_text(host: &str, why: &Unreachable) -> String {
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let port = host
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse::<u16>().ok())
        .unwrap_or(443);
    match why {
        Unreachable::ConnectionRefused => {
            let addr = if name == "localhost" {
                format!("[::1]:{port}")
            } else {
                format!("{name}:{port}")
            };
            format!("Get \"http://{host}/v2/\": dial tcp {addr}: connect: connection refused")
        }
        Unreachable::NoSuchHost => format!(
            "Get \"https://{host}/v2/\": dial tcp: lookup {name} on 127.0.0.53:53: no such host"
        ),
    }
}

/// Did the daemon (rather than the CLI) say it? Decides the `Error response from daemon: ` prefix.
pub fn from_daemon(e: &DockerError) -> bool {
    use DockerError as E;
    match e {
        E::NoSuchObject { .. }
        | E::InvalidTagTarget { .. }
        | E::TagWithDigest
        | E::AllTagsWithTag
        | E::PushDigest
        | E::NotLocalRepository { .. }
        | E::NotLocalTag { .. }
        | E::PushNoCredentials { .. }
        | E::PushDenied { .. }
        | E::PasswordFlagsConflict
        | E::PasswordStdinWithoutUsername
        | E::NonTtyLogin
        | E::EmptyUsername
        | E::EmptyPassword
        | E::NotATty
        | E::InvalidPort { .. }
        | E::StartAttachMany
        | E::SaveToTerminal
        | E::ArchiveTooLarge { .. }
        | E::LoadFromTerminal
        | E::OpenFile { .. }
        | E::ArchiveUnreadable { .. }
        | E::RenameEmpty
        | E::PortNumber { .. }
        | E::PortNotPublished { .. }
        | E::BadLogsTime { .. }
        | E::InspectType { .. }
        | E::RunPlatform(_)
        | E::CopyWithoutContainer
        | E::CopyBetweenContainers
        | E::LocalPathMissing { .. }
        | E::CopyNoSuchDirectory
        | E::NoOutputFolder { .. }
        | E::Buildx(_)
        | E::Manifest(_) => false,
        E::InvalidReference { daemon, .. } => *daemon,
        // A push reports a dead registry in its progress stream, without the daemon's prefix.
        E::RegistryUnreachable { during, .. } => *during != Transfer::Push,
        E::RegistryFailed { during, .. } => *during != Transfer::Push,
        _ => true,
    }
}

/// The message itself, without the daemon prefix.
pub fn message(e: &DockerError) -> String {
    use DockerError as E;
    match e {
        E::Buildx(b) => super::buildx::message(b),
        E::Manifest(m) => super::manifest::message(m),
        E::NoSuchImage { reference } => format!("No such image: {reference}"),
        // containerd `platforms.Parse`; moby `distribution/pull_v2.go` `pullManifestList`;
        // moby `daemon/images/image.go` `GetImage`.
        E::InvalidPlatform(p) => p.to_string(),
        // docker/cli `cli/command/container/create.go`.
        E::RunPlatform(p) => format!("error parsing specified platform: {p}"),
        E::NoMatchingManifest { platform } => {
            format!("no matching manifest for {platform} in the manifest list entries")
        }
        E::PlatformMismatch {
            reference,
            wanted,
            actual,
        } => format!(
            "image with reference {reference} was found but does not match the specified platform: wanted {wanted}, actual: {actual}"
        ),
        E::NoSuchContainer { name } => format!("No such container: {name}"),
        E::NoSuchObject { name } => format!("Error: No such object: {name}"),
        E::AmbiguousContainer { prefix } => {
            format!("multiple IDs found with provided prefix: {prefix}")
        }
        E::InvalidReference { error, .. } => error.to_string(),
        E::InvalidTagTarget { target, error } => {
            format!("Error parsing reference: \"{target}\" is not a valid repository/tag: {error}")
        }
        E::TagWithDigest => "refusing to create a tag with a digest reference".into(),
        E::TagNamedSha256 => {
            "refusing to create an ambiguous tag using digest algorithm as name".into()
        }
        E::ReferenceInUse {
            reference,
            container,
            image,
        } => format!(
            "conflict: unable to remove repository reference \"{reference}\" (must force) - container {} is using its referenced image {}",
            short(container),
            image.short()
        ),
        E::ImageInUse {
            image,
            forcible,
            hold,
        } => {
            let how = if *forcible {
                "must be forced"
            } else {
                "cannot be forced"
            };
            let why = match hold {
                ImageHold::ChildImages => "image has dependent child images".to_string(),
                ImageHold::RunningContainer { container } => {
                    format!(
                        "image is being used by running container {}",
                        short(container)
                    )
                }
                ImageHold::StoppedContainer { container } => {
                    format!(
                        "image is being used by stopped container {}",
                        short(container)
                    )
                }
                ImageHold::MultipleRepositories => {
                    "image is referenced in multiple repositories".to_string()
                }
            };
            format!(
                "conflict: unable to delete {} ({how}) - {why}",
                image.short()
            )
        }
        E::RegistryUnreachable { host, why, .. } => unreachable_text(host, why),
        E::PullNoCredentials {
            host,
            path,
            reference,
        } => format!(
            "Head \"{}://{host}/v2/{path}/manifests/{reference}\": no basic auth credentials",
            scheme(host)
        ),
        E::PullDenied { repository } => format!(
            "pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            repository.familiar()
        ),
        E::ManifestUnknown { reference } => {
            format!("manifest for {reference} not found: manifest unknown: manifest unknown")
        }
        // The client's error is Go's `url.Error`/errcode text the daemon prints (src/remote/client.rs).
        E::RegistryFailed { error, .. } => error.to_string(),
        E::UnsupportedImage { reference, error } => {
            format!("dockdrill cannot simulate {reference}: {error}")
        }
        E::AllTagsWithTag => "tag can't be used with --all-tags/-a".into(),
        E::PushDigest => "cannot push a digest reference".into(),
        E::NotLocalRepository { repository } => format!(
            "An image does not exist locally with the tag: {}",
            repository.familiar()
        ),
        E::NotLocalTag { repository, tag } => {
            format!("tag does not exist: {}:{tag}", repository.familiar())
        }
        E::PushNoCredentials { .. } => "no basic auth credentials".into(),
        E::PushDenied { .. } => "denied: requested access to the resource is denied".into(),
        E::PasswordFlagsConflict => {
            "conflicting options: cannot specify both --password and --password-stdin".into()
        }
        E::PasswordStdinWithoutUsername => {
            "the --password-stdin option requires --username to be set".into()
        }
        E::NonTtyLogin => "Error: Cannot perform an interactive login from a non TTY device".into(),
        E::EmptyUsername => "username is empty".into(),
        E::EmptyPassword => "password is empty".into(),
        E::BadCredentials { hub: true, .. } => {
            "Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password"
                .into()
        }
        E::BadCredentials { host, hub: false } => format!(
            "login attempt to {}://{host}/v2/ failed with status: 401 Unauthorized",
            scheme(host)
        ),
        E::NotATty => "the input device is not a TTY".into(),
        E::InvalidPort { problem } => match problem {
            PortProblem::Proto { proto } => format!("invalid proto: {proto}"),
            PortProblem::Spec { spec } => format!("invalid port specification: \"{spec}\""),
            PortProblem::ContainerPort { port } => format!("invalid containerPort: {port}"),
            PortProblem::HostPort { port } => format!("invalid hostPort: {port}"),
            PortProblem::Ip { ip } => format!("invalid IP address: {ip}"),
            PortProblem::Ranges { container, host } => format!(
                "invalid ranges specified for container and host Ports: {container} and {host}"
            ),
            PortProblem::NoPort { spec } => format!("no port specified: {spec}<empty>"),
        },
        E::InvalidContainerName { name } => {
            format!("Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
        // moby `builder/dockerfile/builder.go` `BuildFromConfig`; buildkit `instructions.ParseCommand`.
        E::CommitChange(ChangeProblem::NotAChange { keyword }) => {
            format!("{keyword} is not a valid change command")
        }
        E::CommitChange(ChangeProblem::Unparsable(kind)) => kind.text(),
        // moby `reference/store.go` `ErrDoesNotExist`, returned by the exporter's `parseNames`.
        E::ReferenceDoesNotExist => "reference does not exist".into(),
        E::SaveToTerminal => {
            "cowardly refusing to save to a terminal. Use the -o flag or redirect".into()
        }
        E::ArchiveTooLarge { path } => {
            format!("failed to save image: write {path}: no space left on device")
        }
        E::LoadFromTerminal => "requested load from stdin, but stdin is empty".into(),
        E::OpenFile { path } => format!("open {path}: no such file or directory"),
        E::ArchiveUnreadable { problem } => match problem {
            ArchiveProblem::Tar(TarError::UnexpectedEof) => {
                "Error processing tar file(exit status 1): unexpected EOF".into()
            }
            ArchiveProblem::Tar(TarError::InvalidHeader) => {
                "Error processing tar file(exit status 1): archive/tar: invalid tar header".into()
            }
            ArchiveProblem::NoRepositories => "open /var/lib/docker/tmp/docker-import-1000000001/repositories: no such file or directory".into(),
            ArchiveProblem::Corrupt { .. } => "unexpected end of JSON input".into(),
        },
        E::RenameEmpty => "Error: Neither old nor new names may be empty".into(),
        E::RenameFailed { old, cause } => format!(
            "{}\nError: failed to rename container named {old}",
            message(cause)
        ),
        E::RenameSameName => "Renaming a container with the same name as its current name".into(),
        E::NameAllocation { cause } => {
            format!("Error when allocating new name: {}", message(cause))
        }
        E::PortNumber { port, out_of_range } => format!(
            "Error: invalid port ({port}): strconv.ParseUint: parsing \"{port}\": {}",
            if *out_of_range {
                "value out of range"
            } else {
                "invalid syntax"
            }
        ),
        E::PortNotPublished { spec, container } => {
            format!("Error: No public port '{spec}' published for {container}")
        }
        E::NameInUse { name, holder } => format!(
            "Conflict. The container name \"/{name}\" is already in use by container \"{holder}\". You have to remove (or rename) that container to be able to reuse that name."
        ),
        E::NoCommand => "No command specified".into(),
        E::StartFailed { problem } => match problem {
            StartProblem::NotInPath { executable } => format!(
                "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{executable}\": executable file not found in $PATH: unknown"
            ),
            StartProblem::NoSuchFile { executable } => format!(
                "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{executable}\": stat {executable}: no such file or directory: unknown"
            ),
            StartProblem::PermissionDenied { executable } => format!(
                "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{executable}\": permission denied: unknown"
            ),
            StartProblem::UnknownUser(unknown) => {
                exec_problem(&crate::docker_error::ExecProblem::UnknownUser(unknown.clone()))
            }
            StartProblem::NoSuchNetwork { name } => format!("network {name} not found"),
            StartProblem::PortAllocated {
                container_name,
                container_id,
                host_ip,
                host_port,
            } => format!(
                "failed to set up container networking: driver failed programming external connectivity on endpoint {container_name} ({container_id}): Bind for {host_ip}:{host_port} failed: port is already allocated"
            ),
        },
        E::KillNotRunning { name, id } => {
            format!("Cannot kill container: {name}: container {id} is not running")
        }
        // moby v28.2.2 `daemon/errors.go` (`errNotPaused`, `errExecPaused`, `errNotRunning`) and
        // `daemon/unpause.go`: the paused ones keep a capital C, only "not running" lost it.
        E::AlreadyPaused { id } => format!("Container {id} is already paused"),
        E::NotPaused { id } => format!("Container {id} is not paused"),
        E::NotRunning { id } => format!("container {id} is not running"),
        E::ExecPaused { name } => {
            format!("Container {name} is paused, unpause the container before exec")
        }
        E::StartAttachMany => "you cannot start and attach multiple containers at once".into(),
        E::StartPaused => "cannot start a paused container, try unpause instead".into(),
        E::RestartFailed { name, cause } => {
            format!("Cannot restart container {name}: {}", message(cause))
        }
        E::RemoveRunning { name } => format!(
            "cannot remove container \"{name}\": container is running: stop the container before removing or force remove"
        ),
        // moby v28.2.2 `api/types/filters/errors.go` (lower case since v23; the 20.10 oracle prints
        // `Invalid filter`), `daemon/list.go` `foldFilter`, `api/types/container` `ValidateContainerState` /
        // `ValidateHealthStatus`, `registry/search.go` (stars).
        E::InvalidFilter { key } => format!("invalid filter '{key}'"),
        E::InvalidFilterValue {
            key,
            value,
            problem,
        } => match problem {
            FilterProblem::NotAState => format!(
                "invalid filter '{key}={value}': invalid value for state ({value}): must be one of created, running, paused, restarting, removing, exited, dead"
            ),
            FilterProblem::NotANumber => {
                format!("invalid filter '{key}={value}': strconv.Atoi: parsing {value:?}: invalid syntax")
            }
            FilterProblem::NotAHealth => format!(
                "invalid filter '{key}={value}': invalid value for health ({value}): must be one of none, starting, healthy, unhealthy"
            ),
            FilterProblem::NotABool => format!("invalid filter '{key}=[{value}]'"),
            FilterProblem::NoSuchContainer => format!("no such container {value}"),
            FilterProblem::NotATime => {
                format!("failed to parse value as time or duration: {value:?}")
            }
            FilterProblem::PortWithHost => {
                format!("filter for '{key}' should not contain ':': {value}")
            }
        },
        E::InvalidRestartPolicy { problem } => match problem {
            crate::docker_error::RestartProblem::Unknown { name } => format!(
                "invalid restart policy: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"
            ),
            crate::docker_error::RestartProblem::CountNeedsOnFailure => {
                "invalid restart policy: maximum retry count can only be used with 'on-failure'".into()
            }
        },
        E::InspectType { value } => format!(
            "unknown type: {value:?}: must be one of {}",
            crate::engine::inspect_types()
                .iter()
                .map(|t| format!("{t:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        E::DefaultLink => "Conflict, cannot remove the default link name of the container".into(),
        E::BadLogsTime { flag, value } => format!(
            "invalid value for \"{flag}\": failed to parse value as time or duration: {value:?}"
        ),
        E::BadSignal { signal, problem } => match problem {
            crate::docker_error::SignalProblem::Invalid => format!("Invalid signal: {signal}"),
            crate::docker_error::SignalProblem::Unsupported(n) => {
                format!("the linux daemon does not support signal {n}")
            }
        },
        E::KillFailed { name, cause } => {
            format!("Cannot kill container: {name}: {}", message(cause))
        }
        // moby 28 `volume/service`, `daemon/network.go`; CLI `container/cp.go` (oracle for each).
        E::NoSuchVolume { name } => format!("get {name}: no such volume"),
        E::VolumeInUse { name, containers } => {
            format!("remove {name}: volume is in use - [{}]", containers.join(", "))
        }
        E::InvalidVolumeName { name } => format!(
            "create {name}: {name:?} includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
        ),
        E::VolumeNameTooShort { name } => format!(
            "create {name}: volume name is too short, names should be at least two alphanumeric characters"
        ),
        // moby 28 `daemon/container_operations.go`, libnetwork, `runconfig/errors.go` (oracle).
        E::EndpointExists { container, network } => {
            format!("endpoint with name {container} already exists in network {network}")
        }
        E::NotConnected { id, network, stopped: false } => {
            format!("container {id} is not connected to network {network}")
        }
        E::NotConnected { id, network, stopped: true } => {
            format!("container {id} is not connected to the network {network}")
        }
        E::HostNetworkConflict => {
            "container cannot be disconnected from host network or connected to host network".into()
        }
        E::BindSourceEmpty => {
            "invalid mount config for type \"bind\": field Source must not be empty".into()
        }
        E::UnknownMountType { kind } => {
            format!("invalid mount config for type {kind:?}: mount type unknown")
        }
        E::InvalidMountMode { mode } => format!("invalid mode: {mode}"),
        E::NetworkHasEndpoints { network, endpoints } => format!(
            "error while removing network: network {network} has active endpoints ({})",
            endpoints
                .iter()
                .map(|(name, id)| format!("name:{name:?} id:{:?}", short(id)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        E::NoneNetworkConflict => "container cannot be connected to multiple networks with one of the networks in private (none) mode".into(),
        // moby `volume/mounts/linux_parser.go` (oracle: the CLI makes `./x` absolute first).
        E::BindSourceMissing { path } => format!(
            "invalid mount config for type \"bind\": bind source path does not exist: {path}"
        ),
        E::SingleInstanceNetwork { driver } => {
            format!("only one instance of {driver:?} network is allowed")
        }
        E::NotASwarmManager => "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.".into(),
        E::NetworkExists { name } => format!("network with name {name} already exists"),
        E::NoSuchNetwork { name } => format!("network {name} not found"),
        E::PredefinedNetwork { name } => {
            format!("{name} is a pre-defined network and cannot be removed")
        }
        E::NoSuchNetworkDriver { driver } => format!("plugin {driver:?} not found"),
        // moby v28.2.2 `registry/search_session.go` `searchRepositories`.
        E::SearchLimit { limit } => format!("limit {limit} is outside the range of [1, 100]"),
        E::CopyWithoutContainer => "must specify at least one container source".into(),
        E::CopyBetweenContainers => "copying between containers is not supported".into(),
        E::NotInContainer { path, container } => {
            format!("Could not find the file {path} in container {container}")
        }
        E::LocalPathMissing { path } => format!("lstat {path}: no such file or directory"),
        E::CopyNoSuchDirectory => "no such directory".into(),
        E::NoOutputFolder { path } => {
            format!("invalid output path: directory {path:?} does not exist")
        }
    }
}

/// runc's words for an exec that cannot start (`unable to find user …`, from runc's user lookup through the
/// daemon; `Cwd must be an absolute path`, from runc's exec).
pub fn exec_problem(p: &crate::docker_error::ExecProblem) -> String {
    use crate::docker_error::ExecProblem as P;
    use crate::model::users::UnknownUser as U;
    match p {
        P::UnknownUser(U::User(name)) => {
            format!("unable to find user {name}: no matching entries in passwd file")
        }
        P::UnknownUser(U::Group(name)) => {
            format!("unable to find group {name}: no matching entries in group file")
        }
        P::RelativeWorkdir { .. } => {
            "OCI runtime exec failed: exec failed: Cwd must be an absolute path: unknown"
                .to_string()
        }
        // runc `libcontainer/init_linux.go` (`chdir to cwd (%q) set in config.json failed: %w`, the same in
        // runc 1.1 and current main), as the oracle's daemon wraps it.
        P::MissingWorkdir { workdir } => format!(
            "OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd ({workdir:?}) set in config.json failed: no such file or directory: unknown"
        ),
    }
}

/// The line the CLI prints for a refusal outside `docker run`.
pub fn text(e: &DockerError) -> String {
    if from_daemon(e) {
        format!("Error response from daemon: {}", message(e))
    } else {
        message(e)
    }
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// A build failure as (legacy builder text, BuildKit text after `ERROR: failed to solve: `).
pub fn build_failure(f: &BuildFailure, dockerfile_name: &str) -> (String, String) {
    match f {
        BuildFailure::Prepare(PrepareProblem::NoContext { path }) => {
            let t = format!("unable to prepare context: path {path:?} not found");
            (t.clone(), t)
        }
        BuildFailure::Prepare(PrepareProblem::NoDockerfile { path, name }) => (
            format!(
                "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {}/{path}: no such file or directory",
                crate::engine::WORKDIR
            ),
            format!(
                "failed to solve: failed to read dockerfile: open {name}: no such file or directory"
            ),
        ),
        BuildFailure::Parse(e) => (e.legacy_message_for(dockerfile_name), e.buildkit_message()),
        // moby `builder/dockerfile/builder.go` (stages cut at the target); buildkit
        // `dockerfile2llb/convert.go` `toDispatchState`.
        // The classic builder's API route parses `platform` (containerd `platforms.Parse`).
        BuildFailure::Platform(e) => (e.to_string(), e.to_string()),
        // docker/buildx `build/build.go` (`notSupported`) for the default `docker` driver.
        // buildkit `dockerfile2llb/convert.go` (`failed to parse platform %s`).
        BuildFailure::StagePlatform { value, error } => {
            let t = format!("failed to parse platform {value}: {error}");
            (t.clone(), t)
        }
        BuildFailure::MultiPlatform => {
            let t = "Multi-platform build is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.\nLearn more at https://docs.docker.com/go/build-multi-platform/".to_string();
            (t.clone(), t)
        }
        BuildFailure::UnknownTarget(t) => (
            format!("failed to reach build target {t} in Dockerfile"),
            format!("target stage {t:?} could not be found"),
        ),
        BuildFailure::Step(s) => step_failure(s),
        // docker/cli `cli/cobra.go`: a flag annotated `experimental` against a daemon without them (oracle).
        BuildFailure::SquashNotExperimental => {
            let t =
                "\"--squash\" is only supported on a Docker daemon with experimental features enabled"
                    .to_string();
            (t.clone(), t)
        }
    }
}

fn step_failure(s: &StepFailure) -> (String, String) {
    let same = |t: String| (t.clone(), t);
    match s {
        StepFailure::BadStageName { image, error } => {
            same(format!("failed to parse stage name \"{image}\": {error}"))
        }
        StepFailure::BasePull(e) => same(message(e)),
        StepFailure::BaseDenied { reference } => same(format!(
            "{}: failed to resolve source metadata for {}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
            reference.familiar(),
            reference.full()
        )),
        StepFailure::BaseNotFound { reference } => {
            let full = reference.full();
            same(format!(
                "{}: failed to resolve source metadata for {full}: {full}: not found",
                reference.familiar()
            ))
        }
        // containerd `images.Manifest` ("no match for platform in manifest"), wrapped by buildkit's resolver.
        StepFailure::BaseNoPlatform { reference } => same(format!(
            "{}: failed to resolve source metadata for {}: no match for platform in manifest: not found",
            reference.familiar(),
            reference.full()
        )),
        StepFailure::RunExit { command, code } => (
            format!("The command '{command}' returned a non-zero code: {code}"),
            format!("process \"{command}\" did not complete successfully: exit code: {code}"),
        ),
        // moby `layer.ErrMaxDepthExceeded`, as the legacy builder prints it after the failing step.
        StepFailure::MaxDepthExceeded => same("max depth exceeded".to_string()),
        StepFailure::RunNotFound { program } => same(format!(
            "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{program}\": stat {program}: no such file or directory: unknown"
        )),
        StepFailure::CopyNotFound {
            src,
            shown,
            context,
        } => (
            format!(
                "COPY failed: file not found in build context or excluded by .dockerignore: stat {src}: file does not exist"
            ),
            copy_not_found(shown, context),
        ),
        StepFailure::CopyOutside {
            src,
            shown,
            context,
        } => (
            format!("COPY failed: forbidden path outside the build context: {src} ()"),
            copy_not_found(shown, context),
        ),
        StepFailure::UnknownStage { name } => same(format!(
            "invalid from flag value {name}: pull access denied for {name}, repository does not exist or may require 'docker login'"
        )),
        StepFailure::StageFileNotFound { src } => same(format!(
            "failed to compute cache key: failed to calculate checksum of ref: \"{src}\": not found"
        )),
    }
}

/// BuildKit's cache-key error for a COPY source the context lacks (the ref is the context's).
fn copy_not_found(shown: &str, context: &crate::digest::Digest) -> String {
    let hex = context.hex();
    format!(
        "failed to compute cache key: failed to calculate checksum of ref {}-{}::{}: \"/{shown}\": not found",
        &hex[..8],
        &hex[8..12],
        &hex[12..37]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words the oracle (Docker CLI 28.2.2) printed for these refusals.
    #[test]
    fn filter_value_and_kill_words() {
        let value = |key: &str, value: &str, problem| {
            text(&DockerError::InvalidFilterValue {
                key: key.into(),
                value: value.into(),
                problem,
            })
        };
        assert_eq!(
            value("status", "runing", FilterProblem::NotAState),
            "Error response from daemon: invalid filter 'status=runing': invalid value for state (runing): must be one of created, running, paused, restarting, removing, exited, dead"
        );
        assert_eq!(
            value("exited", "abc", FilterProblem::NotANumber),
            "Error response from daemon: invalid filter 'exited=abc': strconv.Atoi: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            value("health", "maybe", FilterProblem::NotAHealth),
            "Error response from daemon: invalid filter 'health=maybe': invalid value for health (maybe): must be one of none, starting, healthy, unhealthy"
        );
        assert_eq!(
            value("dangling", "maybe", FilterProblem::NotABool),
            "Error response from daemon: invalid filter 'dangling=[maybe]'"
        );
        assert_eq!(
            text(&DockerError::KillFailed {
                name: "nosuch".into(),
                cause: Box::new(DockerError::no_such_container("nosuch")),
            }),
            "Error response from daemon: Cannot kill container: nosuch: No such container: nosuch"
        );
        assert_eq!(
            message(&DockerError::InvalidPort {
                problem: PortProblem::Ranges {
                    container: "80-81".into(),
                    host: "8000-8002".into()
                }
            }),
            "invalid ranges specified for container and host Ports: 80-81 and 8000-8002"
        );
    }

    /// moby v28.2.2 `daemon/errors.go`, `daemon/unpause.go`, the save exporter, the commit builder.
    #[test]
    fn pause_exec_save_and_commit_words_of_the_28_daemon() {
        let id = "a".repeat(64);
        assert_eq!(
            message(&DockerError::AlreadyPaused { id: id.clone() }),
            format!("Container {id} is already paused")
        );
        assert_eq!(
            message(&DockerError::NotPaused { id: id.clone() }),
            format!("Container {id} is not paused")
        );
        assert_eq!(
            message(&DockerError::NotRunning { id: id.clone() }),
            format!("container {id} is not running")
        );
        assert_eq!(
            text(&DockerError::ExecPaused { name: "web".into() }),
            "Error response from daemon: Container web is paused, unpause the container before exec"
        );
        assert_eq!(
            text(&DockerError::ReferenceDoesNotExist),
            "Error response from daemon: reference does not exist"
        );
        assert_eq!(
            text(&DockerError::CommitChange(ChangeProblem::NotAChange {
                keyword: "run".into()
            })),
            "Error response from daemon: run is not a valid change command"
        );
    }
}
