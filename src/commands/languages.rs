//! `codecage languages`: what is installed, at which version, and whether its image is built.

use anyhow::Result;
use bollard::Docker;

use codecage::config::Config;
use codecage::image;
use codecage::plan::CompileChoice;
use codecage::profile::Profiles;

/// With `verbose`, each language's compile and run commands follow its row, and which compile
/// `--typecheck` and `codecage run` pick, the compile CPU and cache in effect (config file
/// included), then the limits its profile sets and its image's size.
pub async fn run(
    docker: Option<&Docker>,
    profiles: &Profiles,
    config: &Config,
    verbose: bool,
) -> Result<u8> {
    let compile = config.compile.choice(false, false)?;
    let mut out = format!(
        "{:<12} {:<16} {:<18} {:<34} BUILT\n",
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
        // Extensions it takes only with --lang, in parentheses.
        let mut exts: Vec<String> = p.extensions.iter().map(|e| format!(".{e}")).collect();
        if !p.shared_extensions.is_empty() {
            let shared: Vec<String> = p
                .shared_extensions
                .iter()
                .map(|e| format!(".{e}"))
                .collect();
            exts.push(format!("({})", shared.join(" ")));
        }
        out += &format!(
            "{:<12} {:<16} {:<18} {:<34} {built}\n",
            p.name,
            p.version,
            exts.join(" "),
            source.tag()
        );
        if verbose {
            out += &commands(p, docker, &compile).await;
            out += &details(docker, p).await;
        }
    }
    crate::output::print_stdout(&out)?;
    Ok(codecage::exit_code::SUCCESS)
}

/// A profile's commands, indented under its row, with the compile CPU and cache `run` and
/// `test` use (a server has its own cap: `compile.cpus`, else one core).
async fn commands(
    p: &codecage::profile::Profile,
    docker: Option<&Docker>,
    choice: &CompileChoice,
) -> String {
    // A multi-line script argument (Java's, Kotlin's) stays readable: its lines indented under
    // the first.
    let show = |argv: &[String]| {
        argv.iter()
            .map(|a| a.trim_end().replace('\n', "\n               "))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = String::new();
    match &p.compile {
        Some(compile) => {
            out += &format!("    compile:   {}\n", show(compile));
            if let Some(quick) = &p.run_compile {
                out += &format!("    codecage run and sessions: {}\n", show(quick));
            }
            let (cpus, from) = match (choice.cpus, p.compile_cpus) {
                (Some(c), _) => (c, "compile.cpus in the config file"),
                (None, Some(c)) => (c, "the profile's compile_cpus"),
                (None, None) => (codecage::plan::all_cores(), "every core of this machine"),
            };
            let cpus = match docker {
                Some(d) => {
                    let engine = codecage::docker::clamp_cpus(d, cpus).await;
                    if engine < cpus {
                        format!("{engine} cores ({from}: {cpus}, at most the engine's)")
                    } else {
                        format!("{cpus} cores ({from})")
                    }
                }
                None => format!("{cpus} cores ({from})"),
            };
            let cache = match &choice.cache {
                Some(c) => format!("compiled programs are cached in {}", c.dir.display()),
                None => "the compile cache is off".to_string(),
            };
            out += &format!("    compiler CPU: {cpus}; {cache}\n");
        }
        None => out += "    compile:   none (interpreted)\n",
    }
    if let Some(typecheck) = &p.typecheck {
        out += &format!("    --typecheck: {}\n", show(typecheck));
    }
    out += &format!("    run:       {}\n", show(&p.run));
    out
}

/// A profile's limits (those it changes from the defaults), its compile floor, the extensions it
/// shares, and its image's size when built.
async fn details(docker: Option<&Docker>, p: &codecage::profile::Profile) -> String {
    let mut out = String::new();
    let l = &p.limits;
    let mut limits = Vec::new();
    if let Some(m) = &l.memory {
        limits.push(format!("memory {m}"));
    }
    if let Some(c) = l.cpus {
        limits.push(format!("cpus {c}"));
    }
    if let Some(n) = l.pids {
        limits.push(format!("pids {n}"));
    }
    if let Some(w) = &l.workspace {
        limits.push(format!("workspace {w}"));
    }
    if p.compile.is_some() {
        limits.push(format!(
            "compile wall time at least {}",
            codecage::units::format_duration(p.compile_floor())
        ));
    }
    if let Some(m) = &p.compile_memory {
        limits.push(format!("compile memory at least {m}"));
    }
    if !limits.is_empty() {
        out += &format!("    limits:    {}\n", limits.join(", "));
    }
    if !p.shared_extensions.is_empty() {
        let exts: Vec<String> = p
            .shared_extensions
            .iter()
            .map(|e| format!(".{e}"))
            .collect();
        out += &format!(
            "    also takes: {} with --lang {} (another language owns the extension)\n",
            exts.join(" "),
            p.name
        );
    }
    if let Some(d) = docker {
        if let Ok(info) = d.inspect_image(&p.image_source().tag()).await {
            if let Some(size) = info.size {
                out += &format!(
                    "    image:     {} ({})\n",
                    p.image,
                    codecage::units::format_size_approx(size.max(0) as u64)
                );
            }
        }
    }
    out
}
