//! Docker's flag grammar (spf13/pflag as the docker CLI configures it), driven by the real flag tables.
//! The set of flags each command knows is read from its real `--help` text, so an unknown flag is exactly
//! what Docker calls unknown, and a real flag dockdrill does not simulate is still accepted.

use crate::fxhash::FastMap;
use crate::help;
use std::sync::OnceLock;

/// What a flag takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    Uint16,
    /// A size like `512m` (`-m, --memory`).
    Bytes,
    /// A Go duration like `30s`.
    Duration,
    /// A rational number like `1.5` (`--cpus`).
    Decimal,
    Value,
}

/// One flag of one command.
#[derive(Clone, Debug)]
pub struct Flag {
    pub short: Option<char>,
    pub long: String,
    pub kind: Kind,
}

impl Flag {
    /// `-t, --timeout` / `--rm`: how pflag names a flag in errors.
    pub fn display(&self) -> String {
        match self.short {
            Some(s) => format!("-{s}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }
}

/// Flags by command key (`"run"`, `"image prune"`), read once from the help texts (looked up once per
/// command line, so with the fast hash).
fn table() -> &'static FastMap<String, Vec<Flag>> {
    static TABLE: OnceLock<FastMap<String, Vec<Flag>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FastMap::default();
        for key in help::COMMANDS {
            if let Some(text) = help::help(key) {
                map.insert(key.to_string(), flags_from_help(text));
            }
        }
        // `docker build` is buildx's: BuildKit flags the legacy help text does not list.
        for key in ["build", "image build", "buildx build"] {
            if let Some(v) = map.get_mut(key) {
                let extra: &[(Option<char>, &str, Kind)] = &[
                    (None, "progress", Kind::Value),
                    (None, "load", Kind::Bool),
                    (None, "push", Kind::Bool),
                    (Some('o'), "output", Kind::Value),
                    (None, "secret", Kind::Value),
                    (None, "ssh", Kind::Value),
                    (None, "cache-to", Kind::Value),
                    (None, "builder", Kind::Value),
                    (None, "allow", Kind::Value),
                    (None, "call", Kind::Value),
                    (None, "check", Kind::Bool),
                    (None, "metadata-file", Kind::Value),
                    (None, "provenance", Kind::Value),
                    (None, "sbom", Kind::Value),
                    (None, "attest", Kind::Value),
                    (None, "annotation", Kind::Value),
                    (None, "no-cache-filter", Kind::Value),
                    (None, "build-context", Kind::Value),
                    (Some('D'), "debug", Kind::Bool),
                    // Hidden and experimental (docker/cli `image/build.go`, buildx `commands/build.go`).
                    (None, "squash", Kind::Bool),
                ];
                for (short, long, kind) in extra {
                    if !v.iter().any(|f| f.long == *long) {
                        v.push(Flag {
                            short: *short,
                            long: long.to_string(),
                            kind: *kind,
                        });
                    }
                }
            }
        }
        // Hidden or deprecated flags the help does not list but the CLI still accepts (docker/cli
        // `container/opts.go`: `--net` and `--net-alias` are hidden aliases of `--network`, `--network-alias`).
        for key in ["run", "create", "container run", "container create"] {
            if let Some(v) = map.get_mut(key) {
                for long in ["net", "net-alias"] {
                    v.push(Flag {
                        short: None,
                        long: long.into(),
                        kind: Kind::Value,
                    });
                }
            }
        }
        // Hidden or deprecated flags the help does not list but the CLI still accepts.
        for key in ["stop", "restart", "container stop", "container restart"] {
            if let Some(v) = map.get_mut(key) {
                v.push(Flag {
                    short: None,
                    long: "time".into(),
                    kind: Kind::Int,
                });
            }
        }
        map
    })
}

/// Parses the `Options:` block of a help text.
fn flags_from_help(text: &str) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut in_options = false;
    for line in text.lines() {
        if line.starts_with("Options:") {
            in_options = true;
            continue;
        }
        if !in_options {
            continue;
        }
        if !line.starts_with(' ') {
            in_options = false;
            continue;
        }
        let t = line.trim_start();
        if !t.starts_with('-') {
            continue;
        }
        let (short, rest) = match t.strip_prefix('-').and_then(|r| r.chars().next()) {
            Some(c) if c != '-' => (Some(c), t.get(4..).unwrap_or("")),
            _ => (None, t),
        };
        let Some(rest) = rest.strip_prefix("--") else {
            continue;
        };
        let mut parts = rest.splitn(2, "  ");
        let head = parts.next().unwrap_or("");
        let mut words = head.split(' ');
        let long = words.next().unwrap_or("").to_string();
        let kind = match words.next() {
            None | Some("") => Kind::Bool,
            Some("int" | "uint" | "int64" | "uint64") => Kind::Int,
            Some("uint16") => Kind::Uint16,
            Some("bytes") => Kind::Bytes,
            Some("duration") => Kind::Duration,
            Some("decimal") => Kind::Decimal,
            Some(_) => Kind::Value,
        };
        flags.push(Flag { short, long, kind });
    }
    flags
}

/// The flags of a command key.
pub fn flags_of(key: &str) -> &'static [Flag] {
    table().get(key).map(Vec::as_slice).unwrap_or(&[])
}

/// Flag values by long name, in the order given (repeatable flags keep every value).
///
/// A command line sets a handful of flags, so a short vector scanned by name beats a hash map: no table to
/// allocate and no hashing on each of the ~30 lookups a `run` makes.
#[derive(Clone, Debug, Default)]
pub struct Values {
    entries: Vec<(&'static str, Vec<String>)>,
}

impl Values {
    fn values(&self, long: &str) -> Option<&Vec<String>> {
        self.entries
            .iter()
            .find(|(name, _)| *name == long)
            .map(|(_, v)| v)
    }

    /// Adds a value of flag `long` after the ones already given.
    pub fn push(&mut self, long: &'static str, value: String) {
        match self.entries.iter_mut().find(|(name, _)| *name == long) {
            Some((_, v)) => v.push(value),
            None => self.entries.push((long, vec![value])),
        }
    }

    /// Was a bool flag set (and not `=false`)?
    pub fn on(&self, long: &str) -> bool {
        self.values(long)
            .and_then(|v| v.last())
            .is_some_and(|v| v == "true")
    }

    /// The last value of a flag.
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values(long).and_then(|v| v.last()).map(String::as_str)
    }

    /// Every value of a repeatable flag.
    pub fn all(&self, long: &str) -> &[String] {
        self.values(long).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Was the flag given at all?
    pub fn has(&self, long: &str) -> bool {
        self.values(long).is_some()
    }
}

/// Why a typed flag value was refused (pflag's parsers; the words are in `render::usage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueProblem {
    /// `strconv.ParseInt`: digits out of range (`true`) or not a number.
    Int {
        out_of_range: bool,
    },
    Bool,
    Uint {
        out_of_range: bool,
    },
    Size,
    Duration,
    Rational,
    /// `-a, --attach` takes STDIN, STDOUT or STDERR.
    Stream,
    /// `--mount` without `target=` (docker/cli `opts/mount.go`).
    MountTarget,
}

/// A flag error, as data: pflag's parse errors and the value checks the CLI adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlagError {
    /// `--name` the command does not have.
    UnknownFlag { name: String },
    /// `-c` (inside the word `word`) the command does not have.
    UnknownShorthand { c: char, word: String },
    /// `--name` given last, without its value.
    NeedsArgument { name: String },
    /// `-c` given last (inside `word`), without its value.
    NeedsArgumentShort { c: char, word: String },
    /// A value pflag's typed parser refused; `flag` is shown as `-t, --time`.
    InvalidValue {
        value: String,
        flag: String,
        problem: ValueProblem,
    },
    /// `build -t VALUE` that is not a reference.
    InvalidTag {
        value: String,
        error: crate::reference::RefError,
    },
    /// `run -e =x`.
    InvalidEnv { value: String },
    /// `--filter` without `=`.
    BadFilterFormat { value: String },
}

/// The outcome of parsing one command's words.
pub struct Parsed {
    pub values: Values,
    pub args: Vec<String>,
    pub help: bool,
}

/// Parses `words` for command `key`. `interspersed = false` stops at the first positional argument
/// (`run`, `create`: the rest is the container's command).
pub fn parse(key: &str, words: &[String], interspersed: bool) -> Result<Parsed, FlagError> {
    let flags = flags_of(key);
    let by_long = |name: &str| flags.iter().find(|f| f.long == name);
    let by_short = |c: char| flags.iter().find(|f| f.short == Some(c));
    let mut values = Values::default();
    let mut args = Vec::with_capacity(words.len());
    let mut help = false;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w == "--" {
            args.extend(words[i..].iter().cloned());
            break;
        }
        if let Some(body) = w.strip_prefix("--").filter(|b| !b.is_empty()) {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(flag) = by_long(name) else {
                if name == "help" {
                    help = true;
                    continue;
                }
                return Err(FlagError::UnknownFlag {
                    name: name.to_string(),
                });
            };
            let value = match (flag.kind, inline) {
                (Kind::Bool, None) => "true".to_string(),
                (_, Some(v)) => v,
                (_, None) => match words.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => {
                        return Err(FlagError::NeedsArgument {
                            name: name.to_string(),
                        });
                    }
                },
            };
            check(flag, &value)?;
            values.push(flag.long.as_str(), value);
        } else if w.len() > 1 && w.starts_with('-') {
            let shorts: Vec<char> = w.chars().skip(1).collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                j += 1;
                let Some(flag) = by_short(c) else {
                    if c == 'h' {
                        help = true;
                        continue;
                    }
                    return Err(FlagError::UnknownShorthand { c, word: w.clone() });
                };
                let value = if flag.kind == Kind::Bool {
                    if shorts.get(j) == Some(&'=') {
                        let v: String = shorts[j + 1..].iter().collect();
                        j = shorts.len();
                        v
                    } else {
                        "true".to_string()
                    }
                } else if j < shorts.len() {
                    let v: String = shorts[j..].iter().collect();
                    j = shorts.len();
                    v.strip_prefix('=').map(str::to_string).unwrap_or(v)
                } else {
                    match words.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Err(FlagError::NeedsArgumentShort { c, word: w.clone() });
                        }
                    }
                };
                check(flag, &value)?;
                values.push(flag.long.as_str(), value);
            }
        } else {
            args.push(w.clone());
            if !interspersed {
                args.extend(words[i..].iter().cloned());
                break;
            }
        }
    }
    Ok(Parsed { values, args, help })
}

/// Validates a value the way pflag's typed setters do.
fn check(flag: &Flag, value: &str) -> Result<(), FlagError> {
    let all_digits = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit());
    let problem = match flag.kind {
        Kind::Int if value.parse::<i64>().is_err() => ValueProblem::Int {
            out_of_range: all_digits(value.trim_start_matches(['-', '+'])),
        },
        Kind::Bool
            if !matches!(
                value,
                "true"
                    | "false"
                    | "1"
                    | "0"
                    | "t"
                    | "f"
                    | "TRUE"
                    | "FALSE"
                    | "True"
                    | "False"
                    | "T"
                    | "F"
            ) =>
        {
            ValueProblem::Bool
        }
        Kind::Uint16 if value.parse::<u16>().is_err() => ValueProblem::Uint {
            out_of_range: all_digits(value),
        },
        Kind::Bytes if !is_size(value) => ValueProblem::Size,
        Kind::Duration if !is_duration(value) => ValueProblem::Duration,
        Kind::Decimal if value.parse::<f64>().map_or(true, |v| !v.is_finite()) => {
            ValueProblem::Rational
        }
        // `run -a`: docker/cli's `validateAttach`.
        Kind::Value
            if flag.long == "attach"
                && !["stdin", "stdout", "stderr"].contains(&value.to_lowercase().as_str()) =>
        {
            ValueProblem::Stream
        }
        _ => return Ok(()),
    };
    Err(FlagError::InvalidValue {
        value: value.to_string(),
        flag: flag.display(),
        problem,
    })
}

/// go-units `RAMInBytes`: digits (with decimals), an optional space, an optional unit, optional `i`, `b`.
fn is_size(v: &str) -> bool {
    let digits_end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (num, rest) = v.split_at(digits_end);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.parse::<f64>().is_err() {
        return false;
    }
    let rest = rest.strip_prefix(' ').unwrap_or(rest).to_ascii_lowercase();
    let rest = rest
        .strip_prefix(['k', 'm', 'g', 't', 'p'])
        .unwrap_or(&rest);
    let rest = rest.strip_prefix('i').unwrap_or(rest);
    let rest = rest.strip_prefix('b').unwrap_or(rest);
    rest.is_empty()
}

/// Go's `time.ParseDuration` grammar: `[-+]` then one or more `<number><unit>`.
fn is_duration(v: &str) -> bool {
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    if v == "0" {
        return true;
    }
    let mut rest = v;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n == 0 {
            return false;
        }
        rest = &rest[n..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| rest.starts_with(**u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn run_flags_come_from_the_real_help() {
        let f = flags_of("run");
        assert!(f.iter().any(|f| f.long == "rm" && f.kind == Kind::Bool));
        assert!(
            f.iter()
                .any(|f| f.long == "publish" && f.short == Some('p') && f.kind == Kind::Value)
        );
        assert!(f.iter().any(|f| f.long == "volume"));
        assert!(
            flags_of("stop")
                .iter()
                .any(|f| f.long == "timeout" && f.kind == Kind::Int)
        );
    }

    #[test]
    fn combined_shorts_and_values() {
        let p = parse(
            "run",
            &words("-dit --name web -p8080:80 nginx echo -d"),
            false,
        )
        .unwrap();
        assert!(p.values.on("detach") && p.values.on("interactive") && p.values.on("tty"));
        assert_eq!(p.values.get("name"), Some("web"));
        assert_eq!(p.values.get("publish"), Some("8080:80"));
        assert_eq!(p.args, words("nginx echo -d"));
    }

    #[test]
    fn pflag_errors() {
        let e = |k: &str, s: &str| {
            parse(k, &words(s), true)
                .err()
                .map(|e| crate::render::usage::flag_message(&e))
        };
        assert_eq!(e("run", "--foo x"), Some("unknown flag: --foo".into()));
        assert_eq!(
            e("run", "-Z x"),
            Some("unknown shorthand flag: 'Z' in -Z".into())
        );
        assert_eq!(
            e("stop", "--time"),
            Some("flag needs an argument: --time".into())
        );
        assert_eq!(
            e("stop", "-t x c"),
            Some("invalid argument \"x\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"x\": invalid syntax".into())
        );
        assert_eq!(
            e("ps", "-z"),
            Some("unknown shorthand flag: 'z' in -z".into())
        );
    }

    #[test]
    fn typed_values() {
        let e = |s: &str| {
            parse("run", &words(s), false)
                .err()
                .map(|e| crate::render::usage::flag_message(&e))
        };
        assert_eq!(
            e("-m abc busybox"),
            Some("invalid argument \"abc\" for \"-m, --memory\" flag: invalid size: 'abc'".into())
        );
        assert!(e("-m 512m busybox").is_none());
        assert!(e("--stop-timeout 5 busybox").is_none());
        assert!(is_duration("1h30m") && !is_duration("5") && !is_duration("x"));
    }

    #[test]
    fn help_flag_anywhere() {
        assert!(parse("ps", &words("-a --help"), true).unwrap().help);
    }
}
