//! Images travelling without a registry: `docker save` writes a tarball into the machine's working folder,
//! `scp` copies it to another machine, `docker load` reads it back.
//!
//! The rule a learner should see: a saved image is the image itself — its config (so its ID, history and
//! tags) and every layer, whatever the other machine already has. A push sends only the layers a registry
//! lacks; a tarball always carries all of them, and `load` on any machine gives the same image ID.
//!
//! The archive is the layout moby 28's exporter writes (`image/tarexport/save.go`): `blobs/sha256/<config
//! digest>` (the config blob, whose sha256 *is* the image ID), one `blobs/sha256/<diff ID>` per layer, an
//! OCI manifest blob, `index.json`, `manifest.json` (`Config`, `RepoTags`, `Layers`), `oci-layout` and the
//! legacy `repositories`. A simulated layer has no file system to archive, so each layer blob holds a small
//! JSON description of the layer (its diff ID and size; the top layer also the files and programs the
//! image carries). `load` trusts only what it reads back: the image ID is recomputed from the config blob.

use super::{Input, Outcome};
use crate::clock;
use crate::digest::Digest;
use crate::docker_error::ArchiveProblem as LoadProblem;
use crate::event::{DockerError, Event, LoadedLine, Note};
use crate::model::image::{Files, HistoryEntry, Image, ImageConfig, Layer};
use crate::model::machine::ImageStore;
use crate::model::tarball::{self, Entry};
use crate::model::world::World;
use crate::reference::{DigestRef, ImageArg, ImageRef, RefError};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The largest archive `save` writes into a machine's working folder (a simulated layer is small; this
/// bounds what a thousand images saved together could take).
pub const MAX_ARCHIVE_BYTES: usize = 64 << 20;

/// One image to save: the image and its tags (familiar form, `myimage:latest`).
pub struct SaveItem<'a> {
    pub image: &'a Image,
    pub tags: Vec<String>,
}

/// One image read back from an archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadItem {
    pub image: Arc<Image>,
    /// Tags as the archive names them (familiar form).
    pub tags: Vec<String>,
}

/// Writes the archive for `items` (in the order given; layer blobs shared by several images once).
pub fn save(items: &[SaveItem]) -> Vec<u8> {
    let mut blobs: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut manifest = Vec::new();
    let mut index = Vec::new();
    let mut repositories: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in items {
        let img = item.image;
        let config = img.config_json();
        let config_hex = img.id.hex().to_string();
        let mut layer_paths = Vec::new();
        let mut layer_descs = Vec::new();
        for (i, l) in img.layers.iter().enumerate() {
            let top = i + 1 == img.layers.len();
            let body = layer_blob(l, top.then_some(img));
            let hex = l.diff_id.hex().to_string();
            layer_descs.push(json!({
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": l.diff_id.as_str(),
                "size": l.size,
            }));
            layer_paths.push(format!("blobs/sha256/{hex}"));
            blobs.entry(hex).or_insert(body);
        }
        let oci_manifest = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": img.id.as_str(),
                "size": config.len(),
            },
            "layers": layer_descs,
        });
        let manifest_bytes = oci_manifest.to_string().into_bytes();
        let manifest_digest = Digest::of(&manifest_bytes);
        let descriptor = json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest.as_str(),
            "size": manifest_bytes.len(),
        });
        blobs.insert(manifest_digest.hex().to_string(), manifest_bytes);
        blobs.insert(config_hex.clone(), config);
        for t in &item.tags {
            let mut d = descriptor.clone();
            let (repo, tag) = split_familiar(t);
            d["annotations"] = json!({
                "io.containerd.image.name": crate::reference::ImageRef::parse(t)
                    .map(|r| r.full())
                    .unwrap_or_else(|_| t.clone()),
                "org.opencontainers.image.ref.name": tag,
            });
            index.push(d);
            if let Some(top) = img.layers.last() {
                repositories
                    .entry(repo.to_string())
                    .or_default()
                    .insert(tag.to_string(), top.diff_id.hex().to_string());
            }
        }
        if item.tags.is_empty() {
            index.push(descriptor);
        }
        manifest.push(json!({
            "Config": format!("blobs/sha256/{config_hex}"),
            "RepoTags": if item.tags.is_empty() { Value::Null } else { json!(item.tags) },
            "Layers": layer_paths,
        }));
    }
    let mut entries = vec![dir("blobs/"), dir("blobs/sha256/")];
    for (hex, body) in blobs {
        entries.push(Entry {
            name: format!("blobs/sha256/{hex}"),
            data: body,
        });
    }
    let index_doc = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": index,
    });
    entries.push(file("index.json", index_doc.to_string().into_bytes()));
    entries.push(file(
        "manifest.json",
        format!("{}\n", Value::from(manifest)).into_bytes(),
    ));
    entries.push(file(
        "oci-layout",
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    ));
    if !repositories.is_empty() {
        entries.push(file(
            "repositories",
            format!("{}\n", json!(repositories)).into_bytes(),
        ));
    }
    tarball::write(&entries)
}

fn dir(name: &str) -> Entry {
    Entry {
        name: name.to_string(),
        data: Vec::new(),
    }
}

fn file(name: &str, data: Vec<u8>) -> Entry {
    Entry {
        name: name.to_string(),
        data,
    }
}

/// `alice/app:1.0` → (`alice/app`, `1.0`).
fn split_familiar(t: &str) -> (&str, &str) {
    let slash = t.rfind('/').map_or(0, |i| i + 1);
    match t[slash..].rfind(':') {
        Some(c) => (&t[..slash + c], &t[slash + c + 1..]),
        None => (t, "latest"),
    }
}

/// A layer's stand-in content. The top layer also carries what the image holds beyond its config.
fn layer_blob(l: &Layer, top_of: Option<&Image>) -> Vec<u8> {
    let mut doc = json!({
        "dockdrill": "simulated layer",
        "diff_id": l.diff_id.as_str(),
        "size": l.size,
    });
    if let Some(img) = top_of {
        let files: serde_json::Map<String, Value> = img
            .files
            .iter()
            .map(|(p, b)| {
                let v = match std::str::from_utf8(b) {
                    Ok(s) => Value::from(s),
                    Err(_) => json!(b.to_vec()),
                };
                (p.to_string(), v)
            })
            .collect();
        doc["files"] = Value::Object(files);
        doc["programs"] = json!(img.programs.iter().collect::<Vec<_>>());
    }
    doc.to_string().into_bytes()
}

/// Reads an archive `save` wrote back into images (the IDs recomputed from the config blobs).
pub fn load(bytes: &[u8]) -> Result<Vec<LoadItem>, LoadProblem> {
    if bytes.is_empty() {
        return Err(LoadProblem::NoRepositories);
    }
    let entries = tarball::read(bytes).map_err(LoadProblem::Tar)?;
    let member = |name: &str| entries.iter().find(|e| e.name == name).map(|e| &e.data);
    let Some(manifest) = member("manifest.json") else {
        return Err(LoadProblem::NoRepositories);
    };
    let corrupt = |m: &str| LoadProblem::Corrupt {
        member: m.to_string(),
    };
    let manifest: Value = serde_json::from_slice(manifest).map_err(|_| corrupt("manifest.json"))?;
    let mut out = Vec::new();
    for item in manifest
        .as_array()
        .ok_or_else(|| corrupt("manifest.json"))?
    {
        let config_path = item["Config"]
            .as_str()
            .ok_or_else(|| corrupt("manifest.json"))?;
        let config = member(config_path).ok_or_else(|| corrupt(config_path))?;
        let layer_paths: Vec<&str> = item["Layers"]
            .as_array()
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut layers = Vec::new();
        let mut files = Files::new();
        let mut programs = BTreeSet::new();
        for p in &layer_paths {
            let blob: Value = member(p)
                .and_then(|b| serde_json::from_slice(b).ok())
                .ok_or_else(|| corrupt(p))?;
            let diff_id = blob["diff_id"]
                .as_str()
                .and_then(Digest::parse)
                .ok_or_else(|| corrupt(p))?;
            layers.push(Layer::new(diff_id, blob["size"].as_u64().unwrap_or(0)));
            if let Some(f) = blob["files"].as_object() {
                for (path, v) in f {
                    let bytes: Vec<u8> = match v {
                        Value::String(s) => s.as_bytes().to_vec(),
                        v => serde_json::from_value(v.clone()).unwrap_or_default(),
                    };
                    files.insert(path.as_str().into(), bytes.into());
                }
            }
            if let Some(ps) = blob["programs"].as_array() {
                programs.extend(ps.iter().filter_map(Value::as_str).map(str::to_string));
            }
        }
        let image = image_from_config(config, layers, files, programs)
            .ok_or_else(|| corrupt(config_path))?;
        let tags = item["RepoTags"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        out.push(LoadItem {
            image: Arc::new(image),
            tags,
        });
    }
    Ok(out)
}

/// Rebuilds an image from its config blob; `None` when the blob does not describe these layers.
fn image_from_config(
    config: &[u8],
    layers: Vec<Layer>,
    files: Files,
    programs: BTreeSet<String>,
) -> Option<Image> {
    let doc: Value = serde_json::from_slice(config).ok()?;
    let cfg: ImageConfig = serde_json::from_value(doc["config"].clone()).ok()?;
    let created = parse_rfc3339(doc["created"].as_str()?)?;
    let diff_ids: Vec<&str> = doc["rootfs"]["diff_ids"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if diff_ids.len() != layers.len()
        || diff_ids
            .iter()
            .zip(&layers)
            .any(|(d, l)| *d != l.diff_id.as_str())
    {
        return None;
    }
    let mut sizes = layers.iter().map(|l| l.size);
    let mut history = Vec::new();
    for h in doc["history"].as_array().into_iter().flatten() {
        let empty_layer = h["empty_layer"].as_bool().unwrap_or(false);
        history.push(HistoryEntry {
            created: parse_rfc3339(h["created"].as_str()?)?,
            created_by: h["created_by"].as_str().unwrap_or_default().to_string(),
            empty_layer,
            comment: h["comment"].as_str().unwrap_or_default().to_string(),
            size: if empty_layer {
                0
            } else {
                sizes.next().unwrap_or(0)
            },
        });
    }
    let platform = crate::model::platform::Platform {
        os: doc["os"].as_str().unwrap_or("linux").to_string(),
        architecture: doc["architecture"].as_str().unwrap_or("amd64").to_string(),
        variant: doc["variant"].as_str().map(str::to_string),
    };
    let image = Image::new(
        cfg,
        layers,
        history,
        created,
        Arc::new(files),
        Arc::new(programs),
    )
    .with_platform(platform);
    let (author, comment) = (
        doc["author"].as_str().unwrap_or_default(),
        doc["comment"].as_str().unwrap_or_default(),
    );
    let image = if author.is_empty() && comment.is_empty() {
        image
    } else {
        image.with_commit(author, comment)
    };
    // The ID is the config's sha256: a blob that does not round-trip is not this image.
    (image.id == Digest::of(config)).then_some(image)
}

/// `2026-03-02T09:00:00.000000000Z` → Unix seconds (the inverse of [`clock::rfc3339`]).
fn parse_rfc3339(s: &str) -> Option<u64> {
    let num = |a: usize, b: usize| s.get(a..b)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    // Howard Hinnant's days-from-civil.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec;
    let secs = u64::try_from(secs).ok()?;
    (clock::rfc3339(secs) == s).then_some(secs)
}

/// `docker save IMAGE... [-o FILE]`: the archive goes to `FILE` in the working folder, else to standard
/// output (which the CLI refuses when it is a terminal).
pub fn save_command(
    world: &mut World,
    host: &str,
    args: &[ImageArg],
    output: Option<&str>,
    input: &Input,
    out: &mut Outcome,
) {
    if output.is_none() && input.tty {
        return out.error(DockerError::SaveToTerminal, 1);
    }
    let m = world.machine(host);
    // One manifest entry per image, with every tag the arguments named for it, in argument order.
    let mut order: Vec<(Arc<Image>, Vec<String>)> = Vec::new();
    for arg in args {
        let targets = match save_targets(&m.images, arg) {
            Ok(t) => t,
            Err(e) => return out.error(e, 1),
        };
        for (id, tag) in targets {
            let Some(stored) = m.images.images.get(&id) else {
                return out.error(DockerError::no_such_image(arg.raw.clone()), 1);
            };
            match order.iter_mut().find(|(i, _)| i.id == id) {
                Some((_, tags)) => {
                    if let Some(t) = tag.filter(|t| !tags.contains(t)) {
                        tags.push(t);
                    }
                }
                None => order.push((Arc::clone(&stored.image), tag.into_iter().collect())),
            }
        }
    }
    let items: Vec<SaveItem> = order
        .iter()
        .map(|(image, tags)| SaveItem {
            image,
            tags: tags.clone(),
        })
        .collect();
    let bytes = save(&items);
    if bytes.len() > MAX_ARCHIVE_BYTES {
        return out.error(
            DockerError::ArchiveTooLarge {
                path: output.unwrap_or("/dev/stdout").to_string(),
            },
            1,
        );
    }
    match output {
        Some(file) => {
            m.files
                .insert(file.trim_start_matches("./").to_string(), bytes.into());
        }
        None => out.push(Event::Archive(bytes)),
    }
}

/// What the exporter takes for one argument of `docker save`, as image IDs with the tag (familiar form)
/// to write for each (moby `image/tarexport/save.go` `parseNames`):
/// - a name without tag or digest (`app`) is every reference of that repository, in the sorted order of
///   their full strings (tags write their name, digest references none); a name no reference has is
///   looked up as an image ID or unique prefix, else `No such image: app`;
/// - a tag or digest reference (`app:2`, `app@sha256:…`) must be in the reference store, else `reference
///   does not exist` (the image store is not asked);
/// - an ID (`sha256:…`, 64 or fewer hex) is the image, without a tag.
pub fn save_targets(
    images: &ImageStore,
    arg: &ImageArg,
) -> Result<Vec<(Digest, Option<String>)>, DockerError> {
    let by_id = || {
        images
            .lookup_id(&arg.raw)
            .map(|s| vec![(s.image.id.clone(), None)])
            .ok_or_else(|| DockerError::no_such_image(arg.raw.clone()))
    };
    let r = match &arg.parsed {
        Ok(r) => r,
        // 64 hex is an image ID to the daemon's parser; anything else that does not parse is its error.
        Err(RefError::HexRepository { .. }) => return by_id(),
        Err(error) => {
            return Err(DockerError::InvalidReference {
                error: error.clone(),
                daemon: true,
            });
        }
    };
    if arg.raw.starts_with("sha256:") {
        return by_id();
    }
    if let Some(d) = r.digest_ref() {
        return images
            .digest_refs
            .get(&d)
            .map(|id| vec![(id.clone(), None)])
            .ok_or(DockerError::ReferenceDoesNotExist);
    }
    if let Some(t) = r.tag_ref() {
        return images
            .tags
            .get(&t)
            .map(|id| vec![(id.clone(), Some(t.familiar()))])
            .ok_or(DockerError::ReferenceDoesNotExist);
    }
    let repo = r.repo();
    let mut found: Vec<(Digest, Option<String>)> = Vec::new();
    for (t, id) in images.repo_tags(repo) {
        found.push((id.clone(), Some(t.familiar())));
    }
    // `name:tag` sorts before `name@sha256:…` (':' < '@'), so digest references come after the tags.
    if let Some(lowest) = Digest::parse(&format!("sha256:{}", "0".repeat(64))) {
        let start = DigestRef {
            repo: repo.clone(),
            digest: lowest,
        };
        found.extend(
            images
                .digest_refs
                .range(start..)
                .take_while(|(d, _)| d.repo == *repo)
                .map(|(_, id)| (id.clone(), None)),
        );
    }
    if found.is_empty() {
        return by_id();
    }
    Ok(found)
}

/// `docker load [-i FILE]`: reads an archive from `FILE` in the working folder or from standard input,
/// stores its images and points their tags at them.
pub fn load_command(
    world: &mut World,
    host: &str,
    file: Option<&str>,
    input: &Input,
    out: &mut Outcome,
) {
    let now = world.now;
    let m = world.machine(host);
    let bytes: Vec<u8> = match file {
        Some(f) => match m.files.get(f.trim_start_matches("./")) {
            Some(b) => b.to_vec(),
            None => {
                return out.error(
                    DockerError::OpenFile {
                        path: f.to_string(),
                    },
                    1,
                );
            }
        },
        None => match &input.stdin {
            Some(s) => s.as_bytes().to_vec(),
            None if input.tty => return out.error(DockerError::LoadFromTerminal, 1),
            None => Vec::new(),
        },
    };
    let items = match load(&bytes) {
        Ok(items) => items,
        Err(problem) => return out.error(DockerError::ArchiveUnreadable { problem }, 1),
    };
    // The archive holds each layer once, however many of its images share it; what the machine had is
    // counted before any of them is stored.
    let chains: BTreeSet<&Digest> = items.iter().flat_map(|i| i.image.chains.iter()).collect();
    let carried = chains.len();
    let already = chains.iter().filter(|c| m.images.has_chain(c)).count();
    let mut lines = Vec::new();
    for item in &items {
        let id = item.image.id.clone();
        m.images.insert(Arc::clone(&item.image));
        let mut tagged = false;
        for t in &item.tags {
            let Ok(r) = ImageRef::parse(t) else { continue };
            let Some(full) = r.with_default_tag().tag_ref() else {
                continue;
            };
            if let Some(old) = m.images.tags.get(&full).filter(|o| **o != id) {
                lines.push(LoadedLine::Replaced {
                    tag: t.clone(),
                    old: old.clone(),
                });
            }
            m.images.set_tag(&full, &id, now);
            lines.push(LoadedLine::Tag(t.clone()));
            tagged = true;
        }
        if !tagged {
            lines.push(LoadedLine::Id(id));
        }
    }
    out.push(Event::Loaded(lines));
    if carried > 0 {
        out.note(Note::ArchiveCarried {
            layers: carried,
            already,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tarball::TarError;

    fn image(cmd: &str) -> Image {
        let config = ImageConfig {
            cmd: Some(vec![cmd.to_string()]),
            env: vec!["PATH=/bin".into()],
            ..ImageConfig::default()
        };
        let base = Layer::new(Digest::of(b"base"), 4_000_000);
        let app = Layer::new(Digest::of(b"app"), 1234);
        let history = vec![
            HistoryEntry {
                created: clock::WORLD_EPOCH,
                created_by: "ADD rootfs.tar /".into(),
                empty_layer: false,
                comment: String::new(),
                size: 4_000_000,
            },
            HistoryEntry {
                created: clock::WORLD_EPOCH + 5,
                created_by: "COPY . . # buildkit".into(),
                empty_layer: false,
                comment: "buildkit.dockerfile.v0".into(),
                size: 1234,
            },
            HistoryEntry {
                created: clock::WORLD_EPOCH + 5,
                created_by: format!("CMD [\"{cmd}\"]"),
                empty_layer: true,
                comment: "buildkit.dockerfile.v0".into(),
                size: 0,
            },
        ];
        let mut files = Files::new();
        files.insert(
            "/app/server.js".into(),
            crate::model::image::FileBytes::from(&b"console.log(1)\n"[..]),
        );
        files.insert(
            "/app/blob.bin".into(),
            crate::model::image::FileBytes::from(&[0xffu8, 0, 1][..]),
        );
        Image::new(
            config,
            vec![base, app],
            history,
            clock::WORLD_EPOCH + 5,
            Arc::new(files),
            Arc::new(["node".to_string()].into_iter().collect()),
        )
    }

    #[test]
    fn a_saved_image_loads_back_with_the_same_id_layers_history_and_tags() {
        let img = image("node");
        let bytes = save(&[SaveItem {
            image: &img,
            tags: vec!["myimage:latest".into(), "alice/app:1.0".into()],
        }]);
        let loaded = load(&bytes).unwrap();
        assert_eq!(loaded.len(), 1);
        assert_eq!(*loaded[0].image, img);
        assert_eq!(loaded[0].tags, vec!["myimage:latest", "alice/app:1.0"]);
    }

    #[test]
    fn the_archive_has_the_layout_docker_save_writes() {
        let img = image("node");
        let bytes = save(&[SaveItem {
            image: &img,
            tags: vec!["myimage:latest".into()],
        }]);
        let names: Vec<String> = tarball::read(&bytes)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names[..2], ["blobs/", "blobs/sha256/"]);
        assert!(names.contains(&format!("blobs/sha256/{}", img.id.hex())));
        for l in &img.layers {
            assert!(names.contains(&format!("blobs/sha256/{}", l.diff_id.hex())));
        }
        assert_eq!(
            names[names.len() - 4..],
            ["index.json", "manifest.json", "oci-layout", "repositories"]
        );
        // config + 2 layers + the OCI manifest
        assert_eq!(names.iter().filter(|n| n.len() == 77).count(), 4);
    }

    #[test]
    fn shared_layers_are_written_once() {
        let a = image("node");
        let b = image("sh");
        let bytes = save(&[
            SaveItem {
                image: &a,
                tags: vec!["a:latest".into()],
            },
            SaveItem {
                image: &b,
                tags: vec![],
            },
        ]);
        let entries = tarball::read(&bytes).unwrap();
        let base = format!("blobs/sha256/{}", a.layers[0].diff_id.hex());
        assert_eq!(entries.iter().filter(|e| e.name == base).count(), 1);
        let loaded = load(&bytes).unwrap();
        assert_eq!(loaded[1].image.id, b.id);
        assert!(loaded[1].tags.is_empty());
    }

    #[test]
    fn what_is_not_an_archive_does_not_load() {
        assert_eq!(load(b""), Err(LoadProblem::NoRepositories));
        assert_eq!(
            load(b"hi\n"),
            Err(LoadProblem::Tar(TarError::UnexpectedEof))
        );
        let no_manifest = tarball::write(&[file("x", b"y".to_vec())]);
        assert_eq!(load(&no_manifest), Err(LoadProblem::NoRepositories));
    }

    #[test]
    fn times_round_trip() {
        for s in [
            0,
            clock::WORLD_EPOCH,
            951_782_400,
            clock::WORLD_EPOCH + 86_399,
        ] {
            assert_eq!(parse_rfc3339(&clock::rfc3339(s)), Some(s));
        }
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn a_name_saves_every_tag_of_its_repository_a_tag_must_exist() {
        let a = Arc::new(image("a"));
        let b = Arc::new(image("b"));
        let mut store = ImageStore::default();
        store.insert(Arc::clone(&a));
        store.insert(Arc::clone(&b));
        let tag = |t: &str| ImageRef::parse(t).unwrap().tag_ref().unwrap();
        store.set_tag(&tag("app:latest"), &a.id, 0);
        store.set_tag(&tag("app:2"), &b.id, 0);
        store.set_tag(&tag("app:1"), &a.id, 0);
        store.set_tag(&tag("other:1"), &b.id, 0);
        let targets = |w: &str| save_targets(&store, &ImageArg::new(w));
        let named = |id: &Digest, t: &str| (id.clone(), Some(t.to_string()));
        // Sorted by the full reference: app:1, app:2, app:latest.
        assert_eq!(
            targets("app"),
            Ok(vec![
                named(&a.id, "app:1"),
                named(&b.id, "app:2"),
                named(&a.id, "app:latest")
            ])
        );
        assert_eq!(targets("app:2"), Ok(vec![named(&b.id, "app:2")]));
        assert_eq!(targets("app:3"), Err(DockerError::ReferenceDoesNotExist));
        assert_eq!(targets("nosuch"), Err(DockerError::no_such_image("nosuch")));
        let prefix = &a.id.hex()[..12];
        assert_eq!(targets(prefix), Ok(vec![(a.id.clone(), None)]));
        let full = a.id.to_string();
        assert_eq!(targets(&full), Ok(vec![(a.id.clone(), None)]));
        assert_eq!(targets(a.id.hex()), Ok(vec![(a.id.clone(), None)]));
        assert!(matches!(
            targets("MyApp"),
            Err(DockerError::InvalidReference { daemon: true, .. })
        ));
    }
}
