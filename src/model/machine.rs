//! A machine: one Docker host with its own image store, containers, logins, build cache and files.
//! Everything here is indexed so that a command costs a hash or tree lookup, never a scan of all images or
//! containers (listing commands excepted: their output is the scan).

use crate::digest::Digest;
use crate::fxhash::FastMap as HashMap;
use crate::model::container::Container;
use crate::model::image::{Files, Image, Layer};
use crate::reference::ImageRef;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A stored image and the references that name it.
#[derive(Clone, Debug)]
pub struct StoredImage {
    pub image: Arc<Image>,
    /// Tags (`docker.io/library/node:20`) naming this image.
    pub tags: BTreeSet<String>,
    /// Digest references (`docker.io/library/node@sha256:…`) naming this image.
    pub digests: BTreeSet<String>,
    pub last_tag_time: Option<u64>,
    /// The image this one was built on, step by step (the legacy builder keeps every step as an image).
    pub parent: Option<Digest>,
    /// How many stored images name this one as their parent.
    pub children: u32,
}

impl StoredImage {
    /// An intermediate image of the legacy builder: untagged, but another image's parent.
    /// `docker images` hides these unless `-a`.
    pub fn intermediate(&self) -> bool {
        self.tags.is_empty() && self.digests.is_empty() && self.children > 0
    }

    /// Dangling: no tag left (digest references do not count, as in `image prune`).
    pub fn dangling(&self) -> bool {
        self.tags.is_empty()
    }
}

/// A layer held by the local layer store and how many images use it.
#[derive(Clone, Debug)]
pub struct StoredLayer {
    pub layer: Layer,
    pub refs: u32,
}

/// The local image store (classic graphdriver store).
#[derive(Clone, Debug, Default)]
pub struct ImageStore {
    pub images: BTreeMap<Digest, StoredImage>,
    /// Full tag reference → image ID.
    pub tags: HashMap<String, Digest>,
    /// Full digest reference → image ID.
    pub digest_refs: HashMap<String, Digest>,
    /// Chain ID → layer.
    pub layers: HashMap<Digest, StoredLayer>,
    /// (created, id): `docker images` lists newest first.
    pub by_created: BTreeSet<(u64, Digest)>,
    /// Full repository name → its tags (what `push` needs without scanning every tag).
    pub repo_tags: HashMap<String, BTreeSet<String>>,
}

/// Splits a full tag reference into (repository, tag) at the last `:` after the last `/`.
fn split_tag(full: &str) -> Option<(&str, &str)> {
    let slash = full.rfind('/').map_or(0, |i| i + 1);
    let colon = full[slash..].rfind(':')? + slash;
    Some((&full[..colon], &full[colon + 1..]))
}

impl ImageStore {
    /// Adds an image (if new) and takes a reference on each of its layers.
    pub fn insert(&mut self, image: Arc<Image>) {
        if self.images.contains_key(&image.id) {
            return;
        }
        for (chain, layer) in image.chains.iter().cloned().zip(&image.layers) {
            self.layers
                .entry(chain)
                .or_insert(StoredLayer {
                    layer: layer.clone(),
                    refs: 0,
                })
                .refs += 1;
        }
        self.by_created.insert((image.created, image.id.clone()));
        self.images.insert(
            image.id.clone(),
            StoredImage {
                image,
                tags: BTreeSet::new(),
                digests: BTreeSet::new(),
                last_tag_time: None,
                parent: None,
                children: 0,
            },
        );
    }

    /// Adds an image built on `parent` (legacy builder steps), linking the two.
    pub fn insert_child(&mut self, image: Arc<Image>, parent: Option<&Digest>) {
        if self.images.contains_key(&image.id) {
            return;
        }
        let id = image.id.clone();
        self.insert(image);
        if let Some(p) = parent.filter(|p| self.images.contains_key(*p)) {
            if let Some(s) = self.images.get_mut(&id) {
                s.parent = Some(p.clone());
            }
            if let Some(ps) = self.images.get_mut(p) {
                ps.children += 1;
            }
        }
    }

    /// Points tag `full` at `id`, returning the image it was taken from, if any.
    pub fn set_tag(&mut self, full: &str, id: &Digest, now: u64) -> Option<Digest> {
        let old = self.tags.insert(full.to_string(), id.clone());
        if let Some(old_id) = &old
            && old_id != id
            && let Some(s) = self.images.get_mut(old_id)
        {
            s.tags.remove(full);
        }
        if let Some(s) = self.images.get_mut(id) {
            s.tags.insert(full.to_string());
            s.last_tag_time = Some(now);
        }
        if let Some((repo, tag)) = split_tag(full) {
            self.repo_tags
                .entry(repo.to_string())
                .or_default()
                .insert(tag.to_string());
        }
        old.filter(|o| o != id)
    }

    /// Records a digest reference (`repo@sha256:…`) for `id`, moving it from any other image.
    pub fn set_digest_ref(&mut self, full: &str, id: &Digest) {
        if let Some(old) = self.digest_refs.insert(full.to_string(), id.clone())
            && let Some(s) = self.images.get_mut(&old)
        {
            s.digests.remove(full);
        }
        if let Some(s) = self.images.get_mut(id) {
            s.digests.insert(full.to_string());
        }
    }

    /// Removes a tag or digest reference; returns the image it named.
    pub fn remove_ref(&mut self, full: &str) -> Option<Digest> {
        if let Some(id) = self.tags.remove(full) {
            if let Some(s) = self.images.get_mut(&id) {
                s.tags.remove(full);
            }
            if let Some((repo, tag)) = split_tag(full)
                && let Some(set) = self.repo_tags.get_mut(repo)
            {
                set.remove(tag);
                if set.is_empty() {
                    self.repo_tags.remove(repo);
                }
            }
            return Some(id);
        }
        let id = self.digest_refs.remove(full)?;
        if let Some(s) = self.images.get_mut(&id) {
            s.digests.remove(full);
        }
        Some(id)
    }

    /// Deletes an image with no references left; returns the chain IDs of layers freed, top-most first.
    pub fn delete(&mut self, id: &Digest) -> Vec<Digest> {
        let Some(stored) = self.images.remove(id) else {
            return Vec::new();
        };
        self.by_created.remove(&(stored.image.created, id.clone()));
        if let Some(p) = stored.parent.as_ref().and_then(|p| self.images.get_mut(p)) {
            p.children = p.children.saturating_sub(1);
        }
        let mut freed = Vec::new();
        for chain in stored.image.chains.iter().rev().cloned() {
            if let Some(l) = self.layers.get_mut(&chain) {
                l.refs = l.refs.saturating_sub(1);
                if l.refs == 0 {
                    self.layers.remove(&chain);
                    freed.push(chain);
                }
            }
        }
        freed
    }

    /// Finds an image the way the daemon does: by reference first, then by full or short ID.
    pub fn lookup(&self, input: &str) -> Option<&StoredImage> {
        match ImageRef::parse(input) {
            Ok(r) => self.lookup_parsed(input, &r.with_default_tag()),
            Err(_) => self.lookup_id(input),
        }
    }

    /// `lookup` for an argument parsed at the edge.
    pub fn lookup_arg(&self, arg: &crate::reference::ImageArg) -> Option<&StoredImage> {
        match arg.tagged() {
            Some(r) => self.lookup_parsed(&arg.raw, &r),
            None => self.lookup_id(&arg.raw),
        }
    }

    /// `lookup` for a reference already parsed (and given its default tag) from `input`.
    pub fn lookup_parsed(&self, input: &str, r: &ImageRef) -> Option<&StoredImage> {
        let full = r.full();
        let hit = if r.digest.is_some() {
            self.digest_refs.get(&full)
        } else {
            self.tags.get(&full)
        };
        match hit {
            Some(id) => self.images.get(id),
            None => self.lookup_id(input),
        }
    }

    /// Finds an image by full ID (`sha256:…` or 64 hex) or a unique hex prefix.
    pub fn lookup_id(&self, input: &str) -> Option<&StoredImage> {
        let hex = input.strip_prefix("sha256:").unwrap_or(input);
        if hex.is_empty()
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return None;
        }
        let start = Digest::parse(&format!("sha256:{hex:0<64}"))?;
        let mut range = self
            .images
            .range(start..)
            .take_while(|(k, _)| k.hex().starts_with(hex));
        let first = range.next()?;
        range.next().is_none().then_some(first.1)
    }

    /// Layers of the top of `image`'s stack that nobody else holds (what `rmi` would free).
    pub fn has_chain(&self, chain: &Digest) -> bool {
        self.layers.contains_key(chain)
    }
}

/// The machine's containers, indexed by ID, name, creation order, image and published port.
#[derive(Clone, Debug, Default)]
pub struct ContainerStore {
    pub by_id: BTreeMap<String, Container>,
    pub names: HashMap<String, String>,
    /// creation sequence → ID (`ps` lists newest first).
    pub order: BTreeMap<u64, String>,
    pub seq_of: HashMap<String, u64>,
    /// image ID → containers created from it.
    pub by_image: HashMap<Digest, BTreeSet<String>>,
    /// host port → container publishing it while running.
    pub ports: HashMap<u16, String>,
    next_seq: u64,
}

impl ContainerStore {
    /// Adds a new container.
    pub fn insert(&mut self, c: Container) {
        self.next_seq += 1;
        self.order.insert(self.next_seq, c.id.clone());
        self.seq_of.insert(c.id.clone(), self.next_seq);
        self.names.insert(c.name.clone(), c.id.clone());
        self.by_image
            .entry(c.image.clone())
            .or_default()
            .insert(c.id.clone());
        self.by_id.insert(c.id.clone(), c);
    }

    /// Removes a container and every index entry for it.
    pub fn remove(&mut self, id: &str) -> Option<Container> {
        let c = self.by_id.remove(id)?;
        self.names.remove(&c.name);
        if let Some(seq) = self.seq_of.remove(id) {
            self.order.remove(&seq);
        }
        if let Some(set) = self.by_image.get_mut(&c.image) {
            set.remove(id);
            if set.is_empty() {
                self.by_image.remove(&c.image);
            }
        }
        self.release_ports(&c);
        Some(c)
    }

    /// Frees the host ports `c` holds (only those it holds: another container may have the port now).
    pub fn release_ports(&mut self, c: &Container) {
        for p in &c.ports {
            if self
                .ports
                .get(&p.host_port)
                .is_some_and(|holder| *holder == c.id)
            {
                self.ports.remove(&p.host_port);
            }
        }
    }

    /// Frees the host ports of container `id`, if it has any.
    pub fn release_ports_of(&mut self, id: &str) {
        let Some(c) = self.by_id.get(id) else { return };
        if c.ports.is_empty() {
            return;
        }
        let ports: Vec<u16> = c.ports.iter().map(|p| p.host_port).collect();
        for port in ports {
            if self.ports.get(&port).is_some_and(|holder| holder == id) {
                self.ports.remove(&port);
            }
        }
    }

    /// Resolves a container argument as the daemon does: full ID, then exact name, then unique ID prefix.
    pub fn resolve(&self, input: &str) -> Result<String, ResolveError> {
        if input.is_empty() {
            return Err(ResolveError::NotFound);
        }
        if self.by_id.contains_key(input) {
            return Ok(input.to_string());
        }
        let name = input.strip_prefix('/').unwrap_or(input);
        if let Some(id) = self.names.get(name) {
            return Ok(id.clone());
        }
        let mut hits = self
            .by_id
            .range(input.to_string()..)
            .take_while(|(k, _)| k.starts_with(input));
        match (hits.next(), hits.next()) {
            (Some((id, _)), None) => Ok(id.clone()),
            (Some(_), Some(_)) => Err(ResolveError::Ambiguous),
            _ => Err(ResolveError::NotFound),
        }
    }

    /// Containers newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &Container> {
        self.order
            .values()
            .rev()
            .filter_map(|id| self.by_id.get(id))
    }
}

/// Why a container argument did not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveError {
    NotFound,
    Ambiguous,
}

/// A step result remembered by the build cache.
#[derive(Clone, Debug)]
pub struct CachedStep {
    pub state: Arc<Image>,
}

/// One Docker host.
#[derive(Clone, Debug, Default)]
pub struct Machine {
    pub name: String,
    pub images: ImageStore,
    pub containers: ContainerStore,
    /// registry host → username logged in.
    pub logins: BTreeMap<String, String>,
    /// The build contexts: path relative to the working folder → bytes.
    pub files: Files,
    /// Build cache: step key → resulting state.
    pub build_cache: HashMap<Digest, CachedStep>,
    /// Base images BuildKit pulled into its own cache (not listed by `docker images`): manifest digest → image.
    pub base_cache: HashMap<Digest, Arc<Image>>,
    /// What the daemon remembers of where each layer is known to be (diff ID → (registry, repository)):
    /// the reason a push can say "Mounted from library/node".
    pub layer_sources: HashMap<Digest, BTreeSet<(String, String)>>,
    /// Seeds the name generator and container IDs.
    pub counter: u64,
}

impl Machine {
    /// An empty machine.
    pub fn new(name: &str) -> Machine {
        Machine {
            name: name.to_string(),
            ..Machine::default()
        }
    }

    /// Adds a container; it holds its image's layers (they outlive an `rmi -f` of the image).
    pub fn add_container(&mut self, c: Container) {
        for chain in &c.image_data.chains {
            if let Some(l) = self.images.layers.get_mut(chain) {
                l.refs += 1;
            }
        }
        self.containers.insert(c);
    }

    /// Removes a container and releases its hold on the image's layers.
    pub fn remove_container(&mut self, id: &str) -> Option<Container> {
        let c = self.containers.remove(id)?;
        for chain in &c.image_data.chains {
            if let Some(l) = self.images.layers.get_mut(chain) {
                l.refs = l.refs.saturating_sub(1);
                if l.refs == 0 {
                    self.images.layers.remove(chain);
                }
            }
        }
        Some(c)
    }

    /// Remembers that `layers` are available in `repo` of `registry`.
    pub fn remember_sources(&mut self, registry: &str, repo: &str, layers: &[Layer]) {
        for l in layers {
            self.layer_sources
                .entry(l.diff_id.clone())
                .or_default()
                .insert((registry.to_string(), repo.to_string()));
        }
    }
}
