//! Docker's words for the daemon looking at itself and at its containers' layers: `info`, `system df`,
//! `stats`, `search`, `system prune` and `diff`.
//!
//! Layouts from docker/cli v28.2.2: `system/info.go` (`prettyPrintInfo`: no `Registry:` line, `Username:`
//! only when logged in to Docker Hub), `formatter/disk_usage.go`, `container/stats_helpers.go` and
//! `formatter/stats.go`, `registry/formatter_search.go`, `system/prune.go`. The engine-side values of `info`
//! (kernel, OS, runtimes, containerd and runc commits) are those of a default Docker Engine 28.2.2 on a
//! Linux host, the same as `docker version` shows.

use super::listing::status;
use super::table::{ellipsis, ps_command_string, quote_command, render_table, truncate_command};
use super::template::{self, Strictness, custom, formatted};
use super::units::{ago, bytes_size, human_size, human_size_precision3};
use crate::event::{
    DiskUsage, InfoReport, PruneEntry, SearchListing, StatsListing, StatsRow, SystemPruneReport,
};
use crate::model::objects::Change;
use serde_json::{Value, json};

/// The JSON `docker info --format` templates read (the fields a learner looks at).
fn info_json(r: &InfoReport) -> Value {
    json!({
        "ID": r.id,
        "Containers": r.containers,
        "ContainersRunning": r.running,
        "ContainersPaused": r.paused,
        "ContainersStopped": r.stopped,
        "Images": r.images,
        "Driver": "overlay2",
        "DriverStatus": [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Using metacopy", "false"], ["Native Overlay Diff", "true"], ["userxattr", "false"]],
        "Plugins": {
            "Volume": ["local"],
            "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
            "Authorization": null,
            "Log": ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"],
        },
        "LoggingDriver": "json-file",
        "CgroupDriver": "systemd",
        "CgroupVersion": "2",
        "KernelVersion": "6.8.0-60-generic",
        "OperatingSystem": "Ubuntu 24.04.2 LTS",
        "OSVersion": "24.04",
        "OSType": "linux",
        "Architecture": r.architecture,
        "NCPU": r.cpus,
        "MemTotal": r.memory,
        "DockerRootDir": "/var/lib/docker",
        "Name": r.name,
        "Labels": [],
        "ExperimentalBuild": false,
        "ServerVersion": "28.2.2",
        "DefaultRuntime": "runc",
        "Swarm": {"LocalNodeState": "inactive"},
        "LiveRestoreEnabled": false,
        "Isolation": "",
        "InitBinary": "docker-init",
        "ContainerdCommit": {"ID": "05044ec0a9a75232cad458027ca83437aae3f4da"},
        "RuncCommit": {"ID": "v1.2.5-0-g59923ef"},
        "InitCommit": {"ID": "de40ad0"},
        "SecurityOptions": ["name=apparmor", "name=seccomp,profile=builtin", "name=cgroupns"],
        "Warnings": null,
        "ClientInfo": {"Debug": false, "Version": "28.2.2", "Context": "default", "Plugins": [], "Warnings": null},
    })
}

/// `docker info`: the pretty text, or the `--format` result.
pub fn info(r: &InfoReport) -> Result<String, (String, i32)> {
    if let Some(fmt) = &r.format {
        let v = info_json(r);
        if fmt == "json" || fmt == "{{json .}}" {
            return Ok(format!("{}\n", template::go_json(&v)));
        }
        return formatted(
            template::render(
                &template::prepare(fmt).1,
                &v,
                Strictness::Strict("system.dockerInfo"),
            )
            .map(|s| format!("{s}\n")),
        );
    }
    let mut t = String::new();
    t.push_str(
        "Client:\n Version:    28.2.2\n Context:    default\n Debug Mode: false\n\nServer:\n",
    );
    t.push_str(&format!(
        " Containers: {}\n  Running: {}\n  Paused: {}\n  Stopped: {}\n Images: {}\n",
        r.containers, r.running, r.paused, r.stopped, r.images
    ));
    t.push_str(
        " Server Version: 28.2.2
 Storage Driver: overlay2
  Backing Filesystem: extfs
  Supports d_type: true
  Using metacopy: false
  Native Overlay Diff: true
  userxattr: false
 Logging Driver: json-file
 Cgroup Driver: systemd
 Cgroup Version: 2
 Plugins:
  Volume: local
  Network: bridge host ipvlan macvlan null overlay
  Log: awslogs fluentd gcplogs gelf journald json-file local splunk syslog
 Swarm: inactive
 Runtimes: io.containerd.runc.v2 runc
 Default Runtime: runc
 Init Binary: docker-init
 containerd version: 05044ec0a9a75232cad458027ca83437aae3f4da
 runc version: v1.2.5-0-g59923ef
 init version: de40ad0
 Security Options:
  apparmor
  seccomp
   Profile: builtin
  cgroupns
 Kernel Version: 6.8.0-60-generic
 Operating System: Ubuntu 24.04.2 LTS
 OSType: linux
",
    );
    t.push_str(&format!(
        " Architecture: {}\n CPUs: {}\n Total Memory: {}\n Name: {}\n ID: {}\n",
        r.architecture,
        r.cpus,
        bytes_size(r.memory),
        r.name,
        r.id
    ));
    t.push_str(" Docker Root Dir: /var/lib/docker\n Debug Mode: false\n");
    if let Some(user) = &r.username {
        t.push_str(&format!(" Username: {user}\n"));
    }
    t.push_str(
        " Experimental: false\n Insecure Registries:\n  ::1/128\n  127.0.0.0/8\n Live Restore Enabled: false\n\n",
    );
    Ok(t)
}

/// The CLI's `size (percent%)` of a reclaimable total; the bare size when the total is zero.
fn reclaimable(part: u64, total: u64) -> String {
    match part.saturating_mul(100).checked_div(total) {
        Some(percent) => format!("{} ({percent}%)", human_size(part)),
        None => human_size(part),
    }
}

/// `docker system df [-v]`.
pub fn disk_usage(d: &DiskUsage) -> Result<String, (String, i32)> {
    let used_unique: u64 = d
        .images
        .iter()
        .filter(|i| i.containers > 0)
        .map(|i| i.size - i.shared.min(i.size))
        .sum();
    let images_reclaimable = d.layers_size.saturating_sub(used_unique);
    let c_total: u64 = d.containers.iter().map(|c| c.size).sum();
    let c_active = |c: &&crate::event::DfContainer| {
        matches!(
            c.state,
            crate::model::container::State::Running { .. }
                | crate::model::container::State::Paused { .. }
        )
    };
    let c_reclaimable: u64 = d
        .containers
        .iter()
        .filter(|c| !c_active(c))
        .map(|c| c.size)
        .sum();
    let builder_size: u64 = d
        .build_cache
        .iter()
        .filter(|b| !b.shared)
        .map(|b| b.size)
        .sum();
    if d.verbose {
        if let Some(fmt) = custom(&d.format) {
            return formatted(verbose_formatted(d, fmt));
        }
        return Ok(verbose_disk_usage(d, builder_size));
    }
    let summary = [
        (
            "Images",
            d.images.len(),
            d.images.iter().filter(|i| i.containers > 0).count(),
            human_size(d.layers_size),
            reclaimable(images_reclaimable, d.layers_size),
        ),
        (
            "Containers",
            d.containers.len(),
            d.containers.iter().filter(c_active).count(),
            human_size(c_total),
            reclaimable(c_reclaimable, c_total),
        ),
        (
            "Local Volumes",
            d.volumes.len(),
            d.volumes.iter().filter(|v| v.links > 0).count(),
            human_size(0),
            human_size(0),
        ),
        (
            "Build Cache",
            d.build_cache.len(),
            0,
            human_size(builder_size),
            human_size(builder_size),
        ),
    ];
    if let Some(fmt) = custom(&d.format) {
        let rows: Vec<Value> = summary
            .iter()
            .map(|(ty, total, active, size, rec)| {
                // `{{json .}}` marshals the context's map: Go sorts the keys.
                json!({"Active": active.to_string(), "Reclaimable": rec, "Size": size, "TotalCount": total.to_string(), "Type": ty})
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &rows,
            &[
                ("Type", "TYPE"),
                ("TotalCount", "TOTAL"),
                ("Active", "ACTIVE"),
                ("Size", "SIZE"),
                ("Reclaimable", "RECLAIMABLE"),
            ],
            "*formatter.diskUsageImagesContext",
            "",
        ));
    }
    let mut rows = vec![vec![
        "TYPE".to_string(),
        "TOTAL".into(),
        "ACTIVE".into(),
        "SIZE".into(),
        "RECLAIMABLE".into(),
    ]];
    for (ty, total, active, size, rec) in summary {
        rows.push(vec![
            ty.to_string(),
            total.to_string(),
            active.to_string(),
            size,
            rec,
        ]);
    }
    Ok(render_table(&rows))
}

/// `system df -v --format`: the template runs once on the whole report (docker/cli `verboseWrite`: images,
/// containers without their virtual size, volumes and build cache, untruncated), with no newline after it.
fn verbose_formatted(d: &DiskUsage, fmt: &str) -> Result<String, template::TemplateError> {
    let images: Vec<Value> = d
        .images
        .iter()
        .map(|i| {
            json!({
                "Containers": i.containers.to_string(),
                "CreatedAt": crate::clock::go_time(i.created),
                "CreatedSince": ago(d.now, i.created),
                "Digest": "",
                "ID": i.id.as_str(),
                "Repository": i.repository,
                "SharedSize": human_size(i.shared),
                "Size": human_size_precision3(i.size),
                "Tag": i.tag,
                "UniqueSize": human_size(i.size - i.shared.min(i.size)),
                "VirtualSize": human_size(i.size),
            })
        })
        .collect();
    let containers: Vec<Value> = d
        .containers
        .iter()
        .map(|c| {
            json!({
                "Command": quote_command(&ps_command_string(&c.argv)),
                "CreatedAt": crate::clock::go_time(c.created),
                "ID": c.id,
                "Image": c.image,
                "Labels": "",
                "LocalVolumes": c.volumes.to_string(),
                "Mounts": "",
                "Names": c.name,
                "Networks": "bridge",
                "Platform": null,
                "Ports": "",
                "RunningFor": ago(d.now, c.created),
                "Size": human_size_precision3(c.size),
                "State": match c.state {
                    crate::model::container::State::Created => "created",
                    crate::model::container::State::Running { .. } => "running",
                    crate::model::container::State::Paused { .. } => "paused",
                    crate::model::container::State::Exited { .. } => "exited",
                },
                "Status": status(&c.state, d.now),
            })
        })
        .collect();
    let volumes: Vec<Value> = d
        .volumes
        .iter()
        .map(|v| {
            json!({
                "Availability": "N/A",
                "Driver": "local",
                "Group": "N/A",
                "Labels": "",
                "Links": v.links.to_string(),
                "Mountpoint": format!("/var/lib/docker/volumes/{}/_data", v.name),
                "Name": v.name,
                "Scope": "local",
                "Size": "0B",
                "Status": "N/A",
            })
        })
        .collect();
    let cache: Vec<Value> = d
        .build_cache
        .iter()
        .map(|b| {
            json!({
                "CacheType": "regular",
                "CreatedAt": crate::clock::go_time(b.created),
                "CreatedSince": ago(d.now, b.created),
                "Description": "",
                "ID": b.id,
                "InUse": "false",
                "LastUsedAt": crate::clock::go_time(b.created),
                "LastUsedSince": ago(d.now, b.created),
                "Parent": "",
                "Shared": b.shared.to_string(),
                "Size": human_size_precision3(b.size),
                "UsageCount": "1",
            })
        })
        .collect();
    let report = json!({
        "Images": images,
        "Containers": containers,
        "Volumes": volumes,
        "BuildCache": cache,
    });
    let fmt = if fmt == "json" { "{{json .}}" } else { fmt };
    // A formatter's template error ends the command with exit 1 (not `inspect`'s 64).
    template::render(
        &template::prepare(fmt).1,
        &report,
        Strictness::Strict("*formatter.diskUsageContext"),
    )
    .map_err(|e| template::TemplateError {
        parsing: false,
        ..e
    })
}

fn verbose_disk_usage(d: &DiskUsage, builder_size: u64) -> String {
    let mut t = String::from("Images space usage:\n\n");
    let mut rows = vec![
        [
            "REPOSITORY",
            "TAG",
            "IMAGE ID",
            "CREATED",
            "SIZE",
            "SHARED SIZE",
            "UNIQUE SIZE",
            "CONTAINERS",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for i in &d.images {
        rows.push(vec![
            i.repository.clone(),
            i.tag.clone(),
            i.id.short().to_string(),
            ago(d.now, i.created),
            human_size_precision3(i.size),
            human_size(i.shared),
            human_size(i.size - i.shared.min(i.size)),
            i.containers.to_string(),
        ]);
    }
    t.push_str(&render_table(&rows));
    t.push_str("\nContainers space usage:\n\n");
    let mut rows = vec![
        [
            "CONTAINER ID",
            "IMAGE",
            "COMMAND",
            "LOCAL VOLUMES",
            "SIZE",
            "CREATED",
            "STATUS",
            "NAMES",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for c in &d.containers {
        rows.push(vec![
            c.id.get(..12).unwrap_or(&c.id).to_string(),
            c.image.clone(),
            truncate_command(&ps_command_string(&c.argv)),
            c.volumes.to_string(),
            human_size_precision3(c.size),
            ago(d.now, c.created),
            status(&c.state, d.now),
            c.name.clone(),
        ]);
    }
    t.push_str(&render_table(&rows));
    t.push_str("\nLocal Volumes space usage:\n\n");
    let mut rows = vec![vec![
        "VOLUME NAME".to_string(),
        "LINKS".into(),
        "SIZE".into(),
    ]];
    for v in &d.volumes {
        rows.push(vec![v.name.clone(), v.links.to_string(), "0B".into()]);
    }
    t.push_str(&render_table(&rows));
    t.push_str(&format!(
        "\nBuild cache usage: {}\n\n",
        human_size(builder_size)
    ));
    let mut rows = vec![
        [
            "CACHE ID",
            "CACHE TYPE",
            "SIZE",
            "CREATED",
            "LAST USED",
            "USAGE",
            "SHARED",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for b in &d.build_cache {
        rows.push(vec![
            b.id.clone(),
            "regular".into(),
            human_size_precision3(b.size),
            ago(d.now, b.created),
            ago(d.now, b.created),
            "1".into(),
            b.shared.to_string(),
        ]);
    }
    t.push_str(&render_table(&rows));
    t
}

/// `docker stats`: one frame.
pub fn stats(l: &StatsListing) -> Result<String, (String, i32)> {
    let id = |r: &StatsRow| {
        if l.no_trunc {
            r.id.clone()
        } else {
            r.id.get(..12).unwrap_or(&r.id).to_string()
        }
    };
    let mem = |r: &StatsRow| {
        if r.running {
            format!("{} / {}", bytes_size(r.memory), bytes_size(l.limit))
        } else {
            "0B / 0B".into()
        }
    };
    let perc = |r: &StatsRow| {
        let p = if r.running && l.limit > 0 {
            r.memory as f64 * 100.0 / l.limit as f64
        } else {
            0.0
        };
        format!("{p:.2}%")
    };
    if let Some(fmt) = custom(&l.format) {
        let rows: Vec<Value> = l
            .rows
            .iter()
            .map(|r| {
                json!({
                    "BlockIO": "0B / 0B",
                    "CPUPerc": "0.00%",
                    "Container": r.name,
                    "ID": id(r),
                    "MemPerc": perc(r),
                    "MemUsage": mem(r),
                    "Name": r.name,
                    "NetIO": "0B / 0B",
                    "PIDs": r.pids.to_string(),
                })
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &rows,
            &[
                ("Container", "CONTAINER"),
                ("ID", "CONTAINER ID"),
                ("Name", "NAME"),
                ("CPUPerc", "CPU %"),
                ("MemUsage", "MEM USAGE / LIMIT"),
                ("MemPerc", "MEM %"),
                ("NetIO", "NET I/O"),
                ("BlockIO", "BLOCK I/O"),
                ("PIDs", "PIDS"),
            ],
            "*formatter.statsContext",
            "",
        ));
    }
    let mut rows = vec![
        [
            "CONTAINER ID",
            "NAME",
            "CPU %",
            "MEM USAGE / LIMIT",
            "MEM %",
            "NET I/O",
            "BLOCK I/O",
            "PIDS",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in &l.rows {
        rows.push(vec![
            id(r),
            r.name.clone(),
            "0.00%".into(),
            mem(r),
            perc(r),
            "0B / 0B".into(),
            "0B / 0B".into(),
            r.pids.to_string(),
        ]);
    }
    Ok(render_table(&rows))
}

/// `docker search`.
pub fn search(l: &SearchListing) -> Result<String, (String, i32)> {
    let desc = |d: &str| {
        let d = d.replace(['\n', '\r'], " ");
        if l.no_trunc { d } else { ellipsis(&d, 45) }
    };
    if let Some(fmt) = custom(&l.format) {
        let json_out = fmt == "json";
        let rows: Vec<Value> = l
            .rows
            .iter()
            .map(|r| {
                let official = match (r.official, json_out) {
                    (true, true) => "true",
                    (true, false) => "[OK]",
                    (false, true) => "false",
                    (false, false) => "",
                };
                json!({
                    "Description": desc(&r.description),
                    "IsAutomated": if json_out { "false" } else { "" },
                    "IsOfficial": official,
                    "Name": r.name,
                    "StarCount": r.stars.to_string(),
                })
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &rows,
            &[
                ("Name", "NAME"),
                ("Description", "DESCRIPTION"),
                ("StarCount", "STARS"),
                ("IsOfficial", "OFFICIAL"),
                ("IsAutomated", "AUTOMATED"),
            ],
            "*registry.searchContext",
            "",
        ));
    }
    let mut rows = vec![vec![
        "NAME".to_string(),
        "DESCRIPTION".into(),
        "STARS".into(),
        "OFFICIAL".into(),
    ]];
    for r in &l.rows {
        rows.push(vec![
            r.name.clone(),
            desc(&r.description),
            r.stars.to_string(),
            if r.official { "[OK]" } else { "" }.into(),
        ]);
    }
    Ok(render_table(&rows))
}

/// `docker system prune`'s report (docker/cli `system/prune.go`: each section, then the total).
pub fn pruned(r: &SystemPruneReport) -> String {
    let mut t = String::new();
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            t.push_str(title);
            t.push('\n');
            for l in lines {
                t.push_str(&l);
                t.push('\n');
            }
            t.push('\n');
        }
    };
    section("Deleted Containers:", r.containers.clone());
    section("Deleted Networks:", r.networks.clone());
    section("Deleted Volumes:", r.volumes.clone());
    section(
        "Deleted Images:",
        r.images
            .iter()
            .map(|e| match e {
                PruneEntry::Untagged(s) => format!("untagged: {s}"),
                PruneEntry::Deleted(d) => format!("deleted: {d}"),
            })
            .collect(),
    );
    section("Deleted build cache objects:", r.build_cache.clone());
    t.push_str(&format!(
        "Total reclaimed space: {}\n",
        human_size(r.reclaimed)
    ));
    t
}

/// `docker network prune`'s report (docker/cli `network/prune.go`: no total, networks hold no bytes).
pub fn networks_pruned(names: &[String]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let mut t = String::from("Deleted Networks:\n");
    for n in names {
        t.push_str(n);
        t.push('\n');
    }
    t.push('\n');
    t
}

/// `docker volume prune`'s report (docker/cli `volume/prune.go`).
pub fn volumes_pruned(names: &[String]) -> String {
    let mut t = networks_pruned(names).replacen("Deleted Networks:", "Deleted Volumes:", 1);
    t.push_str("Total reclaimed space: 0B\n");
    t
}

/// `docker system prune`'s question for its options.
pub fn prune_prompt(all: bool, volumes: bool) -> &'static str {
    match (all, volumes) {
        (false, false) => {
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n\nAre you sure you want to continue? [y/N] "
        }
        (false, true) => {
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all anonymous volumes not used by at least one container\n  - all dangling images\n  - unused build cache\n\nAre you sure you want to continue? [y/N] "
        }
        (true, false) => {
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all images without at least one container associated to them\n  - all build cache\n\nAre you sure you want to continue? [y/N] "
        }
        (true, true) => {
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all anonymous volumes not used by at least one container\n  - all images without at least one container associated to them\n  - all build cache\n\nAre you sure you want to continue? [y/N] "
        }
    }
}

/// `docker diff`: one `A`/`C`/`D` line per path.
pub fn diff(lines: &[(Change, String)]) -> String {
    lines
        .iter()
        .map(|(c, p)| {
            let letter = match c {
                Change::Added => 'A',
                Change::Changed => 'C',
                Change::Deleted => 'D',
            };
            format!("{letter} {p}\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{DfContainer, DfImage, VolumeRow};

    #[test]
    fn binary_sizes_as_go_units() {
        assert_eq!(bytes_size(656 * 1024), "656KiB");
        assert_eq!(bytes_size(8 << 30), "8GiB");
        assert_eq!(bytes_size(0), "0B");
        assert_eq!(bytes_size(25_275_000_000), "23.54GiB");
    }

    /// The oracle's `docker stats --no-stream` row shape (its memory figures differ by nature).
    #[test]
    fn stats_frame() {
        let l = StatsListing {
            rows: vec![StatsRow {
                id: "57a6a8cc6e646b69275f4d1b1e8408fa".into(),
                name: "web".into(),
                memory: 656 * 1024,
                pids: 1,
                running: true,
            }],
            limit: 8 << 30,
            no_trunc: false,
            format: None,
        };
        assert_eq!(
            stats(&l).unwrap(),
            "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS\n57a6a8cc6e64   web       0.00%     656KiB / 8GiB       0.01%     0B / 0B   0B / 0B     1\n"
        );
    }

    /// The oracle's `docker system df` with one image used by one running container and three volumes.
    #[test]
    fn disk_usage_summary() {
        let d = DiskUsage {
            images: vec![DfImage {
                repository: "busybox".into(),
                tag: "latest".into(),
                id: crate::digest::Digest::of(b"x"),
                created: 0,
                size: 1_984_000,
                shared: 0,
                containers: 1,
            }],
            layers_size: 1_984_000,
            containers: vec![DfContainer {
                id: "b9456a89f397".into(),
                image: "busybox".into(),
                argv: vec!["sleep".into(), "3600".into()],
                volumes: 1,
                size: 0,
                created: 0,
                state: crate::model::container::State::Running {
                    started: 0,
                    ends_at: None,
                    end_code: 0,
                    on_term: crate::model::container::OnTerm::Ignore,
                },
                name: "web".into(),
            }],
            volumes: (0..3)
                .map(|i| VolumeRow {
                    name: format!("v{i}"),
                    created: 0,
                    anonymous: false,
                    links: usize::from(i == 0),
                })
                .collect(),
            build_cache: vec![],
            verbose: false,
            format: None,
            now: 0,
        };
        assert_eq!(
            disk_usage(&d).unwrap(),
            "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\nImages          1         1         1.984MB   0B (0%)\nContainers      1         1         0B        0B\nLocal Volumes   3         1         0B        0B\nBuild Cache     0         0         0B        0B\n"
        );
        // `-v --format`: one run of the template on the whole report, no newline after it (oracle).
        let verbose = DiskUsage {
            verbose: true,
            format: Some("{{range .Images}}{{.Repository}} {{.Size}} {{.VirtualSize}}{{end}}|{{len .Volumes}}|{{(index .Containers 0).Command}}".into()),
            ..d
        };
        assert_eq!(
            disk_usage(&verbose).unwrap(),
            "busybox 1.98MB 1.984MB|3|\"sleep 3600\""
        );
    }

    #[test]
    fn prune_report_sections() {
        let r = SystemPruneReport {
            networks: vec!["n1".into()],
            ..Default::default()
        };
        assert_eq!(
            pruned(&r),
            "Deleted Networks:\nn1\n\nTotal reclaimed space: 0B\n"
        );
    }
}
