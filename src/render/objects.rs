//! Docker's words for volumes and networks: `volume ls/inspect`, `network ls/inspect`.
//! Layouts from docker/cli v28.2.2 `formatter/volume.go`, `formatter/network.go` (default tables
//! `DRIVER VOLUME NAME` and `NETWORK ID NAME DRIVER SCOPE`) and the engine's JSON (moby 28 `api/types`).

use super::inspect::pretty;
use super::template::{self, Strictness, TemplateError, custom, formatted};
use crate::clock;
use crate::event::{NetworkListing, NetworkRow, VolumeListing, VolumeRow};
use serde_json::{Value, json};

/// A volume as `docker volume inspect` prints it.
pub fn volume_json(v: &VolumeRow) -> Value {
    json!({
        "CreatedAt": clock::rfc3339_secs(v.created),
        "Driver": "local",
        "Labels": if v.anonymous { json!({"com.docker.volume.anonymous": ""}) } else { Value::Null },
        "Mountpoint": format!("/var/lib/docker/volumes/{}/_data", v.name),
        "Name": v.name,
        "Options": Value::Null,
        "Scope": "local",
    })
}

const VOLUME_TITLES: &[(&str, &str)] = &[
    ("Name", "VOLUME NAME"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("Mountpoint", "MOUNTPOINT"),
    ("Labels", "LABELS"),
    ("Links", "LINKS"),
    ("Size", "SIZE"),
];

/// `docker volume ls`.
pub fn volumes(l: &VolumeListing) -> Result<String, (String, i32)> {
    if l.quiet {
        return Ok(l.rows.iter().map(|v| format!("{}\n", v.name)).collect());
    }
    if let Some(fmt) = custom(&l.format) {
        let rows: Vec<Value> = l
            .rows
            .iter()
            .map(|v| {
                json!({
                    "Availability": "N/A",
                    "Driver": "local",
                    "Group": "N/A",
                    "Labels": if v.anonymous { "com.docker.volume.anonymous=" } else { "" },
                    "Links": "N/A",
                    "Mountpoint": format!("/var/lib/docker/volumes/{}/_data", v.name),
                    "Name": v.name,
                    "Scope": "local",
                    "Size": "N/A",
                    "Status": "N/A",
                })
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &rows,
            VOLUME_TITLES,
            "*formatter.volumeContext",
            "",
        ));
    }
    let mut rows = vec![vec!["DRIVER".to_string(), "VOLUME NAME".into()]];
    for v in &l.rows {
        rows.push(vec!["local".into(), v.name.clone()]);
    }
    Ok(super::table::render_table(&rows))
}

/// `docker volume inspect`: the JSON array, or each volume through `-f`.
pub fn volume_inspect(
    volumes: &[VolumeRow],
    format: Option<&str>,
) -> Result<String, TemplateError> {
    let values: Vec<Value> = volumes.iter().map(volume_json).collect();
    inspect_text(&values, format)
}

fn inspect_text(values: &[Value], format: Option<&str>) -> Result<String, TemplateError> {
    match format {
        Some(tpl) => {
            let mut text = String::new();
            for v in values {
                text.push_str(&template::render(
                    &template::prepare(tpl).1,
                    v,
                    Strictness::MissingKey,
                )?);
                text.push('\n');
            }
            Ok(text)
        }
        None => Ok(format!(
            "{}\n",
            template::escape_html(&pretty(&Value::Array(values.to_vec())))
        )),
    }
}

/// A network as `docker network inspect` prints it (moby 28: `EnableIPv4` beside `EnableIPv6`).
pub fn network_json(n: &NetworkRow) -> Value {
    let config = if n.subnet.is_empty() {
        json!([])
    } else {
        json!([{"Subnet": n.subnet, "Gateway": n.gateway}])
    };
    let options = if n.default_bridge {
        json!({
            "com.docker.network.bridge.default_bridge": "true",
            "com.docker.network.bridge.enable_icc": "true",
            "com.docker.network.bridge.enable_ip_masquerade": "true",
            "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
            "com.docker.network.bridge.name": "docker0",
            "com.docker.network.driver.mtu": "1500"
        })
    } else {
        json!({})
    };
    let builtin = n.default_bridge || n.driver != "bridge";
    json!({
        "Name": n.name,
        "Id": n.id,
        "Created": clock::rfc3339(n.created),
        "Scope": "local",
        "Driver": n.driver,
        "EnableIPv4": true,
        "EnableIPv6": false,
        "IPAM": {
            "Driver": "default",
            "Options": if builtin { Value::Null } else { json!({}) },
            "Config": config,
        },
        "Internal": false,
        "Attachable": false,
        "Ingress": false,
        "ConfigFrom": {"Network": ""},
        "ConfigOnly": false,
        // moby `EndpointResource`: each running container on the network, by full ID.
        "Containers": Value::Object(n.containers.iter().map(|c| (c.id.clone(), json!({
            "Name": c.name,
            "EndpointID": c.endpoint.endpoint_id(&c.id),
            "MacAddress": c.endpoint.mac(),
            "IPv4Address": format!("{}/16", c.endpoint.address()),
            "IPv6Address": "",
        }))).collect()),
        "Options": options,
        "Labels": {},
    })
}

const NETWORK_TITLES: &[(&str, &str)] = &[
    ("ID", "NETWORK ID"),
    ("Name", "NAME"),
    ("Driver", "DRIVER"),
    ("Scope", "SCOPE"),
    ("IPv4", "IPV4"),
    ("IPv6", "IPV6"),
    ("Internal", "INTERNAL"),
    ("CreatedAt", "CREATED AT"),
    ("Labels", "LABELS"),
];

/// `docker network ls`.
pub fn networks(l: &NetworkListing) -> Result<String, (String, i32)> {
    let id = |n: &NetworkRow| {
        if l.no_trunc {
            n.id.clone()
        } else {
            n.id.get(..12).unwrap_or(&n.id).to_string()
        }
    };
    if l.quiet {
        return Ok(l.rows.iter().map(|n| format!("{}\n", id(n))).collect());
    }
    if let Some(fmt) = custom(&l.format) {
        let rows: Vec<Value> = l
            .rows
            .iter()
            .map(|n| {
                json!({
                    "CreatedAt": clock::go_time(n.created),
                    "Driver": n.driver,
                    "ID": id(n),
                    "IPv4": "true",
                    "IPv6": "false",
                    "Internal": "false",
                    "Labels": "",
                    "Name": n.name,
                    "Scope": "local",
                })
            })
            .collect();
        return formatted(template::format_rows(
            fmt,
            &rows,
            NETWORK_TITLES,
            "*formatter.networkContext",
            "",
        ));
    }
    let mut rows = vec![vec![
        "NETWORK ID".to_string(),
        "NAME".into(),
        "DRIVER".into(),
        "SCOPE".into(),
    ]];
    for n in &l.rows {
        rows.push(vec![
            id(n),
            n.name.clone(),
            n.driver.clone(),
            "local".into(),
        ]);
    }
    Ok(super::table::render_table(&rows))
}

/// `docker network inspect`.
pub fn network_inspect(
    networks: &[NetworkRow],
    format: Option<&str>,
) -> Result<String, TemplateError> {
    let values: Vec<Value> = networks.iter().map(network_json).collect();
    inspect_text(&values, format)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vol(name: &str) -> VolumeRow {
        VolumeRow {
            name: name.into(),
            created: clock::WORLD_EPOCH,
            anonymous: false,
            links: 0,
        }
    }

    /// The oracle's `docker volume ls` and `docker volume inspect myvol` (Docker CLI 28.2.2).
    #[test]
    fn volume_texts() {
        let l = VolumeListing {
            rows: vec![vol("myvol")],
            quiet: false,
            format: None,
        };
        assert_eq!(
            volumes(&l).unwrap(),
            "DRIVER    VOLUME NAME\nlocal     myvol\n"
        );
        assert_eq!(
            volume_inspect(&[vol("myvol")], None).unwrap(),
            "[\n    {\n        \"CreatedAt\": \"2026-03-02T09:00:00Z\",\n        \"Driver\": \"local\",\n        \"Labels\": null,\n        \"Mountpoint\": \"/var/lib/docker/volumes/myvol/_data\",\n        \"Name\": \"myvol\",\n        \"Options\": null,\n        \"Scope\": \"local\"\n    }\n]\n"
        );
        let f = VolumeListing {
            rows: vec![vol("myvol")],
            quiet: false,
            format: Some("{{.Name}} {{.Driver}}".into()),
        };
        assert_eq!(volumes(&f).unwrap(), "myvol local\n");
    }

    #[test]
    fn network_table() {
        let n = NetworkRow {
            id: "57c9ba26bf49634e08e0f9052e50a93cadf062f0611ef57e5adff9c0d2647b7b".into(),
            name: "mynet".into(),
            driver: "bridge".into(),
            created: 0,
            subnet: "172.18.0.0/16".into(),
            gateway: "172.18.0.1".into(),
            default_bridge: false,
            containers: Vec::new(),
        };
        let l = NetworkListing {
            rows: vec![n],
            quiet: false,
            no_trunc: false,
            format: None,
        };
        assert_eq!(
            networks(&l).unwrap(),
            "NETWORK ID     NAME      DRIVER    SCOPE\n57c9ba26bf49   mynet     bridge    local\n"
        );
    }
}
