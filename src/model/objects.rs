//! The daemon's other objects: volumes, networks and what a container changed in its own filesystem.
//! They are kept beside the image and container stores (persistent maps on [`Machine`](super::machine::Machine), like every store)
//! because each is looked up by name or container ID and listed in name order, nothing more.

use crate::model::container::IdKey;
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
    /// New or rewritten files: absolute path → bytes, with their total (a write checks the layer's cap).
    pub files: crate::model::folder::Folder,
    /// Folders the container created (absolute paths).
    pub folders: OrdSet<String>,
    /// (volume name, mount point) pairs from `-v`.
    pub mounts: Vec<(String, String)>,
}

/// Where a mount point's files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSource {
    /// A local volume, by name (`anonymous`: made for this container, 64 hex digits).
    Volume { name: String, anonymous: bool },
    /// A folder of the host, by its absolute path (`-v ./site:/x` is made absolute by the client).
    Bind { path: String },
    /// `--mount type=tmpfs`: an empty folder in memory.
    Tmpfs,
}

/// One mount point of a container (`inspect`'s `Mounts`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountPoint {
    pub source: MountSource,
    /// The absolute path inside the container.
    pub target: String,
    pub read_only: bool,
    /// The mode as the daemon records it (`ro` from `-v a:/b:ro`, empty from `--mount`).
    pub mode: String,
}

/// A container's place on a network it joined with `docker network connect`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The network's ID (64 hex digits), shared by its members' endpoints ([`Members::shared_id`]).
    pub network_id: std::sync::Arc<str>,
    /// `--alias` values, in the order given.
    pub aliases: Box<[String]>,
    /// The second octet of the network's `172.X.0.0/16` subnet and the host number given to the container.
    pub subnet: u8,
    pub host: u16,
}

impl Endpoint {
    /// `172.X.0.N`.
    pub fn address(&self) -> String {
        format!(
            "172.{}.{}.{}",
            self.subnet,
            self.host / 256,
            self.host % 256
        )
    }

    /// The MAC address the bridge driver derives from the address (`02:42:` and its four bytes).
    pub fn mac(&self) -> String {
        format!(
            "02:42:ac:{:02x}:{:02x}:{:02x}",
            self.subnet,
            self.host / 256,
            self.host % 256
        )
    }

    /// The endpoint's ID: 64 hex digits derived from the container and the network (stable per replay).
    pub fn endpoint_id(&self, container: &str) -> String {
        let d = crate::digest::Digest::of_parts(&[
            b"endpoint",
            container.as_bytes(),
            self.network_id.as_bytes(),
        ]);
        d.hex().to_string()
    }
}

/// The containers on one network and the host numbers they hold: the lowest free number is found
/// without a scan (the numbers given back, else the next never handed out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Members {
    /// Container (by its ID's key) → host number.
    pub hosts: OrdMap<IdKey, u16>,
    /// The first number never handed out (`.1` is the gateway, so it starts at 2).
    next: u16,
    /// Numbers handed out and given back, below `next`.
    released: OrdSet<u16>,
    /// The network's ID as the members' endpoints share it.
    network_id: Option<std::sync::Arc<str>>,
    /// The network's name as the members' [`Endpoints`] share it.
    name: Option<std::sync::Arc<str>>,
}

impl Members {
    /// Gives container `id` the lowest free host number (the one it holds, if it holds one); `None` for
    /// what is not a container ID.
    pub fn take(&mut self, id: &str) -> Option<u16> {
        let key = IdKey::of(id)?;
        if let Some(n) = self.hosts.get(&key) {
            return Some(*n);
        }
        let n = match self.released.get_min().copied() {
            Some(n) => {
                self.released.remove(&n);
                n
            }
            None => {
                let n = self.next.max(2);
                self.next = n.saturating_add(1);
                n
            }
        };
        self.hosts.insert(key, n);
        Some(n)
    }

    /// The network ID the members' endpoints share, once one has joined.
    pub fn known_id(&self) -> Option<&std::sync::Arc<str>> {
        self.network_id.as_ref()
    }

    /// The network ID `id` as one copy every member's endpoint points to.
    pub fn shared_id(&mut self, id: &str) -> std::sync::Arc<str> {
        match &self.network_id {
            // The bridge's members pass the shared copy itself: no need to compare 64 digits.
            Some(shared) if std::ptr::eq(&**shared, id) || **shared == *id => shared.clone(),
            _ => {
                let shared: std::sync::Arc<str> = id.into();
                self.network_id = Some(shared.clone());
                shared
            }
        }
    }

    /// The network name `name` as one copy every member's [`Endpoints`] points to.
    pub fn shared_name(&mut self, name: &str) -> std::sync::Arc<str> {
        match &self.name {
            Some(shared) if **shared == *name => shared.clone(),
            _ => {
                let shared: std::sync::Arc<str> = name.into();
                self.name = Some(shared.clone());
                shared
            }
        }
    }

    /// Container `id` leaves: its number is free again.
    pub fn release(&mut self, id: &str) {
        if let Some(n) = IdKey::of(id).and_then(|k| self.hosts.remove(&k)) {
            self.released.insert(n);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }
}

/// A container's endpoints by network name: a sorted list sized exactly, not a persistent map. A container
/// joins a network or two, and a map's first node would cost every running container about a kilobyte.
/// The names are the networks' shared copies ([`Members::shared_name`]), not one per container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints(Box<[(std::sync::Arc<str>, Endpoint)]>);

impl Endpoints {
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| (**n).cmp(name))
    }

    /// The endpoint on network `name`.
    pub fn get(&self, name: &str) -> Option<&Endpoint> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Joins network `name` (replacing an endpoint already there, which it returns).
    pub fn insert(&mut self, name: std::sync::Arc<str>, endpoint: Endpoint) -> Option<Endpoint> {
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, endpoint)),
            Err(_) if self.0.is_empty() => {
                self.0 = Box::new([(name, endpoint)]);
                None
            }
            Err(i) => {
                // Room for exactly what it holds.
                let mut v = Vec::with_capacity(self.0.len() + 1);
                let mut old = std::mem::take(&mut self.0).into_vec().into_iter();
                v.extend(old.by_ref().take(i));
                v.push((name, endpoint));
                v.extend(old);
                self.0 = v.into_boxed_slice();
                None
            }
        }
    }

    /// Leaves network `name`.
    pub fn remove(&mut self, name: &str) -> Option<Endpoint> {
        let i = self.find(name).ok()?;
        let mut v = std::mem::take(&mut self.0).into_vec();
        let (_, endpoint) = v.remove(i);
        if !v.is_empty() {
            self.0 = v.into_boxed_slice();
        }
        Some(endpoint)
    }

    /// Network names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| &**n)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Endpoints {
    type Item = &'a (std::sync::Arc<str>, Endpoint);
    type IntoIter = std::slice::Iter<'a, (std::sync::Arc<str>, Endpoint)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl std::ops::Index<&str> for Endpoints {
    type Output = Endpoint;
    fn index(&self, name: &str) -> &Endpoint {
        match self.get(name) {
            Some(e) => e,
            None => panic!("no endpoint on network {name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IPAM's rule: the lowest free number, a freed one handed out again before a new one.
    #[test]
    fn members_take_the_lowest_free_host_number() {
        let id = |c: char| c.to_string().repeat(64);
        let mut m = Members::default();
        assert_eq!(m.take(&id('a')), Some(2));
        assert_eq!(m.take(&id('b')), Some(3));
        assert_eq!(m.take(&id('c')), Some(4));
        assert_eq!(m.take(&id('b')), Some(3), "a member keeps its number");
        m.release(&id('b'));
        m.release(&id('a'));
        assert_eq!(m.take(&id('d')), Some(2));
        assert_eq!(m.take(&id('e')), Some(3));
        assert_eq!(m.take(&id('f')), Some(5));
        m.release("nobody");
        assert!(!m.is_empty());
    }
}
