//! The programs that judge a Polygon problem's outputs: its testlib checker, and the interactor of
//! an interactive problem, compiled from the package's own source next to the package's headers
//! (`files/testlib.h` and the other resources), as Polygon builds them. On an interactive problem
//! both run, as on Polygon and Codeforces: the interactor talks with the solution and writes its
//! output file (`tout`), and when it accepts, the checker reads that file as the output.
//!
//! A standard checker (`name="std::wcmp.cpp"`) is its source too: Polygon copies it into the
//! package (`files/check.cpp`, and `check.cpp` at the root), and that copy, built against the
//! package's own `testlib.h`, is what decides verdicts byte for byte (testlib's treatment of
//! malformed numbers, of control bytes and of extra output differs from checker to checker). Only
//! when a package has lost that copy does a standard checker fall back on a built-in comparison,
//! and only `std::wcmp.cpp`, whose rule (the same tokens, case-sensitive) is codecage's `tokens`.

use std::path::{Path, PathBuf};

use super::super::links::inside;
use super::super::package_error::{relative, PackageError};
use super::super::problem::Validator;
use super::super::validator::visible_entries;
use super::problem_xml::{ProblemXml, Program};
use crate::grade::compare::Compare;

/// Where Polygon keeps a package's resources (`testlib.h`) and its programs' sources.
pub const FILES: &str = "files";

/// Where Polygon copies the checker's source at the package's root.
const CHECK_CPP: &str = "check.cpp";

/// The judging programs: the checker, or for an interactive problem the interactor and then the
/// checker that reads what the interactor wrote (`(interactor, Some(checker))`; `None` when the
/// package has no `<checker>` at all, and the interactor's verdict is final).
pub fn judges(
    dir: &Path,
    xml: &ProblemXml,
) -> Result<(Validator, Option<Validator>), PackageError> {
    let Some(interactor) = &xml.interactor else {
        return Ok((checker(dir, xml)?, None));
    };
    let Some(source) = existing_source(dir, interactor)? else {
        return Err(PackageError::invalid(
            &interactor.at,
            "the <interactor> has no <source> in the package",
        ));
    };
    let checker = match xml.checker {
        Some(_) => Some(checker(dir, xml)?),
        None => None,
    };
    Ok((testlib(dir, source)?, checker))
}

/// The checker: its source (else Polygon's copy at the root), else a built-in comparison for a
/// standard checker that has one.
fn checker(dir: &Path, xml: &ProblemXml) -> Result<Validator, PackageError> {
    let Some(checker) = &xml.checker else {
        return Err(PackageError::invalid(
            super::PROBLEM_XML,
            "<assets> has no <checker>",
        ));
    };
    match checker.kind.as_deref() {
        None | Some("testlib") => {}
        Some(other) => {
            return Err(PackageError::unsupported(
                &checker.at,
                format!("a checker of type {other:?} (testlib checkers are)"),
            ))
        }
    }
    if let Some(source) = existing_source(dir, checker)? {
        return testlib(dir, source);
    }
    let root_copy = dir.join(CHECK_CPP);
    if root_copy.is_file() {
        return testlib(dir, root_copy);
    }
    match checker.name.as_deref() {
        Some("std::wcmp.cpp") => Ok(Validator::Default(Compare::Tokens)),
        Some(name) => Err(PackageError::unsupported(
            &checker.at,
            format!(
                "the standard checker {} without its source (files/ or check.cpp); codecage has a built-in one for std::wcmp.cpp only",
                crate::escape::line(name)
            ),
        )),
        None => Err(PackageError::invalid(
            &checker.at,
            "the checker's source is not in the package (nor check.cpp at its root)",
        )),
    }
}

/// The program's source file when the package has it: `None` when it names none, an error when
/// it names a path outside the package.
fn existing_source(dir: &Path, program: &Program) -> Result<Option<PathBuf>, PackageError> {
    let Some(source) = &program.source else {
        return Ok(None);
    };
    let path = inside(dir, &source.path, &program.at)?;
    Ok(path.is_file().then_some(path))
}

/// A testlib program from `source`, with the headers of its own directory and of `files/`.
fn testlib(dir: &Path, source: PathBuf) -> Result<Validator, PackageError> {
    let with = headers(dir, &source)?;
    Ok(Validator::Testlib { source, with })
}

/// The headers `source` is built with: those of its own directory, then those of `files/` (where
/// Polygon keeps `testlib.h`), one per name. A source that names `testlib.h` must find it there.
pub fn headers(dir: &Path, source: &Path) -> Result<Vec<PathBuf>, PackageError> {
    let mut with: Vec<PathBuf> = Vec::new();
    let name = |p: &Path| p.file_name().map(|n| n.to_os_string());
    let own = source.parent().map(Path::to_path_buf);
    for folder in own.into_iter().chain([dir.join(FILES)]) {
        if !folder.is_dir() {
            continue;
        }
        for file in visible_entries(dir, &folder)? {
            let taken = name(&file) == name(source) || with.iter().any(|w| name(w) == name(&file));
            if file.is_file() && is_header(&file) && !taken {
                with.push(file);
            }
        }
    }
    let has_testlib = with
        .iter()
        .any(|w| name(w).is_some_and(|n| n == "testlib.h"));
    if !has_testlib && needs_testlib(source) {
        return Err(PackageError::invalid(
            crate::escape::line(&relative(dir, source)).into_owned(),
            "includes testlib.h, which is not in files/ nor next to it",
        ));
    }
    Ok(with)
}

fn is_header(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| ["h", "hpp", "hh", "hxx", "inc"].iter().any(|h| e == *h))
}

/// Whether the source names `testlib.h` (a C or C++ program of this convention does).
fn needs_testlib(source: &Path) -> bool {
    std::fs::read(source).is_ok_and(|text| text.windows(9).any(|w| w == b"testlib.h"))
}
