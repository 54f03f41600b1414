//! codecage's own output to the user (never the program's): how chatty to be, and stdout that tolerates a reader going away.

use anyhow::Result;

/// How chatty codecage itself is (never the program's output).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Print to stdout. A reader that went away (`codecage languages | head -1`) is not an error:
/// codecage stops quietly, as Unix tools do.
pub fn print_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
