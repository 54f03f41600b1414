//! Third-party dependencies ("my script imports numpy"): a profile says which manifest files it
//! knows and how to install them; a run that has one gets a derived image `FROM` the language image
//! with the packages in it. The network is used only while that image builds (bridge, never host);
//! the program still runs with none. Installing happens in a throw-away build stage, so the
//! installer, its caches and any custom CA bundle never reach the image programs run in.
//!
//! The steps, one file each: the profile's `dependencies:` section ([`schema`]), the run's choice
//! of manifest ([`resolve`]), the derived image's Dockerfile ([`dockerfile`]) and build
//! ([`image`]), what a `requirements.txt` may say ([`requirements`]), the installer's failure ([`install_log`], [`dependency_error`]), and when each
//! derived image was last used ([`last_use`]).

mod dependency_error;
mod dockerfile;
mod image;
mod install_log;
mod labels;
mod last_use;
mod requirements;
mod resolve;
mod schema;

pub use dependency_error::DependencyError;
pub use image::image_for;
pub use labels::{LABEL_BASE, LABEL_BUILD_STAGE, LABEL_DEPS, LABEL_LANGUAGE, LABEL_MANIFEST};
pub use last_use::{forget_use, last_use};
pub use resolve::{build_ca, from_set, resolve, Dependencies, DepsChoice};
pub use schema::DependencySpec;
