//! Every container goes away: on signals to codecage, even on SIGKILL (within the deadline), and
//! leftovers are collected by `codecage gc`.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{assert_no_containers, containers_with_tag, Test};

fn wait_for_container(tag: &str) {
    let start = Instant::now();
    while containers_with_tag(tag).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "container never appeared"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn signal_mid_run(signal: i32, expected_status: i32) {
    let test = Test::new().file(
        "sleep.py",
        "import time\nprint('up', flush=True)\ntime.sleep(300)\n",
    );
    let tag = test.tag().to_string();
    let test = test.args(["run", "sleep.py"]);
    let child = test
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_container(&tag);
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let status = Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "codecage took {:?} to stop",
        start.elapsed()
    );
    assert_eq!(
        out.status.code(),
        Some(expected_status),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_containers(&tag);
}

#[test]
fn sigint_stops_the_run_and_removes_the_container() {
    signal_mid_run(2, 130);
}

#[test]
fn sigterm_stops_the_run_and_removes_the_container() {
    signal_mid_run(15, 143);
}

#[test]
fn sigkill_of_codecage_still_ends_the_container_by_its_deadline() {
    let test = Test::new().file("spin.py", "while True:\n    pass\n");
    let tag = test.tag().to_string();
    let test = test.args(["run", "--time-limit", "2s", "spin.py"]);
    let mut child = test
        .command()
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_container(&tag);
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    // Deadline 2 s plus the in-sandbox backstop grace of 2 s; the engine then removes it.
    assert_no_containers(&tag);
}

#[test]
fn gc_removes_leftover_containers() {
    let tag = format!("gc-{}", std::process::id());
    let out = Command::new("docker")
        .args([
            "create",
            "--label",
            "codecage=1",
            "--label",
            &format!("codecage.tag={tag}"),
            "--label",
            "codecage.deadline=1",
            "debian:trixie-slim",
            "true",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(containers_with_tag(&tag).len(), 1);
    let out = Test::new().args(["gc"]).status(0);
    assert!(out.stderr.contains("removed"), "{}", out.stderr);
    assert_no_containers(&tag);
}
