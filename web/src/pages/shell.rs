//! The checker's first load (`/` with nothing to show yet): the same heading, form, intro and
//! Evidence-file drop zone as the checker, without the report view and the judge. A domain that
//! passes the form's checks, or a file picked or dropped, loads the checker's own build by a page
//! load (`/?domain=…`, or `/?open` with the file handed over in session storage); the shell
//! prefetches that build once it is on screen (dist/index.html's loader). Bad input is refused
//! here, with no request, as the checker does.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::check::{accept, permalink};
use crate::components::EvidenceOpener;
use crate::dom;
use crate::pages::hero::{Hero, Intro};

/// The shell of the checker page.
#[component]
pub(crate) fn ShellPage() -> impl IntoView {
    dom::set_title("MTA-STS and TLS-RPT checker");
    let input = RwSignal::new(String::new());
    let input_error = RwSignal::new(None::<String>);
    let on_submit = Callback::new(move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(d) = accept(&input.get_untracked(), input_error, "domain") {
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&permalink(&d));
            }
        }
    });
    let on_file = Callback::new(crate::components::hand_over);
    view! {
        <Hero input input_error on_submit/>
        <Intro/>
        <EvidenceOpener on_file/>
    }
}
