//! What the user asked for (a narrow `PlanInput`, whichever front end it came from) + profile +
//! defaults -> one validated `RunPlan`. Everything a user can get wrong is caught here, before
//! anything touches Docker. The command line's flags are turned into a `PlanInput` by the command
//! that owns them, so this module knows nothing of clap.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use crate::dependencies::{self, Dependencies, DepsChoice};
use crate::limits::{LimitOverrides, Limits};
use crate::plan_error::PlanError;
use crate::profile::{Profile, Profiles};
use crate::sandbox::{Isolation, SandboxSpec};
use crate::units::{format_size, parse_duration};
use crate::workspace::Workspace;

pub use crate::compile_choice::CompileChoice;

/// Whether the program gets a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TtyChoice {
    /// A TTY when both our stdin and stdout are terminals.
    #[default]
    Auto,
    Always,
    Never,
}

/// A run of files on this machine, as asked: the plan's input, whichever command it came from.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    /// Source files (the first is the entry point) or one directory.
    pub files: Vec<PathBuf>,
    /// The program's arguments.
    pub args: Vec<String>,
    /// A language name or alias instead of the entry file's extension.
    pub lang: Option<String>,
    /// The entry file inside a directory or among several files.
    pub main: Option<String>,
    /// Limits asked for on top of the profile's and the config file's.
    pub limits: LimitOverrides,
    pub idle_timeout: Option<String>,
    pub tty: TtyChoice,
    pub deps: DepsChoice,
    /// How to compile (cache, CPU, type checking).
    pub compile: CompileChoice,
}

/// A run, fully decided.
#[derive(Debug)]
pub struct RunPlan {
    pub profile: Arc<Profile>,
    pub workspace: Workspace,
    /// The entry file's name in the workspace.
    pub main: String,
    pub args: Vec<String>,
    pub limits: Limits,
    pub tty: bool,
    /// Third-party packages to install into a derived image before running.
    pub deps: Option<Dependencies>,
    /// The compile cache, if used.
    pub compile_cache: Option<crate::compile_cache::CacheSettings>,
    /// The compile sandbox's CPU quota in cores (the program's own is in `limits`).
    pub compile_cpus: f64,
    /// Compile with the profile's `typecheck` command.
    pub typecheck: bool,
    /// Compile with the profile's `run_compile` command, when it has one (`run`, sessions).
    pub quick: bool,
    /// The most any single run of this plan may get, per-case overrides included (a server's
    /// maxima; `None` on the command line, where the user's own flags are the limits).
    pub ceiling: Option<Limits>,
}

/// The most CPU a compile step gets on a server unless the config file's `compile.cpus` says
/// otherwise (a run's own CPU is capped by the server too).
pub const SERVE_COMPILE_CPUS: f64 = 1.0;

/// Every core of this machine: what a compiler gets unless told otherwise.
pub fn all_cores() -> f64 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

impl RunPlan {
    /// `defaults` are the built-in limits (run and test differ), before the profile, the config
    /// file and the input's own.
    pub fn new(
        input: &PlanInput,
        profiles: &Profiles,
        defaults: Limits,
        config: &LimitOverrides,
    ) -> Result<RunPlan> {
        let Some(first) = input.files.first() else {
            bail!("no file to run");
        };
        let (workspace, main_hint) = collect_files(&input.files)?;
        let main = match (&input.main, main_hint) {
            (Some(m), _) => {
                let m = m.trim_start_matches("./").to_string();
                if !workspace.contains(&m) {
                    bail!("--main {m}: no such file among the files to run");
                }
                m
            }
            (None, Some(first)) => first,
            (None, None) => {
                entry_by_convention(&workspace, input.lang.as_deref(), profiles, first)?
            }
        };
        let profile = choose_profile(profiles, input.lang.as_deref(), &main)?;
        if let (Some(why), Some(runtime)) = (&profile.needs_host_kernel, &profile.runtime) {
            if Isolation::of(Some(runtime)) == Isolation::Gvisor {
                return Err(PlanError::RuntimeLacks {
                    language: profile.name.clone(),
                    runtime: runtime.clone(),
                    why: why.clone(),
                }
                .into());
            }
        }
        let limits = decide_limits(input, &profile, defaults, config)?;
        if workspace.bytes() > limits.workspace {
            bail!(
                "the files to run total {} bytes, more than the workspace limit of {}",
                workspace.bytes(),
                format_size(limits.workspace)
            );
        }
        let tty = match input.tty {
            TtyChoice::Always => true,
            TtyChoice::Never => false,
            TtyChoice::Auto => std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
        };
        let deps = dependencies::resolve(&profile, &input.deps, &program_dir(&input.files))?;
        if input.compile.typecheck && profile.typecheck.is_none() {
            bail!(
                "--typecheck: {} has no separate type-checking compile (its profile has no `typecheck` command)",
                profile.name
            );
        }
        // The config file's (or a flag's) choice over the profile's, as for every limit.
        let compile_cpus = input
            .compile
            .cpus
            .or(profile.compile_cpus)
            .unwrap_or_else(all_cores);
        Ok(RunPlan {
            compile_cache: input.compile.cache.clone(),
            compile_cpus,
            typecheck: input.compile.typecheck,
            quick: input.compile.quick,
            profile,
            workspace,
            main,
            args: input.args.clone(),
            limits,
            tty,
            deps,
            ceiling: None,
        })
    }

    /// A plan for files that arrived in memory (from the server): no terminal, limits decided by
    /// the caller.
    pub fn in_memory(
        profile: Arc<Profile>,
        workspace: Workspace,
        main: String,
        args: Vec<String>,
        limits: Limits,
    ) -> RunPlan {
        RunPlan {
            // The server sets its shared compile cache and its compile CPU cap
            // (`RunPlan::cap_compile_cpus`).
            compile_cache: None,
            compile_cpus: profile.compile_cpus.unwrap_or_else(all_cores),
            typecheck: false,
            quick: false,
            profile,
            workspace,
            main,
            args,
            limits,
            tty: false,
            deps: None,
            ceiling: None,
        }
    }

    /// A server's cap on the compile quota, so one client's compile cannot take every core from
    /// the rest.
    pub fn cap_compile_cpus(&mut self, cap: f64) {
        self.compile_cpus = self.compile_cpus.min(cap);
    }

    /// The compile command with placeholders filled in, for compiled languages (the profile's
    /// `typecheck` command with `--typecheck`, else its `run_compile` for a quick plan).
    pub fn compile_argv(&self) -> Option<Vec<String>> {
        let p = &self.profile;
        let command = match (&p.typecheck, self.typecheck, &p.run_compile, self.quick) {
            (Some(typecheck), true, _, _) => Some(typecheck),
            (_, _, Some(quick), true) if p.compile.is_some() => Some(quick),
            _ => p.compile.as_ref(),
        };
        command.map(|c| self.expand(c))
    }

    /// The run command with placeholders filled in and the program's arguments appended.
    pub fn run_argv(&self) -> Vec<String> {
        let mut argv = self.expand(&self.profile.run);
        argv.extend(self.args.iter().cloned());
        argv
    }

    /// The sandbox that runs this plan's program from `image` with `workspace_tar` (the compiled
    /// workspace). The one way a spec is made from a plan; a caller may then change its TTY,
    /// arguments or limits.
    pub fn spec(&self, image: &str, workspace_tar: Vec<u8>) -> SandboxSpec {
        SandboxSpec::new(
            image.to_string(),
            self.run_argv(),
            workspace_tar,
            self.limits.clone(),
        )
        .with_runtime(self.profile.runtime.clone())
    }

    /// `{main}` is the entry file, `{stem}` its name without extension, `{sources}` (a whole
    /// argument) every file of the language in the workspace.
    fn expand(&self, template: &[String]) -> Vec<String> {
        let stem = Path::new(&self.main)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(&self.main)
            .to_string();
        let mut argv = Vec::new();
        for part in template {
            if part == "{sources}" {
                let mut sources: Vec<String> = self
                    .workspace
                    .names()
                    .filter(|n| self.profile.owns(n))
                    .map(str::to_string)
                    .collect();
                if sources.is_empty() {
                    sources.push(self.main.clone());
                }
                argv.extend(sources);
            } else {
                argv.push(part.replace("{main}", &self.main).replace("{stem}", &stem));
            }
        }
        argv
    }
}

/// `--lang` when given, else the entry file's extension.
fn choose_profile(profiles: &Profiles, lang: Option<&str>, main: &str) -> Result<Arc<Profile>> {
    let found = match lang {
        Some(lang) => profiles
            .by_name(lang)
            .ok_or_else(|| match Profiles::unsupported(lang) {
                Some(why) => PlanError::UnsupportedLanguage {
                    name: lang.to_string(),
                    why: why.to_string(),
                },
                None => PlanError::UnknownLanguage {
                    name: lang.to_string(),
                    known: profiles.names(),
                },
            }),
        None => profiles
            .by_file(Path::new(main))
            .ok_or_else(|| PlanError::UnknownExtension {
                main: main.to_string(),
                known: profiles.names(),
            }),
    };
    Ok(found?)
}

/// Built-in defaults < the profile < the config file < the input's own limits.
fn decide_limits(
    input: &PlanInput,
    profile: &Profile,
    defaults: Limits,
    config: &LimitOverrides,
) -> Result<Limits> {
    let mut limits = defaults;
    limits
        .apply(&profile.limits)
        .with_context(|| format!("profile {}", profile.origin))?;
    limits.apply(config).context("config file")?;
    limits.apply(&input.limits)?;
    if let Some(idle) = &input.idle_timeout {
        limits.idle = Some(parse_duration(idle)?);
    }
    Ok(limits)
}

/// Where manifests are looked for: the directory run, or the entry file's.
fn program_dir(files: &[PathBuf]) -> PathBuf {
    let dir = match files {
        [only] if only.is_dir() => only.clone(),
        _ => files
            .first()
            .and_then(|f| f.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

/// Files: each by its base name, the first being the entry. One directory: its contents with their
/// layout, entry decided later.
fn collect_files(paths: &[PathBuf]) -> Result<(Workspace, Option<String>)> {
    let mut workspace = Workspace::default();
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(PlanError::NoSuchFile {
                path: path.display().to_string(),
            }
            .into());
        }
    }
    if paths.len() == 1 && paths[0].is_dir() {
        workspace.add_host_dir(&paths[0])?;
        return Ok((workspace, None));
    }
    let mut first = None;
    for path in paths {
        if path.is_dir() && !path.is_symlink() {
            bail!(
                "{} is a directory: run one directory on its own, or list files",
                path.display()
            );
        }
        let name = workspace.add_host_file(path)?;
        first.get_or_insert(name);
    }
    Ok((workspace, first))
}

/// The entry point of a directory: the language's conventional main file (e.g. main.py), or its
/// only source file.
fn entry_by_convention(
    workspace: &Workspace,
    lang: Option<&str>,
    profiles: &Profiles,
    dir: &Path,
) -> Result<String> {
    let candidates: Vec<Arc<Profile>> = match lang {
        Some(l) => profiles.by_name(l).into_iter().collect(),
        None => profiles.iter().cloned().collect(),
    };
    // A set: languages sharing an extension share the main file too (main.c is c's and c-clang's).
    let conventional: Vec<String> = candidates
        .iter()
        .filter_map(|p| p.main.clone())
        .filter(|m| workspace.contains(m))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if conventional.len() == 1 {
        return Ok(conventional[0].clone());
    }
    let owned: Vec<&str> = workspace
        .names()
        .filter(|n| candidates.iter().any(|p| p.owns(n)))
        .collect();
    if conventional.is_empty() && owned.len() == 1 {
        return Ok(owned[0].to_string());
    }
    bail!(
        "cannot tell the entry point of {}: pass --main FILE (found {})",
        dir.display(),
        if owned.is_empty() {
            "no source files".to_string()
        } else {
            owned.join(", ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(files: Vec<PathBuf>, lang: Option<&str>) -> Result<RunPlan> {
        let input = PlanInput {
            files,
            lang: lang.map(str::to_string),
            ..PlanInput::default()
        };
        let profiles = Profiles::load(&[]).unwrap();
        RunPlan::new(
            &input,
            &profiles,
            Limits::run_defaults(),
            &LimitOverrides::default(),
        )
    }

    /// What the user asked for wrongly comes back typed, so a front end can answer it as the
    /// client's mistake.
    #[test]
    fn a_missing_file_or_an_unknown_language_is_a_plan_error() {
        let dir = tempfile::tempdir().unwrap();
        let kind = |r: Result<RunPlan>| r.err().and_then(|e| e.downcast::<PlanError>().ok());
        let missing = kind(plan(vec![dir.path().join("nope.py")], None));
        assert!(matches!(missing, Some(PlanError::NoSuchFile { .. })));
        let file = dir.path().join("a.py");
        std::fs::write(&file, "print(1)\n").unwrap();
        let unknown = kind(plan(vec![file.clone()], Some("cobra")));
        assert!(matches!(unknown, Some(PlanError::UnknownLanguage { .. })));
        // A language codecage knows it cannot have is told apart (issue #29), and is the
        // client's mistake all the same.
        let python2 = kind(plan(vec![file.clone()], Some("python2")));
        assert!(matches!(
            python2,
            Some(PlanError::UnsupportedLanguage { .. })
        ));
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "hi").unwrap();
        let unclaimed = kind(plan(vec![notes], None));
        assert!(matches!(
            unclaimed,
            Some(PlanError::UnknownExtension { .. })
        ));
        assert!(plan(vec![file], None).is_ok());
    }
}
