//! `codecage verify DIR`: check a problem package as its setters do in CI. The output validator
//! is built once; every example submission under `submissions/<category>/` is graded on the
//! package's cases and must get what its category promises. Without a time limit in the package,
//! the accepted submissions run first (with a generous probe limit) and the limit is derived from
//! the slowest of them; time_limit_exceeded submissions then run at that limit times the
//! package's safety margin, so a TLE that only just happens does not pass as one.

use std::path::Path;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};

use crate::cli::VerifyArgs;
use crate::output::print_stdout;
use codecage::config::Config;
use codecage::dependencies::DepsChoice;
use codecage::escape;
use codecage::exit_code;
use codecage::grade::lane::CaseMode;
use codecage::grade::package::{self, Expected, PackageSubmission};
use codecage::grade::report::Report;
use codecage::grade::submission::{Grader, Judges, Problem, Scoring};
use codecage::grade::verification::{derived_time_limit, Row, Verification};
use codecage::grade::{ci_report, from_package, html_report};
use codecage::limits::Limits;
use codecage::plan::{PlanInput, RunPlan, TtyChoice};
use codecage::profile::Profiles;
use codecage::units::parse_duration;

/// The CPU-time limit accepted submissions run with when the limit is still to be derived.
const PROBE_LIMIT: Duration = Duration::from_secs(10);

/// `verbose` (`-v`): say whether each compile was a cache hit or miss.
pub async fn run(
    args: &VerifyArgs,
    profiles: &Profiles,
    config: &Config,
    verbose: bool,
) -> Result<u8> {
    let jobs = super::grading_jobs(args.jobs, config);
    let problem = super::load_package(&args.dir, profiles, config, jobs, verbose).await?;
    let submissions =
        package::submissions(&args.dir).map_err(|e| anyhow!("problem package: {e}"))?;
    if submissions.is_empty() {
        bail!(
            "{}: no submissions under submissions/accepted, wrong_answer, time_limit_exceeded, run_time_error or partially_accepted",
            args.dir.display()
        );
    }
    let cases = from_package::cases(&problem)?;
    let judge_plans =
        from_package::judge_plans(&problem, profiles, &config.compile.choice(false, false)?)?;
    let given = match &args.time_limit {
        Some(t) => Some((parse_duration(t).context("--time-limit")?, "--time-limit")),
        None => problem.limits.time_limit.map(|t| (t, "the package")),
    };

    let docker = codecage::docker::connect().await?;
    let cancel = super::cancel_on_ctrl_c();
    super::warn_without_cpu_accounting(&docker).await;
    let mut judges = Judges::build(&docker, judge_plans, verbose, &cancel).await?;
    judges.compare_interactor_output(from_package::interaction_compare(&problem));
    if let Some(failure) = &judges.failure {
        eprint!("{}", escape::text(&failure.diagnostics));
        bail!("{}", failure.reason);
    }
    let grader = Grader {
        docker: &docker,
        problem: Problem {
            cases: &cases,
            scoring: Scoring::Package(&problem),
            compare: from_package::default_compare(&problem),
            judges: &judges,
        },
        jobs,
        // Legacy pass-fail judging stops at the first failure, as judges do; scores need every
        // case, and so does 2023-07-draft's rule that every case's verdict be one the
        // submission's folder permits.
        fail_fast: problem.kind == package::Kind::PassFail
            && problem.format == package::Format::Legacy,
        progress: true,
        verbose,
        cancel: cancel.clone(),
        mode: if args.container_per_case {
            CaseMode::ContainerPerCase
        } else {
            CaseMode::Boxes
        },
    };
    let run = Run {
        grader: &grader,
        problem: &problem,
        profiles,
        config,
        deps: args.deps,
    };
    let (rows, time_limit, from) = run.all(&submissions, given).await?;
    if cancel.is_cancelled() {
        return Ok(exit_code::interrupted(libc::SIGINT));
    }
    let verification = Verification {
        problem: problem.name.clone(),
        kind: from_package::type_name(&problem),
        time_limit_ms: time_limit.as_millis() as u64,
        time_limit_from: from,
        ok: rows.iter().all(|r| r.ok),
        submissions: rows,
    };
    present(args, config, &verification)?;
    Ok(if verification.ok {
        exit_code::SUCCESS
    } else {
        exit_code::TESTS_FAILED
    })
}

/// What every submission is run with.
struct Run<'a> {
    grader: &'a Grader<'a>,
    problem: &'a package::Problem,
    profiles: &'a Profiles,
    config: &'a Config,
    /// `--deps`: install a manifest found next to a submission.
    deps: bool,
}

impl Run<'_> {
    /// Every submission's row, in the package's order; the time limit and where it came from.
    async fn all(
        &self,
        submissions: &[PackageSubmission],
        given: Option<(Duration, &str)>,
    ) -> Result<(Vec<Row>, Duration, String)> {
        let mut rows: Vec<Option<Row>> = vec![None; submissions.len()];
        let (time_limit, from) = match given {
            Some((limit, from)) => (limit, from.to_string()),
            None => {
                // The accepted submissions first, to find how slow the slowest one is.
                let mut slowest = Duration::ZERO;
                // Why the first accepted submission failed, for the error when none passed.
                let mut first_failure = None;
                for (i, s) in submissions.iter().enumerate() {
                    if s.expected.all_accepted() {
                        let (row, report) = self.one(s, PROBE_LIMIT).await?;
                        match report.filter(|r| r.verdict.is_accepted()) {
                            Some(report) => slowest = slowest.max(slowest_case(&report)),
                            None if first_failure.is_none() => {
                                first_failure = Some(format!(
                                    "{}: {}",
                                    s.path.display(),
                                    row.detail.as_deref().unwrap_or(row.verdict.code())
                                ));
                            }
                            None => {}
                        }
                        rows[i] = Some(row);
                    }
                }
                if slowest.is_zero() {
                    bail!(
                        "the package gives no time limit and no accepted submission passed to derive one from{}; pass --time-limit",
                        first_failure.map(|f| format!(" ({f})")).unwrap_or_default()
                    );
                }
                let multiplier = self.problem.limits.time_multiplier;
                (
                    derived_time_limit(slowest, multiplier),
                    format!(
                        "derived: slowest accepted case {} ms of CPU × {multiplier}, rounded up",
                        slowest.as_millis()
                    ),
                )
            }
        };
        for (i, s) in submissions.iter().enumerate() {
            if rows[i].is_some() {
                continue;
            }
            let limit = match s.expected {
                // A TLE must hold with room to spare, or timing noise could make it pass.
                Expected::TimeLimit => time_limit.mul_f64(self.problem.limits.safety_margin),
                _ => time_limit,
            };
            rows[i] = Some(self.one(s, limit).await?.0);
            if self.grader.cancel.is_cancelled() {
                break;
            }
        }
        Ok((rows.into_iter().flatten().collect(), time_limit, from))
    }

    /// One submission at a CPU-time limit: its row, and its report when it could run.
    async fn one(&self, s: &PackageSubmission, limit: Duration) -> Result<(Row, Option<Report>)> {
        let path = s.path.display().to_string();
        let plan = match self.plan(s, limit) {
            Ok(plan) => plan,
            Err(e) => return Ok((Row::unrunnable(path, s.expected, format!("{e:#}")), None)),
        };
        // An image that cannot be built or pulled, a workspace that cannot be prepared: this
        // submission's problem, one IE row, not the end of the whole verification.
        let report = match self.grader.grade(path.clone(), &plan).await {
            Ok(report) => report,
            Err(e) => {
                let mut row = Row::unrunnable(path, s.expected, format!("{e:#}"));
                row.language = Some(plan.profile.name.clone());
                eprintln!(
                    "codecage: {} could not be run: {}",
                    escape::line(&s.path.display().to_string()),
                    escape::line(&format!("{e:#}"))
                );
                return Ok((row, None));
            }
        };
        let row = Row::judged(
            path,
            s.expected,
            self.problem.kind,
            self.per_case(),
            &report,
        );
        if !row.ok {
            // The detail quotes the validator's feedback: untrusted, like the path's name.
            eprintln!(
                "codecage: {} is not as expected: {}",
                escape::line(&s.path.display().to_string()),
                escape::line(row.detail.as_deref().unwrap_or(""))
            );
        }
        Ok((row, Some(report)))
    }

    /// 2023-07-draft judges a submission case by case (every verdict in the folder's permitted
    /// set); legacy by its first failure.
    fn per_case(&self) -> bool {
        self.problem.format == package::Format::Draft2023_07
    }

    /// The submission's plan: the package's limits, judged by CPU time.
    fn plan(&self, s: &PackageSubmission, limit: Duration) -> Result<RunPlan> {
        if let Some(why) = &s.refused {
            bail!("{why}");
        }
        if let Some(file) = python2(&s.program) {
            bail!(
                "{}: a Python 2 program (its #! line says python2), and codecage has Python 3 only",
                file.display()
            );
        }
        let mut limits = from_package::limit_overrides(self.problem);
        limits.time = Some(format!("{}ms", limit.as_millis()));
        let input = PlanInput {
            // A folder as itself, so its main file is the entry point, as `codecage run DIR`.
            files: vec![s.program.clone()],
            lang: s.language.clone(),
            limits,
            tty: TtyChoice::Never,
            compile: self.config.compile.choice(false, false)?,
            // A submission's manifest is installed only with --deps (see `codecage test`).
            deps: DepsChoice {
                discover: self.deps,
                ..DepsChoice::default()
            },
            ..PlanInput::default()
        };
        let mut plan = RunPlan::new(
            &input,
            self.profiles,
            Limits::test_defaults(),
            &self.config.test.limits,
        )?;
        plan.limits.judge_by_cpu_time(None);
        Ok(plan)
    }
}

/// The most CPU time (else wall time) one case of the report took.
fn slowest_case(report: &Report) -> Duration {
    let ms = report
        .cases
        .iter()
        .map(|c| c.cpu_ms.unwrap_or(c.time_ms))
        .max()
        .unwrap_or(0);
    Duration::from_millis(ms)
}

fn present(args: &VerifyArgs, config: &Config, verification: &Verification) -> Result<()> {
    let asked = super::reports_asked(&args.report, config);
    if let Some(path) = &asked.junit {
        super::write_report(path, &verification.junit())?;
    }
    if let Some(path) = &asked.html {
        super::write_report(path, &html_report::verify_page(verification))?;
    }
    let github = ci_report::on_github(asked.github);
    if asked.markdown.is_some() || github {
        let markdown = ci_report::verify_markdown(verification);
        if let Some(path) = &asked.markdown {
            super::write_report(path, &markdown)?;
        }
        if github {
            ci_report::append_step_summary(&markdown)?;
        }
    }
    // GitHub reads workflow commands from the step's output; stdout, unless JSON holds it.
    let annotations = if github {
        ci_report::verify_annotations(verification)
    } else {
        String::new()
    };
    let json = serde_json::to_string_pretty(verification)? + "\n";
    match asked.json.as_deref() {
        Some(p) if p == Path::new("-") => {
            eprint!("{annotations}");
            return print_stdout(&json);
        }
        Some(p) => super::write_report(p, &json)?,
        None => {}
    }
    // Submission paths and feedback in the table are the package's text, shown escaped.
    print_stdout(&escape::text(&verification.table()))?;
    print_stdout(&annotations)
}

/// A `.py` file of the submission (itself, or one at the top of its folder) whose `#!` line asks
/// for Python 2, which packages still carry (problemtools' examples) and codecage cannot run:
/// running it as Python 3 would blame the submission for a syntax error.
fn python2(program: &std::path::Path) -> Option<std::path::PathBuf> {
    let files: Vec<std::path::PathBuf> = if program.is_dir() {
        std::fs::read_dir(program)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .collect()
    } else {
        vec![program.to_path_buf()]
    };
    files.into_iter().find(|f| {
        f.extension().is_some_and(|e| e == "py")
            && std::fs::read(f).is_ok_and(|bytes| {
                let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
                first.starts_with(b"#!")
                    && String::from_utf8_lossy(first)
                        .split(|c: char| c == '/' || c.is_whitespace())
                        .any(|word| word == "python2" || word.starts_with("python2."))
            })
    })
}
