//! The Judge0 CE 1.13.1 API on `codecage serve`, so Judge0's clients (sites, IDE plugins, the
//! official SDKs) work unmodified. Served under `/judge0/...` (the base URL clients are given)
//! and also at `/` wherever a path does not clash with the other APIs (`GET /languages` stays
//! CodeEngine's). Submissions go into a bounded queue whose workers share the admission gate and
//! the warm pool with every other API, and are kept in an embedded on-disk store.
//!
//! Files: `languages` (ids and routes), `statuses`, `request` (checking a submission),
//! `submission` (the stored record), `fields` (responses), `judging` (run and map a result),
//! `queue` (queue, workers), `store` (redb), `callback`, `additional_files`, `options`
//! (compiler options, arguments), `limits`, `encoding` (base64), `info` (about, config, workers),
//! `handlers` (the submission routes), `authz` (Judge0's `X-Auth-User` for listing and deleting),
//! `cors` (browsers), `error`, `settings` (what the operator chose).

mod additional_files;
mod authz;
mod callback;
mod cors;
mod encoding;
mod error;
mod fields;
mod handlers;
mod info;
mod judging;
mod languages;
mod limits;
mod options;
mod queue;
mod request;
pub mod settings;
mod statuses;
mod store;
mod submission;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::routing::{get, post};
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::server::http::state::AppState;
use crate::server::scaleout::broker::{Broker, StoredSubmission};
use codecage::wire::job::Job;
use languages::Languages;
use limits::Judge0Limits;
use queue::Queue;
use store::{Store, StoreError};
use submission::Record;

pub use cors::{cors, origin_allowed};
pub use settings::Judge0Settings;

/// Where submissions are kept and queued: this server's own store and queue, or (scale-out,
/// `serve --broker`) the broker, shared by every API node, with workers judging them.
enum Backend {
    Local(Arc<Store>),
    Shared(Arc<dyn Broker>),
}

/// Everything the Judge0 routes and workers share.
pub struct Judge0 {
    app: Arc<AppState>,
    settings: Judge0Settings,
    languages: Languages,
    /// The server's own limits in Judge0's terms (`/config_info`).
    limits: Judge0Limits,
    backend: Backend,
    /// The local queue (unused when the broker queues submissions).
    queue: Queue,
    next_seq: AtomicU64,
    /// Fired at SIGTERM: workers take nothing new, waiting requests answer.
    stop: CancellationToken,
}

/// How long `wait=true` waits for a submission judged on a worker before answering as it stands.
const SHARED_WAIT: Duration = Duration::from_secs(15 * 60);

impl Judge0 {
    /// Open the store, queue what a previous run left unjudged, start the workers and the sweep.
    /// Also returns how many submissions were queued again. With a broker, submissions live in
    /// it and workers judge them: nothing is opened or started here.
    pub fn start(app: Arc<AppState>, stop: CancellationToken) -> Result<(Arc<Judge0>, usize)> {
        if let Some(broker) = app.broker.clone() {
            return Ok((Judge0::shared(app, broker, stop)?, 0));
        }
        let settings = app.settings.judge0.clone();
        let store = Store::open(&settings.store).with_context(|| {
            format!(
                "cannot open the Judge0 store {} (another codecage serve using it? pass --store PATH)",
                settings.store.display()
            )
        })?;
        let languages = Languages::load(&app.profiles)?;
        let next_seq = store.next_seq()?;
        let pending = store.pending()?;
        let j = Arc::new(Judge0 {
            limits: Judge0Limits::new(&app.settings),
            queue: Queue::new(settings.queue),
            settings,
            languages,
            backend: Backend::Local(Arc::new(store)),
            next_seq: AtomicU64::new(next_seq),
            stop: stop.clone(),
            app: app.clone(),
        });
        let requeued = queue::requeue(&j, pending);
        for _ in 0..app.settings.run_slots() {
            tokio::spawn(queue::worker(j.clone(), stop.clone()));
        }
        tokio::spawn(queue::sweeper(j.clone(), stop));
        Ok((j, requeued))
    }

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

    async fn seq(&self) -> Result<u64, StoreError> {
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

    async fn get(&self, token: &str) -> Result<Option<Record>, StoreError> {
        let mut found = self.get_many(vec![token.to_string()]).await?;
        Ok(found.pop().flatten())
    }

    /// Each token's submission, or None.
    async fn get_many(&self, tokens: Vec<String>) -> Result<Vec<Option<Record>>, StoreError> {
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

    async fn put(&self, records: Vec<Record>) -> Result<(), StoreError> {
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

    async fn delete(&self, record: Record) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Local(store) => Judge0::blocking(store, move |s| s.delete(&record)).await,
            Backend::Shared(broker) => Ok(broker.delete_submission(&record.token).await?),
        }
    }

    /// How many submissions there are, and a page of them, newest first.
    async fn page(&self, skip: usize, per_page: usize) -> Result<(u64, Vec<Record>), StoreError> {
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
    async fn admit(&self, n: usize) -> Result<(), error::Judge0Error> {
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
    fn release(&self, n: usize) {
        if let Backend::Local(_) = self.backend {
            self.queue.release(n);
        }
    }

    /// Queue stored submissions for judging.
    async fn enqueue(&self, tokens: Vec<String>) -> Result<(), StoreError> {
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
    fn judged(&self, token: &str) -> futures_util::future::BoxFuture<'_, ()> {
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

/// A worker judging a submission an API node queued on the broker. False when this worker's
/// shutdown interrupted it (the submission is back to "In Queue", for another worker).
pub async fn judge_queued(j: &Arc<Judge0>, token: &str) -> bool {
    queue::run_one(j, token).await
}

/// A submission its workers kept failing to judge: an internal error, with the reason.
pub async fn give_up(j: &Judge0, token: &str, reason: &str) {
    if let Ok(Some(mut record)) = j.get(token).await {
        record.status = statuses::Status::InternalError.id();
        record.message = Some(reason.to_string());
        record.finished_at = Some(submission::now_micros());
        if let Err(e) = j.put(vec![record]).await {
            eprintln!("codecage: judge0: cannot store submission {token}: {e}");
        }
    }
}

/// The Judge0 routes; `at_root` leaves out the paths other APIs own there (`GET /languages`).
pub fn routes(j: Arc<Judge0>, at_root: bool) -> Router<Arc<AppState>> {
    let mut router = Router::new();
    if !at_root {
        router = router.route("/languages", get(languages::list));
    }
    router
        .route("/languages/all", get(languages::all))
        .route("/languages/{id}", get(languages::one))
        .route("/statuses", get(statuses::list))
        .route("/about", get(info::about))
        .route("/config_info", get(info::config_info))
        .route("/system_info", get(info::system_info))
        .route("/workers", get(info::workers))
        .route("/version", get(info::version))
        .route("/license", get(info::license))
        .route("/authenticate", post(authz::authenticate))
        .route("/authorize", post(authz::authorize_route))
        .route("/submissions", get(handlers::list).post(handlers::create))
        .route(
            "/submissions/batch",
            get(handlers::batch_get).post(handlers::batch_create),
        )
        .route(
            "/submissions/{token}",
            get(handlers::show).delete(handlers::delete),
        )
        .with_state(j)
}
