//! Grading results where CI shows them: a Markdown summary (`--markdown FILE`, and GitHub's job
//! summary, `$GITHUB_STEP_SUMMARY`) and GitHub workflow-command annotations (`::error`) on the
//! failing cases. Every text that came from a submission, a checker or the test data is escaped
//! by the rules of where it goes: Markdown's and HTML's characters in the summary (GitHub renders
//! HTML in it), a code fence longer than any run of backticks in a diff, and GitHub's
//! percent-encoding in an annotation, so none of it can end a table cell, close a fence or
//! start a command of its own.

use std::fmt::Write as _;

use super::report::{points, Report};
use super::verification::Verification;
use crate::escape;
use crate::units::format_size_approx;
use crate::verdict::Verdict;

/// GitHub shows at most 10 error annotations per step; more are counted in one notice.
const MAX_ANNOTATIONS: usize = 10;

/// `codecage test`'s summary: a table of submissions with `--each`, else one of cases; then
/// the first failure explained.
pub fn test_markdown(reports: &[Report]) -> String {
    let mut out = String::new();
    if let [r] = reports {
        let _ = writeln!(
            out,
            "### codecage test: {} {}\n\n{}\n",
            icon(r.verdict),
            cell(&format!("{} on {}", r.verdict, r.solution)),
            totals(r)
        );
        out.push_str(&cases_table(r));
        if let Some(explained) = r.first_feedback().or_else(|| r.first_diff()) {
            let _ = write!(
                out,
                "\n<details><summary>Why the first failure failed</summary>\n\n{}\n</details>\n",
                fenced(&explained)
            );
        }
        return out;
    }
    let accepted = reports.iter().filter(|r| r.verdict.is_accepted()).count();
    let _ = writeln!(
        out,
        "### codecage test: {accepted}/{} submissions accepted\n\n| Submission | Language | Verdict | Passed | Score |\n|---|---|---|---:|---:|",
        reports.len()
    );
    for r in reports {
        let _ = writeln!(
            out,
            "| {} | {} | {} {} | {}/{} | {}/{} |",
            cell(&r.solution),
            cell(&r.language),
            icon(r.verdict),
            r.verdict,
            r.passed,
            r.total,
            points(r.score),
            points(r.max_score)
        );
    }
    out
}

/// Verdict, score and passed cases on one line.
fn totals(r: &Report) -> String {
    let skipped = if r.skipped > 0 {
        format!(" ({} skipped after the first failure)", r.skipped)
    } else {
        String::new()
    };
    format!(
        "**{}** ({}) · score **{}/{}** · passed **{}/{}**{skipped} · {}",
        r.verdict,
        r.verdict.description(),
        points(r.score),
        points(r.max_score),
        r.passed,
        r.total,
        cell(&r.language)
    )
}

/// One row per case.
fn cases_table(r: &Report) -> String {
    let mut out = String::from(
        "| Case | Verdict | Time | CPU | Memory | Detail |\n|---|---|---:|---:|---:|---|\n",
    );
    for c in &r.cases {
        let _ = writeln!(
            out,
            "| {} | {} {} | {} ms | {} | {} | {} |",
            cell(&c.name),
            icon(c.verdict),
            c.verdict,
            c.time_ms,
            c.cpu_ms.map_or("-".to_string(), |ms| format!("{ms} ms")),
            c.memory_bytes.map_or("-".to_string(), format_size_approx),
            cell(c.message.as_deref().unwrap_or(""))
        );
    }
    out
}

/// `codecage verify`'s summary: the submissions not as expected first.
pub fn verify_markdown(v: &Verification) -> String {
    let good = v.submissions.iter().filter(|r| r.ok).count();
    let mut out = format!(
        "### codecage verify {}: {} {good}/{} submissions as expected\n\nTime limit {} ms ({}).\n\n| Submission | Expected | Verdict | OK | Detail |\n|---|---|---|---|---|\n",
        cell(&v.problem),
        if v.ok { "✅" } else { "❌" },
        v.submissions.len(),
        v.time_limit_ms,
        cell(&v.time_limit_from)
    );
    let mut rows: Vec<_> = v.submissions.iter().collect();
    rows.sort_by_key(|r| r.ok);
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} {} | {} | {} |",
            cell(&r.path),
            r.expected,
            icon(r.verdict),
            r.verdict,
            if r.ok { "yes" } else { "**no**" },
            cell(r.detail.as_deref().unwrap_or(""))
        );
    }
    out
}

/// `::error` annotations for the failing cases of every submission (at most 10, then a notice).
pub fn test_annotations(reports: &[Report]) -> String {
    let failures: Vec<(String, String)> = reports
        .iter()
        .flat_map(|r| {
            r.cases
                .iter()
                .filter(|c| !c.verdict.is_accepted())
                .map(move |c| {
                    let detail = [c.message.as_deref(), c.feedback.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("\n");
                    (
                        format!("{}: case {} {}", r.solution, c.name, c.verdict),
                        format!(
                            "{} ({}){}",
                            c.verdict,
                            c.verdict.description(),
                            tail(&detail)
                        ),
                    )
                })
        })
        .collect();
    annotations(&failures, "failing cases")
}

/// `::error` annotations for the submissions not as expected.
pub fn verify_annotations(v: &Verification) -> String {
    let failures: Vec<(String, String)> = v
        .submissions
        .iter()
        .filter(|r| !r.ok)
        .map(|r| {
            (
                format!("{}: expected {}, got {}", r.path, r.expected, r.verdict),
                r.detail.clone().unwrap_or_default(),
            )
        })
        .collect();
    annotations(&failures, "submissions not as expected")
}

fn annotations(failures: &[(String, String)], what: &str) -> String {
    let mut out = String::new();
    for (title, message) in failures.iter().take(MAX_ANNOTATIONS) {
        let _ = writeln!(
            out,
            "::error title={}::{}",
            command_property(title),
            command_data(message)
        );
    }
    if failures.len() > MAX_ANNOTATIONS {
        let _ = writeln!(
            out,
            "::notice title=codecage::{} more {what} (GitHub shows 10 annotations a step): see the job summary",
            failures.len() - MAX_ANNOTATIONS
        );
    }
    out
}

/// ": detail" when there is one.
fn tail(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

fn icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Accepted => "✅",
        Verdict::InternalError | Verdict::Cancelled => "⚠️",
        _ => "❌",
    }
}

/// A workflow command's message: GitHub's percent-encoding (as `@actions/core` escapes it), with
/// control characters shown first as on the terminal, so an ESC stays visible.
pub fn command_data(s: &str) -> String {
    let shown = escape::text(s).replace('\t', " ");
    shown
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: its message's escapes, and `:` and `,` too, which would
/// end it.
pub fn command_property(s: &str) -> String {
    command_data(&escape::line(s))
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Untrusted text in a table cell: one line, Markdown's and HTML's characters escaped.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in escape::line(s).chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' | '@' => {
                out.push('\\');
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    out
}

/// Untrusted multi-line text in a code fence longer than any run of backticks in it.
fn fenced(text: &str) -> String {
    let text = escape::text(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", text.trim_end())
}

/// Whether to speak to GitHub Actions: `--github`, or its runner's `GITHUB_ACTIONS=true`.
pub fn on_github(flag: bool) -> bool {
    flag || std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Append the summary to the job summary file GitHub names in `GITHUB_STEP_SUMMARY` (nothing
/// when it names none: `--github` outside Actions still gives the annotations).
pub fn append_step_summary(markdown: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("cannot open GITHUB_STEP_SUMMARY {}", path.to_string_lossy()))?;
    // A blank line first, so a summary appended after another step's still starts a block.
    file.write_all(format!("\n{markdown}").as_bytes())
        .with_context(|| {
            format!(
                "cannot write GITHUB_STEP_SUMMARY {}",
                path.to_string_lossy()
            )
        })
}

/// Untrusted text for a GitHub Actions log: the runner reads any line that starts with `::`
/// (after blanks) as a workflow command, so a submission's compile output or a checker's feedback
/// quoting it could raise fake annotations or `::stop-commands::` codecage's own. Such a line
/// gets a backslash in front, shown, not obeyed.
pub fn defuse(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with("::") {
                format!("\\{line}")
            } else {
                line.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_are_escaped_by_githubs_rules() {
        assert_eq!(command_data("50%\nnext: a,b"), "50%25%0Anext: a,b");
        // A carriage return is shown as on the terminal (it could hide what precedes it).
        assert_eq!(command_data("a\r\n"), "a\\r%0A");
        assert_eq!(command_property("a: b,c%\n"), "a%3A b%2Cc%25\\n");
        assert_eq!(command_data("\x1b[2J"), "\\x1b[2J");
    }

    #[test]
    fn untrusted_text_cannot_break_out_of_markdown_or_into_a_command() {
        assert_eq!(
            cell("a|b <i>*x*</i>\n"),
            "a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt;\\\\n"
        );
        assert_eq!(fenced("x ```` y"), "`````text\nx ```` y\n`````\n");
        assert_eq!(
            defuse("ok\n  ::stop-commands::x\n::error::fake"),
            "ok\n\\  ::stop-commands::x\n\\::error::fake"
        );
    }
}
