//! Build output: the legacy builder's `Step N/M` lines and BuildKit's progress, plain (what a script gets)
//! or as the terminal's final frame.

use super::distribution::pull;
use super::errors::build_failure;
use super::units::human_size;
use super::{Channel, Rendered};
use crate::command::LEGACY_BANNER;
use crate::digest::Digest;
use crate::event::{BaseSource, BuildFailure, BuildReport};

/// A whole build report.
pub fn build(r: &mut Rendered, b: &BuildReport, tty: Option<usize>) {
    if b.legacy {
        legacy_build(r, b);
    } else {
        buildkit_build(r, b, tty);
    }
}

fn legacy_build(r: &mut Rendered, b: &BuildReport) {
    r.push(Channel::Stderr, LEGACY_BANNER);
    if let Some(f @ (BuildFailure::Prepare(_) | BuildFailure::SquashNotExperimental)) = &b.error {
        r.line(Channel::Stderr, build_failure(f, &b.dockerfile_name).0);
        return;
    }
    if b.quiet {
        if let Some(id) = &b.image {
            r.line(Channel::Stdout, id.as_str());
            return;
        }
        // A quiet build's output is buffered; when the build fails the CLI writes all of it to stderr
        // (docker/cli `image/build.go`; oracle: `Sending build context` and every `Step` line, then the error).
        let mut full = Rendered::default();
        legacy_steps(&mut full, b);
        for (ch, text) in full.chunks {
            r.push(
                if ch == Channel::Stdout {
                    Channel::Stderr
                } else {
                    ch
                },
                text,
            );
        }
        return;
    }
    legacy_steps(r, b);
}

/// The legacy build from `Sending build context` on: its `Step` lines and the error that ended it.
fn legacy_steps(r: &mut Rendered, b: &BuildReport) {
    r.line(
        Channel::Stdout,
        format!(
            "Sending build context to Docker daemon {:>8}",
            human_size(b.context_size)
        ),
    );
    if let Some(
        f @ (BuildFailure::Parse(_)
        | BuildFailure::UnknownTarget(_)
        | BuildFailure::Platform(_)
        | BuildFailure::StagePlatform { .. }),
    ) = &b.error
    {
        r.line(
            Channel::Stderr,
            format!(
                "Error response from daemon: {}",
                build_failure(f, &b.dockerfile_name).0
            ),
        );
        return;
    }
    let mut seen_from = false;
    for (i, s) in b.steps.iter().enumerate() {
        r.line(
            Channel::Stdout,
            format!("Step {}/{} : {}", i + 1, b.total, s.instruction),
        );
        let is_from = s
            .instruction
            .split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("FROM"));
        seen_from |= is_from;
        if !seen_from {
            // A meta ARG (before the first FROM) only sets a value for FROM lines: no container, no image.
            continue;
        }
        let failed_here = i + 1 == b.steps.len() && b.error.is_some();
        if is_from {
            if let Some(BaseSource::Remote { pull: Some(p), .. }) = &s.from {
                pull(r, p, Channel::Stdout);
            }
            if failed_here {
                break;
            }
            let id = if s.instruction.to_lowercase().split_whitespace().nth(1) == Some("scratch") {
                String::new()
            } else {
                s.image_after.short().to_string()
            };
            r.line(Channel::Stdout, format!(" ---> {id}"));
            continue;
        }
        if s.cached {
            r.line(Channel::Stdout, " ---> Using cache");
            r.line(Channel::Stdout, format!(" ---> {}", s.image_after.short()));
            continue;
        }
        let kw = s
            .instruction
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_uppercase();
        let runs_container = !matches!(kw.as_str(), "COPY" | "ADD");
        let cid = Digest::of_parts(&[
            b"intermediate",
            s.image_after.as_str().as_bytes(),
            s.instruction.as_bytes(),
        ]);
        if runs_container {
            r.line(Channel::Stdout, format!(" ---> Running in {}", cid.short()));
            for l in &s.output {
                r.line(Channel::Stdout, l);
            }
        }
        if failed_here {
            break;
        }
        if runs_container {
            r.line(
                Channel::Stdout,
                format!(" ---> Removed intermediate container {}", cid.short()),
            );
        }
        r.line(Channel::Stdout, format!(" ---> {}", s.image_after.short()));
    }
    if b.error.is_some() {
        legacy_error(r, b);
        return;
    }
    if let Some(id) = &b.image {
        r.line(
            Channel::Stdout,
            format!("Successfully built {}", id.short()),
        );
        for t in &b.tags {
            r.line(
                Channel::Stdout,
                format!("Successfully tagged {}", t.familiar()),
            );
        }
    }
}

fn legacy_error(r: &mut Rendered, b: &BuildReport) {
    let Some(f) = &b.error else { return };
    let legacy = build_failure(f, &b.dockerfile_name).0;
    match f {
        BuildFailure::Parse(_) | BuildFailure::UnknownTarget(_) | BuildFailure::Platform(_) => r
            .line(
                Channel::Stderr,
                format!("Error response from daemon: {legacy}"),
            ),
        _ => r.line(Channel::Stderr, legacy),
    }
}

/// BuildKit's plain progress (`--progress=plain`, and what a non-terminal gets): every vertex, numbered.
fn buildkit_build(r: &mut Rendered, b: &BuildReport, tty: Option<usize>) {
    let err = Channel::Stderr;
    let failure = b
        .error
        .as_ref()
        .map(|f| (f, build_failure(f, &b.dockerfile_name).1));
    if let Some((BuildFailure::Prepare(_), msg)) = &failure {
        r.line(err, format!("ERROR: {msg}"));
        return;
    }
    let quiet = b.quiet;
    let mut log: Vec<String> = Vec::new();
    log.push("#0 building with \"default\" instance using docker driver".into());
    log.push(String::new());
    // buildx refuses these before it sends the build.
    if let Some((BuildFailure::MultiPlatform | BuildFailure::Platform(_), msg)) = &failure {
        flush(r, &mut log, quiet, tty);
        r.line(err, format!("ERROR: {msg}"));
        return;
    }
    let mut n = 1;
    definition_vertex(&mut log, n, b);
    if let Some((
        BuildFailure::Parse(_)
        | BuildFailure::UnknownTarget(_)
        | BuildFailure::StagePlatform { .. },
        buildkit,
    )) = &failure
    {
        flush(r, &mut log, quiet, tty);
        r.line(err, format!("ERROR: failed to solve: {buildkit}"));
        return;
    }
    for (k, base) in b.metadata.iter().enumerate() {
        n += 1;
        log.push(format!("#{n} [internal] load metadata for {base}"));
        if b.metadata_failed
            && k + 1 == b.metadata.len()
            && let Some((BuildFailure::Step(_), buildkit)) = &failure
        {
            log.push(format!("#{n} ERROR: {buildkit}"));
            log.push("------".into());
            log.push(format!(" > [internal] load metadata for {base}:"));
            log.push("------".into());
            flush(r, &mut log, quiet, tty);
            r.line(err, format!("ERROR: failed to solve: {buildkit}"));
            return;
        }
        let remote = b.steps.iter().any(
            |s| matches!(&s.from, Some(BaseSource::Remote { reference, .. }) if reference == base),
        );
        log.push(format!(
            "#{n} DONE {}",
            if remote { "0.8s" } else { "0.0s" }
        ));
        log.push(String::new());
    }
    n += 1;
    log.push(format!("#{n} [internal] load .dockerignore"));
    log.push(format!("#{n} transferring context: 2B done"));
    log.push(format!("#{n} DONE 0.0s"));
    log.push(String::new());
    let mut context_shown = false;
    let mut failed: Option<(String, usize)> = None;
    let all_cached = b
        .steps
        .iter()
        .filter(|s| s.vertex && !s.instruction.to_uppercase().starts_with("FROM"))
        .all(|s| s.cached);
    for (label, i) in vertex_label(b) {
        let Some(s) = b.steps.get(i) else { continue };
        n += 1;
        let context = b.uses_context.then_some(b.context_size);
        if step_vertex(
            &mut log,
            &mut n,
            &label,
            s,
            all_cached,
            context,
            &mut context_shown,
        ) {
            continue;
        }
        if i + 1 == b.steps.len()
            && let Some((BuildFailure::Step(_), buildkit)) = &failure
        {
            log.push(format!("#{n} ERROR: {buildkit}"));
            failed = Some((format!("{label} {}", s.instruction), i));
            break;
        }
        log.push(format!("#{n} DONE {}.{}s", s.tenths / 10, s.tenths % 10));
        log.push(String::new());
    }
    if let (Some((what, i)), Some((BuildFailure::Step(_), buildkit))) = (failed, &failure) {
        log.push("------".into());
        log.push(format!(" > {what}:"));
        for line in b.steps.get(i).map(|s| s.output.as_slice()).unwrap_or(&[]) {
            log.push(format!("0.150 {line}"));
        }
        log.push("------".into());
        quote_line(&mut log, b, i);
        flush(r, &mut log, quiet, tty);
        r.line(err, format!("ERROR: failed to solve: {buildkit}"));
        return;
    }
    if let Some(id) = &b.image {
        n += 1;
        log.push(format!("#{n} exporting to image"));
        if all_cached {
            log.push(format!("#{n} exporting layers done"));
        } else {
            log.push(format!("#{n} exporting layers 0.1s done"));
        }
        log.push(format!("#{n} writing image {id} done"));
        for t in &b.tags {
            log.push(format!("#{n} naming to {t} done"));
        }
        log.push(format!("#{n} DONE 0.1s"));
        flush(r, &mut log, quiet, tty);
        if quiet {
            r.line(Channel::Stdout, id.as_str());
        }
    }
    flush(r, &mut log, quiet, tty);
}

/// Writes BuildKit's progress lines (stderr) unless `-q` asked for the image ID only. On a terminal the
/// same progress is drawn as BuildKit's final frame.
pub(super) fn flush(r: &mut Rendered, log: &mut Vec<String>, quiet: bool, tty: Option<usize>) {
    if log.is_empty() {
        return;
    }
    let lines: Vec<String> = match tty {
        Some(width) => tty_frame(log, width),
        None => log.clone(),
    };
    log.clear();
    for line in lines {
        if !quiet {
            r.line(Channel::Stderr, line);
        }
    }
}

/// BuildKit's excerpt of the Dockerfile around the failing line.
pub(super) fn quote_line(log: &mut Vec<String>, rep: &BuildReport, i: usize) {
    let Some(line) = rep.instruction_lines.get(i) else {
        return;
    };
    log.push(format!("{}:{line}", rep.dockerfile_name));
    log.push("--------------------".into());
    let lines: Vec<&str> = rep.dockerfile_text.lines().collect();
    let from = line.saturating_sub(2).max(1);
    let to = (line + 2).min(lines.len());
    for k in from..=to {
        let text = lines.get(k - 1).copied().unwrap_or("");
        let mark = if k == *line { ">>>" } else { "   " };
        log.push(format!("{k:>4} | {mark} {text}").trim_end().to_string());
    }
    log.push("--------------------".into());
}

/// BuildKit's vertex `#n` that reads the Dockerfile: `[internal] load build definition from …`.
pub(super) fn definition_vertex(log: &mut Vec<String>, n: usize, b: &BuildReport) {
    log.push(format!(
        "#{n} [internal] load build definition from {}",
        b.dockerfile_name
    ));
    log.push(format!(
        "#{n} transferring dockerfile: {}B done",
        b.dockerfile_size
    ));
    log.push(format!("#{n} DONE 0.0s"));
    log.push(String::new());
}

/// The shown step vertices of a BuildKit build and their labels (`[2/3]`, `[builder 2/3]`), each stage
/// numbering its own (`%*d/%d`), a base solved once for several stages counted but not shown again.
pub(super) fn vertex_label(b: &BuildReport) -> Vec<(String, usize)> {
    let mut done_in_stage: Vec<(Option<&str>, usize)> = Vec::new();
    let mut out = Vec::new();
    for (i, s) in b.steps.iter().enumerate() {
        if !s.vertex {
            continue;
        }
        let stage = s.stage.as_deref();
        let total = b
            .steps
            .iter()
            .filter(|t| t.vertex && t.stage.as_deref() == stage)
            .count();
        let width = total.to_string().len();
        let index = match done_in_stage.iter_mut().find(|(st, _)| *st == stage) {
            Some((_, k)) => {
                *k += 1;
                *k
            }
            None => {
                done_in_stage.push((stage, 1));
                1
            }
        };
        if s.merged {
            continue;
        }
        out.push((
            match stage {
                Some(name) => format!("[{name} {index:>width$}/{total}]"),
                None => format!("[{index:>width$}/{total}]"),
            },
            i,
        ));
    }
    out
}

/// One BuildKit vertex, read back from the plain progress lines.
#[derive(Default)]
struct Vertex {
    name: String,
    subs: Vec<(String, String)>,
    status: String,
    time: String,
}

/// Turns plain progress (`#3 [2/5] WORKDIR /app`, `#3 CACHED`, …) into the terminal's final frame
/// (`[+] Building 2.3s (10/10) FINISHED`, ` => CACHED [2/5] WORKDIR /app   0.0s`); anything after the
/// vertices (an error's excerpt) is kept as it is.
fn tty_frame(log: &[String], width: usize) -> Vec<String> {
    let mut vertices: Vec<(u32, Vertex)> = Vec::new();
    let mut tail = Vec::new();
    for line in log {
        let Some(rest) = line.strip_prefix('#') else {
            if !line.is_empty() {
                tail.push(line.clone());
            }
            continue;
        };
        let (num, body) = rest.split_once(' ').unwrap_or((rest, ""));
        let Ok(n) = num.parse::<u32>() else {
            tail.push(line.clone());
            continue;
        };
        if n == 0 {
            continue;
        }
        if vertices.last().map(|v| v.0) != Some(n) {
            vertices.push((
                n,
                Vertex {
                    name: body.to_string(),
                    ..Vertex::default()
                },
            ));
            continue;
        }
        let Some((_, v)) = vertices.last_mut() else {
            continue;
        };
        if let Some(t) = body.strip_prefix("DONE ") {
            v.time = t.to_string();
        } else if body == "CACHED" {
            v.status = "CACHED ".into();
            v.time = "0.0s".into();
        } else if body.starts_with("ERROR: ") {
            v.status = "ERROR ".into();
            v.time = "0.2s".into();
        } else if let Some(sub) = body.strip_suffix(" done") {
            // `transferring context: 2B`, `exporting layers 0.1s`: the time, when given, goes right.
            match sub
                .rsplit_once(' ')
                .filter(|(_, t)| t.ends_with('s') && t[..t.len() - 1].parse::<f64>().is_ok())
            {
                Some((text, t)) => v.subs.push((text.to_string(), t.to_string())),
                None => v.subs.push((sub.to_string(), "0.0s".to_string())),
            }
        }
    }
    let total: f64 = vertices
        .iter()
        .filter_map(|(_, v)| v.time.trim_end_matches('s').parse::<f64>().ok())
        .sum();
    let failed = vertices.iter().any(|(_, v)| v.status == "ERROR ");
    let done = vertices.iter().filter(|(_, v)| !v.time.is_empty()).count();
    let head = format!(
        "[+] Building {total:.1}s ({done}/{}) {}",
        vertices.len(),
        if failed {
            "FINISHED with 1 error"
        } else {
            "FINISHED"
        }
    );
    let right = "docker:default";
    let mut out = vec![pad_between(&head, right, width)];
    for (_, v) in &vertices {
        out.push(pad_between(
            &format!(" => {}{}", v.status, v.name),
            &v.time,
            width,
        ));
        for (text, t) in &v.subs {
            out.push(pad_between(&format!(" => => {text}"), t, width));
        }
    }
    out.extend(tail);
    out
}

/// `left`, spaces, `right` ending at `width` (cut `left` when it does not fit, as BuildKit does).
fn pad_between(left: &str, right: &str, width: usize) -> String {
    let room = width.saturating_sub(right.chars().count() + 1);
    let left: String = if left.chars().count() > room {
        left.chars().take(room).collect()
    } else {
        left.to_string()
    };
    let gap = width
        .saturating_sub(left.chars().count() + right.chars().count())
        .max(1);
    format!("{left}{}{right}", " ".repeat(gap))
}

/// One step's vertex up to its outcome (shared by `docker build` and buildx's per-platform builds): a `FROM`
/// with its base (and the build context after the first one), a cached step, or the step's output lines.
/// `true` when the vertex is complete; otherwise the caller ends it with the step's failure or `DONE`.
pub(super) fn step_vertex(
    log: &mut Vec<String>,
    n: &mut usize,
    label: &str,
    s: &crate::event::BuildStep,
    all_cached: bool,
    context: Option<u64>,
    context_shown: &mut bool,
) -> bool {
    let is_from = s
        .instruction
        .split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("FROM"));
    if is_from {
        let name = match &s.from {
            Some(BaseSource::Remote {
                reference, digest, ..
            }) => format!("{reference}@{digest}"),
            Some(BaseSource::Local { reference, .. }) => reference.clone(),
            _ => String::new(),
        };
        log.push(format!("#{n} {label} FROM {name}"));
        base_vertex(log, *n, s.from.as_ref(), all_cached);
        if let Some(size) = context
            && !*context_shown
        {
            *context_shown = true;
            *n += 1;
            context_vertex(log, *n, size);
        }
        return true;
    }
    log.push(format!("#{n} {label} {}", s.instruction));
    if s.cached {
        log.push(format!("#{n} CACHED"));
        log.push(String::new());
        return true;
    }
    let mut t = 0.1f64;
    for line in &s.output {
        t += 0.05;
        log.push(format!("#{n} {t:.3} {line}"));
    }
    false
}

/// The rest of a `FROM` vertex: a base that had to be fetched shows its download; otherwise the vertex is
/// cached or instant. (Shared by `docker build` and buildx's per-platform builds.)
fn base_vertex(log: &mut Vec<String>, n: usize, from: Option<&BaseSource>, all_cached: bool) {
    match from {
        Some(BaseSource::Remote {
            reference,
            digest,
            blobs,
            ..
        }) if !blobs.iter().all(|x| x.2) => {
            log.push(format!("#{n} resolve {reference}@{digest} 0.0s done"));
            for (blob, size, _) in blobs {
                log.push(format!(
                    "#{n} {blob} {} / {} 0.2s done",
                    human_size(*size),
                    human_size(*size)
                ));
            }
            for (blob, _, _) in blobs {
                log.push(format!("#{n} extracting {blob} 0.1s done"));
            }
            log.push(format!("#{n} DONE 1.2s"));
        }
        _ if all_cached => log.push(format!("#{n} CACHED")),
        _ => log.push(format!("#{n} DONE 0.0s")),
    }
    log.push(String::new());
}

/// The `[internal] load build context` vertex, shown once, after the first `FROM`.
fn context_vertex(log: &mut Vec<String>, n: usize, context_size: u64) {
    log.push(format!("#{n} [internal] load build context"));
    log.push(format!(
        "#{n} transferring context: {} done",
        human_size(context_size.saturating_sub(1024))
    ));
    log.push(format!("#{n} DONE 0.0s"));
    log.push(String::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quiet legacy build that fails writes its buffered output to stderr (oracle): nothing on stdout,
    /// `Sending build context` and every `Step` line before the error.
    #[test]
    fn a_failed_quiet_legacy_build_shows_its_steps_on_stderr() {
        let mut world = crate::model::world::World::new();
        world.machine("default").files.insert(
            "Dockerfile".into(),
            b"FROM busybox\nRUN echo hi\nRUN false\n"[..].into(),
        );
        let out =
            crate::engine::run_test_line(&mut world, "DOCKER_BUILDKIT=0 docker build -q -t q1 .");
        assert_eq!(out.exit_code, 1);
        let r = crate::render::render(&out.events, Default::default());
        let text = |want: Channel| -> String {
            r.chunks
                .iter()
                .filter(|(ch, _)| *ch == want)
                .map(|(_, t)| t.as_str())
                .collect()
        };
        assert_eq!(text(Channel::Stdout), "");
        let err = text(Channel::Stderr);
        let sending = err.find("Sending build context").expect("context line");
        let step = err.find("Step 3/3 : RUN false").expect("step line");
        let error = err
            .find("The command '/bin/sh -c false' returned a non-zero code: 1")
            .expect("error");
        assert!(sending < step && step < error, "{err}");
    }

    #[test]
    fn plain_progress_becomes_the_terminal_frame() {
        let log: Vec<String> = [
            "#0 building with \"default\" instance using docker driver",
            "",
            "#1 [internal] load build definition from Dockerfile",
            "#1 transferring dockerfile: 116B done",
            "#1 DONE 0.0s",
            "",
            "#2 [2/2] RUN npm install",
            "#2 CACHED",
            "",
            "#3 exporting to image",
            "#3 exporting layers 0.1s done",
            "#3 DONE 0.1s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let frame = tty_frame(&log, 60);
        assert_eq!(
            frame,
            vec![
                "[+] Building 0.1s (3/3) FINISHED              docker:default",
                " => [internal] load build definition from Dockerfile    0.0s",
                " => => transferring dockerfile: 116B                    0.0s",
                " => CACHED [2/2] RUN npm install                        0.0s",
                " => exporting to image                                  0.1s",
                " => => exporting layers                                 0.1s",
            ]
        );
    }
}
