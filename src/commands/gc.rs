//! `codecage gc`: remove codecage containers left behind (a crash between create and start, or a
//! container past its deadline). Running ones before their deadline, and ones created in the last
//! minute, belong to live runs and are kept unless `--all`. Also the FIFO directories and per-run
//! cgroups such a crash leaves. Normal runs never need it: the engine removes each container
//! when it exits.

use std::collections::HashMap;

use anyhow::{Context, Result};
use bollard::query_parameters::{ListContainersOptionsBuilder, RemoveContainerOptionsBuilder};
use bollard::Docker;

use codecage::sandbox::{LABEL, LABEL_DEADLINE};

pub async fn run(docker: &Docker, all: bool) -> Result<u8> {
    let filters = HashMap::from([("label", vec![LABEL.to_string()])]);
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let containers = docker
        .list_containers(Some(options))
        .await
        .context("cannot list containers")?;
    let now = codecage::units::unix_now().max(0) as u64;
    let mut removed = 0;
    for c in containers {
        let state = c
            .state
            .as_ref()
            .map(|s| format!("{s:?}").to_lowercase())
            .unwrap_or_default();
        // A young "created" container belongs to a run that is about to start it.
        let young = c.created.is_some_and(|t| now.saturating_sub(t as u64) < 60);
        let live = state.contains("running") || (state.contains("created") && young);
        let expired = c
            .labels
            .as_ref()
            .and_then(|l| l.get(LABEL_DEADLINE))
            .and_then(|d| d.parse::<u64>().ok())
            .is_some_and(|d| d < now);
        if !(all || !live || expired) {
            continue;
        }
        let Some(id) = c.id else { continue };
        let options = RemoveContainerOptionsBuilder::default()
            .force(true)
            .v(true)
            .build();
        if docker.remove_container(&id, Some(options)).await.is_ok() {
            removed += 1;
        }
    }
    // FIFO directories outlive a codecage killed between create and start; a minute is far
    // longer than that window.
    let dirs = codecage::sandbox::remove_stale_fifos(std::time::Duration::from_secs(60));
    if dirs > 0 {
        eprintln!(
            "codecage: removed {dirs} stale FIFO director{}",
            if dirs == 1 { "y" } else { "ies" }
        );
    }
    // Parent cgroups outlive a codecage killed mid-run (SIGKILL); the kernel refuses to remove
    // one that a live sandbox is still in, so only stale ones go.
    let cgroups = codecage::sandbox::remove_stale_cgroups();
    if cgroups > 0 {
        eprintln!("codecage: removed {cgroups} stale accounting cgroup(s)");
    }
    eprintln!("codecage: removed {removed} container(s)");
    Ok(codecage::exit_code::SUCCESS)
}
