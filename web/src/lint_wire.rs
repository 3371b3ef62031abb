//! The linter's engine as a second module (README, "Payload"): the policy grammar, the record
//! checks and the sender models are this crate's `lint-engine` build — no page — which the loader
//! (scripts/web-bundles.mjs) fetches from the same origin once the linter is on screen. The
//! linter's first load is its view alone: the boxes, the findings, the numbered policy, the
//! tables. Nothing leaves the page: the draft goes from one wasm module to the other through a JS
//! function, `window.mtastsLint`, and `mtasts::lint`'s report comes back as plain JS values, read
//! by [`crate::decode`] as the Worker's judged report is. Both ends are here, so they cannot drift
//! apart.
//!
//! `lint(draft) → {report, rewrite}`: `draft` the linter's [`Draft`] (its fields by name),
//! `report` the [`Report`] of `mtasts::lint`, `rewrite` the proven rewrite of the policy when a
//! sender finding calls for it (`mtasts::senders::judge::safe_rewrite`).

use mtasts::{Draft, Report};
use wasm_bindgen::{JsCast, JsValue};

use crate::judged::{field, text};

/// The window's property the loader sets to the module's `lint` function, and the event it fires
/// on the window then.
pub(crate) const GLOBAL: &str = "mtastsLint";
pub(crate) const LOADED: &str = "mtasts-lint";
/// The window's property the loader sets when the module could not be loaded, and the event it
/// fires then.
pub(crate) const FAILED_GLOBAL: &str = "mtastsLintFailed";
pub(crate) const FAILED: &str = "mtasts-lint-failed";

/// Whether the loader said the module could not be loaded.
pub(crate) fn failed() -> bool {
    web_sys::window().is_some_and(|w| field(&w.into(), FAILED_GLOBAL).is_truthy())
}

/// What the engine says of a draft.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Linted {
    /// `mtasts::lint`'s report: every finding, "How senders read this" among them.
    pub report: Report,
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

/// The engine's report of `draft`, once the loader has the module (`None` before, or when its
/// answer cannot be read: the page then says the linter is loading).
pub(crate) fn read(draft: &Draft) -> Option<Linted> {
    let f: js_sys::Function = field(&web_sys::window()?.into(), GLOBAL).dyn_into().ok()?;
    let out = f.call1(&JsValue::NULL, &draft_to_js(draft)).ok()?;
    Some(Linted {
        report: crate::decode::report(&field(&out, "report")).ok()?,
        rewrite: text(&out, "rewrite"),
    })
}

/// The engine's side: `draft` (as [`draft_to_js`] writes it) linted, as `{report, rewrite}`.
/// Compiled in every build (the component tests stand it in for the loader's function); exported
/// only by the `lint-engine` build.
#[cfg_attr(not(feature = "lint-engine"), allow(dead_code))]
pub(crate) fn lint_js(d: &JsValue) -> JsValue {
    use serde::Serialize;
    let texts = |key: &str| -> Vec<String> {
        crate::judged::items(d, key)
            .iter()
            .filter_map(JsValue::as_string)
            .collect()
    };
    let draft = Draft {
        domain: text(d, "domain").unwrap_or_default(),
        policy: text(d, "policy").unwrap_or_default(),
        sts_txt: texts("sts_txt"),
        mx_hosts: texts("mx_hosts"),
        tlsrpt: texts("tlsrpt"),
        content_type: text(d, "content_type"),
        policy_size: field(d, "policy_size").as_f64().map(|n| n as usize),
    };
    // `lint` as its parts, for the rewrite: it is offered only when a sender finding calls for it.
    let linted = mtasts::lint_without_senders(&draft);
    let (report, rewrite) = match mtasts::senders_of(&draft, &linted) {
        Some((view, findings)) => {
            let rewrite = linted
                .policy
                .as_ref()
                .filter(|_| !findings.is_empty())
                .and_then(mtasts::senders::judge::safe_rewrite);
            (mtasts::add_senders(linted, view, findings), rewrite)
        }
        None => (linted, None),
    };
    let o = js_sys::Object::new();
    set(
        &o,
        "report",
        &report
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL),
    );
    set(&o, "rewrite", &opt(rewrite.as_deref()));
    o.into()
}

/// The module's end: the `lint` function the loader hands to the linter.
#[cfg(feature = "lint-engine")]
mod engine {
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::JsValue;

    /// The draft `d` linted (see the module's documentation).
    #[wasm_bindgen]
    pub fn lint(d: JsValue) -> JsValue {
        crate::init();
        super::lint_js(&d)
    }
}
