//! `GET /metrics`: the run counters (`metrics.rs`), the admission's queue and running gauges, the
//! warm pool's hit rate and, with a broker, the shared queue and every live worker, in
//! Prometheus' text format. Reads the server's state, so it sits above it.

use std::fmt::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::server::http::state::AppState;

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
