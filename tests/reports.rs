//! The reports people look at after a CI run: `--html` rendered in a real headless Chromium
//! (its table, a wrong answer's diff, a hostile output shown as text, no network request).

use base64::Engine as _;
use serde_json::{json, Value};

use crate::harness::Test;
use crate::serve::Browser;

/// A submission with one case of each kind the page has to show.
const SOLUTION: &str = r#"import sys
cmd = sys.stdin.read().split()
if cmd[0] == "count":
    for i in range(int(cmd[1])):
        print(i if i != 7 else 99)
elif cmd[0] == "hostile":
    print("<script>alert(1)</script></td><img src=http://127.0.0.1:9/x>\x1b[2J fake AC")
elif cmd[0] == "crash":
    print("partial")
    raise SystemExit(3)
elif cmd[0] == "binary":
    sys.stdout.buffer.write(b"\x00\x01\xff")
else:
    print(cmd[1])
"#;

const SUITE: &str = r#"groups:
  - name: basics
    points: 40
  - name: tricky
    points: 60
cases:
  - name: echo
    stdin: "echo 5"
    stdout: "5\n"
    group: basics
  - name: count
    stdin: "count 12"
    stdout_file: count.out
    group: basics
  - name: "a<b></td>, x: 100%"
    stdin: hostile
    stdout: "safe\n"
    group: tricky
  - name: crash
    stdin: crash
    stdout: "partial\n"
    group: tricky
  - name: binary
    stdin: binary
    stdout: "text\n"
    group: tricky
"#;

/// Grade the suite with every report on, as on GitHub's runners (`GITHUB_ACTIONS=true`): the
/// run's directory holds `report.html`, `summary.md` and the job summary, `step.md`.
fn graded() -> crate::harness::Output {
    let expected: String = (0..12).map(|i| format!("{i}\n")).collect();
    let test = Test::new()
        .file("sol.py", SOLUTION)
        .file("suite.yaml", SUITE)
        .file("count.out", expected)
        .file("step.md", "earlier step\n");
    let step = test.path().join("step.md").display().to_string();
    test.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &step)
        .args([
            "test",
            "sol.py",
            "--suite",
            "suite.yaml",
            "--html",
            "report.html",
        ])
        .args(["--markdown", "summary.md"])
        .status(1)
}

/// The Markdown summary and the `::error` annotations, pinned (times and memory, which vary,
/// blanked): names escaped for a table cell and a command's property, one annotation per
/// failing case on stdout after the table, the job summary appended to what was there.
#[test]
fn markdown_summary_and_github_annotations() {
    let out = graded();
    let markdown = String::from_utf8(out.read("summary.md")).unwrap();
    let step = String::from_utf8(out.read("step.md")).unwrap();
    assert_eq!(step, format!("earlier step\n\n{markdown}"));
    insta::assert_snapshot!("report_markdown", blank_figures(&markdown));
    let stdout = out.stdout_str();
    let table_end = stdout.find("passed: WA").expect("the table");
    let annotations: String = stdout[table_end..]
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("report_annotations", annotations);
}

/// The time, CPU and memory cells of the cases table, which differ from run to run.
fn blank_figures(markdown: &str) -> String {
    markdown
        .lines()
        .map(|line| {
            let mut cells: Vec<&str> = line.split(" | ").collect();
            if cells.len() == 6 && !line.starts_with("| Case") {
                cells[2] = "T";
                cells[3] = "C";
                cells[4] = "M";
            }
            format!("{}\n", cells.join(" | "))
        })
        .collect()
}

/// The page as a browser shows it: every case with its verdict, the wrong answer's diff with
/// its first difference marked, the hostile output and case name as text (no element made of
/// them, no script run, no dialog), and not one request beyond the file itself.
#[test]
fn the_html_report_in_headless_chromium() {
    let out = graded();
    let html = String::from_utf8(out.read("report.html")).unwrap();
    assert!(!html.contains("<script"), "no script element at all");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    let url = format!("file://{}", out.dir.path().join("report.html").display());

    let mut browser = Browser::start();
    for domain in ["Page.enable", "Network.enable", "Runtime.enable"] {
        browser.call(domain, json!({}));
    }
    // Escaping alone must hold: the page's Content-Security-Policy would block a script (and
    // the image) even if it failed, so the test switches the policy off.
    browser.call("Page.setBypassCSP", json!({"enabled": true}));
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    );
    browser.call("Page.navigate", json!({"url": url}));
    browser.event("Page.loadEventFired");

    let rows = browser.eval(
        r#"[...document.querySelectorAll('table.cases tr.case')].map(r =>
            r.querySelector('.name').textContent + '=' + r.querySelector('.badge').textContent).join(' ')"#,
    );
    assert_eq!(
        rows, "echo=AC count=WA a<b></td>, x: 100%=WA crash=RE binary=WA",
        "every case, its name as text and its verdict"
    );
    let summary = browser.eval("document.querySelector('dl.summary').textContent");
    for part in ["WA wrong answer", "1/5", "python", "CPU time 2.00 s"] {
        assert!(summary.contains(part), "{part} in {summary}");
    }
    let groups = browser.eval(
        "[...document.querySelectorAll('table.groups tbody tr')].map(r => r.textContent).join('|')",
    );
    assert_eq!(groups, "basics20/40WA1/2|tricky0/60WA0/3");
    let diff = browser.eval(
        r#"(() => { const t = document.querySelectorAll('table.sides')[0];
            return document.querySelector('p.where').textContent + '|' +
                [...t.querySelectorAll('tr.first td')].map(c => c.textContent).join(',') + '|' +
                [...t.querySelectorAll('mark')].map(m => m.textContent).join(','); })()"#,
    );
    assert_eq!(
        diff,
        "First difference at line 8; expected 26 bytes in 12 lines, received 27 bytes in 12 lines: showing lines 5-12|8,7,8,99|7,99",
    );
    let hostile = browser.eval(
        r#"[...document.querySelectorAll('table.sides')][1].querySelector('tr.first').textContent"#,
    );
    assert!(
        hostile.contains(
            "<script>alert(1)</script></td><img src=http://127.0.0.1:9/x>\\x1b[2J fake AC"
        ),
        "shown as text, ESC as \\x1b: {hostile}"
    );
    let injected = browser.eval(
        "[document.scripts.length, document.images.length, document.querySelectorAll('tr.case').length].join(',')",
    );
    assert_eq!(injected, "0,0,5", "no element came from the output");
    let binary = browser.eval("document.querySelector('p.binary').textContent");
    assert_eq!(
        binary,
        "The received output is binary (3 bytes): not shown."
    );
    let meters = browser.eval("String(document.querySelectorAll('table.cases meter').length)");
    assert_eq!(
        meters, "15",
        "wall, CPU and memory against their limits for every case"
    );

    save_screenshot(&mut browser);
    assert_no_dialog_or_request(&browser.events, &url);
}

/// No `alert` dialog opened, and the only request is the page itself.
fn assert_no_dialog_or_request(events: &[Value], url: &str) {
    assert!(
        !events
            .iter()
            .any(|e| e["method"] == "Page.javascriptDialogOpening"),
        "a script ran: {events:?}"
    );
    let requests: Vec<&str> = events
        .iter()
        .filter(|e| e["method"] == "Network.requestWillBeSent")
        .filter_map(|e| e["params"]["request"]["url"].as_str())
        .collect();
    assert_eq!(requests, [url], "the page made no request of its own");
}

/// The whole page as a PNG, kept with the test's artefacts (docs/report.png is a copy of it).
fn save_screenshot(browser: &mut Browser) {
    let metrics = browser.call("Page.getLayoutMetrics", json!({}));
    let size = &metrics["result"]["cssContentSize"];
    let shot = browser.call(
        "Page.captureScreenshot",
        json!({"format": "png", "captureBeyondViewport": true,
               "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}}),
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["result"]["data"].as_str().expect("a screenshot"))
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    std::fs::write(&path, png).unwrap();
}

/// `examples/ci/grade-class.sh`, the commands both CI templates run, on a class of three: every
/// report written, the grading's failures not the job's (exit 0), and with STRICT=1 they are.
#[test]
fn the_ci_templates_grade_class_script() {
    let test = Test::new()
        .file("class/alice/main.py", "print(int(input()) * 2)\n")
        .file("class/bob/main.py", "print(int(input()) + 2)\n")
        // Python has no compile step: a syntax error is a runtime error.
        .file("class/carol/main.py", "print(int(input()) * 2\n")
        .file("cases/1.in", "3\n")
        .file("cases/1.out", "6\n")
        .file("cases/2.in", "5\n")
        .file("cases/2.out", "10\n");
    let script = crate::harness::repo_root().join("examples/ci/grade-class.sh");
    let run = |strict: &str| {
        // The script runs codecage as the harness would: same environment, same test tag.
        let codecage = test.command();
        let mut bash = std::process::Command::new("bash");
        bash.arg(&script)
            .args(["class", "reports", "--cases", "cases", "-j", "2"])
            .current_dir(test.path())
            .env("CODECAGE", crate::harness::BIN)
            .env("STRICT", strict);
        for (key, value) in codecage.get_envs() {
            match value {
                Some(v) => bash.env(key, v),
                None => bash.env_remove(key),
            };
        }
        bash.output().unwrap()
    };
    let out = run("0");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let reports = test.path().join("reports");
    let read = |name: &str| std::fs::read_to_string(reports.join(name)).unwrap();
    let json: Value = serde_json::from_str(&read("result.json")).unwrap();
    let verdicts: Vec<String> = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}={}",
                s["solution"].as_str().unwrap(),
                s["verdict"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        ["class/alice=AC", "class/bob=WA", "class/carol=RE"]
    );
    let junit = read("junit.xml");
    assert!(junit.contains("<testsuite name=\"class/bob\""), "{junit}");
    let html = read("report.html");
    assert!(html.contains("1/3 submissions accepted"), "{html}");
    assert!(read("summary.md").starts_with("### codecage test: 1/3 submissions accepted"));
    assert_eq!(
        run("1").status.code(),
        Some(1),
        "STRICT=1: a failing submission fails the job"
    );
    crate::harness::assert_no_containers(test.tag());
}

/// `test --server URL --html`: the server's `/grade` answer carries each case's limits, so the
/// page draws the same bars as a local run's (wall, CPU and memory against the limits the server
/// graded under; `--json` has them too), and each wrong answer's output, so it has the same diff.
#[test]
fn a_report_graded_on_a_server_has_its_bars() {
    let server = crate::serve::Server::start(&[]);
    let out = Test::new()
        .file("sol.py", "print(int(input()) * 2)\n")
        .file("cases/1.in", "3\n")
        .file("cases/1.out", "6\n")
        .file("cases/2.in", "5\n")
        .file("cases/2.out", "11\n")
        .args([
            "test",
            "sol.py",
            "--cases",
            "cases",
            "--server",
            &server.base,
        ])
        .args(["-t", "1500ms", "-m", "128MiB", "--html", "report.html"])
        .args(["--json", "report.json"])
        .status(1);
    let json: Value = serde_json::from_slice(&out.read("report.json")).unwrap();
    for case in json["cases"].as_array().unwrap() {
        assert_eq!(
            case["limits"],
            json!({"cpu_ms": 1500, "wall_ms": 4000, "memory_bytes": 128 << 20, "output_bytes": 1 << 20}),
            "{json:#}"
        );
    }
    let html = String::from_utf8(out.read("report.html")).unwrap();
    assert_eq!(html.matches("<meter ").count(), 6, "3 bars a case: {html}");
    for figure in [
        " / 1.50 s</span>",
        " / 4.00 s</span>",
        " / 128.0 MiB</span>",
    ] {
        assert_eq!(html.matches(figure).count(), 2, "{figure} in {html}");
    }
    assert!(
        html.contains("CPU time 1.50 s, wall clock 4.00 s, memory 128.0 MiB, output 1.0 MiB"),
        "{html}"
    );
    // The wrong answer's output came back with the answer: its diff against the expected one.
    assert!(
        html.contains("First difference at line 1; expected 3 bytes in 1 lines, received 3 bytes in 1 lines</p>"),
        "{html}"
    );
    assert!(
        html.contains("<td><code>1<mark>1</mark></code></td>"),
        "{html}"
    );
    assert!(
        html.contains("<td><code>1<mark>0</mark></code></td>"),
        "{html}"
    );
    assert!(
        json["cases"][1].get("output").is_none(),
        "the output stays out of the JSON report, as in a local run"
    );
}

/// A legacy package whose names are hostile: the problem's, a case's and a submission's file
/// name (filed as accepted, but on that case its output is a script and an ESC, which the
/// comparison's message quotes) are markup, and must stay text.
fn hostile_package(test: Test) -> Test {
    test.file("p/problem.yaml", "name: \"<i>Doubling</i> & co\"\n")
        .file("p/data/sample/1.in", "3\n")
        .file("p/data/sample/1.ans", "6\n")
        .file("p/data/secret/2<i>&\"x'.in", "5\n")
        .file("p/data/secret/2<i>&\"x'.ans", "10\n")
        .file(
            "p/submissions/accepted/double.py",
            "print(int(input()) * 2)\n",
        )
        .file(
            "p/submissions/accepted/<img src=x onerror=alert(1)>.py",
            "n = int(input())\nprint(n * 2 if n != 5 else '<script>alert(2)</script>\\x1b[2J')\n",
        )
        .file(
            "p/submissions/wrong_answer/plus.py",
            "print(int(input()) + 3)\n",
        )
        .file(
            "p/submissions/run_time_error/crash.py",
            "raise SystemExit(3)\n",
        )
}

/// `verify --html` in headless Chromium: the matrix of submissions x cases, each with its
/// expected folder and actual verdict, the one not as expected first, a case not run `·`; every
/// hostile name shown as text (no element made of it, no script run, no request);
/// and the Markdown summary and `::error` annotations pinned.
#[test]
fn the_verify_matrix_in_headless_chromium() {
    let test = hostile_package(Test::new()).file("step.md", "");
    let step = test.path().join("step.md").display().to_string();
    let out = test
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &step)
        // One case at a time: the legacy package's first failure stops a submission for sure.
        .args(["verify", "p", "-t", "2s", "-j", "1"])
        .args(["--html", "verify.html", "--markdown", "verify.md"])
        .status(1);
    let markdown = String::from_utf8(out.read("verify.md")).unwrap();
    assert_eq!(
        String::from_utf8(out.read("step.md")).unwrap(),
        format!("\n{markdown}")
    );
    insta::assert_snapshot!("verify_markdown", markdown);
    let stdout = out.stdout_str();
    let annotations: String = stdout
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("verify_annotations", annotations);

    let html = String::from_utf8(out.read("verify.html")).unwrap();
    assert!(
        !html.contains("<img") && !html.contains("<i>") && !html.contains("<script"),
        "{html}"
    );
    let url = format!("file://{}", out.dir.path().join("verify.html").display());
    let mut browser = Browser::start();
    for domain in ["Page.enable", "Network.enable", "Runtime.enable"] {
        browser.call(domain, json!({}));
    }
    // Escaping alone must hold, not the page's Content-Security-Policy.
    browser.call("Page.setBypassCSP", json!({"enabled": true}));
    browser.call("Page.navigate", json!({"url": url}));
    browser.event("Page.loadEventFired");

    let title = browser.eval("document.title + '|' + document.querySelector('h1').textContent");
    assert_eq!(
        title,
        "verify <i>Doubling</i> & co|codecage verify <i>Doubling</i> & co"
    );
    let summary = browser.eval("document.querySelector('dl.summary').textContent");
    for part in ["not as expected", "3/4", "pass-fail", "2000 ms"] {
        assert!(summary.contains(part), "{part} in {summary}");
    }
    let heads = browser.eval(
        "[...document.querySelectorAll('table.matrix thead th')].map(h => h.textContent).join('|')",
    );
    assert_eq!(
        heads,
        "Submission|Language|Expected|Verdict|Score|OK|sample/1|secret/2<i>&\"x'|Detail"
    );
    let rows = browser.eval(
        r#"[...document.querySelectorAll('table.matrix tbody tr')].map(r =>
            r.className + ':' + [...r.cells].map(c => c.textContent).join('|')).join('\n')"#,
    );
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(
        rows[0],
        "fail:submissions/accepted/<img src=x onerror=alert(1)>.py|python|accepted|WA|-|NO|AC|WA|case secret/2<i>&\"x': WA (wrong answer on line 1 of output (line 1 of answer): expected \"10\", got \"<script>alert(2)</script>\\u{1b}[2J\")",
        "the submission not as expected first; its name, the case's and its output as text"
    );
    assert_eq!(
        rows[1..],
        [
            "pass:submissions/accepted/double.py|python|accepted|AC|-|ok|AC|AC|",
            "pass:submissions/run_time_error/crash.py|python|run_time_error|RE|-|ok|RE|·|case sample/1: RE (exit status 3)",
            "pass:submissions/wrong_answer/plus.py|python|wrong_answer|WA|-|ok|AC|WA|case secret/2<i>&\"x': WA (wrong answer on line 1 of output (line 1 of answer): expected \"10\", got \"8\")",
        ],
        "then the rest in the package's order, the case not run after a failure as ·"
    );
    let injected = browser.eval(
        "[document.scripts.length, document.images.length, document.querySelectorAll('i').length].join(',')",
    );
    assert_eq!(
        injected, "0,0,0",
        "no element came from a name or an output"
    );
    assert_no_dialog_or_request(&browser.events, &url);
}

/// A checker's feedback and a compiler's output on the page, with `--each`: the feedback under
/// the case it judged, the compiler's output in an open `<details>` for the compile error, both
/// hostile and both shown as text, and the submissions table linking each section.
#[test]
fn checker_feedback_and_compiler_output_in_the_html_report() {
    let checker = "import sys\nout, ans = open(sys.argv[2]).read(), open(sys.argv[3]).read()\n\
                   if out != ans:\n    \
                   print('<script>alert(4)</script> got ' + out.strip() + ' & wanted ' + ans.strip(), file=sys.stderr)\n    \
                   sys.exit(1)\n";
    let out = Test::new()
        .file("inc.py", "print(int(input()) + 1)\n")
        .file(
            "bad.c",
            "#error <b>no</b> & \"x\"\nint main(void) { return 0; }\n",
        )
        .file("check.py", checker)
        .file("cases/1.in", "1\n")
        .file("cases/1.out", "1\n")
        .args(["test", "--each", "inc.py", "bad.c", "--cases", "cases"])
        .args(["--checker", "check.py", "--html", "r.html"])
        .status(1);
    let url = format!("file://{}", out.dir.path().join("r.html").display());
    let mut browser = Browser::start();
    for domain in ["Page.enable", "Network.enable", "Runtime.enable"] {
        browser.call(domain, json!({}));
    }
    browser.call("Page.setBypassCSP", json!({"enabled": true}));
    browser.call("Page.navigate", json!({"url": url}));
    browser.event("Page.loadEventFired");
    let table = browser.eval(
        r#"[...document.querySelectorAll('table.submissions tbody tr')].map(r =>
            [...r.cells].map(c => c.textContent).join('|') + '>' + r.querySelector('a').hash).join(' ')"#,
    );
    assert_eq!(table, "inc.py|python|WA|0/1|0/1>#s0 bad.c|c|CE|0/1|0/1>#s1");
    let feedback = browser.eval("document.querySelector('#s0 .feedback pre').textContent");
    assert_eq!(feedback, "<script>alert(4)</script> got 2 & wanted 1");
    let compile = browser.eval(
        r#"(() => { const d = document.querySelector('#s1 details.compile');
            return d.open + '|' + d.querySelector('pre').textContent; })()"#,
    );
    assert!(
        compile.starts_with("true|") && compile.contains("#error <b>no</b> & \"x\""),
        "{compile}"
    );
    assert_eq!(
        browser.eval("document.querySelector('#s0 details.compile') === null ? 'none' : 'some'"),
        "none",
        "Python has no compile step to show"
    );
    let injected =
        browser.eval("[document.scripts.length, document.querySelectorAll('b').length].join(',')");
    assert_eq!(
        injected, "0,0",
        "no element came from the feedback or the compiler"
    );
    assert_no_dialog_or_request(&browser.events, &url);
}
