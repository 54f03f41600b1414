//! The binary's one outgoing HTTP/1.1 client, plain `http://` only: `run --server` and
//! `test --server`, Judge0 callbacks, and an API node handing a session to a worker. Outside
//! `server/` so the command line uses it without reaching into the server.

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;

/// An `http://host[:port]/path` URL split up.
pub struct Target {
    /// The host name or address, an IPv6 one without its brackets (what a socket connects to).
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
        let (host, port) = split_authority(authority)?;
        if path.chars().any(|c| c.is_control() || c == ' ') {
            return Err("has an invalid path".into());
        }
        Ok(Target {
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }

    /// `host:port` as a URL or a Host header writes it (`[::1]:8080` for IPv6).
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// `host[:port]` or `[v6-address][:port]`: the bare host and the port (80 by default).
fn split_authority(authority: &str) -> Result<(&str, u16), String> {
    let port = |p: &str| {
        p.parse::<u16>()
            .map_err(|_| "has an invalid port".to_string())
    };
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or("has an unclosed IPv6 address")?;
        if host.parse::<std::net::Ipv6Addr>().is_err() {
            return Err("has an invalid IPv6 address".into());
        }
        return match after {
            "" => Ok((host, 80)),
            _ => Ok((
                host,
                port(after.strip_prefix(':').ok_or("has no valid host")?)?,
            )),
        };
    }
    match authority.split_once(':') {
        // An IPv6 address must be in brackets (else its last group would read as a port).
        Some((_, rest)) if rest.contains(':') => {
            Err("needs brackets around an IPv6 address".into())
        }
        Some((host, p)) if !host.is_empty() => Ok((host, port(p)?)),
        Some(_) => Err("has no valid host".into()),
        None => Ok((authority, 80)),
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
        .header("host", target.authority())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_ports_and_ipv6_literals() {
        let t = Target::parse("http://[::1]:8080/done?x=1").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("::1", 8080, "/done?x=1")
        );
        assert_eq!(t.authority(), "[::1]:8080");
        let t = Target::parse("http://[fe80::1]").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("fe80::1", 80, "/")
        );
        let t = Target::parse("http://hooks.internal:9000").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("hooks.internal", 9000));
        assert_eq!(t.authority(), "hooks.internal:9000");
        for bad in [
            "http://::1:8080/",
            "http://[::1/",
            "http://[::1]x/",
            "http://[nope]:1/",
            "http://:80/",
            "http://h:99999/",
            "https://h/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
