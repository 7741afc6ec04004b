//! What counts as a step. A level's par, its scripted events ("after your first command, a teammate
//! pushes") and `undo` all speak of the learner's *steps*, so the rule must be one and the same everywhere:
//!
//! - a **step** is a command that may change the world: a docker command that creates, starts, stops,
//!   removes, tags, builds, pulls, pushes or logs in, a file helper that writes (`sed -i`, `echo … > FILE`,
//!   `cp`, `rm`), `sleep`, `wait`, `reset`;
//! - a **look** only reads the world: `docker images`, `ps`, `inspect`, `logs`, `history`, `version`,
//!   `--help`, a docker command dockdrill does not simulate, `ls`, `cat`, and the simulator's own `state`,
//!   `explain`, `help`;
//! - **not a command**: an empty line, a typo, an unknown word, a line Docker's CLI rejects before doing
//!   anything (a usage error), a shell idiom that is not simulated.
//!
//! Only steps count toward par, fire a level's events and take an undo step. Looks still run (and a lesson
//! step that asks for `docker images` is done by typing it), they just leave the count alone.

use crate::command::Command;

/// What a line is, for counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// May change the world: counted, undoable, fires events.
    Step,
    /// Only reads the world.
    Look,
    /// Not a command at all (typo, unknown word, usage error, empty line).
    NotACommand,
}

impl LineKind {
    /// Does this line count toward par, fire events and take an undo step?
    pub fn counts(self) -> bool {
        self == LineKind::Step
    }
}

/// The kind of a parsed docker command.
pub fn docker(command: &Command) -> LineKind {
    match command {
        Command::Help(_)
        | Command::Version { .. }
        | Command::Images { .. }
        | Command::ImagesTree { .. }
        | Command::Ps { .. }
        | Command::Logs { .. }
        | Command::Inspect { .. }
        | Command::History { .. }
        | Command::Top { .. }
        | Command::Port { .. }
        | Command::Wait { .. }
        | Command::Diff { .. }
        | Command::Stats { .. }
        | Command::Info { .. }
        | Command::SystemDf { .. }
        | Command::Search { .. }
        | Command::NetworkLs { .. }
        | Command::NetworkInspect { .. }
        | Command::VolumeLs { .. }
        | Command::VolumeInspect { .. }
        | Command::NotSimulated { .. } => LineKind::Look,
        Command::Buildx(b) => match b {
            crate::command::Buildx::Ls
            | crate::command::Buildx::Inspect {
                bootstrap: false, ..
            }
            | crate::command::Buildx::ImagetoolsInspect { .. } => LineKind::Look,
            _ => LineKind::Step,
        },
        Command::Manifest(crate::command::Manifest::Inspect { .. }) => LineKind::Look,
        Command::Manifest(_) => LineKind::Step,
        Command::Build(_)
        | Command::Run(_)
        | Command::Start { .. }
        | Command::Stop { .. }
        | Command::Restart { .. }
        | Command::Kill { .. }
        | Command::Pause { .. }
        | Command::Unpause { .. }
        | Command::Rm { .. }
        | Command::Rmi { .. }
        | Command::Tag { .. }
        | Command::ImagePrune { .. }
        | Command::ContainerPrune { .. }
        | Command::Pull { .. }
        | Command::Push { .. }
        | Command::Login { .. }
        | Command::Logout { .. }
        | Command::Exec { .. }
        | Command::Save { .. }
        | Command::Load { .. }
        | Command::Rename { .. }
        | Command::Commit { .. }
        | Command::Cp { .. }
        | Command::SystemPrune { .. }
        | Command::NetworkCreate { .. }
        | Command::NetworkRm { .. }
        | Command::NetworkConnect { .. }
        | Command::NetworkDisconnect { .. }
        | Command::VolumeCreate { .. }
        | Command::VolumeRm { .. }
        | Command::NetworkPrune { .. }
        | Command::VolumePrune { .. } => LineKind::Step,
    }
}

/// The file helpers a line may use instead of docker (the first word of the line).
pub const HELPERS: [&str; 9] = [
    "cat", "ls", "sed", "echo", "cp", "rm", "sleep", "machine", "uname",
];

/// The kind of a file-helper line (`words` without any `VAR=value` prefix); `None` when the first word is not
/// a helper.
pub fn helper(words: &[String]) -> Option<LineKind> {
    let first = words.first()?.as_str();
    if !HELPERS.contains(&first) {
        return None;
    }
    Some(match first {
        "cat" | "ls" | "uname" => LineKind::Look,
        // `machine --platform X` changes the machine; `machine` alone only prints its platform.
        "machine" if words.len() == 1 => LineKind::Look,
        // `echo hi` only prints; `echo hi > FILE` writes.
        "echo" if !words.iter().any(|w| w == ">" || w == ">>") => LineKind::Look,
        "sed" if !words.iter().any(|w| w.starts_with("-i")) => LineKind::Look,
        _ => LineKind::Step,
    })
}

/// The kind of a line of a script (a scenario's reference solution), by the same rule the REPL applies.
pub fn script_line(command: &str) -> LineKind {
    let Ok(words) = crate::script::words(command) else {
        return LineKind::NotACommand;
    };
    let (env, words) = crate::script::env_prefix(&words);
    if words.first().map(String::as_str) == Some("docker") {
        return match crate::command::parse(words, &env) {
            Ok(invocation) => docker(&invocation.command),
            // `--help` is answered by the parser, with exit code 0: a look.
            Err(e) if e.exit_code() == 0 => LineKind::Look,
            Err(_) => LineKind::NotACommand,
        };
    }
    helper(words).unwrap_or(LineKind::NotACommand)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_do_not_count() {
        for line in [
            "docker images",
            "docker image ls -a",
            "docker ps -a",
            "docker container ls",
            "docker inspect web",
            "docker logs web",
            "docker history alpine",
            "docker version",
            "ls",
            "cat Dockerfile",
            "echo hello",
            "uname -m",
            "machine",
        ] {
            assert_eq!(script_line(line), LineKind::Look, "{line}");
            assert!(!script_line(line).counts(), "{line}");
        }
    }

    #[test]
    fn changes_count() {
        for line in [
            "docker build -t myimage .",
            "machine --platform linux/arm64",
            "docker run -d --name web myimage",
            "docker rm -f web",
            "docker tag alpine mine",
            "docker pull alpine",
            "docker push alice/app",
            "docker login -u alice -p wonderland",
            "docker image prune -f",
            "docker container prune",
            "sed -i 's/a/b/' server.js",
            "echo hi > notes.txt",
            "echo hi >> notes.txt",
            "cp server.js old.js",
            "rm old.js",
            "sleep 5",
        ] {
            assert_eq!(script_line(line), LineKind::Step, "{line}");
        }
    }

    #[test]
    fn typos_and_usage_errors_are_not_commands() {
        for line in [
            "foo",
            "dokcer ps",
            "docker psh",
            "docker rm",
            "docker images a b",
            "docker run 'unclosed",
            "",
        ] {
            assert_eq!(script_line(line), LineKind::NotACommand, "{line:?}");
        }
    }
}
