//! What happened in a sandbox, from the engine's facts and our own counters, and the verdict that
//! follows. The exit code alone cannot tell a memory kill from a plain failure, so it is never used
//! alone.

use std::time::Duration;

use crate::exit_code;
use crate::limits::Limits;
use crate::units::{format_duration, format_size};
pub use crate::verdict::Verdict;

/// Facts about a finished sandbox.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The container's exit status (128+N for a signal), if it exited.
    pub exit_code: Option<i64>,
    /// The engine reported an OOM kill (in the main process or any child).
    pub oom_killed: bool,
    /// The run's peak memory passed a memory limit below what the engine enforces
    /// (`Limits::over_memory`): it ran with the floor, and is judged by its peak.
    pub memory_exceeded: bool,
    /// codecage killed it at the wall-clock limit.
    pub timed_out: bool,
    /// codecage killed it when the sandbox's CPU time passed the CPU-time limit.
    pub cpu_timed_out: bool,
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
    /// CPU time of all the sandbox's processes, from its cgroup (`None`: not measurable here).
    pub cpu: Option<Duration>,
    /// Peak memory of the sandbox's cgroup in bytes, tmpfs pages included (`None`: not
    /// measurable here).
    pub memory_peak: Option<u64>,
}

impl Outcome {
    /// The verdict the engine's facts give on their own (a grader may still say WA).
    pub fn verdict(&self) -> Verdict {
        if self.cancelled || self.sink_closed {
            Verdict::Cancelled
        } else if self.output_exceeded {
            Verdict::OutputLimit
        } else if self.timed_out || self.cpu_timed_out || self.idle_timed_out {
            Verdict::TimeLimit
        } else if self.oom_killed || self.memory_exceeded {
            Verdict::MemoryLimit
        } else if self.exit_code == Some(0) {
            Verdict::Accepted
        } else {
            Verdict::RuntimeError
        }
    }

    /// Whether codecage itself stopped the run (a limit, a cancellation or a closed reader), so
    /// a SIGKILL exit is ours and not the kernel's.
    pub fn killed_by_us(&self) -> bool {
        self.cancelled
            || self.sink_closed
            || self.output_exceeded
            || self.timed_out
            || self.cpu_timed_out
            || self.idle_timed_out
    }

    /// CPU time in whole milliseconds, when measured (the JSON reports' `cpu_ms`).
    pub fn cpu_ms(&self) -> Option<u64> {
        self.cpu.map(|d| d.as_millis() as u64)
    }

    /// "cpu 512 ms, peak memory 100.0 MiB" for `-v`, "unknown" for what was not measured.
    pub fn usage_summary(&self) -> String {
        let cpu = self
            .cpu_ms()
            .map_or("unknown".to_string(), |ms| format!("{ms} ms"));
        let memory = self
            .memory_peak
            .map_or("unknown".to_string(), crate::units::format_size_approx);
        format!("cpu {cpu}, peak memory {memory}")
    }

    /// The signal that ended the program, when its status says one did (128+N, as a shell
    /// reports it).
    pub fn signal(&self) -> Option<i64> {
        self.exit_code
            .filter(|c| (129..=159).contains(c))
            .map(|c| c - 128)
    }

    /// Which limits codecage enforced, by name (`time`, `cpu_time`, `memory`, `output`, `idle`).
    pub fn limits_hit(&self) -> Vec<&'static str> {
        [
            (self.timed_out, "time"),
            (self.cpu_timed_out, "cpu_time"),
            (self.oom_killed || self.memory_exceeded, "memory"),
            (self.output_exceeded, "output"),
            (self.idle_timed_out, "idle"),
        ]
        .into_iter()
        .filter_map(|(hit, name)| hit.then_some(name))
        .collect()
    }

    /// codecage's exit status for this outcome (the contract in `exit_code.rs`): the program's
    /// own status when it ran to the end, else the status of the limit that stopped it.
    /// `interrupted` is the signal that made codecage cancel the run, if one did.
    pub fn exit_status(&self, interrupted: Option<i32>) -> u8 {
        match self.verdict() {
            Verdict::Cancelled => match interrupted {
                Some(signal) => exit_code::interrupted(signal),
                // Nobody signalled us: our reader went away (`codecage run x | head -1`).
                None => exit_code::interrupted(libc::SIGPIPE),
            },
            Verdict::TimeLimit if self.idle_timed_out && !self.timed_out => exit_code::IDLE_LIMIT,
            verdict => exit_code::for_verdict(verdict, self.exit_code),
        }
    }

    /// A one-line reason when codecage stopped the program at a limit (`None` when it ended on
    /// its own or was cancelled).
    pub fn limit_message(&self, limits: &Limits) -> Option<String> {
        Some(match self.verdict() {
            Verdict::OutputLimit => {
                format!("output limit exceeded ({})", format_size(limits.output))
            }
            Verdict::TimeLimit if self.cpu_timed_out => format!(
                "CPU time limit exceeded ({})",
                format_duration(limits.cpu_time.unwrap_or_default())
            ),
            Verdict::TimeLimit if self.idle_timed_out && !self.timed_out => format!(
                "idle limit exceeded ({} without input or output)",
                format_duration(limits.idle.unwrap_or_default())
            ),
            Verdict::TimeLimit => format!("time limit exceeded ({})", format_duration(limits.time)),
            // The peak says by how much, where the limit was judged by it.
            Verdict::MemoryLimit => match self.memory_peak.filter(|_| self.memory_exceeded) {
                Some(peak) => format!(
                    "memory limit exceeded ({}; peak {})",
                    format_size(limits.memory),
                    crate::units::format_size_approx(peak)
                ),
                None => format!("memory limit exceeded ({})", format_size(limits.memory)),
            },
            _ => return None,
        })
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

    /// A limit below the engine's floor: the program ran to the end, and its peak decides.
    #[test]
    fn a_peak_over_a_limit_below_the_floor_is_mle_with_the_peak_told() {
        let o = Outcome {
            exit_code: Some(0),
            memory_exceeded: true,
            memory_peak: Some(3 << 20),
            ..Default::default()
        };
        assert_eq!(o.verdict(), Verdict::MemoryLimit);
        assert_eq!(o.limits_hit(), ["memory"]);
        let mut limits = Limits::run_defaults();
        limits.memory = 1024;
        assert_eq!(
            o.limit_message(&limits).unwrap(),
            "memory limit exceeded (1 KiB; peak 3.0 MiB)"
        );
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

    #[test]
    fn one_exit_status_per_outcome() {
        let exited = |code| Outcome {
            exit_code: Some(code),
            ..Default::default()
        };
        assert_eq!(exited(0).exit_status(None), 0);
        assert_eq!(exited(3).exit_status(None), 3);
        assert_eq!(exited(139).exit_status(None), 139);
        assert_eq!(exited(139).signal(), Some(11));
        assert_eq!(exited(1).signal(), None);
        let idle = Outcome {
            idle_timed_out: true,
            ..exited(137)
        };
        assert_eq!(idle.verdict(), Verdict::TimeLimit);
        assert_eq!(idle.exit_status(None), exit_code::IDLE_LIMIT);
        assert_eq!(idle.limits_hit(), ["idle"]);
        let timed = Outcome {
            timed_out: true,
            ..exited(137)
        };
        assert_eq!(timed.exit_status(None), exit_code::TIME_LIMIT);
        let cpu = Outcome {
            cpu_timed_out: true,
            ..exited(137)
        };
        assert_eq!(cpu.verdict(), Verdict::TimeLimit);
        assert_eq!(cpu.exit_status(None), exit_code::TIME_LIMIT);
        assert_eq!(cpu.limits_hit(), ["cpu_time"]);
        let mut limits = Limits::run_defaults();
        limits.cpu_time = Some(Duration::from_secs(1));
        assert_eq!(
            cpu.limit_message(&limits).unwrap(),
            "CPU time limit exceeded (1s)"
        );
        let oom = Outcome {
            oom_killed: true,
            ..exited(0)
        };
        assert_eq!(oom.exit_status(None), exit_code::MEMORY_LIMIT);
        let cancelled = Outcome {
            cancelled: true,
            ..Default::default()
        };
        assert_eq!(cancelled.exit_status(Some(libc::SIGINT)), 130);
        let closed = Outcome {
            sink_closed: true,
            ..Default::default()
        };
        assert_eq!(closed.exit_status(None), 141);
        assert_eq!(exited(-1).exit_status(None), exit_code::CODECAGE_ERROR);
    }
}
