//! CPU time and peak memory of a run, from the kernel's accounting of the sandbox's cgroup.
//!
//! Why the cgroup: it counts every process the program started, and nothing inside the sandbox
//! can write to it, so a program cannot forge its own figures. Why a parent per run: the engine
//! removes the container's own (leaf) cgroup as soon as the container is gone, and its counters
//! with it; a parent cgroup (`HostConfig.CgroupParent = /codecage-<run id>`) keeps the totals
//! after the leaf is removed. codecage reads them once the leaf is gone and then removes the
//! parent on every path (`Drop`); `codecage gc` removes parents a killed codecage left behind.
//!
//! When: only for a dockerd on this machine (the decision `fifo.rs` makes about the socket's
//! peer), with the `cgroupfs` cgroup driver, and a `/sys/fs/cgroup` where codecage may create and
//! remove a directory. A remote engine or the systemd driver (whose parents must be `.slice`
//! units it manages itself) give no figures: the run reports them as unknown (null).
//! docs/engine-facts.md has the files read on cgroup v1 and v2.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::models::{SystemInfoCgroupDriverEnum, SystemInfoCgroupVersionEnum};
use bollard::Docker;
use tokio::sync::OnceCell;

/// Where the cgroup filesystem is mounted.
const ROOT: &str = "/sys/fs/cgroup";
/// Every per-run parent's name starts so (what `gc` looks for).
pub const PREFIX: &str = "codecage-";
/// The cgroup Podman's container monitor (conmon) runs in, under the container's parent.
const PODMAN_MONITOR: &str = "conmon";
/// How long to wait for the engine to remove the container's own cgroup after its exit.
const LEAF_GRACE: Duration = Duration::from_millis(200);

/// Which cgroup hierarchy the engine puts containers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hierarchy {
    /// One directory per controller (`/sys/fs/cgroup/<controller>/...`).
    V1,
    /// The unified hierarchy (`/sys/fs/cgroup/...`).
    V2,
}

static HIERARCHY: OnceCell<Option<Hierarchy>> = OnceCell::const_new();

/// What the kernel counted for a run; `None` where it could not be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub cpu: Option<Duration>,
    pub memory_peak: Option<u64>,
    /// The kernel's OOM killer killed a process of the run. Podman 4.3 sends no `oom` event, so
    /// this count is how an MLE is known there; on Docker it agrees with the event.
    pub oom_killed: bool,
    /// The memory limit the parent enforces was reached (`enforce_memory`): with a SIGKILL the
    /// engine did not explain, the OOM killer's (its count may have gone with the container).
    pub limit_hit: bool,
}

/// The counters at the start of one case in a judge box (`Accounting::case_start`).
#[derive(Debug)]
pub struct CaseMeter {
    cpu: Option<Duration>,
    oom_kills: u64,
    failures: u64,
    /// cgroup v2: the open `memory.peak` whose reset only this file's reads see.
    peak: Option<std::fs::File>,
}

impl CaseMeter {
    /// The CPU time counted when the case started.
    pub fn cpu_at_start(&self) -> Option<Duration> {
        self.cpu
    }
}

/// The parent cgroup of one run. Dropping it removes its directories (best effort: a cgroup that
/// still holds a process cannot be removed, which `gc` retries later).
#[derive(Debug)]
pub struct Accounting {
    name: String,
    hierarchy: Hierarchy,
    /// Set by `enforce_memory`: the engine reports no OOM kill, so codecage looks for them.
    watch_oom: std::sync::atomic::AtomicBool,
}

impl Accounting {
    /// A parent cgroup for run `run_id`, when this engine's accounting can be read here.
    pub async fn for_run(docker: &Docker, run_id: &str) -> Option<Accounting> {
        let hierarchy = (*HIERARCHY.get_or_init(|| hierarchy(docker)).await)?;
        Some(Accounting {
            name: format!("{PREFIX}{run_id}"),
            hierarchy,
            watch_oom: Default::default(),
        })
    }

    /// For an engine that reports no OOM kill (Podman 4.3: neither an `oom` event nor
    /// `State.OOMKilled`, both tested): enforce the memory limit (memory and swap together) at
    /// this run's parent too, where its peak and hits outlive the container, and look for OOM
    /// kills in the container's own cgroup while it runs (`oom_now`), since on cgroup v1 a kill is
    /// counted only in the victim's cgroup, which goes with the container. The container keeps a
    /// limit of its own a little higher (`hardening.rs`), so the parent's is the one that bites.
    /// Returns whether the parent enforces the limit (on v2 the parent's memory.events counts
    /// the container's kills already).
    pub fn enforce_memory(&self, limit: u64) -> std::io::Result<bool> {
        self.watch_oom
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if self.hierarchy != Hierarchy::V1 {
            return Ok(false);
        }
        let dir = self.dir("memory");
        match std::fs::create_dir(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
        std::fs::write(dir.join("memory.limit_in_bytes"), limit.to_string())?;
        // Absent when the kernel does not account swap: then the engine could not limit it either.
        let memsw = dir.join("memory.memsw.limit_in_bytes");
        if memsw.exists() {
            std::fs::write(memsw, limit.to_string())?;
        }
        Ok(true)
    }

    /// Whether codecage must look for OOM kills itself (`enforce_memory`).
    pub fn watches_oom(&self) -> bool {
        self.watch_oom.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the kernel has OOM-killed a process of the run so far (cgroup v1: in the
    /// container's cgroup, while it exists; v2: in the parent).
    pub fn oom_now(&self) -> bool {
        let file = match self.hierarchy {
            Hierarchy::V1 => match self.leaf() {
                Some(leaf) => leaf.join("memory.oom_control"),
                None => return false,
            },
            Hierarchy::V2 => self.dir("").join("memory.events"),
        };
        std::fs::read_to_string(file).is_ok_and(|s| oom_kills(&s) > 0)
    }

    /// Whether the run's usage reached the limit the parent enforces (`enforce_memory`, v1).
    fn parent_limit_hit(&self) -> bool {
        self.failures() > 0
    }

    /// Start measuring one case of a judge box (a container that runs many cases): the peak
    /// memory is reset to what the box holds now (cgroup v1: `memory.max_usage_in_bytes`; v2:
    /// `memory.peak`, resettable per open file since Linux 6.12), and the CPU, OOM-kill and
    /// limit-hit counters are noted, so `case_usage` gives this case's figures alone. `None` when
    /// the peak cannot be reset here (a v2 kernel before 6.12): then a case's peak cannot be told
    /// from the cases before it, and a box must not be used.
    pub fn case_start(&self) -> Option<CaseMeter> {
        let peak = match self.hierarchy {
            Hierarchy::V1 => {
                std::fs::write(self.dir("memory").join("memory.max_usage_in_bytes"), "0").ok()?;
                None
            }
            Hierarchy::V2 => {
                use std::io::Write;
                let mut file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(self.dir("").join("memory.peak"))
                    .ok()?;
                file.write_all(b"reset\n").ok()?;
                Some(file)
            }
        };
        Some(CaseMeter {
            cpu: self.cpu_now(),
            oom_kills: self.oom_kills_now(),
            failures: self.failures(),
            peak,
        })
    }

    /// Whether `case_start` can reset the peak here (v1 always; v2 from Linux 6.12), tried once
    /// per process on a cgroup that exists before any box does: this process's own (a write
    /// resets only what reads through the same file see, so it disturbs nobody).
    pub fn peak_resettable(&self) -> bool {
        static RESETTABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        match self.hierarchy {
            Hierarchy::V1 => true,
            Hierarchy::V2 => *RESETTABLE.get_or_init(|| {
                use std::io::Write;
                let own = std::fs::read_to_string("/proc/self/cgroup")
                    .ok()
                    .and_then(|c| {
                        c.lines()
                            .find_map(|l| l.strip_prefix("0::").map(String::from))
                    });
                let Some(own) = own else { return false };
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(
                        Path::new(ROOT)
                            .join(own.trim_start_matches('/'))
                            .join("memory.peak"),
                    )
                    .and_then(|mut f| f.write_all(b"reset\n"))
                    .is_ok()
            }),
        }
    }

    /// What one case used since `case_start`.
    pub fn case_usage(&self, meter: CaseMeter) -> Usage {
        let peak = match (self.hierarchy, meter.peak) {
            (Hierarchy::V1, _) => {
                std::fs::read_to_string(self.dir("memory").join("memory.max_usage_in_bytes"))
                    .ok()
                    .and_then(|s| parse_bytes(&s))
            }
            (Hierarchy::V2, Some(mut file)) => {
                use std::io::{Read, Seek};
                let mut text = String::new();
                file.seek(std::io::SeekFrom::Start(0))
                    .and_then(|_| file.read_to_string(&mut text))
                    .ok()
                    .and_then(|_| parse_bytes(&text))
            }
            (Hierarchy::V2, None) => None,
        };
        Usage {
            cpu: self
                .cpu_now()
                .zip(meter.cpu)
                .map(|(now, before)| now.saturating_sub(before)),
            memory_peak: peak,
            oom_killed: self.oom_kills_now() > meter.oom_kills,
            limit_hit: self.failures() > meter.failures,
        }
    }

    /// OOM kills so far in the container's cgroup and the parent (v1 counts a kill in the cgroup
    /// whose limit was hit; v2's parent counts its children's).
    fn oom_kills_now(&self) -> u64 {
        let read = |path: PathBuf| {
            std::fs::read_to_string(path)
                .map(|s| oom_kills(&s))
                .unwrap_or(0)
        };
        match self.hierarchy {
            Hierarchy::V1 => {
                read(self.dir("memory").join("memory.oom_control"))
                    + self
                        .leaf()
                        .map_or(0, |leaf| read(leaf.join("memory.oom_control")))
            }
            Hierarchy::V2 => read(self.dir("").join("memory.events")),
        }
    }

    /// How often the limit the parent enforces was hit (`enforce_memory`, v1), so far.
    fn failures(&self) -> u64 {
        if self.hierarchy != Hierarchy::V1 || !self.watches_oom() {
            return 0;
        }
        std::fs::read_to_string(self.dir("memory").join("memory.memsw.failcnt"))
            .or_else(|_| std::fs::read_to_string(self.dir("memory").join("memory.failcnt")))
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(0)
    }

    /// The value for `HostConfig.CgroupParent`.
    pub fn cgroup_parent(&self) -> String {
        format!("/{}", self.name)
    }

    /// The totals, once the engine has removed the container's cgroup (bounded wait), then the
    /// parent removed.
    pub async fn finish(self) -> Usage {
        let deadline = tokio::time::Instant::now() + LEAF_GRACE;
        // On cgroup v1 an OOM kill is counted in the cgroup whose limit was hit, the container's
        // own, and that count goes with it: read it while it is there (Podman leaves it a while).
        let mut leaf_oom = false;
        while let Some(leaf) = self.leaf() {
            if self.hierarchy == Hierarchy::V1 {
                leaf_oom |= std::fs::read_to_string(leaf.join("memory.oom_control"))
                    .is_ok_and(|s| oom_kills(&s) > 0);
            }
            if tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let mut usage = self.read();
        usage.oom_killed |= leaf_oom;
        usage.limit_hit = self.parent_limit_hit();
        drop(self);
        usage
    }

    /// The CPU time the sandbox has used so far (a file read: cheap enough to poll while it
    /// runs, which is how a CPU-time limit is enforced).
    pub fn cpu_now(&self) -> Option<Duration> {
        match self.hierarchy {
            Hierarchy::V1 => std::fs::read_to_string(self.dir("cpuacct").join("cpuacct.usage"))
                .ok()
                .and_then(|s| parse_ns(&s)),
            Hierarchy::V2 => std::fs::read_to_string(self.dir("").join("cpu.stat"))
                .ok()
                .and_then(|s| parse_cpu_stat(&s)),
        }
    }

    fn read(&self) -> Usage {
        let read = |path: PathBuf| std::fs::read_to_string(path).ok();
        match self.hierarchy {
            Hierarchy::V1 => Usage {
                cpu: self.cpu_now(),
                memory_peak: read(self.dir("memory").join("memory.max_usage_in_bytes"))
                    .and_then(|s| parse_bytes(&s)),
                // `oom_kill` in memory.oom_control from Linux 4.13 on.
                oom_killed: read(self.dir("memory").join("memory.oom_control"))
                    .is_some_and(|s| oom_kills(&s) > 0),
                limit_hit: false,
            },
            Hierarchy::V2 => Usage {
                cpu: self.cpu_now(),
                // memory.peak exists from Linux 5.19 on.
                memory_peak: read(self.dir("").join("memory.peak")).and_then(|s| parse_bytes(&s)),
                oom_killed: read(self.dir("").join("memory.events"))
                    .is_some_and(|s| oom_kills(&s) > 0),
                limit_hit: false,
            },
        }
    }

    /// The parent's directory under one controller (v1) or the unified root (v2, `""`).
    fn dir(&self, controller: &str) -> PathBuf {
        Path::new(ROOT).join(controller).join(&self.name)
    }

    /// The container's own cgroup under the parent (in the memory controller on v1), while it is
    /// there. Podman's `conmon` cgroup is not the container's: Podman never removes it.
    fn leaf(&self) -> Option<PathBuf> {
        let dir = match self.hierarchy {
            Hierarchy::V1 => self.dir("memory"),
            Hierarchy::V2 => self.dir(""),
        };
        std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (is_dir && e.file_name() != PODMAN_MONITOR).then(|| e.path())
        })
    }
}

impl Drop for Accounting {
    fn drop(&mut self) {
        if remove_parent(&self.name) {
            return;
        }
        // Podman's monitor (conmon) outlives the container by a moment, in its cgroup under
        // ours: try again for a little while, off the run's path. A process that exits before
        // leaves the parent to the next sweep (`remove_idle_for`) or to `codecage gc`.
        let name = self.name.clone();
        let _ = std::thread::Builder::new()
            .name("cgroup-cleanup".into())
            .spawn(move || {
                for _ in 0..30 {
                    std::thread::sleep(Duration::from_millis(100));
                    if remove_parent(&name) {
                        return;
                    }
                }
            });
    }
}

/// Remove a parent cgroup from every controller that has it; true if none is left. rmdir refuses
/// a cgroup that still has a child or a process, so this never touches a live sandbox.
fn remove_parent(name: &str) -> bool {
    let mut left = false;
    for dir in controller_dirs() {
        let path = dir.join(name);
        // Podman (cgroupfs manager) puts its monitor in a `conmon` cgroup under ours and leaves
        // it there, empty, when the container is gone; the kernel refuses while it has a process.
        let _ = std::fs::remove_dir(path.join(PODMAN_MONITOR));
        match std::fs::remove_dir(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => left |= path.exists(),
        }
    }
    !left
}

/// The unified root and every v1 controller directory (`cpu,cpuacct` and its links included:
/// removing through a second name just finds nothing left).
fn controller_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from(ROOT)];
    if let Ok(entries) = std::fs::read_dir(ROOT) {
        dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    dirs
}

/// Remove parents left by a codecage killed before it could (e.g. by SIGKILL). Only empty ones
/// go: the kernel refuses to remove a cgroup a live sandbox is in. Returns how many went.
pub fn remove_stale() -> usize {
    remove_idle_for(Duration::ZERO)
}

/// Parents left by a codecage killed before it could remove them, untouched for `idle` (a
/// directory's time changes when a container's cgroup comes or goes in it). A parent still in use
/// holds a container's cgroup, and removing a non-empty cgroup fails: that is the safety.
fn remove_idle_for(idle: Duration) -> usize {
    let idle_enough = |entry: &std::fs::DirEntry| {
        entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= idle)
    };
    let mut names = std::collections::BTreeSet::new();
    for dir in controller_dirs() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(PREFIX)
                && entry.file_type().is_ok_and(|t| t.is_dir())
                && idle_enough(&entry)
            {
                names.insert(name);
            }
        }
    }
    names.into_iter().filter(|n| remove_parent(n)).count()
}

/// The `oom_kill` count of a `memory.oom_control` (v1) or `memory.events` (v2) file.
fn oom_kills(text: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix("oom_kill "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// The engine's cgroup layout, when codecage can account runs here (worked out once per process,
/// and remembered on disk for this dockerd: asking the engine costs a `docker info` round trip,
/// which a CLI run would otherwise pay every time).
async fn hierarchy(docker: &Docker) -> Option<Hierarchy> {
    let pid = crate::docker::dockerd_is_local().await.ok()?;
    let memo = LayoutMemo::for_dockerd(pid);
    let hierarchy = match memo.as_ref().and_then(LayoutMemo::read) {
        Some(known) => known,
        None => {
            let found = ask_engine(docker).await.ok();
            if let Some(memo) = &memo {
                memo.write(found);
            }
            found
        }
    }?;
    // We must be able to remove what the engine creates: try it once on a probe of our own.
    probe(hierarchy).ok()?;
    // A codecage killed with -9 leaves its run's empty parent: the next one sweeps it, as `gc`
    // does, off the run's path. A minute idle: a live run reads its parent within milliseconds of
    // the container's exit.
    tokio::task::spawn_blocking(|| remove_idle_for(Duration::from_secs(60)));
    Some(hierarchy)
}

/// Create and remove a cgroup of our own where the engine would put a run's parent.
fn probe(hierarchy: Hierarchy) -> std::io::Result<()> {
    let probe = format!("{PREFIX}probe-{}", std::process::id());
    let probe_dir = match hierarchy {
        Hierarchy::V1 => Path::new(ROOT).join("memory").join(&probe),
        Hierarchy::V2 => Path::new(ROOT).join(&probe),
    };
    std::fs::create_dir(&probe_dir)?;
    std::fs::remove_dir(&probe_dir)
}

/// Whether runs on this engine get their CPU time and peak memory measured (and so a CPU-time
/// limit enforced) from here; the answer every run uses, worked out once per process.
pub async fn measurable(docker: &Docker) -> bool {
    HIERARCHY.get_or_init(|| hierarchy(docker)).await.is_some()
}

/// Why runs on this engine cannot be accounted from here, and the fix; `None` when they can.
/// Asks afresh (no memo), for `codecage doctor`.
pub async fn why_not_measurable(docker: &Docker) -> Option<(String, &'static str)> {
    if let Err(why) = crate::docker::dockerd_is_local().await {
        return Some((
            format!("{why}: its cgroups cannot be read from here"),
            "run codecage on the engine's own machine (a local dockerd or podman socket)",
        ));
    }
    let hierarchy = match ask_engine(docker).await {
        Ok(hierarchy) => hierarchy,
        Err(why_and_fix) => return Some(why_and_fix),
    };
    match probe(hierarchy) {
        Ok(()) => None,
        Err(e) => Some((
            format!("cannot create a cgroup under {ROOT}: {e}"),
            "run codecage as root, or with write access to /sys/fs/cgroup",
        )),
    }
}

/// The layout the engine reports (only the cgroupfs driver puts our parent where we can read
/// it), or why codecage cannot create cgroups in it, with the fix.
async fn ask_engine(docker: &Docker) -> Result<Hierarchy, (String, &'static str)> {
    let info = docker
        .info()
        .await
        .map_err(|e| (format!("the engine's info: {e}"), "check the engine"))?;
    match (info.cgroup_driver, info.cgroup_version) {
        (Some(SystemInfoCgroupDriverEnum::CGROUPFS), Some(SystemInfoCgroupVersionEnum::_2)) => {
            Ok(Hierarchy::V2)
        }
        (
            Some(SystemInfoCgroupDriverEnum::CGROUPFS),
            Some(SystemInfoCgroupVersionEnum::_1) | None,
        ) => Ok(Hierarchy::V1),
        (Some(SystemInfoCgroupDriverEnum::CGROUPFS), Some(version)) => Err((
            format!("the engine reports cgroup version {version}, which codecage does not know"),
            "use cgroup v1 or v2",
        )),
        (driver, _) => {
            let driver = driver.map_or("unknown".to_string(), |d| d.to_string());
            Err((
                format!("the engine uses the {driver} cgroup driver, whose cgroups codecage cannot create"),
                "use the cgroupfs driver: `\"exec-opts\": [\"native.cgroupdriver=cgroupfs\"]` in /etc/docker/daemon.json, then restart dockerd",
            ))
        }
    }
}

/// What one engine process (its pid and start time: a restarted engine may be configured
/// differently) said about its cgroups, in codecage's cache directory: a line per engine, so
/// Docker and a Podman service used in turn do not overwrite each other's answer (and ask
/// `/info`, ~200 ms on Podman, every run).
struct LayoutMemo {
    path: PathBuf,
    key: String,
}

impl LayoutMemo {
    fn for_dockerd(pid: u32) -> Option<LayoutMemo> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Field 22 (start time) counted after the command name, which may hold spaces.
        let started = stat.rsplit_once(')')?.1.split_whitespace().nth(19)?;
        Some(LayoutMemo {
            path: crate::dirs::cache_dir()?
                .join("codecage")
                .join("engine-cgroups"),
            key: format!("{pid} {started}"),
        })
    }

    /// `Some(answer)` when the memo is this dockerd's (the answer may be "not here").
    fn read(&self) -> Option<Option<Hierarchy>> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let layout = text.lines().find_map(|line| {
            let (key, layout) = line.trim().rsplit_once(' ')?;
            (key == self.key).then_some(layout)
        })?;
        match layout {
            "v1" => Some(Some(Hierarchy::V1)),
            "v2" => Some(Some(Hierarchy::V2)),
            "none" => Some(None),
            _ => None,
        }
    }

    /// Best effort, atomically (a rename), so a concurrent reader never sees half a line.
    fn write(&self, layout: Option<Hierarchy>) {
        let layout = match layout {
            Some(Hierarchy::V1) => "v1",
            Some(Hierarchy::V2) => "v2",
            None => "none",
        };
        let Some(dir) = self.path.parent() else {
            return;
        };
        // Ours last, after the most recent few of the other engines' lines (dead engines' lines
        // fall off the front).
        let old = std::fs::read_to_string(&self.path).unwrap_or_default();
        let others: Vec<&str> = old
            .lines()
            .filter(|l| l.rsplit_once(' ').is_some_and(|(key, _)| key != self.key))
            .collect();
        let mut text: String = others[others.len().saturating_sub(MEMO_ENGINES - 1)..]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect();
        text += &format!("{} {layout}\n", self.key);
        let temp = dir.join(format!(".engine-cgroups.{}", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&temp, text))
            .and_then(|()| std::fs::rename(&temp, &self.path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}

/// How many engines' answers the layout memo keeps.
const MEMO_ENGINES: usize = 8;

/// `cpuacct.usage`: nanoseconds.
fn parse_ns(text: &str) -> Option<Duration> {
    text.trim().parse().ok().map(Duration::from_nanos)
}

/// `memory.max_usage_in_bytes`, `memory.peak`: bytes.
fn parse_bytes(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// `cpu.stat`: the `usage_usec` line, microseconds.
fn parse_cpu_stat(text: &str) -> Option<Duration> {
    text.lines()
        .find_map(|line| line.strip_prefix("usage_usec "))
        .and_then(|v| v.trim().parse().ok())
        .map(Duration::from_micros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oom_kills_are_read_from_v1_and_v2_files() {
        assert_eq!(
            oom_kills("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"),
            2
        );
        assert_eq!(oom_kills("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n"), 1);
        assert_eq!(oom_kills("oom_kill_disable 0\nunder_oom 0\n"), 0);
    }

    #[test]
    fn cpuacct_usage_is_nanoseconds() {
        assert_eq!(parse_ns("1500000000\n"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_ns("0"), Some(Duration::ZERO));
        assert_eq!(parse_ns(""), None);
        assert_eq!(parse_ns("-1"), None);
    }

    #[test]
    fn cpu_stat_usage_is_microseconds() {
        let stat = "usage_usec 523401\nuser_usec 500000\nsystem_usec 23401\nnr_periods 0\n";
        assert_eq!(parse_cpu_stat(stat), Some(Duration::from_micros(523_401)));
        assert_eq!(parse_cpu_stat("user_usec 5\n"), None);
        assert_eq!(parse_cpu_stat("usage_usec x\n"), None);
    }

    #[test]
    fn memory_files_are_bytes() {
        assert_eq!(parse_bytes("104857600\n"), Some(104_857_600));
        assert_eq!(parse_bytes("max\n"), None);
        assert_eq!(parse_bytes(""), None);
    }

    #[test]
    fn the_layout_memo_is_one_dockerds() {
        let dir = std::env::temp_dir().join(format!("codecage-memo-test-{}", std::process::id()));
        let memo = |key: &str| LayoutMemo {
            path: dir.join(format!(
                // One per engine: Docker and a Podman service used in turn would otherwise
                // overwrite each other's answer and ask `/info` (~200 ms on Podman) each run.
                "engine-cgroups-{}",
                crate::docker::identity()
            )),
            key: key.to_string(),
        };
        assert_eq!(memo("1 2").read(), None);
        memo("1 2").write(Some(Hierarchy::V2));
        assert_eq!(memo("1 2").read(), Some(Some(Hierarchy::V2)));
        // Another dockerd (or the same pid restarted) asks the engine again.
        assert_eq!(memo("1 3").read(), None);
        memo("1 3").write(None);
        assert_eq!(memo("1 3").read(), Some(None));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
