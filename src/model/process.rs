//! What a container's main process does. dockdrill runs no programs: it knows how the common ones behave
//! (servers keep running, `echo` prints and exits, `sleep N` ends after N seconds, a missing executable fails
//! to start) and that is all a lesson on images and containers needs.

use crate::model::container::{LogLine, OnTerm, Stream};
use crate::model::image::Image;

/// The course a process takes once started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Prints `output` and exits with `code` at once.
    Exits { code: i32, output: Vec<LogLine> },
    /// Keeps running, having printed `output`; ends by itself after `ends_after` seconds (with `end_code`) if
    /// that is set; `on_term` says what SIGTERM does.
    Runs {
        output: Vec<LogLine>,
        ends_after: Option<u64>,
        end_code: i32,
        on_term: OnTerm,
    },
    /// The executable does not exist in the image: the start fails (exit 127).
    Missing { executable: String },
}

fn out(text: impl Into<String>) -> LogLine {
    LogLine {
        stream: Stream::Stdout,
        text: text.into(),
    }
}

fn err(text: impl Into<String>) -> LogLine {
    LogLine {
        stream: Stream::Stderr,
        text: text.into(),
    }
}

fn basename(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// Does the image provide `program` (by name, or by path for an absolute one)?
fn provides(image: &Image, program: &str) -> bool {
    image.programs.contains(program)
        || image.programs.contains(basename(program))
        || image.files.contains_key(program.trim_start_matches("./"))
        || image.files.contains_key(program)
}

/// What a process can see of the container it runs in: its host name (the short container ID) and the
/// container's main process (PID 1, which `ps` lists).
#[derive(Clone, Copy, Debug, Default)]
pub struct Inside<'a> {
    pub hostname: &'a str,
    pub pid1: &'a [String],
    /// `-u` of the exec or run, if given (else the image's `USER`).
    pub user: Option<&'a str>,
    /// `run -t`: the daemon adds `TERM=xterm` after `HOSTNAME` (an exec does not, even with `-t`: oracle).
    pub term: bool,
    /// Folders the container has that no file of its image shows (mount points, empty mounted folders).
    pub folders: &'a [String],
}

/// Decides what `argv` does in a container of `image`; `interactive` is `-i` (stdin kept open).
pub fn behaviour(
    argv: &[String],
    image: &Image,
    env: &[String],
    workdir: &str,
    interactive: bool,
) -> Behaviour {
    behaviour_in(argv, image, env, workdir, interactive, Inside::default())
}

/// [`behaviour`] for a process that knows its container (`hostname`, `ps`).
pub fn behaviour_in(
    argv: &[String],
    image: &Image,
    env: &[String],
    workdir: &str,
    interactive: bool,
    inside: Inside<'_>,
) -> Behaviour {
    let Some(program) = argv.first() else {
        return Behaviour::Missing {
            executable: String::new(),
        };
    };
    if !provides(image, program) {
        return Behaviour::Missing {
            executable: program.clone(),
        };
    }
    let args = &argv[1..];
    let ctx = Ctx {
        image,
        env,
        workdir,
        inside,
    };
    match basename(program) {
        "docker-entrypoint.sh" | "entrypoint.sh" => entrypoint(args, &ctx, interactive),
        "sh" | "ash" | "bash" => shell(args, &ctx, interactive),
        _ => simple(basename(program), args, &ctx, interactive),
    }
}

struct Ctx<'a> {
    image: &'a Image,
    env: &'a [String],
    workdir: &'a str,
    inside: Inside<'a>,
}

/// The base system an image's programs say it has: its root folders and whether `ps` is busybox's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    Busybox,
    Alpine,
    Debian,
}

pub(crate) fn base(image: &Image) -> Base {
    if image.programs.contains("bash") {
        Base::Debian
    } else if image.programs.contains("apk") {
        Base::Alpine
    } else {
        Base::Busybox
    }
}

/// `ls [DIR]`: the base's root folders (for `/`) and what builds copied there, one name a line.
fn ls(args: &[String], ctx: &Ctx) -> Behaviour {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let dir = match operands.first() {
        Some(d) if d.starts_with('/') => d.trim_end_matches('/').to_string(),
        Some(d) => format!("{}/{}", ctx.workdir.trim_end_matches('/'), d),
        None if ctx.workdir.is_empty() => String::new(),
        None => ctx.workdir.trim_end_matches('/').to_string(),
    };
    let prefix = dir.trim_start_matches('/');
    let mut names: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    if prefix.is_empty() {
        let roots: &[&str] = match base(ctx.image) {
            Base::Busybox => &[
                "bin", "dev", "etc", "home", "lib", "lib64", "proc", "root", "sys", "tmp", "usr",
                "var",
            ],
            Base::Alpine => &[
                "bin", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run",
                "sbin", "srv", "sys", "tmp", "usr", "var",
            ],
            Base::Debian => &[
                "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc",
                "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
            ],
        };
        names.extend(roots.iter().map(|r| r.to_string()));
    }
    for path in ctx.image.files.keys() {
        let path = path.trim_start_matches('/');
        let rest = if prefix.is_empty() {
            Some(path)
        } else {
            path.strip_prefix(prefix).and_then(|r| r.strip_prefix('/'))
        };
        if let Some(first) = rest
            .and_then(|r| r.split('/').next())
            .filter(|f| !f.is_empty())
        {
            names.insert(first.to_string());
        }
    }
    // Mount points and empty mounted folders are folders no file shows.
    for f in ctx.inside.folders {
        let rest = f
            .trim_start_matches('/')
            .strip_prefix(prefix)
            .and_then(|r| {
                if prefix.is_empty() {
                    Some(r)
                } else {
                    r.strip_prefix('/')
                }
            });
        if let Some(first) = rest
            .and_then(|r| r.split('/').next())
            .filter(|f| !f.is_empty())
        {
            names.insert(first.to_string());
        }
    }
    let known_dir = prefix.is_empty()
        || !names.is_empty()
        || ctx
            .inside
            .folders
            .iter()
            .any(|f| f.trim_start_matches('/') == prefix)
        || [
            "tmp", "etc", "usr", "var", "root", "home", "bin", "proc", "dev", "sys",
        ]
        .contains(&prefix);
    if !known_dir {
        if ctx.image.files.contains_key(prefix) || ctx.image.files.contains_key(dir.as_str()) {
            return exits(
                0,
                vec![out(operands.first().map_or(dir.clone(), |s| s.to_string()))],
            );
        }
        let shown = operands.first().map_or(dir.as_str(), |s| s.as_str());
        return exits(
            if base(ctx.image) == Base::Debian {
                2
            } else {
                1
            },
            vec![err(if base(ctx.image) == Base::Debian {
                format!("ls: cannot access '{shown}': No such file or directory")
            } else {
                format!("ls: {shown}: No such file or directory")
            })],
        );
    }
    exits(0, names.into_iter().map(out).collect())
}

/// `ps`: busybox's listing of PID 1 and `ps` itself (Debian's procps shows them its own way).
fn ps(ctx: &Ctx) -> Behaviour {
    let pid1 = ctx.inside.pid1.join(" ");
    match base(ctx.image) {
        Base::Debian => exits(
            0,
            vec![
                out("    PID TTY          TIME CMD"),
                out(format!(
                    "      1 ?        00:00:00 {}",
                    ctx.inside.pid1.first().map_or("", |p| basename(p))
                )),
                out("      7 ?        00:00:00 ps"),
            ],
        ),
        _ => exits(
            0,
            vec![
                out("PID   USER     TIME  COMMAND"),
                out(format!("    1 root      0:00 {pid1}")),
                out("    7 root      0:00 ps"),
            ],
        ),
    }
}

/// The official images' entrypoint scripts run their arguments (after a little setup of their own).
fn entrypoint(args: &[String], ctx: &Ctx, interactive: bool) -> Behaviour {
    if ctx.image.programs.contains("nginx") {
        let mut lines = vec![
            out(
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            ),
            out("/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/"),
            out("/docker-entrypoint.sh: Configuration complete; ready for start up"),
        ];
        let rest = behaviour_in(
            args,
            ctx.image,
            ctx.env,
            ctx.workdir,
            interactive,
            ctx.inside,
        );
        return prepend(&mut lines, rest);
    }
    if ctx.image.programs.contains("registry") {
        return runs(
            vec![
                err(
                    "time=\"2026-03-02T09:00:00Z\" level=info msg=\"Starting upload purge in 20m0s\"",
                ),
                err("time=\"2026-03-02T09:00:00Z\" level=info msg=\"listening on [::]:5000\""),
            ],
            OnTerm::Exit(2),
        );
    }
    match args.first() {
        // docker-entrypoint.sh treats a first argument starting with '-' as options for the default program.
        Some(first) if !first.starts_with('-') => behaviour_in(
            args,
            ctx.image,
            ctx.env,
            ctx.workdir,
            interactive,
            ctx.inside,
        ),
        _ => {
            let mut argv = vec!["node".to_string()];
            argv.extend(args.iter().cloned());
            behaviour_in(
                &argv,
                ctx.image,
                ctx.env,
                ctx.workdir,
                interactive,
                ctx.inside,
            )
        }
    }
}

fn prepend(lines: &mut Vec<LogLine>, rest: Behaviour) -> Behaviour {
    match rest {
        Behaviour::Exits { code, output } => {
            lines.extend(output);
            Behaviour::Exits {
                code,
                output: std::mem::take(lines),
            }
        }
        Behaviour::Runs {
            output,
            ends_after,
            end_code,
            on_term,
        } => {
            lines.extend(output);
            Behaviour::Runs {
                output: std::mem::take(lines),
                ends_after,
                end_code,
                on_term,
            }
        }
        missing => missing,
    }
}

fn runs(output: Vec<LogLine>, on_term: OnTerm) -> Behaviour {
    Behaviour::Runs {
        output,
        ends_after: None,
        end_code: 0,
        on_term,
    }
}

fn exits(code: i32, output: Vec<LogLine>) -> Behaviour {
    Behaviour::Exits { code, output }
}

/// A shell: `sh -c SCRIPT` runs the script; a bare shell reads stdin, which is closed without `-i`.
fn shell(args: &[String], ctx: &Ctx, interactive: bool) -> Behaviour {
    match args.first().map(String::as_str) {
        Some("-c") => match args.get(1) {
            Some(script) => run_script(script, ctx),
            None => exits(2, vec![err("sh: -c requires an argument")]),
        },
        Some(file) if !file.starts_with('-') => match file_text(ctx, file) {
            Some(text) => run_script(&text, ctx),
            None => exits(
                127,
                vec![err(format!(
                    "sh: can't open '{file}': No such file or directory"
                ))],
            ),
        },
        _ if interactive => runs(vec![], OnTerm::Ignore),
        _ => exits(0, vec![]),
    }
}

/// Runs a small shell script: `;`/`&&`/`||` lists of simple commands, `exit N`, output redirections dropped.
fn run_script(script: &str, ctx: &Ctx) -> Behaviour {
    let expanded = expand_vars(script, &process_env(ctx));
    let script = expanded.as_str();
    let mut output = Vec::new();
    let mut slept: u64 = 0;
    let mut last = 0;
    let mut skip_next = false;
    for (command, op) in split_list(script) {
        if skip_next {
            skip_next = false;
            if op == Op::Seq {
                continue;
            }
        }
        let all_words = crate::command::shell_words::split(&command).unwrap_or_default();
        // `>&2` sends the command's output to stderr; `> file` sends it nowhere we show.
        let to_stderr = all_words.iter().any(|w| w == ">&2" || w == "1>&2");
        let to_file = all_words
            .iter()
            .any(|w| (w.starts_with('>') || w.starts_with("1>")) && !w.ends_with("&2"));
        let words: Vec<String> = all_words
            .into_iter()
            .take_while(|w| {
                !w.starts_with('>') && !w.starts_with("1>") && !w.starts_with("2>") && w != "|"
            })
            .collect();
        let redirect = |lines: Vec<LogLine>| -> Vec<LogLine> {
            if to_file {
                return Vec::new();
            }
            lines
                .into_iter()
                .map(|l| {
                    if to_stderr {
                        LogLine {
                            stream: Stream::Stderr,
                            text: l.text,
                        }
                    } else {
                        l
                    }
                })
                .collect()
        };
        let Some(first) = words.first() else { continue };
        if first == "exit" {
            let code = words
                .get(1)
                .and_then(|c| c.parse::<i32>().ok())
                .unwrap_or(last);
            return finish(output, slept, code & 0xff);
        }
        if first == "sleep" {
            match words.get(1).and_then(|n| parse_sleep(n)) {
                Some(None) => return runs(output, OnTerm::Ignore),
                Some(Some(n)) => {
                    slept = slept.saturating_add(n);
                    last = 0;
                }
                None => {
                    output.push(err(format!(
                        "sleep: invalid number '{}'",
                        words.get(1).map_or("", |s| s)
                    )));
                    last = 1;
                }
            }
        } else {
            match behaviour_in(&words, ctx.image, ctx.env, ctx.workdir, false, ctx.inside) {
                Behaviour::Exits { code, output: o } => {
                    output.extend(redirect(o));
                    last = code;
                }
                Behaviour::Runs {
                    output: o, on_term, ..
                } => {
                    output.extend(redirect(o));
                    return if slept > 0 {
                        Behaviour::Runs {
                            output,
                            ends_after: None,
                            end_code: 0,
                            on_term,
                        }
                    } else {
                        runs(output, on_term)
                    };
                }
                Behaviour::Missing { executable } => {
                    output.push(err(format!("sh: {executable}: not found")));
                    last = 127;
                }
            }
        }
        skip_next = match op {
            Op::And => last != 0,
            Op::Or => last == 0,
            Op::Seq => false,
        };
    }
    finish(output, slept, last)
}

fn finish(output: Vec<LogLine>, slept: u64, code: i32) -> Behaviour {
    if slept > 0 {
        Behaviour::Runs {
            output,
            ends_after: Some(slept),
            end_code: code,
            on_term: OnTerm::Ignore,
        }
    } else {
        exits(code, output)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Seq,
    And,
    Or,
}

/// Expands `$NAME` and `${NAME}` from the environment (unset ones become empty), except inside single
/// quotes or after a backslash, as a shell does before running a command.
fn expand_vars(script: &str, env: &[String]) -> String {
    if !script.contains('$') {
        return script.to_string();
    }
    let lookup = |name: &str| {
        env.iter()
            .rev()
            .find_map(|e| {
                e.split_once('=')
                    .filter(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            })
            .unwrap_or_default()
    };
    let chars: Vec<char> = script.chars().collect();
    let mut out = String::with_capacity(script.len());
    let (mut single, mut double) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if !single => {
                out.push(c);
                if let Some(n) = chars.get(i + 1) {
                    out.push(*n);
                }
                i += 2;
                continue;
            }
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if !single => {
                let rest = &chars[i + 1..];
                let (name, used): (String, usize) = if rest.first() == Some(&'{') {
                    match rest.iter().position(|c| *c == '}') {
                        Some(end) => (rest[1..end].iter().collect(), end + 1),
                        None => (String::new(), 0),
                    }
                } else {
                    let n = rest
                        .iter()
                        .enumerate()
                        .take_while(|(k, c)| {
                            c.is_ascii_alphabetic() || **c == '_' || (*k > 0 && c.is_ascii_digit())
                        })
                        .count();
                    (rest[..n].iter().collect(), n)
                };
                if used > 0 {
                    out.push_str(&lookup(&name));
                    i += used + 1;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Splits a script at `;`, `&&`, `||` and newlines outside quotes; each command carries the operator after it.
fn split_list(script: &str) -> Vec<(String, Op)> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, ';' | '\n') => parts.push((std::mem::take(&mut cur), Op::Seq)),
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                parts.push((std::mem::take(&mut cur), Op::And));
            }
            (None, '|') if chars.peek() == Some(&'|') => {
                chars.next();
                parts.push((std::mem::take(&mut cur), Op::Or));
            }
            (None, c) => cur.push(c),
        }
    }
    parts.push((cur, Op::Seq));
    parts
}

/// `Some(None)` for `infinity`, `Some(Some(n))` for seconds (with s/m/h/d suffixes), `None` if invalid.
fn parse_sleep(s: &str) -> Option<Option<u64>> {
    if s == "infinity" || s == "inf" {
        return Some(None);
    }
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1),
        'm' => (&s[..s.len() - 1], 60),
        'h' => (&s[..s.len() - 1], 3600),
        'd' => (&s[..s.len() - 1], 86_400),
        _ => (s, 1),
    };
    let n: f64 = num.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    Some(Some(((n * mult as f64).ceil() as u64).min(u64::MAX / 4)))
}

/// The text of a file the process reads, borrowed from the image when it is UTF-8 (a script is read on
/// every start of its container).
fn file_text<'a>(ctx: &Ctx<'a>, path: &str) -> Option<std::borrow::Cow<'a, str>> {
    let full = if path.starts_with('/') {
        path.to_string()
    } else {
        let wd = if ctx.workdir.is_empty() {
            "/"
        } else {
            ctx.workdir
        };
        format!("{}/{}", wd.trim_end_matches('/'), path)
    };
    if full == "/etc/hostname" && !ctx.inside.hostname.is_empty() {
        return Some(format!("{}\n", ctx.inside.hostname).into());
    }
    let bytes = ctx.image.files.get(full.as_str())?;
    Some(String::from_utf8_lossy(bytes))
}

/// String literals passed to `console.log(...)` or `print(...)`: what a small server script announces.
fn printed_literals(source: &str, call: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(pos) = rest.find(call) {
        rest = &rest[pos + call.len()..];
        let trimmed = rest.trim_start();
        let Some(q) = trimmed
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        let body = &trimmed[1..];
        if let Some(end) = body.find(q) {
            found.push(body[..end].to_string());
        }
    }
    found
}

/// A container process's environment (moby `CreateDaemonEnvironment`, then runc): `PATH`, `HOSTNAME` (and
/// the container's own values over them, in place), the rest of the container's variables, then `HOME`
/// (the user's home) if nothing set it. Outside a container (a build step) it is the variables as given.
fn process_env(ctx: &Ctx) -> Vec<String> {
    if ctx.inside.hostname.is_empty() {
        return ctx.env.to_vec();
    }
    let key = |e: &str| e.split_once('=').map_or(e, |(k, _)| k).to_string();
    let mut env = vec![
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        format!("HOSTNAME={}", ctx.inside.hostname),
    ];
    if ctx.inside.term {
        env.push("TERM=xterm".to_string());
    }
    for e in ctx.env {
        match env.iter().position(|have| key(have) == key(e)) {
            Some(i) => env[i] = e.clone(),
            None => env.push(e.clone()),
        }
    }
    if !env.iter().any(|e| key(e) == "HOME") {
        let home = user_of(ctx).map_or("/", |u| crate::model::users::home(ctx.image, &u));
        env.push(format!("HOME={home}"));
    }
    env
}

/// The user the process runs as: `-u`, else the image's `USER`, else root (`None`: not resolvable, which
/// the start already refused).
fn user_of(ctx: &Ctx) -> Option<crate::model::users::User> {
    let spec = ctx.inside.user.unwrap_or(&ctx.image.config.user);
    crate::model::users::resolve(ctx.image, spec).ok()
}

/// Single programs.
fn simple(program: &str, args: &[String], ctx: &Ctx, interactive: bool) -> Behaviour {
    match program {
        "echo" => {
            // `-n` drops the newline; output is kept as lines either way.
            let words = match args.first().map(String::as_str) {
                Some("-n") => &args[1..],
                _ => args,
            };
            exits(0, vec![out(words.join(" "))])
        }
        "true" => exits(0, vec![]),
        "false" => exits(1, vec![]),
        "sleep" => match args.first().and_then(|n| parse_sleep(n)) {
            Some(None) => runs(vec![], OnTerm::Ignore),
            Some(Some(n)) => Behaviour::Runs {
                output: vec![],
                ends_after: Some(n),
                end_code: 0,
                on_term: OnTerm::Ignore,
            },
            None => exits(
                1,
                vec![err(format!(
                    "sleep: invalid number '{}'",
                    args.first().map_or("", |s| s)
                ))],
            ),
        },
        "cat" => {
            let mut output = Vec::new();
            let mut code = 0;
            for f in args {
                match file_text(ctx, f) {
                    Some(text) => output.extend(text.lines().map(out)),
                    None => {
                        output.push(err(format!(
                            "cat: can't open '{f}': No such file or directory"
                        )));
                        code = 1;
                    }
                }
            }
            if args.is_empty() && interactive {
                return runs(output, OnTerm::Ignore);
            }
            exits(code, output)
        }
        "env" => exits(0, process_env(ctx).iter().map(out).collect()),
        "printenv" if args.is_empty() => exits(0, process_env(ctx).iter().map(out).collect()),
        "printenv" => {
            let env = process_env(ctx);
            let values: Vec<LogLine> = args
                .iter()
                .filter_map(|name| {
                    env.iter()
                        .find_map(|e| e.strip_prefix(name.as_str())?.strip_prefix('='))
                        .map(out)
                })
                .collect();
            exits(if values.len() == args.len() { 0 } else { 1 }, values)
        }
        "pwd" => exits(
            0,
            vec![out(if ctx.workdir.is_empty() {
                "/"
            } else {
                ctx.workdir
            })],
        ),
        "hostname" => exits(0, vec![out(ctx.inside.hostname)]),
        "whoami" => match user_of(ctx) {
            Some(crate::model::users::User { name: Some(n), .. }) => exits(0, vec![out(n)]),
            Some(u) if base(ctx.image) == Base::Debian => exits(
                1,
                vec![err(format!(
                    "whoami: cannot find name for user ID {}",
                    u.uid
                ))],
            ),
            Some(u) => exits(1, vec![err(format!("whoami: unknown uid {}", u.uid))]),
            // An image `USER` whose account the simulation does not know: its name as given.
            None => {
                let spec = ctx.inside.user.unwrap_or(&ctx.image.config.user);
                exits(0, vec![out(spec.split(':').next().unwrap_or(spec))])
            }
        },
        "id" => match (user_of(ctx), args.first().map(String::as_str)) {
            (Some(u), None) => exits(0, vec![out(crate::model::users::id_line(ctx.image, &u))]),
            (Some(u), Some("-u")) => exits(0, vec![out(u.uid.to_string())]),
            (Some(u), Some("-g")) => exits(0, vec![out(u.gid.to_string())]),
            (Some(u), Some("-un")) if u.name.is_some() => {
                exits(0, vec![out(u.name.unwrap_or_default())])
            }
            _ => exits(0, vec![]),
        },
        "ls" => ls(args, ctx),
        "ps" => ps(ctx),
        "uname" => match args.first().map(String::as_str) {
            None | Some("-s") => exits(0, vec![out("Linux")]),
            Some("-m") => exits(0, vec![out(ctx.image.platform.kernel_arch())]),
            _ => exits(0, vec![]),
        },
        "date" | "touch" | "mkdir" | "rm" | "cp" | "mv" => exits(0, vec![]),
        "top" => runs(vec![], OnTerm::Exit(0)),
        "tail" if args.iter().any(|a| a == "-f") => runs(vec![], OnTerm::Ignore),
        "node" => script_runtime(args, ctx, interactive, "console.log(", "node"),
        "python" | "python3" => script_runtime(args, ctx, interactive, "print(", "python"),
        "npm" => match args.first().map(String::as_str) {
            Some("start") => match file_text(ctx, "server.js") {
                Some(src) => server_like(&src, "console.log("),
                None => exits(1, vec![err("npm error Missing script: \"start\"")]),
            },
            _ => exits(0, vec![]),
        },
        "nginx" => runs(vec![], OnTerm::Exit(0)),
        "redis-server" => runs(
            vec![
                out("1:C 02 Mar 2026 09:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
                out("1:M 02 Mar 2026 09:00:00.000 * Ready to accept connections tcp"),
            ],
            OnTerm::Exit(0),
        ),
        "registry" => runs(vec![], OnTerm::Exit(2)),
        _ => exits(0, vec![]),
    }
}

/// `node FILE` / `python FILE`: prints what the script prints; a script that listens keeps running.
fn script_runtime(
    args: &[String],
    ctx: &Ctx,
    interactive: bool,
    call: &str,
    name: &str,
) -> Behaviour {
    match args.first() {
        None if interactive => runs(vec![], OnTerm::Ignore),
        None => exits(0, vec![]),
        Some(flag) if flag == "-e" || flag == "-c" => {
            let code = args.get(1).cloned().unwrap_or_default();
            exits(
                0,
                printed_literals(&code, call).into_iter().map(out).collect(),
            )
        }
        Some(file) => match file_text(ctx, file) {
            Some(src) => server_like(&src, call),
            None => {
                let wd = if ctx.workdir.is_empty() {
                    "/"
                } else {
                    ctx.workdir
                };
                let msg = if name == "node" {
                    format!(
                        "Error: Cannot find module '{}/{}'",
                        wd.trim_end_matches('/'),
                        file
                    )
                } else {
                    format!(
                        "python: can't open file '{}/{}': [Errno 2] No such file or directory",
                        wd.trim_end_matches('/'),
                        file
                    )
                };
                exits(1, vec![err(msg)])
            }
        },
    }
}

fn server_like(src: &str, call: &str) -> Behaviour {
    let output = printed_literals(src, call).into_iter().map(out).collect();
    if src.contains("listen(") || src.contains("serve_forever") || src.contains("app.run(") {
        runs(output, OnTerm::Ignore)
    } else {
        exits(0, output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image::{Files, ImageConfig};
    use std::sync::Arc;

    fn image(programs: &[&str], files: &[(&str, &str)]) -> Image {
        let files: Files = files
            .iter()
            .map(|(p, c)| {
                (
                    p.to_string(),
                    crate::model::image::FileBytes::from(c.as_bytes()),
                )
            })
            .collect();
        Image::new(
            ImageConfig::default(),
            vec![],
            vec![],
            0,
            Arc::new(files),
            Arc::new(programs.iter().map(|s| s.to_string()).collect()),
        )
    }

    fn argv(s: &str) -> Vec<String> {
        crate::command::shell_words::split(s).unwrap()
    }

    /// A container process's environment: PATH, HOSTNAME, the container's variables (over those, in place),
    /// then HOME from the user's passwd entry (moby `CreateDaemonEnvironment`; the oracle printed PATH,
    /// HOSTNAME, A, B, HOME in that order). `-u` reaches `whoami` and `id`, also through `sh -c`.
    #[test]
    fn environment_and_user_inside_a_container() {
        let img = image(&["sh", "env", "whoami", "id", "printenv"], &[]);
        let env = vec![
            "PATH=/usr/bin:/bin".to_string(),
            "A=1".to_string(),
            "B=2".to_string(),
        ];
        let at = |user: Option<&'static str>| Inside {
            hostname: "6fb9b9f8fb13",
            pid1: &[],
            user,
            term: false,
            folders: &[],
        };
        let run = |cmd: &str, user| behaviour_in(&argv(cmd), &img, &env, "", false, at(user));
        assert_eq!(
            run("env", None),
            exits(
                0,
                vec![
                    out("PATH=/usr/bin:/bin"),
                    out("HOSTNAME=6fb9b9f8fb13"),
                    out("A=1"),
                    out("B=2"),
                    out("HOME=/root"),
                ]
            )
        );
        // `run -t` adds TERM=xterm right after HOSTNAME (oracle); a value the container sets wins.
        let tty = Inside {
            term: true,
            ..at(None)
        };
        let with_term = behaviour_in(&argv("env"), &img, &env, "", false, tty);
        assert_eq!(
            with_term,
            exits(
                0,
                vec![
                    out("PATH=/usr/bin:/bin"),
                    out("HOSTNAME=6fb9b9f8fb13"),
                    out("TERM=xterm"),
                    out("A=1"),
                    out("B=2"),
                    out("HOME=/root"),
                ]
            )
        );
        assert_eq!(run("printenv B", None), exits(0, vec![out("2")]));
        assert_eq!(run("printenv NOPE", None), exits(1, vec![]));
        assert_eq!(run("whoami", Some("nobody")), exits(0, vec![out("nobody")]));
        assert_eq!(
            run("sh -c whoami", Some("1000")),
            exits(1, vec![err("whoami: unknown uid 1000")])
        );
        assert_eq!(
            run("id", Some("nobody")),
            exits(
                0,
                vec![out(
                    "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)"
                )]
            )
        );
    }

    /// What a process sees of its container: the short ID as host name, PID 1 in `ps`, the base's
    /// folders in `ls` (busybox's list, as `docker exec CONTAINER ls` prints it there).
    #[test]
    fn processes_see_their_container() {
        let img = image(
            &["hostname", "ls", "ps", "whoami", "cat", "sleep"],
            &[("/app/server.js", "x")],
        );
        let pid1 = argv("sleep 300");
        let inside = Inside {
            hostname: "6fb9b9f8fb13",
            pid1: &pid1,
            user: None,
            term: false,
            folders: &[],
        };
        let run = |cmd: &str, wd: &str| behaviour_in(&argv(cmd), &img, &[], wd, false, inside);
        assert_eq!(run("hostname", ""), exits(0, vec![out("6fb9b9f8fb13")]));
        assert_eq!(
            run("cat /etc/hostname", ""),
            exits(0, vec![out("6fb9b9f8fb13")])
        );
        assert_eq!(run("whoami", ""), exits(0, vec![out("root")]));
        let Behaviour::Exits { code: 0, output } = run("ls", "") else {
            panic!("ls failed");
        };
        let names: Vec<&str> = output.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            names,
            [
                "app", "bin", "dev", "etc", "home", "lib", "lib64", "proc", "root", "sys", "tmp",
                "usr", "var"
            ]
        );
        assert_eq!(run("ls", "/app"), exits(0, vec![out("server.js")]));
        assert_eq!(
            run("ls /nope", ""),
            exits(1, vec![err("ls: /nope: No such file or directory")])
        );
        assert_eq!(
            run("ps", ""),
            exits(
                0,
                vec![
                    out("PID   USER     TIME  COMMAND"),
                    out("    1 root      0:00 sleep 300"),
                    out("    7 root      0:00 ps"),
                ]
            )
        );
    }

    #[test]
    fn echo_prints_and_exits() {
        let img = image(&["echo"], &[]);
        assert_eq!(
            behaviour(&argv("echo hi there"), &img, &[], "", false),
            exits(0, vec![out("hi there")])
        );
    }

    #[test]
    fn missing_executable() {
        let img = image(&["sh"], &[]);
        assert_eq!(
            behaviour(&argv("foo"), &img, &[], "", false),
            Behaviour::Missing {
                executable: "foo".into()
            }
        );
    }

    #[test]
    fn shell_exit_code_and_sleep() {
        let img = image(&["sh", "echo", "sleep"], &[]);
        assert_eq!(
            behaviour(&argv("sh -c 'exit 3'"), &img, &[], "", false),
            exits(3, vec![])
        );
        match behaviour(&argv("sh -c 'sleep 5; echo done'"), &img, &[], "", false) {
            Behaviour::Runs {
                ends_after, output, ..
            } => {
                assert_eq!(ends_after, Some(5));
                assert_eq!(output, vec![out("done")]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            behaviour(&argv("sh"), &img, &[], "", false),
            exits(0, vec![])
        );
        assert!(matches!(
            behaviour(&argv("sh"), &img, &[], "", true),
            Behaviour::Runs { .. }
        ));
    }

    #[test]
    fn variables_expand_outside_single_quotes() {
        let env = vec!["FOO=bar".to_string()];
        assert_eq!(
            expand_vars("echo $FOO ${FOO}x '$FOO' \\$FOO $NOPE.", &env),
            "echo bar barx '$FOO' \\$FOO ."
        );
        let img = image(&["sh", "echo"], &[]);
        assert_eq!(
            behaviour(&argv("sh -c 'echo $FOO'"), &img, &env, "", false),
            exits(0, vec![out("bar")])
        );
    }

    #[test]
    fn and_or_lists() {
        let img = image(&["sh", "echo", "false", "true"], &[]);
        assert_eq!(
            behaviour(&argv("sh -c 'false && echo no'"), &img, &[], "", false),
            exits(1, vec![])
        );
        assert_eq!(
            behaviour(&argv("sh -c 'false || echo yes'"), &img, &[], "", false),
            exits(0, vec![out("yes")])
        );
    }

    #[test]
    fn node_server_keeps_running_and_prints_its_banner() {
        let img = image(
            &["node"],
            &[(
                "/app/server.js",
                "http.createServer(h).listen(3000);\nconsole.log('Server v1 up');\n",
            )],
        );
        match behaviour(&argv("node server.js"), &img, &[], "/app", false) {
            Behaviour::Runs {
                output, on_term, ..
            } => {
                assert_eq!(output, vec![out("Server v1 up")]);
                assert_eq!(on_term, OnTerm::Ignore);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sleep_parsing() {
        assert_eq!(parse_sleep("10"), Some(Some(10)));
        assert_eq!(parse_sleep("2m"), Some(Some(120)));
        assert_eq!(parse_sleep("infinity"), Some(None));
        assert_eq!(parse_sleep("x"), None);
        assert_eq!(parse_sleep("-1"), None);
        assert!(parse_sleep("999999999999999999999999").is_some());
    }
}
