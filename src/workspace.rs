//! The files a program runs with, and the only way they cross into a sandbox: an uncompressed tar
//! that codecage builds itself (regular files only, fixed modes, validated relative names).
//! Compile artifacts coming back out of a compile sandbox are untrusted bytes on stdout: they are
//! parsed strictly and re-packed, never extracted on the host.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use anyhow::{bail, Context, Result};

use crate::sandbox_user::SANDBOX_UID;

/// Most files a workspace may hold.
const MAX_FILES: usize = 4096;
/// Longest relative name, in bytes.
const MAX_NAME: usize = 1024;

/// Deepest directory nesting [`link_leaving`] walks, and most entries it looks at: a package is
/// test data and a few programs, not a file system.
const MAX_TREE_DEPTH: usize = 64;
const MAX_TREE_ENTRIES: usize = 200_000;

/// A symbolic link below a directory whose target is not inside it.
#[derive(Debug, PartialEq, Eq)]
pub struct LinkLeaving {
    /// The link, relative to the directory walked.
    pub link: std::path::PathBuf,
    /// What the link says (its text, not resolved).
    pub target: std::path::PathBuf,
}

/// The first symbolic link below `root` that leads out of it, or to nothing. Directory links are
/// checked, not followed, so a walk cannot loop; with every link checked, any path that starts in
/// `root` stays in it. Links that stay inside are allowed: packages link `data/sample` cases to
/// `data/secret` ones, and the target is package data either way. (Programs are stricter: files
/// sent into a sandbox must be regular files, see [`Workspace::add_host_dir`].)
pub fn link_leaving(root: &Path) -> Result<Option<LinkLeaving>> {
    let real_root = std::fs::canonicalize(root)
        .with_context(|| format!("cannot read directory {}", root.display()))?;
    let mut pending = vec![(real_root.clone(), 0usize)];
    let mut seen = 0usize;
    while let Some((dir, depth)) = pending.pop() {
        if depth > MAX_TREE_DEPTH {
            bail!(
                "{} is nested more than {MAX_TREE_DEPTH} directories deep",
                dir.display()
            );
        }
        for entry in std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read directory {}", dir.display()))?
        {
            let entry = entry?;
            seen += 1;
            if seen > MAX_TREE_ENTRIES {
                bail!(
                    "{} holds more than {MAX_TREE_ENTRIES} files",
                    root.display()
                );
            }
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                pending.push((path, depth + 1));
            } else if kind.is_symlink() && !resolves_inside(&real_root, &path) {
                return Ok(Some(LinkLeaving {
                    link: path.strip_prefix(&real_root).unwrap_or(&path).to_path_buf(),
                    target: std::fs::read_link(&path).unwrap_or_default(),
                }));
            }
        }
    }
    Ok(None)
}

/// `path`, with every link on the way resolved, names something inside `real_root` (which is
/// itself resolved). A path that resolves to nothing is not inside.
pub fn resolves_inside(real_root: &Path, path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| real.starts_with(real_root))
}

/// A set of files keyed by their validated relative name in `/work`.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    files: BTreeMap<String, File>,
    bytes: u64,
}

#[derive(Debug, Clone)]
struct File {
    data: Vec<u8>,
    executable: bool,
}

/// Check a relative workspace name: no absolute paths, no `.` or `..`, no empty parts, no NUL.
pub fn validate_name(name: &str) -> Result<()> {
    if name.is_empty() {
        bail!("empty file name");
    }
    if name.len() > MAX_NAME {
        // Cut on a character, not a byte: names come from clients and may be any Unicode. Debug
        // form, so a newline in the name cannot break the one-line error.
        let start: String = name.chars().take(40).collect();
        bail!("file name is longer than {MAX_NAME} bytes: {start:?}…");
    }
    if name.contains('\0') || name.contains('\\') {
        bail!("file name {name:?} contains a NUL or backslash");
    }
    if name.starts_with('/') {
        bail!("file name {name:?} is absolute; use a relative name");
    }
    for part in name.split('/') {
        match part {
            "" => bail!("file name {name:?} has an empty path component"),
            "." | ".." => {
                bail!("file name {name:?} contains {part:?}; names must stay inside the workspace")
            }
            p if p.len() > 255 => bail!("file name {name:?} has a component longer than 255 bytes"),
            _ => {}
        }
    }
    Ok(())
}

impl Workspace {
    /// Add one file under a relative name.
    pub fn add(&mut self, name: &str, data: Vec<u8>, executable: bool) -> Result<()> {
        validate_name(name)?;
        if self.files.len() >= MAX_FILES {
            bail!("too many files: at most {MAX_FILES}");
        }
        // A file and a directory of the same name cannot both exist in /work.
        let prefix = format!("{name}/");
        if self
            .files
            .keys()
            .any(|k| k.starts_with(&prefix) || name.starts_with(&format!("{k}/")))
        {
            bail!("{name:?} is both a file and a directory");
        }
        self.bytes += data.len() as u64;
        if let Some(old) = self
            .files
            .insert(name.to_string(), File { data, executable })
        {
            self.bytes -= old.data.len() as u64;
            bail!("two files would both be {name:?} in the workspace");
        }
        Ok(())
    }

    /// Add a file from the host under its base name. Symlinks and special files are refused.
    pub fn add_host_file(&mut self, path: &Path) -> Result<String> {
        let meta = std::fs::symlink_metadata(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if meta.file_type().is_symlink() {
            bail!(
                "{} is a symbolic link; codecage does not follow links, pass the real file",
                path.display()
            );
        }
        if !meta.is_file() {
            bail!("{} is not a regular file", path.display());
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| {
                format!(
                    "{} has no usable file name (it must be UTF-8)",
                    path.display()
                )
            })?
            .to_string();
        let data =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        self.add(&name, data, false)?;
        Ok(name)
    }

    /// Add a directory's contents, keeping their relative layout. Symlinks and devices are refused.
    pub fn add_host_dir(&mut self, dir: &Path) -> Result<()> {
        self.walk(dir, "")
    }

    fn walk(&mut self, dir: &Path, prefix: &str) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read directory {}", dir.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                bail!("{} has a name that is not UTF-8", path.display());
            };
            let name = format!("{prefix}{file_name}");
            let kind = entry.file_type()?;
            if kind.is_symlink() {
                bail!(
                    "{} is a symbolic link; codecage does not follow links",
                    path.display()
                );
            } else if kind.is_dir() {
                self.walk(&path, &format!("{name}/"))?;
            } else if kind.is_file() {
                let data = std::fs::read(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                self.add(&name, data, false)?;
            } else {
                bail!(
                    "{} is a device, socket or pipe; only regular files can be sent",
                    path.display()
                );
            }
        }
        Ok(())
    }

    /// A file's contents.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(|f| f.data.as_slice())
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn is_executable(&self, name: &str) -> bool {
        self.files.get(name).is_some_and(|f| f.executable)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The uncompressed tar the sandbox unpacks into `/work`.
    pub fn to_tar(&self) -> Result<Vec<u8>> {
        let mut builder = tar::Builder::new(Vec::with_capacity(self.bytes as usize + 4096));
        let mtime = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        for (name, file) in &self.files {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Regular);
            header.set_size(file.data.len() as u64);
            header.set_mode(if file.executable { 0o755 } else { 0o644 });
            header.set_uid(SANDBOX_UID.into());
            header.set_gid(SANDBOX_UID.into());
            header.set_mtime(mtime);
            // append_data writes GNU long-name records for names over 100 bytes.
            builder.append_data(&mut header, name, file.data.as_slice())?;
        }
        Ok(builder.into_inner()?)
    }

    /// Parse a tar produced inside a sandbox (untrusted). Only regular files and directories with
    /// valid relative names are accepted; anything else is an error, nothing touches the host disk.
    pub fn from_untrusted_tar(bytes: &[u8], max_bytes: u64) -> Result<Workspace> {
        let mut workspace = Workspace::default();
        let mut archive = tar::Archive::new(bytes);
        for entry in archive
            .entries()
            .context("compile output is not a tar archive")?
        {
            let mut entry = entry.context("compile output is not a valid tar archive")?;
            let path = entry
                .path()
                .context("compile output has an invalid name")?
                .into_owned();
            let mut parts = Vec::new();
            for c in path.components() {
                match c {
                    Component::Normal(p) => parts.push(
                        p.to_str()
                            .context("compile output has a non-UTF-8 name")?
                            .to_string(),
                    ),
                    Component::CurDir => {}
                    _ => bail!("compile output contains an unsafe name {}", path.display()),
                }
            }
            let kind = entry.header().entry_type();
            if kind.is_dir() || parts.is_empty() {
                continue;
            }
            if !kind.is_file() {
                bail!(
                    "compile output contains {} which is not a regular file",
                    path.display()
                );
            }
            let executable = entry
                .header()
                .mode()
                .map(|m| m & 0o111 != 0)
                .unwrap_or(false);
            let size = entry.header().size()?;
            if workspace.bytes + size > max_bytes {
                bail!("compile output is larger than the workspace limit");
            }
            let mut data = Vec::with_capacity(size as usize);
            std::io::Read::read_to_end(&mut entry, &mut data)?;
            workspace.add(&parts.join("/"), data, executable)?;
        }
        Ok(workspace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_validated() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "./a",
            "a/.",
            "x\0y",
        ] {
            assert!(validate_name(bad).is_err(), "{bad:?} accepted");
        }
        for good in ["main.py", "pkg/util.py", "a/b/c.txt", ".hidden"] {
            validate_name(good).unwrap();
        }
        assert!(validate_name(&"a".repeat(300)).is_err());
    }

    /// Regression: a long name of multi-byte characters panicked (`&name[..40]` cut inside a
    /// character) and took down the `POST /api/v2/execute` handler.
    #[test]
    fn long_multibyte_names_are_refused_not_panicked_on() {
        for name in [
            "€".repeat(342),
            format!("a{}", "€".repeat(400)),
            "\n€".repeat(300),
        ] {
            let err = validate_name(&name).unwrap_err().to_string();
            assert!(err.starts_with("file name is longer than"), "{err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn duplicates_and_file_dir_clashes_are_refused() {
        let mut w = Workspace::default();
        w.add("a.py", b"1".to_vec(), false).unwrap();
        assert!(w.add("a.py", b"2".to_vec(), false).is_err());
        assert!(w.add("a.py/b", b"2".to_vec(), false).is_err());
    }

    #[test]
    fn tar_round_trips_through_the_strict_parser() {
        let mut w = Workspace::default();
        w.add("main.py", b"print(1)\n".to_vec(), false).unwrap();
        w.add(
            &format!("deep/{}.txt", "n".repeat(150)),
            b"long".to_vec(),
            false,
        )
        .unwrap();
        w.add("bin/prog", vec![0x7f, b'E', b'L', b'F'], true)
            .unwrap();
        let tar = w.to_tar().unwrap();
        let back = Workspace::from_untrusted_tar(&tar, 1 << 20).unwrap();
        assert_eq!(
            back.names().collect::<Vec<_>>(),
            w.names().collect::<Vec<_>>()
        );
        assert!(back.files["bin/prog"].executable);
        assert!(!back.files["main.py"].executable);
        assert!(Workspace::from_untrusted_tar(&tar, 10).is_err());
    }

    #[test]
    fn links_leaving_a_tree_are_found_and_links_inside_are_not() {
        use std::os::unix::fs::symlink;
        let root = tempfile::tempdir().unwrap();
        let d = root.path();
        std::fs::create_dir_all(d.join("data/secret")).unwrap();
        std::fs::write(d.join("data/secret/1.in"), "1\n").unwrap();
        symlink("secret", d.join("data/sample")).unwrap();
        symlink("../secret/1.in", d.join("data/secret/2.in")).unwrap();
        symlink(".", d.join("data/self")).unwrap();
        assert_eq!(link_leaving(d).unwrap(), None);
        symlink("../../..", d.join("data/secret/up")).unwrap();
        let found = link_leaving(d).unwrap().unwrap();
        assert_eq!(found.link, Path::new("data/secret/up"));
        std::fs::remove_file(d.join("data/secret/up")).unwrap();
        symlink("nowhere", d.join("data/dangling")).unwrap();
        assert_eq!(
            link_leaving(d).unwrap().unwrap().link,
            Path::new("data/dangling")
        );
        std::fs::remove_file(d.join("data/dangling")).unwrap();
        symlink("/proc/self/environ", d.join("env")).unwrap();
        assert_eq!(
            link_leaving(d).unwrap(),
            Some(LinkLeaving {
                link: "env".into(),
                target: "/proc/self/environ".into()
            })
        );
    }

    #[test]
    fn untrusted_symlinks_are_refused() {
        let mut builder = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        header.set_mode(0o777);
        builder
            .append_link(&mut header, "evil", "/etc/shadow")
            .unwrap();
        let tar = builder.into_inner().unwrap();
        let err = Workspace::from_untrusted_tar(&tar, 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }
}
