//! The HTTP plumbing every API stands on: the listener, request bodies and their deadline, the
//! token, the Host check, admission (run slots and the queue), metrics, the server's settings and
//! state, the one JSON error shape, the request log and the static page.

pub mod admission;
pub mod api_error;
pub mod auth;
pub mod body;
pub mod body_deadline;
pub mod host_check;
pub mod listener;
pub mod metrics;
pub mod metrics_route;
pub mod request_log;
pub mod settings;
pub mod state;
pub mod static_files;
