//! `dockdrill replay`: runs a script line by line, streaming, and prints the transcript (text, JSON or the
//! reference transcripts' `[exit N]` format). A failing command never stops the script.

use crate::model::world::World;
use crate::runner::{StepResult, run_line, transcript};
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
    if format == Format::Json {
        out.write_all(b"[")?;
    }
    while let Some(next) = lines.next() {
        let number = lines.number;
        // A read error names the line it stopped at, so the person knows how far the script got.
        let next =
            next.map_err(|e| io::Error::new(e.kind(), format!("line {}: {e}", lines.number + 1)))?;
        let step = match next {
            Err(problem) => {
                let msg = match problem {
                    LineProblem::TooLong(n) => format!(
                        "dockdrill: line {number} is too long ({n} bytes; at most {MAX_LINE})\n"
                    ),
                    LineProblem::Binary => {
                        format!("dockdrill: line {number} is not text (binary data)\n")
                    }
                };
                StepResult {
                    host: crate::model::world::DEFAULT_MACHINE.into(),
                    command: format!("<line {number}>"),
                    stdout: String::new(),
                    stderr: msg.clone(),
                    exit_code: 2,
                    notes: vec![],
                    interleaved: msg.clone(),
                    chunks: vec![(crate::render::Channel::Stderr, msg)],
                    kind: crate::runner::StepKind::Unsplittable,
                }
            }
            Ok(raw) => {
                let trimmed = raw.trim();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let line = script::split_host(trimmed);
                let stdin = if (line.command.contains("--password-stdin")
                    || line.command.contains("prune"))
                    && script::words(&line.command).is_ok_and(|w| script::wants_stdin(&w))
                {
                    match lines.next() {
                        Some(Ok(Ok(s))) => Some(format!("{s}\n")),
                        _ => Some(String::new()),
                    }
                } else {
                    None
                };
                run_line(world, &line, stdin, false)
            }
        };
        match format {
            Format::Json => {
                if !first {
                    out.write_all(b",")?;
                }
                out.write_all(b"\n ")?;
                serde_json::to_writer(&mut *out, &step).map_err(io::Error::other)?;
            }
            Format::Text => out.write_all(transcript(&step, false).as_bytes())?,
            Format::Transcript => out.write_all(transcript(&step, true).as_bytes())?,
        }
        first = false;
    }
    if format == Format::Json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    out.flush()
}

/// Reads a folder's files (bounded) into the starter files of every machine.
pub fn load_context(world: &mut World, dir: &Path) -> Result<(), String> {
    const MAX_FILES: usize = 2_000;
    const MAX_BYTES: u64 = 64 * 1024 * 1024;
    let mut files = crate::model::image::Files::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut total = 0u64;
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if entry.file_name() != ".git" && entry.file_name() != "target" {
                    stack.push(path);
                }
                continue;
            }
            total += meta.len();
            if files.len() >= MAX_FILES || total > MAX_BYTES {
                return Err(format!(
                    "the context folder {} is too large (at most {MAX_FILES} files and 64 MB)",
                    dir.display()
                ));
            }
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, bytes.into());
        }
    }
    world.starter_files = std::sync::Arc::new(files.clone());
    for m in world.machines.values_mut() {
        m.files = files.clone();
    }
    Ok(())
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
                        "id": c.id,
                        "name": c.name,
                        "image": c.image.as_str(),
                        "image_ref": c.image_ref.raw,
                        "state": c.status_word(),
                        "status": crate::render::listing::status(&c.state, world.now),
                        "auto_remove": c.auto_remove,
                    })
                })
                .collect();
            json!({
                "name": m.name,
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
        for c in m.containers.by_id.values() {
            if let Some(reg) = &c.registry {
                let mut v = crate::engine::registry_status(reg);
                v["served_by"] =
                    json!({"machine": m.name, "container": c.name, "running": c.is_running()});
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
