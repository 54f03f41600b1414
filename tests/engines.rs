//! codecage against rootful Podman's Docker-compatible API (`podman system service`, started by
//! `bash .ci/ensure-podman.sh` on /run/codecage-podman/podman.sock): run, test and serve smoke
//! tests and the limit tests, the same test functions as on Docker with every codecage (and every
//! check for containers left behind) pointed at Podman (`harness::with_engine`).
//!
//! Podman keeps its own images: the first test loads the few these tests need (the base image,
//! Python's and C's) from Docker with `docker save | podman load`, rather than building them
//! again. The tests fail, never skip, when the service does not answer.

use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::harness::{engine_ready, with_engine, Test, BIN};
use crate::runtimes::{hello_and_stdin, test_and_serve_smoke};

/// Where `.ci/ensure-podman.sh` serves rootful Podman.
const PODMAN: &str = "unix:///run/codecage-podman/podman.sock";

/// The images the tests below need, by language (the base image comes too).
const LANGUAGES: &[&str] = &["python", "c"];

/// Run `test` against rootful Podman, once its images are there.
fn podman(test: impl FnOnce()) {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let answers = Command::new("podman")
            .args(["--remote", "--url", PODMAN, "version"])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            answers,
            "no rootful Podman answers on {PODMAN}: run `bash .ci/ensure-podman.sh` as root (these tests are not skipped)"
        );
        load_images();
    });
    with_engine(PODMAN, test);
}

/// `docker save` the base image and the language images from Docker into Podman, unless Podman
/// has them already.
fn load_images() {
    engine_ready();
    let listing = Command::new(BIN).arg("languages").output().unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    let mut images = vec!["debian:trixie-slim".to_string()];
    for line in listing.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.first().is_some_and(|l| LANGUAGES.contains(l)) {
            let image = cols
                .iter()
                .find(|c| c.starts_with("codecage/"))
                .unwrap_or_else(|| panic!("no image in {line:?}"));
            images.push(image.to_string());
        }
    }
    let missing: Vec<String> = images
        .into_iter()
        .filter(|image| {
            !Command::new("podman")
                .args(["--remote", "--url", PODMAN, "image", "exists", image])
                .status()
                .is_ok_and(|s| s.success())
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut save = Command::new("docker")
        .arg("save")
        .args(&missing)
        .env_remove("DOCKER_HOST")
        .stdout(Stdio::piped())
        .spawn()
        .expect("docker save");
    let load = Command::new("podman")
        .args(["--remote", "--url", PODMAN, "load"])
        .stdin(save.stdout.take().unwrap())
        .output()
        .expect("podman load");
    assert!(
        save.wait().unwrap().success(),
        "docker save {missing:?} failed"
    );
    assert!(
        load.status.success(),
        "podman load failed: {}",
        String::from_utf8_lossy(&load.stderr)
    );
}

#[test]
fn podman_runs_python_and_c_with_stdin() {
    podman(|| {
        hello_and_stdin("hello.py", "print('hello', input())\n");
        hello_and_stdin(
            "hello.c",
            "#include <stdio.h>\nint main(void) { char s[64]; if (scanf(\"%63s\", s) != 1) return 1; printf(\"hello %s\\n\", s); return 0; }\n",
        );
    });
}

#[test]
fn podman_test_and_serve_work() {
    podman(test_and_serve_smoke);
}

#[test]
fn podman_a_failing_program_is_a_runtime_error_with_its_status() {
    podman(|| {
        let out = Test::new()
            .file("fail.py", "import sys\nprint('before')\nsys.exit(3)\n")
            .args(["run", "fail.py"])
            .status(3);
        assert_eq!(out.stdout_str(), "before\n");
    });
}

#[test]
fn podman_memory_limit_kills_are_memory_limit_verdicts() {
    // Podman 4.3 reports no OOM kill at all: these hold because codecage reads the kernel's
    // counts (src/sandbox/accounting.rs).
    podman(|| {
        crate::limits::memory_limit_in_the_main_process();
        crate::limits::memory_limit_in_a_child_while_the_parent_exits_0();
    });
}

#[test]
fn podman_time_and_cpu_time_limits() {
    podman(|| {
        crate::limits::time_limit_kills_a_busy_loop();
        crate::limits::cpu_time_limit_kills_a_busy_loop_long_before_the_wall_clock_limit();
    });
}

#[test]
fn podman_output_pids_and_disk_limits() {
    podman(|| {
        crate::limits::output_limit_stops_a_flood_at_the_limit();
        crate::attacks::resources::zombies_and_forks_are_bounded_by_the_pids_limit();
        crate::limits::workspace_and_tmp_are_size_limited();
    });
}

#[test]
fn podman_hardening_holds() {
    podman(|| {
        crate::hardening::no_capabilities_no_new_privileges_seccomp_on_not_root();
        crate::hardening::root_filesystem_is_read_only();
        crate::hardening::no_network();
    });
}

#[test]
fn podman_refuses_a_runtime_it_would_ignore() {
    // Podman's compatible API runs every container under its default runtime, whatever the
    // request says: a run that asked for gVisor must not quietly get runc.
    podman(|| {
        let out = Test::new()
            .file("hello.py", "print('hello')\n")
            .args(["run", "--runtime", "runsc", "hello.py"])
            .status(125);
        assert!(
            out.stderr.contains("ignores the OCI runtime"),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    });
}
