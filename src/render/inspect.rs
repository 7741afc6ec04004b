//! `docker inspect`'s JSON (Docker's field order, Go's 4-space indent and HTML escaping) and `-f`.

use super::template::{self, Strictness, TemplateError};
use crate::clock::{ZERO_TIME, rfc3339};
use crate::event::{InspectListing, Inspected};
use crate::model::container::{Container, State};
use crate::model::image::Image;
use crate::model::objects::{Endpoint, MountSource};
use serde_json::{Value, json};

/// The image object of `docker image inspect`.
pub fn image_json(
    img: &Image,
    tags: &[String],
    digests: &[String],
    last_tag_time: Option<u64>,
) -> Value {
    let v = json!({
        "Id": img.id.as_str(),
        "RepoTags": tags,
        "RepoDigests": digests,
        "Parent": "",
        // moby v28.2.2 `daemon/images/image_inspect.go`: the config's comment (`commit -m`), else the
        // last history entry's (BuildKit's `buildkit.dockerfile.v0`, empty for the legacy builder).
        "Comment": if img.comment.is_empty() {
            img.history.iter().next_back().map_or("", |h| h.comment.as_str())
        } else {
            img.comment.as_str()
        },
        "Created": rfc3339(img.created),
        "DockerVersion": "",
        "Author": img.author,
        "Config": {
            "Hostname": "",
            "Domainname": "",
            "User": img.config.user,
            "AttachStdin": false,
            "AttachStdout": false,
            "AttachStderr": false,
            "ExposedPorts": if img.config.exposed_ports.is_empty() { Value::Null } else {
                Value::Object(img.config.exposed_ports.iter().map(|p| (p.clone(), json!({}))).collect())
            },
            "Tty": false,
            "OpenStdin": false,
            "StdinOnce": false,
            "Env": img.config.env,
            "Cmd": img.config.cmd,
            "Image": "",
            "Volumes": null,
            "WorkingDir": img.config.working_dir,
            "Entrypoint": img.config.entrypoint,
            "OnBuild": null,
            "Labels": if img.config.labels.is_empty() { Value::Null } else { json!(img.config.labels) },
        },
        "Architecture": img.platform.architecture,
        "Os": img.platform.os,
        "Size": img.size(),
        "GraphDriver": {
            "Data": null,
            "Name": "overlay2"
        },
        "RootFS": {
            "Type": "layers",
            "Layers": img.layers.iter().map(|l| l.diff_id.as_str()).collect::<Vec<_>>(),
        },
        "Metadata": {
            "LastTagTime": last_tag_time.map_or(ZERO_TIME.to_string(), rfc3339),
        }
    });
    with_variant(v, img.platform.variant.as_deref())
}

/// `"Variant": "v8"` between `Architecture` and `Os`, where the image records one (the API's omitempty).
fn with_variant(v: Value, variant: Option<&str>) -> Value {
    let (Some(variant), Value::Object(map)) = (variant, &v) else {
        return v;
    };
    let mut out = serde_json::Map::new();
    for (k, val) in map {
        out.insert(k.clone(), val.clone());
        if k == "Architecture" {
            out.insert("Variant".into(), Value::String(variant.to_string()));
        }
    }
    Value::Object(out)
}

/// The top-level fields of `docker container inspect`, in Docker's order.
const CONTAINER_KEYS: &[&str] = &[
    "Id",
    "Created",
    "Path",
    "Args",
    "State",
    "Image",
    "Name",
    "RestartCount",
    "HostConfig",
    "Mounts",
    "Config",
    "NetworkSettings",
];

/// The container object of `docker container inspect`.
pub fn container_json(c: &Container) -> Value {
    container_json_keys(c, CONTAINER_KEYS.iter().copied())
}

/// Only the named top-level fields: a `-f` template rarely needs more, and building the rest is most of
/// an `inspect`'s cost.
pub fn container_json_keys<'a>(c: &Container, keys: impl Iterator<Item = &'a str>) -> Value {
    let mut map = serde_json::Map::new();
    for key in keys {
        if let Some(v) = container_field(c, key) {
            map.insert(key.to_string(), v);
        }
    }
    Value::Object(map)
}

fn container_field(c: &Container, key: &str) -> Option<Value> {
    // `HostConfig.PortBindings` keeps the `-p` values as typed; `NetworkSettings.Ports` what was bound
    // (both address families for a default binding) and the exposed ports nothing publishes.
    let ports = |bound: bool| -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        for p in c.ports() {
            let key = format!("{}/{}", p.container_port, p.proto);
            let entries = map.entry(key).or_insert_with(|| json!([]));
            let Some(list) = entries.as_array_mut() else {
                continue;
            };
            if !bound {
                list.push(json!({ "HostIp": p.spec_ip, "HostPort": p.spec_port }));
            } else if p.spec_ip.is_empty() {
                list.push(json!({ "HostIp": "0.0.0.0", "HostPort": p.host_port.to_string() }));
                list.push(json!({ "HostIp": "::", "HostPort": p.host_port.to_string() }));
            } else {
                list.push(json!({ "HostIp": p.host_ip, "HostPort": p.host_port.to_string() }));
            }
        }
        if bound {
            for exposed in &c.image_data.config.exposed_ports {
                map.entry(exposed.clone()).or_insert(Value::Null);
            }
        }
        map
    };
    Some(match key {
        "Id" => json!(&*c.id),
        "Created" => json!(rfc3339(c.created)),
        "Path" => json!(c.path()),
        "Args" => json!(c.args()),
        "State" => {
            let (status, running, paused, exit, started, finished) = match &c.state {
                State::Created => (
                    "created",
                    false,
                    false,
                    c.start_error().map_or(0, |e| e.0),
                    ZERO_TIME.to_string(),
                    ZERO_TIME.to_string(),
                ),
                State::Running { started, .. } => (
                    "running",
                    true,
                    false,
                    0,
                    rfc3339(*started),
                    ZERO_TIME.to_string(),
                ),
                State::Paused { started } => (
                    "paused",
                    true,
                    true,
                    0,
                    rfc3339(*started),
                    ZERO_TIME.to_string(),
                ),
                State::Exited {
                    code,
                    started,
                    finished,
                } => (
                    "exited",
                    false,
                    false,
                    *code,
                    rfc3339(*started),
                    rfc3339(*finished),
                ),
            };
            json!({
                "Status": status,
                "Running": running,
                "Paused": paused,
                "Restarting": false,
                "OOMKilled": false,
                "Dead": false,
                "Pid": if running { 1000 + (c.created % 30000) } else { 0 },
                "ExitCode": exit,
                "Error": c.start_error().map_or(String::new(), |e| super::errors::message(&e.1)),
                "StartedAt": started,
                "FinishedAt": finished,
            })
        }
        "Image" => json!(c.image.as_str()),
        "Name" => json!(format!("/{}", c.name)),
        "RestartCount" => json!(0),
        "HostConfig" => json!({
            "AutoRemove": c.auto_remove,
            "PortBindings": ports(false),
        }),
        "Mounts" => mounts_json(c),
        "Config" => {
            let volumes = &c.image_data.config.volumes;
            let mut config = json!({
                "Hostname": c.host_name(),
                "Tty": c.tty,
                "OpenStdin": c.interactive,
                "Env": c.env(),
                "Cmd": c.args(),
                "Image": c.image_ref.raw,
                "Volumes": if volumes.is_empty() { Value::Null } else {
                    Value::Object(volumes.iter().map(|v| (v.clone(), json!({}))).collect())
                },
                "Labels": c.labels(),
            });
            // The image's exposed ports and the published ones (omitted when none).
            let mut exposed: Vec<String> =
                c.image_data.config.exposed_ports.iter().cloned().collect();
            for p in c.ports() {
                let key = format!("{}/{}", p.container_port, p.proto);
                if !exposed.contains(&key) {
                    exposed.push(key);
                }
            }
            if !exposed.is_empty()
                && let Some(obj) = config.as_object_mut()
            {
                exposed.sort();
                // Docker's order puts ExposedPorts before Tty.
                let rest = std::mem::take(obj);
                obj.insert(
                    "ExposedPorts".into(),
                    Value::Object(exposed.into_iter().map(|p| (p, json!({}))).collect()),
                );
                obj.extend(rest);
            }
            config
        }
        "NetworkSettings" => {
            // API 1.50 still carries the default bridge's endpoint at the top level (deprecated fields).
            let bridge = c.networks.get("bridge").filter(|_| c.is_running());
            let sandbox = crate::digest::Digest::of_parts(&[b"sandbox", c.id.as_bytes()]);
            let running = c.is_running();
            json!({
                "Bridge": "",
                "SandboxID": if running { sandbox.hex() } else { "" },
                "SandboxKey": if running {
                    format!("/var/run/docker/netns/{}", &sandbox.hex()[..12])
                } else {
                    String::new()
                },
                "Ports": if running { Value::Object(ports(true)) } else { json!({}) },
                "HairpinMode": false,
                "LinkLocalIPv6Address": "",
                "LinkLocalIPv6PrefixLen": 0,
                "SecondaryIPAddresses": null,
                "SecondaryIPv6Addresses": null,
                "EndpointID": bridge.map_or(String::new(), |e| e.endpoint_id(&c.id)),
                "Gateway": if bridge.is_some() { "172.17.0.1" } else { "" },
                "GlobalIPv6Address": "",
                "GlobalIPv6PrefixLen": 0,
                "IPAddress": bridge.map_or(String::new(), Endpoint::address),
                "IPPrefixLen": if bridge.is_some() { 16 } else { 0 },
                "IPv6Gateway": "",
                "MacAddress": bridge.map_or(String::new(), Endpoint::mac),
                "Networks": networks_json(c),
            })
        }
        _ => return None,
    })
}

/// `Mounts`: each mount point as the daemon lists it (moby `api/types/container` `MountPoint`), in the
/// order given (the daemon walks a map; the oracle listed them in command-line order).
fn mounts_json(c: &Container) -> Value {
    Value::Array(
        c.mounts()
            .iter()
            .map(|p| match &p.source {
                MountSource::Bind { path } => json!({
                    "Type": "bind",
                    "Source": path,
                    "Destination": p.target,
                    "Mode": p.mode,
                    "RW": !p.read_only,
                    "Propagation": "rprivate",
                }),
                MountSource::Tmpfs => json!({
                    "Type": "tmpfs",
                    "Source": "",
                    "Destination": p.target,
                    "Mode": "",
                    "RW": !p.read_only,
                    "Propagation": "",
                }),
                MountSource::Volume { name, .. } => json!({
                    "Type": "volume",
                    "Name": name,
                    "Source": format!("/var/lib/docker/volumes/{name}/_data"),
                    "Destination": p.target,
                    "Driver": "local",
                    "Mode": p.mode,
                    "RW": !p.read_only,
                    "Propagation": "",
                }),
            })
            .collect(),
    )
}

/// One endpoint of `NetworkSettings.Networks` (moby 28 `EndpointSettings`; API 1.45+ `Aliases` holds
/// only the `--alias` values and `DNSNames` the names the network's DNS answers to). A stopped
/// container keeps the entry without an address.
fn endpoint_json(c: &Container, ep: Option<&Endpoint>) -> Value {
    let running = c.is_running();
    let Some(ep) = ep.filter(|_| running) else {
        return json!({
            "IPAMConfig": null, "Links": null,
            "Aliases": ep.filter(|e| !e.aliases.is_empty()).map(|e| &e.aliases),
            "MacAddress": "", "DriverOpts": null, "GwPriority": 0,
            "NetworkID": ep.map_or("", |e| &*e.network_id),
            "EndpointID": "", "Gateway": "", "IPAddress": "", "IPPrefixLen": 0,
            "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "DNSNames": null,
        });
    };
    // The default bridge (the only network on 172.17; user networks start at 172.18) has no embedded DNS
    // and takes no endpoint options.
    if ep.subnet == 17 {
        return json!({
            "IPAMConfig": null, "Links": null, "Aliases": null,
            "MacAddress": ep.mac(), "DriverOpts": null, "GwPriority": 0,
            "NetworkID": &*ep.network_id,
            "EndpointID": ep.endpoint_id(&c.id),
            "Gateway": "172.17.0.1",
            "IPAddress": ep.address(), "IPPrefixLen": 16,
            "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "DNSNames": null,
        });
    }
    let mut dns = vec![c.name.to_string()];
    dns.extend(ep.aliases.iter().cloned());
    dns.push(c.short_id().to_string());
    dns.push(c.host_name().to_string());
    let mut seen = std::collections::BTreeSet::new();
    dns.retain(|d| seen.insert(d.clone()));
    json!({
        "IPAMConfig": {}, "Links": null,
        "Aliases": if ep.aliases.is_empty() { Value::Null } else { json!(ep.aliases) },
        "MacAddress": ep.mac(), "DriverOpts": {}, "GwPriority": 0,
        "NetworkID": &*ep.network_id,
        "EndpointID": ep.endpoint_id(&c.id),
        "Gateway": format!("172.{}.0.1", ep.subnet),
        "IPAddress": ep.address(), "IPPrefixLen": 16,
        "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "DNSNames": dns,
    })
}

/// `NetworkSettings.Networks`: the network the container was created on (its endpoint is not modelled:
/// no address) and those `docker network connect` added.
fn networks_json(c: &Container) -> Value {
    let mut map = serde_json::Map::new();
    if !c.left_primary() {
        let primary = match c.network() {
            None | Some("default") => "bridge".to_string(),
            Some(n) => n.to_string(),
        };
        if !c.networks.contains_key(&primary) {
            map.insert(primary, endpoint_json(c, None));
        }
    }
    for (name, ep) in &c.networks {
        map.insert(name.to_string(), endpoint_json(c, Some(ep)));
    }
    Value::Object(map)
}

/// JSON with Go's `MarshalIndent(v, "", "    ")` layout.
pub fn pretty(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// The JSON of one inspected object; only the top-level fields in `roots`, when given, for containers.
fn object_json(o: &Inspected, roots: Option<&[String]>, listing: &InspectListing) -> Value {
    match o {
        Inspected::Image {
            image,
            tags,
            digests,
            last_tag_time,
        } => image_json(image, tags, digests, *last_tag_time),
        Inspected::Container(c) => {
            let v = match roots {
                Some(roots) => container_json_keys(c, roots.iter().map(String::as_str)),
                None => container_json(c),
            };
            match listing.sizes.get(&*c.id) {
                Some(sizes) => with_sizes(v, *sizes),
                None => v,
            }
        }
    }
}

/// `inspect -s`: `SizeRw` and `SizeRootFs` after `HostConfig` (moby's `ContainerJSONBase` order), or at the
/// end when the object holds only what a template reads.
fn with_sizes(v: Value, (rw, root_fs): (u64, u64)) -> Value {
    let Value::Object(map) = v else { return v };
    let mut out = serde_json::Map::new();
    let mut placed = false;
    for (k, val) in map {
        let after = k == "HostConfig";
        out.insert(k, val);
        if after {
            out.insert("SizeRw".into(), json!(rw));
            out.insert("SizeRootFs".into(), json!(root_fs));
            placed = true;
        }
    }
    if !placed {
        out.insert("SizeRw".into(), json!(rw));
        out.insert("SizeRootFs".into(), json!(root_fs));
    }
    Value::Object(out)
}

/// The text `docker inspect` prints on stdout, or the template error that ends it.
pub fn text(listing: &InspectListing) -> Result<String, TemplateError> {
    match &listing.format {
        Some(format) if format.is_json() => {
            let all: Vec<Value> = listing
                .objects
                .iter()
                .map(|o| object_json(o, None, listing))
                .collect();
            Ok(format!("{}\n", template::go_json(&Value::Array(all))))
        }
        Some(format) => {
            let tpl = format.template();
            let mut text = String::new();
            for o in &listing.objects {
                let v = object_json(o, tpl.roots(), listing);
                tpl.execute_into("", v, Strictness::MissingKey, &mut text)?;
                text.push('\n');
            }
            if listing.objects.is_empty() {
                // Nothing to format still ends the (empty) output with a newline.
                text.push('\n');
            }
            Ok(text)
        }
        None => {
            let all: Vec<Value> = listing
                .objects
                .iter()
                .map(|o| object_json(o, None, listing))
                .collect();
            Ok(format!(
                "{}\n",
                template::escape_html(&pretty(&Value::Array(all)))
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_the_whole_objects_compact_not_a_template() {
        let format = crate::command::InspectFormat::parse("json");
        assert_eq!(format.roots(), None);
        let listing = InspectListing {
            objects: Vec::new(),
            format: Some(format),
            sizes: Default::default(),
        };
        assert_eq!(text(&listing).unwrap(), "[]\n");
    }

    /// moby v28.2.2 `image_inspect.go`: the config's comment, else the last history entry's.
    #[test]
    fn comment_is_the_commit_message_else_the_last_history_comment() {
        use crate::model::image::{HistoryEntry, ImageConfig};
        let entry = |comment: &str| HistoryEntry {
            created: 0,
            created_by: "CMD [\"sh\"]".into(),
            empty_layer: true,
            comment: comment.into(),
            size: 0,
        };
        let image = |comment: &str| {
            Image::new(
                ImageConfig::default(),
                Vec::new(),
                vec![entry(comment)],
                0,
                Default::default(),
                Default::default(),
            )
        };
        let comment = |img: &Image| image_json(img, &[], &[], None)["Comment"].clone();
        assert_eq!(
            comment(&image("buildkit.dockerfile.v0")),
            "buildkit.dockerfile.v0"
        );
        assert_eq!(comment(&image("")), "");
        let committed = image("").with_commit("bob", "added a file");
        assert_eq!(comment(&committed), "added a file");
        assert_eq!(image_json(&committed, &[], &[], None)["Author"], "bob");
    }

    #[test]
    fn sizes_follow_the_host_config() {
        let v = with_sizes(json!({"Id": "x", "HostConfig": {}, "Config": {}}), (6, 100));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Id", "HostConfig", "SizeRw", "SizeRootFs", "Config"]);
        assert_eq!(with_sizes(json!({}), (0, 4))["SizeRootFs"], 4);
    }

    #[test]
    fn four_space_indent() {
        assert_eq!(
            pretty(&json!([{"Id": "x"}])),
            "[\n    {\n        \"Id\": \"x\"\n    }\n]"
        );
    }
}
