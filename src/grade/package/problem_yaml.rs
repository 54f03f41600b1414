//! `problem.yaml`: the problem's name, format version, type, limits and (legacy) validation
//! settings. Only the keys that change how submissions are judged are read; every other key
//! (author, source, license, uuid, keywords, languages, ...) is ignored, because packages carry
//! many and a judge must not refuse a package over its credits. A key that is read but has the
//! wrong type is a one-line error with its line.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::package_error::PackageError;
use super::problem::{Format, Kind, Limits};

const FILE: &str = "problem.yaml";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProblemYaml {
    problem_format_version: Option<String>,
    #[serde(rename = "type")]
    kind: Option<OneOrMany>,
    name: Option<Name>,
    limits: LimitsYaml,
    validation: Option<Validation>,
    validator_flags: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Name {
    Text(String),
    ByLanguage(BTreeMap<String, String>),
}

/// Legacy `validation` is a string; some 2023-07 drafts had other shapes, which are ignored
/// there (the 2023 format decides by the `type` key and the `output_validator/` directory).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Validation {
    Text(String),
    Other(IgnoredAny),
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LimitsYaml {
    // 2023-07-draft
    time_limit: Option<f64>,
    time_multipliers: TimeMultipliers,
    // legacy
    time_multiplier: Option<f64>,
    time_safety_margin: Option<f64>,
    // both, in MiB
    memory: Option<u64>,
    output: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TimeMultipliers {
    ac_to_time_limit: Option<f64>,
    time_limit_to_tle: Option<f64>,
}

/// What `problem.yaml` (and the `.timelimit` file beside it) say about judging.
#[derive(Debug)]
pub(crate) struct Metadata {
    pub name: Option<String>,
    pub format: Format,
    pub kind: Kind,
    pub interactive: bool,
    pub limits: Limits,
    /// Legacy `validation`: `Some(true)` custom, `Some(false)` default, `None` not said.
    pub custom_validation: Option<bool>,
    /// Legacy `validation: custom score`.
    pub custom_score: bool,
    pub validator_flags: Vec<String>,
}

pub(crate) fn read(root: &Path) -> Result<Metadata, PackageError> {
    let path = root.join(FILE);
    if !path.is_file() {
        return Err(PackageError::missing(FILE));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| PackageError::io(root, &path, e))?;
    let yaml: ProblemYaml = if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        // A legacy problem.yaml may be empty: every key is optional there.
        ProblemYaml::default()
    } else {
        crate::yaml::parse(&text, "YAML in", FILE).map_err(|e| PackageError::Yaml(e.to_string()))?
    };
    let format = format(&text, yaml.problem_format_version.as_deref())?;
    let (kind, typed_interactive) = kind(&text, format, yaml.kind.as_ref())?;
    let validation = match &yaml.validation {
        Some(Validation::Text(v)) => Some(validation(&text, v)?),
        _ => None,
    };
    let (custom_validation, custom_score, validation_interactive) = match validation {
        Some((custom, score, interactive)) => (Some(custom), score, interactive),
        None => (None, false, false),
    };
    Ok(Metadata {
        name: yaml.name.and_then(name),
        format,
        kind,
        interactive: typed_interactive || validation_interactive,
        limits: limits(root, &text, format, &yaml.limits)?,
        custom_validation,
        custom_score,
        validator_flags: yaml
            .validator_flags
            .map(|f| f.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

fn format(text: &str, version: Option<&str>) -> Result<Format, PackageError> {
    match version {
        None | Some("legacy" | "legacy-icpc") => Ok(Format::Legacy),
        Some("2023-07-draft" | "2023-07") => Ok(Format::Draft2023_07),
        Some(other) => Err(PackageError::unsupported(
            FILE,
            format!(
                "{}problem_format_version {other:?} (legacy and 2023-07-draft are)",
                at(text, &["problem_format_version"])
            ),
        )),
    }
}

/// The problem type, and whether the type list says interactive.
fn kind(
    text: &str,
    format: Format,
    kind: Option<&OneOrMany>,
) -> Result<(Kind, bool), PackageError> {
    let types: Vec<&str> = match kind {
        None => Vec::new(),
        Some(OneOrMany::One(t)) => vec![t.as_str()],
        Some(OneOrMany::Many(_)) if format == Format::Legacy => {
            return Err(bad(
                text,
                &["type"],
                "type must be one string in the legacy format",
            ));
        }
        Some(OneOrMany::Many(ts)) if ts.is_empty() => {
            return Err(bad(text, &["type"], "type must not be an empty list"));
        }
        Some(OneOrMany::Many(ts)) => ts.iter().map(String::as_str).collect(),
    };
    let (mut pass_fail, mut scoring, mut interactive) = (false, false, false);
    for t in types {
        match t {
            "pass-fail" => pass_fail = true,
            "scoring" => scoring = true,
            "interactive" if format == Format::Draft2023_07 => interactive = true,
            "multi-pass" | "submit-answer" if format == Format::Draft2023_07 => {
                return Err(PackageError::unsupported(
                    FILE,
                    format!("{}problem type {t:?}", at(text, &["type"])),
                ));
            }
            other => return Err(bad(text, &["type"], &format!("unknown type {other:?}"))),
        }
    }
    if pass_fail && scoring {
        return Err(bad(
            text,
            &["type"],
            "type cannot be both pass-fail and scoring",
        ));
    }
    let kind = if scoring {
        Kind::Scoring
    } else {
        Kind::PassFail
    };
    Ok((kind, interactive))
}

/// Legacy `validation`: `default`, or `custom` followed by any of `score` and `interactive`.
/// Returns (custom, score, interactive).
fn validation(text: &str, value: &str) -> Result<(bool, bool, bool), PackageError> {
    let mut words = value.split_whitespace();
    let custom = match words.next() {
        Some("default") | None => false,
        Some("custom") => true,
        Some(other) => {
            let why = format!("validation must start with default or custom, not {other:?}");
            return Err(bad(text, &["validation"], &why));
        }
    };
    let (mut score, mut interactive) = (false, false);
    for word in words {
        match word {
            "score" if custom => score = true,
            "interactive" if custom => interactive = true,
            other => {
                let why = format!(
                    "validation: unexpected {other:?} (only custom takes score and interactive)"
                );
                return Err(bad(text, &["validation"], &why));
            }
        }
    }
    Ok((custom, score, interactive))
}

fn name(name: Name) -> Option<String> {
    match name {
        Name::Text(text) => Some(text),
        Name::ByLanguage(mut names) => names.remove("en").or_else(|| names.into_values().next()),
    }
}

fn limits(
    root: &Path,
    text: &str,
    format: Format,
    yaml: &LimitsYaml,
) -> Result<Limits, PackageError> {
    let positive = |value: Option<f64>, key: &str, min: f64| match value {
        Some(v) if !(v.is_finite() && v >= min) => {
            let why = format!("limits.{key} must be a number of at least {min}, not {v}");
            Err(bad(text, &["limits", key], &why))
        }
        _ => Ok(value),
    };
    let (time_multiplier, safety_margin) = match format {
        Format::Legacy => (
            positive(yaml.time_multiplier, "time_multiplier", 1.0)?.unwrap_or(5.0),
            positive(yaml.time_safety_margin, "time_safety_margin", 1.0)?.unwrap_or(2.0),
        ),
        Format::Draft2023_07 => (
            positive(
                yaml.time_multipliers.ac_to_time_limit,
                "time_multipliers.ac_to_time_limit",
                1.0,
            )?
            .unwrap_or(2.0),
            positive(
                yaml.time_multipliers.time_limit_to_tle,
                "time_multipliers.time_limit_to_tle",
                1.0,
            )?
            .unwrap_or(1.5),
        ),
    };
    let time_limit = match positive(yaml.time_limit, "time_limit", f64::MIN_POSITIVE)? {
        Some(seconds) if format == Format::Draft2023_07 => {
            let limit = Duration::try_from_secs_f64(seconds).map_err(|_| {
                let why = format!("limits.time_limit {seconds} is too large");
                bad(text, &["limits", "time_limit"], &why)
            })?;
            Some(limit)
        }
        _ => dot_timelimit(root)?,
    };
    Ok(Limits {
        time_limit,
        time_multiplier,
        safety_margin,
        memory_bytes: mebibytes(text, yaml.memory, "memory")?,
        output_bytes: mebibytes(text, yaml.output, "output")?,
    })
}

fn mebibytes(text: &str, value: Option<u64>, key: &str) -> Result<Option<u64>, PackageError> {
    match value {
        None => Ok(None),
        Some(mib) => match mib.checked_mul(1024 * 1024).filter(|b| *b > 0) {
            Some(bytes) => Ok(Some(bytes)),
            None => Err(bad(
                text,
                &["limits", key],
                &format!("limits.{key} must be a positive number of MiB, not {mib}"),
            )),
        },
    }
}

/// The `.timelimit` file problemtools and BAPCtools write next to `problem.yaml`: the time limit
/// in seconds they computed from the accepted submissions.
fn dot_timelimit(root: &Path) -> Result<Option<Duration>, PackageError> {
    let path = root.join(".timelimit");
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| PackageError::io(root, &path, e))?;
    let seconds = text.split_whitespace().next().map(str::parse::<f64>);
    match seconds
        .and_then(Result::ok)
        .map(Duration::try_from_secs_f64)
    {
        Some(Ok(limit)) if !limit.is_zero() => Ok(Some(limit)),
        _ => Err(PackageError::invalid(
            ".timelimit",
            format!("expected a time limit in seconds, got {:?}", text.trim()),
        )),
    }
}

fn bad(text: &str, keys: &[&str], why: &str) -> PackageError {
    PackageError::invalid(FILE, format!("{}{why}", at(text, keys)))
}

/// "line N: " for the line of a (nested) key, found by its indentation-free `key:` text, or ""
/// when it cannot be found. Good enough for the block-style YAML packages use; a message
/// without the line is still correct.
fn at(text: &str, keys: &[&str]) -> String {
    let mut lines = text.lines().enumerate();
    let mut found = None;
    for key in keys.iter().flat_map(|k| k.split('.')) {
        let prefix = format!("{key}:");
        found = lines
            .by_ref()
            .find(|(_, l)| l.trim_start().starts_with(&prefix));
        if found.is_none() {
            break;
        }
    }
    found.map_or(String::new(), |(i, _)| format!("line {}: ", i + 1))
}
