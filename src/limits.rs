//! Resource limits of one sandbox, and how defaults, profiles and flags combine into them.

use std::time::Duration;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::units::{parse_duration, parse_size};

/// `codecage test`'s wall-clock backstop is this many times its CPU-time limit, plus
/// `WALL_BACKSTOP_EXTRA`: room for a loaded machine and for the program's start, while a program
/// that sleeps or waits on input still ends in bounded time.
pub const WALL_BACKSTOP_FACTOR: u32 = 2;
/// See `WALL_BACKSTOP_FACTOR`.
pub const WALL_BACKSTOP_EXTRA: Duration = Duration::from_secs(1);

/// The least memory limit codecage sets on a container: below it a container cannot start
/// (Docker refuses less than 6 MiB, and the init, the launcher and a shell need the rest). A
/// lower limit is still a limit: the sandbox gets this much, and a run whose measured peak passes
/// the asked limit is judged MLE ([`Limits::over_memory`]), as judges that set 1 KiB to expect
/// MLE mean it (DMOJ).
pub const MEMORY_FLOOR: u64 = 16 << 20;

/// The limits a sandbox is created with. Every field is enforced on every run.
/// Serializable so an API node can hand a planned run to a worker through the broker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Wall-clock time from start to exit.
    pub time: Duration,
    /// CPU time of all the sandbox's processes together (off when `None`). Enforced only where
    /// the run's cgroup can be read; elsewhere only the wall-clock limit applies.
    pub cpu_time: Option<Duration>,
    /// Memory (RAM; swap is set equal so there is none). Also covers the tmpfs pages of the
    /// workspace and /tmp, which the kernel charges to the same cgroup. Below
    /// [`MEMORY_FLOOR`] the engine enforces the floor and the peak is judged against this.
    pub memory: u64,
    /// CPU quota in cores.
    pub cpus: f64,
    /// Maximum number of processes and threads (the pids cgroup).
    pub pids: i64,
    /// Bytes of stdout + stderr before the run is killed.
    pub output: u64,
    /// Size of the writable workspace `/work` (and, separately, of `/tmp`).
    pub workspace: u64,
    /// End the run when there is no input or output for this long.
    pub idle: Option<Duration>,
    /// The period over which the CPU quota (`cpus`) is enforced. The kernel's own 100 ms holds a
    /// runtime that burns CPU at start-up (Node, the JVM) to its share from its first
    /// milliseconds; over a longer period a short program starts at full speed and a long one
    /// still averages its share (see docs/run.md, "CPU quota").
    #[serde(default = "default_cpu_period")]
    pub cpu_period: Duration,
}

/// See `Limits::cpu_period`.
/// 300 ms: Node's hello world runs as fast as over 1 s (258 against 278 ms, 359 ms at the
/// kernel's 100 ms), while a CPU-bound program over 10 s still gets its share within 3% (over
/// 1 s periods a 10 s window can hold 11 quotas: +8% measured).
pub const DEFAULT_CPU_PERIOD: Duration = Duration::from_millis(300);

fn default_cpu_period() -> Duration {
    DEFAULT_CPU_PERIOD
}

impl Limits {
    /// Built-in defaults for `codecage run`, before the profile and the flags apply.
    pub fn run_defaults() -> Limits {
        Limits {
            time: Duration::from_secs(30),
            cpu_time: None,
            memory: 256 << 20,
            cpus: 0.5,
            pids: 64,
            output: 64 << 20,
            workspace: 64 << 20,
            idle: None,
            cpu_period: DEFAULT_CPU_PERIOD,
        }
    }

    /// Built-in defaults for `codecage test`: judge-like limits per case. A full core, so that a
    /// CPU-time limit measures the program rather than the quota.
    pub fn test_defaults() -> Limits {
        Limits {
            time: Duration::from_secs(2),
            cpus: 1.0,
            output: 1 << 20,
            ..Limits::run_defaults()
        }
    }

    /// Judge by CPU time, as `codecage test` does: the time limit becomes a CPU-time limit, and
    /// the wall-clock limit a backstop (`wall`, else `WALL_BACKSTOP_FACTOR` × + 1 s) that only
    /// catches a program that sleeps or blocks.
    pub fn judge_by_cpu_time(&mut self, wall: Option<Duration>) {
        self.cpu_time = Some(self.time);
        self.time = wall.unwrap_or(self.time * WALL_BACKSTOP_FACTOR + WALL_BACKSTOP_EXTRA);
    }

    /// The memory limit the engine enforces: the asked one, or [`MEMORY_FLOOR`] when it is less.
    pub fn engine_memory(&self) -> u64 {
        self.memory.max(MEMORY_FLOOR)
    }

    /// Whether the asked memory limit is below what the engine can enforce, so that only the
    /// measured peak can hold the run to it.
    pub fn memory_below_floor(&self) -> bool {
        self.memory < MEMORY_FLOOR
    }

    /// Whether a run that peaked at `peak` bytes broke a memory limit the engine could not
    /// enforce itself. At or above the floor the kernel enforces the limit exactly, and its own
    /// OOM kill is the verdict: a peak is never compared there.
    pub fn over_memory(&self, peak: Option<u64>) -> bool {
        self.memory_below_floor() && peak.is_some_and(|p| p > self.memory)
    }

    /// Why the memory limit cannot be held at all on an engine whose runs' peak memory is
    /// `measurable` or not: below the floor only the peak can judge it. `None`: it can be.
    pub fn memory_unenforceable(&self, measurable: bool) -> Option<String> {
        (self.memory_below_floor() && !measurable).then(|| {
            format!(
                "a memory limit of {} is below the {} a sandbox needs to start, and this engine's peak memory cannot be read from here to judge it (`codecage doctor` says why)",
                crate::units::format_size(self.memory),
                crate::units::format_size(MEMORY_FLOOR)
            )
        })
    }

    /// Apply overrides (a profile's `limits:` or the command-line flags).
    pub fn apply(&mut self, o: &LimitOverrides) -> Result<()> {
        if let Some(t) = &o.time {
            self.time = parse_duration(t)?;
        }
        if let Some(c) = &o.cpu_time {
            self.cpu_time = Some(parse_duration(c)?);
        }
        if let Some(m) = &o.memory {
            self.memory = parse_size(m)?;
        }
        if let Some(c) = o.cpus {
            self.cpus = c;
        }
        if let Some(p) = o.pids {
            self.pids = p;
        }
        if let Some(out) = &o.output {
            self.output = parse_size(out)?;
        }
        if let Some(w) = &o.workspace {
            self.workspace = parse_size(w)?;
        }
        if let Some(p) = &o.cpu_period {
            self.cpu_period = parse_duration(p)?;
        }
        self.validate()
    }

    /// Lower every limit to at most `max`'s: a server never lets a request raise them.
    pub fn clamp_to(&mut self, max: &Limits) {
        self.time = self.time.min(max.time);
        self.cpu_time = match (self.cpu_time, max.cpu_time) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.memory = self.memory.min(max.memory);
        self.cpus = self.cpus.min(max.cpus);
        self.pids = self.pids.min(max.pids);
        self.output = self.output.min(max.output);
        self.workspace = self.workspace.min(max.workspace);
        self.idle = match (self.idle, max.idle) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// Reject limits the engine would refuse or that make no sense, with the reason.
    pub fn validate(&self) -> Result<()> {
        anyhow::ensure!(
            self.cpu_time.is_none_or(|c| !c.is_zero()),
            "CPU time limit must be more than 0"
        );
        // Any limit above 0 can be judged (`over_memory`); 0 is what the engine reads as none.
        anyhow::ensure!(self.memory > 0, "memory limit must be more than 0");
        anyhow::ensure!(
            self.cpus > 0.0 && self.cpus <= 64.0,
            "cpus must be more than 0 and at most 64 (got {})",
            self.cpus
        );
        anyhow::ensure!(
            (8..=32768).contains(&self.pids),
            "pids limit must be between 8 and 32768 (got {})",
            self.pids
        );
        anyhow::ensure!(
            self.workspace >= 1 << 20,
            "workspace size must be at least 1 MiB"
        );
        anyhow::ensure!(
            (Duration::from_millis(1)..=Duration::from_secs(1)).contains(&self.cpu_period),
            "cpu_period must be between 1ms and 1s (got {:?})",
            self.cpu_period
        );
        Ok(())
    }
}

/// Optional limit settings as written in a profile or assembled from flags.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LimitOverrides {
    pub time: Option<String>,
    pub cpu_time: Option<String>,
    pub memory: Option<String>,
    pub cpus: Option<f64>,
    pub pids: Option<i64>,
    pub output: Option<String>,
    pub workspace: Option<String>,
    /// `Limits::cpu_period`: in a profile's `limits` and the config file's; no API takes it.
    pub cpu_period: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_apply_in_order() {
        let mut limits = Limits::run_defaults();
        let profile = LimitOverrides {
            memory: Some("768MiB".into()),
            pids: Some(128),
            ..Default::default()
        };
        limits.apply(&profile).unwrap();
        let flags = LimitOverrides {
            memory: Some("1g".into()),
            time: Some("2s".into()),
            ..Default::default()
        };
        limits.apply(&flags).unwrap();
        assert_eq!(limits.memory, 1 << 30);
        assert_eq!(limits.pids, 128);
        assert_eq!(limits.time, Duration::from_secs(2));
        assert_eq!(limits.cpus, 0.5);
    }

    #[test]
    fn judging_by_cpu_time_keeps_a_wall_clock_backstop() {
        let mut limits = Limits::test_defaults();
        limits.judge_by_cpu_time(None);
        assert_eq!(limits.cpu_time, Some(Duration::from_secs(2)));
        assert_eq!(limits.time, Duration::from_secs(5));
        let mut limits = Limits::test_defaults();
        limits.judge_by_cpu_time(Some(Duration::from_secs(9)));
        assert_eq!(limits.time, Duration::from_secs(9));
    }

    #[test]
    fn a_server_clamps_the_cpu_time_limit() {
        let mut max = Limits::run_defaults();
        max.cpu_time = Some(Duration::from_secs(5));
        let mut asked = Limits::run_defaults();
        asked.clamp_to(&max);
        assert_eq!(asked.cpu_time, Some(Duration::from_secs(5)));
        asked.cpu_time = Some(Duration::from_secs(1));
        asked.clamp_to(&max);
        assert_eq!(asked.cpu_time, Some(Duration::from_secs(1)));
    }

    #[test]
    fn nonsense_is_refused() {
        let mut limits = Limits::run_defaults();
        let bad = LimitOverrides {
            cpus: Some(0.0),
            ..Default::default()
        };
        assert!(limits.apply(&bad).is_err());
        // 0 is no limit to the engine (a size of 0 does not even parse; the wire has numbers).
        let mut none = Limits::run_defaults();
        none.memory = 0;
        let error = none.validate().unwrap_err();
        assert_eq!(error.to_string(), "memory limit must be more than 0");
    }

    /// Issue #29: a limit below what a container needs is a limit all the same (DMOJ sets 1 KiB
    /// to expect MLE): the engine gets the floor, and the peak is judged against the limit.
    #[test]
    fn a_memory_limit_below_the_floor_is_judged_by_the_peak() {
        let mut limits = Limits::run_defaults();
        let tiny = LimitOverrides {
            memory: Some("1KiB".into()),
            ..Default::default()
        };
        limits.apply(&tiny).unwrap();
        assert_eq!(limits.memory, 1024);
        assert_eq!(limits.engine_memory(), MEMORY_FLOOR);
        assert!(limits.over_memory(Some(1025)));
        assert!(!limits.over_memory(Some(1024)));
        assert!(!limits.over_memory(None));
        // At the floor and above the kernel enforces the limit; a peak alone is no verdict.
        let usual = Limits::run_defaults();
        assert_eq!(usual.engine_memory(), usual.memory);
        assert!(!usual.over_memory(Some(usual.memory * 2)));
    }
}
