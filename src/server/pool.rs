//! The warm pool: sandboxes created and started ahead of time, their trusted launcher waiting on
//! stdin for a workspace, so a request skips the engine's create/start (~150 ms on the dev
//! machine). A pooled sandbox is exactly a cold one started earlier: same image, argv, limits and
//! hardening (they are the pool's key), a fresh container used once, removed after it ran, after
//! `idle_ttl` unused, and at shutdown.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use bollard::Docker;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use codecage::sandbox::{self, Input, Outcome, OutputSink, SandboxSpec, Started};

pub struct Pool {
    /// Sandboxes kept ready per key; 0 turns the pool off.
    size: usize,
    idle_ttl: Duration,
    ready: Mutex<HashMap<String, VecDeque<(Started, Instant)>>>,
    /// Starts in flight per key, so refills do not overshoot.
    filling: Mutex<HashMap<String, usize>>,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

impl Pool {
    pub fn new(size: usize, idle_ttl: Duration) -> Pool {
        Pool {
            size,
            idle_ttl,
            ready: Mutex::new(HashMap::new()),
            filling: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Everything that makes two sandboxes interchangeable: all of the spec but the workspace.
    fn key(spec: &SandboxSpec) -> String {
        format!(
            "{}\0{:?}\0{:?}\0{:?}\0{:?}\0{}\0{}",
            spec.image, spec.argv, spec.limits, spec.tty, spec.labels, spec.compile, spec.signals
        )
    }

    /// Run `spec` in a pooled sandbox when one is ready, else in a fresh one; then top the pool up.
    pub async fn run(
        self: &Arc<Self>,
        docker: &Docker,
        spec: &SandboxSpec,
        input: mpsc::Receiver<Input>,
        sink: &mut dyn OutputSink,
        cancel: CancellationToken,
    ) -> Result<Outcome> {
        if self.size == 0 {
            return codecage::launch::run(docker, spec, input, sink, cancel).await;
        }
        let key = Pool::key(spec);
        let pooled = self
            .ready
            .lock()
            .ok()
            .and_then(|mut ready| ready.get_mut(&key).and_then(VecDeque::pop_front));
        self.refill(docker, spec, &key);
        match pooled {
            Some((started, _)) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(sandbox::finish(docker, started, spec, input, sink, cancel).await?)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                codecage::launch::run(docker, spec, input, sink, cancel).await
            }
        }
    }

    /// Start sandboxes in the background until `size` are ready or starting for this key.
    fn refill(self: &Arc<Self>, docker: &Docker, spec: &SandboxSpec, key: &str) {
        let ready = self
            .ready
            .lock()
            .map(|r| r.get(key).map_or(0, VecDeque::len))
            .unwrap_or(self.size);
        let Ok(mut filling) = self.filling.lock() else {
            return;
        };
        let in_flight = filling.entry(key.to_string()).or_insert(0);
        let wanted = self.size.saturating_sub(ready + *in_flight);
        *in_flight += wanted;
        drop(filling);
        let mut template = spec.clone();
        template.workspace_tar = Vec::new();
        for _ in 0..wanted {
            let pool = self.clone();
            let docker = docker.clone();
            let template = template.clone();
            let key = key.to_string();
            tokio::spawn(async move {
                let started = codecage::launch::start(&docker, &template).await;
                if let Ok(mut filling) = pool.filling.lock() {
                    if let Some(n) = filling.get_mut(&key) {
                        *n = n.saturating_sub(1);
                    }
                }
                let Ok(started) = started else { return };
                let unplaced = match pool.ready.lock() {
                    Ok(mut ready) => {
                        ready
                            .entry(key)
                            .or_default()
                            .push_back((started, Instant::now()));
                        None
                    }
                    Err(_) => Some(started),
                };
                if let Some(started) = unplaced {
                    sandbox::discard(&docker, started).await;
                }
            });
        }
    }

    /// Remove sandboxes unused for longer than the idle TTL (all of them with `everything`).
    pub async fn evict(&self, docker: &Docker, everything: bool) {
        let mut stale = Vec::new();
        if let Ok(mut ready) = self.ready.lock() {
            for queue in ready.values_mut() {
                while let Some((_, at)) = queue.front() {
                    if everything || at.elapsed() > self.idle_ttl {
                        stale.extend(queue.pop_front().map(|(s, _)| s));
                    } else {
                        break;
                    }
                }
            }
        }
        for started in stale {
            sandbox::discard(docker, started).await;
        }
    }

    /// Periodic eviction of idle sandboxes.
    pub async fn keep_fresh(self: Arc<Self>, docker: Docker) {
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            self.evict(&docker, false).await;
        }
    }

    pub fn ready_count(&self) -> usize {
        self.ready
            .lock()
            .map(|r| r.values().map(VecDeque::len).sum())
            .unwrap_or(0)
    }
}
