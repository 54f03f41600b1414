//! Where a grading's programs run: a fresh container per run, or a judge box kept by one worker
//! slot for the whole submission (`sandbox::judge_box`), one box per program (the submission,
//! and its checker or interactor).
//!
//! A lane that cannot host a box (an image without `sh`, a codecage built without the launcher)
//! runs a container per case from then on and says so once with `-v`. A box that breaks during a
//! case is noted (`Lane::take_breakage`): the grader throws away whatever that case gave and runs
//! it again, once, each program in a container of its own.

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use bollard::Docker;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::sandbox::judge_box::{BoxCase, BoxError, BoxKey, JudgeBox};
use crate::sandbox::{Input, Outcome, OutputSink, SandboxError, SandboxSpec};

/// How a grading runs its cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseMode {
    /// One judge box per worker slot and program, a fresh process per case (the default).
    #[default]
    Boxes,
    /// A fresh container for every run of every program (`--container-per-case`).
    ContainerPerCase,
}

/// Said once per process: some image could not host a box.
static FALLBACK_SAID: AtomicBool = AtomicBool::new(false);

/// One program's sandbox in one worker slot.
pub struct Lane {
    docker: Docker,
    mode: CaseMode,
    current: Option<JudgeBox>,
    /// Why the box broke during the current case, if it did.
    broke: Option<String>,
    /// Run the next program in a container of its own (a case run again after its box broke).
    once_in_container: bool,
    /// Say (once per process) why boxes cannot be used, when they cannot (`-v`).
    verbose: bool,
}

impl Lane {
    pub fn new(docker: &Docker, mode: CaseMode) -> Lane {
        Lane {
            docker: docker.clone(),
            mode,
            current: None,
            broke: None,
            once_in_container: false,
            verbose: false,
        }
    }

    /// Say why, when this lane falls back to a container per case.
    pub fn verbose(mut self, on: bool) -> Lane {
        self.verbose = on;
        self
    }

    /// Run `spec` with `extra_tar` unpacked over its workspace (files for this run only; for a
    /// container they must already be in `spec.workspace_tar`, see `run_split`).
    pub async fn run(
        &mut self,
        spec: &SandboxSpec,
        input: mpsc::Receiver<Input>,
        sink: &mut dyn OutputSink,
        cancel: CancellationToken,
    ) -> Result<Outcome> {
        self.run_split(spec, None, input, sink, cancel).await
    }

    /// As `run`, for a program whose workspace is `spec.workspace_tar` plus this run's own files:
    /// `split` is (the program's files alone, the run's files), which a box keeps apart so the
    /// program's files are sent to it once.
    pub async fn run_split(
        &mut self,
        spec: &SandboxSpec,
        split: Option<(&[u8], Vec<u8>)>,
        input: mpsc::Receiver<Input>,
        sink: &mut dyn OutputSink,
        cancel: CancellationToken,
    ) -> Result<Outcome> {
        if self.mode == CaseMode::ContainerPerCase || std::mem::take(&mut self.once_in_container) {
            return self.in_container(spec, split, input, sink, cancel).await;
        }
        let judge_box = match self.ready_box(spec).await {
            Ok(judge_box) => judge_box,
            Err(BoxError::Unsupported(why)) => {
                if (self.verbose || spec.trace) && !FALLBACK_SAID.swap(true, Ordering::Relaxed) {
                    eprintln!(
                        "codecage: {why}; grading {} with a container per case",
                        spec.image
                    );
                }
                self.mode = CaseMode::ContainerPerCase;
                return self.in_container(spec, split, input, sink, cancel).await;
            }
            Err(BoxError::Broken(why) | BoxError::Unprepared(why)) => {
                self.broke = Some(why.clone());
                anyhow::bail!("the judge box broke: {why}");
            }
            Err(BoxError::Sandbox(e)) => return Err(e.into()),
        };
        let (workspace_tar, extra_tar) = match split {
            Some((program, extra)) => (program, extra),
            None => (spec.workspace_tar.as_slice(), Vec::new()),
        };
        // A box that could not prepare the case (an earlier case left it beyond repair) ran
        // nothing and took none of the input: a fresh one gets the case.
        let again = extra_tar.clone();
        let mut input = input;
        let case = BoxCase {
            workspace_tar,
            extra_tar,
            argv: &spec.argv,
            limits: &spec.limits,
        };
        match judge_box.run(case, &mut input, sink, cancel.clone()).await {
            Ok(outcome) => Ok(outcome),
            Err(BoxError::Unprepared(why)) => {
                self.close().await;
                let judge_box = match self.ready_box(spec).await {
                    Ok(judge_box) => judge_box,
                    Err(e) => {
                        self.broke = Some(format!("{why}; then {e}"));
                        return Err(e.into());
                    }
                };
                let case = BoxCase {
                    workspace_tar,
                    extra_tar: again,
                    argv: &spec.argv,
                    limits: &spec.limits,
                };
                judge_box
                    .run(case, &mut input, sink, cancel)
                    .await
                    .map_err(|e| {
                        self.broke = Some(e.to_string());
                        e.into()
                    })
            }
            Err(e) => {
                self.broke = Some(e.to_string());
                Err(e.into())
            }
        }
    }

    /// A fresh container for this run, its workspace the two tars together.
    async fn in_container(
        &self,
        spec: &SandboxSpec,
        split: Option<(&[u8], Vec<u8>)>,
        input: mpsc::Receiver<Input>,
        sink: &mut dyn OutputSink,
        cancel: CancellationToken,
    ) -> Result<Outcome> {
        let Some((program, extra)) = split else {
            return crate::launch::run(&self.docker, spec, input, sink, cancel).await;
        };
        let spec = SandboxSpec {
            workspace_tar: concat_tars(program, &extra),
            ..spec.clone()
        };
        crate::launch::run(&self.docker, &spec, input, sink, cancel).await
    }

    /// The box for `spec`: the current one if it fits and works, else a fresh one (an image
    /// removed behind our back is built again once, as `launch::start` does).
    async fn ready_box(&mut self, spec: &SandboxSpec) -> Result<&mut JudgeBox, BoxError> {
        let key = BoxKey::of(spec);
        let fits = self
            .current
            .as_ref()
            .is_some_and(|b| b.is_usable() && *b.key() == key);
        if !fits {
            if let Some(old) = self.current.take() {
                old.close().await;
            }
            let started = match JudgeBox::start(&self.docker, spec).await {
                Err(BoxError::Sandbox(SandboxError::ImageMissing { image })) => {
                    match crate::image::rebuild_missing(&self.docker, &image).await {
                        Ok(true) => JudgeBox::start(&self.docker, spec).await,
                        _ => Err(SandboxError::ImageMissing { image }.into()),
                    }
                }
                started => started,
            }?;
            self.current = Some(started);
        }
        Ok(self.current.as_mut().expect("a box was just put there"))
    }

    /// Run the next program in a container of its own, then boxes again: where a case whose box
    /// broke is run again. A program that breaks its box on purpose (one can: see
    /// docs/security.md) then gets its verdict from a container, where there is no launcher to
    /// break, rather than a second box.
    pub fn next_in_container(&mut self) {
        self.once_in_container = true;
    }

    /// Why the box broke since the last call, if it did (the case's result is not to be trusted).
    pub fn take_breakage(&mut self) -> Option<String> {
        self.broke.take()
    }

    /// Remove this lane's box.
    pub async fn close(&mut self) {
        if let Some(judge_box) = self.current.take() {
            judge_box.close().await;
        }
    }
}

/// A worker slot's lanes: the submission's, and its judge program's (checker or interactor).
pub struct Slot {
    pub submission: Lane,
    pub judge: Lane,
}

impl Slot {
    pub fn new(docker: &Docker, mode: CaseMode, verbose: bool) -> Slot {
        Slot {
            submission: Lane::new(docker, mode).verbose(verbose),
            judge: Lane::new(docker, mode).verbose(verbose),
        }
    }

    /// Why a box broke during the last case, if one did.
    pub fn take_breakage(&mut self) -> Option<String> {
        let submission = self.submission.take_breakage();
        let judge = self.judge.take_breakage();
        submission.or(judge)
    }

    pub async fn close(&mut self) {
        self.submission.close().await;
        self.judge.close().await;
    }

    /// Run the next case's programs each in a container of its own (see `Lane::next_in_container`).
    pub fn next_case_in_containers(&mut self) {
        self.submission.next_in_container();
        self.judge.next_in_container();
    }
}

/// Two tars made by `Workspace::to_tar` as one: the first without its end-of-archive blocks (two
/// of 512 zero bytes), then the second.
fn concat_tars(first: &[u8], second: &[u8]) -> Vec<u8> {
    let mut tar = first[..first.len().saturating_sub(1024)].to_vec();
    tar.extend_from_slice(second);
    tar
}

#[cfg(test)]
mod tests {
    use super::concat_tars;
    use crate::workspace::Workspace;

    #[test]
    fn two_workspaces_make_one_tar() {
        let mut a = Workspace::default();
        a.add("checker", b"\x7fELF".to_vec(), true).unwrap();
        let mut b = Workspace::default();
        b.add(".judge/input", b"1 2\n".to_vec(), false).unwrap();
        let tar = concat_tars(&a.to_tar().unwrap(), &b.to_tar().unwrap());
        let both = Workspace::from_untrusted_tar(&tar, 1 << 20).unwrap();
        let names: Vec<String> = both.names().map(String::from).collect();
        assert_eq!(
            names,
            vec![".judge/input".to_string(), "checker".to_string()]
        );
    }
}
