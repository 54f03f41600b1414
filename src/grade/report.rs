//! Presenting grading results: tables, a diff of the first failure, JUnit XML and JSON.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::case_result::CaseResult;
use super::score::{GroupScore, Scores};
use crate::verdict::Verdict;

/// One submission's results, as written to `--json`.
/// Deserializable too: `test --server` reads the report a server graded.
#[derive(Debug, Serialize, Deserialize)]
pub struct Report {
    pub solution: String,
    pub language: String,
    /// AC when every case passed, else the first failing case's verdict.
    pub verdict: Verdict,
    pub passed: usize,
    pub total: usize,
    /// Cases not run because of `--fail-fast`.
    pub skipped: usize,
    /// Compiler diagnostics when the verdict is CE.
    pub compile_output: Option<String>,
    /// Points earned: per scoring group, or one per case without groups.
    pub score: f64,
    pub max_score: f64,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub groups: Vec<GroupScore>,
    pub cases: Vec<CaseResult>,
}

/// Several submissions graded against one suite (`--each`), as written to `--json`.
#[derive(Debug, Serialize)]
pub struct Combined<'a> {
    /// AC when every submission is AC, else the first failing submission's verdict.
    pub verdict: Verdict,
    /// Submissions with every case accepted.
    pub passed: usize,
    pub total: usize,
    pub submissions: &'a [Report],
}

impl Report {
    pub fn new(
        solution: String,
        language: String,
        cases: Vec<CaseResult>,
        skipped: usize,
        compile_output: Option<String>,
    ) -> Report {
        let verdict = cases
            .iter()
            .find(|r| r.verdict != Verdict::Accepted)
            .map_or(Verdict::Accepted, |r| r.verdict);
        Report {
            solution,
            language,
            verdict,
            passed: cases
                .iter()
                .filter(|c| c.verdict == Verdict::Accepted)
                .count(),
            total: cases.len() + skipped,
            skipped,
            compile_output,
            score: 0.0,
            max_score: 0.0,
            groups: Vec::new(),
            cases,
        }
    }

    /// The same report with its scores.
    pub fn with_scores(mut self, scores: Scores) -> Report {
        self.score = scores.score;
        self.max_score = scores.max_score;
        self.groups = scores.groups;
        self
    }

    /// Every case accepted with full marks, none skipped.
    pub fn is_full_marks(&self) -> bool {
        self.verdict.is_accepted() && self.skipped == 0 && self.score >= self.max_score
    }

    /// One row per case, then a totals line.
    pub fn table(&self) -> String {
        let width = self
            .cases
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let mut out = format!(
            "{:<width$}  VERDICT  TIME      CPU       MEMORY     DETAIL\n",
            "CASE"
        );
        for c in &self.cases {
            let cpu = c.cpu_ms.map_or("-".to_string(), |ms| format!("{ms}ms"));
            let memory = c
                .memory_bytes
                .map_or("-".to_string(), crate::units::format_size_approx);
            let row = format!(
                "{:<width$}  {:<7}  {:>6}ms  {cpu:>8}  {memory:>9}  {}",
                c.name,
                c.verdict.to_string(),
                c.time_ms,
                detail(c)
            );
            let _ = writeln!(out, "{}", row.trim_end());
        }
        let skipped = if self.skipped > 0 {
            format!(" ({} skipped after the first failure)", self.skipped)
        } else {
            String::new()
        };
        out.push_str(&self.groups_table());
        // Without groups the score still shows when it is not full (a checker's partial
        // credit), or the line would say AC while the exit status says not full marks.
        let partial = self
            .cases
            .iter()
            .any(|c| c.verdict.is_accepted() && c.score.is_some_and(|s| s < 1.0));
        let score = if self.groups.is_empty() && self.score >= self.max_score && !partial {
            String::new()
        } else {
            format!(", score {}/{}", points(self.score), points(self.max_score))
        };
        let _ = writeln!(
            out,
            "{}/{} passed: {}{score}{skipped}",
            self.passed, self.total, self.verdict
        );
        out
    }

    /// One row per scoring group (nothing without groups).
    fn groups_table(&self) -> String {
        if self.groups.is_empty() {
            return String::new();
        }
        let width = self
            .groups
            .iter()
            .map(|g| g.name.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let mut out = format!("{:<width$}  SCORE        VERDICT  PASSED\n", "GROUP");
        for g in &self.groups {
            let unmet = if g.unmet.is_empty() {
                String::new()
            } else {
                format!("  (needs {})", g.unmet.join(", "))
            };
            let _ = writeln!(
                out,
                "{:<width$}  {:<11}  {:<7}  {}/{}{unmet}",
                g.name,
                format!("{}/{}", points(g.score), points(g.max_score)),
                g.verdict.to_string(),
                g.passed,
                g.total
            );
        }
        out
    }

    /// The feedback of the first failing case that has some (a checker's or interactor's words).
    pub fn first_feedback(&self) -> Option<String> {
        let case = self
            .cases
            .iter()
            .find(|c| !c.verdict.is_accepted() && c.feedback.is_some())?;
        let text = case.feedback.as_deref()?;
        let mut out = format!("feedback on case {}:\n", case.name);
        for line in text.lines().take(10) {
            let _ = writeln!(out, "  {}", clip(line));
        }
        Some(out)
    }

    /// For the first wrong answer: where its output first differs.
    pub fn first_diff(&self) -> Option<String> {
        // A checker's verdict is explained by its feedback, not by a diff against the answer.
        let case = self
            .cases
            .iter()
            .find(|c| c.verdict == Verdict::WrongAnswer && c.feedback.is_none())?;
        Some(format!(
            "first difference in case {}{}",
            case.name,
            diff(case)?
        ))
    }

    /// This submission as a JUnit `<testsuite>`.
    fn junit_suite(&self, out: &mut String) {
        let errors = self.cases.iter().filter(|c| is_error(c.verdict)).count();
        let failures = self
            .cases
            .iter()
            .filter(|c| c.verdict != Verdict::Accepted)
            .count()
            - errors;
        let time: u64 = self.cases.iter().map(|c| c.time_ms).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{}\" time=\"{:.3}\">",
            xml(&self.solution),
            self.total,
            self.skipped,
            time as f64 / 1000.0
        );
        // The submission's score, and each group's, as the suite's properties.
        let _ = writeln!(
            out,
            "    <properties>\n      <property name=\"score\" value=\"{}\"/>\n      <property name=\"max_score\" value=\"{}\"/>",
            points(self.score),
            points(self.max_score)
        );
        for g in &self.groups {
            let _ = writeln!(
                out,
                "      <property name=\"group {}\" value=\"{}/{} {}\"/>",
                xml(&g.name),
                points(g.score),
                points(g.max_score),
                g.verdict
            );
        }
        out.push_str("    </properties>\n");
        for c in &self.cases {
            self.junit_case(c, out);
        }
        out.push_str("  </testsuite>\n");
    }

    /// One `<testcase>`: its measured CPU time and memory as properties, then its failure.
    fn junit_case(&self, c: &CaseResult, out: &mut String) {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            xml(&c.name),
            xml(&self.solution),
            c.time_ms as f64 / 1000.0
        );
        let properties = junit_properties(c);
        if c.verdict == Verdict::Accepted && properties.is_empty() {
            out.push_str("/>\n");
            return;
        }
        out.push_str(">\n");
        out.push_str(&properties);
        let detail = c.message.as_deref().unwrap_or("");
        match c.verdict {
            Verdict::Accepted => {}
            v if is_error(v) => {
                let body = if v == Verdict::CompileError {
                    self.compile_output.as_deref().unwrap_or("")
                } else {
                    detail
                };
                let _ = writeln!(
                    out,
                    "      <error type=\"{v}\" message=\"{v}: {}\">{}</error>",
                    xml(detail),
                    xml(body)
                );
            }
            v => {
                let body = match &c.feedback {
                    Some(feedback) => feedback.clone(),
                    None => diff(c)
                        .map(|d| format!("first difference{d}"))
                        .unwrap_or_default(),
                };
                let _ = write!(
                    out,
                    "      <failure type=\"{v}\" message=\"{v}: {}\">{}</failure>\n      <system-out>{}</system-out>\n      <system-err>{}</system-err>\n",
                    xml(detail),
                    xml(&body),
                    xml(&clip_bytes(&c.stdout)),
                    xml(&clip_bytes(&c.stderr))
                );
            }
        }
        out.push_str("    </testcase>\n");
    }
}

/// `<properties>` with the measured figures, the score and the judge's feedback (none when
/// there is nothing to say).
fn junit_properties(c: &CaseResult) -> String {
    let figures = [
        ("cpu_ms", c.cpu_ms.map(|v| v.to_string())),
        ("memory_bytes", c.memory_bytes.map(|v| v.to_string())),
        ("group", c.group.clone()),
        ("score", c.score.filter(|s| *s < 1.0).map(points)),
        ("feedback", c.feedback.clone()),
    ];
    let lines: String = figures
        .iter()
        .filter_map(|(name, value)| {
            value.as_ref().map(|v| {
                format!(
                    "        <property name=\"{name}\" value=\"{}\"/>\n",
                    xml(&clip(v))
                )
            })
        })
        .collect();
    if lines.is_empty() {
        return lines;
    }
    format!("      <properties>\n{lines}      </properties>\n")
}

/// A case's detail column: its message, and the first line of the judge's feedback.
fn detail(c: &CaseResult) -> String {
    let feedback = c
        .feedback
        .as_deref()
        .and_then(|f| f.lines().next())
        .filter(|_| !c.verdict.is_accepted())
        // An internal error's message already carries the judge program's words.
        .filter(|f| !c.message.as_deref().is_some_and(|m| m.contains(f)))
        .map(clip);
    let score = c
        .score
        .filter(|s| c.verdict.is_accepted() && *s > 0.0 && *s < 1.0)
        .map(|s| format!("partial {}", points(s)));
    [c.message.clone(), score, feedback]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(": ")
}

fn is_error(v: Verdict) -> bool {
    matches!(v, Verdict::InternalError | Verdict::CompileError)
}

/// JUnit XML for one or more submissions, one `<testsuite>` each.
pub fn junit(reports: &[Report]) -> String {
    let mut suites = String::new();
    for r in reports {
        r.junit_suite(&mut suites);
    }
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for r in reports {
        tests += r.total;
        errors += r.cases.iter().filter(|c| is_error(c.verdict)).count();
        failures += r
            .cases
            .iter()
            .filter(|c| c.verdict != Verdict::Accepted && !is_error(c.verdict))
            .count();
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
}

/// One row per submission.
pub fn submissions_table(reports: &[Report]) -> String {
    let width = reports
        .iter()
        .map(|r| r.solution.len())
        .max()
        .unwrap_or(10)
        .max(10);
    let mut out = format!(
        "{:<width$}  {:<12}  VERDICT  PASSED\n",
        "SUBMISSION", "LANGUAGE"
    );
    for r in reports {
        let _ = writeln!(
            out,
            "{:<width$}  {:<12}  {:<7}  {}/{}",
            r.solution,
            r.language,
            r.verdict.to_string(),
            r.passed,
            r.total
        );
    }
    let accepted = reports
        .iter()
        .filter(|r| r.verdict == Verdict::Accepted)
        .count();
    let _ = writeln!(out, "{accepted}/{} submissions accepted", reports.len());
    out
}

/// Where a case's output first differs from the expected output: " at line N:" and a few lines.
fn diff(case: &CaseResult) -> Option<String> {
    let expected = String::from_utf8_lossy(case.expected.as_deref()?).into_owned();
    let actual = String::from_utf8_lossy(&case.stdout).into_owned();
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let n = e.len().max(a.len());
    let first =
        (0..n).find(|&i| e.get(i).map(|s| s.trim_end()) != a.get(i).map(|s| s.trim_end()))?;
    let mut out = format!(" at line {}:\n", first + 1);
    for i in first.saturating_sub(2)..(first + 3).min(n) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x.trim_end() == y.trim_end() => {
                let _ = writeln!(out, "  {}", clip(x));
            }
            (x, y) => {
                if let Some(x) = x {
                    let _ = writeln!(out, "- {}", clip(x));
                }
                if let Some(y) = y {
                    let _ = writeln!(out, "+ {}", clip(y));
                }
            }
        }
    }
    out.push_str("(- expected, + actual)\n");
    Some(out)
}

/// A score without float noise: 30, 33.333333, 0.5.
pub(crate) fn points(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn clip(line: &str) -> String {
    if line.chars().count() > 120 {
        format!("{}…", line.chars().take(120).collect::<String>())
    } else {
        line.to_string()
    }
}

/// At most 4 KiB of output in reports.
fn clip_bytes(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(&data[..data.len().min(4096)]).into_owned();
    if data.len() > 4096 {
        format!("{text}… ({} bytes in all)", data.len())
    } else {
        text
    }
}

/// Escape for XML text and attributes, replacing characters XML 1.0 cannot hold.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, verdict: Verdict, stdout: &str, expected: &str) -> CaseResult {
        CaseResult {
            name: name.into(),
            verdict,
            time_ms: 12,
            cpu_ms: None,
            memory_bytes: None,
            exit_code: Some(0),
            message: (verdict != Verdict::Accepted).then(|| "output differs".to_string()),
            group: None,
            score: None,
            feedback: None,
            judge_scores: (None, None),
            stdout: stdout.as_bytes().to_vec(),
            stderr: b"\x01warn <x>".to_vec(),
            expected: Some(expected.as_bytes().to_vec()),
            limits: None,
        }
    }

    #[test]
    fn junit_is_escaped_and_counts_failures_with_the_diff() {
        let cases = vec![
            result("a&b", Verdict::Accepted, "1", "1"),
            result("c", Verdict::WrongAnswer, "2\n", "3\n"),
        ];
        let report = Report::new("sol.py".into(), "python".into(), cases, 0, None);
        let xml = junit(std::slice::from_ref(&report));
        assert!(
            xml.contains("<testcase name=\"a&amp;b\" classname=\"sol.py\" time=\"0.012\"/>"),
            "{xml}"
        );
        assert!(xml.contains("failures=\"1\" errors=\"0\""), "{xml}");
        assert!(xml.contains("<failure type=\"WA\" message=\"WA: output differs\">first difference at line 1:\n- 3\n+ 2\n"), "{xml}");
        assert!(xml.contains("\u{FFFD}warn &lt;x&gt;"), "{xml}");
        assert_eq!(report.verdict, Verdict::WrongAnswer);
        assert_eq!(report.passed, 1);
        let d = report.first_diff().unwrap();
        assert!(
            d.starts_with("first difference in case c at line 1:\n- 3\n+ 2\n"),
            "{d}"
        );
    }

    #[test]
    fn a_partial_score_shows_without_groups() {
        let mut half = result("h", Verdict::Accepted, "1", "1");
        half.score = Some(0.5);
        let cases = vec![result("a", Verdict::Accepted, "1", "1"), half];
        let scores = Scores {
            score: 1.5,
            max_score: 2.0,
            groups: Vec::new(),
        };
        let report = Report::new("s".into(), "python".into(), cases, 0, None).with_scores(scores);
        assert!(!report.is_full_marks());
        assert!(
            report.table().ends_with("2/2 passed: AC, score 1.5/2\n"),
            "{}",
            report.table()
        );
        let full = Report::new(
            "s".into(),
            "python".into(),
            vec![result("a", Verdict::Accepted, "1", "1")],
            0,
            None,
        );
        assert!(
            full.table().ends_with("1/1 passed: AC\n"),
            "{}",
            full.table()
        );
    }

    #[test]
    fn measured_figures_are_junit_properties_and_table_columns() {
        let mut measured = result("m", Verdict::Accepted, "1", "1");
        measured.cpu_ms = Some(250);
        measured.memory_bytes = Some(3 * 1024 * 1024);
        let unmeasured = result("u", Verdict::Accepted, "1", "1");
        let report = Report::new(
            "sol.py".into(),
            "python".into(),
            vec![measured, unmeasured],
            0,
            None,
        );
        let xml = junit(std::slice::from_ref(&report));
        assert!(xml.contains("time=\"0.012\">\n      <properties>\n        <property name=\"cpu_ms\" value=\"250\"/>\n        <property name=\"memory_bytes\" value=\"3145728\"/>\n      </properties>\n    </testcase>\n"), "{xml}");
        assert!(
            xml.contains("<testcase name=\"u\" classname=\"sol.py\" time=\"0.012\"/>"),
            "{xml}"
        );
        let table = report.table();
        assert!(
            table.starts_with("CASE  VERDICT  TIME      CPU       MEMORY     DETAIL\n"),
            "{table}"
        );
        assert!(table.contains("250ms"), "{table}");
        assert!(table.contains("3.0 MiB"), "{table}");
        let unmeasured_row = table.lines().find(|l| l.starts_with("u ")).unwrap();
        assert_eq!(
            unmeasured_row.matches(" - ").count() + unmeasured_row.ends_with(" -") as usize,
            2,
            "{table}"
        );
    }
}
