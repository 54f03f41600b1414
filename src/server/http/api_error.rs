//! The one shape every API error has: a status and `{"error": "..."}` on a single line. Clients of
//! both APIs parse that body, so nothing a client sends (body, headers, path, query) may end in a
//! panic, an empty body or axum's plain-text rejections: those are rewritten here too.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error as the API returns it. Built only through the named constructors below, so every
/// status the server can answer is listed in one place.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// An error with this status (as a worker reported it through the broker); an invalid
    /// status is a 500.
    pub fn from_worker(status: u16, message: String) -> ApiError {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ApiError::new(status, message)
    }

    /// 503: nothing can run this now (no worker for the language, the broker unreachable).
    pub fn unavailable(message: String) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// 504: the job was queued but no worker finished it in time.
    pub fn timed_out(message: String) -> ApiError {
        ApiError::new(StatusCode::GATEWAY_TIMEOUT, message)
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    fn new(status: StatusCode, message: String) -> ApiError {
        ApiError { status, message }
    }

    /// A failure of the run, the build or the engine, by its type: 503 when the engine could not
    /// be reached (the client may retry once it is back; nothing the program did), 400 for a
    /// planning mistake of the client's (`PlanError`), else 500.
    pub fn from_failure(e: &anyhow::Error) -> ApiError {
        if codecage::sandbox::engine_unavailable(e) {
            ApiError::unavailable(format!("the engine is unavailable: {e:#}"))
        } else if e.chain().any(|c| c.is::<codecage::plan_error::PlanError>()) {
            // What the client asked for cannot be planned (a language no profile has).
            ApiError::bad_request(format!("{e:#}"))
        } else {
            ApiError::internal(format!("{e:#}"))
        }
    }

    /// 400: the request is malformed or asks for something this server does not offer.
    pub fn bad_request(message: String) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 413: the body or the files are larger than the server accepts.
    pub fn too_large(message: String) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    /// 500: the server (or the engine) failed; the client did nothing wrong.
    pub fn internal(message: String) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// 429: every run slot and queue place is taken.
    pub fn busy() -> ApiError {
        ApiError::too_many("too many runs in progress; retry shortly".into())
    }

    /// 429 with a reason (a per-client cap, say).
    pub fn too_many(message: String) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, message)
    }

    /// 401: a token is configured and the request did not carry it.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong API token".into(),
        )
    }

    /// 403: the request is understood and refused (a foreign origin, say).
    pub fn forbidden(message: String) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    /// The HTTP status this error answers with (a worker passes it on to the API node).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// 404: no such route, file or session.
    pub fn not_found(message: String) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// The body could not be read: too large (413), too slow or cut off; the status is axum's.
    pub fn unreadable_body(rejection: BytesRejection) -> ApiError {
        ApiError::new(
            rejection.status(),
            format!("cannot read the request body: {}", rejection.body_text()),
        )
    }

    /// Any other status axum or a handler produced, with its text (see `json_errors`).
    fn with_status(status: StatusCode, message: String) -> ApiError {
        ApiError::new(status, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// The most of a non-JSON error body kept as the message (axum's rejections are a line or two).
const MAX_ERROR_TEXT: usize = 4096;

/// Rewrite error responses that are not JSON (axum's extractor rejections, 404 and 405 from the
/// router, a bad WebSocket handshake) into the API's error shape, keeping their status and text.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let body = axum::body::to_bytes(response.into_body(), MAX_ERROR_TEXT)
        .await
        .unwrap_or_else(|_| Bytes::new());
    let text = String::from_utf8_lossy(&body);
    let text = text.trim();
    let message = if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("request failed")
            .to_lowercase()
    } else {
        text.replace('\n', " ")
    };
    let mut response = ApiError::with_status(status, message).into_response();
    if let Some(value) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Requests for a path no route serves.
pub async fn no_route() -> ApiError {
    ApiError::not_found("no such endpoint".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_answered_by_their_type() {
        let down = anyhow::Error::new(codecage::engine_unreachable::EngineUnreachable {
            host: "unix:///nowhere.sock".into(),
            reason: "No such file or directory".into(),
        })
        .context("cannot start the sandbox");
        assert_eq!(
            ApiError::from_failure(&down).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let unknown = anyhow::Error::new(codecage::plan_error::PlanError::UnknownLanguage {
            name: "cobra".into(),
            known: "python".into(),
        });
        assert_eq!(
            ApiError::from_failure(&unknown).status(),
            StatusCode::BAD_REQUEST
        );
        let ours = anyhow::anyhow!("disk full");
        assert_eq!(
            ApiError::from_failure(&ours).status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn busy_answers_429_with_retry_after() {
        let response = ApiError::busy().into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    }

    #[test]
    fn the_message_is_the_display() {
        let error = ApiError::bad_request("no code".into());
        assert_eq!(error.to_string(), "no code");
    }
}
