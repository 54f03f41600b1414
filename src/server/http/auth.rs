//! The API token: with one configured, every request but `/health` and the page (and its static
//! assets) must carry it, so a server reachable beyond loopback runs code only for its clients.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::http::api_error::ApiError;
use crate::server::http::state::AppState;

/// Who a request was authenticated as, for per-client caps: what the server checked, never a
/// header the client may vary at will (any `Authorization` passes when another place carries
/// the token, or when there is no token at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// No token is configured: every client is the same anonymous one.
    Anonymous,
    /// The client showed the API token (there is one: every holder is this one client).
    Token,
}

impl Identity {
    pub fn key(self) -> &'static str {
        match self {
            Identity::Anonymous => "anonymous",
            Identity::Token => "token",
        }
    }
}

/// The token comes as `Authorization: Bearer TOKEN`, as Judge0's `X-Auth-Token: TOKEN`, or in
/// the query (`?token=` for browsers' WebSockets, which cannot set headers; `?X-Auth-Token=`
/// as Judge0 accepts it). The request goes on with its `Identity`.
pub async fn authenticate(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(token) = &state.settings.token else {
        request.extensions_mut().insert(Identity::Anonymous);
        return next.run(request).await;
    };
    if is_public(request.uri().path()) {
        return next.run(request).await;
    }
    // Decided before the request moves on: the borrows of its headers must not live across
    // the `.await` (the body is not `Sync`).
    let authorized = {
        let header =
            |name: header::HeaderName| request.headers().get(name).and_then(|v| v.to_str().ok());
        let bearer = header(header::AUTHORIZATION).and_then(|v| v.strip_prefix("Bearer "));
        let judge0 = header(header::HeaderName::from_static("x-auth-token"));
        let query = |name: &str| query_value(request.uri(), name);
        let matches = |given: Option<&str>| given.is_some_and(|g| same_token(g, token));
        matches(bearer)
            || matches(judge0)
            || matches(query("token").as_deref())
            || matches(query("X-Auth-Token").as_deref())
    };
    if authorized {
        request.extensions_mut().insert(Identity::Token);
        next.run(request).await
    } else {
        ApiError::unauthorized().into_response()
    }
}

/// A query parameter, percent-decoded as Rails decodes Judge0's (`?X-Auth-Token=a%2Bb` is
/// `a+b`); None when absent.
pub(crate) fn query_value(uri: &axum::http::Uri, name: &str) -> Option<String> {
    let axum::extract::Query(pairs) =
        axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Paths anyone may fetch: the health check and the page, which asks its user for the token.
fn is_public(path: &str) -> bool {
    path == "/health" || path == "/" || path.starts_with("/static/")
}

/// Compare in time independent of where the first difference is, so response times do not
/// reveal the token byte by byte.
pub(crate) fn same_token(given: &str, token: &str) -> bool {
    let (given, token) = (given.as_bytes(), token.as_bytes());
    given.len() == token.len()
        && given
            .iter()
            .zip(token)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_token_matches() {
        assert!(same_token("secret", "secret"));
        assert!(!same_token("secreT", "secret"));
        assert!(!same_token("secret2", "secret"));
        assert!(!same_token("", "secret"));
    }

    #[test]
    fn query_tokens_are_percent_decoded() {
        let uri: axum::http::Uri = "/about?a=1&X-Auth-Token=a%2Bb%20c&token=x+y"
            .parse()
            .unwrap();
        assert_eq!(query_value(&uri, "X-Auth-Token").as_deref(), Some("a+b c"));
        assert_eq!(query_value(&uri, "token").as_deref(), Some("x y"));
        assert_eq!(query_value(&uri, "nope"), None);
    }

    #[test]
    fn the_page_and_health_are_public() {
        assert!(is_public("/"));
        assert!(is_public("/health"));
        assert!(is_public("/static/xterm.js"));
        assert!(!is_public("/execute"));
        assert!(!is_public("/metrics"));
    }
}
