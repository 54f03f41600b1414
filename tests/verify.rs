//! `codecage verify` and `codecage test --problem` on the problem packages in tests/problems: a
//! pass-fail one with a custom validator (legacy format), an interactive one and a scoring one
//! with two groups (2023-07-draft), each with submissions for every verdict of its folders (AC,
//! WA, TLE, RTE, and partially accepted for the scoring one) in C++, Python and Java. Folder
//! submissions (Python with a helper module, Java with two classes) run from their main file.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{repo_root, Test};

fn package(name: &str) -> String {
    repo_root()
        .join("tests/problems")
        .join(name)
        .display()
        .to_string()
}

/// Every submission of `name` as expected, with its verdict per path.
fn verify_all_as_expected(name: &str, expected: &[(&str, &str)]) -> Value {
    let out = Test::new()
        .args([
            "verify",
            &package(name),
            "-j",
            "2",
            "--json",
            "r.json",
            "--junit",
            "j.xml",
        ])
        .status(0);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["ok"], true, "{json:#}");
    let got: Vec<(String, String)> = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["ok"], true, "{s}");
            (
                s["path"].as_str().unwrap().to_string(),
                s["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(p, v)| (format!("submissions/{p}"), v.to_string()))
        .collect();
    assert_eq!(got, want);
    let junit = String::from_utf8(out.read("j.xml")).unwrap();
    assert!(
        junit.contains(&format!("tests=\"{}\" failures=\"0\"", expected.len())),
        "{junit}"
    );
    let table = out.stdout_str();
    assert!(
        table.contains(&format!(
            "{n}/{n} submissions as expected",
            n = expected.len()
        )),
        "{table}"
    );
    json
}

#[test]
fn verify_a_legacy_pass_fail_package_with_a_custom_validator() {
    let json = verify_all_as_expected(
        "sumtol",
        &[
            ("accepted/Sum.java", "AC"),
            ("accepted/java_folder", "AC"),
            ("accepted/py_folder", "AC"),
            ("accepted/sum.cpp", "AC"),
            ("accepted/sum.py", "AC"),
            ("accepted/sum_7_digits.py", "AC"),
            ("run_time_error/Throw.java", "RE"),
            ("run_time_error/exception.py", "RE"),
            ("run_time_error/memory_1gib.cpp", "MLE"),
            ("run_time_error/segfault.cpp", "RE"),
            ("time_limit_exceeded/Spin.java", "TLE"),
            ("time_limit_exceeded/spin.cpp", "TLE"),
            ("time_limit_exceeded/spin.py", "TLE"),
            ("wrong_answer/OffByOne.java", "WA"),
            ("wrong_answer/extra_line.py", "WA"),
            ("wrong_answer/truncate.cpp", "WA"),
        ],
    );
    assert_eq!(json["problem"], "Sum With Tolerance");
    assert_eq!(json["type"], "pass-fail");
    // No limit in the package: derived from the slowest accepted case (×5, whole seconds).
    assert_eq!(json["time_limit_ms"].as_u64().unwrap() % 1000, 0);
    assert!(json["time_limit_from"]
        .as_str()
        .unwrap()
        .starts_with("derived: slowest accepted case"));
    let language = |path: &str| {
        json["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == format!("submissions/{path}"))
            .map(|s| s["language"].clone())
    };
    assert_eq!(language("accepted/sum.cpp"), Some("cpp".into()));
    // Folders run from their main file (Main.java, main.py), not their first file by name.
    assert_eq!(language("accepted/java_folder"), Some("java".into()));
    assert_eq!(language("accepted/py_folder"), Some("python".into()));
}

#[test]
fn verify_an_interactive_package() {
    let json = verify_all_as_expected(
        "guess",
        &[
            ("accepted/Binary.java", "AC"),
            ("accepted/binary.cpp", "AC"),
            ("accepted/binary.py", "AC"),
            ("run_time_error/Throw.java", "RE"),
            ("run_time_error/abort.cpp", "RE"),
            ("run_time_error/crash.py", "RE"),
            ("time_limit_exceeded/Spin.java", "TLE"),
            ("time_limit_exceeded/no_flush.cpp", "TLE"),
            ("time_limit_exceeded/spin.py", "TLE"),
            ("wrong_answer/Descending.java", "WA"),
            ("wrong_answer/linear.py", "WA"),
            ("wrong_answer/malformed.cpp", "WA"),
        ],
    );
    assert_eq!(json["type"], "interactive");
    assert_eq!(json["time_limit_ms"], 2000);
}

#[test]
fn verify_a_scoring_package_with_two_groups() {
    let json = verify_all_as_expected(
        "subtasks",
        &[
            ("accepted/Loop.java", "AC"),
            ("accepted/formula.py", "AC"),
            ("accepted/loop.cpp", "AC"),
            ("partially_accepted/Int32.java", "WA"),
            ("partially_accepted/int32.cpp", "WA"),
            ("partially_accepted/table.py", "WA"),
            ("run_time_error/Crash.java", "RE"),
            ("run_time_error/null_write.cpp", "RE"),
            ("run_time_error/table.py", "RE"),
            ("time_limit_exceeded/Forever.java", "TLE"),
            ("time_limit_exceeded/forever.cpp", "TLE"),
            ("time_limit_exceeded/forever.py", "TLE"),
            ("wrong_answer/OffByOne.java", "WA"),
            ("wrong_answer/off_by_one.py", "WA"),
            ("wrong_answer/plus_one.cpp", "WA"),
        ],
    );
    let scores: Vec<f64> = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["score"].as_f64().unwrap())
        .collect();
    let mut want = vec![100.0; 3];
    want.extend([30.0; 3]);
    want.extend([0.0; 9]);
    assert_eq!(scores, want);
    assert_eq!(json["type"], "scoring");
}

#[test]
fn test_against_a_package_reports_groups_scores_and_feedback() {
    let subtasks = package("subtasks");
    let out = Test::new()
        .args([
            "test",
            &format!("{subtasks}/submissions/partially_accepted/int32.cpp"),
            "--problem",
            &subtasks,
            "--json",
            "r.json",
        ])
        .status(1);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(
        (json["score"].as_f64(), json["max_score"].as_f64()),
        (Some(30.0), Some(100.0))
    );
    let group = |name: &str| {
        json["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap_or_else(|| panic!("no group {name}: {json:#}"))
            .clone()
    };
    assert_eq!(group("secret/group1")["score"], 30.0);
    assert_eq!(group("secret/group2")["score"], 0.0);
    assert_eq!(group("secret/group2")["max_score"], 70.0);
    assert!(json["cases"][4]["message"]
        .as_str()
        .unwrap()
        .starts_with("wrong answer on line 1 of output"));

    let sumtol = package("sumtol");
    let out = Test::new()
        .args([
            "test",
            &format!("{sumtol}/submissions/wrong_answer/truncate.cpp"),
            "--problem",
            &sumtol,
        ])
        .status(1);
    assert!(
        out.stderr
            .contains("feedback on case sample/01:\n  wrong sum:"),
        "{}",
        out.stderr
    );
}

/// A copy of a package to break.
fn copy_package(name: &str, to: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let target = to.join(name);
    copy(&repo_root().join("tests/problems").join(name), &target);
    target
}

#[test]
fn a_submission_not_as_expected_fails_verify_and_a_language_gap_is_one_row() {
    let test = Test::new();
    let dir = copy_package("subtasks", test.path());
    // 2023-07-draft judges case by case: wrong_answer permits AC and WA only, so a submission
    // whose first failure is a WA (the sample) but which is too slow on group 2 is not one.
    std::fs::write(
        dir.join("submissions/wrong_answer/slow_and_wrong.py"),
        "n = int(input())\nwhile n > 10:\n    pass\nprint(0)\n",
    )
    .unwrap();
    // A language whose image does not build: its own IE row, and the others still run.
    std::fs::create_dir_all(test.path().join("my/profiles")).unwrap();
    std::fs::write(
        test.path().join("my/profiles/brk.yaml"),
        "name: brk\nversion: '0'\nextensions: [brk]\nimage: brk-broken\nrun: [cat, '{main}']\n",
    )
    .unwrap();
    std::fs::create_dir_all(test.path().join("my/images/brk-broken")).unwrap();
    std::fs::write(
        test.path().join("my/images/brk-broken/Dockerfile"),
        "FROM debian:trixie-slim\nRUN false\n",
    )
    .unwrap();
    std::fs::write(dir.join("submissions/accepted/sol.brk"), "0\n").unwrap();
    // A wrong submission filed as accepted, and one in a language codecage lacks.
    std::fs::copy(
        dir.join("submissions/wrong_answer/off_by_one.py"),
        dir.join("submissions/accepted/claims_ac.py"),
    )
    .unwrap();
    std::fs::write(
        dir.join("submissions/accepted/old.py"),
        "#!/usr/bin/env python2\nprint int(raw_input())\n",
    )
    .unwrap();
    // (Zig: trixie has no package, so codecage has no profile.)
    std::fs::write(
        dir.join("submissions/accepted/sol.zig"),
        "pub fn main() void {}\n",
    )
    .unwrap();
    for gone in [
        "partially_accepted",
        "run_time_error",
        "time_limit_exceeded",
    ] {
        std::fs::remove_dir_all(dir.join("submissions").join(gone)).unwrap();
    }
    let out = test
        .args([
            "--profiles",
            "my/profiles",
            "verify",
            "subtasks",
            "--json",
            "-",
            "-t",
            "1s",
            "--html",
            "verify.html",
            "--markdown",
            "verify.md",
            "--github",
        ])
        .status(1);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    // The page's matrix: the submissions not as expected first, each case's verdict a badge.
    let html = String::from_utf8(out.read("verify.html")).unwrap();
    let at = |path: &str| {
        html.find(&format!("<td class=\"name\">{path}</td>"))
            .unwrap_or_else(|| panic!("{path} in the matrix"))
    };
    assert!(at("submissions/accepted/claims_ac.py") < at("submissions/accepted/formula.py"));
    assert!(
        at("submissions/wrong_answer/slow_and_wrong.py") < at("submissions/accepted/formula.py")
    );
    assert!(
        html.contains("<span>secret/group2/01</span>"),
        "a column per case"
    );
    assert!(
        html.contains("title=\"time limit exceeded\">TLE</span>"),
        "{html}"
    );
    // The Markdown summary (failures first) and, with --github, one annotation per failure on
    // stderr, as JSON holds stdout.
    let markdown = String::from_utf8(out.read("verify.md")).unwrap();
    assert!(
        markdown.starts_with("### codecage verify Triangular Numbers: ❌ 6/11"),
        "{markdown}"
    );
    assert!(
        markdown.find("claims\\_ac.py").unwrap() < markdown.find("formula.py").unwrap(),
        "{markdown}"
    );
    assert!(
        out.stderr.contains(
            "::error title=submissions/accepted/claims_ac.py%3A expected accepted%2C got WA::"
        ),
        "{}",
        out.stderr
    );
    let row = |path: &str| {
        json["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == path)
            .unwrap_or_else(|| panic!("{path}: {json:#}"))
            .clone()
    };
    let wrong = row("submissions/accepted/claims_ac.py");
    assert_eq!(
        (wrong["verdict"].as_str(), wrong["ok"].as_bool()),
        (Some("WA"), Some(false))
    );
    let zig = row("submissions/accepted/sol.zig");
    assert_eq!(zig["verdict"], "IE");
    assert_eq!(zig["language"], Value::Null);
    assert_eq!(row("submissions/accepted/formula.py")["ok"], true);
    let mixed = row("submissions/wrong_answer/slow_and_wrong.py");
    assert_eq!(
        (mixed["verdict"].as_str(), mixed["ok"].as_bool()),
        (Some("WA"), Some(false))
    );
    let detail = mixed["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("case secret/group2/01: TLE")
            && detail.ends_with(", but wrong_answer allows AC or WA only"),
        "{detail}"
    );
    // A Python 2 program (as problemtools' own examples carry) is not run as Python 3.
    let py2 = row("submissions/accepted/old.py");
    assert_eq!(py2["verdict"], "IE");
    assert!(
        py2["detail"].as_str().unwrap().contains("Python 2"),
        "{py2:#}"
    );
    let broken = row("submissions/accepted/sol.brk");
    assert_eq!(
        (broken["verdict"].as_str(), broken["language"].as_str()),
        (Some("IE"), Some("brk"))
    );
    assert_eq!(row("submissions/wrong_answer/off_by_one.py")["ok"], true);
    assert_eq!(json["time_limit_ms"], 1000);
    assert_eq!(json["time_limit_from"], "--time-limit");
    assert!(
        out.stderr
            .contains("codecage: submissions/accepted/claims_ac.py is not as expected"),
        "{}",
        out.stderr
    );
}

#[test]
fn broken_packages_are_one_line_errors() {
    let test = Test::new();
    let dir = copy_package("sumtol", test.path());
    std::fs::write(dir.join("problem.yaml"), "name: [unclosed\n").unwrap();
    let out = test.args(["verify", "sumtol"]).status(125);
    assert!(
        out.stderr
            .starts_with("codecage: problem package: invalid YAML in problem.yaml:1:"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);

    let test = Test::new();
    let dir = copy_package("sumtol", test.path());
    std::fs::remove_file(dir.join("data/secret/01-one.ans")).unwrap();
    let out = test.args(["verify", "sumtol"]).status(125);
    assert!(out.stderr.contains("01-one"), "{}", out.stderr);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);

    let out = Test::new().args(["verify", "no-such-package"]).status(125);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);

    // A validator that does not compile: its compiler's words, then one line; nothing runs.
    let test = Test::new();
    let dir = copy_package("sumtol", test.path());
    std::fs::write(
        dir.join("output_validators/sumtol/validator.cpp"),
        "int main() { return not_declared; }\n",
    )
    .unwrap();
    let out = test.args(["verify", "sumtol"]).status(125);
    assert!(out.stderr.contains("not_declared"), "{}", out.stderr);
    assert!(
        out.stderr
            .trim_end()
            .ends_with("codecage: the checker did not compile: compilation failed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_package_without_limits_gets_the_formats_default_memory_and_output() {
    // subtasks sets no limits: 2048 MiB and 8 MiB apply, not codecage's 256 MiB and 1 MiB, so
    // 300 MiB touched and 2 MiB of trailing blanks (which the default validator ignores) pass.
    let test = Test::new().file(
        "big.py",
        "n = int(input())\nheld = b'x' * (300 << 20)\nprint(n * (n + 1) // 2)\nprint(' ' * (2 << 20))\n",
    );
    copy_package("subtasks", test.path());
    let out = test
        .args([
            "test",
            "big.py",
            "--problem",
            "subtasks",
            "-j",
            "1",
            "--json",
            "-",
        ])
        .status(0);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "AC", "{json:#}");
    let peak = json["cases"][0]["memory_bytes"].as_u64();
    assert!(peak.is_none_or(|b| b > 300 << 20), "{json:#}");
}

#[test]
fn a_python_validator_folder_starts_from_its_main_module() {
    // 2023-07-draft: a Python validator directory runs `__main__.py`; `__init__.py`, which sorts
    // first, would reject everything if it were run. A module beside them is importable.
    let out = Test::new()
        .file(
            "pkg/problem.yaml",
            "problem_format_version: 2023-07-draft\nname: Echo\nuuid: 0c0dec46-0000-0000-0000-000000000001\n",
        )
        .file("pkg/data/secret/1.in", "7\n")
        .file("pkg/data/secret/1.ans", "7\n")
        .file("pkg/output_validator/__init__.py", "import sys\nsys.exit(43)\n")
        .file(
            "pkg/output_validator/__main__.py",
            "import sys\nfrom same import same\nsys.exit(42 if same(open(sys.argv[2]).read(), sys.stdin.read()) else 43)\n",
        )
        .file(
            "pkg/output_validator/same.py",
            "def same(a, b):\n    return a.split() == b.split()\n",
        )
        .file("echo.py", "print(input())\n")
        .args(["test", "echo.py", "--problem", "pkg"])
        .status(0);
    assert!(
        out.stdout_str().contains("1/1 passed: AC"),
        "{}",
        out.stdout_str()
    );
}

/// A package is untrusted input: a symbolic link in it that leaves it (`data/secret/1.in ->
/// /etc/hostname`, a link to `/proc/self/environ`) would hand a host file to the submission, a
/// validator, a diff or a report. Such a package is refused, naming the link; links that stay
/// inside (a sample case linked to a secret one) are package data and work. `--cases DIR` and a
/// `--suite` file's `stdin_file`/`stdout_file` are held to their own directory the same way.
#[test]
fn links_that_leave_a_package_or_a_case_directory_are_refused() {
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap();
    let echo = "import sys\nsys.stdout.write(sys.stdin.read())\n";
    let with_link = |link: &str, target: &str| {
        let test = Test::new()
            .file(
                "pkg/problem.yaml",
                "problem_format_version: 2023-07-draft\nname: Echo\nuuid: 0c0dec46-0000-0000-0000-000000000005\n",
            )
            .file("pkg/data/secret/1.ans", &hostname)
            .file("pkg/data/secret/2.in", "7\n")
            .file("pkg/data/secret/2.ans", "7\n")
            .file("pkg/submissions/accepted/echo.py", echo)
            .file("echo.py", echo);
        std::os::unix::fs::symlink(target, test.path().join("pkg").join(link)).unwrap();
        test
    };
    let refused = "codecage: problem package: data/secret/1.in: a symbolic link to /etc/hostname, outside the package; codecage does not follow links out of a package\n";
    let out = with_link("data/secret/1.in", "/etc/hostname")
        .args(["test", "echo.py", "--problem", "pkg"])
        .status(125);
    assert_eq!(out.stderr, refused);
    let out = with_link("data/secret/1.in", "/etc/hostname")
        .args(["verify", "pkg"])
        .status(125);
    assert_eq!(out.stderr, refused);
    // Anywhere in the package: a validator's folder, a submission's.
    let out = with_link("submissions/accepted/env.txt", "/proc/self/environ")
        .file("pkg/data/secret/1.in", &hostname)
        .args(["verify", "pkg"])
        .status(125);
    assert!(
        out.stderr.starts_with("codecage: problem package: submissions/accepted/env.txt: a symbolic link to /proc/self/environ, outside the package"),
        "{}",
        out.stderr
    );
    // Inside the package: fine.
    let out = with_link("data/secret/1.in", "2.in")
        .file("pkg/data/secret/1.ans", "7\n")
        .args(["test", "echo.py", "--problem", "pkg"])
        .status(0);
    assert!(
        out.stdout_str().contains("2/2 passed"),
        "{}",
        out.stdout_str()
    );

    // --cases DIR.
    let test = Test::new()
        .file("echo.py", echo)
        .file("cases/1.out", &hostname);
    std::os::unix::fs::symlink("/etc/hostname", test.path().join("cases/1.in")).unwrap();
    let out = test
        .args(["test", "echo.py", "--cases", "cases"])
        .status(125);
    assert_eq!(
        out.stderr,
        "codecage: cases/1.in leads out of cases (a symbolic link, an absolute path or ..); codecage reads test data only from inside it\n"
    );
    // --suite FILE: its file references stay beside it.
    for reference in ["/etc/hostname", "../outside.txt"] {
        let out = Test::new()
            .file("echo.py", echo)
            .file("outside.txt", &hostname)
            .file(
                "s/suite.yaml",
                format!("cases:\n  - name: one\n    stdin_file: {reference}\n    stdout: \"x\"\n"),
            )
            .args(["test", "echo.py", "--suite", "s/suite.yaml"])
            .status(125);
        assert_eq!(
            out.stderr,
            format!("codecage: s/{reference} leads out of s (a symbolic link, an absolute path or ..); codecage reads test data only from inside it\n").replace("s//etc", "/etc")
        );
    }
}
