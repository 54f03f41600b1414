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
