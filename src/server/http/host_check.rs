//! Which names this server answers to, and which pages may send it requests. A server on
//! loopback without a token trusts whoever can reach it; a web page must not be that someone:
//! with DNS rebinding a page's own name resolves to 127.0.0.1 and the browser treats the server
//! as the page's origin, so every route (and the WebSocket origin check) would be open to it.
//! Hence: a request must name the server by an IP address, `localhost` or a name the operator
//! listed (`--allow-host`), as Jupyter and dev servers do; and a request that changes something
//! (not GET, HEAD or OPTIONS), sent by a page of another origin, is refused, so a page cannot
//! make the server run code blind either (browsers send `Origin` on those, other clients none).

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::http::api_error::ApiError;
use crate::server::http::state::AppState;

/// Refuse a request addressed to a name that is not this server's, or sent by a foreign page.
pub async fn check_host(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(names) = &state.settings.allowed_hosts else {
        return next.run(request).await;
    };
    let refusal = {
        let headers = request.headers();
        let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
        // HTTP/1.1 puts the name in Host, HTTP/2 in the URI; a request with neither does not
        // come from a browser (a load balancer's health check, say).
        let authority = request.uri().authority().map(|a| a.as_str());
        let host = text(header::HOST).or(authority);
        let unsafe_method = !matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        );
        if let Some(host) = host.filter(|h| !host_allowed(h, names)) {
            Some(format!(
                "this server does not answer to the name {host:?} (serve --allow-host NAME allows one)"
            ))
        } else {
            match text(header::ORIGIN) {
                Some(origin)
                    if unsafe_method && !origin_allowed(&state, &request, origin, host) =>
                {
                    Some(format!("a page from {origin} may not send requests here"))
                }
                _ => None,
            }
        }
    };
    match refusal {
        Some(message) => ApiError::forbidden(message).into_response(),
        None => next.run(request).await,
    }
}

/// A page's origin may send requests when it is this server as the request names it, a name
/// the operator listed, or (Judge0 routes) an origin allowed by `--judge0-allow-origin`.
fn origin_allowed(state: &AppState, request: &Request, origin: &str, host: Option<&str>) -> bool {
    let Some((_, origin_host)) = origin.split_once("://") else {
        // "null" (a sandboxed frame, a file) is never this server.
        return false;
    };
    let same = host.is_some_and(|h| h.eq_ignore_ascii_case(origin_host));
    let listed = state
        .settings
        .allowed_hosts
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|n| name_matches(n, &hostname(origin_host)));
    same || listed
        || crate::server::api::judge0::origin_allowed(&state.settings.judge0, request, origin)
}

/// Any IP address (a rebinding page cannot have one as its own name: its origin would then be
/// the server itself), `localhost` and its subdomains (browsers resolve them to loopback
/// themselves), and the names listed.
pub fn host_allowed(host: &str, names: &[String]) -> bool {
    let name = hostname(host);
    name.parse::<IpAddr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
        || names.iter().any(|n| name_matches(n, &name))
}

/// A listed name matches itself; one starting with a dot also matches its subdomains.
fn name_matches(listed: &str, name: &str) -> bool {
    match listed.strip_prefix('.') {
        Some(domain) => name == domain || name.ends_with(listed),
        None => name == listed,
    }
}

/// The name in a Host value, without its port, in lower case, without a final dot; an IPv6
/// address without its brackets.
fn hostname(host: &str) -> String {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        }
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_localhost_and_listed_names_only() {
        let names = vec!["judge.example".to_string(), ".corp.example".to_string()];
        for host in [
            "127.0.0.1:8080",
            "10.1.2.3",
            "[::1]:8080",
            "localhost:8080",
            "LocalHost.",
            "app.localhost:3000",
            "judge.example:443",
            "JUDGE.example",
            "corp.example",
            "a.b.corp.example:80",
        ] {
            assert!(host_allowed(host, &names), "{host}");
        }
        for host in [
            "evil.example:8080",
            "judge.example.evil.example",
            "notcorp.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io:8080",
            "",
        ] {
            assert!(!host_allowed(host, &names), "{host}");
        }
    }
}
