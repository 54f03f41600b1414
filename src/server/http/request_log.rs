//! One JSON line per request on stderr (time, method, path, status, duration): enough to follow
//! a server's traffic with `jq` without a logging stack. Bodies and tokens are never logged.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

/// Log the request once its response is ready.
pub async fn log_request(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let ts_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let line = json!({
        "ts_ms": ts_ms,
        "method": method,
        "path": path,
        "status": response.status().as_u16(),
        "ms": start.elapsed().as_millis() as u64,
    });
    eprintln!("{line}");
    response
}
