//! What grading one case gave: its verdict, the sandbox's measurements, what a checker said, and
//! (kept for reports) the output.

use serde::{Deserialize, Serialize};

use super::judge_program::Judgement;
use super::test_case::TestCase;
use crate::limits::Limits;
use crate::sandbox::Outcome;
use crate::verdict::Verdict;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    pub name: String,
    pub verdict: Verdict,
    pub time_ms: u64,
    /// CPU time from the sandbox's cgroup (None when not measurable here).
    pub cpu_ms: Option<u64>,
    /// Peak memory from the sandbox's cgroup (None when not measurable here).
    pub memory_bytes: Option<u64>,
    pub exit_code: Option<i64>,
    /// A short explanation for anything but AC.
    pub message: Option<String>,
    /// The scoring group the case belongs to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub group: Option<String>,
    /// The share of the case's value earned, 0 to 1 (1 for AC unless a checker gave less).
    pub score: Option<f64>,
    /// What a checker or interactor said about the case.
    pub feedback: Option<String>,
    /// A Kattis validator's `score.txt` and `score_multiplier.txt`, for a package's scoring.
    #[serde(skip)]
    pub judge_scores: (Option<f64>, Option<f64>),
    #[serde(skip)]
    pub stdout: Vec<u8>,
    #[serde(skip)]
    pub stderr: Vec<u8>,
    #[serde(skip)]
    pub expected: Option<Vec<u8>>,
    /// The limits the case ran under, for reports that draw a measurement against its limit
    /// (the HTML page; a server's `/grade` answer carries them to `test --server`); None when it
    /// never ran (and from a server older than the field).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub limits: Option<CaseLimits>,
}

/// The limits one case ran under, as reports show them (and `--json` and `/grade` write them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CaseLimits {
    /// The CPU-time limit (None when judged by wall-clock time alone).
    pub cpu_ms: Option<u64>,
    /// The wall-clock limit (the CPU-time limit's backstop in `test` and `verify`).
    pub wall_ms: u64,
    pub memory_bytes: u64,
    pub output_bytes: u64,
}

impl From<&Limits> for CaseLimits {
    fn from(limits: &Limits) -> CaseLimits {
        CaseLimits {
            cpu_ms: limits.cpu_time.map(|t| t.as_millis() as u64),
            wall_ms: limits.time.as_millis() as u64,
            memory_bytes: limits.memory,
            output_bytes: limits.output,
        }
    }
}

impl CaseResult {
    /// A case that ended without output to judge (an internal error, a compile error).
    pub fn failed(name: &str, verdict: Verdict, message: Option<String>) -> CaseResult {
        CaseResult {
            name: name.to_string(),
            verdict,
            time_ms: 0,
            cpu_ms: None,
            memory_bytes: None,
            exit_code: None,
            message,
            group: None,
            score: None,
            feedback: None,
            judge_scores: (None, None),
            stdout: Vec::new(),
            stderr: Vec::new(),
            expected: None,
            limits: None,
        }
    }

    /// A case whose program ran: the sandbox's measurements, no output kept yet.
    pub(super) fn ran(
        case: &TestCase,
        outcome: &Outcome,
        verdict: Verdict,
        message: Option<String>,
    ) -> CaseResult {
        CaseResult {
            name: case.name.clone(),
            verdict,
            time_ms: outcome.wall.as_millis() as u64,
            cpu_ms: outcome.cpu_ms(),
            memory_bytes: outcome.memory_peak,
            exit_code: outcome.exit_code,
            message,
            group: case.group.clone(),
            score: verdict.is_accepted().then_some(1.0),
            feedback: None,
            judge_scores: (None, None),
            stdout: Vec::new(),
            stderr: Vec::new(),
            expected: None,
            limits: None,
        }
    }

    /// Take a checker's judgement of an output the program produced cleanly.
    pub(super) fn apply(&mut self, judgement: Judgement) {
        self.verdict = judgement.verdict;
        self.message = match judgement.verdict {
            Verdict::Accepted => None,
            Verdict::InternalError => judgement.feedback.clone(),
            v => Some(format!("{} (checker)", v.description())),
        };
        self.take_scores(&judgement);
    }

    /// The judge program's score and feedback; the share of an accepted case is testlib's
    /// points, else all of it.
    pub(super) fn take_scores(&mut self, judgement: &Judgement) {
        self.score = match self.verdict {
            Verdict::Accepted => Some(judgement.share.unwrap_or(1.0)),
            _ => judgement.share,
        };
        self.judge_scores = (judgement.score_file, judgement.multiplier_file);
        self.feedback = judgement.feedback.clone();
    }
}
