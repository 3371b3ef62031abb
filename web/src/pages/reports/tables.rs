//! The pieces every part of the results is made of: one table shape, titled sections, lists, and
//! the cap on the rows shown.

use leptos::prelude::*;

/// A table from text: the shape every table of the results has (shared with monitoring).
pub(super) use crate::components::table;

/// A titled section, shown only when it has rows.
pub(super) fn section(title: String, body: AnyView) -> AnyView {
    view! { <section><h2>{title}</h2>{body}</section> }.into_any()
}

/// A list from text.
pub(super) fn list(items: Vec<String>) -> AnyView {
    view! { <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
}

/// Table rows shown per breakdown (the exports have them all): thousands of rows would make the
/// page slow to render and no easier to read.
pub(super) const MAX_ROWS: usize = 50;

/// The first [`MAX_ROWS`] of `total` rows, and a last one saying how many more the exports hold.
pub(super) fn capped(
    rows: impl Iterator<Item = Vec<String>>,
    total: usize,
    width: usize,
) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = rows.take(MAX_ROWS).collect();
    if total > MAX_ROWS {
        let mut last = vec![more(total - MAX_ROWS)];
        last.resize(width, String::new());
        rows.push(last);
    }
    rows
}

/// The first [`MAX_ROWS`] of `total` list items, and one saying how many more.
pub(super) fn capped_list(items: impl Iterator<Item = String>, total: usize) -> Vec<String> {
    let mut items: Vec<String> = items.take(MAX_ROWS).collect();
    if total > MAX_ROWS {
        items.push(format!(
            "and {} more (all in the JSON export)",
            total - MAX_ROWS
        ));
    }
    items
}

/// The last row of a capped table: how many more rows the exports hold.
pub(super) fn more(n: usize) -> String {
    format!("and {n} more (all in the CSV and JSON exports)")
}

/// The text, or `(not given)`.
pub(super) fn or_not_given(s: Option<&String>) -> String {
    s.cloned().unwrap_or_else(|| "(not given)".into())
}

/// The result types of a breakdown row, comma-separated.
pub(super) fn types(m: &std::collections::BTreeMap<String, u64>) -> String {
    m.keys().cloned().collect::<Vec<_>>().join(", ")
}
