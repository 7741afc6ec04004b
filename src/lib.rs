//! dockdrill: learn how Docker images are built, run and shared, on a faithful in-memory simulation.
//!
//! The core (`model`, `engine`) is pure and deterministic: a [`model::world::World`] takes a typed
//! [`command::Command`] and returns events. Parsing (`command`, `reference`, `dockerfile`, `script`) and
//! rendering (`render`: tables, sizes, templates, every Docker sentence) sit around it; `replay` and the other front ends drive it through
//! [`runner::run_line`].

pub mod clock;
pub mod command;
pub mod courseware;
pub mod digest;
pub mod docker_error;
pub mod dockerfile;
pub mod dockerignore;
pub mod engine;
pub mod event;
pub mod fxhash;
pub mod help;
pub mod limits;
pub mod model;
pub mod names;
pub mod reference;
pub mod remote;
pub mod render;
pub mod repl;
pub mod replay;
pub mod runner;
pub mod safe_fs;
pub mod script;
pub mod svg;
pub mod vfs;
pub mod web;

/// Every allocation of the simulator (and of the binary, benches and tests linking it) goes through
/// mimalloc: a command's many short-lived strings and vectors cost a fraction of what glibc's malloc takes.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
