//! Starting sandboxes for front ends: rebuilding an image removed behind codecage's back and
//! retrying once.
//!
//! A run trusts its memo of images it saw built (`image.rs`), so an image removed since (by
//! `docker rmi` or a prune) is first noticed when the sandbox is created. The sandbox sits below
//! the images and only reports `SandboxError::ImageMissing`; this layer, above both, repairs it.

use anyhow::Result;
use bollard::Docker;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::sandbox::{self, Input, Outcome, OutputSink, SandboxError, SandboxSpec, Started};

/// `sandbox::start`, building the image again once if the engine no longer has it.
pub async fn start(docker: &Docker, spec: &SandboxSpec) -> Result<Started> {
    crate::spans::timed("start", start_or_rebuild(docker, spec)).await
}

async fn start_or_rebuild(docker: &Docker, spec: &SandboxSpec) -> Result<Started> {
    match sandbox::start(docker, spec).await {
        Err(SandboxError::ImageMissing { image }) => {
            // False when the tag was not trusted from the memo: then it is really missing.
            if !crate::image::rebuild_missing(docker, &image).await? {
                return Err(SandboxError::ImageMissing { image }.into());
            }
            Ok(sandbox::start(docker, spec).await?)
        }
        started => Ok(started?),
    }
}

/// `sandbox::run`, building the image again once if the engine no longer has it.
pub async fn run(
    docker: &Docker,
    spec: &SandboxSpec,
    input: mpsc::Receiver<Input>,
    sink: &mut dyn OutputSink,
    cancel: CancellationToken,
) -> Result<Outcome> {
    let started = start(docker, spec).await?;
    Ok(sandbox::finish(docker, started, spec, input, sink, cancel).await?)
}
