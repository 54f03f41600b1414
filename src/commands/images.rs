//! `codecage images build|list|prune|bootstrap`: the language images, the dependency images
//! derived from them, and the base image they all start from.

use std::collections::{BTreeSet, HashMap};

use anyhow::{Context, Result};
use bollard::query_parameters::{ListImagesOptionsBuilder, RemoveImageOptionsBuilder};
use bollard::Docker;
use futures_util::StreamExt;

use crate::output::Verbosity;
use codecage::dependencies;
use codecage::image;
use codecage::profile::Profiles;
use codecage::units::{format_size_approx, unix_now};

/// How many images `images build` builds at once.
const PARALLEL_BUILDS: usize = 3;

/// Build the images of `languages` (every language when empty), `PARALLEL_BUILDS` at a time;
/// the other builds finish before the first failure is reported.
pub async fn build(
    docker: &Docker,
    profiles: &Profiles,
    languages: &[String],
    verbosity: Verbosity,
) -> Result<u8> {
    let selected = if languages.is_empty() {
        profiles.iter().cloned().collect::<Vec<_>>()
    } else {
        languages
            .iter()
            .map(|l| {
                profiles.by_name(l).with_context(|| {
                    format!(
                        "unknown language {l:?}; known languages: {}",
                        profiles.names()
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?
    };
    let mut done = std::collections::BTreeSet::new();
    let sources: Vec<&image::ImageSource> = selected
        .iter()
        .map(|p| p.image_source())
        .filter(|s| done.insert(s.tag()))
        .collect();
    // A few chains of builds at a time: most of a build is waiting on the package mirror and
    // unpacking, which overlap well, while each build step is held to one CPU. Images whose first
    // RUN step is the same (gcc, clang, gcc-langs) go in one chain, the shortest Dockerfile first,
    // so the others find that layer built instead of installing it again at the same time.
    let mut chains: Vec<Vec<&image::ImageSource>> = Vec::new();
    for source in sources {
        let key = first_run_step(source);
        match chains
            .iter_mut()
            .find(|c| key.is_some() && first_run_step(c[0]) == key)
        {
            Some(chain) => chain.push(source),
            None => chains.push(vec![source]),
        }
    }
    for chain in &mut chains {
        chain.sort_by_key(|s| dockerfile(s).len());
    }
    // The longest chain first, so it does not start last.
    chains.sort_by_key(|c| std::cmp::Reverse(c.len()));
    let mut builds = futures_util::stream::iter(chains)
        .map(|chain| async move {
            for source in chain {
                build_one(docker, source, verbosity).await?;
            }
            anyhow::Ok(())
        })
        .buffer_unordered(PARALLEL_BUILDS);
    let mut first_error = None;
    while let Some(result) = builds.next().await {
        if let Err(e) = result {
            first_error.get_or_insert(e);
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    Ok(codecage::exit_code::SUCCESS)
}

async fn build_one(
    docker: &Docker,
    source: &image::ImageSource,
    verbosity: Verbosity,
) -> Result<()> {
    let start = std::time::Instant::now();
    if image::is_built(docker, source).await {
        if verbosity != Verbosity::Quiet {
            eprintln!("codecage: {} is up to date", source.tag());
        }
        return Ok(());
    }
    image::build(docker, source, verbosity == Verbosity::Verbose).await?;
    if verbosity != Verbosity::Quiet {
        eprintln!(
            "codecage: built {} in {:.1}s",
            source.tag(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// An image's Dockerfile, as text.
fn dockerfile(source: &image::ImageSource) -> String {
    source
        .files
        .iter()
        .find(|(name, _)| name == "Dockerfile")
        .map(|(_, data)| String::from_utf8_lossy(data).into_owned())
        .unwrap_or_default()
}

/// The Dockerfile's first RUN instruction with its continuation lines, the unit of layer sharing.
fn first_run_step(source: &image::ImageSource) -> Option<String> {
    let text = dockerfile(source);
    let mut step = String::new();
    for line in text.lines().skip_while(|l| !l.starts_with("RUN ")) {
        step.push_str(line);
        step.push('\n');
        if !line.ends_with('\\') {
            return Some(step);
        }
    }
    None
}

pub async fn list(docker: &Docker, profiles: &Profiles) -> Result<u8> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = format!("{:<34} {:<36} BUILT\n", "IMAGE", "LANGUAGES");
    for p in profiles.iter() {
        let tag = p.image_source().tag();
        if !seen.insert(tag.clone()) {
            continue;
        }
        let langs: Vec<&str> = profiles
            .iter()
            .filter(|q| q.image_source().tag() == tag)
            .map(|q| q.name.as_str())
            .collect();
        let built = if image::is_built(docker, p.image_source()).await {
            "yes"
        } else {
            "no"
        };
        out += &format!("{:<34} {:<36} {built}\n", tag, langs.join(","));
    }
    out += &list_derived(docker).await?;
    crate::output::print_stdout(&out)?;
    Ok(codecage::exit_code::SUCCESS)
}

/// A dependency image, as the engine lists it.
struct DerivedImage {
    tag: String,
    id: String,
    language: String,
    manifest: String,
    base: String,
    size: i64,
    created: i64,
}

async fn derived_images(docker: &Docker) -> Result<Vec<DerivedImage>> {
    let filters = HashMap::from([("label", vec![dependencies::LABEL_DEPS.to_string()])]);
    let options = ListImagesOptionsBuilder::default()
        .filters(&filters)
        .build();
    let images = docker
        .list_images(Some(options))
        .await
        .context("cannot list images")?;
    let mut out = Vec::new();
    for image in images {
        let label = |k: &str| image.labels.get(k).cloned().unwrap_or_default();
        let tag = image
            .repo_tags
            .iter()
            .find(|t| t.starts_with("codecage/"))
            .cloned()
            .unwrap_or_else(|| image.id.clone());
        out.push(DerivedImage {
            tag,
            id: image.id.clone(),
            language: label(dependencies::LABEL_LANGUAGE),
            manifest: label(dependencies::LABEL_MANIFEST),
            base: label(dependencies::LABEL_BASE),
            size: image.size,
            created: image.created,
        });
    }
    out.sort_by(|a, b| a.tag.cmp(&b.tag));
    Ok(out)
}

/// When an image was last used: recorded use, else its creation.
fn last_used(image: &DerivedImage) -> i64 {
    dependencies::last_use(&image.tag).map_or(image.created, |t| (t as i64).max(image.created))
}

fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// The dependency images table printed under the language images.
async fn list_derived(docker: &Docker) -> Result<String> {
    let images = derived_images(docker).await?;
    if images.is_empty() {
        return Ok("\nno dependency images (a requirements.txt or package.json next to a program builds one)\n".to_string());
    }
    let now = unix_now();
    let mut out = format!(
        "\n{:<36} {:<12} {:>9} {:>8} {:>9}  MANIFEST\n",
        "DEPENDENCY IMAGE", "LANGUAGE", "SIZE", "AGE", "LAST USE"
    );
    for i in images {
        out += &format!(
            "{:<36} {:<12} {:>9} {:>8} {:>9}  {}\n",
            i.tag,
            i.language,
            format_size_approx(i.size.max(0) as u64),
            age(now - i.created),
            age(now - last_used(&i)),
            i.manifest
        );
    }
    Ok(out)
}

/// Remove dependency images built on a language image that is no longer current (a changed
/// Dockerfile), those unused for `unused_for`, or all of them (`None`). Images a container still
/// uses are kept.
pub async fn prune(
    docker: &Docker,
    profiles: &Profiles,
    unused_for: Option<std::time::Duration>,
    verbosity: Verbosity,
) -> Result<u8> {
    let current: BTreeSet<String> = profiles.iter().map(|p| p.image_source().tag()).collect();
    // Outdated means: its language is loaded here and now uses another image (a profile from a
    // directory not given to this command says nothing about it).
    let outdated = |image: &DerivedImage| {
        profiles.by_name(&image.language).is_some() && !current.contains(&image.base)
    };
    let now = unix_now();
    let (mut removed, mut kept, mut freed) = (0, 0, 0i64);
    for image in derived_images(docker).await? {
        let why = match unused_for {
            None => Some("--all"),
            Some(_) if outdated(&image) => Some("outdated language image"),
            Some(d) if now - last_used(&image) >= d.as_secs() as i64 => Some("unused"),
            Some(_) => None,
        };
        let Some(why) = why else {
            kept += 1;
            continue;
        };
        let options = RemoveImageOptionsBuilder::default().noprune(false).build();
        match docker.remove_image(&image.id, Some(options), None).await {
            Ok(_) => {
                dependencies::forget_use(&image.tag);
                removed += 1;
                freed += image.size;
                if verbosity != Verbosity::Quiet {
                    eprintln!("codecage: removed {} ({why})", image.tag);
                }
            }
            Err(e) => {
                kept += 1;
                if verbosity != Verbosity::Quiet {
                    eprintln!("codecage: kept {}: {e}", image.tag);
                }
            }
        }
    }
    // What interrupted builds left (a finished build removes its own stage at once); an hour
    // old at least, so a build running right now keeps its steps.
    let stages =
        image::remove_labelled(docker, dependencies::LABEL_BUILD_STAGE, None, Some(3600)).await;
    if verbosity != Verbosity::Quiet {
        if stages > 0 {
            eprintln!("codecage: removed {stages} leftover build-stage image(s)");
        }
        eprintln!(
            "codecage: removed {removed} dependency image(s), {} freed; {kept} kept",
            format_size_approx(freed.max(0) as u64)
        );
    }
    Ok(codecage::exit_code::SUCCESS)
}

/// The offline bootstrap, the same script as `images/bootstrap-offline.sh` (which CI runs), carried
/// in the binary so `cargo install` users have it too.
const BOOTSTRAP_SCRIPT: &str = include_str!("../../images/bootstrap-offline.sh");

/// Create the base image with debootstrap when it is missing.
pub async fn bootstrap(docker: &Docker) -> Result<u8> {
    let base = image::BASE_IMAGE;
    if docker.inspect_image(base).await.is_ok() {
        crate::output::print_stdout(&format!("{base} is already in the engine\n"))?;
        return Ok(codecage::exit_code::SUCCESS);
    }
    // /proc/self belongs to the process's effective user.
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    if !root {
        anyhow::bail!(
            "images bootstrap runs debootstrap, which needs root: run `sudo codecage images bootstrap` (or `docker pull {base}` where Docker Hub is reachable)"
        );
    }
    let bar =
        codecage::progress::steps(&format!("creating {base} with debootstrap (a few minutes)"));
    let output = tokio::process::Command::new("bash")
        .arg("-c")
        .arg(BOOTSTRAP_SCRIPT)
        .arg("bootstrap-offline")
        .arg(base)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .context("cannot run bash for the bootstrap")?;
    bar.finish_and_clear();
    let log = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        eprint!("{log}");
        anyhow::bail!(
            "creating {base} failed (debootstrap from {}); the lines above say why",
            std::env::var("DEBIAN_MIRROR")
                .unwrap_or_else(|_| "http://deb.debian.org/debian".into())
        );
    }
    crate::output::print_stdout(&format!("created {base}\n"))?;
    Ok(codecage::exit_code::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(image: &str) -> Option<String> {
        first_run_step(&image::ImageSource::builtin(image).unwrap())
    }

    #[test]
    fn images_on_one_toolchain_start_with_the_same_run_step() {
        let gcc = first("gcc");
        assert!(
            gcc.as_deref().unwrap().contains("gcc g++ libc6-dev"),
            "{gcc:?}"
        );
        for image in ["clang", "gcc-langs", "crystal"] {
            assert_eq!(first(image), gcc, "{image}");
        }
        assert_eq!(first("jvm"), first("java"));
        assert_ne!(first("python"), gcc);
        // The whole instruction, continuation lines included.
        assert!(gcc.unwrap().ends_with("rm -rf /var/lib/apt/lists/*\n"));
    }
}
