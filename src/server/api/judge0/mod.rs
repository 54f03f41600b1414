//! The Judge0 CE 1.13.1 API on `codecage serve`, so Judge0's clients (sites, IDE plugins, the
//! official SDKs) work unmodified. Served under `/judge0/...` (the base URL clients are given)
//! and also at `/` wherever a path does not clash with the other APIs (`GET /languages` stays
//! CodeEngine's). Submissions go into a bounded queue whose workers share the admission gate and
//! the warm pool with every other API, and are kept in an embedded on-disk store.
//!
//! Files: `service` (the `Judge0` the routes and workers share, and where submissions are kept),
//! `workers` (starting the service, the workers, the sweep), `languages` (ids),
//! `language_routes`, `statuses`, `request` (checking a submission), `submission` (the stored
//! record), `fields` (responses), `judging` (run and map a result), `queue` (the queue itself),
//! `store` (redb), `callback`, `additional_files`, `options` (compiler options, arguments),
//! `limits`, `encoding` (base64), `info` (about, config, workers), `handlers` (the submission
//! routes), `authz` (Judge0's `X-Auth-User` for listing and deleting), `cors` (browsers),
//! `error`, `settings` (what the operator chose). This file only declares them, re-exports and
//! builds the routes: `service` is below every file that uses it, so no file imports back up.

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
mod language_routes;
mod languages;
mod limits;
mod options;
mod queue;
mod request;
mod service;
pub mod settings;
mod statuses;
mod store;
mod submission;
mod workers;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::server::http::state::AppState;

pub use cors::{cors, origin_allowed};
pub use service::Judge0;
pub use settings::Judge0Settings;
pub use workers::{give_up, judge_queued, start};

/// The Judge0 routes; `at_root` leaves out the paths other APIs own there (`GET /languages`).
pub fn routes(j: Arc<Judge0>, at_root: bool) -> Router<Arc<AppState>> {
    let mut router = Router::new();
    if !at_root {
        router = router.route("/languages", get(language_routes::list));
    }
    router
        .route("/languages/all", get(language_routes::all))
        .route("/languages/{id}", get(language_routes::one))
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
