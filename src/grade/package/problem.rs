//! A problem package as read: the problem and its parts (format, kind, limits, output validator,
//! test cases and groups). Plain values; reading them is `load.rs`'s job.

use std::path::PathBuf;
use std::time::Duration;

use crate::grade::compare::Compare;

/// A problem package, read and checked.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The package directory given to [`load`], made absolute.
    pub dir: PathBuf,
    /// `name` from `problem.yaml` (English when it is a map of languages, else the first),
    /// else the directory's name.
    pub name: String,
    pub format: Format,
    pub kind: Kind,
    /// The output validator talks to the submission (and so is always a custom one).
    pub interactive: bool,
    pub limits: Limits,
    pub validator: Validator,
    /// Polygon's checker of an interactive problem, run on what the interactor wrote to its
    /// output file (testlib's `tout`) in the role of the output, once the interactor and the
    /// submission both accepted. `None` in every other format: there the interactor's verdict
    /// is final.
    pub interaction_checker: Option<Validator>,
    /// Legacy `validation: custom score`: the validator writes `score.txt` for accepted cases.
    /// (In 2023-07-draft any custom validator of a scoring problem may.)
    pub custom_score: bool,
    /// Every case of `data/sample` then `data/secret`, in judging order.
    pub cases: Vec<PackageCase>,
    /// The `data/` directory itself, named "": its settings (legacy: the root `testdata.yaml`,
    /// e.g. `grader_flags: ignore_sample`) decide how `sample` and `secret` add up.
    pub root: GroupSpec,
    /// Every test data directory under `data/` (`sample`, `secret`, `secret/group1`, ...), in
    /// the order of [`Problem::cases`].
    pub groups: Vec<GroupSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Legacy,
    Draft2023_07,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Accepted or not.
    PassFail,
    /// An accepted submission also gets a score; see [`scoring`].
    Scoring,
}

/// The limits the package asks for. Everything unset is the judge's own default.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// 2023-07-draft `limits.time_limit`; else the `.timelimit` file problemtools and BAPCtools
    /// leave in the package root. `None`: derive it from the accepted submissions, as
    /// `slowest accepted time * time_multiplier`.
    pub time_limit: Option<Duration>,
    /// How much slower than the slowest accepted submission the time limit is (legacy
    /// `limits.time_multiplier`, default 5; 2023 `limits.time_multipliers.ac_to_time_limit`,
    /// default 2).
    pub time_multiplier: f64,
    /// How much slower than the time limit every time_limit_exceeded submission must be, so
    /// that timing noise cannot make it pass (legacy `limits.time_safety_margin`, default 2;
    /// 2023 `limits.time_multipliers.time_limit_to_tle`, default 1.5).
    pub safety_margin: f64,
    /// `limits.memory` (MiB in the file).
    pub memory_bytes: Option<u64>,
    /// `limits.output` (MiB in the file).
    pub output_bytes: Option<u64>,
}

/// How a submission's output is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Validator {
    /// The Kattis default validator with the problem-wide flags (legacy `validator_flags`); a
    /// case's own flags are already folded into [`PackageCase::compare`].
    Default(Compare),
    /// The package's own output validator program. It is run as
    /// `validator input answer feedback_dir/ [flags...] [case.validator_flags...] < output`
    /// and exits 42 for accepted, 43 for wrong answer.
    Custom {
        /// The program (absolute): one source file, or its directory, compiled with its layout
        /// kept. `build`/`run` scripts are not supported: a directory holding one is an error.
        program: PathBuf,
        /// A directory's entry point, relative to it: `__main__.py` when there is one (the
        /// format's rule for Python), else the first source file by name that is not a header.
        main: Option<String>,
        /// Problem-wide flags (legacy `validator_flags`).
        flags: Vec<String>,
    },
    /// A testlib program (Polygon's checker, or its interactor when the problem is interactive),
    /// run as `checker input output answer` (`interactor input output [answer]`): exit 0 accepted,
    /// 1 wrong answer, 2 presentation error, 3 judge failure, 7 partial points.
    Testlib {
        /// The source file (absolute), the program's entry point.
        source: PathBuf,
        /// Files compiled next to it, by their base names: the headers it may include
        /// (`testlib.h` and the package's other resources).
        with: Vec<PathBuf>,
    },
    /// A DMOJ `bridged` checker: its files (absolute) compiled together, the entry point first,
    /// run per case with `args` (its `args_format_string` in words) under a DMOJ convention.
    Bridged {
        files: Vec<PathBuf>,
        /// The codecage language its `lang` names, where the files' extensions would not say it
        /// (DMOJ's `NASM` is `assembly32`, its `.asm` files `assembly`'s).
        lang: Option<String>,
        convention: crate::grade::judge_program::Convention,
        args: Vec<String>,
    },
}

/// One test case: `NAME.in`, and its `NAME.ans`.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageCase {
    /// The path below `data/` without extension, e.g. `secret/group1/003`.
    pub name: String,
    pub input: PathBuf,
    /// `None` only for interactive problems, whose validator may need no answer file.
    pub answer: Option<PathBuf>,
    /// The directory below `data/` holding the case, e.g. `secret/group1`.
    pub group: String,
    /// Validator arguments for this case: legacy `output_validator_flags` of the nearest
    /// `testdata.yaml`; 2023 `output_validator_args` of the case's `NAME.yaml` or the nearest
    /// `test_group.yaml`/`testdata.yaml`.
    pub validator_flags: Vec<String>,
    /// With the default validator: the comparison for this case (problem-wide flags, then the
    /// case's). `None` with a custom validator.
    pub compare: Option<Compare>,
    /// The most the case can score, when the package gives each case its own (Polygon's
    /// per-test `points`); `None`: what the format's rules give it.
    pub points: Option<f64>,
    /// The case's data already read (a DMOJ problem's, whose data may sit in a zip archive and
    /// is normalised to `\n` line endings as DMOJ does); `None`: read `input` and `answer`.
    pub data: Option<CaseData>,
}

/// A case's input and answer, in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseData {
    pub input: Vec<u8>,
    pub answer: Vec<u8>,
}

/// How one test data directory is scored (see [`scoring`] for the arithmetic).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpec {
    /// The directory below `data/`: `sample`, `secret`, `secret/group1`; "" for `data/`.
    pub name: String,
    /// The group's maximum score as the package declares it.
    pub points: Points,
    pub aggregation: Aggregation,
    /// 2023 `require_pass`: groups or cases (named below `data/`) a submission must pass for
    /// this group to score at all.
    pub depends_on: Vec<String>,
    /// The legacy format's per-group grading settings; `None` in 2023-07-draft.
    pub legacy: Option<LegacyGrading>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Points {
    /// Not given: inferred from the parent group (2023), or the sum of what the cases can score
    /// (legacy).
    Inferred,
    Bounded(f64),
    /// 2023 `score: unbounded`: the validator's `score.txt` decides.
    Unbounded,
}

/// How the results of a group's cases and subgroups make the group's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// All accepted: the group's maximum score; otherwise 0 (and for pass-fail problems, the
    /// only mode).
    PassFail,
    Sum,
    Min,
    /// Legacy grader flag `max`.
    Max,
    /// Legacy grader flag `avg`.
    Avg,
}

/// Legacy `testdata.yaml` grading settings, inherited key by key from the parent directory as
/// problemtools does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegacyGrading {
    /// Score of an accepted case without `score.txt` (`accept_score`, default 1).
    pub accept_score: f64,
    /// Score of a rejected case (`reject_score`, default 0).
    pub reject_score: f64,
    /// `range`: the scores this group may get, a check on the package rather than a clamp.
    pub range: Option<(f64, f64)>,
    /// `on_reject: break` (the default) stops judging the group at its first rejected item,
    /// so later items do not count at all; `continue` judges them all.
    pub stop_on_reject: bool,
    /// Grader flag `ignore_sample` in the root `testdata.yaml`: the root's result is `secret`'s
    /// alone. (Below the root, where per-key inheritance carries the flag, it means nothing.)
    pub ignore_sample: bool,
    /// Grader flags `accept_if_any_accepted` (the group is accepted when any item is) and
    /// `always_accept` (it always is). They change the group's verdict, never its score.
    pub accept_if_any: bool,
    pub always_accept: bool,
}

impl Problem {
    /// The group called `name` ("" is the root).
    pub fn group(&self, name: &str) -> Option<&GroupSpec> {
        if name.is_empty() {
            return Some(&self.root);
        }
        self.groups.iter().find(|g| g.name == name)
    }
}
