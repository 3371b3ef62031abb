//! The checks this browser remembers: the last few checks (Evidence and its judged report) of
//! each domain checked here, in the browser's local storage only (nothing is sent anywhere), so a new report can say what changed
//! "since your last check", and two saved checks of a domain can be compared. A visible control
//! forgets them.

use leptos::prelude::*;
use mtasts::Verdict;
use wasm_bindgen::{JsCast, JsValue};

use crate::components::FindingList;
use crate::dom;
use crate::state::Answer;

/// The local-storage key (versioned: a new layout starts afresh). v1 held Evidence alone, which
/// this build cannot judge; it is removed on the first save.
const KEY: &str = "mtasts.history.v2";
/// The earlier layout's key.
const OLD_KEY: &str = "mtasts.history.v1";
/// Checks kept per domain.
const PER_DOMAIN: usize = 5;
/// Domains kept (the least recently checked are dropped first).
const DOMAINS: usize = 30;

/// Saved checks, the most recently checked domain first. Stored as
/// `{"domains": [{"domain": …, "checks": [{evidence, report}, …]}, …]}`, each check the JSON
/// text it arrived as (read in place and written back as text: no serializer in this build).
#[derive(Debug, Clone, Default, PartialEq)]
struct History {
    domains: Vec<Saved>,
}

/// One domain's saved checks, the newest first.
#[derive(Debug, Clone, PartialEq)]
struct Saved {
    domain: String,
    checks: Vec<Answer>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What is saved; nothing when any of it cannot be read (as a new layout starts afresh).
fn load() -> History {
    storage()
        .and_then(|s| s.get_item(KEY).ok()?)
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .and_then(|v| read(&v))
        .unwrap_or_default()
}

fn list(v: &JsValue, key: &str) -> Option<js_sys::Array> {
    js_sys::Reflect::get(v, &key.into()).ok()?.dyn_into().ok()
}

fn read(v: &JsValue) -> Option<History> {
    let saved = |d: JsValue| {
        let domain = js_sys::Reflect::get(&d, &"domain".into())
            .ok()?
            .as_string()?;
        let checks = list(&d, "checks")?
            .iter()
            .map(|c| crate::api::decode(c).ok())
            .collect::<Option<_>>()?;
        Some(Saved { domain, checks })
    };
    let domains = list(v, "domains")?
        .iter()
        .map(saved)
        .collect::<Option<_>>()?;
    Some(History { domains })
}

/// `h` as the stored JSON text.
fn write(h: &History) -> String {
    let quoted = |s: &str| {
        js_sys::JSON::stringify(&JsValue::from_str(s))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    };
    let domains: Vec<String> = h
        .domains
        .iter()
        .map(|d| {
            let checks: Vec<&str> = d.checks.iter().map(|c| &*c.json).collect();
            format!(
                "{{\"domain\":{},\"checks\":[{}]}}",
                quoted(&d.domain),
                checks.join(",")
            )
        })
        .collect();
    format!("{{\"domains\":[{}]}}", domains.join(","))
}

/// Writes `h`; when the browser's quota is reached, drops the oldest domains until it fits.
fn save(mut h: History) {
    let Some(s) = storage() else { return };
    let _ = s.remove_item(OLD_KEY);
    loop {
        if s.set_item(KEY, &write(&h)).is_ok() || h.domains.is_empty() {
            return;
        }
        h.domains.pop();
    }
}

/// Remembers `c` (not a check that could not be completed) and returns the newest saved check
/// of its domain made before it. Showing the same check again changes nothing.
fn remember(c: &Answer) -> Option<Answer> {
    let ev = &c.evidence;
    let mut h = load();
    let at = h.domains.iter().position(|d| d.domain == ev.domain);
    let mut saved = at.map_or_else(
        || Saved {
            domain: ev.domain.clone(),
            checks: vec![],
        },
        |i| h.domains.remove(i),
    );
    let previous = saved
        .checks
        .iter()
        .find(|e| e.evidence.observed_at < ev.observed_at)
        .cloned();
    let known = saved
        .checks
        .iter()
        .any(|e| e.evidence.observed_at == ev.observed_at);
    if !known && c.report.verdict != Verdict::Inconclusive {
        saved.checks.insert(0, c.clone());
        saved
            .checks
            .sort_unstable_by_key(|e| std::cmp::Reverse(e.evidence.observed_at));
        saved.checks.truncate(PER_DOMAIN);
    }
    if !saved.checks.is_empty() {
        h.domains.insert(0, saved);
        h.domains.truncate(DOMAINS);
    }
    save(h);
    previous
}

/// The changes from `old` to `new`, or that nothing changed.
#[component]
fn ChangesView(old: Answer, new: Answer, #[prop(into)] heading: String) -> impl IntoView {
    let changes = mtasts::compare_judged(&old.evidence, &old.report, &new.evidence, &new.report);
    let n = changes
        .findings
        .iter()
        .filter(|f| f.code.as_str() != "change-not-compared")
        .count();
    let head = match n {
        0 => format!("{heading}: nothing changed."),
        1 => format!("{heading}: 1 change."),
        n => format!("{heading}: {n} changes."),
    };
    let list = (!changes.findings.is_empty())
        .then(|| view! { <FindingList findings=changes.findings.clone()/> });
    view! {
        <div class="changes" data-changes=n.to_string()>
            <p class="changes-head"><strong>{head}</strong></p>
            {list}
        </div>
    }
}

/// Above a new report: what changed since the last check of the domain in this browser.
#[component]
pub(crate) fn SinceLast(checked: Answer) -> impl IntoView {
    let previous = remember(&checked);
    previous.map(|old| {
        let heading = format!(
            "Since your last check on {}",
            dom::utc(old.evidence.observed_at)
        );
        view! {
            <section class="since-last" aria-label="Changes since your last check">
                <ChangesView old=old new=checked.clone() heading/>
                <p class="help">"Your checks are remembered in this browser only (below: compare them or forget them)."</p>
            </section>
        }
    })
}

/// The saved checks: compare two of a domain, forget one domain or all.
#[component]
pub(crate) fn SavedChecks() -> impl IntoView {
    // Read again whenever the list is opened or changed.
    let version = RwSignal::new(0u32);
    let history = Memo::new(move |_| {
        version.get();
        load()
    });
    let forget_all = move |_| {
        if let Some(s) = storage() {
            let _ = s.remove_item(KEY);
            let _ = s.remove_item(OLD_KEY);
        }
        version.update(|v| *v += 1);
    };
    let rows = move || {
        history
            .get()
            .domains
            .into_iter()
            .map(|d| view! { <SavedDomain saved=d version/> })
            .collect_view()
    };
    view! {
        <details class="saved-checks" on:toggle=move |_| version.update(|v| *v += 1)>
            <summary>{move || format!("Checks remembered in this browser ({})", history.with(|h| h.domains.len()))}</summary>
            <p class="help">
                "The last " {PER_DOMAIN} " checks of each domain you checked here are kept in this browser's storage, so a new report can show what changed. Nothing is sent anywhere."
            </p>
            {move || if history.with(|h| h.domains.is_empty()) {
                view! { <p class="muted">"No checks remembered."</p> }.into_any()
            } else {
                view! {
                    <ul class="saved-list">{rows}</ul>
                    <button type="button" class="btn" on:click=forget_all>"Forget all saved checks"</button>
                }.into_any()
            }}
        </details>
    }
}

#[component]
fn SavedDomain(saved: Saved, version: RwSignal<u32>) -> impl IntoView {
    let domain = saved.domain.clone();
    let checks = StoredValue::new(saved.checks);
    let count = checks.with_value(Vec::len);
    // Indexes into `checks` (newest first): compare `from` (older) with `to` (newer).
    let from = RwSignal::new(1.min(count.saturating_sub(1)));
    let to = RwSignal::new(0usize);
    let options = move |sel: RwSignal<usize>| {
        checks.with_value(|c| {
            c.iter()
                .enumerate()
                .map(|(i, e)| {
                    view! { <option value=i.to_string() selected=move || sel.get() == i>{dom::utc(e.evidence.observed_at)}</option> }
                })
                .collect_view()
        })
    };
    let pick = |sel: RwSignal<usize>| {
        move |ev: leptos::ev::Event| {
            if let Ok(i) = event_target_value(&ev).parse() {
                sel.set(i);
            }
        }
    };
    let forget = {
        let domain = domain.clone();
        move |_| {
            let mut h = load();
            h.domains.retain(|d| d.domain != domain);
            save(h);
            version.update(|v| *v += 1);
        }
    };
    let id = |what: &str| format!("saved-{what}-{}", domain.replace('.', "-"));
    let (from_id, to_id) = (id("from"), id("to"));
    let compared = move || {
        let (f, t) = (from.get(), to.get());
        checks.with_value(|c| match (c.get(f), c.get(t)) {
            (Some(a), Some(b)) if f != t => {
                let (old, new) = if a.evidence.observed_at <= b.evidence.observed_at {
                    (a, b)
                } else {
                    (b, a)
                };
                let heading = format!(
                    "From {} to {}",
                    dom::utc(old.evidence.observed_at),
                    dom::utc(new.evidence.observed_at)
                );
                Some(view! { <ChangesView old=old.clone() new=new.clone() heading/> }.into_any())
            }
            _ => None,
        })
    };
    view! {
        <li class="saved-domain" data-domain=domain.clone()>
            <p>
                <a href=format!("/?domain={domain}")>{domain.clone()}</a>
                {format!(" — {count} saved check{}", if count == 1 { "" } else { "s" })}
                " "
                <button type="button" class="btn btn-small" on:click=forget>{format!("Forget {domain}")}</button>
            </p>
            {(count > 1).then(|| view! {
                <div class="row compare-row">
                    <label for=from_id.clone()>"Compare"</label>
                    <select id=from_id on:change=pick(from)>{options(from)}</select>
                    <label for=to_id.clone()>"with"</label>
                    <select id=to_id on:change=pick(to)>{options(to)}</select>
                </div>
                {compared}
            })}
        </li>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn answer(evidence: &str) -> Answer {
        let ev = js_sys::JSON::parse(evidence).expect("json");
        let ev: mtasts::Evidence = serde_wasm_bindgen::from_value(ev).expect("evidence");
        // As the Worker writes it (the crate's serializer), then read as the page reads it.
        let json = crate::dom::to_json(&crate::state::Checked::assess(ev));
        crate::api::decode(js_sys::JSON::parse(&json).expect("json")).expect("decode")
    }

    #[wasm_bindgen_test]
    fn saved_checks_are_written_as_their_text_and_read_back_the_same() {
        let a = answer(include_str!(
            "../../../tests/fixtures/evidence/good.test.json"
        ));
        let b = answer(include_str!(
            "../../../tests/fixtures/evidence/hostile.test.json"
        ));
        let h = History {
            domains: vec![
                Saved {
                    domain: "good.test".into(),
                    checks: vec![a.clone(), a.clone()],
                },
                // A domain name that needs escaping in JSON is written as a JSON string.
                Saved {
                    domain: "x\"\\\u{1}.test".into(),
                    checks: vec![b.clone()],
                },
            ],
        };
        let text = write(&h);
        let read_back = read(&js_sys::JSON::parse(&text).expect("json")).expect("read");
        assert_eq!(read_back, h);
        // The stored layout is `{domains: [{domain, checks: [{evidence, report}]}]}`.
        let v = js_sys::JSON::parse(&text).expect("json");
        let first = js_sys::Reflect::get(
            &list(&v, "domains").expect("domains").get(0),
            &"checks".into(),
        )
        .expect("checks");
        let check = js_sys::Array::from(&first).get(0);
        assert!(js_sys::Reflect::get(&check, &"evidence".into())
            .expect("e")
            .is_object());
        assert!(js_sys::Reflect::get(&check, &"report".into())
            .expect("r")
            .is_object());
        // Anything else is not a history: nothing is read from it.
        for bad in [
            r#"{"domains": [{"domain": 1, "checks": []}]}"#,
            r#"{"domains": [{"domain": "a", "checks": [{}]}]}"#,
            "[]",
        ] {
            assert_eq!(
                read(&js_sys::JSON::parse(bad).expect("json")),
                None,
                "{bad}"
            );
        }
    }
}
