//! Which fields a response carries (`?fields=a,b`, `*`, or Judge0's default eight) and how each
//! is written: base64 (Ruby's shape) when asked, decimals as strings, timestamps with
//! milliseconds and `Z`; and the 400 Judge0 answers when output is not UTF-8 and base64 was
//! not asked for.

use serde_json::{json, Map, Value};

use super::encoding;
use super::error::{Judge0Error, NOT_UTF8_MANY};
use super::languages::Languages;
use super::submission::{decimal, timestamp, Record};

/// Judge0's default fields.
const DEFAULT: [&str; 8] = [
    "token",
    "time",
    "memory",
    "stdout",
    "stderr",
    "compile_output",
    "message",
    "status",
];

/// Every field `*` gives, in Judge0's column order. Judge0's bookkeeping columns (queue and
/// execution hosts, started/updated times) are left out: the SDK refuses fields it does not know.
const ALL: [&str; 35] = [
    "source_code",
    "language_id",
    "stdin",
    "expected_output",
    "stdout",
    "status_id",
    "created_at",
    "finished_at",
    "time",
    "memory",
    "stderr",
    "token",
    "number_of_runs",
    "cpu_time_limit",
    "cpu_extra_time",
    "wall_time_limit",
    "memory_limit",
    "stack_limit",
    "max_processes_and_or_threads",
    "enable_per_process_and_thread_time_limit",
    "enable_per_process_and_thread_memory_limit",
    "max_file_size",
    "compile_output",
    "exit_code",
    "exit_signal",
    "message",
    "wall_time",
    "compiler_options",
    "command_line_arguments",
    "redirect_stderr_to_stdout",
    "callback_url",
    "additional_files",
    "enable_network",
    "status",
    "language",
];

/// Text fields that are base64 with `base64_encoded=true` (and must be UTF-8 without it).
const TEXT: [&str; 7] = [
    "source_code",
    "stdin",
    "expected_output",
    "stdout",
    "stderr",
    "compile_output",
    "message",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    Default,
    All,
    Some(Vec<String>),
}

impl Selection {
    /// `?fields=`: absent is the default, `*` everything, else known names (400 naming the rest).
    pub fn parse(fields: Option<&str>) -> Result<Selection, Judge0Error> {
        let Some(text) = fields.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(Selection::Default);
        };
        if text == "*" {
            return Ok(Selection::All);
        }
        let names: Vec<String> = text.split(',').map(|f| f.trim().to_string()).collect();
        let invalid: Vec<&str> = names
            .iter()
            .filter(|n| !ALL.contains(&n.as_str()))
            .map(String::as_str)
            .collect();
        if !invalid.is_empty() {
            return Err(Judge0Error::BadRequest(format!(
                "invalid fields: [{}]",
                invalid.join(", ")
            )));
        }
        Ok(Selection::Some(names))
    }

    fn names(&self) -> Vec<&str> {
        match self {
            Selection::Default => DEFAULT.to_vec(),
            Selection::All => ALL.to_vec(),
            Selection::Some(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// Several records as Judge0 shows them (a list, a batch): one that is not UTF-8 without
/// base64 fails them all, in Judge0's words for many.
pub fn render_many<'a>(
    records: impl IntoIterator<Item = Option<&'a Record>>,
    selection: &Selection,
    base64: bool,
    languages: &Languages,
) -> Result<Vec<Value>, Judge0Error> {
    records
        .into_iter()
        .map(|r| match r {
            Some(r) => render(r, selection, base64, languages),
            None => Ok(Value::Null),
        })
        .collect::<Result<Vec<Value>, _>>()
        .map_err(|e| match e {
            Judge0Error::NotUtf8 => Judge0Error::BadRequest(NOT_UTF8_MANY.into()),
            other => other,
        })
}

/// The record as Judge0 shows it.
pub fn render(
    record: &Record,
    selection: &Selection,
    base64: bool,
    languages: &Languages,
) -> Result<Value, Judge0Error> {
    let mut out = Map::new();
    for name in selection.names() {
        if TEXT.contains(&name) {
            out.insert(name.to_string(), text(record, name, base64)?);
        } else {
            out.insert(name.to_string(), value(record, name, languages));
        }
    }
    Ok(Value::Object(out))
}

fn text(record: &Record, name: &str, base64: bool) -> Result<Value, Judge0Error> {
    let bytes: Option<&[u8]> = match name {
        "source_code" => Some(&record.source_code),
        "stdin" => record.stdin.as_deref(),
        "expected_output" => record.expected_output.as_deref(),
        "stdout" => record.stdout.as_deref(),
        "stderr" => record.stderr.as_deref(),
        "compile_output" => record.compile_output.as_deref(),
        _ => record.message.as_deref().map(str::as_bytes),
    };
    let Some(bytes) = bytes else {
        return Ok(Value::Null);
    };
    if base64 {
        return Ok(json!(encoding::encode(bytes)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(json!(text)),
        Err(_) => Err(Judge0Error::NotUtf8),
    }
}

fn value(r: &Record, name: &str, languages: &Languages) -> Value {
    let status = r.status();
    match name {
        "token" => json!(r.token),
        "language_id" => json!(r.language_id),
        "status_id" => json!(r.status),
        "status" => status.json(),
        "language" => json!({
            "id": r.language_id,
            "name": languages.by_id(r.language_id).map(|l| l.name.as_str()),
        }),
        "time" => json!(r.time.map(decimal)),
        "wall_time" => json!(r.wall_time.map(decimal)),
        "memory" => json!(r.memory),
        "exit_code" => json!(r.exit_code),
        "exit_signal" => json!(r.exit_signal),
        "created_at" => json!(timestamp(r.created_at)),
        "finished_at" => json!(r.finished_at.map(timestamp)),
        "number_of_runs" => json!(r.number_of_runs),
        "cpu_time_limit" => json!(decimal(r.cpu_time_limit)),
        "cpu_extra_time" => json!(decimal(r.cpu_extra_time)),
        "wall_time_limit" => json!(decimal(r.wall_time_limit)),
        "memory_limit" => json!(r.memory_limit),
        "stack_limit" => json!(r.stack_limit),
        "max_processes_and_or_threads" => json!(r.max_processes_and_or_threads),
        "enable_per_process_and_thread_time_limit" => {
            json!(r.enable_per_process_and_thread_time_limit)
        }
        "enable_per_process_and_thread_memory_limit" => {
            json!(r.enable_per_process_and_thread_memory_limit)
        }
        "max_file_size" => json!(r.max_file_size),
        "compiler_options" => json!(r.compiler_options),
        "command_line_arguments" => json!(r.command_line_arguments),
        "redirect_stderr_to_stdout" => json!(r.redirect_stderr_to_stdout),
        "callback_url" => json!(r.callback_url),
        "additional_files" => json!(r.additional_files),
        "enable_network" => json!(r.enable_network),
        _ => Value::Null,
    }
}
