//! `/widget`: how to put the checker on another site, with a live example using the real loader.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::CopyButton;
use crate::dom;

/// Runs `embed.js` on this page: calls its `mount()` if it is already loaded, or loads it.
fn load_widget_script() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mount = js_sys::Reflect::get(&window, &"MtastsWidget".into())
        .ok()
        .filter(|v| v.is_object())
        .and_then(|w| js_sys::Reflect::get(&w, &"mount".into()).ok())
        .and_then(|m| m.dyn_into::<js_sys::Function>().ok());
    if let Some(mount) = mount {
        let _ = mount.call0(&window);
        return;
    }
    let Some(doc) = window.document() else { return };
    if let Ok(script) = doc.create_element("script") {
        let _ = script.set_attribute("src", "/embed.js");
        let _ = script.set_attribute("async", "");
        if let Some(body) = doc.body() {
            let _ = body.append_child(&script);
        }
    }
}

/// The widget documentation page.
#[component]
pub(crate) fn WidgetPage() -> impl IntoView {
    dom::set_title("Embeddable widget");
    let origin = dom::origin();
    // The loader pinned by content with its integrity hash: a changed or tampered file at that
    // URL is refused by the visitor's browser.
    let snippet = format!(
        "<div data-mtasts-widget data-theme=\"auto\"></div>\n<script src=\"{origin}/{}\" integrity=\"{}\" crossorigin=\"anonymous\" async></script>",
        env!("EMBED_JS_NAME"),
        env!("EMBED_JS_SRI")
    );
    // After the example's container is in the page.
    request_animation_frame(load_widget_script);
    view! {
        <h1>"Put the checker on your site"</h1>
        <p class="lead">"One snippet: a compact checker in an iframe that sizes itself to its content."</p>
        <h2>"The snippet"</h2>
        <pre class="code" tabindex="0" aria-label="Embed snippet"><code>{snippet.clone()}</code></pre>
        <CopyButton text=Signal::stored(snippet) label="Copy the snippet"/>
        <h2>"Options"</h2>
        <dl class="facts">
            <dt><code>"data-theme"</code></dt><dd><code>"light"</code>", "<code>"dark"</code>" or "<code>"auto"</code>" (follows the visitor's setting; the default)."</dd>
            <dt><code>"data-accent"</code></dt><dd>"A colour for the button and links: "<code>"#0b57d0"</code>" or a colour name."</dd>
            <dt><code>"data-domain"</code></dt><dd>"A domain to check as soon as the widget loads."</dd>
            <dt><code>"data-title"</code></dt><dd>"The iframe's accessible title (default: MTA-STS checker)."</dd>
        </dl>
        <h2>"How it behaves"</h2>
        <ul>
            <li>"The loader only creates an iframe of " <code>{format!("{}/embed", dom::origin())}</code> "; nothing runs in your page's context."</li>
            <li>"The iframe reports its height with " <code>"postMessage"</code> "; the loader accepts it only from that origin and that iframe."</li>
            <li>"Only " <code>"/embed"</code> " may be framed by other sites; every other page refuses to be framed."</li>
            <li>"The iframe is sandboxed: it may run its own scripts, submit its own form and open the full report in a new tab, nothing else (no top navigation, no pop-ups into your page, no downloads)."</li>
            <li>"The snippet pins the loader by content (" <code>{env!("EMBED_JS_NAME")}</code> ") with an "<code>"integrity"</code>" hash: if that file ever changed, browsers would refuse to run it. "<code>"/embed.js"</code>" always serves the latest loader, unpinned."</li>
        </ul>
        <h2>"Live example"</h2>
        <div class="widget-demo" data-mtasts-widget data-theme="auto"></div>
    }
}
