//! Where a DMOJ problem's data files are: in its `archive` zip (read entry by entry, in memory,
//! never extracted) or, as DMOJ's judge falls back to, in the problem folder itself.

use std::io::Read;
use std::path::Path;

use super::super::links::inside;

use super::super::package_error::PackageError;
use super::init_yml::INIT;

pub struct Data {
    dir: std::path::PathBuf,
    archive: Option<(String, zip::ZipArchive<std::fs::File>)>,
}

impl Data {
    pub fn open(dir: &Path, archive: Option<&str>) -> Result<Data, PackageError> {
        let archive = match archive {
            None => None,
            Some(name) => {
                let path = inside(dir, name, INIT)?;
                let file = std::fs::File::open(&path).map_err(|_| {
                    PackageError::invalid(INIT, format!("archive {name:?} is missing"))
                })?;
                let zip = zip::ZipArchive::new(file).map_err(|e| {
                    PackageError::invalid(INIT, format!("archive {name:?} is not a zip file: {e}"))
                })?;
                Some((name.to_string(), zip))
            }
        };
        Ok(Data {
            dir: dir.to_path_buf(),
            archive,
        })
    }

    /// The file `name`, its line endings normalised to `\n` as DMOJ does.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, PackageError> {
        let path = inside(&self.dir, name, INIT)?;
        let bytes = if path.is_file() {
            std::fs::read(&path).map_err(|e| PackageError::io(&self.dir, &path, e))?
        } else if let Some((archive, zip)) = &mut self.archive {
            let mut entry = zip.by_name(name).map_err(|_| {
                PackageError::invalid(
                    INIT,
                    format!("{name:?} is neither in {archive:?} nor in the folder"),
                )
            })?;
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(|e| {
                PackageError::invalid(INIT, format!("{archive:?}: cannot read {name:?}: {e}"))
            })?;
            bytes
        } else {
            return Err(PackageError::missing(name));
        };
        Ok(normalise(&bytes))
    }
}

/// `\r\n` and lone `\r` become `\n`, as DMOJ's judge does to every data file.
pub fn normalise(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' {
            out.push(b'\n');
            if bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        } else {
            out.push(bytes[i]);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_newlines() {
        assert_eq!(normalise(b"a\r\nb\rc\n"), b"a\nb\nc\n");
    }

    #[test]
    fn names_must_stay_inside() {
        let dir = Path::new("/p");
        assert!(inside(dir, "../x", INIT).is_err());
        assert!(inside(dir, "/etc/passwd", INIT).is_err());
        assert!(inside(dir, "a/../../x", INIT).is_err());
        assert_eq!(inside(dir, "d/1.in", INIT).unwrap(), Path::new("/p/d/1.in"));
    }
}
