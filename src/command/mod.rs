//! The docker command line → a typed [`Command`], with Docker's own usage errors. dockdrill's own command
//! line uses clap; this one is hand-written because its error texts are part of what a learner sees.

pub mod flags;
pub mod shell_words;
pub mod table;

use crate::reference::{ImageArg, ImageRef};
use flags::{FlagError, Values};

/// How `docker run` treats the registry before creating the container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    Missing,
    Never,
}

/// `docker run` / `docker create`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub create_only: bool,
    pub image: ImageArg,
    pub command: Vec<String>,
    pub detach: bool,
    pub rm: bool,
    pub name: Option<String>,
    pub interactive: bool,
    pub tty: bool,
    pub publish: Vec<String>,
    pub env: Vec<String>,
    pub pull: PullPolicy,
    pub entrypoint: Option<String>,
    pub workdir: Option<String>,
    pub quiet: bool,
    pub restart: Option<String>,
    /// `-l, --label` values as typed (`k=v` or `k`).
    pub labels: Vec<String>,
    /// `-u, --user`.
    pub user: Option<String>,
    /// `-h, --hostname`.
    pub hostname: Option<String>,
    /// `--platform`, as typed (the CLI parses it before asking the daemon).
    pub platform: Option<String>,
    /// `-v NAME:/path` / `-v /path` values.
    pub volumes: Vec<String>,
    /// `--network NAME` (or its hidden alias `--net`): the network the container joins.
    pub network: Option<String>,
    /// `--mount` and `--label-file` values (boxed: most runs have neither).
    pub more: Box<RunMore>,
}

/// The rarer list flags of `docker run`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunMore {
    /// `--mount` values as typed (`type=bind,source=./site,target=/data`).
    pub mounts: Vec<String>,
    /// `--label-file` paths in the working folder.
    pub label_files: Vec<String>,
}

/// `docker build`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    /// `-t` values, each a valid reference (the parser refused the rest).
    pub tags: Vec<ImageRef>,
    pub file: Option<String>,
    pub context: String,
    pub no_cache: bool,
    pub pull: bool,
    pub quiet: bool,
    pub progress: Option<String>,
    pub build_args: Vec<String>,
    /// `DOCKER_BUILDKIT=0` before the command: the legacy builder.
    pub legacy: bool,
    /// `--target STAGE`: the stage whose result is the image.
    pub target: Option<String>,
    /// `--platform`: the platform(s) to build for, as typed (`linux/arm64`, `linux/amd64,linux/arm64`).
    pub platform: Option<String>,
    /// `--label KEY=VALUE`, in the order given: labels set on the built image.
    pub labels: Vec<(String, String)>,
    /// `--iidfile FILE`: where the built image's ID is written, in the machine's working folder.
    pub iidfile: Option<String>,
    /// `--push`: export the result to its registry (a `docker-container` builder's image exporter).
    pub push: bool,
    /// `--load`: export the result into the machine's image store.
    pub load: bool,
    /// `--builder NAME`: the builder instance instead of the current one.
    pub builder: Option<String>,
    /// `--squash` (hidden, experimental): refused by the legacy builder, warned about and ignored by buildx.
    pub squash: bool,
}

/// `docker manifest …`: the CLI's local manifest lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Manifest {
    /// `manifest create [-a] [--insecure] LIST MANIFEST...`.
    Create {
        list: ImageArg,
        members: Vec<ImageArg>,
        amend: bool,
        insecure: bool,
    },
    /// `manifest inspect [--insecure] [LIST] MANIFEST`.
    Inspect {
        list: Option<ImageArg>,
        name: ImageArg,
        insecure: bool,
    },
    /// `manifest push [--insecure] [-p] LIST`.
    Push { list: ImageArg, purge: bool },
    /// `manifest rm LIST...`.
    Rm { lists: Vec<ImageArg> },
}

/// `docker buildx …`: builder instances and the registry view of images (the buildx plugin).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Buildx {
    /// `buildx create [--name N] [--driver D] [--use] [--bootstrap] [--platform P]`.
    Create {
        name: Option<String>,
        driver: Option<String>,
        use_it: bool,
        bootstrap: bool,
        platforms: Vec<String>,
    },
    /// `buildx use NAME`.
    Use { name: Option<String> },
    /// `buildx ls`.
    Ls,
    /// `buildx rm [NAME...]` (none: the current builder).
    Rm { names: Vec<String> },
    /// `buildx inspect [NAME] [--bootstrap]`.
    Inspect {
        name: Option<String>,
        bootstrap: bool,
    },
    /// `buildx imagetools inspect NAME`.
    ImagetoolsInspect { reference: ImageArg },
}

/// `docker build` flags dockdrill accepts but does not simulate: they export, push, mount secrets or write
/// files elsewhere, so a build that ignored them would look as if it had done what they ask.
pub const BUILD_FLAGS_NOT_SIMULATED: &[&str] = &[
    "output",
    "secret",
    "ssh",
    "cache-to",
    "cache-from",
    "call",
    "check",
    "metadata-file",
    "provenance",
    "sbom",
    "attest",
    "annotation",
    "build-context",
    "no-cache-filter",
    "allow",
];

/// `inspect -f`: the Go template, parsed once with the command line. The core only asks which top-level
/// fields it reads (to build nothing else) and hands it on in the event; the rendering layer runs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectFormat(crate::render::template::Template);

impl InspectFormat {
    /// Parses the template text (a parse error is kept and reported when the output is rendered).
    pub fn parse(text: &str) -> InspectFormat {
        InspectFormat(crate::render::template::Template::new(text))
    }

    /// The top-level fields the template reads, `None` when it may read anything.
    pub fn roots(&self) -> Option<&[String]> {
        if self.is_json() {
            return None;
        }
        self.0.roots()
    }

    /// `-f json`: the whole objects as compact JSON, not a template (docker/cli `NewJSONInspector`).
    pub fn is_json(&self) -> bool {
        self.0.format() == "json"
    }

    /// The parsed template, for the rendering layer.
    pub fn template(&self) -> &crate::render::template::Template {
        &self.0
    }
}

/// A typed docker command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Help(&'static str),
    /// `docker version [-f FORMAT]`.
    Version {
        format: Option<String>,
    },
    Build(Build),
    /// `docker buildx …` (other than `buildx build`, which is [`Command::Build`]).
    Buildx(Buildx),
    /// `docker manifest …`.
    Manifest(Manifest),
    /// `docker images --tree`: one entry per image with its names (docker/cli `image/tree.go`).
    ImagesTree {
        all: bool,
        filter: Vec<String>,
        reference: Option<String>,
    },
    Images {
        all: bool,
        quiet: bool,
        digests: bool,
        no_trunc: bool,
        filter: Vec<String>,
        reference: Option<String>,
        format: Option<String>,
    },
    Ps {
        all: bool,
        quiet: bool,
        last: Option<i64>,
        latest: bool,
        no_trunc: bool,
        size: bool,
        filter: Vec<String>,
        format: Option<String>,
    },
    Run(Run),
    Start {
        attach: bool,
        containers: Vec<String>,
    },
    Stop {
        timeout: Option<i64>,
        /// `-s, --signal` as typed (the daemon reads it).
        signal: Option<String>,
        containers: Vec<String>,
    },
    Restart {
        timeout: Option<i64>,
        containers: Vec<String>,
    },
    Kill {
        /// `-s, --signal` as typed (the daemon reads it).
        signal: Option<String>,
        containers: Vec<String>,
    },
    Pause {
        containers: Vec<String>,
    },
    Unpause {
        containers: Vec<String>,
    },
    Rm {
        force: bool,
        /// `-l, --link`: remove a link, not the container.
        link: bool,
        /// `-v, --volumes`: remove the container's anonymous volumes with it.
        volumes: bool,
        containers: Vec<String>,
    },
    Rmi {
        force: bool,
        images: Vec<ImageArg>,
    },
    Tag {
        source: ImageArg,
        target: ImageArg,
    },
    Logs {
        container: String,
        /// `-n, --tail`: the last N lines (`None`: all; the daemon reads a non-number as all).
        tail: Option<usize>,
        /// `-t, --timestamps`.
        timestamps: bool,
        /// `--details`.
        details: bool,
        /// `--since` / `--until` as typed (the API client reads them).
        since: Option<String>,
        until: Option<String>,
    },
    Inspect {
        kind: InspectKind,
        names: Vec<String>,
        /// The `-f` template, parsed here once (it knows the top-level fields it reads).
        format: Option<InspectFormat>,
        /// `docker inspect --type` as typed (the CLI checks it before asking the daemon).
        of_type: Option<String>,
        /// `-s/--size`: containers' `SizeRw` and `SizeRootFs`.
        size: bool,
    },
    History {
        image: ImageArg,
        quiet: bool,
        no_trunc: bool,
        format: Option<String>,
        /// `-H, --human` (default true): `=false` prints bytes and RFC 3339 times.
        human: bool,
    },
    ImagePrune {
        all: bool,
        force: bool,
        /// `--filter` values as typed (the daemon reads them).
        filter: Vec<String>,
    },
    ContainerPrune {
        force: bool,
        filter: Vec<String>,
    },
    Pull {
        reference: ImageArg,
        all_tags: bool,
        quiet: bool,
        /// `--platform`, as typed (the daemon parses it).
        platform: Option<String>,
    },
    Push {
        reference: ImageArg,
        all_tags: bool,
        quiet: bool,
    },
    Login {
        server: Option<String>,
        username: Option<String>,
        password: Option<String>,
        password_stdin: bool,
    },
    Logout {
        server: Option<String>,
    },
    /// `docker exec`: a second process in a running container.
    Exec {
        container: String,
        command: Vec<String>,
        env: Vec<String>,
        interactive: bool,
        tty: bool,
        detach: bool,
        /// `-u, --user` (`name`, `uid`, `name:group`, `uid:gid`).
        user: Option<String>,
        /// `-w, --workdir`.
        workdir: Option<String>,
    },
    /// `docker save`: `-o FILE` in the working folder, else standard output.
    Save {
        images: Vec<ImageArg>,
        output: Option<String>,
    },
    /// `docker load`: `-i FILE` in the working folder, else standard input.
    Load {
        input: Option<String>,
        quiet: bool,
    },
    /// `docker rename OLD NEW`.
    Rename {
        old: String,
        new: String,
    },
    /// `docker commit CONTAINER [REPOSITORY[:TAG]]`.
    Commit {
        container: String,
        reference: Option<ImageArg>,
        message: Option<String>,
        /// `-a/--author`.
        author: Option<String>,
        /// `-c/--change`, in the order given.
        changes: Vec<String>,
    },
    /// `docker top CONTAINER [ps OPTIONS]`.
    Top {
        container: String,
        /// The words after the container, handed to `ps` by the real daemon (`-ef` by default).
        ps_args: Vec<String>,
    },
    /// `docker wait`: each container's exit code once it stops.
    Wait {
        containers: Vec<String>,
    },
    /// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`.
    Port {
        container: String,
        port: Option<String>,
    },
    /// `docker cp SRC DEST`: one side is `CONTAINER:PATH`, the other a path in the working folder or `-`.
    Cp {
        source: String,
        dest: String,
    },
    /// `docker diff CONTAINER`.
    Diff {
        container: String,
    },
    /// `docker stats [--no-stream]`.
    Stats {
        all: bool,
        no_stream: bool,
        no_trunc: bool,
        format: Option<String>,
        containers: Vec<String>,
    },
    /// `docker info` / `docker system info`.
    Info {
        format: Option<String>,
    },
    /// `docker system df [-v]`.
    SystemDf {
        verbose: bool,
        format: Option<String>,
    },
    /// `docker system prune`.
    SystemPrune {
        all: bool,
        force: bool,
        volumes: bool,
    },
    /// `docker search TERM`.
    Search {
        term: String,
        limit: Option<i64>,
        filter: Vec<String>,
        format: Option<String>,
        no_trunc: bool,
    },
    /// `docker network ls`.
    NetworkLs {
        quiet: bool,
        no_trunc: bool,
        filter: Vec<String>,
        format: Option<String>,
    },
    /// `docker network create NAME`.
    NetworkCreate {
        name: String,
        driver: Option<String>,
    },
    /// `docker network rm NAME...`.
    NetworkRm {
        force: bool,
        networks: Vec<String>,
    },
    /// `docker network connect [--alias A] NETWORK CONTAINER`.
    NetworkConnect {
        network: String,
        container: String,
        aliases: Vec<String>,
    },
    /// `docker network disconnect [-f] NETWORK CONTAINER`.
    NetworkDisconnect {
        network: String,
        container: String,
        force: bool,
    },
    /// `docker network inspect NAME...`.
    NetworkInspect {
        names: Vec<String>,
        format: Option<String>,
    },
    /// `docker network prune`.
    NetworkPrune {
        force: bool,
    },
    /// `docker volume prune [-a]`.
    VolumePrune {
        all: bool,
        force: bool,
    },
    /// `docker volume ls`.
    VolumeLs {
        quiet: bool,
        filter: Vec<String>,
        format: Option<String>,
    },
    /// `docker volume create [NAME]`.
    VolumeCreate {
        name: Option<String>,
    },
    /// `docker volume rm NAME...`.
    VolumeRm {
        force: bool,
        volumes: Vec<String>,
    },
    /// `docker volume inspect NAME...`.
    VolumeInspect {
        names: Vec<String>,
        format: Option<String>,
    },
    /// A real docker command dockdrill does not simulate (its arguments were valid).
    NotSimulated {
        path: String,
    },
}

/// `docker inspect` looks at any object; `image inspect` / `container inspect` at one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InspectKind {
    Any,
    Image,
    Container,
}

/// A parsed command line: what was typed (for error texts) and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The command path as typed, without `docker` (`"image rm"`).
    pub path: String,
    pub command: Command,
    /// Deprecation notices the CLI prints before running (`Flag --time has been deprecated, …`).
    pub notices: Vec<Notice>,
}

/// A notice the CLI prints before it runs a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// `stop --time` / `restart --time`.
    TimeFlagDeprecated,
}

/// A command line Docker's CLI rejects before doing anything, as data (`render::usage` has the words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UsageError {
    /// A flag error of command `path` (empty: `docker` itself).
    Flag { path: String, error: FlagError },
    /// `docker X` (or `docker image X` when `group` is set) is no command.
    UnknownCommand { group: Option<String>, word: String },
    /// Cobra's argument-count validators.
    ArgCount { path: String, rule: ArgRule },
    /// A `docker run`/`create` value error (framed `docker: …`).
    Run { path: String, problem: RunProblem },
    /// Two flags that exclude each other (`--attach` and `--detach`).
    Conflict { a: &'static str, b: &'static str },
    /// The legacy builder's deprecation banner comes first, even before a usage error.
    WithLegacyBanner(Box<UsageError>),
    /// `images --tree` with an option the tree view does not support yet (`--quiet`, …).
    TreeUnsupported { flag: &'static str },
}

impl UsageError {
    /// The exit code the CLI ends with: cobra's flag errors 125, its argument validators 1.
    pub fn exit_code(&self) -> i32 {
        match self {
            UsageError::Flag { .. } | UsageError::Run { .. } => 125,
            UsageError::UnknownCommand { .. }
            | UsageError::ArgCount { .. }
            | UsageError::Conflict { .. }
            | UsageError::TreeUnsupported { .. } => 1,
            UsageError::WithLegacyBanner(inner) => inner.exit_code(),
        }
    }

    /// The error under a legacy banner.
    pub fn inner(&self) -> &UsageError {
        match self {
            UsageError::WithLegacyBanner(inner) => inner.inner(),
            e => e,
        }
    }
}

/// How many positional arguments a command takes (cobra's `ExactArgs`, `MinimumNArgs`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgRule {
    Exact(usize),
    Min(usize),
    Max(usize),
    None,
    Range(usize, usize),
}

/// A `docker run` option value the CLI refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunProblem {
    InvalidPull { value: String },
    RestartWithRm,
}

/// What the CLI prints on stderr before any legacy (`DOCKER_BUILDKIT=0`) build.
pub const LEGACY_BANNER: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n";

/// Flags `docker build` has only when buildx runs it (see `flags::table`).
const BUILDX_ONLY: &[&str] = &[
    "progress",
    "load",
    "push",
    "output",
    "secret",
    "ssh",
    "cache-to",
    "builder",
    "allow",
    "call",
    "check",
    "metadata-file",
    "provenance",
    "sbom",
    "attest",
    "annotation",
    "no-cache-filter",
    "build-context",
    "debug",
];

/// The help-table key of a command path (`image remove` → `image rm`); the path itself when unknown.
pub fn help_key(path: &str) -> String {
    table::find(path).map_or(path, |s| s.help).to_string()
}

/// Parses `argv` (starting with `docker`). `env` holds `VAR=value` words typed before `docker`.
pub fn parse(argv: &[String], env: &[(String, String)]) -> Result<Invocation, UsageError> {
    let words = match argv.first().map(String::as_str) {
        Some("docker") => &argv[1..],
        _ => argv,
    };
    // Global options before the command.
    let mut i = 0;
    while let Some(w) = words.get(i) {
        match w.as_str() {
            "--help" | "-h" => return Ok(help_invocation("")),
            "-v" | "--version" => {
                return Ok(Invocation {
                    path: "--version".into(),
                    command: Command::Help("Docker version 28.2.2, build e6534b4\n"),
                    notices: vec![],
                });
            }
            "-D" | "--debug" | "--tls" | "--tlsverify" => i += 1,
            "--context" | "-c" | "--host" | "-H" | "--log-level" | "-l" | "--config" => i += 2,
            w if w.starts_with('-') => {
                let name = w.split('=').next().unwrap_or(w);
                let error = if let Some(long) = name.strip_prefix("--") {
                    FlagError::UnknownFlag {
                        name: long.to_string(),
                    }
                } else {
                    FlagError::UnknownShorthand {
                        c: name.chars().nth(1).unwrap_or('-'),
                        word: name.to_string(),
                    }
                };
                return Err(UsageError::Flag {
                    path: String::new(),
                    error,
                });
            }
            _ => break,
        }
    }
    let words = &words[i.min(words.len())..];
    let Some(first) = words.first() else {
        return Ok(help_invocation(""));
    };
    if first == "help" {
        return Ok(help_topic(&words[1..]));
    }
    // `docker buildx imagetools …`: a group inside a group.
    let (first, words) = if first == "buildx" && words.get(1).is_some_and(|w| w == "imagetools") {
        (&"buildx imagetools".to_string(), &words[1..])
    } else {
        (first, words)
    };
    let (path, rest) = match first.as_str() {
        group if table::GROUPS.contains(&group) => match words.get(1) {
            None => return Ok(help_invocation(first)),
            Some(h) if h == "--help" || h == "-h" => return Ok(help_invocation(first)),
            Some(sub) if table::find(&format!("{first} {sub}")).is_some() => {
                (format!("{first} {sub}"), &words[2..])
            }
            Some(sub)
                if table::NOT_SIMULATED_SUBCOMMANDS
                    .contains(&format!("{first} {sub}").as_str()) =>
            {
                let path = format!("{first} {sub}");
                return Ok(Invocation {
                    path: path.clone(),
                    command: Command::NotSimulated { path },
                    notices: vec![],
                });
            }
            Some(sub) => {
                return Err(UsageError::UnknownCommand {
                    group: Some(first.clone()),
                    word: sub.clone(),
                });
            }
        },
        w if table::find(w).is_some() => (w.to_string(), &words[1..]),
        w if table::NOT_SIMULATED.contains(&w) => {
            return Ok(Invocation {
                path: w.to_string(),
                command: Command::NotSimulated {
                    path: w.to_string(),
                },
                notices: vec![],
            });
        }
        w => {
            return Err(UsageError::UnknownCommand {
                group: None,
                word: w.to_string(),
            });
        }
    };
    let Some(spec) = table::find(&path) else {
        return Err(UsageError::UnknownCommand {
            group: None,
            word: path,
        });
    };
    let key = spec.help;
    let canonical = spec.meaning;
    // docker/cli v28.2.2 `SetInterspersed(false)`: after the first argument, every word is an argument.
    let interspersed = !matches!(
        canonical,
        "run" | "create" | "exec" | "tag" | "commit" | "top"
    );
    let legacy_build = canonical == "build"
        && !path.starts_with("buildx")
        && env
            .iter()
            .any(|(k, v)| k == "DOCKER_BUILDKIT" && (v == "0" || v == "false"));
    // The legacy builder's deprecation banner comes first, even before a usage error.
    let with_banner = |e: UsageError| {
        if legacy_build {
            UsageError::WithLegacyBanner(Box::new(e))
        } else {
            e
        }
    };
    let parsed = flags::parse(key, rest, interspersed).map_err(|error| {
        with_banner(UsageError::Flag {
            path: path.clone(),
            error,
        })
    })?;
    if legacy_build {
        // The legacy builder's own command has none of buildx's flags.
        if let Some(name) = BUILDX_ONLY.iter().find(|f| parsed.values.has(f)) {
            return Err(with_banner(UsageError::Flag {
                path: path.clone(),
                error: FlagError::UnknownFlag {
                    name: name.to_string(),
                },
            }));
        }
    }
    if parsed.help {
        return Ok(help_invocation(key));
    }
    let v = &parsed.values;
    let args = parsed.args;
    check_arg_count(&path, spec.args, args.len()).map_err(with_banner)?;
    let command = build_command(canonical, &path, v, args, env).map_err(with_banner)?;
    let mut notices = Vec::new();
    if matches!(canonical, "stop" | "restart") && v.has("time") {
        notices.push(Notice::TimeFlagDeprecated);
    }
    Ok(Invocation {
        path,
        command,
        notices,
    })
}

/// `docker help [COMMAND [SUBCOMMAND]]`: cobra's help command prints the named command's help, the
/// top-level help without one (and for a topic it does not know).
fn help_topic(words: &[String]) -> Invocation {
    let topic: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .take_while(|w| !w.starts_with('-'))
        .collect();
    let key = match topic.as_slice() {
        [group, sub, ..] if table::GROUPS.contains(group) => table::find(&format!("{group} {sub}"))
            .map(|s| s.help.to_string())
            .unwrap_or_else(|| group.to_string()),
        [group, ..] if table::GROUPS.contains(group) => group.to_string(),
        [word, ..] => table::find(word).map_or(String::new(), |s| s.help.to_string()),
        [] => String::new(),
    };
    help_invocation(&key)
}

fn help_invocation(key: &str) -> Invocation {
    Invocation {
        path: key.to_string(),
        command: Command::Help(crate::help::help(key).unwrap_or("")),
        notices: vec![],
    }
}

/// A flag value error of command `path`, raised after parsing (framed like pflag's own errors).
pub fn value_error(path: &str, error: FlagError) -> UsageError {
    UsageError::Flag {
        path: path.to_string(),
        error,
    }
}

/// Cobra's positional-argument validators.
fn check_arg_count(path: &str, rule: ArgRule, n: usize) -> Result<(), UsageError> {
    let ok = match rule {
        ArgRule::Exact(k) => n == k,
        ArgRule::Min(k) => n >= k,
        ArgRule::Max(k) => n <= k,
        ArgRule::None => n == 0,
        ArgRule::Range(a, b) => (a..=b).contains(&n),
    };
    if ok {
        Ok(())
    } else {
        Err(UsageError::ArgCount {
            path: path.to_string(),
            rule,
        })
    }
}

fn int(v: &Values, long: &str) -> Option<i64> {
    v.get(long).and_then(|s| s.parse().ok())
}

fn build_command(
    canonical: &str,
    path: &str,
    v: &Values,
    mut args: Vec<String>,
    env: &[(String, String)],
) -> Result<Command, UsageError> {
    let first = args.first().cloned().unwrap_or_default();
    Ok(match canonical {
        "version" => Command::Version {
            format: v.get("format").map(str::to_string),
        },
        "build" => {
            let mut tags = Vec::new();
            for t in v.all("tag") {
                match ImageRef::parse(t) {
                    Ok(r) => tags.push(r),
                    Err(error) => {
                        return Err(value_error(
                            path,
                            FlagError::InvalidTag {
                                value: t.clone(),
                                error,
                            },
                        ));
                    }
                }
            }
            if let Some(flag) = BUILD_FLAGS_NOT_SIMULATED.iter().find(|f| v.has(f)) {
                return Ok(Command::NotSimulated {
                    path: format!("{path} --{flag}"),
                });
            }
            Command::Build(Build {
                iidfile: v.get("iidfile").map(str::to_string),
                labels: v
                    .all("label")
                    .iter()
                    .map(|l| match l.split_once('=') {
                        Some((k, val)) => (k.to_string(), val.to_string()),
                        None => (l.clone(), String::new()),
                    })
                    .collect(),
                tags,
                file: v.get("file").map(str::to_string),
                context: first,
                no_cache: v.on("no-cache"),
                pull: v.on("pull"),
                quiet: v.on("quiet"),
                progress: v.get("progress").map(str::to_string),
                build_args: v.all("build-arg").to_vec(),
                target: v.get("target").map(str::to_string),
                platform: v.get("platform").map(str::to_string),
                legacy: !path.starts_with("buildx")
                    && env
                        .iter()
                        .any(|(k, val)| k == "DOCKER_BUILDKIT" && (val == "0" || val == "false")),
                push: v.on("push"),
                load: v.on("load"),
                builder: v.get("builder").map(str::to_string),
                squash: v.on("squash"),
            })
        }
        "buildx create" => Command::Buildx(Buildx::Create {
            name: v.get("name").filter(|n| !n.is_empty()).map(str::to_string),
            driver: v
                .get("driver")
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            use_it: v.on("use"),
            bootstrap: v.on("bootstrap"),
            platforms: v.all("platform").to_vec(),
        }),
        "manifest create" => Command::Manifest(Manifest::Create {
            list: ImageArg::new(first),
            members: args.into_iter().skip(1).map(ImageArg::new).collect(),
            amend: v.on("amend"),
            insecure: v.on("insecure"),
        }),
        "manifest inspect" if v.on("verbose") => Command::NotSimulated {
            path: "manifest inspect --verbose".into(),
        },
        "manifest inspect" => {
            let name = ImageArg::new(args.pop().unwrap_or_default());
            Command::Manifest(Manifest::Inspect {
                list: args.pop().map(ImageArg::new),
                name,
                insecure: v.on("insecure"),
            })
        }
        "manifest push" => Command::Manifest(Manifest::Push {
            list: ImageArg::new(first),
            purge: v.on("purge"),
        }),
        "manifest rm" => Command::Manifest(Manifest::Rm {
            lists: args.into_iter().map(ImageArg::new).collect(),
        }),
        "buildx use" => Command::Buildx(Buildx::Use { name: args.pop() }),
        "buildx ls" => Command::Buildx(Buildx::Ls),
        "buildx rm" => Command::Buildx(Buildx::Rm { names: args }),
        "buildx inspect" => Command::Buildx(Buildx::Inspect {
            name: args.pop(),
            bootstrap: v.on("bootstrap"),
        }),
        "buildx imagetools inspect" => Command::Buildx(Buildx::ImagetoolsInspect {
            reference: ImageArg::new(first),
        }),
        "images" if v.on("tree") => {
            // docker/cli `image/list.go`: the tree view has none of the table's output options yet.
            for (flag, shown) in [
                ("quiet", "--quiet"),
                ("no-trunc", "--no-trunc"),
                ("digests", "--show-digest"),
                ("format", "--format"),
            ] {
                let set = if flag == "format" {
                    v.get(flag).is_some_and(|f| !f.is_empty())
                } else {
                    v.on(flag)
                };
                if set {
                    return Err(UsageError::TreeUnsupported { flag: shown });
                }
            }
            Command::ImagesTree {
                all: v.on("all"),
                filter: v.all("filter").to_vec(),
                reference: args.pop(),
            }
        }
        "images" => Command::Images {
            all: v.on("all"),
            quiet: v.on("quiet"),
            digests: v.on("digests"),
            no_trunc: v.on("no-trunc"),
            filter: v.all("filter").to_vec(),
            reference: args.pop(),
            format: v.get("format").map(str::to_string),
        },
        "ps" => Command::Ps {
            all: v.on("all"),
            quiet: v.on("quiet"),
            last: int(v, "last"),
            latest: v.on("latest"),
            no_trunc: v.on("no-trunc"),
            size: v.on("size"),
            filter: v.all("filter").to_vec(),
            format: v.get("format").map(str::to_string),
        },
        "run" | "create" => {
            let pull = match v.get("pull").unwrap_or("missing") {
                "always" => PullPolicy::Always,
                "missing" => PullPolicy::Missing,
                "never" => PullPolicy::Never,
                other => {
                    return Err(UsageError::Run {
                        path: path.to_string(),
                        problem: RunProblem::InvalidPull {
                            value: other.to_string(),
                        },
                    });
                }
            };
            if v.on("detach") && v.has("attach") {
                return Err(UsageError::Conflict {
                    a: "attach",
                    b: "detach",
                });
            }
            let restart = v.get("restart").filter(|r| *r != "no").map(str::to_string);
            if v.on("rm") && restart.is_some() {
                return Err(UsageError::Run {
                    path: path.to_string(),
                    problem: RunProblem::RestartWithRm,
                });
            }
            Command::Run(Run {
                create_only: canonical == "create",
                image: ImageArg::new(first),
                command: args.split_off(1.min(args.len())),
                detach: v.on("detach"),
                rm: v.on("rm"),
                name: v.get("name").map(str::to_string),
                interactive: v.on("interactive"),
                tty: v.on("tty"),
                publish: v.all("publish").to_vec(),
                env: v.all("env").to_vec(),
                pull,
                entrypoint: v.get("entrypoint").map(str::to_string),
                workdir: v.get("workdir").map(str::to_string),
                quiet: v.on("quiet"),
                restart,
                labels: v.all("label").to_vec(),
                user: v.get("user").filter(|u| !u.is_empty()).map(str::to_string),
                hostname: v
                    .get("hostname")
                    .filter(|h| !h.is_empty())
                    .map(str::to_string),
                platform: v.get("platform").map(str::to_string),
                volumes: v.all("volume").to_vec(),
                network: v.get("network").or(v.get("net")).map(str::to_string),
                more: Box::new(RunMore {
                    mounts: v.all("mount").to_vec(),
                    label_files: v.all("label-file").to_vec(),
                }),
            })
        }
        "start" => Command::Start {
            attach: v.on("attach"),
            containers: args,
        },
        "stop" | "restart" => {
            if v.has("time") && v.has("timeout") {
                return Err(UsageError::Conflict {
                    a: "timeout",
                    b: "time",
                });
            }
            let timeout = int(v, "timeout").or_else(|| int(v, "time"));
            if canonical == "stop" {
                Command::Stop {
                    timeout,
                    signal: v
                        .get("signal")
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                    containers: args,
                }
            } else {
                Command::Restart {
                    timeout,
                    containers: args,
                }
            }
        }
        "kill" => Command::Kill {
            signal: v
                .get("signal")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            containers: args,
        },
        "pause" => Command::Pause { containers: args },
        "unpause" => Command::Unpause { containers: args },
        "rm" => Command::Rm {
            force: v.on("force"),
            link: v.on("link"),
            volumes: v.on("volumes"),
            containers: args,
        },
        "rmi" => Command::Rmi {
            force: v.on("force"),
            images: args.into_iter().map(ImageArg::new).collect(),
        },
        "tag" => Command::Tag {
            source: ImageArg::new(first),
            target: ImageArg::new(args.get(1).cloned().unwrap_or_default()),
        },
        "logs" => Command::Logs {
            container: first,
            tail: v
                .get("tail")
                .and_then(|t| t.parse::<i64>().ok())
                .filter(|n| *n >= 0)
                .map(|n| n as usize),
            timestamps: v.on("timestamps"),
            details: v.on("details"),
            since: v.get("since").filter(|s| !s.is_empty()).map(str::to_string),
            until: v.get("until").filter(|s| !s.is_empty()).map(str::to_string),
        },
        "inspect" | "image inspect" | "container inspect" => Command::Inspect {
            kind: match (canonical, v.get("type")) {
                ("image inspect", _) | ("inspect", Some("image")) => InspectKind::Image,
                ("container inspect", _) | ("inspect", Some("container")) => InspectKind::Container,
                _ => InspectKind::Any,
            },
            of_type: v
                .get("type")
                .filter(|t| !t.is_empty() && canonical == "inspect")
                .map(str::to_string),
            names: args,
            format: v.get("format").map(InspectFormat::parse),
            size: v.on("size"),
        },
        "history" => Command::History {
            image: ImageArg::new(first),
            quiet: v.on("quiet"),
            no_trunc: v.on("no-trunc"),
            format: v.get("format").map(str::to_string),
            human: v.get("human").is_none_or(|h| h == "true"),
        },
        "image prune" => Command::ImagePrune {
            all: v.on("all"),
            force: v.on("force"),
            filter: v.all("filter").to_vec(),
        },
        "container prune" => Command::ContainerPrune {
            force: v.on("force"),
            filter: v.all("filter").to_vec(),
        },
        "pull" | "push" => {
            let all_tags = v.on("all-tags");
            let quiet = v.on("quiet");
            if canonical == "pull" {
                Command::Pull {
                    reference: ImageArg::new(first),
                    all_tags,
                    quiet,
                    platform: v.get("platform").map(str::to_string),
                }
            } else {
                Command::Push {
                    reference: ImageArg::new(first),
                    all_tags,
                    quiet,
                }
            }
        }
        "login" => Command::Login {
            server: args.pop(),
            username: v.get("username").map(str::to_string),
            password: v.get("password").map(str::to_string),
            password_stdin: v.on("password-stdin"),
        },
        "logout" => Command::Logout { server: args.pop() },
        "exec" => Command::Exec {
            container: first,
            command: args.split_off(1.min(args.len())),
            env: v.all("env").to_vec(),
            interactive: v.on("interactive"),
            tty: v.on("tty"),
            detach: v.on("detach"),
            user: v.get("user").map(str::to_string),
            workdir: v.get("workdir").map(str::to_string),
        },
        "save" => Command::Save {
            images: args.into_iter().map(ImageArg::new).collect(),
            output: v.get("output").map(str::to_string),
        },
        "load" => Command::Load {
            input: v.get("input").map(str::to_string),
            quiet: v.on("quiet"),
        },
        "rename" => Command::Rename {
            old: first,
            new: args.get(1).cloned().unwrap_or_default(),
        },
        "wait" => Command::Wait { containers: args },
        "commit" => Command::Commit {
            container: first,
            reference: args.get(1).cloned().map(ImageArg::new),
            message: v.get("message").map(str::to_string),
            author: v.get("author").map(str::to_string),
            changes: v.all("change").to_vec(),
        },
        "top" => Command::Top {
            container: first,
            ps_args: args.get(1..).unwrap_or_default().to_vec(),
        },
        "port" => Command::Port {
            container: first,
            port: args.get(1).cloned(),
        },
        "cp" => Command::Cp {
            source: first,
            dest: args.get(1).cloned().unwrap_or_default(),
        },
        "diff" => Command::Diff { container: first },
        "stats" => Command::Stats {
            all: v.on("all"),
            no_stream: v.on("no-stream"),
            no_trunc: v.on("no-trunc"),
            format: v.get("format").map(str::to_string),
            containers: args,
        },
        "info" => Command::Info {
            format: v.get("format").map(str::to_string),
        },
        "system df" => Command::SystemDf {
            verbose: v.on("verbose"),
            format: v.get("format").map(str::to_string),
        },
        "system prune" => Command::SystemPrune {
            all: v.on("all"),
            force: v.on("force"),
            volumes: v.on("volumes"),
        },
        "search" => Command::Search {
            term: first,
            limit: int(v, "limit"),
            filter: v.all("filter").to_vec(),
            format: v.get("format").map(str::to_string),
            no_trunc: v.on("no-trunc"),
        },
        "network ls" => Command::NetworkLs {
            quiet: v.on("quiet"),
            no_trunc: v.on("no-trunc"),
            filter: v.all("filter").to_vec(),
            format: v.get("format").map(str::to_string),
        },
        "network create" => Command::NetworkCreate {
            name: first,
            driver: v.get("driver").map(str::to_string),
        },
        "network rm" => Command::NetworkRm {
            force: v.on("force"),
            networks: args,
        },
        "network connect" | "network disconnect" => {
            let mut it = args.into_iter();
            let network = it.next().unwrap_or_default();
            let container = it.next().unwrap_or_default();
            if canonical == "network connect" {
                Command::NetworkConnect {
                    network,
                    container,
                    // pflag's `strings`: each value may hold several, comma-separated.
                    aliases: v
                        .all("alias")
                        .iter()
                        .flat_map(|a| a.split(','))
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect(),
                }
            } else {
                Command::NetworkDisconnect {
                    network,
                    container,
                    force: v.on("force"),
                }
            }
        }
        "network inspect" => Command::NetworkInspect {
            names: args,
            format: v.get("format").map(str::to_string),
        },
        "network prune" => Command::NetworkPrune {
            force: v.on("force"),
        },
        "volume prune" => Command::VolumePrune {
            all: v.on("all"),
            force: v.on("force"),
        },
        "volume ls" => Command::VolumeLs {
            quiet: v.on("quiet"),
            filter: v.all("filter").to_vec(),
            format: v.get("format").map(str::to_string),
        },
        "volume create" => Command::VolumeCreate { name: args.pop() },
        "volume rm" => Command::VolumeRm {
            force: v.on("force"),
            volumes: args,
        },
        "volume inspect" => Command::VolumeInspect {
            names: args,
            format: v.get("format").map(str::to_string),
        },
        _ => Command::NotSimulated {
            path: path.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Invocation, UsageError> {
        parse(&shell_words::split(line).unwrap(), &[])
    }

    fn err(line: &str) -> (String, i32) {
        let e = p(line).unwrap_err();
        (crate::render::usage::text(&e), e.exit_code())
    }

    #[test]
    fn tag_commit_and_top_stop_reading_flags_at_their_first_argument() {
        let inv = p("docker tag busybox -x").unwrap();
        let Command::Tag { target, .. } = inv.command else {
            panic!()
        };
        assert_eq!(target.raw, "-x");
        assert!(matches!(
            p("docker top web -ef").unwrap().command,
            Command::Top { .. }
        ));
        assert_eq!(err("docker commit web snap -m msg").1, 1);
        assert!(p("docker commit -m msg web snap").is_ok());
    }

    #[test]
    fn help_names_a_command_as_its_help_flag_does() {
        for (topic, flag) in [
            ("docker help pull", "docker pull --help"),
            ("docker help image ls", "docker image ls --help"),
            ("docker help image", "docker image --help"),
            ("docker help", "docker --help"),
        ] {
            assert_eq!(
                p(topic).unwrap().command,
                p(flag).unwrap().command,
                "{topic}"
            );
        }
        assert_ne!(
            p("docker help pull").unwrap().command,
            p("docker --help").unwrap().command
        );
    }

    #[test]
    fn run_stops_flag_parsing_at_the_image() {
        let inv = p("docker run --rm -d --name web alpine ls -l").unwrap();
        let Command::Run(r) = inv.command else {
            panic!()
        };
        assert!(r.rm && r.detach);
        assert_eq!(r.image.raw, "alpine");
        assert_eq!(r.command, vec!["ls", "-l"]);
    }

    #[test]
    fn aliases_map_to_one_command() {
        assert!(matches!(
            p("docker image ls").unwrap().command,
            Command::Images { .. }
        ));
        assert!(matches!(
            p("docker container ls -a").unwrap().command,
            Command::Ps { all: true, .. }
        ));
        assert!(matches!(
            p("docker image rm x").unwrap().command,
            Command::Rmi { .. }
        ));
        assert!(matches!(
            p("docker container prune -f").unwrap().command,
            Command::ContainerPrune { force: true, .. }
        ));
    }

    #[test]
    fn usage_errors_match_the_transcripts() {
        assert_eq!(
            err("docker rmi"),
            (
                "docker: 'docker rmi' requires at least 1 argument\n\nUsage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n\nSee 'docker rmi --help' for more information\n".into(),
                1
            )
        );
        assert_eq!(
            err("docker images a b").0,
            "docker: 'docker images' requires at most 1 argument\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker images --help' for more information\n"
        );
        assert_eq!(
            err("docker ps extra").0,
            "docker: 'docker ps' accepts no arguments\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"
        );
        assert_eq!(
            err("docker tag a"),
            (
                "docker: 'docker tag' requires 2 arguments\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nRun 'docker tag --help' for more information\n".into(),
                1
            )
        );
        assert_eq!(
            err("docker commit").0,
            "docker: 'docker commit' requires at least 1 and at most 2 arguments\n\nUsage:  docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n\nRun 'docker commit --help' for more information\n"
        );
        assert_eq!(
            err("docker container rm").0,
            "docker: 'docker container rm' requires at least 1 argument\n\nUsage:  docker container rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker container rm --help' for more information\n"
        );
    }

    #[test]
    fn unknown_things() {
        assert_eq!(
            err("docker run --foo myimage"),
            ("unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n".into(), 125)
        );
        assert_eq!(
            err("docker nosuchcommand"),
            ("docker: unknown command: docker nosuchcommand\n\nRun 'docker --help' for more information\n".into(), 1)
        );
        assert_eq!(
            err("docker image nosub").0,
            "docker: unknown command: docker image nosub\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n"
        );
        assert_eq!(
            err("docker --nope ps"),
            ("unknown flag: --nope\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n".into(), 125)
        );
    }

    #[test]
    fn run_value_errors() {
        assert_eq!(
            err("docker run --pull sometimes alpine"),
            ("docker: invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\"\n\nRun 'docker run --help' for more information\n".into(), 125)
        );
        assert_eq!(
            err("docker run --rm --restart always alpine").0,
            "docker: conflicting options: cannot specify both --restart and --rm\n\nRun 'docker run --help' for more information\n"
        );
    }

    #[test]
    fn build_tag_must_be_a_reference() {
        assert_eq!(
            err("docker build -t MyApp .").0,
            "invalid argument \"MyApp\" for \"-t, --tag\" flag: invalid reference format: repository name (library/MyApp) must be lowercase\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n\nRun 'docker build --help' for more information\n"
        );
    }

    #[test]
    fn help_is_the_real_text() {
        let Command::Help(text) = p("docker stop --help").unwrap().command else {
            panic!()
        };
        assert!(text.starts_with("Usage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nStop one or more running containers\n"));
    }
}
