//! Polygon's path patterns (`tests/%02d`, `tests/%02d.a`): a C `printf` format with one integer
//! conversion, the test's number from 1.

/// A path pattern, checked once.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    before: String,
    /// `%05d`: pad with zeros (else spaces, as printf does) to `width`.
    zeros: bool,
    width: usize,
    after: String,
}

impl Pattern {
    /// `text` must hold exactly one `%d` (with an optional `0` flag and width; `%i` and `%u` too)
    /// and may hold `%%`.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        if text.chars().any(char::is_control) {
            return Err(format!("{text:?} has a control character"));
        }
        // The text before the number, once it is found, and the text being read.
        let mut before = None;
        let mut current = String::new();
        let mut spec = None;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                current.push(c);
                continue;
            }
            if chars.next_if_eq(&'%').is_some() {
                current.push('%');
                continue;
            }
            let zeros = chars.next_if_eq(&'0').is_some();
            let mut width = String::new();
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                width.push(d);
            }
            match chars.next() {
                Some('d' | 'i' | 'u') if spec.is_none() => {
                    let width = if width.is_empty() {
                        0
                    } else {
                        width
                            .parse::<usize>()
                            .ok()
                            .filter(|w| *w <= 32)
                            .ok_or_else(|| format!("{text:?}: width {width} is too wide"))?
                    };
                    spec = Some((zeros, width));
                    before = Some(std::mem::take(&mut current));
                }
                Some('d' | 'i' | 'u') => return Err(format!("{text:?} has two numbers")),
                _ => {
                    return Err(format!(
                        "{text:?}: only one %d (as in tests/%02d) is understood"
                    ))
                }
            }
        }
        let Some((zeros, width)) = spec else {
            return Err(format!("{text:?} has no %d for the test's number"));
        };
        Ok(Pattern {
            before: before.unwrap_or_default(),
            zeros,
            width,
            after: current,
        })
    }

    /// The path of test `n`.
    pub fn path(&self, n: usize) -> String {
        format!("{}{}{}", self.before, self.number(n), self.after)
    }

    /// The number alone as the pattern writes it: `07` for `%02d`.
    pub fn number(&self, n: usize) -> String {
        match self.zeros {
            true => format!("{n:0width$}", width = self.width),
            false => format!("{n:>width$}", width = self.width),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_patterns() {
        let p = Pattern::parse("tests/%02d.a").unwrap();
        assert_eq!(p.path(7), "tests/07.a");
        assert_eq!(p.path(123), "tests/123.a");
        assert_eq!(p.number(7), "07");
        assert_eq!(Pattern::parse("t/%d").unwrap().path(5), "t/5");
        assert_eq!(Pattern::parse("t/%3d").unwrap().path(5), "t/  5");
        assert_eq!(
            Pattern::parse("t/100%%/%03i").unwrap().path(5),
            "t/100%/005"
        );
        assert!(Pattern::parse("tests/01").is_err());
        assert!(Pattern::parse("tests/%s").is_err());
        assert!(Pattern::parse("%d/%d").is_err());
        assert!(Pattern::parse("%099999999999d").is_err());
    }
}
