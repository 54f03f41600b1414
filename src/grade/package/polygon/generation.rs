//! What a standard Polygon package leaves to be made, as its `doall` script would make it: the
//! inputs of its generated tests (each test's `cmd`: an executable of `<files>` and its
//! arguments), checked by its first validator, and every missing answer, made by its `main`
//! solution (of an interactive problem: what the interactor wrote to its output file, `tout`,
//! while it talked with the main solution, which is what Polygon keeps as the answer). Pure: this says what to build and run; `grade::polygon_tests` runs it all in
//! sandboxes, and [`Made`] brings the files back to the reader.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::super::links::inside;
use super::super::package_error::PackageError;
use super::checker::{headers, FILES};
use super::pattern::Pattern;
use super::problem_xml::{self, ProblemXml, Program, PROBLEM_XML};
use super::tag::Tag;

/// A program of the package to build: its source (the entry point) and the headers beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramFiles {
    pub source: PathBuf,
    pub with: Vec<PathBuf>,
}

/// One test whose input or answer the package does not have.
#[derive(Debug, Clone, PartialEq)]
pub struct ToMake {
    /// From 1.
    pub number: usize,
    /// Its Polygon group, which the validator is told (`--group`).
    pub group: Option<String>,
    /// The generator and its arguments, when the input is to be made; `None`: the input is the
    /// package's file, `input`.
    pub generator: Option<(ProgramFiles, Vec<String>)>,
    pub input: PathBuf,
    /// The answer is to be made by the main solution.
    pub answer: bool,
    /// What the generator reads on stdin: nothing for Polygon's; DMOJ's gets the case's `in`.
    pub stdin: Vec<u8>,
    /// The generator's stderr is the answer (DMOJ's convention: stdout the input, stderr the
    /// answer), made in the same run.
    pub answer_on_stderr: bool,
}

/// Everything a standard package leaves to be made.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// "the standard Polygon package", for messages.
    pub what: &'static str,
    /// The package (absolute), which the programs' paths are in.
    pub dir: PathBuf,
    pub tests: Vec<ToMake>,
    /// The first validator, which every made input must pass (`None`: the package has none).
    pub validator: Option<ProgramFiles>,
    /// The main solution, when an answer is to be made.
    pub main: Option<ProgramFiles>,
    /// An interactive problem's interactor, when an answer is to be made: the main solution talks
    /// with it, and the answer is its output file.
    pub interactor: Option<ProgramFiles>,
    /// The package's limits, which the main solution runs with (its time limit generously).
    pub time_limit_ms: Option<u64>,
    pub memory_bytes: Option<u64>,
}

/// The files made for a package, by test number, in place of the missing ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Made {
    pub inputs: BTreeMap<usize, PathBuf>,
    pub answers: BTreeMap<usize, PathBuf>,
}

/// What the package in `dir` (absolute) leaves to be made; `None` when it has every file.
pub fn generation(dir: &Path) -> Result<Option<Generation>, PackageError> {
    let xml = problem_xml::read(dir)?;
    let testset = &xml.testset;
    let pattern = |text: &str| {
        Pattern::parse(text)
            .map_err(|e| PackageError::invalid(PROBLEM_XML, format!("path pattern {e}")))
    };
    let (inputs, answers) = (
        pattern(&testset.input_pattern)?,
        pattern(&testset.answer_pattern)?,
    );
    let mut tests = Vec::new();
    for (i, test) in testset.listed()?.into_iter().enumerate() {
        let number = i + 1;
        let input = inside(dir, &inputs.path(number), PROBLEM_XML)?;
        let answer = !inside(dir, &answers.path(number), PROBLEM_XML)?.is_file();
        let generator = match (input.is_file(), test.generated) {
            (true, _) => None,
            (false, true) => Some(generator(dir, &xml, number, test.cmd.as_deref())?),
            (false, false) => return Err(PackageError::missing(inputs.path(number))),
        };
        if generator.is_some() || answer {
            tests.push(ToMake {
                number,
                group: test.group,
                generator,
                input,
                answer,
                stdin: Vec::new(),
                answer_on_stderr: false,
            });
        }
    }
    if tests.is_empty() {
        return Ok(None);
    }
    let answers_missing = tests.iter().any(|t| t.answer);
    let main = match answers_missing {
        true => Some(main_solution(dir, &xml)?),
        false => None,
    };
    let interactor = match (&xml.interactor, answers_missing) {
        (Some(interactor), true) => Some(built(dir, interactor)?.ok_or_else(|| {
            PackageError::invalid(
                &interactor.at,
                "the <interactor> has no <source> in the package",
            )
        })?),
        _ => None,
    };
    let validator = match xml.validators.first() {
        Some(v) => built(dir, v)?,
        None => None,
    };
    Ok(Some(Generation {
        what: "the standard Polygon package",
        dir: dir.to_path_buf(),
        tests,
        validator,
        main,
        interactor,
        time_limit_ms: testset.time_limit_ms,
        memory_bytes: testset.memory_bytes,
    }))
}

/// The executable a test's `cmd` names, and its arguments.
fn generator(
    dir: &Path,
    xml: &ProblemXml,
    number: usize,
    cmd: Option<&str>,
) -> Result<(ProgramFiles, Vec<String>), PackageError> {
    let at = format!("{PROBLEM_XML}: test {number}");
    let words = cmd.and_then(shlex::split).unwrap_or_default();
    let Some((name, args)) = words.split_first() else {
        return Err(PackageError::invalid(at, "a generated test without a cmd"));
    };
    if let Some(word) = args.iter().find(|w| w.starts_with(['>', '<', '|'])) {
        return Err(PackageError::unsupported(
            at,
            format!("{word:?} in a generator's cmd (one generator run per test is)"),
        ));
    }
    let stem = |p: &str| Path::new(p).file_stem().map(|s| s.to_os_string());
    let listed = xml.executables.iter().find_map(|e| {
        let source = e.source.as_ref()?;
        (stem(&source.path)? == name.as_str()).then_some(source.path.clone())
    });
    // Else a source in files/ by that name, as Polygon names executables by their sources.
    let found = listed
        .map(|p| inside(dir, &p, &at))
        .transpose()?
        .or_else(|| {
            let files = super::super::validator::visible_entries(dir, &dir.join(FILES)).ok()?;
            files.into_iter().find(|f| {
                f.is_file() && f.file_stem().is_some_and(|s| s == name.as_str()) && !is_header(f)
            })
        });
    let Some(source) = found.filter(|f| f.is_file()) else {
        return Err(PackageError::invalid(
            at,
            format!(
                "its generator {:?} is not in the package",
                crate::escape::line(name)
            ),
        ));
    };
    let with = headers(dir, &source)?;
    Ok((ProgramFiles { source, with }, args.to_vec()))
}

fn is_header(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| ["h", "hpp", "hh", "hxx", "inc"].iter().any(|h| e == *h))
}

/// The solution tagged `main`.
fn main_solution(dir: &Path, xml: &ProblemXml) -> Result<ProgramFiles, PackageError> {
    let main = xml
        .solutions
        .iter()
        .find(|s| Tag::parse(&s.tag) == Some(Tag::Main))
        .ok_or_else(|| {
            PackageError::invalid(
                PROBLEM_XML,
                "answers are missing and no solution is tagged main to make them",
            )
        })?;
    let source = inside(dir, &main.source.path, &main.at)?;
    if !source.is_file() {
        return Err(PackageError::missing(crate::escape::line(
            &main.source.path,
        )));
    }
    let with = headers(dir, &source)?;
    Ok(ProgramFiles { source, with })
}

/// A program with its source in the package, built with its headers; `None` without a source.
fn built(dir: &Path, program: &Program) -> Result<Option<ProgramFiles>, PackageError> {
    let Some(source) = &program.source else {
        return Ok(None);
    };
    let source = inside(dir, &source.path, &program.at)?;
    if !source.is_file() {
        return Ok(None);
    }
    let with = headers(dir, &source)?;
    Ok(Some(ProgramFiles { source, with }))
}
