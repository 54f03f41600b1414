//! `codecage languages`: what is installed, at which version, and whether its image is built.

use anyhow::Result;
use bollard::Docker;

use codecage::image;
use codecage::profile::Profiles;

pub async fn run(docker: Option<&Docker>, profiles: &Profiles) -> Result<u8> {
    let mut out = format!(
        "{:<12} {:<16} {:<18} {:<28} BUILT\n",
        "LANGUAGE", "VERSION", "EXTENSIONS", "IMAGE"
    );
    for p in profiles.iter() {
        let source = p.image_source();
        let built = match docker {
            Some(d) => {
                if image::is_built(d, source).await {
                    "yes"
                } else {
                    "no"
                }
            }
            None => "unknown",
        };
        let exts: Vec<String> = p.extensions.iter().map(|e| format!(".{e}")).collect();
        out += &format!(
            "{:<12} {:<16} {:<18} {:<28} {built}\n",
            p.name,
            p.version,
            exts.join(" "),
            source.tag()
        );
    }
    crate::output::print_stdout(&out)?;
    Ok(codecage::exit_code::SUCCESS)
}
