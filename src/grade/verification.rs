//! `codecage verify`'s judgement of a problem package: does every example submission get what
//! its folder promises, and what time limit follows from the accepted ones. The command runs the
//! submissions; the rules and the reports are here.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::package::{Expected, Kind};
use super::report::Report;
use crate::verdict::Verdict;

/// The folder name of an expectation, as the JSON and the table show it.
pub fn expected_name(expected: Expected) -> &'static str {
    match expected {
        Expected::Accepted => "accepted",
        Expected::WrongAnswer => "wrong_answer",
        Expected::TimeLimit => "time_limit_exceeded",
        Expected::RuntimeError => "run_time_error",
        Expected::PartiallyAccepted => "partially_accepted",
        Expected::Polygon(tag) => tag.name(),
    }
}

/// One submission's row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Relative to the package.
    pub path: String,
    /// The language codecage ran it as; null when it has none for the submission.
    pub language: Option<String>,
    pub expected: &'static str,
    pub verdict: Verdict,
    /// Scoring problems only.
    pub score: Option<f64>,
    /// The most CPU time one case took.
    pub max_cpu_ms: Option<u64>,
    pub ok: bool,
    /// Why it is not as expected, or the first failing case.
    pub detail: Option<String>,
    /// Every case's name and verdict (none when it could not run), for the HTML page's matrix.
    #[serde(skip)]
    pub cases: Vec<(String, Verdict)>,
}

impl Row {
    /// A graded submission against its promise. `per_case` (2023-07-draft): every case must get
    /// a verdict the folder permits and some case the one it requires, rather than only the
    /// first failing case deciding.
    pub fn judged(
        path: String,
        expected: Expected,
        kind: Kind,
        per_case: bool,
        report: &Report,
    ) -> Row {
        let scoring = kind == Kind::Scoring;
        let full = report.score >= report.max_score;
        let forbidden = per_case
            .then(|| report.cases.iter().find(|c| !expected.permits(c.verdict)))
            .flatten();
        let required_met = expected.required_met(report.cases.iter().map(|c| c.verdict));
        let ok = match expected {
            e if e.all_accepted() => report.verdict.is_accepted() && (!scoring || full),
            Expected::PartiallyAccepted => scoring && report.score > 0.0 && !full,
            _ if per_case => forbidden.is_none() && required_met,
            other => other.allows(report.verdict),
        };
        let first = report.cases.iter().find(|c| !c.verdict.is_accepted());
        let detail = match (ok, expected, first) {
            (false, _, _) if forbidden.is_some() => forbidden.map(|case| {
                format!(
                    "case {}: {}{}, but {} allows {} only",
                    case.name,
                    case.verdict,
                    case.message
                        .as_deref()
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default(),
                    expected_name(expected),
                    expected.permitted_names()
                )
            }),
            (false, _, _) if per_case && !required_met => Some(format!(
                "no case got {}",
                expected.required_names().as_deref().unwrap_or("-")
            )),
            (false, Expected::PartiallyAccepted, _) if !scoring => {
                Some("partially_accepted needs a scoring problem".to_string())
            }
            (false, Expected::PartiallyAccepted, _) => Some(format!(
                "score {} of {}: a partial score is neither 0 nor full",
                report.score, report.max_score
            )),
            (_, _, Some(case)) => Some(format!(
                "case {}: {}{}",
                case.name,
                case.verdict,
                case.message
                    .as_deref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            )),
            (false, _, None) if scoring && !full => {
                Some(format!("score {} of {}", report.score, report.max_score))
            }
            _ => None,
        };
        Row {
            path,
            language: Some(report.language.clone()),
            expected: expected_name(expected),
            verdict: report.verdict,
            score: scoring.then_some(report.score),
            max_cpu_ms: report.cases.iter().filter_map(|c| c.cpu_ms).max(),
            ok,
            detail,
            cases: report
                .cases
                .iter()
                .map(|c| (c.name.clone(), c.verdict))
                .collect(),
        }
    }

    /// A submission codecage could not run (a language it lacks): an internal error, not ok.
    pub fn unrunnable(path: String, expected: Expected, why: String) -> Row {
        Row {
            path,
            language: None,
            expected: expected_name(expected),
            verdict: Verdict::InternalError,
            score: None,
            max_cpu_ms: None,
            ok: false,
            detail: Some(why),
            cases: Vec::new(),
        }
    }
}

/// The whole verification, as `--json` writes it.
#[derive(Debug, Serialize)]
pub struct Verification {
    pub problem: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub time_limit_ms: u64,
    /// How the time limit was decided.
    pub time_limit_from: String,
    pub ok: bool,
    pub submissions: Vec<Row>,
}

/// A time limit from the slowest accepted case: `multiplier` × it, rounded up to a whole second
/// (and at least one), as problem setters' tools round it.
pub fn derived_time_limit(slowest: Duration, multiplier: f64) -> Duration {
    let exact = slowest.as_secs_f64() * multiplier;
    Duration::from_secs((exact.ceil() as u64).max(1))
}

impl Verification {
    /// One row per submission, then the summary.
    pub fn table(&self) -> String {
        let width = self
            .submissions
            .iter()
            .map(|r| r.path.chars().count())
            .max()
            .unwrap_or(10)
            .max(10);
        // Kattis folders fit in 19 columns; Polygon's tags are longer.
        let expected = self
            .submissions
            .iter()
            .map(|r| r.expected.len())
            .max()
            .unwrap_or(0)
            .max(19);
        let mut out = format!(
            "{:<width$}  {:<10}  {:<expected$}  VERDICT  {:<8}  {:>7}  OK\n",
            "SUBMISSION", "LANGUAGE", "EXPECTED", "SCORE", "CPU"
        );
        for r in &self.submissions {
            let row = format!(
                "{:<width$}  {:<10}  {:<expected$}  {:<7}  {:<8}  {:>7}  {}  {}",
                r.path,
                r.language.as_deref().unwrap_or("-"),
                r.expected,
                r.verdict.to_string(),
                r.score.map_or("-".to_string(), |s| format!("{s}")),
                r.max_cpu_ms.map_or("-".to_string(), |ms| format!("{ms}ms")),
                if r.ok { "ok" } else { "NO" },
                r.detail.as_deref().unwrap_or("")
            );
            let _ = writeln!(out, "{}", row.trim_end());
        }
        let good = self.submissions.iter().filter(|r| r.ok).count();
        let _ = writeln!(
            out,
            "{good}/{} submissions as expected; time limit {} ms ({})",
            self.submissions.len(),
            self.time_limit_ms,
            self.time_limit_from
        );
        out
    }

    /// JUnit XML: one testcase per submission, a failure for each not as expected.
    pub fn junit(&self) -> String {
        let failures = self.submissions.iter().filter(|r| !r.ok).count();
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n  <testsuite name=\"verify {}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
            self.submissions.len(),
            super::report::xml(&self.problem),
            self.submissions.len()
        );
        for r in &self.submissions {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\"",
                super::report::xml(&r.path),
                r.expected
            );
            if r.ok {
                out.push_str("/>\n");
                continue;
            }
            let _ = write!(
                out,
                ">\n      <failure type=\"{}\" message=\"expected {}, got {}\">{}</failure>\n    </testcase>\n",
                r.verdict,
                r.expected,
                r.verdict,
                super::report::xml(r.detail.as_deref().unwrap_or(""))
            );
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::case_result::CaseResult;

    fn report(verdicts: &[Verdict], score: f64, max: f64) -> Report {
        let cases = verdicts
            .iter()
            .enumerate()
            .map(|(i, v)| CaseResult::failed(&format!("c{i}"), *v, None))
            .collect();
        let mut r = Report::new("s".into(), "cpp".into(), cases, 0, None);
        r.score = score;
        r.max_score = max;
        r
    }

    #[test]
    fn expectations() {
        let ac = report(&[Verdict::Accepted], 1.0, 1.0);
        let wa = report(&[Verdict::Accepted, Verdict::WrongAnswer], 0.0, 1.0);
        let mle = report(&[Verdict::MemoryLimit], 0.0, 1.0);
        let ok = |e, k, r: &Report| Row::judged("p".into(), e, k, false, r).ok;
        assert!(ok(Expected::Accepted, Kind::PassFail, &ac));
        assert!(!ok(Expected::Accepted, Kind::PassFail, &wa));
        assert!(ok(Expected::WrongAnswer, Kind::PassFail, &wa));
        assert!(ok(Expected::RuntimeError, Kind::PassFail, &mle));
        assert!(!ok(Expected::TimeLimit, Kind::PassFail, &mle));
        let partial = report(&[Verdict::Accepted, Verdict::WrongAnswer], 30.0, 100.0);
        assert!(ok(Expected::PartiallyAccepted, Kind::Scoring, &partial));
        assert!(!ok(Expected::Accepted, Kind::Scoring, &partial));
        let row = Row::judged(
            "p".into(),
            Expected::WrongAnswer,
            Kind::PassFail,
            false,
            &wa,
        );
        assert_eq!(row.detail.as_deref(), Some("case c1: WA"));
        let not_full = report(&[Verdict::Accepted], 50.0, 100.0);
        assert!(!ok(Expected::Accepted, Kind::Scoring, &not_full));
    }

    #[test]
    fn per_case_rules_of_2023() {
        let judged = |e, verdicts: &[Verdict]| {
            Row::judged(
                "p".into(),
                e,
                Kind::PassFail,
                true,
                &report(verdicts, 0.0, 1.0),
            )
        };
        // A TLE among wrong answers: the overall verdict alone (WA) would pass it.
        let row = judged(
            Expected::WrongAnswer,
            &[Verdict::WrongAnswer, Verdict::TimeLimit],
        );
        assert!(!row.ok);
        assert_eq!(
            row.detail.as_deref(),
            Some("case c1: TLE, but wrong_answer allows AC or WA only")
        );
        assert!(
            judged(
                Expected::WrongAnswer,
                &[Verdict::Accepted, Verdict::PresentationError]
            )
            .ok
        );
        assert!(
            judged(
                Expected::RuntimeError,
                &[Verdict::MemoryLimit, Verdict::Accepted]
            )
            .ok
        );
        assert!(
            !judged(
                Expected::RuntimeError,
                &[Verdict::RuntimeError, Verdict::WrongAnswer]
            )
            .ok
        );
        let none = judged(Expected::TimeLimit, &[Verdict::Accepted]);
        assert_eq!(
            (none.ok, none.detail.as_deref()),
            (false, Some("no case got TLE"))
        );
        assert!(
            !judged(
                Expected::TimeLimit,
                &[Verdict::TimeLimit, Verdict::InternalError]
            )
            .ok
        );
    }

    #[test]
    fn time_limit_is_rounded_up_to_a_second() {
        let tl = |ms, m| derived_time_limit(Duration::from_millis(ms), m).as_secs();
        assert_eq!(tl(30, 5.0), 1);
        assert_eq!(tl(210, 5.0), 2);
        assert_eq!(tl(1000, 2.0), 2);
        assert_eq!(tl(1001, 2.0), 3);
    }
}
