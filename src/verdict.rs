//! The one verdict vocabulary of codecage. A run, a graded case, a whole submission, an HTTP
//! response and a WebSocket session all say how a program ended with this type, and every report
//! (table, JSON, JUnit, metrics) prints the same short codes that online judges use, so a script
//! reading `run --json`, `test --json` and `serve` answers needs one table of codes.

use serde::{Deserialize, Serialize};

/// How a program (or a submission) ended. Serialized as the judges' short codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// Accepted: exited 0 (and, when graded, gave the expected output).
    #[serde(rename = "AC")]
    Accepted,
    /// Wrong answer: ran cleanly, but the output (or the exit status a case expects) differs.
    #[serde(rename = "WA")]
    WrongAnswer,
    /// Presentation error: a checker said the output is malformed (testlib's exit 2), as opposed to
    /// well-formed but wrong.
    #[serde(rename = "PE")]
    PresentationError,
    /// Time limit exceeded: in `test`/`verify` the CPU-time limit or its wall-clock backstop, in
    /// `run` the wall-clock limit (or `--cpu-time-limit`), or the idle limit of an interactive run.
    #[serde(rename = "TLE")]
    TimeLimit,
    /// Memory limit exceeded: the kernel's OOM killer fired in the sandbox.
    #[serde(rename = "MLE")]
    MemoryLimit,
    /// Runtime error: a non-zero exit status or a signal.
    #[serde(rename = "RE")]
    RuntimeError,
    /// Output limit exceeded: stdout and stderr together passed the limit.
    #[serde(rename = "OLE")]
    OutputLimit,
    /// Compile error: the compiler failed (or hit a limit), so the program never ran.
    #[serde(rename = "CE")]
    CompileError,
    /// Internal error: codecage or the engine failed; never blamed on the program.
    #[serde(rename = "IE")]
    InternalError,
    /// Stopped on request: Ctrl-C or a signal to codecage, a client that went away, a shutdown.
    #[serde(rename = "CANCELLED")]
    Cancelled,
}

impl Verdict {
    /// The short code, as serialized ("AC", "TLE", ...).
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Accepted => "AC",
            Verdict::WrongAnswer => "WA",
            Verdict::PresentationError => "PE",
            Verdict::TimeLimit => "TLE",
            Verdict::MemoryLimit => "MLE",
            Verdict::RuntimeError => "RE",
            Verdict::OutputLimit => "OLE",
            Verdict::CompileError => "CE",
            Verdict::InternalError => "IE",
            Verdict::Cancelled => "CANCELLED",
        }
    }

    /// What the code means, for people.
    pub fn description(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::WrongAnswer => "wrong answer",
            Verdict::PresentationError => "presentation error",
            Verdict::TimeLimit => "time limit exceeded",
            Verdict::MemoryLimit => "memory limit exceeded",
            Verdict::RuntimeError => "runtime error",
            Verdict::OutputLimit => "output limit exceeded",
            Verdict::CompileError => "compilation failed",
            Verdict::InternalError => "internal error",
            Verdict::Cancelled => "cancelled",
        }
    }

    pub fn is_accepted(self) -> bool {
        self == Verdict::Accepted
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `{:<7}` in tables pads the code.
        f.pad(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_as_the_short_code() {
        for v in [
            Verdict::Accepted,
            Verdict::WrongAnswer,
            Verdict::PresentationError,
            Verdict::TimeLimit,
            Verdict::MemoryLimit,
            Verdict::RuntimeError,
            Verdict::OutputLimit,
            Verdict::CompileError,
            Verdict::InternalError,
            Verdict::Cancelled,
        ] {
            assert_eq!(serde_json::to_value(v).unwrap(), v.code());
            let back: Verdict = serde_json::from_value(serde_json::json!(v.code())).unwrap();
            assert_eq!(back, v);
            assert_eq!(format!("{v}"), v.code());
        }
    }
}
