//! Interactive problems: the submission and the interactor run in two sandboxes at once, each
//! one's stdout fed live to the other's stdin.
//!
//! Nothing is buffered beyond what each side already wrote, so a submission that forgets to flush
//! leaves the interactor waiting, and the submission's own time limit ends it (TLE), as on a
//! judge. Neither side can block the other for ever: when one ends, the other's stdin reaches its
//! end; the interactor's limit is longer than the submission's wall-clock limit, so it outlives
//! the submission it talks to, and its own limit ends it when it loops (an internal error).
//!
//! A testlib interactor that keeps its output file (Polygon's `tout`, for the checker that runs
//! after it) reports it with its feedback; [`Exchange::interactor_output`] is that file.

use std::io;
use std::time::{Duration, Instant};

use anyhow::Result;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::judge_program::{JudgeProgram, Judgement, TOUT_MAX};
use super::lane::Slot;
use super::test_case::TestCase;
use crate::sandbox::{Input, Outcome, OutputSink, SandboxSpec};
use crate::verdict::Verdict;

/// How much longer than the submission the interactor may run.
const INTERACTOR_EXTRA: Duration = Duration::from_secs(5);

/// Most bytes of stderr kept of each side: the submission's for reports, the interactor's for its
/// feedback frames (three files of at most 64 KiB, and its output file when it keeps one).
const STDERR_KEPT: usize = 256 << 10;

/// The two sides' ends.
pub struct Exchange {
    pub submission: Result<Outcome>,
    pub submission_stderr: Vec<u8>,
    pub judgement: Judgement,
    /// The interactor ended (with its judgement) before the submission did.
    pub interactor_first: bool,
    /// What the interactor wrote to its output file, when it keeps one (see
    /// [`JudgeProgram::keep_output`]); empty otherwise.
    pub interactor_output: Vec<u8>,
}

/// Run `submission` against the interactor on `case`, each in its lane of `slot`.
pub async fn exchange(
    slot: &mut Slot,
    submission: &SandboxSpec,
    interactor: &JudgeProgram,
    case: &TestCase,
    cancel: CancellationToken,
) -> Exchange {
    let (judge_spec, judge_files) =
        match interactor.spec(case, None, submission.limits.time + INTERACTOR_EXTRA) {
            Ok(parts) => parts,
            Err(e) => {
                return Exchange {
                    submission: Err(anyhow::anyhow!("interactor: {e:#}")),
                    submission_stderr: Vec::new(),
                    judgement: Judgement::internal(format!("interactor: {e:#}")),
                    interactor_first: false,
                    interactor_output: Vec::new(),
                }
            }
        };
    let (to_submission, submission_input) = pipe();
    let (to_interactor, interactor_input) = pipe();
    // A submission the interactor has already rejected is stopped: its fate no longer matters.
    let submission_cancel = cancel.child_token();
    let Slot {
        submission: submission_lane,
        judge: judge_lane,
    } = slot;
    let submission_side = async {
        let mut sink = Relay::new(to_interactor, STDERR_KEPT);
        let result = submission_lane
            .run(
                submission,
                submission_input,
                &mut sink,
                submission_cancel.clone(),
            )
            .await;
        (result, sink.into_stderr(), Instant::now())
    };
    let interactor_side = async {
        let kept = if interactor.keeps_output() {
            STDERR_KEPT + TOUT_MAX + 1024
        } else {
            STDERR_KEPT
        };
        let mut sink = Relay::new(to_submission, kept);
        let split = Some((interactor.program_tar(), judge_files));
        let result = judge_lane
            .run_split(
                &judge_spec,
                split,
                interactor_input,
                &mut sink,
                cancel.clone(),
            )
            .await;
        let stderr = sink.into_stderr();
        let judgement = match &result {
            Ok(outcome) => interactor.judgement(outcome, &stderr),
            Err(e) => Judgement::internal(format!("interactor: {e:#}")),
        };
        if !judgement.verdict.is_accepted() {
            submission_cancel.cancel();
        }
        let output = if interactor.keeps_output() {
            interactor.output_file(&stderr)
        } else {
            Vec::new()
        };
        (judgement, output, Instant::now())
    };
    let (
        (submission, submission_stderr, submission_end),
        (judgement, interactor_output, interactor_end),
    ) = tokio::join!(submission_side, interactor_side);
    Exchange {
        submission,
        submission_stderr,
        judgement,
        interactor_first: interactor_end < submission_end,
        interactor_output,
    }
}

/// The case's verdict, as judges decide it: the submission's own failure (time, memory, crash)
/// comes first, unless the interactor had already rejected it, which is what ended it.
pub fn decide(exchange: &Exchange) -> (Verdict, Option<String>) {
    let judgement = &exchange.judgement;
    if judgement.verdict == Verdict::InternalError {
        return (Verdict::InternalError, judgement.feedback.clone());
    }
    let outcome = match &exchange.submission {
        Ok(outcome) => outcome,
        Err(e) => return (Verdict::InternalError, Some(format!("{e:#}"))),
    };
    let own = outcome.verdict();
    let theirs = (
        judgement.verdict,
        (!judgement.verdict.is_accepted())
            .then(|| format!("{} (interactor)", judgement.verdict.description())),
    );
    let rejected_first = exchange.interactor_first && !judgement.verdict.is_accepted();
    match own {
        Verdict::Accepted => theirs,
        _ if rejected_first => theirs,
        Verdict::RuntimeError => (own, Some(super::exit_message::exit_message(outcome))),
        other => (other, Some(other.description().to_string())),
    }
}

/// A channel of input for one side, fed by the other side's output.
fn pipe() -> (mpsc::UnboundedSender<Vec<u8>>, mpsc::Receiver<Input>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let (input_tx, input_rx) = mpsc::channel(64);
    tokio::spawn(async move {
        while let Some(data) = rx.recv().await {
            if input_tx.send(Input::Data(data)).await.is_err() {
                return;
            }
        }
        // The writing side ended: the reading side's stdin ends too.
        let _ = input_tx.send(Input::Eof).await;
    });
    (tx, input_rx)
}

/// A sink that relays stdout to the other side and keeps the start of stderr.
struct Relay {
    to: Option<mpsc::UnboundedSender<Vec<u8>>>,
    stderr: Vec<u8>,
    /// Most bytes of stderr kept.
    kept: usize,
}

impl Relay {
    fn new(to: mpsc::UnboundedSender<Vec<u8>>, kept: usize) -> Relay {
        Relay {
            to: Some(to),
            stderr: Vec::new(),
            kept,
        }
    }

    /// What was kept of stderr; the relay closes, so the other side's stdin ends.
    fn into_stderr(mut self) -> Vec<u8> {
        self.to = None;
        std::mem::take(&mut self.stderr)
    }
}

impl OutputSink for Relay {
    fn stdout(&mut self, data: &[u8]) -> io::Result<()> {
        if let Some(to) = &self.to {
            // The other side may have ended already: what it no longer reads is dropped.
            let _ = to.send(data.to_vec());
        }
        Ok(())
    }

    fn stderr(&mut self, data: &[u8]) -> io::Result<()> {
        let room = self.kept.saturating_sub(self.stderr.len());
        self.stderr.extend_from_slice(&data[..data.len().min(room)]);
        Ok(())
    }
}
