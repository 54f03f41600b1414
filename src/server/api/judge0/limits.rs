//! Judge0's limit fields (seconds, KB) with this server's defaults and maxima: what
//! `/config_info` reports and what a submission is checked against. A language whose profile
//! needs more (the JVM's memory, Go's threads) gets its profile's defaults and maxima, as the
//! other APIs do.

use codecage::limits::Limits;
use codecage::profile::Profile;

use crate::server::http::settings::Settings;

/// Judge0's default CPU-time limit (its judge0.conf), unless the server allows less.
const CPU_TIME_LIMIT: f64 = 5.0;
/// Judge0's default and most extra CPU time.
const CPU_EXTRA_TIME: f64 = 1.0;
const MAX_CPU_EXTRA_TIME: f64 = 5.0;
/// Judge0's stack limits, KB (accepted and reported; see docs/judge0.md).
const STACK_LIMIT: u64 = 64000;
const MAX_STACK_LIMIT: u64 = 128000;
/// Judge0's most runs of one submission.
const MAX_NUMBER_OF_RUNS: u64 = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Judge0Limits {
    pub cpu_time_limit: f64,
    pub max_cpu_time_limit: f64,
    pub cpu_extra_time: f64,
    pub max_cpu_extra_time: f64,
    pub wall_time_limit: f64,
    pub max_wall_time_limit: f64,
    pub memory_limit: u64,
    pub max_memory_limit: u64,
    pub stack_limit: u64,
    pub max_stack_limit: u64,
    pub max_processes_and_or_threads: u64,
    pub max_max_processes_and_or_threads: u64,
    pub max_file_size: u64,
    pub max_max_file_size: u64,
    pub max_number_of_runs: u64,
}

impl Judge0Limits {
    /// The server's own (what `/config_info` says).
    pub fn new(settings: &Settings) -> Judge0Limits {
        Judge0Limits::from(&settings.limits, &settings.limits)
    }

    /// For one language: its profile's defaults, the server's maxima raised where it needs more.
    pub fn for_profile(settings: &Settings, profile: &Profile) -> Judge0Limits {
        let mut defaults = settings.limits.clone();
        if defaults.apply(&profile.limits).is_err() {
            defaults = settings.limits.clone();
        }
        let max = settings.limits_max(profile);
        defaults.clamp_to(&max);
        Judge0Limits::from(&defaults, &max)
    }

    fn from(defaults: &Limits, max: &Limits) -> Judge0Limits {
        let max_cpu = max.cpu_time.unwrap_or(max.time).as_secs_f64();
        Judge0Limits {
            cpu_time_limit: CPU_TIME_LIMIT.min(max_cpu),
            max_cpu_time_limit: max_cpu,
            cpu_extra_time: CPU_EXTRA_TIME,
            max_cpu_extra_time: MAX_CPU_EXTRA_TIME,
            wall_time_limit: defaults.time.as_secs_f64(),
            max_wall_time_limit: max.time.as_secs_f64(),
            memory_limit: defaults.memory / 1024,
            max_memory_limit: max.memory / 1024,
            stack_limit: STACK_LIMIT,
            max_stack_limit: MAX_STACK_LIMIT,
            max_processes_and_or_threads: defaults.pids.max(1) as u64,
            max_max_processes_and_or_threads: max.pids.max(1) as u64,
            max_file_size: defaults.output / 1024,
            max_max_file_size: max.output / 1024,
            max_number_of_runs: MAX_NUMBER_OF_RUNS,
        }
    }
}
