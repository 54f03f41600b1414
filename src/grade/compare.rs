//! Comparing a program's output with the expected output, the ways online judges do.
//!
//! Besides the plain modes (`exact`, `lines`, `tokens`, `float`) there is [`Compare::Kattis`]:
//! a faithful port of the Kattis default output validator (problemtools'
//! `support/default_validator/default_validator.cc`), because ICPC/Kattis problem packages name
//! its flags (`case_sensitive`, `float_tolerance 1e-6`, ...) and a package judged by anything
//! else would accept or reject outputs its authors did not intend.

use std::str::FromStr;

use anyhow::{bail, Context, Result};

use super::compare_dmoj;

/// Serializable so `test --server` can send it with the cases.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Compare {
    /// Byte for byte.
    Exact,
    /// Line by line, ignoring trailing whitespace on each line and trailing blank lines.
    Lines,
    /// Whitespace-separated tokens.
    Tokens,
    /// Tokens, where numbers may differ by an absolute or relative tolerance.
    Float { abs: f64, rel: f64 },
    /// The Kattis default output validator with the given options.
    Kattis(KattisOptions),
    /// DMOJ's `standard` checker: tokens on lines, blank lines ignored.
    DmojStandard,
    /// DMOJ's `floats` checker: an epsilon of `10^-precision`, by `error_mode`.
    DmojFloats { epsilon: f64, mode: FloatMode },
    /// DMOJ's `sorted` checker: lines (or, `tokens`, tokens) in any order.
    Sorted { tokens: bool },
    /// DMOJ's `easy` checker: the same letters in any order, whitespace and case ignored.
    Easy,
    /// DMOJ's `linecount` checker: answer lines matched one by one, credit for each (see
    /// [`Compare::share`]).
    LineCount,
}

pub use super::compare_dmoj::FloatMode;

/// The options of the Kattis default output validator. `Default` is the validator run without
/// flags: tokens compared case-insensitively, any whitespace run equal to any other, numbers
/// compared as strings.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct KattisOptions {
    /// `case_sensitive`: string tokens must match byte for byte (default: ASCII case ignored).
    pub case_sensitive: bool,
    /// `space_change_sensitive`: every whitespace byte, leading and trailing ones included, must
    /// be the same as in the answer (default: whitespace only separates tokens).
    pub space_change_sensitive: bool,
    /// `float_absolute_tolerance E` (or `float_tolerance E`).
    pub float_abs: Option<f64>,
    /// `float_relative_tolerance E` (or `float_tolerance E`).
    pub float_rel: Option<f64>,
}

impl FromStr for Compare {
    type Err = anyhow::Error;

    /// `exact`, `lines`, `tokens`, `float` (tolerance 1e-6), `float:TOL`, or the Kattis default
    /// validator: `kattis`, or `kattis:` and a comma-separated list of its flags, a flag that
    /// takes a value written `flag=VALUE`, e.g.
    /// `kattis:case_sensitive,space_change_sensitive,float_tolerance=1e-6` (the other two are
    /// `float_absolute_tolerance=E` and `float_relative_tolerance=E`).
    fn from_str(s: &str) -> Result<Compare> {
        Ok(match s {
            "exact" => Compare::Exact,
            "lines" => Compare::Lines,
            "tokens" => Compare::Tokens,
            "float" => Compare::Float {
                abs: 1e-6,
                rel: 1e-6,
            },
            "kattis" => Compare::Kattis(KattisOptions::default()),
            other => {
                if let Some(flags) = other.strip_prefix("kattis:") {
                    return kattis_from_list(flags);
                }
                match other.strip_prefix("float:").map(str::parse::<f64>) {
                    Some(Ok(tol)) if tol >= 0.0 && tol.is_finite() => {
                        Compare::Float { abs: tol, rel: tol }
                    }
                    _ => bail!(
                        "unknown comparison {other:?}: use exact, lines, tokens, float, \
                         float:TOLERANCE, kattis or kattis:FLAG,FLAG=VALUE"
                    ),
                }
            }
        })
    }
}

/// `case_sensitive,float_tolerance=1e-6` -> the same flags as command-line arguments.
fn kattis_from_list(list: &str) -> Result<Compare> {
    let mut args = Vec::new();
    for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        match item.split_once('=') {
            Some((flag, value)) => {
                args.push(flag.trim().to_string());
                args.push(value.trim().to_string());
            }
            None => args.push(item.to_string()),
        }
    }
    Compare::from_kattis_flags(&args).with_context(|| format!("comparison \"kattis:{list}\""))
}

impl Compare {
    /// The Kattis default validator's command-line flags (`validator_flags` in a package), e.g.
    /// `["float_tolerance", "1e-6", "case_sensitive"]`. As in the validator, a later tolerance
    /// replaces an earlier one; unlike it, a negative or non-finite tolerance is an error rather
    /// than silently meaning "no tolerance".
    pub fn from_kattis_flags(flags: &[String]) -> Result<Compare> {
        let mut options = KattisOptions::default();
        let mut flags = flags.iter();
        while let Some(flag) = flags.next() {
            let mut value = || -> Result<f64> {
                let text = flags
                    .next()
                    .with_context(|| format!("validator flag {flag} needs a number after it"))?;
                match c_double(text.as_bytes()) {
                    Some(v) if v >= 0.0 => Ok(v),
                    _ => bail!("validator flag {flag}: {text:?} is not a non-negative number"),
                }
            };
            match flag.as_str() {
                "case_sensitive" => options.case_sensitive = true,
                "space_change_sensitive" => options.space_change_sensitive = true,
                "float_absolute_tolerance" => options.float_abs = Some(value()?),
                "float_relative_tolerance" => options.float_rel = Some(value()?),
                "float_tolerance" => {
                    let tol = value()?;
                    options.float_abs = Some(tol);
                    options.float_rel = Some(tol);
                }
                other => bail!(
                    "unknown default validator flag {other:?}: use case_sensitive, \
                     space_change_sensitive, float_tolerance, float_absolute_tolerance or \
                     float_relative_tolerance"
                ),
            }
        }
        Ok(Compare::Kattis(options))
    }

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
            Compare::Kattis(options) => kattis(options, expected, actual).is_ok(),
            Compare::DmojStandard => compare_dmoj::standard(expected, actual),
            Compare::DmojFloats { epsilon, mode } => {
                compare_dmoj::floats(expected, actual, epsilon, mode)
            }
            Compare::Sorted { tokens } => compare_dmoj::sorted(expected, actual, tokens),
            Compare::Easy => compare_dmoj::easy(expected, actual),
            Compare::LineCount => compare_dmoj::linecount(expected, actual).passed(),
        }
    }

    /// The share of the case a comparison that gives partial credit awards (DMOJ's
    /// `linecount`), 0 to 1; `None` for the comparisons that only accept or reject.
    pub fn share(self, expected: &[u8], actual: &[u8]) -> Option<f64> {
        match self {
            Compare::LineCount => Some(compare_dmoj::linecount(expected, actual).share()),
            _ => None,
        }
    }

    /// Why `actual` does not match `expected`, in one line (None when it matches). Kattis
    /// comparisons give the default validator's own reasons and line numbers.
    pub fn explain(self, expected: &[u8], actual: &[u8]) -> Option<String> {
        if let Compare::Kattis(options) = self {
            return kattis(options, expected, actual).err();
        }
        if let Compare::LineCount = self {
            let lines = compare_dmoj::linecount(expected, actual);
            return (!lines.passed()).then(|| match lines.too_many {
                true => "more lines than the answer".to_string(),
                false => format!("lines right: {}", lines.feedback()),
            });
        }
        if self.matches(expected, actual) {
            return None;
        }
        Some(match self {
            Compare::Exact => first_byte_difference(expected, actual),
            Compare::Lines => first_line_difference(&lines(expected), &lines(actual)),
            Compare::DmojStandard
            | Compare::DmojFloats { .. }
            | Compare::Sorted { .. }
            | Compare::Easy => "the output does not match the answer".to_string(),
            _ => first_token_difference(expected, actual, self),
        })
    }
}

fn first_byte_difference(expected: &[u8], actual: &[u8]) -> String {
    let at = expected
        .iter()
        .zip(actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    let line = 1 + actual.iter().take(at).filter(|b| **b == b'\n').count();
    format!(
        "byte {at} (line {line}) differs: expected {} bytes, got {}",
        expected.len(),
        actual.len()
    )
}

fn first_line_difference(expected: &[&[u8]], actual: &[&[u8]]) -> String {
    let at = expected
        .iter()
        .zip(actual)
        .position(|(e, a)| e != a)
        .unwrap_or(expected.len().min(actual.len()));
    match (expected.get(at), actual.get(at)) {
        (Some(e), Some(a)) => format!("line {}: expected {}, got {}", at + 1, quote(e), quote(a)),
        (Some(e), None) => format!("line {}: expected {}, got end of output", at + 1, quote(e)),
        _ => format!("line {}: expected end of output", at + 1),
    }
}

fn first_token_difference(expected: &[u8], actual: &[u8], mode: Compare) -> String {
    let (e, a): (Vec<&[u8]>, Vec<&[u8]>) = (tokens(expected).collect(), tokens(actual).collect());
    let same = |e: &[u8], a: &[u8]| match mode {
        Compare::Float { abs, rel } => float_eq(e, a, abs, rel),
        _ => e == a,
    };
    let at = e
        .iter()
        .zip(&a)
        .position(|(e, a)| !same(e, a))
        .unwrap_or(e.len().min(a.len()));
    match (e.get(at), a.get(at)) {
        (Some(e), Some(a)) => format!("token {}: expected {}, got {}", at + 1, quote(e), quote(a)),
        (Some(e), None) => format!("token {}: expected {}, got end of output", at + 1, quote(e)),
        _ => format!("token {}: expected end of output", at + 1),
    }
}

/// A token or line for a message: lossy UTF-8, at most 40 characters.
fn quote(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push_str("...");
    }
    format!("{short:?}")
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

/// The default validator's loop, byte for byte: skip (or, space-change sensitive, match) the
/// answer's whitespace, then the output's, then compare one token pair. `Err` carries the
/// validator's reason with the output and answer line numbers it would report.
fn kattis(options: KattisOptions, expected: &[u8], actual: &[u8]) -> Result<(), String> {
    let mut judge = Cursor::new(expected);
    let mut team = Cursor::new(actual);
    let use_floats = options.float_abs.is_some() || options.float_rel.is_some();
    let wrong = |team: &Cursor, judge: &Cursor, why: String| {
        Err(format!(
            "wrong answer on line {} of output (line {} of answer): {why}",
            team.line, judge.line
        ))
    };
    loop {
        while let Some(c) = judge.peek().filter(|b| is_c_space(*b)) {
            judge.bump();
            if options.space_change_sensitive {
                let d = team.bump();
                if d != Some(c) {
                    let got = d.map_or("end of output".to_string(), |d| format!("byte {d}"));
                    return wrong(
                        &team,
                        &judge,
                        format!("space change: expected byte {c}, got {got}"),
                    );
                }
            }
        }
        while let Some(d) = team.peek().filter(|b| is_c_space(*b)) {
            if options.space_change_sensitive {
                return wrong(
                    &team,
                    &judge,
                    format!("space change: answer has no more space, got byte {d}"),
                );
            }
            team.bump();
        }
        let Some(j) = judge.token() else { break };
        let Some(t) = team.token() else {
            return wrong(
                &team,
                &judge,
                format!("output ended, expected {}", quote(j)),
            );
        };
        let (j, t) = (c_str(j), c_str(t));
        match c_double(j).filter(|_| use_floats) {
            Some(jv) => {
                let Some(tv) = c_double(t) else {
                    return wrong(
                        &team,
                        &judge,
                        format!("expected a number, got {}", quote(t)),
                    );
                };
                let diff = (jv - tv).abs();
                let within_abs = options.float_abs.is_some_and(|tol| diff <= tol);
                let within_rel = options.float_rel.is_some_and(|tol| diff <= tol * jv.abs());
                if !within_abs && !within_rel {
                    let why = format!(
                        "expected {}, got {} (difference {diff:e})",
                        quote(j),
                        quote(t)
                    );
                    return wrong(&team, &judge, why);
                }
            }
            None if options.case_sensitive && j != t => {
                return wrong(
                    &team,
                    &judge,
                    format!("expected {}, got {}", quote(j), quote(t)),
                );
            }
            None if !j.eq_ignore_ascii_case(t) => {
                return wrong(
                    &team,
                    &judge,
                    format!("expected {}, got {}", quote(j), quote(t)),
                );
            }
            None => {}
        }
    }
    match team.token() {
        Some(t) => wrong(&team, &judge, format!("trailing output {}", quote(t))),
        None => Ok(()),
    }
}

/// A reading position in one file, counting lines as the validator does.
struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a [u8]) -> Cursor<'a> {
        Cursor {
            text,
            pos: 0,
            line: 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    /// Like C++ `stream >> string`: skip whitespace, then read up to the next whitespace.
    fn token(&mut self) -> Option<&'a [u8]> {
        while self.peek().is_some_and(is_c_space) {
            self.bump();
        }
        let start = self.pos;
        while self.peek().is_some_and(|b| !is_c_space(b)) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).filter(|t| !t.is_empty())
    }
}

/// C's `isspace` in the "C" locale: space, \t, \n, \v, \f, \r (Rust's ASCII whitespace lacks \v).
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The validator compares tokens with `strcmp`/`strcasecmp` on `c_str()`, which stop at a NUL.
fn c_str(token: &[u8]) -> &[u8] {
    let end = token.iter().position(|b| *b == 0).unwrap_or(token.len());
    token.get(..end).unwrap_or(token)
}

/// The validator's `isfloat`: the whole token read by `sscanf("%lf")` (so C's `strtod` syntax,
/// hexadecimal included), and neither infinite nor NaN.
fn c_double(token: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(token).ok()?;
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let value = match unsigned.get(..2) {
        Some("0x" | "0X") => hex_double(unsigned.get(2..)?)?,
        // Rust's decimal syntax is strtod's, but a sign after the sign is not.
        _ if unsigned.starts_with(['+', '-']) => return None,
        _ => unsigned.parse::<f64>().ok()?,
    };
    let value = if negative { -value } else { value };
    value.is_finite().then_some(value)
}

/// The part after `0x` of a C hexadecimal float: hex digits, an optional `.` and more, an
/// optional binary exponent `p[+-]digits`.
fn hex_double(text: &str) -> Option<f64> {
    let (mantissa, exponent) = match text.find(['p', 'P']) {
        Some(i) => (text.get(..i)?, text.get(i + 1..)?.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in whole.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in fraction.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exponent))
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

    fn kattis(flags: &[&str]) -> Compare {
        let flags: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
        Compare::from_kattis_flags(&flags).unwrap()
    }

    #[test]
    fn kattis_default_ignores_case_and_whitespace() {
        let k = kattis(&[]);
        assert!(k.matches(b"Yes\n", b"yES"));
        assert!(k.matches(b"1 2\n3\n", b"  1\t2\r\n\x0b3   \n\n"));
        assert!(!k.matches(b"1 2", b"1 2 3"));
        assert!(!k.matches(b"1 2", b"1"));
        assert!(k.matches(b"", b" \n "));
        // Without a float option numbers are strings (compared up to case).
        assert!(!k.matches(b"1.0", b"1.00"));
        assert!(k.matches(b"1E5", b"1e5"));
        // Case folding is ASCII only.
        assert!(!k.matches("\u{c4}".as_bytes(), "\u{e4}".as_bytes()));
    }

    #[test]
    fn kattis_case_sensitive() {
        let k = kattis(&["case_sensitive"]);
        assert!(k.matches(b"Yes", b"Yes\n"));
        assert!(!k.matches(b"Yes", b"yes"));
    }

    #[test]
    fn kattis_space_change_sensitive() {
        let k = kattis(&["space_change_sensitive"]);
        assert!(k.matches(b"1 2\n", b"1 2\n"));
        assert!(!k.matches(b"1 2\n", b"1  2\n"));
        assert!(!k.matches(b"1 2\n", b"1\t2\n"));
        // Trailing whitespace must be exactly the answer's, no more and no less.
        assert!(!k.matches(b"1 2\n", b"1 2"));
        assert!(!k.matches(b"1 2\n", b"1 2\n\n"));
        assert!(!k.matches(b"1 2", b" 1 2"));
        // Still case-insensitive.
        assert!(k.matches(b"a b\n", b"A B\n"));
    }

    #[test]
    fn kattis_float_tolerances() {
        let abs = kattis(&["float_absolute_tolerance", "0.01"]);
        assert!(abs.matches(b"1.000", b"1.005"));
        assert!(abs.matches(b"0.0314", b"3.14000000e-2"));
        assert!(!abs.matches(b"1000", b"1000.5"));
        assert!(!abs.matches(b"1.0", b"one"));
        // A token that is not a number in the answer is still a string.
        assert!(abs.matches(b"x 1", b"X 1.001"));
        let rel = kattis(&["float_relative_tolerance", "1e-3"]);
        assert!(rel.matches(b"1000", b"1000.5"));
        assert!(!rel.matches(b"0.001", b"0.0011"));
        let both = kattis(&["float_tolerance", "1e-6"]);
        assert!(both.matches(b"0", b"0.0000001"));
        assert!(both.matches(b"1000000", b"1000000.5"));
        assert!(!both.matches(b"1", b"1.1"));
        // strtod syntax: hexadecimal is a number, inf and nan are not.
        assert!(both.matches(b"16", b"0x10"));
        assert!(both.matches(b"1.5", b"0x1.8p0"));
        assert!(!both.matches(b"inf", b"1"));
        assert!(both.matches(b"inf", b"INF"));
        assert!(!both.matches(b"1", b"nan"));
    }

    #[test]
    fn kattis_flags_are_checked() {
        let bad = |flags: &[&str]| {
            let flags: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
            Compare::from_kattis_flags(&flags).unwrap_err().to_string()
        };
        assert!(bad(&["ignore_case"]).contains("unknown default validator flag \"ignore_case\""));
        assert!(bad(&["float_tolerance"]).contains("needs a number"));
        assert!(bad(&["float_tolerance", "x"]).contains("not a non-negative number"));
        assert!(bad(&["float_tolerance", "-1"]).contains("not a non-negative number"));
        assert_eq!(
            "kattis:case_sensitive, float_tolerance=1e-6"
                .parse::<Compare>()
                .unwrap(),
            kattis(&["case_sensitive", "float_tolerance", "1e-6"])
        );
        assert_eq!("kattis".parse::<Compare>().unwrap(), kattis(&[]));
        let err = "kattis:fuzzy".parse::<Compare>().unwrap_err();
        assert!(format!("{err:#}").contains("unknown default validator flag"));
    }

    #[test]
    fn explanations() {
        let k = kattis(&[]);
        assert_eq!(k.explain(b"1\n2\n", b"1\n2\n"), None);
        assert_eq!(
            k.explain(b"1\n5\n", b"1\n6\n").unwrap(),
            "wrong answer on line 2 of output (line 2 of answer): expected \"5\", got \"6\""
        );
        assert!(k
            .explain(b"1", b"1 2")
            .unwrap()
            .contains("trailing output \"2\""));
        assert!(k.explain(b"1 2", b"1").unwrap().contains("output ended"));
        assert_eq!(
            Compare::Lines.explain(b"a\nb\n", b"a\nc\n").unwrap(),
            "line 2: expected \"b\", got \"c\""
        );
        assert_eq!(
            Compare::Tokens.explain(b"1 2", b"1").unwrap(),
            "token 2: expected \"2\", got end of output"
        );
        assert!(Compare::Exact
            .explain(b"ab", b"ac")
            .unwrap()
            .starts_with("byte 1"));
        assert_eq!(Compare::Exact.explain(b"a", b"a"), None);
    }
}
