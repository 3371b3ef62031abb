//! Each policy domain's part of the results: its totals, and its failures by result type, by
//! receiving MX and by sender.

use leptos::prelude::*;
use mtasts::reports;

use super::plural;
use super::tables::{capped, or_not_given, table, types};

/// One policy domain: its totals and, when sessions failed, its failures.
pub(super) fn domain_view(d: &mtasts::reports::DomainSummary) -> AnyView {
    let name = d
        .policy_domain
        .clone()
        .unwrap_or_else(|| "(domain not given)".into());
    let title = format!(
        "{name} — {}{}",
        d.policy_type,
        d.mode
            .as_deref()
            .map(|m| format!(", mode {m}"))
            .unwrap_or_default()
    );
    let all = d.totals.successful.saturating_add(d.totals.failed);
    let rate = reports::percent(d.totals.successful, all)
        .map_or_else(|| "no sessions".to_owned(), |r| format!("{r}% successful"));
    let mut line = format!(
        "{} · {rate} · {} failed",
        plural(all, "session", "sessions"),
        d.totals.failed
    );
    if d.totals.unreadable > 0 {
        line.push_str(&format!(
            " · {} could not be read (not counted)",
            plural(d.totals.unreadable, "count", "counts")
        ));
    }
    let failures = (!d.totals.failures.is_empty()).then(|| failure_tables(d));
    view! {
        <section class="domain-summary">
            <h2>{title}</h2>
            <p>{line}</p>
            {failures}
        </section>
    }
    .into_any()
}

/// A domain's failures by result type, by receiving MX and by sender.
fn failure_tables(d: &mtasts::reports::DomainSummary) -> impl IntoView {
    let by_type = table(
        None,
        &["Result type", "Sessions", "Meaning"],
        d.totals
            .failures
            .iter()
            .map(|(rt, n)| {
                vec![
                    rt.clone(),
                    n.to_string(),
                    reports::result_type(rt)
                        .map_or("Not defined by RFC 8460", |r| r.title)
                        .to_owned(),
                ]
            })
            .collect(),
    );
    let by_mx = table(
        None,
        &["MX host", "IP", "Sessions", "Result types"],
        capped(
            d.by_mx.iter().map(|r| {
                vec![
                    or_not_given(r.host.as_ref()),
                    r.ip.clone().unwrap_or_default(),
                    r.failed.to_string(),
                    types(&r.result_types),
                ]
            }),
            d.by_mx.len(),
            4,
        ),
    );
    let by_sender = table(
        None,
        &["Organisation", "Sending MTA", "Sessions", "Result types"],
        capped(
            d.by_sender.iter().map(|r| {
                vec![
                    or_not_given(r.organization.as_ref()),
                    or_not_given(r.mta_ip.as_ref()),
                    r.failed.to_string(),
                    types(&r.result_types),
                ]
            }),
            d.by_sender.len(),
            4,
        ),
    );
    view! {
        <h3>"Failures by result type"</h3>{by_type}
        <h3>"Failures by receiving MX"</h3>{by_mx}
        <h3>"Failures by sender"</h3>{by_sender}
    }
}
