//! The one interface the engine reaches a registry through.
//!
//! [`RegistryApi`] speaks in the daemon's steps of a push and a pull: is this layer's blob in the
//! repository (`HEAD`), mount it from another repository, upload it, write the manifest; resolve a
//! manifest, fetch the blobs a machine lacks, list tags, check a login. The in-memory
//! [`Registry`] implements it with the simulation's rules and no I/O; [`HttpRegistry`] implements it
//! against a real registry through [`Client`]. The engine decides what Docker prints from the answers
//! (`true` from `has_blob` is "Layer already exists", `true` from `mount` is "Mounted from …"), so the same
//! push code serves both.

use super::client::{Client, ClientError, Credentials, Method, RegistryUrl, WireCall};
use super::oci::{self, DecodeError};
use crate::digest::Digest;
use crate::model::image::{Image, Layer};
use crate::model::registry::{Policy, Registry};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

/// Who is asking: the user a machine is logged in as (if any).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Auth<'a> {
    pub user: Option<&'a str>,
}

/// A manifest as a pull resolves it.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The manifest digest (what `Digest:` prints).
    pub digest: Digest,
    pub image: Arc<Image>,
    /// The blob digest of each layer, in manifest order (the IDs pull lines show).
    pub blobs: Vec<Digest>,
    /// When the digest names a multi-platform index: its other members (`image` is the first).
    pub others: Vec<Arc<Image>>,
}

impl Resolved {
    /// The member a pull for `want` takes. A single manifest is taken whatever its platform (the daemon
    /// only warns); an index without a member for `want` gives `None` ("no matching manifest").
    pub fn for_platform(mut self, want: &crate::model::platform::Platform) -> Option<Resolved> {
        if self.others.is_empty() {
            return Some(self);
        }
        let pick = std::iter::once(&self.image)
            .chain(self.others.iter())
            .find(|i| i.platform.matches(want))?
            .clone();
        self.blobs = pick.layers.iter().map(|l| l.blob.clone()).collect();
        self.image = pick;
        Some(self)
    }
}

/// What to resolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestRef<'a> {
    Tag(&'a str),
    Digest(&'a Digest),
}

impl ManifestRef<'_> {
    fn text(&self) -> String {
        match self {
            ManifestRef::Tag(t) => (*t).to_string(),
            ManifestRef::Digest(d) => d.to_string(),
        }
    }
}

/// A registry's refusal or failure, as data; the engine turns it into a [`crate::docker_error::DockerError`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The registry wants credentials and the machine has none for it (`method` and `url` of the
    /// request that found out).
    #[error("{} \"{url}\": no basic auth credentials", method.go())]
    NoCredentials { method: Method, url: String },
    /// A write the user may not do.
    #[error("denied: requested access to the resource is denied")]
    Denied,
    /// Docker Hub's answer for a repository that is missing or private.
    #[error("pull access denied")]
    PullAccessDenied,
    /// No such repository or tag.
    #[error("manifest unknown")]
    ManifestUnknown,
    /// `docker login` refused (`hub`: Docker Hub's wording).
    #[error("login refused")]
    LoginRefused { hub: bool },
    /// Any other failure from a real registry (unreachable, 5xx, a bad digest), in the daemon's words.
    #[error(transparent)]
    Remote(#[from] ClientError),
    /// A manifest dockdrill cannot turn into a simulated image.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// A registry as the engine sees it.
pub trait RegistryApi {
    /// `docker login`: are these credentials good here?
    fn check_login(&mut self, username: &str, password: &str) -> Result<(), ApiError>;
    /// May this push start at all? (The simulated registries refuse before any layer; a real one answers
    /// per request, so its implementation only checks it is there.)
    fn begin_push(&mut self, auth: Auth<'_>, repo: &str) -> Result<(), ApiError>;
    /// `HEAD /v2/<repo>/blobs/<digest>`: does `repo` hold this layer's blob?
    fn has_blob(&mut self, auth: Auth<'_>, repo: &str, layer: &Layer) -> Result<bool, ApiError>;
    /// Cross-repository mount from `from`; `true` when mounted.
    fn mount(
        &mut self,
        auth: Auth<'_>,
        repo: &str,
        layer: &Layer,
        from: &str,
    ) -> Result<bool, ApiError>;
    /// Uploads the layer's blob; returns the (simulated, compressed) bytes it counts as.
    fn upload(&mut self, auth: Auth<'_>, repo: &str, layer: &Layer) -> Result<u64, ApiError>;
    /// Writes the image's manifest under `tag`; returns the manifest digest and byte size.
    fn put_manifest(
        &mut self,
        auth: Auth<'_>,
        repo: &str,
        tag: &str,
        image: &Arc<Image>,
    ) -> Result<(Digest, u64), ApiError>;
    /// Resolves a tag or digest to its manifest and image.
    fn get_manifest(
        &mut self,
        auth: Auth<'_>,
        repo: &str,
        reference: ManifestRef<'_>,
    ) -> Result<Resolved, ApiError>;
    /// Downloads one layer blob the machine lacks (a no-op in memory).
    fn fetch_blob(&mut self, auth: Auth<'_>, repo: &str, blob: &Digest) -> Result<(), ApiError>;
    /// The repository's tags, sorted.
    fn tags(&mut self, auth: Auth<'_>, repo: &str) -> Result<Vec<String>, ApiError>;
    /// The HTTP exchanges since the last call (none in memory).
    fn take_wire(&mut self) -> Vec<WireCall>;
}

fn scheme(host: &str) -> &'static str {
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if name == "localhost" || name.starts_with("127.") || name == "[::1]" {
        "http"
    } else {
        "https"
    }
}

impl Registry {
    /// [`RegistryApi::get_manifest`] of the in-memory registry, which changes nothing: a read (the stale-image
    /// check of every `run`) borrows the registry instead of taking it out of the world.
    pub fn read_manifest(
        &self,
        auth: Auth<'_>,
        repo: &str,
        reference: ManifestRef<'_>,
    ) -> Result<Resolved, ApiError> {
        let (digest, m) = self.manifest_in_place(auth, repo, reference)?;
        let image = m.image.clone();
        let blobs = image.layers.iter().map(|l| l.blob.clone()).collect();
        Ok(Resolved {
            digest: digest.clone(),
            image,
            blobs,
            others: m.others.clone(),
        })
    }

    /// [`Registry::read_manifest`]'s answer borrowed from the registry: the manifest digest and the
    /// manifest, for a read that copies nothing (the stale-image check of every `run`).
    pub fn manifest_in_place<'a>(
        &'a self,
        auth: Auth<'_>,
        repo: &str,
        reference: ManifestRef<'a>,
    ) -> Result<(&'a Digest, &'a crate::model::registry::Manifest), ApiError> {
        match self.policy {
            Policy::Password if auth.user.is_none() => {
                return Err(ApiError::NoCredentials {
                    method: Method::Head,
                    url: format!(
                        "{}://{}/v2/{repo}/manifests/{}",
                        scheme(&self.host),
                        self.host,
                        reference.text()
                    ),
                });
            }
            Policy::Hub if !self.repos.contains_key(repo) || !self.can_read(auth.user, repo) => {
                return Err(ApiError::PullAccessDenied);
            }
            _ => {}
        }
        let unknown = || ApiError::ManifestUnknown;
        match reference {
            ManifestRef::Digest(d) => Ok((d, self.resolve_digest(repo, d).ok_or_else(unknown)?)),
            ManifestRef::Tag(t) => self.resolve(repo, t).ok_or_else(unknown),
        }
    }
}

impl RegistryApi for Registry {
    fn check_login(&mut self, username: &str, password: &str) -> Result<(), ApiError> {
        let good = self.accounts.get(username).is_some_and(|p| p == password);
        match self.policy {
            Policy::Open => Ok(()),
            _ if good => Ok(()),
            Policy::Hub => Err(ApiError::LoginRefused { hub: true }),
            Policy::Password => Err(ApiError::LoginRefused { hub: false }),
        }
    }

    fn begin_push(&mut self, auth: Auth<'_>, repo: &str) -> Result<(), ApiError> {
        if self.policy == Policy::Password && auth.user.is_none() {
            return Err(ApiError::NoCredentials {
                method: Method::Post,
                url: format!(
                    "{}://{}/v2/{repo}/blobs/uploads/",
                    scheme(&self.host),
                    self.host
                ),
            });
        }
        if !self.can_write(auth.user, repo) {
            return Err(ApiError::Denied);
        }
        Ok(())
    }

    fn has_blob(&mut self, _auth: Auth<'_>, repo: &str, layer: &Layer) -> Result<bool, ApiError> {
        Ok(self.repo_has_blob(repo, &layer.blob))
    }

    fn mount(
        &mut self,
        auth: Auth<'_>,
        _repo: &str,
        layer: &Layer,
        from: &str,
    ) -> Result<bool, ApiError> {
        Ok(self.repo_has_blob(from, &layer.blob) && self.can_read(auth.user, from))
    }

    fn upload(&mut self, _auth: Auth<'_>, _repo: &str, layer: &Layer) -> Result<u64, ApiError> {
        self.bytes_received += layer.compressed_size();
        Ok(layer.compressed_size())
    }

    fn put_manifest(
        &mut self,
        _auth: Auth<'_>,
        repo: &str,
        tag: &str,
        image: &Arc<Image>,
    ) -> Result<(Digest, u64), ApiError> {
        // On Docker Hub a first push creates the repository in the pusher's namespace.
        let owner =
            (self.policy == Policy::Hub).then(|| repo.split('/').next().unwrap_or("").to_string());
        let digest = Registry::put_manifest(self, repo, tag, image.clone(), owner);
        Ok((digest, image.manifest_size()))
    }

    fn get_manifest(
        &mut self,
        auth: Auth<'_>,
        repo: &str,
        reference: ManifestRef<'_>,
    ) -> Result<Resolved, ApiError> {
        self.read_manifest(auth, repo, reference)
    }

    fn fetch_blob(&mut self, _auth: Auth<'_>, _repo: &str, _blob: &Digest) -> Result<(), ApiError> {
        Ok(())
    }

    fn tags(&mut self, _auth: Auth<'_>, repo: &str) -> Result<Vec<String>, ApiError> {
        Ok(self
            .repos
            .get(repo)
            .map(|r| r.tags.keys().cloned().collect())
            .unwrap_or_default())
    }

    fn take_wire(&mut self) -> Vec<WireCall> {
        Vec::new()
    }
}

/// A real registry: the HTTP client plus what a daemon keeps for it (passwords given at login, the
/// upload session a declined mount opened, encoded blobs).
pub struct HttpRegistry {
    client: Client,
    /// username → password, from successful logins (machines keep only the username, as `config.json`
    /// keeps an auth per registry).
    passwords: HashMap<String, String>,
    /// (repo, digest) → upload URL from a 202 answer to a mount.
    sessions: HashMap<(String, Digest), String>,
    /// diff ID → the layer's encoded blob.
    encoded: HashMap<Digest, oci::Blob>,
}

impl HttpRegistry {
    /// A registry at `url`.
    pub fn new(client: Client) -> HttpRegistry {
        HttpRegistry {
            client,
            passwords: HashMap::new(),
            sessions: HashMap::new(),
            encoded: HashMap::new(),
        }
    }

    /// `host:port`: what references name.
    pub fn host(&self) -> &str {
        &self.client.url().host
    }

    fn creds(&self, auth: Auth<'_>) -> Option<Credentials> {
        let user = auth.user?;
        Some(Credentials {
            username: user.to_string(),
            password: self.passwords.get(user)?.clone(),
        })
    }

    fn blob_of(&mut self, layer: &Layer) -> oci::Blob {
        self.encoded
            .entry(layer.diff_id.clone())
            .or_insert_with(|| oci::layer_blob(layer))
            .clone()
    }
}

/// Maps the registry's "no such manifest/repository" answers to the engine's kind.
fn not_found(e: ClientError) -> ApiError {
    match e.code() {
        Some("MANIFEST_UNKNOWN" | "NAME_UNKNOWN") => ApiError::ManifestUnknown,
        _ => remote(e),
    }
}

fn remote(e: ClientError) -> ApiError {
    match e {
        ClientError::NoBasicAuthCredentials { method, url } => {
            ApiError::NoCredentials { method, url }
        }
        ClientError::Registry { ref errors, .. }
            if errors.first().is_some_and(|x| x.code == "DENIED") =>
        {
            ApiError::Denied
        }
        other => ApiError::Remote(other),
    }
}

impl RegistryApi for HttpRegistry {
    fn check_login(&mut self, username: &str, password: &str) -> Result<(), ApiError> {
        let creds = Credentials {
            username: username.to_string(),
            password: password.to_string(),
        };
        match self.client.login(&creds) {
            Ok(()) => {
                self.passwords
                    .insert(username.to_string(), password.to_string());
                Ok(())
            }
            Err(ClientError::LoginRefused { .. }) => Err(ApiError::LoginRefused { hub: false }),
            Err(e) => Err(ApiError::Remote(e)),
        }
    }

    fn begin_push(&mut self, _auth: Auth<'_>, _repo: &str) -> Result<(), ApiError> {
        self.client.ping().map_err(remote)
    }

    fn has_blob(&mut self, auth: Auth<'_>, repo: &str, layer: &Layer) -> Result<bool, ApiError> {
        let blob = self.blob_of(layer);
        let creds = self.creds(auth);
        self.client
            .has_blob(repo, &blob.digest, creds.as_ref())
            .map_err(remote)
    }

    fn mount(
        &mut self,
        auth: Auth<'_>,
        repo: &str,
        layer: &Layer,
        from: &str,
    ) -> Result<bool, ApiError> {
        let blob = self.blob_of(layer);
        let creds = self.creds(auth);
        match self
            .client
            .mount(repo, &blob.digest, from, creds.as_ref())
            .map_err(remote)?
        {
            None => Ok(true),
            Some(location) => {
                self.sessions
                    .insert((repo.to_string(), blob.digest.clone()), location);
                Ok(false)
            }
        }
    }

    fn upload(&mut self, auth: Auth<'_>, repo: &str, layer: &Layer) -> Result<u64, ApiError> {
        let blob = self.blob_of(layer);
        let creds = self.creds(auth);
        let session = self
            .sessions
            .remove(&(repo.to_string(), blob.digest.clone()));
        self.client
            .upload(repo, &blob.digest, &blob.bytes, session, creds.as_ref())
            .map_err(remote)?;
        Ok(layer.compressed_size())
    }

    fn put_manifest(
        &mut self,
        auth: Auth<'_>,
        repo: &str,
        tag: &str,
        image: &Arc<Image>,
    ) -> Result<(Digest, u64), ApiError> {
        let enc = oci::encode(image);
        let creds = self.creds(auth);
        // The config goes up before the manifest that names it, like the daemon's push.
        if !self
            .client
            .has_blob(repo, &enc.config.digest, creds.as_ref())
            .map_err(remote)?
        {
            self.client
                .upload(
                    repo,
                    &enc.config.digest,
                    &enc.config.bytes,
                    None,
                    creds.as_ref(),
                )
                .map_err(remote)?;
        }
        let digest = self
            .client
            .put_manifest(
                repo,
                tag,
                oci::MANIFEST_MEDIA_TYPE,
                &enc.manifest.bytes,
                creds.as_ref(),
            )
            .map_err(remote)?;
        Ok((digest, enc.manifest.bytes.len() as u64))
    }

    fn get_manifest(
        &mut self,
        auth: Auth<'_>,
        repo: &str,
        reference: ManifestRef<'_>,
    ) -> Result<Resolved, ApiError> {
        let creds = self.creds(auth);
        let (digest, bytes) = self
            .client
            .get_manifest(repo, &reference.text(), creds.as_ref())
            .map_err(not_found)?;
        let doc = oci::parse_manifest(&bytes)?;
        let config_digest = Digest::parse(&doc.config.digest).ok_or_else(|| {
            ApiError::Decode(DecodeError::Malformed {
                what: "manifest",
                why: format!("bad config digest `{}`", doc.config.digest),
            })
        })?;
        let config = self
            .client
            .get_blob(repo, &config_digest, creds.as_ref())
            .map_err(remote)?;
        let image = oci::decode(&doc, &config)?;
        let mut blobs = Vec::with_capacity(doc.layers.len());
        for d in &doc.layers {
            blobs.push(Digest::parse(&d.digest).ok_or_else(|| {
                ApiError::Decode(DecodeError::Malformed {
                    what: "manifest",
                    why: format!("bad layer digest `{}`", d.digest),
                })
            })?);
        }
        Ok(Resolved {
            digest,
            image: Arc::new(image),
            blobs,
            others: Vec::new(),
        })
    }

    fn fetch_blob(&mut self, auth: Auth<'_>, repo: &str, blob: &Digest) -> Result<(), ApiError> {
        let creds = self.creds(auth);
        self.client
            .get_blob(repo, blob, creds.as_ref())
            .map(|_| ())
            .map_err(remote)
    }

    fn tags(&mut self, auth: Auth<'_>, repo: &str) -> Result<Vec<String>, ApiError> {
        let creds = self.creds(auth);
        self.client.tags(repo, creds.as_ref()).map_err(not_found)
    }

    fn take_wire(&mut self) -> Vec<WireCall> {
        self.client.take_calls()
    }
}

/// A real registry as the world holds it: shared by every copy of the world (undo, quiz options), because
/// the registry itself is one, outside.
#[derive(Clone)]
pub struct RemoteHandle(Arc<Mutex<HttpRegistry>>);

impl RemoteHandle {
    /// A handle for the registry at `url` (checked, not contacted).
    pub fn connect(url: &str) -> Result<RemoteHandle, ClientError> {
        let url = RegistryUrl::parse(url)?;
        Ok(RemoteHandle::new(HttpRegistry::new(Client::new(url))))
    }

    /// Wraps a registry.
    pub fn new(registry: HttpRegistry) -> RemoteHandle {
        RemoteHandle(Arc::new(Mutex::new(registry)))
    }

    /// `host:port`.
    pub fn host(&self) -> String {
        self.with(|r| r.host().to_string())
    }

    /// Runs `f` on the registry (a poisoned lock is recovered: the registry's state is only caches).
    pub fn with<R>(&self, f: impl FnOnce(&mut HttpRegistry) -> R) -> R {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

impl fmt::Debug for RemoteHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RemoteHandle({})", self.host())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::world::World;

    #[test]
    fn the_in_memory_registry_answers_like_a_registry() {
        let w = World::new();
        let mut hub = w.registries["docker.io"].clone();
        let node = hub
            .get_manifest(
                Auth::default(),
                "library/node",
                ManifestRef::Tag("22-alpine"),
            )
            .expect("node is on the hub");
        let base = &node.image.layers[0];
        assert!(
            hub.has_blob(Auth::default(), "library/node", base)
                .expect("answers")
        );
        assert!(
            !hub.has_blob(Auth::default(), "alice/app", base)
                .expect("answers")
        );
        assert!(
            hub.mount(
                Auth {
                    user: Some("alice")
                },
                "alice/app",
                base,
                "library/node"
            )
            .expect("answers")
        );
        assert_eq!(
            hub.begin_push(Auth::default(), "alice/app"),
            Err(ApiError::Denied)
        );
        assert_eq!(
            hub.get_manifest(
                Auth::default(),
                "nobody/nothing",
                ManifestRef::Tag("latest")
            )
            .map(|r| r.digest),
            Err(ApiError::PullAccessDenied)
        );
    }

    #[test]
    fn a_password_registry_wants_credentials_before_anything() {
        let mut r = Registry::new("127.0.0.1:5001", Policy::Password);
        r.accounts.insert("user".into(), "pass".into());
        assert_eq!(
            r.get_manifest(Auth::default(), "user/app", ManifestRef::Tag("latest"))
                .map(|x| x.digest)
                .map_err(|e| e.to_string()),
            Err("Head \"http://127.0.0.1:5001/v2/user/app/manifests/latest\": no basic auth credentials".into())
        );
        assert!(r.check_login("user", "pass").is_ok());
        assert_eq!(
            r.check_login("user", "wrong"),
            Err(ApiError::LoginRefused { hub: false })
        );
    }
}
