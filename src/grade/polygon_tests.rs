//! Making what a standard Polygon package leaves to be made, as its `doall` script would: each
//! generated test's input (its generator run with its `cmd`'s arguments), every made or manual
//! input checked by the package's validator, and every missing answer (the `main` solution run on
//! the input; of an interactive problem, what the interactor wrote to its output file while it
//! talked with the main solution, as Polygon makes those answers). Every one of these programs is the package's, untrusted like a submission: each is
//! compiled by the same prepare step and run in a fresh sandbox of its own, never on the host.
//!
//! A DMOJ problem's generated cases are made here too (`package::dmoj`): one run of its generator
//! per case, with the case's `in` on stdin, gives the input (stdout) and the answer (stderr).
//!
//! What is made is kept by content under `$XDG_CACHE_HOME/codecage/polygon-tests` (or
//! `CODECAGE_POLYGON_CACHE`): an input is generated again only when its generator's files,
//! arguments or stdin change, checked again only when it or the validator changes, and an answer
//! made again only when it, the main solution or the interactor does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use bollard::Docker;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

use super::interactive;
use super::judge_plan::{JudgePlan, JudgeSource};
use super::judge_program::{Convention, JudgeProgram, Role};
use super::lane::{CaseMode, Slot};
use super::package::{Generation, Made, ProgramFiles, ToMake};
use super::test_case::TestCase;
use crate::limits::{LimitOverrides, Limits};
use crate::plan::{CompileChoice, PlanInput, RunPlan, TtyChoice};
use crate::prepare::{prepare, Prepared, Ready};
use crate::profile::Profiles;
use crate::sandbox::{self, Collected};
use crate::verdict::Verdict;

/// What a generator and a validator may use: far more than any needs, finite all the same.
const TOOL_TIME: &str = "60s";
const TOOL_MEMORY: &str = "1GiB";
/// The most a generator or the main solution may write (a test's input or answer).
const FILE_LIMIT: &str = "256MiB";

/// How the package's programs are built and run.
pub struct Maker<'a> {
    pub docker: &'a Docker,
    pub profiles: &'a Profiles,
    pub compile: CompileChoice,
    /// Programs run at once.
    pub jobs: usize,
    pub verbose: bool,
    pub cancel: CancellationToken,
}

/// A program built once and run for every test that needs it.
struct Built {
    plan: RunPlan,
    ready: Ready,
    /// "the generator files/gen.cpp", for messages.
    what: String,
}

impl Maker<'_> {
    /// Make (or find in the cache) everything `generation` asks for.
    pub async fn make(&self, generation: &Generation) -> Result<Made> {
        let cache = Cache::open()?;
        let inputs = self.inputs(generation, &cache).await?;
        self.validate(generation, &inputs, &cache).await?;
        let mut answers = self.answers(generation, &inputs, &cache).await?;
        let mut made = Made::default();
        for (t, input) in generation.tests.iter().zip(inputs) {
            if let Some((files, args)) = t.generator.as_ref().filter(|_| t.answer_on_stderr) {
                answers.insert(t.number, cache.path(&key("stderr", files, args, &t.stdin)));
            }
            if t.generator.is_some() {
                made.inputs.insert(t.number, input);
            }
        }
        made.answers = answers;
        Ok(made)
    }

    /// Each test's input: the package's file, or its generator's output (and, by DMOJ's
    /// convention, its answer: the same run's stderr).
    async fn inputs(&self, generation: &Generation, cache: &Cache) -> Result<Vec<PathBuf>> {
        let keys: Vec<Option<String>> = generation
            .tests
            .iter()
            .map(|t| {
                let (files, args) = t.generator.as_ref()?;
                Some(key("input", files, args, &t.stdin))
            })
            .collect::<Vec<_>>();
        let stderr_key = |t: &ToMake| {
            let (files, args) = t.generator.as_ref().filter(|_| t.answer_on_stderr)?;
            Some(key("stderr", files, args, &t.stdin))
        };
        let todo: Vec<(&ToMake, &String)> = generation
            .tests
            .iter()
            .zip(&keys)
            .filter_map(|(t, k)| {
                let k = k.as_ref()?;
                let made = cache.has(k) && stderr_key(t).is_none_or(|e| cache.has(&e));
                (!made).then_some((t, k))
            })
            .collect();
        let mut built: HashMap<PathBuf, Built> = HashMap::new();
        for (t, _) in &todo {
            let Some((files, _)) = &t.generator else {
                continue;
            };
            if !built.contains_key(&files.source) {
                let program = self
                    .build(generation, files, "the generator", tool_limits())
                    .await?;
                built.insert(files.source.clone(), program);
            }
        }
        self.announce(generation, todo.len(), "generating");
        stream::iter(todo.iter().map(|(t, k)| {
            let (built, cache, stderr_key) = (&built, cache, &stderr_key);
            async move {
                let Some((files, args)) = &t.generator else {
                    return Ok(());
                };
                let generator = &built[&files.source];
                let what = format!("test {}: {}", t.number, generator.what);
                let (stdout, stderr) = self.run(generator, args, t.stdin.clone(), &what).await?;
                // The answer first: a test counts as made once its input is in the cache.
                if let Some(e) = stderr_key(t) {
                    cache.put(&e, &stderr)?;
                }
                cache.put(k, &stdout)
            }
        }))
        .buffer_unordered(self.jobs.max(1))
        .try_collect::<Vec<()>>()
        .await?;
        Ok(generation
            .tests
            .iter()
            .zip(keys)
            .map(|(t, k)| k.map_or_else(|| t.input.clone(), |k| cache.path(&k)))
            .collect())
    }

    /// Every input through the validator (`--testset tests --group G`, as Polygon calls it).
    async fn validate(
        &self,
        generation: &Generation,
        inputs: &[PathBuf],
        cache: &Cache,
    ) -> Result<()> {
        let Some(validator) = &generation.validator else {
            return Ok(());
        };
        let mut todo = Vec::new();
        for (t, input) in generation.tests.iter().zip(inputs) {
            let bytes = read(input)?;
            let args = validator_args(t);
            let key = key("valid", validator, &args, &bytes);
            if !cache.has(&key) {
                todo.push((t, args, bytes, key));
            }
        }
        if todo.is_empty() {
            return Ok(());
        }
        let built = self
            .build(generation, validator, "the validator", tool_limits())
            .await?;
        self.announce(generation, todo.len(), "validating");
        stream::iter(todo.into_iter().map(|(t, args, bytes, key)| {
            let built = &built;
            async move {
                let what = format!("test {} is not valid: {}", t.number, built.what);
                self.run(built, &args, bytes, &what).await?;
                cache.put(&key, b"")
            }
        }))
        .buffer_unordered(self.jobs.max(1))
        .try_collect::<Vec<()>>()
        .await?;
        Ok(())
    }

    /// The answers the package lacks: the main solution's output on each input.
    async fn answers(
        &self,
        generation: &Generation,
        inputs: &[PathBuf],
        cache: &Cache,
    ) -> Result<std::collections::BTreeMap<usize, PathBuf>> {
        let mut answers = std::collections::BTreeMap::new();
        let Some(main) = &generation.main else {
            return Ok(answers);
        };
        // An interactor's answers depend on it as much as on the main solution.
        let with: Vec<String> = generation
            .interactor
            .iter()
            .map(|i| key("interactor", i, &[], &[]))
            .collect();
        let mut todo = Vec::new();
        for (t, input) in generation
            .tests
            .iter()
            .zip(inputs)
            .filter(|(t, _)| t.answer)
        {
            let bytes = read(input)?;
            let key = key("answer", main, &with, &bytes);
            answers.insert(t.number, cache.path(&key));
            if !cache.has(&key) {
                todo.push((t.number, bytes, key));
            }
        }
        if todo.is_empty() {
            return Ok(answers);
        }
        let limits = main_limits(generation);
        let built = self
            .build(generation, main, "the main solution", limits)
            .await?;
        let interactor = match &generation.interactor {
            Some(files) => Some(self.interactor(generation, files).await?),
            None => None,
        };
        self.announce(generation, todo.len(), "answering");
        stream::iter(todo.into_iter().map(|(number, bytes, key)| {
            let (built, interactor) = (&built, &interactor);
            async move {
                let what = format!("test {number}: {}", built.what);
                let output = match interactor {
                    Some(interactor) => self.talk(built, interactor, bytes, &what).await?,
                    None => self.run(built, &[], bytes, &what).await?.0,
                };
                cache.put(&key, &output)
            }
        }))
        .buffer_unordered(self.jobs.max(1))
        .try_collect::<Vec<()>>()
        .await?;
        Ok(answers)
    }

    /// Build the interactor, as the judge builds it, keeping its output file (the answer).
    async fn interactor(
        &self,
        generation: &Generation,
        files: &ProgramFiles,
    ) -> Result<JudgeProgram> {
        let path = files
            .source
            .strip_prefix(&generation.dir)
            .unwrap_or(&files.source);
        let what = format!(
            "the interactor {}",
            crate::escape::line(&path.to_string_lossy())
        );
        let sources = std::iter::once(&files.source).chain(&files.with).cloned();
        let plan = JudgePlan::new(
            JudgeSource::files(sources.collect()),
            Role::Interactor,
            Convention::Testlib,
            Vec::new(),
            self.profiles,
            &self.compile,
        )
        .with_context(|| what.clone())?;
        let built = JudgeProgram::build(
            self.docker,
            plan.plan,
            Role::Interactor,
            Convention::Testlib,
            Vec::new(),
            self.verbose,
            self.cancel.clone(),
        )
        .await?;
        match built {
            Ok(mut interactor) => {
                interactor.keep_output();
                Ok(interactor)
            }
            Err(failure) => {
                eprint!("{}", crate::escape::text(&failure.diagnostics));
                bail!("{what}: {}", failure.reason)
            }
        }
    }

    /// Run the main solution against the interactor on one input: what the interactor wrote to
    /// its output file, or why either side failed.
    async fn talk(
        &self,
        main: &Built,
        interactor: &JudgeProgram,
        input: Vec<u8>,
        what: &str,
    ) -> Result<Vec<u8>> {
        let case = TestCase {
            name: what.to_string(),
            stdin: input,
            args: Vec::new(),
            // No answer yet: this run makes it.
            stdout: None,
            exit_code: 0,
            limits: LimitOverrides::default(),
            compare: None,
            group: None,
            judge_args: Vec::new(),
        };
        let spec = main.ready.spec(&main.plan);
        // A container per run: these runs are few, and nothing is kept between them.
        let mut slot = Slot::new(self.docker, CaseMode::ContainerPerCase, false);
        let exchange =
            interactive::exchange(&mut slot, &spec, interactor, &case, self.cancel.clone()).await;
        slot.close().await;
        let (verdict, message) = interactive::decide(&exchange);
        if verdict != Verdict::Accepted {
            let why = message.unwrap_or_else(|| verdict.description().to_string());
            let said = exchange
                .judgement
                .feedback
                .filter(|f| !f.is_empty() && verdict == exchange.judgement.verdict)
                .map(|f| format!(": {}", crate::escape::line(f.lines().next().unwrap_or(""))))
                .unwrap_or_default();
            bail!("{what} failed against the interactor ({why}){said}");
        }
        Ok(exchange.interactor_output)
    }

    /// Compile a program of the package (its compiler's messages on stderr if it fails).
    async fn build(
        &self,
        generation: &Generation,
        files: &ProgramFiles,
        role: &str,
        limits: LimitOverrides,
    ) -> Result<Built> {
        let path = files
            .source
            .strip_prefix(&generation.dir)
            .unwrap_or(&files.source);
        let what = format!("{role} {}", crate::escape::line(&path.to_string_lossy()));
        let input = PlanInput {
            files: std::iter::once(&files.source)
                .chain(&files.with)
                .cloned()
                .collect(),
            limits,
            tty: TtyChoice::Never,
            compile: self.compile.clone(),
            ..PlanInput::default()
        };
        let plan = RunPlan::new(
            &input,
            self.profiles,
            Limits::test_defaults(),
            &LimitOverrides::default(),
        )
        .with_context(|| what.clone())?;
        let mut diagnostics = Collected::default();
        match prepare(
            self.docker,
            &plan,
            &mut diagnostics,
            self.verbose,
            self.cancel.clone(),
        )
        .await?
        {
            Prepared::Ready(ready) => Ok(Built { plan, ready, what }),
            Prepared::CompileFailed(failure) => {
                eprint!(
                    "{}",
                    crate::escape::text(&String::from_utf8_lossy(&diagnostics.output))
                );
                bail!("{what} did not compile: {}", failure.reason)
            }
        }
    }

    /// Run a built program once with `args` and `stdin`; its stdout and stderr, or why it failed.
    async fn run(
        &self,
        built: &Built,
        args: &[String],
        stdin: Vec<u8>,
        what: &str,
    ) -> Result<(Vec<u8>, Vec<u8>)> {
        let mut spec = built.ready.spec(&built.plan);
        spec.argv.extend(args.iter().cloned());
        let mut sink = Collected::default();
        let input = sandbox::fixed_input(stdin);
        let outcome = crate::launch::run(self.docker, &spec, input, &mut sink, self.cancel.clone())
            .await
            .with_context(|| what.to_string())?;
        match outcome.verdict() {
            Verdict::Accepted => Ok((sink.stdout, sink.stderr)),
            verdict => {
                let stderr = String::from_utf8_lossy(&sink.stderr);
                let said = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                let why = match verdict {
                    Verdict::RuntimeError => super::exit_message(&outcome),
                    other => other.description().to_string(),
                };
                let said = match said.is_empty() {
                    true => String::new(),
                    false => format!(": {}", crate::escape::line(said.trim())),
                };
                Err(anyhow!("{what} failed ({why}){said}"))
            }
        }
    }

    fn announce(&self, generation: &Generation, count: usize, doing: &str) {
        if count > 0 {
            eprintln!(
                "codecage: {doing} {count} test(s) of {} in sandboxes",
                generation.what
            );
        }
    }
}

fn validator_args(t: &ToMake) -> Vec<String> {
    let mut args = vec!["--testset".to_string(), "tests".to_string()];
    if let Some(group) = &t.group {
        args.extend(["--group".to_string(), group.clone()]);
    }
    args
}

fn tool_limits() -> LimitOverrides {
    LimitOverrides {
        time: Some(TOOL_TIME.to_string()),
        memory: Some(TOOL_MEMORY.to_string()),
        output: Some(FILE_LIMIT.to_string()),
        ..LimitOverrides::default()
    }
}

/// The main solution makes answers with the package's memory limit and ten times its time limit
/// of wall-clock time (at least 10 s): it must not fail for this machine being slower.
fn main_limits(generation: &Generation) -> LimitOverrides {
    let time = generation
        .time_limit_ms
        .map_or(Duration::from_secs(10), |ms| Duration::from_millis(ms * 10))
        .max(Duration::from_secs(10));
    LimitOverrides {
        time: Some(format!("{}ms", time.as_millis())),
        memory: Some(
            generation
                .memory_bytes
                .map_or(TOOL_MEMORY.to_string(), |m| m.to_string()),
        ),
        output: Some(FILE_LIMIT.to_string()),
        ..LimitOverrides::default()
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The content key of what `kind` of run of `program` with `args` on `stdin` makes.
fn key(kind: &str, program: &ProgramFiles, args: &[String], stdin: &[u8]) -> String {
    let mut h = Sha256::new();
    let mut part = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part(kind.as_bytes());
    for file in std::iter::once(&program.source).chain(&program.with) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        part(name.as_bytes());
        part(&std::fs::read(file).unwrap_or_default());
    }
    for arg in args {
        part(arg.as_bytes());
    }
    part(stdin);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Made files by their content keys.
struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// `CODECAGE_POLYGON_CACHE` when set, else `$XDG_CACHE_HOME/codecage/polygon-tests`.
    fn open() -> Result<Cache> {
        let dir = match std::env::var_os("CODECAGE_POLYGON_CACHE").filter(|v| !v.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => crate::dirs::cache_dir()
                .unwrap_or_else(std::env::temp_dir)
                .join("codecage")
                .join("polygon-tests"),
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Cache { dir })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    fn has(&self, key: &str) -> bool {
        self.path(key).is_file()
    }

    /// Written beside, then renamed: a file under its key is always whole.
    fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(key);
        let partial = self
            .dir
            .join(format!("{key}.{}.partial", std::process::id()));
        std::fs::write(&partial, bytes)
            .with_context(|| format!("cannot write {}", partial.display()))?;
        std::fs::rename(&partial, &path).with_context(|| format!("cannot write {}", path.display()))
    }
}
