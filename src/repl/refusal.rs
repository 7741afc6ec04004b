//! `explain` after a failure: the Docker rule that refused, what in this world triggered it, and the next
//! command that would get past it. Read from the typed refusal and the world, never from the printed text.
//!
//! The failures are the lessons (a push without a login, a push into `library/`, a name conflict, a tag that
//! is not local), so every refusal a learner of image sharing can meet has its own paragraph here.

use crate::command::{Command, Invocation, UsageError};
use crate::docker_error::{
    DenyReason, DockerError, ImageHold, StartProblem, Transfer, Unreachable,
};
use crate::model::machine::Machine;
use crate::model::world::World;
use crate::reference::{ImageRef, RepoName};

/// Sentences for a refused docker command: rule, trigger, next step.
pub fn explain(e: &DockerError, host: &str, inv: &Invocation, world: &World) -> Vec<String> {
    let m = world.get_machine(host);
    let on = format!("`{host}`");
    use DockerError as E;
    match e {
        E::PushDenied {
            host: registry,
            repository,
            account,
            reason,
        } => push_denied(registry, repository, account.as_deref(), reason, host, inv, world),
        E::PushNoCredentials { host: registry } => vec![
            format!("{registry} refused the push: it asks for a login before every push, and nobody is logged in to it on {on}"),
            format!("next: `docker login {registry}`, then push again"),
        ],
        E::NotLocalRepository { repository } => {
            let repository = repository.familiar();
            let local = local_image_names(m);
            let mut out = vec![
                format!("a push sends a local image whose name is exactly the target repository: {on} has no image named `{repository}`"),
            ];
            if !local.is_empty() {
                out.push(format!("images on {on}: {}", list(&local, 6)));
            }
            let source = local.first().cloned().unwrap_or_else(|| "myimage".into());
            out.push(format!("next: give an image that name first, e.g. `docker tag {source} {repository}`, then push"));
            out
        }
        E::NotLocalTag { repository: repo, tag } => {
            let tags = m.map(|m| tags_of_repo(m, repo)).unwrap_or_default();
            let repository = repo.familiar();
            vec![
                format!("a push sends the local image with exactly that tag: {on} has `{repository}` only as {}", list(&tags, 6)),
                format!("next: `docker tag {repository}:{} {repository}:{tag}`, or push one of those tags", tags.first().map_or("latest", String::as_str)),
            ]
        }
        E::PullDenied { repository } => pull_denied(repository, host, world),
        E::ManifestUnknown { reference } => {
            let (repo, wanted) = reference
                .rsplit_once([':', '@'])
                .map_or((reference.as_str(), ""), |(r, t)| (r, t));
            let tags = ImageRef::parse(repo)
                .ok()
                .and_then(|r| world.registries.get(r.domain()).and_then(|reg| reg.repos.get(r.path())).map(|x| x.tags.keys().cloned().collect::<Vec<_>>()))
                .unwrap_or_default();
            let mut out = vec![format!("the repository `{repo}` exists, but has nothing under `{wanted}`: a tag (or digest) names one manifest, and this one was never pushed")];
            if !tags.is_empty() {
                out.push(format!("its tags: {}", list(&tags, 8)));
                out.push(format!("next: `docker pull {repo}:{}`", tags[0]));
            }
            out
        }
        E::PullNoCredentials { host: registry, .. } => vec![
            format!("{registry} protects every request with a password, pulls too; nobody is logged in to it on {on}"),
            format!("next: `docker login {registry}`, then pull again"),
        ],
        E::RegistryUnreachable { host: registry, why, during } => {
            let what = match during {
                Transfer::Pull => "pull from",
                Transfer::Push => "push to",
                Transfer::Login => "log in to",
            };
            match why {
                Unreachable::ConnectionRefused => {
                    let port = registry.rsplit_once(':').map_or("5000", |(_, p)| p);
                    vec![
                        format!("nothing listens at {registry} on {on}, so there is no registry to {what}: a `localhost` registry exists only while a `registry` container on this same machine publishes that port (and it is reachable from this machine only)"),
                        format!("next: `docker run -d -p {port}:5000 --name registry registry:2`"),
                    ]
                }
                Unreachable::NoSuchHost => {
                    let known: Vec<String> = world.registries.keys().cloned().collect();
                    vec![
                        format!("no registry answers at `{registry}`: the name does not resolve, so there is nothing to {what}"),
                        format!("registries this world knows: {}; a name without a registry host means docker.io", list(&known, 6)),
                    ]
                }
            }
        }
        E::BadCredentials { host: registry, hub } => {
            let accounts: Vec<String> = world
                .registries
                .get(if *hub { "docker.io" } else { registry.as_str() })
                .map(|r| r.accounts.keys().cloned().collect())
                .unwrap_or_default();
            let mut out = vec![format!("{registry} refused that user name and password: a login is checked by the registry, and nothing is stored when it fails")];
            if !accounts.is_empty() {
                out.push(format!("accounts on {registry}: {}", list(&accounts, 6)));
            }
            out.push("next: `docker login` again with the right password".to_string());
            out
        }
        E::NonTtyLogin => vec![
            "docker login needs a user and a password; without -u/-p it asks for them at a terminal, and there was none".into(),
            "next: `docker login -u alice -p wonderland`, or `--password-stdin` with the password on the next line".into(),
        ],
        E::NameInUse { name, holder } => {
            let state = m
                .and_then(|m| m.containers.get(holder.as_str()))
                .map_or("", |c| if c.is_running() { " (running)" } else { " (stopped)" });
            vec![
                format!("container names are unique on a machine: the name `{name}` is taken by container {}{state} on {on}, and a name stays taken until its container is removed, stopped or not", short(holder)),
                format!("next: `docker rm -f {name}` (removes the old one) or choose another name"),
            ]
        }
        E::RemoveRunning { name } => vec![
            format!("`{name}` is still running: docker rm removes only stopped containers unless forced"),
            format!("next: `docker stop {name}` then `docker rm {name}`, or `docker rm -f {name}`"),
        ],
        E::NoSuchContainer { name } => no_such_container(name, host, inv, world),
        E::NoSuchImage { reference } => no_such_image(reference, host, world),
        E::ImageInUse { image, hold, .. } => image_in_use(image, hold, m),
        E::ReferenceInUse { reference, container, .. } => vec![
            format!("`{reference}` is the last name of an image that container `{}` uses: docker keeps the name rather than leave a container's image nameless", container_name(m, container)),
            format!("next: `docker rm {}` first, or `docker rmi -f {reference}` (the image stays, untagged, while the container exists)", container_name(m, container)),
        ],
        E::StartFailed { problem } => match problem {
            StartProblem::NotInPath { executable } | StartProblem::NoSuchFile { executable } => vec![
                format!("the image has no program `{executable}`: a container can only run what its image contains, so the container was created but never started (status Created, exit code 127)"),
                "next: run a program the image has (e.g. `sh -c '…'` on alpine or busybox), then `docker rm` the leftover container".into(),
            ],
            StartProblem::PermissionDenied { executable } => vec![
                format!("`{executable}` is a folder in the image, not a program: the kernel refuses to execute it (permission denied), so the container was created but never started (status Created, exit code 126)"),
                "next: give a program to run, e.g. `ls /etc`, then `docker rm` the leftover container".into(),
            ],
            StartProblem::UnknownUser(_) => vec![
                "`-u` names an account the image's /etc/passwd does not have (a number needs no entry, a name does), so the container was created but never started".into(),
                "next: use a user the image has (`root`, `nobody`) or a numeric uid, then `docker rm` the leftover container".into(),
            ],
            StartProblem::NoSuchNetwork { name } => vec![
                format!("no network is called `{name}` on {on}: the daemon looks up `--network` when it starts the container, so the container was created but never started"),
                format!("next: `docker network create {name}` and `docker start` the container, or `docker rm` it and run again on an existing network (`docker network ls`)"),
            ],
            StartProblem::PortAllocated { host_port, .. } => {
                let holder = m
                    .and_then(|m| m.containers.port_holder(*host_port))
                    .map_or_else(|| "another container".to_string(), |c| format!("container `{}`", c.name));
                vec![
                    format!("host port {host_port} on {on} is already published by {holder}: one port of a machine can go to one container at a time"),
                    format!("next: stop that container, or publish another host port (`-p {}:…`)", host_port.saturating_add(1)),
                ]
            }
        },
        E::PlatformMismatch { reference, wanted, actual } => vec![
            format!("`{reference}` is a {actual} image and you asked for {wanted}: with --platform the daemon uses only an image of that platform, and the registry had no other (a single-platform image, so the pull took it anyway and only warned)"),
            format!("next: build one for {} (`docker build --platform {} …`) and push it, or run without --platform to get the host's warning and `exec format error`", wanted.short(), wanted.short()),
        ],
        E::NoMatchingManifest { platform } => vec![
            format!("the repository's tag is a multi-platform index, and none of its images is for {platform}: an index lists one image per platform, and a pull takes only the one it asks for"),
            "next: ask for a platform the index has (`docker manifest inspect` lists them in real Docker; the Hub's official images here have linux/amd64 and linux/arm64)".into(),
        ],
        E::InvalidPlatform(_) | E::RunPlatform(_) => vec![
            "a platform is written OS/ARCH[/VARIANT], like `linux/amd64`, `linux/arm64` or `linux/arm/v7`".into(),
        ],
        E::NoCommand => vec!["neither the image (CMD/ENTRYPOINT) nor the command line says what to run".into(), "next: add a command after the image name".into()],
        E::InvalidReference { error, .. } | E::InvalidTagTarget { error, .. } => vec![
            format!("image names follow the reference grammar: {error} (repository names are lowercase; a tag is letters, digits, `_`, `.` and `-`)"),
        ],
        E::KillNotRunning { name, .. } | E::NotRunning { id: name } => vec![
            format!("`{}` is not running: only a running container's process can be signalled or joined", display_container(m, name)),
            format!("next: `docker start {}`", display_container(m, name)),
        ],
        E::InvalidFilter { key } => vec![format!("`{key}` is not a filter this command knows; `docker {} --help` lists the flags", inv.path)],
        E::RegistryFailed { host: registry, error, .. } => vec![
            format!("the real registry {registry} failed in a way the simulated ones never do: {error}"),
            "a layer transfer is tried 5 times before the daemon gives up (waiting 5, 10, 15 and 20 seconds); next: look at the registry's log, then run the command again".into(),
        ],
        E::NoSuchVolume { name } => vec![
            format!("no volume is called `{name}` on this machine"),
            "next: `docker volume ls` lists them; `docker volume create NAME` (or `-v NAME:/path` on `run`) makes one".into(),
        ],
        E::VolumeInUse { name, containers } => vec![
            format!("volume `{name}` is mounted by {} container(s): a volume goes only once no container (running or stopped) uses it, and `-f` does not change that", containers.len()),
            "next: `docker rm -f` those containers first, then `docker volume rm` again".into(),
        ],
        E::InvalidVolumeName { .. } | E::VolumeNameTooShort { .. } => vec![
            "a volume name is at least two characters: letters, digits, `_`, `.` and `-`, starting with a letter or digit (a path starting with `/` is a bind mount, not a volume)".into(),
        ],
        E::NetworkExists { name } => vec![format!("a network called `{name}` exists already; network names are unique on a machine"), "next: `docker network ls`".into()],
        E::NoSuchNetwork { name } => vec![format!("no network is called `{name}` here"), "next: `docker network ls` lists them (`-f` on `network rm` ignores missing ones)".into()],
        E::PredefinedNetwork { name } => vec![format!("`{name}` is one of the three networks every engine has (bridge, host, none): they cannot be removed")],
        E::SingleInstanceNetwork { .. } | E::NotASwarmManager | E::NoSuchNetworkDriver { .. } => vec![
            "a user-defined network uses the `bridge` driver (the default): `docker network create NAME`".into(),
        ],
        E::CopyWithoutContainer | E::CopyBetweenContainers => vec![
            "`docker cp` copies between this machine's working folder and one container: exactly one side is `CONTAINER:PATH`".into(),
            "next: `docker cp FILE web:/path` or `docker cp web:/path FILE`".into(),
        ],
        E::NotInContainer { path, container } => vec![
            format!("container `{container}` has no `{path}` (in its image or in what it wrote since)"),
            format!("next: `docker diff {container}` shows what it changed; `docker exec {container} ls` what it has"),
        ],
        E::LocalPathMissing { path } => vec![format!("the working folder has no `{path}`"), "next: `ls` lists it".into()],
        E::CopyNoSuchDirectory | E::NoOutputFolder { .. } => vec![
            "a destination ending in `/`, or the folder above a new file, must exist already: `docker cp` creates the file, not the folders above it".into(),
        ],
        E::SearchLimit { .. } => vec!["`--limit` takes 1 to 100 results".into()],
        E::BindSourceMissing { path } => vec![
            format!("`--mount type=bind` needs the host folder to exist, and {path} does not (`-v` would have made it)"),
            "next: `ls` shows the working folder; `-v ./dir:/path` makes a missing folder".into(),
        ],
        E::BindSourceEmpty => vec!["a bind mount names its host folder: `--mount type=bind,source=./dir,target=/path`".into()],
        E::UnknownMountType { .. } => vec!["`--mount type=` is `bind` (a host folder), `volume` (named or anonymous) or `tmpfs` (memory)".into()],
        E::InvalidMountMode { .. } => vec!["the third part of `-v SRC:DST:MODE` is `ro` or `rw` (and SELinux/propagation words like `z`, `rprivate`), comma-separated".into()],
        E::EndpointExists { container, network } => vec![format!("`{container}` is on network `{network}` already: a container joins a network once")],
        E::NotConnected { network, .. } => vec![
            format!("the container is not on network `{network}`"),
            "next: `docker inspect -f '{{json .NetworkSettings.Networks}}' CONTAINER` lists its networks".into(),
        ],
        E::HostNetworkConflict => vec!["a container on the host network shares the machine's own stack: it cannot join or leave other networks".into()],
        E::NoneNetworkConflict => vec!["`none` means no networking at all, so it cannot sit beside another network: disconnect the container from the others first".into()],
        E::NetworkHasEndpoints { network, endpoints } => vec![
            format!("{} running container(s) are connected to `{network}`: a network goes only once none is", endpoints.len()),
            format!("next: `docker network disconnect {network} CONTAINER` (or stop or remove them), then remove it again"),
        ],
        _ => vec![format!("docker refused `docker {}` (see its message above)", inv.path)],
    }
}

/// Sentences for a command line the CLI refused before doing anything.
pub fn explain_usage(u: &UsageError) -> Vec<String> {
    match u.inner() {
        UsageError::Flag { path, .. } if path.is_empty() => {
            vec!["the docker CLI refused the line before sending anything to the daemon: nothing changed".into(), "next: `docker --help` lists the commands and global flags".into()]
        }
        UsageError::Flag { path, .. } | UsageError::ArgCount { path, .. } | UsageError::Run { path, .. } => vec![
            "the docker CLI refused the line before sending anything to the daemon: nothing changed".into(),
            format!("next: `docker {path} --help` shows the usage and every flag"),
        ],
        UsageError::UnknownCommand { group, word } => vec![
            format!("`{word}` is no {} command: nothing changed", group.as_deref().map_or("docker".to_string(), |g| format!("docker {g}"))),
            "next: `docker --help` lists the commands".into(),
        ],
        _ => vec!["the docker CLI refused the line before sending anything to the daemon: nothing changed".into()],
    }
}

fn push_denied(
    registry: &str,
    repository: &str,
    account: Option<&str>,
    reason: &DenyReason,
    host: &str,
    inv: &Invocation,
    world: &World,
) -> Vec<String> {
    let typed = match &inv.command {
        Command::Push { reference, .. } => reference.raw.clone(),
        _ => repository.to_string(),
    };
    let name = repository.rsplit('/').next().unwrap_or(repository);
    match reason {
        DenyReason::NotLoggedIn => {
            let hint = world
                .registries
                .get(registry)
                .and_then(|r| r.accounts.keys().next().cloned())
                .map_or_else(
                    || format!("docker login {registry}"),
                    |u| {
                        if registry == "docker.io" {
                            format!("docker login -u {u}")
                        } else {
                            format!("docker login {registry} -u {u}")
                        }
                    },
                );
            vec![
                format!(
                    "{registry} refused the push: nobody is logged in to {registry} on `{host}`, and a registry accepts pushes only from an account with write access"
                ),
                format!("next: `{hint}`, then push again"),
            ]
        }
        DenyReason::OfficialNamespace => {
            let who = account.unwrap_or("YOURNAME");
            vec![
                format!(
                    "`{typed}` means {registry}/library/{name}, the namespace of official images, which only Docker can push to"
                ),
                format!(
                    "next: tag it into your own namespace, `docker tag {typed} {who}/{name}`, then `docker push {who}/{name}`"
                ),
            ]
        }
        DenyReason::OtherNamespace { namespace } => {
            let who = account.unwrap_or("YOURNAME");
            vec![
                format!(
                    "you are logged in to {registry} as `{who}` on `{host}`, and `{repository}` is in the namespace `{namespace}`: an account pushes only into its own namespace (or an organisation it belongs to)"
                ),
                format!(
                    "next: `docker tag {typed} {who}/{name}` and push that, or log in as `{namespace}`"
                ),
            ]
        }
    }
}

fn pull_denied(repo: &RepoName, host: &str, world: &World) -> Vec<String> {
    let hub = world.registries.get("docker.io");
    let path = repo.path();
    let repository = repo.familiar();
    let user = world
        .machines
        .get(host)
        .and_then(|m| m.logins.get("docker.io").cloned());
    match hub.and_then(|h| h.repos.get(path)) {
        Some(repo) if repo.private => vec![
            format!("`{repository}` is a private repository: only its owner ({}) can pull it, and on `{host}` you are logged in to docker.io as {}", repo.owner.as_deref().unwrap_or("its owner"), user.map_or("nobody".to_string(), |u| format!("`{u}`"))),
            format!("next: `docker login -u {}` on this machine (logins are per machine)", repo.owner.as_deref().unwrap_or("OWNER")),
        ],
        _ => vec![
            format!("docker.io has no repository `{repository}`; it answers \"pull access denied\" both for a name that does not exist and for a private one you may not read, so as not to reveal which"),
            "next: check the spelling and the namespace (`docker login` first if it is your private repository), or push it first from the machine that has it".into(),
        ],
    }
}

fn no_such_container(name: &str, host: &str, inv: &Invocation, world: &World) -> Vec<String> {
    let mut out = vec![format!("there is no container `{name}` on `{host}`")];
    let elsewhere: Vec<String> = world
        .machines
        .iter()
        .filter(|(h, m)| &***h != host && m.containers.resolve(name).is_ok())
        .map(|(h, _)| format!("`{h}`"))
        .collect();
    if !elsewhere.is_empty() {
        out.push(format!("{} has one: containers are never shared between machines, only images travel (through a registry)", elsewhere.join(", ")));
    }
    if matches!(
        inv.command,
        Command::Rm { .. } | Command::Start { .. } | Command::Logs { .. }
    ) {
        out.push("a container started with --rm is removed the moment it stops, so `docker rm`, `start` and `logs` cannot find it afterwards".into());
    }
    out.push("next: `docker ps -a` lists this machine's containers".into());
    out
}

fn no_such_image(reference: &str, host: &str, world: &World) -> Vec<String> {
    let mut out = vec![format!(
        "`{host}` has no image `{reference}`: every machine has its own image store"
    )];
    let arg = crate::reference::ImageArg::new(reference.to_string());
    let elsewhere: Vec<String> = world
        .machines
        .iter()
        .filter(|(h, m)| &***h != host && m.images.lookup_arg(&arg).is_some())
        .map(|(h, _)| format!("`{h}`"))
        .collect();
    if !elsewhere.is_empty() {
        out.push(format!("{} has it: images reach another machine only through a registry (push there, pull here)", elsewhere.join(", ")));
    }
    out.push(format!("next: `docker images` lists what is here; `docker pull {reference}` fetches it from its registry"));
    out
}

fn image_in_use(
    image: &crate::digest::Digest,
    hold: &ImageHold,
    m: Option<&Machine>,
) -> Vec<String> {
    let id = image.short();
    match hold {
        ImageHold::RunningContainer { container } => vec![
            format!(
                "image {id} is the image of running container {}: a running container's image cannot be removed, not even with -f",
                container_name(m, container)
            ),
            format!(
                "next: `docker rm -f {}` (or stop and remove it), then remove the image",
                container_name(m, container)
            ),
        ],
        ImageHold::StoppedContainer { container } => vec![
            format!(
                "image {id} is used by stopped container {}: a container keeps its image until the container is removed",
                container_name(m, container)
            ),
            format!(
                "next: `docker rm {}`, then `docker rmi {id}` (or force with -f)",
                container_name(m, container)
            ),
        ],
        ImageHold::ChildImages => vec![
            format!(
                "image {id} is the parent of other images the legacy builder made: removing it would cut their layer chain"
            ),
            "next: remove the images built on it first".into(),
        ],
        ImageHold::MultipleRepositories => {
            let names = m
                .map(|m| crate::repl::picture::image_names(m, image))
                .unwrap_or_default();
            vec![
                format!("image {id} has names in several repositories ({}): removing it by ID would untag them all, so docker asks for -f", list(&names, 6)),
                "next: `docker rmi NAME` for the names you want gone (the image goes with its last name), or `docker rmi -f` the ID".into(),
            ]
        }
    }
}

fn local_image_names(m: Option<&Machine>) -> Vec<String> {
    let Some(m) = m else { return Vec::new() };
    let mut names: Vec<String> = m.images.tags.keys().map(|t| t.familiar()).collect();
    names.sort();
    names
}

fn tags_of_repo(m: &Machine, repo: &RepoName) -> Vec<String> {
    m.images
        .repo_tags(repo)
        .map(|(t, _)| t.tag.to_string())
        .collect()
}

/// A container's name (its short ID when it has none here), for sentences and commands alike.
fn container_name(m: Option<&Machine>, id: &str) -> String {
    m.and_then(|m| m.containers.get(id))
        .map_or_else(|| short(id).to_string(), |c| c.name.to_string())
}

fn display_container(m: Option<&Machine>, name_or_id: &str) -> String {
    m.and_then(|m| m.containers.get(name_or_id))
        .map_or_else(|| name_or_id.to_string(), |c| c.name.to_string())
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// At most `max` items, backquoted, then "and N more".
fn list(items: &[String], max: usize) -> String {
    if items.is_empty() {
        return "none".into();
    }
    let mut s = items
        .iter()
        .take(max)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > max {
        s.push_str(&format!(" and {} more", items.len() - max));
    }
    s
}
