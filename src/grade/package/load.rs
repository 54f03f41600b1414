//! Reading a package directory into a [`Problem`], and its example submissions, whichever format
//! it is in: Kattis (`problem.yaml`: the output validator, `data/`, then the scoring checks), DMOJ
//! (`init.yml`) or Polygon (`problem.xml`).

use std::path::Path;

use super::links::links_stay_inside;
use super::package_error::PackageError;
use super::polygon::{Generation, Made};
use super::problem::{PackageCase, Problem, Validator};
use super::submissions::PackageSubmission;
use super::{problem_yaml, scoring, testdata, validator};
use crate::grade::compare::Compare;

/// The formats, told apart by the file at a package's root.
#[derive(PartialEq)]
enum Layout {
    Kattis,
    Dmoj,
    Polygon,
}

/// `problem.yaml` makes a Kattis package whatever else is there; else `init.yml` a DMOJ problem,
/// else `problem.xml` a Polygon package. With none of them, the Kattis reader says what is missing.
fn layout(dir: &Path) -> Layout {
    if dir.join("problem.yaml").exists() {
        Layout::Kattis
    } else if dir.join(super::dmoj::INIT).is_file() {
        Layout::Dmoj
    } else if dir.join(super::polygon::PROBLEM_XML).is_file() {
        Layout::Polygon
    } else {
        Layout::Kattis
    }
}

/// The package's example submissions with what each promises: a Kattis package's
/// `submissions/<category>/`, a Polygon package's `<solutions>`; sorted by path.
pub fn submissions(dir: &Path) -> Result<Vec<PackageSubmission>, PackageError> {
    let absolute = std::path::absolute(dir).map_err(|e| PackageError::io(dir, dir, e))?;
    match layout(&absolute) {
        Layout::Polygon => {
            links_stay_inside(&absolute)?;
            super::polygon::solutions(&absolute)
        }
        Layout::Kattis | Layout::Dmoj => super::submissions::kattis(&absolute),
    }
}

/// Read the package in `dir`: `problem.yaml`, the output validator, and `data/`.
pub fn load(dir: &Path) -> Result<Problem, PackageError> {
    load_with(dir, None)
}

/// What a standard Polygon package or a DMOJ problem in `dir` leaves to be made (generated
/// tests, answers), for the caller to make in sandboxes; `None` for every other package.
pub fn generation(dir: &Path) -> Result<Option<Generation>, PackageError> {
    let absolute = std::path::absolute(dir).map_err(|e| PackageError::io(dir, dir, e))?;
    if !absolute.is_dir() {
        return Ok(None);
    }
    match layout(&absolute) {
        Layout::Polygon => {
            links_stay_inside(&absolute)?;
            super::polygon::generation(&absolute)
        }
        Layout::Dmoj => {
            links_stay_inside(&absolute)?;
            super::dmoj::generation(&absolute)
        }
        Layout::Kattis => Ok(None),
    }
}

/// [`load`], with the files `made` for what a standard Polygon package or a DMOJ problem leaves
/// to be made.
pub fn load_with(dir: &Path, made: Option<&Made>) -> Result<Problem, PackageError> {
    if !dir.is_dir() {
        return Err(PackageError::Missing {
            file: dir.display().to_string(),
        });
    }
    // Absolute, so every path handed back stays valid whatever the caller's directory.
    let absolute = std::path::absolute(dir).map_err(|e| PackageError::io(dir, dir, e))?;
    let dir = absolute.as_path();
    links_stay_inside(dir)?;
    match layout(dir) {
        Layout::Dmoj => return super::dmoj::load_with(dir, made),
        Layout::Polygon => return super::polygon::load_with(dir, made),
        Layout::Kattis => {}
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
        interaction_checker: None,
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
