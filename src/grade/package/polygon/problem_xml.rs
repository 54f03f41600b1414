//! `problem.xml` as Polygon writes it into its packages, read with an XML parser into plain
//! values: the `tests` testset of `<judging>` (limits, path patterns, tests and groups) and the
//! `<assets>` (checker, interactor, validators, solutions), and the executables of `<files>`.
//! Elements and attributes codecage does not use (statements, resources, properties, stresses,
//! tags, checker tests...) are ignored; a value it uses that is missing or malformed is an error
//! naming its line.

use roxmltree::{Document, Node, ParsingOptions};

use super::super::package_error::PackageError;
use crate::escape;

/// The file that makes a directory a Polygon package.
pub const PROBLEM_XML: &str = "problem.xml";

/// Bigger than any real `problem.xml` (a few hundred KiB with thousands of tests): a file past
/// this is refused rather than parsed.
const MAX_BYTES: u64 = 16 << 20;

/// Past this many XML nodes the parser stops, whatever the file's size.
const MAX_NODES: u32 = 1 << 20;

#[derive(Debug)]
pub struct ProblemXml {
    /// `<names>`: the English name, else the first.
    pub name: Option<String>,
    /// `short-name` of `<problem>`.
    pub short_name: Option<String>,
    /// `input-file` and `output-file` of `<judging>`: empty (or `stdin`/`stdout`) for standard
    /// streams.
    pub input_file: String,
    pub output_file: String,
    /// `run-count` of `<judging>`: more than 1 is a problem whose solution runs several times.
    pub run_count: u32,
    pub testset: Testset,
    pub checker: Option<Program>,
    pub interactor: Option<Program>,
    /// `<assets><validators>`: what checks a generated test (the first is used).
    pub validators: Vec<Program>,
    /// `<files><executables>`: the programs a generated test's `cmd` names (generators).
    pub executables: Vec<Program>,
    pub solutions: Vec<Solution>,
}

/// `<testset name="tests">`.
#[derive(Debug)]
pub struct Testset {
    pub time_limit_ms: Option<u64>,
    pub memory_bytes: Option<u64>,
    pub test_count: Option<usize>,
    pub input_pattern: String,
    pub answer_pattern: String,
    /// `None` when the file has no `<tests>`: every test is then a file in the package.
    pub tests: Option<Vec<Test>>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone)]
pub struct Test {
    /// `method="generated"`: in a standard package its files are made by `cmd`.
    pub generated: bool,
    pub cmd: Option<String>,
    pub group: Option<String>,
    pub points: Option<f64>,
}

#[derive(Debug)]
pub struct Group {
    pub name: String,
    pub points: Option<f64>,
    /// `points-policy="complete-group"`: the group's points only if every test passes;
    /// `each-test`: each passed test's own points.
    pub complete: bool,
    pub dependencies: Vec<String>,
    /// Where it is, for messages: "problem.xml, line 40".
    pub at: String,
}

/// A program of `<assets>`: its source, and for a checker its standard name and type.
#[derive(Debug)]
pub struct Program {
    /// A standard checker's name, e.g. `std::wcmp.cpp`.
    pub name: Option<String>,
    /// A checker's `type` (`testlib`).
    pub kind: Option<String>,
    pub source: Option<Source>,
    pub at: String,
}

#[derive(Debug)]
pub struct Source {
    /// Relative to the package, as the file gives it.
    pub path: String,
    /// Polygon's language, e.g. `cpp.g++17`, `python.3`, `java11`.
    pub kind: Option<String>,
}

#[derive(Debug)]
pub struct Solution {
    pub tag: String,
    pub source: Source,
    pub at: String,
}

impl Testset {
    /// The tests `<tests>` lists, which `test-count` (when given) must agree with; without
    /// `<tests>`, `test-count` manual tests.
    pub fn listed(&self) -> Result<Vec<Test>, PackageError> {
        let tests: Vec<Test> = match (&self.tests, self.test_count) {
            (Some(tests), Some(count)) if tests.len() != count => {
                return Err(PackageError::invalid(
                    PROBLEM_XML,
                    format!(
                        "test-count says {count} tests, <tests> lists {}",
                        tests.len()
                    ),
                ))
            }
            (Some(tests), _) => tests.clone(),
            (None, Some(count)) => (0..count)
                .map(|_| Test {
                    generated: false,
                    cmd: None,
                    group: None,
                    points: None,
                })
                .collect(),
            (None, None) => {
                return Err(PackageError::invalid(
                    PROBLEM_XML,
                    "the tests testset has neither <tests> nor <test-count>",
                ))
            }
        };
        if tests.is_empty() {
            return Err(PackageError::invalid(
                PROBLEM_XML,
                "the tests testset has no tests",
            ));
        }
        Ok(tests)
    }
}

/// Read and parse `problem.xml` in `dir`.
pub fn read(dir: &std::path::Path) -> Result<ProblemXml, PackageError> {
    let path = dir.join(PROBLEM_XML);
    let size = std::fs::metadata(&path)
        .map_err(|e| PackageError::io(dir, &path, e))?
        .len();
    if size > MAX_BYTES {
        return Err(invalid(format!(
            "{size} bytes, more than the {} MiB codecage reads",
            MAX_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(&path).map_err(|e| PackageError::io(dir, &path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| invalid("not UTF-8 text"))?;
    parse(&text)
}

/// Parse the text of a `problem.xml`. A DTD is refused (Polygon writes none; refusing it rules
/// out entity tricks).
pub fn parse(text: &str) -> Result<ProblemXml, PackageError> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let doc = Document::parse_with_options(text, options)
        // The parser's message may quote a newline it did not expect.
        .map_err(|e| {
            invalid(format!(
                "not well-formed XML: {}",
                escape::line(&e.to_string())
            ))
        })?;
    let root = doc.root_element();
    if !root.has_tag_name("problem") {
        return Err(invalid(format!(
            "the root element is <{}>, not <problem>",
            root.tag_name().name()
        )));
    }
    let judging = child(root, "judging").ok_or_else(|| invalid("no <judging>"))?;
    let testset = children(judging, "testset")
        .find(|t| t.attribute("name") == Some("tests"))
        .ok_or_else(|| invalid("<judging> has no <testset name=\"tests\">"))?;
    let assets = child(root, "assets");
    let asset = |name: &str| assets.and_then(|a| child(a, name));
    let listed = |list: &str, item: &'static str| -> Vec<Node> {
        asset(list)
            .map(|l| children(l, item).collect())
            .unwrap_or_default()
    };
    Ok(ProblemXml {
        name: name(root),
        short_name: root.attribute("short-name").map(str::to_string),
        input_file: judging.attribute("input-file").unwrap_or("").to_string(),
        output_file: judging.attribute("output-file").unwrap_or("").to_string(),
        run_count: match judging.attribute("run-count") {
            None => 1,
            Some(n) => number(judging, "run-count", n)?,
        },
        testset: read_testset(testset)?,
        checker: asset("checker").map(program).transpose()?,
        interactor: asset("interactor").map(program).transpose()?,
        validators: listed("validators", "validator")
            .into_iter()
            .map(program)
            .collect::<Result<_, _>>()?,
        executables: child(root, "files")
            .and_then(|f| child(f, "executables"))
            .map(|e| children(e, "executable").map(program).collect())
            .transpose()?
            .unwrap_or_default(),
        solutions: listed("solutions", "solution")
            .into_iter()
            .map(solution)
            .collect::<Result<_, _>>()?,
    })
}

/// The English name, else the first one given.
fn name(root: Node) -> Option<String> {
    let names: Vec<Node> = child(root, "names")
        .map(|n| children(n, "name").collect())
        .unwrap_or_default();
    let english = names
        .iter()
        .find(|n| n.attribute("language") == Some("english"));
    english
        .or(names.first())
        .and_then(|n| n.attribute("value"))
        .map(str::to_string)
}

fn read_testset(testset: Node) -> Result<Testset, PackageError> {
    let value = |name: &str| child(testset, name).map(|n| (n, n.text().unwrap_or("").trim()));
    let pattern = |name: &str| {
        value(name)
            .map(|(_, text)| text.to_string())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| invalid(format!("the tests testset has no <{name}>")))
    };
    let tests = match child(testset, "tests") {
        None => None,
        Some(tests) => Some(
            children(tests, "test")
                .map(read_test)
                .collect::<Result<_, _>>()?,
        ),
    };
    let groups = match child(testset, "groups") {
        None => Vec::new(),
        Some(groups) => children(groups, "group")
            .map(read_group)
            .collect::<Result<_, _>>()?,
    };
    Ok(Testset {
        time_limit_ms: value("time-limit")
            .map(|(n, t)| number(n, "time-limit", t))
            .transpose()?,
        memory_bytes: value("memory-limit")
            .map(|(n, t)| number(n, "memory-limit", t))
            .transpose()?,
        test_count: value("test-count")
            .map(|(n, t)| number(n, "test-count", t))
            .transpose()?,
        input_pattern: pattern("input-path-pattern")?,
        answer_pattern: pattern("answer-path-pattern")?,
        tests,
        groups,
    })
}

fn read_test(test: Node) -> Result<Test, PackageError> {
    let generated = match test.attribute("method") {
        None | Some("manual") => false,
        Some("generated") => true,
        Some(other) => {
            return Err(invalid(format!(
                "{}: <test method={other:?}>: manual or generated",
                line(test)
            )))
        }
    };
    Ok(Test {
        generated,
        cmd: test.attribute("cmd").map(str::to_string),
        group: test
            .attribute("group")
            .filter(|g| !g.is_empty())
            .map(str::to_string),
        points: test
            .attribute("points")
            .map(|p| points(test, p))
            .transpose()?,
    })
}

fn read_group(group: Node) -> Result<Group, PackageError> {
    let name = group
        .attribute("name")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| invalid(format!("{}: a <group> without a name", line(group))))?;
    let complete = match group.attribute("points-policy") {
        Some("complete-group") => true,
        Some("each-test") => false,
        other => {
            return Err(invalid(format!(
                "{}: group {name:?} has points-policy {:?}: complete-group or each-test",
                line(group),
                other.unwrap_or("")
            )))
        }
    };
    let dependencies = child(group, "dependencies")
        .map(|d| {
            children(d, "dependency")
                .filter_map(|d| d.attribute("group").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(Group {
        name: name.to_string(),
        points: group
            .attribute("points")
            .map(|p| points(group, p))
            .transpose()?,
        complete,
        dependencies,
        at: format!("{PROBLEM_XML}, {}", line(group)),
    })
}

fn program(node: Node) -> Result<Program, PackageError> {
    Ok(Program {
        name: node.attribute("name").map(str::to_string),
        kind: node.attribute("type").map(str::to_string),
        source: child(node, "source").map(source).transpose()?,
        at: format!("{PROBLEM_XML}, {}", line(node)),
    })
}

fn solution(node: Node) -> Result<Solution, PackageError> {
    let at = format!("{PROBLEM_XML}, {}", line(node));
    let tag = node
        .attribute("tag")
        .ok_or_else(|| invalid(format!("{}: a <solution> without a tag", line(node))))?;
    let source = child(node, "source")
        .ok_or_else(|| invalid(format!("{}: a <solution> without a <source>", line(node))))?;
    Ok(Solution {
        tag: tag.to_string(),
        source: self::source(source)?,
        at,
    })
}

fn source(node: Node) -> Result<Source, PackageError> {
    let path = node
        .attribute("path")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| invalid(format!("{}: a <source> without a path", line(node))))?;
    Ok(Source {
        path: path.to_string(),
        kind: node.attribute("type").map(str::to_string),
    })
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn children<'a, 'input: 'a>(
    node: Node<'a, 'input>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'input>> + 'a {
    node.children().filter(move |c| c.has_tag_name(name))
}

/// "line 12" of the node's start.
fn line(node: Node) -> String {
    format!(
        "line {}",
        node.document().text_pos_at(node.range().start).row
    )
}

fn number<T: std::str::FromStr>(node: Node, what: &str, text: &str) -> Result<T, PackageError> {
    text.trim().parse().map_err(|_| {
        invalid(format!(
            "{}: {what} {text:?} is not a whole number",
            line(node)
        ))
    })
}

/// Points: a finite number, 0 or more.
fn points(node: Node, text: &str) -> Result<f64, PackageError> {
    match text.trim().parse::<f64>() {
        Ok(p) if p.is_finite() && p >= 0.0 => Ok(p),
        _ => Err(invalid(format!(
            "{}: points {text:?} is not a number of 0 or more",
            line(node)
        ))),
    }
}

fn invalid(message: impl Into<String>) -> PackageError {
    PackageError::invalid(PROBLEM_XML, message)
}
