//! The one prepare step every front end shares (`run`, `test`, the HTTP API, sessions): the
//! plan's image (a language image, or one with its dependencies installed), then the compile step
//! when the language has one. What comes out is either a program ready to run in fresh sandboxes,
//! or a compile failure with its reason; building the sandbox for it is `RunPlan::spec`.

use std::time::{Duration, Instant};

use anyhow::Result;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::compile::{compile, CompileFailure, Compiled};
use crate::plan::RunPlan;
use crate::sandbox::{OutputSink, SandboxSpec};

/// A program ready to run: its image and its (compiled) workspace, packed once for every sandbox
/// that runs it.
#[derive(Debug, Clone)]
pub struct Ready {
    pub image: String,
    pub workspace_tar: Vec<u8>,
    /// How long making (or finding) the image took.
    pub image_time: Duration,
    /// How long the compile step took, for compiled languages.
    pub compile_time: Option<Duration>,
}

impl Ready {
    /// A sandbox running the plan's program (see `RunPlan::spec`).
    pub fn spec(&self, plan: &RunPlan) -> SandboxSpec {
        plan.spec(&self.image, self.workspace_tar.clone())
    }
}

pub enum Prepared {
    Ready(Ready),
    CompileFailed(CompileFailure),
}

/// Make the plan's image (announcing a build when `verbose`) and compile. Compiler diagnostics go
/// to `diagnostics` as they arrive.
pub async fn prepare(
    docker: &Docker,
    plan: &RunPlan,
    diagnostics: &mut dyn OutputSink,
    verbose: bool,
    cancel: CancellationToken,
) -> Result<Prepared> {
    let t0 = Instant::now();
    let image =
        crate::dependencies::image_for(docker, &plan.profile, plan.deps.as_ref(), verbose).await?;
    let image_time = t0.elapsed();
    Ok(
        match compile(docker, &image, plan, diagnostics, cancel).await? {
            Compiled::Ready(workspace) => Prepared::Ready(Ready {
                image,
                workspace_tar: workspace.to_tar()?,
                image_time,
                compile_time: plan.compile_argv().map(|_| t0.elapsed() - image_time),
            }),
            Compiled::Failed(failure) => Prepared::CompileFailed(failure),
        },
    )
}
