//! Monitoring (`/monitor`, issue 22): subscribe a domain and a webhook, publish the TXT record
//! that proves control, then — with the management key — the subscription's state, the timeline
//! of its domain's runs (each change with its finding text and fix), the alerts and their
//! delivery, the Atom feed, the TLS reports received for the domain (issue 24: `tls`), and
//! unsubscribing. The page talks to `/api/monitor` only (JSON read field by field): it carries
//! no judge and no report view — of the report viewer only its daily chart and table shape
//! (`components::daily_chart`, `components::table`) and the result types' one-line meanings.
//!
//! The management key lives in this tab's `sessionStorage` (see `client`), never in a URL.

mod client;
mod manage;
mod model;
mod session;
mod subscribe;
mod tls;
mod tls_model;

use leptos::prelude::*;

/// The monitoring page.
#[component]
pub(crate) fn MonitorPage() -> impl IntoView {
    crate::dom::set_title("Monitor a domain");
    let session = session::Session::new();
    let reports = tls::Reports::new(session);
    view! {
        <section class="hero">
            <h1>"Monitor a domain"</h1>
            <p class="lead">"Checked every day; one signed alert to your webhook when something changes — a policy edited without a new id, an MX host the policy does not cover, a certificate about to expire. No account: a record in your DNS proves the domain is yours."</p>
        </section>
        {subscribe::form(session)}
        {subscribe::created(session)}
        {manage::manage(session, reports)}
    }
}

/// For the component tests: the subscription part of the page showing `answer`, a
/// `GET /api/monitor/:id` answer (nothing is requested).
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) fn shown_view(answer: &wasm_bindgen::JsValue) -> impl IntoView {
    client::forget();
    let session = session::Session::new();
    let reports = tls::Reports::new(session);
    session.shown.set(model::Shown::read(answer));
    manage::manage(session, reports)
}
