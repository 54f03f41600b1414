//! The decisions of one sandbox run, kept apart from the engine: what to do on each output chunk,
//! timer, CPU-time sample, cancellation and engine report, and what the run's outcome is. `drive.rs` feeds the
//! events in and carries out the few side effects through `Control`, so every rule here is
//! unit-tested without an engine.
//!
//! A run streams output until it ends (or until a grace period after a kill runs out), then
//! waits for the engine to report the exit. The OOM report comes before the exit report; the
//! exit report usually follows the end of output within milliseconds.

use std::time::Duration;

use bollard::container::LogOutput;
use bytes::Bytes;
use tokio::time::Instant;

use super::error::SandboxError;
use super::io::OutputSink;
use super::outcome::Outcome;
use super::shim;
use crate::limits::Limits;

/// How long to wait for the engine to report an exit after output ended.
const EXIT_REPORT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long to wait for output after the engine reported an exit and nothing was ever read.
const SILENT_DIE_GRACE: Duration = Duration::from_secs(2);
/// How long output may keep flowing after we killed the container.
const AFTER_KILL_TIMEOUT: Duration = Duration::from_secs(5);

/// Facts from the engine's event stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineEvent {
    Oom,
    Die(i64),
}

/// The side effects the decisions call for, carried out by the engine side.
pub trait Control {
    /// SIGKILL the container (without waiting for the engine's answer).
    fn kill(&mut self);
    /// The shim's ready marker arrived: the writer may close the workspace and input.
    fn shim_ready(&mut self);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Output is flowing.
    Streaming,
    /// Output ended; waiting for the engine's exit report.
    AwaitingExit,
    /// Nothing more to wait for.
    Done,
}

/// The state of one run: our counters and flags (in `outcome`), the engine's facts, and when each
/// timer is due.
#[derive(Debug)]
pub struct Lifecycle {
    outcome: Outcome,
    phase: Phase,
    /// The program's clock starts when its workspace is delivered (a pooled sandbox may have
    /// been started long before).
    started: Instant,
    deadline: Instant,
    /// The CPU-time limit, checked against the samples `drive.rs` takes of the run's cgroup.
    cpu_limit: Option<Duration>,
    output_limit: u64,
    idle_limit: Option<Duration>,
    idle_at: Option<Instant>,
    killed: bool,
    /// When to stop waiting: after a kill, or after an exit reported before any output.
    grace_until: Option<Instant>,
    /// The engine reported an exit while the shim's marker was still missing.
    died_silent: bool,
    /// Output held back until the shim's ready marker (TTY or FIFO stdio), which is not the
    /// program's; `None` once seen or when there is none to wait for.
    marker: Option<Vec<u8>>,
    fifo_stdio: bool,
    oom_seen: bool,
    exit: Option<i64>,
    events_closed: bool,
}

impl Lifecycle {
    /// A run starting `now`. `await_marker`: output starts with the shim's ready marker.
    pub fn new(now: Instant, limits: &Limits, fifo_stdio: bool, await_marker: bool) -> Self {
        Lifecycle {
            outcome: Outcome::default(),
            phase: Phase::Streaming,
            started: now,
            deadline: now + limits.time,
            cpu_limit: limits.cpu_time,
            output_limit: limits.output,
            idle_limit: limits.idle,
            idle_at: limits.idle.map(|idle| now + idle),
            killed: false,
            grace_until: None,
            died_silent: false,
            marker: await_marker.then(Vec::new),
            fifo_stdio,
            oom_seen: false,
            exit: None,
            events_closed: false,
        }
    }

    /// Output is still being read.
    pub fn streaming(&self) -> bool {
        self.phase == Phase::Streaming
    }

    /// We killed the container (our own timers and cancellation no longer apply).
    pub fn killed(&self) -> bool {
        self.killed
    }

    pub fn done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// When `on_timer` is next due, if any timer is armed.
    pub fn wake_at(&self) -> Option<Instant> {
        if self.done() {
            return None;
        }
        let mut due = self.grace_until;
        if !self.killed {
            let idle = self.idle_at.filter(|_| self.streaming());
            for at in [Some(self.deadline), idle].into_iter().flatten() {
                due = Some(due.map_or(at, |d| d.min(at)));
            }
        }
        due
    }

    /// A chunk of output: hold it until the shim's marker, deliver it up to the output limit,
    /// and kill when the limit is passed or the sink went away.
    pub fn on_output(
        &mut self,
        now: Instant,
        chunk: LogOutput,
        sink: &mut dyn OutputSink,
        control: &mut dyn Control,
    ) {
        if !self.streaming() {
            return;
        }
        self.idle_at = self.idle_limit.map(|idle| now + idle);
        if self.died_silent && !self.killed {
            // It spoke after all: wait for the end of its output as usual.
            self.died_silent = false;
            self.grace_until = None;
        }
        let (is_err, data) = match chunk {
            LogOutput::StdErr { message } => (true, message),
            LogOutput::StdOut { message } | LogOutput::Console { message } => (false, message),
            LogOutput::StdIn { .. } => return,
        };
        let Some(data) = self.past_marker(data, control) else {
            return;
        };
        if self.killed || data.is_empty() {
            return;
        }
        self.deliver(now, is_err, data, sink, control);
    }

    /// The output after the shim's marker, once it has been seen (`None`: still waiting).
    fn past_marker(&mut self, data: Bytes, control: &mut dyn Control) -> Option<Bytes> {
        let Some(buf) = self.marker.as_mut() else {
            return Some(data);
        };
        buf.extend_from_slice(&data);
        let at = find(buf, shim::READY)?;
        let rest = buf.split_off(at + shim::READY.len());
        self.marker = None;
        control.shim_ready();
        Some(rest.into())
    }

    fn deliver(
        &mut self,
        now: Instant,
        is_err: bool,
        mut data: Bytes,
        sink: &mut dyn OutputSink,
        control: &mut dyn Control,
    ) {
        let so_far = self.outcome.stdout_bytes + self.outcome.stderr_bytes;
        if so_far + data.len() as u64 > self.output_limit {
            // Deliver exactly up to the limit, then stop the program.
            data.truncate((self.output_limit - so_far) as usize);
            self.outcome.output_exceeded = true;
        }
        let written = if is_err {
            self.outcome.stderr_bytes += data.len() as u64;
            sink.stderr(&data)
        } else {
            self.outcome.stdout_bytes += data.len() as u64;
            sink.stdout(&data)
        };
        if written.is_err() {
            self.outcome.sink_closed = true;
        }
        if self.outcome.output_exceeded || self.outcome.sink_closed {
            self.stop(now, control);
        }
    }

    /// The output stream ended (or broke): wait for the exit report, if it has not come yet.
    pub fn on_output_end(&mut self, now: Instant) {
        if !self.streaming() {
            return;
        }
        if self.exit.is_some() || self.events_closed {
            self.phase = Phase::Done;
            return;
        }
        self.phase = Phase::AwaitingExit;
        // A program may close its stdout and stderr and keep running: then only a kill (time
        // limit or cancellation) starts the wait for its report.
        self.grace_until = self.killed.then(|| now + EXIT_REPORT_TIMEOUT);
    }

    /// Input went to the program: it is not idle.
    pub fn on_activity(&mut self, now: Instant) {
        if self.streaming() {
            self.idle_at = self.idle_limit.map(|idle| now + idle);
        }
    }

    pub fn on_cancel(&mut self, now: Instant, control: &mut dyn Control) {
        if !self.killed && !self.done() {
            self.outcome.cancelled = true;
            self.stop(now, control);
        }
    }

    pub fn on_engine(&mut self, now: Instant, event: EngineEvent) {
        match event {
            EngineEvent::Oom => self.oom_seen = true,
            EngineEvent::Die(code) => {
                self.exit = Some(code);
                match self.phase {
                    // Output may still be draining; keep reading until it ends.
                    Phase::Streaming => self.note_silent_die(now),
                    Phase::AwaitingExit => self.phase = Phase::Done,
                    Phase::Done => {}
                }
            }
        }
    }

    /// A FIFO that no process ever opened never reports hang-up (the shim died before its
    /// redirections): without its marker yet, stop waiting soon.
    fn note_silent_die(&mut self, now: Instant) {
        if self.fifo_stdio && !self.killed && self.marker.is_some() {
            self.died_silent = true;
            self.grace_until = Some(now + SILENT_DIE_GRACE);
        }
    }

    /// The engine's event stream ended: no report will come.
    pub fn on_events_closed(&mut self) {
        self.events_closed = true;
        if self.phase == Phase::AwaitingExit {
            self.phase = Phase::Done;
        }
    }

    /// The timer set for `wake_at` went off: act on whichever timers are due.
    pub fn on_timer(&mut self, now: Instant, control: &mut dyn Control) {
        if !self.killed && now >= self.deadline {
            self.on_deadline(now, control);
        } else if !self.killed && self.streaming() && self.idle_at.is_some_and(|at| now >= at) {
            self.on_idle(now, control);
        } else if self.grace_until.is_some_and(|at| now >= at) {
            self.on_grace_over(now);
        }
    }

    pub fn on_deadline(&mut self, now: Instant, control: &mut dyn Control) {
        if !self.killed && !self.done() {
            self.outcome.timed_out = true;
            self.stop(now, control);
        }
    }

    /// The sandbox's CPU time so far: past the CPU-time limit, kill as the deadline does.
    pub fn on_cpu_sample(&mut self, now: Instant, used: Duration, control: &mut dyn Control) {
        if !self.killed && !self.done() && self.cpu_limit.is_some_and(|limit| used > limit) {
            self.outcome.cpu_timed_out = true;
            self.stop(now, control);
        }
    }

    pub fn on_idle(&mut self, now: Instant, control: &mut dyn Control) {
        if !self.killed && self.streaming() {
            self.outcome.idle_timed_out = true;
            self.stop(now, control);
        }
    }

    /// The wait after a kill (or a silent exit) ran out: stop reading output, then stop waiting
    /// for the report.
    fn on_grace_over(&mut self, now: Instant) {
        match self.phase {
            Phase::Streaming => self.on_output_end(now),
            Phase::AwaitingExit => self.phase = Phase::Done,
            Phase::Done => {}
        }
    }

    /// Kill, and give the sandbox a grace period to finish its output (or its report).
    fn stop(&mut self, now: Instant, control: &mut dyn Control) {
        control.kill();
        self.killed = true;
        let grace = match self.phase {
            Phase::Streaming => AFTER_KILL_TIMEOUT,
            _ => EXIT_REPORT_TIMEOUT,
        };
        self.grace_until = Some(now + grace);
    }

    /// The outcome, and whether the engine reported the exit (then auto-remove takes over).
    pub fn finish(mut self, now: Instant) -> Result<(Outcome, bool), SandboxError> {
        self.outcome.wall = now - self.started;
        self.outcome.oom_killed = self.oom_seen;
        self.outcome.exit_code = self.exit;
        if self.fifo_stdio && self.marker.is_some() && !self.killed {
            return Err(SandboxError::FifoUnopened {
                exit: self.exit.map_or("unknown".to_string(), |c| c.to_string()),
            });
        }
        let out = &self.outcome;
        if self.exit.is_none() && !out.cancelled && !out.sink_closed {
            return Err(SandboxError::NoExitReport);
        }
        Ok((self.outcome, self.exit.is_some()))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::io::Collected;

    #[derive(Default)]
    struct Recorder {
        kills: usize,
        ready: usize,
    }

    impl Control for Recorder {
        fn kill(&mut self) {
            self.kills += 1;
        }
        fn shim_ready(&mut self) {
            self.ready += 1;
        }
    }

    /// A reader that went away.
    struct Closed;

    impl OutputSink for Closed {
        fn stdout(&mut self, _: &[u8]) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn stderr(&mut self, _: &[u8]) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    fn limits(output: u64) -> Limits {
        let mut limits = Limits::run_defaults();
        limits.time = Duration::from_secs(10);
        limits.output = output;
        limits.idle = None;
        limits
    }

    fn out(text: &str) -> LogOutput {
        LogOutput::StdOut {
            message: text.as_bytes().to_vec().into(),
        }
    }

    fn err(text: &str) -> LogOutput {
        LogOutput::StdErr {
            message: text.as_bytes().to_vec().into(),
        }
    }

    fn after(t0: Instant, ms: u64) -> Instant {
        t0 + Duration::from_millis(ms)
    }

    #[test]
    fn output_is_cut_exactly_at_the_limit_and_the_program_killed_once() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(10), false, false);
        let (mut sink, mut c) = (Collected::default(), Recorder::default());
        m.on_output(t0, out("123456"), &mut sink, &mut c);
        assert_eq!(c.kills, 0);
        m.on_output(t0, err("abcdef"), &mut sink, &mut c);
        m.on_output(t0, out("more"), &mut sink, &mut c);
        assert_eq!(sink.output, b"123456abcd");
        assert_eq!(c.kills, 1);
        assert!(m.killed());
        m.on_output_end(after(t0, 5));
        m.on_engine(after(t0, 6), EngineEvent::Die(137));
        let (o, exited) = m.finish(after(t0, 7)).unwrap();
        assert!(o.output_exceeded && exited);
        assert_eq!((o.stdout_bytes, o.stderr_bytes), (6, 4));
        assert_eq!(o.verdict(), crate::sandbox::Verdict::OutputLimit);
    }

    #[test]
    fn output_exactly_at_the_limit_is_not_exceeding_it() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(4), false, false);
        let (mut sink, mut c) = (Collected::default(), Recorder::default());
        m.on_output(t0, out("1234"), &mut sink, &mut c);
        assert_eq!(c.kills, 0);
        m.on_engine(t0, EngineEvent::Die(0));
        m.on_output_end(t0);
        assert!(m.done());
        let (o, _) = m.finish(t0).unwrap();
        assert!(!o.output_exceeded);
        assert_eq!((o.exit_code, o.stdout_bytes), (Some(0), 4));
    }

    #[test]
    fn the_deadline_times_out_and_kills_once() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        let mut c = Recorder::default();
        assert_eq!(m.wake_at(), Some(after(t0, 10_000)));
        m.on_timer(after(t0, 9_999), &mut c);
        assert_eq!(c.kills, 0);
        m.on_timer(after(t0, 10_000), &mut c);
        assert_eq!(c.kills, 1);
        // Further deadlines and cancellation do nothing more: it is already dying.
        m.on_deadline(after(t0, 10_001), &mut c);
        m.on_cancel(after(t0, 10_002), &mut c);
        assert_eq!(c.kills, 1);
        // Output may flow for the after-kill grace.
        assert_eq!(m.wake_at(), Some(after(t0, 15_000)));
        m.on_output_end(after(t0, 10_100));
        m.on_engine(after(t0, 10_200), EngineEvent::Die(137));
        let (o, _) = m.finish(after(t0, 10_300)).unwrap();
        assert!(o.timed_out && !o.cancelled);
        assert_eq!(o.wall, Duration::from_millis(10_300));
        assert_eq!(o.verdict(), crate::sandbox::Verdict::TimeLimit);
    }

    #[test]
    fn cpu_time_past_the_limit_kills_once() {
        let t0 = Instant::now();
        let mut l = limits(100);
        l.cpu_time = Some(Duration::from_secs(1));
        let mut m = Lifecycle::new(t0, &l, false, false);
        let mut c = Recorder::default();
        m.on_cpu_sample(after(t0, 500), Duration::from_millis(400), &mut c);
        m.on_cpu_sample(after(t0, 1_000), Duration::from_secs(1), &mut c);
        assert_eq!(c.kills, 0, "at the limit is not past it");
        m.on_cpu_sample(after(t0, 1_025), Duration::from_millis(1_010), &mut c);
        assert_eq!(c.kills, 1);
        // Later samples, the deadline and cancellation do nothing more.
        m.on_cpu_sample(after(t0, 1_050), Duration::from_secs(2), &mut c);
        m.on_deadline(after(t0, 10_000), &mut c);
        m.on_cancel(after(t0, 10_001), &mut c);
        assert_eq!(c.kills, 1);
        assert_eq!(m.wake_at(), Some(after(t0, 6_025)), "the after-kill grace");
        m.on_output_end(after(t0, 1_100));
        m.on_engine(after(t0, 1_200), EngineEvent::Die(137));
        let (o, _) = m.finish(after(t0, 1_300)).unwrap();
        assert!(o.cpu_timed_out && !o.timed_out && !o.cancelled);
        assert_eq!(o.verdict(), crate::sandbox::Verdict::TimeLimit);
        assert_eq!(o.exit_status(None), crate::exit_code::TIME_LIMIT);
    }

    #[test]
    fn cpu_samples_without_a_limit_or_after_the_end_do_nothing() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        let mut c = Recorder::default();
        m.on_cpu_sample(t0, Duration::from_secs(3_600), &mut c);
        assert_eq!(c.kills, 0);
        let mut l = limits(100);
        l.cpu_time = Some(Duration::from_secs(1));
        let mut m = Lifecycle::new(t0, &l, false, false);
        m.on_engine(t0, EngineEvent::Die(0));
        m.on_output_end(t0);
        m.on_cpu_sample(t0, Duration::from_secs(2), &mut c);
        assert_eq!(c.kills, 0);
        assert!(!m.finish(t0).unwrap().0.cpu_timed_out);
        // A program that closed its output but still runs is still limited.
        let mut m = Lifecycle::new(t0, &l, false, false);
        m.on_output_end(t0);
        m.on_cpu_sample(after(t0, 1), Duration::from_secs(2), &mut c);
        assert_eq!(c.kills, 1);
    }

    #[test]
    fn output_after_a_kill_is_not_delivered() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        let (mut sink, mut c) = (Collected::default(), Recorder::default());
        m.on_deadline(t0, &mut c);
        m.on_output(t0, out("late"), &mut sink, &mut c);
        assert!(sink.output.is_empty());
    }

    #[test]
    fn cancel_kills_and_needs_no_exit_report() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        let mut c = Recorder::default();
        m.on_cancel(t0, &mut c);
        assert_eq!(c.kills, 1);
        // Output never ends: the after-kill grace runs out, then the wait for the report does.
        m.on_timer(after(t0, 5_000), &mut c);
        assert!(!m.done() && !m.streaming());
        assert_eq!(m.wake_at(), Some(after(t0, 15_000)));
        m.on_timer(after(t0, 15_000), &mut c);
        assert!(m.done());
        let (o, exited) = m.finish(after(t0, 15_000)).unwrap();
        assert!(o.cancelled && !exited);
        assert_eq!(o.verdict(), crate::sandbox::Verdict::Cancelled);
    }

    #[test]
    fn an_oom_report_before_the_exit_makes_a_memory_verdict() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        m.on_engine(t0, EngineEvent::Oom);
        m.on_engine(t0, EngineEvent::Die(0));
        assert!(m.streaming(), "output may still be draining");
        m.on_output_end(t0);
        let (o, exited) = m.finish(t0).unwrap();
        assert!(o.oom_killed && exited);
        assert_eq!(o.exit_code, Some(0));
        assert_eq!(o.verdict(), crate::sandbox::Verdict::MemoryLimit);
    }

    #[test]
    fn after_output_ends_the_exit_report_ends_the_run() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        let mut c = Recorder::default();
        m.on_output_end(t0);
        // Still running with its output closed: only the time limit applies.
        assert_eq!(m.wake_at(), Some(after(t0, 10_000)));
        m.on_engine(after(t0, 1), EngineEvent::Oom);
        m.on_engine(after(t0, 2), EngineEvent::Die(3));
        assert!(m.done());
        assert_eq!(c.kills, 0);
        let (o, _) = m.finish(after(t0, 3)).unwrap();
        assert_eq!((o.exit_code, o.oom_killed), (Some(3), true));
        // A deadline after the output ended kills and waits for the report.
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        m.on_output_end(t0);
        m.on_timer(after(t0, 10_000), &mut c);
        assert_eq!(c.kills, 1);
        assert_eq!(m.wake_at(), Some(after(t0, 20_000)));
        m.on_timer(after(t0, 20_000), &mut c);
        assert!(matches!(
            m.finish(after(t0, 20_000)),
            Err(SandboxError::NoExitReport)
        ));
    }

    #[test]
    fn a_closed_event_stream_ends_the_wait() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        m.on_events_closed();
        m.on_output_end(t0);
        assert!(m.done());
        assert!(matches!(m.finish(t0), Err(SandboxError::NoExitReport)));
    }

    #[test]
    fn a_closed_sink_kills() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, false);
        let mut c = Recorder::default();
        m.on_output(t0, out("x"), &mut Closed, &mut c);
        assert_eq!(c.kills, 1);
        m.on_output_end(t0);
        m.on_timer(after(t0, 10_000), &mut c);
        let (o, exited) = m.finish(after(t0, 10_000)).unwrap();
        assert!(o.sink_closed && !exited);
        assert_eq!(o.verdict(), crate::sandbox::Verdict::Cancelled);
    }

    #[test]
    fn output_is_held_until_the_shim_marker() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), true, true);
        let (mut sink, mut c) = (Collected::default(), Recorder::default());
        let marker = String::from_utf8(shim::READY.to_vec()).unwrap();
        let (head, tail) = marker.split_at(marker.len() / 2);
        m.on_output(t0, out(&format!("noise{head}")), &mut sink, &mut c);
        assert_eq!(c.ready, 0);
        assert!(sink.output.is_empty());
        m.on_output(t0, out(&format!("{tail}hello")), &mut sink, &mut c);
        assert_eq!(c.ready, 1);
        assert_eq!(sink.output, b"hello");
        m.on_output(t0, out(&marker), &mut sink, &mut c);
        assert_eq!(
            c.ready, 1,
            "the marker counts once; later ones are the program's"
        );
        assert_eq!(sink.output, format!("hello{marker}").as_bytes());
    }

    #[test]
    fn an_exit_before_the_marker_on_fifos_waits_only_briefly() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), true, true);
        let mut c = Recorder::default();
        m.on_engine(after(t0, 100), EngineEvent::Die(2));
        assert_eq!(m.wake_at(), Some(after(t0, 2_100)));
        m.on_timer(after(t0, 2_100), &mut c);
        assert!(m.done());
        assert_eq!(c.kills, 0);
        let e = m.finish(after(t0, 2_100)).unwrap_err();
        assert!(matches!(&e, SandboxError::FifoUnopened { exit } if exit == "2"));
        assert!(e.to_string().contains("CODECAGE_STDIO=attach"));
    }

    #[test]
    fn output_after_a_silent_exit_waits_for_the_end_as_usual() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), true, true);
        let (mut sink, mut c) = (Collected::default(), Recorder::default());
        m.on_engine(t0, EngineEvent::Die(0));
        m.on_output(after(t0, 1), out("partial"), &mut sink, &mut c);
        assert_eq!(m.wake_at(), Some(after(t0, 10_000)), "the deadline only");
    }

    #[test]
    fn on_a_tty_an_exit_before_the_marker_is_not_silent() {
        let t0 = Instant::now();
        let mut m = Lifecycle::new(t0, &limits(100), false, true);
        m.on_engine(after(t0, 100), EngineEvent::Die(0));
        assert_eq!(m.wake_at(), Some(after(t0, 10_000)));
    }

    #[test]
    fn idle_output_times_out_and_input_counts_as_activity() {
        let t0 = Instant::now();
        let mut l = limits(100);
        l.idle = Some(Duration::from_secs(3));
        let mut m = Lifecycle::new(t0, &l, false, false);
        let (mut sink, mut c) = (Collected::default(), Recorder::default());
        assert_eq!(m.wake_at(), Some(after(t0, 3_000)));
        m.on_output(after(t0, 1_000), out("a"), &mut sink, &mut c);
        m.on_activity(after(t0, 2_000));
        assert_eq!(m.wake_at(), Some(after(t0, 5_000)));
        m.on_timer(after(t0, 5_000), &mut c);
        assert_eq!(c.kills, 1);
        m.on_output_end(after(t0, 5_001));
        m.on_engine(after(t0, 5_002), EngineEvent::Die(137));
        let (o, _) = m.finish(after(t0, 5_003)).unwrap();
        assert!(o.idle_timed_out && !o.timed_out);
    }
}
