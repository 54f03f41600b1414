//! The local terminal in raw mode, restored on every exit path: the guard's Drop covers returns and
//! errors, the panic hook covers panics (the hook runs before unwinding reaches the guard, and
//! again nothing is lost if both run).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use anyhow::{Context, Result};

static RAW: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Holds the terminal in raw mode until dropped.
pub struct RawGuard(());

impl RawGuard {
    pub fn enable() -> Result<RawGuard> {
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
        });
        crossterm::terminal::enable_raw_mode().context("cannot put the terminal in raw mode")?;
        RAW.store(true, Ordering::SeqCst);
        Ok(RawGuard(()))
    }
}

impl Drop for RawGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    if RAW.swap(false, Ordering::SeqCst) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// The terminal's size as (cols, rows), if there is a terminal.
pub fn size() -> Option<(u16, u16)> {
    crossterm::terminal::size()
        .ok()
        .filter(|(c, r)| *c > 0 && *r > 0)
}
