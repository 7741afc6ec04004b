//! Every refusal a learner of image sharing meets, asserted on the typed outcome (which rule refused, with
//! what data), then rendered once to pin Docker's words; and `explain` after each, in a piped REPL session.

use crate::harness::Sim;
use dockdrill::command::{ArgRule, UsageError};
use dockdrill::docker_error::{DenyReason, DockerError, ImageHold, Transfer, Unreachable};
use dockdrill::reference::RepoName;
use dockdrill::runner::StepKind;

/// The first refusal of the last line, or a failure naming the line.
fn refusal(sim: &mut Sim, setup: &[&str], line: &str) -> DockerError {
    for l in setup {
        sim.run(l);
    }
    let step = sim.run(line);
    match &step.kind {
        StepKind::Docker { outcome, .. } => match outcome.refusal() {
            Some(e) => e.clone(),
            None => panic!("`{line}` was not refused: {}{}", step.stdout, step.stderr),
        },
        other => panic!("`{line}` was no docker command: {other:?}"),
    }
}

fn text(e: &DockerError) -> String {
    dockdrill::render::errors::text(e)
}

#[test]
fn push_without_login_is_denied_as_not_logged_in() {
    let mut sim = Sim::new();
    let e = refusal(
        &mut sim,
        &["docker build -t alice/app ."],
        "docker push alice/app",
    );
    assert_eq!(
        e,
        DockerError::PushDenied {
            host: "docker.io".into(),
            repository: "alice/app".into(),
            account: None,
            reason: DenyReason::NotLoggedIn,
        }
    );
    assert_eq!(
        text(&e),
        "denied: requested access to the resource is denied"
    );
}

#[test]
fn push_into_library_is_the_official_namespace() {
    let mut sim = Sim::new();
    let e = refusal(
        &mut sim,
        &[
            "docker build -t myimage .",
            "docker login -u alice -p wonderland",
        ],
        "docker push myimage",
    );
    assert!(matches!(
        e,
        DockerError::PushDenied {
            reason: DenyReason::OfficialNamespace,
            account: Some(ref a),
            ..
        } if a == "alice"
    ));
}

#[test]
fn push_into_another_namespace_names_it() {
    let mut sim = Sim::new();
    let e = refusal(
        &mut sim,
        &[
            "docker build -t bob/app .",
            "docker login -u alice -p wonderland",
        ],
        "docker push bob/app",
    );
    assert!(matches!(
        e,
        DockerError::PushDenied { reason: DenyReason::OtherNamespace { ref namespace }, .. } if namespace == "bob"
    ));
}

#[test]
fn push_of_a_name_that_is_not_local() {
    let mut sim = Sim::new();
    let e = refusal(
        &mut sim,
        &["docker build -t myimage ."],
        "docker push alice/app",
    );
    assert_eq!(
        e,
        DockerError::NotLocalRepository {
            repository: RepoName::new("docker.io/alice/app")
        }
    );
    assert_eq!(
        text(&e),
        "An image does not exist locally with the tag: alice/app"
    );
    let e = refusal(
        &mut sim,
        &["docker tag myimage alice/app:1.0"],
        "docker push alice/app:2.0",
    );
    assert_eq!(
        e,
        DockerError::NotLocalTag {
            repository: RepoName::new("docker.io/alice/app"),
            tag: "2.0".into()
        }
    );
    assert_eq!(text(&e), "tag does not exist: alice/app:2.0");
}

#[test]
fn pull_of_a_private_repository_is_denied() {
    let mut sim = Sim::new();
    let e = refusal(&mut sim, &[], "docker pull alice/secret-app");
    assert_eq!(
        e,
        DockerError::PullDenied {
            repository: RepoName::new("docker.io/alice/secret-app")
        }
    );
    assert!(
        text(&e).starts_with("Error response from daemon: pull access denied for alice/secret-app")
    );
}

#[test]
fn a_wrong_password_is_bad_credentials() {
    let mut sim = Sim::new();
    let e = refusal(&mut sim, &[], "docker login -u alice -p nope");
    assert_eq!(
        e,
        DockerError::BadCredentials {
            host: "docker.io".into(),
            hub: true
        }
    );
}

#[test]
fn a_taken_container_name_names_its_holder() {
    let mut sim = Sim::new();
    sim.ok("docker build -t myimage .");
    sim.ok("docker run -d --name web myimage");
    let holder = sim.world.machines["default"]
        .containers
        .named("web")
        .expect("named")
        .id
        .to_string();
    let e = refusal(&mut sim, &[], "docker run -d --name web myimage");
    assert_eq!(
        e,
        DockerError::NameInUse {
            name: "web".into(),
            holder
        }
    );
    let step = sim.run("docker run -d --name web myimage");
    assert!(step.stderr.starts_with("docker: Error response from daemon: Conflict. The container name \"/web\" is already in use by container"));
    assert_eq!(step.exit_code, 125);
}

#[test]
fn removing_a_running_container_needs_force() {
    let mut sim = Sim::new();
    let e = refusal(
        &mut sim,
        &[
            "docker build -t myimage .",
            "docker run -d --name web myimage",
        ],
        "docker rm web",
    );
    assert_eq!(e, DockerError::RemoveRunning { name: "web".into() });
}

#[test]
fn an_rm_container_is_gone_after_it_stops() {
    let mut sim = Sim::new();
    let e = refusal(
        &mut sim,
        &[
            "docker build -t myimage .",
            "docker run -d --rm --name web myimage",
            "docker stop web",
        ],
        "docker rm web",
    );
    assert_eq!(e, DockerError::no_such_container("web"));
    assert!(e.is_not_found());
}

#[test]
fn rmi_of_an_image_a_container_uses() {
    let mut sim = Sim::new();
    sim.ok("docker pull alpine");
    sim.ok("docker run --name once alpine echo hi");
    let cid = sim.world.machines["default"]
        .containers
        .named("once")
        .expect("named")
        .id
        .to_string();
    let id = sim.image("default", "alpine").id.clone();
    let e = refusal(&mut sim, &[], &format!("docker rmi {}", id.short()));
    assert_eq!(
        e,
        DockerError::ImageInUse {
            image: id.clone(),
            forcible: true,
            hold: ImageHold::StoppedContainer {
                container: cid.clone()
            }
        }
    );
    let e = refusal(&mut sim, &[], "docker rmi alpine");
    assert_eq!(
        e,
        DockerError::ReferenceInUse {
            reference: "alpine".into(),
            container: cid,
            image: id
        }
    );
}

#[test]
fn a_local_registry_that_is_not_running_is_unreachable() {
    let mut sim = Sim::new();
    let e = refusal(
        &mut sim,
        &[
            "docker pull alpine",
            "docker tag alpine localhost:5000/alpine",
        ],
        "docker push localhost:5000/alpine",
    );
    assert_eq!(
        e,
        DockerError::RegistryUnreachable {
            host: "localhost:5000".into(),
            why: Unreachable::ConnectionRefused,
            during: Transfer::Push
        }
    );
    // A push reports it in its stream: no daemon prefix.
    assert!(text(&e).starts_with("Get \"http://localhost:5000/v2/\": dial tcp [::1]:5000"));
}

#[test]
fn a_missing_tag_is_manifest_unknown() {
    let mut sim = Sim::new();
    let e = refusal(&mut sim, &[], "docker pull node:nope");
    assert_eq!(
        e,
        DockerError::ManifestUnknown {
            reference: "node:nope".into()
        }
    );
}

#[test]
fn usage_errors_carry_the_command_and_the_rule() {
    let mut sim = Sim::new();
    let step = sim.run("docker images a b");
    assert_eq!(
        step.kind,
        StepKind::Usage(UsageError::ArgCount {
            path: "images".into(),
            rule: ArgRule::Max(1)
        })
    );
    let step = sim.run("docker run --foo alpine");
    assert!(matches!(
        &step.kind,
        StepKind::Usage(UsageError::Flag { path, .. }) if path == "run"
    ));
    assert_eq!(step.exit_code, 125);
}

/// `explain` after each failure: the rule, the trigger, the next command (piped REPL session).
#[test]
fn explain_after_every_failure() {
    let input = [
        "docker build -t myimage .",
        "docker push myimage",
        "explain",
        "docker login -u alice -p wonderland",
        "docker push myimage",
        "explain",
        "docker push alice/myimage",
        "explain",
        "docker tag myimage alice/myimage:1.0",
        "docker push alice/myimage:2.0",
        "explain",
        "docker logout",
        "docker pull alice/secret-app",
        "explain",
        "docker login -u alice -p wrong",
        "explain",
        "docker run -d --name web myimage",
        "docker run -d --name web myimage",
        "explain",
        "docker rm web",
        "explain",
        "docker pull alpine",
        "docker run --name once alpine echo hi",
        "docker rmi alpine",
        "explain",
        "docker run -d --rm --name tmp myimage",
        "docker stop tmp",
        "docker rm tmp",
        "explain",
        "docker push localhost:5000/myimage",
        "explain",
        "docker images a b",
        "explain",
    ]
    .join("\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dockdrill"))
        .env(
            "DOCKDRILL_HOME",
            std::env::temp_dir().join(format!("dockdrill-refusals-{}", std::process::id())),
        )
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        // Wide enough that the REPL does not wrap the simulator's text: the snapshot is about what is said.
        .env("COLUMNS", "1000")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(input.as_bytes())?;
            }
            child.wait_with_output()
        })
        .unwrap_or_else(|e| panic!("cannot run dockdrill: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    insta::assert_snapshot!("explain_after_every_failure", text);
}
