//! What happened in a sandbox, from the engine's facts and our own counters, and the verdict that
//! follows. The exit code alone cannot tell a memory kill from a plain failure, so it is never used
//! alone.

use std::time::Duration;

/// Facts about a finished sandbox.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The container's exit status (128+N for a signal), if it exited.
    pub exit_code: Option<i64>,
    /// The engine reported an OOM kill (in the main process or any child).
    pub oom_killed: bool,
    /// codecage killed it at the wall-clock limit.
    pub timed_out: bool,
    /// codecage killed it after the idle limit.
    pub idle_timed_out: bool,
    /// codecage killed it when stdout+stderr passed the output limit.
    pub output_exceeded: bool,
    /// The run was cancelled (Ctrl-C or a signal to codecage, or the consumer went away).
    pub cancelled: bool,
    /// Our output sink failed (e.g. the reader of our stdout went away).
    pub sink_closed: bool,
    pub stdout_bytes: u64,
    pub stderr_bytes: u64,
    /// Wall time from start to exit, as seen by codecage.
    pub wall: Duration,
}

/// The grading verdicts, as online judges name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Exited 0.
    Ok,
    /// Exited non-zero or by a signal.
    RuntimeError,
    TimeLimit,
    MemoryLimit,
    OutputLimit,
    IdleLimit,
    /// Stopped by codecage on request.
    Cancelled,
}

impl Outcome {
    pub fn verdict(&self) -> Verdict {
        if self.cancelled || self.sink_closed {
            Verdict::Cancelled
        } else if self.output_exceeded {
            Verdict::OutputLimit
        } else if self.timed_out {
            Verdict::TimeLimit
        } else if self.idle_timed_out {
            Verdict::IdleLimit
        } else if self.oom_killed {
            Verdict::MemoryLimit
        } else if self.exit_code == Some(0) {
            Verdict::Ok
        } else {
            Verdict::RuntimeError
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oom_beats_a_clean_exit() {
        let o = Outcome {
            exit_code: Some(0),
            oom_killed: true,
            ..Default::default()
        };
        assert_eq!(o.verdict(), Verdict::MemoryLimit);
    }

    #[test]
    fn our_kills_beat_the_exit_code() {
        let o = Outcome {
            exit_code: Some(137),
            timed_out: true,
            ..Default::default()
        };
        assert_eq!(o.verdict(), Verdict::TimeLimit);
        let o = Outcome {
            exit_code: Some(137),
            output_exceeded: true,
            timed_out: true,
            ..Default::default()
        };
        assert_eq!(o.verdict(), Verdict::OutputLimit);
        assert_eq!(
            Outcome {
                exit_code: Some(3),
                ..Default::default()
            }
            .verdict(),
            Verdict::RuntimeError
        );
    }
}
