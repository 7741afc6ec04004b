//! A Dockerfile parser that reproduces Docker 28.2.2's behaviour and error texts.
//!
//! Docker 28.2.2 (legacy builder *and* BuildKit) parses Dockerfiles with the code vendored from
//! `moby/buildkit` v0.22.0: `frontend/dockerfile/parser` turns lines into an AST (joining
//! continuations, reading directives, splitting JSON/shell forms) and
//! `frontend/dockerfile/instructions` turns AST nodes into typed instructions. We keep the same
//! two phases because they decide which error a learner sees first: *any* AST-level error in the
//! file (e.g. a bad JSON array on line 9) wins over an instruction-level error on line 2, and
//! only instruction-level errors get the `dockerfile parse error on line N:` prefix.
//!
//! Values are kept *raw*, as Docker's parser keeps them: quotes, escapes and `$VAR`s inside
//! ENV/LABEL/ARG/COPY/… arguments are resolved only when the instruction runs, with [`expand`]
//! (or [`try_expand`]) and the variables known at that point. Heredocs (`RUN <<EOF`) are not
//! supported.

use std::fmt;

/// Instruction keywords known to Docker 28 (`frontend/dockerfile/command`), lower case and
/// sorted so that the "did you mean" suggestion is deterministic (Go iterates a map, so ties
/// are random there).
const INSTRUCTION_NAMES: [&str; 18] = [
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// bufio.Scanner's default token limit, which Docker never raises for Dockerfiles.
const MAX_LINE: usize = 64 * 1024;

/// Go's encoding/json refuses deeper nesting; such "JSON" then counts as shell form.
const MAX_JSON_DEPTH: usize = 10_000;

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    /// The escape token in force (`\` or the `# escape=` directive's backtick); needed by
    /// [`try_expand`] when instructions are executed.
    pub escape: char,
}

/// One instruction of the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based line where the instruction starts.
    pub line: usize,
    /// The instruction text with continuations joined and surrounding space trimmed, exactly as
    /// the legacy builder prints it in `Step N/M : …` (e.g. `COPY . .`).
    pub original: String,
    /// Raw `--flag[=value]` words, kept so a simulator can e.g. refuse `RUN --mount` in the
    /// legacy builder ("the --mount option requires BuildKit…").
    pub flags: Vec<String>,
    pub kind: InstructionKind,
}

/// Exec form (valid JSON array of strings) or shell form (anything else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandForm {
    Exec(Vec<String>),
    /// Shell form; an instruction with no argument at all (`RUN` alone, which Docker 28
    /// accepts) is `Shell("")`.
    Shell(String),
}

/// The typed instruction. Strings are raw (unexpanded) words as Docker's parser keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstructionKind {
    From {
        image: String,
        /// Stage name, lower-cased as Docker does.
        alias: Option<String>,
        platform: Option<String>,
    },
    Run(CommandForm),
    Cmd(CommandForm),
    Entrypoint(CommandForm),
    Copy {
        sources: Vec<String>,
        dest: String,
        from: Option<String>,
        chown: Option<String>,
        chmod: Option<String>,
        link: bool,
    },
    Add {
        sources: Vec<String>,
        dest: String,
        chown: Option<String>,
        chmod: Option<String>,
        link: bool,
    },
    Workdir(String),
    Env(Vec<(String, String)>),
    Label(Vec<(String, String)>),
    /// Ports as written, sorted lexically (Docker sorts them at parse time).
    Expose(Vec<String>),
    /// `ARG a b=1` declares several arguments at once: (name, default).
    Arg(Vec<(String, Option<String>)>),
    User(String),
    Volume(Vec<String>),
    Shell(Vec<String>),
    StopSignal(String),
    Maintainer(String),
    /// `test` as stored in the image config: `["NONE"]`, `["CMD", …]` or `["CMD-SHELL", cmd]`;
    /// `options` are the raw `--interval`/`--timeout`/… values (not validated here).
    Healthcheck {
        test: Vec<String>,
        options: Vec<(String, String)>,
    },
    /// The trigger text (`ONBUILD` keyword removed), run when a child image builds FROM this one.
    Onbuild(String),
}

impl InstructionKind {
    /// Upper-case keyword, as used in history and messages.
    pub fn name(&self) -> &'static str {
        match self {
            InstructionKind::From { .. } => "FROM",
            InstructionKind::Run(_) => "RUN",
            InstructionKind::Cmd(_) => "CMD",
            InstructionKind::Entrypoint(_) => "ENTRYPOINT",
            InstructionKind::Copy { .. } => "COPY",
            InstructionKind::Add { .. } => "ADD",
            InstructionKind::Workdir(_) => "WORKDIR",
            InstructionKind::Env(_) => "ENV",
            InstructionKind::Label(_) => "LABEL",
            InstructionKind::Expose(_) => "EXPOSE",
            InstructionKind::Arg(_) => "ARG",
            InstructionKind::User(_) => "USER",
            InstructionKind::Volume(_) => "VOLUME",
            InstructionKind::Shell(_) => "SHELL",
            InstructionKind::StopSignal(_) => "STOPSIGNAL",
            InstructionKind::Maintainer(_) => "MAINTAINER",
            InstructionKind::Healthcheck { .. } => "HEALTHCHECK",
            InstructionKind::Onbuild(_) => "ONBUILD",
        }
    }
}

impl CommandForm {
    /// The argv Docker runs: exec form as is; shell form appended to `shell` (the SHELL
    /// instruction's value), or to `/bin/sh -c` when `shell` is empty.
    pub fn to_argv(&self, shell: &[String]) -> Vec<String> {
        match self {
            CommandForm::Exec(v) => v.clone(),
            CommandForm::Shell(cmd) => {
                let mut argv: Vec<String> = if shell.is_empty() {
                    default_shell()
                } else {
                    shell.to_vec()
                };
                argv.push(cmd.clone());
                argv
            }
        }
    }
}

/// Linux default for shell-form commands.
pub fn default_shell() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

/// A parse failure with the 1-based line it refers to (0 when it has none, e.g. empty file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerfileError {
    pub line: usize,
    pub kind: DockerfileErrorKind,
}

/// Every way Docker 28 refuses a Dockerfile at parse time.
///
/// Variants up to `LineTooLong` come from the AST parser (`parser.Parse`); the rest from the
/// instruction parser (`instructions.Parse`) and the builders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerfileErrorKind {
    /// Zero-byte file (checked before parsing by both builders).
    Empty,
    /// Only blank lines, comments and directives: "file with no instructions".
    NoInstructions,
    /// `# escape=x` with something other than backslash or backtick.
    InvalidEscapeToken(String),
    /// The same directive twice, e.g. "only one escape parser directive can be used".
    DuplicateDirective(String),
    /// A valid JSON array that holds something other than strings.
    JsonNotStrings,
    /// Legacy `ENV key value` form without a value: "ENV must have two arguments".
    MustHaveTwoArguments(String),
    /// `ENV a=1 b`: a later word lacks `=`.
    MissingEquals {
        instruction: String,
        word: String,
    },
    /// A physical line longer than Go's bufio.Scanner allows.
    LineTooLong,
    /// Unknown keyword, as written (suggestion computed in the message).
    UnknownInstruction(String),
    /// "%s requires at least one argument" (ENV, LABEL, ARG, EXPOSE, VOLUME, ONBUILD,
    /// HEALTHCHECK, SHELL). Note that RUN/CMD/ENTRYPOINT with no argument are *accepted*.
    MissingArguments(String),
    /// "%s requires exactly one argument" (WORKDIR, USER, STOPSIGNAL, MAINTAINER).
    ExactlyOneArgument(String),
    /// COPY/ADD with fewer than two arguments.
    NoDestination(String),
    /// FROM with other than one or three arguments.
    FromArguments,
    /// `FROM x AS 1bad` (the name as written).
    InvalidStageName(String),
    /// `ENV =x`, `ARG =x`.
    BlankNames(String),
    /// SHELL not in JSON form.
    NotJson(String),
    OnbuildChaining,
    /// FROM/MAINTAINER used as ONBUILD trigger (upper-cased).
    OnbuildTrigger(String),
    HealthcheckNoneArguments,
    HealthcheckMissingCommand,
    /// Upper-cased type, e.g. `HEALTHCHECK FOO`.
    HealthcheckUnknownType(String),
    VolumeEmptyString,
    /// `--name` as written plus the closest known flag of that instruction.
    UnknownFlag {
        flag: String,
        suggestion: Option<String>,
    },
    DuplicateFlag(String),
    MissingFlagValue(String),
    BadBoolFlag {
        flag: String,
        value: String,
    },
    /// A non-ARG instruction before the first FROM.
    NoBuildStage,
    /// Only ARG instructions, no FROM at all.
    NoStages,
}

impl DockerfileErrorKind {
    /// True for errors raised while converting AST nodes to instructions: those are wrapped as
    /// `dockerfile parse error on line N: …` (buildkit instructions/parse.go `parseError`).
    fn is_instruction_error(&self) -> bool {
        use DockerfileErrorKind::*;
        !matches!(
            self,
            Empty
                | NoInstructions
                | InvalidEscapeToken(_)
                | DuplicateDirective(_)
                | JsonNotStrings
                | MustHaveTwoArguments(_)
                | MissingEquals { .. }
                | LineTooLong
                | NoBuildStage
                | NoStages
        )
    }

    /// The bare Go error text, without location prefixes.
    pub fn text(&self) -> String {
        use DockerfileErrorKind::*;
        match self {
            Empty => "the Dockerfile cannot be empty".to_string(),
            NoInstructions => "file with no instructions".to_string(),
            InvalidEscapeToken(t) => format!("invalid escape token '{t}' does not match ` or \\"),
            DuplicateDirective(d) => format!("only one {d} parser directive can be used"),
            JsonNotStrings => {
                "when using JSON array syntax, arrays must be comprised of strings only".to_string()
            }
            MustHaveTwoArguments(k) => format!("{k} must have two arguments"),
            MissingEquals { word, .. } => format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(word)
            ),
            LineTooLong => format!(
                "dockerfile line greater than max allowed size of {}",
                MAX_LINE - 1
            ),
            UnknownInstruction(name) => {
                let mut s = format!("unknown instruction: {name}");
                if let Some(m) = suggest_instruction(name) {
                    s.push_str(&format!(" (did you mean {m}?)"));
                }
                s
            }
            MissingArguments(i) => format!("{i} requires at least one argument"),
            ExactlyOneArgument(i) => format!("{i} requires exactly one argument"),
            NoDestination(i) => format!(
                "{i} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
            FromArguments => "FROM requires either one or three arguments".to_string(),
            InvalidStageName(n) => format!(
                "invalid name for build stage: {}, name can't start with a number or contain symbols",
                go_quote(n)
            ),
            BlankNames(i) => format!("{i} names can not be blank"),
            NotJson(i) => format!("{i} requires the arguments to be in JSON form"),
            OnbuildChaining => "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
            OnbuildTrigger(t) => format!("{t} isn't allowed as an ONBUILD trigger"),
            HealthcheckNoneArguments => "HEALTHCHECK NONE takes no arguments".to_string(),
            HealthcheckMissingCommand => "Missing command after HEALTHCHECK CMD".to_string(),
            HealthcheckUnknownType(t) => {
                format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(t))
            }
            VolumeEmptyString => "VOLUME specified can not be an empty string".to_string(),
            UnknownFlag { flag, suggestion } => match suggestion {
                Some(m) => format!("unknown flag: {flag} (did you mean {m}?)"),
                None => format!("unknown flag: {flag}"),
            },
            DuplicateFlag(f) => format!("duplicate flag specified: {f}"),
            MissingFlagValue(f) => format!("missing a value on flag: {f}"),
            BadBoolFlag { flag, value } => {
                format!("expecting boolean value for flag {flag}, not: {value}")
            }
            NoBuildStage => "no build stage in current context".to_string(),
            NoStages => "dockerfile contains no stages to build".to_string(),
        }
    }
}

impl DockerfileError {
    /// Text after `Error response from daemon: ` for the legacy builder (DOCKER_BUILDKIT=0) of
    /// Docker Engine 28.2.2, assuming the default file name `Dockerfile`.
    pub fn legacy_message(&self) -> String {
        self.legacy_message_for("Dockerfile")
    }

    /// Like [`Self::legacy_message`] for a file given with `-f` (the daemon names it).
    ///
    /// Sources (moby/moby v28.2.2): `builder/remotecontext/detect.go` `readAndParseDockerfile`
    /// ("the Dockerfile (%s) cannot be empty", "failed to parse %s: %w" around AST errors);
    /// `builder/dockerfile/builder.go` `build` (instruction errors returned as is, and
    /// "No image was generated. Is your Dockerfile empty?" when there is no stage — that one is
    /// raised after the ARG steps were streamed, so the CLI prints it *without* the
    /// `Error response from daemon: ` prefix). Daemon 20.10 (the transcript oracle) printed the
    /// older `dockerfile parse error line 2: unknown instruction: FOO` instead.
    pub fn legacy_message_for(&self, dockerfile_name: &str) -> String {
        match &self.kind {
            DockerfileErrorKind::Empty => {
                format!("the Dockerfile ({dockerfile_name}) cannot be empty")
            }
            DockerfileErrorKind::NoStages => {
                "No image was generated. Is your Dockerfile empty?".to_string()
            }
            DockerfileErrorKind::NoBuildStage => self.kind.text(),
            k if k.is_instruction_error() => self.prefixed(),
            k => format!("failed to parse {dockerfile_name}: {}", k.text()),
        }
    }

    /// Text after `ERROR: failed to solve: ` for BuildKit (buildx, daemon 28.2.2 built-in
    /// Dockerfile frontend = buildkit v0.22.0).
    ///
    /// Sources: `frontend/dockerfile/dockerfile2llb/convert.go` `toDispatchState` ("the
    /// Dockerfile cannot be empty", "dockerfile contains no stages to build", AST errors
    /// unwrapped); `frontend/dockerfile/instructions/parse.go` (`parseError`: "dockerfile parse
    /// error on line %d: %v", `UnknownInstructionError`, `errAtLeastOneArgument`…, with
    /// `util/suggest` adding " (did you mean X?)"); `instructions/bflag.go` for flag errors;
    /// `instructions/commands.go` `CurrentStage` ("no build stage in current context").
    pub fn buildkit_message(&self) -> String {
        if self.kind.is_instruction_error() {
            self.prefixed()
        } else {
            self.kind.text()
        }
    }

    fn prefixed(&self) -> String {
        format!(
            "dockerfile parse error on line {}: {}",
            self.line,
            self.kind.text()
        )
    }
}

impl fmt::Display for DockerfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.buildkit_message())
    }
}

impl std::error::Error for DockerfileError {}

fn err(line: usize, kind: DockerfileErrorKind) -> DockerfileError {
    DockerfileError { line, kind }
}

// ---------------------------------------------------------------------------------------------
// Phase 1: lines -> AST nodes (buildkit frontend/dockerfile/parser)
// ---------------------------------------------------------------------------------------------

/// One AST node: an instruction line before typing.
struct Node {
    line: usize,
    /// The joined line, untrimmed (Go `Node.Original`).
    original: String,
    cmd: String,
    flags: Vec<String>,
    /// Arguments after the line parser (ENV/LABEL: key, value, separator triples).
    args: Vec<String>,
    /// The arguments came from a JSON array.
    json: bool,
}

/// Parser-directive state: directives are only recognised before anything else.
struct Directives {
    done: bool,
    seen: Vec<String>,
    escape: char,
}

impl Directives {
    /// Mirrors `DirectiveParser.ParseLine` + `setEscapeToken`: `#\s*name\s*=\s*value\s*`.
    fn check(&mut self, line: &str, line_no: usize) -> Result<bool, DockerfileError> {
        if self.done {
            return Ok(false);
        }
        let Some((name, value)) = parse_directive(line) else {
            self.done = true;
            return Ok(false);
        };
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(false);
        }
        if self.seen.contains(&name) {
            return Err(err(line_no, DockerfileErrorKind::DuplicateDirective(name)));
        }
        self.seen.push(name.clone());
        if name == "escape" {
            match value {
                "`" => self.escape = '`',
                "\\" => self.escape = '\\',
                _ => {
                    return Err(err(
                        line_no,
                        DockerfileErrorKind::InvalidEscapeToken(value.to_string()),
                    ));
                }
            }
        }
        Ok(true)
    }
}

/// Go RE2 `\s`: ASCII space, \t, \n, \f, \r (not \v).
fn is_re_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r')
}

fn parse_directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start_matches(is_re_space);
    let name_len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let (name, rest) = rest.split_at(name_len);
    let rest = rest.trim_start_matches(is_re_space).strip_prefix('=')?;
    let value = rest
        .trim_start_matches(is_re_space)
        .trim_end_matches(is_re_space);
    if value.is_empty() {
        return None;
    }
    Some((name, value))
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// The line-continuation rule: escape token (plus trailing blanks) at end of line, not itself
/// escaped; a line holding only the token also continues.
fn trim_continuation(line: &str, esc: char) -> (String, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(esc) else {
        return (line.to_string(), true);
    };
    if before.is_empty() {
        return (String::new(), false);
    }
    if before.ends_with(esc) {
        return (line.to_string(), true);
    }
    (before.to_string(), false)
}

/// Parses a Dockerfile the way Docker 28 does (see the module docs).
pub fn parse(text: &str) -> Result<Dockerfile, DockerfileError> {
    if text.is_empty() {
        return Err(err(0, DockerfileErrorKind::Empty));
    }
    let (nodes, escape) = parse_ast(text)?;
    let instructions = parse_instructions(&nodes)?;
    Ok(Dockerfile {
        instructions,
        escape,
    })
}

fn parse_ast(text: &str) -> Result<(Vec<Node>, char), DockerfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut directives = Directives {
        done: false,
        seen: Vec::new(),
        escape: '\\',
    };
    let mut nodes = Vec::new();
    let mut lines = text.split_inclusive('\n');
    let mut current = 0usize;
    let mut too_long = false;

    // Go's scanner stops at an over-long line; what came before is still parsed.
    let mut next_line = |too_long: &mut bool| -> Option<&str> {
        let l = lines.next()?;
        if l.len() > MAX_LINE || (l.len() == MAX_LINE && !l.ends_with('\n')) {
            *too_long = true;
            return None;
        }
        Some(l)
    };

    while let Some(raw) = next_line(&mut too_long) {
        let raw = raw.trim_end_matches(['\r', '\n']);
        let stripped = raw.trim_start();
        directives.check(stripped, current + 1)?;
        current += 1;
        let start = current;
        let first = if is_comment(stripped) { "" } else { stripped };
        let (first, mut eol) = trim_continuation(first, directives.escape);
        if eol && first.is_empty() {
            continue;
        }
        let mut buf = first;
        while !eol {
            let Some(raw) = next_line(&mut too_long) else {
                break;
            };
            let raw = raw.trim_end_matches(['\r', '\n']);
            directives.check(raw, current + 1)?;
            current += 1;
            if is_comment(raw) {
                continue;
            }
            // Empty continuation lines are skipped (Docker only warns about them).
            if raw.trim_start().is_empty() {
                continue;
            }
            let (part, e) = trim_continuation(raw, directives.escape);
            eol = e;
            buf.push_str(&part);
        }
        let node = parse_node(&buf, start, directives.escape)?;
        nodes.push(node);
    }

    if nodes.is_empty() {
        return Err(err(current, DockerfileErrorKind::NoInstructions));
    }
    if too_long {
        return Err(err(current, DockerfileErrorKind::LineTooLong));
    }
    Ok((nodes, directives.escape))
}

/// Go `reWhitespace` = `[\t\v\f\r ]+`.
fn is_ws_class(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// `reWhitespace.Split(s, n)` with n = 2 (`limit2`) or -1.
fn split_ws(s: &str, limit2: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        if limit2 && out.len() == 1 {
            out.push(rest.to_string());
            return out;
        }
        match rest.find(is_ws_class) {
            Some(i) => {
                out.push(rest[..i].to_string());
                rest = rest[i..].trim_start_matches(is_ws_class);
            }
            None => {
                out.push(rest.to_string());
                return out;
            }
        }
    }
}

/// `splitCommand`: keyword, leading `--flags`, remaining argument text.
fn split_command(line: &str, esc: char) -> (String, Vec<String>, String) {
    let parts = split_ws(line.trim(), true);
    let cmd = parts.first().cloned().unwrap_or_default();
    match parts.get(1) {
        Some(rest) => {
            let (args, flags) = extract_builder_flags(rest, esc);
            (cmd, flags, args.trim().to_string())
        }
        None => (cmd, Vec::new(), String::new()),
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// `extractBuilderFlags`: collects leading words starting with `--` (quotes and escapes
/// removed), stopping at the first other word or at a bare `--`.
fn extract_builder_flags(line: &str, esc: char) -> (String, Vec<String>) {
    let chars: Vec<char> = line.chars().collect();
    let n = chars.len();
    let rest_from = |pos: usize| chars.get(pos..).unwrap_or(&[]).iter().collect::<String>();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= n {
        let mut ch = chars.get(pos).copied().unwrap_or('\0');
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            if ch != '-' || chars.get(pos + 1) != Some(&'-') {
                return (rest_from(pos), words);
            }
            phase = Phase::Word;
        }
        if pos == n {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if word == "--" {
                    return (rest_from(pos), words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == esc {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = chars.get(pos).copied().unwrap_or('\0');
            }
            word.push(ch);
            pos += 1;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == esc {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = chars.get(pos).copied().unwrap_or('\0');
        }
        word.push(ch);
        pos += 1;
    }
    (String::new(), words)
}

/// `parseWords`: whitespace-separated words, quotes and escapes *kept* for later expansion.
fn parse_words(rest: &str, esc: char) -> Vec<String> {
    let chars: Vec<char> = rest.chars().collect();
    let n = chars.len();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut pos = 0;
    while pos <= n {
        let mut ch = chars.get(pos).copied().unwrap_or('\0');
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            phase = Phase::Word;
        }
        if pos == n {
            if blank_ok || !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == esc {
                if pos + 1 == n {
                    pos += 1;
                    continue;
                }
                word.push(ch);
                pos += 1;
                ch = chars.get(pos).copied().unwrap_or('\0');
            }
            word.push(ch);
            pos += 1;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == esc && quote != '\'' {
            if pos + 1 == n {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            word.push(ch);
            pos += 1;
            ch = chars.get(pos).copied().unwrap_or('\0');
        }
        word.push(ch);
        pos += 1;
    }
    words
}

/// Result of trying to read the arguments as a JSON array.
enum Json {
    Strings(Vec<String>),
    /// Valid JSON array containing a non-string: an error in Docker.
    NotStrings,
    /// Not (valid) JSON: the arguments are taken as shell form.
    Invalid,
}

/// `parseJSON`: the (left-trimmed) text must be one valid JSON array of strings. Implemented
/// as an explicit-stack scanner so deep nesting cannot overflow our stack.
fn parse_json(rest: &str) -> Json {
    let s = rest.trim_start();
    let b = s.as_bytes();
    if b.first() != Some(&b'[') {
        return Json::Invalid;
    }
    #[derive(PartialEq)]
    enum St {
        Value,
        ValueOrEnd,
        KeyOrEnd,
        Key,
        Colon,
        Next,
    }
    let mut stack: Vec<u8> = Vec::new();
    let mut strings = Vec::new();
    let mut not_strings = false;
    let mut st = St::Value;
    let mut i = 0;
    loop {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        if st == St::Next && stack.is_empty() {
            return if i == b.len() {
                if not_strings {
                    Json::NotStrings
                } else {
                    Json::Strings(strings)
                }
            } else {
                Json::Invalid
            };
        }
        let Some(&c) = b.get(i) else {
            return Json::Invalid;
        };
        match st {
            St::Value | St::ValueOrEnd => {
                if st == St::ValueOrEnd && c == b']' {
                    stack.pop();
                    st = St::Next;
                    i += 1;
                    continue;
                }
                let element = stack.len() == 1;
                match c {
                    b'[' | b'{' => {
                        if stack.len() >= MAX_JSON_DEPTH {
                            return Json::Invalid;
                        }
                        if element {
                            not_strings = true;
                        }
                        stack.push(c);
                        st = if c == b'[' {
                            St::ValueOrEnd
                        } else {
                            St::KeyOrEnd
                        };
                        i += 1;
                    }
                    b'"' => {
                        let Some((v, ni)) = json_string(s, i) else {
                            return Json::Invalid;
                        };
                        if element {
                            strings.push(v);
                        }
                        i = ni;
                        st = St::Next;
                    }
                    b't' | b'f' | b'n' => {
                        let lit: &[u8] = match c {
                            b't' => b"true",
                            b'f' => b"false",
                            _ => b"null",
                        };
                        if !b.get(i..).is_some_and(|r| r.starts_with(lit)) {
                            return Json::Invalid;
                        }
                        not_strings |= element;
                        i += lit.len();
                        st = St::Next;
                    }
                    b'-' | b'0'..=b'9' => {
                        let Some(ni) = json_number(b, i) else {
                            return Json::Invalid;
                        };
                        // Go decodes numbers into float64; an overflow is a decode error,
                        // which makes Docker fall back to shell form.
                        let finite = s
                            .get(i..ni)
                            .and_then(|t| t.parse::<f64>().ok())
                            .is_some_and(f64::is_finite);
                        if !finite {
                            return Json::Invalid;
                        }
                        not_strings |= element;
                        i = ni;
                        st = St::Next;
                    }
                    _ => return Json::Invalid,
                }
            }
            St::KeyOrEnd | St::Key => {
                if st == St::KeyOrEnd && c == b'}' {
                    stack.pop();
                    st = St::Next;
                    i += 1;
                    continue;
                }
                if c != b'"' {
                    return Json::Invalid;
                }
                let Some((_, ni)) = json_string(s, i) else {
                    return Json::Invalid;
                };
                i = ni;
                st = St::Colon;
            }
            St::Colon => {
                if c != b':' {
                    return Json::Invalid;
                }
                i += 1;
                st = St::Value;
            }
            St::Next => {
                let top = stack.last().copied();
                match (c, top) {
                    (b',', Some(b'[')) => st = St::Value,
                    (b',', Some(b'{')) => st = St::Key,
                    (b']', Some(b'[')) | (b'}', Some(b'{')) => {
                        stack.pop();
                    }
                    _ => return Json::Invalid,
                }
                i += 1;
            }
        }
    }
}

/// A JSON string starting at byte `start` (the quote); returns the decoded value and the
/// index after the closing quote. Invalid surrogates decode to U+FFFD like Go.
fn json_string(s: &str, start: usize) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = start + 1;
    loop {
        let c = *b.get(i)?;
        match c {
            b'"' => return Some((out, i + 1)),
            b'\\' => {
                let e = *b.get(i + 1)?;
                i += 2;
                match e {
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'/' => out.push('/'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'u' => {
                        let hi = hex4(b, i)?;
                        i += 4;
                        if (0xD800..0xDC00).contains(&hi) {
                            // A following \uDC00-\uDFFF completes the pair.
                            if b.get(i) == Some(&b'\\')
                                && b.get(i + 1) == Some(&b'u')
                                && let Some(lo) = hex4(b, i + 2)
                                && (0xDC00..0xE000).contains(&lo)
                            {
                                let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                                i += 6;
                                continue;
                            }
                            out.push('\u{fffd}');
                        } else {
                            out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
                        }
                    }
                    _ => return None,
                }
            }
            0..=0x1f => return None,
            _ => {
                // Copy one whole UTF-8 character.
                let ch = s.get(i..)?.chars().next()?;
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
}

fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let h = std::str::from_utf8(b.get(i..i + 4)?).ok()?;
    if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

/// JSON number grammar; returns the index after it.
fn json_number(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while digit(i) {
                i += 1;
            }
        }
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digit(i) {
            return None;
        }
        while digit(i) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digit(i) {
            return None;
        }
        while digit(i) {
            i += 1;
        }
    }
    Some(i)
}

/// `parseMaybeJSON` (RUN, CMD, ENTRYPOINT, SHELL): JSON array, else the whole text.
fn maybe_json(rest: &str) -> Result<(Vec<String>, bool), DockerfileErrorKind> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    match parse_json(rest) {
        Json::Strings(v) => Ok((v, true)),
        Json::NotStrings => Err(DockerfileErrorKind::JsonNotStrings),
        Json::Invalid => Ok((vec![rest.to_string()], false)),
    }
}

/// `parseMaybeJSONToList` (ADD, COPY, VOLUME): JSON array, else whitespace-separated words.
fn maybe_json_to_list(rest: &str) -> Result<(Vec<String>, bool), DockerfileErrorKind> {
    match parse_json(rest) {
        Json::Strings(v) => Ok((v, true)),
        Json::NotStrings => Err(DockerfileErrorKind::JsonNotStrings),
        Json::Invalid => Ok((whitespace_delimited(rest), false)),
    }
}

fn whitespace_delimited(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        Vec::new()
    } else {
        split_ws(rest, false)
    }
}

/// `parseNameVal` (ENV, LABEL): `k=v k2="v 2"` or legacy `k the value`.
fn name_val(rest: &str, key: &str, esc: char) -> Result<Vec<String>, DockerfileErrorKind> {
    let words = parse_words(rest, esc);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let parts = split_ws(rest, true);
        return match (parts.first(), parts.get(1)) {
            (Some(k), Some(v)) => Ok(vec![k.clone(), v.clone(), String::new()]),
            _ => Err(DockerfileErrorKind::MustHaveTwoArguments(key.to_string())),
        };
    }
    let mut out = Vec::with_capacity(words.len() * 3);
    for w in words {
        let Some((k, v)) = w.split_once('=') else {
            return Err(DockerfileErrorKind::MissingEquals {
                instruction: key.to_string(),
                word: w,
            });
        };
        out.push(k.to_string());
        out.push(v.to_string());
        out.push("=".to_string());
    }
    Ok(out)
}

/// `parseHealthConfig`: type word, then a maybe-JSON command.
fn health_config(rest: &str) -> Result<(Vec<String>, bool), DockerfileErrorKind> {
    let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let (typ, after) = rest.split_at(sep);
    let (cmd, json) = maybe_json(after.trim_start())?;
    let mut args = vec![typ.to_string()];
    args.extend(cmd);
    Ok((args, json))
}

/// The per-keyword line parsers of the AST phase (`dispatch` table in parser.go).
fn line_args(
    lower: &str,
    rest: &str,
    esc: char,
) -> Result<(Vec<String>, bool), DockerfileErrorKind> {
    match lower {
        "add" | "copy" | "volume" => maybe_json_to_list(rest),
        "arg" => Ok((parse_words(rest, esc), false)),
        "cmd" | "entrypoint" | "run" | "shell" => maybe_json(rest),
        "env" => Ok((name_val(rest, "ENV", esc)?, false)),
        "label" => Ok((name_val(rest, "LABEL", esc)?, false)),
        "expose" | "from" => Ok((whitespace_delimited(rest), false)),
        "healthcheck" => health_config(rest),
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if rest.is_empty() {
                Ok((Vec::new(), false))
            } else {
                Ok((vec![rest.to_string()], false))
            }
        }
        // Unknown keywords are kept without arguments and refused in the second phase.
        _ => Ok((Vec::new(), false)),
    }
}

fn parse_node(line: &str, start: usize, esc: char) -> Result<Node, DockerfileError> {
    let (cmd, flags, rest) = split_command(line, esc);
    let lower = cmd.to_lowercase();
    let (args, json) = if lower == "onbuild" {
        // `parseSubCommand`: the trigger is parsed like an instruction (one level only; a
        // nested ONBUILD is refused in phase 2 anyway).
        if rest.is_empty() {
            (Vec::new(), false)
        } else {
            let (sub, _sub_flags, sub_rest) = split_command(&rest, esc);
            let sub_lower = sub.to_lowercase();
            let (mut sub_args, json) = if sub_lower == "onbuild" {
                (Vec::new(), false)
            } else {
                line_args(&sub_lower, &sub_rest, esc).map_err(|k| err(start, k))?
            };
            sub_args.insert(0, sub);
            (sub_args, json)
        }
    } else {
        line_args(&lower, &rest, esc).map_err(|k| err(start, k))?
    };
    Ok(Node {
        line: start,
        original: line.to_string(),
        cmd,
        flags,
        args,
        json,
    })
}

// ---------------------------------------------------------------------------------------------
// Phase 2: AST nodes -> instructions (buildkit frontend/dockerfile/instructions)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum FlagType {
    Bool,
    Str,
    Strs,
}

/// `BFlags`: the flags one instruction accepts and the values found.
struct Flags<'a> {
    defs: &'a [(&'a str, FlagType)],
    values: Vec<(String, String)>,
}

impl<'a> Flags<'a> {
    fn parse(raw: &[String], defs: &'a [(&'a str, FlagType)]) -> Result<Self, DockerfileErrorKind> {
        let mut values: Vec<(String, String)> = Vec::new();
        for a in raw {
            if a == "--" {
                break;
            }
            let (flag_name, value) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (a.as_str(), None),
            };
            let name = flag_name.strip_prefix("--").unwrap_or(flag_name);
            let Some(&(def_name, ty)) = defs.iter().find(|(n, _)| *n == name) else {
                let names: Vec<&str> = defs.iter().map(|(n, _)| *n).collect();
                return Err(DockerfileErrorKind::UnknownFlag {
                    flag: flag_name.to_string(),
                    suggestion: suggest(name, &names, true),
                });
            };
            if ty != FlagType::Strs && values.iter().any(|(n, _)| n == def_name) {
                return Err(DockerfileErrorKind::DuplicateFlag(flag_name.to_string()));
            }
            let v = match ty {
                FlagType::Bool => match value {
                    Some("") => {
                        return Err(DockerfileErrorKind::MissingFlagValue(flag_name.to_string()));
                    }
                    None => "true".to_string(),
                    Some(v) => match v.to_lowercase().as_str() {
                        "true" => "true".to_string(),
                        "false" => "false".to_string(),
                        _ => {
                            return Err(DockerfileErrorKind::BadBoolFlag {
                                flag: flag_name.to_string(),
                                value: v.to_string(),
                            });
                        }
                    },
                },
                FlagType::Str | FlagType::Strs => match value {
                    Some(v) => v.to_string(),
                    None => {
                        return Err(DockerfileErrorKind::MissingFlagValue(flag_name.to_string()));
                    }
                },
            };
            values.push((def_name.to_string(), v));
        }
        Ok(Flags { defs, values })
    }

    fn get(&self, name: &str) -> Option<String> {
        debug_assert!(self.defs.iter().any(|(n, _)| *n == name));
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn is_true(&self, name: &str) -> bool {
        self.get(name).as_deref() == Some("true")
    }
}

const NO_FLAGS: &[(&str, FlagType)] = &[];
const FROM_FLAGS: &[(&str, FlagType)] = &[("platform", FlagType::Str)];
const COPY_FLAGS: &[(&str, FlagType)] = &[
    ("chown", FlagType::Str),
    ("from", FlagType::Str),
    ("chmod", FlagType::Str),
    ("link", FlagType::Bool),
];
const ADD_FLAGS: &[(&str, FlagType)] = &[
    ("chown", FlagType::Str),
    ("chmod", FlagType::Str),
    ("link", FlagType::Bool),
    ("keep-git-dir", FlagType::Bool),
    ("checksum", FlagType::Str),
];
/// RUN flags registered by BuildKit's pre-hooks (mount, network, device) plus `security`
/// (compiled in with the `dfrunsecurity` tag; assumed present).
const RUN_FLAGS: &[(&str, FlagType)] = &[
    ("mount", FlagType::Strs),
    ("network", FlagType::Str),
    ("device", FlagType::Strs),
    ("security", FlagType::Str),
];
const HEALTH_FLAGS: &[(&str, FlagType)] = &[
    ("interval", FlagType::Str),
    ("timeout", FlagType::Str),
    ("start-period", FlagType::Str),
    ("start-interval", FlagType::Str),
    ("retries", FlagType::Str),
];

fn shell_dependent(args: &[String], json: bool) -> CommandForm {
    if json {
        CommandForm::Exec(args.to_vec())
    } else {
        CommandForm::Shell(args.join(" "))
    }
}

/// `^[a-z][a-z0-9-_.]*$` on the lower-cased stage name.
fn valid_stage_name(s: &str) -> bool {
    let mut it = s.chars();
    matches!(it.next(), Some('a'..='z'))
        && it.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '_' | '.'))
}

/// `(?i)^\s*ONBUILD\s*` removed from the original line.
fn onbuild_expression(original: &str) -> String {
    let s = original.trim_start_matches(is_re_space);
    let s = match s.get(..7) {
        Some(k) if k.eq_ignore_ascii_case("onbuild") => s.get(7..).unwrap_or(""),
        _ => s,
    };
    s.trim_start_matches(is_re_space).to_string()
}

fn kvps(args: &[String], name: &str) -> Result<Vec<(String, String)>, DockerfileErrorKind> {
    if args.is_empty() {
        return Err(DockerfileErrorKind::MissingArguments(name.to_string()));
    }
    let mut out = Vec::new();
    for t in args.chunks(3) {
        let (Some(k), Some(v)) = (t.first(), t.get(1)) else {
            return Err(DockerfileErrorKind::MissingArguments(name.to_string()));
        };
        if k.is_empty() {
            return Err(DockerfileErrorKind::BlankNames(name.to_string()));
        }
        out.push((k.clone(), v.clone()));
    }
    Ok(out)
}

/// `ParseInstruction` for one node.
fn instruction_kind(node: &Node) -> Result<InstructionKind, DockerfileErrorKind> {
    use DockerfileErrorKind as E;
    use InstructionKind as K;
    let args = &node.args;
    let flags = |defs| Flags::parse(&node.flags, defs);
    let exactly_one = |name: &str| -> Result<String, DockerfileErrorKind> {
        match args.as_slice() {
            [one] => Ok(one.clone()),
            _ => Err(E::ExactlyOneArgument(name.to_string())),
        }
    };
    let kind = match node.cmd.to_lowercase().as_str() {
        "env" => {
            flags(NO_FLAGS)?;
            K::Env(kvps(args, "ENV")?)
        }
        "maintainer" => {
            let v = exactly_one("MAINTAINER")?;
            flags(NO_FLAGS)?;
            K::Maintainer(v)
        }
        "label" => {
            flags(NO_FLAGS)?;
            K::Label(kvps(args, "LABEL")?)
        }
        "add" | "copy" => {
            let is_copy = node.cmd.eq_ignore_ascii_case("copy");
            let name = if is_copy { "COPY" } else { "ADD" };
            let Some((dest, sources)) = args.split_last().filter(|(_, s)| !s.is_empty()) else {
                return Err(E::NoDestination(name.to_string()));
            };
            let f = flags(if is_copy { COPY_FLAGS } else { ADD_FLAGS })?;
            if is_copy {
                K::Copy {
                    sources: sources.to_vec(),
                    dest: dest.clone(),
                    from: f.get("from"),
                    chown: f.get("chown"),
                    chmod: f.get("chmod"),
                    link: f.is_true("link"),
                }
            } else {
                K::Add {
                    sources: sources.to_vec(),
                    dest: dest.clone(),
                    chown: f.get("chown"),
                    chmod: f.get("chmod"),
                    link: f.is_true("link"),
                }
            }
        }
        "from" => {
            let alias = match args.as_slice() {
                [_] => None,
                [_, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => {
                    let lower = name.to_lowercase();
                    if !valid_stage_name(&lower) {
                        return Err(E::InvalidStageName(name.clone()));
                    }
                    Some(lower)
                }
                _ => return Err(E::FromArguments),
            };
            let f = flags(FROM_FLAGS)?;
            K::From {
                image: args.first().cloned().unwrap_or_default(),
                alias,
                platform: f.get("platform"),
            }
        }
        "onbuild" => {
            let Some(trigger) = args.first() else {
                return Err(E::MissingArguments("ONBUILD".to_string()));
            };
            flags(NO_FLAGS)?;
            let upper = trigger.trim().to_uppercase();
            match upper.as_str() {
                "ONBUILD" => return Err(E::OnbuildChaining),
                "MAINTAINER" | "FROM" => return Err(E::OnbuildTrigger(upper)),
                _ => {}
            }
            K::Onbuild(onbuild_expression(&node.original))
        }
        "workdir" => {
            let v = exactly_one("WORKDIR")?;
            flags(NO_FLAGS)?;
            K::Workdir(v)
        }
        "run" => {
            flags(RUN_FLAGS)?;
            K::Run(shell_dependent(args, node.json))
        }
        "cmd" => {
            flags(NO_FLAGS)?;
            K::Cmd(shell_dependent(args, node.json))
        }
        "entrypoint" => {
            flags(NO_FLAGS)?;
            K::Entrypoint(shell_dependent(args, node.json))
        }
        "healthcheck" => {
            let Some(typ) = args.first() else {
                return Err(E::MissingArguments("HEALTHCHECK".to_string()));
            };
            let typ = typ.to_uppercase();
            let rest = args.get(1..).unwrap_or(&[]);
            if typ == "NONE" {
                if !rest.is_empty() {
                    return Err(E::HealthcheckNoneArguments);
                }
                K::Healthcheck {
                    test: vec![typ],
                    options: Vec::new(),
                }
            } else {
                let f = flags(HEALTH_FLAGS)?;
                if typ != "CMD" {
                    return Err(E::HealthcheckUnknownType(typ));
                }
                if rest.is_empty() {
                    return Err(E::HealthcheckMissingCommand);
                }
                let mut test = Vec::new();
                if node.json {
                    test.push("CMD".to_string());
                    test.extend(rest.iter().cloned());
                } else {
                    test.push("CMD-SHELL".to_string());
                    test.push(rest.join(" "));
                }
                K::Healthcheck {
                    test,
                    options: f.values,
                }
            }
        }
        "expose" => {
            if args.is_empty() {
                return Err(E::MissingArguments("EXPOSE".to_string()));
            }
            flags(NO_FLAGS)?;
            let mut ports = args.clone();
            ports.sort();
            K::Expose(ports)
        }
        "user" => {
            let v = exactly_one("USER")?;
            flags(NO_FLAGS)?;
            K::User(v)
        }
        "volume" => {
            if args.is_empty() {
                return Err(E::MissingArguments("VOLUME".to_string()));
            }
            flags(NO_FLAGS)?;
            let mut vols = Vec::new();
            for v in args {
                let v = v.trim();
                if v.is_empty() {
                    return Err(E::VolumeEmptyString);
                }
                vols.push(v.to_string());
            }
            K::Volume(vols)
        }
        // STOPSIGNAL never parses its flags in Docker, so `--x` is silently ignored.
        "stopsignal" => K::StopSignal(exactly_one("STOPSIGNAL")?),
        // ARG does not parse flags either.
        "arg" => {
            if args.is_empty() {
                return Err(E::MissingArguments("ARG".to_string()));
            }
            let mut pairs = Vec::new();
            for a in args {
                match a.split_once('=') {
                    Some(("", _)) => return Err(E::BlankNames("ARG".to_string())),
                    Some((k, v)) => pairs.push((k.to_string(), Some(v.to_string()))),
                    None => pairs.push((a.clone(), None)),
                }
            }
            K::Arg(pairs)
        }
        "shell" => {
            flags(NO_FLAGS)?;
            if args.is_empty() {
                return Err(E::MissingArguments("SHELL".to_string()));
            }
            if !node.json {
                return Err(E::NotJson("SHELL".to_string()));
            }
            K::Shell(args.clone())
        }
        _ => return Err(E::UnknownInstruction(node.cmd.clone())),
    };
    Ok(kind)
}

/// `instructions.Parse`: typing plus the stage rules (only ARG may precede the first FROM).
fn parse_instructions(nodes: &[Node]) -> Result<Vec<Instruction>, DockerfileError> {
    let mut out = Vec::with_capacity(nodes.len());
    let mut have_stage = false;
    for node in nodes {
        let kind = instruction_kind(node).map_err(|k| err(node.line, k))?;
        match kind {
            InstructionKind::From { .. } => have_stage = true,
            InstructionKind::Arg(_) => {}
            _ if !have_stage => return Err(err(node.line, DockerfileErrorKind::NoBuildStage)),
            _ => {}
        }
        out.push(Instruction {
            line: node.line,
            original: node.original.trim().to_string(),
            flags: node.flags.clone(),
            kind,
        });
    }
    if !have_stage {
        let last = nodes.last().map_or(0, |n| n.line);
        return Err(err(last, DockerfileErrorKind::NoStages));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Suggestions (buildkit util/suggest)
// ---------------------------------------------------------------------------------------------

/// Levenshtein distance on chars, two rows (linear memory).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// `suggest.Search`: the option at distance < 3 with the smallest distance (first one wins on
/// ties; Go's order is random there).
fn suggest(val: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    // Long unknown words can never be within distance 2 of a short keyword; skipping them keeps
    // the work bounded for hostile input.
    if val.chars().count() > 20 {
        return None;
    }
    let v = if case_sensitive {
        val.to_string()
    } else {
        val.to_lowercase()
    };
    let mut best: Option<(usize, &str)> = None;
    for opt in options {
        let o = if case_sensitive {
            opt.to_string()
        } else {
            opt.to_lowercase()
        };
        if o == v {
            return None;
        }
        let d = levenshtein(&v, &o);
        if d < best.map_or(3, |(bd, _)| bd) {
            best = Some((d, opt));
        }
    }
    best.map(|(_, m)| m.to_string())
}

/// Instruction suggestion with Go's `matchCase`: all-lower input -> lower, all-upper -> upper,
/// mixed -> lower.
fn suggest_instruction(name: &str) -> Option<String> {
    let m = suggest(name, &INSTRUCTION_NAMES, false)?;
    if name == name.to_uppercase() && name != name.to_lowercase() {
        Some(m.to_uppercase())
    } else {
        Some(m.to_lowercase())
    }
}

/// Go `%q` quoting, enough for the texts Docker builds with it.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0b' => out.push_str("\\v"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// Variable expansion (buildkit frontend/dockerfile/shell/lex.go, ProcessWord)
// ---------------------------------------------------------------------------------------------

/// Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` (and the other `${…}` forms),
/// removes quotes and escapes, as Docker does for FROM/COPY/ADD/WORKDIR/ENV/LABEL/EXPOSE/USER/
/// ARG/VOLUME/STOPSIGNAL arguments, with the default `\` escape token. On a syntax error Docker
/// fails the build; this convenience returns the word unchanged then (use [`try_expand`] for
/// the error).
pub fn expand(word: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    try_expand(word, '\\', lookup).unwrap_or_else(|_| word.to_string())
}

/// Frames of the explicit stack that replaces Go's recursion (`${a:-${b:-"$c"}}` nests).
enum Frame {
    Top,
    DoubleQuote,
    /// `${name<op>word}`; `chs` is the operator text for error messages.
    Modifier {
        name: String,
        op: char,
        chs: String,
        null_is_unset: bool,
    },
    /// `${name/pattern/…`.
    Pattern {
        name: String,
        all: bool,
    },
    /// `…/replacement}`.
    Replacement {
        name: String,
        all: bool,
        pattern: String,
    },
}

struct Level {
    frame: Frame,
    buf: String,
    /// Escapes kept literally (pattern words).
    raw: bool,
}

/// Like [`expand`] with an explicit escape token; errors carry Docker's exact text, e.g.
/// `failed to process "${a": syntax error: missing '}'`.
pub fn try_expand(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    expand_bounded(word, escape, lookup).map_err(|e| match e {
        ExpandError::Invalid(message) => message,
        ExpandError::TooLong(limit) => limit.to_string(),
    })
}

/// Why a word did not expand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpandError {
    /// Docker's own error (`failed to process "${a": syntax error: missing '}'`).
    Invalid(String),
    /// The expansion passed [`crate::limits::MAX_EXPANDED_BYTES`]: nine `ENV A1=${A0}${A0}…` lines would
    /// otherwise reach gigabytes. Detected as the text grows, so it never allocates much past the cap.
    TooLong(crate::limits::LimitExceeded),
}

/// [`try_expand`] telling Docker's errors apart from dockdrill's cap on the expanded length.
pub fn expand_bounded(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, ExpandError> {
    expand_inner(word, escape, lookup).map_err(|e| {
        if e == TOO_LONG {
            ExpandError::TooLong(crate::limits::LimitExceeded::expansion(word))
        } else {
            ExpandError::Invalid(format!("failed to process {}: {e}", go_quote(word)))
        }
    })
}

/// The inner error that means "longer than the cap" (never shown; [`expand_bounded`] turns it into
/// [`ExpandError::TooLong`]).
const TOO_LONG: &str = "\0expansion too long";

/// Appends `s` to an expansion buffer unless the buffer would pass the cap.
fn push_bounded(buf: &mut String, s: &str) -> Result<(), String> {
    if buf.len() + s.len() > crate::limits::MAX_EXPANDED_BYTES {
        return Err(TOO_LONG.to_string());
    }
    buf.push_str(s);
    Ok(())
}

fn is_dollar_frame(f: &Frame) -> bool {
    matches!(
        f,
        Frame::Modifier { .. } | Frame::Pattern { .. } | Frame::Replacement { .. }
    )
}

fn expand_inner(
    word: &str,
    esc: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let mut pos = 0usize;
    let mut stack = vec![Level {
        frame: Frame::Top,
        buf: String::new(),
        raw: false,
    }];

    // Go converts errors surfacing through an unfinished `${…}` at end of input into that
    // construct's "missing" message; the outermost one wins.
    let fail = |stack: &[Level], pos: usize, e: String| -> String {
        if pos >= n
            && e != TOO_LONG
            && let Some(l) = stack.iter().find(|l| is_dollar_frame(&l.frame))
        {
            return match l.frame {
                Frame::Pattern { .. } => "syntax error: missing '/' in ${}".to_string(),
                _ => "syntax error: missing '}'".to_string(),
            };
        }
        e
    };

    loop {
        let Some(level) = stack.last_mut() else {
            return Err("internal error".to_string());
        };
        let peek = chars.get(pos).copied();
        let raw = level.raw;

        if let Frame::DoubleQuote = level.frame {
            match peek {
                None => {
                    let e = "unexpected end of statement while looking for matching double-quote";
                    return Err(fail(&stack, pos, e.to_string()));
                }
                Some('"') => {
                    pos += 1;
                    let done = stack.pop().map(|l| l.buf).unwrap_or_default();
                    if let Some(p) = stack.last_mut() {
                        push_bounded(&mut p.buf, &done)?;
                    }
                }
                Some('$') => {
                    if let Some(v) = dollar(&chars, &mut pos, &mut stack, lookup)
                        .map_err(|e| fail(&stack, pos, e))?
                        && let Some(l) = stack.last_mut()
                    {
                        push_bounded(&mut l.buf, &v)?;
                    }
                }
                Some(mut ch) => {
                    pos += 1;
                    if ch == esc {
                        if raw {
                            level.buf.push(ch);
                        }
                        match chars.get(pos) {
                            None => continue,
                            Some(&c) if c == '"' || c == '$' || c == esc => {
                                ch = c;
                                pos += 1;
                            }
                            Some(_) => {}
                        }
                    }
                    level.buf.push(ch);
                }
            }
            continue;
        }

        let stop = match level.frame {
            Frame::Top | Frame::DoubleQuote => None,
            Frame::Modifier { .. } | Frame::Replacement { .. } => Some('}'),
            Frame::Pattern { .. } => Some('/'),
        };
        let Some(ch) = peek else {
            if let Some(s) = stop {
                let e = format!("unexpected end of statement while looking for matching {s}");
                return Err(fail(&stack, pos, e));
            }
            return Ok(stack.pop().map(|l| l.buf).unwrap_or_default());
        };
        if Some(ch) == stop {
            pos += 1;
            let Some(done) = stack.pop() else {
                return Err("internal error".to_string());
            };
            let value = finish_frame(done, &mut stack, lookup).map_err(|e| fail(&stack, pos, e))?;
            if let Some(v) = value
                && let Some(l) = stack.last_mut()
            {
                push_bounded(&mut l.buf, &v)?;
            }
            continue;
        }
        match ch {
            '$' => {
                if let Some(v) = dollar(&chars, &mut pos, &mut stack, lookup)
                    .map_err(|e| fail(&stack, pos, e))?
                    && let Some(l) = stack.last_mut()
                {
                    push_bounded(&mut l.buf, &v)?;
                }
            }
            '\'' => {
                pos += 1;
                let mut lit = String::new();
                loop {
                    match chars.get(pos) {
                        None => {
                            let e = "unexpected end of statement while looking for matching single-quote";
                            return Err(fail(&stack, pos, e.to_string()));
                        }
                        Some('\'') => {
                            pos += 1;
                            break;
                        }
                        Some(&c) => {
                            lit.push(c);
                            pos += 1;
                        }
                    }
                }
                level.buf.push_str(&lit);
            }
            '"' => {
                pos += 1;
                stack.push(Level {
                    frame: Frame::DoubleQuote,
                    buf: String::new(),
                    raw,
                });
            }
            _ => {
                pos += 1;
                let mut c = ch;
                if c == esc {
                    if raw {
                        level.buf.push(c);
                    }
                    match chars.get(pos) {
                        // A trailing escape ends the loop: fine at top level, an error inside
                        // `${…}` (reported on the next iteration as end of input).
                        None => continue,
                        Some(&next) => {
                            c = next;
                            pos += 1;
                        }
                    }
                }
                level.buf.push(c);
            }
        }
    }
}

/// `processName`: digits, one special parameter, or a run of letters/digits/underscores.
fn process_name(chars: &[char], pos: &mut usize) -> String {
    let mut name = String::new();
    while let Some(&c) = chars.get(*pos) {
        if name.is_empty() && c.is_numeric() {
            while let Some(&d) = chars.get(*pos) {
                if !d.is_numeric() {
                    break;
                }
                name.push(d);
                *pos += 1;
            }
            return name;
        }
        if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
            *pos += 1;
            return c.to_string();
        }
        if !(c.is_alphanumeric() || c == '_') {
            break;
        }
        name.push(c);
        *pos += 1;
    }
    name
}

/// `processDollar` at a `$`: returns the value to append now, or `None` after pushing a frame
/// whose completion will produce it.
fn dollar(
    chars: &[char],
    pos: &mut usize,
    stack: &mut Vec<Level>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>, String> {
    *pos += 1; // '$'
    if chars.get(*pos) != Some(&'{') {
        let name = process_name(chars, pos);
        if name.is_empty() {
            return Ok(Some("$".to_string()));
        }
        return Ok(Some(lookup(&name).unwrap_or_default()));
    }
    *pos += 1; // '{'
    match chars.get(*pos) {
        None => return Err("syntax error: missing '}'".to_string()),
        Some('{' | '}' | ':') => return Err("syntax error: bad substitution".to_string()),
        Some(_) => {}
    }
    let name = process_name(chars, pos);
    // Go's scanner yields EOF (-1) here, printed as U+FFFD by string(rune).
    let next = |pos: &mut usize| -> Option<char> {
        let c = chars.get(*pos).copied();
        if c.is_some() {
            *pos += 1;
        }
        c
    };
    let ch = next(pos);
    let mut chs: String = ch.unwrap_or('\u{fffd}').to_string();
    match ch {
        Some('}') => Ok(Some(lookup(&name).unwrap_or_default())),
        Some(':') => {
            let op = next(pos);
            chs.push(op.unwrap_or('\u{fffd}'));
            if matches!(op, Some('#' | '%')) {
                return Err(format!("unsupported modifier ({chs}) in substitution"));
            }
            stack.push(Level {
                frame: Frame::Modifier {
                    name,
                    op: op.unwrap_or('\u{fffd}'),
                    chs,
                    null_is_unset: true,
                },
                buf: String::new(),
                raw: false,
            });
            Ok(None)
        }
        Some(op @ ('+' | '-' | '?' | '#' | '%')) => {
            stack.push(Level {
                frame: Frame::Modifier {
                    name,
                    op,
                    chs,
                    null_is_unset: false,
                },
                buf: String::new(),
                raw: op == '#' || op == '%',
            });
            Ok(None)
        }
        Some('/') => {
            let all = chars.get(*pos) == Some(&'/');
            if all {
                *pos += 1;
            }
            stack.push(Level {
                frame: Frame::Pattern { name, all },
                buf: String::new(),
                raw: true,
            });
            Ok(None)
        }
        _ => Err(format!("unsupported modifier ({chs}) in substitution")),
    }
}

/// Completes a `${…}` frame whose closing character was just read.
fn finish_frame(
    done: Level,
    stack: &mut Vec<Level>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>, String> {
    let word = done.buf;
    match done.frame {
        Frame::Top | Frame::DoubleQuote => Ok(Some(word)),
        Frame::Pattern { name, all } => {
            stack.push(Level {
                frame: Frame::Replacement {
                    name,
                    all,
                    pattern: word,
                },
                buf: String::new(),
                raw: true,
            });
            Ok(None)
        }
        Frame::Replacement { name, all, pattern } => {
            let value = lookup(&name).unwrap_or_default();
            let glob = Glob::compile(&pattern)
                .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
            glob.replace(&value, &word, all)
                .map(Some)
                .ok_or_else(|| TOO_LONG.to_string())
        }
        Frame::Modifier {
            name,
            op,
            chs,
            null_is_unset,
        } => {
            let value = lookup(&name);
            let set = value.is_some();
            let value = value.unwrap_or_default();
            let unset_or_null = !set || (null_is_unset && value.is_empty());
            match op {
                '-' => Ok(Some(if unset_or_null { word } else { value })),
                '+' => Ok(Some(if unset_or_null { String::new() } else { word })),
                '?' => {
                    if !set {
                        let m = if word.is_empty() {
                            "is not allowed to be unset".to_string()
                        } else {
                            word
                        };
                        return Err(format!("{name}: {m}"));
                    }
                    if null_is_unset && value.is_empty() {
                        let m = if word.is_empty() {
                            "is not allowed to be empty".to_string()
                        } else {
                            word
                        };
                        return Err(format!("{name}: {m}"));
                    }
                    Ok(Some(value))
                }
                '#' | '%' => {
                    let (greedy, pat) = match word.strip_prefix(op) {
                        Some(p) => (true, p.to_string()),
                        None => (false, word),
                    };
                    let glob = Glob::compile(&pat)
                        .map_err(|e| format!("invalid pattern ({pat}) in substitution: {e}"))?;
                    Ok(Some(if op == '#' {
                        glob.trim_prefix(&value, greedy)
                    } else {
                        glob.trim_suffix(&value, greedy)
                    }))
                }
                _ => Err(format!("unsupported modifier ({chs}) in substitution")),
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Tok {
    Star,
    Any,
    Lit(char),
}

/// A shell pattern (`*`, `?`, `\*`, `\?`, `\\`) as used by `${v#p}`, `${v%p}`, `${v/p/r}`.
/// Matched by NFA simulation (O(len·pattern)) instead of Go's regexp translation; greedy means
/// longest match, non-greedy shortest, which is what the regexps produce for such patterns.
struct Glob(Vec<Tok>);

impl Glob {
    fn compile(p: &str) -> Result<Glob, String> {
        let mut toks = Vec::new();
        let mut it = p.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '*' => toks.push(Tok::Star),
                '?' => toks.push(Tok::Any),
                '\\' => {
                    if matches!(it.peek(), Some('}' | '/')) {
                        continue;
                    }
                    match it.next() {
                        Some(e @ ('*' | '?' | '\\')) => toks.push(Tok::Lit(e)),
                        other => {
                            return Err(format!(
                                "invalid escape '\\{}'",
                                other.unwrap_or('\u{fffd}')
                            ));
                        }
                    }
                }
                c => toks.push(Tok::Lit(c)),
            }
        }
        Ok(Glob(toks))
    }

    /// Closure over stars: positions reachable without consuming input.
    fn close(&self, set: &mut [bool]) {
        for j in 0..self.0.len() {
            if set.get(j).copied().unwrap_or(false)
                && self.0.get(j) == Some(&Tok::Star)
                && let Some(s) = set.get_mut(j + 1)
            {
                *s = true;
            }
        }
    }

    /// Lengths (in chars) of the prefixes of `v` the pattern matches entirely: (shortest, longest).
    fn prefix_matches(&self, v: &[char]) -> Option<(usize, usize)> {
        let m = self.0.len();
        let mut cur = vec![false; m + 1];
        if let Some(s) = cur.first_mut() {
            *s = true;
        }
        self.close(&mut cur);
        let mut first = None;
        let mut last = None;
        if cur.get(m) == Some(&true) {
            first = Some(0);
            last = Some(0);
        }
        for (i, &c) in v.iter().enumerate() {
            let mut next = vec![false; m + 1];
            let mut any = false;
            for (j, tok) in self.0.iter().enumerate() {
                if !cur.get(j).copied().unwrap_or(false) {
                    continue;
                }
                let (target, ok) = match tok {
                    Tok::Star => (j, c != '\n'),
                    Tok::Any => (j + 1, c != '\n'),
                    Tok::Lit(l) => (j + 1, *l == c),
                };
                if ok && let Some(s) = next.get_mut(target) {
                    *s = true;
                    any = true;
                }
            }
            if !any {
                break;
            }
            self.close(&mut next);
            if next.get(m) == Some(&true) {
                first.get_or_insert(i + 1);
                last = Some(i + 1);
            }
            cur = next;
        }
        first.zip(last)
    }

    fn trim_prefix(&self, value: &str, greedy: bool) -> String {
        let v: Vec<char> = value.chars().collect();
        match self.prefix_matches(&v) {
            Some((short, long)) => {
                let cut = if greedy { long } else { short };
                v.get(cut..).unwrap_or(&[]).iter().collect()
            }
            None => value.to_string(),
        }
    }

    fn trim_suffix(&self, value: &str, greedy: bool) -> String {
        let rev = Glob(self.0.iter().rev().copied().collect());
        let v: Vec<char> = value.chars().rev().collect();
        match rev.prefix_matches(&v) {
            Some((short, long)) => {
                let cut = if greedy { long } else { short };
                let keep = v.len().saturating_sub(cut);
                value.chars().take(keep).collect()
            }
            None => value.to_string(),
        }
    }

    fn replace(&self, value: &str, replacement: &str, all: bool) -> Option<String> {
        let v: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i <= v.len() {
            let found = (i..=v.len()).find_map(|s| {
                self.prefix_matches(v.get(s..).unwrap_or(&[]))
                    .map(|(_, long)| (s, long))
            });
            let Some((start, len)) = found else {
                break;
            };
            out.extend(v.get(i..start).unwrap_or(&[]));
            if out.len() + replacement.len() > crate::limits::MAX_EXPANDED_BYTES {
                return None;
            }
            out.push_str(replacement);
            i = start + len;
            if !all {
                break;
            }
            if len == 0 {
                // Empty match: copy one character and move on, like Go's ReplaceAll.
                if let Some(c) = v.get(i) {
                    out.push(*c);
                }
                i += 1;
            }
        }
        out.extend(v.get(i.min(v.len())..).unwrap_or(&[]));
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn kinds(text: &str) -> Vec<InstructionKind> {
        parse(text)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .instructions
            .into_iter()
            .map(|i| i.kind)
            .collect()
    }

    fn one(text: &str) -> InstructionKind {
        let all = kinds(&format!("FROM scratch\n{text}\n"));
        all.into_iter().nth(1).expect("second instruction")
    }

    #[test]
    fn basic_file() {
        let text = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nRUN echo building && echo more\nCMD [\"sleep\", \"3600\"]\n";
        let df = parse(text).unwrap();
        let originals: Vec<&str> = df
            .instructions
            .iter()
            .map(|i| i.original.as_str())
            .collect();
        assert_eq!(
            originals,
            [
                "FROM scratch",
                "COPY busybox /bin/busybox",
                "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]",
                "RUN echo building && echo more",
                "CMD [\"sleep\", \"3600\"]"
            ]
        );
        let lines: Vec<usize> = df.instructions.iter().map(|i| i.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5]);
        assert_eq!(
            df.instructions[2].kind,
            InstructionKind::Run(CommandForm::Exec(s(&[
                "/bin/busybox",
                "--install",
                "-s",
                "/bin"
            ])))
        );
        assert_eq!(
            df.instructions[3].kind,
            InstructionKind::Run(CommandForm::Shell("echo building && echo more".into()))
        );
        assert_eq!(df.escape, '\\');
    }

    #[test]
    fn instruction_forms() {
        use InstructionKind as K;
        let cases: Vec<(&str, InstructionKind)> = vec![
            ("run echo hi", K::Run(CommandForm::Shell("echo hi".into()))),
            ("RUN", K::Run(CommandForm::Shell(String::new()))),
            ("RUN []", K::Run(CommandForm::Exec(vec![]))),
            (
                "RUN [\"a\" , \"b\"]  ",
                K::Run(CommandForm::Exec(s(&["a", "b"]))),
            ),
            (
                "RUN [\"a\", \"b\"",
                K::Run(CommandForm::Shell("[\"a\", \"b\"".into())),
            ),
            ("RUN ['a']", K::Run(CommandForm::Shell("['a']".into()))),
            (
                "RUN [\"a\"] x",
                K::Run(CommandForm::Shell("[\"a\"] x".into())),
            ),
            (
                "RUN [\"\\u00e9\\n\"]",
                K::Run(CommandForm::Exec(s(&["é\n"]))),
            ),
            (
                "RUN [\"\\ud83d\\ude00\"]",
                K::Run(CommandForm::Exec(s(&["😀"]))),
            ),
            ("RUN [1e999]", K::Run(CommandForm::Shell("[1e999]".into()))),
            (
                "RUN --mount=type=cache,target=/x make",
                K::Run(CommandForm::Shell("make".into())),
            ),
            (
                "CMD [\"node\", \"server.js\"]",
                K::Cmd(CommandForm::Exec(s(&["node", "server.js"]))),
            ),
            (
                "ENTRYPOINT exec app",
                K::Entrypoint(CommandForm::Shell("exec app".into())),
            ),
            ("WORKDIR /app", K::Workdir("/app".into())),
            ("WORKDIR /my dir", K::Workdir("/my dir".into())),
            ("USER node:node", K::User("node:node".into())),
            (
                "ENV A=1 B=\"two words\"",
                K::Env(vec![
                    ("A".into(), "1".into()),
                    ("B".into(), "\"two words\"".into()),
                ]),
            ),
            (
                "ENV A the value",
                K::Env(vec![("A".into(), "the value".into())]),
            ),
            ("ENV A=", K::Env(vec![("A".into(), String::new())])),
            ("ENV A=a\\ b", K::Env(vec![("A".into(), "a\\ b".into())])),
            (
                "LABEL a=b \"c d\"=\"e f\"",
                K::Label(vec![
                    ("a".into(), "b".into()),
                    ("\"c d\"".into(), "\"e f\"".into()),
                ]),
            ),
            (
                "LABEL version 1.0",
                K::Label(vec![("version".into(), "1.0".into())]),
            ),
            (
                "EXPOSE 8080 80/tcp 443",
                K::Expose(s(&["443", "80/tcp", "8080"])),
            ),
            ("ARG V", K::Arg(vec![("V".into(), None)])),
            (
                "ARG V=1 W",
                K::Arg(vec![("V".into(), Some("1".into())), ("W".into(), None)]),
            ),
            ("ARG V=", K::Arg(vec![("V".into(), Some(String::new()))])),
            (
                "ARG V=\"a b\"",
                K::Arg(vec![("V".into(), Some("\"a b\"".into()))]),
            ),
            ("VOLUME /data /logs", K::Volume(s(&["/data", "/logs"]))),
            ("VOLUME [\"/data\"]", K::Volume(s(&["/data"]))),
            (
                "SHELL [\"/bin/bash\", \"-c\"]",
                K::Shell(s(&["/bin/bash", "-c"])),
            ),
            ("STOPSIGNAL SIGTERM", K::StopSignal("SIGTERM".into())),
            ("MAINTAINER me <me@x>", K::Maintainer("me <me@x>".into())),
            (
                "HEALTHCHECK NONE",
                K::Healthcheck {
                    test: s(&["NONE"]),
                    options: vec![],
                },
            ),
            (
                "HEALTHCHECK --interval=5s CMD curl -f http://x/",
                K::Healthcheck {
                    test: s(&["CMD-SHELL", "curl -f http://x/"]),
                    options: vec![("interval".into(), "5s".into())],
                },
            ),
            (
                "HEALTHCHECK cmd [\"true\"]",
                K::Healthcheck {
                    test: s(&["CMD", "true"]),
                    options: vec![],
                },
            ),
            ("ONBUILD RUN make", K::Onbuild("RUN make".into())),
            ("  onbuild   COPY . /src", K::Onbuild("COPY . /src".into())),
        ];
        for (text, want) in cases {
            assert_eq!(one(text), want, "{text}");
        }
    }

    #[test]
    fn copy_add_and_from() {
        use InstructionKind as K;
        assert_eq!(
            one("COPY --from=build --chown=1000:1000 --chmod=755 --link a b /dst/"),
            K::Copy {
                sources: s(&["a", "b"]),
                dest: "/dst/".into(),
                from: Some("build".into()),
                chown: Some("1000:1000".into()),
                chmod: Some("755".into()),
                link: true,
            }
        );
        assert_eq!(
            one("COPY [\"a b\", \"/c d/\"]"),
            K::Copy {
                sources: s(&["a b"]),
                dest: "/c d/".into(),
                from: None,
                chown: None,
                chmod: None,
                link: false,
            }
        );
        assert_eq!(
            one("ADD --chown=\"u g\" --link=false x.tar.gz /"),
            K::Add {
                sources: s(&["x.tar.gz"]),
                dest: "/".into(),
                chown: Some("u g".into()),
                chmod: None,
                link: false,
            }
        );
        assert_eq!(
            kinds("FROM --platform=linux/amd64 node:20 AS Build\n")[0],
            K::From {
                image: "node:20".into(),
                alias: Some("build".into()),
                platform: Some("linux/amd64".into()),
            }
        );
        assert_eq!(
            kinds("from node as b\n")[0],
            K::From {
                image: "node".into(),
                alias: Some("b".into()),
                platform: None
            }
        );
        assert_eq!(
            kinds("ARG V=20\nFROM node:${V}\n")[1],
            K::From {
                image: "node:${V}".into(),
                alias: None,
                platform: None
            }
        );
    }

    #[test]
    fn comments_continuations_directives() {
        let text = "# syntax=docker/dockerfile:1\n# a comment\n\nFROM alpine\n  # indented comment\nRUN apk add \\\n    curl \\\n# comment inside\n\n    git\nRUN echo a\\\\\nRUN echo '#not a comment'\n";
        let df = parse(text).unwrap();
        let got: Vec<(usize, &str)> = df
            .instructions
            .iter()
            .map(|i| (i.line, i.original.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (4, "FROM alpine"),
                (6, "RUN apk add     curl     git"),
                (11, "RUN echo a\\\\"),
                (12, "RUN echo '#not a comment'"),
            ]
        );
        // Backtick escape directive (Windows style).
        let df = parse("# escape=`\nFROM x\nRUN a `\n  b\nCOPY c:\\dir d\n").unwrap();
        assert_eq!(df.escape, '`');
        assert_eq!(df.instructions[1].original, "RUN a   b");
        assert_eq!(
            df.instructions[2].kind,
            InstructionKind::Copy {
                sources: s(&["c:\\dir"]),
                dest: "d".into(),
                from: None,
                chown: None,
                chmod: None,
                link: false
            }
        );
        // A directive after a comment is just a comment: backslash stays the escape.
        let df = parse("# hello\n# escape=`\nFROM x\n").unwrap();
        assert_eq!(df.escape, '\\');
        // CRLF line endings and a BOM.
        let df = parse("\u{feff}FROM x\r\nRUN a \\\r\n b\r\n").unwrap();
        assert_eq!(df.instructions[1].original, "RUN a  b");
        // Continuation at end of file.
        let df = parse("FROM x\nRUN a \\").unwrap();
        assert_eq!(df.instructions[1].original, "RUN a");
        // A lone escape line continues too.
        let df = parse("FROM x\nRUN a\\\n\\\n b\n").unwrap();
        assert_eq!(df.instructions[1].original, "RUN a b");
    }

    fn error_of(text: &str) -> DockerfileError {
        match parse(text) {
            Ok(d) => panic!("{text:?} parsed: {d:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn error_messages() {
        // (dockerfile, buildkit text, legacy text)
        let cases: Vec<(&str, &str, &str)> = vec![
            (
                "",
                "the Dockerfile cannot be empty",
                "the Dockerfile (Dockerfile) cannot be empty",
            ),
            (
                "\n\n# only a comment\n",
                "file with no instructions",
                "failed to parse Dockerfile: file with no instructions",
            ),
            (
                "FROM scratch\nFOO bar\n",
                "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)",
                "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)",
            ),
            (
                "FROM x\nfoo\n",
                "dockerfile parse error on line 2: unknown instruction: foo (did you mean from?)",
                "dockerfile parse error on line 2: unknown instruction: foo (did you mean from?)",
            ),
            (
                "FROM x\nRUNN a\n",
                "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)",
                "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)",
            ),
            (
                "FROM x\nCPY a b\n",
                "dockerfile parse error on line 2: unknown instruction: CPY (did you mean COPY?)",
                "dockerfile parse error on line 2: unknown instruction: CPY (did you mean COPY?)",
            ),
            (
                "FROM x\nXYZZYQ a\n",
                "dockerfile parse error on line 2: unknown instruction: XYZZYQ",
                "dockerfile parse error on line 2: unknown instruction: XYZZYQ",
            ),
            (
                "RUN echo\n",
                "no build stage in current context",
                "no build stage in current context",
            ),
            (
                "ARG A\nARG B=1\n",
                "dockerfile contains no stages to build",
                "No image was generated. Is your Dockerfile empty?",
            ),
            (
                "FROM\n",
                "dockerfile parse error on line 1: FROM requires either one or three arguments",
                "dockerfile parse error on line 1: FROM requires either one or three arguments",
            ),
            (
                "FROM a b\n",
                "dockerfile parse error on line 1: FROM requires either one or three arguments",
                "dockerfile parse error on line 1: FROM requires either one or three arguments",
            ),
            (
                "FROM a AS 1x\n",
                "dockerfile parse error on line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
                "dockerfile parse error on line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols",
            ),
            (
                "FROM x\nCOPY a\n",
                "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined",
                "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            (
                "FROM x\nADD\n",
                "dockerfile parse error on line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined",
                "dockerfile parse error on line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined",
            ),
            (
                "FROM x\nENV\n",
                "dockerfile parse error on line 2: ENV requires at least one argument",
                "dockerfile parse error on line 2: ENV requires at least one argument",
            ),
            (
                "FROM x\nLABEL\n",
                "dockerfile parse error on line 2: LABEL requires at least one argument",
                "dockerfile parse error on line 2: LABEL requires at least one argument",
            ),
            (
                "FROM x\nEXPOSE\n",
                "dockerfile parse error on line 2: EXPOSE requires at least one argument",
                "dockerfile parse error on line 2: EXPOSE requires at least one argument",
            ),
            (
                "ARG\n",
                "dockerfile parse error on line 1: ARG requires at least one argument",
                "dockerfile parse error on line 1: ARG requires at least one argument",
            ),
            (
                "FROM x\nWORKDIR\n",
                "dockerfile parse error on line 2: WORKDIR requires exactly one argument",
                "dockerfile parse error on line 2: WORKDIR requires exactly one argument",
            ),
            (
                "FROM x\nUSER\n",
                "dockerfile parse error on line 2: USER requires exactly one argument",
                "dockerfile parse error on line 2: USER requires exactly one argument",
            ),
            (
                "FROM x\nENV A\n",
                "ENV must have two arguments",
                "failed to parse Dockerfile: ENV must have two arguments",
            ),
            (
                "FROM x\nLABEL a\n",
                "LABEL must have two arguments",
                "failed to parse Dockerfile: LABEL must have two arguments",
            ),
            (
                "FROM x\nENV A=1 B\n",
                "Syntax error - can't find = in \"B\". Must be of the form: name=value",
                "failed to parse Dockerfile: Syntax error - can't find = in \"B\". Must be of the form: name=value",
            ),
            (
                "FROM x\nENV =1\n",
                "dockerfile parse error on line 2: ENV names can not be blank",
                "dockerfile parse error on line 2: ENV names can not be blank",
            ),
            (
                "ARG =1\n",
                "dockerfile parse error on line 1: ARG names can not be blank",
                "dockerfile parse error on line 1: ARG names can not be blank",
            ),
            (
                "FROM x\nRUN [\"a\", 1]\n",
                "when using JSON array syntax, arrays must be comprised of strings only",
                "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only",
            ),
            (
                "FROM x\nCMD [[\"a\"]]\n",
                "when using JSON array syntax, arrays must be comprised of strings only",
                "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only",
            ),
            (
                "FROM x\nSHELL /bin/bash -c\n",
                "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form",
                "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form",
            ),
            (
                "FROM x\nSHELL []\n",
                "dockerfile parse error on line 2: SHELL requires at least one argument",
                "dockerfile parse error on line 2: SHELL requires at least one argument",
            ),
            (
                "FROM x\nCOPY --chwon=1 a b\n",
                "dockerfile parse error on line 2: unknown flag: --chwon (did you mean chown?)",
                "dockerfile parse error on line 2: unknown flag: --chwon (did you mean chown?)",
            ),
            (
                "FROM x\nCOPY --frm=a a b\n",
                "dockerfile parse error on line 2: unknown flag: --frm (did you mean from?)",
                "dockerfile parse error on line 2: unknown flag: --frm (did you mean from?)",
            ),
            (
                "FROM x\nENV --x=1 A=1\n",
                "dockerfile parse error on line 2: unknown flag: --x",
                "dockerfile parse error on line 2: unknown flag: --x",
            ),
            (
                "FROM x\nCOPY --from a b\n",
                "dockerfile parse error on line 2: missing a value on flag: --from",
                "dockerfile parse error on line 2: missing a value on flag: --from",
            ),
            (
                "FROM x\nCOPY --link=maybe a b\n",
                "dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe",
                "dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe",
            ),
            (
                "FROM x\nCOPY --link= a b\n",
                "dockerfile parse error on line 2: missing a value on flag: --link",
                "dockerfile parse error on line 2: missing a value on flag: --link",
            ),
            (
                "FROM x\nCOPY --from=a --from=b a b\n",
                "dockerfile parse error on line 2: duplicate flag specified: --from",
                "dockerfile parse error on line 2: duplicate flag specified: --from",
            ),
            (
                "FROM x\nONBUILD ONBUILD RUN x\n",
                "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            ),
            (
                "FROM x\nONBUILD from y\n",
                "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger",
                "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger",
            ),
            (
                "FROM x\nONBUILD\n",
                "dockerfile parse error on line 2: ONBUILD requires at least one argument",
                "dockerfile parse error on line 2: ONBUILD requires at least one argument",
            ),
            (
                "FROM x\nHEALTHCHECK NONE x\n",
                "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments",
                "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments",
            ),
            (
                "FROM x\nHEALTHCHECK CMD\n",
                "dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD",
                "dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD",
            ),
            (
                "FROM x\nHEALTHCHECK foo bar\n",
                "dockerfile parse error on line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)",
                "dockerfile parse error on line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)",
            ),
            (
                "FROM x\nHEALTHCHECK\n",
                "dockerfile parse error on line 2: HEALTHCHECK requires at least one argument",
                "dockerfile parse error on line 2: HEALTHCHECK requires at least one argument",
            ),
            (
                "FROM x\nSTOPSIGNAL\n",
                "dockerfile parse error on line 2: STOPSIGNAL requires exactly one argument",
                "dockerfile parse error on line 2: STOPSIGNAL requires exactly one argument",
            ),
            (
                "# escape=x\nFROM a\n",
                "invalid escape token 'x' does not match ` or \\",
                "failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\",
            ),
            (
                "# escape=`\n# escape=\\\nFROM a\n",
                "only one escape parser directive can be used",
                "failed to parse Dockerfile: only one escape parser directive can be used",
            ),
            // AST errors anywhere beat instruction errors on earlier lines.
            (
                "FROM x\nFOO\nRUN [\"a\", true]\n",
                "when using JSON array syntax, arrays must be comprised of strings only",
                "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only",
            ),
            // Instruction errors come in file order, before the stage check of later lines.
            (
                "RUN x\nFOO\n",
                "no build stage in current context",
                "no build stage in current context",
            ),
            (
                "FOO\nRUN x\n",
                "dockerfile parse error on line 1: unknown instruction: FOO (did you mean FROM?)",
                "dockerfile parse error on line 1: unknown instruction: FOO (did you mean FROM?)",
            ),
            // The line is where the instruction starts.
            (
                "FROM x\nRUN a \\\n b\nBAD \\\n x\n",
                "dockerfile parse error on line 4: unknown instruction: BAD (did you mean ADD?)",
                "dockerfile parse error on line 4: unknown instruction: BAD (did you mean ADD?)",
            ),
        ];
        for (text, bk, legacy) in cases {
            let e = error_of(text);
            assert_eq!(e.buildkit_message(), bk, "{text:?}");
            assert_eq!(e.legacy_message(), legacy, "{text:?}");
        }
        assert_eq!(
            error_of("").legacy_message_for("Dockerfile.dev"),
            "the Dockerfile (Dockerfile.dev) cannot be empty"
        );
        assert_eq!(error_of("FROM x\nFOO\n").line, 2);
        assert_eq!(
            error_of("FROM x\nFOO\n").kind,
            DockerfileErrorKind::UnknownInstruction("FOO".into())
        );
    }

    #[test]
    fn long_line() {
        let text = format!("FROM x\nRUN {}\n", "a".repeat(MAX_LINE));
        assert_eq!(
            error_of(&text).buildkit_message(),
            "dockerfile line greater than max allowed size of 65535"
        );
        let text = format!("RUN {}\n", "a".repeat(MAX_LINE));
        assert_eq!(
            error_of(&text).buildkit_message(),
            "file with no instructions"
        );
    }

    #[test]
    fn names_and_argv() {
        assert_eq!(one("copy a b").name(), "COPY");
        assert_eq!(one("ONBUILD RUN x").name(), "ONBUILD");
        assert_eq!(kinds("FROM x")[0].name(), "FROM");
        let shell = CommandForm::Shell("echo hi".into());
        assert_eq!(shell.to_argv(&[]), s(&["/bin/sh", "-c", "echo hi"]));
        assert_eq!(
            shell.to_argv(&s(&["/bin/bash", "-o", "pipefail", "-c"])),
            s(&["/bin/bash", "-o", "pipefail", "-c", "echo hi"])
        );
        assert_eq!(
            CommandForm::Exec(s(&["a", "b"])).to_argv(&[]),
            s(&["a", "b"])
        );
    }

    #[test]
    fn flags_kept_raw() {
        let df = parse("FROM x\nRUN --mount=type=cache,target=/root/.npm --network=none npm ci\n")
            .unwrap();
        assert_eq!(
            df.instructions[1].flags,
            s(&["--mount=type=cache,target=/root/.npm", "--network=none"])
        );
        assert_eq!(
            df.instructions[1].original,
            "RUN --mount=type=cache,target=/root/.npm --network=none npm ci"
        );
        // `--` ends the flags.
        let df = parse("FROM x\nCOPY -- --weird /d\n").unwrap();
        assert_eq!(
            df.instructions[1].kind,
            InstructionKind::Copy {
                sources: s(&["--weird"]),
                dest: "/d".into(),
                from: None,
                chown: None,
                chmod: None,
                link: false
            }
        );
    }

    fn env(name: &str) -> Option<String> {
        match name {
            "HOME" => Some("/root".into()),
            "EMPTY" => Some(String::new()),
            "V" => Some("1.2.3".into()),
            "FILE" => Some("archive.tar.gz".into()),
            "P" => Some("a/b/c".into()),
            _ => None,
        }
    }

    #[test]
    fn expansion() {
        let cases: Vec<(&str, &str)> = vec![
            ("$HOME", "/root"),
            ("${HOME}/x", "/root/x"),
            ("$HOME/x", "/root/x"),
            ("$NOPE-x", "-x"),
            ("${NOPE:-def}", "def"),
            ("${EMPTY:-def}", "def"),
            ("${EMPTY-def}", ""),
            ("${HOME:-def}", "/root"),
            ("${NOPE-def}", "def"),
            ("${HOME:+alt}", "alt"),
            ("${EMPTY:+alt}", ""),
            ("${EMPTY+alt}", "alt"),
            ("${NOPE:+alt}", ""),
            ("\\$HOME", "$HOME"),
            ("'$HOME'", "$HOME"),
            ("\"$HOME\"", "/root"),
            ("\"a b\"", "a b"),
            ("a\\ b", "a b"),
            ("\"\\$HOME \\\" \\x\"", "$HOME \" \\x"),
            ("$", "$"),
            ("a$", "a$"),
            ("$1", ""),
            ("${NOPE:-${HOME}}", "/root"),
            ("${NOPE:-\"x y\"}", "x y"),
            ("${NOPE:-${ALSO:-${HOME}/d}}", "/root/d"),
            ("\"${NOPE:-a}b\"", "ab"),
            ("${FILE%.tar.gz}", "archive"),
            ("${FILE%%.*}", "archive"),
            ("${FILE%.*}", "archive.tar"),
            ("${FILE#*.}", "tar.gz"),
            ("${FILE##*.}", "gz"),
            ("${P/\\//-}", "a-b/c"),
            ("${P//\\//-}", "a-b-c"),
            ("${V//./_}", "1_2_3"),
            ("${NOPE?}", "${NOPE?}"), // error -> unchanged via expand
            ("trailing\\", "trailing"),
        ];
        for (word, want) in cases {
            assert_eq!(expand(word, &env), want, "{word}");
        }
    }

    #[test]
    fn expansion_errors() {
        let cases: Vec<(&str, &str)> = vec![
            (
                "\"abc",
                "failed to process \"\\\"abc\": unexpected end of statement while looking for matching double-quote",
            ),
            (
                "'abc",
                "failed to process \"'abc\": unexpected end of statement while looking for matching single-quote",
            ),
            ("${", "failed to process \"${\": syntax error: missing '}'"),
            (
                "${}",
                "failed to process \"${}\": syntax error: bad substitution",
            ),
            (
                "${HOME",
                "failed to process \"${HOME\": unsupported modifier (\u{fffd}) in substitution",
            ),
            (
                "${HOME:-x",
                "failed to process \"${HOME:-x\": syntax error: missing '}'",
            ),
            (
                "${NOPE:-\"x}",
                "failed to process \"${NOPE:-\\\"x}\": syntax error: missing '}'",
            ),
            (
                "${HOME x}",
                "failed to process \"${HOME x}\": unsupported modifier ( ) in substitution",
            ),
            (
                "${HOME:#x}",
                "failed to process \"${HOME:#x}\": unsupported modifier (:#) in substitution",
            ),
            (
                "${HOME:x}",
                "failed to process \"${HOME:x}\": unsupported modifier (:x) in substitution",
            ),
            (
                "${NOPE?}",
                "failed to process \"${NOPE?}\": NOPE: is not allowed to be unset",
            ),
            (
                "${NOPE?need it}",
                "failed to process \"${NOPE?need it}\": NOPE: need it",
            ),
            (
                "${EMPTY:?}",
                "failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty",
            ),
            (
                "${P/x",
                "failed to process \"${P/x\": syntax error: missing '/' in ${}",
            ),
            (
                "${P#\\a}",
                "failed to process \"${P#\\\\a}\": invalid pattern (\\a) in substitution: invalid escape '\\a'",
            ),
        ];
        for (word, want) in cases {
            assert_eq!(
                try_expand(word, '\\', &env),
                Err(want.to_string()),
                "{word}"
            );
        }
        assert_eq!(try_expand("`$HOME", '`', &env), Ok("$HOME".to_string()));
        assert_eq!(try_expand("a\\b", '`', &env), Ok("a\\b".to_string()));
    }

    #[test]
    fn word_splitting_helpers() {
        assert_eq!(
            parse_words("a \"b c\" 'd e' f\\ g", '\\'),
            s(&["a", "\"b c\"", "'d e'", "f\\ g"])
        );
        assert_eq!(parse_words("k=\"\" x", '\\'), s(&["k=\"\"", "x"]));
        assert_eq!(
            extract_builder_flags("--a=1 --b \"--c=x y\" rest of it", '\\'),
            ("\"--c=x y\" rest of it".to_string(), s(&["--a=1", "--b"]))
        );
        assert_eq!(
            extract_builder_flags("--a=\"x y\" z", '\\'),
            ("z".to_string(), s(&["--a=x y"]))
        );
        assert_eq!(
            extract_builder_flags("--a", '\\'),
            (String::new(), s(&["--a"]))
        );
        assert_eq!(
            extract_builder_flags("- x", '\\'),
            ("- x".to_string(), vec![])
        );
        assert_eq!(split_ws("a \t b  c", false), s(&["a", "b", "c"]));
        assert_eq!(split_ws("a \t b  c", true), s(&["a", "b  c"]));
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(go_quote("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\x01\"");
    }

    #[test]
    fn never_panics_and_handles_depth() {
        let deep = format!("FROM x\nRUN {}\n", "[".repeat(60_000));
        assert_eq!(
            parse(&deep).unwrap().instructions[1].kind,
            InstructionKind::Run(CommandForm::Shell("[".repeat(60_000)))
        );
        let deep_ok = format!("FROM x\nCMD [{}{}]\n", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(error_of(&deep_ok).kind, DockerfileErrorKind::JsonNotStrings);
        let nested = format!("{}{}", "${A:-".repeat(50_000), "}".repeat(50_000));
        assert_eq!(try_expand(&nested, '\\', &env), Ok(String::new()));
        for t in [
            "\\",
            "`",
            "#",
            "# escape=",
            "FROM",
            "FROM x\n\\\n",
            "FROM x\nRUN [\"\\u",
            "FROM x\nRUN [\"\\ud800\"]",
            "FROM x\n--\n",
            "FROM x\nCOPY --",
            "FROM x\nCOPY \"",
            "FROM x\nENV \"",
            "FROM x\nENV a=\"\\",
            "FROM x\nONBUILD --x",
            "FROM x\nHEALTHCHECK --interval",
            "é",
            "FROM é\nÉ é",
        ] {
            let _ = parse(t);
        }
        for w in [
            "${", "$", "${:", "${a/", "${a//", "${a#", "\"$", "\"${a:-'", "${a/*/x}", "\\",
        ] {
            let _ = try_expand(w, '\\', &env);
        }
    }
}
