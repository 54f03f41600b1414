//! Comparing a program's output with the expected output, the ways online judges do.

use std::str::FromStr;

use anyhow::{bail, Result};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Compare {
    /// Byte for byte.
    Exact,
    /// Line by line, ignoring trailing whitespace on each line and trailing blank lines.
    Lines,
    /// Whitespace-separated tokens.
    Tokens,
    /// Tokens, where numbers may differ by an absolute or relative tolerance.
    Float { abs: f64, rel: f64 },
}

impl FromStr for Compare {
    type Err = anyhow::Error;

    /// `exact`, `lines`, `tokens`, `float` (tolerance 1e-6) or `float:TOL`.
    fn from_str(s: &str) -> Result<Compare> {
        Ok(match s {
            "exact" => Compare::Exact,
            "lines" => Compare::Lines,
            "tokens" => Compare::Tokens,
            "float" => Compare::Float { abs: 1e-6, rel: 1e-6 },
            other => match other.strip_prefix("float:").map(str::parse::<f64>) {
                Some(Ok(tol)) if tol >= 0.0 && tol.is_finite() => Compare::Float { abs: tol, rel: tol },
                _ => bail!("unknown comparison {other:?}: use exact, lines, tokens, float or float:TOLERANCE"),
            },
        })
    }
}

impl Compare {
    pub fn matches(self, expected: &[u8], actual: &[u8]) -> bool {
        match self {
            Compare::Exact => expected == actual,
            Compare::Lines => lines(expected) == lines(actual),
            Compare::Tokens => tokens(expected).eq(tokens(actual)),
            Compare::Float { abs, rel } => {
                let (e, a): (Vec<&[u8]>, Vec<&[u8]>) =
                    (tokens(expected).collect(), tokens(actual).collect());
                e.len() == a.len() && e.iter().zip(&a).all(|(e, a)| float_eq(e, a, abs, rel))
            }
        }
    }
}

fn lines(text: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = text.split(|b| *b == b'\n').map(trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn trim_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &line[..end]
}

fn tokens(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
}

fn float_eq(expected: &[u8], actual: &[u8], abs: f64, rel: f64) -> bool {
    if expected == actual {
        return true;
    }
    let parse = |t: &[u8]| {
        std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
    };
    match (parse(expected), parse(actual)) {
        (Some(e), Some(a)) if e.is_finite() && a.is_finite() => {
            let diff = (e - a).abs();
            diff <= abs || diff <= rel * e.abs()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert!(Compare::Exact.matches(b"1\n", b"1\n"));
        assert!(!Compare::Exact.matches(b"1\n", b"1"));
        assert!(Compare::Lines.matches(b"1 2\n3\n", b"1 2   \n3\n\n\n"));
        assert!(Compare::Lines.matches(b"a\r\nb", b"a\nb\n"));
        assert!(!Compare::Lines.matches(b"1 2\n", b"1  2\n"));
        assert!(!Compare::Lines.matches(b"a\n\nb\n", b"a\nb\n"));
        assert!(Compare::Tokens.matches(b"1 2\n3\n", b"1\n2 3"));
        assert!(!Compare::Tokens.matches(b"1 2 3", b"1 2"));
        let f: Compare = "float:1e-3".parse().unwrap();
        assert!(f.matches(b"3.14159 x", b"3.1416 x"));
        assert!(!f.matches(b"3.14159", b"3.15"));
        assert!(!f.matches(b"1 2", b"1"));
        assert!(!f.matches(b"nan", b"nan2"));
        assert!("float"
            .parse::<Compare>()
            .unwrap()
            .matches(b"1000000", b"1000000.5"));
        assert!("fuzzy".parse::<Compare>().is_err());
    }
}
