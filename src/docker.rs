//! Connecting to the Docker engine, with an error that says what to do when none answers.

use std::time::Duration;

use anyhow::{anyhow, Result};
use bollard::{ClientVersion, Docker, API_DEFAULT_VERSION};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// How long the engine may take to answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Timeout of each API call bollard makes (long: an image build is one call).
const REQUEST_TIMEOUT_SECS: u64 = 120;

/// Connect (DOCKER_HOST or the local socket) and agree on an API version the engine speaks:
/// bollard's default is newer than older engines accept.
pub async fn connect() -> Result<Docker> {
    let host = host();
    let fail = |e: String| {
        anyhow!("cannot reach the Docker engine at {host}: {e}; start Docker (e.g. `sudo systemctl start docker`, or `sudo dockerd &`) or set DOCKER_HOST")
    };
    // On a local socket, ask `/_ping` for the engine's API version: bollard's own negotiation
    // calls `/version`, which makes the daemon run its runtimes to report their versions
    // (~5 ms here, on every command).
    if let Some(path) = host.strip_prefix("unix://") {
        let version = tokio::time::timeout(CONNECT_TIMEOUT, ping_version(path))
            .await
            .map_err(|_| fail("no answer within 15 s".into()))?
            .map_err(|e| fail(e.to_string()))?;
        let version = if version < *API_DEFAULT_VERSION {
            version
        } else {
            *API_DEFAULT_VERSION
        };
        return Docker::connect_with_unix(path, REQUEST_TIMEOUT_SECS, &version)
            .map_err(|e| fail(e.to_string()));
    }
    let docker = Docker::connect_with_defaults().map_err(|e| fail(e.to_string()))?;
    match tokio::time::timeout(CONNECT_TIMEOUT, docker.negotiate_version()).await {
        Ok(Ok(docker)) => Ok(docker),
        Ok(Err(e)) => Err(fail(e.to_string())),
        Err(_) => Err(fail("no answer within 15 s".into())),
    }
}

fn host() -> String {
    std::env::var("DOCKER_HOST").unwrap_or_else(|_| format!("unix://{DEFAULT_SOCKET}"))
}

/// The engine's socket path, when it is reached through a local socket.
pub fn local_socket() -> Option<String> {
    host().strip_prefix("unix://").map(str::to_string)
}

/// `GET /_ping` on the socket; the engine's API version is in its `Api-Version` header.
async fn ping_version(path: &str) -> Result<ClientVersion> {
    let mut stream = tokio::net::UnixStream::connect(path).await?;
    stream
        .write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        .await?;
    let mut response = Vec::new();
    // HTTP/1.0: the engine closes the connection after its short answer.
    stream.take(64 * 1024).read_to_end(&mut response).await?;
    parse_api_version(&response)
}

fn parse_api_version(response: &[u8]) -> Result<ClientVersion> {
    let text = String::from_utf8_lossy(response);
    let (head, _) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status_ok = head
        .lines()
        .next()
        .is_some_and(|l| l.split_whitespace().nth(1) == Some("200"));
    if !status_ok {
        let status = head.lines().next().unwrap_or("no answer");
        return Err(anyhow!("the engine answered {status:?} to /_ping"));
    }
    let value = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("api-version")
                .then(|| value.trim().to_string())
        })
        .ok_or_else(|| anyhow!("the engine did not say its API version"))?;
    let (major, minor) = value
        .split_once('.')
        .ok_or_else(|| anyhow!("unreadable API version {value:?}"))?;
    Ok(ClientVersion {
        major_version: major.parse()?,
        minor_version: minor.parse()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_version_comes_from_the_ping_header() {
        let v = parse_api_version(
            b"HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\nDocker-Experimental: false\r\n\r\nOK",
        )
        .unwrap();
        assert_eq!((v.major_version, v.minor_version), (1, 41));
        let v = parse_api_version(b"HTTP/1.1 200 OK\r\napi-version:1.53\r\n\r\nOK").unwrap();
        assert_eq!((v.major_version, v.minor_version), (1, 53));
        assert!(parse_api_version(b"HTTP/1.0 200 OK\r\n\r\nOK").is_err());
        assert!(parse_api_version(b"HTTP/1.0 500 Oops\r\nApi-Version: 1.41\r\n\r\n").is_err());
        assert!(parse_api_version(b"").is_err());
    }
}
