//! `compiler_options` and `command_line_arguments`: split like a shell would (quotes, escapes)
//! but without one, into argv elements. Nothing is ever given to a shell; compiler options are
//! further limited to flags, so they cannot name extra inputs or redirect the compiler's output.

/// A character a compiler flag may hold: letters, digits and `-=+,._:/` (no quotes, no `$`,
/// no `@` response files, no spaces after splitting).
fn flag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-=+,._:/".contains(c)
}

/// Compiler flags the compile command must keep to itself: its output file, its plugins and
/// wrappers, a different driver's search path or spec files.
const REFUSED: [&str; 6] = ["-o", "-fplugin", "-wrapper", "-B", "-specs", "--sysroot"];

/// Split and check compiler options; each must be a flag (`-O3`, `-std=c++17`, `-DX=1`, `-lm`).
pub fn compiler_options(text: &str) -> Result<Vec<String>, String> {
    let words = shlex::split(text).ok_or("has unbalanced quotes")?;
    for word in &words {
        if !word.starts_with('-') || word.len() < 2 || !word.chars().all(flag_char) {
            return Err(format!("{word:?} is not a compiler flag"));
        }
        if REFUSED.iter().any(|r| word.starts_with(r)) {
            return Err(format!("{word:?} is not allowed"));
        }
    }
    Ok(words)
}

/// Split the program's arguments; any text is fine, it only becomes argv.
pub fn arguments(text: &str) -> Result<Vec<String>, String> {
    let words = shlex::split(text).ok_or("has unbalanced quotes")?;
    if words.iter().any(|w| w.contains('\0')) {
        return Err("contains a NUL character".into());
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_split_like_a_shell_and_nothing_else_passes() {
        assert_eq!(
            compiler_options("-O3  -std=c++17 '-DNAME=x'").unwrap(),
            ["-O3", "-std=c++17", "-DNAME=x"]
        );
        assert!(compiler_options("-O2; rm -rf /").is_err());
        assert!(compiler_options("$(id)").is_err());
        assert!(compiler_options("@/etc/passwd").is_err());
        assert!(compiler_options("-o /tmp/x").is_err());
        assert!(compiler_options("-fplugin=/x.so").is_err());
        assert!(compiler_options("'-O2").is_err());
    }

    #[test]
    fn arguments_keep_quoted_spaces_and_any_unicode() {
        assert_eq!(
            arguments(r#"a "b c" 'd e' f\ g ünï"#).unwrap(),
            ["a", "b c", "d e", "f g", "ünï"]
        );
        assert!(arguments("\"open").is_err());
    }
}
