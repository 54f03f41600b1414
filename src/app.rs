//! The real entry point: dispatch a parsed command line and turn every failure into a one-line
//! message and an exit code: 66 for dependencies, 69 for an engine that is unavailable (whatever
//! the subcommand), 125 for the rest.

use std::path::PathBuf;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, Command, ImagesCommand};
use crate::commands;
use crate::output::{print_stdout, Verbosity};
use crate::server;
use codecage::config::{self, Config};
use codecage::engine_unreachable::START_HINT;
use codecage::exit_code;
use codecage::profile::Profiles;

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
            let code = match e.downcast_ref::<codecage::dependencies::DependencyError>() {
                Some(failed) => {
                    // The installer's own words first: they say which package and why.
                    for line in failed.output.iter().rev().take(25).rev() {
                        eprintln!("  {}", codecage::escape::line(line));
                    }
                    exit_code::DEPENDENCY_ERROR
                }
                None if codecage::sandbox::engine_unavailable(&e) => exit_code::ENGINE_UNAVAILABLE,
                None => exit_code::CODECAGE_ERROR,
            };
            // Errors quote untrusted text (file and case names, an installer's words): escaped,
            // on one line.
            let mut message = format!("{e:#}").replace('\n', " ");
            // An engine lost mid-run says so without the remedy a failed connect gives.
            if code == exit_code::ENGINE_UNAVAILABLE && !message.contains(START_HINT) {
                message = format!("{message}; {START_HINT}");
            }
            eprintln!("codecage: {}", codecage::escape::line(&message));
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
        Command::Run(args) if args.server.is_none() => {
            Some(tokio::spawn(codecage::docker::connect()))
        }
        _ => None,
    };
    let config = config::load(cli.config.as_deref())?;
    let runtime = cli.runtime.as_deref().or(config.runtime.as_deref());
    let profiles =
        Profiles::load(&profile_dirs(&config, &cli.profile_dirs))?.with_runtime(runtime)?;
    match command {
        Command::Run(args) => {
            commands::run::run(&args, &profiles, &config, verbosity, engine).await
        }
        Command::Test(args) => {
            commands::test::run(&args, &profiles, &config, verbosity == Verbosity::Verbose).await
        }
        Command::Verify(args) => {
            commands::verify::run(&args, &profiles, &config, verbosity == Verbosity::Verbose).await
        }
        Command::Serve(args) => server::command::run(&args, &profiles, &config).await,
        Command::Worker(args) => server::command::work(&args, &profiles, &config).await,
        Command::Cache { command } => commands::cache::run(&config, command),
        Command::Languages => {
            let docker = codecage::docker::connect().await.ok();
            let verbose = verbosity == Verbosity::Verbose;
            commands::languages::run(docker.as_ref(), &profiles, &config, verbose).await
        }
        Command::Images { command } => {
            let docker = codecage::docker::connect().await?;
            match command {
                ImagesCommand::Build { languages } => {
                    commands::images::build(&docker, &profiles, &languages, verbosity).await
                }
                ImagesCommand::List => commands::images::list(&docker, &profiles).await,
                ImagesCommand::Bootstrap => commands::images::bootstrap(&docker).await,
                ImagesCommand::Prune { unused_for, all } => {
                    let unused_for = match (all, unused_for) {
                        (true, _) => None,
                        (false, d) => {
                            Some(codecage::units::parse_age(d.as_deref().unwrap_or("7d"))?)
                        }
                    };
                    commands::images::prune(&docker, &profiles, unused_for, verbosity).await
                }
            }
        }
        Command::Doctor => commands::doctor::run(&profiles, runtime).await,
        Command::Gc { all } => {
            let docker = codecage::docker::connect().await?;
            commands::gc::run(&docker, all).await
        }
        Command::Completions { .. } | Command::Man => unreachable!("handled above"),
    }
}

/// `--version`; with `-v` also the engine and the API version negotiated with it.
async fn version(verbosity: Verbosity) -> Result<u8> {
    print_stdout(&format!("codecage {}\n", env!("CARGO_PKG_VERSION")))?;
    if verbosity == Verbosity::Verbose {
        let docker = codecage::docker::connect().await?;
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

/// User profile directories, lowest precedence first: the config dir, the config file's list,
/// CODECAGE_PROFILES, --profiles.
fn profile_dirs(config: &Config, flags: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = codecage::dirs::config_dir() {
        dirs.push(dir.join("codecage").join("profiles"));
    }
    dirs.extend(config.profiles.iter().cloned());
    if let Some(env) = std::env::var_os("CODECAGE_PROFILES") {
        dirs.extend(std::env::split_paths(&env));
    }
    dirs.extend(flags.iter().cloned());
    dirs
}
