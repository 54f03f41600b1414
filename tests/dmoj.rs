//! DMOJ problem folders (`init.yml`) judged by `test --problem`: points by batch, pretests,
//! dependencies, checkers, archives, and the one-line errors for what is malformed or hostile.

use crate::harness::Test;

fn problem(name: &str) -> String {
    let dir = crate::harness::repo_root()
        .join("tests/problems")
        .join(name);
    dir.to_str().unwrap().to_string()
}

const SUM: &str = "a, b = map(int, input().split())\nprint(a + b)\n";
/// Wrong past 32 bits: the last batch (and so its 70 points) fails.
const SUM32: &str = "a, b = map(int, input().split())\nprint((a + b) % 2**32)\n";

#[test]
fn dmoj_batches_score_points_and_pretests_gate() {
    let aplusb = problem("dmoj-aplusb");
    let out = Test::new()
        .file("s.py", SUM)
        .args(["test", "s.py", "--problem", &aplusb])
        .status(0);
    assert!(
        out.stdout_str().contains("100"),
        "{}{}",
        out.stdout_str(),
        out.stderr
    );
    let out = Test::new()
        .file("s.py", SUM32)
        .args(["test", "s.py", "--problem", &aplusb, "--json", "r.json"])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["score"].as_f64(), Some(30.0), "{json}");
    // Failing the 0-point pretest stops everything after it.
    let out = Test::new()
        .file("s.py", "print(3 if input() == '1 2' else 0)\n")
        .args(["test", "s.py", "--problem", &aplusb, "--json", "r.json"])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["score"].as_f64(), Some(0.0), "{json}");
}

#[test]
fn dmoj_floats_and_archive() {
    let floats = problem("dmoj-floats");
    Test::new()
        .file("s.py", "print(1 / int(input()))\n")
        .args(["test", "s.py", "--problem", &floats])
        .status(0);
    let out = Test::new()
        .file("s.py", "print(round(1 / int(input()), 2))\n")
        .args(["test", "s.py", "--problem", &floats, "--json", "r.json"])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["score"].as_f64(), Some(50.0), "{json}");
    Test::new()
        .file("s.py", SUM)
        .args(["test", "s.py", "--problem", &problem("dmoj-archive")])
        .status(0);
}

#[test]
fn dmoj_malformed_or_hostile_is_one_line() {
    let cases = [
        ("test_cases: [ {points: 1, in: a.in\n", "init.yml"),
        (
            "test_cases:\n- {points: 1, in: a.in, out: a.out, colour: red}\n",
            "colour",
        ),
        (
            "interactive: {files: i.cpp}\ntest_cases: []\n",
            "`interactive` is not supported",
        ),
        (
            "test_cases:\n- {points: 1, in: ../a.in, out: a.out}\n",
            "not a relative path",
        ),
    ];
    for (init, expect) in cases {
        let out = Test::new()
            .file("p/init.yml", init)
            .file("s.py", SUM)
            .args(["test", "s.py", "--problem", "p"])
            .status(125);
        let err = out.stderr.trim();
        assert!(
            err.contains(expect) && err.lines().count() == 1,
            "{init}: {err}"
        );
    }
}

/// Off by one: each bridged checker's partial credit.
const OFF_BY_ONE: &str = "a, b = map(int, input().split())\nprint(a + b + 1)\n";
const NEGATIVE: &str = "print(-1)\n";

/// Grade `solution` on the package `name`: the report's verdict, score, and each case's verdict.
fn graded(name: &str, solution: &str, status: i32) -> (String, f64, Vec<String>) {
    let out = Test::new()
        .file("s.py", solution)
        .args([
            "test",
            "s.py",
            "--problem",
            &problem(name),
            "--json",
            "r.json",
        ])
        .status(status);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    let verdicts = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap().to_string())
        .collect();
    (
        json["verdict"].as_str().unwrap().to_string(),
        json["score"].as_f64().unwrap(),
        verdicts,
    )
}

/// Every `bridged` checker type, each package worth 20 points (a case of 10, a batch of 10):
/// a right answer gets them all, `-1` nothing, and an answer off by one what the type gives.
#[test]
fn dmoj_bridged_checkers_in_every_convention() {
    let all_ac = vec!["AC".to_string(); 3];
    let all_wa = vec!["WA".to_string(); 3];
    // testlib: `points 4` is 4 of the case's 10; coci: `partial 1/4`; peg: lines 1 and 2.
    for (name, off_score) in [
        ("dmoj-bridged-testlib", Some(8.0)),
        ("dmoj-bridged-coci", Some(5.0)),
        ("dmoj-bridged-peg", Some(10.0)),
        ("dmoj-bridged-default", None),
    ] {
        assert_eq!(
            graded(name, SUM, 0),
            ("AC".into(), 20.0, all_ac.clone()),
            "{name}"
        );
        assert_eq!(
            graded(name, NEGATIVE, 1),
            ("WA".into(), 0.0, all_wa.clone()),
            "{name}"
        );
        let expected = match off_score {
            // A partial answer is accepted with less than the case's points, as DMOJ shows it.
            Some(score) => ("AC".into(), score, all_ac.clone()),
            None => ("WA".into(), 0.0, all_wa.clone()),
        };
        assert_eq!(graded(name, OFF_BY_ONE, 1), expected, "{name}");
    }
    // DMOJ refuses a testlib checker's points above the case's value: the checker failed.
    let two = "a, b = map(int, input().split())\nprint(a + b + 2)\n";
    let (verdict, score, _) = graded("dmoj-bridged-testlib", two, 125);
    assert_eq!((verdict.as_str(), score), ("IE", 0.0));
}

#[test]
fn dmoj_bridged_checker_errors_are_one_line() {
    let cases = [
        (
            "checker: {name: bridged, args: {type: testlib}}\n",
            "`files` is missing",
        ),
        (
            "checker: {name: bridged, args: {files: c.cpp, type: hackerrank}}\n",
            "unknown type",
        ),
        (
            "checker: {name: bridged, args: {files: c.cpp, args_format_string: '{judge_file}'}}\n",
            "{judge_file}",
        ),
        (
            "checker: {name: bridged, args: {files: ../c.cpp}}\n",
            "not a relative path",
        ),
        // Issue #29: DMOJ's PY2 (and PYPY, its PyPy 2) is a language codecage cannot have.
        (
            "checker: {name: bridged, args: {files: c.cpp, lang: PY2}}\n",
            "lang PY2 (Python 2 is not in Debian trixie",
        ),
        (
            "checker: {name: bridged, args: {files: c.cpp, lang: PYPY}}\n",
            "lang PYPY (Python 2 is not in Debian trixie",
        ),
    ];
    for (checker, expect) in cases {
        let init = format!("{checker}test_cases:\n- {{points: 1, in: a.in, out: a.out}}\n");
        let out = Test::new()
            .file("p/init.yml", &init)
            .file("p/c.cpp", "int main() { return 0; }\n")
            .file("p/a.in", "1 2\n")
            .file("p/a.out", "3\n")
            .file("s.py", SUM)
            .args(["test", "s.py", "--problem", "p"])
            .status(125);
        let err = out.stderr.trim();
        assert!(
            err.contains(expect) && err.lines().count() == 1,
            "{init}: {err}"
        );
    }
}

/// `--checker-format` judges a folder of cases with a DMOJ checker from the command line: peg's
/// arguments and stdout shares, coci's `partial A/B` from a folder with its header.
#[test]
fn checker_format_from_the_command_line() {
    let peg = include_str!("problems/dmoj-bridged-peg/checker.cpp");
    let coci = include_str!("problems/dmoj-bridged-coci/checker.cpp");
    let common = include_str!("problems/dmoj-bridged-coci/common.h");
    for (format, checker, share) in [("peg", "peg.cpp", 0.5), ("coci", "coci", 0.25)] {
        let out = Test::new()
            .file("peg.cpp", peg)
            .file("coci/checker.cpp", coci)
            .file("coci/common.h", common)
            .file("cases/1.in", "1 2\n")
            .file("cases/1.out", "3\n")
            .file("ok.py", SUM)
            .file("off.py", OFF_BY_ONE)
            .file("bad.py", NEGATIVE)
            .args([
                "test", "--each", "ok.py", "off.py", "bad.py", "--cases", "cases",
            ])
            .args([
                "--checker",
                checker,
                "--checker-format",
                format,
                "--json",
                "-",
            ])
            .status(1);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let subs = json["submissions"].as_array().unwrap();
        let case = |i: usize| &subs[i]["cases"][0];
        let verdicts: Vec<&str> = (0..3)
            .map(|i| case(i)["verdict"].as_str().unwrap())
            .collect();
        assert_eq!(
            verdicts,
            ["AC", "AC", "WA"],
            "{format}: {json:#}\n{}",
            out.stderr
        );
        assert_eq!(case(1)["score"].as_f64(), Some(share), "{format}: {json:#}");
    }
    // A DMOJ convention is a checker's only.
    let out = Test::new()
        .file("i.py", "print(1)\n")
        .file("cases/1.in", "1\n")
        .file("s.py", SUM)
        .args(["test", "s.py", "--cases", "cases", "--interactor", "i.py"])
        .args(["--checker-format", "peg"])
        .status(125);
    assert!(
        out.stderr.contains("DMOJ checker convention"),
        "{}",
        out.stderr
    );
}

#[test]
fn dmoj_linecount_checker() {
    let dir = problem("dmoj-linecount");
    let count = "for i in range(int(input())):\n    print(' ', i + 1, ' ')\n";
    assert_eq!(graded("dmoj-linecount", count, 0).1, 30.0);
    let out = Test::new()
        .file("s.py", "print(1)\nprint(2)\nprint(3)\nprint(4)\n")
        .args(["test", "s.py", "--problem", &dir, "--json", "r.json"])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["cases"][0]["verdict"], "WA", "{json}");
}

/// A bridged checker's `lang` is its language where the extension would say another (issue
/// #29): DMOJ's `NASM` is 32-bit, and `.asm` is x86-64 `assembly`'s, which cannot assemble
/// `push ebx`. The checker runs (exit status 1: every case WA), so it was built as NASM says.
#[test]
fn dmoj_bridged_checker_in_the_language_its_lang_names() {
    let reject = "section .text\nglobal _start\n_start:\n    push ebx\n    pop ebx\n    mov eax, 1\n    mov ebx, 1\n    int 0x80\n";
    let out = Test::new()
        .file(
            "p/init.yml",
            "checker: {name: bridged, args: {files: check.asm, lang: NASM}}\ntest_cases:\n- {points: 1, in: a.in, out: a.out}\n",
        )
        .file("p/check.asm", reject)
        .file("p/a.in", "1 2\n")
        .file("p/a.out", "3\n")
        .file("s.py", SUM)
        .args(["test", "s.py", "--problem", "p", "--json", "r.json"])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["cases"][0]["verdict"], "WA", "{json}");
}
