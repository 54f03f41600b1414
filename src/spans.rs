//! Where a run's time goes: named steps (admission, plan, prepare, pool take, start, run,
//! accounting) timed by the code that does them and collected by whoever asked, a server request
//! (its JSON log line) or `codecage run -v`.
//!
//! Why a task-local and not a parameter: the steps are spread over every layer (the server's
//! admission, the pool, the sandbox), and threading a recorder through each signature would make
//! every caller carry it. Outside a scope, recording is a no-op, so the library costs nothing to
//! callers that do not ask. A task spawned inside a scope does not inherit it: code that spawns
//! the run passes `Spans::current()` on and opens the scope again there.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

tokio::task_local! {
    static CURRENT: Spans;
}

/// The steps recorded in one scope, in the order they first ended. Clones share the list.
#[derive(Debug, Clone, Default)]
pub struct Spans(Arc<Mutex<Vec<(&'static str, Duration)>>>);

impl Spans {
    /// Run `work` with this as the recorder its steps report to.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        CURRENT.scope(self, work).await
    }

    /// The recorder of the scope this task runs in, if any.
    pub fn current() -> Option<Spans> {
        CURRENT.try_with(Spans::clone).ok()
    }

    /// The steps so far; a step that happened more than once is their sum.
    pub fn list(&self) -> Vec<(&'static str, Duration)> {
        self.0.lock().map(|l| l.clone()).unwrap_or_default()
    }

    fn add(&self, name: &'static str, took: Duration) {
        if let Ok(mut list) = self.0.lock() {
            match list.iter_mut().find(|(n, _)| *n == name) {
                Some((_, total)) => *total += took,
                None => list.push((name, took)),
            }
        }
    }
}

/// Record that step `name` ran from `since` until now, in the current scope (if any).
pub fn record(name: &'static str, since: Instant) {
    let took = since.elapsed();
    let _ = CURRENT.try_with(|spans| spans.add(name, took));
}

/// Await `work` as step `name`.
pub async fn timed<F: Future>(name: &'static str, work: F) -> F::Output {
    let since = Instant::now();
    let out = work.await;
    record(name, since);
    out
}

/// `name 1.2 ms, name 0.3 ms` for a log line.
pub fn describe(list: &[(&'static str, Duration)]) -> String {
    list.iter()
        .map(|(name, took)| format!("{name} {:.1} ms", took.as_secs_f64() * 1000.0))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn steps_are_recorded_in_a_scope_and_repeats_add_up() {
        let spans = Spans::default();
        spans
            .clone()
            .scope(async {
                timed("plan", async {}).await;
                let since = Instant::now() - Duration::from_millis(5);
                record("run", since);
                record("run", since);
            })
            .await;
        let list = spans.list();
        assert_eq!(
            list.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["plan", "run"]
        );
        assert!(list[1].1 >= Duration::from_millis(10));
    }

    #[tokio::test]
    async fn outside_a_scope_recording_does_nothing() {
        record("run", Instant::now());
        assert!(Spans::current().is_none());
    }

    #[test]
    fn a_list_reads_as_one_line() {
        let list = [
            ("plan", Duration::from_micros(1240)),
            ("run", Duration::from_millis(30)),
        ];
        assert_eq!(describe(&list), "plan 1.2 ms, run 30.0 ms");
    }
}
