//! `docker buildx`: builder instances, and builds on a `docker-container` builder.
//!
//! The engine's own builder (`default`, docker driver, classic image store) builds one platform into the
//! image store. `docker buildx create` adds a builder that runs BuildKit in a container of its own: it can
//! build every requested platform in one go and publish them as one index (`--push`), so an arm64 laptop and
//! an amd64 server each pull their own member under one name. The price a learner meets: that builder keeps
//! its cache, its bases and its result to itself. It never sees the machine's images (`FROM` always resolves
//! on the registry), and a build without `--push` or `--load` leaves nothing in `docker images`.
//!
//! Sources: docker/buildx v0.24 `commands/{create,use,ls,rm,inspect}.go`, `builder/builder.go`,
//! `build/build.go`, `build/opt.go`, `driver/docker-container/driver.go`; moby/buildkit
//! `exporter/containerimage/{export,writer}.go`, `util/push/push.go`.

use super::Outcome;
use super::build::{self, Ran, Runner};
use super::distribution::{self, RegistryAccess};
use crate::command::{Build, Buildx};
use crate::digest::Digest;
use crate::docker_error::{BuildxError, Transfer};
use crate::event::{
    BootReport, BuildFailure, BuilderView, BuildxEvent, BuildxFailure, BuildxOutput, BuildxReport,
    BuildxWarning, DockerError, Event, ExportedImage, ImagetoolsReport, IndexMember, NodeView,
    Note,
};
use crate::model::builder::{self as model, Builder};
use crate::model::image::Image;
use crate::model::platform::Platform;
use crate::model::registry::{Policy, Registry};
use crate::model::world::World;
use std::sync::Arc;

/// The socket a `docker-container` node talks to (the machine's own engine).
const ENDPOINT: &str = "unix:///var/run/docker.sock";

/// Where buildx keeps its instances (`$HOME/.docker/buildx`; the learner's home, as `login` says).
const INSTANCES: &str = "/home/learner/.docker/buildx/instances";

/// The names buildx accepts (`store.ValidateName`: a letter, then letters, digits and `._-`).
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn fail(out: &mut Outcome, e: BuildxError) {
    out.error(DockerError::Buildx(e), 1);
}

/// `docker buildx create|use|ls|rm|inspect|imagetools inspect`.
pub fn buildx(world: &mut World, host: &str, cmd: &Buildx, out: &mut Outcome) {
    match cmd {
        Buildx::Create {
            name,
            driver,
            use_it,
            bootstrap,
            platforms,
        } => create(
            world,
            host,
            (name.as_deref(), driver.as_deref()),
            (*use_it, *bootstrap),
            platforms,
            out,
        ),
        Buildx::Use { name } => use_builder(world, host, name.as_deref().unwrap_or(""), out),
        Buildx::Ls => {
            let m = &world.machines[host];
            let mut builders: Vec<BuilderView> = m.builders.values().map(|b| view(m, b)).collect();
            builders.push(default_view(m));
            out.push(Event::Buildx(Box::new(BuildxEvent::List { builders })));
        }
        Buildx::Rm { names } => rm(world, host, names, out),
        Buildx::Inspect { name, bootstrap } => {
            inspect(world, host, name.as_deref(), *bootstrap, out)
        }
        Buildx::ImagetoolsInspect { reference } => imagetools_inspect(world, host, reference, out),
    }
}

fn create(
    world: &mut World,
    host: &str,
    (name, driver): (Option<&str>, Option<&str>),
    (use_it, bootstrap): (bool, bool),
    platforms: &[String],
    out: &mut Outcome,
) {
    if name == Some("default") {
        return fail(out, BuildxError::ReservedName);
    }
    let name = match name {
        Some(n) if !valid_name(n) => {
            return fail(
                out,
                BuildxError::InvalidName {
                    name: n.to_string(),
                },
            );
        }
        Some(n) => n.to_lowercase(),
        // buildx `store.GenerateName`: moby's name generator, retried while the name is taken.
        None => {
            let m = world.machine(host);
            let seed = m.counter;
            m.counter += 1;
            (0..6)
                .map(|retry| crate::names::generate(seed ^ 0x6275_696c_6478, retry))
                .find(|n| !m.builders.contains_key(n))
                .unwrap_or_else(|| crate::names::generate(seed, 7))
        }
    };
    if world.machines[host].builders.contains_key(&name) {
        return fail(out, BuildxError::ExistingInstance { name });
    }
    match driver.unwrap_or(model::DOCKER_CONTAINER) {
        model::DOCKER_CONTAINER => {}
        "docker" => {
            return fail(
                out,
                BuildxError::NoMoreInstances {
                    driver: "docker".into(),
                },
            );
        }
        "kubernetes" | "remote" => {
            out.note(Note::NotSimulated {
                path: format!("buildx create --driver {}", driver.unwrap_or_default()),
            });
            out.exit_code = 1;
            return;
        }
        other => {
            return fail(
                out,
                BuildxError::DriverNotFound {
                    driver: other.to_string(),
                },
            );
        }
    }
    let mut fixed = Vec::new();
    for p in platforms.iter().flat_map(|p| p.split(',')) {
        match Platform::parse(p) {
            Ok(p) => fixed.push(p),
            Err(e) => return fail(out, BuildxError::Platform(e)),
        }
    }
    let now = world.now;
    let m = world.machine(host);
    let mut b = Builder::new(&name, fixed, now);
    let boot = bootstrap.then(|| boot_now(&mut b));
    m.builders.insert(name.clone(), b);
    if use_it {
        m.current_builder = Some(name.clone());
    }
    out.push(Event::Buildx(Box::new(BuildxEvent::Created { name, boot })));
}

/// Starts a builder's BuildKit container (the first build, `--bootstrap`).
fn boot_now(b: &mut Builder) -> BootReport {
    b.booted = true;
    BootReport {
        container: b.container(),
    }
}

fn use_builder(world: &mut World, host: &str, name: &str, out: &mut Outcome) {
    let now = world.now;
    let m = world.machine(host);
    if name == "default" {
        m.current_builder = None;
        return;
    }
    let lower = name.to_lowercase();
    let Some(b) = m.builders.get_mut(&lower).filter(|_| valid_name(name)) else {
        return fail(
            out,
            BuildxError::UseNotFound {
                name: name.to_string(),
                path: format!("{INSTANCES}/{lower}"),
                invalid: !valid_name(name),
            },
        );
    };
    b.last_activity = now;
    m.current_builder = Some(lower);
}

fn rm(world: &mut World, host: &str, names: &[String], out: &mut Outcome) {
    let m = world.machine(host);
    let names: Vec<String> = if names.is_empty() {
        vec![
            m.current_builder
                .clone()
                .unwrap_or_else(|| "default".into()),
        ]
    } else {
        names.to_vec()
    };
    let mut failed = false;
    for name in names {
        let lower = name.to_lowercase();
        if name == "default" {
            failed = true;
            out.push(Event::Error(DockerError::Buildx(
                BuildxError::RemoveFailed {
                    name,
                    why: Box::new(BuildxError::ContextBuilder {
                        name: "default".into(),
                    }),
                },
            )));
            continue;
        }
        if m.builders.remove(&lower).is_none() {
            failed = true;
            out.push(Event::Error(DockerError::Buildx(
                BuildxError::RemoveFailed {
                    why: Box::new(BuildxError::NoBuilder { name: name.clone() }),
                    name,
                },
            )));
            continue;
        }
        if m.current_builder.as_deref() == Some(lower.as_str()) {
            m.current_builder = None;
        }
        out.push(Event::Buildx(Box::new(BuildxEvent::Removed { name })));
    }
    if failed {
        fail(out, BuildxError::RemoveSomeFailed);
    }
}

fn inspect(world: &mut World, host: &str, name: Option<&str>, bootstrap: bool, out: &mut Outcome) {
    let m = world.machine(host);
    let name = name
        .map(str::to_lowercase)
        .or_else(|| m.current_builder.clone());
    let Some(name) = name.filter(|n| n != "default") else {
        let builder = default_view(m);
        out.push(Event::Buildx(Box::new(BuildxEvent::Inspect {
            builder,
            boot: None,
        })));
        return;
    };
    let Some(b) = m.builders.get_mut(&name) else {
        return fail(out, BuildxError::NoBuilder { name });
    };
    let boot = (bootstrap && !b.booted).then(|| boot_now(b));
    let b = b.clone();
    let builder = view(m, &b);
    out.push(Event::Buildx(Box::new(BuildxEvent::Inspect {
        builder,
        boot,
    })));
}

/// A `docker-container` builder as `ls`/`inspect` show it.
fn view(m: &crate::model::machine::Machine, b: &Builder) -> BuilderView {
    let platforms = if b.booted {
        let mut v: Vec<String> = b.fixed_platforms.iter().map(|p| format!("{p}*")).collect();
        for p in model::detected_platforms(&m.platform) {
            if !b.fixed_platforms.iter().any(|f| f.to_string() == p) {
                v.push(p);
            }
        }
        v
    } else {
        b.fixed_platforms.iter().map(|p| format!("{p}*")).collect()
    };
    BuilderView {
        name: b.name.clone(),
        driver: b.driver.clone(),
        current: m.current_builder.as_deref() == Some(b.name.as_str()),
        last_activity: Some(b.last_activity),
        node: NodeView {
            name: b.node(),
            endpoint: ENDPOINT.into(),
            running: b.booted,
            flags: vec!["--allow-insecure-entitlement=network.host".into()],
            version: b.booted.then(|| model::BUILDKIT_VERSION.to_string()),
            platforms,
            labels: if b.booted {
                worker_labels(Digest::of_parts(&[b"buildkit", b.container().as_bytes()]).short())
            } else {
                vec![]
            },
        },
    }
}

/// The engine's own builder (named after the Docker context, `default`).
fn default_view(m: &crate::model::machine::Machine) -> BuilderView {
    BuilderView {
        name: "default".into(),
        driver: "docker".into(),
        current: m.current_builder.is_none(),
        last_activity: None,
        node: NodeView {
            name: "default".into(),
            endpoint: "default".into(),
            running: true,
            flags: vec![],
            version: Some(model::BUILDKIT_VERSION.to_string()),
            platforms: model::detected_platforms(&m.platform),
            // moby `builder/builder-next/controller.go` `getLabels`: only the host gateway's address.
            labels: vec![(
                "org.mobyproject.buildkit.worker.moby.host-gateway-ip".into(),
                "172.17.0.1".into(),
            )],
        },
    }
}

/// BuildKit's OCI worker labels (buildx `inspect`), the hostname being the BuildKit container's.
fn worker_labels(hostname: &str) -> Vec<(String, String)> {
    [
        ("org.mobyproject.buildkit.worker.executor", "oci"),
        ("org.mobyproject.buildkit.worker.hostname", hostname),
        ("org.mobyproject.buildkit.worker.network", "host"),
        (
            "org.mobyproject.buildkit.worker.oci.process-mode",
            "sandbox",
        ),
        ("org.mobyproject.buildkit.worker.selinux.enabled", "false"),
        ("org.mobyproject.buildkit.worker.snapshotter", "overlayfs"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `docker build` / `docker buildx build`: on a `docker-container` builder this runs here and returns
/// `true`; on the engine's builder it only adds what buildx says first (`--squash`'s warning) and returns
/// `false` for `build::build` to run it.
pub fn build(world: &mut World, host: &str, b: &Build, out: &mut Outcome) -> bool {
    if b.legacy {
        return false;
    }
    let m = &world.machines[host];
    let name = b
        .builder
        .clone()
        .map(|n| n.to_lowercase())
        .or_else(|| m.current_builder.clone())
        .filter(|n| n != "default");
    if b.squash {
        warn(out, BuildxWarning::SquashRemoved);
    }
    let Some(name) = name else {
        if b.push {
            // The docker driver's moby exporter pushing from the daemon: not simulated.
            out.note(Note::NotSimulated {
                path: "build --push".into(),
            });
            out.exit_code = 1;
            return true;
        }
        return false;
    };
    if !m.builders.contains_key(&name) {
        fail(out, BuildxError::NoBuilder { name });
        return true;
    }
    container_build(world, host, b, &name, out);
    true
}

fn warn(out: &mut Outcome, w: BuildxWarning) {
    out.push(Event::Buildx(Box::new(BuildxEvent::Warning(w))));
}

/// The platforms a build asks for (`--platform a,b`), or the builder's default: the machine's own.
fn requested_platforms(
    world: &World,
    host: &str,
    b: &Build,
) -> Result<Vec<Platform>, crate::model::platform::PlatformError> {
    match &b.platform {
        None => Ok(vec![world.machines[host].platform.host_default()]),
        Some(list) => {
            let mut v: Vec<Platform> = Vec::new();
            for p in list.split(',').filter(|p| !p.is_empty()) {
                let p = Platform::parse(p)?;
                if !v.contains(&p) {
                    v.push(p);
                }
            }
            Ok(v)
        }
    }
}

fn container_build(world: &mut World, host: &str, b: &Build, name: &str, out: &mut Outcome) {
    let now = world.now;
    let m = world.machine(host);
    let Some(builder) = m.builders.get_mut(name) else {
        return;
    };
    builder.last_activity = now;
    let boot = (!builder.booted).then(|| boot_now(builder));
    let mut report = BuildxReport {
        builder: name.to_string(),
        boot,
        platforms: vec![],
        output: if b.push {
            BuildxOutput::Push {
                members: vec![],
                index: None,
            }
        } else if b.load {
            BuildxOutput::Load { image: None }
        } else {
            BuildxOutput::CacheOnly
        },
        error: None,
        quiet: b.quiet,
        tags: b
            .tags
            .iter()
            .filter_map(|t| t.clone().with_default_tag().tag_ref())
            .collect(),
    };
    let platforms = match requested_platforms(world, host, b) {
        Ok(p) => p,
        Err(e) => {
            // buildx parses `--platform` before it solves: a report with that one failure.
            let mut single = crate::event::BuildReport::starting(vec![], false, b.quiet, true);
            single.error = Some(BuildFailure::Platform(e));
            report.platforms.push((String::new(), single));
            return finish(report, out, 1);
        }
    };
    // buildx `toSolveOpt`: checked before anything is sent to BuildKit.
    if b.load && platforms.len() > 1 {
        report.error = Some(BuildxFailure::LoadManifestList);
        return finish(report, out, 1);
    }
    if b.push && report.tags.is_empty() {
        report.error = Some(BuildxFailure::PushNeedsTag);
        return finish(report, out, 1);
    }
    let multi = platforms.len() > 1;
    let mut images: Vec<Image> = Vec::new();
    let mut start = world.now;
    let mut longest = 0u64;
    let mut failed: Option<i32> = None;
    for p in &platforms {
        let mut one = b.clone();
        one.platform = Some(p.to_string());
        let label = if multi { p.to_string() } else { String::new() };
        world.now = start;
        swap_caches(world, host, name);
        let ran = build::run(world, host, &one, Runner { isolated: true });
        swap_caches(world, host, name);
        match ran {
            Ran::Built(built) => {
                let (r, image, began) = *built;
                start = began;
                let tenths: u32 = r.steps.iter().map(|s| s.tenths).sum();
                longest = longest.max(u64::from(tenths.div_ceil(10)));
                build::cache_rules(&r, out);
                report.platforms.push((label, r));
                images.push(image);
            }
            // BuildKit solves every platform at once: the others still show up to where it stopped.
            Ran::Failed(r, code) => {
                report.platforms.push((label, *r));
                failed.get_or_insert(code);
            }
            Ran::Limit(limit) => {
                out.note(Note::Limit(limit));
                out.exit_code = 1;
                return;
            }
        }
    }
    if let Some(code) = failed {
        return finish(report, out, code);
    }
    world.now = start.saturating_add(longest);
    if !b.labels.is_empty() {
        let labels = b.labels.iter().cloned().collect();
        images = images.into_iter().map(|i| i.with_labels(&labels)).collect();
    }
    let images: Vec<Arc<Image>> = images.into_iter().map(Arc::new).collect();
    match report.output {
        // The render adds buildx's no-output warning after the progress (logs resume when it closes).
        BuildxOutput::CacheOnly => finish(report, out, 0),
        BuildxOutput::Load { .. } => {
            let Some(image) = images.first() else { return };
            let id = image.id.clone();
            let m = world.machine(host);
            m.images.insert(image.clone());
            for t in &report.tags {
                m.images.set_tag(t, &id, now);
            }
            report.output = BuildxOutput::Load { image: Some(id) };
            finish(report, out, 0);
        }
        BuildxOutput::Push { .. } => {
            let members: Vec<ExportedImage> = images
                .iter()
                .map(|i| ExportedImage {
                    manifest: i.manifest_digest(),
                    config: i.id.clone(),
                    attestation: attestation_digest(i),
                })
                .collect();
            let index = index_digest(&members);
            report.output = BuildxOutput::Push {
                members,
                index: Some(index.clone()),
            };
            for t in report.tags.clone() {
                if let Err(e) = push_index(world, host, &t, &images, &index) {
                    report.error = Some(e);
                    return finish(report, out, 1);
                }
            }
            finish(report, out, 0);
        }
    }
}

fn finish(report: BuildxReport, out: &mut Outcome, code: i32) {
    out.push(Event::Buildx(Box::new(BuildxEvent::Build(report))));
    out.exit_code = code;
}

/// Swaps the machine's step and base caches with the builder's (a `docker-container` builder has its own).
fn swap_caches(world: &mut World, host: &str, name: &str) {
    let m = world.machine(host);
    let Some(b) = m.builders.get_mut(name) else {
        return;
    };
    std::mem::swap(&mut m.build_cache, &mut b.build_cache);
    std::mem::swap(&mut m.base_cache, &mut b.base_cache);
}

/// The provenance attestation manifest buildx adds to each platform (`mode=min`): its own digest.
fn attestation_digest(image: &Image) -> Digest {
    Digest::of_parts(&[
        b"attestation-manifest",
        image.manifest_digest().as_str().as_bytes(),
    ])
}

/// The image exporter's index over the members and their attestations (OCI image index).
fn index_digest(members: &[ExportedImage]) -> Digest {
    let mut parts: Vec<&[u8]> = vec![b"oci-image-index"];
    for m in members {
        parts.push(m.manifest.as_str().as_bytes());
    }
    for m in members {
        parts.push(m.attestation.as_str().as_bytes());
    }
    Digest::of_parts(&parts)
}

/// BuildKit's push of the index to `t`'s registry, with the machine's login (buildx hands BuildKit the
/// CLI's credentials, so the rules are `docker push`'s).
fn push_index(
    world: &mut World,
    host: &str,
    t: &crate::reference::TagRef,
    images: &[Arc<Image>],
    index: &Digest,
) -> Result<(), BuildxFailure> {
    let domain = t.repo.domain().to_string();
    let path = t.repo.path().to_string();
    let reference = t.to_string();
    let user = distribution::user_of(world, host, &domain);
    let at = distribution::locate(world, host, &domain, Transfer::Push).map_err(|_| {
        BuildxFailure::PushUnreachable {
            reference: reference.clone(),
            host: domain.clone(),
        }
    })?;
    let reg: &mut Registry =
        simulated_registry(world, &at).ok_or_else(|| BuildxFailure::PushUnreachable {
            reference: reference.clone(),
            host: domain.clone(),
        })?;
    if reg.policy == Policy::Password && user.is_none() {
        return Err(BuildxFailure::PushUnauthorized {
            reference,
            host: domain,
        });
    }
    if !reg.can_write(user.as_deref(), &path) {
        return Err(BuildxFailure::PushDenied { reference });
    }
    for image in images {
        for l in &image.layers {
            if !reg.repo_has_blob(&path, &l.blob) && !reg.blobs.contains_key(&l.blob) {
                reg.bytes_received += l.compressed_size();
            }
        }
    }
    let owner =
        (reg.policy == Policy::Hub).then(|| path.split('/').next().unwrap_or("").to_string());
    let tag = t.tag.to_string();
    reg.put_index(&path, &tag, images, index.clone(), owner);
    if let Some(m) = reg.manifests.get_mut(index) {
        m.attestations = images.iter().map(|i| attestation_digest(i)).collect();
    }
    Ok(())
}

/// The simulated registry `at` names (a real one is not reached by buildx or `docker manifest` here).
pub(super) fn simulated_registry<'w>(
    world: &'w mut World,
    at: &RegistryAccess,
) -> Option<&'w mut Registry> {
    match at {
        RegistryAccess::Named(h) => world.registries.get_mut(h),
        RegistryAccess::Container { machine, id } => world
            .machines
            .get_mut(machine.as_str())
            .and_then(|m| Arc::make_mut(m).containers.get_mut(id))
            .and_then(|c| c.registry.as_deref_mut()),
        RegistryAccess::Remote(_) => None,
    }
}

fn imagetools_inspect(
    world: &mut World,
    host: &str,
    reference: &crate::reference::ImageArg,
    out: &mut Outcome,
) {
    let r = match &reference.parsed {
        Ok(r) => r.clone().with_default_tag(),
        Err(e) => {
            return fail(
                out,
                BuildxError::InvalidReference {
                    reference: reference.raw.clone(),
                    why: e.to_string(),
                },
            );
        }
    };
    let name = r.full();
    let user = distribution::user_of(world, host, r.domain());
    let not_found = || BuildxError::NotFound {
        reference: name.clone(),
    };
    let Ok(at) = distribution::locate(world, host, r.domain(), Transfer::Pull) else {
        return fail(out, not_found());
    };
    let Some(reg) = at.simulated(world) else {
        return fail(out, not_found());
    };
    if !reg.can_read(user.as_deref(), r.path()) {
        return fail(out, not_found());
    }
    let found = match (r.digest(), r.tag()) {
        (Some(d), _) => {
            Digest::parse(d).and_then(|d| reg.resolve_digest(r.path(), &d).map(|m| (d, m)))
        }
        (None, Some(t)) => reg.resolve(r.path(), t).map(|(d, m)| (d.clone(), m)),
        (None, None) => None,
    };
    let Some((digest, manifest)) = found else {
        return fail(out, not_found());
    };
    let index = manifest.is_index;
    let oci = !manifest.attestations.is_empty();
    let member_type = if oci {
        "application/vnd.oci.image.manifest.v1+json"
    } else {
        "application/vnd.docker.distribution.manifest.v2+json"
    };
    let mut members: Vec<IndexMember> = Vec::new();
    if index {
        for i in std::iter::once(&manifest.image).chain(manifest.others.iter()) {
            members.push(IndexMember {
                digest: i.manifest_digest(),
                media_type: member_type.into(),
                platform: i.platform.to_string(),
                attests: None,
            });
        }
        let images: Vec<&Arc<Image>> = std::iter::once(&manifest.image)
            .chain(manifest.others.iter())
            .collect();
        for (a, i) in manifest.attestations.iter().zip(images) {
            members.push(IndexMember {
                digest: a.clone(),
                media_type: member_type.into(),
                platform: "unknown/unknown".into(),
                attests: Some(i.manifest_digest()),
            });
        }
    }
    let media_type = match (index, oci) {
        (true, true) => "application/vnd.oci.image.index.v1+json",
        (true, false) => "application/vnd.docker.distribution.manifest.list.v2+json",
        (false, _) => "application/vnd.docker.distribution.manifest.v2+json",
    };
    out.push(Event::Buildx(Box::new(BuildxEvent::Imagetools(
        ImagetoolsReport {
            name,
            media_type: media_type.into(),
            digest,
            members,
        },
    ))));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(world: &mut World, host: &str, text: &str) -> Outcome {
        let words = crate::command::shell_words::split(text).unwrap_or_default();
        let inv = crate::command::parse(&words, &[]).expect("parses");
        world.execute(host, &inv, &super::super::Input::default())
    }

    fn buildx_events(out: &Outcome) -> Vec<&BuildxEvent> {
        out.events
            .iter()
            .filter_map(|e| match e {
                Event::Buildx(b) => Some(&**b),
                _ => None,
            })
            .collect()
    }

    fn world() -> World {
        let mut w = World::new();
        w.machine("laptop").platform = Platform::arm64_plain();
        w.machine("laptop").files.insert(
            "Dockerfile".into(),
            (&b"FROM alpine\nCOPY hello.sh /hello.sh\nCMD [\"sh\", \"/hello.sh\"]\n"[..]).into(),
        );
        w.machine("laptop")
            .files
            .insert("hello.sh".into(), (&b"echo hello\n"[..]).into());
        w
    }

    #[test]
    fn create_names_the_builder_and_use_makes_it_current() {
        let mut w = world();
        let out = line(&mut w, "laptop", "docker buildx create --name multi --use");
        assert_eq!(out.exit_code, 0);
        assert!(matches!(
            buildx_events(&out)[..],
            [BuildxEvent::Created { name, boot: None }] if name == "multi"
        ));
        assert_eq!(
            w.machines["laptop"].current_builder.as_deref(),
            Some("multi")
        );
        let out = line(&mut w, "laptop", "docker buildx create --name multi");
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Buildx(BuildxError::ExistingInstance { .. }))
        ));
        let out = line(&mut w, "laptop", "docker buildx create --name default");
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Buildx(BuildxError::ReservedName))
        ));
        let out = line(&mut w, "laptop", "docker buildx create --driver docker");
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Buildx(BuildxError::NoMoreInstances { .. }))
        ));
        line(&mut w, "laptop", "docker buildx use default");
        assert_eq!(w.machines["laptop"].current_builder, None);
        let out = line(&mut w, "laptop", "docker buildx use nosuch");
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Buildx(BuildxError::UseNotFound { .. }))
        ));
    }

    #[test]
    fn a_push_publishes_one_index_and_each_cpu_pulls_its_member() {
        let mut w = world();
        line(&mut w, "laptop", "docker buildx create --name multi --use");
        line(&mut w, "laptop", "docker login -u alice -p wonderland");
        let out = line(
            &mut w,
            "laptop",
            "docker buildx build --platform linux/amd64,linux/arm64 -t alice/hello --push .",
        );
        assert_eq!(out.exit_code, 0, "{:?}", out.refusal());
        let [BuildxEvent::Build(report)] = buildx_events(&out)[..] else {
            panic!("{:?}", out.events)
        };
        assert!(report.boot.is_some(), "the first build boots the builder");
        assert_eq!(report.platforms.len(), 2);
        let BuildxOutput::Push {
            members,
            index: Some(index),
        } = &report.output
        else {
            panic!()
        };
        assert_eq!(members.len(), 2);
        // Nothing went into the laptop's image store.
        assert!(w.machines["laptop"].images.lookup("alice/hello").is_none());
        let hub = &w.registries["docker.io"];
        let (digest, m) = hub.resolve("alice/hello", "latest").expect("pushed");
        assert_eq!(digest, index);
        assert_eq!(m.others.len(), 1);
        assert_eq!(m.attestations.len(), 2);
        // The server (amd64) and the laptop's pull each take their own member.
        line(&mut w, "server", "docker pull alice/hello");
        let server = w.machines["server"]
            .images
            .lookup("alice/hello")
            .expect("pulled");
        assert_eq!(server.image.platform.architecture, "amd64");
        line(&mut w, "laptop", "docker pull alice/hello");
        let laptop = w.machines["laptop"]
            .images
            .lookup("alice/hello")
            .expect("pulled");
        assert_eq!(laptop.image.platform.architecture, "arm64");
    }

    #[test]
    fn a_push_needs_the_login_a_docker_push_needs() {
        let mut w = world();
        line(&mut w, "laptop", "docker buildx create --use");
        let out = line(
            &mut w,
            "laptop",
            "docker buildx build -t alice/hello --push .",
        );
        assert_eq!(out.exit_code, 1);
        let [BuildxEvent::Build(report)] = buildx_events(&out)[..] else {
            panic!()
        };
        assert!(matches!(
            &report.error,
            Some(BuildxFailure::PushDenied { reference }) if reference == "docker.io/alice/hello:latest"
        ));
        assert!(
            w.registries["docker.io"]
                .resolve("alice/hello", "latest")
                .is_none()
        );
    }

    #[test]
    fn without_an_output_the_result_stays_in_the_builder() {
        let mut w = world();
        line(&mut w, "laptop", "docker buildx create --use --name b1");
        let out = line(&mut w, "laptop", "docker build -t hello .");
        assert_eq!(out.exit_code, 0);
        assert!(matches!(
            buildx_events(&out).last(),
            Some(BuildxEvent::Build(BuildxReport {
                output: BuildxOutput::CacheOnly,
                error: None,
                ..
            }))
        ));
        assert!(w.machines["laptop"].images.lookup("hello").is_none());
        let out = line(
            &mut w,
            "laptop",
            "docker build --platform linux/amd64,linux/arm64 -t hello --load .",
        );
        let [BuildxEvent::Build(report)] = buildx_events(&out)[..] else {
            panic!()
        };
        assert_eq!(report.error, Some(BuildxFailure::LoadManifestList));
        let out = line(&mut w, "laptop", "docker build -t hello --load .");
        assert_eq!(out.exit_code, 0);
        let loaded = w.machines["laptop"].images.lookup("hello").expect("loaded");
        assert_eq!(loaded.image.platform.architecture, "arm64");
    }

    #[test]
    fn a_failing_step_stops_the_build_after_every_platform_was_solved() {
        let mut w = world();
        w.machine("laptop").files.insert(
            "Dockerfile".into(),
            (&b"FROM alpine\nRUN false\n"[..]).into(),
        );
        line(&mut w, "laptop", "docker buildx create --use");
        line(&mut w, "laptop", "docker login -u alice -p wonderland");
        let out = line(
            &mut w,
            "laptop",
            "docker build --platform linux/amd64,linux/arm64 -t alice/x --push .",
        );
        assert_eq!(out.exit_code, 1);
        let [BuildxEvent::Build(report)] = buildx_events(&out)[..] else {
            panic!()
        };
        let labels: Vec<&str> = report.platforms.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["linux/amd64", "linux/arm64"]);
        assert!(report.platforms.iter().all(|(_, r)| r.error.is_some()));
        assert!(
            w.registries["docker.io"]
                .resolve("alice/x", "latest")
                .is_none()
        );
    }

    #[test]
    fn rm_forgets_the_builder_and_falls_back_to_default() {
        let mut w = world();
        line(&mut w, "laptop", "docker buildx create --use --name b1");
        let out = line(&mut w, "laptop", "docker buildx rm b1");
        assert!(matches!(
            buildx_events(&out)[..],
            [BuildxEvent::Removed { .. }]
        ));
        assert_eq!(w.machines["laptop"].current_builder, None);
        let out = line(&mut w, "laptop", "docker buildx rm b1");
        assert!(matches!(
            out.refusal(),
            Some(DockerError::Buildx(BuildxError::RemoveFailed { .. }))
        ));
        assert_eq!(out.exit_code, 1);
    }

    #[test]
    fn squash_is_refused_by_the_legacy_builder_and_ignored_by_buildkit() {
        let mut w = world();
        let out = line(&mut w, "laptop", "docker build --squash -t s .");
        assert_eq!(out.exit_code, 0);
        assert!(matches!(
            buildx_events(&out)[..],
            [BuildxEvent::Warning(BuildxWarning::SquashRemoved)]
        ));
        let words =
            crate::command::shell_words::split("docker build --squash -t s .").unwrap_or_default();
        let env = [("DOCKER_BUILDKIT".to_string(), "0".to_string())];
        let inv = crate::command::parse(&words, &env).expect("parses");
        let out = w.execute("laptop", &inv, &super::super::Input::default());
        assert_eq!(out.exit_code, 1);
        assert!(out.events.iter().any(|e| matches!(e,
            Event::Build(r) if r.error == Some(BuildFailure::SquashNotExperimental))));
    }
}
