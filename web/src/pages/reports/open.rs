//! Opening reports: the drop zone with its file picker and "Start over", and the progress line
//! while they are read.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Progress, Reader};

/// The drop zone: files picked or dropped go to the `reader`; "Start over" forgets what it read.
pub(super) fn drop_zone(reader: Reader) -> impl IntoView {
    let over = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        reader.take(input.as_ref().and_then(web_sys::HtmlInputElement::files));
        // The same files may be picked again after "Start over".
        if let Some(i) = input {
            i.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        reader.take(ev.data_transfer().and_then(|d| d.files()));
    };
    let result = reader.result;
    view! {
        <section class="dropzone" class:over=move || over.get() aria-labelledby="reports-drop-title"
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop>
            <h2 id="reports-drop-title">"Open reports"</h2>
            <p class="help" id="reports-help">
                "Pick or drop any number of files: " <code>".json"</code> ", " <code>".json.gz"</code>
                ", a saved mail (" <code>".eml"</code> ") or a whole mailbox (" <code>".mbox"</code>
                "). They are read in this browser and never uploaded: this page sends no request."
            </p>
            <label for="reports-files">"Report files"</label>
            <input id="reports-files" type="file" multiple
                accept=".json,.gz,.eml,.mbox,application/json,application/gzip,message/rfc822,application/tlsrpt+gzip,application/tlsrpt+json"
                aria-describedby="reports-help" on:change=on_change/>
            " "
            <button type="button" class="btn" on:click=move |_| reader.clear() disabled=move || result.with(Option::is_none)>"Start over"</button>
        </section>
    }
}

/// How many of the files are read, while they are (`progress`: files done, files in all).
pub(super) fn reading_progress(progress: RwSignal<Progress>) -> impl IntoView {
    view! {
        <div class="progress-slot" aria-live="polite">
            {move || progress.get().map(|(done, total)| view! {
                <div class="checking" id="reports-progress">
                    <progress max=total.to_string() value=done.to_string()></progress>
                    <span>{format!("Reading {done} of {total} files…")}</span>
                </div>
            })}
        </div>
    }
}
