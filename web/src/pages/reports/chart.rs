//! The chart of sessions by day, with the same numbers as a table (`components::daily_chart`,
//! which monitoring draws too).

use leptos::prelude::*;

use crate::components::daily_chart;

/// Daily successful and failed sessions, under their heading; nothing without days.
#[component]
pub(super) fn Chart(days: Vec<mtasts::reports::Day>) -> impl IntoView {
    (!days.is_empty()).then(|| {
        view! {
            <section aria-labelledby="chart-title">
                <h2 id="chart-title">"Sessions by day"</h2>
                {daily_chart(&days, "daily-table")}
            </section>
        }
    })
}
