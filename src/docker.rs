//! Connecting to the Docker engine, with an error that says what to do when none answers.

use std::time::Duration;

use anyhow::{anyhow, Result};
use bollard::Docker;

/// Connect (DOCKER_HOST or the local socket) and agree on an API version the engine speaks:
/// bollard's default is newer than older engines accept.
pub async fn connect() -> Result<Docker> {
    let host =
        std::env::var("DOCKER_HOST").unwrap_or_else(|_| "unix:///var/run/docker.sock".into());
    let fail = |e: String| {
        anyhow!("cannot reach the Docker engine at {host}: {e}; start Docker (e.g. `sudo systemctl start docker`, or `sudo dockerd &`) or set DOCKER_HOST")
    };
    let docker = Docker::connect_with_defaults().map_err(|e| fail(e.to_string()))?;
    match tokio::time::timeout(Duration::from_secs(15), docker.negotiate_version()).await {
        Ok(Ok(docker)) => Ok(docker),
        Ok(Err(e)) => Err(fail(e.to_string())),
        Err(_) => Err(fail("no answer within 15 s".into())),
    }
}
