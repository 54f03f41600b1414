//! Language images: their build contexts (embedded or from a user directory), their content-hash
//! tags, and building them on demand with progress on stderr.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;

use anyhow::{anyhow, Context, Result};
use bollard::query_parameters::BuildImageOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::progress;

/// The base image every built-in Dockerfile starts from.
pub const BASE_IMAGE: &str = "debian:trixie-slim";

/// A Docker build context: the files of `images/<name>/`.
#[derive(Debug, Clone)]
pub struct ImageSource {
    pub name: String,
    pub files: Vec<(String, Vec<u8>)>,
    /// SHA-256 of the context's names and contents: a changed Dockerfile gives a new tag.
    pub hash: String,
    /// Extra labels on the built image (derived dependency images carry what they were built from).
    pub labels: Vec<(String, String)>,
}

impl ImageSource {
    fn new(name: &str, mut files: Vec<(String, Vec<u8>)>) -> ImageSource {
        files.sort();
        let mut h = Sha256::new();
        for (file, data) in &files {
            h.update((file.len() as u64).to_le_bytes());
            h.update(file.as_bytes());
            h.update((data.len() as u64).to_le_bytes());
            h.update(data);
        }
        let hash = format!("{:x}", h.finalize());
        ImageSource {
            name: name.to_string(),
            files,
            hash,
            labels: Vec::new(),
        }
    }

    /// A context whose identity is decided by the caller (a derived dependency image: the hash
    /// covers the base image's id and the manifest, not incidental files like a CA certificate).
    pub fn derived(
        name: &str,
        files: Vec<(String, Vec<u8>)>,
        hash: String,
        labels: Vec<(String, String)>,
    ) -> ImageSource {
        ImageSource {
            name: name.to_string(),
            files,
            hash,
            labels,
        }
    }

    /// The image built into the binary, if there is one with this name.
    pub fn builtin(name: &str) -> Option<ImageSource> {
        let (_, files) = crate::profile::embedded_images()
            .iter()
            .find(|(image, _)| *image == name)?;
        let files = files
            .iter()
            .map(|(f, d)| (f.to_string(), d.to_vec()))
            .collect();
        Some(ImageSource::new(name, files))
    }

    /// A user image next to a user profile directory: `DIR/images/<name>/` or `DIR/../images/<name>/`.
    pub fn from_dir(profile_dir: &Path, name: &str) -> Result<Option<ImageSource>> {
        for candidate in [
            profile_dir.join("images").join(name),
            profile_dir.join("../images").join(name),
        ] {
            if !candidate.join("Dockerfile").is_file() {
                continue;
            }
            let mut files = Vec::new();
            for entry in std::fs::read_dir(&candidate)
                .with_context(|| format!("cannot read image directory {}", candidate.display()))?
            {
                let path = entry?.path();
                let meta = std::fs::symlink_metadata(&path)?;
                if meta.is_file() {
                    let file = path.file_name().unwrap().to_string_lossy().into_owned();
                    files.push((file, std::fs::read(&path)?));
                }
            }
            return Ok(Some(ImageSource::new(name, files)));
        }
        Ok(None)
    }

    /// The tag this context builds to; it changes whenever the context changes.
    pub fn tag(&self) -> String {
        format!("codecage/{}:{}", self.name, &self.hash[..12])
    }

    fn context_tar(&self) -> Result<Vec<u8>> {
        let mut builder = tar::Builder::new(Vec::new());
        for (file, data) in &self.files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_cksum();
            builder.append_data(&mut header, file, data.as_slice())?;
        }
        Ok(builder.into_inner()?)
    }
}

/// Is the image for this context already built?
pub async fn is_built(docker: &Docker, source: &ImageSource) -> bool {
    docker.inspect_image(&source.tag()).await.is_ok()
}

/// Make sure the image exists, building it when missing. Returns its tag. A tag seen built once
/// is remembered for the life of the process (the server asks on every request).
pub async fn ensure(docker: &Docker, source: &ImageSource, verbose: bool) -> Result<String> {
    static BUILT: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<String>>> =
        std::sync::OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    let tag = source.tag();
    if built.lock().is_ok_and(|b| b.contains(&tag)) {
        return Ok(tag);
    }
    if !is_built(docker, source).await {
        build(docker, source, verbose).await?;
    }
    if let Ok(mut b) = built.lock() {
        b.insert(tag.clone());
    }
    Ok(tag)
}

/// A failed build: the one-line reason, and everything the build printed (installers' own
/// messages are in there).
#[derive(Debug)]
pub struct BuildFailed {
    pub message: String,
    pub log: String,
}

impl std::fmt::Display for BuildFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildFailed {}

/// Build the image, showing the build steps on a progress bar (only when stderr is a terminal).
/// The build's containers use the default bridge network: never the host's.
pub async fn build(docker: &Docker, source: &ImageSource, verbose: bool) -> Result<()> {
    let tag = source.tag();
    let bar = progress::steps(&format!("building image {tag}"));
    if verbose && !std::io::stderr().is_terminal() {
        eprintln!("codecage: building image {tag}");
    }
    let mut labels = HashMap::from([
        ("codecage.image", source.name.as_str()),
        ("codecage.hash", source.hash.as_str()),
    ]);
    for (k, v) in &source.labels {
        labels.insert(k.as_str(), v.as_str());
    }
    let options = BuildImageOptionsBuilder::default()
        .t(&tag)
        .rm(true)
        .forcerm(true)
        .networkmode("bridge")
        .labels(&labels)
        .build();
    let context = source.context_tar()?;
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    let mut log = String::new();
    while let Some(item) = stream.next().await {
        let info = match item {
            Ok(info) => info,
            Err(e) => {
                bar.finish_and_clear();
                return Err(BuildFailed {
                    message: build_failure(&tag, &e.to_string()),
                    log,
                }
                .into());
            }
        };
        if let Some(detail) = info.error_detail {
            let message = detail.message.unwrap_or_default();
            bar.finish_and_clear();
            return Err(BuildFailed {
                message: build_failure(&tag, &message),
                log,
            }
            .into());
        }
        if let Some(text) = info.stream {
            // Stream chunks are not lines: keep the text as it came, show its last line.
            log.push_str(&text);
            if let Some(line) = text.lines().rev().find(|l| !l.trim().is_empty()) {
                let line = line.trim_end();
                if let Some((step, total)) = step_of(line) {
                    bar.set_length(total);
                    bar.set_position(step.saturating_sub(1));
                }
                bar.set_message(format!("building image {tag}: {}", truncate(line, 60)));
            }
        }
    }
    bar.finish_and_clear();
    if !is_built(docker, source).await {
        let tail: Vec<&str> = log.lines().rev().take(5).collect();
        return Err(anyhow!(
            "building image {tag} did not produce the image; last build output: {}",
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        ));
    }
    Ok(())
}

/// "Step 3/9 : RUN ..." -> (3, 9), as the engine's classic builder reports progress.
fn step_of(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("Step ")?;
    let (n, rest) = rest.split_once('/')?;
    let (m, _) = rest.split_once(' ')?;
    Some((n.parse().ok()?, m.parse().ok()?))
}

fn build_failure(tag: &str, message: &str) -> String {
    let message = message.trim();
    if message.contains(BASE_IMAGE)
        || message.contains("pull access denied")
        || (message.contains("not found") && !message.contains("returned a non-zero code"))
    {
        format!(
            "building image {tag} failed: {message}; the base image {BASE_IMAGE} is missing: run `docker pull {BASE_IMAGE}`, or on a machine without a registry `sudo images/bootstrap-offline.sh`"
        )
    } else {
        format!("building image {tag} failed: {message}")
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}
