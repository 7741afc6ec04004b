//! What a command did, as data. The engine returns events; `render` turns them into Docker's text, the
//! REPL's `explain` reads the rule events, and tests assert on them directly.

use crate::digest::Digest;
use crate::model::container::{LogLine, Stream};

/// Where an error comes from decides how the CLI frames it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// An Engine API error: `Error response from daemon: …`.
    Daemon,
    /// A client-side error or one written into a progress stream: printed as is.
    Plain,
}

/// An error in Docker's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerError {
    pub origin: Origin,
    pub message: String,
}

impl DockerError {
    /// An error the daemon returned.
    pub fn daemon(message: impl Into<String>) -> DockerError {
        DockerError {
            origin: Origin::Daemon,
            message: message.into(),
        }
    }

    /// An error printed without prefix.
    pub fn plain(message: impl Into<String>) -> DockerError {
        DockerError {
            origin: Origin::Plain,
            message: message.into(),
        }
    }

    /// `No such container: web`.
    pub fn no_such_container(name: &str) -> DockerError {
        DockerError::daemon(format!("No such container: {name}"))
    }

    /// `No such image: web:latest`.
    pub fn no_such_image(name: &str) -> DockerError {
        DockerError::daemon(format!("No such image: {name}"))
    }

    /// The text as the CLI prints it outside `docker run`.
    pub fn text(&self) -> String {
        match self.origin {
            Origin::Daemon => format!("Error response from daemon: {}", self.message),
            Origin::Plain => self.message.clone(),
        }
    }
}

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
    /// Image ID and full tag references, when the build succeeded.
    pub image: Option<Digest>,
    pub tags: Vec<String>,
    pub legacy: bool,
    pub quiet: bool,
    pub plain: bool,
    /// The failure, as the builder frames it.
    pub error: Option<BuildFailure>,
    /// The Dockerfile's text and each instruction's line (BuildKit quotes the failing line).
    pub dockerfile_text: String,
    pub instruction_lines: Vec<usize>,
}

/// Why a build stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildFailure {
    /// Before anything ran (context, Dockerfile): the whole text.
    Prepare(String),
    /// A step failed: legacy text, BuildKit text (after `ERROR: failed to solve: `), exit code.
    Step {
        legacy: String,
        buildkit: String,
        exit_code: i32,
    },
    /// The Dockerfile did not parse: legacy text (daemon error), BuildKit text.
    Parse { legacy: String, buildkit: String },
}

/// A rule of Docker's that decided the outcome (for `explain`; never printed by replay).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `run` used the local image because of `--pull=missing`; `newer` says whether the registry has moved on.
    UsedLocalImage {
        reference: String,
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
        reference: String,
        from: Digest,
        to: Digest,
    },
    /// The HTTP exchanges with a real registry that decided the outcome (method, path, status).
    Wire {
        host: String,
        calls: Vec<crate::remote::client::WireCall>,
    },
    /// Something else worth saying.
    Other(String),
}

/// One thing a command did or printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Text Docker prints verbatim (tables, JSON, help); each string is whole lines.
    Text {
        stream: Stream,
        text: String,
    },
    Error(DockerError),
    /// `Unable to find image 'x:latest' locally`.
    UnableToFind {
        familiar: String,
    },
    /// `docker pull` only: `Using default tag: latest`.
    UsingDefaultTag,
    Pull(PullReport),
    /// The last line of `docker pull`: the full reference.
    PulledReference(String),
    /// `The push refers to repository [docker.io/alice/app]`.
    PushRefersTo(String),
    PushTag(PushTagReport),
    Build(Box<BuildReport>),
    /// A full container ID (`run -d`, `create`).
    ContainerId(String),
    /// Process output shown by an attached run/start.
    Output(Vec<LogLine>),
    /// A container or image argument echoed on success (`stop web` → `web`).
    Echo(String),
    Untagged(String),
    Deleted(Digest),
    /// A simulator note (never Docker's words).
    Note(String),
    /// A rule that applied (explain only).
    Rule(Rule),
}
