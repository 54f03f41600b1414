//! The real entry point: dispatch a parsed command line and turn every failure into a one-line
//! message and an exit code.

use std::path::PathBuf;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, Command, ImagesCommand};
use crate::commands;
use crate::config::{self, Config};
use crate::exit_code;
use crate::limits::Limits;
use crate::plan::RunPlan;
use crate::profile::Profiles;

pub use crate::output::{print_stdout, Verbosity};

pub fn run(cli: Cli) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("codecage: cannot start the async runtime: {e}");
            return exit_code::CODECAGE_ERROR;
        }
    };
    let result = runtime.block_on(dispatch(cli));
    // A blocking read of our stdin may still be pending; do not wait for it.
    runtime.shutdown_background();
    match result {
        Ok(code) => code,
        Err(e) => {
            let code = match e.downcast_ref::<crate::dependencies::DependencyError>() {
                Some(failed) => {
                    // The installer's own words first: they say which package and why.
                    for line in failed.output.iter().rev().take(25).rev() {
                        eprintln!("  {line}");
                    }
                    exit_code::DEPENDENCY_ERROR
                }
                None => exit_code::CODECAGE_ERROR,
            };
            let message = format!("{e:#}").replace('\n', " ");
            eprintln!("codecage: {message}");
            code
        }
    }
}

async fn dispatch(cli: Cli) -> Result<u8> {
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    if cli.version {
        return version(verbosity).await;
    }
    let Some(command) = cli.command else {
        let _ = Cli::command().print_help();
        return Ok(exit_code::CODECAGE_ERROR);
    };
    // Commands that need neither profiles nor Docker.
    match &command {
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "codecage", &mut text);
            print_stdout(&String::from_utf8_lossy(&text))?;
            return Ok(exit_code::SUCCESS);
        }
        Command::Man => {
            let mut text = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut text)?;
            print_stdout(&String::from_utf8_lossy(&text))?;
            return Ok(exit_code::SUCCESS);
        }
        _ => {}
    }
    // A local run needs the engine: agree on the API version while the profiles load and the
    // plan is checked (a mistake there is still reported first).
    let engine = match &command {
        Command::Run(args) if args.server.is_none() => Some(tokio::spawn(crate::docker::connect())),
        _ => None,
    };
    let config = config::load(cli.config.as_deref())?;
    let profiles = Profiles::load(&profile_dirs(&config, &cli.profile_dirs))?;
    match command {
        Command::Run(args) => {
            let plan = RunPlan::new(&args, &profiles, Limits::run_defaults(), &config.run.limits)?;
            if let Some(server) = &args.server {
                if let Some(file) = &args.deps {
                    anyhow::bail!(
                        "--deps {}: a server never installs a client's manifest; use --deps-set NAME (a set the server enables)",
                        file.display()
                    );
                }
                return commands::remote::run(server, plan, verbosity).await;
            }
            let docker = match engine {
                Some(task) => task.await??,
                None => crate::docker::connect().await?,
            };
            commands::run::run(&docker, plan, args.json.as_deref(), verbosity).await
        }
        Command::Test(args) => commands::test::run(&args, &profiles, &config).await,
        Command::Serve(args) => {
            let mut settings = serve_settings(&args, &config.serve)?;
            settings.deps_sets = deps_sets(&profiles, &args.deps_sets, &config.serve.deps_sets)?;
            if !settings.deps_sets.is_empty() {
                settings.deps_ca = crate::dependencies::build_ca(None)?;
            }
            let docker = crate::docker::connect().await?;
            crate::server::serve(docker, profiles, settings).await
        }
        Command::Languages => {
            let docker = crate::docker::connect().await.ok();
            commands::languages::run(docker.as_ref(), &profiles).await
        }
        Command::Images { command } => {
            let docker = crate::docker::connect().await?;
            match command {
                ImagesCommand::Build { languages } => {
                    commands::images::build(&docker, &profiles, &languages, verbosity).await
                }
                ImagesCommand::List => commands::images::list(&docker, &profiles).await,
                ImagesCommand::Prune { unused_for, all } => {
                    let unused_for = match (all, unused_for) {
                        (true, _) => None,
                        (false, d) => Some(crate::units::parse_age(d.as_deref().unwrap_or("7d"))?),
                    };
                    commands::images::prune(&docker, &profiles, unused_for, verbosity).await
                }
            }
        }
        Command::Doctor => commands::doctor::run(&profiles).await,
        Command::Gc { all } => {
            let docker = crate::docker::connect().await?;
            commands::gc::run(&docker, all).await
        }
        Command::Completions { .. } | Command::Man => unreachable!("handled above"),
    }
}

/// `--version`; with `-v` also the engine and the API version negotiated with it.
async fn version(verbosity: Verbosity) -> Result<u8> {
    print_stdout(&format!("codecage {}\n", env!("CARGO_PKG_VERSION")))?;
    if verbosity == Verbosity::Verbose {
        let docker = crate::docker::connect().await?;
        let engine = docker.version().await?;
        print_stdout(&format!(
            "Docker engine {} (API {} negotiated, engine supports {}..{})\n",
            engine.version.unwrap_or_default(),
            docker.client_version(),
            engine.min_api_version.unwrap_or_default(),
            engine.api_version.unwrap_or_default()
        ))?;
    }
    Ok(exit_code::SUCCESS)
}

fn serve_settings(
    args: &crate::cli::ServeArgs,
    config: &crate::config::ServeSection,
) -> Result<crate::server::Settings> {
    use crate::units::{parse_duration, parse_size};
    // Flag (or its environment variable) > config file > built-in default.
    let pick = |flag: &Option<String>, configured: &Option<String>, default: &str| {
        flag.clone()
            .or_else(|| configured.clone())
            .unwrap_or_else(|| default.to_string())
    };
    let mut limits = Limits::run_defaults();
    limits.time = parse_duration(&pick(&args.max_time, &config.max_time, "30s"))?;
    limits.memory = parse_size(&pick(&args.max_memory, &config.max_memory, "256MiB"))?;
    limits.output = parse_size(&pick(&args.max_output, &config.max_output, "1MiB"))?;
    limits.validate()?;
    let mut session_limits = limits.clone();
    session_limits.time = parse_duration(&pick(&args.session_time, &config.session_time, "2m"))?;
    session_limits.idle = Some(parse_duration(&pick(
        &args.session_idle,
        &config.session_idle,
        "30s",
    ))?);
    let default_listen = std::net::SocketAddr::from(([127, 0, 0, 1], 8080));
    Ok(crate::server::Settings {
        listen: args.listen.or(config.listen).unwrap_or(default_listen),
        token: args
            .token
            .clone()
            .or_else(|| config.token.clone())
            .filter(|t| !t.is_empty()),
        max_concurrent: args.max_concurrent.or(config.max_concurrent).unwrap_or(10),
        queue: args.queue.or(config.queue).unwrap_or(20),
        max_body: parse_size(&pick(&args.max_body, &config.max_body, "1MiB"))? as usize,
        limits,
        session_limits,
        grace: parse_duration(&pick(&args.grace, &config.grace, "10s"))?,
        session_connect: parse_duration(&pick(
            &args.session_connect,
            &config.session_connect,
            "30s",
        ))?,
        pool: args.pool.or(config.pool).unwrap_or(2),
        sessions_per_token: args
            .sessions_per_token
            .or(config.sessions_per_token)
            .unwrap_or(4),
        pool_idle: parse_duration(&pick(&args.pool_idle, &config.pool_idle, "30s"))?,
        deps_sets: Vec::new(),
        deps_ca: None,
    })
}

/// `--deps-set LANG:SET` (else the config file's list), each checked against the profiles now.
fn deps_sets(
    profiles: &Profiles,
    flags: &[String],
    configured: &[String],
) -> Result<Vec<(String, String)>> {
    let chosen = if flags.is_empty() { configured } else { flags };
    let mut sets = Vec::new();
    for item in chosen {
        let (language, set) = item.split_once(':').ok_or_else(|| {
            anyhow::anyhow!("--deps-set {item:?}: write LANG:SET, e.g. python:data")
        })?;
        let profile = profiles.by_name(language).ok_or_else(|| {
            anyhow::anyhow!(
                "--deps-set {item}: unknown language {language:?}; known: {}",
                profiles.names()
            )
        })?;
        crate::dependencies::from_set(&profile, set)?;
        sets.push((profile.name.clone(), set.to_string()));
    }
    Ok(sets)
}

/// User profile directories, lowest precedence first: the config dir, the config file's list,
/// CODECAGE_PROFILES, --profiles.
fn profile_dirs(config: &Config, flags: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = config::config_dir() {
        dirs.push(dir.join("codecage").join("profiles"));
    }
    dirs.extend(config.profiles.iter().cloned());
    if let Some(env) = std::env::var_os("CODECAGE_PROFILES") {
        dirs.extend(std::env::split_paths(&env));
    }
    dirs.extend(flags.iter().cloned());
    dirs
}
