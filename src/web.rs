//! The web page's half in Rust: the same [`Session`] as the terminal REPL, driven by JSON requests from the
//! page's JavaScript and answering in JSON, so a browser tab runs the learner's REPL with no server and no
//! install.
//!
//! Why JSON over a byte buffer rather than wasm-bindgen: the page needs four operations (start, a line,
//! completion, "saving failed") whose inputs and outputs are small documents, and a hand-written glue of about
//! sixty lines of JavaScript needs no second tool whose version must match a crate's. The WebAssembly side is
//! three functions ([`input_buffer`], [`call`], [`output`]); they only hand out the address of a buffer this
//! module owns (making a raw pointer is safe Rust: only reading through one is not), so this crate keeps
//! `unsafe_code = "forbid"`. Exporting them under fixed names needs `#[unsafe(no_mangle)]`, which `forbid`
//! rightly refuses; that attribute lives in the tiny `web/wasm` crate, the only place it is allowed.
//!
//! Everything else, the JSON shapes included, is plain Rust tested on the host (`cargo test --lib web`).
//!
//! Progress lives in the browser's `localStorage` under [`STORAGE_KEY`], in the progress file's own format
//! ([`Progress::to_json`]); a record that cannot be read is set aside under `dockdrill.progress.corrupt-N`
//! (`.newer-N` when a newer dockdrill wrote it) and the learner starts afresh, told once, as with the file.

use crate::repl::helper;
use crate::repl::progress::{Progress, Store};
use crate::repl::session::{Chunk, Flow, Session};
use crate::repl::style::Kind;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;

/// The `localStorage` key of the learner's progress.
pub const STORAGE_KEY: &str = "dockdrill.progress";

/// How many set-aside names (`….corrupt-1` …) are tried.
const MAX_BACKUPS: u32 = 1000;

/// What the page asks.
#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// The page opened: the stored progress record (if any), whether storage works at all, and the storage
    /// keys already taken (to choose a free name for a record set aside).
    Start {
        progress: Option<String>,
        #[serde(default = "yes")]
        storage: bool,
        #[serde(default)]
        taken: Vec<String>,
    },
    /// A line typed (or replayed from a link).
    Line { line: String },
    /// Tab: the text before and after the cursor.
    Complete { before: String, after: String },
    /// The page could not write the progress record the last reply asked it to save.
    SaveFailed { why: String },
}

fn yes() -> bool {
    true
}

/// A piece of output, as the page paints it: `kind` becomes the CSS class `k-<kind>`.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct WebChunk {
    pub kind: &'static str,
    pub text: String,
}

/// A record to move aside in storage before anything is saved.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct SetAside {
    pub from: String,
    pub to: String,
}

/// What the page is told after a start or a line.
#[derive(Debug, Serialize)]
pub struct Reply {
    pub chunks: Vec<WebChunk>,
    /// The next prompt; empty while a command waits for its standard input (a password: the page hides it).
    pub prompt: String,
    /// The world drawn ([`crate::svg::svg`]).
    pub svg: String,
    /// The progress record to store under [`STORAGE_KEY`], when something was achieved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub save: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_aside: Option<SetAside>,
}

/// What Tab completes to.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Completion {
    /// Where the replaced word starts, in UTF-16 units of `before` (JavaScript's string indexes).
    pub from: usize,
    /// The text that replaces `before[from..]`: the one candidate and a space, or the candidates' common
    /// prefix.
    pub insert: String,
    /// Every candidate, to list when there is more than one.
    pub candidates: Vec<String>,
}

/// Saving as the browser does it: the record is handed back to the page in the reply.
struct PageStore {
    outbox: Rc<RefCell<Option<String>>>,
}

impl Store for PageStore {
    fn save(&mut self, progress: &Progress) -> Option<String> {
        *self.outbox.borrow_mut() = Some(progress.to_json());
        None
    }
}

/// One browser tab's session.
pub struct Page {
    session: Session,
    outbox: Rc<RefCell<Option<String>>>,
    save_failed: bool,
}

impl Default for Page {
    fn default() -> Page {
        Page::new()
    }
}

impl Page {
    /// A fresh session on the default world; progress arrives with [`Request::Start`].
    pub fn new() -> Page {
        let mut session = Session::new();
        // The page is a terminal to its learner: `docker run -it` works and BuildKit draws its final frame.
        session.set_tty(true);
        // Frames are not played in the page: the final lines are shown at once.
        session.set_animation(false);
        Page {
            session,
            outbox: Rc::new(RefCell::new(None)),
            save_failed: false,
        }
    }

    /// Answers one request, as JSON text.
    pub fn handle_json(&mut self, request: &str) -> String {
        match serde_json::from_str::<Request>(request) {
            Ok(Request::Start {
                progress,
                storage,
                taken,
            }) => json(&self.start(progress.as_deref(), storage, &taken)),
            Ok(Request::Line { line }) => json(&self.line(&line)),
            Ok(Request::Complete { before, after }) => json(&self.complete(&before, &after)),
            Ok(Request::SaveFailed { why }) => json(&self.save_failed(&why)),
            Err(e) => json(&self.reply(vec![Chunk::note(format!(
                "the page sent a request dockdrill cannot read ({e})"
            ))])),
        }
    }

    /// The opening: the welcome, what the learner has done so far, a record set aside if it was unreadable.
    pub fn start(&mut self, stored: Option<&str>, storage: bool, taken: &[String]) -> Reply {
        let mut opening = vec![Chunk::new(Kind::Info, WELCOME)];
        let mut set_aside = None;
        let mut progress = Progress::default();
        if !storage {
            opening.push(Chunk::note(
                "this browser keeps nothing for the page: progress will not be saved this session",
            ));
        } else if let Some(text) = stored {
            match Progress::from_json(text) {
                Ok(p) => progress = p,
                Err(why) => {
                    let free = (1..=MAX_BACKUPS)
                        .map(|n| format!("{STORAGE_KEY}.{}-{n}", why.suffix()))
                        .find(|k| !taken.contains(k));
                    match free {
                        Some(backup) => {
                            opening.push(Chunk::note(format!(
                                "`{STORAGE_KEY}` in this browser's storage {}: kept as `{backup}`, starting afresh",
                                why.describe()
                            )));
                            set_aside = Some(SetAside {
                                from: STORAGE_KEY.to_string(),
                                to: backup,
                            });
                        }
                        None => {
                            // Nowhere to keep it: never overwrite what the learner achieved.
                            self.save_failed = true;
                            opening.push(Chunk::note(format!(
                                "`{STORAGE_KEY}` in this browser's storage {} and cannot be set aside: progress will not be saved this session",
                                why.describe()
                            )));
                        }
                    }
                }
            }
        }
        let returning = !progress.is_empty();
        let store: Option<Box<dyn Store>> = (storage && !self.save_failed).then(|| {
            Box::new(PageStore {
                outbox: Rc::clone(&self.outbox),
            }) as Box<dyn Store>
        });
        self.session.set_progress(progress, store);
        let lead = if returning { "welcome back: " } else { "" };
        opening.push(Chunk::note(format!(
            "{lead}{}; `scenarios` lists them",
            self.session.progress_summary()
        )));
        let mut reply = self.reply(opening);
        reply.set_aside = set_aside;
        reply
    }

    /// Runs one line through the session.
    pub fn line(&mut self, line: &str) -> Reply {
        let (chunks, quit) = step(&mut self.session, line);
        let mut chunks = chunks;
        if quit {
            chunks.push(Chunk::note(
                "`exit` leaves the terminal REPL; here, just close the tab (progress is already saved)",
            ));
        }
        self.reply(chunks)
    }

    /// Completion for Tab, from the world as it is now (the terminal's completion, [`helper::complete`]).
    pub fn complete(&self, before: &str, after: &str) -> Completion {
        let line = format!("{before}{after}");
        let (start, candidates) = helper::complete(&self.session.names(), &line, before.len());
        let typed = before.get(start..).unwrap_or("");
        let insert = match candidates.as_slice() {
            [one] => format!("{one} "),
            [] => typed.to_string(),
            [first, rest @ ..] => {
                let mut prefix = first.as_str();
                for c in rest {
                    let common = prefix
                        .char_indices()
                        .zip(c.chars())
                        .find(|((_, a), b)| a != b)
                        .map_or(prefix.len().min(c.len()), |((i, _), _)| i);
                    prefix = &prefix[..common];
                }
                if prefix.len() >= typed.len() {
                    prefix.to_string()
                } else {
                    typed.to_string()
                }
            }
        };
        Completion {
            from: before.get(..start).unwrap_or("").encode_utf16().count(),
            insert,
            candidates,
        }
    }

    /// The page could not store the record: said once, and saving stops for the session.
    pub fn save_failed(&mut self, why: &str) -> Reply {
        let mut chunks = Vec::new();
        if !self.save_failed {
            self.save_failed = true;
            self.session
                .set_progress(self.session.progress().clone(), None);
            chunks.push(Chunk::note(format!(
                "progress: cannot write `{STORAGE_KEY}` in this browser's storage ({why}): saving disabled for this session"
            )));
        }
        self.reply(chunks)
    }

    fn reply(&mut self, chunks: Vec<Chunk>) -> Reply {
        Reply {
            chunks: chunks.iter().map(web_chunk).collect(),
            prompt: self.session.prompt(),
            svg: crate::svg::svg(self.session.world(), Some(self.session.machine())),
            save: self.outbox.borrow_mut().take(),
            set_aside: None,
        }
    }
}

/// The one place the page calls the session: a line in, the pieces to show and whether it asked to quit.
fn step(session: &mut Session, line: &str) -> (Vec<Chunk>, bool) {
    let outcome = session.handle_line(line);
    let quit = outcome.flow == Flow::Quit;
    (outcome.output, quit)
}

/// The CSS class of a kind of output (`k-stderr` is red, `k-note` cyan, as in the terminal).
pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Echo => "echo",
        Kind::Stdout => "stdout",
        Kind::Stderr => "stderr",
        Kind::Note => "note",
        Kind::Info => "info",
        Kind::Heading => "heading",
    }
}

fn web_chunk(chunk: &Chunk) -> WebChunk {
    WebChunk {
        kind: kind_name(chunk.kind),
        text: chunk.text.clone(),
    }
}

fn json<T: Serialize>(value: &T) -> String {
    // Plain structs of strings, numbers and lists always serialise.
    serde_json::to_string(value).unwrap_or_else(|e| {
        format!(
            r#"{{"chunks":[{{"kind":"note","text":"[dockdrill] cannot answer the page: {e}\n"}}]}}"#
        )
    })
}

thread_local! {
    /// The tab's session (WebAssembly in a page is single-threaded: one per instance).
    static PAGE: RefCell<Page> = RefCell::new(Page::new());
    /// Where the page writes a request.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Where the last reply waits for the page to read it.
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the input buffer `len` bytes long and returns its address, for the page to write a request into.
pub fn input_buffer(len: usize) -> *mut u8 {
    INPUT.with_borrow_mut(|b| {
        b.clear();
        b.resize(len, 0);
        b.as_mut_ptr()
    })
}

/// Answers the request in the input buffer; returns the reply's length in bytes (read it at [`output`]).
pub fn call() -> usize {
    let request = INPUT.with_borrow_mut(std::mem::take);
    let reply = match String::from_utf8(request) {
        Ok(text) => PAGE.with_borrow_mut(|p| p.handle_json(&text)),
        Err(_) => json(&WebChunk {
            kind: "note",
            text: "[dockdrill] the page sent text that is not UTF-8\n".into(),
        }),
    };
    OUTPUT.with_borrow_mut(|o| {
        *o = reply.into_bytes();
        o.len()
    })
}

/// The address of the last reply.
pub fn output() -> *const u8 {
    OUTPUT.with_borrow(|o| o.as_ptr())
}

/// What the page says first (the terminal's welcome, with the page's keys).
const WELCOME: &str = "\
dockdrill: Docker, simulated in your browser (no real Docker is touched, nothing leaves this page)
Try:   docker build -t myimage .      build the sample Node app in this folder (`ls`, `cat Dockerfile`)
       docker run -d --name web myimage
       state                          the world as text; the drawing beside this terminal follows each command
       explain                        why the last command did what it did
       scenarios                      lessons and levels to play (`play first-image`), and a quiz (`quiz`)
`help` lists everything, with the Docker Hub accounts alice/wonderland and bob/builder.
Tab completes, ↑/↓ walk the history, Ctrl-C clears the line.
";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn ask(page: &mut Page, request: &str) -> Value {
        serde_json::from_str(&page.handle_json(request)).unwrap_or(Value::Null)
    }

    fn text(reply: &Value) -> String {
        reply["chunks"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["text"].as_str()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_line_runs_through_the_session_with_its_kinds() {
        let mut page = Page::new();
        let start = ask(&mut page, r#"{"op":"start","progress":null}"#);
        assert!(text(&start).contains("simulated in your browser"));
        assert_eq!(start["prompt"], "$ ");
        let r = ask(&mut page, r#"{"op":"line","line":"docker pull alpine"}"#);
        assert!(text(&r).contains("Pull complete"), "{r}");
        assert!(
            r["svg"]
                .as_str()
                .is_some_and(|s| s.contains("alpine:latest"))
        );
        let r = ask(&mut page, r#"{"op":"line","line":"docker rmi nothing"}"#);
        assert_eq!(r["chunks"][0]["kind"], "stderr");
        let r = ask(&mut page, r#"{"op":"line","line":"machine laptop"}"#);
        assert_eq!(r["chunks"][0]["kind"], "note");
        assert_eq!(r["prompt"], "laptop$ ");
    }

    #[test]
    fn a_password_line_gets_an_empty_prompt() {
        let mut page = Page::new();
        let r = ask(
            &mut page,
            r#"{"op":"line","line":"docker login -u alice --password-stdin"}"#,
        );
        assert_eq!(r["prompt"], "");
        let r = ask(&mut page, r#"{"op":"line","line":"wonderland"}"#);
        assert!(text(&r).contains("Login Succeeded"), "{r}");
        assert_eq!(r["prompt"], "$ ");
    }

    #[test]
    fn exit_is_explained_not_obeyed() {
        let mut page = Page::new();
        let r = ask(&mut page, r#"{"op":"line","line":"exit"}"#);
        assert!(text(&r).contains("close the tab"));
        let r = ask(&mut page, r#"{"op":"line","line":"docker ps -q"}"#);
        assert_eq!(r["chunks"], Value::Array(vec![]));
    }

    #[test]
    fn completion_comes_from_the_world() {
        let mut page = Page::new();
        let _ = page.line("docker build -t myimage .");
        let _ = page.line("docker run -d --name web myimage");
        let c = page.complete("docker stop w", "");
        assert_eq!(c.insert, "web ");
        assert_eq!(c.from, "docker stop ".len());
        let c = page.complete("docker run my", "");
        assert_eq!(c.candidates, ["myimage", "myimage:latest"]);
        assert_eq!(c.insert, "myimage");
        let c = page.complete("ex", "");
        assert_eq!(c.candidates, ["exit", "explain"]);
        assert_eq!(c.insert, "ex");
        // UTF-16 offsets: what JavaScript counts.
        let c = page.complete("echo é > f; docker stop w", "");
        assert_eq!(c.from, "echo é > f; docker stop ".encode_utf16().count());
    }

    #[test]
    fn progress_is_saved_through_the_reply() {
        let mut page = Page::new();
        let _ = page.start(None, true, &[]);
        let _ = page.line("play rebuild-without-dangling");
        let mut saved = None;
        for line in [
            "sed -i 's/version 1/version 2/' server.js",
            "docker build -t myimage .",
            "docker image prune -f",
            "docker run -d --name web myimage",
        ] {
            let r = page.line(line);
            assert!(saved.is_none() || r.save.is_none(), "saved once");
            saved = saved.or(r.save);
        }
        let saved = saved.unwrap_or_default();
        assert!(
            saved.contains(r#""rebuild-without-dangling": {"#)
                && saved.contains("\"format_version\": 1"),
            "{saved}"
        );
        // A new tab reads it back.
        let mut again = Page::new();
        let r = again.start(Some(&saved), true, &[]);
        let t: String = r.chunks.iter().map(|c| c.text.as_str()).collect();
        assert!(t.contains("welcome back: 1 of"), "{t}");
    }

    #[test]
    fn a_corrupt_record_is_set_aside_and_named() {
        let mut page = Page::new();
        let taken = vec![format!("{STORAGE_KEY}.corrupt-1")];
        let r = page.start(Some("{ garbage"), true, &taken);
        let t: String = r.chunks.iter().map(|c| c.text.as_str()).collect();
        assert!(
            t.contains("[dockdrill] `dockdrill.progress` in this browser's storage is not a progress file ("),
            "{t}"
        );
        assert!(t.contains("kept as `dockdrill.progress.corrupt-2`, starting afresh"));
        assert_eq!(
            r.set_aside,
            Some(SetAside {
                from: STORAGE_KEY.into(),
                to: format!("{STORAGE_KEY}.corrupt-2")
            })
        );
        let r = Page::new().start(Some(r#"{"format_version": 9}"#), true, &[]);
        assert_eq!(
            r.set_aside.map(|s| s.to),
            Some(format!("{STORAGE_KEY}.newer-1"))
        );
    }

    #[test]
    fn a_failed_save_is_said_once() {
        let mut page = Page::new();
        let _ = page.start(None, true, &[]);
        let r = ask(
            &mut page,
            r#"{"op":"save_failed","why":"QuotaExceededError"}"#,
        );
        assert!(text(&r).contains("saving disabled for this session"));
        let r = ask(&mut page, r#"{"op":"save_failed","why":"again"}"#);
        assert_eq!(text(&r), "");
    }

    #[test]
    fn a_bad_request_is_answered_not_fatal() {
        let mut page = Page::new();
        let r = ask(&mut page, r#"{"op":"frob"}"#);
        assert!(text(&r).contains("cannot read"), "{r}");
        let r = ask(&mut page, "not json");
        assert!(text(&r).contains("cannot read"), "{r}");
    }

    #[test]
    fn the_buffers_carry_a_request_and_its_reply() {
        let request = br#"{"op":"line","line":"docker images -q"}"#;
        let _ = input_buffer(request.len());
        INPUT.with_borrow_mut(|b| b.copy_from_slice(request));
        let len = call();
        assert!(!output().is_null());
        let reply = OUTPUT.with_borrow(|o| String::from_utf8_lossy(&o[..len]).into_owned());
        assert!(reply.starts_with(r#"{"chunks":[]"#), "{reply}");
    }
}
