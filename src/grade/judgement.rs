//! What a judge program (a checker or an interactor, of any convention) decided about one case:
//! its own file, so each convention's reader (`judge_program/dmoj.rs`) and the judge programs
//! (`judge_program.rs`) use it without importing each other.

use crate::verdict::Verdict;

/// What a judge program decided about one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// testlib's partial credit: the share of the case's value, 0 to 1.
    pub share: Option<f64>,
    /// Kattis' `score.txt` (an absolute score) of an accepted case.
    pub score_file: Option<f64>,
    /// Kattis' `score_multiplier.txt` of an accepted case.
    pub multiplier_file: Option<f64>,
    /// What the judge program said (its message, or why it failed), trimmed.
    pub feedback: Option<String>,
}

impl Judgement {
    /// A verdict with feedback and no score.
    pub fn plain(verdict: Verdict, feedback: Option<String>) -> Judgement {
        Judgement {
            verdict,
            share: None,
            score_file: None,
            multiplier_file: None,
            feedback,
        }
    }

    pub fn internal(feedback: String) -> Judgement {
        Judgement::plain(Verdict::InternalError, Some(feedback))
    }
}
