//! The user's configuration file: default limits for `run` and `test`, profile directories and
//! grading defaults. Precedence, highest first: flag > environment variable > this file >
//! language profile > built-in default.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::limits::{LimitOverrides, Limits};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Extra profile directories (after the default one, before CODECAGE_PROFILES and --profiles).
    #[serde(default)]
    pub profiles: Vec<PathBuf>,
    #[serde(default)]
    pub run: RunSection,
    #[serde(default)]
    pub test: TestSection,
    #[serde(default)]
    pub serve: ServeSection,
    #[serde(default)]
    pub compile: CompileSection,
    /// The OCI runtime of every sandbox (e.g. `runsc` for gVisor), over the profiles' own
    /// (`--runtime` and CODECAGE_RUNTIME win).
    pub runtime: Option<String>,
    #[serde(default)]
    pub report: ReportSection,
}

/// The reports `test` and `verify` write unless their flags name others: each a file, relative
/// to the working directory as a flag's is.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Default for `--html`.
    pub html: Option<PathBuf>,
    /// Default for `--markdown`.
    pub markdown: Option<PathBuf>,
    /// Default for `--junit`.
    pub junit: Option<PathBuf>,
    /// `true`: as `--github` (GitHub Actions' job summary and annotations) on every run.
    pub github: Option<bool>,
}

/// The compile step: its cache and its CPU (`run`, `test`, `verify` and `serve`, where `cpus` is
/// the cap on every compile, one core if unset).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompileSection {
    /// `false` turns the compile cache off (as `--no-cache` does per run).
    pub cache: Option<bool>,
    /// Where the cache lives: an absolute path or one starting with `~/` [default:
    /// `$XDG_CACHE_HOME/codecage/compile`].
    pub cache_dir: Option<PathBuf>,
    /// Most bytes the cache holds; least recently used entries go first [default: 512MiB].
    pub cache_size: Option<String>,
    /// CPU quota of a compile sandbox in cores [default: the profile's, else every core; a
    /// server's cap: one core], never above the engine's CPU count.
    pub cpus: Option<f64>,
}

/// `codecage serve` settings (the flags of the same names win).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeSection {
    pub listen: Option<std::net::SocketAddr>,
    pub token: Option<String>,
    pub max_concurrent: Option<usize>,
    pub queue: Option<usize>,
    pub max_body: Option<String>,
    pub max_time: Option<String>,
    pub max_cpu_time: Option<String>,
    pub max_memory: Option<String>,
    pub max_output: Option<String>,
    pub session_time: Option<String>,
    pub session_idle: Option<String>,
    pub session_connect: Option<String>,
    pub grace: Option<String>,
    pub pool: Option<usize>,
    pub pool_idle: Option<String>,
    pub sessions_per_token: Option<usize>,
    /// Judge0's authorization token (`X-Auth-User`): listing and deleting submissions.
    pub judge0_admin_token: Option<String>,
    /// Origins browsers may call the Judge0 API from (CORS); `*` any, `none` no CORS.
    pub judge0_allow_origin: Option<Vec<String>>,
    /// Dependency sets clients may use, as LANG:SET.
    #[serde(default)]
    pub deps_sets: Vec<String>,
    /// Names requests may address the server by, besides IP addresses and `localhost`.
    pub allow_hosts: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    #[serde(default)]
    pub limits: LimitOverrides,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSection {
    #[serde(default)]
    pub limits: LimitOverrides,
    /// Default for `-j`.
    pub jobs: Option<usize>,
    /// Default for `--compare`.
    pub compare: Option<String>,
}

/// The default location: `$XDG_CONFIG_HOME/codecage/config.yaml` (or `~/.config/...`).
pub fn default_path() -> Option<PathBuf> {
    crate::dirs::config_dir().map(|d| d.join("codecage").join("config.yaml"))
}

/// Load the file named by `--config`/CODECAGE_CONFIG (which must exist), else the default one
/// if it exists, else defaults.
pub fn load(explicit: Option<&Path>) -> Result<Config> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match default_path().filter(|p| p.is_file()) {
            Some(p) => p,
            None => return Ok(Config::default()),
        },
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    let config: Config = crate::yaml::parse(&text, "config file", &path.display().to_string())?;
    for (what, limits) in [
        ("run.limits", &config.run.limits),
        ("test.limits", &config.test.limits),
    ] {
        Limits::run_defaults()
            .apply(limits)
            .with_context(|| format!("invalid config file {}: {what}", path.display()))?;
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.yaml");
        std::fs::write(
            &good,
            "profiles: [/opt/p]\nrun:\n  limits: {time: 5s}\ntest:\n  jobs: 3\n  compare: tokens\nreport: {html: r.html, github: true}\n",
        )
        .unwrap();
        let c = load(Some(&good)).unwrap();
        assert_eq!(c.report.html.as_deref(), Some(Path::new("r.html")));
        assert_eq!((c.report.markdown, c.report.github), (None, Some(true)));
        assert_eq!(c.run.limits.time.as_deref(), Some("5s"));
        assert_eq!(c.test.jobs, Some(3));
        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, "run:\n  limit: {time: 5s}\n").unwrap();
        let err = load(Some(&bad)).unwrap_err().to_string();
        assert!(err.contains("bad.yaml:2:"), "{err}");
        let worse = dir.path().join("worse.yaml");
        std::fs::write(&worse, "run:\n  limits: {memory: lots}\n").unwrap();
        assert!(load(Some(&worse)).is_err());
        assert!(load(Some(&dir.path().join("missing.yaml"))).is_err());
    }
}
