//! Third-party dependencies ("my script imports numpy"): a profile says which manifest files it
//! knows and how to install them; a run that has one gets a derived image `FROM` the language image
//! with the packages in it. The network is used only while that image builds (bridge, never host);
//! the program still runs with none. Installing happens in a throw-away build stage, so the
//! installer, its caches and any custom CA bundle never reach the image programs run in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::image::ImageSource;
use crate::profile::Profile;

/// Largest manifest codecage accepts: manifests name packages, they do not carry them.
pub const MAX_MANIFEST: usize = 256 * 1024;

/// Where a custom CA certificate lives in the build stage (and only there).
const BUILD_CA: &str = "/usr/local/share/codecage-build/ca.pem";
const BUILD_BUNDLE: &str = "/usr/local/share/codecage-build/bundle.pem";

/// A profile's `dependencies:` section.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DependencySpec {
    /// Manifest file names this language knows (`requirements.txt`), looked for next to the program.
    pub manifests: Vec<String>,
    /// Debian packages the installer needs (`python3-pip`, `npm`); installed in the build stage only.
    #[serde(default)]
    pub tools: Vec<String>,
    /// Shell command that installs the manifest's packages, run as root in `/deps` (where the
    /// manifest is) in the build stage.
    pub install: String,
    /// The directory the install fills (absolute, in the build stage).
    pub output: String,
    /// Where that directory goes in the run image (absolute; not under /work or /tmp, which are
    /// fresh tmpfs mounts in every sandbox).
    pub target: String,
    /// Environment for programs in the run image, e.g. `PYTHONPATH: /opt/deps`.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Named dependency sets declared ahead of time: name -> manifest content (written to the first
    /// manifest file name). `codecage run --deps-set NAME`; `codecage serve --deps-set LANG:NAME`.
    #[serde(default)]
    pub sets: BTreeMap<String, String>,
}

impl DependencySpec {
    /// Checked when the profile loads, so a bad profile fails before anything is built.
    pub fn validate(&self) -> Result<()> {
        if self.manifests.is_empty() {
            bail!("dependencies.manifests: name at least one manifest file, e.g. requirements.txt");
        }
        for m in &self.manifests {
            if !plain_file_name(m) {
                bail!("dependencies.manifests: {m:?} must be a plain file name");
            }
        }
        for t in &self.tools {
            if t.is_empty()
                || !t
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
            {
                bail!("dependencies.tools: {t:?} is not a Debian package name");
            }
        }
        if self.install.trim().is_empty() {
            bail!("dependencies.install: the install command must not be empty");
        }
        for (what, path) in [("output", &self.output), ("target", &self.target)] {
            if !path.starts_with('/')
                || path.contains("..")
                || path.contains('\n')
                || path.contains(char::is_whitespace)
                || path == "/"
            {
                bail!("dependencies.{what}: {path:?} must be an absolute directory path");
            }
        }
        if !self.output.starts_with("/deps/") {
            bail!(
                "dependencies.output: {:?} must be under /deps/ (the installer's own directory)",
                self.output
            );
        }
        for hidden in ["/work", "/tmp", "/proc", "/sys", "/dev"] {
            if self.target == hidden || self.target.starts_with(&format!("{hidden}/")) {
                bail!(
                    "dependencies.target: {:?} is hidden at run time ({hidden} is mounted over); use e.g. /opt/deps",
                    self.target
                );
            }
        }
        for (key, value) in &self.env {
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                bail!("dependencies.env: {key:?} must be an upper-case variable name");
            }
            if value.contains(['\n', '\r']) {
                bail!("dependencies.env: the value of {key} must be one line");
            }
        }
        for (name, content) in &self.sets {
            if !set_name_ok(name) {
                bail!("dependencies.sets: {name:?} must be lower-case letters, digits, '-' or '_'");
            }
            if content.len() > MAX_MANIFEST {
                bail!("dependencies.sets.{name}: larger than {MAX_MANIFEST} bytes");
            }
        }
        Ok(())
    }
}

fn plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0', '\n'])
        && name.len() <= 255
}

pub fn set_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_".contains(c))
}

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
    /// `--ca-cert FILE` (else `SSL_CERT_FILE` when set).
    pub ca_cert: Option<PathBuf>,
}

/// Decide a run's dependencies: `--no-deps` wins; then `--deps FILE`, `--deps-set NAME`; else a
/// manifest the profile knows found in `dir` (the program's directory).
pub fn resolve(profile: &Profile, choice: &DepsChoice, dir: &Path) -> Result<Option<Dependencies>> {
    if choice.off {
        return Ok(None);
    }
    let spec = profile.dependencies.as_ref();
    let mut deps = if let Some(set) = &choice.set {
        Some(from_set(profile, set)?)
    } else if let Some(file) = &choice.file {
        let spec = spec.with_context(|| {
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
        Some(read_manifest(file, &name)?)
    } else {
        match spec {
            None => None,
            Some(spec) => {
                let mut found = None;
                for name in &spec.manifests {
                    let path = if dir == Path::new(".") {
                        PathBuf::from(name)
                    } else {
                        dir.join(name)
                    };
                    let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
                    if regular {
                        found = Some(read_manifest(&path, name)?);
                        break;
                    }
                }
                found
            }
        }
    };
    if let Some(deps) = deps.as_mut() {
        deps.ca_cert = build_ca(choice.ca_cert.as_deref())?;
    }
    Ok(deps)
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
    Ok(Dependencies {
        manifest: spec.manifests[0].clone(),
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
    Ok(Dependencies {
        manifest: name.to_string(),
        content,
        origin: path.display().to_string(),
        set: None,
        ca_cert: None,
        announce: false,
    })
}

/// The build context of the derived image. Its tag hashes the language image's id, the profile's
/// install recipe and the manifest: the same manifest reuses the image, a changed one builds anew.
/// The CA certificate is not part of the hash: it changes how packages are fetched, not which.
pub fn image_source(
    profile: &Profile,
    deps: &Dependencies,
    base_tag: &str,
    base_id: &str,
) -> Result<ImageSource> {
    let spec = profile
        .dependencies
        .as_ref()
        .with_context(|| format!("the {} profile declares no dependencies", profile.name))?;
    let mut h = Sha256::new();
    for part in [
        base_id.as_bytes(),
        serde_json::to_string(&recipe(spec))?.as_bytes(),
        deps.manifest.as_bytes(),
        &deps.content,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    let hash = format!("{:x}", h.finalize());
    let mut files = vec![
        (
            "Dockerfile".to_string(),
            dockerfile(
                spec,
                &deps.manifest,
                base_tag,
                deps.ca_cert.is_some(),
                &hash,
            )
            .into_bytes(),
        ),
        (deps.manifest.clone(), deps.content.clone()),
    ];
    if let Some(ca) = &deps.ca_cert {
        files.push(("codecage-build-ca.pem".to_string(), ca.clone()));
    }
    let labels = vec![
        (LABEL_DEPS.to_string(), "1".to_string()),
        (LABEL_BASE.to_string(), base_tag.to_string()),
        (LABEL_LANGUAGE.to_string(), profile.name.clone()),
        (LABEL_MANIFEST.to_string(), deps.origin.clone()),
    ];
    let stage = Some((LABEL_BUILD_STAGE.to_string(), hash.clone()));
    Ok(ImageSource::derived(
        &format!("deps-{}", profile.image),
        files,
        hash,
        labels,
        stage,
    ))
}

/// Installing a run's dependencies failed: the installer's own output and its key line.
/// Front ends show the output; the CLI exits with `exit_code::DEPENDENCY_ERROR`.
#[derive(Debug)]
pub struct DependencyError {
    pub origin: String,
    pub summary: String,
    /// The installer's output (the lines after the install step began).
    pub output: Vec<String>,
}

impl std::fmt::Display for DependencyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "installing dependencies from {} failed: {}",
            self.origin, self.summary
        )
    }
}

impl std::error::Error for DependencyError {}

/// The image a plan runs in: the language image, and on top of it the plan's dependencies (built
/// once per base image and manifest, then reused).
pub async fn image_for(
    docker: &bollard::Docker,
    profile: &Profile,
    deps: Option<&Dependencies>,
    verbose: bool,
) -> Result<String> {
    let tag = crate::image::ensure(docker, profile.image_source(), verbose).await?;
    let Some(deps) = deps else {
        return Ok(tag);
    };
    let base_id = docker
        .inspect_image(&tag)
        .await
        .with_context(|| format!("cannot inspect image {tag}"))?
        .id
        .unwrap_or_default();
    let source = image_source(profile, deps, &tag, &base_id)?;
    if verbose {
        eprintln!(
            "codecage: dependencies from {} -> image {}",
            deps.origin,
            source.tag()
        );
    }
    if deps.announce && !crate::image::is_built(docker, &source).await {
        // The first run with a manifest takes a while, and it is the one time the network is used.
        eprintln!(
            "codecage: installing dependencies from {} into a new image (network for this build only)",
            deps.origin
        );
    }
    match crate::image::ensure(docker, &source, verbose).await {
        Ok(derived) => {
            record_use(&derived);
            Ok(derived)
        }
        Err(e) => match e.downcast::<crate::image::BuildFailed>() {
            Ok(failed) if failed.transport => Err(anyhow::anyhow!("{}", failed.message)),
            Ok(failed) => {
                let (output, summary) = install_failure(&failed.log);
                let summary = if output.is_empty() {
                    failed.message
                } else {
                    summary
                };
                Err(DependencyError {
                    origin: deps.origin.clone(),
                    summary,
                    output,
                }
                .into())
            }
            Err(e) => Err(e),
        },
    }
}

/// Last use of each derived image, as file times under the user's cache directory: the engine does
/// not record when an image was last used, and `codecage images prune` needs to know.
fn use_dir() -> Option<PathBuf> {
    crate::config::cache_dir().map(|d| d.join("codecage").join("deps-used"))
}

fn use_file(tag: &str) -> Option<PathBuf> {
    use_dir().map(|d| d.join(tag.replace(['/', ':'], "_")))
}

fn record_use(tag: &str) {
    // Best effort: a read-only home only makes `prune` judge by the image's age.
    if let Some(file) = use_file(tag) {
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(&file, b"");
    }
}

/// When a derived image was last used (unix seconds), if codecage recorded it.
pub fn last_use(tag: &str) -> Option<u64> {
    let modified = std::fs::metadata(use_file(tag)?).ok()?.modified().ok()?;
    modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

pub fn forget_use(tag: &str) {
    if let Some(file) = use_file(tag) {
        let _ = std::fs::remove_file(file);
    }
}

/// Labels on derived images (`codecage images list|prune` find them by these).
pub const LABEL_DEPS: &str = "codecage.deps";
pub const LABEL_BASE: &str = "codecage.deps.base";
pub const LABEL_LANGUAGE: &str = "codecage.deps.language";
pub const LABEL_MANIFEST: &str = "codecage.deps.manifest";

/// The parts of the spec that change what gets installed (not `sets`, not the manifest names).
fn recipe(spec: &DependencySpec) -> DependencySpec {
    DependencySpec {
        manifests: Vec::new(),
        sets: BTreeMap::new(),
        ..spec.clone()
    }
}

/// Two stages: `build` installs the tools as root, then runs the installer as the unprivileged
/// runner user (installers run code from the manifest: setup.py, npm scripts, build.rs) into
/// `output`; the run image is the language image plus a root-owned copy of `output`, nothing else.
/// Build-stage images carry a label so `codecage images prune` can find what the builder leaves.
pub fn dockerfile(
    spec: &DependencySpec,
    manifest: &str,
    base_tag: &str,
    ca: bool,
    stage: &str,
) -> String {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut tools = vec!["ca-certificates".to_string()];
    tools.extend(spec.tools.iter().cloned());
    let mut d = String::new();
    d += "# Generated by codecage: dependencies installed in a build stage, copied into the run image.\n";
    d += &format!("FROM {base_tag} AS build\nUSER root\n");
    d += &format!(
        "RUN [\"sh\", \"-c\", {}]\n",
        json(&format!(
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {} >/dev/null && rm -rf /var/lib/apt/lists/* && mkdir -p /deps && chown {uid}:{uid} /deps",
            tools.join(" "),
            uid = crate::sandbox::UID
        ))
    );
    // After the tools: that layer stays a shared cache; everything below is per manifest.
    d += &format!("LABEL {LABEL_BUILD_STAGE}={stage}\n");
    if ca {
        d += &format!("COPY codecage-build-ca.pem {BUILD_CA}\n");
        d += &format!(
            "RUN [\"sh\", \"-c\", {}]\n",
            json(&format!(
                "cat /etc/ssl/certs/ca-certificates.crt {BUILD_CA} > {BUILD_BUNDLE}"
            ))
        );
        // Each installer reads its own variable; all point at the system roots plus the custom CA.
        d += &format!(
            "ENV SSL_CERT_FILE={BUILD_BUNDLE} REQUESTS_CA_BUNDLE={BUILD_BUNDLE} PIP_CERT={BUILD_BUNDLE} NODE_EXTRA_CA_CERTS={BUILD_CA} NPM_CONFIG_CAFILE={BUILD_BUNDLE} CARGO_HTTP_CAINFO={BUILD_BUNDLE} GIT_SSL_CAINFO={BUILD_BUNDLE}\n"
        );
    }
    d += "WORKDIR /deps\n";
    d += &format!(
        "COPY --chown={uid}:{uid} [{}, {}]\n",
        json(manifest),
        json(&format!("/deps/{manifest}")),
        uid = crate::sandbox::UID
    );
    d += &format!("USER {uid}:{uid}\n", uid = crate::sandbox::UID);
    d += &format!(
        "RUN [\"sh\", \"-c\", {}]\n",
        json(&format!(
            "set -e; mkdir -p {out}; {install}",
            out = spec.output,
            install = spec.install.trim()
        ))
    );
    d += &format!("FROM {base_tag}\n");
    d += &format!(
        "COPY --from=build --chown=0:0 {} {}\n",
        spec.output, spec.target
    );
    for (key, value) in &spec.env {
        d += &format!("ENV {key}={}\n", json(value));
    }
    d
}

/// Label on the build stage's images (the builder leaves them behind untagged).
pub const LABEL_BUILD_STAGE: &str = "codecage.deps.stage";

/// The installer's output from a failed build: the lines after the install step began, and the
/// line that best says what went wrong (the last one mentioning an error).
pub fn install_failure(log: &str) -> (Vec<String>, String) {
    let lines: Vec<&str> = log.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.starts_with("Step ") && l.contains("mkdir -p"))
        .map_or(0, |i| i + 1);
    // The installer's own words, without the builder's chatter and without stack frames (a
    // Ruby backtrace would push the message itself out of view).
    let output: Vec<String> = lines[start..]
        .iter()
        .map(|l| strip_escapes(l))
        .filter(|l| {
            let t = l.trim_start();
            let chatter = l.starts_with(" ---> ")
                || l.starts_with("Removing intermediate container")
                || t.is_empty();
            let stack_frame = (t.starts_with('/') && t.contains(":in `"))
                || (t.starts_with("at ") && t.contains(".js:"));
            !chatter && !stack_frame
        })
        .collect();
    // The key line: the first one the installer marked as an error that says something (pip's
    // "ERROR: Could not find a version ...", npm's "404 Not Found - GET ..."), not an error code
    // alone or a pointer to a log file, with its indented continuation (RubyGems puts the
    // reason there).
    let informative = |l: &str| {
        let t = l.trim_start();
        let lower = t.to_ascii_lowercase();
        let rest = ["npm err!", "npm error", "error:", "error"]
            .iter()
            .find_map(|p| lower.strip_prefix(p))
            .map(str::trim);
        let Some(rest) = rest else { return false };
        let words: Vec<&str> = rest.split_whitespace().collect();
        !(words.is_empty()
            || words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()))
            || words[0] == "code"
            || lower.contains("complete log")
            || lower.contains("returned a non-zero code")
            || rest.ends_with(".log")
            || words.get(1) == Some(&"note"))
    };
    let summary = match output.iter().position(|l| informative(l)) {
        Some(i) => {
            let mut line = output[i].trim().to_string();
            if let Some(next) = output.get(i + 1) {
                let continuation = next.starts_with([' ', '\t'])
                    && !next.trim_start().to_ascii_lowercase().starts_with("npm");
                if continuation {
                    line = format!("{line} {}", next.trim());
                }
            }
            line
        }
        None => output
            .last()
            .map(|l| l.trim().to_string())
            .unwrap_or_else(|| "the installer failed".to_string()),
    };
    (output, summary)
}

/// The engine colours a build's stderr (`ESC[91m`); a message for a terminal or a log has no use
/// for that, and no program output should reach the user's terminal as control sequences anyway.
fn strip_escapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else if !c.is_control() || c == '\t' {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> DependencySpec {
        DependencySpec {
            manifests: vec!["requirements.txt".into()],
            tools: vec!["python3-pip".into()],
            install: "pip install --target /deps/out -r requirements.txt".into(),
            output: "/deps/out".into(),
            target: "/opt/deps".into(),
            env: BTreeMap::from([("PYTHONPATH".into(), "/opt/deps".into())]),
            sets: BTreeMap::from([("data".into(), "numpy\n".into())]),
        }
    }

    #[test]
    fn the_ca_stays_in_the_build_stage() {
        let d = dockerfile(
            &spec(),
            "requirements.txt",
            "codecage/python:abc",
            true,
            "h",
        );
        let (build, run) = d.split_once("\nFROM codecage/python:abc\n").unwrap();
        assert!(build.contains("codecage-build-ca.pem") && build.contains("PIP_CERT"));
        assert!(!run.contains("ca.pem") && !run.contains("CERT"), "{run}");
        assert_eq!(
            run,
            "COPY --from=build --chown=0:0 /deps/out /opt/deps\nENV PYTHONPATH=\"/opt/deps\"\n"
        );
        let plain = dockerfile(
            &spec(),
            "requirements.txt",
            "codecage/python:abc",
            false,
            "h",
        );
        assert!(!plain.contains("ca.pem"));
    }

    #[test]
    fn bad_specs_are_refused() {
        assert!(spec().validate().is_ok());
        let bad = |f: fn(&mut DependencySpec)| {
            let mut s = spec();
            f(&mut s);
            s.validate().is_err()
        };
        assert!(bad(|s| s.manifests.clear()));
        assert!(bad(|s| s.manifests = vec!["../x".into()]));
        assert!(bad(|s| s.tools = vec!["pip; rm -rf /".into()]));
        assert!(bad(|s| s.target = "/work/deps".into()));
        assert!(bad(|s| s.target = "/tmp".into()));
        assert!(bad(|s| s.output = "relative".into()));
        assert!(bad(|s| s.env = BTreeMap::from([("x".into(), "1".into())])));
        assert!(bad(
            |s| s.env = BTreeMap::from([("X".into(), "a\nRUN x".into())])
        ));
        assert!(bad(
            |s| s.sets = BTreeMap::from([("Bad Name".into(), String::new())])
        ));
    }

    #[test]
    fn the_installers_own_error_is_the_summary() {
        let log = "Step 6/9 : RUN [\"sh\", \"-c\", \"set -e; mkdir -p /deps/out; pip install\"]\n ---> Running in 12\nCollecting x\n\x1b[91mERROR: Could not find a version that satisfies the requirement nonexistent\n\x1b[0m\nRemoving intermediate container 12\n\x1b[91mERROR: No matching distribution found for nonexistent\nThe command 'sh -c ...' returned a non-zero code: 1\n";
        let (out, summary) = install_failure(log);
        assert_eq!(
            summary,
            "ERROR: Could not find a version that satisfies the requirement nonexistent"
        );
        assert_eq!(out[0], "Collecting x");
        assert!(
            out.iter()
                .all(|l| !l.contains('\x1b') && !l.starts_with("Removing")),
            "{out:?}"
        );
    }
}
