//! Base64 the way Judge0 speaks it: Ruby's `Base64.encode64` out (a line break every 60
//! characters and one at the end), and in as leniently as Ruby's `Base64.decode64` reads it
//! (line breaks anywhere, padding or none, stray bits after the last byte), so what Judge0
//! accepts is accepted here.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// The standard alphabet, decoded like Ruby's decode64.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Judge0's output shape (an empty text stays empty; empty outputs are null before this).
pub fn encode(bytes: &[u8]) -> String {
    let flat = STANDARD.encode(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 60 + 1);
    for chunk in flat.as_bytes().chunks(60) {
        // Base64 is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Decode with or without line breaks and padding; `None` when it is not base64.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let flat: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT.decode(flat).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_sixty_and_a_final_newline_like_ruby() {
        let encoded = encode(&[0xffu8; 100]);
        let lines: Vec<&str> = encoded.lines().collect();
        assert_eq!(lines[0].len(), 60);
        assert!(encoded.ends_with('\n'));
        assert_eq!(decode(&encoded).unwrap(), vec![0xffu8; 100]);
        assert_eq!(encode(b""), "");
    }

    #[test]
    fn both_shapes_decode_and_garbage_does_not() {
        assert_eq!(decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode("aGVs\nbG8=\n").unwrap(), b"hello");
        assert!(decode("not base64!").is_none());
        // Ruby's decode64: padding or none, trailing bits allowed.
        assert_eq!(decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(decode("aGVsbG9=").unwrap(), b"hello");
        assert_eq!(decode("aGk").unwrap(), b"hi");
        assert!(decode("a").is_none());
    }
}
