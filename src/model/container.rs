//! Containers: a writable instance of one image on one machine. Containers are never shared: another
//! machine only ever sees images that went through a registry.

use crate::digest::Digest;
use crate::model::registry::Registry;
use serde::Serialize;

/// Which stream a line of process output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One line a container's process wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub stream: Stream,
    pub text: String,
}

/// What the main process does when asked to stop with SIGTERM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnTerm {
    /// Exits by itself with this code (nginx, redis: graceful shutdown).
    Exit(i32),
    /// Ignores it, as any program without a handler does as PID 1 (`sleep`, `node`): killed after the timeout.
    Ignore,
}

/// The container life cycle as `inspect .State.Status` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Created,
    Running {
        started: u64,
        /// When the process ends by itself (`sleep 5`), if ever.
        ends_at: Option<u64>,
        /// Exit code it ends with at `ends_at`.
        end_code: i32,
        on_term: OnTerm,
    },
    Paused {
        started: u64,
    },
    Exited {
        code: i32,
        started: u64,
        finished: u64,
    },
}

/// A published port (`-p 8080:80`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortBinding {
    /// The address bound: as given, or `0.0.0.0` (with `[::]` beside it) when none was.
    pub host_ip: String,
    /// The port bound (an ephemeral one when none, `0` or a range was given).
    pub host_port: u16,
    pub container_port: u16,
    pub proto: String,
    /// The host address as typed (`""` when none): `HostConfig.PortBindings` keeps it.
    pub spec_ip: String,
    /// The host port as typed (`""`, `"0"`, `"8000"`, `"8000-8001"`).
    pub spec_port: String,
}

/// One container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    /// Without the leading slash.
    pub name: String,
    pub image: Digest,
    /// The image itself: a container keeps its image's content even if the image is deleted (`rmi -f`).
    pub image_data: std::sync::Arc<crate::model::image::Image>,
    /// The image reference as typed at create time (`ps` shows it until it drifts).
    pub image_ref: crate::reference::ImageArg,
    pub path: String,
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub created: u64,
    pub state: State,
    pub auto_remove: bool,
    pub interactive: bool,
    pub tty: bool,
    pub ports: Vec<PortBinding>,
    /// `Config.Labels`: the image's labels with `--label` values over them (what `ps -f label=` reads).
    pub labels: std::collections::BTreeMap<String, String>,
    /// `run -u`, if given (else the image's `USER`).
    pub user: Option<String>,
    /// `run -h, --hostname`, if given (else the short container ID).
    pub hostname: Option<String>,
    /// `run --network NAME`, if given: looked up when the container starts, as the daemon does.
    pub network: Option<String>,
    pub logs: Vec<LogLine>,
    /// An exit code recorded by a failed start (127 for a missing executable).
    pub start_error: Option<(i32, crate::docker_error::DockerError)>,
    /// A `registry` container serves a registry from its own storage (no volume: gone with the container).
    pub registry: Option<Box<Registry>>,
    /// Mount points and the networks `docker network connect` added.
    pub attachments: crate::model::objects::Attachments,
}

impl Container {
    /// The full command line (`Path` + `Args`).
    pub fn argv(&self) -> Vec<String> {
        let mut v = Vec::with_capacity(self.args.len() + 1);
        if !self.path.is_empty() {
            v.push(self.path.clone());
        }
        v.extend(self.args.iter().cloned());
        v
    }

    /// 12-hex short ID.
    /// The host name its processes see: `-h` or the short ID.
    pub fn host_name(&self) -> &str {
        self.hostname.as_deref().unwrap_or_else(|| self.short_id())
    }

    pub fn short_id(&self) -> &str {
        self.id.get(..12).unwrap_or(&self.id)
    }

    /// True while the process runs (paused counts as running for `ps`).
    pub fn is_running(&self) -> bool {
        matches!(self.state, State::Running { .. } | State::Paused { .. })
    }

    /// `inspect .State.Status`.
    pub fn status_word(&self) -> &'static str {
        match self.state {
            State::Created => "created",
            State::Running { .. } => "running",
            State::Paused { .. } => "paused",
            State::Exited { .. } => "exited",
        }
    }
}
