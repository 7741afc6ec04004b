//! The `dockdrill` binary: a thin layer of clap over the library.

use clap::{Parser, Subcommand, ValueEnum};
use dockdrill::courseware;
use dockdrill::model::world::World;
use dockdrill::replay::{self, Format};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dockdrill",
    version,
    about = "Learn how Docker images are built, run and shared, on a faithful simulation of Docker"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Transcript,
}

#[derive(Subcommand)]
enum Cmd {
    /// Type docker commands against a simulated world (the default when no command is given)
    Repl {
        /// Start by playing this scenario file
        #[arg(long, value_name = "FILE", conflicts_with = "quiz")]
        scenario: Option<PathBuf>,
        /// Start by taking this quiz file
        #[arg(long, value_name = "FILE")]
        quiz: Option<PathBuf>,
        /// Offer this folder's course (its scenarios/ and quizzes/, or its YAML files) instead of the shipped one
        #[arg(long, value_name = "DIR")]
        course: Option<PathBuf>,
    },
    /// Replay a script of docker commands and print what Docker would print
    Replay {
        /// The script (`-` for standard input)
        file: String,
        /// Output format
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
        /// A folder whose files become every machine's build context
        #[arg(long)]
        context: Option<PathBuf>,
        /// Also write the final state of the world as JSON to this file
        #[arg(long)]
        state: Option<PathBuf>,
    },
    /// Check scenario and quiz files against the simulator (default: scenarios/ and quizzes/)
    Check {
        /// Files or folders to check
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of scenario and quiz files, for editors
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Cmd::Replay {
            file,
            format,
            context,
            state,
        }) => {
            if is_course_file(&file) {
                replay_scenario(&file)
            } else {
                replay_cmd(&file, format, context, state)
            }
        }
        Some(Cmd::Check { paths }) => {
            let reports = courseware::check::check_paths(&paths);
            let (text, ok) = courseware::check::render(&reports);
            print!("{text}");
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Some(Cmd::Schema) => {
            print!("{}", courseware::schema::schema_text());
            ExitCode::SUCCESS
        }
        Some(Cmd::Repl {
            scenario,
            quiz,
            course,
        }) => dockdrill::repl::run_with(&dockdrill::repl::Options {
            scenario,
            quiz,
            course,
        }),
        None => dockdrill::repl::run(),
    }
}

/// Scenario files are YAML; everything else is a plain script.
fn is_course_file(file: &str) -> bool {
    file.ends_with(".yaml") || file.ends_with(".yml")
}

/// `replay lesson.yaml`: the scenario's steps as a transcript.
fn replay_scenario(file: &str) -> ExitCode {
    match courseware::load_scenario(Path::new(file)) {
        Ok(s) => {
            print!("{}", courseware::text::steps_transcript(&s));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dockdrill: {e}");
            ExitCode::from(2)
        }
    }
}

fn replay_cmd(
    file: &str,
    format: FormatArg,
    context: Option<PathBuf>,
    state: Option<PathBuf>,
) -> ExitCode {
    let mut world = World::new();
    let folder = if file == "-" {
        None
    } else {
        // `Path::parent` of a bare file name is "": the script's folder is then the current one.
        Path::new(file).parent().map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".").to_path_buf()
            } else {
                p.to_path_buf()
            }
        })
    };
    let auto_context = folder.filter(|f| f.join("Dockerfile").is_file());
    if let Some(dir) = context.or(auto_context)
        && let Err(e) = replay::load_context(&mut world, &dir)
    {
        eprintln!("dockdrill: {e}");
        return ExitCode::from(2);
    }
    let format = match format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Transcript => Format::Transcript,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = if file == "-" {
        replay::replay(&mut world, io::stdin().lock(), format, &mut out)
    } else {
        match std::fs::File::open(file) {
            Ok(f) => replay::replay(&mut world, BufReader::new(f), format, &mut out),
            Err(e) => {
                eprintln!("dockdrill: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    if let Err(e) = result {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
        eprintln!("dockdrill: cannot read {file}: {e}");
        return ExitCode::from(2);
    }
    let _ = out.flush();
    if let Some(path) = state {
        let text = serde_json::to_string_pretty(&replay::state_json(&world)).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, text + "\n") {
            eprintln!("dockdrill: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
