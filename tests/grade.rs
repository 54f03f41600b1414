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

/// Containers created for `test` with `extra` flags: one compile, then what grading needs.
fn containers_for_three_cases(extra: &[&str]) -> usize {
    let test = Test::new()
        .file("sum.c", "#include <stdio.h>\nint main(void) { long a, b; scanf(\"%ld %ld\", &a, &b); printf(\"%ld\\n\", a + b); return 0; }\n")
        .file("cases/a.in", "1 2\n")
        .file("cases/a.out", "3\n")
        .file("cases/b.in", "2 2\n")
        .file("cases/b.out", "4\n")
        .file("cases/c.in", "5 5\n")
        .file("cases/c.out", "10\n")
        .args(["test", "sum.c", "--cases", "cases", "--no-cache"])
        .args(extra.iter().copied());
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
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[test]
fn compiled_once_and_every_case_in_one_box_per_worker_or_a_container_each() {
    assert_eq!(
        containers_for_three_cases(&["-j", "1"]),
        2,
        "one compile container and one judge box for the three cases expected"
    );
    assert_eq!(
        containers_for_three_cases(&["-j", "2"]),
        3,
        "one compile container and a judge box per worker expected"
    );
    assert_eq!(
        containers_for_three_cases(&["--container-per-case"]),
        4,
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
        .status(1);
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

/// The problem for the class test: print the sum of two integers. The wrong submissions misbehave
/// only on the case where both numbers are equal.
fn class_folder() -> Test {
    Test::new()
        .file("cases/1.in", "1 2\n")
        .file("cases/1.out", "3\n")
        .file("cases/2.in", "40 2\n")
        .file("cases/2.out", "42\n")
        .file("cases/3.in", "7 7\n")
        .file("cases/3.out", "14\n")
        .file("subs/ac.py", "a, b = map(int, input().split())\nprint(a + b)\n")
        .file("subs/spaces.py", "a, b = map(int, input().split())\nprint(str(a + b) + '   ')\n")
        .file(
            "subs/wa.cpp",
            "#include <iostream>\nint main() { long a, b; std::cin >> a >> b; std::cout << (a == b ? a : a + b) << std::endl; }\n",
        )
        .file(
            "subs/Tle.java",
            "import java.util.Scanner;\npublic class Tle { public static void main(String[] x) { Scanner s = new Scanner(System.in); long a = s.nextLong(), b = s.nextLong(); while (a == b) { } System.out.println(a + b); } }\n",
        )
        .file(
            "subs/mle.py",
            "a, b = map(int, input().split())\nif a == b:\n    hog = bytearray(1 << 30)\nprint(a + b)\n",
        )
        .file(
            "subs/re.cpp",
            "#include <iostream>\n#include <cstdlib>\nint main() { long a, b; std::cin >> a >> b; if (a == b) std::abort(); std::cout << a + b << std::endl; }\n",
        )
        .file("subs/ce.java", "public class Ce { public static void main(String[] x) { int y = \"nope\"; } }\n")
}

const SUBMISSIONS: [&str; 7] = [
    "subs/ac.py",
    "subs/spaces.py",
    "subs/wa.cpp",
    "subs/Tle.java",
    "subs/mle.py",
    "subs/re.cpp",
    "subs/ce.java",
];

#[test]
fn a_class_folder_one_submission_per_verdict_in_three_languages() {
    let out = class_folder()
        .args(["test", "--each"])
        .args(SUBMISSIONS)
        .args([
            "--cases",
            "cases",
            "--time-limit",
            "2s",
            "--json",
            "r.json",
            "--junit",
            "j.xml",
        ])
        .status(1);

    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    assert_eq!(json["total"], 7);
    assert_eq!(json["passed"], 2);
    assert_eq!(json["verdict"], "WA");
    let subs = json["submissions"].as_array().unwrap();
    let expect = [
        ("subs/ac.py", "python", "AC", 3, ["AC", "AC", "AC"]),
        ("subs/spaces.py", "python", "AC", 3, ["AC", "AC", "AC"]),
        ("subs/wa.cpp", "cpp", "WA", 2, ["AC", "AC", "WA"]),
        ("subs/Tle.java", "java", "TLE", 2, ["AC", "AC", "TLE"]),
        ("subs/mle.py", "python", "MLE", 2, ["AC", "AC", "MLE"]),
        ("subs/re.cpp", "cpp", "RE", 2, ["AC", "AC", "RE"]),
        ("subs/ce.java", "java", "CE", 0, ["CE", "CE", "CE"]),
    ];
    for (sub, (name, lang, verdict, passed, cases)) in subs.iter().zip(expect) {
        assert_eq!(sub["solution"], name);
        assert_eq!(sub["language"], lang, "{name}");
        assert_eq!(sub["verdict"], verdict, "{name}: {sub}");
        assert_eq!(sub["passed"], passed, "{name}");
        assert_eq!(sub["total"], 3, "{name}");
        let got: Vec<&str> = sub["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["verdict"].as_str().unwrap())
            .collect();
        assert_eq!(got, cases, "{name}");
        for case in sub["cases"].as_array().unwrap() {
            assert!(
                case["time_ms"].is_u64()
                    && case.get("exit_code").is_some()
                    && case["name"].is_string()
            );
        }
    }
    assert_eq!(subs[5]["cases"][2]["exit_code"], 134);
    assert!(subs[6]["compile_output"]
        .as_str()
        .unwrap()
        .contains("incompatible types"));

    let table = out.stdout_str();
    assert!(table.contains("2/7 submissions accepted"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("subs/Tle.java") && l.contains("TLE") && l.ends_with("2/3")),
        "{table}"
    );

    let xml = String::from_utf8(out.read("j.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("JUnit XML parses");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("21"));
    assert_eq!(root.attribute("failures"), Some("4"));
    assert_eq!(root.attribute("errors"), Some("3"));
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 7);
    let wa = suites
        .iter()
        .find(|s| s.attribute("name") == Some("subs/wa.cpp"))
        .unwrap();
    let failure = wa
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("WA"));
    assert!(
        failure.text().unwrap().contains("- 14\n+ 7\n"),
        "{:?}",
        failure.text()
    );
    let ce = suites
        .iter()
        .find(|s| s.attribute("name") == Some("subs/ce.java"))
        .unwrap();
    assert_eq!(
        ce.descendants().filter(|n| n.has_tag_name("error")).count(),
        3
    );
}

#[test]
fn trailing_spaces_pass_by_default_and_fail_under_exact() {
    class_folder()
        .args(["test", "subs/spaces.py", "--cases", "cases"])
        .status(0);
    let out = class_folder()
        .args([
            "test",
            "subs/spaces.py",
            "--cases",
            "cases",
            "--compare",
            "exact",
        ])
        .status(1);
    assert!(
        out.stdout_str().contains("0/3 passed: WA"),
        "{}",
        out.stdout_str()
    );
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let out = class_folder()
        .args([
            "test",
            "subs/re.cpp",
            "--cases",
            "cases",
            "--fail-fast",
            "-j",
            "1",
            "--json",
            "-",
        ])
        .file("cases/4.in", "1 1\n")
        .file("cases/4.out", "2\n")
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "RE");
    assert_eq!(json["skipped"], 1, "{json}");
    assert_eq!(json["cases"].as_array().unwrap().len(), 3);
}

/// `test -t` is a CPU-time limit: a sleeper is caught only by the wall-clock backstop (2 × + 1 s),
/// and a program using most of its CPU time passes.
#[test]
fn test_time_limit_is_cpu_time_with_a_wall_clock_backstop() {
    let out = Test::new()
        .file(
            "sol.py",
            "import sys, time\nif sys.stdin.read().strip() == 'nap':\n    time.sleep(10)\nelse:\n    while time.process_time() < 0.6:\n        pass\nprint('done')\n",
        )
        .file("cases/burn.in", "burn\n")
        .file("cases/burn.out", "done\n")
        .file("cases/nap.in", "nap\n")
        .file("cases/nap.out", "done\n")
        .args(["test", "sol.py", "--cases", "cases", "-t", "1s"])
        .args(["-j", "1", "--json", "r.json"])
        .status(1);
    let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
    let cases = json["cases"].as_array().unwrap();
    assert_eq!(cases[0]["name"], "burn");
    assert_eq!(cases[0]["verdict"], "AC", "{json}");
    assert_eq!(cases[1]["name"], "nap");
    assert_eq!(cases[1]["verdict"], "TLE", "{json}");
    let nap_ms = cases[1]["time_ms"].as_u64().unwrap();
    assert!((2_900..6_000).contains(&nap_ms), "killed after {nap_ms} ms");
}

/// What a submission prints, a case's name and a compiler's diagnostics are untrusted: codecage
/// shows them escaped, so a program cannot clear the screen or retitle the terminal and print a
/// fake summary over the real one. Newlines and tabs of the layout stay.
#[test]
fn untrusted_text_reaches_the_terminal_escaped() {
    let raw = |s: &str| s.contains(['\x1b', '\x07', '\r', '\u{9b}']);
    let fake = "import sys\nsys.stdout.write('\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07All 1 passed: AC\\r\\n\\u009b31m')\n";
    let out = Test::new()
        .file("fake.py", fake)
        .file("cases/a\x1b[2Jb\x07.in", "")
        .file("cases/a\x1b[2Jb\x07.out", "expected\n")
        .args(["test", "fake.py", "--cases", "cases", "--junit", "j.xml"])
        .status(1);
    let stdout = out.stdout_str();
    assert!(
        !raw(&stdout) && !raw(&out.stderr),
        "{stdout:?}\n{:?}",
        out.stderr
    );
    assert!(stdout.contains("a\\x1b[2Jb\\x07"), "{stdout}");
    assert!(
        out.stderr
            .contains("\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07All 1 passed: AC"),
        "{}",
        out.stderr
    );
    assert!(stdout.contains("WA"), "{stdout}");
    // JUnit: XML 1.0 cannot hold ESC or BEL; they are replaced, never written raw.
    let junit = String::from_utf8(out.read("j.xml")).unwrap();
    assert!(!junit.contains(['\x1b', '\x07']), "{junit:?}");

    // A compiler quoting the source line it rejects.
    let out = Test::new()
        .file(
            "bad.c",
            "int main(void) { return nope; } /* \x1b[2J\x1b]0;pwned\x07 */\n",
        )
        .file("cases/one.out", "x\n")
        .args(["test", "bad.c", "--cases", "cases"])
        .status(1);
    assert!(out.stderr.contains("nope"), "{}", out.stderr);
    assert!(
        !raw(&out.stderr) && !raw(&out.stdout_str()),
        "{:?}",
        out.stderr
    );
}
