//! Bad input gets exit status 125 and one line naming the problem: never a panic or a backtrace.
//! An engine that is down gets 69 and one line saying how to start it.

use std::os::unix::net::UnixListener;

use crate::harness::Test;

fn one_line_error(out: &crate::harness::Output, needle: &str) {
    one_line_error_with(out, 125, needle);
}

fn one_line_error_with(out: &crate::harness::Output, status: i32, needle: &str) {
    assert_eq!(out.status, status, "stderr: {}", out.stderr);
    assert!(out.stderr.starts_with("codecage: "), "{}", out.stderr);
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "not one line: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains(needle),
        "expected {needle:?} in {}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_extension_suggests_lang() {
    let out = Test::new()
        .file("notes.txt", "hi")
        .args(["run", "notes.txt"])
        .run();
    one_line_error(&out, "pass --lang NAME");
}

#[test]
fn missing_file() {
    let out = Test::new().args(["run", "nope.py"]).run();
    one_line_error(&out, "no such file or directory: nope.py");
}

#[test]
fn unknown_language() {
    let out = Test::new()
        .file("a.py", "")
        .args(["run", "--lang", "cobra", "a.py"])
        .run();
    one_line_error(&out, "unknown language \"cobra\"");
}

#[test]
fn malformed_profile_names_file_and_line() {
    let out = Test::new()
        .file("profiles/broken.yaml", "name: broken\nextensions: [x\n")
        .file("a.py", "print(1)\n")
        .args(["--profiles", "profiles", "run", "a.py"])
        .run();
    one_line_error(&out, "invalid profile profiles/broken.yaml:");
}

#[test]
fn profile_with_unknown_key() {
    let out = Test::new()
        .file(
            "profiles/x.yaml",
            "name: x\nversion: '1'\nextensions: [xx]\nimage: python\nrun: [python3, '{main}']\ncolour: red\n",
        )
        .file("a.py", "print(1)\n")
        .args(["--profiles", "profiles", "run", "a.py"])
        .run();
    one_line_error(&out, "profiles/x.yaml:6:");
}

#[test]
fn bad_flag_and_bad_limit() {
    let out = Test::new()
        .file("a.py", "")
        .args(["run", "--memory", "lots", "a.py"])
        .run();
    one_line_error(&out, "invalid size \"lots\"");
    let out = Test::new()
        .file("a.py", "")
        .args(["run", "--cpus", "0", "a.py"])
        .run();
    one_line_error(&out, "cpus must be more than 0");
    let out = Test::new().args(["run", "--bogus", "a.py"]).run();
    assert_eq!(out.status, 125);
    assert!(
        out.stderr.contains("unexpected argument '--bogus'"),
        "{}",
        out.stderr
    );
}

#[test]
fn symlinks_are_refused_not_followed() {
    let test = Test::new().file("proj/main.py", "print(open('secret').read())\n");
    std::os::unix::fs::symlink("/etc/hostname", test.path().join("proj/secret")).unwrap();
    let out = test.args(["run", "proj"]).run();
    one_line_error(&out, "is a symbolic link");
}

/// No engine at DOCKER_HOST, and a socket that accepts then closes at once (an engine that is
/// starting or dying): `run`, `test` and `gc` all say the engine is unavailable (69), with the
/// remedy, before any sandbox.
#[test]
fn engine_unavailable_is_its_own_status() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("closing.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    // Every connection is dropped unanswered; the thread ends with the test binary.
    std::thread::spawn(move || listener.incoming().for_each(drop));
    let closing = format!("unix://{}", socket.display());
    for host in ["unix:///nonexistent/docker.sock", closing.as_str()] {
        let commands: [&[&str]; 3] = [
            &["run", "a.py"],
            &["test", "a.py", "--cases", "cases"],
            &["gc"],
        ];
        for args in commands {
            let out = Test::new()
                .file("a.py", "print(1)\n")
                .file("cases/one.in", "")
                .file("cases/one.out", "1\n")
                .env("DOCKER_HOST", host)
                .args(args.iter().copied())
                .run();
            one_line_error_with(
                &out,
                69,
                &format!("cannot reach the Docker engine at {host}: "),
            );
            assert!(
                out.stderr.contains("start Docker"),
                "{args:?}: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn images_bootstrap_leaves_an_existing_base_alone() {
    let out = Test::new().args(["images", "bootstrap"]).status(0);
    assert_eq!(
        out.stdout_str(),
        "debian:trixie-slim is already in the engine\n"
    );
}
