//! Real registries: Debian's `docker-registry` (CNCF distribution 2.8) on a loopback port, open and with
//! htpasswd auth. Each test skips with one printed line when the registry cannot be started (not
//! installed: `.ci/run` installs it), never silently.

use dockdrill::model::world::World;
use dockdrill::remote::api::{ApiError, Auth, ManifestRef, RegistryApi, RemoteHandle};
use dockdrill::remote::client::Method;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

/// A running `docker-registry`, stopped (and its storage removed) on drop.
pub struct RealRegistry {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

impl RealRegistry {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Starts an open registry, or with htpasswd auth for `users` when given; `None` (and one printed
    /// line) when it cannot.
    pub fn start(test: &str, users: &[(&str, &str)]) -> Option<RealRegistry> {
        let skip = |why: String| {
            println!("skipped {test}: {why}");
            None
        };
        let bin = ["/usr/bin/docker-registry", "/usr/bin/registry"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(bin) = bin else {
            return skip("docker-registry is not installed (.ci/run installs it)".into());
        };
        // A free port in the range this project's tests may use (5100-5199): a counter hands out each
        // port once per process (a registry takes a moment to bind, so a bind check alone would race).
        static NEXT: AtomicU16 = AtomicU16::new(0);
        let first = (std::process::id() % 100) as u16;
        let port = (0..100).find_map(|_| {
            let i = NEXT.fetch_add(1, Ordering::SeqCst);
            let p = 5100 + (first + i) % 100;
            TcpListener::bind(("127.0.0.1", p)).is_ok().then_some(p)
        });
        let Some(port) = port else {
            return skip("no free loopback port in 5100-5199".into());
        };
        let dir =
            std::env::temp_dir().join(format!("dockdrill-registry-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        if std::fs::create_dir_all(dir.join("data")).is_err() {
            return skip("cannot create a temporary folder".into());
        }
        let mut auth = String::new();
        if !users.is_empty() {
            let mut lines = String::new();
            for (u, p) in users {
                let out = Command::new("htpasswd").args(["-Bbn", u, p]).output();
                match out {
                    Ok(o) if o.status.success() => {
                        lines.push_str(String::from_utf8_lossy(&o.stdout).trim());
                        lines.push('\n');
                    }
                    _ => return skip("htpasswd (apache2-utils) is not installed".into()),
                }
            }
            let _ = std::fs::write(dir.join("htpasswd"), lines);
            auth = format!(
                "auth:\n  htpasswd:\n    realm: Registry Realm\n    path: {}\n",
                dir.join("htpasswd").display()
            );
        }
        let config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n{auth}",
            dir.join("data").display()
        );
        let _ = std::fs::write(dir.join("config.yml"), config);
        let child = Command::new(bin)
            .arg("serve")
            .arg(dir.join("config.yml"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => return skip(format!("cannot start docker-registry: {e}")),
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(RealRegistry { child, dir, port });
            }
            if let Ok(Some(_)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut s) = child.stderr.take() {
                    let _ = s.read_to_string(&mut err);
                }
                let _ = std::fs::remove_dir_all(&dir);
                return skip(format!("docker-registry exited: {}", err.trim()));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        skip("docker-registry did not listen within 15 s".into())
    }
}

impl Drop for RealRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn hub_image(repo: &str, tag: &str) -> Arc<dockdrill::model::image::Image> {
    let w = World::new();
    let hub = &w.registries["docker.io"];
    match hub.resolve(repo, tag) {
        Some((_, m)) => m.image.clone(),
        None => panic!("no {repo}:{tag} on the hub"),
    }
}

#[test]
fn an_image_pushed_through_the_api_comes_back_as_the_same_image() {
    let Some(reg) = RealRegistry::start(
        "an_image_pushed_through_the_api_comes_back_as_the_same_image",
        &[],
    ) else {
        return;
    };
    let image = hub_image("library/node", "22-alpine");
    let remote = RemoteHandle::connect(&reg.url()).unwrap();
    let auth = Auth::default();
    remote.with(|r| {
        r.begin_push(auth, "class/node").unwrap();
        for l in &image.layers {
            assert!(!r.has_blob(auth, "class/node", l).unwrap());
            r.upload(auth, "class/node", l).unwrap();
            assert!(r.has_blob(auth, "class/node", l).unwrap());
        }
        let (digest, size) = r.put_manifest(auth, "class/node", "22", &image).unwrap();
        let back = r
            .get_manifest(auth, "class/node", ManifestRef::Tag("22"))
            .unwrap();
        assert_eq!(back.digest, digest);
        assert_eq!(back.image.id, image.id);
        assert_eq!(back.image.layers, image.layers);
        assert!(size > 0);
        for b in &back.blobs {
            r.fetch_blob(auth, "class/node", b).unwrap();
        }
        // A mount from the repository that has the blobs: 201.
        assert!(
            r.mount(auth, "class/other", &image.layers[0], "class/node")
                .unwrap()
        );
        assert_eq!(r.tags(auth, "class/node").unwrap(), vec!["22".to_string()]);
        let wire = r.take_wire();
        assert_eq!(wire[0].method, Method::Get);
        assert_eq!(wire[0].path, "/v2/");
        assert!(
            wire.iter()
                .any(|c| c.method == Method::Head && c.status == Some(404))
        );
    });
    // skopeo reads what dockdrill wrote.
    match Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!("docker://{}/class/node:22", reg.host()))
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "skopeo: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let raw = String::from_utf8_lossy(&out.stdout);
            assert!(raw.contains("application/vnd.oci.image.manifest.v1+json"));
        }
        Err(e) => println!("skipped the skopeo check: skopeo is not installed ({e})"),
    }
}

#[test]
fn an_htpasswd_registry_refuses_until_login() {
    let Some(reg) = RealRegistry::start(
        "an_htpasswd_registry_refuses_until_login",
        &[("user", "pass")],
    ) else {
        return;
    };
    let image = hub_image("library/alpine", "latest");
    let remote = RemoteHandle::connect(&reg.url()).unwrap();
    remote.with(|r| {
        let none = Auth::default();
        let e = r.has_blob(none, "user/app", &image.layers[0]).unwrap_err();
        assert!(e.to_string().ends_with("no basic auth credentials"), "{e}");
        assert_eq!(
            r.check_login("user", "wrong"),
            Err(ApiError::LoginRefused { hub: false })
        );
        r.check_login("user", "pass").unwrap();
        let user = Auth { user: Some("user") };
        assert!(!r.has_blob(user, "user/app", &image.layers[0]).unwrap());
        r.upload(user, "user/app", &image.layers[0]).unwrap();
        r.put_manifest(user, "user/app", "latest", &image).unwrap();
        let e = r
            .get_manifest(user, "user/nosuchrepo", ManifestRef::Tag("latest"))
            .unwrap_err();
        assert_eq!(e, ApiError::ManifestUnknown);
    });
}

/// Runs `dockdrill replay --registry URL --format transcript` on `script` in a fresh data folder.
fn replay(url: &str, script: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "dockdrill-remote-script-{}-{}",
        std::process::id(),
        SCRIPTS.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("script.txt");
    std::fs::write(&file, script).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .args(["replay", "--format", "transcript", "--registry", url])
        .arg(&file)
        .env("DOCKDRILL_HOME", &dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "replay failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

static SCRIPTS: AtomicU16 = AtomicU16::new(0);

/// The output of the command on line `n` (0-based) of a transcript.
fn command_output(transcript: &str, n: usize) -> String {
    let mut blocks = transcript.split("\n$ ").map(str::to_string);
    let block = blocks.nth(n).unwrap_or_default();
    let mut out = block
        .split_once('\n')
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn image_id(output: &str) -> String {
    output.trim().to_string()
}

#[test]
fn two_dockdrill_processes_share_an_image_through_a_real_registry() {
    let Some(reg) = RealRegistry::start(
        "two_dockdrill_processes_share_an_image_through_a_real_registry",
        &[],
    ) else {
        return;
    };
    let h = reg.host();
    let a = replay(
        &reg.url(),
        &format!(
            "docker build -q -t {h}/alice/web:1.0 .\ndocker push {h}/alice/web:1.0\ndocker push {h}/alice/web:1.0\ndocker inspect -f '{{{{.Id}}}}' {h}/alice/web:1.0\n"
        ),
    );
    let first_push = command_output(&a, 1);
    assert!(first_push.contains(": Pushed"), "{a}");
    assert!(first_push.contains("[exit 0]"), "{a}");
    // The second push: the registry has every blob.
    let second = command_output(&a, 2);
    let layer_lines: Vec<&str> = second
        .lines()
        .filter(|l| l.len() > 14 && l.as_bytes()[12] == b':')
        .collect();
    assert_eq!(layer_lines.len(), 7, "{second}");
    assert!(
        layer_lines
            .iter()
            .all(|l| l.ends_with(": Layer already exists")),
        "{second}"
    );
    let digest_line = second
        .lines()
        .find(|l| l.starts_with("1.0: digest: sha256:"))
        .unwrap()
        .to_string();
    assert!(
        first_push.contains(&digest_line),
        "same manifest both times:\n{a}"
    );
    let id_a = image_id(command_output(&a, 3).lines().next().unwrap_or(""));

    // Another process (another learner's computer) pulls it: the same image ID, and the manifest
    // digest the pusher saw.
    let b = replay(
        &reg.url(),
        &format!(
            "docker pull {h}/alice/web:1.0\ndocker inspect -f '{{{{.Id}}}}' {h}/alice/web:1.0\ndocker push {h}/alice/web:1.0\n"
        ),
    );
    let pull = command_output(&b, 0);
    assert!(
        pull.contains(&format!(
            "Status: Downloaded newer image for {h}/alice/web:1.0"
        )),
        "{b}"
    );
    let manifest_digest = digest_line
        .trim_start_matches("1.0: digest: ")
        .split(' ')
        .next()
        .unwrap();
    assert!(pull.contains(&format!("Digest: {manifest_digest}")), "{b}");
    assert_eq!(
        image_id(command_output(&b, 1).lines().next().unwrap_or("")),
        id_a
    );
    // Having pulled from that repository, its push finds every layer there.
    let again = command_output(&b, 2);
    assert_eq!(again.matches(": Layer already exists").count(), 7, "{b}");

    // A real client reads the manifest dockdrill wrote, byte for byte the one whose digest the push printed.
    match Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!("docker://{h}/alice/web:1.0"))
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "skopeo: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                dockdrill::digest::Digest::of(&out.stdout).to_string(),
                manifest_digest
            );
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["layers"].as_array().map(Vec::len), Some(7));
            assert_eq!(v["config"]["digest"].as_str(), Some(id_a.as_str()));
        }
        Err(e) => println!("skipped the skopeo check: skopeo is not installed ({e})"),
    }
}

#[test]
fn a_push_before_docker_login_is_refused_and_after_it_succeeds() {
    let Some(reg) = RealRegistry::start(
        "a_push_before_docker_login_is_refused_and_after_it_succeeds",
        &[("user", "pass")],
    ) else {
        return;
    };
    let h = reg.host();
    let t = replay(
        &reg.url(),
        &format!(
            "docker pull alpine\ndocker tag alpine {h}/user/app\ndocker push {h}/user/app\ndocker pull {h}/user/app\ndocker login {h} -u user -p wrong\ndocker login {h} -u user -p pass\ndocker push {h}/user/app\ndocker pull {h}/user/nosuchrepo\n"
        ),
    );
    assert_eq!(
        command_output(&t, 2),
        format!(
            "Using default tag: latest\nThe push refers to repository [{h}/user/app]\nece518c2d2cc: Preparing\nno basic auth credentials\n[exit 1]\n"
        ),
        "{t}"
    );
    assert_eq!(
        command_output(&t, 3),
        format!(
            "Using default tag: latest\nError response from daemon: Head \"http://{h}/v2/user/app/manifests/latest\": no basic auth credentials\n[exit 1]\n"
        )
    );
    assert_eq!(
        command_output(&t, 4),
        format!(
            "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\nError response from daemon: login attempt to http://{h}/v2/ failed with status: 401 Unauthorized\n[exit 1]\n"
        )
    );
    assert!(
        command_output(&t, 5).ends_with("Login Succeeded\n[exit 0]\n"),
        "{t}"
    );
    let push = command_output(&t, 6);
    assert!(
        push.contains("ece518c2d2cc: Pushed\nlatest: digest: sha256:"),
        "{t}"
    );
    assert!(push.contains("[exit 0]"), "{t}");
    assert_eq!(
        command_output(&t, 7),
        format!(
            "Using default tag: latest\nError response from daemon: manifest for {h}/user/nosuchrepo:latest not found: manifest unknown: manifest unknown\n[exit 1]\n"
        )
    );
}

#[test]
fn an_unreachable_registry_prints_the_daemon_s_dial_error() {
    // Nothing listens on the port of a registry that was started and stopped.
    let Some(reg) = RealRegistry::start(
        "an_unreachable_registry_prints_the_daemon_s_dial_error",
        &[],
    ) else {
        return;
    };
    let url = reg.url();
    let h = reg.host();
    drop(reg);
    let t = replay(
        &url,
        &format!("docker pull {h}/a/b:1\ndocker login {h} -u u -p p\n"),
    );
    assert_eq!(
        command_output(&t, 0),
        format!(
            "Error response from daemon: Get \"http://{h}/v2/\": dial tcp {h}: connect: connection refused\n[exit 1]\n"
        ),
        "{t}"
    );
    assert!(command_output(&t, 1).contains(&format!("Error response from daemon: Get \"http://{h}/v2/\": dial tcp {h}: connect: connection refused")), "{t}");
}

#[test]
fn a_class_pushing_and_pulling_at_once_loses_nothing() {
    let Some(reg) = RealRegistry::start("a_class_pushing_and_pulling_at_once_loses_nothing", &[])
    else {
        return;
    };
    // 5 by default; `DOCKDRILL_CLASS_SIZE=30` for the documented run with a whole class.
    let n: usize = std::env::var("DOCKDRILL_CLASS_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let h = reg.host();
    let started = Instant::now();
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let url = reg.url();
            let h = h.clone();
            std::thread::spawn(move || {
                let next = (i + 1) % n;
                let script = format!(
                    "docker build -q -t {h}/student{i}/web:1 .\ndocker push {h}/student{i}/web:1\ndocker pull {h}/student{next}/web:1\n"
                );
                (i, replay(&url, &script))
            })
        })
        .collect();
    let results: Vec<(usize, String)> = handles.into_iter().map(|t| t.join().unwrap()).collect();
    let elapsed = started.elapsed();
    // Each push printed what it would print alone: the same lines, only the repository differs.
    let alone = command_output(&results[0].1, 1).replace("student0", "studentN");
    for (i, t) in &results {
        assert_eq!(
            command_output(t, 1).replace(&format!("student{i}"), "studentN"),
            alone,
            "{t}"
        );
    }
    // Every image arrived: the tag lists name each one, and every learner's last command was a pull
    // (of a neighbour's image, which may not be there yet when the neighbour is slower).
    let remote = RemoteHandle::connect(&reg.url()).unwrap();
    remote.with(|r| {
        for i in 0..n {
            assert_eq!(
                r.tags(Auth::default(), &format!("student{i}/web")).unwrap(),
                vec!["1".to_string()]
            );
            let m = r
                .get_manifest(
                    Auth::default(),
                    &format!("student{i}/web"),
                    ManifestRef::Tag("1"),
                )
                .unwrap();
            assert_eq!(
                Some(m.digest.to_string()),
                alone
                    .lines()
                    .find_map(|l| l.strip_prefix("1: digest: ").map(|d| d
                        .split(' ')
                        .next()
                        .unwrap_or("")
                        .to_string()))
            );
        }
    });
    println!("a class of {n}: every push and pull done in {elapsed:.2?}");
}

#[test]
fn a_scenario_can_name_a_real_registry_by_url() {
    let Some(reg) = RealRegistry::start("a_scenario_can_name_a_real_registry_by_url", &[]) else {
        return;
    };
    let h = reg.host();
    let dir =
        std::env::temp_dir().join(format!("dockdrill-remote-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("class.yaml");
    std::fs::write(
        &file,
        format!(
            "format_version: 1\ntitle: Share through the class registry\nsummary: Push to the real registry.\nworld:\n  registries:\n    \"{h}\": {{ url: \"{}\" }}\nsteps:\n  - run: \"docker build -q -t {h}/team/app .\"\n  - run: \"docker push {h}/team/app\"\n    expect: {{ exit_code: 0, output_contains: \"latest: digest: sha256:\" }}\n",
            reg.url()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let remote = RemoteHandle::connect(&reg.url()).unwrap();
    let tags = remote
        .with(|r| r.tags(Auth::default(), "team/app"))
        .unwrap();
    assert_eq!(tags, vec!["latest".to_string()]);
}
