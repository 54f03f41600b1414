//! The error a run gets when its dependencies fail to install: a failure of the user's manifest,
//! not of codecage, so front ends show the installer's own output and the CLI exits with
//! `exit_code::DEPENDENCY_ERROR` rather than codecage's own error code.

/// Installing a run's dependencies failed: the installer's own output and its key line.
#[derive(Debug, thiserror::Error)]
#[error("installing dependencies from {origin} failed: {summary}")]
pub struct DependencyError {
    /// Where the manifest came from (its path, or `set LANG:NAME`).
    pub origin: String,
    /// The one line that best says what went wrong.
    pub summary: String,
    /// The installer's output (the lines after the install step began).
    pub output: Vec<String>,
}
