//! `codecage test`: verdicts from real runs, compile once, reports.

use std::process::Command;

use crate::harness::Test;

const JUDGE_ME: &str = r#"import sys, time
cmd = sys.stdin.read().split()
if not cmd:
    print("empty")
elif cmd[0] == "add":
    print(int(cmd[1]) + int(cmd[2]))
elif cmd[0] == "crash":
    raise SystemExit(4)
elif cmd[0] == "spin":
    while True:
        pass
elif cmd[0] == "eat":
    x = bytearray(1 << 30)
elif cmd[0] == "flood":
    while True:
        print("y" * 1000)
elif cmd[0] == "exit":
    print("bye")
    raise SystemExit(3)
elif cmd[0] == "args":
    print(" ".join(sys.argv[1:]))
"#;

const SUITE: &str = r#"compare: lines
cases:
  - name: accepted
    stdin: "add 1 2\n"
    stdout: "3\n"
  - name: wrong
    stdin: "add 1 1\n"
    stdout: "3\n"
  - name: runtime-error
    stdin: crash
    stdout: ""
  - name: too-slow
    stdin: spin
    stdout: ""
    limits: {time: 1s}
  - name: too-big
    stdin: eat
    stdout: ""
    limits: {memory: 64MiB}
  - name: too-loud
    stdin: flood
    stdout: ""
    limits: {output: 64KiB}
  - name: expected-exit
    stdin: exit
    stdout: "bye\n"
    exit_code: 3
  - name: with-args
    stdin: args
    args: [a, "b c"]
    stdout_file: args.out
  - name: tokens
    stdin: "add 2 2"
    stdout: "  4  "
    compare: tokens
"#;

#[test]
fn every_verdict_from_a_suite_with_reports() {
    let test = Test::new()
        .file("judge.py", JUDGE_ME)
        .file("suite.yaml", SUITE)
        .file("args.out", "a b c\n")
        .args([
            "test",
            "judge.py",
            "--suite",
            "suite.yaml",
            "--json",
            "r.json",
            "--junit",
            "j.xml",
            "-j",
            "2",
        ]);
    let out = test.status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    let verdicts: Vec<(String, String)> = json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("accepted", "AC"),
        ("wrong", "WA"),
        ("runtime-error", "RE"),
        ("too-slow", "TLE"),
        ("too-big", "MLE"),
        ("too-loud", "OLE"),
        ("expected-exit", "AC"),
        ("with-args", "AC"),
        ("tokens", "AC"),
    ];
    assert_eq!(
        verdicts,
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(json["verdict"], "WA");
    assert_eq!(json["passed"], 4);
    let table = out.stdout_str();
    assert!(table.contains("4/9 passed: WA"), "{table}");
    assert!(
        out.stderr
            .contains("first difference in case wrong at line 1:\n- 3\n+ 2\n"),
        "{}",
        out.stderr
    );
    let junit = String::from_utf8(out.read("j.xml")).unwrap();
    assert!(
        junit.contains("tests=\"9\" failures=\"5\" errors=\"0\""),
        "{junit}"
    );
    assert!(junit.contains("<failure type=\"TLE\""), "{junit}");
}

#[test]
fn case_directory_with_a_missing_input_all_accepted() {
    let out = Test::new()
        .file("sol.py", JUDGE_ME)
        .file("cases/1.in", "add 1 2\n")
        .file("cases/1.out", "3\n")
        .file("cases/2.in", "add 40 2\n")
        .file("cases/2.out", "42   \n\n")
        .file("cases/10.out", "empty\n")
        .args(["test", "sol.py", "--cases", "cases"])
        .status(0);
    let table = out.stdout_str();
    let names: Vec<&str> = table
        .lines()
        .skip(1)
        .take(3)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names, ["1", "2", "10"]);
    assert!(table.contains("3/3 passed: AC"), "{table}");
}

#[test]
fn compiled_once_and_every_case_in_a_fresh_container() {
    let test = Test::new()
        .file("sum.c", "#include <stdio.h>\nint main(void) { long a, b; scanf(\"%ld %ld\", &a, &b); printf(\"%ld\\n\", a + b); return 0; }\n")
        .file("cases/a.in", "1 2\n")
        .file("cases/a.out", "3\n")
        .file("cases/b.in", "2 2\n")
        .file("cases/b.out", "4\n")
        .file("cases/c.in", "5 5\n")
        .file("cases/c.out", "10\n")
        .args(["test", "sum.c", "--cases", "cases"]);
    let tag = test.tag().to_string();
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 1;
    test.status(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 1;
    let out = Command::new("docker")
        .args([
            "events",
            "--since",
            &since.to_string(),
            "--until",
            &now.to_string(),
            "--filter",
            &format!("label=codecage.tag={tag}"),
            "--filter",
            "event=create",
        ])
        .output()
        .unwrap();
    let created = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(
        created, 4,
        "one compile container and three case containers expected"
    );
}

#[test]
fn compile_error_runs_no_case() {
    let out = Test::new()
        .file("bad.cpp", "int main( { }\n")
        .file("cases/1.in", "1\n")
        .file("cases/1.out", "1\n")
        .args(["test", "bad.cpp", "--cases", "cases", "--json", "-"])
        .status(65);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "CE");
    assert_eq!(json["cases"][0]["verdict"], "CE");
    assert!(
        json["compile_output"]
            .as_str()
            .unwrap()
            .contains("bad.cpp:1"),
        "{json}"
    );
}

#[test]
fn float_comparison_with_tolerance() {
    let out = Test::new()
        .file("pi.py", "print(3.14159)\n")
        .file("cases/pi.out", "3.1416\n")
        .args([
            "test",
            "pi.py",
            "--cases",
            "cases",
            "--compare",
            "float:1e-4",
        ])
        .status(0);
    assert!(out.stdout_str().contains("1/1 passed: AC"));
    let out = Test::new()
        .file("pi.py", "print(3.14159)\n")
        .file("cases/pi.out", "3.1416\n")
        .args(["test", "pi.py", "--cases", "cases", "--compare", "exact"])
        .status(1);
    assert!(out.stdout_str().contains("0/1 passed: WA"));
}

#[test]
fn bad_suite_is_a_one_line_error() {
    let out = Test::new()
        .file("a.py", "print(1)\n")
        .file(
            "suite.yaml",
            "cases:\n  - name: x\n    stdout: 1\n    colour: red\n",
        )
        .args(["test", "a.py", "--suite", "suite.yaml"])
        .run();
    assert_eq!(out.status, 125, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("codecage: invalid suite suite.yaml:4:"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}
