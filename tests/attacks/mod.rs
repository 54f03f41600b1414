//! The attack suite: hostile programs, each with its exact safe outcome (exit status or verdict,
//! and a time bound). After every one, no container or volume of it is left (the harness checks)
//! and a normal run still works (`attack` and `harness::still_works`).
//!
//! Groups, with the hostile programs that live next to the feature they attack:
//! - Resources (`resources`; `limits`: fork bomb, threads, memory in the main process and in a
//!   child, workspace and /tmp, busy loop, sleeper ignoring SIGTERM, idle limit, output floods;
//!   `service` for the session idle limit).
//! - Output (`output`; `limits` for stdout and stderr floods; `serve` for binary session output
//!   and a silent session reader).
//! - Escape and privilege (`escape`; `hardening`: capabilities, read-only rootfs, environment).
//! - Network (`network`; `hardening::no_network`).
//! - Files in (`files`).
//! - Compile time (`compile`; `limits::a_compile_time_bomb_is_stopped_by_the_limits`).
//! - Service (`service`; `serve`: bad requests, tokens, full queue, vanished client, SIGTERM with
//!   a run in flight).
//! - Crash safety (`crash`; `cleanup`: signals, SIGKILL, gc).

mod compile;
mod crash;
mod escape;
mod files;
pub mod network;
pub mod output;
pub mod resources;
mod service;

use std::time::Duration;

use crate::harness::{still_works, Output, Test};

/// Run a hostile program: assert its status and that it ended within `bound`, then that a normal
/// run still works.
pub fn attack(test: Test, status: i32, bound: Duration) -> Output {
    let out = test.status(status);
    assert!(
        out.elapsed < bound,
        "took {:?}, more than {bound:?}",
        out.elapsed
    );
    still_works();
    out
}

/// A Python probe that must exit 0 within 30 s; returns its stdout.
pub fn python(source: &str) -> String {
    let test = Test::new()
        .file("attack.py", source)
        .args(["run", "attack.py"]);
    attack(test, 0, Duration::from_secs(30)).stdout_str()
}
