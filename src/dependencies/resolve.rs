//! Which manifest a run installs: from the command line (`--deps`, `--deps-set`, `--no-deps`), a
//! named set a server enabled, or a manifest found next to the program. Manifests are read here,
//! once, with the same limits wherever they come from.
//!
//! Looking next to the program is off unless the front end turns it on ([`DepsChoice::discover`]):
//! `run` does (the user runs their own program), `test` and `verify` only with `--deps`, because
//! what they grade is untrusted and installing a manifest runs its installer with the network on.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::schema::{DependencySpec, MAX_MANIFEST};
use crate::profile::Profile;

/// The dependencies one run asked for: a manifest (from a file or a named set) to install.
#[derive(Debug, Clone)]
pub struct Dependencies {
    /// The manifest's file name in the build (`requirements.txt`).
    pub manifest: String,
    pub content: Vec<u8>,
    /// For messages: the file's path, or `set python:data`.
    pub origin: String,
    /// Set name when this came from a profile's `sets`.
    pub set: Option<String>,
    /// A CA certificate (PEM) the build trusts in addition to the system's; never in the run image.
    pub ca_cert: Option<Vec<u8>>,
    /// Say on stderr when a new image is about to be built (the CLI; a server logs otherwise).
    pub announce: bool,
}

/// What the user said about dependencies on the command line.
#[derive(Debug, Default, Clone)]
pub struct DepsChoice {
    /// `--deps FILE`.
    pub file: Option<PathBuf>,
    /// `--deps-set NAME`.
    pub set: Option<String>,
    /// `--no-deps`.
    pub off: bool,
    /// Install a manifest found next to the program. Off by default, so that nothing that plans a
    /// run without saying so (grading, judge programs) installs an untrusted manifest.
    pub discover: bool,
    /// `--ca-cert FILE` (else `SSL_CERT_FILE` when set).
    pub ca_cert: Option<PathBuf>,
}

/// Decide a run's dependencies: `--no-deps` wins; then `--deps FILE`, `--deps-set NAME`; else,
/// when discovery is on, a manifest the profile knows found in `dir` (the program's directory).
pub fn resolve(profile: &Profile, choice: &DepsChoice, dir: &Path) -> Result<Option<Dependencies>> {
    if choice.off {
        return Ok(None);
    }
    let mut deps = if let Some(set) = &choice.set {
        Some(from_set(profile, set)?)
    } else if let Some(file) = &choice.file {
        Some(from_file(profile, file)?)
    } else {
        match profile.dependencies.as_ref() {
            Some(spec) if choice.discover => find_manifest(spec, dir)?,
            _ => None,
        }
    };
    if let Some(deps) = deps.as_mut() {
        deps.ca_cert = build_ca(choice.ca_cert.as_deref())?;
    }
    Ok(deps)
}

/// `--deps FILE`: the file must be a manifest the profile knows, by name.
fn from_file(profile: &Profile, file: &Path) -> Result<Dependencies> {
    let spec = profile.dependencies.as_ref().with_context(|| {
        format!(
            "--deps {}: the {} profile declares no way to install dependencies",
            file.display(),
            profile.name
        )
    })?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    if !spec.manifests.contains(&name) {
        bail!(
            "--deps {}: {} knows these manifests: {}",
            file.display(),
            profile.name,
            spec.manifests.join(", ")
        );
    }
    read_manifest(file, &name)
}

/// The first manifest the profile knows that is a regular file in `dir` (links are not followed).
fn find_manifest(spec: &DependencySpec, dir: &Path) -> Result<Option<Dependencies>> {
    for name in &spec.manifests {
        let path = if dir == Path::new(".") {
            PathBuf::from(name)
        } else {
            dir.join(name)
        };
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if regular {
            return read_manifest(&path, name).map(Some);
        }
    }
    Ok(None)
}

/// The extra CA certificate for dependency builds: the given file, else `SSL_CERT_FILE` when set.
pub fn build_ca(explicit: Option<&Path>) -> Result<Option<Vec<u8>>> {
    let ca = explicit.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("SSL_CERT_FILE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let Some(ca) = ca else {
        return Ok(None);
    };
    let pem = std::fs::read(&ca)
        .with_context(|| format!("cannot read CA certificate {}", ca.display()))?;
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        bail!(
            "{} is not a PEM certificate (no BEGIN CERTIFICATE line)",
            ca.display()
        );
    }
    Ok(Some(pem))
}

/// A named set declared by the profile.
pub fn from_set(profile: &Profile, set: &str) -> Result<Dependencies> {
    let spec = profile.dependencies.as_ref().with_context(|| {
        format!(
            "dependency set {set:?}: the {} profile declares no dependencies",
            profile.name
        )
    })?;
    let content = spec.sets.get(set).with_context(|| {
        let known: Vec<&str> = spec.sets.keys().map(String::as_str).collect();
        format!(
            "unknown dependency set {}:{set}; the {} profile declares: {}",
            profile.name,
            profile.name,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )
    })?;
    // Validation guarantees one manifest name; a set is written to the first.
    let manifest = spec.manifests.first().context("no manifest file name")?;
    Ok(Dependencies {
        manifest: manifest.clone(),
        content: content.as_bytes().to_vec(),
        origin: format!("set {}:{set}", profile.name),
        set: Some(set.to_string()),
        ca_cert: None,
        announce: false,
    })
}

fn read_manifest(path: &Path, name: &str) -> Result<Dependencies> {
    use std::io::Read;
    let meta = std::fs::symlink_metadata(path)
        .with_context(|| format!("cannot read dependency manifest {}", path.display()))?;
    if !meta.is_file() {
        bail!(
            "dependency manifest {} is not a regular file (symbolic links are not followed)",
            path.display()
        );
    }
    let mut content = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_MANIFEST as u64 + 1).read_to_end(&mut content))
        .with_context(|| format!("cannot read dependency manifest {}", path.display()))?;
    if content.len() > MAX_MANIFEST {
        bail!(
            "dependency manifest {} is larger than the {MAX_MANIFEST} bytes codecage accepts",
            path.display()
        );
    }
    // pip reads options from the file: lines that would undo the profile's wheels-only, default
    // index install are refused before anything is built.
    if name == "requirements.txt" {
        super::requirements::check(&content).map_err(|refused| {
            anyhow::anyhow!("dependency manifest {}: {refused}", path.display())
        })?;
    }
    Ok(Dependencies {
        manifest: name.to_string(),
        content,
        origin: path.display().to_string(),
        set: None,
        ca_cert: None,
        announce: false,
    })
}
