//! DMOJ's built-in checkers that codecage's other comparisons do not match exactly, ported from
//! its judge (`dmoj/checkers/_checker.c`, `floats.py`, `sorted.py`, `easy.py`, `linecount.py`).

/// How `floats` accepts a number (`error_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FloatMode {
    /// Within the absolute or the relative error.
    Default,
    Absolute,
    Relative,
}

fn white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\n' | b'\r')
}

/// Skip whitespace from `*at`: 2 if it held a line break, 1 if only spaces, 0 if none.
fn skip(s: &[u8], at: &mut usize) -> u8 {
    let (mut line, mut space) = (false, false);
    while *at < s.len() && white(s[*at]) {
        line |= matches!(s[*at], b'\n' | b'\r');
        space = true;
        *at += 1;
    }
    if line {
        2
    } else {
        u8::from(space)
    }
}

/// `standard`: the same tokens on the same lines, where runs of spaces are one separator, a run
/// holding a line break another, and leading, trailing and blank lines do not count.
pub fn standard(judge: &[u8], process: &[u8]) -> bool {
    let (mut j, mut p) = (0, 0);
    skip(judge, &mut j);
    skip(process, &mut p);
    let (mut js, mut ps) = (0, 0);
    loop {
        if j == judge.len() || p == process.len() {
            return j == judge.len() && p == process.len();
        }
        if js != ps {
            return false;
        }
        while j < judge.len() && !white(judge[j]) {
            if p >= process.len() || judge[j] != process[p] {
                return false;
            }
            j += 1;
            p += 1;
        }
        js = skip(judge, &mut j);
        ps = skip(process, &mut p);
    }
}

/// Python's `bytes.split()` on ASCII whitespace.
fn split(s: &[u8]) -> Vec<&[u8]> {
    s.split(|b| white(*b)).filter(|t| !t.is_empty()).collect()
}

/// Non-empty lines, split on `\r` or `\n`.
fn lines(s: &[u8]) -> Vec<&[u8]> {
    s.split(|b| matches!(b, b'\n' | b'\r'))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Python's `float()` on a token: Rust's parser takes the same decimal, `inf` and `nan`
/// spellings, and underscores (which Python also takes between digits) are rare enough in
/// output to be treated as text.
fn number(token: &[u8]) -> Option<f64> {
    std::str::from_utf8(token).ok()?.parse::<f64>().ok()
}

/// `floats`: the same non-empty lines, each with as many tokens; a judge token that is a number
/// takes a number within `epsilon` (by `mode`), any other token must be equal.
pub fn floats(judge: &[u8], process: &[u8], epsilon: f64, mode: FloatMode) -> bool {
    let (jl, pl) = (lines(judge), lines(process));
    jl.len() == pl.len()
        && jl.iter().zip(&pl).all(|(j, p)| {
            let (jt, pt) = (split(j), split(p));
            jt.len() == pt.len()
                && jt
                    .iter()
                    .zip(&pt)
                    .all(|(j, p)| float_token(j, p, epsilon, mode))
        })
}

fn float_token(judge: &[u8], process: &[u8], epsilon: f64, mode: FloatMode) -> bool {
    let Some(j) = number(judge) else {
        return judge == process;
    };
    let Some(p) = number(process) else {
        return false;
    };
    // Written so that a NaN from the submission is always rejected, as in DMOJ.
    let absolute = (p - j).abs() <= epsilon;
    let relative = || {
        let (a, b) = (j * (1.0 - epsilon), j * (1.0 + epsilon));
        a.min(b) <= p && p <= a.max(b)
    };
    match mode {
        FloatMode::Absolute => absolute,
        FloatMode::Relative => relative(),
        FloatMode::Default => absolute || (j.abs() >= epsilon && (1.0 - p / j).abs() <= epsilon),
    }
}

/// `sorted`: the same lines in any order, each compared by its tokens (`tokens`: the same
/// tokens in any order).
pub fn sorted(judge: &[u8], process: &[u8], tokens: bool) -> bool {
    let parts = |s| -> Vec<Vec<&[u8]>> {
        let mut v: Vec<Vec<&[u8]>> = if tokens {
            split(s).into_iter().map(|t| vec![t]).collect()
        } else {
            lines(s).into_iter().map(split).collect()
        };
        v.sort();
        v
    };
    parts(judge) == parts(process)
}

/// `easy`: the same count of each byte, whitespace dropped and ASCII letters lowercased.
pub fn easy(judge: &[u8], process: &[u8]) -> bool {
    let counts = |s: &[u8]| {
        let mut c = [0usize; 256];
        for b in s.iter().filter(|b| !white(**b)) {
            c[usize::from(b.to_ascii_lowercase())] += 1;
        }
        c
    };
    counts(judge) == counts(process)
}

/// What `linecount` found: the judge's non-empty lines, and which the output matched.
#[derive(Debug, Clone, PartialEq)]
pub struct LineCount {
    /// One per judge line, `true` where the output's line at the same place matched.
    pub marks: Vec<bool>,
    /// The output had more non-empty lines than the answer: rejected outright, no credit.
    pub too_many: bool,
}

impl LineCount {
    /// Every line right (an empty answer takes any output that is not too long).
    pub fn passed(&self) -> bool {
        !self.too_many && self.marks.iter().all(|m| *m)
    }

    /// The share of the case earned: the lines right over the answer's lines.
    pub fn share(&self) -> f64 {
        match (self.too_many, self.marks.len()) {
            (true, _) => 0.0,
            (false, 0) => 1.0,
            (false, n) => self.marks.iter().filter(|m| **m).count() as f64 / n as f64,
        }
    }

    /// DMOJ's feedback: a `✓` or `✗` per answer line.
    pub fn feedback(&self) -> String {
        self.marks
            .iter()
            .map(|m| if *m { '\u{2713}' } else { '\u{2717}' })
            .collect()
    }
}

/// `linecount` (ECOO's): the non-empty lines of output and answer paired in order, each pair
/// equal once stripped of surrounding whitespace; credit is the share of answer lines matched.
pub fn linecount(judge: &[u8], process: &[u8]) -> LineCount {
    let (jl, pl) = (lines(judge), lines(process));
    let strip = |l: &[u8]| -> Vec<u8> {
        let start = l.iter().position(|b| !white(*b)).unwrap_or(l.len());
        let end = l.iter().rposition(|b| !white(*b)).map_or(start, |e| e + 1);
        l[start..end.max(start)].to_vec()
    };
    LineCount {
        marks: jl
            .iter()
            .enumerate()
            .map(|(i, j)| pl.get(i).is_some_and(|p| strip(p) == strip(j)))
            .collect(),
        too_many: pl.len() > jl.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_keeps_lines_but_not_spacing() {
        assert!(standard(b"1 2\n3\n", b"  1   2\n\n\n3"));
        assert!(standard(b"1 2\n3\n", b"1 2\r\n3\r\n\n"));
        assert!(!standard(b"1 2\n3\n", b"1\n2 3\n"));
        assert!(!standard(b"1 2\n", b"1 2 3\n"));
        assert!(!standard(b"12\n", b"1 2\n"));
        assert!(!standard(b"1\n", b"12\n"));
        assert!(!standard(b"a\n", b"A\n"));
        assert!(standard(b"", b" \n"));
        assert!(!standard(b"", b"x"));
    }

    #[test]
    fn floats_by_mode() {
        let d = FloatMode::Default;
        assert!(floats(b"0.5 x\n", b"0.5000001 x\n", 1e-6, d));
        assert!(!floats(b"0.5 x\n", b"0.5000001 y\n", 1e-6, d));
        assert!(!floats(b"0.5\n", b"0.51\n", 1e-6, d));
        assert!(floats(b"1000000\n", b"1000000.5\n", 1e-6, d));
        assert!(!floats(
            b"1000000\n",
            b"1000000.5\n",
            1e-6,
            FloatMode::Absolute
        ));
        assert!(floats(
            b"1000000\n",
            b"1000000.5\n",
            1e-6,
            FloatMode::Relative
        ));
        assert!(!floats(b"0\n", b"0.0000001\n", 1e-6, FloatMode::Relative));
        assert!(!floats(b"1\n", b"nan\n", 1e-6, d));
        assert!(!floats(b"1\n2\n", b"1 2\n", 1e-6, d));
        assert!(floats(b"1\n\n2\n", b"1\n2", 1e-6, d));
    }

    #[test]
    fn sorted_lines_or_tokens() {
        assert!(sorted(b"a b\nc\n", b"c\na  b\n", false));
        assert!(!sorted(b"a b\nc\n", b"b a\nc\n", false));
        assert!(sorted(b"a b\nc\n", b"c b\na\n", true));
        assert!(!sorted(b"a b\n", b"a a\n", true));
    }

    #[test]
    fn easy_counts_letters() {
        assert!(easy(b"Hello World\n", b"dlrow olleh"));
        assert!(!easy(b"Hello\n", b"Helo\n"));
    }

    #[test]
    fn linecount_credits_each_line() {
        let got = linecount(b"1\n2\n3\n4\n", b"1\n  2 \r\nx\n");
        assert_eq!(got.marks, [true, true, false, false]);
        assert!(!got.passed());
        assert_eq!(got.share(), 0.5);
        assert_eq!(got.feedback(), "\u{2713}\u{2713}\u{2717}\u{2717}");
        let all = linecount(b"a\n\nb\n", b"a\nb");
        assert!(all.passed() && all.share() == 1.0);
        let long = linecount(b"a\n", b"a\nb\n");
        assert!(!long.passed() && long.share() == 0.0);
        assert!(linecount(b"\n", b"").passed());
        assert_eq!(linecount(b"1 2\n", b"1  2\n").share(), 0.0);
    }
}
