//! The routes and the site's frame.

use leptos::prelude::*;

#[allow(clippy::wildcard_imports)]
use crate::pages::*;
use crate::router::{NavLink, Page, Router};
#[cfg(feature = "page-checker")]
use crate::state::AppState;

/// The app: `/embed` stands alone (it lives in other sites' iframes); every other page shares the
/// header, navigation and footer, which stay in place from page to page.
#[component]
pub(crate) fn App() -> impl IntoView {
    // The latest check, kept while the visitor moves within the checker's build. Every other page
    // is a build of its own (a page load), where no check could be kept: not provided there.
    #[cfg(feature = "page-checker")]
    provide_context(AppState::new());
    let router = Router::install();
    // Only a change of page renders anew, not a change of query (`/?domain=…`).
    let page = Memo::new(move |_| router.page());
    let embed = Memo::new(move |_| page.with(|p| *p == Page::Embed));
    move || {
        if embed.get() {
            embed_view()
        } else {
            view! { <Frame>{move || page_view(page.get())}</Frame> }.into_any()
        }
    }
}

#[cfg(feature = "page-embed")]
fn embed_view() -> AnyView {
    view! { <EmbedPage/> }.into_any()
}

#[cfg(not(feature = "page-embed"))]
fn embed_view() -> AnyView {
    elsewhere()
}

/// The view of one page inside the frame: the page, when this build carries it.
fn page_view(page: Page) -> AnyView {
    match page {
        #[cfg(feature = "page-checker")]
        Page::Checker => view! { <CheckerPage/> }.into_any(),
        #[cfg(all(feature = "checker-shell", not(feature = "page-checker")))]
        Page::Checker => view! { <ShellPage/> }.into_any(),
        #[cfg(feature = "page-lint")]
        Page::Lint => view! { <LintPage/> }.into_any(),
        #[cfg(feature = "page-generate")]
        Page::Generate => view! { <GeneratePage/> }.into_any(),
        #[cfg(feature = "page-reports")]
        Page::Reports => view! { <ReportsPage/> }.into_any(),
        #[cfg(feature = "page-bulk")]
        Page::Bulk => view! { <BulkPage/> }.into_any(),
        #[cfg(feature = "page-monitor")]
        Page::Monitor => view! { <MonitorPage/> }.into_any(),
        #[cfg(feature = "page-docs")]
        Page::Codes => view! { <CodesIndex/> }.into_any(),
        #[cfg(feature = "page-docs")]
        Page::Code(code) => view! { <CodePage code/> }.into_any(),
        #[cfg(feature = "page-docs")]
        Page::Widget => view! { <WidgetPage/> }.into_any(),
        #[cfg(feature = "page-docs")]
        Page::Embed | Page::NotFound => view! { <NotFound/> }.into_any(),
        #[allow(unreachable_patterns)]
        _ => elsewhere(),
    }
}

/// A page this build does not carry (reached by back or forward after an in-page navigation):
/// the page is loaded anew, and the loader picks the build that has it.
#[allow(dead_code)]
fn elsewhere() -> AnyView {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
    view! { <p class="loading">"Loading…"</p> }.into_any()
}

/// Header with navigation, the page, and the footer.
#[component]
fn Frame(children: ChildrenFn) -> impl IntoView {
    view! {
        <a class="skip" href="#main" on:click=|ev| { ev.prevent_default(); crate::dom::focus("main"); }>"Skip to content"</a>
        <header class="site">
            <a href="/" class="brand">"mtasts"</a>
            <nav aria-label="Main">
                <NavLink href="/" exact=true>"Checker"</NavLink>
                <NavLink href="/lint">"Draft linter"</NavLink>
                <NavLink href="/generate">"Generator"</NavLink>
                <NavLink href="/bulk">"Many domains"</NavLink>
                <NavLink href="/monitor">"Monitoring"</NavLink>
                <NavLink href="/reports">"TLS reports"</NavLink>
                <NavLink href="/codes">"Finding codes"</NavLink>
                <NavLink href="/widget">"Widget"</NavLink>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site">
            <p>
                "MTA-STS (RFC 8461) and TLS-RPT (RFC 8460). Verdicts are computed in your browser; "
                "drafts in the linter never leave the page."
            </p>
        </footer>
    }
}
