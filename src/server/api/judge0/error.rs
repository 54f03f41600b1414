//! The errors the Judge0 API answers with, in Judge0's shapes: `{"error": "..."}` for most, and
//! `{"field": ["message", ...]}` (422) for an invalid submission, as its Rails models render them.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::server::http::api_error::ApiError;

/// Judge0's words when a submission's text is not UTF-8 and base64 was not asked for.
pub const NOT_UTF8: &str = "some attributes for this submission cannot be converted to UTF-8, use base64_encoded=true query parameter";
/// The same for a list or a batch.
pub const NOT_UTF8_MANY: &str = "some attributes for one or more submissions cannot be converted to UTF-8, use base64_encoded=true query parameter";

/// Per-field validation messages, in field order.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, thiserror::Error)]
pub enum Judge0Error {
    /// 422: the submission is invalid; each field with its reasons.
    #[error("invalid submission")]
    Invalid(FieldErrors),
    /// 400: a bad query parameter or body shape.
    #[error("{0}")]
    BadRequest(String),
    /// 403: Judge0's authorization token (`X-Auth-User`) is missing or wrong.
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// 400: a text of the submission is not UTF-8 and base64 was not asked for.
    #[error("{}", NOT_UTF8)]
    NotUtf8,
    /// 503: the Judge0 queue holds `--judge0-queue` submissions already.
    #[error("queue is full")]
    QueueFull,
    /// The shared API's errors (body too large, internal).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The store failed.
    #[error("store: {0}")]
    Store(String),
}

impl Judge0Error {
    /// A 422 for one field.
    pub fn field(field: &str, message: impl Into<String>) -> Judge0Error {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_string(), vec![message.into()]);
        Judge0Error::Invalid(errors)
    }
}

impl From<super::store::StoreError> for Judge0Error {
    fn from(e: super::store::StoreError) -> Judge0Error {
        Judge0Error::Store(e.to_string())
    }
}

impl IntoResponse for Judge0Error {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Judge0Error::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, json!(errors)),
            Judge0Error::BadRequest(m) => (StatusCode::BAD_REQUEST, json!({"error": m})),
            Judge0Error::Forbidden(m) => (StatusCode::FORBIDDEN, json!({"error": m})),
            Judge0Error::NotFound(m) => (StatusCode::NOT_FOUND, json!({"error": m})),
            Judge0Error::NotUtf8 => (StatusCode::BAD_REQUEST, json!({"error": NOT_UTF8})),
            Judge0Error::QueueFull => (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "queue is full"}),
            ),
            Judge0Error::Api(e) => return e.into_response(),
            Judge0Error::Store(m) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": format!("store: {m}")}),
            ),
        };
        (status, Json(body)).into_response()
    }
}
