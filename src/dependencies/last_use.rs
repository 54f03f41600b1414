//! Last use of each derived image, as file times under the user's cache directory: the engine does
//! not record when an image was last used, and `codecage images prune` needs to know.

use std::path::PathBuf;

fn use_dir() -> Option<PathBuf> {
    crate::dirs::cache_dir().map(|d| d.join("codecage").join("deps-used"))
}

fn use_file(tag: &str) -> Option<PathBuf> {
    use_dir().map(|d| d.join(tag.replace(['/', ':'], "_")))
}

/// Note that a derived image was just used.
pub fn record_use(tag: &str) {
    // Best effort: a read-only home only makes `prune` judge by the image's age.
    if let Some(file) = use_file(tag) {
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(&file, b"");
    }
}

/// When a derived image was last used (unix seconds), if codecage recorded it.
pub fn last_use(tag: &str) -> Option<u64> {
    let modified = std::fs::metadata(use_file(tag)?).ok()?.modified().ok()?;
    modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// Drop the record of a removed image.
pub fn forget_use(tag: &str) {
    if let Some(file) = use_file(tag) {
        let _ = std::fs::remove_file(file);
    }
}
