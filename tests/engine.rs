//! The rules that teach, each pinned by a test that asserts on state and on Docker's words.

use crate::harness::Sim;
use dockdrill::event::{Event, PushStatus, Rule};
use dockdrill::model::container::State;

fn container_state(sim: &Sim, machine: &str, name: &str) -> Option<State> {
    let m = &sim.world.machines[machine];
    Some(m.containers.named(name)?.state.clone())
}

/// Seed question 1: an image and a container exist, both with the names given; the container is stopped.
#[test]
fn seed_1_build_run_stop() {
    let mut sim = Sim::new();
    sim.ok("docker build -t myimage .");
    sim.ok("docker run --name mycontainer myimage");
    assert!(matches!(
        container_state(&sim, "default", "mycontainer"),
        Some(State::Running { .. })
    ));
    assert_eq!(sim.ok("docker stop mycontainer"), "mycontainer\n");
    assert!(matches!(
        container_state(&sim, "default", "mycontainer"),
        Some(State::Exited { .. })
    ));
    assert!(
        sim.world.machines["default"]
            .images
            .has_tag("docker.io/library/myimage:latest")
    );
}

/// Seed question 2: with --rm the container is gone after stop, so `docker rm` is the command that fails.
#[test]
fn seed_2_rm_flag_makes_rm_fail() {
    let mut sim = Sim::new();
    sim.ok("docker build -t myimage:latest .");
    sim.ok("docker run --name mycontainer --rm myimage");
    sim.ok("docker stop mycontainer");
    assert_eq!(sim.run("docker ps -a").exit_code, 0);
    assert_eq!(sim.run("docker rmi myimage:latest").exit_code, 0);
    let rm = sim.run("docker rm mycontainer");
    assert_eq!(rm.exit_code, 1);
    assert_eq!(
        rm.stderr,
        "Error response from daemon: No such container: mycontainer\n"
    );
}

/// Seed question 3: one image tagged as several versions lists a row per tag with the same IMAGE ID.
#[test]
fn seed_3_tags_name_one_image() {
    let mut sim = Sim::new();
    sim.ok("docker build -t myimage:1.0 .");
    sim.ok("docker tag myimage:1.0 myimage:latest");
    sim.ok("docker tag myimage myimage:2024");
    let out = sim.ok("docker images");
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 3);
    let ids: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| r.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(ids.len(), 1);
}

#[test]
fn rm_flag_removes_on_exit_and_on_stop() {
    let mut sim = Sim::new();
    sim.ok("docker run --rm --name once alpine echo bye");
    assert!(container_state(&sim, "default", "once").is_none());
    sim.ok("docker run -d --rm --name short alpine sleep 2");
    assert!(container_state(&sim, "default", "short").is_some());
    sim.ok("sleep 3");
    assert!(container_state(&sim, "default", "short").is_none());
    let r = sim.run("docker stop short");
    assert_eq!(
        r.stderr,
        "Error response from daemon: No such container: short\n"
    );
}

#[test]
fn names_are_unique() {
    let mut sim = Sim::new();
    let id = sim.ok("docker run -d --name web nginx").trim().to_string();
    let r = sim.run("docker run -d --name web nginx");
    assert_eq!(r.exit_code, 125);
    assert_eq!(
        r.stderr,
        format!(
            "docker: Error response from daemon: Conflict. The container name \"/web\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n"
        )
    );
}

#[test]
fn unnamed_containers_get_docker_style_names() {
    let mut sim = Sim::new();
    sim.ok("docker run alpine true");
    let m = &sim.world.machines["default"];
    let name = m.containers.all().next().unwrap().name.clone();
    assert!(dockdrill::names::is_generated(&name), "{name}");
}

#[test]
fn rmi_conflicts_with_stopped_and_running_containers() {
    let mut sim = Sim::new();
    sim.ok("docker pull alpine");
    sim.ok("docker run -d --name sl alpine sleep 100");
    let r = sim.run("docker rmi alpine");
    assert!(r.stderr.starts_with("Error response from daemon: conflict: unable to remove repository reference \"alpine\" (must force) - container "), "{}", r.stderr);
    let id = sim.image("default", "alpine").id.clone();
    let r = sim.run(&format!("docker rmi -f {}", id.short()));
    assert!(
        r.stderr
            .contains("(cannot be forced) - image is being used by running container"),
        "{}",
        r.stderr
    );
    // -f by reference untags; the running container keeps the image, now dangling.
    let r = sim.run("docker rmi -f alpine");
    assert_eq!(r.exit_code, 0);
    assert!(r.stdout.starts_with("Untagged: alpine:latest\n"));
    assert!(!r.stdout.contains("Deleted:"));
    assert!(
        sim.world.machines["default"]
            .images
            .images
            .contains_key(&id)
    );
}

#[test]
fn rmi_of_one_tag_keeps_the_image() {
    let mut sim = Sim::new();
    sim.ok("docker build -t app:1.0 .");
    sim.ok("docker tag app:1.0 app:latest");
    assert_eq!(sim.ok("docker rmi app:1.0"), "Untagged: app:1.0\n");
    assert!(
        sim.world.machines["default"]
            .images
            .lookup("app:latest")
            .is_some()
    );
}

#[test]
fn statuses_read_like_docker_over_time() {
    let mut sim = Sim::new();
    sim.ok("docker run -d --name sl alpine sleep 100");
    sim.ok("docker run --name ec alpine echo hi");
    sim.ok("sleep 5");
    let now = sim.world.now;
    let m = &sim.world.machines["default"];
    let status = |n: &str| {
        dockdrill::render::listing::status(&m.containers.named(n).expect("named").state, now)
    };
    assert_eq!(status("sl"), "Up 7 seconds");
    assert_eq!(status("ec"), "Exited (0) 6 seconds ago");
}

#[test]
fn stop_kills_a_process_that_ignores_sigterm_after_the_timeout() {
    let mut sim = Sim::new();
    sim.ok("docker run -d --name sl alpine sleep 100");
    sim.ok("docker run -d --name ng nginx");
    let before = sim.world.now;
    sim.ok("docker stop sl");
    assert!(sim.world.now >= before + 10);
    assert!(matches!(
        container_state(&sim, "default", "sl"),
        Some(State::Exited { code: 137, .. })
    ));
    sim.ok("docker stop ng");
    assert!(matches!(
        container_state(&sim, "default", "ng"),
        Some(State::Exited { code: 0, .. })
    ));
}

#[test]
fn rebuild_hits_the_cache_and_a_source_edit_invalidates_from_that_layer() {
    let mut sim = Sim::new();
    sim.ok("docker build -t app .");
    let first = sim.image("default", "app").id.clone();
    let again = sim.run("docker build -t app .");
    assert!(again.stderr.contains("#7 CACHED"), "{}", again.stderr);
    assert_eq!(sim.image("default", "app").id, first);
    sim.ok("sed -i s/version/release/ server.js");
    let r = sim.run("docker build -t app .");
    let rules: Vec<&Rule> = r
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::Rule(r) => Some(r),
            _ => None,
        })
        .collect();
    assert!(rules.contains(&&Rule::CacheHit {
        instruction: "RUN npm install".into()
    }));
    assert!(rules.contains(&&Rule::CacheMiss {
        instruction: "COPY . .".into()
    }));
    assert_ne!(sim.image("default", "app").id, first);
}

#[test]
fn a_running_container_keeps_the_old_code_until_a_new_one_runs() {
    let mut sim = Sim::new();
    sim.ok("docker build -t app .");
    sim.ok("docker run -d --name v1 app");
    sim.ok("sed -i 's/version 1/version 2/' server.js");
    sim.ok("docker build -t app .");
    assert_eq!(
        sim.ok("docker logs v1"),
        "Server version 1 listening on port 3000\n"
    );
    sim.ok("docker run -d --name v2 app");
    assert_eq!(
        sim.ok("docker logs v2"),
        "Server version 2 listening on port 3000\n"
    );
}

#[test]
fn pulled_image_has_the_same_id_on_every_machine() {
    let mut sim = Sim::new();
    sim.ok("docker login -u alice -p wonderland");
    sim.ok("docker build -t alice/app .");
    sim.ok("docker push alice/app");
    sim.ok("server$ docker pull alice/app");
    let a = sim.image("default", "alice/app");
    let b = sim.image("server", "alice/app");
    assert_eq!(a.id, b.id);
    assert_eq!(a.layers, b.layers);
}

#[test]
fn a_push_uploads_exactly_the_blobs_the_registry_lacks() {
    let mut sim = Sim::new();
    sim.ok("docker login -u alice -p wonderland");
    sim.ok("docker build -t alice/app:1.0 .");
    let before = sim.world.registries["docker.io"].blobs.len();
    let r = sim.run("docker push alice/app:1.0");
    let statuses: Vec<PushStatus> = r
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::PushTag(t) => Some(t.layers.iter().map(|l| l.1.clone())),
            _ => None,
        })
        .flatten()
        .collect();
    let pushed = statuses
        .iter()
        .filter(|s| matches!(s, PushStatus::Pushed { .. }))
        .count();
    let mounted = statuses
        .iter()
        .filter(|s| matches!(s, PushStatus::Mounted { .. }))
        .count();
    // node:22-alpine's 4 layers come from library/node; WORKDIR makes no layer; COPY, RUN, COPY are new.
    assert_eq!((pushed, mounted), (3, 4));
    let hub = &sim.world.registries["docker.io"];
    // 3 new layer blobs and 1 config blob, each stored once.
    assert_eq!(hub.blobs.len(), before + 4);
    let again = sim.run("docker push alice/app:1.0");
    assert!(
        again
            .events()
            .iter()
            .any(|e| matches!(e, Event::Rule(Rule::PushSaved { uploaded: 0, .. })))
    );
    assert_eq!(sim.world.registries["docker.io"].blobs.len(), before + 4);
}

#[test]
fn run_uses_the_stale_local_image_until_a_pull() {
    let mut sim = Sim::new();
    sim.ok("laptop$ docker login -u alice -p wonderland");
    sim.ok("laptop$ docker build -t alice/web .");
    sim.ok("laptop$ docker push alice/web");
    sim.ok("server$ docker pull alice/web");
    let old = sim.image("server", "alice/web").id.clone();
    sim.ok("laptop$ sed -i 's/version 1/version 2/' server.js");
    sim.ok("laptop$ docker build -t alice/web .");
    sim.ok("laptop$ docker push alice/web");
    let r = sim.run("server$ docker run -d --name web alice/web");
    assert!(r.events().contains(&Event::Rule(Rule::UsedLocalImage {
        reference: dockdrill::reference::ImageRef::parse("alice/web:latest").unwrap(),
        newer_on_registry: true
    })));
    assert_eq!(
        sim.world.machines["server"]
            .containers
            .all()
            .next()
            .unwrap()
            .image,
        old
    );
    let pull = sim.run("server$ docker pull alice/web");
    assert!(
        pull.stdout
            .contains("Status: Downloaded newer image for alice/web:latest")
    );
    // The old image keeps its repository name with TAG <none> (it still has a digest).
    let images = sim.ok("server$ docker images");
    assert!(
        images
            .lines()
            .any(|l| l.starts_with("alice/web") && l.contains("<none>")),
        "{images}"
    );
}

#[test]
fn localhost_registry_exists_only_while_its_container_runs() {
    let mut sim = Sim::new();
    sim.ok("docker pull busybox");
    sim.ok("docker tag busybox localhost:5000/bb");
    let r = sim.run("docker push localhost:5000/bb");
    assert!(r.stderr.contains("connect: connection refused"));
    sim.ok("docker run -d -p 5000:5000 --name registry registry:2");
    sim.ok("docker push localhost:5000/bb");
    sim.ok("docker stop registry");
    assert_eq!(sim.run("docker pull localhost:5000/bb").exit_code, 1);
    sim.ok("docker start registry");
    sim.ok("docker pull localhost:5000/bb");
    // Another machine's localhost is another host.
    assert_eq!(sim.run("other$ docker pull localhost:5000/bb").exit_code, 1);
}

#[test]
fn login_is_per_machine() {
    let mut sim = Sim::new();
    sim.ok("laptop$ docker login -u alice -p wonderland");
    assert_eq!(sim.run("server$ docker pull alice/secret-app").exit_code, 1);
    assert_eq!(sim.run("laptop$ docker pull alice/secret-app").exit_code, 0);
    let r = sim.run_stdin(
        "server$ docker login -u alice --password-stdin",
        "wonderland\n",
    );
    assert_eq!(r.stdout, "Login Succeeded\n");
}

/// The stale-image rule holds for `FROM` too: a build uses the local base until it is pulled (or `--pull`).
#[test]
fn build_from_uses_the_local_base_until_pulled() {
    let mut sim = Sim::new();
    sim.ok("teammate$ docker login -u alice -p wonderland");
    sim.ok("teammate$ docker pull alpine:3.20");
    sim.ok("teammate$ docker tag alpine:3.20 alice/base");
    sim.ok("teammate$ docker push alice/base");
    sim.ok("docker pull alice/base");
    let old = sim.image("default", "alice/base").id.clone();
    sim.ok("teammate$ docker pull alpine:3.21");
    sim.ok("teammate$ docker tag alpine:3.21 alice/base");
    sim.ok("teammate$ docker push alice/base");
    sim.ok("echo FROM alice/base > Dockerfile");
    let r = sim.run("docker build -t app .");
    assert!(
        r.stderr
            .contains("[1/1] FROM docker.io/alice/base:latest\n"),
        "{}",
        r.stderr
    );
    let built = sim.image("default", "app");
    assert_eq!(
        built.layers,
        sim.world.machines["default"].images.images[&old]
            .image
            .layers
    );
    let r = sim.run("docker build --pull -t app2 .");
    assert!(
        r.stderr
            .contains("FROM docker.io/alice/base:latest@sha256:"),
        "{}",
        r.stderr
    );
    let fresh = sim.image("default", "app2");
    assert_ne!(fresh.layers, built.layers);
}
