//! A Polygon package's solutions (`<assets><solutions>`), each with what its tag promises, for
//! `codecage verify`. A solution's language comes from its file name, as for any program, except
//! where Polygon's `type` says more: `pypy.3` runs as PyPy, and Python 2 (`python.2`, `pypy.2`),
//! which codecage does not have, is a row saying so.

use std::path::{Path, PathBuf};

use super::super::links::inside;
use super::super::package_error::PackageError;
use super::super::submissions::{Expected, PackageSubmission};
use super::problem_xml::{self, PROBLEM_XML};
use super::tag::{Tag, DO_NOT_RUN};

/// Every solution but those tagged `do-not-run`, in the order `problem.xml` lists them.
pub fn solutions(dir: &Path) -> Result<Vec<PackageSubmission>, PackageError> {
    let xml = problem_xml::read(dir)?;
    let mut found = Vec::new();
    for solution in xml.solutions.iter().filter(|s| s.tag != DO_NOT_RUN) {
        let Some(tag) = Tag::parse(&solution.tag) else {
            return Err(PackageError::unsupported(
                &solution.at,
                format!("the solution tag {:?}", solution.tag),
            ));
        };
        let source = &solution.source;
        let program = inside(dir, &source.path, &solution.at)?;
        if !program.is_file() {
            return Err(PackageError::missing(crate::escape::line(&source.path)));
        }
        let kind = source.kind.as_deref().unwrap_or("");
        let python2 = ["python.2", "pypy.2"].contains(&kind);
        found.push(PackageSubmission {
            path: PathBuf::from(&source.path),
            program,
            expected: Expected::Polygon(tag),
            language: kind.starts_with("pypy.3").then(|| "pypy3".to_string()),
            refused: python2.then(|| {
                let why = crate::profile::Profiles::unsupported("python2").unwrap_or_default();
                format!("a Python 2 program (its type is {kind}): {why}")
            }),
        });
    }
    if found.is_empty() {
        return Err(PackageError::invalid(
            PROBLEM_XML,
            "<solutions> lists no solution to verify",
        ));
    }
    Ok(found)
}
