//! How the compile step runs (its cache, CPU and command), as a front end decides it from its flags
//! and the config file. Between the config file (plain data, below) and the plan (above): the
//! config file knows nothing of the cache or the plan, and the plan takes a `CompileChoice`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::compile_cache::CacheSettings;
use crate::config::CompileSection;

/// How the compile step runs, as the front end decided from its flags and the config file.
#[derive(Debug, Clone, Default)]
pub struct CompileChoice {
    /// The compile cache to use (`None`: no cache, `--no-cache`).
    pub cache: Option<CacheSettings>,
    /// The compile sandbox's CPU quota in cores [default: the profile's, else every core of
    /// this machine].
    pub cpus: Option<f64>,
    /// Use the profile's `typecheck` command instead of `compile` (`--typecheck`).
    pub typecheck: bool,
    /// Use the profile's `run_compile` command when it has one (`codecage run`: compile time
    /// matters more than the program's speed).
    pub quick: bool,
}

// Here rather than in config.rs, so the config file stays plain data that imports neither the
// cache nor the plan; the call sites keep reading `config.compile.choice(..)`.
impl CompileSection {
    /// How to compile, with the command line's `--no-cache` and `--typecheck`.
    pub fn choice(&self, no_cache: bool, typecheck: bool) -> Result<CompileChoice> {
        let size = self
            .cache_size
            .as_deref()
            .map(crate::units::parse_size)
            .transpose()
            .context("config file: compile.cache_size")?;
        if let Some(cpus) = self.cpus {
            anyhow::ensure!(
                cpus.is_finite() && cpus > 0.0,
                "config file: compile.cpus must be a number of cores above 0"
            );
        }
        let off = no_cache || self.cache == Some(false);
        Ok(CompileChoice {
            cache: if off {
                None
            } else {
                let dir = self.cache_dir.as_deref().map(expand_home).transpose()?;
                CacheSettings::resolve(dir.as_deref(), size)
            },
            cpus: self.cpus,
            typecheck,
            // `codecage run` (and a session) sets it: `test`, `verify` and grading never do.
            quick: false,
        })
    }
}

/// A directory from the config file: `~/` is the home directory; anything else must be
/// absolute (relative to which directory? codecage runs from anywhere).
fn expand_home(dir: &Path) -> Result<PathBuf> {
    if let Ok(rest) = dir.strip_prefix("~") {
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .context("config file: compile.cache_dir starts with ~ but HOME is not set")?;
        return Ok(PathBuf::from(home).join(rest));
    }
    anyhow::ensure!(
        dir.is_absolute(),
        "config file: compile.cache_dir {} must be an absolute path or start with ~/",
        dir.display()
    );
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_dir_expands_home_and_refuses_relative_paths() {
        let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
        if home.as_os_str().is_empty() {
            return;
        }
        assert_eq!(
            expand_home(Path::new("~/.cache/codecage/compile")).unwrap(),
            home.join(".cache/codecage/compile")
        );
        assert_eq!(expand_home(Path::new("~")).unwrap(), home);
        assert_eq!(
            expand_home(Path::new("/var/cache/cc")).unwrap(),
            Path::new("/var/cache/cc")
        );
        for bad in ["cache", "./cache", "~user/cache"] {
            let err = expand_home(Path::new(bad)).unwrap_err().to_string();
            assert!(err.contains("must be an absolute path"), "{bad}: {err}");
        }
    }
}
