//! The Judge0 CE 1.13.1 API of `codecage serve`: raw HTTP for every endpoint and error status,
//! a restart with submissions queued and finished, the queue-full path, callbacks, and the
//! official Python SDK (judge0==0.0.8, installed from PyPI into a virtualenv) as a client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::harness::repo_root;
use crate::serve::{response, Server};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn get(server: &Server, path: &str) -> (u16, Value) {
    response(ureq::get(&server.url(path)).call())
}

fn post(server: &Server, path: &str, body: &Value) -> (u16, Value) {
    server.post(path, body)
}

/// Poll a submission until it has ended (status > 2).
fn finished(server: &Server, token: &str, query: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, body) = get(server, &format!("/judge0/submissions/{token}?{query}"));
        assert_eq!(status, 200, "{body}");
        if body["status"]["id"].as_u64().is_some_and(|id| id > 2) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "submission {token} never ended: {body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `POST /judge0/submissions?wait=true` with every field.
fn run(server: &Server, body: Value) -> Value {
    let (status, answer) = post(server, "/judge0/submissions?wait=true&fields=*", &body);
    assert_eq!(status, 201, "{answer}");
    answer
}

#[test]
fn info_endpoints_at_root_and_under_the_prefix() {
    let server = Server::start(&[]);
    // GET /languages at / stays CodeEngine's; Judge0's is under /judge0.
    let (_, codeengine) = get(&server, "/languages");
    assert!(codeengine[0].get("aliases").is_some(), "{codeengine}");
    let (status, languages) = get(&server, "/judge0/languages");
    assert_eq!(status, 200);
    let names: Vec<(u64, String)> = languages
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_u64().unwrap(),
                l["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(names.contains(&(71, "Python (3.13)".into())), "{names:?}");
    assert!(names.contains(&(54, "C++ (G++ 14)".into())));
    assert!(names.contains(&(62, "Java (OpenJDK 21)".into())));
    // Judge0's older C and C++ ids are listed (the SDK's judge0.CPP is 52), named for what runs
    // (`judge0_names_say_the_compiler_version_that_really_runs` asks the compiler).
    for (id, name) in [
        (48, "C (GCC 14, in place of GCC 7.4.0)"),
        (49, "C (GCC 14, in place of GCC 8.3.0)"),
        (52, "C++ (G++ 14, in place of GCC 7.4.0)"),
        (53, "C++ (G++ 14, in place of GCC 8.3.0)"),
    ] {
        assert!(names.contains(&(id, name.into())), "{id} {name}: {names:?}");
    }
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(names, sorted, "sorted by name, as Judge0 lists them");
    for prefix in ["", "/judge0"] {
        let (_, all) = get(&server, &format!("{prefix}/languages/all"));
        assert_eq!(all.as_array().unwrap().len(), names.len());
        assert_eq!(all[0]["is_archived"], false);
        let (status, cpp) = get(&server, &format!("{prefix}/languages/54"));
        assert_eq!(status, 200);
        assert_eq!(cpp["source_file"], "main.cpp");
        assert!(
            cpp["compile_cmd"].as_str().unwrap().starts_with("g++ "),
            "{cpp}"
        );
        assert_eq!(cpp["run_cmd"], "./main");
        let (status, body) = get(&server, &format!("{prefix}/languages/9999"));
        assert_eq!(status, 404);
        assert!(body["error"].is_string());
        let (_, statuses) = get(&server, &format!("{prefix}/statuses"));
        assert_eq!(statuses.as_array().unwrap().len(), 14);
        assert_eq!(
            statuses[6],
            json!({"id": 7, "description": "Runtime Error (SIGSEGV)"})
        );
        assert_eq!(
            statuses[12],
            json!({"id": 13, "description": "Internal Error"})
        );
        let (_, about) = get(&server, &format!("{prefix}/about"));
        assert_eq!(about["version"], "1.13.1");
        let (_, config) = get(&server, &format!("{prefix}/config_info"));
        assert_eq!(config.as_object().unwrap().len(), 39, "{config}");
        assert_eq!(config["max_wall_time_limit"], 30.0);
        assert_eq!(config["max_memory_limit"], 262144);
        assert_eq!(config["max_max_file_size"], 1024);
        assert_eq!(config["max_submission_batch_size"], 20);
        assert_eq!(config["allow_enable_network"], false);
        assert_eq!(
            config["allowed_languages_for_compile_options"],
            json!(["75", "50", "48", "49", "76", "54", "52", "53"])
        );
        let (_, system) = get(&server, &format!("{prefix}/system_info"));
        assert!(system["CPU(s)"].as_str().unwrap().parse::<u32>().unwrap() >= 1);
        let (_, workers) = get(&server, &format!("{prefix}/workers"));
        assert_eq!(workers[0]["available"], 10);
        assert_eq!(workers[0]["size"], 0);
    }
    let (_, doc) = get(&server, "/openapi.json");
    for path in [
        "/judge0/submissions",
        "/judge0/submissions/{token}",
        "/judge0/submissions/batch",
        "/judge0/config_info",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from openapi.json"
        );
    }
}

#[test]
fn a_submission_is_queued_judged_and_shown_with_judge0s_fields_and_types() {
    let server = Server::start(&["--judge0-admin-token", "adm1n"]);
    let admin_get = |path: &str| {
        response(
            ureq::get(&server.url(path))
                .set("X-Auth-User", "adm1n")
                .call(),
        )
    };
    let (status, created) = post(
        &server,
        "/judge0/submissions",
        &json!({"source_code": "print(input())", "language_id": "71", "stdin": "héllo"}),
    );
    assert_eq!(status, 201, "{created}");
    let token = created["token"].as_str().unwrap();
    assert_eq!(created.as_object().unwrap().len(), 1);
    assert!(uuid_v4(token), "{token}");
    let body = finished(&server, token, "");
    // The default fields, exactly.
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "compile_output",
            "memory",
            "message",
            "status",
            "stderr",
            "stdout",
            "time",
            "token"
        ]
    );
    assert_eq!(body["status"], json!({"id": 3, "description": "Accepted"}));
    assert_eq!(body["stdout"], "héllo\n");
    assert!(
        body["time"].as_str().unwrap().parse::<f64>().unwrap() > 0.0,
        "{body}"
    );
    assert!(
        body["memory"].as_u64().unwrap() > 100,
        "memory is in KB: {body}"
    );

    // Every field, and a chosen few; the same at /.
    let (_, all) = get(&server, &format!("/submissions/{token}?fields=*"));
    assert_eq!(all["language"], json!({"id": 71, "name": "Python (3.13)"}));
    assert_eq!(all["cpu_time_limit"], "5.0");
    assert_eq!(all["wall_time_limit"], "30.0");
    assert_eq!(all["memory_limit"], 262144);
    assert_eq!(all["exit_code"], 0);
    assert_eq!(all["exit_signal"], Value::Null);
    assert!(all["wall_time"].as_str().unwrap().contains('.'));
    for stamp in ["created_at", "finished_at"] {
        let text = all[stamp].as_str().unwrap();
        assert_eq!(text.len(), 24, "{text}");
        assert!(text.ends_with('Z') && text.as_bytes()[19] == b'.', "{text}");
    }
    let (_, some) = get(
        &server,
        &format!("/judge0/submissions/{token}?fields=stdout,exit_code"),
    );
    assert_eq!(some, json!({"stdout": "héllo\n", "exit_code": 0}));
    let (status, bad) = get(
        &server,
        &format!("/judge0/submissions/{token}?fields=stdout,nope"),
    );
    assert_eq!(status, 400);
    assert_eq!(bad["error"], "invalid fields: [nope]");
    let (status, _) = get(
        &server,
        "/judge0/submissions/00000000-0000-4000-8000-000000000000",
    );
    assert_eq!(status, 404);

    // Base64 out, in Ruby's shape (line breaks), and in with and without them.
    let (_, encoded) = get(
        &server,
        &format!("/judge0/submissions/{token}?base64_encoded=true"),
    );
    assert_eq!(encoded["stdout"], format!("{}\n", B64.encode("héllo\n")));
    let long = "x".repeat(100);
    let wrapped = B64
        .encode(format!("print('{long}')"))
        .as_bytes()
        .chunks(60)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect::<String>();
    let (status, answer) = post(
        &server,
        "/judge0/submissions?base64_encoded=true&wait=true",
        &json!({"source_code": wrapped, "language_id": 71, "stdin": B64.encode("")}),
    );
    assert_eq!(status, 201);
    let stdout = answer["stdout"].as_str().unwrap();
    assert!(
        stdout.lines().all(|l| l.len() <= 60) && stdout.ends_with('\n'),
        "{stdout}"
    );
    assert_eq!(
        B64.decode(stdout.replace('\n', "")).unwrap(),
        format!("{long}\n").as_bytes()
    );
    let (status, answer) = post(
        &server,
        "/judge0/submissions?base64_encoded=true&wait=true",
        &json!({"source_code": B64.encode("print('ok')"), "language_id": 71}),
    );
    assert_eq!(status, 201);
    assert_eq!(answer["stdout"], format!("{}\n", B64.encode("ok\n")));

    // Output that is not UTF-8: 400 without base64, the bytes with it. The wait=true answer is
    // Judge0's 201 with the token and the error, so the client can fetch it with base64.
    let (status, refused) = post(
        &server,
        "/judge0/submissions?wait=true",
        &json!({"source_code": "import sys; sys.stdout.buffer.write(b'\\xff\\x00A')", "language_id": 71}),
    );
    assert_eq!(status, 201, "{refused}");
    assert_eq!(
        refused["error"],
        "some attributes for this submission cannot be converted to UTF-8, use base64_encoded=true query parameter"
    );
    let first = refused["token"].as_str().unwrap();
    assert!(uuid_v4(first), "{refused}");
    let (status, fetched) = get(
        &server,
        &format!("/judge0/submissions/{first}?base64_encoded=true&fields=stdout,status_id"),
    );
    assert_eq!(status, 200);
    assert_eq!(fetched["stdout"], format!("{}\n", B64.encode(b"\xff\x00A")));
    assert_eq!(fetched["status_id"], 3);
    let (_, binary) = post(
        &server,
        "/judge0/submissions?wait=true&base64_encoded=true&fields=token,status",
        &json!({"source_code": B64.encode("import sys; sys.stdout.buffer.write(b'\\xff\\x00A')"), "language_id": 71}),
    );
    assert_eq!(binary["status"]["id"], 3, "{binary}");
    let token = binary["token"].as_str().unwrap();
    let (status, refused) = get(&server, &format!("/judge0/submissions/{token}"));
    assert_eq!(status, 400);
    assert!(refused["error"]
        .as_str()
        .unwrap()
        .contains("base64_encoded=true"));
    let (_, bytes) = get(
        &server,
        &format!("/judge0/submissions/{token}?base64_encoded=true"),
    );
    let decoded = B64
        .decode(bytes["stdout"].as_str().unwrap().replace('\n', ""))
        .unwrap();
    assert_eq!(decoded, b"\xff\x00A");

    // Delete: the answer is base64, then it is gone.
    let (status, deleted) = response(
        ureq::delete(&server.url(&format!("/judge0/submissions/{token}")))
            .set("X-Auth-User", "adm1n")
            .call(),
    );
    assert_eq!(status, 200, "{deleted}");
    assert_eq!(deleted["stdout"], format!("{}\n", B64.encode(b"\xff\x00A")));
    let (status, _) = get(&server, &format!("/judge0/submissions/{token}"));
    assert_eq!(status, 404);

    // The paged list: newest first, Judge0's meta. Four are left: héllo, the wrapped source,
    // "ok" and the refused binary one (whose output needs base64 here too).
    let (status, body) = admin_get("/judge0/submissions");
    assert_eq!(status, 400, "non-UTF-8 output without base64");
    assert_eq!(
        body["error"],
        "some attributes for one or more submissions cannot be converted to UTF-8, use base64_encoded=true query parameter"
    );
    let (status, page) = admin_get("/judge0/submissions?page=1&per_page=3&base64_encoded=true");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["submissions"].as_array().unwrap().len(), 3);
    assert_eq!(page["meta"]["total_count"], 4);
    assert_eq!(page["meta"]["total_pages"], 2);
    assert_eq!(page["meta"]["current_page"], 1);
    assert_eq!(page["meta"]["next_page"], 2);
    assert_eq!(page["meta"]["prev_page"], Value::Null);
    let (_, last) = admin_get("/judge0/submissions?page=2&per_page=3");
    assert_eq!(last["submissions"].as_array().unwrap().len(), 1);
    assert_eq!(
        last["submissions"][0]["stdout"], "héllo\n",
        "the oldest is last"
    );
    assert_eq!(last["meta"]["prev_page"], 1);
    assert_eq!(last["meta"]["next_page"], Value::Null);
    let (status, body) = admin_get("/judge0/submissions?page=0");
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid page: 0");
}

fn uuid_v4(token: &str) -> bool {
    let parts: Vec<&str> = token.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts[2].starts_with('4')
        && token.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// The compiler version a C or C++ program was built with, from the compiler's own macros:
/// "GCC 14.2.0" or "Clang 19.1.7".
const COMPILER_VERSION: &str = "#include <stdio.h>\nint main(void) {\n#ifdef __clang__\n  printf(\"Clang %d.%d.%d\", __clang_major__, __clang_minor__, __clang_patchlevel__);\n#else\n  printf(\"GCC %d.%d.%d\", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);\n#endif\n  return 0;\n}\n";

#[test]
fn judge0_names_say_the_compiler_version_that_really_runs() {
    // Every C and C++ id /languages lists (Judge0's older GCC ids too) is judged with a program
    // printing the version of the compiler that built it: the name's version must be that one.
    let server = Server::start(&[]);
    let (_, languages) = get(&server, "/judge0/languages");
    let compiled: Vec<(u64, String)> = languages
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_u64().unwrap(),
                l["name"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(_, name)| name.starts_with("C (") || name.starts_with("C++ ("))
        .collect();
    assert!(compiled.len() >= 8, "{compiled:?}");
    for (id, name) in compiled {
        let answer = run(
            &server,
            json!({"source_code": COMPILER_VERSION, "language_id": id}),
        );
        assert_eq!(answer["status"]["id"], 3, "{id} {name}: {answer}");
        let built_by = answer["stdout"].as_str().unwrap().to_string();
        let (compiler, version) = built_by.split_once(' ').unwrap();
        // What the name says runs: the parenthesis up to a comma; any other version it names
        // is said not to run ("GCC 14, in place of GCC 7.4.0").
        let inner = &name[name.find('(').unwrap() + 1..name.len() - 1];
        let (says, rest) = inner.split_once(", ").unwrap_or((inner, ""));
        assert!(
            rest.is_empty() || rest.starts_with("in place of "),
            "{id} {name:?}"
        );
        let (says_compiler, says_version) = says.rsplit_once(' ').unwrap();
        let family = if says_compiler == "G++" {
            "GCC"
        } else {
            says_compiler
        };
        assert_eq!(family, compiler, "{id} {name:?} is built by {built_by}");
        assert!(
            version == says_version || version.starts_with(&format!("{says_version}.")),
            "{id} {name:?} is built by {built_by}"
        );
    }
}

#[test]
fn statuses_follow_judge0s_rules() {
    let server = Server::start(&[]);
    let cases = [
        (
            json!({"source_code": "print(1)", "language_id": 71, "expected_output": "1  \n\n"}),
            3,
        ),
        (
            json!({"source_code": "print(2)", "language_id": 71, "expected_output": "1"}),
            4,
        ),
        (
            json!({"source_code": "while True: pass", "language_id": 71, "cpu_time_limit": 0.5, "cpu_extra_time": 0.2}),
            5,
        ),
        (json!({"source_code": "int main( {", "language_id": 50}), 6),
        (
            json!({"source_code": "int main(){volatile int*p=0;*p=1;}", "language_id": 50}),
            7,
        ),
        (
            json!({"source_code": "print('x' * 100000)", "language_id": 71, "max_file_size": 10}),
            8,
        ),
        (
            json!({"source_code": "#include <signal.h>\nint main(){raise(SIGFPE);}", "language_id": 50}),
            9,
        ),
        (
            json!({"source_code": "#include <stdlib.h>\nint main(){abort();}", "language_id": 50}),
            10,
        ),
        (json!({"source_code": "exit 4", "language_id": 46}), 11),
        (
            json!({"source_code": "x = b'x' * (300 << 20)", "language_id": 71, "memory_limit": 65536}),
            12,
        ),
        (
            json!({"source_code": "kill -USR1 $$", "language_id": 46}),
            12,
        ),
    ];
    for (body, expected) in cases {
        let answer = run(&server, body.clone());
        assert_eq!(answer["status"]["id"], expected, "{body} -> {answer}");
        match expected {
            5 => assert_eq!(answer["message"], "Time limit exceeded"),
            6 => {
                assert!(answer["compile_output"].as_str().unwrap().contains("error"));
                // Judge0 clears the run's fields on a compile error.
                for field in ["exit_code", "exit_signal", "message", "time", "memory"] {
                    assert_eq!(answer[field], Value::Null, "{field}: {answer}");
                }
            }
            7 => {
                assert_eq!(answer["exit_signal"], 11);
                // Judge0's `exitcode || 0`: a signalled program's exit code is 0.
                assert_eq!(answer["exit_code"], 0);
            }
            12 if body["memory_limit"] == 65536 => {
                assert_eq!(answer["message"], "Memory limit exceeded");
                assert_eq!(answer["memory_limit"], 65536);
            }
            11 => {
                assert_eq!(answer["exit_code"], 4);
                assert_eq!(answer["message"], "Exited with error status 4");
            }
            _ => {}
        }
    }
}

#[test]
fn options_arguments_runs_redirects_and_multi_file_programs() {
    let server = Server::start(&[]);
    let c = run(
        &server,
        json!({"source_code": "#include <stdio.h>\nint main(){printf(\"%d\\n\", ANSWER);}", "language_id": 50, "compiler_options": "-DANSWER=42 -O0"}),
    );
    assert_eq!(c["stdout"], "42\n", "{c}");
    let args = run(
        &server,
        json!({"source_code": "import sys; print(sys.argv[1:])", "language_id": 71, "command_line_arguments": "a 'b c' \"d e\" $HOME ;"}),
    );
    assert_eq!(
        args["stdout"], "['a', 'b c', 'd e', '$HOME', ';']\n",
        "{args}"
    );
    let runs = run(
        &server,
        json!({"source_code": "print(1)", "language_id": 71, "number_of_runs": 3}),
    );
    assert_eq!(runs["number_of_runs"], 3);
    assert_eq!(runs["status"]["id"], 3);
    // Several runs share one judge box, each from a clean one: what a run leaves in /tmp and
    // /work, or left running, is gone for the next (each run finds nothing and says "fresh").
    let leaves_traces = "import os, subprocess\n\
        seen = os.path.exists('/tmp/mark') or os.path.exists('mark')\n\
        others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid())]\n\
        open('/tmp/mark', 'w').write('x'); open('mark', 'w').write('x')\n\
        subprocess.Popen(['sleep', '60'], start_new_session=True)\n\
        print('seen' if seen else ('others' if others else 'fresh'))\n";
    let fresh = run(
        &server,
        json!({"source_code": leaves_traces, "language_id": 71, "number_of_runs": 4, "expected_output": "fresh\n"}),
    );
    assert_eq!(fresh["stdout"], "fresh\n", "{fresh}");
    assert_eq!(fresh["status"]["id"], 3, "{fresh}");
    // Each run counts the files in /tmp and leaves one more: every run finds none, so all five
    // are accepted (a run that saw an earlier one's file would print 1 and be WA).
    let counts = "import os\nn = len(os.listdir('/tmp'))\nopen('/tmp/run%d' % n, 'w')\nprint(n)\n";
    let first = run(
        &server,
        json!({"source_code": counts, "language_id": 71, "number_of_runs": 5, "expected_output": "0\n"}),
    );
    assert_eq!(first["status"]["id"], 3, "a clean /tmp every run: {first}");
    let redirected = run(
        &server,
        json!({"source_code": "import sys; print('a', flush=True); import time; time.sleep(0.3); print('b', file=sys.stderr)", "language_id": 71, "redirect_stderr_to_stdout": true}),
    );
    assert_eq!(redirected["stdout"], "a\nb\n");
    assert_eq!(redirected["stderr"], Value::Null);

    // Additional files next to the program, and a multi-file program (89).
    let zip = zip_of(&[("data.txt", b"from the zip\n")]);
    let with_file = run(
        &server,
        json!({"source_code": "print(open('data.txt').read(), end='')", "language_id": 71, "additional_files": B64.encode(&zip)}),
    );
    assert_eq!(with_file["stdout"], "from the zip\n", "{with_file}");
    // `compile` runs first and what it makes is there for `run`.
    let script = zip_of(&[
        ("compile", b"echo built > out.txt\n"),
        ("run", b"cat out.txt input.txt; echo \"$1\"\n"),
        ("input.txt", b"in\n"),
    ]);
    let multi = run(
        &server,
        json!({"language_id": 89, "additional_files": B64.encode(&script), "command_line_arguments": "arg"}),
    );
    assert_eq!(multi["stdout"], "built\nin\narg\n", "{multi}");
    let broken = zip_of(&[
        ("compile", b"echo nope >&2; exit 1\n"),
        ("run", b"echo never\n"),
    ]);
    let multi = run(
        &server,
        json!({"language_id": 89, "additional_files": B64.encode(&broken)}),
    );
    assert_eq!(multi["status"]["id"], 6, "{multi}");
    assert_eq!(multi["compile_output"], "nope\n");
    let multi = run(
        &server,
        json!({"language_id": 89, "additional_files": B64.encode(&script)}),
    );
    assert_eq!(multi["status"]["id"], 3);
    // A C++ program in two files, built by its own `compile` script.
    let cpp = zip_of(&[
        ("main.cpp", b"#include <cstdio>\nint twice(int);\nint main() { std::printf(\"%d\\n\", twice(21)); }\n"),
        ("util.cpp", b"int twice(int x) { return 2 * x; }\n"),
        ("compile", b"g++ -O2 -o main main.cpp util.cpp\n"),
        ("run", b"./main\n"),
    ]);
    let multi = run(
        &server,
        json!({"language_id": 89, "additional_files": B64.encode(&cpp)}),
    );
    assert_eq!(multi["stdout"], "42\n", "{multi}");
}

/// A zip (stored, no compression) of `files`, written by hand so the tests need no zip crate.
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend([0u8; 2]); // flags
            h.extend([0u8; 2]); // stored
            h.extend([0u8; 4]); // time, date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend([0u8; 2]); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend([0u8; 4]); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x04034b50, false));
        out.extend(*data);
        central.extend(header(0x02014b50, true));
    }
    let start = out.len() as u32;
    out.extend(&central);
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend([0u8; 2]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn invalid_submissions_get_422_per_field_and_bad_requests_400() {
    let server = Server::start(&[]);
    let (status, errors) = post(
        &server,
        "/judge0/submissions",
        &json!({"memory_limit": 100, "enable_network": true, "cpu_time_limit": "fast",
                "callback_url": "http://127.0.0.1:1/x", "number_of_runs": 21,
                "wall_time_limit": 31, "stack_limit": 128001}),
    );
    assert_eq!(status, 422, "{errors}");
    assert_eq!(errors["language_id"], json!(["can't be blank"]));
    assert_eq!(errors["source_code"], json!(["can't be blank"]));
    assert_eq!(
        errors["memory_limit"],
        json!(["must be greater than or equal to 2048"])
    );
    assert_eq!(
        errors["enable_network"],
        json!(["enabling network is not allowed"])
    );
    assert_eq!(errors["cpu_time_limit"], json!(["is not a number"]));
    assert_eq!(
        errors["number_of_runs"],
        json!(["must be less than or equal to 20"])
    );
    assert_eq!(
        errors["wall_time_limit"],
        json!(["must be less than or equal to 30"])
    );
    assert!(errors["stack_limit"].is_array());
    assert!(errors["callback_url"][0]
        .as_str()
        .unwrap()
        .contains("not enabled"));
    let invalid = |body: Value, field: &str| {
        let (status, errors) = post(&server, "/judge0/submissions?base64_encoded=true", &body);
        assert_eq!(status, 422, "{body} -> {errors}");
        assert!(errors[field].is_array(), "{field}: {errors}");
    };
    let code = B64.encode("print(1)");
    invalid(
        json!({"source_code": code, "language_id": 9999}),
        "language_id",
    );
    invalid(
        json!({"source_code": "%%%", "language_id": 71}),
        "source_code",
    );
    invalid(
        json!({"source_code": code, "language_id": 71, "compiler_options": "-O2"}),
        "compiler_options",
    );
    invalid(
        json!({"source_code": B64.encode("int main(){}"), "language_id": 50, "compiler_options": "-O2; rm -rf /"}),
        "compiler_options",
    );
    invalid(
        json!({"source_code": B64.encode("int main(){}"), "language_id": 50, "compiler_options": "-o /tmp/x"}),
        "compiler_options",
    );
    invalid(
        json!({"source_code": code, "language_id": 71, "command_line_arguments": "'open"}),
        "command_line_arguments",
    );
    invalid(
        json!({"source_code": code, "language_id": 71, "additional_files": "bm90IGEgemlw"}),
        "additional_files",
    );
    invalid(json!({"language_id": 89}), "additional_files");
    let escape = zip_of(&[("../escape", b"x")]);
    let (status, body) = post(
        &server,
        "/judge0/submissions",
        &json!({"source_code": "print(1)", "language_id": 71, "additional_files": B64.encode(&escape)}),
    );
    assert!(status == 400 || status == 422, "{status} {body}");
    assert!(body.to_string().contains(".."), "{body}");

    // Not JSON, not an object, too large: JSON errors, never a panic.
    let raw = |body: &[u8]| {
        response(
            ureq::post(&server.url("/judge0/submissions"))
                .set("content-type", "application/json")
                .send_bytes(body),
        )
    };
    let (status, body) = raw(b"{\"source_code\": ");
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("JSON"));
    assert_eq!(raw(b"\xff\xfe").0, 400);
    assert_eq!(raw(b"[1, 2]").0, 400);
    let huge = format!(
        "{{\"source_code\": \"{}\", \"language_id\": 71}}",
        "x".repeat(2 << 20)
    );
    assert_eq!(raw(huge.as_bytes()).0, 413);
    let (status, _) = get(&server, "/health");
    assert_eq!(status, 200, "still serving");
}

#[test]
fn batches_of_up_to_twenty() {
    let server = Server::start(&[]);
    let sub = |i: usize| json!({"source_code": format!("print({i} + 1)"), "language_id": 71});
    let (status, created) = post(
        &server,
        "/judge0/submissions/batch",
        &json!({"submissions": [sub(1), {"language_id": 71}, sub(2)]}),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created[1], json!({"source_code": ["can't be blank"]}));
    let tokens = [
        created[0]["token"].as_str().unwrap(),
        created[2]["token"].as_str().unwrap(),
    ];
    for token in tokens {
        finished(&server, token, "");
    }
    let query = format!(
        "/judge0/submissions/batch?tokens={},{},00000000-0000-4000-8000-000000000000&fields=stdout,status_id",
        tokens[0], tokens[1]
    );
    let (status, got) = get(&server, &query);
    assert_eq!(status, 200);
    assert_eq!(
        got,
        json!({"submissions": [{"stdout": "2\n", "status_id": 3}, {"stdout": "3\n", "status_id": 3}, null]})
    );
    let (status, body) = post(
        &server,
        "/judge0/submissions/batch",
        &json!({"submissions": (0..21).map(sub).collect::<Vec<_>>()}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "number of submissions in a batch should be less than or equal to 20"
    );
    let (status, body) = post(
        &server,
        "/judge0/submissions/batch",
        &json!({"submissions": []}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "there should be at least one submission in a batch"
    );
    let (status, all_bad) = post(
        &server,
        "/judge0/submissions/batch",
        &json!({"submissions": [{"language_id": 71}, {"source_code": "x"}]}),
    );
    assert_eq!(status, 422);
    assert_eq!(all_bad.as_array().unwrap().len(), 2);
    // Judge0 ignores `wait` on a batch.
    let (status, body) = post(
        &server,
        "/judge0/submissions/batch?wait=true",
        &json!({"submissions": [sub(1)]}),
    );
    assert_eq!(status, 201, "{body}");
    assert!(body[0]["token"].is_string(), "{body}");
}

#[test]
fn the_token_may_come_as_x_auth_token_header_or_query() {
    let server = Server::start(&["--token", "s3cret"]);
    let (status, _) = get(&server, "/judge0/about");
    assert_eq!(status, 401);
    let (status, _) = response(
        ureq::get(&server.url("/judge0/about"))
            .set("X-Auth-Token", "wrong")
            .call(),
    );
    assert_eq!(status, 401);
    let (status, about) = response(
        ureq::get(&server.url("/judge0/about"))
            .set("X-Auth-Token", "s3cret")
            .call(),
    );
    assert_eq!(status, 200);
    assert_eq!(about["version"], "1.13.1");
    let (status, _) = get(&server, "/judge0/statuses?X-Auth-Token=s3cret");
    assert_eq!(status, 200);
}

/// Judge0's authorization: listing and deleting need `X-Auth-User` (header or query) on top of
/// the API token; without `--judge0-admin-token` nobody may, and config_info says so.
#[test]
fn listing_and_deleting_need_judge0s_authorization_token() {
    let server = Server::start(&[]);
    let (_, config) = get(&server, "/judge0/config_info");
    assert_eq!(config["enable_submission_delete"], false);
    let created = run(
        &server,
        json!({"source_code": "print(1)", "language_id": 71}),
    );
    let token = created["token"].as_str().unwrap();
    let (status, body) = get(&server, "/judge0/submissions");
    assert_eq!(status, 403, "{body}");
    let delete = |server: &Server, user: Option<&str>| {
        let mut request = ureq::delete(&server.url(&format!("/judge0/submissions/{token}")));
        if let Some(user) = user {
            request = request.set("X-Auth-User", user);
        }
        response(request.call())
    };
    let (status, _) = delete(&server, Some("anything"));
    assert_eq!(status, 403);
    assert_eq!(server.post("/judge0/authorize", &json!({})).0, 403);
    assert_eq!(server.post("/judge0/authenticate", &json!({})).0, 200);
    drop(server);

    let server = Server::start(&["--token", "s3cret", "--judge0-admin-token", "a+b/c"]);
    let api = |request: ureq::Request| request.set("X-Auth-Token", "s3cret");
    let (_, config) = response(api(ureq::get(&server.url("/judge0/config_info"))).call());
    assert_eq!(config["enable_submission_delete"], true);
    let (status, created) = response(
        api(ureq::post(&server.url("/judge0/submissions?wait=true")))
            .send_json(json!({"source_code": "print(2)", "language_id": 71})),
    );
    assert_eq!(status, 201, "{created}");
    let token = created["token"].as_str().unwrap();
    let list = |user: Option<&str>, query: &str| {
        let mut request = api(ureq::get(
            &server.url(&format!("/judge0/submissions{query}")),
        ));
        if let Some(user) = user {
            request = request.set("X-Auth-User", user);
        }
        response(request.call()).0
    };
    assert_eq!(list(None, ""), 403);
    assert_eq!(list(Some("wrong"), ""), 403);
    assert_eq!(list(Some("a+b/c"), ""), 200);
    // In the query, percent-decoded as Rails decodes it.
    assert_eq!(list(None, "?X-Auth-User=a%2Bb%2Fc"), 200);
    assert_eq!(
        list(None, "?X-Auth-User=a+b/c"),
        403,
        "+ is a space in a query"
    );
    // The authorization token does not replace the API token.
    let (status, _) = response(
        ureq::get(&server.url("/judge0/submissions"))
            .set("X-Auth-User", "a+b/c")
            .call(),
    );
    assert_eq!(status, 401);
    let (status, _) = response(ureq::get(&server.url("/judge0/about?X-Auth-Token=s3cret")).call());
    assert_eq!(status, 200);
    let authorize = |user: &str| {
        response(
            api(ureq::post(&server.url("/judge0/authorize")))
                .set("X-Auth-User", user)
                .send_json(json!({})),
        )
        .0
    };
    assert_eq!(authorize("a+b/c"), 200);
    assert_eq!(authorize("nope"), 403);
    let (status, _) = response(
        api(ureq::delete(
            &server.url(&format!("/judge0/submissions/{token}")),
        ))
        .call(),
    );
    assert_eq!(status, 403);
    let (status, deleted) = response(
        api(ureq::delete(&server.url(&format!("/submissions/{token}"))))
            .set("X-Auth-User", "a+b/c")
            .call(),
    );
    assert_eq!(status, 200, "{deleted}");
    let (status, _) = response(
        api(ureq::get(
            &server.url(&format!("/judge0/submissions/{token}")),
        ))
        .call(),
    );
    assert_eq!(status, 404);
}

/// `/version` and `/license` are plain text, as Judge0's.
#[test]
fn version_and_license_are_plain_text() {
    let server = Server::start(&[]);
    for prefix in ["", "/judge0"] {
        let version = ureq::get(&server.url(&format!("{prefix}/version")))
            .call()
            .unwrap();
        assert!(version.content_type().starts_with("text/plain"));
        assert_eq!(version.into_string().unwrap(), "1.13.1");
        let license = ureq::get(&server.url(&format!("{prefix}/license")))
            .call()
            .unwrap()
            .into_string()
            .unwrap();
        assert!(license.contains("MIT"), "{license}");
    }
}

/// Browsers may call the Judge0 routes as they may call Judge0 (rack-cors) once the operator
/// allows origins (none by default, unlike Judge0: see `a_foreign_page_can_neither_post_nor_
/// read_judge0_by_default`): preflights are answered before the token check, answers carry the
/// origin header; the operator narrows the origins or turns CORS off; other APIs get no CORS
/// headers.
#[test]
fn browsers_may_call_the_judge0_routes_as_judge0_allows() {
    let preflight = |server: &Server, path: &str, origin: &str| {
        let r = ureq::request("OPTIONS", &server.url(path))
            .set("Origin", origin)
            .set("Access-Control-Request-Method", "POST")
            .set(
                "Access-Control-Request-Headers",
                "content-type,x-auth-token",
            )
            .call();
        match r {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        }
    };
    let with_origin = |server: &Server, path: &str, origin: &str| match ureq::get(&server.url(path))
        .set("Origin", origin)
        .call()
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let server = Server::start(&["--token", "s3cret", "--judge0-allow-origin", "*"]);
    let answer = preflight(&server, "/judge0/submissions", "https://ide.example");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("content-type,x-auth-token")
    );
    assert!(answer
        .header("access-control-allow-methods")
        .unwrap()
        .contains("DELETE"));
    let answer = preflight(&server, "/submissions/batch", "https://ide.example");
    assert_eq!(answer.status(), 200);
    // A 401 still carries the header, so the page can read why.
    let answer = with_origin(&server, "/judge0/about", "https://ide.example");
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    // Not the other APIs.
    let answer = preflight(&server, "/execute", "https://ide.example");
    assert_eq!(answer.header("access-control-allow-origin"), None);
    let answer = with_origin(&server, "/languages", "https://ide.example");
    assert_eq!(answer.header("access-control-allow-origin"), None);
    drop(server);

    let server = Server::start(&[
        "--judge0-allow-origin",
        "https://ide.example",
        "--judge0-allow-origin",
        "judge.example:8443",
    ]);
    let answer = with_origin(&server, "/judge0/statuses", "https://ide.example");
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://ide.example")
    );
    assert_eq!(answer.header("vary"), Some("Origin"));
    let answer = with_origin(&server, "/judge0/statuses", "http://judge.example:8443");
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://judge.example:8443")
    );
    let answer = with_origin(&server, "/judge0/statuses", "https://evil.example");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    let answer = preflight(&server, "/judge0/submissions", "https://evil.example");
    assert_eq!(answer.header("access-control-allow-origin"), None);
    drop(server);

    let server = Server::start_with(&[], None, &[("CODECAGE_JUDGE0_ALLOW_ORIGIN", "none")]);
    let answer = with_origin(&server, "/judge0/statuses", "https://ide.example");
    assert_eq!(answer.header("access-control-allow-origin"), None);
}

#[test]
fn a_full_queue_answers_503_and_a_batch_goes_in_whole_or_not_at_all() {
    let server = Server::start(&["--judge0-queue", "2", "--max-concurrent", "1"]);
    let slow = json!({"source_code": "import time; time.sleep(3)", "language_id": 71});
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let (status, created) = post(&server, "/judge0/submissions", &slow);
        assert_eq!(status, 201, "{created}");
        tokens.push(created["token"].as_str().unwrap().to_string());
    }
    let (status, body) = post(&server, "/judge0/submissions", &slow);
    assert_eq!(status, 503);
    assert_eq!(body, json!({"error": "queue is full"}));
    let (status, _) = post(
        &server,
        "/judge0/submissions/batch",
        &json!({"submissions": [slow]}),
    );
    assert_eq!(status, 503);
    let (_, workers) = get(&server, "/judge0/workers");
    assert_eq!(
        workers[0]["working"].as_u64().unwrap() + workers[0]["size"].as_u64().unwrap(),
        2
    );
    for token in &tokens {
        assert_eq!(finished(&server, token, "")["status"]["id"], 3);
    }
    let (status, _) = post(&server, "/judge0/submissions", &slow);
    assert_eq!(status, 201, "room again once they ended");
}

#[test]
fn judge0_submissions_take_the_same_run_slots_as_execute() {
    let server = Server::start(&["--max-concurrent", "1", "--queue", "0"]);
    let (status, created) = post(
        &server,
        "/judge0/submissions",
        &json!({"source_code": "import time; time.sleep(4)", "language_id": 71}),
    );
    assert_eq!(status, 201);
    let deadline = Instant::now() + Duration::from_secs(60);
    while get(&server, "/judge0/workers").1[0]["working"] != 1 {
        assert!(Instant::now() < deadline, "the submission never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The one slot is the Judge0 submission's: /execute finds none and no queue place.
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python3", "code": "print(1)"}),
    );
    assert_eq!(status, 429, "{body}");
    let token = created["token"].as_str().unwrap();
    assert_eq!(finished(&server, token, "")["status"]["id"], 3);
    let (status, _) = server.post(
        "/execute",
        &json!({"language": "python3", "code": "print(1)"}),
    );
    assert_eq!(status, 200);
}

#[test]
fn a_restart_keeps_finished_submissions_and_runs_queued_ones() {
    let data = tempfile::tempdir().unwrap();
    let store = data.path().join("store.redb");
    let store = store.to_str().unwrap();
    let flags = ["--store", store, "--max-concurrent", "1", "--grace", "20s"];
    let mut server = Server::start(&flags);
    let done = run(
        &server,
        json!({"source_code": "print('kept')", "language_id": 71}),
    );
    let done_token = done["token"].as_str().unwrap().to_string();
    let slow =
        json!({"source_code": "import time; time.sleep(2); print('ran')", "language_id": 71});
    let queued: Vec<String> = (0..3)
        .map(|_| {
            let (status, created) = post(&server, "/judge0/submissions", &slow);
            assert_eq!(status, 201);
            created["token"].as_str().unwrap().to_string()
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    // SIGTERM: the one running finishes within the grace period, the others stay queued.
    assert_eq!(server.stop(), 0);

    let server = Server::start(&flags);
    let (_, kept) = get(&server, &format!("/judge0/submissions/{done_token}"));
    assert_eq!(kept["stdout"], "kept\n");
    let (_, first) = get(&server, &format!("/judge0/submissions/{}", queued[0]));
    assert_eq!(
        first["status"]["id"], 3,
        "the running one finished before the stop: {first}"
    );
    let (_, last) = get(&server, &format!("/judge0/submissions/{}", queued[2]));
    assert!(
        last["status"]["id"].as_u64().unwrap() <= 2,
        "still queued after the restart: {last}"
    );
    for token in &queued {
        let body = finished(&server, token, "");
        assert_eq!(body["stdout"], "ran\n", "{body}");
    }
}

#[test]
fn a_callback_is_a_put_of_the_result_to_an_allowed_host_only() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let allowed = format!("127.0.0.1:{port}");
    let server = Server::start(&["--judge0-callback-allow", &allowed]);
    let (status, created) = post(
        &server,
        "/judge0/submissions",
        &json!({"source_code": "print('called back')", "language_id": 71,
                "callback_url": format!("http://127.0.0.1:{port}/done?x=1")}),
    );
    assert_eq!(status, 201, "{created}");
    // The first try is answered 500: the callback is tried again.
    let (line, _) = accept_put(
        &listener,
        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n",
    );
    assert_eq!(line, "PUT /done?x=1 HTTP/1.1");
    let (line, body) = accept_put(&listener, b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
    assert_eq!(line, "PUT /done?x=1 HTTP/1.1");
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["token"], created["token"]);
    assert_eq!(body["status"]["id"], 3);
    assert_eq!(body["stdout"], format!("{}\n", B64.encode("called back\n")));
    let (status, errors) = post(
        &server,
        "/judge0/submissions",
        &json!({"source_code": "print(1)", "language_id": 71,
                "callback_url": "http://169.254.169.254/latest/meta-data"}),
    );
    assert_eq!(status, 422);
    assert!(errors["callback_url"][0]
        .as_str()
        .unwrap()
        .contains("not allowed"));
}

#[test]
fn a_callback_reaches_an_ipv6_literal_url() {
    let listener = TcpListener::bind("[::1]:0").expect("an IPv6 loopback address");
    let port = listener.local_addr().unwrap().port();
    let allowed = format!("[::1]:{port}");
    let server = Server::start(&["--judge0-callback-allow", &allowed]);
    let (status, created) = post(
        &server,
        "/judge0/submissions",
        &json!({"source_code": "print('v6')", "language_id": 71,
                "callback_url": format!("http://[::1]:{port}/done")}),
    );
    assert_eq!(status, 201, "{created}");
    // Never connecting would leave accept waiting forever: give it a minute.
    listener.set_nonblocking(true).unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok((stream, _)) = listener.accept() {
            stream.set_nonblocking(false).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert_eq!(line.trim_end(), "PUT /done HTTP/1.1");
            let mut host = String::new();
            while reader.read_line(&mut host).unwrap() > 2 {
                if host.to_ascii_lowercase().starts_with("host:") {
                    assert_eq!(host.trim_end(), format!("host: [::1]:{port}"));
                }
                host.clear();
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the callback to http://[::1]:{port}/done never connected");
}

/// Accept one request on `listener`, answer it with `reply`; its request line and body.
fn accept_put(listener: &TcpListener, reply: &[u8]) -> (String, Vec<u8>) {
    let (mut stream, _) = listener.accept().unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    stream.write_all(reply).unwrap();
    (request_line.trim().to_string(), body)
}

/// The official SDK, from PyPI, in a virtualenv made for this test.
#[test]
fn the_official_python_sdk_works_against_serve() {
    let venv = tempfile::tempdir().unwrap();
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv.path())
        .status()
        .expect("python3 must be installed for the Judge0 SDK test");
    assert!(made.success(), "python3 -m venv failed");
    let python = venv.path().join("bin/python");
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "judge0==0.0.8",
        ])
        .output()
        .unwrap();
    assert!(
        pip.status.success(),
        "cannot install judge0==0.0.8 from PyPI: {}",
        String::from_utf8_lossy(&pip.stderr)
    );
    let server = Server::start(&[]);
    let script = repo_root().join("tests/judge0/sdk.py");
    let out = Command::new(&python)
        .arg(script)
        .arg(server.url("/judge0"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.trim_end().ends_with("ok"),
        "SDK script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn hostile_input_gets_json_errors_never_a_panic() {
    let server = Server::start(&["--judge0-admin-token", "adm1n"]);
    let fields = [
        "source_code",
        "language_id",
        "stdin",
        "expected_output",
        "cpu_time_limit",
        "cpu_extra_time",
        "wall_time_limit",
        "memory_limit",
        "stack_limit",
        "max_processes_and_or_threads",
        "max_file_size",
        "number_of_runs",
        "redirect_stderr_to_stdout",
        "enable_network",
        "compiler_options",
        "command_line_arguments",
        "additional_files",
        "callback_url",
        "enable_per_process_and_thread_time_limit",
    ];
    let nasty = [
        json!(null),
        json!(-1),
        json!(1e300),
        json!("1e309"),
        json!("NaN"),
        json!(""),
        json!(u64::MAX),
        json!([1, 2]),
        json!({"a": {"b": []}}),
        json!("\u{0}\u{202e}日本\u{1F600}"),
        json!("x".repeat(10_000)),
        json!(true),
        json!("-1"),
        json!(0.0000001),
    ];
    for base64 in ["false", "true"] {
        for field in fields {
            for value in &nasty {
                // An unknown language makes every submission invalid, so all fields are checked
                // and nothing runs.
                let mut body = json!({"source_code": "print(1)", "language_id": 9999});
                body[field] = value.clone();
                let path = format!("/judge0/submissions?base64_encoded={base64}");
                let (status, answer) = post(&server, &path, &body);
                assert!(
                    [400, 422].contains(&status) && answer.is_object(),
                    "{field} = {value}: {status} {answer}"
                );
            }
        }
    }
    for path in [
        "/judge0/submissions/%00%FF?fields=%E2%80%AE",
        "/judge0/submissions/batch?tokens=,,,&fields=*",
        "/judge0/submissions?page=18446744073709551615&per_page=100&X-Auth-User=adm1n",
        "/judge0/submissions?per_page=0&X-Auth-User=adm1n",
        "/judge0/submissions?page=%FF&X-Auth-User=adm1n",
        "/judge0/languages/-1",
        "/judge0/languages/99999999999999999999",
        "/judge0/submissions/x?base64_encoded=%FF",
    ] {
        let (status, answer) = get(&server, path);
        assert!(
            [200, 400, 404].contains(&status) && (answer.is_object() || answer.is_array()),
            "{path}: {status} {answer}"
        );
    }
    // Any Unicode runs and comes back intact.
    let text = "ünï \u{202e}cödé 日本 \u{1F600}";
    let answer = run(
        &server,
        json!({"source_code": "import sys; sys.stdout.write(sys.stdin.read())", "language_id": 71, "stdin": text}),
    );
    assert_eq!(answer["stdout"], text);
    let (status, _) = get(&server, "/health");
    assert_eq!(status, 200);
}

/// A bash program printing the sandbox's own memory and pids limits from its cgroup (v1 or v2).
const CGROUP_LIMITS: &str = "for f in memory/memory.limit_in_bytes memory.max pids/pids.max pids.max; do\n  if [ -r /sys/fs/cgroup/$f ]; then echo \"${f##*/}=$(cat /sys/fs/cgroup/$f)\"; fi\ndone\n";

/// The memory limit a sandbox shows: the program's, or 16 MiB above it when the run's parent
/// cgroup enforces it exactly (src/sandbox/hardening.rs).
fn memory_shown(stdout: &str, bytes: u64) -> bool {
    stdout.lines().any(|l| {
        let value = l
            .strip_prefix("memory.limit_in_bytes=")
            .or_else(|| l.strip_prefix("memory.max="));
        value.is_some_and(|v| v == bytes.to_string() || v == (bytes + (16 << 20)).to_string())
    })
}

#[test]
fn judge0_kills_at_cpu_time_limit_plus_extra_and_judges_tle_past_the_limit() {
    let server = Server::start(&[]);
    let cpu = |value: &Value| value["time"].as_str().unwrap().parse::<f64>().unwrap();
    // A busy loop runs on until limit + extra (0.5 + 1.0 s of CPU), not until the limit.
    let spin = run(
        &server,
        json!({"source_code": "while True: pass", "language_id": 71, "cpu_time_limit": 0.5, "cpu_extra_time": 1.0}),
    );
    assert_eq!(spin["status"]["id"], 5, "{spin}");
    let used = cpu(&spin);
    assert!(
        (1.4..2.3).contains(&used),
        "killed after {used} s of CPU: {spin}"
    );
    // One that ends on its own between the limit and limit + extra ran to its end, and is still
    // over time; under the limit it is accepted.
    let burn = |seconds: f64| {
        json!({"source_code": format!("import time\nwhile time.process_time() < {seconds}: pass\nprint('done')\n"),
               "language_id": 71, "cpu_time_limit": 0.5, "cpu_extra_time": 1.5})
    };
    let past = run(&server, burn(1.0));
    assert_eq!(past["status"]["id"], 5, "{past}");
    assert_eq!(past["stdout"], "done\n", "ran to its end: {past}");
    assert_eq!(past["exit_code"], 0, "{past}");
    assert!(cpu(&past) > 0.5, "{past}");
    let under = run(&server, burn(0.2));
    assert_eq!(under["status"]["id"], 3, "{under}");
    assert!(cpu(&under) < 0.5, "{under}");
}

#[test]
fn judge0_limits_have_floors_and_the_servers_maxima() {
    let server = Server::start(&["--max-memory", "128MiB"]);
    let (_, config) = get(&server, "/judge0/config_info");
    assert_eq!(config["max_memory_limit"], 131072, "{config}");
    // Judge0's least memory (2048 KB) is accepted; the sandbox gets the 16 MiB an engine needs
    // to start a container. One process is at least 8 (the shell and its init need some).
    let floors = run(
        &server,
        json!({"source_code": CGROUP_LIMITS, "language_id": 46, "memory_limit": 2048, "max_processes_and_or_threads": 1}),
    );
    assert_eq!(floors["status"]["id"], 3, "{floors}");
    let stdout = floors["stdout"].as_str().unwrap();
    assert!(memory_shown(stdout, 16 << 20), "{stdout}");
    assert!(stdout.lines().any(|l| l == "pids.max=8"), "{stdout}");
    // The server's maximum is given whole, and one KB more is refused.
    let max = run(
        &server,
        json!({"source_code": CGROUP_LIMITS, "language_id": 46, "memory_limit": 131072}),
    );
    assert!(
        memory_shown(max["stdout"].as_str().unwrap(), 128 << 20),
        "{max}"
    );
    let (status, errors) = post(
        &server,
        "/judge0/submissions",
        &json!({"source_code": "echo", "language_id": 46, "memory_limit": 131073, "cpu_extra_time": 5.5}),
    );
    assert_eq!(status, 422, "{errors}");
    assert_eq!(
        errors["memory_limit"],
        json!(["must be less than or equal to 131072"])
    );
    assert_eq!(
        errors["cpu_extra_time"],
        json!(["must be less than or equal to 5"])
    );
    // A max_file_size of 0 KB is 1 KB: 1000 bytes pass, 1100 do not.
    let output = |n: usize| {
        run(
            &server,
            json!({"source_code": format!("head -c {n} /dev/zero | tr '\\0' x"), "language_id": 46, "max_file_size": 0}),
        )
    };
    let fits = output(1000);
    assert_eq!(fits["status"]["id"], 3, "{fits}");
    assert_eq!(fits["stdout"].as_str().unwrap().len(), 1000);
    let over = output(1100);
    assert_eq!(over["status"]["id"], 8, "{over}");
}

/// The engine's `die` events of a server's sandboxes since `since` (unix seconds): a run's
/// sandbox dies when its program ends; the warm pool's spares stay alive.
fn sandboxes_ended(server: &Server, since: f64) -> usize {
    let until = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let out = Command::new("docker")
        .args(["events", "--format", "{{.ID}}"])
        .args([
            "--since",
            &format!("{since:.3}"),
            "--until",
            &format!("{until:.3}"),
        ])
        .args(["--filter", &format!("label=codecage.tag={}", server.tag)])
        .args(["--filter", "type=container", "--filter", "event=die"])
        .output()
        .expect("docker events");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().count()
}

/// Judge `body` and count the sandboxes that ran for it (waiting for the engine's last events).
fn sandboxes_for(server: &Server, body: Value) -> (Value, usize) {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let answer = run(server, body);
    let mut seen = 0;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(250));
        let now = sandboxes_ended(server, since);
        if now == seen && now > 0 {
            break;
        }
        seen = now;
    }
    (answer, seen)
}

/// Runs of `language` the server has counted (`/metrics`, every verdict).
fn runs_counted(server: &Server, language: &str) -> u64 {
    let metrics = ureq::get(&server.url("/metrics"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let prefix = format!("codecage_executions_total{{language=\"{language}\",");
    metrics
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[test]
fn judge0_number_of_runs_runs_the_program_that_many_times() {
    let server = Server::start(&[]);
    let program = "import time\ntime.sleep(0.4)\nprint(1)\n";
    let start = Instant::now();
    let before = runs_counted(&server, "python");
    let (three, sandboxes) = sandboxes_for(
        &server,
        json!({"source_code": program, "language_id": 71, "number_of_runs": 3, "expected_output": "1"}),
    );
    assert_eq!(three["status"]["id"], 3, "{three}");
    assert_eq!(runs_counted(&server, "python") - before, 3, "{three}");
    // The three runs share one judge box, a fresh process each.
    assert_eq!(sandboxes, 1, "{three}");
    assert!(
        start.elapsed() >= Duration::from_millis(1200),
        "{:?}",
        start.elapsed()
    );
    // The mean of the runs' wall times is one run's, not their sum.
    let wall = three["wall_time"].as_str().unwrap().parse::<f64>().unwrap();
    assert!((0.4..1.2).contains(&wall), "{three}");
    let before = runs_counted(&server, "python");
    let (one, sandboxes) =
        sandboxes_for(&server, json!({"source_code": program, "language_id": 71}));
    assert_eq!(one["status"]["id"], 3, "{one}");
    assert_eq!(sandboxes, 1, "{one}");
    assert_eq!(runs_counted(&server, "python") - before, 1, "{one}");
    // Judge0 stops at the first run that is not accepted.
    let before = runs_counted(&server, "python");
    let (wrong, _) = sandboxes_for(
        &server,
        json!({"source_code": program, "language_id": 71, "number_of_runs": 3, "expected_output": "2"}),
    );
    assert_eq!(wrong["status"]["id"], 4, "{wrong}");
    assert_eq!(runs_counted(&server, "python") - before, 1, "{wrong}");
}

#[test]
fn judge0_multi_file_compile_script_is_as_hardened_as_a_run() {
    // Judge0's `compile` script (language 89) is untrusted code: it sees the limits a run sees.
    let server = Server::start_with_config(&[], Some("compile:\n  cpus: 0.75\n"));
    let files = zip_of(&[
        ("compile", crate::hardening::FACTS.as_bytes()),
        ("run", b"echo ran\n"),
    ]);
    let answer = run(
        &server,
        json!({"language_id": 89, "additional_files": B64.encode(&files), "memory_limit": 204800}),
    );
    assert_eq!(answer["status"]["id"], 3, "{answer}");
    assert_eq!(answer["stdout"], "ran\n", "{answer}");
    let output = answer["compile_output"].as_str().unwrap();
    // The compile step's memory is the compiler's own (1 GiB), not the submission's 200 MiB.
    let seen = crate::hardening::assert_hardened(output, 1 << 30, 0.75, 64 << 20);
    if !seen {
        crate::hardening::assert_allocating_past_memory_is_killed();
    }
}
