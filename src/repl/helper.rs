//! rustyline's helper: completion, hints and highlighting for the typed line. It reads a snapshot of names
//! from the session's state ([`Names`], handed over before every prompt and gathered at the first Tab), never
//! the session itself, so the editor and the session stay independent.
//!
//! The completion logic is a pure function ([`complete`]) so it is tested without a terminal.

use crate::command::flags::{self, Kind as FlagKind};
use crate::help;
#[cfg(not(target_arch = "wasm32"))]
use crate::repl::line_source::LazyNames;
use crate::repl::line_source::Names;
use crate::repl::style::{Palette, WordRole};
// The editor's side needs rustyline, which has no browser build; `complete` and the rest serve the web page too.
#[cfg(not(target_arch = "wasm32"))]
use rustyline::completion::{Completer, Pair};
#[cfg(not(target_arch = "wasm32"))]
use rustyline::highlight::{CmdKind, Highlighter};
#[cfg(not(target_arch = "wasm32"))]
use rustyline::hint::{Hint, Hinter, HistoryHinter};
#[cfg(not(target_arch = "wasm32"))]
use rustyline::validate::Validator;
#[cfg(not(target_arch = "wasm32"))]
use rustyline::{Context, Helper};
#[cfg(not(target_arch = "wasm32"))]
use std::borrow::Cow;

/// The simulator's own commands, as typed at the start of a line (completion, highlighting and the
/// session's "did you mean" all read this one list).
pub const SIMULATOR_COMMANDS: &[&str] = &[
    "help",
    "state",
    "explain",
    "undo",
    "redo",
    "reset",
    "leave",
    "machine",
    "machines",
    "wait",
    "animation",
    "exit",
    "quit",
    "docker",
    "scenarios",
    "quizzes",
    "play",
    "goal",
    "hint",
    "solution",
    "quiz",
    "answer",
    "question",
    "next",
    "skip",
    "quit-quiz",
];

/// The file helpers `script::shell` runs.
pub const FILE_HELPERS: [&str; 7] = ["cat", "ls", "sed", "echo", "cp", "rm", "sleep"];

/// The editor's helper.
#[cfg(not(target_arch = "wasm32"))]
pub struct DrillHelper {
    /// Names from the current state, gathered when a Tab first asks for them.
    pub names: LazyNames,
    palette: Palette,
    history: HistoryHinter,
    /// An answer to a command's question is being typed: no completion, hints or command colours.
    pub answering: bool,
    /// A password is being typed: every character is shown as `*`.
    pub masking: bool,
}

#[cfg(not(target_arch = "wasm32"))]
impl DrillHelper {
    /// A helper painting with `palette`.
    pub fn new(palette: Palette) -> DrillHelper {
        DrillHelper {
            names: LazyNames::default(),
            palette,
            history: HistoryHinter::new(),
            answering: false,
            masking: false,
        }
    }
}

/// The words of a line before the cursor, without a `HOST$ ` prefix, and the word being typed.
struct Typed<'a> {
    done: Vec<&'a str>,
    current: &'a str,
    start: usize,
}

fn typed(line: &str, pos: usize) -> Typed<'_> {
    let head = line.get(..pos).unwrap_or(line);
    let start = head.rfind(char::is_whitespace).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    let mut done: Vec<&str> = head[..start].split_whitespace().collect();
    if done
        .first()
        .is_some_and(|w| w.len() > 1 && w.ends_with('$'))
    {
        done.remove(0);
    }
    Typed {
        done,
        current: &head[start..],
        start,
    }
}

/// Top-level docker subcommands (`run`, `image`, …), or those under a group (`image` → `ls`, `prune`, …).
fn subcommands(group: Option<&str>) -> Vec<String> {
    let mut v: Vec<String> = help::COMMANDS
        .iter()
        .filter_map(|key| {
            let mut words = key.split(' ');
            let first = words.next()?;
            match (group, words.next()) {
                (None, None) if first != "docker" => Some(first.to_string()),
                (Some(g), Some(second)) if g == first => Some(second.to_string()),
                _ => None,
            }
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The docker command key of a typed line (`run`, `image prune`) and how many words it took after `docker`.
fn command_key(done: &[&str]) -> Option<(String, usize)> {
    let sub = *done.get(1)?;
    if matches!(sub, "image" | "container")
        && let Some(second) = done.get(2)
    {
        return Some((format!("{sub} {second}"), 2));
    }
    Some((sub.to_string(), 1))
}

/// What a docker command's arguments name.
fn argument_names<'a>(key: &str, names: &'a Names) -> Vec<&'a String> {
    let last = key.rsplit(' ').next().unwrap_or(key);
    let group = key.split(' ').next().unwrap_or(key);
    match last {
        "run" | "create" | "pull" | "push" | "rmi" | "tag" | "history" | "save" => {
            names.images.iter().collect()
        }
        "rm" if group == "image" => names.images.iter().collect(),
        "inspect" if group == "image" => names.images.iter().collect(),
        "inspect" => names.containers.iter().chain(&names.images).collect(),
        "start" | "stop" | "restart" | "kill" | "pause" | "unpause" | "rm" | "logs" | "port"
        | "top" | "wait" | "rename" | "exec" | "commit" => names.containers.iter().collect(),
        "login" | "logout" => names.registries.iter().collect(),
        "build" => names.files.iter().collect(),
        _ => Vec::new(),
    }
}

/// Completion candidates for `line` with the cursor at `pos`: where the replaced word starts, and the words.
pub fn complete(names: &Names, line: &str, pos: usize) -> (usize, Vec<String>) {
    let t = typed(line, pos);
    let cur = t.current;
    let pick = |items: Vec<String>| -> Vec<String> {
        let mut v: Vec<String> = items.into_iter().filter(|i| i.starts_with(cur)).collect();
        v.sort();
        v.dedup();
        v
    };
    let owned = |v: &[String]| v.to_vec();
    let Some(first) = t.done.first().copied() else {
        let words = SIMULATOR_COMMANDS.iter().chain(&FILE_HELPERS);
        return (t.start, pick(words.map(ToString::to_string).collect()));
    };
    let candidates = match first {
        "machine" if t.done.len() == 1 => owned(&names.machines),
        "animation" if t.done.len() == 1 => vec!["off".into(), "on".into()],
        "play" if t.done.len() == 1 => owned(&names.scenarios),
        "quiz" if t.done.len() == 1 => owned(&names.quizzes),
        "solution" if t.done.len() == 1 => vec!["show".into()],
        "cat" | "sed" | "cp" | "rm" | "ls" => owned(&names.files),
        "docker" => docker_candidates(names, &t.done, cur),
        _ => Vec::new(),
    };
    (t.start, pick(candidates))
}

fn docker_candidates(names: &Names, done: &[&str], cur: &str) -> Vec<String> {
    if done.len() == 1 {
        return subcommands(None);
    }
    if done.len() == 2 && matches!(done[1], "image" | "container") {
        return subcommands(Some(done[1]));
    }
    let Some((key, used)) = command_key(done) else {
        return Vec::new();
    };
    let known = flags::flags_of(&key);
    if cur.starts_with('-') {
        return known
            .iter()
            .flat_map(|f| {
                let long = Some(format!("--{}", f.long));
                let short = f.short.map(|s| format!("-{s}"));
                long.into_iter().chain(short)
            })
            .collect();
    }
    // The value of a flag: a few are worth completing.
    if let Some(prev) = done
        .last()
        .filter(|p| p.starts_with('-') && !p.contains('='))
    {
        let flag = known.iter().find(|f| {
            prev.strip_prefix("--") == Some(f.long.as_str())
                || (prev.len() == 2 && f.short.is_some_and(|s| prev.ends_with(s)))
        });
        if let Some(f) = flag.filter(|f| f.kind != FlagKind::Bool) {
            return match f.long.as_str() {
                "pull" => vec!["always".into(), "missing".into(), "never".into()],
                "file" => names.files.clone(),
                _ => Vec::new(),
            };
        }
    }
    // `run IMAGE COMMAND…`: only the first positional argument is an image.
    let positional = positional_count(&done[1 + used..], known);
    let last = key.rsplit(' ').next().unwrap_or(&key);
    if matches!(
        last,
        "run" | "create" | "build" | "pull" | "push" | "logs" | "history"
    ) && positional > 0
    {
        return Vec::new();
    }
    let mut v: Vec<String> = argument_names(&key, names).into_iter().cloned().collect();
    if last == "build" {
        v.push(".".into());
    }
    v
}

/// Positional arguments among `words` (flags and the values they take do not count).
fn positional_count(words: &[&str], known: &[flags::Flag]) -> usize {
    let mut n = 0;
    let mut skip = false;
    for w in words {
        if skip {
            skip = false;
            continue;
        }
        if let Some(long) = w.strip_prefix("--") {
            skip = !long.contains('=')
                && known
                    .iter()
                    .any(|f| f.long == long && f.kind != FlagKind::Bool);
        } else if let Some(shorts) = w.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-it`, `-p 8080:80`: a value-taking short flag at the end takes the next word.
            skip = shorts.chars().last().is_some_and(|c| {
                known
                    .iter()
                    .any(|f| f.short == Some(c) && f.kind != FlagKind::Bool)
            }) && shorts.chars().count() == 1;
        } else {
            n += 1;
        }
    }
    n
}

/// A hint: a command's usage (shown, never inserted) or the rest of a line from history.
pub enum DrillHint {
    Usage(String),
    History(String),
}

#[cfg(not(target_arch = "wasm32"))]
impl Hint for DrillHint {
    fn display(&self) -> &str {
        match self {
            DrillHint::Usage(s) | DrillHint::History(s) => s,
        }
    }

    fn completion(&self) -> Option<&str> {
        match self {
            DrillHint::Usage(_) => None,
            DrillHint::History(s) => Some(s),
        }
    }
}

/// The usage of the command typed so far, when the cursor stands right after it (`docker run` →
/// ` [OPTIONS] IMAGE [COMMAND] [ARG...]`).
pub fn usage_hint(line: &str, pos: usize) -> Option<String> {
    if pos != line.len() {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let space = if line.ends_with(' ') { "" } else { " " };
    let rest = match words.as_slice() {
        ["machine"] => "[NAME]".to_string(),
        ["wait"] => "N (seconds, or 30s, 5m, 2h)".to_string(),
        ["animation"] => "on|off".to_string(),
        ["docker", sub @ ..] if !sub.is_empty() && sub.len() <= 2 => {
            let key = sub.join(" ");
            let usage =
                help::usage_line(&key).filter(|_| help::COMMANDS.contains(&key.as_str()))?;
            let prefix = format!("docker {key}");
            usage
                .strip_prefix(prefix.as_str())?
                .trim_start()
                .to_string()
        }
        _ => return None,
    };
    (!rest.is_empty()).then(|| format!("{space}{rest}"))
}

#[cfg(not(target_arch = "wasm32"))]
impl Completer for DrillHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if self.answering {
            return Ok((pos, Vec::new()));
        }
        let (start, words) = complete(self.names.get(), line, pos);
        let single = words.len() == 1;
        let pairs = words
            .into_iter()
            .map(|w| Pair {
                replacement: if single { format!("{w} ") } else { w.clone() },
                display: w,
            })
            .collect();
        Ok((start, pairs))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Hinter for DrillHelper {
    type Hint = DrillHint;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<DrillHint> {
        if self.answering {
            return None;
        }
        if let Some(u) = usage_hint(line, pos) {
            return Some(DrillHint::Usage(u));
        }
        self.history.hint(line, pos, ctx).map(DrillHint::History)
    }
}

/// How a word of the typed line is painted.
fn role(index: usize, word: &str, first: &str) -> WordRole {
    if word.starts_with('-') && index > 0 {
        return WordRole::Flag;
    }
    match index {
        0 if word == "docker" => WordRole::Docker,
        0 if SIMULATOR_COMMANDS.contains(&word) || FILE_HELPERS.contains(&word) => {
            WordRole::Simulator
        }
        0 if word
            .strip_prefix(':')
            .is_some_and(|w| SIMULATOR_COMMANDS.contains(&w)) =>
        {
            WordRole::Simulator
        }
        0 if word.contains('=') => WordRole::Plain,
        0 => WordRole::Unknown,
        1 if first == "docker" => {
            if subcommands(None).iter().any(|s| s == word) {
                WordRole::Docker
            } else {
                WordRole::Unknown
            }
        }
        _ => WordRole::Plain,
    }
}

/// Paints a typed line word by word, keeping every space (the painted line must be as wide as the typed one).
pub fn highlight_line(palette: Palette, line: &str) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let mut index = 0;
    let mut first = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        if rest.is_empty() {
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        // A `HOST$ ` prefix or `VAR=value` words before the command do not count as the command word.
        let is_prefix = index == 0 && (word.ends_with('$') || word.contains('='));
        if is_prefix {
            out.push_str(&palette.word(word, WordRole::Plain));
        } else {
            if index == 0 {
                first = word.to_string();
            }
            out.push_str(&palette.word(word, role(index, word, &first)));
            index += 1;
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(not(target_arch = "wasm32"))]
impl Highlighter for DrillHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.masking {
            return Cow::Owned("*".repeat(line.chars().count()));
        }
        if self.answering {
            return Cow::Borrowed(line);
        }
        if self.palette.enabled() {
            Cow::Owned(highlight_line(self.palette, line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if self.answering {
            return Cow::Borrowed(prompt);
        }
        Cow::Owned(self.palette.prompt(prompt))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(self.palette.hint(hint))
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.masking || self.palette.enabled()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Validator for DrillHelper {}

#[cfg(not(target_arch = "wasm32"))]
impl Helper for DrillHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            images: vec!["myimage".into(), "myimage:latest".into(), "node:22".into()],
            containers: vec!["77bcb3958fd3".into(), "web".into(), "worker".into()],
            machines: vec!["default".into(), "laptop".into()],
            registries: vec!["docker.io".into()],
            files: vec!["Dockerfile".into(), "server.js".into()],
            scenarios: vec!["first-image".into(), "two-machines".into()],
            quizzes: vec!["sharing-images".into()],
        }
    }

    fn c(line: &str) -> (usize, Vec<String>) {
        complete(&names(), line, line.len())
    }

    #[test]
    fn first_words() {
        assert_eq!(c("st").1, vec!["state".to_string()]);
        assert_eq!(c("do").1, vec!["docker".to_string()]);
        assert_eq!(c("laptop$ do"), (8, vec!["docker".to_string()]));
    }

    #[test]
    fn lessons_complete_their_names() {
        assert_eq!(c("pl").1, vec!["play".to_string()]);
        assert_eq!(c("play t"), (5, vec!["two-machines".to_string()]));
        assert_eq!(c("quiz ").1, vec!["sharing-images".to_string()]);
        assert_eq!(c("solution s").1, vec!["show".to_string()]);
        assert_eq!(
            c("qu").1,
            vec!["question", "quit", "quit-quiz", "quiz", "quizzes"]
        );
    }

    #[test]
    fn docker_subcommands_and_groups() {
        assert_eq!(
            c("docker pu").1,
            vec!["pull".to_string(), "push".to_string()]
        );
        assert!(c("docker image p").1.contains(&"prune".to_string()));
        assert_eq!(
            c("docker bui"),
            (7, vec!["build".to_string(), "buildx".to_string()])
        );
    }

    #[test]
    fn flags_come_from_the_flag_tables() {
        let (_, v) = c("docker run --r");
        assert!(
            v.contains(&"--rm".to_string()) && v.contains(&"--restart".to_string()),
            "{v:?}"
        );
        assert_eq!(c("docker run --pull m").1, vec!["missing".to_string()]);
        assert_eq!(c("docker build -f D").1, vec!["Dockerfile".to_string()]);
    }

    #[test]
    fn names_from_the_state() {
        assert_eq!(
            c("docker stop w").1,
            vec!["web".to_string(), "worker".to_string()]
        );
        assert_eq!(c("docker rm -f we").1, vec!["web".to_string()]);
        assert_eq!(
            c("docker run -d --name x my").1,
            vec!["myimage".to_string(), "myimage:latest".to_string()]
        );
        assert!(
            c("docker run myimage ").1.is_empty(),
            "the command after the image is not an image"
        );
        assert_eq!(c("docker login d").1, vec!["docker.io".to_string()]);
        assert_eq!(c("machine l").1, vec!["laptop".to_string()]);
        assert_eq!(c("cat s").1, vec!["server.js".to_string()]);
        assert_eq!(
            c("docker build ").1,
            vec![
                ".".to_string(),
                "Dockerfile".to_string(),
                "server.js".to_string()
            ]
        );
    }

    #[test]
    fn usage_hints() {
        assert_eq!(
            usage_hint("docker run", 10).as_deref(),
            Some(" [OPTIONS] IMAGE [COMMAND] [ARG...]")
        );
        assert_eq!(
            usage_hint("docker image prune ", 19).as_deref(),
            Some("[OPTIONS]")
        );
        assert_eq!(usage_hint("docker frob", 11), None);
        assert_eq!(
            usage_hint("wait", 4).as_deref(),
            Some(" N (seconds, or 30s, 5m, 2h)")
        );
    }

    #[test]
    fn highlighting_keeps_the_text() {
        let line = "  laptop$ docker  run --rm   alpine";
        assert_eq!(highlight_line(Palette::plain(), line), line);
        assert_eq!(role(0, "frob", "frob"), WordRole::Unknown);
        assert_eq!(role(1, "run", "docker"), WordRole::Docker);
        assert_eq!(role(1, "runn", "docker"), WordRole::Unknown);
        assert_eq!(role(2, "--rm", "docker"), WordRole::Flag);
        assert_eq!(role(0, ":state", ":state"), WordRole::Simulator);
    }
}
