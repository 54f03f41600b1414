//! The compile cache: a compiled workspace kept on disk, so a second run of an unchanged program
//! skips the compile sandbox entirely.
//!
//! An entry is keyed by everything that decides what the compiler produces: the cache format
//! (`CACHE_VERSION`), the image's ID (a rebuilt image misses even under the same tag), the compile
//! command after expansion, and every file that goes in (name, mode and content). The compile
//! step's limits are not in the key: a compile that succeeded did not hit them, so `run` (30 s),
//! `test` (10 s) and a session (2 m) share its entry. A compile error may depend on them (a
//! compiler that reports its own out-of-memory), so an error entry records them and is reused
//! only under the same limits. Entries are files named by the key; each starts with a header
//! carrying the hash of its own key and its payload's length and SHA-256, so a misplaced, old,
//! torn, truncated or tampered entry is detected, removed and compiled again. Writes go to a
//! temporary file renamed into place, so several codecage processes can fill the same entry at
//! once and a reader never sees half of one. The cache is bounded: after each write the least
//! recently used entries (by modification time, refreshed on every hit) go until it is under its
//! size. A compile error is kept too (same input, same diagnostics, same exit code), but only for
//! `ERROR_TTL`: diagnostics may name times or paths, and a user fixing a program by editing it
//! misses anyway. A successful compile's warnings are kept with it, so a hit prints what a miss
//! printed.
//!
//! A directory made here is 0700 and every entry 0600: they hold every client's source and
//! programs.
//!
//! The cache is a convenience, never a reason to fail: a directory that cannot be created or
//! written (read-only, full) gives one warning line and runs go on without it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::limits::Limits;
use crate::workspace::Workspace;

/// Default size of the cache.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

/// How long a cached compile error is reused.
pub const ERROR_TTL: Duration = Duration::from_secs(600);

/// The entry format and what the key covers: bump it when either changes (or when the compile
/// sandbox's wrapper changes what a compile gives), so entries of an older codecage miss.
pub const CACHE_VERSION: u32 = 2;

const MAGIC: &[u8] = b"codecage-compile-cache 2\n";

/// Where the cache lives and how big it may grow.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheSettings {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

impl CacheSettings {
    /// `CODECAGE_COMPILE_CACHE` (a directory, or `off`), else the config file's directory, else
    /// `$XDG_CACHE_HOME/codecage/compile`; `None` when turned off.
    pub fn resolve(configured_dir: Option<&Path>, max_bytes: Option<u64>) -> Option<CacheSettings> {
        let dir = match std::env::var_os("CODECAGE_COMPILE_CACHE") {
            Some(v) if v == "off" => return None,
            Some(v) if !v.is_empty() => PathBuf::from(v),
            _ => match configured_dir {
                Some(d) => d.to_path_buf(),
                None => crate::dirs::cache_dir()?.join("codecage").join("compile"),
            },
        };
        Some(CacheSettings {
            dir,
            max_bytes: max_bytes.unwrap_or(DEFAULT_MAX_BYTES),
        })
    }
}

/// What a compile gave, as kept in the cache.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// The compiled workspace, as the tar the sandbox gets, and what the compiler printed
    /// (warnings).
    Compiled {
        workspace_tar: Vec<u8>,
        warnings: Vec<u8>,
    },
    /// The compiler failed on its own (not a limit): its diagnostics, its exit code, and the
    /// limits it ran under (`limits_fingerprint`), which an error may depend on.
    Failed {
        diagnostics: Vec<u8>,
        exit_code: i64,
        limits: String,
    },
}

impl Entry {
    fn kind(&self) -> u8 {
        match self {
            Entry::Compiled { .. } => b'C',
            Entry::Failed { .. } => b'E',
        }
    }

    /// The fields after the header, each length-prefixed.
    fn payload(&self) -> Vec<u8> {
        let fields: [&[u8]; 3] = match self {
            Entry::Compiled {
                workspace_tar,
                warnings,
            } => [workspace_tar, warnings, b""],
            Entry::Failed {
                diagnostics,
                exit_code,
                limits,
            } => [diagnostics, &exit_code.to_le_bytes(), limits.as_bytes()],
        };
        let mut out = Vec::with_capacity(fields.iter().map(|f| f.len() + 8).sum());
        for f in fields {
            out.extend_from_slice(&(f.len() as u64).to_le_bytes());
            out.extend_from_slice(f);
        }
        out
    }

    fn from_payload(kind: u8, mut payload: &[u8]) -> Option<Entry> {
        let mut fields = Vec::with_capacity(3);
        for _ in 0..3 {
            let (len, rest) = payload.split_at_checked(8)?;
            let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
            let (field, rest) = rest.split_at_checked(len)?;
            fields.push(field);
            payload = rest;
        }
        if !payload.is_empty() {
            return None;
        }
        match kind {
            b'C' => Some(Entry::Compiled {
                workspace_tar: fields[0].to_vec(),
                warnings: fields[1].to_vec(),
            }),
            b'E' => Some(Entry::Failed {
                diagnostics: fields[0].to_vec(),
                exit_code: i64::from_le_bytes(fields[1].try_into().ok()?),
                limits: String::from_utf8(fields[2].to_vec()).ok()?,
            }),
            _ => None,
        }
    }
}

/// The key of a compile: hex SHA-256 of what decides its result (not the limits: see the
/// module's comment).
pub fn key(image_id: &str, argv: &[String], workspace: &Workspace) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        // Length-prefixed, so no two different inputs run together into the same bytes.
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(&CACHE_VERSION.to_le_bytes());
    field(image_id.as_bytes());
    for a in argv {
        field(a.as_bytes());
    }
    for name in workspace.names() {
        field(name.as_bytes());
        field(&[workspace.is_executable(name) as u8]);
        field(workspace.get(name).unwrap_or_default());
    }
    // Lower-case hex, as the image tags' content hashes are written.
    format!("{:x}", h.finalize())
}

/// The compile limits a cached compile error is tied to.
pub fn limits_fingerprint(limits: &Limits) -> String {
    format!(
        "{:?} {} {} {} {} {}",
        limits.time, limits.memory, limits.cpus, limits.pids, limits.output, limits.workspace
    )
}

/// Warn once per process: one line is enough to say the cache is not working.
static WARNED: AtomicBool = AtomicBool::new(false);

fn warn(what: &str, path: &Path, e: &std::io::Error) {
    if !WARNED.swap(true, Ordering::SeqCst) {
        eprintln!(
            "codecage: warning: compile cache: {what} {}: {e}; running without it",
            path.display()
        );
    }
}

/// The cache in one directory.
#[derive(Debug, Clone)]
pub struct CompileCache {
    settings: CacheSettings,
}

impl CompileCache {
    pub fn new(settings: CacheSettings) -> CompileCache {
        CompileCache { settings }
    }

    pub fn dir(&self) -> &Path {
        &self.settings.dir
    }

    fn path(&self, key: &str) -> PathBuf {
        self.settings.dir.join(format!("{key}.entry"))
    }

    /// The entry for `key`, if present, whole, its own and fresh. A damaged entry is removed.
    pub fn get(&self, key: &str) -> Option<Entry> {
        let path = self.path(key);
        let bytes = std::fs::read(&path).ok()?;
        let Some(entry) = decode(&bytes, key) else {
            let _ = std::fs::remove_file(&path);
            return None;
        };
        let age = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        if matches!(entry, Entry::Failed { .. }) && age > ERROR_TTL {
            let _ = std::fs::remove_file(&path);
            return None;
        }
        if let Entry::Compiled { .. } = entry {
            // Recently used: eviction goes by modification time.
            if let Ok(file) = std::fs::File::options().append(true).open(&path) {
                let _ = file.set_modified(SystemTime::now());
            }
        }
        Some(entry)
    }

    /// Keep `entry` under `key` (atomically), then trim the cache to its size.
    pub fn put(&self, key: &str, entry: &Entry) {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let dir = &self.settings.dir;
        // Only the owner may read what clients compiled: directories created here are 0700 and
        // entries 0600. An existing directory keeps its mode: it may be anything the user
        // pointed the cache at (codecage never changes a mode it did not set).
        if let Err(e) = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
        {
            return warn("cannot create", dir, &e);
        }
        let tmp = dir.join(format!(
            ".{key}.{}.{}.tmp",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut f| {
                f.write_all(&encode(key, entry))?;
                f.sync_data()
            });
        if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, self.path(key))) {
            let _ = std::fs::remove_file(&tmp);
            return warn("cannot write to", dir, &e);
        }
        self.trim(self.settings.max_bytes);
    }

    /// Every entry: its path, size and last use, oldest first.
    pub fn entries(&self) -> Vec<(PathBuf, u64, SystemTime)> {
        let Ok(dir) = std::fs::read_dir(&self.settings.dir) else {
            return Vec::new();
        };
        let mut entries: Vec<_> = dir
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "entry"))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((e.path(), meta.len(), meta.modified().ok()?))
            })
            .collect();
        entries.sort_by_key(|(_, _, used)| *used);
        entries
    }

    /// Remove the least recently used entries until the cache holds at most `max` bytes (and
    /// temporary files a killed writer left over an hour ago).
    pub fn trim(&self, max: u64) -> (usize, u64) {
        let entries = self.entries();
        let mut total: u64 = entries.iter().map(|(_, size, _)| size).sum();
        let (mut removed, mut freed) = (0, 0);
        for (path, size, _) in entries {
            if total <= max {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= size;
                removed += 1;
                freed += size;
            }
        }
        self.remove_stale_temporaries();
        (removed, freed)
    }

    fn remove_stale_temporaries(&self) {
        let Ok(dir) = std::fs::read_dir(&self.settings.dir) else {
            return;
        };
        for e in dir.flatten() {
            let stale = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if stale && e.path().extension().is_some_and(|x| x == "tmp") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// MAGIC, SHA-256 of the key (32 bytes), kind, payload length (8 bytes LE), SHA-256 of the
/// payload (32 bytes), payload.
fn encode(key: &str, entry: &Entry) -> Vec<u8> {
    let payload = entry.payload();
    let mut out = Vec::with_capacity(MAGIC.len() + 73 + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&Sha256::digest(key.as_bytes()));
    out.push(entry.kind());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    out
}

/// The entry in `bytes`, if it is whole and was written under `key` (a file copied or renamed
/// to another key's name is not that key's entry).
fn decode(bytes: &[u8], key: &str) -> Option<Entry> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (own_key, rest) = rest.split_at_checked(32)?;
    if own_key != Sha256::digest(key.as_bytes()).as_slice() {
        return None;
    }
    let (&kind, rest) = rest.split_first()?;
    let (len, rest) = rest.split_at_checked(8)?;
    let len = u64::from_le_bytes(len.try_into().ok()?);
    let (digest, payload) = rest.split_at_checked(32)?;
    if payload.len() as u64 != len || Sha256::digest(payload).as_slice() != digest {
        return None;
    }
    Entry::from_payload(kind, payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path, max: u64) -> CompileCache {
        CompileCache::new(CacheSettings {
            dir: dir.to_path_buf(),
            max_bytes: max,
        })
    }

    fn compiled(tar: &[u8]) -> Entry {
        Entry::Compiled {
            workspace_tar: tar.to_vec(),
            warnings: b"warning: unused".to_vec(),
        }
    }

    #[test]
    fn round_trip_and_damage_is_detected() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path(), 1 << 20);
        let entry = compiled(b"tar bytes");
        assert_eq!(c.get("k"), None);
        c.put("k", &entry);
        assert_eq!(c.get("k"), Some(entry.clone()));
        let failed = Entry::Failed {
            diagnostics: b"error: x".to_vec(),
            exit_code: 4,
            limits: "10s".into(),
        };
        c.put("f", &failed);
        assert_eq!(c.get("f"), Some(failed));
        // A flipped byte, then a truncation: both ignored and removed.
        let path = c.path("k");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(c.get("k"), None);
        assert!(!path.exists());
        c.put("k", &entry);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(c.get("k"), None);
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(c.get("k"), None);
    }

    #[test]
    fn an_entry_under_another_keys_name_or_of_an_old_format_misses() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path(), 1 << 20);
        c.put("a", &compiled(b"a's program"));
        std::fs::copy(c.path("a"), c.path("b")).unwrap();
        assert_eq!(c.get("b"), None, "a's entry is not b's");
        assert!(c.get("a").is_some());
        // Version 1: magic, kind, length, digest, payload, no key.
        let payload = b"old tar";
        let mut old = b"codecage-compile-cache 1\n".to_vec();
        old.push(b'C');
        old.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        old.extend_from_slice(&Sha256::digest(payload));
        old.extend_from_slice(payload);
        std::fs::write(c.path("old"), old).unwrap();
        assert_eq!(c.get("old"), None);
    }

    #[test]
    fn the_directory_and_entries_are_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let c = cache(&dir, 1 << 20);
        c.put("k", &compiled(b"x"));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&c.path("k")), 0o600);
        // An existing directory keeps its mode; entries are still the owner's only.
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        c.put("k2", &compiled(b"y"));
        assert_eq!(mode(&dir), 0o755);
        assert_eq!(mode(&c.path("k2")), 0o600);
    }

    #[test]
    fn least_recently_used_entries_go_first() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path(), 1 << 20);
        let old = SystemTime::now() - Duration::from_secs(100);
        for k in ["a", "b", "c"] {
            c.put(k, &compiled(&[0; 1000]));
            let f = std::fs::File::options()
                .append(true)
                .open(c.path(k))
                .unwrap();
            f.set_modified(old).unwrap();
        }
        // Using "a" makes it the most recent.
        assert!(c.get("a").is_some());
        let size = std::fs::metadata(c.path("a")).unwrap().len();
        c.trim(size * 2);
        assert!(c.path("a").exists());
        assert_eq!(c.entries().len(), 2);
        c.trim(0);
        assert!(c.entries().is_empty());
    }

    #[test]
    fn old_compile_errors_are_not_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path(), 1 << 20);
        c.put(
            "e",
            &Entry::Failed {
                diagnostics: b"error: x".to_vec(),
                exit_code: 1,
                limits: String::new(),
            },
        );
        assert!(matches!(c.get("e"), Some(Entry::Failed { .. })));
        let f = std::fs::File::options()
            .append(true)
            .open(c.path("e"))
            .unwrap();
        f.set_modified(SystemTime::now() - ERROR_TTL - Duration::from_secs(1))
            .unwrap();
        assert_eq!(c.get("e"), None);
    }

    #[test]
    fn keys_change_with_every_input_but_not_with_limits() {
        let mut w = Workspace::default();
        w.add("a.c", b"int main(){}".to_vec(), false).unwrap();
        let argv = vec!["gcc".to_string(), "a.c".to_string()];
        let k = key("sha256:1", &argv, &w);
        assert_eq!(k, key("sha256:1", &argv, &w));
        assert_ne!(k, key("sha256:2", &argv, &w));
        assert_ne!(
            k,
            key("sha256:1", &["gcc".into(), "-O2".into(), "a.c".into()], &w)
        );
        let mut w2 = Workspace::default();
        w2.add("a.c", b"int main(){ }".to_vec(), false).unwrap();
        assert_ne!(k, key("sha256:1", &argv, &w2));
        let mut w3 = Workspace::default();
        w3.add("a.c", b"int main(){}".to_vec(), true).unwrap();
        assert_ne!(k, key("sha256:1", &argv, &w3));
        // Limits go in an error entry instead.
        let l = Limits::run_defaults();
        let mut l2 = l.clone();
        l2.time *= 2;
        assert_ne!(limits_fingerprint(&l), limits_fingerprint(&l2));
    }

    #[test]
    fn an_unwritable_directory_is_only_a_warning() {
        let c = cache(Path::new("/proc/codecage-no-such-cache"), 1 << 20);
        c.put("k", &compiled(b"x"));
        assert_eq!(c.get("k"), None);
        // An existing directory nobody may write to, root included.
        let c = cache(Path::new("/proc/self"), 1 << 20);
        c.put("k", &compiled(b"x"));
        assert_eq!(c.get("k"), None);
    }
}
