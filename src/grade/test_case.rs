//! One test case: what goes in, what must come out, and the limits and comparison it overrides.
//! Its own file so the scorer and the judge programs can name it without the loaders in
//! `case.rs` (which need the scorer to check a suite's groups).

use super::compare::Compare;
use crate::limits::LimitOverrides;

#[derive(Debug, Clone)]
pub struct TestCase {
    pub name: String,
    pub stdin: Vec<u8>,
    pub args: Vec<String>,
    /// Expected stdout; `None` checks only the exit code.
    pub stdout: Option<Vec<u8>>,
    pub exit_code: i64,
    pub limits: LimitOverrides,
    pub compare: Option<Compare>,
    /// The scoring group (subtask) the case belongs to, if any.
    pub group: Option<String>,
    /// Extra arguments for a Kattis output validator on this case (a package's per-group
    /// `output_validator_flags`).
    pub judge_args: Vec<String>,
}
