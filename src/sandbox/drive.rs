//! Driving a started sandbox to its end: the engine side of `lifecycle.rs`. One loop feeds output,
//! timers, cancellation, engine reports and (under a CPU-time limit) samples of the run's CPU time
//! into the `Lifecycle` and carries out what it decides;
//! a writer task delivers the workspace, then the caller's input, concurrently with the output
//! (a program that writes before it reads would otherwise deadlock).

use bollard::Docker;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

use super::accounting::Accounting;
use super::container::{self, Transport};
use super::error::SandboxError;
use super::io::{Input, OutputSink};
use super::lifecycle::{Control, EngineEvent, Lifecycle};
use super::outcome::Outcome;
use super::spec::SandboxSpec;
use super::streams::Writer;

/// How often a run with a CPU-time limit reads its cgroup's CPU time: a file read each time, and
/// a kill at most this late (at one core, this much CPU time past the limit).
const CPU_POLL: Duration = Duration::from_millis(25);

/// What flows into a run: the caller's input, the engine's reports, the program's stdio, and the
/// run's cgroup to sample CPU time from (when it can be read here).
pub struct Streams<'a> {
    pub input: mpsc::Receiver<Input>,
    pub events: mpsc::UnboundedReceiver<EngineEvent>,
    pub transport: Transport,
    pub accounting: Option<&'a Accounting>,
}

/// Returns the outcome and whether the engine reported the exit (then auto-remove takes over).
pub async fn drive(
    docker: &Docker,
    id: &str,
    spec: &SandboxSpec,
    streams: Streams<'_>,
    sink: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<(Outcome, bool), SandboxError> {
    let Streams {
        input,
        mut events,
        transport,
        accounting,
    } = streams;
    let mut output = transport.output;
    let fifo_stdio = transport.fifo_stdio;
    let tty = spec.tty.is_some();
    let mut lifecycle = Lifecycle::new(Instant::now(), &spec.limits, fifo_stdio, tty || fifo_stdio);
    let (ready_tx, ready_rx) = oneshot::channel();
    let (activity_tx, mut activity_rx) = mpsc::unbounded_channel();
    let pump = InputPump {
        docker: docker.clone(),
        id: id.to_string(),
        stdin: transport.stdin,
        workspace: transport.workspace,
        fifo_stdio,
        tty,
        ready: Some(ready_rx),
        activity: activity_tx,
    };
    let writer = tokio::spawn(pump.run(spec.workspace_tar.clone(), input));
    let mut control = EngineControl {
        docker,
        id,
        ready: Some(ready_tx),
    };
    let never = Instant::now() + Duration::from_secs(86_400 * 365);
    let timer = tokio::time::sleep_until(lifecycle.wake_at().unwrap_or(never));
    tokio::pin!(timer);
    let mut events_open = true;
    // Sampled only when there is a CPU-time limit to enforce and a cgroup to read it from.
    let cpu_meter = accounting.filter(|_| spec.limits.cpu_time.is_some());
    // An engine that reports no OOM kill (Podman): the container's cgroup is read for them on
    // the same tick, while it exists.
    let oom_meter = accounting.filter(|a| a.watches_oom());
    let mut oom_seen = false;
    // Where the run's time goes (`spans`): its stdio until the output ends, then the wait for
    // the engine's exit report.
    let since = std::time::Instant::now();
    let mut output_ended = None;
    let mut cpu_poll = tokio::time::interval(CPU_POLL);
    cpu_poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !lifecycle.done() {
        tokio::select! {
            chunk = output.next(), if lifecycle.streaming() => match chunk {
                Some(Ok(chunk)) => lifecycle.on_output(Instant::now(), chunk, sink, &mut control),
                _ => lifecycle.on_output_end(Instant::now()),
            },
            Some(()) = activity_rx.recv(), if lifecycle.streaming() => {
                lifecycle.on_activity(Instant::now());
            }
            _ = cancel.cancelled(), if !lifecycle.killed() => {
                lifecycle.on_cancel(Instant::now(), &mut control);
            }
            event = events.recv(), if events_open => match event {
                Some(event) => lifecycle.on_engine(Instant::now(), event),
                None => {
                    events_open = false;
                    lifecycle.on_events_closed();
                }
            },
            () = &mut timer => lifecycle.on_timer(Instant::now(), &mut control),
            _ = cpu_poll.tick(), if (cpu_meter.is_some() && !lifecycle.killed())
                || (oom_meter.is_some() && !oom_seen) => {
                if let Some(used) = cpu_meter.and_then(Accounting::cpu_now) {
                    lifecycle.on_cpu_sample(Instant::now(), used, &mut control);
                }
                if oom_meter.is_some_and(Accounting::oom_now) {
                    oom_seen = true;
                    lifecycle.on_engine(Instant::now(), EngineEvent::Oom);
                }
            }
        }
        if !lifecycle.streaming() && output_ended.is_none() {
            crate::spans::record("stdio", since);
            output_ended = Some(std::time::Instant::now());
        }
        if !lifecycle.streaming() {
            // Output is over (the program is gone, killed, or closed its output): nothing more
            // goes in, and a writer blocked on a full pipe must not outlive the run.
            writer.abort();
        }
        // One timer for all of the lifecycle's deadlines: re-armed only when the next one moved.
        let due = lifecycle.wake_at().unwrap_or(never);
        if due != timer.deadline() {
            timer.as_mut().reset(due);
        }
    }
    writer.abort();
    crate::spans::record("wait", output_ended.unwrap_or(since));
    lifecycle.finish(Instant::now())
}

/// The engine side of the lifecycle's decisions.
struct EngineControl<'a> {
    docker: &'a Docker,
    id: &'a str,
    ready: Option<oneshot::Sender<()>>,
}

impl Control for EngineControl<'_> {
    fn kill(&mut self) {
        container::kill(self.docker, self.id);
    }

    fn shim_ready(&mut self) {
        if let Some(ready) = self.ready.take() {
            let _ = ready.send(());
        }
    }
}

/// The writer: workspace first, then the caller's input, then resizes and signals until the end.
struct InputPump {
    docker: Docker,
    id: String,
    stdin: Writer,
    workspace: Option<Writer>,
    fifo_stdio: bool,
    tty: bool,
    /// The shim's ready marker was seen. On a TTY the workspace waits for it (the shim makes the
    /// TTY raw first, or the line discipline would rewrite the tar); a FIFO's buffered data dies
    /// with its last descriptor, so ours stay open until the shim holds its ends.
    ready: Option<oneshot::Receiver<()>>,
    /// Told of each input chunk (input is activity for the idle limit).
    activity: mpsc::UnboundedSender<()>,
}

impl InputPump {
    async fn run(mut self, tar: Vec<u8>, mut input: mpsc::Receiver<Input>) {
        if !self.deliver_workspace(tar).await {
            return;
        }
        while let Some(event) = input.recv().await {
            match event {
                Input::Data(bytes) => {
                    let _ = self.activity.send(());
                    let stdin = &mut self.stdin;
                    if stdin.write_all(&bytes).await.is_err() || stdin.flush().await.is_err() {
                        return;
                    }
                }
                Input::Eof => break,
                control => self.control_event(control).await,
            }
        }
        if self.fifo_stdio && !self.shim_ready().await {
            return;
        }
        // Half-close: the program sees end of input; output keeps flowing.
        let _ = self.stdin.shutdown().await;
        // Keep forwarding resizes and signals after end of input.
        while let Some(event) = input.recv().await {
            self.control_event(event).await;
        }
    }

    /// The workspace on its own pipe, or ahead of the input on stdin (attach); false when the
    /// sandbox went away meanwhile.
    async fn deliver_workspace(&mut self, tar: Vec<u8>) -> bool {
        if let Some(mut workspace) = self.workspace.take() {
            if workspace.write_all(&tar).await.is_err() {
                return false;
            }
            drop(tar);
            if !self.shim_ready().await {
                return false;
            }
            let _ = workspace.shutdown().await;
        } else if !self.fifo_stdio {
            if self.tty && !self.shim_ready().await {
                return false;
            }
            let mut framed = format!("{}\n", tar.len()).into_bytes();
            framed.extend_from_slice(&tar);
            drop(tar);
            if self.stdin.write_all(&framed).await.is_err() {
                return false;
            }
            let _ = self.stdin.flush().await;
        }
        true
    }

    /// Whether the shim is ready (at once if it was seen before); false if it never will be.
    async fn shim_ready(&mut self) -> bool {
        match self.ready.take() {
            Some(ready) => ready.await.is_ok(),
            None => true,
        }
    }

    /// Resizes and signals (data and end of input are the writer's own business).
    async fn control_event(&mut self, event: Input) {
        match event {
            Input::Resize { cols, rows } => {
                container::resize(&self.docker, &self.id, cols, rows).await;
            }
            Input::Signal(signal) => container::signal(&self.docker, &self.id, signal.name()).await,
            Input::Data(_) | Input::Eof => {}
        }
    }
}
