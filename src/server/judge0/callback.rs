//! `callback_url`: when a submission ends, a `PUT` of its result (Judge0's default fields,
//! base64) to the client's URL, tried three times with a growing pause. Only to hosts the
//! operator listed (`--judge0-callback-allow HOST[:PORT]`): without the list a client could make
//! the server send requests into any network it can reach.

use std::time::Duration;

use axum::body::Bytes;
use http_body_util::Full;
use hyper::Request;
use hyper_util::rt::TokioIo;

use super::fields::{render, Selection};
use super::submission::Record;
use super::Judge0;

/// Judge0's CALLBACKS_MAX_TRIES and CALLBACKS_TIMEOUT.
pub const MAX_TRIES: u32 = 3;
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// An `http://host[:port]/path` URL split up.
struct Target {
    host: String,
    port: u16,
    path: String,
}

fn parse(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("must be an http:// URL (this server does not send callbacks over TLS)")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.contains('@') || authority.is_empty() {
        return Err("has no valid host".into());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, p.parse::<u16>().map_err(|_| "has an invalid port")?)
        }
        _ => (authority, 80),
    };
    if path.chars().any(|c| c.is_control() || c == ' ') {
        return Err("has an invalid path".into());
    }
    Ok(Target {
        host: host.to_string(),
        port,
        path: path.to_string(),
    })
}

/// Whether callbacks may go to `url`: an `http://` URL whose host (or host:port) is listed.
pub fn check_url(url: &str, allow: &[String]) -> Result<(), String> {
    if allow.is_empty() {
        return Err("callbacks are not enabled on this server".into());
    }
    let target = parse(url)?;
    let with_port = format!("{}:{}", target.host, target.port);
    if allow
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&target.host) || a.eq_ignore_ascii_case(&with_port))
    {
        Ok(())
    } else {
        Err(format!("host {with_port} is not allowed for callbacks"))
    }
}

/// PUT the record to `url`, retrying; failures are logged, as Judge0 does.
pub async fn send(j: &Judge0, url: &str, record: &Record) {
    if check_url(url, &j.settings.callback_allow).is_err() {
        return;
    }
    let Ok(target) = parse(url) else { return };
    let body = match render(record, &Selection::Default, true, &j.languages) {
        Ok(value) => value.to_string(),
        Err(_) => return,
    };
    let mut pause = Duration::from_millis(500);
    for attempt in 1..=MAX_TRIES {
        match tokio::time::timeout(TIMEOUT, put(&target, body.clone())).await {
            Ok(Ok(status)) if (200..300).contains(&status) => return,
            Ok(Ok(status)) => {
                eprintln!("codecage: judge0: callback {url} answered {status} (try {attempt})")
            }
            Ok(Err(e)) => eprintln!("codecage: judge0: callback {url} failed: {e} (try {attempt})"),
            Err(_) => eprintln!("codecage: judge0: callback {url} timed out (try {attempt})"),
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
}

async fn put(target: &Target, body: String) -> Result<u16, String> {
    let stream = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let request = Request::put(&target.path)
        .header("host", format!("{}:{}", target.host, target.port))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_hosts_over_http() {
        let allow = vec!["127.0.0.1:9000".to_string(), "hooks.internal".to_string()];
        assert!(check_url("http://127.0.0.1:9000/done", &allow).is_ok());
        assert!(check_url("http://hooks.internal/x", &allow).is_ok());
        assert!(check_url("http://127.0.0.1:9001/done", &allow).is_err());
        assert!(check_url("http://169.254.169.254/latest", &allow).is_err());
        assert!(check_url("https://hooks.internal/x", &allow).is_err());
        assert!(check_url("http://user@hooks.internal/x", &allow).is_err());
        assert!(check_url("http://127.0.0.1:9000/done", &[]).is_err());
    }
}
