//! The server's one outgoing HTTP/1.1 client, plain `http://` only: Judge0 callbacks, and an API
//! node handing a session to a worker.

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

/// An `http://host[:port]/path` URL split up.
pub struct Target {
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or("must be an http:// URL (this server does not send requests over TLS)")?;
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
}

/// Send one request and read the whole answer (at most `max_answer` bytes of it).
pub async fn send(
    method: &str,
    target: &Target,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
    max_answer: usize,
) -> Result<(u16, Bytes), String> {
    let stream = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", format!("{}:{}", target.host, target.port))
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Full::new(body)).map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let answer = http_body_util::Limited::new(response.into_body(), max_answer)
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, answer))
}
