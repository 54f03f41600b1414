//! A whole submission and its cases as `codecage test --server` sends them to `POST /grade` (and
//! an API node hands them to a worker), every byte string in base64.

use serde::{Deserialize, Serialize};

use super::encoding::{decode, encode};
use super::file::WireFile;
use crate::grade::case::TestCase;
use crate::grade::compare::Compare;
use crate::grade::score::Group;
use crate::limits::{LimitOverrides, Limits};

/// A submission and its cases, as `test --server` sends them.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    /// The name the report gives the submission (its first file, as locally).
    pub solution: String,
    pub language: String,
    /// The entry file first.
    pub files: Vec<WireFile>,
    #[serde(default)]
    pub args: Vec<String>,
    /// The limits as `codecage test` planned them (time is CPU time, with its wall backstop);
    /// clamped to the server's maxima.
    pub limits: Limits,
    pub cases: Vec<WireCase>,
    pub compare: Compare,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub fail_fast: bool,
    /// Cases at once, as asked locally. A server runs one case at a time: the grading holds one
    /// run slot (a worker's, or the admission's), and a slot is one sandbox.
    #[serde(default)]
    pub jobs: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireCase {
    pub name: String,
    /// base64
    pub stdin: String,
    #[serde(default)]
    pub args: Vec<String>,
    /// Expected stdout, base64; none checks only the exit code.
    pub stdout: Option<String>,
    #[serde(default)]
    pub exit_code: i64,
    #[serde(default)]
    pub limits: LimitOverrides,
    pub compare: Option<Compare>,
    pub group: Option<String>,
}

impl WireCase {
    pub fn new(case: &TestCase) -> WireCase {
        WireCase {
            name: case.name.clone(),
            stdin: encode(&case.stdin),
            args: case.args.clone(),
            stdout: case.stdout.as_deref().map(encode),
            exit_code: case.exit_code,
            limits: case.limits.clone(),
            compare: case.compare,
            group: case.group.clone(),
        }
    }

    /// The case again, as the local grader takes it.
    pub fn case(&self) -> Result<TestCase, String> {
        Ok(TestCase {
            name: self.name.clone(),
            stdin: decode(&self.stdin)?,
            args: self.args.clone(),
            stdout: self.stdout.as_deref().map(decode).transpose()?,
            exit_code: self.exit_code,
            limits: self.limits.clone(),
            compare: self.compare,
            group: self.group.clone(),
            judge_args: Vec::new(),
        })
    }
}
