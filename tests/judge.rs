//! `codecage test` as a real judge: checkers, interactors and scoring groups, every program in
//! its own sandbox on the real engine.

use crate::harness::Test;

/// A testlib-convention checker without testlib.h: `checker INPUT OUTPUT ANSWER`.
const CHECKER_CPP: &str = r#"#include <fstream>
#include <iostream>
#include <string>
int main(int argc, char** argv) {
    if (argc < 4) { std::cerr << "usage: checker input output answer"; return 3; }
    std::ifstream in(argv[1]), out(argv[2]), ans(argv[3]);
    long long n = 0, expected = 0;
    in >> n;
    ans >> expected;
    std::string got;
    if (!(out >> got)) { std::cerr << "wrong output format: empty output"; return 2; }
    long long value = 0;
    try {
        size_t used = 0;
        value = std::stoll(got, &used);
        if (used != got.size()) throw 0;
    } catch (...) {
        std::cerr << "wrong output format: not a number: " << got;
        return 2;
    }
    if (value == expected) { std::cerr << "ok the sum is " << value; return 0; }
    if (value == expected - n) { std::cerr << "points 0.5 forgot to add n itself"; return 7; }
    std::cerr << "wrong answer: expected " << expected << ", found " << value;
    return 1;
}
"#;

fn checker_test() -> Test {
    Test::new()
        .file("checker.cpp", CHECKER_CPP)
        .file("cases/1.in", "3\n")
        .file("cases/1.ans", "6\n")
        .file("cases/2.in", "10\n")
        .file("cases/2.ans", "55\n")
        .file("good.py", "n = int(input())\nprint(n * (n + 1) // 2)\n")
        .file("offbyn.py", "n = int(input())\nprint(sum(range(n)))\n")
        .file("garbage.py", "input()\nprint('fifty-five')\n")
        .file("wrong.py", "input()\nprint(-1)\n")
}

#[test]
fn testlib_checker_gives_ac_wa_pe_and_partial_points_with_its_feedback() {
    let out = checker_test()
        .args([
            "test",
            "--each",
            "good.py",
            "offbyn.py",
            "garbage.py",
            "wrong.py",
            "--cases",
            "cases",
            "--checker",
            "checker.cpp",
            "--json",
            "r.json",
            "--junit",
            "j.xml",
        ])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    let subs = json["submissions"].as_array().unwrap();
    let verdicts: Vec<&str> = subs
        .iter()
        .map(|s| s["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["AC", "AC", "PE", "WA"], "{json:#}");
    // Partial credit: half of each case, so 1 of 2 points.
    assert_eq!(subs[0]["score"], 2.0);
    assert_eq!(subs[1]["score"], 1.0);
    assert_eq!(subs[1]["max_score"], 2.0);
    assert_eq!(subs[1]["cases"][0]["score"], 0.5);
    assert_eq!(
        subs[3]["cases"][0]["feedback"],
        "wrong answer: expected 6, found -1"
    );
    assert_eq!(subs[2]["cases"][1]["verdict"], "PE");
    assert!(subs[0]["cases"][0]["cpu_ms"].is_u64(), "{json:#}");
    let junit = String::from_utf8(out.read("j.xml")).unwrap();
    assert!(
        junit.contains(
            "<property name=\"feedback\" value=\"wrong answer: expected 55, found -1\"/>"
        ),
        "{junit}"
    );
    assert!(
        junit.contains("<failure type=\"WA\" message=\"WA: wrong answer (checker)\">wrong answer: expected 6, found -1</failure>"),
        "{junit}"
    );

    // Without groups the table still shows a partial score, which is why the status is 1.
    let out = checker_test()
        .args([
            "test",
            "offbyn.py",
            "--cases",
            "cases",
            "--checker",
            "checker.cpp",
        ])
        .status(1);
    assert!(
        out.stdout_str().ends_with("2/2 passed: AC, score 1/2\n"),
        "{}",
        out.stdout_str()
    );
}

#[test]
fn table_shows_the_checkers_feedback_for_the_first_failure() {
    let out = checker_test()
        .args([
            "test",
            "wrong.py",
            "--cases",
            "cases",
            "--checker",
            "checker.cpp",
        ])
        .status(1);
    let table = out.stdout_str();
    assert!(
        table.contains("wrong answer (checker): wrong answer: expected 6, found -1"),
        "{table}"
    );
    assert!(
        out.stderr
            .contains("feedback on case 1:\n  wrong answer: expected 6, found -1\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_checker_that_fails_crashes_or_does_not_compile_is_an_internal_error() {
    let out = checker_test()
        .file(
            "fail.py",
            "import sys\nprint('answer file is broken', file=sys.stderr)\nsys.exit(3)\n",
        )
        .args([
            "test",
            "good.py",
            "--cases",
            "cases",
            "--checker",
            "fail.py",
            "--json",
            "-",
        ])
        .status(125);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "IE");
    assert_eq!(
        json["cases"][0]["message"],
        "the checker failed: answer file is broken"
    );

    let out = checker_test()
        .file(
            "crash.c",
            "#include <stdlib.h>\nint main(void) { abort(); }\n",
        )
        .args([
            "test",
            "good.py",
            "--cases",
            "cases",
            "--checker",
            "crash.c",
        ])
        .status(125);
    assert!(
        out.stdout_str()
            .contains("the checker exited with status 134"),
        "{}",
        out.stdout_str()
    );

    let out = checker_test()
        .file("broken.cpp", "int main() { return undefined_thing; }\n")
        .args([
            "test",
            "good.py",
            "--cases",
            "cases",
            "--checker",
            "broken.cpp",
            "--json",
            "-",
        ])
        .status(125);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["verdict"], "IE",
        "a broken checker is not the submission's CE"
    );
    assert!(out.stderr.contains("undefined_thing"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("codecage: the checker did not compile: compilation failed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_checker_that_floods_its_stderr_is_an_internal_error_and_stays_bounded() {
    let flood = "import sys\nsys.stderr.write('x' * (8 << 20))\nsys.exit(1)\n";
    let out = checker_test()
        .file("flood.py", flood)
        .args([
            "test",
            "good.py",
            "--cases",
            "cases",
            "--checker",
            "flood.py",
            "--json",
            "-",
        ])
        .status(125);
    assert!(out.stdout.len() < 64 << 10, "the report stays small");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cases"][0]["verdict"], "IE");
    assert_eq!(
        json["cases"][0]["message"],
        "the checker wrote 8388608 bytes to stderr, more than the 64 KiB codecage reads"
    );
}

/// A testlib-convention interactor: `interactor INPUT OUTPUT`, guessing 1..1000.
const INTERACTOR: &str = r#"import sys
secret = int(open(sys.argv[1]).read())
for i in range(12):
    line = sys.stdin.readline()
    if not line:
        print("unexpected end of the submission's output", file=sys.stderr)
        sys.exit(1)
    guess = int(line)
    if guess == secret:
        print("=", flush=True)
        print(f"found in {i + 1} guesses", file=sys.stderr)
        sys.exit(0)
    print("<" if secret < guess else ">", flush=True)
print("too many guesses", file=sys.stderr)
sys.exit(1)
"#;

const BINARY_SEARCH: &str = r#"lo, hi = 1, 1000
while True:
    m = (lo + hi) // 2
    print(m, flush=True)
    r = input()
    if r == "=":
        break
    if r == "<":
        hi = m - 1
    else:
        lo = m + 1
"#;

const BINARY_SEARCH_CPP: &str = r#"#include <iostream>
#include <string>
int main() {
    int lo = 1, hi = 1000;
    for (;;) {
        int m = (lo + hi) / 2;
        std::cout << m << std::endl;
        std::string r;
        if (!(std::cin >> r) || r == "=") return 0;
        if (r == "<") hi = m - 1; else lo = m + 1;
    }
}
"#;

/// Writes without flushing: its guesses sit in its own buffer while it waits for an answer.
const NO_FLUSH: &str = r#"import sys
lo, hi = 1, 1000
while True:
    m = (lo + hi) // 2
    sys.stdout.write(f"{m}\n")
    r = sys.stdin.readline().strip()
    if r == "=":
        break
    if r == "<":
        hi = m - 1
    else:
        lo = m + 1
"#;

const LINEAR: &str = "g = 1\nwhile True:\n    print(g, flush=True)\n    if input() == '=':\n        break\n    g += 1\n";

const CRASH: &str = "print(500, flush=True)\ninput()\nraise SystemExit(3)\n";

#[test]
fn interactive_verdicts_come_from_the_interactor_and_the_submissions_own_failures() {
    let out = Test::new()
        .file("interactor.py", INTERACTOR)
        .file("cases/1.in", "777\n")
        .file("cases/2.in", "1000\n")
        .file("good.py", BINARY_SEARCH)
        .file("good.cpp", BINARY_SEARCH_CPP)
        .file("noflush.py", NO_FLUSH)
        .file("linear.py", LINEAR)
        .file("crash.py", CRASH)
        .args([
            "test",
            "--each",
            "good.py",
            "good.cpp",
            "noflush.py",
            "linear.py",
            "crash.py",
            "--cases",
            "cases",
            "--interactor",
            "interactor.py",
            "-t",
            "1s",
            "--json",
            "-",
        ])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let subs = json["submissions"].as_array().unwrap();
    let verdicts: Vec<&str> = subs
        .iter()
        .map(|s| s["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["AC", "AC", "TLE", "WA", "RE"], "{json:#}");
    assert_eq!(subs[0]["cases"][0]["feedback"], "found in 8 guesses");
    assert_eq!(subs[3]["cases"][0]["feedback"], "too many guesses");
    assert_eq!(subs[3]["cases"][0]["message"], "wrong answer (interactor)");
    // The submission that forgot to flush waited for an answer until its wall-clock backstop.
    let waited = subs[2]["cases"][0]["time_ms"].as_u64().unwrap();
    assert!(waited >= 2900, "{waited}");
    assert_eq!(subs[4]["cases"][0]["message"], "exit status 3");
}

#[test]
fn an_interactor_that_never_exits_ends_at_its_own_limit() {
    let hang = "import sys\nsys.stdin.read()\nwhile True:\n    pass\n";
    let out = Test::new()
        .file("hang.py", hang)
        .file("cases/1.in", "5\n")
        .file("sol.py", "print(1, flush=True)\n")
        .args([
            "test",
            "sol.py",
            "--cases",
            "cases",
            "--interactor",
            "hang.py",
            "-t",
            "1s",
            "--json",
            "-",
        ])
        .status(125);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cases"][0]["verdict"], "IE");
    assert_eq!(
        json["cases"][0]["message"],
        "the interactor hit its limit: time limit exceeded"
    );
}

const SCORED_SUITE: &str = r#"groups:
  - name: small
    points: 30
    aggregation: min
  - name: big
    points: 70
    depends_on: [small]
cases:
  - {name: sample, stdin: "3\n", stdout: "6\n"}
  - {name: s1, group: small, stdin: "4\n", stdout: "10\n"}
  - {name: s2, group: small, stdin: "10\n", stdout: "55\n"}
  - {name: b1, group: big, stdin: "1000\n", stdout: "500500\n"}
  - {name: b2, group: big, stdin: "100000\n", stdout: "5000050000\n"}
"#;

#[test]
fn scoring_groups_with_min_sum_and_dependencies() {
    let test = || {
        Test::new()
            .file("suite.yaml", SCORED_SUITE)
            .file("full.py", "n = int(input())\nprint(n * (n + 1) // 2)\n")
            .file(
                "slow_only.py",
                "n = int(input())\nprint(sum(range(n + 1)) if n <= 1000 else 0)\n",
            )
            .file(
                "big_only.py",
                "n = int(input())\nprint(n * (n + 1) // 2 if n > 10 or n == 3 else 0)\n",
            )
    };
    let out = test()
        .args(["test", "full.py", "--suite", "suite.yaml", "--json", "-"])
        .status(0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["score"].as_f64(), json["max_score"].as_f64()),
        (Some(100.0), Some(100.0))
    );

    let out = test()
        .args([
            "test",
            "slow_only.py",
            "--suite",
            "suite.yaml",
            "--json",
            "-",
        ])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["score"], 65.0, "{json:#}");
    assert_eq!(json["groups"][0]["score"], 30.0);
    assert_eq!(json["groups"][1]["score"], 35.0);
    assert_eq!(json["groups"][1]["verdict"], "WA");

    let out = test()
        .args([
            "test",
            "big_only.py",
            "--suite",
            "suite.yaml",
            "--junit",
            "j.xml",
        ])
        .status(1);
    let junit = String::from_utf8(out.read("j.xml")).unwrap();
    assert!(
        junit.contains("<property name=\"score\" value=\"0\"/>\n      <property name=\"max_score\" value=\"100\"/>\n      <property name=\"group small\" value=\"0/30 WA\"/>"),
        "{junit}"
    );
    let table = out.stdout_str();
    assert!(
        table.contains("GROUP  SCORE        VERDICT  PASSED\n"),
        "{table}"
    );
    assert!(
        table.contains("small  0/30         WA       0/2\n"),
        "{table}"
    );
    assert!(
        table.contains("big    0/70         AC       2/2  (needs small)\n"),
        "{table}"
    );
    assert!(table.contains("3/5 passed: WA, score 0/100"), "{table}");
}

#[test]
fn bad_groups_and_judge_flags_are_one_line_errors() {
    let out = Test::new()
        .file(
            "suite.yaml",
            "groups:\n  - {name: g, points: 10, depends_on: [later]}\n  - {name: later, points: 1}\ncases:\n  - {name: a, group: g, stdout: \"\"}\n  - {name: b, group: later, stdout: \"\"}\n",
        )
        .file("a.py", "pass\n")
        .args(["test", "a.py", "--suite", "suite.yaml"])
        .status(125);
    assert!(
        out.stderr
            .contains("depends on \"later\", which is not a group declared before it"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);

    let out = Test::new()
        .file("a.py", "pass\n")
        .file("cases/1.in", "1\n")
        .file("cases/1.ans", "1\n")
        .args(["test", "a.py", "--cases", "cases", "--checker", "nope.cpp"])
        .status(125);
    assert!(out.stderr.contains("--checker nope.cpp"), "{}", out.stderr);
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);

    // A checker would never run after an interactor's final verdict: refused, not dropped.
    let out = Test::new()
        .file("a.py", "pass\n")
        .file("cases/1.in", "1\n")
        .args([
            "test",
            "a.py",
            "--cases",
            "cases",
            "--checker",
            "c.py",
            "--interactor",
            "i.py",
        ])
        .status(125);
    assert!(
        out.stderr.starts_with(
            "error: the argument '--checker <FILE|DIR>' cannot be used with '--interactor <FILE|DIR>'"
        ),
        "{}",
        out.stderr
    );

    let out = Test::new()
        .file("a.py", "pass\n")
        .file("cases/1.in", "1\n")
        .file("cases/1.ans", "1\n")
        .file("cases/2.in", "2\n")
        .args(["test", "a.py", "--cases", "cases"])
        .status(125);
    assert!(
        out.stderr
            .contains("2.in has no answer beside it (2.out or 2.ans)"),
        "{}",
        out.stderr
    );
}

/// A Kattis output validator used on a plain case directory with `--kattis`.
const KATTIS_VALIDATOR: &str = r#"import sys
input_file, answer_file, feedback = sys.argv[1], sys.argv[2], sys.argv[3]
expected = open(answer_file).read().split()
got = sys.stdin.read().split()
if got == expected:
    sys.exit(42)
with open(feedback + "judgemessage.txt", "w") as f:
    f.write(f"expected {expected}, got {got}\n")
sys.exit(43)
"#;

/// `good.py` and `bad.py` judged by a Kattis validator `file`: their submissions in the JSON.
fn judged_by_kattis_validator(file: &str, source: &str) -> Vec<serde_json::Value> {
    let out = Test::new()
        .file(file, source)
        .file("cases/1.in", "3\n")
        .file("cases/1.ans", "6\n")
        .file("good.py", "n = int(input())\nprint(n * (n + 1) // 2)\n")
        .file("bad.py", "print(7)\n")
        .args([
            "test",
            "--each",
            "good.py",
            "bad.py",
            "--cases",
            "cases",
            "--checker",
            file,
            "--kattis",
            "--json",
            "-",
        ])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let subs = json["submissions"].as_array().unwrap().clone();
    assert_eq!(subs[0]["verdict"], "AC", "{json:#}\n{}", out.stderr);
    assert_eq!(subs[1]["verdict"], "WA", "{json:#}\n{}", out.stderr);
    subs
}

#[test]
fn kattis_output_validator_by_flag() {
    let subs = judged_by_kattis_validator("validator.py", KATTIS_VALIDATOR);
    assert_eq!(subs[1]["cases"][0]["feedback"], "expected ['6'], got ['7']");
}

/// Without CPU accounting (here: codecage run as an unprivileged member of the engine's socket
/// group, which may not create cgroups), `test` still grades, says once that the time limit is
/// wall-clock only, and `doctor` says why. Needs root (to drop to `nobody`) and a local socket.
#[test]
fn without_cpu_accounting_test_warns_once_and_doctor_says_why() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let socket = std::path::Path::new("/var/run/docker.sock");
    let me = std::fs::metadata("/proc/self").unwrap();
    let sock = std::fs::metadata(socket).expect("this test needs the local Docker socket");
    // Never a silent skip: the suite runs as root against the local engine (`.ci/run`).
    assert!(
        me.uid() == 0 && std::env::var_os("DOCKER_HOST").is_none() && sock.mode() & 0o060 == 0o060,
        "this test needs root and the local Docker socket, group read-write"
    );
    let as_nobody = |test: Test| {
        let home = test.path().to_str().unwrap().to_string();
        std::fs::set_permissions(test.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        // The test (and its directory) lives until the command has run.
        let test = test
            .env("HOME", &home)
            .env("XDG_CACHE_HOME", &home)
            .env("TMPDIR", &home);
        let mut cmd = test.command();
        cmd.uid(65534).gid(sock.gid());
        cmd.output().unwrap()
    };
    let out = as_nobody(
        Test::new()
            .file("a.py", "print(int(input()) * 2)\n")
            .file("cases/1.in", "2\n")
            .file("cases/1.out", "4\n")
            .file("cases/2.in", "3\n")
            .file("cases/2.out", "6\n")
            .args(["test", "a.py", "--cases", "cases"]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr
            .matches("codecage: warning: CPU time cannot be measured with this engine here")
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2/2 passed: AC"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = as_nobody(Test::new().args(["doctor"]));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains(
            "warn  no CPU accounting (cannot create a cgroup under /sys/fs/cgroup: Permission denied"
        ) && report.contains("fix: run codecage as root, or with write access to /sys/fs/cgroup"),
        "{report}"
    );
}

/// A judge program in Java (the JVM needs more threads than a C++ checker): a Kattis validator
/// gives AC and WA with its message.
#[test]
fn kattis_output_validator_in_java() {
    let validator = r#"import java.io.*;
import java.nio.file.*;
import java.util.*;
public class Validator {
    public static void main(String[] args) throws IOException {
        String expected = new String(Files.readAllBytes(Paths.get(args[1]))).trim();
        String got = new String(System.in.readAllBytes()).trim();
        if (got.equals(expected)) System.exit(42);
        Files.write(Paths.get(args[2], "judgemessage.txt"), ("wanted " + expected + ", got " + got + "\n").getBytes());
        System.exit(43);
    }
}
"#;
    let subs = judged_by_kattis_validator("Validator.java", validator);
    assert_eq!(subs[1]["cases"][0]["feedback"], "wanted 6, got 7");
}

/// A Kattis interactor always gets an answer file (empty when the case has no `.ans`), as
/// problemtools' `validate.h` opens it whatever the problem; and a validator that gives up says
/// why in `judgeerror.txt`, which is the reason shown.
#[test]
fn a_kattis_interactor_gets_an_empty_answer_file_and_judgeerror_is_the_reason() {
    let interactor = r#"import sys
n = int(open(sys.argv[1]).read())
answer = open(sys.argv[2]).read()
if n < 0:
    open(sys.argv[3] + "/judgeerror.txt", "w").write("the input is negative\n")
    sys.exit(1)
print(n, flush=True)
got = int(input())
sys.exit(42 if got == 2 * n and answer == "" else 43)
"#;
    // The JSON report of `double.py` against the interactor on one case with input `input`.
    let judged = |input: &str| -> serde_json::Value {
        let out = Test::new()
            .file("interactor.py", interactor)
            .file("cases/1.in", input)
            .file("double.py", "print(int(input()) * 2)\n")
            .args([
                "test",
                "double.py",
                "--cases",
                "cases",
                "--interactor",
                "interactor.py",
                "--kattis",
                "--json",
                "-",
            ])
            .run();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr))
    };
    let json = judged("21\n");
    assert_eq!(json["verdict"], "AC", "{json:#}");
    let json = judged("-1\n");
    assert_eq!(json["verdict"], "IE", "{json:#}");
    let feedback = json["cases"][0]["feedback"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let message = json["cases"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        feedback.contains("the input is negative") || message.contains("the input is negative"),
        "{json:#}"
    );
}
