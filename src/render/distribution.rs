//! Pull and push as the CLI's final frame: one line per layer with its last status.

use super::{Channel, Rendered};
use crate::event::{PullReport, PullStatus, PushStatus, PushTagReport};

/// The final frame of a pull: one line per layer with its last status.
pub fn pull(r: &mut Rendered, p: &PullReport, ch: Channel) {
    r.parts(ch, &[&p.label, ": Pulling from ", &p.remote_path]);
    for (blob, status) in &p.layers {
        let s = match status {
            PullStatus::AlreadyExists => "Already exists",
            PullStatus::PullComplete => "Pull complete",
        };
        r.parts(ch, &[blob.short(), ": ", s]);
    }
    r.parts(ch, &["Digest: ", p.digest.as_str()]);
    if p.show_status {
        r.parts(ch, &["Status: ", status_words(p.newer), " ", &p.familiar]);
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
        let (s, from) = match status {
            PushStatus::LayerAlreadyExists => ("Layer already exists", ""),
            PushStatus::Mounted { from } => ("Mounted from ", from.as_str()),
            PushStatus::Pushed { .. } => ("Pushed", ""),
            // Uploads run five at a time; the rest wait.
            PushStatus::Preparing if i >= 5 => ("Waiting", ""),
            PushStatus::Preparing => ("Preparing", ""),
        };
        r.parts(Channel::Stdout, &[diff.short(), ": ", s, from]);
    }
    if let Some((digest, size)) = &p.result {
        let n = size.to_string();
        r.parts(
            Channel::Stdout,
            &[&p.tag, ": digest: ", digest.as_str(), " size: ", n.as_str()],
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
