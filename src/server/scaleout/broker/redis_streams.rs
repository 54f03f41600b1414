//! The broker on Redis (5.0 or later: Streams, consumer groups, `XAUTOCLAIM` from 6.2).
//!
//! Keys, all under `codecage:`:
//! - `codecage:jobs`: the stream of jobs (`id`, `spec`, `hops`), read by the consumer group
//!   `workers`; an entry is deleted once its result is stored, so the stream's length is the
//!   number of jobs waiting or running (the queue bound is checked against it);
//! - `codecage:result:<id>`: a job's result (JSON), kept [`RESULT_TTL`];
//! - `codecage:worker:<node>`: a worker's announcement, expiring after [`WORKER_TTL`];
//! - channels `codecage:done` (a job's result is stored) and `codecage:cancel` (stop a job);
//! - Judge0's submissions: `codecage:judge0:sub:<token>` (JSON; a finished one expires after the
//!   retention), the sorted set `codecage:judge0:index` (token by sequence number, for paging;
//!   entries whose record expired are dropped when a page meets them, and by the workers'
//!   periodic prune) and the counter
//!   `codecage:judge0:seq`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::{FutureExt, StreamExt};
use redis::aio::ConnectionManager;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamPendingCountReply, StreamReadReply};
use tokio::sync::Notify;

use super::{Broker, BrokerError, Delivery, StoredSubmission, WorkerInfo, RESULT_TTL, WORKER_TTL};

const STREAM: &str = "codecage:jobs";
const GROUP: &str = "workers";
const DONE: &str = "codecage:done";
const CANCEL: &str = "codecage:cancel";

/// How long Redis may take to answer a command (beyond a blocking read's own wait).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

fn result_key(job_id: &str) -> String {
    format!("codecage:result:{job_id}")
}

fn submission_key(token: &str) -> String {
    format!("codecage:judge0:sub:{token}")
}

const SUBMISSIONS: &str = "codecage:judge0:index";
const SUBMISSION_SEQ: &str = "codecage:judge0:seq";

fn worker_key(node: &str) -> String {
    format!("codecage:worker:{node}")
}

/// Who waits for what, woken by the subscriber task.
type Waiters = Mutex<HashMap<String, Arc<Notify>>>;

pub struct RedisBroker {
    url: String,
    client: redis::Client,
    con: ConnectionManager,
    done: Arc<Waiters>,
    cancels: Arc<Waiters>,
    /// This node's API token, which workers' session URLs must be proven with.
    token: Option<String>,
}

impl RedisBroker {
    pub async fn connect(url: &str, token: Option<&str>) -> Result<RedisBroker, BrokerError> {
        let shown = super::redact(url);
        let unreachable = |e: redis::RedisError| BrokerError::Unreachable {
            url: shown.clone(),
            message: e.to_string(),
        };
        let client = redis::Client::open(url).map_err(unreachable)?;
        // The client's default answer timeout (500 ms) is short for a busy Redis.
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_response_timeout(Some(ANSWER_TIMEOUT))
            .set_connection_timeout(Some(ANSWER_TIMEOUT));
        let connect = ConnectionManager::new_with_config(client.clone(), config);
        let con = tokio::time::timeout(Duration::from_secs(10), connect)
            .await
            .map_err(|_| BrokerError::Unreachable {
                url: shown.clone(),
                message: "no answer within 10 s".into(),
            })?
            .map_err(unreachable)?;
        let broker = RedisBroker {
            url: shown.clone(),
            client,
            con,
            done: Arc::default(),
            cancels: Arc::default(),
            token: token.map(str::to_string),
        };
        // The group reads from the stream's start: entries are deleted once done, so whatever is
        // in the stream is work. A group that exists already is fine.
        let created: redis::RedisResult<()> = redis::cmd("XGROUP")
            .arg(&["CREATE", STREAM, GROUP, "0", "MKSTREAM"])
            .query_async(&mut broker.con.clone())
            .await;
        if let Err(e) = created {
            if e.code() != Some("BUSYGROUP") {
                return Err(broker.error(e));
            }
        }
        tokio::spawn(subscribe(
            broker.client.clone(),
            broker.done.clone(),
            broker.cancels.clone(),
        ));
        Ok(broker)
    }

    fn error(&self, e: redis::RedisError) -> BrokerError {
        if e.is_io_error()
            || e.is_connection_refusal()
            || e.is_connection_dropped()
            || e.is_timeout()
        {
            BrokerError::Unreachable {
                url: self.url.clone(),
                message: e.to_string(),
            }
        } else {
            BrokerError::Protocol(e.to_string())
        }
    }

    async fn query<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, BrokerError> {
        cmd.query_async(&mut self.con.clone())
            .await
            .map_err(|e| self.error(e))
    }

    /// How many times the queue has handed out `entry`.
    async fn deliveries(&self, entry: &str) -> Result<u64, BrokerError> {
        let pending: StreamPendingCountReply = self
            .query(redis::cmd("XPENDING").arg(&[STREAM, GROUP, entry, entry, "1"]))
            .await?;
        Ok(pending.ids.first().map_or(1, |p| p.times_delivered as u64))
    }

    async fn delivery(&self, entry: StreamId) -> Result<Option<Delivery>, BrokerError> {
        let field = |name: &str| {
            entry
                .map
                .get(name)
                .and_then(|v| redis::from_redis_value_ref::<String>(v).ok())
        };
        let (Some(job_id), Some(spec)) = (field("id"), field("spec")) else {
            // Not one of ours: acknowledge and drop it rather than choke on it forever.
            self.forget(&entry.id).await?;
            return Ok(None);
        };
        let hops = field("hops").and_then(|h| h.parse().ok()).unwrap_or(0);
        let deliveries = self.deliveries(&entry.id).await?;
        Ok(Some(Delivery {
            job_id,
            entry: entry.id,
            spec,
            deliveries,
            hops,
        }))
    }

    async fn forget(&self, entry: &str) -> Result<(), BrokerError> {
        let mut pipe = redis::pipe();
        pipe.cmd("XACK").arg(&[STREAM, GROUP, entry]).ignore();
        pipe.cmd("XDEL").arg(&[STREAM, entry]).ignore();
        pipe.query_async::<()>(&mut self.con.clone())
            .await
            .map_err(|e| self.error(e))
    }
}

/// Keep one subscription to the two channels, waking waiters; reconnect when it drops.
async fn subscribe(client: redis::Client, done: Arc<Waiters>, cancels: Arc<Waiters>) {
    loop {
        if let Ok(mut pubsub) = client.get_async_pubsub().await {
            if pubsub.subscribe(&[DONE, CANCEL]).await.is_ok() {
                let mut messages = pubsub.on_message();
                while let Some(message) = messages.next().await {
                    let Ok(job_id) = message.get_payload::<String>() else {
                        continue;
                    };
                    let waiters = if message.get_channel_name() == DONE {
                        &done
                    } else {
                        &cancels
                    };
                    if let Some(notify) = lock(waiters).get(&job_id) {
                        notify.notify_one();
                    }
                }
            }
        }
        // Waiters poll as well, so a gap here only slows them down.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

fn lock(waiters: &Waiters) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Notify>>> {
    waiters
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A registration in a waiters map, removed when dropped.
struct Registered<'a> {
    waiters: &'a Waiters,
    job_id: String,
    notify: Arc<Notify>,
}

impl<'a> Registered<'a> {
    fn new(waiters: &'a Waiters, job_id: &str) -> Registered<'a> {
        let notify = lock(waiters).entry(job_id.to_string()).or_default().clone();
        Registered {
            waiters,
            job_id: job_id.to_string(),
            notify,
        }
    }
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        lock(self.waiters).remove(&self.job_id);
    }
}

impl Broker for RedisBroker {
    fn enqueue<'a>(
        &'a self,
        job_id: &'a str,
        spec: &'a str,
        max_queue: u64,
    ) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            let len = self.queue_len().await?;
            if len >= max_queue {
                return Err(BrokerError::Full(len));
            }
            self.query::<String>(
                redis::cmd("XADD").arg(&[STREAM, "*", "id", job_id, "spec", spec, "hops", "0"]),
            )
            .await?;
            Ok(())
        }
        .boxed()
    }

    fn requeue<'a>(&'a self, delivery: &'a Delivery) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            let hops = (delivery.hops + 1).to_string();
            let mut pipe = redis::pipe();
            pipe.atomic();
            pipe.cmd("XADD")
                .arg(&[
                    STREAM,
                    "*",
                    "id",
                    &delivery.job_id,
                    "spec",
                    &delivery.spec,
                    "hops",
                    &hops,
                ])
                .ignore();
            pipe.cmd("XACK")
                .arg(&[STREAM, GROUP, &delivery.entry])
                .ignore();
            pipe.cmd("XDEL").arg(&[STREAM, &delivery.entry]).ignore();
            pipe.query_async::<()>(&mut self.con.clone())
                .await
                .map_err(|e| self.error(e))
        }
        .boxed()
    }

    fn next<'a>(
        &'a self,
        consumer: &'a str,
        wait: Duration,
    ) -> BoxFuture<'a, Result<Option<Delivery>, BrokerError>> {
        async move {
            // A blocking read holds its connection: one of its own, not the shared one.
            let config = redis::AsyncConnectionConfig::new()
                .set_response_timeout(Some(wait + ANSWER_TIMEOUT))
                .set_connection_timeout(Some(ANSWER_TIMEOUT));
            let mut con = self
                .client
                .get_multiplexed_async_connection_with_config(&config)
                .await
                .map_err(|e| self.error(e))?;
            let block = wait.as_millis().to_string();
            let reply: Option<StreamReadReply> = redis::cmd("XREADGROUP")
                .arg(&["GROUP", GROUP, consumer, "COUNT", "1", "BLOCK", &block])
                .arg(&["STREAMS", STREAM, ">"])
                .query_async(&mut con)
                .await
                .map_err(|e| self.error(e))?;
            let Some(entry) = reply
                .and_then(|r| r.keys.into_iter().next())
                .and_then(|k| k.ids.into_iter().next())
            else {
                return Ok(None);
            };
            self.delivery(entry).await
        }
        .boxed()
    }

    fn claim_abandoned<'a>(
        &'a self,
        consumer: &'a str,
    ) -> BoxFuture<'a, Result<Option<Delivery>, BrokerError>> {
        async move {
            let idle = super::claim_idle().as_millis().to_string();
            let reply: StreamAutoClaimReply = self
                .query(
                    redis::cmd("XAUTOCLAIM")
                        .arg(&[STREAM, GROUP, consumer, &idle, "0-0", "COUNT", "1"]),
                )
                .await?;
            match reply.claimed.into_iter().next() {
                Some(entry) => self.delivery(entry).await,
                None => Ok(None),
            }
        }
        .boxed()
    }

    fn touch<'a>(
        &'a self,
        consumer: &'a str,
        delivery: &'a Delivery,
    ) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            // Claiming one's own entry resets its idle time; JUSTID leaves the delivery count.
            self.query::<Vec<String>>(redis::cmd("XCLAIM").arg(&[
                STREAM,
                GROUP,
                consumer,
                "0",
                &delivery.entry,
                "JUSTID",
            ]))
            .await?;
            Ok(())
        }
        .boxed()
    }

    fn complete<'a>(
        &'a self,
        delivery: &'a Delivery,
        result: &'a str,
    ) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            // Stored before the acknowledgement: a worker dying in between makes the job run
            // again (at least once), never lose its result.
            let ttl = RESULT_TTL.as_secs().to_string();
            self.query::<()>(
                redis::cmd("SET")
                    .arg(result_key(&delivery.job_id))
                    .arg(result)
                    .arg(&["EX", &ttl]),
            )
            .await?;
            self.query::<i64>(redis::cmd("PUBLISH").arg(&[DONE, &delivery.job_id]))
                .await?;
            self.forget(&delivery.entry).await
        }
        .boxed()
    }

    fn result<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<Option<String>, BrokerError>> {
        async move { self.query(redis::cmd("GET").arg(result_key(job_id))).await }.boxed()
    }

    fn wait<'a>(
        &'a self,
        job_id: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, Result<Option<String>, BrokerError>> {
        async move {
            let registered = Registered::new(&self.done, job_id);
            let deadline = tokio::time::Instant::now() + timeout;
            loop {
                if let Some(result) = self.result(job_id).await? {
                    return Ok(Some(result));
                }
                let now = tokio::time::Instant::now();
                if now >= deadline {
                    return Ok(None);
                }
                // The signal wakes us at once; the poll covers a signal lost to a reconnect.
                let poll = (deadline - now).min(Duration::from_secs(1));
                let _ = tokio::time::timeout(poll, registered.notify.notified()).await;
            }
        }
        .boxed()
    }

    fn cancel<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            self.query::<i64>(redis::cmd("PUBLISH").arg(&[CANCEL, job_id]))
                .await?;
            Ok(())
        }
        .boxed()
    }

    fn cancelled<'a>(&'a self, job_id: &'a str) -> BoxFuture<'a, ()> {
        async move {
            let registered = Registered::new(&self.cancels, job_id);
            registered.notify.notified().await;
        }
        .boxed()
    }

    fn announce<'a>(&'a self, worker: &'a WorkerInfo) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            let json =
                serde_json::to_string(worker).map_err(|e| BrokerError::Protocol(e.to_string()))?;
            let ttl = WORKER_TTL.as_millis().to_string();
            self.query::<()>(
                redis::cmd("SET")
                    .arg(worker_key(&worker.node))
                    .arg(json)
                    .arg(&["PX", &ttl]),
            )
            .await
        }
        .boxed()
    }

    fn retire<'a>(&'a self, node: &'a str) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            self.query::<i64>(redis::cmd("DEL").arg(worker_key(node)))
                .await?;
            Ok(())
        }
        .boxed()
    }

    fn workers(&self) -> BoxFuture<'_, Result<Vec<WorkerInfo>, BrokerError>> {
        async move {
            let mut keys: Vec<String> = Vec::new();
            let mut cursor = "0".to_string();
            loop {
                let (next, batch): (String, Vec<String>) = self
                    .query(redis::cmd("SCAN").arg(&cursor).arg(&[
                        "MATCH",
                        "codecage:worker:*",
                        "COUNT",
                        "100",
                    ]))
                    .await?;
                keys.extend(batch);
                if next == "0" {
                    break;
                }
                cursor = next;
            }
            if keys.is_empty() {
                return Ok(Vec::new());
            }
            let values: Vec<Option<String>> = self.query(redis::cmd("MGET").arg(&keys)).await?;
            let mut workers: Vec<WorkerInfo> = values
                .into_iter()
                .flatten()
                .filter_map(|v| serde_json::from_str(&v).ok())
                .collect();
            let now_ms = codecage::units::unix_now() as u64 * 1000;
            for worker in &mut workers {
                worker.keep_verified_url(self.token.as_deref(), now_ms);
            }
            workers.sort_by(|a, b| a.node.cmp(&b.node));
            Ok(workers)
        }
        .boxed()
    }

    fn queue_len(&self) -> BoxFuture<'_, Result<u64, BrokerError>> {
        async move { self.query(redis::cmd("XLEN").arg(STREAM)).await }.boxed()
    }

    fn next_submission_seq(&self) -> BoxFuture<'_, Result<u64, BrokerError>> {
        async move { self.query(redis::cmd("INCR").arg(SUBMISSION_SEQ)).await }.boxed()
    }

    fn put_submissions<'a>(
        &'a self,
        records: &'a [StoredSubmission],
    ) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            let mut pipe = redis::pipe();
            pipe.atomic();
            for r in records {
                let set = pipe.cmd("SET").arg(submission_key(&r.token)).arg(&r.json);
                if let Some(ttl) = r.ttl {
                    set.arg("EX").arg(ttl.as_secs().max(1));
                }
                set.ignore();
                pipe.cmd("ZADD")
                    .arg(SUBMISSIONS)
                    .arg(r.seq)
                    .arg(&r.token)
                    .ignore();
            }
            pipe.query_async::<()>(&mut self.con.clone())
                .await
                .map_err(|e| self.error(e))
        }
        .boxed()
    }

    fn get_submissions<'a>(
        &'a self,
        tokens: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<Option<String>>, BrokerError>> {
        async move {
            if tokens.is_empty() {
                return Ok(Vec::new());
            }
            let keys: Vec<String> = tokens.iter().map(|t| submission_key(t)).collect();
            self.query(redis::cmd("MGET").arg(&keys)).await
        }
        .boxed()
    }

    fn delete_submission<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<(), BrokerError>> {
        async move {
            let mut pipe = redis::pipe();
            pipe.atomic();
            pipe.cmd("DEL").arg(submission_key(token)).ignore();
            pipe.cmd("ZREM").arg(SUBMISSIONS).arg(token).ignore();
            pipe.query_async::<()>(&mut self.con.clone())
                .await
                .map_err(|e| self.error(e))
        }
        .boxed()
    }

    fn prune_submissions(&self) -> BoxFuture<'_, Result<u64, BrokerError>> {
        async move {
            let mut pruned = 0;
            let mut cursor = "0".to_string();
            loop {
                // ZSCAN answers members and scores in turn.
                let (next, batch): (String, Vec<String>) = self
                    .query(
                        redis::cmd("ZSCAN")
                            .arg(SUBMISSIONS)
                            .arg(&cursor)
                            .arg(&["COUNT", "500"]),
                    )
                    .await?;
                let tokens: Vec<&String> = batch.iter().step_by(2).collect();
                if !tokens.is_empty() {
                    let mut pipe = redis::pipe();
                    for token in &tokens {
                        pipe.cmd("EXISTS").arg(submission_key(token));
                    }
                    let exists: Vec<bool> = pipe
                        .query_async(&mut self.con.clone())
                        .await
                        .map_err(|e| self.error(e))?;
                    let gone: Vec<&&String> = tokens
                        .iter()
                        .zip(&exists)
                        .filter(|(_, e)| !**e)
                        .map(|(t, _)| t)
                        .collect();
                    if !gone.is_empty() {
                        pruned += self
                            .query::<u64>(redis::cmd("ZREM").arg(SUBMISSIONS).arg(&gone))
                            .await?;
                    }
                }
                if next == "0" {
                    return Ok(pruned);
                }
                cursor = next;
            }
        }
        .boxed()
    }

    fn submission_page(
        &self,
        skip: usize,
        count: usize,
    ) -> BoxFuture<'_, Result<(u64, Vec<String>), BrokerError>> {
        async move {
            let total: u64 = self.query(redis::cmd("ZCARD").arg(SUBMISSIONS)).await?;
            if count == 0 {
                return Ok((total, Vec::new()));
            }
            let tokens: Vec<String> = self
                .query(
                    redis::cmd("ZREVRANGE")
                        .arg(SUBMISSIONS)
                        .arg(skip)
                        .arg(skip + count - 1),
                )
                .await?;
            let records = self.get_submissions(&tokens).await?;
            let expired: Vec<&String> = tokens
                .iter()
                .zip(&records)
                .filter(|(_, r)| r.is_none())
                .map(|(t, _)| t)
                .collect();
            if !expired.is_empty() {
                // Their records expired: the index forgets them now.
                self.query::<i64>(redis::cmd("ZREM").arg(SUBMISSIONS).arg(&expired))
                    .await?;
            }
            let total = total.saturating_sub(expired.len() as u64);
            Ok((total, records.into_iter().flatten().collect()))
        }
        .boxed()
    }
}
