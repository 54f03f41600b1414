//! The derived image a run with dependencies uses: its build context and tag, and building it on
//! top of the language image (once per base image and manifest, then reused). A failed install
//! becomes a [`DependencyError`] carrying the installer's own words.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::dependency_error::DependencyError;
use super::dockerfile::dockerfile;
use super::install_log::install_failure;
use super::labels::{LABEL_BASE, LABEL_BUILD_STAGE, LABEL_DEPS, LABEL_LANGUAGE, LABEL_MANIFEST};
use super::last_use::record_use;
use super::resolve::Dependencies;
use super::schema::DependencySpec;
use crate::image::{BuildFailed, ImageSource};
use crate::profile::Profile;

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
    let has_ca = deps.ca_cert.is_some();
    let dockerfile = dockerfile(spec, &deps.manifest, base_tag, has_ca, &hash);
    let mut files = vec![
        ("Dockerfile".to_string(), dockerfile.into_bytes()),
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

/// The parts of the spec that change what gets installed (not `sets`, not the manifest names).
fn recipe(spec: &DependencySpec) -> DependencySpec {
    DependencySpec {
        manifests: Vec::new(),
        sets: BTreeMap::new(),
        ..spec.clone()
    }
}

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
        Err(e) => Err(match e.downcast::<BuildFailed>() {
            Ok(failed) => install_error(deps, failed),
            Err(e) => e,
        }),
    }
}

/// A failed build of the derived image: the installer's failure when the installer ran, else
/// (the engine or the network failed the build) the builder's own message.
fn install_error(deps: &Dependencies, failed: BuildFailed) -> anyhow::Error {
    if failed.transport {
        return anyhow::anyhow!("{}", failed.message);
    }
    let (output, summary) = install_failure(&failed.log);
    let summary = if output.is_empty() {
        failed.message
    } else {
        summary
    };
    DependencyError {
        origin: deps.origin.clone(),
        summary,
        output,
    }
    .into()
}
