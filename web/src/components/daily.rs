//! Sessions by day as the report viewer draws them — two bar rows with their own scales and the
//! same numbers as a table — and the one table shape its results are made of. Shared by the
//! viewer (`/reports`, from the files read) and monitoring (`/monitor`, from the stored reports).

use leptos::prelude::*;
use mtasts::reports::Day;

/// A table from text: one view shape for every table of the page (each distinct `view!` shape
/// is code in the wasm).
pub(crate) fn table(
    id: Option<&'static str>,
    head: &[&'static str],
    rows: Vec<Vec<String>>,
) -> AnyView {
    view! {
        <div class="table-wrap"><table id=id>
            <thead><tr>{head.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
            <tbody>{rows.into_iter().map(|r| view! {
                <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

/// A non-negative coordinate with one decimal, without floating-point formatting (which would add
/// to the wasm).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn dec1(v: f64) -> String {
    let t = (v.max(0.0) * 10.0).round() as u64;
    format!("{}.{}", t / 10, t % 10)
}

/// Daily successful and failed sessions (`days` oldest first): two bar rows with their own
/// scales (failures are usually a tiny share and would vanish on one scale), and the same
/// numbers as a table (its id `table_id`). The caller gives the heading.
pub(crate) fn daily_chart(days: &[Day], table_id: &'static str) -> AnyView {
    const W: f64 = 720.0;
    const ROW: f64 = 90.0;
    let n = days.len().max(1) as f64;
    let step = W / n;
    let bar = (step * 0.8).max(1.0);
    let max_ok = days.iter().map(|d| d.successful).max().unwrap_or(0).max(1) as f64;
    let max_failed = days.iter().map(|d| d.failed).max().unwrap_or(0).max(1) as f64;
    let first = days.first().map(|d| d.date.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.date.clone()).unwrap_or_default();
    let total_failed: u64 = days.iter().map(|d| d.failed).sum();
    let desc = format!(
        "{} days from {first} to {last}; at most {} successful sessions a day; {total_failed} failed sessions in all, at most {} a day.",
        days.len(), max_ok as u64, if total_failed == 0 { 0 } else { max_failed as u64 }
    );
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = i as f64 * step + (step - bar) / 2.0;
            let h_ok = d.successful as f64 / max_ok * ROW;
            let h_fail = d.failed as f64 / max_failed * ROW;
            view! {
                <rect class="bar-ok" x=dec1(x) y=dec1(ROW - h_ok) width=dec1(bar) height=dec1(h_ok)>
                    <title>{format!("{}: {} successful", d.date, d.successful)}</title>
                </rect>
                <rect class="bar-failed" x=dec1(x) y=dec1(ROW + 30.0) width=dec1(bar) height=dec1(h_fail)>
                    <title>{format!("{}: {} failed", d.date, d.failed)}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 -14 {} {}", dec1(W), dec1(2.0 * ROW + 50.0)) role="img" aria-labelledby="chart-svg-title chart-svg-desc">
            <title id="chart-svg-title">"Successful and failed sessions by day"</title>
            <desc id="chart-svg-desc">{desc}</desc>
            <text class="chart-label" x="0" y="-2">{format!("successful (up to {})", max_ok as u64)}</text>
            <text class="chart-label" x="0" y=dec1(ROW + 26.0)>{format!("failed (up to {})", if total_failed == 0 { 0 } else { max_failed as u64 })}</text>
            {bars}
            <text class="chart-label" x="0" y=dec1(2.0 * ROW + 46.0)>{first}</text>
            <text class="chart-label" x=dec1(W) y=dec1(2.0 * ROW + 46.0) text-anchor="end">{last}</text>
        </svg>
        <details>
            <summary>"The same as a table"</summary>
            {table(Some(table_id), &["Day (UTC)", "Successful", "Failed"],
                days.iter().map(|d| vec![d.date.clone(), d.successful.to_string(), d.failed.to_string()]).collect())}
        </details>
    }
    .into_any()
}
