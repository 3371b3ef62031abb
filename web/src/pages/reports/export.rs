//! The export bar: everything read, as CSV or as the JSON document `mtasts reports` writes.

use leptos::prelude::*;
use mtasts::reports::{self, Collection};

use crate::dom;

/// The two export buttons, writing `all` that was read.
pub(super) fn export_bar(all: StoredValue<Collection>) -> impl IntoView {
    let export_json = move |_| {
        all.with_value(|c| {
            dom::download(
                "tls-reports.json",
                // serde_json, which this page links already to read the reports: its writer
                // costs less than serde_wasm_bindgen's with JSON.stringify (README, "Payload").
                &serde_json::to_string_pretty(&c.document()).unwrap_or_default(),
                "application/json",
            )
        });
    };
    let export_csv = move |_| {
        all.with_value(|c| {
            dom::download("tls-reports.csv", &reports::csv(c.reports()), "text/csv")
        });
    };
    view! {
        <p class="actions">
            <button type="button" class="btn" on:click=export_csv>"Export CSV"</button>
            " "
            <button type="button" class="btn" on:click=export_json>"Export JSON"</button>
        </p>
    }
}
