//! A submission as a client sends it, checked field by field the way Judge0's model validates
//! (every problem reported at once, per field, as a 422), with defaults and maxima from this
//! server's own limits. Numbers may come as JSON numbers or as strings, as Judge0 accepts them.

use serde_json::{Map, Value};

use super::additional_files;
use super::encoding;
use super::error::{FieldErrors, Judge0Error};
use super::languages::Language;
use super::limits::Judge0Limits;
use super::statuses::Status;
use super::submission::{now_micros, Record};
use super::Judge0;

/// Longest `compiler_options` and `command_line_arguments`, as in Judge0.
const MAX_OPTIONS_CHARS: usize = 512;

/// Reads one body's fields and collects the problems.
struct Fields<'a> {
    body: &'a Map<String, Value>,
    errors: FieldErrors,
}

impl Fields<'_> {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .entry(field.to_string())
            .or_default()
            .push(message.into());
    }

    fn present(&self, field: &str) -> Option<&Value> {
        self.body.get(field).filter(|v| !v.is_null())
    }

    fn string(&mut self, field: &str) -> Option<String> {
        match self.present(field)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.fail(field, "must be a string");
                None
            }
        }
    }

    fn number(&mut self, field: &str) -> Option<f64> {
        let value = self.present(field)?;
        let parsed = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match parsed.filter(|n| n.is_finite()) {
            Some(n) => Some(n),
            None => {
                self.fail(field, "is not a number");
                None
            }
        }
    }

    fn integer(&mut self, field: &str) -> Option<u64> {
        let n = self.number(field)?;
        if n.fract() != 0.0 || n < 0.0 || n > u32::MAX as f64 {
            self.fail(field, "must be a non-negative integer");
            return None;
        }
        Some(n as u64)
    }

    fn boolean(&mut self, field: &str) -> Option<bool> {
        match self.present(field)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => {
                self.fail(field, "must be true or false");
                None
            }
        }
    }

    /// A text field, base64-decoded when the request says it is base64.
    fn text(&mut self, field: &str, base64: bool) -> Option<Vec<u8>> {
        let text = self.string(field)?;
        if !base64 {
            return Some(text.into_bytes());
        }
        match encoding::decode(&text) {
            Some(bytes) => Some(bytes),
            None => {
                self.fail(field, "is not valid base64");
                None
            }
        }
    }

    /// A number within `min..=max`, else `default`.
    fn bounded(&mut self, field: &str, min: f64, max: f64, default: f64) -> f64 {
        let Some(n) = self.number(field) else {
            return default;
        };
        if n < min {
            self.fail(field, format!("must be greater than or equal to {min}"));
        } else if n > max {
            self.fail(field, format!("must be less than or equal to {max}"));
        }
        n
    }
}

/// The limit fields of a submission, each within its floor and the server's maximum.
struct LimitFields {
    cpu_time_limit: f64,
    cpu_extra_time: f64,
    wall_time_limit: f64,
    memory_limit: f64,
    stack_limit: f64,
    max_processes: f64,
    max_file_size: f64,
    number_of_runs: f64,
}

/// Check a submission body and make its record (status In Queue); `seq` is set by the caller.
pub fn parse(j: &Judge0, body: &Value, base64: bool) -> Result<Record, Judge0Error> {
    let Some(body) = body.as_object() else {
        return Err(Judge0Error::BadRequest(
            "a submission is a JSON object".into(),
        ));
    };
    let mut f = Fields {
        body,
        errors: FieldErrors::new(),
    };
    let (language_id, language) = language(&mut f, j);
    let multi_file = language.is_some_and(|l| l.multi_file);
    let source_code = f.text("source_code", base64);
    if source_code.as_ref().is_none_or(|s| s.is_empty())
        && !multi_file
        && !f.errors.contains_key("source_code")
    {
        f.fail("source_code", "can't be blank");
    }
    let stdin = f.text("stdin", base64);
    let expected_output = f.text("expected_output", base64);
    let compiler_options = compiler_options(&mut f, language);
    let command_line_arguments = command_line_arguments(&mut f);
    let limits = match language {
        Some(l) => Judge0Limits::for_profile(&j.app.settings, &l.profile),
        None => j.limits.clone(),
    };
    let l = limit_fields(&mut f, &limits);
    let per_process_time = f
        .boolean("enable_per_process_and_thread_time_limit")
        .unwrap_or(false);
    let per_process_memory = f
        .boolean("enable_per_process_and_thread_memory_limit")
        .unwrap_or(false);
    let redirect = f.boolean("redirect_stderr_to_stdout").unwrap_or(false);
    // codecage never gives a program a network, so no operator setting could allow it.
    let enable_network = f.boolean("enable_network").unwrap_or(false);
    if enable_network {
        f.fail("enable_network", "enabling network is not allowed");
    }
    let callback_url = f.string("callback_url").filter(|s| !s.is_empty());
    if let Some(url) = &callback_url {
        if let Err(e) = super::callback::check_url(url, &j.settings.callback_allow) {
            f.fail("callback_url", e);
        }
    }
    let additional_files = additional_files(&mut f, multi_file);
    if !f.errors.is_empty() {
        return Err(Judge0Error::Invalid(f.errors));
    }
    Ok(Record {
        seq: 0,
        token: uuid::Uuid::new_v4().to_string(),
        language_id: language_id.unwrap_or_default() as u32,
        source_code: source_code.unwrap_or_default(),
        stdin,
        expected_output,
        compiler_options,
        command_line_arguments,
        cpu_time_limit: l.cpu_time_limit,
        cpu_extra_time: l.cpu_extra_time,
        wall_time_limit: l.wall_time_limit,
        memory_limit: l.memory_limit as u64,
        stack_limit: l.stack_limit as u64,
        max_processes_and_or_threads: l.max_processes as u64,
        enable_per_process_and_thread_time_limit: per_process_time,
        enable_per_process_and_thread_memory_limit: per_process_memory,
        max_file_size: l.max_file_size as u64,
        redirect_stderr_to_stdout: redirect,
        enable_network,
        number_of_runs: l.number_of_runs as u32,
        callback_url,
        additional_files,
        status: Status::InQueue.id(),
        stdout: None,
        stderr: None,
        compile_output: None,
        message: None,
        time: None,
        wall_time: None,
        memory: None,
        exit_code: None,
        exit_signal: None,
        created_at: now_micros(),
        started_at: None,
        finished_at: None,
    })
}

/// `language_id`, and the language it names when there is one.
fn language<'j>(f: &mut Fields, j: &'j Judge0) -> (Option<u64>, Option<&'j Language>) {
    let language_id = f.integer("language_id");
    let language = match language_id {
        None if !f.errors.contains_key("language_id") => {
            f.fail("language_id", "can't be blank");
            None
        }
        None => None,
        Some(id) => {
            let found = j.languages.by_id(id as u32);
            if found.is_none() {
                f.fail(
                    "language_id",
                    format!("language with id {id} doesn't exist"),
                );
            }
            found
        }
    };
    (language_id, language)
}

/// `compiler_options`: short, allowed for the language, and only options it may take.
fn compiler_options(f: &mut Fields, language: Option<&Language>) -> Option<String> {
    let options = f.string("compiler_options").filter(|s| !s.is_empty())?;
    if options.chars().count() > MAX_OPTIONS_CHARS {
        f.fail(
            "compiler_options",
            format!("is too long (maximum is {MAX_OPTIONS_CHARS} characters)"),
        );
    } else if let Some(language) = language {
        if !language.compiler_options {
            f.fail(
                "compiler_options",
                format!(
                    "setting compiler options is not allowed for language {}",
                    language.name
                ),
            );
        } else if let Err(e) = super::options::compiler_options(&options) {
            f.fail("compiler_options", e);
        }
    }
    Some(options)
}

/// `command_line_arguments`: short, and words a shell would not expand.
fn command_line_arguments(f: &mut Fields) -> Option<String> {
    let args = f
        .string("command_line_arguments")
        .filter(|s| !s.is_empty())?;
    if args.chars().count() > MAX_OPTIONS_CHARS {
        f.fail(
            "command_line_arguments",
            format!("is too long (maximum is {MAX_OPTIONS_CHARS} characters)"),
        );
    } else if let Err(e) = super::options::arguments(&args) {
        f.fail("command_line_arguments", e);
    }
    Some(args)
}

/// Every limit field, within Judge0's floors and this server's maxima.
fn limit_fields(f: &mut Fields, limits: &Judge0Limits) -> LimitFields {
    LimitFields {
        cpu_time_limit: f.bounded(
            "cpu_time_limit",
            0.0,
            limits.max_cpu_time_limit,
            limits.cpu_time_limit,
        ),
        cpu_extra_time: f.bounded(
            "cpu_extra_time",
            0.0,
            limits.max_cpu_extra_time,
            limits.cpu_extra_time,
        ),
        wall_time_limit: f.bounded(
            "wall_time_limit",
            1.0,
            limits.max_wall_time_limit,
            limits.wall_time_limit,
        ),
        memory_limit: f.bounded(
            "memory_limit",
            2048.0,
            limits.max_memory_limit as f64,
            limits.memory_limit as f64,
        ),
        stack_limit: f.bounded(
            "stack_limit",
            0.0,
            limits.max_stack_limit as f64,
            limits.stack_limit as f64,
        ),
        max_processes: f.bounded(
            "max_processes_and_or_threads",
            1.0,
            limits.max_max_processes_and_or_threads as f64,
            limits.max_processes_and_or_threads as f64,
        ),
        max_file_size: f.bounded(
            "max_file_size",
            0.0,
            limits.max_max_file_size as f64,
            limits.max_file_size as f64,
        ),
        number_of_runs: f.bounded("number_of_runs", 1.0, limits.max_number_of_runs as f64, 1.0),
    }
}

/// `additional_files`: a base64 zip whose names the workspace accepts (with a `run` script for
/// a multi-file program, which needs it).
fn additional_files(f: &mut Fields, multi_file: bool) -> Option<String> {
    let additional_files = f.string("additional_files").filter(|s| !s.is_empty());
    match &additional_files {
        Some(text) => match encoding::decode(text) {
            None => f.fail("additional_files", "is not valid base64"),
            Some(zip) => match additional_files::extract(&zip) {
                Err(e) => f.fail("additional_files", e),
                Ok(files) => {
                    // The workspace's own rules, checked now so a bad name is a 422, not an
                    // internal error once the submission runs.
                    for (name, _, _) in &files {
                        if let Err(e) = codecage::workspace::validate_name(name) {
                            f.fail("additional_files", format!("{e:#}"));
                        }
                    }
                    if multi_file && !files.iter().any(|(n, _, _)| n == "run") {
                        f.fail("additional_files", "must contain a script named run");
                    }
                }
            },
        },
        None if multi_file => f.fail(
            "additional_files",
            "can't be blank for a multi-file program",
        ),
        None => {}
    }
    additional_files
}
