//! Managing a subscription with its management key: its state, the TXT record and "check now",
//! the timeline of runs (each change with its finding text and fix), the alerts sent and their
//! delivery, the TLS reports (`super::tls`), the Atom feed, and unsubscribing.

use leptos::prelude::*;

use super::model::{self, Change, Delivery, Record, Run, Shown};
use super::session::Session;
use super::tls::{self, Reports};
use crate::components::{rich, CopyButton};
use crate::dom::utc;

/// The id and key boxes, while no subscription is open.
pub(super) fn open_form(session: Session) -> impl IntoView {
    let Session { id, key, busy, .. } = session;
    view! {
        <form class="mon-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); session.open(); }>
            <p class="help">"Subscribed already? Open it with its id and the management key you saved."</p>
            <div class="field-row">
                <div class="field">
                    <label for="mon-open-id">"Subscription id"</label>
                    <input id="mon-open-id" type="text" autocomplete="off" spellcheck="false" placeholder="sub_…"
                        prop:value=move || id.get() on:input=move |ev| id.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="mon-open-key">"Management key"</label>
                    <input id="mon-open-key" type="password" autocomplete="off" spellcheck="false" placeholder="mk_…"
                        prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
                </div>
            </div>
            <button type="submit" class="btn" disabled=move || busy.get().is_some()>"Open"</button>
        </form>
    }
}

/// The status line and the error of the last request.
pub(super) fn status_line(session: Session) -> impl IntoView {
    view! {
        <p class="mon-status" role="status">{move || session.busy.get()}</p>
        <p class="field-error" role="alert" id="mon-error">{move || session.error.get()}</p>
    }
}

/// The open subscription, or the form that opens one.
pub(super) fn manage(session: Session, reports: Reports) -> impl IntoView {
    view! {
        <section class="mon-panel" aria-labelledby="mon-manage-h">
            <h2 id="mon-manage-h">"Your subscription"</h2>
            {move || match session.shown.get() {
                None => open_form(session).into_any(),
                Some(s) => shown(session, reports, s).into_any(),
            }}
            {status_line(session)}
        </section>
    }
}

fn shown(session: Session, reports: Reports, s: Shown) -> impl IntoView {
    let state = model::shown_state(&s.sub.state, s.sub.failing).to_owned();
    let (title, what) = model::state_words(&state);
    let needs_record = matches!(s.sub.state.as_str(), "pending" | "paused");
    let live = s.sub.state != "unsubscribed";
    view! {
        <div class="mon-state" data-state=state.clone() data-testid="mon-state">
            <p class="mon-state-head">
                <span class=format!("badge state-{state}")>{state.clone()}</span>
                " " <strong>{title}</strong> " — " {s.sub.domain.clone()}
            </p>
            <p>{what}</p>
            {s.sub.ended_why.clone().map(|w| view! { <p class="muted">"Ended: " {w}</p> })}
        </div>
        {details(&s)}
        {needs_record.then(|| s.record.clone().map(record)).flatten()}
        {live.then(|| check_now(session))}
        {feed(s.feed_url.clone())}
        {timeline(&s.runs, &s.deliveries)}
        {deliveries(&s.deliveries)}
        {tls::section(reports, &s)}
        {actions(session, live)}
    }
}

/// What the subscription was made with.
fn details(s: &Shown) -> impl IntoView {
    let sub = &s.sub;
    let threshold = match sub.threshold.as_str() {
        "error" => "errors only",
        "info" => "everything, notes too",
        _ => "errors and warnings",
    };
    view! {
        <dl class="facts">
            <dt>"Subscription id"</dt><dd><code>{sub.id.clone()}</code></dd>
            <dt>"Webhook"</dt><dd><code>{sub.webhook.clone()}</code> " (" {sub.format.clone()} ")"</dd>
            <dt>"Alerts on"</dt><dd>{threshold}</dd>
            <dt>"Subscribed"</dt><dd>{utc(sub.created_at)}</dd>
            <dt>"Record seen"</dt><dd>{sub.verified_at.map_or_else(|| "not yet".to_owned(), utc)}</dd>
        </dl>
    }
}

/// The TXT record to publish, each part with its copy button.
fn record(r: Record) -> impl IntoView {
    let (name, value) = (r.name.clone(), r.value.clone());
    view! {
        <h3>"Publish this TXT record"</h3>
        <p>"At your DNS host, add one record (it proves you control the domain; nothing is checked or sent until it is seen):"</p>
        <div class="table-wrap">
            <table class="mon-record" data-testid="mon-record">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Value"</th></tr></thead>
                <tbody><tr>
                    <td><code>{r.name.clone()}</code></td>
                    <td><code>{r.rtype.clone()}</code></td>
                    <td><code data-testid="mon-record-value">{r.value.clone()}</code></td>
                </tr></tbody>
            </table>
        </div>
        <p class="actions">
            <CopyButton text=Signal::derive(move || name.clone()) label="Copy the name"/>
            <CopyButton text=Signal::derive(move || value.clone()) label="Copy the value"/>
        </p>
    }
}

/// "Check now" and what it found.
fn check_now(session: Session) -> impl IntoView {
    view! {
        <p class="actions">
            <button type="button" class="btn btn-primary" on:click=move |_| session.check_now()
                disabled=move || session.busy.get().is_some()>"Check now"</button>
            <span role="status" class="mon-checked" data-testid="mon-checked"
                data-state=move || session.checked.get().map(|(s, _)| s)>
                {move || session.checked.get().map(|(_, w)| w)}
            </span>
        </p>
    }
}

fn feed(url: Option<String>) -> impl IntoView {
    url.map(|u| {
        view! {
            <p>
                <a href=u.clone() data-testid="mon-feed">"Atom feed of the changes"</a>
                " — for any feed reader; the link can read the history but neither manage nor end the subscription."
            </p>
        }
    })
}

/// The runs, newest first: time, verdict, outcome, and each change with its fix.
fn timeline(runs: &[Run], deliveries: &[Delivery]) -> impl IntoView {
    let items = runs
        .iter()
        .map(|r| {
            let sent = deliveries.iter().find(|d| d.run == r.run).map(|d| {
                view! { <p class="muted">"Alert: " {model::delivery_words(&d.state).to_owned()}</p> }
            });
            view! {
                <li class="mon-run" data-outcome=r.outcome.clone()>
                    <p class="mon-run-head">
                        <time>{utc(r.run / 1000)}</time>
                        " " <span class=model::verdict_class(&r.verdict)>{model::verdict_words(&r.verdict).to_owned()}</span>
                    </p>
                    <p>{model::outcome_words(&r.outcome, r.changes.len())}</p>
                    {(!r.changes.is_empty()).then(|| view! {
                        <ul class="findings">{r.changes.iter().map(change).collect_view()}</ul>
                    })}
                    {sent}
                </li>
            }
        })
        .collect_view();
    view! {
        <h3>"Runs"</h3>
        {if runs.is_empty() {
            view! { <p class="muted" data-testid="mon-no-runs">"No run yet: the first daily run after the record is seen stores the baseline."</p> }.into_any()
        } else {
            view! { <ol class="mon-timeline" data-testid="mon-timeline">{items}</ol> }.into_any()
        }}
    }
}

/// One finding of a run, with its fix and a link to its code's page.
fn change(c: &Change) -> impl IntoView {
    let sev = c.severity.clone();
    view! {
        <li class=format!("finding sev-{sev}")>
            <div class="finding-head">
                <span class=format!("badge badge-{sev}")>{sev.clone()}</span>
                <a href=format!("/codes/{}", c.code)><code>{c.code.clone()}</code></a>
            </div>
            <p class="finding-message">{rich(&c.message)}</p>
            {c.fix.as_ref().map(|f| view! { <p class="finding-fix"><strong>"Fix: "</strong>{rich(f)}</p> })}
        </li>
    }
}

/// The alerts sent: state, attempts, last answer.
fn deliveries(ds: &[Delivery]) -> impl IntoView {
    let rows = ds
        .iter()
        .map(|d| {
            view! {
                <tr data-state=d.state.clone() data-id=d.id.clone()>
                    <td>{utc(d.run / 1000)}</td>
                    <td>{model::delivery_words(&d.state).to_owned()}</td>
                    <td>{d.attempts}</td>
                    <td>{d.last_status.map_or_else(|| "—".to_owned(), |s| format!("HTTP {s}"))}</td>
                    <td>{d.delivered_at.map_or_else(|| "—".to_owned(), utc)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>"Alerts sent"</h3>
        {if ds.is_empty() {
            view! { <p class="muted">"None yet: an alert goes out when a run finds a change at or above your threshold."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table data-testid="mon-deliveries">
                        <thead><tr>
                            <th scope="col">"Run"</th><th scope="col">"Delivery"</th><th scope="col">"Attempts"</th>
                            <th scope="col">"Last answer"</th><th scope="col">"Delivered"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// Refresh, unsubscribe (asked twice) and forgetting the key in this tab.
fn actions(session: Session, live: bool) -> impl IntoView {
    let asking = RwSignal::new(false);
    let busy = move || session.busy.get().is_some();
    view! {
        <p class="actions mon-actions">
            <button type="button" class="btn" on:click=move |_| session.open() disabled=busy>"Refresh"</button>
            {live.then(|| view! {
                <button type="button" class="btn" aria-expanded=move || asking.get().to_string()
                    on:click=move |_| asking.set(true) disabled=busy>"Unsubscribe…"</button>
            })}
            <button type="button" class="btn" on:click=move |_| session.close()>"Forget the key in this tab"</button>
        </p>
        {move || (live && asking.get()).then(|| view! {
            <div class="mon-confirm" role="group" aria-label="Unsubscribe">
                <p>"Stop monitoring and alerts for this subscription? This cannot be undone; subscribe again to resume."</p>
                <p class="actions">
                    <button type="button" class="btn btn-danger" on:click=move |_| { asking.set(false); session.unsubscribe(); }>"Yes, unsubscribe"</button>
                    <button type="button" class="btn" on:click=move |_| asking.set(false)>"Keep it"</button>
                </p>
            </div>
        })}
    }
}
