//! What one batch execution reports: each stage's output, exit facts and verdict, as the HTTP APIs
//! answer it and a broker job carries it back.

use serde::{Deserialize, Serialize};

use crate::limits::Limits;
use crate::verdict::Verdict;

/// The outcome of one stage (compile or run).
#[derive(Debug, Serialize, Deserialize, Clone)]
pub struct Stage {
    /// stdout and stderr interleaved in arrival order.
    pub output: String,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: Option<i64>,
    pub signal: Option<i64>,
    /// AC (exited 0), RE, TLE, MLE, OLE, CE, IE or CANCELLED.
    pub verdict: Verdict,
    pub time_ms: u64,
    /// CPU time from the sandbox's cgroup (null when not measurable, e.g. a remote engine).
    pub cpu_ms: Option<u64>,
    /// Peak memory from the sandbox's cgroup (null when not measurable).
    pub memory_bytes: Option<u64>,
    pub truncated: bool,
    /// The output as bytes, for front ends that pass binary output on (Judge0's base64).
    #[serde(skip, default)]
    pub raw: RawOutput,
}

/// A stage's output exactly as the program wrote it.
#[derive(Debug, Clone, Default)]
pub struct RawOutput {
    pub output: Vec<u8>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Default for Stage {
    /// A stage that did not run (the shape the CodeEngine-compatible API still answers with).
    fn default() -> Stage {
        Stage {
            output: String::new(),
            stdout: String::new(),
            stderr: String::new(),
            exit_code: None,
            signal: None,
            verdict: Verdict::Accepted,
            time_ms: 0,
            cpu_ms: None,
            memory_bytes: None,
            truncated: false,
            raw: RawOutput::default(),
        }
    }
}

pub struct ExecResult {
    pub language: String,
    pub version: String,
    pub compile: Option<Stage>,
    pub run: Option<Stage>,
    pub limits: Limits,
}
