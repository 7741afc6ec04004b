//! `docker commit -c/--change`: Dockerfile instructions applied to the config of the image a commit
//! makes, without building anything.
//!
//! The daemon joins the changes with newlines and parses them as a Dockerfile (moby
//! `builder/dockerfile` `BuildFromConfig`). Only instructions that change the config are allowed — the
//! first other one refuses the whole commit before any instruction applies; an instruction that does not
//! parse refuses it too. The allowed ones apply in order to a copy of the container's config, with the
//! builder's rules (`ENTRYPOINT` drops a `CMD` not set by an earlier change, a relative `WORKDIR` joins
//! the previous one, `$VAR`s expand from the environment so far).

pub use crate::docker_error::ChangeProblem;
use crate::dockerfile::{self, CommandForm, InstructionKind};
use crate::model::image::ImageConfig;

/// The instructions a change may be (moby `validCommitCommands`), lower case.
const COMMIT_INSTRUCTIONS: [&str; 11] = [
    "cmd",
    "entrypoint",
    "env",
    "expose",
    "healthcheck",
    "label",
    "onbuild",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// `config` with `changes` applied in order.
pub fn apply(config: &ImageConfig, changes: &[String]) -> Result<ImageConfig, ChangeProblem> {
    let mut config = config.clone();
    if changes.is_empty() {
        return Ok(config);
    }
    let text = changes.join("\n");
    // Every keyword is checked before any instruction is parsed, as the daemon does.
    let mut instructions = 0;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let keyword = line
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        if !COMMIT_INSTRUCTIONS.contains(&keyword.as_str()) {
            return Err(ChangeProblem::NotAChange { keyword });
        }
        instructions += 1;
    }
    // `-c ''`: the parser refuses a Dockerfile without instructions.
    if instructions == 0 {
        return Err(ChangeProblem::Unparsable(
            crate::dockerfile::DockerfileErrorKind::NoInstructions,
        ));
    }
    // The parser wants a stage; the changes are what follows it.
    let parsed = dockerfile::parse(&format!("FROM scratch\n{text}"))
        .map_err(|e| ChangeProblem::Unparsable(e.kind))?;
    let mut cmd_set = false;
    for ins in parsed.instructions.iter().skip(1) {
        let env = config.env.clone();
        let expand = |w: &str| {
            dockerfile::expand(w, &|name| {
                env.iter()
                    .find_map(|e| e.strip_prefix(name)?.strip_prefix('='))
                    .map(str::to_string)
            })
        };
        match &ins.kind {
            InstructionKind::Cmd(form) => {
                config.cmd = Some(argv(form));
                cmd_set = true;
            }
            InstructionKind::Entrypoint(form) => {
                config.entrypoint = Some(argv(form));
                if !cmd_set {
                    config.cmd = None;
                }
            }
            InstructionKind::Env(pairs) => {
                for (k, v) in pairs {
                    crate::model::image::set_env(&mut config.env, format!("{k}={}", expand(v)));
                }
            }
            InstructionKind::Expose(ports) => {
                for p in ports {
                    let p = expand(p);
                    config.exposed_ports.insert(if p.contains('/') {
                        p
                    } else {
                        format!("{p}/tcp")
                    });
                }
            }
            InstructionKind::Label(pairs) => {
                for (k, v) in pairs {
                    config.labels.insert(expand(k), expand(v));
                }
            }
            InstructionKind::User(u) => config.user = expand(u),
            InstructionKind::Workdir(dir) => {
                let dir = expand(dir);
                config.working_dir = if dir.starts_with('/') {
                    dir
                } else {
                    format!("{}/{dir}", config.working_dir.trim_end_matches('/'))
                };
            }
            InstructionKind::StopSignal(s) => config.stop_signal = Some(expand(s)),
            // VOLUME, HEALTHCHECK and ONBUILD are accepted as by the daemon; this config does not
            // carry them (the builder leaves them out of images as well).
            _ => {}
        }
    }
    Ok(config)
}

/// The argv of a `CMD` / `ENTRYPOINT` change: a shell form runs under `/bin/sh -c`.
fn argv(form: &CommandForm) -> Vec<String> {
    form.to_argv(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ImageConfig {
        ImageConfig {
            cmd: Some(vec!["sleep".into(), "3600".into()]),
            env: vec!["PATH=/bin".into()],
            ..ImageConfig::default()
        }
    }

    fn changes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn each_change_sets_its_field() {
        let c = apply(
            &base(),
            &changes(&[
                r#"CMD ["echo", "hi"]"#,
                "ENV MODE=prod",
                "ENV P=$PATH:/x",
                "WORKDIR /srv",
                "WORKDIR app",
                "EXPOSE 8080 53/udp",
                "LABEL team=blue",
                "USER nobody",
                "STOPSIGNAL SIGINT",
            ]),
        )
        .unwrap();
        assert_eq!(c.cmd, Some(vec!["echo".to_string(), "hi".to_string()]));
        assert_eq!(c.env, ["PATH=/bin", "MODE=prod", "P=/bin:/x"]);
        assert_eq!(c.working_dir, "/srv/app");
        assert_eq!(
            c.exposed_ports.iter().collect::<Vec<_>>(),
            ["53/udp", "8080/tcp"]
        );
        assert_eq!(c.labels["team"], "blue");
        assert_eq!(c.user, "nobody");
        assert_eq!(c.stop_signal.as_deref(), Some("SIGINT"));
    }

    #[test]
    fn an_entrypoint_drops_a_cmd_no_earlier_change_set() {
        let c = apply(&base(), &changes(&[r#"ENTRYPOINT ["sh"]"#])).unwrap();
        assert_eq!(c.entrypoint, Some(vec!["sh".to_string()]));
        assert_eq!(c.cmd, None);
        let c = apply(&base(), &changes(&["CMD ls", "ENTRYPOINT env"])).unwrap();
        assert_eq!(
            c.cmd,
            Some(vec![
                "/bin/sh".to_string(),
                "-c".to_string(),
                "ls".to_string()
            ])
        );
    }

    #[test]
    fn only_config_instructions_are_changes() {
        for (change, keyword) in [
            ("RUN echo no", "run"),
            ("FROM busybox", "from"),
            ("NOPE x", "nope"),
        ] {
            assert_eq!(
                apply(&base(), &changes(&["ENV A=1", change])),
                Err(ChangeProblem::NotAChange {
                    keyword: keyword.into()
                })
            );
        }
        assert!(matches!(
            apply(&base(), &changes(&["ENV"])),
            Err(ChangeProblem::Unparsable(_))
        ));
        assert_eq!(apply(&base(), &[]), Ok(base()));
        assert_eq!(
            apply(&base(), &changes(&[""])),
            Err(ChangeProblem::Unparsable(
                crate::dockerfile::DockerfileErrorKind::NoInstructions
            ))
        );
    }
}
