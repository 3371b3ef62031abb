//! The migration planner on the generator page: the live policy of a domain (one request: the
//! report the Worker judged with the same crate as the checker, `/api/report`, of which this reads
//! the policy and the MX hosts) and what the owner wants — new MX hosts, `enforce`, or retiring —
//! give the ordered safe steps with dates, computed here by the crate (`mtasts::plan`).

use leptos::prelude::*;
use mtasts::plan::{plan, Goal, Plan};
use wasm_bindgen::JsValue;

use crate::components::CopyButton;
use crate::dom;
use crate::judged;

/// The plan to `goal` from the Worker's judged `report` of the domain (`/api/report`'s `report`,
/// read field by field): its policy and MX hosts, from now.
fn planned(report: &JsValue, goal: &Goal) -> Result<(String, Plan), String> {
    let domain = judged::text(report, "domain").unwrap_or_default();
    let policy = judged::policy(report);
    if policy.is_none() && judged::present(report, "policy") {
        return Err("the checker service sent a policy this page cannot read".into());
    }
    plan(
        policy.as_ref(),
        &judged::mx_hosts(report),
        goal,
        dom::now_secs(),
    )
    .map(|p| (domain, p))
    .map_err(|e| e.to_string())
}

#[component]
pub(crate) fn Planner() -> impl IntoView {
    let domain = RwSignal::new(String::new());
    let goal = RwSignal::new("move".to_owned());
    let hosts = RwSignal::new(String::new());
    let result: RwSignal<Option<Result<(String, Plan), String>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (d, g, h) = (
            domain.get_untracked(),
            goal.get_untracked(),
            hosts.get_untracked(),
        );
        let goal = match g.as_str() {
            "enforce" => Goal::Enforce,
            "retire" => Goal::Retire,
            _ => Goal::MoveMx(
                h.lines()
                    .filter_map(|l| l.split_whitespace().last())
                    .map(str::to_owned)
                    .collect(),
            ),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = match crate::api::normalize(&d) {
                Ok(n) => judged::report(&n).await,
                Err(e) => Err(e),
            };
            let r = match answer {
                Err(e) => Err(e.to_string()),
                Ok(a) => planned(&judged::field(&a, "report"), &goal),
            };
            result.set(Some(r));
            busy.set(false);
        });
    };
    let steps = move || {
        result.get().map(|r| match r {
            Err(e) => view! { <p class="field-error" role="alert" id="plan-error">{e}</p> }.into_any(),
            Ok((d, p)) => {
                let notes = p.notes.iter().map(|n| view! { <p class="note">{n.clone()}</p> }).collect_view();
                let items = p.steps.into_iter().map(|s| {
                    let when = s.not_before.map(|t| view! { <span class="badge badge-prio">{format!("not before {}", dom::utc(t))}</span> });
                    let policy = s.policy.map(|text| {
                        let shown = text.replace("\r\n", "\n");
                        view! {
                            <p class="muted">{format!("Policy file at https://mta-sts.{d}/.well-known/mta-sts.txt (CRLF line ends):")}</p>
                            <pre class="code">{shown}</pre>
                            <CopyButton text=Signal::stored(text) label="Copy policy"/>
                        }
                    });
                    let txt = s.txt.map(|t| view! {
                        <p>{format!("TXT record at _mta-sts.{d}: ")}<code>{t.clone()}</code>" "<CopyButton text=Signal::stored(t) label="Copy record"/></p>
                    });
                    view! {
                        <li class="plan-step">
                            <p><strong>{s.title}</strong>" "{when}</p>
                            <p>{s.detail}</p>
                            {policy}
                            {txt}
                        </li>
                    }
                }).collect_view();
                view! { {notes}<ol class="plan-steps">{items}</ol> }.into_any()
            }
        })
    };
    view! {
        <section class="planner" aria-labelledby="plan-title">
            <h2 id="plan-title">"Plan a change"</h2>
            <p class="help">
                "Moving to new MX hosts, switching to enforce or retiring MTA-STS: senders keep a policy for up to its max_age, "
                "so the steps must wait it out. From the live policy of your domain, this gives the steps in order, with dates."
            </p>
            <form on:submit=on_submit novalidate>
                <div class="field">
                    <label for="plan-domain">"Your domain"</label>
                    <input id="plan-domain" type="text" autocomplete="off" spellcheck="false" placeholder="example.com"
                        prop:value=move || domain.get() on:input=move |ev| domain.set(event_target_value(&ev))/>
                </div>
                <fieldset class="field">
                    <legend>"What do you want to do?"</legend>
                    <label><input type="radio" name="plan-goal" value="move" checked=true on:change=move |_| goal.set("move".into())/>" Move mail to other servers"</label>
                    <label><input type="radio" name="plan-goal" value="enforce" on:change=move |_| goal.set("enforce".into())/>" Switch from testing to enforce"</label>
                    <label><input type="radio" name="plan-goal" value="retire" on:change=move |_| goal.set("retire".into())/>" Retire MTA-STS"</label>
                </fieldset>
                <Show when=move || goal.get() == "move">
                    <div class="field">
                        <label for="plan-hosts">"Hosts to move mail to"</label>
                        <textarea id="plan-hosts" rows="3" spellcheck="false"
                            prop:value=move || hosts.get() on:input=move |ev| hosts.set(event_target_value(&ev))></textarea>
                    </div>
                </Show>
                <button type="submit" class="btn btn-primary" disabled=move || busy.get()>"Plan the steps"</button>
            </form>
            <div class="plan-output" aria-live="polite">{steps}</div>
        </section>
    }
}
