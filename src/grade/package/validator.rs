//! Finding the output validator: the Kattis default one with the package's flags, or the
//! package's own program. Only one custom validator is supported (Kattis runs one too), and
//! only as source files: `build`/`run` scripts are refused (a one-line error, not ignored, since
//! they may change how the sources are built or run), as codecage compiles validators itself, in
//! a sandbox, by language.

use std::path::{Path, PathBuf};

use super::package_error::{relative, PackageError};
use super::problem::{Format, Validator};
use super::problem_yaml::Metadata;
use crate::grade::compare::Compare;

/// The validator the package asks for.
pub(crate) fn find(root: &Path, meta: &Metadata) -> Result<Validator, PackageError> {
    let program = program(root, meta.format)?;
    let custom = match meta.format {
        // Legacy says so in problem.yaml (default when absent); a directory alone is not enough.
        Format::Legacy => meta.custom_validation == Some(true),
        // 2023: the directory decides.
        Format::Draft2023_07 => program.is_some() || meta.custom_validation == Some(true),
    };
    if !custom {
        if meta.interactive {
            return Err(PackageError::invalid(
                "problem.yaml",
                "an interactive problem needs a custom output validator",
            ));
        }
        let compare = Compare::from_kattis_flags(&meta.validator_flags).map_err(|e| {
            PackageError::invalid("problem.yaml", format!("validator_flags: {e:#}"))
        })?;
        return Ok(Validator::Default(compare));
    }
    let Some(program) = program else {
        let dir = match meta.format {
            Format::Legacy => "output_validators",
            Format::Draft2023_07 => "output_validator",
        };
        return Err(PackageError::missing(dir));
    };
    Ok(Validator::Custom {
        main: entry(root, &program)?,
        program,
        flags: meta.validator_flags.clone(),
    })
}

/// The validator program's file or directory: 2023 `output_validator/` is the program itself;
/// legacy `output_validators/` holds programs, of which there must be exactly one.
fn program(root: &Path, format: Format) -> Result<Option<PathBuf>, PackageError> {
    let single = root.join("output_validator");
    if format == Format::Draft2023_07 && single.is_dir() {
        return Ok(Some(single));
    }
    let dir = root.join("output_validators");
    if !dir.is_dir() {
        return Ok(None);
    }
    let programs = visible_entries(root, &dir)?;
    match programs.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        more => Err(PackageError::unsupported(
            relative(root, &dir),
            format!("{} output validators (only one)", more.len()),
        )),
    }
}

/// A directory program's entry point, relative to it (`None` for a single file): the format's
/// `__main__.py` for Python, else the first source file by name that is not a C/C++ header.
fn entry(root: &Path, program: &Path) -> Result<Option<String>, PackageError> {
    if program.is_file() {
        return Ok(None);
    }
    let where_ = relative(root, program);
    let mut files = Vec::new();
    collect_files(root, program, &mut files)?;
    let name = |f: &Path| {
        f.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if let Some(script) = files
        .iter()
        .find(|f| f.parent() == Some(program) && matches!(name(f).as_str(), "build" | "run"))
    {
        return Err(PackageError::unsupported(
            where_,
            format!(
                "a validator with a `{}` script (codecage builds validators from their sources, by language)",
                name(script)
            ),
        ));
    }
    let header = |f: &Path| {
        f.extension()
            .is_some_and(|e| ["h", "hpp", "hh", "hxx"].iter().any(|h| e == *h))
    };
    let mut sources: Vec<&PathBuf> = files
        .iter()
        .filter(|f| !name(f).starts_with("README"))
        .collect();
    if sources.is_empty() {
        return Err(PackageError::invalid(where_, "no source files"));
    }
    // Stable: among equals, the order by path stays.
    sources.sort_by_key(|f| {
        let top = f.parent() == Some(program);
        (!(top && name(f) == "__main__.py"), !top, header(f))
    });
    let main = sources[0]
        .strip_prefix(program)
        .unwrap_or(sources[0])
        .to_string_lossy()
        .into_owned();
    Ok(Some(main))
}

/// How deep directories may nest in a package: deeper is surely a symbolic link loop.
pub(crate) const MAX_DEPTH: usize = 32;

/// Every regular file below `dir`, hidden ones (`.gitignore`, ...) left out.
pub(crate) fn collect_files(
    root: &Path,
    dir: &Path,
    out: &mut Vec<PathBuf>,
) -> Result<(), PackageError> {
    collect_below(root, dir, out, 0)
}

fn collect_below(
    root: &Path,
    dir: &Path,
    out: &mut Vec<PathBuf>,
    depth: usize,
) -> Result<(), PackageError> {
    if depth > MAX_DEPTH {
        return Err(too_deep(root, dir));
    }
    for path in visible_entries(root, dir)? {
        if path.is_dir() {
            collect_below(root, &path, out, depth + 1)?;
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

pub(crate) fn too_deep(root: &Path, dir: &Path) -> PackageError {
    let why = format!("directories nested more than {MAX_DEPTH} deep (a symbolic link loop?)");
    PackageError::invalid(relative(root, dir), why)
}

/// The entries of `dir` whose names do not start with a dot, sorted.
pub(crate) fn visible_entries(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, PackageError> {
    let entries = std::fs::read_dir(dir).map_err(|e| PackageError::io(root, dir, e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| PackageError::io(root, dir, e))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            paths.push(entry.path());
        }
    }
    paths.sort();
    Ok(paths)
}
