//! This process's own stdio, terminal size and signals, as a sandbox sees them: our stdin as
//! input events, window resizes, SIGINT/SIGTERM/SIGHUP as a cancellation, and our stdout/stderr
//! as an output sink. Shared by a local run and a run through a server.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::terminal;
use codecage::sandbox::{Input, OutputSink};

/// This process's stdout and stderr, written through as output arrives.
pub struct Stdio {
    /// Our stdout without Rust's line buffering: output arrives in chunks already, and the line
    /// writer would split each at its last newline into two writes.
    stdout: Option<std::fs::File>,
}

impl Stdio {
    pub fn new() -> Stdio {
        use std::os::fd::AsFd;
        let stdout = std::io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .ok()
            .map(std::fs::File::from);
        Stdio { stdout }
    }
}

impl Default for Stdio {
    fn default() -> Stdio {
        Stdio::new()
    }
}

impl OutputSink for Stdio {
    fn stdout(&mut self, data: &[u8]) -> std::io::Result<()> {
        if let Some(file) = self.stdout.as_mut() {
            return file.write_all(data);
        }
        let mut out = std::io::stdout().lock();
        out.write_all(data)?;
        out.flush()
    }
    fn stderr(&mut self, data: &[u8]) -> std::io::Result<()> {
        let mut err = std::io::stderr().lock();
        err.write_all(data)?;
        err.flush()
    }
}

pub async fn pump_stdin(tx: mpsc::Sender<Input>) {
    // A plain thread doing large blocking reads: tokio's stdin hands every read to the blocking
    // pool, and a pipe's default 64 KiB buffer would wake us sixteen times per MiB streamed.
    let spawned = std::thread::Builder::new()
        .name("stdin".into())
        .spawn(move || {
            codecage::pipe::enlarge(0);
            let mut stdin = std::io::stdin().lock();
            let mut buf = vec![0u8; STDIN_CHUNK];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if tx.blocking_send(Input::Data(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
            let _ = tx.blocking_send(Input::Eof);
        });
    if spawned.is_err() {
        eprintln!("codecage: cannot start the stdin reader thread");
    }
}

/// Largest read from our stdin: big enough that a stream costs few system calls, small enough
/// that the chunks in flight keep codecage's footprint small.
const STDIN_CHUNK: usize = 256 << 10;

pub async fn watch_resize(tx: mpsc::Sender<Input>) {
    let Ok(mut winch) = signal(SignalKind::window_change()) else {
        return;
    };
    while winch.recv().await.is_some() {
        if let Some((cols, rows)) = terminal::size() {
            if tx.send(Input::Resize { cols, rows }).await.is_err() {
                return;
            }
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP stop the run (the container is killed and removed), and codecage
/// exits with 128 + the signal.
pub async fn watch_signals(cancel: CancellationToken, which: Arc<AtomicI32>) {
    let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return;
    };
    let number = tokio::select! {
        _ = int.recv() => libc::SIGINT,
        _ = term.recv() => libc::SIGTERM,
        _ = hup.recv() => libc::SIGHUP,
    };
    which.store(number, Ordering::SeqCst);
    cancel.cancel();
}

/// The signal that made `watch_signals` cancel the run, if one did.
pub fn interrupted_by(which: &AtomicI32) -> Option<i32> {
    match which.load(Ordering::SeqCst) {
        0 => None,
        n => Some(n),
    }
}
