//! `checker` of `init.yml`: DMOJ's built-in checkers as codecage comparisons (see the DMOJ docs'
//! `custom_checkers.md` and its judge's `dmoj/checkers/`).

use std::path::Path;

use super::super::package_error::PackageError;
use super::super::problem::Validator;
use super::init_yml::INIT;
use super::init_yml::{Checker, CheckerArgs};
use crate::grade::compare::{Compare, FloatMode};

/// The problem's checker; `standard` when there is none, as in DMOJ.
pub fn validator(_dir: &Path, checker: Option<&Checker>) -> Result<Validator, PackageError> {
    let default = CheckerArgs::default();
    let (name, args) = match checker {
        None => ("standard", &default),
        Some(Checker::Name(name)) => (name.as_str(), &default),
        Some(Checker::Full { name, args }) => (name.as_str(), args),
    };
    if let Some(key) = super::init_yml::bridged_only(args) {
        return Err(PackageError::unsupported(
            INIT,
            format!("checker argument `{key}`"),
        ));
    }
    compare(name, args).map(Validator::Default)
}

fn compare(name: &str, args: &CheckerArgs) -> Result<Compare, PackageError> {
    let bad = |what: String| PackageError::invalid(INIT, format!("checker {name}: {what}"));
    Ok(match name {
        "standard" => Compare::DmojStandard,
        "identical" => Compare::Exact,
        "easy" => Compare::Easy,
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
