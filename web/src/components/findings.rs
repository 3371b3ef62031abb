//! The finding list: each finding with its severity, priority, message, fix, location and a link
//! to its code's documentation.

use leptos::prelude::*;
use mtasts::{Finding, Severity, Subject};

use crate::text::Mark;

/// The spans of policy findings, for [`crate::components::NumberedText`].
pub(crate) fn policy_marks(findings: &[Finding]) -> Vec<Mark> {
    findings
        .iter()
        .filter(|f| f.subject == Subject::Policy)
        .filter_map(|f| {
            f.span.map(|range| Mark {
                range,
                severity: f.severity,
            })
        })
        .collect()
}

pub(crate) fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

/// A list of findings. With `on_locate`, findings that point at a line get a button that jumps
/// there (the linter); `new_tab` opens documentation links in a new tab (the widget).
#[component]
pub(crate) fn FindingList(
    findings: Vec<Finding>,
    /// Called with a finding when its "line N" button is pressed.
    #[prop(optional)]
    on_locate: Option<Callback<Finding>>,
    /// Show only the first N.
    #[prop(optional)]
    limit: Option<usize>,
    /// Open documentation links in a new tab.
    #[prop(optional)]
    new_tab: bool,
    /// Where documentation links point (the site's origin in the widget; empty: this site).
    #[prop(optional, into)]
    base: String,
) -> impl IntoView {
    if findings.is_empty() {
        return view! { <p class="no-findings">"No findings."</p> }.into_any();
    }
    let total = findings.len();
    let shown: Vec<Finding> = findings
        .into_iter()
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    let more = total - shown.len();
    let target = if new_tab { Some("_blank") } else { None };
    let items = shown
        .into_iter()
        .map(|f| {
            let sev = f.severity.as_str();
            let title = f.code.info().title;
            let href = format!("{base}/codes/{}", f.code);
            // "Line 3, column 5" in a policy, "Record 2, column 1" in a TXT record set.
            let place = f.place().map(|p| {
                // The label is ASCII ("line 3, column 5"): capitalise without Unicode tables.
                let mut label = p.label();
                label[..1].make_ascii_uppercase();
                label
            });
            let locate = match (on_locate, place) {
                (Some(cb), Some(label)) => {
                    let finding = f.clone();
                    Some(view! {
                        <button type="button" class="btn-link locate" on:click=move |_| cb.run(finding.clone())>
                            {label}
                        </button>
                    }.into_any())
                }
                (None, Some(label)) => Some(view! { <span class="locate">{label}</span> }.into_any()),
                _ => None,
            };
            view! {
                <li class=format!("finding sev-{sev}") data-code=f.code.as_str()>
                    <div class="finding-head">
                        <span class=format!("badge badge-{sev}")>{severity_label(f.severity)}</span>
                        <span class="badge badge-prio">{format!("{} priority", f.priority.as_str())}</span>
                        <span class="finding-title">{title}</span>
                    </div>
                    <p class="finding-message">{crate::components::rich(&f.message)}</p>
                    {f.fix.as_deref().map(|fix| view! { <p class="finding-fix"><strong>"Fix: "</strong>{crate::components::rich(fix)}</p> })}
                    <p class="finding-meta">
                        {locate}
                        <a href=href target=target rel=target.map(|_| "noopener") class="code-link">
                            <code>{f.code.as_str()}</code>
                        </a>
                        <span class="rfc">{f.rfc.clone()}</span>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="findings">{items}</ol>
        {(more > 0).then(|| view! { <p class="more">{format!("{more} more in the full report.")}</p> })}
    }
    .into_any()
}
