//! The routes of an API node and of a worker, and the layers every route is behind (token, JSON
//! errors, CORS, Host check, request log, body deadline, body size). Its own file so a worker
//! (`scaleout/worker.rs`) builds its router without importing the module that starts the server.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use crate::server::api::{codeengine, grading, judge0, piston, session};
use crate::server::http::state::AppState;
use crate::server::http::{
    api_error, auth, body_deadline, host_check, metrics_route, request_log, static_files,
};

/// `/grade` takes this many times `--max-body` (its cases' inputs and answers come along).
const GRADE_BODY_FACTOR: usize = 16;

/// Every route, behind (innermost first) the token check, JSON errors, Judge0's CORS, the Host
/// and Origin check, the request log, the body deadline and the body size limit. Judge0's routes are all under `/judge0` (its clients'
/// base URL) and at `/` where they do not clash.
pub(in crate::server) fn router(state: Arc<AppState>, judge0: Arc<judge0::Judge0>) -> Router {
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
        .route("/metrics", get(metrics_route::metrics))
        .merge(judge0::routes(judge0.clone(), true))
        .nest("/judge0", judge0::routes(judge0, false));
    layered(routes, state)
}

/// A worker's routes: the interactive sessions API nodes hand it, and its health.
pub(in crate::server) fn worker_router(state: Arc<AppState>) -> Router {
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
