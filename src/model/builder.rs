//! Builder instances (`docker buildx create`): a BuildKit daemon of its own beside the machine's Docker
//! engine. The engine's built-in builder (`default`, docker driver) writes into the image store and, with the
//! classic store, builds one platform; a `docker-container` builder runs BuildKit in a container, so it can
//! build for several platforms and publish an index, but it keeps its results (and its cache, and the bases
//! it pulled) to itself until `--push` or `--load` sends them somewhere.

use crate::digest::Digest;
use crate::model::image::Image;
use crate::model::machine::CachedStep;
use crate::model::platform::Platform;
use imbl::OrdMap;
use std::sync::Arc;

/// The only driver dockdrill creates instances of (`docker buildx create`'s default on a Docker engine).
pub const DOCKER_CONTAINER: &str = "docker-container";

/// The BuildKit release `moby/buildkit:buildx-stable-1` stands for here: the one Docker 28.2's engine embeds
/// (a chosen value: the tag moves with each BuildKit release).
pub const BUILDKIT_VERSION: &str = "v0.22.0";

/// One builder instance with its one node (`NAME0`).
#[derive(Clone, Debug)]
pub struct Builder {
    pub name: String,
    /// `docker-container`.
    pub driver: String,
    /// `--platform` values given at create (shown with a `*`), as parsed.
    pub fixed_platforms: Vec<Platform>,
    /// Has its BuildKit container been started (`[internal] booting buildkit`)?
    pub booted: bool,
    /// Unix seconds of the last create/use/build (`Last Activity:`).
    pub last_activity: u64,
    /// Its own step cache: a fresh builder has seen no build.
    pub build_cache: OrdMap<Digest, CachedStep>,
    /// Bases it pulled (by member manifest digest).
    pub base_cache: OrdMap<Digest, Arc<Image>>,
}

impl Builder {
    /// A new, not yet booted `docker-container` builder.
    pub fn new(name: &str, fixed_platforms: Vec<Platform>, now: u64) -> Builder {
        Builder {
            name: name.to_string(),
            driver: DOCKER_CONTAINER.to_string(),
            fixed_platforms,
            booted: false,
            last_activity: now,
            build_cache: OrdMap::new(),
            base_cache: OrdMap::new(),
        }
    }

    /// Its node's name (buildx names the first node `NAME0`).
    pub fn node(&self) -> String {
        format!("{}0", self.name)
    }

    /// The BuildKit container the node runs in (`buildx_buildkit_NAME0`).
    pub fn container(&self) -> String {
        format!("buildx_buildkit_{}", self.node())
    }
}

/// The platforms a running BuildKit on a host of platform `host` reports, in BuildKit's order: the host's
/// own (with amd64's micro-architecture levels, or arm64's 32-bit ARM) first, then the ones QEMU emulation
/// adds. dockdrill's machines stand for Docker Desktop or a server with `tonistiigi/binfmt` installed, where
/// every foreign RUN step can run (see the README's platform section).
pub fn detected_platforms(host: &Platform) -> Vec<String> {
    let all = [
        "linux/amd64",
        "linux/amd64/v2",
        "linux/amd64/v3",
        "linux/arm64",
        "linux/riscv64",
        "linux/ppc64le",
        "linux/s390x",
        "linux/386",
        "linux/mips64le",
        "linux/mips64",
        "linux/loong64",
        "linux/arm/v7",
        "linux/arm/v6",
    ];
    let native: &[&str] = if host.architecture == "arm64" {
        &["linux/arm64", "linux/arm/v7", "linux/arm/v6"]
    } else {
        &[
            "linux/amd64",
            "linux/amd64/v2",
            "linux/amd64/v3",
            "linux/386",
        ]
    };
    native
        .iter()
        .chain(all.iter().filter(|p| !native.contains(p)))
        .map(|p| p.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_platforms_come_first() {
        let amd = detected_platforms(&Platform::amd64());
        assert_eq!(amd[0], "linux/amd64");
        assert_eq!(amd[3], "linux/386");
        assert_eq!(amd.len(), 13);
        let arm = detected_platforms(&Platform::arm64());
        assert_eq!(&arm[..3], ["linux/arm64", "linux/arm/v7", "linux/arm/v6"]);
        assert_eq!(arm.len(), 13);
    }

    #[test]
    fn a_node_is_named_after_its_builder() {
        let b = Builder::new("multi", vec![], 0);
        assert_eq!(b.node(), "multi0");
        assert_eq!(b.container(), "buildx_buildkit_multi0");
        assert!(!b.booted);
    }
}
