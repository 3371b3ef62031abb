//! The verdict banner: the answer first, in words and colour (never colour alone).

use leptos::prelude::*;
use mtasts::Verdict;

/// The CSS class of a verdict.
pub(crate) fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "verdict verdict-pass",
        Verdict::Warn => "verdict verdict-warn",
        Verdict::Fail => "verdict verdict-fail",
        Verdict::NotApplicable => "verdict verdict-na",
        Verdict::Inconclusive => "verdict verdict-inconclusive",
    }
}

fn icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "✓",
        Verdict::Warn => "!",
        Verdict::Fail => "✗",
        Verdict::NotApplicable => "–",
        Verdict::Inconclusive => "?",
    }
}

/// Verdict, domain and summary.
#[component]
pub(crate) fn VerdictBanner(
    verdict: Verdict,
    /// The domain (empty for drafts).
    #[prop(into)]
    domain: String,
    /// The plain-words summary.
    #[prop(into)]
    summary: String,
) -> impl IntoView {
    let title = if domain.is_empty() {
        verdict.label().to_owned()
    } else {
        format!("{domain}: {}", verdict.label())
    };
    let heading = view! { <h2 class="verdict-title">{title}</h2> };
    view! {
        <section class=verdict_class(verdict) data-verdict=verdict.as_str() aria-label="Verdict">
            <span class="verdict-icon" aria-hidden="true">{icon(verdict)}</span>
            <div class="verdict-body">
                {heading}
                <p class="summary">{summary}</p>
            </div>
        </section>
    }
}
