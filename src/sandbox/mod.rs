//! The one container lifecycle that every front end (run, test, serve) shares.
//!
//! create (auto-remove) -> attach (or open FIFOs, `fifo.rs`) -> start -> workspace and stdin in /
//! output out, concurrently -> exit facts from the engine's event stream -> gone. Verified traps
//! this design avoids are in `docs/engine-facts.md`: attach before start or short programs lose
//! output; pump stdin and read output concurrently or writers deadlock; kill through the API,
//! never by dropping the client; classify from the OOM flag and our own timers, not the exit code
//! alone.
//!
//! Here: the public steps (start, finish, run, discard); the spec they take is in `spec.rs`. The
//! engine calls are in `container.rs`, the run's decisions in `lifecycle.rs`, the loop that feeds them in `drive.rs`,
//! the fixed container configuration in `hardening.rs`, what can fail in `error.rs`.

mod accounting;
mod coalesce;
mod container;
mod drive;
mod error;
mod fifo;
mod hardening;
mod io;
pub mod judge_box;
mod lifecycle;
mod outcome;
mod runtime;
mod shim;
mod spec;
mod streams;

use std::time::Instant;

use bollard::Docker;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use container::Transport;
use lifecycle::EngineEvent;

pub use accounting::{measurable, remove_stale as remove_stale_cgroups, why_not_measurable};
pub use error::{engine_unavailable, SandboxError};
pub use fifo::{decision as stdio_decision, remove_stale as remove_stale_fifos};
pub use hardening::{LABEL, LABEL_DEADLINE};
pub use io::{fixed_input, CaptureStdout, Collected, Input, OutputSink, Signal};
pub use outcome::{Outcome, Verdict};
pub use runtime::Isolation;
pub use spec::{env_labels, SandboxSpec};

/// A spec for a sandbox started before its program is known (the warm pool): the same sandbox,
/// with no workspace and an argv the shim replaces with the one `with_argv_in_workspace` sends.
pub fn pooled_template(spec: &SandboxSpec) -> SandboxSpec {
    SandboxSpec {
        argv: vec![shim::ARGV_IN_WORKSPACE.to_string()],
        workspace_tar: Vec::new(),
        ..spec.clone()
    }
}

/// `spec` for a sandbox started from `pooled_template`: its argv goes ahead of its workspace, as
/// the first entry of the tar. `None` when the argv cannot travel that way (a NUL byte).
pub fn with_argv_in_workspace(spec: &SandboxSpec) -> Option<SandboxSpec> {
    let line = shim::quote_argv(&spec.argv)?;
    let mut builder = tar::Builder::new(Vec::with_capacity(1024 + spec.workspace_tar.len()));
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(line.len() as u64);
    header.set_mode(0o600);
    header.set_uid(crate::sandbox_user::SANDBOX_UID.into());
    header.set_gid(crate::sandbox_user::SANDBOX_UID.into());
    builder
        .append_data(&mut header, shim::ARGV_FILE, line.as_bytes())
        .ok()?;
    let mut tar = builder.into_inner().ok()?;
    // Drop the end-of-archive blocks: the workspace's entries follow.
    tar.truncate(tar.len().saturating_sub(1024));
    tar.extend_from_slice(&spec.workspace_tar);
    if spec.workspace_tar.is_empty() {
        tar.extend_from_slice(&[0; 1024]);
    }
    Some(SandboxSpec {
        argv: vec![shim::ARGV_IN_WORKSPACE.to_string()],
        workspace_tar: tar,
        ..spec.clone()
    })
}

/// A started sandbox whose trusted launcher is waiting on stdin for the workspace: the program
/// has not started yet. Warm pools keep these ready; each is used exactly once.
pub struct Started {
    id: String,
    events: mpsc::UnboundedReceiver<EngineEvent>,
    events_task: tokio::task::JoinHandle<()>,
    transport: Transport,
    /// The run's parent cgroup, when its CPU time and memory can be measured.
    accounting: Option<accounting::Accounting>,
}

impl Started {
    /// Whether this sandbox died while it waited (the engine restarted and killed it, say) or
    /// can no longer be followed: its events stream ended or reported an exit. Such a sandbox
    /// must never run a program, whose result would be the sandbox's death, not the program's.
    /// Reads only what already arrived: no call to the engine.
    pub fn is_gone(&mut self) -> bool {
        use tokio::sync::mpsc::error::TryRecvError;
        match self.events.try_recv() {
            Err(TryRecvError::Empty) => self.events_task.is_finished(),
            // Nothing has run yet: any event at all (an exit, an OOM) means it is not fresh.
            Err(TryRecvError::Disconnected) | Ok(_) => true,
        }
    }
}

/// Run one sandbox to the end. The container is gone (or going: the engine removes it on exit)
/// when this returns, on every path.
pub async fn run(
    docker: &Docker,
    spec: &SandboxSpec,
    input: mpsc::Receiver<Input>,
    sink: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<Outcome, SandboxError> {
    let started = crate::spans::timed("start", start(docker, spec)).await?;
    finish(docker, started, spec, input, sink, cancel).await
}

/// Create, attach and start a sandbox for `spec` (its workspace is not needed yet). A missing
/// image is `SandboxError::ImageMissing`: building images is the business of the layers above.
pub async fn start(docker: &Docker, spec: &SandboxSpec) -> Result<Started, SandboxError> {
    // Podman 4.3 creates the container under its default runtime whatever `HostConfig.Runtime`
    // says (tested: `OCIRuntime` runc, the host's kernel inside): never a silent downgrade.
    let engine = crate::docker::kind();
    if let (crate::docker::EngineKind::Podman, Some(runtime)) = (engine, &spec.runtime) {
        return Err(SandboxError::RuntimeIgnored {
            engine: engine.name(),
            runtime: runtime.clone(),
        });
    }
    check_engine(docker).await?;
    let Some(fifos) = fifos_for(spec).await else {
        return start_with(docker, spec, None).await;
    };
    match start_with(docker, spec, Some(fifos)).await {
        Err(SandboxError::FifoMountRefused(e)) => {
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

/// Refuse an engine that would start sandboxes with their limits quietly missing: a rootless
/// engine on cgroup v1, where the kernel does not delegate cgroups to a user (Podman says
/// "Resource limits are not supported and ignored on cgroups V1 rootless systems" and runs the
/// container anyway; tested). Asked of the engine once per process, and only of one that is
/// (or may be) rootless: a local rootful engine costs nothing here.
pub async fn check_engine(docker: &Docker) -> Result<(), SandboxError> {
    static ANSWER: tokio::sync::OnceCell<Result<(), String>> = tokio::sync::OnceCell::const_new();
    if crate::docker::rootless() == Some(false) {
        return Ok(());
    }
    let answer = ANSWER
        .get_or_init(|| async {
            let Ok(info) = docker.info().await else {
                // The create that follows reports an engine that does not answer.
                return Ok(());
            };
            // Podman's compatible `/info` does not say `name=rootless` as Docker's does: the
            // socket's owner (`docker::rootless`) does.
            let rootless = crate::docker::rootless().unwrap_or(false)
                || info
                    .security_options
                    .iter()
                    .flatten()
                    .any(|o| o.contains("rootless"));
            let v1 = info.cgroup_version == Some(bollard::models::SystemInfoCgroupVersionEnum::_1);
            if rootless && v1 {
                return Err(format!(
                    "rootless {} on cgroup v1 cannot enforce memory, pids or CPU limits (the kernel does not delegate v1 cgroups to a user), so codecage will not run there; use a rootful engine, or a host with cgroup v2",
                    crate::docker::kind().name()
                ));
            }
            Ok(())
        })
        .await;
    answer.clone().map_err(SandboxError::LimitsUnenforceable)
}

/// FIFOs for the program's stdio, when this engine can mount them and they can be made.
async fn fifos_for(spec: &SandboxSpec) -> Option<fifo::Fifos> {
    if spec.tty.is_some() || !fifo::enabled().await {
        return None;
    }
    if !Isolation::of(spec.runtime.as_deref()).mounts_fifos() {
        trace(spec, || {
            "this runtime cannot mount host FIFOs (gVisor): stdio through attach".to_string()
        });
        return None;
    }
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
}

async fn start_with(
    docker: &Docker,
    spec: &SandboxSpec,
    fifos: Option<fifo::Fifos>,
) -> Result<Started, SandboxError> {
    let run_id = uuid::Uuid::new_v4().to_string();
    let now_unix = crate::units::unix_now().max(0) as u64;
    let deadline = now_unix + spec.limits.time.as_secs() + hardening::BACKSTOP_GRACE_SECS + 60;
    let accounting = accounting::Accounting::for_run(docker, &run_id).await;
    if let Some(why) = spec.limits.memory_unenforceable(accounting.is_some()) {
        return Err(SandboxError::LimitsUnenforceable(why));
    }
    let cgroup_parent = accounting.as_ref().map(|a| a.cgroup_parent());
    // Podman reports no OOM kill, and Docker's report of gVisor's (the whole sandbox killed)
    // can be lost with the container's cgroup: the parent enforces the memory limit, and
    // codecage looks for the kills itself.
    let unreported_oom = crate::docker::kind() == crate::docker::EngineKind::Podman
        || Isolation::of(spec.runtime.as_deref()) == Isolation::Gvisor;
    let memory_in_parent = match &accounting {
        Some(a) if unreported_oom => a
            .enforce_memory(spec.limits.engine_memory())
            .map_err(SandboxError::MemoryCgroup)?,
        _ => false,
    };
    let config = hardening::container_config(
        spec,
        &run_id,
        deadline,
        fifos.as_ref(),
        cgroup_parent,
        memory_in_parent,
    );

    // Subscribe before the container exists; `since` replays anything we would otherwise miss.
    let (events_tx, events) = mpsc::unbounded_channel();
    let events_task = tokio::spawn(container::watch_events(
        docker.clone(),
        run_id.clone(),
        events_tx,
    ));

    let t0 = Instant::now();
    let id = match container::create(docker, spec, config, fifos.is_some()).await {
        Ok(id) => id,
        Err(e) => {
            events_task.abort();
            return Err(e);
        }
    };
    trace(spec, || {
        let cgroup = accounting
            .as_ref()
            .map(|a| format!(" (cgroup {})", a.cgroup_parent()))
            .unwrap_or_default();
        format!(
            "created container {} from {} in {} ms{cgroup}",
            &id[..12.min(id.len())],
            spec.image,
            t0.elapsed().as_millis()
        )
    });
    match container::attach_and_start(docker, &id, spec, fifos).await {
        Ok(transport) => {
            trace(spec, || {
                let how = if transport.fifo_stdio {
                    "stdio on FIFOs"
                } else {
                    "attached"
                };
                format!(
                    "{how} and started {} ms after create",
                    t0.elapsed().as_millis()
                )
            });
            Ok(Started {
                id,
                events,
                events_task,
                transport,
                accounting,
            })
        }
        Err(e) => {
            events_task.abort();
            container::remove(docker, &id).await;
            Err(e)
        }
    }
}

/// Report an engine step on stderr (`-v`).
fn trace(spec: &SandboxSpec, message: impl FnOnce() -> String) {
    if spec.trace {
        eprintln!("codecage: {}", message());
    }
}

/// Give up a started sandbox without running anything in it.
pub async fn discard(docker: &Docker, started: Started) {
    started.events_task.abort();
    container::remove(docker, &started.id).await;
    // Dropping the accounting removes its parent cgroup, now that the container is gone.
}

/// Deliver the workspace and input to a started sandbox and run the program to the end.
pub async fn finish(
    docker: &Docker,
    started: Started,
    spec: &SandboxSpec,
    input: mpsc::Receiver<Input>,
    sink: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<Outcome, SandboxError> {
    let Started {
        id,
        events,
        events_task,
        transport,
        accounting,
    } = started;
    if spec.limits.cpu_time.is_some() && accounting.is_none() {
        trace(spec, || {
            "no CPU accounting with this engine: only the wall-clock limit applies".to_string()
        });
    }
    let streams = drive::Streams {
        input,
        events,
        transport,
        accounting: accounting.as_ref(),
    };
    let result = drive::drive(docker, &id, spec, streams, sink, cancel).await;
    events_task.abort();
    match result {
        Ok((mut outcome, exited)) => {
            if !exited {
                container::remove(docker, &id).await;
            }
            if let Some(accounting) = accounting {
                let t0 = Instant::now();
                let usage = accounting.finish().await;
                crate::spans::record("accounting", t0);
                trace(spec, || {
                    format!("cgroup totals read in {} ms", t0.elapsed().as_millis())
                });
                outcome.cpu = usage.cpu;
                outcome.memory_peak = usage.memory_peak;
                // The kernel's count, for engines that send no `oom` event (Podman); and a
                // SIGKILL nobody else sent at the memory limit is the OOM killer's.
                let unexplained_kill = outcome.exit_code == Some(137) && !outcome.killed_by_us();
                outcome.oom_killed |= usage.oom_killed || (usage.limit_hit && unexplained_kill);
                outcome.memory_exceeded = spec.limits.over_memory(usage.memory_peak);
            }
            Ok(outcome)
        }
        Err(e) => {
            container::remove(docker, &id).await;
            // The accounting is dropped here, after the container: its parent cgroup goes too.
            drop(accounting);
            // A run that broke off because the engine went away (its streams cut, no exit
            // report) is the engine's failure, and a caller answers it as such.
            match docker.ping().await {
                Err(unreachable) if error::is_unreachable(&unreachable) => {
                    Err(SandboxError::EngineUnavailable(unreachable))
                }
                _ => Err(e),
            }
        }
    }
}
