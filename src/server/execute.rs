//! One batch execution for the HTTP API: request -> plan -> (compile) -> sandbox -> result. Shared
//! by the CodeEngine-style `/execute` and Piston's `/api/v2/execute`.

use std::sync::Arc;

use serde::Serialize;

use super::{ApiError, AppState};
use crate::compile::{compile, Compiled};
use crate::limits::{LimitOverrides, Limits};
use crate::plan::RunPlan;
use crate::sandbox::{self, Collected, Outcome, SandboxSpec, Verdict};
use crate::units;
use crate::workspace::Workspace;

/// What a client asks to run. Everything here is data: no Docker parameter comes from a client.
pub struct ExecRequest {
    pub language: String,
    /// (name, content); the first is the entry point.
    pub files: Vec<(String, Vec<u8>)>,
    pub stdin: Vec<u8>,
    pub args: Vec<String>,
    pub limits: LimitOverrides,
    /// Name of a dependency set; only sets the operator enabled are accepted.
    pub dependencies: Option<String>,
}

/// The outcome of one stage (compile or run).
#[derive(Debug, Default, Serialize, Clone)]
pub struct Stage {
    /// stdout and stderr interleaved in arrival order.
    pub output: String,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: Option<i64>,
    pub signal: Option<i64>,
    /// AC (exited 0), RE, TLE, MLE, OLE, CE or IE.
    pub verdict: &'static str,
    pub time_ms: u64,
    pub truncated: bool,
}

pub struct ExecResult {
    pub language: String,
    pub version: String,
    pub compile: Option<Stage>,
    pub run: Option<Stage>,
    pub limits: Limits,
}

/// Resolve the request into a plan with clamped limits, or a 400 naming the problem.
pub fn plan(state: &AppState, req: ExecRequest) -> Result<(RunPlan, Vec<u8>), ApiError> {
    let profile = state.profiles.by_name(&req.language).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown language {:?}; known: {}",
            req.language,
            state.profiles.names()
        ))
    })?;
    if req.files.is_empty() {
        return Err(ApiError::bad_request(
            "no code: give \"code\" or \"files\"".into(),
        ));
    }
    let mut workspace = Workspace::default();
    let mut main = None;
    for (i, (name, content)) in req.files.into_iter().enumerate() {
        let name = if name.is_empty() {
            default_name(&profile, i)
        } else {
            name
        };
        workspace
            .add(&name, content, false)
            .map_err(|e| ApiError::bad_request(format!("{e:#}")))?;
        main.get_or_insert(name);
    }
    let mut limits = state.settings.limits.clone();
    limits
        .apply(&profile.limits)
        .map_err(|e| ApiError::internal(format!("{e:#}")))?;
    limits
        .apply(&req.limits)
        .map_err(|e| ApiError::bad_request(format!("{e:#}")))?;
    limits.clamp_to(&state.settings.limits_max(&profile));
    if workspace.bytes() > limits.workspace {
        return Err(ApiError::too_large(format!(
            "files total {} bytes, more than the workspace limit of {}",
            workspace.bytes(),
            units::format_size(limits.workspace)
        )));
    }
    let deps = match &req.dependencies {
        None => None,
        Some(set) => {
            let enabled = state
                .settings
                .deps_sets
                .iter()
                .any(|(l, s)| *l == profile.name && s == set);
            if !enabled {
                let mut on: Vec<String> = state
                    .settings
                    .deps_sets
                    .iter()
                    .map(|(l, s)| format!("{l}:{s}"))
                    .collect();
                if on.is_empty() {
                    on.push("none".into());
                }
                return Err(ApiError::bad_request(format!(
                    "dependency set {}:{set} is not enabled on this server (enabled: {})",
                    profile.name,
                    on.join(", ")
                )));
            }
            let mut deps = crate::dependencies::from_set(&profile, set)
                .map_err(|e| ApiError::bad_request(format!("{e:#}")))?;
            deps.ca_cert = state.settings.deps_ca.clone();
            Some(deps)
        }
    };
    let mut plan = RunPlan::in_memory(
        profile,
        workspace,
        main.unwrap_or_default(),
        req.args,
        limits,
    );
    plan.deps = deps;
    Ok((plan, req.stdin))
}

/// The file name of an unnamed file: the language's conventional main, else `main.EXT`.
fn default_name(profile: &crate::profile::Profile, index: usize) -> String {
    let ext = &profile.extensions[0];
    match (&profile.main, index) {
        (Some(main), 0) => main.clone(),
        (_, 0) => format!("main.{ext}"),
        (_, i) => format!("file{i}.{ext}"),
    }
}

/// Run a planned request to the end (the caller holds an admission permit).
pub async fn execute(
    state: &Arc<AppState>,
    plan: RunPlan,
    stdin: Vec<u8>,
) -> Result<ExecResult, ApiError> {
    let docker = &state.docker;
    let tag = crate::dependencies::image_for(docker, &plan.profile, plan.deps.as_ref(), false)
        .await
        .map_err(|e| ApiError::internal(format!("{e:#}")))?;
    let labels = sandbox::env_labels();
    let cancel = state.shutdown.child_token();
    let mut diagnostics = Collected::default();
    let compiled = compile(
        docker,
        &tag,
        &plan,
        &labels,
        &mut diagnostics,
        cancel.clone(),
    )
    .await
    .map_err(|e| ApiError::internal(format!("{e:#}")))?;
    let compile_stage = plan.compile_argv().map(|_| stage(&diagnostics, None));
    let workspace = match compiled {
        Compiled::Ready(w) => w,
        Compiled::Failed(outcome) => {
            let mut stage = stage(&diagnostics, Some(&outcome));
            stage.verdict = if outcome.verdict() == Verdict::RuntimeError {
                "CE"
            } else {
                verdict(&outcome)
            };
            return Ok(ExecResult {
                language: plan.profile.name.clone(),
                version: plan.profile.version.clone(),
                compile: Some(stage),
                run: None,
                limits: plan.limits.clone(),
            });
        }
    };
    let spec = SandboxSpec {
        image: tag,
        argv: plan.run_argv(),
        workspace_tar: workspace
            .to_tar()
            .map_err(|e| ApiError::internal(format!("{e:#}")))?,
        limits: plan.limits.clone(),
        tty: None,
        compile: false,
        labels,
        trace: false,
        runtime: plan.profile.runtime.clone(),
    };
    let mut output = Collected::default();
    let outcome = state
        .pool
        .run(
            docker,
            &spec,
            sandbox::fixed_input(stdin),
            &mut output,
            cancel,
        )
        .await
        .map_err(|e| ApiError::internal(format!("{e:#}")))?;
    state
        .metrics
        .record(&plan.profile.name, verdict(&outcome), outcome.wall);
    Ok(ExecResult {
        language: plan.profile.name.clone(),
        version: plan.profile.version.clone(),
        compile: compile_stage,
        run: Some(stage(&output, Some(&outcome))),
        limits: plan.limits.clone(),
    })
}

pub fn verdict(outcome: &Outcome) -> &'static str {
    match outcome.verdict() {
        Verdict::Ok => "AC",
        Verdict::RuntimeError => "RE",
        Verdict::TimeLimit | Verdict::IdleLimit => "TLE",
        Verdict::MemoryLimit => "MLE",
        Verdict::OutputLimit => "OLE",
        Verdict::Cancelled => "IE",
    }
}

/// A stage's result from its collected output and (when it ran) its outcome.
fn stage(output: &Collected, outcome: Option<&Outcome>) -> Stage {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Stage {
        output: text(&output.output),
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
        exit_code: outcome.and_then(|o| o.exit_code),
        signal: outcome
            .and_then(|o| o.exit_code)
            .filter(|c| (129..=159).contains(c))
            .map(|c| c - 128),
        verdict: outcome.map_or("AC", verdict),
        time_ms: outcome.map_or(0, |o| o.wall.as_millis() as u64),
        truncated: outcome.is_some_and(|o| o.output_exceeded),
    }
}
