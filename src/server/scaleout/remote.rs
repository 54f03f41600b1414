//! An API node's side of a batch run on a worker: check the request here (a bad one is a 400
//! without a trip through the queue), queue it, wait for its result, and pass on a hang-up.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::server::api::execute;
use crate::server::http::api_error::ApiError;
use crate::server::http::state::AppState;
use crate::server::scaleout::broker::{Broker, BrokerError, MAX_DELIVERIES};
use codecage::profile::Profiles;
use codecage::wire::exec_request::ExecRequest;
use codecage::wire::exec_result::ExecResult;
use codecage::wire::job::{Job, JobResult, JobSpec};

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
    let mut spec = JobSpec::new(&req, &plan.limits);
    // The name, not an alias: a worker's profiles may list other aliases than this node's.
    spec.language = plan.profile.name.clone();
    let job = Job::Run(Box::new(spec));
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
    let asked = match job {
        Job::Run(spec) => spec.language.as_str(),
        Job::Grade(req) => req.language.as_str(),
        Job::Judge0 { .. } => "",
    };
    // Workers announce their profiles' names: route by the name an alias stands for
    // (`python3` is `python`), as a standalone server resolves it.
    let language = canonical(&state.profiles, asked);
    let workers = broker.workers().await.map_err(unavailable)?;
    if !workers.iter().any(|w| w.languages.contains(&language)) {
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

/// The profile name `language` (a name or an alias) stands for on this node; itself if unknown.
fn canonical(profiles: &Profiles, language: &str) -> String {
    profiles
        .by_name(language)
        .map_or_else(|| language.to_string(), |p| p.name.clone())
}

fn unavailable(e: BrokerError) -> ApiError {
    ApiError::unavailable(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_routes_to_a_name_workers_announce() {
        let profiles = Profiles::load(&[]).unwrap();
        // What a worker announces: its profiles' names.
        let announced: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
        let mut aliases = 0;
        for profile in profiles.iter() {
            for alias in &profile.aliases {
                assert_eq!(canonical(&profiles, alias), profile.name, "{alias}");
                assert!(announced.contains(&canonical(&profiles, alias)));
                aliases += 1;
            }
            assert_eq!(canonical(&profiles, &profile.name), profile.name);
        }
        assert!(aliases > 30, "only {aliases} aliases");
        assert_eq!(canonical(&profiles, "cobra"), "cobra");
    }
}
