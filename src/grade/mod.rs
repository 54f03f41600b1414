//! Grading: run a compiled submission against test cases, each in a fresh sandbox, and give
//! online-judge verdicts from the engine's facts (OOM event, our timers, output counters, exit
//! code), never from the exit code alone.

pub mod case;
pub mod compare;
pub mod report;

use bollard::Docker;
use futures_util::StreamExt;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::plan::RunPlan;
use crate::sandbox::{self, Collected, Outcome, SandboxSpec};
use crate::workspace::Workspace;
use case::TestCase;
use compare::Compare;

/// Verdict codes, as online judges name them (and as they appear in reports).
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CaseVerdict {
    /// Accepted.
    AC,
    /// Wrong answer.
    WA,
    /// Time limit exceeded.
    TLE,
    /// Memory limit exceeded.
    MLE,
    /// Runtime error: non-zero exit (other than the expected one) or a signal.
    RE,
    /// Output limit exceeded.
    OLE,
    /// Compile error: no case ran.
    CE,
    /// Internal error: codecage or the engine failed; never blamed on the submission.
    IE,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub verdict: CaseVerdict,
    pub time_ms: u64,
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
    pub image: &'a str,
    pub plan: &'a RunPlan,
    pub workspace: &'a Workspace,
    pub compare: Compare,
    pub jobs: usize,
    pub labels: &'a [(String, String)],
    pub cancel: CancellationToken,
    /// Start no new case after the first failure.
    pub fail_fast: bool,
}

impl Grading<'_> {
    /// Run every case (at most `jobs` at once), calling `done` as each finishes. Results keep the
    /// cases' order; with `fail_fast`, cases not started after a failure are left out.
    pub async fn run(&self, cases: &[TestCase], done: impl Fn(&CaseResult)) -> Vec<CaseResult> {
        let tar = match self.workspace.to_tar() {
            Ok(tar) => tar,
            Err(e) => {
                return cases
                    .iter()
                    .map(|c| internal_error(c, &format!("{e:#}")))
                    .collect()
            }
        };
        let tar = &tar;
        let failed = &std::sync::atomic::AtomicBool::new(false);
        let mut results: Vec<(usize, CaseResult)> =
            futures_util::stream::iter(cases.iter().enumerate())
                .map(|(i, case)| async move {
                    if self.fail_fast && failed.load(std::sync::atomic::Ordering::SeqCst) {
                        return None;
                    }
                    let result = self.run_case(case, tar).await;
                    if result.verdict != CaseVerdict::AC {
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

    async fn run_case(&self, case: &TestCase, tar: &[u8]) -> CaseResult {
        let mut limits = self.plan.limits.clone();
        if let Err(e) = limits.apply(&case.limits) {
            return internal_error(case, &format!("{e:#}"));
        }
        let mut argv = self.plan.run_argv();
        argv.truncate(argv.len() - self.plan.args.len());
        argv.extend(case.args.iter().cloned());
        let spec = SandboxSpec {
            image: self.image.to_string(),
            argv,
            workspace_tar: tar.to_vec(),
            limits,
            tty: None,
            compile: false,
            labels: self.labels.to_vec(),
            trace: false,
            runtime: self.plan.profile.runtime.clone(),
        };
        let mut sink = Collected::default();
        let input = sandbox::fixed_input(case.stdin.clone());
        match crate::launch::run(self.docker, &spec, input, &mut sink, self.cancel.clone()).await {
            Ok(outcome) => judge(case, outcome, sink, case.compare.unwrap_or(self.compare)),
            Err(e) => internal_error(case, &format!("{e:#}")),
        }
    }
}

fn judge(case: &TestCase, outcome: Outcome, output: Collected, compare: Compare) -> CaseResult {
    use sandbox::Verdict as V;
    let (verdict, message) = match outcome.verdict() {
        V::Cancelled => (CaseVerdict::IE, Some("cancelled".to_string())),
        V::OutputLimit => (CaseVerdict::OLE, Some("output limit exceeded".to_string())),
        V::TimeLimit | V::IdleLimit => (CaseVerdict::TLE, Some("time limit exceeded".to_string())),
        V::MemoryLimit => (CaseVerdict::MLE, Some("memory limit exceeded".to_string())),
        V::Ok | V::RuntimeError => {
            let code = outcome.exit_code.unwrap_or(-1);
            if code != case.exit_code && code != 0 {
                let signal = if code > 128 {
                    format!(" (signal {})", code - 128)
                } else {
                    String::new()
                };
                (CaseVerdict::RE, Some(format!("exit status {code}{signal}")))
            } else if code != case.exit_code {
                (
                    CaseVerdict::WA,
                    Some(format!("exit status {code}, expected {}", case.exit_code)),
                )
            } else if case
                .stdout
                .as_ref()
                .is_some_and(|e| !compare.matches(e, &output.stdout))
            {
                (CaseVerdict::WA, Some("output differs".to_string()))
            } else {
                (CaseVerdict::AC, None)
            }
        }
    };
    CaseResult {
        name: case.name.clone(),
        verdict,
        time_ms: outcome.wall.as_millis() as u64,
        exit_code: outcome.exit_code,
        message,
        stdout: output.stdout,
        stderr: output.stderr,
        expected: case.stdout.clone(),
    }
}

fn internal_error(case: &TestCase, message: &str) -> CaseResult {
    CaseResult {
        name: case.name.clone(),
        verdict: CaseVerdict::IE,
        time_ms: 0,
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
        assert_eq!(v(&case("3\n", 0), exited(0), "3\n"), CaseVerdict::AC);
        assert_eq!(v(&case("3\n", 0), exited(0), "4\n"), CaseVerdict::WA);
        assert_eq!(v(&case("3\n", 0), exited(1), "3\n"), CaseVerdict::RE);
        assert_eq!(v(&case("3\n", 2), exited(2), "3\n"), CaseVerdict::AC);
        assert_eq!(v(&case("3\n", 2), exited(0), "3\n"), CaseVerdict::WA);
        let oom = Outcome {
            oom_killed: true,
            ..exited(0)
        };
        assert_eq!(v(&case("3\n", 0), oom, "3\n"), CaseVerdict::MLE);
        let tle = Outcome {
            timed_out: true,
            ..exited(137)
        };
        assert_eq!(v(&case("3\n", 0), tle, ""), CaseVerdict::TLE);
        let ole = Outcome {
            output_exceeded: true,
            ..exited(137)
        };
        assert_eq!(v(&case("3\n", 0), ole, ""), CaseVerdict::OLE);
    }
}
