//! Go's text/template, as `--format` and `inspect -f` use it: actions with pipelines (`{{.A | printf
//! "%s"}}`), parenthesised sub-pipelines, variables, `if`/`else`/`range`/`with`, literals, Go's builtins
//! (`printf`, `index`, `slice`, `len`, `eq`, `and`, `not`, …) and the Docker CLI's own functions (`json`,
//! `join`, `split`, `title`, `upper`, `lower`, `pad`, `truncate`), with Go's error texts.
//!
//! Why a real interpreter: learners copy format strings from documentation and answers, and a template
//! that silently prints nothing (or `<no value>`) where Docker prints a value or an error teaches the wrong
//! thing. Values are decoded JSON, as in the CLI's raw fallback for `inspect` (numbers print as written).

use serde_json::Value;
use std::fmt::Write as _;

/// How a missing field behaves: `Lenient` walks maps (missing → `<no value>`); `MissingKey` is `inspect`'s
/// `missingkey=error` (`map has no entry for key "State"`); `Strict` formats typed listing contexts, where a
/// missing field is an execution error naming the Go type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    Lenient,
    MissingKey,
    Strict(&'static str),
}

/// A template error, with the text Docker prints and whether it happened while parsing.
/// A user `--format` other than the default table (empty and `table` mean the table).
pub fn custom(format: &Option<String>) -> Option<&str> {
    format.as_deref().filter(|f| !f.is_empty() && *f != "table")
}

/// A template failure as a command ends with it: the message and the CLI's exit code (64 for a parse
/// error, 1 for one while executing).
pub fn formatted(result: Result<String, TemplateError>) -> Result<String, (String, i32)> {
    result.map_err(|e| (e.message, if e.parsing { 64 } else { 1 }))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    pub parsing: bool,
}

fn parse_error(msg: impl Into<String>) -> TemplateError {
    TemplateError {
        message: format!("template parsing error: template: :1: {}", msg.into()),
        parsing: true,
    }
}

// ---------------------------------------------------------------- parse tree

#[derive(Clone, Debug)]
enum Node {
    Text(String),
    Action(Pipe),
    If(Pipe, Vec<Node>, Vec<Node>),
    Range(Pipe, Vec<Node>, Vec<Node>),
    With(Pipe, Vec<Node>, Vec<Node>),
}

#[derive(Clone, Debug)]
struct Pipe {
    decl: Vec<String>,
    cmds: Vec<Cmd>,
}

#[derive(Clone, Debug)]
struct Cmd {
    args: Vec<Arg>,
    pos: usize,
}

#[derive(Clone, Debug)]
enum Arg {
    /// `.A.B` (an empty chain is `.`), with the position Go reports for it.
    Field(Vec<String>, usize),
    /// `$x.A` (`$` alone is the root).
    Var(String, Vec<String>, usize),
    Ident(String, usize),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Sub(Box<Pipe>, Vec<String>, usize),
}

impl Arg {
    fn text(&self) -> String {
        match self {
            Arg::Field(chain, _) if chain.is_empty() => ".".into(),
            Arg::Field(chain, _) => chain.iter().map(|c| format!(".{c}")).collect(),
            Arg::Var(name, chain, _) => {
                format!(
                    "{name}{}",
                    chain.iter().map(|c| format!(".{c}")).collect::<String>()
                )
            }
            Arg::Ident(name, _) => name.clone(),
            Arg::Str(s) => format!("{s:?}"),
            Arg::Int(i) => i.to_string(),
            Arg::Float(f) => f.to_string(),
            Arg::Bool(b) => b.to_string(),
            Arg::Nil => "nil".into(),
            Arg::Sub(p, chain, _) => format!(
                "({}){}",
                pipe_text(p),
                chain.iter().map(|c| format!(".{c}")).collect::<String>()
            ),
        }
    }
}

fn pipe_text(p: &Pipe) -> String {
    let cmds: Vec<String> = p
        .cmds
        .iter()
        .map(|c| c.args.iter().map(Arg::text).collect::<Vec<_>>().join(" "))
        .collect();
    let body = cmds.join(" | ");
    if p.decl.is_empty() {
        body
    } else {
        format!("{} := {body}", p.decl.join(", "))
    }
}

const FUNCS: &[&str] = &[
    "and", "html", "index", "slice", "len", "not", "or", "print", "printf", "println", "urlquery",
    "eq", "ge", "gt", "le", "lt", "ne", "json", "split", "join", "title", "lower", "upper", "pad",
    "truncate",
];

// ---------------------------------------------------------------- lexer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Field(String),
    Var(String),
    Ident(String),
    Str(String),
    Num(String),
    Pipe,
    Open,
    Close,
    Declare,
    Comma,
}

/// Splits one action's body (between `{{` and `}}`) into tokens with absolute byte offsets.
fn lex(body: &str, base: usize) -> Result<Vec<(Tok, usize)>, TemplateError> {
    let b = body.as_bytes();
    let mut i = 0;
    let mut toks = Vec::new();
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'|' => {
                toks.push((Tok::Pipe, base + i));
                i += 1;
            }
            b'(' => {
                toks.push((Tok::Open, base + i));
                i += 1;
            }
            b')' => {
                toks.push((Tok::Close, base + i));
                i += 1;
            }
            b',' => {
                toks.push((Tok::Comma, base + i));
                i += 1;
            }
            b':' if b.get(i + 1) == Some(&b'=') => {
                toks.push((Tok::Declare, base + i));
                i += 2;
            }
            b'=' => {
                toks.push((Tok::Declare, base + i));
                i += 1;
            }
            b'"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(parse_error("unterminated quoted string")),
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => {
                            let esc = b.get(i + 1).copied().unwrap_or(b'\\');
                            s.push(match esc {
                                b'n' => '\n',
                                b't' => '\t',
                                b'r' => '\r',
                                other => other as char,
                            });
                            i += 2;
                        }
                        Some(_) => {
                            let ch = body[i..].chars().next().unwrap_or(' ');
                            s.push(ch);
                            i += ch.len_utf8();
                        }
                    }
                }
                toks.push((Tok::Str(s), base + start));
            }
            b'`' => {
                let Some(end) = body[i + 1..].find('`') else {
                    return Err(parse_error("unterminated raw quoted string"));
                };
                toks.push((Tok::Str(body[i + 1..i + 1 + end].to_string()), base + start));
                i += end + 2;
            }
            b'.' | b'$' => {
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let word = body[start..i].to_string();
                if c == b'$' {
                    toks.push((Tok::Var(word), base + start));
                } else if word == "." && b.get(i).is_some_and(u8::is_ascii_digit) {
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    toks.push((Tok::Num(body[start..i].to_string()), base + start));
                } else {
                    toks.push((Tok::Field(word), base + start));
                }
            }
            b'0'..=b'9' | b'-' | b'+' => {
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_')
                {
                    i += 1;
                }
                toks.push((Tok::Num(body[start..i].to_string()), base + start));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                toks.push((Tok::Ident(body[start..i].to_string()), base + start));
            }
            _ => {
                let ch = body[i..].chars().next().unwrap_or(' ');
                return Err(parse_error(format!(
                    "bad character U+{:04X} '{ch}'",
                    ch as u32
                )));
            }
        }
    }
    Ok(toks)
}

// ---------------------------------------------------------------- parser

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.0)
    }

    fn pipe(&mut self, nested: bool) -> Result<Pipe, TemplateError> {
        let mut decl = Vec::new();
        // `$x :=` or `$i, $e :=`
        let save = self.i;
        let mut vars = Vec::new();
        while let Some(Tok::Var(v)) = self.peek() {
            vars.push(v.clone());
            self.i += 1;
            match self.peek() {
                Some(Tok::Comma) => self.i += 1,
                Some(Tok::Declare) => {
                    self.i += 1;
                    decl = vars.clone();
                    break;
                }
                _ => break,
            }
        }
        if decl.is_empty() {
            self.i = save;
        }
        let mut cmds = Vec::new();
        loop {
            let pos = self.toks.get(self.i).map_or(0, |t| t.1);
            let mut args = Vec::new();
            loop {
                match self.peek() {
                    None => break,
                    Some(Tok::Pipe) => break,
                    Some(Tok::Close) if nested => break,
                    Some(Tok::Close) => return Err(parse_error("unexpected right paren")),
                    _ => args.push(self.operand()?),
                }
            }
            if args.is_empty() {
                return Err(parse_error("missing value for command"));
            }
            cmds.push(Cmd { args, pos });
            if self.peek() == Some(&Tok::Pipe) {
                self.i += 1;
            } else {
                break;
            }
        }
        Ok(Pipe { decl, cmds })
    }

    fn chain(&mut self) -> (Vec<String>, Option<usize>) {
        let mut chain = Vec::new();
        let mut first = None;
        while let Some((Tok::Field(f), pos)) = self.toks.get(self.i) {
            if f == "." {
                break;
            }
            first.get_or_insert(*pos);
            chain.push(f[1..].to_string());
            self.i += 1;
        }
        (chain, first)
    }

    fn operand(&mut self) -> Result<Arg, TemplateError> {
        let Some((tok, pos)) = self.toks.get_mut(self.i).map(|(t, p)| {
            // Each token is read once: it is taken, not copied.
            (std::mem::replace(t, Tok::Comma), *p)
        }) else {
            return Err(parse_error("missing value for command"));
        };
        self.i += 1;
        Ok(match tok {
            Tok::Field(f) => {
                let mut chain = if f == "." {
                    Vec::new()
                } else {
                    vec![f[1..].to_string()]
                };
                let (more, at) = self.chain();
                chain.extend(more);
                Arg::Field(chain, at.unwrap_or(pos))
            }
            Tok::Var(v) => {
                let (chain, at) = self.chain();
                Arg::Var(v, chain, at.unwrap_or(pos))
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                "nil" => Arg::Nil,
                _ if FUNCS.contains(&name.as_str()) => Arg::Ident(name, pos),
                _ => return Err(parse_error(format!("function \"{name}\" not defined"))),
            },
            Tok::Str(s) => Arg::Str(s),
            Tok::Num(n) => {
                if let Ok(i) = n.parse::<i64>() {
                    Arg::Int(i)
                } else if let Ok(f) = n.parse::<f64>() {
                    Arg::Float(f)
                } else {
                    return Err(parse_error(format!("bad number syntax: \"{n}\"")));
                }
            }
            Tok::Open => {
                let p = self.pipe(true)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(parse_error("unclosed left paren"));
                }
                self.i += 1;
                let (chain, at) = self.chain();
                Arg::Sub(Box::new(p), chain, at.unwrap_or(pos))
            }
            Tok::Pipe | Tok::Close | Tok::Comma | Tok::Declare => {
                return Err(parse_error("unexpected token in operand"));
            }
        })
    }
}

/// One `{{ … }}` as read: its trimmed body, the body's offset and the trim markers.
enum Raw<'a> {
    Text(&'a str),
    Action(&'a str, usize),
}

fn split_actions(tpl: &str) -> Result<Vec<Raw<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(rel) = tpl[pos..].find("{{") {
        let start = pos + rel;
        let mut text = &tpl[pos..start];
        let mut body_start = start + 2;
        if tpl[body_start..].starts_with("- ") {
            text = text.trim_end();
            body_start += 1;
        }
        let Some(end_rel) = tpl[body_start..].find("}}") else {
            return Err(match tpl[body_start..].find('}') {
                Some(_) => parse_error("bad character U+007D '}'"),
                None => parse_error("unclosed action"),
            });
        };
        let mut body_end = body_start + end_rel;
        let mut next = body_end + 2;
        let mut trim_next = false;
        if tpl[..body_end].ends_with(" -") {
            body_end -= 1;
            trim_next = true;
        }
        if !text.is_empty() {
            out.push(Raw::Text(text));
        }
        let body = &tpl[body_start..body_end];
        let lead = body.len() - body.trim_start().len();
        out.push(Raw::Action(body.trim(), body_start + lead));
        if trim_next {
            next += tpl[next..].len() - tpl[next..].trim_start().len();
        }
        pos = next;
    }
    if pos < tpl.len() {
        out.push(Raw::Text(&tpl[pos..]));
    }
    Ok(out)
}

/// Parses a whole template into its tree.
fn parse(tpl: &str) -> Result<Vec<Node>, TemplateError> {
    let raws = split_actions(tpl)?;
    let mut i = 0;
    let (nodes, end) = parse_list(&raws, &mut i)?;
    match end {
        None => Ok(nodes),
        Some(kw) => Err(parse_error(format!("unexpected {{{{{kw}}}}}"))),
    }
}

/// Parses nodes up to an `{{else}}`/`{{end}}` (returned) or the end of input.
fn parse_list(
    raws: &[Raw<'_>],
    i: &mut usize,
) -> Result<(Vec<Node>, Option<String>), TemplateError> {
    let mut nodes = Vec::new();
    while *i < raws.len() {
        let raw = &raws[*i];
        *i += 1;
        let (body, off) = match raw {
            Raw::Text(t) => {
                nodes.push(Node::Text((*t).to_string()));
                continue;
            }
            Raw::Action(b, o) => (*b, *o),
        };
        if body.starts_with("/*") {
            continue;
        }
        let keyword = body.split_whitespace().next().unwrap_or("");
        match keyword {
            "end" => return Ok((nodes, Some("end".into()))),
            "else" => return Ok((nodes, Some(body.to_string()))),
            "if" | "range" | "with" => {
                let rest = &body[keyword.len()..];
                let pipe = parse_pipe(rest, off + keyword.len())?;
                let node = parse_block(keyword, pipe, raws, i)?;
                nodes.push(node);
            }
            _ => nodes.push(Node::Action(parse_pipe(body, off)?)),
        }
    }
    Ok((nodes, None))
}

fn parse_block(
    keyword: &str,
    pipe: Pipe,
    raws: &[Raw<'_>],
    i: &mut usize,
) -> Result<Node, TemplateError> {
    let (body, end) = parse_list(raws, i)?;
    let els = match end.as_deref() {
        None => return Err(parse_error("unexpected EOF")),
        Some("end") => Vec::new(),
        Some(e) => {
            let rest = e["else".len()..].trim();
            if rest.is_empty() {
                let (els, end) = parse_list(raws, i)?;
                if end.as_deref() != Some("end") {
                    return Err(parse_error("unexpected EOF"));
                }
                els
            } else {
                // `{{else if …}}` chains a block that shares this one's `{{end}}`.
                let kw = rest.split_whitespace().next().unwrap_or("");
                if !matches!(kw, "if" | "with") {
                    return Err(parse_error(format!("unexpected \"{kw}\" in else")));
                }
                let p = parse_pipe(&rest[kw.len()..], 0)?;
                vec![parse_block(kw, p, raws, i)?]
            }
        }
    };
    Ok(match keyword {
        "if" => Node::If(pipe, body, els),
        "range" => Node::Range(pipe, body, els),
        _ => Node::With(pipe, body, els),
    })
}

fn parse_pipe(body: &str, off: usize) -> Result<Pipe, TemplateError> {
    let toks = lex(body, off)?;
    if toks.is_empty() {
        return Err(parse_error("missing value for command"));
    }
    let mut p = Parser { toks, i: 0 };
    let pipe = p.pipe(false)?;
    Ok(pipe)
}

// ---------------------------------------------------------------- values

/// A value during execution: decoded JSON, or a number a template literal or `len` made (Go's int).
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Json(Value),
    Int(i64),
    Float(f64),
    /// A missing map entry or absent value (Go's invalid reflect.Value, printed `<no value>`).
    Missing,
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Missing => false,
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Json(v) => match v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) => !o.is_empty(),
            },
        }
    }

    fn go_type(&self) -> &'static str {
        match self {
            Val::Missing => "<nil>",
            Val::Int(_) => "int",
            Val::Float(_) => "float64",
            Val::Json(v) => json_go_type(v),
        }
    }

    /// Appends what `text` gives, without copying a string value first.
    fn push_text(&self, out: &mut String) {
        match self {
            Val::Json(Value::String(s)) => out.push_str(s),
            other => out.push_str(&other.text()),
        }
    }

    fn text(&self) -> String {
        match self {
            Val::Missing => "<no value>".into(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => go_float(*f),
            Val::Json(v) => go_format(v),
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Val::Json(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            Val::Json(Value::Number(n)) => n.as_i64(),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Int(i) => Some(*i as f64),
            Val::Float(f) => Some(*f),
            Val::Json(Value::Number(n)) => n.as_f64(),
            _ => None,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Val::Missing => Value::Null,
            Val::Int(i) => Value::from(*i),
            Val::Float(f) => Value::from(*f),
            Val::Json(v) => v.clone(),
        }
    }
}

/// The Go type of a decoded JSON value, as Go's errors name it.
fn json_go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn go_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// JSON as Go's encoder writes it: compact, with `<`, `>` and `&` escaped (`\u003c`), which Docker's
/// output keeps (`"\u003cnone\u003e"`).
pub fn go_json(v: &Value) -> String {
    escape_html(&v.to_string())
}

/// Go's `HTMLEscape` on JSON text (those characters only ever occur inside strings).
pub fn escape_html(json: &str) -> String {
    if !json.contains(['<', '>', '&']) {
        return json.to_string();
    }
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Go's `%v` of a decoded JSON value (`[a b]`, `map[k:v]`).
pub fn go_format(v: &Value) -> String {
    match v {
        Value::Null => "<no value>".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(go_format).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(o) => {
            // Go prints a map's keys sorted.
            let mut entries: Vec<(&String, &Value)> = o.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            // A set (`ExposedPorts`, `Volumes`: Go's `map[K]struct{}`) prints each value as `{}`.
            let set = !o.is_empty()
                && o.values()
                    .all(|v| v.as_object().is_some_and(|m| m.is_empty()));
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    if set {
                        format!("{k}:{{}}")
                    } else {
                        format!("{k}:{}", go_format(v))
                    }
                })
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------- execution

struct Exec<'a> {
    name: &'a str,
    tpl: &'a str,
    strictness: Strictness,
    /// `$`: the value the template was executed on.
    root: &'a Val,
    vars: Vec<(String, Val)>,
}

/// An execution error before Go's `template: NAME:LINE:COL: executing "NAME" at <NODE>: ` prefix.
struct Fail {
    pos: usize,
    node: String,
    msg: String,
}

impl Exec<'_> {
    fn error(&self, f: Fail) -> TemplateError {
        let before = &self.tpl[..f.pos.min(self.tpl.len())];
        let line = 1 + before.matches('\n').count();
        let col = before
            .rfind('\n')
            .map_or(before.len(), |i| before.len() - i - 1);
        TemplateError {
            message: format!(
                "template: {}:{line}:{col}: executing \"{}\" at <{}>: {}",
                self.name, self.name, f.node, f.msg
            ),
            parsing: false,
        }
    }

    fn list(&mut self, nodes: &[Node], dot: &Val, out: &mut String) -> Result<(), Fail> {
        for node in nodes {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Action(p) => {
                    let v = self.pipe(p, dot)?;
                    if p.decl.is_empty() {
                        v.push_text(out);
                    }
                }
                Node::If(p, body, els) => {
                    let depth = self.vars.len();
                    let v = self.pipe(p, dot)?;
                    let r = if v.truthy() {
                        self.list(body, dot, out)
                    } else {
                        self.list(els, dot, out)
                    };
                    self.vars.truncate(depth);
                    r?;
                }
                Node::With(p, body, els) => {
                    let depth = self.vars.len();
                    let v = self.pipe(p, dot)?;
                    let r = if v.truthy() {
                        self.list(body, &v, out)
                    } else {
                        self.list(els, dot, out)
                    };
                    self.vars.truncate(depth);
                    r?;
                }
                Node::Range(p, body, els) => {
                    let depth = self.vars.len();
                    let decl = p.decl.clone();
                    let plain = Pipe {
                        decl: Vec::new(),
                        cmds: p.cmds.clone(),
                    };
                    let v = self.pipe(&plain, dot)?;
                    let items: Vec<(Val, Val)> = match &v {
                        Val::Json(Value::Array(a)) => a
                            .iter()
                            .enumerate()
                            .map(|(i, e)| (Val::Int(i as i64), Val::Json(e.clone())))
                            .collect(),
                        Val::Json(Value::Object(o)) => {
                            let mut keys: Vec<&String> = o.keys().collect();
                            keys.sort();
                            keys.into_iter()
                                .map(|k| {
                                    (Val::Json(Value::String(k.clone())), Val::Json(o[k].clone()))
                                })
                                .collect()
                        }
                        Val::Int(n) => (0..*n).map(|i| (Val::Int(i), Val::Int(i))).collect(),
                        Val::Json(Value::Null) | Val::Missing => Vec::new(),
                        other => {
                            return Err(Fail {
                                pos: p.cmds.first().map_or(0, |c| c.pos),
                                node: pipe_text(&plain),
                                msg: format!("range can't iterate over {}", other.text()),
                            });
                        }
                    };
                    if items.is_empty() {
                        self.list(els, dot, out)?;
                    }
                    for (k, e) in items {
                        self.vars.truncate(depth);
                        match decl.as_slice() {
                            [one] => self.vars.push((one.clone(), e.clone())),
                            [a, b, ..] => {
                                self.vars.push((a.clone(), k));
                                self.vars.push((b.clone(), e.clone()));
                            }
                            [] => {}
                        }
                        self.list(body, &e, out)?;
                    }
                    self.vars.truncate(depth);
                }
            }
        }
        Ok(())
    }

    fn pipe(&mut self, p: &Pipe, dot: &Val) -> Result<Val, Fail> {
        let mut last: Option<Val> = None;
        for cmd in &p.cmds {
            last = Some(self.cmd(cmd, dot, last.take())?);
        }
        let v = last.unwrap_or(Val::Missing);
        for name in &p.decl {
            self.vars.push((name.clone(), v.clone()));
        }
        Ok(v)
    }

    fn cmd(&mut self, cmd: &Cmd, dot: &Val, piped: Option<Val>) -> Result<Val, Fail> {
        let first = &cmd.args[0];
        if let Arg::Ident(name, pos) = first {
            let mut args = Vec::new();
            // `and`/`or` stop at the first deciding value, as Go's do.
            for a in &cmd.args[1..] {
                let v = self.arg(a, dot)?;
                args.push(v);
            }
            if let Some(v) = piped {
                args.push(v);
            }
            return call(name, args).map_err(|msg| Fail {
                pos: *pos,
                node: cmd.args.iter().map(Arg::text).collect::<Vec<_>>().join(" "),
                msg,
            });
        }
        if cmd.args.len() > 1 || piped.is_some() {
            // A field with arguments is a method call; the listing contexts' `.Label "key"` is one.
            if let Arg::Field(chain, _) = first
                && chain.len() == 1
                && chain[0] == "Label"
                && let Strictness::Strict(_) = self.strictness
            {
                let key = match cmd.args.get(1) {
                    Some(a) => self.arg(a, dot)?.text(),
                    None => piped.map(|v| v.text()).unwrap_or_default(),
                };
                return Ok(label(dot, &key));
            }
            let (pos, node) = match first {
                Arg::Field(_, pos) | Arg::Var(_, _, pos) => (*pos, first.text()),
                _ => (cmd.pos, first.text()),
            };
            return Err(Fail {
                pos,
                node: node.clone(),
                msg: format!("can't give argument to non-function {node}"),
            });
        }
        self.arg(first, dot)
    }

    fn arg(&mut self, a: &Arg, dot: &Val) -> Result<Val, Fail> {
        match a {
            Arg::Field(chain, pos) => self.walk(dot, chain, *pos, a),
            Arg::Var(name, chain, pos) => {
                let base = if name == "$" {
                    Some(self.root)
                } else {
                    self.vars.iter().rev().find(|v| &v.0 == name).map(|v| &v.1)
                };
                let Some(base) = base else {
                    return Err(Fail {
                        pos: *pos,
                        node: a.text(),
                        msg: format!("undefined variable: {name}"),
                    });
                };
                self.walk(base, chain, *pos, a)
            }
            Arg::Ident(name, pos) => call(name, Vec::new()).map_err(|msg| Fail {
                pos: *pos,
                node: name.clone(),
                msg,
            }),
            Arg::Str(s) => Ok(Val::Json(Value::String(s.clone()))),
            Arg::Int(i) => Ok(Val::Int(*i)),
            Arg::Float(f) => Ok(Val::Float(*f)),
            Arg::Bool(b) => Ok(Val::Json(Value::Bool(*b))),
            Arg::Nil => Ok(Val::Json(Value::Null)),
            Arg::Sub(p, chain, pos) => {
                let v = self.pipe(p, dot)?;
                if chain.is_empty() {
                    return Ok(v);
                }
                self.walk(&v, chain, *pos, a)
            }
        }
    }

    /// Follows `.A.B` from `start` by reference, copying only the value it ends on; `arg` names the node
    /// in an error.
    fn walk(&self, start: &Val, chain: &[String], pos: usize, arg: &Arg) -> Result<Val, Fail> {
        if chain.is_empty() {
            return Ok(start.clone());
        }
        let mut cur = match start {
            Val::Json(v) => Step::Json(v),
            Val::Missing => Step::Missing,
            other => Step::Other(other.go_type()),
        };
        for key in chain {
            let fail = |msg: String| Fail {
                pos,
                node: arg.text(),
                msg,
            };
            cur = match cur {
                Step::Json(Value::Object(o)) => match o.get(key.as_str()) {
                    Some(next) => Step::Json(next),
                    None => match self.strictness {
                        Strictness::Lenient => Step::Missing,
                        Strictness::MissingKey => {
                            return Err(fail(format!("map has no entry for key \"{key}\"")));
                        }
                        Strictness::Strict(ty) => {
                            return Err(fail(format!("can't evaluate field {key} in type {ty}")));
                        }
                    },
                },
                Step::Json(Value::Null) | Step::Missing => {
                    return Err(fail(format!("nil pointer evaluating interface {{}}.{key}")));
                }
                Step::Json(v) => {
                    return Err(fail(format!(
                        "can't evaluate field {key} in type {}",
                        json_go_type(v)
                    )));
                }
                Step::Other(ty) => {
                    return Err(fail(format!("can't evaluate field {key} in type {ty}")));
                }
            };
        }
        Ok(match cur {
            Step::Json(v) => Val::Json(v.clone()),
            Step::Missing | Step::Other(_) => Val::Missing,
        })
    }
}

/// Where a field walk is: on a JSON value, past a missing entry, or on a number a template made.
enum Step<'v> {
    Json(&'v Value),
    Missing,
    Other(&'static str),
}

/// `.Label "key"` of a listing row: the rows carry labels as `k=v,k2=v2`.
fn label(dot: &Val, key: &str) -> Val {
    let labels = match dot {
        Val::Json(Value::Object(o)) => o.get("Labels").and_then(Value::as_str).unwrap_or(""),
        _ => "",
    };
    let found = labels
        .split(',')
        .find_map(|kv| {
            kv.split_once('=')
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v)
        })
        .unwrap_or("");
    Val::Json(Value::String(found.to_string()))
}

fn want_args(name: &str, args: &[Val], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ))
    }
}

fn string_arg(args: &[Val], i: usize) -> String {
    args.get(i).map(Val::text).unwrap_or_default()
}

fn int_arg(name: &str, v: &Val) -> Result<i64, String> {
    v.as_int().ok_or_else(|| {
        format!(
            "error calling {name}: cannot index slice/array with type {}",
            v.go_type()
        )
    })
}

/// Go's builtins and the Docker CLI's template functions.
fn call(name: &str, args: Vec<Val>) -> Result<Val, String> {
    let s = |x: String| Ok(Val::Json(Value::String(x)));
    match name {
        "json" => {
            want_args(name, &args, 1)?;
            s(go_json(&args[0].to_json()))
        }
        "upper" => {
            want_args(name, &args, 1)?;
            s(args[0].text().to_uppercase())
        }
        "lower" => {
            want_args(name, &args, 1)?;
            s(args[0].text().to_lowercase())
        }
        "title" => {
            want_args(name, &args, 1)?;
            let mut out = String::new();
            let mut start = true;
            for ch in args[0].text().chars() {
                if start && ch.is_alphabetic() {
                    out.extend(ch.to_uppercase());
                } else {
                    out.push(ch);
                }
                start = !ch.is_alphanumeric() && ch != '\'';
            }
            s(out)
        }
        "split" => {
            want_args(name, &args, 2)?;
            let text = args[0].text();
            let sep = string_arg(&args, 1);
            let parts: Vec<Value> = if sep.is_empty() {
                text.chars().map(|c| Value::String(c.to_string())).collect()
            } else {
                text.split(sep.as_str())
                    .map(|p| Value::String(p.to_string()))
                    .collect()
            };
            Ok(Val::Json(Value::Array(parts)))
        }
        "join" => {
            want_args(name, &args, 2)?;
            let sep = string_arg(&args, 1);
            match &args[0] {
                Val::Json(Value::Array(a)) => {
                    s(a.iter().map(go_format).collect::<Vec<_>>().join(&sep))
                }
                Val::Json(Value::Null) => s(String::new()),
                other => Err(format!(
                    "wrong type for value; expected []string; got {}",
                    other.go_type()
                )),
            }
        }
        "pad" => {
            want_args(name, &args, 3)?;
            let before = args[1].as_int().unwrap_or(0).max(0) as usize;
            let after = args[2].as_int().unwrap_or(0).max(0) as usize;
            // docker/cli `padWithSpace`: an empty value stays empty.
            let text = args[0].text();
            if text.is_empty() {
                s(text)
            } else {
                s(format!("{}{text}{}", " ".repeat(before), " ".repeat(after)))
            }
        }
        "truncate" => {
            want_args(name, &args, 2)?;
            let n = args[1].as_int().unwrap_or(0).max(0) as usize;
            s(args[0].text().chars().take(n).collect())
        }
        "len" => {
            want_args(name, &args, 1)?;
            match &args[0] {
                Val::Json(Value::Array(a)) => Ok(Val::Int(a.len() as i64)),
                Val::Json(Value::Object(o)) => Ok(Val::Int(o.len() as i64)),
                Val::Json(Value::String(x)) => Ok(Val::Int(x.len() as i64)),
                other => Err(format!(
                    "error calling len: len of type {}",
                    other.go_type()
                )),
            }
        }
        "index" => {
            if args.is_empty() {
                return Err("wrong number of args for index: want at least 1 got 0".into());
            }
            let mut cur = args[0].clone();
            for key in &args[1..] {
                cur = match cur {
                    Val::Json(Value::Array(a)) => {
                        let i = int_arg(name, key)?;
                        match usize::try_from(i).ok().and_then(|i| a.get(i)) {
                            Some(v) => Val::Json(v.clone()),
                            None => {
                                return Err(format!(
                                    "error calling index: index out of range: {i}"
                                ));
                            }
                        }
                    }
                    Val::Json(Value::String(x)) => {
                        let i = int_arg(name, key)?;
                        match usize::try_from(i).ok().and_then(|i| x.as_bytes().get(i)) {
                            Some(b) => Val::Int(i64::from(*b)),
                            None => {
                                return Err(format!(
                                    "error calling index: index out of range: {i}"
                                ));
                            }
                        }
                    }
                    Val::Json(Value::Object(o)) => match o.get(&key.text()) {
                        Some(v) => Val::Json(v.clone()),
                        // Docker's typed maps (labels, options) give the zero string.
                        None => Val::Json(Value::String(String::new())),
                    },
                    Val::Json(Value::Null) => Val::Json(Value::String(String::new())),
                    other => {
                        return Err(format!(
                            "error calling index: can't index item of type {}",
                            other.go_type()
                        ));
                    }
                };
            }
            Ok(cur)
        }
        "slice" => {
            if args.is_empty() {
                return Err("wrong number of args for slice: want at least 1 got 0".into());
            }
            let idx: Vec<i64> = args[1..]
                .iter()
                .map(|v| int_arg(name, v))
                .collect::<Result<_, _>>()?;
            let len = match &args[0] {
                Val::Json(Value::Array(a)) => a.len(),
                Val::Json(Value::String(x)) => x.len(),
                other => {
                    return Err(format!(
                        "error calling slice: can't slice item of type {}",
                        other.go_type()
                    ));
                }
            };
            let lo = idx.first().copied().unwrap_or(0);
            let hi = idx.get(1).copied().unwrap_or(len as i64);
            for i in [lo, hi] {
                if i < 0 || i > len as i64 {
                    return Err(format!("error calling slice: index out of range: {i}"));
                }
            }
            if lo > hi {
                return Err(format!(
                    "error calling slice: invalid slice index: {lo} > {hi}"
                ));
            }
            let (lo, hi) = (lo as usize, hi as usize);
            match &args[0] {
                Val::Json(Value::Array(a)) => Ok(Val::Json(Value::Array(a[lo..hi].to_vec()))),
                Val::Json(Value::String(x)) => {
                    s(String::from_utf8_lossy(&x.as_bytes()[lo..hi]).into_owned())
                }
                _ => Ok(Val::Missing),
            }
        }
        "printf" => {
            if args.is_empty() {
                return Err("wrong number of args for printf: want at least 1 got 0".into());
            }
            s(sprintf(&args[0].text(), &args[1..]))
        }
        "print" => s(sprint(&args)),
        "println" => s(format!(
            "{}\n",
            args.iter().map(Val::text).collect::<Vec<_>>().join(" ")
        )),
        "not" => {
            want_args(name, &args, 1)?;
            Ok(Val::Json(Value::Bool(!args[0].truthy())))
        }
        "and" => Ok(args
            .iter()
            .find(|v| !v.truthy())
            .or(args.last())
            .cloned()
            .unwrap_or(Val::Missing)),
        "or" => Ok(args
            .iter()
            .find(|v| v.truthy())
            .or(args.last())
            .cloned()
            .unwrap_or(Val::Missing)),
        "eq" | "ne" | "lt" | "le" | "gt" | "ge" => compare(name, &args),
        "html" => s(sprint(&args)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&#34;")
            .replace('\'', "&#39;")),
        "urlquery" => {
            let text = sprint(&args);
            let mut out = String::new();
            for b in text.bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        out.push(b as char);
                    }
                    b' ' => out.push('+'),
                    _ => {
                        let _ = write!(out, "%{b:02X}");
                    }
                }
            }
            s(out)
        }
        _ => Err(format!("\"{name}\" is not a defined function")),
    }
}

fn compare(name: &str, args: &[Val]) -> Result<Val, String> {
    if args.len() < 2 {
        return Err(format!(
            "error calling {name}: missing argument for comparison"
        ));
    }
    let order = |a: &Val, b: &Val| -> Result<std::cmp::Ordering, String> {
        if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64())
            && !matches!(a, Val::Json(Value::String(_)))
        {
            return x
                .partial_cmp(&y)
                .ok_or_else(|| "incompatible types for comparison".into());
        }
        match (a.as_str(), b.as_str()) {
            (Some(x), Some(y)) => Ok(x.cmp(y)),
            _ => match (a, b) {
                (Val::Json(Value::Bool(x)), Val::Json(Value::Bool(y)))
                    if matches!(name, "eq" | "ne") =>
                {
                    Ok(x.cmp(y))
                }
                _ => Err(format!(
                    "error calling {name}: incompatible types for comparison"
                )),
            },
        }
    };
    let first = &args[0];
    let result = match name {
        "eq" => {
            let mut any = false;
            for other in &args[1..] {
                if order(first, other)? == std::cmp::Ordering::Equal {
                    any = true;
                }
            }
            any
        }
        "ne" => order(first, &args[1])? != std::cmp::Ordering::Equal,
        "lt" => order(first, &args[1])? == std::cmp::Ordering::Less,
        "le" => order(first, &args[1])? != std::cmp::Ordering::Greater,
        "gt" => order(first, &args[1])? == std::cmp::Ordering::Greater,
        _ => order(first, &args[1])? != std::cmp::Ordering::Less,
    };
    Ok(Val::Json(Value::Bool(result)))
}

/// Go's `fmt.Sprint`: a space between operands when neither side is a string.
fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && a.as_str().is_none() && args[i - 1].as_str().is_none() {
            out.push(' ');
        }
        out.push_str(&a.text());
    }
    out
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%v %s %d %q %t %x %X %f %e %g %c %%`, with flags,
/// width and precision, and Go's `%!d(string=x)` / `%!s(MISSING)` / `%!(EXTRA …)` for mismatches.
fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut minus = false;
        let mut plus = false;
        let mut zero = false;
        let mut space = false;
        while let Some(&f) = chars.peek() {
            match f {
                '-' => minus = true,
                '+' => plus = true,
                '0' => zero = true,
                ' ' => space = true,
                '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut prec: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next += 1;
        let bad = || format!("%!{verb}({}={})", arg.go_type(), arg.text());
        let body = match verb {
            'v' | 's' => {
                let t = arg.text();
                match prec {
                    Some(p) if verb == 's' => t.chars().take(p).collect(),
                    _ => t,
                }
            }
            'q' => match arg.as_str() {
                Some(x) => format!("{x:?}"),
                None => bad(),
            },
            't' => match arg {
                Val::Json(Value::Bool(b)) => b.to_string(),
                _ => bad(),
            },
            'd' => match arg.as_int() {
                Some(i) if !matches!(arg, Val::Float(_)) && arg.as_f64() == Some(i as f64) => {
                    if plus && i >= 0 {
                        format!("+{i}")
                    } else if space && i >= 0 {
                        format!(" {i}")
                    } else {
                        i.to_string()
                    }
                }
                _ => bad(),
            },
            'x' | 'X' => {
                let hex = match (arg.as_int(), arg.as_str()) {
                    (Some(i), _) => format!("{i:x}"),
                    (_, Some(x)) => x.bytes().map(|b| format!("{b:02x}")).collect(),
                    _ => bad(),
                };
                if verb == 'X' { hex.to_uppercase() } else { hex }
            }
            'f' | 'F' | 'e' | 'g' => match arg.as_f64() {
                Some(f) if !matches!(arg, Val::Json(Value::String(_))) => match verb {
                    'e' => format!("{f:.*e}", prec.unwrap_or(6)),
                    'g' => go_float(f),
                    _ => format!("{f:.*}", prec.unwrap_or(6)),
                },
                _ => bad(),
            },
            'c' => match arg
                .as_int()
                .and_then(|i| u32::try_from(i).ok())
                .and_then(char::from_u32)
            {
                Some(ch) => ch.to_string(),
                None => bad(),
            },
            other => format!("%!{other}({}={})", arg.go_type(), arg.text()),
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = body.chars().count();
        if len >= w {
            out.push_str(&body);
        } else if minus {
            out.push_str(&body);
            out.push_str(&" ".repeat(w - len));
        } else if zero && matches!(verb, 'd' | 'f' | 'x' | 'X') {
            let (sign, digits) = match body.strip_prefix('-') {
                Some(d) => ("-", d),
                None => ("", body.as_str()),
            };
            out.push_str(sign);
            out.push_str(&"0".repeat(w - len));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(w - len));
            out.push_str(&body);
        }
    }
    if next < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|a| format!("{}={}", a.go_type(), a.text()))
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

/// Evaluates `tpl` against `v` (the template is unnamed, as `inspect` and the listings name theirs).
pub fn render(tpl: &str, v: &Value, strictness: Strictness) -> Result<String, TemplateError> {
    let nodes = parse(tpl)?;
    let mut out = String::new();
    execute("", tpl, &nodes, v.clone(), strictness, &mut out)?;
    Ok(out)
}

/// Parses `format` (after [`prepare`]) without running it: the error a command checks for first.
pub fn parse_only(format: &str) -> Result<(), TemplateError> {
    parse(&prepare(format).1).map(|_| ())
}

/// Evaluates `tpl`, named `name` in execution errors (`docker version` names its template `version`).
pub fn render_named(
    name: &str,
    tpl: &str,
    v: &Value,
    strictness: Strictness,
) -> Result<String, TemplateError> {
    // A parse error names the template too (`template: version:1: unclosed action`).
    let nodes = parse(tpl).map_err(|mut e| {
        e.message = e
            .message
            .replacen("template: :", &format!("template: {name}:"), 1);
        e
    })?;
    let mut out = String::new();
    execute(name, tpl, &nodes, v.clone(), strictness, &mut out)?;
    Ok(out)
}

/// Runs parsed `nodes` (of the text `tpl`, which error positions count in) on `v`, appending to `out`.
fn execute(
    name: &str,
    tpl: &str,
    nodes: &[Node],
    v: Value,
    strictness: Strictness,
    out: &mut String,
) -> Result<(), TemplateError> {
    let root = Val::Json(v);
    let mut exec = Exec {
        name,
        tpl,
        strictness,
        root: &root,
        vars: Vec::new(),
    };
    exec.list(nodes, &root, out).map_err(|f| exec.error(f))
}

/// A `--format` template (`inspect -f`, `version --format`), prepared and parsed once where the command
/// line is parsed, then executed for each object. Shared, so the events that carry it copy a pointer.
#[derive(Clone, Debug)]
pub struct Template(std::sync::Arc<Parsed>);

#[derive(Debug)]
struct Parsed {
    /// The format as typed.
    format: String,
    /// The text executed (after [`prepare`]); error positions count in it.
    text: String,
    nodes: Result<Vec<Node>, TemplateError>,
    /// The top-level fields it reads (see [`roots`]).
    roots: Option<Vec<String>>,
}

impl Template {
    /// Prepares (`\t`, `\n`, a `table` prefix dropped) and parses `format`; a parse error is kept, to be
    /// reported when the command runs, as Docker does.
    pub fn new(format: &str) -> Template {
        let text = prepare(format).1;
        let nodes = parse(&text);
        // The fields are those of the format as typed; when preparing changed nothing the tree is the same.
        let roots = if text == format {
            nodes.as_ref().ok().and_then(|n| node_roots(n))
        } else {
            roots(format)
        };
        Template(std::sync::Arc::new(Parsed {
            format: format.to_string(),
            text,
            nodes,
            roots,
        }))
    }

    /// The format as typed.
    pub fn format(&self) -> &str {
        &self.0.format
    }

    /// The top-level fields the template reads (`{{.State.Status}}` → `State`), or `None` when it needs
    /// the whole object or does not parse.
    pub fn roots(&self) -> Option<&[String]> {
        self.0.roots.as_deref()
    }

    /// Executes on `v` and appends the text to `out`; `name` names the template in execution errors
    /// (`docker version` names its template `version`, `inspect` leaves it unnamed).
    pub fn execute_into(
        &self,
        name: &str,
        v: Value,
        strictness: Strictness,
        out: &mut String,
    ) -> Result<(), TemplateError> {
        let nodes = self.0.nodes.as_ref().map_err(Clone::clone)?;
        execute(name, &self.0.text, nodes, v, strictness, out)
    }
}

/// Two templates are the same when they were typed the same.
impl PartialEq for Template {
    fn eq(&self, other: &Template) -> bool {
        self.0.format == other.0.format
    }
}

impl Eq for Template {}

/// The top-level fields a template reads (`{{.State.Status}}` → `State`), or `None` when it needs the
/// whole object (`{{.}}`, `{{json .}}`, a variable or a block that moves the dot) or does not parse.
pub fn roots(tpl: &str) -> Option<Vec<String>> {
    let nodes = parse(tpl).ok()?;
    node_roots(&nodes)
}

/// [`roots`] of a parsed template.
fn node_roots(nodes: &[Node]) -> Option<Vec<String>> {
    fn arg(a: &Arg, out: &mut Vec<String>) -> Option<()> {
        match a {
            Arg::Field(chain, _) => out.push(chain.first()?.clone()),
            Arg::Var(..) => return None,
            Arg::Sub(p, _, _) => pipe(p, out)?,
            _ => {}
        }
        Some(())
    }
    fn pipe(p: &Pipe, out: &mut Vec<String>) -> Option<()> {
        if !p.decl.is_empty() {
            return None;
        }
        for c in &p.cmds {
            for a in &c.args {
                arg(a, out)?;
            }
        }
        Some(())
    }
    fn list(nodes: &[Node], out: &mut Vec<String>) -> Option<()> {
        for n in nodes {
            match n {
                Node::Text(_) => {}
                Node::Action(p) => pipe(p, out)?,
                Node::If(p, a, b) => {
                    pipe(p, out)?;
                    list(a, out)?;
                    list(b, out)?;
                }
                Node::Range(..) | Node::With(..) => return None,
            }
        }
        Some(())
    }
    let mut out = Vec::new();
    list(nodes, &mut out)?;
    Some(out)
}

/// Docker's `--format` preprocessing: `table` prefix, and `\t`/`\n` typed literally become tab/newline.
pub fn prepare(format: &str) -> (bool, String) {
    let unescaped = if format.contains('\\') {
        format.replace("\\t", "\t").replace("\\n", "\n")
    } else {
        format.to_string()
    };
    match unescaped.strip_prefix("table") {
        Some(rest) => (true, rest.trim_start().to_string()),
        None => (false, unescaped),
    }
}

/// The header row of a `table` format: the template executed on the column titles, as the CLI does
/// (`table {{upper .Names}}` → `NAMES`); a field without a title shows its name in capitals.
pub fn header(tpl: &str, titles: &[(&str, &str)]) -> String {
    let Some(fields) = roots(tpl) else {
        return String::new();
    };
    let mut ctx = serde_json::Map::new();
    for f in fields {
        let title = titles
            .iter()
            .find(|(k, _)| *k == f)
            .map_or_else(|| f.to_uppercase(), |(_, t)| t.to_string());
        ctx.insert(f, Value::String(title));
    }
    render(tpl, &Value::Object(ctx), Strictness::Lenient).unwrap_or_default()
}

/// Renders listing rows with a user `--format`: plain lines, a `table`, or `json` (one object per line).
pub fn format_rows(
    format: &str,
    rows: &[Value],
    titles: &[(&str, &str)],
    ty: &'static str,
    exec_prefix: &str,
) -> Result<String, TemplateError> {
    if format == "json" {
        return Ok(rows.iter().map(|r| format!("{}\n", go_json(r))).collect());
    }
    let (table, tpl) = prepare(format);
    // The formatters' parse errors end the command with exit 1, unlike `inspect`'s (64).
    parse(&tpl).map_err(|e| TemplateError {
        parsing: false,
        ..e
    })?;
    let mut lines = String::new();
    if table {
        lines.push_str(&header(&tpl, titles));
        lines.push('\n');
    }
    for r in rows {
        let line = render(&tpl, r, Strictness::Strict(ty)).map_err(|mut e| {
            if !e.parsing {
                // The CLI wraps an execution error: `ps` as "failed to execute template: …", `images`
                // (oddly) as "template parsing error: …".
                e.message = format!("{exec_prefix}{}", e.message);
            }
            e
        })?;
        lines.push_str(&line);
        lines.push('\n');
    }
    if table {
        return Ok(crate::render::table::tabwriter(&lines));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// docker/cli `padWithSpace`: nothing to pad stays empty; a parse error names `version`'s template.
    #[test]
    fn pad_leaves_empty_values_empty_and_named_parse_errors() {
        let v = json!({"A": "", "B": "x"});
        assert_eq!(
            render(
                "[{{pad .A 1 1}}][{{pad .B 1 1}}]",
                &v,
                Strictness::MissingKey
            )
            .unwrap(),
            "[][ x ]"
        );
        let e = render_named("version", "{{", &v, Strictness::MissingKey).unwrap_err();
        assert_eq!(
            e.message,
            "template parsing error: template: version:1: unclosed action"
        );
    }

    fn image() -> Value {
        json!({"Id": "sha256:370231faf866", "RepoTags": ["busybox:latest"], "Os": "linux",
               "Architecture": "amd64", "Size": 1980000, "Config": {"Cmd": ["sh"], "Labels": null},
               "State": {"Status": "running"}, "RootFS": {"Layers": ["a", "b"]}})
    }

    fn r(t: &str) -> Result<String, TemplateError> {
        render(t, &image(), Strictness::MissingKey)
    }

    #[test]
    fn fields_functions_and_errors() {
        let v = json!({"State": {"Status": "running"}, "Config": {"Cmd": ["node", "server.js"]}, "RootFS": {"Layers": ["a", "b"]}});
        let r = |t: &str| render(t, &v, Strictness::Lenient);
        assert_eq!(r("{{.State.Status}}").unwrap(), "running");
        assert_eq!(r("{{.Config.Cmd}}").unwrap(), "[node server.js]");
        assert_eq!(r("{{json .RootFS.Layers}}").unwrap(), "[\"a\",\"b\"]");
        assert_eq!(r("{{len .RootFS.Layers}}").unwrap(), "2");
        assert_eq!(r("x={{.Nope}}").unwrap(), "x=<no value>");
        assert_eq!(
            r("{{.Nope}").unwrap_err().message,
            "template parsing error: template: :1: bad character U+007D '}'"
        );
        assert_eq!(
            r("{{.Nope").unwrap_err().message,
            "template parsing error: template: :1: unclosed action"
        );
        assert_eq!(
            r("{{foo .X}}").unwrap_err().message,
            "template parsing error: template: :1: function \"foo\" not defined"
        );
        let strict = render(
            "{{.Foo}}",
            &v,
            Strictness::Strict("*formatter.ContainerContext"),
        )
        .unwrap_err();
        assert_eq!(
            strict.message,
            "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext"
        );
    }

    /// `inspect` runs with missingkey=error: the position is that of the chain's second field.
    #[test]
    fn sets_print_their_values_as_empty_structs() {
        // The oracle: `{{.Config.ExposedPorts}}` of EXPOSE 80 443/udp is `map[443/udp:{} 80/tcp:{}]`.
        let ports = serde_json::json!({"80/tcp": {}, "443/udp": {}});
        assert_eq!(go_format(&ports), "map[443/udp:{} 80/tcp:{}]");
        assert_eq!(go_format(&serde_json::json!({})), "map[]");
        assert_eq!(go_format(&serde_json::json!({"a": "b"})), "map[a:b]");
    }

    #[test]
    fn inspect_missing_key_is_an_error() {
        let e = render(
            "{{.State.Status}}",
            &json!({"Id": "x"}),
            Strictness::MissingKey,
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "template: :1:8: executing \"\" at <.State.Status>: map has no entry for key \"State\""
        );
        assert!(!e.parsing);
        assert_eq!(
            r("{{.Config.Nope}}").unwrap_err().message,
            "template: :1:9: executing \"\" at <.Config.Nope>: map has no entry for key \"Nope\""
        );
    }

    /// Outputs checked against the Docker 28.2.2 CLI.
    #[test]
    fn go_builtins_and_docker_functions() {
        assert_eq!(r("{{printf \"%s-%d\" .Os 5}}").unwrap(), "linux-5");
        assert_eq!(r("{{index .RepoTags 0}}").unwrap(), "busybox:latest");
        assert_eq!(r("{{index .Config.Labels \"x\"}}").unwrap(), "");
        assert_eq!(r("{{slice .Id 0 12}}").unwrap(), "sha256:37023");
        assert_eq!(r("{{join .RepoTags \",\"}}").unwrap(), "busybox:latest");
        assert_eq!(r("{{upper .Os}}").unwrap(), "LINUX");
        assert_eq!(r("{{lower \"ABC\"}}").unwrap(), "abc");
        assert_eq!(r("{{title \"hello world\"}}").unwrap(), "Hello World");
        assert_eq!(r("{{split \"a:b:c\" \":\"}}").unwrap(), "[a b c]");
        assert_eq!(r("{{.Architecture}}/{{.Os}}").unwrap(), "amd64/linux");
        assert_eq!(
            r("{{range .RepoTags}}[{{.}}]{{end}}").unwrap(),
            "[busybox:latest]"
        );
        assert_eq!(
            r("{{if eq .Os \"linux\"}}yes{{else}}no{{end}}").unwrap(),
            "yes"
        );
        assert_eq!(r("{{printf \"%q\" .Os}}").unwrap(), "\"linux\"");
        assert_eq!(r("{{pad .Os 2 3}}").unwrap(), "  linux   ");
        assert_eq!(r("{{truncate .Id 10}}").unwrap(), "sha256:370");
        assert_eq!(r("{{.Os | printf \"%-7s|\"}}").unwrap(), "linux  |");
        assert_eq!(r("{{index (split .Os \"n\") 1}}").unwrap(), "ux");
        assert_eq!(r("{{.Size}}").unwrap(), "1980000");
        assert_eq!(r("{{$t := .Os}}{{$t}}").unwrap(), "linux");
        assert_eq!(
            r("{{index .RepoTags 5}}").unwrap_err().message,
            "template: :1:2: executing \"\" at <index .RepoTags 5>: error calling index: index out of range: 5"
        );
        assert_eq!(
            r("{{if .Os}}x").unwrap_err().message,
            "template parsing error: template: :1: unexpected EOF"
        );
    }

    /// A template parsed once gives what parsing it at every execution gave: text, execution errors (with
    /// their positions in the prepared text), a kept parse error, and the fields it reads.
    #[test]
    fn a_template_parsed_once_executes_like_one_parsed_each_time() {
        for format in [
            "{{.State.Status}}",
            "{{.Os}}\\t{{.Architecture}}",
            "{{json .RootFS.Layers}} {{len .RepoTags}}",
            "{{.Config.Nope}}",
            "{{range .RepoTags}}{{.}}{{end}}",
            "{{$x := .Os}}{{$x}}{{$.Id}}",
            "{{.Nope",
            "table {{.Id}}",
        ] {
            let t = Template::new(format);
            let mut once = String::new();
            let once = t
                .execute_into("", image(), Strictness::MissingKey, &mut once)
                .map(|()| once);
            let each = render(&prepare(format).1, &image(), Strictness::MissingKey);
            assert_eq!(once, each, "{format}");
            assert_eq!(t.roots().map(<[String]>::to_vec), roots(format), "{format}");
            assert_eq!(t.format(), format);
        }
        assert_eq!(
            Template::new("{{.State.Status}}").roots(),
            Some(&["State".to_string()][..])
        );
        assert_eq!(Template::new("{{json .}}").roots(), None);
        assert_eq!(Template::new("{{$x := .A}}").roots(), None);
    }

    #[test]
    fn named_templates_name_their_errors() {
        let e = render_named(
            "version",
            "{{.Nope}}",
            &json!({}),
            Strictness::Strict("system.versionInfo"),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "template: version:1:2: executing \"version\" at <.Nope>: can't evaluate field Nope in type system.versionInfo"
        );
    }

    #[test]
    fn table_format_has_a_header() {
        let rows = vec![json!({"Names": "web", "Status": "Up 2 seconds"})];
        let out = format_rows(
            "table {{.Names}}\\t{{.Status}}",
            &rows,
            &[("Names", "NAMES"), ("Status", "STATUS")],
            "x",
            "",
        )
        .unwrap();
        assert_eq!(out, "NAMES     STATUS\nweb       Up 2 seconds\n");
        let upper = format_rows(
            "table {{upper .Names}}",
            &rows,
            &[("Names", "NAMES")],
            "x",
            "",
        )
        .unwrap();
        assert_eq!(upper, "NAMES\nWEB\n");
    }
}
