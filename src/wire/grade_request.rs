//! A whole submission and its cases as `codecage test --server` sends them to `POST /grade` (and
//! an API node hands them to a worker), every byte string in base64; and what comes back.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::encoding::{decode, encode};
use super::file::WireFile;
use crate::grade::case::TestCase;
use crate::grade::compare::Compare;
use crate::grade::report::Report;
use crate::grade::score::Group;
use crate::limits::{LimitOverrides, Limits};
use crate::verdict::Verdict;

/// A submission and its cases, as `test --server` sends them.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    /// The name the report gives the submission (its first file, as locally).
    pub solution: String,
    pub language: String,
    /// The entry file first.
    pub files: Vec<WireFile>,
    #[serde(default)]
    pub args: Vec<String>,
    /// The limits as `codecage test` planned them (time is CPU time, with its wall backstop);
    /// clamped to the server's maxima.
    pub limits: Limits,
    pub cases: Vec<WireCase>,
    pub compare: Compare,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub fail_fast: bool,
    /// Cases at once, as asked locally. A server runs one case at a time: the grading holds one
    /// run slot (a worker's, or the admission's), and a slot is one sandbox.
    #[serde(default)]
    pub jobs: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireCase {
    pub name: String,
    /// base64
    pub stdin: String,
    #[serde(default)]
    pub args: Vec<String>,
    /// Expected stdout, base64; none checks only the exit code.
    pub stdout: Option<String>,
    #[serde(default)]
    pub exit_code: i64,
    #[serde(default)]
    pub limits: LimitOverrides,
    pub compare: Option<Compare>,
    pub group: Option<String>,
}

impl WireCase {
    pub fn new(case: &TestCase) -> WireCase {
        WireCase {
            name: case.name.clone(),
            stdin: encode(&case.stdin),
            args: case.args.clone(),
            stdout: case.stdout.as_deref().map(encode),
            exit_code: case.exit_code,
            limits: case.limits.clone(),
            compare: case.compare,
            group: case.group.clone(),
        }
    }

    /// The case again, as the local grader takes it.
    pub fn case(&self) -> Result<TestCase, String> {
        Ok(TestCase {
            name: self.name.clone(),
            stdin: decode(&self.stdin)?,
            args: self.args.clone(),
            stdout: self.stdout.as_deref().map(decode).transpose()?,
            exit_code: self.exit_code,
            limits: self.limits.clone(),
            compare: self.compare,
            group: self.group.clone(),
            judge_args: Vec::new(),
        })
    }
}

/// Most bytes of a wrong answer's output a `/grade` answer carries (the default output limit):
/// a longer one stays on the server, and the report shows no diff for it.
pub const MAX_ANSWER_OUTPUT: usize = 1 << 20;
/// Most bytes of wrong answers' output one answer carries in all (in case order): a suite of
/// many large wrong answers does not make an answer of gigabytes.
pub const MAX_ANSWER_OUTPUTS: usize = 8 << 20;

/// Into a `/grade` answer (the report as JSON), each wrong answer's output as `output` (base64),
/// for the diff `test --server --html` draws beside the expected output the client has. An
/// optional field: a client that does not know it ignores it.
pub fn attach_outputs(report: &Report, answer: &mut Value) {
    let Some(cases) = answer.get_mut("cases").and_then(Value::as_array_mut) else {
        return;
    };
    let mut budget = MAX_ANSWER_OUTPUTS;
    for (case, json) in report.cases.iter().zip(cases) {
        let wrong = matches!(
            case.verdict,
            Verdict::WrongAnswer | Verdict::PresentationError
        );
        let size = case.stdout.len();
        if wrong && size <= MAX_ANSWER_OUTPUT && size <= budget {
            budget -= size;
            json["output"] = Value::String(encode(&case.stdout));
        }
    }
}

/// The report in a `/grade` answer, each wrong answer's output (from a server that sends it)
/// and its expected output (the client's own case of that name) back in place for the diff.
pub fn report_from_answer(answer: Value, cases: &[TestCase]) -> Result<Report, String> {
    let outputs: Vec<Option<Vec<u8>>> = answer["cases"]
        .as_array()
        .map(|cases| {
            cases
                .iter()
                .map(|c| c["output"].as_str().and_then(|o| decode(o).ok()))
                .collect()
        })
        .unwrap_or_default();
    let mut report: Report = serde_json::from_value(answer).map_err(|e| e.to_string())?;
    for (result, output) in report.cases.iter_mut().zip(outputs) {
        let Some(output) = output else { continue };
        result.stdout = output;
        result.expected = cases
            .iter()
            .find(|c| c.name == result.name)
            .and_then(|c| c.stdout.clone());
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::CaseResult;

    fn case(name: &str, stdout: &str) -> TestCase {
        WireCase {
            name: name.into(),
            stdin: String::new(),
            args: Vec::new(),
            stdout: Some(encode(stdout.as_bytes())),
            exit_code: 0,
            limits: LimitOverrides::default(),
            compare: None,
            group: None,
        }
        .case()
        .unwrap()
    }

    #[test]
    fn a_wrong_answers_output_comes_back_and_an_older_answer_still_reads() {
        let mut wrong = CaseResult::failed("b", Verdict::WrongAnswer, None);
        wrong.stdout = b"\x00no".to_vec();
        let mut crashed = CaseResult::failed("c", Verdict::RuntimeError, None);
        crashed.stdout = b"partial".to_vec();
        let report = Report::new(
            "s.py".into(),
            "python".into(),
            vec![
                CaseResult::failed("a", Verdict::Accepted, None),
                wrong,
                crashed,
            ],
            0,
            None,
        );
        let mut answer = serde_json::to_value(&report).unwrap();
        attach_outputs(&report, &mut answer);
        assert_eq!(answer["cases"][1]["output"], "AG5v");
        assert!(answer["cases"][2].get("output").is_none(), "WA and PE only");
        // Past the budget of the whole answer, the outputs stay on the server.
        let big = |name: &str| {
            let mut case = CaseResult::failed(name, Verdict::WrongAnswer, None);
            case.stdout = vec![b'x'; MAX_ANSWER_OUTPUT];
            case
        };
        let many = Report::new(
            "s.py".into(),
            "python".into(),
            (0..10).map(|i| big(&i.to_string())).collect(),
            0,
            None,
        );
        let mut sent = serde_json::to_value(&many).unwrap();
        attach_outputs(&many, &mut sent);
        let carried = sent["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c.get("output").is_some())
            .count();
        assert_eq!(carried, MAX_ANSWER_OUTPUTS / MAX_ANSWER_OUTPUT);
        let cases = [case("a", "1\n"), case("b", "yes\n"), case("c", "3\n")];
        let back = report_from_answer(answer, &cases).unwrap();
        assert_eq!(back.cases[1].stdout, b"\x00no");
        assert_eq!(back.cases[1].expected.as_deref(), Some(&b"yes\n"[..]));
        assert_eq!(back.cases[2].expected, None);
        // An answer from a server before `output` and `limits`: the same report, no diff or bars.
        let old = serde_json::json!({"solution": "s.py", "language": "python", "verdict": "WA",
            "passed": 0, "total": 1, "skipped": 0, "compile_output": null, "score": 0.0,
            "max_score": 1.0, "cases": [{"name": "b", "verdict": "WA", "time_ms": 5,
            "cpu_ms": null, "memory_bytes": null, "exit_code": 0, "message": null,
            "score": null, "feedback": null}]});
        let back = report_from_answer(old, &cases).unwrap();
        assert_eq!(
            (back.cases[0].limits, back.cases[0].expected.clone()),
            (None, None)
        );
    }
}
