//! The docker CLI's local manifest lists (`docker manifest create`, kept under `~/.docker/manifests` until
//! `docker manifest push`): the classic way to publish one name for several CPUs from images pushed one
//! platform at a time. They live in the client, not in the daemon: `docker images` never shows them.

use crate::model::image::Image;
use std::sync::Arc;

/// One member: the reference it was created from and the image its registry manifest describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListMember {
    /// As the CLI normalises it (`127.0.0.1:5000/app:amd64`, `docker.io/alice/app:arm64`).
    pub reference: String,
    pub image: Arc<Image>,
}
