//! Everything the handlers share, behind one `Arc`: the engine, the profiles, the settings, the
//! admission gate, pending and live sessions, the metrics and the warm pool. One place to see
//! what a request can reach.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::server::api::pending::Pending;
use crate::server::api::pool::Pool;
use crate::server::http::admission::Admission;
use crate::server::http::metrics::Metrics;
use crate::server::http::settings::Settings;
use codecage::profile::Profiles;

pub struct AppState {
    pub(in crate::server) docker: Docker,
    pub(in crate::server) profiles: Profiles,
    pub(in crate::server) settings: Settings,
    pub(in crate::server) admission: Admission,
    /// Sessions created and waiting for their WebSocket, by id.
    pub(in crate::server) sessions: Mutex<HashMap<String, Pending>>,
    /// Live sessions per owner (`auth::Identity::key`).
    pub(in crate::server) session_owners: Mutex<HashMap<String, usize>>,
    /// Fired when the grace period after SIGTERM is over: running sandboxes are killed.
    pub(in crate::server) shutdown: CancellationToken,
    pub(in crate::server) metrics: Metrics,
    pub(in crate::server) pool: Arc<Pool>,
    /// Scale-out: batch runs go to workers through this broker instead of running here.
    pub(in crate::server) broker: Option<Arc<dyn crate::server::scaleout::broker::Broker>>,
    /// A worker's node id: its session ids start with it (`NODE.uuid`), so a load balancer can
    /// send a session's WebSocket to the worker that holds it.
    pub(in crate::server) node: Option<String>,
}

impl AppState {
    pub(in crate::server) fn new(
        docker: Docker,
        profiles: Profiles,
        settings: Settings,
    ) -> AppState {
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
