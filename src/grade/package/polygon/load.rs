//! Reading a Polygon package directory into a [`Problem`]: `problem.xml`, the tests testset's
//! files, groups and points, and the checker (or interactor).

use std::path::Path;
use std::time::Duration;

use super::super::package_error::PackageError;
use super::super::problem::{Aggregation, Format, GroupSpec, Limits, Points, Problem, Validator};
use super::generation::Made;
use super::problem_xml::{self, PROBLEM_XML};
use super::{checker, testset};

/// What a submission may print. Polygon sets no output limit (Codeforces judges outputs of tens
/// of MiB), so codecage's format default of 8 MiB would fail correct solutions.
const OUTPUT_LIMIT: u64 = 256 << 20;

/// Read the Polygon package in `dir` (absolute, links already checked), with the files `made`
/// for what a standard package leaves to be made.
pub fn load_with(dir: &Path, made: Option<&Made>) -> Result<Problem, PackageError> {
    let xml = problem_xml::read(dir)?;
    let streams = [
        ("input-file", &xml.input_file, "stdin"),
        ("output-file", &xml.output_file, "stdout"),
    ];
    for (attribute, file, standard) in streams {
        if !file.is_empty() && file != standard {
            return Err(PackageError::unsupported(
                PROBLEM_XML,
                format!("<judging {attribute}={file:?}> (reading or writing a file instead of the standard streams)"),
            ));
        }
    }
    if xml.run_count != 1 {
        return Err(PackageError::unsupported(
            PROBLEM_XML,
            format!(
                "<judging run-count=\"{}\"> (a solution run more than once per test)",
                xml.run_count
            ),
        ));
    }
    let (validator, interaction_checker) = checker::judges(dir, &xml)?;
    let mut tests = testset::read(dir, &xml.testset, made)?;
    // A built-in comparison stands for the checker: of the output, or of what the interactor
    // wrote.
    let compared = interaction_checker.as_ref().unwrap_or(&validator);
    if let Validator::Default(compare) = compared {
        for case in &mut tests.cases {
            case.compare = Some(*compare);
        }
    }
    let name = xml
        .name
        .clone()
        .or(xml.short_name.clone())
        .unwrap_or_else(|| {
            dir.file_name()
                .map_or("problem".to_string(), |n| n.to_string_lossy().into_owned())
        });
    let problem = Problem {
        dir: dir.to_path_buf(),
        name,
        // Polygon's groups map onto this model's (see `groups.rs`), and its tags are judged case
        // by case, as this model's folders are.
        format: Format::Draft2023_07,
        kind: tests.kind,
        interactive: xml.interactor.is_some(),
        limits: Limits {
            time_limit: xml.testset.time_limit_ms.map(Duration::from_millis),
            time_multiplier: 2.0,
            // Polygon judges a time-limit-exceeded solution at the time limit itself.
            safety_margin: 1.0,
            memory_bytes: xml.testset.memory_bytes,
            output_bytes: Some(OUTPUT_LIMIT),
        },
        validator,
        interaction_checker,
        custom_score: false,
        cases: tests.cases,
        root: GroupSpec {
            name: String::new(),
            points: Points::Inferred,
            aggregation: Aggregation::Sum,
            depends_on: Vec::new(),
            legacy: None,
        },
        groups: tests.groups,
    };
    super::super::scoring::check(&problem)?;
    Ok(problem)
}
