//! DMOJ's `init.yml`, as its documentation (DMOJ/docs `docs/problem_format/`) and its judge
//! (`dmoj/problem.py`, `dmoj/config.py`) define it. Every key DMOJ knows is named here: the ones
//! codecage reads with their types, the others as [`IgnoredAny`] so [`unsupported`] can refuse
//! them by name; a key DMOJ does not know is a YAML error naming it.

use serde::de::IgnoredAny;
use serde::Deserialize;

/// The file that makes a folder a DMOJ problem.
pub const INIT: &str = "init.yml";

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitYml {
    pub archive: Option<String>,
    pub test_cases: Option<Cases>,
    pub pretest_test_cases: Option<Cases>,
    pub checker: Option<Checker>,
    pub output_limit_length: Option<u64>,
    /// How much of the output DMOJ shows as feedback: it changes no verdict, so it is accepted.
    #[serde(rename = "output_prefix_length")]
    pub _output_prefix_length: Option<IgnoredAny>,
    pub generator: Option<Generator>,
    pub generator_args: Option<Vec<Arg>>,
    pub interactive: Option<Interactive>,
    /// A pseudo-terminal for the submission's streams, so it need not flush: codecage's streams
    /// are pipes (an interactive submission flushes, as on DMOJ's own bridged interactors), and
    /// nothing else changes a verdict, so it is accepted.
    #[serde(rename = "unbuffered")]
    pub _unbuffered: Option<IgnoredAny>,
    pub custom_judge: Option<IgnoredAny>,
    pub grader: Option<IgnoredAny>,
    pub signature_grader: Option<IgnoredAny>,
    pub io_redirects: Option<IgnoredAny>,
    pub file_io: Option<IgnoredAny>,
    pub unicode: Option<IgnoredAny>,
    pub nobigmath: Option<IgnoredAny>,
    pub binary_data: Option<IgnoredAny>,
    pub wall_time_factor: Option<IgnoredAny>,
    pub hints: Option<IgnoredAny>,
    pub symlinks: Option<IgnoredAny>,
    pub points: Option<IgnoredAny>,
}

/// `test_cases`: a list; DMOJ's other spelling, a map of regexes, is refused by the caller.
/// (DMOJ's other spelling, a map of regexes, is not supported: a YAML type error at its line.)
pub type Cases = Vec<Item>;

/// One entry of `test_cases`: a case, or a batch of cases (it has `batched`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(rename = "in")]
    pub input: Option<String>,
    #[serde(rename = "out")]
    pub output: Option<String>,
    pub points: Option<f64>,
    pub batched: Option<Vec<Item>>,
    pub dependencies: Option<Vec<usize>>,
    pub checker: Option<IgnoredAny>,
    pub generator: Option<Generator>,
    pub generator_args: Option<Vec<Arg>>,
    pub output_limit_length: Option<IgnoredAny>,
    pub output_prefix_length: Option<IgnoredAny>,
    pub io_redirects: Option<IgnoredAny>,
}

/// `checker: NAME`, or `checker: {name: NAME, args: {...}}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Checker {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        args: CheckerArgs,
    },
}

/// The arguments of DMOJ's built-in checkers and of `bridged` (DMOJ passes them all as keyword
/// arguments, and a checker ignores the ones it does not take: so does codecage).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckerArgs {
    pub precision: Option<i32>,
    pub error_mode: Option<String>,
    /// Feedback only, like `feedback`: accepted and unused.
    #[serde(rename = "pe_allowed")]
    pub _pe_allowed: Option<IgnoredAny>,
    #[serde(rename = "feedback")]
    pub _feedback: Option<IgnoredAny>,
    pub split_on: Option<String>,
    /// `linecount`'s line comparison, a Python lambda: not supported.
    pub r#match: Option<IgnoredAny>,
    pub files: Option<Files>,
    /// DMOJ's language key (`CPP17`, `PY3`, `NASM`, ...): see `language.rs`; a key codecage has
    /// no entry for leaves the language to the files' extensions, as for any program.
    pub lang: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub args_format_string: Option<String>,
    /// The older spelling of `args_format_string`, with `{input}`, `{output}` and `{answer}`.
    pub args: Option<String>,
    pub treat_checker_points_as_percentage: Option<bool>,
    /// The checker's own limits: codecage's judge programs have theirs (generous, finite).
    #[serde(rename = "time_limit")]
    pub _time_limit: Option<IgnoredAny>,
    #[serde(rename = "memory_limit")]
    pub _memory_limit: Option<IgnoredAny>,
    #[serde(rename = "compiler_time_limit")]
    pub _compiler_time_limit: Option<IgnoredAny>,
    /// Compiler flags: not supported (the language's profile compiles).
    pub flags: Option<IgnoredAny>,
    #[serde(rename = "cached")]
    pub _cached: Option<IgnoredAny>,
}

/// `files:` of a `bridged` checker: one file or a list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Files {
    One(String),
    Many(Vec<String>),
}

/// `interactive:` DMOJ's bridged interactor (`dmoj/graders/bridged.py`): a program compiled from
/// `files`, its arguments and exit codes those of its `type` (see `judge_program/dmoj.rs`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interactive {
    pub files: Option<Files>,
    /// DMOJ's language key, read as a checker's is (`language.rs`).
    pub lang: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub args_format_string: Option<String>,
    /// Compiler flags: not supported, as for a bridged checker.
    pub flags: Option<IgnoredAny>,
    /// The interactor's own limits: codecage's judge programs have theirs (an interactor's
    /// outlives the submission's), so these are accepted and unused.
    #[serde(rename = "compiler_time_limit")]
    pub _compiler_time_limit: Option<IgnoredAny>,
    #[serde(rename = "preprocessing_time")]
    pub _preprocessing_time: Option<IgnoredAny>,
    #[serde(rename = "memory_limit")]
    pub _memory_limit: Option<IgnoredAny>,
    /// DMOJ's default (true) makes the interactor's stdout unbuffered; codecage always does.
    #[serde(rename = "unbuffered")]
    pub _unbuffered: Option<IgnoredAny>,
    /// Older judges' switch for showing the interactor's stderr: it always is feedback here.
    #[serde(rename = "feedback")]
    pub _feedback: Option<IgnoredAny>,
}

/// `generator:` a source file, a list (the source, then files compiled beside it), or DMOJ's
/// map (`dmoj/problem.py`'s `source`, which its documentation calls `name`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Generator {
    One(String),
    Many(Vec<String>),
    Full(GeneratorSpec),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratorSpec {
    pub source: Option<Files>,
    pub name: Option<Files>,
    /// Arguments for a case whose `generator_args` are empty.
    pub args: Option<Vec<Arg>>,
    /// Compiler flags: not supported (the language's profile compiles).
    pub flags: Option<IgnoredAny>,
    /// The language: codecage takes it from the source's extension, as for any program.
    #[serde(rename = "language")]
    pub _language: Option<IgnoredAny>,
    /// The generator's limits: codecage's generous tool limits apply instead.
    #[serde(rename = "time_limit")]
    pub _time_limit: Option<IgnoredAny>,
    #[serde(rename = "memory_limit")]
    pub _memory_limit: Option<IgnoredAny>,
    #[serde(rename = "compiler_time_limit")]
    pub _compiler_time_limit: Option<IgnoredAny>,
    /// DMOJ may run a trusted generator unsandboxed; codecage sandboxes every one.
    #[serde(rename = "use_sandbox")]
    pub _use_sandbox: Option<IgnoredAny>,
}

/// One of `generator_args`: DMOJ passes `str()` of each, so numbers are allowed.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Arg {
    /// The argument as Python's `str()` writes it (`2.0`, not `2`).
    pub fn text(&self) -> String {
        match self {
            Arg::Int(n) => n.to_string(),
            Arg::Float(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e16 => {
                format!("{x:.1}")
            }
            Arg::Float(x) => x.to_string(),
            Arg::Text(s) => s.clone(),
        }
    }
}

/// The first key DMOJ defines that codecage does not do, if any.
pub fn unsupported(init: &InitYml) -> Option<&'static str> {
    let keys: [(&str, bool); 12] = [
        ("custom_judge", init.custom_judge.is_some()),
        ("grader", init.grader.is_some()),
        ("signature_grader", init.signature_grader.is_some()),
        ("io_redirects", init.io_redirects.is_some()),
        ("file_io", init.file_io.is_some()),
        ("unicode", init.unicode.is_some()),
        ("nobigmath", init.nobigmath.is_some()),
        ("binary_data", init.binary_data.is_some()),
        ("wall_time_factor", init.wall_time_factor.is_some()),
        ("hints", init.hints.is_some()),
        ("symlinks", init.symlinks.is_some()),
        ("points", init.points.is_some()),
    ];
    keys.iter().find(|(_, set)| *set).map(|(k, _)| *k)
}

/// The first key of a case or batch that codecage does not do, if any.
pub fn unsupported_in_item(item: &Item) -> Option<&'static str> {
    let keys: [(&str, bool); 4] = [
        ("checker", item.checker.is_some()),
        ("output_limit_length", item.output_limit_length.is_some()),
        ("output_prefix_length", item.output_prefix_length.is_some()),
        ("io_redirects", item.io_redirects.is_some()),
    ];
    keys.iter().find(|(_, set)| *set).map(|(k, _)| *k)
}
