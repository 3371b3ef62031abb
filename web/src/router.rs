//! A small client-side router: the URL's path and query as signals, links within the site
//! followed with `history.pushState`, and back/forward through `popstate`.
//!
//! The app has eight fixed paths and one parameter, so this replaces `leptos_router` (and the
//! `url`/IDNA code it brings), which was about a tenth of the download.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The pages the paths lead to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Page {
    Checker,
    Lint,
    Generate,
    Reports,
    Bulk,
    Monitor,
    Codes,
    Code(String),
    Widget,
    Embed,
    NotFound,
}

impl Page {
    /// Whether this build carries the page (see Cargo.toml's features); a link to a page it does
    /// not carry is left to the browser, which loads the build that has it.
    pub(crate) fn here(&self) -> bool {
        match self {
            Self::Checker => cfg!(any(feature = "page-checker", feature = "checker-shell")),
            Self::Embed => cfg!(feature = "page-embed"),
            Self::Lint => cfg!(feature = "page-lint"),
            Self::Generate => cfg!(feature = "page-generate"),
            Self::Reports => cfg!(feature = "page-reports"),
            Self::Bulk => cfg!(feature = "page-bulk"),
            Self::Monitor => cfg!(feature = "page-monitor"),
            Self::Codes | Self::Code(_) | Self::Widget | Self::NotFound => {
                cfg!(feature = "page-docs")
            }
        }
    }

    /// The page at `path` (one trailing slash ignored).
    pub(crate) fn at(path: &str) -> Self {
        let p = match path.strip_suffix('/') {
            Some(p) if !p.is_empty() => p,
            _ => path,
        };
        match p {
            "/" | "" => Self::Checker,
            "/lint" => Self::Lint,
            "/generate" => Self::Generate,
            "/reports" => Self::Reports,
            "/bulk" => Self::Bulk,
            "/monitor" => Self::Monitor,
            "/codes" => Self::Codes,
            "/widget" => Self::Widget,
            "/embed" => Self::Embed,
            _ => match p.strip_prefix("/codes/") {
                Some(code) if !code.contains('/') => Self::Code(
                    js_sys::decode_uri_component(code)
                        .map(String::from)
                        .unwrap_or_else(|_| code.to_owned()),
                ),
                _ => Self::NotFound,
            },
        }
    }
}

/// Where the app is. `Copy`, in context (see [`Router::install`], [`use_router`]).
#[derive(Clone, Copy)]
pub(crate) struct Router {
    path: RwSignal<String>,
    search: RwSignal<String>,
}

/// The router the app installed.
pub(crate) fn use_router() -> Router {
    expect_context::<Router>()
}

impl Router {
    /// Reads the window's URL, follows back/forward and same-site link clicks from now on, and
    /// provides the router as context.
    pub(crate) fn install() -> Self {
        let router = Self {
            path: RwSignal::new(String::new()),
            search: RwSignal::new(String::new()),
        };
        router.sync();
        if let Some(window) = web_sys::window() {
            let on_pop = Closure::<dyn Fn()>::new(move || router.sync());
            let _ = window
                .add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
            // The listeners live as long as the page.
            on_pop.forget();
            let on_click =
                Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev| router.on_click(&ev));
            if let Some(document) = window.document() {
                let _ = document
                    .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
            }
            on_click.forget();
        }
        provide_context(router);
        router
    }

    /// The page the path leads to (tracked).
    pub(crate) fn page(&self) -> Page {
        self.path.with(|p| Page::at(p))
    }

    /// The query parameter `key`, decoded (tracked).
    pub(crate) fn query(&self, key: &str) -> Option<String> {
        self.search.with(|s| param(s, key))
    }

    /// The query parameter `key`, decoded (not tracked).
    pub(crate) fn query_untracked(&self, key: &str) -> Option<String> {
        self.search.with_untracked(|s| param(s, key))
    }

    /// Goes to `href` (a path with an optional query) as a new history entry, at the top.
    pub(crate) fn navigate(&self, href: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(history) = window.history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
        }
        self.sync();
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Takes the path and query from the window's location, notifying only what changed.
    fn sync(&self) {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        if self.path.with_untracked(|p| *p != path) {
            self.path.set(path);
        }
        if self.search.with_untracked(|s| *s != search) {
            self.search.set(search);
        }
    }

    /// Follows a plain left click on a link to another page of this site without reloading.
    /// Anything else (new tab, download, another origin, another window, a `#fragment`, a
    /// handler that already took the click) is left to the browser.
    fn on_click(&self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(a) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let target = a.target();
        if !(target.is_empty() || target == "_self")
            || a.has_attribute("download")
            || !a.hash().is_empty()
            || a.origin() != crate::dom::origin()
            || !Page::at(&a.pathname()).here()
        {
            return;
        }
        ev.prevent_default();
        self.navigate(&format!("{}{}", a.pathname(), a.search()));
    }
}

/// The decoded value of `key` in a query string (`?a=1&b=2`); `+` is a space, as in forms.
fn param(search: &str, key: &str) -> Option<String> {
    let query = search.strip_prefix('?').unwrap_or(search);
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == key).then(|| decode(v))
    })
}

fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    js_sys::decode_uri_component(&s).map_or(s, String::from)
}

/// A link in the site's navigation, marked `aria-current="page"` on its page (and, unless
/// `exact`, on the pages below it).
#[component]
pub(crate) fn NavLink(
    href: &'static str,
    #[prop(optional)] exact: bool,
    children: Children,
) -> impl IntoView {
    let router = use_router();
    let current = move || {
        router.path.with(|p| {
            let here =
                p == href || (!exact && p.strip_prefix(href).is_some_and(|r| r.starts_with('/')));
            here.then_some("page")
        })
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}
