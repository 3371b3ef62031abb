//! The finding codes: an index and one page per code, from the crate's own documentation.

use leptos::prelude::*;
use mtasts::CodeInfo;

use crate::dom;

fn severity_word(c: &CodeInfo) -> String {
    format!(
        "{} · {} priority",
        crate::components::severity_label_pub(c.severity),
        c.priority.as_str()
    )
}

/// `/codes`: every code, grouped by what it is about.
#[component]
pub(crate) fn CodesIndex() -> impl IntoView {
    dom::set_title("Finding codes");
    let rows = mtasts::codes::all()
        .map(|c| {
            let c = c.info();
            view! {
                <tr>
                    <td><a href=format!("/codes/{}", c.code)><code>{c.code}</code></a></td>
                    <td>{c.title}</td>
                    <td>{severity_word(c)}</td>
                </tr>
            }
        })
        .collect_view();
    let count = mtasts::codes::all().count();
    view! {
        <h1>"Finding codes"</h1>
        <p class="lead">
            {format!("Every finding the checker, the linter and the command-line tool can report: {count} codes. ")}
            "The same text is printed by " <code>"mtasts explain CODE"</code> "."
        </p>
        <div class="table-wrap" role="region" aria-label="Finding codes" tabindex="0">
            <table class="codes">
                <thead><tr><th scope="col">"Code"</th><th scope="col">"What it is about"</th><th scope="col">"Default severity"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// `/codes/<CODE>`: one code's documentation.
#[component]
pub(crate) fn CodePage(code: String) -> impl IntoView {
    match mtasts::codes::lookup(&code) {
        None => {
            dom::set_title("Unknown finding code");
            view! {
                    <h1>"Unknown finding code"</h1>
                    <p>"There is no finding code " <code>{code}</code> ". See " <a href="/codes">"all finding codes"</a> "."</p>
                }
                .into_any()
        }
        Some(c) => {
            dom::set_title(c.code);
            let sections = c
                .sections()
                .into_iter()
                .map(|(heading, text)| view! { <h2>{heading}</h2><p>{crate::components::rich(text)}</p> })
                .collect_view();
            let examples = [("Produces it", &c.bad), ("Does not", &c.good)]
                .into_iter()
                .map(|(label, example)| {
                    let (what, text) = example.describe();
                    view! {
                        <h3>{format!("{label} ({what})")}</h3>
                        <pre class="example"><code>{text}</code></pre>
                    }
                })
                .collect_view();
            view! {
                    <p class="crumbs"><a href="/codes">"Finding codes"</a></p>
                    <h1><code>{c.code}</code></h1>
                    <p class="lead">{crate::components::rich(c.title)}</p>
                    <p>
                        <span class=format!("badge badge-{}", c.severity.as_str())>{crate::components::severity_label_pub(c.severity)}</span>" "
                        <span class="badge badge-prio">{format!("{} priority", c.priority.as_str())}</span>" "
                        <span class="rfc">{c.rfc}</span>
                    </p>
                    <div class="doc" data-testid="code-doc">
                        {sections}
                        <h2>"Inputs that show it"</h2>
                        <div data-testid="code-examples">{examples}</div>
                    </div>
                }
                .into_any()
        }
    }
}
