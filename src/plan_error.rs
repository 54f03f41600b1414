//! The planning mistakes a front end answers by type rather than by message: the user named a
//! file that is not there or a language codecage does not know. The CLI reports them as any other
//! mistake of the user's (one line, exit status 125); an API can answer them as the client's
//! fault (4xx) instead of its own (500). Every other planning error stays an `anyhow` one.

/// A run that cannot be planned because of what was asked for.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A file or directory given to run does not exist.
    #[error("no such file or directory: {path}")]
    NoSuchFile { path: String },
    /// `--lang` (or an API's language) names no profile.
    #[error("unknown language {name:?}; known languages: {known} (see `codecage languages`)")]
    UnknownLanguage { name: String, known: String },
    /// `--lang` (or a package) names a language codecage knows of and cannot run, and why
    /// (Python 2: see `profile::unsupported`).
    #[error("unsupported language {name:?}: {why}")]
    UnsupportedLanguage { name: String, why: String },
    /// The language cannot run under the chosen OCI runtime (its profile's `needs_host_kernel`).
    #[error("{language} cannot run under the runtime {runtime}: {why}; run it with the engine's default runtime (runc)")]
    RuntimeLacks {
        language: String,
        runtime: String,
        why: String,
    },
    /// No `--lang`, and no profile claims the entry file's extension.
    #[error(
        "cannot tell the language of {main} from its extension; pass --lang NAME (known: {known})"
    )]
    UnknownExtension { main: String, known: String },
}
