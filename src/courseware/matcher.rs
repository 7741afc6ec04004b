//! A tiny regular-expression matcher for `output_matches`: enough to pin a line of Docker output
//! (`^Status: Downloaded newer image`, `Up [0-9]+ seconds`) without pulling a regex crate into the tool.
//!
//! Supported: literals, `.`, classes `[a-z0-9_]` / `[^...]`, escapes `\d \w \s \D \W \S` and escaped
//! metacharacters, the quantifiers `*`, `+`, `?`, and the anchors `^`/`$`, which match at the start and end of
//! every line (the pattern is tried line by line). Groups and alternation are refused with a clear message.
//! Matching backtracks with a step budget, so a pathological pattern fails instead of hanging.

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    start: bool,
    end: bool,
    items: Vec<(Atom, Rep)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    Char(char),
    Any,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rep {
    One,
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
}

const STEP_BUDGET: usize = 200_000;

fn shorthand(c: char) -> Option<Atom> {
    let digits = vec![('0', '9')];
    let word = vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
    let space = vec![(' ', ' '), ('\t', '\t'), ('\r', '\r'), ('\n', '\n')];
    Some(match c {
        'd' => Atom::Class {
            negated: false,
            ranges: digits,
        },
        'D' => Atom::Class {
            negated: true,
            ranges: digits,
        },
        'w' => Atom::Class {
            negated: false,
            ranges: word,
        },
        'W' => Atom::Class {
            negated: true,
            ranges: word,
        },
        's' => Atom::Class {
            negated: false,
            ranges: space,
        },
        'S' => Atom::Class {
            negated: true,
            ranges: space,
        },
        _ => return None,
    })
}

impl Pattern {
    /// Compiles `src`, or says which construct is not supported.
    pub fn parse(src: &str) -> Result<Pattern, String> {
        let mut chars: Vec<char> = src.chars().collect();
        let start = chars.first() == Some(&'^');
        if start {
            chars.remove(0);
        }
        let end = chars.last() == Some(&'$') && !ends_escaped(&chars);
        if end {
            chars.pop();
        }
        let mut items: Vec<(Atom, Rep)> = Vec::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            i += 1;
            let atom = match c {
                '.' => Atom::Any,
                '\\' => {
                    let Some(&e) = chars.get(i) else {
                        return Err("the pattern ends with a lone `\\`".into());
                    };
                    i += 1;
                    shorthand(e).unwrap_or(Atom::Char(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    }))
                }
                '[' => {
                    let (atom, next) = parse_class(&chars, i)?;
                    i = next;
                    atom
                }
                '(' | ')' | '|' | '{' | '}' => {
                    return Err(format!(
                        "`{c}` is not supported in `output_matches` (only . [] * + ? ^ $ and \\d \\w \\s); escape it as `\\{c}`"
                    ));
                }
                '*' | '+' | '?' => return Err(format!("`{c}` has nothing to repeat")),
                '^' | '$' => {
                    return Err(format!(
                        "`{c}` is only supported at the start (`^`) or end (`$`); escape it as `\\{c}`"
                    ));
                }
                other => Atom::Char(other),
            };
            let rep = match chars.get(i) {
                Some('*') => Rep::ZeroOrMore,
                Some('+') => Rep::OneOrMore,
                Some('?') => Rep::ZeroOrOne,
                _ => Rep::One,
            };
            if rep != Rep::One {
                i += 1;
            }
            items.push((atom, rep));
        }
        Ok(Pattern { start, end, items })
    }

    /// True when some line of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        let mut budget = STEP_BUDGET;
        for line in text.split('\n') {
            let line: Vec<char> = line.chars().collect();
            let last_start = if self.start { 0 } else { line.len() };
            for from in 0..=last_start {
                if self.match_here(&line, from, 0, &mut budget) {
                    return true;
                }
                if budget == 0 {
                    return false;
                }
            }
        }
        false
    }

    fn match_here(&self, line: &[char], at: usize, item: usize, budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let Some((atom, rep)) = self.items.get(item) else {
            return !self.end || at == line.len();
        };
        let one = |pos: usize| line.get(pos).is_some_and(|c| atom.matches(*c));
        match rep {
            Rep::One => one(at) && self.match_here(line, at + 1, item + 1, budget),
            Rep::ZeroOrOne => {
                (one(at) && self.match_here(line, at + 1, item + 1, budget))
                    || self.match_here(line, at, item + 1, budget)
            }
            Rep::ZeroOrMore | Rep::OneOrMore => {
                let mut n = 0;
                while one(at + n) {
                    n += 1;
                }
                let min = usize::from(*rep == Rep::OneOrMore);
                // Greedy: try the longest run first, as regex engines do.
                (min..=n)
                    .rev()
                    .any(|k| self.match_here(line, at + k, item + 1, budget))
            }
        }
    }
}

fn ends_escaped(chars: &[char]) -> bool {
    let backslashes = chars
        .iter()
        .rev()
        .skip(1)
        .take_while(|c| **c == '\\')
        .count();
    backslashes % 2 == 1
}

fn parse_class(chars: &[char], mut i: usize) -> Result<(Atom, usize), String> {
    let negated = chars.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("a `[` class is never closed with `]`".into());
        };
        i += 1;
        if c == ']' && !first {
            break;
        }
        first = false;
        let lo = if c == '\\' {
            let Some(&e) = chars.get(i) else {
                return Err("a `[` class is never closed with `]`".into());
            };
            i += 1;
            if let Some(Atom::Class { ranges: r, .. }) = shorthand(e) {
                ranges.extend(r);
                continue;
            }
            e
        } else {
            c
        };
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|n| *n != ']') {
            let hi = chars.get(i + 1).copied().unwrap_or(lo);
            i += 2;
            if hi < lo {
                return Err(format!("the range `{lo}-{hi}` is backwards"));
            }
            ranges.push((lo, hi));
        } else {
            ranges.push((lo, lo));
        }
    }
    Ok((Atom::Class { negated, ranges }, i))
}

impl Atom {
    fn matches(&self, c: char) -> bool {
        match self {
            Atom::Char(x) => *x == c,
            Atom::Any => true,
            Atom::Class { negated, ranges } => {
                ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Pattern::parse(p).map(|p| p.is_match(t)).unwrap_or(false)
    }

    #[test]
    fn matches_like_a_regex() {
        assert!(m(
            "^Status: Downloaded",
            "x\nStatus: Downloaded newer image"
        ));
        assert!(!m("^Downloaded", "Status: Downloaded"));
        assert!(m("Up [0-9]+ seconds$", "web   Up 3 seconds"));
        assert!(!m("Up \\d+ seconds$", "Up 3 seconds ago"));
        assert!(m("a.*c", "abbbc"));
        assert!(m("colou?r", "color"));
        assert!(m("^$", "a\n\nb"));
        assert!(m("sha256:[a-f0-9]+", "Digest: sha256:abc123"));
        assert!(m("[^ ]+:latest", "alice/app:latest"));
        assert!(m("\\$ docker", "$ docker ps"));
    }

    #[test]
    fn refuses_unsupported_constructs() {
        assert!(Pattern::parse("(a|b)").is_err());
        assert!(Pattern::parse("*a").is_err());
        assert!(Pattern::parse("[abc").is_err());
    }

    #[test]
    fn pathological_patterns_end() {
        let p = Pattern::parse("a*a*a*a*a*a*a*a*b").unwrap_or_else(|e| panic!("{e}"));
        assert!(!p.is_match(&"a".repeat(200)));
    }
}
