//! The broker a URL names, connected: the one place that knows every implementation of
//! [`Broker`] (Redis Streams for now), so the trait's module does not import them.

use std::sync::Arc;

use super::redis_streams::RedisBroker;
use super::{redact, Broker, BrokerError};

/// Connect to the broker a URL names (`redis://HOST:PORT[/DB]`, `rediss://` for TLS). `token`
/// is this node's API token: [`Broker::workers`] lists only session URLs proven with it.
pub async fn connect(url: &str, token: Option<&str>) -> Result<Arc<dyn Broker>, BrokerError> {
    if url.starts_with("redis://") || url.starts_with("rediss://") || url.starts_with("unix://") {
        Ok(Arc::new(RedisBroker::connect(url, token).await?))
    } else {
        Err(BrokerError::Unreachable {
            url: redact(url),
            message: "not a broker URL: use redis://HOST:PORT[/DB]".into(),
        })
    }
}
