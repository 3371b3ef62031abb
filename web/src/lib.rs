//! # mtasts-web
//!
//! The public web app: the checker (`/`), the offline draft linter (`/lint`), the generator
//! (`/generate`), monitoring (`/monitor`, the monitor API's client), the finding-code docs (`/codes`), and the embeddable widget (`/embed`, documented
//! at `/widget`). Leptos with client-side rendering; every verdict comes from the shared
//! [`mtasts`] crate: a checked domain's report is judged by the Worker on the same origin
//! (`/api/report`) and shown here; an opened Evidence file, a draft and TLS reports are judged
//! here, in the browser.
//!
//! Layout after the Leptos examples: `main.rs` only mounts; [`app`] holds the routes ([`router`] follows the URL); `pages/` one
//! module a page; `components/` the pieces they share; `api` the Worker client; [`judged`] its judged answers read field by field; `check` the one check flow of the checker and the widget; `state`
//! the context; `text/` the pure text helpers, by feature.

// `#[component]` expands to `pub` items inside these private modules.
#![allow(unreachable_pub)]
// A build with some pages only (the first-load bundles) leaves the others' pieces unused.
#![cfg_attr(
    not(all(
        feature = "page-checker",
        feature = "page-embed",
        feature = "pages-rest"
    )),
    allow(dead_code, unused_imports)
)]

mod api;
mod app;
mod check;
mod components;
mod decode;
mod dom;
mod judge_wire;
mod judged;
mod lint_wire;
mod pages;
mod router;
mod state;
#[cfg(all(test, target_arch = "wasm32"))]
mod tests;
mod text;

/// Mounts the app on `<body>`.
pub fn start() {
    init();
    // The modules that serve a page, the linter's engine (lint_wire) and the judge
    // (judge_wire), mount nothing.
    #[cfg(not(any(feature = "lint-engine", feature = "judge-engine")))]
    leptos::mount::mount_to_body(app::App);
}

/// What the app needs before anything is checked: the browser's IDN converter for the crate,
/// which is built without its own Unicode tables (feature `idna` off) to keep the download small.
pub(crate) fn init() {
    mtasts::names::idn::set_to_ascii(dom::idn_to_ascii);
}
