//! One file per subcommand; each only sequences the steps the other modules provide.

pub mod cache;
pub mod doctor;
pub mod gc;
pub mod images;
pub mod languages;
pub mod remote;
pub mod run;
pub mod test;
pub mod verify;

/// Cases graded at once: the flag, else the config file's `test.jobs`, else the number of cores.
pub fn grading_jobs(flag: Option<usize>, config: &codecage::config::Config) -> usize {
    flag.or(config.test.jobs)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
}

/// Say once, on stderr, that CPU time cannot be measured with this engine from here (a remote
/// engine, the systemd cgroup driver, no write access to /sys/fs/cgroup): the time limit is then
/// enforced only by its wall-clock backstop, so verdicts depend on load again. Grading goes on.
pub async fn warn_without_cpu_accounting(docker: &bollard::Docker) {
    if !codecage::sandbox::measurable(docker).await {
        eprintln!(
            "codecage: warning: CPU time cannot be measured with this engine here: the time limit is enforced as wall-clock time only (its backstop, 2 × the limit + 1s unless set); `codecage doctor` says why"
        );
    }
}

/// A token that the first Ctrl-C (SIGINT) cancels: grading stops starting cases, and every
/// sandbox running is killed and removed.
pub fn cancel_on_ctrl_c() -> tokio_util::sync::CancellationToken {
    let cancel = tokio_util::sync::CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    cancel
}

/// A problem package, read as `test --problem` and `verify` judge it: what a standard Polygon
/// package leaves to be made (generated tests, answers) is made first, in sandboxes (see
/// `grade::polygon_tests`), so only such a package needs the engine here.
pub async fn load_package(
    dir: &std::path::Path,
    profiles: &codecage::profile::Profiles,
    config: &codecage::config::Config,
    jobs: usize,
    verbose: bool,
) -> anyhow::Result<codecage::grade::package::Problem> {
    use codecage::grade::package;
    let failed = |e: package::PackageError| anyhow::anyhow!("problem package: {e}");
    let made = match package::generation(dir).map_err(failed)? {
        None => None,
        Some(generation) => {
            let docker = codecage::docker::connect().await?;
            let maker = codecage::grade::polygon_tests::Maker {
                docker: &docker,
                profiles,
                compile: config.compile.choice(false, false)?,
                jobs,
                verbose,
                cancel: cancel_on_ctrl_c(),
            };
            let made = maker.make(&generation).await;
            Some(made.map_err(|e| anyhow::anyhow!("problem package: {e:#}"))?)
        }
    };
    package::load_with(dir, made.as_ref()).map_err(failed)
}

/// The reports to write: each flag, else the config file's `report` entry (`--json` has none:
/// it can hold stdout).
pub fn reports_asked(
    flags: &crate::cli::ReportArgs,
    config: &codecage::config::Config,
) -> crate::cli::ReportArgs {
    let file = &config.report;
    crate::cli::ReportArgs {
        json: flags.json.clone(),
        junit: flags.junit.clone().or_else(|| file.junit.clone()),
        html: flags.html.clone().or_else(|| file.html.clone()),
        markdown: flags.markdown.clone().or_else(|| file.markdown.clone()),
        github: flags.github || file.github == Some(true),
    }
}

/// Write a report file, naming it in the error.
pub fn write_report(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
