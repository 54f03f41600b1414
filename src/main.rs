//! codecage: run untrusted code in hardened, disposable Docker containers.

mod app;
mod cli;
mod commands;
mod compile;
mod config;
mod console;
mod dependencies;
mod docker;
mod exit_code;
#[cfg(test)]
mod fuzz;
mod grade;
mod image;
mod launch;
mod limits;
mod output;
mod pipe;
mod plan;
mod prepare;
mod profile;
mod progress;
mod sandbox;
mod sandbox_user;
mod server;
mod terminal;
mod units;
mod verdict;
mod workspace;
mod yaml;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with success; usage errors are codecage errors (125).
            let code = if e.use_stderr() {
                exit_code::CODECAGE_ERROR
            } else {
                exit_code::SUCCESS
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(app::run(cli))
}
