//! Admission control: a bounded number of runs at once and a bounded queue behind them; past
//! that, 429 at once rather than an ever-growing backlog of clients waiting on a busy engine.
//! Only the gate: admitting a request and running it is `api/run.rs`, so this file (held by the
//! server's state) does not import the state.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::server::http::api_error::ApiError;

pub struct Admission {
    /// Shared with the warm pool, whose starts take a slot too.
    permits: Arc<Semaphore>,
    slots: usize,
    waiting: AtomicUsize,
    queue: usize,
}

impl Admission {
    /// `slots` runs at once, `queue` more waiting for one.
    pub(in crate::server) fn new(slots: usize, queue: usize) -> Admission {
        Admission {
            permits: Arc::new(Semaphore::new(slots)),
            slots,
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// A run slot, after waiting in the queue if there is room in it; 429 if there is not.
    pub(in crate::server) async fn admit(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::busy());
        }
        // Counted out even when the waiting future is dropped (its client hung up): a count that
        // only ever grew would end with every request refused as if the queue were full.
        let _waiting = Waiting(&self.waiting);
        self.permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("server is shutting down".into()))
    }

    /// A run slot for a job of a front end with its own bounded queue (Judge0's): it waits
    /// for the same slots as every request, outside the HTTP queue's bound.
    pub(in crate::server) async fn acquire(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        self.permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("server is shutting down".into()))
    }

    /// The run slots themselves, for the warm pool's starts.
    pub(in crate::server) fn slots(&self) -> Arc<Semaphore> {
        Arc::clone(&self.permits)
    }

    /// Requests waiting for a slot.
    pub(in crate::server) fn queued(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Runs holding a slot.
    pub(in crate::server) fn running(&self) -> usize {
        self.slots.saturating_sub(self.permits.available_permits())
    }
}

/// One request waiting in the queue, for as long as this lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
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
