//! The Worker's answers read field by field from the browser's `JSON.parse`: the judged report of
//! `/api/report` (`{evidence, report}`, assessed by the same crate in the Worker) and the MX
//! lookup of `/api/mx`. The pages that read them (the widget, `/bulk`, the generator and its
//! planner) then link no judge, no Evidence decoder and no serde decoder of JS values: those,
//! with their error messages, would cost each page's build more than these look-ups (README,
//! "Payload").
//!
//! A value of the crate's JSON is read back by its serde name ([`named`]), so a name here cannot
//! drift from the crate's.

use mtasts::api::{MX_PATH, REPORT_PATH};
use mtasts::observe::evidence::{DnsLookup, DnsRecord, LookupError, RecordData, RecordType};
use mtasts::Policy;
use serde::de::{DeserializeOwned, IntoDeserializer};
use wasm_bindgen::JsValue;

use crate::api::{self, ApiError};

/// `o[key]` (`undefined` when `o` has no such field or is no object).
pub(crate) fn field(o: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `o[key]` as a string.
pub(crate) fn text(o: &JsValue, key: &str) -> Option<String> {
    field(o, key).as_string()
}

/// `o[key]` as a whole number (`None` unless it is one, within `u64`).
pub(crate) fn number(o: &JsValue, key: &str) -> Option<u64> {
    let n = field(o, key).as_f64()?;
    // JSON numbers are doubles: the crate's whole numbers (seconds, TTLs, preferences) are exact.
    (n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64).then_some(n as u64)
}

/// The items of the array `o[key]` (none when it is no array).
pub(crate) fn items(o: &JsValue, key: &str) -> Vec<JsValue> {
    let v = field(o, key);
    if js_sys::Array::is_array(&v) {
        js_sys::Array::from(&v).iter().collect()
    } else {
        vec![]
    }
}

/// `o[key]` is there and not `null`.
pub(crate) fn present(o: &JsValue, key: &str) -> bool {
    !field(o, key).is_null_or_undefined()
}

/// The crate's enum value whose JSON name is `o[key]` (`"fail"` → `Verdict::Fail`), read by the
/// crate's own serde names.
pub(crate) fn named<T: DeserializeOwned>(o: &JsValue, key: &str) -> Option<T> {
    let s = text(o, key)?;
    T::deserialize(s.as_str().into_deserializer())
        .map_err(|_: serde::de::value::Error| ())
        .ok()
}

/// `/api/report` of `domain` (already normalised): `{evidence, report}` as the browser parsed it.
pub(crate) async fn report(domain: &str) -> Result<JsValue, ApiError> {
    let answer = api::get_json(&format!("{REPORT_PATH}?domain={}", api::encode(domain))).await?;
    if text(&field(&answer, "report"), "domain").is_none() {
        return Err(ApiError::Decode("the answer is not a report".into()));
    }
    Ok(answer)
}

/// `/api/mx` of `domain` (already normalised), as the crate's lookup.
pub(crate) async fn mx(domain: &str) -> Result<DnsLookup, ApiError> {
    let answer = api::get_json(&format!("{MX_PATH}?domain={}", api::encode(domain))).await?;
    lookup(&answer).ok_or_else(|| ApiError::Decode("the answer is not an MX lookup".into()))
}

/// A DNS lookup of the Evidence, as the crate's type, with what its [`DnsLookup::status`] and
/// [`DnsLookup::mx_records`] read: the name and type asked for, the response code, the error, and
/// the answers that are MX or TXT records (the types the pages look up from here; other records,
/// such as a CNAME on the way, are left out: no status depends on them).
pub(crate) fn lookup(v: &JsValue) -> Option<DnsLookup> {
    let qtype: RecordType = named(v, "qtype")?;
    let error = field(v, "error");
    let answers = items(v, "answers")
        .iter()
        .filter_map(|r| {
            // The record's data sits beside its TTL (`#[serde(flatten)]`), tagged by `type`.
            let data = match text(r, "type")?.as_str() {
                "MX" => RecordData::Mx {
                    preference: u16::try_from(number(r, "preference")?).ok()?,
                    exchange: text(r, "exchange")?,
                },
                "TXT" => RecordData::Txt {
                    strings: items(r, "strings")
                        .iter()
                        .map(JsValue::as_string)
                        .collect::<Option<_>>()?,
                },
                _ => return None,
            };
            Some(DnsRecord {
                ttl: u32::try_from(number(r, "ttl")?).ok()?,
                data,
            })
        })
        .collect();
    Some(DnsLookup {
        rcode: named(v, "rcode"),
        error: if error.is_null_or_undefined() {
            None
        } else {
            Some(LookupError {
                kind: named(&error, "kind")?,
                message: text(&error, "message").unwrap_or_default(),
            })
        },
        ..DnsLookup::answered(text(v, "name")?, qtype, answers)
    })
}

/// The report's policy (`report.policy`), as the crate's type; `None` when the report has none
/// (or it does not read back: every `mx` is read by the policy grammar, as serde would).
pub(crate) fn policy(report: &JsValue) -> Option<Policy> {
    crate::decode::policy(&field(report, "policy")).ok()
}

/// The host names of the report's MX hosts (`report.mx_hosts[].host`), in its order.
pub(crate) fn mx_hosts(report: &JsValue) -> Vec<String> {
    items(report, "mx_hosts")
        .iter()
        .filter_map(|m| text(m, "host"))
        .collect()
}
