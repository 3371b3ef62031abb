//! The Worker client: one same-origin GET per check. The checker reads the report the Worker
//! judged with the same crate, `{evidence, report}` ([`check`]): its build carries the report's
//! decoder and view but no judge (an opened Evidence file is judged in the browser, by the
//! judge's own module, `judge_wire`). The widget, `/bulk` and the generator read that report and
//! the MX lookup field by field instead ([`crate::judged`]).

use mtasts::api::REPORT_PATH;
use mtasts::InputRules;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::state::Answer;

/// Why a check could not be made. Shown as "Could not check", never as "missing".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ApiError {
    /// The input is not a domain we check (refused here or by the Worker); nothing was looked up.
    #[error("{0}")]
    BadInput(String),
    /// Too many checks from this address.
    #[error("too many checks from your address; try again in a minute")]
    RateLimited,
    /// The Worker could not reach DNS (or answered with a server error).
    #[error("the checker could not reach DNS: {0}")]
    Upstream(String),
    /// The Worker could not be reached.
    #[error("could not reach the checker service ({0}); check your connection and try again")]
    Network(String),
    /// The Worker's answer could not be read.
    #[error("the checker service sent an answer this page cannot read ({0})")]
    Decode(String),
}

/// Normalises what a visitor typed (URL, e-mail address, IDN, trailing dot…) to the domain to
/// check. `.test` names are let through here; the Worker refuses them unless it runs against the
/// fixture internet, and its message is shown.
pub(crate) fn normalize(input: &str) -> Result<String, ApiError> {
    mtasts::normalize_domain(input, InputRules { allow_test: true })
        .map_err(|e| ApiError::BadInput(e.to_string()))
}

/// Checks `domain` (already normalised): one request, for the Worker's judged report.
pub(crate) async fn check(domain: &str) -> Result<Answer, ApiError> {
    let body = get_json(&format!("{REPORT_PATH}?domain={}", encode(domain))).await?;
    let c = decode(body)?;
    let newest = c.evidence.schema_version.max(c.report.schema_version);
    if newest > mtasts::SCHEMA_VERSION {
        return Err(ApiError::Decode(format!(
            "schema {newest}, newer than this page reads ({}); reload the page",
            mtasts::SCHEMA_VERSION
        )));
    }
    Ok(c)
}

/// A `{evidence, report}` as the browser parsed it, read ([`crate::decode`]), with its JSON
/// text kept.
pub(crate) fn decode(value: JsValue) -> Result<Answer, ApiError> {
    let json = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| ApiError::Decode("not JSON".into()))?;
    let checked = crate::decode::checked(&value)
        .map_err(|key| ApiError::Decode(format!("`{key}` is missing or not of its type")))?;
    Ok(Answer {
        checked,
        json: json.into(),
    })
}

/// `s` as a URL's query value.
pub(crate) fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// A same-origin GET of `path`: its JSON body as the browser parsed it, or the API's error.
pub(crate) async fn get_json(path: &str) -> Result<wasm_bindgen::JsValue, ApiError> {
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let resp = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|e| ApiError::Network(js_message(&e)))?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|_| ApiError::Decode("not a response".into()))?;
    let status = resp.status();
    let body = match resp.json() {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    if (200..300).contains(&status) {
        return body.ok_or_else(|| ApiError::Decode("not JSON".into()));
    }
    // The API's error body, `{"error": {"code", "message"}}` (`mtasts::api::ErrorBody`), read in
    // place: a serde decoder for it would cost the page more than these two look-ups.
    let message = body
        .and_then(|b| js_sys::Reflect::get(&b, &"error".into()).ok())
        .and_then(|e| js_sys::Reflect::get(&e, &"message".into()).ok())
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("HTTP {status}"));
    Err(match status {
        400 => ApiError::BadInput(message),
        429 => ApiError::RateLimited,
        500..=599 => ApiError::Upstream(message),
        _ => ApiError::Network(message),
    })
}
