//! `codecage worker`: take batch runs from the broker and run them in this machine's sandboxes,
//! through the same plan -> prepare -> pool -> result path as a local request.
//!
//! Each of `concurrency` slots takes one job at a time: first any job whose worker stopped
//! touching it (it died), then new ones. While a job runs, its slot touches it every
//! [`heartbeat`] so no other worker claims it; the result is stored before the job is
//! acknowledged. On SIGTERM the worker takes no new jobs, lets running ones finish within the
//! grace period, and puts back what it had to stop.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::server::api::execute;
use crate::server::api::judge0::{self, Judge0};
use crate::server::http::listener;
use crate::server::http::settings::Settings;
use crate::server::http::state::AppState;
use crate::server::scaleout::broker::{heartbeat, Broker, Delivery, WorkerInfo, MAX_DELIVERIES};
use codecage::limits::Limits;
use codecage::profile::Profiles;
use codecage::verdict::Verdict;
use codecage::wire::grade_request::GradeRequest;
use codecage::wire::job::{Job, JobResult, JobSpec, WireResult};

/// A job put back this many times by workers without its language ends as an error.
const MAX_HOPS: u64 = 10;

/// How long a slot waits on the queue per read (it also looks for abandoned jobs in between).
const READ_WAIT: Duration = Duration::from_secs(2);

struct Worker {
    state: Arc<AppState>,
    broker: Arc<dyn Broker>,
    node: String,
    /// Where this worker takes sessions, if it does.
    url: Option<String>,
    running: AtomicUsize,
    done: AtomicU64,
    /// No new jobs after this (SIGTERM).
    stop: CancellationToken,
    /// Judge0 on the broker's shared store, for the submissions API nodes queue.
    judge0: Arc<Judge0>,
}

/// What makes a worker a worker (its limits are the serve settings).
pub struct WorkerSettings {
    pub concurrency: usize,
    pub node: String,
    /// Take interactive sessions on this address (`--listen`).
    pub listen: Option<std::net::SocketAddr>,
    /// The URL API nodes reach that address at (`--advertise`; else `http://LISTEN`).
    pub advertise: Option<String>,
}

/// Work until SIGTERM or SIGINT.
pub async fn run(
    docker: Docker,
    profiles: Profiles,
    settings: Settings,
    broker: Arc<dyn Broker>,
    options: WorkerSettings,
) -> Result<u8> {
    let WorkerSettings {
        concurrency,
        node,
        listen,
        advertise,
    } = options;
    if let Some(address) = listen {
        if !address.ip().is_loopback() && settings.token.is_none() {
            anyhow::bail!("a worker listening on {address} (not loopback) needs an API token: pass --token or set CODECAGE_TOKEN");
        }
    }
    let mut state = AppState::new(docker, profiles, settings);
    state.node = Some(node.clone());
    let state = Arc::new(state);
    tokio::spawn(state.pool.clone().keep_fresh(state.docker.clone()));
    let stop_http = CancellationToken::new();
    let (url, http) = match listen {
        Some(address) => {
            let listener = tokio::net::TcpListener::bind(address)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {address}: {e}"))?;
            let bound = listener.local_addr()?;
            let url = advertise.unwrap_or_else(|| format!("http://{bound}"));
            tokio::spawn(crate::server::api::session::reap(state.clone()));
            let router = crate::server::routes::worker_router(state.clone());
            let http = tokio::spawn(listener::serve_http(listener, router, stop_http.clone()));
            (Some(url), Some(http))
        }
        None => (None, None),
    };
    let judge0 = Judge0::shared(state.clone(), broker.clone(), state.shutdown.clone())?;
    let worker = Arc::new(Worker {
        judge0,
        state: state.clone(),
        broker,
        node,
        url,
        running: AtomicUsize::new(0),
        done: AtomicU64::new(0),
        stop: CancellationToken::new(),
    });
    let started_ms = codecage::units::unix_now() as u64 * 1000;
    worker.announce(concurrency, started_ms).await?;
    match &worker.url {
        Some(url) => eprintln!(
            "codecage: worker {} taking jobs ({} at a time) and sessions at {url}",
            worker.node, concurrency
        ),
        None => eprintln!(
            "codecage: worker {} taking jobs ({} at a time)",
            worker.node, concurrency
        ),
    }
    codecage::progress::json_lines();
    tokio::spawn(listener::stop_on_signal(worker.stop.clone()));
    let announcer = tokio::spawn({
        let worker = worker.clone();
        async move {
            loop {
                tokio::select! {
                    _ = worker.stop.cancelled() => return,
                    _ = tokio::time::sleep(heartbeat()) => {}
                }
                if let Err(e) = worker.announce(concurrency, started_ms).await {
                    eprintln!("codecage: worker: cannot announce myself: {e}");
                }
            }
        }
    });
    let pruner = tokio::spawn(prune_judge0_index(worker.clone()));
    let slots: Vec<_> = (0..concurrency)
        .map(|_| tokio::spawn(worker.clone().slot()))
        .collect();
    worker.stop.cancelled().await;
    stop_http.cancel();
    let grace = state.settings.grace;
    let all = futures_util::future::join_all(slots);
    let all = async move {
        let _ = all.await;
        if let Some(http) = http {
            let _ = http.await;
        }
    };
    tokio::pin!(all);
    if tokio::time::timeout(grace, &mut all).await.is_err() {
        // Past the grace period: stop what still runs (those jobs go back on the queue).
        state.shutdown.cancel();
        let _ = all.await;
    }
    announcer.abort();
    pruner.abort();
    let _ = worker.broker.retire(&worker.node).await;
    state.pool.evict(&state.docker, true).await;
    eprintln!("codecage: worker {} stopped", worker.node);
    Ok(codecage::exit_code::SUCCESS)
}

impl Worker {
    async fn announce(&self, concurrency: usize, started_ms: u64) -> Result<()> {
        let mut info = WorkerInfo {
            node: self.node.clone(),
            hostname: hostname(),
            languages: self.state.profiles.iter().map(|p| p.name.clone()).collect(),
            concurrency,
            running: self.running.load(Ordering::SeqCst)
                + self.state.metrics.active_sessions.load(Ordering::SeqCst),
            url: self.url.clone(),
            done: self.done.load(Ordering::SeqCst),
            started_ms,
            announced_ms: codecage::units::unix_now() as u64 * 1000,
            proof: None,
        };
        info.sign(self.state.settings.token.as_deref());
        self.broker.announce(&info).await?;
        Ok(())
    }

    /// One job at a time until the stop.
    async fn slot(self: Arc<Self>) {
        let mut broker_down = false;
        while !self.stop.is_cancelled() {
            let next = match self.broker.claim_abandoned(&self.node).await {
                Ok(Some(delivery)) => Ok(Some(delivery)),
                Ok(None) => tokio::select! {
                    biased;
                    _ = self.stop.cancelled() => return,
                    next = self.broker.next(&self.node, READ_WAIT) => next,
                },
                Err(e) => Err(e),
            };
            match next {
                Ok(Some(delivery)) => {
                    broker_down = false;
                    self.running.fetch_add(1, Ordering::SeqCst);
                    self.handle(delivery).await;
                    self.running.fetch_sub(1, Ordering::SeqCst);
                }
                Ok(None) => broker_down = false,
                Err(e) => {
                    if !broker_down {
                        eprintln!("codecage: worker: {e}; retrying");
                    }
                    broker_down = true;
                    tokio::select! {
                        _ = self.stop.cancelled() => return,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
            }
        }
    }

    async fn handle(&self, delivery: Delivery) {
        let failed = |status: u16, message: String| JobResult::Failed { status, message };
        let gave_up = format!(
            "the job was handed to workers {} times and none finished it (they stopped or lost the broker)",
            delivery.deliveries.saturating_sub(1)
        );
        let result = match serde_json::from_str::<Job>(&delivery.spec) {
            Err(e) => failed(500, format!("unreadable job: {e}")),
            Ok(Job::Judge0 { token }) => {
                if delivery.deliveries > MAX_DELIVERIES {
                    judge0::give_up(&self.judge0, &token, &gave_up).await;
                } else if !judge0::judge_queued(&self.judge0, &token).await {
                    // Stopped by this worker's shutdown: someone else judges it.
                    self.put_back(&delivery).await;
                    return;
                }
                JobResult::Judged
            }
            Ok(Job::Run(_) | Job::Grade(_)) if delivery.deliveries > MAX_DELIVERIES => {
                failed(500, gave_up)
            }
            Ok(Job::Grade(req)) => match self.grade(&delivery, *req).await {
                Some(result) => result,
                None => {
                    self.put_back(&delivery).await;
                    return;
                }
            },
            Ok(Job::Run(spec)) if self.state.profiles.by_name(&spec.language).is_none() => {
                if delivery.hops < MAX_HOPS {
                    // Another worker may have the language: back to the queue with it.
                    self.put_back(&delivery).await;
                    return;
                }
                failed(
                    503,
                    format!("no worker took the job: none runs {}", spec.language),
                )
            }
            Ok(Job::Run(spec)) => match self.run(&delivery, *spec).await {
                Some(result) => result,
                None => {
                    // Stopped by this worker's shutdown: someone else runs it.
                    self.put_back(&delivery).await;
                    return;
                }
            },
        };
        let json = serde_json::to_string(&result).unwrap_or_else(|e| {
            let failed = failed(500, format!("cannot encode the result: {e}"));
            serde_json::to_string(&failed).unwrap_or_default()
        });
        // Until stored, the job stays pending: if this fails, it is claimed and run again.
        for attempt in 0..5 {
            match self.broker.complete(&delivery, &json).await {
                Ok(()) => {
                    self.done.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                Err(e) if attempt == 4 => {
                    eprintln!("codecage: worker: cannot store a result: {e}");
                }
                Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        }
    }

    async fn put_back(&self, delivery: &Delivery) {
        if let Err(e) = self.broker.requeue(delivery).await {
            eprintln!("codecage: worker: cannot put a job back: {e}");
        }
    }

    /// Drive `work` to its end, touching the job meanwhile (so no other worker claims it) and
    /// cancelling it when an API node asks to.
    async fn touching<T>(
        &self,
        delivery: &Delivery,
        work: impl std::future::Future<Output = T>,
        cancel: &CancellationToken,
    ) -> T {
        let asked_to_stop = self.broker.cancelled(&delivery.job_id);
        tokio::pin!(work, asked_to_stop);
        let mut touch = tokio::time::interval(heartbeat());
        touch.tick().await;
        loop {
            tokio::select! {
                done = &mut work => return done,
                _ = &mut asked_to_stop, if !cancel.is_cancelled() => cancel.cancel(),
                _ = touch.tick() => {
                    let _ = self.broker.touch(&self.node, delivery).await;
                }
            }
        }
    }

    /// Grade, touching the job meanwhile; `None` when this worker's shutdown stopped it.
    async fn grade(&self, delivery: &Delivery, req: GradeRequest) -> Option<JobResult> {
        let failed = |status: u16, message: String| Some(JobResult::Failed { status, message });
        if let Err(reason) = self.grade_limits(&req) {
            return failed(400, format!("invalid job: {reason}"));
        }
        let cancel = self.state.shutdown.child_token();
        let graded = crate::server::api::grading::here(self.state.clone(), req, cancel.clone());
        match self.touching(delivery, graded, &cancel).await {
            Ok(report) => Some(JobResult::Graded(report)),
            Err(_) if self.state.shutdown.is_cancelled() => None,
            Err(e) => failed(e.status().as_u16(), e.message().to_string()),
        }
    }

    /// Whether a grading job's limits, and each case's on top of them, are valid once clamped to
    /// this worker's maxima (the API node checked them too, but the queue is not trusted).
    fn grade_limits(&self, req: &GradeRequest) -> Result<(), String> {
        let Some(profile) = self.state.profiles.by_name(&req.language) else {
            // The grading itself answers an unknown language.
            return Ok(());
        };
        let max = self.state.settings.limits_max(&profile);
        let mut limits = req.limits.clone();
        checked_limits(&mut limits, &max)?;
        for case in &req.cases {
            let mut own = limits.clone();
            own.apply(&case.limits)
                .map_err(|e| format!("case {}: {e}", case.name))?;
            checked_limits(&mut own, &max).map_err(|e| format!("case {}: {e}", case.name))?;
        }
        Ok(())
    }

    /// Run the job, touching it meanwhile; `None` when this worker's shutdown stopped it.
    async fn run(&self, delivery: &Delivery, spec: JobSpec) -> Option<JobResult> {
        let failed = |status: u16, message: String| Some(JobResult::Failed { status, message });
        let req = match spec.request() {
            Ok(req) => req,
            Err(e) => return failed(500, e),
        };
        let (mut plan, stdin) = match execute::plan(&self.state, req) {
            Ok(planned) => planned,
            Err(e) => return failed(e.status().as_u16(), e.message().to_string()),
        };
        // The API node's limits, within this worker's own maxima, and sane: whoever can write
        // to Redis can write a job, and the engine reads a memory, pids or CPU limit of 0 as
        // none at all.
        plan.limits = spec.limits;
        let max = self.state.settings.limits_max(&plan.profile);
        if let Err(e) = checked_limits(&mut plan.limits, &max) {
            return failed(400, format!("invalid job: {e}"));
        }
        let cancel = self.state.shutdown.child_token();
        let run = execute::execute(&self.state, plan, stdin, cancel.clone());
        let outcome = self.touching(delivery, run, &cancel).await;
        let shutting_down = self.state.shutdown.is_cancelled();
        match outcome {
            Ok(result) => {
                let cancelled = result
                    .run
                    .as_ref()
                    .is_some_and(|r| r.verdict == Verdict::Cancelled);
                if cancelled && shutting_down {
                    return None;
                }
                Some(JobResult::Done(Box::new(WireResult::new(&result))))
            }
            Err(_) if shutting_down => None,
            Err(e) => failed(e.status().as_u16(), e.message().to_string()),
        }
    }
}

/// Now and then, drop the shared Judge0 index's entries whose submissions expired. Records
/// expire in Redis by themselves; their index entries do not. Often enough that the index holds
/// at most about one retention period and a half of submissions.
async fn prune_judge0_index(worker: Arc<Worker>) {
    let every = prune_interval(worker.state.settings.judge0.retention);
    loop {
        tokio::select! {
            _ = worker.stop.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
        if let Err(e) = worker.broker.prune_submissions().await {
            eprintln!("codecage: worker: cannot prune the Judge0 index: {e}");
        }
    }
}

/// Half the retention, between a second and a minute.
fn prune_interval(retention: Duration) -> Duration {
    (retention / 2).clamp(Duration::from_secs(1), Duration::from_secs(60))
}

/// `limits` clamped to `max`, then refused unless valid (a zero the engine reads as "none").
fn checked_limits(limits: &mut Limits, max: &Limits) -> Result<(), String> {
    limits.clamp_to(max);
    limits.validate().map_err(|e| e.to_string())?;
    if limits.time.is_zero() || limits.output == 0 {
        return Err("the time and output limits must be more than 0".into());
    }
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// A node id unique to this process: the host, and a random part.
pub fn default_node_id() -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    let host: String = hostname()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    format!(
        "{}-{}",
        if host.is_empty() { "worker" } else { &host },
        &random[..8]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_clamped_to_the_workers_maxima_and_zeros_are_refused() {
        let max = Limits::run_defaults();
        let mut big = Limits::run_defaults();
        big.memory = 4 << 30;
        big.time = Duration::from_secs(600);
        big.pids = 32768;
        checked_limits(&mut big, &max).unwrap();
        assert_eq!(big, max);
        // Each zero the engine would read as "no limit" is refused, not run.
        let zeros: [fn(&mut Limits); 5] = [
            |l| l.memory = 0,
            |l| l.pids = 0,
            |l| l.cpus = 0.0,
            |l| l.time = Duration::ZERO,
            |l| l.cpu_time = Some(Duration::ZERO),
        ];
        for zero in zeros {
            let mut limits = Limits::run_defaults();
            zero(&mut limits);
            assert!(checked_limits(&mut limits, &max).is_err(), "{limits:?}");
        }
        // Not a number is no way around it: clamping makes it the maximum.
        let mut nan = Limits::run_defaults();
        nan.cpus = f64::NAN;
        checked_limits(&mut nan, &max).unwrap();
        assert_eq!(nan.cpus, max.cpus);
    }

    #[test]
    fn the_index_is_pruned_every_half_retention_within_bounds() {
        assert_eq!(
            prune_interval(Duration::from_secs(7 * 86_400)),
            Duration::from_secs(60)
        );
        assert_eq!(
            prune_interval(Duration::from_secs(30)),
            Duration::from_secs(15)
        );
        assert_eq!(prune_interval(Duration::ZERO), Duration::from_secs(1));
    }
}
