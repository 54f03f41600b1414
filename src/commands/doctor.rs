//! `codecage doctor`: is this machine ready to run untrusted code safely? Each check prints pass,
//! warn or fail with the fix; any failure makes the exit status non-zero.

use std::time::Duration;

use anyhow::Result;
use bollard::Docker;

use crate::image::{self, BASE_IMAGE};
use crate::limits::Limits;
use crate::profile::Profiles;
use crate::sandbox::{self, Collected, SandboxSpec, Verdict};

#[derive(PartialEq)]
enum Level {
    Pass,
    Warn,
    Fail,
}

struct Report {
    text: String,
    failed: bool,
}

impl Report {
    fn line(&mut self, level: Level, what: &str, fix: Option<&str>) {
        let tag = match level {
            Level::Pass => "pass",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        self.failed |= level == Level::Fail;
        self.text += &format!("{tag}  {what}\n");
        if let Some(fix) = fix {
            self.text += &format!("      fix: {fix}\n");
        }
    }
}

pub async fn run(profiles: &Profiles) -> Result<u8> {
    let mut r = Report {
        text: String::new(),
        failed: false,
    };
    let docker = match crate::docker::connect().await {
        Ok(d) => d,
        Err(e) => {
            r.line(
                Level::Fail,
                &format!("{e:#}"),
                Some("start Docker, or set DOCKER_HOST"),
            );
            crate::output::print_stdout(&r.text)?;
            return Ok(crate::exit_code::CODECAGE_ERROR);
        }
    };
    let info = docker.info().await?;
    r.line(
        Level::Pass,
        &format!(
            "engine {} reachable (API {} negotiated), kernel {}, {} CPUs",
            info.server_version.clone().unwrap_or_default(),
            docker.client_version(),
            info.kernel_version.clone().unwrap_or_default(),
            info.ncpu.unwrap_or(0)
        ),
        None,
    );
    let cgroup = info
        .cgroup_version
        .map(|v| format!("{v:?}").to_lowercase())
        .unwrap_or_default();
    r.line(
        Level::Pass,
        &format!("cgroup {}", cgroup.trim_start_matches('_')),
        None,
    );
    let security = info.security_options.clone().unwrap_or_default();
    if security.iter().any(|s| s.contains("seccomp")) {
        r.line(Level::Pass, "seccomp enabled in the engine", None);
    } else {
        r.line(
            Level::Fail,
            "the engine runs without seccomp",
            Some("use an engine built with seccomp support"),
        );
    }
    let mut runtimes: Vec<String> = info
        .runtimes
        .clone()
        .unwrap_or_default()
        .into_keys()
        .collect();
    runtimes.sort();
    let level = if runtimes.iter().any(|r| r == "runsc") {
        Level::Pass
    } else {
        Level::Warn
    };
    let fix = (level == Level::Warn)
        .then_some("install gVisor (runsc) for a stronger boundary than namespaces + seccomp");
    r.line(
        level,
        &format!("OCI runtimes: {}", runtimes.join(", ")),
        fix,
    );

    match crate::sandbox::stdio_decision().await {
        Ok(()) => r.line(
            Level::Pass,
            "stdio on FIFOs mounted into each sandbox (the engine is a dockerd on this machine)",
            None,
        ),
        Err(reason) => r.line(
            Level::Warn,
            &format!("stdio through attach: {reason}"),
            Some("works everywhere, but streams run at ~1/3 the speed of FIFOs"),
        ),
    }
    if docker.inspect_image(BASE_IMAGE).await.is_ok() {
        r.line(
            Level::Pass,
            &format!("base image {BASE_IMAGE} present"),
            None,
        );
    } else {
        r.line(
            Level::Warn,
            &format!("base image {BASE_IMAGE} missing"),
            Some("docker pull debian:trixie-slim, or sudo images/bootstrap-offline.sh without a registry"),
        );
    }
    let mut missing = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for p in profiles.iter() {
        let source = p.image_source();
        if seen.insert(source.tag()) && !image::is_built(&docker, source).await {
            missing.push(source.name.clone());
        }
    }
    if missing.is_empty() {
        r.line(
            Level::Pass,
            &format!("all {} language images built", seen.len()),
            None,
        );
    } else {
        r.line(
            Level::Warn,
            &format!(
                "images not built yet: {} (built on first use)",
                missing.join(", ")
            ),
            Some("codecage images build"),
        );
    }
    disk(
        &mut r,
        info.docker_root_dir.as_deref().unwrap_or("/var/lib/docker"),
    );

    if docker.inspect_image(BASE_IMAGE).await.is_ok() {
        probe(&docker, &mut r).await;
    }
    crate::output::print_stdout(&r.text)?;
    Ok(if r.failed {
        crate::exit_code::CODECAGE_ERROR
    } else {
        crate::exit_code::SUCCESS
    })
}

/// Free space where the engine keeps images and containers.
fn disk(r: &mut Report, root: &str) {
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
        Some(kib) if kib >= 5 << 20 => r.line(
            Level::Pass,
            &format!("{} GiB free under {root}", kib >> 20),
            None,
        ),
        Some(kib) => r.line(
            Level::Warn,
            &format!("only {} MiB free under {root}", kib >> 10),
            Some("free disk space (docker system prune, codecage gc)"),
        ),
        None => r.line(
            Level::Warn,
            &format!("cannot read free space under {root}"),
            None,
        ),
    }
}

/// Run tiny sandboxes to see that the memory and pids limits are really enforced.
async fn probe(docker: &Docker, r: &mut Report) {
    let mut limits = Limits::run_defaults();
    limits.time = Duration::from_secs(10);
    limits.memory = 32 << 20;
    limits.pids = 16;
    let spec = |script: &str| SandboxSpec {
        image: BASE_IMAGE.to_string(),
        argv: vec!["sh".into(), "-c".into(), script.into()],
        workspace_tar: tar::Builder::new(Vec::new())
            .into_inner()
            .unwrap_or_default(),
        limits: limits.clone(),
        tty: None,
        compile: false,
        labels: sandbox::env_labels(),
        trace: false,
        runtime: None,
    };
    let cancel = tokio_util::sync::CancellationToken::new();
    // The shell holds a command substitution's output in memory: 128 MiB of it.
    let memory = sandbox::run(
        docker,
        &spec("x=$(head -c 134217728 /dev/zero | tr '\\0' a); echo ${#x}"),
        sandbox::fixed_input(Vec::new()),
        &mut Collected::default(),
        cancel.clone(),
    )
    .await;
    match memory {
        Ok(o) if o.verdict() == Verdict::MemoryLimit => r.line(
            Level::Pass,
            "memory limit enforced (probe OOM-killed at 32 MiB)",
            None,
        ),
        Ok(_) => r.line(
            Level::Fail,
            "memory limit NOT enforced (probe was not OOM-killed)",
            Some("enable the memory cgroup controller (cgroup_enable=memory swapaccount=1)"),
        ),
        Err(e) => r.line(Level::Fail, &format!("memory probe failed: {e:#}"), None),
    }
    let pids = sandbox::run(
        docker,
        &spec("n=0; while [ $n -lt 100 ]; do sleep 5 & n=$((n+1)); done 2>/dev/null; [ $n -lt 100 ] && exit 0 || exit 3"),
        sandbox::fixed_input(Vec::new()),
        &mut Collected::default(),
        cancel,
    )
    .await;
    match pids {
        Ok(o) if o.exit_code == Some(3) => r.line(
            Level::Fail,
            "pids limit NOT enforced (100 processes started under a limit of 16)",
            Some("enable the pids cgroup controller"),
        ),
        Ok(o) if o.exit_code.is_some() && o.verdict() != Verdict::TimeLimit => r.line(
            Level::Pass,
            "pids limit enforced (fork refused at 16)",
            None,
        ),
        Ok(o) => r.line(
            Level::Warn,
            &format!("pids probe inconclusive (exit {:?})", o.exit_code),
            None,
        ),
        Err(e) => r.line(Level::Fail, &format!("pids probe failed: {e:#}"), None),
    }
}
