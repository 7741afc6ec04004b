//! The docker commands dockdrill knows: one row per command path as typed (`image rm`, `container list`),
//! with what it means, which `--help` text it has and how many arguments it takes. Everything else about
//! the command line (which words are commands, the usage line, cobra's argument errors) is derived from
//! this table and from the help texts in `help.rs`.

use super::ArgRule::{self, Exact, Max, Min, Range};

/// One command path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// As typed, without `docker` (`image rm`).
    pub path: &'static str,
    /// What it does: the top-level command it is a form of (`rmi`), or its own path for the few that have
    /// none (`image prune`, `container inspect`).
    pub meaning: &'static str,
    /// The key of its `--help` text in `help.rs` (an alias prints its canonical command's help).
    pub help: &'static str,
    /// Cobra's positional-argument rule.
    pub args: ArgRule,
}

const fn spec(
    path: &'static str,
    meaning: &'static str,
    help: &'static str,
    args: ArgRule,
) -> Spec {
    Spec {
        path,
        meaning,
        help,
        args,
    }
}

/// Command groups: `docker image …`, `docker container …`, `docker system …`, `docker network …`,
/// `docker volume …`.
pub const GROUPS: &[&str] = &[
    "image",
    "container",
    "system",
    "network",
    "volume",
    "buildx",
    "buildx imagetools",
    "manifest",
];

/// Every command path dockdrill parses.
pub const COMMANDS: &[Spec] = &[
    spec("build", "build", "build", Exact(1)),
    spec("commit", "commit", "commit", Range(1, 2)),
    spec("cp", "cp", "cp", Exact(2)),
    spec("diff", "diff", "diff", Exact(1)),
    spec("info", "info", "info", ArgRule::None),
    spec("search", "search", "search", Exact(1)),
    spec("stats", "stats", "stats", Min(0)),
    spec("create", "create", "create", Min(1)),
    spec("exec", "exec", "exec", Min(2)),
    spec("history", "history", "history", Exact(1)),
    spec("images", "images", "images", Max(1)),
    spec("inspect", "inspect", "inspect", Min(1)),
    spec("kill", "kill", "kill", Min(1)),
    spec("login", "login", "login", Max(1)),
    spec("load", "load", "load", ArgRule::None),
    spec("logout", "logout", "logout", Max(1)),
    spec("logs", "logs", "logs", Exact(1)),
    spec("pause", "pause", "pause", Min(1)),
    spec("port", "port", "port", Range(1, 2)),
    spec("ps", "ps", "ps", ArgRule::None),
    spec("pull", "pull", "pull", Exact(1)),
    spec("push", "push", "push", Exact(1)),
    spec("rename", "rename", "rename", Exact(2)),
    spec("restart", "restart", "restart", Min(1)),
    spec("rm", "rm", "rm", Min(1)),
    spec("rmi", "rmi", "rmi", Min(1)),
    spec("run", "run", "run", Min(1)),
    spec("save", "save", "save", Min(1)),
    spec("start", "start", "start", Min(1)),
    spec("stop", "stop", "stop", Min(1)),
    spec("tag", "tag", "tag", Exact(2)),
    spec("top", "top", "top", Min(1)),
    spec("unpause", "unpause", "unpause", Min(1)),
    spec("version", "version", "version", ArgRule::None),
    spec("wait", "wait", "wait", Min(1)),
    spec("image build", "build", "image build", Exact(1)),
    spec("image history", "history", "image history", Exact(1)),
    spec("image inspect", "image inspect", "image inspect", Min(1)),
    spec("image load", "load", "image load", ArgRule::None),
    spec("image ls", "images", "image ls", Max(1)),
    spec("image list", "images", "image ls", Max(1)),
    spec("image prune", "image prune", "image prune", ArgRule::None),
    spec("image pull", "pull", "image pull", Exact(1)),
    spec("image push", "push", "image push", Exact(1)),
    spec("image rm", "rmi", "image rm", Min(1)),
    spec("image remove", "rmi", "image rm", Min(1)),
    spec("image save", "save", "image save", Min(1)),
    spec("image tag", "tag", "image tag", Exact(2)),
    spec(
        "container commit",
        "commit",
        "container commit",
        Range(1, 2),
    ),
    spec("container cp", "cp", "container cp", Exact(2)),
    spec("container create", "create", "container create", Min(1)),
    spec("container diff", "diff", "container diff", Exact(1)),
    spec("container exec", "exec", "container exec", Min(2)),
    spec(
        "container inspect",
        "container inspect",
        "container inspect",
        Min(1),
    ),
    spec("container kill", "kill", "container kill", Min(1)),
    spec("container logs", "logs", "container logs", Exact(1)),
    spec("container ls", "ps", "container ls", ArgRule::None),
    spec("container list", "ps", "container ls", ArgRule::None),
    spec("container ps", "ps", "container ls", ArgRule::None),
    spec("container pause", "pause", "container pause", Min(1)),
    spec("container port", "port", "container port", Range(1, 2)),
    spec(
        "container prune",
        "container prune",
        "container prune",
        ArgRule::None,
    ),
    spec("container rename", "rename", "container rename", Exact(2)),
    spec("container restart", "restart", "container restart", Min(1)),
    spec("container rm", "rm", "container rm", Min(1)),
    spec("container remove", "rm", "container rm", Min(1)),
    spec("container run", "run", "container run", Min(1)),
    spec("container start", "start", "container start", Min(1)),
    spec("container stats", "stats", "container stats", Min(0)),
    spec("container stop", "stop", "container stop", Min(1)),
    spec("container top", "top", "container top", Min(1)),
    spec("container unpause", "unpause", "container unpause", Min(1)),
    spec("container wait", "wait", "container wait", Min(1)),
    spec("system df", "system df", "system df", ArgRule::None),
    spec("system info", "info", "system info", ArgRule::None),
    spec(
        "system prune",
        "system prune",
        "system prune",
        ArgRule::None,
    ),
    spec(
        "network create",
        "network create",
        "network create",
        Exact(1),
    ),
    spec(
        "network inspect",
        "network inspect",
        "network inspect",
        Min(1),
    ),
    spec("network ls", "network ls", "network ls", ArgRule::None),
    spec("network list", "network ls", "network ls", ArgRule::None),
    spec(
        "network prune",
        "network prune",
        "network prune",
        ArgRule::None,
    ),
    spec("network rm", "network rm", "network rm", Min(1)),
    spec("network remove", "network rm", "network rm", Min(1)),
    spec("volume create", "volume create", "volume create", Max(1)),
    spec("volume inspect", "volume inspect", "volume inspect", Min(1)),
    spec("volume ls", "volume ls", "volume ls", ArgRule::None),
    spec("volume list", "volume ls", "volume ls", ArgRule::None),
    spec(
        "volume prune",
        "volume prune",
        "volume prune",
        ArgRule::None,
    ),
    spec("volume rm", "volume rm", "volume rm", Min(1)),
    spec("volume remove", "volume rm", "volume rm", Min(1)),
    spec(
        "manifest create",
        "manifest create",
        "manifest create",
        Min(2),
    ),
    spec(
        "manifest inspect",
        "manifest inspect",
        "manifest inspect",
        Range(1, 2),
    ),
    spec("manifest push", "manifest push", "manifest push", Exact(1)),
    spec("manifest rm", "manifest rm", "manifest rm", Min(1)),
    spec("buildx build", "build", "buildx build", Exact(1)),
    spec("buildx b", "build", "buildx build", Exact(1)),
    spec("buildx create", "buildx create", "buildx create", Max(1)),
    spec("buildx use", "buildx use", "buildx use", Max(1)),
    spec("buildx ls", "buildx ls", "buildx ls", ArgRule::None),
    spec("buildx rm", "buildx rm", "buildx rm", Min(0)),
    spec("buildx inspect", "buildx inspect", "buildx inspect", Max(1)),
    spec(
        "buildx imagetools inspect",
        "buildx imagetools inspect",
        "buildx imagetools inspect",
        Exact(1),
    ),
    spec(
        "network connect",
        "network connect",
        "network connect",
        Exact(2),
    ),
    spec(
        "network disconnect",
        "network disconnect",
        "network disconnect",
        Exact(2),
    ),
];

/// Real subcommands of the groups (Docker 28.2.2, engine not in swarm mode) that dockdrill does not parse:
/// the same note and non-zero exit as [`NOT_SIMULATED`].
pub const NOT_SIMULATED_SUBCOMMANDS: &[&str] = &[
    "container attach",
    "container export",
    "container update",
    "image import",
    "system events",
    "buildx bake",
    "buildx dial-stdio",
    "buildx du",
    "buildx history",
    "buildx prune",
    "buildx stop",
    "buildx version",
    "buildx imagetools create",
    "manifest annotate",
];

/// Real top-level commands of Docker 28.2.2 (and its usual plugins) that dockdrill does not parse: they get
/// one note and a non-zero exit, never `unknown command` (which would be false about Docker).
pub const NOT_SIMULATED: &[&str] = &[
    "attach",
    "builder",
    "checkpoint",
    "compose",
    "config",
    "context",
    "events",
    "export",
    "import",
    "node",
    "plugin",
    "secret",
    "service",
    "stack",
    "swarm",
    "trust",
    "update",
];

/// The row of a command path, if dockdrill parses it.
pub fn find(path: &str) -> Option<&'static Spec> {
    // Asked once or twice per command line: an index, not a walk of every row.
    static INDEX: std::sync::OnceLock<crate::fxhash::FastMap<&'static str, &'static Spec>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            let mut index = crate::fxhash::FastMap::default();
            for spec in COMMANDS.iter().rev() {
                // The first row of a path wins, as in a walk from the top.
                index.insert(spec.path, spec);
            }
            index
        })
        .get(path)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_help_text_and_flags() {
        // `version`'s help text (and so its flags) is not captured yet.
        for s in COMMANDS.iter().filter(|s| s.path != "version") {
            assert!(
                crate::help::help(s.help).is_some(),
                "no help for {}",
                s.path
            );
            assert!(
                find(s.meaning).is_some() || s.meaning.contains(' '),
                "{} means {}",
                s.path,
                s.meaning
            );
        }
    }

    /// Every subcommand a group's real `--help` lists is either parsed or named as not simulated, so the
    /// long forms (`docker container cp`, `docker image save`) work wherever the short one does.
    #[test]
    fn every_listed_subcommand_is_known() {
        for group in GROUPS {
            let text = crate::help::help(group).unwrap_or_else(|| panic!("{group}"));
            let listed = text
                .split("Commands:\n")
                .nth(1)
                .unwrap_or("")
                .lines()
                .take_while(|l| l.starts_with("  "))
                .filter_map(|l| l.split_whitespace().next());
            for sub in listed {
                let path = format!("{group} {sub}");
                assert!(
                    find(&path).is_some()
                        || NOT_SIMULATED_SUBCOMMANDS.contains(&path.as_str())
                        || GROUPS.contains(&path.as_str()),
                    "{path}"
                );
            }
        }
        for s in COMMANDS.iter().filter(|s| !s.path.contains(' ')) {
            let long = ["container", "image"]
                .iter()
                .map(|g| format!("{g} {}", s.path))
                .find(|p| find(p).is_some());
            // Long forms under another name (`image ls`, `container ls`, `image rm`, `system info`), or
            // none in Docker either.
            let other = [
                "images", "ps", "rmi", "info", "inspect", "login", "logout", "search", "version",
            ];
            assert!(
                long.is_some() || other.contains(&s.path),
                "{} has no long form",
                s.path
            );
        }
    }

    #[test]
    fn paths_are_unique() {
        for (i, s) in COMMANDS.iter().enumerate() {
            assert!(
                COMMANDS[i + 1..].iter().all(|t| t.path != s.path),
                "{}",
                s.path
            );
        }
    }
}
