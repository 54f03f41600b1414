//! The `tests` testset's files: test `n` is `input-path-pattern` and `answer-path-pattern` with
//! `n` (from 1), read into memory. A full (or linux) package has every test's files; a standard
//! package has only the manual tests' inputs, its generated tests and its answers being made by
//! its `doall` script, which codecage does not run: their absence is one line saying so.

use std::path::Path;

use super::super::links::inside;
use super::super::package_error::PackageError;
use super::super::problem::{CaseData, Kind, PackageCase};
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

pub fn read(dir: &Path, testset: &problem_xml::Testset) -> Result<Testset, PackageError> {
    let pattern = |text: &str, what: &str| {
        Pattern::parse(text).map_err(|e| PackageError::invalid(PROBLEM_XML, format!("{what} {e}")))
    };
    let inputs = pattern(&testset.input_pattern, "input-path-pattern")?;
    let answers = pattern(&testset.answer_pattern, "answer-path-pattern")?;
    let listed = tests(testset)?;
    let numbers: Vec<String> = (1..=listed.len()).map(|n| inputs.number(n)).collect();
    let layout = groups::layout(&listed, &testset.groups, &numbers)?;
    // A standard package: some tests are generated, and all answers are left to its script.
    let standard = listed.iter().any(|t| t.generated);
    let mut cases = Vec::with_capacity(listed.len());
    for (i, test) in listed.iter().enumerate() {
        let n = i + 1;
        let input = inside(dir, &inputs.path(n), PROBLEM_XML)?;
        let answer = inside(dir, &answers.path(n), PROBLEM_XML)?;
        if !input.is_file() {
            return Err(missing_input(&inputs.path(n), n, test));
        }
        if !answer.is_file() {
            return Err(match standard {
                true => PackageError::invalid(
                    answers.path(n),
                    "missing: a standard package leaves the answers to its main solution, which codecage does not run to make them; use Polygon's full (or linux) package, which has them",
                ),
                false => PackageError::missing(answers.path(n)),
            });
        }
        let read = |path: &Path| std::fs::read(path).map_err(|e| PackageError::io(dir, path, e));
        let data = CaseData {
            input: unix_lines(read(&input)?),
            answer: unix_lines(read(&answer)?),
        };
        let (group, points) = layout.of_test[i].clone();
        cases.push(PackageCase {
            name: format!("{group}/{}", numbers[i]),
            input,
            answer: Some(answer),
            group,
            validator_flags: Vec::new(),
            compare: None,
            points,
            data: Some(data),
        });
    }
    Ok(Testset {
        kind: layout.kind,
        cases,
        groups: layout.groups,
    })
}

/// The tests `<tests>` lists, which `test-count` (when given) must agree with; without `<tests>`,
/// `test-count` manual tests.
fn tests(testset: &problem_xml::Testset) -> Result<Vec<Test>, PackageError> {
    let tests: Vec<Test> = match (&testset.tests, testset.test_count) {
        (Some(tests), Some(count)) if tests.len() != count => {
            return Err(PackageError::invalid(
                PROBLEM_XML,
                format!(
                    "test-count says {count} tests, <tests> lists {}",
                    tests.len()
                ),
            ))
        }
        (Some(tests), _) => tests.clone(),
        (None, Some(count)) => (0..count)
            .map(|_| Test {
                generated: false,
                cmd: None,
                group: None,
                points: None,
            })
            .collect(),
        (None, None) => {
            return Err(PackageError::invalid(
                PROBLEM_XML,
                "the tests testset has neither <tests> nor <test-count>",
            ))
        }
    };
    if tests.is_empty() {
        return Err(PackageError::invalid(
            PROBLEM_XML,
            "the tests testset has no tests",
        ));
    }
    Ok(tests)
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
            "missing: test {n} is generated{how}, and codecage does not run a standard package's generators; use Polygon's full (or linux) package, which has every test"
        ),
    )
}

/// `\r\n` becomes `\n`: Polygon's full package is made for Windows, its linux package has the
/// same files with Unix line ends, and submissions here run on Linux.
fn unix_lines(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return bytes;
    }
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
