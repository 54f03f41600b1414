//! Judge0's authorization (its AUTHZ_TOKEN, sent as `X-Auth-User` in a header or the query):
//! on top of the API token, listing every submission and deleting one need it, since they reach
//! other clients' programs and results. As in Judge0, a server without one refuses those calls
//! to everyone (403), and `POST /authorize` says whether a client has it.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};

use super::error::Judge0Error;
use super::Judge0;
use crate::server::http::auth::{query_value, same_token};

/// Judge0's default AUTHZ_HEADER.
const HEADER: &str = "X-Auth-User";

/// Ok when the request carries the operator's `--judge0-admin-token`.
pub fn authorize(j: &Judge0, headers: &HeaderMap, uri: &Uri) -> Result<(), Judge0Error> {
    let Some(token) = &j.settings.admin_token else {
        return Err(Judge0Error::Forbidden(
            "not allowed: this server has no --judge0-admin-token".into(),
        ));
    };
    let given = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| query_value(uri, HEADER));
    if given.is_some_and(|g| same_token(&g, token)) {
        Ok(())
    } else {
        Err(Judge0Error::Forbidden(format!(
            "not allowed: send the authorization token as {HEADER}"
        )))
    }
}

/// `POST /authenticate`: 200 when the API token was accepted (the token check before every
/// route has answered 401 otherwise).
pub async fn authenticate() -> StatusCode {
    StatusCode::OK
}

/// `POST /authorize`: 200 with the authorization token, else 403.
pub async fn authorize_route(
    State(j): State<Arc<Judge0>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<StatusCode, Judge0Error> {
    authorize(&j, &headers, &uri)?;
    Ok(StatusCode::OK)
}
