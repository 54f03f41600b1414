//! codecage against rootful Podman's Docker-compatible API (`podman system service`, started by
//! `bash .ci/ensure-podman.sh` on /run/codecage-podman/podman.sock): run, test and serve smoke
//! tests and the limit tests, the same test functions as on Docker with every codecage (and every
//! check for containers left behind) pointed at Podman (`harness::with_engine`).
//!
//! Each run proves it ran on Podman: Podman's events show its container created and Docker's show
//! none (`harness::assert_ran_on_this_engine`, for every `Test` and `Server` under `with_engine`).
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
    podman(|| test_and_serve_smoke(true));
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
fn podman_an_inode_flood_meets_the_memory_limit() {
    // Podman refuses `nr_inodes=`: empty files are bounded by the kernel memory their inodes
    // take, charged to the sandbox's memory limit.
    podman(|| {
        let out = Test::new()
            .file(
                "inodes.py",
                "n = 0\nwhile n < 10_000_000:\n    open(f'/work/f{n}', 'w').close()\n    n += 1\n",
            )
            .args([
                "run",
                "--memory",
                "64MiB",
                "--time-limit",
                "60s",
                "inodes.py",
            ])
            .status(137);
        assert_eq!(out.stderr, "codecage: memory limit exceeded (64 MiB)\n");
    });
}

/// Which engine made the sandbox, from inside: Podman's init and its `container` variable, and
/// whether the sandbox's cgroup is named for libpod.
fn engine_marks() -> String {
    Test::new()
        .file(
            "engine.py",
            "import os\ncgroup = open('/proc/self/cgroup').read()\nprint(open('/proc/1/comm').read().strip(), os.environ.get('container'), '/libpod-' in cgroup)\n",
        )
        .args(["run", "engine.py"])
        .status(0)
        .stdout_str()
}

#[test]
fn podman_sandboxes_are_podmans_containers() {
    // Every test here also checks, through the harness, that Podman's events show its containers
    // and Docker's none; this one asks the sandbox itself, and Docker for contrast.
    assert_eq!(engine_marks(), "docker-init None False\n", "on Docker");
    podman(|| assert_eq!(engine_marks(), "podman-init podman True\n", "on Podman"));
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

/// A user the rootless test creates (with subordinate ids, as `useradd` gives every new user).
const ROOTLESS_USER: &str = "codecage-rootless";

/// A rootless Podman service run by `ROOTLESS_USER` on `$XDG_RUNTIME_DIR/podman/podman.sock`.
/// Dropping it ends every process of that user (the service, and the pause process a rootless
/// Podman keeps its user namespace with), each by its pid, and removes the runtime directory.
struct RootlessPodman {
    uid: u32,
    runtime_dir: std::path::PathBuf,
    service: Option<std::process::Child>,
}

impl RootlessPodman {
    fn start() -> RootlessPodman {
        let exists = Command::new("id").arg(ROOTLESS_USER).output().unwrap();
        if !exists.status.success() {
            let made = Command::new("useradd")
                .args(["--create-home", "--shell", "/bin/sh", ROOTLESS_USER])
                .status()
                .expect("useradd");
            assert!(
                made.success(),
                "useradd {ROOTLESS_USER} failed (run as root)"
            );
        }
        let id = |flag: &str| -> u32 {
            let out = Command::new("id")
                .args([flag, ROOTLESS_USER])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
        };
        let (uid, gid) = (id("-u"), id("-g"));
        let runtime_dir = std::path::PathBuf::from(format!("/run/user/{uid}"));
        std::fs::create_dir_all(runtime_dir.join("podman")).unwrap();
        for dir in [runtime_dir.clone(), runtime_dir.join("podman")] {
            let chown = Command::new("chown")
                .arg(format!("{uid}:{gid}"))
                .arg(&dir)
                .status()
                .unwrap();
            assert!(chown.success());
        }
        let mut podman = RootlessPodman {
            uid,
            runtime_dir,
            service: None,
        };
        // setpriv execs (no fork): the child is the service itself.
        let service = Command::new("setpriv")
            .args([
                "--reuid",
                &uid.to_string(),
                "--regid",
                &gid.to_string(),
                "--init-groups",
            ])
            .args(["--", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
            .arg(format!("HOME=/home/{ROOTLESS_USER}"))
            .arg(format!("USER={ROOTLESS_USER}"))
            .arg(format!("XDG_RUNTIME_DIR={}", podman.runtime_dir.display()))
            .args(["podman", "system", "service", "--time=0", &podman.host()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rootless podman");
        podman.service = Some(service);
        for _ in 0..100 {
            if podman.socket().exists() {
                // `Drop` ends the service by its pid, with the user's other processes.
                return podman;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("rootless podman did not make {}", podman.host());
    }

    fn socket(&self) -> std::path::PathBuf {
        self.runtime_dir.join("podman/podman.sock")
    }

    fn host(&self) -> String {
        format!("unix://{}", self.socket().display())
    }
}

impl Drop for RootlessPodman {
    fn drop(&mut self) {
        // Every process of the test's own user, by pid (the service, its pause process).
        use std::os::unix::fs::MetadataExt;
        for _ in 0..20 {
            let pids: Vec<String> = std::fs::read_dir("/proc")
                .unwrap()
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                })
                .filter(|e| e.metadata().is_ok_and(|m| m.uid() == self.uid))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            if pids.is_empty() {
                break;
            }
            let _ = Command::new("kill").arg("-9").args(&pids).status();
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if let Some(mut service) = self.service.take() {
            let _ = service.kill();
            let _ = service.wait();
        }
        let _ = std::fs::remove_dir_all(&self.runtime_dir);
    }
}

#[test]
fn rootless_podman_on_cgroup_v1_is_refused_with_the_reason() {
    // This host's cgroups are v1, which the kernel does not delegate to a user: rootless Podman
    // would run the sandbox with no memory, pids or CPU limit ("Resource limits are not
    // supported and ignored on cgroups V1 rootless systems"). codecage refuses, in one line, and
    // doctor fails with the same reason. (On a cgroup v2 host rootless Podman is not tested.)
    let v2 = std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists();
    assert!(
        !v2,
        "cgroup v2 host: rootless Podman is not covered by this suite yet (see docs/runtimes-and-engines.md)"
    );
    let podman = RootlessPodman::start();
    with_engine(&podman.host(), || {
        let out = Test::new()
            .file("hello.py", "print('hello')\n")
            .args(["run", "hello.py"])
            .status(125);
        assert_eq!(
            out.stderr,
            "codecage: rootless Podman on cgroup v1 cannot enforce memory, pids or CPU limits (the kernel does not delegate v1 cgroups to a user), so codecage will not run there; use a rootful engine, or a host with cgroup v2\n"
        );
        assert!(out.stdout.is_empty());
        let doctor = Test::new().args(["doctor"]).status(125);
        let text = doctor.stdout_str();
        assert!(
            text.contains("engine Podman 4.3.1 (rootless)") || text.contains("(rootless)"),
            "{text}"
        );
        assert!(
            text.contains("FAIL  rootless Podman on cgroup v1"),
            "{text}"
        );
    });
}
