//! Fitting the simulator's own text to the screen. Notes, `help`, `explain`, `state`, hints and quiz text are
//! wrapped at word boundaries to the terminal's width with a hanging indent, so a continuation line starts
//! under the text it continues rather than at the margin. Docker's own lines (stdout and stderr of a docker
//! command) are never touched: they stay exactly as Docker prints them, however long.
//!
//! The width is `COLUMNS` when it is set, else the terminal's, else 80 ([`width`]). Colour escape sequences
//! take no columns, so painting a line never changes where it breaks.

use crate::repl::activity::Chunk;
use crate::repl::style::{Kind, NOTE_MARKER};

/// The width used when neither `COLUMNS` nor the terminal says.
pub const DEFAULT_WIDTH: usize = 80;

/// Narrower than this, wrapping would do more harm than good (one word a line).
const MIN_WIDTH: usize = 20;

/// The width to wrap at: `COLUMNS` when set to a number, else `terminal` (the terminal's own, when known),
/// else [`DEFAULT_WIDTH`].
pub fn width(columns: Option<&str>, terminal: Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .or(terminal.filter(|w| *w > 0))
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
}

/// [`width`] with `COLUMNS` read from the environment.
pub fn width_from_env(terminal: Option<usize>) -> usize {
    width(std::env::var("COLUMNS").ok().as_deref(), terminal)
}

/// Does text of this kind wrap? Only the simulator's own voice does.
pub fn wraps(kind: Kind) -> bool {
    matches!(kind, Kind::Note | Kind::Info | Kind::Heading)
}

/// Wraps the simulator's chunks to `width`; Docker's chunks (and anything carrying progress frames) pass
/// through unchanged.
pub fn chunks(chunks: &[Chunk], width: usize) -> Vec<Chunk> {
    chunks
        .iter()
        .map(|c| {
            if wraps(c.kind) && c.progress.is_empty() {
                Chunk {
                    kind: c.kind,
                    text: text(&c.text, width),
                    progress: Vec::new(),
                }
            } else {
                c.clone()
            }
        })
        .collect()
}

/// Wraps every line of `text` to `width` columns (see [`line`]); line ends are kept.
pub fn text(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for piece in text.split_inclusive('\n') {
        let (body, nl) = match piece.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (piece, ""),
        };
        out.push_str(&line(body, width));
        out.push_str(nl);
    }
    out
}

/// Wraps one line at word boundaries. Continuation lines are indented under the line's text: past its leading
/// spaces, a bullet (`• `, `- `, `+ `, `~ `, `✓ `, `✗ `), the `[dockdrill] ` marker, a tree branch (`├─ `,
/// `│  `), or the second column of a two-column row (`  state      draw the world`). A word longer than the
/// room left is put on a line of its own and not cut (a long image ID or URL stays whole and copyable).
pub fn line(line: &str, width: usize) -> String {
    if visible_len(line) <= width || quotes_docker(line) {
        return line.to_string();
    }
    let hang = hang(line).min(width / 2);
    let pad = " ".repeat(hang);
    let mut out = String::with_capacity(line.len() + 16);
    // The first line keeps its own leading text (indent, bullet) as it is.
    let (lead, rest) = split_at_column(line, hang);
    out.push_str(lead);
    let mut col = visible_len(lead);
    let mut fresh = true; // nothing but the indent on the current line yet
    for (space, word) in words(rest) {
        let w = visible_len(word);
        if !fresh && col + visible_len(space) + w > width {
            out.push('\n');
            out.push_str(&pad);
            col = hang;
            fresh = true;
        }
        if !fresh {
            out.push_str(space);
            col += visible_len(space);
        }
        out.push_str(word);
        col += w;
        fresh = false;
    }
    out
}

/// A line quoting Docker's output inside the simulator's text (`     | Deleted: sha256:…`, a quiz's reveal):
/// Docker's words, never wrapped.
fn quotes_docker(line: &str) -> bool {
    line.trim_start().starts_with("| ") || line.trim_start() == "|"
}

/// Joins the lines of each paragraph of authored text (a scenario's summary, a quiz prompt written with its
/// own line breaks in YAML) so that [`text`] can wrap it to the screen. Blank lines, and lines that start
/// with a space, a bullet or a `$ ` command, keep their own line.
pub fn reflow(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open = false;
    for l in text.lines() {
        let own_line = l.trim().is_empty()
            || l.starts_with([' ', '\t', '-', '*', '•', '|', '$'])
            || l.contains("$ ");
        if open && !own_line {
            out.push(' ');
        } else if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(l.trim_end());
        open = !l.trim().is_empty() && !own_line;
    }
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The column continuation lines start at.
fn hang(line: &str) -> usize {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if let Some(after) = rest.strip_prefix(NOTE_MARKER) {
        let _ = after;
        return indent + NOTE_MARKER.len();
    }
    // Tree branches and bullets, possibly several (`│  └─ `).
    let mut col = indent;
    let mut rest = rest;
    loop {
        let before = rest;
        for prefix in [
            "├─ ", "└─ ", "│  ", "• ", "- ", "+ ", "~ ", "✓ ", "✗ ", "* ",
        ] {
            if let Some(r) = rest.strip_prefix(prefix) {
                col += prefix.chars().count();
                rest = r;
                break;
            }
        }
        if std::ptr::eq(before, rest) {
            break;
        }
    }
    // A two-column row: a first field, then a gap of two or more spaces, within the first half of the line.
    if let Some(gap) = rest.find("  ") {
        let field = &rest[..gap];
        let after = rest[gap..].trim_start_matches(' ');
        let col2 = col + visible_len(&rest[..rest.len() - after.len()]);
        if !field.is_empty() && !field.contains("  ") && !after.is_empty() && col2 <= 40 {
            return col2;
        }
    }
    col
}

/// Splits `line` after its first `col` visible columns (never inside a character).
fn split_at_column(line: &str, col: usize) -> (&str, &str) {
    let mut seen = 0;
    for (i, c) in line.char_indices() {
        if seen == col {
            return (&line[..i], &line[i..]);
        }
        if c != '\u{1b}' {
            seen += 1;
        }
    }
    (line, "")
}

/// (the spaces before a word, the word) pairs; a word is a run of non-space characters.
fn words(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let word_at = rest.len() - rest.trim_start_matches(' ').len();
        let (space, tail) = rest.split_at(word_at);
        if tail.is_empty() {
            break;
        }
        let end = tail.find(' ').unwrap_or(tail.len());
        out.push((space, &tail[..end]));
        rest = &tail[end..];
    }
    out
}

/// Columns `text` takes on screen: characters, not counting ANSI escape sequences (`ESC [ … letter`).
pub fn visible_len(text: &str) -> usize {
    let mut n = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC '[' parameters… final byte in @..~
            if chars.clone().next() == Some('[') {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_line_fits(text: &str, width: usize) {
        for l in text.lines() {
            assert!(visible_len(l) <= width, "{l:?} is wider than {width}");
        }
    }

    #[test]
    fn width_prefers_columns_then_the_terminal_then_80() {
        assert_eq!(width(Some("100"), Some(120)), 100);
        assert_eq!(width(Some("x"), Some(120)), 120);
        assert_eq!(width(None, Some(60)), 60);
        assert_eq!(width(None, None), 80);
        assert_eq!(width(Some("0"), None), 80);
        assert_eq!(width(Some("5"), None), MIN_WIDTH);
    }

    #[test]
    fn short_lines_are_untouched() {
        assert_eq!(line("hello world", 80), "hello world");
        assert_eq!(text("a\n\nb\n", 10), "a\n\nb\n");
    }

    #[test]
    fn notes_wrap_at_words_under_their_text() {
        let note = "[dockdrill] this push uploaded 860.6kB of the image's 65.33MB compressed layers; the rest was already on docker.io";
        let w = line(note, 40);
        every_line_fits(&w, 40);
        let lines: Vec<&str> = w.lines().collect();
        assert_eq!(lines[0], "[dockdrill] this push uploaded 860.6kB");
        assert!(lines[1].starts_with("            of the image's"), "{w}");
        // Nothing lost, nothing cut: the words are the same.
        assert_eq!(
            w.split_whitespace().collect::<Vec<_>>(),
            note.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn bullets_and_table_rows_hang() {
        let bullet = "  • the push uploaded 860.6kB of the image's 65.33MB: a registry stores each layer once";
        let w = line(bullet, 50);
        every_line_fits(&w, 50);
        for l in w.lines().skip(1) {
            assert!(l.starts_with("    ") && !l.starts_with("     "), "{w}");
        }
        let row = "  state                draw the world: machines with their images, layers and containers, and registries";
        let w = line(row, 60);
        every_line_fits(&w, 60);
        for l in w.lines().skip(1) {
            assert!(l.starts_with(&" ".repeat(23)), "{w}");
            assert!(!l.starts_with(&" ".repeat(24)), "{w}");
        }
        let tree = "│  └─ alice/app:latest  6da357d30971  L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L12";
        let w = line(tree, 50);
        every_line_fits(&w, 50);
    }

    #[test]
    fn a_long_word_is_never_cut() {
        let url = "[dockdrill] see https://docs.docker.com/go/credential-store/and/a/very/long/path/indeed";
        let w = line(url, 30);
        assert!(
            w.contains("https://docs.docker.com/go/credential-store/and/a/very/long/path/indeed"),
            "{w}"
        );
    }

    #[test]
    fn paragraphs_reflow_and_lists_keep_their_lines() {
        assert_eq!(
            reflow("The server runs alice/app. Get the\nserver's `web` running.\n\n- one\n- two\n"),
            "The server runs alice/app. Get the server's `web` running.\n\n- one\n- two\n"
        );
        assert_eq!(reflow("a\n  indented\nb"), "a\n  indented\nb");
    }

    #[test]
    fn quoted_docker_lines_stay_whole() {
        let quoted = format!("     | Deleted: sha256:{}", "a".repeat(64));
        assert_eq!(line(&quoted, 40), quoted);
    }

    #[test]
    fn colour_codes_take_no_room() {
        let painted = "\u{1b}[36m[dockdrill] one two three\u{1b}[0m";
        assert_eq!(visible_len(painted), 25);
        assert_eq!(line(painted, 25), painted);
    }

    #[test]
    fn docker_lines_are_never_wrapped() {
        let long = "x ".repeat(100);
        let out = chunks(
            &[
                Chunk::new(Kind::Stdout, long.clone()),
                Chunk::new(Kind::Stderr, long.clone()),
                Chunk::new(Kind::Note, long.clone()),
            ],
            40,
        );
        assert_eq!(out[0].text, format!("{long}\n"));
        assert_eq!(out[1].text, format!("{long}\n"));
        every_line_fits(&out[2].text, 40);
    }
}
