//! Scale-out through a real Redis: an API node (`serve --broker`) queues batch runs, `codecage
//! worker`s run them. Needs `redis-server` (Debian's package); fails loudly without it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{assert_no_containers, clean_command, containers_with_tag, engine_ready};
use crate::serve::{response, Server};

/// A private redis-server on a free port, stopped when dropped.
struct Redis {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Redis {
    fn start() -> Redis {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("redis-server: {e}: the scale-out tests need it (apt-get install redis-server, or bash .ci/ensure-tools.sh)")
            });
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Redis {
            child,
            url: format!("redis://127.0.0.1:{port}"),
            _dir: dir,
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `codecage worker` process with its own container tag.
struct Worker {
    child: Child,
    tag: String,
    /// Its TMPDIR: FIFO directories a SIGKILLed worker leaves go with the test.
    _tmp: tempfile::TempDir,
}

impl Worker {
    fn start(redis: &Redis, node: &str, extra: &[&str]) -> Worker {
        engine_ready();
        let tag = format!(
            "worker-{}-{node}-{}",
            std::process::id(),
            crate::serve::rand_suffix() % 1_000_000_007
        );
        let tmp = tempfile::tempdir().unwrap();
        let mut child = clean_command()
            .args([
                "worker", "--broker", &redis.url, "--node", node, "--pool", "0",
            ])
            .args(extra)
            .env("CODECAGE_TEST_TAG", &tag)
            .env("TMPDIR", tmp.path())
            .env("CODECAGE_CLAIM_IDLE", "2s")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let line = crate::serve::first_line(&mut child);
        if !line.starts_with(&format!("codecage: worker {node} taking jobs")) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected first line from the worker: {line:?}");
        }
        Worker {
            child,
            tag,
            _tmp: tmp,
        }
    }

    fn signal(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            // Stopped as an operator would: everything it started is cleaned up by itself.
            self.signal("-TERM");
            let _ = self.child.wait();
        } else {
            // Killed by the test (SIGKILL): a sandbox it had created but not started yet stays
            // until `codecage gc` (which leaves created containers alone for a minute, as they
            // may be about to start); running ones end at their in-container backstop. Clean up
            // here what gc would, rather than wait a minute.
            let ids = containers_with_tag(&self.tag);
            if !ids.is_empty() {
                let _ = Command::new("docker")
                    .args(["rm", "-f", "-v"])
                    .args(&ids)
                    .output();
            }
        }
        if !std::thread::panicking() {
            assert_no_containers(&self.tag);
        }
    }
}

/// A loopback port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn api(redis: &Redis, extra: &[&str]) -> (Server, tempfile::TempDir) {
    let store = tempfile::tempdir().unwrap();
    let path = store.path().join("judge0.redb");
    let mut flags = vec!["--broker", &redis.url, "--store", path.to_str().unwrap()];
    flags.extend_from_slice(extra);
    (Server::start(&flags), store)
}

fn workers(server: &Server) -> Vec<Value> {
    let (status, body) = response(ureq::get(&server.url("/judge0/workers")).call());
    assert_eq!(status, 200, "{body}");
    body[0]["workers"].as_array().cloned().unwrap_or_default()
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn batch_runs_go_through_redis_to_workers_on_every_api() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &[]);
    // No worker yet: a clear 503, not a wait.
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print(1)"}),
    );
    assert_eq!(status, 503, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("codecage worker"),
        "{body}"
    );

    let _a = Worker::start(&redis, "a", &["--concurrency", "2"]);
    let _b = Worker::start(&redis, "b", &["--concurrency", "1"]);
    let listed = workers(&server);
    let nodes: Vec<&str> = listed.iter().map(|w| w["node"].as_str().unwrap()).collect();
    assert_eq!(nodes, ["a", "b"], "{listed:?}");
    assert!(listed[0]["languages"]
        .as_array()
        .unwrap()
        .contains(&json!("cpp")));

    // CodeEngine: stdin, arguments and bytes that are not UTF-8 survive the trip.
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "import sys\nsys.stdout.buffer.write(sys.stdin.read()[::-1].encode() + bytes([255]))\nprint(sys.argv[1:], file=sys.stderr)\nsys.exit(3)", "stdin": "abc", "args": ["x y"]}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stdout"], "cba\u{fffd}", "{body}");
    assert_eq!(body["stderr"], "['x y']\n", "{body}");
    assert_eq!(
        (body["exit_code"].as_i64(), body["verdict"].as_str()),
        (Some(3), Some("RE"))
    );
    assert!(body["memory_bytes"].as_u64().unwrap() > 0, "{body}");
    // A compile error comes back as one.
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "c", "code": "int main() { return nope; }"}),
    );
    assert_eq!(body["verdict"], "CE", "{body}");
    assert!(body["output"].as_str().unwrap().contains("nope"), "{body}");
    // A bad request is refused by the API node, without a trip through the queue.
    let (status, _) = server.post("/execute", &json!({"language": "cobra", "code": "x"}));
    assert_eq!(status, 400);

    // Piston and Judge0 go the same way.
    let (status, body) = server.post(
        "/api/v2/execute",
        &json!({"language": "python", "version": "*", "files": [{"content": "print(6 * 7)"}]}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["run"]["stdout"], "42\n", "{body}");
    let (status, body) = server.post(
        "/judge0/submissions?base64_encoded=false&wait=true",
        &json!({"source_code": "#include <cstdio>\nint main(){int a,b; scanf(\"%d %d\",&a,&b); printf(\"%d\\n\",a+b);}", "language_id": 54, "stdin": "2 3", "expected_output": "5", "compiler_options": "-DX"}),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"]["id"], 3, "{body}");
    assert_eq!(body["stdout"], "5\n", "{body}");
    // Submissions live in Redis: a second API node answers what the first one queued.
    let (other, _other_store) = api(&redis, &["--judge0-admin-token", "adm1n"]);
    let (status, created) = server.post(
        "/judge0/submissions/batch?base64_encoded=false",
        &json!({"submissions": [
            {"source_code": "print(input()[::-1])", "language_id": 71, "stdin": "olleh"},
            {"source_code": "import sys; sys.exit(4)", "language_id": 71},
        ]}),
    );
    assert_eq!(status, 201, "{created}");
    let tokens: Vec<&str> = created
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["token"].as_str().unwrap())
        .collect();
    let url = other.url(&format!(
        "/judge0/submissions/batch?base64_encoded=false&tokens={}",
        tokens.join(",")
    ));
    let mut judged = Value::Null;
    wait_for("both judged", Duration::from_secs(60), || {
        judged = response(ureq::get(&url).call()).1;
        judged["submissions"]
            .as_array()
            .is_some_and(|s| s.iter().all(|r| r["status"]["id"].as_u64() > Some(2)))
    });
    let results = judged["submissions"].as_array().unwrap();
    assert_eq!(results[0]["stdout"], "hello\n", "{judged}");
    assert_eq!(results[1]["status"]["id"], 11, "{judged}");
    // Listing every client's submissions needs Judge0's authorization token.
    let (status, _) = response(ureq::get(&other.url("/judge0/submissions?per_page=3")).call());
    assert_eq!(status, 403);
    let (_, listed) = response(
        ureq::get(&other.url("/judge0/submissions?per_page=3"))
            .set("X-Auth-User", "adm1n")
            .call(),
    );
    assert_eq!(listed["meta"]["total_count"], 3, "{listed}");
    assert_eq!(listed["submissions"][0]["token"], tokens[1], "{listed}");

    // Several at once spread over the workers' three slots.
    let url = server.url("/execute");
    let runs: Vec<_> = (0..4)
        .map(|i| {
            let url = url.clone();
            std::thread::spawn(move || {
                response(
                    ureq::post(&url)
                        .send_json(json!({"language": "python", "code": format!("print({i})")})),
                )
            })
        })
        .collect();
    for (i, run) in runs.into_iter().enumerate() {
        let (status, body) = run.join().unwrap();
        assert_eq!(
            (status, body["stdout"].as_str()),
            (200, Some(format!("{i}\n").as_str())),
            "{body}"
        );
    }
    let (_, metrics) = (
        200,
        ureq::get(&server.url("/metrics"))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    );
    assert!(metrics.contains("codecage_broker_workers 2\n"), "{metrics}");
    assert!(
        metrics.contains("codecage_broker_worker_slots{node=\"a\"} 2\n"),
        "{metrics}"
    );
    assert!(metrics.contains("codecage_broker_up 1\n"), "{metrics}");
}

#[test]
fn a_job_whose_worker_dies_runs_on_another_and_dead_workers_leave_the_list() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &[]);
    let doomed = Worker::start(&redis, "doomed", &["--concurrency", "1"]);
    let url = server.url("/execute");
    let job = std::thread::spawn(move || {
        response(ureq::post(&url).send_json(
            json!({"language": "python", "code": "import time\ntime.sleep(3)\nprint('finished')"}),
        ))
    });
    wait_for(
        "the doomed worker starts the job",
        Duration::from_secs(30),
        || !containers_with_tag(&doomed.tag).is_empty(),
    );
    doomed.signal("-KILL");
    // Another worker claims the job once the dead one stops touching it (2 s here).
    let _rescuer = Worker::start(&redis, "rescuer", &["--concurrency", "1"]);
    let (status, body) = job.join().unwrap();
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("finished\n")),
        "{body}"
    );
    // The dead worker's announcement expires; the live one stays.
    wait_for(
        "the dead worker leaves the list",
        Duration::from_secs(15),
        || workers(&server).iter().all(|w| w["node"] != "doomed"),
    );
    assert!(workers(&server).iter().any(|w| w["node"] == "rescuer"));
    // Its orphaned sandbox ends at the in-container backstop and is removed (Drop checks).
    drop(doomed);
}

#[test]
fn a_job_that_keeps_losing_its_workers_ends_as_an_internal_error() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &[]);
    let mut worker = Worker::start(&redis, "w0", &["--concurrency", "1"]);
    let url = server.url("/execute");
    let job = std::thread::spawn(move || {
        response(
            ureq::post(&url)
                .send_json(json!({"language": "python", "code": "import time\ntime.sleep(30)"})),
        )
    });
    let mut dead = Vec::new();
    for i in 1..=3 {
        wait_for("a worker starts the job", Duration::from_secs(30), || {
            !containers_with_tag(&worker.tag).is_empty()
        });
        worker.signal("-KILL");
        // Wait for it to be gone; its sleeping sandbox is removed when it is dropped.
        let _ = worker.child.wait();
        // The next worker claims the job once the dead one stops touching it.
        let next = Worker::start(&redis, &format!("w{i}"), &["--concurrency", "1"]);
        dead.push(std::mem::replace(&mut worker, next));
    }
    // The fourth delivery is past the cap: the job ends, and never runs again.
    let (status, body) = job.join().unwrap();
    assert_eq!(status, 500, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("handed to workers 3 times"),
        "{body}"
    );
}

#[test]
fn the_shared_queue_is_bounded_and_a_hang_up_stops_the_run_on_its_worker() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &["--queue", "1"]);
    let worker = Worker::start(&redis, "only", &["--concurrency", "1"]);
    let url = server.url("/execute");
    let spin =
        json!({"language": "python", "code": "while True: pass", "limits": {"time_limit": "25s"}});
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut held = std::net::TcpStream::connect(&addr).unwrap();
    {
        use std::io::Write;
        let body = spin.to_string();
        write!(held, "POST /execute HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    }
    wait_for("the worker starts the job", Duration::from_secs(30), || {
        !containers_with_tag(&worker.tag).is_empty()
    });
    // One job waiting or running is the bound: the next is refused at once.
    let refused = ureq::post(&url).send_json(json!({"language": "python", "code": "print(1)"}));
    match refused {
        Err(ureq::Error::Status(429, _)) => {}
        other => panic!("expected 429, got {:?}", other.map(|r| r.status())),
    }
    // The client hangs up: the worker is told, kills the sandbox and takes work again.
    drop(held);
    assert_no_containers(&worker.tag);
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print('next')"}),
    );
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("next\n")),
        "{body}"
    );
}

/// HAProxy running `deploy/haproxy.cfg` (the shipped file) with these addresses.
struct Haproxy {
    child: Child,
    address: String,
}

impl Haproxy {
    fn start(apis: [&str; 2], workers: [&str; 2]) -> Haproxy {
        let port = free_port();
        let address = format!("127.0.0.1:{port}");
        let config = crate::harness::repo_root().join("deploy/haproxy.cfg");
        let child = Command::new("haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&config)
            .env("LB_BIND", &address)
            .env("API1_ADDR", apis[0])
            .env("API2_ADDR", apis[1])
            .env("WORKER1_ADDR", workers[0])
            .env("WORKER2_ADDR", workers[1])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("haproxy: {e}: the load-balancer test needs it (apt-get install haproxy, or bash .ci/ensure-tools.sh)")
            });
        let mut proxy = Haproxy { child, address };
        // Up, and its health checks see every server.
        wait_for("haproxy answers", Duration::from_secs(15), || {
            ureq::get(&format!("http://{}/health", proxy.address))
                .call()
                .is_ok()
        });
        if let Ok(Some(status)) = proxy.child.try_wait() {
            panic!("haproxy exited: {status}");
        }
        proxy.address = proxy.address.clone();
        proxy
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address a worker took sessions on, from its announcement.
fn session_address(server: &Server, node: &str) -> String {
    let listed = workers(server);
    let worker = listed
        .iter()
        .find(|w| w["node"] == node)
        .unwrap_or_else(|| panic!("{node} not in {listed:?}"));
    worker["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .to_string()
}

#[test]
fn haproxy_spreads_requests_over_api_nodes_and_pins_each_session_to_its_worker() {
    let redis = Redis::start();
    let (api1, _s1) = api(&redis, &[]);
    let (api2, _s2) = api(&redis, &[]);
    let listen = ["--concurrency", "1", "--listen", "127.0.0.1:0"];
    let _w1 = Worker::start(&redis, "worker1", &listen);
    let _w2 = Worker::start(&redis, "worker2", &listen);
    let apis = [
        api1.base.trim_start_matches("http://").to_string(),
        api2.base.trim_start_matches("http://").to_string(),
    ];
    let workers = [
        session_address(&api1, "worker1"),
        session_address(&api1, "worker2"),
    ];
    let proxy = Haproxy::start([&apis[0], &apis[1]], [&workers[0], &workers[1]]);
    let lb = format!("http://{}", proxy.address);
    for i in 0..4 {
        let (status, body) = response(
            ureq::post(&format!("{lb}/execute"))
                .send_json(json!({"language": "python", "code": format!("print({i} * 2)")})),
        );
        assert_eq!(
            (status, body["stdout"].as_str()),
            (200, Some(format!("{}\n", i * 2).as_str())),
            "{body}"
        );
    }
    // Sessions: created through any API node, run on a worker, the socket routed by the id.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..16 {
        let (status, created) =
            response(ureq::post(&format!("{lb}/session")).send_json(
                json!({"language": "python", "code": "name = input()\nprint('hi', name)"}),
            ));
        assert_eq!(status, 200, "{created}");
        let id = created["sessionId"].as_str().unwrap().to_string();
        let node = id.split('.').next().unwrap().to_string();
        assert!(node == "worker1" || node == "worker2", "{id}");
        let url = format!("ws://{}/ws/session/{id}", proxy.address);
        let (mut socket, _) = tungstenite::connect(url.as_str()).unwrap();
        crate::serve::send(&mut socket, json!({"type": "input", "data": "Ada\n"}));
        let messages = crate::serve::read_until(&mut socket, |m| {
            m["type"] == "state" && (m["state"] == "finished" || m["state"] == "terminated")
        });
        assert_eq!(
            crate::serve::stdout_text(&messages),
            "hi Ada\n",
            "{messages:?}"
        );
        seen.insert(node);
        if seen.len() == 2 {
            break;
        }
    }
    assert_eq!(seen.len(), 2, "every session went to one worker: {seen:?}");
}

/// `n` requests from 8 client threads: `/execute` (three in four) and Judge0 submissions (one in
/// four), each printing a number of its own. Returns (ok, errors); panics on a wrong answer.
fn mixed_load(
    lb: &str,
    n: usize,
    during: impl FnOnce(&std::sync::atomic::AtomicUsize),
) -> (usize, usize) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (lb, next, done, errors) =
                (lb.to_string(), next.clone(), done.clone(), errors.clone());
            std::thread::spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    return;
                }
                let expected = format!("{}\n", i * 7);
                let answer = if i % 4 == 3 {
                    judge0_round_trip(&lb, i)
                } else {
                    let (status, body) = response(ureq::post(&format!("{lb}/execute")).send_json(
                        json!({"language": "python", "code": format!("print({i} * 7)")}),
                    ));
                    (status == 200).then(|| body["stdout"].as_str().unwrap_or_default().to_string())
                };
                match answer {
                    // Never a wrong result: the output is this request's own.
                    Some(out) => assert_eq!(out, expected, "request {i} got another's output"),
                    None => {
                        errors.fetch_add(1, Ordering::SeqCst);
                    }
                }
                done.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    during(&done);
    for client in clients {
        client.join().unwrap();
    }
    let errors = errors.load(Ordering::SeqCst);
    (n - errors, errors)
}

/// A Judge0 submission posted, then polled until it ends; its stdout, or None on an error.
fn judge0_round_trip(lb: &str, i: usize) -> Option<String> {
    let (status, created) = response(
        ureq::post(&format!("{lb}/judge0/submissions?base64_encoded=false"))
            .send_json(json!({"source_code": format!("print({i} * 7)"), "language_id": 71})),
    );
    if status != 201 {
        return None;
    }
    let token = created["token"].as_str()?.to_string();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        let (status, body) = response(
            ureq::get(&format!(
                "{lb}/judge0/submissions/{token}?base64_encoded=false"
            ))
            .call(),
        );
        if status == 200 && body["status"]["id"].as_u64().is_some_and(|s| s > 2) {
            return (body["status"]["id"] == 3)
                .then(|| body["stdout"].as_str().unwrap_or_default().to_string());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    None
}

#[test]
fn two_hundred_mixed_runs_through_haproxy_survive_a_worker_killed_mid_load() {
    let redis = Redis::start();
    let (api1, _s1) = api(&redis, &["--queue", "1000"]);
    let listen = ["--concurrency", "2", "--listen", "127.0.0.1:0"];
    let w1 = Worker::start(&redis, "worker1", &listen);
    let w2 = Worker::start(&redis, "worker2", &listen);
    let api_address = api1.base.trim_start_matches("http://").to_string();
    let proxy = Haproxy::start(
        [&api_address, &api_address],
        [
            &session_address(&api1, "worker1"),
            &session_address(&api1, "worker2"),
        ],
    );
    let lb = format!("http://{}", proxy.address);
    let (ok, errors) = mixed_load(&lb, 200, |done| {
        wait_for("50 answers", Duration::from_secs(120), || {
            done.load(std::sync::atomic::Ordering::SeqCst) >= 50
        });
        w2.signal("-KILL");
    });
    // Its jobs were claimed and run by worker1: every one answered, each with its own output.
    assert_eq!((ok, errors), (200, 0));
    drop(w2);
    drop(w1);
}

#[test]
fn a_redis_restart_mid_load_gives_errors_or_right_answers_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let start_redis = || {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server");
        wait_for("redis-server answers", Duration::from_secs(10), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        child
    };
    let mut redis = Redis {
        child: start_redis(),
        url: format!("redis://127.0.0.1:{port}"),
        _dir: tempfile::tempdir().unwrap(),
    };
    let (server, _store) = api(&redis, &["--queue", "1000"]);
    let _w1 = Worker::start(&redis, "worker1", &["--concurrency", "2"]);
    let lb = server.base.clone();
    let (ok, errors) = mixed_load(&lb, 60, |done| {
        wait_for("20 answers", Duration::from_secs(120), || {
            done.load(std::sync::atomic::Ordering::SeqCst) >= 20
        });
        let _ = Command::new("kill")
            .args(["-TERM", &redis.child.id().to_string()])
            .status();
        let _ = redis.child.wait();
        std::thread::sleep(Duration::from_secs(1));
        redis.child = start_redis();
    });
    assert_eq!(ok + errors, 60);
    assert!(ok >= 20, "{ok} answered, {errors} errors");
    // Recovered without restarting codecage: every new request is answered.
    wait_for("a run after the restart", Duration::from_secs(30), || {
        let (status, body) = server.post(
            "/execute",
            &json!({"language": "python", "code": "print('back')"}),
        );
        status == 200 && body["stdout"] == "back\n"
    });
}

/// A suite of three cases (one the solution gets wrong) and the solution, in a test directory.
fn grading_files(test: crate::harness::Test) -> crate::harness::Test {
    test.file(
        "sol.py",
        "a, b = map(int, input().split())\nprint(a + b if a != 2 else 0)\n",
    )
    .file("cases/1.in", "1 2\n")
    .file("cases/1.out", "3\n")
    .file("cases/2.in", "5 5\n")
    .file("cases/2.out", "10\n")
    .file("cases/3.in", "2 2\n")
    .file("cases/3.out", "4\n")
}

#[test]
fn codecage_test_server_grades_on_workers_like_a_local_test() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &[]);
    let _worker = Worker::start(&redis, "grader", &["--concurrency", "2"]);
    let remote = grading_files(crate::harness::Test::new())
        .args([
            "test",
            "sol.py",
            "--cases",
            "cases",
            "--json",
            "-",
            "--server",
            &server.base,
            "--html",
            "r.html",
        ])
        .status(1);
    // Through the broker too, the answer carries the wrong answer's output: the page's diff.
    let html = String::from_utf8(remote.read("r.html")).unwrap();
    assert!(html.contains("First difference at line 1;"), "{html}");
    let local = grading_files(crate::harness::Test::new())
        .args(["test", "sol.py", "--cases", "cases", "--json", "-"])
        .status(1);
    let remote: Value = serde_json::from_slice(&remote.stdout).unwrap();
    let local: Value = serde_json::from_slice(&local.stdout).unwrap();
    let verdicts = |r: &Value| -> Vec<String> {
        r["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{}={}", c["name"], c["verdict"]))
            .collect()
    };
    assert_eq!(verdicts(&remote), verdicts(&local), "{remote}");
    assert_eq!(
        verdicts(&remote),
        ["\"1\"=\"AC\"", "\"2\"=\"AC\"", "\"3\"=\"WA\""]
    );
    assert_eq!(
        (remote["passed"].as_u64(), remote["score"].as_f64()),
        (Some(2), Some(2.0))
    );
    assert!(remote["cases"][0]["cpu_ms"].as_u64().is_some(), "{remote}");
    assert_eq!(
        remote["cases"][2]["limits"], local["cases"][2]["limits"],
        "the limits a worker graded under, as a local run's"
    );
    assert!(remote["cases"][2]["limits"]["wall_ms"].is_u64(), "{remote}");
    // What runs only locally says so in one line.
    let refused = grading_files(crate::harness::Test::new())
        .file("check.py", "print('x')\n")
        .args([
            "test",
            "sol.py",
            "--cases",
            "cases",
            "--checker",
            "check.py",
            "--server",
            &server.base,
        ])
        .status(125);
    assert!(
        refused.stderr.contains("run locally only"),
        "{}",
        refused.stderr
    );
}

/// With a token, an API node hands a session to a worker under its own token: a client whose
/// token came as `X-Auth-Token` (its `Authorization` anything) gets the session, which the
/// worker then serves to the token holder only.
#[test]
fn a_session_through_a_token_api_node_works_whatever_the_clients_authorization() {
    let redis = Redis::start();
    let (api1, _store) = api(&redis, &["--token", "s3cret"]);
    let listen = [
        "--concurrency",
        "1",
        "--listen",
        "127.0.0.1:0",
        "--token",
        "s3cret",
    ];
    let _worker = Worker::start(&redis, "worker1", &listen);
    let listed = || {
        let answer = ureq::get(&api1.url("/judge0/workers"))
            .set("X-Auth-Token", "s3cret")
            .call();
        let (status, body) = response(answer);
        assert_eq!(status, 200, "{body}");
        body[0]["workers"].as_array().cloned().unwrap_or_default()
    };
    wait_for("worker1 announced", Duration::from_secs(30), || {
        listed().iter().any(|w| w["url"].is_string())
    });
    let (status, created) = response(
        ureq::post(&api1.url("/session"))
            .set("X-Auth-Token", "s3cret")
            .set("Authorization", "Basic c29tZW9uZTplbHNl")
            .send_json(json!({"language": "python", "code": "print('hi', input())"})),
    );
    assert_eq!(status, 200, "{created}");
    let id = created["sessionId"].as_str().unwrap();
    let worker_url = listed()[0]["url"].as_str().unwrap().to_string();
    let socket_url = |token: &str| {
        format!(
            "{}/ws/session/{id}?token={token}",
            worker_url.replacen("http", "ws", 1)
        )
    };
    match tungstenite::connect(socket_url("wrong").as_str()) {
        Err(tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    let (mut socket, _) = tungstenite::connect(socket_url("s3cret").as_str()).unwrap();
    crate::serve::send(&mut socket, json!({"type": "input", "data": "Ada\n"}));
    let messages = crate::serve::read_until(&mut socket, |m| {
        m["type"] == "state" && (m["state"] == "finished" || m["state"] == "terminated")
    });
    assert_eq!(
        crate::serve::stdout_text(&messages),
        "hi Ada\n",
        "{messages:?}"
    );
}

/// Limits as they travel in a `/grade` request (what `codecage test` plans).
fn grade_limits(memory: u64, pids: i64, cpus: f64) -> Value {
    json!({
        "time": {"secs": 5, "nanos": 0}, "cpu_time": {"secs": 2, "nanos": 0},
        "memory": memory, "cpus": cpus, "pids": pids, "output": 1 << 20,
        "workspace": 64 << 20, "idle": null,
    })
}

/// A `/grade` request: one case with input `2 3`, expecting `5`.
fn grade_request(language: &str, file: &str, code: &str, case_limits: Value) -> Value {
    json!({
        "solution": file, "language": language,
        "files": [{"name": file, "data": base64_text(code)}],
        "limits": grade_limits(256 << 20, 64, 1.0),
        "cases": [{"name": "1", "stdin": base64_text("2 3\n"), "stdout": base64_text("5\n"), "limits": case_limits}],
        "compare": "Lines",
    })
}

fn base64_text(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// What must be the same standalone and through the broker: status, output, verdicts.
fn parity_view(path: &str, status: u16, body: &Value) -> Value {
    match path {
        "/execute" => json!([status, body["stdout"], body["verdict"], body["language"]]),
        "/api/v2/execute" => json!([status, body["run"]["stdout"], body["language"]]),
        "/grade" => json!([status, body["passed"], body["cases"][0]["verdict"]]),
        _ => json!([
            status,
            body["status"]["id"],
            body["stdout"],
            body["language"]
        ]),
    }
}

#[test]
fn every_api_answers_the_same_standalone_and_through_the_broker_for_every_alias() {
    let redis = Redis::start();
    let (broker, _store) = api(&redis, &[]);
    let _worker = Worker::start(&redis, "parity", &["--concurrency", "2"]);
    let standalone = Server::start(&["--pool", "0"]);
    // Every name and alias of three languages (the seed's own request says "python3").
    let programs = [
        (&["python", "python3", "py"][..], "sol.py", "print(6 * 7)", "a, b = map(int, input().split())\nprint(a + b)"),
        (&["bash", "sh", "shell"][..], "sol.sh", "echo 42", "read a b; echo $((a + b))"),
        (&["javascript", "js", "node", "nodejs"][..], "sol.js", "console.log(6 * 7)",
         "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(' ').map(Number); console.log(a + b)"),
    ];
    let mut requests = Vec::new();
    for (names, file, print, add) in programs {
        for name in names {
            requests.push(("/execute", json!({"language": name, "code": print})));
            requests.push((
                "/api/v2/execute",
                json!({"language": name, "version": "*", "files": [{"content": print}]}),
            ));
            requests.push(("/grade", grade_request(name, file, add, json!({}))));
        }
    }
    // Judge0 names languages by id; Python (71) and JavaScript (63), waited on.
    for (id, code) in [(71, "print(6 * 7)"), (63, "console.log(6 * 7)")] {
        requests.push((
            "/judge0/submissions?base64_encoded=false&wait=true",
            json!({"source_code": code, "language_id": id}),
        ));
    }
    for (path, body) in requests {
        let (s1, alone) = standalone.post(path, &body);
        let (s2, brokered) = broker.post(path, &body);
        assert!(s1 < 300, "{path} {body}: standalone answered {s1} {alone}");
        assert_eq!(
            parity_view(path, s1, &alone),
            parity_view(path, s2, &brokered),
            "{path} {body}: standalone {alone} but through the broker {brokered}"
        );
    }
}

/// `redis-cli` against the test's Redis; its answer, trimmed.
fn redis_cli(redis: &Redis, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-u", &redis.url])
        .args(args)
        .output()
        .expect("redis-cli");
    assert!(out.status.success(), "redis-cli {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Put a job on the queue as anyone who can write to Redis could, and wait for its result.
fn injected(redis: &Redis, job: &Value) -> Value {
    let id = format!("injected-{}", crate::serve::rand_suffix());
    let spec = job.to_string();
    redis_cli(
        redis,
        &[
            "XADD",
            "codecage:jobs",
            "*",
            "id",
            &id,
            "spec",
            &spec,
            "hops",
            "0",
        ],
    );
    let key = format!("codecage:result:{id}");
    let mut answer = String::new();
    wait_for(
        "the injected job's result",
        Duration::from_secs(120),
        || {
            answer = redis_cli(redis, &["GET", &key]);
            !answer.is_empty()
        },
    );
    serde_json::from_str(&answer).unwrap()
}

/// A batch run job as an API node would queue it, with these limits.
fn run_job(code: &str, limits: Value) -> Value {
    json!({"run": {"language": "python", "files": [{"name": "main.py", "data": base64_text(code)}],
        "stdin": "", "args": [], "limits": limits, "dependencies": null}})
}

/// A Judge0 record as the shared store keeps it (Python, `print(1)`).
fn judge0_record(token: &str, runs: u64) -> Value {
    json!({
        "seq": 1, "token": token, "language_id": 71, "source_code": base64_text("print(1)"),
        "stdin": null, "expected_output": null, "compiler_options": null,
        "command_line_arguments": null, "cpu_time_limit": 2.0, "cpu_extra_time": 1.0,
        "wall_time_limit": 10.0, "memory_limit": 128000, "stack_limit": 64000,
        "max_processes_and_or_threads": 60,
        "enable_per_process_and_thread_time_limit": false,
        "enable_per_process_and_thread_memory_limit": false, "max_file_size": 1024,
        "redirect_stderr_to_stdout": false, "enable_network": false, "number_of_runs": runs,
        "callback_url": null, "additional_files": null, "status": 1,
        "stdout": null, "stderr": null, "compile_output": null, "message": null,
        "time": null, "wall_time": null, "memory": null, "exit_code": null,
        "exit_signal": null, "created_at": 1, "started_at": null, "finished_at": null,
    })
}

#[test]
fn a_worker_clamps_a_queued_jobs_limits_and_refuses_ones_the_engine_reads_as_none() {
    let redis = Redis::start();
    let _worker = Worker::start(
        &redis,
        "strict",
        &[
            "--concurrency",
            "1",
            "--max-memory",
            "128MiB",
            "--max-time",
            "5s",
        ],
    );
    // Asked for more than this worker allows: run within its own maxima.
    let mut big = grade_limits(4 << 30, 32768, 64.0);
    big["time"] = json!({"secs": 600, "nanos": 0});
    let done = injected(&redis, &run_job("print('ran')", big));
    let limits = &done["Done"]["limits"];
    assert_eq!(limits["memory"], 128 << 20, "{done}");
    assert_eq!(limits["time"]["secs"], 5, "{done}");
    assert!(limits["cpus"].as_f64() < Some(64.0), "{done}");
    // A zero the engine reads as "no limit" is a refused job, never an unlimited sandbox.
    for (memory, pids, cpus) in [(0, 64, 1.0), (128 << 20, 0, 1.0), (128 << 20, 64, 0.0)] {
        let failed = injected(
            &redis,
            &run_job("print('ran')", grade_limits(memory, pids, cpus)),
        );
        assert_eq!(
            failed["Failed"]["status"], 400,
            "{memory} {pids} {cpus}: {failed}"
        );
        assert!(
            failed["Failed"]["message"]
                .as_str()
                .unwrap()
                .contains("invalid job"),
            "{failed}"
        );
    }
    // A grading job's case limits are checked the same way.
    let grade = grade_request("python", "sol.py", "print(5)", json!({"pids": 0}));
    let failed = injected(&redis, &json!({"grade": grade}));
    assert_eq!(failed["Failed"]["status"], 400, "{failed}");
    // A Judge0 record asking for more runs than Judge0 allows is judged an error, not run.
    let token = format!("forged-{}", crate::serve::rand_suffix());
    let key = format!("codecage:judge0:sub:{token}");
    redis_cli(
        &redis,
        &["SET", &key, &judge0_record(&token, 50).to_string()],
    );
    assert_eq!(
        injected(&redis, &json!({"judge0": {"token": token}})),
        json!("Judged")
    );
    let record: Value = serde_json::from_str(&redis_cli(&redis, &["GET", &key])).unwrap();
    assert_eq!(record["status"], 13, "{record}");
    assert!(
        record["message"]
            .as_str()
            .unwrap()
            .contains("number_of_runs 50"),
        "{record}"
    );
}

/// An announcement anybody who can write to Redis could make: a worker at `url`.
fn forge_worker(redis: &Redis, node: &str, url: &str, proof: Option<&str>) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let info = json!({"node": node, "hostname": "x", "languages": ["python"], "concurrency": 1000,
        "running": 0, "url": url, "done": 0, "started_ms": now, "announced_ms": now, "proof": proof});
    redis_cli(
        redis,
        &[
            "SET",
            &format!("codecage:worker:{node}"),
            &info.to_string(),
            "PX",
            "60000",
        ],
    );
}

#[test]
fn session_ports_need_the_token_and_an_api_node_sends_it_only_to_workers_that_prove_it() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &["--token", "t0ken"]);
    let bearer = "Bearer t0ken";
    // A "worker" that is not one: it records what it is sent.
    let attacker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let attacker_url = format!("http://{}", attacker.local_addr().unwrap());
    forge_worker(&redis, "evil", &attacker_url, None);
    forge_worker(&redis, "evil2", &attacker_url, Some(&"0".repeat(64)));
    let session = json!({"language": "python", "code": "print(input())"});
    let (status, body) = response(
        ureq::post(&server.url("/session"))
            .set("Authorization", bearer)
            .send_json(session.clone()),
    );
    assert_eq!(status, 503, "{body}");
    attacker.set_nonblocking(true).unwrap();
    if let Ok((mut stream, _)) = attacker.accept() {
        use std::io::Read;
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(1)))
            .unwrap();
        let mut sent = vec![0; 4096];
        let n = stream.read(&mut sent).unwrap_or(0);
        panic!(
            "the API node sent a forged worker: {}",
            String::from_utf8_lossy(&sent[..n])
        );
    }
    // A real worker with the token proves it: sessions go to it.
    let _worker = Worker::start(
        &redis,
        "real",
        &[
            "--concurrency",
            "1",
            "--listen",
            "127.0.0.1:0",
            "--token",
            "t0ken",
        ],
    );
    let (_, listed) = response(
        ureq::get(&server.url("/judge0/workers"))
            .set("Authorization", bearer)
            .call(),
    );
    let real = listed[0]["workers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["node"] == "real")
        .cloned()
        .unwrap_or_else(|| panic!("{listed}"));
    let port_url = real["url"].as_str().unwrap().to_string();
    // Its session port refuses a client without the token, and takes one with it.
    let (status, _) =
        response(ureq::post(&format!("{port_url}/session")).send_json(session.clone()));
    assert_eq!(status, 401);
    let (status, created) = response(
        ureq::post(&format!("{port_url}/session"))
            .set("Authorization", bearer)
            .send_json(session.clone()),
    );
    assert_eq!(status, 200, "{created}");
    // Through the API node: the real worker, never the forged ones (4 sessions per client).
    for _ in 0..3 {
        let (status, created) = response(
            ureq::post(&server.url("/session"))
                .set("Authorization", bearer)
                .send_json(session.clone()),
        );
        assert_eq!(status, 200, "{created}");
        assert!(
            created["sessionId"].as_str().unwrap().starts_with("real."),
            "{created}"
        );
    }
    assert!(
        attacker.accept().is_err(),
        "a forged worker was sent a session"
    );
}

#[test]
fn the_shared_judge0_index_forgets_expired_submissions_without_being_read() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &[]);
    let _worker = Worker::start(
        &redis,
        "pruner",
        &["--concurrency", "2", "--judge0-retention", "2s"],
    );
    for i in 0..4 {
        let (status, body) = server.post(
            "/judge0/submissions?base64_encoded=false&wait=true",
            &json!({"source_code": format!("print({i})"), "language_id": 71}),
        );
        assert_eq!(
            (status, body["status"]["id"].as_u64()),
            (201, Some(3)),
            "{body}"
        );
    }
    assert_eq!(redis_cli(&redis, &["ZCARD", "codecage:judge0:index"]), "4");
    // The records expire after 2 s; the index follows on the worker's schedule, with nobody
    // reading a page of it.
    wait_for("the index is pruned", Duration::from_secs(20), || {
        redis_cli(&redis, &["ZCARD", "codecage:judge0:index"]) == "0"
    });
    assert_eq!(redis_cli(&redis, &["KEYS", "codecage:judge0:sub:*"]), "");
}

#[test]
fn a_language_no_live_worker_runs_is_a_503() {
    let redis = Redis::start();
    // The API node knows a language the workers do not.
    let profiles = tempfile::tempdir().unwrap();
    std::fs::write(
        profiles.path().join("py-extra.yaml"),
        "name: py-extra\nversion: \"3\"\nextensions: [pyx3]\nimage: python\nmain: main.py\nrun: [python3, \"{main}\"]\n",
    )
    .unwrap();
    let (server, _store) = api(&redis, &["--profiles", profiles.path().to_str().unwrap()]);
    let _worker = Worker::start(&redis, "plain", &["--concurrency", "1"]);
    let started = Instant::now();
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "py-extra", "code": "print(1)"}),
    );
    assert_eq!(status, 503, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("no connected worker runs py-extra"),
        "{body}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a wait, not an answer"
    );
    // The languages the worker has still run.
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print(1)"}),
    );
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("1\n")),
        "{body}"
    );
}

#[test]
fn a_worker_stopped_with_sigterm_puts_its_running_job_back_for_another() {
    let redis = Redis::start();
    let (server, _store) = api(&redis, &[]);
    let mut leaving = Worker::start(&redis, "leaving", &["--concurrency", "1", "--grace", "1s"]);
    let url = server.url("/execute");
    let job = std::thread::spawn(move || {
        response(ureq::post(&url).send_json(
            json!({"language": "python", "code": "import time\ntime.sleep(6)\nprint('finished')"}),
        ))
    });
    wait_for(
        "the leaving worker starts the job",
        Duration::from_secs(30),
        || !containers_with_tag(&leaving.tag).is_empty(),
    );
    // Past its 1 s grace the run is stopped, its sandbox removed, and the job put back.
    leaving.signal("-TERM");
    let exited = leaving.child.wait().unwrap();
    assert!(exited.success(), "{exited}");
    assert_no_containers(&leaving.tag);
    let _rescuer = Worker::start(&redis, "rescuer", &["--concurrency", "1"]);
    let (status, body) = job.join().unwrap();
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("finished\n")),
        "{body}"
    );
}
