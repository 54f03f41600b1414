//! The real entry point: dispatch a parsed command line and turn every failure into a one-line
//! message and an exit code.

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{Cli, Command, ImagesCommand};
use crate::commands;
use crate::exit_code;
use crate::limits::Limits;
use crate::plan::RunPlan;
use crate::profile::Profiles;

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
            let message = format!("{e:#}").replace('\n', " ");
            eprintln!("codecage: {message}");
            exit_code::CODECAGE_ERROR
        }
    }
}

async fn dispatch(cli: Cli) -> Result<u8> {
    let profiles = Profiles::load(&profile_dirs(&cli.profile_dirs))?;
    match cli.command {
        Command::Run(args) => {
            let plan = RunPlan::new(&args, &profiles, Limits::run_defaults())?;
            let docker = crate::docker::connect().await?;
            commands::run::run(&docker, plan, cli.verbose).await
        }
        Command::Test(args) => commands::test::run(&args, &profiles).await,
        Command::Languages => {
            let docker = crate::docker::connect().await.ok();
            commands::languages::run(docker.as_ref(), &profiles).await
        }
        Command::Images { command } => {
            let docker = crate::docker::connect().await?;
            match command {
                ImagesCommand::Build { languages } => {
                    commands::images::build(&docker, &profiles, &languages, cli.verbose).await
                }
                ImagesCommand::List => commands::images::list(&docker, &profiles).await,
            }
        }
        Command::Gc { all } => {
            let docker = crate::docker::connect().await?;
            commands::gc::run(&docker, all).await
        }
    }
}

/// User profile directories, lowest precedence first: the config dir, CODECAGE_PROFILES, --profiles.
fn profile_dirs(flags: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    if let Some(config) = config {
        dirs.push(config.join("codecage").join("profiles"));
    }
    if let Some(env) = std::env::var_os("CODECAGE_PROFILES") {
        dirs.extend(std::env::split_paths(&env));
    }
    dirs.extend(flags.iter().cloned());
    dirs
}
