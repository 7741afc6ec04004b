//! Control characters in course files: stripped where the text enters dockdrill, reported by `check`.
//!
//! A lesson's title, text, hints or options end up on the learner's terminal, and a terminal obeys what it
//! is sent: `ESC ]0;…` retitles the window, `ESC ]52;…` writes the clipboard in many terminals, `ESC [2J`
//! clears the screen. No lesson needs them, so every control character other than newline and tab (C0,
//! DEL and C1; a carriage return only as part of a `\r\n` line end) is removed from a course file's text
//! before it is parsed, whether written raw or as a YAML escape inside a double-quoted scalar (`"\e"`,
//! `"\x1b"`, `"\u001b"`, `"\a"`, `"\N"`…). `dockdrill check` reports each one with its line and column, so an
//! instructor (or a reviewer of a stranger's pull request) sees it.
//!
//! Finding escapes needs to know where double-quoted scalars are: [`scan`] is a small YAML tokenizer for
//! exactly that (comments, single- and double-quoted scalars, block scalars, plain scalars), not a parser.

use super::diagnostic::{CourseError, CourseErrorKind, Pos};
use std::borrow::Cow;
use std::path::Path;

/// One control character found in a course file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    /// 1-based line and column (in characters) where it is written.
    pub line: usize,
    pub column: usize,
    /// The character it is (or decodes to).
    pub ch: char,
    /// Byte range of what is removed: the character, or the whole escape sequence.
    pub bytes: std::ops::Range<usize>,
}

/// Is `c` a character dockdrill never lets a course file print?
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{80}'..='\u{9f}')
}

/// The control characters in `text`, in order.
pub fn scan(text: &str) -> Vec<Control> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut line_start = 0;
    let column = |at: usize, line_start: usize| text[line_start..at].chars().count() + 1;
    let mut state = State::Plain;
    // Block scalar: lines indented more than this are its content.
    let mut block_indent: Option<usize> = None;
    let mut at_line_start = true;
    let mut last_token = Last::LineStart;
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if at_line_start {
            at_line_start = false;
            let indent = text[i..].bytes().take_while(|b| *b == b' ').count();
            let blank =
                text[i + indent..].starts_with('\n') || text[i + indent..].starts_with("\r\n");
            if let Some(b) = block_indent {
                if indent > b || blank {
                    state = State::Block;
                } else {
                    block_indent = None;
                    state = State::Plain;
                }
            }
            if state == State::Plain {
                last_token = Last::LineStart;
            }
        }
        if c == '\n' {
            line += 1;
            line_start = i + 1;
            at_line_start = true;
            if state == State::Plain || state == State::Comment || state == State::Block {
                state = State::Plain;
            }
            i += 1;
            continue;
        }
        if c == '\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        if is_forbidden(c) {
            found.push(Control {
                line,
                column: column(i, line_start),
                ch: c,
                bytes: i..i + len,
            });
            i += len;
            continue;
        }
        match state {
            State::Comment | State::Block => {}
            State::Single => {
                if c == '\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    state = State::Plain;
                    last_token = Last::Scalar;
                }
            }
            State::Double => {
                if c == '"' {
                    state = State::Plain;
                    last_token = Last::Scalar;
                } else if c == '\\' {
                    let (decoded, used) = escape(&text[i + 1..]);
                    if let Some(d) = decoded.filter(|d| is_forbidden(*d)) {
                        found.push(Control {
                            line,
                            column: column(i, line_start),
                            ch: d,
                            bytes: i..i + 1 + used,
                        });
                    }
                    // A `\` before a line break folds the line: let the newline be counted.
                    if !text[i + 1..].starts_with('\n') && !text[i + 1..].starts_with("\r\n") {
                        i += 1 + used;
                        continue;
                    }
                }
            }
            State::Plain => match c {
                '#' if last_token != Last::Scalar || preceded_by_space(text, i) => {
                    state = State::Comment;
                }
                '"' if last_token != Last::Scalar => state = State::Double,
                '\'' if last_token != Last::Scalar => state = State::Single,
                '|' | '>' if last_token == Last::Indicator => {
                    let indent = text[line_start..]
                        .bytes()
                        .take_while(|b| *b == b' ')
                        .count();
                    block_indent = Some(indent);
                    state = State::Comment;
                }
                ' ' => {}
                ':' | ',' | '[' | '{' | '?' if next_is_blank(text, i + 1) || c != ':' => {
                    last_token = Last::Indicator;
                }
                '-' if last_token == Last::LineStart && next_is_blank(text, i + 1) => {
                    last_token = Last::Indicator;
                }
                ']' | '}' => last_token = Last::Scalar,
                _ => last_token = Last::Scalar,
            },
        }
        i += len;
    }
    found
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Plain,
    Comment,
    Single,
    Double,
    Block,
}

/// What came last on the line outside quotes: a scalar may only start after an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Last {
    LineStart,
    Indicator,
    Scalar,
}

fn next_is_blank(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| c == ' ' || c == '\n' || c == '\r' || c == '\t')
}

fn preceded_by_space(text: &str, at: usize) -> bool {
    text[..at].ends_with(' ') || text[..at].ends_with('\t')
}

/// A double-quoted escape after its `\`: the character it stands for (when it is one) and the bytes used.
fn escape(rest: &str) -> (Option<char>, usize) {
    let Some(c) = rest.chars().next() else {
        return (None, 0);
    };
    let hex = |n: usize| {
        rest.get(1..=n)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
            .map_or((None, 1), |ch| (Some(ch), 1 + n))
    };
    match c {
        '0' => (Some('\0'), 1),
        'a' => (Some('\u{7}'), 1),
        'b' => (Some('\u{8}'), 1),
        'v' => (Some('\u{b}'), 1),
        'f' => (Some('\u{c}'), 1),
        'r' => (Some('\r'), 1),
        'e' => (Some('\u{1b}'), 1),
        'N' => (Some('\u{85}'), 1),
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        c => (None, c.len_utf8()),
    }
}

/// `text` without its control characters (the same text, borrowed, when there are none).
pub fn clean(text: &str) -> Cow<'_, str> {
    let found = scan(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for c in &found {
        out.push_str(&text[at..c.bytes.start]);
        at = c.bytes.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// `check`'s report: one error per control character, at its line and column.
pub fn problems(file: &Path, text: &str) -> Vec<CourseError> {
    scan(text)
        .into_iter()
        .map(|c| {
            CourseError::at(
                file,
                Pos {
                    line: c.line,
                    column: c.column,
                },
                "",
                CourseErrorKind::Invalid {
                    message: format!(
                        "control character U+{:04X}{}: terminals act on these (an `ESC` can retitle the window or write the clipboard), so dockdrill strips it",
                        u32::from(c.ch),
                        name(c.ch).map(|n| format!(" ({n})")).unwrap_or_default()
                    ),
                },
            )
        })
        .collect()
}

fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\r' => "CR",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{85}' => "NEL",
        '\u{9b}' => "CSI",
        '\u{9d}' => "OSC",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Vec<(usize, usize, char)> {
        scan(text)
            .iter()
            .map(|c| (c.line, c.column, c.ch))
            .collect()
    }

    #[test]
    fn raw_control_characters_are_found_and_stripped() {
        let text = "title: Hi\u{1b}]0;pwned\u{7}\ntext: ok\r\n";
        assert_eq!(at(text), vec![(1, 10, '\u{1b}'), (1, 19, '\u{7}')]);
        assert_eq!(clean(text), "title: Hi]0;pwned\ntext: ok\r\n");
    }

    #[test]
    fn escapes_in_double_quotes_are_found_and_stripped() {
        let text = "title: \"a\\e]52;c;aGk=\\a b\"\ntext: \"\\x1b[2J\\u001b \\t ok \\\" \\\\e\"\n";
        assert_eq!(
            at(text),
            vec![
                (1, 10, '\u{1b}'),
                (1, 22, '\u{7}'),
                (2, 8, '\u{1b}'),
                (2, 15, '\u{1b}')
            ]
        );
        assert_eq!(
            clean(text),
            "title: \"a]52;c;aGk= b\"\ntext: \"[2J \\t ok \\\" \\\\e\"\n"
        );
    }

    #[test]
    fn backslashes_outside_double_quotes_are_text() {
        let text = "run: echo \"a\\e\"\nhint: 'it''s \\e'\n# \"\\e\"\ntext: |\n  \"\\e\"\n  more\nafter: \"\\e\"\n";
        assert_eq!(at(text), vec![(7, 9, '\u{1b}')]);
    }

    #[test]
    fn flow_sequences_and_lists_start_scalars() {
        let text = "hints: [\"\\e\", plain]\nsolution:\n  - \"\\a\"\n";
        assert_eq!(at(text), vec![(1, 10, '\u{1b}'), (3, 6, '\u{7}')]);
    }

    #[test]
    fn a_clean_file_is_borrowed_unchanged() {
        let text = "title: Fine\ttabbed\n";
        assert!(matches!(clean(text), Cow::Borrowed(_)));
    }
}
