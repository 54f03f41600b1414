//! Walking `data/sample` then `data/secret`: every `NAME.in` is a case, `NAME.ans` its answer,
//! every directory a group with the settings of its `testdata.yaml` (legacy) or
//! `test_group.yaml`/`testdata.yaml` (2023-07-draft, which renamed the file between drafts).
//! Other files (`.interaction`, `.png`, `.desc`, `.hint`, `.files/`, `.out`, ...) are ignored,
//! as are `data/invalid_*` and `data/valid_output`, which test validators, not submissions.
//!
//! Order: within a directory its own cases first, in natural order (`2` before `10`), then its
//! subgroups alphabetically.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::package_error::{relative, PackageError};
use super::problem::{Aggregation, Format, GroupSpec, Kind, LegacyGrading, PackageCase, Points};
use super::problem_yaml::Metadata;
use super::validator::{too_deep, visible_entries, MAX_DEPTH};

pub(crate) struct TestData {
    pub cases: Vec<PackageCase>,
    pub root: GroupSpec,
    pub groups: Vec<GroupSpec>,
}

/// One directory's settings file. Legacy keys and 2023 keys side by side: each format reads
/// its own, and unknown keys are ignored.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct GroupYaml {
    // legacy
    output_validator_flags: Option<LegacyFlags>,
    grading: Option<String>,
    grader_flags: Option<String>,
    accept_score: Option<f64>,
    reject_score: Option<f64>,
    range: Option<String>,
    on_reject: Option<String>,
    // 2023-07-draft
    output_validator_args: Option<Args>,
    scoring: Option<ScoringYaml>,
}

/// Legacy `output_validator_flags`: a string, or (per the spec's table) a map with `flags`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum LegacyFlags {
    Text(String),
    Named { flags: String },
}

/// 2023 `output_validator_args`: a list of arguments (earlier drafts: one string).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Args {
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ScoringYaml {
    score: Option<Score>,
    aggregation: Option<String>,
    /// 2023-07-draft spells it `require-pass`; its successor (2025-09) `require_pass`.
    #[serde(alias = "require-pass")]
    require_pass: Option<Args>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Score {
    Number(f64),
    Text(String),
}

/// A 2023 case's own `NAME.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CaseYaml {
    output_validator_args: Option<Args>,
}

impl Args {
    fn into_vec(self) -> Vec<String> {
        match self {
            Args::Text(text) => text.split_whitespace().map(str::to_string).collect(),
            Args::List(list) => list,
        }
    }
}

/// The walk's fixed inputs.
struct Walk<'a> {
    root: &'a Path,
    data: PathBuf,
    meta: &'a Metadata,
    out: TestData,
}

pub(crate) fn read(root: &Path, meta: &Metadata) -> Result<TestData, PackageError> {
    let data = root.join("data");
    if !data.is_dir() {
        return Err(PackageError::missing("data"));
    }
    if !data.join("secret").is_dir() {
        return Err(PackageError::missing("data/secret"));
    }
    let (root_yaml, root_file) = group_yaml(root, &data)?;
    let root_spec = spec(meta, "", &root_yaml, &root_yaml, &root_file)?;
    let mut walk = Walk {
        root,
        data: data.clone(),
        meta,
        out: TestData {
            cases: Vec::new(),
            root: root_spec,
            groups: Vec::new(),
        },
    };
    for top in ["sample", "secret"] {
        let dir = data.join(top);
        if dir.is_dir() {
            walk.group(&dir, &root_yaml, 0)?;
        }
    }
    if !walk
        .out
        .cases
        .iter()
        .any(|c| c.group.split('/').next() == Some("secret"))
    {
        return Err(PackageError::invalid("data/secret", "no test cases"));
    }
    resolve_dependencies(&mut walk.out)?;
    Ok(walk.out)
}

impl Walk<'_> {
    /// Read one directory: its settings, its cases, then its subgroups.
    fn group(
        &mut self,
        dir: &Path,
        inherited: &GroupYaml,
        depth: usize,
    ) -> Result<(), PackageError> {
        if depth > MAX_DEPTH {
            return Err(too_deep(self.root, dir));
        }
        let name = self.name_below_data(dir)?;
        let (own, file) = group_yaml(self.root, dir)?;
        let effective = inherit(self.meta.format, &own, inherited);
        let spec = spec(self.meta, &name, &own, &effective, &file)?;
        self.out.groups.push(spec);
        let group_flags = flags(self.meta.format, &effective);
        let (mut inputs, mut subdirs) = (Vec::new(), Vec::new());
        for path in visible_entries(self.root, dir)? {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_dir() && !file_name.contains('.') {
                // Dotted directories are a case's `.files`, not groups.
                subdirs.push(path);
            } else if path.is_file() && file_name.ends_with(".in") {
                inputs.push(path);
            }
        }
        inputs.sort_by_key(|p| {
            natural_key(
                &p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
        });
        for input in inputs {
            let case = self.case(&input, &name, &group_flags)?;
            self.out.cases.push(case);
        }
        for sub in subdirs {
            self.group(&sub, &effective, depth + 1)?;
        }
        Ok(())
    }

    fn case(
        &self,
        input: &Path,
        group: &str,
        group_flags: &[String],
    ) -> Result<PackageCase, PackageError> {
        let file = relative(self.root, input);
        let stem = input
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".in"))
            .ok_or_else(|| PackageError::invalid(&file, "file name is not UTF-8"))?;
        let answer = input.with_file_name(format!("{stem}.ans"));
        let answer = if answer.is_file() {
            Some(answer)
        } else if self.meta.interactive {
            None
        } else {
            return Err(PackageError::invalid(
                file,
                format!("no matching {stem}.ans"),
            ));
        };
        let validator_flags = match self.case_args(input, stem)? {
            Some(args) => args,
            None => group_flags.to_vec(),
        };
        Ok(PackageCase {
            name: format!("{group}/{stem}"),
            input: input.to_path_buf(),
            answer,
            group: group.to_string(),
            validator_flags,
            compare: None,
            points: None,
            data: None,
        })
    }

    /// 2023: `output_validator_args` of the case's own `NAME.yaml`, which replaces the group's.
    fn case_args(&self, input: &Path, stem: &str) -> Result<Option<Vec<String>>, PackageError> {
        let path = input.with_file_name(format!("{stem}.yaml"));
        if self.meta.format != Format::Draft2023_07 || !path.is_file() {
            return Ok(None);
        }
        let yaml: CaseYaml = parse_yaml(self.root, &path)?;
        Ok(yaml.output_validator_args.map(Args::into_vec))
    }

    fn name_below_data(&self, dir: &Path) -> Result<String, PackageError> {
        let rel = dir.strip_prefix(&self.data).unwrap_or(dir);
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        parts.map(|p| p.join("/")).ok_or_else(|| {
            PackageError::invalid(relative(self.root, dir), "directory name is not UTF-8")
        })
    }
}

/// The settings file of `dir` (its name relative to the package, for messages) and its
/// contents; defaults when there is none. `test_group.yaml` wins over `testdata.yaml`.
fn group_yaml(root: &Path, dir: &Path) -> Result<(GroupYaml, String), PackageError> {
    for file in ["test_group.yaml", "testdata.yaml"] {
        let path = dir.join(file);
        if path.is_file() {
            return Ok((parse_yaml(root, &path)?, relative(root, &path)));
        }
    }
    Ok((
        GroupYaml::default(),
        relative(root, &dir.join("testdata.yaml")),
    ))
}

fn parse_yaml<T: serde::de::DeserializeOwned + Default>(
    root: &Path,
    path: &Path,
) -> Result<T, PackageError> {
    let text = std::fs::read_to_string(path).map_err(|e| PackageError::io(root, path, e))?;
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(T::default());
    }
    crate::yaml::parse(&text, "YAML in", &relative(root, path))
        .map_err(|e| PackageError::Yaml(e.to_string()))
}

/// A directory's effective settings. Legacy: every key not set here comes from the parent (as
/// problemtools does). 2023: only `output_validator_args` is inherited; `scoring` never is.
fn inherit(format: Format, own: &GroupYaml, parent: &GroupYaml) -> GroupYaml {
    match format {
        Format::Legacy => GroupYaml {
            output_validator_flags: own
                .output_validator_flags
                .clone()
                .or_else(|| parent.output_validator_flags.clone()),
            grading: own.grading.clone().or_else(|| parent.grading.clone()),
            grader_flags: own
                .grader_flags
                .clone()
                .or_else(|| parent.grader_flags.clone()),
            accept_score: own.accept_score.or(parent.accept_score),
            reject_score: own.reject_score.or(parent.reject_score),
            range: own.range.clone().or_else(|| parent.range.clone()),
            on_reject: own.on_reject.clone().or_else(|| parent.on_reject.clone()),
            output_validator_args: None,
            scoring: None,
        },
        Format::Draft2023_07 => GroupYaml {
            output_validator_args: own
                .output_validator_args
                .clone()
                .or_else(|| parent.output_validator_args.clone()),
            scoring: own.scoring.clone(),
            ..GroupYaml::default()
        },
    }
}

/// The validator arguments of a directory's cases.
fn flags(format: Format, effective: &GroupYaml) -> Vec<String> {
    match format {
        Format::Legacy => match &effective.output_validator_flags {
            Some(LegacyFlags::Text(text) | LegacyFlags::Named { flags: text }) => {
                text.split_whitespace().map(str::to_string).collect()
            }
            None => Vec::new(),
        },
        Format::Draft2023_07 => effective
            .output_validator_args
            .clone()
            .map(Args::into_vec)
            .unwrap_or_default(),
    }
}

/// How the group `name` scores, from its own and its effective settings.
fn spec(
    meta: &Metadata,
    name: &str,
    own: &GroupYaml,
    effective: &GroupYaml,
    file: &str,
) -> Result<GroupSpec, PackageError> {
    match meta.format {
        Format::Legacy => legacy_spec(meta.kind, name, effective, file),
        Format::Draft2023_07 => draft_spec(meta.kind, name, own, file),
    }
}

fn legacy_spec(
    kind: Kind,
    name: &str,
    yaml: &GroupYaml,
    file: &str,
) -> Result<GroupSpec, PackageError> {
    let stop_on_reject = match yaml.on_reject.as_deref() {
        None | Some("break") => true,
        Some("continue") => false,
        Some(other) => {
            return Err(PackageError::invalid(
                file,
                format!("on_reject must be break or continue, not {other:?}"),
            ))
        }
    };
    let range = yaml
        .range
        .as_deref()
        .map(|r| parse_range(r, file))
        .transpose()?;
    let mut grading = LegacyGrading {
        accept_score: yaml.accept_score.unwrap_or(1.0),
        reject_score: yaml.reject_score.unwrap_or(0.0),
        range,
        stop_on_reject,
        ignore_sample: false,
        accept_if_any: false,
        always_accept: false,
    };
    let mut aggregation = if kind == Kind::Scoring {
        Aggregation::Sum
    } else {
        Aggregation::PassFail
    };
    if kind == Kind::Scoring {
        match yaml.grading.as_deref() {
            None | Some("default") => {}
            Some("custom") => {
                return Err(PackageError::unsupported(
                    file,
                    "grading: custom (a custom grader)",
                ))
            }
            Some(other) => {
                return Err(PackageError::invalid(
                    file,
                    format!("grading must be default or custom, not {other:?}"),
                ))
            }
        }
        for flag in yaml
            .grader_flags
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
        {
            match flag {
                "sum" => aggregation = Aggregation::Sum,
                "min" => aggregation = Aggregation::Min,
                "max" => aggregation = Aggregation::Max,
                "avg" => aggregation = Aggregation::Avg,
                "ignore_sample" => grading.ignore_sample = name.is_empty(),
                // Without always_accept both give "accepted iff every item is".
                "worst_error" | "first_error" | "no_errors" => {}
                "accept_if_any_accepted" => grading.accept_if_any = true,
                "always_accept" => grading.always_accept = true,
                other => {
                    return Err(PackageError::invalid(
                        file,
                        format!("unknown grader flag {other:?}"),
                    ))
                }
            }
        }
    }
    let points = match range {
        Some((_, high)) if high.is_finite() => Points::Bounded(high),
        _ => Points::Inferred,
    };
    Ok(GroupSpec {
        name: name.to_string(),
        points,
        aggregation,
        depends_on: Vec::new(),
        legacy: Some(grading),
    })
}

/// Legacy `range`: two numbers, `inf`/`-inf`/`+inf` allowed.
fn parse_range(text: &str, file: &str) -> Result<(f64, f64), PackageError> {
    let numbers: Vec<Option<f64>> = text
        .split_whitespace()
        .map(|w| w.parse::<f64>().ok())
        .collect();
    match numbers.as_slice() {
        [Some(low), Some(high)] if low <= high => Ok((*low, *high)),
        _ => Err(PackageError::invalid(
            file,
            format!("range must be two numbers LOW HIGH, not {text:?}"),
        )),
    }
}

fn draft_spec(
    kind: Kind,
    name: &str,
    own: &GroupYaml,
    file: &str,
) -> Result<GroupSpec, PackageError> {
    let scoring = own.scoring.clone().unwrap_or_default();
    let secret = name == "secret";
    let scored = kind == Kind::Scoring && (secret || name.starts_with("secret/"));
    let aggregation = match scoring.aggregation.as_deref() {
        _ if !scored => Aggregation::PassFail,
        None if secret => Aggregation::Sum,
        None | Some("pass-fail") => Aggregation::PassFail,
        Some("sum") => Aggregation::Sum,
        Some("min") => Aggregation::Min,
        Some(other) => {
            return Err(PackageError::invalid(
                file,
                format!("scoring.aggregation must be pass-fail, sum or min, not {other:?}"),
            ));
        }
    };
    let points = match scoring.score {
        _ if !scored => Points::Inferred,
        None if secret => Points::Bounded(100.0),
        None => Points::Inferred,
        Some(Score::Number(n)) if n.is_finite() && n >= 0.0 => Points::Bounded(n),
        Some(Score::Text(t)) if t == "unbounded" => Points::Unbounded,
        Some(Score::Text(t)) => match t.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Points::Bounded(n),
            _ => {
                return Err(PackageError::invalid(
                    file,
                    format!("scoring.score must be a number or unbounded, not {t:?}"),
                ))
            }
        },
        Some(Score::Number(n)) => {
            return Err(PackageError::invalid(
                file,
                format!("scoring.score must not be negative, got {n}"),
            ));
        }
    };
    let depends_on = if scored {
        scoring.require_pass.map(Args::into_vec).unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(GroupSpec {
        name: name.to_string(),
        points,
        aggregation,
        depends_on,
        legacy: None,
    })
}

/// `require_pass` names groups or cases below `data/`; a bare sibling name is accepted too.
fn resolve_dependencies(data: &mut TestData) -> Result<(), PackageError> {
    let known = |name: &str, data: &TestData| {
        data.groups.iter().any(|g| g.name == name) || data.cases.iter().any(|c| c.name == name)
    };
    let mut resolved = Vec::new();
    for group in &data.groups {
        let parent = group.name.rsplit_once('/').map_or("", |(p, _)| p);
        let mut names = Vec::new();
        for dep in &group.depends_on {
            let sibling = format!("{parent}/{dep}");
            if known(dep, data) {
                names.push(dep.clone());
            } else if !parent.is_empty() && known(&sibling, data) {
                names.push(sibling);
            } else {
                let file = format!("data/{}/test_group.yaml", group.name);
                return Err(PackageError::invalid(
                    file,
                    format!("require_pass: no group or case {dep:?}"),
                ));
            }
        }
        resolved.push(names);
    }
    for (group, names) in data.groups.iter_mut().zip(resolved) {
        group.depends_on = names;
    }
    Ok(())
}

/// "case2" sorts before "case10": runs of digits compare as numbers.
pub(crate) fn natural_key(name: &str) -> Vec<(String, u128)> {
    let mut key = Vec::new();
    let (mut text, mut digits) = (String::new(), String::new());
    for ch in name.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        if !digits.is_empty() {
            key.push((
                std::mem::take(&mut text),
                digits.parse().unwrap_or(u128::MAX),
            ));
            digits.clear();
        }
        text.push(ch);
    }
    key.push((text, digits.parse().unwrap_or(0)));
    key
}
