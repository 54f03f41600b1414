//! `checker` of `init.yml`: DMOJ's built-in checkers as codecage comparisons (see the DMOJ docs'
//! `custom_checkers.md` and its judge's `dmoj/checkers/`).

use std::path::{Path, PathBuf};

use super::super::links::inside;
use super::super::package_error::PackageError;
use super::super::problem::Validator;
use super::init_yml::INIT;
use super::init_yml::{Checker, CheckerArgs, Files, Interactive};
use super::language::{dmoj_language, DmojLanguage};
use crate::grade::compare::{Compare, FloatMode};
use crate::grade::judge_program::{dmoj_args, Convention, DmojType};

/// The problem's checker; `standard` when there is none, as in DMOJ.
pub fn validator(dir: &Path, checker: Option<&Checker>) -> Result<Validator, PackageError> {
    let default = CheckerArgs::default();
    let (name, args) = match checker {
        None => ("standard", &default),
        Some(Checker::Name(name)) => (name.as_str(), &default),
        Some(Checker::Full { name, args }) => (name.as_str(), args),
    };
    if name == "bridged" {
        return bridged(dir, args);
    }
    compare(name, args).map(Validator::Default)
}

/// A `bridged` checker: the program compiled from `files`, run per case as its `type` says.
fn bridged(dir: &Path, args: &CheckerArgs) -> Result<Validator, PackageError> {
    let what = "checker bridged";
    if args.flags.is_some() {
        return Err(flags_unsupported(what));
    }
    let files = program_files(dir, args.files.as_ref(), what)?;
    let lang = program_language(args.lang.as_deref(), what)?;
    let mut kind = dmoj_type(args.kind.as_deref(), what)?;
    if let DmojType::Testlib { percentage } = &mut kind {
        *percentage = args.treat_checker_points_as_percentage.unwrap_or(false);
    }
    let template = args
        .args_format_string
        .as_deref()
        .or(args.args.as_deref())
        .unwrap_or(kind.default_args());
    bridged_validator(files, lang, kind, template, what)
}

/// `interactive:`, DMOJ's bridged interactor: like a bridged checker, with an interactor's
/// default arguments.
pub fn interactor(dir: &Path, interactive: &Interactive) -> Result<Validator, PackageError> {
    let what = "interactive";
    if interactive.flags.is_some() {
        return Err(flags_unsupported(what));
    }
    let files = program_files(dir, interactive.files.as_ref(), what)?;
    let lang = program_language(interactive.lang.as_deref(), what)?;
    let kind = dmoj_type(interactive.kind.as_deref(), what)?;
    let template = interactive
        .args_format_string
        .as_deref()
        .unwrap_or(kind.default_interactor_args());
    bridged_validator(files, lang, kind, template, what)
}

/// The codecage language a judge program's DMOJ `lang` names: `None` leaves it to the file's
/// extension (no `lang`, or a key codecage does not know); a language codecage cannot run (Python
/// 2) is the package's one-line error.
fn program_language(lang: Option<&str>, what: &str) -> Result<Option<String>, PackageError> {
    match lang.map(dmoj_language) {
        Some(DmojLanguage::Profile(name)) => Ok(Some(name.to_string())),
        Some(DmojLanguage::Unsupported(why)) => Err(PackageError::unsupported(
            INIT,
            format!(
                "{what}: lang {} ({why})",
                crate::escape::line(lang.unwrap_or_default())
            ),
        )),
        Some(DmojLanguage::Unknown) | None => Ok(None),
    }
}

fn flags_unsupported(what: &str) -> PackageError {
    PackageError::unsupported(
        INIT,
        format!("{what}: `flags` (the language's own compile flags are used)"),
    )
}

fn dmoj_type(name: Option<&str>, what: &str) -> Result<DmojType, PackageError> {
    let name = name.unwrap_or("default");
    DmojType::parse(name).ok_or_else(|| {
        PackageError::invalid(
            INIT,
            format!("{what}: unknown type {name:?} (default, testlib, coci, peg)"),
        )
    })
}

fn bridged_validator(
    files: Vec<PathBuf>,
    lang: Option<String>,
    kind: DmojType,
    template: &str,
    what: &str,
) -> Result<Validator, PackageError> {
    let args = dmoj_args(template)
        .map_err(|e| PackageError::invalid(INIT, format!("{what}: args_format_string: {e}")))?;
    Ok(Validator::Bridged {
        files,
        lang,
        convention: Convention::Dmoj(kind),
        args,
    })
}

/// A judge program's `files` (one or a list), inside the problem, the entry point first.
pub fn program_files(
    dir: &Path,
    files: Option<&Files>,
    what: &str,
) -> Result<Vec<PathBuf>, PackageError> {
    let bad = |m: String| PackageError::invalid(INIT, format!("{what}: {m}"));
    let names: Vec<&str> = match files {
        Some(Files::One(name)) => vec![name],
        Some(Files::Many(names)) => names.iter().map(String::as_str).collect(),
        None => return Err(bad("`files` is missing".into())),
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for name in names {
        let path = inside(dir, name, INIT)?;
        if !path.is_file() {
            return Err(bad(format!("{name} is not a file in the problem")));
        }
        paths.push(path);
    }
    // DMOJ compiles the files together; codecage's entry point is the first, so a source goes
    // before the headers beside it (`files: [testlib.h, checker.cpp]` is common).
    paths.sort_by_key(|f| is_header(f));
    if paths.is_empty() {
        return Err(bad("`files` is empty".into()));
    }
    Ok(paths)
}

fn is_header(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| ["h", "hpp", "hh", "hxx", "inc"].iter().any(|h| e == *h))
}

fn compare(name: &str, args: &CheckerArgs) -> Result<Compare, PackageError> {
    let bad = |what: String| PackageError::invalid(INIT, format!("checker {name}: {what}"));
    Ok(match name {
        "standard" => Compare::DmojStandard,
        "identical" => Compare::Exact,
        "easy" => Compare::Easy,
        "linecount" => {
            if args.r#match.is_some() {
                return Err(PackageError::unsupported(
                    INIT,
                    "checker linecount: `match` (a Python expression)",
                ));
            }
            Compare::LineCount
        }
        "floats" | "floatsabs" | "floatsrel" => {
            let precision = args.precision.unwrap_or(6);
            let mode = match (name, args.error_mode.as_deref()) {
                ("floatsabs", _) | (_, Some("absolute")) => FloatMode::Absolute,
                ("floatsrel", _) | (_, Some("relative")) => FloatMode::Relative,
                (_, None | Some("default")) => FloatMode::Default,
                (_, Some(other)) => return Err(bad(format!("unknown error_mode {other:?}"))),
            };
            Compare::DmojFloats {
                epsilon: 10f64.powi(-precision),
                mode,
            }
        }
        "sorted" | "unordered" => {
            let split = if name == "unordered" {
                "whitespace"
            } else {
                args.split_on.as_deref().unwrap_or("lines")
            };
            match split {
                "lines" => Compare::Sorted { tokens: false },
                "whitespace" => Compare::Sorted { tokens: true },
                other => return Err(bad(format!("unknown split_on {other:?}"))),
            }
        }
        other => {
            return Err(PackageError::unsupported(
                INIT,
                format!("checker `{other}`"),
            ))
        }
    })
}
