//! The local image store's commands: `images`, `tag`, `rmi`, `history`, `image prune`.
//!
//! Tags are mutable names for immutable images. `rmi` of a tag deletes the image only when it was the last
//! reference; an image that loses its last tag stays as `<none>` (or `repo <none>` when a registry digest
//! still names it) until something removes it.

use super::containers::{parse_filters, users_of};
use super::{Input, Outcome};
use crate::command::Command;
use crate::digest::Digest;
use crate::event::{DockerError, Event, Rule};
use crate::model::machine::StoredImage;
use crate::model::world::World;
use crate::reference::ImageRef;
use crate::table::render_table;
use crate::units::{human_duration, human_size, human_size_precision3};

/// Familiar form of a full reference (`docker.io/library/node:20` → `node:20`).
pub fn familiar(full: &str) -> String {
    ImageRef::parse(full)
        .map(|r| r.familiar())
        .unwrap_or_else(|_| full.to_string())
}

/// One `docker images` row: (repository, tag, digest).
fn rows_of(s: &StoredImage) -> Vec<(String, String, String)> {
    let digest_of = |repo_full: &str| {
        s.digests
            .iter()
            .find_map(|d| {
                d.split_once('@')
                    .filter(|(r, _)| *r == repo_full)
                    .map(|(_, d)| d.to_string())
            })
            .unwrap_or_else(|| "<none>".to_string())
    };
    let mut rows = Vec::new();
    for t in &s.tags {
        if let Ok(r) = ImageRef::parse(t) {
            let repo_full = r.repo_full();
            rows.push((
                r.repo_familiar(),
                r.tag.clone().unwrap_or_default(),
                digest_of(&repo_full),
            ));
        }
    }
    if rows.is_empty() {
        for d in &s.digests {
            if let Ok(r) = ImageRef::parse(d) {
                rows.push((
                    r.repo_familiar(),
                    "<none>".into(),
                    r.digest.clone().unwrap_or_default(),
                ));
            }
        }
    }
    if rows.is_empty() {
        rows.push(("<none>".into(), "<none>".into(), "<none>".into()));
    }
    rows.sort();
    rows
}

/// The `reference` filter (the daemon's `FamiliarMatch`): a shell pattern (`*`, `?`, `[…]`, never
/// crossing `/`) against `name:tag`, or against the name alone.
pub fn reference_matches(pattern: &str, repo: &str, tag: &str) -> bool {
    let full = format!("{repo}:{tag}");
    let pattern = familiar(pattern);
    glob(pattern.as_bytes(), full.as_bytes()) || glob(pattern.as_bytes(), repo.as_bytes())
}

/// Go's `path.Match`.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| glob(&p[1..], &s[i..])),
        Some(b'?') => s.first().is_some_and(|c| *c != b'/') && glob(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some(end) = p.iter().position(|c| *c == b']') else {
                return false;
            };
            let class = &p[1..end];
            let (negate, class) = match class.first() {
                Some(b'^') => (true, &class[1..]),
                _ => (false, class),
            };
            let Some(&c) = s.first() else { return false };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && glob(&p[end + 1..], &s[1..])
        }
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

/// `docker images`.
pub fn images(world: &mut World, host: &str, cmd: &Command, path: &str, out: &mut Outcome) {
    let Command::Images {
        all,
        quiet,
        digests,
        no_trunc,
        filter,
        reference,
        format,
    } = cmd
    else {
        return;
    };
    let format = format.as_deref().filter(|f| !f.is_empty() && *f != "table");
    let mut objects = Vec::new();
    let Some(filters) = parse_filters(
        filter,
        &["dangling", "reference", "label", "before", "since", "until"],
        path,
        out,
    ) else {
        return;
    };
    let now = world.now;
    let m = &world.machines[host];
    if let Some(bad) = filters
        .iter()
        .find(|(k, v)| k == "dangling" && v != "true" && v != "false")
    {
        out.error(
            DockerError::daemon(format!("Invalid filter 'dangling=[{}]'", bad.1)),
            1,
        );
        return;
    }
    // The positional REPOSITORY[:TAG] is one more `reference` pattern.
    let patterns: Vec<&str> = filters
        .iter()
        .filter(|(k, _)| k == "reference")
        .map(|(_, v)| v.as_str())
        .chain(reference.as_deref())
        .collect();
    let created_of = |name: &str| m.images.lookup(name).map(|s| s.image.created);
    let mut bounds = Vec::new();
    for (k, v) in filters.iter().filter(|(k, _)| k == "before" || k == "since") {
        match created_of(v) {
            Some(t) => bounds.push((k == "before", t)),
            None => {
                let shown = ImageRef::parse(v)
                    .map(|r| r.with_default_tag().familiar())
                    .unwrap_or_else(|_| v.clone());
                out.error(DockerError::no_such_image(&shown), 1);
                return;
            }
        }
    }
    let labels: Vec<(&str, Option<&str>)> = filters
        .iter()
        .filter(|(k, _)| k == "label")
        .map(|(_, v)| match v.split_once('=') {
            Some((k, val)) => (k, Some(val)),
            None => (v.as_str(), None),
        })
        .collect();
    let mut table = vec![];
    let mut ids = String::new();
    for (_, id) in m.images.by_created.iter().rev() {
        let Some(s) = m.images.images.get(id) else {
            continue;
        };
        if s.intermediate() && !*all {
            continue;
        }
        if filters
            .iter()
            .any(|(k, v)| k == "dangling" && (v == "true") != s.dangling())
        {
            continue;
        }
        let in_bounds = bounds.iter().all(|(before, t)| {
            if *before {
                s.image.created < *t
            } else {
                s.image.created > *t
            }
        });
        let labelled = labels.iter().all(|(k, v)| {
            s.image
                .config
                .labels
                .get(*k)
                .is_some_and(|have| v.is_none_or(|want| want == have))
        });
        if !in_bounds || !labelled {
            continue;
        }
        for (repo, tag, digest) in rows_of(s) {
            if !patterns.is_empty()
                && !patterns
                    .iter()
                    .any(|p| reference_matches(p, &repo, &tag))
            {
                continue;
            }
            let shown_id = if *no_trunc {
                id.as_str().to_string()
            } else {
                id.short().to_string()
            };
            if *quiet {
                ids.push_str(&shown_id);
                ids.push('\n');
                continue;
            }
            if format.is_some() {
                let size = human_size_precision3(s.image.size());
                objects.push(serde_json::json!({
                    "Containers": "N/A",
                    "CreatedAt": crate::clock::go_time(s.image.created),
                    "CreatedSince": format!("{} ago", human_duration(now.saturating_sub(s.image.created))),
                    // The digest is looked up only when asked for (`--digests` or a format naming it).
                    "Digest": if *digests || format.is_some_and(|f| f.contains(".Digest")) { digest } else { "<none>".to_string() },
                    "ID": shown_id,
                    "Repository": repo,
                    "SharedSize": "N/A",
                    "Size": size,
                    "Tag": tag,
                    "UniqueSize": "N/A",
                    "VirtualSize": size,
                }));
                continue;
            }
            let mut row = vec![repo, tag];
            if *digests {
                row.push(digest);
            }
            row.push(shown_id);
            row.push(format!(
                "{} ago",
                human_duration(now.saturating_sub(s.image.created))
            ));
            row.push(human_size_precision3(s.image.size()));
            table.push(row);
        }
    }
    if *quiet {
        if !ids.is_empty() {
            out.out(ids);
        }
        return;
    }
    if let Some(fmt) = format {
        match super::template::format_rows(
            fmt,
            &objects,
            IMAGE_TITLES,
            "*formatter.imageContext",
            "template parsing error: ",
        ) {
            Ok(text) => out.out(text),
            Err(e) => out.error(
                DockerError::plain(e.message),
                if e.parsing { 64 } else { 1 },
            ),
        }
        return;
    }
    let matched_any = !table.is_empty();
    let mut header = vec!["REPOSITORY".to_string(), "TAG".into()];
    if *digests {
        header.push("DIGEST".into());
    }
    header.extend(["IMAGE ID".to_string(), "CREATED".into(), "SIZE".into()]);
    table.insert(0, header);
    out.out(render_table(&table));
    // `docker images pull` is a common slip for `docker image pull`: the CLI points it out.
    const SUBCOMMANDS: &[&str] = &[
        "build", "history", "import", "inspect", "list", "load", "ls", "prune", "pull", "push",
        "rm", "save", "tag",
    ];
    if let Some(r) = reference
        .as_deref()
        .filter(|r| path == "images" && !matched_any && SUBCOMMANDS.contains(r))
    {
        out.push(Event::Text {
            stream: crate::model::container::Stream::Stderr,
            text: format!(
                "\nNo images found matching \"{r}\": did you mean \"docker image {r}\"?\n"
            ),
        });
    }
}

/// Column titles of `docker images --format 'table …'`.
const IMAGE_TITLES: &[(&str, &str)] = &[
    ("ID", "IMAGE ID"),
    ("Repository", "REPOSITORY"),
    ("Tag", "TAG"),
    ("Digest", "DIGEST"),
    ("CreatedSince", "CREATED"),
    ("CreatedAt", "CREATED AT"),
    ("Size", "SIZE"),
    ("Containers", "CONTAINERS"),
    ("VirtualSize", "VIRTUAL SIZE"),
    ("SharedSize", "SHARED SIZE"),
    ("UniqueSize", "UNIQUE SIZE"),
];

/// `docker tag`.
pub fn tag(world: &mut World, host: &str, source: &str, target: &str, out: &mut Outcome) {
    // The CLI parses both names before it asks the daemon, the source first.
    if let Err(e) = ImageRef::parse(source) {
        out.error(
            DockerError::plain(format!(
                "Error parsing reference: \"{source}\" is not a valid repository/tag: {e}"
            )),
            1,
        );
        return;
    }
    let target_ref = match ImageRef::parse(target) {
        Ok(r) => r,
        Err(e) => {
            out.error(
                DockerError::plain(format!(
                    "Error parsing reference: \"{target}\" is not a valid repository/tag: {e}"
                )),
                1,
            );
            return;
        }
    };
    if target_ref.digest.is_some() {
        out.error(
            DockerError::plain("refusing to create a tag with a digest reference"),
            1,
        );
        return;
    }
    if target_ref.repo_familiar() == "sha256" {
        out.error(
            DockerError::daemon(
                "refusing to create an ambiguous tag using digest algorithm as name",
            ),
            1,
        );
        return;
    }
    let now = world.now;
    let m = world.machine(host);
    let Some(id) = m.images.lookup(source).map(|s| s.image.id.clone()) else {
        let shown = ImageRef::parse(source)
            .map(|r| r.with_default_tag().familiar())
            .unwrap_or_else(|_| source.to_string());
        out.error(DockerError::no_such_image(&shown), 1);
        return;
    };
    let full = target_ref.with_default_tag().full();
    if let Some(old) = m.images.set_tag(&full, &id, now) {
        out.push(Event::Rule(Rule::TagMoved {
            reference: familiar(&full),
            from: old,
            to: id,
        }));
    }
}

/// Deletes an image that has no references left, printing `Deleted:` lines.
fn delete_image(world: &mut World, host: &str, id: &Digest, out: &mut Outcome) {
    for (d, _) in delete_cascade(world, host, id) {
        out.push(Event::Deleted(d));
    }
}

/// Deletes an image, then its legacy-builder parents while nothing else holds them (untagged, no other
/// child, no container). Returns every deleted image ID, each followed by the layer chain IDs its deletion
/// freed, with the bytes freed.
fn delete_cascade(world: &mut World, host: &str, id: &Digest) -> Vec<(Digest, u64)> {
    let mut deleted = Vec::new();
    let mut next = Some(id.clone());
    while let Some(id) = next.take() {
        let m = world.machine(host);
        let Some(stored) = m.images.images.get(&id) else {
            break;
        };
        let parent = stored.parent.clone();
        let sizes: std::collections::HashMap<Digest, u64> = stored
            .image
            .chains
            .iter()
            .cloned()
            .zip(stored.image.layers.iter().map(|l| l.size))
            .collect();
        let freed = m.images.delete(&id);
        deleted.push((id, 0));
        for chain in freed {
            let size = sizes.get(&chain).copied().unwrap_or(0);
            deleted.push((chain, size));
        }
        next = parent.filter(|p| {
            world.machines[host]
                .images
                .images
                .get(p)
                .is_some_and(|s| s.tags.is_empty() && s.digests.is_empty() && s.children == 0)
                && users_of(world, host, p).is_empty()
        });
    }
    deleted
}

/// Removes every reference of an image (tags and digests), printing `Untagged:` lines.
fn untag_all(world: &mut World, host: &str, id: &Digest, out: &mut Outcome) {
    let m = world.machine(host);
    let Some(s) = m.images.images.get(id) else {
        return;
    };
    let mut refs: Vec<String> = s.tags.iter().chain(s.digests.iter()).cloned().collect();
    // All references in one sorted list, tags and digests mixed, as the daemon walks them.
    refs.sort();
    for r in refs {
        m.images.remove_ref(&r);
        out.push(Event::Untagged(familiar(&r)));
    }
}

/// The conflict that keeps an image, if any: (hard, message).
fn conflict(world: &World, host: &str, id: &Digest) -> Option<(bool, String)> {
    if world.machines[host]
        .images
        .images
        .get(id)
        .is_some_and(|s| s.children > 0)
    {
        return Some((true, "image has dependent child images".to_string()));
    }
    let users = users_of(world, host, id);
    if let Some((cid, _)) = users.iter().find(|(_, running)| *running) {
        return Some((
            true,
            format!("image is being used by running container {}", &cid[..12]),
        ));
    }
    users.first().map(|(cid, _)| {
        (
            false,
            format!("image is being used by stopped container {}", &cid[..12]),
        )
    })
}

/// `docker rmi`, following the daemon's `ImageDelete`.
pub fn rmi(world: &mut World, host: &str, force: bool, args: &[String], out: &mut Outcome) {
    let mut errors = Vec::new();
    for arg in args {
        if let Err(e) = rmi_one(world, host, force, arg, out) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        let only_missing = errors
            .iter()
            .all(|e| e.message.starts_with("No such image"));
        for e in errors {
            out.push(Event::Error(e));
        }
        out.exit_code = if force && only_missing { 0 } else { 1 };
    }
}

fn rmi_one(
    world: &mut World,
    host: &str,
    force: bool,
    arg: &str,
    out: &mut Outcome,
) -> Result<(), DockerError> {
    let parsed = ImageRef::parse(arg).map(|r| r.with_default_tag());
    let m = &world.machines[host];
    let by_ref = parsed.as_ref().ok().and_then(|r| {
        let full = r.full();
        let id = if r.digest.is_some() {
            m.images.digest_refs.get(&full)
        } else {
            m.images.tags.get(&full)
        };
        id.map(|id| (full, id.clone()))
    });
    if let Some((full, id)) = by_ref {
        let s = &m.images.images[&id];
        let repo = ImageRef::parse(&full)
            .map(|r| r.repo_full())
            .unwrap_or_default();
        let only_ref = s.tags.len() <= 1
            && s.tags
                .iter()
                .chain(s.digests.iter())
                .all(|r| r.starts_with(&repo));
        if only_ref
            && !force
            && let Some((cid, _)) = users_of(world, host, &id).first()
        {
            return Err(DockerError::daemon(format!(
                "conflict: unable to remove repository reference \"{arg}\" (must force) - container {} is using its referenced image {}",
                &cid[..12],
                id.short()
            )));
        }
        let mi = world.machine(host);
        mi.images.remove_ref(&full);
        out.push(Event::Untagged(familiar(&full)));
        // Last tag of this repository: its digest references go too.
        let s = &mi.images.images[&id];
        if !s.tags.iter().any(|t| t.starts_with(&format!("{repo}:"))) {
            let digests: Vec<String> = s
                .digests
                .iter()
                .filter(|d| d.starts_with(&format!("{repo}@")))
                .cloned()
                .collect();
            for d in digests {
                mi.images.remove_ref(&d);
                out.push(Event::Untagged(familiar(&d)));
            }
        }
        let s = &mi.images.images[&id];
        if s.tags.is_empty() && s.digests.is_empty() {
            // The last reference went: delete quietly unless something holds the image (`-f` overrides a
            // stopped container, never a running one).
            match conflict(world, host, &id) {
                None => delete_image(world, host, &id, out),
                Some((false, _)) if force => delete_image(world, host, &id, out),
                Some(_) => {}
            }
        }
        return Ok(());
    }
    // By ID.
    let Some(s) = m.images.lookup_id(arg) else {
        return Err(match parsed {
            Ok(r) => DockerError::no_such_image(&r.familiar()),
            // The daemon parses the reference itself and answers with the parser's words.
            Err(e) => DockerError::daemon(e.to_string()),
        });
    };
    let id = s.image.id.clone();
    let repos: std::collections::BTreeSet<String> = s
        .tags
        .iter()
        .chain(s.digests.iter())
        .filter_map(|r| ImageRef::parse(r).ok().map(|r| r.repo_full()))
        .collect();
    if let Some((hard, msg)) = conflict(world, host, &id)
        && (hard || !force)
    {
        let how = if hard {
            "cannot be forced"
        } else {
            "must be forced"
        };
        return Err(DockerError::daemon(format!(
            "conflict: unable to delete {} ({how}) - {msg}",
            id.short()
        )));
    }
    if (s.tags.len() > 1 || repos.len() > 1) && !force {
        return Err(DockerError::daemon(format!(
            "conflict: unable to delete {} (must be forced) - image is referenced in multiple repositories",
            id.short()
        )));
    }
    untag_all(world, host, &id, out);
    delete_image(world, host, &id, out);
    Ok(())
}

/// `docker history`.
pub fn history(
    world: &mut World,
    host: &str,
    arg: &str,
    quiet: bool,
    no_trunc: bool,
    out: &mut Outcome,
) {
    let now = world.now;
    let Some(s) = world.machines[host].images.lookup(arg) else {
        let shown = ImageRef::parse(arg)
            .map(|r| r.with_default_tag().familiar())
            .unwrap_or_else(|_| arg.to_string());
        out.error(DockerError::no_such_image(&shown), 1);
        return;
    };
    let img = &s.image;
    let mut rows = vec![vec![
        "IMAGE".to_string(),
        "CREATED".into(),
        "CREATED BY".into(),
        "SIZE".into(),
        "COMMENT".into(),
    ]];
    // A row names a local image when one holds exactly the history up to it: the image itself, and the
    // legacy builder's parent chain. Pulled and BuildKit-built images have no such parents: `<missing>`.
    let store = &world.machines[host].images;
    let mut by_depth: std::collections::HashMap<usize, &Digest> = std::collections::HashMap::new();
    let mut cur = Some(&img.id);
    while let Some(id) = cur {
        let Some(st) = store.images.get(id) else {
            break;
        };
        by_depth.insert(st.image.history.len(), id);
        cur = st.parent.as_ref();
    }
    let n = img.history.len();
    let mut ids = String::new();
    for (i, h) in img.history.iter().rev().enumerate() {
        let image_col = match by_depth.get(&(n - i)) {
            Some(id) if no_trunc => id.as_str().to_string(),
            Some(id) => id.short().to_string(),
            None => "<missing>".to_string(),
        };
        if quiet {
            ids.push_str(&image_col);
            ids.push('\n');
            continue;
        }
        let created_by = if no_trunc {
            h.created_by.clone()
        } else {
            crate::table::ellipsis(&h.created_by, 45)
        };
        rows.push(vec![
            image_col,
            format!("{} ago", human_duration(now.saturating_sub(h.created))),
            created_by,
            human_size_precision3(h.size),
            h.comment.clone(),
        ]);
    }
    if quiet {
        out.out(ids);
    } else {
        out.out(render_table(&rows));
    }
}

/// Asks a `[y/N]` question on stdout; anything but y/Y cancels silently (exit 0).
pub fn confirm(prompt: &str, input: &Input, out: &mut Outcome) -> bool {
    out.out(prompt.to_string());
    let answer = input.stdin.as_deref().unwrap_or("").trim().to_lowercase();
    let yes = answer == "y" || answer == "yes";
    if yes {
        out.out("\n");
    }
    yes
}

/// `docker image prune`.
pub fn prune(
    world: &mut World,
    host: &str,
    all: bool,
    force: bool,
    input: &Input,
    out: &mut Outcome,
) {
    let prompt = if all {
        "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] "
    } else {
        "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
    };
    if !force && !confirm(prompt, input, out) {
        return;
    }
    let m = &world.machines[host];
    let victims: Vec<Digest> = m
        .images
        .by_created
        .iter()
        .rev()
        .map(|(_, id)| id.clone())
        .filter(|id| {
            let s = &m.images.images[id];
            // Only leaves: a legacy parent goes with the last image built on it.
            (all || s.dangling()) && s.children == 0 && !m.containers.by_image.contains_key(id)
        })
        .collect();
    let mut text = String::new();
    let mut reclaimed = 0;
    if !victims.is_empty() {
        text.push_str("Deleted Images:\n");
    }
    for id in victims {
        let mi = world.machine(host);
        let Some(stored) = mi.images.images.get(&id) else {
            continue;
        };
        let mut refs: Vec<String> = stored
            .tags
            .iter()
            .chain(stored.digests.iter())
            .cloned()
            .collect();
        refs.sort();
        for r in refs {
            mi.images.remove_ref(&r);
            text.push_str(&format!("untagged: {}\n", familiar(&r)));
        }
        for (d, size) in delete_cascade(world, host, &id) {
            reclaimed += size;
            text.push_str(&format!("deleted: {d}\n"));
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&format!(
        "Total reclaimed space: {}\n",
        human_size(reclaimed)
    ));
    out.out(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms real Docker 28.2.2 matched (checked with the oracle).
    #[test]
    fn reference_filter_is_a_path_pattern() {
        assert!(reference_matches("busy*", "busybox", "latest"));
        assert!(reference_matches("busybox:one", "busybox", "one"));
        assert!(!reference_matches("busybox:one", "busybox", "latest"));
        assert!(reference_matches("*:two", "mybox", "two"));
        assert!(!reference_matches("*:two", "busybox", "one"));
        assert!(!reference_matches("busy*", "alice/busybox", "latest"));
        assert!(reference_matches("alice/*", "alice/app", "1.0"));
        assert!(reference_matches("b?sybox", "busybox", "latest"));
        assert!(reference_matches("[ab]lpine", "alpine", "latest"));
        assert!(reference_matches("busybox", "busybox", "latest"));
    }
}
