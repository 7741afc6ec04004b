//! The simulator's own words: its `[dockdrill]` notes. They say what a real terminal would do that a
//! simulation cannot, and what a command saved; they are never mixed into Docker's lines.

use super::units::human_size;
use crate::event::Note;
use crate::limits::LimitExceeded;

/// A note's text (without the `[dockdrill] ` marker the front ends add).
pub fn text(n: &Note) -> String {
    match n {
        Note::BindMountNotSimulated { source } => format!(
            "{source} lies outside the working folder ({}), the only host folder dockdrill simulates: nothing was created",
            crate::vfs::WORKDIR
        ),
        Note::MountNotSimulated { value } => format!(
            "dockdrill reads `--mount` values of type bind and volume with a target; `{value}` is not simulated: nothing was created"
        ),

        Note::CopyTooLarge { bytes } => format!(
            "this copy ({}) would pass dockdrill's cap for a working folder or a container's layer: nothing was copied",
            human_size(*bytes as u64)
        ),
        Note::StatsStreams => "`docker stats` redraws this table every second until Ctrl-C; dockdrill shows the first frame (`docker stats --no-stream` prints one and ends)".into(),
        Note::TopOptions { options } => format!(
            "`ps {options}` columns are not simulated: dockdrill shows what `docker top` prints by default (`ps -ef`)"
        ),
        Note::NotSimulated { path } => format!(
            "`docker {path}` is a real Docker command that dockdrill does not simulate: nothing changed"
        ),
        Note::ArchiveCarried { layers, already } => format!(
            "the archive carried all {layers} layers; this machine already had {already} of them (a pull would have fetched only the missing ones)"
        ),
        Note::WaitBlocks { container } => format!(
            "`docker wait {container}` would block until the container stops, and its process never ends by itself: stop it from another terminal (`docker stop {container}`)"
        ),
        Note::PushUploaded {
            uploaded,
            total,
            host,
        } => format!(
            "this push uploaded {} of the image's {} compressed layers; the rest was already on {host} or mounted from another repository there",
            human_size(*uploaded),
            human_size(*total)
        ),
        Note::CannotPromptPassword => "dockdrill cannot prompt for a password: give it on the command line, e.g. `docker login -u alice -p wonderland`, or with --password-stdin".into(),
        Note::InteractiveSession { name } => format!(
            "an interactive session with container {name} would open here; dockdrill does not simulate the shell inside, so it keeps running in the background (stop it with `docker stop {name}`)"
        ),
        Note::ForegroundRuns { name } => format!(
            "container {name} keeps running in the foreground: a real terminal would stay busy until it stops (Ctrl-C or `docker stop {name}` from a second terminal). dockdrill carries on as if you had opened a second terminal."
        ),
        Note::AttachedRuns { name } => format!(
            "container {name} keeps running attached: a real terminal would stay busy; dockdrill carries on as if you had opened a second terminal."
        ),
        Note::ExecShell { name } => format!(
            "a shell inside container {name} would open here; dockdrill does not simulate the shell itself (try `docker exec {name} ls` or `cat FILE` instead)"
        ),
        Note::ExecKeepsRunning { name } => format!(
            "this process keeps running inside {name}; dockdrill carries on as if you had opened a second terminal"
        ),
        Note::Limit(l) => limit(l),
        Note::MachinePlatform { machine, platform } => format!(
            "{machine} is now a {} machine: it builds and pulls {} images, and a container of another CPU's image fails there with `exec format error`",
            platform.short(),
            platform.architecture
        ),
        Note::DanglingLink {
            link,
            target,
            outside,
        } => format!(
            "`{link}` is a symbolic link to `{target}`, {}: dockdrill keeps links as links (as Docker sends them) and never reads what they point to",
            if *outside {
                "outside the working folder"
            } else {
                "which is not in the working folder"
            }
        ),
        Note::OutputCut { bytes } => format!(
            "output cut at {bytes} bytes: dockdrill prints at most that much from one `cat`"
        ),
    }
}

/// What dockdrill says when one of its caps ([`crate::limits`]) stops something.
pub fn limit(l: &LimitExceeded) -> String {
    use crate::limits::{
        MAX_CONFIG_BYTES, MAX_EXPANDED_BYTES, MAX_INSTRUCTIONS, MAX_MACHINES, MAX_SETUP_LINES,
    };
    match l {
        LimitExceeded::Instructions { count } => format!(
            "this Dockerfile has {count} instructions; dockdrill builds at most {MAX_INSTRUCTIONS}"
        ),
        LimitExceeded::Expansion { word } => format!(
            "`{word}` expands to more than {MAX_EXPANDED_BYTES} bytes; dockdrill stops there (Linux refuses longer environment strings too)"
        ),
        LimitExceeded::Config => format!(
            "this image's ENV and LABEL values pass {MAX_CONFIG_BYTES} bytes; dockdrill stops there"
        ),
        LimitExceeded::Machines { host } => format!(
            "`{host}` would be machine number {}; dockdrill simulates at most {MAX_MACHINES}",
            MAX_MACHINES + 1
        ),
        LimitExceeded::SetupLines => format!(
            "the setup lists hold more than {MAX_SETUP_LINES} lines; dockdrill runs at most that many per file"
        ),
    }
}

/// The note for a line that is no command dockdrill runs.
pub fn not_a_command(word: &str) -> String {
    format!(
        "`{word}` is not something dockdrill runs: type docker commands (and cat, ls, sed -i, echo … > FILE, cp, rm, sleep to work with files)"
    )
}
