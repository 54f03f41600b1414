//! The one prepare step every front end shares (`run`, `test`, the HTTP API, sessions): the
//! plan's image (a language image, or one with its dependencies installed), then the compile step
//! when the language has one. What comes out is either a program ready to run in fresh sandboxes,
//! or a compile failure with its reason; building the sandbox for it is `RunPlan::spec`.

use std::time::{Duration, Instant};

use anyhow::Result;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::compile::{compile, compile_limits, CompileFailure, Compiled};
use crate::compile_cache::{self, CompileCache, Entry};
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
    /// How long the compile step took, for compiled languages (none on a compile cache hit).
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

/// Make the plan's image (announcing a build when `verbose`) and compile, or take the compiled
/// workspace (or compile error) from the compile cache. Compiler diagnostics go to
/// `diagnostics` as they arrive.
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
    let slot = CacheSlot::for_plan(docker, &image, plan).await;
    if let Some(slot) = &slot {
        if let Some(hit) = slot.lookup(plan) {
            if verbose {
                eprintln!("codecage: compile cache hit ({})", &slot.key[..12]);
            }
            // What the compiler printed, as a miss prints it.
            return Ok(match hit {
                Entry::Compiled {
                    workspace_tar,
                    warnings,
                } => {
                    diagnostics.stderr(&warnings)?;
                    Prepared::Ready(Ready {
                        image,
                        workspace_tar,
                        image_time,
                        compile_time: None,
                    })
                }
                Entry::Failed {
                    diagnostics: text,
                    exit_code,
                    ..
                } => {
                    diagnostics.stderr(&text)?;
                    Prepared::CompileFailed(CompileFailure::cached(&image, exit_code))
                }
            });
        }
        if verbose {
            eprintln!(
                "codecage: compile cache miss ({}), compiling",
                &slot.key[..12]
            );
        }
    }
    let mut tee = Tee {
        inner: diagnostics,
        kept: Vec::new(),
        truncated: false,
    };
    let compiled = compile(docker, &image, plan, &mut tee, cancel).await?;
    // Diagnostics too long to keep whole are not cached: a hit would print less than a miss.
    let slot = slot.filter(|_| !tee.truncated);
    Ok(match compiled {
        Compiled::Ready(workspace) => {
            let workspace_tar = workspace.to_tar()?;
            if let Some(slot) = &slot {
                slot.cache.put(
                    &slot.key,
                    &Entry::Compiled {
                        workspace_tar: workspace_tar.clone(),
                        warnings: tee.kept,
                    },
                );
            }
            Prepared::Ready(Ready {
                image,
                workspace_tar,
                image_time,
                compile_time: plan.compile_argv().map(|_| t0.elapsed() - image_time),
            })
        }
        Compiled::Failed(failure) => {
            if let (Some(slot), true, Some(exit_code)) =
                (&slot, failure.is_deterministic(), failure.outcome.exit_code)
            {
                slot.cache.put(
                    &slot.key,
                    &Entry::Failed {
                        diagnostics: tee.kept,
                        exit_code,
                        limits: slot.limits.clone(),
                    },
                );
            }
            Prepared::CompileFailed(failure)
        }
    })
}

/// Where this plan's compile is kept in the cache: only for a compiled language with the cache
/// on, and an image whose ID the engine tells.
struct CacheSlot {
    cache: CompileCache,
    key: String,
    /// The compile limits, which a cached compile error must match.
    limits: String,
}

impl CacheSlot {
    async fn for_plan(docker: &Docker, image: &str, plan: &RunPlan) -> Option<CacheSlot> {
        let settings = plan.compile_cache.clone()?;
        let argv = plan.compile_argv()?;
        let image_id = match docker.inspect_image(image).await {
            Ok(inspected) => inspected.id?,
            // The memo trusted an image removed since (`docker rmi`, a prune): build it again
            // now rather than when the sandbox is created, so this compile is cached too.
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) if crate::image::rebuild_missing(docker, image)
                .await
                .unwrap_or(false) =>
            {
                docker.inspect_image(image).await.ok()?.id?
            }
            Err(_) => return None,
        };
        // The OCI runtime decides the result too: a compiler that fails under one runtime must
        // not leave a cached compile error for another.
        let image_id = match &plan.profile.runtime {
            Some(runtime) => format!("{image_id} runtime={runtime}"),
            None => image_id,
        };
        // Unclamped: the engine's CPU count is not worth a question here, and CPUs never decide
        // an error the compiler reports itself.
        let limits = compile_limits(&plan.limits, plan.compile_cpus, &plan.profile);
        Some(CacheSlot {
            key: compile_cache::key(&image_id, &argv, &plan.workspace),
            limits: compile_cache::limits_fingerprint(&limits),
            cache: CompileCache::new(settings),
        })
    }

    /// The entry that stands for compiling `plan` now: a compiled workspace that fits the plan's
    /// workspace limit (another front end may have compiled it under a larger one), or a
    /// compile error made under the same limits.
    fn lookup(&self, plan: &RunPlan) -> Option<Entry> {
        match self.cache.get(&self.key)? {
            Entry::Compiled { workspace_tar, .. }
                if crate::workspace::Workspace::from_untrusted_tar(
                    &workspace_tar,
                    plan.limits.workspace,
                )
                .is_err() =>
            {
                None
            }
            Entry::Failed { limits, .. } if limits != self.limits => None,
            entry => Some(entry),
        }
    }
}

/// Passes diagnostics on and keeps a copy (bounded) for the cache.
struct Tee<'a> {
    inner: &'a mut dyn OutputSink,
    kept: Vec<u8>,
    truncated: bool,
}

/// Most bytes of a compile's diagnostics kept in the cache.
const KEPT_DIAGNOSTICS: usize = 1 << 20;

impl Tee<'_> {
    fn keep(&mut self, data: &[u8]) {
        let room = KEPT_DIAGNOSTICS.saturating_sub(self.kept.len());
        self.truncated |= data.len() > room;
        self.kept.extend_from_slice(&data[..data.len().min(room)]);
    }
}

impl OutputSink for Tee<'_> {
    fn stdout(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.keep(data);
        self.inner.stdout(data)
    }
    fn stderr(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.keep(data);
        self.inner.stderr(data)
    }
}
