//! The single integration-test binary: one link step for every integration test (2 cores matter).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod courseware;
mod engine;
mod harness;
mod repl;
mod scripts;
