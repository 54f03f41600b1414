//! `codecage run`: flags -> plan -> prepare (image, compile) -> one sandbox wired to this
//! process's stdio or terminal; or the same plan through a server (`--server`, see `remote.rs`).

use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicI32;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use bollard::Docker;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::cli::RunArgs;
use crate::console::{self, Stdio};
use crate::output::Verbosity;
use crate::terminal::{self, RawGuard};
use codecage::config::Config;
use codecage::dependencies::DepsChoice;
use codecage::exit_code;
use codecage::limits::{LimitOverrides, Limits};
use codecage::plan::{PlanInput, RunPlan, TtyChoice};
use codecage::prepare::{prepare, Prepared};
use codecage::profile::Profiles;
use codecage::sandbox::{Outcome, SandboxSpec};
use codecage::spans::{self, Spans};
use codecage::verdict::Verdict;

/// `engine` is a connection to the Docker engine already under way (not needed with `--server`).
pub async fn run(
    args: &RunArgs,
    profiles: &Profiles,
    config: &Config,
    verbosity: Verbosity,
    engine: Option<JoinHandle<Result<Docker>>>,
) -> Result<u8> {
    let mut input = plan_input(args);
    input.compile = config.compile.choice(args.no_cache, args.typecheck)?;
    // Edit-and-run: the profile's quicker compile, if it has one.
    input.compile.quick = true;
    let plan = RunPlan::new(&input, profiles, Limits::run_defaults(), &config.run.limits)?;
    if let Some(server) = &args.server {
        if let Some(file) = &args.deps {
            anyhow::bail!(
                "--deps {}: a server never installs a client's manifest; use --deps-set NAME (a set the server enables)",
                file.display()
            );
        }
        return super::remote::run(server, plan, verbosity).await;
    }
    let docker = match engine {
        Some(task) => task.await??,
        None => codecage::docker::connect().await?,
    };
    local(&docker, plan, args.json.as_deref(), verbosity).await
}

/// The flags as the planner's input.
fn plan_input(args: &RunArgs) -> PlanInput {
    PlanInput {
        files: args.files.clone(),
        args: args.args.clone(),
        lang: args.lang.clone(),
        main: args.main.clone(),
        limits: LimitOverrides {
            time: args.time_limit.clone(),
            cpu_time: args.cpu_time_limit.clone(),
            memory: args.memory.clone(),
            cpus: args.cpus,
            pids: args.pids,
            output: args.output_limit.clone(),
            workspace: None,
            cpu_period: None,
        },
        idle_timeout: args.idle_timeout.clone(),
        tty: match (args.tty, args.no_tty) {
            (true, _) => TtyChoice::Always,
            (false, true) => TtyChoice::Never,
            (false, false) => TtyChoice::Auto,
        },
        deps: DepsChoice {
            file: args.deps.clone(),
            set: args.deps_set.clone(),
            off: args.no_deps,
            // The user runs their own program: its manifest is theirs too.
            discover: true,
            ca_cert: args.ca_cert.clone(),
        },
        // Filled in from the config file by the caller.
        compile: Default::default(),
    }
}

/// Run the plan on the local engine.
async fn local(
    docker: &Docker,
    mut plan: RunPlan,
    json: Option<&Path>,
    verbosity: Verbosity,
) -> Result<u8> {
    let verbose = verbosity == Verbosity::Verbose;
    if let Some(deps) = plan.deps.as_mut() {
        deps.announce = verbosity != Verbosity::Quiet;
    }
    let interrupted = Arc::new(AtomicI32::new(0));
    let cancel = CancellationToken::new();
    let signals = tokio::spawn(console::watch_signals(cancel.clone(), interrupted.clone()));
    let mut stdio = Stdio::new();

    let ready = match prepare(docker, &plan, &mut stdio, verbose, cancel.clone()).await? {
        Prepared::Ready(ready) => ready,
        Prepared::CompileFailed(failure) if failure.verdict() == Verdict::Cancelled => {
            return Ok(failure
                .outcome
                .exit_status(console::interrupted_by(&interrupted)));
        }
        Prepared::CompileFailed(failure) => {
            if verbosity != Verbosity::Quiet {
                eprintln!("codecage: {}", failure.reason);
            }
            let result = RunResult::new(
                &plan,
                &failure.image,
                &failure.outcome,
                exit_code::COMPILE_ERROR,
            );
            write_json(json, &result.failed_compile())?;
            return Ok(exit_code::COMPILE_ERROR);
        }
    };
    if verbose {
        eprintln!(
            "codecage: image {} ready after {} ms",
            ready.image,
            ready.image_time.as_millis()
        );
        if let Some(compile) = ready.compile_time {
            eprintln!("codecage: compiled in {} ms", compile.as_millis());
        }
    }
    let size = plan.tty.then(|| terminal::size().unwrap_or((80, 24)));
    let spec = ready.spec(&plan).with_tty(size).with_trace(verbose);
    let t = Instant::now();
    let spans = Spans::default();
    let outcome = spans
        .clone()
        .scope(execute(docker, &spec, &mut stdio, cancel))
        .await?;
    signals.abort();
    if verbose {
        eprintln!(
            "codecage: ran in {} ms (sandbox wall {} ms, {}), exit {:?}, oom {}",
            t.elapsed().as_millis(),
            outcome.wall.as_millis(),
            outcome.usage_summary(),
            outcome.exit_code,
            outcome.oom_killed
        );
        eprintln!("codecage: steps: {}", spans::describe(&spans.list()));
    }
    let code = outcome.exit_status(console::interrupted_by(&interrupted));
    if let (Some(message), false) = (
        outcome.limit_message(&plan.limits),
        verbosity == Verbosity::Quiet,
    ) {
        let _ = std::io::stdout().flush();
        eprintln!("codecage: {message}");
    }
    write_json(json, &RunResult::new(&plan, &spec.image, &outcome, code))?;
    Ok(code)
}

/// One sandbox wired to this process: on a terminal, raw mode while the program runs.
async fn execute(
    docker: &Docker,
    spec: &SandboxSpec,
    stdio: &mut Stdio,
    cancel: CancellationToken,
) -> Result<Outcome> {
    // Few chunks in flight: stdin read-ahead is memory codecage holds (at most 4 x its chunk).
    let (input_tx, input_rx) = mpsc::channel(4);
    if spec.tty.is_none() {
        codecage::pipe::enlarge(1);
        tokio::spawn(console::pump_stdin(input_tx));
        return codecage::launch::run(docker, spec, input_rx, stdio, cancel).await;
    }
    // Raw only while the program runs: build and compile messages above stay readable, and our
    // own messages after it are printed on a restored terminal. Raw before the first read of
    // stdin: a read begun in canonical mode keeps waiting for a whole line.
    let guard = RawGuard::enable()?;
    tokio::spawn(console::pump_stdin(input_tx.clone()));
    tokio::spawn(console::watch_resize(input_tx));
    let outcome = codecage::launch::run(docker, spec, input_rx, stdio, cancel).await;
    drop(guard);
    outcome
}

/// The machine-readable result of `--json FILE` (`-` for stderr).
#[derive(Serialize)]
struct RunResult<'a> {
    language: &'a str,
    image: &'a str,
    /// codecage's exit status.
    status: u8,
    verdict: Verdict,
    exit_code: Option<i64>,
    signal: Option<i64>,
    time_ms: u64,
    /// CPU time of the sandbox's cgroup (null when not measurable, e.g. a remote engine).
    cpu_ms: Option<u64>,
    /// Peak memory of the sandbox's cgroup (null when not measurable).
    memory_bytes: Option<u64>,
    limits_hit: Vec<&'static str>,
    oom_killed: bool,
    stdout_bytes: u64,
    stderr_bytes: u64,
    limits: JsonLimits,
}

#[derive(Serialize)]
struct JsonLimits {
    time_ms: u64,
    cpu_time_ms: Option<u64>,
    memory_bytes: u64,
    cpus: f64,
    pids: i64,
    output_bytes: u64,
    idle_ms: Option<u64>,
}

impl<'a> RunResult<'a> {
    fn new(plan: &'a RunPlan, image: &'a str, outcome: &Outcome, status: u8) -> RunResult<'a> {
        let l = &plan.limits;
        RunResult {
            language: &plan.profile.name,
            image,
            status,
            verdict: outcome.verdict(),
            exit_code: outcome.exit_code,
            signal: outcome.signal(),
            time_ms: outcome.wall.as_millis() as u64,
            cpu_ms: outcome.cpu_ms(),
            memory_bytes: outcome.memory_peak,
            limits_hit: outcome.limits_hit(),
            oom_killed: outcome.oom_killed,
            stdout_bytes: outcome.stdout_bytes,
            stderr_bytes: outcome.stderr_bytes,
            limits: JsonLimits {
                time_ms: l.time.as_millis() as u64,
                cpu_time_ms: l.cpu_time.map(|d| d.as_millis() as u64),
                memory_bytes: l.memory,
                cpus: l.cpus,
                pids: l.pids,
                output_bytes: l.output,
                idle_ms: l.idle.map(|d| d.as_millis() as u64),
            },
        }
    }

    /// The compiler's outcome stands in for the program's.
    fn failed_compile(self) -> RunResult<'a> {
        RunResult {
            verdict: Verdict::CompileError,
            ..self
        }
    }
}

fn write_json(path: Option<&Path>, result: &RunResult) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    let text = serde_json::to_string(result)? + "\n";
    if path == Path::new("-") {
        eprint!("{text}");
        Ok(())
    } else {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
    }
}
