//! The sender models as a second module of the linter (README, "Payload"): the linter's first
//! load lints without them (`mtasts::lint_without_senders`), and the loader (scripts/web-bundles.mjs)
//! fetches this crate's `senders-engine` build — the models, nothing else — once the page is on
//! screen, from the same origin. Nothing leaves the page: the draft goes from one wasm module to
//! the other through a JS function, `window.mtastsSenders`, and "How senders read this" comes
//! back, as plain JS values read field by field (as [`crate::judged`] reads the Worker's
//! answers). Both ends of the exchange are here, so they cannot drift apart.
//!
//! `senders(draft) → {view, findings, rewrite}`: `draft` the linter's [`Draft`] (its fields by
//! name), `view` the [`View`] and `findings` the findings of `mtasts::senders_of`, `rewrite` the
//! proven rewrite of the policy when a finding calls for it (`mtasts::senders::judge::safe_rewrite`).

use mtasts::senders::judge::{SENDERS_DISAGREE, SENDERS_IGNORE};
use mtasts::senders::view::{Row, View};
use mtasts::senders::ReadPolicy;
use mtasts::{Draft, Finding, Subject};
use wasm_bindgen::{JsCast, JsValue};

use crate::judged::{field, items, named, present, text};

/// The window's property the loader sets to the module's `senders` function, and the event it
/// fires on the window then.
pub(crate) const GLOBAL: &str = "mtastsSenders";
pub(crate) const LOADED: &str = "mtasts-senders";

/// What the module adds to the linter's report.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Reading {
    /// "How senders read this".
    pub view: View,
    /// The findings it calls for (`senders-ignore`, `senders-disagree`).
    pub findings: Vec<Finding>,
    /// The policy in the form every modelled sender reads alike, when a finding calls for it.
    pub rewrite: Option<String>,
}

fn set(o: &js_sys::Object, key: &str, v: &JsValue) {
    // Setting a field of a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(o, &key.into(), v);
}

fn strings(v: &[String]) -> JsValue {
    v.iter()
        .map(|s| JsValue::from_str(s))
        .collect::<js_sys::Array>()
        .into()
}

fn opt(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from_str)
}

/// The strings of the array `o[key]`.
fn texts(o: &JsValue, key: &str) -> Vec<String> {
    items(o, key)
        .iter()
        .filter_map(JsValue::as_string)
        .collect()
}

/// `draft` as the module reads it.
fn draft_to_js(d: &Draft) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "domain", &d.domain.as_str().into());
    set(&o, "policy", &d.policy.as_str().into());
    set(&o, "sts_txt", &strings(&d.sts_txt));
    set(&o, "mx_hosts", &strings(&d.mx_hosts));
    set(&o, "tlsrpt", &strings(&d.tlsrpt));
    set(&o, "content_type", &opt(d.content_type.as_deref()));
    set(
        &o,
        "policy_size",
        &d.policy_size.map_or(JsValue::NULL, |n| (n as f64).into()),
    );
    o.into()
}

/// "How senders read" `draft`, from the module, once the loader has it (`None` before, or for an
/// empty policy).
pub(crate) fn read(draft: &Draft) -> Option<Reading> {
    let f: js_sys::Function = field(&web_sys::window()?.into(), GLOBAL).dyn_into().ok()?;
    let out = f.call1(&JsValue::NULL, &draft_to_js(draft)).ok()?;
    let view = field(&out, "view");
    (!view.is_null_or_undefined()).then(|| Reading {
        view: View {
            rows: items(&view, "rows").iter().filter_map(row).collect(),
            summary: text(&view, "summary").unwrap_or_default(),
            rfc: read_policy(&field(&view, "rfc")),
        },
        findings: items(&out, "findings").iter().filter_map(finding).collect(),
        rewrite: text(&out, "rewrite"),
    })
}

fn read_policy(p: &JsValue) -> Option<ReadPolicy> {
    if p.is_null_or_undefined() {
        return None;
    }
    Some(ReadPolicy {
        mode: text(p, "mode")?,
        // Seconds, exact in a double (the model reads at most 31557600 and a u64 beyond).
        max_age: field(p, "max_age").as_f64()? as u64,
        mx: texts(p, "mx"),
    })
}

fn row(r: &JsValue) -> Option<Row> {
    Some(Row {
        sender: text(r, "sender")?,
        name: text(r, "name")?,
        version: text(r, "version")?,
        outcome: named(r, "outcome")?,
        policy: read_policy(&field(r, "policy")),
        reason: text(r, "reason"),
        uncovered: texts(r, "uncovered"),
    })
}

/// A finding of the senders' judge: its code, severity, message and fix (the rest is the code's).
fn finding(f: &JsValue) -> Option<Finding> {
    let code = [SENDERS_IGNORE, SENDERS_DISAGREE]
        .into_iter()
        .find(|c| text(f, "code").is_some_and(|t| t == c.as_str()))?;
    let mut out =
        Finding::new(code, Subject::Policy, text(f, "message")?).severity(named(f, "severity")?);
    if present(f, "fix") {
        out = out.fix(text(f, "fix")?);
    }
    Some(out)
}

/// The module's end: the `senders` function the loader hands to the linter.
#[cfg(feature = "senders-engine")]
mod engine {
    use mtasts::Draft;
    use serde::Serialize;
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::JsValue;

    use super::{opt, set, texts};
    use crate::judged::{field, text};

    fn to_js<T: Serialize>(v: &T) -> JsValue {
        v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL)
    }

    /// "How senders read" the draft `d` (see the module's documentation).
    #[wasm_bindgen]
    pub fn senders(d: JsValue) -> JsValue {
        crate::init();
        let draft = Draft {
            domain: text(&d, "domain").unwrap_or_default(),
            policy: text(&d, "policy").unwrap_or_default(),
            sts_txt: texts(&d, "sts_txt"),
            mx_hosts: texts(&d, "mx_hosts"),
            tlsrpt: texts(&d, "tlsrpt"),
            content_type: text(&d, "content_type"),
            policy_size: field(&d, "policy_size").as_f64().map(|n| n as usize),
        };
        let linted = mtasts::lint_without_senders(&draft);
        let o = js_sys::Object::new();
        if let Some((view, findings)) = mtasts::senders_of(&draft, &linted) {
            let rewrite = linted
                .policy
                .as_ref()
                .filter(|_| !findings.is_empty())
                .and_then(mtasts::senders::judge::safe_rewrite);
            set(&o, "view", &to_js(&view));
            set(&o, "findings", &to_js(&findings));
            set(&o, "rewrite", &opt(rewrite.as_deref()));
        }
        o.into()
    }
}
