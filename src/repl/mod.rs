//! The learner's REPL: type docker commands against the simulated world, look at it (`state`), ask why
//! (`explain`), step back (`undo`).
//!
//! The pieces, from the inside out:
//! - [`session::Session`] is pure: a line in, output pieces out. Everything a test needs is there.
//! - [`line_source::LineSource`] gives it lines: [`rustyline_source::RustylineSource`] at a terminal (editing,
//!   completion from [`helper`], history in [`paths`]), [`line_source::BufReadSource`] for pipes, which echoes
//!   `$ line` so a piped session reads like a transcript.
//! - [`run`] ties them together and prints, painting with the [`style::Palette`] decided once at start-up and
//!   playing [`progress_bars`] for pull and push in a terminal.
//!
//! Everything, Docker's stderr included, is written to stdout in the order it happened, as `replay` does, so a
//! transcript never reorders an error before the output that preceded it.

pub mod activity;
pub mod counting;
pub mod course;
pub mod explain;
pub mod helper;
pub mod learn;
pub mod line_source;
pub mod paths;
pub mod picture;
pub mod play;
pub mod progress;
pub mod progress_bars;
pub mod prompts;
pub mod quiz_play;
pub mod refusal;
#[cfg(not(target_arch = "wasm32"))]
pub mod rustyline_source;
pub mod session;
pub mod shell_idiom;
pub mod style;
pub mod suggest;
pub mod wrap;

use line_source::{BufReadSource, LineSource, ReadResult};
use session::{Chunk, Flow, Outcome, Reading, Session};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use style::{Kind, Palette};

/// Set to anything but `0` to turn off the pull and push animation.
pub const NO_ANIMATION_VAR: &str = "DOCKDRILL_NO_ANIMATION";

/// Reading errors in a row (bad bytes, a terminal hiccup) the REPL reports and survives.
const MAX_READ_FAILURES: usize = 20;

/// The longest a command's progress animation may take, all blocks together.
const ANIMATION_BUDGET: Duration = Duration::from_millis(600);

/// The pause between two frames when the budget allows.
const FRAME: Duration = Duration::from_millis(25);

/// How the REPL starts.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A scenario file to play from the start (`--scenario FILE`).
    pub scenario: Option<PathBuf>,
    /// A quiz file to take from the start (`--quiz FILE`).
    pub quiz: Option<PathBuf>,
    /// A course folder to offer instead of the shipped course (`--course DIR`).
    pub course: Option<PathBuf>,
    /// Real registries (`--registry URL`): references to their `host:port` go over HTTP.
    pub registries: Vec<String>,
}

/// Runs the REPL on the default world until `exit` or the end of input.
pub fn run() -> ExitCode {
    run_with(&Options::default())
}

/// Runs the REPL, starting in the scenario or quiz `options` name (on the default world otherwise). A course
/// file that cannot be loaded ends it at once with exit code 2, as `replay` does with a bad script.
pub fn run_with(options: &Options) -> ExitCode {
    // Load the course file first: a typo in its name is reported before anything else happens.
    let start = match start_activity(options) {
        Ok(start) => start,
        Err(e) => {
            eprintln!("dockdrill: {e}");
            return ExitCode::from(2);
        }
    };
    let course = match &options.course {
        Some(dir) => match course::Course::from_dir(dir) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("dockdrill: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let stdin_tty = io::stdin().is_terminal();
    let stdout_tty = io::stdout().is_terminal();
    let interactive = stdin_tty && stdout_tty;
    // A piped session is a transcript: never coloured, whatever the environment says.
    let palette = if stdin_tty {
        Palette::detect(stdout_tty)
    } else {
        Palette::plain()
    };
    let mut world = crate::model::world::World::new();
    for url in &options.registries {
        if let Err(e) = world.add_remote(url) {
            eprintln!("dockdrill: {e}");
            return ExitCode::from(2);
        }
    }
    let mut session = Session::with_world(world);
    if let Some(course) = course {
        session.set_course(course);
    }
    session.set_tty(stdin_tty);
    let (store, progress, warning) = progress::ProgressFile::open(paths::DataDir::resolve());
    let returning = !progress.is_empty();
    session.set_progress(progress, Some(Box::new(store)));
    let no_animation =
        std::env::var_os(NO_ANIMATION_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    session.set_animation(!no_animation);

    let mut source: Box<dyn LineSource> = if stdin_tty {
        editor(palette)
    } else {
        Box::new(BufReadSource::new(io::stdin().lock(), io::stdout()))
    };
    let stdout = io::stdout();
    let mut printer = Printer {
        out: stdout,
        palette,
        animate: interactive,
    };
    // What is said before the first prompt: a progress file set aside, the welcome (at a terminal; a piped
    // session only hears about progress when there is some), then the scenario or quiz asked for.
    let mut opening: Vec<Chunk> = warning.into_iter().map(Chunk::note).collect();
    if interactive {
        opening.push(Chunk::new(Kind::Info, WELCOME));
    }
    if interactive || returning {
        let lead = if returning { "welcome back: " } else { "" };
        opening.push(Chunk::note(format!(
            "{lead}{}; `scenarios` lists them",
            session.progress_summary()
        )));
    }
    match start {
        Start::Nothing => {}
        Start::Scenario(s) => opening.extend(session.play(*s).output),
        Start::Quiz(q) => opening.extend(session.quiz(*q).output),
    }
    let opening = wrap::chunks(&opening, wrap::width_from_env(source.width()));
    if printer.chunks(&opening, None, false).is_err() {
        return ExitCode::SUCCESS;
    }
    // Reading errors in a row before the input is taken to be gone for good.
    let mut failures = 0;
    loop {
        if source.completes() {
            source.set_names(session.lazy_names());
        }
        let prompt = session.prompt();
        let reading = session.reading();
        let read = match reading {
            Reading::Command => source.read_line(&prompt),
            Reading::Answer => source.read_answer(&prompt, false),
            Reading::Secret => source.read_answer(&prompt, true),
        };
        let line = match read {
            Ok(ReadResult::Line(line)) => {
                failures = 0;
                line
            }
            Ok(ReadResult::Interrupted) => {
                // Ctrl-C drops the line; a command waiting for an answer is cancelled, as Docker would be.
                let said = session.interrupt();
                if printer.chunks(&said, None, false).is_err() {
                    break;
                }
                continue;
            }
            // Ctrl-D while a command waits for an answer cancels that command; at the prompt it leaves.
            Ok(ReadResult::Eof) if reading != Reading::Command && stdin_tty => {
                let said = session.interrupt();
                if printer.chunks(&said, None, false).is_err() {
                    break;
                }
                continue;
            }
            Ok(ReadResult::Eof) => break,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => break,
            Err(e) => {
                // Bytes that are not text, a terminal hiccup: the line is lost, the session is not.
                failures += 1;
                if failures > MAX_READ_FAILURES {
                    eprintln!("[dockdrill] cannot read input any more: {e}");
                    return ExitCode::from(1);
                }
                let said = vec![Chunk::note(format!(
                    "that line could not be read ({e}), so it was dropped; your session goes on"
                ))];
                let _ = session.interrupt();
                if printer.chunks(&said, None, false).is_err() {
                    break;
                }
                continue;
            }
        };
        // Only commands go into the history: never a password or an answer.
        let mut notes = Vec::new();
        if reading == Reading::Command
            && !prompt.is_empty()
            && let Some(warning) = source.remember(&line)
        {
            notes.push(Chunk::note(warning));
        }
        let outcome: Outcome = session.handle_line(&line);
        let terminal = source.width();
        let width = if printer.animate { terminal } else { None };
        let wrap_at = wrap::width_from_env(terminal);
        let animate = session.animation();
        let printed = printer
            .chunks(&wrap::chunks(&notes, wrap_at), None, false)
            .and_then(|()| printer.chunks(&wrap::chunks(&outcome.output, wrap_at), width, animate));
        if printed.is_err() {
            // Output closed (a pipe whose reader left): nothing more to say.
            break;
        }
        if outcome.flow == Flow::Quit {
            break;
        }
    }
    ExitCode::SUCCESS
}

/// The line editor for a terminal, or plain lines when it cannot start.
#[cfg(not(target_arch = "wasm32"))]
fn editor(palette: Palette) -> Box<dyn LineSource> {
    let data = paths::DataDir::resolve();
    match rustyline_source::RustylineSource::new(palette, data) {
        Ok(s) => Box::new(s),
        Err(e) => {
            eprintln!("[dockdrill] line editing is unavailable ({e}): reading plain lines");
            Box::new(BufReadSource::new(io::stdin().lock(), io::sink()))
        }
    }
}

/// In a browser build there is no terminal: the web page (`crate::web`) edits lines itself.
#[cfg(target_arch = "wasm32")]
fn editor(_palette: Palette) -> Box<dyn LineSource> {
    Box::new(BufReadSource::new(io::stdin().lock(), io::sink()))
}

/// What the session starts in.
enum Start {
    Nothing,
    Scenario(Box<crate::courseware::Scenario>),
    Quiz(Box<crate::courseware::Quiz>),
}

fn start_activity(options: &Options) -> Result<Start, crate::courseware::CourseError> {
    if let Some(path) = &options.scenario {
        return Ok(Start::Scenario(Box::new(crate::courseware::load_scenario(
            path,
        )?)));
    }
    if let Some(path) = &options.quiz {
        return Ok(Start::Quiz(Box::new(crate::courseware::load_quiz(path)?)));
    }
    Ok(Start::Nothing)
}

/// Writes output pieces, painted, playing progress frames when asked.
struct Printer<W: Write> {
    out: W,
    palette: Palette,
    /// Is this a terminal where frames can be redrawn?
    animate: bool,
}

impl<W: Write> Printer<W> {
    fn chunks(&mut self, chunks: &[Chunk], width: Option<usize>, animate: bool) -> io::Result<()> {
        let animate = animate && self.animate;
        let frames: usize = chunks
            .iter()
            .flat_map(|c| &c.progress)
            .map(|p| p.frames.len())
            .sum();
        let delay = if frames == 0 {
            FRAME
        } else {
            FRAME.min(ANIMATION_BUDGET / u32::try_from(frames).unwrap_or(u32::MAX))
        };
        // Docker draws the `[===>  ]` box only on terminals wider than 110 columns; so do we.
        let wide = width.is_some_and(|w| w > 110);
        for chunk in chunks {
            let mut pos = 0;
            if animate {
                for p in &chunk.progress {
                    let Some(before) = chunk.text.get(pos..p.at) else {
                        break;
                    };
                    self.out
                        .write_all(self.palette.paint(chunk.kind, before).as_bytes())?;
                    let rows = p.rows();
                    self.out.write_all(b"\x1b[?25l")?;
                    for (i, frame) in p.frames.iter().enumerate() {
                        if i > 0 {
                            write!(self.out, "\x1b[{rows}A")?;
                        }
                        for row in frame {
                            let mut text = row.text(wide);
                            // A line as wide as the terminal would wrap and break the redraw.
                            if let Some((cut, _)) =
                                width.and_then(|w| text.char_indices().nth(w.saturating_sub(1)))
                            {
                                text.truncate(cut);
                            }
                            write!(
                                self.out,
                                "\r\x1b[2K{}\n",
                                self.palette.paint(chunk.kind, &text).trim_end_matches('\n')
                            )?;
                        }
                        self.out.flush()?;
                        std::thread::sleep(delay);
                    }
                    // The final lines replace the last frame.
                    write!(self.out, "\x1b[{rows}A")?;
                    let block_end = nth_line_end(&chunk.text, p.at, rows);
                    for line in chunk.text.get(p.at..block_end).unwrap_or("").lines() {
                        write!(
                            self.out,
                            "\r\x1b[2K{}\n",
                            self.palette.paint(chunk.kind, line).trim_end_matches('\n')
                        )?;
                    }
                    self.out.write_all(b"\x1b[?25h")?;
                    pos = block_end;
                }
            }
            let rest = chunk.text.get(pos..).unwrap_or("");
            self.out
                .write_all(self.palette.paint(chunk.kind, rest).as_bytes())?;
        }
        self.out.flush()
    }
}

/// The byte offset just after the `n`th line starting at `from`.
fn nth_line_end(text: &str, from: usize, n: usize) -> usize {
    let mut end = from;
    for _ in 0..n {
        match text.get(end..).and_then(|t| t.find('\n')) {
            Some(i) => end += i + 1,
            None => return text.len(),
        }
    }
    end
}

/// What a learner sees first at a terminal.
const WELCOME: &str = "\
dockdrill: Docker, simulated in memory (no real Docker is touched)
Try:
  docker build -t myimage .   build the sample Node app in this folder (`ls`)
  docker run -d --name web myimage
  state                       see images, layers, containers and registries
  explain                     why the last command did what it did
  scenarios                   lessons and levels (`play first-image`), a `quiz`
`help` lists everything, with the Docker Hub accounts alice/wonderland and
bob/builder; Ctrl-D leaves.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_end_in_the_final_lines() {
        let mut s = Session::new();
        let out = s.handle_line("docker pull alpine");
        let mut printer = Printer {
            out: Vec::new(),
            palette: Palette::plain(),
            animate: true,
        };
        assert!(printer.chunks(&out.output, Some(120), false).is_ok());
        assert_eq!(
            String::from_utf8_lossy(&printer.out),
            out.text(),
            "no animation: just the text"
        );
        printer.out.clear();
        assert!(printer.chunks(&out.output, Some(120), true).is_ok());
        let shown = String::from_utf8_lossy(&printer.out).into_owned();
        assert!(shown.contains("Downloading [="), "{shown}");
        assert!(
            shown.contains("\r\x1b[2Kfa6675dd9e37: Pull complete\n\x1b[?25hDigest: sha256:"),
            "{shown:?}"
        );
        assert!(shown.ends_with(
            "Status: Downloaded newer image for alpine:latest\ndocker.io/library/alpine:latest\n"
        ));
    }

    #[test]
    fn line_ends() {
        assert_eq!(nth_line_end("a\nb\nc\n", 0, 2), 4);
        assert_eq!(nth_line_end("a\nb", 2, 5), 3);
    }
}
