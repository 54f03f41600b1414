//! Larger pipe buffers for streaming. A pipe holds 64 KiB by default, so a program streaming
//! through codecage would make it (and its neighbours in the shell pipeline) wake up sixteen times
//! per MiB; 1 MiB buffers cut the wake-ups and system calls per byte.

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
