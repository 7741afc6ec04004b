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
mod containers;
mod distribution;
mod images;
mod inspect;
pub mod template;

use crate::clock::STEP;
use crate::command::{Command, Invocation};
use crate::event::{DockerError, Event};
use crate::model::container::Stream;
use crate::model::world::World;

pub use distribution::{RegistryAccess, registry_status};

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

    fn out(&mut self, text: impl Into<String>) {
        self.events.push(Event::Text {
            stream: Stream::Stdout,
            text: text.into(),
        });
    }

    fn error(&mut self, e: DockerError, code: i32) {
        self.events.push(Event::Error(e));
        self.exit_code = code;
    }

    /// A flag value Docker's CLI rejects: its message, the usage line, exit 125.
    fn usage_error(&mut self, path: &str, msg: String) {
        let e = crate::command::value_error(path, msg);
        self.events.push(Event::Text {
            stream: Stream::Stderr,
            text: e.message,
        });
        self.exit_code = e.exit_code;
    }

    fn note(&mut self, text: impl Into<String>) {
        self.events.push(Event::Note(text.into()));
    }
}

impl World {
    /// Runs one docker command on machine `host` (created on first use) and advances the clock.
    pub fn execute(&mut self, host: &str, invocation: &Invocation, input: &Input) -> Outcome {
        self.machine(host);
        self.settle();
        let mut out = Outcome::default();
        match &invocation.command {
            Command::Help(text) => out.out(*text),
            Command::Version { format } => version(format.as_deref(), &mut out),
            Command::Build(b) => build::build(self, host, b, &mut out),
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
                containers,
            } => containers::stop(self, host, *timeout, containers, &mut out),
            Command::Restart {
                timeout,
                containers,
            } => containers::restart(self, host, *timeout, containers, &mut out),
            Command::Kill { containers } => containers::kill(self, host, containers, &mut out),
            Command::Pause { containers } => {
                containers::pause(self, host, containers, true, &mut out)
            }
            Command::Unpause { containers } => {
                containers::pause(self, host, containers, false, &mut out)
            }
            Command::Rm { force, containers } => {
                containers::rm(self, host, *force, containers, &mut out)
            }
            Command::Rmi { force, images } => images::rmi(self, host, *force, images, &mut out),
            Command::Tag { source, target } => images::tag(self, host, source, target, &mut out),
            Command::Logs { container } => containers::logs(self, host, container, &mut out),
            Command::Inspect {
                kind,
                names,
                format,
            } => inspect::inspect(self, host, *kind, names, format.as_deref(), &mut out),
            Command::History {
                image,
                quiet,
                no_trunc,
            } => images::history(self, host, image, *quiet, *no_trunc, &mut out),
            Command::ImagePrune { all, force } => {
                images::prune(self, host, *all, *force, input, &mut out)
            }
            Command::ContainerPrune { force } => {
                containers::prune(self, host, *force, input, &mut out)
            }
            Command::Pull {
                reference,
                all_tags,
                quiet,
            } => distribution::pull_command(self, host, reference, *all_tags, *quiet, &mut out),
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
            } => containers::exec(
                self,
                host,
                container,
                command,
                env,
                (*interactive, *tty, *detach),
                input,
                &mut out,
            ),
            Command::NotSimulated { path } => {
                out.note(format!(
                    "`docker {path}` is a real Docker command that dockdrill does not simulate"
                ));
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
        while self.timers.first().is_some_and(|t| t.0 <= self.now) {
            let Some((at, machine, id)) = self.timers.pop_first() else {
                break;
            };
            containers::end_by_itself(self, &machine, &id, at);
        }
    }
}

/// `docker version`, or its `--format` (a Go template over the client and server details, or `json`).
fn version(format: Option<&str>, out: &mut Outcome) {
    let Some(format) = format else {
        out.out(VERSION_TEXT);
        return;
    };
    let info = version_info();
    if format == "json" {
        out.out(format!("{}\n", template::go_json(&info)));
        return;
    }
    match template::render_named(
        "version",
        &template::prepare(format).1,
        &info,
        template::Strictness::Strict("system.versionInfo"),
    ) {
        Ok(text) => out.out(format!("{text}\n")),
        Err(e) if e.parsing => out.error(DockerError::plain(e.message), 64),
        Err(e) => {
            out.out("\n");
            out.error(DockerError::plain(e.message), 1);
        }
    }
}

/// What `docker version --format` reads: the same facts as [`VERSION_TEXT`], in the API's field names.
fn version_info() -> serde_json::Value {
    serde_json::json!({
        "Client": {
            "Version": "28.2.2", "ApiVersion": "1.50", "DefaultAPIVersion": "1.50",
            "GitCommit": "e6534b4", "GoVersion": "go1.24.3", "Os": "linux", "Arch": "amd64",
            "BuildTime": "Fri May 30 12:07:14 2025", "Context": "default"
        },
        "Server": {
            "Platform": {"Name": "Docker Engine - Community"},
            "Components": [
                {"Name": "Engine", "Version": "28.2.2", "Details": {
                    "ApiVersion": "1.50", "Arch": "amd64", "BuildTime": "2025-05-30T12:07:14.000000000+00:00",
                    "Experimental": "false", "GitCommit": "45873be", "GoVersion": "go1.24.3",
                    "KernelVersion": "6.8.0-60-generic", "MinAPIVersion": "1.24", "Os": "linux"}},
                {"Name": "containerd", "Version": "1.7.27", "Details": {
                    "GitCommit": "05044ec0a9a75232cad458027ca83437aae3f4da"}},
                {"Name": "runc", "Version": "1.2.5", "Details": {"GitCommit": "v1.2.5-0-g59923ef"}},
                {"Name": "docker-init", "Version": "0.19.0", "Details": {"GitCommit": "de40ad0"}}
            ],
            "Version": "28.2.2", "ApiVersion": "1.50", "MinAPIVersion": "1.24", "GitCommit": "45873be",
            "GoVersion": "go1.24.3", "Os": "linux", "Arch": "amd64", "KernelVersion": "6.8.0-60-generic",
            "BuildTime": "2025-05-30T12:07:14.000000000+00:00"
        }
    })
}

/// `docker version` against a simulated engine.
const VERSION_TEXT: &str = "Client:
 Version:           28.2.2
 API version:       1.50
 Go version:        go1.24.3
 Git commit:        e6534b4
 Built:             Fri May 30 12:07:14 2025
 OS/Arch:           linux/amd64
 Context:           default

Server: Docker Engine - Community
 Engine:
  Version:          28.2.2
  API version:      1.50 (minimum version 1.24)
  Go version:       go1.24.3
  Git commit:       45873be
  Built:            Fri May 30 12:07:14 2025
  OS/Arch:          linux/amd64
  Experimental:     false
 containerd:
  Version:          1.7.27
  GitCommit:        05044ec0a9a75232cad458027ca83437aae3f4da
 runc:
  Version:          1.2.5
  GitCommit:        v1.2.5-0-g59923ef
 docker-init:
  Version:          0.19.0
  GitCommit:        de40ad0
";

/// Familiar form of a full reference, for tooling output.
pub fn familiar_ref(full: &str) -> String {
    images::familiar(full)
}
