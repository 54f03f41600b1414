//! Everything the handlers share, behind one `Arc`: the engine, the profiles, the settings, the
//! admission gate, pending and live sessions, the metrics and the warm pool. One place to see
//! what a request can reach.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bollard::Docker;
use tokio_util::sync::CancellationToken;

use super::admission::Admission;
use super::metrics::Metrics;
use super::pool::Pool;
use super::session::Pending;
use super::settings::Settings;
use codecage::profile::Profiles;

pub struct AppState {
    pub(super) docker: Docker,
    pub(super) profiles: Profiles,
    pub(super) settings: Settings,
    pub(super) admission: Admission,
    /// Sessions created and waiting for their WebSocket, by id.
    pub(super) sessions: Mutex<HashMap<String, Pending>>,
    /// Live sessions per owner (`auth::Identity::key`).
    pub(super) session_owners: Mutex<HashMap<String, usize>>,
    /// Fired when the grace period after SIGTERM is over: running sandboxes are killed.
    pub(super) shutdown: CancellationToken,
    pub(super) metrics: Metrics,
    pub(super) pool: Arc<Pool>,
    /// Scale-out: batch runs go to workers through this broker instead of running here.
    pub(super) broker: Option<Arc<dyn super::broker::Broker>>,
    /// A worker's node id: its session ids start with it (`NODE.uuid`), so a load balancer can
    /// send a session's WebSocket to the worker that holds it.
    pub(super) node: Option<String>,
}

impl AppState {
    pub(super) fn new(docker: Docker, profiles: Profiles, settings: Settings) -> AppState {
        let admission = Admission::new(settings.run_slots(), settings.queue);
        AppState {
            docker,
            profiles,
            pool: Arc::new(Pool::new(
                settings.pool,
                settings.pool_idle,
                admission.slots(),
            )),
            admission,
            settings,
            sessions: Mutex::new(HashMap::new()),
            session_owners: Mutex::new(HashMap::new()),
            shutdown: CancellationToken::new(),
            metrics: Metrics::default(),
            broker: None,
            node: None,
        }
    }
}
