//! The results: the headline (what the reports say, in a verdict box), what to do, the chart,
//! each domain, the senders, and the details.

use std::sync::Arc;

use leptos::prelude::*;
use mtasts::reports::{self, Summary};
use mtasts::Priority;

use super::chart::Chart;
use super::details::details;
use super::domains::domain_view;
use super::tables::{capped, more, or_not_given, section, table, MAX_ROWS};
use super::{plural, Shown};

fn prio_class(p: Priority) -> &'static str {
    match p {
        Priority::High => "badge badge-error",
        Priority::Medium => "badge badge-warning",
        Priority::Low => "badge badge-info",
    }
}

/// Everything the reports say, in the order a reader needs it.
#[component]
pub(super) fn Results(
    /// What was read.
    shown: Arc<Shown>,
) -> impl IntoView {
    let s = &shown.summary;
    let reporters = senders(s);
    view! {
        <section class="report reports-result" aria-labelledby="reports-summary-title">
            {headline(&shown)}
            {(!s.advice.is_empty()).then(|| section("What to do".into(), advice(s)))}
            <Chart days=s.daily.clone()/>
            {s.domains.iter().map(domain_view).collect_view()}
            {(!s.reporters.is_empty()).then(|| section("Senders".into(), reporters))}
            {details(&shown)}
        </section>
    }
}

/// The verdict box: its tone, the headline, and the facts (reports, senders, dates, sessions,
/// files, time taken).
fn headline(shown: &Shown) -> impl IntoView {
    let s = &shown.summary;
    let high = s.advice.iter().any(|a| a.priority == Priority::High);
    let tone = if s.reports == 0 {
        "verdict verdict-na"
    } else if high {
        "verdict verdict-fail"
    } else if s.totals.failed > 0 {
        "verdict verdict-warn"
    } else {
        "verdict verdict-pass"
    };
    let all = s.totals.successful.saturating_add(s.totals.failed);
    let span = s
        .span()
        .map_or_else(|| "unknown dates".into(), |(a, b)| format!("{a} to {b}"));
    let facts = format!(
        "{} from {} · {span} · {} ({} failed) · {} read in {} ms",
        plural(s.reports as u64, "report", "reports"),
        plural(s.reporters.len() as u64, "sender", "senders"),
        plural(all, "session", "sessions"),
        s.totals.failed,
        plural(shown.files as u64, "file", "files"),
        shown.millis
    );
    view! {
        <div class=tone role="status">
            <div class="verdict-body">
                <h2 class="verdict-title" id="reports-summary-title">"What the reports say"</h2>
                <p id="reports-headline">{s.headline.clone()}</p>
                <p class="help">{facts}</p>
            </div>
        </div>
    }
}

/// What to do, most urgent first, each result type explained (the first [`MAX_ROWS`]).
fn advice(s: &Summary) -> AnyView {
    let advice_more = s.advice.len().saturating_sub(MAX_ROWS);
    let advice = s.advice.iter().take(MAX_ROWS).map(|a| {
        let info = reports::result_type(&a.result_type);
        view! {
            <li class="finding">
                <div class="finding-head">
                    <span class=prio_class(a.priority)>{a.priority.as_str()}</span>
                    <code>{a.result_type.clone()}</code>
                    <span class="finding-title">{info.map_or("A result type RFC 8460 does not define", |i| i.title)}</span>
                </div>
                <p class="finding-message">{a.text.clone()}</p>
                {info.map(|i| view! {
                    <details>
                        <summary>"What this result type means"</summary>
                        <p><strong>"What: "</strong>{i.what}</p>
                        <p><strong>"Why it matters: "</strong>{i.why}</p>
                        <p><strong>"Fix: "</strong>{i.fix}</p>
                    </details>
                })}
            </li>
        }
        .into_any()
    }).collect_view();
    view! { <ul class="findings">{advice}</ul>{(advice_more > 0).then(|| view! { <p>{more(advice_more)}</p> })} }.into_any()
}

/// The senders' table: reports, successful and failed sessions by organisation.
fn senders(s: &Summary) -> AnyView {
    table(
        Some("reporters-table"),
        &["Organisation", "Reports", "Successful", "Failed"],
        capped(
            s.reporters.iter().map(|r| {
                vec![
                    or_not_given(r.organization.as_ref()),
                    r.reports.to_string(),
                    r.successful.to_string(),
                    r.failed.to_string(),
                ]
            }),
            s.reporters.len(),
            4,
        ),
    )
}
