//! The labels on derived images and their build stages: the vocabulary `codecage images
//! list|prune` finds them by, shared by the build and the image commands.

/// Marks a derived image (dependencies installed on top of a language image).
pub const LABEL_DEPS: &str = "codecage.deps";
/// The language image a derived image was built `FROM`.
pub const LABEL_BASE: &str = "codecage.deps.base";
/// The profile a derived image belongs to.
pub const LABEL_LANGUAGE: &str = "codecage.deps.language";
/// Where the manifest came from (a path, or `set LANG:NAME`).
pub const LABEL_MANIFEST: &str = "codecage.deps.manifest";
/// Label on the build stage's images (the builder leaves them behind untagged).
pub const LABEL_BUILD_STAGE: &str = "codecage.deps.stage";
