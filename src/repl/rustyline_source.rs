//! Lines from a terminal, through rustyline: editing, completion, hints, highlighting, and history kept
//! between sessions in the data directory.
//!
//! The history file (`history` in the data directory) is plain text, one command per line, oldest first, at
//! most [`HISTORY_LIMIT`] lines. After every command the line is appended to what the file holds at that
//! moment, under the data folder's lock, and the file rewritten atomically, so a crash loses nothing and two
//! sessions sharing the folder keep each other's lines; a missing or unreadable file starts an empty
//! history, and bytes that are not UTF-8 are read as replacement characters rather than losing the file.

use crate::repl::helper::DrillHelper;
use crate::repl::line_source::{LazyNames, LineSource, ReadResult};
use crate::repl::paths::DataDir;
use crate::repl::style::Palette;
use rustyline::config::{CompletionType, Config, Configurer};
use rustyline::error::ReadlineError;
use rustyline::history::{DefaultHistory, History, SearchDirection};
use rustyline::{Cmd, ColorMode, Editor, EventHandler, KeyEvent};
use std::io;

/// The history file's name in the data directory.
pub const HISTORY_FILE: &str = "history";

/// How many commands the history keeps.
pub const HISTORY_LIMIT: usize = 1000;

/// One line from the editor: Ctrl-C and Ctrl-D are results, not errors.
fn read(editor: &mut Editor<DrillHelper, DefaultHistory>, prompt: &str) -> io::Result<ReadResult> {
    match editor.readline(prompt) {
        Ok(line) => Ok(ReadResult::Line(line)),
        Err(ReadlineError::Interrupted) => Ok(ReadResult::Interrupted),
        Err(ReadlineError::Eof) => Ok(ReadResult::Eof),
        Err(ReadlineError::Io(e)) => Err(e),
        Err(e) => Err(io::Error::other(e.to_string())),
    }
}

/// A terminal line source.
pub struct RustylineSource {
    editor: Editor<DrillHelper, DefaultHistory>,
    data: DataDir,
}

impl RustylineSource {
    /// An editor painting with `palette`, its history loaded from `data`.
    pub fn new(palette: Palette, data: DataDir) -> rustyline::Result<RustylineSource> {
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .max_history_size(HISTORY_LIMIT)?
            .history_ignore_dups(true)?
            .auto_add_history(false)
            .build();
        let mut editor = Editor::with_config(config)?;
        // Ctrl-Z would stop dockdrill, and with no job-control shell around it (tmux, an IDE's terminal)
        // nothing brings it back: it does nothing here.
        editor.bind_sequence(KeyEvent::ctrl('Z'), EventHandler::Simple(Cmd::Noop));
        editor.set_helper(Some(DrillHelper::new(palette)));
        if let Some(text) = data.read(HISTORY_FILE) {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let _ = editor.add_history_entry(line);
            }
        }
        Ok(RustylineSource { editor, data })
    }

    fn history_text(&self) -> String {
        let h = self.editor.history();
        let mut text = String::new();
        for i in 0..h.len() {
            if let Ok(Some(entry)) = h.get(i, SearchDirection::Forward) {
                text.push_str(&entry.entry);
                text.push('\n');
            }
        }
        text
    }
}

/// The history file's text with `line` added at the end: at most [`HISTORY_LIMIT`] lines, a repeat of the
/// last line not added twice.
fn appended(text: &str, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.last() != Some(&line) {
        lines.push(line);
    }
    let skip = lines.len().saturating_sub(HISTORY_LIMIT);
    let mut out = String::new();
    for l in &lines[skip..] {
        out.push_str(l);
        out.push('\n');
    }
    out
}

impl LineSource for RustylineSource {
    fn read_line(&mut self, prompt: &str) -> io::Result<ReadResult> {
        read(&mut self.editor, prompt)
    }

    /// A secret is read with the helper masking every character as `*` (rustyline has no no-echo mode;
    /// masking through the highlighter is its documented way, and it needs colour mode forced on while the
    /// password is typed). Completion and hints are off meanwhile, and nothing is added to the history.
    fn read_answer(&mut self, prompt: &str, secret: bool) -> io::Result<ReadResult> {
        if let Some(h) = self.editor.helper_mut() {
            h.answering = true;
            h.masking = secret;
        }
        let mode = self.editor.config_mut().color_mode();
        if secret {
            self.editor.set_color_mode(ColorMode::Forced);
        }
        let read = read(&mut self.editor, prompt);
        self.editor.set_color_mode(mode);
        if let Some(h) = self.editor.helper_mut() {
            h.answering = false;
            h.masking = false;
        }
        read
    }

    fn completes(&self) -> bool {
        true
    }

    fn set_names(&mut self, names: LazyNames) {
        if let Some(h) = self.editor.helper_mut() {
            h.names = names;
        }
    }

    fn remember(&mut self, line: &str) -> Option<String> {
        // Completion leaves a space after the last word; the history keeps the command, not the space.
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        let _ = self.editor.add_history_entry(line);
        // Append to what the file holds now (another session may have added lines since this one read
        // it), keeping the newest HISTORY_LIMIT lines.
        let fallback = self.history_text();
        self.data.update(HISTORY_FILE, |on_disk| match on_disk {
            Some(text) => appended(&text, line).into_bytes(),
            None => fallback.into_bytes(),
        })
    }

    fn width(&mut self) -> Option<usize> {
        self.editor.dimensions().map(|(cols, _)| cols as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_appended_to_the_file_as_it_is_now() {
        assert_eq!(appended("a\nb\n", "c"), "a\nb\nc\n");
        assert_eq!(appended("a\nc\n", "c"), "a\nc\n", "a repeat is kept once");
        let long: String = (0..HISTORY_LIMIT + 5).map(|i| format!("l{i}\n")).collect();
        let out = appended(&long, "new");
        assert_eq!(out.lines().count(), HISTORY_LIMIT);
        assert!(out.ends_with("new\n") && !out.contains("l5\n"));
    }
}
