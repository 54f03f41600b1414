//! Where codecage keeps its files on this machine: the XDG base directories. A leaf: the config
//! file, the caches, the engine's memo and the cgroup records all find their place here without
//! importing one another.

use std::path::PathBuf;

/// `$XDG_CONFIG_HOME` (or `~/.config`): where the config file lives.
pub fn config_dir() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// `$XDG_CACHE_HOME` (or `~/.cache`): where codecage keeps small records such as image use.
pub fn cache_dir() -> Option<PathBuf> {
    xdg_dir("XDG_CACHE_HOME", ".cache")
}

/// An XDG base directory: the variable when set and not empty, else `$HOME/<fallback>`.
fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)))
}
