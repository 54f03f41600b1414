//! The package's boundary: no symbolic link may lead out of it, and no path a package names
//! (a data file, a program's source) either.

use std::path::{Component, Path, PathBuf};

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

/// `name` below `dir`, refusing absolute names and `..` (a hostile archive entry, `in:` or path
/// pattern); `file` is the file that names it, for the error.
pub(crate) fn inside(dir: &Path, name: &str, file: &str) -> Result<PathBuf, PackageError> {
    let path = Path::new(name);
    let bad = name.is_empty()
        || name.contains('\\')
        || path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if bad {
        return Err(PackageError::invalid(
            file,
            format!("{name:?} is not a relative path inside the problem"),
        ));
    }
    Ok(dir.join(path))
}
