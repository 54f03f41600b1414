//! The package's example submissions, `submissions/<category>/<file or directory>`, with the
//! result their category promises, so `codecage` can check a package (and itself) against them.
//!
//! The five standard categories are read: `accepted`, `wrong_answer`, `time_limit_exceeded`,
//! `run_time_error` and `partially_accepted`. Others (2023's `rejected`, `brute_force`, or any
//! folder a `submissions.yaml` gives meaning to) are ignored, as are `submissions.yaml`'s
//! per-submission expectations: they need a glob and verdict-set engine of their own.
//!
//! [`Expected`] also holds a Polygon solution's tag (`polygon/tag.rs`), whose solutions come from
//! `problem.xml` instead (`polygon/solutions.rs`).

use std::path::{Path, PathBuf};

use super::package_error::{relative, PackageError};
use super::polygon::tag::{Rule, Tag};
use super::validator::{collect_files, visible_entries};
use crate::verdict::Verdict;

/// The result a submission's category folder promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `accepted`: every case accepted (and, scoring, the maximum score).
    Accepted,
    /// `wrong_answer`: some case gets WA.
    WrongAnswer,
    /// `time_limit_exceeded`: some case is too slow.
    TimeLimit,
    /// `run_time_error`: some case crashes; hitting the memory limit counts as a crash.
    RuntimeError,
    /// `partially_accepted` (legacy scoring problems): accepted, with less than the maximum.
    PartiallyAccepted,
    /// A Polygon solution's tag, with rules of its own (see [`Tag`]).
    Polygon(Tag),
}

impl Expected {
    fn from_folder(name: &str) -> Option<Expected> {
        Some(match name {
            "accepted" => Expected::Accepted,
            "wrong_answer" => Expected::WrongAnswer,
            "time_limit_exceeded" => Expected::TimeLimit,
            "run_time_error" => Expected::RuntimeError,
            "partially_accepted" => Expected::PartiallyAccepted,
            _ => return None,
        })
    }

    /// Whether a submission's overall verdict is what the folder promises (a partially accepted
    /// one must also score below the maximum, which the caller checks).
    pub fn allows(self, verdict: Verdict) -> bool {
        match self {
            Expected::Accepted | Expected::PartiallyAccepted => verdict == Verdict::Accepted,
            Expected::WrongAnswer => verdict == Verdict::WrongAnswer,
            Expected::TimeLimit => verdict == Verdict::TimeLimit,
            Expected::RuntimeError => {
                matches!(verdict, Verdict::RuntimeError | Verdict::MemoryLimit)
            }
            Expected::Polygon(tag) => match tag.rule() {
                Rule::AllAccepted => verdict == Verdict::Accepted,
                Rule::SomeCase(wanted) | Rule::EveryCase(wanted) => wanted.contains(&verdict),
            },
        }
    }

    /// Whether every case must be accepted (and a scoring problem's maximum reached).
    pub fn all_accepted(self) -> bool {
        match self {
            Expected::Accepted => true,
            Expected::Polygon(tag) => tag.rule() == Rule::AllAccepted,
            _ => false,
        }
    }
}

/// A verdict as the Kattis rules count it: `PE` is a wrong answer, `MLE` and `OLE` run-time
/// errors; `None` for what no folder permits (`CE`, `IE`, `CANCELLED`).
fn kattis_class(verdict: Verdict) -> Option<Verdict> {
    Some(match verdict {
        Verdict::Accepted => Verdict::Accepted,
        Verdict::WrongAnswer | Verdict::PresentationError => Verdict::WrongAnswer,
        Verdict::TimeLimit => Verdict::TimeLimit,
        Verdict::RuntimeError | Verdict::MemoryLimit | Verdict::OutputLimit => {
            Verdict::RuntimeError
        }
        Verdict::CompileError | Verdict::InternalError | Verdict::Cancelled => return None,
    })
}

impl Expected {
    /// 2023-07-draft's default rule for the folder, case by case: whether a case may get
    /// `verdict` (`wrong_answer`: AC or WA only; `time_limit_exceeded`: AC or TLE; ...).
    /// `partially_accepted` is no 2023 default folder: any judged verdict.
    pub fn permits(self, verdict: Verdict) -> bool {
        if let Expected::Polygon(tag) = self {
            return tag.permits(verdict);
        }
        let Some(class) = kattis_class(verdict) else {
            return false;
        };
        match self {
            Expected::Accepted => class == Verdict::Accepted,
            Expected::PartiallyAccepted => true,
            other => class == Verdict::Accepted || Some(class) == other.required(),
        }
    }

    /// The verdict some case must get under 2023-07-draft's default rule (as Kattis counts it).
    pub fn required(self) -> Option<Verdict> {
        match self {
            Expected::WrongAnswer => Some(Verdict::WrongAnswer),
            Expected::TimeLimit => Some(Verdict::TimeLimit),
            Expected::RuntimeError => Some(Verdict::RuntimeError),
            Expected::Accepted | Expected::PartiallyAccepted | Expected::Polygon(_) => None,
        }
    }

    /// The verdicts of which some case needs one, for messages: "WA", "TLE or MLE".
    pub fn required_names(self) -> Option<String> {
        match self {
            Expected::Polygon(tag) => tag.required_names(),
            other => other.required().map(|v| v.code().to_string()),
        }
    }

    /// Whether some case's verdict is the one the folder requires (as Kattis counts it).
    pub fn required_met(self, verdicts: impl IntoIterator<Item = Verdict>) -> bool {
        if let Expected::Polygon(tag) = self {
            return tag.required_met(verdicts);
        }
        match self.required() {
            None => true,
            Some(required) => verdicts
                .into_iter()
                .any(|v| kattis_class(v) == Some(required)),
        }
    }

    /// The verdicts a case may get, for messages: "AC or WA".
    pub fn permitted_names(self) -> String {
        match (self, self.required()) {
            (Expected::Polygon(tag), _) => tag.permitted_names(),
            (Expected::Accepted, _) => "AC".to_string(),
            (_, Some(required)) => format!("AC or {}", required.code()),
            (_, None) => "any".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSubmission {
    /// Relative to the package, e.g. `submissions/accepted/sol.py`.
    pub path: PathBuf,
    /// The submission itself (absolute): one source file, or a directory that is run as
    /// `codecage run DIR` runs one (its layout kept, the entry found by the main-file rules).
    pub program: PathBuf,
    pub expected: Expected,
    /// The codecage language to run it as, when the package names one its file name does not
    /// tell (Polygon's `pypy.3`); `None`: by its files.
    pub language: Option<String>,
    /// Why it cannot be run at all (a language codecage lacks, such as Python 2): an `IE` row.
    pub refused: Option<String>,
}

/// Every submission of the standard categories, sorted by path; none when the package has no
/// `submissions/`.
pub fn kattis(dir: &Path) -> Result<Vec<PackageSubmission>, PackageError> {
    let absolute = std::path::absolute(dir).map_err(|e| PackageError::io(dir, dir, e))?;
    let dir = absolute.as_path();
    let root = dir.join("submissions");
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    super::links::links_stay_inside(dir)?;
    let mut found = Vec::new();
    for category in visible_entries(dir, &root)? {
        let name = category
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(expected) = Expected::from_folder(name).filter(|_| category.is_dir()) else {
            continue;
        };
        for entry in visible_entries(dir, &category)? {
            if entry.is_dir() {
                // An empty folder is no submission (a placeholder kept in version control).
                let mut files = Vec::new();
                collect_files(dir, &entry, &mut files)?;
                if files.is_empty() {
                    continue;
                }
            } else if !entry.is_file() {
                continue;
            }
            let path = PathBuf::from(relative(dir, &entry));
            found.push(PackageSubmission {
                path,
                program: entry,
                expected,
                language: None,
                refused: None,
            });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}
