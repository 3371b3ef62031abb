//! Opening an Evidence file written by `mtasts check --format json` (or `--smtp`): picked or
//! dropped, read with the browser's `Blob.text()`, judged here by the same crate, and shown as
//! the full report, MX TLS included. Nothing is uploaded: the file never leaves the page.
//!
//! The checker's report build reads the file and has it judged by the crate's judge, which is a
//! module of its own fetched when a file is opened ([`crate::judge_wire`]); the checker's
//! first-load shell hands a file over to the report build ([`hand_over`], `/?open`).

use leptos::prelude::*;
use mtasts::api::Checked;
use wasm_bindgen::JsCast;

/// The largest file read: an Evidence of ten MX hosts with full chains is about 100 KB.
const MAX_EVIDENCE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// What was opened: the file's name and its report, or why it cannot be shown.
pub(crate) type Opened = Option<(String, Result<Checked, String>)>;

#[cfg(feature = "page-checker")]
/// Reads `file` and shows its report (or why not) in `opened`.
pub(crate) fn read(file: web_sys::File, opened: RwSignal<Opened>) {
    let name = file.name();
    if file.size() > MAX_EVIDENCE_BYTES {
        opened.set(Some((name, Err(too_large()))));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string());
        let result = match text {
            Some(t) => crate::judge_wire::judged(t).await,
            None => Err("the file could not be read".to_owned()),
        };
        opened.set(Some((name, result)));
    });
}

#[cfg(feature = "page-checker")]
fn too_large() -> String {
    "this file is larger than 5 MB: not an Evidence file".into()
}

/// Where the checker's first-load shell leaves a file for the checker's build (this tab only).
const HANDED_OVER: &str = "mtasts.open";

/// The shell's side: the file's name and text put in this tab's session storage, then the
/// checker's report build loaded (`/?open`), which shows it. The file still never leaves the
/// browser.
#[cfg(feature = "checker-shell")]
pub(crate) fn hand_over(file: web_sys::File) {
    leptos::task::spawn_local(async move {
        let name = file.name();
        let text = if file.size() > MAX_EVIDENCE_BYTES {
            None
        } else {
            wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
        };
        let item = js_sys::Array::of2(
            &name.into(),
            &text.map_or(wasm_bindgen::JsValue::NULL, Into::into),
        );
        let Some(w) = web_sys::window() else { return };
        if let (Ok(Some(store)), Ok(json)) = (w.session_storage(), js_sys::JSON::stringify(&item)) {
            let _ = store.set_item(HANDED_OVER, &String::from(json));
        }
        let _ = w.location().assign("/?open");
    });
}

#[cfg(feature = "page-checker")]
/// The checker's side: a file the shell handed over, shown once (and `?open` taken off the URL).
pub(crate) fn take_handed_over(opened: RwSignal<Opened>) {
    let Some(w) = web_sys::window() else { return };
    let Ok(Some(store)) = w.session_storage() else {
        return;
    };
    let Ok(Some(json)) = store.get_item(HANDED_OVER) else {
        return;
    };
    let _ = store.remove_item(HANDED_OVER);
    if w.location().search().ok().as_deref() == Some("?open") {
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
        }
    }
    let Ok(item) = js_sys::JSON::parse(&json) else {
        return;
    };
    let item: js_sys::Array = item.unchecked_into();
    let name = item.get(0).as_string().unwrap_or_default();
    let text = item.get(1).as_string();
    leptos::task::spawn_local(async move {
        let result = match text {
            Some(t) => crate::judge_wire::judged(t).await,
            None => Err(too_large()),
        };
        opened.set(Some((name, result)));
    });
}

/// The file picker and drop zone; `on_file` gets the file picked or dropped.
#[component]
pub(crate) fn EvidenceOpener(on_file: Callback<web_sys::File>) -> impl IntoView {
    let over = RwSignal::new(false);
    let on_change = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        if let Some(f) = file {
            on_file.run(f);
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
            on_file.run(f);
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
