//! The compile cache: a compiled workspace kept on disk, so a second run of an unchanged program
//! skips the compile sandbox entirely.
//!
//! An entry is keyed by everything that decides what the compiler produces: the image's ID (a
//! rebuilt image misses even under the same tag), the compile command after expansion, the
//! compile step's limits, and every file that goes in (name, mode and content). Entries are files
//! named by that key; each starts with a header carrying its payload's length and SHA-256, so a
//! torn, truncated or tampered entry is detected, removed and compiled again. Writes go to a
//! temporary file renamed into place, so several codecage processes can fill the same entry at
//! once and a reader never sees half of one. The cache is bounded: after each write the least
//! recently used entries (by modification time, refreshed on every hit) go until it is under its
//! size. A compile error is kept too (same input, same diagnostics), but only for
//! `ERROR_TTL`: diagnostics may name times or paths, and a user fixing a program by editing it
//! misses anyway.
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

const MAGIC: &[u8] = b"codecage-compile-cache 1\n";

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
                None => crate::config::cache_dir()?.join("codecage").join("compile"),
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
    /// The compiled workspace, as the tar the sandbox gets.
    Compiled(Vec<u8>),
    /// The compiler failed on its own (not a limit): its diagnostics.
    Failed(Vec<u8>),
}

impl Entry {
    fn kind(&self) -> u8 {
        match self {
            Entry::Compiled(_) => b'C',
            Entry::Failed(_) => b'E',
        }
    }

    fn payload(&self) -> &[u8] {
        match self {
            Entry::Compiled(p) | Entry::Failed(p) => p,
        }
    }
}

/// The key of a compile: hex SHA-256 of what decides its result.
pub fn key(image_id: &str, argv: &[String], limits: &Limits, workspace: &Workspace) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        // Length-prefixed, so no two different inputs run together into the same bytes.
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(image_id.as_bytes());
    for a in argv {
        field(a.as_bytes());
    }
    field(
        format!(
            "{:?} {} {} {} {} {}",
            limits.time, limits.memory, limits.cpus, limits.pids, limits.output, limits.workspace
        )
        .as_bytes(),
    );
    for name in workspace.names() {
        field(name.as_bytes());
        field(&[workspace.is_executable(name) as u8]);
        field(workspace.get(name).unwrap_or_default());
    }
    // Lower-case hex, as the image tags' content hashes are written.
    format!("{:x}", h.finalize())
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

    /// The entry for `key`, if present, whole and fresh. A damaged entry is removed.
    pub fn get(&self, key: &str) -> Option<Entry> {
        let path = self.path(key);
        let bytes = std::fs::read(&path).ok()?;
        let Some(entry) = decode(&bytes) else {
            let _ = std::fs::remove_file(&path);
            return None;
        };
        let age = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        if matches!(entry, Entry::Failed(_)) && age > ERROR_TTL {
            let _ = std::fs::remove_file(&path);
            return None;
        }
        if let Entry::Compiled(_) = entry {
            // Recently used: eviction goes by modification time.
            if let Ok(file) = std::fs::File::options().append(true).open(&path) {
                let _ = file.set_modified(SystemTime::now());
            }
        }
        Some(entry)
    }

    /// Keep `entry` under `key` (atomically), then trim the cache to its size.
    pub fn put(&self, key: &str, entry: &Entry) {
        let dir = &self.settings.dir;
        if let Err(e) = std::fs::create_dir_all(dir) {
            return warn("cannot create", dir, &e);
        }
        let tmp = dir.join(format!(
            ".{key}.{}.{}.tmp",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(&encode(entry))?;
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

/// MAGIC, kind, payload length (8 bytes LE), SHA-256 of the payload (32 bytes), payload.
fn encode(entry: &Entry) -> Vec<u8> {
    let payload = entry.payload();
    let mut out = Vec::with_capacity(MAGIC.len() + 41 + payload.len());
    out.extend_from_slice(MAGIC);
    out.push(entry.kind());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(payload));
    out.extend_from_slice(payload);
    out
}

fn decode(bytes: &[u8]) -> Option<Entry> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (&kind, rest) = rest.split_first()?;
    let (len, rest) = rest.split_at_checked(8)?;
    let len = u64::from_le_bytes(len.try_into().ok()?);
    let (digest, payload) = rest.split_at_checked(32)?;
    if payload.len() as u64 != len || Sha256::digest(payload).as_slice() != digest {
        return None;
    }
    match kind {
        b'C' => Some(Entry::Compiled(payload.to_vec())),
        b'E' => Some(Entry::Failed(payload.to_vec())),
        _ => None,
    }
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

    #[test]
    fn round_trip_and_damage_is_detected() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path(), 1 << 20);
        let entry = Entry::Compiled(b"tar bytes".to_vec());
        assert_eq!(c.get("k"), None);
        c.put("k", &entry);
        assert_eq!(c.get("k"), Some(entry.clone()));
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
    fn least_recently_used_entries_go_first() {
        let tmp = tempfile::tempdir().unwrap();
        let c = cache(tmp.path(), 1 << 20);
        let old = SystemTime::now() - Duration::from_secs(100);
        for k in ["a", "b", "c"] {
            c.put(k, &Entry::Compiled(vec![0; 1000]));
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
        c.put("e", &Entry::Failed(b"error: x".to_vec()));
        assert!(matches!(c.get("e"), Some(Entry::Failed(_))));
        let f = std::fs::File::options()
            .append(true)
            .open(c.path("e"))
            .unwrap();
        f.set_modified(SystemTime::now() - ERROR_TTL - Duration::from_secs(1))
            .unwrap();
        assert_eq!(c.get("e"), None);
    }

    #[test]
    fn keys_change_with_every_input() {
        let mut w = Workspace::default();
        w.add("a.c", b"int main(){}".to_vec(), false).unwrap();
        let l = Limits::run_defaults();
        let argv = vec!["gcc".to_string(), "a.c".to_string()];
        let k = key("sha256:1", &argv, &l, &w);
        assert_eq!(k, key("sha256:1", &argv, &l, &w));
        assert_ne!(k, key("sha256:2", &argv, &l, &w));
        assert_ne!(
            k,
            key(
                "sha256:1",
                &["gcc".into(), "-O2".into(), "a.c".into()],
                &l,
                &w
            )
        );
        let mut w2 = Workspace::default();
        w2.add("a.c", b"int main(){ }".to_vec(), false).unwrap();
        assert_ne!(k, key("sha256:1", &argv, &l, &w2));
        let mut l2 = l.clone();
        l2.memory *= 2;
        assert_ne!(k, key("sha256:1", &argv, &l2, &w));
    }

    #[test]
    fn an_unwritable_directory_is_only_a_warning() {
        let c = cache(Path::new("/proc/codecage-no-such-cache"), 1 << 20);
        c.put("k", &Entry::Compiled(b"x".to_vec()));
        assert_eq!(c.get("k"), None);
    }
}
