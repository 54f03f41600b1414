//! Counters for `GET /metrics` in Prometheus' text format: runs per language and verdict, a
//! run-time histogram and the session gauge. What an operator needs to size `--max-concurrent`,
//! `--queue` and `--pool` (the route itself, with the queue, running and pool gauges, is
//! `metrics_route.rs`: this file knows nothing of the server's state, which holds it).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::AtomicUsize;
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

/// Upper bounds (seconds) of the run-time histogram buckets.
const BUCKETS: [f64; 8] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Run times: count per bucket (made cumulative when printed), sum and count.
#[derive(Default)]
struct Latency {
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// Counters for `/metrics`.
#[derive(Default)]
pub struct Metrics {
    executions: Mutex<BTreeMap<(String, String), u64>>,
    latency: Mutex<Latency>,
    pub(in crate::server) active_sessions: AtomicUsize,
}

/// The label a verdict is counted under: its JSON form ("AC", "RE", "TLE", ...). The one place a
/// verdict becomes text for the metrics, whether it arrives as a string or as a typed verdict.
fn verdict_label(verdict: impl Serialize) -> String {
    match serde_json::to_value(verdict) {
        Ok(serde_json::Value::String(label)) => label,
        _ => "unknown".to_string(),
    }
}

impl Metrics {
    /// Count one finished run.
    pub(in crate::server) fn record(
        &self,
        language: &str,
        verdict: impl Serialize,
        wall: Duration,
    ) {
        if let Ok(mut map) = self.executions.lock() {
            *map.entry((language.to_string(), verdict_label(verdict)))
                .or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let seconds = wall.as_secs_f64();
            if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
                latency.buckets[i] += 1;
            }
            latency.sum += seconds;
            latency.count += 1;
        }
    }

    /// The counters and the histogram, as Prometheus text.
    pub(in crate::server) fn render_runs(&self, out: &mut String) {
        out.push_str("# TYPE codecage_executions_total counter\n");
        if let Ok(map) = self.executions.lock() {
            for ((language, verdict), n) in map.iter() {
                let _ = writeln!(
                    out,
                    "codecage_executions_total{{language=\"{language}\",verdict=\"{verdict}\"}} {n}"
                );
            }
        }
        if let Ok(latency) = self.latency.lock() {
            out.push_str("# TYPE codecage_execution_seconds histogram\n");
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(latency.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "codecage_execution_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "codecage_execution_seconds_bucket{{le=\"+Inf\"}} {}",
                latency.count
            );
            let _ = writeln!(
                out,
                "codecage_execution_seconds_sum {}\ncodecage_execution_seconds_count {}",
                latency.sum, latency.count
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_counted_by_language_and_verdict_with_a_cumulative_histogram() {
        let metrics = Metrics::default();
        metrics.record("python3", "AC", Duration::from_millis(50));
        metrics.record("python3", "TLE", Duration::from_secs(3));
        let mut out = String::new();
        metrics.render_runs(&mut out);
        assert!(out.contains("codecage_executions_total{language=\"python3\",verdict=\"AC\"} 1\n"));
        assert!(out.contains("codecage_execution_seconds_bucket{le=\"0.1\"} 1\n"));
        assert!(out.contains("codecage_execution_seconds_bucket{le=\"5\"} 2\n"));
        assert!(out.contains("codecage_execution_seconds_bucket{le=\"+Inf\"} 2\n"));
        assert!(out.contains("codecage_execution_seconds_count 2\n"));
    }
}
