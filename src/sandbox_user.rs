//! The one user every sandbox and every dependency installer runs as. It lives below both the
//! sandbox and the dependency builder, so neither reaches into the other for it.
//!
//! A fixed, unprivileged uid rather than root or the caller's uid: root in a container is one
//! kernel bug away from root on the host, and the caller's uid would give programs the caller's
//! files on any shared mount. A fixed number also makes ownership predictable: the images create
//! their `runner` user with it, the workspace tar is owned by it, and installed packages are
//! built by it and then copied root-owned into the run image.

/// The uid (and gid) of the `runner` user in every image: programs and installers run as it.
pub const SANDBOX_UID: u32 = 10001;
