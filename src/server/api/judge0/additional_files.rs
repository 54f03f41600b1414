//! `additional_files`: a base64 zip whose files join the program's workspace. Extracted in
//! memory, every entry's real (not declared) size counted, so a zip bomb stops at the cap; names
//! are checked later by the workspace's own rules, like every client-named file.

use std::io::{Cursor, Read};

/// Judge0's MAX_EXTRACT_SIZE default: 10240 KB uncompressed.
pub const MAX_EXTRACT_BYTES: u64 = 10240 * 1024;
/// More entries than this is not a program.
const MAX_ENTRIES: usize = 1000;

/// (name, content, executable) of each file; directories are skipped (the workspace makes them).
pub type Files = Vec<(String, Vec<u8>, bool)>;

/// Unpack `zip` (already base64-decoded), refusing more than `MAX_EXTRACT_BYTES` in all.
pub fn extract(zip: &[u8]) -> Result<Files, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip)).map_err(|e| format!("is not a valid zip: {e}"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("has more than {MAX_ENTRIES} entries"));
    }
    let mut files = Vec::new();
    let mut left = MAX_EXTRACT_BYTES;
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| format!("has an unreadable entry: {e}"))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| format!("has an entry with an unreadable name: {e}"))?
            .to_string();
        let executable = entry.unix_mode().is_some_and(|m| m & 0o111 != 0);
        let mut content = Vec::new();
        // Read one byte past what is left, to tell "exactly at the cap" from "past it".
        entry
            .take(left + 1)
            .read_to_end(&mut content)
            .map_err(|e| format!("entry {name:?} cannot be extracted: {e}"))?;
        if content.len() as u64 > left {
            return Err(format!(
                "extracts to more than {} KB",
                MAX_EXTRACT_BYTES / 1024
            ));
        }
        left -= content.len() as u64;
        files.push((name, content, executable));
    }
    Ok(files)
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of `files` (for the tests here and the submission tests).
    pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in files {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn files_come_out_with_their_names() {
        let zip = zip_of(&[("run", b"echo hi"), ("lib/a.txt", b"x")]);
        let files = extract(&zip).unwrap();
        assert_eq!(files[0].0, "run");
        assert_eq!(files[0].1, b"echo hi");
        assert_eq!(files[1].0, "lib/a.txt");
    }

    #[test]
    fn a_bomb_stops_at_the_cap_and_garbage_is_refused() {
        let big = vec![0u8; (MAX_EXTRACT_BYTES + 10) as usize];
        let zip = zip_of(&[("zeros", &big)]);
        assert!(zip.len() < 100_000, "the zip itself is small");
        assert!(extract(&zip).unwrap_err().contains("more than 10240 KB"));
        assert!(extract(b"not a zip")
            .unwrap_err()
            .contains("not a valid zip"));
    }
}
