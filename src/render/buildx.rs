//! The buildx plugin's words: `buildx create/ls/rm/inspect/imagetools inspect`, its `ERROR:` lines, and the
//! BuildKit progress of a build on a `docker-container` builder (one vertex per platform, then the image
//! exporter's lines).
//!
//! Sources: docker/buildx v0.24 `commands/ls.go` (`lsDefaultTableFormat`, `truncPlatforms`),
//! `commands/inspect.go` (a `tabwriter` with padding 1), `commands/rm.go`, `util/imagetools/printers.go`,
//! `driver/docker-container/driver.go` (the boot vertex); moby/buildkit
//! `frontend/dockerfile/dockerfile2llb/convert.go` (`prefixCommand`: `[linux/amd64 2/3]`),
//! `exporter/containerimage/{export,writer}.go`, `exporter/oci/export.go`, `util/push/push.go`.

use super::build::{definition_vertex, flush, quote_line, step_vertex, vertex_label};
use super::errors::build_failure;
use super::table::render_table;
use super::{Channel, Rendered};
use crate::docker_error::BuildxError;
use crate::event::{
    BootReport, BuildFailure, BuilderView, BuildxEvent, BuildxFailure, BuildxOutput, BuildxReport,
    BuildxWarning, ImagetoolsReport,
};

/// One buildx event.
pub fn event(r: &mut Rendered, e: &BuildxEvent, tty: Option<usize>) {
    match e {
        BuildxEvent::Created { name, boot } => {
            if let Some(b) = boot {
                let mut log = Vec::new();
                boot_vertex(&mut log, 1, b);
                flush(r, &mut log, false, tty);
            }
            r.line(Channel::Stdout, name);
        }
        BuildxEvent::Removed { name } => r.line(Channel::Stderr, format!("{name} removed")),
        BuildxEvent::List { builders } => r.push(Channel::Stdout, ls(builders)),
        BuildxEvent::Inspect { builder, boot } => {
            if let Some(b) = boot {
                let mut log = Vec::new();
                boot_vertex(&mut log, 1, b);
                flush(r, &mut log, false, tty);
            }
            r.push(Channel::Stdout, inspect(builder));
        }
        BuildxEvent::Imagetools(i) => r.push(Channel::Stdout, imagetools(i)),
        BuildxEvent::Build(b) => build(r, b, tty),
        BuildxEvent::Warning(w) => r.line(Channel::Stderr, format!("WARNING: {}", warning(*w))),
    }
}

fn warning(w: BuildxWarning) -> &'static str {
    match w {
        BuildxWarning::SquashRemoved => {
            "experimental flag squash is removed with BuildKit. You should squash inside build using a multi-stage Dockerfile for efficiency."
        }
        BuildxWarning::NoOutput => {
            "No output specified with docker-container driver. Build result will only remain in the build cache. To push result image into registry use --push or to load image into docker use --load"
        }
    }
}

/// A buildx refusal as it prints (`ERROR: …`; one failed name of `rm` has no prefix).
pub fn message(e: &BuildxError) -> String {
    match e {
        BuildxError::RemoveFailed { name, why } => {
            format!("failed to remove {name}: {}", reason(why))
        }
        e => format!("ERROR: {}", reason(e)),
    }
}

fn reason(e: &BuildxError) -> String {
    match e {
        // buildx `builder/builder.go` `Create`.
        BuildxError::ReservedName => {
            "default is a reserved name and cannot be used to identify builder instance".into()
        }
        // buildx `store/util.go` `ValidateName`.
        BuildxError::InvalidName { name } => invalid_name(name),
        BuildxError::ExistingInstance { name } => format!(
            "existing instance for {name:?} but no append mode, specify the node name to make changes for existing instances"
        ),
        // buildx `driver/manager.go` `GetFactory`.
        BuildxError::DriverNotFound { driver } => format!("failed to find driver {driver:?}"),
        BuildxError::NoMoreInstances { driver } => {
            format!("additional instances of driver {driver:?} cannot be created")
        }
        BuildxError::Platform(p) => p.to_string(),
        // buildx `commands/use.go`: the instance file's error, wrapped.
        BuildxError::UseNotFound {
            name,
            path,
            invalid,
        } => {
            if *invalid {
                format!("failed to find instance {name:?}: {}", invalid_name(name))
            } else {
                format!("failed to find instance {name:?}: open {path}: no such file or directory")
            }
        }
        // buildx `store/storeutil/storeutil.go` `GetNodeGroup`.
        BuildxError::NoBuilder { name } => format!("no builder {name:?} found"),
        // buildx `commands/rm.go`.
        BuildxError::ContextBuilder { name } => format!(
            "context builder cannot be removed, run `docker context rm {name}` to remove this context"
        ),
        BuildxError::RemoveFailed { name, why } => {
            format!("failed to remove {name}: {}", reason(why))
        }
        BuildxError::RemoveSomeFailed => "failed to remove one or more builders".into(),
        BuildxError::InvalidReference { reference, why } => {
            format!("failed to parse {reference:?}: {why}")
        }
        BuildxError::NotFound { reference } => format!("{reference}: not found"),
    }
}

fn invalid_name(name: &str) -> String {
    format!(
        "invalid name {name}, name needs to start with a letter and may not contain symbols, except ._-"
    )
}

/// `#1 [internal] booting buildkit`: the docker-container driver pulls its image and starts the node.
fn boot_vertex(log: &mut Vec<String>, n: usize, b: &BootReport) {
    let image = "moby/buildkit:buildx-stable-1";
    log.push(format!("#{n} [internal] booting buildkit"));
    log.push(format!("#{n} pulling image {image}"));
    log.push(format!("#{n} pulling image {image} 2.8s done"));
    log.push(format!("#{n} creating container {}", b.container));
    log.push(format!("#{n} creating container {} 0.6s done", b.container));
    log.push(format!("#{n} DONE 3.4s"));
    log.push(String::new());
}

/// `buildx ls`: docker/cli's table writer (`minwidth 10, padding 3`) over buildx's default format.
fn ls(builders: &[BuilderView]) -> String {
    let mut rows = vec![vec![
        "NAME/NODE".to_string(),
        "DRIVER/ENDPOINT".into(),
        "STATUS".into(),
        "BUILDKIT".into(),
        "PLATFORMS".into(),
    ]];
    for b in builders {
        let name = if b.current {
            format!("{}*", b.name)
        } else {
            b.name.clone()
        };
        rows.push(vec![
            name,
            b.driver.clone(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        rows.push(vec![
            format!(" \\_ {}", b.node.name),
            format!(" \\_ {}", b.node.endpoint),
            status(b).into(),
            b.node.version.clone().unwrap_or_default(),
            truncated_platforms(&b.node.platforms, 4),
        ]);
    }
    render_table(&rows)
}

fn status(b: &BuilderView) -> &'static str {
    if b.node.running {
        "running"
    } else {
        "inactive"
    }
}

/// The platforms of an `ls` row, grouped by `os/arch` and cut to `max` groups (buildx `truncPlatforms`):
/// the major platforms first in buildx's order, then the rest by name, `(N more)` for what is left.
fn truncated_platforms(pfs: &[String], max: usize) -> String {
    const MAJOR: &[&str] = &[
        "linux/amd64",
        "linux/arm64",
        "linux/arm",
        "linux/ppc64le",
        "linux/s390x",
        "linux/riscv64",
        "linux/mips64",
    ];
    let os_arch = |p: &str| -> String {
        let p = p.trim_end_matches('*');
        let mut parts = p.split('/');
        let os = parts.next().unwrap_or("");
        let arch = parts.next().unwrap_or("");
        format!("{os}/{arch}")
    };
    let mut groups: Vec<(String, Vec<&String>)> = Vec::new();
    for major in MAJOR {
        for p in pfs {
            if groups.len() >= max && !groups.iter().any(|(k, _)| k == major) {
                break;
            }
            if os_arch(p) == *major {
                match groups.iter_mut().find(|(k, _)| k == major) {
                    Some((_, v)) => v.push(p),
                    None => groups.push((major.to_string(), vec![p])),
                }
            }
        }
    }
    let mut left: Vec<(String, Vec<&String>)> = Vec::new();
    for p in pfs {
        if groups.len() + left.len() >= max {
            break;
        }
        let key = os_arch(p);
        if groups.iter().any(|(k, _)| *k == key) {
            continue;
        }
        match left.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(p),
            None => left.push((key, vec![p])),
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut count = 0;
    let show = |key: &str, v: &[&String]| -> String {
        if v.len() == 1 {
            v[0].clone()
        } else {
            let star = if v.iter().any(|p| p.ends_with('*')) {
                "*"
            } else {
                ""
            };
            format!("{key}{star} (+{})", v.len())
        }
    };
    for major in MAJOR {
        if let Some((k, v)) = groups.iter().find(|(k, _)| k == major) {
            out.push(show(k, v));
            count += v.len();
        }
    }
    left.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, v) in &left {
        if out.len() >= max {
            break;
        }
        out.push(show(k, v));
        count += v.len();
    }
    if pfs.len() > count {
        out.push(format!("({} more)", pfs.len() - count));
    }
    out.join(", ")
}

/// Go's `tabwriter` with `minwidth 0, padding 1` over lines of `cell\tcell`: each run of lines with a
/// first column is aligned on its widest first cell; a line without a tab ends the run.
fn aligned(lines: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].contains('\t') {
            out.push_str(&lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        let end = (i..lines.len())
            .find(|&j| !lines[j].contains('\t'))
            .unwrap_or(lines.len());
        let block: Vec<Vec<&str>> = lines[i..end]
            .iter()
            .map(|l| l.split('\t').collect())
            .collect();
        let columns = block.iter().map(Vec::len).max().unwrap_or(1);
        // Only the cells a line terminates with a tab are padded; a column's width is its run's widest.
        let mut widths = vec![0usize; columns];
        for row in &block {
            for (c, cell) in row.iter().enumerate().take(row.len() - 1) {
                widths[c] = widths[c].max(cell.chars().count() + 1);
            }
        }
        for row in &block {
            for (c, cell) in row.iter().enumerate() {
                out.push_str(cell);
                if c + 1 < row.len() {
                    out.push_str(&" ".repeat(widths[c] - cell.chars().count()));
                }
            }
            out.push('\n');
        }
        i = end;
    }
    out
}

/// `buildx inspect`.
fn inspect(b: &BuilderView) -> String {
    let mut lines = vec![
        format!("Name:\t{}", b.name),
        format!("Driver:\t{}", b.driver),
    ];
    if let Some(t) = b.last_activity {
        lines.push(format!("Last Activity:\t{}", crate::clock::go_time(t)));
    }
    lines.push(String::new());
    lines.push("Nodes:".into());
    let n = &b.node;
    lines.push(format!("Name:\t{}", n.name));
    lines.push(format!("Endpoint:\t{}", n.endpoint));
    lines.push(format!("Status:\t{}", status(b)));
    if !n.flags.is_empty() {
        lines.push(format!("BuildKit daemon flags:\t{}", n.flags.join(" ")));
    }
    if let Some(v) = &n.version {
        lines.push(format!("BuildKit version:\t{v}"));
    }
    if !n.platforms.is_empty() {
        lines.push(format!("Platforms:\t{}", n.platforms.join(", ")));
    }
    if !n.labels.is_empty() {
        lines.push("Labels:".into());
        for (k, v) in &n.labels {
            lines.push(format!("\t{k}:\t{v}"));
        }
    }
    aligned(&lines)
}

/// `buildx imagetools inspect` (the default `{{.Manifest}}` view).
fn imagetools(i: &ImagetoolsReport) -> String {
    let mut text = aligned(&[
        format!("Name:\t{}", i.name),
        format!("MediaType:\t{}", i.media_type),
        format!("Digest:\t{}", i.digest),
    ]);
    if i.members.is_empty() {
        return text;
    }
    text.push_str(&aligned(&["\t".into(), "Manifests:\t".into()]));
    // The name without its tag, then `@digest` (`reference.WithDigest` keeps the tag: `name:tag@digest`).
    let mut block: Vec<String> = Vec::new();
    let pfx = "  ";
    for (k, m) in i.members.iter().enumerate() {
        if k != 0 {
            block.push("\t".into());
        }
        block.push(format!("{pfx}Name:\t{}@{}", i.name, m.digest));
        block.push(format!("{pfx}MediaType:\t{}", m.media_type));
        block.push(format!("{pfx}Platform:\t{}", m.platform));
        if let Some(d) = &m.attests {
            block.push(format!("{pfx}Annotations:\t"));
            text.push_str(&aligned(&block));
            block.clear();
            text.push_str(&aligned(&[
                format!("{pfx}{pfx}vnd.docker.reference.digest:\t{d}"),
                format!("{pfx}{pfx}vnd.docker.reference.type:\tattestation-manifest"),
            ]));
        }
    }
    text.push_str(&aligned(&block));
    text
}

/// A build on a `docker-container` builder, as BuildKit's plain progress shows it.
fn build(r: &mut Rendered, b: &BuildxReport, tty: Option<usize>) {
    let err = Channel::Stderr;
    let first = b.platforms.first().map(|(_, r)| r);
    let failure = b.platforms.iter().find_map(|(label, rep)| {
        rep.error.as_ref().map(|f| {
            (
                label.as_str(),
                rep,
                f,
                build_failure(f, &rep.dockerfile_name).1,
            )
        })
    });
    if let Some((_, _, BuildFailure::Prepare(_), msg)) = &failure {
        r.line(err, format!("ERROR: {msg}"));
        return;
    }
    let quiet = b.quiet;
    let mut log: Vec<String> = vec![
        format!(
            "#0 building with \"{}\" instance using docker-container driver",
            b.builder
        ),
        String::new(),
    ];
    let mut n = 0;
    if let Some(boot) = &b.boot {
        n += 1;
        boot_vertex(&mut log, n, boot);
    }
    let early = match &b.error {
        Some(BuildxFailure::LoadManifestList) => {
            Some("docker exporter does not currently support exporting manifest lists".to_string())
        }
        Some(BuildxFailure::PushNeedsTag) => Some("tag is needed when pushing to registry".into()),
        _ => None,
    };
    if let Some(msg) = early {
        flush(r, &mut log, quiet, tty);
        r.line(err, format!("ERROR: {msg}"));
        return;
    }
    if let Some((_, _, BuildFailure::Platform(_) | BuildFailure::MultiPlatform, msg)) = &failure {
        flush(r, &mut log, quiet, tty);
        r.line(err, format!("ERROR: {msg}"));
        return;
    }
    let Some(first) = first else {
        flush(r, &mut log, quiet, tty);
        return;
    };
    n += 1;
    definition_vertex(&mut log, n, first);
    if let Some((
        _,
        _,
        BuildFailure::Parse(_)
        | BuildFailure::UnknownTarget(_)
        | BuildFailure::StagePlatform { .. },
        msg,
    )) = &failure
    {
        solve_failed(r, &mut log, b, tty, msg);
        return;
    }
    let multi = b.platforms.iter().any(|(label, _)| !label.is_empty());
    let prefix = |label: &str| -> String {
        if multi {
            format!("{label} ")
        } else {
            String::new()
        }
    };
    for (k, base) in first.metadata.iter().enumerate() {
        for (label, rep) in &b.platforms {
            n += 1;
            log.push(format!(
                "#{n} [{}internal] load metadata for {base}",
                prefix(label)
            ));
            if rep.metadata_failed
                && k + 1 == rep.metadata.len()
                && let Some((_, _, BuildFailure::Step(_), msg)) = &failure
            {
                log.push(format!("#{n} ERROR: {msg}"));
                log.push("------".into());
                log.push(format!(
                    " > [{}internal] load metadata for {base}:",
                    prefix(label)
                ));
                log.push("------".into());
                solve_failed(r, &mut log, b, tty, msg);
                return;
            }
            log.push(format!("#{n} DONE 0.8s"));
            log.push(String::new());
        }
    }
    n += 1;
    log.push(format!("#{n} [internal] load .dockerignore"));
    log.push(format!("#{n} transferring context: 2B done"));
    log.push(format!("#{n} DONE 0.0s"));
    log.push(String::new());
    // Every platform's vertices, numbered per stage, then interleaved: step k of each platform in turn.
    let per_platform: Vec<Vec<(String, usize)>> = b
        .platforms
        .iter()
        .map(|(label, rep)| {
            vertex_label(rep)
                .into_iter()
                .map(|(l, i)| {
                    let l = if multi {
                        format!("[{label} {}", &l[1..])
                    } else {
                        l
                    };
                    (l, i)
                })
                .collect()
        })
        .collect();
    let longest = per_platform.iter().map(Vec::len).max().unwrap_or(0);
    let mut context_shown = false;
    for k in 0..longest {
        for (p, (_, rep)) in b.platforms.iter().enumerate() {
            let Some((label, i)) = per_platform[p].get(k) else {
                continue;
            };
            let s = &rep.steps[*i];
            n += 1;
            let all_cached = rep
                .steps
                .iter()
                .filter(|s| s.vertex && !s.instruction.to_uppercase().starts_with("FROM"))
                .all(|s| s.cached);
            let context = rep.uses_context.then_some(rep.context_size);
            if step_vertex(
                &mut log,
                &mut n,
                label,
                s,
                all_cached,
                context,
                &mut context_shown,
            ) {
                continue;
            }
            if *i + 1 == rep.steps.len()
                && let Some(f @ BuildFailure::Step(_)) = &rep.error
            {
                let msg = build_failure(f, &rep.dockerfile_name).1;
                log.push(format!("#{n} ERROR: {msg}"));
                log.push("------".into());
                log.push(format!(" > {label} {}:", s.instruction));
                for line in &s.output {
                    log.push(format!("0.150 {line}"));
                }
                log.push("------".into());
                quote_line(&mut log, rep, *i);
                solve_failed(r, &mut log, b, tty, &msg);
                return;
            }
            log.push(format!("#{n} DONE {}.{}s", s.tenths / 10, s.tenths % 10));
            log.push(String::new());
        }
    }
    if failure.is_some() {
        flush(r, &mut log, quiet, tty);
        return;
    }
    n += 1;
    match &b.output {
        BuildxOutput::CacheOnly => {}
        BuildxOutput::Load { image } => {
            log.push(format!("#{n} exporting to docker image format"));
            log.push(format!("#{n} exporting layers 0.1s done"));
            if let Some(id) = image {
                log.push(format!(
                    "#{n} exporting manifest {} done",
                    crate::digest::Digest::of_parts(&[b"docker-exporter", id.as_str().as_bytes()])
                ));
                log.push(format!("#{n} exporting config {id} done"));
            }
            log.push(format!("#{n} sending tarball 0.1s done"));
            log.push(format!("#{n} DONE 0.2s"));
            log.push(String::new());
            n += 1;
            log.push(format!("#{n} importing to docker"));
            log.push(format!("#{n} DONE 0.1s"));
        }
        BuildxOutput::Push { members, index } => {
            log.push(format!("#{n} exporting to image"));
            log.push(format!("#{n} exporting layers 0.1s done"));
            for m in members {
                log.push(format!("#{n} exporting manifest {} done", m.manifest));
                log.push(format!("#{n} exporting config {} done", m.config));
                log.push(format!(
                    "#{n} exporting attestation manifest {} done",
                    m.attestation
                ));
            }
            if let Some(index) = index {
                log.push(format!("#{n} exporting manifest list {index} done"));
                for t in &b.tags {
                    log.push(format!("#{n} naming to {t} done"));
                    log.push(format!("#{n} pushing layers 0.9s done"));
                    if let Some(e) = &b.error {
                        let msg = push_failure(e);
                        log.push(format!("#{n} ERROR: {msg}"));
                        log.push("------".into());
                        log.push(" > exporting to image:".into());
                        log.push("------".into());
                        solve_failed(r, &mut log, b, tty, &msg);
                        return;
                    }
                    log.push(format!("#{n} pushing manifest for {t}@{index} 0.4s done"));
                }
            }
            log.push(format!("#{n} DONE 1.5s"));
        }
    }
    flush(r, &mut log, quiet, tty);
    if b.output == BuildxOutput::CacheOnly {
        r.line(
            Channel::Stderr,
            format!("WARNING: {}", warning(BuildxWarning::NoOutput)),
        );
    }
    if quiet {
        // buildx `getImageID`: the exporter's config digest, else its image digest; nothing exported
        // prints an empty line.
        let id = match &b.output {
            BuildxOutput::CacheOnly => String::new(),
            BuildxOutput::Load { image } => {
                image.as_ref().map(|d| d.to_string()).unwrap_or_default()
            }
            BuildxOutput::Push { index, .. } => {
                index.as_ref().map(|d| d.to_string()).unwrap_or_default()
            }
        };
        r.line(Channel::Stdout, id);
    }
}

/// The end of a build BuildKit failed: its progress, buildx's logs (resumed when the progress closes), then
/// the error the command exits with.
fn solve_failed(
    r: &mut Rendered,
    log: &mut Vec<String>,
    b: &BuildxReport,
    tty: Option<usize>,
    msg: &str,
) {
    flush(r, log, b.quiet, tty);
    if b.output == BuildxOutput::CacheOnly {
        r.line(
            Channel::Stderr,
            format!("WARNING: {}", warning(BuildxWarning::NoOutput)),
        );
    }
    r.line(Channel::Stderr, format!("ERROR: failed to solve: {msg}"));
}

/// The image exporter's push error (buildkit `export.go` wraps it `failed to push NAME`).
fn push_failure(e: &BuildxFailure) -> String {
    match e {
        BuildxFailure::PushDenied { reference } => format!(
            "failed to push {reference}: push access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        ),
        BuildxFailure::PushUnauthorized { reference, host } => format!(
            "failed to push {reference}: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://{host}/v2/token: 401 Unauthorized"
        ),
        BuildxFailure::PushUnreachable { reference, host } => format!(
            "failed to push {reference}: failed to do request: Head \"https://{host}/v2/\": dial tcp: lookup {host}: no such host"
        ),
        BuildxFailure::NoBuilder { name } => format!("no builder {name:?} found"),
        BuildxFailure::LoadManifestList => {
            "docker exporter does not currently support exporting manifest lists".into()
        }
        BuildxFailure::PushNeedsTag => "tag is needed when pushing to registry".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ls_groups_and_cuts_the_platforms_as_buildx_does() {
        let amd =
            crate::model::builder::detected_platforms(&crate::model::platform::Platform::amd64());
        assert_eq!(
            truncated_platforms(&amd, 4),
            "linux/amd64 (+3), linux/arm64, linux/arm (+2), linux/ppc64le, (6 more)"
        );
        assert_eq!(
            truncated_platforms(&list(&["linux/amd64", "linux/386"]), 4),
            "linux/amd64, linux/386"
        );
        assert_eq!(
            truncated_platforms(&list(&["linux/arm64*", "linux/amd64"]), 4),
            "linux/amd64, linux/arm64*"
        );
        assert_eq!(truncated_platforms(&[], 4), "");
    }

    #[test]
    fn inspect_aligns_each_block_on_its_widest_label() {
        let text = aligned(&list(&[
            "Name:\tb",
            "Last Activity:\tt",
            "",
            "Nodes:",
            "Name:\tb0",
            "Labels:",
            "\tk:\tv",
            "\tlonger:\tw",
        ]));
        assert_eq!(
            text,
            "Name:          b\nLast Activity: t\n\nNodes:\nName: b0\nLabels:\n k:      v\n longer: w\n"
        );
    }
}
