//! Splits a command line into words with POSIX shell quoting: '...' is literal, "..." honours \" \\ \$ \`
//! and a backslash outside quotes escapes the next character. Scripts and the REPL both use it.

/// Why a line could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quote was opened and never closed (the quote character).
    UnterminatedQuote(char),
    /// The line ends with a lone backslash.
    TrailingBackslash,
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::UnterminatedQuote(q) => {
                write!(f, "unexpected EOF while looking for matching `{q}'")
            }
            SplitError::TrailingBackslash => {
                f.write_str("unexpected EOF after a trailing backslash")
            }
        }
    }
}

/// Splits `line` into words.
pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    // Most lines are ASCII without any quoting: splitting at whitespace is then the whole job, a byte at
    // a time. (ASCII whitespace is Unicode whitespace there, except the vertical tab, which takes the
    // general path.)
    if !line
        .bytes()
        .any(|b| matches!(b, b'\'' | b'"' | b'\\' | 0x0b | 0x80..))
    {
        let mut words = Vec::with_capacity(8);
        words.extend(line.split_ascii_whitespace().map(str::to_string));
        return Ok(words);
    }
    if !line.contains(['\'', '"', '\\']) {
        let mut words = Vec::with_capacity(line.split_whitespace().count());
        words.extend(line.split_whitespace().map(str::to_string));
        return Ok(words);
    }
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err(SplitError::UnterminatedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err(SplitError::UnterminatedQuote('"')),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(SplitError::UnterminatedQuote('"')),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(ch) => {
                    in_word = true;
                    cur.push(ch);
                }
                None => return Err(SplitError::TrailingBackslash),
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Quotes a word for display the way a shell user would type it back.
pub fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_fast_path_splits_like_unicode_whitespace() {
        for line in [
            "docker run -d  --name web\tnginx ",
            " a\u{0b}b ",
            "a\u{a0}b c",
            "x\u{0c}y\rz\n",
            "",
            "   ",
        ] {
            let general: Vec<String> = line.split_whitespace().map(String::from).collect();
            assert_eq!(split(line).ok(), Some(general), "{line:?}");
        }
    }

    #[test]
    fn splits_like_a_shell() {
        let cases: &[(&str, &[&str])] = &[
            ("docker ps -a", &["docker", "ps", "-a"]),
            ("  a   b  ", &["a", "b"]),
            ("echo 'a b' \"c d\"", &["echo", "a b", "c d"]),
            (r#"sh -c "exit 1""#, &["sh", "-c", "exit 1"]),
            (r#"a\ b"#, &["a b"]),
            (r#""a\"b""#, &["a\"b"]),
            (r#"'it'\''s'"#, &["it's"]),
            ("''", &[""]),
            (r#""\n""#, &["\\n"]),
            ("", &[]),
        ];
        for (line, want) in cases {
            assert_eq!(split(line).unwrap(), *want, "{line}");
        }
    }

    #[test]
    fn reports_unterminated_quotes() {
        assert_eq!(split("echo 'a"), Err(SplitError::UnterminatedQuote('\'')));
        assert_eq!(split("echo \"a"), Err(SplitError::UnterminatedQuote('"')));
        assert_eq!(split("echo a\\"), Err(SplitError::TrailingBackslash));
    }

    #[test]
    fn quote_round_trips() {
        for w in ["plain", "a b", "it's", "", "x;y"] {
            assert_eq!(split(&quote(w)).unwrap(), vec![w.to_string()]);
        }
    }
}
