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
//! With FIFO stdio the program does not read the stdin FIFO itself but an anonymous pipe that a
//! `cat` of the FIFO feeds: a program that reopens `/dev/stdin` by name (Node's
//! `readFileSync('/dev/stdin')`, Python's `open('/dev/stdin')`) opens the file fd 0 is, and a
//! FIFO whose writer (codecage) has closed makes that open wait for a new writer for ever, where
//! a pipe opens at once and reads what is left, as under `docker run -i`. The `cat` is started in
//! the background by a pipeline element that exits at once, so it is init's orphan, not the
//! program's child (a program counting or waiting for its children sees only its own), and the
//! shell waits only for the program: when it ends the shell exits with its status, init follows
//! and the namespace takes the `cat` with it, whatever the input's writer is still doing. No
//! process substitution and no `wait $!`: an earlier feeder built on bash's process substitution
//! hung about one run in 300. The program then is the shell's child rather than its replacement,
//! so a signal sent to the container reaches the shell, not the program: sessions, whose clients
//! send signals, keep the FIFO itself (`Mode::Signalled`), as do TTY runs and compiles. The shell's
//! own stderr is `/dev/null` meanwhile: it reports a child killed by a signal ("Killed"), which
//! is not the program's output.
//!
//! A background killer is the deadline backstop: if codecage itself dies (even by SIGKILL), the
//! program still ends at the deadline, and the container (auto-remove) disappears with it. `kill $$`
//! hits init's child (the program, or the shell waiting for it); once init's child is gone, the
//! whole PID namespace goes with it.

/// Printed by the shim once it is ready for the workspace: in TTY mode when the TTY is raw, with
/// FIFO stdio when it holds all three FIFOs.
pub const READY: &[u8] = b"\x1b]codecage-ready\x07";

/// The argv of a sandbox started before its program was known (the warm pool): the program's
/// argv arrives with the workspace, in `ARGV_FILE`, shell-quoted by `quote_argv`, and the shim
/// reads and removes it before anything untrusted runs.
pub const ARGV_IN_WORKSPACE: &str = "--codecage-argv-in-workspace";

/// See `ARGV_IN_WORKSPACE`. A backslash is in no name a workspace accepts
/// (`workspace::validate_name`), so no file of the program's can stand in for this one.
pub const ARGV_FILE: &str = ".codecage\\argv";

/// `argv` as one line `eval "set -- LINE"` turns back into the same words: each word in single
/// quotes, a quote as `'\''`. Nothing in it is expanded. `None` for a NUL byte, which no argv
/// can hold.
pub fn quote_argv(argv: &[String]) -> Option<String> {
    if argv.iter().any(|a| a.contains('\0')) {
        return None;
    }
    let words: Vec<String> = argv
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    Some(words.join(" "))
}

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
if [ "$1" = --codecage-argv-in-workspace ]; then
  eval "set -- $(cat '/work/.codecage\argv')" && rm -f '/work/.codecage\argv' || exit 126
fi
(trap '' HUP INT QUIT TSTP TTIN TTOU; sleep "$backstop"; kill -s KILL $$) </dev/null >/dev/null 2>&1 &
if [ "$mode" = compile ]; then
  "$@" >&2 || exit
  exec tar -c -f - .
fi
if [ "$mode" = run ] && [ "$io" != attach ]; then
  exec 3<&0 0</dev/null 4>&2 2>/dev/null
  { cat <&3 3<&- 4>&- & } | "$@" 3<&- 2>&4 4>&-
  exit
fi
exec "$@"
"#;

/// How the shim runs the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run the program with stdin/stdout/stderr as pipes.
    Run,
    /// As `Run`, for a caller that sends the program signals: the program replaces the shim
    /// (so the signals reach it) and reads the stdin FIFO itself.
    Signalled,
    /// Run the program on a TTY.
    Tty,
    /// Run a compiler (its output goes to stderr), then write the workspace as a tar on stdout.
    Compile,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Run => "run",
            Mode::Signalled => "signalled",
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
