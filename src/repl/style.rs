//! Colour, decided once. The REPL resolves whether to colour at start-up (`Palette::detect`) and passes the
//! palette to everything that paints; this is the only module that calls `colored`, so a test or a pipe can
//! never receive an escape sequence by accident.
//!
//! The voices are kept apart: Docker's stdout exactly as Docker prints it, Docker's stderr in red (still
//! Docker's words), and the simulator's own notes in cyan behind a `[dockdrill]` marker, so nobody mistakes
//! the simulator for Docker.

use colored::Colorize;

/// What a piece of REPL output is, which decides how it is painted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The echoed command (`$ docker ps`) when reading from a pipe.
    Echo,
    /// Docker's standard output.
    Stdout,
    /// Docker's standard error.
    Stderr,
    /// A note of the simulator's (already carrying its `[dockdrill]` marker).
    Note,
    /// Output of the simulator's own commands (`help`, `state`, `explain`).
    Info,
    /// A heading inside the simulator's own output.
    Heading,
}

/// The marker every simulator note starts with (the same one `replay` transcripts use).
pub const NOTE_MARKER: &str = "[dockdrill] ";

/// Whether and how to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    color: bool,
}

impl Palette {
    /// No colour at all (pipes, tests).
    pub fn plain() -> Palette {
        Palette { color: false }
    }

    /// Decides colour for a session writing to a terminal or not: `NO_COLOR` (any non-empty value) turns it
    /// off, `CLICOLOR_FORCE` turns it on, otherwise colour exactly when `interactive` (stdin and stdout are
    /// terminals). Also sets `colored`'s global override so nothing else second-guesses the decision.
    pub fn detect(interactive: bool) -> Palette {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let color = if set("NO_COLOR") {
            false
        } else if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0" && !v.is_empty()) {
            true
        } else {
            interactive
        };
        colored::control::set_override(color);
        Palette { color }
    }

    /// True when escape sequences are written.
    pub fn enabled(self) -> bool {
        self.color
    }

    /// Paints `text` as `kind`, line by line so that no escape sequence spans a newline (a terminal that
    /// scrolls mid-colour would otherwise bleed it into the prompt).
    pub fn paint(self, kind: Kind, text: &str) -> String {
        if !self.color || kind == Kind::Stdout {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 16);
        for piece in text.split_inclusive('\n') {
            let (line, nl) = match piece.strip_suffix('\n') {
                Some(l) => (l, "\n"),
                None => (piece, ""),
            };
            if !line.is_empty() {
                let painted = match kind {
                    Kind::Echo => line.bold().to_string(),
                    Kind::Stderr => line.red().to_string(),
                    Kind::Note => line.cyan().to_string(),
                    Kind::Heading => line.bold().to_string(),
                    Kind::Info | Kind::Stdout => line.to_string(),
                };
                out.push_str(&painted);
            }
            out.push_str(nl);
        }
        out
    }

    /// A word of the typed line: a known command (`docker`, `state`), a flag, or something unknown.
    pub fn word(self, word: &str, role: WordRole) -> String {
        if !self.color {
            return word.to_string();
        }
        match role {
            WordRole::Docker => word.bold().blue().to_string(),
            WordRole::Simulator => word.bold().cyan().to_string(),
            WordRole::Flag => word.yellow().to_string(),
            WordRole::Unknown => word.red().to_string(),
            WordRole::Plain => word.to_string(),
        }
    }

    /// A hint shown after the cursor.
    pub fn hint(self, hint: &str) -> String {
        if self.color {
            hint.dimmed().to_string()
        } else {
            hint.to_string()
        }
    }

    /// The prompt.
    pub fn prompt(self, prompt: &str) -> String {
        if self.color {
            prompt.bold().green().to_string()
        } else {
            prompt.to_string()
        }
    }
}

/// What a word of the typed line is, for highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordRole {
    /// `docker` and a known docker subcommand.
    Docker,
    /// A command of the simulator (`state`, `undo`) or a file helper (`cat`).
    Simulator,
    /// `-d`, `--rm`.
    Flag,
    /// A command word nothing knows.
    Unknown,
    /// Anything else.
    Plain,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_palette_never_escapes() {
        let p = Palette::plain();
        for kind in [
            Kind::Echo,
            Kind::Stdout,
            Kind::Stderr,
            Kind::Note,
            Kind::Info,
            Kind::Heading,
        ] {
            assert_eq!(p.paint(kind, "a\nb\n"), "a\nb\n");
        }
        assert_eq!(p.word("docker", WordRole::Docker), "docker");
        assert_eq!(p.hint("x"), "x");
    }

    #[test]
    fn colour_stays_within_lines() {
        colored::control::set_override(true);
        let p = Palette { color: true };
        let s = p.paint(Kind::Stderr, "one\ntwo\n");
        assert!(s.ends_with('\n'));
        for line in s.lines() {
            assert!(
                line.starts_with('\u{1b}') && line.ends_with('m'),
                "{line:?}"
            );
        }
    }
}
