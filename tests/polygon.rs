//! Polygon packages (`problem.xml`) judged by `test --problem` and checked by `verify`: a full
//! package with a testlib checker built from its `files/` (with a stand-in `testlib.h`) and a
//! solution of every tag, groups with points, points policies and dependencies, an interactor
//! (and the checker Polygon runs on what the interactor wrote),
//! a standard package whose tests are generated, validated and answered in sandboxes (and kept),
//! and the one-line errors (a generator or validator that fails, malformed XML, file I/O).

use serde_json::Value;

use crate::harness::{repo_root, Test};

fn problem(name: &str) -> String {
    let dir = repo_root().join("tests/problems").join(name);
    dir.to_str().unwrap().to_string()
}

/// `verify` on a package: every solution as its tag promises; (path, tag, verdict) per row.
fn verify_all_as_expected(name: &str) -> Vec<(String, String, String)> {
    let out = Test::new()
        .args(["verify", &problem(name), "-j", "2", "--json", "r.json"])
        .status(0);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["ok"], true, "{json:#}");
    let table = out.stdout_str();
    let rows = json["submissions"].as_array().unwrap();
    assert!(
        table.contains(&format!("{n}/{n} submissions as expected", n = rows.len())),
        "{table}"
    );
    rows.iter()
        .map(|s| {
            let text = |key: &str| s[key].as_str().unwrap().to_string();
            (text("path"), text("expected"), text("verdict"))
        })
        .collect()
}

fn rows(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(p, t, v)| (format!("solutions/{p}"), t.to_string(), v.to_string()))
        .collect()
}

#[test]
fn polygon_verify_checks_every_tag_with_a_testlib_checker() {
    let got = verify_all_as_expected("polygon-sum");
    // broken.cpp is tagged do-not-run: not compiled, not listed.
    let want = rows(&[
        ("sum.cpp", "main", "AC"),
        ("sum.py", "accepted", "AC"),
        ("int32.cpp", "wrong-answer", "WA"),
        ("words.py", "presentation-error", "PE"),
        ("spin.cpp", "time-limit-exceeded", "TLE"),
        ("slow.py", "time-limit-exceeded-or-accepted", "TLE"),
        ("hog.cpp", "memory-limit-exceeded", "MLE"),
        ("crash.py", "failed", "RE"),
        ("first_only.py", "rejected", "WA"),
    ]);
    assert_eq!(got, want);
}

#[test]
fn polygon_test_reports_the_checkers_verdict_and_feedback() {
    let sum = problem("polygon-sum");
    let dir = repo_root().join("tests/problems/polygon-sum/solutions");
    let solution = |name: &str| dir.join(name).display().to_string();
    Test::new()
        .args(["test", &solution("sum.cpp"), "--problem", &sum])
        .status(0);
    let out = Test::new()
        .args(["test", &solution("int32.cpp"), "--problem", &sum])
        .args(["--json", "r.json"])
        .status(1);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    let last = &json["cases"][3];
    assert_eq!(last["verdict"], "WA", "{json:#}");
    assert!(
        last["feedback"]
            .as_str()
            .unwrap()
            .contains("expected 2999999999999"),
        "{json:#}"
    );
    // The time limit and the memory limit are the package's.
    let out = Test::new()
        .args(["test", &solution("hog.cpp"), "--problem", &sum])
        .args(["--json", "r.json"])
        .status(1);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["cases"][0]["verdict"], "MLE", "{json:#}");
}

#[test]
fn polygon_groups_score_by_points_policy_and_dependencies() {
    let groups = problem("polygon-groups");
    let dir = repo_root().join("tests/problems/polygon-groups/solutions");
    let score = |name: &str, status: i32| {
        let out = Test::new()
            .args(["test", &dir.join(name).display().to_string()])
            .args(["--problem", &groups, "--json", "r.json"])
            .status(status);
        let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
        json
    };
    let full = score("tri.cpp", 0);
    assert_eq!(full["score"].as_f64(), Some(100.0), "{full:#}");
    // small (complete-group, 40) passes; large (each-test) and full (needs it) score nothing.
    let int32 = score("int32.cpp", 1);
    assert_eq!(int32["score"].as_f64(), Some(40.0), "{int32:#}");
    // One test of large fails: its other two keep their 10 points each; full, which depends on
    // large, scores nothing though its own tests pass, and says why.
    let one = score("one_wrong.py", 1);
    assert_eq!(one["score"].as_f64(), Some(60.0), "{one:#}");
    let full_group = one["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "secret/4-full")
        .unwrap_or_else(|| panic!("{one:#}"));
    assert_eq!(full_group["score"].as_f64(), Some(0.0), "{one:#}");
    assert_eq!(full_group["unmet"][0], "secret/3-large", "{one:#}");
    let got = verify_all_as_expected("polygon-groups");
    assert_eq!(
        got,
        rows(&[
            ("tri.cpp", "main", "AC"),
            ("tri.py", "accepted", "AC"),
            ("int32.cpp", "rejected", "WA"),
            ("one_wrong.py", "wrong-answer", "WA"),
            ("spin.py", "time-limit-exceeded", "TLE"),
        ])
    );
}

#[test]
fn polygon_interactor_talks_to_the_solution() {
    let got = verify_all_as_expected("polygon-guess");
    assert_eq!(
        got,
        rows(&[
            ("binary.cpp", "main", "AC"),
            ("binary.py", "accepted", "AC"),
            ("linear.py", "wrong-answer", "WA"),
            ("crash.py", "failed", "RE"),
        ])
    );
}

#[test]
fn polygon_interactive_checker_reads_the_interactors_output() {
    // Without the checker twice.py would pass: only the checker, reading the interactor's
    // output file, holds it to 10 guesses.
    let got = verify_all_as_expected("polygon-guess-checker");
    assert_eq!(
        got,
        rows(&[
            ("binary.cpp", "main", "AC"),
            ("binary.py", "accepted", "AC"),
            ("twice.py", "wrong-answer", "WA"),
            ("linear.py", "wrong-answer", "WA"),
            ("words.py", "presentation-error", "PE"),
            ("spin.py", "time-limit-exceeded", "TLE"),
            ("crash.py", "failed", "RE"),
        ])
    );
}

#[test]
fn polygon_interactive_verdicts_say_whether_the_interactor_or_the_checker_rejected() {
    let package = problem("polygon-guess-checker");
    let dir = repo_root().join("tests/problems/polygon-guess-checker/solutions");
    let cases = |solution: &str| {
        let out = Test::new()
            .args(["test", &dir.join(solution).display().to_string()])
            .args(["--problem", &package, "--json", "r.json"])
            .status(1);
        let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
        let text = |case: &Value, key: &str| case[key].as_str().unwrap_or("").to_string();
        json["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (text(c, "verdict"), text(c, "message"), text(c, "feedback")))
            .collect::<Vec<_>>()
    };
    // 19, 1 and 17 guesses: the interactor accepts all three, the checker only the second,
    // with its own words about the interactor's output.
    let twice = cases("twice.py");
    let verdicts: Vec<&str> = twice.iter().map(|(v, _, _)| v.as_str()).collect();
    assert_eq!(verdicts, ["WA", "AC", "WA"], "{twice:?}");
    assert_eq!(twice[0].1, "wrong answer (checker)", "{twice:?}");
    assert!(twice[0].2.contains("19 guesses, at most 10"), "{twice:?}");
    assert!(twice[1].2.contains("500 found in 1 guesses"), "{twice:?}");
    // The interactor's own rejection is final: the checker does not run after it.
    let linear = cases("linear.py");
    assert_eq!(linear[0].0, "WA", "{linear:?}");
    assert_eq!(linear[0].1, "wrong answer (interactor)", "{linear:?}");
    assert!(linear[0].2.contains("30 guesses and no ="), "{linear:?}");
}

#[test]
fn polygon_interactive_builtin_checker_compares_the_interactors_output() {
    // polygon-guess has lost its std::wcmp.cpp source: the interactor's output (the number it
    // found) is compared with the answer by tokens. An answer that disagrees rejects a correct
    // solution on that test alone.
    let source = repo_root().join("tests/problems/polygon-guess");
    let mut test = Test::new();
    for file in ["problem.xml", "files/testlib.h", "files/interactor.cpp"] {
        test = test.file(
            &format!("p/{file}"),
            std::fs::read(source.join(file)).unwrap(),
        );
    }
    for n in ["01", "02", "03", "04"] {
        let input = std::fs::read(source.join(format!("tests/{n}"))).unwrap();
        let answer = if n == "02" {
            b"1001\n".to_vec()
        } else {
            input.clone()
        };
        test = test
            .file(&format!("p/tests/{n}"), input)
            .file(&format!("p/tests/{n}.a"), answer);
    }
    let solution = std::fs::read(source.join("solutions/binary.py")).unwrap();
    let out = test
        .file("binary.py", solution)
        .args(["test", "binary.py", "--problem", "p", "--json", "r.json"])
        .status(1);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    let verdicts: Vec<&str> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["AC", "WA", "AC", "AC"], "{json:#}");
    let message = json["cases"][1]["message"].as_str().unwrap();
    assert!(message.contains("interactor's output differs"), "{json:#}");
}

/// A one-test package whose `problem.xml` has `judging` attributes and `tests` as given.
fn xml(judging: &str, tests: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<problem short-name="p">
  <judging {judging}>
    <testset name="tests">
      <time-limit>1000</time-limit>
      <memory-limit>268435456</memory-limit>
      <input-path-pattern>tests/%02d</input-path-pattern>
      <answer-path-pattern>tests/%02d.a</answer-path-pattern>
      <tests>{tests}</tests>
    </testset>
  </judging>
  <assets><checker name="std::wcmp.cpp" type="testlib"/></assets>
</problem>
"#
    )
}

#[test]
fn polygon_refusals_are_one_line() {
    let manual = r#"<test method="manual"/>"#;
    let generated = r#"<test method="manual"/><test cmd="gen 2" method="generated"/>"#;
    let cases = [
        (
            xml("", generated),
            "problem.xml: test 2: its generator \"gen\" is not in the package",
        ),
        (
            xml(r#"input-file="input.txt""#, manual),
            "<judging input-file=\"input.txt\"> (reading or writing a file instead of the standard streams) is not supported",
        ),
        (
            "<problem><judging>".to_string(),
            "problem.xml: not well-formed XML",
        ),
        (
            xml("", r#"<test method="copied"/>"#),
            "<test method=\"copied\">: manual or generated",
        ),
    ];
    for (text, expect) in cases {
        let out = Test::new()
            .file("p/problem.xml", &text)
            .file("p/tests/01", "1\n")
            .file("p/tests/01.a", "1\n")
            .file("s.py", "print(input())\n")
            .args(["test", "s.py", "--problem", "p"])
            .status(125);
        let err = out.stderr.trim();
        assert!(
            err.contains(expect) && err.lines().count() == 1,
            "{text}: {err}"
        );
    }
    // Tests with points and no groups: a scoring problem worth their sum.
    let points = r#"<test method="manual" points="30"/><test method="manual" points="70"/>"#;
    let out = Test::new()
        .file("p/problem.xml", xml("", points))
        .file("p/tests/01", "1\n")
        .file("p/tests/01.a", "1\n")
        .file("p/tests/02", "2\n")
        .file("p/tests/02.a", "2\n")
        .file("s.py", "x = input()\nprint(x if x == '1' else 0)\n")
        .args(["test", "s.py", "--problem", "p", "--json", "r.json"])
        .status(1);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["score"].as_f64(), Some(30.0), "{json:#}");
    assert_eq!(json["max_score"].as_f64(), Some(100.0), "{json:#}");
}

/// `verify` the package `name` with its made tests kept in `cache`: it must pass; what it said.
fn verified_with_cache(name: &str, cache: &str) -> String {
    let out = Test::new()
        .env("CODECAGE_POLYGON_CACHE", cache)
        .args(["verify", &problem(name), "-j", "2"])
        .args(["--json", "r.json"])
        .status(0);
    let json: Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["ok"], true, "{json:#}");
    out.stderr
}

#[test]
fn polygon_standard_package_tests_are_made_in_sandboxes_and_kept() {
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().to_str().unwrap().to_string();
    let verify = || verified_with_cache("polygon-standard", &cache);
    let first = verify();
    for made in [
        "generating 4 test(s)",
        "validating 5 test(s)",
        "answering 5 test(s)",
    ] {
        assert!(first.contains(made), "{first}");
    }
    // Kept by content: nothing is made again.
    let again = verify();
    assert!(!again.contains("test(s) of the standard"), "{again}");
}

#[test]
fn polygon_standard_interactive_answers_are_the_interactors_output_with_main() {
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap().to_string();
    let verify = || verified_with_cache("polygon-guess-standard", &cache_dir);
    let first = verify();
    assert!(first.contains("answering 3 test(s)"), "{first}");
    // Each answer is what the interactor wrote while the main solution (binary search) talked
    // with it, as Polygon keeps it.
    let mut answers: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .filter(|text| text.starts_with("found"))
        .collect();
    answers.sort();
    assert_eq!(
        answers,
        ["found 137 in 10\n", "found 500 in 1\n", "found 999 in 9\n"]
    );
    let again = verify();
    assert!(!again.contains("test(s) of the standard"), "{again}");
}

#[test]
fn polygon_standard_interactive_main_that_fails_is_one_line() {
    let source = repo_root().join("tests/problems/polygon-guess-standard");
    let mut test = Test::new();
    let cache = test.path().join("cache").display().to_string();
    for file in [
        "tests/01",
        "files/testlib.h",
        "files/interactor.cpp",
        "files/check.cpp",
        "files/gen.py",
        "files/val.py",
        "solutions/twice.py",
    ] {
        test = test.file(
            &format!("p/{file}"),
            std::fs::read(source.join(file)).unwrap(),
        );
    }
    // The main solution counts up from 1: the interactor rejects its 31st guess.
    let xml = std::fs::read_to_string(source.join("problem.xml"))
        .unwrap()
        .replace("solutions/binary.cpp", "solutions/linear.py");
    let linear = "g = 1\nwhile True:\n    print(g, flush=True)\n    if input() == '=':\n        break\n    g += 1\n";
    let out = test
        .env("CODECAGE_POLYGON_CACHE", &cache)
        .file("p/problem.xml", xml)
        .file("p/solutions/linear.py", linear)
        .args(["verify", "p"])
        .status(125);
    // Every test's answer fails (each secret is past 30); whichever run ends first is named.
    let last = out.stderr.lines().last().unwrap_or("");
    assert!(
        last.starts_with("codecage: problem package: test "),
        "{}",
        out.stderr
    );
    assert!(
        last.ends_with(": the main solution solutions/linear.py failed against the interactor (wrong answer (interactor)): wrong answer 30 guesses and no ="),
        "{}",
        out.stderr
    );
}

/// A standard package with one generated test, made by `gen.py`, checked by `val.py`.
fn standard(gen: &str, val: &str) -> Test {
    let xml = r#"<problem short-name="p">
  <judging><testset name="tests">
    <time-limit>1000</time-limit>
    <input-path-pattern>tests/%02d</input-path-pattern>
    <answer-path-pattern>tests/%02d.a</answer-path-pattern>
    <tests><test cmd="gen 5" method="generated"/></tests>
  </testset></judging>
  <files><executables><executable><source path="files/gen.py"/></executable></executables></files>
  <assets>
    <checker name="std::wcmp.cpp" type="testlib"/>
    <validators><validator><source path="files/val.py"/></validator></validators>
    <solutions><solution tag="main"><source path="solutions/main.py"/></solution></solutions>
  </assets>
</problem>"#;
    let test = Test::new();
    let cache = test.path().join("cache").display().to_string();
    test.env("CODECAGE_POLYGON_CACHE", &cache)
        .file("p/problem.xml", xml)
        .file("p/files/gen.py", gen)
        .file("p/files/val.py", val)
        .file("p/solutions/main.py", "print(int(input()) * 2)\n")
        .file("s.py", "print(int(input()) * 2)\n")
}

#[test]
fn polygon_generators_and_validators_that_fail_are_one_line() {
    let valid = "import sys\nn = int(input())\nif n < 1: sys.exit('N is out of range')\n";
    let generate = "import sys\nprint(sys.argv[1])\n";
    // The generator's argument, doubled by the main solution: accepted.
    standard(generate, valid)
        .args(["test", "s.py", "--problem", "p"])
        .status(0);
    let cases = [
        (
            "raise SystemExit('no seed')\n",
            valid,
            "problem package: test 1: the generator files/gen.py failed (exit status 1): no seed",
        ),
        (
            "print(0)\n",
            valid,
            "problem package: test 1 is not valid: the validator files/val.py failed (exit status 1): N is out of range",
        ),
    ];
    for (gen, val, expect) in cases {
        let out = standard(gen, val)
            .args(["test", "s.py", "--problem", "p"])
            .status(125);
        let err = out.stderr.trim();
        assert!(
            err.lines().any(|l| l == format!("codecage: {expect}")),
            "{err}"
        );
    }
}
