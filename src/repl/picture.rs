//! `state`: the whole world drawn as a tree, so a learner sees at a glance what each machine holds, what the
//! registries hold, and which layers are the same bytes in several places.
//!
//! Every distinct layer (by diff ID, its content identity) gets a short label, `L1`, `L2`, … in the order the
//! picture first meets it. Images list their layers by label, bottom first, runs of neighbours abbreviated
//! (`L1-L4`), so a row fits 80 columns. Two marks say two different things: `+` a layer shared by several
//! images on one machine (stored once: the reason a pull says "Already exists"), `^` a layer also stored in
//! a registry (the reason a push says "Layer already exists" or "Mounted from"). The legend at the end says
//! where each layer is, shortened to fit the screen.
//!
//! Docker Hub's official repositories (`library/…`) are summarised in one line rather than drawn tag by tag:
//! they are the same in every fresh world, and the legend still names them where they hold a labelled layer.

use crate::digest::Digest;
use crate::model::image::{Image, Layer};
use crate::model::machine::Machine;
use crate::model::registry::Registry;
use crate::model::world::World;
use crate::render::units::human_size_precision3;
use crate::repl::style::Kind;
use std::collections::HashMap;

/// A registry as the picture and completion see it: named ones, and those served by a `registry` container.
pub struct RegistryView<'a> {
    /// `docker.io`, `localhost:5000`.
    pub host: &'a str,
    /// (machine, container name, running) when a `registry` container serves it.
    pub served_by: Option<(&'a str, &'a str, bool)>,
    /// Its repositories, manifests and blobs.
    pub registry: &'a Registry,
}

/// Every registry of the world: the named ones first, then container-served ones by machine and name.
pub fn registries(world: &World) -> Vec<RegistryView<'_>> {
    let mut out: Vec<RegistryView<'_>> = world
        .registries
        .iter()
        .map(|(host, registry)| RegistryView {
            host,
            served_by: None,
            registry,
        })
        .collect();
    for (machine_name, m) in &world.machines {
        let mut served: Vec<_> = m
            .containers
            .all()
            .filter_map(|c| c.registry.as_deref().map(|r| (c, r)))
            .collect();
        served.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        for (c, registry) in served {
            out.push(RegistryView {
                host: &registry.host,
                served_by: Some((machine_name, &c.name, c.is_running())),
                registry,
            });
        }
    }
    out
}

/// Names of an image as a machine shows them (`myimage:latest`), or `<none>:<none>`.
pub fn image_names(m: &Machine, id: &Digest) -> Vec<String> {
    let Some(stored) = m.images.images.get(id) else {
        return Vec::new();
    };
    let mut names = stored.tag_names();
    if names.is_empty() {
        // A pulled image whose tag moved on keeps its repository name (shown as `alpine:<none>`).
        names = stored
            .digests
            .iter()
            .map(|d| format!("{}:<none>", d.repo.familiar()))
            .take(1)
            .collect();
    }
    if names.is_empty() {
        names.push("<none>:<none>".to_string());
    }
    names
}

/// Labels for layers, in first-seen order, with everywhere each one is.
#[derive(Default)]
pub(crate) struct Labels {
    pub(crate) order: Vec<Layer>,
    pub(crate) index: HashMap<Digest, usize>,
    /// label index → places (`default`, `docker.io`) in first-seen order → what holds it there.
    pub(crate) places: Vec<Vec<(String, Vec<String>)>>,
    /// label index → the places that are registries.
    registries: Vec<Vec<String>>,
}

impl Labels {
    fn label(&mut self, layer: &Layer) -> usize {
        if let Some(i) = self.index.get(&layer.diff_id) {
            return *i;
        }
        self.order.push(layer.clone());
        self.places.push(Vec::new());
        self.registries.push(Vec::new());
        let i = self.order.len() - 1;
        self.index.insert(layer.diff_id.clone(), i);
        i
    }

    fn holds(&mut self, layer: &Layer, place: &str, holder: &str) {
        let i = self.label(layer);
        let places = &mut self.places[i];
        let at = match places.iter().position(|(p, _)| p == place) {
            Some(at) => at,
            None => {
                places.push((place.to_string(), Vec::new()));
                places.len() - 1
            }
        };
        let list = &mut places[at].1;
        if !list.iter().any(|h| h == holder) {
            list.push(holder.to_string());
        }
    }

    fn in_registry(&mut self, layer: &Layer, host: &str, repo: &str) {
        self.holds(layer, host, repo);
        let i = self.label(layer);
        if !self.registries[i].iter().any(|h| h == host) {
            self.registries[i].push(host.to_string());
        }
    }

    fn is_registry(&self, i: usize, place: &str) -> bool {
        self.registries[i].iter().any(|h| h == place)
    }

    /// `+`: several images on one machine hold the layer.
    /// Is layer `i` in more than one image, machine or repository? (The drawing's "shared".)
    pub(crate) fn in_several(&self, i: usize) -> bool {
        self.places[i].iter().map(|(_, h)| h.len()).sum::<usize>() > 1
    }

    fn shared(&self, i: usize) -> bool {
        self.places[i]
            .iter()
            .any(|(p, h)| h.len() > 1 && !self.is_registry(i, p))
    }

    /// `^`: a registry stores it too.
    fn stored(&self, i: usize) -> bool {
        !self.registries[i].is_empty()
    }

    fn marks(&self, i: usize) -> String {
        let mut m = String::new();
        if self.shared(i) {
            m.push('+');
        }
        if self.stored(i) {
            m.push('^');
        }
        m
    }

    /// An image's layers by label, bottom first. Neighbouring layers with the same marks form a group
    /// written once with its marks at the end (`L8,L9,L3,L4+^`), and runs of consecutive labels in a group
    /// are ranges (`L1-L4`), so a row stays short.
    fn list(&self, image: &Image) -> String {
        let labels: Vec<usize> = image
            .layers
            .iter()
            .filter_map(|l| self.index.get(&l.diff_id).copied())
            .collect();
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for i in labels {
            let marks = self.marks(i);
            match groups.last_mut() {
                Some((m, members)) if *m == marks => members.push(i),
                _ => groups.push((marks, vec![i])),
            }
        }
        let mut out = Vec::new();
        for (marks, members) in groups {
            let mut items = Vec::new();
            let mut k = 0;
            while k < members.len() {
                let mut end = k;
                while end + 1 < members.len() && members[end + 1] == members[end] + 1 {
                    end += 1;
                }
                let (first, last) = (members[k] + 1, members[end] + 1);
                match end - k {
                    0 => items.push(format!("L{first}")),
                    1 => items.push(format!("L{first},L{last}")),
                    _ => items.push(format!("L{first}-L{last}")),
                }
                k = end + 1;
            }
            out.push(format!("{}{marks}", items.join(",")));
        }
        out.join(" ")
    }

    /// Where layer `i` is, short: the machines, then each registry with its first repository and how many
    /// more (`default, laptop; docker.io: alice/app +2`).
    /// Shortened further (repositories counted, then machines counted) until it fits `room` columns.
    fn where_(&self, i: usize, room: usize) -> String {
        let mut machines = Vec::new();
        let mut registries = Vec::new();
        for (place, holders) in &self.places[i] {
            if self.is_registry(i, place) {
                registries.push((place.as_str(), holders));
            } else {
                machines.push(place.as_str());
            }
        }
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut best = String::new();
        for level in 0..4 {
            let mut parts = Vec::new();
            if !machines.is_empty() {
                parts.push(if level < 2 {
                    machines.join(", ")
                } else {
                    plural(machines.len(), "machine")
                });
            }
            if level == 3 && !registries.is_empty() {
                parts.push(plural(registries.len(), "registry").replace("registrys", "registries"));
                best = parts.join("; ");
                break;
            }
            for (place, holders) in &registries {
                let first = holders.first().map(String::as_str).unwrap_or("");
                parts.push(match (level, holders.len()) {
                    (_, 0 | 1) if level == 0 => format!("{place}: {first}"),
                    (0, n) => format!("{place}: {first} +{}", n - 1),
                    (_, n) => format!("{place} ({})", plural(n, "repo")),
                });
            }
            best = parts.join("; ");
            if best.chars().count() <= room {
                break;
            }
        }
        best
    }
}

/// A repository drawn tag by tag (everything but Docker Hub's official repositories).
pub(crate) fn drawn(view: &RegistryView<'_>, path: &str) -> bool {
    !(view.host == "docker.io" && view.served_by.is_none() && path.starts_with("library/"))
}

/// Labels every layer in drawing order (machines' images newest first, then registries' repositories) and
/// records where each one is (the `state` picture and the SVG drawing share it).
pub(crate) fn labels(world: &World) -> Labels {
    let mut labels = Labels::default();
    // First pass: label every layer in drawing order and record where it is.
    for (name, m) in &world.machines {
        for (_, id) in m.images.by_created.iter().rev() {
            if let Some(stored) = m.images.images.get(id) {
                let shown = image_names(m, id).join(", ");
                for l in &stored.image.layers {
                    labels.holds(l, name, &shown);
                }
            }
        }
    }
    let views = registries(world);
    for view in &views {
        for (path, repo) in sorted_repos(view.registry) {
            if !drawn(view, path) {
                continue;
            }
            for digest in repo.tags.values() {
                if let Some(m) = view.registry.manifests.get(digest) {
                    for l in &m.image.layers {
                        labels.in_registry(l, view.host, path);
                    }
                }
            }
        }
    }
    // Official repositories holding a labelled layer are named in the legend too.
    for view in &views {
        for (path, repo) in sorted_repos(view.registry) {
            if drawn(view, path) {
                continue;
            }
            for i in 0..labels.order.len() {
                let layer = labels.order[i].clone();
                if repo.blobs.contains(&layer.blob) {
                    labels.in_registry(&layer, view.host, path);
                }
            }
        }
    }
    labels
}

/// Draws the world; `current` is the machine the learner is on.
pub fn picture(world: &World, current: &str) -> Vec<(Kind, String)> {
    let labels = labels(world);
    let views = registries(world);
    let mut out = Vec::new();
    let mut line = |kind: Kind, text: String| out.push((kind, text));
    for (name, m) in &world.machines {
        let here = if **name == *current {
            "   ◀ you are here"
        } else {
            ""
        };
        // The CPU platform shows where it is not the default `linux/amd64`.
        let cpu = if m.platform == crate::model::platform::Platform::default() {
            String::new()
        } else {
            format!(" ({})", m.platform.short())
        };
        line(Kind::Heading, format!("machine {name}{cpu}{here}"));
        machine(m, world.now, &labels, &mut line);
        line(Kind::Info, String::new());
    }
    for view in &views {
        let heading = match view.served_by {
            None => format!("registry {}", view.host),
            Some((m, c, up)) => format!(
                "registry {}   served by container `{c}` on `{m}`{}",
                view.host,
                if up { "" } else { " (stopped: unreachable)" }
            ),
        };
        line(Kind::Heading, heading);
        registry(view, &labels, &mut line);
        line(Kind::Info, String::new());
    }
    if labels.order.is_empty() {
        line(Kind::Heading, "layers: none yet".into());
        return out;
    }
    line(Kind::Heading, LEGEND.into());
    line(Kind::Info, LEGEND_COLUMNS.into());
    let width = labels.order.len().to_string().len() + 3;
    for (i, layer) in labels.order.iter().enumerate() {
        let tag = format!("L{}{}", i + 1, labels.marks(i));
        let row = format!(
            "  {tag:<width$} {} {} {:>7}  ",
            layer.diff_id.short(),
            layer.blob.short(),
            human_size_precision3(layer.size),
        );
        let room = crate::repl::wrap::DEFAULT_WIDTH.saturating_sub(row.chars().count());
        line(Kind::Info, format!("{row}{}", labels.where_(i, room)));
    }
    out
}

/// An image reference as typed, its digest shortened to 12 hex digits (`alice/app@sha256:eb4ab060921d…`).
fn short_ref(raw: &str) -> String {
    match raw.split_once("@sha256:") {
        Some((name, hex)) if hex.len() > 12 => format!("{name}@sha256:{}…", &hex[..12]),
        _ => raw.to_string(),
    }
}

/// The legend's heading: what the two marks mean.
const LEGEND: &str =
    "layers   + shared by several images on one machine   ^ also stored in a registry";

/// The legend's columns.
const LEGEND_COLUMNS: &str =
    "  content ID (push, inspect) / blob ID (pull), compressed size, where it is";

pub(crate) fn sorted_repos(r: &Registry) -> Vec<(&String, &crate::model::registry::Repository)> {
    let mut v: Vec<_> = r.repos.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

/// Tree branches: `├─ ` for all but the last item, `└─ ` for the last, and the matching continuation.
fn branch(last: bool) -> (&'static str, &'static str) {
    if last {
        ("└─ ", "   ")
    } else {
        ("├─ ", "│  ")
    }
}

fn machine(m: &Machine, now: u64, labels: &Labels, line: &mut impl FnMut(Kind, String)) {
    let images: Vec<(String, &Image)> = m
        .images
        .by_created
        .iter()
        .rev()
        .filter_map(|(_, id)| m.images.images.get(id))
        .map(|s| (image_names(m, &s.image.id).join(", "), s.image.as_ref()))
        .collect();
    let containers: Vec<_> = m.containers.newest_first().collect();
    let mut sections: Vec<&str> = Vec::new();
    if !images.is_empty() {
        sections.push("images");
    }
    if !containers.is_empty() {
        sections.push("containers");
    }
    if !m.logins.is_empty() {
        sections.push("logins");
    }
    if !m.builders.is_empty() {
        sections.push("builders");
    }
    if sections.is_empty() {
        line(Kind::Info, "└─ no images, no containers".into());
        return;
    }
    for (si, section) in sections.iter().enumerate() {
        let (b, cont) = branch(si + 1 == sections.len());
        match *section {
            "images" => {
                line(Kind::Info, format!("{b}images"));
                let w = images
                    .iter()
                    .map(|(n, _)| n.chars().count())
                    .max()
                    .unwrap_or(0);
                for (i, (names, image)) in images.iter().enumerate() {
                    let (b2, _) = branch(i + 1 == images.len());
                    line(
                        Kind::Info,
                        format!(
                            "{cont}{b2}{names:<w$}  {}  {}{}",
                            image.id.short(),
                            labels.list(image),
                            // An image this machine's CPU cannot run says for which one it is.
                            if image.platform.runs_on(&m.platform) {
                                String::new()
                            } else {
                                format!("  ({})", image.platform.architecture)
                            }
                        ),
                    );
                }
            }
            "containers" => {
                line(Kind::Info, format!("{b}containers"));
                let w = containers
                    .iter()
                    .map(|c| c.name.chars().count())
                    .max()
                    .unwrap_or(0);
                let wi = containers
                    .iter()
                    .map(|c| short_ref(&c.image_ref.raw).chars().count())
                    .max()
                    .unwrap_or(0);
                for (i, c) in containers.iter().enumerate() {
                    let (b2, _) = branch(i + 1 == containers.len());
                    let rm = if c.auto_remove { "  (--rm)" } else { "" };
                    line(
                        Kind::Info,
                        format!(
                            "{cont}{b2}{:<w$}  {}  {:<wi$}  {}{rm}",
                            c.name,
                            c.short_id(),
                            short_ref(&c.image_ref.raw),
                            crate::render::listing::status(&c.state, now)
                        ),
                    );
                }
            }
            "builders" => {
                // `docker buildx create` instances: their results stay in them unless pushed or loaded.
                let names: Vec<String> = m
                    .builders
                    .values()
                    .map(|b| {
                        let used = if m.current_builder.as_deref() == Some(b.name.as_str()) {
                            ", used by docker build"
                        } else {
                            ""
                        };
                        format!("{} ({}{used})", b.name, b.driver)
                    })
                    .collect();
                line(Kind::Info, format!("{b}builders: {}", names.join(", ")));
            }
            _ => {
                let logins: Vec<String> = m
                    .logins
                    .iter()
                    .map(|(host, user)| format!("{host} as {user}"))
                    .collect();
                line(Kind::Info, format!("{b}logged in: {}", logins.join(", ")));
            }
        }
    }
}

fn registry(view: &RegistryView<'_>, labels: &Labels, line: &mut impl FnMut(Kind, String)) {
    let repos: Vec<_> = sorted_repos(view.registry)
        .into_iter()
        .filter(|(p, _)| drawn(view, p))
        .collect();
    let official: Vec<&str> = sorted_repos(view.registry)
        .into_iter()
        .filter(|(p, _)| !drawn(view, p))
        .filter_map(|(p, _)| p.strip_prefix("library/"))
        .collect();
    let uploaded = view.registry.bytes_received;
    let mut items = repos.len() + usize::from(!official.is_empty()) + usize::from(uploaded > 0);
    if items == 0 {
        line(Kind::Info, "└─ no repositories".into());
        return;
    }
    let w = repos
        .iter()
        .map(|(p, _)| p.chars().count())
        .max()
        .unwrap_or(0);
    for (path, repo) in &repos {
        items -= 1;
        let (b, cont) = branch(items == 0);
        let mut about = vec![if repo.private { "private" } else { "public" }.to_string()];
        if let Some(owner) = &repo.owner {
            about.push(format!("owner {owner}"));
        }
        line(Kind::Info, format!("{b}{path:<w$}  {}", about.join(", ")));
        let tw = repo
            .tags
            .keys()
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0);
        for (i, (tag, digest)) in repo.tags.iter().enumerate() {
            let (b2, _) = branch(i + 1 == repo.tags.len());
            match view.registry.manifests.get(digest) {
                // A multi-platform index: one image per CPU under one tag (each pull takes its own).
                Some(m) if !m.others.is_empty() => {
                    let members: Vec<String> = std::iter::once(&m.image)
                        .chain(m.others.iter())
                        .map(|i| {
                            format!(
                                "{} image {}  {}",
                                i.platform.short(),
                                i.id.short(),
                                labels.list(i)
                            )
                        })
                        .collect();
                    line(
                        Kind::Info,
                        format!("{cont}{b2}{tag:<tw$}  index: {}", members.join(" · ")),
                    );
                }
                Some(m) => line(
                    Kind::Info,
                    format!(
                        "{cont}{b2}{tag:<tw$}  image {}  {}",
                        m.image.id.short(),
                        labels.list(&m.image)
                    ),
                ),
                None => line(Kind::Info, format!("{cont}{b2}{tag:<tw$}  image ?  ")),
            }
        }
    }
    if !official.is_empty() {
        items -= 1;
        let (b, _) = branch(items == 0);
        line(
            Kind::Info,
            format!("{b}library/…  official: {}", official.join(" ")),
        );
    }
    if uploaded > 0 {
        let (b, _) = branch(true);
        line(
            Kind::Info,
            format!(
                "{b}received by pushes so far: {}",
                human_size_precision3(uploaded)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::run_line;
    use crate::script::split_host;

    fn run(world: &mut World, line: &str) {
        let r = run_line(world, &split_host(line), None, false);
        assert_eq!(r.exit_code, 0, "{line}: {}", r.stderr);
    }

    fn text(world: &World) -> String {
        picture(world, "default")
            .into_iter()
            .map(|(_, t)| t + "\n")
            .collect()
    }

    #[test]
    fn a_fresh_world() {
        let t = text(&World::new());
        assert!(t.starts_with("machine default   ◀ you are here\n└─ no images, no containers\n"));
        assert!(t.contains("alice/secret-app  private, owner alice"));
        assert!(t.contains("official: alpine busybox"));
    }

    #[test]
    fn two_marks_say_two_things() {
        let mut w = World::new();
        run(&mut w, "docker build -t myimage:1 .");
        run(&mut w, "sed -i 's/version 1/version 2/' server.js");
        run(&mut w, "docker build -t myimage:2 .");
        let t = text(&w);
        // Both versions are built on node:22-alpine: its layers are held by both images on `default` (+)
        // and stored on docker.io (^); the app's npm layers are shared but in no registry; each version's
        // server.js layer is its own.
        assert!(t.contains("myimage:2  "), "{t}");
        assert!(t.contains("L1-L4+^ L5,L6+ L7\n"), "{t}");
        assert!(t.contains("L1-L4+^ L5,L6+ L8\n"), "{t}");
        assert!(t.contains("  L1+^ "), "{t}");
        assert!(t.contains("  L7   "), "{t}");
        assert!(t.contains("default; docker.io: library/alpine +1"), "{t}");
    }

    #[test]
    fn state_fits_80_columns_for_the_shipped_lessons() {
        let course = crate::repl::course::Course::shipped();
        for i in 0..course.scenario_names().len() {
            let Some(Ok(s)) = course.scenario_at(i) else {
                continue;
            };
            let mut w = s.world.clone();
            for step in &s.steps {
                if let Some(line) = &step.command {
                    let _ = run_line(&mut w, line, None, false);
                }
            }
            for l in text(&w).lines() {
                assert!(l.chars().count() <= 80, "{}: {l:?}", s.id);
            }
        }
    }

    #[test]
    fn the_picture_is_deterministic() {
        let mut a = World::new();
        let mut b = World::new();
        for w in [&mut a, &mut b] {
            run(w, "docker build -t myimage .");
            run(w, "docker run -d --name web myimage");
            run(w, "laptop$ docker pull node:22-alpine");
        }
        assert_eq!(text(&a), text(&b));
        assert!(text(&a).contains("machine laptop"));
    }
}
