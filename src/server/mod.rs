//! `codecage serve`: the same runner over HTTP (batch runs) and WebSocket (interactive sessions),
//! with a page for people. Every run goes through the shared sandbox module; clients choose a
//! language, files, stdin, arguments and lower limits, never Docker parameters.
//!
//! This file starts and stops the server and assembles the routes; each concern has its file:
//! `settings`, `state`, `admission` (runs at once, queue, 429), `metrics`, `api_error`,
//! `listener` (accept loop, signals), `body_deadline`, `request_log`, `auth`, `static_files`,
//! `body` (JSON bodies, files), the two batch APIs (`codeengine`, `piston`) over `execute`,
//! `session` (the interactive session protocol), `pool` (warm sandboxes) and `judge0` (the
//! Judge0 CE API, its queue and store).

mod api;
mod http;
mod scaleout;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use codecage::profile::Profiles;

#[cfg(test)]
pub use api::codeengine::decode_execute;
pub use api::judge0::Judge0Settings;
use api::{codeengine, grading, judge0, piston, session};
pub use http::settings::Settings;
use http::state::AppState;
use http::{
    api_error, auth, body_deadline, host_check, listener, metrics, request_log, static_files,
};
pub use scaleout::worker::{default_node_id, WorkerSettings};
use scaleout::{broker, worker};

/// `/grade` takes this many times `--max-body` (its cases' inputs and answers come along).
const GRADE_BODY_FACTOR: usize = 16;

/// How long killed sandboxes get, after the grace period, to report and be removed.
const CLEANUP_TIME: Duration = Duration::from_secs(10);

/// Serve until SIGTERM or SIGINT, then let runs in flight finish within the grace period.
pub async fn serve(docker: Docker, profiles: Profiles, settings: Settings) -> Result<u8> {
    if !settings.listen.ip().is_loopback() && settings.token.is_none() {
        bail!(
            "listening on {} (not loopback) needs an API token: pass --token or set CODECAGE_TOKEN",
            settings.listen
        );
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr()?;
    let broker = match &settings.broker {
        Some(url) => Some(broker::connect(url, settings.token.as_deref()).await?),
        None => None,
    };
    let mut state = AppState::new(docker, profiles, settings);
    state.broker = broker;
    let state = Arc::new(state);
    tokio::spawn(state.pool.clone().keep_fresh(state.docker.clone()));
    tokio::spawn(session::reap(state.clone()));
    let stop = CancellationToken::new();
    let (judge0, requeued) = judge0::Judge0::start(state.clone(), stop.clone())?;
    let app = router(state.clone(), judge0.clone());
    eprintln!("codecage: listening on http://{address}");
    // From here on stderr is a JSON log: progress (a first image build) goes there as JSON too.
    codecage::progress::json_lines();
    if requeued > 0 {
        eprintln!(
            "codecage: judge0: {requeued} submission(s) left queued by the last run, queued again"
        );
    }
    tokio::spawn(prepare_deps_sets(state.clone()));

    tokio::spawn(listener::stop_on_signal(stop.clone()));
    let server = tokio::spawn(listener::serve_http(listener, app, stop.clone()));
    stop.cancelled().await;
    // Let running executions (HTTP requests and Judge0 submissions being judged) finish within
    // the grace period, then kill whatever is left; queued submissions wait in the store.
    let grace = state.settings.grace;
    let finished = async {
        let _ = server.await;
        judge0.drain().await;
    };
    if tokio::time::timeout(grace, finished).await.is_err() {
        state.shutdown.cancel();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    state.shutdown.cancel();
    // Give killed sandboxes a moment to report and be removed.
    let deadline = Instant::now() + CLEANUP_TIME;
    while state.admission.running() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    state.pool.evict(&state.docker, true).await;
    eprintln!("codecage: stopped");
    Ok(codecage::exit_code::SUCCESS)
}

/// Every route, behind (innermost first) the token check, JSON errors, Judge0's CORS, the Host
/// and Origin check, the request log, the body deadline and the body size limit. Judge0's routes are all under `/judge0` (its clients'
/// base URL) and at `/` where they do not clash.
fn router(state: Arc<AppState>, judge0: Arc<judge0::Judge0>) -> Router {
    let routes = Router::new()
        .route("/", get(static_files::page))
        .route("/health", get(|| async { "OK" }))
        .route("/languages", get(codeengine::languages))
        .route("/execute", post(codeengine::execute))
        // A grading carries every case's input and answer: a larger body than a run.
        .route(
            "/grade",
            post(grading::grade).layer(DefaultBodyLimit::max(
                state.settings.max_body.saturating_mul(GRADE_BODY_FACTOR),
            )),
        )
        .route("/session", post(session::create))
        .route("/ws/session/{id}", get(session::connect))
        .route("/api/v2/runtimes", get(piston::runtimes))
        .route("/api/v2/execute", post(piston::execute))
        .route("/openapi.json", get(static_files::openapi))
        .route("/static/{file}", get(static_files::static_file))
        .route("/metrics", get(metrics::metrics))
        .merge(judge0::routes(judge0.clone(), true))
        .nest("/judge0", judge0::routes(judge0, false));
    layered(routes, state)
}

/// A worker's routes: the interactive sessions API nodes hand it, and its health.
fn worker_router(state: Arc<AppState>) -> Router {
    let routes = Router::new()
        .route("/health", get(|| async { "OK" }))
        .route("/session", post(session::create))
        .route("/ws/session/{id}", get(session::connect));
    layered(routes, state)
}

/// The layers every route is behind.
fn layered(routes: Router<Arc<AppState>>, state: Arc<AppState>) -> Router {
    let max_body = state.settings.max_body;
    routes
        .fallback(api_error::no_route)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn(api_error::json_errors))
        // Outside the token check: preflights carry no token, and a 401 needs CORS headers too.
        .layer(middleware::from_fn_with_state(state.clone(), judge0::cors))
        // Outside CORS: a page at a rebound name gets no preflight answer either.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            host_check::check_host,
        ))
        .layer(middleware::from_fn(request_log::log_request))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            body_deadline::body_deadline,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Build the enabled dependency sets' images at startup, so the first request does not wait for
/// an install (a failure is logged; requests for that set then report it).
async fn prepare_deps_sets(state: Arc<AppState>) {
    for (language, set) in &state.settings.deps_sets {
        let Some(profile) = state.profiles.by_name(language) else {
            continue;
        };
        let result = match codecage::dependencies::from_set(&profile, set) {
            Ok(mut deps) => {
                deps.ca_cert = state.settings.deps_ca.clone();
                codecage::dependencies::image_for(&state.docker, &profile, Some(&deps), false).await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(tag) => eprintln!("codecage: dependency set {language}:{set} ready ({tag})"),
            Err(e) => eprintln!("codecage: dependency set {language}:{set} failed: {e:#}"),
        }
    }
}

/// Run jobs from the broker at `broker_url` until SIGTERM or SIGINT (`codecage worker`); with
/// `sessions`, also take interactive sessions over HTTP there.
pub async fn work(
    docker: Docker,
    profiles: Profiles,
    settings: Settings,
    broker_url: &str,
    worker: WorkerSettings,
) -> Result<u8> {
    let broker = broker::connect(broker_url, settings.token.as_deref()).await?;
    worker::run(docker, profiles, settings, broker, worker).await
}
