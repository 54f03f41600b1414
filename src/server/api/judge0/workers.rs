//! The Judge0 workers: each takes a submission from the queue, waits for a run slot of the
//! shared admission gate (so one limit covers every API), judges it and stores the result. Also
//! starting the service (open the store, queue again what a previous run left, start the
//! workers and the sweep) and what a scale-out worker asks of Judge0 (judge one, give one up).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio_util::sync::CancellationToken;

use super::judging::{judge, Judged};
use super::languages::Languages;
use super::limits::Judge0Limits;
use super::queue::Queue;
use super::service::Backend;
use super::statuses::{self, Status};
use super::store::Store;
use super::submission::{self, now_micros, Record};
use super::Judge0;
use crate::server::http::state::AppState;

/// Open the store, queue what a previous run left unjudged, start the workers and the sweep.
/// Also returns how many submissions were queued again. With a broker, submissions live in
/// it and workers judge them: nothing is opened or started here.
pub fn start(app: Arc<AppState>, stop: CancellationToken) -> Result<(Arc<Judge0>, usize)> {
    if let Some(broker) = app.broker.clone() {
        return Ok((Judge0::shared(app, broker, stop)?, 0));
    }
    let settings = app.settings.judge0.clone();
    let store = Store::open(&settings.store).with_context(|| {
        format!(
            "cannot open the Judge0 store {} (another codecage serve using it? pass --store PATH)",
            settings.store.display()
        )
    })?;
    let languages = Languages::load(&app.profiles)?;
    let next_seq = store.next_seq()?;
    let pending = store.pending()?;
    let j = Arc::new(Judge0 {
        limits: Judge0Limits::new(&app.settings),
        queue: Queue::new(settings.queue),
        settings,
        languages,
        backend: Backend::Local(Arc::new(store)),
        next_seq: AtomicU64::new(next_seq),
        stop: stop.clone(),
        app: app.clone(),
    });
    let requeued = requeue(&j, pending);
    for _ in 0..app.settings.run_slots() {
        tokio::spawn(worker(j.clone(), stop.clone()));
    }
    tokio::spawn(sweeper(j.clone(), stop));
    Ok((j, requeued))
}

/// One worker: until `stop`, take a submission, wait for a run slot, judge it, store it.
async fn worker(j: Arc<Judge0>, stop: CancellationToken) {
    // `biased`: when the stop and a queued token are both ready, the stop wins; an unbiased
    // select would pick at random and start new work during the shutdown grace period.
    loop {
        let token = tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            token = j.queue.pop() => token,
        };
        let permit = tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            permit = j.app.admission.acquire() => permit,
        };
        if permit.is_err() {
            return;
        }
        j.queue.working.fetch_add(1, Ordering::SeqCst);
        run_one(&j, &token).await;
        drop(permit);
        j.queue.working.fetch_sub(1, Ordering::SeqCst);
        j.queue.ended(&token);
    }
}

/// Judge the stored submission `token` and store its result (and send its callback). False
/// when the server's shutdown interrupted it (it is back to "In Queue").
async fn run_one(j: &Arc<Judge0>, token: &str) -> bool {
    let mut record = match j.get(token).await {
        Ok(Some(record)) => record,
        Ok(None) => return true,
        Err(e) => {
            eprintln!("codecage: judge0: cannot read submission {token}: {e}");
            return true;
        }
    };
    // A record in a shared store may have been written by anyone who can write to Redis, not
    // by this server's request checks: refuse a run count past Judge0's most.
    let most = Judge0Limits::new(&j.app.settings).max_number_of_runs;
    if let Err(reason) = runs_allowed(record.number_of_runs, most) {
        record.status = Status::InternalError.id();
        record.message = Some(reason);
        record.finished_at = Some(now_micros());
        if let Err(e) = j.put(vec![record]).await {
            eprintln!("codecage: judge0: cannot store submission {token}: {e}");
        }
        return true;
    }
    record.status = Status::Processing.id();
    record.started_at = Some(now_micros());
    if let Err(e) = j.put(vec![record.clone()]).await {
        eprintln!("codecage: judge0: cannot store submission {token}: {e}");
    }
    let finished = match judge(j, &mut record).await {
        Judged::Done => true,
        Judged::Interrupted => {
            // Back to the queue's state on disk: the next start judges it again.
            record.status = Status::InQueue.id();
            record.started_at = None;
            false
        }
    };
    if let Err(e) = j.put(vec![record.clone()]).await {
        eprintln!("codecage: judge0: cannot store submission {token}: {e}");
    }
    if !record.is_pending() {
        if let Some(url) = record.callback_url.clone() {
            let j = j.clone();
            tokio::spawn(async move { super::callback::send(&j, &url, &record).await });
        }
    }
    finished
}

/// Whether a record's `number_of_runs` is one Judge0 would accept (1 to `most`).
fn runs_allowed(runs: u32, most: u64) -> Result<(), String> {
    if runs == 0 || u64::from(runs) > most {
        return Err(format!(
            "invalid submission: number_of_runs {runs} is not between 1 and {most}"
        ));
    }
    Ok(())
}

/// Remove expired submissions now and then (retention and the size cap).
async fn sweeper(j: Arc<Judge0>, stop: CancellationToken) {
    let every = Duration::from_secs(60);
    loop {
        let Backend::Local(store) = &j.backend else {
            // The shared store expires finished submissions by itself.
            return;
        };
        let store = store.clone();
        let (retention, cap) = (j.settings.retention, j.settings.store_max);
        let swept = tokio::task::spawn_blocking(move || store.sweep(retention, cap)).await;
        if let Ok(Err(e)) = swept {
            eprintln!("codecage: judge0: store sweep failed: {e}");
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// Queue again what a previous run of the server left unjudged, in its order.
fn requeue(j: &Judge0, pending: Vec<Record>) -> usize {
    let n = pending.len();
    // Past the bound is fine here: these were accepted before the restart.
    j.queue.pending.fetch_add(n, Ordering::SeqCst);
    for record in pending {
        j.queue.push(record.token);
    }
    n
}

/// A worker judging a submission an API node queued on the broker. False when this worker's
/// shutdown interrupted it (the submission is back to "In Queue", for another worker).
pub async fn judge_queued(j: &Arc<Judge0>, token: &str) -> bool {
    run_one(j, token).await
}

/// A submission its workers kept failing to judge: an internal error, with the reason.
pub async fn give_up(j: &Judge0, token: &str, reason: &str) {
    if let Ok(Some(mut record)) = j.get(token).await {
        record.status = statuses::Status::InternalError.id();
        record.message = Some(reason.to_string());
        record.finished_at = Some(submission::now_micros());
        if let Err(e) = j.put(vec![record]).await {
            eprintln!("codecage: judge0: cannot store submission {token}: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_count_outside_judge0s_range_is_refused() {
        assert!(runs_allowed(1, 20).is_ok());
        assert!(runs_allowed(20, 20).is_ok());
        assert!(runs_allowed(0, 20).is_err());
        let err = runs_allowed(4_000_000_000, 20).unwrap_err();
        assert!(err.contains("between 1 and 20"), "{err}");
    }
}
