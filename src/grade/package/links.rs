//! The package's boundary: no symbolic link may lead out of it.

use std::path::Path;

use super::package_error::{relative, PackageError};

/// Refuse a package with a symbolic link that leads out of it (or to nothing), before any of its
/// files is read: test data, problem.yaml, validators and submissions are read through their
/// paths, and a link to `/etc/...` or `/proc/self/environ` would hand a host file to the
/// submission, a validator, a diff or a report. Links that stay inside are package data either way.
pub(crate) fn links_stay_inside(dir: &Path) -> Result<(), PackageError> {
    match crate::workspace::link_leaving(dir) {
        Ok(None) => Ok(()),
        Ok(Some(leaving)) => Err(PackageError::invalid(
            relative(dir, &dir.join(&leaving.link)),
            format!(
                "a symbolic link to {}, outside the package; codecage does not follow links out of a package",
                crate::escape::line(&leaving.target.to_string_lossy())
            ),
        )),
        Err(e) => Err(PackageError::invalid(".", format!("{e:#}"))),
    }
}
