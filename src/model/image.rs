//! Images: an immutable config plus an ordered stack of layers. The image ID is the sha256 of the config
//! JSON (which lists the layers' diff IDs), so the same build input, or the same pulled manifest, gives the same
//! ID on every machine. Tags are not part of the image: they are references kept by each machine's store.

use crate::digest::Digest;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One filesystem layer. `diff_id` names the uncompressed content (what `inspect` and `push` show); `blob`
/// names the compressed form a registry stores (what `pull` shows).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Layer {
    pub diff_id: Digest,
    pub blob: Digest,
    /// Uncompressed bytes (what `docker images` adds up).
    pub size: u64,
}

impl Layer {
    /// A layer from its content identity; the blob digest and compressed size follow from it.
    pub fn new(diff_id: Digest, size: u64) -> Layer {
        let blob = Digest::of_parts(&[b"gzip", diff_id.as_str().as_bytes()]);
        Layer {
            diff_id,
            blob,
            size,
        }
    }

    /// Bytes sent over the wire for this layer (gzip of typical filesystem content is about 40%).
    pub fn compressed_size(&self) -> u64 {
        (self.size * 2 / 5).max(32)
    }
}

/// Sets `NAME=VALUE` in an environment list (`Config.Env`): an earlier value of the same name goes, the new
/// one comes last, as Docker's `ReplaceOrAppendEnvValues` does. `entry` without `=` changes nothing.
pub fn set_env(env: &mut Vec<String>, entry: String) {
    let Some((name, _)) = entry.split_once('=') else {
        return;
    };
    env.retain(|e| e.split_once('=').map(|p| p.0) != Some(name));
    env.push(entry);
}

/// The runtime configuration baked into an image (`Config` in `docker inspect`); read back by `docker load`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ImageConfig {
    #[serde(rename = "User")]
    pub user: String,
    /// Docker's form is an object of empty objects (`{"80/tcp":{}}`), which also decides the image ID.
    #[serde(
        rename = "ExposedPorts",
        skip_serializing_if = "BTreeSet::is_empty",
        serialize_with = "port_set::serialize",
        deserialize_with = "port_set::deserialize"
    )]
    pub exposed_ports: BTreeSet<String>,
    #[serde(rename = "Env")]
    pub env: Vec<String>,
    #[serde(rename = "Cmd")]
    pub cmd: Option<Vec<String>>,
    #[serde(rename = "WorkingDir")]
    pub working_dir: String,
    #[serde(rename = "Entrypoint")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(rename = "Labels")]
    pub labels: BTreeMap<String, String>,
    #[serde(rename = "StopSignal", skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    /// `VOLUME` paths: each container of the image gets an anonymous volume there (`{"/data":{}}`).
    #[serde(
        rename = "Volumes",
        skip_serializing_if = "BTreeSet::is_empty",
        serialize_with = "port_set::serialize",
        deserialize_with = "port_set::deserialize"
    )]
    pub volumes: BTreeSet<String>,
}

/// `ExposedPorts` as the image config spells it: `{"80/tcp":{}}`. Reading also takes a plain list (what
/// archives saved by earlier dockdrill versions hold).
pub(crate) mod port_set {
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeMap};
    use std::collections::{BTreeMap, BTreeSet};

    pub fn serialize<S: Serializer>(ports: &BTreeSet<String>, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(ports.len()))?;
        for p in ports {
            map.serialize_entry(p, &BTreeMap::<String, ()>::new())?;
        }
        map.end()
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Map(BTreeMap<String, serde::de::IgnoredAny>),
        List(Vec<String>),
        Null(()),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<String>, D::Error> {
        Ok(match Form::deserialize(d)? {
            Form::Map(m) => m.into_keys().collect(),
            Form::List(v) => v.into_iter().collect(),
            Form::Null(()) => BTreeSet::new(),
        })
    }
}

/// One row of `docker history`: the step that produced a layer (or only changed the config).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub created: u64,
    pub created_by: String,
    pub empty_layer: bool,
    pub comment: String,
    /// Size of the layer this step added (0 for config-only steps).
    #[serde(skip)]
    pub size: u64,
}

/// A file's bytes, shared by every world and image that holds the file. A growable buffer, so that an
/// append (`echo … >> FILE`) extends it in place when nothing else holds it, and copies it once only when
/// an earlier world (an undo step) still does: a script of appends costs what it appends, not the file's
/// size each time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileBytes(Arc<Vec<u8>>);

impl FileBytes {
    /// Adds `bytes` at the end.
    pub fn append(&mut self, bytes: &[u8]) {
        match Arc::get_mut(&mut self.0) {
            Some(v) => v.extend_from_slice(bytes),
            None => {
                // Shared (an undo step holds the old bytes): one copy, sized for the result.
                let mut v = Vec::with_capacity(self.0.len() + bytes.len());
                v.extend_from_slice(&self.0);
                v.extend_from_slice(bytes);
                self.0 = Arc::new(v);
            }
        }
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for FileBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for FileBytes {
    fn from(v: Vec<u8>) -> FileBytes {
        FileBytes(Arc::new(v))
    }
}

impl From<&[u8]> for FileBytes {
    fn from(v: &[u8]) -> FileBytes {
        FileBytes(Arc::new(v.to_vec()))
    }
}

impl From<Box<[u8]>> for FileBytes {
    fn from(v: Box<[u8]>) -> FileBytes {
        FileBytes(Arc::new(v.into_vec()))
    }
}

/// Files an image carries, for `cat` and for a server that prints what its source says. Keyed by shared
/// paths: the first change after an undo step copies a node of the tree, and a shared key is copied by a
/// count, not by an allocation and a copy of its bytes.
pub type Files = imbl::OrdMap<std::sync::Arc<str>, FileBytes>;

/// An image as stored by a machine or a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub id: Digest,
    pub config: ImageConfig,
    pub layers: Vec<Layer>,
    /// Shared with the images it was built from (see [`super::history`]).
    pub history: super::history::History,
    pub created: u64,
    /// Files copied in by builds (path inside the image → bytes).
    pub files: Arc<Files>,
    /// Executables the image's base provides (decides what a container can run).
    pub programs: Arc<BTreeSet<String>>,
    /// Chain IDs of the layer stack, computed once (every container and store update needs them).
    pub chains: Vec<Digest>,
    /// Bytes of the config JSON, computed once with the ID (push and pull need it for every manifest).
    pub config_size: u64,
    /// The platform its binaries are for (part of the config JSON, so of the ID).
    pub platform: super::platform::Platform,
    /// The manifest digest, computed on first use (every push of the image names it).
    manifest: ManifestDigest,
    /// `docker commit -a`: the config's top-level `author` (empty for built images).
    pub author: String,
    /// `docker commit -m`: the config's top-level `comment` (empty for built images).
    pub comment: String,
}

/// The image's manifest digest once computed: derived from the ID and layers, so never part of the image's
/// identity (two images compare equal whether or not either has computed it).
#[derive(Clone, Debug, Default)]
struct ManifestDigest(std::sync::OnceLock<Digest>);

impl PartialEq for ManifestDigest {
    fn eq(&self, _: &ManifestDigest) -> bool {
        true
    }
}

impl Eq for ManifestDigest {}

/// The canonical config JSON whose sha256 is the image ID (field order as in the OCI image config).
#[derive(Serialize)]
struct ConfigDoc<'a> {
    architecture: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    author: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    comment: &'a str,
    config: &'a ImageConfig,
    created: String,
    history: Vec<HistoryDoc<'a>>,
    os: &'a str,
    rootfs: RootFs<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<&'a str>,
}

#[derive(Serialize)]
struct HistoryDoc<'a> {
    created: String,
    created_by: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    comment: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    empty_layer: bool,
}

#[derive(Serialize)]
struct RootFs<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    diff_ids: Vec<&'a Digest>,
}

impl Image {
    /// Builds an image and derives its ID from the canonical config JSON.
    pub fn new(
        config: ImageConfig,
        layers: Vec<Layer>,
        history: impl Into<super::history::History>,
        created: u64,
        files: Arc<Files>,
        programs: Arc<BTreeSet<String>>,
    ) -> Image {
        Image::new_for(
            super::platform::Platform::default(),
            config,
            layers,
            history,
            (created, files, programs),
        )
    }

    /// [`Image::new`] for `platform`: the same as `new(...).with_platform(platform)`, sealed once.
    pub fn new_for(
        platform: super::platform::Platform,
        config: ImageConfig,
        layers: Vec<Layer>,
        history: impl Into<super::history::History>,
        (created, files, programs): (u64, Arc<Files>, Arc<BTreeSet<String>>),
    ) -> Image {
        // A placeholder until `seal` derives the ID (made once: it is a sha256).
        static UNSEALED: std::sync::OnceLock<Digest> = std::sync::OnceLock::new();
        let mut image = Image {
            id: UNSEALED.get_or_init(|| Digest::of(b"")).clone(),
            config,
            layers,
            history: history.into(),
            created,
            files,
            programs,
            chains: Vec::new(),
            config_size: 0,
            platform,
            manifest: ManifestDigest::default(),
            author: String::new(),
            comment: String::new(),
        };
        image.chains = chain_ids(&image.layers);
        image.seal();
        image
    }

    /// The same image built for another platform (a new config, so a new ID).
    pub fn with_platform(mut self, platform: super::platform::Platform) -> Image {
        if self.platform != platform {
            self.platform = platform;
            self.seal();
        }
        self
    }

    /// The same image with `labels` added to its config (a new ID): BuildKit's exported `--label`s.
    pub fn with_labels(mut self, labels: &std::collections::BTreeMap<String, String>) -> Image {
        for (k, v) in labels {
            self.config.labels.insert(k.clone(), v.clone());
        }
        self.seal();
        self
    }

    /// The same image with the author and message `docker commit -a/-m` record (a new ID: both are part
    /// of the config).
    pub fn with_commit(mut self, author: &str, comment: &str) -> Image {
        self.author = author.to_string();
        self.comment = comment.to_string();
        self.seal();
        self
    }

    /// Derives the ID and config size from the config JSON.
    fn seal(&mut self) {
        let config = self.config_json();
        self.config_size = config.len() as u64;
        self.id = Digest::of(&config);
    }

    /// The config blob: what a registry stores and what the image ID hashes.
    pub fn config_json(&self) -> Vec<u8> {
        let doc = ConfigDoc {
            architecture: &self.platform.architecture,
            author: &self.author,
            comment: &self.comment,
            config: &self.config,
            created: crate::clock::rfc3339(self.created),
            history: self
                .history
                .iter()
                .map(|h| HistoryDoc {
                    created: crate::clock::rfc3339(h.created),
                    created_by: &h.created_by,
                    comment: &h.comment,
                    empty_layer: h.empty_layer,
                })
                .collect(),
            os: &self.platform.os,
            rootfs: RootFs {
                kind: "layers",
                diff_ids: self.layers.iter().map(|l| &l.diff_id).collect(),
            },
            variant: self.platform.variant.as_deref(),
        };
        serde_json::to_vec(&doc).unwrap_or_default()
    }

    /// Total uncompressed size of all layers (the classic store's `Size`).
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum()
    }

    /// Chain IDs of the layer stack: the identity of "these layers, in this order, so far".
    pub fn chain_ids(&self) -> Vec<Digest> {
        self.chains.clone()
    }

    /// The schema2 manifest's byte length (reference §3: `313 + digits(config) + Σ(204 + digits(layer))`).
    pub fn manifest_size(&self) -> u64 {
        let digits = |n: u64| n.checked_ilog10().map_or(1, |d| u64::from(d) + 1);
        313 + digits(self.config_size)
            + self
                .layers
                .iter()
                .map(|l| 204 + digits(l.compressed_size()))
                .sum::<u64>()
    }

    /// The manifest digest: sha256 over the manifest's identity (config and compressed layers).
    pub fn manifest_digest(&self) -> Digest {
        self.manifest
            .0
            .get_or_init(|| self.compute_manifest_digest())
            .clone()
    }

    fn compute_manifest_digest(&self) -> Digest {
        let mut parts: Vec<&[u8]> = vec![b"manifest.v2+json", self.id.as_str().as_bytes()];
        for l in &self.layers {
            parts.push(l.blob.as_str().as_bytes());
        }
        Digest::of_parts(&parts)
    }
}

/// `ChainID(L1) = DiffID(L1)`, `ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))`.
pub fn chain_ids(layers: &[Layer]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(layers.len());
    for l in layers {
        let next = match out.last() {
            None => l.diff_id.clone(),
            Some(prev) => Digest::of(format!("{} {}", prev, l.diff_id).as_bytes()),
        };
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_env_replaces_a_name_and_appends_it_last() {
        let mut env = vec![
            "PATH=/bin".to_string(),
            "A=1".to_string(),
            "AB=2".to_string(),
        ];
        set_env(&mut env, "A=3".into());
        assert_eq!(env, ["PATH=/bin", "AB=2", "A=3"]);
        set_env(&mut env, "B=x=y".into());
        assert_eq!(env.last().map(String::as_str), Some("B=x=y"));
        set_env(&mut env, "NOEQUALS".into());
        assert_eq!(env.len(), 4);
    }

    fn img(cmd: &str, created: u64) -> Image {
        let config = ImageConfig {
            cmd: Some(vec![cmd.to_string()]),
            ..ImageConfig::default()
        };
        let layer = Layer::new(Digest::of(b"layer"), 1000);
        Image::new(
            config,
            vec![layer],
            vec![],
            created,
            Arc::default(),
            Arc::default(),
        )
    }

    #[test]
    fn same_config_same_id() {
        assert_eq!(img("sh", 5).id, img("sh", 5).id);
        assert_ne!(img("sh", 5).id, img("sh", 6).id);
        assert_ne!(img("sh", 5).id, img("bash", 5).id);
    }

    #[test]
    fn id_is_the_sha256_of_the_config_json() {
        let i = img("sh", 1);
        assert_eq!(i.id, Digest::of(&i.config_json()));
    }

    /// The config (and so the image ID) spells `ExposedPorts` as Docker does, an object of empty objects;
    /// reading takes that form and the old list.
    #[test]
    fn exposed_ports_are_an_object() {
        let config = ImageConfig {
            exposed_ports: ["80/tcp".to_string(), "443/tcp".to_string()].into(),
            ..ImageConfig::default()
        };
        let json = serde_json::to_string(&config).expect("json");
        assert!(
            json.contains(r#""ExposedPorts":{"443/tcp":{},"80/tcp":{}}"#),
            "{json}"
        );
        let back: ImageConfig = serde_json::from_str(&json).expect("object form");
        assert_eq!(back, config);
        let old: ImageConfig =
            serde_json::from_str(r#"{"ExposedPorts":["80/tcp","443/tcp"]}"#).expect("list form");
        assert_eq!(old.exposed_ports, config.exposed_ports);
        let none: ImageConfig = serde_json::from_str(r#"{"ExposedPorts":null}"#).expect("null");
        assert!(none.exposed_ports.is_empty());
        assert!(
            !serde_json::to_string(&ImageConfig::default())
                .expect("json")
                .contains("ExposedPorts")
        );
    }

    #[test]
    fn chain_id_of_first_layer_is_its_diff_id() {
        let a = Layer::new(Digest::of(b"a"), 1);
        let b = Layer::new(Digest::of(b"b"), 1);
        let ids = chain_ids(&[a.clone(), b]);
        assert_eq!(ids[0], a.diff_id);
        assert_ne!(ids[1], ids[0]);
    }

    #[test]
    fn the_manifest_size_counts_each_sizes_digits() {
        // Compressed sizes of 32 (the floor), 40, 400_000 and 4_000_000_000 bytes: 2, 2, 6 and 10 digits.
        let layers = [10, 100, 1_000_000, 10_000_000_000]
            .iter()
            .map(|&size| Layer::new(Digest::of(&u64::to_le_bytes(size)), size))
            .collect();
        let i = Image::new(
            ImageConfig::default(),
            layers,
            vec![],
            1,
            Arc::default(),
            Arc::default(),
        );
        let digits = |n: u64| n.to_string().len() as u64;
        let want = 313
            + digits(i.config_size)
            + i.layers
                .iter()
                .map(|l| 204 + digits(l.compressed_size()))
                .sum::<u64>();
        assert_eq!(i.manifest_size(), want);
        assert_eq!(
            i.manifest_size(),
            313 + digits(i.config_size) + 4 * 204 + 2 + 2 + 6 + 10
        );
    }

    #[test]
    fn an_image_made_for_a_platform_is_the_image_moved_to_it() {
        let arm = crate::model::platform::Platform::arm64();
        let moved = img("sh", 1).with_platform(arm.clone());
        let made = Image::new_for(
            arm,
            img("sh", 1).config,
            img("sh", 1).layers,
            vec![],
            (1, Arc::default(), Arc::default()),
        );
        assert_eq!(made.id, moved.id);
        assert_eq!(made.config_size, moved.config_size);
        assert_eq!(made.manifest_digest(), moved.manifest_digest());
    }
}
