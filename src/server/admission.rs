//! Admission control: a bounded number of runs at once and a bounded queue behind them; past
//! that, 429 at once rather than an ever-growing backlog of clients waiting on a busy engine.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::{Semaphore, SemaphorePermit};

use super::api_error::ApiError;
use super::execute::{self, ExecRequest, ExecResult};
use super::state::AppState;

pub struct Admission {
    permits: Semaphore,
    slots: usize,
    waiting: AtomicUsize,
    queue: usize,
}

impl Admission {
    /// `slots` runs at once, `queue` more waiting for one.
    pub(super) fn new(slots: usize, queue: usize) -> Admission {
        Admission {
            permits: Semaphore::new(slots),
            slots,
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// A run slot, after waiting in the queue if there is room in it; 429 if there is not.
    pub(super) async fn admit(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::busy());
        }
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        permit.map_err(|_| ApiError::internal("server is shutting down".into()))
    }

    /// A run slot for a job of a front end with its own bounded queue (Judge0's): it waits
    /// for the same slots as every request, outside the HTTP queue's bound.
    pub(super) async fn acquire(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        self.permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("server is shutting down".into()))
    }

    /// Requests waiting for a slot.
    pub(super) fn queued(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Runs holding a slot.
    pub(super) fn running(&self) -> usize {
        self.slots.saturating_sub(self.permits.available_permits())
    }
}

/// A batch request from either API: planned (a 400 costs no slot), admitted, run.
pub(super) async fn run_admitted(
    state: &Arc<AppState>,
    req: ExecRequest,
) -> Result<ExecResult, ApiError> {
    let (plan, stdin) = execute::plan(state, req)?;
    let _permit = state.admission.admit().await?;
    execute::execute(state, plan, stdin).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_slots_and_the_queue_comes_429() {
        let admission = Admission::new(1, 0);
        let held = admission.admit().await.ok();
        assert!(held.is_some());
        assert_eq!(admission.running(), 1);
        let refused = admission.admit().await.err();
        assert!(refused.is_some_and(|e| e.to_string().contains("too many runs")));
        assert_eq!(admission.queued(), 0);
    }
}
