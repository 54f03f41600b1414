//! What a `requirements.txt` may say. The Python profile installs with `--only-binary=:all:` so
//! that no package's build script runs, but pip also reads options from the file itself, and those
//! would undo that: `--no-binary :all:` builds from source (setup.py runs), `--index-url`,
//! `--extra-index-url`, `--find-links` and `--trusted-host` fetch from a server the manifest's
//! author chose, `-r`/`-c` pull in more lines from a URL, `-e` and VCS, URL or path requirements
//! are built from source whatever the format rule says, and `${VAR}` expands the build's
//! environment. So only requirements by name are accepted: a project name, extras, version
//! specifiers, an environment marker and `--hash` values, one per line.

use std::fmt;

use crate::escape;

/// Options that only make pip stricter, accepted on a line of their own.
const HARMLESS_OPTIONS: [&str; 2] = ["--require-hashes", "--pre"];

/// A line of a requirements file codecage refuses, and why (one line, the line quoted escaped).
#[derive(Debug, PartialEq, Eq)]
pub struct RefusedLine {
    pub number: usize,
    pub line: String,
    pub reason: &'static str,
}

impl fmt::Display for RefusedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {} `{}` is refused: {}; only requirements by name (with extras, versions, markers, --hash) are installed, as wheels from the default index",
            self.number,
            escape::line(&self.line),
            self.reason
        )
    }
}

/// The first line pip would read as more than a requirement by name, if any.
pub fn check(content: &[u8]) -> Result<(), RefusedLine> {
    let text = String::from_utf8_lossy(content);
    for (i, raw) in text.lines().enumerate() {
        let refuse = |reason| RefusedLine {
            number: i + 1,
            line: raw.trim().chars().take(200).collect(),
            reason,
        };
        check_line(raw).map_err(refuse)?;
    }
    Ok(())
}

fn check_line(raw: &str) -> Result<(), &'static str> {
    // pip joins a line ending in a backslash with the next one: refused rather than re-joined.
    if raw.trim_end().ends_with('\\') {
        return Err("line continuations are not accepted");
    }
    if raw.contains("${") {
        return Err("environment variables are not expanded");
    }
    let line = strip_comment(raw).trim();
    if line.is_empty() {
        return Ok(());
    }
    let mut tokens = line.split_whitespace().peekable();
    if line.starts_with('-') {
        return match tokens.next() {
            Some(option) if HARMLESS_OPTIONS.contains(&option) && tokens.next().is_none() => Ok(()),
            _ => Err("pip options are not accepted"),
        };
    }
    let mut requirement = String::new();
    while let Some(token) = tokens.next_if(|t| !t.starts_with('-')) {
        requirement.push_str(token);
        requirement.push(' ');
    }
    requirement_by_name(&requirement)?;
    hash_options(tokens)
}

/// pip's comment rule: `#` at the start of a line or after whitespace.
fn strip_comment(line: &str) -> &str {
    if line.starts_with('#') {
        return "";
    }
    let bytes = line.as_bytes();
    match (1..bytes.len()).find(|&i| bytes[i] == b'#' && bytes[i - 1].is_ascii_whitespace()) {
        Some(i) => &line[..i],
        None => line,
    }
}

/// `name[extras] specifiers ; marker`, in characters that cannot spell a URL, a path, a direct
/// reference (`name @ url`) or a VCS link.
fn requirement_by_name(requirement: &str) -> Result<(), &'static str> {
    if !requirement.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("a requirement starts with a project name");
    }
    let allowed = |c: char| {
        c.is_ascii_alphanumeric() || c.is_whitespace() || "._-[],<>=!~*+()'\";".contains(c)
    };
    if requirement.chars().all(allowed) {
        Ok(())
    } else {
        Err("URL, path, VCS and direct (name @ URL) requirements are not accepted")
    }
}

/// After a requirement, only `--hash=ALG:HEX` (or `--hash ALG:HEX`).
fn hash_options<'a>(mut tokens: impl Iterator<Item = &'a str>) -> Result<(), &'static str> {
    let hash = |v: &str| {
        v.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty()
                && alg.chars().all(|c| c.is_ascii_alphanumeric())
                && !hex.is_empty()
                && hex.chars().all(|c| c.is_ascii_hexdigit())
        })
    };
    while let Some(token) = tokens.next() {
        let ok = match token.strip_prefix("--hash") {
            Some("") => tokens.next().is_some_and(hash),
            Some(rest) => rest.strip_prefix('=').is_some_and(hash),
            None => false,
        };
        if !ok {
            return Err("only --hash options may follow a requirement");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(content: &str) -> Option<String> {
        check(content.as_bytes()).err().map(|e| e.to_string())
    }

    #[test]
    fn requirements_by_name_are_accepted() {
        let ok = "# pinned\n\nsix==1.16.0\nnumpy>=1.20,<2  # comment\nrequests[socks] ~= 2.31\n\
                  pandas; python_version >= \"3.8\"\nattrs (>=21)\n--require-hashes\n\
                  idna==3.4 --hash=sha256:90b77e79eaa3eba6de819a0c442c0b4ceefc341a7a2ab77d7562bf49f425c5c2\n\
                  Django==4.2.* --hash sha256:abcdef\n";
        assert_eq!(refused(ok), None);
    }

    #[test]
    fn lines_that_undo_wheels_only_or_the_index_are_refused() {
        for line in [
            "--index-url https://evil.example/simple",
            "-i https://evil.example/simple",
            "--extra-index-url=https://evil.example/simple",
            "--no-binary :all:",
            "--no-binary=:all:",
            "--only-binary=:none:",
            "-f https://evil.example/wheels/",
            "--find-links /tmp",
            "--trusted-host evil.example",
            "--no-index",
            "-e git+https://github.com/x/y#egg=y",
            "--editable .",
            "-r https://evil.example/more.txt",
            "-c constraints.txt",
            "git+https://github.com/x/y.git#egg=y",
            "y @ https://evil.example/y-1.0.tar.gz",
            "y@file:///etc/passwd",
            "https://evil.example/y-1.0.tar.gz",
            "./local/pkg",
            "/abs/pkg",
            "..\\pkg",
            "file:pkg",
            "six --no-binary six",
            "six --install-option=--prefix=/x",
            "six --config-settings=--build-option=x",
            "six --hash=sha256:not-hex!",
            "six==${HOME}",
            "six==1.16.0 \\",
        ] {
            let err = refused(&format!("six\n{line}\n"))
                .unwrap_or_else(|| panic!("{line:?} was accepted"));
            assert!(err.starts_with("line 2 "), "{err}");
        }
    }

    #[test]
    fn the_error_is_one_line_with_the_line_escaped() {
        let err = refused("--index-url https://x/\x1b[2J\n").unwrap();
        assert_eq!(
            err,
            "line 1 `--index-url https://x/\\x1b[2J` is refused: pip options are not accepted; only requirements by name (with extras, versions, markers, --hash) are installed, as wheels from the default index"
        );
    }
}
