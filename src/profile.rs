//! Language profiles: what a language is called, which files it owns, which image runs it and how to
//! compile and run it. Built-in profiles are embedded in the binary; user profile directories add
//! languages or override built-in ones without rebuilding codecage.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::image::ImageSource;
use crate::limits::LimitOverrides;

/// The least wall time a compile gets: a judge's per-case limit (`codecage test` defaults to 2 s)
/// is for the program, and javac or rustc on a busy machine can take longer than that. A profile's
/// `compile_time` raises it for its language (scalac, kotlinc and GHC need tens of seconds).
pub const COMPILE_MIN_TIME: Duration = Duration::from_secs(10);

/// The memory a compile step gets when its profile does not say (`compile_memory`): the
/// compiler's, never the program's limit (issue #29: under a judge's 256 MiB, g++ with
/// `<bits/stdc++.h>` was a compile error, and at 64 MiB the Go linker was killed).
pub const COMPILE_MEMORY: u64 = 1 << 30;

/// The built-in profiles (`profiles/*.yaml`), compiled in by build.rs.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_profiles.rs"));
}

/// One language profile, as written in `profiles/<name>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The language's name, used by `--lang`.
    pub name: String,
    /// The version the image ships, shown by `codecage languages`.
    pub version: String,
    /// Other names accepted by `--lang` (and by the server).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// File extensions, without the dot. Each is claimed by one profile only: it decides the
    /// language of a file named so.
    pub extensions: Vec<String>,
    /// Extensions this language also accepts without claiming them: another profile wins a file
    /// named so, and `--lang` picks this one (`c-clang` compiles `.c` files, which are `c`'s).
    #[serde(default)]
    pub shared_extensions: Vec<String>,
    /// The image directory holding the Dockerfile (`images/<image>/Dockerfile`).
    pub image: String,
    /// The entry file when a directory is run and no `--main` is given.
    #[serde(default)]
    pub main: Option<String>,
    /// Compile command (argv); runs in its own sandbox before the program.
    #[serde(default)]
    pub compile: Option<Vec<String>>,
    /// A compile command that also type-checks, used instead of `compile` with `--typecheck`
    /// (TypeScript: `compile` only strips types, fast; this runs `tsc` first).
    #[serde(default)]
    pub typecheck: Option<Vec<String>>,
    /// A compile command for `codecage run` and interactive sessions, where the compile is paid
    /// on every edit-and-run: quicker to build, slower to run (Rust without `-O`). `test`,
    /// `verify`, grading and the HTTP API's runs use `compile`, as judges measure the program.
    #[serde(default)]
    pub run_compile: Option<Vec<String>>,
    /// The compile sandbox's CPU quota in cores [default: every core of the machine]; the
    /// program's own quota is `limits.cpus`.
    #[serde(default)]
    pub compile_cpus: Option<f64>,
    /// The least wall time the compile step gets, for slow compilers (Scala, Kotlin, GHC)
    /// [default and lowest: 10 s]; the program's own time limit is `limits.time`.
    #[serde(default)]
    pub compile_time: Option<String>,
    /// The memory the compile step gets, whatever the program's limit (`-m` is for the program,
    /// not the compiler) [default: `COMPILE_MEMORY`, 1 GiB].
    #[serde(default)]
    pub compile_memory: Option<String>,
    /// Run command (argv); the program's arguments are appended.
    pub run: Vec<String>,
    /// Limits this language needs instead of the defaults.
    #[serde(default)]
    pub limits: LimitOverrides,
    /// OCI runtime for this language's sandboxes (e.g. gVisor's `runsc`); the engine's default
    /// (runc) when absent. `codecage doctor` lists the runtimes the engine has.
    #[serde(default)]
    pub runtime: Option<String>,
    /// Why this language needs the host kernel itself, when it does: a runtime with a kernel of
    /// its own (gVisor) refuses it in one line saying this, before anything runs (32-bit x86
    /// programs need the kernel's IA32 emulation, which gVisor does not have).
    #[serde(default)]
    pub needs_host_kernel: Option<String>,
    /// How to install third-party packages from a manifest (`requirements.txt`, `package.json`).
    #[serde(default)]
    pub dependencies: Option<crate::dependencies::DependencySpec>,
    /// Where the profile came from, for messages.
    #[serde(skip)]
    pub origin: String,
    /// The image's build context, resolved when the profile is loaded.
    #[serde(skip)]
    pub image_source: Option<Arc<ImageSource>>,
}

/// Every known profile, by name.
#[derive(Debug, Default, Clone)]
pub struct Profiles {
    by_name: BTreeMap<String, Arc<Profile>>,
}

impl Profiles {
    /// Load the built-in profiles, then every `*.yaml` in `dirs` (later ones override earlier ones).
    pub fn load(dirs: &[PathBuf]) -> Result<Profiles> {
        let mut profiles = Profiles::default();
        for (file, text) in embedded::PROFILES {
            let profile = parse(text, &format!("built-in profiles/{file}"))?;
            profiles.insert(profile, None)?;
        }
        for dir in dirs {
            if !dir.is_dir() {
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .with_context(|| format!("cannot read profile directory {}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read profile {}", file.display()))?;
                let profile = parse(&text, &file.display().to_string())?;
                profiles.insert(profile, Some(dir))?;
            }
        }
        profiles.check_conflicts()?;
        Ok(profiles)
    }

    fn insert(&mut self, mut profile: Profile, dir: Option<&Path>) -> Result<()> {
        let source = match dir.and_then(|d| ImageSource::from_dir(d, &profile.image).transpose()) {
            Some(source) => source?,
            None => ImageSource::builtin(&profile.image).with_context(|| {
                format!(
                    "{}: no Dockerfile for image {:?} (looked for images/{}/Dockerfile next to the profile and among the built-in images)",
                    profile.origin, profile.image, profile.image
                )
            })?,
        };
        profile.image_source = Some(Arc::new(source));
        self.by_name.insert(profile.name.clone(), Arc::new(profile));
        Ok(())
    }

    /// Two profiles may not claim the same extension or alias: the choice would be arbitrary.
    fn check_conflicts(&self) -> Result<()> {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for p in self.by_name.values() {
            for ext in &p.extensions {
                if let Some(other) = seen.insert(format!(".{ext}"), &p.origin) {
                    bail!(
                        "{}: extension .{ext} is already claimed by {other}",
                        p.origin
                    );
                }
            }
        }
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        for p in self.by_name.values() {
            for alias in &p.aliases {
                if self.by_name.contains_key(alias) {
                    bail!(
                        "{}: alias {alias:?} is the name of another profile",
                        p.origin
                    );
                }
                if let Some(other) = names.insert(alias, &p.origin) {
                    bail!("{}: alias {alias:?} is already used by {other}", p.origin);
                }
            }
        }
        Ok(())
    }

    /// Run every language in the OCI runtime `runtime` (`--runtime`, CODECAGE_RUNTIME or the
    /// config file's `runtime:`), over what each profile says: the user's choice is the stronger
    /// one, as for limits.
    pub fn with_runtime(mut self, runtime: Option<&str>) -> Result<Profiles> {
        let Some(runtime) = runtime else {
            return Ok(self);
        };
        check_runtime_name(runtime).map_err(|e| {
            anyhow::anyhow!("--runtime (or CODECAGE_RUNTIME, or the config file): {e}")
        })?;
        for profile in self.by_name.values_mut() {
            Arc::make_mut(profile).runtime = Some(runtime.to_string());
        }
        Ok(self)
    }

    /// Find a profile by name or alias (case-insensitive).
    pub fn by_name(&self, name: &str) -> Option<Arc<Profile>> {
        let name = name.to_ascii_lowercase();
        self.by_name
            .values()
            .find(|p| p.name == name || p.aliases.contains(&name))
            .cloned()
    }

    /// Why a language that has no profile cannot have one, when codecage knows (`None`: it is
    /// merely unknown). Judges' packages still name these; each gets one line saying why.
    pub fn unsupported(name: &str) -> Option<&'static str> {
        const PYTHON2: &str = "Python 2 is not in Debian trixie, which codecage's images are built from (its end of life was 2020); Python 3 is `python` and `pypy3`";
        let name = name.to_ascii_lowercase();
        ["python2", "python2.7", "py2", "pypy2", "cpython2"]
            .contains(&name.as_str())
            .then_some(PYTHON2)
    }

    /// Find the profile owning a file name's extension.
    pub fn by_file(&self, file: &Path) -> Option<Arc<Profile>> {
        let ext = file.extension()?.to_str()?;
        self.by_name
            .values()
            .find(|p| p.extensions.iter().any(|e| e == ext))
            .cloned()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Profile>> {
        self.by_name.values()
    }

    /// Known names, for error messages.
    pub fn names(&self) -> String {
        self.by_name.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

impl Profile {
    /// The image's build context.
    pub fn image_source(&self) -> &ImageSource {
        self.image_source
            .as_deref()
            .expect("image source resolved at load")
    }

    /// Does this profile take a file with this name (an extension it claims or shares)?
    pub fn owns(&self, name: &str) -> bool {
        Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| {
                self.extensions
                    .iter()
                    .chain(&self.shared_extensions)
                    .any(|x| x == e)
            })
    }

    /// The extension an unnamed file of this language gets: the first it claims, else the first
    /// it shares (`c-clang` claims none); a loaded profile has one or the other.
    pub fn extension(&self) -> &str {
        self.extensions
            .iter()
            .chain(&self.shared_extensions)
            .next()
            .map_or("", String::as_str)
    }

    /// The least wall time of this language's compile step: `compile_time`, never under
    /// `COMPILE_MIN_TIME`.
    pub fn compile_floor(&self) -> Duration {
        self.compile_time
            .as_deref()
            .and_then(|t| crate::units::parse_duration(t).ok())
            .map_or(COMPILE_MIN_TIME, |t| t.max(COMPILE_MIN_TIME))
    }

    /// The memory of this language's compile step in bytes (`compile_memory`, else
    /// `COMPILE_MEMORY`).
    pub fn compile_memory(&self) -> u64 {
        self.compile_memory
            .as_deref()
            .and_then(|m| crate::units::parse_size(m).ok())
            .unwrap_or(COMPILE_MEMORY)
    }
}

/// Parse and validate one profile's YAML; errors name the file, line and column.
/// A runtime is named as the engine registered it: never a path or an option.
fn check_runtime_name(runtime: &str) -> Result<(), String> {
    let valid = !runtime.is_empty()
        && runtime.len() <= 64
        && runtime
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "runtime {runtime:?} must be a runtime name like runsc"
        ))
    }
}

pub fn parse(text: &str, origin: &str) -> Result<Profile> {
    let mut profile: Profile = crate::yaml::parse(text, "profile", origin)?;
    profile.origin = origin.to_string();
    let fail = |what: String| anyhow::anyhow!("invalid profile {origin}: {what}");
    let ident_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-_.".contains(c))
    };
    if !ident_ok(&profile.name) {
        return Err(fail(format!(
            "name {:?} must be lower-case letters, digits, '+', '-', '_' or '.'",
            profile.name
        )));
    }
    if let Some(bad) = profile.aliases.iter().find(|a| !ident_ok(a)) {
        return Err(fail(format!(
            "alias {bad:?} must be lower-case letters, digits, '+', '-', '_' or '.'"
        )));
    }
    if profile.extensions.is_empty() && profile.shared_extensions.is_empty() {
        return Err(fail(
            "extensions: at least one extension (or shared extension) is required".into(),
        ));
    }
    if let Some(bad) = profile
        .extensions
        .iter()
        .chain(&profile.shared_extensions)
        .find(|e| e.is_empty() || e.starts_with('.') || e.contains('/'))
    {
        return Err(fail(format!(
            "extension {bad:?} must be written without the dot, e.g. py"
        )));
    }
    if !profile
        .image
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
        || profile.image.is_empty()
    {
        return Err(fail(format!(
            "image {:?} must name a directory under images/",
            profile.image
        )));
    }
    if let Some(runtime) = &profile.runtime {
        check_runtime_name(runtime).map_err(fail)?;
    }
    if profile.run.is_empty() {
        return Err(fail("run: the run command must not be empty".into()));
    }
    if profile.compile.as_ref().is_some_and(|c| c.is_empty()) {
        return Err(fail(
            "compile: the compile command must not be empty".into(),
        ));
    }
    if let Some(run_compile) = &profile.run_compile {
        if profile.compile.is_none() {
            return Err(fail(
                "run_compile: a language without a compile command has nothing to compile quickly"
                    .into(),
            ));
        }
        if run_compile.is_empty() {
            return Err(fail(
                "run_compile: the compile command must not be empty".into(),
            ));
        }
    }
    if let Some(cpus) = profile.compile_cpus {
        if !(cpus.is_finite() && cpus > 0.0) {
            return Err(fail(format!(
                "compile_cpus: {cpus} must be a number of cores above 0"
            )));
        }
    }
    if let Some(time) = &profile.compile_time {
        crate::units::parse_duration(time).map_err(|e| fail(format!("compile_time: {e:#}")))?;
    }
    if let Some(memory) = &profile.compile_memory {
        crate::units::parse_size(memory).map_err(|e| fail(format!("compile_memory: {e:#}")))?;
    }
    if let Some(deps) = &profile.dependencies {
        deps.validate().map_err(|e| fail(format!("{e:#}")))?;
    }
    let mut check = crate::limits::Limits::run_defaults();
    check
        .apply(&profile.limits)
        .map_err(|e| fail(format!("limits: {e:#}")))?;
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_profile_loads_and_has_an_image() {
        let profiles = Profiles::load(&[]).unwrap();
        for name in ["python", "javascript", "java", "c", "cpp"] {
            let p = profiles
                .by_name(name)
                .unwrap_or_else(|| panic!("{name} missing"));
            assert!(!p.image_source().files.is_empty());
        }
        assert_eq!(
            profiles.by_file(Path::new("x/hello.py")).unwrap().name,
            "python"
        );
        assert_eq!(profiles.by_name("C++").unwrap().name, "cpp");
        assert!(profiles.by_file(Path::new("notes.txt")).is_none());
    }

    #[test]
    fn compile_cpus_and_run_compile_are_checked() {
        let base = "name: a\nversion: '1'\nextensions: [x]\nimage: python\nrun: [a]\n";
        for bad in ["0", "-1", ".nan"] {
            let err = parse(
                &format!("{base}compile: [cc]\ncompile_cpus: {bad}\n"),
                "a.yaml",
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("compile_cpus:"), "{err}");
        }
        assert!(parse(
            &format!("{base}compile: [cc]\ncompile_cpus: 0.5\n"),
            "a.yaml"
        )
        .is_ok());
        let err = parse(&format!("{base}run_compile: [cc]\n"), "a.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("run_compile:"), "{err}");
        let p = parse(
            &format!("{base}compile: [cc, -O]\nrun_compile: [cc]\n"),
            "a.yaml",
        )
        .unwrap();
        assert_eq!(p.run_compile.as_deref(), Some(&["cc".to_string()][..]));
    }

    #[test]
    fn a_shared_extension_is_taken_but_not_claimed() {
        let mut profiles = Profiles::default();
        let own = parse(
            "name: a\nversion: '1'\nextensions: [x]\nimage: python\nrun: [a]\n",
            "a.yaml",
        )
        .unwrap();
        let shared = parse(
            "name: b\nversion: '1'\nextensions: [bb]\nshared_extensions: [x]\nimage: python\nrun: [b]\n",
            "b.yaml",
        )
        .unwrap();
        profiles.insert(own, None).unwrap();
        profiles.insert(shared, None).unwrap();
        profiles.check_conflicts().unwrap();
        assert_eq!(profiles.by_file(Path::new("m.x")).unwrap().name, "a");
        assert_eq!(profiles.by_file(Path::new("m.bb")).unwrap().name, "b");
        let b = profiles.by_name("b").unwrap();
        assert!(b.owns("m.x") && b.owns("m.bb") && !b.owns("m.y"));
        assert_eq!(b.extension(), "bb");
        // The shipped pairs: GCC wins .c and .cpp, CPython wins .py.
        let shipped = Profiles::load(&[]).unwrap();
        for (file, owner, sharer) in [
            ("a.c", "c", "c-clang"),
            ("a.cpp", "cpp", "cpp-clang"),
            ("a.py", "python", "pypy3"),
        ] {
            assert_eq!(shipped.by_file(Path::new(file)).unwrap().name, owner);
            let sharer = shipped.by_name(sharer).unwrap();
            assert!(sharer.owns(file), "{}", sharer.name);
            assert_eq!(Path::new(file).extension().unwrap(), sharer.extension());
        }
    }

    #[test]
    fn the_compile_floor_is_the_profiles_but_never_under_the_default() {
        let with = |extra: &str| {
            parse(
                &format!("name: a\nversion: '1'\nextensions: [x]\nimage: x\nrun: [a]\n{extra}"),
                "a.yaml",
            )
        };
        assert_eq!(with("").unwrap().compile_floor(), COMPILE_MIN_TIME);
        assert_eq!(
            with("compile_time: 90s\n").unwrap().compile_floor(),
            Duration::from_secs(90)
        );
        assert_eq!(
            with("compile_time: 1s\n").unwrap().compile_floor(),
            COMPILE_MIN_TIME
        );
        let err = with("compile_time: soon\n").unwrap_err().to_string();
        assert!(err.contains("compile_time"), "{err}");
        assert_eq!(with("").unwrap().compile_memory(), COMPILE_MEMORY);
        assert_eq!(
            with("compile_memory: 1GiB\n").unwrap().compile_memory(),
            1 << 30
        );
        assert!(with("compile_memory: lots\n").is_err());
        let shipped = Profiles::load(&[]).unwrap();
        for slow in ["scala", "kotlin", "haskell"] {
            let p = shipped.by_name(slow).unwrap();
            assert!(p.compile_floor() >= Duration::from_secs(60), "{slow}");
            assert!(p.compile_memory() >= 1 << 30, "{slow}");
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let err = parse(
            "name: x\nversion: '1'\nextensions: [x]\nimage: x\nrun: [x]\ncolour: red\n",
            "t.yaml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("t.yaml:6:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn malformed_yaml_names_file_and_line() {
        let err = parse("name: x\nextensions: [x\n", "bad.yaml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("invalid profile bad.yaml:"), "{err}");
    }

    #[test]
    fn missing_fields_and_bad_values_are_refused() {
        assert!(parse("name: x\nversion: '1'\nextensions: [x]\nrun: [x]\n", "t").is_err());
        assert!(parse(
            "name: x\nversion: '1'\nextensions: [.x]\nimage: x\nrun: [x]\n",
            "t"
        )
        .is_err());
        assert!(parse(
            "name: x\nversion: '1'\nextensions: [x]\nimage: x\nrun: []\n",
            "t"
        )
        .is_err());
        assert!(parse(
            "name: x\nversion: '1'\nextensions: [x]\nimage: x\nrun: [x]\nlimits: {memory: lots}\n",
            "t"
        )
        .is_err());
    }
}
