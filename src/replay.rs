//! `dockdrill replay`: runs a script line by line, streaming, and prints the transcript (text, JSON or the
//! reference transcripts' `[exit N]` format). A failing command never stops the script.

use crate::model::world::World;
use crate::runner::{Ran, StepResult, run_line_chunks, transcript_into};
use crate::script;
use std::io::{self, BufRead, Write};
use std::path::Path;

/// The longest script line read whole; longer lines are reported and skipped.
pub const MAX_LINE: usize = 64 * 1024;

/// Output formats of `replay`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `$ docker …` then the output, as a terminal shows it.
    Text,
    /// One JSON array, an object per command.
    Json,
    /// Like text, with `[exit N]` after each command (the reference transcripts' format).
    Transcript,
}

/// A script line that could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    TooLong(usize),
    Binary,
}

/// Reads lines of at most `MAX_LINE` bytes without ever holding more than that in memory.
pub struct Lines<R: BufRead> {
    reader: R,
    pub number: usize,
}

impl<R: BufRead> Lines<R> {
    /// Wraps a reader.
    pub fn new(reader: R) -> Lines<R> {
        Lines { reader, number: 0 }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = io::Result<Result<String, LineProblem>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = Vec::new();
        // Bytes of the line before its end of line (`\n` or `\r\n`), however many were read.
        let mut total = 0usize;
        let mut last = None;
        let mut saw_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if buf.len() < MAX_LINE + 1 {
                let room = (MAX_LINE + 1 - buf.len()).min(take);
                buf.extend_from_slice(&chunk[..room]);
            }
            let content = if done { take - 1 } else { take };
            if content > 0 {
                last = Some(chunk[content - 1]);
            }
            total += content;
            self.reader.consume(take);
            if done {
                if last == Some(b'\r') {
                    total -= 1;
                }
                break;
            }
        }
        if !saw_any {
            return None;
        }
        self.number += 1;
        if total > MAX_LINE {
            return Some(Ok(Err(LineProblem::TooLong(total))));
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        if buf.contains(&0) {
            return Some(Ok(Err(LineProblem::Binary)));
        }
        Some(Ok(String::from_utf8(buf).map_err(|_| LineProblem::Binary)))
    }
}

/// Replays a script from `reader` onto `world`, writing to `out`.
pub fn replay<R: BufRead, W: Write>(
    world: &mut World,
    reader: R,
    format: Format,
    out: &mut W,
) -> io::Result<()> {
    let mut lines = Lines::new(reader);
    let mut first = true;
    // One buffer for every step's transcript.
    let mut text = String::new();
    if format == Format::Json {
        out.write_all(b"[")?;
    }
    while let Some(next) = lines.next() {
        let number = lines.number;
        // A read error names the line it stopped at, so the person knows how far the script got.
        let next =
            next.map_err(|e| io::Error::new(e.kind(), format!("line {}: {e}", lines.number + 1)))?;
        let (host, command, ran) = match next {
            Err(problem) => {
                let msg = match problem {
                    LineProblem::TooLong(n) => format!(
                        "dockdrill: line {number} is too long ({n} bytes; at most {MAX_LINE})\n"
                    ),
                    LineProblem::Binary => {
                        format!("dockdrill: line {number} is not text (binary data)\n")
                    }
                };
                let ran = Ran {
                    chunks: vec![(crate::render::Channel::Stderr, msg)],
                    exit_code: 2,
                    kind: crate::runner::StepKind::Unsplittable,
                };
                (
                    crate::model::world::DEFAULT_MACHINE.to_string(),
                    format!("<line {number}>"),
                    ran,
                )
            }
            Ok(raw) => {
                let trimmed = raw.trim();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let line = script::split_host(trimmed);
                let stdin = if mentions_stdin_word(&line.command)
                    && script::words(&line.command).is_ok_and(|w| script::wants_stdin(&w))
                {
                    match lines.next() {
                        Some(Ok(Ok(s))) => Some(format!("{s}\n")),
                        _ => Some(String::new()),
                    }
                } else {
                    None
                };
                let ran = run_line_chunks(world, &line, stdin, false);
                (line.host, line.command, ran)
            }
        };
        match format {
            Format::Json => {
                if !first {
                    out.write_all(b",")?;
                }
                out.write_all(b"\n ")?;
                let step = StepResult::from_ran(host, command, ran);
                serde_json::to_writer(&mut *out, &step).map_err(io::Error::other)?;
            }
            Format::Text | Format::Transcript => {
                text.clear();
                transcript_into(
                    &mut text,
                    &host,
                    &command,
                    &ran,
                    format == Format::Transcript,
                );
                out.write_all(text.as_bytes())?;
            }
        }
        first = false;
    }
    if format == Format::Json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    out.flush()
}

/// Does `text` name one of the words that make a command read its input (`--password-stdin`, `prune`'s
/// confirmation)? Both start with `p`, so one pass of a plain byte loop tries each `p`: on a short line
/// that is cheaper than a substring searcher's set-up or a character searcher per word.
fn mentions_stdin_word(text: &str) -> bool {
    let text = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'p'))
    {
        let rest = &text[from + i..];
        if rest.starts_with(b"prune") || rest.starts_with(b"password-stdin") {
            return true;
        }
        from += i + 1;
    }
    false
}

/// Files a build context folder may hold (links and files together).
pub const MAX_CONTEXT_FILES: usize = 2_000;

/// Bytes a build context folder's files may hold together.
pub const MAX_CONTEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Folders nested deeper than this in a build context are not entered.
pub const MAX_CONTEXT_DEPTH: usize = 32;

/// Reads a build context folder from disk into the starter files of every machine, and returns one line
/// per entry it skipped (for the caller to print before the transcript).
///
/// Nothing outside the folder is ever read: a symbolic link becomes a link in the virtual tree (Docker's
/// client sends the link, never its target), files are opened without following a final link and only
/// if the open handle is a regular file, and named pipes, sockets and devices are never opened at all.
/// An entry that cannot be read is reported and skipped; only an unreadable folder itself, or one larger
/// than [`MAX_CONTEXT_FILES`] files or [`MAX_CONTEXT_BYTES`] bytes, is an error.
pub fn load_context(world: &mut World, dir: &Path) -> Result<Vec<String>, String> {
    let mut files = crate::model::image::Files::new();
    let mut skipped = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    let mut total = 0u64;
    let too_large = || {
        format!(
            "the context folder {} is too large (at most {MAX_CONTEXT_FILES} files and {} MB)",
            dir.display(),
            MAX_CONTEXT_BYTES / (1024 * 1024)
        )
    };
    while let Some((d, prefix, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if prefix.is_empty() => {
                return Err(format!(
                    "cannot read {}: {}",
                    d.display(),
                    crate::safe_fs::io_message(&e)
                ));
            }
            Err(e) => {
                skipped.push(skip_line(&prefix, &crate::safe_fs::io_message(&e)));
                continue;
            }
        };
        let mut entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                skipped.push(skip_line(
                    &format!("{prefix}{}", name.to_string_lossy()),
                    "its name is not UTF-8",
                ));
                continue;
            };
            let rel = format!("{prefix}{name}");
            // The type of the entry itself: a link is never followed to find out what it points to.
            let kind = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    skipped.push(skip_line(&rel, &crate::safe_fs::io_message(&e)));
                    continue;
                }
            };
            if kind.is_dir() {
                if name == ".git" || name == "target" {
                    continue;
                }
                if depth + 1 >= MAX_CONTEXT_DEPTH {
                    skipped.push(skip_line(
                        &rel,
                        &format!("folders nested deeper than {MAX_CONTEXT_DEPTH} are not read"),
                    ));
                    continue;
                }
                stack.push((entry.path(), format!("{rel}/"), depth + 1));
                continue;
            }
            if files.len() >= MAX_CONTEXT_FILES {
                return Err(too_large());
            }
            let bytes: crate::model::image::FileBytes = if kind.is_symlink() {
                match std::fs::read_link(entry.path()) {
                    Ok(target) => crate::vfs::link(&target.to_string_lossy()),
                    Err(e) => {
                        skipped.push(skip_line(&rel, &crate::safe_fs::io_message(&e)));
                        continue;
                    }
                }
            } else if !kind.is_file() {
                let what = crate::safe_fs::FileKind::of(kind)
                    .map_or("not a regular file", crate::safe_fs::FileKind::describe);
                skipped.push(skip_line(
                    &rel,
                    &format!("it is {what} (only regular files, folders and links are copied)"),
                ));
                continue;
            } else {
                match crate::safe_fs::read_regular(&entry.path(), MAX_CONTEXT_BYTES - total, false)
                {
                    Ok(b) if b.starts_with(crate::vfs::LINK_MAGIC) => {
                        skipped.push(skip_line(&rel, "its content cannot be represented"));
                        continue;
                    }
                    Ok(b) => b.into(),
                    Err(crate::safe_fs::ReadError::TooLarge { .. }) => return Err(too_large()),
                    Err(e) => {
                        skipped.push(skip_line(&rel, &e.to_string()));
                        continue;
                    }
                }
            };
            total += bytes.len() as u64;
            files.insert(rel.into(), bytes);
        }
    }
    let folder = crate::model::folder::Folder::from(files);
    world.starter_files = std::sync::Arc::new(folder.clone());
    let names: Vec<String> = world.machines.keys().map(|k| k.to_string()).collect();
    for name in names {
        if let Some(m) = world.machines.get_mut(name.as_str()) {
            std::sync::Arc::make_mut(m).files = folder.clone();
        }
    }
    Ok(skipped)
}

fn skip_line(rel: &str, why: &str) -> String {
    format!("dockdrill: build context: skipped `{rel}`: {why}")
}

/// Why `--state PATH` is refused before anything runs: the script itself, or a file inside the build
/// context (the next build's `COPY . .` would copy it and change the image IDs).
pub fn state_path_problem(
    state: &Path,
    script: Option<&Path>,
    context: Option<&Path>,
) -> Option<String> {
    let state_abs = absolute_parent(state)?;
    if let Some(script) = script {
        let same_inode = same_file(state, script);
        if same_inode || absolute_parent(script).as_ref() == Some(&state_abs) {
            return Some(format!(
                "refusing to write the state to {}: it is the script being replayed",
                state.display()
            ));
        }
    }
    if let Some(ctx) = context.and_then(|c| std::fs::canonicalize(c).ok())
        && state_abs.starts_with(&ctx)
    {
        return Some(format!(
            "refusing to write the state to {}: it is inside the build context {} (the next `COPY . .` would copy it)",
            state.display(),
            ctx.display()
        ));
    }
    None
}

/// `path` made absolute through its folder's canonical form (the file itself need not exist).
fn absolute_parent(path: &Path) -> Option<std::path::PathBuf> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name()?;
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Writes the final state (see [`state_json`]) to `path` atomically.
pub fn write_state(world: &World, path: &Path) -> io::Result<()> {
    let text = serde_json::to_string_pretty(&state_json(world)).map_err(io::Error::other)?;
    crate::safe_fs::write_atomic(path, (text + "\n").as_bytes())
}

/// The world as JSON for tooling: machines (images, tags, containers, logins) and registries.
pub fn state_json(world: &World) -> serde_json::Value {
    use serde_json::json;
    let machines: Vec<serde_json::Value> = world
        .machines
        .values()
        .map(|m| {
            let images: Vec<serde_json::Value> = m
                .images
                .by_created
                .iter()
                .rev()
                .filter_map(|(_, id)| m.images.images.get(id))
                .map(|s| {
                    json!({
                        "id": s.image.id.as_str(),
                        "tags": s.tag_names(),
                        "digests": s.digest_names(),
                        "layers": s.image.layers.iter().map(|l| l.diff_id.as_str()).collect::<Vec<_>>(),
                        "size": s.image.size(),
                        "dangling": s.dangling(),
                    })
                })
                .collect();
            let containers: Vec<serde_json::Value> = m
                .containers
                .newest_first()
                .map(|c| {
                    json!({
                        "id": &*c.id,
                        "name": &*c.name,
                        "image": c.image.as_str(),
                        "image_ref": c.image_ref.raw,
                        "state": c.status_word(),
                        "status": crate::render::listing::status(&c.state, world.now),
                        "auto_remove": c.auto_remove,
                    })
                })
                .collect();
            json!({
                "name": &*m.name,
                "images": images,
                "containers": containers,
                "logins": m.logins,
            })
        })
        .collect();
    let mut registries: Vec<serde_json::Value> = world
        .registries
        .values()
        .map(crate::engine::registry_status)
        .collect();
    for m in world.machines.values() {
        for c in m.containers.all() {
            if let Some(reg) = &c.registry {
                let mut v = crate::engine::registry_status(reg);
                v["served_by"] =
                    json!({"machine": &*m.name, "container": &*c.name, "running": c.is_running()});
                registries.push(v);
            }
        }
    }
    json!({ "clock": crate::clock::rfc3339(world.now), "machines": machines, "registries": registries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stdin_words_are_found_like_contains() {
        for text in [
            "docker login --password-stdin",
            "docker login -u a --password-stdin=true",
            "docker login --password-std",
            "docker image prune -a",
            "docker ps",
            "docker push app",
            "prun",
            "pprune",
            "ppassword-stdin",
            "é prune",
            "p",
            "",
        ] {
            assert_eq!(
                mentions_stdin_word(text),
                text.contains("password-stdin") || text.contains("prune"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn long_and_binary_lines_are_reported_and_skipped() {
        let mut data = b"docker ps\n".to_vec();
        data.extend(std::iter::repeat_n(b'a', MAX_LINE + 10));
        data.extend_from_slice(b"\nbin\x00ary\ndocker images\n");
        let mut lines = Lines::new(&data[..]);
        assert_eq!(lines.next().unwrap().unwrap(), Ok("docker ps".to_string()));
        assert!(matches!(
            lines.next().unwrap().unwrap(),
            Err(LineProblem::TooLong(_))
        ));
        assert_eq!(lines.next().unwrap().unwrap(), Err(LineProblem::Binary));
        assert_eq!(
            lines.next().unwrap().unwrap(),
            Ok("docker images".to_string())
        );
        assert!(lines.next().is_none());
    }

    #[test]
    fn line_length_excludes_the_end_of_line() {
        let exact = "a".repeat(MAX_LINE);
        for eol in ["\n", "\r\n", ""] {
            let data = format!("{exact}{eol}");
            let mut lines = Lines::new(data.as_bytes());
            assert_eq!(lines.next().unwrap().unwrap(), Ok(exact.clone()), "{eol:?}");
        }
        let over = format!("{exact}a\r\n");
        let mut lines = Lines::new(over.as_bytes());
        assert_eq!(
            lines.next().unwrap().unwrap(),
            Err(LineProblem::TooLong(MAX_LINE + 1))
        );
        assert!(lines.next().is_none());
    }
}
