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
//! `handlers` (the submission routes), `error`.

mod additional_files;
mod callback;
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
mod statuses;
mod store;
mod submission;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::routing::get;
use axum::Router;
use tokio_util::sync::CancellationToken;

use super::AppState;
use languages::Languages;
use limits::Judge0Limits;
use queue::Queue;
use store::{Store, StoreError};
use submission::Record;

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

/// Everything the Judge0 routes and workers share.
pub struct Judge0 {
    app: Arc<AppState>,
    settings: Judge0Settings,
    languages: Languages,
    /// The server's own limits in Judge0's terms (`/config_info`).
    limits: Judge0Limits,
    store: Arc<Store>,
    queue: Queue,
    next_seq: AtomicU64,
    /// Fired at SIGTERM: workers take nothing new, waiting requests answer.
    stop: CancellationToken,
}

impl Judge0 {
    /// Open the store, queue what a previous run left unjudged, start the workers and the sweep.
    /// Also returns how many submissions were queued again.
    pub fn start(app: Arc<AppState>, stop: CancellationToken) -> Result<(Arc<Judge0>, usize)> {
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
            store: Arc::new(store),
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

    /// Wait until no submission is being judged (after SIGTERM; the caller bounds the wait).
    pub async fn drain(&self) {
        while self.queue.working() > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn next_seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Ordering::SeqCst)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| StoreError::new(e.to_string()))?
    }

    async fn get(&self, token: &str) -> Result<Option<Record>, StoreError> {
        let token = token.to_string();
        self.blocking(move |s| s.get(&token)).await
    }

    async fn put(&self, records: Vec<Record>) -> Result<(), StoreError> {
        self.blocking(move |s| s.put(&records.iter().collect::<Vec<_>>()))
            .await
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
