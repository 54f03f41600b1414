//! `codecage test`: compile once, run every case in a fresh sandbox, report verdicts and scores;
//! with a checker or an interactor (built once too) judging; with `--each`, the same for several
//! submissions and one combined report.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::TestArgs;
use crate::output::print_stdout;
use codecage::config::Config;
use codecage::dependencies::DepsChoice;
use codecage::escape;
use codecage::exit_code;
use codecage::grade::case::{self, DirLayout, TestCase};
use codecage::grade::compare::Compare;
use codecage::grade::judge_program::{Convention, Role};
use codecage::grade::lane::CaseMode;
use codecage::grade::report::{self, Combined, Report};
use codecage::grade::score::Group;
use codecage::grade::submission::{Grader, JudgePlan, JudgeSource, Judges, Problem, Scoring};
use codecage::grade::{ci_report, from_package, html_report, package};
use codecage::limits::{LimitOverrides, Limits};
use codecage::plan::{PlanInput, RunPlan, TtyChoice};
use codecage::profile::Profiles;
use codecage::units::parse_duration;
use codecage::verdict::Verdict;

/// Output limit per case of an interactive problem when none is given: the submission's side of
/// the conversation counts against it.
const INTERACTIVE_OUTPUT: &str = "64MiB";

/// `verbose` (`-v`): say whether each compile was a cache hit or miss.
pub async fn run(
    args: &TestArgs,
    profiles: &Profiles,
    config: &Config,
    verbose: bool,
) -> Result<u8> {
    // Everything the user can get wrong is checked before Docker is touched (but for making
    // what a standard Polygon package leaves to be made, in sandboxes).
    let jobs = super::grading_jobs(args.jobs, config);
    let package = match args.problem.as_deref() {
        Some(dir) => Some(super::load_package(dir, profiles, config, jobs, verbose).await?),
        None => None,
    };
    let plans = plans(args, profiles, config, package.as_ref())?;
    let suite = match &package {
        Some(problem) => package_suite(problem)?,
        None => suite(args, config)?,
    };
    let judge_plans = match &package {
        Some(problem) => {
            from_package::judge_plans(problem, profiles, &config.compile.choice(false, false)?)?
        }
        None => judge_plans(args, profiles, config)?,
    };
    if let Some(server) = &args.server {
        if package.is_some() || !judge_plans.is_empty() {
            anyhow::bail!(
                "--server grades by comparing outputs: --problem, --checker and --interactor run locally only for now"
            );
        }
        let reports = grade_on_server(server, &plans, &suite, args.fail_fast, jobs).await?;
        present(args, config, &reports)?;
        return Ok(exit_status(&reports, false));
    }

    let docker = codecage::docker::connect().await?;
    let cancel = super::cancel_on_ctrl_c();
    super::warn_without_cpu_accounting(&docker).await;

    let mut judges = Judges::build(&docker, judge_plans, verbose, &cancel).await?;
    judges.compare_interactor_output(package.as_ref().and_then(from_package::interaction_compare));
    if let Some(failure) = &judges.failure {
        eprint!("{}", escape::text(&failure.diagnostics));
        eprintln!("codecage: {}", escape::line(&failure.reason));
    }
    let grader = Grader {
        docker: &docker,
        problem: Problem {
            cases: &suite.cases,
            scoring: match &package {
                Some(problem) => Scoring::Package(problem),
                None => Scoring::Groups(&suite.groups),
            },
            compare: suite.compare,
            judges: &judges,
        },
        jobs,
        fail_fast: args.fail_fast,
        progress: true,
        verbose,
        cancel: cancel.clone(),
        mode: if args.container_per_case {
            CaseMode::ContainerPerCase
        } else {
            CaseMode::Boxes
        },
    };
    let mut reports = Vec::new();
    for (name, plan) in &plans {
        reports.push(grader.grade(name.clone(), plan).await?);
        if cancel.is_cancelled() {
            break;
        }
    }
    present(args, config, &reports)?;
    Ok(exit_status(&reports, cancel.is_cancelled()))
}

/// `--server`: each submission and the cases to the server's `POST /grade`, its reports back.
async fn grade_on_server(
    server: &str,
    plans: &[(String, RunPlan)],
    suite: &Suite,
    fail_fast: bool,
    jobs: usize,
) -> Result<Vec<Report>> {
    use codecage::wire::file::WireFile;
    use codecage::wire::grade_request::{GradeRequest, WireCase};
    let authority = super::remote::authority(server)?;
    let token = super::remote::token();
    let cases: Vec<WireCase> = suite.cases.iter().map(WireCase::new).collect();
    let mut reports = Vec::new();
    for (name, plan) in plans {
        let files = std::iter::once(plan.main.as_str())
            .chain(plan.workspace.names().filter(|n| *n != plan.main))
            .map(|n| WireFile::new(n, plan.workspace.get(n).unwrap_or_default()))
            .collect();
        let request = GradeRequest {
            solution: name.clone(),
            language: plan.profile.name.clone(),
            files,
            args: plan.args.clone(),
            limits: plan.limits.clone(),
            cases: Vec::new(),
            compare: suite.compare,
            groups: suite.groups.clone(),
            fail_fast,
            jobs,
        };
        // The cases are encoded once and spliced in, not cloned per submission.
        let mut body = serde_json::to_value(&request)?;
        body["cases"] = serde_json::to_value(&cases)?;
        let answer = super::remote::post(&authority, "/grade", &body, token.as_deref())
            .await
            .with_context(|| format!("grading {name} on {server}"))?;
        reports.push(
            codecage::wire::grade_request::report_from_answer(answer, &suite.cases)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("the server's report for {name}"))?,
        );
    }
    Ok(reports)
}

/// One plan per submission (`--each`: every file is one), each named by its first file. A
/// problem package's limits apply where no flag says otherwise.
fn plans(
    args: &TestArgs,
    profiles: &Profiles,
    config: &Config,
    package: Option<&package::Problem>,
) -> Result<Vec<(String, RunPlan)>> {
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
            let interactive = args.interactor.is_some() || package.is_some_and(|p| p.interactive);
            let mut input = plan_input(args, files, interactive);
            input.compile = config.compile.choice(args.no_cache, args.typecheck)?;
            if let Some(problem) = package {
                let from_package = from_package::limit_overrides(problem);
                let limits = &mut input.limits;
                // A flag given on the command line wins; else the package's limit (or its
                // format's default), over the config file's and codecage's own.
                limits.memory = args.memory.clone().or(from_package.memory);
                limits.output = args.output_limit.clone().or(from_package.output);
                limits.time = args.time_limit.clone().or(problem
                    .limits
                    .time_limit
                    .map(|t| format!("{}ms", t.as_millis())));
            }
            let mut plan = RunPlan::new(
                &input,
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

/// The cases, their groups, and how to compare.
struct Suite {
    cases: Vec<TestCase>,
    groups: Vec<Group>,
    compare: Compare,
}

/// The cases, and how to compare: --compare, else the suite's own default, else the config
/// file's, else lines.
fn suite(args: &TestArgs, config: &Config) -> Result<Suite> {
    let layout = if args.interactor.is_some() {
        DirLayout::Inputs
    } else {
        DirLayout::Answers
    };
    let loaded = match (&args.cases, &args.suite) {
        (Some(dir), _) => case::Suite {
            cases: case::load_dir(dir, layout)?,
            compare: None,
            groups: Vec::new(),
        },
        (None, Some(suite)) => case::load_suite(suite)?,
        (None, None) => anyhow::bail!("give --cases DIR or --suite FILE"),
    };
    let compare = match (&args.compare, loaded.compare, &config.test.compare) {
        (Some(flag), _, _) => flag.parse()?,
        (None, Some(suite), _) => suite,
        (None, None, Some(configured)) => {
            configured.parse().context("config file: test.compare")?
        }
        (None, None, None) => Compare::Lines,
    };
    if args.checker.is_some() {
        if let Some(c) = loaded.cases.iter().find(|c| c.stdout.is_none()) {
            anyhow::bail!(
                "case {} has no expected output for the checker (its ANSWER file)",
                c.name
            );
        }
    }
    Ok(Suite {
        cases: loaded.cases,
        groups: loaded.groups,
        compare,
    })
}

/// A package's cases; its validator's flags are already folded into each case's comparison.
fn package_suite(problem: &package::Problem) -> Result<Suite> {
    Ok(Suite {
        cases: from_package::cases(problem)?,
        groups: Vec::new(),
        compare: from_package::default_compare(problem),
    })
}

/// The checker and the interactor asked for, planned like submissions (any language codecage
/// knows) with the judge programs' own limits.
fn judge_plans(args: &TestArgs, profiles: &Profiles, config: &Config) -> Result<Vec<JudgePlan>> {
    let format = match (&args.checker_format, args.kattis) {
        (Some(format), _) => format.as_str(),
        (None, true) => "kattis",
        (None, false) => "testlib",
    };
    let convention = Convention::parse(format)
        .with_context(|| format!("--checker-format {format}: unknown format"))?;
    if matches!(convention, Convention::Dmoj(_)) && args.interactor.is_some() {
        anyhow::bail!(
            "--checker-format {format} is a DMOJ checker convention; an --interactor speaks \
             testlib or kattis"
        );
    }
    let mut plans = Vec::new();
    for (file, role, flag) in [
        (&args.checker, Role::Checker, "--checker"),
        (&args.interactor, Role::Interactor, "--interactor"),
    ] {
        let Some(file) = file else { continue };
        let compile = config.compile.choice(false, false)?;
        let plan = JudgePlan::new(
            JudgeSource::files(vec![file.clone()]),
            role,
            convention,
            Vec::new(),
            profiles,
            &compile,
        )
        .with_context(|| format!("{flag} {}", file.display()))?;
        plans.push(plan);
    }
    Ok(plans)
}

/// The reports: JUnit and JSON files when asked, the table (or JSON) on stdout.
fn present(args: &TestArgs, config: &Config, reports: &[Report]) -> Result<()> {
    let asked = super::reports_asked(&args.report, config);
    if let Some(path) = &asked.junit {
        super::write_report(path, &report::junit(reports))?;
    }
    if let Some(path) = &asked.html {
        super::write_report(path, &html_report::test_page(reports))?;
    }
    let github = ci_report::on_github(asked.github);
    if asked.markdown.is_some() || github {
        let markdown = ci_report::test_markdown(reports);
        if let Some(path) = &asked.markdown {
            super::write_report(path, &markdown)?;
        }
        if github {
            ci_report::append_step_summary(&markdown)?;
        }
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
    let json_on_stdout = asked.json.as_deref() == Some(Path::new("-"));
    // GitHub reads workflow commands from the step's output; stdout, unless JSON holds it.
    let annotations = github.then(|| ci_report::test_annotations(reports));
    match asked.json.as_deref() {
        Some(_) if json_on_stdout => {
            eprint!("{}", annotations.unwrap_or_default());
            return print_stdout(&json);
        }
        Some(p) => super::write_report(p, &json)?,
        None => {}
    }
    // Everything below is shown escaped: case and file names, compiler output, diffs and
    // feedback are the submission's or the test data's text, and a terminal obeys control
    // characters (a program could clear the screen and print a fake summary). JSON and JUnit
    // are escaped by their formats.
    if args.each {
        print_stdout(&escape::text(&report::submissions_table(reports)))?;
        return print_stdout(&annotations.unwrap_or_default());
    }
    let r = &reports[0];
    // In a GitHub Actions log, a line of untrusted text must not read as a workflow command.
    let shown = |text: &str| match github {
        true => ci_report::defuse(&escape::text(text)),
        false => escape::text(text).into_owned(),
    };
    if let Some(diagnostics) = &r.compile_output {
        eprint!("{}", shown(diagnostics));
        let reason = r
            .cases
            .first()
            .and_then(|c| c.message.as_deref())
            .unwrap_or("compilation failed");
        eprintln!("codecage: {}", escape::line(reason));
    }
    print_stdout(&shown(&r.table()))?;
    if let Some(explained) = r.first_feedback().or_else(|| r.first_diff()) {
        eprint!("{}", shown(&explained));
    }
    print_stdout(&annotations.unwrap_or_default())
}

/// The exit-status contract for `test`: interrupted, internal error, all accepted with full
/// marks, or failed.
fn exit_status(reports: &[Report], cancelled: bool) -> u8 {
    let all = || reports.iter().flat_map(|r| &r.cases);
    if cancelled {
        exit_code::interrupted(libc::SIGINT)
    } else if all().any(|c| c.verdict == Verdict::InternalError) {
        exit_code::CODECAGE_ERROR
    } else if reports.iter().all(Report::is_full_marks) {
        exit_code::SUCCESS
    } else {
        exit_code::TESTS_FAILED
    }
}

/// One submission's files, with the flags that apply to every submission.
fn plan_input(args: &TestArgs, files: &[PathBuf], interactive: bool) -> PlanInput {
    let output = match (&args.output_limit, interactive) {
        (None, true) => Some(INTERACTIVE_OUTPUT.to_string()),
        (given, _) => given.clone(),
    };
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
            output,
            workspace: None,
            cpu_period: None,
        },
        tty: TtyChoice::Never,
        // A submission's manifest is installed only when asked: grading runs untrusted code, and
        // installing runs the manifest's installer with the network on.
        deps: DepsChoice {
            discover: args.deps,
            ..DepsChoice::default()
        },
        ..PlanInput::default()
    }
}
