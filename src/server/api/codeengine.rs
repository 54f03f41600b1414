//! The CodeEngine-compatible API: `POST /execute` answers `{"output": ...}` as CodeEngine clients
//! expect, plus richer fields (stdout, stderr, verdict, time, the limits applied), and
//! `GET /languages` lists what it can run.

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
use codecage::wire::exec_request::ExecRequest;
use codecage::wire::exec_result::{ExecResult, Stage};

/// Limits a request may ask for (each is lowered to the server's maximum).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestLimits {
    time_limit: Option<String>,
    /// CPU time of all the run's processes (a judge's limit; the wall-clock limit stays).
    cpu_time_limit: Option<String>,
    memory: Option<String>,
    cpus: Option<f64>,
    pids: Option<i64>,
    output_limit: Option<String>,
}

impl From<RequestLimits> for LimitOverrides {
    fn from(l: RequestLimits) -> LimitOverrides {
        LimitOverrides {
            cpu_time: l.cpu_time_limit,
            time: l.time_limit,
            memory: l.memory,
            cpus: l.cpus,
            pids: l.pids,
            output: l.output_limit,
            workspace: None,
            cpu_period: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExecuteBody {
    language: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    files: Vec<ApiFile>,
    #[serde(default)]
    stdin: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    limits: RequestLimits,
    /// A dependency set the operator enabled (`--deps-set LANG:SET`).
    #[serde(default)]
    dependencies: Option<String>,
}

/// Decode an `/execute` body as the handler does (for the fuzz tests).
#[cfg(test)]
pub fn decode_execute(body: &[u8]) -> Result<(), ApiError> {
    let body: ExecuteBody = parse_body(Ok(Bytes::copy_from_slice(body)))?;
    let limits: LimitOverrides = body.limits.into();
    let mut check = codecage::limits::Limits::run_defaults();
    let _ = check.apply(&limits);
    Ok(())
}

/// `POST /execute`.
pub async fn execute(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body: ExecuteBody = parse_body(body)?;
    let req = ExecRequest {
        language: body.language,
        files: files_of(body.code, body.files),
        stdin: body.stdin.into_bytes(),
        args: body.args,
        limits: body.limits.into(),
        dependencies: body.dependencies,
        tweaks: Default::default(),
    };
    let result = run_admitted(&state, req).await?;
    Ok(Json(response(&result)))
}

/// The answer: the run's stage (the compile's when it failed) at the top level, as CodeEngine
/// clients read it, then the compile stage and the limits applied.
fn response(result: &ExecResult) -> Value {
    let stage = match (&result.run, &result.compile) {
        (Some(run), _) => run.clone(),
        (None, Some(compile)) => compile.clone(),
        (None, None) => Stage::default(),
    };
    json!({
        "output": stage.output,
        "stdout": stage.stdout,
        "stderr": stage.stderr,
        "exit_code": stage.exit_code,
        "signal": stage.signal,
        "verdict": stage.verdict,
        "time_ms": stage.time_ms,
        "cpu_ms": stage.cpu_ms,
        "memory_bytes": stage.memory_bytes,
        "truncated": stage.truncated,
        "language": result.language,
        "compile": result.compile,
        "limits": {
            "time_ms": result.limits.time.as_millis() as u64,
            "cpu_time_ms": result.limits.cpu_time.map(|t| t.as_millis() as u64),
            "memory_bytes": result.limits.memory,
            "cpus": result.limits.cpus,
            "pids": result.limits.pids,
            "output_bytes": result.limits.output,
        },
    })
}

/// `GET /languages`: each language with its version, aliases, extensions, the dependency sets
/// this server enabled for it, and whether its image is built (a first run builds it: slow).
pub async fn languages(State(state): State<Arc<AppState>>) -> Json<Value> {
    let built = futures_util::future::join_all(
        state
            .profiles
            .iter()
            .map(|p| codecage::image::is_built(&state.docker, p.image_source())),
    )
    .await;
    let list: Vec<Value> = state
        .profiles
        .iter()
        .zip(built)
        .map(|(p, built)| {
            let sets: Vec<&str> = state
                .settings
                .deps_sets
                .iter()
                .filter(|(l, _)| *l == p.name)
                .map(|(_, s)| s.as_str())
                .collect();
            json!({ "name": p.name, "version": p.version, "aliases": p.aliases, "extensions": p.extensions, "dependencySets": sets, "imageBuilt": built })
        })
        .collect();
    Json(Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_bad_limits_are_400s_not_panics() {
        let unknown = decode_execute(br#"{"language": "python3", "cod": "x"}"#).unwrap_err();
        assert_eq!(unknown.status(), axum::http::StatusCode::BAD_REQUEST);
        assert!(decode_execute(br#"{"language": "c", "limits": {"memory": "lots"}}"#).is_ok());
        assert!(decode_execute(b"\xff\xfe").is_err());
    }
}
