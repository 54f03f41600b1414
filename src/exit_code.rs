//! The exit-status contract of `codecage`, in one place so the README, the code and the tests agree.
//!
//! When the program ran to completion, codecage exits with the program's own status (a program
//! killed by signal N gives 128+N, as a shell reports it). The constants below are what codecage
//! itself reports when it ended the run, or could not run it at all.

use crate::verdict::Verdict;

/// Success: the program exited 0 (or every test case passed, for `codecage test`).
pub const SUCCESS: u8 = 0;

/// `codecage test`: at least one case was not accepted (WA, TLE, MLE, RE, OLE or CE).
pub const TESTS_FAILED: u8 = 1;

/// `codecage run`: the source failed to compile; the compiler's diagnostics were printed on stderr.
pub const COMPILE_ERROR: u8 = 65;

/// `codecage run`/`test`: installing the program's dependencies (`requirements.txt`,
/// `package.json`, a dependency set) failed; the installer's own output was printed on stderr.
pub const DEPENDENCY_ERROR: u8 = 66;

/// The container engine is unavailable (`sandbox::engine_unavailable`): nothing answered at
/// DOCKER_HOST (or the local socket), or it closed the connection before answering. Nothing is
/// known about the program; start the engine and retry (sysexits' `EX_UNAVAILABLE`). The
/// one-line message says how.
pub const ENGINE_UNAVAILABLE: u8 = 69;

/// The wall-clock time limit was hit and the program was killed (the same code `timeout(1)` uses).
pub const TIME_LIMIT: u8 = 124;

/// codecage itself failed: unknown language, missing file, bad profile, bad flag, image build
/// failure. The one-line message on stderr names the problem.
pub const CODECAGE_ERROR: u8 = 125;

/// Memory limit: the kernel's OOM killer fired inside the sandbox (also when it killed a child
/// process and the main program exited 0).
pub const MEMORY_LIMIT: u8 = 137;

/// The idle limit (`--idle-timeout`) was hit: no input or output for that long.
pub const IDLE_LIMIT: u8 = 142;

/// The output limit was hit (stdout + stderr bytes) and the program was killed. 128 + SIGXFSZ.
pub const OUTPUT_LIMIT: u8 = 153;

/// codecage was interrupted (SIGINT, SIGTERM or SIGHUP) and stopped the run: 128 + the signal.
pub fn interrupted(signal: i32) -> u8 {
    (128 + signal).clamp(0, 255) as u8
}

/// codecage's status for a program that ended with `verdict` (`status`: its own exit status, when
/// it exited). A local run also tells the idle limit and the signal that cancelled it apart
/// (`Outcome::exit_status`); everything else goes through here.
pub fn for_verdict(verdict: Verdict, status: Option<i64>) -> u8 {
    match verdict {
        Verdict::Accepted
        | Verdict::RuntimeError
        | Verdict::WrongAnswer
        | Verdict::PresentationError => from_program(status.unwrap_or(-1)),
        Verdict::TimeLimit => TIME_LIMIT,
        Verdict::MemoryLimit => MEMORY_LIMIT,
        Verdict::OutputLimit => OUTPUT_LIMIT,
        Verdict::CompileError => COMPILE_ERROR,
        Verdict::InternalError => CODECAGE_ERROR,
        Verdict::Cancelled => interrupted(libc::SIGINT),
    }
}

/// Map a container's exit status to ours: statuses outside 0..=255 cannot be represented.
pub fn from_program(status: i64) -> u8 {
    if (0..=255).contains(&status) {
        status as u8
    } else {
        CODECAGE_ERROR
    }
}
