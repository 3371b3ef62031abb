//! The outcomes of a check besides a report: "could not check", and the progress indicator.

use leptos::prelude::*;

/// "Could not check", with every cause.
#[component]
pub(crate) fn CouldNotCheck(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <section class="verdict verdict-inconclusive" data-verdict="could-not-check" aria-label="Verdict">
            <span class="verdict-icon" aria-hidden="true">"?"</span>
            <div class="verdict-body">
                <h2 class="verdict-title">"Could not check"</h2>
                <ul class="causes">
                    {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
                </ul>
            </div>
        </section>
    }
}

/// The progress indicator shown while a check runs.
#[component]
pub(crate) fn Checking(#[prop(into)] domain: Signal<String>) -> impl IntoView {
    view! {
        <div class="checking">
            <progress aria-label="Checking"></progress>
            <span>{move || format!("Checking {}…", domain.get())}</span>
        </div>
    }
}
