//! What a lesson, a script or a Dockerfile may make dockdrill do: one table of caps, and the refusals met
//! when one is reached.
//!
//! Learners run lessons they downloaded and courseware repositories run `dockdrill check` on strangers'
//! pull requests, so no input may make dockdrill allocate without bound or run for minutes. Where Docker
//! (or the shell, or the kernel) has a limit of its own, the cap is Docker's and so are its words
//! (`max depth exceeded`, rendered in `crate::render::errors`; `No space left on device`); the other caps are far above anything a lesson
//! needs, and their refusals are the simulator speaking (a `[dockdrill]` note), never dressed as Docker's.

use std::fmt;

/// The layer store's `maxLayerDepth` (moby `layer/layer_store.go`): a chain holds at most 125 layers,
/// leaving two for a container's init and read-write layers within the 127 some graph drivers allow.
pub const MAX_LAYER_DEPTH: usize = 125;

/// Instructions one Dockerfile may hold (real Dockerfiles hold tens; every step keeps a state).
pub const MAX_INSTRUCTIONS: usize = 500;

/// Bytes one expanded Dockerfile word (an `ENV`/`ARG` value, a `COPY` path, …) may reach: Linux's
/// `MAX_ARG_STRLEN`, the longest string a process can receive in its environment anyway.
pub const MAX_EXPANDED_BYTES: usize = 128 * 1024;

/// Bytes of `ENV` and `LABEL` one image configuration may carry in total.
pub const MAX_CONFIG_BYTES: usize = 128 * 1024;

/// Bytes one file in a machine's working folder may hold.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Bytes all files in one machine's working folder may hold together.
pub const MAX_MACHINE_BYTES: usize = 64 * 1024 * 1024;

/// Machines one world may hold (`HOST$` creates one on first use).
pub const MAX_MACHINES: usize = 1_000;

/// Setup lines one course file may run, all `setup` lists together.
pub const MAX_SETUP_LINES: usize = 1_000;

/// Files and folders `dockdrill check` looks at under the folders it is given.
pub const MAX_CHECK_ENTRIES: usize = 10_000;

/// A cap dockdrill reached, with what it needs to say so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitExceeded {
    /// A Dockerfile holds more than [`MAX_INSTRUCTIONS`] instructions.
    Instructions { count: usize },
    /// A Dockerfile word expanded past [`MAX_EXPANDED_BYTES`].
    Expansion { word: String },
    /// An image configuration's `ENV` and `LABEL` values passed [`MAX_CONFIG_BYTES`].
    Config,
    /// `HOST$` would create machine number `MAX_MACHINES + 1`.
    Machines { host: String },
    /// A course file's setup lists hold more than [`MAX_SETUP_LINES`] lines.
    SetupLines,
}

impl LimitExceeded {
    /// An instruction count over the cap.
    pub fn instructions(count: usize) -> LimitExceeded {
        LimitExceeded::Instructions { count }
    }

    /// A word whose expansion is too long (the word as written, shortened for the message).
    pub fn expansion(word: &str) -> LimitExceeded {
        let mut shown: String = word.chars().take(40).collect();
        if shown.len() < word.len() {
            shown.push('…');
        }
        LimitExceeded::Expansion { word: shown }
    }
}

/// The simulator's words for it (they live with its other notes, in [`crate::render::notes::limit`]).
impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::render::notes::limit(self))
    }
}
