//! Grading: run a compiled submission against test cases, each in a fresh sandbox, and give
//! online-judge verdicts from the engine's facts (OOM event, our timers, output counters, exit
//! code), never from the exit code alone.

pub mod case;
mod case_result;
pub mod ci_report;
pub mod compare;
pub mod compare_dmoj;
mod exit_message;
pub mod from_package;
mod grading;
pub mod html_report;
pub mod interactive;
mod judge_plan;
pub mod judge_program;
mod judgement;
pub mod lane;
pub mod package;
pub mod polygon_tests;
pub mod report;
pub mod score;
pub mod submission;
mod test_case;
pub mod verification;

pub use crate::verdict::Verdict;
pub use case_result::{CaseLimits, CaseResult};
pub use exit_message::exit_message;
pub use grading::Grading;
