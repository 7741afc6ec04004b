//! The `dockdrill` binary: a thin layer of clap over the library.

use clap::{Parser, Subcommand, ValueEnum};
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
    Repl,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Cmd::Replay {
            file,
            format,
            context,
            state,
        }) => replay_cmd(&file, format, context, state),
        Some(Cmd::Repl) | None => dockdrill::repl::run(),
    }
}

/// Reads a folder's files (bounded) into the starter files of every machine.
fn load_context(world: &mut World, dir: &Path) -> Result<(), String> {
    const MAX_FILES: usize = 2_000;
    const MAX_BYTES: u64 = 64 * 1024 * 1024;
    let mut files = dockdrill::model::image::Files::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut total = 0u64;
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if entry.file_name() != ".git" && entry.file_name() != "target" {
                    stack.push(path);
                }
                continue;
            }
            total += meta.len();
            if files.len() >= MAX_FILES || total > MAX_BYTES {
                return Err(format!(
                    "the context folder {} is too large (at most {MAX_FILES} files and 64 MB)",
                    dir.display()
                ));
            }
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, bytes.into());
        }
    }
    world.starter_files = std::sync::Arc::new(files.clone());
    for m in world.machines.values_mut() {
        m.files = files.clone();
    }
    Ok(())
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
        Path::new(file).parent().map(Path::to_path_buf)
    };
    let auto_context = folder.filter(|f| f.join("Dockerfile").is_file());
    if let Some(dir) = context.or(auto_context) {
        if let Err(e) = load_context(&mut world, &dir) {
            eprintln!("dockdrill: {e}");
            return ExitCode::from(2);
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
