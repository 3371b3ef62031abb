//! The checker's heading, domain form and intro: shared by the checker and its first-load shell,
//! so both render the same page before a check.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The heading and the domain form.
#[component]
pub(crate) fn Hero(
    input: RwSignal<String>,
    input_error: RwSignal<Option<String>>,
    on_submit: Callback<SubmitEvent>,
) -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"MTA-STS and TLS-RPT checker"</h1>
            <p class="lead">
                "Checks a domain's MTA-STS record, policy file, MX coverage and TLS reporting against RFC 8461 and RFC 8460, "
                "and says how to fix what is wrong."
            </p>
            <form class="check-form" on:submit=move |ev| on_submit.run(ev) novalidate>
                <label for="domain">"Domain to check"</label>
                <div class="row">
                    <input
                        id="domain"
                        name="domain"
                        type="text"
                        inputmode="url"
                        autocomplete="off"
                        autocapitalize="off"
                        spellcheck="false"
                        placeholder="example.com"
                        aria-describedby="domain-help domain-error"
                        aria-invalid=move || input_error.with(Option::is_some).to_string()
                        prop:value=move || input.get()
                        on:input=move |ev| input.set(event_target_value(&ev))
                    />
                    <button type="submit" class="btn btn-primary">"Check"</button>
                </div>
                <p id="domain-help" class="help">"A domain, a URL or an e-mail address; international names work too."</p>
                <p id="domain-error" class="field-error">{move || input_error.get()}</p>
            </form>
        </section>
    }
}

/// What the checker looks at, shown before a check.
#[component]
pub(crate) fn Intro() -> impl IntoView {
    view! {
        <section class="intro" aria-label="What this checks">
            <ul class="checks">
                <li><strong>"The "<code>"_mta-sts"</code>" TXT record"</strong>" — present once, valid, with an id."</li>
                <li><strong>"The policy file"</strong>" — served over HTTPS with a valid certificate, no redirects, CRLF, correct fields."</li>
                <li><strong>"MX coverage"</strong>" — every MX host matched by a policy pattern, and no stale patterns."</li>
                <li><strong>"Mode and max_age"</strong>" — what senders will do, and for how long they cache it."</li>
                <li><strong>"TLS-RPT"</strong>" — the "<code>"_smtp._tls"</code>" record, so you hear about failures."</li>
            </ul>
        </section>
    }
}
