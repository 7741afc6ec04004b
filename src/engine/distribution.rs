//! Moving images between machines and registries: pull, push, login, logout.
//!
//! A pull downloads only layers the machine lacks (by chain: the longest stack already present "Already
//! exists"). A push uploads only blobs the registry lacks: a blob the target repository already links is
//! "Layer already exists", a blob another repository of the same registry has (and the daemon knows of,
//! from an earlier pull or push) is mounted without upload, everything else is "Pushed".

use super::Outcome;
use crate::digest::Digest;
use crate::docker_error::{DenyReason, Transfer, Unreachable};
use crate::event::{
    DockerError, Event, Note, PullReport, PullStatus, PushStatus, PushTagReport, Rule,
};
use crate::model::registry::{Policy, Registry};
use crate::model::world::World;
use crate::reference::{DigestRef, ImageArg, ImageRef};
use std::collections::HashSet;

/// Where a registry lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryAccess {
    /// A registry every machine reaches by name.
    Named(String),
    /// A `registry` container's own storage, reachable as `localhost:PORT` from its machine only.
    Container { machine: String, id: String },
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
    if world.registries.contains_key(host) {
        return Ok(RegistryAccess::Named(host.to_string()));
    }
    if is_loopback(host)
        && let (Some(port), Some(m)) = (port_of(host), world.machines.get(machine))
        && let Some(id) = m.containers.ports.get(&port)
    {
        let c = &m.containers.by_id[id];
        let serves = c.registry.is_some()
            && c.ports
                .iter()
                .any(|p| p.host_port == port && p.container_port == 5000);
        if serves && c.is_running() {
            return Ok(RegistryAccess::Container {
                machine: machine.to_string(),
                id: id.clone(),
            });
        }
    }
    Err(unreachable(host, during))
}

/// Gives a registry to `f` by value, putting it back afterwards (the world and the registry can then both be
/// changed without aliasing).
fn with_registry<R>(
    world: &mut World,
    at: &RegistryAccess,
    f: impl FnOnce(&mut World, &mut Registry) -> R,
) -> Option<R> {
    match at {
        RegistryAccess::Named(host) => {
            let mut reg = world.registries.remove(host)?;
            let r = f(world, &mut reg);
            world.registries.insert(host.clone(), reg);
            Some(r)
        }
        RegistryAccess::Container { machine, id } => {
            let mut reg = world
                .machine(machine)
                .containers
                .by_id
                .get_mut(id)?
                .registry
                .take()?;
            let r = f(world, &mut reg);
            if let Some(c) = world.machine(machine).containers.by_id.get_mut(id) {
                c.registry = Some(reg);
            }
            Some(r)
        }
    }
}

/// A `registry` image container just started: it serves an (empty, or its earlier) registry.
pub fn attach_registry(world: &mut World, machine: &str, id: &str) {
    if let Some(c) = world.machine(machine).containers.by_id.get_mut(id)
        && c.registry.is_none()
    {
        let port = c
            .ports
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

fn user_of(world: &World, machine: &str, host: &str) -> Option<String> {
    world
        .machines
        .get(machine)?
        .logins
        .get(&login_key(host))
        .cloned()
}

/// Resolves a reference on its registry and installs the image locally. Used by `pull`, `run` and builds.
pub fn pull_image(
    world: &mut World,
    machine: &str,
    r: &ImageRef,
) -> Result<(PullReport, Digest), DockerError> {
    let at = locate(world, machine, &r.domain, Transfer::Pull)?;
    let user = user_of(world, machine, &r.domain);
    let path = r.path().to_string();
    let manifest = with_registry(world, &at, |_, reg| {
        resolve_for_pull(reg, r, user.as_deref())
    })
    .ok_or_else(|| unreachable(&r.domain, Transfer::Pull))??;
    let (digest, image) = manifest;
    let now = world.now;
    let m = world.machine(machine);
    let present = m.images.images.contains_key(&image.id);
    let mut layers = Vec::new();
    if !present {
        let chains = image.chain_ids();
        let have = chains.iter().take_while(|c| m.images.has_chain(c)).count();
        for (i, l) in image.layers.iter().enumerate() {
            let status = if i < have {
                PullStatus::AlreadyExists
            } else {
                PullStatus::PullComplete
            };
            layers.push((l.blob.clone(), status));
        }
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
    m.remember_sources(&r.domain, &path, &image.layers);
    let label = match (&r.tag, &r.digest) {
        (Some(t), _) => t.clone(),
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
        },
        image.id.clone(),
    ))
}

/// Looks up a manifest, applying the registry's access rules and answering in its words.
fn resolve_for_pull(
    reg: &Registry,
    r: &ImageRef,
    user: Option<&str>,
) -> Result<(Digest, std::sync::Arc<crate::model::image::Image>), DockerError> {
    let path = r.path();
    let what = match (&r.tag, &r.digest) {
        (_, Some(d)) => format!("{}@{d}", r.repo_familiar()),
        (Some(t), None) => format!("{}:{t}", r.repo_familiar()),
        _ => r.repo_familiar(),
    };
    let not_found = || DockerError::ManifestUnknown {
        reference: what.clone(),
    };
    match reg.policy {
        Policy::Password if user.is_none() => {
            let reference = r
                .tag
                .clone()
                .or_else(|| r.digest.clone())
                .unwrap_or_default();
            return Err(DockerError::PullNoCredentials {
                host: reg.host.clone(),
                path: path.to_string(),
                reference,
            });
        }
        Policy::Hub if !reg.repos.contains_key(path) || !reg.can_read(user, path) => {
            return Err(DockerError::PullDenied {
                repository: r.repo_name(),
            });
        }
        _ => {}
    }
    if let Some(d) = &r.digest {
        let digest = Digest::parse(d).ok_or_else(not_found)?;
        let m = reg.resolve_digest(path, &digest).ok_or_else(not_found)?;
        return Ok((digest, m.image.clone()));
    }
    let tag = r.tag.as_deref().unwrap_or("latest");
    let (digest, m) = reg.resolve(path, tag).ok_or_else(not_found)?;
    Ok((digest.clone(), m.image.clone()))
}

/// The pull `run` and builds do: layer lines go to stderr, no `Using default tag` and no reference line.
pub fn pull_for(
    world: &mut World,
    machine: &str,
    r: &ImageRef,
    out: &mut Outcome,
    quiet: bool,
) -> Result<Digest, DockerError> {
    let (report, id) = pull_image(world, machine, r)?;
    if !quiet {
        out.push(Event::Pull(report));
    }
    Ok(id)
}

/// Does the registry's tag now name another image than `local`? (Only for `explain`; never an error.)
pub fn registry_has_newer(world: &mut World, machine: &str, r: &ImageRef, local: &Digest) -> bool {
    let Ok(at) = locate(world, machine, &r.domain, Transfer::Pull) else {
        return false;
    };
    let Some(tag) = r.tag.clone() else {
        return false;
    };
    with_registry(world, &at, |_, reg| {
        reg.resolve(r.path(), &tag)
            .is_some_and(|(_, m)| m.image.id != *local)
    })
    .unwrap_or(false)
}

/// `docker pull`.
pub fn pull_command(
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
    if all_tags && (r.tag.is_some() || r.digest.is_some()) {
        return out.error(DockerError::AllTagsWithTag, 1);
    }
    if all_tags {
        return pull_all_tags(world, machine, &r, quiet, out);
    }
    if r.tag.is_none() && r.digest.is_none() && !quiet {
        out.push(Event::UsingDefaultTag);
    }
    let r = r.with_default_tag();
    match pull_image(world, machine, &r) {
        Ok((report, _)) => {
            if !quiet {
                out.push(Event::Pull(report));
            }
            out.push(Event::PulledReference(r.full()));
        }
        Err(e) => out.error(e, 1),
    }
}

fn pull_all_tags(world: &mut World, machine: &str, r: &ImageRef, quiet: bool, out: &mut Outcome) {
    let tags: Vec<String> = locate(world, machine, &r.domain, Transfer::Pull)
        .ok()
        .and_then(|at| {
            with_registry(world, &at, |_, reg| {
                reg.repos
                    .get(r.path())
                    .map(|x| x.tags.keys().cloned().collect())
            })
        })
        .flatten()
        .unwrap_or_default();
    if tags.is_empty() {
        // Same errors as a single pull of :latest.
        match pull_image(world, machine, &r.clone().with_default_tag()) {
            Err(e) => return out.error(e, 1),
            Ok(_) => return,
        }
    }
    let mut any_newer = false;
    for tag in &tags {
        let mut one = r.clone();
        one.tag = Some(tag.clone());
        match pull_image(world, machine, &one) {
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
    if r.digest.is_some() {
        return out.error(DockerError::PushDigest, 1);
    }
    if all_tags && r.tag.is_some() {
        return out.error(DockerError::AllTagsWithTag, 1);
    }
    if r.tag.is_none() && !all_tags && !quiet {
        out.push(Event::UsingDefaultTag);
    }
    let repo_full = r.repo_full();
    let repo = r.repo_name();
    if !quiet {
        out.push(Event::PushRefersTo(repo_full.clone()));
    }
    let m = &world.machines[machine];
    let local: Vec<(String, Digest)> = m
        .images
        .repo_tags
        .get(&repo)
        .into_iter()
        .flatten()
        .filter_map(|t| {
            m.images
                .tagged(&repo, t)
                .map(|id| (t.to_string(), id.clone()))
        })
        .collect();
    if local.is_empty() {
        return out.error(
            DockerError::NotLocalRepository {
                repository: repo.clone(),
            },
            1,
        );
    }
    let wanted: Vec<(String, Digest)> = if all_tags {
        local
    } else {
        let tag = r.tag.clone().unwrap_or_else(|| "latest".into());
        match local.into_iter().find(|(t, _)| *t == tag) {
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
    let at = match locate(world, machine, &r.domain, Transfer::Push) {
        Ok(a) => a,
        Err(e) => return out.error(e, 1),
    };
    let user = user_of(world, machine, &r.domain);
    let path = r.path().to_string();
    let mut session: HashSet<Digest> = HashSet::new();
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
        // Only this image's layers: copying every known layer would make a push cost grow with the store.
        let sources: std::collections::HashMap<
            Digest,
            std::collections::BTreeSet<(String, String)>,
        > = image
            .layers
            .iter()
            .filter_map(|l| {
                world.machines[machine]
                    .layer_sources
                    .get(&l.diff_id)
                    .map(|s| (l.diff_id.clone(), s.clone()))
            })
            .collect();
        let domain = r.domain.clone();
        let result = with_registry(world, &at, |_, reg| {
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
            if reg.policy == Policy::Password && user.is_none() {
                return Err(Box::new((
                    preparing(),
                    DockerError::PushNoCredentials {
                        host: reg.host.clone(),
                    },
                )));
            }
            if !reg.can_write(user.as_deref(), &path) {
                let namespace = path.split('/').next().unwrap_or("").to_string();
                let reason = if user.is_none() {
                    DenyReason::NotLoggedIn
                } else if namespace == "library" || !path.contains('/') {
                    DenyReason::OfficialNamespace
                } else {
                    DenyReason::OtherNamespace { namespace }
                };
                return Err(Box::new((
                    preparing(),
                    DockerError::PushDenied {
                        host: reg.host.clone(),
                        repository: path.clone(),
                        account: user.clone(),
                        reason,
                    },
                )));
            }
            let mut layers = Vec::new();
            for l in image.layers.iter().rev() {
                let known_here = sources
                    .get(&l.diff_id)
                    .is_some_and(|s| s.contains(&(domain.clone(), path.clone())));
                let status = if session.contains(&l.blob)
                    || (known_here && reg.repo_has_blob(&path, &l.blob))
                {
                    PushStatus::LayerAlreadyExists
                } else if let Some((_, from)) = sources.get(&l.diff_id).and_then(|s| {
                    s.iter().find(|(d, repo)| {
                        *d == domain
                            && *repo != path
                            && reg.repo_has_blob(repo, &l.blob)
                            && reg.can_read(user.as_deref(), repo)
                    })
                }) {
                    PushStatus::Mounted { from: from.clone() }
                } else {
                    reg.bytes_received += l.compressed_size();
                    PushStatus::Pushed {
                        bytes: l.compressed_size(),
                    }
                };
                session.insert(l.blob.clone());
                layers.push((l.diff_id.clone(), status));
            }
            let owner = (reg.policy == Policy::Hub)
                .then(|| path.split('/').next().unwrap_or("").to_string());
            let digest = reg.put_manifest(&path, &tag, image.clone(), owner);
            Ok(PushTagReport {
                layers,
                tag: tag.clone(),
                result: Some((digest, image.manifest_size())),
            })
        });
        let Some(result) = result else {
            return out.error(unreachable(&r.domain, Transfer::Push), 1);
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
                    m.remember_sources(&r.domain, &path, &image.layers);
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
        host: r.domain.clone(),
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
    let ok = with_registry(world, &at, |_, reg| match reg.policy {
        Policy::Open => Ok(()),
        Policy::Hub | Policy::Password => {
            if reg.accounts.get(user).is_some_and(|p| *p == password) {
                Ok(())
            } else {
                Err(DockerError::BadCredentials {
                    host: reg.host.clone(),
                    hub: reg.policy == Policy::Hub,
                })
            }
        }
    })
    .unwrap_or_else(|| Err(unreachable(&host, Transfer::Login)));
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
pub fn logout(world: &mut World, machine: &str, server: Option<&str>, out: &mut Outcome) {
    let host = registry_host(server);
    world.machine(machine).logins.remove(&login_key(&host));
    let shown = if host == "docker.io" {
        "https://index.docker.io/v1/".to_string()
    } else {
        host
    };
    out.push(Event::LoggedOut { server: shown });
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
