//! Grading: run a compiled submission against test cases, each in a fresh sandbox, and give
//! online-judge verdicts from the engine's facts (OOM event, our timers, output counters, exit
//! code), never from the exit code alone.

pub mod case;
pub mod compare;
pub mod package;
pub mod report;

use bollard::Docker;
use futures_util::StreamExt;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::plan::RunPlan;
use crate::prepare::Ready;
use crate::sandbox::{self, Collected, Outcome};
pub use crate::verdict::Verdict;
use case::TestCase;
use compare::Compare;

#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub verdict: Verdict,
    pub time_ms: u64,
    /// CPU time from the sandbox's cgroup (None when not measurable here).
    pub cpu_ms: Option<u64>,
    /// Peak memory from the sandbox's cgroup (None when not measurable here).
    pub memory_bytes: Option<u64>,
    pub exit_code: Option<i64>,
    /// A short explanation for anything but AC.
    pub message: Option<String>,
    #[serde(skip)]
    pub stdout: Vec<u8>,
    #[serde(skip)]
    pub stderr: Vec<u8>,
    #[serde(skip)]
    pub expected: Option<Vec<u8>>,
}

/// Everything to grade one submission after it compiled.
pub struct Grading<'a> {
    pub docker: &'a Docker,
    pub plan: &'a RunPlan,
    /// The compiled program.
    pub ready: &'a Ready,
    pub compare: Compare,
    pub jobs: usize,
    pub cancel: CancellationToken,
    /// Start no new case after the first failure.
    pub fail_fast: bool,
}

impl Grading<'_> {
    /// Run every case (at most `jobs` at once), calling `done` as each finishes. Results keep the
    /// cases' order; with `fail_fast`, cases not started after a failure are left out.
    pub async fn run(&self, cases: &[TestCase], done: impl Fn(&CaseResult)) -> Vec<CaseResult> {
        let failed = &std::sync::atomic::AtomicBool::new(false);
        let mut results: Vec<(usize, CaseResult)> =
            futures_util::stream::iter(cases.iter().enumerate())
                .map(|(i, case)| async move {
                    if self.fail_fast && failed.load(std::sync::atomic::Ordering::SeqCst) {
                        return None;
                    }
                    let result = self.run_case(case).await;
                    if !result.verdict.is_accepted() {
                        failed.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                    Some((i, result))
                })
                .buffer_unordered(self.jobs.max(1))
                .filter_map(|r| async move { r })
                .inspect(|(_, r)| done(r))
                .collect()
                .await;
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    }

    async fn run_case(&self, case: &TestCase) -> CaseResult {
        let mut spec = self.ready.spec(self.plan);
        if let Err(e) = spec.limits.apply(&case.limits) {
            return internal_error(case, &format!("{e:#}"));
        }
        if case.limits.time.is_some() && spec.limits.cpu_time.is_some() {
            // A case's own time limit is a CPU-time limit too, with its own backstop.
            spec.limits.judge_by_cpu_time(None);
        }
        // The case's arguments instead of the plan's.
        spec.argv.truncate(spec.argv.len() - self.plan.args.len());
        spec.argv.extend(case.args.iter().cloned());
        let mut sink = Collected::default();
        let input = sandbox::fixed_input(case.stdin.clone());
        match crate::launch::run(self.docker, &spec, input, &mut sink, self.cancel.clone()).await {
            Ok(outcome) => judge(case, outcome, sink, case.compare.unwrap_or(self.compare)),
            Err(e) => internal_error(case, &format!("{e:#}")),
        }
    }
}

fn judge(case: &TestCase, outcome: Outcome, output: Collected, compare: Compare) -> CaseResult {
    let (verdict, message) = match outcome.verdict() {
        Verdict::Accepted | Verdict::RuntimeError => judge_exited(case, &outcome, &output, compare),
        limit => (limit, Some(limit.description().to_string())),
    };
    CaseResult {
        name: case.name.clone(),
        verdict,
        time_ms: outcome.wall.as_millis() as u64,
        cpu_ms: outcome.cpu_ms(),
        memory_bytes: outcome.memory_peak,
        exit_code: outcome.exit_code,
        message,
        stdout: output.stdout,
        stderr: output.stderr,
        expected: case.stdout.clone(),
    }
}

/// A program that ended on its own: its exit status, then its output.
fn judge_exited(
    case: &TestCase,
    outcome: &Outcome,
    output: &Collected,
    compare: Compare,
) -> (Verdict, Option<String>) {
    let code = outcome.exit_code.unwrap_or(-1);
    if code != case.exit_code && code != 0 {
        let signal = outcome
            .signal()
            .map_or(String::new(), |n| format!(" (signal {n})"));
        (
            Verdict::RuntimeError,
            Some(format!("exit status {code}{signal}")),
        )
    } else if code != case.exit_code {
        (
            Verdict::WrongAnswer,
            Some(format!("exit status {code}, expected {}", case.exit_code)),
        )
    } else if case
        .stdout
        .as_ref()
        .is_some_and(|e| !compare.matches(e, &output.stdout))
    {
        (Verdict::WrongAnswer, Some("output differs".to_string()))
    } else {
        (Verdict::Accepted, None)
    }
}

fn internal_error(case: &TestCase, message: &str) -> CaseResult {
    CaseResult {
        name: case.name.clone(),
        verdict: Verdict::InternalError,
        time_ms: 0,
        cpu_ms: None,
        memory_bytes: None,
        exit_code: None,
        message: Some(message.to_string()),
        stdout: Vec::new(),
        stderr: Vec::new(),
        expected: case.stdout.clone(),
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
        let v = |c: &TestCase, o: Outcome, s: &str| judge(c, o, out(s), Compare::Lines).verdict;
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
}
