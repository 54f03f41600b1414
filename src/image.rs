//! Language images: their build contexts (embedded or from a user directory), their content-hash
//! tags, and building them on demand with progress on stderr.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use bollard::query_parameters::BuildImageOptionsBuilder;
use bollard::Docker;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use crate::progress;

/// The base image every built-in Dockerfile starts from.
pub const BASE_IMAGE: &str = "debian:trixie-slim";

/// The built-in build contexts (`images/<name>/*`), compiled in by build.rs.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_images.rs"));
}

/// A Docker build context: the files of `images/<name>/`.
#[derive(Debug, Clone)]
pub struct ImageSource {
    pub name: String,
    pub files: Vec<(String, Vec<u8>)>,
    /// SHA-256 of the context's names and contents: a changed Dockerfile gives a new tag.
    pub hash: String,
    /// Extra labels on the built image (derived dependency images carry what they were built from).
    pub labels: Vec<(String, String)>,
    /// A build stage whose images carry `LABEL (name, value)`: removed once the build is over
    /// (the builder leaves them untagged; a dependency image's stage holds the installer and CA).
    pub stage_label: Option<(String, String)>,
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
            stage_label: None,
        }
    }

    /// A context whose identity is decided by the caller (a derived dependency image: the hash
    /// covers the base image's id and the manifest, not incidental files like a CA certificate).
    pub fn derived(
        name: &str,
        files: Vec<(String, Vec<u8>)>,
        hash: String,
        labels: Vec<(String, String)>,
        stage_label: Option<(String, String)>,
    ) -> ImageSource {
        ImageSource {
            name: name.to_string(),
            files,
            hash,
            labels,
            stage_label,
        }
    }

    /// The image built into the binary, if there is one with this name.
    pub fn builtin(name: &str) -> Option<ImageSource> {
        let (_, files) = embedded::IMAGES.iter().find(|(image, _)| *image == name)?;
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

/// Make sure the image exists, building it when missing. Returns its tag. A tag seen built is
/// remembered for a minute (the server asks on every request); one build per
/// tag at a time (concurrent requests wait for it); a failed build is remembered for a minute, so
/// a server whose dependency set cannot install does not start a new build for every request.
pub async fn ensure(docker: &Docker, source: &ImageSource, verbose: bool) -> Result<String> {
    type Locks = Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>;
    static BUILT: OnceLock<Mutex<HashMap<String, Instant>>> = OnceLock::new();
    static BUILDING: OnceLock<Locks> = OnceLock::new();
    static FAILED: OnceLock<Mutex<HashMap<String, (Instant, BuildFailed)>>> = OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    let tag = source.tag();
    if built
        .lock()
        .is_ok_and(|b| b.get(&tag).is_some_and(|at| at.elapsed() < BUILT_MEMORY))
    {
        return Ok(tag);
    }
    if seen_path(&tag).is_some_and(|p| p.exists()) {
        if let Ok(mut u) = UNVERIFIED.lock() {
            u.entry(tag.clone()).or_insert_with(|| source.clone());
        }
        return Ok(tag);
    }
    let lock = BUILDING
        .get_or_init(Default::default)
        .lock()
        .map_err(|_| anyhow!("image build lock poisoned"))?
        .entry(tag.clone())
        .or_default()
        .clone();
    let _building = lock.lock().await;
    let failed = FAILED.get_or_init(Default::default);
    if let Some((at, failure)) = failed.lock().ok().and_then(|f| f.get(&tag).cloned()) {
        if at.elapsed() < FAILURE_MEMORY {
            return Err(failure.into());
        }
    }
    if !is_built(docker, source).await {
        // Build steps run in containers too: not on an engine that would drop their limits.
        crate::sandbox::check_engine(docker).await?;
        if let Err(e) = build(docker, source, verbose).await {
            if let Some(failure) = e.downcast_ref::<BuildFailed>() {
                if let Ok(mut f) = failed.lock() {
                    f.insert(tag.clone(), (Instant::now(), failure.clone()));
                }
            }
            return Err(e);
        }
    }
    if let Ok(mut b) = built.lock() {
        b.insert(tag.clone(), Instant::now());
    }
    if let Some(path) = seen_path(&tag) {
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&path))
            .and_then(|_| std::fs::File::create(&path));
    }
    Ok(tag)
}

/// Tags trusted from the on-disk memo without asking the engine, with their build contexts.
static UNVERIFIED: Mutex<std::collections::BTreeMap<String, ImageSource>> =
    Mutex::new(std::collections::BTreeMap::new());

/// Where a tag seen built is remembered across processes (an empty file): a run then need not
/// ask the engine first (~1 ms of every run). A memo gone stale (the image was removed) shows up
/// as a missing image when the sandbox is created, and `rebuild_missing` repairs it. Kept per
/// engine (`docker::identity`): an image Docker has says nothing about a Podman service.
fn seen_path(tag: &str) -> Option<std::path::PathBuf> {
    let file: String = tag
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Some(
        crate::dirs::cache_dir()?
            .join("codecage/images-seen")
            .join(crate::docker::identity())
            .join(file),
    )
}

/// The engine says `tag` does not exist although the memo said it was built: forget the memo and
/// build it. False when the tag was not trusted from the memo (then nothing is done).
pub async fn rebuild_missing(docker: &Docker, tag: &str) -> Result<bool> {
    let source = UNVERIFIED.lock().ok().and_then(|mut u| u.remove(tag));
    let Some(source) = source else {
        return Ok(false);
    };
    if let Some(path) = seen_path(tag) {
        let _ = std::fs::remove_file(path);
    }
    ensure(docker, &source, false).await?;
    Ok(true)
}

/// How long an image seen built is trusted without asking the engine again (an image removed by
/// `codecage images prune` or `docker rmi` under a running server is rebuilt after this).
const BUILT_MEMORY: Duration = Duration::from_secs(60);

/// How long a failed build is not retried.
const FAILURE_MEMORY: Duration = Duration::from_secs(60);

/// Longest a build may take (a stalled package index, an installer that hangs).
const BUILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Memory for each build step's container, just under 2 GiB (the API takes an i32; dependency
/// installers run code from the manifest).
const BUILD_MEMORY: i32 = 2047 << 20;

/// The build output kept for error messages: the end of it.
const LOG_KEEP: usize = 256 << 10;

/// A failed build: the one-line reason, and the end of what the build printed (installers' own
/// messages are in there).
#[derive(Debug, Clone)]
pub struct BuildFailed {
    pub message: String,
    pub log: String,
    /// The engine could not be talked to (not the build's own failure).
    pub transport: bool,
}

impl std::fmt::Display for BuildFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildFailed {}

/// Build the image, showing the build steps on stderr: a progress bar on a terminal, else a
/// line per step (with `verbose`, both).
/// The build's containers use the default bridge network (never the host's), just under 2 GiB of
/// memory and one CPU each, and the whole build at most 15 minutes.
pub async fn build(docker: &Docker, source: &ImageSource, verbose: bool) -> Result<()> {
    let tag = source.tag();
    let mut progress = progress::StepLines::new(&format!("building image {tag}"), verbose);
    let result = tokio::time::timeout(
        BUILD_TIMEOUT,
        run_build(docker, source, &tag, &mut progress),
    )
    .await;
    progress.finish();
    if let Some((name, value)) = &source.stage_label {
        remove_labelled(docker, name, Some(value), None).await;
    }
    match result {
        Ok(Ok(())) => {}
        Ok(Err(failed)) => return Err(failed.into()),
        // Dropping the request makes the engine cancel the build.
        Err(_) => {
            return Err(BuildFailed {
                message: format!(
                    "building image {tag} took longer than {} minutes and was stopped",
                    BUILD_TIMEOUT.as_secs() / 60
                ),
                log: String::new(),
                transport: false,
            }
            .into())
        }
    }
    if !is_built(docker, source).await {
        return Err(anyhow!(
            "building image {tag} did not produce the image (the engine reported no error)"
        ));
    }
    Ok(())
}

async fn run_build(
    docker: &Docker,
    source: &ImageSource,
    tag: &str,
    progress: &mut progress::StepLines,
) -> std::result::Result<(), BuildFailed> {
    let mut labels = HashMap::from([
        ("codecage.image", source.name.as_str()),
        ("codecage.hash", source.hash.as_str()),
    ]);
    for (k, v) in &source.labels {
        labels.insert(k.as_str(), v.as_str());
    }
    let options = BuildImageOptionsBuilder::default()
        .t(tag)
        .rm(true)
        .forcerm(true)
        .networkmode("bridge")
        .memory(BUILD_MEMORY)
        .memswap(BUILD_MEMORY)
        .cpuperiod(100_000)
        .cpuquota(100_000)
        .labels(&labels)
        .build();
    let context = source.context_tar().map_err(|e| BuildFailed {
        message: format!("cannot pack the build context of {tag}: {e:#}"),
        log: String::new(),
        transport: true,
    })?;
    let mut stream = docker.build_image(options, None, Some(bollard::body_full(context.into())));
    let mut log = String::new();
    // The Dockerfile instruction being run ("FROM debian:trixie-slim"), from the step lines.
    let mut instruction = String::new();
    while let Some(item) = stream.next().await {
        let info = item.map_err(|e| {
            // The engine reports a failed step as an error inside the stream; anything else
            // is the connection to the engine failing.
            let (message, transport) = match e {
                bollard::errors::Error::DockerStreamError { error } => (error, false),
                other => (other.to_string(), true),
            };
            let failed = StepFailure {
                message: &message,
                exit_code: None,
                instruction: &instruction,
            };
            BuildFailed {
                message: build_failure(tag, &failed),
                log: std::mem::take(&mut log),
                transport,
            }
        })?;
        if let Some(detail) = info.error_detail {
            let message = detail.message.unwrap_or_default();
            let failed = StepFailure {
                message: &message,
                exit_code: detail.code,
                instruction: &instruction,
            };
            return Err(BuildFailed {
                message: build_failure(tag, &failed),
                log,
                transport: false,
            });
        }
        if let Some(text) = info.stream {
            // Stream chunks are not lines: keep the text as it came, show its last line.
            log.push_str(&text);
            if log.len() > 2 * LOG_KEEP {
                let mut cut = log.len() - LOG_KEEP;
                while !log.is_char_boundary(cut) {
                    cut += 1;
                }
                log.drain(..cut);
            }
            if let Some(line) = text.lines().rev().find(|l| !l.trim().is_empty()) {
                let line = line.trim_end();
                if let Some((step, total)) = step_of(line) {
                    instruction = line.split_once(" : ").map_or("", |(_, i)| i).to_string();
                    // The labels codecage adds are steps of their own to the builder: noise.
                    if !instruction.starts_with("LABEL codecage.") {
                        progress.step(step, total, &truncate(&instruction, 100));
                    }
                }
                progress.message(&truncate(line, 60));
            }
        }
    }
    Ok(())
}

/// Remove untagged images labelled `name` (`=value` when given), newest first so children go
/// before their parents, keeping the unlabelled parents (a shared cache like the tools layer).
/// `older_than`: only images created that many seconds ago or more. Returns how many went.
pub async fn remove_labelled(
    docker: &Docker,
    name: &str,
    value: Option<&str>,
    older_than: Option<i64>,
) -> usize {
    let filter = match value {
        Some(v) => format!("{name}={v}"),
        None => name.to_string(),
    };
    let filters = HashMap::from([("label", vec![filter])]);
    let options = bollard::query_parameters::ListImagesOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let Ok(mut images) = docker.list_images(Some(options)).await else {
        return 0;
    };
    let now = crate::units::unix_now();
    images.retain(|i| {
        i.repo_tags.iter().all(|t| t == "<none>:<none>")
            && older_than.is_none_or(|age| now - i.created >= age)
    });
    // A parent cannot go before its children, and creation times are only to the second: remove
    // the ones no other image here builds on, then again, until nothing moves.
    let mut removed = 0;
    loop {
        let parents: HashSet<String> = images.iter().map(|i| i.parent_id.clone()).collect();
        let (leaves, rest): (Vec<_>, Vec<_>) =
            images.into_iter().partition(|i| !parents.contains(&i.id));
        if leaves.is_empty() {
            return removed;
        }
        for image in leaves {
            let options = bollard::query_parameters::RemoveImageOptionsBuilder::default()
                .noprune(true)
                .build();
            if docker
                .remove_image(&image.id, Some(options), None)
                .await
                .is_ok()
            {
                removed += 1;
            }
        }
        images = rest;
    }
}

/// "Step 3/9 : RUN ..." -> (3, 9), as the engine's classic builder reports progress.
fn step_of(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("Step ")?;
    let (n, rest) = rest.split_once('/')?;
    let (m, _) = rest.split_once(' ')?;
    Some((n.parse().ok()?, m.parse().ok()?))
}

/// What the engine said about a failed build step.
struct StepFailure<'a> {
    message: &'a str,
    /// The exit code of a RUN step that failed (the engine's `errorDetail.code`).
    exit_code: Option<i64>,
    /// The instruction that was running, if a step line said so.
    instruction: &'a str,
}

fn build_failure(tag: &str, failed: &StepFailure) -> String {
    let message = failed.message.trim();
    // A RUN step that failed carries its exit code: the Dockerfile's own commands failed, not
    // the base image. A failed FROM step is the base image missing. When no step line came
    // (or the error arrived as a bare stream error), only the text can name the culprit.
    let run_failed = failed.exit_code.is_some_and(|code| code != 0);
    let from_failed = failed.instruction.starts_with("FROM ");
    let text_blames_base = message.contains(BASE_IMAGE)
        || message.contains("pull access denied")
        || (message.contains("not found") && !message.contains("returned a non-zero code"));
    if !run_failed && (from_failed || (failed.instruction.is_empty() && text_blames_base)) {
        format!(
            "building image {tag} failed: {message}; the base image {BASE_IMAGE} is missing: run `docker pull {BASE_IMAGE}`, or on a machine without a registry `sudo codecage images bootstrap`"
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

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(message: &str, exit_code: Option<i64>, instruction: &str) -> String {
        let failed = StepFailure {
            message,
            exit_code,
            instruction,
        };
        build_failure("codecage/x:1", &failed)
    }

    #[test]
    fn a_failed_from_step_blames_the_base_image_whatever_the_wording() {
        let offline = "Get \"https://registry-1.docker.io/v2/\": dial tcp: no such host";
        assert!(
            failure(offline, None, "FROM debian:trixie-slim").contains("codecage images bootstrap")
        );
        // Without a step line, the text still can.
        assert!(failure("pull access denied for debian", None, "").contains("is missing"));
    }

    #[test]
    fn a_failed_run_step_is_the_dockerfiles_own_failure() {
        let message =
            "The command '/bin/sh -c apt-get install nosuch' returned a non-zero code: 100";
        let text = failure(message, Some(100), "RUN apt-get install nosuch");
        assert_eq!(
            text,
            format!("building image codecage/x:1 failed: {message}")
        );
        // A file missing from the context is not the base image either.
        let copy = failure("COPY failed: file not found", None, "COPY a /a");
        assert!(!copy.contains("base image"), "{copy}");
    }
}
