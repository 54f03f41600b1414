//! Why a problem package could not be read. Every message is one line and starts with the file
//! or directory it is about, relative to the package (`problem.yaml: missing`), so a caller only
//! adds which package it was loading.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// A file or directory the format requires is not there.
    #[error("{file}: missing")]
    Missing { file: String },
    /// A file is there but says something wrong (YAML errors carry their line and column).
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    /// A YAML file that does not parse, or has a key of the wrong type: "invalid YAML in FILE:LINE:COLUMN: why".
    #[error("{0}")]
    Yaml(String),
    /// A valid package that asks for something codecage does not do.
    #[error("{file}: {what} is not supported")]
    Unsupported { file: String, what: String },
    /// The file system failed us.
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

impl PackageError {
    pub(crate) fn missing(file: impl Into<String>) -> PackageError {
        PackageError::Missing { file: file.into() }
    }

    pub(crate) fn invalid(file: impl Into<String>, message: impl Into<String>) -> PackageError {
        PackageError::Invalid {
            file: file.into(),
            message: message.into(),
        }
    }

    pub(crate) fn unsupported(file: impl Into<String>, what: impl Into<String>) -> PackageError {
        PackageError::Unsupported {
            file: file.into(),
            what: what.into(),
        }
    }

    /// An I/O error on `path`, named relative to the package directory `root`.
    pub(crate) fn io(root: &Path, path: &Path, source: std::io::Error) -> PackageError {
        PackageError::Io {
            file: relative(root, path),
            source,
        }
    }
}

/// `path` as the messages name it: relative to the package, with `/` separators.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}
