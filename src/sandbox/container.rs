//! The engine calls for one sandbox container: create, attach (or open FIFOs) and start, watch its
//! events, resize, signal, kill and remove. Attach comes before start, or short programs lose
//! their output; kills go through the API, never by dropping the client (docs/engine-facts.md).

use std::collections::HashMap;

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, EventsOptionsBuilder, KillContainerOptionsBuilder,
    RemoveContainerOptionsBuilder, ResizeContainerTTYOptionsBuilder,
};
use bollard::Docker;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::error::{self, SandboxError};
use super::lifecycle::EngineEvent;
use super::spec::SandboxSpec;
use super::streams::{AttachOutput, Writer};
use super::{coalesce, fifo, hardening};

/// The program's stdio as the lifecycle sees it, whichever way it travels.
pub struct Transport {
    pub output: AttachOutput,
    pub stdin: Writer,
    /// With FIFO stdio (see `fifo.rs`) the workspace has a pipe of its own, or is mounted (None);
    /// through attach it goes ahead of the input on stdin (None).
    pub workspace: Option<Writer>,
    pub fifo_stdio: bool,
}

/// Create the container; its id.
pub async fn create(
    docker: &Docker,
    spec: &SandboxSpec,
    config: ContainerCreateBody,
    fifos: bool,
) -> Result<String, SandboxError> {
    docker
        .create_container(None, config)
        .await
        .map(|created| created.id)
        .map_err(|e| error::classify_create(e, &spec.image, spec.runtime.as_deref(), fifos))
}

/// Connect the program's stdio (FIFOs when given, else attach) and start the container.
pub async fn attach_and_start(
    docker: &Docker,
    id: &str,
    spec: &SandboxSpec,
    fifos: Option<fifo::Fifos>,
) -> Result<Transport, SandboxError> {
    if let Some(fifos) = fifos {
        let ends = fifos.open().map_err(SandboxError::FifoOpen)?;
        start(docker, id, true).await?;
        // The FIFOs' names can go once the container has started: its mounts hold the pipes.
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
        .map_err(|source| SandboxError::Engine {
            doing: "attach to",
            source,
        })?;
    start(docker, id, false).await?;
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

async fn start(docker: &Docker, id: &str, fifos: bool) -> Result<(), SandboxError> {
    docker
        .start_container(id, None)
        .await
        .map_err(|e| error::classify_start(e, fifos))
}

/// Force-remove a container; errors mean it is already gone or going.
pub async fn remove(docker: &Docker, id: &str) {
    let options = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    let _ = docker.remove_container(id, Some(options)).await;
}

/// Kill without waiting for the answer: the engine answers only once the container has exited,
/// and it cannot exit while its output waits for us to read it. Awaiting here would deadlock.
pub fn kill(docker: &Docker, id: &str) {
    let docker = docker.clone();
    let id = id.to_string();
    tokio::spawn(async move {
        signal(&docker, &id, "SIGKILL").await;
    });
}

/// Send a signal to the init process, which forwards it to the program.
pub async fn signal(docker: &Docker, id: &str, name: &str) {
    let options = KillContainerOptionsBuilder::default().signal(name).build();
    let _ = docker.kill_container(id, Some(options)).await;
}

pub async fn resize(docker: &Docker, id: &str, cols: u16, rows: u16) {
    let options = ResizeContainerTTYOptionsBuilder::default()
        .w(cols as i32)
        .h(rows as i32)
        .build();
    let _ = docker.resize_container_tty(id, options).await;
}

/// How many times a watch that broke off before the exit report subscribes again.
const EVENTS_RESUBSCRIBE: usize = 3;

/// Forward the OOM and exit reports of the container labelled with `run_id`.
///
/// A stream that breaks off before the container's `die` (an event the client cannot decode, or
/// Podman's service ending a stream under load) is subscribed again from the start of the
/// engine's history, so the report is not lost: a repeated `oom` or `die` is harmless to the
/// lifecycle. An engine that is gone fails the new subscription at once, and the watch ends.
pub async fn watch_events(docker: Docker, run_id: String, tx: mpsc::UnboundedSender<EngineEvent>) {
    let filters = HashMap::from([
        ("type", vec!["container".to_string()]),
        ("label", vec![format!("{}={run_id}", hardening::LABEL_RUN)]),
    ]);
    for attempt in 0..=EVENTS_RESUBSCRIBE {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // From the start of the daemon's short in-memory history: a `since` of "now" would lose
        // events to any clock skew between us and a remote daemon.
        let options = EventsOptionsBuilder::default()
            .since("1")
            .filters(&filters)
            .build();
        let mut stream = docker.events(Some(options));
        let mut received = false;
        while let Some(item) = stream.next().await {
            let Ok(event) = item else { break };
            received = true;
            let message = match event.action.as_deref() {
                Some("oom") => EngineEvent::Oom,
                Some("die") => {
                    let code = event
                        .actor
                        .and_then(|a| a.attributes)
                        .and_then(|a| a.get("exitCode").and_then(|c| c.parse().ok()))
                        .unwrap_or(-1);
                    let _ = tx.send(EngineEvent::Die(code));
                    // Nothing after the exit matters to the lifecycle.
                    return;
                }
                _ => continue,
            };
            if tx.send(message).is_err() {
                return;
            }
        }
        // A subscription that failed before its first event: the engine is not answering.
        if !received && attempt > 0 {
            return;
        }
    }
}
