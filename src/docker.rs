//! Connecting to the Docker engine, with an error that says what to do when none answers, and
//! which engine it is: Podman's Docker-compatible service answers the same API with a few
//! differences the sandbox must know about (`sandbox/hardening.rs`).

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{anyhow, Result};
use bollard::{ClientVersion, Docker, API_DEFAULT_VERSION};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::OnceCell;

use crate::engine_unreachable::EngineUnreachable;

const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// How long the engine may take to answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Timeout of each API call bollard makes (long: an image build is one call).
const REQUEST_TIMEOUT_SECS: u64 = 120;

/// Which engine answers the Docker API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Docker,
    /// Podman's `podman system service` (its `_ping` carries a `Libpod-Api-Version` header, its
    /// `/version` a "Podman Engine" component).
    Podman,
}

impl EngineKind {
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Docker => "Docker",
            EngineKind::Podman => "Podman",
        }
    }
}

static KIND: OnceLock<EngineKind> = OnceLock::new();
static IDENTITY: OnceLock<String> = OnceLock::new();
static ROOTLESS: OnceLock<bool> = OnceLock::new();

/// Whether the engine `connect` reached on a local socket runs as a user other than root (rootless
/// Docker or Podman); `None` when that cannot be seen (a remote engine).
pub fn rootless() -> Option<bool> {
    ROOTLESS.get().copied()
}

/// A name for the engine `connect` reached, for what is remembered about it on disk (the images
/// it has): its kind, its address and, on a local socket, the process serving it (pid and start
/// time). Docker and a Podman service never share one, and neither does a restarted engine,
/// which costs one look at the engine again, never a wrong "ready". Free to compute: `/info`,
/// which has the engine's own ID, costs a round trip on every run.
pub fn identity() -> String {
    IDENTITY
        .get()
        .cloned()
        .unwrap_or_else(|| identity_of(kind(), &host(), None))
}

fn identity_of(kind: EngineKind, host: &str, server: Option<(i32, String)>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(host.as_bytes());
    if let Some((pid, started)) = &server {
        h.update(format!("\0{pid}\0{started}").as_bytes());
    }
    let digest = format!("{:x}", h.finalize());
    format!("{}-{}", kind.name().to_lowercase(), &digest[..16])
}

/// The pid and start time of the process serving a local socket, when we can see it.
fn server_process(stream: &tokio::net::UnixStream) -> Option<(i32, String)> {
    let pid = stream.peer_cred().ok()?.pid().filter(|p| *p > 0)?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Field 22 (start time), counted after the command name, which may hold spaces.
    let started = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?;
    Some((pid, started.to_string()))
}

/// The kind of the engine `connect` reached (Docker until one was reached).
pub fn kind() -> EngineKind {
    KIND.get().copied().unwrap_or(EngineKind::Docker)
}

/// Connect (DOCKER_HOST or the local socket) and agree on an API version the engine speaks:
/// bollard's default is newer than older engines accept.
pub async fn connect() -> Result<Docker> {
    let host = host();
    // Every way of not getting an engine to talk to is the engine being unavailable, typed so
    // front ends tell it from codecage's own faults (`sandbox::engine_unavailable`).
    let fail = |reason: String| {
        anyhow::Error::new(EngineUnreachable {
            host: host.clone(),
            reason,
        })
    };
    // On a local socket, ask `/_ping` for the engine's API version: bollard's own negotiation
    // calls `/version`, which makes the daemon run its runtimes to report their versions
    // (~5 ms here, on every command).
    if let Some(path) = host.strip_prefix("unix://") {
        let (version, kind, server) = tokio::time::timeout(CONNECT_TIMEOUT, ping_version(path))
            .await
            .map_err(|_| fail("no answer within 15 s".into()))?
            .map_err(|e| fail(e.to_string()))?;
        // A rootless engine's socket belongs to its user; a rootful one's to root.
        if let Ok(meta) = std::fs::metadata(path) {
            use std::os::unix::fs::MetadataExt;
            let _ = ROOTLESS.set(meta.uid() != 0);
        }
        let _ = KIND.set(kind);
        let _ = IDENTITY.set(identity_of(kind, &host, server));
        let version = if version < *API_DEFAULT_VERSION {
            version
        } else {
            *API_DEFAULT_VERSION
        };
        return Docker::connect_with_unix(path, REQUEST_TIMEOUT_SECS, &version)
            .map_err(|e| fail(e.to_string()));
    }
    let docker = Docker::connect_with_defaults().map_err(|e| fail(e.to_string()))?;
    let docker = match tokio::time::timeout(CONNECT_TIMEOUT, docker.negotiate_version()).await {
        Ok(Ok(docker)) => docker,
        Ok(Err(e)) => return Err(fail(e.to_string())),
        Err(_) => return Err(fail("no answer within 15 s".into())),
    };
    // Not on a local socket: ask `/version` which engine this is.
    let podman = docker.version().await.ok().is_some_and(|v| {
        v.components
            .unwrap_or_default()
            .iter()
            .any(|c| c.name.contains("Podman"))
    });
    let kind = if podman {
        EngineKind::Podman
    } else {
        EngineKind::Docker
    };
    let _ = KIND.set(kind);
    let _ = IDENTITY.set(identity_of(kind, &host, None));
    Ok(docker)
}

fn host() -> String {
    std::env::var("DOCKER_HOST").unwrap_or_else(|_| format!("unix://{DEFAULT_SOCKET}"))
}

/// The engine's socket path, when it is reached through a local socket.
fn local_socket() -> Option<String> {
    host().strip_prefix("unix://").map(str::to_string)
}

/// Whether the engine is a dockerd (or a `podman system service`) on this machine, in our PID
/// namespace (asked once per process). FIFO stdio (`sandbox/fifo.rs`) and `sandbox/accounting.rs`
/// rely on the same answer: only then are its cgroups ours to read. `Ok` holds the engine's pid.
pub async fn dockerd_is_local() -> Result<u32, &'static str> {
    static DOCKERD_IS_LOCAL: OnceCell<Result<u32, &'static str>> = OnceCell::const_new();
    *DOCKERD_IS_LOCAL.get_or_init(local_dockerd).await
}

async fn local_dockerd() -> Result<u32, &'static str> {
    let path = local_socket().ok_or("the engine is not on a local socket")?;
    let stream = tokio::net::UnixStream::connect(&path)
        .await
        .map_err(|_| "the engine's socket does not answer")?;
    // A peer in another PID namespace (or another kernel) has no pid we can see.
    let pid = stream
        .peer_cred()
        .ok()
        .and_then(|c| c.pid())
        .filter(|p| *p > 0)
        .ok_or("the engine runs in another PID namespace or machine")?;
    match std::fs::read_to_string(format!("/proc/{pid}/comm")) {
        // Podman's service opens bind-mount sources on this machine as dockerd does.
        Ok(comm) if matches!(comm.trim(), "dockerd" | "podman") => Ok(pid as u32),
        _ => Err("the engine's socket is not served by a dockerd or podman on this machine"),
    }
}

/// `GET /_ping` on the socket; the engine's API version is in its `Api-Version` header, and
/// Podman says who it is in a `Libpod-Api-Version` header.
async fn ping_version(path: &str) -> Result<(ClientVersion, EngineKind, Option<(i32, String)>)> {
    let mut stream = tokio::net::UnixStream::connect(path).await?;
    let server = server_process(&stream);
    stream
        .write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        .await?;
    let mut response = Vec::new();
    // HTTP/1.0: the engine closes the connection after its short answer.
    stream.take(64 * 1024).read_to_end(&mut response).await?;
    Ok((parse_api_version(&response)?, parse_kind(&response), server))
}

fn parse_kind(response: &[u8]) -> EngineKind {
    let text = String::from_utf8_lossy(response);
    let (head, _) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let podman = head.lines().any(|l| {
        l.split_once(':')
            .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("libpod-api-version"))
    });
    if podman {
        EngineKind::Podman
    } else {
        EngineKind::Docker
    }
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

/// The CPUs the engine counts when it checks a container's CPU quota (Docker refuses a
/// `NanoCpus` above them), once per process; `None` when it cannot be told.
static ENGINE_CPUS: tokio::sync::OnceCell<Option<u32>> = tokio::sync::OnceCell::const_new();

/// How long a remote engine's CPU count remembered on disk is trusted (a Docker Desktop VM
/// given fewer cores is asked again after this).
const ENGINE_CPUS_MEMORY: Duration = Duration::from_secs(600);

/// `cpus` at most the engine's CPU count: a compile quota of "every core of this machine" (or a
/// configured one) must not exceed what a remote engine or a smaller VM has. Free at one core or
/// less (every engine has one), and on an engine on this machine (its CPU affinity, read from
/// /proc); otherwise `/info` once per engine, remembered on disk for `ENGINE_CPUS_MEMORY`.
pub async fn clamp_cpus(docker: &Docker, cpus: f64) -> f64 {
    if cpus <= 1.0 {
        return cpus;
    }
    match *ENGINE_CPUS.get_or_init(|| engine_cpus(docker)).await {
        Some(n) => cpus.min(f64::from(n)),
        None => cpus,
    }
}

async fn engine_cpus(docker: &Docker) -> Option<u32> {
    // dockerd (Go's runtime.NumCPU) counts the CPUs its own affinity mask allows.
    if let Ok(pid) = dockerd_is_local().await {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok();
        if let Some(n) = status.as_deref().and_then(allowed_cpus) {
            return Some(n);
        }
    }
    let memo = crate::dirs::cache_dir().map(|d| d.join("codecage/engine-cpus").join(identity()));
    if let Some(path) = &memo {
        let fresh = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age < ENGINE_CPUS_MEMORY);
        if fresh {
            if let Some(n) = std::fs::read_to_string(path)
                .ok()
                .and_then(|t| t.trim().parse::<u32>().ok())
                .filter(|n| *n > 0)
            {
                return Some(n);
            }
        }
    }
    let n = u32::try_from(docker.info().await.ok()?.ncpu?)
        .ok()
        .filter(|n| *n > 0)?;
    if let Some(path) = &memo {
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(path))
            .and_then(|()| std::fs::write(path, format!("{n}\n")));
    }
    Some(n)
}

/// The number of CPUs in a /proc/PID/status `Cpus_allowed_list` ("0-3,6").
fn allowed_cpus(status: &str) -> Option<u32> {
    let list = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?
        .trim();
    let mut n = 0;
    for range in list.split(',') {
        n += match range.split_once('-') {
            Some((a, b)) => b.parse::<u32>().ok()?.checked_sub(a.parse::<u32>().ok()?)? + 1,
            None => {
                range.parse::<u32>().ok()?;
                1
            }
        };
    }
    (n > 0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_cpus_are_counted() {
        let status = |list: &str| format!("Name:\tdockerd\nCpus_allowed_list:\t{list}\nX: 1\n");
        assert_eq!(allowed_cpus(&status("0-3")), Some(4));
        assert_eq!(allowed_cpus(&status("0-3,6,8-9")), Some(7));
        assert_eq!(allowed_cpus(&status("1")), Some(1));
        assert_eq!(allowed_cpus(&status("3-1")), None);
        assert_eq!(allowed_cpus("Name: x\n"), None);
    }

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

    #[test]
    fn engines_on_other_sockets_or_processes_have_other_identities() {
        let docker = identity_of(EngineKind::Docker, "unix:///var/run/docker.sock", None);
        assert!(docker.starts_with("docker-"));
        let podman = identity_of(EngineKind::Podman, "unix:///run/podman/podman.sock", None);
        assert!(podman.starts_with("podman-"));
        let restarted = identity_of(
            EngineKind::Docker,
            "unix:///var/run/docker.sock",
            Some((42, "1234".into())),
        );
        assert_ne!(docker, restarted);
        assert_eq!(
            docker,
            identity_of(EngineKind::Docker, "unix:///var/run/docker.sock", None)
        );
    }

    #[test]
    fn podman_is_known_by_its_libpod_header() {
        let podman = b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nLibpod-Api-Version: 4.3.1\r\n\r\nOK";
        assert_eq!(parse_kind(podman), EngineKind::Podman);
        let docker = b"HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\n\r\nOK libpod-api-version: x";
        assert_eq!(parse_kind(docker), EngineKind::Docker);
    }
}
