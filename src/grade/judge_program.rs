//! Programs a problem setter writes to judge a submission: output checkers and interactors.
//!
//! They are untrusted code like the submission (a package downloaded from the internet carries
//! them), so they are compiled once by the same prepare step and run for every case in a fresh
//! hardened sandbox of their own, never on the host. These conventions are spoken:
//!
//! - **testlib** (Codeforces/Polygon): `checker INPUT OUTPUT ANSWER`, `interactor INPUT OUTPUT
//!   [ANSWER]`; exit 0 accepted, 1 wrong answer, 2 or 4 presentation error, 3 judge failure, 7
//!   partial credit (stderr starts with `points P`), 8 unexpected end of file; stderr is the
//!   feedback.
//! - **Kattis** output validators: `validator INPUT ANSWER FEEDBACK_DIR [FLAGS]` with the
//!   submission's output on stdin (or, interactive, on a live pipe both ways); exit 42 accepted,
//!   43 rejected; `judgemessage.txt` in the feedback directory is the feedback, `score.txt` the
//!   score (`score_multiplier.txt` a share of the case's maximum, 2023-07-draft).
//! - **DMOJ**'s `bridged` checker types (`default`, `testlib`, `coci`, `peg`): see [`dmoj`].
//!
//! The judge program's files come back through a small `sh` wrapper inside its sandbox: after the
//! program ends it writes each feedback file (and the program's own stderr), at most 64 KiB each,
//! to the sandbox's stderr between marker lines, then exits with the program's status. Nothing is
//! ever copied out of a container, and the sandbox's output limit bounds what a chatty checker
//! can make codecage hold. A testlib interactor whose problem also has a checker (Polygon's) gets
//! its output file (`tout`, the checker's OUTPUT) back the same way, up to [`TOUT_MAX`].

mod dmoj;

pub use super::judgement::Judgement;

use std::time::Duration;

use anyhow::{Context, Result};
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use super::lane::Lane;
use super::test_case::TestCase;
use crate::limits::Limits;
use crate::plan::RunPlan;
use crate::prepare::{prepare, Prepared};
use crate::sandbox::{self, Collected, Outcome, SandboxSpec};
use crate::verdict::Verdict;
use crate::workspace::Workspace;

/// Which protocol the judge program speaks (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    Testlib,
    Kattis,
    /// A DMOJ `bridged` checker of this type; its arguments are the program's `flags`, an
    /// `args_format_string` split into words.
    Dmoj(DmojType),
}

pub use dmoj::{parse_args as dmoj_args, DmojType};

impl Convention {
    /// `--checker-format`: `testlib` (codecage's, points as a share), `kattis`, or DMOJ's
    /// `coci`, `peg` and `default` (whose arguments are DMOJ's defaults).
    pub fn parse(name: &str) -> Option<Convention> {
        match name {
            "testlib" => Some(Convention::Testlib),
            "kattis" => Some(Convention::Kattis),
            "coci" | "peg" | "default" => DmojType::parse(name).map(Convention::Dmoj),
            _ => None,
        }
    }
}

/// What the judge program does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reads the finished output of the submission.
    Checker,
    /// Talks with the submission while it runs.
    Interactor,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Checker => "checker",
            Role::Interactor => "interactor",
        }
    }
}

/// Where a case's files are put in the judge program's workspace.
const INPUT: &str = ".judge/input";
const OUTPUT: &str = ".judge/output";
const ANSWER: &str = ".judge/answer";
const FEEDBACK_DIR: &str = ".judge/feedback/";

/// The marker that starts each file the wrapper reports on stderr.
const MARKER: &[u8] = b"\n\x1ecodecage-feedback ";

/// Most bytes of each feedback file the wrapper reports.
const FEEDBACK_MAX: usize = 64 << 10;

/// Most bytes of an interactor's output file (`tout`) the wrapper reports for the checker. An
/// interactor writes there what its checker reads (an answer, a count, a log of the moves), far
/// less than this; one that writes more is broken, and its case an internal error.
pub const TOUT_MAX: usize = 16 << 20;

/// The frame that carries an interactor's output file (not a file of the feedback directory).
const TOUT_FRAME: &str = "tout";

/// Runs the judge program (`$@`) with its stdio chosen by `$1`, then reports its feedback files
/// on stderr and exits with its status. The program's own stdout is thrown away for a testlib or
/// Kattis checker: neither convention gives it a meaning, and it must not be mistaken for a
/// marker; DMOJ's checkers (`capture`) say things on stdout, so it becomes a file too. DMOJ's
/// interactors (`unbuffered`) need not flush, so their stdout is made unbuffered: C's stdio
/// through coreutils' `stdbuf` where the image has it, Python through its environment.
const WRAPPER: &str = r#"mode=$1; shift
mkdir -p .judge/feedback
case $mode in
  stdin) "$@" <.judge/output >/dev/null 2>.judge/feedback/.stderr ;;
  nostdin) "$@" </dev/null >/dev/null 2>.judge/feedback/.stderr ;;
  capture) "$@" </dev/null >.judge/feedback/.stdout 2>.judge/feedback/.stderr ;;
  unbuffered) if command -v stdbuf >/dev/null; then set -- stdbuf -o0 "$@"; fi
    PYTHONUNBUFFERED=1 "$@" 2>.judge/feedback/.stderr ;;
  *) "$@" 2>.judge/feedback/.stderr ;;
esac
code=$?
if [ "$mode" = tout ] && [ -f .judge/output ]; then
  printf '\n\036codecage-feedback tout %s\n' "$(wc -c <.judge/output)" >&2
  head -c 16777216 .judge/output >&2
fi
for f in .stderr .stdout judgemessage.txt judgeerror.txt score.txt score_multiplier.txt; do
  if [ -f ".judge/feedback/$f" ]; then
    printf '\n\036codecage-feedback %s %s\n' "$f" "$(wc -c <".judge/feedback/$f")" >&2
    head -c 65536 ".judge/feedback/$f" >&2
  fi
done
exit $code
"#;

/// A judge program, compiled and ready to run once per case.
pub struct JudgeProgram {
    pub role: Role,
    pub convention: Convention,
    /// Flags every run gets after the convention's arguments (a package's `validator_flags`).
    pub flags: Vec<String>,
    plan: RunPlan,
    image: String,
    workspace: Workspace,
    /// The program's own files as a tar, made once: a judge box keeps them between cases.
    program_tar: Vec<u8>,
    /// An interactor whose output file (testlib's `tout`) a checker reads after it: each run
    /// reports that file (see [`JudgeProgram::output_file`]).
    keeps_output: bool,
}

/// A judge program that could not be built: every case is an internal error with this reason,
/// never the submission's compile error.
#[derive(Debug, Clone)]
pub struct BuildFailure {
    pub reason: String,
    pub diagnostics: String,
}

/// A judge program's wall-clock limit per case (an interactor gets longer when the submission
/// may run longer). Checkers run in well under a second; this only ends one that hangs.
pub const JUDGE_TIME: Duration = Duration::from_secs(15);

/// The limits of a judge program's run: generous (a slow checker is not the submission's fault)
/// but finite, so a checker that loops or floods ends as an internal error.
pub fn judge_limits() -> Limits {
    Limits {
        time: JUDGE_TIME,
        cpu_time: None,
        memory: 1 << 30,
        cpus: 1.0,
        pids: 64,
        // The feedback frames: six files of at most 64 KiB, and the markers.
        output: 7 * FEEDBACK_MAX as u64,
        workspace: 64 << 20,
        idle: None,
        cpu_period: crate::limits::DEFAULT_CPU_PERIOD,
    }
}

impl JudgeProgram {
    /// Build (compile) the judge program of `plan` once.
    pub async fn build(
        docker: &Docker,
        mut plan: RunPlan,
        role: Role,
        convention: Convention,
        flags: Vec<String>,
        verbose: bool,
        cancel: CancellationToken,
    ) -> Result<Result<JudgeProgram, BuildFailure>> {
        // A runtime that needs more processes than the judge's default (the JVM's threads: Java's
        // profile asks for 128) keeps its own figure.
        let pids = plan.limits.pids;
        plan.limits = judge_limits();
        plan.limits.pids = plan.limits.pids.max(pids);
        plan.args.clear();
        let mut diagnostics = Collected::default();
        let prepared = prepare(docker, &plan, &mut diagnostics, verbose, cancel).await?;
        let diagnostics = String::from_utf8_lossy(&diagnostics.output).into_owned();
        Ok(match prepared {
            Prepared::Ready(ready) => {
                let workspace =
                    Workspace::from_untrusted_tar(&ready.workspace_tar, plan.limits.workspace)
                        .with_context(|| format!("the {}'s workspace", role.name()))?;
                let program_tar = workspace.to_tar()?;
                Ok(JudgeProgram {
                    role,
                    convention,
                    flags,
                    plan,
                    image: ready.image,
                    workspace,
                    program_tar,
                    keeps_output: false,
                })
            }
            Prepared::CompileFailed(failure) => Err(BuildFailure {
                reason: format!("the {} did not compile: {}", role.name(), failure.reason),
                diagnostics,
            }),
        })
    }

    /// The sandbox that judges `case`, and the case's files: the judge program's workspace
    /// (`program_tar`) with the case's files unpacked over it, its arguments by convention,
    /// inside the wrapper. The spec's own workspace is left empty: `Lane::run_split` puts the two
    /// tars together for a container, or sends the program's once to a judge box. `output` is
    /// the submission's output (a checker's input); `wall` the least wall-clock time it needs (an
    /// interactor must outlive the submission it talks to).
    pub fn spec(
        &self,
        case: &TestCase,
        output: Option<&[u8]>,
        wall: Duration,
    ) -> Result<(SandboxSpec, Vec<u8>)> {
        let mut files = Workspace::default();
        files.add(INPUT, case.stdin.clone(), false)?;
        let answer = case.stdout.clone();
        // Kattis always passes an answer file: an interactive case without `.ans` gets an empty
        // one (its validators open it whatever the problem), and so does DMOJ (a case without
        // `out` has empty output data); testlib only when there is one.
        if answer.is_some() || !matches!(self.convention, Convention::Testlib) {
            files.add(ANSWER, answer.clone().unwrap_or_default(), false)?;
        }
        if let Some(output) = output {
            files.add(OUTPUT, output.to_vec(), false)?;
        }
        let mut limits = judge_limits();
        limits.time = limits.time.max(wall);
        // Room for the case's files on top of the program's, and for what the program writes;
        // a power of two, so that most cases fit the same judge box.
        let needed = (self.workspace.bytes() + files.bytes()) * 2 + (16 << 20);
        limits.workspace = limits.workspace.max(needed.next_power_of_two());
        limits.memory += limits.workspace;
        if self.role == Role::Interactor {
            // Its stdout is the submission's input, counted against its output limit too.
            limits.output += 64 << 20;
        }
        if self.keeps_output {
            limits.output += TOUT_MAX as u64;
        }
        let mode = match (self.role, self.convention) {
            // DMOJ makes its interactors' stdout unbuffered: they need not flush.
            (Role::Interactor, Convention::Dmoj(_)) => "unbuffered",
            (Role::Interactor, _) if self.keeps_output => "tout",
            (Role::Interactor, _) => "interact",
            (Role::Checker, Convention::Kattis) => "stdin",
            (Role::Checker, Convention::Testlib) => "nostdin",
            (Role::Checker, Convention::Dmoj(_)) => "capture",
        };
        let mut argv: Vec<String> = ["sh", "-c", WRAPPER, "judge", mode]
            .into_iter()
            .map(String::from)
            .collect();
        argv.extend(self.plan.run_argv());
        argv.extend(self.arguments(case, answer.is_some()));
        let spec = SandboxSpec::new(self.image.clone(), argv, Vec::new(), limits)
            .with_runtime(self.plan.profile.runtime.clone());
        Ok((spec, files.to_tar()?))
    }

    /// The judge program's own files, as a tar (see `spec`).
    pub fn program_tar(&self) -> &[u8] {
        &self.program_tar
    }

    /// Make a testlib interactor report its output file (`tout`) after every run, for the checker
    /// Polygon runs on it. Other judge programs are left as they are: a Kattis or DMOJ interactor
    /// has no output file, its verdict is final.
    pub fn keep_output(&mut self) {
        self.keeps_output = self.role == Role::Interactor && self.convention == Convention::Testlib;
    }

    /// Whether runs report the output file (see [`JudgeProgram::keep_output`]).
    pub fn keeps_output(&self) -> bool {
        self.keeps_output
    }

    /// The interactor's output file as its run reported it on `stderr` (empty when it wrote
    /// none, as testlib creates the file but a program need not).
    pub fn output_file(&self, stderr: &[u8]) -> Vec<u8> {
        Feedback::parse(stderr)
            .files
            .into_iter()
            .find(|(name, _, _)| name == TOUT_FRAME)
            .map(|(_, _, body)| body)
            .unwrap_or_default()
    }

    /// The convention's arguments for `case`.
    fn arguments(&self, case: &TestCase, has_answer: bool) -> Vec<String> {
        if let Convention::Dmoj(kind) = self.convention {
            return self.dmoj_arguments(kind);
        }
        let mut args: Vec<String> = match (self.convention, self.role) {
            (Convention::Testlib, Role::Checker) => vec![INPUT, OUTPUT, ANSWER],
            (Convention::Testlib, Role::Interactor) if has_answer => vec![INPUT, OUTPUT, ANSWER],
            (Convention::Testlib, Role::Interactor) => vec![INPUT, OUTPUT],
            // Kattis always passes an answer file; an interactive case without one gets an
            // empty file, which is what its validators expect.
            (Convention::Kattis, _) => vec![INPUT, ANSWER, FEEDBACK_DIR],
            (Convention::Dmoj(_), _) => vec![],
        }
        .into_iter()
        .map(String::from)
        .collect();
        if self.convention == Convention::Kattis {
            args.extend(self.flags.iter().cloned());
            args.extend(case.judge_args.iter().cloned());
        }
        args
    }

    /// A DMOJ checker's arguments: its `args_format_string` (the words in `flags`), else its
    /// type's, with the case's files put in. Every placeholder was checked when the package was
    /// read; one that was not (a caller's own flags) is left as it is.
    fn dmoj_arguments(&self, kind: DmojType) -> Vec<String> {
        let words = if self.flags.is_empty() {
            let default = match self.role {
                Role::Checker => kind.default_args(),
                Role::Interactor => kind.default_interactor_args(),
            };
            dmoj_args(default).unwrap_or_default()
        } else {
            self.flags.clone()
        };
        let path = |field: dmoj::Field| {
            match field {
                dmoj::Field::Input => INPUT,
                dmoj::Field::Output => OUTPUT,
                dmoj::Field::Answer => ANSWER,
            }
            .to_string()
        };
        words
            .iter()
            .map(|w| dmoj::fill(w, &path).unwrap_or_else(|_| w.clone()))
            .collect()
    }

    /// Run the checker on one case's output, in `lane`.
    pub async fn check(
        &self,
        lane: &mut Lane,
        case: &TestCase,
        output: &[u8],
        cancel: CancellationToken,
    ) -> Judgement {
        let mut case = case.clone();
        if self.convention == Convention::Kattis && case.stdout.is_none() {
            case.stdout = Some(Vec::new());
        }
        let (spec, files) = match self.spec(&case, Some(output), Duration::ZERO) {
            Ok(parts) => parts,
            Err(e) => return Judgement::internal(format!("{}: {e:#}", self.role.name())),
        };
        let mut sink = Collected::default();
        let input = sandbox::fixed_input(Vec::new());
        let split = Some((self.program_tar(), files));
        match lane.run_split(&spec, split, input, &mut sink, cancel).await {
            Ok(outcome) => self.judgement(&outcome, &sink.stderr),
            Err(e) => Judgement::internal(format!("{}: {e:#}", self.role.name())),
        }
    }

    /// What the judge program's run says about the case.
    pub fn judgement(&self, outcome: &Outcome, stderr: &[u8]) -> Judgement {
        let feedback = Feedback::parse(stderr);
        let role = self.role.name();
        let verdict = outcome.verdict();
        if !matches!(verdict, Verdict::Accepted | Verdict::RuntimeError) {
            let what = if verdict == Verdict::Cancelled {
                "was cancelled".to_string()
            } else {
                format!("hit its limit: {}", verdict.description())
            };
            return Judgement::internal(format!("the {role} {what}"));
        }
        if let Some((name, size)) = feedback.oversized() {
            // A judge program that writes megabytes is broken; its verdict is not trusted.
            let file = match name {
                ".stderr" => "stderr",
                TOUT_FRAME => "its output file",
                other => other,
            };
            return Judgement::internal(format!(
                "the {role} wrote {size} bytes to {file}, more than the {} KiB codecage reads",
                frame_max(name) >> 10
            ));
        }
        let code = outcome.exit_code.unwrap_or(-1);
        match self.convention {
            Convention::Testlib => testlib(role, code, &feedback),
            Convention::Kattis => kattis(role, code, &feedback),
            // An interactor's stdout is the conversation: DMOJ reads what a checker would say
            // on stdout (peg's share too) from its stderr.
            Convention::Dmoj(kind) if self.role == Role::Interactor => dmoj::judgement(
                kind,
                role,
                code,
                feedback.text(".stderr"),
                feedback.text(".stderr"),
            ),
            Convention::Dmoj(kind) => dmoj::judgement(
                kind,
                role,
                code,
                feedback.text(".stdout"),
                feedback.text(".stderr"),
            ),
        }
    }
}

/// testlib's exit codes.
fn testlib(role: &str, code: i64, feedback: &Feedback) -> Judgement {
    let message = feedback.text(".stderr");
    let verdict = match code {
        0 => Verdict::Accepted,
        1 => Verdict::WrongAnswer,
        // 4 is testlib's "dirt" (extra output), 8 an unexpected end of file: both malformed.
        2 | 4 | 8 => Verdict::PresentationError,
        7 => return testlib_points(role, message),
        3 => {
            return Judgement::internal(format!(
                "the {role} failed: {}",
                message.as_deref().unwrap_or("no message")
            ))
        }
        other => {
            return Judgement::internal(format!(
                "the {role} exited with status {other}{}",
                message.map(|m| format!(": {m}")).unwrap_or_default()
            ))
        }
    };
    Judgement::plain(verdict, message)
}

/// testlib's partial credit: `quitp(P, ...)` writes "points P ..." and exits 7. P is the share of
/// the case's value, from 0 to 1.
fn testlib_points(role: &str, message: Option<String>) -> Judgement {
    let text = message.clone().unwrap_or_default();
    let points = text
        .trim_start()
        .strip_prefix("points")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse::<f64>().ok());
    match points {
        Some(p) if (0.0..=1.0).contains(&p) => Judgement {
            share: Some(p),
            ..Judgement::plain(
                if p > 0.0 {
                    Verdict::Accepted
                } else {
                    Verdict::WrongAnswer
                },
                message,
            )
        },
        Some(p) => Judgement::internal(format!(
            "the {role} gave {p} points; codecage takes points as a share of the case, 0 to 1"
        )),
        None => Judgement::internal(format!(
            "the {role} exited 7 (points) without \"points P\" on stderr"
        )),
    }
}

/// Kattis' exit codes and feedback files.
fn kattis(role: &str, code: i64, feedback: &Feedback) -> Judgement {
    let message = feedback
        .text("judgemessage.txt")
        .or_else(|| feedback.text(".stderr"));
    let verdict = match code {
        42 => Verdict::Accepted,
        43 => Verdict::WrongAnswer,
        other => {
            // A validator that gives up says why in `judgeerror.txt` (problemtools' validate.h
            // writes it before it aborts); its stderr then only names the abort.
            let reason = feedback.text("judgeerror.txt").or(message);
            return Judgement::internal(format!(
                "the {role} exited with status {other} (42 accepts, 43 rejects){}",
                reason.map(|m| format!(": {m}")).unwrap_or_default()
            ));
        }
    };
    let mut judgement = Judgement::plain(verdict, message);
    if verdict == Verdict::Accepted {
        for (file, slot) in [
            ("score.txt", &mut judgement.score_file),
            ("score_multiplier.txt", &mut judgement.multiplier_file),
        ] {
            *slot = match number_in(feedback, file) {
                Ok(n) => n,
                Err(text) => {
                    return Judgement::internal(format!(
                        "the {role} wrote {text:?} to {file}, not a non-negative number"
                    ))
                }
            };
        }
    }
    judgement
}

/// The number in a feedback file (`None` when there is no such file), or the file's text.
fn number_in(feedback: &Feedback, file: &str) -> Result<Option<f64>, String> {
    let Some(text) = feedback.text(file) else {
        return Ok(None);
    };
    match text.split_whitespace().next().map(str::parse::<f64>) {
        Some(Ok(n)) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err(text.chars().take(40).collect()),
    }
}

/// The files the wrapper reported, by name.
#[derive(Debug, Default)]
struct Feedback {
    /// Name, size the wrapper measured, and the first `FEEDBACK_MAX` bytes.
    files: Vec<(String, u64, Vec<u8>)>,
}

impl Feedback {
    /// Split the wrapper's stderr at its markers. Anything before the first marker is not a file.
    fn parse(stderr: &[u8]) -> Feedback {
        let mut files = Vec::new();
        let mut rest = stderr;
        let Some(start) = find(rest, MARKER) else {
            return Feedback { files };
        };
        rest = &rest[start + MARKER.len()..];
        while let Some(eol) = rest.iter().position(|b| *b == b'\n') {
            let header = String::from_utf8_lossy(&rest[..eol]).into_owned();
            let (name, size) = match header.rsplit_once(' ') {
                Some((name, size)) => (name.to_string(), size.trim().parse().unwrap_or(0)),
                None => (header, 0),
            };
            let body = &rest[eol + 1..];
            // The wrapper measured the file: a body of exactly that size followed by a marker
            // (or the end) is taken whole, whatever bytes it holds; anything else is cut at the
            // next marker.
            let exact = usize::try_from(size).ok().filter(|&n| {
                n <= frame_max(&name)
                    && body.len() >= n
                    && (body.len() == n || body[n..].starts_with(MARKER))
            });
            if let Some(n) = exact {
                files.push((name, size, body[..n].to_vec()));
                if body.len() == n {
                    break;
                }
                rest = &body[n + MARKER.len()..];
                continue;
            }
            match find(body, MARKER) {
                Some(next) => {
                    files.push((name, size, body[..next].to_vec()));
                    rest = &body[next + MARKER.len()..];
                }
                None => {
                    files.push((name, size, body.to_vec()));
                    break;
                }
            }
        }
        Feedback { files }
    }

    /// The first file bigger than what the wrapper reports, with its size.
    fn oversized(&self) -> Option<(&str, u64)> {
        self.files
            .iter()
            .find(|(name, size, _)| *size > frame_max(name) as u64)
            .map(|(name, size, _)| (name.as_str(), *size))
    }

    /// A file's text, trimmed; `None` when missing or blank.
    fn text(&self, name: &str) -> Option<String> {
        self.files
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, body)| String::from_utf8_lossy(body).trim().to_string())
            .filter(|t| !t.is_empty())
    }
}

/// Most bytes the wrapper reports of the file a frame carries.
fn frame_max(name: &str) -> usize {
    if name == TOUT_FRAME {
        TOUT_MAX
    } else {
        FEEDBACK_MAX
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(files: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, body) in files {
            out.extend_from_slice(MARKER);
            out.extend_from_slice(format!("{name} {}", body.len()).as_bytes());
            out.push(b'\n');
            out.extend_from_slice(body.as_bytes());
        }
        out
    }

    #[test]
    fn feedback_frames_split_by_name() {
        let f = Feedback::parse(&frames(&[
            (".stderr", "ok 3 numbers\n"),
            ("judgemessage.txt", "line 2: expected 5\n"),
            ("score.txt", "  "),
        ]));
        assert_eq!(f.text(".stderr").as_deref(), Some("ok 3 numbers"));
        assert_eq!(
            f.text("judgemessage.txt").as_deref(),
            Some("line 2: expected 5")
        );
        assert_eq!(f.text("score.txt"), None);
        assert!(Feedback::parse(b"no markers at all").files.is_empty());
        assert!(Feedback::parse(b"").files.is_empty());
        assert_eq!(f.oversized(), None);
        let mut big = MARKER.to_vec();
        big.extend_from_slice(b"judgemessage.txt 8388608\nxxxx");
        assert_eq!(
            Feedback::parse(&big).oversized(),
            Some(("judgemessage.txt", 8 << 20))
        );
    }

    #[test]
    fn an_interactors_output_file_is_taken_whole_by_its_measured_size() {
        // What an interactor writes is its own: even the marker inside it does not cut it.
        let mut tout = b"found 5\n".to_vec();
        tout.extend_from_slice(MARKER);
        tout.extend_from_slice(b"score.txt 3\n100");
        let mut stderr = frames(&[(".stderr", "ok fine")]);
        stderr.extend_from_slice(MARKER);
        stderr.extend_from_slice(format!("{TOUT_FRAME} {}\n", tout.len()).as_bytes());
        stderr.extend_from_slice(&tout);
        let feedback = Feedback::parse(&stderr);
        assert_eq!(feedback.text(".stderr").as_deref(), Some("ok fine"));
        assert_eq!(feedback.text("score.txt"), None);
        let body = feedback.files.iter().find(|(n, _, _)| n == TOUT_FRAME);
        assert_eq!(body.map(|(_, _, b)| b.clone()), Some(tout));
        assert_eq!(feedback.oversized(), None);
        // Past TOUT_MAX it is an oversized file, as a feedback file past 64 KiB is.
        let mut big = MARKER.to_vec();
        big.extend_from_slice(format!("{TOUT_FRAME} {}\nxx", TOUT_MAX + 1).as_bytes());
        assert_eq!(
            Feedback::parse(&big).oversized(),
            Some((TOUT_FRAME, TOUT_MAX as u64 + 1))
        );
    }

    #[test]
    fn testlib_exit_codes() {
        let fb = |s: &str| Feedback::parse(&frames(&[(".stderr", s)]));
        let v = |code, s: &str| testlib("checker", code, &fb(s));
        assert_eq!(v(0, "ok").verdict, Verdict::Accepted);
        assert_eq!(v(1, "wrong answer").verdict, Verdict::WrongAnswer);
        assert_eq!(
            v(1, "wrong answer").feedback.as_deref(),
            Some("wrong answer")
        );
        assert_eq!(v(2, "").verdict, Verdict::PresentationError);
        assert_eq!(v(8, "").verdict, Verdict::PresentationError);
        let fail = v(3, "FAIL answer file broken");
        assert_eq!(fail.verdict, Verdict::InternalError);
        assert!(fail.feedback.unwrap().contains("answer file broken"));
        assert_eq!(v(139, "").verdict, Verdict::InternalError);
        let half = v(7, "points 0.5 half of it");
        assert_eq!((half.verdict, half.share), (Verdict::Accepted, Some(0.5)));
        let none = v(7, "points 0");
        assert_eq!(
            (none.verdict, none.share),
            (Verdict::WrongAnswer, Some(0.0))
        );
        assert_eq!(v(7, "points 30").verdict, Verdict::InternalError);
        assert_eq!(v(7, "no points here").verdict, Verdict::InternalError);
    }

    #[test]
    fn kattis_exit_codes_and_files() {
        let j = kattis(
            "validator",
            42,
            &Feedback::parse(&frames(&[("score.txt", "12.5\n")])),
        );
        assert_eq!((j.verdict, j.score_file), (Verdict::Accepted, Some(12.5)));
        let wa = kattis(
            "validator",
            43,
            &Feedback::parse(&frames(&[
                (".stderr", "debug noise"),
                ("judgemessage.txt", "too many guesses"),
            ])),
        );
        assert_eq!(wa.verdict, Verdict::WrongAnswer);
        assert_eq!(wa.feedback.as_deref(), Some("too many guesses"));
        assert_eq!(
            kattis("validator", 0, &Feedback::default()).verdict,
            Verdict::InternalError
        );
        let bad = kattis(
            "validator",
            42,
            &Feedback::parse(&frames(&[("score.txt", "lots")])),
        );
        assert_eq!(bad.verdict, Verdict::InternalError);
    }
}
