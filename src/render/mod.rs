//! The one layer that makes Docker's words: events → what the real Docker CLI prints, stream by stream.
//! The engine returns typed events and refusals; everything here turns them into text: tables, sizes and
//! durations, Go templates, listings, `inspect` JSON, build progress and every error sentence. The
//! simulator's own notes are kept apart (a third channel), so nothing dockdrill says is ever mixed into
//! Docker's lines.

pub mod build;
pub mod buildx;
pub mod distribution;
pub mod errors;
pub mod image_tree;
pub mod inspect;
pub mod listing;
pub mod manifest;
pub mod notes;
pub mod objects;
pub mod system;
pub mod table;
pub mod template;
pub mod transfer;
pub mod units;
pub mod usage;

use crate::event::{Event, Prompt, PruneEntry};
use crate::model::container::Stream;
use units::human_size;

/// Where a piece of output goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Stdout,
    Stderr,
    /// The simulator speaking.
    Note,
}

/// Rendered output, in the order it appeared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub chunks: Vec<(Channel, String)>,
    /// A `--format` template that failed while rendering ends the command with this exit code.
    pub exit_code: Option<i32>,
}

impl Rendered {
    fn push(&mut self, ch: Channel, text: impl Into<String>) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((c, t)) if *c == ch && ch != Channel::Note => t.push_str(&text),
            _ => self.chunks.push((ch, text)),
        }
    }

    fn line(&mut self, ch: Channel, text: impl AsRef<str>) {
        // Straight into the chunk it joins: no copy of the line first.
        let text = text.as_ref();
        match self.chunks.last_mut() {
            Some((c, t)) if *c == ch && ch != Channel::Note => {
                t.push_str(text);
                t.push('\n');
            }
            _ => {
                let mut s = String::with_capacity(text.len() + 1);
                s.push_str(text);
                s.push('\n');
                self.chunks.push((ch, s));
            }
        }
    }

    /// A line made of `parts`, appended like [`line`](Self::line): no `format!` and no copy of the line.
    fn parts(&mut self, ch: Channel, parts: &[&str]) {
        let text = match self.chunks.last_mut() {
            Some((c, t)) if *c == ch && ch != Channel::Note => t,
            _ => {
                // Room for the lines that usually follow (a pull or push prints ten or so), so they
                // are appended without growing the text line by line.
                let len = parts.iter().map(|p| p.len()).sum::<usize>() + 1;
                self.chunks.push((ch, String::with_capacity(len.max(1024))));
                match self.chunks.last_mut() {
                    Some((_, t)) => t,
                    None => return,
                }
            }
        };
        for p in parts {
            text.push_str(p);
        }
        text.push('\n');
    }

    /// Everything on one channel, concatenated.
    pub fn channel(&self, ch: Channel) -> String {
        self.chunks
            .iter()
            .filter(|(c, _)| *c == ch)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    /// The simulator's notes, one per entry.
    pub fn notes(&self) -> Vec<String> {
        self.chunks
            .iter()
            .filter(|(c, _)| *c == Channel::Note)
            .map(|(_, t)| t.clone())
            .collect()
    }
}

/// How the command was invoked matters for framing (`run` sends pull progress to stderr).
#[derive(Clone, Copy, Debug, Default)]
pub struct Context {
    /// The command is `docker pull` (pull progress on stdout) rather than run/create/build.
    pub pull_on_stdout: bool,
    /// Output goes to a terminal this wide: BuildKit then draws its final frame instead of plain progress.
    pub terminal_width: Option<usize>,
}

fn stream(s: Stream) -> Channel {
    match s {
        Stream::Stdout => Channel::Stdout,
        Stream::Stderr => Channel::Stderr,
    }
}

/// Renders one command's events.
pub fn render(events: &[Event], ctx: Context) -> Rendered {
    let mut r = Rendered::default();
    for e in events {
        match e {
            Event::Help(text) => r.push(Channel::Stdout, *text),
            Event::Version { format, arch } => version(&mut r, format.as_deref(), arch),
            Event::Notice(crate::command::Notice::TimeFlagDeprecated) => r.line(
                Channel::Stdout,
                "Flag --time has been deprecated, use --timeout instead",
            ),
            Event::Usage(u) => r.push(Channel::Stderr, usage::text(u)),
            Event::Error(err) => r.line(Channel::Stderr, errors::text(err)),
            Event::RunFailed { path, error } => r.push(
                Channel::Stderr,
                format!(
                    "docker: {}\n\nRun 'docker {path} --help' for more information\n",
                    errors::text(error)
                ),
            ),
            Event::Images(l) => r.listing(listing::images(l)),
            Event::Containers(l) => {
                // docker/cli `runPs`: any `--format` with `-q` is dropped, and it says so first.
                if l.view.quiet && l.view.format.as_deref().is_some_and(|f| !f.is_empty()) {
                    r.line(
                        Channel::Stderr,
                        "WARNING: Ignoring custom format, because both --format and --quiet are set.",
                    );
                }
                r.listing(listing::containers(l))
            }
            Event::History(l) => r.listing(listing::history(l)),
            Event::Inspect(l) => match inspect::text(l) {
                Ok(text) => r.push(Channel::Stdout, text),
                Err(e) if e.parsing => r.listing(Err((e.message, 64))),
                Err(e) => {
                    // The CLI retries a failed template on the raw JSON (missingkey=error) and
                    // reports that error as a "parsing" one, after an empty line.
                    r.push(Channel::Stdout, "\n");
                    r.listing(Err((format!("template parsing error: {}", e.message), 1)));
                }
            },
            Event::ImagesDidYouMean { word } => r.push(
                Channel::Stderr,
                format!(
                    "\nNo images found matching \"{word}\": did you mean \"docker image {word}\"?\n"
                ),
            ),
            Event::ForeignPlatform { image, host } => r.line(
                Channel::Stderr,
                format!(
                    "WARNING: The requested image's platform ({image}) does not match the detected host platform ({host}) and no specific platform was requested"
                ),
            ),
            Event::UnableToFind { familiar } => r.line(
                Channel::Stderr,
                format!("Unable to find image '{familiar}' locally"),
            ),
            Event::UsingDefaultTag => r.line(Channel::Stdout, "Using default tag: latest"),
            Event::Pull(p) => distribution::pull(
                &mut r,
                p,
                if ctx.pull_on_stdout {
                    Channel::Stdout
                } else {
                    Channel::Stderr
                },
            ),
            Event::PullAllTagsStatus { familiar, newer } => r.line(
                Channel::Stdout,
                format!("Status: {} {familiar}", distribution::status_words(*newer)),
            ),
            Event::PulledReference(full) => r.line(Channel::Stdout, full),
            Event::PushRefersTo(repo) => r.line(
                Channel::Stdout,
                format!("The push refers to repository [{repo}]"),
            ),
            Event::PushTag(p) => distribution::push(&mut r, p),
            Event::PushedReference(s) => r.line(Channel::Stdout, s),
            Event::Build(b) => build::build(&mut r, b, ctx.terminal_width),
            Event::Buildx(b) => buildx::event(&mut r, b, ctx.terminal_width),
            Event::Manifest(m) => r.push(Channel::Stdout, manifest::text(m)),
            Event::ImageTree(t) => r.push(
                Channel::Stdout,
                image_tree::text(t, ctx.terminal_width),
            ),
            Event::PasswordOnCommandLine => r.line(
                Channel::Stderr,
                "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
            ),
            Event::ReusedCredentials { user } => r.push(
                Channel::Stderr,
                format!(
                    "Authenticating with existing credentials... [Username: {user}]\n\n Info -> To login with a different account, run 'docker logout' followed by 'docker login'\n\n\n"
                ),
            ),
            Event::CredentialsStored => r.push(Channel::Stderr, CREDENTIALS_WARNING),
            Event::LoginSucceeded => r.line(Channel::Stdout, "Login Succeeded"),
            Event::LoggedOut { server } => r.line(
                Channel::Stdout,
                format!("Removing login credentials for {server}"),
            ),
            Event::ContainerId(id) => r.line(Channel::Stdout, id),
            Event::Output(lines) => {
                for l in lines {
                    r.line(stream(l.stream), &l.text);
                }
            }
            // `--timestamps` comes first, then `--details`' attributes (none here: an empty field).
            Event::LogLines { lines, at, details } => {
                for l in lines {
                    let mut text = String::new();
                    if let Some(t) = at {
                        text.push_str(&crate::clock::rfc3339(*t));
                        text.push(' ');
                    }
                    if *details {
                        text.push(' ');
                    }
                    text.push_str(&l.text);
                    r.line(stream(l.stream), text);
                }
            }
            // The exec's own stream carries this failure: stdout, with the terminal's line ending.
            Event::ExecNotFound { executable } => r.push(
                Channel::Stdout,
                format!(
                    "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{executable}\": executable file not found in $PATH: unknown\r\n"
                ),
            ),
            Event::ExecFailed { problem } => {
                r.push(Channel::Stdout, format!("{}\r\n", errors::exec_problem(problem)))
            }
            Event::ExecPermissionDenied { executable } => r.push(
                Channel::Stdout,
                format!(
                    "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{executable}\": permission denied: unknown\r\n"
                ),
            ),
            Event::FailedToStart { names } => r.line(
                Channel::Stderr,
                format!("Error: failed to start containers: {}", names.join(", ")),
            ),
            Event::Echo(s) => r.line(Channel::Stdout, s),
            Event::Archive(bytes) => r.push(Channel::Stdout, String::from_utf8_lossy(bytes)),
            Event::Loaded(lines) => r.push(Channel::Stdout, transfer::loaded(lines)),
            Event::ExitCode(code) => r.line(Channel::Stdout, code.to_string()),
            Event::Committed(id) => r.line(Channel::Stdout, id.to_string()),
            Event::Top(rows) => r.push(Channel::Stdout, transfer::top(rows)),
            Event::Ports(ports) => r.push(Channel::Stdout, transfer::ports(ports)),
            Event::Untagged(s) => r.parts(Channel::Stdout, &["Untagged: ", s]),
            Event::Deleted(d) => r.parts(Channel::Stdout, &["Deleted: ", d.as_str()]),
            Event::Prompt { prompt, answered } => {
                r.push(Channel::Stdout, prompt_text(*prompt));
                if *answered {
                    r.push(Channel::Stdout, "\n");
                }
            }
            Event::ImagesPruned { entries, reclaimed } => {
                let mut text = String::new();
                if !entries.is_empty() {
                    text.push_str("Deleted Images:\n");
                    for e in entries {
                        match e {
                            PruneEntry::Untagged(s) => text.push_str(&format!("untagged: {s}\n")),
                            PruneEntry::Deleted(d) => text.push_str(&format!("deleted: {d}\n")),
                        }
                    }
                    text.push('\n');
                }
                text.push_str(&format!(
                    "Total reclaimed space: {}\n",
                    human_size(*reclaimed)
                ));
                r.push(Channel::Stdout, text);
            }
            Event::ContainersPruned { ids } => {
                let mut text = String::new();
                if !ids.is_empty() {
                    text.push_str("Deleted Containers:\n");
                    for id in ids {
                        text.push_str(id);
                        text.push('\n');
                    }
                    text.push('\n');
                }
                text.push_str("Total reclaimed space: 0B\n");
                r.push(Channel::Stdout, text);
            }
            Event::Named(s) => r.line(Channel::Stdout, s),
            Event::Volumes(l) => r.listing(objects::volumes(l)),
            Event::VolumeInspect { volumes, format } => {
                r.template(objects::volume_inspect(volumes, format.as_deref()))
            }
            Event::Networks(l) => r.listing(objects::networks(l)),
            Event::NetworkInspect { networks, format } => {
                r.template(objects::network_inspect(networks, format.as_deref()))
            }
            Event::Diff(lines) => r.push(Channel::Stdout, system::diff(lines)),
            Event::Stats(l) => r.listing(system::stats(l)),
            Event::Info(i) => r.listing(system::info(i)),
            Event::DiskUsage(d) => r.listing(system::disk_usage(d)),
            Event::Search(l) => r.listing(system::search(l)),
            Event::NetworksPruned(names) => r.push(Channel::Stdout, system::networks_pruned(names)),
            Event::VolumesPruned(names) => r.push(Channel::Stdout, system::volumes_pruned(names)),
            Event::SystemPruned(p) => r.push(Channel::Stdout, system::pruned(p)),
            Event::ExitStatus(code) => r.line(Channel::Stderr, format!("exit status {code}")),
            Event::Note(n) => r.push(Channel::Note, notes::text(n)),
            Event::Rule(_) => {}
        }
    }
    r
}

impl Rendered {
    /// An inspect's stdout, or its template error (exit 64 when it did not parse, else 1).
    fn template(&mut self, result: Result<String, template::TemplateError>) {
        self.listing(result.map_err(|e| (e.message, if e.parsing { 64 } else { 1 })));
    }

    /// A listing's stdout, or the template error that replaces it (on stderr, with its exit code).
    fn listing(&mut self, result: Result<String, (String, i32)>) {
        match result {
            Ok(text) => self.push(Channel::Stdout, text),
            Err((message, code)) => {
                self.line(Channel::Stderr, message);
                self.exit_code = Some(code);
            }
        }
    }
}

/// `docker version`, or its `--format` (a Go template over the client and server details, or `json`).
fn version(r: &mut Rendered, format: Option<&str>, arch: &str) {
    let Some(format) = format.filter(|f| !f.is_empty()) else {
        r.push(
            Channel::Stdout,
            VERSION_TEXT.replace("linux/amd64", &format!("linux/{arch}")),
        );
        return;
    };
    if format == "json" {
        let info = version_info("ApiVersion", arch);
        r.push(Channel::Stdout, format!("{}\n", template::go_json(&info)));
        return;
    }
    // Templates see the Go structs, whose fields are `APIVersion` where the JSON says `ApiVersion`.
    let typed = version_info("APIVersion", arch);
    match template::render_named(
        "version",
        &template::prepare(format).1,
        &typed,
        template::Strictness::Strict("system.versionInfo"),
    ) {
        Ok(text) => r.push(Channel::Stdout, format!("{text}\n")),
        Err(e) if e.parsing => r.listing(Err((e.message, 64))),
        Err(e) => {
            r.push(Channel::Stdout, "\n");
            r.listing(Err((e.message, 1)));
        }
    }
}

/// What `docker version --format` reads: the facts of [`VERSION_TEXT`]; `api` names the API version field
/// (`ApiVersion` in JSON, `APIVersion` for a template).
fn version_info(api: &str, arch: &str) -> serde_json::Value {
    let mut v = serde_json::json!({
        "Client": {
            "Version": "28.2.2", "DefaultAPIVersion": "1.50",
            "GitCommit": "e6534b4", "GoVersion": "go1.24.3", "Os": "linux", "Arch": arch,
            "BuildTime": "Fri May 30 12:07:14 2025", "Context": "default"
        },
        "Server": {
            "Platform": {"Name": "Docker Engine - Community"},
            "Components": [
                {"Name": "Engine", "Version": "28.2.2", "Details": {
                    "ApiVersion": "1.50", "Arch": arch, "BuildTime": "2025-05-30T12:07:14.000000000+00:00",
                    "Experimental": "false", "GitCommit": "45873be", "GoVersion": "go1.24.3",
                    "KernelVersion": "6.8.0-60-generic", "MinAPIVersion": "1.24", "Os": "linux"}},
                {"Name": "containerd", "Version": "1.7.27", "Details": {
                    "GitCommit": "05044ec0a9a75232cad458027ca83437aae3f4da"}},
                {"Name": "runc", "Version": "1.2.5", "Details": {"GitCommit": "v1.2.5-0-g59923ef"}},
                {"Name": "docker-init", "Version": "0.19.0", "Details": {"GitCommit": "de40ad0"}}
            ],
            "Version": "28.2.2", "MinAPIVersion": "1.24", "GitCommit": "45873be",
            "GoVersion": "go1.24.3", "Os": "linux", "Arch": arch, "KernelVersion": "6.8.0-60-generic",
            "BuildTime": "2025-05-30T12:07:14.000000000+00:00"
        }
    });
    for (side, after) in [("Client", "Version"), ("Server", "Version")] {
        if let Some(obj) = v.get_mut(side).and_then(serde_json::Value::as_object_mut) {
            // Keep Docker's field order: the API version comes right after the version.
            let entries: Vec<(String, serde_json::Value)> =
                std::mem::take(obj).into_iter().collect();
            for (k, val) in entries {
                let is_after = k == after;
                obj.insert(k, val);
                if is_after {
                    obj.insert(api.to_string(), serde_json::Value::from("1.50"));
                }
            }
        }
    }
    v
}

/// A prune's `[y/N]` question.
fn prompt_text(p: Prompt) -> &'static str {
    match p {
        Prompt::PruneDanglingImages => {
            "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
        }
        Prompt::PruneAllImages => {
            "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] "
        }
        Prompt::PruneSystem { all, volumes } => system::prune_prompt(all, volumes),
        Prompt::PruneNetworks => {
            "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] "
        }
        Prompt::PruneVolumes { all: false } => {
            "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] "
        }
        Prompt::PruneVolumes { all: true } => {
            "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] "
        }
        Prompt::PruneContainers => {
            "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "
        }
    }
}

const CREDENTIALS_WARNING: &str = "\nWARNING! Your credentials are stored unencrypted in '/home/learner/.docker/config.json'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n";

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
