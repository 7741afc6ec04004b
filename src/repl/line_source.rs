//! Where the REPL's lines come from. The session never reads a terminal itself: it is handed lines by a
//! [`LineSource`], so the same session runs behind rustyline in a terminal and behind a plain reader for pipes
//! and tests (brush's `InputBackend` idea).

use crate::replay::{LineProblem, Lines, MAX_LINE};
use std::io::{self, BufRead, Write};

/// What one read produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadResult {
    /// A line, without its newline.
    Line(String),
    /// The input ended (Ctrl-D, end of the pipe).
    Eof,
    /// The learner pressed Ctrl-C: the line is dropped and a fresh prompt follows.
    Interrupted,
}

/// Names from the current state, offered by completion.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// Image references as `docker images` shows them (`myimage:latest`, `alice/app:1.0`), plus bare
    /// repository names (`myimage`).
    pub images: Vec<String>,
    /// Container names and short IDs on the current machine.
    pub containers: Vec<String>,
    /// Every machine of the world.
    pub machines: Vec<String>,
    /// Registry hosts (`docker.io`, `localhost:5000`).
    pub registries: Vec<String>,
    /// Files in the current machine's working folder.
    pub files: Vec<String>,
    /// The shipped scenarios, for `play`.
    pub scenarios: Vec<String>,
    /// The shipped quizzes, for `quiz`.
    pub quizzes: Vec<String>,
}

/// The names completion offers, gathered only when a Tab asks for them (then kept until the next line): a line
/// typed without Tab costs one snapshot of the world (a clone that shares everything), never a walk of it.
pub struct LazyNames {
    gather: Box<dyn Fn() -> Names>,
    gathered: std::cell::OnceCell<Names>,
}

impl LazyNames {
    /// Names that `gather` makes on first use.
    pub fn new(gather: impl Fn() -> Names + 'static) -> LazyNames {
        LazyNames {
            gather: Box::new(gather),
            gathered: std::cell::OnceCell::new(),
        }
    }

    /// The names, gathered now if this is the first time they are asked for.
    pub fn get(&self) -> &Names {
        self.gathered.get_or_init(|| (self.gather)())
    }
}

impl Default for LazyNames {
    fn default() -> LazyNames {
        LazyNames::new(Names::default)
    }
}

/// A source of lines.
pub trait LineSource {
    /// Reads the next line after showing `prompt` (an empty prompt reads input for the previous command,
    /// such as a `--password-stdin` password).
    fn read_line(&mut self, prompt: &str) -> io::Result<ReadResult>;

    /// Reads the answer to a question a command asked (`Are you sure you want to continue? [y/N] `,
    /// `Username: `) after showing `prompt`; a `secret` (a password) is read without echo. The answer is
    /// never a command: it is not skipped when blank and not kept in the history.
    fn read_answer(&mut self, prompt: &str, secret: bool) -> io::Result<ReadResult> {
        let _ = secret;
        self.read_line(prompt)
    }

    /// Does this source complete names? (Only then is a snapshot of them handed over before each line.)
    fn completes(&self) -> bool {
        false
    }

    /// Offers the names of the current state to completion; sources without completion ignore them.
    fn set_names(&mut self, names: LazyNames) {
        let _ = names;
    }

    /// Remembers a line the learner typed (history); sources without history ignore it. Returns a message
    /// for the learner when the history could not be saved (once per session).
    fn remember(&mut self, line: &str) -> Option<String> {
        let _ = line;
        None
    }

    /// The terminal's width in columns, when known (progress lines must not wrap).
    fn width(&mut self) -> Option<usize> {
        None
    }
}

/// Lines from a pipe or a file, echoed as `$ line` so that a piped session reads like a transcript. Blank
/// lines and `#` comments are skipped and not echoed, as `replay` skips them.
pub struct BufReadSource<R: BufRead, W: Write> {
    lines: Lines<R>,
    echo: W,
}

impl<R: BufRead, W: Write> BufReadSource<R, W> {
    /// Reads from `reader`, echoing each command to `echo`.
    pub fn new(reader: R, echo: W) -> BufReadSource<R, W> {
        BufReadSource {
            lines: Lines::new(reader),
            echo,
        }
    }
}

impl<R: BufRead, W: Write> LineSource for BufReadSource<R, W> {
    fn read_answer(&mut self, prompt: &str, secret: bool) -> io::Result<ReadResult> {
        loop {
            let Some(next) = self.lines.next() else {
                return Ok(ReadResult::Eof);
            };
            let number = self.lines.number;
            match next? {
                Ok(line) => {
                    // The transcript shows the question and the answer, as a terminal would; a secret is
                    // never shown (and `--password-stdin`'s line, read with no prompt, is not echoed at all).
                    if !prompt.is_empty() {
                        let shown = if secret { "" } else { line.trim_end() };
                        writeln!(self.echo, "{prompt}{shown}")?;
                        self.echo.flush()?;
                    }
                    return Ok(ReadResult::Line(line));
                }
                Err(problem) => {
                    writeln!(self.echo, "[dockdrill] line {number} {}", why(&problem))?;
                }
            }
        }
    }

    fn read_line(&mut self, prompt: &str) -> io::Result<ReadResult> {
        loop {
            let Some(next) = self.lines.next() else {
                return Ok(ReadResult::Eof);
            };
            let number = self.lines.number;
            let line = match next? {
                Ok(line) => line,
                Err(problem) => {
                    writeln!(self.echo, "[dockdrill] line {number} {}", why(&problem))?;
                    continue;
                }
            };
            // Input for the previous command (a password) is neither skipped nor echoed.
            if prompt.is_empty() {
                return Ok(ReadResult::Line(line));
            }
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            // A line naming its own machine (`laptop$ docker ps`) is echoed as written.
            if crate::script::split_host(trimmed).command == trimmed {
                writeln!(self.echo, "{prompt}{trimmed}")?;
            } else {
                writeln!(self.echo, "{trimmed}")?;
            }
            self.echo.flush()?;
            return Ok(ReadResult::Line(line));
        }
    }
}

/// Why a line was not read.
fn why(problem: &LineProblem) -> String {
    match problem {
        LineProblem::TooLong(n) => format!("is too long ({n} bytes; at most {MAX_LINE})"),
        LineProblem::Binary => "is not text (binary data)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_names_are_gathered_once_and_only_when_asked() {
        let calls = std::rc::Rc::new(std::cell::Cell::new(0));
        let counted = calls.clone();
        let names = LazyNames::new(move || {
            counted.set(counted.get() + 1);
            Names {
                machines: vec!["laptop".to_string()],
                ..Names::default()
            }
        });
        assert_eq!(calls.get(), 0, "nothing is gathered before a Tab");
        assert_eq!(names.get().machines, vec!["laptop".to_string()]);
        assert_eq!(names.get().machines, vec!["laptop".to_string()]);
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn echoes_commands_and_skips_comments() {
        let input = "# a comment\n\ndocker ps\n  laptop$ docker images  \nsecret\n";
        let mut echo = Vec::new();
        let mut src = BufReadSource::new(input.as_bytes(), &mut echo);
        assert_eq!(
            src.read_line("$ ").ok(),
            Some(ReadResult::Line("docker ps".into()))
        );
        assert_eq!(
            src.read_line("$ ").ok(),
            Some(ReadResult::Line("  laptop$ docker images  ".into()))
        );
        assert_eq!(
            src.read_line("").ok(),
            Some(ReadResult::Line("secret".into()))
        );
        assert_eq!(src.read_line("$ ").ok(), Some(ReadResult::Eof));
        assert_eq!(
            String::from_utf8_lossy(&echo),
            "$ docker ps\nlaptop$ docker images\n"
        );
    }

    #[test]
    fn binary_lines_are_reported_and_skipped() {
        let input = b"bad\0line\ndocker ps\n";
        let mut echo = Vec::new();
        let mut src = BufReadSource::new(&input[..], &mut echo);
        assert_eq!(
            src.read_line("$ ").ok(),
            Some(ReadResult::Line("docker ps".into()))
        );
        assert!(String::from_utf8_lossy(&echo).starts_with("[dockdrill] line 1 is not text"));
    }
}
