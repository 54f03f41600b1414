//! What a caller asks of a sandbox: the image, the argv, the workspace and the limits, and nothing
//! of Docker's parameters. Its own file so the files that act on a spec (`container.rs`,
//! `drive.rs`, `hardening.rs`) import it without importing `mod.rs`, which imports them.

use crate::limits::Limits;

/// Everything needed to run one sandbox. Callers never choose Docker parameters beyond these.
#[derive(Debug, Clone)]
pub struct SandboxSpec {
    /// A codecage image tag (from a profile).
    pub image: String,
    /// The command, run in `/work` after the workspace is unpacked.
    pub argv: Vec<String>,
    /// The workspace as an uncompressed tar (from `Workspace::to_tar`).
    pub workspace_tar: Vec<u8>,
    pub limits: Limits,
    /// Run on a TTY of this size (cols, rows).
    pub tty: Option<(u16, u16)>,
    /// A compile step: the command's output goes to stderr and stdout carries the workspace tar.
    pub compile: bool,
    /// Extra labels (e.g. a test's tag, so the test can check its containers are gone).
    pub labels: Vec<(String, String)>,
    /// Report each engine step with its timing on stderr (`-v`).
    pub trace: bool,
    /// OCI runtime (from the profile); the engine's default when `None`.
    pub runtime: Option<String>,
    /// The caller may send the program signals (sessions): with FIFO stdio the program then
    /// keeps the shim's PID and reads the stdin FIFO itself (see `shim.rs`).
    pub signals: bool,
}

impl SandboxSpec {
    /// A pipe-mode run of `argv` in `image` with the caller's labels (`env_labels`), the engine's
    /// default runtime and no trace; the `with_*` methods change the rest. The one place a spec is
    /// written out field by field.
    pub fn new(image: String, argv: Vec<String>, workspace_tar: Vec<u8>, limits: Limits) -> Self {
        SandboxSpec {
            image,
            argv,
            workspace_tar,
            limits,
            tty: None,
            compile: false,
            labels: env_labels(),
            trace: false,
            runtime: None,
            signals: false,
        }
    }

    /// Run on a TTY of this size (cols, rows).
    pub fn with_tty(mut self, size: Option<(u16, u16)>) -> Self {
        self.tty = size;
        self
    }

    /// A compile step: stdout carries the workspace tar back.
    pub fn for_compile(mut self) -> Self {
        self.compile = true;
        self
    }

    /// Report each engine step on stderr.
    pub fn with_trace(mut self, trace: bool) -> Self {
        self.trace = trace;
        self
    }

    /// The caller will send the program signals (a session).
    pub fn with_signals(mut self, signals: bool) -> Self {
        self.signals = signals;
        self
    }

    /// The OCI runtime (`None`: the engine's default).
    pub fn with_runtime(mut self, runtime: Option<String>) -> Self {
        self.runtime = runtime;
        self
    }
}

/// Labels a test harness asks for (CODECAGE_TEST_TAG), so it can check its containers are gone.
pub fn env_labels() -> Vec<(String, String)> {
    std::env::var("CODECAGE_TEST_TAG")
        .ok()
        .filter(|t| !t.is_empty() && t.len() < 128)
        .map(|t| vec![("codecage.tag".to_string(), t)])
        .unwrap_or_default()
}
