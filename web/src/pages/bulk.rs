//! The agency audit (`/bulk`): up to 50 domains, one a line, checked a few at a time (inside the
//! API's rate limit), each judged by the Worker with the same crate as the checker page
//! (`/api/report`, read field by field: this page links no judge); a sortable table with a link
//! to each full report, CSV and JSON export, and a permalink of the list.

use leptos::prelude::*;
use mtasts::observe::evidence::LookupStatus;
use mtasts::{Priority, Severity, Verdict};
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::api::ApiError;
use crate::dom;
use crate::judged::{self, field, items, named, present, text};

/// The most domains one audit checks.
const MAX_DOMAINS: usize = 50;
/// Checks in flight at once: 50 domains stay well inside the API's 60 a minute.
const AT_ONCE: usize = 4;

/// One row of the table (and of the exports).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Row {
    /// As typed.
    input: String,
    /// Normalised (empty when the input is not a domain).
    domain: String,
    verdict: Option<Verdict>,
    mode: Option<String>,
    /// The most important finding: code and message.
    top_code: Option<String>,
    top_message: Option<String>,
    /// `2 of 2 covered`.
    mx_coverage: String,
    /// `present`, `absent` or `could not check`.
    tlsrpt: String,
    /// Why the domain could not be checked at all.
    error: Option<String>,
}

/// The row of a domain the Worker judged: `answer` is `/api/report`'s `{evidence, report}` as the
/// browser parsed it (`crate::judged`), read field by field.
fn judged_row(r: &mut Row, answer: &JsValue) -> Option<()> {
    let rep = field(answer, "report");
    r.verdict = Some(named(&rep, "verdict")?);
    let policy = field(&rep, "policy");
    r.mode = text(&policy, "mode");
    // The most important finding: by priority, then severity, the report's order otherwise
    // (`Report::by_priority`); `min_by_key` keeps the first of equals.
    let top = items(&rep, "findings").into_iter().min_by_key(|f| {
        (
            named::<Priority>(f, "priority"),
            named::<Severity>(f, "severity"),
        )
    });
    if let Some(f) = top {
        r.top_code = text(&f, "code");
        r.top_message = text(&f, "message");
    }
    let hosts = items(&rep, "mx_hosts");
    let covered = hosts.iter().filter(|m| present(m, "covered_by")).count();
    r.mx_coverage = if policy.is_null_or_undefined() {
        format!("{} MX, no policy", hosts.len())
    } else {
        format!("{covered} of {} covered", hosts.len())
    };
    // A lookup that failed is "could not check", never "absent".
    let tlsrpt = judged::lookup(&field(&field(answer, "evidence"), "tlsrpt_txt"))?;
    r.tlsrpt = match tlsrpt.status() {
        LookupStatus::Failed(..) => "could not check".into(),
        _ if present(&rep, "tlsrpt") => "present".into(),
        _ => "absent".into(),
    };
    Some(())
}

fn row(input: &str, checked: Result<JsValue, String>, domain: &str) -> Row {
    let blank = Row {
        input: input.to_owned(),
        domain: domain.to_owned(),
        verdict: None,
        mode: None,
        top_code: None,
        top_message: None,
        mx_coverage: String::new(),
        tlsrpt: String::new(),
        error: None,
    };
    let mut r = blank.clone();
    let read = checked.and_then(|answer| {
        judged_row(&mut r, &answer)
            .ok_or_else(|| ApiError::Decode("the answer is not a report".into()).to_string())
    });
    match read {
        Ok(()) => r,
        Err(e) => Row {
            error: Some(e),
            ..blank
        },
    }
}

/// Sort keys: the worst verdict first.
fn verdict_rank(v: Option<Verdict>) -> u8 {
    match v {
        Some(Verdict::Fail) => 0,
        Some(Verdict::Warn) => 1,
        Some(Verdict::Inconclusive) => 2,
        None => 3,
        Some(Verdict::Pass) => 4,
        Some(Verdict::NotApplicable) => 5,
    }
}

const COLUMNS: [&str; 6] = [
    "Domain",
    "Verdict",
    "Mode",
    "Top finding",
    "MX coverage",
    "TLS-RPT",
];

fn key(r: &Row, col: usize) -> String {
    match col {
        1 => format!("{}{}", verdict_rank(r.verdict), r.domain),
        2 => r.mode.clone().unwrap_or_else(|| "~".into()),
        3 => r.top_code.clone().unwrap_or_else(|| "~".into()),
        4 => r.mx_coverage.clone(),
        5 => r.tlsrpt.clone(),
        _ => {
            if r.domain.is_empty() {
                r.input.clone()
            } else {
                r.domain.clone()
            }
        }
    }
}

fn csv(rows: &[Row]) -> String {
    let mut out =
        String::from("domain,verdict,mode,top_finding,top_message,mx_coverage,tlsrpt,error\r\n");
    for r in rows {
        let fields = [
            if r.domain.is_empty() {
                r.input.clone()
            } else {
                r.domain.clone()
            },
            r.verdict.map(|v| v.as_str().to_owned()).unwrap_or_default(),
            r.mode.clone().unwrap_or_default(),
            r.top_code.clone().unwrap_or_default(),
            r.top_message.clone().unwrap_or_default(),
            r.mx_coverage.clone(),
            r.tlsrpt.clone(),
            r.error.clone().unwrap_or_default(),
        ];
        mtasts::reports::csv_row(&mut out, &fields);
    }
    out
}

/// The audit's state: the list as typed, the rows checked so far, how many in all, whether it
/// runs, and the note on a list cut short. Signals (and the router), so the struct is `Copy`.
#[derive(Clone, Copy)]
struct Audit {
    /// Where the permalink of the list goes.
    router: crate::router::Router,
    /// The domains box.
    list: RwSignal<String>,
    /// The rows checked so far, in the order they finished.
    rows: RwSignal<Vec<Row>>,
    /// How many domains this run checks.
    total: RwSignal<usize>,
    /// A run is under way.
    running: RwSignal<bool>,
    /// Said when the list is longer than [`MAX_DOMAINS`].
    note: RwSignal<Option<String>>,
}

impl Audit {
    /// The list from the permalink (`?domains=`), if any; nothing checked yet.
    fn new(router: crate::router::Router) -> Self {
        Audit {
            router,
            list: RwSignal::new(
                router
                    .query("domains")
                    .map(|d| d.split(',').map(str::trim).collect::<Vec<_>>().join("\n"))
                    .unwrap_or_default(),
            ),
            rows: RwSignal::new(vec![]),
            total: RwSignal::new(0usize),
            running: RwSignal::new(false),
            note: RwSignal::new(None::<String>),
        }
    }

    /// Checks the list (its first [`MAX_DOMAINS`] distinct lines), [`AT_ONCE`] at a time, and
    /// keeps it in the page's link.
    fn run(self) {
        let Audit {
            router,
            list,
            rows,
            total,
            running,
            note,
        } = self;
        let inputs: Vec<String> = list
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        let mut unique: Vec<String> = vec![];
        for i in inputs {
            if !unique.contains(&i) {
                unique.push(i);
            }
        }
        note.set((unique.len() > MAX_DOMAINS).then(|| {
            format!(
                "{} domains given: the first {MAX_DOMAINS} are checked.",
                unique.len()
            )
        }));
        unique.truncate(MAX_DOMAINS);
        if unique.is_empty() || running.get_untracked() {
            return;
        }
        let joined = unique.join(",");
        router.navigate(&format!(
            "/bulk?domains={}",
            String::from(js_sys::encode_uri_component(&joined))
        ));
        rows.set(vec![]);
        total.set(unique.len());
        running.set(true);
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("mtasts-bulk-start");
        }
        leptos::task::spawn_local(async move {
            use futures::StreamExt as _;
            let mut done = futures::stream::iter(unique.into_iter().map(|input| async move {
                match crate::api::normalize(&input) {
                    Err(e) => row(&input, Err(e.to_string()), ""),
                    Ok(d) => {
                        let c = judged::report(&d).await.map_err(|e| e.to_string());
                        row(&input, c, &d)
                    }
                }
            }))
            .buffer_unordered(AT_ONCE);
            while let Some(r) = done.next().await {
                rows.update(|rs| rs.push(r));
            }
            running.set(false);
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.measure_with_start_mark("mtasts-bulk", "mtasts-bulk-start");
            }
        });
    }
}

/// The audit page.
#[component]
pub(crate) fn BulkPage() -> impl IntoView {
    dom::set_title("Check many domains");
    let audit = Audit::new(crate::router::use_router());
    // A permalink runs its list at once.
    if !audit.list.get_untracked().is_empty() {
        audit.run();
    }
    view! {
        {form(audit)}
        {progress(audit.rows, audit.total)}
        {results(audit.rows)}
    }
}

/// The title, the list of domains and the button that runs the `audit`, and the note on a long
/// list.
fn form(audit: Audit) -> impl IntoView {
    let Audit {
        list,
        running,
        note,
        ..
    } = audit;
    view! {
        <section class="hero">
            <h1>"Check many domains"</h1>
            <p class="lead">"For agencies and audits: up to " {MAX_DOMAINS} " domains, one a line, in any form the checker accepts (URLs and e-mail addresses too). Each row links to its full report."</p>
            <form class="bulk-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); audit.run(); } novalidate>
                <label for="bulk-list">"Domains"</label>
                <textarea id="bulk-list" rows="8" spellcheck="false" aria-describedby="bulk-help"
                    prop:value=move || list.get() on:input=move |ev| list.set(event_target_value(&ev))></textarea>
                <p id="bulk-help" class="help">"One a line; lines starting with # are skipped. The link of this page keeps the list."</p>
                <button type="submit" class="btn btn-primary" disabled=move || running.get()>"Check all"</button>
            </form>
            <p class="note" role="status">{move || note.get()}</p>
        </section>
    }
}

/// The progress line: how many of the `total` domains are checked (`data-done` once all are).
fn progress(rows: RwSignal<Vec<Row>>, total: RwSignal<usize>) -> impl IntoView {
    view! {
        <div aria-live="polite" class="progress-slot">
            {move || (total.get() > 0).then(|| {
                let (n, t) = (rows.with(Vec::len), total.get());
                view! {
                    <div class="checking" id="bulk-progress" data-done=(n == t).to_string()>
                        <progress max=t.to_string() value=n.to_string()></progress>
                        <span>{format!("Checked {n} of {t}")}</span>
                    </div>
                }
            })}
        </div>
    }
}

/// Once a row is in: the export buttons and the sortable table of the `rows` (worst verdict
/// first).
fn results(rows: RwSignal<Vec<Row>>) -> impl IntoView {
    let sort = RwSignal::new((1usize, true));
    let sorted = Memo::new(move |_| {
        let (col, asc) = sort.get();
        let mut rs = rows.get();
        rs.sort_by(|a, b| {
            let o = key(a, col).cmp(&key(b, col));
            if asc {
                o
            } else {
                o.reverse()
            }
        });
        rs
    });
    // A closure block in `view!`, not a closure returned bare: with `erase_components` the macro
    // shares one render instantiation among the closures of an output type.
    view! {
        {move || (!rows.with(Vec::is_empty)).then(|| view! {
            {export_bar(rows)}
            {table(sorted, sort)}
        })}
    }
}

/// CSV and JSON of all `rows`.
fn export_bar(rows: RwSignal<Vec<Row>>) -> impl IntoView {
    let export_csv =
        move |_| rows.with_untracked(|r| dom::download("mtasts-audit.csv", &csv(r), "text/csv"));
    let export_json = move |_| {
        rows.with_untracked(|r| {
            dom::download("mtasts-audit.json", &dom::to_json(r), "application/json")
        })
    };
    view! {
        <p class="actions">
            <button type="button" class="btn" on:click=export_csv>"Export CSV"</button>
            " "
            <button type="button" class="btn" on:click=export_json>"Export JSON"</button>
        </p>
    }
}

/// The results table, the `sorted` rows; its column buttons set `sort` (column, ascending).
fn table(sorted: Memo<Vec<Row>>, sort: RwSignal<(usize, bool)>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table id="bulk-table">
                <caption class="sr-only">"Results; the column buttons sort the table"</caption>
                <thead><tr>{(0..COLUMNS.len()).map(|i| header(i, sort)).collect_view()}</tr></thead>
                <tbody>{move || sorted.get().into_iter().map(table_row).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// Column `i`'s header: a button that sorts by it (again: the other way), and its `aria-sort`.
fn header(i: usize, sort: RwSignal<(usize, bool)>) -> impl IntoView {
    let label = COLUMNS[i];
    let aria = move || match sort.get() {
        (c, true) if c == i => "ascending",
        (c, false) if c == i => "descending",
        _ => "none",
    };
    view! {
        <th scope="col" aria-sort=aria>
            <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = (i, if s.0 == i { !s.1 } else { true }))>
                {label}
            </button>
        </th>
    }
}

/// One domain's row: its link to the full report, verdict, mode, top finding, coverage, TLS-RPT.
fn table_row(r: Row) -> impl IntoView {
    let verdict = r
        .verdict
        .map_or_else(|| "not checked".to_owned(), |v| v.label().to_owned());
    let vclass = format!(
        "verdict-cell verdict-{}",
        r.verdict.map_or("na", |v| match v {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NotApplicable => "na",
        })
    );
    let name = if r.domain.is_empty() {
        r.input.clone()
    } else {
        r.domain.clone()
    };
    let link = (!r.domain.is_empty()).then(|| format!("/?domain={}", r.domain));
    let top = match (&r.top_code, &r.error) {
        (_, Some(e)) => view! { <span>{e.clone()}</span> }.into_any(),
        (Some(code), _) => view! { <span><code>{code.clone()}</code>" "{r.top_message.clone().unwrap_or_default()}</span> }.into_any(),
        _ => view! { <span class="muted">"none"</span> }.into_any(),
    };
    let cell = match link {
        Some(href) => view! { <a href=href>{name.clone()}</a> }.into_any(),
        None => view! { <span>{name.clone()}</span> }.into_any(),
    };
    view! {
        <tr data-domain=name data-verdict=r.verdict.map(|v| v.as_str())>
            <td>{cell}</td>
            <td><span class=vclass>{verdict}</span></td>
            <td>{r.mode.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{top}</td>
            <td>{r.mx_coverage.clone()}</td>
            <td>{r.tlsrpt.clone()}</td>
        </tr>
    }
}
