//! Judge0's fourteen statuses (app/enumerations/status.rb) and how a codecage result maps onto
//! them the way Judge0's isolate_job.rb decides: timeout, signal by number, non-zero exit, then
//! the output compared with `expected_output`.

use axum::Json;
use serde_json::{json, Value};

/// A Judge0 status id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    InQueue = 1,
    Processing = 2,
    Accepted = 3,
    WrongAnswer = 4,
    TimeLimit = 5,
    CompilationError = 6,
    Sigsegv = 7,
    Sigxfsz = 8,
    Sigfpe = 9,
    Sigabrt = 10,
    Nzec = 11,
    OtherSignal = 12,
    InternalError = 13,
    ExecFormatError = 14,
}

pub const ALL: [Status; 14] = [
    Status::InQueue,
    Status::Processing,
    Status::Accepted,
    Status::WrongAnswer,
    Status::TimeLimit,
    Status::CompilationError,
    Status::Sigsegv,
    Status::Sigxfsz,
    Status::Sigfpe,
    Status::Sigabrt,
    Status::Nzec,
    Status::OtherSignal,
    Status::InternalError,
    Status::ExecFormatError,
];

impl Status {
    pub fn id(self) -> u8 {
        self as u8
    }

    pub fn from_id(id: u8) -> Option<Status> {
        ALL.into_iter().find(|s| s.id() == id)
    }

    /// Judge0's own wording, which clients show and sometimes match on.
    pub fn description(self) -> &'static str {
        match self {
            Status::InQueue => "In Queue",
            Status::Processing => "Processing",
            Status::Accepted => "Accepted",
            Status::WrongAnswer => "Wrong Answer",
            Status::TimeLimit => "Time Limit Exceeded",
            Status::CompilationError => "Compilation Error",
            Status::Sigsegv => "Runtime Error (SIGSEGV)",
            Status::Sigxfsz => "Runtime Error (SIGXFSZ)",
            Status::Sigfpe => "Runtime Error (SIGFPE)",
            Status::Sigabrt => "Runtime Error (SIGABRT)",
            Status::Nzec => "Runtime Error (NZEC)",
            Status::OtherSignal => "Runtime Error (Other)",
            Status::InternalError => "Internal Error",
            Status::ExecFormatError => "Exec Format Error",
        }
    }

    /// `{id, description}` as every response carries it.
    pub fn json(self) -> Value {
        json!({"id": self.id(), "description": self.description()})
    }

    /// A program killed by `signal` (Status.find_runtime_error_by_status_code).
    pub fn for_signal(signal: i64) -> Status {
        match signal {
            11 => Status::Sigsegv,
            25 => Status::Sigxfsz,
            8 => Status::Sigfpe,
            6 => Status::Sigabrt,
            _ => Status::OtherSignal,
        }
    }

    /// Still to run (a restart re-queues these).
    pub fn is_pending(self) -> bool {
        matches!(self, Status::InQueue | Status::Processing)
    }
}

/// Judge0's comparison (isolate_job.rb `strip_output`): each line right-trimmed, then the whole
/// right-trimmed, so trailing spaces and trailing newlines never make a wrong answer.
pub fn same_output(expected: &[u8], actual: &[u8]) -> bool {
    strip_output(expected) == strip_output(actual)
}

fn strip_output(text: &[u8]) -> Vec<u8> {
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').map(trim_end).collect();
    trim_end(&lines.join(&b'\n')).to_vec()
}

/// Ruby's `rstrip`: whitespace and NUL off the end.
fn trim_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0))
        .map_or(0, |i| i + 1);
    &line[..end]
}

/// `GET /statuses`.
pub async fn list() -> Json<Value> {
    Json(Value::Array(ALL.iter().map(|s| s.json()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_signals_are_judge0s() {
        assert_eq!(Status::from_id(7), Some(Status::Sigsegv));
        assert_eq!(Status::from_id(15), None);
        assert_eq!(Status::for_signal(8), Status::Sigfpe);
        assert_eq!(Status::for_signal(9), Status::OtherSignal);
        assert_eq!(Status::ExecFormatError.id(), 14);
    }

    #[test]
    fn trailing_whitespace_and_newlines_do_not_count() {
        assert!(same_output(b"1 2\n3\n", b"1 2   \n3\n\n\n"));
        assert!(same_output(b"a\r\nb", b"a\nb\n"));
        assert!(!same_output(b"1 2\n3", b"1  2\n3"));
        assert!(!same_output(b"x", b" x"));
        assert!(same_output(b"", b"\n \n"));
    }
}
