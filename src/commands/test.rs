//! `codecage test`: compile once, run every case in a fresh sandbox, report verdicts.

use std::path::Path;

use anyhow::{Context, Result};
use tokio_util::sync::CancellationToken;

use crate::cli::{RunArgs, TestArgs};
use crate::compile::{compile, failure_reason, Compiled};
use crate::exit_code;
use crate::grade::case::{self, TestCase};
use crate::grade::compare::Compare;
use crate::grade::report::Report;
use crate::grade::{CaseResult, CaseVerdict, Grading};
use crate::limits::Limits;
use crate::plan::RunPlan;
use crate::profile::Profiles;
use crate::sandbox::{self, OutputSink};
use crate::{image, progress};

pub async fn run(args: &TestArgs, profiles: &Profiles) -> Result<u8> {
    // Everything the user can get wrong is checked before Docker is touched.
    let run_args = RunArgs {
        files: args.files.clone(),
        args: Vec::new(),
        lang: args.lang.clone(),
        main: args.main.clone(),
        time_limit: args.time_limit.clone(),
        memory: args.memory.clone(),
        cpus: args.cpus,
        pids: args.pids,
        output_limit: args.output_limit.clone(),
        idle_timeout: None,
        tty: false,
        no_tty: true,
    };
    let plan = RunPlan::new(&run_args, profiles, Limits::test_defaults())?;
    let compare: Compare = args.compare.parse()?;
    let (cases, suite_compare) = match (&args.cases, &args.suite) {
        (Some(dir), _) => (case::load_dir(dir)?, None),
        (None, Some(suite)) => case::load_suite(suite)?,
        (None, None) => anyhow::bail!("give --cases DIR or --suite FILE"),
    };
    let compare = if args.compare == "lines" {
        suite_compare.unwrap_or(compare)
    } else {
        compare
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let solution = args.files[0].display().to_string();

    let docker = crate::docker::connect().await?;
    let tag = image::ensure(&docker, plan.profile.image_source(), false).await?;
    let labels = sandbox::env_labels();
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });

    let mut diagnostics = Diagnostics::default();
    let compiled = compile(
        &docker,
        &tag,
        &plan,
        &labels,
        &mut diagnostics,
        cancel.clone(),
    )
    .await?;
    let compile_output = String::from_utf8_lossy(&diagnostics.0).into_owned();
    let (results, compile_failed) = match compiled {
        Compiled::Ready(workspace) => {
            let bar = progress::bar(cases.len() as u64, "testing");
            let grading = Grading {
                docker: &docker,
                image: &tag,
                plan: &plan,
                workspace: &workspace,
                compare,
                jobs,
                labels: &labels,
                cancel: cancel.clone(),
            };
            let results = grading.run(&cases, |_| bar.inc(1)).await;
            bar.finish_and_clear();
            (results, None)
        }
        Compiled::Failed(outcome) => {
            let reason = format!("compilation failed{}", failure_reason(&outcome, &plan));
            (
                cases.iter().map(|c| compile_error(c, &reason)).collect(),
                Some(reason),
            )
        }
    };

    let passed = results
        .iter()
        .filter(|r| r.verdict == CaseVerdict::AC)
        .count();
    let report = Report {
        solution: &solution,
        language: &plan.profile.name,
        verdict: Report::overall(&results),
        passed,
        total: results.len(),
        compile_output: compile_failed.as_ref().map(|_| compile_output.clone()),
        cases: &results,
    };
    if let Some(path) = &args.junit {
        write(path, &report.junit())?;
    }
    let json = serde_json::to_string_pretty(&report)? + "\n";
    match args.json.as_deref() {
        Some(p) if p == Path::new("-") => print!("{json}"),
        Some(p) => write(p, &json)?,
        None => {}
    }
    if args.json.as_deref() != Some(Path::new("-")) {
        if let Some(reason) = &compile_failed {
            eprint!("{compile_output}");
            eprintln!("codecage: {reason}");
        }
        print!("{}", report.table());
        if let Some(diff) = report.first_diff() {
            eprint!("{diff}");
        }
    }
    Ok(match report.verdict {
        CaseVerdict::AC => exit_code::SUCCESS,
        CaseVerdict::CE => exit_code::COMPILE_ERROR,
        CaseVerdict::IE => exit_code::CODECAGE_ERROR,
        _ if results.iter().any(|r| r.verdict == CaseVerdict::IE) => exit_code::CODECAGE_ERROR,
        _ => exit_code::TESTS_FAILED,
    })
}

fn compile_error(case: &TestCase, reason: &str) -> CaseResult {
    CaseResult {
        name: case.name.clone(),
        verdict: CaseVerdict::CE,
        time_ms: 0,
        exit_code: None,
        message: Some(reason.to_string()),
        stdout: Vec::new(),
        stderr: Vec::new(),
        expected: case.stdout.clone(),
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Compiler diagnostics, kept for the report (and printed on a compile error).
#[derive(Default)]
struct Diagnostics(Vec<u8>);

impl OutputSink for Diagnostics {
    fn stdout(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }
    fn stderr(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }
}
