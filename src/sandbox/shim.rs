//! The trusted launcher every sandbox starts with, before any untrusted code.
//!
//! The workspace arrives on stdin as `<size>\n<uncompressed tar>`, which is ~30 ms cheaper than the
//! archive endpoint and works with a plain tmpfs (the archive endpoint cannot write into a tmpfs
//! under a read-only root, see docs/engine-facts.md). GNU `head -c` never reads past the tar, so
//! the program gets the rest of stdin untouched. On a TTY the line discipline would mangle binary
//! tar data, so the shim switches the TTY to raw first and says so with a marker codecage strips.
//! With FIFO stdio (`fifo.rs`) the workspace has a FIFO of its own, so tar reads it to its end
//! (no size line, no `head`: one process fewer before the program starts), or is a single file
//! already mounted in `/work` (no process at all). The shim opens all the
//! FIFOs first and prints the same marker, which tells codecage it may close them without losing
//! what the pipes hold. Each FIFO is first opened read-write, which never waits for the other
//! side, and then one-way, with the read-write descriptor dropped: a codecage that died before
//! the shim got there (a server killed while filling its pool) cannot leave the shim blocked in
//! open() for ever. The shim then reads an empty workspace, or dies writing its marker to a pipe
//! nobody reads, and the container goes.
//!
//! A background killer is the deadline backstop: if codecage itself dies (even by SIGKILL), the
//! program still ends at the deadline, and the container (auto-remove) disappears with it. The
//! program keeps the shim's PID (`exec`), so `kill $$` hits it; once init's child is gone, the
//! whole PID namespace goes with it.

/// Printed by the shim once it is ready for the workspace: in TTY mode when the TTY is raw, with
/// FIFO stdio when it holds all three FIFOs.
pub const READY: &[u8] = b"\x1b]codecage-ready\x07";

/// `sh -c SCRIPT codecage-shim MODE IO BACKSTOP_SECONDS ARGV...`
pub const SCRIPT: &str = r#"mode=$1 io=$2 backstop=$3; shift 3
if [ "$io" = attach ]; then
  if [ "$mode" = tty ]; then
    saved=$(stty -g) && stty raw -echo -iexten && printf '\033]codecage-ready\007' || exit 126
  fi
  IFS= read -r size || exit 126
  head -c "$size" | tar -x -f - -C /work || exit 126
  if [ "$mode" = tty ]; then stty "$saved"; fi
else
  if [ "$io" = fifo ]; then exec 5<>/run/codecage/workspace 3</run/codecage/workspace 5>&- || exit 126; fi
  exec 5<>/run/codecage/stdin 0</run/codecage/stdin 5>&- \
    5<>/run/codecage/stdout 1>/run/codecage/stdout 5>&- \
    5<>/run/codecage/stderr 2>/run/codecage/stderr 5>&- || exit 126
  printf '\033]codecage-ready\007'
  if [ "$io" = fifo ]; then tar -x -f - -C /work <&3 || exit 126; exec 3<&-; fi
fi
(trap '' HUP INT QUIT TSTP TTIN TTOU; sleep "$backstop"; kill -s KILL $$) </dev/null >/dev/null 2>&1 &
if [ "$mode" = compile ]; then
  "$@" >&2 || exit
  exec tar -c -f - .
fi
exec "$@"
"#;

/// How the shim runs the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run the program with stdin/stdout/stderr as pipes.
    Run,
    /// Run the program on a TTY.
    Tty,
    /// Run a compiler (its output goes to stderr), then write the workspace as a tar on stdout.
    Compile,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Run => "run",
            Mode::Tty => "tty",
            Mode::Compile => "compile",
        }
    }
}

/// How stdio and the workspace travel (see `fifo.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    /// Through attach: the workspace ahead of the input on stdin.
    Attach,
    /// stdio and the workspace on FIFOs mounted under `/run/codecage`.
    Fifo,
    /// stdio on FIFOs; the workspace is one file, already mounted in `/work`.
    Mounted,
}

/// The container command for this mode, transport, backstop and argv.
pub fn command(mode: Mode, io: Io, backstop_secs: u64, argv: &[String]) -> Vec<String> {
    let mut cmd = vec![
        "sh".to_string(),
        "-c".to_string(),
        SCRIPT.to_string(),
        "codecage-shim".to_string(),
        mode.word().to_string(),
        match io {
            Io::Attach => "attach",
            Io::Fifo => "fifo",
            Io::Mounted => "mounted",
        }
        .to_string(),
        backstop_secs.to_string(),
    ];
    cmd.extend(argv.iter().cloned());
    cmd
}
