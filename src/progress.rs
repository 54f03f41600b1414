//! The one progress-bar factory: progress goes to stderr and hides itself when stderr is not a
//! terminal, so pipes and logs stay clean.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar counting `len` steps, drawn on stderr only when it is a terminal.
pub fn bar(len: u64, message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

/// Progress through a multi-step job whose number of steps is learnt on the way (image builds):
/// a spinner until `set_length`, then a bar; on stderr only when it is a terminal.
pub fn steps(message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Progress lines go out as JSON objects (one per line) instead of text: `serve` logs JSON on
/// stderr, and a text line in the middle would break whoever reads the log with `jq`.
static JSON_LINES: AtomicBool = AtomicBool::new(false);

/// Write progress lines (where there is no terminal for a bar) as JSON from now on.
pub fn json_lines() {
    JSON_LINES.store(true, Ordering::Relaxed);
}

/// Steps of a long job reported on stderr: a bar on a terminal (see [`steps`]); elsewhere (a pipe,
/// a log file, CI) one line per step, so a first image build in a log is not minutes of silence.
pub struct StepLines {
    bar: ProgressBar,
    job: String,
    lines: bool,
    start: Instant,
    last: Option<u64>,
}

impl StepLines {
    /// `job` names what runs ("building image codecage/python:1234"); `verbose` prints the step
    /// lines on a terminal too, above the bar.
    pub fn new(job: &str, verbose: bool) -> StepLines {
        let lines = verbose || !std::io::stderr().is_terminal();
        StepLines {
            bar: steps(job),
            job: job.to_string(),
            lines,
            start: Instant::now(),
            last: None,
        }
    }

    /// Step `step` of `total` began: `what` is its instruction. A line once per step.
    pub fn step(&mut self, step: u64, total: u64, what: &str) {
        self.bar.set_length(total);
        self.bar.set_position(step.saturating_sub(1));
        if !self.lines || self.last == Some(step) {
            return;
        }
        self.last = Some(step);
        let elapsed = self.start.elapsed();
        if JSON_LINES.load(Ordering::Relaxed) {
            let ts_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64);
            let line = serde_json::json!({
                "ts_ms": ts_ms,
                "event": "progress",
                "job": self.job,
                "step": step,
                "steps": total,
                "what": what,
                "elapsed_ms": elapsed.as_millis() as u64,
            });
            eprintln!("{line}");
        } else {
            let line = format!(
                "codecage: {}: step {step}/{total} after {:.1}s: {what}",
                self.job,
                elapsed.as_secs_f64()
            );
            self.bar.suspend(|| eprintln!("{line}"));
        }
    }

    /// Anything else the job said: shown on the bar only.
    pub fn message(&self, text: &str) {
        self.bar.set_message(format!("{}: {text}", self.job));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
