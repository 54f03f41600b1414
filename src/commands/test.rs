//! `codecage test`: compile once, run every case in a fresh sandbox, report verdicts; with
//! `--each`, the same for several submissions and one combined report.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::cli::TestArgs;
use crate::output::print_stdout;
use codecage::compile::CompileFailure;
use codecage::config::Config;
use codecage::exit_code;
use codecage::grade::case::{self, TestCase};
use codecage::grade::compare::Compare;
use codecage::grade::report::{self, Combined, Report};
use codecage::grade::{CaseResult, Grading};
use codecage::limits::{LimitOverrides, Limits};
use codecage::plan::{PlanInput, RunPlan, TtyChoice};
use codecage::prepare::{prepare, Prepared};
use codecage::profile::Profiles;
use codecage::progress;
use codecage::sandbox::Collected;
use codecage::units::parse_duration;
use codecage::verdict::Verdict;

pub async fn run(args: &TestArgs, profiles: &Profiles, config: &Config) -> Result<u8> {
    // Everything the user can get wrong is checked before Docker is touched.
    let plans = plans(args, profiles, config)?;
    let (cases, compare) = cases(args, config)?;
    let jobs = args
        .jobs
        .or(config.test.jobs)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));

    let docker = codecage::docker::connect().await?;
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });

    let mut reports = Vec::new();
    for (name, plan) in &plans {
        let one = Submission {
            docker: &docker,
            plan,
            cases: &cases,
            compare,
            jobs,
            fail_fast: args.fail_fast,
            cancel: cancel.clone(),
        };
        reports.push(one.grade(name.clone()).await?);
        if cancel.is_cancelled() {
            break;
        }
    }
    present(args, &reports)?;
    Ok(exit_status(&reports, cancel.is_cancelled()))
}

/// One plan per submission (`--each`: every file is one), each named by its first file.
fn plans(args: &TestArgs, profiles: &Profiles, config: &Config) -> Result<Vec<(String, RunPlan)>> {
    let submissions: Vec<Vec<PathBuf>> = if args.each {
        args.files.iter().map(|f| vec![f.clone()]).collect()
    } else {
        vec![args.files.clone()]
    };
    let wall = args
        .wall_time_limit
        .as_deref()
        .map(parse_duration)
        .transpose()
        .context("--wall-time-limit")?;
    submissions
        .iter()
        .map(|files| {
            let name = files
                .first()
                .map(|f| f.display().to_string())
                .unwrap_or_default();
            let mut plan = RunPlan::new(
                &plan_input(args, files),
                profiles,
                Limits::test_defaults(),
                &config.test.limits,
            )
            .with_context(|| format!("submission {name}"))?;
            plan.limits.judge_by_cpu_time(wall);
            Ok((name, plan))
        })
        .collect()
}

/// The cases, and how to compare: --compare, else the suite's own default, else the config
/// file's, else lines.
fn cases(args: &TestArgs, config: &Config) -> Result<(Vec<TestCase>, Compare)> {
    let (cases, suite_compare) = match (&args.cases, &args.suite) {
        (Some(dir), _) => (case::load_dir(dir)?, None),
        (None, Some(suite)) => case::load_suite(suite)?,
        (None, None) => anyhow::bail!("give --cases DIR or --suite FILE"),
    };
    let compare = match (&args.compare, suite_compare, &config.test.compare) {
        (Some(flag), _, _) => flag.parse()?,
        (None, Some(suite), _) => suite,
        (None, None, Some(configured)) => {
            configured.parse().context("config file: test.compare")?
        }
        (None, None, None) => Compare::Lines,
    };
    Ok((cases, compare))
}

/// The reports: JUnit and JSON files when asked, the table (or JSON) on stdout.
fn present(args: &TestArgs, reports: &[Report]) -> Result<()> {
    if let Some(path) = &args.junit {
        write(path, &report::junit(reports))?;
    }
    let combined = Combined {
        verdict: reports
            .iter()
            .find(|r| !r.verdict.is_accepted())
            .map_or(Verdict::Accepted, |r| r.verdict),
        passed: reports.iter().filter(|r| r.verdict.is_accepted()).count(),
        total: reports.len(),
        submissions: reports,
    };
    let json = if args.each {
        serde_json::to_string_pretty(&combined)?
    } else {
        serde_json::to_string_pretty(&reports[0])?
    } + "\n";
    let json_on_stdout = args.json.as_deref() == Some(Path::new("-"));
    match args.json.as_deref() {
        Some(_) if json_on_stdout => return print_stdout(&json),
        Some(p) => write(p, &json)?,
        None => {}
    }
    if args.each {
        return print_stdout(&report::submissions_table(reports));
    }
    let r = &reports[0];
    if let Some(diagnostics) = &r.compile_output {
        eprint!("{diagnostics}");
        let reason = r
            .cases
            .first()
            .and_then(|c| c.message.as_deref())
            .unwrap_or("compilation failed");
        eprintln!("codecage: {reason}");
    }
    print_stdout(&r.table())?;
    if let Some(diff) = r.first_diff() {
        eprint!("{diff}");
    }
    Ok(())
}

/// The exit-status contract for `test`: interrupted, internal error, all accepted, or failed.
fn exit_status(reports: &[Report], cancelled: bool) -> u8 {
    let all = || reports.iter().flat_map(|r| &r.cases);
    if cancelled {
        exit_code::interrupted(libc::SIGINT)
    } else if all().any(|c| c.verdict == Verdict::InternalError) {
        exit_code::CODECAGE_ERROR
    } else if all().all(|c| c.verdict.is_accepted()) && reports.iter().all(|r| r.skipped == 0) {
        exit_code::SUCCESS
    } else {
        exit_code::TESTS_FAILED
    }
}

/// One submission's files, with the flags that apply to every submission.
fn plan_input(args: &TestArgs, files: &[PathBuf]) -> PlanInput {
    PlanInput {
        files: files.to_vec(),
        lang: args.lang.clone(),
        main: args.main.clone(),
        limits: LimitOverrides {
            time: args.time_limit.clone(),
            cpu_time: None,
            memory: args.memory.clone(),
            cpus: args.cpus,
            pids: args.pids,
            output: args.output_limit.clone(),
            workspace: None,
        },
        tty: TtyChoice::Never,
        ..PlanInput::default()
    }
}

struct Submission<'a> {
    docker: &'a Docker,
    plan: &'a RunPlan,
    cases: &'a [TestCase],
    compare: Compare,
    jobs: usize,
    fail_fast: bool,
    cancel: CancellationToken,
}

impl Submission<'_> {
    async fn grade(&self, solution: String) -> Result<Report> {
        let plan = self.plan;
        let mut diagnostics = Collected::default();
        let prepared = prepare(
            self.docker,
            plan,
            &mut diagnostics,
            false,
            self.cancel.clone(),
        )
        .await?;
        let language = plan.profile.name.clone();
        Ok(match prepared {
            Prepared::Ready(ready) => {
                let bar = progress::bar(self.cases.len() as u64, &format!("testing {solution}"));
                let grading = Grading {
                    docker: self.docker,
                    plan,
                    ready: &ready,
                    compare: self.compare,
                    jobs: self.jobs,
                    cancel: self.cancel.clone(),
                    fail_fast: self.fail_fast,
                };
                let results = grading.run(self.cases, |_| bar.inc(1)).await;
                bar.finish_and_clear();
                let skipped = self.cases.len() - results.len();
                Report::new(solution, language, results, skipped, None)
            }
            Prepared::CompileFailed(failure) => {
                let results = self
                    .cases
                    .iter()
                    .map(|c| compile_error(c, &failure))
                    .collect();
                Report::new(
                    solution,
                    language,
                    results,
                    0,
                    Some(String::from_utf8_lossy(&diagnostics.output).into_owned()),
                )
            }
        })
    }
}

fn compile_error(case: &TestCase, failure: &CompileFailure) -> CaseResult {
    CaseResult {
        name: case.name.clone(),
        verdict: failure.verdict(),
        time_ms: 0,
        cpu_ms: None,
        memory_bytes: None,
        exit_code: None,
        message: Some(failure.reason.clone()),
        stdout: Vec::new(),
        stderr: Vec::new(),
        expected: case.stdout.clone(),
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
