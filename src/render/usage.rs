//! The CLI's usage errors in cobra's and pflag's words: the message, the command's usage line and the
//! pointer to `--help`, exactly as `docker` frames them.

use crate::command::flags::{FlagError, ValueProblem};
use crate::command::{ArgRule, RunProblem, UsageError};

/// pflag's message for a flag error (one line, no newline).
pub fn flag_message(e: &FlagError) -> String {
    match e {
        FlagError::UnknownFlag { name } => format!("unknown flag: --{name}"),
        FlagError::UnknownShorthand { c, word } => {
            format!("unknown shorthand flag: '{c}' in {word}")
        }
        FlagError::NeedsArgument { name } => format!("flag needs an argument: --{name}"),
        FlagError::NeedsArgumentShort { c, word } => {
            format!("flag needs an argument: '{c}' in {word}")
        }
        FlagError::InvalidValue {
            value,
            flag,
            problem,
        } => {
            let range = |out: bool| {
                if out {
                    "value out of range"
                } else {
                    "invalid syntax"
                }
            };
            let why = match problem {
                ValueProblem::Int { out_of_range } => format!(
                    "strconv.ParseInt: parsing \"{value}\": {}",
                    range(*out_of_range)
                ),
                ValueProblem::Bool => {
                    format!("strconv.ParseBool: parsing \"{value}\": invalid syntax")
                }
                ValueProblem::Uint { out_of_range } => format!(
                    "strconv.ParseUint: parsing \"{value}\": {}",
                    range(*out_of_range)
                ),
                ValueProblem::Size => format!("invalid size: '{value}'"),
                ValueProblem::Duration => format!("time: invalid duration \"{value}\""),
                ValueProblem::Rational => format!("failed to parse {value} as a rational number"),
                ValueProblem::Stream => "valid streams are STDIN, STDOUT and STDERR".to_string(),
                ValueProblem::MountTarget => "target is required".to_string(),
            };
            format!("invalid argument \"{value}\" for \"{flag}\" flag: {why}")
        }
        FlagError::InvalidTag { value, error } => {
            format!("invalid argument \"{value}\" for \"-t, --tag\" flag: {error}")
        }
        FlagError::InvalidEnv { value } => format!(
            "invalid argument \"{value}\" for \"-e, --env\" flag: invalid environment variable: {value}"
        ),
        FlagError::BadFilterFormat { value } => format!(
            "invalid argument \"{value}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
        ),
    }
}

/// The usage line of a command path (`docker images [OPTIONS] [REPOSITORY[:TAG]]`).
fn usage_line(path: &str) -> String {
    crate::help::usage_line(&crate::command::help_key(path))
        .map(str::to_string)
        .unwrap_or_else(|| format!("docker {path}"))
}

/// The whole stderr text of a usage error.
pub fn text(e: &UsageError) -> String {
    match e {
        UsageError::WithLegacyBanner(inner) => {
            format!("{}{}", crate::command::LEGACY_BANNER, text(inner))
        }
        // docker/cli `image/list.go` (`runImages`): a plain error, exit 1.
        UsageError::TreeUnsupported { flag } => {
            format!("{flag} is not yet supported with --tree\n")
        }
        UsageError::Flag { path, error } => {
            let (usage, run) = if path.is_empty() {
                (
                    "docker [OPTIONS] COMMAND [ARG...]".to_string(),
                    "docker".to_string(),
                )
            } else {
                (usage_line(path), format!("docker {path}"))
            };
            format!(
                "{}\n\nUsage:  {usage}\n\nRun '{run} --help' for more information\n",
                flag_message(error)
            )
        }
        UsageError::UnknownCommand { group: None, word } => format!(
            "docker: unknown command: docker {word}\n\nRun 'docker --help' for more information\n"
        ),
        // The buildx plugin's root command prints its help, then its own error (buildx `commands/root.go`).
        UsageError::UnknownCommand {
            group: Some(group),
            word,
        } if group.starts_with("buildx") => format!(
            "{}ERROR: unknown command: {word:?}\n",
            crate::help::help(group).unwrap_or("")
        ),
        UsageError::UnknownCommand {
            group: Some(group),
            word,
        } => format!(
            "docker: unknown command: docker {group} {word}\n\nUsage:  docker {group}\n\nRun 'docker {group} --help' for more information\n"
        ),
        UsageError::ArgCount { path, rule } => {
            let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
            // Cobra's validators, including the real `SRun` typo of `MaximumNArgs`.
            let (what, verb) = match *rule {
                ArgRule::Exact(k) => (format!("requires {k} {}", plural(k)), "Run"),
                ArgRule::Min(k) => (format!("requires at least {k} {}", plural(k)), "See"),
                ArgRule::Max(k) => (format!("requires at most {k} {}", plural(k)), "SRun"),
                ArgRule::None => ("accepts no arguments".to_string(), "Run"),
                ArgRule::Range(a, b) => (
                    format!("requires at least {a} and at most {b} {}", plural(b)),
                    "Run",
                ),
            };
            format!(
                "docker: 'docker {path}' {what}\n\nUsage:  {}\n\n{verb} 'docker {path} --help' for more information\n",
                usage_line(path)
            )
        }
        UsageError::Run { path, problem } => {
            let msg = match problem {
                RunProblem::InvalidPull { value } => format!(
                    "invalid pull option: '{value}': must be one of \"always\", \"missing\" or \"never\""
                ),
                RunProblem::RestartWithRm => {
                    "conflicting options: cannot specify both --restart and --rm".to_string()
                }
            };
            format!("docker: {msg}\n\nRun 'docker {path} --help' for more information\n")
        }
        UsageError::Conflict { a, b } => {
            format!("conflicting options: cannot specify both --{a} and --{b}\n")
        }
    }
}
