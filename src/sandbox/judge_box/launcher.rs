//! The judge box's launcher: PID 1 of a box, running a submission's cases one after another, each
//! as a fresh process, and reporting on the container's own stdio.
//!
//! This file is a program of its own. `build.rs` compiles it with the bare `rustc` (std only, no
//! crates) into a static executable that codecage embeds and sends into each box, so it runs in
//! any image whatever its C library. The crate also compiles it as a module in its tests, for the
//! unit tests at the end and so fmt and clippy see it.
//!
//! Why each part is here (the threat model is in docs/security.md, "Judge boxes"):
//! - **PID 1.** A process of the container's uid can signal any other process of that uid, but
//!   the kernel drops every signal sent from inside a PID namespace to its init unless init
//!   handles it, and never delivers SIGKILL or SIGSTOP from there. The launcher handles only
//!   SIGCHLD (through a signalfd: a forged SIGCHLD just makes it look for exits that are not
//!   there). It is the reaper of every orphan, so `kill(-1, SIGKILL)` then waiting until there is
//!   no child left ends every process a case started, including ones that called `setsid` or
//!   double-forked: nothing in the box is not a descendant of PID 1.
//! - **Not dumpable.** A same-uid process may ptrace another, and read its memory and file
//!   descriptors through /proc. `PR_SET_DUMPABLE 0` makes the kernel refuse all of that, so the
//!   program cannot take over the launcher nor reach its control channel (fd 0 and 1, the
//!   container's attach stdio, which no program ever gets: a case runs on pipes of its own).
//! - **One case at a time, from a clean box.** Before a case `/work` and `/tmp` are emptied (no
//!   process is left to write into them) and `/work` is unpacked again from the copy of the
//!   workspace the launcher holds, which no program can touch.
//! - **The host measures.** CPU time and peak memory come from the box's cgroup, read by codecage
//!   on the host between the launcher's PREPARED and EXIT frames; nothing the program can write.
//!
//! The protocol: frames of `kind: u8, length: u32 BE, payload` both ways.
//! - host -> launcher: `W` the workspace (an uncompressed tar, kept for every case), `X` extra
//!   files for the next case only (a tar), `C` a case (wall limit in ms: u64, output limit in
//!   bytes: u64, argc: u32, then each argument as length: u32 and bytes), `G` go (start the
//!   program), `I` stdin bytes, `E` end of stdin, `K` kill the case.
//! - launcher -> host: `H` hello (once, at start), `P` prepared (the box is clean, the workspace
//!   unpacked, waiting for `G`), `O` stdout, `R` stderr, `Z` the case ended (see `Exit`), `F` the
//!   launcher cannot go on (a message); it then exits, and the box with it.

#![allow(dead_code)]
// Syscalls std does not offer (signalfd, prctl, kill(-1), waitpid on any child): a launcher is
// made of them.
#![allow(unsafe_code)]

use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

pub const HELLO: u8 = b'H';
pub const PREPARED: u8 = b'P';
pub const STDOUT: u8 = b'O';
pub const STDERR: u8 = b'R';
pub const EXITED: u8 = b'Z';
pub const FAILED: u8 = b'F';
pub const WORKSPACE: u8 = b'W';
pub const EXTRA: u8 = b'X';
pub const CASE: u8 = b'C';
pub const GO: u8 = b'G';
pub const INPUT: u8 = b'I';
pub const INPUT_END: u8 = b'E';
pub const KILL: u8 = b'K';

/// The largest frame either side sends or accepts (a workspace is one frame).
pub const MAX_FRAME: usize = 1 << 30;
/// The largest frame the host accepts from a box: the launcher sends output in `CHUNK`s and
/// short reports, so anything larger is not the launcher's and ends the box, whatever it holds.
pub const MAX_FRAME_FROM_BOX: usize = CHUNK + 4096;
/// Bytes per output frame.
const CHUNK: usize = 64 << 10;
/// Input held for a program that has not read it yet, past which the launcher reads no more of
/// its channel (see `Relay::backlog`).
const INPUT_BACKLOG: usize = 1 << 20;

/// Where the box's writable places are.
const WORK: &str = "/work";
const TMP: &str = "/tmp";

/// How a case ended, as the `Z` frame carries it: 1 + 8 + 8 + 1 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    /// The program's status as a shell reports it: the exit code, or 128 + the signal.
    pub status: i64,
    /// Wall time from the program's start to its end, in microseconds.
    pub wall_us: u64,
    /// Bit 0: the wall limit ended it; bit 1: the output limit; bit 2: the host's `K`.
    pub flags: u8,
}

pub const TIMED_OUT: u8 = 1;
pub const OUTPUT_EXCEEDED: u8 = 2;
pub const KILLED: u8 = 4;

impl Exit {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(17);
        out.extend_from_slice(&self.status.to_be_bytes());
        out.extend_from_slice(&self.wall_us.to_be_bytes());
        out.push(self.flags);
        out
    }

    pub fn decode(bytes: &[u8]) -> Option<Exit> {
        if bytes.len() != 17 {
            return None;
        }
        Some(Exit {
            status: i64::from_be_bytes(bytes[0..8].try_into().ok()?),
            wall_us: u64::from_be_bytes(bytes[8..16].try_into().ok()?),
            flags: bytes[16],
        })
    }
}

/// A case as the `C` frame carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub wall_ms: u64,
    pub output_limit: u64,
    pub argv: Vec<Vec<u8>>,
}

impl Case {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.wall_ms.to_be_bytes());
        out.extend_from_slice(&self.output_limit.to_be_bytes());
        out.extend_from_slice(&(self.argv.len() as u32).to_be_bytes());
        for arg in &self.argv {
            out.extend_from_slice(&(arg.len() as u32).to_be_bytes());
            out.extend_from_slice(arg);
        }
        out
    }

    pub fn decode(bytes: &[u8]) -> Option<Case> {
        let mut rest = bytes;
        let mut take = |n: usize| -> Option<&[u8]> {
            if rest.len() < n {
                return None;
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Some(head)
        };
        let wall_ms = u64::from_be_bytes(take(8)?.try_into().ok()?);
        let output_limit = u64::from_be_bytes(take(8)?.try_into().ok()?);
        let argc = u32::from_be_bytes(take(4)?.try_into().ok()?) as usize;
        let mut argv = Vec::new();
        for _ in 0..argc {
            let len = u32::from_be_bytes(take(4)?.try_into().ok()?) as usize;
            let arg = take(len)?;
            if arg.contains(&0) {
                return None;
            }
            argv.push(arg.to_vec());
        }
        if argv.is_empty() || !rest.is_empty() {
            return None;
        }
        Some(Case {
            wall_ms,
            output_limit,
            argv,
        })
    }
}

/// A frame's header.
pub fn header(kind: u8, len: usize) -> [u8; 5] {
    let mut h = [0u8; 5];
    h[0] = kind;
    h[1..].copy_from_slice(&(len as u32).to_be_bytes());
    h
}

/// Complete frames at the start of `buf`, removed from it.
pub fn take_frames(buf: &mut Vec<u8>, max: usize) -> Result<Vec<(u8, Vec<u8>)>, String> {
    let mut frames = Vec::new();
    let mut at = 0;
    while buf.len() - at >= 5 {
        let len = u32::from_be_bytes(buf[at + 1..at + 5].try_into().unwrap()) as usize;
        if len > max {
            return Err(format!("a frame of {len} bytes"));
        }
        if buf.len() - at - 5 < len {
            break;
        }
        frames.push((buf[at], buf[at + 5..at + 5 + len].to_vec()));
        at += 5 + len;
    }
    buf.drain(..at);
    Ok(frames)
}

/// A regular file of a tar: its relative path, its mode and its contents.
pub type TarFile<'a> = (String, u32, &'a [u8]);

/// The regular files of a tar (ustar or GNU, with GNU long names) as (relative path, mode,
/// contents). Anything else (links, devices, absolute or `..` names) is refused: codecage makes
/// these archives itself (`Workspace::to_tar`), so anything else is a fault.
pub fn tar_files(tar: &[u8]) -> Result<Vec<TarFile<'_>>, String> {
    let mut files = Vec::new();
    let mut at = 0;
    let mut long_name: Option<String> = None;
    while at + 512 <= tar.len() {
        let h = &tar[at..at + 512];
        if h.iter().all(|b| *b == 0) {
            break;
        }
        let field = |from: usize, len: usize| -> &[u8] {
            let f = &h[from..from + len];
            &f[..f.iter().position(|b| *b == 0).unwrap_or(len)]
        };
        let octal = |from: usize, len: usize| -> Result<u64, String> {
            let text = std::str::from_utf8(field(from, len)).map_err(|_| "a bad number")?;
            let text = text.trim_matches(|c: char| c == ' ' || c == '\0');
            if text.is_empty() {
                return Ok(0);
            }
            u64::from_str_radix(text, 8).map_err(|_| format!("a bad number {text:?}"))
        };
        let size = octal(124, 12)? as usize;
        let mode = octal(100, 8)? as u32;
        let kind = h[156];
        let body_at = at + 512;
        let padded = size.div_ceil(512) * 512;
        if body_at + size > tar.len() {
            return Err("a truncated archive".to_string());
        }
        let body = &tar[body_at..body_at + size];
        at = body_at + padded;
        match kind {
            b'L' => {
                let name = &body[..body.iter().position(|b| *b == 0).unwrap_or(body.len())];
                long_name = Some(String::from_utf8(name.to_vec()).map_err(|_| "a bad name")?);
            }
            b'0' | 0 | b'5' => {
                let name = match long_name.take() {
                    Some(name) => name,
                    None => {
                        let prefix =
                            String::from_utf8(field(345, 155).to_vec()).unwrap_or_default();
                        let name = String::from_utf8(field(0, 100).to_vec())
                            .map_err(|_| "a bad name".to_string())?;
                        if prefix.is_empty() || h[257..262] != *b"ustar" || h[262] == b' ' {
                            name
                        } else {
                            format!("{prefix}/{name}")
                        }
                    }
                };
                let name = name.trim_end_matches('/').to_string();
                if name.is_empty()
                    || name.starts_with('/')
                    || name
                        .split('/')
                        .any(|p| p.is_empty() || p == "." || p == "..")
                {
                    return Err(format!("an entry named {name:?}"));
                }
                if kind != b'5' {
                    files.push((name, mode & 0o777, body));
                }
            }
            other => return Err(format!("an entry of type {:?}", other as char)),
        }
    }
    Ok(files)
}

/// The C library calls the launcher makes that std does not offer.
mod sys {
    pub type Pid = i32;

    #[repr(C)]
    pub struct PollFd {
        pub fd: i32,
        pub events: i16,
        pub revents: i16,
    }

    /// glibc's sigset_t: 1024 bits.
    #[repr(C)]
    pub struct SigSet {
        pub bits: [u64; 16],
    }

    pub const POLLIN: i16 = 1;
    pub const POLLOUT: i16 = 4;
    pub const POLLERR: i16 = 8;
    pub const POLLHUP: i16 = 16;
    pub const SIGKILL: i32 = 9;
    pub const SIGCHLD: i32 = 17;
    pub const SIG_BLOCK: i32 = 0;
    pub const WNOHANG: i32 = 1;
    pub const PR_SET_DUMPABLE: i32 = 4;
    pub const O_CLOEXEC: i32 = 0o2000000;
    pub const O_NONBLOCK: i32 = 0o4000;
    pub const F_SETFL: i32 = 4;
    pub const F_GETFL: i32 = 3;
    pub const F_SETPIPE_SZ: i32 = 1031;
    pub const SFD_CLOEXEC: i32 = 0o2000000;
    pub const SFD_NONBLOCK: i32 = 0o4000;
    pub const ECHILD: i32 = 10;
    pub const EINTR: i32 = 4;
    pub const EAGAIN: i32 = 11;

    extern "C" {
        pub fn prctl(option: i32, arg2: u64, arg3: u64, arg4: u64, arg5: u64) -> i32;
        pub fn kill(pid: Pid, sig: i32) -> i32;
        pub fn waitpid(pid: Pid, status: *mut i32, options: i32) -> Pid;
        pub fn poll(fds: *mut PollFd, nfds: u64, timeout: i32) -> i32;
        pub fn pipe2(fds: *mut i32, flags: i32) -> i32;
        pub fn fcntl(fd: i32, cmd: i32, ...) -> i32;
        pub fn sigemptyset(set: *mut SigSet) -> i32;
        pub fn sigaddset(set: *mut SigSet, sig: i32) -> i32;
        pub fn sigprocmask(how: i32, set: *const SigSet, old: *mut SigSet) -> i32;
        pub fn signalfd(fd: i32, mask: *const SigSet, flags: i32) -> i32;
        pub fn getpid() -> Pid;
        pub fn read(fd: i32, buf: *mut u8, count: usize) -> isize;
        pub fn write(fd: i32, buf: *const u8, count: usize) -> isize;
        pub fn getrlimit(resource: i32, rlim: *mut RLimit) -> i32;
        pub fn setrlimit(resource: i32, rlim: *const RLimit) -> i32;
        pub fn getpriority(which: i32, who: u32) -> i32;
        pub fn setpriority(which: i32, who: u32, prio: i32) -> i32;
        pub fn sched_getaffinity(pid: Pid, size: usize, mask: *mut u64) -> i32;
        pub fn sched_setaffinity(pid: Pid, size: usize, mask: *const u64) -> i32;
        pub fn sched_getscheduler(pid: Pid) -> i32;
        pub fn sched_setscheduler(pid: Pid, policy: i32, param: *const i32) -> i32;
        pub fn shmctl(id: i32, cmd: i32, buf: *mut u8) -> i32;
        pub fn msgctl(id: i32, cmd: i32, buf: *mut u8) -> i32;
        pub fn semctl(id: i32, num: i32, cmd: i32, ...) -> i32;
        pub fn syscall(number: i64, ...) -> i64;
    }

    /// ioprio_get and ioprio_set, which the C library does not wrap.
    #[cfg(target_arch = "x86_64")]
    pub const IOPRIO: Option<(i64, i64)> = Some((252, 251));
    #[cfg(target_arch = "aarch64")]
    pub const IOPRIO: Option<(i64, i64)> = Some((31, 30));
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    pub const IOPRIO: Option<(i64, i64)> = None;
    pub const IOPRIO_WHO_PROCESS: i64 = 1;

    #[repr(C)]
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct RLimit {
        pub soft: u64,
        pub hard: u64,
    }

    /// RLIMIT_CPU (0) to RLIMIT_RTTIME (15).
    pub const RLIMITS: i32 = 16;
    pub const IPC_RMID: i32 = 0;
    pub const SCHED_OTHER: i32 = 0;

    pub fn errno() -> i32 {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }
}

/// The launcher's stdout, the control channel's way back: every frame whole.
struct Out;

impl Out {
    fn send(&self, kind: u8, payload: &[u8]) {
        // Straight to fd 1 (std's stdout is line-buffered): a frame is one write when it fits.
        let mut frame = Vec::with_capacity(5 + payload.len());
        frame.extend_from_slice(&header(kind, payload.len()));
        frame.extend_from_slice(payload);
        let mut rest = &frame[..];
        let mut ok = true;
        while !rest.is_empty() {
            let n = unsafe { sys::write(1, rest.as_ptr(), rest.len()) };
            if n > 0 {
                rest = &rest[n as usize..];
            } else if !(n < 0 && sys::errno() == sys::EINTR) {
                ok = false;
                break;
            }
        }
        if !ok {
            // Nobody reads any more: codecage is gone, and so is the box.
            end_everything();
            std::process::exit(1);
        }
    }

    fn fail(&self, message: &str) -> ! {
        self.send(FAILED, message.as_bytes());
        end_everything();
        std::process::exit(1)
    }
}

/// Kill every other process in the box and wait until none is left.
fn end_everything() {
    loop {
        // SAFETY: plain syscalls; -1 is every process we may signal but ourselves.
        unsafe { sys::kill(-1, sys::SIGKILL) };
        let mut status = 0;
        let pid = unsafe { sys::waitpid(-1, &mut status, 0) };
        if pid < 0 && sys::errno() == sys::ECHILD {
            return;
        }
    }
}

/// The control channel's way in: frames from stdin.
struct In {
    buf: Vec<u8>,
    frames: std::collections::VecDeque<(u8, Vec<u8>)>,
    closed: bool,
}

impl In {
    /// Read what is there (fd 0 is readable); false once the host has closed it.
    fn fill(&mut self) -> Result<(), String> {
        // Straight into the buffer's spare room: no zeroed chunk and no copy per read.
        const READ: usize = 256 << 10;
        self.buf.reserve(READ);
        let at = self.buf.len();
        // SAFETY: `reserve` made room for READ bytes past `at`; only what read() wrote is kept.
        let n = unsafe { sys::read(0, self.buf.as_mut_ptr().add(at), READ) };
        if n < 0 {
            let e = sys::errno();
            if e == sys::EINTR || e == sys::EAGAIN {
                return Ok(());
            }
            self.closed = true;
            return Ok(());
        }
        if n == 0 {
            self.closed = true;
            return Ok(());
        }
        // SAFETY: read() initialised these n bytes.
        unsafe { self.buf.set_len(at + n as usize) };
        self.frames.extend(take_frames(&mut self.buf, MAX_FRAME)?);
        // A workspace went through: give its room back, or a case's peak would count it.
        if self.buf.capacity() > 1 << 20 && self.buf.len() < self.buf.capacity() / 4 {
            self.buf.shrink_to_fit();
        }
        Ok(())
    }

    /// The next frame, waiting for it; `None` once the host has closed the channel.
    fn next(&mut self) -> Result<Option<(u8, Vec<u8>)>, String> {
        loop {
            if let Some(frame) = self.frames.pop_front() {
                return Ok(Some(frame));
            }
            if self.closed {
                return Ok(None);
            }
            let mut fds = [sys::PollFd {
                fd: 0,
                events: sys::POLLIN,
                revents: 0,
            }];
            unsafe { sys::poll(fds.as_mut_ptr(), 1, -1) };
            self.fill()?;
        }
    }
}

/// What a same-uid process can change about the launcher although it cannot trace it (resource
/// limits, nice value, CPU affinity, scheduling policy, I/O priority), and which every program it
/// starts would
/// inherit: noted at start, put back before each case, and a box whose launcher cannot be put
/// back (a lowered hard limit or a raised nice value needs a privilege to undo) is given up, so
/// that no case inherits what an earlier one did to it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attributes {
    rlimits: Vec<sys::RLimit>,
    nice: i32,
    affinity: Vec<u64>,
    policy: i32,
    io_priority: i64,
}

impl Attributes {
    fn now() -> Attributes {
        let rlimits = (0..sys::RLIMITS)
            .map(|r| {
                let mut l = sys::RLimit { soft: 0, hard: 0 };
                unsafe { sys::getrlimit(r, &mut l) };
                l
            })
            .collect();
        let mut affinity = vec![0u64; 16];
        unsafe { sys::sched_getaffinity(0, affinity.len() * 8, affinity.as_mut_ptr()) };
        Attributes {
            rlimits,
            nice: unsafe { sys::getpriority(0, 0) },
            affinity,
            policy: unsafe { sys::sched_getscheduler(0) },
            io_priority: sys::IOPRIO.map_or(0, |(get, _)| unsafe {
                sys::syscall(get, sys::IOPRIO_WHO_PROCESS, 0i64)
            }),
        }
    }

    /// Put `self` back; an error names what could not be.
    fn restore(&self) -> Result<(), String> {
        let now = Attributes::now();
        if now == *self {
            return Ok(());
        }
        for (r, limit) in self.rlimits.iter().enumerate() {
            if now.rlimits[r] != *limit {
                unsafe { sys::setrlimit(r as i32, limit) };
            }
        }
        unsafe {
            sys::sched_setaffinity(0, self.affinity.len() * 8, self.affinity.as_ptr());
            if now.policy != self.policy {
                let priority = 0i32;
                sys::sched_setscheduler(0, self.policy, &priority);
            }
            if now.nice != self.nice {
                sys::setpriority(0, 0, self.nice);
            }
            if let (Some((_, set)), true) = (sys::IOPRIO, now.io_priority != self.io_priority) {
                sys::syscall(set, sys::IOPRIO_WHO_PROCESS, 0i64, self.io_priority);
            }
        }
        let after = Attributes::now();
        if after == *self {
            Ok(())
        } else {
            Err(format!(
                "a case changed the launcher's limits or scheduling beyond repair (was {self:?}, now {after:?})"
            ))
        }
    }
}

/// Remove the System V IPC objects (shared memory, message queues, semaphores) and POSIX message
/// queues a case left: the box's IPC namespace outlives its cases, and they would carry data to
/// the next case and stay charged to its memory. They are the uid's own, so it may remove them.
fn remove_ipc() -> Result<(), String> {
    for (file, remove) in [
        ("/proc/sysvipc/shm", 0),
        ("/proc/sysvipc/msg", 1),
        ("/proc/sysvipc/sem", 2),
    ] {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let Some(id) = line.split_whitespace().nth(1).and_then(|i| i.parse().ok()) else {
                continue;
            };
            let done = unsafe {
                match remove {
                    0 => sys::shmctl(id, sys::IPC_RMID, std::ptr::null_mut()),
                    1 => sys::msgctl(id, sys::IPC_RMID, std::ptr::null_mut()),
                    _ => sys::semctl(id, 0, sys::IPC_RMID),
                }
            };
            if done != 0 {
                return Err(format!(
                    "cannot remove IPC object {id} ({file}): {}",
                    std::io::Error::last_os_error()
                ));
            }
        }
    }
    if let Ok(queues) = std::fs::read_dir("/dev/mqueue") {
        for queue in queues.flatten() {
            std::fs::remove_file(queue.path())
                .map_err(|e| format!("cannot remove message queue {:?}: {e}", queue.path()))?;
        }
    }
    Ok(())
}

/// Empty a directory without following links: everything a case left there goes. A directory the
/// program made unreadable or unwritable is its own (same uid), so it is opened up first. The walk
/// goes by changing directory with names relative to it, and lists each directory before it goes
/// down, so neither the depth of a tree nor the length of its paths can stop it (one descriptor
/// open at a time, no path longer than a name).
fn empty_dir(dir: &std::path::Path) -> std::io::Result<()> {
    std::env::set_current_dir(dir)?;
    let emptied = empty_here();
    std::env::set_current_dir("/")?;
    emptied
}

/// Empty the current directory (see `empty_dir`).
fn empty_here() -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(".")? {
        let entry = entry?;
        entries.push((entry.file_name(), entry.file_type()?.is_dir()));
    }
    for (name, is_dir) in entries {
        if is_dir {
            std::fs::set_permissions(&name, std::fs::Permissions::from_mode(0o700))?;
            std::env::set_current_dir(&name)?;
            empty_here()?;
            std::env::set_current_dir("..")?;
            std::fs::remove_dir(&name)?;
        } else {
            std::fs::remove_file(&name)?;
        }
    }
    Ok(())
}

/// Unpack regular files into `/work`, making their directories.
fn unpack(tar: &[u8]) -> Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    for (name, mode, body) in tar_files(tar)? {
        let path = std::path::Path::new(WORK).join(&name);
        if let Some(parent) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o755)
                .create(parent)
                .map_err(|e| format!("mkdir for {name}: {e}"))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&path)
            .map_err(|e| format!("create {name}: {e}"))?;
        file.write_all(body)
            .map_err(|e| format!("write {name}: {e}"))?;
    }
    Ok(())
}

/// A pipe whose one end the launcher keeps (non-blocking) and the other the program gets.
fn pipe() -> Result<(OwnedFd, OwnedFd), String> {
    let mut fds = [0i32; 2];
    if unsafe { sys::pipe2(fds.as_mut_ptr(), sys::O_CLOEXEC) } != 0 {
        return Err(format!("pipe: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: pipe2 just made both.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn nonblocking(fd: RawFd) {
    unsafe {
        let flags = sys::fcntl(fd, sys::F_GETFL);
        sys::fcntl(fd, sys::F_SETFL, flags | sys::O_NONBLOCK);
    }
}

/// The launcher's state between cases.
struct Launcher {
    out: Out,
    input: In,
    workspace: Vec<u8>,
    extra: Vec<u8>,
    sigchld: RawFd,
    /// The launcher's own limits and scheduling as it started (see `Attributes`).
    attributes: Attributes,
}

fn main() {
    if unsafe { sys::getpid() } != 1 {
        // kill(-1) anywhere but a box of its own would end every process of the user.
        eprintln!("codecage-box: not PID 1 of a sandbox; refusing to run");
        std::process::exit(2);
    }
    unsafe { sys::prctl(sys::PR_SET_DUMPABLE, 0, 0, 0, 0) };
    let mut set = sys::SigSet { bits: [0; 16] };
    let sigchld = unsafe {
        sys::sigemptyset(&mut set);
        sys::sigaddset(&mut set, sys::SIGCHLD);
        sys::sigprocmask(sys::SIG_BLOCK, &set, std::ptr::null_mut());
        sys::signalfd(-1, &set, sys::SFD_CLOEXEC | sys::SFD_NONBLOCK)
    };
    let out = Out;
    if sigchld < 0 {
        out.fail(&format!("signalfd: {}", std::io::Error::last_os_error()));
    }
    // The launcher's own file goes: the box is emptied before every case anyway.
    let _ = std::fs::remove_file(std::env::current_exe().unwrap_or_default());
    let mut launcher = Launcher {
        out,
        input: In {
            buf: Vec::new(),
            frames: Default::default(),
            closed: false,
        },
        workspace: Vec::new(),
        extra: Vec::new(),
        sigchld,
        attributes: Attributes::now(),
    };
    launcher.out.send(HELLO, &[]);
    if let Err(e) = launcher.serve() {
        launcher.out.fail(&e);
    }
    end_everything();
}

impl Launcher {
    fn serve(&mut self) -> Result<(), String> {
        while let Some((kind, payload)) = self.input.next()? {
            match kind {
                WORKSPACE => self.workspace = payload,
                EXTRA => self.extra = payload,
                CASE => {
                    let case = Case::decode(&payload).ok_or("a malformed case")?;
                    self.case(&case)?;
                }
                // Input or a kill for a case that already ended.
                INPUT | INPUT_END | KILL | GO => {}
                other => return Err(format!("an unknown frame {:?}", other as char)),
            }
        }
        Ok(())
    }

    /// Clean the box, unpack the workspace, wait for `G`, run the case, report its end.
    fn case(&mut self, case: &Case) -> Result<(), String> {
        end_everything();
        self.attributes.restore()?;
        remove_ipc()?;
        // The workspace is the uid's own: a case may have locked it (chmod 000). /tmp is root's.
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(WORK, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("opening {WORK}: {e}"))?;
        }
        for dir in [WORK, TMP] {
            empty_dir(std::path::Path::new(dir)).map_err(|e| format!("emptying {dir}: {e}"))?;
        }
        unpack(&self.workspace)?;
        unpack(&std::mem::take(&mut self.extra))?;
        // Pending SIGCHLDs of the last case are old news.
        self.drain_sigchld();
        self.out.send(PREPARED, &[]);
        // Input may arrive before G; it waits in the frame queue.
        let mut early = std::collections::VecDeque::new();
        loop {
            match self.input.next()? {
                Some((GO, _)) => break,
                Some((KILL, _)) | None => {
                    let exit = Exit {
                        status: 128 + 9,
                        wall_us: 0,
                        flags: KILLED,
                    };
                    self.out.send(EXITED, &exit.encode());
                    return Ok(());
                }
                Some(frame) => early.push_back(frame),
            }
        }
        for frame in early.into_iter().rev() {
            self.input.frames.push_front(frame);
        }
        let exit = self.run(case)?;
        self.out.send(EXITED, &exit.encode());
        Ok(())
    }

    fn drain_sigchld(&self) {
        let mut buf = [0u8; 128 * 8];
        while unsafe { sys::read(self.sigchld, buf.as_mut_ptr(), buf.len()) } > 0 {}
    }

    /// Run the program to its end, relaying its stdio; every process it started is gone after.
    fn run(&mut self, case: &Case) -> Result<Exit, String> {
        use std::os::unix::ffi::OsStrExt;
        let (stdin_r, stdin_w) = pipe()?;
        let (stdout_r, stdout_w) = pipe()?;
        let (stderr_r, stderr_w) = pipe()?;
        // Room for a burst of output, as the container-per-case pipes have.
        unsafe { sys::fcntl(stdout_w.as_raw_fd(), sys::F_SETPIPE_SZ, 1 << 20) };
        let program = std::ffi::OsStr::from_bytes(&case.argv[0]);
        let mut command = std::process::Command::new(program);
        // The command holds the program's ends of the pipes until it is dropped, right after the
        // spawn: an end kept here would keep the program's output from ever reaching its end.
        command
            .args(
                case.argv[1..]
                    .iter()
                    .map(|a| std::ffi::OsStr::from_bytes(a)),
            )
            .current_dir(WORK)
            .stdin(std::process::Stdio::from(stdin_r))
            .stdout(std::process::Stdio::from(stdout_w))
            .stderr(std::process::Stdio::from(stderr_w));
        // SAFETY: the launcher is single-threaded, so the child may allocate and write here.
        unsafe {
            command.pre_exec(|| {
                // The program, not the launcher, is what the OOM killer takes at the memory
                // limit (raising one's own score needs no privilege). The launcher's
                // non-dumpable flag came along with the fork and makes /proc/self root's: the
                // program's own process may be dumpable again (exec would make it so anyway).
                sys::prctl(sys::PR_SET_DUMPABLE, 1, 0, 0, 0);
                let _ = std::fs::write("/proc/self/oom_score_adj", "1000");
                Ok(())
            });
        }
        let started = Instant::now();
        let spawned = command.spawn();
        drop(command);
        let child = match spawned {
            Ok(child) => child,
            Err(e) => {
                // As a shell says it: no such command is 127, one that cannot be executed 126.
                // Anything else (no memory, no process left) is the box's failure, not the
                // program's: the case is run again in a fresh box.
                let status = match e.kind() {
                    std::io::ErrorKind::NotFound => 127,
                    std::io::ErrorKind::PermissionDenied => 126,
                    _ => return Err(format!("cannot start the program: {e}")),
                };
                let message = format!(
                    "codecage: cannot run {}: {e}\n",
                    String::from_utf8_lossy(&case.argv[0])
                );
                self.out.send(STDERR, message.as_bytes());
                return Ok(Exit {
                    status,
                    wall_us: 0,
                    flags: 0,
                });
            }
        };
        let pid = child.id() as i32;
        // The Child handle is not used to wait: the launcher reaps everything itself.
        std::mem::forget(child);
        let mut relay = Relay {
            stdin: Some(stdin_w),
            pending: Vec::new(),
            sent: 0,
            stdin_end: false,
            stdout: Some(stdout_r),
            stderr: Some(stderr_r),
            written: 0,
            scratch: vec![0u8; CHUNK],
            limit: case.output_limit,
            flags: 0,
        };
        for fd in [&relay.stdout, &relay.stderr].into_iter().flatten() {
            nonblocking(fd.as_raw_fd());
        }
        if let Some(fd) = &relay.stdin {
            nonblocking(fd.as_raw_fd());
        }
        let deadline = started + Duration::from_millis(case.wall_ms);
        let status = self.relay_until_exit(pid, &mut relay, deadline)?;
        let wall = started.elapsed();
        // The launcher shares the box's CPU quota: on a saturated box it may see the exit after
        // the deadline it had no turn to act on. Past the limit is past the limit.
        if wall >= Duration::from_millis(case.wall_ms) {
            relay.flags |= TIMED_OUT;
        }
        // Whatever the program started goes with it, as when a container's init child exits,
        // and so do its IPC objects (they hold memory the next case would be charged).
        end_everything();
        remove_ipc()?;
        // Every writer is gone: what the pipes still hold is read to its end.
        relay.stdin = None;
        let give_up = Instant::now() + Duration::from_secs(5);
        while relay.stdout.is_some() || relay.stderr.is_some() {
            relay.pump_output(&self.out, true);
            if Instant::now() > give_up {
                return Err("the program's output never reached its end".to_string());
            }
        }
        Ok(Exit {
            status,
            wall_us: wall.as_micros() as u64,
            flags: relay.flags,
        })
    }

    /// Relay until the program itself exits (or a limit or the host ends it); its status.
    fn relay_until_exit(
        &mut self,
        pid: i32,
        relay: &mut Relay,
        deadline: Instant,
    ) -> Result<i64, String> {
        loop {
            // Frames already read (input that came with `G`) are acted on before any wait.
            while let Some((kind, payload)) = self.input.frames.pop_front() {
                match kind {
                    INPUT => relay.pending.extend_from_slice(&payload),
                    INPUT_END => relay.stdin_end = true,
                    KILL => {
                        relay.flags |= KILLED;
                        kill_case();
                    }
                    other => return Err(format!("a {:?} frame while a case runs", other as char)),
                }
            }
            relay.pump_input();
            if let Some(status) = reap(pid) {
                return Ok(status);
            }
            let now = Instant::now();
            if now >= deadline && relay.flags & TIMED_OUT == 0 {
                relay.flags |= TIMED_OUT;
                kill_case();
            }
            let mut fds = vec![
                sys::PollFd {
                    fd: self.sigchld,
                    events: sys::POLLIN,
                    revents: 0,
                },
                sys::PollFd {
                    fd: if self.input.closed || relay.backlog() >= INPUT_BACKLOG {
                        -1
                    } else {
                        0
                    },
                    events: sys::POLLIN,
                    revents: 0,
                },
            ];
            for fd in [&relay.stdout, &relay.stderr] {
                fds.push(sys::PollFd {
                    fd: fd.as_ref().map_or(-1, |f| f.as_raw_fd()),
                    events: sys::POLLIN,
                    revents: 0,
                });
            }
            let want_write = relay.backlog() > 0;
            fds.push(sys::PollFd {
                fd: match (&relay.stdin, want_write) {
                    (Some(fd), true) => fd.as_raw_fd(),
                    _ => -1,
                },
                events: sys::POLLOUT,
                revents: 0,
            });
            let timeout = if relay.flags & TIMED_OUT != 0 {
                // Killed: the exit is on its way.
                10
            } else {
                deadline
                    .saturating_duration_since(now)
                    .as_millis()
                    .clamp(1, 1000) as i32
            };
            unsafe { sys::poll(fds.as_mut_ptr(), fds.len() as u64, timeout) };
            if fds[0].revents != 0 {
                self.drain_sigchld();
            }
            if fds[1].revents != 0 {
                self.input.fill()?;
                if self.input.closed {
                    // codecage is gone: so is everything here.
                    end_everything();
                    std::process::exit(1);
                }
            }
            relay.pump_output(&self.out, false);
            if relay.flags & OUTPUT_EXCEEDED != 0 {
                kill_case();
            }
        }
    }
}

/// End the running case: every process but the launcher.
fn kill_case() {
    unsafe { sys::kill(-1, sys::SIGKILL) };
}

/// The program's status, once it has exited; other children (orphans of the case) are reaped on
/// the way.
fn reap(pid: i32) -> Option<i64> {
    loop {
        let mut status = 0;
        let got = unsafe { sys::waitpid(-1, &mut status, sys::WNOHANG) };
        if got <= 0 {
            return None;
        }
        if got == pid {
            let signal = status & 0x7f;
            return Some(if signal == 0 {
                ((status >> 8) & 0xff) as i64
            } else {
                128 + signal as i64
            });
        }
    }
}

/// The program's stdio while it runs.
struct Relay {
    stdin: Option<OwnedFd>,
    pending: Vec<u8>,
    /// How much of `pending` the program has been given (dropped from the front now and then).
    sent: usize,
    stdin_end: bool,
    stdout: Option<OwnedFd>,
    stderr: Option<OwnedFd>,
    written: u64,
    /// Where output is read into (one buffer per case, not one per read).
    scratch: Vec<u8>,
    limit: u64,
    flags: u8,
}

impl Relay {
    /// Forward what the program wrote, up to the output limit. `to_end`: the writers are gone,
    /// read until end of file.
    fn pump_output(&mut self, out: &Out, to_end: bool) {
        let mut buf = std::mem::take(&mut self.scratch);
        for (which, kind) in [(0, STDOUT), (1, STDERR)] {
            loop {
                let slot = if which == 0 {
                    &mut self.stdout
                } else {
                    &mut self.stderr
                };
                let Some(fd) = slot else { break };
                let n = unsafe { sys::read(fd.as_raw_fd(), buf.as_mut_ptr(), buf.len()) };
                if n == 0 || (n < 0 && sys::errno() != sys::EAGAIN && sys::errno() != sys::EINTR) {
                    *slot = None;
                    break;
                }
                if n < 0 {
                    if to_end && sys::errno() == sys::EAGAIN {
                        // No writer can be left, but a last one may still be exiting.
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    break;
                }
                let n = n as u64;
                let room = self.limit.saturating_sub(self.written);
                if n > room {
                    self.flags |= OUTPUT_EXCEEDED;
                }
                let forward = n.min(room) as usize;
                if forward > 0 {
                    out.send(kind, &buf[..forward]);
                }
                self.written += forward as u64;
                if self.flags & OUTPUT_EXCEEDED != 0 {
                    // Nothing more is forwarded; the pipes are drained so nothing waits on them.
                    if !to_end {
                        break;
                    }
                }
            }
        }
        self.scratch = buf;
    }

    /// Write pending input to the program; close its stdin once all of it went after `E`.
    fn pump_input(&mut self) {
        let Some(fd) = &self.stdin else {
            self.pending.clear();
            self.sent = 0;
            return;
        };
        while self.sent < self.pending.len() {
            let rest = &self.pending[self.sent..];
            let n = unsafe { sys::write(fd.as_raw_fd(), rest.as_ptr(), rest.len().min(1 << 20)) };
            if n > 0 {
                self.sent += n as usize;
            } else if n < 0 && sys::errno() == sys::EAGAIN {
                break;
            } else {
                // The program closed its stdin: what it no longer reads is dropped.
                self.stdin = None;
                self.pending.clear();
                self.sent = 0;
                return;
            }
        }
        // Drop what went, once it is worth a copy (never a copy per write).
        if self.sent == self.pending.len() {
            self.pending.clear();
            self.sent = 0;
        } else if self.sent > 1 << 20 {
            self.pending.drain(..self.sent);
            self.sent = 0;
        }
        if self.pending.is_empty() && self.stdin_end {
            self.stdin = None;
        }
    }

    /// Input waiting for the program: past `INPUT_BACKLOG`, the launcher stops reading its
    /// channel until the program catches up, so a case's input is never all in the launcher's
    /// memory (charged to the case) at once.
    fn backlog(&self) -> usize {
        self.pending.len() - self.sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_wait_for_their_end() {
        let mut buf = Vec::new();
        buf.extend_from_slice(&header(CASE, 3));
        buf.extend_from_slice(b"abc");
        buf.extend_from_slice(&header(GO, 0));
        buf.extend_from_slice(&header(INPUT, 10));
        buf.extend_from_slice(b"12345");
        let frames = take_frames(&mut buf, MAX_FRAME).unwrap();
        assert_eq!(frames, vec![(CASE, b"abc".to_vec()), (GO, vec![])]);
        assert_eq!(buf.len(), 10);
        buf.extend_from_slice(b"67890");
        assert_eq!(
            take_frames(&mut buf, MAX_FRAME).unwrap(),
            vec![(INPUT, b"1234567890".to_vec())]
        );
        assert!(buf.is_empty());
        let mut huge = header(INPUT, MAX_FRAME + 1).to_vec();
        assert!(take_frames(&mut huge, MAX_FRAME).is_err());
        // What the host takes from a box is bounded far lower: an output chunk and a header.
        let mut big = header(STDOUT, MAX_FRAME_FROM_BOX + 1).to_vec();
        assert!(take_frames(&mut big, MAX_FRAME_FROM_BOX).is_err());
    }

    #[test]
    fn cases_and_exits_round_trip() {
        let case = Case {
            wall_ms: 2500,
            output_limit: 1 << 20,
            argv: vec![b"./a.out".to_vec(), "ü 'x'".as_bytes().to_vec(), vec![]],
        };
        assert_eq!(Case::decode(&case.encode()), Some(case.clone()));
        let mut bad = case.encode();
        bad.push(0);
        assert_eq!(Case::decode(&bad), None);
        assert_eq!(Case::decode(&case.encode()[..10]), None);
        let exit = Exit {
            status: 137,
            wall_us: 12_345,
            flags: TIMED_OUT | KILLED,
        };
        assert_eq!(Exit::decode(&exit.encode()), Some(exit));
    }

    #[test]
    fn the_tar_reader_takes_what_workspaces_are_made_of() {
        let mut builder = tar_crate_builder();
        let long = format!("{}/main.py", "d".repeat(120));
        for (name, body, mode) in [
            ("a.out", &b"\x7fELF"[..], 0o755),
            ("src/x.txt", b"hi", 0o644),
            (long.as_str(), b"print(1)", 0o644),
        ] {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(tar::EntryType::Regular);
            h.set_size(body.len() as u64);
            h.set_mode(mode);
            builder.append_data(&mut h, name, body).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let files = tar_files(&tar).unwrap();
        let names: Vec<(&str, u32, &[u8])> =
            files.iter().map(|(n, m, b)| (n.as_str(), *m, *b)).collect();
        assert_eq!(
            names,
            vec![
                ("a.out", 0o755, &b"\x7fELF"[..]),
                ("src/x.txt", 0o644, b"hi"),
                (long.as_str(), 0o644, b"print(1)"),
            ]
        );
        assert!(tar_files(&[]).unwrap().is_empty());
    }

    #[test]
    fn the_tar_reader_refuses_links_and_escapes() {
        let mut builder = tar_crate_builder();
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        builder.append_link(&mut h, "evil", "/etc/passwd").unwrap();
        let tar = builder.into_inner().unwrap();
        assert!(tar_files(&tar).unwrap_err().contains("type"));
        // A name with `..` (written by hand: the tar crate refuses to).
        let mut raw = vec![0u8; 1024 + 512];
        raw[..6].copy_from_slice(b"../x\0\0");
        raw[100..108].copy_from_slice(b"0000644\0");
        raw[124..136].copy_from_slice(b"00000000000\0");
        raw[156] = b'0';
        assert!(tar_files(&raw).unwrap_err().contains(".."));
        // A header whose body is not all there.
        raw[124..136].copy_from_slice(b"00000001000\0");
        raw[..6].copy_from_slice(b"x\0\0\0\0\0");
        assert!(tar_files(&raw[..700]).unwrap_err().contains("truncated"));
    }

    fn tar_crate_builder() -> tar::Builder<Vec<u8>> {
        tar::Builder::new(Vec::new())
    }
}
