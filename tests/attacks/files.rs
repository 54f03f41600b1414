//! Files in: names that climb out, absolute paths, links, devices, long names, huge and
//! non-UTF-8 sources are refused with a clear error or handled safely.

use std::time::Duration;

use serde_json::json;

use super::attack;
use crate::harness::{still_works, Test};
use crate::serve::Server;

#[test]
fn hostile_source_files_are_handled_safely() {
    // Not UTF-8: the interpreter rejects it, nothing else happens.
    let test = Test::new()
        .file("bin.py", b"\xff\xfe\x00print(1)\n")
        .args(["run", "bin.py"]);
    let out = attack(test, 1, Duration::from_secs(20));
    assert!(out.stderr.contains("SyntaxError"), "{}", out.stderr);
    // Larger than the workspace: refused before Docker is touched.
    let test = Test::new()
        .file("huge.py", vec![b'#'; 65 << 20])
        .args(["run", "huge.py"]);
    let out = attack(test, 125, Duration::from_secs(20));
    assert!(
        out.stderr.contains("more than the workspace limit"),
        "{}",
        out.stderr
    );
    // A very long name is refused with a clear error.
    let long = format!("{}.py", "n".repeat(300));
    let test = Test::new()
        .file("proj/main.py", "")
        .args(["run", "proj", "--main", &long]);
    attack(test, 125, Duration::from_secs(20));
}

#[test]
fn files_named_outside_the_directory_arrive_under_their_own_name_only() {
    let test = Test::new()
        .file("secret.py", "x = 'outside'\n")
        .file("other/abs.py", "y = 'absolute'\n")
        .file(
            "sub/main.py",
            "import os, secret, abs\nprint(sorted(f for f in os.listdir('/work') if f.endswith('.py')), secret.x, abs.y)\n",
        );
    let absolute = test.path().join("other/abs.py");
    let test = test
        .args(["run", "sub/main.py", "secret.py"])
        .args([absolute.to_str().unwrap()]);
    // Names given as ../x or /abs/x land as x in the workspace, never outside it.
    let out = attack(test, 0, Duration::from_secs(20));
    assert_eq!(
        out.stdout_str(),
        "['abs.py', 'main.py', 'secret.py'] outside absolute\n"
    );
    let test = Test::new()
        .file("secret.py", "x = 'outside'\n")
        .file("sub/main.py", "import secret\nprint(secret.x)\n")
        .args(["run", "sub/main.py", "sub/../secret.py"]);
    let out = attack(test, 0, Duration::from_secs(20));
    assert_eq!(out.stdout_str(), "outside\n");
}

#[test]
fn symlinks_and_fifos_in_a_directory_are_refused() {
    let test = Test::new().file("proj/main.py", "print(1)\n");
    std::os::unix::fs::symlink("/etc/shadow", test.path().join("proj/shadow.py")).unwrap();
    let out = attack(test.args(["run", "proj"]), 125, Duration::from_secs(20));
    assert_eq!(
        out.stderr,
        "codecage: proj/shadow.py is a symbolic link; codecage does not follow links\n"
    );
    let test = Test::new().file("proj/main.py", "print(1)\n");
    let fifo = test.path().join("proj/fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = attack(test.args(["run", "proj"]), 125, Duration::from_secs(20));
    assert_eq!(
        out.stderr,
        "codecage: proj/fifo is a device, socket or pipe; only regular files can be sent\n"
    );
}

#[test]
fn hostile_file_names_over_the_api_get_400() {
    let server = Server::start(&[]);
    let long = format!("{}.py", "n".repeat(300));
    for name in [
        "../x.py",
        "a/../../x.py",
        "/etc/passwd",
        "..",
        "a//b.py",
        "x\u{0}y.py",
        long.as_str(),
    ] {
        let (status, body) = server.post(
            "/execute",
            &json!({"language": "python", "code": "print(1)", "files": [{"name": name, "content": "x = 1"}]}),
        );
        assert_eq!(status, 400, "{name:?}: {body}");
        assert!(
            body["error"].as_str().unwrap().contains("name"),
            "{name:?}: {body}"
        );
    }
    still_works();
}
