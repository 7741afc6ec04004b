//! `docker images --tree` (docker/cli 28 `cli/command/image/tree.go`): the image list grouped by image.
//! The CLI asks the daemon for the images with their manifests; the classic store (dockdrill's engine, as
//! a default Docker 28.2 install) answers without manifests, so every image is one entry, with no
//! platform children, and the dangling ones are left out unless `-a`.

use super::Outcome;
use crate::command::Command;
use crate::event::{Event, ImageTree, TreeImage};
use crate::model::world::World;

/// `docker images --tree [-a] [--filter F] [REPOSITORY[:TAG]]`: the listing `docker images` would make
/// (same filters and errors), one entry per image.
pub fn tree(
    world: &mut World,
    host: &str,
    (all, filter, reference): (bool, &[String], &Option<String>),
    out: &mut Outcome,
) {
    let listing = Command::Images {
        all,
        quiet: false,
        digests: false,
        no_trunc: false,
        filter: filter.to_vec(),
        reference: reference.clone(),
        format: None,
    };
    let mut sub = Outcome::default();
    super::images::images(world, host, &listing, "images", &mut sub);
    let mut images: Vec<TreeImage> = Vec::new();
    let mut dangling: Vec<bool> = Vec::new();
    // Image ID → its entry: one lookup per row, however many images the listing has.
    let mut at: std::collections::HashMap<crate::digest::Digest, usize> =
        std::collections::HashMap::new();
    for e in sub.events {
        let Event::Images(l) = e else {
            // A refusal (a bad filter, an unknown `before=` image) is the listing's.
            out.events.push(e);
            continue;
        };
        for row in l.rows {
            let named = row.tag != "<none>";
            let name = format!("{}:{}", row.repository, row.tag);
            match at.get(&row.id).copied() {
                Some(k) => {
                    if named {
                        images[k].names.push(name);
                    }
                    dangling[k] &= !named && row.digest.is_none();
                }
                None => {
                    at.insert(row.id.clone(), images.len());
                    images.push(TreeImage {
                        names: if named { vec![name] } else { vec![] },
                        id: row.id.clone(),
                        size: row.size,
                    });
                    dangling.push(!named && row.digest.is_none());
                }
            }
        }
    }
    out.exit_code = sub.exit_code;
    if sub.exit_code != 0 {
        return;
    }
    // The CLI drops dangling images (no tag, no digest) unless `-a`.
    let images = images
        .into_iter()
        .zip(dangling)
        .filter(|(_, d)| all || !d)
        .map(|(i, _)| i)
        .collect();
    out.push(Event::ImageTree(ImageTree { images }));
}

#[cfg(test)]
mod tests {
    use crate::event::Event;

    #[test]
    fn one_entry_per_image_with_every_name() {
        let mut w = crate::model::world::World::new();
        crate::engine::run_test_line(&mut w, "docker pull alpine");
        crate::engine::run_test_line(&mut w, "docker tag alpine mine:1");
        let out = crate::engine::run_test_line(&mut w, "docker images --tree");
        let Some(Event::ImageTree(t)) = out.events.last() else {
            panic!("{:?}", out.events)
        };
        assert_eq!(t.images.len(), 1);
        assert_eq!(t.images[0].names, ["alpine:latest", "mine:1"]);
    }
}
