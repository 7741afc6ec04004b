//! The local image store's commands: `images`, `tag`, `rmi`, `history`, `image prune`.
//!
//! Tags are mutable names for immutable images. `rmi` of a tag deletes the image only when it was the last
//! reference; an image that loses its last tag stays as `<none>` (or `repo <none>` when a registry digest
//! still names it) until something removes it.

use super::{Outcome, first_running_user, first_user, parse_filters};
use crate::command::Command;
use crate::digest::Digest;
use crate::docker_error::{FilterProblem, ImageHold};
use crate::event::{
    DockerError, Event, HistoryListing, HistoryRow, ImageListing, ImageRow, ImagesView, PruneEntry,
    Rule,
};
use crate::model::machine::StoredImage;
use crate::model::world::World;
use crate::reference::{ImageArg, ImageRef, RepoName, StoredRef, TagRef};

/// One `docker images` row: (repository, tag, digest).
fn rows_of(s: &StoredImage) -> Vec<(String, String, Option<Digest>)> {
    let mut rows = Vec::new();
    for t in &s.tags {
        rows.push((
            t.repo.familiar().to_string(),
            t.tag.to_string(),
            s.digests_in(&t.repo).next().map(|d| d.digest.clone()),
        ));
    }
    if rows.is_empty() {
        for d in &s.digests {
            rows.push((
                d.repo.familiar().to_string(),
                "<none>".into(),
                Some(d.digest.clone()),
            ));
        }
    }
    if rows.is_empty() {
        rows.push(("<none>".into(), "<none>".into(), None));
    }
    rows.sort();
    rows
}

/// The images literal `REPOSITORY[:TAG]` patterns (no glob characters) can list, with the tags that match,
/// found through the tag index rather than by reading every tag of every image: `None` when a pattern is
/// a glob, a digest or no reference (then every row is matched against it).
fn literal_matches(
    store: &crate::model::machine::ImageStore,
    patterns: &[&str],
) -> Option<std::collections::BTreeMap<Digest, std::collections::BTreeSet<TagRef>>> {
    let mut found: std::collections::BTreeMap<Digest, std::collections::BTreeSet<TagRef>> =
        std::collections::BTreeMap::new();
    let mut add = |repo: &RepoName, tag: &str| {
        if let Some(id) = store.tagged(repo, tag) {
            found
                .entry(id.clone())
                .or_default()
                .insert(TagRef::new(repo.clone(), tag));
        }
    };
    for p in patterns {
        if p.contains(['*', '?', '[', '\\']) {
            return None;
        }
        let r = ImageRef::parse(p).ok()?;
        if r.digest().is_some() {
            return None;
        }
        match r.tag() {
            Some(tag) => add(r.repo(), tag),
            None => {
                for (tag, _) in store.repo_tags(r.repo()) {
                    add(r.repo(), &tag.tag);
                }
            }
        }
    }
    Some(found)
}

/// The `reference` filter (the daemon's `FamiliarMatch`): a shell pattern (`*`, `?`, `[…]`, never
/// crossing `/`) against `name:tag`, or against the name alone.
pub fn reference_matches(pattern: &str, repo: &str, tag: &str) -> bool {
    let full = format!("{repo}:{tag}");
    let pattern = ImageRef::parse(pattern).map_or_else(|_| pattern.to_string(), |r| r.familiar());
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

/// `docker images`: the rows the options select, newest image first.
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
    let Some(filters) = parse_filters(
        filter,
        &["dangling", "reference", "label", "before", "since", "until"],
        path,
        out,
    ) else {
        return;
    };
    let m = &world.machines[host];
    if let Some(bad) = filters
        .iter()
        .find(|(k, v)| k == "dangling" && v != "true" && v != "false")
    {
        out.error(
            DockerError::InvalidFilterValue {
                key: "dangling".into(),
                value: bad.1.clone(),
                problem: FilterProblem::NotABool,
            },
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
    for (k, v) in filters
        .iter()
        .filter(|(k, _)| k == "before" || k == "since")
    {
        match created_of(v) {
            Some(t) => bounds.push((k == "before", t)),
            None => {
                let shown = ImageRef::parse(v)
                    .map(|r| r.with_default_tag().familiar())
                    .unwrap_or_else(|_| v.clone());
                out.error(DockerError::no_such_image(shown), 1);
                return;
            }
        }
    }
    let mut until = None;
    for (_, v) in filters.iter().filter(|(k, _)| k == "until") {
        match super::until::parse(v, world.now) {
            Some(t) => until = Some(t),
            None => {
                out.error(
                    DockerError::InvalidFilterValue {
                        key: "until".into(),
                        value: v.clone(),
                        problem: FilterProblem::NotATime,
                    },
                    1,
                );
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
    // Literal patterns list only what the tag index finds (and the untagged images, whose rows name
    // their digests' repositories); other patterns are matched against every row.
    let literal = if patterns.is_empty() {
        None
    } else {
        literal_matches(&m.images, &patterns)
    };
    let candidates: Vec<&Digest> = match &literal {
        None => m.images.by_created.iter().rev().map(|(_, id)| id).collect(),
        Some(found) => {
            let mut c: Vec<(u64, &Digest)> = found
                .keys()
                .chain(m.images.digest_only())
                .filter_map(|id| m.images.images.get(id).map(|s| (s.image.created, id)))
                .collect();
            c.sort_unstable_by(|a, b| b.cmp(a));
            c.dedup();
            c.into_iter().map(|(_, id)| id).collect()
        }
    };
    let mut rows = Vec::new();
    for id in candidates {
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
        let in_bounds = until.is_none_or(|t| s.image.created as i64 <= t)
            && bounds.iter().all(|(before, t)| {
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
        let image_rows = match literal.as_ref().and_then(|found| found.get(id)) {
            // The matching tags only (in `rows_of`'s order: a set of tag references sorts by repository,
            // then tag, and the familiar names keep that order within a repository).
            Some(tags) => {
                let mut r: Vec<(String, String, Option<Digest>)> = tags
                    .iter()
                    .map(|t| {
                        (
                            t.repo.familiar().to_string(),
                            t.tag.to_string(),
                            s.digests_in(&t.repo).next().map(|d| d.digest.clone()),
                        )
                    })
                    .collect();
                r.sort();
                r
            }
            None => rows_of(s),
        };
        for (repository, tag, digest) in image_rows {
            if !patterns.is_empty()
                && !patterns
                    .iter()
                    .any(|p| reference_matches(p, &repository, &tag))
            {
                continue;
            }
            rows.push(ImageRow {
                repository,
                tag,
                digest,
                id: id.clone(),
                created: s.image.created,
                size: s.image.size(),
            });
        }
    }
    // `docker images pull` is a common slip for `docker image pull`: the CLI points it out.
    const SUBCOMMANDS: &[&str] = &[
        "build", "history", "import", "inspect", "list", "load", "ls", "prune", "pull", "push",
        "rm", "save", "tag",
    ];
    let did_you_mean = reference
        .as_deref()
        .filter(|r| path == "images" && rows.is_empty() && SUBCOMMANDS.contains(r))
        .map(str::to_string);
    out.push(Event::Images(ImageListing {
        view: ImagesView {
            quiet: *quiet,
            digests: *digests,
            no_trunc: *no_trunc,
            format: format.clone(),
        },
        rows,
        now: world.now,
    }));
    if let Some(word) = did_you_mean {
        out.push(Event::ImagesDidYouMean { word });
    }
}

/// `docker tag`.
pub fn tag(world: &mut World, host: &str, source: &ImageArg, target: &ImageArg, out: &mut Outcome) {
    // The CLI parses both names before it asks the daemon, the source first (same words).
    if let Err(e) = &source.parsed {
        out.error(
            DockerError::InvalidTagTarget {
                target: source.raw.clone(),
                error: e.clone(),
            },
            1,
        );
        return;
    }
    let target_ref = match &target.parsed {
        Ok(r) => r,
        Err(e) => {
            out.error(
                DockerError::InvalidTagTarget {
                    target: target.raw.clone(),
                    error: e.clone(),
                },
                1,
            );
            return;
        }
    };
    if target_ref.digest().is_some() {
        out.error(DockerError::TagWithDigest, 1);
        return;
    }
    if target_ref.repo().familiar() == "sha256" {
        out.error(DockerError::TagNamedSha256, 1);
        return;
    }
    let now = world.now;
    let m = world.machine(host);
    let Some(id) = m.images.lookup_arg(source).map(|s| s.image.id.clone()) else {
        out.error(DockerError::no_such_image(source.shown()), 1);
        return;
    };
    let Some(tag) = target_ref.default_tag_ref() else {
        return;
    };
    if let Some(old) = m.images.set_tag(&tag, &id, now) {
        out.push(Event::Rule(Rule::TagMoved {
            reference: tag,
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
        let sizes: crate::fxhash::FastMap<Digest, u64> = stored
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
                && first_user(world, host, p).is_none()
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
    // All references in one sorted list, tags and digests mixed, as the daemon walks them.
    for r in s.refs() {
        m.images.remove_ref(&r);
        out.push(Event::Untagged(r.familiar()));
    }
}

/// What keeps an image, if anything: (hard, hold). A hard hold cannot be forced.
fn conflict(world: &World, host: &str, id: &Digest) -> Option<(bool, ImageHold)> {
    if world.machines[host]
        .images
        .images
        .get(id)
        .is_some_and(|s| s.children > 0)
    {
        return Some((true, ImageHold::ChildImages));
    }
    if let Some(container) = first_running_user(world, host, id) {
        return Some((true, ImageHold::RunningContainer { container }));
    }
    first_user(world, host, id).map(|container| (false, ImageHold::StoppedContainer { container }))
}

/// `docker rmi`, following the daemon's `ImageDelete`.
pub fn rmi(world: &mut World, host: &str, force: bool, args: &[ImageArg], out: &mut Outcome) {
    let mut errors = Vec::new();
    for arg in args {
        if let Err(e) = rmi_one(world, host, force, arg, out) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        let only_missing = errors.iter().all(DockerError::is_not_found);
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
    arg: &ImageArg,
    out: &mut Outcome,
) -> Result<(), DockerError> {
    let parsed = arg.parsed.clone().map(|r| r.with_default_tag());
    let m = &world.machines[host];
    let by_ref = parsed.as_ref().ok().and_then(|r| {
        let stored = match (r.digest_ref(), r.tag_ref()) {
            (Some(d), _) => StoredRef::Digest(d),
            (None, Some(t)) => StoredRef::Tag(t),
            (None, None) => return None,
        };
        let id = match &stored {
            StoredRef::Tag(t) => m.images.tags.get(t),
            StoredRef::Digest(d) => m.images.digest_refs.get(d),
        };
        id.map(|id| (stored, id.clone()))
    });
    if let Some((full, id)) = by_ref {
        let s = &m.images.images[&id];
        let repo: RepoName = full.repo().clone();
        let only_ref = s.tags.len() <= 1
            && s.tags.iter().all(|t| t.repo == repo)
            && s.digests.iter().all(|d| d.repo == repo);
        if only_ref
            && !force
            && let Some(cid) = first_user(world, host, &id)
        {
            return Err(DockerError::ReferenceInUse {
                reference: arg.raw.clone(),
                container: cid,
                image: id.clone(),
            });
        }
        let mi = world.machine(host);
        mi.images.remove_ref(&full);
        out.push(Event::Untagged(full.familiar()));
        // Last tag of this repository: its digest references go too.
        let s = &mi.images.images[&id];
        if !s.tagged_in(&repo) {
            let digests: Vec<_> = s.digests_in(&repo).cloned().collect();
            for d in digests {
                mi.images.remove_digest_ref(&d);
                out.push(Event::Untagged(d.familiar()));
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
    let Some(s) = m.images.lookup_id(&arg.raw) else {
        return Err(match parsed {
            Ok(r) => DockerError::no_such_image(r.familiar()),
            // The daemon parses the reference itself and answers with the parser's words.
            Err(error) => DockerError::InvalidReference {
                error,
                daemon: true,
            },
        });
    };
    let id = s.image.id.clone();
    let repos: std::collections::BTreeSet<&RepoName> = s
        .tags
        .iter()
        .map(|t| &t.repo)
        .chain(s.digests.iter().map(|d| &d.repo))
        .collect();
    if let Some((hard, hold)) = conflict(world, host, &id)
        && (hard || !force)
    {
        return Err(DockerError::ImageInUse {
            image: id,
            forcible: !hard,
            hold,
        });
    }
    if (s.tags.len() > 1 || repos.len() > 1) && !force {
        return Err(DockerError::ImageInUse {
            image: id,
            forcible: true,
            hold: ImageHold::MultipleRepositories,
        });
    }
    untag_all(world, host, &id, out);
    delete_image(world, host, &id, out);
    Ok(())
}

/// `docker history`: one row per step, newest first.
pub fn history(
    world: &mut World,
    host: &str,
    arg: &ImageArg,
    (quiet, no_trunc, format, human): (bool, bool, Option<String>, bool),
    out: &mut Outcome,
) {
    let Some(s) = world.machines[host].images.lookup_arg(arg) else {
        out.error(DockerError::no_such_image(arg.shown()), 1);
        return;
    };
    let img = &s.image;
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
    let rows = img
        .history
        .iter()
        .rev()
        .enumerate()
        .map(|(i, h)| HistoryRow {
            image: by_depth.get(&(n - i)).map(|d| (*d).clone()),
            created: h.created,
            created_by: h.created_by.clone(),
            size: h.size,
            comment: h.comment.clone(),
        })
        .collect();
    out.push(Event::History(HistoryListing {
        rows,
        quiet,
        no_trunc,
        format,
        human,
        now: world.now,
    }));
}

/// `docker image prune`.
pub fn prune(world: &mut World, host: &str, all: bool, f: &super::PruneFilters, out: &mut Outcome) {
    let (entries, reclaimed) = remove_unused_matching(world, host, all || f.not_dangling_only, f);
    out.push(Event::ImagesPruned { entries, reclaimed });
}

/// Removes the images no container uses (`all`) or only the dangling ones: the report and bytes freed.
pub(super) fn remove_unused(world: &mut World, host: &str, all: bool) -> (Vec<PruneEntry>, u64) {
    remove_unused_matching(world, host, all, &super::PruneFilters::default())
}

/// [`remove_unused`] limited to the images the prune filters select.
fn remove_unused_matching(
    world: &mut World,
    host: &str,
    all: bool,
    f: &super::PruneFilters,
) -> (Vec<PruneEntry>, u64) {
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
            (all || s.dangling())
                && s.children == 0
                && m.containers.users_of(id) == 0
                && !f.keeps(s.image.created, &s.image.config.labels)
        })
        .collect();
    let mut entries = Vec::new();
    let mut reclaimed = 0;
    for id in victims {
        let mi = world.machine(host);
        let Some(stored) = mi.images.images.get(&id) else {
            continue;
        };
        for r in stored.refs() {
            mi.images.remove_ref(&r);
            entries.push(PruneEntry::Untagged(r.familiar()));
        }
        for (d, size) in delete_cascade(world, host, &id) {
            reclaimed += size;
            entries.push(PruneEntry::Deleted(d));
        }
    }
    (entries, reclaimed)
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
