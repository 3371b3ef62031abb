//! The TLS reports of a verified subscription (issue 24), from `GET /api/monitor/:id/tlsrpt`
//! with the management key: the `_smtp._tls` record that sends them here, the headline over the
//! whole subscription with its totals and any open alert, the daily chart and the failure tables
//! the report viewer draws, the readiness checklist, and the alert threshold
//! (`POST {"failure_rate_percent": x}`). An answer that did not come is said as such ("could not
//! check"), never as "no reports".
//!
//! Its state lives here, outside the parts of the page drawn again on each answer, so what was
//! typed and the confirmation of a save survive a reload of the subscription or of the reports.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::client::{call, Failure, PATH};
use super::model::Shown;
use super::session::Session;
use super::tls_model::{self as m, Tls};
use crate::components::{daily_chart, rich, table, CopyButton};
use crate::dom::utc;
use crate::judged::text;

/// The section's state; signals, so it is `Copy`.
#[derive(Clone, Copy)]
pub(super) struct Reports {
    session: Session,
    /// The last answer, or why it did not come (in words).
    loaded: RwSignal<Option<Result<Arc<Tls>, String>>>,
    loading: RwSignal<bool>,
    /// Requests made: an answer overtaken by a newer request is dropped.
    seq: StoredValue<u32>,
    /// The threshold box as typed; `None` shows the threshold in force.
    typed: RwSignal<Option<String>>,
    /// Why the typed threshold was not sent.
    invalid: RwSignal<Option<String>>,
    /// The last save: its confirmation, or why it failed.
    saved: RwSignal<Option<Result<String, String>>>,
    saving: RwSignal<bool>,
}

fn path(id: &str) -> String {
    format!("{PATH}/{}/tlsrpt", crate::api::encode(id))
}

/// Reports are stored only once the domain's record was seen: before, there is nothing to show.
fn verified(s: &Shown) -> bool {
    s.sub.verified_at.is_some()
}

impl Reports {
    /// The section's state, loading the reports each time the subscription is shown anew.
    pub(super) fn new(session: Session) -> Self {
        let r = Reports {
            session,
            loaded: RwSignal::new(None),
            loading: RwSignal::new(false),
            seq: StoredValue::new(0),
            typed: RwSignal::new(None),
            invalid: RwSignal::new(None),
            saved: RwSignal::new(None),
            saving: RwSignal::new(false),
        };
        Effect::new(move |_| {
            session.shown.track();
            r.load();
        });
        r
    }

    /// The open subscription's id and the key, when it is verified.
    fn creds(self) -> Option<(String, String)> {
        let id = self
            .session
            .shown
            .with_untracked(|s| s.as_ref().filter(|s| verified(s)).map(|s| s.sub.id.clone()))?;
        Some((id, self.session.key.get_untracked().trim().to_owned()))
    }

    /// Reads the reports of the subscription shown (forgets them when none is).
    fn load(self) {
        let n = self.seq.get_value().wrapping_add(1);
        self.seq.set_value(n);
        let Some((id, key)) = self.creds() else {
            self.loaded.set(None);
            self.loading.set(false);
            self.saved.set(None);
            self.typed.set(None);
            self.invalid.set(None);
            return;
        };
        self.loading.set(true);
        spawn_local(async move {
            let r = call("GET", &path(&id), Some(&key), None)
                .await
                .and_then(|v| {
                    Tls::read(&v).ok_or_else(|| Failure {
                        status: 200,
                        message: "the answer is not a summary of TLS reports".into(),
                    })
                });
            if self.seq.get_value() != n {
                return;
            }
            self.loading.set(false);
            self.loaded
                .set(Some(r.map(Arc::new).map_err(|f| f.words())));
        });
    }

    /// Sends the typed threshold (or refuses it here, sending nothing), then reads the reports
    /// again.
    fn save(self, current: &str) {
        if self.saving.get_untracked() {
            return;
        }
        let typed = self
            .typed
            .get_untracked()
            .unwrap_or_else(|| current.to_owned());
        self.saved.set(None);
        let Some(bp) = m::parse_percent(&typed) else {
            self.invalid.set(Some(format!(
                "“{}” is not a failure rate: enter a percentage from 0 to 100 with at most two decimals, for example 0.5. Nothing was saved.",
                typed.trim()
            )));
            crate::dom::focus("tls-threshold");
            return;
        };
        self.invalid.set(None);
        let Some((id, key)) = self.creds() else {
            return;
        };
        let body = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &body,
            &"failure_rate_percent".into(),
            &JsValue::from_f64(f64::from(bp) / 100.0),
        );
        let body: JsValue = body.into();
        self.saving.set(true);
        spawn_local(async move {
            let r = call("POST", &path(&id), Some(&key), Some(&body)).await;
            self.saving.set(false);
            match r {
                Ok(v) => {
                    let t = text(&v, "failure_rate_threshold")
                        .unwrap_or_else(|| format!("{}.{:02}", bp / 100, bp % 100));
                    self.typed.set(None);
                    self.saved.set(Some(Ok(format!(
                        "Saved: an alert goes out when a report's failure rate is above {t} %."
                    ))));
                    self.load();
                }
                Err(f) if f.status == 400 => self.saved.set(Some(Err(format!(
                    "Refused: {} (the threshold in force is unchanged).",
                    f.message
                )))),
                Err(f) => self
                    .saved
                    .set(Some(Err(format!("Not saved: {}", f.words())))),
            }
        });
    }
}

/// The section, for a verified subscription.
pub(super) fn section(r: Reports, s: &Shown) -> impl IntoView {
    verified(s).then(|| {
        view! {
            <section class="tls" aria-labelledby="tls-h" data-testid="tls">
                <h3 id="tls-h">"TLS reports"</h3>
                <p class="help">"The daily reports (TLS-RPT, RFC 8460) in which senders say how their TLS connections to your MX hosts went, read for you as they arrive: point your domain's reports here and watch them for two to four weeks in " <code>"testing"</code> " before " <code>"enforce"</code> "."</p>
                <p class="mon-status" role="status">{move || r.loading.get().then_some("Loading the TLS reports…")}</p>
                {move || match r.loaded.get() {
                    None => None,
                    Some(Err(words)) => Some(could_not_check(r, words).into_any()),
                    Some(Ok(t)) => Some(shown(r, &t).into_any()),
                }}
            </section>
        }
    })
}

/// "Could not check": the request failed, so nothing is known of the reports.
fn could_not_check(r: Reports, words: String) -> impl IntoView {
    view! {
        <div class="verdict verdict-inconclusive" data-testid="tls-could-not-check">
            <span class="verdict-icon" aria-hidden="true">"?"</span>
            <div class="verdict-body">
                <p class="verdict-title">"Could not check the TLS reports"</p>
                <p>{words}</p>
                <p>"Nothing is known of them for now: this is not “no reports”."</p>
                <p class="actions"><button type="button" class="btn" on:click=move |_| r.load()
                    disabled=move || r.loading.get()>"Try again"</button></p>
            </div>
        </div>
    }
}

/// Everything the answer holds.
fn shown(r: Reports, t: &Tls) -> impl IntoView {
    let today = mtasts::civil::date(crate::dom::now_secs());
    let (tone, line) = m::headline(t, &today);
    let items = m::checklist(t, &today);
    view! {
        <div class=tone.class() data-testid="tls-headline" data-tone=tone.as_str()>
            <div class="verdict-body">
                <p class="verdict-title">"What the reports say"</p>
                <p id="tls-headline">{rich(&line)}</p>
            </div>
        </div>
        {totals(t)}
        {record(t)}
        {(!t.days.is_empty()).then(|| view! { <h4>"Sessions by day"</h4>{daily_chart(&t.days, "tls-daily-table")} })}
        {failures(t)}
        {senders(t)}
        {checklist(items)}
        {threshold_form(r, t.threshold.clone())}
    }
}

/// The figures over every stored report, and the alert open, if any.
fn totals(t: &Tls) -> impl IntoView {
    let n = &t.totals;
    let all = n.successful + n.failed;
    let span = match (&n.first_day, &n.last_day) {
        (Some(a), Some(b)) => format!(" ({} to {})", m::day_words(a), m::day_words(b)),
        _ => String::new(),
    };
    let open = t.open.as_ref().map(|o| {
        view! {
            <div class="verdict verdict-warn" data-testid="tls-alert">
                <div class="verdict-body">
                    <p class="verdict-title">"Alert open"</p>
                    <p>{format!(
                        "Since {} (the first failing report is for {}); reported by {}; worst failure rate {} %. Nothing more is sent while it is open; one “resolved” message goes out once each of these senders reports clean again.",
                        o.since.replace('T', " ").replace('Z', " UTC"), m::day_words(&o.first_day), o.senders.join(", "), o.worst_rate
                    )}</p>
                </div>
            </div>
        }
    });
    view! {
        <dl class="facts" data-testid="tls-totals">
            <dt>"Reports"</dt>
            <dd>{format!("{} ({} sent again and not counted twice; {} refused)", n.reports, m::plural(n.duplicates, "duplicate", "duplicates"), n.refused)}</dd>
            <dt>"Senders"</dt><dd>{n.senders}</dd>
            <dt>"Days"</dt><dd>{format!("{}{span}", n.days)}</dd>
            <dt>"Sessions"</dt>
            <dd>{format!("{all}: {} successful, {} failed{}", n.successful, n.failed, n.failure_rate.as_ref().map(|r| format!(" ({r} %)")).unwrap_or_default())}</dd>
            <dt>"Alerts"</dt>
            <dd>{format!("when a report's failure rate is above {} % or it shows a new failing result type, MX or sender; {} so far{}",
                t.threshold, m::plural(t.incidents, "incident", "incidents"), if t.open.is_some() { ", one open" } else { ", none open" })}</dd>
        </dl>
        {open}
    }
}

/// The `_smtp._tls` record that sends the reports here, with its copy buttons.
fn record(t: &Tls) -> impl IntoView {
    let Some(rec) = t.record.clone().filter(|_| t.accepting) else {
        return view! {
            <p data-testid="tls-not-accepting">{format!("Reports are not taken while the subscription is {}: the history above stays readable.", t.state)}</p>
        }
        .into_any();
    };
    let (name, value) = (rec.name.clone(), rec.value.clone());
    let dest = [t.https.clone(), t.mailto.clone()]
        .into_iter()
        .flatten()
        .map(|d| view! { <li><code>{d}</code></li> })
        .collect_view();
    view! {
        <h4>"Send the reports here"</h4>
        <p>"Publish this TXT record (or add its " <code>"rua"</code> " addresses to the one you have: a domain has one " <code>"_smtp._tls"</code> " record, with as many addresses as you like, comma-separated):"</p>
        <div class="table-wrap">
            <table data-testid="tls-record">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Value"</th></tr></thead>
                <tbody><tr>
                    <td><code data-testid="tls-record-name">{rec.name.clone()}</code></td>
                    <td><code>{rec.rtype.clone()}</code></td>
                    <td><code data-testid="tls-record-value">{rec.value.clone()}</code></td>
                </tr></tbody>
            </table>
        </div>
        <p class="actions">
            <CopyButton text=Signal::derive(move || name.clone()) label="Copy the TLS-RPT record name"/>
            <CopyButton text=Signal::derive(move || value.clone()) label="Copy the TLS-RPT record value"/>
        </p>
        <p class="help">"The destinations it names:"</p>
        <ul class="help">{dest}</ul>
    }
    .into_any()
}

/// The failures by result type, by receiving MX, and each one, as the report viewer lists them.
fn failures(t: &Tls) -> Option<impl IntoView> {
    if t.totals.failed == 0 && t.failures.is_empty() {
        return None;
    }
    let by_type = t
        .by_type
        .iter()
        .map(|(rt, k)| vec![rt.clone(), k.to_string(), m::meaning(rt).to_owned()])
        .collect();
    let by_mx = t
        .by_mx
        .iter()
        .map(|(mx, k)| {
            let mut types: Vec<&str> = t
                .failures
                .iter()
                .filter(|f| &f.mx == mx)
                .map(|f| f.result_type.as_str())
                .collect();
            types.sort_unstable();
            types.dedup();
            vec![name_or(mx), k.to_string(), types.join(", ")]
        })
        .collect();
    let each = t
        .failures
        .iter()
        .map(|f| {
            vec![
                f.result_type.clone(),
                name_or(&f.mx),
                name_or(&f.sender),
                format!("{} {}", f.policy_type, f.policy_domain),
                f.sessions.to_string(),
                f.first_day.clone(),
                f.last_day.clone(),
            ]
        })
        .collect();
    Some(view! {
        <h4>"Failures by result type"</h4>
        {table(Some("tls-by-type"), &["Result type", "Sessions", "Meaning"], by_type)}
        <h4>"Failures by receiving MX"</h4>
        {table(Some("tls-by-mx"), &["MX host", "Sessions", "Result types"], by_mx)}
        <h4>"Each failure"</h4>
        {table(Some("tls-failures"), &["Result type", "MX host", "Sender", "Policy", "Sessions", "First day", "Last day"], each)}
    })
}

fn name_or(s: &str) -> String {
    if s.is_empty() {
        "(not given)".into()
    } else {
        s.to_owned()
    }
}

/// The senders, and the latest reports received.
fn senders(t: &Tls) -> Option<impl IntoView> {
    if t.senders.is_empty() {
        return None;
    }
    let rows = t
        .senders
        .iter()
        .map(|s| {
            vec![
                name_or(&s.sender),
                s.reports.to_string(),
                s.successful.to_string(),
                s.failed.to_string(),
                s.rate
                    .clone()
                    .map_or_else(|| "—".into(), |r| format!("{r} %")),
                s.first_day.clone(),
                s.last_day.clone(),
            ]
        })
        .collect();
    let latest = t
        .reports
        .iter()
        .map(|x| {
            vec![
                utc(x.received_at),
                name_or(&x.organization),
                x.day.clone(),
                x.via.clone(),
                x.successful.to_string(),
                x.failed.to_string(),
                x.notes.to_string(),
                x.id.clone(),
            ]
        })
        .collect();
    Some(view! {
        <h4>"Senders"</h4>
        {table(Some("tls-senders"), &["Organisation", "Reports", "Successful", "Failed", "Failure rate", "First day", "Last day"], rows)}
        <details>
            <summary>{format!("The latest {} received", m::plural(t.reports.len() as u64, "report", "reports"))}</summary>
            {table(Some("tls-reports"), &["Received", "Sender", "Day", "Via", "Successful", "Failed", "Reader's notes", "Report id"], latest)}
        </details>
    })
}

/// Ready to enforce? Each item with its state.
fn checklist(items: Vec<m::Item>) -> impl IntoView {
    let list = items
        .into_iter()
        .map(|i| {
            let (class, label) = i.status.badge();
            view! {
                <li data-check=i.check data-status=i.status.as_str()>
                    <span class=class>{label}</span>" "{rich(&i.text)}
                </li>
            }
        })
        .collect_view();
    view! {
        <h4>"Ready to enforce?"</h4>
        <ul class="readiness-list" data-testid="tls-checklist">{list}</ul>
    }
}

/// The alert threshold: the box, its refusal, and how the last save went.
fn threshold_form(r: Reports, current: String) -> impl IntoView {
    let shown = current.clone();
    let cur = current.clone();
    view! {
        <h4>"Alert threshold"</h4>
        <form class="mon-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); r.save(&cur); }>
            <div class="field">
                <label for="tls-threshold">"Alert when a report's failure rate is above (%)"</label>
                <input id="tls-threshold" type="text" inputmode="decimal" autocomplete="off" spellcheck="false"
                    aria-describedby="tls-threshold-help tls-threshold-error"
                    aria-invalid=move || r.invalid.with(Option::is_some).then_some("true")
                    prop:value=move || r.typed.get().unwrap_or_else(|| shown.clone())
                    on:input=move |ev| { r.typed.set(Some(event_target_value(&ev))); r.saved.set(None); }/>
                <p id="tls-threshold-help" class="help">{format!("In force: {current} %. From 0 to 100, at most two decimals. A report showing a result type, MX or sender never seen failing before alerts whatever its rate.")}</p>
                <p id="tls-threshold-error" class="field-error" role="alert">{move || r.invalid.get()}</p>
            </div>
            <button type="submit" class="btn" disabled=move || r.saving.get()>"Save the threshold"</button>
            <p class="mon-checked" role="status" data-testid="tls-threshold-saved">{move || r.saved.get().and_then(Result::ok)}</p>
            <p class="field-error" role="alert" data-testid="tls-threshold-failed">{move || r.saved.get().and_then(Result::err)}</p>
        </form>
    }
}
