//! Bad input gets exit status 125 and one line naming the problem: never a panic or a backtrace.

use crate::harness::Test;

fn one_line_error(out: &crate::harness::Output, needle: &str) {
    assert_eq!(out.status, 125, "stderr: {}", out.stderr);
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
        .args(["run", "--lang", "brainfuck", "a.py"])
        .run();
    one_line_error(&out, "unknown language \"brainfuck\"");
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

#[test]
fn no_docker_engine() {
    let out = Test::new()
        .file("a.py", "print(1)\n")
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["run", "a.py"])
        .run();
    one_line_error(&out, "cannot reach the Docker engine");
}

#[test]
fn images_bootstrap_leaves_an_existing_base_alone() {
    let out = Test::new().args(["images", "bootstrap"]).status(0);
    assert_eq!(
        out.stdout_str(),
        "debian:trixie-slim is already in the engine\n"
    );
}
