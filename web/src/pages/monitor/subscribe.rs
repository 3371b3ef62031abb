//! Subscribing: the domain, the webhook, its format and the threshold; then, once, the
//! management key and the webhook secret to save.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::client::{call, object, Failure, PATH};
use super::model::Created;
use super::session::Session;
use crate::components::CopyButton;

/// The form's boxes and its outcome.
#[derive(Clone, Copy)]
struct Form {
    domain: RwSignal<String>,
    webhook: RwSignal<String>,
    /// `auto` (chosen by the service from the URL), `json`, `slack` or `discord`.
    format: RwSignal<String>,
    /// `warning` (errors and warnings), `error` or `info`.
    threshold: RwSignal<String>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
}

impl Form {
    /// Sends the subscription; on success the `session` shows it.
    fn submit(self, session: Session) {
        if self.busy.get_untracked() {
            return;
        }
        let domain = self.domain.get_untracked().trim().to_owned();
        let webhook = self.webhook.get_untracked().trim().to_owned();
        if domain.is_empty() || webhook.is_empty() {
            self.error
                .set(Some("Enter the domain and the webhook URL.".into()));
            return;
        }
        let format = self.format.get_untracked();
        let threshold = self.threshold.get_untracked();
        let mut fields = vec![
            ("domain", domain.as_str()),
            ("webhook", webhook.as_str()),
            ("threshold", threshold.as_str()),
        ];
        if format != "auto" {
            fields.push(("format", format.as_str()));
        }
        let body = object(&fields);
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            let made = call("POST", PATH, None, Some(&body)).await.and_then(|v| {
                Created::read(&v).ok_or_else(|| Failure {
                    status: 200,
                    message: "the answer is not a subscription".into(),
                })
            });
            self.busy.set(false);
            match made {
                Ok(c) => {
                    session.made(c);
                    set_timeout(
                        || crate::dom::focus("mon-created"),
                        std::time::Duration::ZERO,
                    );
                }
                Err(f) => self.error.set(Some(f.words())),
            }
        });
    }
}

/// The subscription form.
pub(super) fn form(session: Session) -> impl IntoView {
    let f = Form {
        domain: RwSignal::new(String::new()),
        webhook: RwSignal::new(String::new()),
        format: RwSignal::new("auto".to_owned()),
        threshold: RwSignal::new("warning".to_owned()),
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    view! {
        <section class="mon-panel" aria-labelledby="mon-sub-h">
            <h2 id="mon-sub-h">"Subscribe"</h2>
            <form class="mon-form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); f.submit(session); }>
                <div class="field">
                    <label for="mon-domain">"Domain"</label>
                    <input id="mon-domain" type="text" autocomplete="off" spellcheck="false" placeholder="example.com"
                        prop:value=move || f.domain.get() on:input=move |ev| f.domain.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="mon-webhook">"Webhook URL"</label>
                    <input id="mon-webhook" type="text" inputmode="url" autocomplete="off" spellcheck="false" aria-describedby="mon-webhook-help"
                        placeholder="https://hooks.example.net/mtasts"
                        prop:value=move || f.webhook.get() on:input=move |ev| f.webhook.set(event_target_value(&ev))/>
                    <p id="mon-webhook-help" class="help">"Where alerts are posted: an https: URL on a public host name (no IP address, no internal name, default port). Slack and Discord webhook URLs work as they are."</p>
                </div>
                <div class="field-row">
                    {choice("mon-format", "Format", f.format, FORMATS)}
                    {choice("mon-threshold", "Alert on", f.threshold, THRESHOLDS)}
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || f.busy.get()>
                    {move || if f.busy.get() { "Subscribing…" } else { "Subscribe" }}
                </button>
                <p class="field-error" role="alert" id="mon-sub-error">{move || f.error.get()}</p>
            </form>
        </section>
    }
}

/// The alert formats: the API's value, and what the page calls it.
const FORMATS: &[(&str, &str)] = &[
    ("auto", "Automatic (from the URL)"),
    ("json", "JSON, signed (Standard Webhooks)"),
    ("slack", "Slack"),
    ("discord", "Discord"),
];

/// The alert thresholds, as [`FORMATS`].
const THRESHOLDS: &[(&str, &str)] = &[
    ("warning", "Errors and warnings"),
    ("error", "Errors only"),
    ("info", "Everything, notes too"),
];

/// A labelled choice among `options` (value, words), bound to `value`.
fn choice(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    options: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    let options = options
        .iter()
        .map(|&(v, words)| view! { <option value=v>{words}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                {options}
            </select>
        </div>
    }
}

/// The management key and the webhook secret of the subscription just made: shown once.
pub(super) fn created(session: Session) -> impl IntoView {
    move || {
        session.created.get().map(|c| {
            let key = c.key.clone();
            let secret = c.secret.clone();
            view! {
                <section class="mon-panel mon-once" aria-labelledby="mon-created" data-testid="mon-created">
                    <h2 id="mon-created" tabindex="-1">"Save these now"</h2>
                    <p><strong>"They are shown only this once."</strong>
                        " The service keeps only a hash of the management key: without it this subscription cannot be managed, and nobody can show it to you again."</p>
                    <dl class="facts">
                        <dt>"Subscription id"</dt>
                        <dd><code data-testid="mon-id">{c.id.clone()}</code></dd>
                        <dt>"Management key"</dt>
                        <dd>
                            <code data-testid="mon-key">{c.key.clone()}</code>
                            <br/><CopyButton text=Signal::derive(move || key.clone()) label="Copy the management key"/>
                        </dd>
                        <dt>"Webhook secret"</dt>
                        <dd>
                            <code data-testid="mon-secret">{c.secret.clone()}</code>
                            <br/><CopyButton text=Signal::derive(move || secret.clone()) label="Copy the webhook secret"/>
                            <p class="help">"Your receiver checks each alert's " <code>"webhook-signature"</code> " with it (Standard Webhooks 1.0)."</p>
                        </dd>
                    </dl>
                    <p class="help">"This tab keeps the id and key until it is closed (session storage, never in a link), so you can manage the subscription below."</p>
                </section>
            }
        })
    }
}
