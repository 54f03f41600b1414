//! A problem package turned into what the grader runs: its cases read into memory, its output
//! validator as a Kattis-convention judge program (a checker, or the interactor of an
//! interactive problem), its limits as overrides, and its scoring applied to the results.
//! `package` only reads files; this is where a package meets sandboxes.

use std::collections::HashMap;

use anyhow::{Context, Result};

use super::case_result::CaseResult;
use super::compare::Compare;
use super::judge_plan::{JudgePlan, JudgeSource};
use super::judge_program::{Convention, Role};
use super::package::scoring::{self, CaseOutcome};
use super::package::{Aggregation, Kind, Problem, Validator};
use super::score::{GroupScore, Scores};
use super::test_case::TestCase;
use crate::limits::LimitOverrides;
use crate::plan::CompileChoice;
use crate::profile::Profiles;
use crate::verdict::Verdict;

/// The package's cases, in judging order (samples first).
pub fn cases(problem: &Problem) -> Result<Vec<TestCase>> {
    problem
        .cases
        .iter()
        .map(|c| {
            let read = |path: &std::path::Path| {
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
            };
            let (stdin, stdout) = match &c.data {
                Some(data) => (data.input.clone(), Some(data.answer.clone())),
                None => (read(&c.input)?, c.answer.as_deref().map(read).transpose()?),
            };
            Ok(TestCase {
                name: c.name.clone(),
                stdin,
                args: Vec::new(),
                stdout,
                exit_code: 0,
                limits: LimitOverrides::default(),
                compare: c.compare,
                group: Some(c.group.clone()),
                judge_args: c.validator_flags.clone(),
            })
        })
        .collect()
}

/// The comparison for cases without their own (the default validator without flags).
pub fn default_compare(problem: &Problem) -> Compare {
    match &problem.validator {
        Validator::Default(compare) => *compare,
        Validator::Custom { .. } | Validator::Testlib { .. } | Validator::Bridged { .. } => {
            Compare::Lines
        }
    }
}

/// The package's own judge programs, planned like any program (their language from their files),
/// to be built once: its output validator (the interactor of an interactive problem, else a
/// checker), and the checker of what a Polygon interactor wrote.
pub fn judge_plans(
    problem: &Problem,
    profiles: &Profiles,
    compile: &CompileChoice,
) -> Result<Vec<JudgePlan>> {
    let role = if problem.interactive {
        Role::Interactor
    } else {
        Role::Checker
    };
    let mut plans: Vec<JudgePlan> = validator_plan(&problem.validator, role, profiles, compile)
        .context("the package's output validator")?
        .into_iter()
        .collect();
    if let Some(checker) = &problem.interaction_checker {
        let plan = validator_plan(checker, Role::Checker, profiles, compile)
            .context("the package's checker")?;
        plans.extend(plan);
    }
    Ok(plans)
}

/// The comparison that stands for the checker of what the interactor wrote, when the package's
/// checker is a built-in one (Polygon's `std::wcmp.cpp` without its source).
pub fn interaction_compare(problem: &Problem) -> Option<Compare> {
    match &problem.interaction_checker {
        Some(Validator::Default(compare)) => Some(*compare),
        _ => None,
    }
}

/// One judge program of the package, in `role` (`None` for a built-in comparison).
fn validator_plan(
    validator: &Validator,
    role: Role,
    profiles: &Profiles,
    compile: &CompileChoice,
) -> Result<Option<JudgePlan>> {
    let plan = match validator {
        Validator::Default(_) => return Ok(None),
        // A directory as itself, so its layout (subfolders, headers) is kept, from its entry point.
        Validator::Custom {
            program,
            main,
            flags,
        } => JudgePlan::new(
            JudgeSource {
                files: vec![program.clone()],
                main: main.clone(),
                lang: None,
            },
            role,
            Convention::Kattis,
            flags.clone(),
            profiles,
            compile,
        ),
        // The source first (the entry point), its headers beside it by their names.
        Validator::Testlib { source, with } => JudgePlan::new(
            JudgeSource::files(std::iter::once(source).chain(with).cloned().collect()),
            role,
            Convention::Testlib,
            Vec::new(),
            profiles,
            compile,
        ),
        Validator::Bridged {
            files,
            lang,
            convention,
            args,
        } => JudgePlan::new(
            JudgeSource {
                files: files.clone(),
                main: None,
                lang: lang.clone(),
            },
            role,
            *convention,
            args.clone(),
            profiles,
            compile,
        ),
    };
    plan.map(Some)
}

/// Memory for a package that sets none: the format's "typical system default" (`limits.memory`,
/// 2048 MiB in legacy and 2023-07-draft alike), not codecage's own smaller one.
pub const DEFAULT_MEMORY: u64 = 2048 << 20;
/// Output for a package that sets none: the format's typical default (`limits.output`, 8 MiB).
pub const DEFAULT_OUTPUT: u64 = 8 << 20;
/// Output of an interactive problem that sets none: the submission's side of the conversation
/// counts, as in `codecage test --interactor`.
pub const DEFAULT_INTERACTIVE_OUTPUT: u64 = 64 << 20;

/// The package's memory and output limits as overrides, the format's defaults where it sets none
/// (its time limit is the caller's choice: given, or derived from the accepted submissions).
pub fn limit_overrides(problem: &Problem) -> LimitOverrides {
    let output = if problem.interactive {
        DEFAULT_INTERACTIVE_OUTPUT
    } else {
        DEFAULT_OUTPUT
    };
    LimitOverrides {
        memory: Some(
            problem
                .limits
                .memory_bytes
                .unwrap_or(DEFAULT_MEMORY)
                .to_string(),
        ),
        output: Some(problem.limits.output_bytes.unwrap_or(output).to_string()),
        ..LimitOverrides::default()
    }
}

/// "pass-fail", "scoring", "interactive" or "interactive scoring".
pub fn type_name(problem: &Problem) -> &'static str {
    match (problem.interactive, problem.kind) {
        (false, Kind::PassFail) => "pass-fail",
        (false, Kind::Scoring) => "scoring",
        (true, Kind::PassFail) => "interactive",
        (true, Kind::Scoring) => "interactive scoring",
    }
}

/// A scoring problem's scores, as the package's format computes them; each case's `score`
/// becomes the points it earned. `None` for pass-fail problems.
pub fn scores(problem: &Problem, results: &mut [CaseResult]) -> Option<Scores> {
    bridged_points_within_cases(problem, results);
    let outcome = |name: &str, results: &[CaseResult]| {
        results
            .iter()
            .find(|r| r.name == name)
            .map(|r| CaseOutcome {
                accepted: r.verdict.is_accepted(),
                score: r.judge_scores.0,
                // A testlib checker's partial credit (`quitp`) is a share of the case's points,
                // as a Kattis validator's `score_multiplier.txt` is.
                score_multiplier: r.judge_scores.1.or(r.score.filter(|s| *s < 1.0)),
            })
    };
    let graded = scoring::grade(problem, |case| outcome(&case.name, results))?;
    for case in &problem.cases {
        if let Some(o) = outcome(&case.name, results) {
            let points = scoring::case_score(problem, case, &o);
            if let Some(r) = results.iter_mut().find(|r| r.name == case.name) {
                r.score = Some(points);
            }
        }
    }
    let by_group = |name: &str| {
        let prefix = format!("{name}/");
        results
            .iter()
            .filter(|r| r.name.starts_with(&prefix))
            .collect::<Vec<_>>()
    };
    let aggregation: HashMap<&str, Aggregation> = problem
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.aggregation))
        .collect();
    let passed: HashMap<&str, bool> = graded
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.passed))
        .collect();
    // The groups a group requires that did not pass: why a group that passed scores nothing.
    let unmet = |name: &str| -> Vec<String> {
        let spec = problem.group(name);
        let requires = spec.map(|g| g.depends_on.as_slice()).unwrap_or_default();
        requires
            .iter()
            .filter(|d| passed.get(d.as_str()) == Some(&false))
            .cloned()
            .collect()
    };
    let groups = graded
        .groups
        .iter()
        .map(|g| {
            let members = by_group(&g.name);
            GroupScore {
                name: g.name.clone(),
                score: g.score,
                max_score: g.max.unwrap_or(g.score),
                aggregation: aggregation
                    .get(g.name.as_str())
                    .map_or("sum", |a| aggregation_name(*a))
                    .to_string(),
                verdict: members
                    .iter()
                    .map(|r| r.verdict)
                    .find(|v| !v.is_accepted())
                    .unwrap_or(Verdict::Accepted),
                passed: members.iter().filter(|r| r.verdict.is_accepted()).count(),
                total: members.len(),
                unmet: unmet(&g.name),
            }
        })
        .collect();
    Some(Scores {
        score: graded.total,
        max_score: graded.max.unwrap_or(graded.total),
        groups,
    })
}

/// A DMOJ `testlib` checker's points are absolute, and DMOJ refuses more than the case is worth
/// (a batch's case: the batch's points) as the checker's failure. The checker cannot be told the
/// case's value, so the bound is checked here, where it is known.
fn bridged_points_within_cases(problem: &Problem, results: &mut [CaseResult]) {
    if !matches!(problem.validator, Validator::Bridged { .. }) {
        return;
    }
    for case in &problem.cases {
        let Some(r) = results.iter_mut().find(|r| r.name == case.name) else {
            continue;
        };
        let (Some(points), Some(max)) = (r.judge_scores.0, scoring::case_max_score(problem, case))
        else {
            continue;
        };
        if points > max + 1e-9 {
            r.verdict = Verdict::InternalError;
            r.feedback = Some(format!(
                "the checker gave {points} points, more than the case's {max}"
            ));
            r.judge_scores = (None, None);
            r.score = None;
        }
    }
}

fn aggregation_name(a: Aggregation) -> &'static str {
    match a {
        Aggregation::PassFail => "pass-fail",
        Aggregation::Sum => "sum",
        Aggregation::Min => "min",
        Aggregation::Max => "max",
        Aggregation::Avg => "avg",
    }
}
