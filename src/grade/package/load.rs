//! Reading a package directory into a [`Problem`]: `problem.yaml`, the output validator, `data/`,
//! then the scoring checks.

use std::path::Path;

use super::links::links_stay_inside;
use super::package_error::PackageError;
use super::problem::{PackageCase, Problem, Validator};
use super::{problem_yaml, scoring, testdata, validator};
use crate::grade::compare::Compare;

/// Read the package in `dir`: `problem.yaml`, the output validator, and `data/`.
pub fn load(dir: &Path) -> Result<Problem, PackageError> {
    if !dir.is_dir() {
        return Err(PackageError::Missing {
            file: dir.display().to_string(),
        });
    }
    // Absolute, so every path handed back stays valid whatever the caller's directory.
    let absolute = std::path::absolute(dir).map_err(|e| PackageError::io(dir, dir, e))?;
    let dir = absolute.as_path();
    links_stay_inside(dir)?;
    // A DMOJ problem folder: `init.yml` and no ICPC `problem.yaml`.
    if dir.join(super::dmoj::INIT).is_file() && !dir.join("problem.yaml").exists() {
        return super::dmoj::load(dir);
    }
    let meta = problem_yaml::read(dir)?;
    let validator = validator::find(dir, &meta)?;
    let data = testdata::read(dir, &meta)?;
    let cases = with_comparisons(data.cases, &validator, &meta.validator_flags)?;
    let name = meta.name.clone().unwrap_or_else(|| {
        dir.file_name()
            .map_or("problem".to_string(), |n| n.to_string_lossy().into_owned())
    });
    let problem = Problem {
        dir: dir.to_path_buf(),
        name,
        format: meta.format,
        kind: meta.kind,
        interactive: meta.interactive,
        limits: meta.limits,
        validator,
        custom_score: meta.custom_score,
        cases,
        root: data.root,
        groups: data.groups,
    };
    scoring::check(&problem)?;
    Ok(problem)
}

/// Fold each case's flags into the default validator's comparison, so a bad flag is an error
/// now and not in the middle of judging.
fn with_comparisons(
    mut cases: Vec<PackageCase>,
    validator: &Validator,
    problem_flags: &[String],
) -> Result<Vec<PackageCase>, PackageError> {
    let Validator::Default(_) = validator else {
        return Ok(cases);
    };
    for case in &mut cases {
        let flags: Vec<String> = problem_flags
            .iter()
            .chain(&case.validator_flags)
            .cloned()
            .collect();
        let compare = Compare::from_kattis_flags(&flags)
            .map_err(|e| PackageError::invalid(format!("data/{}", case.name), format!("{e:#}")))?;
        case.compare = Some(compare);
    }
    Ok(cases)
}
