//! codecage's core: everything needed to run untrusted code in a hardened, disposable container
//! and to judge it, with no command line and no HTTP in it. The binary (`main.rs`: the command
//! line in `cli`, one file per subcommand in `commands`, the HTTP and WebSocket front end in
//! `server`) sits on top; data flows one way: request -> plan -> prepare -> sandbox -> outcome ->
//! verdict -> report.

// What a run is.
pub mod config;
pub mod dirs;
pub mod limits;
pub mod plan;
pub mod plan_error;
pub mod profile;
pub mod units;
pub mod workspace;
mod yaml;

// Getting a program ready to run: images, dependencies, the compile step.
pub mod compile;
pub mod compile_cache;
pub mod compile_choice;
pub mod dependencies;
pub mod docker;
pub mod engine_unreachable;
pub mod image;
pub mod prepare;
pub mod progress;

// Running it: the one container lifecycle, and starting it for the front ends.
pub mod launch;
pub mod pipe;
pub mod sandbox;
pub mod sandbox_user;
pub mod spans;

// What came of it.
pub mod escape;
pub mod exit_code;
pub mod grade;
pub mod verdict;

// What the front ends say to each other (the CLI to a server, an API node to a worker).
pub mod wire;
