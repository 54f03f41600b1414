//! YAML parsing for profiles, suites and the config file, with errors that name the file, line and
//! column on one line.

use anyhow::Result;
use serde::de::DeserializeOwned;

/// Parse `text`; on error: "invalid {what} {origin}:{line}:{column}: {first line of the reason}".
pub fn parse<T: DeserializeOwned>(text: &str, what: &str, origin: &str) -> Result<T> {
    serde_saphyr::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        let message = e.to_string();
        let first = message.lines().next().unwrap_or("invalid YAML").trim();
        anyhow::anyhow!("invalid {what} {origin}{at}: {first}")
    })
}
