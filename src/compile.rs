//! The compile step. The compiler is untrusted code too: it runs in its own sandbox with the
//! program's limits but its own memory (the profile's `compile_memory`, else 1 GiB, whatever the
//! program's) and at least 10 s of wall time (the profile's `compile_time` where it sets more), and its artifacts come back as a tar on stdout that is
//! parsed strictly and re-packed (never extracted on the host). Compiling once lets `test` run
//! every case on the same artifacts.

use anyhow::Result;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::limits::Limits;
use crate::plan::RunPlan;
use crate::profile::Profile;
use crate::sandbox::{self, CaptureStdout, Outcome, OutputSink, SandboxSpec, Verdict};
use crate::units::{format_duration, format_size};
use crate::workspace::Workspace;

/// Room on top of the workspace for the compile step's tar on stdout.
const OUTPUT_SLACK: u64 = 16 << 20;

/// The compile step's limits: the program's, with at least the profile's wall time
/// (`Profile::compile_floor`), the profile's memory whatever the program's (`Profile::compile_memory`:
/// a problem's 256 MiB is for the program, not for g++ or kotlinc), its own CPU quota (a compiler is not the program: g++ at half
/// a core takes 1.5 s for a hello world), no CPU-time limit, and room for the artifacts on stdout.
pub fn compile_limits(program: &Limits, cpus: f64, profile: &Profile) -> Limits {
    let mut limits = program.clone();
    limits.time = limits.time.max(profile.compile_floor());
    limits.memory = profile.compile_memory();
    limits.cpus = cpus;
    limits.cpu_time = None;
    limits.output = limits.workspace + OUTPUT_SLACK;
    limits.idle = None;
    limits
}

pub enum Compiled {
    /// The workspace to run: the sources, plus artifacts for compiled languages.
    Ready(Workspace),
    /// The compiler failed (or hit a limit, or was cancelled); diagnostics went to the sink.
    Failed(CompileFailure),
}

/// A compile that did not produce a program.
#[derive(Debug, Clone)]
pub struct CompileFailure {
    /// The image the compiler ran in.
    pub image: String,
    pub outcome: Outcome,
    /// Why, as one line: "compilation failed" and the limit hit, if one was.
    pub reason: String,
    /// The same input fails the same way: the compile cache may keep it.
    deterministic: bool,
}

impl CompileFailure {
    fn new(image: &str, outcome: Outcome, limits: &Limits) -> CompileFailure {
        let why = match outcome.verdict() {
            Verdict::TimeLimit => {
                format!(" (time limit exceeded: {})", format_duration(limits.time))
            }
            Verdict::MemoryLimit => {
                format!(" (memory limit exceeded: {})", format_size(limits.memory))
            }
            Verdict::OutputLimit => " (output limit exceeded)".to_string(),
            _ => String::new(),
        };
        // Only a plain error exit: not a signal (128+N, or a crash), not 126/127 (the compiler
        // could not be run), and not a compiler that met the memory limit and said so itself
        // (cc1plus's "out of memory" is an exit 1 the engine never reports as OOM).
        let near_memory_limit = outcome
            .memory_peak
            .is_some_and(|peak| peak as f64 >= limits.memory as f64 * 0.9);
        let deterministic = outcome.verdict() == Verdict::RuntimeError
            && outcome.exit_code.is_some_and(|c| (1..=125).contains(&c))
            && !near_memory_limit;
        CompileFailure {
            image: image.to_string(),
            outcome,
            reason: format!("compilation failed{why}"),
            deterministic,
        }
    }

    /// A compile error remembered by the compile cache, with the compiler's exit code.
    pub fn cached(image: &str, exit_code: i64) -> CompileFailure {
        CompileFailure {
            image: image.to_string(),
            outcome: Outcome {
                exit_code: Some(exit_code),
                ..Outcome::default()
            },
            reason: "compilation failed".to_string(),
            deterministic: true,
        }
    }

    /// The compiler exited on its own with an error code (no limit, signal or cancel, nor near
    /// the memory limit): the same input fails the same way, so it may be cached.
    pub fn is_deterministic(&self) -> bool {
        self.deterministic
    }

    /// The submission's verdict: CE whatever stopped the compiler (the reason says which limit),
    /// unless the run was cancelled.
    pub fn verdict(&self) -> Verdict {
        match self.outcome.verdict() {
            Verdict::Cancelled => Verdict::Cancelled,
            _ => Verdict::CompileError,
        }
    }
}

/// Compile if the language needs it. Compiler diagnostics go to `diagnostics`.
pub async fn compile(
    docker: &Docker,
    image: &str,
    plan: &RunPlan,
    diagnostics: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<Compiled> {
    let Some(argv) = plan.compile_argv() else {
        return Ok(Compiled::Ready(plan.workspace.clone()));
    };
    let cpus = crate::docker::clamp_cpus(docker, plan.compile_cpus).await;
    let limits = compile_limits(&plan.limits, cpus, &plan.profile);
    let spec = SandboxSpec::new(
        image.to_string(),
        argv,
        plan.workspace.to_tar()?,
        limits.clone(),
    )
    .for_compile()
    .with_runtime(plan.profile.runtime.clone());
    let mut capped = CappedDiagnostics {
        inner: diagnostics,
        left: plan.limits.output,
        truncated: false,
    };
    let mut capture = CaptureStdout {
        stdout: Vec::new(),
        stderr: &mut capped,
    };
    let input = sandbox::fixed_input(Vec::new());
    let mut outcome = crate::launch::run(docker, &spec, input, &mut capture, cancel).await?;
    let artifacts = capture.stdout;
    if capped.truncated {
        // The compiler was stopped at the cap, as a program is at its output limit.
        outcome.output_exceeded = true;
        outcome.sink_closed = false;
        let note = format!(
            "\ncodecage: compiler output truncated at {} (the output limit)\n",
            format_size(plan.limits.output)
        );
        let _ = capped.inner.stderr(note.as_bytes());
    }
    Ok(match outcome.verdict() {
        Verdict::Accepted => Compiled::Ready(Workspace::from_untrusted_tar(
            &artifacts,
            plan.limits.workspace,
        )?),
        _ => Compiled::Failed(CompileFailure::new(image, outcome, &limits)),
    })
}

/// The compiler's diagnostics, at most the program's output limit of them (a server's
/// `--max-output`): the compile step's own output limit is sized for the artifacts on stdout,
/// and diagnostics are kept in memory, in reports and in Judge0's store. Past the cap the sink
/// refuses, which stops the compiler.
struct CappedDiagnostics<'a> {
    inner: &'a mut dyn OutputSink,
    left: u64,
    truncated: bool,
}

impl OutputSink for CappedDiagnostics<'_> {
    fn stdout(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.stderr(data)
    }

    fn stderr(&mut self, data: &[u8]) -> std::io::Result<()> {
        let take = data
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        self.inner.stderr(&data[..take])?;
        self.left -= take as u64;
        if take < data.len() {
            self.truncated = true;
            return Err(std::io::Error::other("compiler output limit"));
        }
        Ok(())
    }
}
