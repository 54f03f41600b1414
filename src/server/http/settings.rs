//! What an operator chose for this server (flags > config file > defaults, merged by
//! `server::command`): where to listen, how much to admit, and the most any request may get.
//! Handlers read it; nothing changes it after start.

use std::net::SocketAddr;
use std::time::Duration;

use codecage::limits::Limits;
use codecage::profile::Profile;

/// Server settings, from flags (clamped maxima included).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The compile cache every client shares (`compile:` in the config file; off: `None`).
    pub compile_cache: Option<codecage::compile_cache::CacheSettings>,
    /// The most CPU a compile step gets (`compile.cpus` in the config file, else
    /// `SERVE_COMPILE_CPUS`), under the profile's and the engine's own.
    pub compile_cpus: f64,
    pub listen: SocketAddr,
    /// Names (besides IP addresses and `localhost`) requests may address this server by, a
    /// leading dot for a domain and its subdomains; `None`: any name (see `host_check`).
    pub allowed_hosts: Option<Vec<String>>,
    pub token: Option<String>,
    pub max_concurrent: usize,
    pub queue: usize,
    pub max_body: usize,
    /// Defaults and maxima for batch runs (a profile may ask for more memory, pids and CPU).
    pub limits: Limits,
    /// Limits for interactive sessions (the interactive session protocol's: 2 min, 30 s idle).
    pub session_limits: Limits,
    /// How long running executions may finish after SIGTERM before they are killed.
    pub grace: Duration,
    /// How long a created session waits for its WebSocket.
    pub session_connect: Duration,
    /// Sessions (waiting or live) one client may hold at once.
    pub sessions_per_token: usize,
    /// Warm sandboxes kept ready per language and limits (0: off).
    pub pool: usize,
    /// A warm sandbox unused for this long is removed.
    pub pool_idle: Duration,
    /// Dependency sets clients may ask for, as (language, set). Nothing else is ever installed:
    /// a client's own manifest would be an expensive, network-using build on request.
    pub deps_sets: Vec<(String, String)>,
    /// CA certificate trusted while those sets install (SSL_CERT_FILE of the server's environment).
    pub deps_ca: Option<Vec<u8>>,
    /// The Judge0 API's store, queue and callbacks.
    pub judge0: crate::server::api::judge0::settings::Judge0Settings,
    /// Scale-out: the broker (`redis://…`) batch runs go through to workers.
    pub broker: Option<String>,
}

impl Settings {
    /// The most a request may get for this language: the server's limits, raised where the
    /// language's profile needs more (the JVM's memory).
    pub(in crate::server) fn limits_max(&self, profile: &Profile) -> Limits {
        let mut max = self.limits.clone();
        let mut with_profile = Limits::run_defaults();
        // Only what the profile itself sets: the run defaults (256 MiB) must not raise a server's
        // lower maximum (`--max-memory 128MiB` allowed 256 MiB to every language).
        let set = &profile.limits;
        if with_profile.apply(set).is_ok() {
            if set.memory.is_some() {
                max.memory = max.memory.max(with_profile.memory);
            }
            if set.pids.is_some() {
                max.pids = max.pids.max(with_profile.pids);
            }
            if set.cpus.is_some() {
                max.cpus = max.cpus.max(with_profile.cpus);
            }
            if set.workspace.is_some() {
                max.workspace = max.workspace.max(with_profile.workspace);
            }
        }
        max
    }

    /// Runs at once: at least one, whatever was configured.
    pub(in crate::server) fn run_slots(&self) -> usize {
        self.max_concurrent.max(1)
    }
}
