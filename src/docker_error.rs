//! Why Docker refused: every refusal the simulated CLI or daemon can give, as a value with data.
//!
//! The engine decides *that* and *why* a command fails and says so with one of these variants; it never
//! writes the sentence. The sentence (Docker's exact words, and whether the CLI frames it as `Error response
//! from daemon: …`) is made in one place, `render::errors`, and `explain` reads the same variant to say which
//! rule fired and what to type next. Tests that pin a rule match on the variant, not on the text.

use crate::digest::Digest;
use crate::reference::{ImageRef, RefError, RepoName};

/// Which command was moving an image when a registry failed (the CLI frames the error differently: a pull's
/// error is the daemon's answer, a push's arrives in the progress stream).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfer {
    Pull,
    Push,
    Login,
}

/// Why a registry host did not answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// A loopback address where nothing listens (no `registry` container publishes the port).
    ConnectionRefused,
    /// A name the resolver does not know.
    NoSuchHost,
}

/// Why a push into a repository was denied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DenyReason {
    /// Nobody is logged in to the registry on this machine.
    NotLoggedIn,
    /// `library/…`: the namespace of official images, which only Docker can push to.
    OfficialNamespace,
    /// Someone else's namespace (or an organisation the account is not a member of).
    OtherNamespace { namespace: String },
}

/// What keeps an image from being deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageHold {
    /// Legacy-builder images built on it.
    ChildImages,
    RunningContainer {
        container: String,
    },
    StoppedContainer {
        container: String,
    },
    /// More than one repository names it (`rmi ID` would untag them all).
    MultipleRepositories,
}

/// What is wrong with a `-p` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortProblem {
    Proto {
        proto: String,
    },
    Spec {
        spec: String,
    },
    ContainerPort {
        port: String,
    },
    HostPort {
        port: String,
    },
    /// A host address that is not an IP address.
    Ip {
        ip: String,
    },
    /// A container port range and a host port range of different lengths.
    Ranges {
        container: String,
        host: String,
    },
    /// Nothing after the last `:`.
    NoPort {
        spec: String,
    },
}

/// Why a container's process could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartProblem {
    /// `exec: "x": executable file not found in $PATH` (exit 127).
    NotInPath { executable: String },
    /// An absolute path that does not exist (`stat /x: no such file or directory`, exit 127).
    NoSuchFile { executable: String },
    /// A path that is a folder, not a program (`exec: "/etc": permission denied`, exit 126).
    PermissionDenied { executable: String },
    /// `run -u` names no account of the image (the daemon's lookup, before any process starts).
    UnknownUser(crate::model::users::UnknownUser),
    /// `run --network NAME` of a network the daemon does not have (`network NAME not found`).
    NoSuchNetwork { name: String },
    /// A host port another running container holds.
    PortAllocated {
        container_name: String,
        container_id: String,
        host_ip: String,
        host_port: u16,
    },
}

/// Why a build stopped before running any step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrepareProblem {
    /// The context folder does not exist (`path` as typed).
    NoContext { path: String },
    /// No Dockerfile: `path` in the working folder, `name` as BuildKit names it.
    NoDockerfile { path: String, name: String },
}

/// Why a build step failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepFailure {
    /// `FROM` names something that is not a reference.
    BadStageName { image: String, error: RefError },
    /// The legacy builder's pull of the base failed.
    BasePull(DockerError),
    /// BuildKit could not resolve the base: denied or missing repository (`reference` canonical).
    BaseDenied { reference: ImageRef },
    /// BuildKit could not resolve the base: no such tag.
    BaseNotFound { reference: ImageRef },
    /// The base is an index with no member for the build's platform.
    BaseNoPlatform { reference: ImageRef },
    /// `RUN` exited non-zero.
    RunExit { command: String, code: i32 },
    /// `RUN`'s program does not exist in the image.
    RunNotFound { program: String },
    /// `COPY` of a path the context lacks (`shown`: the path BuildKit names; `context`: its ref).
    CopyNotFound {
        src: String,
        shown: String,
        context: Digest,
    },
    /// `COPY ../x`: outside the context.
    CopyOutside {
        src: String,
        shown: String,
        context: Digest,
    },
    /// `COPY --from=NAME` of a stage that does not exist.
    UnknownStage { name: String },
    /// `COPY --from=stage` of a path the stage lacks.
    StageFileNotFound { src: String },
    /// The legacy builder's step would put a 126th layer on one chain: the daemon's layer store refuses
    /// (moby `layer/layer_store.go`, `maxLayerDepth = 125`).
    MaxDepthExceeded,
}

/// A refusal of the buildx plugin (`ERROR: …`, exit 1), as data; `render::buildx` has the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildxError {
    /// `create --name default`.
    ReservedName,
    /// A name `store.ValidateName` refuses.
    InvalidName { name: String },
    /// `create --name N` when N exists (no `--append`).
    ExistingInstance { name: String },
    /// `create --driver X` of a driver buildx does not have.
    DriverNotFound { driver: String },
    /// `create --driver docker`: the engine's own builder is the only one.
    NoMoreInstances { driver: String },
    /// A `--platform` value that does not parse.
    Platform(crate::model::platform::PlatformError),
    /// `use NAME` of no instance (`path`: the instance file buildx tried to open).
    UseNotFound {
        name: String,
        path: String,
        invalid: bool,
    },
    /// `inspect NAME`, `build --builder NAME` of no builder.
    NoBuilder { name: String },
    /// The engine's builder belongs to the Docker context.
    ContextBuilder { name: String },
    /// One name of `rm` failed (`failed to remove N: …`, stderr, before the final error).
    RemoveFailed { name: String, why: Box<BuildxError> },
    /// `rm`'s closing error when any name failed.
    RemoveSomeFailed,
    /// `imagetools inspect` of a name that does not parse.
    InvalidReference { reference: String, why: String },
    /// `imagetools inspect` of a name the registry does not have.
    NotFound { reference: String },
}

/// A refusal of `docker manifest` (the CLI's own registry client; plain messages, exit 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestError {
    /// A member (or `inspect`'s name) the registry does not serve (or an insecure registry without
    /// `--insecure`): `no such manifest: REF`.
    NoSuchManifest { reference: String },
    /// `push`/`rm` of a list never created: `No such manifest: REF`.
    NoSuchList { reference: String },
    /// `create` of a list that exists, without `--amend`.
    AmendWithoutFlag,
    /// A name the CLI cannot parse.
    InvalidReference { reference: String, why: String },
    /// The registry refused the push of the list.
    PushDenied { reference: String },
}

/// Why `docker commit -c` refused its changes (see `engine::commit_changes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeProblem {
    /// An instruction that does not change a config (`RUN`, `FROM`) or no instruction at all (`NOPE`),
    /// as the parser lower-cases it.
    NotAChange { keyword: String },
    /// The text does not parse as that instruction (`ENV` without a value).
    Unparsable(crate::dockerfile::DockerfileErrorKind),
}

/// A refusal, in data. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DockerError {
    /// The buildx plugin refused (`ERROR: …`).
    Buildx(BuildxError),
    /// `docker manifest` refused.
    Manifest(ManifestError),
    // ---- finding objects ----
    /// `No such image: web:latest` (`reference` as the daemon echoes it).
    NoSuchImage {
        reference: String,
    },
    /// `No such container: web`.
    NoSuchContainer {
        name: String,
    },
    /// `docker inspect` of a name that is neither image nor container.
    NoSuchObject {
        name: String,
    },
    /// A container ID prefix that matches several containers.
    AmbiguousContainer {
        prefix: String,
    },
    /// A reference that does not parse; `daemon` when the daemon (not the CLI) parsed it.
    InvalidReference {
        error: RefError,
        daemon: bool,
    },

    // ---- tags and image removal ----
    /// `docker tag` to a target that does not parse.
    InvalidTagTarget {
        target: String,
        error: RefError,
    },
    /// `docker tag` to `name@sha256:…`.
    TagWithDigest,
    /// `docker tag` to `sha256:…`-looking names.
    TagNamedSha256,
    /// `rmi REF` of the last reference of an image a container uses.
    ReferenceInUse {
        reference: String,
        container: String,
        image: Digest,
    },
    /// `rmi` of an image something holds (`forcible`: `-f` would get past it).
    ImageInUse {
        image: Digest,
        forcible: bool,
        hold: ImageHold,
    },

    // ---- registries ----
    RegistryUnreachable {
        host: String,
        why: Unreachable,
        during: Transfer,
    },
    /// A pull from a password-protected registry without a login.
    PullNoCredentials {
        host: String,
        path: String,
        reference: String,
    },
    /// Docker Hub: the repository does not exist or is private to someone else.
    PullDenied {
        repository: RepoName,
    },
    /// The repository exists but not this tag (or digest).
    ManifestUnknown {
        reference: String,
    },
    /// A real registry (`--registry URL`) failed in a way the simulated ones never do: a 5xx after the
    /// retries, a timeout, a TLS failure, a refused token. `error` holds the daemon's Go error as data.
    RegistryFailed {
        host: String,
        during: Transfer,
        error: crate::remote::client::ClientError,
    },
    /// A manifest on a real registry that dockdrill cannot simulate (another tool pushed it).
    UnsupportedImage {
        reference: String,
        error: crate::remote::oci::DecodeError,
    },
    /// `pull -a name:tag` / `push -a name:tag`.
    AllTagsWithTag,
    /// `push name@sha256:…`.
    PushDigest,
    /// `push` of a repository with no local tag at all.
    NotLocalRepository {
        repository: RepoName,
    },
    /// `push name:tag` where this tag is not local.
    NotLocalTag {
        repository: RepoName,
        tag: String,
    },
    /// A password-protected registry refused a push without a login.
    PushNoCredentials {
        host: String,
    },
    /// A push into a repository the account may not write.
    PushDenied {
        host: String,
        repository: String,
        account: Option<String>,
        reason: DenyReason,
    },

    // ---- login ----
    PasswordFlagsConflict,
    PasswordStdinWithoutUsername,
    /// `docker login` with nothing to go on and no terminal to ask.
    NonTtyLogin,
    EmptyUsername,
    EmptyPassword,
    /// Wrong user or password (`hub`: Docker Hub's wording; else a `registry:2`'s 401).
    BadCredentials {
        host: String,
        hub: bool,
    },

    // ---- containers ----
    /// `-it` without a terminal.
    NotATty,
    InvalidPort {
        problem: PortProblem,
    },
    InvalidContainerName {
        name: String,
    },
    /// The name is taken by container `holder` (full ID).
    NameInUse {
        name: String,
        holder: String,
    },
    /// Neither the image nor the command line gives a command.
    NoCommand,
    /// The process could not start.
    StartFailed {
        problem: StartProblem,
    },
    /// `kill` of a container that is not running.
    KillNotRunning {
        name: String,
        id: String,
    },
    AlreadyPaused {
        id: String,
    },
    NotPaused {
        id: String,
    },
    /// `pause`, `exec` of a container that is not running.
    NotRunning {
        id: String,
    },
    /// `exec` in a paused container; `name` as the command gave it (`getActiveContainer`).
    ExecPaused {
        name: String,
    },
    /// `start -a` of several containers.
    StartAttachMany,
    StartPaused,
    RestartFailed {
        name: String,
        cause: Box<DockerError>,
    },
    /// `rm` of a running container without `-f`.
    RemoveRunning {
        name: String,
    },
    /// `--filter` with a key the command does not know.
    InvalidFilter {
        key: String,
    },

    /// `docker commit -c` with a change the daemon refuses.
    CommitChange(ChangeProblem),

    // ---- save, load, rename, port ----
    /// `docker save` of a tag or digest reference the machine does not hold (the exporter looks a tagged
    /// reference up in the reference store, not in the image store).
    ReferenceDoesNotExist,
    /// `docker save` without `-o` while standard output is a terminal.
    SaveToTerminal,
    /// The archive would not fit the machine's working folder.
    ArchiveTooLarge {
        path: String,
    },
    /// `docker load` without `-i` at a terminal.
    LoadFromTerminal,
    /// `-i FILE` names no file in the working folder.
    OpenFile {
        path: String,
    },
    /// The input is not an archive `docker save` wrote.
    ArchiveUnreadable {
        problem: ArchiveProblem,
    },
    /// `rename` with an empty old or new name (the CLI refuses it).
    RenameEmpty,
    /// The daemon refused a rename; the CLI adds `Error: failed to rename container named OLD`.
    RenameFailed {
        old: String,
        cause: Box<DockerError>,
    },
    /// `rename X X`.
    RenameSameName,
    /// The new name could not be taken (`cause`: invalid or in use).
    NameAllocation {
        cause: Box<DockerError>,
    },
    /// `port C 80x`: not a port number.
    PortNumber {
        port: String,
        out_of_range: bool,
    },
    /// `port C 80` where nothing publishes 80/tcp.
    PortNotPublished {
        spec: String,
        container: String,
    },
    /// `--filter KEY=VALUE` with a value the daemon refuses for that key.
    InvalidFilterValue {
        key: String,
        value: String,
        problem: FilterProblem,
    },
    /// The API's kill route wraps every failure with the name (`Cannot kill container: web: …`).
    KillFailed {
        name: String,
        cause: Box<DockerError>,
    },
    /// `run --restart` with a policy the daemon does not know.
    InvalidRestartPolicy {
        problem: RestartProblem,
    },
    /// `docker inspect --type` of no object type (the CLI's check).
    InspectType {
        value: String,
    },
    /// `rm -l NAME`: the name is the container's own, not a link.
    DefaultLink,
    /// `logs --since` / `--until` that is neither a duration nor a time (the API client's check).
    BadLogsTime {
        flag: &'static str,
        value: String,
    },
    /// A `kill -s` value the daemon cannot read as a signal.
    BadSignal {
        signal: String,
        problem: SignalProblem,
    },
    // ---- platforms ----
    /// `--platform` that containerd cannot parse (the daemon's answer, for pull).
    InvalidPlatform(crate::model::platform::PlatformError),
    /// `run`/`create --platform` that the CLI cannot parse.
    RunPlatform(crate::model::platform::PlatformError),
    /// A multi-platform index has no member for the platform.
    NoMatchingManifest {
        platform: Box<crate::model::platform::Platform>,
    },
    /// `run --platform P` of an image that (even after a pull) is of another platform.
    PlatformMismatch {
        reference: String,
        wanted: Box<crate::model::platform::Platform>,
        actual: Box<crate::model::platform::Platform>,
    },

    // ---- volumes, networks, copies ----
    /// No volume has this name (`get NAME: no such volume`).
    NoSuchVolume {
        name: String,
    },
    /// `volume rm` of a volume that containers mount (their full IDs).
    VolumeInUse {
        name: String,
        containers: Vec<String>,
    },
    /// A volume name the local driver refuses.
    InvalidVolumeName {
        name: String,
    },
    /// A one-character volume name.
    VolumeNameTooShort {
        name: String,
    },
    /// `network connect` of a container the network already has (its name).
    EndpointExists {
        container: String,
        network: String,
    },
    /// `network disconnect` of a container the network does not have: its full ID; `stopped` words it
    /// the way the daemon does for a container that is not running.
    NotConnected {
        id: String,
        network: String,
        stopped: bool,
    },
    /// `network connect host` (or a container on the host network).
    HostNetworkConflict,
    /// `--mount type=bind` without a source.
    BindSourceEmpty,
    /// `--mount type=KIND` of a type the daemon does not know.
    UnknownMountType {
        kind: String,
    },
    /// `-v SRC:DST:MODE` with a mode the daemon does not know.
    InvalidMountMode {
        mode: String,
    },
    /// `network rm` of a network running containers are connected to: (container name, endpoint ID).
    NetworkHasEndpoints {
        network: String,
        endpoints: Vec<(String, String)>,
    },
    /// `network connect none` of a container on another network.
    NoneNetworkConflict,
    /// `--mount type=bind` of a host path that does not exist (its absolute path).
    BindSourceMissing {
        path: String,
    },
    /// `network create -d host|null`: there is one such network.
    SingleInstanceNetwork {
        driver: String,
    },
    /// `network create -d overlay` on an engine outside a swarm.
    NotASwarmManager,
    /// `network create` of a name another network has.
    NetworkExists {
        name: String,
    },
    /// No network has this name or ID.
    NoSuchNetwork {
        name: String,
    },
    /// `network rm bridge` (or `host`, `none`).
    PredefinedNetwork {
        name: String,
    },
    /// `network create -d X` with a driver the daemon lacks.
    NoSuchNetworkDriver {
        driver: String,
    },
    /// `search --limit N` outside 1..=100.
    SearchLimit {
        limit: i64,
    },
    /// `cp a b`: neither side is `CONTAINER:PATH`.
    CopyWithoutContainer,
    /// `cp c1:/a c2:/b`.
    CopyBetweenContainers,
    /// `cp C:/x …` where the container has no `/x`.
    NotInContainer {
        path: String,
        container: String,
    },
    /// `cp FILE C:…` where the working folder has no `FILE` (`path` is absolute).
    LocalPathMissing {
        path: String,
    },
    /// `cp FILE C:/dir/` where the container has no folder `/dir`.
    CopyNoSuchDirectory,
    /// `cp C:/f dir/x` where the working folder has no `dir` (`path` is absolute).
    NoOutputFolder {
        path: String,
    },
}

/// Why bytes given to `docker load` are not a saved image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchiveProblem {
    /// Not a tar archive.
    Tar(crate::model::tarball::TarError),
    /// Empty input, or a tar without `manifest.json` (the legacy loader then finds no `repositories`).
    NoRepositories,
    /// A `manifest.json` or blob that does not decode.
    Corrupt { member: String },
}

/// Why the daemon refuses a `--restart` policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestartProblem {
    /// Not `no`, `always`, `on-failure` or `unless-stopped`.
    Unknown { name: String },
    /// `always:3`: only `on-failure` takes a count.
    CountNeedsOnFailure,
}

/// Why `docker exec` fails before its program starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecProblem {
    /// `-u` names no account of the image.
    UnknownUser(crate::model::users::UnknownUser),
    /// `-w` is not an absolute path.
    RelativeWorkdir { workdir: String },
    /// `-w` names a folder the container does not have.
    MissingWorkdir { workdir: String },
}

/// Why the daemon refuses a `kill -s` signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignalProblem {
    /// Neither a number nor a known name, or `0` (`Invalid signal: NOPE`).
    Invalid,
    /// A number Linux has no signal for (`the linux daemon does not support signal 99`).
    Unsupported(i64),
}

/// Why the daemon refuses a filter value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterProblem {
    /// `status=` needs a container state word.
    NotAState,
    /// `exited=` needs a number.
    NotANumber,
    /// `health=` needs starting, healthy, unhealthy or none.
    NotAHealth,
    /// `dangling=`, `is-task=` need true or false.
    NotABool,
    /// `before=` / `since=` name no container.
    NoSuchContainer,
    /// `publish=` / `expose=` take a port, not `HOST:PORT`.
    PortWithHost,
    /// `until=` is neither a duration nor a time.
    NotATime,
}

impl DockerError {
    /// `No such image: …` for what the user typed, shown with its default tag as the daemon does.
    pub fn no_such_image(reference: impl Into<String>) -> DockerError {
        DockerError::NoSuchImage {
            reference: reference.into(),
        }
    }

    /// `No such container: …`.
    pub fn no_such_container(name: impl Into<String>) -> DockerError {
        DockerError::NoSuchContainer { name: name.into() }
    }

    /// Is this a "no such object" answer (which `rm -f` / `rmi -f` shrug off)?
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            DockerError::NoSuchImage { .. } | DockerError::NoSuchContainer { .. }
        )
    }
}
