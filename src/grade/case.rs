//! Test cases: from a directory of `NAME.in` / `NAME.out` (or `.ans`) pairs, or from a suite
//! file, which may also declare scoring groups.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use super::compare::Compare;
use super::score::{self, Group};
pub use super::test_case::TestCase;
use crate::limits::LimitOverrides;

/// How a directory of cases is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirLayout {
    /// Every `NAME.out` or `NAME.ans` is a case; `NAME.in` is its stdin (empty when missing).
    Answers,
    /// Every `NAME.in` is a case (interactive problems); an answer beside it is passed to the
    /// interactor when present.
    Inputs,
}

/// The cases of a directory, in natural order of their names.
pub fn load_dir(dir: &Path, layout: DirLayout) -> Result<Vec<TestCase>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read test case directory {}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let key = match layout {
            DirLayout::Answers => ["out", "ans"].as_slice(),
            DirLayout::Inputs => ["in"].as_slice(),
        };
        if path.is_file()
            && path
                .extension()
                .is_some_and(|e| key.iter().any(|k| e == *k))
        {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .with_context(|| format!("{}: case name is not UTF-8", path.display()))?
                .to_string();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if layout == DirLayout::Answers {
        orphan_inputs(dir, &names)?;
    }
    if names.is_empty() {
        match layout {
            DirLayout::Answers => bail!(
                "no test cases in {}: expected NAME.out or NAME.ans files (with NAME.in for stdin)",
                dir.display()
            ),
            DirLayout::Inputs => {
                bail!("no test cases in {}: expected NAME.in files", dir.display())
            }
        }
    }
    names.sort_by_key(|n| natural_key(n));
    let inside = Inside::new(dir)?;
    names
        .iter()
        .map(|name| dir_case(dir, &inside, name))
        .collect()
}

/// An input without an answer is a mistake in the test data, not a case to skip quietly.
fn orphan_inputs(dir: &Path, names: &[String]) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "in") {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if !names.iter().any(|n| n == stem) {
                bail!(
                    "{}: {stem}.in has no answer beside it ({stem}.out or {stem}.ans)",
                    dir.display()
                );
            }
        }
    }
    Ok(())
}

/// One case of a directory: `NAME.in` and the answer, `NAME.out` or `NAME.ans` (not both).
fn dir_case(dir: &Path, inside: &Inside, name: &str) -> Result<TestCase> {
    let input = dir.join(format!("{name}.in"));
    let (out, ans) = (
        dir.join(format!("{name}.out")),
        dir.join(format!("{name}.ans")),
    );
    let answer = match (out.is_file(), ans.is_file()) {
        (true, true) => bail!(
            "case {name} in {} has both {name}.out and {name}.ans; keep one",
            dir.display()
        ),
        (true, false) => Some(inside.read(&out)?),
        (false, true) => Some(inside.read(&ans)?),
        (false, false) => None,
    };
    Ok(TestCase {
        name: name.to_string(),
        stdin: if input.exists() {
            inside.read(&input)?
        } else {
            Vec::new()
        },
        args: Vec::new(),
        stdout: answer,
        exit_code: 0,
        limits: LimitOverrides::default(),
        compare: None,
        group: None,
        judge_args: Vec::new(),
    })
}

/// A suite file's cases, its default comparison and its scoring groups.
#[derive(Debug, Clone)]
pub struct Suite {
    pub cases: Vec<TestCase>,
    pub compare: Option<Compare>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    #[serde(default)]
    compare: Option<String>,
    #[serde(default)]
    groups: Vec<Group>,
    cases: Vec<SuiteCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteCase {
    name: String,
    #[serde(default)]
    stdin: Option<String>,
    #[serde(default)]
    stdin_file: Option<PathBuf>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    stdout: Option<String>,
    #[serde(default)]
    stdout_file: Option<PathBuf>,
    #[serde(default)]
    exit_code: i64,
    #[serde(default)]
    limits: LimitOverrides,
    #[serde(default)]
    compare: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

/// A suite file (YAML); file references are relative to it.
pub fn load_suite(path: &Path) -> Result<Suite> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read suite {}", path.display()))?;
    let suite: SuiteFile = crate::yaml::parse(&text, "suite", &path.display().to_string())?;
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let inside = Inside::new(base)?;
    let default = suite.compare.as_deref().map(str::parse).transpose()?;
    let mut cases = Vec::new();
    for c in suite.cases {
        let what = |field: &str| format!("suite {}: case {:?}: {field}", path.display(), c.name);
        let stdin = match (c.stdin, &c.stdin_file) {
            (Some(_), Some(_)) => bail!("{}", what("give stdin or stdin_file, not both")),
            (Some(s), None) => s.into_bytes(),
            (None, Some(f)) => inside.read(&base.join(f))?,
            (None, None) => Vec::new(),
        };
        let stdout = match (c.stdout, &c.stdout_file) {
            (Some(_), Some(_)) => bail!("{}", what("give stdout or stdout_file, not both")),
            (Some(s), None) => Some(s.into_bytes()),
            (None, Some(f)) => Some(inside.read(&base.join(f))?),
            (None, None) => None,
        };
        let compare = c
            .compare
            .as_deref()
            .map(str::parse)
            .transpose()
            .with_context(|| what("compare"))?;
        let mut check = crate::limits::Limits::run_defaults();
        check.apply(&c.limits).with_context(|| what("limits"))?;
        cases.push(TestCase {
            name: c.name,
            stdin,
            args: c.args,
            stdout,
            exit_code: c.exit_code,
            limits: c.limits,
            compare,
            group: c.group,
            judge_args: Vec::new(),
        });
    }
    if cases.is_empty() {
        bail!("suite {} has no cases", path.display());
    }
    score::validate(&suite.groups, &cases).with_context(|| format!("suite {}", path.display()))?;
    Ok(Suite {
        cases,
        compare: default,
        groups: suite.groups,
    })
}

/// Test data is read only from inside the directory of the cases (or of the suite file): a
/// symbolic link or a `../` or absolute `stdin_file` that leads elsewhere (`/etc/...`,
/// `/proc/self/environ`) would hand a host file to the submission, a diff or a report.
struct Inside {
    dir: PathBuf,
    real: PathBuf,
}

impl Inside {
    fn new(dir: &Path) -> Result<Inside> {
        let real = std::fs::canonicalize(dir)
            .with_context(|| format!("cannot read directory {}", dir.display()))?;
        Ok(Inside {
            dir: dir.to_path_buf(),
            real,
        })
    }

    fn read(&self, path: &Path) -> Result<Vec<u8>> {
        // A missing file is reported as missing, below.
        let there = std::fs::symlink_metadata(path).is_ok();
        if there && !crate::workspace::resolves_inside(&self.real, path) {
            bail!(
                "{} leads out of {} (a symbolic link, an absolute path or ..); codecage reads test data only from inside it",
                crate::escape::line(&path.display().to_string()),
                crate::escape::line(&self.dir.display().to_string())
            );
        }
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

/// "case2" sorts before "case10".
fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for ch in name.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            if !digits.is_empty() {
                key.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.push(ch);
        }
    }
    key.push((text, digits.parse().unwrap_or(0)));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut names = vec!["case10", "case2", "case1", "a"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["a", "case1", "case2", "case10"]);
    }
}
