//! The built-in Docker Hub: official images with realistic layer stacks and sizes, several tags each and
//! older versions, plus the two learner accounts. Layers that real images share (a Debian or Alpine base)
//! are the same layers here, so pulls print "Already exists" where real Docker would.

use crate::clock::WORLD_EPOCH;
use crate::digest::Digest;
use crate::model::image::{HistoryEntry, Image, ImageConfig, Layer};
use crate::model::registry::{Policy, Registry, Repository};
use std::collections::BTreeSet;
use std::sync::Arc;

const DAY: u64 = 86_400;
const MB: u64 = 1_000_000;

const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Programs every Linux base has (busybox applets or coreutils).
const CORE: &[&str] = &[
    "sh", "echo", "sleep", "true", "false", "cat", "ls", "env", "top", "tail", "pwd", "date",
    "hostname", "uname", "whoami", "id", "ps", "printf", "touch", "mkdir", "rm", "grep", "wget",
    "head", "cp", "mv",
];

/// One layer of an official image: a stable label (its content identity) and its uncompressed size.
struct L(&'static str, u64, &'static str);

/// One version of an official image.
struct Version {
    repo: &'static str,
    tags: &'static [&'static str],
    age_days: u64,
    layers: &'static [L],
    cmd: &'static [&'static str],
    entrypoint: &'static [&'static str],
    env: &'static [&'static str],
    ports: &'static [&'static str],
    workdir: &'static str,
    stop_signal: Option<&'static str>,
    programs: &'static [&'static str],
}

const ALPINE_319: L = L(
    "alpine-minirootfs-3.19.4",
    7_380_000,
    "ADD alpine-minirootfs-3.19.4-x86_64.tar.gz / # buildkit",
);
const ALPINE_320: L = L(
    "alpine-minirootfs-3.20.3",
    7_800_000,
    "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit",
);
const ALPINE_321: L = L(
    "alpine-minirootfs-3.21.2",
    7_830_000,
    "ADD alpine-minirootfs-3.21.2-x86_64.tar.gz / # buildkit",
);
const BOOKWORM: L = L(
    "debian-bookworm-20250113",
    116_500_000,
    "# debian.sh --arch 'amd64' out/ 'bookworm' '@1736726400'",
);
const BOOKWORM_SLIM: L = L(
    "debian-bookworm-slim-20250113",
    74_800_000,
    "# debian.sh --arch 'amd64' out/ 'bookworm' '@1736726400'",
);
const BUILDPACK_CURL: L = L(
    "buildpack-deps-bookworm-curl",
    48_400_000,
    "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase sq wget; rm -rf /var/lib/apt/lists/* # buildkit",
);
const BUILDPACK_SCM: L = L(
    "buildpack-deps-bookworm-scm",
    177_000_000,
    "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends git mercurial openssh-client subversion procps; rm -rf /var/lib/apt/lists/* # buildkit",
);
const BUILDPACK_FULL: L = L(
    "buildpack-deps-bookworm",
    587_000_000,
    "RUN /bin/sh -c set -ex; apt-get update; apt-get install -y --no-install-recommends autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc make patch unzip xz-utils zlib1g-dev; rm -rf /var/lib/apt/lists/* # buildkit",
);

const NGINX_10_LISTEN: L = L(
    "nginx-10-listen",
    955,
    "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit",
);
const NGINX_15_RESOLVERS: L = L(
    "nginx-15-local-resolvers",
    402,
    "COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit",
);
const NGINX_20_ENVSUBST: L = L(
    "nginx-20-envsubst",
    2_120,
    "COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit",
);
const NGINX_30_TUNE: L = L(
    "nginx-30-tune",
    4_620,
    "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit",
);
const ALPINE_CMD: &[&str] = &["/bin/sh"];
const NODE_ENTRY: &[&str] = &["docker-entrypoint.sh"];
const NODE_PROGRAMS: &[&str] = &["node", "npm", "npx", "yarn", "docker-entrypoint.sh"];
const PY_PROGRAMS: &[&str] = &["python", "python3", "pip", "pip3"];
const NGINX_PROGRAMS: &[&str] = &["nginx", "/docker-entrypoint.sh"];
const REDIS_PROGRAMS: &[&str] = &["redis-server", "redis-cli", "docker-entrypoint.sh"];

const VERSIONS: &[Version] = &[
    Version {
        repo: "alpine",
        tags: &["3.19"],
        age_days: 120,
        layers: &[ALPINE_319],
        cmd: ALPINE_CMD,
        entrypoint: &[],
        env: &[PATH_ENV],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: &[],
    },
    Version {
        repo: "alpine",
        tags: &["3.20"],
        age_days: 60,
        layers: &[ALPINE_320],
        cmd: ALPINE_CMD,
        entrypoint: &[],
        env: &[PATH_ENV],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: &[],
    },
    Version {
        repo: "alpine",
        tags: &["3.21", "3", "latest"],
        age_days: 18,
        layers: &[ALPINE_321],
        cmd: ALPINE_CMD,
        entrypoint: &[],
        env: &[PATH_ENV],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: &[],
    },
    Version {
        repo: "busybox",
        tags: &["1.36", "1.36.1"],
        age_days: 400,
        layers: &[L(
            "busybox-1.36.1-glibc",
            4_260_000,
            "ADD busybox.tar.xz / # buildkit",
        )],
        cmd: &["sh"],
        entrypoint: &[],
        env: &[PATH_ENV],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: &[],
    },
    Version {
        repo: "busybox",
        tags: &["1.37", "1.37.0", "latest"],
        age_days: 75,
        layers: &[L(
            "busybox-1.37.0-glibc",
            4_270_000,
            "ADD busybox.tar.xz / # buildkit",
        )],
        cmd: &["sh"],
        entrypoint: &[],
        env: &[PATH_ENV],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: &[],
    },
    Version {
        repo: "ubuntu",
        tags: &["22.04", "jammy"],
        age_days: 40,
        layers: &[L(
            "ubuntu-jammy-20250112",
            77_900_000,
            "ADD file:1b6c8c9518be42fa2afe5e241ca31677fce58d27cdfa88baa91a65a259be3637 in / ",
        )],
        cmd: &["/bin/bash"],
        entrypoint: &[],
        env: &[PATH_ENV],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: &["bash"],
    },
    Version {
        repo: "ubuntu",
        tags: &["24.04", "noble", "latest"],
        age_days: 33,
        layers: &[L(
            "ubuntu-noble-20250127",
            78_100_000,
            "ADD file:6df775300d76441aa33f31b22c1afce8dfe35c8ffbc14ef27c27009235b12a95 in / ",
        )],
        cmd: &["/bin/bash"],
        entrypoint: &[],
        env: &[PATH_ENV],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: &["bash"],
    },
    Version {
        repo: "node",
        tags: &["20", "20-bookworm", "iron"],
        age_days: 25,
        layers: &[
            BOOKWORM,
            BUILDPACK_CURL,
            BUILDPACK_SCM,
            BUILDPACK_FULL,
            L(
                "node-20.18.2-bookworm",
                199_000_000,
                "RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\" && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\" # buildkit",
            ),
            L(
                "yarn-1.22.22-bookworm",
                5_340_000,
                "RUN /bin/sh -c set -ex && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\" # buildkit",
            ),
            L(
                "node-entrypoint",
                388,
                "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
            ),
        ],
        cmd: &["node"],
        entrypoint: NODE_ENTRY,
        env: &[PATH_ENV, "NODE_VERSION=20.18.2", "YARN_VERSION=1.22.22"],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: NODE_PROGRAMS,
    },
    Version {
        repo: "node",
        tags: &["20-alpine", "iron-alpine"],
        age_days: 25,
        layers: &[
            ALPINE_320,
            L(
                "node-20.18.2-alpine",
                126_000_000,
                "RUN /bin/sh -c addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node && apk add --no-cache libstdc++ # buildkit",
            ),
            L(
                "yarn-1.22.22-alpine",
                5_340_000,
                "RUN /bin/sh -c apk add --no-cache --virtual .build-deps-yarn curl gnupg tar # buildkit",
            ),
            L(
                "node-entrypoint",
                388,
                "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
            ),
        ],
        cmd: &["node"],
        entrypoint: NODE_ENTRY,
        env: &[PATH_ENV, "NODE_VERSION=20.18.2", "YARN_VERSION=1.22.22"],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: NODE_PROGRAMS,
    },
    Version {
        repo: "node",
        tags: &["22", "22-bookworm", "jod", "lts", "latest"],
        age_days: 12,
        layers: &[
            BOOKWORM,
            BUILDPACK_CURL,
            BUILDPACK_SCM,
            BUILDPACK_FULL,
            L(
                "node-22.13.1-bookworm",
                206_000_000,
                "RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\" && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\" # buildkit",
            ),
            L(
                "yarn-1.22.22-bookworm",
                5_340_000,
                "RUN /bin/sh -c set -ex && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\" # buildkit",
            ),
            L(
                "node-entrypoint",
                388,
                "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
            ),
        ],
        cmd: &["node"],
        entrypoint: NODE_ENTRY,
        env: &[PATH_ENV, "NODE_VERSION=22.13.1", "YARN_VERSION=1.22.22"],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: NODE_PROGRAMS,
    },
    Version {
        repo: "node",
        tags: &["22-alpine", "lts-alpine", "alpine"],
        age_days: 12,
        layers: &[
            ALPINE_321,
            L(
                "node-22.13.1-alpine",
                148_000_000,
                "RUN /bin/sh -c addgroup -g 1000 node && adduser -u 1000 -G node -s /bin/sh -D node && apk add --no-cache libstdc++ # buildkit",
            ),
            L(
                "yarn-1.22.22-alpine",
                5_340_000,
                "RUN /bin/sh -c apk add --no-cache --virtual .build-deps-yarn curl gnupg tar # buildkit",
            ),
            L(
                "node-entrypoint",
                388,
                "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
            ),
        ],
        cmd: &["node"],
        entrypoint: NODE_ENTRY,
        env: &[PATH_ENV, "NODE_VERSION=22.13.1", "YARN_VERSION=1.22.22"],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: NODE_PROGRAMS,
    },
    Version {
        repo: "python",
        tags: &["3.11", "3.11-bookworm"],
        age_days: 50,
        layers: &[
            BOOKWORM,
            BUILDPACK_CURL,
            BUILDPACK_SCM,
            BUILDPACK_FULL,
            L(
                "python-3.11.11-deps",
                18_800_000,
                "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends libbluetooth-dev tk-dev uuid-dev # buildkit",
            ),
            L(
                "python-3.11.11",
                63_200_000,
                "RUN /bin/sh -c set -eux; wget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\" # buildkit",
            ),
            L(
                "python-3.11-links",
                48,
                "RUN /bin/sh -c set -eux; for src in idle3 pip3 pydoc3 python3 python3-config; do dst=\"$(echo \"$src\" | tr -d 3)\"; ln -svT \"$src\" \"/usr/local/bin/$dst\"; done # buildkit",
            ),
        ],
        cmd: &["python3"],
        entrypoint: &[],
        env: &[PATH_ENV, "LANG=C.UTF-8", "PYTHON_VERSION=3.11.11"],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: PY_PROGRAMS,
    },
    Version {
        repo: "python",
        tags: &["3.12", "3.12-bookworm", "3", "latest"],
        age_days: 20,
        layers: &[
            BOOKWORM,
            BUILDPACK_CURL,
            BUILDPACK_SCM,
            BUILDPACK_FULL,
            L(
                "python-3.12.8-deps",
                18_800_000,
                "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends libbluetooth-dev tk-dev uuid-dev # buildkit",
            ),
            L(
                "python-3.12.8",
                71_400_000,
                "RUN /bin/sh -c set -eux; wget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\" # buildkit",
            ),
            L(
                "python-3.12-links",
                36,
                "RUN /bin/sh -c set -eux; for src in idle3 pip3 pydoc3 python3 python3-config; do dst=\"$(echo \"$src\" | tr -d 3)\"; ln -svT \"$src\" \"/usr/local/bin/$dst\"; done # buildkit",
            ),
        ],
        cmd: &["python3"],
        entrypoint: &[],
        env: &[PATH_ENV, "LANG=C.UTF-8", "PYTHON_VERSION=3.12.8"],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: PY_PROGRAMS,
    },
    Version {
        repo: "python",
        tags: &["3.12-slim", "slim"],
        age_days: 20,
        layers: &[
            BOOKWORM_SLIM,
            L(
                "python-3.12.8-slim-deps",
                9_320_000,
                "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata # buildkit",
            ),
            L(
                "python-3.12.8-slim",
                41_300_000,
                "RUN /bin/sh -c set -eux; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update # buildkit",
            ),
            L(
                "python-3.12-slim-links",
                36,
                "RUN /bin/sh -c set -eux; for src in idle3 pip3 pydoc3 python3 python3-config; do dst=\"$(echo \"$src\" | tr -d 3)\"; ln -svT \"$src\" \"/usr/local/bin/$dst\"; done # buildkit",
            ),
        ],
        cmd: &["python3"],
        entrypoint: &[],
        env: &[PATH_ENV, "LANG=C.UTF-8", "PYTHON_VERSION=3.12.8"],
        ports: &[],
        workdir: "",
        stop_signal: None,
        programs: PY_PROGRAMS,
    },
    Version {
        repo: "nginx",
        tags: &["1.26", "stable"],
        age_days: 70,
        layers: &[
            BOOKWORM_SLIM,
            L(
                "nginx-1.26.2",
                112_000_000,
                "RUN /bin/sh -c set -x && groupadd --system --gid 101 nginx && apt-get update && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates # buildkit",
            ),
            L(
                "nginx-entrypoint-1.26",
                628,
                "COPY docker-entrypoint.sh / # buildkit",
            ),
            NGINX_10_LISTEN,
            NGINX_15_RESOLVERS,
            NGINX_20_ENVSUBST,
            NGINX_30_TUNE,
        ],
        cmd: &["nginx", "-g", "daemon off;"],
        entrypoint: &["/docker-entrypoint.sh"],
        env: &[PATH_ENV, "NGINX_VERSION=1.26.2"],
        ports: &["80/tcp"],
        workdir: "",
        stop_signal: Some("SIGQUIT"),
        programs: NGINX_PROGRAMS,
    },
    Version {
        repo: "nginx",
        tags: &["1.27", "mainline", "latest"],
        age_days: 30,
        layers: &[
            BOOKWORM_SLIM,
            L(
                "nginx-1.27.3",
                117_000_000,
                "RUN /bin/sh -c set -x && groupadd --system --gid 101 nginx && apt-get update && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates # buildkit",
            ),
            L(
                "nginx-entrypoint",
                628,
                "COPY docker-entrypoint.sh / # buildkit",
            ),
            NGINX_10_LISTEN,
            NGINX_15_RESOLVERS,
            NGINX_20_ENVSUBST,
            NGINX_30_TUNE,
        ],
        cmd: &["nginx", "-g", "daemon off;"],
        entrypoint: &["/docker-entrypoint.sh"],
        env: &[PATH_ENV, "NGINX_VERSION=1.27.3"],
        ports: &["80/tcp"],
        workdir: "",
        stop_signal: Some("SIGQUIT"),
        programs: NGINX_PROGRAMS,
    },
    Version {
        repo: "nginx",
        tags: &["1.27-alpine", "alpine"],
        age_days: 30,
        layers: &[
            ALPINE_320,
            L(
                "nginx-1.27.3-alpine",
                39_400_000,
                "RUN /bin/sh -c set -x && addgroup -g 101 -S nginx && adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx # buildkit",
            ),
            L(
                "nginx-entrypoint",
                628,
                "COPY docker-entrypoint.sh / # buildkit",
            ),
        ],
        cmd: &["nginx", "-g", "daemon off;"],
        entrypoint: &["/docker-entrypoint.sh"],
        env: &[PATH_ENV, "NGINX_VERSION=1.27.3"],
        ports: &["80/tcp"],
        workdir: "",
        stop_signal: Some("SIGQUIT"),
        programs: NGINX_PROGRAMS,
    },
    Version {
        repo: "redis",
        tags: &["7.4", "7", "latest"],
        age_days: 35,
        layers: &[
            BOOKWORM_SLIM,
            L(
                "redis-user",
                4_120,
                "RUN /bin/sh -c set -eux; groupadd -r -g 999 redis; useradd -r -g redis -u 999 redis # buildkit",
            ),
            L(
                "redis-gosu",
                4_960_000,
                "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends tzdata # buildkit",
            ),
            L(
                "redis-7.4.2",
                37_300_000,
                "RUN /bin/sh -c set -eux; wget -O redis.tar.gz \"$REDIS_DOWNLOAD_URL\" # buildkit",
            ),
            L(
                "redis-data",
                0,
                "RUN /bin/sh -c mkdir /data && chown redis:redis /data # buildkit",
            ),
            L(
                "redis-entrypoint",
                661,
                "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
            ),
        ],
        cmd: &["redis-server"],
        entrypoint: &["docker-entrypoint.sh"],
        env: &[PATH_ENV, "REDIS_VERSION=7.4.2"],
        ports: &["6379/tcp"],
        workdir: "/data",
        stop_signal: None,
        programs: REDIS_PROGRAMS,
    },
    Version {
        repo: "registry",
        tags: &["2", "2.8", "2.8.3", "latest"],
        age_days: 300,
        layers: &[
            L(
                "alpine-minirootfs-3.18.4",
                7_330_000,
                "ADD alpine-minirootfs-3.18.4-x86_64.tar.gz / # buildkit",
            ),
            L(
                "registry-ca-certs",
                753_000,
                "RUN /bin/sh -c set -ex && apk add --no-cache ca-certificates # buildkit",
            ),
            L(
                "registry-binary",
                17_300_000,
                "RUN /bin/sh -c set -eux; wget -O registry.tar.gz \"https://github.com/distribution/distribution/releases/download/v${VERSION}/registry_${VERSION}_linux_amd64.tar.gz\" # buildkit",
            ),
            L(
                "registry-config",
                390,
                "COPY ./config-example.yml /etc/docker/registry/config.yml # buildkit",
            ),
            L(
                "registry-entrypoint",
                155,
                "COPY docker-entrypoint.sh /entrypoint.sh # buildkit",
            ),
        ],
        cmd: &["/etc/docker/registry/config.yml"],
        entrypoint: &["/entrypoint.sh"],
        env: &[PATH_ENV],
        ports: &["5000/tcp"],
        workdir: "",
        stop_signal: None,
        programs: &["registry", "/entrypoint.sh"],
    },
];

/// Programs of an image built from this version.
fn programs(v: &Version) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = CORE.iter().map(|s| s.to_string()).collect();
    set.extend(v.programs.iter().map(|s| s.to_string()));
    let is_debian = v
        .layers
        .iter()
        .any(|l| l.0.starts_with("debian") || l.0.starts_with("ubuntu"));
    if is_debian {
        set.insert("bash".into());
    }
    if v.repo == "busybox" || v.layers.iter().any(|l| l.0.starts_with("alpine")) {
        set.insert("ash".into());
    }
    if v.layers.iter().any(|l| l.0.starts_with("alpine")) {
        set.insert("apk".into());
    }
    set
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Builds the image for one version of an official image, for amd64 or (`arm64`) its arm64/v8 twin: the
/// same history with other binaries, so other layers and another image ID.
fn official_image(v: &Version, arm64: bool) -> Image {
    let created = WORLD_EPOCH - v.age_days * DAY;
    let layers: Vec<Layer> = v
        .layers
        .iter()
        .map(|l| {
            let id = if arm64 {
                Digest::of_parts(&[b"official-layer", l.0.as_bytes(), b"arm64"])
            } else {
                Digest::of_parts(&[b"official-layer", l.0.as_bytes()])
            };
            Layer::new(id, l.1)
        })
        .collect();
    let created_by = |text: &str| {
        if arm64 {
            text.replace("x86_64", "aarch64")
                .replace("--arch 'amd64'", "--arch 'arm64'")
                .replace("linux_amd64", "linux_arm64")
        } else {
            text.to_string()
        }
    };
    let mut history: Vec<HistoryEntry> = v
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| HistoryEntry {
            created: created - (v.layers.len() - i) as u64 * 60,
            created_by: created_by(l.2),
            empty_layer: false,
            comment: "buildkit.dockerfile.v0".to_string(),
            size: l.1,
        })
        .collect();
    let config = ImageConfig {
        env: strings(v.env),
        cmd: Some(strings(v.cmd)),
        entrypoint: (!v.entrypoint.is_empty()).then(|| strings(v.entrypoint)),
        working_dir: v.workdir.to_string(),
        exposed_ports: v.ports.iter().map(|s| s.to_string()).collect(),
        stop_signal: v.stop_signal.map(str::to_string),
        ..ImageConfig::default()
    };
    if let Some(ep) = &config.entrypoint {
        history.push(config_step(
            created,
            format!("ENTRYPOINT {}", json_list(ep)),
        ));
    }
    for p in &config.exposed_ports {
        history.push(config_step(created, format!("EXPOSE map[{p}:{{}}]")));
    }
    if let Some(sig) = &config.stop_signal {
        history.push(config_step(created, format!("STOPSIGNAL {sig}")));
    }
    if let Some(cmd) = &config.cmd {
        history.push(config_step(created, format!("CMD {}", json_list(cmd))));
    }
    let platform = if arm64 {
        crate::model::platform::Platform::arm64()
    } else {
        crate::model::platform::Platform::default()
    };
    Image::new_for(
        platform,
        config,
        layers,
        history,
        (created, Arc::default(), Arc::new(programs(v))),
    )
}

fn config_step(created: u64, created_by: String) -> HistoryEntry {
    HistoryEntry {
        created,
        created_by,
        empty_layer: true,
        comment: "buildkit.dockerfile.v0".to_string(),
        size: 0,
    }
}

/// `["node" "server.js"]`: how BuildKit records exec-form instructions in history.
pub fn json_list(v: &[String]) -> String {
    let parts: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", parts.join(" "))
}

/// Docker Hub as a fresh world has it: official images, `alice` and `bob`, and alice's private repository.
pub fn docker_hub() -> Registry {
    let mut hub = Registry::new("docker.io", Policy::Hub);
    hub.accounts.insert("alice".into(), "wonderland".into());
    hub.accounts.insert("bob".into(), "builder".into());
    for v in VERSIONS {
        // Official images are multi-platform indexes (amd64 and arm64/v8). The index keeps the digest the
        // amd64 manifest had when dockdrill knew one platform, so recorded transcripts keep their digests.
        let amd64 = Arc::new(official_image(v, false));
        let arm64 = Arc::new(official_image(v, true));
        let digest = amd64.manifest_digest();
        let path = format!("library/{}", v.repo);
        for tag in v.tags {
            hub.put_index(
                &path,
                tag,
                &[amd64.clone(), arm64.clone()],
                digest.clone(),
                None,
            );
        }
    }
    // alice/secret-app: a small private app on alpine.
    if let Some((_, base)) = hub.resolve("library/alpine", "3.20") {
        let base = base.image.clone();
        let mut layers = base.layers.clone();
        layers.push(Layer::new(Digest::of(b"alice/secret-app:app.sh"), 1_240));
        let mut history = base.history.clone();
        let created = WORLD_EPOCH - 9 * DAY;
        history.push(HistoryEntry {
            created,
            created_by: "COPY app.sh /app.sh # buildkit".into(),
            empty_layer: false,
            comment: "buildkit.dockerfile.v0".into(),
            size: 1_240,
        });
        history.push(config_step(created, "CMD [\"sh\" \"/app.sh\"]".into()));
        let config = ImageConfig {
            cmd: Some(vec!["echo".into(), "the secret is safe with alice".into()]),
            ..base.config.clone()
        };
        let image = Image::new(
            config,
            layers,
            history,
            created,
            Arc::default(),
            base.programs.clone(),
        );
        hub.repos.insert(
            "alice/secret-app".into(),
            Repository {
                owner: Some("alice".into()),
                private: true,
                ..Repository::default()
            },
        );
        hub.put_manifest(
            "alice/secret-app",
            "latest",
            Arc::new(image),
            Some("alice".into()),
        );
    }
    hub
}

/// `docker images`-size in MB of an official tag (for documentation and tests).
pub fn official_size(repo: &str, tag: &str) -> Option<u64> {
    VERSIONS
        .iter()
        .find(|v| v.repo == repo && v.tags.contains(&tag))
        .map(|v| v.layers.iter().map(|l| l.1).sum::<u64>() / MB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_images_share_base_layers() {
        let hub = docker_hub();
        let node = &hub.resolve("library/node", "latest").unwrap().1.image;
        let python = &hub.resolve("library/python", "latest").unwrap().1.image;
        assert_eq!(node.layers[0], python.layers[0]);
        assert_eq!(node.layers.len(), 7);
    }

    #[test]
    fn official_images_are_indexes_for_amd64_and_arm64() {
        use crate::model::platform::Platform;
        let hub = docker_hub();
        let (digest, m) = hub.resolve("library/alpine", "latest").unwrap();
        assert_eq!(m.image.platform, Platform::amd64());
        assert_eq!(m.others.len(), 1);
        let arm = &m.others[0];
        assert_eq!(arm.platform, Platform::arm64());
        assert_ne!(arm.id, m.image.id);
        assert_ne!(arm.layers[0].diff_id, m.image.layers[0].diff_id);
        // The index digest is the one pulls printed before platforms existed.
        assert_eq!(*digest, m.image.manifest_digest());
    }

    #[test]
    fn tags_of_one_version_name_one_manifest() {
        let hub = docker_hub();
        let a = hub.resolve("library/node", "22").unwrap().0;
        let b = hub.resolve("library/node", "latest").unwrap().0;
        assert_eq!(a, b);
        let c = hub.resolve("library/node", "20").unwrap().0;
        assert_ne!(a, c);
    }

    #[test]
    fn sizes_are_realistic() {
        assert_eq!(official_size("alpine", "latest"), Some(7));
        assert!(official_size("node", "latest").unwrap() > 1000);
    }

    #[test]
    fn secret_app_is_private_to_alice() {
        let hub = docker_hub();
        assert!(!hub.can_read(None, "alice/secret-app"));
        assert!(hub.can_read(Some("alice"), "alice/secret-app"));
    }
}
