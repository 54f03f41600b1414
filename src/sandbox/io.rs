//! How a front end talks to a running sandbox: input events in, output chunks out.

use std::io;

use tokio::sync::mpsc;

/// Something for the program: bytes on stdin, end of input, a new TTY size or a signal.
#[derive(Debug, Clone)]
pub enum Input {
    Data(Vec<u8>),
    Eof,
    Resize { cols: u16, rows: u16 },
    Signal(Signal),
}

/// The signals a client may send to a program (never an arbitrary number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
    Kill,
    Quit,
    Hup,
    Usr1,
    Usr2,
}

impl Signal {
    pub fn parse(name: &str) -> Option<Signal> {
        Some(match name.trim_start_matches("SIG") {
            "INT" => Signal::Int,
            "TERM" => Signal::Term,
            "KILL" => Signal::Kill,
            "QUIT" => Signal::Quit,
            "HUP" => Signal::Hup,
            "USR1" => Signal::Usr1,
            "USR2" => Signal::Usr2,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
            Signal::Kill => "SIGKILL",
            Signal::Quit => "SIGQUIT",
            Signal::Hup => "SIGHUP",
            Signal::Usr1 => "SIGUSR1",
            Signal::Usr2 => "SIGUSR2",
        }
    }
}

/// Where the program's output goes. Errors stop the run (the consumer went away).
pub trait OutputSink: Send {
    fn stdout(&mut self, data: &[u8]) -> io::Result<()>;
    fn stderr(&mut self, data: &[u8]) -> io::Result<()>;
}

/// A channel of input that delivers `bytes` and then end of input.
pub fn fixed_input(bytes: Vec<u8>) -> mpsc::Receiver<Input> {
    let (tx, rx) = mpsc::channel(2);
    // Capacity 2 holds both messages, so this never waits.
    let _ = tx.try_send(Input::Data(bytes));
    let _ = tx.try_send(Input::Eof);
    rx
}

/// Collects stdout in memory up to the run's output limit (enforced by the sandbox), and passes
/// stderr to another sink. Used for compile steps, whose stdout is the artifact tar.
pub struct CaptureStdout<'a> {
    pub stdout: Vec<u8>,
    pub stderr: &'a mut dyn OutputSink,
}

impl OutputSink for CaptureStdout<'_> {
    fn stdout(&mut self, data: &[u8]) -> io::Result<()> {
        self.stdout.extend_from_slice(data);
        Ok(())
    }
    fn stderr(&mut self, data: &[u8]) -> io::Result<()> {
        self.stderr.stderr(data)
    }
}

/// Keeps all output in memory, interleaved in arrival order and per stream (bounded by the run's
/// output limit). The one collecting sink for batch runs, grading and diagnostics.
#[derive(Debug, Default)]
pub struct Collected {
    pub output: Vec<u8>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl OutputSink for Collected {
    fn stdout(&mut self, data: &[u8]) -> io::Result<()> {
        self.output.extend_from_slice(data);
        self.stdout.extend_from_slice(data);
        Ok(())
    }
    fn stderr(&mut self, data: &[u8]) -> io::Result<()> {
        self.output.extend_from_slice(data);
        self.stderr.extend_from_slice(data);
        Ok(())
    }
}
