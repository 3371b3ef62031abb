//! State shared between pages through Leptos context.

use std::ops::Deref;
use std::sync::Arc;

use leptos::prelude::*;

/// One finished check: the evidence exactly as the Worker returned it and the report judged from
/// it (the crate's API type, so its JSON is `/api/report`'s).
pub(crate) use mtasts::api::Checked;

/// A finished check as the checker keeps it: decoded, and its JSON text as it arrived. The JSON
/// export and the saved checks write that text back, so the checker's report build links no
/// serializer (README, "Payload"); it reads as the [`Checked`] it holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub(crate) checked: Checked,
    /// `checked` as JSON: the Worker's answer, or what was saved.
    pub(crate) json: Arc<str>,
}

impl Deref for Answer {
    type Target = Checked;
    fn deref(&self) -> &Checked {
        &self.checked
    }
}

/// App-wide state, provided once by [`crate::app::App`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct AppState {
    /// The latest finished check. Coming back to `/?domain=…` shows it without a new request, and
    /// the generator offers its MX hosts.
    pub(crate) last: RwSignal<Option<Answer>>,
}

impl AppState {
    pub(crate) fn new() -> Self {
        AppState {
            last: RwSignal::new(None),
        }
    }

    /// The cached check of `domain`, if it is the latest one.
    pub(crate) fn cached(&self, domain: &str) -> Option<Answer> {
        self.last
            .with_untracked(|c| c.as_ref().filter(|c| c.report.domain == domain).cloned())
    }
}
