//! `dockdrill schema`: one JSON Schema (draft 2020-12) for scenario and quiz files, so an editor with YAML
//! language support completes field names and flags typos as the instructor types. It is written by hand to
//! match [`super::raw`]; a test checks that every field the loader accepts appears here.

use serde_json::{Value, json};

fn string(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn lines(description: &str) -> Value {
    json!({ "type": "array", "items": { "type": "string" }, "description": description })
}

fn one_or_many(description: &str) -> Value {
    json!({
        "description": description,
        "oneOf": [ { "type": "string" }, { "type": "array", "items": { "type": "string" } } ]
    })
}

fn object(description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "properties": properties,
        "required": required,
    })
}

fn predicate_variant(
    name: &str,
    description: &str,
    fields: &[(&str, &str)],
    required: &[&str],
) -> Value {
    let mut props = serde_json::Map::new();
    for (f, d) in fields {
        props.insert((*f).to_string(), string(d));
    }
    props.insert("machine".into(), string("the machine (default: `default`)"));
    let inner = object(description, Value::Object(props), required);
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": { name: inner },
        "required": [name],
    })
}

/// The schema, as JSON.
pub fn schema() -> Value {
    let predicate = json!({
        "description": "a fact about the world",
        "oneOf": [
            predicate_variant("image_on_registry", "the tag (or digest) is on its registry", &[("image", "an image reference, e.g. alice/app:1.0 or localhost:5000/app")], &["image"]),
            predicate_variant("image_on_machine", "the machine has this image locally", &[("image", "a reference or an image ID prefix")], &["image"]),
            predicate_variant("container_exists", "a container with this name exists (any state)", &[("name", "container name")], &["name"]),
            predicate_variant("container_running", "a container with this name is running", &[("name", "container name")], &["name"]),
            predicate_variant("container_runs_image", "the container was created from the image this reference names now", &[("name", "container name"), ("image", "an image reference")], &["name", "image"]),
            predicate_variant("container_logs_contain", "the container's log contains the text", &[("name", "container name"), ("text", "text to find")], &["name", "text"]),
            predicate_variant("no_dangling_images", "no image without a tag", &[], &[]),
            predicate_variant("logged_in", "the machine is logged in to the registry", &[("registry", "registry host, e.g. docker.io"), ("user", "the account (optional)")], &["registry"]),
            predicate_variant("same_image", "both references name the same image ID", &[("a", "an image reference"), ("b", "an image reference")], &["a", "b"]),
            {
                "type": "object",
                "additionalProperties": false,
                "properties": { "not": { "$ref": "#/$defs/predicate" } },
                "required": ["not"]
            }
        ]
    });
    let world = object(
        "how this file's world differs from the default world (Docker Hub with the official images, accounts alice/wonderland and bob/builder, machine `default`)",
        json!({
            "machines": {
                "type": "object",
                "description": "machines by name (created on first use; each starts with the sample Node app)",
                "additionalProperties": object("a machine", json!({
                    "replace_files": { "type": "boolean", "description": "start without the sample app's files" },
                    "files": { "type": "object", "additionalProperties": { "type": "string" }, "description": "build-context files: path → content" },
                    "logins": { "type": "object", "additionalProperties": { "type": "string" }, "description": "registry host → user already logged in" },
                    "platform": { "type": "string", "description": "the machine's CPU platform, OS/ARCH (linux/amd64 when absent; linux/arm64 for an Apple-silicon laptop)" }
                }), &[])
            },
            "registries": {
                "type": "object",
                "description": "registries by host: docker.io or a private one like registry.example.com",
                "additionalProperties": object("a registry", json!({
                    "url": { "type": "string", "description": "a real registry (http://127.0.0.1:5000): this host's references push and pull over HTTP; no auth/accounts/repositories then" },
                    "auth": { "enum": ["hub", "open", "password"], "description": "hub: Docker Hub rules; open: anyone; password: every request needs a login" },
                    "accounts": { "type": "object", "additionalProperties": { "type": "string" }, "description": "user → password" },
                    "orgs": { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } }, "description": "organisation → members" },
                    "repositories": { "type": "object", "description": "repository path → settings", "additionalProperties": object("a repository", json!({
                        "visibility": { "enum": ["public", "private"] }
                    }), &[]) }
                }), &[])
            },
            "setup": lines("commands run silently before the learner arrives; `HOST$ ` picks the machine")
        }),
        &[],
    );
    let goal = object(
        "a state to reach, like a level",
        json!({
            "text": string("what the learner is asked to do"),
            "predicates": { "type": "array", "items": { "$ref": "#/$defs/predicate" }, "minItems": 1 },
            "hints": lines("from a nudge to the answer"),
            "solution": lines("the reference solution; its length is the par")
        }),
        &["predicates", "solution"],
    );
    let expect = object(
        "what the step's command must produce",
        json!({
            "exit_code": { "type": "integer" },
            "output_contains": one_or_many("text the output must contain"),
            "output_lacks": one_or_many("text the output must not contain"),
            "output_matches": one_or_many("patterns (. [] * + ? ^ $ \\d \\w \\s) a line must match"),
            "rows": { "type": "integer", "minimum": 0, "description": "rows of standard output, a table header not counted (0: nothing printed)" },
            "state": { "type": "array", "items": { "$ref": "#/$defs/predicate" } }
        }),
        &[],
    );
    let scenario = object(
        "a dockdrill scenario (a lesson and/or a goal)",
        json!({
            "format_version": { "const": 1 },
            "id": string("unique id (default: the file name)"),
            "title": string("the lesson's title"),
            "summary": string("one or two sentences"),
            "world": { "$ref": "#/$defs/world" },
            "steps": { "type": "array", "items": object("narrative text, a command, or both", json!({
                "text": string("narrative shown before the command"),
                "run": string("a command; `HOST$ ` picks the machine"),
                "expect": expect
            }), &[]) },
            "goal": goal,
            "events": { "type": "array", "items": object("commands run after the learner's N-th command", json!({
                "after": { "type": "integer", "minimum": 1 },
                "run": lines("script lines")
            }), &["after", "run"]) }
        }),
        &["title"],
    );
    let option = object(
        "an answer option",
        json!({
            "text": string("what the learner reads (default: `run`)"),
            "run": string("fails/succeeds: the command to try"),
            "value": string("predict: compared with the measurement (default: `text`)"),
            "state": { "type": "array", "items": { "$ref": "#/$defs/predicate" }, "description": "predict with measure: state" },
            "explanation": string("why this option is right or wrong")
        }),
        &[],
    );
    let question = object(
        "a question",
        json!({
            "kind": { "enum": ["fails", "succeeds", "predict", "task", "concept"] },
            "prompt": string("the question"),
            "world": { "$ref": "#/$defs/world" },
            "setup": lines("commands the learner sees run first"),
            "command": string("predict: the command whose result is asked about"),
            "measure": { "enum": ["exit_code", "rows", "line", "contains", "state"] },
            "options": { "type": "array", "items": option },
            "answer": one_or_many("the option label(s); checked against the simulation"),
            "explanation": string("shown after answering"),
            "goal": { "$ref": "#/$defs/goal" }
        }),
        &["kind", "prompt"],
    );
    let quiz = object(
        "a dockdrill quiz",
        json!({
            "format_version": { "const": 1 },
            "id": string("unique id (default: the file name)"),
            "title": string("the quiz's title"),
            "questions": { "type": "array", "items": question, "minItems": 1 }
        }),
        &["title", "questions"],
    );
    let course = object(
        "a course folder's course.yaml: the order of its scenarios and quizzes",
        json!({
            "format_version": { "const": 1 },
            "title": string("the course's title"),
            "order": { "type": "array", "description": "scenarios and quizzes by file name (without .yaml), in order; files not named come after", "items": {
                "oneOf": [
                    { "type": "string" },
                    object("a file with the title the listing shows", json!({
                        "name": string("file name without .yaml"),
                        "title": string("the title `scenarios` shows")
                    }), &["name", "title"])
                ]
            } }
        }),
        &["order"],
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/dockdrill/dockdrill/courseware.schema.json",
        "title": "dockdrill scenario or quiz",
        "oneOf": [ { "$ref": "#/$defs/quiz" }, { "$ref": "#/$defs/scenario" }, { "$ref": "#/$defs/course" } ],
        "$defs": {
            "predicate": predicate,
            "world": world,
            "goal": goal,
            "scenario": scenario,
            "quiz": quiz,
            "course": course
        }
    })
}

/// The schema as pretty-printed JSON text.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(&schema()).unwrap_or_default() + "\n"
}

/// The schema node a field path (`goal.hints`, `steps[0].expect.exit_code`) leads to in a scenario or quiz,
/// following `$ref`s; `None` when the path leaves the schema (a typo, or a branch of a `oneOf`).
fn node_at(root: &Value, quiz: bool, path: &str) -> Option<Value> {
    let defs = &root["$defs"];
    let resolve = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => defs[r.trim_start_matches("#/$defs/")].clone(),
            None => v.clone(),
        }
    };
    let mut node = defs[if quiz { "quiz" } else { "scenario" }].clone();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (key, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], segment[i..].matches('[').count()),
            None => (segment, 0),
        };
        if !key.is_empty() {
            node = resolve(&node);
            node = match node["properties"].get(key) {
                Some(v) => v.clone(),
                None => node
                    .get("additionalProperties")
                    .filter(|v| v.is_object())?
                    .clone(),
            };
        }
        for _ in 0..indexes {
            node = resolve(&node).get("items")?.clone();
        }
    }
    Some(resolve(&node))
}

/// What a schema node wants, in words: `a list of strings`, `a whole number`, `a mapping`.
fn words_for(node: &Value, plural: bool) -> Option<String> {
    let (a, s) = if plural { ("", "s") } else { ("a ", "") };
    if let Some(options) = node.get("oneOf").and_then(Value::as_array) {
        if node.get("description").and_then(Value::as_str) == Some("a fact about the world") {
            return Some(format!(
                "{a}predicate{s} (a mapping like `container_running: {{ name: web }}`)"
            ));
        }
        let words: Option<Vec<String>> = options.iter().map(|o| words_for(o, plural)).collect();
        return words.map(|w| w.join(" or "));
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let names: Vec<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(|v| format!("`{v}`"))
            .collect();
        return Some(format!("one of {}", names.join(", ")));
    }
    if node.get("const").is_some() {
        return Some(format!("the number {}", node["const"]));
    }
    if node.get("description").and_then(Value::as_str) == Some("a fact about the world") {
        return Some(format!("{a}predicate{s}"));
    }
    Some(match node.get("type").and_then(Value::as_str)? {
        "string" => format!("{a}string{s}"),
        "integer" if plural => "whole numbers".into(),
        "integer" => "a whole number".into(),
        "boolean" if plural => "`true` or `false` values".into(),
        "boolean" => "`true` or `false`".into(),
        "array" => {
            let items = node.get("items").map_or(Value::Null, Clone::clone);
            let items = match items.get("$ref").and_then(Value::as_str) {
                Some(r) => schema()["$defs"][r.trim_start_matches("#/$defs/")].clone(),
                None => items,
            };
            let inner = words_for(&items, true).unwrap_or_else(|| "values".into());
            let inner = inner.split(" (").next().unwrap_or(&inner).to_string();
            if plural {
                format!("lists of {inner}")
            } else {
                format!("a list of {inner}")
            }
        }
        "object" => format!("{a}mapping{s} (`key: value` lines)"),
        _ => return None,
    })
}

/// What the field at `path` expects, in words, when the schema says (`a list of strings` for `goal.hints`).
pub fn expected_at(quiz: bool, path: &str) -> Option<String> {
    words_for(&node_at(&schema(), quiz, path)?, false)
}

/// The mappings (as field paths without indexes, `steps[].expect`) that accept `field`, for an unknown field
/// that is probably indented under the wrong parent.
pub fn parents_of(quiz: bool, field: &str) -> Vec<String> {
    fn walk(
        node: &Value,
        defs: &Value,
        at: &str,
        field: &str,
        depth: usize,
        out: &mut Vec<String>,
    ) {
        if depth > 8 {
            return;
        }
        let node = match node.get("$ref").and_then(Value::as_str) {
            Some(r) => &defs[r.trim_start_matches("#/$defs/")],
            None => node,
        };
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            if props.contains_key(field) && !at.is_empty() {
                out.push(at.to_string());
            }
            for (k, v) in props {
                let sub = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                walk(v, defs, &sub, field, depth + 1, out);
            }
        }
        if let Some(items) = node.get("items") {
            walk(items, defs, &format!("{at}[]"), field, depth + 1, out);
        }
    }
    let root = schema();
    let mut out = Vec::new();
    let start = &root["$defs"][if quiz { "quiz" } else { "scenario" }];
    walk(start, &root["$defs"], "", field, 0, &mut out);
    if field != "machine" {
        out.retain(|p| !p.contains("predicates") && !p.contains("state"));
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_types_in_words() {
        assert_eq!(
            expected_at(false, "goal.hints").as_deref(),
            Some("a list of strings")
        );
        assert_eq!(
            expected_at(false, "steps[2].expect.exit_code").as_deref(),
            Some("a whole number")
        );
        assert_eq!(
            expected_at(true, "questions[0].kind").as_deref(),
            Some("one of `fails`, `succeeds`, `predict`, `task`, `concept`")
        );
        assert_eq!(
            expected_at(false, "world.machines.laptop.logins").as_deref(),
            Some("a mapping (`key: value` lines)")
        );
        assert_eq!(expected_at(false, "nonsense.field"), None);
    }

    #[test]
    fn a_field_names_the_mappings_that_take_it() {
        assert_eq!(parents_of(false, "exit_code"), vec!["steps[].expect"]);
        assert!(parents_of(false, "hints").contains(&"goal".to_string()));
    }
}
