//! The one integration-test binary. Every test runs the real `codecage` binary against the real
//! Docker engine (no mocks, no skips: without an engine the suite fails loudly).

mod harness;

mod accounting;
mod attacks;
mod cleanup;
mod cli;
mod compile_bugs;
mod compile_cache;
mod dependencies;
mod dmoj;
mod engine_down;
mod engines;
mod errors;
mod grade;
mod hardening;
mod judge;
mod judge0;
mod judge_box;
mod languages;
mod layers;
mod limits;
mod polygon;
mod profiles;
mod reports;
mod run;
pub mod runtimes;
mod scale_out;
pub mod serve;
mod serve_limits;
mod tty;
mod verify;
