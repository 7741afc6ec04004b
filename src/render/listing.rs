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
    // docker/cli `NewImageFormat`: `-q` picks the IDs for the table (and `raw`); a format of one's own wins.
    let raw = image_raw_format(v.format.as_deref(), v.quiet, v.digests);
    let format = raw
        .map(str::to_string)
        .or_else(|| custom(&v.format).map(str::to_string));
    if v.quiet && format.is_none() {
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
    if let Some(fmt) = format.as_deref() {
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
    // The titles, repositories and tags are borrowed: only the cells made for the listing are new strings.
    let mut header: Vec<Cow<'_, str>> = vec!["REPOSITORY".into(), "TAG".into()];
    if v.digests {
        header.push("DIGEST".into());
    }
    header.extend(["IMAGE ID", "CREATED", "SIZE"].map(Cow::Borrowed));
    let mut table = Vec::with_capacity(l.rows.len() + 1);
    table.push(header);
    for r in &l.rows {
        let mut row: Vec<Cow<'_, str>> = Vec::with_capacity(6);
        row.push(Cow::Borrowed(&r.repository));
        row.push(Cow::Borrowed(&r.tag));
        if v.digests {
            row.push(digest(r).into());
        }
        row.push(shown_id(&r.id).into());
        row.push(ago(l.now, r.created).into());
        row.push(human_size_precision3(r.size).into());
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
    // Nothing published and at most one exposed port (most containers): that port alone, as the
    // grouping below would show it.
    if c.ports.is_empty() && c.exposed.len() <= 1 {
        let Some(exposed) = c.exposed.first() else {
            return String::new();
        };
        let (port, proto) = exposed.split_once('/').unwrap_or((exposed.as_str(), "tcp"));
        let Ok(port) = port.parse::<u16>() else {
            return String::new();
        };
        return format!("{port}/{proto}");
    }
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
    let raw = container_raw_format(v.format.as_deref(), v.quiet, v.size);
    if let Some(fmt) = custom(&v.format) {
        // The CLI parses the template before it lists anything (`buildContainerListOptions`).
        if let Err(e) = template::parse_only(fmt) {
            let cause = e.message.trim_start_matches("template parsing error: ");
            return Err((format!("failed to parse template: {cause}"), 1));
        }
    }
    // docker/cli `NewContainerFormat`: `-q` wins over any format (with a warning for one's own).
    if v.quiet && raw.is_none() {
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
    if let Some(fmt) = raw.or(custom(&v.format)) {
        // Sizes are computed only when asked for: `-s`, or a format that reads `.Size` (marshalling the
        // whole row with `{{json .}}` reads it too).
        let sized = v.size || fmt.contains(".Size") || marshals_the_row(fmt);
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
                    "Size": if sized { size(c) } else { "0B".to_string() },
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

/// `{{json .}}` (spaces allowed): the template marshals every field of the row.
fn marshals_the_row(fmt: &str) -> bool {
    let compact: String = fmt.split_whitespace().collect();
    compact.contains("json.}}") || compact.contains("json.-}}")
}

/// `docker images --format raw` (docker/cli `NewImageFormat`, `RawFormatKey`).
fn image_raw_format(format: Option<&str>, quiet: bool, digests: bool) -> Option<&'static str> {
    if format != Some("raw") {
        return None;
    }
    Some(if quiet {
        "image_id: {{.ID}}"
    } else if digests {
        "repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n"
    } else {
        "repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n"
    })
}

/// `docker ps --format raw` (docker/cli `NewContainerFormat`, `RawFormatKey`).
fn container_raw_format(format: Option<&str>, quiet: bool, size: bool) -> Option<&'static str> {
    if format != Some("raw") {
        return None;
    }
    const RAW: &str = "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n";
    const RAW_SIZED: &str = "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\nsize: {{.Size}}\n";
    Some(if quiet {
        "container_id: {{.ID}}"
    } else if size {
        RAW_SIZED
    } else {
        RAW
    })
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
            // `{{json .}}` marshals the formatter's map, so Go writes the keys sorted.
            .map(|r| {
                serde_json::json!({
                    "Comment": r.comment,
                    "CreatedAt": created_at(r),
                    "CreatedBy": created_by(r),
                    "CreatedSince": since(r),
                    "ID": image(r),
                    "Size": size(r),
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
            "*image.historyContext",
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

    /// `{{json .}}` / `--format json` of a history row: Go marshals the formatter's map, keys sorted
    /// (oracle: `{"Comment":…,"CreatedAt":…,"CreatedBy":…,"CreatedSince":…,"ID":…,"Size":…}`).
    #[test]
    fn history_json_keys_are_sorted() {
        let json = history(&listing(true, Some("{{json .}}"))).expect("format");
        let line = json.lines().next().expect("a row");
        let row: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let keys: Vec<&String> = row.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "Comment",
                "CreatedAt",
                "CreatedBy",
                "CreatedSince",
                "ID",
                "Size"
            ]
        );
    }

    /// docker/cli `NewImageFormat` / `NewContainerFormat` and `buildContainerListOptions`.
    #[test]
    fn raw_formats_and_what_requests_sizes() {
        assert_eq!(
            image_raw_format(Some("raw"), true, false),
            Some("image_id: {{.ID}}")
        );
        assert!(image_raw_format(Some("raw"), false, true).is_some_and(|f| f.contains("digest: ")));
        assert_eq!(image_raw_format(Some("{{.ID}}"), false, false), None);
        assert!(
            container_raw_format(Some("raw"), false, true)
                .is_some_and(|f| f.ends_with("size: {{.Size}}\n"))
        );
        assert!(marshals_the_row("{{json .}}"));
        assert!(marshals_the_row("{{ json . }}"));
        assert!(!marshals_the_row("json"));
        assert!(!marshals_the_row("{{json .Names}}"));
    }
}
