//! The widget (`/embed`): a compact checker that lives in other sites' iframes. Themable by query
//! (`theme=light|dark|auto`, `accent=`), optionally pre-filled (`domain=`); it tells its parent
//! its height by `postMessage` so the loader (`embed.js`) can size the iframe.
//!
//! The widget is its own build (Cargo feature `page-embed` alone, loaded by `dist/index.html` for
//! `/embed`): it asks the Worker for the judged report (`/api/report`) and reads only what it
//! shows — the verdict, the summary and the first findings — so it carries neither the judge nor
//! the Evidence and code-documentation types, nor serde's decoder (measured: 210 KB of gzip'd
//! wasm with them, 87 KB without; see the README's "Payload").

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use mtasts::{Priority, Severity, Verdict};

use crate::api::{self, ApiError};
use crate::check::{accept, permalink};
use crate::components::{rich, severity_label_pub, VerdictBanner};
use crate::dom;
use crate::judged::{self, field, text};

/// Posts `{type: "mtasts:height", height}` to the parent whenever the page's height changes.
/// The message carries nothing but a number, so any parent may read it; the loader checks that
/// it comes from this origin and from its own iframe.
fn report_height() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let send = move || {
        let Some(w) = web_sys::window() else { return };
        let Ok(Some(parent)) = w.parent() else { return };
        let Some(el) = w.document().and_then(|d| d.document_element()) else {
            return;
        };
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &"mtasts:height".into());
        let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from(el.scroll_height()));
        let _ = parent.post_message(&msg, "*");
    };
    let cb = Closure::<dyn Fn()>::new(send);
    if let Ok(observer) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
        observer.observe(&root);
    }
    // Lives as long as the page.
    cb.forget();
}

/// The report, briefly: what the widget shows of `/api/report`'s `{evidence, report}`.
#[derive(Debug, Clone)]
struct Brief {
    domain: String,
    verdict: Verdict,
    summary: String,
    findings: Vec<Item>,
    /// The line "How senders read this" sums up, when the report has it.
    senders: Option<String>,
}

/// One finding, as the widget lists it.
#[derive(Debug, Clone)]
struct Item {
    code: String,
    severity: Severity,
    priority: Priority,
    message: String,
    fix: Option<String>,
    rfc: String,
}

/// Reads the report out of the browser's parse of the JSON, field by field: serde's decoder
/// with its error messages (and the float formatting they pull in) would cost the widget more.
fn read_brief(answer: &JsValue) -> Option<Brief> {
    let report = field(answer, "report");
    let verdict = match text(&report, "verdict")?.as_str() {
        "pass" => Verdict::Pass,
        "warn" => Verdict::Warn,
        "fail" => Verdict::Fail,
        "not-applicable" => Verdict::NotApplicable,
        _ => Verdict::Inconclusive,
    };
    let findings = js_sys::Array::from(&field(&report, "findings"))
        .iter()
        .filter_map(|f| {
            Some(Item {
                code: text(&f, "code")?,
                severity: match text(&f, "severity")?.as_str() {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    _ => Severity::Info,
                },
                priority: match text(&f, "priority")?.as_str() {
                    "high" => Priority::High,
                    "medium" => Priority::Medium,
                    _ => Priority::Low,
                },
                message: text(&f, "message")?,
                fix: text(&f, "fix"),
                rfc: text(&f, "rfc").unwrap_or_default(),
            })
        })
        .collect();
    Some(Brief {
        domain: text(&report, "domain")?,
        verdict,
        summary: text(&report, "summary").unwrap_or_default(),
        findings,
        senders: text(&field(&report, "senders"), "summary"),
    })
}

/// What the widget shows below its form.
#[derive(Debug, Clone)]
enum Shown {
    Nothing,
    Checking(String),
    Done(Brief),
    Failed(ApiError),
}

/// The report of `d` (already normalised).
async fn brief(d: &str) -> Result<Brief, ApiError> {
    let answer = judged::report(d).await?;
    let mut b =
        read_brief(&answer).ok_or_else(|| ApiError::Decode("the answer is not a report".into()))?;
    // Most urgent first, as the full report lists them.
    b.findings.sort_by_key(|x| (x.priority, x.severity));
    Ok(b)
}

/// The first `limit` findings, each linking to its code's documentation on this site.
fn items(findings: &[Item], limit: usize, base: &str) -> AnyView {
    if findings.is_empty() {
        return view! { <p class="no-findings">"No findings."</p> }.into_any();
    }
    let more = findings.len().saturating_sub(limit);
    let list = findings
        .iter()
        .take(limit)
        .map(|f| {
            let sev = f.severity.as_str();
            let href = format!("{base}/codes/{}", f.code);
            view! {
                <li class=format!("finding sev-{sev}") data-code=f.code.clone()>
                    <div class="finding-head">
                        <span class=format!("badge badge-{sev}")>{severity_label_pub(f.severity)}</span>
                        <span class="badge badge-prio">{format!("{} priority", f.priority.as_str())}</span>
                    </div>
                    <p class="finding-message">{rich(&f.message)}</p>
                    {f.fix.as_deref().map(|fix| view! { <p class="finding-fix"><strong>"Fix: "</strong>{rich(fix)}</p> })}
                    <p class="finding-meta">
                        <a href=href target="_blank" rel="noopener" class="code-link"><code>{f.code.clone()}</code></a>
                        <span class="rfc">{f.rfc.clone()}</span>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="findings">{list}</ol>
        {(more > 0).then(|| view! { <p class="more">{format!("{more} more in the full report.")}</p> })}
    }
    .into_any()
}

/// The widget page. Plain signals and one task a check, not Leptos's resources and suspense:
/// measured, those cost the widget's build 12 KB of gzip'd wasm.
#[component]
pub(crate) fn EmbedPage() -> impl IntoView {
    let router = crate::router::use_router();
    let q = move |k: &str| router.query_untracked(k).unwrap_or_default();
    dom::apply_theme(&q("theme"), &q("accent"));
    dom::set_title("MTA-STS check");
    report_height();
    let input = RwSignal::new(q("domain"));
    let input_error = RwSignal::new(None::<String>);
    let shown = RwSignal::new(Shown::Nothing);
    // Only the latest check's answer is shown.
    let latest = StoredValue::new(0u32);
    let check = move |d: String| {
        let n = latest.get_value().wrapping_add(1);
        latest.set_value(n);
        shown.set(Shown::Checking(d.clone()));
        leptos::task::spawn_local(async move {
            let r = brief(&d).await;
            if latest.get_value() == n {
                shown.set(match r {
                    Ok(b) => Shown::Done(b),
                    Err(e) => Shown::Failed(e),
                });
            }
        });
    };
    let first = q("domain");
    if !first.trim().is_empty() {
        match api::normalize(&first) {
            Ok(d) => check(d),
            Err(e) => shown.set(Shown::Failed(e)),
        }
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(d) = accept(&input.get_untracked(), input_error, "w-domain") {
            check(d);
        }
    };
    let origin = dom::origin();
    let announce = move || {
        shown.with(|s| match s {
            Shown::Nothing => String::new(),
            Shown::Checking(d) => format!("Checking {d}…"),
            Shown::Done(b) => format!("Result for {}: {}.", b.domain, b.verdict.label()),
            Shown::Failed(e) => format!("Could not check: {e}"),
        })
    };
    let home = origin.clone();
    let outcome = move || {
        match shown.get() {
        Shown::Nothing => ().into_any(),
        Shown::Checking(d) => view! {
            <div class="checking">
                <progress aria-label="Checking"></progress>
                <span>{format!("Checking {d}…")}</span>
            </div>
        }
        .into_any(),
        Shown::Done(b) => {
            let link = permalink(&b.domain);
            view! {
                <VerdictBanner verdict=b.verdict domain=b.domain.clone() summary=b.summary.clone()/>
                {items(&b.findings, 3, &origin)}
                {b.senders.clone().map(|s| view! { <p class="senders-line" data-testid="senders-summary"><strong>"How senders read this: "</strong>{s}</p> })}
                <p><a href=link target="_blank" rel="noopener" class="full-report">"See the full report"</a></p>
            }
            .into_any()
        }
        Shown::Failed(e) => view! {
            <section class="verdict verdict-inconclusive" data-verdict="could-not-check" aria-label="Verdict">
                <span class="verdict-icon" aria-hidden="true">"?"</span>
                <div class="verdict-body">
                    <h2 class="verdict-title">"Could not check"</h2>
                    <ul class="causes"><li>{e.to_string()}</li></ul>
                </div>
            </section>
        }
        .into_any(),
    }
    };
    view! {
        <main class="embed" id="main" aria-label="MTA-STS checker widget">
            <h1 class="embed-title">"MTA-STS check"</h1>
            <form class="check-form" on:submit=on_submit novalidate>
                <label for="w-domain">"Domain"</label>
                <div class="row">
                    <input id="w-domain" type="text" inputmode="url" autocomplete="off" autocapitalize="off" spellcheck="false"
                        placeholder="example.com" aria-describedby="w-error"
                        aria-invalid=move || input_error.with(Option::is_some).to_string()
                        prop:value=move || input.get() on:input=move |ev| input.set(event_target_value(&ev))/>
                    <button type="submit" class="btn btn-primary">"Check"</button>
                </div>
                <p id="w-error" class="field-error">{move || input_error.get()}</p>
            </form>
            <p class="sr-only" role="status" aria-live="polite">{announce}</p>
            {outcome}
            <p class="powered">"By " <a href=home target="_blank" rel="noopener">"mtasts"</a></p>
        </main>
    }
}
