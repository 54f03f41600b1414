//! Test cases: from a directory of `NAME.in` / `NAME.out` pairs, or from a suite file.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use super::compare::Compare;
use crate::limits::LimitOverrides;

#[derive(Debug, Clone)]
pub struct TestCase {
    pub name: String,
    pub stdin: Vec<u8>,
    pub args: Vec<String>,
    /// Expected stdout; `None` checks only the exit code.
    pub stdout: Option<Vec<u8>>,
    pub exit_code: i64,
    pub limits: LimitOverrides,
    pub compare: Option<Compare>,
}

/// Every `NAME.out` in the directory is a case; `NAME.in` is its stdin (empty when missing).
pub fn load_dir(dir: &Path) -> Result<Vec<TestCase>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read test case directory {}", dir.display()))?;
    let mut cases = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "out") {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .context("case name is not UTF-8")?
                .to_string();
            let input = path.with_extension("in");
            let stdin = if input.exists() {
                read(&input)?
            } else {
                Vec::new()
            };
            cases.push(TestCase {
                name,
                stdin,
                args: Vec::new(),
                stdout: Some(read(&path)?),
                exit_code: 0,
                limits: LimitOverrides::default(),
                compare: None,
            });
        }
    }
    if cases.is_empty() {
        bail!(
            "no test cases in {}: expected NAME.out files (with NAME.in for stdin)",
            dir.display()
        );
    }
    cases.sort_by_key(|c| natural_key(&c.name));
    Ok(cases)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteFile {
    #[serde(default)]
    compare: Option<String>,
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
}

/// A suite file (YAML); file references are relative to it. Returns the cases and the suite's
/// default comparison.
pub fn load_suite(path: &Path) -> Result<(Vec<TestCase>, Option<Compare>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read suite {}", path.display()))?;
    let suite: SuiteFile = crate::yaml::parse(&text, "suite", &path.display().to_string())?;
    let base = path.parent().unwrap_or(Path::new("."));
    let default = suite.compare.as_deref().map(str::parse).transpose()?;
    let mut cases = Vec::new();
    for c in suite.cases {
        let what = |field: &str| format!("suite {}: case {:?}: {field}", path.display(), c.name);
        let stdin = match (c.stdin, &c.stdin_file) {
            (Some(_), Some(_)) => bail!("{}", what("give stdin or stdin_file, not both")),
            (Some(s), None) => s.into_bytes(),
            (None, Some(f)) => read(&base.join(f))?,
            (None, None) => Vec::new(),
        };
        let stdout = match (c.stdout, &c.stdout_file) {
            (Some(_), Some(_)) => bail!("{}", what("give stdout or stdout_file, not both")),
            (Some(s), None) => Some(s.into_bytes()),
            (None, Some(f)) => Some(read(&base.join(f))?),
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
        });
    }
    if cases.is_empty() {
        bail!("suite {} has no cases", path.display());
    }
    Ok((cases, default))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
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
