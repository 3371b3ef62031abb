//! State shared between pages through Leptos context.

use leptos::prelude::*;
use mtasts::{Evidence, Report};

/// One finished check: what the Worker observed and what this browser concluded from it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Checked {
    /// The evidence exactly as the Worker returned it.
    pub(crate) evidence: Evidence,
    /// `mtasts::assess(&evidence)`, computed here.
    pub(crate) report: Report,
}

impl Checked {
    /// Assesses `evidence` in the browser.
    pub(crate) fn from_evidence(evidence: Evidence) -> Self {
        let report = mtasts::assess(&evidence);
        Checked { evidence, report }
    }
}

/// App-wide state, provided once by [`crate::app::App`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct AppState {
    /// The latest finished check. Coming back to `/?domain=…` shows it without a new request, and
    /// the generator offers its MX hosts.
    pub(crate) last: RwSignal<Option<Checked>>,
}

impl AppState {
    pub(crate) fn new() -> Self {
        AppState {
            last: RwSignal::new(None),
        }
    }

    /// The cached check of `domain`, if it is the latest one.
    pub(crate) fn cached(&self, domain: &str) -> Option<Checked> {
        self.last
            .with_untracked(|c| c.as_ref().filter(|c| c.report.domain == domain).cloned())
    }
}
