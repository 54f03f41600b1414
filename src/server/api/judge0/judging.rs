//! Judge one submission through the same path every API uses (request -> plan -> prepare ->
//! pool -> result; the caller holds an admission slot), then say it in Judge0's terms: status by
//! isolate_job.rb's rules, CPU time and peak memory from the sandbox's cgroup, means over
//! `number_of_runs` (stopping at the first run that is not accepted, as Judge0 does).

use codecage::limits::LimitOverrides;
use codecage::plan::RunPlan;
use codecage::verdict::Verdict;

use super::additional_files;
use super::encoding;
use super::error::Judge0Error;
use super::options;
use super::statuses::{same_output, Status};
use super::submission::{now_micros, Record};
use super::Judge0;
use crate::server::api::execute;
use codecage::wire::exec_request::{ExecRequest, Tweaks};
use codecage::wire::exec_result::{ExecResult, Stage};

/// The compile step of a multi-file program: its `compile` script, when it has one.
const MULTI_FILE_COMPILE: &str = "if [ -f compile ]; then exec bash ./compile; fi";

/// The record's program as a request, with Judge0's options turned into changes to the
/// language's commands, or why not.
pub fn request(j: &Judge0, record: &Record) -> Result<ExecRequest, Judge0Error> {
    let language = j
        .languages
        .by_id(record.language_id)
        .ok_or_else(|| Judge0Error::field("language_id", "language doesn't exist"))?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if !language.multi_file {
        files.push((String::new(), record.source_code.clone()));
    }
    let mut tweaks = Tweaks::default();
    if let Some(text) = &record.additional_files {
        let zip = encoding::decode(text)
            .ok_or_else(|| Judge0Error::field("additional_files", "is not valid base64"))?;
        let extracted = additional_files::extract(&zip)
            .map_err(|e| Judge0Error::field("additional_files", e))?;
        for (name, content, executable) in extracted {
            if executable {
                tweaks.executables.push(name.clone());
            }
            files.push((name, content));
        }
    }
    if language.multi_file {
        // The run script first: the plan's entry file is its first file.
        files.sort_by_key(|(name, _)| name != "run");
        tweaks.compile = Some(vec!["bash".into(), "-c".into(), MULTI_FILE_COMPILE.into()]);
        tweaks.run = Some(vec!["bash".into(), "./run".into()]);
    }
    let args = match &record.command_line_arguments {
        Some(text) => {
            options::arguments(text).map_err(|e| Judge0Error::field("command_line_arguments", e))?
        }
        None => Vec::new(),
    };
    if let Some(text) = &record.compiler_options {
        let flags = options::compiler_options(text)
            .map_err(|e| Judge0Error::field("compiler_options", e))?;
        let compiles = language.multi_file || language.profile.compile.is_some();
        if !(language.compiler_options && compiles) {
            return Err(Judge0Error::field(
                "compiler_options",
                "setting compiler options is not allowed for this language",
            ));
        }
        tweaks.compile_flags = flags;
    }
    let millis = |seconds: f64| format!("{}ms", (seconds * 1000.0).round() as u64);
    let limits = LimitOverrides {
        // Killed at limit + extra; judged TLE past the limit itself (see `status`).
        cpu_time: Some(millis(record.cpu_time_limit + record.cpu_extra_time)),
        time: Some(millis(record.wall_time_limit)),
        // The engine needs 16 MiB to start a container at all. Not passed on below it (to be
        // judged by the peak, as `run -m 1KiB` is): a sandbox's peak carries 3-5 MiB of its own,
        // and Judge0's least limit (2048 KB) runs a C program under isolate.
        memory: Some(format!("{}KiB", record.memory_limit.max(16 * 1024))),
        cpus: None,
        pids: Some((record.max_processes_and_or_threads as i64).max(8)),
        // Judge0's programs write stdout to a file of at most max_file_size: past it, SIGXFSZ.
        output: Some(format!("{}KiB", record.max_file_size.max(1))),
        workspace: None,
        cpu_period: None,
    };
    Ok(ExecRequest {
        language: language.profile.name.clone(),
        files,
        stdin: record.stdin.clone().unwrap_or_default(),
        args,
        limits,
        dependencies: None,
        tweaks,
    })
}

/// The record's program as a plan with its limits clamped to the server's maxima, or why not.
pub fn plan(j: &Judge0, record: &Record) -> Result<(RunPlan, Vec<u8>), Judge0Error> {
    Ok(execute::plan(&j.app, request(j, record)?)?)
}

/// How a judging ended.
pub enum Judged {
    /// The record holds the result.
    Done,
    /// The server is shutting down: the submission stays queued for the next start.
    Interrupted,
}

/// Run the record's program `number_of_runs` times and fill in its result. Several runs on this
/// server share one judge box (`execute::execute_runs`); with a broker each run is a job.
pub async fn judge(j: &Judge0, record: &mut Record) -> Judged {
    let runs = record.number_of_runs.max(1);
    let mut means = Means::default();
    if runs > 1 && j.app.broker.is_none() {
        let planned = request(j, record)
            .map_err(|e| e.to_string())
            .and_then(|req| execute::plan(&j.app, req).map_err(|e| e.to_string()));
        let (plan, stdin) = match planned {
            Ok(planned) => planned,
            Err(e) => {
                fail(record, &e);
                return Judged::Done;
            }
        };
        let mut interrupted = false;
        let ran = execute::execute_runs(
            &j.app,
            plan,
            stdin,
            runs,
            j.app.shutdown.child_token(),
            |result| match take_run(record, &mut means, result) {
                Some(go_on) => go_on,
                None => {
                    interrupted = true;
                    false
                }
            },
        )
        .await;
        if interrupted || (ran.is_err() && j.app.shutdown.is_cancelled()) {
            return Judged::Interrupted;
        }
        if let Err(e) = ran {
            fail(record, &e.to_string());
            return Judged::Done;
        }
    } else {
        for _ in 0..runs {
            let result = match request(j, record) {
                Ok(req) => {
                    crate::server::api::run::run_request(&j.app, req, j.app.shutdown.child_token())
                        .await
                }
                Err(e) => {
                    fail(record, &e.to_string());
                    return Judged::Done;
                }
            };
            let result = match result {
                Ok(result) => result,
                Err(e) => {
                    if j.app.shutdown.is_cancelled() {
                        return Judged::Interrupted;
                    }
                    fail(record, &e.to_string());
                    return Judged::Done;
                }
            };
            match take_run(record, &mut means, &result) {
                None => return Judged::Interrupted,
                Some(false) => break,
                Some(true) => {}
            }
        }
    }
    means.fill(record);
    record.finished_at = Some(now_micros());
    Judged::Done
}

/// The figures of each run, for their means.
#[derive(Default)]
struct Means {
    cpu: Vec<f64>,
    wall: Vec<f64>,
    memory: Vec<u64>,
}

impl Means {
    fn fill(&self, record: &mut Record) {
        if self.cpu.is_empty() {
            return;
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        record.time = Some(mean(&self.cpu));
        record.wall_time = Some(mean(&self.wall));
        record.memory = Some(self.memory.iter().sum::<u64>() / self.memory.len() as u64);
    }
}

/// One run's result into the record: whether to go on (`None`: the run was cancelled by the
/// server's shutdown).
fn take_run(record: &mut Record, means: &mut Means, result: &ExecResult) -> Option<bool> {
    if result
        .run
        .as_ref()
        .is_some_and(|r| r.verdict == Verdict::Cancelled)
    {
        return None;
    }
    fill(record, result);
    if let Some(run) = &result.run {
        means
            .cpu
            .push(run.cpu_ms.unwrap_or(run.time_ms) as f64 / 1000.0);
        means.wall.push(run.time_ms as f64 / 1000.0);
        means.memory.push(run.memory_bytes.unwrap_or(0) / 1024);
    }
    Some(record.status() == Status::Accepted)
}

/// An internal error (status 13), with the reason as the message.
fn fail(record: &mut Record, reason: &str) {
    record.status = Status::InternalError.id();
    record.message = Some(reason.to_string());
    record.finished_at = Some(now_micros());
}

/// Empty output is null, as Judge0 answers it.
fn bytes(b: &[u8]) -> Option<Vec<u8>> {
    (!b.is_empty()).then(|| b.to_vec())
}

/// One run's result into the record (the last run's output is the one kept).
fn fill(record: &mut Record, result: &ExecResult) {
    record.compile_output = result.compile.as_ref().and_then(|c| bytes(&c.raw.output));
    let Some(run) = &result.run else {
        // The compile failed: Judge0 says CE, with the compiler's output.
        let compile = result.compile.clone().unwrap_or_default();
        record.status = Status::CompilationError.id();
        if compile.verdict == Verdict::TimeLimit {
            record.compile_output = Some(b"Compilation time limit exceeded.".to_vec());
        }
        // Judge0 clears the run's fields on a compile error (isolate_job.rb's compile).
        record.stdout = None;
        record.stderr = None;
        record.exit_code = None;
        record.exit_signal = None;
        record.message = None;
        return;
    };
    if record.redirect_stderr_to_stdout {
        record.stdout = bytes(&run.raw.output);
        record.stderr = None;
    } else {
        record.stdout = bytes(&run.raw.stdout);
        record.stderr = bytes(&run.raw.stderr);
    }
    let status = status(record, run);
    record.exit_signal = run.signal;
    // Judge0's `metadata[:exitcode].try(:to_i) || 0`: isolate reports no exit code for a
    // signalled program, so Judge0 says 0 there.
    record.exit_code = Some(if run.signal.is_some() {
        0
    } else {
        run.exit_code.unwrap_or(0)
    });
    record.message = message(status, run);
    record.status = status.id();
}

/// isolate_job.rb's order: time, signal, non-zero exit, then the comparison.
fn status(record: &Record, run: &Stage) -> Status {
    let cpu_seconds = run.cpu_ms.map(|ms| ms as f64 / 1000.0);
    match run.verdict {
        Verdict::TimeLimit => return Status::TimeLimit,
        Verdict::OutputLimit => return Status::Sigxfsz,
        Verdict::InternalError | Verdict::Cancelled => return Status::InternalError,
        // The kernel's OOM killer sends SIGKILL: Judge0 reports that as another signal.
        Verdict::MemoryLimit => return Status::OtherSignal,
        _ => {}
    }
    // Killed at limit + extra, but past the limit itself is already over time.
    if cpu_seconds.is_some_and(|s| s > record.cpu_time_limit) {
        return Status::TimeLimit;
    }
    if let Some(signal) = run.signal {
        return Status::for_signal(signal);
    }
    if run.exit_code != Some(0) {
        return Status::Nzec;
    }
    match &record.expected_output {
        Some(expected) if !same_output(expected, record.stdout.as_deref().unwrap_or_default()) => {
            Status::WrongAnswer
        }
        _ => Status::Accepted,
    }
}

/// isolate's meta message, as Judge0 passes it on.
fn message(status: Status, run: &Stage) -> Option<String> {
    match status {
        Status::TimeLimit => Some("Time limit exceeded".into()),
        Status::Sigxfsz if run.signal.is_none() => Some("Output limit exceeded".into()),
        Status::OtherSignal if run.verdict == Verdict::MemoryLimit => {
            Some("Memory limit exceeded".into())
        }
        _ => match (run.signal, run.exit_code) {
            (Some(signal), _) => Some(format!("Caught fatal signal {signal}")),
            (None, Some(code)) if code != 0 => Some(format!("Exited with error status {code}")),
            _ => None,
        },
    }
}
