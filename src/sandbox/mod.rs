//! The one container lifecycle that every front end (run, test, serve) shares.
//!
//! create (auto-remove) -> attach (or open FIFOs, `fifo.rs`) -> start -> workspace and stdin in /
//! output out, concurrently -> exit facts from the engine's event stream -> gone. Verified traps
//! this design avoids are in `../shared/docs/sandbox-facts.md`: attach before start or short
//! programs lose output; pump stdin and read output concurrently or writers deadlock; kill through
//! the API, never by dropping the client; classify from the OOM flag and our own timers, not the
//! exit code alone.

mod coalesce;
mod fifo;
mod hardening;
mod io;
mod outcome;
mod shim;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use bollard::container::LogOutput;
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, EventsOptionsBuilder, KillContainerOptionsBuilder,
    RemoveContainerOptionsBuilder, ResizeContainerTTYOptionsBuilder,
};
use bollard::Docker;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

pub use fifo::{decision as stdio_decision, remove_stale as remove_stale_fifos};
pub use hardening::{LABEL, LABEL_DEADLINE};
pub use io::{fixed_input, CaptureStdout, Collected, Input, OutputSink, Signal};
pub use outcome::{Outcome, Verdict};

use crate::limits::Limits;

/// Everything needed to run one sandbox. Callers never choose Docker parameters beyond these.
#[derive(Debug, Clone)]
pub struct SandboxSpec {
    /// A codecage image tag (from a profile).
    pub image: String,
    /// The command, run in `/work` after the workspace is unpacked.
    pub argv: Vec<String>,
    /// The workspace as an uncompressed tar (from `Workspace::to_tar`).
    pub workspace_tar: Vec<u8>,
    pub limits: Limits,
    /// Run on a TTY of this size (cols, rows).
    pub tty: Option<(u16, u16)>,
    /// A compile step: the command's output goes to stderr and stdout carries the workspace tar.
    pub compile: bool,
    /// Extra labels (e.g. a test's tag, so the test can check its containers are gone).
    pub labels: Vec<(String, String)>,
    /// Report each engine step with its timing on stderr (`-v`).
    pub trace: bool,
    /// OCI runtime (from the profile); the engine's default when `None`.
    pub runtime: Option<String>,
}

impl SandboxSpec {
    /// A pipe-mode run of `argv` in `image` with the caller's labels (`env_labels`), the engine's
    /// default runtime and no trace; the `with_*` methods change the rest. The one place a spec is
    /// written out field by field.
    pub fn new(image: String, argv: Vec<String>, workspace_tar: Vec<u8>, limits: Limits) -> Self {
        SandboxSpec {
            image,
            argv,
            workspace_tar,
            limits,
            tty: None,
            compile: false,
            labels: env_labels(),
            trace: false,
            runtime: None,
        }
    }

    /// Run on a TTY of this size (cols, rows).
    pub fn with_tty(mut self, size: Option<(u16, u16)>) -> Self {
        self.tty = size;
        self
    }

    /// A compile step: stdout carries the workspace tar back.
    pub fn as_compile(mut self) -> Self {
        self.compile = true;
        self
    }

    /// Report each engine step on stderr.
    pub fn with_trace(mut self, trace: bool) -> Self {
        self.trace = trace;
        self
    }

    /// The OCI runtime (`None`: the engine's default).
    pub fn with_runtime(mut self, runtime: Option<String>) -> Self {
        self.runtime = runtime;
        self
    }
}

/// Labels a test harness asks for (CODECAGE_TEST_TAG), so it can check its containers are gone.
pub fn env_labels() -> Vec<(String, String)> {
    std::env::var("CODECAGE_TEST_TAG")
        .ok()
        .filter(|t| !t.is_empty() && t.len() < 128)
        .map(|t| vec![("codecage.tag".to_string(), t)])
        .unwrap_or_default()
}

/// Facts from the engine's event stream.
#[derive(Debug)]
enum EngineEvent {
    Oom,
    Die(i64),
}

/// How long to wait for the engine to report an exit after output ended.
const EXIT_REPORT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for output after the engine reported an exit and nothing was ever read.
const SILENT_DIE_GRACE: Duration = Duration::from_secs(2);
/// How long output may keep flowing after we killed the container.
const AFTER_KILL_TIMEOUT: Duration = Duration::from_secs(5);

/// A started sandbox whose trusted launcher is waiting on stdin for the workspace: the program
/// has not started yet. Warm pools keep these ready; each is used exactly once.
pub struct Started {
    id: String,
    events: mpsc::UnboundedReceiver<EngineEvent>,
    events_task: tokio::task::JoinHandle<()>,
    transport: Transport,
}

type Writer = std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>>;

/// The program's stdio as the lifecycle sees it, whichever way it travels.
struct Transport {
    output: AttachOutput,
    stdin: Writer,
    /// With FIFO stdio (see `fifo.rs`) the workspace has a pipe of its own, or is mounted (None);
    /// through attach it goes ahead of the input on stdin (None).
    workspace: Option<Writer>,
    fifo_stdio: bool,
}

type AttachOutput = std::pin::Pin<
    Box<dyn futures_util::Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>,
>;

/// Run one sandbox to the end. The container is gone (or going: the engine removes it on exit)
/// when this returns, on every path.
pub async fn run(
    docker: &Docker,
    spec: &SandboxSpec,
    input: mpsc::Receiver<Input>,
    sink: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<Outcome> {
    let started = start(docker, spec).await?;
    finish(docker, started, spec, input, sink, cancel).await
}

/// Create, attach and start a sandbox for `spec` (its workspace is not needed yet).
pub async fn start(docker: &Docker, spec: &SandboxSpec) -> Result<Started> {
    let fifos = if spec.tty.is_none() && fifo::enabled().await {
        let source = (!spec.compile)
            .then(|| fifo::LoneSource::from_tar(&spec.workspace_tar))
            .flatten();
        fifo::Fifos::create(source)
            .map_err(|e| {
                if spec.trace {
                    eprintln!("codecage: cannot make FIFOs for stdio ({e}); using attach");
                }
            })
            .ok()
    } else {
        None
    };
    if fifos.is_none() {
        return start_with(docker, spec, None).await;
    }
    match start_with(docker, spec, fifos).await {
        Err(e) if fifo::is_mount_error(&e.to_string()) => {
            // The engine cannot see our temp directory (e.g. a private /tmp): attach from now on.
            fifo::mount_refused();
            if spec.trace {
                eprintln!("codecage: the engine cannot mount our FIFOs ({e}); using attach");
            }
            start_with(docker, spec, None).await
        }
        result => result,
    }
}

async fn start_with(
    docker: &Docker,
    spec: &SandboxSpec,
    fifos: Option<fifo::Fifos>,
) -> Result<Started> {
    let run_id = uuid::Uuid::new_v4().to_string();
    let now_unix = crate::units::unix_now().max(0) as u64;
    let deadline = now_unix + spec.limits.time.as_secs() + hardening::BACKSTOP_GRACE_SECS + 60;
    let config = hardening::container_config(spec, &run_id, deadline, fifos.as_ref());

    // Subscribe before the container exists; `since` replays anything we would otherwise miss.
    let (events_tx, events) = mpsc::unbounded_channel();
    let events_task = tokio::spawn(watch_events(docker.clone(), run_id.clone(), events_tx));

    let t0 = Instant::now();
    let mut created = docker.create_container(None, config.clone()).await;
    if created.as_ref().is_err_and(is_missing_image) {
        // Trusted from codecage's memo but removed since: build it again, then create.
        match crate::image::rebuild_missing(docker, &spec.image).await {
            Ok(true) => created = docker.create_container(None, config).await,
            Ok(false) => {}
            Err(e) => {
                events_task.abort();
                return Err(e);
            }
        }
    }
    let id = match created {
        Ok(c) => c.id,
        Err(e) => {
            events_task.abort();
            return Err(create_error(e, &spec.image));
        }
    };
    if spec.trace {
        eprintln!(
            "codecage: created container {} from {} in {} ms",
            &id[..12.min(id.len())],
            spec.image,
            t0.elapsed().as_millis()
        );
    }
    // The FIFOs' names can go once the container has started: its mounts hold the pipes.
    match attach_and_start(docker, &id, spec, fifos).await {
        Ok(transport) => {
            if spec.trace {
                eprintln!(
                    "codecage: {} and started {} ms after create",
                    if transport.fifo_stdio {
                        "stdio on FIFOs"
                    } else {
                        "attached"
                    },
                    t0.elapsed().as_millis()
                );
            }
            Ok(Started {
                id,
                events,
                events_task,
                transport,
            })
        }
        Err(e) => {
            events_task.abort();
            remove(docker, &id).await;
            Err(e)
        }
    }
}

/// Give up a started sandbox without running anything in it.
pub async fn discard(docker: &Docker, started: Started) {
    started.events_task.abort();
    remove(docker, &started.id).await;
}

/// Deliver the workspace and input to a started sandbox and run the program to the end.
pub async fn finish(
    docker: &Docker,
    started: Started,
    spec: &SandboxSpec,
    input: mpsc::Receiver<Input>,
    sink: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<Outcome> {
    let Started {
        id,
        events,
        events_task,
        transport,
    } = started;
    let result = drive(docker, &id, spec, input, sink, cancel, events, transport).await;
    events_task.abort();
    match result {
        Ok((outcome, exited)) => {
            if !exited {
                remove(docker, &id).await;
            }
            Ok(outcome)
        }
        Err(e) => {
            remove(docker, &id).await;
            Err(e)
        }
    }
}

async fn attach_and_start(
    docker: &Docker,
    id: &str,
    spec: &SandboxSpec,
    fifos: Option<fifo::Fifos>,
) -> Result<Transport> {
    if let Some(fifos) = fifos {
        let ends = fifos
            .open()
            .context("cannot open the FIFOs for the sandbox's stdio")?;
        docker
            .start_container(id, None)
            .await
            .map_err(|e| anyhow!("cannot start the sandbox container: {e}"))?;
        return Ok(Transport {
            output: ends.output,
            stdin: ends.stdin,
            workspace: ends.workspace,
            fifo_stdio: true,
        });
    }
    let attach_options = AttachContainerOptionsBuilder::default()
        .stdin(true)
        .stdout(true)
        .stderr(true)
        .stream(true)
        .build();
    let attached = docker
        .attach_container(id, Some(attach_options))
        .await
        .context("cannot attach to the sandbox container")?;
    docker
        .start_container(id, None)
        .await
        .map_err(|e| anyhow!("cannot start the sandbox container: {e}"))?;
    if let Some((cols, rows)) = spec.tty {
        resize(docker, id, cols, rows).await;
    }
    Ok(Transport {
        output: Box::pin(coalesce::Coalesce::new(attached.output)),
        stdin: attached.input,
        workspace: None,
        fifo_stdio: false,
    })
}

fn is_missing_image(e: &bollard::errors::Error) -> bool {
    e.to_string().contains("No such image")
}

fn create_error(e: bollard::errors::Error, image: &str) -> anyhow::Error {
    let text = e.to_string();
    if is_missing_image(&e) {
        anyhow!("image {image} is missing; build it with `codecage images build`")
    } else if text.contains("runtime") {
        anyhow!("{text}; `codecage doctor` lists the OCI runtimes this engine has")
    } else {
        anyhow!("cannot create the sandbox container: {text}")
    }
}

/// Force-remove a container; errors mean it is already gone or going.
async fn remove(docker: &Docker, id: &str) {
    let options = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    let _ = docker.remove_container(id, Some(options)).await;
}

/// Kill the sandbox, note when, and give it `grace` on `timer` to finish its output and report.
fn stop(
    docker: &Docker,
    id: &str,
    killed_at: &mut Option<Instant>,
    timer: std::pin::Pin<&mut tokio::time::Sleep>,
    grace: Duration,
) {
    kill(docker, id);
    *killed_at = Some(Instant::now());
    timer.reset(tokio::time::Instant::now() + grace);
}

/// Kill without waiting for the answer: the engine answers only once the container has exited,
/// and it cannot exit while its output waits for us to read it. Awaiting here would deadlock.
fn kill(docker: &Docker, id: &str) {
    let docker = docker.clone();
    let id = id.to_string();
    tokio::spawn(async move {
        let options = KillContainerOptionsBuilder::default()
            .signal("SIGKILL")
            .build();
        let _ = docker.kill_container(&id, Some(options)).await;
    });
}

async fn watch_events(docker: Docker, run_id: String, tx: mpsc::UnboundedSender<EngineEvent>) {
    let filters = HashMap::from([
        ("type", vec!["container".to_string()]),
        ("label", vec![format!("{}={run_id}", hardening::LABEL_RUN)]),
    ]);
    // From the start of the daemon's short in-memory history: a `since` of "now" would lose
    // events to any clock skew between us and a remote daemon.
    let options = EventsOptionsBuilder::default()
        .since("1")
        .filters(&filters)
        .build();
    let mut stream = docker.events(Some(options));
    while let Some(Ok(event)) = stream.next().await {
        let message = match event.action.as_deref() {
            Some("oom") => EngineEvent::Oom,
            Some("die") => {
                let code = event
                    .actor
                    .and_then(|a| a.attributes)
                    .and_then(|a| a.get("exitCode").and_then(|c| c.parse().ok()))
                    .unwrap_or(-1);
                EngineEvent::Die(code)
            }
            _ => continue,
        };
        if tx.send(message).is_err() {
            return;
        }
    }
}

/// Returns the outcome and whether the engine reported the exit (then auto-remove takes over).
#[allow(clippy::too_many_arguments)]
async fn drive(
    docker: &Docker,
    id: &str,
    spec: &SandboxSpec,
    mut input: mpsc::Receiver<Input>,
    sink: &mut dyn OutputSink,
    cancel: CancellationToken,
    mut events: mpsc::UnboundedReceiver<EngineEvent>,
    transport: Transport,
) -> Result<(Outcome, bool)> {
    let Transport {
        mut output,
        mut stdin,
        workspace,
        fifo_stdio,
    } = transport;
    // The program's clock starts when its workspace is delivered (a pooled sandbox may have
    // been started long before).
    let started = Instant::now();

    // The writer: workspace first, then the caller's input. On a TTY it waits until the shim has
    // made the TTY raw, or the line discipline would rewrite the tar.
    let (ready_tx, ready_rx) = oneshot::channel::<()>();
    let (activity_tx, mut activity_rx) = mpsc::unbounded_channel::<()>();
    let tty = spec.tty.is_some();
    let tar = spec.workspace_tar.clone();
    let writer_docker = docker.clone();
    let writer_id = id.to_string();
    let mut ready_rx = Some(ready_rx);
    let writer = tokio::spawn(async move {
        // A FIFO's buffered data dies with its last descriptor: closing ours before the shim
        // holds its end would lose what it holds and leave the shim waiting for a writer.
        let mut shim_ready = async || match ready_rx.take() {
            Some(ready) => ready.await.is_ok(),
            None => true,
        };
        if let Some(mut workspace) = workspace {
            if workspace.write_all(&tar).await.is_err() {
                return;
            }
            drop(tar);
            if !shim_ready().await {
                return;
            }
            let _ = workspace.shutdown().await;
        } else if !fifo_stdio {
            if tty && !shim_ready().await {
                return;
            }
            let mut header = format!("{}\n", tar.len()).into_bytes();
            header.extend_from_slice(&tar);
            drop(tar);
            if stdin.write_all(&header).await.is_err() {
                return;
            }
            let _ = stdin.flush().await;
        }
        while let Some(event) = input.recv().await {
            match event {
                Input::Data(bytes) => {
                    let _ = activity_tx.send(());
                    if stdin.write_all(&bytes).await.is_err() || stdin.flush().await.is_err() {
                        return;
                    }
                }
                Input::Eof => break,
                control => control_event(&writer_docker, &writer_id, control).await,
            }
        }
        if fifo_stdio && !shim_ready().await {
            return;
        }
        // Half-close: the program sees end of input; output keeps flowing.
        let _ = stdin.shutdown().await;
        // Keep forwarding resizes and signals after end of input.
        while let Some(event) = input.recv().await {
            control_event(&writer_docker, &writer_id, event).await;
        }
    });

    let limits = &spec.limits;
    let mut outcome = Outcome::default();
    let deadline = tokio::time::sleep(limits.time);
    tokio::pin!(deadline);
    let idle_limit = limits.idle.unwrap_or(Duration::from_secs(86_400 * 365));
    let idle = tokio::time::sleep(idle_limit);
    tokio::pin!(idle);
    let mut killed_at: Option<Instant> = None;
    let after_kill = tokio::time::sleep_until(far_future());
    tokio::pin!(after_kill);
    let mut died_silent = false;
    let mut marker: Option<Vec<u8>> = (tty || fifo_stdio).then(Vec::new);
    let mut ready_tx = Some(ready_tx);
    let mut oom_seen = false;
    let mut exit: Option<i64> = None;

    loop {
        tokio::select! {
            chunk = output.next() => {
                let Some(chunk) = chunk else { break };
                let Ok(chunk) = chunk else { break };
                idle.as_mut().reset(tokio::time::Instant::now() + idle_limit);
                if died_silent {
                    died_silent = false;
                    after_kill.as_mut().reset(far_future());
                }
                let (is_err, mut data) = match chunk {
                    LogOutput::StdErr { message } => (true, message),
                    LogOutput::StdOut { message } | LogOutput::Console { message } => (false, message),
                    LogOutput::StdIn { .. } => continue,
                };
                if let Some(buf) = marker.as_mut() {
                    // Hold output until the shim's ready marker, which is not the program's.
                    buf.extend_from_slice(&data);
                    match find(buf, shim::READY) {
                        Some(at) => {
                            data = buf.split_off(at + shim::READY.len()).into();
                            marker = None;
                            if let Some(tx) = ready_tx.take() { let _ = tx.send(()); }
                        }
                        None => continue,
                    }
                }
                if killed_at.is_some() || data.is_empty() {
                    continue;
                }
                let total = outcome.stdout_bytes + outcome.stderr_bytes + data.len() as u64;
                if total > limits.output {
                    // Deliver exactly up to the limit, then stop the program.
                    let room = (limits.output - outcome.stdout_bytes - outcome.stderr_bytes) as usize;
                    data.truncate(room);
                    outcome.output_exceeded = true;
                }
                let written = if is_err {
                    outcome.stderr_bytes += data.len() as u64;
                    sink.stderr(&data)
                } else {
                    outcome.stdout_bytes += data.len() as u64;
                    sink.stdout(&data)
                };
                if written.is_err() {
                    outcome.sink_closed = true;
                }
                if outcome.output_exceeded || outcome.sink_closed {
                    stop(docker, id, &mut killed_at, after_kill.as_mut(), AFTER_KILL_TIMEOUT);
                }
            }
            _ = &mut deadline, if killed_at.is_none() => {
                outcome.timed_out = true;
                stop(docker, id, &mut killed_at, after_kill.as_mut(), AFTER_KILL_TIMEOUT);
            }
            _ = &mut idle, if killed_at.is_none() && limits.idle.is_some() => {
                outcome.idle_timed_out = true;
                stop(docker, id, &mut killed_at, after_kill.as_mut(), AFTER_KILL_TIMEOUT);
            }
            Some(()) = activity_rx.recv() => {
                idle.as_mut().reset(tokio::time::Instant::now() + idle_limit);
            }
            _ = cancel.cancelled(), if killed_at.is_none() => {
                outcome.cancelled = true;
                stop(docker, id, &mut killed_at, after_kill.as_mut(), AFTER_KILL_TIMEOUT);
            }
            Some(event) = events.recv() => match event {
                EngineEvent::Oom => oom_seen = true,
                // Output may still be draining; keep reading until EOF.
                EngineEvent::Die(code) => {
                    exit = Some(code);
                    // A FIFO that no process ever opened never reports hang-up (the shim died
                    // before its redirections): without its marker yet, stop waiting soon.
                    if fifo_stdio && killed_at.is_none() && marker.is_some() {
                        died_silent = true;
                        after_kill.as_mut().reset(tokio::time::Instant::now() + SILENT_DIE_GRACE);
                    }
                }
            },
            _ = &mut after_kill => break,
        }
    }
    writer.abort();

    // Output ended: the exit report usually follows within milliseconds (the OOM report comes
    // before it). A program may also close its stdout and stderr and keep running: the time
    // limit and cancellation still apply while we wait.
    if exit.is_none() {
        let give_up = tokio::time::sleep(EXIT_REPORT_TIMEOUT);
        tokio::pin!(give_up);
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Some(EngineEvent::Oom) => oom_seen = true,
                    Some(EngineEvent::Die(code)) => {
                        exit = Some(code);
                        break;
                    }
                    None => break,
                },
                _ = &mut deadline, if killed_at.is_none() => {
                    outcome.timed_out = true;
                    stop(docker, id, &mut killed_at, give_up.as_mut(), EXIT_REPORT_TIMEOUT);
                }
                _ = cancel.cancelled(), if killed_at.is_none() => {
                    outcome.cancelled = true;
                    stop(docker, id, &mut killed_at, give_up.as_mut(), EXIT_REPORT_TIMEOUT);
                }
                // Still running with its output closed: wait for it up to its time limit.
                _ = &mut give_up, if killed_at.is_some() || deadline.is_elapsed() => break,
            }
        }
    }
    outcome.wall = started.elapsed();
    outcome.oom_killed = oom_seen;
    outcome.exit_code = exit;
    if fifo_stdio && marker.is_some() && killed_at.is_none() {
        return Err(anyhow!(
            "the sandbox could not open its stdio FIFOs (exit status {}); set CODECAGE_STDIO=attach",
            exit.map_or("unknown".to_string(), |c| c.to_string())
        ));
    }
    if exit.is_none() && !outcome.cancelled && !outcome.sink_closed {
        return Err(anyhow!(
            "the Docker engine did not report how the sandbox exited"
        ));
    }
    Ok((outcome, exit.is_some()))
}

/// Resizes and signals (data and end of input are the writer's own business).
async fn control_event(docker: &Docker, id: &str, event: Input) {
    match event {
        Input::Resize { cols, rows } => resize(docker, id, cols, rows).await,
        Input::Signal(signal) => {
            // Sent to the init process, which forwards it to the program.
            let options = KillContainerOptionsBuilder::default()
                .signal(signal.name())
                .build();
            let _ = docker.kill_container(id, Some(options)).await;
        }
        Input::Data(_) | Input::Eof => {}
    }
}

async fn resize(docker: &Docker, id: &str, cols: u16, rows: u16) {
    let options = ResizeContainerTTYOptionsBuilder::default()
        .w(cols as i32)
        .h(rows as i32)
        .build();
    let _ = docker.resize_container_tty(id, options).await;
}

fn far_future() -> tokio::time::Instant {
    tokio::time::Instant::now() + Duration::from_secs(86_400 * 365)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
