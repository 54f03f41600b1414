//! DMOJ problem folders (`init.yml`), read into the same [`Problem`] as ICPC packages so `test
//! --problem` and `verify` judge them unchanged. DMOJ's points map onto the 2023-07-draft model:
//!
//! - every entry of `test_cases` is a group `secret/NNN` worth its `points`: a single case is a
//!   `sum` group of one (a checker's partial credit is a share of its points), a batch a `min`
//!   group (DMOJ gives a batch its weakest case's share), and the total is their sum;
//! - `dependencies: [k, ...]` (one-indexed batch numbers) become `require_pass` on those batches;
//! - an entry worth `points: 0` stops DMOJ's judging when it fails, so every later entry requires
//!   it: they score nothing, as if skipped;
//! - `pretest_test_cases` become the `sample` group: judged first, worth nothing, and every entry
//!   of `test_cases` requires them (DMOJ judges them alone during a contest; a full judge is what
//!   codecage does).
//!
//! DMOJ keeps time and memory limits in its database, not in `init.yml`: the command's flags and
//! defaults apply.

mod checker;
mod data;
mod init_yml;
mod language;

use std::path::Path;

use super::package_error::PackageError;
use super::problem::{
    Aggregation, CaseData, Format, GroupSpec, Kind, Limits, PackageCase, Points, Problem,
};
use data::Data;
use init_yml::{InitYml, Item};

pub use init_yml::INIT;

/// DMOJ's default `output_limit_length` (bytes), from its judge's `dmoj/problem.py`.
const OUTPUT_LIMIT: u64 = 25_165_824;

/// Read the DMOJ problem in `dir` (absolute, links already checked).
pub fn load(dir: &Path) -> Result<Problem, PackageError> {
    let path = dir.join(INIT);
    let text = std::fs::read_to_string(&path).map_err(|e| PackageError::io(dir, &path, e))?;
    let init: InitYml = crate::yaml::parse(&text, "YAML in", INIT)
        .map_err(|e| PackageError::Yaml(e.to_string()))?;
    if let Some(key) = init_yml::unsupported(&init) {
        return Err(PackageError::unsupported(INIT, format!("key `{key}`")));
    }
    let mut data = Data::open(dir, init.archive.as_deref())?;
    let validator = checker::validator(dir, init.checker.as_ref())?;
    let mut builder = Builder::default();
    if let Some(pretests) = &init.pretest_test_cases {
        builder.pretests(pretests, &mut data)?;
    }
    let Some(cases) = &init.test_cases else {
        return Err(PackageError::invalid(INIT, "`test_cases` is missing"));
    };
    builder.items(cases, &mut data)?;
    let compare = match &validator {
        super::Validator::Default(c) => Some(*c),
        super::Validator::Custom { .. }
        | super::Validator::Testlib { .. }
        | super::Validator::Bridged { .. } => None,
    };
    for case in &mut builder.cases {
        case.compare = compare;
    }
    let total: f64 = builder
        .groups
        .iter()
        .filter_map(|g| match g.points {
            Points::Bounded(p) if g.name.starts_with("secret/") => Some(p),
            _ => None,
        })
        .sum();
    let mut groups = vec![group(
        "secret",
        Points::Bounded(total),
        Aggregation::Sum,
        vec![],
    )];
    if builder.has_pretests {
        groups.insert(
            0,
            group("sample", Points::Inferred, Aggregation::PassFail, vec![]),
        );
    }
    groups.extend(builder.groups);
    let name = dir
        .file_name()
        .map_or("problem".to_string(), |n| n.to_string_lossy().into_owned());
    let problem = Problem {
        dir: dir.to_path_buf(),
        name,
        format: Format::Draft2023_07,
        kind: Kind::Scoring,
        interactive: false,
        limits: Limits {
            time_limit: None,
            time_multiplier: 2.0,
            safety_margin: 1.5,
            memory_bytes: None,
            output_bytes: Some(init.output_limit_length.unwrap_or(OUTPUT_LIMIT)),
        },
        validator,
        custom_score: false,
        cases: builder.cases,
        root: group("", Points::Inferred, Aggregation::Sum, vec![]),
        groups,
    };
    super::scoring::check(&problem)?;
    Ok(problem)
}

fn group(name: &str, points: Points, aggregation: Aggregation, deps: Vec<String>) -> GroupSpec {
    GroupSpec {
        name: name.to_string(),
        points,
        aggregation,
        depends_on: deps,
        legacy: None,
    }
}

#[derive(Default)]
struct Builder {
    cases: Vec<PackageCase>,
    groups: Vec<GroupSpec>,
    has_pretests: bool,
    /// Group names of the batches, in order: `dependencies` count batches only, from 1.
    batches: Vec<String>,
    /// Entries worth 0 points so far: everything after them requires them.
    gates: Vec<String>,
}

impl Builder {
    fn pretests(&mut self, items: &[Item], data: &mut Data) -> Result<(), PackageError> {
        for (i, item) in items.iter().enumerate() {
            let cases = item
                .batched
                .as_deref()
                .unwrap_or(std::slice::from_ref(item));
            for (j, case) in cases.iter().enumerate() {
                let name = format!("sample/{:03}-{:03}", i + 1, j + 1);
                self.case(case, &name, "sample", data)?;
            }
            self.has_pretests = true;
        }
        Ok(())
    }

    fn items(&mut self, items: &[Item], data: &mut Data) -> Result<(), PackageError> {
        for (i, item) in items.iter().enumerate() {
            if let Some(key) = init_yml::unsupported_in_item(item) {
                return Err(PackageError::unsupported(
                    INIT,
                    format!("key `{key}` in a test case"),
                ));
            }
            let name = format!("secret/{:03}", i + 1);
            let at = format!("test case {}", i + 1);
            let Some(points) = item.points else {
                return Err(PackageError::invalid(INIT, format!("{at} has no `points`")));
            };
            if !(points.is_finite() && points >= 0.0) {
                return Err(PackageError::invalid(
                    INIT,
                    format!("{at}: `points` must be 0 or more"),
                ));
            }
            let mut deps: Vec<String> = self.gates.clone();
            if self.has_pretests {
                deps.insert(0, "sample".to_string());
            }
            let aggregation = match &item.batched {
                Some(cases) => {
                    if item.input.is_some() || item.output.is_some() {
                        return Err(PackageError::unsupported(
                            INIT,
                            format!("{at}: `in`/`out` beside `batched`"),
                        ));
                    }
                    for dep in item.dependencies.iter().flatten() {
                        let Some(batch) = dep.checked_sub(1).and_then(|d| self.batches.get(d))
                        else {
                            return Err(PackageError::invalid(
                                INIT,
                                format!("{at}: dependency {dep} is not an earlier batch"),
                            ));
                        };
                        deps.push(batch.clone());
                    }
                    for (j, case) in cases.iter().enumerate() {
                        if case.batched.is_some() {
                            return Err(PackageError::invalid(
                                INIT,
                                format!("{at}: nested batches"),
                            ));
                        }
                        self.case(case, &format!("{name}/{:03}", j + 1), &name, data)?;
                    }
                    self.batches.push(name.clone());
                    Aggregation::Min
                }
                None if item.dependencies.is_some() => {
                    return Err(PackageError::invalid(
                        INIT,
                        format!("{at}: `dependencies` is for batches"),
                    ));
                }
                None => {
                    self.case(item, &format!("{name}/001"), &name, data)?;
                    Aggregation::Sum
                }
            };
            deps.sort();
            deps.dedup();
            self.groups
                .push(group(&name, Points::Bounded(points), aggregation, deps));
            if points == 0.0 {
                self.gates.push(name);
            }
        }
        Ok(())
    }

    fn case(
        &mut self,
        item: &Item,
        name: &str,
        group: &str,
        data: &mut Data,
    ) -> Result<(), PackageError> {
        if let Some(key) = init_yml::unsupported_in_item(item) {
            return Err(PackageError::unsupported(
                INIT,
                format!("key `{key}` in a test case"),
            ));
        }
        let (Some(input), Some(output)) = (&item.input, &item.output) else {
            return Err(PackageError::invalid(
                INIT,
                format!("case {name}: needs both `in` and `out`"),
            ));
        };
        let data = CaseData {
            input: data.read(input)?,
            answer: data.read(output)?,
        };
        self.cases.push(PackageCase {
            name: name.to_string(),
            input: Path::new(input).to_path_buf(),
            answer: Some(Path::new(output).to_path_buf()),
            group: group.to_string(),
            validator_flags: Vec::new(),
            compare: None,
            points: None,
            data: Some(data),
        });
        Ok(())
    }
}
