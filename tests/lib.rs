//! The single integration-test binary: one link step for every integration test (2 cores matter).

mod actionable_errors;
mod courseware;
mod engine;
mod fuzz_regressions;
mod harness;
mod limits;
mod props;
mod scripts;
mod untouched;
