//! The one check flow of the checker page and the widget: the form's input normalised (bad input
//! refused here, with no request), the check as a resource (answered from the latest check or by
//! one request), what the live region announces, and the exports of a finished check.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::dom;
use crate::state::{Answer, AppState};

/// Normalises `raw`, then answers from the latest check or asks the Worker.
pub(crate) async fn run_check(state: AppState, raw: &str) -> Result<Answer, ApiError> {
    let domain = api::normalize(raw)?;
    if let Some(c) = state.cached(&domain) {
        return Ok(c);
    }
    let checked = api::check(&domain).await?;
    dom::mark("mtasts-check-response");
    state.last.set(Some(checked.clone()));
    Ok(checked)
}

/// A check as a resource: `None` while no domain is given.
pub(crate) type CheckResource = LocalResource<Option<Result<Answer, ApiError>>>;

/// The check of whatever domain `source` holds; it reruns when `source` changes.
pub(crate) fn check_resource(
    state: AppState,
    source: impl Fn() -> String + 'static,
) -> CheckResource {
    LocalResource::new(move || {
        let raw = source();
        async move {
            if raw.trim().is_empty() {
                None
            } else {
                Some(run_check(state, &raw).await)
            }
        }
    })
}

/// Reads a submitted domain box: the domain to check, or, for bad input, the error shown and
/// focus back in the box (`box_id`), with no request. Every form that takes a domain (the
/// checker, its first-load shell, the widget) goes through here.
pub(crate) fn accept(
    typed: &str,
    input_error: RwSignal<Option<String>>,
    box_id: &str,
) -> Option<String> {
    match api::normalize(typed) {
        Err(e) => {
            input_error.set(Some(e.to_string()));
            dom::focus(box_id);
            None
        }
        Ok(d) => {
            input_error.set(None);
            Some(d)
        }
    }
}

/// Handles the checker's submitted domain box ([`accept`]). The domain being shown again: a
/// fresh check. A new domain: returned, for the caller to check.
pub(crate) fn submit(
    state: AppState,
    typed: &str,
    current: &str,
    result: CheckResource,
    input_error: RwSignal<Option<String>>,
    box_id: &str,
) -> Option<String> {
    // The key press (or click): where the visitor starts waiting.
    dom::mark("mtasts-check-start");
    let d = accept(typed, input_error, box_id)?;
    if d == current {
        state.last.set(None);
        result.refetch();
        None
    } else {
        Some(d)
    }
}

/// What the live region says about a check.
pub(crate) fn announcement(pending: bool, domain: &str, result: &CheckResource) -> String {
    if pending {
        return format!("Checking {domain}…");
    }
    result.with(|r| match r {
        Some(Some(Ok(c))) => format!(
            "Result for {}: {}.",
            c.report.domain,
            c.report.verdict.label()
        ),
        Some(Some(Err(e))) => format!("Could not check: {e}"),
        _ => String::new(),
    })
}

/// The JSON a visitor copies or downloads: the Worker's `/api/report` answer, indented.
pub(crate) fn export_json(c: &Answer) -> String {
    dom::indent_json(&c.json)
}

pub(crate) fn permalink(domain: &str) -> String {
    format!(
        "{}/?domain={}",
        dom::origin(),
        String::from(js_sys::encode_uri_component(domain))
    )
}
