//! The container configuration every sandbox gets. Nothing here is optional or chosen by a caller:
//! callers pick an image (from a profile), an argv and limits; the rest is fixed.

use std::collections::HashMap;

use bollard::models::{ContainerCreateBody, HostConfig, HostConfigLogConfig, ResourcesUlimits};

use super::runtime::Isolation;
use super::shim::{self, Io, Mode};
use super::spec::SandboxSpec;
use crate::docker::EngineKind;
use crate::limits::Limits;

/// The unprivileged uid:gid programs run as (the `runner` user of every image).
pub use crate::sandbox_user::SANDBOX_UID as UID;

/// Label marking every container codecage creates (used by `codecage gc`).
pub const LABEL: &str = "codecage";
/// Label with the run's id (events are filtered on it).
pub const LABEL_RUN: &str = "codecage.run";
/// Label with the unix time after which the container is certainly garbage.
pub const LABEL_DEADLINE: &str = "codecage.deadline";

/// How far the container's own memory limit sits above the parent's when the parent enforces it.
const PARENT_MEMORY_HEADROOM: u64 = 16 << 20;

/// Seconds the in-container backstop waits beyond the time limit before killing everything.
pub const BACKSTOP_GRACE_SECS: u64 = 2;

/// The whole create request for one sandbox: the shim as the command, the environment, the
/// labels and the host configuration.
pub fn container_config(
    spec: &SandboxSpec,
    run_id: &str,
    deadline_unix: u64,
    fifos: Option<&super::fifo::Fifos>,
    cgroup_parent: Option<String>,
    memory_in_parent: bool,
) -> ContainerCreateBody {
    let attach = fifos.is_none();
    let io = match fifos {
        None => Io::Attach,
        Some(f) if f.source_mounted() => Io::Mounted,
        Some(_) => Io::Fifo,
    };
    let backstop = spec.limits.time.as_secs_f64().ceil() as u64 + BACKSTOP_GRACE_SECS;
    let mode = match (spec.compile, spec.tty.is_some(), spec.signals) {
        (true, _, _) => Mode::Compile,
        (false, true, _) => Mode::Tty,
        (false, false, true) => Mode::Signalled,
        (false, false, false) => Mode::Run,
    };
    let mut env = vec!["HOME=/tmp".to_string(), "LANG=C.UTF-8".to_string()];
    if spec.tty.is_some() {
        env.push("TERM=xterm-256color".to_string());
    }

    ContainerCreateBody {
        image: Some(spec.image.clone()),
        entrypoint: Some(vec![]),
        cmd: Some(shim::command(mode, io, backstop, &spec.argv)),
        env: Some(env),
        user: Some(format!("{UID}:{UID}")),
        working_dir: Some("/work".to_string()),
        labels: Some(labels(spec, run_id, deadline_unix)),
        attach_stdin: Some(attach),
        attach_stdout: Some(attach),
        attach_stderr: Some(attach),
        open_stdin: Some(attach),
        stdin_once: Some(attach),
        tty: Some(spec.tty.is_some()),
        network_disabled: Some(true),
        host_config: Some(HostConfig {
            // The per-run parent whose counters outlive the container (`accounting.rs`).
            cgroup_parent,
            ..host_config(spec, fifos, memory_in_parent)
        }),
        ..Default::default()
    }
}

/// The command of a judge box: the launcher arrives on stdin as `<size>\n<bytes>`, goes into the
/// workspace, and replaces the shell as PID 1 (`judge_box/launcher.rs` says why it must be PID
/// 1). Nothing follows the launcher on stdin until it says hello, so `head` cannot read past it.
const BOX_COMMAND: &str = r#"IFS= read -r size || exit 126
head -c "$size" >/work/.codecage-box && chmod 700 /work/.codecage-box || exit 126
exec /work/.codecage-box"#;

/// The create request for a judge box: the same sandbox as `container_config` gives (attach
/// stdio), with the launcher as its PID 1 instead of tini and the shim.
pub fn box_config(
    spec: &SandboxSpec,
    run_id: &str,
    deadline_unix: u64,
    cgroup_parent: Option<String>,
    memory_in_parent: bool,
) -> ContainerCreateBody {
    let mut config = container_config(
        spec,
        run_id,
        deadline_unix,
        None,
        cgroup_parent,
        memory_in_parent,
    );
    config.cmd = Some(
        ["sh", "-c", BOX_COMMAND, "codecage-box"]
            .map(String::from)
            .to_vec(),
    );
    if let Some(host) = config.host_config.as_mut() {
        host.init = Some(false);
    }
    config
}

/// codecage's own labels (for `gc` and for the event filter), then the caller's.
fn labels(spec: &SandboxSpec, run_id: &str, deadline_unix: u64) -> HashMap<String, String> {
    let mut labels: HashMap<String, String> = HashMap::from([
        (LABEL.to_string(), "1".to_string()),
        (LABEL_RUN.to_string(), run_id.to_string()),
        (LABEL_DEADLINE.to_string(), deadline_unix.to_string()),
    ]);
    labels.extend(spec.labels.iter().cloned());
    labels
}

/// Isolation and limits: no network, no capabilities, a read-only root, and every resource
/// bounded.
fn host_config(
    spec: &SandboxSpec,
    fifos: Option<&super::fifo::Fifos>,
    memory_in_parent: bool,
) -> HostConfig {
    let limits = &spec.limits;
    // When the run's parent cgroup enforces the memory limit exactly (`accounting.rs`), the
    // container's own limit sits a little above it, so the parent's bites first. A limit below
    // the floor is the floor here, and the run's peak is judged against it (`Limits::over_memory`).
    let memory = limits.engine_memory()
        + if memory_in_parent {
            PARENT_MEMORY_HEADROOM
        } else {
            0
        };
    // Under gVisor the program's processes are counted inside its own kernel (`runtime.rs`).
    let isolation = Isolation::of(spec.runtime.as_deref());
    HostConfig {
        // The daemon removes the container when it exits, even if codecage is gone by then.
        auto_remove: Some(true),
        runtime: spec.runtime.clone(),
        network_mode: Some("none".to_string()),
        cap_drop: Some(vec!["ALL".to_string()]),
        security_opt: Some(vec!["no-new-privileges".to_string()]),
        readonly_rootfs: Some(true),
        privileged: Some(false),
        // tini as PID 1: signals work and the whole tree dies when the program exits.
        init: Some(true),
        pids_limit: Some(isolation.host_pids_limit(limits.pids)),
        memory: Some(memory as i64),
        memory_swap: Some(memory as i64),
        // The quota over a period of the limits' choosing (300 ms by default, not the kernel's
        // 100 ms): the same share on average, with start-up bursts at full speed.
        cpu_period: Some(cpu_period_and_quota(limits).0),
        cpu_quota: Some(cpu_period_and_quota(limits).1),
        tmpfs: Some(tmpfs(limits.workspace, crate::docker::kind())),
        mounts: fifos.map(|f| f.mounts()),
        // No /dev/shm at all: its pages would be charged to the memory limit unseen.
        ipc_mode: Some("none".to_string()),
        // Output is read only through attach or our FIFOs; the json-file driver would fill the
        // host disk.
        log_config: Some(HostConfigLogConfig {
            typ: Some("none".to_string()),
            config: None,
        }),
        ulimits: Some(ulimits(
            limits.workspace,
            isolation
                .nproc_limit(limits.pids)
                .or_else(|| podman_nproc(crate::docker::kind())),
        )),
        ..Default::default()
    }
}

/// The writable places: the workspace and /tmp, each `workspace` bytes at most.
/// The CPU period and quota in microseconds: `cpus` of the period. The engine refuses a quota
/// under 1 ms, so a period too short for `cpus` is lengthened (up to the 1 s the engine allows)
/// rather than the quota raised: 0.5 CPU over a 1 ms period must not become a whole core.
fn cpu_period_and_quota(limits: &Limits) -> (i64, i64) {
    const MIN_QUOTA: f64 = 1000.0;
    let asked = limits.cpu_period.as_micros() as f64;
    let period = asked.max(MIN_QUOTA / limits.cpus).min(1_000_000.0);
    (period as i64, (limits.cpus * period).max(MIN_QUOTA) as i64)
}

fn tmpfs(workspace: u64, engine: EngineKind) -> HashMap<String, String> {
    // Podman 4.3 refuses `nr_inodes=` and `uid=`/`gid=` ("unknown mount option"). Its own `U`
    // gives the mount to the container's user, which is the same uid:gid. Without `nr_inodes=`
    // the bytes are still bounded by `size=`, and each inode is kernel memory charged to the
    // sandbox's memory cgroup, so a program making empty files meets the memory limit.
    let podman = engine == EngineKind::Podman;
    let inodes = |n: u32| {
        if podman {
            String::new()
        } else {
            format!(",nr_inodes={n}")
        }
    };
    let owner = if podman {
        ",U".to_string()
    } else {
        format!(",uid={UID},gid={UID}")
    };
    // The workspace needs exec for compiled programs; /tmp does not. Sizes are always explicit
    // (a tmpfs without size= is half the host's RAM), and both count against the memory limit.
    HashMap::from([
        (
            "/work".to_string(),
            format!(
                "rw,exec,nosuid,nodev,size={workspace}{}{owner},mode=0700",
                inodes(16384)
            ),
        ),
        (
            "/tmp".to_string(),
            format!(
                "rw,noexec,nosuid,nodev,size={workspace}{},mode=1777",
                inodes(4096)
            ),
        ),
    ])
}

/// Podman sets `RLIMIT_NPROC` itself when the request does not (4194304 when rootful), and a
/// root without CAP_SYS_RESOURCE (a CI container) cannot raise it that far: every start failed
/// with "error setting rlimit type 6". So codecage asks for no more than it has itself, at most
/// 32768. That is no bound on the sandbox (it counts per host uid, across sandboxes); the pids
/// cgroup is, as on Docker.
fn podman_nproc(engine: EngineKind) -> Option<i64> {
    if engine != EngineKind::Podman {
        return None;
    }
    let own = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            let line = limits.lines().find(|l| l.starts_with("Max processes"))?;
            // "Max processes   SOFT   HARD   processes": the hard limit, or "unlimited".
            line.split_whitespace().nth(3)?.parse::<i64>().ok()
        });
    Some(own.unwrap_or(PODMAN_NPROC).min(PODMAN_NPROC))
}

const PODMAN_NPROC: i64 = 32768;

/// No core dumps, a bounded number of open files, no file larger than the workspace, and (only
/// where it counts per sandbox, see `runtime.rs`) a bound on processes.
fn ulimits(workspace: u64, nproc: Option<i64>) -> Vec<ResourcesUlimits> {
    let ulimit = |name: &str, value: i64| ResourcesUlimits {
        name: Some(name.to_string()),
        soft: Some(value),
        hard: Some(value),
    };
    // No nproc ulimit on the host kernel: it counts per host uid across containers. The pids
    // cgroup bounds processes instead.
    let mut ulimits = vec![
        ulimit("core", 0),
        ulimit("nofile", 1024),
        ulimit("fsize", workspace as i64),
    ];
    ulimits.extend(nproc.map(|n| ulimit("nproc", n)));
    ulimits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_quota_keeps_the_share_whatever_the_period() {
        let with = |cpus: f64, period_ms: u64| {
            let mut limits = Limits::run_defaults();
            limits.cpus = cpus;
            limits.cpu_period = std::time::Duration::from_millis(period_ms);
            cpu_period_and_quota(&limits)
        };
        assert_eq!(with(0.5, 1000), (1_000_000, 500_000));
        assert_eq!(with(0.5, 100), (100_000, 50_000));
        assert_eq!(with(2.0, 1000), (1_000_000, 2_000_000));
        // A period too short for the engine's 1 ms least quota is lengthened, not the quota
        // raised (0.5 CPU over 1 ms would otherwise be a whole core).
        assert_eq!(with(0.5, 1), (2_000, 1_000));
        assert_eq!(with(0.001, 1), (1_000_000, 1_000));
    }

    #[test]
    fn tmpfs_options_are_the_ones_each_engine_accepts() {
        let docker = tmpfs(64 << 20, EngineKind::Docker);
        let work = &docker["/work"];
        assert!(work.contains(",nr_inodes=16384,") && work.contains(&format!(",uid={UID},")));
        assert!(docker["/tmp"].contains(",nr_inodes=4096,"));
        // Podman 4.3 refuses nr_inodes, uid and gid ("unknown mount option"); `U` gives the
        // mount to the container's user.
        let podman = tmpfs(64 << 20, EngineKind::Podman);
        for options in podman.values() {
            assert!(!options.contains("nr_inodes") && !options.contains("uid="));
            assert!(options.contains("size=67108864"), "{options}");
        }
        assert!(podman["/work"].contains(",U,"));
        assert!(!podman["/tmp"].contains(",U"));
    }

    #[test]
    fn only_podman_gets_an_nproc_it_can_set() {
        assert_eq!(podman_nproc(EngineKind::Docker), None);
        let n = podman_nproc(EngineKind::Podman).unwrap();
        assert!((1..=PODMAN_NPROC).contains(&n));
    }

    #[test]
    fn under_gvisor_nproc_bounds_the_program_and_the_host_limit_is_a_backstop() {
        let limits = crate::limits::Limits::run_defaults();
        let mut spec = SandboxSpec::new("img".into(), vec!["true".into()], Vec::new(), limits);
        let runc = host_config(&spec, None, false);
        assert_eq!(runc.pids_limit, Some(spec.limits.pids));
        assert!(!runc
            .ulimits
            .iter()
            .flatten()
            .any(|u| u.name.as_deref() == Some("nproc")));
        spec.runtime = Some("runsc".into());
        let gvisor = host_config(&spec, None, true);
        assert_eq!(gvisor.pids_limit, Some(4096));
        assert!(gvisor
            .ulimits
            .iter()
            .flatten()
            .any(|u| u.name.as_deref() == Some("nproc") && u.hard == Some(spec.limits.pids)));
        // The parent cgroup enforces the memory limit; the container's sits above it.
        assert_eq!(
            gvisor.memory,
            Some((spec.limits.memory + PARENT_MEMORY_HEADROOM) as i64)
        );
        assert_eq!(gvisor.memory, gvisor.memory_swap);
    }
}
