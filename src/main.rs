//! codecage: run untrusted code in hardened, disposable Docker containers. The command-line and
//! HTTP front ends; the core they share is the library (`lib.rs`).

mod app;
mod cli;
mod commands;
mod console;
#[cfg(test)]
mod fuzz;
mod http_client;
mod output;
mod server;
mod terminal;

use std::process::ExitCode;

use codecage::exit_code;

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
