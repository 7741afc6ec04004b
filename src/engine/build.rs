//! `docker build`: a real Dockerfile, a content-addressed layer cache, and both builders' reports.
//!
//! Each step's cache key is the sha256 of the state before it and the instruction (for COPY/ADD also the
//! bytes of the copied files; for RUN also the environment and build args). A rebuild of unchanged input
//! therefore hits the cache at every step and yields the same image ID; editing a copied file changes that
//! step's key, and every later step then runs again because its parent state changed.
//!
//! BuildKit (Docker 28's default builder) resolves `FROM` against the local image store first (the
//! stale-image rule applies to builds too) and otherwise pulls the base into its own cache, which
//! `docker images` does not list. The legacy builder (`DOCKER_BUILDKIT=0`) pulls the base into the store.

use super::Outcome;
use super::distribution;
use crate::command::Build;
use crate::digest::Digest;
use crate::docker_error::{PrepareProblem, StepFailure, Transfer};
use crate::dockerfile::{self, InstructionKind};
use crate::event::{BaseSource, BuildFailure, BuildReport, BuildStep, Event, Rule};
use crate::limits::{LimitExceeded, MAX_CONFIG_BYTES, MAX_INSTRUCTIONS, MAX_LAYER_DEPTH};
use crate::model::hub::json_list;
use crate::model::image::{FileBytes, Files, HistoryEntry, Image, ImageConfig, Layer};
use crate::model::machine::CachedStep;
use crate::model::platform::Platform;
use crate::model::process::{Behaviour, behaviour};
use crate::model::world::World;
use crate::reference::ImageRef;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The folder the learner works in (Docker prints absolute paths in some errors).
pub use crate::vfs::WORKDIR;

/// A stage being built.
#[derive(Clone)]
struct Stage {
    /// Its place in the Dockerfile (`COPY --from=0`).
    index: usize,
    name: Option<String>,
    state: Arc<Image>,
    /// The cache key of the last step: a chain over the base image and every instruction and input so far,
    /// with no timestamps in it, so the same build gives the same layers on any machine at any time.
    key: Digest,
    shell: Vec<String>,
    args: BTreeMap<String, String>,
}

/// Normalises a context-relative path (`./app/`, `app//x`) to `app/x`; `None` if it leaves the context.
fn clean(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn under<'a>(
    files: &'a Files,
    dir: &str,
) -> impl Iterator<Item = (&'a std::sync::Arc<str>, &'a FileBytes)> + 'a {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    files.iter().filter(move |(k, _)| k.starts_with(&prefix))
}

/// Tar size of a build context as the legacy client sends it (512-byte headers and blocks, 1 KiB trailer).
fn tar_size<'a>(files: impl Iterator<Item = &'a FileBytes>) -> u64 {
    files
        .map(|f| match crate::vfs::link_target(f) {
            // A link travels as a tar header naming its target.
            Some(_) => 512,
            None => 512 + (f.len() as u64).div_ceil(512) * 512,
        })
        .sum::<u64>()
        + 1024
}

fn image_from(
    config: ImageConfig,
    layers: Vec<Layer>,
    history: impl Into<crate::model::history::History>,
    files: Arc<Files>,
    programs: Arc<BTreeSet<String>>,
) -> Image {
    let history = history.into();
    let created = history.iter().map(|h| h.created).max().unwrap_or(0);
    Image::new(config, layers, history, created, files, programs)
}

fn scratch() -> Arc<Image> {
    Arc::new(image_from(
        ImageConfig::default(),
        vec![],
        vec![],
        Arc::default(),
        Arc::default(),
    ))
}

/// A deterministic fake duration in tenths of a second, for BuildKit's timings.
fn tenths_for(key: &Digest, base: u32, spread: u8) -> u32 {
    let b = key.hex().as_bytes().first().copied().unwrap_or(b'0');
    base + u32::from(b % spread.max(1))
}

/// The size a RUN step adds: what typical commands install.
fn run_layer_size(cmd: &str, key: &Digest) -> u64 {
    let jitter = u64::from(key.hex().as_bytes()[1]) * 1_000;
    if cmd.contains("npm install") || cmd.contains("npm ci") || cmd.contains("yarn") {
        2_100_000 + jitter
    } else if cmd.contains("apt-get install") || cmd.contains("apk add") {
        24_000_000 + jitter * 10
    } else if cmd.contains("pip install") {
        15_800_000 + jitter * 5
    } else {
        jitter / 40
    }
}

/// Output of RUN commands dockdrill knows (package managers); other commands run through the process model.
fn known_run_output(cmd: &str) -> Option<Vec<String>> {
    if cmd.contains("npm install") || cmd.contains("npm ci") {
        return Some(vec![
            "".into(),
            "up to date, audited 1 package in 312ms".into(),
            "".into(),
            "found 0 vulnerabilities".into(),
        ]);
    }
    if cmd.contains("pip install") {
        return Some(vec!["Successfully installed requirements".into()]);
    }
    if cmd.contains("apk add") {
        return Some(vec!["OK: 12 MiB in 26 packages".into()]);
    }
    if cmd.contains("apt-get") {
        return Some(vec!["Reading package lists...".into()]);
    }
    None
}

/// Programs a RUN step installs (`apk add curl`, `apt-get install -y git`).
fn installed_programs(cmd: &str) -> Vec<String> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if (*w == "add" && i > 0 && words[i - 1] == "apk")
            || (*w == "install" && i > 0 && words[i - 1].starts_with("apt"))
        {
            out.extend(
                words[i + 1..]
                    .iter()
                    .take_while(|x| !matches!(**x, "&&" | ";" | "||"))
                    .filter(|x| !x.starts_with('-'))
                    .map(|x| x.to_string()),
            );
        }
    }
    out
}

struct Ctx<'a> {
    world: &'a mut World,
    host: &'a str,
    b: &'a Build,
    report: BuildReport,
    context_dir: String,
    no_cache_from_here: bool,
    /// The context's `.dockerignore`: what the build never sees.
    ignore: crate::dockerignore::Ignore,
    /// A dockdrill cap the build reached (reported as the simulator's note, not as Docker's error).
    limit: Option<LimitExceeded>,
    /// The platform the build produces (`--platform`, or the machine's own).
    platform: Platform,
    runner: Runner,
}

/// Where a build runs: the engine's own BuildKit (or the legacy builder), or a `docker-container` builder
/// that sees no local image and keeps its result to itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Runner {
    /// A `docker-container` builder: `FROM` never takes an image of the machine's store.
    pub isolated: bool,
}

/// What running a build's steps gave, before anything is stored.
pub enum Ran {
    /// It stopped (the report says why) with this exit code.
    Failed(Box<BuildReport>, i32),
    /// A dockdrill cap stopped it.
    Limit(LimitExceeded),
    /// The image, with the report and when the build started.
    Built(Box<(BuildReport, Image, u64)>),
}

/// `docker build`.
pub fn build(world: &mut World, host: &str, b: &Build, out: &mut Outcome) {
    let (report, image, start) = match run(world, host, b, Runner::default()) {
        Ran::Failed(report, code) => return finish(*report, out, code),
        Ran::Limit(limit) => return limit_refusal(out, limit),
        Ran::Built(built) => *built,
    };
    store(world, host, b, report, image, start, out);
}

/// Runs a build's steps (on the machine's caches, which a `docker-container` builder has swapped for its
/// own) and returns the image without storing it.
pub fn run(world: &mut World, host: &str, b: &Build, runner: Runner) -> Ran {
    let plain = b.progress.as_deref() != Some("tty");
    let tags = b
        .tags
        .iter()
        .filter_map(|t| t.clone().with_default_tag().tag_ref())
        .collect();
    let mut report = BuildReport::starting(tags, b.legacy, b.quiet, plain);
    if b.squash && b.legacy {
        // docker/cli: an experimental flag against a daemon without experimental features (oracle).
        report.error = Some(BuildFailure::SquashNotExperimental);
        return Ran::Failed(Box::new(report), 1);
    }
    let m = &world.machines[host];
    let context_dir = match clean(&b.context) {
        Some(d) => d,
        None => {
            report.error = Some(BuildFailure::Prepare(PrepareProblem::NoContext {
                path: b.context.clone(),
            }));
            return Ran::Failed(Box::new(report), 1);
        }
    };
    let context_exists = context_dir.is_empty() || under(&m.files, &context_dir).next().is_some();
    if !context_exists {
        report.error = Some(BuildFailure::Prepare(PrepareProblem::NoContext {
            path: b.context.clone(),
        }));
        return Ran::Failed(Box::new(report), 1);
    }
    let file_path = match &b.file {
        Some(f) => clean(f).unwrap_or_else(|| f.clone()),
        None => {
            if context_dir.is_empty() {
                "Dockerfile".into()
            } else {
                format!("{context_dir}/Dockerfile")
            }
        }
    };
    report.dockerfile_name = file_path
        .rsplit('/')
        .next()
        .unwrap_or("Dockerfile")
        .to_string();
    let Some(text) = m.files.get(file_path.as_str()).cloned() else {
        report.error = Some(BuildFailure::Prepare(PrepareProblem::NoDockerfile {
            path: file_path.clone(),
            name: report.dockerfile_name.clone(),
        }));
        return Ran::Failed(Box::new(report), 1);
    };
    report.dockerfile_size = text.len() as u64;
    let ignore = read_dockerignore(&m.files, &context_dir);
    report.context_size = tar_size(
        under(&m.files, &context_dir)
            .filter(|(k, _)| !ignored(&ignore, &context_dir, k))
            .map(|(_, v)| v),
    );
    // BuildKit targets the machine's platform unless `--platform` names one; several need another driver.
    let platform = match b.platform.as_deref() {
        None => world.machines[host].platform.host_default(),
        Some(p) if p.contains(',') && !b.legacy => {
            report.error = Some(BuildFailure::MultiPlatform);
            return Ran::Failed(Box::new(report), 1);
        }
        Some(p) => match Platform::parse(p) {
            Ok(p) => p,
            Err(e) => {
                report.error = Some(BuildFailure::Platform(e));
                return Ran::Failed(Box::new(report), 1);
            }
        },
    };
    let text = String::from_utf8_lossy(&text).into_owned();
    let mut parsed = match dockerfile::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            report.error = Some(BuildFailure::Parse(e));
            return Ran::Failed(Box::new(report), 1);
        }
    };
    let cli_labels: BTreeMap<String, String> = b.labels.iter().cloned().collect();
    if b.legacy {
        legacy_label_steps(&mut parsed, &cli_labels, b.target.as_deref());
    }
    if parsed.instructions.len() > MAX_INSTRUCTIONS {
        return Ran::Limit(LimitExceeded::instructions(parsed.instructions.len()));
    }
    report.total = parsed.instructions.len();
    report.dockerfile_text = text.clone();
    report.instruction_lines = parsed.instructions.iter().map(|i| i.line).collect();
    report.uses_context = parsed.instructions.iter().any(|i| {
        matches!(
            &i.kind,
            InstructionKind::Copy { from: None, .. } | InstructionKind::Add { .. }
        )
    });
    let mut ctx = Ctx {
        world,
        host,
        b,
        report,
        context_dir,
        no_cache_from_here: b.no_cache,
        ignore,
        limit: None,
        platform,
        runner,
    };
    let start = ctx.world.now;
    let result = run_steps(&mut ctx, &parsed);
    let Ctx { report, limit, .. } = ctx;
    if let Some(limit) = limit {
        return Ran::Limit(limit);
    }
    match result {
        Ok(image) => Ran::Built(Box::new((report, image, start))),
        Err(code) => Ran::Failed(Box::new(report), code),
    }
}

/// Stores a built image in the machine's image store under the build's tags (the engine's builder, or a
/// `docker-container` builder's `--load`), writes `--iidfile`, and reports the build.
pub fn store(
    world: &mut World,
    host: &str,
    b: &Build,
    mut report: BuildReport,
    image: Image,
    start: u64,
    out: &mut Outcome,
) {
    let cli_labels: BTreeMap<String, String> = b.labels.iter().cloned().collect();
    // BuildKit sets `--label`s on the image it exports, with no step of their own.
    let image = if b.legacy || cli_labels.is_empty() {
        image
    } else {
        image.with_labels(&cli_labels)
    };
    let id = image.id.clone();
    let now = world.now;
    let m = world.machine(host);
    m.images.insert(Arc::new(image));
    if let Some(path) = &b.iidfile {
        // buildx writes the digest alone (`os.WriteFile(in.imageIDFile, []byte(dgst), 0644)`); the
        // legacy client ends it with a newline (oracle: 72 bytes).
        let mut text = id.as_str().to_string();
        if b.legacy {
            text.push('\n');
        }
        m.files.insert(
            clean(path).unwrap_or_else(|| path.clone()),
            text.as_bytes().into(),
        );
    }
    let mut moved = Vec::new();
    for t in &report.tags {
        if let Some(old) = m.images.set_tag(t, &id, now) {
            moved.push(Rule::TagMoved {
                reference: t.clone(),
                from: old,
                to: id.clone(),
            });
        }
    }
    report.image = Some(id);
    let tenths: u32 = report.steps.iter().map(|s| s.tenths).sum();
    world.now = start.saturating_add(u64::from(tenths.div_ceil(10)));
    out.push(Event::Build(Box::new(report.clone())));
    for r in moved {
        out.push(Event::Rule(r));
    }
    cache_rules(&report, out);
    out.exit_code = 0;
}

/// `explain`'s view of the cache: one rule per step vertex.
pub fn cache_rules(report: &BuildReport, out: &mut Outcome) {
    for s in &report.steps {
        if s.vertex && !s.instruction.starts_with("FROM") {
            out.push(Event::Rule(if s.cached {
                Rule::CacheHit {
                    instruction: s.instruction.clone(),
                }
            } else {
                Rule::CacheMiss {
                    instruction: s.instruction.clone(),
                }
            }));
        }
    }
}

/// A dockdrill cap stopped the build: the simulator says so (Docker has no words for it), exit 1, and
/// nothing of the build is kept.
fn limit_refusal(out: &mut Outcome, limit: LimitExceeded) {
    out.note(crate::event::Note::Limit(limit));
    out.exit_code = 1;
}

/// The `.dockerignore` at the context's root, if there is one (a link or an oversized file counts as none).
fn read_dockerignore(files: &Files, context_dir: &str) -> crate::dockerignore::Ignore {
    let key = if context_dir.is_empty() {
        ".dockerignore".to_string()
    } else {
        format!("{context_dir}/.dockerignore")
    };
    files
        .get(key.as_str())
        .filter(|b| {
            b.len() <= crate::dockerignore::MAX_BYTES && crate::vfs::link_target(b).is_none()
        })
        .map(|b| crate::dockerignore::Ignore::parse(&String::from_utf8_lossy(b)))
        .unwrap_or_default()
}

/// Is the machine file `key` (under the context folder) left out by `.dockerignore`?
fn ignored(ignore: &crate::dockerignore::Ignore, context_dir: &str, key: &str) -> bool {
    if ignore.is_empty() {
        return false;
    }
    let rel = if context_dir.is_empty() {
        key
    } else {
        key.strip_prefix(context_dir)
            .map_or(key, |r| r.trim_start_matches('/'))
    };
    ignore.excludes(rel)
}

fn finish(report: BuildReport, out: &mut Outcome, code: i32) {
    out.push(Event::Build(Box::new(report)));
    out.exit_code = code;
}

/// One stage of the Dockerfile: its `FROM` and the instructions up to the next `FROM`.
struct Plan<'a> {
    from: &'a dockerfile::Instruction,
    /// The base as written, meta `ARG`s expanded (`busybox`, `builder`, `scratch`).
    base: String,
    /// The `AS` name (lower-cased by the parser).
    name: Option<String>,
    /// `FROM --platform=…`, expanded: the stage's own platform instead of the build's.
    platform: Option<Platform>,
    body: &'a [dockerfile::Instruction],
}

/// The stage a `FROM`/`COPY --from` word names among the stages before `before`: by name, or (for
/// `COPY --from=0`) by index.
fn stage_named(plans: &[Plan], word: &str, before: usize, by_index: bool) -> Option<usize> {
    let word = word.to_lowercase();
    (0..before.min(plans.len())).find(|&i| {
        plans[i].name.as_deref() == Some(word.as_str()) || (by_index && i.to_string() == word)
    })
}

/// The legacy builder turns each `--label` into a `LABEL` step of its own, in key order, at the end of the
/// stage it builds (the target's, or the last): moby `builder/dockerfile` adds them to the parsed stages.
fn legacy_label_steps(
    df: &mut dockerfile::Dockerfile,
    labels: &BTreeMap<String, String>,
    target: Option<&str>,
) {
    if labels.is_empty() {
        return;
    }
    let froms: Vec<usize> = df
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.kind, InstructionKind::From { .. }))
        .map(|(n, _)| n)
        .collect();
    let stage = target
        .map(str::to_lowercase)
        .and_then(|t| {
            froms.iter().position(|&n| {
                matches!(&df.instructions[n].kind,
                    InstructionKind::From { alias: Some(a), .. } if *a == t)
            })
        })
        .unwrap_or(froms.len().saturating_sub(1));
    let at = froms
        .get(stage + 1)
        .copied()
        .unwrap_or(df.instructions.len());
    let line = at
        .checked_sub(1)
        .and_then(|n| df.instructions.get(n))
        .map_or(1, |i| i.line);
    let steps = labels.iter().map(|(k, v)| dockerfile::Instruction {
        line,
        original: format!("LABEL {k}={v}"),
        flags: Vec::new(),
        kind: InstructionKind::Label(vec![(k.clone(), v.clone())]),
    });
    df.instructions.splice(at..at, steps);
}

/// The stages BuildKit builds for `target`: the target and every stage it needs through `FROM stage` or
/// `COPY --from=stage`, transitively (buildkit `dockerfile2llb` builds nothing else; the legacy builder
/// builds every stage up to the target).
fn reachable(plans: &[Plan], target: usize) -> Vec<bool> {
    let mut seen = vec![false; plans.len()];
    let mut todo = vec![target];
    while let Some(i) = todo.pop() {
        if i >= plans.len() || seen[i] {
            continue;
        }
        seen[i] = true;
        if let Some(j) = stage_named(plans, &plans[i].base, i, false) {
            todo.push(j);
        }
        for ins in plans[i].body {
            if let InstructionKind::Copy { from: Some(f), .. } = &ins.kind
                && let Some(j) = stage_named(plans, f, i, true)
            {
                todo.push(j);
            }
        }
    }
    seen
}

/// BuildKit's automatic platform ARGs, usable in `FROM --platform=$BUILDPLATFORM` (the machine's platform)
/// and `$TARGETPLATFORM` (the build's).
fn automatic_platform_arg(ctx: &Ctx, name: &str) -> Option<String> {
    let build = ctx.world.machines[ctx.host].platform.host_default();
    let target = &ctx.platform;
    Some(match name {
        "BUILDPLATFORM" => build.to_string(),
        "TARGETPLATFORM" => target.to_string(),
        "BUILDOS" => build.os,
        "BUILDARCH" => build.architecture,
        "TARGETOS" => target.os.clone(),
        "TARGETARCH" => target.architecture.clone(),
        _ => return None,
    })
}

/// What a stage starts from.
enum Base {
    /// An earlier stage (by index).
    Stage(usize),
    Scratch,
    /// An image, local or fetched, and how it was found.
    Image {
        image: Arc<Image>,
        source: Box<BaseSource>,
    },
}

/// Marks the steps pushed since `from` with their stage and Dockerfile line.
fn label_steps(
    ctx: &mut Ctx,
    lines: &mut Vec<usize>,
    from: usize,
    stage: &Option<String>,
    line: usize,
) {
    for s in ctx.report.steps.iter_mut().skip(from) {
        s.stage.clone_from(stage);
    }
    while lines.len() < ctx.report.steps.len() {
        lines.push(line);
    }
}

fn run_steps(ctx: &mut Ctx, df: &dockerfile::Dockerfile) -> Result<Image, i32> {
    let mut lines = Vec::new();
    let result = run_plans(ctx, df, &mut lines);
    // BuildKit quotes the failing step's Dockerfile line: one line per reported step.
    ctx.report.instruction_lines = lines;
    result
}

fn run_plans(
    ctx: &mut Ctx,
    df: &dockerfile::Dockerfile,
    lines: &mut Vec<usize>,
) -> Result<Image, i32> {
    let mut global_args: BTreeMap<String, String> = BTreeMap::new();
    for a in &ctx.b.build_args {
        if let Some((k, v)) = a.split_once('=') {
            global_args.insert(k.to_string(), v.to_string());
        }
    }
    let escape = df.escape;
    let first_from = df
        .instructions
        .iter()
        .position(|i| matches!(i.kind, InstructionKind::From { .. }))
        .unwrap_or(df.instructions.len());
    // Meta ARGs (before the first FROM) only feed FROM lines: no container, no image.
    let mut meta_args: BTreeMap<String, String> = BTreeMap::new();
    for ins in &df.instructions[..first_from] {
        if let InstructionKind::Arg(list) = &ins.kind {
            for (k, v) in list {
                let val = global_args
                    .get(k)
                    .cloned()
                    .or_else(|| v.clone())
                    .unwrap_or_default();
                meta_args.insert(k.clone(), val);
            }
            let from = ctx.report.steps.len();
            ctx.report
                .steps
                .push(config_only(&ins.original, scratch().id.clone()));
            label_steps(ctx, lines, from, &None, ins.line);
        }
    }
    let mut plans: Vec<Plan> = Vec::new();
    let rest = &df.instructions[first_from..];
    let mut i = 0;
    while i < rest.len() {
        let end = rest[i + 1..]
            .iter()
            .position(|x| matches!(x.kind, InstructionKind::From { .. }))
            .map_or(rest.len(), |p| i + 1 + p);
        if let InstructionKind::From {
            image,
            alias,
            platform,
        } = &rest[i].kind
        {
            let lookup = |k: &str| {
                meta_args
                    .get(k)
                    .cloned()
                    .or_else(|| automatic_platform_arg(ctx, k))
            };
            let platform = match platform {
                Some(p) => {
                    let value =
                        dockerfile::try_expand(p, escape, &lookup).unwrap_or_else(|_| p.clone());
                    match Platform::parse(&value) {
                        Ok(p) => Some(p),
                        Err(error) => {
                            ctx.report.error = Some(BuildFailure::StagePlatform { value, error });
                            return Err(1);
                        }
                    }
                }
                None => None,
            };
            plans.push(Plan {
                from: &rest[i],
                base: dockerfile::try_expand(image, escape, &lookup)
                    .unwrap_or_else(|_| image.clone()),
                name: alias.clone(),
                platform,
                body: &rest[i + 1..end],
            });
        }
        i = end;
    }
    if plans.is_empty() {
        return Err(1);
    }
    let target = match &ctx.b.target {
        None => plans.len() - 1,
        Some(t) => match plans
            .iter()
            .position(|p| p.name.as_deref() == Some(t.to_lowercase().as_str()))
        {
            Some(i) => i,
            None => {
                ctx.report.error = Some(BuildFailure::UnknownTarget(t.clone()));
                return Err(1);
            }
        },
    };
    let legacy = ctx.b.legacy;
    let wanted = if legacy {
        (0..plans.len()).map(|i| i <= target).collect()
    } else {
        reachable(&plans, target)
    };
    // The legacy builder counts the meta ARGs and every instruction of the stages up to the target.
    ctx.report.total = ctx.report.steps.len()
        + plans[..=target]
            .iter()
            .map(|p| 1 + p.body.len())
            .sum::<usize>();
    // BuildKit names stages only when the Dockerfile has several: `builder`, or `stage-N` for an unnamed one.
    let label = |i: usize| -> Option<String> {
        (plans.len() > 1).then(|| plans[i].name.clone().unwrap_or(format!("stage-{i}")))
    };
    // BuildKit resolves every base it needs before any step runs (`[internal] load metadata for …`).
    let mut bases: Vec<Option<Base>> = (0..plans.len()).map(|_| None).collect();
    let target_platform = ctx.platform.clone();
    if !legacy {
        for (i, p) in plans.iter().enumerate() {
            if wanted[i] {
                ctx.platform = p.platform.clone().unwrap_or(target_platform.clone());
                bases[i] = Some(resolve_base(ctx, &plans, i, &p.base)?);
            }
        }
    }
    let mut built: Vec<Stage> = Vec::new();
    let mut shown_bases: Vec<(String, Digest)> = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        if !wanted[i] {
            continue;
        }
        let stage_label = label(i);
        // A cache miss rebuilds the rest of its own stage only: another stage starts from its own base.
        ctx.no_cache_from_here = ctx.b.no_cache;
        ctx.platform = p.platform.clone().unwrap_or(target_platform.clone());
        let from = ctx.report.steps.len();
        let base = match bases[i].take() {
            Some(b) => b,
            None => match resolve_base(ctx, &plans, i, &p.base) {
                Ok(b) => b,
                Err(code) => {
                    label_steps(ctx, lines, from, &stage_label, p.from.line);
                    return Err(code);
                }
            },
        };
        let state = match base {
            Base::Stage(j) => {
                let Some(s) = built.iter().find(|s| s.index == j) else {
                    return Err(1);
                };
                ctx.report.steps.push(BuildStep {
                    instruction: p.from.original.clone(),
                    vertex: false,
                    cached: true,
                    output: vec![],
                    image_after: s.state.id.clone(),
                    tenths: 0,
                    stage: None,
                    from: None,
                    merged: false,
                });
                s.state.clone()
            }
            Base::Scratch => {
                ctx.report.base = Some(BaseSource::Scratch);
                let s = Arc::new((*scratch()).clone().with_platform(ctx.platform.clone()));
                ctx.report.steps.push(BuildStep {
                    instruction: p.from.original.clone(),
                    vertex: false,
                    cached: false,
                    output: vec![],
                    image_after: s.id.clone(),
                    tenths: 0,
                    stage: None,
                    from: Some(BaseSource::Scratch),
                    merged: false,
                });
                s
            }
            Base::Image { image, source } => {
                let source = *source;
                let reference = match &source {
                    BaseSource::Local { reference, .. } | BaseSource::Remote { reference, .. } => {
                        reference.clone()
                    }
                    BaseSource::Scratch => String::new(),
                };
                let key = (reference, image.id.clone());
                let merged = !legacy && shown_bases.contains(&key);
                shown_bases.push(key);
                ctx.report.base = Some(source.clone());
                ctx.report.steps.push(BuildStep {
                    instruction: p.from.original.clone(),
                    vertex: true,
                    cached: false,
                    output: vec![],
                    image_after: image.id.clone(),
                    tenths: 0,
                    stage: None,
                    from: Some(source),
                    merged,
                });
                image
            }
        };
        label_steps(ctx, lines, from, &stage_label, p.from.line);
        let mut stage = Stage {
            index: i,
            name: p.name.clone(),
            key: state.id.clone(),
            state,
            shell: vec![],
            args: BTreeMap::new(),
        };
        for ins in p.body {
            let from = ctx.report.steps.len();
            let r = step(ctx, &mut stage, ins, &global_args, &built, escape);
            label_steps(ctx, lines, from, &stage_label, ins.line);
            r?;
        }
        built.push(stage);
    }
    let last = built.pop().ok_or(1)?;
    Ok((*last.state).clone())
}

fn config_only(instruction: &str, after: Digest) -> BuildStep {
    BuildStep {
        instruction: instruction.to_string(),
        vertex: false,
        cached: false,
        output: vec![],
        image_after: after,
        tenths: 0,
        stage: None,
        from: None,
        merged: false,
    }
}

/// Resolves what stage `i`'s `FROM` names: an earlier stage, `scratch`, a local image, or a registry's.
fn resolve_base(ctx: &mut Ctx, plans: &[Plan], i: usize, image: &str) -> Result<Base, i32> {
    if let Some(j) = stage_named(plans, image, i, false) {
        return Ok(Base::Stage(j));
    }
    let lower = image.to_lowercase();
    if lower == "scratch" {
        return Ok(Base::Scratch);
    }
    let r = match ImageRef::parse(image) {
        Ok(r) => r.with_default_tag(),
        Err(error) => {
            ctx.report.error = Some(BuildFailure::Step(StepFailure::BadStageName {
                image: image.to_string(),
                error,
            }));
            return Err(1);
        }
    };
    ctx.report.base_reference = Some(r.full());
    if !ctx.report.metadata.contains(&r.full()) {
        ctx.report.metadata.push(r.full());
    }
    // A local image of another platform is not this build's base: it is resolved from its registry. A
    // `docker-container` builder sees no image of the machine's store at all.
    let local = ctx.world.machines[ctx.host]
        .images
        .lookup(image)
        .map(|s| s.image.clone())
        .filter(|i| i.platform.matches(&ctx.platform) && !ctx.runner.isolated);
    match local {
        Some(img) if !ctx.b.pull => Ok(Base::Image {
            source: Box::new(BaseSource::Local {
                image: img.id.clone(),
                reference: r.full(),
            }),
            image: img,
        }),
        _ => match remote_base(ctx, &r) {
            Ok((image, source)) => Ok(Base::Image {
                image,
                source: Box::new(source),
            }),
            Err(code) => {
                ctx.report.metadata_failed = true;
                Err(code)
            }
        },
    }
}

/// Fetches a base image from its registry: into BuildKit's cache, or (legacy) into the image store.
fn remote_base(ctx: &mut Ctx, r: &ImageRef) -> Result<(Arc<Image>, BaseSource), i32> {
    if ctx.b.legacy {
        let mut sink = Outcome::default();
        return match distribution::pull_for(
            ctx.world,
            ctx.host,
            r,
            Some(&ctx.platform),
            &mut sink,
            false,
        ) {
            Ok(id) => {
                let pull = sink.events.into_iter().find_map(|e| match e {
                    Event::Pull(p) => Some(p),
                    _ => None,
                });
                let img = ctx.world.machines[ctx.host].images.images[&id]
                    .image
                    .clone();
                let source = BaseSource::Remote {
                    reference: r.full(),
                    digest: img.manifest_digest(),
                    blobs: vec![],
                    pull,
                };
                Ok((img, source))
            }
            Err(e) => {
                ctx.report.error = Some(BuildFailure::Step(StepFailure::BasePull(e)));
                Err(1)
            }
        };
    }
    let user = ctx.world.machines[ctx.host].logins.get(r.domain()).cloned();
    let fetched = distribution::locate(ctx.world, ctx.host, r.domain(), Transfer::Pull)
        .map_err(StepFailure::BasePull)
        .and_then(|at| {
            if let distribution::RegistryAccess::Remote(_) = at {
                return distribution::resolve_base(
                    ctx.world,
                    &at,
                    user.as_deref(),
                    r,
                    &ctx.platform,
                );
            }
            let reg = at.simulated(ctx.world);
            let denied = || StepFailure::BaseDenied {
                reference: r.clone(),
            };
            let reg = reg.ok_or_else(denied)?;
            let tag = r.tag().unwrap_or("latest");
            if !reg.can_read(user.as_deref(), r.path()) || !reg.repos.contains_key(r.path()) {
                return Err(denied());
            }
            match reg.resolve(r.path(), tag) {
                Some((d, m)) => match m.for_platform(&ctx.platform) {
                    Some(image) => Ok((d.clone(), image.clone())),
                    None => Err(StepFailure::BaseNoPlatform {
                        reference: r.clone(),
                    }),
                },
                None => Err(StepFailure::BaseNotFound {
                    reference: r.clone(),
                }),
            }
        });
    match fetched {
        Ok((digest, image)) => {
            let m = ctx.world.machine(ctx.host);
            // Keyed by the member's manifest: a base fetched for one platform is not cached for another.
            let member = image.manifest_digest();
            let cached = m.base_cache.contains_key(&member);
            let blobs = image
                .layers
                .iter()
                .map(|l| (l.blob.clone(), l.compressed_size(), cached))
                .collect();
            m.base_cache.insert(member, image.clone());
            m.remember_sources(r.domain(), r.path(), &image.layers);
            let source = BaseSource::Remote {
                reference: r.full(),
                digest,
                blobs,
                pull: None,
            };
            Ok((image, source))
        }
        Err(failure) => {
            ctx.report.error = Some(BuildFailure::Step(failure));
            Err(1)
        }
    }
}

fn env_lookup(state: &Image, args: &BTreeMap<String, String>, k: &str) -> Option<String> {
    state
        .config
        .env
        .iter()
        .rev()
        .find_map(|e| {
            e.split_once('=')
                .filter(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
        .or_else(|| args.get(k).cloned())
}

/// One instruction after FROM.
fn step(
    ctx: &mut Ctx,
    stage: &mut Stage,
    ins: &dockerfile::Instruction,
    global_args: &BTreeMap<String, String>,
    stages: &[Stage],
    escape: char,
) -> Result<(), i32> {
    let now = ctx.world.now;
    let parent = stage.state.clone();
    let args_snapshot = stage.args.clone();
    let too_long: std::cell::RefCell<Option<LimitExceeded>> = std::cell::RefCell::new(None);
    let expand = |w: &str| {
        let lookup = |k: &str| env_lookup(&parent, &args_snapshot, k);
        match dockerfile::expand_bounded(w, escape, &lookup) {
            Ok(v) => v,
            Err(dockerfile::ExpandError::TooLong(limit)) => {
                too_long.borrow_mut().get_or_insert(limit);
                String::new()
            }
            Err(dockerfile::ExpandError::Invalid(_)) => w.to_string(),
        }
    };
    let mut config = parent.config.clone();
    let mut files = parent.files.clone();
    let mut programs = parent.programs.clone();
    let mut layer: Option<(Digest, u64)> = None;
    let mut history_text = ins.original.clone();
    let mut vertex = false;
    let mut output: Vec<String> = Vec::new();
    // The two builders record different history, so their results are different images: keep their caches
    // apart.
    let mut key_extra: Vec<u8> = if ctx.b.legacy {
        b"legacy-builder".to_vec()
    } else {
        Vec::new()
    };
    let legacy = ctx.b.legacy;
    // RUN and COPY/ADD look at the cache before doing their work; the other steps look here at the end.
    let mut checked_key: Option<Digest> = None;
    match &ins.kind {
        InstructionKind::Run(form) => {
            vertex = true;
            let argv = form.to_argv(&stage.shell);
            let cmd_text = argv.join(" ");
            history_text = if legacy {
                cmd_text.clone()
            } else {
                format!("RUN {cmd_text} # buildkit")
            };
            for e in &config.env {
                key_extra.extend_from_slice(e.as_bytes());
            }
            for (k, v) in &stage.args {
                key_extra.extend_from_slice(format!("{k}={v}").as_bytes());
            }
            let key = step_key(&stage.key, &ins.original, &key_extra);
            if !try_cache(ctx, stage, &key, &ins.original, true) {
                // Build arguments are environment variables of the RUN process (not of the image).
                let mut run_config = config.clone();
                for (k, v) in &stage.args {
                    if !run_config
                        .env
                        .iter()
                        .any(|e| e.split_once('=').map(|p| p.0) == Some(k))
                    {
                        run_config.env.push(format!("{k}={v}"));
                    }
                }
                let result = run_command(&argv, &parent, &run_config);
                if result.is_ok() {
                    let written = shell_writes(&argv, &run_config);
                    if !written.is_empty() {
                        let mut f = (*files).clone();
                        for (path, bytes) in written {
                            f.insert(
                                path.into(),
                                FileBytes::from(bytes.into_bytes().into_boxed_slice()),
                            );
                        }
                        files = Arc::new(f);
                    }
                }
                match result {
                    Ok(lines) => output = lines,
                    Err((code, lines, missing)) => {
                        let lines_for_container = lines.clone();
                        let failure = match missing {
                            Some(program) => StepFailure::RunNotFound { program },
                            None => StepFailure::RunExit {
                                command: cmd_text.clone(),
                                code,
                            },
                        };
                        ctx.report.steps.push(BuildStep {
                            instruction: ins.original.clone(),
                            vertex: true,
                            cached: false,
                            output: lines,
                            image_after: parent.id.clone(),
                            tenths: tenths_for(&key, 3, 5),
                            stage: None,
                            from: None,
                            merged: false,
                        });
                        if ctx.b.legacy {
                            leave_failed_container(ctx, &parent, &argv, code, &lines_for_container);
                        }
                        ctx.report.error = Some(BuildFailure::Step(failure));
                        return Err(if ctx.b.legacy { code } else { 1 });
                    }
                }
                let installed = installed_programs(&cmd_text);
                if !installed.is_empty() {
                    let mut p = (*programs).clone();
                    p.extend(installed);
                    programs = Arc::new(p);
                }
                layer = Some((
                    Digest::of_parts(&[b"run-layer", key.as_str().as_bytes()]),
                    run_layer_size(&cmd_text, &key),
                ));
                checked_key = Some(key);
            } else {
                return Ok(());
            }
        }
        InstructionKind::Copy { sources, dest, .. }
        | InstructionKind::Add { sources, dest, .. } => {
            vertex = true;
            let from_stage = match &ins.kind {
                InstructionKind::Copy { from: Some(f), .. } => Some(f.to_lowercase()),
                _ => None,
            };
            let dest = expand(dest);
            let dest_abs = if dest.starts_with('/') {
                dest.clone()
            } else {
                let wd = if config.working_dir.is_empty() {
                    "/".to_string()
                } else {
                    config.working_dir.clone()
                };
                format!("{}/{}", wd.trim_end_matches('/'), dest)
            };
            let dest_is_dir =
                dest.ends_with('/') || dest == "." || dest.ends_with("/.") || sources.len() > 1;
            let dest_abs = format!("/{}", clean(&dest_abs).unwrap_or_default());
            let mut copied: Vec<(String, FileBytes)> = Vec::new();
            for src in sources {
                let src = expand(src);
                let picked = match &from_stage {
                    Some(name) => copy_from_stage(stages, name, &src),
                    None => copy_from_context(ctx, &src),
                };
                match picked {
                    Ok(list) => {
                        let single_file = list.len() == 1 && list[0].0.is_empty();
                        for (rel, bytes) in list {
                            let target = if single_file {
                                if dest_is_dir || dest_abs.ends_with('/') {
                                    format!(
                                        "{}/{}",
                                        dest_abs.trim_end_matches('/'),
                                        src.rsplit('/').next().unwrap_or(&src)
                                    )
                                } else {
                                    dest_abs.clone()
                                }
                            } else {
                                format!("{}/{}", dest_abs.trim_end_matches('/'), rel)
                            };
                            copied
                                .push((format!("/{}", clean(&target).unwrap_or_default()), bytes));
                        }
                    }
                    Err(failure) => {
                        ctx.report.steps.push(BuildStep {
                            instruction: ins.original.clone(),
                            vertex: true,
                            cached: false,
                            output: vec![],
                            image_after: parent.id.clone(),
                            tenths: 0,
                            stage: None,
                            from: None,
                            merged: false,
                        });
                        ctx.report.error = Some(BuildFailure::Step(failure));
                        return Err(1);
                    }
                }
            }
            let single_source_file = sources.len() == 1 && copied.len() == 1;
            copied.sort_by(|a, b| a.0.cmp(&b.0));
            for (path, bytes) in &copied {
                key_extra.extend_from_slice(path.as_bytes());
                key_extra.extend_from_slice(Digest::of(bytes).as_str().as_bytes());
            }
            let key = step_key(&stage.key, &ins.original, &key_extra);
            if try_cache(ctx, stage, &key, &ins.original, true) {
                return Ok(());
            }
            let mut f = (*files).clone();
            let mut size = 0;
            for (path, bytes) in copied {
                size += bytes.len() as u64;
                f.insert(path.into(), bytes);
            }
            files = Arc::new(f);
            history_text = if legacy {
                let kind = if single_source_file { "file" } else { "dir" };
                format!(
                    "/bin/sh -c #(nop) {} {kind}:{} in {dest} ",
                    ins.kind.name(),
                    key.hex()
                )
            } else {
                format!("{} # buildkit", ins.original)
            };
            layer = Some((
                Digest::of_parts(&[b"copy-layer", key.as_str().as_bytes()]),
                size,
            ));
            checked_key = Some(key);
        }
        InstructionKind::Workdir(dir) => {
            vertex = true;
            let dir = expand(dir);
            config.working_dir = if dir.starts_with('/') {
                dir
            } else {
                format!(
                    "{}/{}",
                    if config.working_dir.is_empty() {
                        ""
                    } else {
                        config.working_dir.trim_end_matches('/')
                    },
                    dir
                )
            };
            history_text = format!("WORKDIR {}", config.working_dir);
            if legacy {
                // The legacy builder commits the container that made the folder: a (0B) layer, so
                // FROM / WORKDIR / COPY / CMD gives three layers there (checked with the oracle).
                let key = step_key(&stage.key, &ins.original, &key_extra);
                layer = Some((
                    Digest::of_parts(&[b"workdir-layer", key.as_str().as_bytes()]),
                    0,
                ));
            }
        }
        InstructionKind::Env(pairs) => {
            let mut shown = Vec::new();
            for (k, v) in pairs {
                let entry = format!("{k}={}", expand(v));
                shown.push(entry.clone());
                crate::model::image::set_env(&mut config.env, entry);
            }
            history_text = format!("ENV {}", shown.join(" "));
        }
        InstructionKind::Label(pairs) => {
            for (k, v) in pairs {
                config.labels.insert(expand(k), expand(v));
            }
        }
        InstructionKind::Expose(ports) => {
            for p in ports {
                let p = expand(p);
                let p = if p.contains('/') {
                    p
                } else {
                    format!("{p}/tcp")
                };
                config.exposed_ports.insert(p);
            }
            let shown: Vec<String> = config
                .exposed_ports
                .iter()
                .map(|p| format!("{p}:{{}}"))
                .collect();
            history_text = format!("EXPOSE map[{}]", shown.join(" "));
        }
        InstructionKind::Cmd(form) => {
            let argv = form.to_argv(&stage.shell);
            history_text = format!("CMD {}", json_list(&argv));
            config.cmd = Some(argv);
        }
        InstructionKind::Entrypoint(form) => {
            let argv = form.to_argv(&stage.shell);
            history_text = format!("ENTRYPOINT {}", json_list(&argv));
            config.entrypoint = Some(argv);
            config.cmd = None;
        }
        InstructionKind::User(u) => config.user = expand(u),
        InstructionKind::Arg(list) => {
            for (k, v) in list {
                let val = global_args
                    .get(k)
                    .cloned()
                    .or_else(|| v.clone())
                    .unwrap_or_default();
                stage.args.insert(k.clone(), val);
            }
        }
        InstructionKind::StopSignal(s) => config.stop_signal = Some(expand(s)),
        InstructionKind::Volume(paths) => config.volumes.extend(paths.iter().map(|p| expand(p))),
        InstructionKind::Shell(argv) => stage.shell = argv.clone(),
        _ => {}
    }
    if let Some(limit) = too_long.into_inner() {
        ctx.limit = Some(limit);
        return Err(1);
    }
    if config_bytes(&config) > MAX_CONFIG_BYTES {
        ctx.limit = Some(LimitExceeded::Config);
        return Err(1);
    }
    if legacy {
        history_text = match &ins.kind {
            InstructionKind::Run(_)
            | InstructionKind::Copy { .. }
            | InstructionKind::Add { .. } => history_text,
            InstructionKind::Workdir(_) => {
                format!("/bin/sh -c #(nop) WORKDIR {}", config.working_dir)
            }
            InstructionKind::Expose(ports) => {
                format!("/bin/sh -c #(nop)  EXPOSE {}", ports.join(" "))
            }
            _ => format!("/bin/sh -c #(nop)  {history_text}"),
        };
    }
    let key = match checked_key {
        Some(key) => key,
        None => {
            let key = step_key(&stage.key, &ins.original, &key_extra);
            if try_cache(ctx, stage, &key, &ins.original, vertex) {
                return Ok(());
            }
            key
        }
    };
    commit(
        ctx,
        stage,
        ins,
        key,
        config,
        files,
        programs,
        layer,
        history_text,
        output,
        vertex,
        now,
    )
}

/// Bytes of `ENV` and `LABEL` text an image configuration carries.
fn config_bytes(config: &ImageConfig) -> usize {
    config.env.iter().map(String::len).sum::<usize>()
        + config
            .labels
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
}

/// The cache key of a step: parent state, instruction, and whatever else feeds it.
fn step_key(parent: &Digest, instruction: &str, extra: &[u8]) -> Digest {
    Digest::of_parts(&[
        b"build-step",
        parent.as_str().as_bytes(),
        instruction.as_bytes(),
        extra,
    ])
}

/// Uses the cached result of a step when the cache has it (and `--no-cache` is off).
fn try_cache(
    ctx: &mut Ctx,
    stage: &mut Stage,
    key: &Digest,
    instruction: &str,
    vertex: bool,
) -> bool {
    if ctx.no_cache_from_here {
        return false;
    }
    let m = &ctx.world.machines[ctx.host];
    // The legacy builder's cache is its intermediate images: once `rmi` removed them, the step runs again.
    let hit = m
        .build_cache
        .get(key)
        .filter(|h| !ctx.b.legacy || m.images.images.contains_key(&h.state.id))
        .cloned();
    let Some(hit) = hit else {
        ctx.no_cache_from_here = true;
        return false;
    };
    stage.state = hit.state.clone();
    stage.key = key.clone();
    ctx.report.steps.push(BuildStep {
        instruction: instruction.to_string(),
        vertex,
        cached: true,
        output: vec![],
        image_after: hit.state.id.clone(),
        tenths: 0,
        stage: None,
        from: None,
        merged: false,
    });
    true
}

/// Records a step's new state (and caches it).
#[allow(clippy::too_many_arguments)]
fn commit(
    ctx: &mut Ctx,
    stage: &mut Stage,
    ins: &dockerfile::Instruction,
    key: Digest,
    config: ImageConfig,
    files: Arc<Files>,
    programs: Arc<BTreeSet<String>>,
    layer: Option<(Digest, u64)>,
    history_text: String,
    output: Vec<String>,
    vertex: bool,
    now: u64,
) -> Result<(), i32> {
    let parent = stage.state.clone();
    if ctx.b.legacy && layer.is_some() && parent.layers.len() >= MAX_LAYER_DEPTH {
        // The daemon's layer store refuses a 126th layer on one chain (moby `layer/layer_store.go`).
        ctx.report.steps.push(BuildStep {
            instruction: ins.original.clone(),
            vertex,
            cached: false,
            output,
            image_after: parent.id.clone(),
            tenths: 0,
            stage: None,
            from: None,
            merged: false,
        });
        ctx.report.error = Some(BuildFailure::Step(StepFailure::MaxDepthExceeded));
        return Err(1);
    }
    let mut layers = parent.layers.clone();
    let mut history = parent.history.clone();
    let size = layer.as_ref().map_or(0, |l| l.1);
    if let Some((diff_id, size)) = layer.clone() {
        layers.push(Layer::new(diff_id, size));
    }
    let metadata_only = matches!(ins.kind, InstructionKind::Arg(_)) && !vertex;
    if !metadata_only || !stage.args.is_empty() {
        history.push(HistoryEntry {
            created: now,
            created_by: history_text,
            empty_layer: layer.is_none(),
            comment: if ctx.b.legacy {
                String::new()
            } else {
                "buildkit.dockerfile.v0".into()
            },
            size,
        });
    }
    let image = Arc::new(
        image_from(config, layers, history, files, programs).with_platform(ctx.platform.clone()),
    );
    if ctx.b.legacy {
        // Every legacy step commits an image whose parent is the previous step's.
        ctx.world
            .machine(ctx.host)
            .images
            .insert_child(image.clone(), Some(&parent.id));
    }
    ctx.world.machine(ctx.host).build_cache.insert(
        key.clone(),
        CachedStep {
            state: image.clone(),
        },
    );
    ctx.no_cache_from_here = true;
    ctx.report.steps.push(BuildStep {
        instruction: ins.original.clone(),
        vertex,
        cached: false,
        output,
        image_after: image.id.clone(),
        tenths: if vertex {
            tenths_for(
                &key,
                if layer.is_some() && size > 1_000_000 {
                    14
                } else {
                    1
                },
                9,
            )
        } else {
            0
        },
        stage: None,
        from: None,
        merged: false,
    });
    stage.state = image;
    stage.key = key;
    Ok(())
}

/// The legacy builder runs RUN in a container; when the command fails, that container stays behind.
fn leave_failed_container(
    ctx: &mut Ctx,
    parent: &Arc<Image>,
    argv: &[String],
    code: i32,
    lines: &[String],
) {
    use crate::model::container::{Container, LogLine, State, Stream};
    let now = ctx.world.now;
    let id = ctx.world.new_shared_id(ctx.host);
    let name = ctx.world.new_container_name(ctx.host);
    let container = Container {
        id,
        name: name.into(),
        image: parent.id.clone(),
        image_data: parent.clone(),
        image_ref: Arc::new(crate::reference::ImageArg::new(parent.id.short())),
        cmdline: Arc::new(crate::model::container::Cmdline::from_argv(argv)),
        created: now,
        state: State::Exited {
            code,
            started: now,
            finished: now,
        },
        auto_remove: false,
        interactive: false,
        tty: false,
        logs: lines
            .iter()
            .map(|l| LogLine {
                stream: Stream::Stdout,
                text: l.clone(),
            })
            .collect(),
        seq: 0,
        registry: None,
        networks: Default::default(),
        rare: Default::default(),
    };
    ctx.world.machine(ctx.host).add_container(container);
}

/// Files a RUN's shell script writes with `echo … > FILE` (or `>>`), so a later `COPY --from` finds them.
fn shell_writes(argv: &[String], config: &ImageConfig) -> Vec<(String, String)> {
    let script = match argv {
        [sh, c, script, ..] if sh.ends_with("sh") && c == "-c" => script,
        _ => return Vec::new(),
    };
    let var = |name: &str| {
        config
            .env
            .iter()
            .rev()
            .find_map(|e| e.split_once('=').filter(|(k, _)| *k == name).map(|p| p.1))
            .unwrap_or("")
            .to_string()
    };
    let expand = |text: &str| {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '$' {
                out.push(c);
                continue;
            }
            let braced = chars.peek() == Some(&'{');
            if braced {
                chars.next();
            }
            let mut name = String::new();
            while let Some(&n) = chars
                .peek()
                .filter(|n| n.is_ascii_alphanumeric() || **n == '_')
            {
                name.push(n);
                chars.next();
            }
            if braced && chars.peek() == Some(&'}') {
                chars.next();
            }
            out.push_str(&var(&name));
        }
        out
    };
    let workdir = if config.working_dir.is_empty() {
        "/".to_string()
    } else {
        config.working_dir.clone()
    };
    let mut written: Vec<(String, String)> = Vec::new();
    for segment in script.split("&&").flat_map(|s| s.split(';')) {
        let (append, pos) = match (segment.find(">>"), segment.find('>')) {
            (Some(p), _) => (true, p),
            (None, Some(p)) => (false, p),
            _ => continue,
        };
        if segment[..pos].ends_with('2') {
            continue;
        }
        let left = segment[..pos].trim();
        let target = segment[pos + if append { 2 } else { 1 }..].trim();
        let Some(words) = left.strip_prefix("echo ") else {
            continue;
        };
        let Some(target) = target
            .split_whitespace()
            .next()
            .filter(|t| !t.starts_with("/dev/"))
        else {
            continue;
        };
        let text = expand(words.trim().trim_matches(|c| c == '"' || c == '\''));
        let path = if target.starts_with('/') {
            target.to_string()
        } else {
            format!("{}/{}", workdir.trim_end_matches('/'), target)
        };
        let path = format!("/{}", clean(&path).unwrap_or_default());
        let line = format!("{text}\n");
        match written.iter_mut().find(|(p, _)| *p == path) {
            Some((_, body)) if append => body.push_str(&line),
            Some((_, body)) => *body = line,
            None => written.push((path, line)),
        }
    }
    written
}

/// Runs a RUN command in the image built so far. Errors carry (exit code, output, the program when the
/// runtime could not find it).
fn run_command(
    argv: &[String],
    image: &Image,
    config: &ImageConfig,
) -> Result<Vec<String>, (i32, Vec<String>, Option<String>)> {
    let text = argv.join(" ");
    if let Some(program) = argv.first()
        && !image
            .programs
            .contains(program.rsplit('/').next().unwrap_or(program))
        && !image.files.contains_key(program.as_str())
    {
        return Err((127, vec![], Some(program.clone())));
    }
    if let Some(lines) = known_run_output(&text) {
        return Ok(lines);
    }
    match behaviour(argv, image, &config.env, &config.working_dir, false) {
        Behaviour::Exits { code: 0, output } => Ok(output.into_iter().map(|l| l.text).collect()),
        Behaviour::Exits { code, output } => {
            Err((code, output.into_iter().map(|l| l.text).collect(), None))
        }
        Behaviour::Runs { output, .. } => Ok(output.into_iter().map(|l| l.text).collect()),
        Behaviour::Missing { executable } => {
            Err((127, vec![format!("/bin/sh: {executable}: not found")], None))
        }
    }
}

type CopyResult = Result<Vec<(String, FileBytes)>, StepFailure>;

/// Files a COPY source names in the build context: (path relative to the source, bytes). A single file
/// gives one entry with an empty relative path.
fn copy_from_context(ctx: &Ctx, src: &str) -> CopyResult {
    let files = &ctx.world.machines[ctx.host].files;
    let context = Digest::of(ctx.context_dir.as_bytes());
    let not_found = |shown: &str| StepFailure::CopyNotFound {
        src: src.to_string(),
        shown: shown.to_string(),
        context: context.clone(),
    };
    let Some(rel) = clean(src) else {
        // BuildKit resolves `..` inside the context root; the legacy builder refuses it.
        let inside = src
            .split('/')
            .filter(|p| !p.is_empty() && *p != "." && *p != "..")
            .collect::<Vec<_>>()
            .join("/");
        return Err(StepFailure::CopyOutside {
            src: src.to_string(),
            shown: inside,
            context,
        });
    };
    let full = match (ctx.context_dir.is_empty(), rel.is_empty()) {
        (true, _) => rel.clone(),
        (false, true) => ctx.context_dir.clone(),
        (false, false) => format!("{}/{}", ctx.context_dir, rel),
    };
    let excluded = |k: &str| ignored(&ctx.ignore, &ctx.context_dir, k);
    if let Some(bytes) = files.get(full.as_str()).filter(|_| !excluded(&full)) {
        return Ok(vec![(String::new(), bytes.clone())]);
    }
    let prefix_len = if full.is_empty() { 0 } else { full.len() + 1 };
    let list: Vec<(String, FileBytes)> = under(files, &full)
        .filter(|(k, _)| !k.ends_with(".dockerignore") && !excluded(k))
        .map(|(k, v)| (k[prefix_len.min(k.len())..].to_string(), v.clone()))
        .collect();
    if list.is_empty() {
        return Err(not_found(&rel));
    }
    Ok(list)
}

fn copy_from_stage(stages: &[Stage], name: &str, src: &str) -> CopyResult {
    let stage = stages
        .iter()
        .find(|s| s.name.as_deref() == Some(name) || s.index.to_string() == name);
    let Some(stage) = stage else {
        return Err(StepFailure::UnknownStage {
            name: name.to_string(),
        });
    };
    let files = &stage.state.files;
    if let Some(bytes) = files.get(src) {
        return Ok(vec![(String::new(), bytes.clone())]);
    }
    let prefix = format!("{}/", src.trim_end_matches('/'));
    let list: Vec<(String, FileBytes)> = files
        .iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(k, v)| (k[prefix.len()..].to_string(), v.clone()))
        .collect();
    if list.is_empty() {
        return Err(StepFailure::StageFileNotFound {
            src: src.to_string(),
        });
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Input;

    fn build_report(dockerfile: &str, line: &str) -> (BuildReport, i32) {
        let mut world = World::new();
        world
            .machine("default")
            .files
            .insert("Dockerfile".into(), dockerfile.as_bytes().into());
        let out = crate::engine::run_test_line(&mut world, line);
        let report = out.events.iter().find_map(|e| match e {
            Event::Build(r) => Some((**r).clone()),
            _ => None,
        });
        (report.expect("a build report"), out.exit_code)
    }

    const TWO_STAGES: &str = "FROM busybox AS builder\nRUN echo built > /out.txt\n\
        FROM alpine AS unused\nRUN echo never > /n\n\
        FROM busybox\nCOPY --from=builder /out.txt /\n";

    #[test]
    fn legacy_labels_are_steps_at_the_end_of_the_built_stage_in_key_order() {
        let (r, code) = build_report(
            TWO_STAGES,
            "DOCKER_BUILDKIT=0 docker build --label z=1 --label a=2 --target builder -t app .",
        );
        assert_eq!(code, 0);
        let steps: Vec<&str> = r.steps.iter().map(|s| s.instruction.as_str()).collect();
        assert_eq!(
            steps,
            [
                "FROM busybox AS builder",
                "RUN echo built > /out.txt",
                "LABEL a=2",
                "LABEL z=1"
            ]
        );
        assert_eq!(r.total, 4);
    }

    #[test]
    fn buildkit_labels_go_on_the_exported_image_without_a_step() {
        let mut world = World::new();
        let m = world.machine("default");
        m.files
            .insert("Dockerfile".into(), b"FROM busybox\n"[..].into());
        let out = crate::engine::run_test_line(
            &mut world,
            "docker build --label team=web --label team=api -t app .",
        );
        assert_eq!(out.exit_code, 0);
        let m = &world.machines["default"];
        let image = m.images.lookup("app").expect("tagged");
        assert_eq!(
            image.image.config.labels.get("team").map(String::as_str),
            Some("api"),
            "the last value of a repeated key wins"
        );
    }

    #[test]
    fn buildkit_iidfile_gets_the_image_id_without_a_newline() {
        let mut world = World::new();
        let m = world.machine("default");
        m.files
            .insert("Dockerfile".into(), b"FROM busybox\n"[..].into());
        let out =
            crate::engine::run_test_line(&mut world, "docker build --iidfile ./id.txt -t app .");
        assert_eq!(out.exit_code, 0);
        let m = &world.machines["default"];
        let id = m
            .images
            .lookup("app")
            .expect("tagged")
            .image
            .id
            .as_str()
            .to_string();
        assert_eq!(
            m.files.get("id.txt").map(|b| b.to_vec()),
            Some(id.into_bytes())
        );
    }

    #[test]
    fn build_flags_that_export_or_push_are_not_simulated() {
        for flag in ["--output=out", "--metadata-file=m.json", "--secret=id=x"] {
            let words: Vec<String> = ["build", flag, "-t", "app", "."]
                .iter()
                .map(|w| w.to_string())
                .collect();
            let inv = crate::command::parse(&words, &[]).expect("parses");
            assert!(
                matches!(inv.command, crate::command::Command::NotSimulated { .. }),
                "{flag}"
            );
        }
    }

    /// `--push` is simulated on a `docker-container` builder only: the default builder's moby exporter
    /// push is not, and says so (exit 1, nothing built).
    #[test]
    fn push_with_the_default_builder_is_not_simulated() {
        let mut world = World::new();
        world
            .machine("default")
            .files
            .insert("Dockerfile".into(), (&b"FROM alpine\n"[..]).into());
        let out = crate::engine::run_test_line(&mut world, "docker build --push -t alice/x .");
        assert_eq!(out.exit_code, 1);
        assert!(
            out.events
                .iter()
                .any(|e| matches!(e, Event::Note(crate::event::Note::NotSimulated { .. })))
        );
        assert!(world.machines["default"].images.lookup("alice/x").is_none());
    }

    #[test]
    fn buildkit_builds_only_the_stages_the_target_needs() {
        let (r, code) = build_report(TWO_STAGES, "docker build -t app .");
        assert_eq!(code, 0);
        let stages: Vec<Option<&str>> = r.steps.iter().map(|s| s.stage.as_deref()).collect();
        assert_eq!(
            stages,
            [
                Some("builder"),
                Some("builder"),
                Some("stage-2"),
                Some("stage-2")
            ]
        );
        // One metadata load per distinct base; alpine (only the unused stage's) is never resolved.
        assert_eq!(r.metadata, ["docker.io/library/busybox:latest"]);
        // The second FROM busybox is the same vertex as the first.
        assert!(!r.steps[0].merged && r.steps[2].merged && r.steps[2].vertex);
    }

    #[test]
    fn legacy_builds_every_stage_up_to_the_target() {
        let (r, code) = build_report(
            TWO_STAGES,
            "DOCKER_BUILDKIT=0 docker build --target unused .",
        );
        assert_eq!(code, 0);
        assert_eq!(r.total, 4);
        assert_eq!(r.steps.len(), 4);
        assert!(r.steps.iter().all(|s| !s.merged));
    }

    #[test]
    fn a_single_stage_has_no_prefix_and_an_unknown_target_fails() {
        let (r, _) = build_report("FROM busybox\nRUN true\n", "docker build .");
        assert!(r.steps.iter().all(|s| s.stage.is_none()));
        let (r, code) = build_report(TWO_STAGES, "docker build --target nope .");
        assert_eq!(code, 1);
        assert_eq!(r.error, Some(BuildFailure::UnknownTarget("nope".into())));
    }

    #[test]
    fn meta_args_choose_the_base_and_stage_from_stage_makes_no_vertex() {
        let df = "ARG BASE=alpine\nFROM ${BASE} AS a\nRUN echo x > /x\nFROM a AS b\nRUN true\n";
        let (r, code) = build_report(df, "docker build .");
        assert_eq!(code, 0);
        assert_eq!(r.metadata, ["docker.io/library/alpine:latest"]);
        let from_b = r.steps.iter().find(|s| s.instruction == "FROM a AS b");
        assert!(from_b.is_some_and(|s| !s.vertex && s.stage.as_deref() == Some("b")));
    }

    fn execute(world: &mut World, host: &str, line: &str) -> crate::engine::Outcome {
        let words = crate::command::shell_words::split(line).unwrap_or_default();
        let inv = crate::command::parse(&words, &[]).expect("parses");
        world.execute(host, &inv, &Input::default())
    }

    fn arm64_world() -> World {
        let mut world = World::new();
        world.machine("laptop").platform = Platform::arm64_plain();
        world.machine("laptop").files.insert(
            "Dockerfile".into(),
            (&b"FROM alpine\nCMD [\"sh\"]\n"[..]).into(),
        );
        world
    }

    #[test]
    fn a_build_is_for_the_machine_or_the_requested_platform() {
        let mut w = arm64_world();
        assert_eq!(
            execute(&mut w, "laptop", "docker build -t app .").exit_code,
            0
        );
        let built = |w: &World, r: &str| {
            w.machines["laptop"]
                .images
                .lookup(r)
                .map(|s| s.image.platform.clone())
        };
        assert_eq!(built(&w, "app"), Some(Platform::arm64()));
        let out = execute(
            &mut w,
            "laptop",
            "docker build --platform linux/amd64 -t app:amd64 .",
        );
        assert_eq!(out.exit_code, 0);
        assert_eq!(built(&w, "app:amd64"), Some(Platform::amd64()));
        let out = execute(
            &mut w,
            "laptop",
            "docker build --platform linux/amd64,linux/arm64 .",
        );
        let failure = out.events.iter().find_map(|e| match e {
            Event::Build(r) => r.error.clone(),
            _ => None,
        });
        assert_eq!(failure, Some(BuildFailure::MultiPlatform));
    }

    #[test]
    fn a_foreign_image_warns_and_exits_255_and_run_platform_refuses_it() {
        use crate::docker_error::DockerError;
        let mut w = arm64_world();
        execute(&mut w, "laptop", "docker build -t app .");
        // The same image on an amd64 machine (as a push and pull would bring it).
        let image = w.machines["laptop"]
            .images
            .lookup("app")
            .map(|s| s.image.clone());
        let Some(image) = image else { panic!("built") };
        let server = w.machine("server");
        server.images.insert(image.clone());
        server.images.set_tag(
            &crate::reference::ImageRef::parse("app")
                .unwrap()
                .with_default_tag()
                .tag_ref()
                .unwrap(),
            &image.id,
            0,
        );
        let out = execute(&mut w, "server", "docker run --rm app");
        assert_eq!(out.exit_code, 255);
        assert!(
            out.events
                .iter()
                .any(|e| matches!(e, Event::ForeignPlatform { image, host }
            if *image == Platform::arm64() && host.to_string() == "linux/amd64/v3"))
        );
        let out = execute(
            &mut w,
            "server",
            "docker run --rm --pull=never --platform linux/amd64 app",
        );
        assert_eq!(out.exit_code, 125);
        assert!(
            matches!(out.refusal(), Some(DockerError::PlatformMismatch { wanted, actual, .. })
            if **wanted == Platform::amd64() && **actual == Platform::arm64())
        );
    }

    #[test]
    fn a_pull_takes_the_index_member_for_the_platform() {
        use crate::docker_error::DockerError;
        let mut w = arm64_world();
        assert_eq!(execute(&mut w, "laptop", "docker pull alpine").exit_code, 0);
        let got = w.machines["laptop"]
            .images
            .lookup("alpine")
            .map(|s| s.image.platform.clone());
        assert_eq!(got, Some(Platform::arm64()));
        let out = execute(
            &mut w,
            "laptop",
            "docker pull --platform linux/s390x alpine",
        );
        assert_eq!(out.exit_code, 1);
        assert!(
            matches!(out.refusal(), Some(DockerError::NoMatchingManifest { platform })
            if platform.to_string() == "linux/s390x")
        );
    }

    #[test]
    fn from_platform_gives_a_stage_its_own_platform() {
        let df = "FROM --platform=$BUILDPLATFORM alpine AS build\nRUN echo built > /out\n\
            FROM alpine\nCOPY --from=build /out /out\n";
        let mut w = World::new();
        w.machine("default")
            .files
            .insert("Dockerfile".into(), df.as_bytes().into());
        let out = execute(
            &mut w,
            "default",
            "docker build --platform linux/arm64 -t x .",
        );
        assert_eq!(out.exit_code, 0);
        let froms: Vec<Option<Digest>> = out
            .events
            .iter()
            .find_map(|e| match e {
                Event::Build(r) => Some(
                    r.steps
                        .iter()
                        .filter(|s| s.from.is_some())
                        .map(|s| Some(s.image_after.clone()))
                        .collect(),
                ),
                _ => None,
            })
            .unwrap_or_default();
        assert_eq!(froms.len(), 2);
        assert_ne!(
            froms[0], froms[1],
            "the build stage's alpine is amd64, the final one arm64"
        );
        let built = w.machines["default"]
            .images
            .lookup("x")
            .map(|s| s.image.platform.clone());
        assert_eq!(
            built,
            Some(Platform::arm64_plain()),
            "--platform linux/arm64 as parsed"
        );
        w.machine("default").files.insert(
            "Dockerfile".into(),
            (&b"FROM --platform=linux/amd64,arm64 alpine\n"[..]).into(),
        );
        let out = execute(&mut w, "default", "docker build .");
        let failure = out.events.iter().find_map(|e| match e {
            Event::Build(r) => r.error.clone(),
            _ => None,
        });
        assert!(matches!(failure, Some(BuildFailure::StagePlatform { .. })));
    }
}
