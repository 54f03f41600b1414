//! A batch request run to the end: admitted to a run slot and run here, or (with a broker) run on a
//! worker. Above both `execute` (one run here) and `remote` (one run on a worker), so neither
//! needs the other.

use std::sync::Arc;
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use crate::server::api::execute;
use crate::server::http::api_error::ApiError;
use crate::server::http::state::AppState;
use crate::server::scaleout::remote;
use codecage::spans::{self, Spans};
use codecage::wire::exec_request::ExecRequest;
use codecage::wire::exec_result::ExecResult;

/// A batch request from either API: planned (a 400 costs no slot), admitted, run.
///
/// A client that hangs up makes hyper drop this future. The run itself goes on in a task of its
/// own that the drop tells to stop: its container is killed and removed at once (not left to the
/// in-container backstop), and the run slot stays taken until that is done, so hanging up cannot
/// be used to start more sandboxes than the server has slots.
pub(in crate::server) async fn run_admitted(
    state: &Arc<AppState>,
    req: ExecRequest,
) -> Result<ExecResult, ApiError> {
    let cancel = state.shutdown.child_token();
    let stop_on_drop = cancel.clone().drop_guard();
    let state = Arc::clone(state);
    // The run's own task reports its steps to this request's log line (`request_log`).
    let spans = Spans::current().unwrap_or_default();
    let run = if state.broker.is_some() {
        // The broker's queue bounds the work and the workers run it: this node only waits.
        tokio::spawn(spans.scope(async move { run_request(&state, req, cancel).await }))
    } else {
        let since = Instant::now();
        let (plan, stdin) = execute::plan(&state, req)?;
        spans::record("plan", since);
        tokio::spawn(spans.scope(async move {
            let since = Instant::now();
            let _permit = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(ApiError::internal("the request was cancelled".into())),
                permit = state.admission.admit() => permit?,
            };
            spans::record("admission", since);
            execute::execute(&state, plan, stdin, cancel).await
        }))
    };
    let result = run
        .await
        .map_err(|e| ApiError::internal(format!("the run failed: {e}")))?;
    stop_on_drop.disarm();
    result
}

/// Run a request to the end: here, or on a worker when the server has a broker. `cancel` stops
/// it (the client went away, or the server is shutting down).
pub async fn run_request(
    state: &Arc<AppState>,
    req: ExecRequest,
    cancel: CancellationToken,
) -> Result<ExecResult, ApiError> {
    if let Some(broker) = &state.broker {
        return remote::run(state, broker.as_ref(), req, cancel).await;
    }
    let (plan, stdin) = execute::plan(state, req)?;
    execute::execute(state, plan, stdin, cancel).await
}
