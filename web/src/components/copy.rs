//! A copy-to-clipboard button that says whether it worked.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::dom;

/// Copies `text` when pressed; the outcome is announced next to the button.
#[component]
pub(crate) fn CopyButton(
    /// What to copy.
    #[prop(into)]
    text: Signal<String>,
    /// The button's label, e.g. "Copy the TXT record".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let (status, set_status) = signal(String::new());
    let copy = move |_| {
        let t = text.get_untracked();
        spawn_local(async move {
            let ok = dom::copy_text(&t).await;
            set_status.set(
                if ok {
                    "Copied."
                } else {
                    "The browser refused to copy; select the text and copy it."
                }
                .to_owned(),
            );
        });
    };
    view! {
        <span class="copy">
            <button type="button" class="btn" on:click=copy>{label}</button>
            <span class="copy-status" role="status">{status}</span>
        </span>
    }
}
