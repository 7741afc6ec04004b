//! Script lines: `[HOST$ ][VAR=value ...]docker ...`, plus the few shell commands a lesson needs to change
//! its build context between builds (`cat`, `sed -i`, `echo ... > FILE`, `cp`, `rm`, `ls`, `sleep N`).
//! These run on the machine's virtual files, never on the real disk.

use crate::command::shell_words;
use crate::event::Note;
use crate::limits::{MAX_FILE_BYTES, MAX_MACHINE_BYTES};
use crate::model::folder::Folder;
use crate::model::image::Files;
use crate::model::world::{DEFAULT_MACHINE, World};
use crate::vfs::{self, Found};

/// One script line, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub host: String,
    /// The command as written (after the `HOST$ ` prefix).
    pub command: String,
}

/// Splits a `HOST$ ` prefix off a line (`laptop$ docker ps`).
pub fn split_host(line: &str) -> Line {
    // The first `$ ` (found by its `$`: cheaper than a substring search, and most lines have none).
    let bytes = line.as_bytes();
    let prompt = (0..bytes.len())
        .find(|&i| bytes[i] == b'$' && bytes.get(i + 1) == Some(&b' '))
        .map(|i| (&line[..i], &line[i + 2..]));
    if let Some((host, rest)) = prompt {
        let valid = host
            .as_bytes()
            .first()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && host
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
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

/// What a shell helper printed and its exit code, plus what the simulator says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShellResult {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    /// `[dockdrill]` notes (never part of the program's output).
    pub notes: Vec<String>,
}

impl ShellResult {
    fn ok(stdout: String) -> ShellResult {
        ShellResult {
            stdout,
            ..ShellResult::default()
        }
    }

    fn fail(stderr: impl Into<String>, code: i32) -> ShellResult {
        ShellResult {
            stderr: stderr.into(),
            code,
            ..ShellResult::default()
        }
    }
}

/// The shell's words when a write would pass [`MAX_FILE_BYTES`] or [`MAX_MACHINE_BYTES`] (the kernel's
/// `ENOSPC`).
pub const NO_SPACE: &str = "No space left on device";

/// Files one machine's working folder may hold (more is `ENOSPC`, as when a disk runs out of inodes).
pub const MAX_MACHINE_FILES: usize = 10_000;

/// The most a `cat` prints in one command; the rest is cut with a note.
pub const MAX_CAT_OUTPUT: usize = 2 * MAX_FILE_BYTES;
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
        return ShellResult::fail(usage, 1);
    };
    // Without `HOST:` scp copies within this machine, as cp does.
    let (to, path) = dst.split_once(':').unwrap_or((host, dst.as_str()));
    let to = if to.is_empty() { host } else { to };
    let Some(src_path) = vfs::normalize(src) else {
        return ShellResult::fail(
            format!("scp: stat local \"{src}\": No such file or directory\n"),
            1,
        );
    };
    let src_path = src_path.as_str();
    let Some(bytes) = world.machine(host).files.get(src_path).cloned() else {
        return ShellResult::fail(
            format!("scp: stat local \"{src}\": No such file or directory\n"),
            1,
        );
    };
    let name = src_path.rsplit('/').next().unwrap_or(src_path);
    // `~` and a relative path both mean the other machine's working folder; nothing may leave it.
    let written = path
        .strip_prefix('~')
        .unwrap_or(path)
        .trim_start_matches('/');
    let joined = if written.is_empty() || written == "." || written.ends_with('/') {
        format!(
            "{written}{}{name}",
            if written.is_empty() || written.ends_with('/') {
                ""
            } else {
                "/"
            }
        )
    } else {
        written.to_string()
    };
    let Some(target) = vfs::normalize(&joined).filter(|t| !t.is_empty()) else {
        return ShellResult::fail(format!("scp: dest open \"{path}\": Permission denied\n"), 1);
    };
    world.machine(to).files.insert(target, bytes);
    ShellResult::default()
}

/// dockdrill's own `machine [--platform OS/ARCH]`: shows, or sets, the CPU platform of the machine the line
/// runs on (`laptop$ machine --platform linux/arm64` makes an Apple-silicon laptop). Not a real command;
/// scenarios set the same with `world.machines.NAME.platform`.
fn machine(world: &mut World, host: &str, args: &[String]) -> ShellResult {
    let value = match args {
        [] => {
            return ShellResult::ok(format!("{}\n", world.machine(host).platform.short()));
        }
        [flag, v] if flag == "--platform" => v.as_str(),
        [one] if one.starts_with("--platform=") => &one["--platform=".len()..],
        _ => return ShellResult::fail("usage: machine [--platform OS/ARCH]\n", 2),
    };
    match crate::model::platform::Platform::parse(value) {
        Ok(p) => {
            let mut r = ShellResult::default();
            r.notes
                .push(crate::render::notes::text(&Note::MachinePlatform {
                    machine: host.to_string(),
                    platform: p.clone(),
                }));
            world.machine(host).platform = p;
            r
        }
        Err(e) => ShellResult::fail(format!("machine: {e}\n"), 2),
    }
}

/// Runs one of the shell helpers on `host`'s files; `None` if `words[0]` is not one of them.
pub fn shell(world: &mut World, host: &str, words: &[String]) -> Option<ShellResult> {
    let name = words.first()?.as_str();
    let args = &words[1..];
    Some(match name {
        "cat" => cat(&world.machine(host).files, args),
        "ls" => {
            let m = &*world.machine(host);
            let files = &m.files;
            let dir = args
                .iter()
                .find(|a| !a.starts_with('-'))
                .map_or(Some(String::new()), |d| vfs::normalize(d))
                .unwrap_or_default();
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            let folders = &m.host_folders;
            let mut names: Vec<String> = files
                .keys()
                .map(|k| &**k)
                .chain(folders.iter().map(String::as_str))
                .filter_map(|k| k.strip_prefix(prefix.as_str()))
                .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
                .collect();
            // Empty folders (made by a bind mount) sit in their own set: merge them into name order.
            if !folders.is_empty() {
                names.sort();
            }
            names.dedup();
            ShellResult::ok(names.iter().map(|n| format!("{n}\n")).collect())
        }
        "sleep" => match args.first().and_then(|n| n.parse::<u64>().ok()) {
            Some(n) => {
                world.advance(n.min(10 * 365 * 86_400));
                ShellResult::default()
            }
            None => ShellResult::fail(
                format!(
                    "sleep: invalid time interval '{}'\n",
                    args.first().map_or("", |s| s)
                ),
                1,
            ),
        },
        "sed" => sed(world, host, args),
        "scp" => scp(world, host, args),
        "machine" => machine(world, host, args),
        // `uname -m`: the machine's CPU, as the kernel names it.
        "uname" if args.iter().any(|a| a == "-m") => {
            ShellResult::ok(format!("{}\n", world.machine(host).platform.kernel_arch()))
        }
        "echo" => {
            let redirect = args.iter().position(|a| a == ">" || a == ">>");
            match redirect {
                Some(i) => {
                    let Some(file) = args.get(i + 1) else {
                        return Some(ShellResult::fail(
                            "sh: syntax error: unexpected newline\n",
                            2,
                        ));
                    };
                    let mut text = args[..i].join(" ");
                    text.push('\n');
                    echo_to(&mut world.machine(host).files, file, &text, args[i] == ">>")
                }
                None => ShellResult::ok(format!("{}\n", args.join(" "))),
            }
        }
        "cp" => match args {
            [src, dst] => cp(&mut world.machine(host).files, src, dst),
            _ => ShellResult::fail("cp: missing file operand\n", 1),
        },
        "rm" => {
            let files = &mut world.machine(host).files;
            let mut err = String::new();
            let force = args.iter().any(|a| a == "-f");
            for f in args.iter().filter(|a| !a.starts_with('-')) {
                let key = vfs::normalize(f);
                let removed = key.as_ref().and_then(|k| files.remove(k)).is_some();
                if removed {
                    continue;
                }
                if key.as_deref().is_some_and(|k| vfs::is_folder(files, k)) {
                    err.push_str(&format!("rm: cannot remove '{f}': Is a directory\n"));
                } else if !force {
                    err.push_str(&format!(
                        "rm: cannot remove '{f}': No such file or directory\n"
                    ));
                }
            }
            let code = i32::from(!err.is_empty());
            ShellResult::fail(err, code)
        }
        _ => return None,
    })
}

/// `cat FILE…`: links followed inside the folder only; a link out of it is dangling, and said so.
fn cat(files: &Files, args: &[String]) -> ShellResult {
    let mut r = ShellResult::default();
    for f in args {
        match vfs::resolve(files, f) {
            Found::File { bytes, .. } => {
                if r.stdout.len() + bytes.len() > MAX_CAT_OUTPUT {
                    r.notes.push(crate::render::notes::text(&Note::OutputCut {
                        bytes: MAX_CAT_OUTPUT,
                    }));
                    break;
                }
                r.stdout.push_str(&String::from_utf8_lossy(&bytes));
            }
            Found::Folder { .. } => r.stderr.push_str(&format!("cat: {f}: Is a directory\n")),
            Found::Dangling { link, target } => {
                r.stderr
                    .push_str(&format!("cat: {f}: No such file or directory\n"));
                r.notes.push(dangling_note(&link, &target));
            }
            Found::Loop => r
                .stderr
                .push_str(&format!("cat: {f}: Too many levels of symbolic links\n")),
            Found::Missing => r
                .stderr
                .push_str(&format!("cat: {f}: No such file or directory\n")),
        }
    }
    r.code = i32::from(!r.stderr.is_empty());
    r
}

/// What the simulator says about a link that leads nowhere in the folder.
fn dangling_note(link: &str, target: &str) -> String {
    let base = link.rsplit_once('/').map_or("", |(d, _)| d);
    crate::render::notes::text(&Note::DanglingLink {
        link: link.to_string(),
        target: target.to_string(),
        outside: vfs::normalize_from(base, target).is_none(),
    })
}

/// Where a write to `path` lands: the path itself, or a link's target inside the folder. `Err` is the
/// reason in the writing program's words (`Permission denied` outside the folder, `Is a directory`).
fn write_target(files: &Files, path: &str) -> Result<String, &'static str> {
    write_target_found(files, path).map(|(key, _)| key)
}

/// [`write_target`], and the length of the file already there (`None` when the write creates it): what
/// `>>` needs, found by the same lookups.
fn write_target_found(files: &Files, path: &str) -> Result<(String, Option<usize>), &'static str> {
    let key = vfs::normalize(path).ok_or("Permission denied")?;
    if key.is_empty() || vfs::is_folder(files, &key) {
        return Err("Is a directory");
    }
    match vfs::resolve(files, &key) {
        Found::File { key, bytes } => Ok((key, Some(bytes.len()))),
        Found::Folder { .. } => Err("Is a directory"),
        Found::Loop => Err("Too many levels of symbolic links"),
        Found::Missing => Ok((key, None)),
        Found::Dangling { link, target } => {
            let base = link.rsplit_once('/').map_or("", |(d, _)| d);
            let key = vfs::normalize_from(base, &target).ok_or("Permission denied")?;
            Ok((key, None))
        }
    }
}

/// Stores `bytes` at `key` unless the file or the machine's folder would pass its cap (`ENOSPC`).
fn store(files: &mut Folder, key: String, bytes: Vec<u8>) -> Result<(), ()> {
    let old = files.get(key.as_str()).map(|b| b.len());
    let total = files.bytes() - old.unwrap_or(0) + bytes.len();
    let new_file = old.is_none();
    if bytes.len() > MAX_FILE_BYTES
        || total > MAX_MACHINE_BYTES
        || (new_file && files.len() >= MAX_MACHINE_FILES)
    {
        return Err(());
    }
    files.insert(key, bytes.into());
    Ok(())
}

/// `>> FILE` on a file that exists (`len` bytes long now): the bytes are added in place (the file is copied
/// only if an earlier world, an undo step, still holds it), unless the file or the folder would pass its
/// cap; then the file keeps what it had.
fn append_to(files: &mut Folder, key: &str, len: usize, bytes: &[u8]) -> ShellResult {
    if len + bytes.len() > MAX_FILE_BYTES || files.bytes() + bytes.len() > MAX_MACHINE_BYTES {
        return ShellResult::fail(format!("sh: write error: {NO_SPACE}\n"), 1);
    }
    files.append(key, bytes);
    ShellResult::default()
}

/// `echo TEXT > FILE` and `>> FILE`.
fn echo_to(files: &mut Folder, file: &str, text: &str, append: bool) -> ShellResult {
    let (key, existing) = match write_target_found(files, file) {
        Ok(found) => found,
        Err(why) => return ShellResult::fail(format!("sh: can't create {file}: {why}\n"), 2),
    };
    if let (true, Some(len)) = (append, existing) {
        return append_to(files, &key, len, text.as_bytes());
    }
    if store(files, key.clone(), text.as_bytes().to_vec()).is_err() {
        // `>` truncated the file before echo wrote; `>>` leaves what was there.
        if !append {
            let _ = store(files, key, Vec::new());
        }
        return ShellResult::fail(format!("sh: write error: {NO_SPACE}\n"), 1);
    }
    ShellResult::default()
}

/// `cp SRC DST`: the source followed through links (inside the folder), the copy a regular file.
fn cp(files: &mut Folder, src: &str, dst: &str) -> ShellResult {
    let bytes = match vfs::resolve(files, src) {
        Found::File { bytes, .. } => bytes,
        Found::Folder { .. } => {
            return ShellResult::fail(
                format!("cp: -r not specified; omitting directory '{src}'\n"),
                1,
            );
        }
        Found::Loop => {
            return ShellResult::fail(
                format!("cp: cannot stat '{src}': Too many levels of symbolic links\n"),
                1,
            );
        }
        Found::Dangling { .. } | Found::Missing => {
            return ShellResult::fail(
                format!("cp: cannot stat '{src}': No such file or directory\n"),
                1,
            );
        }
    };
    let dst_key = vfs::normalize(dst).map(|k| {
        if vfs::is_folder(files, &k) {
            let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
            if k.is_empty() {
                name.to_string()
            } else {
                format!("{k}/{name}")
            }
        } else {
            k
        }
    });
    let key = match dst_key
        .ok_or("Permission denied")
        .and_then(|k| write_target(files, &k))
    {
        Ok(k) => k,
        Err(why) => {
            return ShellResult::fail(
                format!("cp: cannot create regular file '{dst}': {why}\n"),
                1,
            );
        }
    };
    if store(files, key, bytes.to_vec()).is_err() {
        return ShellResult::fail(format!("cp: error writing '{dst}': {NO_SPACE}\n"), 1);
    }
    ShellResult::default()
}

/// `sed -i 's/OLD/NEW/[g]' FILE`: the usual way to change a line of source between two builds.
fn sed(world: &mut World, host: &str, args: &[String]) -> ShellResult {
    let (Some(flag), Some(expr), Some(file)) = (args.first(), args.get(1), args.get(2)) else {
        return ShellResult::fail("sed: usage: sed -i 's/OLD/NEW/[g]' FILE\n", 1);
    };
    if flag != "-i" {
        return ShellResult::fail(
            "sed: dockdrill supports only: sed -i 's/OLD/NEW/[g]' FILE\n",
            1,
        );
    }
    let Some(body) = expr.strip_prefix('s') else {
        return ShellResult::fail(
            format!(
                "sed: -e expression #1, char 1: unknown command: `{}'\n",
                expr.chars().next().unwrap_or(' ')
            ),
            1,
        );
    };
    let Some(sep) = body.chars().next() else {
        return ShellResult::fail(
            "sed: -e expression #1, char 1: unterminated `s' command\n",
            1,
        );
    };
    let parts: Vec<&str> = body[sep.len_utf8()..].split(sep).collect();
    let (Some(old), Some(new)) = (parts.first(), parts.get(1)) else {
        return ShellResult::fail("sed: -e expression #1: unterminated `s' command\n", 1);
    };
    let global = parts.get(2).is_some_and(|f| f.contains('g'));
    let files = &mut world.machine(host).files;
    // GNU sed -i reads through a link and replaces the link with the edited file.
    let bytes = match vfs::resolve(files, file) {
        Found::File { bytes, .. } => bytes,
        Found::Folder { .. } => {
            return ShellResult::fail(
                format!("sed: couldn't edit {file}: not a regular file\n"),
                4,
            );
        }
        _ => {
            return ShellResult::fail(
                format!("sed: can't read {file}: No such file or directory\n"),
                2,
            );
        }
    };
    let Some(key) = vfs::normalize(file) else {
        return ShellResult::fail(
            format!("sed: can't read {file}: No such file or directory\n"),
            2,
        );
    };
    let text = String::from_utf8_lossy(&bytes);
    let replaced = replace_capped(&text, old, new, global, MAX_FILE_BYTES);
    match replaced.map(|r| store(files, key, r.into_bytes())) {
        Some(Ok(())) => ShellResult::default(),
        // sed writes a temporary file and renames it: the original stays as it was.
        _ => ShellResult::fail(format!("sed: couldn't flush {file}: {NO_SPACE}\n"), 4),
    }
}

/// Each line with `old` replaced by `new` (the first match per line, or all with `global`); `None` when
/// the result would pass `cap` bytes. The size is computed from the number of matches first, so a doubling
/// `s/a/aa/g` never allocates past the cap. (A script line holds no newline, so `old` never spans lines
/// and a global replacement over the whole text is the same as line by line.)
fn replace_capped(text: &str, old: &str, new: &str, global: bool, cap: usize) -> Option<String> {
    if old.is_empty() {
        return (text.len() <= cap).then(|| text.to_string());
    }
    let matches = if global {
        text.matches(old).count()
    } else {
        text.split_inclusive('\n')
            .filter(|l| l.contains(old))
            .count()
    };
    let size = (text.len() - matches * old.len()).checked_add(matches.checked_mul(new.len())?)?;
    if size > cap {
        return None;
    }
    Some(if global {
        text.replace(old, new)
    } else {
        text.split_inclusive('\n')
            .map(|line| line.replacen(old, new, 1))
            .collect()
    })
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
    fn scp_stays_inside_both_working_folders() {
        let mut w = World::new();
        let run = |w: &mut World, line: &str| {
            let words = words(line).unwrap_or_default();
            shell(w, "default", &words).map(|r| (r.code, r.stderr))
        };
        assert_eq!(
            run(&mut w, "scp ./server.js other:"),
            Some((0, String::new()))
        );
        assert!(w.machine("other").files.contains_key("server.js"));
        assert_eq!(
            run(&mut w, "scp server.js other:~/dir/"),
            Some((0, String::new()))
        );
        assert!(w.machine("other").files.contains_key("dir/server.js"));
        assert_eq!(
            run(&mut w, "scp server.js other:../x"),
            Some((
                1,
                "scp: dest open \"../x\": Permission denied\n".to_string()
            ))
        );
        assert!(w.machine("other").files.keys().all(|k| !k.contains("..")));
        assert_eq!(
            run(&mut w, "scp ../etc/passwd other:").map(|r| r.0),
            Some(1)
        );
    }

    /// `>>` adds to the file in place; a world cloned before (an undo step) keeps the file as it was.
    #[test]
    fn appends_grow_the_file_and_leave_earlier_worlds_alone() {
        let mut w = World::new();
        let run = |w: &mut World, line: &str| {
            let words = words(line).unwrap_or_default();
            shell(w, "default", &words).map(|r| (r.code, r.stderr))
        };
        assert_eq!(run(&mut w, "echo one > log"), Some((0, String::new())));
        assert_eq!(run(&mut w, "echo two >> log"), Some((0, String::new())));
        let before = w.clone();
        assert_eq!(run(&mut w, "echo three >> log"), Some((0, String::new())));
        assert_eq!(run(&mut w, "echo new >> fresh"), Some((0, String::new())));
        let file = |w: &mut World, f: &str| {
            w.machine("default")
                .files
                .get(f)
                .map(|b| String::from_utf8_lossy(b).into_owned())
        };
        assert_eq!(file(&mut w, "log").as_deref(), Some("one\ntwo\nthree\n"));
        assert_eq!(file(&mut w, "fresh").as_deref(), Some("new\n"));
        let mut before = before;
        assert_eq!(file(&mut before, "log").as_deref(), Some("one\ntwo\n"));
        assert_eq!(file(&mut before, "fresh"), None);
    }

    /// An append that would pass the file's cap fails with the shell's words and keeps what was there.
    #[test]
    fn an_append_past_the_cap_keeps_the_file() {
        let mut files = Folder::default();
        files.insert("big".into(), vec![b'x'; MAX_FILE_BYTES - 1].into());
        let r = echo_to(&mut files, "big", "ab", true);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, "sh: write error: No space left on device\n")
        );
        assert_eq!(files.get("big").map(|b| b.len()), Some(MAX_FILE_BYTES - 1));
        assert_eq!(echo_to(&mut files, "big", "a", true).code, 0);
        assert_eq!(files.get("big").map(|b| b.len()), Some(MAX_FILE_BYTES));
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
        assert_eq!(sed(&mut w, "default", &args).code, 0);
        let text = String::from_utf8_lossy(&w.machine("default").files["server.js"]).into_owned();
        assert!(text.contains("version 2") && !text.contains("version 1"));
    }

    #[test]
    fn replacement_is_capped_before_it_is_built() {
        assert_eq!(
            replace_capped("aa\nba\n", "a", "xy", false, 100).as_deref(),
            Some("xya\nbxy\n")
        );
        assert_eq!(
            replace_capped("aa\nba\n", "a", "xy", true, 100).as_deref(),
            Some("xyxy\nbxy\n")
        );
        assert_eq!(
            replace_capped("aaaa", "a", "aa", true, 8).as_deref(),
            Some("aaaaaaaa")
        );
        assert_eq!(replace_capped("aaaa", "a", "aa", true, 7), None);
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
