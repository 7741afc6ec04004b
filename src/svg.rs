//! The world drawn as an SVG picture: machines on the left with their images and containers, registries on
//! the right with their repositories, and every layer once in the middle, with a line to each image and
//! repository that holds it. Two lessons become visible at a glance:
//!
//! - **images are shared, containers are not**: a layer in two images (or on two machines, or in two
//!   repositories) has several lines, while a container hangs off exactly one image on one machine, with a
//!   writable layer of its own that no line leaves;
//! - **a push uploads only the missing layers**: a pushed repository's lines go to layers that were already
//!   in the registry (an official image's base) as well as to the new ones.
//!
//! The layer labels (`L1`, `L2`, …, starred when shared) are the text picture's ([`crate::repl::picture`]),
//! computed by the same function, so `state` and the drawing name each layer the same way. The output is a
//! pure function of the world: the same world always gives the same bytes (a snapshot test pins it), every
//! text is XML-escaped, and the style sheet is inside the file so it can be opened on its own, put on a slide
//! or inlined in the web page (classes are prefixed `dd-` so they cannot clash with a page's own).

use crate::model::machine::Machine;
use crate::model::world::World;
use crate::render::units::human_size_precision3;
use crate::repl::picture::{self, Labels, RegistryView};
use std::fmt::Write as _;

/// Height of one row of text.
const ROW: usize = 16;
/// Width reserved per character (11px monospace is about 6.6px wide).
const CHAR: usize = 7;
/// Inner padding of a box.
const PAD: usize = 8;
/// The gap between a column and the layers, where the lines run.
const GAP: usize = 80;
/// Room left of the machines for the container-to-image connectors.
const MARGIN: usize = 28;

/// One line of text inside a box, and what it links to.
struct Row {
    text: String,
    class: &'static str,
    /// Layer indexes (into `Labels::order`) this row holds.
    layers: Vec<usize>,
    /// A stable id (`image:default:myimage:latest`) for links and tests.
    id: String,
    /// For a container: the row index of its image in the same box.
    runs: Option<usize>,
}

impl Row {
    fn text(text: impl Into<String>, class: &'static str) -> Row {
        Row {
            text: text.into(),
            class,
            layers: Vec::new(),
            id: String::new(),
            runs: None,
        }
    }
}

/// A machine or a registry, drawn as a titled box of rows.
struct Panel {
    title: String,
    class: &'static str,
    rows: Vec<Row>,
}

/// The SVG text of `world`; `current` (the learner's machine) is marked "you are here".
pub fn svg(world: &World, current: Option<&str>) -> String {
    let labels = picture::labels(world);
    let machines: Vec<Panel> = world
        .machines
        .iter()
        .map(|(name, m)| machine_panel(name, m, world.now, current == Some(name), &labels))
        .collect();
    let registries: Vec<Panel> = picture::registries(world)
        .iter()
        .map(|view| registry_panel(view, &labels))
        .collect();
    let layer_rows: Vec<String> = labels
        .order
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "{}  {}  {}",
                label(&labels, i),
                l.diff_id.short(),
                human_size_precision3(l.size)
            )
        })
        .collect();

    let width_of = |panels: &[Panel]| {
        panels
            .iter()
            .flat_map(|p| std::iter::once(&p.title).chain(p.rows.iter().map(|r| &r.text)))
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0)
            * CHAR
            + 2 * PAD
    };
    let mw = width_of(&machines).max(200);
    let rw = width_of(&registries).max(200);
    let lw = layer_rows
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(10)
        .max("layers (each drawn once)".len())
        * CHAR
        + 2 * PAD;
    let mx = MARGIN;
    let lx = mx + mw + GAP;
    let rx = lx + lw + GAP;
    let total_w = rx + rw + PAD;

    // Rows' vertical centres, column by column.
    let mut body = String::new();
    let mut edges = String::new();
    let layer_y = |i: usize| 2 * ROW + i * ROW + ROW / 2 + PAD;
    let mut image_links = vec![0usize; labels.order.len()];
    let mut y = PAD;
    for p in &machines {
        let ys = draw_panel(&mut body, p, mx, mw, &mut y);
        for (r, cy) in p.rows.iter().zip(&ys) {
            for &i in &r.layers {
                image_links[i] += 1;
                let _ = writeln!(
                    edges,
                    r#"<path class="dd-edge dd-edge-image{}" data-from="{}" data-to="L{}" d="{}"/>"#,
                    shared_class(&labels, i),
                    esc(&r.id),
                    i + 1,
                    curve(mx + mw, *cy, lx, layer_y(i))
                );
            }
            if let Some(image_row) = r.runs {
                let iy = ys[image_row];
                let _ = writeln!(
                    edges,
                    r#"<path class="dd-edge dd-edge-container" data-from="{}" d="M{mx} {cy} C{x} {cy} {x} {iy} {mx} {iy}"/>"#,
                    esc(&r.id),
                    x = mx - MARGIN + 6,
                );
            }
        }
        y += PAD;
    }
    let left_h = y;
    let mut y = PAD;
    for p in &registries {
        let ys = draw_panel(&mut body, p, rx, rw, &mut y);
        for (r, cy) in p.rows.iter().zip(&ys) {
            for &i in &r.layers {
                let _ = writeln!(
                    edges,
                    r#"<path class="dd-edge dd-edge-repo{}" data-from="{}" data-to="L{}" d="{}"/>"#,
                    shared_class(&labels, i),
                    esc(&r.id),
                    i + 1,
                    curve(rx, *cy, lx + lw, layer_y(i))
                );
            }
        }
        y += PAD;
    }
    let right_h = y;

    // The layers, each once.
    let layers_h = layer_y(labels.order.len()) + PAD;
    let _ = writeln!(
        body,
        r#"<g class="dd-layers"><text class="dd-title" x="{}" y="{}">{}</text>"#,
        lx + PAD,
        PAD + ROW,
        if labels.order.is_empty() {
            "layers: none yet"
        } else {
            "layers (each drawn once)"
        }
    );
    for (i, text) in layer_rows.iter().enumerate() {
        let cy = layer_y(i);
        let _ = writeln!(
            body,
            r#"<g class="dd-layer{}" data-layer="L{}" data-images="{}"><rect x="{lx}" y="{}" width="{lw}" height="{}" rx="3"/><text x="{}" y="{}">{}</text></g>"#,
            shared_class(&labels, i),
            i + 1,
            image_links[i],
            cy - ROW / 2 + 1,
            ROW - 2,
            lx + PAD,
            cy + 3,
            esc(text)
        );
    }
    body.push_str("</g>\n");

    let legend_y = left_h.max(right_h).max(layers_h) + ROW;
    let total_h = legend_y + 2 * ROW + PAD;
    let shared = (0..labels.order.len())
        .filter(|i| labels.in_several(*i))
        .count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="dd-world" width="{total_w}" height="{total_h}" viewBox="0 0 {total_w} {total_h}" role="img" aria-labelledby="dd-title dd-desc" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="11">"#
    );
    let _ = writeln!(
        out,
        r#"<title id="dd-title">dockdrill: the simulated world</title><desc id="dd-desc">{}, {}, {} of which {shared} shared</desc>"#,
        count(machines.len(), "machine", "machines"),
        count(registries.len(), "registry", "registries"),
        count(labels.order.len(), "layer", "layers"),
    );
    out.push_str(STYLE);
    out.push_str(r#"<g class="dd-edges">"#);
    out.push('\n');
    out.push_str(&edges);
    out.push_str("</g>\n");
    out.push_str(&body);
    let _ = writeln!(
        out,
        r#"<g class="dd-legend"><rect class="dd-layer-box dd-shared-box" x="{mx}" y="{}" width="14" height="12" rx="2"/><text x="{}" y="{}">a shared layer (*): the same bytes in more than one image, machine or repository; a push uploads only the layers the registry lacks</text>"#,
        legend_y - 10,
        mx + 20,
        legend_y
    );
    let _ = writeln!(
        out,
        r#"<path class="dd-edge dd-edge-container" d="M{mx} {} h14"/><text x="{}" y="{}">a container runs one image on one machine; its writable layer (rw) is its own, shared with nothing</text></g>"#,
        legend_y + ROW - 4,
        mx + 20,
        legend_y + ROW
    );
    out.push_str("</svg>\n");
    out
}

/// The REPL's `state --svg FILE`: writes the drawing of `world` and says where (or why not), as a note.
pub fn state_command(world: &World, machine: &str, args: &str) -> String {
    let words = crate::script::words(args).unwrap_or_default();
    let [flag, file] = words.as_slice() else {
        return USAGE.to_string();
    };
    if flag != "--svg" {
        return USAGE.to_string();
    }
    match write(world, Some(machine), std::path::Path::new(file)) {
        Ok(()) => format!("the drawing is in `{file}` (open it in a browser)"),
        Err(e) => format!("cannot write `{file}`: {e}"),
    }
}

/// Writes the drawing of `world` to `path` (`replay --svg`, `state --svg`).
pub fn write(world: &World, current: Option<&str>, path: &std::path::Path) -> std::io::Result<()> {
    std::fs::write(path, svg(world, current))
}

/// What `state` takes.
const USAGE: &str =
    "usage: `state` draws the world here; `state --svg FILE` writes it as an SVG picture";

/// Draws `panel` at `x` from `*y` down; returns each row's vertical centre and moves `*y` below the box.
fn draw_panel(out: &mut String, panel: &Panel, x: usize, w: usize, y: &mut usize) -> Vec<usize> {
    let h = (panel.rows.len() + 1) * ROW + 2 * PAD;
    let _ = writeln!(
        out,
        r#"<g class="{}"><rect class="dd-box" x="{x}" y="{}" width="{w}" height="{h}" rx="6"/><text class="dd-title" x="{}" y="{}">{}</text>"#,
        panel.class,
        *y,
        x + PAD,
        *y + PAD + ROW - 5,
        esc(&panel.title)
    );
    let mut centres = Vec::with_capacity(panel.rows.len());
    for (i, row) in panel.rows.iter().enumerate() {
        let cy = *y + PAD + (i + 1) * ROW + ROW / 2;
        centres.push(cy);
        let id = if row.id.is_empty() {
            String::new()
        } else {
            format!(r#" data-id="{}""#, esc(&row.id))
        };
        let _ = writeln!(
            out,
            r#"<text class="{}"{id} x="{}" y="{}">{}</text>"#,
            row.class,
            x + PAD,
            cy + 3,
            esc(&row.text)
        );
    }
    out.push_str("</g>\n");
    *y += h;
    centres
}

fn machine_panel(name: &str, m: &Machine, now: u64, here: bool, labels: &Labels) -> Panel {
    let mut rows = Vec::new();
    let mut image_row = std::collections::HashMap::new();
    let images: Vec<_> = m
        .images
        .by_created
        .iter()
        .rev()
        .filter_map(|(_, id)| m.images.images.get(id))
        .collect();
    if !images.is_empty() {
        rows.push(Row::text("images", "dd-section"));
    }
    for stored in images {
        let names = picture::image_names(m, &stored.image.id).join(", ");
        image_row.insert(stored.image.id.clone(), rows.len());
        rows.push(Row {
            text: format!("  {names}  {}", stored.image.id.short()),
            class: "dd-image",
            layers: layer_indexes(labels, &stored.image.layers),
            id: format!("image:{name}:{names}"),
            runs: None,
        });
    }
    let containers: Vec<_> = m.containers.newest_first().collect();
    if !containers.is_empty() {
        rows.push(Row::text("containers", "dd-section"));
    }
    for c in containers {
        let rm = if c.auto_remove { " (--rm)" } else { "" };
        let runs = image_row.get(&c.image).copied();
        let gone = if runs.is_none() {
            " (its image was removed; it keeps the layers)"
        } else {
            ""
        };
        rows.push(Row {
            text: format!(
                "  {}  {}  {}  {}{rm}  + rw{gone}",
                c.name,
                c.short_id(),
                c.image_ref,
                crate::render::listing::status(&c.state, now)
            ),
            class: "dd-container",
            layers: Vec::new(),
            id: format!("container:{name}:{}", c.name),
            runs,
        });
    }
    if !m.logins.is_empty() {
        let logins: Vec<String> = m
            .logins
            .iter()
            .map(|(host, user)| format!("{host} as {user}"))
            .collect();
        rows.push(Row::text(
            format!("logged in: {}", logins.join(", ")),
            "dd-section",
        ));
    }
    if rows.is_empty() {
        rows.push(Row::text("no images, no containers", "dd-empty"));
    }
    Panel {
        title: format!(
            "machine {name}{}",
            if here { "  ◀ you are here" } else { "" }
        ),
        class: "dd-machine",
        rows,
    }
}

fn registry_panel(view: &RegistryView<'_>, labels: &Labels) -> Panel {
    let mut rows = Vec::new();
    let mut official = 0;
    let place = match view.served_by {
        Some((machine, container, _)) => format!("{}@{machine}/{container}", view.host),
        None => view.host.to_string(),
    };
    for (path, repo) in picture::sorted_repos(view.registry) {
        if picture::drawn(view, path) {
            let mut about = vec![if repo.private { "private" } else { "public" }.to_string()];
            if let Some(owner) = &repo.owner {
                about.push(format!("owner {owner}"));
            }
            let mut layers = Vec::new();
            for digest in repo.tags.values() {
                if let Some(m) = view.registry.manifests.get(digest) {
                    for i in layer_indexes(labels, &m.image.layers) {
                        if !layers.contains(&i) {
                            layers.push(i);
                        }
                    }
                }
            }
            rows.push(Row {
                text: format!("{path}  {}", about.join(", ")),
                class: "dd-repo",
                layers,
                id: format!("repo:{place}:{path}"),
                runs: None,
            });
            for (tag, digest) in &repo.tags {
                let image = view
                    .registry
                    .manifests
                    .get(digest)
                    .map_or("?", |m| m.image.id.short());
                rows.push(Row::text(format!("  :{tag}  image {image}"), "dd-tag"));
            }
        } else {
            official += 1;
            // An official repository is drawn only where it holds a layer of the picture.
            let layers: Vec<usize> = (0..labels.order.len())
                .filter(|i| repo.blobs.contains(&labels.order[*i].blob))
                .collect();
            if !layers.is_empty() {
                rows.push(Row {
                    text: format!("{path}  official"),
                    class: "dd-repo dd-official",
                    layers,
                    id: format!("repo:{place}:{path}"),
                    runs: None,
                });
            }
        }
    }
    if official > 0 {
        rows.push(Row::text(
            format!("{official} official repositories (library/…)"),
            "dd-section",
        ));
    }
    if view.registry.bytes_received > 0 {
        rows.push(Row::text(
            format!(
                "received by pushes so far: {}",
                human_size_precision3(view.registry.bytes_received)
            ),
            "dd-section",
        ));
    }
    if rows.is_empty() {
        rows.push(Row::text("no repositories", "dd-empty"));
    }
    let title = match view.served_by {
        None => format!("registry {}", view.host),
        Some((m, c, up)) => format!(
            "registry {}  served by `{c}` on `{m}`{}",
            view.host,
            if up { "" } else { " (stopped)" }
        ),
    };
    Panel {
        title,
        class: "dd-registry",
        rows,
    }
}

/// The labels of `layers`, each once, bottom layer first.
fn layer_indexes(labels: &Labels, layers: &[crate::model::image::Layer]) -> Vec<usize> {
    let mut v: Vec<usize> = Vec::with_capacity(layers.len());
    for l in layers {
        if let Some(&i) = labels.index.get(&l.diff_id)
            && !v.contains(&i)
        {
            v.push(i);
        }
    }
    v
}

/// `1 machine`, `2 machines`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `L3`, or `L3*` when shared (as `state` writes it).
fn label(labels: &Labels, i: usize) -> String {
    format!("L{}{}", i + 1, if labels.in_several(i) { "*" } else { "" })
}

fn shared_class(labels: &Labels, i: usize) -> &'static str {
    if labels.in_several(i) {
        " dd-shared"
    } else {
        ""
    }
}

/// A horizontal S-curve from (x1, y1) to (x2, y2).
fn curve(x1: usize, y1: usize, x2: usize, y2: usize) -> String {
    let mid = x1.midpoint(x2);
    format!("M{x1} {y1} C{mid} {y1} {mid} {y2} {x2} {y2}")
}

/// Escapes text for XML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 cannot carry most control characters even escaped.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The drawing's own style sheet (light and dark, like the page).
const STYLE: &str = r"<style>
.dd-world { background: #fdfdfb; }
.dd-world text { fill: #1d232a; white-space: pre; }
.dd-box { fill: #ffffff; stroke: #8a96a3; stroke-width: 1; }
.dd-registry .dd-box { fill: #f3f7fc; }
.dd-title { font-weight: bold; }
.dd-section, .dd-empty, .dd-tag { fill: #4f5b66 !important; }
.dd-layer rect { fill: #eef1f4; stroke: #8a96a3; }
.dd-layer.dd-shared rect, .dd-shared-box { fill: #ffe9a8; stroke: #b7791f; }
.dd-edge { fill: none; stroke: #9aa5b1; stroke-width: 1; }
.dd-edge.dd-shared { stroke: #b7791f; stroke-width: 1.5; }
.dd-edge-container { stroke: #2f855a; stroke-dasharray: 3 2; stroke-width: 1.5; }
.dd-container { fill: #22543d !important; }
@media (prefers-color-scheme: dark) {
  .dd-world { background: #15191e; }
  .dd-world text { fill: #e6e9ec; }
  .dd-box { fill: #1e242b; stroke: #5b6673; }
  .dd-registry .dd-box { fill: #1b2633; }
  .dd-section, .dd-empty, .dd-tag { fill: #a9b4bf !important; }
  .dd-layer rect { fill: #252c34; stroke: #5b6673; }
  .dd-layer.dd-shared rect, .dd-shared-box { fill: #5c4813; stroke: #d69e2e; }
  .dd-edge { stroke: #5b6673; }
  .dd-edge.dd-shared { stroke: #d69e2e; }
  .dd-container { fill: #9ae6b4 !important; }
}
</style>
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::run_line;
    use crate::script::split_host;

    fn world(lines: &[&str]) -> World {
        let mut w = World::new();
        for line in lines {
            let r = run_line(&mut w, &split_host(line), None, false);
            assert_eq!(r.exit_code, 0, "{line}: {}", r.stderr);
        }
        w
    }

    #[test]
    fn the_drawing_of_a_push_and_two_machines() {
        let w = world(&[
            "docker build -t myimage .",
            "docker tag myimage alice/web:1.0",
            "docker run -d --name web myimage",
            "docker login -u alice -p wonderland",
            "docker push alice/web:1.0",
            "laptop$ docker pull alpine:3.20",
        ]);
        insta::assert_snapshot!(svg(&w, Some("default")));
    }

    #[test]
    fn the_same_world_gives_the_same_bytes() {
        let lines = [
            "docker pull alpine:3.20",
            "docker tag alpine:3.20 mine:1",
            "docker run -d --rm --name nap alpine:3.20 sleep 50",
        ];
        assert_eq!(svg(&world(&lines), None), svg(&world(&lines), None));
    }

    #[test]
    fn a_layer_in_two_images_is_drawn_once_with_two_lines() {
        let w = world(&[
            "docker pull alpine:3.20",
            "docker build -t myimage .",
            "docker pull node:22-alpine",
        ]);
        let s = svg(&w, None);
        let labels = picture::labels(&w);
        // node:22-alpine and myimage (built FROM it) share every layer of node's.
        let shared = (0..labels.order.len()).find(|i| labels.in_several(*i));
        assert!(shared.is_some(), "a shared layer");
        let shared = shared.unwrap_or_default();
        let tag = format!(r#"data-layer="L{}""#, shared + 1);
        assert_eq!(s.matches(&tag).count(), 1, "drawn once");
        let to = format!(r#"data-to="L{}""#, shared + 1);
        let edge = r#"class="dd-edge dd-edge-image dd-shared" data-from="image:default:"#;
        assert!(s.matches(edge).count() >= 2);
        assert!(s.matches(&to).count() >= 2, "{s}");
        assert!(s.contains(&format!(r#"{tag} data-images="2""#)), "{s}");
    }

    #[test]
    fn a_container_hangs_off_one_image_and_owns_its_writable_layer() {
        let w = world(&[
            "docker build -t myimage .",
            "docker run -d --name web myimage",
            "laptop$ docker pull alpine",
        ]);
        let s = svg(&w, None);
        assert_eq!(
            s.matches(r#"class="dd-edge dd-edge-container" data-from="#)
                .count(),
            1
        );
        assert!(s.contains(r#"data-from="container:default:web""#));
        assert!(s.contains("+ rw"));
        assert!(!s.contains("container:laptop:"));
    }

    #[test]
    fn state_writes_the_drawing_to_a_file() {
        let dir = std::env::temp_dir().join(format!("dockdrill-svg-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("world.svg");
        let w = world(&["docker pull alpine"]);
        let arg = format!("--svg '{}'", file.display());
        assert_eq!(
            state_command(&w, "default", &arg),
            format!(
                "the drawing is in `{}` (open it in a browser)",
                file.display()
            )
        );
        assert_eq!(
            std::fs::read_to_string(&file).ok(),
            Some(svg(&w, Some("default")))
        );
        assert!(state_command(&w, "default", "--svg").starts_with("usage: `state`"));
        assert!(state_command(&w, "default", "--png x").starts_with("usage: `state`"));
        let missing = dir.join("no/such/folder/w.svg");
        let said = state_command(&w, "default", &format!("--svg {}", missing.display()));
        assert!(said.starts_with("cannot write `"), "{said}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("bell\u{7}"), "bell\u{fffd}");
        let mut w = World::new();
        w.machine("m<1>");
        assert!(svg(&w, Some("m<1>")).contains("machine m&lt;1&gt;  ◀ you are here"));
    }

    #[test]
    fn a_fresh_world_draws_docker_hub() {
        let s = svg(&World::new(), Some("default"));
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(s.ends_with("</svg>\n"));
        assert!(s.contains("registry docker.io"));
        assert!(s.contains("alice/secret-app  private, owner alice"));
        assert!(s.contains("no images, no containers"));
    }
}
