//! The few pipe system calls std lacks (the only unsafe code besides the judge box launcher).
//!
//! Larger pipe buffers for streaming: a pipe holds 64 KiB by default, so a program streaming
//! through codecage would make it (and its neighbours in the shell pipeline) wake up sixteen times
//! per MiB; 1 MiB buffers cut the wake-ups and system calls per byte. And named pipes, which carry
//! a sandbox's stdio when the engine runs on this machine (see `sandbox/fifo.rs`).

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The size asked for; the kernel caps it at /proc/sys/fs/pipe-max-size (1 MiB by default).
const PIPE_SIZE: libc::c_int = 1 << 20;

/// Enlarge the pipe behind `fd`, if it is one. Anything else (a terminal, a file) is left alone,
/// and failure only means the default size stays.
#[allow(unsafe_code)]
pub fn enlarge(fd: libc::c_int) {
    // SAFETY: fcntl with F_GETPIPE_SZ/F_SETPIPE_SZ takes an int argument and touches no memory
    // of ours; on an fd that is not a pipe it fails with EBADF, which we ignore.
    unsafe {
        if libc::fcntl(fd, libc::F_GETPIPE_SZ) >= 0 {
            libc::fcntl(fd, libc::F_SETPIPE_SZ, PIPE_SIZE);
        }
    }
}

/// Create a named pipe at `path` with exactly `mode` (the umask is not applied: callers chmod).
#[allow(unsafe_code)]
pub fn make_fifo(path: &Path, mode: u32) -> io::Result<()> {
    let c_path = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in a FIFO path"))?;
    // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call; mkfifo reads it
    // and touches no other memory of ours.
    if unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) } != 0 {
        return Err(io::Error::last_os_error());
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}
