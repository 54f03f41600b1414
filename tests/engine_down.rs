//! An engine that goes away under a running server (issue #31 item 12): a sandbox the engine
//! killed before the program ran is never the program's verdict, an unreachable engine is a 503
//! saying so on every API, and the server recovers once the engine is back.
//!
//! The engine is reached through a Unix-socket relay the test owns, so "stopping the engine" is
//! cutting the relay: the real dockerd, shared by the whole suite, is never stopped.

use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::serve::Server;

const ENGINE: &str = "/var/run/docker.sock";

/// A relay from a socket of the test's to the engine's, which can be cut and restored.
struct Relay {
    path: PathBuf,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<UnixStream>>>,
}

impl Relay {
    fn start(path: &Path) -> Relay {
        let relay = Relay {
            path: path.to_path_buf(),
            up: Arc::new(AtomicBool::new(false)),
            open: Arc::new(Mutex::new(Vec::new())),
        };
        relay.restore();
        relay
    }

    fn restore(&self) {
        let _ = std::fs::remove_file(&self.path);
        let listener = UnixListener::bind(&self.path).unwrap();
        listener.set_nonblocking(true).unwrap();
        self.up.store(true, Ordering::SeqCst);
        let (up, open) = (self.up.clone(), self.open.clone());
        std::thread::spawn(move || {
            while up.load(Ordering::SeqCst) {
                let client = match listener.accept() {
                    Ok((client, _)) => client,
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                };
                client.set_nonblocking(false).unwrap();
                let Ok(engine) = UnixStream::connect(ENGINE) else {
                    continue;
                };
                let mut list = open.lock().unwrap();
                list.push(client.try_clone().unwrap());
                list.push(engine.try_clone().unwrap());
                drop(list);
                pipe(client.try_clone().unwrap(), engine.try_clone().unwrap());
                pipe(engine, client);
            }
        });
    }

    /// The engine is gone: no new connection, and every open one cut.
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(50));
        let _ = std::fs::remove_file(&self.path);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn pipe(mut from: UnixStream, mut to: UnixStream) {
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(std::net::Shutdown::Write);
    });
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn hello(server: &Server) -> (u16, Value) {
    server.post(
        "/execute",
        &json!({"language": "python", "code": "print('hi')"}),
    )
}

#[test]
fn an_engine_that_goes_away_is_never_the_programs_fault() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("engine.sock");
    let relay = Relay::start(&socket);
    let host = format!("unix://{}", socket.display());
    let mut server = Server::start_with(&["--pool", "1"], None, &[("DOCKER_HOST", &host)]);
    let (_, body) = hello(&server);
    assert_eq!(body["stdout"], "hi\n", "{body}");
    wait_for("a warm sandbox", || {
        server.metric("codecage_pool_ready") >= 1
    });

    // The engine kills the warm sandbox (as a restart does: SIGTERM, exit 143) before any
    // program ran in it: the next request must not be answered with that death.
    let warm = std::process::Command::new("docker")
        .args([
            "ps",
            "-q",
            "--filter",
            &format!("label=codecage.tag={}", server.tag),
        ])
        .output()
        .unwrap();
    let warm: Vec<String> = String::from_utf8_lossy(&warm.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    // The warm one, and perhaps the last run's container on its way out: both may go.
    assert!(!warm.is_empty(), "no warm sandbox is running");
    let killed = warm.iter().any(|id| {
        std::process::Command::new("docker")
            .args(["kill", "-s", "TERM", id])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    assert!(killed, "no sandbox could be killed: {warm:?}");
    std::thread::sleep(Duration::from_millis(500));
    let (status, body) = hello(&server);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["verdict"], "AC",
        "a dead sandbox was blamed on the program: {body}"
    );
    assert_eq!(body["stdout"], "hi\n", "{body}");
    wait_for("a warm sandbox again", || {
        server.metric("codecage_pool_ready") >= 1
    });

    // The engine goes away: every API says so with a 503 (Judge0: Internal Error with the
    // reason), never a verdict and never a raw client error.
    relay.cut();
    for _ in 0..3 {
        let (status, body) = hello(&server);
        assert_eq!(status, 503, "{body}");
        let error = body["error"].as_str().unwrap();
        assert!(error.starts_with("the engine is unavailable"), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }
    let (status, body) = server.post(
        "/api/v2/execute",
        &json!({"language": "python", "version": "*", "files": [{"content": "print(1)"}]}),
    );
    assert_eq!(status, 503, "{body}");
    let (status, body) = server.post(
        "/judge0/submissions?wait=true",
        &json!({"language_id": 71, "source_code": "print(1)"}),
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"]["id"], 13, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("engine is unavailable"), "{body}");

    // Back: requests run again and the pool refills.
    relay.restore();
    wait_for("a run after the engine came back", || {
        hello(&server).1["stdout"] == "hi\n"
    });
    wait_for("the pool refilled", || {
        server.metric("codecage_pool_ready") >= 1
    });
    assert_eq!(server.stop(), 0);
}

/// A relay that lets every request through and can break off the event streams it carries,
/// as Podman's service did under load (its stream ended before the container's `die`).
struct EventsCutter {
    events: Arc<Mutex<Vec<UnixStream>>>,
    up: Arc<AtomicBool>,
}

impl EventsCutter {
    fn start(path: &Path) -> EventsCutter {
        let listener = UnixListener::bind(path).unwrap();
        listener.set_nonblocking(true).unwrap();
        let cutter = EventsCutter {
            events: Arc::new(Mutex::new(Vec::new())),
            up: Arc::new(AtomicBool::new(true)),
        };
        let (events, up) = (cutter.events.clone(), cutter.up.clone());
        std::thread::spawn(move || {
            while up.load(Ordering::SeqCst) {
                let Ok((mut client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let events = events.clone();
                std::thread::spawn(move || {
                    use std::io::{Read, Write};
                    let mut engine = UnixStream::connect(ENGINE).unwrap();
                    // The request line says what the connection is for.
                    let mut head = [0u8; 512];
                    let n = client.read(&mut head).unwrap_or(0);
                    if engine.write_all(&head[..n]).is_err() {
                        return;
                    }
                    if String::from_utf8_lossy(&head[..n]).contains("/events") {
                        events.lock().unwrap().push(client.try_clone().unwrap());
                    }
                    pipe(client.try_clone().unwrap(), engine.try_clone().unwrap());
                    pipe(engine, client);
                });
            }
        });
        cutter
    }

    /// Break off every event stream open now; returns how many there were.
    fn cut_events(&self) -> usize {
        let mut list = self.events.lock().unwrap();
        let n = list.len();
        for stream in list.drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
        n
    }
}

impl Drop for EventsCutter {
    fn drop(&mut self) {
        self.up.store(false, Ordering::SeqCst);
    }
}

#[test]
fn an_event_stream_that_breaks_off_before_the_exit_does_not_lose_the_exit() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("engine.sock");
    let cutter = EventsCutter::start(&socket);
    let host = format!("unix://{}", socket.display());
    let t = crate::harness::Test::new()
        .file("slow.py", "import time\ntime.sleep(1.5)\nprint('done')\n")
        .env("DOCKER_HOST", &host)
        .args(["run", "slow.py"]);
    let child = t
        .command()
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("the run's event stream", || {
        !cutter.events.lock().unwrap().is_empty()
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(cutter.cut_events() >= 1);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).as_ref()
        ),
        (Some(0), "done\n"),
        "the program's exit must survive a broken event stream"
    );
    crate::harness::assert_no_containers(t.tag());
}
