//! CORS for the Judge0 routes, as Judge0 1.13.1 has it (rack-cors in front of everything, any
//! header and method, origins from its ALLOW_ORIGIN), so browser front ends that call Judge0
//! directly work here too. Unlike Judge0 (every origin when ALLOW_ORIGIN is empty) no origin is
//! allowed until the operator lists some (`--judge0-allow-origin`, `*` for any): on a server
//! without a token, CORS for every origin would let any web page submit and read results. It sits outside the token check:
//! a preflight never carries the token, and a 401 must still reach the page's script.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::http::state::AppState;

/// rack-cors' `methods: :any`.
const METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
/// rack-cors' default preflight lifetime, in seconds.
const MAX_AGE: &str = "7200";

/// The Judge0 paths: everything under `/judge0`, and the ones also served at `/` (see
/// `routes`; `GET /languages` at `/` is CodeEngine's, so it is not one of them).
pub fn is_judge0_path(path: &str) -> bool {
    const ROOT: [&str; 11] = [
        "/statuses",
        "/about",
        "/config_info",
        "/system_info",
        "/workers",
        "/version",
        "/license",
        "/authenticate",
        "/authorize",
        "/submissions",
        "/languages/",
    ];
    path == "/judge0"
        || path.starts_with("/judge0/")
        || ROOT.iter().any(|r| {
            if r.ends_with('/') {
                path.starts_with(r)
            } else {
                path == *r
                    || path
                        .strip_prefix(r)
                        .is_some_and(|rest| rest.starts_with('/'))
            }
        })
}

/// The `Access-Control-Allow-Origin` value for `origin`, when the operator allows it: `*` for
/// any, else the origin itself. An allowed origin without a scheme matches http and https.
fn allowed(list: &[String], origin: &str) -> Option<HeaderValue> {
    if list.iter().any(|o| o == "*") {
        return Some(HeaderValue::from_static("*"));
    }
    let matches = |o: &String| {
        o == origin
            || (!o.contains("://")
                && origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
                    == Some(o.as_str()))
    };
    if list.iter().any(matches) {
        HeaderValue::from_str(origin).ok()
    } else {
        None
    }
}

/// Whether a page from `origin` may call this request's route: a Judge0 route, and an origin the
/// operator allowed.
pub fn origin_allowed(
    settings: &super::settings::Judge0Settings,
    request: &Request,
    origin: &str,
) -> bool {
    is_judge0_path(request.uri().path()) && allowed(&settings.allow_origin, origin).is_some()
}

/// Answer preflights and add the CORS headers to the Judge0 routes' answers.
pub async fn cors(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let list = &state.settings.judge0.allow_origin;
    if list.is_empty() || !is_judge0_path(request.uri().path()) {
        return next.run(request).await;
    }
    let Some(allow) = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .and_then(|o| allowed(list, o))
    else {
        return next.run(request).await;
    };
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let mut response = StatusCode::OK.into_response();
        let headers = response.headers_mut();
        if let Some(asked) = request
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        {
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
        }
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(METHODS),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
        add_origin(headers, allow);
        return response;
    }
    let mut response = next.run(request).await;
    add_origin(response.headers_mut(), allow);
    response
}

fn add_origin(headers: &mut HeaderMap, allow: HeaderValue) {
    if allow != "*" {
        // The answer depends on the origin: caches must keep one per origin.
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judge0_paths_and_no_others() {
        for path in [
            "/judge0/languages",
            "/judge0/submissions/x",
            "/submissions",
            "/submissions/batch",
            "/languages/71",
            "/about",
            "/authorize",
        ] {
            assert!(is_judge0_path(path), "{path}");
        }
        for path in [
            "/languages",
            "/execute",
            "/aboutx",
            "/submissionsx",
            "/",
            "/health",
        ] {
            assert!(!is_judge0_path(path), "{path}");
        }
    }

    #[test]
    fn origins_match_exactly_or_by_host() {
        let any = vec!["*".to_string()];
        assert_eq!(allowed(&any, "https://x.org").unwrap(), "*");
        let some = vec![
            "https://ide.example".to_string(),
            "judge.example:8443".to_string(),
        ];
        assert_eq!(
            allowed(&some, "https://ide.example").unwrap(),
            "https://ide.example"
        );
        assert!(allowed(&some, "http://ide.example").is_none());
        assert!(allowed(&some, "https://judge.example:8443").is_some());
        assert!(allowed(&some, "http://judge.example:8443").is_some());
        assert!(allowed(&some, "https://evil.example").is_none());
        assert!(allowed(&some, "https://judge.example").is_none());
    }
}
