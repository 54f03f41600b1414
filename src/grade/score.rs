//! Scoring: test groups (subtasks) with points, as IOI-style judges and scoring problem packages
//! grade.
//!
//! Every case earns a share of its value from 0 to 1: 1 when accepted, 0 when not, or what a
//! checker gave as partial credit. A group is worth `points`; `sum` splits them evenly over its
//! cases, `min` gives them by its weakest case (all-or-nothing for pass/fail cases). A group that
//! depends on others scores 0 unless each of those got full marks, as a subtask that requires an
//! easier one. Without groups every case is worth one point.

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

use super::case_result::CaseResult;
use super::test_case::TestCase;
use crate::verdict::Verdict;

/// How a group's cases make its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// The group's points split evenly over its cases.
    #[default]
    Sum,
    /// The group's points times its weakest case's share.
    Min,
}

/// A scoring group, as a suite file or a problem package declares it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    pub points: f64,
    #[serde(default)]
    pub aggregation: Aggregation,
    /// Groups that must get full marks for this one to score (declared before it).
    #[serde(default)]
    pub depends_on: Vec<String>,
}

/// One group's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupScore {
    pub name: String,
    pub score: f64,
    pub max_score: f64,
    /// How its cases made its score: "sum", "min" (a package may also say "pass-fail", "max"
    /// or "avg").
    pub aggregation: String,
    /// AC when every case was accepted, else the first other verdict.
    pub verdict: Verdict,
    pub passed: usize,
    pub total: usize,
    /// Dependencies without full marks, which zeroed this group.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub unmet: Vec<String>,
}

/// A submission's score.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub score: f64,
    pub max_score: f64,
    pub groups: Vec<GroupScore>,
}

/// Check groups against the cases before anything runs: unique names, sane points, known
/// dependencies declared earlier (so there are no cycles), every case's group declared, no
/// empty group.
pub fn validate(groups: &[Group], cases: &[TestCase]) -> Result<()> {
    for (i, g) in groups.iter().enumerate() {
        if g.name.is_empty() {
            bail!("a group has an empty name");
        }
        if groups[..i].iter().any(|o| o.name == g.name) {
            bail!("group {:?} is declared twice", g.name);
        }
        if !g.points.is_finite() || g.points < 0.0 {
            bail!("group {:?}: points must be a number ≥ 0", g.name);
        }
        for d in &g.depends_on {
            if !groups[..i].iter().any(|o| &o.name == d) {
                bail!(
                    "group {:?} depends on {d:?}, which is not a group declared before it",
                    g.name
                );
            }
        }
        if !cases.iter().any(|c| c.group.as_ref() == Some(&g.name)) {
            bail!("group {:?} has no cases", g.name);
        }
    }
    if let Some(c) = cases.iter().find(|c| {
        c.group
            .as_ref()
            .is_some_and(|n| !groups.iter().any(|g| &g.name == n))
    }) {
        bail!(
            "case {:?} is in group {:?}, which is not declared",
            c.name,
            c.group.as_deref().unwrap_or_default()
        );
    }
    Ok(())
}

/// The share of its value a case earned (0 when it did not run).
pub fn share(result: Option<&CaseResult>) -> f64 {
    match result {
        Some(r) if r.verdict.is_accepted() => r.score.unwrap_or(1.0).clamp(0.0, 1.0),
        _ => 0.0,
    }
}

/// Score `results` (matched to `cases` by name; cases skipped after a failure earn nothing).
pub fn score(groups: &[Group], cases: &[TestCase], results: &[CaseResult]) -> Scores {
    let result = |c: &TestCase| results.iter().find(|r| r.name == c.name);
    if groups.is_empty() {
        return Scores {
            score: cases.iter().map(|c| share(result(c))).sum(),
            max_score: cases.len() as f64,
            groups: Vec::new(),
        };
    }
    let mut scored: Vec<GroupScore> = Vec::with_capacity(groups.len());
    for g in groups {
        let members: Vec<&TestCase> = cases
            .iter()
            .filter(|c| c.group.as_ref() == Some(&g.name))
            .collect();
        let shares: Vec<f64> = members.iter().map(|c| share(result(c))).collect();
        let fraction = match g.aggregation {
            _ if shares.is_empty() => 0.0,
            Aggregation::Sum => shares.iter().sum::<f64>() / shares.len() as f64,
            Aggregation::Min => shares.iter().copied().fold(1.0, f64::min),
        };
        let unmet: Vec<String> = g
            .depends_on
            .iter()
            .filter(|d| {
                scored
                    .iter()
                    .find(|s| &&s.name == d)
                    .is_none_or(|s| s.score < s.max_score)
            })
            .cloned()
            .collect();
        let verdict = members
            .iter()
            .map(|c| result(c).map_or(Verdict::Cancelled, |r| r.verdict))
            .find(|v| !v.is_accepted())
            .unwrap_or(Verdict::Accepted);
        scored.push(GroupScore {
            name: g.name.clone(),
            score: if unmet.is_empty() {
                round(g.points * fraction)
            } else {
                0.0
            },
            max_score: g.points,
            aggregation: match g.aggregation {
                Aggregation::Sum => "sum",
                Aggregation::Min => "min",
            }
            .to_string(),
            verdict,
            passed: members
                .iter()
                .filter(|c| result(c).is_some_and(|r| r.verdict.is_accepted()))
                .count(),
            total: members.len(),
            unmet,
        });
    }
    Scores {
        score: round(scored.iter().map(|g| g.score).sum()),
        max_score: round(groups.iter().map(|g| g.points).sum()),
        groups: scored,
    }
}

/// Six decimals: shares like 1/3 should print as 33.333333, not 33.33333333333333.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, group: Option<&str>) -> TestCase {
        TestCase {
            name: name.into(),
            stdin: vec![],
            args: vec![],
            stdout: None,
            exit_code: 0,
            limits: Default::default(),
            compare: None,
            group: group.map(String::from),
            judge_args: vec![],
        }
    }

    fn result(name: &str, verdict: Verdict, score: Option<f64>) -> CaseResult {
        CaseResult {
            score,
            ..CaseResult::failed(name, verdict, None)
        }
    }

    fn group(name: &str, points: f64, aggregation: Aggregation, deps: &[&str]) -> Group {
        Group {
            name: name.into(),
            points,
            aggregation,
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn without_groups_each_case_is_a_point() {
        let cases = [case("a", None), case("b", None), case("c", None)];
        let results = [
            result("a", Verdict::Accepted, None),
            result("b", Verdict::Accepted, Some(0.5)),
            result("c", Verdict::WrongAnswer, None),
        ];
        let s = score(&[], &cases, &results);
        assert_eq!((s.score, s.max_score), (1.5, 3.0));
    }

    #[test]
    fn min_sum_and_dependencies() {
        let groups = [
            group("small", 30.0, Aggregation::Min, &[]),
            group("big", 60.0, Aggregation::Sum, &[]),
            group("all", 10.0, Aggregation::Min, &["small", "big"]),
        ];
        let cases = [
            case("s1", Some("small")),
            case("s2", Some("small")),
            case("b1", Some("big")),
            case("b2", Some("big")),
            case("b3", Some("big")),
            case("x", Some("all")),
            case("sample", None),
        ];
        validate(&groups, &cases).unwrap();
        let results = [
            result("s1", Verdict::Accepted, None),
            result("s2", Verdict::Accepted, None),
            result("b1", Verdict::Accepted, None),
            result("b2", Verdict::TimeLimit, None),
            result("b3", Verdict::Accepted, Some(0.5)),
            result("x", Verdict::Accepted, None),
        ];
        let s = score(&groups, &cases, &results);
        assert_eq!(s.groups[0].score, 30.0);
        assert_eq!(s.groups[1].score, 30.0); // 60 × (1 + 0 + 0.5) / 3
        assert_eq!(s.groups[1].verdict, Verdict::TimeLimit);
        assert_eq!(s.groups[2].score, 0.0);
        assert_eq!(s.groups[2].unmet, ["big"]);
        assert_eq!((s.score, s.max_score), (60.0, 100.0));
        let min_partial = score(
            &groups[..1],
            &cases[..2],
            &[
                result("s1", Verdict::Accepted, Some(0.25)),
                result("s2", Verdict::Accepted, None),
            ],
        );
        assert_eq!(min_partial.score, 7.5);
    }

    #[test]
    fn bad_groups_are_refused() {
        let cases = [case("a", Some("g")), case("b", Some("nope"))];
        let g = [group("g", 10.0, Aggregation::Min, &[])];
        assert!(validate(&g, &cases)
            .unwrap_err()
            .to_string()
            .contains("not declared"));
        let later = [
            group("g", 10.0, Aggregation::Min, &["h"]),
            group("h", 1.0, Aggregation::Min, &[]),
        ];
        assert!(validate(&later, &cases[..1]).is_err());
        let twice = [
            group("g", 1.0, Aggregation::Min, &[]),
            group("g", 1.0, Aggregation::Min, &[]),
        ];
        assert!(validate(&twice, &cases[..1]).is_err());
        assert!(validate(&[group("g", -1.0, Aggregation::Sum, &[])], &cases[..1]).is_err());
        assert!(validate(&[group("e", 1.0, Aggregation::Sum, &[])], &cases[..1]).is_err());
    }
}
