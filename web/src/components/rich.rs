//! Text with `code` spans, as finding messages and code docs write it — always as text nodes.

use leptos::prelude::*;

use crate::text::{inlines, Inline};

/// Renders `text`, showing `backticked` parts as code.
pub(crate) fn rich(text: &str) -> impl IntoView {
    inlines(text)
        .into_iter()
        .map(|p| match p {
            Inline::Text(t) => view! { <span>{t}</span> }.into_any(),
            Inline::Code(c) => view! { <code>{c}</code> }.into_any(),
        })
        .collect_view()
}
