//! The crate's judge as a module of its own (README, "Payload"). An Evidence file opened on the
//! checker page (written by `mtasts check --format json`, or `--smtp`) must not leave the
//! browser, so it is judged here; but the judge and the eleven sender models would double the
//! checker's first load, so they are this crate's `judge-engine` build — no page — which the
//! loader (scripts/web-bundles.mjs) fetches from the same origin when a file is opened (and ahead,
//! when the pointer or focus enters the drop zone). The file's text goes from one wasm module to
//! the other through `window.mtastsJudge`, and its judged report `{evidence, report}` comes back
//! as JSON text, read by [`crate::decode`] as the Worker's answer is. Both ends are here.

use mtasts::api::Checked;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The window's property the loader sets to a function that loads this module once and judges
/// a file's text with it.
const GLOBAL: &str = "mtastsJudge";

/// The engine's side: a file's text — an Evidence, or `{evidence, report}` (its report judged
/// again) — as the judged `{evidence, report}` JSON, or why not.
#[cfg_attr(not(feature = "judge-engine"), allow(dead_code))]
pub(crate) fn judge_text(text: &str) -> Result<String, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "this file is not JSON".to_owned())?;
    let inner = js_sys::Reflect::get(&value, &"evidence".into())
        .ok()
        .filter(JsValue::is_object);
    let ev = crate::decode::evidence(&inner.unwrap_or(value)).map_err(|key| {
        format!("this JSON is not an mtasts Evidence file (`{key}` is missing or not of its type)")
    })?;
    if ev.schema_version > mtasts::SCHEMA_VERSION {
        return Err(format!(
            "this Evidence has schema {}, newer than this page reads ({}); update the page",
            ev.schema_version,
            mtasts::SCHEMA_VERSION
        ));
    }
    Ok(crate::dom::to_json(&Checked::assess(ev)))
}

/// The page's side: `text` judged by the engine (loaded on first use), read back.
pub(crate) async fn judged(text: String) -> Result<Checked, String> {
    const UNLOADED: &str = "the checker's judge could not be loaded; reload the page";
    let judge = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &GLOBAL.into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or(UNLOADED)?;
    let promise: js_sys::Promise = judge
        .call1(&JsValue::NULL, &text.into())
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or(UNLOADED)?;
    // The engine's refusal is its message; a module that did not load is not the file's fault.
    let json = JsFuture::from(promise)
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| UNLOADED.to_owned()))?
        .as_string()
        .ok_or(UNLOADED)?;
    let value = js_sys::JSON::parse(&json).map_err(|_| UNLOADED.to_owned())?;
    crate::decode::checked(&value)
        .map_err(|key| format!("the judged report has no readable `{key}`"))
}

/// The module's end: the `judge` function the loader hands to the checker.
#[cfg(feature = "judge-engine")]
mod engine {
    use wasm_bindgen::prelude::wasm_bindgen;

    /// The judged `{evidence, report}` JSON of a file's text; throws why not.
    #[wasm_bindgen]
    pub fn judge(text: &str) -> Result<String, String> {
        crate::init();
        super::judge_text(text)
    }
}
