//! Service: `codecage serve` under hostile clients. Slow clients are cut off without blocking
//! anyone, hundreds of WebSockets are capped cleanly, malformed and oversized requests get JSON
//! errors, a public bind needs the token, and sessions have an idle limit. Web pages: a rebound
//! name is refused, a foreign page can neither post nor read Judge0 by default, and the session
//! cap counts the authenticated client, whatever `Authorization` it sends.

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
            s.write_all(b"POST /execute HTTP/1.1\r\nHost: localhost\r\n")
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
            for byte in b"GET /health HTTP/1.1\r\nHost: localhost\r\n"
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
            s.write_all(b"POST /execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
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
    s.write_all(b"POST /execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\nConnection: close\r\n\r\n{")
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

/// What a request gets when it names the server `host` (and, for a POST, comes from `origin`).
fn as_host(
    server: &Server,
    method: &str,
    path: &str,
    host: &str,
    origin: Option<&str>,
) -> (u16, Value) {
    let mut request = ureq::request(method, &server.url(path)).set("Host", host);
    if let Some(origin) = origin {
        request = request.set("Origin", origin);
    }
    let hello = json!({"language": "python", "code": "print('ran')"});
    response(if method == "POST" {
        // A "simple" request, as a page may send one without a preflight.
        request
            .set("Content-Type", "text/plain")
            .send_string(&hello.to_string())
    } else {
        request.call()
    })
}

/// DNS rebinding: a web page whose own name resolves to 127.0.0.1 reaches a loopback server as
/// its own origin. The server refuses names that are not its own (any route, the page and the
/// WebSocket too); its addresses, localhost and names the operator lists are served. Beyond
/// loopback (a token is required there) any name is served unless names are listed.
#[test]
fn a_rebound_host_name_is_refused_and_named_hosts_are_served() {
    let server = Server::start(&[]);
    let port = address(&server).rsplit(':').next().unwrap().to_string();
    let evil = format!("evil.example:{port}");
    for (method, path) in [
        ("GET", "/"),
        ("GET", "/languages"),
        ("GET", "/judge0/statuses"),
        ("POST", "/execute"),
        ("POST", "/judge0/submissions"),
    ] {
        let (status, body) = as_host(&server, method, path, &evil, None);
        assert_eq!(status, 403, "{method} {path}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains("--allow-host"),
            "{body}"
        );
    }
    // A session created at the rebound name is refused; one created properly cannot be
    // connected to from the rebound page, whose Origin matches the Host it sends.
    let (status, created) = server.post(
        "/session",
        &json!({"language": "python", "code": "print(1)"}),
    );
    assert_eq!(status, 200, "{created}");
    let ws_url = format!(
        "{}/ws/session/{}",
        server.base.replacen("http", "ws", 1),
        created["sessionId"].as_str().unwrap()
    );
    let mut request =
        tungstenite::client::IntoClientRequest::into_client_request(ws_url.as_str()).unwrap();
    let headers = request.headers_mut();
    headers.insert("Host", evil.parse().unwrap());
    headers.insert("Origin", format!("http://{evil}").parse().unwrap());
    match tungstenite::connect(request) {
        Err(tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, body) = as_host(&server, "GET", "/languages", &host, None);
        assert_eq!(status, 200, "{host}: {body}");
    }
    drop(server);

    // A name the operator lists is the server's own, with its pages' origin.
    let server = Server::start(&["--allow-host", "judge.internal"]);
    let port = address(&server).rsplit(':').next().unwrap().to_string();
    let evil = format!("evil.example:{port}");
    let (status, body) = as_host(
        &server,
        "GET",
        "/languages",
        &format!("JUDGE.internal:{port}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(as_host(&server, "GET", "/languages", &evil, None).0, 403);
    let origin = format!("http://judge.internal:{port}");
    let (status, body) = as_host(&server, "POST", "/execute", &evil, Some(&origin));
    assert_eq!(status, 403, "{body}");
    let host = format!("judge.internal:{port}");
    let (status, body) = as_host(&server, "POST", "/execute", &host, Some(&origin));
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("ran\n")),
        "{body}"
    );
    drop(server);

    // Off loopback the token guards every route, and the names a server is reached by (load
    // balancers, service names) are not known to it: any name is served to the token holder.
    let public = Server::start(&["--listen", "0.0.0.0:0", "--token", "s3cret"]);
    let answer = ureq::get(&public.url("/languages"))
        .set("Host", "codecage.svc.cluster.local")
        .set("Authorization", "Bearer s3cret")
        .call();
    assert_eq!(response(answer).0, 200);
}

/// A page from another site may not make a default server run code (a "simple" cross-site POST
/// needs no preflight) nor read Judge0 results (no CORS unless the operator allows origins).
#[test]
fn a_foreign_page_can_neither_post_nor_read_judge0_by_default() {
    let server = Server::start(&[]);
    let own = address(&server);
    let evil = Some("https://evil.example");
    for path in [
        "/execute",
        "/api/v2/execute",
        "/session",
        "/judge0/submissions",
    ] {
        let (status, body) = as_host(&server, "POST", path, &own, evil);
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, body) = as_host(&server, "POST", "/execute", &own, Some("null"));
    assert_eq!(status, 403, "{body}");
    // The page the server serves posts from its own origin.
    let origin = format!("http://{own}");
    let (status, body) = as_host(&server, "POST", "/execute", &own, Some(&origin));
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("ran\n")),
        "{body}"
    );
    let preflight = ureq::request("OPTIONS", &server.url("/judge0/submissions"))
        .set("Origin", "https://evil.example")
        .set("Access-Control-Request-Method", "POST")
        .call();
    let preflight = match preflight {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(preflight.header("access-control-allow-origin"), None);
    let statuses = ureq::get(&server.url("/judge0/statuses"))
        .set("Origin", "https://evil.example")
        .call()
        .unwrap();
    assert_eq!(statuses.header("access-control-allow-origin"), None);
    drop(server);

    // The operator's choice: an allowed origin submits and reads, others still may not.
    let server = Server::start(&["--judge0-allow-origin", "https://ide.example"]);
    let submit = |origin: &str| {
        ureq::post(&server.url("/judge0/submissions?base64_encoded=false&wait=true"))
            .set("Origin", origin)
            .send_json(json!({"source_code": "print('ide')", "language_id": 71}))
            .map_err(Box::new)
    };
    let answer = submit("https://ide.example").unwrap();
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://ide.example")
    );
    let body: Value = answer.into_json().unwrap();
    assert_eq!(body["stdout"], "ide\n", "{body}");
    let (status, body) = response(submit("https://evil.example").map_err(|e| *e));
    assert_eq!(status, 403, "{body}");
    let (status, body) = as_host(
        &server,
        "POST",
        "/execute",
        &address(&server),
        Some("https://ide.example"),
    );
    assert_eq!(status, 403, "the allowed origin is for Judge0 only: {body}");
}

/// The per-client session cap counts the identity the server authenticated, not the raw
/// `Authorization` header: a client whose token comes as `X-Auth-Token` or `?token=` (or a
/// server without a token) cannot open more by varying that header.
#[test]
fn sessions_are_capped_per_authenticated_client_whatever_its_authorization_header() {
    let body = json!({"language": "python", "code": "print(1)"});
    let server = Server::start(&["--token", "s3cret", "--sessions-per-token", "2"]);
    let create = |path: &str, authorization: &str, judge0: bool| {
        let mut request = ureq::post(&server.url(path)).set("Authorization", authorization);
        if judge0 {
            request = request.set("X-Auth-Token", "s3cret");
        }
        response(request.send_json(body.clone()))
    };
    assert_eq!(create("/session", "Basic one", true).0, 200);
    assert_eq!(create("/session?token=s3cret", "Basic two", false).0, 200);
    for (path, authorization, judge0) in [
        ("/session", "Basic three", true),
        ("/session?token=s3cret", "Bearer four", false),
        ("/session", "Bearer s3cret", false),
    ] {
        let (status, error) = create(path, authorization, judge0);
        assert_eq!(status, 429, "{authorization}: {error}");
        assert!(error["error"].as_str().unwrap().contains("at most 2"));
    }
    drop(server);

    let open = Server::start(&["--sessions-per-token", "1"]);
    let create = |authorization: &str| {
        response(
            ureq::post(&open.url("/session"))
                .set("Authorization", authorization)
                .send_json(body.clone()),
        )
        .0
    };
    assert_eq!(create("Bearer a"), 200);
    assert_eq!(create("Bearer b"), 429);
}
