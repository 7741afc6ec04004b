//! Script lines: `[HOST$ ][VAR=value ...]docker ...`, plus the few shell commands a lesson needs to change
//! its build context between builds (`cat`, `sed -i`, `echo ... > FILE`, `cp`, `rm`, `ls`, `sleep N`).
//! These run on the machine's virtual files, never on the real disk.

use crate::command::shell_words;
use crate::model::world::{DEFAULT_MACHINE, World};
use std::sync::Arc;

/// One script line, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub host: String,
    /// The command as written (after the `HOST$ ` prefix).
    pub command: String,
}

/// Splits a `HOST$ ` prefix off a line (`laptop$ docker ps`).
pub fn split_host(line: &str) -> Line {
    if let Some((host, rest)) = line.split_once("$ ") {
        let valid = host
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if valid {
            return Line {
                host: host.to_string(),
                command: rest.trim().to_string(),
            };
        }
    }
    Line {
        host: DEFAULT_MACHINE.to_string(),
        command: line.trim().to_string(),
    }
}

/// Where a line's `> FILE`, `>> FILE` and `< FILE` point (files of the machine's working folder).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Redirect {
    /// The file standard output goes to, and whether it is appended to (`>>`).
    pub stdout: Option<(String, bool)>,
    pub stdin: Option<String>,
}

/// Takes `> FILE`, `>> FILE` and `< FILE` out of a docker command's words, as a shell would.
pub fn redirections(words: &[String]) -> (Vec<String>, Redirect) {
    let mut kept = Vec::with_capacity(words.len());
    let mut r = Redirect::default();
    let mut i = 0;
    while i < words.len() {
        match (words[i].as_str(), words.get(i + 1)) {
            (">" | ">>", Some(f)) => r.stdout = Some((f.clone(), words[i] == ">>")),
            ("<", Some(f)) => r.stdin = Some(f.clone()),
            _ => {
                kept.push(words[i].clone());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    (kept, r)
}

/// `scp FILE HOST:[PATH]`: copies a file of this machine's working folder to another machine's (created on
/// first use), which is how a `docker save` tarball travels without a registry.
fn scp(world: &mut World, host: &str, args: &[String]) -> ShellResult {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let usage = "usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]\n           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]\n           [-P port] [-S program] [-X sftp_option] source ... target\n";
    let [src, dst] = operands[..] else {
        return (String::new(), usage.to_string(), 1);
    };
    // Without `HOST:` scp copies within this machine, as cp does.
    let (to, path) = dst.split_once(':').unwrap_or((host, dst.as_str()));
    let to = if to.is_empty() { host } else { to };
    let src_path = src.trim_start_matches("./");
    let Some(bytes) = world.machine(host).files.get(src_path).cloned() else {
        return (
            String::new(),
            format!("scp: stat local \"{src}\": No such file or directory\n"),
            1,
        );
    };
    let name = src_path.rsplit('/').next().unwrap_or(src_path);
    let path = path.trim_start_matches("./");
    let target = if path.is_empty() || path == "." || path == "~" || path == "~/" {
        name.to_string()
    } else if let Some(dir) = path.strip_suffix('/') {
        format!("{}/{name}", dir.trim_start_matches("~/"))
    } else {
        path.trim_start_matches("~/").to_string()
    };
    world.machine(to).files.insert(target, bytes);
    (String::new(), String::new(), 0)
}

/// Output of a shell helper: (stdout, stderr, exit code).
pub type ShellResult = (String, String, i32);

/// Runs one of the shell helpers on `host`'s files; `None` if `words[0]` is not one of them.
pub fn shell(world: &mut World, host: &str, words: &[String]) -> Option<ShellResult> {
    let name = words.first()?.as_str();
    let args = &words[1..];
    let ok = |s: String| (s, String::new(), 0);
    Some(match name {
        "cat" => {
            let files = &world.machine(host).files;
            let mut out = String::new();
            let mut err = String::new();
            for f in args {
                match files.get(f.trim_start_matches("./")) {
                    Some(b) => out.push_str(&String::from_utf8_lossy(b)),
                    None => err.push_str(&format!("cat: {f}: No such file or directory\n")),
                }
            }
            let code = i32::from(!err.is_empty());
            (out, err, code)
        }
        "ls" => {
            let files = &world.machine(host).files;
            let dir = args
                .iter()
                .find(|a| !a.starts_with('-'))
                .map(|d| d.trim_end_matches('/').trim_start_matches("./"))
                .unwrap_or("");
            let prefix = if dir.is_empty() || dir == "." {
                String::new()
            } else {
                format!("{dir}/")
            };
            let mut names: Vec<String> = files
                .keys()
                .filter_map(|k| k.strip_prefix(prefix.as_str()))
                .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
                .collect();
            names.dedup();
            ok(names.iter().map(|n| format!("{n}\n")).collect())
        }
        "sleep" => match args.first().and_then(|n| n.parse::<u64>().ok()) {
            Some(n) => {
                world.advance(n.min(10 * 365 * 86_400));
                ok(String::new())
            }
            None => (
                String::new(),
                format!(
                    "sleep: invalid time interval '{}'\n",
                    args.first().map_or("", |s| s)
                ),
                1,
            ),
        },
        "sed" => sed(world, host, args),
        "scp" => scp(world, host, args),
        "echo" => {
            let redirect = args.iter().position(|a| a == ">" || a == ">>");
            match redirect {
                Some(i) => {
                    let Some(file) = args.get(i + 1) else {
                        return Some((
                            String::new(),
                            "sh: syntax error: unexpected newline\n".into(),
                            2,
                        ));
                    };
                    let mut text = args[..i].join(" ");
                    text.push('\n');
                    let files = &mut world.machine(host).files;
                    let path = file.trim_start_matches("./").to_string();
                    if args[i] == ">>" {
                        let old = files
                            .get(&path)
                            .map(|b| String::from_utf8_lossy(b).into_owned())
                            .unwrap_or_default();
                        text = old + &text;
                    }
                    files.insert(path, Arc::from(text.as_bytes()));
                    ok(String::new())
                }
                None => ok(format!("{}\n", args.join(" "))),
            }
        }
        "cp" => match args {
            [src, dst] => {
                let files = &mut world.machine(host).files;
                match files.get(src.trim_start_matches("./")).cloned() {
                    Some(b) => {
                        files.insert(dst.trim_start_matches("./").to_string(), b);
                        ok(String::new())
                    }
                    None => (
                        String::new(),
                        format!("cp: cannot stat '{src}': No such file or directory\n"),
                        1,
                    ),
                }
            }
            _ => (String::new(), "cp: missing file operand\n".into(), 1),
        },
        "rm" => {
            let files = &mut world.machine(host).files;
            let mut err = String::new();
            for f in args.iter().filter(|a| !a.starts_with('-')) {
                if files.remove(f.trim_start_matches("./")).is_none()
                    && !args.iter().any(|a| a == "-f")
                {
                    err.push_str(&format!(
                        "rm: cannot remove '{f}': No such file or directory\n"
                    ));
                }
            }
            let code = i32::from(!err.is_empty());
            (String::new(), err, code)
        }
        _ => return None,
    })
}

/// `sed -i 's/OLD/NEW/[g]' FILE`: the usual way to change a line of source between two builds.
fn sed(world: &mut World, host: &str, args: &[String]) -> ShellResult {
    let (Some(flag), Some(expr), Some(file)) = (args.first(), args.get(1), args.get(2)) else {
        return (
            String::new(),
            "sed: usage: sed -i 's/OLD/NEW/[g]' FILE\n".into(),
            1,
        );
    };
    if flag != "-i" {
        return (
            String::new(),
            "sed: dockdrill supports only: sed -i 's/OLD/NEW/[g]' FILE\n".into(),
            1,
        );
    }
    let Some(body) = expr.strip_prefix('s') else {
        return (
            String::new(),
            format!(
                "sed: -e expression #1, char 1: unknown command: `{}'\n",
                expr.chars().next().unwrap_or(' ')
            ),
            1,
        );
    };
    let Some(sep) = body.chars().next() else {
        return (
            String::new(),
            "sed: -e expression #1, char 1: unterminated `s' command\n".into(),
            1,
        );
    };
    let parts: Vec<&str> = body[sep.len_utf8()..].split(sep).collect();
    let (Some(old), Some(new)) = (parts.first(), parts.get(1)) else {
        return (
            String::new(),
            "sed: -e expression #1: unterminated `s' command\n".into(),
            1,
        );
    };
    let global = parts.get(2).is_some_and(|f| f.contains('g'));
    let files = &mut world.machine(host).files;
    let path = file.trim_start_matches("./").to_string();
    let Some(bytes) = files.get(&path) else {
        return (
            String::new(),
            format!("sed: can't read {file}: No such file or directory\n"),
            2,
        );
    };
    let text = String::from_utf8_lossy(bytes);
    let replaced: String = text
        .split_inclusive('\n')
        .map(|line| {
            if global {
                line.replace(old, new)
            } else {
                line.replacen(old, new, 1)
            }
        })
        .collect();
    files.insert(path, Arc::from(replaced.as_bytes()));
    (String::new(), String::new(), 0)
}

/// Splits `VAR=value` words off the front of a command (`DOCKER_BUILDKIT=0 docker build .`).
pub fn env_prefix(words: &[String]) -> (Vec<(String, String)>, &[String]) {
    let mut env = Vec::new();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        match w.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                env.push((k.to_string(), v.to_string()));
                i += 1;
            }
            _ => break,
        }
    }
    (env, &words[i..])
}

/// True when the command reads its standard input from the script's next line: `--password-stdin`, and
/// the `[y/N]` question of `docker image prune` / `docker container prune` without `-f` (answered by the next
/// line, as a terminal would be).
pub fn wants_stdin(words: &[String]) -> bool {
    words.iter().any(|w| w == "--password-stdin") || asks_confirmation(words)
}

/// `docker [image|container] prune` without `-f`/`--force`.
fn asks_confirmation(words: &[String]) -> bool {
    let (_, words) = env_prefix(words);
    let is = |i: usize, w: &str| words.get(i).is_some_and(|x| x == w);
    let prune = is(0, "docker") && (is(1, "image") || is(1, "container")) && is(2, "prune");
    let force = words
        .iter()
        .any(|w| w == "--force" || (w.starts_with('-') && !w.starts_with("--") && w.contains('f')));
    prune && !force && !words.iter().any(|w| w == "--help")
}

/// Splits a line, reporting a quoting error the way a shell would.
pub fn words(command: &str) -> Result<Vec<String>, String> {
    shell_words::split(command).map_err(|e| format!("dockdrill: cannot parse this line: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_questions_read_the_next_line() {
        let w = |l: &str| words(l).unwrap_or_default();
        assert!(wants_stdin(&w("docker image prune")));
        assert!(wants_stdin(&w("docker container prune")));
        assert!(wants_stdin(&w("docker image prune -a")));
        assert!(!wants_stdin(&w("docker image prune -af")));
        assert!(!wants_stdin(&w("docker container prune --force")));
        assert!(!wants_stdin(&w("docker images")));
    }

    #[test]
    fn host_prefix() {
        assert_eq!(split_host("laptop$ docker ps").host, "laptop");
        assert_eq!(split_host("docker ps").host, "default");
        assert_eq!(split_host("docker run alpine echo '$ x'").host, "default");
    }

    #[test]
    fn sed_changes_a_context_file() {
        let mut w = World::new();
        let args: Vec<String> = ["-i", "s/version 1/version 2/g", "server.js"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(sed(&mut w, "default", &args).2, 0);
        let text = String::from_utf8_lossy(&w.machine("default").files["server.js"]).into_owned();
        assert!(text.contains("version 2") && !text.contains("version 1"));
    }

    #[test]
    fn env_words() {
        let w: Vec<String> = ["DOCKER_BUILDKIT=0", "docker", "build", "."]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (env, rest) = env_prefix(&w);
        assert_eq!(env, vec![("DOCKER_BUILDKIT".to_string(), "0".to_string())]);
        assert_eq!(rest[0], "docker");
    }
}
