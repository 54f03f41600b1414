//! Service: `codecage serve` under hostile clients. Slow clients are cut off without blocking
//! anyone, hundreds of WebSockets are capped cleanly, malformed and oversized requests get JSON
//! errors, a public bind needs the token, and sessions have an idle limit.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{assert_no_containers, still_works};
use crate::serve::{next_message, read_until, response, send, Server, Socket};

fn address(server: &Server) -> String {
    server.base.trim_start_matches("http://").to_string()
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

/// Read from `stream` until EOF or error; returns what arrived and when it ended.
fn read_to_end_timed(stream: &mut TcpStream, start: Instant) -> (String, Duration) {
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), start.elapsed())
}

#[test]
fn slow_clients_are_cut_off_and_do_not_block_others() {
    let server = Server::start(&[]);
    let addr = address(&server);
    let start = Instant::now();
    // 50 clients that send half a request line and then nothing.
    let mut silent: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(b"POST /execute HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    // One client trickling an endless header, a byte every 200 ms.
    let trickle = std::thread::spawn({
        let addr = addr.clone();
        move || {
            let mut s = TcpStream::connect(&addr).unwrap();
            let start = Instant::now();
            for byte in b"GET /health HTTP/1.1\r\nHost: x\r\n"
                .iter()
                .chain(b"X-Slow: a\r\n".iter().cycle())
            {
                if s.write_all(&[*byte]).is_err() || start.elapsed() > Duration::from_secs(60) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            start.elapsed()
        }
    });
    // One client with complete headers trickling its body.
    let slow_body = std::thread::spawn({
        let addr = addr.clone();
        move || {
            let mut s = TcpStream::connect(&addr).unwrap();
            let start = Instant::now();
            s.write_all(b"POST /execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                .unwrap();
            let mut writer = s.try_clone().unwrap();
            let done = Arc::new(AtomicBool::new(false));
            let writing = std::thread::spawn({
                let done = done.clone();
                move || {
                    while !done.load(Ordering::SeqCst) && writer.write_all(b" ").is_ok() {
                        std::thread::sleep(Duration::from_millis(200));
                    }
                }
            });
            let result = read_to_end_timed(&mut s, start);
            done.store(true, Ordering::SeqCst);
            let _ = writing.join();
            result
        }
    });
    // Meanwhile everyone else is served as usual.
    std::thread::sleep(Duration::from_secs(1));
    let quick = Instant::now();
    assert_eq!(
        ureq::get(&server.url("/health"))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
        "OK"
    );
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print('served')"}),
    );
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("served\n")),
        "{body}"
    );
    assert!(
        quick.elapsed() < Duration::from_secs(10),
        "took {:?}",
        quick.elapsed()
    );
    // The silent ones are closed after the 10 s header timeout.
    for s in &mut silent {
        let (_, ended) = read_to_end_timed(s, start);
        assert!(
            ended >= Duration::from_secs(9) && ended < Duration::from_secs(25),
            "a silent client was closed after {ended:?}"
        );
    }
    let trickled = trickle.join().unwrap();
    assert!(
        trickled < Duration::from_secs(25),
        "a trickling header held its connection for {trickled:?}"
    );
    let (reply, ended) = slow_body.join().unwrap();
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    assert!(reply.contains("did not arrive within 20s"), "{reply}");
    assert!(
        ended >= Duration::from_secs(19) && ended < Duration::from_secs(35),
        "a trickling body was cut off after {ended:?}"
    );
    still_works();
}

#[test]
fn hundreds_of_websockets_are_capped_cleanly() {
    const SOCKETS: usize = 300;
    let server = Server::start(&[
        "--max-concurrent",
        "4",
        "--queue",
        "2",
        "--sessions-per-token",
        "400",
        "--pool",
        "0",
    ]);
    let start = Instant::now();
    let rss_before = rss_kib(server.child.id(), "VmRSS:");
    let code = "print('ready', flush=True)\ninput()\nprint('bye')\n";
    let urls: Vec<String> = (0..SOCKETS)
        .map(|_| {
            let (status, created) =
                server.post("/session", &json!({"language": "python", "code": code}));
            assert_eq!(status, 200, "{created}");
            format!(
                "{}/ws/session/{}",
                server.base.replacen("http", "ws", 1),
                created["sessionId"].as_str().unwrap()
            )
        })
        .collect();
    // Open them all at once. A session either runs (and waits for input), waits for a slot, or
    // is refused; runners wait for `release`, then answer and must finish cleanly.
    let (report, reports) = mpsc::channel::<(&'static str, Value)>();
    let release = Arc::new(AtomicBool::new(false));
    let barrier = Arc::new(std::sync::Barrier::new(SOCKETS));
    let threads: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let (report, release, barrier) = (report.clone(), release.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let (mut socket, _): (Socket, _) = tungstenite::connect(url.as_str()).unwrap();
                if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_mut() {
                    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
                }
                loop {
                    let m = next_message(&mut socket);
                    if m["type"] == "stdout" {
                        report.send(("running", m)).unwrap();
                        break;
                    }
                    if m["type"] == "state" && m["state"] == "terminated" {
                        report.send(("refused", m)).unwrap();
                        return;
                    }
                }
                while !release.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                }
                send(&mut socket, json!({"type": "input", "data": "go\n"}));
                let seen = read_until(&mut socket, |m| {
                    m["type"] == "state" && m["state"] != "waiting" && m["state"] != "running"
                });
                report.send(("done", seen.last().unwrap().clone())).unwrap();
            })
        })
        .collect();
    drop(report);
    let mut running = 0;
    let mut refused = 0;
    while running + refused < SOCKETS - 2 {
        let (kind, m) = reports
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{running} running, {refused} refused after 60 s"));
        match kind {
            "running" => running += 1,
            "refused" => {
                assert_eq!(m["reason"], "server busy", "{m}");
                refused += 1;
            }
            _ => panic!("{kind} {m}"),
        }
    }
    assert_eq!((running, refused), (4, SOCKETS - 6));
    // At the caps: the server still answers, and refuses a batch run with a clean 429.
    let quick = Instant::now();
    assert_eq!(
        ureq::get(&server.url("/health")).call().unwrap().status(),
        200
    );
    match ureq::post(&server.url("/execute"))
        .send_json(json!({"language": "python", "code": "print(1)"}))
    {
        Err(ureq::Error::Status(429, resp)) => {
            assert_eq!(resp.header("Retry-After"), Some("1"));
        }
        other => panic!("expected 429, got {:?}", other.map(|r| r.status())),
    }
    assert!(
        quick.elapsed() < Duration::from_secs(5),
        "took {:?}",
        quick.elapsed()
    );
    let rss_during = rss_kib(server.child.id(), "VmRSS:");
    assert!(
        rss_during < rss_before + 64 * 1024,
        "server RSS grew from {rss_before} KiB to {rss_during} KiB for {SOCKETS} sockets"
    );
    // Release: the four finish, the two queued ones run and finish.
    release.store(true, Ordering::SeqCst);
    let mut done = 0;
    while done < 6 {
        let (kind, m) = reports.recv_timeout(Duration::from_secs(60)).unwrap();
        match kind {
            "running" => {}
            "done" => {
                assert_eq!(
                    (m["state"].as_str(), m["exitCode"].as_i64()),
                    (Some("finished"), Some(0)),
                    "{m}"
                );
                done += 1;
            }
            _ => panic!("{kind} {m}"),
        }
    }
    for t in threads {
        t.join().unwrap();
    }
    assert_no_containers(&server.tag);
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print('after')"}),
    );
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("after\n")),
        "{body}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(150),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn a_public_bind_refuses_unauthenticated_requests() {
    let server = Server::start(&["--listen", "0.0.0.0:0", "--token", "s3cret-public"]);
    let hello = json!({"language": "python", "code": "print('authorised')"});
    for path in ["/execute", "/session", "/api/v2/execute"] {
        let (status, body) = response(ureq::post(&server.url(path)).send_json(hello.clone()));
        assert_eq!(status, 401, "{path}: {body}");
        assert_eq!(body["error"], "missing or wrong API token");
    }
    let (status, _) = response(
        ureq::post(&server.url("/execute"))
            .set("Authorization", "Bearer s3cret-publi")
            .send_json(hello.clone()),
    );
    assert_eq!(status, 401);
    let ws = format!(
        "{}/ws/session/x?token=wrong",
        server.base.replacen("http", "ws", 1)
    );
    match tungstenite::connect(ws.as_str()) {
        Err(tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    // Nothing ran for them; the token holder is served.
    assert_no_containers(&server.tag);
    let (status, body) = response(
        ureq::post(&server.url("/execute"))
            .set("Authorization", "Bearer s3cret-public")
            .send_json(hello),
    );
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("authorised\n"))
    );
}

#[test]
fn malformed_deep_and_lying_requests_get_clean_errors() {
    let server = Server::start(&[]);
    // Nesting deep enough to overflow a naive recursive parser.
    let deep = format!(
        "{{\"language\": \"python\", \"code\": {}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for (body, expected) in [
        (deep.as_str(), "invalid JSON"),
        ("{\"language\": 5}", "invalid JSON"),
        (
            "{\"language\": \"python\", \"code\": \"x\", \"image\": \"alpine\"}",
            "invalid JSON",
        ),
        (
            "{\"language\": \"python\", \"code\": \"\\udcff\"}",
            "invalid JSON",
        ),
        ("\u{0}\u{1}\u{2}", "invalid JSON"),
    ] {
        let (status, reply) = response(
            ureq::post(&server.url("/execute"))
                .set("Content-Type", "application/json")
                .send_string(body),
        );
        assert_eq!(status, 400, "{reply}");
        assert!(
            reply["error"].as_str().unwrap().starts_with(expected),
            "{reply}"
        );
    }
    // A body that claims to be a terabyte is refused from its header alone.
    let mut s = TcpStream::connect(address(&server)).unwrap();
    s.write_all(b"POST /execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\nConnection: close\r\n\r\n{")
        .unwrap();
    let (reply, ended) = read_to_end_timed(&mut s, Instant::now());
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(ended < Duration::from_secs(10), "took {ended:?}");
    assert_eq!(
        ureq::get(&server.url("/health")).call().unwrap().status(),
        200
    );
}

#[test]
fn a_silent_session_ends_at_the_idle_limit() {
    let server = Server::start(&["--session-idle", "1s"]);
    let start = Instant::now();
    let mut socket = crate::serve::open_session(
        &server,
        json!({"language": "python"}),
        "import time\nprint('up', flush=True)\ntime.sleep(120)\n",
    );
    let seen = read_until(&mut socket, |m| {
        m["type"] == "state" && m["state"] != "waiting" && m["state"] != "running"
    });
    let last = seen.last().unwrap();
    assert_eq!(
        (last["state"].as_str(), last["verdict"].as_str()),
        (Some("terminated"), Some("TLE")),
        "{seen:?}"
    );
    assert_eq!(crate::serve::stdout_text(&seen), "up\n");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
    assert_no_containers(&server.tag);
}
