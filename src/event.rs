//! What a command did, as data. The engine returns events; `render` turns them into Docker's text, the
//! REPL's `explain` reads the rule events, and tests assert on them directly.

use crate::digest::Digest;
use crate::model::container::LogLine;

pub use crate::docker_error::DockerError;

/// How one layer ended up in a pull.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullStatus {
    AlreadyExists,
    PullComplete,
}

/// How one layer ended up in a push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushStatus {
    LayerAlreadyExists,
    Mounted {
        from: String,
    },
    Pushed {
        bytes: u64,
    },
    /// The push was refused before this layer was done.
    Preparing,
}

/// A whole `pull` as Docker reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullReport {
    /// `latest` or the full digest reference: what stands before `: Pulling from`.
    pub label: String,
    /// `library/node`, `alice/app`.
    pub remote_path: String,
    /// (blob digest, status) in manifest order; empty when the image was already present.
    pub layers: Vec<(Digest, PullStatus)>,
    pub digest: Digest,
    /// Familiar reference for the Status line.
    pub familiar: String,
    pub newer: bool,
    /// `pull --all-tags` prints one Status line for the whole repository, not one per tag.
    pub show_status: bool,
    /// `--platform` asked for another platform than the (single-platform) image has: moby pulls it and
    /// warns. (repository, wanted, actual)
    pub platform_mismatch: Option<
        Box<(
            String,
            crate::model::platform::Platform,
            crate::model::platform::Platform,
        )>,
    >,
}

/// The per-tag part of a push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushTagReport {
    /// (diff ID, status) top-most first.
    pub layers: Vec<(Digest, PushStatus)>,
    pub tag: String,
    /// Set when the manifest was written.
    pub result: Option<(Digest, u64)>,
}

/// One build step as the builders report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildStep {
    /// The instruction as written (`COPY . .`).
    pub instruction: String,
    /// FROM, RUN, COPY, ADD, WORKDIR make a BuildKit vertex; others only change the config.
    pub vertex: bool,
    pub cached: bool,
    /// Output of a RUN step.
    pub output: Vec<String>,
    /// Image ID after the step (legacy builder prints it).
    pub image_after: Digest,
    /// Tenths of a second the step took (simulated).
    pub tenths: u32,
    /// BuildKit's stage prefix (`builder`, `stage-1`); `None` when the Dockerfile has one stage.
    pub stage: Option<String>,
    /// A `FROM` of an image: where that stage's base came from.
    pub from: Option<BaseSource>,
    /// A `FROM` BuildKit solves once for several stages (same base): it counts in this stage's numbering
    /// but its vertex is the earlier stage's.
    pub merged: bool,
}

/// How a base image was obtained for `FROM`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseSource {
    Scratch,
    /// Already in the local image store.
    Local {
        image: Digest,
        reference: String,
    },
    /// Resolved against a registry (BuildKit: into its cache; legacy: a pull into the store).
    Remote {
        reference: String,
        digest: Digest,
        blobs: Vec<(Digest, u64, bool)>,
        pull: Option<PullReport>,
    },
}

/// A whole build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildReport {
    pub dockerfile_name: String,
    pub dockerfile_size: u64,
    pub context_size: u64,
    pub uses_context: bool,
    /// The `FROM` image as written, canonical (`docker.io/library/node:22-alpine`).
    pub base_reference: Option<String>,
    pub base: Option<BaseSource>,
    pub steps: Vec<BuildStep>,
    /// Total instruction count (legacy `Step N/M`).
    pub total: usize,
    /// Image ID and tag references, when the build succeeded.
    pub image: Option<Digest>,
    pub tags: Vec<crate::reference::TagRef>,
    pub legacy: bool,
    pub quiet: bool,
    pub plain: bool,
    /// The failure, as the builder frames it.
    pub error: Option<BuildFailure>,
    /// The Dockerfile's text and each instruction's line (BuildKit quotes the failing line).
    pub dockerfile_text: String,
    pub instruction_lines: Vec<usize>,
    /// BuildKit's `[internal] load metadata for …` vertices: each distinct base of the stages it builds,
    /// in Dockerfile order; the last one failed when `metadata_failed`.
    pub metadata: Vec<String>,
    pub metadata_failed: bool,
}

impl BuildReport {
    /// A build that has run nothing yet: no Dockerfile read, no context sent, no step, no image. `docker
    /// build` fills it in as it goes; buildx reports a platform that stopped before its first step with it.
    pub fn starting(
        tags: Vec<crate::reference::TagRef>,
        legacy: bool,
        quiet: bool,
        plain: bool,
    ) -> BuildReport {
        BuildReport {
            dockerfile_name: "Dockerfile".into(),
            dockerfile_size: 0,
            context_size: 0,
            uses_context: false,
            base_reference: None,
            base: None,
            steps: vec![],
            total: 0,
            image: None,
            tags,
            legacy,
            quiet,
            plain,
            error: None,
            dockerfile_text: String::new(),
            instruction_lines: vec![],
            metadata: vec![],
            metadata_failed: false,
        }
    }
}

/// Why a build stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildFailure {
    /// Before anything ran (context, Dockerfile).
    Prepare(crate::docker_error::PrepareProblem),
    /// A step failed.
    Step(crate::docker_error::StepFailure),
    /// The Dockerfile did not parse.
    Parse(crate::dockerfile::DockerfileError),
    /// `--target` names no stage of the Dockerfile.
    UnknownTarget(String),
    /// `--platform` that does not parse.
    Platform(crate::model::platform::PlatformError),
    /// `--platform a,b` with the default builder (docker driver, classic image store).
    MultiPlatform,
    /// `FROM --platform=VALUE` that does not parse.
    StagePlatform {
        value: String,
        error: crate::model::platform::PlatformError,
    },
    /// The legacy builder's `--squash` on a daemon without experimental features.
    SquashNotExperimental,
}

/// A rule of Docker's that decided the outcome (for `explain`; never printed by replay).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `run` used the local image because of `--pull=missing`; `newer` says whether the registry has moved on.
    UsedLocalImage {
        reference: crate::reference::ImageRef,
        newer_on_registry: bool,
    },
    /// `--rm` removed the container when it stopped.
    AutoRemoved { name: String },
    /// A push uploaded `uploaded` bytes of `total` (the rest was already there or mounted).
    PushSaved { uploaded: u64, total: u64 },
    /// A build step was served from the cache.
    CacheHit { instruction: String },
    /// A build step was rebuilt because its input changed (or an earlier step was).
    CacheMiss { instruction: String },
    /// A tag moved to another image, leaving the old one without this name.
    TagMoved {
        reference: crate::reference::TagRef,
        from: Digest,
        to: Digest,
    },
    /// The HTTP exchanges with a real registry that decided the outcome (method, path, status).
    Wire {
        host: String,
        calls: Vec<crate::remote::client::WireCall>,
    },
    /// `docker logout SERVER` named Docker Hub by a name its credentials are not stored under
    /// (`docker.io`): the CLI erased nothing and the Hub login stays.
    LogoutKeptHubLogin { server: String },
}

/// A usage error the engine raises while it converts flag values (the parser raises the rest).
pub use crate::command::UsageError;

/// A `[y/N]` question the CLI asks before a prune.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prompt {
    PruneDanglingImages,
    PruneAllImages,
    PruneContainers,
    /// `docker system prune`: the list depends on `-a` and `--volumes`.
    PruneSystem {
        all: bool,
        volumes: bool,
    },
    /// `docker network prune`.
    PruneNetworks,
    /// `docker volume prune` (`all`: named ones too).
    PruneVolumes {
        all: bool,
    },
}

/// One line of an image prune's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PruneEntry {
    /// A reference removed (familiar form).
    Untagged(String),
    /// An image ID or a freed layer's chain ID.
    Deleted(Digest),
}

/// The simulator's own remarks (never Docker's words): what a real terminal would do that a simulation
/// cannot, and what a command saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A real docker command dockdrill does not simulate.
    NotSimulated { path: String },
    /// `docker top C OPTIONS`: options other than `-ef`, whose columns dockdrill does not draw.
    TopOptions { options: String },
    /// `machine --platform`: the machine's CPU platform changed.
    MachinePlatform {
        machine: String,
        platform: crate::model::platform::Platform,
    },
    /// How much of an image a push actually sent.
    PushUploaded {
        uploaded: u64,
        total: u64,
        host: String,
    },
    /// `docker login` needs a password and the learner is at a terminal dockdrill cannot prompt on.
    CannotPromptPassword,
    /// `run -it` of a shell: the session inside is not simulated.
    InteractiveSession { name: String },
    /// A foreground run whose process never ends.
    ForegroundRuns { name: String },
    /// `start -a` of a process that never ends.
    AttachedRuns { name: String },
    /// `exec -it` of a shell.
    ExecShell { name: String },
    /// `exec` of a process that keeps running.
    ExecKeepsRunning { name: String },
    /// `docker load` brought every layer of the archive, whatever the machine had.
    ArchiveCarried { layers: usize, already: usize },
    /// `docker wait` of a container whose process never ends by itself.
    WaitBlocks { container: String },
    /// One of dockdrill's caps stopped the command (`crate::limits`).
    Limit(crate::limits::LimitExceeded),
    /// `cat` of a link whose target is not in the working folder.
    DanglingLink {
        link: String,
        target: String,
        /// The target lies outside the working folder (not merely missing inside it).
        outside: bool,
    },
    /// `cat` printed as much as it may in one command.
    OutputCut { bytes: usize },
    /// `-v /host/dir:/path` of a host path outside the working folder: nothing else of the host is simulated.
    BindMountNotSimulated { source: String },
    /// A `--mount` value dockdrill does not read (a type other than `bind`/`volume`, or no target).
    MountNotSimulated { value: String },

    /// A `docker cp` that would pass the working folder's (or the container layer's) cap.
    CopyTooLarge { bytes: usize },
    /// `docker stats` without `--no-stream` redraws until Ctrl-C: dockdrill shows one frame.
    StatsStreams,
}

/// One line of `docker load`'s report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadedLine {
    /// A tag that named another image moved to the loaded one (`old` is left without it).
    Replaced { tag: String, old: Digest },
    /// A tag now names the loaded image (familiar form).
    Tag(String),
    /// An image loaded without a tag.
    Id(Digest),
}

/// One process of `docker top`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopRow {
    pub pid: u64,
    pub ppid: u64,
    /// When it started (the STIME column).
    pub started: u64,
    pub tty: bool,
    pub command: String,
}

/// One published address of `docker port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortLine {
    /// `80/tcp` when all ports are listed; `None` when one private port was asked for.
    pub private: Option<String>,
    pub host_ip: String,
    pub host_port: u16,
}

/// Options of `docker images` that decide how rows are printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImagesView {
    pub quiet: bool,
    pub digests: bool,
    pub no_trunc: bool,
    pub format: Option<String>,
}

/// One `docker images` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRow {
    /// Familiar repository (`node`, `alice/app`), or `<none>`.
    pub repository: String,
    /// Tag, or `<none>`.
    pub tag: String,
    /// The registry digest of this repository, when one is known.
    pub digest: Option<Digest>,
    pub id: Digest,
    pub created: u64,
    pub size: u64,
}

/// `docker images`' result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageListing {
    pub view: ImagesView,
    pub rows: Vec<ImageRow>,
    pub now: u64,
}

/// Options of `docker ps` that decide how rows are printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PsView {
    pub quiet: bool,
    pub no_trunc: bool,
    pub size: bool,
    pub format: Option<String>,
}

/// One `docker ps` row: a container as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerRow {
    pub id: String,
    pub name: String,
    /// The IMAGE column: the reference as typed (familiar), or the short image ID once it drifted.
    pub image: String,
    pub argv: Vec<String>,
    pub created: u64,
    pub state: crate::model::container::State,
    /// Published ports (shown only while running).
    pub ports: Vec<crate::model::container::PortBinding>,
    /// Ports the image exposes (`80/tcp`), shown while running when nothing publishes them.
    pub exposed: Vec<String>,
    /// Virtual size (the image's), for `-s`.
    pub virtual_size: u64,
    /// `Config.Labels` as `k=v` in key order (`{{.Labels}}`).
    pub labels: Vec<String>,
    /// Each mount's volume name or bind source (`{{.Mounts}}`), and how many are volumes.
    pub mounts: Vec<String>,
    pub local_volumes: usize,
    /// The networks it is attached to, in name order (`{{.Networks}}`).
    pub networks: Vec<String>,
}

/// `docker ps`' result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerListing {
    pub view: PsView,
    pub rows: Vec<ContainerRow>,
    pub now: u64,
}

/// One `docker history` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// The local image holding exactly the history up to this step, if any (else `<missing>`).
    pub image: Option<Digest>,
    pub created: u64,
    pub created_by: String,
    pub size: u64,
    pub comment: String,
}

/// `docker history`' result (newest step first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryListing {
    pub rows: Vec<HistoryRow>,
    pub quiet: bool,
    pub no_trunc: bool,
    /// `--format`: a Go template, `table …` or `json`.
    pub format: Option<String>,
    /// `-H` (the default): sizes and times for people; `-H=false`: bytes and RFC 3339 times.
    pub human: bool,
    pub now: u64,
}

/// One object `docker inspect` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inspected {
    Image {
        image: std::sync::Arc<crate::model::image::Image>,
        /// Familiar references; filled only when the output needs them (a template that reads neither
        /// `RepoTags` nor `RepoDigests` does not pay for an image with thousands of tags).
        tags: Vec<String>,
        digests: Vec<String>,
        last_tag_time: Option<u64>,
    },
    /// The container, shared with the store (a pointer copy, whatever it holds).
    Container(std::sync::Arc<crate::model::container::Container>),
}

/// `docker inspect`'s result: the objects found (the misses are `Error` events after it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectListing {
    pub objects: Vec<Inspected>,
    /// The `-f` template, parsed once when the command line was parsed.
    pub format: Option<crate::command::InspectFormat>,
    /// `inspect -s`: container ID → (bytes it wrote, those plus its image's).
    pub sizes: std::collections::BTreeMap<String, (u64, u64)>,
}

/// One thing a command did or printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A docker command's `--help` text (from `help`).
    Help(&'static str),
    /// `docker version [--format FORMAT]`; `arch` is the machine's (Go's name: `amd64`, `arm64`).
    Version {
        format: Option<String>,
        arch: String,
    },
    /// A deprecation notice printed before the command runs.
    Notice(crate::command::Notice),
    /// A usage error (the usage line and `Run 'docker … --help'` come with it).
    Usage(UsageError),
    Error(DockerError),
    /// `docker run` frames its errors: `docker: …` and a pointer to `--help`.
    RunFailed {
        path: String,
        error: DockerError,
    },
    Images(ImageListing),
    Containers(ContainerListing),
    History(HistoryListing),
    Inspect(InspectListing),
    /// A create warning of the daemon's: the image is for another platform than this machine and no
    /// `--platform` was asked for (moby `daemon/create.go`).
    ForeignPlatform {
        image: crate::model::platform::Platform,
        host: crate::model::platform::Platform,
    },
    /// `Unable to find image 'x:latest' locally`.
    UnableToFind {
        familiar: String,
    },
    /// `docker pull` only: `Using default tag: latest`.
    UsingDefaultTag,
    Pull(PullReport),
    /// `pull -a`: one status line for the whole repository.
    PullAllTagsStatus {
        familiar: String,
        newer: bool,
    },
    /// The last line of `docker pull`: the full reference.
    PulledReference(String),
    /// `The push refers to repository [docker.io/alice/app]`.
    PushRefersTo(String),
    PushTag(PushTagReport),
    /// `push -q`: the reference pushed.
    PushedReference(String),
    Build(Box<BuildReport>),
    /// `docker images --tree`.
    ImageTree(ImageTree),
    /// What `docker manifest …` printed.
    Manifest(ManifestEvent),
    /// What `docker buildx …` (or a build on a `docker-container` builder) did.
    Buildx(Box<BuildxEvent>),
    /// `WARNING! Using --password via the CLI is insecure.`
    PasswordOnCommandLine,
    /// `docker login` with stored credentials.
    ReusedCredentials {
        user: String,
    },
    /// The credentials-stored-unencrypted warning of a new login.
    CredentialsStored,
    LoginSucceeded,
    /// `Removing login credentials for …` (the server as the CLI names it).
    LoggedOut {
        server: String,
    },
    /// A full container ID (`run -d`, `create`).
    ContainerId(String),
    /// Process output shown by an attached run/start.
    Output(Vec<LogLine>),
    /// `docker logs -t` / `--details`: each line with its time (`at`, Unix seconds) and/or the (empty)
    /// details column before it.
    LogLines {
        lines: Vec<LogLine>,
        at: Option<u64>,
        details: bool,
    },
    /// `exec` of a program the image lacks.
    ExecNotFound {
        executable: String,
    },
    /// `docker exec` refused before its program starts (an unknown `-u` user, a relative `-w`).
    ExecFailed {
        problem: crate::docker_error::ExecProblem,
    },
    /// `docker exec` of a folder (`exec: "/etc": permission denied`).
    ExecPermissionDenied {
        executable: String,
    },
    /// `docker start` of several containers where some failed.
    FailedToStart {
        names: Vec<String>,
    },
    /// A container or image argument echoed on success (`stop web` → `web`).
    Echo(String),
    Untagged(String),
    Deleted(Digest),
    /// A `[y/N]` question; `answered` is true when the answer was yes (the CLI then ends the line).
    Prompt {
        prompt: Prompt,
        answered: bool,
    },
    ImagesPruned {
        entries: Vec<PruneEntry>,
        reclaimed: u64,
    },
    ContainersPruned {
        ids: Vec<String>,
    },
    /// `docker images pull` (a slip for `docker image pull`) matched nothing.
    ImagesDidYouMean {
        word: String,
    },
    /// `docker save` to standard output: the archive itself.
    Archive(Vec<u8>),
    /// `docker load`'s report, one line per entry.
    Loaded(Vec<LoadedLine>),
    /// `docker commit`: the new image's ID.
    Committed(Digest),
    /// `docker top`: the container's processes.
    Top(Vec<TopRow>),
    /// `docker wait`: a container's exit code.
    ExitCode(i32),
    /// `docker port`: the bindings, in the daemon's order (the CLI sorts them).
    Ports(Vec<PortLine>),
    /// A name or ID the daemon confirms, one line (`volume create`, `volume rm`, `network create`, `network rm`).
    Named(String),
    /// `docker volume ls`.
    Volumes(VolumeListing),
    /// `docker volume inspect`: the volumes found (the misses are `Error` events after it).
    VolumeInspect {
        volumes: Vec<VolumeRow>,
        format: Option<String>,
    },
    /// `docker network ls`.
    Networks(NetworkListing),
    /// `docker network inspect`: the networks found.
    NetworkInspect {
        networks: Vec<NetworkRow>,
        format: Option<String>,
    },
    /// `docker diff`: (change, absolute path), in the daemon's order.
    Diff(Vec<(crate::model::objects::Change, String)>),
    /// `docker stats --no-stream` (or the first frame of a stream).
    Stats(StatsListing),
    /// `docker info`.
    Info(Box<InfoReport>),
    /// `docker system df`.
    DiskUsage(Box<DiskUsage>),
    /// `docker search`.
    Search(SearchListing),
    /// `docker network prune`'s report: the networks removed.
    NetworksPruned(Vec<String>),
    /// `docker volume prune`'s report: the volumes removed.
    VolumesPruned(Vec<String>),
    /// `docker system prune`'s report.
    SystemPruned(SystemPruneReport),
    /// The CLI's closing line after per-object errors (`network rm`): `exit status N`.
    ExitStatus(i32),
    /// A simulator note (never Docker's words).
    Note(Note),
    /// A rule that applied (explain only).
    Rule(Rule),
}

/// One local volume as the listings show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeRow {
    pub name: String,
    pub created: u64,
    pub anonymous: bool,
    /// How many containers mount it (`system df -v`'s LINKS).
    pub links: usize,
}

/// `docker volume ls`' result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeListing {
    pub rows: Vec<VolumeRow>,
    pub quiet: bool,
    pub format: Option<String>,
}

/// One network: a default one (`bridge`, `host`, `none`) or a user-defined bridge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkRow {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    /// `bridge`, `host`, `null`.
    pub driver: String,
    pub created: u64,
    /// `172.17.0.0/16` for the default bridge, `172.18.0.0/16` and up for user networks; empty for host/none.
    pub subnet: String,
    pub gateway: String,
    /// The default bridge carries Docker's `com.docker.network.bridge.*` options.
    pub default_bridge: bool,
    /// The running containers `docker network connect` put on it (`network inspect`'s `Containers`).
    pub containers: Vec<NetworkMember>,
}

/// A container on a network, as `network inspect` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkMember {
    pub id: String,
    pub name: String,
    pub endpoint: crate::model::objects::Endpoint,
}

/// `docker network ls`' result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkListing {
    pub rows: Vec<NetworkRow>,
    pub quiet: bool,
    pub no_trunc: bool,
    pub format: Option<String>,
}

/// One `docker stats` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsRow {
    pub id: String,
    pub name: String,
    /// Memory in use (0 when the container is not running).
    pub memory: u64,
    /// Processes (0 when not running).
    pub pids: u32,
    pub running: bool,
}

/// `docker stats`' result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsListing {
    pub rows: Vec<StatsRow>,
    /// The machine's memory (the LIMIT of a running container without `-m`).
    pub limit: u64,
    pub no_trunc: bool,
    pub format: Option<String>,
}

/// What `docker info` reports about one machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfoReport {
    pub containers: usize,
    pub running: usize,
    pub paused: usize,
    pub stopped: usize,
    pub images: usize,
    /// The machine's name (the `Name:` line).
    pub name: String,
    /// A stable ID derived from the machine's name.
    pub id: String,
    /// `x86_64` or `aarch64`.
    pub architecture: &'static str,
    pub cpus: u32,
    pub memory: u64,
    /// Logged in to Docker Hub as.
    pub username: Option<String>,
    pub format: Option<String>,
}

/// One image of `system df -v`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DfImage {
    pub repository: String,
    pub tag: String,
    pub id: Digest,
    pub created: u64,
    pub size: u64,
    /// Bytes of its layers that another image also uses.
    pub shared: u64,
    pub containers: usize,
}

/// One container of `system df -v`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DfContainer {
    pub id: String,
    pub image: String,
    pub argv: Vec<String>,
    pub volumes: usize,
    /// Bytes it wrote over its image.
    pub size: u64,
    pub created: u64,
    pub state: crate::model::container::State,
    pub name: String,
}

/// One build cache record of `system df -v`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DfCache {
    /// 25 characters, as BuildKit names records.
    pub id: String,
    pub size: u64,
    pub created: u64,
    /// Its layer is also an image's (then it does not count in the builder's size).
    pub shared: bool,
}

/// `docker system df`'s result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskUsage {
    pub images: Vec<DfImage>,
    /// Every layer counted once.
    pub layers_size: u64,
    pub containers: Vec<DfContainer>,
    pub volumes: Vec<VolumeRow>,
    pub build_cache: Vec<DfCache>,
    pub verbose: bool,
    pub format: Option<String>,
    pub now: u64,
}

/// One repository `docker search` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRow {
    /// `alpine`, `alice/app` (official ones without `library/`).
    pub name: String,
    pub description: String,
    pub stars: u64,
    pub official: bool,
}

/// `docker search`'s result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchListing {
    pub rows: Vec<SearchRow>,
    pub no_trunc: bool,
    pub format: Option<String>,
}

/// What `docker system prune` removed, section by section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SystemPruneReport {
    pub containers: Vec<String>,
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
    pub images: Vec<PruneEntry>,
    pub build_cache: Vec<String>,
    pub reclaimed: u64,
}

/// What `docker buildx …` did, as data (`render::buildx` has buildx's words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildxEvent {
    /// `buildx create`: the new builder's name (after booting it, with `--bootstrap`).
    Created {
        name: String,
        boot: Option<BootReport>,
    },
    /// `buildx rm`: `NAME removed` (stderr).
    Removed { name: String },
    /// `buildx ls`: every builder, the current one marked.
    List { builders: Vec<BuilderView> },
    /// `buildx inspect`.
    Inspect {
        builder: BuilderView,
        boot: Option<BootReport>,
    },
    /// `buildx imagetools inspect`: what the registry holds under a name.
    Imagetools(ImagetoolsReport),
    /// A build on a `docker-container` builder.
    Build(BuildxReport),
    /// A warning buildx logs (`WARNING: …` on stderr).
    Warning(BuildxWarning),
}

/// A warning of buildx's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildxWarning {
    /// BuildKit ignores `--squash` (buildx `commands/build.go`, the flag's `flag-warn` annotation).
    SquashRemoved,
    /// A `docker-container` build with neither `--push` nor `--load` (buildx `build/build.go`); the render
    /// writes it after that build's progress.
    NoOutput,
}

/// The `[internal] booting buildkit` vertex: the node's container was created and started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootReport {
    /// `buildx_buildkit_NAME0`.
    pub container: String,
}

/// A builder as `ls` and `inspect` show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuilderView {
    pub name: String,
    /// `docker-container` or (the engine's own) `docker`.
    pub driver: String,
    pub current: bool,
    /// Unix seconds (`inspect`'s `Last Activity:`); none for the engine's builder.
    pub last_activity: Option<u64>,
    pub node: NodeView,
}

/// A builder's node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// `unix:///var/run/docker.sock`, or `default` for the engine's builder.
    pub endpoint: String,
    pub running: bool,
    /// `--allow-insecure-entitlement=network.host` (buildx adds it for `docker-container`).
    pub flags: Vec<String>,
    /// BuildKit's version, once running.
    pub version: Option<String>,
    /// Platforms as buildx formats them (`linux/arm64*` when fixed at create); empty until it runs.
    pub platforms: Vec<String>,
    /// The worker's labels, once running.
    pub labels: Vec<(String, String)>,
}

/// `buildx imagetools inspect`: a manifest or an index and its members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImagetoolsReport {
    /// The name as buildx prints it (`docker.io/alice/hello:latest`).
    pub name: String,
    pub media_type: String,
    pub digest: Digest,
    /// An index's members (empty for a single manifest).
    pub members: Vec<IndexMember>,
}

/// One entry of an index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexMember {
    pub digest: Digest,
    pub media_type: String,
    /// `linux/amd64`, `linux/arm64/v8`, or `unknown/unknown` for an attestation manifest.
    pub platform: String,
    /// An attestation manifest names the image manifest it describes.
    pub attests: Option<Digest>,
}

/// A build on a `docker-container` builder: one BuildKit solve for every requested platform, then the
/// image exporter (or nothing, or `--load`'s docker exporter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildxReport {
    pub builder: String,
    /// The build booted the builder first.
    pub boot: Option<BootReport>,
    /// One report per platform, in the order asked for; the platform label is shown only when several.
    pub platforms: Vec<(String, BuildReport)>,
    pub output: BuildxOutput,
    /// Why it stopped after (or instead of) the solve, if it did.
    pub error: Option<BuildxFailure>,
    pub quiet: bool,
    /// The tags (`-t`), full (`docker.io/alice/hello:latest`).
    pub tags: Vec<crate::reference::TagRef>,
}

/// Where a `docker-container` build's result went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildxOutput {
    /// Neither `--push` nor `--load`: it stays in the builder's cache.
    CacheOnly,
    /// `--load`: into the machine's image store (one platform).
    Load { image: Option<Digest> },
    /// `--push`: an index (each platform's manifest, config and provenance attestation) and where it went.
    Push {
        members: Vec<ExportedImage>,
        index: Option<Digest>,
    },
}

/// One platform's image as the image exporter wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedImage {
    pub manifest: Digest,
    pub config: Digest,
    /// The provenance attestation manifest buildx asks for by default (`mode=min`).
    pub attestation: Digest,
}

/// Why a `docker-container` build failed outside its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildxFailure {
    /// `--load` of several platforms: the docker exporter writes one image (classic image store).
    LoadManifestList,
    /// `--push` without `-t` (buildx `build/opt.go`).
    PushNeedsTag,
    /// The registry refused the push (`reference`: `docker.io/alice/hello:latest`).
    PushDenied { reference: String },
    /// A password registry without a login.
    PushUnauthorized { reference: String, host: String },
    /// Nothing answers at the registry's address.
    PushUnreachable { reference: String, host: String },
    /// `--builder NAME` / `buildx use` of a builder that does not exist.
    NoBuilder { name: String },
}

/// `docker images --tree`: every image once, newest first, with its names. The classic image store keeps
/// one platform per image, so the daemon reports no per-platform children (`Manifests` is empty), no
/// content size and no container count; the tree of a multi-platform image needs the containerd store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageTree {
    pub images: Vec<TreeImage>,
}

/// One image of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeImage {
    /// `RepoTags` (`alpine:latest`); empty for an untagged image (`<untagged>`).
    pub names: Vec<String>,
    pub id: Digest,
    /// Disk usage in bytes.
    pub size: u64,
}

/// What `docker manifest …` printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestEvent {
    /// `Created manifest list REF`.
    Created { list: String },
    /// `manifest push`: the pushed list's digest.
    Pushed { digest: Digest },
    /// `manifest inspect`: a list (local or remote), as JSON with three-space indents.
    List(ManifestListJson),
    /// `manifest inspect` of one image manifest, the registry's JSON indented with tabs.
    Image(ImageManifestJson),
}

/// A manifest list (or OCI index) as `manifest inspect` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestListJson {
    pub media_type: String,
    pub manifests: Vec<ListEntry>,
}

/// One entry of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListEntry {
    pub media_type: String,
    pub size: u64,
    pub digest: Digest,
    /// (architecture, os, variant); `unknown`/`unknown` for an attestation manifest.
    pub platform: (String, String, Option<String>),
    /// An attestation manifest's `vnd.docker.reference.digest`.
    pub attests: Option<Digest>,
}

/// One image manifest (schema 2) as the registry serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageManifestJson {
    pub config_size: u64,
    pub config_digest: Digest,
    /// (compressed size, blob digest), base first.
    pub layers: Vec<(u64, Digest)>,
}
