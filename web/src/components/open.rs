//! Opening an Evidence file written by `mtasts check --format json` (or `--smtp`): picked or
//! dropped, read with the browser's `Blob.text()`, judged here by the same crate, and shown as
//! the full report, MX TLS included. Nothing is uploaded: the file never leaves the page.

use leptos::prelude::*;
use mtasts::api::Checked;
use mtasts::Evidence;
use wasm_bindgen::JsCast;

/// The largest file read: an Evidence of ten MX hosts with full chains is about 100 KB.
const MAX_EVIDENCE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// What was opened: the file's name and its report, or why it cannot be shown.
pub(crate) type Opened = Option<(String, Result<Checked, String>)>;

/// Parses a file's text: an Evidence, or `{evidence, report}` (the report is judged again here).
pub(crate) fn parse(text: &str) -> Result<Checked, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "this file is not JSON".to_owned())?;
    let inner = js_sys::Reflect::get(&value, &"evidence".into())
        .ok()
        .filter(|v| v.is_object());
    let ev: Evidence = serde_wasm_bindgen::from_value(inner.unwrap_or(value))
        .map_err(|e| format!("this JSON is not an mtasts Evidence file ({e})"))?;
    if ev.schema_version > mtasts::SCHEMA_VERSION {
        return Err(format!(
            "this Evidence has schema {}, newer than this page reads ({}); update the page",
            ev.schema_version,
            mtasts::SCHEMA_VERSION
        ));
    }
    Ok(Checked::assess(ev))
}

fn read(file: web_sys::File, opened: RwSignal<Opened>) {
    let name = file.name();
    if file.size() > MAX_EVIDENCE_BYTES {
        opened.set(Some((
            name,
            Err("this file is larger than 5 MB: not an Evidence file".into()),
        )));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string());
        let result = text.map_or_else(
            || Err("the file could not be read".to_owned()),
            |t| parse(&t),
        );
        opened.set(Some((name, result)));
    });
}

/// The file picker and drop zone.
#[component]
pub(crate) fn EvidenceOpener(opened: RwSignal<Opened>) -> impl IntoView {
    let over = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        if let Some(f) = file {
            read(f, opened);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(f) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            read(f, opened);
        }
    };
    view! {
        <section class="dropzone" class:over=move || over.get() aria-labelledby="open-title"
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop>
            <h2 id="open-title">"Open an Evidence file"</h2>
            <p class="help" id="open-help">
                "A file written by " <code>"mtasts check --smtp --format json"</code>
                " (with every MX host's STARTTLS and certificate). Pick it or drop it here: it is read in this browser and never uploaded."
            </p>
            <label for="evidence-file">"Evidence file (JSON)"</label>
            <input id="evidence-file" type="file" accept=".json,application/json" aria-describedby="open-help" on:change=on_change/>
        </section>
    }
}
