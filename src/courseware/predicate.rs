//! State predicates: facts about a world a goal or an expectation can demand ("`alice/app:1.0` is on
//! `docker.io`", "a container `web` is running on `server`"). Each is answered by index lookups (a tag map, a
//! container name map, a login map); only `no_dangling_images` walks one machine's images, because no index of
//! dangling images exists and the answer is about all of them.

use crate::model::machine::Machine;
use crate::model::registry::Registry;
use crate::model::world::{DEFAULT_MACHINE, World};
use crate::reference::ImageRef;

/// A checked predicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Predicate {
    /// `image` (a tag or digest reference) exists on its registry, as seen from `machine` (which matters only
    /// for `localhost:PORT` registries served by a container there).
    ImageOnRegistry { image: ImageRef, machine: String },
    /// `machine` has a local image `image` (a reference or an ID prefix).
    ImageOnMachine { image: String, machine: String },
    /// `machine` has a container `name`, in any state.
    ContainerExists { name: String, machine: String },
    /// `machine` has a running container `name`.
    ContainerRunning { name: String, machine: String },
    /// Container `name` on `machine` was created from the image `image` names there now.
    ContainerRunsImage {
        name: String,
        image: String,
        machine: String,
    },
    /// Container `name` on `machine` has written `text` to its log (which version of an app it runs shows here).
    ContainerLogsContain {
        name: String,
        text: String,
        machine: String,
    },
    /// `machine` has no image without a tag.
    NoDanglingImages { machine: String },
    /// `machine` is logged in to `registry` (as `user`, when given).
    LoggedIn {
        registry: String,
        user: Option<String>,
        machine: String,
    },
    /// `a` and `b` name the same image on `machine`.
    SameImage {
        a: String,
        b: String,
        machine: String,
    },
    /// The inner predicate does not hold.
    Not(Box<Predicate>),
}

/// Tags and image IDs as the learner wrote them, for messages.
fn shown(image: &ImageRef) -> String {
    image.familiar()
}

impl Predicate {
    /// Does it hold in `world`?
    pub fn holds(&self, world: &World) -> bool {
        match self {
            Predicate::ImageOnRegistry { image, machine } => {
                registry_seen_from(world, machine, image.domain()).is_some_and(|reg| {
                    let Some(repo) = reg.repos.get(image.path()) else {
                        return false;
                    };
                    match (image.digest(), image.tag()) {
                        (Some(d), _) => repo.tags.values().any(|t| t.as_str() == d),
                        (None, Some(t)) => repo.tags.contains_key(t),
                        (None, None) => repo.tags.contains_key("latest"),
                    }
                })
            }
            Predicate::ImageOnMachine { image, machine } => {
                on(world, machine, |m| m.images.lookup(image).is_some())
            }
            Predicate::ContainerExists { name, machine } => {
                on(world, machine, |m| m.containers.resolve(name).is_ok())
            }
            Predicate::ContainerRunning { name, machine } => on(world, machine, |m| {
                m.containers
                    .resolve(name)
                    .ok()
                    .and_then(|id| m.containers.get(&id))
                    .is_some_and(crate::model::container::Container::is_running)
            }),
            Predicate::ContainerRunsImage {
                name,
                image,
                machine,
            } => on(world, machine, |m| {
                let container = m
                    .containers
                    .resolve(name)
                    .ok()
                    .and_then(|id| m.containers.get(&id));
                match (container, m.images.lookup(image)) {
                    (Some(c), Some(i)) => c.image == i.image.id,
                    _ => false,
                }
            }),
            Predicate::ContainerLogsContain {
                name,
                text,
                machine,
            } => on(world, machine, |m| {
                m.containers
                    .resolve(name)
                    .ok()
                    .and_then(|id| m.containers.get(&id))
                    .is_some_and(|c| c.logs.iter().any(|l| l.text.contains(text.as_str())))
            }),
            Predicate::NoDanglingImages { machine } => on(world, machine, |m| {
                m.images.images.values().all(|i| !i.dangling())
            }),
            Predicate::LoggedIn {
                registry,
                user,
                machine,
            } => on(world, machine, |m| match (m.logins.get(registry), user) {
                (Some(who), Some(want)) => who == want,
                (Some(_), None) => true,
                (None, _) => false,
            }),
            Predicate::SameImage { a, b, machine } => on(world, machine, |m| {
                match (m.images.lookup(a), m.images.lookup(b)) {
                    (Some(x), Some(y)) => x.image.id == y.image.id,
                    _ => false,
                }
            }),
            Predicate::Not(inner) => !inner.holds(world),
        }
    }

    /// The machine it is about (`image_on_registry` names one only for a `localhost` registry).
    pub fn machines(&self) -> Vec<&str> {
        match self {
            Predicate::ImageOnRegistry { image, machine } => {
                if image.domain().starts_with("localhost") || image.domain().starts_with("127.") {
                    vec![machine.as_str()]
                } else {
                    Vec::new()
                }
            }
            Predicate::ImageOnMachine { machine, .. }
            | Predicate::ContainerExists { machine, .. }
            | Predicate::ContainerRunning { machine, .. }
            | Predicate::ContainerRunsImage { machine, .. }
            | Predicate::ContainerLogsContain { machine, .. }
            | Predicate::NoDanglingImages { machine }
            | Predicate::LoggedIn { machine, .. }
            | Predicate::SameImage { machine, .. } => vec![machine.as_str()],
            Predicate::Not(inner) => inner.machines(),
        }
    }

    /// What it says, for "what is still missing".
    pub fn describe(&self) -> String {
        match self {
            Predicate::ImageOnRegistry { image, .. } => {
                format!("`{}` is on `{}`", shown(image), image.domain())
            }
            Predicate::ImageOnMachine { image, machine } => {
                format!("`{machine}` has the image `{image}`")
            }
            Predicate::ContainerExists { name, machine } => {
                format!("a container `{name}` exists on `{machine}`")
            }
            Predicate::ContainerRunning { name, machine } => {
                format!("a container `{name}` is running on `{machine}`")
            }
            Predicate::ContainerRunsImage {
                name,
                image,
                machine,
            } => format!("container `{name}` on `{machine}` runs the image `{image}` names there"),
            Predicate::ContainerLogsContain {
                name,
                text,
                machine,
            } => format!("container `{name}` on `{machine}` has logged `{text}`"),
            Predicate::NoDanglingImages { machine } => {
                format!("`{machine}` has no dangling images")
            }
            Predicate::LoggedIn {
                registry,
                user: Some(user),
                machine,
            } => format!("`{machine}` is logged in to `{registry}` as `{user}`"),
            Predicate::LoggedIn {
                registry,
                user: None,
                machine,
            } => format!("`{machine}` is logged in to `{registry}`"),
            Predicate::SameImage { a, b, machine } => {
                format!("`{a}` and `{b}` are the same image on `{machine}`")
            }
            Predicate::Not(inner) => inner.describe_negated(),
        }
    }

    /// The negation in words ("no container `web` exists on `default`").
    fn describe_negated(&self) -> String {
        match self {
            Predicate::ImageOnRegistry { image, .. } => {
                format!("`{}` is not on `{}`", shown(image), image.domain())
            }
            Predicate::ImageOnMachine { image, machine } => {
                format!("`{machine}` does not have the image `{image}`")
            }
            Predicate::ContainerExists { name, machine } => {
                format!("no container `{name}` exists on `{machine}`")
            }
            Predicate::ContainerRunning { name, machine } => {
                format!("no container `{name}` is running on `{machine}`")
            }
            Predicate::NoDanglingImages { machine } => {
                format!("`{machine}` has dangling images")
            }
            Predicate::LoggedIn {
                registry, machine, ..
            } => format!("`{machine}` is not logged in to `{registry}`"),
            Predicate::Not(inner) => inner.describe(),
            other => format!("not: {}", other.describe()),
        }
    }
}

fn on(world: &World, machine: &str, f: impl FnOnce(&Machine) -> bool) -> bool {
    world.get_machine(machine).is_some_and(f)
}

/// The registry `host` names from `machine`: a named registry, or a running `registry` container publishing
/// that `localhost` port on `machine` (the same rule the engine applies to push and pull).
fn registry_seen_from<'w>(world: &'w World, machine: &str, host: &str) -> Option<&'w Registry> {
    if let Some(reg) = world.registries.get(host) {
        return Some(reg);
    }
    let (name, port) = host.rsplit_once(':')?;
    if name != "localhost" && !name.starts_with("127.") {
        return None;
    }
    let port: u16 = port.parse().ok()?;
    let m = world.machines.get(machine)?;
    let c = m.containers.port_holder(port)?;
    if !c.is_running() {
        return None;
    }
    c.registry.as_deref()
}

/// Validates a written predicate; `Err` says what is wrong with it.
pub fn validate(spec: &super::raw::PredicateSpec) -> Result<Predicate, String> {
    use super::raw::PredicateSpec as S;
    let m = |machine: &Option<String>| -> Result<String, String> {
        let name = machine.clone().unwrap_or_else(|| DEFAULT_MACHINE.into());
        super::validate_machine_name(&name)?;
        Ok(name)
    };
    let image_ref = |image: &str| -> Result<(), String> {
        if crate::reference::is_id_prefix(image) {
            return Ok(());
        }
        ImageRef::parse(image)
            .map(|_| ())
            .map_err(|e| format!("`{image}` is not an image reference: {e}"))
    };
    Ok(match spec {
        S::ImageOnRegistry { image, machine } => Predicate::ImageOnRegistry {
            image: ImageRef::parse(image)
                .map_err(|e| format!("`{image}` is not an image reference: {e}"))?
                .with_default_tag(),
            machine: m(machine)?,
        },
        S::ImageOnMachine { image, machine } => {
            image_ref(image)?;
            Predicate::ImageOnMachine {
                image: image.clone(),
                machine: m(machine)?,
            }
        }
        S::ContainerExists { name, machine } => Predicate::ContainerExists {
            name: name.clone(),
            machine: m(machine)?,
        },
        S::ContainerRunning { name, machine } => Predicate::ContainerRunning {
            name: name.clone(),
            machine: m(machine)?,
        },
        S::ContainerRunsImage {
            name,
            image,
            machine,
        } => {
            image_ref(image)?;
            Predicate::ContainerRunsImage {
                name: name.clone(),
                image: image.clone(),
                machine: m(machine)?,
            }
        }
        S::ContainerLogsContain {
            name,
            text,
            machine,
        } => Predicate::ContainerLogsContain {
            name: name.clone(),
            text: text.clone(),
            machine: m(machine)?,
        },
        S::NoDanglingImages { machine } => Predicate::NoDanglingImages {
            machine: m(machine)?,
        },
        S::LoggedIn {
            registry,
            user,
            machine,
        } => Predicate::LoggedIn {
            registry: registry.clone(),
            user: user.clone(),
            machine: m(machine)?,
        },
        S::SameImage { a, b, machine } => {
            image_ref(a)?;
            image_ref(b)?;
            Predicate::SameImage {
                a: a.clone(),
                b: b.clone(),
                machine: m(machine)?,
            }
        }
        S::Not(inner) => Predicate::Not(Box::new(validate(inner)?)),
    })
}
