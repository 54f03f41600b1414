//! Grading one compiled submission: at most `jobs` cases at once, each in a fresh process of a
//! judge box its worker slot keeps (or, with `CaseMode::ContainerPerCase`, a fresh container),
//! each verdict from the sandbox's facts and then from the output (or a checker, or an
//! interactor). A case during which a box broke is run again once, in containers of its own.

use bollard::Docker;
use tokio_util::sync::CancellationToken;

use super::case_result::{CaseLimits, CaseResult};
use super::compare::Compare;
use super::exit_message::exit_message;
use super::interactive;
use super::judge_program::JudgeProgram;
use super::lane::{CaseMode, Slot};
use super::test_case::TestCase;
use crate::plan::RunPlan;
use crate::prepare::Ready;
use crate::sandbox::{self, Collected, Outcome};
use crate::verdict::Verdict;

/// Everything to grade one submission after it compiled.
pub struct Grading<'a> {
    pub docker: &'a Docker,
    pub plan: &'a RunPlan,
    /// The compiled program.
    pub ready: &'a Ready,
    pub compare: Compare,
    /// A custom checker instead of `compare`; with an interactor that keeps its output file
    /// (Polygon's), the checker of that file once the interactor accepted.
    pub checker: Option<&'a JudgeProgram>,
    /// An interactor that talks with the program (interactive problems).
    pub interactor: Option<&'a JudgeProgram>,
    /// With an interactor and no checker: the comparison of its output file with the answer.
    pub interaction_compare: Option<Compare>,
    pub jobs: usize,
    pub cancel: CancellationToken,
    /// Start no new case after the first failure.
    pub fail_fast: bool,
    /// Judge boxes, or a container per case.
    pub mode: CaseMode,
    /// Say why boxes cannot be used, when they cannot (`-v`).
    pub verbose: bool,
}

impl Grading<'_> {
    /// Run every case (at most `jobs` at once), calling `done` as each finishes. Results keep the
    /// cases' order; with `fail_fast`, cases not started after a failure are left out.
    pub async fn run(&self, cases: &[TestCase], done: impl Fn(&CaseResult)) -> Vec<CaseResult> {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let failed = &AtomicBool::new(false);
        let next = &AtomicUsize::new(0);
        let results = &std::sync::Mutex::new(Vec::with_capacity(cases.len()));
        let done = &done;
        // Each worker keeps its slot's boxes for the whole submission, and takes the next case
        // when it is free.
        let worker = || async move {
            let mut slot = Slot::new(self.docker, self.mode, self.verbose);
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(i) else { break };
                if self.fail_fast && failed.load(Ordering::SeqCst) {
                    break;
                }
                let result = self.run_case_once_more_if_broken(case, &mut slot).await;
                if !result.verdict.is_accepted() {
                    failed.store(true, Ordering::SeqCst);
                }
                done(&result);
                results.lock().expect("no worker panics").push((i, result));
            }
            slot.close().await;
        };
        let workers = self.jobs.clamp(1, cases.len().max(1));
        futures_util::future::join_all((0..workers).map(|_| worker())).await;
        let mut results = std::mem::take(&mut *results.lock().expect("no worker panics"));
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    }

    /// A case, and once more if a box broke while it ran (whatever it gave then is not to be
    /// trusted): that time each program runs in a container of its own, where no launcher can
    /// break, so its verdict is final. The slot's boxes are fresh for the case after.
    async fn run_case_once_more_if_broken(&self, case: &TestCase, slot: &mut Slot) -> CaseResult {
        let result = self.run_case(case, slot).await;
        if slot.take_breakage().is_none() || self.cancel.is_cancelled() {
            return result;
        }
        slot.next_case_in_containers();
        self.run_case(case, slot).await
    }

    async fn run_case(&self, case: &TestCase, slot: &mut Slot) -> CaseResult {
        let mut spec = self.ready.spec(self.plan);
        if let Err(e) = spec.limits.apply(&case.limits) {
            return CaseResult::failed(&case.name, Verdict::InternalError, Some(format!("{e:#}")));
        }
        if case.limits.time.is_some() && spec.limits.cpu_time.is_some() {
            // A case's own time limit is a CPU-time limit too, with its own backstop.
            spec.limits.judge_by_cpu_time(None);
        }
        // A server's maxima hold for a case's own limits as for the submission's.
        if let Some(max) = &self.plan.ceiling {
            spec.limits.clamp_to(max);
        }
        // The case's arguments instead of the plan's.
        spec.argv.truncate(spec.argv.len() - self.plan.args.len());
        spec.argv.extend(case.args.iter().cloned());
        let limits = Some(CaseLimits::from(&spec.limits));
        if let Some(interactor) = self.interactor {
            let result = self.run_interactive(case, &spec, interactor, slot).await;
            return CaseResult { limits, ..result };
        }
        let mut sink = Collected::default();
        let input = sandbox::fixed_input(case.stdin.clone());
        let outcome = match slot
            .submission
            .run(&spec, input, &mut sink, self.cancel.clone())
            .await
        {
            Ok(outcome) => outcome,
            Err(e) => {
                return CaseResult::failed(
                    &case.name,
                    Verdict::InternalError,
                    Some(format!("{e:#}")),
                )
            }
        };
        // A checker reads the output instead of a comparison.
        let compare = match self.checker {
            Some(_) => None,
            None => Some(case.compare.unwrap_or(self.compare)),
        };
        let mut result = judge(case, &outcome, sink, compare);
        if let Some(checker) = self.checker {
            if result.verdict == Verdict::Accepted && case.stdout.is_some() {
                let judgement = checker
                    .check(&mut slot.judge, case, &result.stdout, self.cancel.clone())
                    .await;
                result.apply(judgement);
            }
        }
        CaseResult { limits, ..result }
    }

    async fn run_interactive(
        &self,
        case: &TestCase,
        spec: &sandbox::SandboxSpec,
        interactor: &JudgeProgram,
        slot: &mut Slot,
    ) -> CaseResult {
        let exchange =
            interactive::exchange(slot, spec, interactor, case, self.cancel.clone()).await;
        let (verdict, message) = if self.cancel.is_cancelled() {
            (Verdict::Cancelled, None)
        } else {
            interactive::decide(&exchange)
        };
        let mut result = match &exchange.submission {
            Ok(outcome) => CaseResult::ran(case, outcome, verdict, message),
            Err(_) => CaseResult {
                group: case.group.clone(),
                ..CaseResult::failed(&case.name, verdict, message)
            },
        };
        result.stderr = exchange.submission_stderr;
        result.take_scores(&exchange.judgement);
        // Polygon's order: the interactor's verdict first (a rejection, a failure or its points
        // are final), then, when it accepted a submission that ended cleanly, the checker on
        // what the interactor wrote, as the output.
        let clean = result.verdict == Verdict::Accepted && exchange.judgement.share.is_none();
        if clean && interactor.keeps_output() && !self.cancel.is_cancelled() {
            let tout = &exchange.interactor_output;
            if let Some(checker) = self.checker {
                // testlib's checker opens its answer file whatever the problem: an interactive
                // case without one gets an empty file.
                let mut case = case.clone();
                case.stdout.get_or_insert_with(Vec::new);
                let judgement = checker
                    .check(&mut slot.judge, &case, tout, self.cancel.clone())
                    .await;
                result.apply(judgement);
            } else if let Some(compare) = self.interaction_compare {
                let expected = case.stdout.as_deref().unwrap_or_default();
                if !case.compare.unwrap_or(compare).matches(expected, tout) {
                    result.verdict = Verdict::WrongAnswer;
                    result.message = Some(format!(
                        "{} (checker: the interactor's output differs from the answer)",
                        Verdict::WrongAnswer.description()
                    ));
                    result.score = None;
                    // The interactor's words were about a conversation it accepted.
                    result.feedback = None;
                }
            }
        }
        result
    }
}

/// The verdict from the sandbox's facts, then (with `compare`) from the output.
fn judge(
    case: &TestCase,
    outcome: &Outcome,
    output: Collected,
    compare: Option<Compare>,
) -> CaseResult {
    let (verdict, message) = match outcome.verdict() {
        Verdict::Accepted | Verdict::RuntimeError => judge_exited(case, outcome, &output, compare),
        limit => (limit, Some(limit.description().to_string())),
    };
    let mut result = CaseResult {
        expected: case.stdout.clone(),
        ..CaseResult::ran(case, outcome, verdict, message)
    };
    if let (Verdict::WrongAnswer, Some(Compare::LineCount), Some(expected)) =
        (verdict, compare, &case.stdout)
    {
        line_credit(&mut result, expected, &output.stdout);
    }
    CaseResult {
        stdout: output.stdout,
        stderr: output.stderr,
        ..result
    }
}

/// DMOJ's `linecount` credits each answer line the output got right: a case with some (but not
/// all) of them is accepted with that share of its points, as codecage shows every DMOJ partial
/// (DMOJ itself names it a wrong answer worth those points), and the feedback marks each line.
/// Only an output that differs is looked at again: a wrong exit status is not credited.
fn line_credit(result: &mut CaseResult, expected: &[u8], stdout: &[u8]) {
    if result.message.as_deref() != Some(OUTPUT_DIFFERS) {
        return;
    }
    let lines = super::compare_dmoj::linecount(expected, stdout);
    let share = lines.share();
    // More lines than the answer is rejected outright, with no marks (as DMOJ does).
    result.feedback = Some(lines.feedback()).filter(|f| !f.is_empty() && !lines.too_many);
    if share > 0.0 {
        result.verdict = Verdict::Accepted;
        result.message = None;
        result.score = Some(share);
    }
}

/// The message of a case whose output the comparison rejected.
const OUTPUT_DIFFERS: &str = "output differs";

/// A program that ended on its own: its exit status, then its output.
fn judge_exited(
    case: &TestCase,
    outcome: &Outcome,
    output: &Collected,
    compare: Option<Compare>,
) -> (Verdict, Option<String>) {
    let code = outcome.exit_code.unwrap_or(-1);
    if code != case.exit_code && code != 0 {
        (Verdict::RuntimeError, Some(exit_message(outcome)))
    } else if code != case.exit_code {
        (
            Verdict::WrongAnswer,
            Some(format!("exit status {code}, expected {}", case.exit_code)),
        )
    } else if let Some((expected, compare)) = case
        .stdout
        .as_ref()
        .zip(compare)
        .filter(|(expected, compare)| !compare.matches(expected, &output.stdout))
    {
        // The Kattis default validator says where, as judges' feedback does; the other modes
        // leave that to the diff of the first failure.
        let why = match compare {
            Compare::Kattis(_) => compare.explain(expected, &output.stdout),
            _ => None,
        };
        (
            Verdict::WrongAnswer,
            Some(why.unwrap_or_else(|| OUTPUT_DIFFERS.to_string())),
        )
    } else {
        (Verdict::Accepted, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn case(expected: &str, exit_code: i64) -> TestCase {
        TestCase {
            name: "c".into(),
            stdin: vec![],
            args: vec![],
            stdout: Some(expected.as_bytes().to_vec()),
            exit_code,
            limits: Default::default(),
            compare: None,
            group: None,
            judge_args: Vec::new(),
        }
    }

    fn out(stdout: &str) -> Collected {
        Collected {
            stdout: stdout.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    fn exited(code: i64) -> Outcome {
        Outcome {
            exit_code: Some(code),
            wall: Duration::from_millis(5),
            ..Default::default()
        }
    }

    #[test]
    fn verdicts_from_facts() {
        let v =
            |c: &TestCase, o: Outcome, s: &str| judge(c, &o, out(s), Some(Compare::Lines)).verdict;
        assert_eq!(v(&case("3\n", 0), exited(0), "3\n"), Verdict::Accepted);
        assert_eq!(v(&case("3\n", 0), exited(0), "4\n"), Verdict::WrongAnswer);
        assert_eq!(v(&case("3\n", 0), exited(1), "3\n"), Verdict::RuntimeError);
        assert_eq!(v(&case("3\n", 2), exited(2), "3\n"), Verdict::Accepted);
        assert_eq!(v(&case("3\n", 2), exited(0), "3\n"), Verdict::WrongAnswer);
        let oom = Outcome {
            oom_killed: true,
            ..exited(0)
        };
        assert_eq!(v(&case("3\n", 0), oom, "3\n"), Verdict::MemoryLimit);
        let tle = Outcome {
            timed_out: true,
            ..exited(137)
        };
        assert_eq!(v(&case("3\n", 0), tle, ""), Verdict::TimeLimit);
        let ole = Outcome {
            output_exceeded: true,
            ..exited(137)
        };
        assert_eq!(v(&case("3\n", 0), ole, ""), Verdict::OutputLimit);
    }

    #[test]
    fn linecount_credits_lines_only_of_an_output_that_differs() {
        let j = |c: &TestCase, o: Outcome, s: &str| {
            let r = judge(c, &o, out(s), Some(Compare::LineCount));
            (r.verdict, r.score)
        };
        let two = case("1\n2\n", 0);
        assert_eq!(j(&two, exited(0), "1\n2\n"), (Verdict::Accepted, Some(1.0)));
        assert_eq!(j(&two, exited(0), "1\n3\n"), (Verdict::Accepted, Some(0.5)));
        assert_eq!(j(&two, exited(0), "0\n3\n"), (Verdict::WrongAnswer, None));
        assert_eq!(j(&two, exited(1), "1\n3\n"), (Verdict::RuntimeError, None));
        assert_eq!(
            j(&case("1\n2\n", 2), exited(0), "1\n3\n").0,
            Verdict::WrongAnswer
        );
    }
}
