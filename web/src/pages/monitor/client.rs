//! The monitor API's client (`/api/monitor`, same origin): a request with an optional JSON body
//! and the management key as `Authorization: Bearer`, its JSON answer as the browser parsed it;
//! and where this tab keeps the subscription id and its key (`sessionStorage`).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::judged::{field, text};

/// Where subscriptions are made and read.
pub(super) const PATH: &str = "/api/monitor";

/// Why a request failed: the HTTP status (0 when the service could not be reached) and the
/// API's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Failure {
    pub(super) status: u16,
    pub(super) message: String,
}

impl Failure {
    /// The failure in plain words, with the API's own message.
    pub(super) fn words(&self) -> String {
        let m = &self.message;
        match self.status {
            0 => format!("Could not reach the monitoring service ({m}); check your connection and try again."),
            // The API's messages end without a stop, some with `https:`: the note goes in brackets.
            400 => format!("Refused: {m} (nothing was saved, and no request was made to the webhook)."),
            404 => "No subscription with this id and key: check both (the key is the one shown when you subscribed).".to_owned(),
            413 => format!("Refused: {m}."),
            429 => format!("Limit reached: {m}. Try again later."),
            503 => format!("Monitoring is not available on this server: {m}."),
            s => format!("The monitoring service answered HTTP {s}: {m}."),
        }
    }
}

/// `method` on `path` with the JSON `body` (if any) and the management `key` (if any): the
/// answer's JSON, or why not.
pub(super) async fn call(
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&JsValue>,
) -> Result<JsValue, Failure> {
    let net = |m: String| Failure {
        status: 0,
        message: m,
    };
    let window = web_sys::window().ok_or_else(|| net("no window".into()))?;
    let headers = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&headers, &k.into(), &v.into());
    };
    if let Some(k) = key {
        set("Authorization", &format!("Bearer {k}"));
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(b) = body {
        set("Content-Type", "application/json");
        let text = js_sys::JSON::stringify(b)
            .map_err(|_| net("the request could not be written".into()))?;
        init.set_body(&text);
    }
    init.set_headers(&headers);
    let resp = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|e| {
            net(e
                .dyn_ref::<js_sys::Error>()
                .map_or_else(|| "network error".into(), |e| String::from(e.message())))
        })?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| net("not a response".into()))?;
    let status = resp.status();
    let json = match resp.json() {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    if (200..300).contains(&status) {
        return json.ok_or_else(|| Failure {
            status,
            message: "the answer is not JSON".into(),
        });
    }
    // `{"error": {"code", "message"}}`, the API's error shape.
    let message = json
        .and_then(|j| text(&field(&j, "error"), "message"))
        .unwrap_or_else(|| format!("HTTP {status}"));
    Err(Failure { status, message })
}

/// A JSON object of string fields.
pub(super) fn object(fields: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &(*k).into(), &(*v).into());
    }
    o.into()
}

/// This tab's storage. `sessionStorage`, not `localStorage`: the key is a bearer credential, so
/// it lives only as long as the tab, is never sent anywhere but in the `Authorization` header of
/// this page's requests, and never in a URL (which would land in logs, history and referrers).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

const ID_ITEM: &str = "mtasts.monitor.id";
const KEY_ITEM: &str = "mtasts.monitor.key";

/// The subscription id and key this tab keeps, if any.
pub(super) fn kept() -> Option<(String, String)> {
    let s = storage()?;
    let id = s.get_item(ID_ITEM).ok().flatten()?;
    let key = s.get_item(KEY_ITEM).ok().flatten()?;
    Some((id, key))
}

/// Keeps the id and key in this tab.
pub(super) fn keep(id: &str, key: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(ID_ITEM, id);
        let _ = s.set_item(KEY_ITEM, key);
    }
}

/// Forgets them.
pub(super) fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(ID_ITEM);
        let _ = s.remove_item(KEY_ITEM);
    }
}
