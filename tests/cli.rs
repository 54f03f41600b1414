//! The command line itself: help and errors pinned by snapshots, completions and the man page kept
//! fresh, configuration precedence, --json, --quiet, -v and --version.

use std::io::Read;
use std::process::Stdio;

use crate::harness::{clean_command, repo_root, Test, BIN};

fn help(args: &[&str]) -> String {
    let out = clean_command()
        .args(args)
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_texts_are_pinned() {
    insta::assert_snapshot!("help", help(&["--help"]));
    insta::assert_snapshot!("help_run", help(&["run", "--help"]));
    insta::assert_snapshot!("help_test", help(&["test", "--help"]));
    insta::assert_snapshot!("help_images_build", help(&["images", "build", "--help"]));
}

#[test]
fn every_subcommand_help_has_examples() {
    for sub in [
        vec!["run"],
        vec!["test"],
        vec!["languages"],
        vec!["images", "build"],
        vec!["images", "list"],
        vec!["completions"],
        vec!["man"],
        vec!["gc"],
        vec!["serve"],
        vec!["doctor"],
    ] {
        let mut args = sub.clone();
        args.push("--help");
        let text = help(&args);
        assert!(
            text.contains("Examples:\n  codecage"),
            "{sub:?} has no examples:\n{text}"
        );
    }
}

#[test]
fn main_error_messages_are_pinned() {
    let errors = [
        Test::new()
            .file("notes.txt", "")
            .args(["run", "notes.txt"])
            .run()
            .stderr,
        Test::new().args(["run", "nope.py"]).run().stderr,
        Test::new()
            .file("a.py", "")
            .args(["run", "--lang", "cobra", "a.py"])
            .run()
            .stderr,
        Test::new()
            .file("a.py", "")
            .args(["run", "-m", "lots", "a.py"])
            .run()
            .stderr,
        Test::new()
            .file("a.py", "")
            .args(["test", "a.py", "--cases", "missing"])
            .run()
            .stderr,
    ];
    insta::assert_snapshot!("errors", errors.join(""));
}

#[test]
fn completions_and_man_page_are_fresh() {
    for (shell, file) in [
        ("bash", "codecage.bash"),
        ("zsh", "_codecage"),
        ("fish", "codecage.fish"),
        ("powershell", "_codecage.ps1"),
        ("elvish", "codecage.elv"),
    ] {
        let committed =
            std::fs::read_to_string(repo_root().join("completions").join(file)).unwrap();
        assert!(
            help(&["completions", shell]) == committed,
            "completions/{file} is stale: run `bash completions/generate.sh` and commit"
        );
    }
    let man = std::fs::read_to_string(repo_root().join("completions/codecage.1")).unwrap();
    assert!(
        help(&["man"]) == man,
        "completions/codecage.1 is stale: run `bash completions/generate.sh`"
    );
    assert!(man.contains(".TH codecage 1"));
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let mut child = std::process::Command::new(BIN)
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(child.wait().unwrap().success(), "{stderr}");
    assert_eq!(stderr, "");
}

fn json_limits(test: Test) -> serde_json::Value {
    let out = test.status(0);
    let line = out.stderr.lines().last().unwrap_or_default().to_string();
    let json: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    json["limits"].clone()
}

const MIB: u64 = 1 << 20;

#[test]
fn configuration_precedence_flag_env_config_profile_builtin() {
    let hello = "print('hi')\n";
    // Built-in default.
    let l = json_limits(
        Test::new()
            .file("a.py", hello)
            .args(["run", "--json", "-", "a.py"]),
    );
    assert_eq!(l["memory_bytes"], 256 * MIB);
    assert_eq!(l["time_ms"], 30_000);
    // Profile over built-in (Java asks for 768 MiB).
    let java = "public class A { public static void main(String[] a) { } }\n";
    let l = json_limits(
        Test::new()
            .file("A.java", java)
            .args(["run", "--json", "-", "A.java"]),
    );
    assert_eq!(l["memory_bytes"], 768 * MIB);
    // Config (default location) over profile.
    let config = "run:\n  limits: {memory: 900MiB, time: 20s}\n";
    let l = json_limits(
        Test::new()
            .file(".config/codecage/config.yaml", config)
            .file("A.java", java)
            .args(["run", "--json", "-", "A.java"]),
    );
    assert_eq!(l["memory_bytes"], 900 * MIB);
    assert_eq!(l["time_ms"], 20_000);
    // Environment over config; --config names another file.
    let l = json_limits(
        Test::new()
            .file("other.yaml", config)
            .file("a.py", hello)
            .env("CODECAGE_MEMORY", "400MiB")
            .args(["--config", "other.yaml", "run", "--json", "-", "a.py"]),
    );
    assert_eq!(l["memory_bytes"], 400 * MIB);
    assert_eq!(l["time_ms"], 20_000);
    // Flag over environment.
    let l = json_limits(
        Test::new()
            .file("a.py", hello)
            .env("CODECAGE_MEMORY", "400MiB")
            .env("CODECAGE_CONFIG", "other.yaml")
            .file("other.yaml", config)
            .args(["run", "--memory", "500MiB", "--json", "-", "a.py"]),
    );
    assert_eq!(l["memory_bytes"], 500 * MIB);
    assert_eq!(l["time_ms"], 20_000);
}

/// The config file's `report` section names the reports `test` (and `verify`) write; a flag
/// names another file instead of that one.
#[test]
fn reports_come_from_the_config_file_unless_a_flag_names_one() {
    let config = "report:\n  html: config.html\n  markdown: config.md\n  junit: config.xml\n";
    let out = Test::new()
        .file(".config/codecage/config.yaml", config)
        .file("a.py", "print(input())\n")
        .file("cases/1.in", "x\n")
        .file("cases/1.out", "x\n")
        .args(["test", "a.py", "--cases", "cases", "--html", "flag.html"])
        .status(0);
    let html = String::from_utf8(out.read("flag.html")).unwrap();
    assert!(
        html.contains("<h1>codecage test: AC on a.py</h1>"),
        "{html}"
    );
    assert!(!out.dir.path().join("config.html").exists(), "the flag won");
    let markdown = String::from_utf8(out.read("config.md")).unwrap();
    assert!(
        markdown.starts_with("### codecage test: ✅ AC on a.py"),
        "{markdown}"
    );
    let junit = String::from_utf8(out.read("config.xml")).unwrap();
    assert!(junit.contains("<testsuite name=\"a.py\""), "{junit}");
    // `report.github: true` speaks GitHub Actions as --github does; a bad key is refused.
    let out = Test::new()
        .file("c.yaml", "report: {github: true}\n")
        .file("a.py", "print(input())\n")
        .file("cases/1.in", "x\n")
        .file("cases/1.out", "y\n")
        .args(["--config", "c.yaml", "test", "a.py", "--cases", "cases"])
        .status(1);
    assert!(
        out.stdout_str()
            .contains("::error title=a.py%3A case 1 WA::"),
        "{}",
        out.stdout_str()
    );
    let out = Test::new()
        .file("c.yaml", "report: {htm: r.html}\n")
        .file("a.py", "")
        .args(["--config", "c.yaml", "test", "a.py", "--cases", "."])
        .run();
    assert_eq!(out.status, 125);
    assert!(out.stderr.contains("c.yaml:1:"), "{}", out.stderr);
}

#[test]
fn a_bad_config_file_is_a_one_line_error() {
    let out = Test::new()
        .file("c.yaml", "run:\n  limitz: {}\n")
        .file("a.py", "")
        .args(["--config", "c.yaml", "run", "a.py"])
        .run();
    assert_eq!(out.status, 125);
    assert!(
        out.stderr
            .starts_with("codecage: invalid config file c.yaml:2:"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1);
}

#[test]
fn json_result_for_scripts() {
    let out = Test::new()
        .file(
            "spin.py",
            "print('x' * 10, flush=True)\nwhile True:\n    pass\n",
        )
        .args(["run", "-t", "1s", "--json", "result.json", "spin.py"])
        .status(124);
    let json: serde_json::Value = serde_json::from_slice(&out.read("result.json")).unwrap();
    assert_eq!(json["status"], 124);
    assert_eq!(json["verdict"], "TLE");
    assert_eq!(json["limits_hit"], serde_json::json!(["time"]));
    assert_eq!(json["stdout_bytes"], 11);
    assert_eq!(json["stderr_bytes"], 0);
    assert_eq!(json["language"], "python");
    assert!(json["time_ms"].as_u64().unwrap() >= 1000);
}

#[test]
fn quiet_and_verbose() {
    let out = Test::new()
        .file("spin.py", "while True:\n    pass\n")
        .args(["-q", "run", "-t", "1s", "spin.py"])
        .status(124);
    assert_eq!(out.stderr, "");
    let out = Test::new()
        .file("a.py", "print(1)\n")
        .args(["-v", "run", "a.py"])
        .status(0);
    assert!(
        out.stderr.contains("codecage: image codecage/python:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("codecage: created container "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout_str(), "1\n");
}

#[test]
fn version_and_negotiated_api() {
    let out = Test::new().args(["--version"]).status(0);
    assert_eq!(
        out.stdout_str(),
        format!("codecage {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = Test::new().args(["-v", "--version"]).status(0);
    assert!(
        out.stdout_str().contains("negotiated"),
        "{}",
        out.stdout_str()
    );
}

#[test]
fn doctor_checks_the_engine_and_that_limits_are_enforced() {
    let out = Test::new().args(["doctor"]).status(0);
    let text = out.stdout_str();
    assert!(text.contains("pass  engine "), "{text}");
    assert!(text.contains("pass  seccomp enabled"), "{text}");
    assert!(text.contains("pass  memory limit enforced"), "{text}");
    assert!(text.contains("pass  pids limit enforced"), "{text}");
    assert!(text.contains("pass  stdio on FIFOs"), "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    let out = Test::new()
        .env("CODECAGE_STDIO", "attach")
        .args(["doctor"])
        .status(0);
    assert!(
        out.stdout_str()
            .contains("warn  stdio through attach: CODECAGE_STDIO=attach"),
        "{}",
        out.stdout_str()
    );
    let out = Test::new()
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["doctor"])
        .run();
    assert_eq!(out.status, 125);
    assert!(out
        .stdout_str()
        .starts_with("FAIL  cannot reach the Docker engine"));
}
