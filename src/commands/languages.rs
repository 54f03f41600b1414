//! `codecage languages`: what is installed, at which version, and whether its image is built.

use anyhow::Result;
use bollard::Docker;

use codecage::image;
use codecage::profile::Profiles;

/// With `verbose`, each language's compile and run commands follow its row, and which compile
/// `--typecheck` picks.
pub async fn run(docker: Option<&Docker>, profiles: &Profiles, verbose: bool) -> Result<u8> {
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
        if verbose {
            out += &commands(p);
        }
    }
    crate::output::print_stdout(&out)?;
    Ok(codecage::exit_code::SUCCESS)
}

/// A profile's commands, indented under its row.
fn commands(p: &codecage::profile::Profile) -> String {
    let show = |argv: &[String]| argv.join(" ");
    let mut out = String::new();
    match &p.compile {
        Some(compile) => {
            out += &format!("    compile:   {}\n", show(compile));
            let cpus = p
                .compile_cpus
                .map_or("every core".to_string(), |c| format!("{c} cores"));
            out += &format!("    compiler CPU: {cpus}; compiled programs are cached\n");
        }
        None => out += "    compile:   none (interpreted)\n",
    }
    if let Some(typecheck) = &p.typecheck {
        out += &format!("    --typecheck: {}\n", show(typecheck));
    }
    out += &format!("    run:       {}\n", show(&p.run));
    out
}
