//! Unknown paths.

use leptos::prelude::*;

use crate::dom;

/// The page for paths that are not pages.
#[component]
pub(crate) fn NotFound() -> impl IntoView {
    dom::set_title("Page not found");
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page here. " <a href="/">"Check a domain"</a> " or " <a href="/lint">"lint a draft policy"</a> "."</p>
    }
}
