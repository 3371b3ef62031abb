//! Text with line numbers and marks at findings' spans: the policy file as served, or as drafted.

use leptos::prelude::*;
use mtasts::Severity;

use crate::text::{annotate, line_count, Mark, MAX_SHOWN_LINES};

fn mark_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "m-error",
        Severity::Warning => "m-warning",
        Severity::Info => "m-info",
    }
}

/// Line-numbered, annotated text. Lines get ids `{id_prefix}-L{n}`; `active` highlights one.
/// Everything is rendered as text nodes: hostile content stays inert.
#[component]
pub(crate) fn NumberedText(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] marks: Signal<Vec<Mark>>,
    id_prefix: &'static str,
    /// Accessible name of the region.
    label: &'static str,
    #[prop(into, optional)] active: Signal<Option<u32>>,
) -> impl IntoView {
    let body = move || {
        let t = text.get();
        if t.is_empty() {
            return view! { <p class="muted">"(empty)"</p> }.into_any();
        }
        let lines = annotate(&t, &marks.get());
        let total = line_count(&t);
        let active = active.get();
        let rows = lines
            .into_iter()
            .map(|l| {
                let mut class = String::from("line");
                if let Some(s) = l.worst {
                    class.push(' ');
                    class.push_str(mark_class(s));
                }
                if active == Some(l.number) {
                    class.push_str(" active");
                }
                let segs = l
                    .segments
                    .into_iter()
                    .map(|s| match s.mark {
                        Some(m) => view! { <mark class=mark_class(m)>{s.text}</mark> }.into_any(),
                        None => view! { <span>{s.text}</span> }.into_any(),
                    })
                    .collect_view();
                let end = l.end_mark.map(|m| {
                    view! { <mark class=format!("end {}", mark_class(m)) title="at the end of this line">"⏎"</mark> }
                });
                view! {
                    <li id=format!("{id_prefix}-L{}", l.number) class=class>
                        <span class="ln" aria-hidden="true">{l.number}</span>
                        <code class="lc">{segs}{end}</code>
                    </li>
                }
            })
            .collect_view();
        let hidden = total.saturating_sub(MAX_SHOWN_LINES);
        view! {
            <ol class="lines">{rows}</ol>
            {(hidden > 0).then(|| view! { <p class="muted">{format!("{hidden} more lines not shown.")}</p> })}
        }
        .into_any()
    };
    view! {
        <div class="numbered" role="region" aria-label=label tabindex="0">
            {body}
        </div>
    }
}
