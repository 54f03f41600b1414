//! An API node's side of a batch run on a worker: check the request here (a bad one is a 400
//! without a trip through the queue), queue it, wait for its result, and pass on a hang-up.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::broker::wire::{Job, JobResult, JobSpec};
use super::broker::{Broker, BrokerError, MAX_DELIVERIES};
use super::execute::{self, ExecRequest, ExecResult};
use super::{ApiError, AppState};

/// Time a job may spend beyond its own limits on each delivery: a compile, a first image build
/// on a fresh worker, a wait in the queue.
const SLACK_PER_DELIVERY: Duration = Duration::from_secs(300);

pub async fn run(
    state: &Arc<AppState>,
    broker: &dyn Broker,
    req: ExecRequest,
    cancel: CancellationToken,
) -> Result<ExecResult, ApiError> {
    let (plan, _) = execute::plan(state, req.clone())?;
    let job = Job::Run(Box::new(JobSpec::new(&req, &plan.limits)));
    match through_broker(state, broker, &job, plan.limits.time, cancel).await? {
        JobResult::Done(result) => result
            .result()
            .map_err(|e| ApiError::internal(format!("a worker's result is unreadable: {e}"))),
        JobResult::Failed { status, message } => Err(ApiError::from_worker(status, message)),
        _ => Err(ApiError::internal(
            "a worker answered a run with something else".into(),
        )),
    }
}

/// Queue a job for a worker that runs its language and wait for its result; `slowest` is how
/// long the job itself may take on one delivery.
pub async fn through_broker(
    state: &Arc<AppState>,
    broker: &dyn Broker,
    job: &Job,
    slowest: Duration,
    cancel: CancellationToken,
) -> Result<JobResult, ApiError> {
    let language = match job {
        Job::Run(spec) => spec.language.as_str(),
        Job::Grade(req) => req.language.as_str(),
        Job::Judge0 { .. } => "",
    };
    let workers = broker.workers().await.map_err(unavailable)?;
    if !workers
        .iter()
        .any(|w| w.languages.iter().any(|l| l == language))
    {
        return Err(ApiError::unavailable(if workers.is_empty() {
            "no worker is connected to the broker; start `codecage worker --broker URL`".into()
        } else {
            format!("no connected worker runs {language}")
        }));
    }
    let spec = serde_json::to_string(job)
        .map_err(|e| ApiError::internal(format!("cannot encode the job: {e}")))?;
    let job_id = uuid::Uuid::new_v4().to_string();
    let max_queue = state.settings.queue.max(1) as u64;
    broker
        .enqueue(&job_id, &spec, max_queue)
        .await
        .map_err(|e| match e {
            BrokerError::Full(_) => ApiError::too_many(format!("{e}; retry shortly")),
            other => unavailable(other),
        })?;
    let patience = (slowest + SLACK_PER_DELIVERY) * MAX_DELIVERIES as u32;
    let answer = tokio::select! {
        answer = broker.wait(&job_id, patience) => answer.map_err(unavailable)?,
        _ = cancel.cancelled() => {
            // Best effort: the worker stops the run, or it ends at its own limits.
            let _ = broker.cancel(&job_id).await;
            return Err(ApiError::internal("the request was cancelled".into()));
        }
    };
    let Some(answer) = answer else {
        let _ = broker.cancel(&job_id).await;
        return Err(ApiError::timed_out(format!(
            "no worker finished the job within {} s",
            patience.as_secs()
        )));
    };
    serde_json::from_str::<JobResult>(&answer)
        .map_err(|e| ApiError::internal(format!("a worker's result is unreadable: {e}")))
}

fn unavailable(e: BrokerError) -> ApiError {
    ApiError::unavailable(e.to_string())
}
