//! Presenting grading results: the summary table, a diff of the first failure, JUnit XML and JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::{CaseResult, CaseVerdict};

/// The whole run, as written to `--json`.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub solution: &'a str,
    pub language: &'a str,
    /// The overall verdict: AC when every case passed, else the first failing case's verdict.
    pub verdict: CaseVerdict,
    pub passed: usize,
    pub total: usize,
    /// Compiler diagnostics when the verdict is CE.
    pub compile_output: Option<String>,
    pub cases: &'a [CaseResult],
}

impl Report<'_> {
    pub fn overall(results: &[CaseResult]) -> CaseVerdict {
        results
            .iter()
            .find(|r| r.verdict != CaseVerdict::AC)
            .map_or(CaseVerdict::AC, |r| r.verdict)
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
        let mut out = format!("{:<width$}  VERDICT  TIME      DETAIL\n", "CASE");
        for c in self.cases {
            let row = format!(
                "{:<width$}  {:<7}  {:>6}ms  {}",
                c.name,
                format!("{:?}", c.verdict),
                c.time_ms,
                c.message.as_deref().unwrap_or("")
            );
            let _ = writeln!(out, "{}", row.trim_end());
        }
        let _ = writeln!(
            out,
            "{}/{} passed: {:?}",
            self.passed, self.total, self.verdict
        );
        out
    }

    /// For the first wrong answer: the first differing line and a few around it.
    pub fn first_diff(&self) -> Option<String> {
        let case = self.cases.iter().find(|c| c.verdict == CaseVerdict::WA)?;
        let expected = String::from_utf8_lossy(case.expected.as_deref()?).into_owned();
        let actual = String::from_utf8_lossy(&case.stdout).into_owned();
        let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
        let first = (0..e.len().max(a.len()))
            .find(|&i| e.get(i).map(|s| s.trim_end()) != a.get(i).map(|s| s.trim_end()))?;
        let mut out = format!(
            "first difference in case {} at line {}:\n",
            case.name,
            first + 1
        );
        for i in first.saturating_sub(2)..(first + 3).min(e.len().max(a.len())) {
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

    pub fn junit(&self) -> String {
        let failures = self
            .cases
            .iter()
            .filter(|c| {
                !matches!(
                    c.verdict,
                    CaseVerdict::AC | CaseVerdict::IE | CaseVerdict::CE
                )
            })
            .count();
        let errors = self
            .cases
            .iter()
            .filter(|c| matches!(c.verdict, CaseVerdict::IE | CaseVerdict::CE))
            .count();
        let time: u64 = self.cases.iter().map(|c| c.time_ms).sum();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">",
            self.total,
            time as f64 / 1000.0
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">",
            xml(self.solution),
            self.total,
            time as f64 / 1000.0
        );
        for c in self.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
                xml(&c.name),
                xml(self.solution),
                c.time_ms as f64 / 1000.0
            );
            let detail = c.message.as_deref().unwrap_or("");
            match c.verdict {
                CaseVerdict::AC => out.push_str("/>\n"),
                CaseVerdict::CE | CaseVerdict::IE => {
                    let body = if c.verdict == CaseVerdict::CE {
                        self.compile_output.as_deref().unwrap_or("")
                    } else {
                        detail
                    };
                    let _ = write!(
                        out,
                        ">\n      <error type=\"{:?}\" message=\"{}\">{}</error>\n    </testcase>\n",
                        c.verdict,
                        xml(detail),
                        xml(body)
                    );
                }
                v => {
                    let _ = write!(
                        out,
                        ">\n      <failure type=\"{v:?}\" message=\"{v:?}: {}\"/>\n      <system-out>{}</system-out>\n      <system-err>{}</system-err>\n    </testcase>\n",
                        xml(detail),
                        xml(&clip_bytes(&c.stdout)),
                        xml(&clip_bytes(&c.stderr))
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
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

/// Escape for XML text and attributes, dropping characters XML 1.0 cannot hold.
fn xml(s: &str) -> String {
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

    fn result(name: &str, verdict: CaseVerdict, stdout: &str, expected: &str) -> CaseResult {
        CaseResult {
            name: name.into(),
            verdict,
            time_ms: 12,
            exit_code: Some(0),
            message: (verdict != CaseVerdict::AC).then(|| "output differs".to_string()),
            stdout: stdout.as_bytes().to_vec(),
            stderr: b"\x01warn <x>".to_vec(),
            expected: Some(expected.as_bytes().to_vec()),
        }
    }

    #[test]
    fn junit_is_escaped_and_counts_failures() {
        let cases = [
            result("a&b", CaseVerdict::AC, "1", "1"),
            result("c", CaseVerdict::WA, "2\n", "3\n"),
        ];
        let report = Report {
            solution: "sol.py",
            language: "python",
            verdict: Report::overall(&cases),
            passed: 1,
            total: 2,
            compile_output: None,
            cases: &cases,
        };
        let xml = report.junit();
        assert!(
            xml.contains("<testcase name=\"a&amp;b\" classname=\"sol.py\" time=\"0.012\"/>"),
            "{xml}"
        );
        assert!(xml.contains("failures=\"1\" errors=\"0\""), "{xml}");
        assert!(xml.contains("<failure type=\"WA\""), "{xml}");
        assert!(xml.contains("\u{FFFD}warn &lt;x&gt;"), "{xml}");
        assert_eq!(report.verdict, CaseVerdict::WA);
        let diff = report.first_diff().unwrap();
        assert!(
            diff.contains("line 1") && diff.contains("- 3") && diff.contains("+ 2"),
            "{diff}"
        );
    }
}
