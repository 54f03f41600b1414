//! Scores of scoring problems, computed the way each format's specification (and problemtools,
//! the reference judge) says, from per-case results the caller gathered: was the case accepted,
//! and what did the validator write to `score.txt` (or, 2023, `score_multiplier.txt`).
//!
//! # Legacy
//!
//! - A case scores `score.txt` (an absolute score) when the validator wrote one for an accepted
//!   case (`validation: custom score`); otherwise `accept_score` (default 1) when accepted and
//!   `reject_score` (default 0) when not. These keys come from the nearest `testdata.yaml`.
//! - A group's score applies its grader flags' mode to its items' scores, cases first then
//!   subgroups: `sum` (default), `min`, `max` or `avg`; no items score 0. With `on_reject: break`
//!   (the default) the first rejected item ends the group: later items are not judged and do
//!   not count, rejected item included.
//! - The total is the root `data/` group's score over `sample` then `secret`, so **samples
//!   count** (1 point per accepted case by default) unless the root's `grader_flags` has
//!   `ignore_sample`, which makes the total `secret`'s alone. Verdicts are separate: a group is
//!   accepted only when every item is (any item with `accept_if_any_accepted`, always with
//!   `always_accept`). `range` is a check, never a clamp.
//!
//! # 2023-07-draft
//!
//! - Only `secret` and its subgroups score; samples must pass but are worth nothing.
//! - Each group has a maximum score: `scoring.score` in its `test_group.yaml`, 100 for
//!   `secret` by default, or `unbounded`. A child without one gets, under a `sum` parent with
//!   maximum `M`, `(M - S) / (A + T)` where `S` is what the children with a score add up to, `A`
//!   how many subgroups have none and `T` how many cases the parent holds; under a `min` parent,
//!   `M`; under an unbounded parent, unbounded.
//! - Aggregation (`scoring.aggregation`): `sum` for `secret` and `pass-fail` for its subgroups
//!   by default. A `pass-fail` group scores its maximum when every case in it (subgroups
//!   included) is accepted, else 0; its cases have no scores of their own. `sum` and `min`
//!   groups add up or take the least of their cases' and subgroups' scores (0 when empty).
//! - A case in a `sum`/`min` group scores 0 when rejected; when accepted, `score.txt` (an
//!   absolute score), else `score_multiplier.txt` times its maximum, else its maximum. An
//!   unbounded case needs `score.txt`; without one it scores 0 here (a judge error to report).
//! - `scoring.require_pass`: a group scores 0 unless every case of the named groups or cases
//!   (and of their own requirements) was accepted.
//! - The total is `secret`'s score.
//!
//! Pass-fail problems have no scores: accepted means every case, samples included, accepted.

use std::collections::HashMap;

use super::package_error::PackageError;
use super::problem::{
    Aggregation, Format, GroupSpec, Kind, LegacyGrading, PackageCase, Points, Problem,
};

/// What judging one case gave.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CaseOutcome {
    pub accepted: bool,
    /// The contents of the validator's `score.txt`, if it wrote one.
    pub score: Option<f64>,
    /// 2023: the contents of the validator's `score_multiplier.txt`, if it wrote one.
    pub score_multiplier: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupScore {
    pub name: String,
    pub score: f64,
    /// `None`: unbounded, or not known before judging (legacy `score.txt` without `range`).
    pub max: Option<f64>,
    /// Every case in the group (subgroups included) was judged and accepted.
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub total: f64,
    pub max: Option<f64>,
    /// One per [`Problem::groups`], in that order; a group that was never judged (legacy
    /// `on_reject: break`) scores 0.
    pub groups: Vec<GroupScore>,
}

/// The most the group `name` can score (`""` is the legacy root). `None` when unbounded,
/// unknown, or not scored on its own (samples in 2023, subgroups of a pass-fail group, every
/// group of a pass-fail problem).
pub fn group_max_score(problem: &Problem, name: &str) -> Option<f64> {
    match (problem.kind, problem.format) {
        (Kind::PassFail, _) => None,
        (Kind::Scoring, Format::Legacy) => legacy_max(problem, name),
        (Kind::Scoring, Format::Draft2023_07) => draft_max(problem, name),
    }
}

/// The most one case can score; `None` as for [`group_max_score`], or when `score.txt`
/// decides alone.
pub fn case_max_score(problem: &Problem, case: &PackageCase) -> Option<f64> {
    match (problem.kind, problem.format) {
        (Kind::PassFail, _) => None,
        (Kind::Scoring, Format::Legacy) if problem.custom_score => None,
        (Kind::Scoring, Format::Legacy) => {
            let g = legacy_grading(problem, &case.group);
            Some(g.accept_score.max(g.reject_score))
        }
        (Kind::Scoring, Format::Draft2023_07) => case.points.or_else(|| {
            problem
                .group(&case.group)
                .and_then(|g| child_share(problem, g))
        }),
    }
}

/// One case's score (see the module documentation); 0 for pass-fail problems.
pub fn case_score(problem: &Problem, case: &PackageCase, outcome: &CaseOutcome) -> f64 {
    match (problem.kind, problem.format) {
        (Kind::PassFail, _) => 0.0,
        (Kind::Scoring, Format::Legacy) => {
            let g = legacy_grading(problem, &case.group);
            match outcome.accepted {
                true => outcome.score.unwrap_or(g.accept_score),
                false => g.reject_score,
            }
        }
        (Kind::Scoring, Format::Draft2023_07) if !outcome.accepted => 0.0,
        (Kind::Scoring, Format::Draft2023_07) => {
            let max = case_max_score(problem, case);
            match (outcome.score, outcome.score_multiplier) {
                (Some(score), _) => score,
                (None, Some(multiplier)) => multiplier * max.unwrap_or(0.0),
                (None, None) => max.unwrap_or(0.0),
            }
        }
    }
}

/// Every group's score and the total, from each case's outcome (`None`: not judged, which
/// counts as rejected). `None` for pass-fail problems.
pub fn grade(
    problem: &Problem,
    outcome: impl Fn(&PackageCase) -> Option<CaseOutcome>,
) -> Option<Scores> {
    if problem.kind == Kind::PassFail {
        return None;
    }
    let mut grader = Grader {
        problem,
        outcome: &outcome,
        record: HashMap::new(),
    };
    let (total, max) = match problem.format {
        Format::Legacy => (grader.legacy("").0, group_max_score(problem, "")),
        Format::Draft2023_07 => (grader.draft("secret").0, group_max_score(problem, "secret")),
    };
    let groups = problem
        .groups
        .iter()
        .map(|g| {
            grader.record.remove(&g.name).unwrap_or_else(|| GroupScore {
                name: g.name.clone(),
                score: 0.0,
                max: group_max_score(problem, &g.name),
                passed: false,
            })
        })
        .collect();
    Some(Scores { total, max, groups })
}

/// The package's scoring settings make sense (2023): explicit subgroup scores fit in their
/// parent, pass-fail groups hold only pass-fail groups, and `require_pass` points backwards.
pub(crate) fn check(problem: &Problem) -> Result<(), PackageError> {
    if problem.format != Format::Draft2023_07 || problem.kind != Kind::Scoring {
        return Ok(());
    }
    for group in &problem.groups {
        let file = format!("data/{}", group.name);
        let children = subgroups(problem, &group.name);
        let declared = declared_points(problem, &group.name);
        if let (Aggregation::Sum, Some(max)) = (group.aggregation, draft_max(problem, &group.name))
        {
            // Sums of decimal points added in another order may differ in the last bits.
            if declared > max + 1e-9 * max.abs().max(1.0) {
                let why =
                    format!("its subgroups' scores add up to {declared}, more than its own {max}");
                return Err(PackageError::invalid(file, why));
            }
        }
        if group.aggregation == Aggregation::PassFail
            && children
                .iter()
                .any(|c| c.aggregation != Aggregation::PassFail)
        {
            return Err(PackageError::invalid(
                file,
                "a pass-fail group's subgroups must be pass-fail too",
            ));
        }
        if let Some(dep) = group
            .depends_on
            .iter()
            .find(|d| d.as_str() >= group.name.as_str())
        {
            let why = format!(
                "require_pass: {dep:?} must come before {:?} in name order",
                group.name
            );
            return Err(PackageError::invalid(file, why));
        }
    }
    Ok(())
}

struct Grader<'a> {
    problem: &'a Problem,
    outcome: &'a dyn Fn(&PackageCase) -> Option<CaseOutcome>,
    record: HashMap<String, GroupScore>,
}

impl Grader<'_> {
    fn outcome(&self, case: &PackageCase) -> CaseOutcome {
        (self.outcome)(case).unwrap_or_default()
    }

    /// A legacy group's (score, accepted), judging its items in order.
    fn legacy(&mut self, name: &str) -> (f64, bool) {
        let p = self.problem;
        let g = legacy_grading(p, name);
        let aggregation = p.group(name).map_or(Aggregation::Sum, |s| s.aggregation);
        let mut results: Vec<(bool, f64, bool)> = Vec::new(); // (is sample, score, accepted)
        let mut broken = false;
        for case in cases(p, name) {
            let o = self.outcome(case);
            results.push((false, case_score(p, case, &o), o.accepted));
            broken = g.stop_on_reject && !o.accepted;
            if broken {
                break;
            }
        }
        for sub in subgroups(p, name).into_iter().filter(|_| !broken) {
            let (score, accepted) = self.legacy(&sub.name);
            results.push((sub.name == "sample", score, accepted));
            if g.stop_on_reject && !accepted {
                break;
            }
        }
        if g.ignore_sample {
            results.retain(|r| !r.0);
        }
        let scores: Vec<f64> = results.iter().map(|r| r.1).collect();
        let score = aggregate(aggregation, &scores);
        let accepted = g.always_accept
            || if g.accept_if_any {
                results.iter().any(|r| r.2)
            } else {
                results.iter().all(|r| r.2)
            };
        self.note(name, score, accepted);
        (score, accepted)
    }

    /// A 2023 group's (score, passed).
    fn draft(&mut self, name: &str) -> (f64, bool) {
        let p = self.problem;
        let mut scores = Vec::new();
        let mut passed = true;
        for case in cases(p, name) {
            let o = self.outcome(case);
            passed &= o.accepted;
            scores.push(case_score(p, case, &o));
        }
        for sub in subgroups(p, name) {
            let (score, ok) = self.draft(&sub.name);
            passed &= ok;
            scores.push(score);
        }
        let Some(group) = p.group(name) else {
            return (0.0, passed);
        };
        let score = if !group.depends_on.iter().all(|d| self.requirement_met(d)) {
            0.0
        } else if group.aggregation == Aggregation::PassFail {
            if passed {
                draft_max(p, name).unwrap_or(0.0)
            } else {
                0.0
            }
        } else {
            aggregate(group.aggregation, &scores)
        };
        self.note(name, score, passed);
        (score, passed)
    }

    /// `require_pass` entry `name` (a case or a group, and its own requirements) passed.
    /// Terminates: `check` made every requirement come earlier in name order.
    fn requirement_met(&self, name: &str) -> bool {
        let p = self.problem;
        let inside = |c: &&PackageCase| {
            c.name == name || c.group == name || c.group.starts_with(&format!("{name}/"))
        };
        let cases_ok = p
            .cases
            .iter()
            .filter(inside)
            .all(|c| self.outcome(c).accepted);
        let deps_ok = p.group(name).is_none_or(|g| {
            g.depends_on
                .iter()
                .filter(|d| d.as_str() < name)
                .all(|d| self.requirement_met(d))
        });
        cases_ok && deps_ok
    }

    fn note(&mut self, name: &str, score: f64, passed: bool) {
        if name.is_empty() {
            return;
        }
        let max = group_max_score(self.problem, name);
        self.record.insert(
            name.to_string(),
            GroupScore {
                name: name.to_string(),
                score,
                max,
                passed,
            },
        );
    }
}

fn aggregate(aggregation: Aggregation, scores: &[f64]) -> f64 {
    if scores.is_empty() {
        return 0.0;
    }
    match aggregation {
        Aggregation::Sum | Aggregation::PassFail => scores.iter().sum(),
        Aggregation::Min => scores.iter().copied().fold(f64::INFINITY, f64::min),
        Aggregation::Max => scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Aggregation::Avg => scores.iter().sum::<f64>() / scores.len() as f64,
    }
}

fn legacy_max(problem: &Problem, name: &str) -> Option<f64> {
    let group = problem.group(name)?;
    let g = legacy_grading(problem, name);
    if let Some((_, high)) = g.range.filter(|(_, high)| high.is_finite()) {
        return Some(high);
    }
    if name.is_empty() && g.ignore_sample {
        return legacy_max(problem, "secret");
    }
    let items: Vec<Option<f64>> = cases(problem, name)
        .map(|c| case_max_score(problem, c))
        .chain(
            subgroups(problem, name)
                .iter()
                .map(|s| legacy_max(problem, &s.name)),
        )
        .collect();
    let known: Vec<f64> = items.iter().flatten().copied().collect();
    match group.aggregation {
        // The least score is at most the least known maximum.
        Aggregation::Min if !known.is_empty() || items.is_empty() => {
            Some(aggregate(Aggregation::Min, &known))
        }
        _ if known.len() < items.len() => None,
        other => Some(aggregate(other, &known)),
    }
}

fn draft_max(problem: &Problem, name: &str) -> Option<f64> {
    if name != "secret" && !name.starts_with("secret/") {
        return None;
    }
    let group = problem.group(name)?;
    match group.points {
        Points::Bounded(max) => Some(max),
        Points::Unbounded => None,
        Points::Inferred => {
            let parent = name.rsplit_once('/').map_or("", |(p, _)| p);
            problem.group(parent).and_then(|p| child_share(problem, p))
        }
    }
}

/// The maximum of a child of `parent` that does not declare its own.
fn child_share(problem: &Problem, parent: &GroupSpec) -> Option<f64> {
    let max = draft_max(problem, &parent.name)?;
    match parent.aggregation {
        Aggregation::PassFail => None,
        Aggregation::Sum => {
            let children = subgroups(problem, &parent.name);
            let declared = declared_points(problem, &parent.name);
            let undeclared = children
                .iter()
                .filter(|c| c.points == Points::Inferred)
                .count();
            let shares = undeclared
                + cases(problem, &parent.name)
                    .filter(|c| c.points.is_none())
                    .count();
            (shares > 0).then(|| (max - declared).max(0.0) / shares as f64)
        }
        Aggregation::Min | Aggregation::Max | Aggregation::Avg => Some(max),
    }
}

/// What the direct subgroups and cases of `name` declare they are worth (a case declares its own
/// only in Polygon packages).
fn declared_points(problem: &Problem, name: &str) -> f64 {
    let groups: f64 = subgroups(problem, name)
        .iter()
        .filter_map(|c| bounded(c.points))
        .sum();
    groups + cases(problem, name).filter_map(|c| c.points).sum::<f64>()
}

fn bounded(points: Points) -> Option<f64> {
    match points {
        Points::Bounded(value) => Some(value),
        _ => None,
    }
}

fn legacy_grading(problem: &Problem, group: &str) -> LegacyGrading {
    problem
        .group(group)
        .and_then(|g| g.legacy)
        .unwrap_or(LegacyGrading {
            accept_score: 1.0,
            reject_score: 0.0,
            range: None,
            stop_on_reject: true,
            ignore_sample: false,
            accept_if_any: false,
            always_accept: false,
        })
}

/// The cases directly in group `name`.
fn cases<'a>(problem: &'a Problem, name: &'a str) -> impl Iterator<Item = &'a PackageCase> + 'a {
    problem.cases.iter().filter(move |c| c.group == name)
}

/// The direct subgroups of `name` ("" for the root: `sample` and `secret`).
fn subgroups<'a>(problem: &'a Problem, name: &str) -> Vec<&'a GroupSpec> {
    problem
        .groups
        .iter()
        .filter(|g| g.name.rsplit_once('/').map_or("", |(p, _)| p) == name)
        .collect()
}
