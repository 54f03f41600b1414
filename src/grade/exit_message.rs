//! How a runtime error is explained, the same in every report and for every kind of problem.

use crate::sandbox::Outcome;

/// "exit status 139 (signal 11)": how a runtime error is explained in every report.
pub fn exit_message(outcome: &Outcome) -> String {
    let code = outcome.exit_code.unwrap_or(-1);
    let signal = outcome
        .signal()
        .map_or(String::new(), |n| format!(" (signal {n})"));
    format!("exit status {code}{signal}")
}
