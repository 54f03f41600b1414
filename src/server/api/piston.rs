//! Piston v2's API (`GET /api/v2/runtimes`, `POST /api/v2/execute`), so Piston clients work
//! unchanged: the same runs as `/execute`, in Piston's request and response shapes.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::server::api::run::run_admitted;
use crate::server::http::api_error::ApiError;
use crate::server::http::body::{files_of, parse_body, ApiFile};
use crate::server::http::state::AppState;
use codecage::limits::LimitOverrides;
use codecage::verdict::Verdict;
use codecage::wire::exec_request::ExecRequest;
use codecage::wire::exec_result::Stage;

/// `GET /api/v2/runtimes`.
pub async fn runtimes(State(state): State<Arc<AppState>>) -> Json<Value> {
    let list: Vec<Value> = state
        .profiles
        .iter()
        .map(|p| json!({ "language": p.name, "version": p.version, "aliases": p.aliases }))
        .collect();
    Json(Value::Array(list))
}

#[derive(Debug, Deserialize)]
struct PistonBody {
    language: String,
    /// Accepted and ignored: each language has one version here.
    #[serde(default)]
    #[allow(dead_code)]
    version: Option<String>,
    files: Vec<ApiFile>,
    #[serde(default)]
    stdin: String,
    #[serde(default)]
    args: Vec<String>,
    /// Milliseconds.
    #[serde(default)]
    run_timeout: Option<u64>,
    #[serde(default)]
    compile_timeout: Option<u64>,
    /// Milliseconds of CPU time (Piston 3's field).
    #[serde(default)]
    run_cpu_time: Option<u64>,
    #[serde(default)]
    compile_cpu_time: Option<u64>,
    /// Bytes; -1 means no limit (the server's maximum).
    #[serde(default)]
    run_memory_limit: Option<i64>,
    #[serde(default)]
    compile_memory_limit: Option<i64>,
}

impl PistonBody {
    /// The request in our terms: Piston's timeouts and memory limits become limit overrides.
    fn into_request(self) -> ExecRequest {
        let timeout = self.run_timeout.or(self.compile_timeout);
        let memory = self
            .run_memory_limit
            .or(self.compile_memory_limit)
            .filter(|m| *m > 0);
        ExecRequest {
            language: self.language,
            files: files_of(None, self.files),
            stdin: self.stdin.into_bytes(),
            args: self.args,
            limits: LimitOverrides {
                time: timeout.map(|ms| format!("{ms}ms")),
                cpu_time: self
                    .run_cpu_time
                    .or(self.compile_cpu_time)
                    .map(|ms| format!("{ms}ms")),
                memory: memory.map(|m| m.to_string()),
                ..Default::default()
            },
            dependencies: None,
            tweaks: Default::default(),
        }
    }
}

/// `POST /api/v2/execute`.
pub async fn execute(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body: PistonBody = parse_body(body)?;
    let result = run_admitted(&state, body.into_request()).await?;
    let mut response = json!({ "language": result.language, "version": result.version });
    if let Some(compile) = &result.compile {
        response["compile"] = stage(compile);
    }
    if let Some(run) = &result.run {
        response["run"] = stage(run);
    }
    Ok(Json(response))
}

/// A stage as Piston reports it: an exit code only for a normal exit, else the signal's name;
/// CPU time (ms) and peak memory (bytes) under Piston 3's names, null when not measured.
fn stage(s: &Stage) -> Value {
    json!({
        "stdout": s.stdout,
        "stderr": s.stderr,
        "output": s.output,
        "code": s.exit_code.filter(|c| *c < 128),
        "signal": s.signal.map(signal_name),
        "cpu_time": s.cpu_ms,
        "wall_time": s.time_ms,
        "memory": s.memory_bytes,
        "status": status(s),
        "message": (!s.verdict.is_accepted()).then(|| s.verdict.description()),
    })
}

/// Piston 3's status codes: RE a non-zero exit, SG a signal (an OOM kill is one), TO a time
/// limit, OL too much output, XX an internal error; null for a clean exit.
fn status(s: &Stage) -> Option<&'static str> {
    Some(match s.verdict {
        Verdict::Accepted => return None,
        Verdict::TimeLimit => "TO",
        Verdict::OutputLimit => "OL",
        Verdict::MemoryLimit => "SG",
        Verdict::RuntimeError if s.signal.is_some() => "SG",
        Verdict::InternalError | Verdict::Cancelled => "XX",
        _ => "RE",
    })
}

fn signal_name(n: i64) -> String {
    match n {
        2 => "SIGINT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("SIG{n}"),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_by_name_else_by_number() {
        assert_eq!(signal_name(9), "SIGKILL");
        assert_eq!(signal_name(31), "SIG31");
    }

    #[test]
    fn piston_limits_become_overrides_and_minus_one_means_the_maximum() {
        let body: PistonBody = serde_json::from_value(json!({
            "language": "python3",
            "files": [{"content": "print(1)"}],
            "run_timeout": 1500,
            "run_memory_limit": -1,
        }))
        .unwrap();
        let req = body.into_request();
        assert_eq!(req.limits.time.as_deref(), Some("1500ms"));
        assert_eq!(req.limits.memory, None);
    }
}
