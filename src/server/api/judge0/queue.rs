//! The Judge0 submission queue: tokens in arrival order, a bound past which submissions get 503,
//! and who waits for what. `wait=true` requests wait here for their submission to end, never
//! running it themselves. Plain data, below the service: the workers that take from it are in
//! `workers.rs`.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tokio::sync::{oneshot, Notify};

pub struct Queue {
    tokens: Mutex<VecDeque<String>>,
    notify: Notify,
    /// Submissions queued or being judged (what the bound counts).
    pub(super) pending: AtomicUsize,
    /// Submissions being judged now.
    pub(super) working: AtomicUsize,
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

    pub(super) async fn pop(&self) -> String {
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

    pub(super) fn ended(&self, token: &str) {
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
