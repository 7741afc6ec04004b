//! The part of Go's text/template that `--format` and `inspect -f` use in lessons: `{{.Field.Sub}}`,
//! `{{.}}`, `{{json .X}}`, `{{len .X}}`, `{{upper .X}}`, `{{lower .X}}`, with Docker's error texts.

use serde_json::Value;

/// How a missing field behaves: `inspect` walks maps (missing → `<no value>`); `ps`/`images` format typed
/// contexts, where a missing field is an execution error naming the Go type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    Lenient,
    Strict(&'static str),
}

/// A template error, with the text Docker prints and whether it happened while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    pub parsing: bool,
}

/// One `{{ … }}` action: a function (or none) applied to a field path, and its byte offset.
struct Action<'a> {
    func: Option<&'a str>,
    path: &'a str,
    offset: usize,
}

enum Piece<'a> {
    Text(&'a str),
    Action(Action<'a>),
}

fn parse_error(msg: impl Into<String>) -> TemplateError {
    TemplateError {
        message: format!("template parsing error: template: :1: {}", msg.into()),
        parsing: true,
    }
}

fn parse(tpl: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut pos = 0;
    while let Some(rel) = tpl[pos..].find("{{") {
        let start = pos + rel;
        if start > pos {
            pieces.push(Piece::Text(&tpl[pos..start]));
        }
        let body_start = start + 2;
        let Some(end_rel) = tpl[body_start..].find("}}") else {
            return Err(match tpl[body_start..].find('}') {
                Some(_) => parse_error("bad character U+007D '}'"),
                None => parse_error("unclosed action"),
            });
        };
        let body = &tpl[body_start..body_start + end_rel];
        let trimmed = body.trim();
        let lead = body.len() - body.trim_start().len();
        let mut words = trimmed.split_whitespace();
        let first = words.next().unwrap_or("");
        let (func, path) = if first.starts_with('.') {
            (None, first)
        } else {
            if !matches!(first, "json" | "len" | "upper" | "lower" | "println") {
                let name = if first.is_empty() {
                    "missing value for command"
                } else {
                    first
                };
                return Err(if first.is_empty() {
                    parse_error(name)
                } else {
                    parse_error(format!("function \"{name}\" not defined"))
                });
            }
            (Some(first), words.next().unwrap_or("."))
        };
        pieces.push(Piece::Action(Action {
            func,
            path,
            offset: body_start + lead + func.map_or(0, |f| f.len() + 1),
        }));
        pos = body_start + end_rel + 2;
    }
    if pos < tpl.len() {
        pieces.push(Piece::Text(&tpl[pos..]));
    }
    Ok(pieces)
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
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_format(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        other => other.to_string(),
    }
}

/// Evaluates `tpl` against `v`.
pub fn render(tpl: &str, v: &Value, strictness: Strictness) -> Result<String, TemplateError> {
    let mut out = String::new();
    for piece in parse(tpl)? {
        let action = match piece {
            Piece::Text(t) => {
                out.push_str(t);
                continue;
            }
            Piece::Action(a) => a,
        };
        let mut cur = v;
        let mut missing = false;
        for key in action.path.split('.').filter(|k| !k.is_empty()) {
            match cur.get(key) {
                Some(next) => cur = next,
                None => {
                    if let Strictness::Strict(ty) = strictness {
                        return Err(TemplateError {
                            message: format!(
                                "template: :1:{}: executing \"\" at <{}>: can't evaluate field {key} in type {ty}",
                                action.offset, action.path
                            ),
                            parsing: false,
                        });
                    }
                    missing = true;
                    break;
                }
            }
        }
        let null = Value::Null;
        let value = if missing { &null } else { cur };
        let text = match action.func {
            Some("json") => go_json(value),
            Some("len") => match value {
                Value::Array(a) => a.len().to_string(),
                Value::Object(o) => o.len().to_string(),
                Value::String(s) => s.len().to_string(),
                _ => {
                    return Err(TemplateError {
                        message: format!(
                            "template: :1:{}: executing \"\" at <len {}>: error calling len: len of type {}",
                            action.offset.saturating_sub(4),
                            action.path,
                            if value.is_null() { "<nil>" } else { "float64" }
                        ),
                        parsing: false,
                    });
                }
            },
            Some("upper") => go_format(value).to_uppercase(),
            Some("lower") => go_format(value).to_lowercase(),
            Some("println") => format!("{}\n", go_format(value)),
            _ => go_format(value),
        };
        out.push_str(&text);
    }
    Ok(out)
}

/// The top-level fields a template reads (`{{.State.Status}}` → `State`), or `None` when it needs the
/// whole object (`{{.}}`, `{{json .}}`) or does not parse.
pub fn roots(tpl: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for piece in parse(tpl).ok()? {
        if let Piece::Action(a) = piece {
            let first = a
                .path
                .trim_start_matches('.')
                .split('.')
                .next()
                .unwrap_or("");
            if first.is_empty() {
                return None;
            }
            out.push(first.to_string());
        }
    }
    Some(out)
}

/// Docker's `--format` preprocessing: `table` prefix, and `\t`/`\n` typed literally become tab/newline.
pub fn prepare(format: &str) -> (bool, String) {
    let unescaped = format.replace("\\t", "\t").replace("\\n", "\n");
    match unescaped.strip_prefix("table") {
        Some(rest) => (true, rest.trim_start().to_string()),
        None => (false, unescaped),
    }
}

/// The header row of a `table` format: each `{{.Field}}` replaced by its column title.
pub fn header(tpl: &str, titles: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let Ok(pieces) = parse(tpl) else { return out };
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Action(a) => {
                let field = a.path.trim_start_matches('.');
                let title = titles
                    .iter()
                    .find(|(k, _)| *k == field)
                    .map_or_else(|| field.to_uppercase(), |(_, t)| t.to_string());
                out.push_str(&title);
            }
        }
    }
    out
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
    }
}
