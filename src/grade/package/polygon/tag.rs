//! Polygon's solution tags (`<solution tag="...">` in `problem.xml`) and what each promises of a
//! solution's verdicts, case by case, for `codecage verify`.

use crate::verdict::Verdict;

/// A solution's tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// `main`: the main correct solution (in a standard package, the one that makes the answers).
    Main,
    Accepted,
    /// `rejected` (Polygon's "incorrect"): fails somehow.
    Rejected,
    WrongAnswer,
    PresentationError,
    TimeLimit,
    TimeLimitOrAccepted,
    TimeOrMemoryLimit,
    MemoryLimit,
    /// `failed` (also spelled `runtime-error` by some tools): crashes on some case.
    Failed,
}

/// What a tag asks of a solution's verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every case accepted (and, for a scoring problem, the full score).
    AllAccepted,
    /// Some case gets one of these verdicts; the others may get any verdict a judge gives.
    SomeCase(&'static [Verdict]),
    /// Every case gets one of these verdicts.
    EveryCase(&'static [Verdict]),
}

/// The tag of a solution that is not to be run at all.
pub const DO_NOT_RUN: &str = "do-not-run";

/// Every verdict that judges a solution (not a compile error, an internal error or a cancel).
const JUDGED: &[Verdict] = &[
    Verdict::Accepted,
    Verdict::WrongAnswer,
    Verdict::PresentationError,
    Verdict::TimeLimit,
    Verdict::MemoryLimit,
    Verdict::RuntimeError,
    Verdict::OutputLimit,
];

impl Tag {
    /// The tag called `name`; `None` for a name Polygon does not use, and for `do-not-run`
    /// (`DO_NOT_RUN`).
    pub fn parse(name: &str) -> Option<Tag> {
        Some(match name {
            "main" => Tag::Main,
            "accepted" => Tag::Accepted,
            "rejected" => Tag::Rejected,
            "wrong-answer" => Tag::WrongAnswer,
            "presentation-error" => Tag::PresentationError,
            "time-limit-exceeded" => Tag::TimeLimit,
            "time-limit-exceeded-or-accepted" => Tag::TimeLimitOrAccepted,
            "time-limit-exceeded-or-memory-limit-exceeded" => Tag::TimeOrMemoryLimit,
            "memory-limit-exceeded" => Tag::MemoryLimit,
            "failed" | "runtime-error" => Tag::Failed,
            _ => return None,
        })
    }

    /// The tag as `problem.xml` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Tag::Main => "main",
            Tag::Accepted => "accepted",
            Tag::Rejected => "rejected",
            Tag::WrongAnswer => "wrong-answer",
            Tag::PresentationError => "presentation-error",
            Tag::TimeLimit => "time-limit-exceeded",
            Tag::TimeLimitOrAccepted => "time-limit-exceeded-or-accepted",
            Tag::TimeOrMemoryLimit => "time-limit-exceeded-or-memory-limit-exceeded",
            Tag::MemoryLimit => "memory-limit-exceeded",
            Tag::Failed => "failed",
        }
    }

    pub fn rule(self) -> Rule {
        use Verdict::*;
        match self {
            Tag::Main | Tag::Accepted => Rule::AllAccepted,
            // Any failure a judge gives.
            Tag::Rejected => Rule::SomeCase(&JUDGED[1..]),
            Tag::WrongAnswer => Rule::SomeCase(&[WrongAnswer]),
            Tag::PresentationError => Rule::SomeCase(&[PresentationError]),
            Tag::TimeLimit => Rule::SomeCase(&[TimeLimit]),
            Tag::TimeLimitOrAccepted => Rule::EveryCase(&[Accepted, TimeLimit]),
            Tag::TimeOrMemoryLimit => Rule::SomeCase(&[TimeLimit, MemoryLimit]),
            Tag::MemoryLimit => Rule::SomeCase(&[MemoryLimit]),
            Tag::Failed => Rule::SomeCase(&[RuntimeError]),
        }
    }

    /// Whether one case may get `verdict`.
    pub fn permits(self, verdict: Verdict) -> bool {
        match self.rule() {
            Rule::AllAccepted => verdict == Verdict::Accepted,
            Rule::SomeCase(_) => JUDGED.contains(&verdict),
            Rule::EveryCase(allowed) => allowed.contains(&verdict),
        }
    }

    /// Whether some case got what the tag requires (always, for tags that require nothing).
    pub fn required_met(self, verdicts: impl IntoIterator<Item = Verdict>) -> bool {
        match self.rule() {
            Rule::SomeCase(wanted) => verdicts.into_iter().any(|v| wanted.contains(&v)),
            Rule::AllAccepted | Rule::EveryCase(_) => true,
        }
    }

    /// The verdicts of which some case needs one, for messages: "TLE or MLE"; `None` when none
    /// is required.
    pub fn required_names(self) -> Option<String> {
        match self.rule() {
            Rule::SomeCase(wanted) if wanted.len() > 2 => Some("a failure".to_string()),
            Rule::SomeCase(wanted) => Some(codes(wanted)),
            Rule::AllAccepted | Rule::EveryCase(_) => None,
        }
    }

    /// The verdicts a case may get, for messages: "AC or TLE".
    pub fn permitted_names(self) -> String {
        match self.rule() {
            Rule::AllAccepted => "AC".to_string(),
            Rule::SomeCase(_) => "any".to_string(),
            Rule::EveryCase(allowed) => codes(allowed),
        }
    }
}

fn codes(verdicts: &[Verdict]) -> String {
    let codes: Vec<&str> = verdicts.iter().map(|v| v.code()).collect();
    codes.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_their_rules() {
        assert_eq!(Tag::parse("main"), Some(Tag::Main));
        assert_eq!(Tag::parse("runtime-error"), Some(Tag::Failed));
        assert_eq!(Tag::parse(DO_NOT_RUN), None);
        assert_eq!(Tag::parse("ok"), None);
        let v = Verdict::TimeLimit;
        assert!(Tag::TimeLimitOrAccepted.permits(v));
        assert!(!Tag::TimeLimitOrAccepted.permits(Verdict::WrongAnswer));
        assert!(Tag::WrongAnswer.permits(v));
        assert!(!Tag::WrongAnswer.permits(Verdict::InternalError));
        assert!(Tag::TimeOrMemoryLimit.required_met([Verdict::Accepted, Verdict::MemoryLimit]));
        assert!(!Tag::Rejected.required_met([Verdict::Accepted]));
        assert!(Tag::Rejected.required_met([Verdict::OutputLimit]));
        assert!(!Tag::Failed.required_met([Verdict::MemoryLimit]));
        assert_eq!(
            Tag::TimeOrMemoryLimit.required_names().as_deref(),
            Some("TLE or MLE")
        );
        assert_eq!(Tag::TimeLimitOrAccepted.permitted_names(), "AC or TLE");
    }
}
