//! Docker's per-layer progress, as a terminal shows it during `pull` and `push`: each layer's line moves
//! through "Pulling fs layer → Downloading [==>  ] → … → Pull complete" (or "Preparing → Pushing → Pushed")
//! while the others wait their turn. The frames are computed here from the engine's reports; the REPL plays
//! them briefly and then prints the block's final lines, which are exactly what a transcript shows.

use crate::digest::Digest;
use crate::event::{Event, PullReport, PullStatus, PushStatus, PushTagReport};
use crate::model::world::World;
use crate::render::units::human_size;
use crate::repl::picture::registries;

/// One layer's line in one frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The 12-hex layer ID.
    pub id: String,
    pub status: String,
    /// (current, total) bytes when the line carries a progress bar.
    pub bar: Option<(u64, u64)>,
}

impl Row {
    fn new(id: &str, status: &str) -> Row {
        Row {
            id: id.to_string(),
            status: status.to_string(),
            bar: None,
        }
    }

    fn bar(id: &str, status: &str, current: u64, total: u64) -> Row {
        Row {
            id: id.to_string(),
            status: status.to_string(),
            bar: Some((current, total)),
        }
    }

    /// The line as Docker's `jsonmessage` draws it. The `[====>   ]` box is drawn only on a terminal wider
    /// than 110 columns, as Docker does, so a line never wraps (wrapping would break the redraw).
    pub fn text(&self, wide: bool) -> String {
        let Some((current, total)) = self.bar else {
            return format!("{}: {}", self.id, self.status);
        };
        let total = total.max(1);
        let percentage = usize::try_from((current.saturating_mul(100) / total) / 2)
            .unwrap_or(50)
            .min(50);
        let bar = if wide {
            format!(
                "[{}>{}] ",
                "=".repeat(percentage),
                " ".repeat(50 - percentage)
            )
        } else {
            String::new()
        };
        format!(
            "{}: {} {bar}{:>8}/{}",
            self.id,
            self.status,
            human_size(current),
            human_size(total)
        )
    }
}

/// An animation for a block of lines inside a piece of output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Byte offset of the block's first line in the piece's text.
    pub at: usize,
    /// The frames, each one row per line of the block; the block's final lines follow in the text.
    pub frames: Vec<Vec<Row>>,
}

impl Progress {
    /// Lines in the block.
    pub fn rows(&self) -> usize {
        self.frames.first().map_or(0, Vec::len)
    }
}

/// The frames of a pull's layer block (the last frame equals the final lines).
pub fn pull_frames(p: &PullReport, size_of: impl Fn(&Digest) -> Option<u64>) -> Vec<Vec<Row>> {
    let fresh = p
        .layers
        .iter()
        .filter(|(_, s)| *s == PullStatus::PullComplete)
        .count();
    if fresh == 0 {
        return Vec::new();
    }
    let steps = 9;
    let count = steps + fresh - 1;
    (0..count)
        .map(|f| {
            let mut k = 0;
            p.layers
                .iter()
                .map(|(blob, status)| {
                    let id = blob.short();
                    if *status == PullStatus::AlreadyExists {
                        return Row::new(id, "Already exists");
                    }
                    let total = size_of(blob).unwrap_or(0);
                    let row = match f.checked_sub(k) {
                        None if k < 3 => Row::new(id, "Pulling fs layer"),
                        None => Row::new(id, "Waiting"),
                        Some(0) => Row::new(id, "Pulling fs layer"),
                        Some(s @ 1..=3) => Row::bar(id, "Downloading", total * s as u64 / 4, total),
                        Some(4) => Row::new(id, "Verifying Checksum"),
                        Some(5) => Row::new(id, "Download complete"),
                        Some(s @ 6..=7) => {
                            Row::bar(id, "Extracting", total * (s as u64 - 5) / 2, total)
                        }
                        Some(_) => Row::new(id, "Pull complete"),
                    };
                    k += 1;
                    row
                })
                .collect()
        })
        .collect()
}

/// The frames of one tag's push block (the last frame equals the final lines).
pub fn push_frames(p: &PushTagReport) -> Vec<Vec<Row>> {
    if p.layers.is_empty() {
        return Vec::new();
    }
    let uploads = p
        .layers
        .iter()
        .filter(|(_, s)| matches!(s, PushStatus::Pushed { .. }))
        .count();
    let count = 6 + uploads.saturating_sub(1);
    (0..count)
        .map(|f| {
            let mut k = 0;
            p.layers
                .iter()
                .enumerate()
                .map(|(i, (diff, status))| {
                    let id = diff.short();
                    match status {
                        // Refused before this layer was done: as the final render shows it.
                        PushStatus::Preparing if i >= 5 => Row::new(id, "Waiting"),
                        PushStatus::Preparing => Row::new(id, "Preparing"),
                        PushStatus::LayerAlreadyExists if f > 0 => {
                            Row::new(id, "Layer already exists")
                        }
                        PushStatus::Mounted { from } if f > 1 => {
                            Row::new(id, &format!("Mounted from {from}"))
                        }
                        PushStatus::Pushed { bytes } => {
                            let row = match f.checked_sub(k + 1) {
                                None if f == 0 => Row::new(id, "Preparing"),
                                None => Row::new(id, "Waiting"),
                                Some(s @ 0..=2) => {
                                    Row::bar(id, "Pushing", bytes * (s as u64 + 1) / 4, *bytes)
                                }
                                Some(_) => Row::new(id, "Pushed"),
                            };
                            k += 1;
                            row
                        }
                        _ if f == 0 => Row::new(id, "Preparing"),
                        _ => Row::new(id, "Waiting"),
                    }
                })
                .collect()
        })
        .collect()
}

/// The compressed size of a blob, from whichever registry has it.
fn blob_size(world: &World, blob: &Digest) -> Option<u64> {
    registries(world)
        .iter()
        .find_map(|v| v.registry.blobs.get(blob).map(|b| b.size))
}

/// Finds where each pull and push block of `events` sits in `texts` (the rendered pieces, in order) and
/// returns, per piece, the animations to play inside it.
pub fn locate(texts: &[&str], events: &[Event], world: &World) -> Vec<Vec<Progress>> {
    let mut found: Vec<Vec<Progress>> = vec![Vec::new(); texts.len()];
    let (mut piece, mut offset) = (0usize, 0usize);
    for e in events {
        let frames = match e {
            Event::Pull(p) => pull_frames(p, |b| blob_size(world, b)),
            Event::PushTag(p) => push_frames(p),
            _ => continue,
        };
        let Some(last) = frames.last() else { continue };
        let block: String = last.iter().map(|r| r.text(false) + "\n").collect();
        while piece < texts.len() {
            let hit = texts[piece]
                .get(offset..)
                .and_then(|t| t.find(&block))
                .map(|i| i + offset);
            match hit {
                Some(at) => {
                    found[piece].push(Progress {
                        at,
                        frames: frames.clone(),
                    });
                    offset = at + block.len();
                    break;
                }
                None => {
                    piece += 1;
                    offset = 0;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{self, Context};
    use crate::runner::run_line;
    use crate::script::split_host;

    #[test]
    fn bar_matches_docker() {
        let r = Row::bar("fa6675dd9e37", "Downloading", 1_566_000, 3_132_000);
        assert_eq!(
            r.text(true),
            "fa6675dd9e37: Downloading [=========================>                         ]  1.566MB/3.132MB"
        );
        assert_eq!(r.text(false), "fa6675dd9e37: Downloading  1.566MB/3.132MB");
    }

    #[test]
    fn a_pull_animates_and_ends_in_its_transcript_lines() {
        let mut w = World::new();
        let _ = run_line(&mut w, &split_host("docker pull alpine"), None, false);
        let r = run_line(
            &mut w,
            &split_host("docker pull node:22-alpine"),
            None,
            false,
        );
        let rendered = render::render(
            r.events(),
            Context {
                pull_on_stdout: true,
                ..Context::default()
            },
        );
        let texts: Vec<&str> = rendered.chunks.iter().map(|(_, t)| t.as_str()).collect();
        let found = locate(&texts, r.events(), &w);
        let p = found.iter().flatten().next().cloned();
        let Some(p) = p else {
            panic!("no animation found in {texts:?}")
        };
        assert!(p.frames.len() > 5 && p.frames.len() < 20);
        assert!(p.frames[0].iter().any(|r| r.status == "Already exists"));
        assert!(p.frames[1].iter().any(|r| r.status == "Downloading"));
        assert!(texts.concat()[p.at..].starts_with(&p.frames[0][0].id));
    }

    #[test]
    fn a_push_animates() {
        let mut w = World::new();
        for l in [
            "docker build -t alice/app .",
            "docker login -u alice -p wonderland",
        ] {
            let _ = run_line(&mut w, &split_host(l), None, false);
        }
        let r = run_line(&mut w, &split_host("docker push alice/app"), None, false);
        let rendered = render::render(r.events(), Context::default());
        let texts: Vec<&str> = rendered.chunks.iter().map(|(_, t)| t.as_str()).collect();
        let found = locate(&texts, r.events(), &w);
        let p = found.iter().flatten().next().cloned();
        let Some(p) = p else {
            panic!("no animation found in {texts:?}")
        };
        assert!(p.frames[0].iter().all(|r| r.status == "Preparing"));
        assert!(
            p.frames
                .iter()
                .any(|f| f.iter().any(|r| r.status == "Pushing"))
        );
    }
}
