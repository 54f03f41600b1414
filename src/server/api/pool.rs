//! The warm pool: sandboxes created and started ahead of time, their trusted launcher waiting on
//! stdin for a workspace, so a request skips the engine's create/start (~150 ms on the dev
//! machine). A pooled sandbox is exactly a cold one started earlier: same image, limits and
//! hardening, a fresh container used once, removed after it ran, after `idle_ttl` unused, and at
//! shutdown.
//!
//! What a client sends never shapes the pool (issue #31: 40 requests with different `args` once
//! left 80 warm containers): the key is the sandbox itself (image, limits, runtime, mode), the
//! program's argv travels with its workspace (`sandbox::with_argv_in_workspace`), only requests
//! at the language's default limits are kept warm, the pool holds at most `size` per key and
//! `size * KEYS` in all (the least recently used key gives way), and every start takes a run
//! slot of the admission gate while it lasts, as a request's own start would.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use bollard::Docker;
use tokio::sync::{mpsc, Semaphore};
use tokio_util::sync::CancellationToken;

use codecage::sandbox::{self, Input, Outcome, OutputSink, SandboxSpec, Started};

/// Keys (languages and modes) kept warm at once: the pool holds at most `size * KEYS`.
pub const KEYS: usize = 8;

#[derive(Default)]
struct Shelves {
    /// Sandboxes ready per key, oldest first.
    ready: HashMap<String, VecDeque<(Started, Instant)>>,
    /// Starts in flight per key, so refills do not overshoot.
    filling: HashMap<String, usize>,
    /// When each key was last asked for: the least recent gives way when the pool is full.
    used: HashMap<String, Instant>,
}

impl Shelves {
    fn total(&self) -> usize {
        self.ready.values().map(VecDeque::len).sum::<usize>() + self.filling.values().sum::<usize>()
    }

    /// Take one ready sandbox of the least recently used key other than `keep`.
    fn take_from_the_least_used(&mut self, keep: &str) -> Option<Started> {
        let victim = self
            .ready
            .iter()
            .filter(|(k, q)| k.as_str() != keep && !q.is_empty())
            .min_by_key(|(k, _)| self.used.get(k.as_str()).copied())
            .map(|(k, _)| k.clone())?;
        self.ready
            .get_mut(&victim)
            .and_then(VecDeque::pop_front)
            .map(|(s, _)| s)
    }
}

pub struct Pool {
    /// Sandboxes kept ready per key; 0 turns the pool off.
    size: usize,
    idle_ttl: Duration,
    shelves: Mutex<Shelves>,
    /// The admission gate's run slots: a pooled start holds one while it lasts.
    slots: Arc<Semaphore>,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

impl Pool {
    pub fn new(size: usize, idle_ttl: Duration, slots: Arc<Semaphore>) -> Pool {
        Pool {
            size,
            idle_ttl,
            shelves: Mutex::new(Shelves::default()),
            slots,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// What makes two sandboxes interchangeable: the spec without its workspace and argv.
    fn key(spec: &SandboxSpec) -> String {
        format!(
            "{}\0{:?}\0{:?}\0{:?}\0{}\0{}\0{:?}",
            spec.image,
            spec.limits,
            spec.tty,
            spec.labels,
            spec.compile,
            spec.signals,
            spec.runtime
        )
    }

    /// Run `spec` in a pooled sandbox when one is ready, else in a fresh one. `warm`: the
    /// request is at its language's default limits, so its kind is worth keeping ready.
    pub async fn run(
        self: &Arc<Self>,
        docker: &Docker,
        spec: &SandboxSpec,
        warm: bool,
        input: mpsc::Receiver<Input>,
        sink: &mut dyn OutputSink,
        cancel: CancellationToken,
    ) -> Result<Outcome> {
        let Some(pooled_spec) = (self.size > 0 && warm && spec.tty.is_none())
            .then(|| sandbox::with_argv_in_workspace(spec))
            .flatten()
        else {
            return codecage::launch::run(docker, spec, input, sink, cancel).await;
        };
        let key = Pool::key(spec);
        let pooled = self.take(docker, &key).await;
        self.refill(docker, spec, &key);
        match pooled {
            Some(started) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(sandbox::finish(docker, started, &pooled_spec, input, sink, cancel).await?)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                codecage::launch::run(docker, spec, input, sink, cancel).await
            }
        }
    }

    /// A ready sandbox for `key` that is still alive; dead ones (an engine restart killed them)
    /// are removed on the way, never handed to a program.
    async fn take(&self, docker: &Docker, key: &str) -> Option<Started> {
        loop {
            let next = self.shelves.lock().ok().and_then(|mut shelves| {
                shelves.used.insert(key.to_string(), Instant::now());
                shelves.ready.get_mut(key).and_then(VecDeque::pop_front)
            });
            let (mut started, _) = next?;
            if !started.is_gone() {
                return Some(started);
            }
            sandbox::discard(docker, started).await;
        }
    }

    /// Start sandboxes in the background until `size` are ready or starting for this key, within
    /// the pool's total, each start holding a run slot.
    fn refill(self: &Arc<Self>, docker: &Docker, spec: &SandboxSpec, key: &str) {
        let mut evicted = Vec::new();
        let wanted = {
            let Ok(mut shelves) = self.shelves.lock() else {
                return;
            };
            let have = shelves.ready.get(key).map_or(0, VecDeque::len)
                + shelves.filling.get(key).copied().unwrap_or(0);
            let mut wanted = self.size.saturating_sub(have);
            // Room in the pool's total, made by the least recently used keys if need be.
            while wanted > 0 && shelves.total() + wanted > self.size * KEYS {
                match shelves.take_from_the_least_used(key) {
                    Some(started) => evicted.push(started),
                    None => wanted = (self.size * KEYS).saturating_sub(shelves.total()),
                }
            }
            *shelves.filling.entry(key.to_string()).or_insert(0) += wanted;
            wanted
        };
        if !evicted.is_empty() {
            let docker = docker.clone();
            tokio::spawn(async move {
                for started in evicted {
                    sandbox::discard(&docker, started).await;
                }
            });
        }
        let template = sandbox::pooled_template(spec);
        for _ in 0..wanted {
            let pool = self.clone();
            let docker = docker.clone();
            let template = template.clone();
            let key = key.to_string();
            tokio::spawn(async move {
                let started = match pool.slots.clone().acquire_owned().await {
                    Ok(_slot) => codecage::launch::start(&docker, &template).await.ok(),
                    Err(_) => None,
                };
                pool.shelve(&docker, key, started).await;
            });
        }
    }

    /// A finished start: on the shelf, or removed when the pool cannot take it.
    async fn shelve(&self, docker: &Docker, key: String, started: Option<Started>) {
        let unplaced = match self.shelves.lock() {
            Ok(mut shelves) => {
                if let Some(n) = shelves.filling.get_mut(&key) {
                    *n = n.saturating_sub(1);
                }
                if let Some(started) = started {
                    shelves
                        .ready
                        .entry(key)
                        .or_default()
                        .push_back((started, Instant::now()));
                }
                None
            }
            Err(_) => started,
        };
        if let Some(started) = unplaced {
            sandbox::discard(docker, started).await;
        }
    }

    /// Remove sandboxes unused for longer than the idle TTL, or dead (all of them with
    /// `everything`).
    pub async fn evict(&self, docker: &Docker, everything: bool) {
        let mut stale = Vec::new();
        if let Ok(mut shelves) = self.shelves.lock() {
            for queue in shelves.ready.values_mut() {
                let mut kept = VecDeque::new();
                while let Some((mut started, at)) = queue.pop_front() {
                    if everything || at.elapsed() > self.idle_ttl || started.is_gone() {
                        stale.push(started);
                    } else {
                        kept.push_back((started, at));
                    }
                }
                *queue = kept;
            }
            shelves.ready.retain(|_, q| !q.is_empty());
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
        self.shelves
            .lock()
            .map(|s| s.ready.values().map(VecDeque::len).sum())
            .unwrap_or(0)
    }
}
