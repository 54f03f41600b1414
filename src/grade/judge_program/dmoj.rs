//! DMOJ's `bridged` checker types, as its judge defines them (`dmoj/contrib/*.py`, called from
//! `dmoj/checkers/bridged.py`): which arguments the checker gets and what its exit code and
//! output mean. In all of them the checker's stdout is the feedback DMOJ shows.
//!
//! - **default**: `checker INPUT OUTPUT ANSWER`; exit 0 accepted, 1 wrong answer.
//! - **testlib**: the same arguments; 0 accepted, 1 wrong answer, 2 presentation error (DMOJ
//!   counts it as a wrong answer), 3 judge failure, 7 partial credit: a line `points X` on stderr,
//!   X the case's points awarded (absolute), or a percentage with
//!   `treat_checker_points_as_percentage`.
//! - **coci**: testlib's, but partial credit is a line `partial A/B` on stderr, the share A/B.
//! - **peg** (WCIPEG's): `checker ANSWER OUTPUT INPUT`; exit 0 accepted, 1 wrong answer, and
//!   with either, two consecutive stdout lines `A` and `B` with A/B > 0 give the share A/B.
//!
//! An interactor (`interactive:` in `init.yml`, `dmoj/graders/bridged.py`) is judged by the same
//! rules, with other default arguments: `interactor INPUT ANSWER`, testlib's `INPUT OUTPUT
//! ANSWER` (OUTPUT a file it may write). Its stdout is the submission's stdin, so what a checker
//! says on stdout (peg's two lines of a share too) an interactor says on stderr, as in DMOJ.
//!
//! Every other exit code is a judge failure (an internal error), as in DMOJ. A partial result is
//! an accepted case with less than its points, which is how DMOJ shows it.

use crate::grade::judgement::Judgement;
use crate::verdict::Verdict;

/// A `bridged` checker's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmojType {
    Default,
    /// `percentage`: `treat_checker_points_as_percentage`, `points X` is X% of the case.
    Testlib {
        percentage: bool,
    },
    Coci,
    Peg,
}

impl DmojType {
    /// The type named in `init.yml` (`type:`), or `--checker-format`.
    pub fn parse(name: &str) -> Option<DmojType> {
        Some(match name {
            "default" => DmojType::Default,
            "testlib" => DmojType::Testlib { percentage: false },
            "coci" => DmojType::Coci,
            "peg" => DmojType::Peg,
            _ => return None,
        })
    }

    /// The checker's arguments when `args_format_string` does not say.
    pub fn default_args(self) -> &'static str {
        match self {
            DmojType::Peg => "{answer_file} {output_file} {input_file}",
            _ => "{input_file} {output_file} {answer_file}",
        }
    }

    /// An interactor's arguments when `args_format_string` does not say
    /// (`get_interactor_args_format_string` of `dmoj/contrib/`): testlib's `{output_file}` is a
    /// file the interactor may write (testlib's `tout`), which nothing reads.
    pub fn default_interactor_args(self) -> &'static str {
        match self {
            DmojType::Testlib { .. } => "{input_file} {output_file} {answer_file}",
            _ => "{input_file} {answer_file}",
        }
    }
}

/// The placeholders DMOJ fills in an `args_format_string` (and, in its older `args`, the short
/// names), and which of the case's files each stands for.
const FIELDS: [(&str, Field); 6] = [
    ("input_file", Field::Input),
    ("output_file", Field::Output),
    ("answer_file", Field::Answer),
    ("input", Field::Input),
    ("output", Field::Output),
    ("answer", Field::Answer),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Input,
    Output,
    Answer,
}

/// Split an `args_format_string` into the checker's arguments as DMOJ does (Python's
/// `str.format`, then `shlex.split`: the paths it puts in are quoted, so splitting first gives
/// the same words), checking every placeholder now so a typo is a package error, not a judge
/// failure on every case.
pub fn parse_args(template: &str) -> Result<Vec<String>, String> {
    let words =
        shlex::split(template).ok_or_else(|| format!("unbalanced quotes in {template:?}"))?;
    for word in &words {
        fill(word, &|_| String::new())?;
    }
    Ok(words)
}

/// One argument with its placeholders filled (`{{` and `}}` are literal braces, as in Python).
pub fn fill(word: &str, path: &dyn Fn(Field) -> String) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = word;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let brace = &rest[i..i + 1];
        let after = &rest[i + 1..];
        if after.starts_with(brace) {
            out.push_str(brace);
            rest = &after[1..];
            continue;
        }
        let end = match (brace, after.find('}')) {
            ("{", Some(end)) => end,
            _ => return Err(format!("unmatched {brace:?} in {word:?}")),
        };
        let name = &after[..end];
        let Some((_, field)) = FIELDS.iter().find(|(n, _)| *n == name) else {
            return Err(format!(
                "unknown placeholder {{{name}}} (DMOJ fills {{input_file}}, {{output_file}} and \
                 {{answer_file}})"
            ));
        };
        out.push_str(&path(*field));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// What a `bridged` checker's exit `code`, `stdout` and `stderr` (trimmed, `None` when blank)
/// say about the case.
pub fn judgement(
    kind: DmojType,
    role: &str,
    code: i64,
    stdout: Option<String>,
    stderr: Option<String>,
) -> Judgement {
    let err = stderr.clone().unwrap_or_default();
    let feedback = stdout.clone().or(stderr.clone());
    let failed = |what: String| {
        Judgement::internal(format!(
            "the {role} {what}{}",
            feedback
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        ))
    };
    let exited = || failed(format!("exited with status {code}"));
    let partial = |share: f64| Judgement {
        share: Some(share),
        ..Judgement::plain(Verdict::Accepted, feedback.clone())
    };
    match (kind, code) {
        (DmojType::Peg, 0 | 1) => match peg_share(stdout.as_deref().unwrap_or_default()) {
            Some(share) if share > 1.0 => failed(format!("gave {share} of the case's points")),
            Some(share) => partial(share),
            None if code == 0 => Judgement::plain(Verdict::Accepted, feedback),
            None => Judgement::plain(Verdict::WrongAnswer, feedback),
        },
        (DmojType::Peg, _) => exited(),
        (_, 0) => Judgement::plain(Verdict::Accepted, feedback),
        (_, 1) => Judgement::plain(Verdict::WrongAnswer, feedback),
        (DmojType::Default, _) => exited(),
        (_, 2) => Judgement::plain(
            Verdict::WrongAnswer,
            feedback.or(Some("Presentation Error".into())),
        ),
        (_, 3) => failed("failed an assertion".into()),
        (DmojType::Coci, 7) => match coci_share(&err) {
            Some(share) if share <= 1.0 => partial(share),
            Some(share) => failed(format!("gave {share} of the case's points")),
            None => failed("exited 7 (partial) without \"partial A/B\" on stderr".into()),
        },
        (DmojType::Testlib { percentage }, 7) => match testlib_points(&err) {
            Some(p) if percentage && (0.0..=100.0).contains(&p) => partial(p / 100.0),
            Some(p) if percentage => failed(format!("gave {p}%, not 0 to 100")),
            // Absolute points: scored as the case's score (see `Judgement::score_file`).
            Some(p) if p >= 0.0 => Judgement {
                score_file: Some(p),
                ..Judgement::plain(Verdict::Accepted, feedback)
            },
            Some(p) => failed(format!("gave {p} points")),
            None => failed("exited 7 (points) without \"points X\" on stderr".into()),
        },
        _ => exited(),
    }
}

/// testlib's `points X` at the start of a stderr line (DMOJ's `^points (number)`, multiline).
fn testlib_points(stderr: &str) -> Option<f64> {
    stderr.lines().find_map(|line| {
        let number = line.strip_prefix("points ")?;
        let end = number
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(number.len());
        number[..end].parse::<f64>().ok().filter(|p| p.is_finite())
    })
}

/// COCI's whole line `partial A/B` (B not 0), as the share A/B.
fn coci_share(stderr: &str) -> Option<f64> {
    stderr.lines().find_map(|line| {
        let (a, b) = line.strip_prefix("partial ")?.split_once('/')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        if !(digits(a) && digits(b)) {
            return None;
        }
        let (a, b) = (a.parse::<f64>().ok()?, b.parse::<f64>().ok()?);
        (b > 0.0).then(|| a / b)
    })
}

/// PEG's share: the first two consecutive stdout lines that are numbers A and B with A/B > 0.
fn peg_share(stdout: &str) -> Option<f64> {
    let lines: Vec<&str> = stdout.split('\n').collect();
    lines.windows(2).find_map(|pair| {
        let a = pair[0].trim().parse::<f64>().ok()?;
        let b = pair[1].trim().parse::<f64>().ok()?;
        let share = a / b;
        (share.is_finite() && share > 0.0).then_some(share)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(kind: DmojType, code: i64, out: &str, err: &str) -> Judgement {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        judgement(kind, "checker", code, text(out), text(err))
    }

    const TESTLIB: DmojType = DmojType::Testlib { percentage: false };

    #[test]
    fn default_type_is_ac_wa_or_a_judge_failure() {
        let ac = j(DmojType::Default, 0, "ok", "");
        assert_eq!(
            (ac.verdict, ac.feedback.as_deref()),
            (Verdict::Accepted, Some("ok"))
        );
        assert_eq!(
            j(DmojType::Default, 1, "", "").verdict,
            Verdict::WrongAnswer
        );
        assert_eq!(
            j(DmojType::Default, 2, "", "").verdict,
            Verdict::InternalError
        );
        assert_eq!(
            j(DmojType::Default, 7, "", "points 1").verdict,
            Verdict::InternalError
        );
    }

    #[test]
    fn testlib_type_points_are_absolute_or_a_percentage() {
        assert_eq!(j(TESTLIB, 0, "", "").verdict, Verdict::Accepted);
        assert_eq!(j(TESTLIB, 1, "", "").verdict, Verdict::WrongAnswer);
        let pe = j(TESTLIB, 2, "", "");
        assert_eq!(
            (pe.verdict, pe.feedback.as_deref()),
            (Verdict::WrongAnswer, Some("Presentation Error"))
        );
        assert_eq!(j(TESTLIB, 3, "", "bad").verdict, Verdict::InternalError);
        assert_eq!(j(TESTLIB, 4, "", "").verdict, Verdict::InternalError);
        let part = j(TESTLIB, 7, "close", "ok\npoints 12.5 of 20\n");
        assert_eq!(
            (part.verdict, part.score_file, part.share),
            (Verdict::Accepted, Some(12.5), None)
        );
        assert_eq!(j(TESTLIB, 7, "", "points 1e1").score_file, Some(10.0));
        assert_eq!(
            j(TESTLIB, 7, "", "no points").verdict,
            Verdict::InternalError
        );
        assert_eq!(
            j(TESTLIB, 7, "", "points -1").verdict,
            Verdict::InternalError
        );
        let pct = DmojType::Testlib { percentage: true };
        assert_eq!(j(pct, 7, "", "points 40").share, Some(0.4));
        assert_eq!(j(pct, 7, "", "points 140").verdict, Verdict::InternalError);
    }

    #[test]
    fn coci_type_partial_is_a_fraction() {
        let part = j(DmojType::Coci, 7, "", "partial 3/4");
        assert_eq!((part.verdict, part.share), (Verdict::Accepted, Some(0.75)));
        assert_eq!(
            j(DmojType::Coci, 7, "", "x\npartial 1/2\n").share,
            Some(0.5)
        );
        assert_eq!(
            j(DmojType::Coci, 7, "", "partial 5/4").verdict,
            Verdict::InternalError
        );
        assert_eq!(
            j(DmojType::Coci, 7, "", "partial 1/0").verdict,
            Verdict::InternalError
        );
        assert_eq!(
            j(DmojType::Coci, 7, "", "points 3").verdict,
            Verdict::InternalError
        );
        assert_eq!(j(DmojType::Coci, 2, "", "").verdict, Verdict::WrongAnswer);
        assert_eq!(j(DmojType::Coci, 1, "", "").verdict, Verdict::WrongAnswer);
    }

    #[test]
    fn peg_type_partial_is_two_stdout_lines() {
        assert_eq!(j(DmojType::Peg, 0, "", "").verdict, Verdict::Accepted);
        assert_eq!(
            j(DmojType::Peg, 1, "nope", "").verdict,
            Verdict::WrongAnswer
        );
        let part = j(DmojType::Peg, 1, "some lines\n3\n6\n", "");
        assert_eq!((part.verdict, part.share), (Verdict::Accepted, Some(0.5)));
        assert_eq!(j(DmojType::Peg, 0, "0\n6", "").share, None);
        assert_eq!(
            j(DmojType::Peg, 1, "0\n6", "").verdict,
            Verdict::WrongAnswer
        );
        assert_eq!(
            j(DmojType::Peg, 1, "4\n0", "").verdict,
            Verdict::WrongAnswer
        );
        assert_eq!(
            j(DmojType::Peg, 0, "9\n6", "").verdict,
            Verdict::InternalError
        );
        assert_eq!(j(DmojType::Peg, 2, "", "").verdict, Verdict::InternalError);
    }

    #[test]
    fn args_format_strings_fill_like_python() {
        let path = |f: Field| format!("{f:?}").to_lowercase();
        let words = parse_args("--in={input_file} '{answer_file}' {{x}}").unwrap();
        let filled: Vec<String> = words.iter().map(|w| fill(w, &path).unwrap()).collect();
        assert_eq!(filled, ["--in=input", "answer", "{x}"]);
        assert_eq!(fill("{output}", &path).unwrap(), "output");
        assert!(parse_args("{judge_file}")
            .unwrap_err()
            .contains("judge_file"));
        assert!(parse_args("{input_file").is_err());
        assert!(parse_args("'open").is_err());
        assert_eq!(
            parse_args(DmojType::Peg.default_args()).unwrap(),
            ["{answer_file}", "{output_file}", "{input_file}"]
        );
    }
}
