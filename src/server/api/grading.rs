//! `POST /grade`: a whole submission graded against the cases sent along, what
//! `codecage test --server` sends. Graded here by the same code as a local `codecage test`
//! (compile once, a fresh sandbox per case, comparisons, scoring groups), or on a worker when the
//! server has a broker. Checkers, interactors and problem packages stay local for now.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::Json;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::server::api::execute;
use crate::server::http::api_error::ApiError;
use crate::server::http::body::parse_body;
use crate::server::http::state::AppState;
use codecage::grade::report::Report;
use codecage::grade::submission::{Grader, Judges, Problem, Scoring};
use codecage::limits::LimitOverrides;
use codecage::wire::encoding::decode;
use codecage::wire::exec_request::ExecRequest;
use codecage::wire::grade_request::{GradeRequest, WireCase};
use codecage::wire::job::{Job, JobResult};

/// `POST /grade`.
pub async fn grade(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let mut req: GradeRequest = parse_body(body)?;
    // Checked here, on the API node, so that a request over the maxima neither reaches a worker
    // nor sizes the broker's wait from a duration the client chose.
    let slowest = within_maxima(&state, &mut req)?;
    let cancel = state.shutdown.child_token();
    let stop_on_drop = cancel.clone().drop_guard();
    let state = Arc::clone(&state);
    // As for /execute: a client that hangs up stops the grading, which keeps its slot until the
    // sandboxes are gone.
    let graded = tokio::spawn(async move {
        if let Some(broker) = state.broker.clone() {
            return on_a_worker(&state, broker.as_ref(), req, slowest, cancel).await;
        }
        let _permit = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(ApiError::internal("the request was cancelled".into())),
            permit = state.admission.admit() => permit?,
        };
        here(state.clone(), req, cancel).await
    });
    let report = graded
        .await
        .map_err(|e| ApiError::internal(format!("the grading failed: {e}")))??;
    stop_on_drop.disarm();
    Ok(Json(report))
}

/// Grade on this machine's engine: the report as JSON. The grading runs on a thread of its own
/// driving the runtime (`block_on`): the grader's futures borrow their cases and are not `Send`
/// in the way a spawned task needs.
pub async fn here(
    state: Arc<AppState>,
    req: GradeRequest,
    cancel: CancellationToken,
) -> Result<Value, ApiError> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || runtime.block_on(grade_now(&state, req, cancel)))
        .await
        .map_err(|e| ApiError::internal(format!("the grading failed: {e}")))?
}

async fn grade_now(
    state: &Arc<AppState>,
    req: GradeRequest,
    cancel: CancellationToken,
) -> Result<Value, ApiError> {
    let bad = |e: String| ApiError::bad_request(e);
    let files = req
        .files
        .iter()
        .map(|f| Ok((f.name.clone(), decode(&f.data)?)))
        .collect::<Result<Vec<_>, String>>()
        .map_err(bad)?;
    let cases = req
        .cases
        .iter()
        .map(WireCase::case)
        .collect::<Result<Vec<_>, String>>()
        .map_err(bad)?;
    let planned = ExecRequest {
        language: req.language.clone(),
        files,
        stdin: Vec::new(),
        args: req.args.clone(),
        limits: LimitOverrides::default(),
        dependencies: None,
        tweaks: Default::default(),
    };
    let (mut plan, _) = execute::plan(state, planned)?;
    // On a worker, its own maxima, whatever the API node allowed.
    let mut req = req;
    within_maxima(state, &mut req)?;
    plan.limits = req.limits.clone();
    plan.ceiling = Some(state.settings.limits_max(&plan.profile));
    let judges = Judges::default();
    let grader = Grader {
        docker: &state.docker,
        problem: Problem {
            cases: &cases,
            scoring: Scoring::Groups(&req.groups),
            compare: req.compare,
            judges: &judges,
        },
        jobs: 1,
        fail_fast: req.fail_fast,
        progress: false,
        verbose: false,
        cancel,
        mode: codecage::grade::lane::CaseMode::Boxes,
    };
    let report: Report = grader
        .grade(req.solution.clone(), &plan)
        .await
        .map_err(|e| ApiError::from_failure(&e))?;
    let mut answer =
        serde_json::to_value(&report).map_err(|e| ApiError::internal(e.to_string()))?;
    codecage::wire::grade_request::attach_outputs(&report, &mut answer);
    Ok(answer)
}

/// Lower the submission's limits to this server's maxima for its language and check every
/// case's own limits: a case may ask for less or more than the submission, never more than the
/// server gives (the grader clamps each case to `RunPlan::ceiling`), and nonsense (memory 0,
/// pids 0) is a 400 here rather than an unlimited container there.
/// Returns how long all the cases may take one after another.
fn within_maxima(state: &AppState, req: &mut GradeRequest) -> Result<Duration, ApiError> {
    let profile = execute::profile_of(state, &req.language)?;
    let max = state.settings.limits_max(&profile);
    req.limits.clamp_to(&max);
    req.limits
        .validate()
        .map_err(|e| ApiError::bad_request(format!("{e:#}")))?;
    let mut slowest = Duration::ZERO;
    for case in &req.cases {
        let mut limits = req.limits.clone();
        limits
            .apply(&case.limits)
            .map_err(|e| ApiError::bad_request(format!("case {:?}: {e:#}", case.name)))?;
        if case.limits.time.is_some() && limits.cpu_time.is_some() {
            limits.judge_by_cpu_time(None);
        }
        limits.clamp_to(&max);
        slowest = slowest.saturating_add(limits.time);
    }
    Ok(slowest)
}

/// Scale-out: queue the grading for a worker and wait for its report.
async fn on_a_worker(
    state: &Arc<AppState>,
    broker: &dyn crate::server::scaleout::broker::Broker,
    req: GradeRequest,
    slowest: Duration,
    cancel: CancellationToken,
) -> Result<Value, ApiError> {
    let job = Job::Grade(Box::new(req));
    match crate::server::scaleout::remote::through_broker(state, broker, &job, slowest, cancel)
        .await?
    {
        JobResult::Graded(report) => Ok(report),
        JobResult::Failed { status, message } => Err(ApiError::from_worker(status, message)),
        _ => Err(ApiError::internal(
            "a worker answered a grading with something else".into(),
        )),
    }
}
