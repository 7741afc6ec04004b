//! Listings: `docker images`, `docker ps` and `docker history` as tables, `-q` IDs or `--format` lines,
//! from the rows the engine selected.

use super::table::{ellipsis, ps_command_string, quote_command, render_table, truncate_command};
use super::template::{self, TemplateError};
use super::units::{human_duration, human_size_precision3};
use crate::event::{ContainerListing, ContainerRow, HistoryListing, ImageListing};
use crate::model::container::State;
use serde_json::json;

/// `ps`' STATUS column at time `now`.
pub fn status(state: &State, now: u64) -> String {
    match state {
        State::Created => "Created".to_string(),
        State::Running { started, .. } => {
            format!("Up {}", human_duration(now.saturating_sub(*started)))
        }
        State::Paused { started } => {
            format!(
                "Up {} (Paused)",
                human_duration(now.saturating_sub(*started))
            )
        }
        State::Exited { code, finished, .. } => {
            format!(
                "Exited ({code}) {} ago",
                human_duration(now.saturating_sub(*finished))
            )
        }
    }
}

/// `inspect .State.Status` / `ps --format {{.State}}`.
fn status_word(state: &State) -> &'static str {
    match state {
        State::Created => "created",
        State::Running { .. } => "running",
        State::Paused { .. } => "paused",
        State::Exited { .. } => "exited",
    }
}

fn ago(now: u64, then: u64) -> String {
    format!("{} ago", human_duration(now.saturating_sub(then)))
}

/// What a `--format` asked for: a template's text, or its failure (exit 64 when it did not parse).
fn formatted(result: Result<String, TemplateError>) -> Result<String, (String, i32)> {
    result.map_err(|e| (e.message, if e.parsing { 64 } else { 1 }))
}

/// A user `--format` other than the default table.
fn custom(format: &Option<String>) -> Option<&str> {
    format.as_deref().filter(|f| !f.is_empty() && *f != "table")
}

/// `docker images`: stdout, or a template failure (message, exit code).
pub fn images(l: &ImageListing) -> Result<String, (String, i32)> {
    let v = &l.view;
    let shown_id = |id: &crate::digest::Digest| {
        if v.no_trunc {
            id.as_str().to_string()
        } else {
            id.short().to_string()
        }
    };
    if v.quiet {
        return Ok(l
            .rows
            .iter()
            .map(|r| format!("{}\n", shown_id(&r.id)))
            .collect());
    }
    let digest = |r: &crate::event::ImageRow| {
        r.digest
            .as_ref()
            .map_or("<none>".to_string(), |d| d.as_str().to_string())
    };
    if let Some(fmt) = custom(&v.format) {
        let objects: Vec<serde_json::Value> = l
            .rows
            .iter()
            .map(|r| {
                let size = human_size_precision3(r.size);
                json!({
                    "Containers": "N/A",
                    "CreatedAt": crate::clock::go_time(r.created),
                    "CreatedSince": ago(l.now, r.created),
                    // The digest is looked up only when asked for (`--digests` or a format naming it).
                    "Digest": if v.digests || fmt.contains(".Digest") { digest(r) } else { "<none>".to_string() },
                    "ID": shown_id(&r.id),
                    "Repository": r.repository,
                    "SharedSize": "N/A",
                    "Size": size,
                    "Tag": r.tag,
                    "UniqueSize": "N/A",
                    "VirtualSize": size,
                })
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &objects,
            IMAGE_TITLES,
            "*formatter.imageContext",
            "template parsing error: ",
        ));
    }
    let mut header = vec!["REPOSITORY".to_string(), "TAG".into()];
    if v.digests {
        header.push("DIGEST".into());
    }
    header.extend(["IMAGE ID".to_string(), "CREATED".into(), "SIZE".into()]);
    let mut table = vec![header];
    for r in &l.rows {
        let mut row = vec![r.repository.clone(), r.tag.clone()];
        if v.digests {
            row.push(digest(r));
        }
        row.push(shown_id(&r.id));
        row.push(ago(l.now, r.created));
        row.push(human_size_precision3(r.size));
        table.push(row);
    }
    Ok(render_table(&table))
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

fn ports_column(c: &ContainerRow) -> String {
    let mut ports = c.ports.clone();
    ports.sort_by(|a, b| (a.container_port, &a.host_ip).cmp(&(b.container_port, &b.host_ip)));
    ports
        .iter()
        .map(|p| {
            format!(
                "{}:{}->{}/{}, [::]:{}->{}/{}",
                p.host_ip,
                p.host_port,
                p.container_port,
                p.proto,
                p.host_port,
                p.container_port,
                p.proto
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// `docker ps`: stdout, or a template failure (message, exit code).
pub fn containers(l: &ContainerListing) -> Result<String, (String, i32)> {
    let v = &l.view;
    let id = |c: &ContainerRow| {
        if v.no_trunc {
            c.id.clone()
        } else {
            short_id(&c.id).to_string()
        }
    };
    if v.quiet {
        return Ok(l.rows.iter().map(|c| format!("{}\n", id(c))).collect());
    }
    let command = |c: &ContainerRow| {
        let command = ps_command_string(&c.argv);
        if v.no_trunc {
            quote_command(&command)
        } else {
            truncate_command(&command)
        }
    };
    let size = |c: &ContainerRow| format!("0B (virtual {})", human_size_precision3(c.virtual_size));
    if let Some(fmt) = custom(&v.format) {
        let objects: Vec<serde_json::Value> = l
            .rows
            .iter()
            .map(|c| {
                json!({
                    "Command": command(c),
                    "CreatedAt": crate::clock::go_time(c.created),
                    "ID": id(c),
                    "Image": c.image,
                    "Labels": "",
                    "LocalVolumes": "0",
                    "Mounts": "",
                    "Names": c.name,
                    "Networks": "bridge",
                    "Platform": null,
                    "Ports": ports_column(c),
                    "RunningFor": ago(l.now, c.created),
                    // Sizes are computed only when asked for (`-s` or a format naming `.Size`).
                    "Size": if v.size || fmt.contains(".Size") { size(c) } else { "0B".to_string() },
                    "State": status_word(&c.state),
                    "Status": status(&c.state, l.now),
                })
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &objects,
            PS_TITLES,
            "*formatter.ContainerContext",
            "failed to execute template: ",
        ));
    }
    let mut rows = vec![vec![
        "CONTAINER ID".to_string(),
        "IMAGE".into(),
        "COMMAND".into(),
        "CREATED".into(),
        "STATUS".into(),
        "PORTS".into(),
        "NAMES".into(),
    ]];
    if v.size {
        rows[0].push("SIZE".into());
    }
    for c in &l.rows {
        let mut row = vec![
            id(c),
            c.image.clone(),
            command(c),
            ago(l.now, c.created),
            status(&c.state, l.now),
            ports_column(c),
            c.name.clone(),
        ];
        if v.size {
            row.push(size(c));
        }
        rows.push(row);
    }
    Ok(render_table(&rows))
}

/// Column titles of `docker ps --format 'table …'`.
const PS_TITLES: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("CreatedAt", "CREATED AT"),
    ("RunningFor", "CREATED"),
    ("Ports", "PORTS"),
    ("State", "STATE"),
    ("Status", "STATUS"),
    ("Size", "SIZE"),
    ("Names", "NAMES"),
    ("Labels", "LABELS"),
    ("Mounts", "MOUNTS"),
    ("Networks", "NETWORKS"),
    ("LocalVolumes", "LOCAL VOLUMES"),
];

/// `docker history`.
pub fn history(l: &HistoryListing) -> String {
    let image = |r: &crate::event::HistoryRow| match &r.image {
        Some(id) if l.no_trunc => id.as_str().to_string(),
        Some(id) => id.short().to_string(),
        None => "<missing>".to_string(),
    };
    if l.quiet {
        return l.rows.iter().map(|r| format!("{}\n", image(r))).collect();
    }
    let mut rows = vec![vec![
        "IMAGE".to_string(),
        "CREATED".into(),
        "CREATED BY".into(),
        "SIZE".into(),
        "COMMENT".into(),
    ]];
    for r in &l.rows {
        rows.push(vec![
            image(r),
            ago(l.now, r.created),
            if l.no_trunc {
                r.created_by.clone()
            } else {
                ellipsis(&r.created_by, 45)
            },
            human_size_precision3(r.size),
            r.comment.clone(),
        ]);
    }
    render_table(&rows)
}
