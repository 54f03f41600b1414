//! Polygon packages built in temporary directories: what is read, how groups score, and the
//! one-line errors.

use std::path::Path;

use super::super::scoring::{self, CaseOutcome};
use super::super::{load, submissions, Expected, Kind, Problem, Validator};
use super::tag::Tag;
use crate::grade::compare::Compare;

/// A package: `problem.xml` with `tests` inside its tests testset, `groups` after them, and
/// `assets`; every test `tests/NN` (with `tests/NN.a`) that `files` does not leave out.
fn package(tests: &str, groups: &str, assets: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let xml = format!(
        r#"<?xml version="1.0" encoding="utf-8" standalone="no"?>
<problem revision="3" short-name="sum" url="https://polygon.codeforces.com/p/x/sum">
    <names><name language="russian" value="Сумма"/><name language="english" value="Sum"/></names>
    <judging cpu-name="x" cpu-speed="3600" input-file="" output-file="" run-count="1">
        <testset name="tests">
            <time-limit>1500</time-limit>
            <memory-limit>268435456</memory-limit>
            <input-path-pattern>tests/%02d</input-path-pattern>
            <answer-path-pattern>tests/%02d.a</answer-path-pattern>
            <tests>{tests}</tests>
            {groups}
        </testset>
    </judging>
    <assets>{assets}</assets>
</problem>
"#
    );
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("problem.xml", &xml);
    let count = tests.matches("<test").count();
    for n in 1..=count {
        write(&format!("tests/{n:02}"), "1 2\r\n");
        write(&format!("tests/{n:02}.a"), "3\r\n");
    }
    for (path, text) in files {
        match *text {
            "-" => std::fs::remove_file(dir.path().join(path)).unwrap(),
            _ => write(path, text),
        }
    }
    dir
}

const WCMP: &str = r#"<checker name="std::wcmp.cpp" type="testlib">
    <source path="files/check.cpp" type="cpp.g++17"/><copy path="check.cpp"/></checker>"#;

fn error(dir: &Path) -> String {
    let e = load(dir).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    e
}

fn cases(problem: &Problem) -> Vec<(&str, &str, Option<f64>)> {
    problem
        .cases
        .iter()
        .map(|c| (c.name.as_str(), c.group.as_str(), c.points))
        .collect()
}

/// The total score when exactly the tests numbered in `failing` fail.
fn total(problem: &Problem, failing: &[usize]) -> f64 {
    let scores = scoring::grade(problem, |case| {
        let n: usize = case.name.rsplit('/').next().unwrap().parse().unwrap();
        Some(CaseOutcome {
            accepted: !failing.contains(&n),
            ..CaseOutcome::default()
        })
    });
    scores.unwrap().total
}

#[test]
fn a_full_package_without_points_is_pass_fail() {
    let dir = package(
        r#"<test method="manual" sample="true"/><test cmd="gen 5" method="generated"/>"#,
        "",
        WCMP,
        &[],
    );
    let problem = load(dir.path()).unwrap();
    assert_eq!(problem.name, "Sum");
    assert_eq!(problem.kind, Kind::PassFail);
    assert_eq!(
        problem.limits.time_limit,
        Some(std::time::Duration::from_millis(1500))
    );
    assert_eq!(problem.limits.memory_bytes, Some(256 << 20));
    // No source in the package: the built-in comparison of std::wcmp.cpp.
    assert_eq!(problem.validator, Validator::Default(Compare::Tokens));
    assert_eq!(
        cases(&problem),
        [
            ("secret/01", "secret", Some(0.0)),
            ("secret/02", "secret", Some(0.0))
        ]
    );
    let data = problem.cases[0].data.as_ref().unwrap();
    assert_eq!(
        (&data.input[..], &data.answer[..]),
        (&b"1 2\n"[..], &b"3\n"[..])
    );
}

#[test]
fn a_checker_source_is_compiled_with_the_packages_headers() {
    let dir = package(
        r#"<test method="manual"/>"#,
        "",
        WCMP,
        &[
            ("files/check.cpp", "#include \"testlib.h\"\nint main(){}\n"),
            ("files/testlib.h", "// testlib\n"),
            ("files/extra.hpp", ""),
            ("files/gen.cpp", "int main(){}\n"),
        ],
    );
    let problem = load(dir.path()).unwrap();
    let Validator::Testlib { source, with } = &problem.validator else {
        panic!("{:?}", problem.validator)
    };
    assert!(source.ends_with("files/check.cpp"));
    let names: Vec<_> = with.iter().map(|w| w.file_name().unwrap()).collect();
    assert_eq!(names, ["extra.hpp", "testlib.h"]);
    let dir = package(
        r#"<test method="manual"/>"#,
        "",
        WCMP,
        &[("check.cpp", "#include \"testlib.h\"\nint main(){}\n")],
    );
    assert_eq!(
        error(dir.path()),
        "check.cpp: includes testlib.h, which is not in files/ nor next to it"
    );
}

#[test]
fn complete_groups_each_test_groups_and_dependencies() {
    let tests = r#"
        <test group="samples" method="manual" points="0.0" sample="true"/>
        <test group="g1" method="manual" points="20.0"/>
        <test group="g1" method="manual" points="0.0"/>
        <test group="g2" method="manual" points="10.0"/>
        <test group="g2" method="manual" points="15.0"/>
        <test group="g3" method="manual" points="0.0"/>
        <test method="manual" points="5.0"/>"#;
    let groups = r#"<groups>
        <group feedback-policy="complete" name="samples" points="0.0" points-policy="each-test"/>
        <group feedback-policy="icpc" name="g1" points="20.0" points-policy="complete-group"/>
        <group feedback-policy="points" name="g2" points-policy="each-test">
            <dependencies><dependency group="samples"/></dependencies></group>
        <group feedback-policy="icpc" name="g3" points="50.0" points-policy="complete-group">
            <dependencies><dependency group="g1"/><dependency group="g2"/></dependencies></group>
    </groups>"#;
    let problem = load(package(tests, groups, WCMP, &[]).path()).unwrap();
    assert_eq!(problem.kind, Kind::Scoring);
    assert_eq!(
        cases(&problem)[..4],
        [
            // g2 depends on samples, which sorts after it: the groups are numbered.
            ("secret/1-samples/01", "secret/1-samples", Some(0.0)),
            ("secret/2-g1/02", "secret/2-g1", None),
            ("secret/2-g1/03", "secret/2-g1", None),
            ("secret/3-g2/04", "secret/3-g2", Some(10.0)),
        ]
    );
    assert_eq!(total(&problem, &[]), 100.0);
    // each-test: the other tests' points; g3 needs all of g2.
    assert_eq!(total(&problem, &[5]), 35.0);
    // complete-group: nothing of g1; g3 needs g1.
    assert_eq!(total(&problem, &[3]), 30.0);
    // The samples fail: g2 and, through it, g3 score nothing.
    assert_eq!(total(&problem, &[1]), 25.0);
    assert_eq!(total(&problem, &[6, 7]), 45.0);
}

#[test]
fn groups_depending_on_later_names_are_numbered() {
    let tests =
        r#"<test group="sample" method="manual"/><test group="full" method="manual" points="1"/>"#;
    let groups = r#"<groups>
        <group name="sample" points-policy="complete-group"/>
        <group name="full" points-policy="complete-group">
            <dependencies><dependency group="sample"/></dependencies></group></groups>"#;
    let problem = load(package(tests, groups, WCMP, &[]).path()).unwrap();
    let names: Vec<_> = problem.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["secret", "secret/1-sample", "secret/2-full"]);
    assert_eq!(problem.groups[2].depends_on, ["secret/1-sample"]);
    assert_eq!(total(&problem, &[1]), 0.0);
}

#[test]
fn missing_and_generated_tests() {
    let generated = r#"<test method="manual"/><test cmd="gen 7 &gt; x" method="generated"/>"#;
    let dir = package(
        generated,
        "",
        WCMP,
        &[("tests/02", "-"), ("tests/02.a", "-")],
    );
    assert_eq!(
        error(dir.path()),
        "tests/02: missing: test 2 is generated by \"gen 7 > x\", and the package was read without making its generated tests (see package::generation)"
    );
    let dir = package(generated, "", WCMP, &[("tests/01.a", "-")]);
    assert!(error(dir.path()).starts_with("tests/01.a: missing: a standard package"));
    let dir = package(r#"<test method="manual"/>"#, "", WCMP, &[("tests/01", "-")]);
    assert_eq!(error(dir.path()), "tests/01: missing");
}

#[test]
fn malformed_or_unsupported_is_one_line() {
    let one = r#"<test method="manual"/>"#;
    let cases = [
        (
            package(one, "", WCMP, &[("problem.xml", "<problem><judging>")]),
            "problem.xml: not well-formed XML",
        ),
        (
            package(one, "", WCMP, &[("problem.xml", "<!DOCTYPE p [<!ENTITY a \"b\">]><problem/>")]),
            "problem.xml: not well-formed XML",
        ),
        (
            package(r#"<test method="manual" points="lots"/>"#, "", WCMP, &[]),
            "problem.xml: line 10: points \"lots\" is not a number of 0 or more",
        ),
        (
            package(one, "", r#"<checker type="exe"/>"#, &[]),
            "problem.xml, line 14: a checker of type \"exe\" (testlib checkers are) is not supported",
        ),
        (
            package(one, "", r#"<checker name="std::rcmp6.cpp" type="testlib"/>"#, &[]),
            "the standard checker std::rcmp6.cpp without its source",
        ),
        (
            package(one, "", r#"<interactor><source path="../i.cpp"/></interactor>"#, &[]),
            "\"../i.cpp\" is not a relative path inside the problem",
        ),
        (
            package(
                r#"<test group="a" method="manual" points="1"/>"#,
                r#"<groups><group name="a" points-policy="each-test"><dependencies><dependency group="b"/></dependencies></group></groups>"#,
                WCMP,
                &[],
            ),
            "depends on \"b\", which is not another declared group",
        ),
        (
            package(r#"<test group="a" method="manual" points="1"/>"#, "", WCMP, &[]),
            "problem.xml: test 1 is in group \"a\", which <groups> does not declare",
        ),
    ];
    for (dir, expect) in cases {
        let e = error(dir.path());
        assert!(e.contains(expect), "{e}");
    }
    let dir = package(one, "", WCMP, &[]);
    let xml = std::fs::read_to_string(dir.path().join("problem.xml")).unwrap();
    let xml = xml.replace(r#"input-file="""#, r#"input-file="in.txt""#);
    std::fs::write(dir.path().join("problem.xml"), xml).unwrap();
    assert!(error(dir.path()).contains("<judging input-file=\"in.txt\">"));
}

#[test]
fn solutions_and_their_tags() {
    let assets = format!(
        r#"{WCMP}<solutions>
        <solution tag="main"><source path="solutions/main.cpp" type="cpp.g++17"/></solution>
        <solution tag="do-not-run"><source path="solutions/skip.cpp" type="cpp.g++17"/></solution>
        <solution tag="time-limit-exceeded-or-accepted"><source path="solutions/slow.py" type="pypy.3"/></solution>
        <solution tag="rejected"><source path="solutions/old.py" type="python.2"/></solution>
    </solutions>"#
    );
    let files = [
        ("solutions/main.cpp", ""),
        ("solutions/slow.py", ""),
        ("solutions/old.py", ""),
    ];
    let dir = package(r#"<test method="manual"/>"#, "", &assets, &files);
    let found = submissions(dir.path()).unwrap();
    let got: Vec<_> = found
        .iter()
        .map(|s| (s.path.to_str().unwrap(), s.expected, s.language.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("solutions/main.cpp", Expected::Polygon(Tag::Main), None),
            (
                "solutions/slow.py",
                Expected::Polygon(Tag::TimeLimitOrAccepted),
                Some("pypy3")
            ),
            ("solutions/old.py", Expected::Polygon(Tag::Rejected), None),
        ]
    );
    assert!(found[2].refused.as_deref().unwrap().contains("Python 2"));
    let dir = package(r#"<test method="manual"/>"#, "", &assets, &files[..1]);
    assert_eq!(
        submissions(dir.path()).unwrap_err().to_string(),
        "solutions/slow.py: missing"
    );
}

#[test]
fn what_a_standard_package_leaves_to_be_made() {
    let assets = format!(
        r#"{WCMP}<validators><validator><source path="files/val.cpp"/></validator></validators>
        <solutions><solution tag="main"><source path="solutions/main.cpp"/></solution></solutions>"#
    );
    let tests =
        r#"<test method="manual" sample="true"/><test cmd="gen 'a b' 3" method="generated"/>"#;
    let files = [
        ("tests/01.a", "-"),
        ("tests/02", "-"),
        ("tests/02.a", "-"),
        ("files/gen.cpp", "int main(){}\n"),
        ("files/val.cpp", "int main(){}\n"),
        ("solutions/main.cpp", "int main(){}\n"),
    ];
    let dir = package(tests, "", &assets, &files);
    let generation = super::super::generation(dir.path()).unwrap().unwrap();
    let made: Vec<_> = generation
        .tests
        .iter()
        .map(|t| {
            let generator = t
                .generator
                .as_ref()
                .map(|(g, args)| (g.source.file_name().unwrap().to_owned(), args.clone()));
            (t.number, generator, t.answer)
        })
        .collect();
    assert_eq!(
        made,
        [
            (1, None, true),
            (
                2,
                Some(("gen.cpp".into(), vec!["a b".to_string(), "3".to_string()])),
                true
            )
        ]
    );
    assert!(generation
        .validator
        .unwrap()
        .source
        .ends_with("files/val.cpp"));
    assert!(generation
        .main
        .unwrap()
        .source
        .ends_with("solutions/main.cpp"));
    // The files made stand in for the missing ones.
    let made_dir = tempfile::tempdir().unwrap();
    let made_file = |name: &str, text: &str| {
        let path = made_dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let made = super::Made {
        inputs: [(2, made_file("in2", "7\n"))].into(),
        answers: [(1, made_file("a1", "1\n")), (2, made_file("a2", "8\n"))].into(),
    };
    let problem = super::super::load_with(dir.path(), Some(&made)).unwrap();
    assert_eq!(problem.cases[1].input, made_dir.path().join("in2"));
    assert_eq!(
        problem.cases[1].answer.as_deref(),
        Some(&*made_dir.path().join("a2"))
    );
    // A full package leaves nothing.
    let full = package(tests, "", &assets, &files[3..]);
    assert_eq!(super::super::generation(full.path()).unwrap(), None);
}
