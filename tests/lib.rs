//! The single integration-test binary: one link step for every integration test (2 cores matter).

mod courseware;
mod engine;
mod harness;
mod repl;
mod scripts;
