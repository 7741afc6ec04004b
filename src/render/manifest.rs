//! `docker manifest`'s words (docker/cli 28.2.2 `cli/command/manifest/`; every message checked with the
//! oracle): a list as Go's `json.MarshalIndent(…, "", "   ")` writes it, one image manifest with tabs.

use crate::docker_error::ManifestError;
use crate::event::{ImageManifestJson, ManifestEvent, ManifestListJson};

/// What the event prints on stdout.
pub fn text(e: &ManifestEvent) -> String {
    match e {
        ManifestEvent::Created { list } => format!("Created manifest list {list}\n"),
        ManifestEvent::Pushed { digest } => format!("{digest}\n"),
        ManifestEvent::List(l) => list(l),
        ManifestEvent::Image(i) => image(i),
    }
}

/// A refusal's line (stderr, exit 1).
pub fn message(e: &ManifestError) -> String {
    match e {
        ManifestError::NoSuchManifest { reference } => format!("no such manifest: {reference}"),
        ManifestError::NoSuchList { reference } => format!("No such manifest: {reference}"),
        ManifestError::AmendWithoutFlag => {
            "refusing to amend an existing manifest list with no --amend flag".into()
        }
        ManifestError::InvalidReference { why, .. } => why.clone(),
        ManifestError::PushDenied { .. } => "requested access to the resource is denied".into(),
    }
}

fn list(l: &ManifestListJson) -> String {
    let i = |n: usize| "   ".repeat(n);
    let mut out = format!(
        "{{\n{}\"schemaVersion\": 2,\n{}\"mediaType\": \"{}\",\n{}\"manifests\": [\n",
        i(1),
        i(1),
        l.media_type,
        i(1)
    );
    for (k, m) in l.manifests.iter().enumerate() {
        out.push_str(&format!("{}{{\n", i(2)));
        out.push_str(&format!("{}\"mediaType\": \"{}\",\n", i(3), m.media_type));
        out.push_str(&format!("{}\"size\": {},\n", i(3), m.size));
        out.push_str(&format!("{}\"digest\": \"{}\",\n", i(3), m.digest));
        if let Some(d) = &m.attests {
            out.push_str(&format!("{}\"annotations\": {{\n", i(3)));
            out.push_str(&format!(
                "{}\"vnd.docker.reference.digest\": \"{d}\",\n",
                i(4)
            ));
            out.push_str(&format!(
                "{}\"vnd.docker.reference.type\": \"attestation-manifest\"\n",
                i(4)
            ));
            out.push_str(&format!("{}}},\n", i(3)));
        }
        let (arch, os, variant) = &m.platform;
        out.push_str(&format!("{}\"platform\": {{\n", i(3)));
        out.push_str(&format!("{}\"architecture\": \"{arch}\",\n", i(4)));
        match variant {
            Some(v) => {
                out.push_str(&format!("{}\"os\": \"{os}\",\n", i(4)));
                out.push_str(&format!("{}\"variant\": \"{v}\"\n", i(4)));
            }
            None => out.push_str(&format!("{}\"os\": \"{os}\"\n", i(4))),
        }
        out.push_str(&format!("{}}}\n", i(3)));
        let comma = if k + 1 < l.manifests.len() { "," } else { "" };
        out.push_str(&format!("{}}}{comma}\n", i(2)));
    }
    out.push_str(&format!("{}]\n}}\n", i(1)));
    out
}

fn image(m: &ImageManifestJson) -> String {
    let mut out = String::from(
        "{\n\t\"schemaVersion\": 2,\n\t\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n\t\"config\": {\n\t\t\"mediaType\": \"application/vnd.docker.container.image.v1+json\",\n",
    );
    out.push_str(&format!(
        "\t\t\"size\": {},\n\t\t\"digest\": \"{}\"\n\t}},\n",
        m.config_size, m.config_digest
    ));
    if m.layers.is_empty() {
        out.push_str("\t\"layers\": []\n}\n");
        return out;
    }
    out.push_str("\t\"layers\": [\n");
    for (k, (size, digest)) in m.layers.iter().enumerate() {
        let comma = if k + 1 < m.layers.len() { "," } else { "" };
        out.push_str(&format!(
            "\t\t{{\n\t\t\t\"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n\t\t\t\"size\": {size},\n\t\t\t\"digest\": \"{digest}\"\n\t\t}}{comma}\n"
        ));
    }
    out.push_str("\t]\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Digest;
    use crate::event::ListEntry;

    #[test]
    fn a_list_is_indented_with_three_spaces_as_the_cli_prints_it() {
        let d = Digest::of(b"m");
        let text = list(&ManifestListJson {
            media_type: "application/vnd.docker.distribution.manifest.list.v2+json".into(),
            manifests: vec![ListEntry {
                media_type: "application/vnd.docker.distribution.manifest.v2+json".into(),
                size: 735,
                digest: d.clone(),
                platform: ("amd64".into(), "linux".into(), None),
                attests: None,
            }],
        });
        // The oracle's `docker manifest inspect` of a local list, digest aside.
        let want = format!(
            "{{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"application/vnd.docker.distribution.manifest.list.v2+json\",\n   \"manifests\": [\n      {{\n         \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n         \"size\": 735,\n         \"digest\": \"{d}\",\n         \"platform\": {{\n            \"architecture\": \"amd64\",\n            \"os\": \"linux\"\n         }}\n      }}\n   ]\n}}\n"
        );
        assert_eq!(text, want);
    }

    #[test]
    fn an_image_manifest_is_indented_with_tabs() {
        let text = image(&ImageManifestJson {
            config_size: 1861,
            config_digest: Digest::of(b"c"),
            layers: vec![(115, Digest::of(b"l"))],
        });
        assert!(text.starts_with("{\n\t\"schemaVersion\": 2,\n"));
        assert!(text.contains("\t\t\t\"size\": 115,\n"));
        assert!(text.ends_with("\t\t}\n\t]\n}\n"));
    }
}
