//! The server's maxima hold on every path a client can reach (issue #31): a case's own limits in
//! `POST /grade`, the warm pool's size, and compile output.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::serve::Server;

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A `/grade` body: one Python file, the submission's limits as `codecage test` plans them
/// (2 s of CPU time, 256 MiB), and `cases`.
fn grade_body(code: &str, cases: Vec<Value>) -> Value {
    json!({
        "solution": "sol.py",
        "language": "python",
        "files": [{"name": "sol.py", "data": b64(code)}],
        "limits": {
            "time": {"secs": 5, "nanos": 0},
            "cpu_time": {"secs": 2, "nanos": 0},
            "memory": 256u64 << 20,
            "cpus": 1.0,
            "pids": 64,
            "output": 1u64 << 20,
            "workspace": 64u64 << 20,
            "idle": null
        },
        "cases": cases,
        "compare": "Lines"
    })
}

fn case(name: &str, limits: Value) -> Value {
    json!({"name": name, "stdin": "", "stdout": b64("ok\n"), "limits": limits})
}

/// Regression for #31 item 1: a case asking for 4 GB, 60 s and 32768 pids got them (950 MB
/// allocated, AC) on a server whose maximum is 256 MiB.
#[test]
fn a_cases_own_limits_are_clamped_to_the_servers_maxima() {
    let server = Server::start(&["--max-memory", "256MiB"]);
    // 600 MiB touched: over the server's maximum, under what the case asks for.
    let hog = "b = bytearray(600 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('ok')\n";
    let big = json!({"memory": "4GB", "time": "60s", "pids": 32768});
    let (status, report) = server.post("/grade", &grade_body(hog, vec![case("big", big)]));
    assert_eq!(status, 200, "{report}");
    let verdict = &report["cases"][0]["verdict"];
    assert_eq!(
        verdict, "MLE",
        "a case's limits went past the maximum: {report}"
    );
    // Under the maximum, a case's own limit still applies.
    let small = json!({"memory": "32MiB"});
    let hog = "b = bytearray(100 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('ok')\n";
    let (_, report) = server.post("/grade", &grade_body(hog, vec![case("small", small)]));
    assert_eq!(report["cases"][0]["verdict"], "MLE", "{report}");
}

/// Nonsense per-case limits (the engine reads 0 as unlimited) are a 400 naming the case, and a
/// submission's own limits are clamped before anything is sized from them.
#[test]
fn invalid_case_limits_and_huge_durations_are_refused_or_clamped() {
    let server = Server::start(&["--max-time", "3s"]);
    for bad in [
        json!({"memory": "0"}),
        json!({"pids": 0}),
        json!({"cpus": 0.0}),
        json!({"time": "-1s"}),
    ] {
        let (status, body) = server.post(
            "/grade",
            &grade_body("print('ok')", vec![case("c1", bad.clone())]),
        );
        assert_eq!(status, 400, "{bad}: {body}");
        let error = body["error"].as_str().unwrap();
        assert!(error.contains("case \"c1\""), "{error}");
        assert!(!error.contains('\n'), "{error}");
    }
    // A memory limit below what a sandbox needs is no nonsense (issue #29: DMOJ sets 1 KiB to
    // expect MLE): the case runs and is judged by its peak.
    let (status, report) = server.post(
        "/grade",
        &grade_body("print('ok')", vec![case("c1", json!({"memory": "1KiB"}))]),
    );
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["cases"][0]["verdict"], "MLE", "{report}");
    // A wall limit no duration arithmetic survives unclamped.
    let mut body = grade_body("print('ok')", vec![case("c1", json!({}))]);
    body["limits"]["time"] = json!({"secs": u64::MAX, "nanos": 0});
    let start = Instant::now();
    let (status, report) = server.post("/grade", &body);
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["cases"][0]["verdict"], "AC", "{report}");
    assert!(start.elapsed() < Duration::from_secs(60));
}

/// Regression for #31 item 2: 40 requests with different `args` left 80 warm containers, a pool
/// per argv. Now the argv travels with the workspace: every request is served warm, each
/// gets exactly its own argv, and the server holds no more sandboxes than its pool size.
#[test]
fn the_pool_is_keyed_by_the_sandbox_not_the_request() {
    let server = Server::start(&["--pool", "2"]);
    let code = "import sys\nprint(repr(sys.argv[1:]))\n";
    // Quotes, spaces, a newline, shell syntax: all must arrive as written, none expanded.
    let tricky = [
        "it's",
        "a b",
        "line\nbreak",
        "$(touch /tmp/x)",
        "`id`",
        "*",
        "\\'\"",
        "",
    ];
    // The pool fills for a language after its first request.
    let (_, body) = server.post("/execute", &json!({"language": "python", "code": code}));
    assert_eq!(body["stdout"], "[]\n", "{body}");
    for i in 0..20 {
        // A warm sandbox is ready before each request, so each must be served from the pool
        // whatever its argv: one more hit each time.
        server.wait_for_the_pool();
        let hits = server.metric("codecage_pool_hits_total");
        let mut args = vec![format!("n{i}")];
        if i % 5 == 0 {
            args.extend(tricky.iter().map(|s| s.to_string()));
        }
        let (status, body) = server.post(
            "/execute",
            &json!({"language": "python", "code": code, "args": args}),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["verdict"], "AC", "{body}");
        let want = format!(
            "[{}]\n",
            args.iter()
                .map(|a| python_repr(a))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(body["stdout"], want.as_str(), "argv changed on the way");
        let now = server.metric("codecage_pool_hits_total");
        assert_eq!(now, hits + 1, "request {i} was not served warm");
        assert!(
            server.metric("codecage_pool_ready") <= 2,
            "more warm sandboxes than the pool's size after request {i}"
        );
    }
    // Once the last runs are removed, the server holds its pool and nothing else (before the
    // fix: one pool per argv, 80 containers for 40 requests).
    let start = Instant::now();
    loop {
        let held = crate::harness::containers_with_tag(&server.tag).len();
        if held <= 2 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{held} containers held for one language with --pool 2"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // The argv file is gone before the program starts, and no file of a client's can take its
    // place (its name has a backslash, which no workspace name may have).
    let (_, body) = server.post(
        "/execute",
        &json!({"language": "python", "files": [
            {"name": "main.py", "content": "import sys, os\nprint(sys.argv[1:], sorted(os.listdir('.')))\n"},
            {"name": ".codecage-argv", "content": "'touch' '/tmp/pwned'"},
        ], "args": ["x"]}),
    );
    assert_eq!(
        body["stdout"], "['x'] ['.codecage-argv', 'main.py']\n",
        "{body}"
    );
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python", "files": [
            {"name": "main.py", "content": "print(1)"},
            {"name": ".codecage\\argv", "content": "'id'"},
        ]}),
    );
    assert_eq!(status, 400, "{body}");
}

/// Python's repr of a str made of printable ASCII and newlines (what the test's argv holds).
fn python_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Requests with their own limits run cold and never add to the pool.
#[test]
fn requests_with_their_own_limits_do_not_grow_the_pool() {
    let server = Server::start(&["--pool", "1"]);
    for i in 0..12 {
        let (_, body) = server.post(
            "/execute",
            &json!({"language": "python", "code": "print(1)", "limits": {"memory": format!("{}MiB", 64 + i)}}),
        );
        assert_eq!(body["verdict"], "AC", "{body}");
    }
    std::thread::sleep(Duration::from_secs(2));
    let held = crate::harness::containers_with_tag(&server.tag).len();
    assert!(held <= 1, "{held} warm containers for one language");
}

/// Regression for #31 item 3: compile output had its own limit (the workspace + 16 MiB, ~80 MiB)
/// whatever `--max-output` said, and was held in memory and stored that big.
#[test]
fn compile_output_is_capped_at_the_servers_output_limit() {
    let server = Server::start(&["--max-output", "64KiB"]);
    let noisy: String = (0..3000)
        .map(|i| format!("#warning {i} {}\n", "w".repeat(200)))
        .collect::<String>()
        + "int main(void) { return 0; }\n";
    let (status, body) = server.post("/execute", &json!({"language": "c", "code": noisy}));
    assert_eq!(status, 200, "{body}");
    let compile = &body["compile"];
    assert_eq!(compile["verdict"], "CE", "{compile}");
    assert_eq!(compile["truncated"], true, "{compile}");
    let output = compile["output"].as_str().unwrap();
    assert!(
        output.len() <= 64 * 1024 + 200,
        "{} bytes of compile output",
        output.len()
    );
    assert!(
        output.contains("#warning 0 "),
        "the first diagnostics are kept"
    );
    assert!(
        output.ends_with("codecage: compiler output truncated at 64 KiB (the output limit)\n"),
        "{}",
        &output[output.len().saturating_sub(300)..]
    );
    // Under the cap, warnings pass and the program runs.
    let quiet = "#warning just one\nint main(void) { return 3; }\n";
    let (_, body) = server.post("/execute", &json!({"language": "c", "code": quiet}));
    assert_eq!(body["exit_code"], 3, "{body}");
    assert_eq!(body["compile"]["truncated"], false, "{body}");
}
