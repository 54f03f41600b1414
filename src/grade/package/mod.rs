//! Reading ICPC/Kattis problem packages, so `codecage` can judge a problem exactly as the
//! package's authors set it up: their test data and groups, their limits, their output
//! validator (the Kattis default validator's flags, or their own program) and their scoring.
//!
//! Two versions of the format are understood, told apart by `problem_format_version` in
//! `problem.yaml`: `legacy` (the default when the key is absent, also `legacy-icpc`) and
//! `2023-07-draft` (also `2023-07`). Everything here is pure: it reads files and never runs
//! anything, so a package's validator sources and submissions come back as paths for the caller
//! to compile and run in a sandbox.
//!
//! Not supported, each a clear error rather than a wrong judgement: `multi-pass` and
//! `submit-answer` problems, legacy custom graders (`grading: custom`) and the grader flags
//! `always_accept`/`accept_if_any_accepted`, validators given only as `build`/`run` scripts,
//! more than one output validator, and any other `problem_format_version`.
//!
//! DMOJ problem folders (`init.yml`, `dmoj/`) and Polygon packages (`problem.xml`, `polygon/`)
//! are read into the same [`Problem`], their points mapped onto the 2023-07-draft scoring model.

mod dmoj;
mod links;
mod load;
mod package_error;
mod polygon;
mod problem;
mod problem_yaml;
pub mod scoring;
mod submissions;
mod testdata;
mod validator;

pub use load::{generation, load, load_with, submissions};
pub use package_error::PackageError;
pub use polygon::tag::Tag as PolygonTag;
pub use polygon::{Generation, Made, ProgramFiles, ToMake};
pub use problem::{
    Aggregation, CaseData, Format, GroupSpec, Kind, LegacyGrading, Limits, PackageCase, Points,
    Problem, Validator,
};
pub use submissions::{Expected, PackageSubmission};

#[cfg(test)]
mod tests;
