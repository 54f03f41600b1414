//! The command line, as clap sees it. Nothing here touches Docker: `plan.rs` turns these
//! structures into a validated plan first.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "codecage",
    version,
    disable_version_flag = true,
    about = "Run untrusted code in hardened, disposable Docker containers",
    long_about = "Run untrusted code in hardened, disposable Docker containers.\n\n\
        Every run gets a fresh container with no network, no capabilities, a read-only root \
        filesystem, an unprivileged user and limits on time, memory, CPU, processes and output. \
        The container is removed when the run ends.",
    after_help = "Examples:\n  codecage run hello.py\n  seq 10 | codecage run sum.py > out.txt\n  codecage run main.cpp -- arg1 arg2\n  codecage languages"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Print the version (with -v: also the Docker engine and the API version negotiated).
    #[arg(short = 'V', long)]
    pub version: bool,

    /// Show what the engine is doing (image, container, timings) on stderr.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Silence codecage's own messages (limit notices, build notes); errors still print.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml].
    #[arg(long, global = true, value_name = "FILE", env = "CODECAGE_CONFIG")]
    pub config: Option<PathBuf>,

    /// Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated).
    #[arg(long = "profiles", global = true, value_name = "DIR")]
    pub profile_dirs: Vec<PathBuf>,

    /// OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor)
    /// [default: the profile's, else the engine's].
    #[arg(long, global = true, value_name = "NAME", env = "CODECAGE_RUNTIME")]
    pub runtime: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a program in a sandbox, as if it ran locally.
    #[command(
        after_help = "Examples:\n  codecage run hello.py\n  codecage run argv.py -- a \"b c\"\n  seq 1 100 | codecage run sum.py > out.txt\n  codecage run --lang python script\n  codecage run main.py util.py data.txt\n  codecage run project/ --main app.py\n  codecage run --time-limit 2s --memory 128MiB solve.cpp < input.txt\n  codecage run analysis.py              # installs requirements.txt next to it first\n  codecage run --deps deps/package.json app.js"
    )]
    Run(Box<RunArgs>),
    /// Grade a program against test cases, each in a fresh sandbox, with judge verdicts.
    #[command(
        after_help = "Examples:\n  codecage test solution.py --cases tests/\n  codecage test main.cpp --cases cases/ --compare tokens -j 4 --junit report.xml\n  codecage test Main.java --suite suite.yaml --json result.json\n  codecage test sol.py --cases cases/ --html report.html\n  codecage test --each submissions/* --cases cases/ --junit class.xml\n  codecage test sol.cpp --cases cases/ --checker checker.cpp\n  codecage test sol.py --cases cases/ --interactor interactor.py\n  codecage test sol.cpp --problem problems/hello\n\nVerdicts: AC accepted, WA wrong answer, PE presentation error (a checker's), TLE time limit,\nMLE memory limit, RE runtime error, OLE output limit, CE compile error (no case runs),\nIE internal error (not the program's fault).\nExit status: 0 all accepted with full marks, 1 some case failed or a compile error, 69 the\ncontainer engine is unavailable, 125 codecage error or IE."
    )]
    Test(Box<TestArgs>),
    /// Check a problem package as problem setters do: every example submission must get the
    /// verdict its folder promises.
    #[command(
        after_help = "Examples:\n  codecage verify problems/hello\n  codecage verify problems/hello -j 2 --json - \n  codecage verify problems/hello --junit verify.xml\n  codecage verify problems/hello --html verify.html\n\nExit status: 0 every submission as expected, 1 some not, 69 the container engine is\nunavailable, 125 codecage error (bad package)."
    )]
    Verify(Box<VerifyArgs>),
    /// Serve the runner over HTTP and WebSocket, with a web page.
    #[command(
        after_help = "Examples:\n  codecage serve                                  # http://127.0.0.1:8080\n  codecage serve --listen 127.0.0.1:0             # any free port (printed)\n  CODECAGE_TOKEN=secret codecage serve --listen 0.0.0.0:8080\n  curl -s localhost:8080/execute -d '{\"language\": \"python3\", \"code\": \"print(42)\"}'"
    )]
    Serve(Box<ServeArgs>),
    /// Take batch runs from a broker (Redis) and run them in this machine's sandboxes.
    #[command(
        after_help = "Examples:\n  codecage worker --broker redis://10.0.0.5:6379\n  codecage worker --broker redis://redis:6379/0 --concurrency 4 --max-memory 512MiB\n\nAPI nodes started with `codecage serve --broker URL` queue the runs; this takes them (the serve flags set this worker's own limits)."
    )]
    Worker(Box<WorkerArgs>),
    /// List the languages codecage knows, with versions and images.
    #[command(
        after_help = "Examples:\n  codecage languages\n  codecage --profiles ./my-profiles languages"
    )]
    Languages,
    /// Build, list or prune the language and dependency images.
    Images {
        #[command(subcommand)]
        command: ImagesCommand,
    },
    /// Show or clear the compile cache (compiled programs kept so a second run skips the
    /// compiler).
    #[command(after_help = "Examples:\n  codecage cache\n  codecage cache clear")]
    Cache {
        #[command(subcommand)]
        command: Option<CacheCommand>,
    },
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    #[command(
        after_help = "Examples:\n  codecage completions bash > ~/.local/share/bash-completion/completions/codecage\n  codecage completions zsh > ~/.zfunc/_codecage\n  codecage completions fish > ~/.config/fish/completions/codecage.fish"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(
        after_help = "Examples:\n  codecage man | man -l -\n  codecage man > /usr/local/share/man/man1/codecage.1"
    )]
    Man,
    /// Check the engine, images, disk and that limits are really enforced (pass/warn/fail + fixes).
    #[command(after_help = "Examples:\n  codecage doctor")]
    Doctor,
    /// Remove leftover codecage containers (from a crash or a killed codecage).
    #[command(
        after_help = "Examples:\n  codecage gc          # remove stopped or expired codecage containers\n  codecage gc --all    # also running ones"
    )]
    Gc {
        /// Also remove containers that are still running.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Where the cache is, how many entries it holds and how big it is (the default).
    Info,
    /// Remove every entry.
    Clear,
}

#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// Build language images (all when none is named).
    #[command(
        after_help = "Examples:\n  codecage images build\n  codecage images build python cpp"
    )]
    Build {
        /// Languages whose images to build.
        languages: Vec<String>,
    },
    /// Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal
    /// Debian from its mirror and import it into the engine. Needs root and debootstrap (installed
    /// with apt when missing); where Docker Hub is reachable, `docker pull` does the same.
    #[command(
        after_help = "Examples:\n  sudo codecage images bootstrap\n  sudo DEBIAN_MIRROR=http://mirror.example/debian codecage images bootstrap"
    )]
    Bootstrap,
    /// List the language images and whether they are built, and the dependency images.
    #[command(after_help = "Examples:\n  codecage images list")]
    List,
    /// Remove dependency images: those built on an outdated language image, and those unused for
    /// a while.
    #[command(
        after_help = "Examples:\n  codecage images prune                  # outdated, or unused for 7 days\n  codecage images prune --unused-for 1d\n  codecage images prune --all            # every dependency image"
    )]
    Prune {
        /// Remove dependency images not used for this long. [default: 7d]
        #[arg(long, value_name = "DURATION")]
        unused_for: Option<String>,
        /// Remove every dependency image (not the language images).
        #[arg(long, conflicts_with = "unused_for")]
        all: bool,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free one. Anything but loopback needs a token. [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<std::net::SocketAddr>,

    /// API token clients must send (`Authorization: Bearer TOKEN`).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "CODECAGE_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// Runs at once. [default: 10]
    #[arg(long, value_name = "N")]
    pub max_concurrent: Option<usize>,

    /// Requests that may wait for a run slot; past that, 429. [default: 20]
    #[arg(long, value_name = "N")]
    pub queue: Option<usize>,

    /// Largest request body. [default: 1MiB]
    #[arg(long, value_name = "SIZE")]
    pub max_body: Option<String>,

    /// Most (and default) wall time of a batch run. [default: 30s]
    #[arg(long, value_name = "DURATION")]
    pub max_time: Option<String>,

    /// Most (and default) CPU time of a batch run, all its processes together; requests may ask
    /// for less. [default: none, only the wall-clock limit]
    #[arg(long, value_name = "DURATION")]
    pub max_cpu_time: Option<String>,

    /// Most memory of a run (languages whose profile needs more get their profile's). [default: 256MiB]
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,

    /// Most output (stdout + stderr) of a run. [default: 1MiB]
    #[arg(long, value_name = "SIZE")]
    pub max_output: Option<String>,

    /// Wall time of an interactive session. [default: 2m]
    #[arg(long, value_name = "DURATION")]
    pub session_time: Option<String>,

    /// A session with no input or output for this long ends. [default: 30s]
    #[arg(long, value_name = "DURATION")]
    pub session_idle: Option<String>,

    /// A session whose WebSocket does not connect within this long is dropped. [default: 30s]
    #[arg(long, value_name = "DURATION")]
    pub session_connect: Option<String>,

    /// Sessions (waiting or live) one client token may hold at once: every holder of the API
    /// token is one client, and without a token every client is. [default: 4]
    #[arg(long, value_name = "N")]
    pub sessions_per_token: Option<usize>,

    /// Warm sandboxes kept ready per language (and limits), started ahead of requests; 0 turns the
    /// pool off. [default: 2]
    #[arg(long, value_name = "N")]
    pub pool: Option<usize>,

    /// A warm sandbox unused for this long is removed. [default: 30s]
    #[arg(long, value_name = "DURATION")]
    pub pool_idle: Option<String>,

    /// Let clients use a dependency set a profile declares, as LANG:SET (repeatable; e.g.
    /// python:data). Clients' own manifests are never installed.
    #[arg(long = "deps-set", value_name = "LANG:SET")]
    pub deps_sets: Vec<String>,

    /// After SIGTERM, how long running executions may finish before they are killed. [default: 10s]
    #[arg(long, value_name = "DURATION")]
    pub grace: Option<String>,

    /// The Judge0 API's submission store (one file). [default: $XDG_DATA_HOME/codecage/judge0.redb]
    #[arg(long, value_name = "PATH")]
    pub store: Option<std::path::PathBuf>,

    /// Finished Judge0 submissions are removed after this long. [default: 7d]
    #[arg(long, value_name = "AGE")]
    pub judge0_retention: Option<String>,

    /// Past this size of stored Judge0 submissions, the oldest finished ones are removed. [default: 1GiB]
    #[arg(long, value_name = "SIZE")]
    pub judge0_store_max: Option<String>,

    /// Judge0 submissions queued or running at most; past that, 503 "queue is full". [default: 1000]
    #[arg(long, value_name = "N")]
    pub judge0_queue: Option<usize>,

    /// A host Judge0 callbacks (callback_url) may go to, as HOST or HOST:PORT (repeatable);
    /// without one, submissions with a callback_url are refused.
    #[arg(long = "judge0-callback-allow", value_name = "HOST[:PORT]")]
    pub judge0_callback_allow: Vec<String>,

    /// Judge0's authorization token (its AUTHZ_TOKEN): listing and deleting Judge0 submissions
    /// need it as `X-Auth-User` (header or query); without one they are refused (403).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "CODECAGE_JUDGE0_ADMIN_TOKEN",
        hide_env_values = true
    )]
    pub judge0_admin_token: Option<String>,

    /// An origin browsers may call the Judge0 API from (CORS), as https://HOST[:PORT] or HOST
    /// (repeatable; the variable takes them space-separated); `*` any, `none` no CORS.
    /// [default: none: only a page this server serves may call it]
    #[arg(
        long = "judge0-allow-origin",
        value_name = "ORIGIN",
        env = "CODECAGE_JUDGE0_ALLOW_ORIGIN",
        value_delimiter = ' '
    )]
    pub judge0_allow_origin: Vec<String>,

    /// A name requests may address this server by (the Host header), besides IP addresses and
    /// localhost; `.example.org` also allows its subdomains, `*` any name (repeatable; the
    /// variable takes them space-separated). Checked on loopback, or wherever names are given:
    /// a web page whose name resolves to this server (DNS rebinding) is refused.
    #[arg(
        long = "allow-host",
        value_name = "NAME",
        env = "CODECAGE_ALLOW_HOST",
        value_delimiter = ' '
    )]
    pub allow_hosts: Vec<String>,

    /// Scale-out: queue batch runs (/execute, Piston, Judge0) on this broker for `codecage
    /// worker`s instead of running them here, e.g. redis://10.0.0.5:6379/0.
    #[arg(long, value_name = "URL", env = "CODECAGE_BROKER")]
    pub broker: Option<String>,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Jobs run at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,

    /// This worker's name in the broker's list and its sessions' id prefix (letters, digits,
    /// '-', '_') [default: the host name and a random part].
    #[arg(long, value_name = "ID")]
    pub node: Option<String>,

    /// The URL API nodes reach this worker's --listen address at, for interactive sessions
    /// [default: http://LISTEN]. Without --listen the worker takes batch jobs only.
    #[arg(long, value_name = "URL")]
    pub advertise: Option<String>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The solution: source file(s) or one directory (with --each: several submissions).
    #[arg(required = true, value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,

    /// Each FILE|DIR is a separate submission: one row each and one combined report.
    #[arg(long)]
    pub each: bool,

    /// Grade on a `codecage serve` instance (http://HOST:PORT; with `serve --broker`, on its
    /// workers) instead of the local engine: the cases go along, the report comes back.
    /// Comparisons and scoring groups; not with --checker, --interactor or --problem yet.
    /// CODECAGE_TOKEN is sent as the API token.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,

    /// Start no new case after the first failure.
    #[arg(long)]
    pub fail_fast: bool,

    /// Directory of NAME.in / NAME.out (or NAME.ans) pairs (a missing .in means empty stdin).
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present_any = ["suite", "problem"],
        conflicts_with_all = ["suite", "problem"]
    )]
    pub cases: Option<PathBuf>,

    /// Suite file (YAML) listing cases with stdin, args, expected stdout and exit code, limits,
    /// and scoring groups.
    #[arg(long, value_name = "FILE", conflicts_with = "problem")]
    pub suite: Option<PathBuf>,

    /// An ICPC/Kattis problem package (legacy or 2023-07-draft): its data/sample and
    /// data/secret cases, its output validator or interactor, its limits and its scoring.
    #[arg(
        long,
        value_name = "DIR",
        conflicts_with_all = ["checker", "interactor", "kattis", "checker_format"]
    )]
    pub problem: Option<PathBuf>,

    /// How to compare output: exact, lines, tokens, float, float:TOLERANCE, or the Kattis default
    /// validator `kattis[:case_sensitive,space_change_sensitive,float_tolerance=E,...]`
    /// [default: the suite's, else the config file's, else lines].
    #[arg(long, value_name = "MODE")]
    pub compare: Option<String>,

    /// A checker program (any language codecage knows; compiled once) that judges each case's
    /// output instead of --compare: `checker INPUT OUTPUT ANSWER`, testlib exit codes (0 AC,
    /// 1 WA, 2 PE, 3 judge failure, 7 partial points); its stderr is the feedback. Other
    /// conventions with --checker-format. Not with --interactor, whose verdict is final.
    #[arg(long, value_name = "FILE|DIR", conflicts_with = "interactor")]
    pub checker: Option<PathBuf>,

    /// An interactor for interactive problems: it talks with the program live, each one's stdout
    /// on the other's stdin; `interactor INPUT OUTPUT [ANSWER]`, exit codes as a checker's. A case
    /// is then an .in file alone (an .out/.ans beside it is the interactor's ANSWER).
    #[arg(long, value_name = "FILE|DIR")]
    pub interactor: Option<PathBuf>,

    /// Install a dependency manifest found next to the submission (requirements.txt, package.json,
    /// Cargo.toml, Gemfile) into a cached image, with network while it builds. Without it a
    /// submission's manifest is never installed.
    #[arg(long)]
    pub deps: bool,

    /// Compile even when the compile cache has the submission compiled already.
    #[arg(long)]
    pub no_cache: bool,

    /// Type-check before compiling where the language's profile can (TypeScript: tsc --strict).
    #[arg(long)]
    pub typecheck: bool,

    /// --checker-format kattis: --checker and --interactor follow the Kattis convention.
    #[arg(long, conflicts_with = "checker_format")]
    pub kattis: bool,

    /// How --checker (and --interactor) speak: `testlib` [default] (partial credit `points P`,
    /// P a share 0 to 1); `kattis` (`validator INPUT ANSWER FEEDBACK_DIR < OUTPUT`, exit 42
    /// accepts, 43 rejects, judgemessage.txt the feedback, score.txt the score); or, checkers
    /// only, DMOJ's bridged types: `coci` (testlib's codes, partial `partial A/B` on stderr),
    /// `peg` (`checker ANSWER OUTPUT INPUT`, exit 0 or 1, stdout lines A and B give A/B) and
    /// `default` (exit 0 AC, 1 WA); a DMOJ checker's stdout is the feedback.
    #[arg(
        long,
        value_name = "FORMAT",
        value_parser = ["testlib", "kattis", "coci", "peg", "default"]
    )]
    pub checker_format: Option<String>,

    /// Run every case in a container of its own (and each checker or interactor run in another),
    /// as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh
    /// process in a box the worker keeps. For comparison, or for the paranoid.
    #[arg(long)]
    pub container_per_case: bool,

    /// Cases run at once [default: number of cores].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Language (name or alias) instead of guessing from the file extension.
    #[arg(short, long, value_name = "NAME")]
    pub lang: Option<String>,

    /// Entry file inside a directory or among several files.
    #[arg(long, value_name = "FILE")]
    pub main: Option<String>,

    /// CPU-time limit per case [default: 2s]. Where the engine's cgroups cannot be read (a remote
    /// engine), only the wall-clock backstop applies.
    #[arg(short = 't', long, value_name = "DURATION")]
    pub time_limit: Option<String>,

    /// Wall-clock backstop per case, for a program that sleeps or blocks [default: 2 × the time
    /// limit + 1s].
    #[arg(long, value_name = "DURATION")]
    pub wall_time_limit: Option<String>,

    /// Memory limit per case [default: 256MiB, or the language's own].
    #[arg(short, long, value_name = "SIZE")]
    pub memory: Option<String>,

    /// CPU quota in cores per case [default: 1].
    #[arg(long, value_name = "CORES")]
    pub cpus: Option<f64>,

    /// Maximum processes and threads per case.
    #[arg(long, value_name = "N")]
    pub pids: Option<i64>,

    /// Output limit per case [default: 1MiB].
    #[arg(long, value_name = "SIZE")]
    pub output_limit: Option<String>,
}

/// The reports `test` and `verify` write besides the table; the config file's `report` section
/// names the default files (a flag wins).
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Write a JSON report here (`-` for stdout, instead of the table).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Write a JUnit XML report here [default: the config file's report.junit].
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Write an HTML report here: one self-contained page (no scripts, no network); for `test`
    /// every case's verdict, time and memory against its limits and a side-by-side diff of each
    /// wrong answer, for `verify` a matrix of submissions x cases, failures first [default: the
    /// config file's report.html].
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Write a Markdown summary here (a table, the first failure explained), for CI systems
    /// and chat [default: the config file's report.markdown].
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Speak GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY and print
    /// `::error` annotations for the failures [default: on when GITHUB_ACTIONS=true or the
    /// config file's report.github is true].
    #[arg(long)]
    pub github: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The problem package (ICPC/Kattis format, legacy or 2023-07-draft).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Run every case in a container of its own (and each checker or interactor run in another),
    /// as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh
    /// process in a box the worker keeps. For comparison, or for the paranoid.
    #[arg(long)]
    pub container_per_case: bool,

    /// Cases run at once [default: number of cores].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// CPU-time limit per case, instead of the package's (or the one derived from its accepted
    /// submissions).
    #[arg(short = 't', long, value_name = "DURATION")]
    pub time_limit: Option<String>,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Install a dependency manifest found next to each submission (requirements.txt,
    /// package.json, Cargo.toml, Gemfile) into a cached image, with network while it builds.
    /// Without it a submission's manifest is never installed.
    #[arg(long)]
    pub deps: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Source file(s) or one directory. The first file is the entry point.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,

    /// Arguments for the program (after `--`).
    #[arg(last = true, value_name = "ARGS")]
    pub args: Vec<String>,

    /// Language (name or alias) instead of guessing from the file extension.
    #[arg(short, long, value_name = "NAME")]
    pub lang: Option<String>,

    /// Entry file inside a directory or among several files.
    #[arg(long, value_name = "FILE")]
    pub main: Option<String>,

    /// Wall-clock limit, e.g. 10s, 500ms [default: from the profile, else 30s].
    #[arg(
        short = 't',
        long,
        value_name = "DURATION",
        env = "CODECAGE_TIME_LIMIT"
    )]
    pub time_limit: Option<String>,

    /// CPU-time limit of all the program's processes together, e.g. 1s (off by default). Where the
    /// engine's cgroups cannot be read (a remote engine), only the wall-clock limit applies.
    #[arg(long, value_name = "DURATION")]
    pub cpu_time_limit: Option<String>,

    /// Compile even when the compile cache has this program compiled already.
    #[arg(long)]
    pub no_cache: bool,

    /// Type-check before compiling where the language's profile can (TypeScript: tsc --strict;
    /// by default TypeScript's types are only stripped, so type errors are not compile errors).
    #[arg(long)]
    pub typecheck: bool,

    /// Memory limit, e.g. 256MiB, 1g [default: from the profile, else 256MiB].
    #[arg(short, long, value_name = "SIZE", env = "CODECAGE_MEMORY")]
    pub memory: Option<String>,

    /// CPU quota in cores, e.g. 0.5 [default: from the profile, else 0.5].
    #[arg(long, value_name = "CORES", env = "CODECAGE_CPUS")]
    pub cpus: Option<f64>,

    /// Maximum processes and threads [default: from the profile, else 64].
    #[arg(long, value_name = "N", env = "CODECAGE_PIDS")]
    pub pids: Option<i64>,

    /// Maximum bytes of stdout+stderr before the program is killed [default: 64MiB].
    #[arg(long, value_name = "SIZE", env = "CODECAGE_OUTPUT_LIMIT")]
    pub output_limit: Option<String>,

    /// End the run after this long without input or output (off by default).
    #[arg(long, value_name = "DURATION")]
    pub idle_timeout: Option<String>,

    /// Run on a TTY even if stdin or stdout is not a terminal.
    #[arg(long, conflicts_with = "no_tty")]
    pub tty: bool,

    /// Never use a TTY: separate stdout and stderr pipes.
    #[arg(long)]
    pub no_tty: bool,

    /// Install dependencies from this manifest (requirements.txt, package.json, ...) into a cached
    /// image [default: such a file next to the program].
    #[arg(long, value_name = "FILE", conflicts_with_all = ["no_deps", "deps_set"])]
    pub deps: Option<PathBuf>,

    /// Use a dependency set the language's profile declares (e.g. `--lang python --deps-set data`).
    #[arg(long, value_name = "NAME", conflicts_with = "no_deps")]
    pub deps_set: Option<String>,

    /// Ignore dependency manifests next to the program.
    #[arg(long)]
    pub no_deps: bool,

    /// Extra CA certificate (PEM) trusted while dependencies install, e.g. behind a TLS-intercepting
    /// proxy; never copied into the image programs run in [default: SSL_CERT_FILE when set].
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Run through a `codecage serve` instance (http://HOST:PORT) instead of the local engine;
    /// CODECAGE_TOKEN is sent as its API token.
    #[arg(long, value_name = "URL", env = "CODECAGE_SERVER")]
    pub server: Option<String>,

    /// Write a JSON result (status, verdict, time, limits hit, output byte counts) to FILE
    /// (`-` for stderr).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}
