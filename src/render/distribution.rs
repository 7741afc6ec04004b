//! Pull and push as the CLI's final frame: one line per layer with its last status.

use super::{Channel, Rendered};
use crate::event::{PullReport, PullStatus, PushStatus, PushTagReport};

/// The final frame of a pull: one line per layer with its last status.
pub fn pull(r: &mut Rendered, p: &PullReport, ch: Channel) {
    r.line(ch, format!("{}: Pulling from {}", p.label, p.remote_path));
    for (blob, status) in &p.layers {
        let s = match status {
            PullStatus::AlreadyExists => "Already exists",
            PullStatus::PullComplete => "Pull complete",
        };
        r.line(ch, format!("{}: {s}", blob.short()));
    }
    r.line(ch, format!("Digest: {}", p.digest));
    if p.show_status {
        r.line(
            ch,
            format!("Status: {} {}", status_words(p.newer), p.familiar),
        );
    }
    // moby `daemon/images/image_pull.go`: a single-platform image pulled for another `--platform`.
    if let Some((reference, wanted, actual)) = p.platform_mismatch.as_deref() {
        r.line(
            ch,
            format!(
                "WARNING: image with reference {reference} was found but does not match the specified platform: wanted {wanted}, actual: {actual}"
            ),
        );
    }
}

/// The final frame of a push for one tag.
pub fn push(r: &mut Rendered, p: &PushTagReport) {
    for (i, (diff, status)) in p.layers.iter().enumerate() {
        let s = match status {
            PushStatus::LayerAlreadyExists => "Layer already exists".to_string(),
            PushStatus::Mounted { from } => format!("Mounted from {from}"),
            PushStatus::Pushed { .. } => "Pushed".to_string(),
            // Uploads run five at a time; the rest wait.
            PushStatus::Preparing if i >= 5 => "Waiting".to_string(),
            PushStatus::Preparing => "Preparing".to_string(),
        };
        r.line(Channel::Stdout, format!("{}: {s}", diff.short()));
    }
    if let Some((digest, size)) = &p.result {
        r.line(
            Channel::Stdout,
            format!("{}: digest: {digest} size: {size}", p.tag),
        );
    }
}

/// The words of a pull's `Status:` line.
pub fn status_words(newer: bool) -> &'static str {
    if newer {
        "Downloaded newer image for"
    } else {
        "Image is up to date for"
    }
}
