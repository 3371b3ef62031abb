//! Small browser helpers: clipboard, downloads, time, titles, theme.

use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Now, in Unix seconds.
pub(crate) fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A Unix time as `2026-11-22 10:04:05 UTC`.
pub(crate) fn utc(t: u64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(t as f64 * 1000.0));
    let iso = String::from(d.to_iso_string());
    // 2026-11-22T10:04:05.000Z
    format!("{} {} UTC", &iso[..10], iso.get(11..19).unwrap_or(""))
}

/// Sets the document title (each page has its own, for history and screen readers).
pub(crate) fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{title} · mtasts"));
    }
}

/// Copies `text` to the clipboard; false when the browser refused.
pub(crate) async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// Offers `text` as a file download named `name`.
pub(crate) fn download(name: &str, text: &str, mime: &str) {
    let run = || -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let doc = window.document().ok_or(JsValue::NULL)?;
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        web_sys::Url::revoke_object_url(&url)?;
        Ok(())
    };
    let _ = run();
}

/// Pretty JSON of `value`, as the CLI and the API write it (maps as objects, numbers as numbers).
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&ser)
        .ok()
        .and_then(|v| {
            js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &JsValue::from(2))
                .ok()
        })
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// JSON text indented as [`to_json`] writes it (the browser's parser and writer: no serializer in
/// the page). Text that is not JSON is returned as it is.
pub(crate) fn indent_json(text: &str) -> String {
    js_sys::JSON::parse(text)
        .ok()
        .and_then(|v| {
            js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &JsValue::from(2))
                .ok()
        })
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| text.to_owned())
}

/// A domain name in A-labels, converted by the browser's URL parser (UTS #46 as URLs apply it,
/// the same processing the `idna` crate does for the CLI and the Worker). `None` when the browser
/// refuses the name, or when it holds anything that would make it more than a host in a URL.
pub(crate) fn idn_to_ascii(name: &str) -> Option<String> {
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "/\\?#@:[]%".contains(c))
    {
        return None;
    }
    let host = web_sys::Url::new(&format!("http://{name}/"))
        .ok()?
        .hostname();
    (!host.is_empty() && host.is_ascii()).then_some(host)
}

/// The page's own origin, e.g. `https://mtasts.example`.
pub(crate) fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Moves keyboard focus to the element with `id`.
pub(crate) fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Scrolls the element with `id` into view (nearest edge, no jump if visible).
pub(crate) fn scroll_into_view(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view_with_bool(false);
    }
}

/// Selects UTF-16 offsets `start..end` of the text area `id` and focuses it.
pub(crate) fn select_in_textarea(id: &str, start: u32, end: u32) {
    if let Some(ta) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        let _ = ta.focus();
        let _ = ta.set_selection_range(start, end.max(start));
    }
}

/// The theme and accent a widget was given (`?theme=light|dark|auto&accent=#0a7`), applied to
/// the document: `data-theme` on `<html>` and the `--accent` custom property (set through the
/// CSSOM, which the Content-Security-Policy allows, never through a style attribute).
pub(crate) fn apply_theme(theme: &str, accent: &str) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    match theme {
        "light" | "dark" => {
            let _ = root.set_attribute("data-theme", theme);
        }
        _ => {
            let _ = root.remove_attribute("data-theme");
        }
    }
    if let Some(color) = crate::text::css_color(accent) {
        if let Ok(el) = root.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.style().set_property("--accent", &color);
        }
    }
}

/// A performance mark (timings measured inside the page, not by a test driver's polling).
pub(crate) fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Measures `name` from the mark `start` to the next animation frame (once what was just
/// rendered is on its way to the screen); from the page's own start when `start` was never
/// marked (a check that began with the page: a permalink, or a domain sent by the checker's
/// first-load shell).
pub(crate) fn measure_next_frame(name: &'static str, start: &'static str) {
    let Some(w) = web_sys::window() else { return };
    let measure = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = if p.get_entries_by_name(start).length() == 0 {
                p.measure(name)
            } else {
                p.measure_with_start_mark(name, start)
            };
        }
    });
    let _ = w.request_animation_frame(measure.unchecked_ref());
}
