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
        /// A real registry (e.g. http://127.0.0.1:5000): references to its host:port push and pull over HTTP
        #[arg(long = "registry", value_name = "URL")]
        registries: Vec<String>,
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
        /// A real registry (e.g. http://127.0.0.1:5000): references to its host:port push and pull over HTTP
        #[arg(long = "registry", value_name = "URL")]
        registries: Vec<String>,
        /// Also draw the final state of the world as an SVG picture in this file
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
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
            registries,
            svg,
        }) => {
            if is_course_file(&file) {
                replay_scenario(&file)
            } else {
                replay_cmd(&file, format, context, Outputs { state, svg }, &registries)
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
            registries,
        }) => dockdrill::repl::run_with(&dockdrill::repl::Options {
            scenario,
            quiz,
            course,
            registries,
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

/// Files a replay writes besides its transcript.
struct Outputs {
    /// `--state FILE`: the final world as JSON.
    state: Option<PathBuf>,
    /// `--svg FILE`: the final world drawn.
    svg: Option<PathBuf>,
}

fn replay_cmd(
    file: &str,
    format: FormatArg,
    context: Option<PathBuf>,
    outputs: Outputs,
    registries: &[String],
) -> ExitCode {
    let mut world = World::new();
    for url in registries {
        if let Err(e) = world.add_remote(url) {
            eprintln!("dockdrill: {e}");
            return ExitCode::from(2);
        }
    }
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
    let context = context.or(auto_context);
    if let Some(path) = &outputs.state
        && let Some(problem) = replay::state_path_problem(
            path,
            (file != "-").then(|| Path::new(file)),
            context.as_deref(),
        )
    {
        eprintln!("dockdrill: {problem}");
        return ExitCode::from(2);
    }
    if let Some(dir) = &context {
        match replay::load_context(&mut world, dir) {
            Ok(skipped) => {
                for line in skipped {
                    eprintln!("{line}");
                }
            }
            Err(e) => {
                eprintln!("dockdrill: {e}");
                return ExitCode::from(2);
            }
        }
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
        // A script is read as it streams, but only from a regular file: a named pipe or `/dev/zero`
        // would block or never end (`-` reads standard input for those).
        match dockdrill::safe_fs::open_regular(Path::new(file), true) {
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
    if let Some(path) = &outputs.state
        && let Err(e) = replay::write_state(&world, path)
    {
        eprintln!("dockdrill: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    if let Some(path) = outputs.svg
        && let Err(e) = dockdrill::svg::write(&world, None, &path)
    {
        eprintln!("dockdrill: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
