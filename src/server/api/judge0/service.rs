//! The Judge0 service: what the routes and workers share (the server's state, the operator's
//! settings, the languages, the limits, the queue) and where submissions are kept, this
//! server's store or the broker's, with the plain operations on them (get, put, delete, page,
//! admit, enqueue, wait). It imports only the leaf files of `judge0/` (settings, limits,
//! languages, store, submission, queue, error), so every other file may use it and none of
//! them is imported back: starting the workers is `workers.rs`'s, above it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use tokio_util::sync::CancellationToken;

use super::error;
use super::languages::Languages;
use super::limits::Judge0Limits;
use super::queue::Queue;
use super::settings::Judge0Settings;
use super::store::{Store, StoreError};
use super::submission::Record;
use crate::server::http::state::AppState;
use crate::server::scaleout::broker::{Broker, StoredSubmission};
use codecage::wire::job::Job;

/// Where submissions are kept and queued: this server's own store and queue, or (scale-out,
/// `serve --broker`) the broker, shared by every API node, with workers judging them.
pub(super) enum Backend {
    Local(Arc<Store>),
    Shared(Arc<dyn Broker>),
}

/// Everything the Judge0 routes and workers share.
pub struct Judge0 {
    pub(super) app: Arc<AppState>,
    pub(super) settings: Judge0Settings,
    pub(super) languages: Languages,
    /// The server's own limits in Judge0's terms (`/config_info`).
    pub(super) limits: Judge0Limits,
    pub(super) backend: Backend,
    /// The local queue (unused when the broker queues submissions).
    pub(super) queue: Queue,
    pub(super) next_seq: AtomicU64,
    /// Fired at SIGTERM: workers take nothing new, waiting requests answer.
    pub(super) stop: CancellationToken,
}

/// How long `wait=true` waits for a submission judged on a worker before answering as it stands.
const SHARED_WAIT: Duration = Duration::from_secs(15 * 60);

impl Judge0 {
    /// Judge0 on the broker's shared store: an API node (which queues) or a worker (which judges).
    pub fn shared(
        app: Arc<AppState>,
        broker: Arc<dyn Broker>,
        stop: CancellationToken,
    ) -> Result<Arc<Judge0>> {
        let settings = app.settings.judge0.clone();
        Ok(Arc::new(Judge0 {
            limits: Judge0Limits::new(&app.settings),
            queue: Queue::new(settings.queue),
            languages: Languages::load(&app.profiles)?,
            settings,
            backend: Backend::Shared(broker),
            next_seq: AtomicU64::new(0),
            stop,
            app,
        }))
    }

    /// Wait until no submission is being judged (after SIGTERM; the caller bounds the wait).
    pub async fn drain(&self) {
        while self.queue.working() > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(super) async fn seq(&self) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Local(_) => Ok(self.next_seq.fetch_add(1, Ordering::SeqCst)),
            Backend::Shared(broker) => Ok(broker.next_submission_seq().await?),
        }
    }

    async fn blocking<T: Send + 'static>(
        store: &Arc<Store>,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| StoreError::new(e.to_string()))?
    }

    pub(super) async fn get(&self, token: &str) -> Result<Option<Record>, StoreError> {
        let mut found = self.get_many(vec![token.to_string()]).await?;
        Ok(found.pop().flatten())
    }

    /// Each token's submission, or None.
    pub(super) async fn get_many(
        &self,
        tokens: Vec<String>,
    ) -> Result<Vec<Option<Record>>, StoreError> {
        match &self.backend {
            Backend::Local(store) => {
                Judge0::blocking(store, move |s| {
                    tokens
                        .iter()
                        .map(|t| s.get(t))
                        .collect::<Result<Vec<_>, _>>()
                })
                .await
            }
            Backend::Shared(broker) => broker
                .get_submissions(&tokens)
                .await?
                .into_iter()
                .map(|json| json.map(|j| parse_record(&j)).transpose())
                .collect(),
        }
    }

    pub(super) async fn put(&self, records: Vec<Record>) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Local(store) => {
                Judge0::blocking(store, move |s| s.put(&records.iter().collect::<Vec<_>>())).await
            }
            Backend::Shared(broker) => {
                let stored = records
                    .iter()
                    .map(|r| {
                        Ok(StoredSubmission {
                            token: r.token.clone(),
                            seq: r.seq,
                            json: serde_json::to_string(r)
                                .map_err(|e| StoreError::new(e.to_string()))?,
                            ttl: (!r.is_pending()).then_some(self.settings.retention),
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                Ok(broker.put_submissions(&stored).await?)
            }
        }
    }

    pub(super) async fn delete(&self, record: Record) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Local(store) => Judge0::blocking(store, move |s| s.delete(&record)).await,
            Backend::Shared(broker) => Ok(broker.delete_submission(&record.token).await?),
        }
    }

    /// How many submissions there are, and a page of them, newest first.
    pub(super) async fn page(
        &self,
        skip: usize,
        per_page: usize,
    ) -> Result<(u64, Vec<Record>), StoreError> {
        match &self.backend {
            Backend::Local(store) => {
                Judge0::blocking(store, move |s| Ok((s.count()?, s.page(skip, per_page)?))).await
            }
            Backend::Shared(broker) => {
                let (total, page) = broker.submission_page(skip, per_page).await?;
                let records = page
                    .iter()
                    .map(|j| parse_record(j))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((total, records))
            }
        }
    }

    /// Room for `n` more submissions in the queue (a batch goes in whole or not at all).
    pub(super) async fn admit(&self, n: usize) -> Result<(), error::Judge0Error> {
        let room = match &self.backend {
            Backend::Local(_) => self.queue.reserve(n),
            Backend::Shared(broker) => {
                let queued = broker.queue_len().await.map_err(StoreError::from)?;
                queued as usize + n <= self.settings.queue
            }
        };
        room.then_some(()).ok_or(error::Judge0Error::QueueFull)
    }

    /// Give back room taken by `admit` for submissions that were not queued after all.
    pub(super) fn release(&self, n: usize) {
        if let Backend::Local(_) = self.backend {
            self.queue.release(n);
        }
    }

    /// Queue stored submissions for judging.
    pub(super) async fn enqueue(&self, tokens: Vec<String>) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Local(_) => {
                for token in tokens {
                    self.queue.push(token);
                }
                Ok(())
            }
            Backend::Shared(broker) => {
                for token in tokens {
                    let job = serde_json::to_string(&Job::Judge0 {
                        token: token.clone(),
                    })
                    .map_err(|e| StoreError::new(e.to_string()))?;
                    broker.enqueue(&token, &job, u64::MAX).await?;
                }
                Ok(())
            }
        }
    }

    /// Fires when the submission `token` has been judged (ask before queueing it).
    pub(super) fn judged(&self, token: &str) -> futures_util::future::BoxFuture<'_, ()> {
        use futures_util::FutureExt;
        match &self.backend {
            Backend::Local(_) => {
                let done = self.queue.wait_for(token);
                async move {
                    let _ = done.await;
                }
                .boxed()
            }
            Backend::Shared(broker) => {
                let token = token.to_string();
                async move {
                    let _ = broker.wait(&token, SHARED_WAIT).await;
                }
                .boxed()
            }
        }
    }
}

fn parse_record(json: &str) -> Result<Record, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::new(format!("a stored submission: {e}")))
}

impl From<crate::server::scaleout::broker::BrokerError> for StoreError {
    fn from(e: crate::server::scaleout::broker::BrokerError) -> StoreError {
        StoreError::new(e.to_string())
    }
}
