//! A session `POST /session` created and no WebSocket has connected to yet: its plan, its age
//! (unconnected sessions are reaped), its TTY and its owner. Its own file because the server's
//! state holds these and `session.rs` reads that state.

use std::time::Instant;

use codecage::plan::RunPlan;

/// A created, not yet connected session.
pub struct Pending {
    pub(in crate::server) plan: RunPlan,
    pub(in crate::server) created: Instant,
    /// Run on a TTY of this size (cols, rows).
    pub(in crate::server) tty: Option<(u16, u16)>,
    /// Who created it (`auth::Identity::key`), for the per-client cap.
    pub(in crate::server) owner: String,
}
