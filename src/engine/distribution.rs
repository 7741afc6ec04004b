//! Moving images between machines and registries: pull, push, login, logout.
//!
//! A pull downloads only layers the machine lacks (by chain: the longest stack already present "Already
//! exists"). A push uploads only blobs the registry lacks: a blob the target repository already links is
//! "Layer already exists", a blob another repository of the same registry has (and the daemon knows of,
//! from an earlier pull or push) is mounted without upload, everything else is "Pushed".

use super::Outcome;
use crate::digest::Digest;
use crate::docker_error::{DenyReason, StepFailure, Transfer, Unreachable};
use crate::event::{
    DockerError, Event, Note, PullReport, PullStatus, PushStatus, PushTagReport, Rule,
};
use crate::fxhash::FastSet;
use crate::model::machine::Machine;
use crate::model::platform::Platform;
use crate::model::registry::{Policy, Registry};
use crate::model::world::World;
use crate::reference::{DigestRef, ImageArg, ImageRef, TagKey};
use crate::remote::api::{ApiError, Auth, ManifestRef, RegistryApi};
use crate::remote::client::{ClientError, Dial};
use imbl::OrdMap;

/// Where a registry lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryAccess {
    /// A registry every machine reaches by name.
    Named(String),
    /// A `registry` container's own storage, reachable as `localhost:PORT` from its machine only.
    Container { machine: String, id: String },
    /// A real registry over HTTP (`--registry URL`).
    Remote(String),
}

impl RegistryAccess {
    /// The simulated registry this names, read in place: `None` for a real one, or for a `registry`
    /// container that is gone.
    pub fn simulated<'w>(&self, world: &'w World) -> Option<&'w Registry> {
        match self {
            RegistryAccess::Named(host) => world.registries.get(host),
            RegistryAccess::Container { machine, id } => world
                .get_machine(machine)
                .and_then(|m| m.containers.get(id.as_str()))
                .and_then(|c| c.registry.as_deref()),
            RegistryAccess::Remote(_) => None,
        }
    }
}

fn port_of(host: &str) -> Option<u16> {
    host.rsplit_once(':').and_then(|(_, p)| p.parse().ok())
}

/// `localhost`, `127.x`, `[::1]`: the daemon talks plain HTTP to these, and only a local process answers.
pub fn is_loopback(host: &str) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    name == "localhost" || name.starts_with("127.") || name == "[::1]"
}

/// The refusal when nothing answers at `host`.
fn unreachable(host: &str, during: Transfer) -> DockerError {
    DockerError::RegistryUnreachable {
        host: host.to_string(),
        why: if is_loopback(host) {
            Unreachable::ConnectionRefused
        } else {
            Unreachable::NoSuchHost
        },
        during,
    }
}

/// Finds the registry `host` names, as seen from `machine`.
pub fn locate(
    world: &World,
    machine: &str,
    host: &str,
    during: Transfer,
) -> Result<RegistryAccess, DockerError> {
    if world.remotes.contains_key(host) {
        return Ok(RegistryAccess::Remote(host.to_string()));
    }
    if world.registries.contains_key(host) {
        return Ok(RegistryAccess::Named(host.to_string()));
    }
    if is_loopback(host)
        && let (Some(port), Some(m)) = (port_of(host), world.machines.get(machine))
        && let Some(c) = m.containers.port_holder(port)
    {
        let serves = c.registry.is_some()
            && c.ports()
                .iter()
                .any(|p| p.host_port == port && p.container_port == 5000);
        if serves && c.is_running() {
            return Ok(RegistryAccess::Container {
                machine: machine.to_string(),
                id: c.id.to_string(),
            });
        }
    }
    Err(unreachable(host, during))
}

/// Gives a registry to `f` through the one interface every registry has, with the machines to read. A
/// named registry is changed in place (its map and the machines are apart); one a container serves is
/// taken out of the container and put back afterwards. A real registry is reached through its shared
/// handle.
fn with_registry<R>(
    world: &mut World,
    at: &RegistryAccess,
    f: impl FnOnce(
        &OrdMap<crate::model::machine::MachineName, std::sync::Arc<Machine>>,
        &mut dyn RegistryApi,
    ) -> R,
) -> Option<R> {
    match at {
        RegistryAccess::Named(host) => {
            let reg = world.registries.get_mut(host)?;
            Some(f(&world.machines, reg))
        }
        RegistryAccess::Container { machine, id } => {
            let mut reg = world
                .machine(machine)
                .containers
                .get_mut(id)?
                .registry
                .take()?;
            let r = f(&world.machines, &mut *reg);
            if let Some(c) = world.machine(machine).containers.get_mut(id) {
                c.registry = Some(reg);
            }
            Some(r)
        }
        RegistryAccess::Remote(host) => {
            let handle = world.remotes.get(host)?.clone();
            Some(handle.with(|reg| f(&world.machines, reg)))
        }
    }
}

/// Moves the HTTP calls a real registry saw into the outcome, for `explain`.
fn wire_rule(world: &mut World, at: &RegistryAccess, out: &mut Outcome) {
    if let RegistryAccess::Remote(host) = at {
        let calls = with_registry(world, at, |_, reg| reg.take_wire()).unwrap_or_default();
        if !calls.is_empty() {
            out.push(Event::Rule(Rule::Wire {
                host: host.clone(),
                calls,
            }));
        }
    }
}

/// What a registry's answer means for the command that got it.
struct Asking<'a> {
    host: &'a str,
    during: Transfer,
    r: &'a ImageRef,
    user: Option<&'a str>,
}

impl Asking<'_> {
    /// The refusal a registry's answer amounts to.
    fn refusal(&self, e: ApiError) -> DockerError {
        let path = self.r.path();
        match e {
            ApiError::NoCredentials { .. } if self.during == Transfer::Push => {
                DockerError::PushNoCredentials {
                    host: self.host.to_string(),
                }
            }
            ApiError::NoCredentials { .. } => DockerError::PullNoCredentials {
                host: self.host.to_string(),
                path: path.to_string(),
                reference: self
                    .r
                    .tag()
                    .or(self.r.digest())
                    .unwrap_or_default()
                    .to_string(),
            },
            ApiError::Denied if self.during == Transfer::Push => {
                let namespace = path.split('/').next().unwrap_or("").to_string();
                let reason = if self.user.is_none() {
                    DenyReason::NotLoggedIn
                } else if namespace == "library" || !path.contains('/') {
                    DenyReason::OfficialNamespace
                } else {
                    DenyReason::OtherNamespace { namespace }
                };
                DockerError::PushDenied {
                    host: self.host.to_string(),
                    repository: path.to_string(),
                    account: self.user.map(str::to_string),
                    reason,
                }
            }
            ApiError::Denied | ApiError::PullAccessDenied => DockerError::PullDenied {
                repository: self.r.repo_name(),
            },
            ApiError::ManifestUnknown => DockerError::ManifestUnknown {
                reference: match (self.r.tag(), self.r.digest()) {
                    (_, Some(d)) => format!("{}@{d}", self.r.repo_familiar()),
                    (Some(t), None) => format!("{}:{t}", self.r.repo_familiar()),
                    _ => self.r.repo_familiar(),
                },
            },
            ApiError::LoginRefused { hub } => DockerError::BadCredentials {
                host: self.host.to_string(),
                hub,
            },
            ApiError::Remote(ClientError::Unreachable {
                dial: Dial::Refused { .. },
                ..
            }) => DockerError::RegistryUnreachable {
                host: self.host.to_string(),
                why: Unreachable::ConnectionRefused,
                during: self.during,
            },
            ApiError::Remote(ClientError::Unreachable {
                dial: Dial::NoSuchHost { .. },
                ..
            }) => DockerError::RegistryUnreachable {
                host: self.host.to_string(),
                why: Unreachable::NoSuchHost,
                during: self.during,
            },
            ApiError::Remote(error) => DockerError::RegistryFailed {
                host: self.host.to_string(),
                during: self.during,
                error,
            },
            ApiError::Decode(error) => DockerError::UnsupportedImage {
                reference: self.r.full(),
                error,
            },
        }
    }
}

/// A `registry` image container just started: it serves an (empty, or its earlier) registry.
pub fn attach_registry(world: &mut World, machine: &str, id: &str) {
    if let Some(c) = world.machine(machine).containers.get_mut(id)
        && c.registry.is_none()
    {
        let port = c
            .ports()
            .iter()
            .find(|p| p.container_port == 5000)
            .map_or(5000, |p| p.host_port);
        c.registry = Some(Box::new(Registry::new(
            &format!("localhost:{port}"),
            Policy::Open,
        )));
    }
}

/// The key logins are stored under for a registry host.
fn login_key(host: &str) -> String {
    if host == "docker.io" {
        "docker.io".into()
    } else {
        host.to_string()
    }
}

pub(super) fn user_of(world: &World, machine: &str, host: &str) -> Option<String> {
    user_in(world, machine, host).map(str::to_string)
}

/// [`user_of`], borrowed.
fn user_in<'w>(world: &'w World, machine: &str, host: &str) -> Option<&'w str> {
    let logins = &world.machines.get(machine)?.logins;
    logins.get(host).map(String::as_str)
}

/// Resolves a reference on its registry and installs the image locally (used by `pull`, `run` and
/// builds); the HTTP calls a real registry saw go into `out` for `explain`.
pub fn pull_image(
    world: &mut World,
    machine: &str,
    r: &ImageRef,
    want: Option<&Platform>,
    out: &mut Outcome,
) -> Result<(PullReport, Digest), DockerError> {
    let at = locate(world, machine, r.domain(), Transfer::Pull)?;
    let result = pull_from(world, machine, r, want, &at);
    wire_rule(world, &at, out);
    result
}

fn pull_from(
    world: &mut World,
    machine: &str,
    r: &ImageRef,
    want: Option<&Platform>,
    at: &RegistryAccess,
) -> Result<(PullReport, Digest), DockerError> {
    let user = user_of(world, machine, r.domain());
    let path = r.path().to_string();
    let asking = Asking {
        host: r.domain(),
        during: Transfer::Pull,
        r,
        user: user.as_deref(),
    };
    let auth = Auth {
        user: user.as_deref(),
    };
    let digest_ref = match r.digest() {
        Some(d) => Some(Digest::parse(d).ok_or_else(|| asking.refusal(ApiError::ManifestUnknown))?),
        None => None,
    };
    let tag = r.tag().unwrap_or("latest");
    let reference = match &digest_ref {
        Some(d) => ManifestRef::Digest(d),
        None => ManifestRef::Tag(tag),
    };
    let resolved = with_registry(world, at, |_, reg| reg.get_manifest(auth, &path, reference))
        .ok_or_else(|| unreachable(r.domain(), Transfer::Pull))?
        .map_err(|e| asking.refusal(e))?;
    // An index gives the member for the requested platform, or the machine's own (containerd's default
    // spec); a single-platform manifest is taken as it is.
    let wanted = match want {
        Some(p) => p.clone(),
        None => world.machines[machine].platform.host_default(),
    };
    let Some(resolved) = resolved.for_platform(&wanted) else {
        return Err(DockerError::NoMatchingManifest {
            platform: Box::new(wanted),
        });
    };
    let platform_mismatch = want
        .filter(|w| !resolved.image.platform.matches(w))
        .map(|w| Box::new((r.repo_full(), w.clone(), resolved.image.platform.clone())));
    let (digest, image) = (resolved.digest.clone(), resolved.image.clone());
    let present = world
        .machines
        .get(machine)
        .is_some_and(|m| m.images.images.contains_key(&image.id));
    let mut layers = Vec::new();
    if !present {
        let chains = image.chain_ids();
        let have = {
            let m = world.machine(machine);
            chains.iter().take_while(|c| m.images.has_chain(c)).count()
        };
        for (i, blob) in resolved.blobs.iter().enumerate() {
            let status = if i < have {
                PullStatus::AlreadyExists
            } else {
                // Only a real registry has a blob to send: a simulated one's answer is always `Ok`.
                if matches!(at, RegistryAccess::Remote(_)) {
                    with_registry(world, at, |_, reg| reg.fetch_blob(auth, &path, blob))
                        .unwrap_or(Ok(()))
                        .map_err(|e| asking.refusal(e))?;
                }
                PullStatus::PullComplete
            };
            layers.push((blob.clone(), status));
        }
    }
    let now = world.now;
    let m = world.machine(machine);
    if !present {
        m.images.insert(image.clone());
    }
    let repo = r.repo_name();
    let mut newer = !present;
    if let Some(tag) = r.tag_ref() {
        let before = m.images.tags.get(&tag).cloned();
        newer = before.as_ref() != Some(&image.id);
        m.images.set_tag(&tag, &image.id, now);
    }
    m.images.set_digest_ref(
        &DigestRef {
            repo,
            digest: digest.clone(),
        },
        &image.id,
    );
    m.remember_sources(r.domain(), &path, &image.layers);
    let label = match (r.tag(), r.digest()) {
        (Some(t), _) => t.to_string(),
        (None, _) => r.full(),
    };
    Ok((
        PullReport {
            label,
            remote_path: path,
            layers,
            digest,
            familiar: r.familiar(),
            newer,
            show_status: true,
            platform_mismatch,
        },
        image.id.clone(),
    ))
}

/// BuildKit's `FROM` resolution against a real registry: the manifest and image, or why not.
pub fn resolve_base(
    world: &mut World,
    at: &RegistryAccess,
    user: Option<&str>,
    r: &ImageRef,
    want: &Platform,
) -> Result<(Digest, std::sync::Arc<crate::model::image::Image>), StepFailure> {
    let tag = r.tag().unwrap_or("latest");
    let answer = with_registry(world, at, |_, reg| {
        reg.get_manifest(Auth { user }, r.path(), ManifestRef::Tag(tag))
    })
    .unwrap_or(Err(ApiError::ManifestUnknown));
    match answer {
        Ok(m) => match m.for_platform(want) {
            Some(m) => Ok((m.digest, m.image)),
            None => Err(StepFailure::BaseNoPlatform {
                reference: r.clone(),
            }),
        },
        Err(ApiError::ManifestUnknown) => Err(StepFailure::BaseNotFound {
            reference: r.clone(),
        }),
        Err(ApiError::NoCredentials { .. } | ApiError::Denied | ApiError::PullAccessDenied) => {
            Err(StepFailure::BaseDenied {
                reference: r.clone(),
            })
        }
        Err(e) => Err(StepFailure::BasePull(
            Asking {
                host: r.domain(),
                during: Transfer::Pull,
                r,
                user,
            }
            .refusal(e),
        )),
    }
}

/// The pull `run` and builds do: layer lines go to stderr, no `Using default tag` and no reference line.
pub fn pull_for(
    world: &mut World,
    machine: &str,
    r: &ImageRef,
    want: Option<&Platform>,
    out: &mut Outcome,
    quiet: bool,
) -> Result<Digest, DockerError> {
    let (report, id) = pull_image(world, machine, r, want, out)?;
    if !quiet {
        out.push(Event::Pull(report));
    }
    Ok(id)
}

/// Does the registry's tag now name another image than `local`? (Only for `explain`; never an error.)
pub fn registry_has_newer(world: &mut World, machine: &str, r: &ImageRef, local: &Digest) -> bool {
    let Ok(at) = locate(world, machine, r.domain(), Transfer::Pull) else {
        return false;
    };
    let Some(tag) = r.tag() else {
        return false;
    };
    // A real registry is asked only by commands that go to it: `run` with a local image does not.
    if matches!(at, RegistryAccess::Remote(_)) {
        return false;
    }
    let user = user_in(world, machine, r.domain());
    // Compared with the registry's image for the local one's platform (an index has one per platform).
    let m = &world.machines[machine];
    let platform = m.images.images.get(local).map_or_else(
        || std::borrow::Cow::Owned(m.platform.host_default()),
        |s| std::borrow::Cow::Borrowed(&s.image.platform),
    );
    at.simulated(world)
        .and_then(|reg| {
            let auth = Auth { user };
            let (_, m) = reg
                .manifest_in_place(auth, r.path(), ManifestRef::Tag(tag))
                .ok()?;
            m.for_platform(&platform).map(|image| image.id != *local)
        })
        .unwrap_or(false)
}

/// `docker pull`.
pub fn pull_command(
    world: &mut World,
    machine: &str,
    reference: &ImageArg,
    (all_tags, quiet): (bool, bool),
    platform: Option<&str>,
    out: &mut Outcome,
) {
    let r = match &reference.parsed {
        Ok(r) => r.clone(),
        Err(e) => return out.error(invalid_reference(e), 1),
    };
    if all_tags && (r.tag().is_some() || r.digest().is_some()) {
        return out.error(DockerError::AllTagsWithTag, 1);
    }
    if all_tags {
        let want = match platform.map(Platform::parse).transpose() {
            Ok(p) => p,
            Err(e) => return out.error(DockerError::InvalidPlatform(e), 1),
        };
        return pull_all_tags(world, machine, &r, quiet, want.as_ref(), out);
    }
    if r.tag().is_none() && r.digest().is_none() && !quiet {
        out.push(Event::UsingDefaultTag);
    }
    // The CLI passes `--platform` as typed; the daemon parses it.
    let want = match platform.map(Platform::parse).transpose() {
        Ok(p) => p,
        Err(e) => return out.error(DockerError::InvalidPlatform(e), 1),
    };
    let r = r.with_default_tag();
    match pull_image(world, machine, &r, want.as_ref(), out) {
        Ok((report, _)) => {
            if !quiet {
                out.push(Event::Pull(report));
            }
            out.push(Event::PulledReference(r.full()));
        }
        Err(e) => out.error(e, 1),
    }
}

fn pull_all_tags(
    world: &mut World,
    machine: &str,
    r: &ImageRef,
    quiet: bool,
    want: Option<&Platform>,
    out: &mut Outcome,
) {
    let user = user_of(world, machine, r.domain());
    let tags: Vec<String> = locate(world, machine, r.domain(), Transfer::Pull)
        .ok()
        .and_then(|at| {
            with_registry(world, &at, |_, reg| {
                reg.tags(
                    Auth {
                        user: user.as_deref(),
                    },
                    r.path(),
                )
                .ok()
            })
        })
        .flatten()
        .unwrap_or_default();
    if tags.is_empty() {
        // Same errors as a single pull of :latest.
        match pull_image(world, machine, &r.clone().with_default_tag(), want, out) {
            Err(e) => return out.error(e, 1),
            Ok(_) => return,
        }
    }
    let mut any_newer = false;
    for tag in &tags {
        let one = r.clone().with_tag(tag);
        match pull_image(world, machine, &one, want, out) {
            Ok((mut report, _)) => {
                any_newer |= report.newer;
                report.show_status = false;
                if !quiet {
                    out.push(Event::Pull(report));
                }
            }
            Err(e) => return out.error(e, 1),
        }
    }
    if !quiet {
        out.push(Event::PullAllTagsStatus {
            familiar: r.familiar(),
            newer: any_newer,
        });
    }
    out.push(Event::PulledReference(r.full()));
}

/// `docker push`.
pub fn push_command(
    world: &mut World,
    machine: &str,
    reference: &ImageArg,
    all_tags: bool,
    quiet: bool,
    out: &mut Outcome,
) {
    let r = match &reference.parsed {
        Ok(r) => r.clone(),
        Err(e) => return out.error(invalid_reference(e), 1),
    };
    if r.digest().is_some() {
        return out.error(DockerError::PushDigest, 1);
    }
    if all_tags && r.tag().is_some() {
        return out.error(DockerError::AllTagsWithTag, 1);
    }
    if r.tag().is_none() && !all_tags && !quiet {
        out.push(Event::UsingDefaultTag);
    }
    let repo_full = r.repo_full();
    let repo = r.repo_name();
    if !quiet {
        out.push(Event::PushRefersTo(repo_full.clone()));
    }
    let m = &world.machines[machine];
    if m.images.repo_tags(&repo).next().is_none() {
        return out.error(
            DockerError::NotLocalRepository {
                repository: repo.clone(),
            },
            1,
        );
    }
    let wanted: Vec<(String, Digest)> = if all_tags {
        m.images
            .repo_tags(&repo)
            .map(|(t, id)| (t.tag.to_string(), id.clone()))
            .collect()
    } else {
        // One tag: ask for it, never collect every tag of the repository.
        let tag = r.tag().unwrap_or("latest").to_string();
        match m
            .images
            .tagged(&repo, &tag)
            .map(|id| (tag.clone(), id.clone()))
        {
            Some(x) => vec![x],
            None => {
                return out.error(
                    DockerError::NotLocalTag {
                        repository: repo.clone(),
                        tag,
                    },
                    1,
                );
            }
        }
    };
    let at = match locate(world, machine, r.domain(), Transfer::Push) {
        Ok(a) => a,
        Err(e) => return out.error(e, 1),
    };
    let user = user_of(world, machine, r.domain());
    let path = r.path().to_string();
    let mut session: FastSet<Digest> = FastSet::default();
    let (mut uploaded, mut total) = (0u64, 0u64);
    for (tag, id) in wanted {
        let Some(image) = world.machines[machine]
            .images
            .images
            .get(&id)
            .map(|s| s.image.clone())
        else {
            continue;
        };
        let domain = r.domain().to_string();
        let result: Option<Result<PushTagReport, Box<(PushTagReport, DockerError)>>> =
            with_registry(world, &at, |machines, reg| {
                // Where each layer is known to be, read in place: copying each layer's set of every
                // repository it was ever in would make a push cost grow with the registry.
                let sources = &machines[machine].layer_sources;
                let preparing = || PushTagReport {
                    layers: image
                        .layers
                        .iter()
                        .rev()
                        .map(|l| (l.diff_id.clone(), PushStatus::Preparing))
                        .collect(),
                    tag: tag.clone(),
                    result: None,
                };
                let auth = Auth {
                    user: user.as_deref(),
                };
                let asking = Asking {
                    host: &domain,
                    during: Transfer::Push,
                    r: &r,
                    user: user.as_deref(),
                };
                let fail = |e: ApiError| -> Box<(PushTagReport, DockerError)> {
                    Box::new((preparing(), asking.refusal(e)))
                };
                reg.begin_push(auth, &path).map_err(fail)?;
                let mut layers = Vec::new();
                for l in image.layers.iter().rev() {
                    let known_here = sources.get(&l.diff_id).is_some_and(|s| {
                        s.contains(&(domain.as_str(), path.as_str()) as &dyn TagKey)
                    });
                    let status = if session.contains(&l.blob)
                        || (known_here && reg.has_blob(auth, &path, l).map_err(fail)?)
                    {
                        PushStatus::LayerAlreadyExists
                    } else {
                        // Mount candidates: the other repositories of this registry the daemon saw the layer in.
                        let mut mounted = None;
                        for (d, repo) in sources.get(&l.diff_id).into_iter().flatten() {
                            if *d == domain
                                && *repo != path
                                && reg.mount(auth, &path, l, repo).map_err(fail)?
                            {
                                mounted = Some(repo.clone());
                                break;
                            }
                        }
                        match mounted {
                            Some(from) => PushStatus::Mounted { from },
                            None => PushStatus::Pushed {
                                bytes: reg.upload(auth, &path, l).map_err(fail)?,
                            },
                        }
                    };
                    session.insert(l.blob.clone());
                    layers.push((l.diff_id.clone(), status));
                }
                let (digest, size) = reg.put_manifest(auth, &path, &tag, &image).map_err(fail)?;
                Ok(PushTagReport {
                    layers,
                    tag: tag.clone(),
                    result: Some((digest, size)),
                })
            });
        wire_rule(world, &at, out);
        let Some(result) = result else {
            return out.error(unreachable(r.domain(), Transfer::Push), 1);
        };
        match result {
            Ok(report) => {
                for (_, s) in &report.layers {
                    if let PushStatus::Pushed { bytes } = s {
                        uploaded += bytes;
                    }
                }
                total += image
                    .layers
                    .iter()
                    .map(|l| l.compressed_size())
                    .sum::<u64>();
                if let Some((digest, _)) = &report.result {
                    let m = world.machine(machine);
                    m.images.set_digest_ref(
                        &DigestRef {
                            repo: repo.clone(),
                            digest: digest.clone(),
                        },
                        &id,
                    );
                    m.remember_sources(r.domain(), &path, &image.layers);
                }
                if quiet {
                    continue;
                }
                out.push(Event::PushTag(report));
            }
            Err(failed) => {
                let (report, e) = *failed;
                if !quiet {
                    out.push(Event::PushTag(report));
                }
                return out.error(e, 1);
            }
        }
    }
    if quiet {
        let shown = if all_tags {
            repo_full.clone()
        } else {
            r.clone().with_default_tag().full()
        };
        out.push(Event::PushedReference(shown));
    }
    out.push(Event::Rule(Rule::PushSaved { uploaded, total }));
    out.note(Note::PushUploaded {
        uploaded,
        total,
        host: r.domain().to_string(),
    });
}

/// A reference the CLI could not parse.
fn invalid_reference(e: &crate::reference::RefError) -> DockerError {
    DockerError::InvalidReference {
        error: e.clone(),
        daemon: false,
    }
}

/// `docker login`.
#[allow(clippy::too_many_arguments)]
pub fn login(
    world: &mut World,
    machine: &str,
    server: Option<&str>,
    username: Option<&str>,
    password: Option<&str>,
    password_stdin: bool,
    input: &super::Input,
    out: &mut Outcome,
) {
    let host = registry_host(server);
    if password.is_some() && password_stdin {
        return out.error(DockerError::PasswordFlagsConflict, 1);
    }
    if password_stdin && username.is_none() {
        return out.error(DockerError::PasswordStdinWithoutUsername, 1);
    }
    // The CLI checks the flags' values before it warns about `-p` (docker/cli 28.2.2, oracle).
    if username == Some("") {
        return out.error(DockerError::EmptyUsername, 1);
    }
    if password == Some("") {
        return out.error(DockerError::EmptyPassword, 1);
    }
    if password.is_some() {
        out.push(Event::PasswordOnCommandLine);
    }
    let password = if password_stdin {
        let text = input.stdin.clone().unwrap_or_default();
        Some(text.trim_end_matches(['\n', '\r']).to_string())
    } else {
        password.map(str::to_string)
    };
    if username.is_none()
        && password.is_none()
        && let Some(user) = world
            .machine(machine)
            .logins
            .get(&login_key(&host))
            .cloned()
    {
        out.push(Event::ReusedCredentials { user });
        out.push(Event::LoginSucceeded);
        return;
    }
    let (Some(user), Some(password)) = (username, password) else {
        if input.tty {
            out.note(Note::CannotPromptPassword);
        }
        return out.error(DockerError::NonTtyLogin, 1);
    };
    if user.is_empty() {
        return out.error(DockerError::EmptyUsername, 1);
    }
    if password.is_empty() {
        return out.error(DockerError::EmptyPassword, 1);
    }
    let at = match locate(world, machine, &host, Transfer::Login) {
        Ok(a) => a,
        Err(e) => return out.error(e, 1),
    };
    let login_ref = ImageRef::parse(&format!("{host}/login")).ok();
    let ok = with_registry(world, &at, |_, reg| {
        reg.check_login(user, &password)
            .map_err(|e| match &login_ref {
                Some(r) => Asking {
                    host: &host,
                    during: Transfer::Login,
                    r,
                    user: Some(user),
                }
                .refusal(e),
                None => unreachable(&host, Transfer::Login),
            })
    })
    .unwrap_or_else(|| Err(unreachable(&host, Transfer::Login)));
    wire_rule(world, &at, out);
    if let Err(e) = ok {
        return out.error(e, 1);
    }
    let m = world.machine(machine);
    let changed = m
        .logins
        .insert(login_key(&host), user.to_string())
        .as_deref()
        != Some(user);
    if changed {
        out.push(Event::CredentialsStored);
    }
    out.push(Event::LoginSucceeded);
}

/// The registry host a `login`/`logout` argument names (Docker Hub by default).
fn registry_host(server: Option<&str>) -> String {
    match server {
        None
        | Some(
            "docker.io"
            | "index.docker.io"
            | "registry-1.docker.io"
            | "https://index.docker.io/v1/",
        ) => "docker.io".into(),
        Some(s) => s
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string(),
    }
}

/// `docker logout`: always says it removes the credentials, logged in or not.
///
/// The CLI erases the entry stored under the name given (and its bare host name, with and without a
/// scheme). Docker Hub's credentials are stored under `https://index.docker.io/v1/`, so only a plain
/// `docker logout` (or that exact address) removes them: `docker logout docker.io` says it removes
/// credentials for `docker.io` and leaves the Hub login in place (docker/cli `cli/command/registry/logout.go`).
pub fn logout(world: &mut World, machine: &str, server: Option<&str>, out: &mut Outcome) {
    let Some(server) = server else {
        world
            .machine(machine)
            .logins
            .remove(&login_key("docker.io"));
        out.push(Event::LoggedOut {
            server: "https://index.docker.io/v1/".into(),
        });
        return;
    };
    let hostname = logout_hostname(server);
    out.push(Event::LoggedOut {
        server: hostname.clone(),
    });
    let erases_hub = server == "https://index.docker.io/v1/";
    let host = registry_host(Some(server));
    if host == "docker.io" && !erases_hub {
        if world.machines[machine]
            .logins
            .contains_key(&login_key("docker.io"))
        {
            out.push(Event::Rule(Rule::LogoutKeptHubLogin {
                server: server.to_string(),
            }));
        }
        return;
    }
    world.machine(machine).logins.remove(&login_key(&host));
}

/// The CLI's `ConvertToHostname`: the address without scheme and path.
fn logout_hostname(server: &str) -> String {
    let bare = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"))
        .unwrap_or(server);
    bare.split('/').next().unwrap_or(bare).to_string()
}

/// A one-line summary of a registry for tooling (`--state`): repositories and blob counts.
pub fn registry_status(reg: &Registry) -> serde_json::Value {
    let mut repos: Vec<(&String, &crate::model::registry::Repository)> = reg.repos.iter().collect();
    repos.sort_by(|a, b| a.0.cmp(b.0));
    serde_json::json!({
        "host": reg.host,
        "blobs": reg.blobs.len(),
        "bytes_received": reg.bytes_received,
        "repositories": repos.iter().map(|(path, r)| serde_json::json!({
            "name": path,
            "owner": r.owner,
            "private": r.private,
            "tags": r.tags.iter().map(|(t, d)| serde_json::json!({"tag": t, "digest": d.as_str(), "image": reg.manifests.get(d).map(|m| m.image.id.as_str().to_string())})).collect::<Vec<_>>(),
            "blobs": r.blobs.len(),
        })).collect::<Vec<_>>(),
    })
}
