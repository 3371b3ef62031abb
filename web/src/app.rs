//! The router and the site's frame.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes, A};
use leptos_router::path;

use crate::pages::{
    CheckerPage, CodePage, CodesIndex, EmbedPage, GeneratePage, LintPage, NotFound, WidgetPage,
};
use crate::state::AppState;

/// The app: `/embed` stands alone (it lives in other sites' iframes); every other page shares the
/// header, navigation and footer.
#[component]
pub(crate) fn App() -> impl IntoView {
    provide_context(AppState::new());
    view! {
        <Router>
            <Routes fallback=|| view! { <Frame><NotFound/></Frame> }>
                <Route path=path!("/embed") view=EmbedPage/>
                <ParentRoute path=path!("") view=|| view! { <Frame><Outlet/></Frame> }>
                    <Route path=path!("") view=CheckerPage/>
                    <Route path=path!("lint") view=LintPage/>
                    <Route path=path!("generate") view=GeneratePage/>
                    <Route path=path!("codes") view=CodesIndex/>
                    <Route path=path!("codes/:code") view=CodePage/>
                    <Route path=path!("widget") view=WidgetPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Header with navigation, the page, and the footer.
#[component]
fn Frame(children: Children) -> impl IntoView {
    view! {
        <a class="skip" href="#main" on:click=|ev| { ev.prevent_default(); crate::dom::focus("main"); }>"Skip to content"</a>
        <header class="site">
            <A href="/" attr:class="brand">"mtasts"</A>
            <nav aria-label="Main">
                <A href="/" exact=true>"Checker"</A>
                <A href="/lint">"Draft linter"</A>
                <A href="/generate">"Generator"</A>
                <A href="/codes">"Finding codes"</A>
                <A href="/widget">"Widget"</A>
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
