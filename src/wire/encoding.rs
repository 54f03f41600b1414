//! Byte strings on the wire: base64, so any program output or input survives JSON unchanged.

use base64::Engine;

/// `bytes` as base64 (the standard alphabet, padded).
pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// base64 back to bytes, or the error a job or a grading request reports.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("bad base64 in a job: {e}"))
}
