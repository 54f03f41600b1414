//! The program's stdin, stdout and stderr as named pipes bind-mounted into the sandbox, when the
//! engine runs on this machine.
//!
//! Attach carries every byte through dockerd and the container shim: two extra copies and more
//! daemon CPU than the program's own (~1.4 s per 512 MiB here), so a stream through `docker run -i`
//! tops out near 200 MiB/s on two cores. A named pipe is one kernel buffer between codecage and the
//! program. It also spares the attach round trip on every run.
//!
//! Why this is safe: each FIFO is bind-mounted on its own, read-only (a FIFO can still be opened
//! for writing on a read-only mount; it cannot be chmod-ed, replaced or unlinked), into a
//! read-only root. The host directory holding them is codecage's own (0700) and is removed as soon
//! as the container has started; codecage only ever opens the three FIFOs it made, so sandboxed
//! code cannot point a host-side operation at another file (docs/engine-facts.md, consequence 1).
//!
//! When: only for a dockerd (or a `podman system service`) reached over a local socket whose peer
//! is a `dockerd` (or `podman`) process we can see. A daemon in a VM (Docker Desktop), behind TCP/SSH, or in another PID namespace would open
//! a different file under the same name and the program would wait forever, so those keep attach.
//! A daemon that cannot see our temp directory (a private /tmp) refuses the mount when the
//! container is created; codecage then falls back to attach for the rest of the process. An
//! enforcing SELinux would deny the container the FIFOs, so it keeps attach too; any other way a
//! shim cannot open them is a one-line error naming `CODECAGE_STDIO=attach`, not a silent run.
//! `CODECAGE_STDIO=attach` (or `fifo`) overrides the choice.

use std::io;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use bollard::container::LogOutput;
use bollard::models::{Mount, MountType};
use futures_util::StreamExt;
use tokio::io::AsyncWrite;
use tokio::net::unix::pipe;
use tokio::sync::OnceCell;
use tokio_util::io::ReaderStream;

use super::streams::AttachOutput;

/// Where the shim finds its stdio inside the container.
pub const CONTAINER_DIR: &str = "/run/codecage";
const NAMES: [&str; 4] = ["workspace", "stdin", "stdout", "stderr"];
/// The mounted source file's name in our directory.
const SOURCE: &str = "source";

/// Bytes per read from the program's output pipes (pipes are enlarged to 1 MiB).
const CHUNK: usize = 256 * 1024;

static ENGINE_IS_LOCAL: OnceCell<Result<(), &'static str>> = OnceCell::const_new();
static MOUNT_REFUSED: AtomicBool = AtomicBool::new(false);

/// Whether sandboxes should get FIFO stdio (decided once per process).
pub async fn enabled() -> bool {
    decision().await.is_ok()
}

/// FIFO stdio, or the reason for attach.
pub async fn decision() -> Result<(), &'static str> {
    if MOUNT_REFUSED.load(Ordering::Relaxed) {
        return Err("the engine refused to mount codecage's FIFOs");
    }
    match std::env::var("CODECAGE_STDIO").as_deref() {
        Ok("attach") => return Err("CODECAGE_STDIO=attach"),
        Ok("fifo") => return Ok(()),
        _ => {}
    }
    *ENGINE_IS_LOCAL.get_or_init(engine_is_local).await
}

/// The engine refused our bind mounts: use attach from now on.
pub fn mount_refused() {
    MOUNT_REFUSED.store(true, Ordering::Relaxed);
}

async fn engine_is_local() -> Result<(), &'static str> {
    // SELinux keeps containers away from files in /tmp unless the engine relabels them, which
    // the mounts API cannot ask for.
    if std::fs::read_to_string("/sys/fs/selinux/enforce").is_ok_and(|e| e.trim() == "1") {
        return Err("SELinux is enforcing");
    }
    crate::docker::dockerd_is_local().await.map(|_| ())
}

/// The FIFOs in a private directory, and perhaps the program's one source file; removed on drop
/// (as soon as the container has started: the mounts hold the files, not the names).
pub struct Fifos {
    dir: PathBuf,
    /// The workspace's only file, mounted read-only at `/work/NAME` instead of unpacked: the
    /// cheapest delivery there is (no tar before the program starts).
    source: Option<String>,
}

impl Fifos {
    pub fn create(source: Option<LoneSource>) -> io::Result<Fifos> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let dir = std::env::temp_dir().join(format!("codecage-io-{}", uuid::Uuid::new_v4()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        let mut fifos = Fifos { dir, source: None };
        // The sandbox user is not ours: it may read the source and open the FIFOs both ways (the
        // shim's first open of each is read-write, so it never waits; see shim.rs). Both ways
        // only reach the program's own streams. Other host users cannot reach them through the
        // 0700 directory.
        match source {
            Some(source) => {
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o604)
                    .open(fifos.dir.join(SOURCE))?;
                std::io::Write::write_all(&mut file, &source.data)?;
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o604))?;
                fifos.source = Some(source.name);
            }
            None => crate::pipe::make_fifo(&fifos.path("workspace"), 0o606)?,
        }
        for name in ["stdin", "stdout", "stderr"] {
            crate::pipe::make_fifo(&fifos.path(name), 0o606)?;
        }
        Ok(fifos)
    }

    /// Whether the workspace is mounted (else it goes through the workspace FIFO).
    pub fn source_mounted(&self) -> bool {
        self.source.is_some()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn fifo_names(&self) -> &'static [&'static str] {
        if self.source.is_some() {
            &NAMES[1..]
        } else {
            &NAMES
        }
    }

    /// The bind mounts for the container: each file on its own, read-only.
    pub fn mounts(&self) -> Vec<Mount> {
        let mount = |source: PathBuf, target: String| Mount {
            target: Some(target),
            source: Some(source.to_string_lossy().into_owned()),
            typ: Some(MountType::BIND),
            read_only: Some(true),
            ..Default::default()
        };
        let mut mounts: Vec<Mount> = self
            .fifo_names()
            .iter()
            .map(|name| mount(self.path(name), format!("{CONTAINER_DIR}/{name}")))
            .collect();
        if let Some(name) = &self.source {
            mounts.push(mount(self.path(SOURCE), format!("/work/{name}")));
        }
        mounts
    }

    /// Our ends, opened before the container starts so the shim's opens never wait.
    ///
    /// The output ends are read-only: a FIFO read end reports hang-up only after a writer has come
    /// and gone, so the streams end exactly when the last process holding the program's stdout and
    /// stderr is gone. The input ends are opened read-write so opening never blocks or fails for
    /// want of a reader; closing one is end of input for its reader.
    pub fn open(&self) -> io::Result<Ends> {
        let stdout = pipe::OpenOptions::new().open_receiver(self.path("stdout"))?;
        let stderr = pipe::OpenOptions::new().open_receiver(self.path("stderr"))?;
        let writer = |name| {
            pipe::OpenOptions::new()
                .read_write(true)
                .open_sender(self.path(name))
        };
        let stdin = writer("stdin")?;
        let workspace = match self.source {
            Some(_) => None,
            None => Some(writer("workspace")?),
        };
        for fd in [stdout.as_raw_fd(), stderr.as_raw_fd(), stdin.as_raw_fd()] {
            crate::pipe::enlarge(fd);
        }
        let stdout = ReaderStream::with_capacity(stdout, CHUNK)
            .map(|r| r.map(|message| LogOutput::StdOut { message }));
        let stderr = ReaderStream::with_capacity(stderr, CHUNK)
            .map(|r| r.map(|message| LogOutput::StdErr { message }));
        let output = futures_util::stream::select(stdout, stderr).map(|r| r.map_err(Into::into));
        Ok(Ends {
            output: Box::pin(output),
            stdin: Box::pin(WriteEnd(Some(stdin))),
            workspace: workspace.map(|w| Box::pin(WriteEnd(Some(w))) as Writer),
        })
    }
}

impl Drop for Fifos {
    fn drop(&mut self) {
        remove_dir(&self.dir);
    }
}

fn remove_dir(dir: &Path) {
    for name in NAMES.iter().chain(&[SOURCE]) {
        let _ = std::fs::remove_file(dir.join(name));
    }
    let _ = std::fs::remove_dir(dir);
}

/// codecage's ends of the FIFOs.
pub struct Ends {
    pub output: AttachOutput,
    pub stdin: Writer,
    /// None when the source is mounted.
    pub workspace: Option<Writer>,
}

type Writer = Pin<Box<dyn AsyncWrite + Send>>;

/// A write end. Shutting down closes it: the program sees end of input (a pipe's own shutdown
/// leaves the descriptor open, and our read-write descriptor would keep the pipe alive).
struct WriteEnd(Option<pipe::Sender>);

impl AsyncWrite for WriteEnd {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.0.as_mut() {
            Some(sender) => Pin::new(sender).poll_write(cx, buf),
            None => Poll::Ready(Err(io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.0 = None;
        Poll::Ready(Ok(()))
    }
}

/// A workspace that is one plain file: mounted read-only rather than unpacked. Not for compile
/// steps (a compiler may rename its input, as the Java profile does), nor executables (a host's
/// /tmp may be noexec, and a bind mount keeps that).
pub struct LoneSource {
    name: String,
    data: Vec<u8>,
}

impl LoneSource {
    /// From the workspace tar codecage built (trusted: `Workspace::to_tar`).
    pub fn from_tar(tar: &[u8]) -> Option<LoneSource> {
        let mut archive = tar::Archive::new(tar);
        let mut entries = archive.entries().ok()?;
        let mut entry = entries.next()?.ok()?;
        let header = entry.header();
        let name = entry.path().ok()?.to_str()?.to_string();
        let plain = header.entry_type() == tar::EntryType::Regular
            && header.mode().ok()? & 0o111 == 0
            && !name.is_empty()
            && !name.contains('/')
            && !name.starts_with('.');
        if !plain {
            return None;
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        std::io::Read::read_to_end(&mut entry, &mut data).ok()?;
        drop(entry);
        if entries.next().is_some() {
            return None;
        }
        Some(LoneSource { name, data })
    }
}

/// Remove directories left by a codecage that was killed between create and start.
pub fn remove_stale(older_than: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return 0;
    };
    use std::os::unix::fs::MetadataExt;
    // Only real directories of our own: anyone can put a symlink with this name in /tmp.
    let Ok(me) = std::fs::metadata("/proc/self").map(|m| m.uid()) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with("codecage-io-")
        {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > older_than);
        if meta.is_dir() && meta.uid() == me && old {
            remove_dir(&entry.path());
            removed += 1;
        }
    }
    removed
}
