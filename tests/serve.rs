//! `codecage serve` through a real HTTP and WebSocket client on a free loopback port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::harness::{assert_no_containers, clean_command, engine_ready};

pub struct Server {
    _config_home: tempfile::TempDir,
    pub child: Child,
    pub base: String,
    pub tag: String,
    /// When it started (unix seconds): its sandboxes' events are looked up from then.
    since: f64,
    /// What it printed on stderr after its first line (the request log among it).
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(extra: &[&str]) -> Server {
        Server::start_with_config(extra, None)
    }

    /// Start with `config` as the user's config file (none by default).
    pub fn start_with_config(extra: &[&str], config: Option<&str>) -> Server {
        Server::start_with(extra, config, &[])
    }

    /// Start with a config file and extra environment variables.
    pub fn start_with(extra: &[&str], config: Option<&str>, env: &[(&str, &str)]) -> Server {
        engine_ready();
        let config_home = tempfile::tempdir().unwrap();
        if let Some(text) = config {
            std::fs::create_dir_all(config_home.path().join("codecage")).unwrap();
            std::fs::write(config_home.path().join("codecage/config.yaml"), text).unwrap();
        }
        let tag = format!("serve-{}-{}", std::process::id(), rand_suffix());
        let since = crate::harness::unix_now();
        let listen: &[&str] = if extra.contains(&"--listen") {
            &[]
        } else {
            &["--listen", "127.0.0.1:0"]
        };
        let mut child = clean_command()
            .arg("serve")
            .args(listen)
            .args(extra)
            .env("CODECAGE_TEST_TAG", &tag)
            .env("XDG_CONFIG_HOME", config_home.path())
            // The Judge0 store lives under the data directory: one per server.
            .env("XDG_DATA_HOME", config_home.path())
            // FIFO directories of runs a killed server had in flight go with the test too.
            .env("TMPDIR", config_home.path())
            .env_remove("CODECAGE_TOKEN")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (line, log) = first_line_then_log(&mut child);
        let Some(base) = line.trim().strip_prefix("codecage: listening on ") else {
            // Not a server we can use: do not leave it running past the failed test.
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected first line: {line:?}");
        };
        let base = base.replace("0.0.0.0", "127.0.0.1");
        Server {
            _config_home: config_home,
            child,
            base,
            tag,
            since,
            log,
        }
    }

    /// Wait (at most a minute) until the warm pool holds a sandbox.
    pub fn wait_for_the_pool(&self) {
        let start = Instant::now();
        while self.metric("codecage_pool_ready") == 0 {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the pool never filled"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The request log's lines so far, parsed.
    pub fn request_log(&self) -> Vec<Value> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// One figure of `/metrics` (a counter or gauge without labels).
    pub fn metric(&self, name: &str) -> u64 {
        let metrics = ureq::get(&self.url("/metrics"))
            .call()
            .unwrap()
            .into_string()
            .unwrap();
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {metrics}"))
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        response(ureq::post(&self.url(path)).send_json(body.clone()))
    }

    /// SIGTERM and wait for exit; returns the exit status.
    pub fn stop(&mut self) -> i32 {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.stop();
        }
        if !std::thread::panicking() {
            assert_no_containers(&self.tag);
            // Under `with_engine`: its sandboxes (the warm pool's at least) were that engine's.
            crate::harness::assert_ran_on_this_engine(&self.tag, self.since, true);
        }
    }
}

/// A long-running codecage's first line on stderr (what it says when it is ready); the rest is
/// read and dropped meanwhile, or the process would block once the pipe is full.
/// The first line of `child`'s stderr; the lines after it are kept in the returned list.
fn first_line_then_log(
    child: &mut Child,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    (line, log)
}

pub fn first_line(child: &mut Child) -> String {
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    line
}

pub fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

pub fn response(r: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    match r {
        Ok(resp) => (resp.status(), resp.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(code, resp)) => (code, resp.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("request failed: {e}"),
    }
}

#[test]
fn health_languages_and_the_codeengine_contract() {
    let server = Server::start(&[]);
    let health = ureq::get(&server.url("/health"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert_eq!(health, "OK");
    let (status, langs) = response(ureq::get(&server.url("/languages")).call());
    assert_eq!(status, 200);
    let python = langs
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "python")
        .unwrap();
    assert_eq!(python["version"], "3.13");
    assert!(python["aliases"]
        .as_array()
        .unwrap()
        .contains(&json!("python3")));

    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python3", "code": "print('Hello, World!')"}),
    );
    assert_eq!(status, 200);
    assert_eq!(body["output"], "Hello, World!\n");
    assert_eq!(body["exit_code"], 0);
    assert_eq!(body["verdict"], "AC");
    // Measured from the sandbox's cgroup: the engine is local here.
    assert!(body["cpu_ms"].as_u64().is_some(), "{body}");
    assert!(body["memory_bytes"].as_u64().unwrap() > 0, "{body}");

    let (_, body) = server.post(
        "/execute",
        &json!({"language": "py", "code": "import sys\nprint(sys.stdin.read().upper(), sys.argv[1:])\nprint(undefined_name)", "stdin": "abc", "args": ["x"]}),
    );
    assert_eq!(body["stdout"], "ABC ['x']\n");
    assert!(
        body["stderr"].as_str().unwrap().contains("NameError"),
        "{body}"
    );
    assert!(
        body["output"].as_str().unwrap().starts_with("ABC ['x']\n"),
        "{body}"
    );
    assert_eq!(body["exit_code"], 1);
    assert_eq!(body["verdict"], "RE");

    let (_, body) = server.post(
        "/execute",
        &json!({"language": "c++", "files": [{"name": "main.cpp", "content": "#include \"twice.h\"\n#include <iostream>\nint main() { std::cout << twice(21) << std::endl; }"}, {"name": "twice.h", "content": "inline int twice(int x) { return 2 * x; }"}]}),
    );
    assert_eq!(body["stdout"], "42\n", "{body}");
}

/// A language that only shares its extensions (`c-clang` takes `.c`, `pypy3` `.py`) still gets a
/// file name for unnamed code.
#[test]
fn a_language_with_only_shared_extensions_runs_unnamed_code() {
    let server = Server::start(&[]);
    for (language, code) in [
        ("c-clang", "#include <stdio.h>\nint main(void) { puts(__clang__ ? \"clang\" : \"?\"); return 0; }\n"),
        ("pypy3", "import platform\nprint(platform.python_implementation())\n"),
    ] {
        let (status, body) = server.post("/execute", &json!({"language": language, "code": code}));
        assert_eq!(status, 200, "{language}: {body}");
        assert_eq!(body["exit_code"], 0, "{language}: {body}");
        let expected = if language == "pypy3" { "PyPy\n" } else { "clang\n" };
        assert_eq!(body["stdout"], expected, "{language}: {body}");
    }
}

#[test]
fn languages_say_whether_their_image_is_built() {
    // A profile whose image nobody built: its Dockerfile is unique to this test process.
    let label = format!(
        "codecage.test=unbuilt-{}-{}",
        std::process::id(),
        rand_suffix()
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    std::fs::create_dir_all(dir.path().join("images/unbuilt-test")).unwrap();
    std::fs::write(
        dir.path().join("profiles/unbuilt.yaml"),
        "name: unbuilt\nversion: '1'\nextensions: [unbuilt]\nimage: unbuilt-test\nrun: [cat, '{main}']\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("images/unbuilt-test/Dockerfile"),
        format!("FROM debian:trixie-slim\nLABEL {label}\nRUN useradd --uid 10001 --user-group --home-dir /work --no-create-home runner\nUSER 10001:10001\nWORKDIR /work\n"),
    )
    .unwrap();
    let profiles = dir.path().join("profiles");
    let server = Server::start(&["--profiles", profiles.to_str().unwrap()]);
    let built = |name: &str| {
        let (status, langs) = response(ureq::get(&server.url("/languages")).call());
        assert_eq!(status, 200);
        langs
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == name)
            .unwrap()["imageBuilt"]
            .clone()
    };
    assert_eq!(built("python"), json!(true));
    assert_eq!(built("unbuilt"), json!(false));
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "unbuilt", "code": "as is\n"}),
    );
    let images = Command::new("docker")
        .args(["images", "-q", "--filter", &format!("label={label}")])
        .output()
        .unwrap();
    // The server first: its warm pool may hold a sandbox of the image, which keeps it in use.
    drop(server);
    for id in String::from_utf8_lossy(&images.stdout).split_whitespace() {
        let out = Command::new("docker")
            .args(["rmi", "-f", id])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the test's image {id} stays: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("as is\n")),
        "{body}"
    );
    assert!(!images.stdout.is_empty(), "the run did not build the image");
}

#[test]
fn limits_are_clamped_to_the_server_maximum() {
    let server = Server::start(&["--max-time", "2s", "--max-output", "64KiB"]);
    let start = Instant::now();
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "import time\ntime.sleep(60)", "limits": {"time_limit": "100s"}}),
    );
    assert_eq!(body["verdict"], "TLE", "{body}");
    assert_eq!(body["limits"]["time_ms"], 2000);
    assert!(start.elapsed() < Duration::from_secs(15));
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "while True: print('y' * 100)"}),
    );
    assert_eq!(body["verdict"], "OLE");
    assert_eq!(body["truncated"], true);
    assert_eq!(body["stdout"].as_str().unwrap().len(), 64 * 1024);
}

#[test]
fn clients_share_the_servers_compile_cache() {
    let cache = tempfile::tempdir().unwrap();
    // The config file's compile CPUs are the server's cap; 512 is more than the engine has, so
    // the compiles below only work because the quota is clamped to the engine's count.
    let server = Server::start_with(
        &[],
        Some("compile:\n  cpus: 512\n"),
        &[("CODECAGE_COMPILE_CACHE", cache.path().to_str().unwrap())],
    );
    let program = json!({"language": "c", "code": "#include <stdio.h>\nint main(void) { puts(\"cached\"); return 0; }\n"});
    let entries = || {
        std::fs::read_dir(cache.path())
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "entry"))
            .count()
    };
    let (_, first) = server.post("/execute", &program);
    assert_eq!(first["stdout"], "cached\n", "{first}");
    assert_eq!(entries(), 1);
    let modified = |dir: &std::path::Path| {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.metadata().unwrap().modified().unwrap())
            .max()
            .unwrap()
    };
    let before = modified(cache.path());
    std::thread::sleep(Duration::from_millis(20));
    // Another client, the same program: served from the cache (the entry is refreshed, not
    // written again).
    let (_, second) = server.post(
        "/api/v2/execute",
        &json!({"language": "c", "version": "*", "files": [{"content": program["code"]}]}),
    );
    assert_eq!(second["run"]["stdout"], "cached\n", "{second}");
    assert_eq!(entries(), 1);
    assert!(
        modified(cache.path()) > before,
        "the hit refreshed the entry's last use"
    );
}

#[test]
fn cpu_time_limits_from_the_server_and_the_request() {
    let server = Server::start(&["--max-cpu-time", "1s"]);
    let spin = "while True:\n    pass\n";
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": spin, "limits": {"cpu_time_limit": "5s"}}),
    );
    assert_eq!(body["verdict"], "TLE", "{body}");
    assert_eq!(
        body["limits"]["cpu_time_ms"], 1000,
        "a request cannot raise it"
    );
    let cpu = body["cpu_ms"].as_u64().unwrap();
    assert!((1000..1500).contains(&cpu), "{body}");
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": spin, "limits": {"cpu_time_limit": "300ms"}}),
    );
    assert_eq!(body["limits"]["cpu_time_ms"], 300, "{body}");
    assert_eq!(body["verdict"], "TLE", "{body}");
    let (_, body) = server.post(
        "/api/v2/execute",
        &json!({"language": "python", "version": "*", "files": [{"content": spin}], "run_cpu_time": 200}),
    );
    assert_eq!(body["run"]["status"], "TO", "{body}");
    assert!(body["run"]["cpu_time"].as_u64().unwrap() < 1000, "{body}");
}

#[test]
fn bad_requests_get_json_errors() {
    let server = Server::start(&["--max-body", "64KiB"]);
    let bad = ureq::post(&server.url("/execute"))
        .set("Content-Type", "application/json")
        .send_string("{not json");
    let (status, body) = response(bad);
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().starts_with("invalid JSON"),
        "{body}"
    );
    let (status, body) = server.post("/execute", &json!({"language": "cobra", "code": "x"}));
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("unknown language"));
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "files": [{"name": "../x.py", "content": ""}]}),
    );
    assert_eq!(status, 400, "{body}");
    // No program can receive a NUL byte in an argument: said at once, no sandbox started.
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print(1)", "args": ["a\u{0}b"]}),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().unwrap().contains("NUL"), "{body}");
    let huge = "x".repeat(100 * 1024);
    let (status, body) = server.post("/execute", &json!({"language": "python", "code": huge}));
    assert_eq!(status, 413, "{body}");
    assert!(body["error"].is_string());
}

#[test]
fn a_token_is_required_when_configured() {
    let server = Server::start(&["--token", "s3cret"]);
    let (status, _) = response(ureq::get(&server.url("/languages")).call());
    assert_eq!(status, 401);
    let (status, _) = response(
        ureq::get(&server.url("/languages"))
            .set("Authorization", "Bearer wrong")
            .call(),
    );
    assert_eq!(status, 401);
    let (status, _) = response(
        ureq::get(&server.url("/languages"))
            .set("Authorization", "Bearer s3cret")
            .call(),
    );
    assert_eq!(status, 200);
    assert_eq!(
        ureq::get(&server.url("/health")).call().unwrap().status(),
        200
    );
}

#[test]
fn a_public_bind_without_a_token_is_refused() {
    engine_ready();
    let out = clean_command()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .env_remove("CODECAGE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(125));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs an API token"), "{stderr}");
}

#[test]
fn a_full_queue_answers_429() {
    let server = Server::start(&["--max-concurrent", "1", "--queue", "0"]);
    let slow = json!({"language": "python", "code": "import time\ntime.sleep(3)"});
    let url = server.url("/execute");
    let first = std::thread::spawn({
        let slow = slow.clone();
        move || response(ureq::post(&url).send_json(slow))
    });
    std::thread::sleep(Duration::from_millis(800));
    let second = ureq::post(&server.url("/execute")).send_json(slow);
    match second {
        Err(ureq::Error::Status(429, resp)) => assert_eq!(resp.header("Retry-After"), Some("1")),
        other => panic!("expected 429, got {:?}", other.map(|r| r.status())),
    }
    assert_eq!(first.join().unwrap().1["verdict"], "AC");
}

#[test]
fn piston_v2_shapes() {
    let server = Server::start(&[]);
    let (status, runtimes) = response(ureq::get(&server.url("/api/v2/runtimes")).call());
    assert_eq!(status, 200);
    assert!(runtimes.as_array().unwrap().iter().any(
        |r| r["language"] == "cpp" && r["aliases"].as_array().unwrap().contains(&json!("c++"))
    ));
    let (status, body) = server.post(
        "/api/v2/execute",
        &json!({"language": "python", "version": "*", "files": [{"content": "import sys\nprint(input(), sys.argv[1])\nsys.exit(3)"}], "stdin": "hi", "args": ["a"], "run_timeout": 3000}),
    );
    assert_eq!(status, 200);
    assert_eq!(body["run"]["stdout"], "hi a\n");
    assert_eq!(body["run"]["output"], "hi a\n");
    assert_eq!(body["run"]["code"], 3);
    assert_eq!(body["run"]["signal"], Value::Null);
    assert!(body["run"]["cpu_time"].as_u64().is_some(), "{body}");
    assert!(body["run"]["memory"].as_u64().unwrap() > 0, "{body}");
    assert_eq!(body["language"], "python");
    let (_, body) = server.post(
        "/api/v2/execute",
        &json!({"language": "c", "version": "*", "files": [{"name": "a.c", "content": "int main( {"}]}),
    );
    assert!(
        body["compile"]["stderr"]
            .as_str()
            .unwrap()
            .contains("error"),
        "{body}"
    );
    assert!(body.get("run").is_none(), "{body}");
}

pub type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

pub fn next_message(socket: &mut Socket) -> Value {
    loop {
        if let tungstenite::Message::Text(t) = socket.read().unwrap() {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

#[test]
fn interactive_session_over_websocket() {
    let server = Server::start(&[]);
    let (status, body) = server.post(
        "/session",
        &json!({"language": "python", "code": "name = input('name? ')\nprint('hello', name)\n"}),
    );
    assert_eq!(status, 200);
    let id = body["sessionId"].as_str().unwrap();
    let ws_url = format!("{}/ws/session/{id}", server.base.replacen("http", "ws", 1));
    let (mut socket, _) = tungstenite::connect(&ws_url).unwrap();
    assert_eq!(
        next_message(&mut socket),
        json!({"type": "state", "state": "waiting"})
    );
    assert_eq!(
        next_message(&mut socket),
        json!({"type": "state", "state": "running"})
    );
    assert_eq!(
        next_message(&mut socket),
        json!({"type": "stdout", "data": "name? "}),
        "the prompt must arrive before any input"
    );
    socket
        .send(tungstenite::Message::Text(
            json!({"type": "input", "data": "Ada\n"}).to_string().into(),
        ))
        .unwrap();
    let mut rest = Vec::new();
    loop {
        match socket.read() {
            Ok(tungstenite::Message::Text(t)) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                let done = v["type"] == "state";
                rest.push(v);
                if done {
                    break;
                }
            }
            Ok(_) => continue,
            Err(e) => panic!("socket closed early: {e}; got {rest:?}"),
        }
    }
    let stdout: String = rest
        .iter()
        .filter(|m| m["type"] == "stdout")
        .map(|m| m["data"].as_str().unwrap())
        .collect();
    assert_eq!(stdout, "hello Ada\n");
    let last = rest.last().unwrap();
    assert_eq!(last["state"], "finished");
    assert_eq!(last["exitCode"], 0);
    // The kernel's CPU time and peak memory of the session's sandbox.
    assert!(last["cpuMs"].as_u64().is_some_and(|ms| ms > 0), "{last}");
    assert!(
        last["memoryBytes"]
            .as_u64()
            .is_some_and(|b| b > 1 << 20 && b < 256 << 20),
        "{last}"
    );
    assert!(last["wallMs"].as_u64().is_some(), "{last}");
    // A session id works once.
    assert!(tungstenite::connect(&ws_url).is_err());
}

#[test]
fn sigterm_lets_a_run_in_flight_finish_then_exits_0() {
    let mut server = Server::start(&[]);
    let url = server.url("/execute");
    let in_flight = std::thread::spawn(move || {
        response(ureq::post(&url).send_json(
            json!({"language": "python", "code": "import time\ntime.sleep(2)\nprint('done')"}),
        ))
    });
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(server.stop(), 0);
    let (status, body) = in_flight.join().unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["stdout"], "done\n");
}

#[test]
fn the_page_and_openapi_are_served() {
    let server = Server::start(&[]);
    let page = ureq::get(&server.url("/"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(page.contains("<title>codecage</title>") && page.contains("/ws/session/"));
    let (status, doc) = response(ureq::get(&server.url("/openapi.json")).call());
    assert_eq!(status, 200);
    for path in [
        "/execute",
        "/session",
        "/ws/session/{id}",
        "/api/v2/execute",
        "/languages",
        "/health",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from openapi.json"
        );
    }
    server.post(
        "/execute",
        &json!({"language": "python", "code": "print(1)"}),
    );
    let metrics = ureq::get(&server.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(
        metrics.contains("codecage_executions_total{language=\"python\",verdict=\"AC\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("codecage_execution_seconds_count 1"),
        "{metrics}"
    );
}

#[test]
fn a_foreign_origin_cannot_open_a_session() {
    let server = Server::start(&[]);
    let (_, body) = server.post(
        "/session",
        &json!({"language": "python", "code": "print(1)"}),
    );
    let id = body["sessionId"].as_str().unwrap();
    let ws_url = format!("{}/ws/session/{id}", server.base.replacen("http", "ws", 1));
    let mut request =
        tungstenite::client::IntoClientRequest::into_client_request(ws_url.as_str()).unwrap();
    request
        .headers_mut()
        .insert("Origin", "http://evil.example".parse().unwrap());
    match tungstenite::connect(request) {
        Err(tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
}

/// A headless Chromium driven over the DevTools protocol, with one page open (the HTML report's
/// test drives it too).
pub struct Browser {
    cdp: Socket,
    id: u64,
    /// Events that arrived while waiting for a reply.
    pub events: Vec<Value>,
    _chromium: KillOnDrop,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn start() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut chromium = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            // Chromium's own temporary directories go with the profile.
            .env("TMPDIR", profile.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium is needed for the page test (apt-get install chromium)");
        let mut stderr = BufReader::new(chromium.stderr.take().unwrap());
        let chromium = KillOnDrop(chromium);
        let mut port = None;
        for _ in 0..200 {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if let Some(rest) = line
                .trim()
                .strip_prefix("DevTools listening on ws://127.0.0.1:")
            {
                port = rest.split('/').next().map(str::to_string);
                break;
            }
        }
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let port = port.expect("chromium did not print its DevTools address");
        let targets: Value = ureq::get(&format!("http://127.0.0.1:{port}/json/list"))
            .call()
            .unwrap()
            .into_json()
            .unwrap();
        let page = targets
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("a page target");
        let (cdp, _) =
            tungstenite::connect(page["webSocketDebuggerUrl"].as_str().unwrap()).unwrap();
        Browser {
            cdp,
            id: 0,
            events: Vec::new(),
            _chromium: chromium,
            _profile: profile,
        }
    }

    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let id = self.id;
        let message = json!({"id": id, "method": method, "params": params}).to_string();
        self.cdp
            .send(tungstenite::Message::Text(message.into()))
            .unwrap();
        loop {
            if let tungstenite::Message::Text(t) = self.cdp.read().unwrap() {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["id"] == id {
                    return v;
                } else if v.get("method").is_some() {
                    self.events.push(v);
                }
            }
        }
    }

    /// The next event named `method` (page events need `Page.enable` first).
    pub fn event(&mut self, method: &str) -> Value {
        if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
            return self.events.remove(i);
        }
        loop {
            if let tungstenite::Message::Text(t) = self.cdp.read().unwrap() {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["method"] == method {
                    return v;
                }
            }
        }
    }

    /// Press and release a key in the focused element (`modifiers`: 2 is Ctrl).
    fn key(&mut self, key: &str, code: i64, modifiers: i64) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "modifiers": modifiers}),
            );
        }
    }

    /// Evaluate `script` (awaiting a promise) and return its string value, or panic with the error.
    pub fn eval(&mut self, script: &str) -> String {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": script, "awaitPromise": true, "returnByValue": true}),
        );
        result["result"]["result"]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("page script failed: {result}"))
            .to_string()
    }
}

/// The web page, end to end in a real headless Chromium driven over the DevTools protocol: load
/// the page, run the interactive Python sample on a TTY in the xterm.js terminal, type an answer,
/// see the reply in colour.
#[test]
fn the_page_runs_an_interactive_program_in_headless_chromium() {
    let server = Server::start(&[]);
    let mut browser = Browser::start();
    browser.call("Page.navigate", json!({"url": server.url("/")}));
    let script = r#"(async () => {
        const $ = (s) => document.querySelector(s);
        const screen = () => {
            const b = window.term.buffer.active;
            let text = '';
            for (let i = 0; i < b.length; i++) text += b.getLine(i).translateToString(true) + '\n';
            return text.trim();
        };
        const wait = async (f, what) => {
            const t = Date.now();
            while (!f()) {
                if (Date.now() - t > 60000) throw new Error('timed out waiting for ' + what + '; screen: ' + screen() + '; status: ' + $('#status').textContent);
                await new Promise(r => setTimeout(r, 50));
            }
        };
        await wait(() => document.readyState === 'complete' && $('#lang').options.length > 0 && $('#code').value, 'languages');
        $('#run').click();
        await wait(() => screen().includes('What is your name?'), 'the prompt');
        window.term.input('Ada\r', true);
        await wait(() => $('#status').textContent.startsWith('finished'), 'the end');
        await wait(() => screen().includes('Hello, Ada!'), 'the reply');
        const spans = [...document.querySelectorAll('.xterm-rows span')];
        const green = spans.some(s => s.textContent.includes('Hello, Ada!') && /xterm-fg-2\b/.test(s.className));
        return screen() + '|' + $('#status').textContent + '|green=' + green;
    })()"#;
    let text = browser.eval(script);
    assert_eq!(
        text,
        "What is your name? Ada\nHello, Ada!|finished (exit 0) AC|green=true"
    );
}

/// The page's batch mode in a real headless Chromium: pick Python, put a program that reads stdin
/// into the CodeMirror editor (highlighted), fill stdin, run with Ctrl-Enter from the keyboard,
/// read stdout, the verdict, CPU time and memory and the limits; a C compile error shows as such;
/// a share link restores language, code and stdin on a fresh load.
#[test]
fn the_page_runs_a_batch_program_from_the_editor_and_shares_it_in_headless_chromium() {
    let server = Server::start(&["--max-time", "5s"]);
    let mut browser = Browser::start();
    browser.call("Page.navigate", json!({"url": server.url("/")}));
    let helpers = r#"
        const $ = (s) => document.querySelector(s);
        const wait = async (f, what) => {
            const t = Date.now();
            while (!f()) {
                if (Date.now() - t > 60000) throw new Error('timed out waiting for ' + what + '; status: ' + $('#statusline').textContent);
                await new Promise(r => setTimeout(r, 50));
            }
        };
        const finished = () => !$('#run').disabled && $('#metrics').textContent !== '';
    "#;
    let code = "def main():\n    name = input()\n    print(f'hi {name}')\n\nmain()\n";
    let setup = format!(
        r#"(async () => {{ {helpers}
        await wait(() => document.readyState === 'complete' && window.editor && $('#lang').options.length > 0, 'languages');
        $('#lang').value = 'python';
        $('#lang').dispatchEvent(new Event('change'));
        $('#mode-batch').click();
        window.editor.setValue({code});
        $('#stdin').value = 'Ada\n';
        await wait(() => document.querySelector('.CodeMirror .cm-keyword'), 'highlighting');
        const keywords = [...document.querySelectorAll('.CodeMirror .cm-keyword')].map(e => e.textContent);
        window.editor.focus();
        return 'keywords=' + keywords.join(',') + '|batch=' + !$('#batch-panel').hidden + '|indent=' + window.editor.getOption('indentUnit');
    }})()"#,
        code = serde_json::to_string(code).unwrap()
    );
    assert_eq!(browser.eval(&setup), "keywords=def|batch=true|indent=4");
    // Ctrl-Enter, typed into the focused editor.
    browser.key("Enter", 13, 2);
    let result = browser.eval(&format!(
        r#"(async () => {{ {helpers}
        await wait(() => $('#run').disabled || finished(), 'the run to start');
        await wait(finished, 'the status line');
        return [$('#status').textContent, $('#metrics').textContent, $('#stdout-out').textContent, $('#limits').textContent, window.editor.getValue()].join('|');
    }})()"#
    ));
    let parts: Vec<&str> = result.split('|').collect();
    assert!(parts[0].starts_with("AC · accepted · exit 0"), "{result}");
    assert!(
        regex_like(parts[1], "CPU ", " ms") && parts[1].contains("MiB"),
        "CPU time and memory are shown: {result}"
    );
    assert_eq!(parts[2], "hi Ada\n", "{result}");
    assert!(parts[3].starts_with("Limits: wall 5 s"), "{result}");
    assert_eq!(parts[4], code, "Ctrl-Enter runs without typing a newline");

    // Desktop and phone layouts: no horizontal scrolling; screenshots kept as test artefacts.
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, width, height) in [
        ("desktop", 1280, 900),
        ("phone", 390, 844),
        ("phone-dark", 390, 844),
    ] {
        let scheme = if name.ends_with("dark") {
            "dark"
        } else {
            "light"
        };
        browser.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        );
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": name != "desktop"}),
        );
        let widths = browser.eval(&format!(
            r#"(async () => {{ {helpers}
            await wait(() => innerWidth === {width}, 'the new width');
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            return document.documentElement.scrollWidth + ' <= ' + innerWidth;
        }})()"#
        ));
        let (scroll, inner) = widths.split_once(" <= ").unwrap();
        assert!(
            scroll.parse::<u32>().unwrap() <= inner.parse::<u32>().unwrap(),
            "{name}: horizontal scroll {widths}"
        );
        let shot = browser.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            shot["result"]["data"].as_str().unwrap(),
        )
        .unwrap();
        std::fs::write(shots.join(format!("{name}.png")), png).unwrap();
    }
    browser.call("Emulation.clearDeviceMetricsOverride", json!({}));

    // A compile error is shown as such.
    let compile = browser.eval(&format!(
        r#"(async () => {{ {helpers}
        $('#lang').value = 'c';
        $('#lang').dispatchEvent(new Event('change'));
        window.editor.setValue('int main(void) {{ return x; }}\n');
        $('#metrics').textContent = '';
        $('#run').click();
        await wait(finished, 'the compile error');
        return $('#status').textContent + '|' + !$('#compile-box').hidden + '|' + $('#compile-out').textContent;
    }})()"#
    ));
    assert!(compile.starts_with("CE · compile error|true|"), "{compile}");
    assert!(compile.contains("undeclared"), "{compile}");

    // A program past its time limit: TLE, and the status line says which limit.
    let tle = browser.eval(&format!(
        r#"(async () => {{ {helpers}
        $('#lang').value = 'python';
        $('#lang').dispatchEvent(new Event('change'));
        window.editor.setValue('while True:\n    pass\n');
        $('#metrics').textContent = '';
        $('#run').click();
        await wait(finished, 'the time limit');
        return $('#status').textContent;
    }})()"#
    ));
    assert!(tle.starts_with("TLE · time limit exceeded"), "{tle}");
    assert!(tle.contains("time limit hit"), "{tle}");

    // Stop ends a batch run (the request is aborted) and an interactive session (the socket closes).
    let stopped = browser.eval(&format!(
        r#"(async () => {{ {helpers}
        const stop = async (what) => {{
            $('#run').click();
            await wait(() => $('#run').disabled, what + ' to start');
            if (what === 'the session') await wait(() => $('#status').textContent === 'running', 'the session to run');
            $('#stop').click();
            await wait(() => !$('#run').disabled, what + ' to stop');
            return $('#status').textContent;
        }};
        window.editor.setValue('import time\ntime.sleep(30)\n');
        const batch = await stop('the batch run');
        $('#mode-term').click();
        window.editor.setValue('input()\n');
        const session = await stop('the session');
        $('#mode-batch').click();
        return batch + '|' + session;
    }})()"#
    ));
    assert_eq!(stopped, "stopped|stopped");

    // Each language's indentation: tabs for Go, two spaces for Ruby.
    let indents = browser.eval(
        r#"(() => {
        const out = [];
        for (const l of ['go', 'ruby', 'python']) {
            const lang = document.querySelector('#lang');
            lang.value = l;
            lang.dispatchEvent(new Event('change'));
            out.push(l + ':' + window.editor.getOption('indentUnit') + (window.editor.getOption('indentWithTabs') ? 'tab' : 'sp'));
        }
        return out.join(' ');
    })()"#,
    );
    assert_eq!(indents, "go:4tab ruby:2sp python:4sp");

    // Typing Go: Enter indents with a tab, so does Tab; Esc leaves the editor for Run.
    browser.eval(
        r#"(() => {
        const lang = document.querySelector('#lang');
        lang.value = 'go';
        lang.dispatchEvent(new Event('change'));
        window.editor.setValue('');
        window.editor.focus();
        return '';
    })()"#,
    );
    browser.call("Input.insertText", json!({"text": "func main() {"}));
    browser.key("Enter", 13, 0);
    browser.call("Input.insertText", json!({"text": "x"}));
    browser.key("Enter", 13, 0);
    browser.key("Tab", 9, 0);
    browser.call("Input.insertText", json!({"text": "y"}));
    browser.key("Escape", 27, 0);
    let typed =
        browser.eval("JSON.stringify([window.editor.getValue(), document.activeElement.id])");
    assert_eq!(typed, r#"["func main() {\n\tx\n\t\ty","run"]"#);

    // Every control has a name for screen readers; the status line is live.
    let unlabelled = browser.eval(
        r#"JSON.stringify([...document.querySelectorAll('button, input, select, textarea')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
            .map(e => e.outerHTML)) + '|' + document.querySelector('#statusline').getAttribute('aria-live')"#,
    );
    assert_eq!(unlabelled, "[]|polite");

    // The share link carries language, code and stdin; a fresh load restores them.
    let link = browser.eval(&format!(
        r#"(async () => {{ {helpers}
        $('#lang').value = 'python';
        $('#lang').dispatchEvent(new Event('change'));
        window.editor.setValue({code});
        $('#share').click();
        await wait(() => $('#share-url').value, 'the link');
        return $('#share-url').value;
    }})()"#,
        code = serde_json::to_string(code).unwrap()
    ));
    assert!(link.starts_with(&server.url("/#")), "{link}");
    browser.call("Page.navigate", json!({"url": "about:blank"}));
    browser.call("Page.navigate", json!({"url": link}));
    let restored = browser.eval(&format!(
        r#"(async () => {{ {helpers}
        await wait(() => document.readyState === 'complete' && window.editor && $('#lang').options.length > 0 && window.editor.getValue(), 'the restored code');
        return JSON.stringify([$('#lang').value, window.editor.getValue(), $('#stdin').value, !$('#batch-panel').hidden]);
    }})()"#
    ));
    assert_eq!(
        serde_json::from_str::<Value>(&restored).unwrap(),
        json!(["python", code, "Ada\n", true])
    );
}

/// The page on a server with a token: it asks for the token once (a prompt), keeps it in the tab's
/// session storage only, and runs with it.
#[test]
fn the_page_asks_for_the_token_once_in_headless_chromium() {
    let server = Server::start(&["--token", "s3cret"]);
    let mut browser = Browser::start();
    browser.call("Page.enable", json!({}));
    browser.call("Page.navigate", json!({"url": server.url("/")}));
    let dialog = browser.event("Page.javascriptDialogOpening");
    assert_eq!(dialog["params"]["type"], "prompt", "{dialog}");
    browser.call(
        "Page.handleJavaScriptDialog",
        json!({"accept": true, "promptText": "s3cret"}),
    );
    let result = browser.eval(
        r#"(async () => {
        const $ = (s) => document.querySelector(s);
        const wait = async (f, what) => {
            const t = Date.now();
            while (!f()) {
                if (Date.now() - t > 60000) throw new Error('timed out waiting for ' + what + '; status: ' + $('#statusline').textContent);
                await new Promise(r => setTimeout(r, 50));
            }
        };
        await wait(() => $('#lang').options.length > 0 && window.editor.getValue(), 'languages');
        $('#mode-batch').click();
        window.editor.setValue('print(6 * 7)\n');
        $('#run').click();
        await wait(() => !$('#run').disabled && $('#metrics').textContent, 'the run');
        return [$('#status').textContent, $('#stdout-out').textContent, sessionStorage.getItem('codecage-token'), localStorage.getItem('codecage-token')].join('|');
    })()"#,
    );
    assert_eq!(result, "AC · accepted · exit 0|42\n|s3cret|");
}

/// The page opened with `?token=` (as a link an operator hands out): it runs with the token, the
/// address bar drops it, and the Share link never carries it.
#[test]
fn the_page_never_puts_the_token_in_a_share_link_in_headless_chromium() {
    let server = Server::start(&["--token", "s3cret"]);
    let mut browser = Browser::start();
    browser.call(
        "Page.navigate",
        json!({"url": server.url("/?lang=x&token=s3cret")}),
    );
    let result = browser.eval(
        r#"(async () => {
        const $ = (s) => document.querySelector(s);
        const wait = async (f, what) => {
            const t = Date.now();
            while (!f()) {
                if (Date.now() - t > 60000) throw new Error('timed out waiting for ' + what + '; status: ' + $('#statusline').textContent);
                await new Promise(r => setTimeout(r, 50));
            }
        };
        await wait(() => document.readyState === 'complete' && $('#lang').options.length > 0 && window.editor.getValue(), 'languages');
        $('#share').click();
        await wait(() => $('#share-url').value, 'the link');
        return JSON.stringify([$('#share-url').value, location.href]);
    })()"#,
    );
    let [link, address]: [String; 2] = serde_json::from_str(&result).unwrap();
    for url in [&link, &address] {
        assert!(!url.contains("s3cret") && !url.contains("token"), "{url}");
        assert!(url.starts_with(&server.url("/?lang=x#")), "{url}");
    }
}

/// `text` has `before`, then digits, then `after`.
fn regex_like(text: &str, before: &str, after: &str) -> bool {
    text.split(before).skip(1).any(|rest| {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with(after)
    })
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_session_that_never_connects_is_reaped() {
    let server = Server::start(&["--session-connect", "1s"]);
    let (_, body) = server.post(
        "/session",
        &json!({"language": "python", "code": "print(1)"}),
    );
    let id = body["sessionId"].as_str().unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let ws_url = format!("{}/ws/session/{id}", server.base.replacen("http", "ws", 1));
    match tungstenite::connect(ws_url.as_str()) {
        Err(tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 404),
        other => panic!("expected 404, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn serve_settings_come_from_flags_then_the_config_file() {
    let config = "serve:\n  max_time: 2s\n  max_output: 4KiB\n";
    let hello = json!({"language": "python", "code": "print(1)"});
    let server = Server::start_with_config(&[], Some(config));
    let (_, body) = server.post("/execute", &hello);
    assert_eq!(body["limits"]["time_ms"], 2000);
    assert_eq!(body["limits"]["output_bytes"], 4096);
    let server = Server::start_with_config(&["--max-time", "3s"], Some(config));
    let (_, body) = server.post("/execute", &hello);
    assert_eq!(body["limits"]["time_ms"], 3000);
    assert_eq!(body["limits"]["output_bytes"], 4096);
}

#[test]
fn pooled_sandboxes_are_fresh_hardened_and_used_once() {
    let server = Server::start(&["--pool", "1"]);
    let probe = "import os, socket\n\
        seen = sorted(os.listdir('/work')) + sorted(os.listdir('/tmp'))\n\
        procs = sorted(open(f'/proc/{p}/cmdline').read().replace(chr(0), '_') for p in os.listdir('/proc') if p.isdigit())\n\
        status = dict(l.split(':', 1) for l in open('/proc/self/status').read().splitlines())\n\
        print(socket.gethostname(), seen, procs, status['CapEff'].strip(), status['NoNewPrivs'].strip())\n\
        open('/work/leftover', 'w').write('x')\n\
        open('/tmp/leftover', 'w').write('x')\n\
        os.system('sleep 300 &')\n";
    let mut hosts = Vec::new();
    for _ in 0..4 {
        let (_, body) = server.post("/execute", &json!({"language": "python", "code": probe}));
        assert_eq!(body["verdict"], "AC", "{body}");
        let out = body["stdout"].as_str().unwrap().to_string();
        assert!(
            out.contains(" ['main.py'] "),
            "a previous run's files are visible: {out}"
        );
        assert!(
            !out.contains("sleep_300"),
            "a previous run's process is visible: {out}"
        );
        assert!(
            out.trim_end().ends_with("0000000000000000 1"),
            "not hardened: {out}"
        );
        hosts.push(out.split_whitespace().next().unwrap().to_string());
        assert_eq!(body["limits"]["time_ms"], 30_000);
        std::thread::sleep(Duration::from_millis(600));
    }
    hosts.sort();
    hosts.dedup();
    assert_eq!(hosts.len(), 4, "a container was used twice");
    // A request with its own limits gets a sandbox made for them, never a pooled one changed.
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print(1)", "limits": {"time_limit": "1s"}}),
    );
    assert_eq!(body["limits"]["time_ms"], 1000);
    let metrics = ureq::get(&server.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let hits: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("codecage_pool_hits_total "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(hits >= 3, "the pool was not used: {metrics}");
}

/// The warm pool keeps judge boxes, whose launcher reports the exit (no wait for the engine's
/// own report). A box the engine kills while the program runs leaves a result that cannot be
/// trusted: the program runs again in a container of its own, and only that run's output is the
/// answer (the box's partial `start` is not in it twice).
#[test]
fn a_pooled_box_that_dies_mid_run_runs_the_program_again_in_a_container() {
    let server = Server::start(&["--pool", "1"]);
    // The first request of a kind fills the pool for the next.
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": "print(1)"}),
    );
    assert_eq!(body["stdout"], "1\n", "{body}");
    let start = Instant::now();
    // Filled, and the first request's own container gone.
    while server.metric("codecage_pool_ready") == 0
        || crate::harness::containers_with_tag(&server.tag).len() != 1
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the pool never filled"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let warm = crate::harness::containers_with_tag(&server.tag);
    assert_eq!(warm.len(), 1, "one warm box: {warm:?}");
    let code = "import time\nprint('start', flush=True)\ntime.sleep(2)\nprint('done')\n";
    let request = std::thread::spawn({
        let url = server.url("/execute");
        move || response(ureq::post(&url).send_json(json!({"language": "python", "code": code})))
    });
    std::thread::sleep(Duration::from_millis(1000));
    let killed = crate::harness::docker_cli()
        .args(["kill", &warm[0]])
        .output()
        .expect("docker kill");
    assert!(killed.status.success(), "{killed:?}");
    let (status, body) = request.join().unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["verdict"], "AC", "{body}");
    assert_eq!(body["stdout"], "start\ndone\n", "{body}");
    assert_eq!(server.metric("codecage_pool_hits_total"), 1);
    drop(server);
}

/// Where a request's time went is in its log line: a cold run's start, stdio and the wait for
/// the engine's exit report; a pooled one's case and program, with no engine step on its path.
#[test]
fn the_request_log_says_where_each_runs_time_went() {
    let server = Server::start(&["--pool", "1"]);
    let hello = json!({"language": "python", "code": "print(1)"});
    let (_, body) = server.post("/execute", &hello);
    assert_eq!(body["stdout"], "1\n", "{body}");
    server.wait_for_the_pool();
    let (_, body) = server.post("/execute", &hello);
    assert_eq!(body["stdout"], "1\n", "{body}");
    let start = Instant::now();
    let runs = loop {
        let runs: Vec<Value> = server
            .request_log()
            .into_iter()
            .filter(|l| l["path"] == "/execute")
            .collect();
        if runs.len() == 2 || start.elapsed() > Duration::from_secs(10) {
            break runs;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(runs.len(), 2, "{runs:?}");
    let steps = |line: &Value| {
        let mut names: Vec<String> = line["spans"]
            .as_object()
            .unwrap_or_else(|| panic!("no spans: {line}"))
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };
    let mut cold = vec![
        "accounting",
        "admission",
        "plan",
        "pool take",
        "prepare",
        "start",
        "stdio",
        "wait",
    ];
    cold.sort();
    assert_eq!(steps(&runs[0]), cold, "{}", runs[0]);
    let mut pooled = vec![
        "admission",
        "case prepared",
        "plan",
        "pool take",
        "prepare",
        "program",
    ];
    pooled.sort();
    assert_eq!(steps(&runs[1]), pooled, "{}", runs[1]);
    // Each step is part of the request: none longer than the whole.
    for run in &runs {
        let total = run["ms"].as_f64().unwrap();
        for (name, ms) in run["spans"].as_object().unwrap() {
            let ms = ms.as_f64().unwrap();
            assert!(
                (0.0..=total + 1.0).contains(&ms),
                "{name} {ms} of {total}: {run}"
            );
        }
    }
}

/// A pooled box gets the program's files as the case's own, which its launcher lets go of before
/// the program starts: they are not charged to the program's memory (they were, as the box's
/// workspace: 30 MB against 17 MB for a 12 MiB file, an MLE where a container gave AC).
#[test]
fn a_pooled_runs_files_are_not_charged_to_its_memory() {
    let server = Server::start(&["--pool", "1", "--max-body", "32MiB"]);
    let request = json!({"language": "python", "files": [
        {"name": "main.py", "content": "import os\nprint(os.path.getsize('data.txt'))\n"},
        {"name": "data.txt", "content": "x".repeat(12 << 20)},
    ]});
    let mut peaks = Vec::new();
    for _ in 0..2 {
        let (status, body) = server.post("/execute", &request);
        assert_eq!(
            (status, body["stdout"].as_str()),
            (200, Some("12582912\n")),
            "{body}"
        );
        peaks.push(body["memory_bytes"].as_u64().expect("measured"));
        server.wait_for_the_pool();
    }
    assert_eq!(server.metric("codecage_pool_hits_total"), 1);
    // The first ran cold, the second in a pooled box: the same program, within 4 MiB.
    let (cold, pooled) = (peaks[0], peaks[1]);
    assert!(
        pooled < cold + (4 << 20),
        "pooled {pooled} against cold {cold}"
    );
}

/// Open a session for `code` (with extra fields in the create body) and connect to it.
pub fn open_session(server: &Server, mut body: Value, code: &str) -> Socket {
    body["code"] = json!(code);
    let (status, created) = server.post("/session", &body);
    assert_eq!(status, 200, "{created}");
    let id = created["sessionId"].as_str().unwrap();
    let url = format!("{}/ws/session/{id}", server.base.replacen("http", "ws", 1));
    tungstenite::connect(url.as_str()).unwrap().0
}

pub fn send(socket: &mut Socket, message: Value) {
    socket
        .send(tungstenite::Message::Text(message.to_string().into()))
        .unwrap();
}

/// Read messages until one satisfies `done`; returns everything read.
pub fn read_until(socket: &mut Socket, done: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let message = next_message(socket);
        let stop = done(&message);
        seen.push(message);
        if stop {
            return seen;
        }
    }
}

pub fn stdout_text(messages: &[Value]) -> String {
    messages
        .iter()
        .filter(|m| m["type"] == "stdout" && m.get("encoding").is_none())
        .map(|m| m["data"].as_str().unwrap())
        .collect()
}

#[test]
fn session_on_a_tty_with_resize_eof_and_signal() {
    let server = Server::start(&[]);
    let code = "import os, signal, sys\n\
        s = os.get_terminal_size()\n\
        print('tty', os.isatty(1), s.columns, s.lines, flush=True)\n\
        input()\n\
        s = os.get_terminal_size()\n\
        print('resized', s.columns, s.lines, flush=True)\n";
    let mut socket = open_session(
        &server,
        json!({"language": "python", "tty": true, "cols": 100, "rows": 30}),
        code,
    );
    let seen = read_until(&mut socket, |m| {
        stdout_text(std::slice::from_ref(m)).contains("tty")
    });
    assert!(stdout_text(&seen).contains("tty True 100 30"), "{seen:?}");
    send(
        &mut socket,
        json!({"type": "resize", "cols": 120, "rows": 40}),
    );
    std::thread::sleep(Duration::from_millis(300));
    send(&mut socket, json!({"type": "input", "data": "\r"}));
    let seen = read_until(&mut socket, |m| m["type"] == "state");
    assert!(stdout_text(&seen).contains("resized 120 40"), "{seen:?}");
    assert_eq!(seen.last().unwrap()["state"], "finished");

    // End of input: a program reading to EOF finishes.
    let mut socket = open_session(
        &server,
        json!({"language": "python"}),
        "import sys\nprint(len(sys.stdin.read().split()))\n",
    );
    send(&mut socket, json!({"type": "input", "data": "a b c\n"}));
    send(&mut socket, json!({"type": "eof"}));
    let seen = read_until(&mut socket, |m| {
        m["type"] == "state" && m["state"] != "waiting" && m["state"] != "running"
    });
    assert_eq!(stdout_text(&seen), "3\n");
    assert_eq!(seen.last().unwrap()["exitCode"], 0);

    // A signal reaches the program.
    let mut socket = open_session(
        &server,
        json!({"language": "python"}),
        "import time\ntry:\n    print('ready', flush=True)\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print('caught SIGINT')\n",
    );
    read_until(&mut socket, |m| {
        stdout_text(std::slice::from_ref(m)).contains("ready")
    });
    send(&mut socket, json!({"type": "signal", "signal": "SIGINT"}));
    let seen = read_until(&mut socket, |m| m["type"] == "state");
    assert_eq!(stdout_text(&seen), "caught SIGINT\n");
}

#[test]
fn session_output_is_binary_safe() {
    let server = Server::start(&[]);
    let code = "import sys\nsys.stdout.buffer.write(b'caf\\xc3')\nsys.stdout.buffer.flush()\n\
        import time\ntime.sleep(0.2)\nsys.stdout.buffer.write(b'\\xa9 \\xff\\xfe\\x00end')\n";
    let mut socket = open_session(&server, json!({"language": "python"}), code);
    let seen = read_until(&mut socket, |m| {
        m["type"] == "state" && m["state"] != "waiting" && m["state"] != "running"
    });
    let mut bytes = Vec::new();
    for m in seen.iter().filter(|m| m["type"] == "stdout") {
        let data = m["data"].as_str().unwrap();
        if m["encoding"] == "base64" {
            use base64::Engine;
            bytes.extend(
                base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .unwrap(),
            );
        } else {
            bytes.extend(data.as_bytes());
        }
    }
    assert_eq!(bytes, b"caf\xc3\xa9 \xff\xfe\x00end", "{seen:?}");
    assert!(
        seen.iter().any(|m| m["data"] == "caf"),
        "the split character was not held back: {seen:?}"
    );
}

#[test]
fn a_vanished_client_ends_its_run() {
    let server = Server::start(&[]);
    let mut socket = open_session(
        &server,
        json!({"language": "python"}),
        "import time\nprint('up', flush=True)\ntime.sleep(120)\n",
    );
    read_until(&mut socket, |m| {
        stdout_text(std::slice::from_ref(m)).contains("up")
    });
    drop(socket);
    // The container is killed and removed within a few seconds, while the server keeps running.
    assert_no_containers(&server.tag);
    let (status, _) = response(ureq::get(&server.url("/languages")).call());
    assert_eq!(status, 200);
}

/// POST `body` to /execute on a raw connection and return it unread: dropping it hangs up.
fn post_and_hold(server: &Server, body: &Value) -> std::net::TcpStream {
    use std::io::Write;
    let addr = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let body = body.to_string();
    write!(
        stream,
        "POST /execute HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    stream
}

#[test]
fn a_client_that_hangs_up_on_execute_stops_its_run_and_frees_its_slot() {
    let server = Server::start(&[
        "--max-concurrent",
        "1",
        "--queue",
        "1",
        "--pool",
        "0",
        "--max-time",
        "60s",
    ]);
    let spin =
        json!({"language": "python", "code": "while True: pass", "limits": {"time_limit": "50s"}});
    let held = post_and_hold(&server, &spin);
    let start = Instant::now();
    while crate::harness::containers_with_tag(&server.tag).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A second client waits in the queue, then hangs up too: its place in the queue is given back.
    let queued = post_and_hold(&server, &spin);
    std::thread::sleep(Duration::from_millis(500));
    drop(queued);
    drop(held);
    // Killed and removed now, not when the 50 s limit or the in-container backstop ends it.
    assert_no_containers(&server.tag);
    assert!(start.elapsed() < Duration::from_secs(30));
    // The slot and the queue are free again: two requests at once are one running, one queued.
    let url = server.url("/execute");
    let quick = json!({"language": "python", "code": "print(7)"});
    let other = std::thread::spawn({
        let (url, quick) = (url.clone(), quick.clone());
        move || response(ureq::post(&url).send_json(quick))
    });
    let (status, body) = response(ureq::post(&url).send_json(quick));
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("7\n")),
        "{body}"
    );
    let (status, body) = other.join().unwrap();
    assert_eq!(
        (status, body["stdout"].as_str()),
        (200, Some("7\n")),
        "{body}"
    );
}

#[test]
fn sessions_per_client_are_capped() {
    let server = Server::start(&["--sessions-per-token", "2"]);
    let body = json!({"language": "python", "code": "print(1)"});
    assert_eq!(server.post("/session", &body).0, 200);
    assert_eq!(server.post("/session", &body).0, 200);
    let (status, error) = server.post("/session", &body);
    assert_eq!(status, 429, "{error}");
    assert!(error["error"].as_str().unwrap().contains("at most 2"));
}

/// `codecage run --server URL` gives the exit statuses and streams of a local run.
#[test]
fn run_through_a_server_like_a_local_run() {
    let server = Server::start(&["--session-time", "2s"]);
    let remote = |files: &[(&str, &str)], args: &[&str], stdin: Option<&str>| {
        let mut test = crate::harness::Test::new();
        for (name, content) in files {
            test = test.file(name, content);
        }
        let mut test = test.args(["run", "--server", &server.base]).args(args);
        if let Some(input) = stdin {
            test = test.stdin(input);
        }
        test.run()
    };
    let out = remote(
        &[("sum.py", "import sys\nprint(sum(int(x) for x in sys.stdin))\nprint('err', file=sys.stderr)\nsys.exit(3)\n")],
        &["sum.py"],
        Some("1\n2\n3\n"),
    );
    assert_eq!(
        (out.status, out.stdout_str().as_str(), out.stderr.as_str()),
        (3, "6\n", "err\n")
    );
    let out = remote(
        &[("argv.py", "import sys\nprint(sys.argv[1:])\n")],
        &["argv.py", "--", "a", "b c"],
        None,
    );
    assert_eq!(
        (out.status, out.stdout_str().as_str()),
        (0, "['a', 'b c']\n")
    );
    let out = remote(
        &[("burn.py", "sum(range(3_000_000))\n")],
        &["-v", "burn.py"],
        None,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let usage = out
        .stderr
        .lines()
        .find(|l| l.starts_with("codecage: ran on the server: wall "))
        .unwrap_or_else(|| panic!("{}", out.stderr));
    assert!(!usage.contains("unknown"), "{usage}");
    let out = remote(
        &[("segv.py", "import os\nos.kill(os.getpid(), 11)\n")],
        &["segv.py"],
        None,
    );
    assert_eq!(out.status, 139);
    let out = remote(
        &[("spin.py", "while True:\n    pass\n")],
        &["spin.py"],
        None,
    );
    assert_eq!(out.status, 124);
    assert!(
        out.stderr.contains("codecage: time limit exceeded"),
        "{}",
        out.stderr
    );
    let out = remote(&[("mem.py", "x = bytearray(1 << 30)\n")], &["mem.py"], None);
    assert_eq!(out.status, 137);
    assert!(
        out.stderr.contains("codecage: memory limit exceeded"),
        "{}",
        out.stderr
    );
    let out = remote(
        &[("flood.py", "while True:\n    print('y' * 1000)\n")],
        &["flood.py"],
        None,
    );
    assert_eq!(out.status, 153);
    assert_eq!(out.stdout.len(), 1 << 20);
    let out = remote(&[("bad.c", "int main( {\n")], &["bad.c"], None);
    assert_eq!(out.status, 65);
    assert!(
        out.stderr.contains("bad.c:1") && out.stderr.ends_with("codecage: compilation failed\n"),
        "{}",
        out.stderr
    );
    let out = remote(
        &[
            ("main.py", "import util\nprint(util.x)\n"),
            ("util.py", "x = 'two files'\n"),
        ],
        &["main.py", "util.py"],
        None,
    );
    assert_eq!(out.stdout_str(), "two files\n");
}

#[test]
fn run_through_a_server_on_a_terminal() {
    let server = Server::start(&[]);
    let test = crate::harness::Test::new().file(
        "greet.py",
        "import os\nname = input('name? ')\nprint(f'hello {name}', os.get_terminal_size().columns)\n",
    );
    let t = crate::tty::Tmux::start(
        test,
        &format!("run --server {} greet.py", server.base),
        90,
        25,
    );
    t.wait_for("name?");
    t.keys(&["Ada", "Enter"]);
    assert_eq!(t.status(), 0);
    let screen = t.wait_for("hello Ada 90");
    assert_eq!(screen.matches("Ada").count(), 2, "{screen}");
    t.assert_terminal_restored();
}

#[test]
fn session_output_cap_ends_with_ole_and_a_silent_reader_stays_bounded() {
    let server = Server::start(&["--max-output", "256KiB"]);
    let rss = || -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    let before = rss();
    let mut socket = open_session(
        &server,
        json!({"language": "python"}),
        "while True:\n    print('y' * 1000)\n",
    );
    // Read nothing for a while: the program floods until its output cap.
    std::thread::sleep(Duration::from_secs(3));
    let during = rss();
    assert!(
        during < before + 16 * 1024,
        "server RSS grew from {before} KiB to {during} KiB for one silent 256 KiB session"
    );
    let seen = read_until(&mut socket, |m| {
        m["type"] == "state" && m["state"] == "terminated"
    });
    assert_eq!(seen.last().unwrap()["verdict"], "OLE");
    assert_eq!(stdout_text(&seen).len(), 256 * 1024);
}

#[test]
fn dependency_sets_only_when_the_operator_enables_them() {
    // A user profile overriding python with a small set, so the test installs one tiny package.
    let profiles = tempfile::tempdir().unwrap();
    let python = std::fs::read_to_string(crate::harness::repo_root().join("profiles/python.yaml"))
        .unwrap()
        .replace(
            "  sets:\n",
            &format!(
                "  sets:\n    tiny: \"six==1.16.0\\n# serve {}\\n\"\n",
                rand_suffix()
            ),
        );
    std::fs::write(profiles.path().join("python.yaml"), python).unwrap();
    let dir = profiles.path().to_str().unwrap().to_string();
    let mut server = Server::start(&["--profiles", &dir, "--deps-set", "python:tiny"]);
    let code = "import six\nprint(six.__version__)\n";
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": code, "dependencies": "tiny"}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stdout"], "1.16.0\n", "{body}");
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "code": code, "dependencies": "data"}),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"],
        "dependency set python:data is not enabled on this server (enabled: python:tiny)"
    );
    // A client's own manifest is just a file: nothing is installed from it.
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "files": [
            {"name": "main.py", "content": code},
            {"name": "requirements.txt", "content": "six\n"}]}),
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body["stderr"]
            .as_str()
            .unwrap()
            .contains("No module named 'six'"),
        "{body}"
    );
    let (_, languages) = response(ureq::get(&server.url("/languages")).call());
    let python = languages
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "python")
        .unwrap();
    assert_eq!(python["dependencySets"], json!(["tiny"]));
    assert_eq!(server.stop(), 0);
    // The derived images this test built.
    let out = Command::new("docker")
        .args([
            "images",
            "-q",
            "--filter",
            "label=codecage.deps.manifest=set python:tiny",
        ])
        .output()
        .unwrap();
    for id in String::from_utf8_lossy(&out.stdout).split_whitespace() {
        let _ = Command::new("docker").args(["rmi", "-f", id]).output();
    }
}

/// Regression: a long file name of multi-byte characters was cut inside a character and panicked
/// the handler; it is a 400 with a one-line JSON error like any other bad name.
#[test]
fn a_long_multibyte_file_name_gets_a_json_400() {
    let server = Server::start(&[]);
    let name = "€".repeat(342);
    let (status, body) = server.post(
        "/api/v2/execute",
        &json!({"language": "python", "version": "*", "files": [{"name": name, "content": "print(1)"}]}),
    );
    assert_eq!(status, 400, "{body}");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("longer than") && !error.contains('\n'),
        "{body}"
    );
}

#[test]
fn codecage_test_server_grades_on_a_standalone_server() {
    let server = Server::start(&[]);
    let out = crate::harness::Test::new()
        .file("sol.c", "#include <stdio.h>\nint main(void) { int a, b; scanf(\"%d %d\", &a, &b); printf(\"%d\\n\", a * b); }\n")
        .file("cases/1.in", "2 3\n")
        .file("cases/1.out", "6\n")
        .file("cases/2.in", "4 5\n")
        .file("cases/2.out", "21\n")
        .args(["test", "sol.c", "--cases", "cases", "--server", &server.base])
        .status(1);
    let table = out.stdout_str();
    assert!(table.contains("1/2 passed: WA"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("2 ") && l.contains(" WA ")),
        "{table}"
    );
}

#[test]
fn sessions_compile_with_run_compile_and_execute_with_compile() {
    let profiles = tempfile::tempdir().unwrap();
    let c = std::fs::read_to_string(crate::harness::repo_root().join("profiles/c.yaml")).unwrap();
    std::fs::write(
        profiles.path().join("c.yaml"),
        format!("{c}run_compile: [gcc, -DQUICK, -o, main, \"{{sources}}\"]\n"),
    )
    .unwrap();
    let server = Server::start(&["--profiles", profiles.path().to_str().unwrap()]);
    let which = "#include <stdio.h>\nint main(void) {\n#ifdef QUICK\n puts(\"quick\");\n#else\n puts(\"optimized\");\n#endif\n return 0; }\n";
    let (_, body) = server.post("/execute", &json!({"language": "c", "code": which}));
    assert_eq!(body["stdout"], "optimized\n", "{body}");
    // Someone at the keyboard: the quicker compile.
    let (status, body) = server.post("/session", &json!({"language": "c", "code": which}));
    assert_eq!(status, 200, "{body}");
    let id = body["sessionId"].as_str().unwrap();
    let ws_url = format!("{}/ws/session/{id}", server.base.replacen("http", "ws", 1));
    let (mut socket, _) = tungstenite::connect(&ws_url).unwrap();
    let mut stdout = String::new();
    loop {
        match socket.read() {
            Ok(tungstenite::Message::Text(t)) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["type"] == "stdout" {
                    stdout += v["data"].as_str().unwrap();
                }
                if v["type"] == "state" && v["state"] != "waiting" && v["state"] != "running" {
                    break;
                }
            }
            Ok(_) => continue,
            Err(e) => panic!("socket closed early: {e}; got {stdout:?}"),
        }
    }
    assert_eq!(stdout, "quick\n");
}
