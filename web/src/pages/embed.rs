//! The widget (`/embed`): a compact checker that lives in other sites' iframes. Themable by query
//! (`theme=light|dark|auto`, `accent=`), optionally pre-filled (`domain=`); it tells its parent
//! its height by `postMessage` so the loader (`embed.js`) can size the iframe.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::check::{announcement, check_resource, permalink, submit};
use crate::components::{Checking, CouldNotCheck, FindingList, VerdictBanner};
use crate::dom;
use crate::state::AppState;

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

/// The widget page.
#[component]
pub(crate) fn EmbedPage() -> impl IntoView {
    let router = crate::router::use_router();
    let q = move |k: &str| router.query_untracked(k).unwrap_or_default();
    dom::apply_theme(&q("theme"), &q("accent"));
    dom::set_title("MTA-STS check");
    report_height();
    let state = expect_context::<AppState>();
    let input = RwSignal::new(q("domain"));
    let submitted = RwSignal::new(q("domain"));
    let input_error = RwSignal::new(None::<String>);
    let result = check_resource(state, move || submitted.get());
    let (pending, set_pending) = signal(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = input.get_untracked();
        if let Some(d) = submit(
            state,
            &typed,
            &submitted.get_untracked(),
            result,
            input_error,
            "w-domain",
        ) {
            submitted.set(d);
        }
    };
    let origin = dom::origin();
    let announce = move || announcement(pending.get(), &submitted.get(), &result);
    let home = origin.clone();
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
            <Transition fallback=move || view! { <Checking domain=submitted/> } set_pending>
                <ErrorBoundary fallback=|errors| view! { <CouldNotCheck errors/> }>
                    {move || {
                        let origin = origin.clone();
                        Suspend::new(async move {
                            match result.await {
                                None => Ok(().into_any()),
                                Some(Ok(c)) => {
                                    let r = c.report;
                                    let link = permalink(&r.domain);
                                    Ok(view! {
                                        <VerdictBanner verdict=r.verdict domain=r.domain.clone() summary=r.summary.clone()/>
                                        <FindingList findings=r.by_priority() limit=3 new_tab=true base=origin/>
                                        <p><a href=link target="_blank" rel="noopener" class="full-report">"See the full report"</a></p>
                                    }.into_any())
                                }
                                Some(Err(e)) => Err(e),
                            }
                        })
                    }}
                </ErrorBoundary>
            </Transition>
            <p class="powered">"By " <a href=home target="_blank" rel="noopener">"mtasts"</a></p>
        </main>
    }
}
