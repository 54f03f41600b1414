//! Scale-out: API nodes (`serve --broker URL`) put batch runs on a shared queue; `codecage worker`s
//! on any machine with a Docker engine take them, run them in their own sandboxes and store the
//! results, which the API node that is waiting hears about at once.
//!
//! The queue is behind [`Broker`] so another engine (NATS JetStream) could follow; Redis Streams
//! (`redis_streams.rs`) is the one built, by `connect.rs` (which names both, so this file names
//! neither and the implementation imports the trait without a cycle). What the rest of the server relies on:
//! - a job is acknowledged only after its result is stored, so a worker that dies mid-job loses
//!   nothing: a live worker claims the job once its heartbeats stop ([`claim_idle`]);
//! - a job delivered [`MAX_DELIVERIES`] times ends as an internal error, never a loop;
//! - results live [`RESULT_TTL`]; workers announce themselves with a heartbeat that expires
//!   ([`WORKER_TTL`]), so a stopped worker drops out of the list by itself.

pub mod connect;
pub mod redis_streams;

use std::time::Duration;

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};

/// A job untouched by its worker (no heartbeat) this long is claimed by another worker; the
/// environment variable `CODECAGE_CLAIM_IDLE` (a duration) changes it for every process that
/// shares the broker (set it the same everywhere).
pub const CLAIM_IDLE: Duration = Duration::from_secs(15);

/// The claim timeout in force: `CODECAGE_CLAIM_IDLE`, else [`CLAIM_IDLE`].
pub fn claim_idle() -> Duration {
    std::env::var("CODECAGE_CLAIM_IDLE")
        .ok()
        .and_then(|v| codecage::units::parse_duration(&v).ok())
        .filter(|d| *d >= Duration::from_millis(500))
        .unwrap_or(CLAIM_IDLE)
}

/// How often a worker touches the job it runs (and looks for abandoned ones): well inside the
/// claim timeout, so a live worker's job is never claimed.
pub fn heartbeat() -> Duration {
    (claim_idle() / 5).min(Duration::from_secs(3))
}
/// Deliveries of one job after which it ends as an internal error (its workers keep dying).
pub const MAX_DELIVERIES: u64 = 3;
/// How long a stored result is kept.
pub const RESULT_TTL: Duration = Duration::from_secs(3600);
/// A worker that has not announced itself for this long is gone from the list.
pub const WORKER_TTL: Duration = Duration::from_secs(10);

/// A job handed to a worker.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The job's id (what the API node waits on).
    pub job_id: String,
    /// The queue's own id of this entry (what is acknowledged).
    pub entry: String,
    /// The job itself (JSON of [`codecage::wire::job::JobSpec`]).
    pub spec: String,
    /// How many times the queue has handed this job out, this time included.
    pub deliveries: u64,
    /// How many times a worker without the job's language put it back.
    pub hops: u64,
}

/// A worker as it announces itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WorkerInfo {
    pub node: String,
    pub hostname: String,
    pub languages: Vec<String>,
    pub concurrency: usize,
    /// Batch jobs and interactive sessions running.
    pub running: usize,
    /// Where API nodes hand it interactive sessions (`http://HOST:PORT`), if it takes them.
    #[serde(default)]
    pub url: Option<String>,
    pub done: u64,
    pub started_ms: u64,
    /// When this announcement was made (ms since the epoch), covered by `proof`.
    #[serde(default)]
    pub announced_ms: u64,
    /// That the worker knows the API token: HMAC-SHA256 of its node, URL and `announced_ms`
    /// keyed by the token ([`url_proof`]). An API node sends its token only to a URL with a
    /// valid proof, never to one anybody who can write to Redis put there.
    #[serde(default)]
    pub proof: Option<String>,
}

/// How old an announcement's proof may be (announcements come every heartbeat; this leaves room
/// for clocks that disagree by a minute or two).
pub const PROOF_MAX_AGE: Duration = Duration::from_secs(300);

impl WorkerInfo {
    /// Sign this announcement's URL with the API token (nothing to sign without a URL or token).
    pub fn sign(&mut self, token: Option<&str>) {
        self.proof = match (token, &self.url) {
            (Some(token), Some(url)) => Some(url_proof(token, &self.node, url, self.announced_ms)),
            _ => None,
        };
    }

    /// Keep the session URL only if it is one an API node holding `token` may send it to: proven
    /// by a worker that knows the token, recently (`now_ms`). Without a token this node has no
    /// secret to send, and every URL stays.
    pub fn keep_verified_url(&mut self, token: Option<&str>, now_ms: u64) {
        let (Some(token), Some(url)) = (token, &self.url) else {
            return;
        };
        let fresh = now_ms.abs_diff(self.announced_ms) <= PROOF_MAX_AGE.as_millis() as u64;
        let expected = url_proof(token, &self.node, url, self.announced_ms);
        let proven = self
            .proof
            .as_deref()
            .is_some_and(|p| same_bytes(p.as_bytes(), expected.as_bytes()));
        if !(fresh && proven) {
            self.url = None;
        }
    }
}

/// The proof that whoever announced `url` for `node` at `announced_ms` knows `token` (hex).
pub fn url_proof(token: &str, node: &str, url: &str, announced_ms: u64) -> String {
    let message = format!("codecage worker url\n{node}\n{url}\n{announced_ms}");
    hmac_sha256(token.as_bytes(), message.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// HMAC-SHA256 (RFC 2104) on the `sha2` crate the build already has.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// Equal, in time that does not depend on where they differ.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("the queue is full ({0} jobs waiting or running)")]
    Full(u64),
    #[error("cannot reach the broker at {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("the broker answered unexpectedly: {0}")]
    Protocol(String),
}

/// The queue, the result store and the worker registry, as the API nodes and workers use them.
pub trait Broker: Send + Sync {
    /// Put a job on the queue, unless `max_queue` jobs are already waiting or running.
    fn enqueue<'a>(
        &'a self,
        job_id: &'a str,
        spec: &'a str,
        max_queue: u64,
    ) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// Put a job a worker cannot run back at the end of the queue, and let go of this delivery.
    fn requeue<'a>(&'a self, delivery: &'a Delivery) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// The next job for `consumer`, waiting up to `wait` for one.
    fn next<'a>(
        &'a self,
        consumer: &'a str,
        wait: Duration,
    ) -> BoxFuture<'a, Result<Option<Delivery>, BrokerError>>;

    /// A job whose worker stopped touching it for [`CLAIM_IDLE`], now `consumer`'s.
    fn claim_abandoned<'a>(
        &'a self,
        consumer: &'a str,
    ) -> BoxFuture<'a, Result<Option<Delivery>, BrokerError>>;

    /// "Still working on it": keeps the job from being claimed by another worker.
    fn touch<'a>(
        &'a self,
        consumer: &'a str,
        delivery: &'a Delivery,
    ) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// Store the job's result, tell whoever waits, then acknowledge the job.
    fn complete<'a>(
        &'a self,
        delivery: &'a Delivery,
        result: &'a str,
    ) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// The stored result of a job, if it has one.
    fn result<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Option<String>, BrokerError>>;

    /// Wait up to `timeout` for the job's result (woken by the completion signal).
    fn wait<'a>(
        &'a self,
        job_id: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, Result<Option<String>, BrokerError>>;

    /// Ask whichever worker runs the job to stop it (its client went away).
    fn cancel<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// Wait until someone asks for `job_id` to be cancelled (never returns otherwise).
    fn cancelled<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, ()>;

    /// Announce (or refresh) a worker; it drops out of the list after [`WORKER_TTL`].
    fn announce<'a>(&'a self, worker: &'a WorkerInfo) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// Take a worker off the list now (it is stopping).
    fn retire<'a>(&'a self, node: &'a str) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// The live workers; a session URL not proven with this node's token is left out.
    fn workers(&self) -> BoxFuture<'_, Result<Vec<WorkerInfo>, BrokerError>>;

    /// Jobs waiting or running.
    fn queue_len(&self) -> BoxFuture<'_, Result<u64, BrokerError>>;

    // Judge0's submissions, shared by every API node and worker (JSON records by token, kept in
    // submission order for paging).

    /// The next submission sequence number.
    fn next_submission_seq(&self) -> BoxFuture<'_, Result<u64, BrokerError>>;

    /// Store submissions (all or none); a finished one with its retention as a time to live.
    fn put_submissions<'a>(
        &'a self,
        records: &'a [StoredSubmission],
    ) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// Submissions by token (None for an unknown or expired one).
    fn get_submissions<'a>(
        &'a self,
        tokens: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<Option<String>>, BrokerError>>;

    fn delete_submission<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<(), BrokerError>>;

    /// Drop index entries whose submission expired (or was removed); how many were dropped.
    /// Without this the index only shrinks when a page of it is read, so it grows for ever.
    fn prune_submissions(&self) -> BoxFuture<'_, Result<u64, BrokerError>>;

    /// How many submissions there are, and `count` of them newest first after skipping `skip`.
    fn submission_page(
        &self,
        skip: usize,
        count: usize,
    ) -> BoxFuture<'_, Result<(u64, Vec<String>), BrokerError>>;
}

/// A Judge0 submission as the shared store keeps it.
pub struct StoredSubmission {
    pub token: String,
    pub seq: u64,
    pub json: String,
    /// Set for a finished submission: it is removed after this long.
    pub ttl: Option<Duration>,
}

/// The URL as it may be shown: a password in it (`redis://:secret@host`) becomes `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_never_shown() {
        assert_eq!(
            redact("redis://:s3cret@10.0.0.5:6379/0"),
            "redis://:***@10.0.0.5:6379/0"
        );
        assert_eq!(
            redact("redis://app:s3:cr@et@host:1"),
            "redis://app:***@host:1"
        );
        assert_eq!(redact("redis://host:6379"), "redis://host:6379");
        assert_eq!(redact("not a url"), "not a url");
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let long_key = [0xaa; 131];
        let mac = hmac_sha256(
            &long_key,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    fn announced(url: &str, at: u64) -> WorkerInfo {
        WorkerInfo {
            node: "w1".into(),
            hostname: "h".into(),
            languages: vec![],
            concurrency: 1,
            running: 0,
            url: Some(url.into()),
            done: 0,
            started_ms: 0,
            announced_ms: at,
            proof: None,
        }
    }

    #[test]
    fn only_a_url_signed_with_the_token_recently_is_kept() {
        let now = 1_700_000_000_000;
        let mut signed = announced("http://10.0.0.7:8081", now);
        signed.sign(Some("s3cret"));
        let mut kept = signed.clone();
        kept.keep_verified_url(Some("s3cret"), now + 1000);
        assert_eq!(kept.url.as_deref(), Some("http://10.0.0.7:8081"));
        // Another token, another URL under the same proof, no proof, a stale proof: dropped.
        let mut other = signed.clone();
        other.keep_verified_url(Some("another"), now);
        let mut moved = signed.clone();
        moved.url = Some("http://attacker:80".into());
        moved.keep_verified_url(Some("s3cret"), now);
        let mut unsigned = announced("http://10.0.0.7:8081", now);
        unsigned.keep_verified_url(Some("s3cret"), now);
        let mut stale = signed.clone();
        stale.keep_verified_url(Some("s3cret"), now + PROOF_MAX_AGE.as_millis() as u64 + 1);
        for dropped in [other, moved, unsigned, stale] {
            assert_eq!(dropped.url, None, "{dropped:?}");
        }
        // A node with no token has nothing to send: the URL stays.
        let mut open = announced("http://10.0.0.7:8081", now);
        open.keep_verified_url(None, now);
        assert!(open.url.is_some());
    }
}
