//! What the operator chose for the Judge0 API (store, retention, queue, callbacks, tokens,
//! CORS). Plain data in a file of its own: the server's settings hold it, and the Judge0 service
//! reads the server's state.

use std::path::PathBuf;
use std::time::Duration;

/// What the operator chose for the Judge0 API.
#[derive(Debug, Clone)]
pub struct Judge0Settings {
    /// The store's file.
    pub store: PathBuf,
    /// Finished submissions are removed after this long.
    pub retention: Duration,
    /// Past this many stored bytes the oldest finished submissions are removed.
    pub store_max: u64,
    /// Submissions queued or running at most; past that, 503 "queue is full".
    pub queue: usize,
    /// Hosts (`HOST` or `HOST:PORT`) callbacks may go to; empty: callbacks refused.
    pub callback_allow: Vec<String>,
    /// Judge0's authorization token (`X-Auth-User`), for listing and deleting submissions;
    /// without one nobody may (Judge0's rule when its AUTHZ_TOKEN is empty).
    pub admin_token: Option<String>,
    /// Origins browsers may call the Judge0 routes from (`*`: any); empty: no CORS headers.
    pub allow_origin: Vec<String>,
}

impl Judge0Settings {
    /// The store's default place: `$XDG_DATA_HOME/codecage/judge0.redb`, else under
    /// `~/.local/share`.
    pub fn default_store() -> PathBuf {
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("."));
        data.join("codecage").join("judge0.redb")
    }
}
