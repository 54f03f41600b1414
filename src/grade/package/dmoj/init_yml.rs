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
    pub generator: Option<IgnoredAny>,
    pub generator_args: Option<IgnoredAny>,
    pub interactive: Option<IgnoredAny>,
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
    pub generator: Option<IgnoredAny>,
    pub generator_args: Option<IgnoredAny>,
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

/// The first key DMOJ defines that codecage does not do, if any.
pub fn unsupported(init: &InitYml) -> Option<&'static str> {
    let keys: [(&str, bool); 15] = [
        ("generator", init.generator.is_some()),
        ("generator_args", init.generator_args.is_some()),
        ("interactive", init.interactive.is_some()),
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
    let keys: [(&str, bool); 6] = [
        ("checker", item.checker.is_some()),
        ("generator", item.generator.is_some()),
        ("generator_args", item.generator_args.is_some()),
        ("output_limit_length", item.output_limit_length.is_some()),
        ("output_prefix_length", item.output_prefix_length.is_some()),
        ("io_redirects", item.io_redirects.is_some()),
    ];
    keys.iter().find(|(_, set)| *set).map(|(k, _)| *k)
}
