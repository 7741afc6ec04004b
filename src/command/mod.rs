//! The docker command line → a typed [`Command`], with Docker's own usage errors. dockdrill's own command
//! line uses clap; this one is hand-written because its error texts are part of what a learner sees.

pub mod flags;
pub mod shell_words;

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
    pub image: String,
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
}

/// `docker build`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    pub tags: Vec<String>,
    pub file: Option<String>,
    pub context: String,
    pub no_cache: bool,
    pub pull: bool,
    pub quiet: bool,
    pub progress: Option<String>,
    pub build_args: Vec<String>,
    /// `DOCKER_BUILDKIT=0` before the command: the legacy builder.
    pub legacy: bool,
}

/// A typed docker command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Help(&'static str),
    /// `docker version [-f FORMAT]`.
    Version { format: Option<String> },
    Build(Build),
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
        containers: Vec<String>,
    },
    Restart {
        timeout: Option<i64>,
        containers: Vec<String>,
    },
    Kill {
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
        containers: Vec<String>,
    },
    Rmi {
        force: bool,
        images: Vec<String>,
    },
    Tag {
        source: String,
        target: String,
    },
    Logs {
        container: String,
    },
    Inspect {
        kind: InspectKind,
        names: Vec<String>,
        format: Option<String>,
    },
    History {
        image: String,
        quiet: bool,
        no_trunc: bool,
    },
    ImagePrune {
        all: bool,
        force: bool,
    },
    ContainerPrune {
        force: bool,
    },
    Pull {
        reference: String,
        all_tags: bool,
        quiet: bool,
    },
    Push {
        reference: String,
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
    pub notices: Vec<String>,
}

/// A command line Docker's CLI rejects before doing anything. `message` is the complete stderr text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError {
    pub message: String,
    pub exit_code: i32,
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

/// Top-level commands and where `docker X` points (`images` → `image ls`).
const TOP: &[&str] = &[
    "build", "images", "ps", "run", "create", "start", "stop", "restart", "kill", "pause",
    "unpause", "rm", "rmi", "tag", "logs", "inspect", "history", "pull", "push", "login", "logout",
    "exec", "rename", "wait", "commit", "save", "port", "top", "version",
];

const IMAGE_SUBS: &[&str] = &[
    "build", "history", "inspect", "ls", "list", "prune", "pull", "push", "rm", "remove", "tag",
    "save",
];
const CONTAINER_SUBS: &[&str] = &[
    "commit", "create", "exec", "inspect", "kill", "logs", "ls", "list", "ps", "pause", "port",
    "prune", "rename", "restart", "rm", "remove", "run", "start", "stop", "top", "unpause", "wait",
];

/// Normalises an alias to the help table's key (`image remove` → `image rm`).
fn help_key(path: &str) -> String {
    match path {
        "image remove" => "image rm".into(),
        "container remove" => "container rm".into(),
        "container list" | "container ps" => "container ls".into(),
        "image list" => "image ls".into(),
        p => p.to_string(),
    }
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
                let msg = if let Some(long) = name.strip_prefix("--") {
                    format!("unknown flag: --{long}")
                } else {
                    let c = name.chars().nth(1).unwrap_or('-');
                    format!("unknown shorthand flag: '{c}' in {name}")
                };
                return Err(flag_error("", &FlagError(msg)));
            }
            _ => break,
        }
    }
    let words = &words[i.min(words.len())..];
    let Some(first) = words.first() else {
        return Ok(help_invocation(""));
    };
    let (path, rest) = match first.as_str() {
        "image" | "container" => {
            let subs = if first == "image" {
                IMAGE_SUBS
            } else {
                CONTAINER_SUBS
            };
            match words.get(1) {
                None => return Ok(help_invocation(first)),
                Some(h) if h == "--help" || h == "-h" => return Ok(help_invocation(first)),
                Some(sub) if subs.contains(&sub.as_str()) => {
                    (format!("{first} {sub}"), &words[2..])
                }
                Some(sub) => {
                    return Err(UsageError {
                        message: format!(
                            "docker: unknown command: docker {first} {sub}\n\nUsage:  docker {first}\n\nRun 'docker {first} --help' for more information\n"
                        ),
                        exit_code: 1,
                    });
                }
            }
        }
        w if TOP.contains(&w) => (w.to_string(), &words[1..]),
        w => {
            return Err(UsageError {
                message: format!(
                    "docker: unknown command: docker {w}\n\nRun 'docker --help' for more information\n"
                ),
                exit_code: 1,
            });
        }
    };
    let key = help_key(&path);
    let canonical = canonical(&key);
    let interspersed = !matches!(canonical, "run" | "create" | "exec");
    let legacy_build = canonical == "build"
        && env
            .iter()
            .any(|(k, v)| k == "DOCKER_BUILDKIT" && (v == "0" || v == "false"));
    // The legacy builder's deprecation banner comes first, even before a usage error.
    let with_banner = |mut e: UsageError| {
        if legacy_build {
            e.message = format!("{LEGACY_BANNER}{}", e.message);
        }
        e
    };
    let parsed =
        flags::parse(&key, rest, interspersed).map_err(|e| with_banner(flag_error(&path, &e)))?;
    if legacy_build {
        // The legacy builder's own command has none of buildx's flags.
        if let Some(name) = BUILDX_ONLY.iter().find(|f| parsed.values.has(f)) {
            return Err(with_banner(flag_error(
                &path,
                &FlagError(format!("unknown flag: --{name}")),
            )));
        }
    }
    if parsed.help {
        return Ok(help_invocation(&key));
    }
    let v = &parsed.values;
    let args = parsed.args;
    check_arg_count(&path, canonical, args.len()).map_err(with_banner)?;
    let command = build_command(canonical, &path, v, args, env).map_err(with_banner)?;
    let mut notices = Vec::new();
    if matches!(canonical, "stop" | "restart") && v.has("time") {
        notices.push("Flag --time has been deprecated, use --timeout instead".to_string());
    }
    Ok(Invocation {
        path,
        command,
        notices,
    })
}

/// The top-level meaning of a command path (`image rm` → `rmi`, `container ls` → `ps`).
fn canonical(key: &str) -> &str {
    match key {
        "image ls" => "images",
        "image rm" => "rmi",
        "container ls" => "ps",
        k => k
            .strip_prefix("image ")
            .or_else(|| k.strip_prefix("container "))
            .map_or(k, |s| match s {
                "prune" if k.starts_with("image") => "image prune",
                "prune" => "container prune",
                "inspect" if k.starts_with("image") => "image inspect",
                "inspect" => "container inspect",
                s => s,
            }),
    }
}

fn help_invocation(key: &str) -> Invocation {
    Invocation {
        path: key.to_string(),
        command: Command::Help(crate::help::help(key).unwrap_or("")),
        notices: vec![],
    }
}

fn usage_line(path: &str) -> String {
    crate::help::usage_line(&help_key(path))
        .map(str::to_string)
        .unwrap_or_else(|| format!("docker {path}"))
}

fn flag_error(path: &str, e: &FlagError) -> UsageError {
    let (usage, run) = if path.is_empty() {
        (
            "docker [OPTIONS] COMMAND [ARG...]".to_string(),
            "docker".to_string(),
        )
    } else {
        (usage_line(path), format!("docker {path}"))
    };
    UsageError {
        message: format!(
            "{}\n\nUsage:  {usage}\n\nRun '{run} --help' for more information\n",
            e.0
        ),
        exit_code: 125,
    }
}

/// An error raised while converting flag values (`invalid pull option`), rendered like cobra's flag errors.
pub fn value_error(path: &str, msg: String) -> UsageError {
    flag_error(path, &FlagError(msg))
}

/// Cobra's positional-argument validators, with their exact wording (including the real `SRun` typo).
fn check_arg_count(path: &str, canonical: &str, n: usize) -> Result<(), UsageError> {
    enum Rule {
        Exact(usize),
        Min(usize),
        Max(usize),
        None,
        Range(usize, usize),
    }
    let rule = match canonical {
        "build" | "pull" | "push" | "logs" | "history" => Rule::Exact(1),
        "tag" | "rename" => Rule::Exact(2),
        "images" | "login" | "logout" => Rule::Max(1),
        "ps" | "image prune" | "container prune" | "version" => Rule::None,
        "exec" => Rule::Min(2),
        "commit" | "port" => Rule::Range(1, 2),
        _ => Rule::Min(1),
    };
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    let (text, verb) = match rule {
        Rule::Exact(k) if n != k => (format!("requires {k} {}", plural(k)), "Run"),
        Rule::Min(k) if n < k => (format!("requires at least {k} {}", plural(k)), "See"),
        Rule::Max(k) if n > k => (format!("requires at most {k} {}", plural(k)), "SRun"),
        Rule::None if n > 0 => ("accepts no arguments".to_string(), "Run"),
        Rule::Range(a, b) if n < a || n > b => (
            format!("requires at least {a} and at most {b} {}", plural(b)),
            "Run",
        ),
        _ => return Ok(()),
    };
    Err(UsageError {
        message: format!(
            "docker: 'docker {path}' {text}\n\nUsage:  {}\n\n{verb} 'docker {path} --help' for more information\n",
            usage_line(path)
        ),
        exit_code: 1,
    })
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
            let tags = v.all("tag").to_vec();
            for t in &tags {
                if let Err(e) = crate::reference::ImageRef::parse(t) {
                    return Err(value_error(
                        path,
                        format!("invalid argument \"{t}\" for \"-t, --tag\" flag: {e}"),
                    ));
                }
            }
            Command::Build(Build {
                tags,
                file: v.get("file").map(str::to_string),
                context: first,
                no_cache: v.on("no-cache"),
                pull: v.on("pull"),
                quiet: v.on("quiet"),
                progress: v.get("progress").map(str::to_string),
                build_args: v.all("build-arg").to_vec(),
                legacy: env
                    .iter()
                    .any(|(k, val)| k == "DOCKER_BUILDKIT" && (val == "0" || val == "false")),
            })
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
                    return Err(run_error(
                        path,
                        format!(
                            "invalid pull option: '{other}': must be one of \"always\", \"missing\" or \"never\""
                        ),
                    ));
                }
            };
            if v.on("detach") && v.has("attach") {
                return Err(UsageError {
                    message: "conflicting options: cannot specify both --attach and --detach\n"
                        .into(),
                    exit_code: 1,
                });
            }
            let restart = v.get("restart").filter(|r| *r != "no").map(str::to_string);
            if v.on("rm") && restart.is_some() {
                return Err(run_error(
                    path,
                    "conflicting options: cannot specify both --restart and --rm".into(),
                ));
            }
            Command::Run(Run {
                create_only: canonical == "create",
                image: first,
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
            })
        }
        "start" => Command::Start {
            attach: v.on("attach"),
            containers: args,
        },
        "stop" | "restart" => {
            if v.has("time") && v.has("timeout") {
                return Err(UsageError {
                    message: "conflicting options: cannot specify both --timeout and --time\n"
                        .into(),
                    exit_code: 1,
                });
            }
            let timeout = int(v, "timeout").or_else(|| int(v, "time"));
            if canonical == "stop" {
                Command::Stop {
                    timeout,
                    containers: args,
                }
            } else {
                Command::Restart {
                    timeout,
                    containers: args,
                }
            }
        }
        "kill" => Command::Kill { containers: args },
        "pause" => Command::Pause { containers: args },
        "unpause" => Command::Unpause { containers: args },
        "rm" => Command::Rm {
            force: v.on("force"),
            containers: args,
        },
        "rmi" => Command::Rmi {
            force: v.on("force"),
            images: args,
        },
        "tag" => Command::Tag {
            source: first,
            target: args.get(1).cloned().unwrap_or_default(),
        },
        "logs" => Command::Logs { container: first },
        "inspect" | "image inspect" | "container inspect" => Command::Inspect {
            kind: match canonical {
                "image inspect" => InspectKind::Image,
                "container inspect" => InspectKind::Container,
                _ => InspectKind::Any,
            },
            names: args,
            format: v.get("format").map(str::to_string),
        },
        "history" => Command::History {
            image: first,
            quiet: v.on("quiet"),
            no_trunc: v.on("no-trunc"),
        },
        "image prune" => Command::ImagePrune {
            all: v.on("all"),
            force: v.on("force"),
        },
        "container prune" => Command::ContainerPrune {
            force: v.on("force"),
        },
        "pull" | "push" => {
            let all_tags = v.on("all-tags");
            let quiet = v.on("quiet");
            if canonical == "pull" {
                Command::Pull {
                    reference: first,
                    all_tags,
                    quiet,
                }
            } else {
                Command::Push {
                    reference: first,
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
        },
        _ => Command::NotSimulated {
            path: path.to_string(),
        },
    })
}

/// `docker run`'s error framing (v28): `docker: <msg>` + blank line + `Run 'docker run --help' …`, exit 125.
pub fn run_error(path: &str, msg: String) -> UsageError {
    UsageError {
        message: format!("docker: {msg}\n\nRun 'docker {path} --help' for more information\n"),
        exit_code: 125,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Invocation, UsageError> {
        parse(&shell_words::split(line).unwrap(), &[])
    }

    fn err(line: &str) -> (String, i32) {
        let e = p(line).unwrap_err();
        (e.message, e.exit_code)
    }

    #[test]
    fn run_stops_flag_parsing_at_the_image() {
        let inv = p("docker run --rm -d --name web alpine ls -l").unwrap();
        let Command::Run(r) = inv.command else {
            panic!()
        };
        assert!(r.rm && r.detach);
        assert_eq!(r.image, "alpine");
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
            Command::ContainerPrune { force: true }
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
