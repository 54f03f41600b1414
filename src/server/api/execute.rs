//! One batch execution for the HTTP API: request -> plan -> (compile) -> sandbox -> result. Shared
//! by the CodeEngine-style `/execute`, Piston's `/api/v2/execute`, Judge0's submission queue and
//! workers; `run.rs` decides whether a request runs here or on a worker.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::server::http::api_error::ApiError;
use crate::server::http::state::AppState;
use codecage::limits::Limits;
use codecage::plan::RunPlan;
use codecage::prepare::{prepare, Prepared, Ready};
use codecage::profile::Profile;
use codecage::sandbox::{self, Collected, Outcome};
use codecage::units;
use codecage::verdict::Verdict;
use codecage::wire::exec_request::{ExecRequest, Tweaks};
use codecage::wire::exec_result::{ExecResult, RawOutput, Stage};
use codecage::workspace::Workspace;

/// The profile a request's language (a name or an alias) names, or a 400 listing the known ones.
pub fn profile_of(state: &AppState, language: &str) -> Result<Arc<Profile>, ApiError> {
    state.profiles.by_name(language).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown language {language:?}; known: {}",
            state.profiles.names()
        ))
    })
}

/// Resolve the request into a plan with clamped limits, or a 400 naming the problem.
pub fn plan(state: &AppState, req: ExecRequest) -> Result<(RunPlan, Vec<u8>), ApiError> {
    let profile = profile_of(state, &req.language)?;
    if req.files.is_empty() {
        return Err(ApiError::bad_request(
            "no code: give \"code\" or \"files\"".into(),
        ));
    }
    // No program can receive a NUL byte in an argument (exec takes C strings): a 400, not a
    // sandbox that fails to start.
    if req.args.iter().any(|a| a.contains('\0')) {
        return Err(ApiError::bad_request(
            "an argument contains a NUL byte, which no program can receive".into(),
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
    let mut limits = default_limits(state, &profile)?;
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
            let mut deps = codecage::dependencies::from_set(&profile, set)
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
    plan.compile_cache = state.settings.compile_cache.clone();
    plan.cap_compile_cpus(state.settings.compile_cpus);
    if !req.tweaks.is_empty() {
        apply(&mut plan, &req.tweaks)?;
    }
    Ok((plan, req.stdin))
}

fn apply(plan: &mut RunPlan, tweaks: &Tweaks) -> Result<(), ApiError> {
    let mut profile = (*plan.profile).clone();
    if let Some(compile) = &tweaks.compile {
        profile.compile = Some(compile.clone());
    }
    // A client's own compile command or flags are what it gets, in a session too.
    if tweaks.compile.is_some() || !tweaks.compile_flags.is_empty() {
        profile.run_compile = None;
    }
    if let Some(run) = &tweaks.run {
        profile.run = run.clone();
    }
    if !tweaks.compile_flags.is_empty() {
        let Some(compile) = &mut profile.compile else {
            return Err(ApiError::bad_request(format!(
                "{} has no compile step to take compiler options",
                profile.name
            )));
        };
        compile.extend(tweaks.compile_flags.iter().cloned());
    }
    for name in &tweaks.executables {
        if let Some(content) = plan.workspace.get(name).map(<[u8]>::to_vec) {
            // Re-adding marks it executable; the name was accepted once already.
            let _ = plan.workspace.add(name, content, true);
        }
    }
    plan.profile = Arc::new(profile);
    Ok(())
}

/// A language's limits for a request that asks for none: the server's, the profile's over them.
fn default_limits(state: &AppState, profile: &Profile) -> Result<Limits, ApiError> {
    let mut limits = state.settings.limits.clone();
    limits
        .apply(&profile.limits)
        .map_err(|e| ApiError::internal(format!("{e:#}")))?;
    limits.clamp_to(&state.settings.limits_max(profile));
    Ok(limits)
}

/// The file name of an unnamed file: the language's conventional main, else `main.EXT`.
fn default_name(profile: &codecage::profile::Profile, index: usize) -> String {
    let ext = profile.extension();
    match (&profile.main, index) {
        (Some(main), 0) => main.clone(),
        (_, 0) => format!("main.{ext}"),
        (_, i) => format!("file{i}.{ext}"),
    }
}

/// The plan's program prepared (its image, then its compile step): ready to run, with the result
/// so far (the compile stage, for a compiled language), or the whole result of a failed compile.
async fn prepared(
    state: &Arc<AppState>,
    plan: &RunPlan,
    cancel: &CancellationToken,
) -> Result<Result<(Ready, ExecResult), ExecResult>, ApiError> {
    let mut diagnostics = Collected::default();
    let prepared = prepare(&state.docker, plan, &mut diagnostics, false, cancel.clone())
        .await
        .map_err(|e| ApiError::from_failure(&e))?;
    let mut result = ExecResult {
        language: plan.profile.name.clone(),
        version: plan.profile.version.clone(),
        compile: None,
        run: None,
        limits: plan.limits.clone(),
    };
    Ok(match prepared {
        Prepared::Ready(ready) => {
            result.compile = plan.compile_argv().map(|_| stage(&diagnostics, None));
            Ok((ready, result))
        }
        Prepared::CompileFailed(failure) => {
            let mut stage = stage(&diagnostics, Some(&failure.outcome));
            stage.verdict = failure.verdict();
            result.compile = Some(stage);
            Err(result)
        }
    })
}

/// Run a planned request to the end, or until `cancel` (a child of the server's shutdown); the
/// caller holds an admission permit.
pub async fn execute(
    state: &Arc<AppState>,
    plan: RunPlan,
    stdin: Vec<u8>,
    cancel: CancellationToken,
) -> Result<ExecResult, ApiError> {
    let docker = &state.docker;
    let (ready, mut result) =
        match codecage::spans::timed("prepare", prepared(state, &plan, &cancel)).await? {
            Ok(ready) => ready,
            Err(compile_failed) => return Ok(compile_failed),
        };
    let spec = ready.spec(&plan);
    // Only sandboxes of the language's default limits are kept warm: a client's own limits
    // would otherwise each make a pool of their own.
    let warm = default_limits(state, &plan.profile).is_ok_and(|d| d == plan.limits);
    let (outcome, output) = state
        .pool
        .run(docker, &spec, warm, stdin, cancel)
        .await
        .map_err(|e| ApiError::from_failure(&e))?;
    state
        .metrics
        .record(&plan.profile.name, outcome.verdict().code(), outcome.wall);
    result.run = Some(stage(&output, Some(&outcome)));
    Ok(result)
}

/// Run a planned request up to `runs` times, all in one judge box (a fresh process each time,
/// the box emptied between runs: `sandbox::judge_box`), calling `each` with each result until it
/// returns false (Judge0's `number_of_runs`, which stops at the first run that is not accepted).
/// The program is compiled once. A run during which the box broke is done again, once, in a
/// container of its own. The caller holds an admission permit for all of it.
pub async fn execute_runs(
    state: &Arc<AppState>,
    plan: RunPlan,
    stdin: Vec<u8>,
    runs: u32,
    cancel: CancellationToken,
    mut each: impl FnMut(&ExecResult) -> bool,
) -> Result<(), ApiError> {
    use codecage::grade::lane::{CaseMode, Lane};
    let docker = &state.docker;
    let (ready, mut result) = match prepared(state, &plan, &cancel).await? {
        Ok(ready) => ready,
        Err(compile_failed) => {
            each(&compile_failed);
            return Ok(());
        }
    };
    let spec = ready.spec(&plan);
    let mut lane = Lane::new(docker, CaseMode::Boxes);
    let mut outcome = Ok(());
    for _ in 0..runs.max(1) {
        let mut attempt = 0;
        let ran = loop {
            let mut output = Collected::default();
            let input = sandbox::fixed_input(stdin.clone());
            let ran = lane.run(&spec, input, &mut output, cancel.clone()).await;
            attempt += 1;
            match (ran, lane.take_breakage()) {
                // Once more, in a container of its own (see `Lane::next_in_container`).
                (_, Some(_)) if attempt < 2 && !cancel.is_cancelled() => {
                    lane.next_in_container();
                    continue;
                }
                (Ok(run), None) => break Ok((run, output)),
                (Ok(_), Some(why)) => {
                    break Err(ApiError::internal(format!("the judge box broke: {why}")))
                }
                (Err(e), _) => break Err(ApiError::from_failure(&e)),
            }
        };
        let (run, output) = match ran {
            Ok(ran) => ran,
            Err(e) => {
                outcome = Err(e);
                break;
            }
        };
        state
            .metrics
            .record(&plan.profile.name, run.verdict().code(), run.wall);
        result.run = Some(stage(&output, Some(&run)));
        if !each(&result) {
            break;
        }
    }
    lane.close().await;
    outcome
}

/// A stage's result from its collected output and (when it ran) its outcome.
fn stage(output: &Collected, outcome: Option<&Outcome>) -> Stage {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Stage {
        output: text(&output.output),
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
        exit_code: outcome.and_then(|o| o.exit_code),
        signal: outcome.and_then(Outcome::signal),
        verdict: outcome.map_or(Verdict::Accepted, Outcome::verdict),
        time_ms: outcome.map_or(0, |o| o.wall.as_millis() as u64),
        cpu_ms: outcome.and_then(Outcome::cpu_ms),
        memory_bytes: outcome.and_then(|o| o.memory_peak),
        truncated: outcome.is_some_and(|o| o.output_exceeded),
        raw: RawOutput {
            output: output.output.clone(),
            stdout: output.stdout.clone(),
            stderr: output.stderr.clone(),
        },
    }
}
