//! Grading whole submissions, as `test` and `verify` both do: the judge programs built once, then
//! for each submission its prepare step (compile once) and every case, into one report.

use anyhow::Result;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use super::case_result::CaseResult;
use super::compare::Compare;
use super::grading::Grading;
pub use super::judge_plan::{JudgePlan, JudgeSource};
use super::judge_program::{BuildFailure, JudgeProgram, Role};
use super::lane::CaseMode;
use super::package;
use super::report::Report;
use super::score::{self, Group};
use super::test_case::TestCase;
use crate::plan::RunPlan;
use crate::prepare::{prepare, Prepared};
use crate::sandbox::Collected;
use crate::verdict::Verdict;

/// The judge programs of a problem, built (or failed to build) once for every submission.
#[derive(Default)]
pub struct Judges {
    pub checker: Option<JudgeProgram>,
    pub interactor: Option<JudgeProgram>,
    /// With an interactor: the comparison of what it wrote to its output file with the answer,
    /// standing for a checker (Polygon's `std::wcmp.cpp` without its source).
    pub interaction_compare: Option<Compare>,
    /// A judge program that did not build: every case of every submission is an internal error.
    pub failure: Option<BuildFailure>,
}

impl Judges {
    /// Build each judge program once.
    pub async fn build(
        docker: &Docker,
        plans: Vec<JudgePlan>,
        verbose: bool,
        cancel: &CancellationToken,
    ) -> Result<Judges> {
        let mut judges = Judges::default();
        for p in plans {
            let built = JudgeProgram::build(
                docker,
                p.plan,
                p.role,
                p.convention,
                p.flags,
                verbose,
                cancel.clone(),
            )
            .await?;
            match (built, p.role) {
                (Ok(program), Role::Checker) => judges.checker = Some(program),
                (Ok(program), Role::Interactor) => judges.interactor = Some(program),
                (Err(failure), _) => judges.failure = Some(failure),
            }
        }
        // Both (a Polygon package's): the checker reads what the interactor wrote.
        if judges.checker.is_some() {
            if let Some(interactor) = &mut judges.interactor {
                interactor.keep_output();
            }
        }
        Ok(judges)
    }

    /// Compare what the interactor writes to its output file with each case's answer, with
    /// `compare` (`None`: leave the interactor's verdict final).
    pub fn compare_interactor_output(&mut self, compare: Option<Compare>) {
        self.interaction_compare = compare;
        if let (Some(_), Some(interactor)) = (compare, &mut self.interactor) {
            interactor.keep_output();
        }
    }
}

/// How a submission's results make its score.
#[derive(Clone, Copy)]
pub enum Scoring<'a> {
    /// Scoring groups of a suite file (none: one point per case).
    Groups(&'a [Group]),
    /// A problem package's own rules.
    Package(&'a package::Problem),
}

/// What every submission is graded against.
pub struct Problem<'a> {
    pub cases: &'a [TestCase],
    pub scoring: Scoring<'a>,
    pub compare: Compare,
    pub judges: &'a Judges,
}

/// How submissions are graded.
pub struct Grader<'a> {
    pub docker: &'a Docker,
    pub problem: Problem<'a>,
    pub jobs: usize,
    pub fail_fast: bool,
    /// Draw a progress bar per submission (on a terminal).
    pub progress: bool,
    /// Say on stderr whether each compile was a cache hit or miss (`-v`).
    pub verbose: bool,
    pub cancel: CancellationToken,
    /// Judge boxes, or a container per case.
    pub mode: CaseMode,
}

impl Grader<'_> {
    /// Compile `plan` once and run every case; a compile error or a judge program that did not
    /// build gives every case that verdict.
    pub async fn grade(&self, solution: String, plan: &RunPlan) -> Result<Report> {
        let cases = self.problem.cases;
        let language = plan.profile.name.clone();
        if let Some(failure) = &self.problem.judges.failure {
            let results = every_case(cases, Verdict::InternalError, &failure.reason);
            return Ok(self.report(solution, language, results, 0, None));
        }
        let mut diagnostics = Collected::default();
        let prepared = prepare(
            self.docker,
            plan,
            &mut diagnostics,
            self.verbose,
            self.cancel.clone(),
        )
        .await?;
        Ok(match prepared {
            Prepared::Ready(ready) => {
                let bar = self.progress.then(|| {
                    crate::progress::bar(
                        cases.len() as u64,
                        &format!("testing {}", crate::escape::line(&solution)),
                    )
                });
                let grading = Grading {
                    docker: self.docker,
                    plan,
                    ready: &ready,
                    compare: self.problem.compare,
                    checker: self.problem.judges.checker.as_ref(),
                    interactor: self.problem.judges.interactor.as_ref(),
                    interaction_compare: self.problem.judges.interaction_compare,
                    jobs: self.jobs,
                    cancel: self.cancel.clone(),
                    fail_fast: self.fail_fast,
                    mode: self.mode,
                    verbose: self.verbose,
                };
                let results = grading
                    .run(cases, |_| {
                        if let Some(bar) = &bar {
                            bar.inc(1)
                        }
                    })
                    .await;
                if let Some(bar) = bar {
                    bar.finish_and_clear();
                }
                let skipped = cases.len() - results.len();
                self.report(solution, language, results, skipped, None)
            }
            Prepared::CompileFailed(failure) => {
                let results = every_case(cases, failure.verdict(), &failure.reason);
                let diagnostics = compile_output(&diagnostics.output, &failure.reason);
                self.report(solution, language, results, 0, Some(diagnostics))
            }
        })
    }

    fn report(
        &self,
        solution: String,
        language: String,
        mut results: Vec<CaseResult>,
        skipped: usize,
        compile_output: Option<String>,
    ) -> Report {
        let cases = self.problem.cases;
        let scores = match self.problem.scoring {
            Scoring::Groups(groups) => score::score(groups, cases, &results),
            Scoring::Package(problem) => super::from_package::scores(problem, &mut results)
                .unwrap_or_else(|| score::score(&[], cases, &results)),
        };
        Report::new(solution, language, results, skipped, compile_output).with_scores(scores)
    }
}

/// A failed compile's output as reports carry it: the compiler's own words, then the reason as
/// stderr says it when a limit stopped the compiler or it said nothing (a compiler killed at its
/// memory limit often prints nothing; the report's `compile_output` was then empty).
fn compile_output(diagnostics: &[u8], reason: &str) -> String {
    let mut text = String::from_utf8_lossy(diagnostics).into_owned();
    let limit_hit = reason != "compilation failed";
    if limit_hit || text.trim().is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("codecage: ");
        text.push_str(reason);
        text.push('\n');
    }
    text
}

/// The same verdict for every case: the program never ran.
fn every_case(cases: &[TestCase], verdict: Verdict, reason: &str) -> Vec<CaseResult> {
    cases
        .iter()
        .map(|c| CaseResult {
            group: c.group.clone(),
            ..CaseResult::failed(&c.name, verdict, Some(reason.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::compile_output;

    #[test]
    fn a_compile_stopped_by_a_limit_says_so_in_its_output() {
        assert_eq!(
            compile_output(b"", "compilation failed (memory limit exceeded: 256 MiB)"),
            "codecage: compilation failed (memory limit exceeded: 256 MiB)\n"
        );
        assert_eq!(
            compile_output(
                b"cc1plus: killed",
                "compilation failed (time limit exceeded: 10s)"
            ),
            "cc1plus: killed\ncodecage: compilation failed (time limit exceeded: 10s)\n"
        );
        // A plain compile error is the compiler's words alone, unless it said nothing.
        assert_eq!(
            compile_output(b"a.c:1: error\n", "compilation failed"),
            "a.c:1: error\n"
        );
        assert_eq!(
            compile_output(b"", "compilation failed"),
            "codecage: compilation failed\n"
        );
    }
}
