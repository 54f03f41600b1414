//! Untrusted text made safe for a terminal. A program's output, a checker's feedback, a compiler's
//! diagnostics, a case's or file's name: any of them can carry escape sequences that clear the
//! screen, move the cursor or retitle the window, and so print a fake summary over codecage's own.
//! Everything codecage prints itself goes through here first; a `run`'s passthrough of its
//! program's output does not (that output is the user's own terminal session), and neither do JSON
//! and JUnit, which their formats escape.

use std::borrow::Cow;
use std::fmt::Write;

/// Multi-line text (diagnostics, diffs, feedback): newlines and tabs are kept, as the layout needs
/// them; every other control character is shown as an escape (`\x1b`, `\r`, `\u{9b}`).
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, |c| c == '\n' || c == '\t')
}

/// One line (names, a quoted value in an error, a table cell): newlines and tabs are escaped too.
pub fn line(s: &str) -> Cow<'_, str> {
    escape(s, |_| false)
}

fn escape(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) || keep(c) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\n' => write!(out, "\\n"),
            '\r' => write!(out, "\\r"),
            '\t' => write!(out, "\\t"),
            c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
    Cow::Owned(out)
}

/// C0 controls, DEL, C1 controls (U+009B is a one-character CSI on many terminals), and the
/// bidirectional overrides and isolates that reorder what is shown ("Trojan Source").
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(text("plain\ttext\n"), "plain\ttext\n");
        assert!(matches!(text("ok\n"), Cow::Borrowed(_)));
        assert_eq!(text("\x1b[2J\x1b[HAC\r\x07"), "\\x1b[2J\\x1b[HAC\\r\\x07");
        assert_eq!(text("a\u{9b}31mb\u{7f}\0"), "a\\u{9b}31mb\\x7f\\x00");
        assert_eq!(text("x\u{202e}cod.exe"), "x\\u{202e}cod.exe");
        assert_eq!(line("two\nlines\tand tab"), "two\\nlines\\tand tab");
        // Printable text outside ASCII is left alone.
        assert_eq!(line("ünïcode → ok 🙂"), "ünïcode → ok 🙂");
    }
}
