//! `codecage serve`: the same runner over HTTP (batch runs) and WebSocket (interactive sessions),
//! with a page for people. Every run goes through the shared sandbox module; clients choose a
//! language, files, stdin, arguments and lower limits, never Docker parameters.
//!
//! This file starts and stops the server (and `work`, a worker); `routes` assembles the routes.
//! The rest is split by what it is: `http/` (the plumbing every API stands on: listener, bodies
//! and their deadline, token, Host check, admission, metrics, settings, state, the JSON error
//! shape, the request log, the page), `api/` (the dialects: CodeEngine-style `/execute`, Piston,
//! Judge0, `/grade`, sessions, over one execution path `execute` and `run`, with the warm pool)
//! and `scaleout/` (the broker, `remote`: an API node's side of a run on a worker, and `worker`).
//! What the CLI and the server say to each other is the library's `codecage::wire`.

mod api;
pub mod command;
mod http;
mod routes;
mod scaleout;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use codecage::profile::Profiles;

#[cfg(test)]
pub use api::codeengine::decode_execute;
pub use api::judge0::Judge0Settings;
use api::{judge0, session};
use http::listener;
pub use http::settings::Settings;
use http::state::AppState;
pub use scaleout::worker::{default_node_id, WorkerSettings};
use scaleout::{broker, worker};

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
        Some(url) => Some(broker::connect::connect(url, settings.token.as_deref()).await?),
        None => None,
    };
    let mut state = AppState::new(docker, profiles, settings);
    state.broker = broker;
    let state = Arc::new(state);
    tokio::spawn(state.pool.clone().keep_fresh(state.docker.clone()));
    tokio::spawn(session::reap(state.clone()));
    let stop = CancellationToken::new();
    let (judge0, requeued) = judge0::start(state.clone(), stop.clone())?;
    let app = routes::router(state.clone(), judge0.clone());
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
    let broker = broker::connect::connect(broker_url, settings.token.as_deref()).await?;
    worker::run(docker, profiles, settings, broker, worker).await
}
