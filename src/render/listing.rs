//! Listings: `docker images`, `docker ps` and `docker history` as tables, `-q` IDs or `--format` lines,
//! from the rows the engine selected.

use super::table::{ellipsis, ps_command_string, quote_command, render_table, truncate_command};
use super::template::{self, custom, formatted};
use super::units::{ago, human_duration, human_size_precision3};
use crate::event::{ContainerListing, ContainerRow, HistoryListing, ImageListing};
use crate::model::container::State;
use serde_json::json;
use std::borrow::Cow;

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
    let mut ports: Vec<ShownPort> = Vec::new();
    for p in &c.ports {
        let ips: Vec<&str> = if p.spec_ip.is_empty() {
            vec!["0.0.0.0", "::"]
        } else {
            vec![p.host_ip.as_str()]
        };
        for ip in ips {
            ports.push(ShownPort {
                ip: ip.to_string(),
                public: p.host_port,
                private: p.container_port,
                proto: p.proto.clone(),
            });
        }
    }
    // Exposed ports nothing publishes show as `80/tcp`.
    for exposed in &c.exposed {
        let (port, proto) = exposed.split_once('/').unwrap_or((exposed.as_str(), "tcp"));
        let Ok(port) = port.parse::<u16>() else {
            continue;
        };
        if !c
            .ports
            .iter()
            .any(|p| p.container_port == port && p.proto == proto)
        {
            ports.push(ShownPort {
                ip: String::new(),
                public: 0,
                private: port,
                proto: proto.to_string(),
            });
        }
    }
    displayable_ports(ports)
}

/// One entry of the API's port list (`container.Port`).
struct ShownPort {
    ip: String,
    public: u16,
    private: u16,
    proto: String,
}

/// The CLI's `DisplayablePorts`: sorted by container port, then address; runs of consecutive ports that
/// map to themselves (or are only exposed) collapse into ranges, listed first; other mappings follow.
fn displayable_ports(mut ports: Vec<ShownPort>) -> String {
    ports.sort_by(|a, b| {
        (a.private, &a.ip, a.public, &a.proto).cmp(&(b.private, &b.ip, b.public, &b.proto))
    });
    let join = |ip: &str, port: String| {
        if ip.contains(':') {
            format!("[{ip}]:{port}")
        } else {
            format!("{ip}:{port}")
        }
    };
    let group_text = |key: &(String, String), first: u16, last: u16| {
        let range = if first == last {
            first.to_string()
        } else {
            format!("{first}-{last}")
        };
        if key.0.is_empty() {
            format!("{range}/{}", key.1)
        } else {
            format!("{}->{range}/{}", join(&key.0, range.clone()), key.1)
        }
    };
    let mut groups: Vec<((String, String), u16, u16)> = Vec::new();
    let mut done = Vec::new();
    let mut mappings = Vec::new();
    for p in &ports {
        if !p.ip.is_empty() && p.public != p.private {
            mappings.push(format!(
                "{}->{}/{}",
                join(&p.ip, p.public.to_string()),
                p.private,
                p.proto
            ));
            continue;
        }
        let key = (p.ip.clone(), p.proto.clone());
        match groups.iter_mut().find(|g| g.0 == key) {
            None => groups.push((key, p.private, p.private)),
            Some(g) if p.private == g.2.saturating_add(1) => g.2 = p.private,
            Some(g) => {
                done.push(group_text(&g.0, g.1, g.2));
                g.1 = p.private;
                g.2 = p.private;
            }
        }
    }
    done.extend(groups.iter().map(|g| group_text(&g.0, g.1, g.2)));
    done.extend(mappings);
    done.join(", ")
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
                    "Labels": c.labels.join(","),
                    "LocalVolumes": c.local_volumes.to_string(),
                    // docker/cli `formatter/container.go`: names cut to 15 columns unless `--no-trunc`.
                    "Mounts": c.mounts.iter().map(|m| if v.no_trunc {
                        m.clone()
                    } else {
                        ellipsis(m, 15)
                    }).collect::<Vec<_>>().join(","),
                    "Names": c.name,
                    "Networks": c.networks.join(","),
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
    // The titles and the names are borrowed: only the cells made for the listing are new strings.
    let mut rows: Vec<Vec<Cow<'_, str>>> = vec![
        [
            "CONTAINER ID",
            "IMAGE",
            "COMMAND",
            "CREATED",
            "STATUS",
            "PORTS",
            "NAMES",
        ]
        .map(Cow::Borrowed)
        .to_vec(),
    ];
    if v.size {
        rows[0].push("SIZE".into());
    }
    for c in &l.rows {
        let id: Cow<'_, str> = if v.no_trunc {
            Cow::Borrowed(&c.id[..])
        } else {
            short_id(&c.id).into()
        };
        let mut row = vec![
            id,
            Cow::Borrowed(&c.image[..]),
            command(c).into(),
            ago(l.now, c.created).into(),
            status(&c.state, l.now).into(),
            ports_column(c).into(),
            Cow::Borrowed(&c.name[..]),
        ];
        if v.size {
            row.push(size(c).into());
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
pub fn history(l: &HistoryListing) -> Result<String, (String, i32)> {
    let image = |r: &crate::event::HistoryRow| match &r.image {
        Some(id) if l.no_trunc => id.as_str().to_string(),
        Some(id) => id.short().to_string(),
        None => "<missing>".to_string(),
    };
    if l.quiet {
        return Ok(l.rows.iter().map(|r| format!("{}\n", image(r))).collect());
    }
    // docker/cli's history formatter: RFC 3339 times and byte counts unless human, tabs as spaces, and
    // `N/A` for a time before 2000.
    let created_at = |r: &crate::event::HistoryRow| crate::clock::rfc3339_secs(r.created);
    let since = |r: &crate::event::HistoryRow| {
        if !l.human {
            created_at(r)
        } else if r.created <= 946_684_800 {
            "N/A".to_string()
        } else {
            ago(l.now, r.created)
        }
    };
    let size = |r: &crate::event::HistoryRow| {
        if l.human {
            human_size_precision3(r.size)
        } else {
            r.size.to_string()
        }
    };
    let created_by = |r: &crate::event::HistoryRow| {
        let by = r.created_by.replace('\t', " ");
        if l.no_trunc { by } else { ellipsis(&by, 45) }
    };
    if let Some(fmt) = l
        .format
        .as_deref()
        .filter(|f| !f.is_empty() && *f != "table")
    {
        let objects: Vec<serde_json::Value> = l
            .rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "ID": image(r),
                    "CreatedSince": since(r),
                    "CreatedAt": created_at(r),
                    "CreatedBy": created_by(r),
                    "Size": size(r),
                    "Comment": r.comment,
                })
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &objects,
            &[
                ("ID", "IMAGE"),
                ("CreatedSince", "CREATED"),
                ("CreatedAt", "CREATED AT"),
                ("CreatedBy", "CREATED BY"),
                ("Size", "SIZE"),
                ("Comment", "COMMENT"),
            ],
            "*formatter.historyContext",
            "template parsing error: ",
        ));
    }
    let mut rows = vec![vec![
        "IMAGE".to_string(),
        if l.human { "CREATED" } else { "CREATED AT" }.into(),
        "CREATED BY".into(),
        "SIZE".into(),
        "COMMENT".into(),
    ]];
    for r in &l.rows {
        rows.push(vec![
            image(r),
            since(r),
            created_by(r),
            size(r),
            r.comment.clone(),
        ]);
    }
    Ok(render_table(&rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::HistoryRow;

    fn listing(human: bool, format: Option<&str>) -> HistoryListing {
        HistoryListing {
            rows: vec![HistoryRow {
                image: None,
                created: crate::clock::WORLD_EPOCH,
                created_by: "CMD [\"sh\"]\tx".into(),
                size: 1_984_132,
                comment: String::new(),
            }],
            quiet: false,
            no_trunc: false,
            format: format.map(str::to_string),
            human,
            now: crate::clock::WORLD_EPOCH + 60,
        }
    }

    /// docker/cli's history formatter: `-H=false` gives bytes, RFC 3339 times and a `CREATED AT` column;
    /// `CreatedAt` is RFC 3339 either way; tabs in `CREATED BY` become spaces (the oracle printed the same).
    #[test]
    fn history_human_and_not() {
        let plain = history(&listing(false, None)).expect("table");
        assert!(plain.starts_with("IMAGE       CREATED AT             CREATED BY"));
        assert!(plain.contains("2026-03-02T09:00:00Z   CMD [\"sh\"] x   1984132"));
        let human = history(&listing(
            true,
            Some("{{.CreatedAt}}|{{.CreatedSince}}|{{.Size}}"),
        ))
        .expect("format");
        assert_eq!(human, "2026-03-02T09:00:00Z|About a minute ago|1.98MB\n");
    }
}
