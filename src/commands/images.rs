//! `codecage images build|list`.

use anyhow::{Context, Result};
use bollard::Docker;

use crate::app::Verbosity;
use crate::image;
use crate::profile::Profiles;

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
    for profile in selected {
        let source = profile.image_source();
        if !done.insert(source.tag()) {
            continue;
        }
        let start = std::time::Instant::now();
        if image::is_built(docker, source).await {
            if verbosity != Verbosity::Quiet {
                eprintln!("codecage: {} is up to date", source.tag());
            }
            continue;
        }
        image::build(docker, source, verbosity == Verbosity::Verbose).await?;
        if verbosity != Verbosity::Quiet {
            eprintln!(
                "codecage: built {} in {:.1}s",
                source.tag(),
                start.elapsed().as_secs_f64()
            );
        }
    }
    Ok(crate::exit_code::SUCCESS)
}

pub async fn list(docker: &Docker, profiles: &Profiles) -> Result<u8> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = format!("{:<28} {:<24} BUILT\n", "IMAGE", "LANGUAGES");
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
        out += &format!("{:<28} {:<24} {built}\n", tag, langs.join(","));
    }
    crate::app::print_stdout(&out)?;
    Ok(crate::exit_code::SUCCESS)
}
