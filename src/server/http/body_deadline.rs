//! Timers and size checks on request bodies, before any handler runs: a body must arrive within
//! a deadline (a client sending it byte by byte is cut off instead of holding its connection and
//! handler forever), and a body declared larger than the maximum is refused from its header.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::http::api_error::ApiError;
use crate::server::http::state::AppState;

/// How much of an oversized body is read (and dropped) before answering 413, and for how long.
const DRAIN_CAP: usize = 1 << 20;
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// How long a client may take to send a request's body once its headers are in.
const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// A request body must arrive within `BODY_TIMEOUT` (else its request fails as unreadable).
/// A body declared larger than the server's maximum is refused from its header alone.
pub async fn body_deadline(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let max_body = state.settings.max_body;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_body as u64) {
        let response = ApiError::too_large(format!(
            "the body is larger than the server's maximum ({max_body} bytes)"
        ))
        .into_response();
        drain(request, (2 * max_body).max(DRAIN_CAP)).await;
        return response;
    }
    let deadline = tokio::time::Instant::now() + BODY_TIMEOUT;
    next.run(request.map(|body| with_deadline(body, deadline)))
        .await
}

/// Read and drop what an honest client is sending anyway (a little past the limit, for a second
/// or two), so it can finish writing and read the 413 instead of a broken pipe; a client
/// declaring far more, or sending slowly, gets the answer and the close.
async fn drain(request: Request, cap: usize) {
    let mut body = request.into_body().into_data_stream();
    let _ = tokio::time::timeout(DRAIN_TIME, async {
        let mut drained = 0;
        while let Some(Ok(chunk)) = futures_util::StreamExt::next(&mut body).await {
            drained += chunk.len();
            if drained > cap {
                break;
            }
        }
    })
    .await;
}

/// The body as a stream that fails (and ends) once `deadline` passes.
fn with_deadline(body: axum::body::Body, deadline: tokio::time::Instant) -> axum::body::Body {
    let chunks = body.into_data_stream();
    axum::body::Body::from_stream(futures_util::stream::unfold(
        Some(chunks),
        move |chunks| async move {
            let mut chunks = chunks?;
            match tokio::time::timeout_at(deadline, futures_util::StreamExt::next(&mut chunks))
                .await
            {
                Ok(Some(chunk)) => Some((chunk, Some(chunks))),
                Ok(None) => None,
                Err(_) => Some((
                    Err(axum::Error::new(format!(
                        "the body did not arrive within {}s",
                        BODY_TIMEOUT.as_secs()
                    ))),
                    None,
                )),
            }
        },
    ))
}
