//! Reading course files and building their worlds: a file's `world` extends the default world (machines with
//! inline build-context files and logins, registries with accounts, organisations and repositories), then its
//! `setup` commands run on it. Setup runs real commands through the simulator rather than planting images
//! directly, so every image a lesson starts with has real IDs, layers and digests.

use super::diagnostic::{CourseError, CourseErrorKind, MAX_FILE_BYTES, Pos, from_yaml};
use super::raw::{Auth, RegistrySpec, Visibility, WorldSpec};
use crate::model::registry::{Policy, Registry, Repository};
use crate::model::world::World;
use crate::runner::{self, StepResult};
use crate::script;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Reads a course file as text, refusing huge and binary files before any parsing. The file is opened
/// through [`crate::safe_fs`]: never a named pipe or a device (which would hang or never end), and read
/// through the size limit whatever its metadata said.
pub fn read_source(path: &Path) -> Result<String, CourseError> {
    use crate::safe_fs::ReadError;
    let io = |e: ReadError| {
        CourseError::file(
            path,
            CourseErrorKind::Io {
                message: e.to_string().to_lowercase(),
            },
        )
    };
    let file = crate::safe_fs::open_regular(path, true).map_err(io)?;
    let len = file.metadata().map_or(0, |m| m.len());
    if len > MAX_FILE_BYTES {
        return Err(CourseError::file(
            path,
            CourseErrorKind::TooLarge { bytes: len },
        ));
    }
    let bytes = crate::safe_fs::read_limited(file, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::TooLarge { limit } => {
            CourseError::file(path, CourseErrorKind::TooLarge { bytes: limit + 1 })
        }
        e => io(e),
    })?;
    if bytes.contains(&0) {
        return Err(CourseError::file(path, CourseErrorKind::Binary));
    }
    String::from_utf8(bytes).map_err(|_| CourseError::file(path, CourseErrorKind::Binary))
}

/// Parses YAML text into a raw type with a depth budget; errors carry position and field path.
/// This is where course text enters dockdrill: control characters are stripped here
/// ([`super::sanitize`]), so nothing a course file holds can drive the learner's terminal.
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, CourseError> {
    let text = super::sanitize::clean(text);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(super::diagnostic::yaml_budget());
    options.with_snippet = false;
    serde_saphyr::from_str_with_options(&text, options).map_err(|e| from_yaml(path, &text, &e))
}

/// Runs one script line, as the learner would type it.
pub fn run(world: &mut World, line: &str) -> StepResult {
    runner::run_line(world, &script::split_host(line), None, false)
}

/// Builds the world a file describes: the default world, extended, then `setup` run silently.
/// `at` is where the `world` field is, for errors without a better position.
pub fn build_world(
    file: &Path,
    spec: &WorldSpec,
    path: &str,
    errors: &mut Vec<CourseError>,
) -> World {
    let mut world = World::new();
    let err = |pos: Pos, field: String, message: String| {
        CourseError::at(file, pos, field, CourseErrorKind::Invalid { message })
    };
    for (host, reg) in &spec.registries {
        let pos = Pos::of(&reg.referenced);
        let field = format!("{path}.registries.{host}");
        if let Err(m) = apply_registry(&mut world, host, &reg.value) {
            errors.push(err(pos, field, m));
        }
    }
    for (name, m) in &spec.machines {
        let pos = Pos::of(&m.referenced);
        let field = format!("{path}.machines.{name}");
        if let Err(msg) = super::validate_machine_name(name) {
            errors.push(err(pos, field.clone(), msg));
            continue;
        }
        let registries: Vec<(String, bool)> = m
            .value
            .logins
            .iter()
            .map(|(host, user)| {
                let known = world
                    .registries
                    .get(host)
                    .is_some_and(|r| r.accounts.contains_key(&user.value));
                (host.clone(), known)
            })
            .collect();
        for ((host, user), (_, known)) in m.value.logins.iter().zip(&registries) {
            if !known {
                errors.push(err(
                    Pos::of(&user.referenced),
                    format!("{field}.logins.{host}"),
                    format!(
                        "`{}` has no account on `{host}` (add it under `world.registries.{host}.accounts`)",
                        user.value
                    ),
                ));
            }
        }
        let platform = match &m.value.platform {
            Some(p) => match crate::model::platform::Platform::parse(&p.value) {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.push(err(
                        Pos::of(&p.referenced),
                        format!("{field}.platform"),
                        format!("{e} (write OS/ARCH, like `linux/amd64` or `linux/arm64`)"),
                    ));
                    None
                }
            },
            None => None,
        };
        let machine = world.machine(name);
        if let Some(p) = platform {
            machine.platform = p;
        }
        if m.value.replace_files {
            machine.files = crate::model::folder::Folder::default();
        }
        for (file_name, content) in &m.value.files {
            machine.files.insert(
                file_name.trim_start_matches("./").to_string(),
                crate::model::image::FileBytes::from(content.as_bytes()),
            );
        }
        for ((host, user), (_, known)) in m.value.logins.iter().zip(registries) {
            if known {
                machine.logins.insert(host.clone(), user.value.clone());
            }
        }
    }
    if let Some(e) = too_much_setup(file, path, spec.setup.len()) {
        errors.push(e);
        return world;
    }
    for (i, line) in spec.setup.iter().enumerate() {
        let step = run(&mut world, &line.value);
        if step.exit_code != 0 {
            errors.push(CourseError::at(
                file,
                Pos::of(&line.referenced),
                format!("{path}.setup[{i}]"),
                CourseErrorKind::SetupFailed {
                    command: line.value.clone(),
                    exit_code: step.exit_code,
                    output: step.interleaved,
                },
            ));
        }
    }
    world
}

/// The error for setup lists longer than [`crate::limits::MAX_SETUP_LINES`] together (checked before any
/// of them runs: 12,000 setup lines in one quiz question took minutes), `None` when they fit.
pub fn too_much_setup(file: &Path, field: &str, lines: usize) -> Option<CourseError> {
    (lines > crate::limits::MAX_SETUP_LINES).then(|| {
        CourseError::file(
            file,
            CourseErrorKind::Invalid {
                message: format!(
                    "`{field}`: {lines} setup lines; {}",
                    crate::limits::LimitExceeded::SetupLines
                ),
            },
        )
    })
}

fn apply_registry(world: &mut World, host: &str, spec: &RegistrySpec) -> Result<(), String> {
    if let Some(url) = &spec.url {
        return apply_remote(world, host, url, spec);
    }
    if host.starts_with("localhost") || host.starts_with("127.") {
        return Err(format!(
            "`{host}` exists only while a `registry` container serves it: start one in `setup` (`docker run -d -p 5000:5000 --name registry registry:2`)"
        ));
    }
    if host.is_empty() || !host.contains('.') {
        return Err(format!(
            "`{host}` is not a registry host (a registry is named like `docker.io` or `registry.example.com`)"
        ));
    }
    let policy = match spec.auth {
        Some(Auth::Hub) => Policy::Hub,
        Some(Auth::Open) => Policy::Open,
        Some(Auth::Password) => Policy::Password,
        None if host == "docker.io" => Policy::Hub,
        None if spec.accounts.is_empty() => Policy::Open,
        None => Policy::Password,
    };
    let reg = world
        .registries
        .entry(host.to_string())
        .or_insert_with(|| Registry::new(host, policy.clone()));
    reg.policy = policy;
    for (user, password) in &spec.accounts {
        reg.accounts.insert(user.clone(), password.clone());
    }
    for (org, members) in &spec.orgs {
        for m in members {
            if !reg.accounts.contains_key(m) {
                return Err(format!(
                    "organisation `{org}` lists `{m}`, who has no account on `{host}`"
                ));
            }
        }
        reg.orgs
            .insert(org.clone(), members.iter().cloned().collect());
    }
    for (path, repo) in &spec.repositories {
        let owner = path
            .split_once('/')
            .map(|(ns, _)| ns.to_string())
            .filter(|_| host == "docker.io");
        if crate::reference::ImageRef::parse(&format!("{host}/{path}")).is_err()
            || path.contains(':')
        {
            return Err(format!(
                "`{path}` is not a repository name (like `alice/app`)"
            ));
        }
        let entry = reg.repos.entry(path.clone()).or_insert_with(|| Repository {
            owner,
            ..Repository::default()
        });
        entry.private = repo.value.visibility == Visibility::Private;
    }
    Ok(())
}

/// `url:` — the host is a real registry, reached over HTTP; its accounts and repositories are its own.
fn apply_remote(
    world: &mut World,
    host: &str,
    url: &str,
    spec: &RegistrySpec,
) -> Result<(), String> {
    if spec.auth.is_some()
        || !spec.accounts.is_empty()
        || !spec.orgs.is_empty()
        || !spec.repositories.is_empty()
    {
        return Err(format!(
            "`{host}` is a real registry (`url`): its accounts and repositories live on it, so `auth`, `accounts`, `orgs` and `repositories` cannot be given here"
        ));
    }
    let url_host = crate::remote::client::RegistryUrl::parse(url)
        .map_err(|e| e.to_string())?
        .host;
    if url_host != host {
        return Err(format!(
            "`url` names the registry `{url_host}`, not `{host}`: the key must be the URL's host:port"
        ));
    }
    world.add_remote(url).map(|_| ()).map_err(|e| e.to_string())
}
