//! `docker inspect`: which objects a name finds (a container first, then an image, for plain `inspect`).
//! Their JSON and the `-f` template belong to the rendering layer.

use super::Outcome;
use crate::command::{InspectFormat, InspectKind};
use crate::event::{DockerError, Event, InspectListing, Inspected};
use crate::model::machine::StoredImage;
use crate::model::world::World;
use crate::reference::ImageArg;

/// An image as inspect shows it; its references only when the output reads them (`roots`: the top-level
/// fields a `-f` template names, `None` for the whole object).
fn inspected_image(s: &StoredImage, roots: Option<&[String]>) -> Inspected {
    let wanted = |field: &str| roots.is_none_or(|r| r.iter().any(|x| x == field));
    Inspected::Image {
        image: s.image.clone(),
        tags: if wanted("RepoTags") {
            s.tag_names()
        } else {
            Vec::new()
        },
        digests: if wanted("RepoDigests") {
            s.digest_names()
        } else {
            Vec::new()
        },
        last_tag_time: s.last_tag_time,
    }
}

/// The object types `docker inspect --type` takes (docker/cli `inspect.go`); dockdrill looks up images and
/// containers, and any other type as `docker inspect` without `--type` does.
pub const TYPES: &[&str] = &[
    "config",
    "container",
    "image",
    "network",
    "node",
    "plugin",
    "secret",
    "service",
    "task",
    "volume",
];

/// `docker inspect`, `docker image inspect`, `docker container inspect`.
pub fn inspect(
    world: &mut World,
    host: &str,
    kind: InspectKind,
    names: &[String],
    (format, size): (Option<&InspectFormat>, bool),
    out: &mut Outcome,
) {
    let mut sizes = std::collections::BTreeMap::new();
    let roots = format.and_then(InspectFormat::roots);
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for name in names {
        let m = &world.machines[host];
        // The store shares each container: the event holds the same one, copying nothing.
        let container = || {
            let c = m
                .containers
                .resolve(name)
                .ok()
                .and_then(|id| m.containers.get_shared(&id))?;
            Some(Inspected::Container(c.clone()))
        };
        // The name is read as an image reference only when no container answers to it.
        let image = || {
            m.images
                .lookup_arg(&ImageArg::new(name.clone()))
                .map(|s| inspected_image(s, roots))
        };
        let hit = match kind {
            InspectKind::Any => container().or_else(image),
            InspectKind::Image => image(),
            InspectKind::Container => container(),
        };
        match hit {
            Some(v) => {
                if let (true, Inspected::Container(c)) = (size, &v) {
                    // What the container wrote is its own layer; the root file system adds the image.
                    let rw = super::changes::layer_of(m, &c.id, &c.image_data)
                        .map_or(0, |(l, _)| l.size);
                    sizes.insert(c.id.to_string(), (rw, rw + c.image_data.size()));
                }
                objects.push(v)
            }
            None => errors.push(match kind {
                InspectKind::Any => DockerError::NoSuchObject { name: name.clone() },
                InspectKind::Image => {
                    DockerError::no_such_image(ImageArg::new(name.clone()).shown())
                }
                InspectKind::Container => DockerError::no_such_container(name.clone()),
            }),
        }
    }
    out.push(Event::Inspect(InspectListing {
        objects,
        format: format.cloned(),
        sizes,
    }));
    if !errors.is_empty() {
        for e in errors {
            out.push(Event::Error(e));
        }
        out.exit_code = 1;
    }
}
