//! Real registries: Debian's `docker-registry` (CNCF distribution 2.8) on a loopback port, open and with
//! htpasswd auth. Each test skips with one printed line when the registry cannot be started (not
//! installed: `.ci/run` installs it), never silently.

use dockdrill::model::world::World;
use dockdrill::remote::api::{Auth, ManifestRef, RegistryApi, RemoteHandle};
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
        let (digest, size) = r
            .put_manifest(auth, "class/node", "22", &image)
            .unwrap();
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
        let e = r.check_login("user", "wrong").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "login attempt to http://{}/v2/ failed with status: 401 Unauthorized",
                reg.host()
            )
        );
        r.check_login("user", "pass").unwrap();
        let user = Auth { user: Some("user") };
        assert!(!r.has_blob(user, "user/app", &image.layers[0]).unwrap());
        r.upload(user, "user/app", &image.layers[0]).unwrap();
        r.put_manifest(user, "user/app", "latest", &image).unwrap();
        let e = r
            .get_manifest(user, "user/nosuchrepo", ManifestRef::Tag("latest"))
            .unwrap_err();
        assert!(e.to_string().contains("unknown"), "{e}");
    });
}
