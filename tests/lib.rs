//! The single integration-test binary: one link step for every integration test (2 cores matter).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod actionable_errors;
mod courseware;
mod engine;
mod fuzz_regressions;
mod harness;
mod limits;
mod props;
mod refusals;
mod repl;
mod scripts;
mod untouched;
