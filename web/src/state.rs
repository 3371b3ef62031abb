//! State shared between pages through Leptos context.

use leptos::prelude::*;

/// One finished check: the evidence exactly as the Worker returned it and the report this browser
/// judged from it (the crate's API type, so its JSON is `/api/report`'s).
pub(crate) use mtasts::api::Checked;

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
