//! What travels through the broker: a job (a planned batch request) and its result, as JSON with
//! every byte string in base64, so any program output survives the trip unchanged.

use serde::{Deserialize, Serialize};

use super::encoding::{decode, encode};
use super::exec_request::{ExecRequest, Tweaks};
use super::exec_result::{ExecResult, RawOutput, Stage};
use super::file::WireFile;
use super::grade_request::GradeRequest;
use crate::limits::Limits;

/// What a worker is asked to do.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Job {
    /// A batch run; its result goes back through the broker.
    Run(Box<JobSpec>),
    /// Judge a Judge0 submission from the shared store and store it back judged.
    Judge0 { token: String },
    /// Grade a submission against cases (`POST /grade`, `codecage test --server`).
    Grade(Box<GradeRequest>),
}

/// A batch run as the API node planned it. The worker plans it again against its own profiles
/// (by language name) and runs it with these limits, clamped to its own maxima.
#[derive(Debug, Serialize, Deserialize)]
pub struct JobSpec {
    pub language: String,
    pub files: Vec<WireFile>,
    pub stdin: String,
    pub args: Vec<String>,
    pub limits: Limits,
    pub dependencies: Option<String>,
    #[serde(default)]
    pub tweaks: Tweaks,
}

/// A job's end: the run's result, or the error an API node answers with.
#[derive(Debug, Serialize, Deserialize)]
pub enum JobResult {
    Done(Box<WireResult>),
    Failed {
        status: u16,
        message: String,
    },
    /// A Judge0 submission was judged (its record in the shared store says how).
    Judged,
    /// A grading's report (`codecage test`'s JSON report of one submission).
    Graded(serde_json::Value),
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WireResult {
    pub language: String,
    pub version: String,
    pub compile: Option<WireStage>,
    pub run: Option<WireStage>,
    pub limits: Limits,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WireStage {
    #[serde(flatten)]
    pub stage: Stage,
    pub raw_output: String,
    pub raw_stdout: String,
    pub raw_stderr: String,
}

impl JobSpec {
    pub fn new(req: &ExecRequest, limits: &Limits) -> JobSpec {
        JobSpec {
            language: req.language.clone(),
            files: req
                .files
                .iter()
                .map(|(name, data)| WireFile {
                    name: name.clone(),
                    data: encode(data),
                })
                .collect(),
            stdin: encode(&req.stdin),
            args: req.args.clone(),
            limits: limits.clone(),
            dependencies: req.dependencies.clone(),
            tweaks: req.tweaks.clone(),
        }
    }

    /// The request again (with no limit overrides: the worker takes [`JobSpec::limits`]).
    pub fn request(&self) -> Result<ExecRequest, String> {
        let files = self
            .files
            .iter()
            .map(|f| Ok((f.name.clone(), decode(&f.data)?)))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(ExecRequest {
            language: self.language.clone(),
            files,
            stdin: decode(&self.stdin)?,
            args: self.args.clone(),
            limits: Default::default(),
            dependencies: self.dependencies.clone(),
            tweaks: self.tweaks.clone(),
        })
    }
}

impl WireStage {
    fn new(stage: &Stage) -> WireStage {
        // The text forms are rebuilt from the bytes on arrival: send them only once.
        let mut bare = stage.clone();
        bare.output.clear();
        bare.stdout.clear();
        bare.stderr.clear();
        bare.raw = RawOutput::default();
        WireStage {
            stage: bare,
            raw_output: encode(&stage.raw.output),
            raw_stdout: encode(&stage.raw.stdout),
            raw_stderr: encode(&stage.raw.stderr),
        }
    }

    fn stage(self) -> Result<Stage, String> {
        let raw = RawOutput {
            output: decode(&self.raw_output)?,
            stdout: decode(&self.raw_stdout)?,
            stderr: decode(&self.raw_stderr)?,
        };
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        Ok(Stage {
            output: text(&raw.output),
            stdout: text(&raw.stdout),
            stderr: text(&raw.stderr),
            raw,
            ..self.stage
        })
    }
}

impl WireResult {
    pub fn new(result: &ExecResult) -> WireResult {
        WireResult {
            language: result.language.clone(),
            version: result.version.clone(),
            compile: result.compile.as_ref().map(WireStage::new),
            run: result.run.as_ref().map(WireStage::new),
            limits: result.limits.clone(),
        }
    }

    pub fn result(self) -> Result<ExecResult, String> {
        Ok(ExecResult {
            language: self.language,
            version: self.version,
            compile: self.compile.map(WireStage::stage).transpose()?,
            run: self.run.map(WireStage::stage).transpose()?,
            limits: self.limits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Verdict;

    #[test]
    fn a_result_with_any_bytes_survives_the_trip() {
        let raw = RawOutput {
            output: vec![0, 0xff, b'a', 0x1b],
            stdout: vec![0xfe, b'\n'],
            stderr: "é\n".as_bytes().to_vec(),
        };
        let stage = Stage {
            output: String::from_utf8_lossy(&raw.output).into_owned(),
            stdout: String::from_utf8_lossy(&raw.stdout).into_owned(),
            stderr: "é\n".into(),
            exit_code: Some(3),
            signal: None,
            verdict: Verdict::RuntimeError,
            time_ms: 12,
            cpu_ms: Some(5),
            memory_bytes: None,
            truncated: false,
            raw,
        };
        let result = ExecResult {
            language: "python".into(),
            version: "3.13".into(),
            compile: None,
            run: Some(stage),
            limits: Limits::run_defaults(),
        };
        let json =
            serde_json::to_string(&JobResult::Done(Box::new(WireResult::new(&result)))).unwrap();
        let JobResult::Done(back) = serde_json::from_str(&json).unwrap() else {
            panic!("not done: {json}");
        };
        let back = back.result().unwrap();
        let run = back.run.unwrap();
        assert_eq!(run.raw.output, vec![0, 0xff, b'a', 0x1b]);
        assert_eq!(run.stdout, "\u{fffd}\n");
        assert_eq!(run.stderr, "é\n");
        assert_eq!(
            (run.exit_code, run.verdict, run.cpu_ms),
            (Some(3), Verdict::RuntimeError, Some(5))
        );
        assert_eq!(back.limits, Limits::run_defaults());
    }

    #[test]
    fn a_job_keeps_its_files_stdin_and_limits() {
        let req = ExecRequest {
            language: "c".into(),
            files: vec![
                ("main.c".into(), vec![0, 1, 2]),
                ("x.h".into(), b"int x;".to_vec()),
            ],
            stdin: vec![0xff; 3],
            args: vec!["a b".into()],
            limits: Default::default(),
            dependencies: None,
            tweaks: Tweaks {
                compile_flags: vec!["-DX".into()],
                ..Tweaks::default()
            },
        };
        let mut limits = Limits::run_defaults();
        limits.time = std::time::Duration::from_millis(1500);
        let json = serde_json::to_string(&JobSpec::new(&req, &limits)).unwrap();
        let spec: JobSpec = serde_json::from_str(&json).unwrap();
        assert_eq!(spec.limits, limits);
        let back = spec.request().unwrap();
        assert_eq!(back.files, req.files);
        assert_eq!(back.stdin, req.stdin);
        assert_eq!(back.args, req.args);
        assert_eq!(back.tweaks.compile_flags, ["-DX"]);
    }
}
