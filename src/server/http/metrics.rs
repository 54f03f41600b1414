//! Counters for `GET /metrics` in Prometheus' text format: runs per language and verdict, a
//! run-time histogram, the queue, running and session gauges and the warm pool's hit rate. What
//! an operator needs to size `--max-concurrent`, `--queue` and `--pool`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;

use crate::server::http::state::AppState;

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
    fn render_runs(&self, out: &mut String) {
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

/// `GET /metrics`.
pub async fn metrics(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let mut out = String::new();
    state.metrics.render_runs(&mut out);
    let gauge = |out: &mut String, kind: &str, name: &str, value: u64| {
        let _ = writeln!(out, "# TYPE {name} {kind}\n{name} {value}");
    };
    gauge(
        &mut out,
        "gauge",
        "codecage_queue_depth",
        state.admission.queued() as u64,
    );
    gauge(
        &mut out,
        "gauge",
        "codecage_running",
        state.admission.running() as u64,
    );
    gauge(
        &mut out,
        "gauge",
        "codecage_pool_ready",
        state.pool.ready_count() as u64,
    );
    gauge(
        &mut out,
        "counter",
        "codecage_pool_hits_total",
        state.pool.hits.load(Ordering::Relaxed),
    );
    gauge(
        &mut out,
        "counter",
        "codecage_pool_misses_total",
        state.pool.misses.load(Ordering::Relaxed),
    );
    gauge(
        &mut out,
        "gauge",
        "codecage_active_sessions",
        state.metrics.active_sessions.load(Ordering::SeqCst) as u64,
    );
    if let Some(broker) = &state.broker {
        render_broker(&mut out, broker.as_ref()).await;
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}

/// Scale-out: the shared queue and every live worker (what it runs, how many at once).
async fn render_broker(out: &mut String, broker: &dyn crate::server::scaleout::broker::Broker) {
    use crate::server::scaleout::broker::WorkerInfo;
    let up = match (broker.queue_len().await, broker.workers().await) {
        (Ok(len), Ok(workers)) => {
            let _ = writeln!(
                out,
                "# TYPE codecage_broker_queue_length gauge\ncodecage_broker_queue_length {len}"
            );
            let _ = writeln!(
                out,
                "# TYPE codecage_broker_workers gauge\ncodecage_broker_workers {}",
                workers.len()
            );
            for (name, value) in [
                (
                    "running",
                    (|w: &WorkerInfo| w.running) as fn(&WorkerInfo) -> usize,
                ),
                ("slots", |w: &WorkerInfo| w.concurrency),
            ] {
                let _ = writeln!(out, "# TYPE codecage_broker_worker_{name} gauge");
                for w in &workers {
                    let _ = writeln!(
                        out,
                        "codecage_broker_worker_{name}{{node=\"{}\"}} {}",
                        w.node,
                        value(w)
                    );
                }
            }
            1
        }
        _ => 0,
    };
    let _ = writeln!(
        out,
        "# TYPE codecage_broker_up gauge\ncodecage_broker_up {up}"
    );
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
