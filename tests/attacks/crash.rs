//! Crash safety: codecage killed with SIGKILL leaves nothing running past the run's deadline,
//! whether it was compiling, running, or serving; `codecage gc` removes what remains.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{assert_no_containers, still_works, Test};
use crate::serve::Server;

/// Wait until `count` containers of the tag are running (killing codecage between create and
/// start would leave a created container for `gc` instead, which `cleanup` covers).
fn wait_for_running(tag: &str, count: usize) {
    let start = Instant::now();
    loop {
        let out = Command::new("docker")
            .args([
                "ps",
                "-q",
                "--filter",
                &format!("label=codecage.tag={tag}"),
                "--filter",
                "status=running",
            ])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .count()
            >= count
        {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "containers never ran"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigkill_while_compiling_leaves_nothing_past_the_deadline() {
    // Constant evaluation that takes far longer than the limit: a long compile to interrupt.
    let test = Test::new().file(
        "slow.cpp",
        "constexpr long f() { long s = 0; for (int i = 0; i < 200000; i++) for (int j = 0; j < 200000; j++) s += i ^ j; return s; }\n\
         int main() { constexpr long x = f(); return x != 0; }\n",
    );
    let tag = test.tag().to_string();
    let test = test.args(["run", "--time-limit", "5s", "slow.cpp"]);
    let mut child = test
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_running(&tag, 1);
    let killed = Instant::now();
    child.kill().unwrap();
    child.wait().unwrap();
    // The 5 s deadline plus the in-sandbox backstop's grace; then the engine removes it.
    assert_no_containers(&tag);
    assert!(
        killed.elapsed() < Duration::from_secs(20),
        "took {:?}",
        killed.elapsed()
    );
    gc_then_a_normal_run();
}

#[test]
fn sigkill_of_the_server_with_runs_in_flight_leaves_nothing_past_their_deadline() {
    let server = Server::start(&["--pool", "0"]);
    let url = server.url("/execute");
    let requests: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                ureq::post(&url)
                    .send_json(json!({"language": "python", "code": "import time\ntime.sleep(300)", "limits": {"time_limit": "3s"}}))
                    .is_err()
            })
        })
        .collect();
    wait_for_running(&server.tag, 2);
    std::thread::sleep(Duration::from_millis(500));
    let status = Command::new("kill")
        .args(["-KILL", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for r in requests {
        assert!(
            r.join().unwrap(),
            "a request got an answer from a killed server"
        );
    }
    assert_no_containers(&server.tag);
    gc_then_a_normal_run();
}

#[test]
fn sigkill_of_a_server_filling_its_pool_leaves_no_sandbox_running() {
    // The pool fills in the background right after the server starts listening, so the kill lands
    // while sandboxes are being started or wait for a request. Each must go by itself, without
    // `gc`: a shim whose codecage is gone reads an empty workspace or cannot write its marker.
    for _ in 0..3 {
        let server = Server::start(&["--pool", "2"]);
        // The pool fills for a language once it has been asked for, and refills as each pooled
        // sandbox is taken: kill right after an answer, while the refill's start is in flight and
        // the shim may come up with codecage's ends of its FIFOs already closed.
        let (status, _) = server.post(
            "/execute",
            &json!({"language": "python", "code": "print(1)"}),
        );
        assert_eq!(status, 200);
        let status = Command::new("kill")
            .args(["-KILL", &server.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        assert_no_containers(&server.tag);
    }
    still_works();
}

/// `codecage gc` answers for what a crash may leave, and the next normal run works.
fn gc_then_a_normal_run() {
    let out = Test::new().args(["gc"]).status(0);
    assert!(
        out.stderr.starts_with("codecage: removed "),
        "{}",
        out.stderr
    );
    still_works();
}
