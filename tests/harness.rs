//! A small builder around the real binary: write files into a temp dir, run `codecage`, assert on
//! stdout, stderr and status, and check that the run left no container behind.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_codecage");

/// The languages whose images the suite needs, built once per test process.
const LANGUAGES: &[&str] = &[
    "python",
    "javascript",
    "java",
    "c",
    "cpp",
    "typescript",
    "go",
    "rust",
    "ruby",
    "php",
    "lua",
    "perl",
    "bash",
    // The languages of issue #18; images they share are built once.
    "kotlin",
    "scala",
    "groovy",
    "clojure",
    "csharp",
    "haskell",
    "ocaml",
    "commonlisp",
    "scheme",
    "racket",
    "elixir",
    "erlang",
    "pascal",
    "fortran",
    "d",
    "ada",
    "cobol",
    "assembly",
    "crystal",
    "c-clang",
    "cpp-clang",
    "pypy3",
    "r",
    "octave",
    "tcl",
    "awk",
    "sql",
    "prolog",
];

/// Check the engine answers and the images exist, once. Panics with what to do otherwise.
pub fn engine_ready() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let info = Command::new("docker").args(["info", "--format", "{{.ServerVersion}}"]).output();
        match info {
            Ok(o) if o.status.success() => {}
            _ => panic!(
                "no Docker engine answers: these tests need one (run `bash .ci/ensure-docker.sh` as root, or start Docker)"
            ),
        }
        let out = Command::new(BIN)
            .args(["images", "build"])
            .args(LANGUAGES)
            .output()
            .expect("run codecage images build");
        assert!(
            out.status.success(),
            "codecage images build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

pub struct Test {
    dir: tempfile::TempDir,
    /// codecage's TMPDIR, where its stdio FIFO directories live while a container starts.
    tmp: tempfile::TempDir,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    env: Vec<(String, String)>,
    tag: String,
}

pub struct Output {
    /// The test's directory, kept alive for files the run wrote.
    pub dir: tempfile::TempDir,
    pub status: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Output {
    /// A file the run left in the test's directory.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

impl Test {
    pub fn new() -> Test {
        engine_ready();
        Test {
            dir: tempfile::tempdir().expect("tempdir"),
            tmp: tempfile::tempdir().expect("tempdir"),
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
            tag: format!("t-{}", uuid_like()),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write a file (parents created) relative to the test's directory.
    pub fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Test {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    pub fn stdin(mut self, input: impl AsRef<[u8]>) -> Test {
        self.stdin = Some(input.as_ref().to_vec());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn command(&self) -> Command {
        let mut cmd = clean_command();
        cmd.current_dir(self.dir.path())
            .args(&self.args)
            .env("CODECAGE_TEST_TAG", &self.tag)
            .env("TMPDIR", self.tmp.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"));
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Run to completion; then check that no container of this test remains.
    pub fn run(self) -> Output {
        let mut cmd = self.command();
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let since = unix_now();
        let start = Instant::now();
        let mut child = cmd.spawn().expect("spawn codecage");
        if let Some(input) = self.stdin.clone() {
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
        }
        let out = child.wait_with_output().expect("wait for codecage");
        assert_no_containers(&self.tag);
        let left: Vec<_> = std::fs::read_dir(self.tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().starts_with("codecage-io-"))
            .collect();
        assert!(left.is_empty(), "FIFO directories left behind: {left:?}");
        let output = Output {
            dir: self.dir,
            status: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: start.elapsed(),
        };
        assert!(
            !output.stderr.contains("panicked") && !output.stderr.contains("RUST_BACKTRACE"),
            "codecage panicked: {}",
            output.stderr
        );
        // 125: codecage refused before any sandbox (a runtime the engine would ignore).
        assert_ran_on_this_engine(&self.tag, since, output.status != 125);
        output
    }

    /// Run and assert the status, returning the output for further checks.
    pub fn status(self, expected: i32) -> Output {
        let args = self.args.join(" ");
        let out = self.run();
        assert_eq!(
            out.status,
            expected,
            "codecage {args}: expected status {expected}, got {}\nstdout: {}\nstderr: {}",
            out.status,
            out.stdout_str(),
            out.stderr
        );
        out
    }
}

/// A normal run after a hostile one: the engine and codecage still work.
pub fn still_works() {
    let out = Test::new()
        .file("hello.py", "print('still works')\n")
        .args(["run", "hello.py"])
        .status(0);
    assert_eq!(out.stdout_str(), "still works\n");
}

thread_local! {
    /// The OCI runtime this test thread's runs use (`with_runtime`); the engine's default if none.
    static RUNTIME: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// The engine this test thread's runs and container checks use (`with_engine`): DOCKER_HOST.
    static ENGINE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Run `test` (an ordinary test function) against the Podman service at `host` (DOCKER_HOST):
/// every codecage it starts and every check for containers left behind go there, and each run
/// must show in that engine's events and not in Docker's (`assert_ran_on_this_engine`).
pub fn with_engine(host: &str, test: impl FnOnce()) {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ENGINE.with(|e| *e.borrow_mut() = None);
        }
    }
    ENGINE.with(|e| *e.borrow_mut() = Some(host.to_string()));
    let _reset = Reset;
    test();
}

/// Seconds since the epoch, as `docker events --since` takes them.
pub fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// The container events of `tag` on the default Docker engine since `since` (unix seconds).
fn docker_events(tag: &str, since: f64) -> Vec<String> {
    let out = Command::new("docker")
        .env_remove("DOCKER_HOST")
        .args(["events", "--format", "{{.Action}} {{.ID}}"])
        .args(["--since", &format!("{since:.3}")])
        .args(["--until", &format!("{:.3}", unix_now())])
        .args(["--filter", &format!("label=codecage.tag={tag}")])
        .output()
        .expect("docker events");
    assert!(
        out.status.success(),
        "docker events: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The container events of `tag` on the Podman service at `host` since `since`: its own CLI, as
/// its Docker-compatible events endpoint answers nothing for a past window (Podman 4.3).
fn podman_events(host: &str, tag: &str, since: f64) -> Vec<String> {
    let ago = (unix_now() - since).ceil() as u64 + 1;
    let out = Command::new("podman")
        .args(["--remote", "--url", host, "events", "--stream=false"])
        .args(["--format", "{{.Status}} {{.ID}}"])
        .args(["--since", &format!("{ago}s")])
        .args(["--filter", &format!("label=codecage.tag={tag}")])
        .output()
        .expect("podman events");
    assert!(
        out.status.success(),
        "podman events: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Under `with_engine` (a Podman service), the runs of `tag` happened on that engine (it saw a
/// container start, when `started` says one should have) and never on the default one: a
/// codecage that ignored DOCKER_HOST would pass every other check on Docker.
pub fn assert_ran_on_this_engine(tag: &str, since: f64, started: bool) {
    let Some(host) = ENGINE.with(|e| e.borrow().clone()) else {
        return;
    };
    let elsewhere = docker_events(tag, since);
    assert!(
        elsewhere.is_empty(),
        "{tag} ran on the default engine, not {host}: {elsewhere:?}"
    );
    if started {
        let here = podman_events(&host, tag, since);
        assert!(
            here.iter().any(|e| e.starts_with("start ")),
            "{host} saw no container of {tag} start: {here:?}"
        );
    }
}

/// The docker CLI, pointed at this thread's engine.
pub fn docker_cli() -> Command {
    let mut cmd = Command::new("docker");
    if let Some(host) = ENGINE.with(|e| e.borrow().clone()) {
        cmd.env("DOCKER_HOST", host);
    }
    cmd
}

/// Run `test` (an ordinary test function) with every codecage it starts using `runtime`
/// (CODECAGE_RUNTIME): the same tests, parameterised by runtime rather than copied.
pub fn with_runtime(runtime: &str, test: impl FnOnce()) {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            RUNTIME.with(|r| *r.borrow_mut() = None);
        }
    }
    RUNTIME.with(|r| *r.borrow_mut() = Some(runtime.to_string()));
    let _reset = Reset;
    test();
}

/// The binary with none of the caller's codecage settings in its environment.
pub fn clean_command() -> Command {
    let mut cmd = Command::new(BIN);
    match RUNTIME.with(|r| r.borrow().clone()) {
        Some(runtime) => cmd.env("CODECAGE_RUNTIME", runtime),
        None => cmd.env_remove("CODECAGE_RUNTIME"),
    };
    if let Some(host) = ENGINE.with(|e| e.borrow().clone()) {
        cmd.env("DOCKER_HOST", host);
    }
    for var in [
        "CODECAGE_PROFILES",
        "CODECAGE_CONFIG",
        "CODECAGE_TIME_LIMIT",
        "CODECAGE_MEMORY",
        "CODECAGE_CPUS",
        "CODECAGE_PIDS",
        "CODECAGE_OUTPUT_LIMIT",
        "CODECAGE_SERVER",
        "CODECAGE_TOKEN",
        "CODECAGE_BROKER",
        "CODECAGE_CLAIM_IDLE",
        // On GitHub's runners `test` and `verify` would add annotations and a job summary.
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
    ] {
        cmd.env_remove(var);
    }
    // Every test compiles what it compiles (some count compile sandboxes, some kill a compiler):
    // the compile cache is off unless a test turns it on with a directory of its own.
    cmd.env("CODECAGE_COMPILE_CACHE", "off");
    // Dependency builds trust what this machine trusts, also where the environment does not say
    // so (the development machine reaches PyPI, npm and crates.io through a TLS-intercepting proxy
    // whose CA is in the system bundle).
    let system_bundle = "/etc/ssl/certs/ca-certificates.crt";
    if std::env::var_os("SSL_CERT_FILE").is_none() && Path::new(system_bundle).is_file() {
        cmd.env("SSL_CERT_FILE", system_bundle);
    }
    cmd
}

/// Containers with this test tag still present (running, exited or being removed).
pub fn containers_with_tag(tag: &str) -> Vec<String> {
    let out = docker_cli()
        .args([
            "ps",
            "-aq",
            "--filter",
            &format!("label=codecage.tag={tag}"),
        ])
        .output()
        .expect("docker ps");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Volumes with this test tag (codecage's sandboxes use tmpfs mounts and no volume at all; a
/// regression that adds one must also clean it up).
pub fn volumes_with_tag(tag: &str) -> Vec<String> {
    let out = docker_cli()
        .args([
            "volume",
            "ls",
            "-q",
            "--filter",
            &format!("label=codecage.tag={tag}"),
        ])
        .output()
        .expect("docker volume ls");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The engine removes containers asynchronously after exit: allow it a few seconds.
/// Volumes of the tag must be gone too.
pub fn assert_no_containers(tag: &str) {
    let start = Instant::now();
    loop {
        let left = containers_with_tag(tag);
        if left.is_empty() {
            let volumes = volumes_with_tag(tag);
            assert!(
                volumes.is_empty(),
                "volumes left behind for {tag}: {volumes:?}"
            );
            return;
        }
        if start.elapsed() > Duration::from_secs(15) {
            panic!("containers left behind for {tag}: {left:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}-{}-{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::SeqCst)
    )
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
