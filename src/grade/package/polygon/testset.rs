//! The `tests` testset's files: test `n` is `input-path-pattern` and `answer-path-pattern` with
//! `n` (from 1). A full (or linux) package has every test's files; a standard package has only
//! the manual tests' inputs, its generated tests and its answers being made by its `doall`
//! script: read without them, their absence is one line saying so; with the files
//! `grade::polygon_tests` made in their place (see `generation.rs`), it is read whole.

use std::path::{Path, PathBuf};

use super::super::links::inside;
use super::super::package_error::PackageError;
use super::super::problem::{CaseData, Kind, PackageCase};
use super::generation::Made;
use super::groups;
use super::pattern::Pattern;
use super::problem_xml::{self, Test, PROBLEM_XML};

/// The testset's cases (in test order) and groups, and whether it scores.
#[derive(Debug)]
pub struct Testset {
    pub kind: Kind,
    pub cases: Vec<PackageCase>,
    pub groups: Vec<super::super::problem::GroupSpec>,
}

/// `made`: the files made for a standard package, which stand in for the missing ones.
pub fn read(
    dir: &Path,
    testset: &problem_xml::Testset,
    made: Option<&Made>,
) -> Result<Testset, PackageError> {
    let pattern = |text: &str, what: &str| {
        Pattern::parse(text).map_err(|e| PackageError::invalid(PROBLEM_XML, format!("{what} {e}")))
    };
    let inputs = pattern(&testset.input_pattern, "input-path-pattern")?;
    let answers = pattern(&testset.answer_pattern, "answer-path-pattern")?;
    let listed = testset.listed()?;
    let numbers: Vec<String> = (1..=listed.len()).map(|n| inputs.number(n)).collect();
    let layout = groups::layout(&listed, &testset.groups, &numbers)?;
    // A standard package: some tests are generated, and all answers are left to its script.
    let standard = listed.iter().any(|t| t.generated);
    let mut cases = Vec::with_capacity(listed.len());
    for (i, test) in listed.iter().enumerate() {
        let n = i + 1;
        let stand_in = |files: Option<&std::collections::BTreeMap<usize, PathBuf>>| {
            files.and_then(|f| f.get(&n)).cloned()
        };
        let input = match stand_in(made.map(|m| &m.inputs)) {
            Some(path) => path,
            None => inside(dir, &inputs.path(n), PROBLEM_XML)?,
        };
        let answer = match stand_in(made.map(|m| &m.answers)) {
            Some(path) => path,
            None => inside(dir, &answers.path(n), PROBLEM_XML)?,
        };
        if !input.is_file() {
            return Err(missing_input(&inputs.path(n), n, test));
        }
        if !answer.is_file() {
            return Err(match standard {
                true => PackageError::invalid(
                    answers.path(n),
                    "missing: a standard package leaves its answers to its main solution, and it was read without making them (see package::generation)",
                ),
                false => PackageError::missing(answers.path(n)),
            });
        }
        let data = windows_lines(dir, &input, &answer)?;
        let (group, points) = layout.of_test[i].clone();
        cases.push(PackageCase {
            name: format!("{group}/{}", numbers[i]),
            input,
            answer: Some(answer),
            group,
            validator_flags: Vec::new(),
            compare: None,
            points,
            data,
        });
    }
    Ok(Testset {
        kind: layout.kind,
        cases,
        groups: layout.groups,
    })
}

fn missing_input(path: &str, n: usize, test: &Test) -> PackageError {
    if !test.generated {
        return PackageError::missing(path);
    }
    let how = match &test.cmd {
        Some(cmd) => format!(" by {:?}", crate::escape::line(cmd)),
        None => String::new(),
    };
    PackageError::invalid(
        path,
        format!(
            "missing: test {n} is generated{how}, and the package was read without making its generated tests (see package::generation)"
        ),
    )
}

/// A test whose files have Windows line ends, with `\r\n` made `\n`: Polygon's full package
/// for Windows has them, its linux package the same files with Unix line ends, and submissions
/// here run on Linux. `None` for a test without them: its files are read again when judging,
/// rather than held twice.
fn windows_lines(
    dir: &Path,
    input: &Path,
    answer: &Path,
) -> Result<Option<CaseData>, PackageError> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| PackageError::io(dir, path, e));
    let crlf = |bytes: &[u8]| bytes.windows(2).any(|w| w == b"\r\n");
    let (input, answer) = (read(input)?, read(answer)?);
    if !crlf(&input) && !crlf(&answer) {
        return Ok(None);
    }
    Ok(Some(CaseData {
        input: unix_lines(input),
        answer: unix_lines(answer),
    }))
}

fn unix_lines(bytes: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(bytes[i]);
        }
        i += 1;
    }
    out
}
