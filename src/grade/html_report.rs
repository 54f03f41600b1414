//! `--html FILE`: grading results as one self-contained page, for the teachers and problem
//! setters who read a CI run's results rather than its log. The page is a single file (inline
//! CSS; no script, font, image or request of any kind; a Content-Security-Policy that forbids
//! them all besides), readable without JavaScript, and every text that came from a submission, a
//! compiler, a checker or the test data is escaped twice over: HTML's own characters, and control
//! characters shown as `\x1b` (a terminal-style escape would otherwise hide in a copy and paste).

use std::fmt::Write as _;

use super::case_result::CaseResult;
use super::report::{points, Report};
use super::score::GroupScore;
use super::verification::{Row, Verification};
use crate::escape;
use crate::units::format_size_approx;
use crate::verdict::Verdict;

/// Lines of each side shown around a diff's first difference.
const CONTEXT_LINES: usize = 3;
/// Lines of each side shown in a diff in all; a longer output is clipped, its size said.
const SHOWN_LINES: usize = 60;
/// Characters of one line shown; the rest is clipped.
const LINE_CHARS: usize = 300;
/// Bytes of compiler output, stderr or feedback shown.
const SHOWN_TEXT: usize = 64 * 1024;

const STYLE: &str = include_str!("html_report.css");

/// The page for `codecage test`: one section per submission (with `--each`, a summary first).
pub fn test_page(reports: &[Report]) -> String {
    let title = match reports {
        [one] => format!("{} on {}", one.verdict, one.solution),
        many => format!("{} submissions", many.len()),
    };
    let mut body = format!("<h1>codecage test: {}</h1>\n", line(&title));
    if reports.len() > 1 {
        body.push_str(&submissions_table(reports));
    }
    for (i, r) in reports.iter().enumerate() {
        body.push_str(&submission(r, i));
    }
    page(&title, &body)
}

/// The page for `codecage verify`: its summary and a matrix of submissions x cases, the
/// submissions not as expected first.
pub fn verify_page(v: &Verification) -> String {
    let good = v.submissions.iter().filter(|r| r.ok).count();
    let title = format!("verify {}", v.problem);
    let mut body = format!(
        "<h1>codecage {}</h1>\n<dl class=\"summary\">\n",
        line(&title)
    );
    let verdict = if v.ok {
        badge_text("ok", "AC")
    } else {
        badge_text("not as expected", "WA")
    };
    let _ = writeln!(
        body,
        "<dt>Result</dt><dd>{verdict}</dd>\n<dt>Submissions as expected</dt><dd>{good}/{}</dd>\n<dt>Type</dt><dd>{}</dd>\n<dt>Time limit</dt><dd>{} ms ({})</dd>\n</dl>",
        v.submissions.len(),
        line(v.kind),
        v.time_limit_ms,
        line(&v.time_limit_from)
    );
    body.push_str(&matrix(&v.submissions));
    page(&title, &body)
}

/// The document around a body.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"codecage {}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        line(title)
    )
}

/// `--each`: one row per submission, linked to its section.
fn submissions_table(reports: &[Report]) -> String {
    let accepted = reports.iter().filter(|r| r.verdict.is_accepted()).count();
    let mut out = format!(
        "<p class=\"total\">{accepted}/{} submissions accepted</p>\n<table class=\"submissions\">\n<thead><tr><th>Submission</th><th>Language</th><th>Verdict</th><th>Passed</th><th>Score</th></tr></thead>\n<tbody>\n",
        reports.len()
    );
    for (i, r) in reports.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#s{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}/{}</td><td>{}/{}</td></tr>",
            line(&r.solution),
            line(&r.language),
            badge(r.verdict),
            r.passed,
            r.total,
            points(r.score),
            points(r.max_score)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// One submission: its summary, compile output, groups and cases.
fn submission(r: &Report, index: usize) -> String {
    let mut out = format!(
        "<section class=\"submission\" id=\"s{index}\">\n<h2>{} {}</h2>\n<dl class=\"summary\">\n",
        badge(r.verdict),
        line(&r.solution)
    );
    let skipped = if r.skipped > 0 {
        format!(" ({} skipped after the first failure)", r.skipped)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<dt>Verdict</dt><dd>{} {}</dd>\n<dt>Score</dt><dd>{}/{}</dd>\n<dt>Passed</dt><dd>{}/{}{skipped}</dd>\n<dt>Language</dt><dd>{}</dd>\n<dt>Limits</dt><dd>{}</dd>\n</dl>",
        r.verdict.code(),
        r.verdict.description(),
        points(r.score),
        points(r.max_score),
        r.passed,
        r.total,
        line(&r.language),
        limits_summary(&r.cases)
    );
    if let Some(output) = &r.compile_output {
        let _ = writeln!(
            out,
            "<details class=\"compile\"{}><summary>Compiler output ({} lines)</summary>\n<pre>{}</pre>\n</details>",
            if r.verdict == Verdict::CompileError { " open" } else { "" },
            output.lines().count(),
            block(output.as_bytes())
        );
    }
    if !r.groups.is_empty() {
        out.push_str(&groups_table(&r.groups));
    }
    out.push_str(&cases_table(&r.cases));
    out.push_str("</section>\n");
    out
}

/// The limits the cases ran under: one line when they all share them, else "per case".
fn limits_summary(cases: &[CaseResult]) -> String {
    let mut all = cases.iter().filter_map(|c| c.limits);
    let Some(first) = all.next() else {
        return "-".to_string();
    };
    let cpu = first
        .cpu_ms
        .map_or(String::new(), |ms| format!("CPU time {}, ", millis(ms)));
    let mut text = format!(
        "{cpu}wall clock {}, memory {}, output {}",
        millis(first.wall_ms),
        format_size_approx(first.memory_bytes),
        format_size_approx(first.output_bytes)
    );
    if all.any(|l| l != first) {
        text.push_str(" (some cases have their own: see each bar)");
    }
    text
}

/// Scoring groups: points, verdict, passed cases, unmet dependencies.
fn groups_table(groups: &[GroupScore]) -> String {
    let mut out = String::from(
        "<table class=\"groups\">\n<thead><tr><th>Group</th><th>Points</th><th>Verdict</th><th>Passed</th><th>Note</th></tr></thead>\n<tbody>\n",
    );
    for g in groups {
        let note = if g.unmet.is_empty() {
            String::new()
        } else {
            format!("needs {}", line(&g.unmet.join(", ")))
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}/{}</td><td>{}</td><td>{}/{}</td><td>{note}</td></tr>",
            line(&g.name),
            points(g.score),
            points(g.max_score),
            badge(g.verdict),
            g.passed,
            g.total
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// One row per case, and under a failing one what explains it.
fn cases_table(cases: &[CaseResult]) -> String {
    let mut out = String::from(
        "<table class=\"cases\">\n<thead><tr><th>Case</th><th>Group</th><th>Verdict</th><th>Wall time</th><th>CPU time</th><th>Peak memory</th><th>Exit</th><th>Detail</th></tr></thead>\n<tbody>\n",
    );
    for c in cases {
        let limits = c.limits;
        let _ = writeln!(
            out,
            "<tr class=\"case {}\"><td class=\"name\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if c.verdict.is_accepted() { "pass" } else { "fail" },
            line(&c.name),
            c.group.as_deref().map(line).unwrap_or_default(),
            badge(c.verdict),
            meter(Some(c.time_ms), limits.map(|l| l.wall_ms), millis),
            meter(c.cpu_ms, limits.and_then(|l| l.cpu_ms), millis),
            meter(c.memory_bytes, limits.map(|l| l.memory_bytes), format_size_approx),
            exit_status(c.exit_code),
            detail(c)
        );
        let explained = explanation(c);
        if !explained.is_empty() {
            let _ = writeln!(
                out,
                "<tr class=\"explain\"><td colspan=\"8\">{explained}</td></tr>"
            );
        }
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A measurement as a bar against its limit, with both as text ("-" when not measured).
fn meter(value: Option<u64>, limit: Option<u64>, format: fn(u64) -> String) -> String {
    let Some(value) = value else {
        return "<span class=\"na\" title=\"not measurable here\">-</span>".to_string();
    };
    match limit.filter(|l| *l > 0) {
        Some(limit) => format!(
            "<meter min=\"0\" max=\"{limit}\" low=\"{}\" high=\"{}\" optimum=\"0\" value=\"{}\"></meter> <span class=\"figure\">{} / {}</span>",
            limit / 2,
            limit * 9 / 10,
            value.min(limit),
            format(value),
            format(limit)
        ),
        None => format!("<span class=\"figure\">{}</span>", format(value)),
    }
}

/// "0", "139 (SIGSEGV)"; a container's 128+N is signal N.
fn exit_status(code: Option<i64>) -> String {
    let Some(code) = code else {
        return "-".to_string();
    };
    let name = match code - 128 {
        4 => "SIGILL",
        6 => "SIGABRT",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        24 => "SIGXCPU",
        25 => "SIGXFSZ",
        n if (1..=64).contains(&n) => return format!("{code} (signal {n})"),
        _ => return code.to_string(),
    };
    format!("{code} ({name}, signal {})", code - 128)
}

/// The message, a partial score, and the first line of the judge's feedback.
fn detail(c: &CaseResult) -> String {
    let mut parts: Vec<String> = c.message.iter().map(|m| line(m)).collect();
    if let Some(s) = c.score.filter(|s| c.verdict.is_accepted() && *s < 1.0) {
        parts.push(format!("partial {}", points(s)));
    }
    parts.join(": ")
}

/// Under a failing case: the checker's feedback, the diff of a wrong answer, its stderr.
fn explanation(c: &CaseResult) -> String {
    let mut out = String::new();
    if let Some(feedback) = &c.feedback {
        let _ = writeln!(
            out,
            "<div class=\"feedback\"><h4>Checker feedback</h4><pre>{}</pre></div>",
            block(feedback.as_bytes())
        );
    }
    let wrong = matches!(c.verdict, Verdict::WrongAnswer | Verdict::PresentationError);
    if let (true, Some(expected)) = (wrong, &c.expected) {
        out.push_str(&side_by_side(expected, &c.stdout));
    }
    if !c.verdict.is_accepted() && !c.stderr.is_empty() {
        let _ = writeln!(
            out,
            "<details class=\"stderr\"><summary>stderr ({})</summary><pre>{}</pre></details>",
            size(c.stderr.len()),
            block(&c.stderr)
        );
    }
    out
}

/// Expected and received output side by side around the first differing line, whose first
/// differing character is marked; binary output is said to be binary, not shown.
fn side_by_side(expected: &[u8], received: &[u8]) -> String {
    let mut out = String::from("<div class=\"diff\">\n");
    let binary = [("expected", expected), ("received", received)]
        .into_iter()
        .filter(|(_, bytes)| is_binary(bytes))
        .map(|(side, bytes)| {
            format!(
                "<p class=\"binary\">The {side} output is binary ({}): not shown.</p>",
                size(bytes.len())
            )
        })
        .collect::<String>();
    if !binary.is_empty() {
        out.push_str(&binary);
        out.push_str("</div>\n");
        return out;
    }
    let (e, r) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(received),
    );
    let (e, r): (Vec<&str>, Vec<&str>) = (e.lines().collect(), r.lines().collect());
    let first = (0..e.len().max(r.len()))
        .find(|&i| e.get(i).map(|s| s.trim_end()) != r.get(i).map(|s| s.trim_end()));
    let start = first.map_or(0, |f| f.saturating_sub(CONTEXT_LINES));
    let end = (start + SHOWN_LINES).min(e.len().max(r.len()));
    let _ = writeln!(
        out,
        "<p class=\"where\">{}; expected {}, received {}{}</p>",
        first.map_or(
            "No line differs (the comparison looked at more than lines)".to_string(),
            |f| format!("First difference at line {}", f + 1)
        ),
        size_and_lines(expected.len(), e.len()),
        size_and_lines(received.len(), r.len()),
        if start > 0 || end < e.len().max(r.len()) {
            format!(": showing lines {}-{}", start + 1, end)
        } else {
            String::new()
        }
    );
    out.push_str("<table class=\"sides\">\n<thead><tr><th class=\"ln\">#</th><th>Expected</th><th class=\"ln\">#</th><th>Received</th></tr></thead>\n<tbody>\n");
    for i in start..end {
        out.push_str(&diff_row(
            i,
            e.get(i).copied(),
            r.get(i).copied(),
            first == Some(i),
        ));
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

/// One line of each side; on the first differing line, the first differing character marked.
fn diff_row(i: usize, e: Option<&str>, r: Option<&str>, first: bool) -> String {
    let differs = e.map(str::trim_end) != r.map(str::trim_end);
    // Only the first differing line has a character marked; `usize::MAX` marks none.
    let at = if first {
        let (e, r) = (e.unwrap_or(""), r.unwrap_or(""));
        e.chars().zip(r.chars()).take_while(|(a, b)| a == b).count()
    } else {
        usize::MAX
    };
    let cell = |text: Option<&str>| match text {
        None => "<td class=\"ln\"></td><td class=\"missing\">(no line)</td>".to_string(),
        Some(t) => format!(
            "<td class=\"ln\">{}</td><td><code>{}</code></td>",
            i + 1,
            marked(t, at)
        ),
    };
    format!(
        "<tr class=\"{}{}\">{}{}</tr>\n",
        if differs { "differs" } else { "same" },
        if first { " first" } else { "" },
        cell(e),
        cell(r)
    )
}

/// A line, clipped, with the character at `at` (and what follows) marked. A mark past the clip
/// moves the shown part of the line to it, the characters skipped counted.
fn marked(text: &str, at: usize) -> String {
    let total = text.chars().count();
    let skip = if at != usize::MAX && at >= LINE_CHARS {
        at - LINE_CHARS / 4
    } else {
        0
    };
    let clipped: String = text.chars().skip(skip).take(LINE_CHARS).collect();
    let before = if skip > 0 {
        format!("<span class=\"clip\">({skip} characters before) …</span>")
    } else {
        String::new()
    };
    let more = if skip + LINE_CHARS < total {
        format!("<span class=\"clip\">… ({total} characters in all)</span>")
    } else {
        String::new()
    };
    let at_end = at != usize::MAX && at >= total;
    let at = if at == usize::MAX { at } else { at - skip };
    if at >= clipped.chars().count() {
        let end = if at_end {
            "<mark class=\"eol\">⏎</mark>"
        } else {
            ""
        };
        return format!("{before}{}{end}{more}", line(&clipped));
    }
    let head: String = clipped.chars().take(at).collect();
    let tail: String = clipped.chars().skip(at).collect();
    format!("{before}{}<mark>{}</mark>{more}", line(&head), line(&tail))
}

/// Not text to show: not UTF-8, or with NUL bytes.
fn is_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0) || std::str::from_utf8(bytes).is_err()
}

/// `--verify`'s matrix: a row per submission (failures first), a column per case.
fn matrix(rows: &[Row]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for (name, _) in rows.iter().flat_map(|r| &r.cases) {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let mut out = String::from("<table class=\"matrix\">\n<thead><tr><th>Submission</th><th>Language</th><th>Expected</th><th>Verdict</th><th>Score</th><th>OK</th>");
    for name in &names {
        let _ = write!(
            out,
            "<th class=\"case-head\"><span>{}</span></th>",
            line(name)
        );
    }
    out.push_str("<th>Detail</th></tr></thead>\n<tbody>\n");
    let mut sorted: Vec<&Row> = rows.iter().collect();
    // Failures first; `sort_by_key` is stable, so the package's order holds within each.
    sorted.sort_by_key(|r| r.ok);
    for r in sorted {
        let _ = write!(
            out,
            "<tr class=\"{}\"><td class=\"name\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            if r.ok { "pass" } else { "fail" },
            line(&r.path),
            r.language.as_deref().map(line).unwrap_or_else(|| "-".into()),
            line(r.expected),
            badge(r.verdict),
            r.score.map_or("-".to_string(), points),
            if r.ok { badge_text("ok", "AC") } else { badge_text("NO", "WA") }
        );
        for name in &names {
            let verdict = r.cases.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
            let cell = verdict.map_or("<span class=\"na\">·</span>".to_string(), badge);
            let _ = write!(out, "<td class=\"cell\">{cell}</td>");
        }
        let _ = writeln!(
            out,
            "<td>{}</td></tr>",
            r.detail.as_deref().map(line).unwrap_or_default()
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A verdict as a coloured badge, its meaning in the tooltip.
fn badge(v: Verdict) -> String {
    format!(
        "<span class=\"badge v-{}\" title=\"{}\">{}</span>",
        v.code(),
        v.description(),
        v.code()
    )
}

/// A badge with its own words, coloured as `like`.
fn badge_text(text: &str, like: &str) -> String {
    format!("<span class=\"badge v-{like}\">{}</span>", line(text))
}

fn millis(ms: u64) -> String {
    if ms >= 1000 {
        format!("{:.2} s", ms as f64 / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{bytes} bytes, {}", format_size_approx(bytes as u64))
    }
}

fn size_and_lines(bytes: usize, lines: usize) -> String {
    format!("{} in {lines} lines", size(bytes))
}

/// Untrusted multi-line text for a `<pre>`: clipped, control characters shown, HTML escaped.
fn block(bytes: &[u8]) -> String {
    if is_binary(bytes) {
        return format!("(binary, {}: not shown)", size(bytes.len()));
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(SHOWN_TEXT)]);
    let mut out = html(&escape::text(&text));
    if bytes.len() > SHOWN_TEXT {
        let _ = write!(
            out,
            "\n<span class=\"clip\">… clipped: {} in all</span>",
            size(bytes.len())
        );
    }
    out
}

/// Untrusted text on one line: control characters (newlines too) shown, HTML escaped.
fn line(s: &str) -> String {
    html(&escape::line(s))
}

/// Escape HTML's own characters, for text and quoted attributes alike.
fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::package::{Expected, Kind};

    fn report(names: &[(&str, Verdict)]) -> Report {
        let cases = names
            .iter()
            .map(|(n, v)| CaseResult::failed(n, *v, None))
            .collect();
        Report::new("s<1>.py".into(), "python".into(), cases, 0, None)
    }

    #[test]
    fn the_verify_matrix_puts_failures_first_and_escapes_names() {
        let good = report(&[("1", Verdict::Accepted), ("<2>", Verdict::Accepted)]);
        let bad = report(&[("1", Verdict::Accepted), ("<2>", Verdict::TimeLimit)]);
        let rows = vec![
            Row::judged(
                "accepted/a.py".into(),
                Expected::Accepted,
                Kind::PassFail,
                false,
                &good,
            ),
            Row::judged(
                "accepted/<b>.py".into(),
                Expected::Accepted,
                Kind::PassFail,
                false,
                &bad,
            ),
        ];
        let page = verify_page(&Verification {
            problem: "p&q".into(),
            kind: "pass-fail",
            time_limit_ms: 1000,
            time_limit_from: "the package".into(),
            ok: false,
            submissions: rows,
        });
        let bad_row = page.find("accepted/&lt;b&gt;.py").expect("escaped path");
        assert!(
            bad_row < page.find("accepted/a.py").unwrap(),
            "failures first"
        );
        assert!(
            page.contains("<span>&lt;2&gt;</span>"),
            "the case's name escaped"
        );
        assert!(page.contains("<title>verify p&amp;q</title>"));
        assert!(!page.contains("<b>"));
    }

    #[test]
    fn untrusted_text_is_escaped_and_control_characters_shown() {
        assert_eq!(
            line("<a href='x'>\x1b[2J\n"),
            "&lt;a href=&#39;x&#39;&gt;\\x1b[2J\\n"
        );
        assert_eq!(block(b"</pre>\n\x07"), "&lt;/pre&gt;\n\\x07");
        assert_eq!(block(b"\x00\xff"), "(binary, 2 bytes: not shown)");
        let long = "x".repeat(SHOWN_TEXT + 1);
        assert!(block(long.as_bytes()).ends_with("clipped: 65537 bytes, 64 KiB in all</span>"));
    }

    #[test]
    fn exit_statuses_name_their_signal() {
        assert_eq!(exit_status(Some(139)), "139 (SIGSEGV, signal 11)");
        assert_eq!(exit_status(Some(3)), "3");
        assert_eq!(exit_status(Some(130)), "130 (signal 2)");
        assert_eq!(exit_status(None), "-");
    }

    #[test]
    fn a_long_diff_is_clipped_around_its_first_difference() {
        let expected: String = (0..1000).map(|i| format!("{i}\n")).collect();
        let received = expected.replace("500\n", "501\n");
        let diff = side_by_side(expected.as_bytes(), received.as_bytes());
        assert!(diff.contains("First difference at line 501;"), "{diff}");
        assert!(diff.contains("showing lines 498-557"), "{diff}");
        assert!(diff.contains("<code>50<mark>0</mark></code>"), "{diff}");
    }

    #[test]
    fn a_long_line_is_clipped_with_its_length_said_and_its_difference_shown() {
        let expected = "a".repeat(1000);
        let early = format!("b{}", &expected[1..]);
        assert_eq!(
            marked(&early, 0),
            format!(
                "<mark>b{}</mark><span class=\"clip\">… (1000 characters in all)</span>",
                "a".repeat(LINE_CHARS - 1)
            )
        );
        // The first difference at character 701: the shown part moves to it.
        let late = format!("{}b{}", &expected[..700], &expected[701..]);
        let row = diff_row(0, Some(&expected), Some(&late), true);
        let want = format!(
            "<code><span class=\"clip\">(625 characters before) …</span>{}<mark>b{}</mark><span class=\"clip\">… (1000 characters in all)</span></code>",
            "a".repeat(75),
            "a".repeat(LINE_CHARS - 76)
        );
        assert!(row.contains(&want), "{row}");
        // A received line that stops short, past the clip: the end of line marked.
        let short = &expected[..900];
        let row = diff_row(0, Some(&expected), Some(short), true);
        assert!(
            row.contains(&format!(
                "<code><span class=\"clip\">(825 characters before) …</span>{}<mark class=\"eol\">⏎</mark></code>",
                "a".repeat(75)
            )),
            "{row}"
        );
    }
}
