//! One JSON line per request on stderr (time, method, path, status, duration, and where a run's
//! time went: `spans`, milliseconds per step): enough to follow a server's traffic, and to see
//! which step a slow request spent its time in, with `jq` and no logging stack. Bodies and
//! tokens are never logged.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use codecage::spans::Spans;
use serde_json::json;

/// Log the request once its response is ready.
pub async fn log_request(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let spans = Spans::default();
    let response = spans.clone().scope(next.run(request)).await;
    let ts_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let mut line = json!({
        "ts_ms": ts_ms,
        "method": method,
        "path": path,
        "status": response.status().as_u16(),
        "ms": start.elapsed().as_millis() as u64,
    });
    let steps = spans.list();
    if !steps.is_empty() {
        // Tenths of a millisecond: the pooled path's steps are a few ms each.
        let ms = |d: std::time::Duration| (d.as_secs_f64() * 10_000.0).round() / 10.0;
        line["spans"] = steps
            .iter()
            .map(|(n, d)| (n.to_string(), json!(ms(*d))))
            .collect();
    }
    eprintln!("{line}");
    response
}
