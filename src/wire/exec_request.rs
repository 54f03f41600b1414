//! What a client asks to run, as every front end (HTTP APIs, sessions, a broker job) hands it to
//! the server's one execution path. Plain data: no Docker parameter comes from a client.

use serde::{Deserialize, Serialize};

use crate::limits::LimitOverrides;

/// What a client asks to run. Everything here is data: no Docker parameter comes from a client.
#[derive(Debug, Clone)]
pub struct ExecRequest {
    pub language: String,
    /// (name, content); the first is the entry point.
    pub files: Vec<(String, Vec<u8>)>,
    pub stdin: Vec<u8>,
    pub args: Vec<String>,
    pub limits: LimitOverrides,
    /// Name of a dependency set; only sets the operator enabled are accepted.
    pub dependencies: Option<String>,
    /// Changes a front end makes to the language's commands (Judge0's options).
    pub tweaks: Tweaks,
}

/// Changes to the language profile's commands for one request, applied where the request is
/// planned (on a worker too, to the worker's own profile).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tweaks {
    /// The compile command instead of the profile's.
    pub compile: Option<Vec<String>>,
    /// The run command instead of the profile's.
    pub run: Option<Vec<String>>,
    /// Arguments added to the compile command (the front end checked they are allowed).
    pub compile_flags: Vec<String>,
    /// Workspace files to mark executable.
    pub executables: Vec<String>,
}

impl Tweaks {
    /// Whether the request changes nothing (the profile's commands stand).
    pub fn is_empty(&self) -> bool {
        self.compile.is_none()
            && self.run.is_none()
            && self.compile_flags.is_empty()
            && self.executables.is_empty()
    }
}
