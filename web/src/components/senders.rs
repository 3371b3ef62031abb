//! "How senders read this": a row per modelled sender — applies as published, reads it
//! differently (what it reads), or ignores it (why) — under the summary line. The view shows what
//! `mtasts::senders::view` computed; it judges nothing itself.

use leptos::prelude::*;
use mtasts::senders::view::{Outcome, View};

fn outcome_label(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Applies => ("applies as published", "status-ok"),
        Outcome::Differs => ("reads it differently", "status-warn"),
        Outcome::Ignores => ("ignores it", "status-failed"),
        Outcome::None => ("no policy", "muted"),
    }
}

/// The section: summary, then the table.
#[component]
pub(crate) fn SendersTable(view: View) -> impl IntoView {
    let rows = view
        .rows
        .into_iter()
        .map(|r| {
            let (label, class) = outcome_label(r.outcome);
            let reads = r
                .policy
                .as_ref()
                .map(|p| format!("mode {}, max_age {}, {} mx", p.mode, p.max_age, p.mx.len()));
            let detail = r.reason.or(reads).unwrap_or_default();
            view! {
                <tr data-sender=r.sender.clone()>
                    <th scope="row">{r.name}</th>
                    <td class="muted">{r.version}</td>
                    <td class=class>{label}</td>
                    <td>{detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="sec-senders">
            <h2 id="sec-senders">"How senders read this"</h2>
            <p data-testid="senders-summary">{view.summary}</p>
            <table class="senders" data-testid="senders">
                <caption class="sr-only">"What each real sending implementation does with this policy"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Sender"</th>
                        <th scope="col">"Version modelled"</th>
                        <th scope="col">"What it does"</th>
                        <th scope="col">"What it reads, or why"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="muted">"Models of each implementation's published code, proven against the real code where it installs from a registry; "
                <a href="/codes/senders-disagree">"what the findings mean"</a>"."</p>
        </section>
    }
}
