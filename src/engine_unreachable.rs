//! The engine could not be reached when codecage connected to it: no socket, a socket nobody
//! serves, a connection cut before the engine answered, or no answer in time. A type of its own so
//! every front end can tell "start the engine and retry" from codecage's own fault by type (the
//! CLI's exit status 69, the server's 503) instead of by the words of a message.

/// What to type to get an engine back: the end of every "unavailable" message.
pub const START_HINT: &str =
    "start Docker (e.g. `sudo systemctl start docker`, or `sudo dockerd &`) or set DOCKER_HOST";

/// No engine answered at `host` (DOCKER_HOST, or the local socket).
#[derive(Debug, thiserror::Error)]
#[error("cannot reach the Docker engine at {host}: {reason}; {START_HINT}")]
pub struct EngineUnreachable {
    /// The address tried: `unix:///var/run/docker.sock`, `tcp://...`.
    pub host: String,
    /// Why: the operating system's error, or what the socket answered instead of the engine.
    pub reason: String,
}
