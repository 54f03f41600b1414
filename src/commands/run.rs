//! `codecage run`: image -> (compile) -> run, wired to this process's stdio or terminal.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;
use std::time::Instant;

use std::path::Path;

use anyhow::{Context, Result};
use bollard::Docker;
use serde::Serialize;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::app::Verbosity;
use crate::compile::{compile, failure_reason, Compiled};
use crate::exit_code;
use crate::plan::RunPlan;
use crate::sandbox::{self, Input, Outcome, OutputSink, SandboxSpec, Verdict};
use crate::terminal::{self, RawGuard};
use crate::units::{format_duration, format_size};

pub async fn run(
    docker: &Docker,
    mut plan: RunPlan,
    json: Option<&Path>,
    verbosity: Verbosity,
) -> Result<u8> {
    let verbose = verbosity == Verbosity::Verbose;
    let t0 = Instant::now();
    if let Some(deps) = plan.deps.as_mut() {
        deps.announce = verbosity != Verbosity::Quiet;
    }
    let tag =
        crate::dependencies::image_for(docker, &plan.profile, plan.deps.as_ref(), verbose).await?;
    if verbose {
        eprintln!(
            "codecage: image {tag} ready after {} ms",
            t0.elapsed().as_millis()
        );
    }

    let interrupted = Arc::new(AtomicI32::new(0));
    let cancel = CancellationToken::new();
    let signals = tokio::spawn(watch_signals(cancel.clone(), interrupted.clone()));
    let labels = sandbox::env_labels();
    let mut stdio = Stdio::new();

    let t = Instant::now();
    let workspace = match compile(docker, &tag, &plan, &labels, &mut stdio, cancel.clone()).await? {
        Compiled::Ready(workspace) => workspace,
        Compiled::Failed(outcome) if outcome.verdict() == Verdict::Cancelled => {
            return Ok(exit_code::interrupted(interrupted.load(Ordering::SeqCst)));
        }
        Compiled::Failed(outcome) => {
            let message = format!("compilation failed{}", failure_reason(&outcome, &plan));
            if verbosity != Verbosity::Quiet {
                eprintln!("codecage: {message}");
            }
            write_json(
                json,
                &plan,
                &tag,
                &outcome,
                exit_code::COMPILE_ERROR,
                "compile_error",
            )?;
            return Ok(exit_code::COMPILE_ERROR);
        }
    };
    if verbose && plan.compile_argv().is_some() {
        eprintln!("codecage: compiled in {} ms", t.elapsed().as_millis());
    }

    let size = if plan.tty {
        Some(terminal::size().unwrap_or((80, 24)))
    } else {
        None
    };
    let spec = SandboxSpec {
        image: tag,
        argv: plan.run_argv(),
        workspace_tar: workspace.to_tar()?,
        limits: plan.limits.clone(),
        tty: size,
        compile: false,
        labels,
        trace: verbose,
        runtime: plan.profile.runtime.clone(),
    };
    // Few chunks in flight: stdin read-ahead is memory codecage holds (at most 4 x STDIN_CHUNK).
    let (input_tx, input_rx) = mpsc::channel(4);

    let t = Instant::now();
    let outcome = if plan.tty {
        // Raw only while the program runs: build and compile messages above stay readable, and
        // our own messages below are printed on a restored terminal. Raw before the first read
        // of stdin: a read begun in canonical mode keeps waiting for a whole line.
        let guard = RawGuard::enable()?;
        tokio::spawn(pump_stdin(input_tx.clone()));
        tokio::spawn(watch_resize(input_tx));
        let outcome = crate::launch::run(docker, &spec, input_rx, &mut stdio, cancel.clone()).await;
        drop(guard);
        outcome?
    } else {
        crate::pipe::enlarge(1);
        tokio::spawn(pump_stdin(input_tx));
        crate::launch::run(docker, &spec, input_rx, &mut stdio, cancel.clone()).await?
    };
    signals.abort();
    if verbose {
        eprintln!(
            "codecage: ran in {} ms (sandbox wall {} ms), exit {:?}, oom {}",
            t.elapsed().as_millis(),
            outcome.wall.as_millis(),
            outcome.exit_code,
            outcome.oom_killed
        );
    }
    let (code, message) = report(&plan, &outcome, interrupted.load(Ordering::SeqCst));
    if let (Some(message), false) = (message, verbosity == Verbosity::Quiet) {
        let _ = std::io::stdout().flush();
        eprintln!("codecage: {message}");
    }
    let verdict = match outcome.verdict() {
        Verdict::Ok => "ok",
        Verdict::RuntimeError => "runtime_error",
        Verdict::TimeLimit => "time_limit",
        Verdict::MemoryLimit => "memory_limit",
        Verdict::OutputLimit => "output_limit",
        Verdict::IdleLimit => "idle_limit",
        Verdict::Cancelled => "cancelled",
    };
    write_json(json, &plan, &spec.image, &outcome, code, verdict)?;
    Ok(code)
}

/// The machine-readable result of `--json FILE` (`-` for stderr).
#[derive(Serialize)]
struct RunResult<'a> {
    language: &'a str,
    image: &'a str,
    /// codecage's exit status.
    status: u8,
    verdict: &'a str,
    exit_code: Option<i64>,
    signal: Option<i64>,
    time_ms: u64,
    limits_hit: Vec<&'static str>,
    oom_killed: bool,
    stdout_bytes: u64,
    stderr_bytes: u64,
    limits: JsonLimits,
}

#[derive(Serialize)]
struct JsonLimits {
    time_ms: u64,
    memory_bytes: u64,
    cpus: f64,
    pids: i64,
    output_bytes: u64,
    idle_ms: Option<u64>,
}

fn write_json(
    path: Option<&Path>,
    plan: &RunPlan,
    image: &str,
    outcome: &Outcome,
    status: u8,
    verdict: &str,
) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    let mut limits_hit = Vec::new();
    for (hit, name) in [
        (outcome.timed_out, "time"),
        (outcome.oom_killed, "memory"),
        (outcome.output_exceeded, "output"),
        (outcome.idle_timed_out, "idle"),
    ] {
        if hit {
            limits_hit.push(name);
        }
    }
    let l = &plan.limits;
    let result = RunResult {
        language: &plan.profile.name,
        image,
        status,
        verdict,
        exit_code: outcome.exit_code,
        signal: outcome
            .exit_code
            .filter(|c| (129..=159).contains(c))
            .map(|c| c - 128),
        time_ms: outcome.wall.as_millis() as u64,
        limits_hit,
        oom_killed: outcome.oom_killed,
        stdout_bytes: outcome.stdout_bytes,
        stderr_bytes: outcome.stderr_bytes,
        limits: JsonLimits {
            time_ms: l.time.as_millis() as u64,
            memory_bytes: l.memory,
            cpus: l.cpus,
            pids: l.pids,
            output_bytes: l.output,
            idle_ms: l.idle.map(|d| d.as_millis() as u64),
        },
    };
    let text = serde_json::to_string(&result)? + "\n";
    if path == Path::new("-") {
        eprint!("{text}");
        Ok(())
    } else {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
    }
}

/// The exit status, and a one-line message when codecage ended the run.
fn report(plan: &RunPlan, outcome: &Outcome, signal: i32) -> (u8, Option<String>) {
    let limits = &plan.limits;
    let (code, message) = match outcome.verdict() {
        Verdict::Cancelled if outcome.sink_closed && signal == 0 => {
            (exit_code::interrupted(libc::SIGPIPE), None)
        }
        Verdict::Cancelled => (exit_code::interrupted(signal), None),
        Verdict::OutputLimit => (
            exit_code::OUTPUT_LIMIT,
            Some(format!(
                "output limit exceeded ({})",
                format_size(limits.output)
            )),
        ),
        Verdict::TimeLimit => (
            exit_code::TIME_LIMIT,
            Some(format!(
                "time limit exceeded ({})",
                format_duration(limits.time)
            )),
        ),
        Verdict::IdleLimit => (
            exit_code::IDLE_LIMIT,
            Some(format!(
                "idle limit exceeded ({} without input or output)",
                format_duration(limits.idle.unwrap_or_default())
            )),
        ),
        Verdict::MemoryLimit => (
            exit_code::MEMORY_LIMIT,
            Some(format!(
                "memory limit exceeded ({})",
                format_size(limits.memory)
            )),
        ),
        Verdict::Ok | Verdict::RuntimeError => (
            exit_code::from_program(outcome.exit_code.unwrap_or(-1)),
            None,
        ),
    };
    (code, message)
}

/// This process's stdout and stderr, written through as output arrives.
struct Stdio {
    /// Our stdout without Rust's line buffering: output arrives in chunks already, and the line
    /// writer would split each at its last newline into two writes.
    stdout: Option<std::fs::File>,
}

impl Stdio {
    fn new() -> Stdio {
        use std::os::fd::AsFd;
        let stdout = std::io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .ok()
            .map(std::fs::File::from);
        Stdio { stdout }
    }
}

impl OutputSink for Stdio {
    fn stdout(&mut self, data: &[u8]) -> std::io::Result<()> {
        if let Some(file) = self.stdout.as_mut() {
            return file.write_all(data);
        }
        let mut out = std::io::stdout().lock();
        out.write_all(data)?;
        out.flush()
    }
    fn stderr(&mut self, data: &[u8]) -> std::io::Result<()> {
        let mut err = std::io::stderr().lock();
        err.write_all(data)?;
        err.flush()
    }
}

pub(crate) async fn pump_stdin(tx: mpsc::Sender<Input>) {
    // A plain thread doing large blocking reads: tokio's stdin hands every read to the blocking
    // pool, and a pipe's default 64 KiB buffer would wake us sixteen times per MiB streamed.
    let spawned = std::thread::Builder::new()
        .name("stdin".into())
        .spawn(move || {
            crate::pipe::enlarge(0);
            let mut stdin = std::io::stdin().lock();
            let mut buf = vec![0u8; STDIN_CHUNK];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if tx.blocking_send(Input::Data(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            let _ = tx.blocking_send(Input::Eof);
        });
    if spawned.is_err() {
        eprintln!("codecage: cannot start the stdin reader thread");
    }
}

/// Largest read from our stdin: big enough that a stream costs few system calls, small enough
/// that the chunks in flight keep codecage's footprint small.
const STDIN_CHUNK: usize = 256 << 10;

pub(crate) async fn watch_resize(tx: mpsc::Sender<Input>) {
    let Ok(mut winch) = signal(SignalKind::window_change()) else {
        return;
    };
    while winch.recv().await.is_some() {
        if let Some((cols, rows)) = terminal::size() {
            if tx.send(Input::Resize { cols, rows }).await.is_err() {
                return;
            }
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP stop the run (the container is killed and removed), and codecage
/// exits with 128 + the signal.
pub(crate) async fn watch_signals(cancel: CancellationToken, which: Arc<AtomicI32>) {
    let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return;
    };
    let number = tokio::select! {
        _ = int.recv() => libc::SIGINT,
        _ = term.recv() => libc::SIGTERM,
        _ = hup.recv() => libc::SIGHUP,
    };
    which.store(number, Ordering::SeqCst);
    cancel.cancel();
}
