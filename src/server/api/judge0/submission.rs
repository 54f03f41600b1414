//! One Judge0 submission as it is stored: what the client asked for (limits as applied) and,
//! once judged, what happened. Bytes stay bytes (a program may print anything); they are stored
//! as base64 inside the record's JSON.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::statuses::Status;

/// A stored submission. `seq` orders submissions (queue order, listing, retention).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub token: String,
    pub language_id: u32,
    #[serde(with = "blob")]
    pub source_code: Vec<u8>,
    #[serde(with = "opt_blob")]
    pub stdin: Option<Vec<u8>>,
    #[serde(with = "opt_blob")]
    pub expected_output: Option<Vec<u8>>,
    pub compiler_options: Option<String>,
    pub command_line_arguments: Option<String>,
    /// Seconds of CPU time the program is judged by.
    pub cpu_time_limit: f64,
    /// Seconds of CPU time past the limit before the program is killed.
    pub cpu_extra_time: f64,
    pub wall_time_limit: f64,
    /// KB.
    pub memory_limit: u64,
    /// KB; validated and reported, not enforced (see docs/judge0.md).
    pub stack_limit: u64,
    pub max_processes_and_or_threads: u64,
    pub enable_per_process_and_thread_time_limit: bool,
    pub enable_per_process_and_thread_memory_limit: bool,
    /// KB of output (stdout + stderr) before SIGXFSZ.
    pub max_file_size: u64,
    pub redirect_stderr_to_stdout: bool,
    pub enable_network: bool,
    pub number_of_runs: u32,
    pub callback_url: Option<String>,
    /// The zip as the client sent it (base64 text).
    pub additional_files: Option<String>,

    /// Judge0's status id.
    pub status: u8,
    #[serde(with = "opt_blob")]
    pub stdout: Option<Vec<u8>>,
    #[serde(with = "opt_blob")]
    pub stderr: Option<Vec<u8>>,
    #[serde(with = "opt_blob")]
    pub compile_output: Option<Vec<u8>>,
    pub message: Option<String>,
    /// Seconds of CPU time (mean over the runs).
    pub time: Option<f64>,
    pub wall_time: Option<f64>,
    /// KB (mean peak over the runs).
    pub memory: Option<u64>,
    pub exit_code: Option<i64>,
    pub exit_signal: Option<i64>,
    /// Microseconds since the epoch.
    pub created_at: u64,
    pub started_at: Option<u64>,
    pub finished_at: Option<u64>,
}

impl Record {
    pub fn status(&self) -> Status {
        Status::from_id(self.status).unwrap_or(Status::InternalError)
    }

    pub fn is_pending(&self) -> bool {
        self.status().is_pending()
    }
}

/// Now, in microseconds since the epoch.
pub fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// `2024-04-04T05:22:23.712Z`: Judge0's (and the SDK's `%Y-%m-%dT%H:%M:%S.%fZ`) shape.
pub fn timestamp(micros: u64) -> String {
    let secs = micros / 1_000_000;
    let millis = (micros / 1000) % 1000;
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rest / 3600,
        (rest / 60) % 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Judge0's decimals: `5.0`, `0.002` (Ruby's BigDecimal#to_s, as strings).
pub fn decimal(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0');
    if text.ends_with('.') {
        format!("{text}0")
    } else {
        text.to_string()
    }
}

mod blob {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

mod opt_blob {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_some(&STANDARD.encode(b)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| STANDARD.decode(t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_milliseconds_and_z() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(1_712_208_143_712_345), "2024-04-04T05:22:23.712Z");
        assert_eq!(timestamp(951_782_400_000_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn decimals_look_like_judge0s() {
        assert_eq!(decimal(5.0), "5.0");
        assert_eq!(decimal(0.002), "0.002");
        assert_eq!(decimal(0.1), "0.1");
        assert_eq!(decimal(12.5), "12.5");
    }
}
