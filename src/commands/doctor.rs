//! `codecage doctor`: is this machine ready to run untrusted code safely? Each check prints pass,
//! warn or fail with the fix; any failure makes the exit status non-zero.

use std::time::Duration;

use anyhow::Result;
use bollard::models::SystemInfo;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use codecage::image::{self, BASE_IMAGE};
use codecage::limits::Limits;
use codecage::profile::Profiles;
use codecage::sandbox::{self, Collected, Outcome, SandboxSpec, Verdict};

#[derive(PartialEq)]
enum Level {
    Pass,
    Warn,
    Fail,
}

/// One check's result: what was found and, unless it passed, how to fix it.
struct Line {
    level: Level,
    what: String,
    fix: Option<&'static str>,
}

impl Line {
    fn new(level: Level, what: impl Into<String>, fix: Option<&'static str>) -> Line {
        Line {
            level,
            what: what.into(),
            fix,
        }
    }

    fn pass(what: impl Into<String>) -> Line {
        Line::new(Level::Pass, what, None)
    }
}

#[derive(Default)]
struct Report {
    text: String,
    failed: bool,
}

impl Report {
    fn add(&mut self, line: Line) {
        let tag = match line.level {
            Level::Pass => "pass",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        self.failed |= line.level == Level::Fail;
        self.text += &format!("{tag}  {}\n", line.what);
        if let Some(fix) = line.fix {
            self.text += &format!("      fix: {fix}\n");
        }
    }

    /// Print the report; the exit status says whether any check failed.
    fn print(&self) -> Result<u8> {
        crate::output::print_stdout(&self.text)?;
        Ok(if self.failed {
            codecage::exit_code::CODECAGE_ERROR
        } else {
            codecage::exit_code::SUCCESS
        })
    }
}

/// `runtime`: the OCI runtime asked for with `--runtime` or the config file (profiles already
/// carry it); the default runtime's checks then run in it too.
pub async fn run(profiles: &Profiles, runtime: Option<&str>) -> Result<u8> {
    let mut r = Report::default();
    let docker = match codecage::docker::connect().await {
        Ok(d) => d,
        Err(e) => {
            let fix = Some("start Docker: `sudo systemctl start docker` (or `sudo dockerd &`), or set DOCKER_HOST to a reachable engine");
            r.add(Line::new(Level::Fail, format!("{e:#}"), fix));
            return r.print();
        }
    };
    let info = docker.info().await?;
    r.add(engine(&docker, &info));
    r.add(cgroup(&info));
    r.add(seccomp(&info));
    if let Err(e) = sandbox::check_engine(&docker).await {
        r.add(Line::new(
            Level::Fail,
            e.to_string(),
            Some("run the engine rootful (`sudo podman system service`, or Docker's rootful daemon), or move to a host with cgroup v2 where rootless engines get their cgroups delegated"),
        ));
    }
    r.add(stdio().await);
    r.add(cpu_accounting(&docker).await);
    r.add(judge_boxes());
    let base_present = docker.inspect_image(BASE_IMAGE).await.is_ok();
    for line in runtimes(&docker, &info, profiles, base_present).await {
        r.add(line);
    }
    r.add(base_image(base_present));
    r.add(language_images(&docker, profiles).await);
    r.add(disk(
        info.docker_root_dir.as_deref().unwrap_or("/var/lib/docker"),
    ));
    if base_present {
        r.add(memory_probe(&docker, runtime).await);
        r.add(pids_probe(&docker, runtime).await);
    }
    r.print()
}

fn engine(docker: &Docker, info: &SystemInfo) -> Line {
    // Both engines list `name=rootless` among their security options in rootless mode.
    // Docker lists `name=rootless` among its security options; Podman's compatible API does not,
    // but its socket belongs to its user.
    let rootless = codecage::docker::rootless().unwrap_or(false)
        || info
            .security_options
            .iter()
            .flatten()
            .any(|o| o.contains("rootless"));
    Line::pass(format!(
        "engine {} {} ({}) reachable (API {} negotiated), kernel {}, {} CPUs",
        codecage::docker::kind().name(),
        info.server_version.clone().unwrap_or_default(),
        if rootless { "rootless" } else { "rootful" },
        docker.client_version(),
        info.kernel_version.clone().unwrap_or_default(),
        info.ncpu.unwrap_or(0)
    ))
}

fn cgroup(info: &SystemInfo) -> Line {
    let cgroup = info
        .cgroup_version
        .map(|v| format!("{v:?}").to_lowercase())
        .unwrap_or_default();
    Line::pass(format!("cgroup {}", cgroup.trim_start_matches('_')))
}

/// Whether `test`/`verify` can judge by CPU time here, as they do by default.
/// Whether `test`, `verify` and `/grade` can run cases in judge boxes (the launcher is embedded
/// when this codecage was built with a static C library).
fn judge_boxes() -> Line {
    match sandbox::judge_box::launcher_missing() {
        None => Line::pass(
            "judge boxes: `test`, `verify` and `/grade` run each case as a fresh process in a sandbox per worker",
        ),
        Some(why) => Line::new(
            Level::Warn,
            format!("no judge boxes ({why}): grading starts a container per case, ~170 ms of engine work each"),
            Some("build codecage where a static C library is installed (Debian: libc6-dev)"),
        ),
    }
}

async fn cpu_accounting(docker: &Docker) -> Line {
    match sandbox::why_not_measurable(docker).await {
        None => Line::pass(
            "CPU time and peak memory measured from the sandbox's cgroup: `test -t` judges CPU time",
        ),
        Some((why, fix)) => Line::new(
            Level::Warn,
            format!(
                "no CPU accounting ({why}): `test -t` falls back to a wall-clock limit and CPU time and memory are not reported"
            ),
            Some(fix),
        ),
    }
}

fn seccomp(info: &SystemInfo) -> Line {
    let security = info.security_options.clone().unwrap_or_default();
    if security.iter().any(|s| s.contains("seccomp")) {
        Line::pass("seccomp enabled in the engine")
    } else {
        Line::new(
            Level::Fail,
            "the engine runs without seccomp",
            Some("use an engine built with seccomp support"),
        )
    }
}

/// The exact commands that make gVisor work with a local dockerd (what `.ci/ensure-runsc.sh` does).
const RUNSC_FIX: &str = "install and register gVisor: `sudo apt-get install runsc`, then in /etc/docker/daemon.json: {\"runtimes\": {\"runsc\": {\"path\": \"/usr/bin/runsc\", \"runtimeArgs\": [\"--network=none\", \"--platform=ptrace\"]}}} (merge with what is there; --platform=kvm where /dev/kvm exists), then `sudo kill -HUP $(pidof dockerd)`";

/// Each OCI runtime a profile (or `--runtime`) asks for, and gVisor's runsc, proved by running a
/// probe in it: an engine that lists a runtime may still fail every container in it (runsc
/// registered without `--network=none` does).
async fn runtimes(
    docker: &Docker,
    info: &SystemInfo,
    profiles: &Profiles,
    base_present: bool,
) -> Vec<Line> {
    let registered: std::collections::BTreeSet<String> = info
        .runtimes
        .clone()
        .unwrap_or_default()
        .into_keys()
        .collect();
    let wanted: std::collections::BTreeSet<String> =
        profiles.iter().filter_map(|p| p.runtime.clone()).collect();
    let mut names = wanted.clone();
    names.insert("runsc".to_string());
    let mut lines = vec![Line::pass(format!(
        "OCI runtimes registered: {}",
        registered.iter().cloned().collect::<Vec<_>>().join(", ")
    ))];
    for name in names {
        // Needed by a profile or the command line: failing it fails doctor. Otherwise a hint.
        let level = if wanted.contains(&name) {
            Level::Fail
        } else {
            Level::Warn
        };
        let fix = (codecage::sandbox::Isolation::of(Some(&name))
            == codecage::sandbox::Isolation::Gvisor
            && codecage::docker::kind() == codecage::docker::EngineKind::Docker)
            .then_some(RUNSC_FIX);
        if !registered.contains(&name) {
            let what = format!("OCI runtime {name} is not registered with the engine");
            lines.push(Line::new(level, what, fix));
            continue;
        }
        if !base_present {
            let what = format!("OCI runtime {name} not probed: no base image to probe it in");
            lines.push(Line::new(Level::Warn, what, Some(PROBE_FIX)));
            continue;
        }
        let host_kernel = info.kernel_version.clone().unwrap_or_default();
        lines.push(match runtime_probe(docker, &name).await {
            // gVisor answers with a kernel of its own: the host's means it was not gVisor.
            Ok((what, _)) if fix.is_some() && what.contains(&format!("kernel {host_kernel} ")) => {
                Line::new(
                    level,
                    format!("{what}: the host's kernel, so not under gVisor"),
                    fix,
                )
            }
            Ok((what, true)) => Line::pass(what),
            // gVisor's model: the program's calls go to its user-space kernel, and that kernel
            // is what the host's seccomp filter confines (`runtime.rs`).
            Ok((what, false)) if fix.is_some() => Line::pass(format!(
                "{what}; seccomp confines gVisor's kernel, not the program"
            )),
            Ok((what, false)) => Line::new(
                level,
                format!("{what}, but the program runs without a seccomp filter"),
                None,
            ),
            Err(e) => Line::new(level, format!("OCI runtime {name} fails: {e:#}"), fix),
        });
    }
    lines
}

/// Run a program that echoes its input in `runtime`: what it found and whether the program had a
/// seccomp filter, or why it failed.
async fn runtime_probe(docker: &Docker, runtime: &str) -> Result<(String, bool)> {
    let t0 = std::time::Instant::now();
    let mut limits = Limits::run_defaults();
    limits.time = Duration::from_secs(20);
    let argv = vec![
        "sh".into(),
        "-c".into(),
        "read line; echo \"$line $(uname -r) $(grep -c '^Seccomp:[[:space:]]*2' /proc/self/status)\""
            .into(),
    ];
    let spec = SandboxSpec::new(BASE_IMAGE.to_string(), argv, empty_tar(), limits)
        .with_runtime(Some(runtime.to_string()));
    let mut out = Collected::default();
    let outcome = sandbox::run(
        docker,
        &spec,
        sandbox::fixed_input(b"probe-ok\n".to_vec()),
        &mut out,
        CancellationToken::new(),
    )
    .await?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let Some((kernel, seccomp)) = text
        .strip_prefix("probe-ok ")
        .and_then(|rest| rest.split_once(' '))
    else {
        anyhow::bail!(
            "the probe exited {:?} with output {:?} instead of echoing its input",
            outcome.exit_code,
            String::from_utf8_lossy(&out.output)
        );
    };
    let what = format!(
        "OCI runtime {runtime} runs sandboxes (probe answered in {} ms; kernel {kernel} as the program sees it)",
        t0.elapsed().as_millis()
    );
    Ok((what, seccomp == "1"))
}

fn empty_tar() -> Vec<u8> {
    tar::Builder::new(Vec::new())
        .into_inner()
        .unwrap_or_default()
}

async fn stdio() -> Line {
    match sandbox::stdio_decision().await {
        Ok(()) => {
            Line::pass("stdio on FIFOs mounted into each sandbox (the engine runs on this machine)")
        }
        Err(reason) => Line::new(
            Level::Warn,
            format!("stdio through attach: {reason}"),
            Some("works everywhere, but streams run at ~1/3 the speed of FIFOs"),
        ),
    }
}

fn base_image(present: bool) -> Line {
    if present {
        Line::pass(format!("base image {BASE_IMAGE} present"))
    } else {
        Line::new(
            Level::Warn,
            format!("base image {BASE_IMAGE} missing"),
            Some("docker pull debian:trixie-slim, or sudo codecage images bootstrap without a registry"),
        )
    }
}

async fn language_images(docker: &Docker, profiles: &Profiles) -> Line {
    let mut missing = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for p in profiles.iter() {
        let source = p.image_source();
        if seen.insert(source.tag()) && !image::is_built(docker, source).await {
            missing.push(source.name.clone());
        }
    }
    if missing.is_empty() {
        Line::pass(format!("all {} language images built", seen.len()))
    } else {
        Line::new(
            Level::Warn,
            format!(
                "images not built yet: {} (built on first use)",
                missing.join(", ")
            ),
            Some("codecage images build"),
        )
    }
}

/// Free space where the engine keeps images and containers.
fn disk(root: &str) -> Line {
    let out = std::process::Command::new("df")
        .args(["-Pk", root])
        .output();
    let free_kib = out.ok().and_then(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .nth(1)
            .and_then(|l| {
                l.split_whitespace()
                    .nth(3)
                    .and_then(|v| v.parse::<u64>().ok())
            })
    });
    match free_kib {
        Some(kib) if kib >= 5 << 20 => Line::pass(format!("{} GiB free under {root}", kib >> 20)),
        Some(kib) => Line::new(
            Level::Warn,
            format!("only {} MiB free under {root}", kib >> 10),
            Some("free disk space: `codecage gc`, `codecage images prune --all`, `docker system prune`"),
        ),
        None => Line::new(
            Level::Warn,
            format!("cannot read free space under {root}"),
            None,
        ),
    }
}

/// Run `script` in a tiny sandbox of the base image with tight memory and pids limits, in
/// `runtime` (`None`: the engine's default).
async fn probe(docker: &Docker, script: &str, runtime: Option<&str>) -> Result<Outcome> {
    let mut limits = Limits::run_defaults();
    limits.time = Duration::from_secs(10);
    limits.memory = 32 << 20;
    limits.pids = 16;
    let argv = vec!["sh".into(), "-c".into(), script.into()];
    let spec = SandboxSpec::new(BASE_IMAGE.to_string(), argv, empty_tar(), limits)
        .with_runtime(runtime.map(str::to_string));
    // Straight to the sandbox: the base image is not codecage's to build again if it is missing.
    let outcome = sandbox::run(
        docker,
        &spec,
        sandbox::fixed_input(Vec::new()),
        &mut Collected::default(),
        CancellationToken::new(),
    )
    .await?;
    Ok(outcome)
}

/// Is the memory limit really enforced?
async fn memory_probe(docker: &Docker, runtime: Option<&str>) -> Line {
    // The shell holds a command substitution's output in memory: 128 MiB of it.
    match probe(
        docker,
        "x=$(head -c 134217728 /dev/zero | tr '\\0' a); echo ${#x}",
        runtime,
    )
    .await
    {
        Ok(o) if o.verdict() == Verdict::MemoryLimit => {
            Line::pass("memory limit enforced (probe OOM-killed at 32 MiB)")
        }
        Ok(_) => Line::new(
            Level::Fail,
            "memory limit NOT enforced (probe was not OOM-killed)",
            Some("enable the memory cgroup controller: add `cgroup_enable=memory swapaccount=1` to GRUB_CMDLINE_LINUX in /etc/default/grub, then `sudo update-grub` and reboot"),
        ),
        Err(e) => Line::new(
            Level::Fail,
            format!("memory probe failed: {e:#}"),
            Some(PROBE_FIX),
        ),
    }
}

/// What to do when a probe could not run at all (most often: no base image to run it in).
const PROBE_FIX: &str =
    "make sure the base image is there (`sudo codecage images bootstrap`), then `codecage gc` and run doctor again";

/// Is the pids limit really enforced?
async fn pids_probe(docker: &Docker, runtime: Option<&str>) -> Line {
    let script = "n=0; while [ $n -lt 100 ]; do sleep 5 & n=$((n+1)); done 2>/dev/null; [ $n -lt 100 ] && exit 0 || exit 3";
    match probe(docker, script, runtime).await {
        Ok(o) if o.exit_code == Some(3) => Line::new(
            Level::Fail,
            "pids limit NOT enforced (100 processes started under a limit of 16)",
            Some("enable the pids cgroup controller: add `cgroup_enable=pids` to GRUB_CMDLINE_LINUX in /etc/default/grub, then `sudo update-grub` and reboot"),
        ),
        Ok(o) if o.exit_code.is_some() && o.verdict() != Verdict::TimeLimit => {
            Line::pass("pids limit enforced (fork refused at 16)")
        }
        Ok(o) => Line::new(
            Level::Warn,
            format!("pids probe inconclusive (exit {:?})", o.exit_code),
            None,
        ),
        Err(e) => Line::new(
            Level::Fail,
            format!("pids probe failed: {e:#}"),
            Some(PROBE_FIX),
        ),
    }
}
