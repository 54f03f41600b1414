//! CPU time and peak memory from the sandbox's cgroup: reported by `run --json` and `test --json`,
//! CPU time rather than wall time, and the per-run parent cgroup removed afterwards.

use std::path::Path;

use crate::harness::{Output, Test};

/// Burns about half a second of CPU time, whatever the CPU quota makes of the wall time.
const BURN: &str = "import time\nwhile time.process_time() < 0.5:\n    pass\nprint('done')\n";
/// Touches about 100 MiB page by page (a fresh bytearray alone may stay unbacked).
const ALLOCATE: &str = "b = bytearray(100 * 1024 * 1024)\nfor i in range(0, len(b), 4096):\n    b[i] = 1\nprint(len(b))\n";

/// `run -v --json -` of one Python file: the JSON on stderr's last line.
fn run_json(name: &str, source: &str) -> (serde_json::Value, Output) {
    let out = Test::new()
        .file(name, source)
        .args(["run", "-v", "--json", "-", name])
        .status(0);
    let last = out.stderr.lines().last().unwrap_or_default().to_string();
    let json = serde_json::from_str(&last).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    assert_parent_removed(&out.stderr);
    (json, out)
}

/// The run's parent cgroup (named by `-v`) is gone from every controller we read.
fn assert_parent_removed(stderr: &str) {
    let name = stderr
        .split("(cgroup /")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("no cgroup in the trace: {stderr}"));
    assert!(name.starts_with("codecage-"), "{name}");
    for controller in ["cpuacct", "memory", ""] {
        let dir = Path::new("/sys/fs/cgroup").join(controller).join(name);
        assert!(!dir.exists(), "{} left behind", dir.display());
    }
}

fn ms(json: &serde_json::Value) -> u64 {
    json["cpu_ms"]
        .as_u64()
        .unwrap_or_else(|| panic!("no cpu_ms: {json}"))
}

fn bytes(json: &serde_json::Value) -> u64 {
    json["memory_bytes"]
        .as_u64()
        .unwrap_or_else(|| panic!("no memory_bytes: {json}"))
}

#[test]
fn accounting_reports_the_cpu_time_a_program_burns() {
    let (json, _) = run_json("burn.py", BURN);
    let cpu = ms(&json);
    assert!((300..5000).contains(&cpu), "cpu_ms {cpu}: {json}");
}

#[test]
fn accounting_counts_cpu_time_not_wall_time() {
    let (json, _) = run_json("sleep.py", "import time\ntime.sleep(1)\n");
    let cpu = ms(&json);
    assert!(cpu < 300, "cpu_ms {cpu}: {json}");
    assert!(json["time_ms"].as_u64().unwrap() >= 1000, "{json}");
}

#[test]
fn accounting_reports_peak_memory() {
    let (big, _) = run_json("big.py", ALLOCATE);
    assert!(bytes(&big) >= 100 * 1024 * 1024, "{big}");
    let (hello, _) = run_json("hello.py", "print('hello')\n");
    assert!(bytes(&hello) < 50 * 1024 * 1024, "{hello}");
}

#[test]
fn accounting_in_test_reports_per_case() {
    let out = Test::new()
        .file("sol.py", "print(input())\n")
        .file("cases/1.in", "a\n")
        .file("cases/1.out", "a\n")
        .file("cases/2.in", "b\n")
        .file("cases/2.out", "b\n")
        .args(["test", "sol.py", "--cases", "cases", "--json", "-"])
        .status(0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for case in json["cases"].as_array().unwrap() {
        assert!(ms(case) < 5000, "{case}");
        assert!(bytes(case) > 0, "{case}");
    }
}

#[test]
fn accounting_gc_removes_stale_parent_cgroups() {
    // What a codecage killed with SIGKILL mid-run leaves: an empty parent.
    let stale = Path::new("/sys/fs/cgroup/memory/codecage-gc-test-stale");
    std::fs::create_dir(stale).expect("create a stale parent cgroup");
    Test::new().args(["gc"]).status(0);
    let left = stale.exists();
    if left {
        let _ = std::fs::remove_dir(stale);
    }
    assert!(!left, "gc left {}", stale.display());
}
