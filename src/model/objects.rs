//! The daemon's other objects: volumes, networks and what a container changed in its own filesystem.
//! They are kept beside the image and container stores (persistent maps on [`Machine`](super::machine::Machine), like every store)
//! because each is looked up by name or container ID and listed in name order, nothing more.

use crate::model::image::Files;
use imbl::{OrdMap, OrdSet};

/// A local volume (`docker volume create`, or `-v NAME:/path` on `run`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    pub name: String,
    /// When it was created (the world's clock).
    pub created: u64,
    /// Created by the daemon for a `-v /path` without a name: 64 hex digits.
    pub anonymous: bool,
}

/// A user-defined network (`docker network create`); the three default ones are not stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub name: String,
    /// 64 hex digits.
    pub id: String,
    pub driver: String,
    pub created: u64,
    /// The second octet of its `172.X.0.0/16` subnet.
    pub subnet: u8,
}

/// How a path differs from the container's image (`docker diff`'s letters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Changed,
    Deleted,
}

/// What one container wrote over its image: the changed paths, the new bytes, its volume mounts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerFs {
    /// Absolute path → change, for every path the container touched (parents included).
    pub changes: OrdMap<String, Change>,
    /// New or rewritten files: absolute path → bytes.
    pub files: Files,
    /// Folders the container created (absolute paths).
    pub folders: OrdSet<String>,
    /// (volume name, mount point) pairs from `-v`.
    pub mounts: Vec<(String, String)>,
}
