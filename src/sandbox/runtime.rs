//! What the OCI runtime changes about a sandbox. Docker's default runtime (runc) shares the host
//! kernel behind namespaces and seccomp; gVisor's `runsc` puts a user-space kernel (the Sentry)
//! between the program and the host, and that changes three things codecage relies on, each
//! verified with Debian's runsc 0.0~20221219 (ptrace platform) on Docker 20.10, cgroup v1:
//!
//! - **No FIFO stdio.** gVisor refuses to bind-mount a host FIFO at start (`mount submount
//!   "/run/codecage/stdin" ... operation not permitted`; only `--host-fifo=open` in the runtime's
//!   arguments would allow it, and we do not require a particular registration). The program's
//!   stdio goes through attach, and the workspace with it.
//! - **The host pids cgroup counts the Sentry, not the program.** The Sentry's own threads (~40
//!   at rest) and a stub process per guest address space are all in the container's cgroup,
//!   and when the Sentry cannot make a thread the Go runtime aborts the whole sandbox with exit
//!   status 2 and no output: the pids limit of 64 alone made a Python hello world exit 2. So the
//!   program's process count is bounded where gVisor counts it, by `RLIMIT_NPROC` inside the
//!   sandbox: gVisor is a kernel of its own, so the limit is per sandbox and not per host uid
//!   (the reason runc sandboxes cannot use it). The host pids limit stays, as a backstop for
//!   the host, well above what the Sentry needs for the program's processes.
//! - **The program has no seccomp filter of its own** (`Seccomp: 0`): its system calls go to the
//!   Sentry, and the Sentry runs under gVisor's own seccomp filter on the host. runsc's
//!   `--oci-seccomp` would load Docker's profile inside too, but this gVisor then answers clone3
//!   with EPERM instead of the profile's ENOSYS, and glibc 2.41's posix_spawn (Python's
//!   subprocess, gcc starting cc1) fails instead of falling back to clone.
//!
//! - **An OOM kill ends the whole sandbox** (the host's OOM killer sees the Sentry, which holds all
//!   of the sandbox's memory), and Docker's `oom` report of it was lost in one run out of a
//!   few under load: the memory limit is then enforced at the run's parent cgroup and codecage
//!   looks for the kill itself (`accounting.rs`), as for Podman.
//!
//! The runtime is known by the name it is registered under: `runsc`, or any name containing
//! `runsc` or `gvisor` (e.g. `runsc-kvm`).

/// How a runtime isolates the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// Namespaces, cgroups and seccomp on the host kernel (runc, crun: the engine's default).
    HostKernel,
    /// gVisor: a user-space kernel between the program and the host.
    Gvisor,
}

impl Isolation {
    /// The isolation of the runtime registered as `name` (`None`: the engine's default).
    pub fn of(name: Option<&str>) -> Isolation {
        match name {
            Some(n) if n.contains("runsc") || n.to_ascii_lowercase().contains("gvisor") => {
                Isolation::Gvisor
            }
            _ => Isolation::HostKernel,
        }
    }

    /// Whether the engine can bind-mount codecage's stdio FIFOs into this runtime's sandboxes.
    pub fn mounts_fifos(self) -> bool {
        self == Isolation::HostKernel
    }

    /// The host pids cgroup limit for a sandbox whose program may have `pids` processes. Under
    /// gVisor a backstop for the host: measured here, a fork bomb held at 64 guest processes by
    /// `RLIMIT_NPROC` still made the Sentry reach ~2000 host tasks within 5 s, so the backstop
    /// is generous; reaching it ends the sandbox (exit status 2), never the host.
    pub fn host_pids_limit(self, pids: i64) -> i64 {
        match self {
            Isolation::HostKernel => pids,
            Isolation::Gvisor => GVISOR_HOST_PIDS.max(pids.saturating_mul(16)),
        }
    }

    /// The `RLIMIT_NPROC` for a sandbox whose program may have `pids` processes: none on the
    /// host kernel (it counts per host uid, across containers), the real bound under gVisor.
    pub fn nproc_limit(self, pids: i64) -> Option<i64> {
        match self {
            Isolation::HostKernel => None,
            Isolation::Gvisor => Some(pids),
        }
    }
}

/// The host pids backstop of a gVisor sandbox (see `host_pids_limit`).
const GVISOR_HOST_PIDS: i64 = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gvisor_is_known_by_its_registered_name() {
        assert_eq!(Isolation::of(None), Isolation::HostKernel);
        assert_eq!(Isolation::of(Some("runc")), Isolation::HostKernel);
        assert_eq!(Isolation::of(Some("crun")), Isolation::HostKernel);
        assert_eq!(Isolation::of(Some("runsc")), Isolation::Gvisor);
        assert_eq!(Isolation::of(Some("runsc-kvm")), Isolation::Gvisor);
        assert_eq!(Isolation::of(Some("gVisor")), Isolation::Gvisor);
    }

    #[test]
    fn under_gvisor_the_program_is_bounded_by_nproc_and_the_host_by_a_backstop() {
        let g = Isolation::Gvisor;
        assert_eq!(g.nproc_limit(64), Some(64));
        assert_eq!(g.host_pids_limit(64), 4096);
        assert_eq!(g.host_pids_limit(1000), 16_000);
        assert!(!g.mounts_fifos());
        let h = Isolation::HostKernel;
        assert_eq!((h.nproc_limit(64), h.host_pids_limit(64)), (None, 64));
        assert!(h.mounts_fifos());
    }
}
