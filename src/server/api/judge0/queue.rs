//! The Judge0 submission queue: tokens in arrival order, a bound past which submissions get 503,
//! and workers that each take a submission, wait for a run slot of the shared admission gate
//! (so one limit covers every API), judge it and store the result. `wait=true` requests wait
//! here for their submission to end, never running it themselves.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{oneshot, Notify};
use tokio_util::sync::CancellationToken;

use super::judging::{judge, Judged};
use super::statuses::Status;
use super::submission::{now_micros, Record};
use super::Judge0;

pub struct Queue {
    tokens: Mutex<VecDeque<String>>,
    notify: Notify,
    /// Submissions queued or being judged (what the bound counts).
    pending: AtomicUsize,
    /// Submissions being judged now.
    working: AtomicUsize,
    max: usize,
    /// Requests waiting (`wait=true`) for a submission to end, by token.
    waiters: Mutex<HashMap<String, Vec<oneshot::Sender<()>>>>,
}

impl Queue {
    pub fn new(max: usize) -> Queue {
        Queue {
            tokens: Mutex::new(VecDeque::new()),
            notify: Notify::new(),
            pending: AtomicUsize::new(0),
            working: AtomicUsize::new(0),
            max,
            waiters: Mutex::new(HashMap::new()),
        }
    }

    /// Room for `n` more submissions, taken at once (a batch goes in whole or not at all).
    pub fn reserve(&self, n: usize) -> bool {
        self.pending
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |p| {
                (p + n <= self.max).then_some(p + n)
            })
            .is_ok()
    }

    /// Give back room reserved for submissions that were not queued after all.
    pub fn release(&self, n: usize) {
        self.pending.fetch_sub(n, Ordering::SeqCst);
    }

    /// Queue a token whose room was reserved.
    pub fn push(&self, token: String) {
        lock(&self.tokens).push_back(token);
        self.notify.notify_one();
    }

    async fn pop(&self) -> String {
        loop {
            let notified = self.notify.notified();
            if let Some(token) = lock(&self.tokens).pop_front() {
                return token;
            }
            notified.await;
        }
    }

    /// A receiver that fires when `token`'s submission has ended (register before queueing).
    pub fn wait_for(&self, token: &str) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        lock(&self.waiters)
            .entry(token.to_string())
            .or_default()
            .push(tx);
        rx
    }

    fn ended(&self, token: &str) {
        self.pending.fetch_sub(1, Ordering::SeqCst);
        for tx in lock(&self.waiters).remove(token).unwrap_or_default() {
            let _ = tx.send(());
        }
    }

    /// Submissions waiting for a worker.
    pub fn queued(&self) -> usize {
        lock(&self.tokens).len()
    }

    /// Submissions being judged.
    pub fn working(&self) -> usize {
        self.working.load(Ordering::SeqCst)
    }

    pub fn max(&self) -> usize {
        self.max
    }
}

/// A poisoned lock only means another task panicked mid-update of a plain collection; the data
/// is still usable, and the server must keep answering.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One worker: until `stop`, take a submission, wait for a run slot, judge it, store it.
pub async fn worker(j: Arc<Judge0>, stop: CancellationToken) {
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
pub async fn run_one(j: &Arc<Judge0>, token: &str) -> bool {
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
    let most = super::limits::Judge0Limits::new(&j.app.settings).max_number_of_runs;
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
pub async fn sweeper(j: Arc<Judge0>, stop: CancellationToken) {
    let every = Duration::from_secs(60);
    loop {
        let super::Backend::Local(store) = &j.backend else {
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
pub fn requeue(j: &Judge0, pending: Vec<Record>) -> usize {
    let n = pending.len();
    // Past the bound is fine here: these were accepted before the restart.
    j.queue.pending.fetch_add(n, Ordering::SeqCst);
    for record in pending {
        j.queue.push(record.token);
    }
    n
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
