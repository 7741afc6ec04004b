//! Registries: where images travel between machines. A registry stores each blob once, however many
//! repositories link it; a repository maps tags to manifests and knows which blobs it may serve. That split is
//! what makes a push upload only what is missing ("Layer already exists") and lets a blob be mounted from
//! another repository of the same registry without uploading it again ("Mounted from library/node").

use crate::digest::Digest;
use crate::model::image::Image;
use imbl::{OrdMap, OrdSet};
use std::sync::Arc;

/// How a registry decides who may do what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Docker Hub: anonymous pulls of public repositories; pushes only into one's own namespace (or an
    /// organisation one belongs to); `library/` is read-only; private repositories need login and access.
    Hub,
    /// A plain `registry:2`: anyone may push and pull, no namespaces.
    Open,
    /// A `registry:2` with htpasswd auth: every request needs a login.
    Password,
}

/// A stored blob and how many manifests use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blob {
    pub size: u64,
    pub refs: u32,
}

/// A repository: tags, the manifests they name, and the blobs linked into it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repository {
    pub owner: Option<String>,
    pub private: bool,
    pub tags: OrdMap<String, Digest>,
    pub blobs: OrdSet<Digest>,
}

/// A manifest: the config (image ID) and the layers, as the registry serves them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub image: Arc<Image>,
    pub size: u64,
    /// A multi-platform index: its members besides `image` (empty for a single-platform manifest).
    pub others: Vec<Arc<Image>>,
    /// An index buildx pushed: the provenance attestation manifest of each member, in member order
    /// (`unknown/unknown` entries; a pull never takes them).
    pub attestations: Vec<Digest>,
    /// Stored as an index or manifest list (even of one member): what `manifest inspect` shows it as.
    pub is_index: bool,
}

impl Manifest {
    /// The image a pull for `want` takes: an index's member for it (`None` when it has none); a single
    /// manifest's image whatever its platform.
    pub fn for_platform(&self, want: &super::platform::Platform) -> Option<&Arc<Image>> {
        if self.others.is_empty() {
            return Some(&self.image);
        }
        std::iter::once(&self.image)
            .chain(self.others.iter())
            .find(|i| i.platform.matches(want))
    }
}

/// One registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    /// `docker.io`, `localhost:5000`, `registry.example.com`.
    pub host: String,
    pub policy: Policy,
    /// user → password.
    pub accounts: OrdMap<String, String>,
    /// organisation → members.
    pub orgs: OrdMap<String, OrdSet<String>>,
    pub repos: OrdMap<String, Repository>,
    pub manifests: OrdMap<Digest, Manifest>,
    pub blobs: OrdMap<Digest, Blob>,
    /// Bytes received by pushes, ever: what layer sharing saves shows here.
    pub bytes_received: u64,
}

impl Registry {
    /// An empty registry.
    pub fn new(host: &str, policy: Policy) -> Registry {
        Registry {
            host: host.to_string(),
            policy,
            accounts: OrdMap::new(),
            orgs: OrdMap::new(),
            repos: OrdMap::new(),
            manifests: OrdMap::new(),
            blobs: OrdMap::new(),
            bytes_received: 0,
        }
    }

    /// May `user` (None = anonymous) read repository `path`?
    pub fn can_read(&self, user: Option<&str>, path: &str) -> bool {
        match self.policy {
            Policy::Open => true,
            Policy::Password => user.is_some(),
            Policy::Hub => match self.repos.get(path) {
                Some(repo) if repo.private => user.is_some_and(|u| self.owns(u, path)),
                _ => true,
            },
        }
    }

    /// May `user` push into repository `path`?
    pub fn can_write(&self, user: Option<&str>, path: &str) -> bool {
        match self.policy {
            Policy::Open => true,
            Policy::Password => user.is_some(),
            Policy::Hub => user.is_some_and(|u| self.owns(u, path)),
        }
    }

    /// The namespace of `path` is `user` or an organisation `user` belongs to.
    fn owns(&self, user: &str, path: &str) -> bool {
        let ns = path.split('/').next().unwrap_or("");
        ns != "library"
            && path.contains('/')
            && (ns == user || self.orgs.get(ns).is_some_and(|m| m.contains(user)))
    }

    /// Stores an image's manifest (once) and links its blobs into `path`, tagging it `tag`.
    /// Reference counts grow only the first time a manifest is stored.
    pub fn put_manifest(
        &mut self,
        path: &str,
        tag: &str,
        image: Arc<Image>,
        owner: Option<String>,
    ) -> Digest {
        let digest = image.manifest_digest();
        if !self.manifests.contains_key(&digest) {
            for layer in &image.layers {
                let blob = self.blobs.entry(layer.blob.clone()).or_insert(Blob {
                    size: layer.compressed_size(),
                    refs: 0,
                });
                blob.refs += 1;
            }
            let config = self.blobs.entry(image.id.clone()).or_insert(Blob {
                size: image.config_size,
                refs: 0,
            });
            config.refs += 1;
            let size = image.manifest_size();
            self.manifests.insert(
                digest.clone(),
                Manifest {
                    image: image.clone(),
                    size,
                    others: Vec::new(),
                    attestations: Vec::new(),
                    is_index: false,
                },
            );
        }
        if !self.repos.contains_key(path) {
            self.repos.insert(
                path.to_string(),
                Repository {
                    owner,
                    ..Repository::default()
                },
            );
        }
        let Some(repo) = self.repos.get_mut(path) else {
            return digest;
        };
        // Asked first: a push of an image the repository already holds (a new tag) links nothing new.
        for blob in image.layers.iter().map(|l| &l.blob).chain([&image.id]) {
            if !repo.blobs.contains(blob) {
                repo.blobs.insert(blob.clone());
            }
        }
        if repo.tags.get(tag) != Some(&digest) {
            repo.tags.insert(tag.to_string(), digest.clone());
        }
        digest
    }

    /// Stores a multi-platform index of `images` (each member's blobs stored and linked as
    /// [`Self::put_manifest`] does) under `digest`, tagging it `tag`.
    pub fn put_index(
        &mut self,
        path: &str,
        tag: &str,
        images: &[Arc<Image>],
        digest: Digest,
        owner: Option<String>,
    ) -> Digest {
        let Some((first, rest)) = images.split_first() else {
            return digest;
        };
        for image in images {
            self.put_manifest(path, tag, image.clone(), owner.clone());
        }
        let size = 120 + 400 * images.len() as u64;
        self.manifests.insert(
            digest.clone(),
            Manifest {
                image: first.clone(),
                size,
                others: rest.to_vec(),
                attestations: Vec::new(),
                is_index: true,
            },
        );
        if let Some(repo) = self.repos.get_mut(path) {
            repo.tags.insert(tag.to_string(), digest.clone());
        }
        digest
    }

    /// The digest of an index over these members (sha256 over the members' manifest digests).
    pub fn index_digest(images: &[Arc<Image>]) -> Digest {
        let digests: Vec<Digest> = images.iter().map(|i| i.manifest_digest()).collect();
        let mut parts: Vec<&[u8]> = vec![b"image.index.v1+json"];
        for d in &digests {
            parts.push(d.as_str().as_bytes());
        }
        Digest::of_parts(&parts)
    }

    /// Does repository `path` already link `blob`?
    pub fn repo_has_blob(&self, path: &str, blob: &Digest) -> bool {
        self.repos.get(path).is_some_and(|r| r.blobs.contains(blob))
    }

    /// Resolves `path:tag` to its manifest.
    pub fn resolve(&self, path: &str, tag: &str) -> Option<(&Digest, &Manifest)> {
        let digest = self.repos.get(path)?.tags.get(tag)?;
        Some((digest, self.manifests.get(digest)?))
    }

    /// Resolves `path@digest`.
    pub fn resolve_digest(&self, path: &str, digest: &Digest) -> Option<&Manifest> {
        let repo = self.repos.get(path)?;
        let m = self.manifests.get(digest)?;
        repo.blobs.contains(&m.image.id).then_some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image::{ImageConfig, Layer};

    fn image(layers: &[&str]) -> Arc<Image> {
        let layers = layers
            .iter()
            .map(|l| Layer::new(Digest::of(l.as_bytes()), 1000))
            .collect();
        Arc::new(Image::new(
            ImageConfig::default(),
            layers,
            vec![],
            0,
            Arc::default(),
            Arc::default(),
        ))
    }

    #[test]
    fn blobs_are_stored_once_per_registry() {
        let mut r = Registry::new("docker.io", Policy::Open);
        let base = image(&["a", "b"]);
        let app = image(&["a", "b", "c"]);
        r.put_manifest("library/base", "latest", base.clone(), None);
        r.put_manifest("alice/app", "1.0", app.clone(), None);
        r.put_manifest("alice/app", "latest", app.clone(), None);
        // 3 layer blobs + 2 configs, each stored once.
        assert_eq!(r.blobs.len(), 5);
        assert_eq!(r.blobs[&base.layers[0].blob].refs, 2);
        assert_eq!(r.blobs[&app.layers[2].blob].refs, 1);
        assert!(r.repo_has_blob("alice/app", &base.layers[0].blob));
    }

    #[test]
    fn hub_namespaces() {
        let mut r = Registry::new("docker.io", Policy::Hub);
        r.orgs
            .insert("acme".into(), OrdSet::unit("bob".to_string()));
        assert!(r.can_write(Some("alice"), "alice/app"));
        assert!(!r.can_write(Some("alice"), "bob/app"));
        assert!(!r.can_write(Some("alice"), "library/app"));
        assert!(!r.can_write(None, "alice/app"));
        assert!(r.can_write(Some("bob"), "acme/tool"));
        r.repos.insert(
            "alice/secret".into(),
            Repository {
                private: true,
                ..Repository::default()
            },
        );
        assert!(!r.can_read(None, "alice/secret"));
        assert!(!r.can_read(Some("bob"), "alice/secret"));
        assert!(r.can_read(Some("alice"), "alice/secret"));
        assert!(r.can_read(None, "library/node"));
    }
}
