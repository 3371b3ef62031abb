//! The checker (`/`): a domain in, one request for the report the Worker judged, shown here. An
//! opened Evidence file is judged in the browser by the judge's own module (`judge_wire`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::check::{announcement, check_resource, export_json, permalink, submit};
use crate::components::{
    Checking, CopyButton, CouldNotCheck, EvidenceOpener, Opened, ReportView, SavedChecks, SinceLast,
};
use crate::dom;
use crate::pages::hero::{Hero, Intro};
use crate::state::{Answer, AppState};

/// Copy link, copy or download the JSON, check another domain.
#[component]
fn Actions(checked: Answer, on_another: Callback<()>) -> impl IntoView {
    let domain = checked.report.domain.clone();
    let link = permalink(&domain);
    let file = format!("mtasts-{domain}.json");
    // The JSON (the whole evidence) is indented only when it is asked for, not on every render.
    let checked = StoredValue::new(checked);
    let json = Signal::derive(move || checked.with_value(export_json));
    view! {
        <div class="actions" role="group" aria-label="Report actions">
            <CopyButton text=Signal::stored(link) label="Copy link"/>
            <CopyButton text=json label="Copy JSON"/>
            <button type="button" class="btn" on:click=move |_| dom::download(&file, &json.get_untracked(), "application/json")>
                "Download JSON"
            </button>
            <button type="button" class="btn" on:click=move |_| on_another.run(())>"Check another domain"</button>
        </div>
    }
}

/// The checker page.
#[component]
pub(crate) fn CheckerPage() -> impl IntoView {
    dom::set_title("MTA-STS and TLS-RPT checker");
    let state = expect_context::<AppState>();
    let router = crate::router::use_router();
    let domain = Memo::new(move |_| router.query("domain").unwrap_or_default());
    let input = RwSignal::new(domain.get_untracked());
    let input_error = RwSignal::new(None::<String>);
    // Back and forward change the query: keep the box in step.
    Effect::new(move |_| {
        let d = domain.get();
        if !d.is_empty() {
            input.set(d);
        }
    });
    let result = check_resource(state, move || domain.get());
    let (pending, set_pending) = signal(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = input.get_untracked();
        if let Some(d) = submit(
            state,
            &typed,
            &domain.get_untracked(),
            result,
            input_error,
            "domain",
        ) {
            router.navigate(&format!(
                "/?domain={}",
                String::from(js_sys::encode_uri_component(&d))
            ));
        }
    };
    let another = Callback::new(move |()| {
        input.set(String::new());
        input_error.set(None);
        router.navigate("/");
        dom::focus("domain");
    });
    let announce = move || announcement(pending.get(), &domain.get(), &result);
    let opened = RwSignal::<Opened>::new(None);
    // A file is read here and judged by the judge's own module; one the first-load shell
    // handed over arrives here.
    crate::components::take_handed_over(opened);
    let on_file = Callback::new(move |f| crate::components::read_evidence(f, opened));
    let opened_view = move || {
        opened.get().map(|(name, r)| match r {
            Ok(c) => view! {
                <div class="opened-result" role="region" aria-label="Report from the opened file">
                    <p class="muted" data-testid="opened-from">{format!("From {name}, read in this browser (nothing was uploaded).")}</p>
                    <ReportView checked=c>""</ReportView>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="field-error" role="alert" data-testid="open-error">{format!("{name}: {e}")}</p> }.into_any(),
        })
    };
    view! {
        <Hero input input_error on_submit=Callback::new(on_submit)/>
        <p class="sr-only" role="status" aria-live="polite">{announce}</p>
        <div class="progress-slot" aria-hidden=move || (!pending.get()).to_string()>
            <Show when=move || pending.get()>
                <Checking domain=domain/>
            </Show>
        </div>
        <div class="result" aria-busy=move || pending.get().to_string()>
            <Transition fallback=move || view! { <Checking domain=domain/> } set_pending>
                <ErrorBoundary fallback=|errors| view! { <CouldNotCheck errors/> }>
                    {move || Suspend::new(async move {
                        match result.await {
                            None => Ok(view! { <Intro/> }.into_any()),
                            Some(Ok(c)) => Ok({
                                // Timed inside the page: key press → report on screen, and
                                // response → report on screen (scripts/bench-web.mjs reads them).
                                dom::measure_next_frame("mtasts-check", "mtasts-check-start");
                                dom::measure_next_frame("mtasts-check-render", "mtasts-check-response");
                                view! {
                                <ReportView checked=c.checked.clone()>
                                    <Actions checked=c.clone() on_another=another/>
                                    <SinceLast checked=c.clone()/>
                                </ReportView>
                            }.into_any()}),
                            Some(Err(e)) => Err(e),
                        }
                    })}
                </ErrorBoundary>
            </Transition>
        </div>
        <EvidenceOpener on_file/>
        {opened_view}
        <SavedChecks/>
    }
}
