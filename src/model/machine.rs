//! A machine: one Docker host with its own image store, containers, logins, build cache and files.
//! Everything here is indexed so that a command costs a hash or tree lookup, never a scan of all images or
//! containers (listing commands excepted: their output is the scan).

use crate::digest::Digest;
use crate::model::container::{Cmdline, Container, ContainerId, IdKey, State};
use crate::model::image::{Image, Layer};
use crate::reference::{DigestRef, ImageArg, ImageRef, RepoName, StoredRef, TagKey, TagRef};

use imbl::{OrdMap, OrdSet};
use std::ops::Bound;
use std::sync::Arc;

/// A stored image and the references that name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredImage {
    pub image: Arc<Image>,
    /// Tags (`docker.io/library/node:20`) naming this image.
    pub tags: OrdSet<TagRef>,
    /// Digest references (`docker.io/library/node@sha256:…`) naming this image.
    pub digests: OrdSet<DigestRef>,
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

    /// Every reference, tags and digests mixed, in the daemon's sorted order of their full strings.
    pub fn refs(&self) -> Vec<StoredRef> {
        let mut refs: Vec<StoredRef> = self
            .tags
            .iter()
            .cloned()
            .map(StoredRef::Tag)
            .chain(self.digests.iter().cloned().map(StoredRef::Digest))
            .collect();
        refs.sort_by_cached_key(|r| r.to_string());
        refs
    }

    /// Does a tag of repository `repo` still name this image? (A range of the ordered set, not a scan.)
    pub fn tagged_in(&self, repo: &RepoName) -> bool {
        let start: &dyn TagKey = &(repo.as_str(), "");
        self.tags
            .range::<_, dyn TagKey>((Bound::Included(start), Bound::Unbounded))
            .next()
            .is_some_and(|t| t.repo == *repo)
    }

    /// The image's digest references in repository `repo`.
    /// (An image has one digest reference per repository it travelled through: few.)
    pub fn digests_in<'a>(&'a self, repo: &'a RepoName) -> impl Iterator<Item = &'a DigestRef> {
        self.digests.iter().filter(move |d| d.repo == *repo)
    }

    /// The familiar tags (`node:20`), in the order of their full names (as the daemon lists them).
    pub fn tag_names(&self) -> Vec<String> {
        sorted_familiar(self.tags.iter(), TagRef::familiar)
    }

    /// The familiar digest references, in the order of their full names.
    pub fn digest_names(&self) -> Vec<String> {
        sorted_familiar(self.digests.iter(), DigestRef::familiar)
    }
}

/// Familiar forms, in the order of the full names.
fn sorted_familiar<'a, R: std::fmt::Display + 'a>(
    refs: impl Iterator<Item = &'a R>,
    familiar: impl Fn(&R) -> String,
) -> Vec<String> {
    let mut v: Vec<(String, String)> = refs.map(|r| (r.to_string(), familiar(r))).collect();
    v.sort();
    v.into_iter().map(|(_, f)| f).collect()
}

/// A layer held by the local layer store and how many images use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLayer {
    pub layer: Layer,
    pub refs: u32,
}

/// The local image store (classic graphdriver store).
#[derive(Clone, Debug, Default)]
pub struct ImageStore {
    pub images: OrdMap<Digest, StoredImage>,
    /// Tag reference → image ID.
    pub tags: OrdMap<TagRef, Digest>,
    /// Digest reference → image ID.
    pub digest_refs: OrdMap<DigestRef, Digest>,
    /// Chain ID → layer.
    pub layers: OrdMap<Digest, StoredLayer>,
    /// (created, id): `docker images` lists newest first.
    pub by_created: OrdSet<(u64, Digest)>,
    /// Images no tag names but a digest reference does (`docker images REF` lists them under their
    /// digests' repositories): kept in step by every change of a tag or digest reference.
    digest_only: OrdSet<Digest>,
    /// The tag set last: the next one in the same repository, or with the same tag text (`:1`, `:latest`),
    /// shares its text instead of keeping a copy (300,000 tags `NAME:1` keep one `1`).
    last_tag: Option<TagRef>,
}

/// Named by digest references only (see [`ImageStore::digest_only`]).
fn digest_only(s: &StoredImage) -> bool {
    s.tags.is_empty() && !s.digests.is_empty()
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
                tags: OrdSet::new(),
                digests: OrdSet::new(),
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

    /// Points tag `tag` at `id`, returning the image it was taken from, if any.
    pub fn set_tag(&mut self, tag: &TagRef, id: &Digest, now: u64) -> Option<Digest> {
        let tag = &self.shared_text(tag);
        let old = self.tags.insert(tag.clone(), id.clone());
        if let Some(old_id) = &old
            && old_id != id
            && let Some(s) = self.images.get_mut(old_id)
        {
            s.tags.remove(tag);
            if digest_only(s) {
                self.digest_only.insert(old_id.clone());
            }
        }
        if let Some(s) = self.images.get_mut(id) {
            let was = digest_only(s);
            s.tags.insert(tag.clone());
            s.last_tag_time = Some(now);
            if was {
                self.digest_only.remove(id);
            }
        }
        old.filter(|o| o != id)
    }

    /// `tag` with the repository and tag text of the last tag set, where they are equal.
    fn shared_text(&mut self, tag: &TagRef) -> TagRef {
        let mut t = tag.clone();
        if let Some(last) = &self.last_tag {
            if last.repo == t.repo {
                t.repo = last.repo.clone();
            }
            if last.tag == t.tag {
                t.tag = last.tag.clone();
            }
        }
        self.last_tag = Some(t.clone());
        t
    }

    /// Runs `change` on image `id`'s entry and keeps `digest_only` in step with what it did.
    fn change_refs(&mut self, id: &Digest, change: impl FnOnce(&mut StoredImage)) {
        let Some(s) = self.images.get_mut(id) else {
            return;
        };
        let was = digest_only(s);
        change(s);
        match (was, digest_only(s)) {
            (false, true) => {
                self.digest_only.insert(id.clone());
            }
            (true, false) => {
                self.digest_only.remove(id);
            }
            _ => {}
        }
    }

    /// The images only digest references name, in ID order.
    pub fn digest_only(&self) -> impl Iterator<Item = &Digest> {
        self.digest_only.iter()
    }

    /// Records a digest reference (`repo@sha256:…`) for `id`, moving it from any other image.
    pub fn set_digest_ref(&mut self, r: &DigestRef, id: &Digest) {
        if let Some(old) = self.digest_refs.insert(r.clone(), id.clone()) {
            self.change_refs(&old, |s| {
                s.digests.remove(r);
            });
        }
        self.change_refs(id, |s| {
            s.digests.insert(r.clone());
        });
    }

    /// Removes a tag; returns the image it named.
    pub fn remove_tag(&mut self, tag: &TagRef) -> Option<Digest> {
        let id = self.tags.remove(tag)?;
        self.change_refs(&id, |s| {
            s.tags.remove(tag);
        });
        Some(id)
    }

    /// Removes a digest reference; returns the image it named.
    pub fn remove_digest_ref(&mut self, r: &DigestRef) -> Option<Digest> {
        let id = self.digest_refs.remove(r)?;
        self.change_refs(&id, |s| {
            s.digests.remove(r);
        });
        Some(id)
    }

    /// Removes a tag or digest reference; returns the image it named.
    pub fn remove_ref(&mut self, r: &StoredRef) -> Option<Digest> {
        match r {
            StoredRef::Tag(t) => self.remove_tag(t),
            StoredRef::Digest(d) => self.remove_digest_ref(d),
        }
    }

    /// Does a tag reference written out (`alpine`, `docker.io/library/alpine:latest`) name an image here?
    pub fn has_tag(&self, reference: &str) -> bool {
        ImageRef::parse(reference)
            .ok()
            .and_then(|r| r.with_default_tag().tag_ref())
            .is_some_and(|t| self.tags.contains_key(&t))
    }

    /// The tags of repository `repo` and the images they name, in tag order (what `push` and `rmi` need
    /// without scanning every tag). `tags` is ordered by repository, then tag, so this is one range of it:
    /// no per-repository index to keep (a set per repository would cost more than its tags).
    pub fn repo_tags<'a>(
        &'a self,
        repo: &'a RepoName,
    ) -> impl Iterator<Item = (&'a TagRef, &'a Digest)> + 'a {
        let start: &dyn TagKey = &(repo.as_str(), "");
        self.tags
            .range::<_, dyn TagKey>((Bound::Included(start), Bound::Unbounded))
            .take_while(move |(t, _)| t.repo == *repo)
    }

    /// The image tag `repo:tag` names.
    pub fn tagged(&self, repo: &RepoName, tag: &str) -> Option<&Digest> {
        self.tags
            .get(&(repo.as_str(), tag) as &dyn crate::reference::TagKey)
    }

    /// Deletes an image with no references left; returns the chain IDs of layers freed, top-most first.
    pub fn delete(&mut self, id: &Digest) -> Vec<Digest> {
        let Some(stored) = self.images.remove(id) else {
            return Vec::new();
        };
        if digest_only(&stored) {
            self.digest_only.remove(id);
        }
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
        match &arg.parsed {
            Ok(r) => self.lookup_keyed(&arg.raw, r, r.default_tag()),
            Err(_) => self.lookup_id(&arg.raw),
        }
    }

    /// `lookup` for a reference already parsed (and given its default tag) from `input`.
    pub fn lookup_parsed(&self, input: &str, r: &ImageRef) -> Option<&StoredImage> {
        self.lookup_keyed(input, r, r.tag())
    }

    /// `lookup` of `r` by its digest, else by `tag`; the tag is asked for as borrowed text, so a lookup
    /// builds no reference.
    fn lookup_keyed(&self, input: &str, r: &ImageRef, tag: Option<&str>) -> Option<&StoredImage> {
        let hit = match r.digest_ref() {
            Some(d) => self.digest_refs.get(&d),
            None => tag.and_then(|t| {
                self.tags
                    .get(&(r.repo().as_str(), t) as &dyn crate::reference::TagKey)
            }),
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

/// The machine's containers, indexed by ID, name, creation order, image and published port. Every index
/// holds the container's [`IdKey`] (a number, copied and compared in place), never a pointer to its ID: the
/// first change after a clone copies a path of each index it touches, and a node of numbers copies without
/// reaching into memory of containers the command does not concern.
#[derive(Clone, Debug, Default)]
pub struct ContainerStore {
    by_id: OrdMap<IdKey, Arc<Container>>,
    /// A name's hash → the container with that name: a number, like every other index entry, where the
    /// name itself would be a pointer to follow on each comparison and a count to change on each copy.
    names: OrdMap<u64, IdKey>,
    /// The rare name whose hash another container's name already holds, by the name itself.
    clashing_names: OrdMap<Arc<str>, IdKey>,
    /// creation sequence → container (`ps -a` lists newest first); each container holds its own number.
    order: OrdMap<u64, IdKey>,
    /// image ID → containers created from it.
    by_image: OrdMap<Digest, OrdSet<IdKey>>,
    /// host port → container publishing it while running.
    ports: OrdMap<u16, IdKey>,
    /// creation sequence → the running (or paused) containers: `docker ps` lists only these, so its cost
    /// follows its output, not the stopped containers.
    running: OrdMap<u64, IdKey>,
    /// image ID → its running (or paused) containers: what decides an `rmi` conflict without a scan.
    running_by_image: OrdMap<Digest, OrdSet<IdKey>>,
    next_seq: u64,
    /// The last few distinct image references and command lines containers were created with.
    recent_refs: Recent<ImageArg>,
    recent_cmdlines: Recent<Cmdline>,
}

/// The last few distinct values new containers brought (image references, command lines): the next
/// container shares an equal one instead of keeping its own copy. A few, not only the last one, because a
/// script alternates (`run -d … sleep`, `create`, `run --rm … true`), and no lookup in the store is needed.
#[derive(Clone, Debug)]
struct Recent<T>([Option<Arc<T>>; 4]);

impl<T> Default for Recent<T> {
    fn default() -> Recent<T> {
        Recent([None, None, None, None])
    }
}

impl<T: PartialEq> Recent<T> {
    /// The recent value `matches` accepts.
    fn find(&self, matches: impl Fn(&T) -> bool) -> Option<Arc<T>> {
        self.0.iter().flatten().find(|v| matches(v)).cloned()
    }

    /// Points `value` to the recent copy equal to it, or remembers it as the newest (forgetting the oldest).
    fn share(&mut self, value: &mut Arc<T>) {
        if let Some(v) = self.0.iter().flatten().find(|v| **v == *value) {
            *value = v.clone();
            return;
        }
        self.0.rotate_right(1);
        self.0[0] = Some(value.clone());
    }
}

impl ContainerStore {
    /// Adds a new container. Its image reference and command line become those of a recent container
    /// when they are equal, so containers created alike share one copy (a script that runs `alpine sleep
    /// 1000` 100,000 times keeps one of each). Its ID comes from [`crate::model::world::World::new_shared_id`]
    /// (hex, its key free); an ID that is not is refused, and `false` returned.
    pub fn insert(&mut self, mut c: Container) -> bool {
        let Some(key) = IdKey::of(&c.id).filter(|k| !self.by_id.contains_key(k)) else {
            return false;
        };
        self.recent_refs.share(&mut c.image_ref);
        self.recent_cmdlines.share(&mut c.cmdline);
        self.next_seq += 1;
        c.seq = self.next_seq;
        self.order.insert(self.next_seq, key);
        self.index_name(name_hash(&c.name), &c.name, key);
        self.by_image
            .entry(c.image.clone())
            .or_default()
            .insert(key);
        let running = c.is_running();
        let (image, seq) = (c.image.clone(), c.seq);
        self.by_id.insert(key, Arc::new(c));
        if running {
            self.index_running(key, &image, seq, true);
        }
        true
    }

    /// Whether an ID with the key of `id` is held (a new ID must not share one).
    pub fn key_taken(&self, id: &str) -> bool {
        IdKey::of(id).is_some_and(|k| self.by_id.contains_key(&k))
    }

    /// The command line `argv` for a new container: a recent container's copy when it is the same
    /// (nothing is allocated then), else a new one.
    pub fn cmdline_for(&self, argv: &[String]) -> Arc<Cmdline> {
        self.recent_cmdlines
            .find(|c| c.is_argv(argv))
            .unwrap_or_else(|| Arc::new(Cmdline::from_argv(argv)))
    }

    /// The image reference `arg` for a new container: a recent container's copy when it is the same.
    pub fn image_ref_for(&self, arg: &ImageArg) -> Arc<ImageArg> {
        self.recent_refs
            .find(|r| r == arg)
            .unwrap_or_else(|| Arc::new(arg.clone()))
    }

    /// The container with ID `id` (all 64 digits).
    pub fn get(&self, id: &str) -> Option<&Container> {
        let key = IdKey::to_find(id)?;
        self.by_key(key).filter(|c| *c.id == *id)
    }

    /// The container with ID `id` as the store shares it (a report that keeps it costs a count).
    pub fn get_shared(&self, id: &str) -> Option<&Arc<Container>> {
        self.by_id
            .get(&IdKey::to_find(id)?)
            .filter(|c| *c.id == *id)
    }

    /// The container an index entry names.
    pub fn by_key(&self, key: IdKey) -> Option<&Container> {
        self.by_id.get(&key).map(|c| &**c)
    }

    /// The container with ID `id`, to change (copied first if an earlier world still shares it). Its
    /// state changes through [`ContainerStore::set_state`], which keeps the running index in step.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Container> {
        let key = IdKey::to_find(id)?;
        self.by_id
            .get_mut(&key)
            .filter(|c| *c.id == *id)
            .map(Arc::make_mut)
    }

    /// Every container, in ID order.
    pub fn all(&self) -> impl Iterator<Item = &Container> {
        self.by_id.values().map(|c| &**c)
    }

    /// How many containers there are.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The containers that differ between `self` (before) and `after`, as (before, after), in ID order;
    /// the diff of two persistent maps skips what they share.
    pub fn changed<'a>(
        &'a self,
        after: &'a ContainerStore,
    ) -> impl Iterator<Item = (Option<&'a Container>, Option<&'a Container>)> {
        self.by_id.diff(&after.by_id).map(|d| match d {
            imbl::ordmap::DiffItem::Add(_, c) => (None, Some(&**c)),
            imbl::ordmap::DiffItem::Remove(_, c) => (Some(&**c), None),
            imbl::ordmap::DiffItem::Update {
                old: (_, x),
                new: (_, y),
            } => (Some(&**x), Some(&**y)),
        })
    }

    /// The container named `name` (without the leading `/`).
    pub fn named(&self, name: &str) -> Option<&Container> {
        self.named_with(name_hash(name), name)
    }

    fn named_with(&self, hash: u64, name: &str) -> Option<&Container> {
        let by_hash = self.names.get(&hash).and_then(|k| self.by_key(*k));
        match by_hash.filter(|c| *c.name == *name) {
            Some(c) => Some(c),
            None if self.clashing_names.is_empty() => None,
            None => self.by_key(*self.clashing_names.get(name)?),
        }
    }

    /// Whether a container is named `name`.
    pub fn name_taken(&self, name: &str) -> bool {
        self.named(name).is_some()
    }

    /// Indexes `name` (which no container holds) for the container with key `key`.
    fn index_name(&mut self, hash: u64, name: &Arc<str>, key: IdKey) {
        if self.names.contains_key(&hash) {
            self.clashing_names.insert(name.clone(), key);
        } else {
            self.names.insert(hash, key);
        }
    }

    /// Forgets that the container with key `key` is named `name`.
    fn unindex_name(&mut self, hash: u64, name: &str, key: IdKey) {
        if self.names.get(&hash) == Some(&key) {
            self.names.remove(&hash);
        } else {
            self.clashing_names.remove(name);
        }
    }

    /// Renames container `id` to `new` (a name no other container holds: the caller checks).
    pub fn rename(&mut self, id: &str, new: &str) {
        let Some(key) = IdKey::to_find(id) else {
            return;
        };
        let Some(c) = self.get_mut(id) else { return };
        let new: Arc<str> = new.into();
        let old = std::mem::replace(&mut c.name, new.clone());
        self.unindex_name(name_hash(&old), &old, key);
        self.index_name(name_hash(&new), &new, key);
    }

    /// The container holding host port `port`.
    pub fn port_holder(&self, port: u16) -> Option<&Container> {
        self.by_key(*self.ports.get(&port)?)
    }

    /// Container `id` now holds host port `port`.
    pub fn hold_port(&mut self, port: u16, id: &str) {
        if let Some(key) = IdKey::of(id) {
            self.ports.insert(port, key);
        }
    }

    /// How many containers were created from image `image`.
    pub fn users_of(&self, image: &Digest) -> usize {
        self.by_image.get(image).map_or(0, |s| s.len())
    }

    /// Changes a container's state, keeping the running index in step; returns the state it left.
    pub fn set_state(&mut self, id: &str, state: State) -> Option<State> {
        let key = IdKey::to_find(id)?;
        let c = Arc::make_mut(self.by_id.get_mut(&key).filter(|c| *c.id == *id)?);
        let was = c.is_running();
        let old = std::mem::replace(&mut c.state, state);
        let is = c.is_running();
        if was != is {
            let (image, seq) = (c.image.clone(), c.seq);
            self.index_running(key, &image, seq, is);
        }
        Some(old)
    }

    /// The creation sequence number of container `id`.
    pub fn seq_of(&self, id: &str) -> Option<u64> {
        self.get(id).map(|c| c.seq)
    }

    fn index_running(&mut self, key: IdKey, image: &Digest, seq: u64, running: bool) {
        if running {
            self.running.insert(seq, key);
            self.running_by_image
                .entry(image.clone())
                .or_default()
                .insert(key);
        } else {
            self.running.remove(&seq);
            if let Some(set) = self.running_by_image.get_mut(image) {
                set.remove(&key);
                if set.is_empty() {
                    self.running_by_image.remove(image);
                }
            }
        }
    }

    /// Removes a container and every index entry for it.
    pub fn remove(&mut self, id: &str) -> Option<Container> {
        let key = IdKey::to_find(id)?;
        let c = self.by_key(key).filter(|c| *c.id == *id)?;
        if c.is_running() {
            let (image, seq) = (c.image.clone(), c.seq);
            self.index_running(key, &image, seq, false);
        }
        let c = Arc::unwrap_or_clone(self.by_id.remove(&key)?);
        self.unindex_name(name_hash(&c.name), &c.name, key);
        self.order.remove(&c.seq);
        if let Some(set) = self.by_image.get_mut(&c.image) {
            set.remove(&key);
            if set.is_empty() {
                self.by_image.remove(&c.image);
            }
        }
        self.release_ports(&c);
        Some(c)
    }

    /// Frees the host ports `c` holds (only those it holds: another container may have the port now).
    pub fn release_ports(&mut self, c: &Container) {
        if let Some(key) = IdKey::to_find(&c.id) {
            self.release(key, c.ports().iter().map(|p| p.host_port));
        }
    }

    /// Frees the host ports of container `id`, if it has any.
    pub fn release_ports_of(&mut self, id: &str) {
        let Some(c) = self.get(id).filter(|c| !c.ports().is_empty()) else {
            return;
        };
        let ports: Vec<u16> = c.ports().iter().map(|p| p.host_port).collect();
        if let Some(key) = IdKey::to_find(id) {
            self.release(key, ports);
        }
    }

    fn release(&mut self, key: IdKey, ports: impl IntoIterator<Item = u16>) {
        for port in ports {
            if self.ports.get(&port) == Some(&key) {
                self.ports.remove(&port);
            }
        }
    }

    /// Resolves a container argument as the daemon does: full ID, then exact name, then unique ID prefix.
    pub fn resolve(&self, input: &str) -> Result<ContainerId, ResolveError> {
        if input.is_empty() {
            return Err(ResolveError::NotFound);
        }
        if let Some(c) = self.get(input) {
            return Ok(c.id.clone());
        }
        let name = input.strip_prefix('/').unwrap_or(input);
        if let Some(c) = self.named(name) {
            return Ok(c.id.clone());
        }
        if input.len() > 16 {
            // Longer than a key: at most the one container with the prefix's key can match.
            return IdKey::of(input)
                .and_then(|k| self.by_key(k))
                .filter(|c| c.id.starts_with(input))
                .map(|c| c.id.clone())
                .ok_or(ResolveError::NotFound);
        }
        let Some((low, high)) = IdKey::prefix_range(input) else {
            return Err(ResolveError::NotFound);
        };
        let mut hits = self.by_id.range(low..=high);
        match (hits.next(), hits.next()) {
            (Some((_, c)), None) => Ok(c.id.clone()),
            (Some(_), Some(_)) => Err(ResolveError::Ambiguous),
            _ => Err(ResolveError::NotFound),
        }
    }

    /// Containers newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &Container> {
        self.order.values().rev().filter_map(|k| self.by_key(*k))
    }

    /// Running (and paused) containers newest first, without walking the stopped ones.
    pub fn running_newest_first(&self) -> impl Iterator<Item = &Container> {
        self.running.values().rev().filter_map(|k| self.by_key(*k))
    }

    /// The first container (by ID) created from image `id`, if any.
    pub fn first_user(&self, image: &Digest) -> Option<&str> {
        let key = self.by_image.get(image)?.get_min()?;
        self.by_key(*key).map(|c| &*c.id)
    }

    /// Checks that every index agrees with the containers (the property tests call it after each step):
    /// each container under its own key, named, ordered and indexed by image once, the running ones
    /// (and only those) in the running indexes, and every port holder stored.
    pub fn check_indexes(&self) -> Result<(), String> {
        let mut running = 0;
        for (key, c) in &self.by_id {
            let name = &c.name;
            if IdKey::of(&c.id) != Some(*key) {
                return Err(format!("container {name} is stored under another ID's key"));
            }
            let is_named = self
                .named(name)
                .is_some_and(|n| IdKey::of(&n.id) == Some(*key));
            if !is_named || self.order.get(&c.seq) != Some(key) {
                return Err(format!(
                    "container {name} is missing from the name or creation index"
                ));
            }
            if !self.by_image.get(&c.image).is_some_and(|s| s.contains(key)) {
                return Err(format!(
                    "container {name} is missing from its image's index"
                ));
            }
            let indexed = self.running.get(&c.seq) == Some(key)
                && self
                    .running_by_image
                    .get(&c.image)
                    .is_some_and(|s| s.contains(key));
            if indexed != c.is_running() {
                return Err(format!("the running index is wrong about container {name}"));
            }
            running += usize::from(indexed);
        }
        let by_image: usize = self.by_image.values().map(|s| s.len()).sum();
        let running_by_image: usize = self.running_by_image.values().map(|s| s.len()).sum();
        if self.names.len() + self.clashing_names.len() != self.len()
            || self.order.len() != self.len()
            || by_image != self.len()
            || self.running.len() != running
            || running_by_image != running
        {
            return Err("an index holds a container that is not stored".to_string());
        }
        match self
            .ports
            .iter()
            .find(|(_, k)| !self.by_id.contains_key(*k))
        {
            Some((port, _)) => Err(format!(
                "port {port} is held by a container that is not stored"
            )),
            None => Ok(()),
        }
    }

    /// The first running (or paused) container (by ID) created from image `id`, if any.
    pub fn first_running_user(&self, image: &Digest) -> Option<&str> {
        let key = self.running_by_image.get(image)?.get_min()?;
        self.by_key(*key).map(|c| &*c.id)
    }
}

/// The hash a container's name is indexed by (FNV-1a: names are short, and a clash only costs a second map).
fn name_hash(name: &str) -> u64 {
    super::fnv1a(name)
}

/// `containers[id]`: the container with ID `id`, for an ID the caller has just resolved (a missing one is a
/// fault of the engine, not of what the learner typed).
impl std::ops::Index<&str> for ContainerStore {
    type Output = Container;
    fn index(&self, id: &str) -> &Container {
        match self.get(id) {
            Some(c) => c,
            None => panic!("no container {id} in the store"),
        }
    }
}

impl std::ops::Index<&ContainerId> for ContainerStore {
    type Output = Container;
    fn index(&self, id: &ContainerId) -> &Container {
        &self[&**id]
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

shared_text! {
    /// A machine's name as its timers share it (one per running process that ends by itself).
    MachineName
}

/// One Docker host.
#[derive(Clone, Debug, Default)]
pub struct Machine {
    /// Shared with every timer of its processes.
    pub name: MachineName,
    pub images: ImageStore,
    pub containers: ContainerStore,
    /// registry host → username logged in.
    pub logins: OrdMap<String, String>,
    /// The build contexts: path relative to the working folder → bytes.
    pub files: crate::model::folder::Folder,
    /// Build cache: step key → resulting state.
    pub build_cache: OrdMap<Digest, CachedStep>,
    /// Base images BuildKit pulled into its own cache (not listed by `docker images`): manifest digest → image.
    pub base_cache: OrdMap<Digest, Arc<Image>>,
    /// What the daemon remembers of where each layer is known to be (diff ID → (registry, repository)):
    /// the reason a push can say "Mounted from library/node".
    pub layer_sources: OrdMap<Digest, OrdSet<(String, String)>>,
    /// Seeds the name generator and container IDs.
    pub counter: u64,
    /// The CPU platform its daemon runs on (`linux/amd64` unless a scenario or `machine` says otherwise).
    pub platform: super::platform::Platform,
    /// Local volumes by name.
    pub volumes: OrdMap<String, crate::model::objects::Volume>,
    /// Volume name → IDs of the containers that mount it.
    pub volume_users: OrdMap<String, OrdSet<String>>,
    /// User-defined networks by name.
    pub networks: OrdMap<String, crate::model::objects::Network>,
    /// Container ID → what it wrote over its image (only containers that changed something).
    pub container_fs: OrdMap<String, crate::model::objects::ContainerFs>,
    /// `docker buildx create` instances by name (the engine's own `default` builder is not one).
    pub builders: OrdMap<String, crate::model::builder::Builder>,
    /// The builder `docker build` uses (`buildx use` / `create --use`); `None`: the engine's `default`.
    pub current_builder: Option<String>,
    /// The CLI's local manifest lists (`docker manifest create`), by full reference.
    pub manifest_lists: OrdMap<String, Vec<crate::model::manifest_list::ListMember>>,
    /// Network name → container ID → host number, for the containers `docker network connect` attached.
    pub network_members: OrdMap<String, crate::model::objects::Members>,
    /// Volume name → the files containers wrote into it (keys relative to its root).
    pub volume_files: OrdMap<String, crate::model::folder::Folder>,
    /// Empty folders of the working folder (keys as in `files`): what `-v ./dir:/x` makes of a missing dir.
    pub host_folders: OrdSet<String>,
}

impl Machine {
    /// An empty machine.
    pub fn new(name: &str) -> Machine {
        Machine {
            name: name.into(),
            ..Machine::default()
        }
    }

    /// Adds a container (one whose ID the store takes: see [`ContainerStore::insert`]); it holds its
    /// image's layers (they outlive an `rmi -f` of the image).
    pub fn add_container(&mut self, c: Container) {
        let image = c.image_data.clone();
        if !self.containers.insert(c) {
            return;
        }
        for chain in &image.chains {
            if let Some(l) = self.images.layers.get_mut(chain) {
                l.refs += 1;
            }
        }
    }

    /// Removes a container and releases its hold on the image's layers.
    pub fn remove_container(&mut self, id: &str) -> Option<Container> {
        let c = self.containers.remove(id)?;
        for network in c.networks.keys() {
            if let Some(members) = self.network_members.get_mut(network) {
                members.release(id);
            }
        }
        if let Some(fs) = self.container_fs.remove(id) {
            for (volume, _) in &fs.mounts {
                if let Some(users) = self.volume_users.get_mut(volume) {
                    users.remove(id);
                }
            }
        }
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
    ///
    /// Asks first, without allocating: a push or pull of a repository the layers are already known in (the
    /// common case) changes nothing.
    pub fn remember_sources(&mut self, registry: &str, repo: &str, layers: &[Layer]) {
        let key: &dyn TagKey = &(registry, repo);
        for l in layers {
            if self
                .layer_sources
                .get(&l.diff_id)
                .is_some_and(|known| known.contains(key))
            {
                continue;
            }
            self.layer_sources
                .entry(l.diff_id.clone())
                .or_default()
                .insert((registry.to_string(), repo.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image::ImageConfig;

    /// Container IDs as the world makes them: 64 hex digits.
    const A1: &str = "a100000000000000000000000000000000000000000000000000000000000000";
    const B2: &str = "b200000000000000000000000000000000000000000000000000000000000000";
    const C3: &str = "c300000000000000000000000000000000000000000000000000000000000000";
    const D4: &str = "d400000000000000000000000000000000000000000000000000000000000000";

    fn container(id: &str, image: &Arc<Image>) -> Container {
        Container {
            id: id.into(),
            name: format!("n-{id}").into(),
            image: image.id.clone(),
            image_data: image.clone(),
            image_ref: Arc::new(crate::reference::ImageArg::new("img")),
            cmdline: Arc::new(crate::model::container::Cmdline {
                path: "sleep".into(),
                args: Box::default(),
            }),
            created: 0,
            state: State::Created,
            auto_remove: false,
            interactive: false,
            tty: false,
            logs: vec![],
            seq: 0,
            registry: None,
            networks: Default::default(),
            rare: Default::default(),
        }
    }

    fn running() -> State {
        State::Running {
            started: 1,
            ends_at: None,
            end_code: 0,
            on_term: crate::model::container::OnTerm::Ignore,
        }
    }

    fn ids<'a>(it: impl Iterator<Item = &'a Container>) -> Vec<&'a str> {
        it.map(|c| &*c.id).collect()
    }

    /// The daemon's order: full ID, then name, then a unique ID prefix (of any length, the key's 16
    /// digits or more).
    #[test]
    fn a_container_resolves_by_id_name_or_unique_prefix() {
        let image = image(0);
        let mut store = ContainerStore::default();
        let (a, b) = (
            "abcdef0123456789aa00000000000000000000000000000000000000000000000",
            "abcdef0123456780bb00000000000000000000000000000000000000000000000",
        );
        let (a, b) = (&a[..64], &b[..64]);
        assert!(store.insert(container(a, &image)));
        assert!(store.insert(container(b, &image)));
        assert!(
            !store.insert(container(a, &image)),
            "a taken key is refused"
        );
        assert!(!store.insert(container("web", &image)), "not an ID");
        let resolved = |input: &str| store.resolve(input).map(|id| id.to_string());
        assert_eq!(resolved(a), Ok(a.to_string()));
        assert_eq!(resolved(&format!("n-{b}")), Ok(b.to_string()), "by name");
        assert_eq!(resolved("abcdef012345678"), Err(ResolveError::Ambiguous));
        assert_eq!(resolved("abcdef0123456789"), Ok(a.to_string()));
        assert_eq!(resolved("abcdef0123456789aa0"), Ok(a.to_string()));
        assert_eq!(resolved("abcdef0123456789ab"), Err(ResolveError::NotFound));
        assert_eq!(
            resolved("ABCDEF"),
            Err(ResolveError::NotFound),
            "IDs are lowercase"
        );
        assert_eq!(resolved("web"), Err(ResolveError::NotFound));
        assert_eq!(resolved(""), Err(ResolveError::NotFound));
        assert!(store.get(&a[..63]).is_none(), "get wants the whole ID");
        assert!(store.check_indexes().is_ok());
    }

    /// Names are indexed by hash; a second name with a taken hash is found, and forgotten, by itself.
    #[test]
    fn a_name_whose_hash_is_taken_is_still_found() {
        let image = image(0);
        let mut store = ContainerStore::default();
        store.insert(container(A1, &image));
        store.insert(container(B2, &image));
        let (Some(a), Some(b)) = (IdKey::of(A1), IdKey::of(B2)) else {
            panic!("IDs have keys");
        };
        let (name_a, name_b): (Arc<str>, Arc<str>) =
            (format!("n-{A1}").into(), format!("n-{B2}").into());
        // Index B as if its name hashed as A's does.
        let clash = name_hash(&name_a);
        store.unindex_name(name_hash(&name_b), &name_b, b);
        store.index_name(clash, &name_b, b);
        assert_eq!(store.clashing_names.len(), 1);
        let id = |c: Option<&Container>| c.map(|c| c.id.to_string());
        assert_eq!(id(store.named_with(clash, &name_a)), Some(A1.to_string()));
        assert_eq!(id(store.named_with(clash, &name_b)), Some(B2.to_string()));
        store.unindex_name(clash, &name_a, a);
        assert_eq!(id(store.named_with(clash, &name_a)), None);
        assert_eq!(id(store.named_with(clash, &name_b)), Some(B2.to_string()));
        store.unindex_name(clash, &name_b, b);
        assert_eq!(id(store.named_with(clash, &name_b)), None);
        assert!(store.clashing_names.is_empty() && store.names.is_empty());
    }

    #[test]
    fn the_running_index_follows_every_state_change() {
        let image = Arc::new(Image::new(
            ImageConfig::default(),
            vec![],
            vec![],
            0,
            Arc::default(),
            Arc::default(),
        ));
        let mut store = ContainerStore::default();
        for id in [A1, B2, C3] {
            store.insert(container(id, &image));
        }
        assert!(ids(store.running_newest_first()).is_empty());
        assert_eq!(store.first_running_user(&image.id), None);
        assert_eq!(store.first_user(&image.id), Some(A1));

        store.set_state(A1, running());
        store.set_state(C3, running());
        assert_eq!(ids(store.running_newest_first()), [C3, A1]);
        assert_eq!(store.first_running_user(&image.id), Some(A1));

        // Paused still counts as running (ps lists it); exited does not.
        store.set_state(A1, State::Paused { started: 1 });
        store.set_state(
            C3,
            State::Exited {
                code: 0,
                started: 1,
                finished: 2,
            },
        );
        assert_eq!(ids(store.running_newest_first()), [A1]);

        store.remove(A1);
        assert!(ids(store.running_newest_first()).is_empty());
        assert_eq!(store.first_running_user(&image.id), None);
        assert_eq!(store.first_user(&image.id), Some(B2));
    }

    fn image(created: u64) -> Arc<Image> {
        Arc::new(Image::new(
            ImageConfig::default(),
            vec![],
            vec![],
            created,
            Arc::default(),
            Arc::default(),
        ))
    }

    /// What the digest-only index must equal: a scan of every image.
    fn scanned(store: &ImageStore) -> Vec<Digest> {
        store
            .images
            .iter()
            .filter(|(_, s)| s.tags.is_empty() && !s.digests.is_empty())
            .map(|(id, _)| id.clone())
            .collect()
    }

    #[test]
    fn the_digest_only_index_follows_every_tag_and_digest_change() {
        let (a, b) = (image(1), image(2));
        let mut store = ImageStore::default();
        store.insert(a.clone());
        store.insert(b.clone());
        let repo = RepoName::new("docker.io/library/app");
        let tag = TagRef::new(repo.clone(), "1");
        let digest = DigestRef {
            repo: repo.clone(),
            digest: Digest::of(b"manifest"),
        };
        let check = |store: &ImageStore, want: &[&Digest]| {
            let indexed: Vec<Digest> = store.digest_only().cloned().collect();
            assert_eq!(indexed, scanned(store));
            let mut want: Vec<Digest> = want.iter().map(|d| (*d).clone()).collect();
            want.sort();
            assert_eq!(indexed, want);
        };
        check(&store, &[]);
        store.set_digest_ref(&digest, &a.id);
        check(&store, &[&a.id]);
        store.set_tag(&tag, &a.id, 5);
        check(&store, &[]);
        // The tag moves to b: a keeps only its digest reference.
        store.set_tag(&tag, &b.id, 6);
        check(&store, &[&a.id]);
        // The digest reference moves to b, which has a tag: nothing is digest-only.
        store.set_digest_ref(&digest, &b.id);
        check(&store, &[]);
        store.remove_tag(&tag);
        check(&store, &[&b.id]);
        store.remove_digest_ref(&digest);
        check(&store, &[]);
        store.set_digest_ref(&digest, &b.id);
        check(&store, &[&b.id]);
        store.delete(&b.id);
        check(&store, &[]);
    }

    #[test]
    fn tags_with_the_same_text_or_repository_share_it() {
        let a = image(1);
        let mut store = ImageStore::default();
        store.insert(a.clone());
        let (x, y) = (
            RepoName::new("docker.io/library/x"),
            RepoName::new("docker.io/library/y"),
        );
        for t in [
            TagRef::new(x.clone(), "1"),
            TagRef::new(y.clone(), "1"),
            TagRef::new(y, "2"),
        ] {
            store.set_tag(&t, &a.id, 0);
        }
        let keys: Vec<&TagRef> = store.tags.keys().collect();
        let [x1, y1, y2] = keys[..] else {
            panic!("three tags were set: {keys:?}");
        };
        assert_eq!(
            (x1.to_string(), y2.to_string()),
            (
                "docker.io/library/x:1".into(),
                "docker.io/library/y:2".into()
            )
        );
        assert!(Arc::ptr_eq(&x1.tag, &y1.tag));
        assert_eq!(y1.repo.as_str().as_ptr(), y2.repo.as_str().as_ptr());
        assert!(
            store.images[&a.id]
                .tags
                .iter()
                .all(|t| store.tags.contains_key(t))
        );
    }

    #[test]
    fn a_container_costs_its_id_once_and_shares_an_equal_image_reference() {
        let image = image(0);
        let mut store = ContainerStore::default();
        store.insert(container(A1, &image));
        store.insert(container(B2, &image));
        store.set_state(A1, running());
        let c = store.get(A1).map(|c| c.id.clone());
        let Some(id) = c else {
            panic!("a1 was inserted");
        };
        // The container holds the only copy of its ID: every index names it by its key.
        assert_eq!(id.copies(), 2, "the container's and this one");
        // Both were created as `img sleep`: one parsed reference and one command between them.
        let (Some(a), Some(b)) = (store.get(A1), store.get(B2)) else {
            panic!("both were inserted");
        };
        assert!(Arc::ptr_eq(&a.image_ref, &b.image_ref));
        assert!(Arc::ptr_eq(&a.cmdline, &b.cmdline));
        // A new container's command line is the newest one's when equal, else its own.
        let sleep = store.cmdline_for(&["sleep".to_string()]);
        assert!(Arc::ptr_eq(&sleep, &b.cmdline));
        let other = store.cmdline_for(&["sleep".to_string(), "5".to_string()]);
        assert!(!Arc::ptr_eq(&other, &b.cmdline));
        assert_eq!(
            (&*other.path, &*other.args),
            ("sleep", &["5".to_string()][..])
        );
        assert!(store.cmdline_for(&[]).is_argv(&[]));
        let mut other = container(C3, &image);
        other.image_ref = Arc::new(crate::reference::ImageArg::new("other"));
        store.insert(other);
        assert_eq!(
            store.get(C3).map(|c| c.image_ref.raw.as_str()),
            Some("other")
        );
        // Scripts alternate: the copy before the last one is still shared.
        store.insert(container(D4, &image));
        let (Some(a), Some(d)) = (store.get(A1), store.get(D4)) else {
            panic!("both were inserted");
        };
        assert!(Arc::ptr_eq(&a.image_ref, &d.image_ref));
        let img = store.image_ref_for(&crate::reference::ImageArg::new("img"));
        assert!(Arc::ptr_eq(&img, &a.image_ref));
    }
}
