//! Judge boxes: one hardened sandbox that runs many cases of one program, each as a fresh process.
//!
//! A container per case costs the engine ~170 ms of CPU, which is nearly all of a judge's time on
//! small cases. A box is started once (per worker slot and program) with the same hardening as any
//! sandbox; inside, a launcher of ours runs as PID 1 (`launcher.rs`, embedded by `build.rs`) and,
//! for each case, empties `/work` and `/tmp`, unpacks the workspace again, starts the program on
//! pipes of its own, relays its stdio, and when it ends kills every process it left. The host
//! reads the case's CPU time, peak memory and OOM kills from the box's cgroup around the case
//! (`Accounting::case_start`), so the figures are the kernel's, as with a container per case.
//!
//! What is per box (fixed when it starts): the image, runtime, memory, CPU quota, processes and
//! workspace size (`BoxKey`). What is per case: the argv, the input, the wall-clock and CPU-time
//! limits and the output limit. A case that needs another key gets another box.
//!
//! Failure: a box whose launcher stops answering (the engine killed it, the machine is loaded
//! past the backstop) is `BoxError::Broken`; the caller starts a fresh box and runs the case again
//! once (`grade::grading`). A box that cannot start at all (an image without `sh` or `head`, a
//! launcher that would not build) is `BoxError::Unsupported`, and the caller falls back to a
//! container per case.

/// The launcher's source is a program of its own (see its docs); compiled here too, for its frame
/// and case encodings (which both sides share) and its unit tests.
#[path = "launcher.rs"]
mod launcher;

use std::time::{Duration, Instant};

use bollard::container::LogOutput;
use bollard::Docker;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::accounting::Accounting;
use super::container;
use super::io::{Input, OutputSink};
use super::outcome::Outcome;
use super::spec::SandboxSpec;
use super::{hardening, SandboxError};
use crate::limits::Limits;

/// The launcher, compiled statically by `build.rs` (empty when that failed).
static LAUNCHER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/box-launcher"));

/// How long a launcher may take to say hello, or to prepare a case.
const ANSWER_TIME: Duration = Duration::from_secs(30);
/// How much longer than a case's wall-clock limit the host waits for the launcher's report
/// before it calls the box broken (the launcher ends the case itself at the limit).
const BACKSTOP_GRACE: Duration = Duration::from_secs(5);
/// How often the CPU time of a running case is read, as `drive.rs` does for a sandbox.
const CPU_POLL: Duration = Duration::from_millis(10);
/// Input bytes per frame.
const INPUT_CHUNK: usize = 256 << 10;
/// A box lives at most this long (the `codecage.deadline` label `gc` reads).
const BOX_LIFETIME_SECS: u64 = 24 * 3600;

/// Why a box could not run a case.
#[derive(Debug, thiserror::Error)]
pub enum BoxError {
    /// This image or engine cannot host a box: grade with a container per case instead.
    #[error("a judge box cannot run here: {0}")]
    Unsupported(String),
    /// The box stopped answering or died while a case's program ran.
    #[error("the judge box broke: {0}")]
    Broken(String),
    /// The box could not make itself ready for a case (an earlier case left it beyond repair,
    /// see `launcher.rs`): no program ran, and a fresh box will do.
    #[error("the judge box could not prepare a case: {0}")]
    Unprepared(String),
    /// Starting the container failed as a sandbox's start fails.
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
}

/// Why boxes are not used at all in this build, if they are not.
pub fn launcher_missing() -> Option<&'static str> {
    LAUNCHER
        .is_empty()
        .then_some("this codecage was built without the judge box launcher (no static C library when it was compiled)")
}

/// What a box is fixed to when it starts: two specs with the same key can share a box.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxKey {
    image: String,
    runtime: Option<String>,
    memory: u64,
    cpus: f64,
    pids: i64,
    workspace: u64,
    cpu_period: Duration,
    labels: Vec<(String, String)>,
}

impl BoxKey {
    pub fn of(spec: &SandboxSpec) -> BoxKey {
        let l = &spec.limits;
        BoxKey {
            image: spec.image.clone(),
            runtime: spec.runtime.clone(),
            memory: l.engine_memory(),
            cpus: l.cpus,
            pids: l.pids,
            workspace: l.workspace,
            cpu_period: l.cpu_period,
            labels: spec.labels.clone(),
        }
    }
}

/// A frame from the launcher, or the end of its channel with what it said on stderr.
enum FromBox {
    Frame(u8, Vec<u8>),
    Gone(String),
}

/// A running box.
pub struct JudgeBox {
    docker: Docker,
    id: String,
    key: BoxKey,
    to_box: mpsc::UnboundedSender<Vec<u8>>,
    from_box: mpsc::UnboundedReceiver<FromBox>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    accounting: Option<Accounting>,
    /// The workspace the launcher holds (by content), so it is sent only when it changes.
    workspace_sent: Option<(usize, u64)>,
    trace: bool,
    /// Set once the box must not run another case.
    broken: bool,
}

/// One case for a box.
pub struct BoxCase<'a> {
    /// The program's files (sent to the box when they differ from the last case's).
    pub workspace_tar: &'a [u8],
    /// Files for this case only, unpacked after the workspace (a tar, or empty).
    pub extra_tar: Vec<u8>,
    pub argv: &'a [String],
    /// The case's limits; the per-box fields must match the box's key.
    pub limits: &'a Limits,
}

impl JudgeBox {
    /// Start a box for specs like `spec` (its argv and workspace are not used here).
    pub async fn start(docker: &Docker, spec: &SandboxSpec) -> Result<JudgeBox, BoxError> {
        if let Some(why) = launcher_missing() {
            return Err(BoxError::Unsupported(why.to_string()));
        }
        // The launcher's reports are trusted because no program can reach the box's own streams:
        // the kernel refuses `/proc/1/fd` of a non-dumpable PID 1. gVisor's kernel does not (a
        // program opened `/proc/1/fd/1` for writing there and forged a report), and lets PID 1
        // be killed from inside: under it, every run gets a container of its own.
        if super::runtime::Isolation::of(spec.runtime.as_deref())
            == super::runtime::Isolation::Gvisor
        {
            return Err(BoxError::Unsupported(
                "gVisor lets a program open the launcher's descriptors through /proc/1/fd, so its reports could be forged".into(),
            ));
        }
        super::check_engine(docker).await?;
        let run_id = uuid::Uuid::new_v4().to_string();
        let deadline = crate::units::unix_now().max(0) as u64 + BOX_LIFETIME_SECS;
        let accounting = Accounting::for_run(docker, &run_id).await;
        // A box needs each case's own peak: where the kernel cannot reset it (cgroup v2 before
        // Linux 6.12) cases would be charged each other's, so grade with a container per case.
        if let Some(a) = &accounting {
            if !a.peak_resettable() {
                return Err(BoxError::Unsupported(
                    "this kernel cannot reset a cgroup's peak memory between cases (cgroup v2 before Linux 6.12)".into(),
                ));
            }
        }
        if let Some(why) = spec.limits.memory_unenforceable(accounting.is_some()) {
            return Err(SandboxError::LimitsUnenforceable(why).into());
        }
        // The memory limit is enforced at the box's parent cgroup as well, always: there the
        // kernel's count of OOM kills outlives the box, so a program that gets the launcher
        // itself killed at the limit (by holding memory no process owns: shared memory, tmpfs
        // files) is still seen to have hit it (MLE), not mistaken for a broken box.
        let memory_in_parent = match &accounting {
            Some(a) => a
                .enforce_memory(spec.limits.engine_memory())
                .map_err(SandboxError::MemoryCgroup)?,
            _ => false,
        };
        let config = hardening::box_config(
            spec,
            &run_id,
            deadline,
            accounting.as_ref().map(|a| a.cgroup_parent()),
            memory_in_parent,
        );
        let t0 = Instant::now();
        let id = container::create(docker, spec, config, false).await?;
        // A container created but never started is not removed by the engine (auto-remove
        // acts on exit): if this future is dropped before the start (a cancelled grading),
        // the guard removes it.
        let guard = Created {
            docker: docker.clone(),
            id: Some(id.clone()),
        };
        let transport = match container::attach_and_start(docker, &id, spec, None).await {
            Ok(transport) => transport,
            Err(e) => {
                container::remove(docker, &id).await;
                return Err(e.into());
            }
        };
        guard.disarm();
        let (to_box, outgoing) = mpsc::unbounded_channel::<Vec<u8>>();
        let (incoming, from_box) = mpsc::unbounded_channel();
        let tasks = vec![
            tokio::spawn(write_frames(transport.stdin, outgoing)),
            tokio::spawn(read_frames(transport.output, incoming)),
        ];
        let mut judge_box = JudgeBox {
            docker: docker.clone(),
            id,
            key: BoxKey::of(spec),
            to_box,
            from_box,
            tasks,
            accounting,
            workspace_sent: None,
            trace: spec.trace,
            broken: false,
        };
        let mut launcher = format!("{}\n", LAUNCHER.len()).into_bytes();
        launcher.extend_from_slice(LAUNCHER);
        let _ = judge_box.to_box.send(launcher);
        let failure = match tokio::time::timeout(ANSWER_TIME, judge_box.from_box.recv()).await {
            Ok(Some(FromBox::Frame(launcher::HELLO, _))) => None,
            Ok(Some(FromBox::Frame(kind, payload))) => Some(BoxError::Unsupported(format!(
                "the launcher said {:?} first: {}",
                kind as char,
                String::from_utf8_lossy(&payload)
            ))),
            Ok(Some(FromBox::Gone(why))) => Some(BoxError::Unsupported(why)),
            Ok(None) => Some(BoxError::Unsupported(
                "the box ended before its launcher started".into(),
            )),
            Err(_) => Some(BoxError::Broken(
                "the launcher did not start in time".into(),
            )),
        };
        if let Some(failure) = failure {
            // A box that never said hello is removed by force, not asked to go.
            judge_box.broken = true;
            judge_box.close().await;
            return Err(failure);
        }
        if judge_box.trace {
            eprintln!(
                "codecage: judge box {} from {} ready in {} ms",
                &judge_box.id[..12.min(judge_box.id.len())],
                spec.image,
                t0.elapsed().as_millis()
            );
        }
        Ok(judge_box)
    }

    pub fn key(&self) -> &BoxKey {
        &self.key
    }

    /// Whether the box may run another case.
    pub fn is_usable(&self) -> bool {
        !self.broken
    }

    /// Whether the box died (or spoke out of turn) while it waited for a case: an idle launcher
    /// says nothing, so anything on its channel means the box must not be given a program (a
    /// warm pool's box that an engine restart killed, say).
    pub fn is_gone(&mut self) -> bool {
        let quiet = matches!(
            self.from_box.try_recv(),
            Err(mpsc::error::TryRecvError::Empty)
        );
        self.broken |= !quiet;
        self.broken
    }

    /// Remove the box now, by force, and its cgroup with it (a server shutting down, which will
    /// not be there to remove a cgroup the launcher still held).
    pub async fn remove(mut self) {
        self.broken = true;
        self.close().await;
    }

    /// Remove the box (the launcher and everything in it go with the container).
    pub async fn close(mut self) {
        if self.broken {
            self.shut().await;
            return;
        }
        // A working box is told to go: its stdin closes, the launcher ends every process and
        // exits, and the engine removes the container (auto-remove) without codecage waiting
        // for it, as for any sandbox; a forced removal costs the engine (and us) ~100 ms more.
        let (closed, _) = mpsc::unbounded_channel();
        self.to_box = closed;
        let mut tasks = std::mem::take(&mut self.tasks).into_iter();
        if let Some(writer) = tasks.next() {
            // The writer sends what is queued, then closes the box's stdin.
            if tokio::time::timeout(ANSWER_TIME, writer).await.is_err() {
                self.tasks.extend(tasks);
                self.shut().await;
                return;
            }
        }
        for task in tasks {
            task.abort();
        }
        self.id.clear();
    }

    async fn shut(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
        if !self.id.is_empty() {
            container::remove(&self.docker, &self.id).await;
            self.id.clear();
        }
    }

    fn send(&self, kind: u8, payload: &[u8]) {
        let mut frame = Vec::with_capacity(5 + payload.len());
        frame.extend_from_slice(&launcher::header(kind, payload.len()));
        frame.extend_from_slice(payload);
        let _ = self.to_box.send(frame);
    }

    /// The next frame, within `limit`; a box that ends or says `F` is broken.
    async fn next(&mut self, limit: Duration) -> Result<(u8, Vec<u8>), BoxError> {
        let got = match tokio::time::timeout(limit, self.from_box.recv()).await {
            Err(_) => Err(BoxError::Broken("the launcher stopped answering".into())),
            Ok(None) => Err(BoxError::Broken("the box's channel closed".into())),
            Ok(Some(FromBox::Gone(why))) => Err(BoxError::Broken(why)),
            Ok(Some(FromBox::Frame(launcher::FAILED, why))) => Err(BoxError::Broken(format!(
                "the launcher failed: {}",
                String::from_utf8_lossy(&why)
            ))),
            Ok(Some(FromBox::Frame(kind, payload))) => Ok((kind, payload)),
        };
        if got.is_err() {
            self.broken = true;
        }
        got
    }

    /// Run one case to its end. `input` feeds the program's stdin (the whole of it, or live from
    /// an interactor); its output goes to `sink`. Input is taken only once the program has been
    /// started: a box that fails before (`BoxError::Unprepared`) leaves it to the next box.
    pub async fn run(
        &mut self,
        case: BoxCase<'_>,
        input: &mut mpsc::Receiver<Input>,
        sink: &mut dyn OutputSink,
        cancel: CancellationToken,
    ) -> Result<Outcome, BoxError> {
        if self.broken {
            return Err(BoxError::Broken("the box broke on an earlier case".into()));
        }
        let limits = case.limits;
        let fingerprint = (case.workspace_tar.len(), fingerprint(case.workspace_tar));
        if self.workspace_sent != Some(fingerprint) {
            self.send(launcher::WORKSPACE, case.workspace_tar);
            self.workspace_sent = Some(fingerprint);
        }
        if !case.extra_tar.is_empty() {
            self.send(launcher::EXTRA, &case.extra_tar);
        }
        let wire_case = launcher::Case {
            wall_ms: limits.time.as_millis().max(1) as u64,
            output_limit: limits.output,
            argv: case.argv.iter().map(|a| a.as_bytes().to_vec()).collect(),
        };
        self.send(launcher::CASE, &wire_case.encode());
        let asked = Instant::now();
        match self.next(ANSWER_TIME).await {
            Ok((launcher::PREPARED, _)) => {}
            Ok((kind, _)) => return Err(self.unexpected(kind)),
            Err(e) => return Err(BoxError::Unprepared(e.to_string())),
        }
        crate::spans::record("case prepared", asked);
        let meter = self.accounting.as_ref().and_then(Accounting::case_start);
        self.send(launcher::GO, &[]);
        let started = Instant::now();
        let mut outcome = Outcome::default();
        let backstop = limits.time + BACKSTOP_GRACE;
        let mut cpu_poll = tokio::time::interval(CPU_POLL);
        cpu_poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut input_open = true;
        let mut killed = false;
        let exit = loop {
            let remaining = backstop.saturating_sub(started.elapsed());
            tokio::select! {
                frame = self.next(remaining) => {
                    let (kind, payload) = match frame {
                        Ok(frame) => frame,
                        Err(broken) => return self.died_at_memory_limit(meter, outcome).ok_or(broken),
                    };
                    match kind {
                        launcher::STDOUT | launcher::STDERR => {
                            // The launcher stops at the output limit; the host holds it too, so
                            // that no box, whatever it sends, makes codecage keep more.
                            let room = limits
                                .output
                                .saturating_sub(outcome.stdout_bytes + outcome.stderr_bytes);
                            let payload = &payload[..payload.len().min(room as usize)];
                            if payload.is_empty() {
                                outcome.output_exceeded = true;
                                if !killed {
                                    killed = true;
                                    self.send(launcher::KILL, &[]);
                                }
                                continue;
                            }
                            let written = if kind == launcher::STDOUT {
                                outcome.stdout_bytes += payload.len() as u64;
                                sink.stdout(payload)
                            } else {
                                outcome.stderr_bytes += payload.len() as u64;
                                sink.stderr(payload)
                            };
                            if written.is_err() && !killed {
                                outcome.sink_closed = true;
                                killed = true;
                                self.send(launcher::KILL, &[]);
                            }
                        }
                        launcher::EXITED => {
                            break launcher::Exit::decode(&payload)
                                .ok_or_else(|| self.unexpected(kind))?;
                        }
                        other => return Err(self.unexpected(other)),
                    }
                }
                event = input.recv(), if input_open => match event {
                    Some(Input::Data(data)) => {
                        for chunk in data.chunks(INPUT_CHUNK) {
                            self.send(launcher::INPUT, chunk);
                        }
                    }
                    Some(Input::Eof) | None => {
                        input_open = false;
                        self.send(launcher::INPUT_END, &[]);
                    }
                    // Cases get no TTY and no signals.
                    Some(Input::Resize { .. } | Input::Signal(_)) => {}
                },
                _ = cpu_poll.tick(), if !killed && limits.cpu_time.is_some() => {
                    let used = self.accounting.as_ref().and_then(Accounting::cpu_now)
                        .zip(meter.as_ref().and_then(|m| m.cpu_at_start()))
                        .map(|(now, before)| now.saturating_sub(before));
                    if used.zip(limits.cpu_time).is_some_and(|(used, limit)| used > limit) {
                        outcome.cpu_timed_out = true;
                        killed = true;
                        self.send(launcher::KILL, &[]);
                    }
                }
                _ = cancel.cancelled(), if !killed => {
                    outcome.cancelled = true;
                    killed = true;
                    self.send(launcher::KILL, &[]);
                }
            }
        };
        crate::spans::record("program", started);
        outcome.exit_code = Some(exit.status);
        outcome.wall = Duration::from_micros(exit.wall_us);
        outcome.timed_out = exit.flags & launcher::TIMED_OUT != 0;
        outcome.output_exceeded |= exit.flags & launcher::OUTPUT_EXCEEDED != 0;
        if let (Some(accounting), Some(meter)) = (&self.accounting, meter) {
            let usage = accounting.case_usage(meter);
            outcome.cpu = usage.cpu;
            outcome.memory_peak = usage.memory_peak;
            let unexplained_kill = exit.status == 137 && !outcome.killed_by_us();
            outcome.oom_killed = usage.oom_killed || (usage.limit_hit && unexplained_kill);
            outcome.memory_exceeded = limits.over_memory(usage.memory_peak);
            // The CPU time is sampled while the case runs; what it used after the last sample
            // counts as well.
            if usage
                .cpu
                .zip(limits.cpu_time)
                .is_some_and(|(used, limit)| used > limit)
            {
                outcome.cpu_timed_out = true;
            }
        }
        Ok(outcome)
    }

    /// The box died while a case ran: if the case's memory reached the limit meanwhile, the
    /// kernel's OOM killer took the launcher (or what it needs) for the program's memory, and
    /// that is the program's MLE (no second try), as in a container of its own. `None`: the
    /// death is not the case's doing as far as the kernel says.
    fn died_at_memory_limit(
        &mut self,
        meter: Option<super::accounting::CaseMeter>,
        mut outcome: Outcome,
    ) -> Option<Outcome> {
        self.broken = true;
        let usage = self.accounting.as_ref()?.case_usage(meter?);
        if !(usage.oom_killed || usage.limit_hit) {
            return None;
        }
        outcome.cpu = usage.cpu;
        outcome.memory_peak = usage.memory_peak;
        outcome.oom_killed = true;
        outcome.exit_code = Some(137);
        Some(outcome)
    }

    fn unexpected(&mut self, kind: u8) -> BoxError {
        self.broken = true;
        BoxError::Broken(format!("the launcher sent {:?} out of turn", kind as char))
    }
}

impl Drop for JudgeBox {
    fn drop(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
        if !self.id.is_empty() {
            // A box dropped without `close` (a cancelled grading): removed off the caller's path.
            // If this process is gone before that, the launcher sees its channel close and exits,
            // and the engine removes the container (auto-remove).
            remove_later(&self.docker, std::mem::take(&mut self.id));
        }
    }
}

/// A created box until it has started (see `JudgeBox::start`).
struct Created {
    docker: Docker,
    id: Option<String>,
}

impl Created {
    fn disarm(mut self) {
        self.id = None;
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            remove_later(&self.docker, id);
        }
    }
}

/// Remove a container off the caller's path (from a `Drop`, which cannot wait), when a runtime
/// is there to do it.
fn remove_later(docker: &Docker, id: String) {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        let docker = docker.clone();
        handle.spawn(async move { container::remove(&docker, &id).await });
    }
}

/// A cheap content fingerprint (FNV-1a) of a workspace, to tell whether the box holds it.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100000001b3)
    })
}

/// Write frames to the box's stdin in order.
async fn write_frames(
    mut stdin: super::streams::Writer,
    mut frames: mpsc::UnboundedReceiver<Vec<u8>>,
) {
    while let Some(frame) = frames.recv().await {
        if stdin.write_all(&frame).await.is_err() || stdin.flush().await.is_err() {
            return;
        }
    }
    let _ = stdin.shutdown().await;
}

/// Split the box's stdout into frames; its stderr is the launcher's own complaints.
async fn read_frames(
    mut output: super::streams::AttachOutput,
    frames: mpsc::UnboundedSender<FromBox>,
) {
    let mut buf = Vec::new();
    let mut stderr = Vec::new();
    while let Some(chunk) = output.next().await {
        match chunk {
            Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                buf.extend_from_slice(&message);
                match launcher::take_frames(&mut buf, launcher::MAX_FRAME_FROM_BOX) {
                    Ok(got) => {
                        for (kind, payload) in got {
                            if frames.send(FromBox::Frame(kind, payload)).is_err() {
                                return;
                            }
                        }
                    }
                    Err(e) => {
                        let _ = frames
                            .send(FromBox::Gone(format!("a bad frame from the launcher: {e}")));
                        return;
                    }
                }
            }
            Ok(LogOutput::StdErr { message }) => {
                if stderr.len() < 4096 {
                    stderr.extend_from_slice(&message);
                }
            }
            Ok(_) => {}
            Err(e) => {
                let _ = frames.send(FromBox::Gone(format!("its output broke off: {e}")));
                return;
            }
        }
    }
    let said = String::from_utf8_lossy(&stderr).trim().to_string();
    let _ = frames.send(FromBox::Gone(if said.is_empty() {
        "the box exited".to_string()
    } else {
        format!("the box exited: {said}")
    }));
}
