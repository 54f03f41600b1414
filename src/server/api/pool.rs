//! The warm pool: sandboxes created and started ahead of time, so a request skips the engine's
//! create/start (~150 ms on the dev machine). A pooled sandbox is exactly a cold one started
//! earlier: same image, limits and hardening, a fresh container used once, removed after it ran
//! (off the answer's path), after `idle_ttl` unused, and at shutdown.
//!
//! What is kept warm is a judge box (`sandbox::judge_box`) wherever one can run: its launcher
//! reports the program's exit itself the moment it reaps it, so the answer does not wait for the
//! engine to notice the exit, delete the task and send its `die` event (24-85 ms of a ~50 ms
//! request under load, measured with the request log's `spans`). The box runs one program and is
//! then told to go; nothing else ever runs in it. Where a box cannot run (an image without `sh`,
//! a build without the launcher, a kernel that cannot reset peak memory), a started sandbox whose
//! shim waits for its workspace is kept instead. A box that breaks while the program runs (a
//! program can break it on purpose, see docs/security.md) gets the program run again, once, in a
//! container of its own, as grading does.
//!
//! What a client sends never shapes the pool (issue #31: 40 requests with different `args` once
//! left 80 warm containers): the key is the sandbox itself (image, limits, runtime, mode), the
//! program's argv travels with its workspace, only requests at the language's default limits are
//! kept warm, the pool holds at most `size` per key and `size * KEYS` in all (the least recently
//! used key gives way), and every start takes a run slot of the admission gate while it lasts, as
//! a request's own start would.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use bollard::Docker;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use codecage::sandbox::judge_box::{BoxCase, BoxError, JudgeBox};
use codecage::sandbox::{self, Collected, Outcome, SandboxSpec, Started};

/// Keys (languages and modes) kept warm at once: the pool holds at most `size * KEYS`.
pub const KEYS: usize = 8;
/// How long a key that could not host a box keeps started sandboxes before a box is tried again.
const BOXLESS_FOR: Duration = Duration::from_secs(60);

/// A sandbox kept ready for one program.
enum Warm {
    /// A judge box whose launcher has said hello (boxed: it is the larger by far).
    Box(Box<JudgeBox>),
    /// A sandbox whose shim waits for its workspace (where a box cannot run).
    Sandbox(Started),
}

impl Warm {
    /// Whether it died while it waited (an engine restart killed it, say).
    fn is_gone(&mut self) -> bool {
        match self {
            Warm::Box(judge_box) => judge_box.is_gone(),
            Warm::Sandbox(started) => started.is_gone(),
        }
    }

    /// Remove it, by force, and its cgroup with it.
    async fn discard(self, docker: &Docker) {
        match self {
            Warm::Box(judge_box) => judge_box.remove().await,
            Warm::Sandbox(started) => sandbox::discard(docker, started).await,
        }
    }
}

#[derive(Default)]
struct Shelves {
    /// Sandboxes ready per key, oldest first.
    ready: HashMap<String, VecDeque<(Warm, Instant)>>,
    /// Starts in flight per key, so refills do not overshoot.
    filling: HashMap<String, usize>,
    /// When each key was last asked for: the least recent gives way when the pool is full.
    used: HashMap<String, Instant>,
    /// Keys whose image or engine could not host a judge box, and when that was found: started
    /// sandboxes are kept instead for a while (`BOXLESS_FOR`), then a box is tried again, since
    /// some of the reasons pass (a box that died before its launcher said hello).
    boxless: HashMap<String, Instant>,
}

impl Shelves {
    fn total(&self) -> usize {
        self.ready.values().map(VecDeque::len).sum::<usize>() + self.filling.values().sum::<usize>()
    }

    /// Take one ready sandbox of the least recently used key other than `keep`.
    fn take_from_the_least_used(&mut self, keep: &str) -> Option<Warm> {
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

    /// Run `spec` in a pooled sandbox when one is ready, else in a fresh one; returns what it
    /// printed with the outcome. `warm`: the request is at its language's default limits, so its
    /// kind is worth keeping ready.
    pub async fn run(
        self: &Arc<Self>,
        docker: &Docker,
        spec: &SandboxSpec,
        warm: bool,
        stdin: Vec<u8>,
        cancel: CancellationToken,
    ) -> Result<(Outcome, Collected)> {
        if self.size == 0 || !warm || spec.tty.is_some() {
            return cold(docker, spec, stdin, cancel).await;
        }
        let key = Pool::key(spec);
        let pooled = codecage::spans::timed("pool take", self.take(docker, &key)).await;
        self.refill(docker, spec, &key);
        let Some(pooled) = pooled else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return cold(docker, spec, stdin, cancel).await;
        };
        self.hits.fetch_add(1, Ordering::Relaxed);
        match pooled {
            Warm::Box(judge_box) => in_box(docker, *judge_box, spec, stdin, cancel).await,
            Warm::Sandbox(started) => {
                // The argv goes with the workspace (`pooled_template`); one a shell line cannot
                // carry (a NUL byte) gets a sandbox of its own.
                let Some(pooled_spec) = sandbox::with_argv_in_workspace(spec) else {
                    sandbox::discard(docker, started).await;
                    return cold(docker, spec, stdin, cancel).await;
                };
                let mut output = Collected::default();
                let input = sandbox::fixed_input(stdin);
                let outcome =
                    sandbox::finish(docker, started, &pooled_spec, input, &mut output, cancel)
                        .await?;
                Ok((outcome, output))
            }
        }
    }

    /// A ready sandbox for `key` that is still alive; dead ones (an engine restart killed them)
    /// are removed on the way, never handed to a program.
    async fn take(&self, docker: &Docker, key: &str) -> Option<Warm> {
        loop {
            let next = self.shelves.lock().ok().and_then(|mut shelves| {
                shelves.used.insert(key.to_string(), Instant::now());
                shelves.ready.get_mut(key).and_then(VecDeque::pop_front)
            });
            let (mut warm, _) = next?;
            if !warm.is_gone() {
                return Some(warm);
            }
            // Off the request's path: with the engine gone, removing waits for its timeout.
            let docker = docker.clone();
            tokio::spawn(async move { warm.discard(&docker).await });
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
                for warm in evicted {
                    warm.discard(&docker).await;
                }
            });
        }
        for _ in 0..wanted {
            let pool = self.clone();
            let docker = docker.clone();
            let spec = spec.clone();
            let key = key.to_string();
            tokio::spawn(async move {
                let warm = match pool.slots.clone().acquire_owned().await {
                    Ok(_slot) => pool.start(&docker, &spec, &key).await,
                    Err(_) => None,
                };
                pool.shelve(&docker, key, warm).await;
            });
        }
    }

    /// A box for `spec`'s kind, or a started sandbox where boxes cannot run (remembered per key).
    async fn start(&self, docker: &Docker, spec: &SandboxSpec, key: &str) -> Option<Warm> {
        let boxless = self.shelves.lock().map_or(true, |shelves| {
            shelves
                .boxless
                .get(key)
                .is_some_and(|since| since.elapsed() < BOXLESS_FOR)
        });
        if !boxless {
            match JudgeBox::start(docker, spec).await {
                Ok(judge_box) => return Some(Warm::Box(Box::new(judge_box))),
                Err(BoxError::Unsupported(_)) => {
                    if let Ok(mut shelves) = self.shelves.lock() {
                        shelves.boxless.insert(key.to_string(), Instant::now());
                    }
                }
                Err(_) => return None,
            }
        }
        let template = sandbox::pooled_template(spec);
        codecage::launch::start(docker, &template)
            .await
            .ok()
            .map(Warm::Sandbox)
    }

    /// A finished start: on the shelf, or removed when the pool cannot take it.
    async fn shelve(&self, docker: &Docker, key: String, started: Option<Warm>) {
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
        if let Some(warm) = unplaced {
            warm.discard(docker).await;
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
        for warm in stale {
            warm.discard(docker).await;
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

/// A run in a sandbox of its own, started now.
async fn cold(
    docker: &Docker,
    spec: &SandboxSpec,
    stdin: Vec<u8>,
    cancel: CancellationToken,
) -> Result<(Outcome, Collected)> {
    let mut output = Collected::default();
    let input = sandbox::fixed_input(stdin);
    let outcome = codecage::launch::run(docker, spec, input, &mut output, cancel).await?;
    Ok((outcome, output))
}

/// Run `spec`'s program as the one case of a warm box, then tell the box to go (off the answer's
/// path). A box that could not prepare the case ran nothing; one that broke while the program ran
/// leaves a result that cannot be trusted: either way the program runs in a container of its own
/// and what the box gave is dropped.
async fn in_box(
    docker: &Docker,
    mut judge_box: JudgeBox,
    spec: &SandboxSpec,
    stdin: Vec<u8>,
    cancel: CancellationToken,
) -> Result<(Outcome, Collected)> {
    let mut output = Collected::default();
    let mut input = sandbox::fixed_input(stdin.clone());
    // The files go as the case's own (`extra_tar`), which the launcher lets go of once they are
    // unpacked, before the case's peak memory is reset; as the box's workspace it would keep a
    // copy for later cases, charged to this program's memory (a 12 MiB file: 30 MB against 17 MB
    // in a container of its own, enough to turn an AC into an MLE).
    let case = BoxCase {
        workspace_tar: &[],
        extra_tar: spec.workspace_tar.clone(),
        argv: &spec.argv,
        limits: &spec.limits,
    };
    let since = std::time::Instant::now();
    let ran = judge_box
        .run(case, &mut input, &mut output, cancel.clone())
        .await;
    tokio::spawn(judge_box.close());
    match ran {
        Ok(outcome) => Ok((outcome, output)),
        Err(_) => {
            codecage::spans::record("broken box", since);
            cold(docker, spec, stdin, cancel).await
        }
    }
}
