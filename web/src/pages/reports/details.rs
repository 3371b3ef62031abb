//! The details at the end of the results: files that held no report, notes on deviations from
//! RFC 8460, reports received twice.

use leptos::prelude::*;

use super::tables::{capped_list, list, section, MAX_ROWS};
use super::Shown;

/// Files that held no report, notes on deviations, reports received twice.
pub(super) fn details(shown: &Shown) -> AnyView {
    let unread = (!shown.unread.is_empty()).then(|| {
        section(
            format!("Could not read ({})", shown.unread.len()),
            list(capped_list(
                shown
                    .unread
                    .iter()
                    .map(|u| format!("{}: {}", u.origin, u.message)),
                shown.unread.len(),
            )),
        )
    });
    let notes = (!shown.notes.is_empty()).then(|| {
        section(
            "How the reports deviate from RFC 8460".into(),
            view! {
                <p class="help">"Read anyway, as noted; a count that could not be read is left out, never taken as zero."</p>
                {(shown.notes.len() > MAX_ROWS).then(|| view! { <p>{format!("The first {MAX_ROWS} of {} reports with notes:", shown.notes.len())}</p> })}
                {shown.notes.iter().take(MAX_ROWS).map(|(file, notes)| view! { <h3><code>{file.clone()}</code></h3>{list(notes.clone())} }).collect_view()}
            }
            .into_any(),
        )
    });
    let duplicates = (!shown.duplicates.is_empty()).then(|| {
        section(
            "Received twice (counted once)".into(),
            list(capped_list(
                shown
                    .duplicates
                    .iter()
                    .map(|(file, same)| format!("{file} is the same report as {same}")),
                shown.duplicates.len(),
            )),
        )
    });
    view! { <div id="reports-details">{unread}{notes}{duplicates}</div> }.into_any()
}
