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
            "interactive: i.cpp is not a file in the problem",
        ),
        (
            "interactive: {files: init.yml, flags: [-O2]}\ntest_cases: []\n",
            "interactive: `flags`",
        ),
        (
            "interactive: {files: init.yml, type: hackerrank}\ntest_cases: []\n",
            "interactive: unknown type",
        ),
        (
            "interactive: {files: init.yml}\nchecker: floats\ntest_cases: []\n",
            "a `checker` beside `interactive`",
        ),
        (
            "interactive: {files: init.yml, args_format_string: '{judge_file}'}\ntest_cases: []\n",
            "{judge_file}",
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
    graded_with(name, solution, &[], status)
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

/// `linecount` credits each answer line right: all, a share (accepted with less than its
/// points, each line marked in the feedback), none, too many lines (nothing), and a crash (its
/// lines are not looked at).
#[test]
fn dmoj_linecount_checker_credits_each_line() {
    let dir = problem("dmoj-linecount");
    let case = |solution: &str, status: i32| {
        let out = Test::new()
            .file("s.py", solution)
            .args(["test", "s.py", "--problem", &dir, "--json", "r.json"])
            .status(status);
        let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
        let case = &json["cases"][0];
        (
            case["verdict"].as_str().unwrap().to_string(),
            json["score"].as_f64().unwrap(),
            case["feedback"].as_str().map(String::from),
        )
    };
    let count = "for i in range(int(input())):\n    print(' ', i + 1, ' ')\n";
    assert_eq!(case(count, 0), ("AC".into(), 30.0, None));
    assert_eq!(
        case("print(1)\nprint(5)\nprint(3)\n", 1),
        ("AC".into(), 20.0, Some("\u{2713}\u{2717}\u{2713}".into()))
    );
    assert_eq!(
        case("print(9)\n", 1),
        ("WA".into(), 0.0, Some("\u{2717}\u{2717}\u{2717}".into()))
    );
    assert_eq!(
        case("print(1)\nprint(2)\nprint(3)\nprint(4)\n", 1),
        ("WA".into(), 0.0, None)
    );
    let (verdict, score, _) = case("print(1)\nprint(2)\nraise SystemExit(1)\n", 1);
    assert_eq!((verdict.as_str(), score), ("RE", 0.0));
}

/// Guess the number by binary search: at most 7 guesses for any number from 1 to 100.
const GUESS_BINARY: &str = "lo, hi = 1, 100
while True:
    mid = (lo + hi) // 2
    print(mid, flush=True)
    reply = input()
    if reply == 'OK':
        break
    if reply == 'LOWER':
        hi = mid - 1
    else:
        lo = mid + 1
";
/// From 1 upwards: 17 and 20 guesses earn 4 of 10 points, 3 guesses all of them.
const GUESS_LINEAR: &str = "i = 1
while True:
    print(i, flush=True)
    if input() == 'OK':
        break
    i += 1
";

/// Grade `solution` with extra flags: the report's verdict, score, and each case's verdict.
fn graded_with(
    name: &str,
    solution: &str,
    flags: &[&str],
    status: i32,
) -> (String, f64, Vec<String>) {
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
        .args(flags.iter().copied())
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

/// DMOJ's bridged interactor of type testlib (in C, never flushing, as DMOJ's documentation
/// allows): every verdict a submission can get, and `points 4` as 4 of a case's 10 points.
#[test]
fn dmoj_interactive_testlib_type_every_verdict() {
    let name = "dmoj-interactive";
    let v = |s: &[&str]| s.iter().map(|v| v.to_string()).collect::<Vec<_>>();
    assert_eq!(
        graded(name, GUESS_BINARY, 0),
        ("AC".into(), 20.0, v(&["AC", "AC", "AC"]))
    );
    // 17 guesses: 4 points; the batch scores its weakest case (20 guesses: 4 of 10).
    assert_eq!(
        graded(name, GUESS_LINEAR, 1),
        ("AC".into(), 8.0, v(&["AC", "AC", "AC"]))
    );
    // A guess out of range: testlib's presentation error, which DMOJ counts as wrong.
    assert_eq!(
        graded(name, "print(0, flush=True)\ninput()\n", 1),
        ("WA".into(), 0.0, v(&["WA", "WA", "WA"]))
    );
    // A submission that never flushes (`input()` would flush for it) waits for ever: its time
    // limit ends it.
    let (verdict, score, cases) = graded_with(
        name,
        "import sys\nsys.stdout.write('50\\n')\nsys.stdin.readline()\n",
        &["-t", "1s", "--fail-fast"],
        1,
    );
    assert_eq!(
        (verdict.as_str(), score, &cases[..1]),
        ("TLE", 0.0, &v(&["TLE"])[..])
    );
    assert_eq!(
        graded(name, "raise SystemExit(3)\n", 1),
        ("RE".into(), 0.0, v(&["RE", "RE", "RE"]))
    );
}

/// The default type, in Python: `interactor INPUT ANSWER`, exit 0 or 1.
#[test]
fn dmoj_interactive_default_type_reads_the_answer_file() {
    let name = "dmoj-interactive-default";
    let reply = "a, b = map(int, input().split())\nprint(a + b, flush=True)\n";
    assert_eq!(
        graded(name, reply, 0),
        ("AC".into(), 100.0, vec!["AC".to_string(); 2])
    );
    let wrong = "a, b = map(int, input().split())\nprint((a + b) % 2**32, flush=True)\n";
    assert_eq!(
        graded(name, wrong, 1),
        ("WA".into(), 50.0, vec!["AC".to_string(), "WA".to_string()])
    );
}

/// The coci type with its own argument order: accepted, a share (`partial 1/4` of 10 points), a
/// wrong answer, and the interactor's own failure (exit 3), an internal error.
#[test]
fn dmoj_interactive_coci_type_partial_and_judge_failure() {
    let name = "dmoj-interactive-coci";
    let v = |s: &str| vec![s.to_string()];
    let reply = |r: &str| format!("input()\nprint({r}, flush=True)\n");
    assert_eq!(graded(name, &reply("5"), 0), ("AC".into(), 10.0, v("AC")));
    assert_eq!(graded(name, &reply("6"), 1), ("AC".into(), 2.5, v("AC")));
    assert_eq!(graded(name, &reply("7"), 1), ("WA".into(), 0.0, v("WA")));
    let out = Test::new()
        .file("s.py", reply("'give up'"))
        .args(["test", "s.py", "--problem", &problem(name)])
        .args(["--json", "r.json"])
        .status(125);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["cases"][0]["verdict"], "IE", "{json}");
    let said = json["cases"][0].to_string();
    assert!(said.contains("interactor cannot go on"), "{said}");
}

/// Cases made by the problem's generator in a sandbox, kept by content: a right answer gets all
/// 25 points, one wrong past 32 bits loses the batch whose generated case is 10^12 + 5.
#[test]
fn dmoj_generated_cases_are_made_in_sandboxes_and_kept() {
    let cache = tempfile::tempdir().unwrap();
    let cache = cache.path().to_str().unwrap().to_string();
    let run = |solution: &str, status: i32| {
        let out = Test::new()
            .env("CODECAGE_POLYGON_CACHE", &cache)
            .file("s.py", solution)
            .args(["test", "s.py", "--problem", &problem("dmoj-generator")])
            .args(["--json", "r.json"])
            .status(status);
        let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
        (json, out.stderr)
    };
    let (json, stderr) = run(SUM, 0);
    assert_eq!(json["score"].as_f64(), Some(25.0), "{json}");
    assert!(
        stderr.contains("generating 3 test(s) of the DMOJ problem"),
        "{stderr}"
    );
    let (json, stderr) = run(SUM32, 1);
    assert_eq!(json["score"].as_f64(), Some(15.0), "{json}");
    let verdicts: Vec<&str> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["AC", "WA", "AC", "AC"], "{json}");
    // Kept by content: nothing is generated again.
    assert!(!stderr.contains("generating"), "{stderr}");
}

/// A generator that fails, or is missing, stops the judging with one line naming it.
#[test]
fn dmoj_generator_errors_are_one_line() {
    let failing = "import sys\nsys.exit('no seed')\n";
    let cases = [
        (
            "generator: gen.py\ntest_cases:\n- {generator_args: [1], points: 1}\n",
            failing,
            "test 1: the generator gen.py failed (exit status 1): no seed",
        ),
        (
            "generator: nope.py\ntest_cases:\n- {generator_args: [1], points: 1}\n",
            failing,
            "generator: nope.py is not a file in the problem",
        ),
        (
            "generator: {source: gen.py, flags: [-O2]}\ntest_cases:\n- {points: 1}\n",
            failing,
            "generator: `flags`",
        ),
        (
            "test_cases:\n- {points: 1}\n",
            failing,
            "case secret/001/001: has neither `in` nor `out`",
        ),
    ];
    for (init, generator, expect) in cases {
        let test = Test::new();
        let cache = test.path().join("cache").display().to_string();
        let out = test
            .env("CODECAGE_POLYGON_CACHE", &cache)
            .file("p/init.yml", init)
            .file("p/gen.py", generator)
            .file("s.py", SUM)
            .args(["test", "s.py", "--problem", "p"])
            .status(125);
        let err = out.stderr.trim();
        let last = err.lines().last().unwrap_or_default();
        assert!(last.contains(expect), "{init}: {err}");
        assert!(
            last.starts_with("codecage: problem package"),
            "{init}: {err}"
        );
    }
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
