//! `explain`: why the last command did what it did, and what it changed.
//!
//! Two halves. The *rules* come from the engine's [`Rule`] events and from the shape of its reports (a pull's
//! "Already exists" layers, a push's mounts), phrased as the lesson they teach: "run used the local image
//! because --pull=missing; docker.io now has a newer latest". The *changes* are a difference of the world
//! before and after the command (kept by the session, so later commands do not blur it): images, tags,
//! containers, logins, files, registry repositories and tags, bytes uploaded. The two worlds share every
//! store the command did not touch, and the diff of two persistent maps skips what they share, so the cost
//! of an explanation follows what changed, not the size of the world.

use crate::command::Command;
use crate::digest::Digest;
use crate::event::{Event, PullStatus, PushStatus, Rule};
use crate::model::container::Container;
use crate::model::machine::Machine;
use crate::model::registry::Registry;
use crate::model::world::World;
use crate::render::units::{human_duration, human_size};
use crate::repl::picture::{RegistryView, image_names};
use crate::repl::refusal;
use crate::repl::style::Kind;
use crate::runner::{StepKind, StepResult};
use imbl::OrdMap;
use imbl::ordmap::DiffItem;
use std::collections::{BTreeMap, BTreeSet};

/// What `explain` says about one command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The line as typed, with its machine.
    pub host: String,
    pub command: String,
    pub exit_code: i32,
    /// The rules that decided the outcome, as sentences.
    pub rules: Vec<String>,
    /// `+`/`-`/`~` lines: what changed in the world.
    pub changes: Vec<String>,
}

impl Explanation {
    /// Explains a step from its typed result and the world before and after it: the refusal's rule when it
    /// failed, the rules the engine reported when it worked.
    pub fn of_step(step: &StepResult, before: &World, after: &World) -> Explanation {
        let mut rules = Vec::new();
        match &step.kind {
            StepKind::Docker {
                invocation,
                outcome,
            } => {
                if let Some(e) = outcome.refusal() {
                    rules.extend(refusal::explain(e, &step.host, invocation, after));
                }
                rules.extend(self::rules(&step.host, &outcome.events, after));
                container_rules(
                    Some(&invocation.command),
                    &outcome.events,
                    before,
                    after,
                    &mut rules,
                );
            }
            StepKind::Usage(u) => rules.extend(refusal::explain_usage(u)),
            StepKind::Unknown { word } => rules.push(format!(
                "`{word}` is neither a docker command nor one of dockdrill's own: nothing ran"
            )),
            StepKind::Limit(limit) => rules.push(format!(
                "dockdrill's own cap, not a Docker rule: {limit}; nothing ran"
            )),
            StepKind::Shell | StepKind::Unsplittable => {}
        }
        if step.exit_code != 0 && rules.is_empty() {
            rules.push(format!(
                "the command failed with exit code {}",
                step.exit_code
            ));
        }
        Explanation {
            host: step.host.clone(),
            command: step.command.clone(),
            exit_code: step.exit_code,
            rules,
            changes: diff(before, after),
        }
    }

    /// Explains a change that was no docker command (`wait`): what the clock did to containers.
    pub fn new(host: &str, command: &str, before: &World, after: &World) -> Explanation {
        let mut rules = Vec::new();
        container_rules(None, &[], before, after, &mut rules);
        Explanation {
            host: host.to_string(),
            command: command.to_string(),
            exit_code: 0,
            rules,
            changes: diff(before, after),
        }
    }

    /// The text `explain` prints.
    pub fn lines(&self) -> Vec<(Kind, String)> {
        let mut out = vec![(
            Kind::Heading,
            format!(
                "last command: {}{}",
                crate::runner::prompt(&self.host),
                self.command
            ),
        )];
        out.push((Kind::Heading, "why".to_string()));
        if self.rules.is_empty() {
            out.push((
                Kind::Info,
                "  no special rule applied: the command did just what it says".to_string(),
            ));
        }
        for r in &self.rules {
            out.push((Kind::Info, format!("  • {r}")));
        }
        out.push((Kind::Heading, "what changed".to_string()));
        if self.changes.is_empty() {
            out.push((Kind::Info, "  nothing (apart from the clock)".to_string()));
        }
        for c in &self.changes {
            out.push((Kind::Info, format!("  {c}")));
        }
        out
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The containers of one machine that differ between two worlds, as (creation sequence, before, after),
/// found by a diff of the two persistent maps (it skips what the worlds share). A machine missing on one
/// side has all its containers on the other.
fn changed_containers<'a>(
    a: Option<&'a Machine>,
    b: Option<&'a Machine>,
) -> Vec<(u64, Option<&'a Container>, Option<&'a Container>)> {
    let seq = |x: Option<&Container>, y: Option<&Container>| y.or(x).map_or(0, |c| c.seq);
    match (a, b) {
        (Some(a), Some(b)) => a
            .containers
            .changed(&b.containers)
            .map(|(x, y)| (seq(x, y), x, y))
            .collect(),
        (Some(a), None) => a.containers.all().map(|c| (c.seq, Some(c), None)).collect(),
        (None, Some(b)) => b.containers.all().map(|c| (c.seq, None, Some(c))).collect(),
        (None, None) => Vec::new(),
    }
}

/// Rules read from what happened to containers: how a stop ended a process, a process that ended by itself,
/// `--rm` at work when the process ended on its own (the engine reports `--rm` only for a stop).
fn container_rules(
    command: Option<&Command>,
    events: &[Event],
    before: &World,
    after: &World,
    out: &mut Vec<String>,
) {
    use crate::model::container::State;
    let stopping = matches!(
        command,
        Some(Command::Stop { .. } | Command::Restart { .. })
    );
    let running = matches!(command, Some(Command::Run(r)) if !r.create_only);
    let killing = matches!(command, Some(Command::Kill { .. }));
    let removing = matches!(command, Some(Command::Rm { .. }));
    let reported: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Rule(Rule::AutoRemoved { name }) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    if running {
        for (machine, m) in &after.machines {
            let mut changed = changed_containers(before.get_machine(machine), Some(m));
            changed.sort_by_key(|(seq, ..)| std::cmp::Reverse(*seq));
            for (_, was, c) in changed {
                let (None, Some(c)) = (was, c) else { continue };
                if let State::Exited { code, .. } = &c.state {
                    out.push(format!(
                        "`{}` ran its command and exited at once with code {code}: a container lives only as long as its main process",
                        c.name
                    ));
                }
            }
        }
    }
    for (machine, m) in &before.machines {
        // A container the command did not touch has nothing to say: only the changed ones are read.
        let mut changed = changed_containers(Some(m), after.get_machine(machine));
        changed.sort_by_key(|(seq, ..)| std::cmp::Reverse(*seq));
        for (_, c, now) in changed {
            let Some(c) = c.filter(|c| c.is_running()) else {
                continue;
            };
            let code = match now.map(|n| &n.state) {
                Some(State::Exited { code, .. }) => Some(*code),
                Some(_) => continue,
                None => None,
            };
            let name = &c.name;
            match (stopping, code) {
                (true, Some(137)) => out.push(format!(
                    "`{name}`'s main process ignored SIGTERM (a program without a handler does, as PID 1), so docker killed it with SIGKILL after the timeout (10 seconds unless -t says otherwise): exit code 137 = 128 + 9"
                )),
                (true, Some(143)) => out.push(format!(
                    "`{name}` ended on SIGTERM: exit code 143 = 128 + 15"
                )),
                (true, Some(code)) => out.push(format!(
                    "`{name}`'s main process handled SIGTERM and shut down by itself with exit code {code}"
                )),
                (false, Some(code)) if !killing => out.push(format!(
                    "`{name}`'s main process ended by itself with exit code {code}: a container runs only as long as its main process"
                )),
                (_, None) if c.auto_remove && !removing && !reported.contains(&&**name) => {
                    out.push(format!(
                        "`{name}` was removed as soon as its process ended, because it was started with --rm: `docker ps -a` no longer lists it"
                    ));
                }
                _ => {}
            }
        }
    }
}

/// The rules of one command, from its events.
fn rules(host: &str, events: &[Event], after: &World) -> Vec<String> {
    let mut out = Vec::new();
    let mut hits = Vec::new();
    let mut misses = Vec::new();
    for e in events {
        match e {
            Event::ForeignPlatform { image, host } => out.push(format!(
                "the image was built for {image} and this machine is {}: the kernel cannot execute another CPU's binaries, so the container's first program failed with `exec format error` (exit code 255); docker only warns, because the image is still a valid image — build it for this platform (`docker build --platform {}`) or publish a multi-platform image",
                host.short(),
                host.short()
            )),
            Event::Pull(p) if p.platform_mismatch.is_some() => {
                if let Some((reference, wanted, actual)) = p.platform_mismatch.as_deref() {
                    out.push(format!(
                        "`{reference}` has a single-platform image, for {actual}; --platform {wanted} asked for another, and the daemon pulled what there was (only warning): a registry offers a platform choice only for a multi-platform index"
                    ));
                }
            }
            Event::Buildx(b) => {
                if let Some(text) = buildx_rule(b) {
                    out.push(text);
                }
            }
            Event::UnableToFind { familiar } => out.push(format!(
                "`{familiar}` was not on this machine, so docker pulled it before running: --pull=missing (the default) pulls only what is missing"
            )),
            Event::Pull(p) => {
                let fresh = p
                    .layers
                    .iter()
                    .filter(|(_, s)| *s == PullStatus::PullComplete)
                    .count();
                let had = p.layers.len() - fresh;
                if p.layers.is_empty() {
                    out.push(format!(
                        "the pull of `{}` found the image already here: nothing was downloaded",
                        p.familiar
                    ));
                } else if had > 0 {
                    out.push(format!(
                        "the pull of `{}` downloaded {} and reused {} this machine already had (\"Already exists\"): images share identical layers",
                        p.familiar,
                        plural(fresh, "layer", "layers"),
                        plural(had, "layer", "layers")
                    ));
                } else {
                    let all = if fresh == 1 {
                        "its only layer".to_string()
                    } else {
                        format!("all {fresh} layers")
                    };
                    out.push(format!(
                        "the pull of `{}` downloaded {all} (none was on this machine yet)",
                        p.familiar
                    ));
                }
                if let Some(text) = index_rule(host, p, after) {
                    out.push(text);
                }
            }
            Event::PushTag(p) => {
                let count = |f: &dyn Fn(&PushStatus) -> bool| {
                    p.layers.iter().filter(|(_, s)| f(s)).count()
                };
                let pushed = count(&|s| matches!(s, PushStatus::Pushed { .. }));
                let mounted = count(&|s| matches!(s, PushStatus::Mounted { .. }));
                let existed = count(&|s| matches!(s, PushStatus::LayerAlreadyExists));
                if p.result.is_some() {
                    out.push(format!(
                        "push of tag `{}`: {} uploaded (\"Pushed\"), {} mounted from another repository of the registry (\"Mounted from\"), {} already in the repository (\"Layer already exists\")",
                        p.tag,
                        plural(pushed, "layer", "layers"),
                        mounted,
                        existed
                    ));
                }
            }
            Event::Rule(rule) => match rule {
                Rule::UsedLocalImage {
                    reference,
                    newer_on_registry,
                } => {
                    let registry = reference.domain();
                    let remote = {
                        let tag = reference.tag().unwrap_or("latest");
                        after
                            .registries
                            .get(registry)
                            .map(|reg| reg.resolve(reference.path(), tag).is_some())
                    };
                    let reference = reference.familiar();
                    let tail = if *newer_on_registry {
                        format!(
                            "{registry} now has a newer `{reference}`, which only `docker pull {reference}` or `--pull=always` would fetch"
                        )
                    } else {
                        match remote {
                            Some(false) => format!(
                                "{registry} has no image of that name: it was built or tagged on this machine"
                            ),
                            _ => format!("it is the same image {registry} has under that name"),
                        }
                    };
                    out.push(format!(
                        "run used the local image `{reference}` because --pull=missing (the default) takes a local image whenever one has that name; {tail}"
                    ));
                }
                Rule::AutoRemoved { name } => out.push(format!(
                    "`{name}` was removed the moment it stopped, because it was started with --rm: `docker ps -a` no longer lists it and `docker rm {name}` would fail"
                )),
                Rule::PushSaved { uploaded, total } => out.push(format!(
                    "the push uploaded {} of the image's {}: a registry stores each layer once, so only layers it lacked were sent",
                    human_size(*uploaded),
                    human_size(*total)
                )),
                Rule::CacheHit { instruction } => hits.push(instruction.clone()),
                Rule::CacheMiss { instruction } => misses.push(instruction.clone()),
                Rule::TagMoved {
                    reference,
                    from,
                    to,
                } => out.push(tag_moved(host, &reference.familiar(), from, to, after)),
                Rule::Wire { host, calls } => {
                    let lines: Vec<String> = calls.iter().map(|c| format!("  {c}")).collect();
                    out.push(format!(
                        "the real registry {host} answered {} (HEAD 200 = the blob is there: \"Layer already exists\"; POST ?mount= 201 = \"Mounted from\"; 202 then PUT 201 = uploaded, \"Pushed\"):\n{}",
                        plural(calls.len(), "HTTP call", "HTTP calls"),
                        lines.join("\n")
                    ));
                }
                Rule::LogoutKeptHubLogin { server } => out.push(format!(
                    "`docker logout {server}` erased only credentials stored under that name; Docker Hub's are stored under `https://index.docker.io/v1/`, so you are still logged in to Docker Hub (a plain `docker logout` logs you out)"
                )),
            },
            _ => {}
        }
    }
    if !hits.is_empty() {
        out.push(format!(
            "build cache: {} reused ({}): their instruction, the files they copy and every step before them were unchanged",
            plural(hits.len(), "step", "steps"),
            quoted(&hits)
        ));
    }
    if !misses.is_empty() {
        out.push(format!(
            "ran: {} ({}) with no match in the build cache; a step matches only when its instruction, the files it copies and every step before it are unchanged",
            plural(misses.len(), "step", "steps"),
            quoted(&misses)
        ));
    }
    out
}

fn tag_moved(host: &str, reference: &str, from: &Digest, to: &Digest, after: &World) -> String {
    let head = format!(
        "the tag `{reference}` moved from image `{}` to `{}`",
        from.short(),
        to.short()
    );
    let Some(m) = after.machines.get(host) else {
        return head;
    };
    match m.images.images.get(from) {
        None => format!("{head}; the old image is gone"),
        Some(old) if old.dangling() => format!(
            "{head}; the old image has no tag left, so `docker images` lists it as `{}`",
            image_names(m, from).join(", ")
        ),
        Some(_) => format!(
            "{head}; the old image keeps its other names: {}",
            quoted(&image_names(m, from))
        ),
    }
}

/// What changed between two worlds, one `+`/`-`/`~` line each.
pub fn diff(before: &World, after: &World) -> Vec<String> {
    let mut out = Vec::new();
    let empty = Machine::default();
    let names: BTreeSet<&str> = before
        .machines
        .keys()
        .chain(after.machines.keys())
        .map(|k| &**k)
        .collect();
    for name in names {
        let a = before.get_machine(name);
        let b = after.get_machine(name);
        match (a, b) {
            (None, Some(_)) => out.push(format!("+ machine `{name}`")),
            (Some(_), None) => out.push(format!("- machine `{name}`")),
            _ => {}
        }
        machine_diff(
            name,
            a.unwrap_or(&empty),
            b.unwrap_or(&empty),
            after.now,
            &mut out,
        );
    }
    registry_diff(before, after, &mut out);
    let elapsed = after.now.saturating_sub(before.now);
    if elapsed > crate::clock::STEP {
        out.push(format!("~ the clock moved on {}", human_duration(elapsed)));
    }
    out
}

fn machine_diff(name: &str, a: &Machine, b: &Machine, now: u64, out: &mut Vec<String>) {
    let on = |what: String| format!("{what} on `{name}`");
    // Every walk below is a diff of two persistent maps: it skips the parts the worlds still share, so
    // its cost follows what the command changed, not the size of the world.
    // Images.
    let (mut added, mut removed, mut now_dangling) = (Vec::new(), Vec::new(), Vec::new());
    for d in a.images.images.diff(&b.images.images) {
        match d {
            DiffItem::Add(id, s) => added.push((id, s)),
            DiffItem::Remove(id, _) => removed.push(id),
            DiffItem::Update {
                old: (_, old),
                new: (id, s),
            } => {
                if !old.dangling() && s.dangling() {
                    now_dangling.push(id);
                }
            }
        }
    }
    for (id, s) in added {
        out.push(on(format!(
            "+ image `{}` ({}, {})",
            id.short(),
            image_names(b, id).join(", "),
            plural(s.image.layers.len(), "layer", "layers")
        )));
    }
    for id in removed {
        out.push(on(format!(
            "- image `{}` ({})",
            id.short(),
            image_names(a, id).join(", ")
        )));
    }
    // Tags, in the order of the full names.
    let mut tags: Vec<(String, String)> = a
        .images
        .tags
        .diff(&b.images.tags)
        .map(|d| match d {
            DiffItem::Add(t, to) => (
                t.to_string(),
                format!("+ tag `{}` → image `{}`", t.familiar(), to.short()),
            ),
            DiffItem::Remove(t, from) => (
                t.to_string(),
                format!("- tag `{}` (was image `{}`)", t.familiar(), from.short()),
            ),
            DiffItem::Update {
                old: (t, from),
                new: (_, to),
            } => (
                t.to_string(),
                format!(
                    "~ tag `{}` moved: image `{}` → `{}`",
                    t.familiar(),
                    from.short(),
                    to.short()
                ),
            ),
        })
        .collect();
    tags.sort();
    out.extend(tags.into_iter().map(|(_, line)| on(line)));
    for id in now_dangling {
        out.push(on(format!(
            "~ image `{}` is now dangling: no tag names it",
            id.short()
        )));
    }
    // Layers in the layer store.
    let (mut added, mut removed) = (0, 0);
    for d in a.images.layers.diff(&b.images.layers) {
        match d {
            DiffItem::Add(..) => added += 1,
            DiffItem::Remove(..) => removed += 1,
            DiffItem::Update { .. } => {}
        }
    }
    if added > 0 {
        out.push(on(format!(
            "+ {} in the layer store",
            plural(added, "layer", "layers")
        )));
    }
    if removed > 0 {
        out.push(on(format!(
            "- {} freed from the layer store",
            plural(removed, "layer", "layers")
        )));
    }
    // Containers: new and changed ones oldest first, removed ones newest first.
    let (mut changed, mut gone) = (Vec::new(), Vec::new());
    for (seq, old, new) in changed_containers(Some(a), Some(b)) {
        match (old, new) {
            (_, Some(c)) => changed.push((seq, old, c)),
            (Some(c), None) => gone.push((seq, c)),
            (None, None) => {}
        }
    }
    changed.sort_by_key(|(n, ..)| *n);
    for (_, old, c) in changed {
        match old {
            None => out.push(on(format!(
                "+ container `{}` from `{}`: {}",
                c.name,
                c.image_ref,
                crate::render::listing::status(&c.state, now)
            ))),
            Some(old) => {
                let was = state_words(old);
                let is = state_words(c);
                if was != is {
                    out.push(on(format!("~ container `{}`: {was} → {is}", c.name)));
                }
                if old.name != c.name {
                    out.push(on(format!(
                        "~ container `{}` renamed `{}`",
                        old.name, c.name
                    )));
                }
            }
        }
    }
    gone.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    for (_, c) in gone {
        let why = if c.auto_remove { " (--rm)" } else { "" };
        out.push(on(format!("- container `{}` removed{why}", c.name)));
    }
    // Logins.
    for d in a.logins.diff(&b.logins) {
        match d {
            DiffItem::Add(h, u) => out.push(on(format!("+ logged in to `{h}` as `{u}`"))),
            DiffItem::Remove(h, u) => out.push(on(format!("- logged out of `{h}` (was `{u}`)"))),
            DiffItem::Update {
                old: (h, x),
                new: (_, y),
            } => out.push(on(format!("~ logged in to `{h}` as `{y}` (was `{x}`)"))),
        }
    }
    // Files.
    for d in a.files.diff(&b.files) {
        match d {
            DiffItem::Add(f, _) => out.push(on(format!("+ file `{f}`"))),
            DiffItem::Remove(f, _) => out.push(on(format!("- file `{f}`"))),
            DiffItem::Update { old: (f, _), .. } => out.push(on(format!("~ file `{f}` changed"))),
        }
    }
}

/// A container's state in a few words (`running`, `exited (0)`).
fn state_words(c: &crate::model::container::Container) -> String {
    use crate::model::container::State;
    match &c.state {
        State::Exited { code, .. } => format!("exited ({code})"),
        _ => c.status_word().to_string(),
    }
}

/// The registries that may differ between two worlds, before and after: the named ones whose data
/// changed, and those served by containers that changed (a registry nothing touched says nothing, so it is
/// left out without a walk over every container).
fn changed_registries<'a>(
    before: &'a World,
    after: &'a World,
) -> (Vec<RegistryView<'a>>, Vec<RegistryView<'a>>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let named = |(host, registry): (&'a String, &'a Registry)| RegistryView {
        host,
        served_by: None,
        registry,
    };
    for d in before.registries.diff(&after.registries) {
        match d {
            DiffItem::Add(h, r) => b.push(named((h, r))),
            DiffItem::Remove(h, r) => a.push(named((h, r))),
            DiffItem::Update { old, new } => {
                a.push(named(old));
                b.push(named(new));
            }
        }
    }
    let served = |machine: &'a str, c: &'a Container| {
        c.registry.as_deref().map(|registry| RegistryView {
            host: &registry.host,
            served_by: Some((machine, &*c.name, c.is_running())),
            registry,
        })
    };
    let names: BTreeSet<&str> = before
        .machines
        .keys()
        .chain(after.machines.keys())
        .map(|k| &**k)
        .collect();
    for name in names {
        let (ca, cb) = match (before.machines.get(name), after.machines.get(name)) {
            (Some(x), Some(y)) => (&x.containers, &y.containers),
            (Some(x), None) => {
                a.extend(x.containers.all().filter_map(|c| served(name, c)));
                continue;
            }
            (None, Some(y)) => {
                b.extend(y.containers.all().filter_map(|c| served(name, c)));
                continue;
            }
            (None, None) => continue,
        };
        for (x, y) in ca.changed(cb) {
            a.extend(x.and_then(|x| served(name, x)));
            b.extend(y.and_then(|y| served(name, y)));
        }
    }
    (a, b)
}

fn registry_diff(before: &World, after: &World, out: &mut Vec<String>) {
    type Key = (String, Option<(String, String)>);
    let key = |v: &crate::repl::picture::RegistryView<'_>| -> Key {
        (
            v.host.to_string(),
            v.served_by.map(|(m, c, _)| (m.to_string(), c.to_string())),
        )
    };
    let (a, b) = changed_registries(before, after);
    let a: BTreeMap<Key, _> = a.into_iter().map(|v| (key(&v), v)).collect();
    let b: BTreeMap<Key, _> = b.into_iter().map(|v| (key(&v), v)).collect();
    for (k, v) in &b {
        let host = &k.0;
        let Some(old) = a.get(k) else {
            out.push(format!(
                "+ registry `{host}` (served by a `registry` container)"
            ));
            continue;
        };
        match (old.served_by, v.served_by) {
            (Some((_, c, true)), Some((_, _, false))) => out.push(format!(
                "~ registry `{host}` is unreachable: its container `{c}` stopped"
            )),
            (Some((_, c, false)), Some((_, _, true))) => {
                out.push(format!(
                    "~ registry `{host}` is back: its container `{c}` runs again"
                ));
            }
            _ => {}
        }
        let image_of = |r: &Registry, digest: &Digest| {
            r.manifests
                .get(digest)
                .map(|m| m.image.id.short().to_string())
                .unwrap_or_default()
        };
        let empty = OrdMap::new();
        for d in old.registry.repos.diff(&v.registry.repos) {
            let (path, before_tags, repo) = match d {
                DiffItem::Add(path, repo) => {
                    let vis = if repo.private { "private" } else { "public" };
                    out.push(format!("+ repository `{path}` on `{host}` ({vis})"));
                    (path, &empty, repo)
                }
                DiffItem::Update {
                    old: (_, was),
                    new: (path, repo),
                } => (path, &was.tags, repo),
                DiffItem::Remove(..) => continue,
            };
            for t in before_tags.diff(&repo.tags) {
                match t {
                    DiffItem::Add(tag, digest) => out.push(format!(
                        "+ `{host}/{path}:{tag}` → image `{}`",
                        image_of(v.registry, digest)
                    )),
                    DiffItem::Update {
                        old: (_, d),
                        new: (tag, digest),
                    } => out.push(format!(
                        "~ `{host}/{path}:{tag}` moved: image `{}` → `{}`",
                        image_of(old.registry, d),
                        image_of(v.registry, digest)
                    )),
                    DiffItem::Remove(..) => {}
                }
            }
        }
        let sent = v
            .registry
            .bytes_received
            .saturating_sub(old.registry.bytes_received);
        let blobs = v
            .registry
            .blobs
            .len()
            .saturating_sub(old.registry.blobs.len());
        if sent > 0 || blobs > 0 {
            out.push(format!(
                "~ `{host}` received {} and now stores {} more",
                human_size(sent),
                plural(blobs, "blob", "blobs")
            ));
        }
    }
    for k in a.keys() {
        if !b.contains_key(k) {
            out.push(format!(
                "- registry `{}`: its storage went with its container",
                k.0
            ));
        }
    }
}

/// What a build on a `docker-container` builder did with its result.
fn buildx_rule(e: &crate::event::BuildxEvent) -> Option<String> {
    use crate::event::{BuildxEvent, BuildxOutput};
    let BuildxEvent::Build(b) = e else {
        return None;
    };
    match &b.error {
        Some(crate::event::BuildxFailure::PushDenied { reference }) => {
            return Some(format!(
                "BuildKit pushes with this machine's `docker login`, under the rules of `docker push`: the registry refused `{reference}` (log in, and push only into your own namespace); the build itself succeeded and stays in the builder's cache"
            ));
        }
        Some(crate::event::BuildxFailure::LoadManifestList) => {
            return Some(
                "--load hands the result to this machine's image store, which (the classic store) holds one image per name, not an index: load one platform, or --push the multi-platform image to a registry".into(),
            );
        }
        Some(_) => return None,
        None => {}
    }
    if b.platforms.iter().any(|(_, r)| r.error.is_some()) {
        return None;
    }
    let platforms: Vec<&str> = b
        .platforms
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    Some(match &b.output {
        BuildxOutput::CacheOnly => format!(
            "the build ran on the builder `{}` (docker-container driver): BuildKit runs in a container of its own there and keeps the result in its cache; without --push or --load nothing reaches `docker images`",
            b.builder
        ),
        BuildxOutput::Load { .. } => format!(
            "the builder `{}` built the image in its own container and --load sent it into this machine's image store (one platform: the classic store holds no index)",
            b.builder
        ),
        BuildxOutput::Push { .. } if platforms.len() > 1 => format!(
            "the builder `{}` built the image once per platform ({}) and pushed one index naming every member: a pull on each machine takes the member for its own CPU, under the same name",
            b.builder,
            platforms.join(", ")
        ),
        BuildxOutput::Push { .. } => format!(
            "the builder `{}` pushed the image straight to the registry (as an index with its provenance attestation): this machine's `docker images` does not list it",
            b.builder
        ),
    })
}

/// A pull of a multi-platform index: which member this machine took, and why.
fn index_rule(host: &str, p: &crate::event::PullReport, after: &World) -> Option<String> {
    let m = after
        .registries
        .values()
        .find_map(|r| r.manifests.get(&p.digest).filter(|m| !m.others.is_empty()))?;
    let machine = after.machines.get(host)?;
    // An official image on the default amd64 machine needs no word: the choice shows where it matters, on
    // another CPU or for an index the learner published.
    if m.attestations.is_empty() && machine.platform == crate::model::platform::Platform::default()
    {
        return None;
    }
    let members: Vec<String> = std::iter::once(&m.image)
        .chain(m.others.iter())
        .map(|i| i.platform.short())
        .collect();
    let taken = std::iter::once(&m.image)
        .chain(m.others.iter())
        .find(|i| {
            machine
                .images
                .lookup(&p.familiar)
                .is_some_and(|s| s.image.id == i.id)
        })
        .map(|i| i.platform.short())?;
    Some(format!(
        "`{}` is a multi-platform index ({}): the daemon took the {taken} member because this machine is {} (`--platform` asks for another); the digest printed is the index's, the same on every machine",
        p.familiar,
        members.join(", "),
        machine.platform.short()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::run_line;
    use crate::script::split_host;

    fn explain(world: &mut World, line: &str) -> Explanation {
        let before = world.clone();
        let l = split_host(line);
        let r = run_line(world, &l, None, false);
        Explanation::of_step(&r, &before, world)
    }

    #[test]
    fn stale_local_image() {
        let mut w = World::new();
        let _ = explain(&mut w, "docker pull alpine:3.20");
        let _ = explain(&mut w, "docker tag alpine:3.20 alpine:latest");
        let e = explain(&mut w, "docker run alpine echo hi");
        assert!(
            e.rules.iter().any(|r| r
                .starts_with("run used the local image `alpine:latest` because --pull=missing")
                && r.contains("docker.io now has a newer `alpine:latest`")),
            "{:?}",
            e.rules
        );
        assert!(
            e.changes.iter().any(|c| c.starts_with("+ container `")),
            "{:?}",
            e.changes
        );
    }

    #[test]
    fn rm_and_tags() {
        let mut w = World::new();
        let e = explain(&mut w, "docker build -t myimage .");
        assert!(
            e.changes
                .iter()
                .any(|c| c.starts_with("+ tag `myimage:latest` → image")),
            "{:?}",
            e.changes
        );
        let _ = explain(&mut w, "docker run -d --rm --name web myimage");
        let e = explain(&mut w, "docker stop web");
        assert!(
            e.rules
                .iter()
                .any(|r| r.starts_with("`web` was removed the moment it stopped"))
        );
        assert!(
            e.changes
                .contains(&"- container `web` removed (--rm) on `default`".to_string()),
            "{:?}",
            e.changes
        );
        let e = explain(&mut w, "docker build -t myimage .");
        assert!(
            e.rules
                .iter()
                .any(|r| r.starts_with("build cache: 4 steps reused")),
            "{:?}",
            e.rules
        );
    }

    /// The diff walks only what changed: a registry container's life shows step by step, and the
    /// registries and containers a step did not touch say nothing.
    #[test]
    fn registry_container_changes_step_by_step() {
        let mut w = World::new();
        for l in [
            "docker run -d -p 5000:5000 --name reg registry:2",
            "docker pull -q alpine",
            "docker pull -q busybox",
            "docker run -d --name other alpine sleep 1000",
            "docker tag alpine localhost:5000/alpine",
        ] {
            let _ = explain(&mut w, l);
        }
        let changes = |w: &mut World, l: &str| explain(w, l).changes;
        let pushed = changes(&mut w, "docker push -q localhost:5000/alpine");
        assert!(
            pushed.contains(&"+ repository `alpine` on `localhost:5000` (public)".to_string()),
            "{pushed:?}"
        );
        assert!(
            pushed
                .iter()
                .any(|c| c.starts_with("+ `localhost:5000/alpine:latest` → image `")),
            "{pushed:?}"
        );
        let _ = changes(&mut w, "docker tag busybox localhost:5000/alpine");
        let moved = changes(&mut w, "docker push -q localhost:5000/alpine");
        assert!(
            moved
                .iter()
                .any(|c| c.starts_with("~ `localhost:5000/alpine:latest` moved: image `")),
            "{moved:?}"
        );
        assert!(
            !moved.iter().any(|c| c.starts_with("+ repository")),
            "{moved:?}"
        );
        let stopped = changes(&mut w, "docker stop reg");
        assert_eq!(
            stopped,
            [
                "~ container `reg`: running → exited (2) on `default`",
                "~ registry `localhost:5000` is unreachable: its container `reg` stopped",
            ]
        );
        let started = changes(&mut w, "docker start reg");
        assert_eq!(
            started,
            [
                "~ container `reg`: exited (2) → running on `default`",
                "~ registry `localhost:5000` is back: its container `reg` runs again",
            ]
        );
        let removed = changes(&mut w, "docker rm -f reg");
        assert_eq!(
            removed,
            [
                "- container `reg` removed on `default`",
                "- registry `localhost:5000`: its storage went with its container",
            ]
        );
    }

    /// Container rules read only the containers a step changed: one that ends by itself is named, the
    /// others (running on, or stopped long ago) are not.
    #[test]
    fn only_changed_containers_have_rules() {
        let mut w = World::new();
        for l in [
            "docker run -d --name old alpine true",
            "docker run -d --name short alpine sleep 5",
            "docker run -d --name long alpine sleep 1000",
        ] {
            let _ = explain(&mut w, l);
        }
        let _ = explain(&mut w, "sleep 10");
        let e = explain(&mut w, "docker stop long");
        assert_eq!(e.rules.len(), 1, "{e:?}");
        assert!(
            e.rules[0].starts_with("`long`'s main process ignored SIGTERM"),
            "{e:?}"
        );
        let e = explain(&mut w, "docker run --name once alpine true");
        assert!(
            e.rules
                .iter()
                .any(|r| r.starts_with("`once` ran its command and exited at once with code 0")),
            "{e:?}"
        );
        assert!(!e.rules.iter().any(|r| r.contains("`old`")), "{e:?}");
    }

    #[test]
    fn push_counts_and_bytes() {
        let mut w = World::new();
        for l in [
            "docker build -t alice/app .",
            "docker login -u alice -p wonderland",
        ] {
            let _ = explain(&mut w, l);
        }
        let e = explain(&mut w, "docker push alice/app");
        assert!(
            e.rules
                .iter()
                .any(|r| r.contains("mounted from another repository")),
            "{:?}",
            e.rules
        );
        assert!(
            e.changes
                .iter()
                .any(|c| c.starts_with("+ repository `alice/app` on `docker.io` (public)"))
        );
        assert!(
            e.changes
                .iter()
                .any(|c| c.starts_with("~ `docker.io` received")),
            "{:?}",
            e.changes
        );
    }

    #[test]
    fn nothing_changed() {
        let mut w = World::new();
        let e = explain(&mut w, "docker ps");
        assert!(e.rules.is_empty() && e.changes.is_empty(), "{e:?}");
        let e = explain(&mut w, "docker rm nope");
        assert_eq!(e.rules[0], "there is no container `nope` on `default`");
    }
}
