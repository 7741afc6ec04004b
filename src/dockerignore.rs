//! `.dockerignore`: which build-context files a build never sees.
//!
//! The rules are Docker's (moby/patternmatcher `ignorefile.ReadAll` and `MatchesOrParentMatches`, which
//! both the CLI and BuildKit use):
//! - a UTF-8 byte-order mark is dropped; lines starting with `#` are comments; each line is trimmed; empty
//!   lines are skipped;
//! - `!` before a pattern makes it an exception (it re-includes what earlier patterns excluded);
//! - a pattern is cleaned like Go's `filepath.Clean` (`./a//b/` is `a/b`, so a trailing `/` changes
//!   nothing) and a leading `/` is dropped: the context's root is the pattern's root;
//! - `*` matches any run of characters but `/`, `?` one character but `/`, `[a-z]`/`[^a-z]` a class, `\`
//!   escapes the next character, `**` any number of folders (zero included), and a trailing `**` anything;
//! - a pattern matching a folder matches everything in it; the last pattern that matches decides.
//!
//! Not supported (rare in practice): Windows separators, and `[!…]` as negation (Docker's regular
//! expressions read it as a literal `!` too).

/// The patterns of one `.dockerignore`, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Pattern {
    exclusion: bool,
    tokens: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`: one character but `/`.
    One,
    /// `*`: any run of characters but `/`.
    Star,
    /// `**` at the end: anything.
    Rest,
    /// `**/` or `**` inside: any number of whole folders.
    Folders,
    /// `[…]`: ranges and single characters, negated with `^`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// The longest `.dockerignore` read (a real one is a few hundred bytes).
pub const MAX_BYTES: usize = 64 * 1024;

impl Ignore {
    /// Reads a `.dockerignore` file's text.
    pub fn parse(text: &str) -> Ignore {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut p = line.trim();
            if p.is_empty() {
                continue;
            }
            let exclusion = p.starts_with('!');
            if exclusion {
                p = p[1..].trim();
            }
            let cleaned = clean(p);
            patterns.push(Pattern {
                exclusion,
                tokens: tokens(&cleaned),
            });
        }
        Ignore { patterns }
    }

    /// Is the context path `path` (clean, relative to the context root) left out of the build?
    pub fn excludes(&self, path: &str) -> bool {
        let mut matched = false;
        let parents: Vec<&str> = path.split('/').collect();
        for p in &self.patterns {
            // An exception only matters once something matched, and a match only once nothing did.
            if p.exclusion != matched {
                continue;
            }
            let mut hit = matches(&p.tokens, path);
            if !hit && parents.len() > 1 {
                hit = (1..parents.len()).any(|i| matches(&p.tokens, &parents[..i].join("/")));
            }
            if hit {
                matched = !p.exclusion;
            }
        }
        matched
    }

    /// Are there no patterns?
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// Go's `filepath.Clean` for slash paths, then a leading `/` dropped.
fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let rooted = p.starts_with('/');
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            x => parts.push(x),
        }
    }
    if parts.is_empty() {
        return if rooted { "/".into() } else { ".".into() };
    }
    parts.join("/")
}

fn tokens(p: &str) -> Vec<Token> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                out.push(if i >= chars.len() {
                    Token::Rest
                } else {
                    Token::Folders
                });
            }
            '*' => out.push(Token::Star),
            '?' => out.push(Token::One),
            '\\' => {
                if let Some(&n) = chars.get(i) {
                    out.push(Token::Char(n));
                    i += 1;
                }
            }
            '[' => match class(&chars[i..]) {
                Some((token, used)) => {
                    out.push(token);
                    i += used;
                }
                None => out.push(Token::Char('[')),
            },
            c => out.push(Token::Char(c)),
        }
    }
    out
}

/// A character class after its `[`: the token and how many characters it used (its `]` included).
fn class(chars: &[char]) -> Option<(Token, usize)> {
    let mut i = 0;
    let negated = chars.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    while let Some(&c) = chars.get(i) {
        if c == ']' && !first {
            return Some((Token::Class { negated, ranges }, i + 1));
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        i += 1;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|c| *c != ']') {
            let hi = chars[i + 1];
            ranges.push((lo, hi));
            i += 2;
        } else {
            ranges.push((lo, lo));
        }
    }
    None
}

/// Does the whole of `path` match `tokens`? A set-of-states simulation: linear in the pattern times the
/// path, whatever the pattern (no backtracking to blow up on `*a*a*a*…`).
fn matches(tokens: &[Token], path: &str) -> bool {
    let n = tokens.len();
    // State i < n: about to match token i; n: done; n + 1 + i: inside the folders of a `Folders` token i.
    let mut current = vec![false; 2 * n + 2];
    current[0] = true;
    close(tokens, &mut current);
    for ch in path.chars() {
        let mut next = vec![false; 2 * n + 2];
        for i in 0..n {
            if current[i] {
                match &tokens[i] {
                    Token::Char(c) if *c == ch => next[i + 1] = true,
                    Token::One if ch != '/' => next[i + 1] = true,
                    Token::Star if ch != '/' => next[i] = true,
                    Token::Rest => next[i] = true,
                    Token::Folders => {
                        next[n + 1 + i] = true;
                        if ch == '/' {
                            next[i + 1] = true;
                        }
                    }
                    Token::Class { negated, ranges } => {
                        let inside = ranges.iter().any(|(lo, hi)| *lo <= ch && ch <= *hi);
                        if inside != *negated {
                            next[i + 1] = true;
                        }
                    }
                    _ => {}
                }
            }
            if current[n + 1 + i] {
                next[n + 1 + i] = true;
                if ch == '/' {
                    next[i + 1] = true;
                }
            }
        }
        close(tokens, &mut next);
        if !next.iter().any(|s| *s) {
            return false;
        }
        current = next;
    }
    current[n]
}

/// Adds the states reachable without reading a character (a star or folders matching nothing).
fn close(tokens: &[Token], states: &mut [bool]) {
    for i in 0..tokens.len() {
        if states[i] && matches!(tokens[i], Token::Star | Token::Rest | Token::Folders) {
            states[i + 1] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignores(file: &str, path: &str) -> bool {
        Ignore::parse(file).excludes(path)
    }

    #[test]
    fn patterns_follow_dockers_rules() {
        assert!(ignores("*.json", "state.json"));
        assert!(
            !ignores("*.json", "sub/state.json"),
            "`*` stays in one folder"
        );
        assert!(ignores("**/*.json", "sub/deep/state.json"));
        assert!(
            ignores("**/*.json", "state.json"),
            "`**` matches zero folders"
        );
        assert!(
            ignores("node_modules", "node_modules/x/y.js"),
            "a folder's contents"
        );
        assert!(
            ignores("node_modules/", "node_modules/x"),
            "a trailing slash is cleaned"
        );
        assert!(
            ignores("/secret", "secret"),
            "a leading slash is the context root"
        );
        assert!(ignores("./a//b/", "a/b"));
        assert!(ignores("f?le", "file") && !ignores("f?le", "f/le"));
        assert!(ignores("[a-c]x", "bx") && !ignores("[a-c]x", "dx"));
        assert!(ignores("[^a-c]x", "dx") && !ignores("[^a-c]x", "ax"));
        assert!(ignores("docs/**", "docs/a/b"));
        assert!(ignores("a\\*b", "a*b") && !ignores("a\\*b", "axb"));
        assert!(!ignores("# *.json\n", "state.json"), "comments");
        assert!(
            ignores("\u{feff}*.md\n\n", "README.md"),
            "a BOM and blank lines"
        );
    }

    #[test]
    fn exceptions_and_the_last_match_decide() {
        let file = "*.md\n!README.md\n";
        assert!(ignores(file, "NOTES.md"));
        assert!(!ignores(file, "README.md"));
        let again = "*.md\n!README.md\nREADME*\n";
        assert!(ignores(again, "README.md"), "a later pattern wins");
        let folder = "docs\n!docs/keep.txt\n";
        assert!(ignores(folder, "docs/other.txt"));
        assert!(!ignores(folder, "docs/keep.txt"));
    }

    #[test]
    fn hostile_patterns_match_in_linear_time() {
        let pattern = "*a".repeat(200) + "b";
        let path = "a".repeat(5000);
        assert!(!ignores(&pattern, &path));
    }
}
