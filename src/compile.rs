//! The compile step shared by `run` and `test`. The compiler is untrusted code too: it runs in its
//! own sandbox with the program's limits (but at least 10 s of wall time), and its artifacts come back as a tar on stdout that is
//! parsed strictly and re-packed (never extracted on the host). Compiling once lets `test` run
//! every case on the same artifacts.

use anyhow::Result;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::plan::RunPlan;
use crate::sandbox::{self, CaptureStdout, Outcome, OutputSink, SandboxSpec, Verdict};
use crate::units::{format_duration, format_size};
use crate::workspace::Workspace;

/// Room on top of the workspace for the compile step's tar on stdout.
const OUTPUT_SLACK: u64 = 16 << 20;

/// The least wall time a compile gets: a judge's per-case limit (`codecage test` defaults to 2 s)
/// is for the program, and javac or rustc on a busy machine can take longer than that.
const COMPILE_MIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// The compile step's limits: the program's, with at least `COMPILE_MIN_TIME` and room for the
/// artifacts on stdout.
fn compile_limits(plan: &RunPlan) -> crate::limits::Limits {
    let mut limits = plan.limits.clone();
    limits.time = limits.time.max(COMPILE_MIN_TIME);
    limits.output = limits.workspace + OUTPUT_SLACK;
    limits.idle = None;
    limits
}

pub enum Compiled {
    /// The workspace to run: the sources, plus artifacts for compiled languages.
    Ready(Workspace),
    /// The compiler failed (or hit a limit, or was cancelled); diagnostics went to the sink.
    Failed(Outcome),
}

/// Compile if the language needs it. Compiler diagnostics go to `diagnostics`.
pub async fn compile(
    docker: &Docker,
    image: &str,
    plan: &RunPlan,
    labels: &[(String, String)],
    diagnostics: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<Compiled> {
    let Some(argv) = plan.compile_argv() else {
        return Ok(Compiled::Ready(plan.workspace.clone()));
    };
    let limits = compile_limits(plan);
    let spec = SandboxSpec {
        image: image.to_string(),
        argv,
        workspace_tar: plan.workspace.to_tar()?,
        limits,
        tty: None,
        compile: true,
        labels: labels.to_vec(),
        trace: false,
        runtime: plan.profile.runtime.clone(),
    };
    let mut capture = CaptureStdout {
        stdout: Vec::new(),
        stderr: diagnostics,
    };
    let outcome = crate::launch::run(
        docker,
        &spec,
        sandbox::fixed_input(Vec::new()),
        &mut capture,
        cancel,
    )
    .await?;
    Ok(match outcome.verdict() {
        Verdict::Ok => Compiled::Ready(Workspace::from_untrusted_tar(
            &capture.stdout,
            plan.limits.workspace,
        )?),
        _ => Compiled::Failed(outcome),
    })
}

/// Why a compile failed, as a suffix for "compilation failed".
pub fn failure_reason(outcome: &Outcome, plan: &RunPlan) -> String {
    match outcome.verdict() {
        Verdict::TimeLimit => format!(
            " (time limit exceeded: {})",
            format_duration(compile_limits(plan).time)
        ),
        Verdict::MemoryLimit => format!(
            " (memory limit exceeded: {})",
            format_size(plan.limits.memory)
        ),
        Verdict::OutputLimit => " (output limit exceeded)".to_string(),
        _ => String::new(),
    }
}
