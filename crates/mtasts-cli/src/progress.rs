//! Progress on standard error for people at a terminal (`check` and `watch` over many domains,
//! `reports` over many files): done/total, the rate, the time left and the failures so far.
//!
//! Shown only in text output, when standard error is a terminal and `CI` is not set: never in a
//! pipe, a CI log or a machine format. Drawn by `indicatif`, which also keeps the bar off the
//! lines the command prints meanwhile ([`Progress::suspend`]).

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing when it is not to be shown.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    failed: u64,
}

/// Whether progress may be shown: standard error is a terminal and `CI` is unset or empty.
pub(crate) fn wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none_or(|v| v.is_empty())
}

impl Progress {
    /// A bar over `total` items called `what` (`domains`, `files`), shown when `text` output is
    /// asked for, there is more than one item and [`wanted`] says so.
    pub(crate) fn new(total: usize, what: &str, text: bool) -> Self {
        let bar = (text && total > 1 && wanted()).then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(&format!(
                "{{pos}}/{{len}} {what} [{{bar:30}}] {{per_sec}}, {{eta}} left{{msg}}"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.tick();
            bar
        });
        Progress { bar, failed: 0 }
    }

    /// One more item done; `failed` when it could not be checked or read, or failed.
    pub(crate) fn step(&mut self, failed: bool) {
        let Some(bar) = &self.bar else { return };
        if failed {
            self.failed += 1;
            bar.set_message(format!(", {} failed", self.failed));
        }
        bar.inc(1);
    }

    /// Runs `f` with the bar hidden, so what it prints is not drawn over.
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
