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
//! defaults apply. Generated cases (`generator.rs`) are listed by [`generation`] for the caller
//! to make in sandboxes, then read with what was made by [`load_with`].

mod checker;
mod data;
mod generator;
mod init_yml;
mod language;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::package_error::PackageError;
use super::polygon::{Generation, Made, ToMake};
use super::problem::{
    Aggregation, CaseData, Format, GroupSpec, Kind, Limits, PackageCase, Points, Problem,
};
use data::Data;
use generator::Inherited;
use init_yml::{InitYml, Item};

pub use init_yml::INIT;

/// DMOJ's default `output_limit_length` (bytes), from its judge's `dmoj/problem.py`.
const OUTPUT_LIMIT: u64 = 25_165_824;

/// The cases of the DMOJ problem in `dir` (absolute, links already checked) that its generator
/// makes; `None` when it has none.
pub fn generation(dir: &Path) -> Result<Option<Generation>, PackageError> {
    let (_, tests) = read(dir, None)?;
    if tests.is_empty() {
        return Ok(None);
    }
    Ok(Some(Generation {
        interactor: None,
        what: "the DMOJ problem",
        dir: dir.to_path_buf(),
        tests,
        validator: None,
        main: None,
        time_limit_ms: None,
        memory_bytes: None,
    }))
}

/// Read the DMOJ problem in `dir` (absolute, links already checked), its generated cases from
/// what was `made` of [`generation`]'s list.
pub fn load_with(dir: &Path, made: Option<&Made>) -> Result<Problem, PackageError> {
    let (problem, tests) = read(dir, made)?;
    match tests.first() {
        Some(t) => Err(PackageError::invalid(
            INIT,
            format!(
                "missing: case {} is generated, and the problem was read without making its generated cases (see package::generation)",
                t.number
            ),
        )),
        None => Ok(problem),
    }
}

/// The problem, and, when nothing was `made`, the cases to generate (their data left empty);
/// with what was made, a generated case it lacks is an error.
fn read(dir: &Path, made: Option<&Made>) -> Result<(Problem, Vec<ToMake>), PackageError> {
    let path = dir.join(INIT);
    let text = std::fs::read_to_string(&path).map_err(|e| PackageError::io(dir, &path, e))?;
    let init: InitYml = crate::yaml::parse(&text, "YAML in", INIT)
        .map_err(|e| PackageError::Yaml(e.to_string()))?;
    if let Some(key) = init_yml::unsupported(&init) {
        return Err(PackageError::unsupported(INIT, format!("key `{key}`")));
    }
    let mut data = Data::open(dir, init.archive.as_deref())?;
    let validator = match &init.interactive {
        // DMOJ runs a checker after an interactor that accepted, on what the interactor printed
        // besides the conversation: not something codecage's interactors have.
        Some(_) if !is_standard(init.checker.as_ref()) => {
            return Err(PackageError::unsupported(
                INIT,
                "a `checker` beside `interactive` (the interactor decides alone)",
            ));
        }
        Some(interactive) => checker::interactor(dir, interactive)?,
        None => checker::validator(dir, init.checker.as_ref())?,
    };
    let top = Inherited {
        generator: init.generator.as_ref(),
        args: init.generator_args.as_deref(),
    };
    let mut builder = Builder::new(dir, made, top);
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
        interactive: init.interactive.is_some(),
        limits: Limits {
            time_limit: None,
            time_multiplier: 2.0,
            safety_margin: 1.5,
            memory_bytes: None,
            output_bytes: Some(init.output_limit_length.unwrap_or(OUTPUT_LIMIT)),
        },
        validator,
        interaction_checker: None,
        custom_score: false,
        cases: builder.cases,
        root: group("", Points::Inferred, Aggregation::Sum, vec![]),
        groups,
    };
    super::scoring::check(&problem)?;
    Ok((problem, builder.to_make))
}

/// No checker, or the standard one by name.
fn is_standard(checker: Option<&init_yml::Checker>) -> bool {
    match checker {
        None => true,
        Some(init_yml::Checker::Name(name) | init_yml::Checker::Full { name, .. }) => {
            name == "standard"
        }
    }
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

struct Builder<'a> {
    dir: &'a Path,
    /// The generated cases' files; `None`: list them in `to_make`.
    made: Option<&'a Made>,
    to_make: Vec<ToMake>,
    /// The generator and its arguments at the top level of `init.yml`.
    top: Inherited<'a>,
    /// Cases so far: a generated case's number in `to_make` and `made`.
    numbered: usize,
    cases: Vec<PackageCase>,
    groups: Vec<GroupSpec>,
    has_pretests: bool,
    /// Group names of the batches, in order: `dependencies` count batches only, from 1.
    batches: Vec<String>,
    /// Entries worth 0 points so far: everything after them requires them.
    gates: Vec<String>,
}

impl<'a> Builder<'a> {
    fn new(dir: &'a Path, made: Option<&'a Made>, top: Inherited<'a>) -> Builder<'a> {
        Builder {
            dir,
            made,
            to_make: Vec::new(),
            top,
            numbered: 0,
            cases: Vec::new(),
            groups: Vec::new(),
            has_pretests: false,
            batches: Vec::new(),
            gates: Vec::new(),
        }
    }

    fn pretests(&mut self, items: &'a [Item], data: &mut Data) -> Result<(), PackageError> {
        for (i, item) in items.iter().enumerate() {
            let cases = item
                .batched
                .as_deref()
                .unwrap_or(std::slice::from_ref(item));
            let from = match &item.batched {
                Some(_) => self.top.under(item),
                None => self.top,
            };
            for (j, case) in cases.iter().enumerate() {
                let name = format!("sample/{:03}-{:03}", i + 1, j + 1);
                self.case(case, from, &name, "sample", data)?;
            }
            self.has_pretests = true;
        }
        Ok(())
    }

    fn items(&mut self, items: &'a [Item], data: &mut Data) -> Result<(), PackageError> {
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
                        let from = self.top.under(item);
                        self.case(case, from, &format!("{name}/{:03}", j + 1), &name, data)?;
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
                    self.case(item, self.top, &format!("{name}/001"), &name, data)?;
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

    /// One case, which inherits `from` its batch and the top level.
    fn case(
        &mut self,
        item: &'a Item,
        from: Inherited<'a>,
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
        self.numbered += 1;
        let from = from.under(item);
        // DMOJ runs the generator for a case that lacks `in` or `out`, never for one with both.
        let generator = from
            .generator
            .filter(|_| item.input.is_none() || item.output.is_none());
        // DMOJ reads a case without `in` as empty input and one without `out` as an empty answer
        // (an interactor's cases often have no answer); one with neither, not generated, is a slip.
        if item.input.is_none() && item.output.is_none() && generator.is_none() {
            return Err(PackageError::invalid(
                INIT,
                format!("case {name}: has neither `in` nor `out`"),
            ));
        }
        let read = |file: &Option<String>, data: &mut Data| match file {
            Some(file) => data.read(file),
            None => Ok(Vec::new()),
        };
        let mut case_data = CaseData {
            input: read(&item.input, data)?,
            answer: read(&item.output, data)?,
        };
        if let Some(generator) = generator {
            self.generated(item, generator, from, &mut case_data)?;
        }
        let data = case_data;
        self.cases.push(PackageCase {
            name: name.to_string(),
            input: Path::new(item.input.as_deref().unwrap_or_default()).to_path_buf(),
            answer: item.output.as_deref().map(|o| Path::new(o).to_path_buf()),
            group: group.to_string(),
            validator_flags: Vec::new(),
            compare: None,
            points: None,
            data: Some(data),
        });
        Ok(())
    }

    /// A generated case's data: what the generator made, or, listing, nothing yet.
    fn generated(
        &mut self,
        item: &Item,
        generator: &init_yml::Generator,
        from: Inherited<'a>,
        data: &mut CaseData,
    ) -> Result<(), PackageError> {
        let number = self.numbered;
        let (files, args) = generator::program(self.dir, generator, from.args)?;
        let Some(made) = self.made else {
            self.to_make.push(ToMake {
                number,
                group: None,
                generator: Some((files, args)),
                input: PathBuf::new(),
                answer: false,
                stdin: data.input.clone(),
                answer_on_stderr: item.output.is_none(),
            });
            return Ok(());
        };
        let file = |files: &BTreeMap<usize, PathBuf>| -> Result<Option<Vec<u8>>, PackageError> {
            let Some(path) = files.get(&number) else {
                return Ok(None);
            };
            let bytes = std::fs::read(path).map_err(|e| PackageError::io(self.dir, path, e))?;
            Ok(Some(data::normalise(&bytes)))
        };
        let (Some(input), answer) = (file(&made.inputs)?, file(&made.answers)?) else {
            return Err(PackageError::invalid(
                INIT,
                format!("case {number}: its generated input was not made"),
            ));
        };
        // DMOJ keeps the `in` file as the input when the generator prints nothing.
        if !input.is_empty() {
            data.input = input;
        }
        if item.output.is_none() {
            data.answer = answer.unwrap_or_default();
        }
        Ok(())
    }
}
