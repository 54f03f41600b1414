//! A profile's `dependencies:` section and the checks it must pass when the profile loads, so a
//! bad profile fails before anything is built. The install command runs in a build stage with the
//! network on: every field that reaches the Dockerfile is checked here first.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Largest manifest codecage accepts: manifests name packages, they do not carry them.
pub const MAX_MANIFEST: usize = 256 * 1024;

/// A profile's `dependencies:` section.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DependencySpec {
    /// Manifest file names this language knows (`requirements.txt`), looked for next to the program.
    pub manifests: Vec<String>,
    /// Debian packages the installer needs (`python3-pip`, `npm`); installed in the build stage only.
    #[serde(default)]
    pub tools: Vec<String>,
    /// Shell command that installs the manifest's packages, run as root in `/deps` (where the
    /// manifest is) in the build stage.
    pub install: String,
    /// The directory the install fills (absolute, in the build stage).
    pub output: String,
    /// Where that directory goes in the run image (absolute; not under /work or /tmp, which are
    /// fresh tmpfs mounts in every sandbox).
    pub target: String,
    /// Environment for programs in the run image, e.g. `PYTHONPATH: /opt/deps`.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Named dependency sets declared ahead of time: name -> manifest content (written to the first
    /// manifest file name). `codecage run --deps-set NAME`; `codecage serve --deps-set LANG:NAME`.
    #[serde(default)]
    pub sets: BTreeMap<String, String>,
}

/// What is wrong with a `dependencies:` section; each message names the field and what it takes.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("dependencies.manifests: name at least one manifest file, e.g. requirements.txt")]
    NoManifest,
    #[error("dependencies.manifests: {0:?} must be a plain file name")]
    Manifest(String),
    #[error("dependencies.tools: {0:?} is not a Debian package name")]
    Tool(String),
    #[error("dependencies.install: the install command must not be empty")]
    NoInstall,
    #[error("dependencies.{field}: {path:?} must be an absolute directory path")]
    Path { field: &'static str, path: String },
    #[error("dependencies.output: {0:?} must be under /deps/ (the installer's own directory)")]
    OutputOutsideDeps(String),
    #[error("dependencies.target: {target:?} is hidden at run time ({hidden} is mounted over); use e.g. /opt/deps")]
    HiddenTarget {
        target: String,
        hidden: &'static str,
    },
    #[error("dependencies.env: {0:?} must be an upper-case variable name")]
    EnvName(String),
    #[error("dependencies.env: the value of {0} must be one line")]
    EnvValue(String),
    #[error("dependencies.sets: {0:?} must be lower-case letters, digits, '-' or '_'")]
    SetName(String),
    #[error("dependencies.sets.{0}: larger than {MAX_MANIFEST} bytes")]
    SetTooLarge(String),
}

/// Directories every sandbox mounts over: a target there would vanish at run time.
const HIDDEN_AT_RUN_TIME: [&str; 5] = ["/work", "/tmp", "/proc", "/sys", "/dev"];

impl DependencySpec {
    /// Checked when the profile loads, so a bad profile fails before anything is built.
    pub fn validate(&self) -> Result<(), SpecError> {
        if self.manifests.is_empty() {
            return Err(SpecError::NoManifest);
        }
        if let Some(m) = self.manifests.iter().find(|m| !plain_file_name(m)) {
            return Err(SpecError::Manifest(m.clone()));
        }
        if let Some(t) = self.tools.iter().find(|t| !debian_package_name(t)) {
            return Err(SpecError::Tool(t.clone()));
        }
        if self.install.trim().is_empty() {
            return Err(SpecError::NoInstall);
        }
        for (field, path) in [("output", &self.output), ("target", &self.target)] {
            if !absolute_dir(path) {
                let path = path.clone();
                return Err(SpecError::Path { field, path });
            }
        }
        if !self.output.starts_with("/deps/") {
            return Err(SpecError::OutputOutsideDeps(self.output.clone()));
        }
        for hidden in HIDDEN_AT_RUN_TIME {
            if self.target == hidden || self.target.starts_with(&format!("{hidden}/")) {
                let target = self.target.clone();
                return Err(SpecError::HiddenTarget { target, hidden });
            }
        }
        for (key, value) in &self.env {
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(SpecError::EnvName(key.clone()));
            }
            if value.contains(['\n', '\r']) {
                return Err(SpecError::EnvValue(key.clone()));
            }
        }
        for (name, content) in &self.sets {
            if !set_name_ok(name) {
                return Err(SpecError::SetName(name.clone()));
            }
            if content.len() > MAX_MANIFEST {
                return Err(SpecError::SetTooLarge(name.clone()));
            }
        }
        Ok(())
    }
}

fn plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0', '\n'])
        && name.len() <= 255
}

/// Tools go into an `apt-get install` command line: only what a Debian package name can hold.
fn debian_package_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
}

/// Paths go into Dockerfile instructions unquoted: no spaces, no newlines, no way out.
fn absolute_dir(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains("..")
        && !path.contains(char::is_whitespace)
        && path != "/"
}

pub fn set_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_".contains(c))
}

#[cfg(test)]
impl DependencySpec {
    /// A valid Python-like spec for tests.
    pub fn example() -> DependencySpec {
        DependencySpec {
            manifests: vec!["requirements.txt".into()],
            tools: vec!["python3-pip".into()],
            install: "pip install --target /deps/out -r requirements.txt".into(),
            output: "/deps/out".into(),
            target: "/opt/deps".into(),
            env: BTreeMap::from([("PYTHONPATH".into(), "/opt/deps".into())]),
            sets: BTreeMap::from([("data".into(), "numpy\n".into())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_specs_are_refused() {
        assert!(DependencySpec::example().validate().is_ok());
        let bad = |f: fn(&mut DependencySpec)| {
            let mut s = DependencySpec::example();
            f(&mut s);
            s.validate().is_err()
        };
        assert!(bad(|s| s.manifests.clear()));
        assert!(bad(|s| s.manifests = vec!["../x".into()]));
        assert!(bad(|s| s.tools = vec!["pip; rm -rf /".into()]));
        assert!(bad(|s| s.target = "/work/deps".into()));
        assert!(bad(|s| s.target = "/tmp".into()));
        assert!(bad(|s| s.output = "relative".into()));
        assert!(bad(|s| s.env = BTreeMap::from([("x".into(), "1".into())])));
        assert!(bad(
            |s| s.env = BTreeMap::from([("X".into(), "a\nRUN x".into())])
        ));
        assert!(bad(
            |s| s.sets = BTreeMap::from([("Bad Name".into(), String::new())])
        ));
    }

    #[test]
    fn errors_name_the_field() {
        let mut s = DependencySpec::example();
        s.target = "/tmp/deps".into();
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "dependencies.target: \"/tmp/deps\" is hidden at run time (/tmp is mounted over); use e.g. /opt/deps"
        );
    }
}
