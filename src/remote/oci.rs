//! An image in the OCI format a real registry stores, and back.
//!
//! What dockdrill pushes is a valid OCI image: an image manifest naming a config blob and gzipped tar
//! layer blobs by their sha256. The config blob is exactly [`Image::config_json`], so its digest is the image
//! ID every machine shows, on the pushing and on the pulling side. What the simulation needs beyond a
//! standard image travels as OCI annotations (reverse-domain keys, which registries store verbatim because
//! a manifest is content-addressed): each layer descriptor carries the simulated uncompressed size and the
//! diff ID it stands for, and the manifest carries the programs the image's base provides and the files
//! builds copied in. Another dockdrill pulling the manifest rebuilds the same [`Image`] (same ID, same
//! layers and sizes) and checks that it did.
//!
//! A layer's blob is a tiny real tarball ([`super::tarball`]), not the simulated size: the sizes a lesson
//! shows are the annotations', the bytes on the wire are a few hundred.

use super::tarball::{gzip, layer_tar};
use crate::digest::Digest;
use crate::model::image::{HistoryEntry, Image, ImageConfig, Layer};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `application/vnd.oci.image.manifest.v1+json`.
pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// Docker's schema2 manifest, accepted on pull.
pub const DOCKER_MANIFEST_MEDIA_TYPE: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// `application/vnd.oci.image.config.v1+json`.
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.oci.image.config.v1+json";
/// `application/vnd.oci.image.layer.v1.tar+gzip`.
pub const LAYER_MEDIA_TYPE: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// Annotation on a layer: the simulated uncompressed size in bytes.
pub const ANNOTATION_SIZE: &str = "org.dockdrill.layer.size";
/// Annotation on a layer: the diff ID the simulation gives it.
pub const ANNOTATION_DIFF_ID: &str = "org.dockdrill.layer.diff-id";
/// Annotation on the manifest: the programs the image provides, as a JSON array.
pub const ANNOTATION_PROGRAMS: &str = "org.dockdrill.programs";
/// Annotation on the manifest: the files builds copied in, as a JSON object path → base64.
pub const ANNOTATION_FILES: &str = "org.dockdrill.files";

/// A blob ready to upload: its bytes and their digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blob {
    pub digest: Digest,
    pub bytes: Arc<[u8]>,
}

impl Blob {
    fn of(bytes: Vec<u8>) -> Blob {
        Blob {
            digest: Digest::of(&bytes),
            bytes: Arc::from(bytes),
        }
    }
}

/// The blob a layer travels as: a gzipped tarball whose bytes depend on the layer alone.
pub fn layer_blob(layer: &Layer) -> Blob {
    Blob::of(gzip(&layer_tar(layer.diff_id.hex(), layer.size)))
}

/// The config blob: the image ID is its digest.
pub fn config_blob(image: &Image) -> Blob {
    Blob::of(image.config_json())
}

/// An OCI content descriptor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An OCI image manifest (or a Docker schema2 one, which has the same fields).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestDoc {
    pub schema_version: u32,
    #[serde(default)]
    pub media_type: String,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// Everything a push sends: the config, one blob per layer (manifest order) and the manifest bytes.
#[derive(Clone, Debug)]
pub struct Encoded {
    pub config: Blob,
    pub layers: Vec<Blob>,
    pub manifest: Blob,
}

/// Encodes an image for a registry.
pub fn encode(image: &Image) -> Encoded {
    let config = config_blob(image);
    let layers: Vec<Blob> = image.layers.iter().map(layer_blob).collect();
    let descriptors = image
        .layers
        .iter()
        .zip(&layers)
        .map(|(l, b)| Descriptor {
            media_type: LAYER_MEDIA_TYPE.into(),
            digest: b.digest.to_string(),
            size: b.bytes.len() as u64,
            annotations: BTreeMap::from([
                (ANNOTATION_DIFF_ID.to_string(), l.diff_id.to_string()),
                (ANNOTATION_SIZE.to_string(), l.size.to_string()),
            ]),
        })
        .collect();
    let mut annotations = BTreeMap::new();
    if !image.programs.is_empty() {
        annotations.insert(
            ANNOTATION_PROGRAMS.to_string(),
            serde_json::to_string(&*image.programs).unwrap_or_default(),
        );
    }
    if !image.files.is_empty() {
        let files: BTreeMap<&str, String> = image
            .files
            .iter()
            .map(|(p, b)| (&**p, BASE64.encode(b)))
            .collect();
        annotations.insert(
            ANNOTATION_FILES.to_string(),
            serde_json::to_string(&files).unwrap_or_default(),
        );
    }
    let doc = ManifestDoc {
        schema_version: 2,
        media_type: MANIFEST_MEDIA_TYPE.into(),
        config: Descriptor {
            media_type: CONFIG_MEDIA_TYPE.into(),
            digest: config.digest.to_string(),
            size: config.bytes.len() as u64,
            annotations: BTreeMap::new(),
        },
        layers: descriptors,
        annotations,
    };
    Encoded {
        config,
        layers,
        manifest: Blob::of(pretty(&doc)),
    }
}

/// JSON indented with three spaces, as Docker writes manifests.
fn pretty(doc: &ManifestDoc) -> Vec<u8> {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"   ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    let _ = doc.serialize(&mut ser);
    out
}

/// Why a manifest or config from a registry cannot become a simulated image.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not JSON of the expected shape.
    #[error("the {what} is not valid JSON: {why}")]
    Malformed { what: &'static str, why: String },
    /// A manifest list / index, or another media type.
    #[error("unsupported manifest media type `{media_type}`")]
    UnsupportedMediaType { media_type: String },
    /// A layer descriptor lacks dockdrill's annotations: an image another tool pushed.
    #[error(
        "layer {index} carries no `{ANNOTATION_SIZE}` annotation: the image was not pushed by dockdrill"
    )]
    NotFromDockdrill { index: usize },
    /// The config names another number of layers than the manifest.
    #[error("the config lists {config} layers, the manifest {manifest}")]
    LayerCount { config: usize, manifest: usize },
    /// Rebuilding the image gave another ID than the config's digest.
    #[error("the rebuilt image has ID {rebuilt}, the registry's config is {expected}")]
    IdMismatch { expected: Digest, rebuilt: Digest },
}

/// Parses a manifest's bytes.
pub fn parse_manifest(bytes: &[u8]) -> Result<ManifestDoc, DecodeError> {
    let doc: ManifestDoc = serde_json::from_slice(bytes).map_err(|e| DecodeError::Malformed {
        what: "manifest",
        why: e.to_string(),
    })?;
    if !doc.media_type.is_empty()
        && doc.media_type != MANIFEST_MEDIA_TYPE
        && doc.media_type != DOCKER_MANIFEST_MEDIA_TYPE
    {
        return Err(DecodeError::UnsupportedMediaType {
            media_type: doc.media_type,
        });
    }
    Ok(doc)
}

#[derive(Deserialize)]
struct ConfigIn {
    #[serde(default)]
    architecture: Option<String>,
    #[serde(default)]
    os: Option<String>,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default)]
    author: String,
    #[serde(default)]
    comment: String,
    config: RuntimeIn,
    created: String,
    #[serde(default)]
    history: Vec<HistoryIn>,
    rootfs: RootFsIn,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RuntimeIn {
    #[serde(default)]
    user: String,
    #[serde(
        default,
        deserialize_with = "crate::model::image::port_set::deserialize"
    )]
    exposed_ports: BTreeSet<String>,
    #[serde(default)]
    env: Vec<String>,
    #[serde(default)]
    cmd: Option<Vec<String>>,
    #[serde(default)]
    working_dir: String,
    #[serde(default)]
    entrypoint: Option<Vec<String>>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    stop_signal: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::model::image::port_set::deserialize"
    )]
    volumes: BTreeSet<String>,
}

#[derive(Deserialize)]
struct HistoryIn {
    created: String,
    created_by: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    empty_layer: bool,
}

#[derive(Deserialize)]
struct RootFsIn {
    diff_ids: Vec<String>,
}

fn malformed(what: &'static str) -> impl Fn(String) -> DecodeError {
    move |why| DecodeError::Malformed { what, why }
}

/// Rebuilds the simulated image from a manifest and its config blob, and checks that its ID is the
/// config's digest (so a pull shows the very image that was pushed).
pub fn decode(manifest: &ManifestDoc, config: &[u8]) -> Result<Image, DecodeError> {
    let c: ConfigIn =
        serde_json::from_slice(config).map_err(|e| malformed("config")(e.to_string()))?;
    if c.rootfs.diff_ids.len() != manifest.layers.len() {
        return Err(DecodeError::LayerCount {
            config: c.rootfs.diff_ids.len(),
            manifest: manifest.layers.len(),
        });
    }
    let mut layers = Vec::with_capacity(manifest.layers.len());
    for (index, (d, diff)) in manifest.layers.iter().zip(&c.rootfs.diff_ids).enumerate() {
        let size = d
            .annotations
            .get(ANNOTATION_SIZE)
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or(DecodeError::NotFromDockdrill { index })?;
        let diff_id = Digest::parse(diff)
            .ok_or_else(|| malformed("config")(format!("bad diff ID `{diff}`")))?;
        layers.push(Layer::new(diff_id, size));
    }
    let mut sizes = layers.iter().map(|l| l.size);
    let history: Vec<HistoryEntry> = c
        .history
        .into_iter()
        .map(|h| HistoryEntry {
            created: parse_rfc3339(&h.created).unwrap_or(0),
            created_by: h.created_by,
            comment: h.comment,
            size: if h.empty_layer {
                0
            } else {
                sizes.next().unwrap_or(0)
            },
            empty_layer: h.empty_layer,
        })
        .collect();
    let created = parse_rfc3339(&c.created)
        .ok_or_else(|| malformed("config")(format!("bad time `{}`", c.created)))?;
    let programs: BTreeSet<String> = match manifest.annotations.get(ANNOTATION_PROGRAMS) {
        Some(text) => serde_json::from_str(text)
            .map_err(|e| malformed("programs annotation")(e.to_string()))?,
        None => BTreeSet::new(),
    };
    let mut files = crate::model::image::Files::new();
    if let Some(text) = manifest.annotations.get(ANNOTATION_FILES) {
        let map: BTreeMap<String, String> =
            serde_json::from_str(text).map_err(|e| malformed("files annotation")(e.to_string()))?;
        for (path, b64) in map {
            let bytes = BASE64
                .decode(b64.as_bytes())
                .map_err(|e| malformed("files annotation")(e.to_string()))?;
            files.insert(path.into(), bytes.into());
        }
    }
    let platform = crate::model::platform::Platform {
        os: c.os.unwrap_or_else(|| "linux".into()),
        architecture: c.architecture.unwrap_or_else(|| "amd64".into()),
        variant: c.variant,
    };
    let r = c.config;
    let config_value = ImageConfig {
        user: r.user,
        exposed_ports: r.exposed_ports,
        env: r.env,
        cmd: r.cmd,
        working_dir: r.working_dir,
        entrypoint: r.entrypoint,
        labels: r.labels,
        stop_signal: r.stop_signal,
        volumes: r.volumes,
    };
    let image = Image::new(
        config_value,
        layers,
        history,
        created,
        Arc::new(files),
        Arc::new(programs),
    )
    .with_platform(platform);
    let image = if c.author.is_empty() && c.comment.is_empty() {
        image
    } else {
        image.with_commit(&c.author, &c.comment)
    };
    let expected = Digest::of(config);
    if image.id != expected {
        return Err(DecodeError::IdMismatch {
            expected,
            rebuilt: image.id,
        });
    }
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock;
    use crate::model::world::World;

    fn hub_images() -> Vec<Arc<Image>> {
        let w = World::new();
        let hub = &w.registries["docker.io"];
        let mut v: Vec<Arc<Image>> = hub.manifests.values().map(|m| m.image.clone()).collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    #[test]
    fn the_config_blob_digest_is_the_image_id() {
        for image in hub_images() {
            assert_eq!(config_blob(&image).digest, image.id);
        }
    }

    #[test]
    fn every_hub_image_round_trips_to_the_same_image() {
        for image in hub_images() {
            let enc = encode(&image);
            let doc = parse_manifest(&enc.manifest.bytes).expect("manifest parses");
            let back = decode(&doc, &enc.config.bytes).expect("decodes");
            assert_eq!(back.id, image.id);
            assert_eq!(back.layers, image.layers);
            assert_eq!(back.programs, image.programs);
            assert_eq!(back.files, image.files);
            assert_eq!(back.history, image.history);
        }
    }

    #[test]
    fn layer_blobs_depend_on_the_layer_only() {
        let a = Layer::new(Digest::of(b"base"), 5_000_000);
        let b = Layer::new(Digest::of(b"base"), 5_000_000);
        let c = Layer::new(Digest::of(b"other"), 5_000_000);
        assert_eq!(layer_blob(&a), layer_blob(&b));
        assert_ne!(layer_blob(&a).digest, layer_blob(&c).digest);
        // Small on the wire, whatever the simulated size.
        assert!(layer_blob(&a).bytes.len() < 400);
    }

    #[test]
    fn the_manifest_names_every_blob_with_its_real_size() {
        let image = hub_images().remove(0);
        let enc = encode(&image);
        let doc = parse_manifest(&enc.manifest.bytes).expect("parses");
        assert_eq!(doc.config.digest, image.id.to_string());
        assert_eq!(doc.config.size, enc.config.bytes.len() as u64);
        for (d, b) in doc.layers.iter().zip(&enc.layers) {
            assert_eq!(d.digest, b.digest.to_string());
            assert_eq!(d.size, b.bytes.len() as u64);
            assert_eq!(d.media_type, LAYER_MEDIA_TYPE);
        }
        assert_eq!(enc.manifest.digest, Digest::of(&enc.manifest.bytes));
    }

    #[test]
    fn files_and_programs_travel_in_annotations() {
        let mut files = crate::model::image::Files::new();
        files.insert(
            "app/server.js".into(),
            crate::model::image::FileBytes::from(&b"console.log(1)\n\xff"[..]),
        );
        let image = Image::new(
            ImageConfig::default(),
            vec![Layer::new(Digest::of(b"x"), 10)],
            vec![],
            clock::WORLD_EPOCH,
            Arc::new(files),
            Arc::new(BTreeSet::from(["node".to_string()])),
        );
        let enc = encode(&image);
        let doc = parse_manifest(&enc.manifest.bytes).expect("parses");
        let back = decode(&doc, &enc.config.bytes).expect("decodes");
        assert_eq!(back.files, image.files);
        assert_eq!(back.programs, image.programs);
    }

    #[test]
    fn an_image_without_annotations_is_refused_clearly() {
        let image = hub_images().remove(0);
        let enc = encode(&image);
        let mut doc = parse_manifest(&enc.manifest.bytes).expect("parses");
        doc.layers[0].annotations.clear();
        assert_eq!(
            decode(&doc, &enc.config.bytes),
            Err(DecodeError::NotFromDockdrill { index: 0 })
        );
    }

    #[test]
    fn an_index_is_an_unsupported_media_type() {
        let text = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","config":{"mediaType":"x","digest":"y","size":1},"layers":[]}"#;
        assert!(matches!(
            parse_manifest(text),
            Err(DecodeError::UnsupportedMediaType { .. })
        ));
    }
}

/// Reads back [`clock::rfc3339`]'s form (`2026-03-02T09:00:00.000000000Z`, any fraction, `Z` only) as Unix
/// seconds; a config another tool wrote may use another form, and then the ID check says so.
fn parse_rfc3339(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || !s.ends_with('Z') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Howard Hinnant's days-from-civil, the inverse of the clock's civil-from-days.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + mi * 60 + sec).ok()
}

#[cfg(test)]
mod time_tests {
    use super::*;
    use crate::clock;

    #[test]
    fn rfc3339_reads_back_what_the_clock_writes() {
        for t in [
            0,
            951_782_400,
            clock::WORLD_EPOCH,
            clock::WORLD_EPOCH + 86_399 * 37,
        ] {
            assert_eq!(parse_rfc3339(&clock::rfc3339(t)), Some(t));
        }
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
