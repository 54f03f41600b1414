//! Packages built in temporary directories, one per format feature.

use std::path::Path;
use std::time::Duration;

use super::scoring::{self, CaseOutcome};
use super::*;
use crate::grade::compare::Compare;

/// Write `files` (path, contents) below a fresh temporary package directory.
fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn error(dir: &Path) -> String {
    load(dir).unwrap_err().to_string()
}

fn names(problem: &Problem) -> Vec<&str> {
    problem.cases.iter().map(|c| c.name.as_str()).collect()
}

fn kattis(flags: &[&str]) -> Compare {
    let flags: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
    Compare::from_kattis_flags(&flags).unwrap()
}

#[test]
fn legacy_package_with_nested_groups_and_flags() {
    let dir = package(&[
        (
            "problem.yaml",
            "name: Hello\nauthor: Someone\nlicense: cc by-sa\nvalidator_flags: float_tolerance 1e-6\n\
             limits:\n  memory: 512\n  time_multiplier: 3\n",
        ),
        (".timelimit", "2.5\n"),
        ("data/sample/1.in", "1\n"),
        ("data/sample/1.ans", "1\n"),
        ("data/sample/1.interaction", "ignored\n"),
        ("data/secret/testdata.yaml", "output_validator_flags: case_sensitive\n"),
        ("data/secret/10.in", ""),
        ("data/secret/10.ans", ""),
        ("data/secret/2.in", ""),
        ("data/secret/2.ans", ""),
        ("data/secret/2.desc", "a description"),
        ("data/secret/g1/testdata.yaml", "output_validator_flags: space_change_sensitive\n"),
        ("data/secret/g1/a.in", ""),
        ("data/secret/g1/a.ans", ""),
        ("data/secret/g1/a.png", ""),
        ("data/secret/g2/b.in", ""),
        ("data/secret/g2/b.ans", ""),
        ("data/secret/2.files/data.txt", "not a group"),
        ("data/invalid_input/bad.in", "ignored"),
    ]);
    let p = load(dir.path()).unwrap();
    assert_eq!(p.name, "Hello");
    assert_eq!(
        (p.format, p.kind, p.interactive),
        (Format::Legacy, Kind::PassFail, false)
    );
    assert_eq!(p.limits.time_limit, Some(Duration::from_millis(2500)));
    assert_eq!(
        (p.limits.time_multiplier, p.limits.safety_margin),
        (3.0, 2.0)
    );
    assert_eq!(p.limits.memory_bytes, Some(512 << 20));
    assert_eq!(p.limits.output_bytes, None);
    assert_eq!(
        p.validator,
        Validator::Default(kattis(&["float_tolerance", "1e-6"]))
    );
    assert_eq!(
        names(&p),
        [
            "sample/1",
            "secret/2",
            "secret/10",
            "secret/g1/a",
            "secret/g2/b"
        ]
    );
    let groups: Vec<&str> = p.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["sample", "secret", "secret/g1", "secret/g2"]);
    let case = |name: &str| p.cases.iter().find(|c| c.name == name).unwrap();
    assert_eq!(case("sample/1").validator_flags, Vec::<String>::new());
    assert_eq!(
        case("secret/g1/a").validator_flags,
        ["space_change_sensitive"]
    );
    // g2 has no testdata.yaml: secret's applies.
    assert_eq!(case("secret/g2/b").validator_flags, ["case_sensitive"]);
    assert_eq!(case("secret/g2/b").group, "secret/g2");
    assert_eq!(
        case("secret/2").compare,
        Some(kattis(&["float_tolerance", "1e-6", "case_sensitive"]))
    );
    assert_eq!(case("secret/2").input, dir.path().join("data/secret/2.in"));
    assert_eq!(
        case("secret/2").answer,
        Some(dir.path().join("data/secret/2.ans"))
    );
    assert!(
        scoring::grade(&p, |_| None).is_none(),
        "pass-fail problems have no scores"
    );
}

#[test]
fn legacy_defaults_and_directory_name() {
    let dir = package(&[
        ("problem.yaml", "# nothing but a comment\n"),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    let p = load(dir.path()).unwrap();
    assert_eq!(
        Some(p.name.as_str()),
        dir.path().file_name().and_then(|n| n.to_str())
    );
    assert_eq!(p.limits.time_limit, None);
    assert_eq!(
        (p.limits.time_multiplier, p.limits.safety_margin),
        (5.0, 2.0)
    );
    assert_eq!(p.validator, Validator::Default(kattis(&[])));
}

#[test]
fn draft_scoring_package_with_require_pass() {
    let dir = package(&[
        (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\ntype: scoring\nname:\n  sv: Summa\n  en: Sum\n\
             uuid: 8ee7605a-0000-0000-0000-000000000000\ncredits: Someone\nsource:\n  - name: NWERC\n\
             limits:\n  time_limit: 1.5\n  memory: 256\n  time_multipliers:\n    time_limit_to_tle: 3\n",
        ),
        ("data/sample/1.in", ""),
        ("data/sample/1.ans", ""),
        ("data/secret/group1/test_group.yaml", "scoring:\n  score: 30\n"),
        ("data/secret/group1/01.in", ""),
        ("data/secret/group1/01.ans", ""),
        ("data/secret/group1/02.in", ""),
        ("data/secret/group1/02.ans", ""),
        (
            "data/secret/group2/test_group.yaml",
            "scoring:\n  require_pass: group1\noutput_validator_args: [--strict]\n",
        ),
        ("data/secret/group2/01.in", ""),
        ("data/secret/group2/01.ans", ""),
        ("data/secret/group2/01.yaml", "output_validator_args: [--lenient]\n"),
        ("data/secret/group2/02.in", ""),
        ("data/secret/group2/02.ans", ""),
        ("output_validator/validator.cpp", "int main() {}"),
        ("output_validator/testlib.h", ""),
        ("output_validator/README.md", "how to build"),
    ]);
    let p = load(dir.path()).unwrap();
    assert_eq!(p.name, "Sum");
    assert_eq!((p.format, p.kind), (Format::Draft2023_07, Kind::Scoring));
    assert_eq!(p.limits.time_limit, Some(Duration::from_millis(1500)));
    assert_eq!(
        (p.limits.time_multiplier, p.limits.safety_margin),
        (2.0, 3.0)
    );
    let Validator::Custom {
        program,
        main,
        flags,
    } = &p.validator
    else {
        panic!("{:?}", p.validator)
    };
    // The directory as itself; the entry point a source file, not the header before it.
    assert_eq!(program, &dir.path().join("output_validator"));
    assert_eq!(main.as_deref(), Some("validator.cpp"));
    assert!(flags.is_empty());
    let case = |name: &str| p.cases.iter().find(|c| c.name == name).unwrap();
    assert_eq!(case("secret/group2/01").validator_flags, ["--lenient"]);
    assert_eq!(case("secret/group2/02").validator_flags, ["--strict"]);
    assert_eq!(case("secret/group2/02").compare, None);

    let secret = p.group("secret").unwrap();
    assert_eq!(
        (secret.points, secret.aggregation),
        (Points::Bounded(100.0), Aggregation::Sum)
    );
    let g1 = p.group("secret/group1").unwrap();
    assert_eq!(
        (g1.points, g1.aggregation),
        (Points::Bounded(30.0), Aggregation::PassFail)
    );
    let g2 = p.group("secret/group2").unwrap();
    assert_eq!(g2.depends_on, ["secret/group1"]);
    assert_eq!(scoring::group_max_score(&p, "secret/group2"), Some(70.0));
    assert_eq!(scoring::group_max_score(&p, "sample"), None);
    assert_eq!(scoring::case_max_score(&p, case("secret/group2/01")), None);

    let grade = |failing: &[&str]| {
        scoring::grade(&p, |c| {
            Some(CaseOutcome {
                accepted: !failing.contains(&c.name.as_str()),
                ..Default::default()
            })
        })
        .unwrap()
    };
    let all = grade(&[]);
    assert_eq!((all.total, all.max), (100.0, Some(100.0)));
    // Samples are worth nothing.
    assert_eq!(grade(&["sample/1"]).total, 100.0);
    assert_eq!(grade(&["secret/group2/02"]).total, 30.0);
    // group2 requires group1.
    let without_1 = grade(&["secret/group1/01"]);
    assert_eq!(without_1.total, 0.0);
    let g2_score = without_1
        .groups
        .iter()
        .find(|g| g.name == "secret/group2")
        .unwrap();
    assert_eq!(
        (g2_score.score, g2_score.max, g2_score.passed),
        (0.0, Some(70.0), true)
    );
}

#[test]
fn draft_require_pass_in_either_spelling() {
    // 2023-07-draft's testdata.yaml says `require-pass`; 2025-09's test_group.yaml `require_pass`.
    for (file, key) in [
        ("testdata.yaml", "require-pass"),
        ("test_group.yaml", "require_pass"),
    ] {
        let group2 = format!("scoring:\n  score: 70\n  {key}: group1\n");
        let (yaml1, yaml2) = (
            format!("data/secret/group1/{file}"),
            format!("data/secret/group2/{file}"),
        );
        let dir = package(&[
            (
                "problem.yaml",
                "problem_format_version: 2023-07-draft\ntype: scoring\nname: Sum\n\
                 uuid: 8ee7605a-0000-0000-0000-000000000002\n",
            ),
            (yaml1.as_str(), "scoring:\n  score: 30\n"),
            ("data/secret/group1/01.in", ""),
            ("data/secret/group1/01.ans", ""),
            (yaml2.as_str(), group2.as_str()),
            ("data/secret/group2/01.in", ""),
            ("data/secret/group2/01.ans", ""),
        ]);
        let p = load(dir.path()).unwrap();
        assert_eq!(
            p.group("secret/group2").unwrap().depends_on,
            ["secret/group1"],
            "{key}"
        );
    }
}

#[test]
fn draft_sum_groups_share_points_and_take_score_files() {
    let dir = package(&[
        (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\ntype: [scoring]\nname: X\n",
        ),
        ("data/secret/test_group.yaml", "scoring:\n  score: 60\n"),
        ("data/secret/a.in", ""),
        ("data/secret/a.ans", ""),
        ("data/secret/b.in", ""),
        ("data/secret/b.ans", ""),
        (
            "data/secret/hard/test_group.yaml",
            "scoring:\n  aggregation: min\n",
        ),
        ("data/secret/hard/c.in", ""),
        ("data/secret/hard/c.ans", ""),
    ]);
    let p = load(dir.path()).unwrap();
    // 60 points over two cases and one subgroup.
    assert_eq!(scoring::group_max_score(&p, "secret/hard"), Some(20.0));
    assert_eq!(scoring::case_max_score(&p, &p.cases[0]), Some(20.0));
    assert_eq!(scoring::case_max_score(&p, &p.cases[2]), Some(20.0));
    let scores = scoring::grade(&p, |c| {
        Some(match c.name.as_str() {
            "secret/a" => CaseOutcome {
                accepted: true,
                score: Some(7.5),
                score_multiplier: None,
            },
            "secret/b" => CaseOutcome {
                accepted: true,
                score: None,
                score_multiplier: Some(0.5),
            },
            _ => CaseOutcome {
                accepted: false,
                ..Default::default()
            },
        })
    })
    .unwrap();
    assert_eq!((scores.total, scores.max), (17.5, Some(60.0)));
}

#[test]
fn draft_scores_must_fit() {
    let dir = package(&[
        (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\ntype: scoring\nname: X\n",
        ),
        ("data/secret/g1/test_group.yaml", "scoring:\n  score: 80\n"),
        ("data/secret/g1/1.in", ""),
        ("data/secret/g1/1.ans", ""),
        ("data/secret/g2/test_group.yaml", "scoring:\n  score: 40\n"),
        ("data/secret/g2/1.in", ""),
        ("data/secret/g2/1.ans", ""),
    ]);
    assert_eq!(
        error(dir.path()),
        "data/secret: its subgroups' scores add up to 120, more than its own 100"
    );
}

#[test]
fn legacy_scoring_with_grader_flags() {
    let dir = package(&[
        ("problem.yaml", "type: scoring\nname: S\n"),
        (
            "data/testdata.yaml",
            "on_reject: continue\ngrader_flags: ignore_sample\n",
        ),
        ("data/sample/1.in", ""),
        ("data/sample/1.ans", ""),
        (
            "data/secret/testdata.yaml",
            "on_reject: continue\ngrader_flags: sum\nrange: 0 100\n",
        ),
        (
            "data/secret/g1/testdata.yaml",
            "accept_score: 40\ngrader_flags: min\nrange: 0 40\n",
        ),
        ("data/secret/g1/1.in", ""),
        ("data/secret/g1/1.ans", ""),
        ("data/secret/g1/2.in", ""),
        ("data/secret/g1/2.ans", ""),
        (
            "data/secret/g2/testdata.yaml",
            "accept_score: 20\non_reject: break\n",
        ),
        ("data/secret/g2/1.in", ""),
        ("data/secret/g2/1.ans", ""),
        ("data/secret/g2/2.in", ""),
        ("data/secret/g2/2.ans", ""),
        ("data/secret/g2/3.in", ""),
        ("data/secret/g2/3.ans", ""),
    ]);
    let p = load(dir.path()).unwrap();
    assert!(p.root.legacy.unwrap().ignore_sample);
    let g1 = p.group("secret/g1").unwrap();
    assert_eq!(
        (g1.aggregation, g1.points),
        (Aggregation::Min, Points::Bounded(40.0))
    );
    let g2 = p.group("secret/g2").unwrap();
    // g2 inherits secret's `sum` and `range` key by key.
    assert_eq!(
        (g2.aggregation, g2.points),
        (Aggregation::Sum, Points::Bounded(100.0))
    );
    assert!(g2.legacy.unwrap().stop_on_reject);
    let grade = |failing: &[&str]| {
        scoring::grade(&p, |c| {
            Some(CaseOutcome {
                accepted: !failing.contains(&c.name.as_str()),
                ..Default::default()
            })
        })
        .unwrap()
    };
    // 40 (min of 40, 40) + 60 (20 * 3); the sample is ignored.
    assert_eq!(grade(&["sample/1"]).total, 100.0);
    // g1: min(0, 40) = 0. g2 breaks at case 2: only case 1 counts.
    assert_eq!(grade(&["secret/g1/1", "secret/g2/2"]).total, 20.0);
}

#[test]
fn legacy_accept_if_any_accepted_and_always_accept_change_verdicts_not_scores() {
    let dir = package(&[
        ("problem.yaml", "type: scoring\nname: S\n"),
        (
            "data/secret/any/testdata.yaml",
            "on_reject: continue\ngrader_flags: min accept_if_any_accepted\n",
        ),
        ("data/secret/any/1.in", ""),
        ("data/secret/any/1.ans", ""),
        ("data/secret/any/2.in", ""),
        ("data/secret/any/2.ans", ""),
        (
            "data/secret/always/testdata.yaml",
            "on_reject: continue\ngrader_flags: always_accept\n",
        ),
        ("data/secret/always/1.in", ""),
        ("data/secret/always/1.ans", ""),
    ]);
    let p = load(dir.path()).unwrap();
    let any = p.group("secret/any").unwrap().legacy.unwrap();
    assert!(any.accept_if_any && !any.always_accept);
    assert!(
        p.group("secret/always")
            .unwrap()
            .legacy
            .unwrap()
            .always_accept
    );
    let scores = scoring::grade(&p, |c| {
        Some(CaseOutcome {
            accepted: c.name != "secret/any/2" && c.name != "secret/always/1",
            ..Default::default()
        })
    })
    .unwrap();
    // `any`: min(1, 0) = 0 points, yet accepted (one case was); `always`: 0 points, accepted.
    assert_eq!(scores.total, 0.0);
}

#[test]
fn interactive_without_answers() {
    let dir = package(&[
        ("problem.yaml", "validation: custom interactive\n"),
        ("output_validators/interactor/interactor.cpp", ""),
        ("data/secret/1.in", ""),
        ("data/sample/1.in", ""),
        ("data/sample/1.ans", ""),
    ]);
    let p = load(dir.path()).unwrap();
    assert!(p.interactive);
    assert_eq!(
        p.cases[0].answer,
        Some(dir.path().join("data/sample/1.ans"))
    );
    assert_eq!(p.cases[1].answer, None);
    assert_eq!(
        p.validator,
        Validator::Custom {
            program: dir.path().join("output_validators/interactor"),
            main: Some("interactor.cpp".into()),
            flags: Vec::new()
        }
    );

    let draft = package(&[
        (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\ntype: [pass-fail, interactive]\n",
        ),
        ("data/secret/1.in", ""),
    ]);
    assert_eq!(
        error(draft.path()),
        "problem.yaml: an interactive problem needs a custom output validator"
    );
}

#[test]
fn validator_programs() {
    let scripts = package(&[
        ("problem.yaml", "validation: custom\n"),
        ("output_validators/v/build", ""),
        ("output_validators/v/run", ""),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert_eq!(
        error(scripts.path()),
        "output_validators/v: a validator with a `build` script (codecage builds validators from their sources, by language) is not supported"
    );
    // A script beside sources is refused too: it could change how they are built or run.
    let beside = package(&[
        ("problem.yaml", "validation: custom\n"),
        ("output_validators/v/check.cpp", "int main() {}"),
        ("output_validators/v/run", "#!/bin/sh\n"),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert!(
        error(beside.path()).starts_with("output_validators/v: a validator with a `run` script"),
        "{}",
        error(beside.path())
    );
    // A Python package starts from `__main__.py`, not `__init__.py` (the format's rule).
    let python = package(&[
        (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\nuuid: 8ee7605a-0000-0000-0000-000000000001\n",
        ),
        ("output_validator/__init__.py", ""),
        ("output_validator/__main__.py", "import check\n"),
        ("output_validator/check.py", ""),
        ("output_validator/README.md", "how it works"),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    let Validator::Custom { main, .. } = load(python.path()).unwrap().validator else {
        panic!("no custom validator")
    };
    assert_eq!(main.as_deref(), Some("__main__.py"));
    let two = package(&[
        ("problem.yaml", "validation: custom score\n"),
        ("output_validators/a.py", ""),
        ("output_validators/b.py", ""),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert_eq!(
        error(two.path()),
        "output_validators: 2 output validators (only one) is not supported"
    );
    let missing = package(&[
        ("problem.yaml", "validation: custom\n"),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert_eq!(error(missing.path()), "output_validators: missing");
    let single = package(&[
        (
            "problem.yaml",
            "validation: custom score\nvalidator_flags: -x 1\n",
        ),
        ("output_validators/check.py", ""),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    let p = load(single.path()).unwrap();
    assert!(p.custom_score);
    assert_eq!(
        p.validator,
        Validator::Custom {
            program: single.path().join("output_validators/check.py"),
            main: None,
            flags: vec!["-x".into(), "1".into()]
        }
    );
}

#[test]
fn problem_yaml_errors() {
    let with_yaml = |yaml: &str| {
        let dir = package(&[
            ("problem.yaml", yaml),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ]);
        error(dir.path())
    };
    assert_eq!(
        error(package(&[("data/secret/1.in", "")]).path()),
        "problem.yaml: missing"
    );
    let broken = with_yaml("name: [unclosed\n");
    assert!(
        broken.starts_with("invalid YAML in problem.yaml:"),
        "{broken}"
    );
    let wrong_type = with_yaml("name: X\nlimits:\n  memory: lots\n");
    assert!(
        wrong_type.starts_with("invalid YAML in problem.yaml:3:"),
        "{wrong_type}"
    );
    assert!(!wrong_type.contains('\n'));
    assert_eq!(
        with_yaml("problem_format_version: 2023-07-draft\nname: X\ntype: foo\n"),
        "problem.yaml: line 3: unknown type \"foo\""
    );
    assert_eq!(
        with_yaml("problem_format_version: 2023-07-draft\ntype: [scoring, multi-pass]\n"),
        "problem.yaml: line 2: problem type \"multi-pass\" is not supported"
    );
    assert_eq!(
        with_yaml("problem_format_version: 2023-07-draft\ntype: submit-answer\n"),
        "problem.yaml: line 2: problem type \"submit-answer\" is not supported"
    );
    assert_eq!(
        with_yaml("problem_format_version: 2099-01\n"),
        "problem.yaml: line 1: problem_format_version \"2099-01\" (legacy and 2023-07-draft are) is not supported"
    );
    assert_eq!(
        with_yaml("validation: fancy\n"),
        "problem.yaml: line 1: validation must start with default or custom, not \"fancy\""
    );
    assert_eq!(
        with_yaml("limits:\n  time_multiplier: 0.5\n"),
        "problem.yaml: line 2: limits.time_multiplier must be a number of at least 1, not 0.5"
    );
    assert_eq!(
        with_yaml("validator_flags: ignore_case\n"),
        "problem.yaml: validator_flags: unknown default validator flag \"ignore_case\": use \
         case_sensitive, space_change_sensitive, float_tolerance, float_absolute_tolerance or \
         float_relative_tolerance"
    );
}

#[test]
fn test_data_errors() {
    let no_answer = package(&[("problem.yaml", ""), ("data/secret/1.in", "")]);
    assert_eq!(
        error(no_answer.path()),
        "data/secret/1.in: no matching 1.ans"
    );
    let empty = package(&[
        ("problem.yaml", ""),
        ("data/secret/g/readme.txt", ""),
        ("data/sample/1.in", ""),
        ("data/sample/1.ans", ""),
    ]);
    assert_eq!(error(empty.path()), "data/secret: no test cases");
    let no_secret = package(&[
        ("problem.yaml", ""),
        ("data/sample/1.in", ""),
        ("data/sample/1.ans", ""),
    ]);
    assert_eq!(error(no_secret.path()), "data/secret: missing");
    let bad_flag = package(&[
        ("problem.yaml", ""),
        (
            "data/secret/testdata.yaml",
            "output_validator_flags: float_tolerance\n",
        ),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert_eq!(
        error(bad_flag.path()),
        "data/secret/1: validator flag float_tolerance needs a number after it"
    );
    let bad_yaml = package(&[
        ("problem.yaml", "type: scoring\n"),
        ("data/secret/testdata.yaml", "accept_score: [1]\n"),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert!(error(bad_yaml.path()).starts_with("invalid YAML in data/secret/testdata.yaml:1:"));
    let custom_grader = package(&[
        ("problem.yaml", "type: scoring\n"),
        ("data/secret/testdata.yaml", "grading: custom\n"),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert_eq!(
        error(custom_grader.path()),
        "data/secret/testdata.yaml: grading: custom (a custom grader) is not supported"
    );
}

#[test]
fn example_submissions() {
    let dir = package(&[
        (
            "submissions/submissions.yaml",
            "accepted:\n  permitted: [AC]\n",
        ),
        ("submissions/accepted/b.py", ""),
        ("submissions/accepted/a.cpp", ""),
        ("submissions/wrong_answer/multi/main.py", ""),
        ("submissions/wrong_answer/multi/util/helper.py", ""),
        ("submissions/run_time_error/crash.c", ""),
        ("submissions/time_limit_exceeded/slow.java", ""),
        ("submissions/partially_accepted/half.py", ""),
        ("submissions/brute_force/bf.py", ""),
        ("submissions/accepted/.hidden", ""),
    ]);
    let subs = submissions(dir.path()).unwrap();
    let paths: Vec<String> = subs.iter().map(|s| s.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "submissions/accepted/a.cpp",
            "submissions/accepted/b.py",
            "submissions/partially_accepted/half.py",
            "submissions/run_time_error/crash.c",
            "submissions/time_limit_exceeded/slow.java",
            "submissions/wrong_answer/multi",
        ]
    );
    let multi = &subs[5];
    assert_eq!(multi.expected, Expected::WrongAnswer);
    // The folder itself: it is run as `codecage run DIR` runs one, from its main file.
    assert_eq!(
        multi.program,
        dir.path().join("submissions/wrong_answer/multi")
    );
    assert_eq!(subs[3].expected, Expected::RuntimeError);
    assert!(Expected::RuntimeError.allows(crate::verdict::Verdict::MemoryLimit));
    assert!(!Expected::TimeLimit.allows(crate::verdict::Verdict::WrongAnswer));
    assert!(submissions(&dir.path().join("nothing")).unwrap().is_empty());
}

#[test]
fn hostile_packages_are_errors_not_panics() {
    let huge = package(&[
        (
            "problem.yaml",
            "problem_format_version: 2023-07-draft\nlimits:\n  time_limit: 1e300\n",
        ),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    let message = error(huge.path());
    assert!(
        message.starts_with("problem.yaml: line 3: limits.time_limit"),
        "{message}"
    );
    assert!(message.ends_with("is too large"), "{message}");
    let looped = package(&[
        ("problem.yaml", ""),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    let secret = looped.path().join("data/secret");
    std::os::unix::fs::symlink(&secret, secret.join("loop")).unwrap();
    assert!(error(looped.path()).contains("a symbolic link loop?"));
    let timelimit = package(&[
        (".timelimit", "soon"),
        ("problem.yaml", ""),
        ("data/secret/1.in", ""),
    ]);
    assert_eq!(
        error(timelimit.path()),
        ".timelimit: expected a time limit in seconds, got \"soon\""
    );
}
