//! A failed install's build log, turned into what a user can act on: the installer's own output
//! (without the builder's chatter, stack frames or colour codes) and the one line that says what
//! went wrong, for the one-line error and the API's summary.

/// The installer's output from a failed build: the lines after the install step began, and the
/// line that best says what went wrong (the first error line that says something).
pub fn install_failure(log: &str) -> (Vec<String>, String) {
    let lines: Vec<&str> = log.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.starts_with("Step ") && l.contains("mkdir -p"))
        .map_or(0, |i| i + 1);
    // The installer's own words, without the builder's chatter and without stack frames (a
    // Ruby backtrace would push the message itself out of view).
    let output: Vec<String> = lines[start..]
        .iter()
        .map(|l| strip_escapes(l))
        .filter(|l| {
            let t = l.trim_start();
            let chatter = l.starts_with(" ---> ")
                || l.starts_with("Removing intermediate container")
                || t.is_empty();
            let stack_frame = (t.starts_with('/') && t.contains(":in `"))
                || (t.starts_with("at ") && t.contains(".js:"));
            !chatter && !stack_frame
        })
        .collect();
    // The key line: the first one the installer marked as an error that says something (pip's
    // "ERROR: Could not find a version ...", npm's "404 Not Found - GET ..."), not an error code
    // alone or a pointer to a log file, with its indented continuation (RubyGems puts the
    // reason there).
    let informative = |l: &str| {
        let t = l.trim_start();
        let lower = t.to_ascii_lowercase();
        let rest = ["npm err!", "npm error", "error:", "error"]
            .iter()
            .find_map(|p| lower.strip_prefix(p))
            .map(str::trim);
        let Some(rest) = rest else { return false };
        let words: Vec<&str> = rest.split_whitespace().collect();
        !(words.is_empty()
            || words.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()))
            || words[0] == "code"
            || lower.contains("complete log")
            || lower.contains("returned a non-zero code")
            || rest.ends_with(".log")
            || words.get(1) == Some(&"note"))
    };
    let summary = match output.iter().position(|l| informative(l)) {
        Some(i) => {
            let mut line = output[i].trim().to_string();
            if let Some(next) = output.get(i + 1) {
                let continuation = next.starts_with([' ', '\t'])
                    && !next.trim_start().to_ascii_lowercase().starts_with("npm");
                if continuation {
                    line = format!("{line} {}", next.trim());
                }
            }
            line
        }
        None => output
            .last()
            .map(|l| l.trim().to_string())
            .unwrap_or_else(|| "the installer failed".to_string()),
    };
    (output, summary)
}

/// The engine colours a build's stderr (`ESC[91m`); a message for a terminal or a log has no use
/// for that, and no program output should reach the user's terminal as control sequences anyway.
fn strip_escapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else if !c.is_control() || c == '\t' {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installers_own_error_is_the_summary() {
        let log = "Step 6/9 : RUN [\"sh\", \"-c\", \"set -e; mkdir -p /deps/out; pip install\"]\n ---> Running in 12\nCollecting x\n\x1b[91mERROR: Could not find a version that satisfies the requirement nonexistent\n\x1b[0m\nRemoving intermediate container 12\n\x1b[91mERROR: No matching distribution found for nonexistent\nThe command 'sh -c ...' returned a non-zero code: 1\n";
        let (out, summary) = install_failure(log);
        assert_eq!(
            summary,
            "ERROR: Could not find a version that satisfies the requirement nonexistent"
        );
        assert_eq!(out[0], "Collecting x");
        assert!(
            out.iter()
                .all(|l| !l.contains('\x1b') && !l.starts_with("Removing")),
            "{out:?}"
        );
    }
}
