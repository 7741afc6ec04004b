//! `docker manifest create/inspect/push/rm`: the CLI's own way to publish one name for several CPUs. Each
//! member is an image already pushed for one platform; `create` records their registry manifests in a
//! local list (in the client, under `~/.docker/manifests`), `push` writes that list to the registry as a
//! manifest list, and from then on a pull of the list's name takes the member for the puller's platform.
//!
//! The CLI talks to registries itself (not through the daemon): a plain-HTTP registry (`127.0.0.1:5000`)
//! needs `--insecure` at `create`/`inspect`, and without it the manifest is "not found" (oracle). Sources:
//! docker/cli 28.2.2 `cli/command/manifest/{create_list,inspect,push,rm}.go`, the oracle for every message.

use super::Outcome;
use super::buildx::simulated_registry;
use super::distribution::{self, is_loopback};
use crate::command::Manifest;
use crate::digest::Digest;
use crate::docker_error::{ManifestError, Transfer};
use crate::event::{
    DockerError, Event, ImageManifestJson, ListEntry, ManifestEvent, ManifestListJson,
};
use crate::model::image::Image;
use crate::model::manifest_list::ListMember;
use crate::model::registry::{Policy, Registry};
use crate::model::world::World;
use crate::reference::{ImageArg, ImageRef};
use std::sync::Arc;

const LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const IMAGE: &str = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_IMAGE: &str = "application/vnd.oci.image.manifest.v1+json";

fn fail(out: &mut Outcome, e: ManifestError) {
    out.error(DockerError::Manifest(e), 1);
}

/// A name as the CLI normalises it (default tag added), or its parse error.
fn parse(arg: &ImageArg) -> Result<ImageRef, ManifestError> {
    match &arg.parsed {
        Ok(r) => Ok(r.clone().with_default_tag()),
        Err(e) => Err(ManifestError::InvalidReference {
            reference: arg.raw.clone(),
            why: e.to_string(),
        }),
    }
}

/// `docker manifest …`.
pub fn manifest(world: &mut World, host: &str, cmd: &Manifest, out: &mut Outcome) {
    let result = match cmd {
        Manifest::Create {
            list,
            members,
            amend,
            insecure,
        } => create(world, host, list, members, (*amend, *insecure), out),
        Manifest::Inspect {
            list,
            name,
            insecure,
        } => inspect(world, host, list.as_ref(), name, *insecure, out),
        Manifest::Push { list, purge } => push(world, host, list, *purge, out),
        Manifest::Rm { lists } => rm(world, host, lists),
    };
    if let Err(e) = result {
        fail(out, e);
    }
}

/// The registry's image manifest for `r`, as the CLI's registry client finds it.
fn fetch(
    world: &mut World,
    host: &str,
    r: &ImageRef,
    insecure: bool,
) -> Result<(Digest, crate::model::registry::Manifest), ManifestError> {
    let missing = || ManifestError::NoSuchManifest {
        reference: r.full(),
    };
    // Plain HTTP only when asked: the CLI's client tries HTTPS and finds nothing.
    if is_loopback(r.domain()) && !insecure {
        return Err(missing());
    }
    let user = distribution::user_of(world, host, r.domain());
    let at =
        distribution::locate(world, host, r.domain(), Transfer::Pull).map_err(|_| missing())?;
    let reg = simulated_registry(world, &at).ok_or_else(missing)?;
    if !reg.can_read(user.as_deref(), r.path())
        || (reg.policy == Policy::Password && user.is_none())
    {
        return Err(missing());
    }
    let found = match (r.digest(), r.tag()) {
        (Some(d), _) => Digest::parse(d).and_then(|d| {
            reg.resolve_digest(r.path(), &d)
                .map(|m| (d.clone(), m.clone()))
        }),
        (None, Some(t)) => reg
            .resolve(r.path(), t)
            .map(|(d, m)| (d.clone(), m.clone())),
        (None, None) => None,
    };
    found.ok_or_else(missing)
}

fn create(
    world: &mut World,
    host: &str,
    list: &ImageArg,
    members: &[ImageArg],
    (amend, insecure): (bool, bool),
    out: &mut Outcome,
) -> Result<(), ManifestError> {
    let target = parse(list)?.full();
    if world.machines[host].manifest_lists.contains_key(&target) && !amend {
        return Err(ManifestError::AmendWithoutFlag);
    }
    let mut found: Vec<ListMember> = Vec::new();
    for m in members {
        let r = parse(m)?;
        let (_, manifest) = fetch(world, host, &r, insecure)?;
        found.push(ListMember {
            reference: r.full(),
            image: manifest.image.clone(),
        });
    }
    let machine = world.machine(host);
    let entry = machine.manifest_lists.entry(target.clone()).or_default();
    for m in found {
        // `--amend` replaces a member of the same digest and adds the others.
        entry.retain(|e| e.image.manifest_digest() != m.image.manifest_digest());
        entry.push(m);
    }
    out.push(Event::Manifest(ManifestEvent::Created { list: target }));
    Ok(())
}

fn list_json(members: &[Arc<Image>]) -> ManifestListJson {
    ManifestListJson {
        media_type: LIST.into(),
        manifests: members
            .iter()
            .map(|i| ListEntry {
                media_type: IMAGE.into(),
                size: i.manifest_size(),
                digest: i.manifest_digest(),
                platform: platform_of(i),
                attests: None,
            })
            .collect(),
    }
}

fn platform_of(i: &Image) -> (String, String, Option<String>) {
    (
        i.platform.architecture.clone(),
        i.platform.os.clone(),
        i.platform.variant.clone(),
    )
}

fn inspect(
    world: &mut World,
    host: &str,
    list: Option<&ImageArg>,
    name: &ImageArg,
    insecure: bool,
    out: &mut Outcome,
) -> Result<(), ManifestError> {
    let r = parse(name)?;
    let machine = &world.machines[host];
    if let Some(list) = list {
        // A member of a local list.
        let l = parse(list)?.full();
        let member = machine
            .manifest_lists
            .get(&l)
            .and_then(|ms| ms.iter().find(|m| m.reference == r.full()))
            .ok_or(ManifestError::NoSuchManifest {
                reference: r.full(),
            })?;
        out.push(Event::Manifest(ManifestEvent::Image(image_json(
            &member.image,
        ))));
        return Ok(());
    }
    if let Some(ms) = machine.manifest_lists.get(&r.full()) {
        let images: Vec<Arc<Image>> = ms.iter().map(|m| m.image.clone()).collect();
        out.push(Event::Manifest(ManifestEvent::List(list_json(&images))));
        return Ok(());
    }
    let (_, m) = fetch(world, host, &r, insecure)?;
    if !m.is_index {
        out.push(Event::Manifest(ManifestEvent::Image(image_json(&m.image))));
        return Ok(());
    }
    let images: Vec<Arc<Image>> = std::iter::once(m.image.clone())
        .chain(m.others.iter().cloned())
        .collect();
    let mut json = list_json(&images);
    if !m.attestations.is_empty() {
        // An index buildx pushed: OCI media types, and each member's provenance attestation.
        json.media_type = OCI_INDEX.into();
        for e in &mut json.manifests {
            e.media_type = OCI_IMAGE.into();
        }
        for (a, i) in m.attestations.iter().zip(&images) {
            json.manifests.push(ListEntry {
                media_type: OCI_IMAGE.into(),
                size: 566,
                digest: a.clone(),
                platform: ("unknown".into(), "unknown".into(), None),
                attests: Some(i.manifest_digest()),
            });
        }
    }
    out.push(Event::Manifest(ManifestEvent::List(json)));
    Ok(())
}

fn image_json(i: &Image) -> ImageManifestJson {
    ImageManifestJson {
        config_size: i.config_size,
        config_digest: i.id.clone(),
        layers: i
            .layers
            .iter()
            .map(|l| (l.compressed_size(), l.blob.clone()))
            .collect(),
    }
}

fn push(
    world: &mut World,
    host: &str,
    list: &ImageArg,
    purge: bool,
    out: &mut Outcome,
) -> Result<(), ManifestError> {
    let r = parse(list)?;
    let target = r.full();
    let Some(members) = world.machines[host].manifest_lists.get(&target).cloned() else {
        return Err(ManifestError::NoSuchList { reference: target });
    };
    let images: Vec<Arc<Image>> = members.iter().map(|m| m.image.clone()).collect();
    let denied = || ManifestError::PushDenied {
        reference: target.clone(),
    };
    let user = distribution::user_of(world, host, r.domain());
    let at = distribution::locate(world, host, r.domain(), Transfer::Push).map_err(|_| denied())?;
    let reg: &mut Registry = simulated_registry(world, &at).ok_or_else(denied)?;
    if !reg.can_write(user.as_deref(), r.path())
        || (reg.policy == Policy::Password && user.is_none())
    {
        return Err(denied());
    }
    let mut parts: Vec<&[u8]> = vec![b"manifest-list"];
    let digests: Vec<Digest> = images.iter().map(|i| i.manifest_digest()).collect();
    for d in &digests {
        parts.push(d.as_str().as_bytes());
    }
    let digest = Digest::of_parts(&parts);
    let owner =
        (reg.policy == Policy::Hub).then(|| r.path().split('/').next().unwrap_or("").to_string());
    let tag = r.tag().unwrap_or("latest");
    reg.put_index(r.path(), tag, &images, digest.clone(), owner);
    if purge {
        world.machine(host).manifest_lists.remove(&target);
    }
    out.push(Event::Manifest(ManifestEvent::Pushed { digest }));
    Ok(())
}

fn rm(world: &mut World, host: &str, lists: &[ImageArg]) -> Result<(), ManifestError> {
    for l in lists {
        let target = parse(l)?.full();
        if world.machine(host).manifest_lists.remove(&target).is_none() {
            return Err(ManifestError::NoSuchList { reference: target });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(world: &mut World, text: &str) -> Outcome {
        crate::engine::run_test_line(world, text)
    }

    #[test]
    fn a_pushed_list_gives_each_platform_its_member() {
        let mut w = World::new();
        w.machine("default").files.insert(
            "Dockerfile".into(),
            (&b"FROM alpine\nCMD [\"sh\"]\n"[..]).into(),
        );
        line(
            &mut w,
            "docker run -d -p 5000:5000 --name registry registry:2",
        );
        line(&mut w, "docker build -t localhost:5000/app:amd64 .");
        line(
            &mut w,
            "docker build --platform linux/arm64 -t localhost:5000/app:arm64 .",
        );
        line(&mut w, "docker push localhost:5000/app:amd64");
        line(&mut w, "docker push localhost:5000/app:arm64");
        let out = line(
            &mut w,
            "docker manifest create localhost:5000/app:multi localhost:5000/app:amd64 localhost:5000/app:arm64",
        );
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Manifest(ManifestError::NoSuchManifest { .. }))
        ));
        let out = line(
            &mut w,
            "docker manifest create --insecure localhost:5000/app:multi localhost:5000/app:amd64 localhost:5000/app:arm64",
        );
        assert_eq!(out.exit_code, 0);
        let out = line(
            &mut w,
            "docker manifest create --insecure localhost:5000/app:multi localhost:5000/app:amd64",
        );
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Manifest(ManifestError::AmendWithoutFlag))
        ));
        let out = line(
            &mut w,
            "docker manifest push --purge localhost:5000/app:multi",
        );
        let Some(Event::Manifest(ManifestEvent::Pushed { digest })) = out.events.last() else {
            panic!("{:?}", out.events)
        };
        let digest = digest.clone();
        assert!(w.machines["default"].manifest_lists.is_empty());
        line(&mut w, "docker rmi localhost:5000/app:arm64");
        let out = line(
            &mut w,
            "docker pull --platform linux/arm64 localhost:5000/app:multi",
        );
        assert_eq!(out.exit_code, 0);
        let img = w.machines["default"]
            .images
            .lookup("localhost:5000/app:multi")
            .expect("pulled");
        assert_eq!(img.image.platform.architecture, "arm64");
        let m = &w.machines["default"];
        let reg = m
            .containers
            .named("registry")
            .and_then(|c| c.registry.as_deref())
            .expect("a registry");
        assert_eq!(
            reg.resolve("app", "multi").map(|(d, _)| d.clone()),
            Some(digest)
        );
        let out = line(&mut w, "docker manifest rm localhost:5000/app:multi");
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Manifest(ManifestError::NoSuchList { .. }))
        ));
    }
}
