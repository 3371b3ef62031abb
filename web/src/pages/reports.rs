//! The TLS report viewer (`/reports`): TLS-RPT aggregate reports (`.json`, `.json.gz`, `.eml`,
//! `.mbox`) dropped or picked, read in this browser by the same crate as `mtasts reports`, and
//! explained. Gzip goes through the browser's own `DecompressionStream` (no inflate code in the
//! wasm), stopped at the crate's limit. Nothing is uploaded: the page makes no request.
//!
//! Files are read one after another, yielding to the browser every few milliseconds, so a
//! hundred files or 20 MB keep the page responsive and the progress visible.

use std::sync::Arc;

use leptos::prelude::*;
use mtasts::reports::{self, Collection, Summary, Unread, MAX_FILE_BYTES, MAX_JSON_BYTES};
use mtasts::Priority;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::dom;

/// What the page shows once files are read.
struct Shown {
    summary: Summary,
    notes: Vec<(String, Vec<String>)>,
    duplicates: Vec<(String, String)>,
    unread: Vec<Unread>,
    files: usize,
    millis: u64,
}

/// Reading progress: files done, files in all.
type Progress = Option<(usize, usize)>;

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the browser paint and handle input (a macrotask, not a microtask).
async fn breathe() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

// `DecompressionStream` is behind `web_sys_unstable_apis`; these few bindings avoid a global cfg.
#[wasm_bindgen]
extern "C" {
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> web_sys::WritableStream;
}

/// Gzip inflated by the browser, stopped past [`MAX_JSON_BYTES`] (a gzip bomb).
async fn inflate(origin: &str, gz: &[u8]) -> Result<Vec<u8>, String> {
    let fail = |_: JsValue| "the gzip cannot be decompressed (corrupt or truncated)".to_owned();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(gz));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(fail)?;
    let ds = DecompressionStream::new("gzip").map_err(fail)?;
    let pair = web_sys::ReadableWritablePair::new(&ds.readable(), &ds.writable());
    let reader: web_sys::ReadableStreamDefaultReader = blob
        .stream()
        .pipe_through(&pair)
        .get_reader()
        .unchecked_into();
    let mut out = vec![];
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(fail)?;
        if js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            return Ok(out);
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(fail)?
            .unchecked_into();
        if out.len() + value.length() as usize > MAX_JSON_BYTES {
            let _ = reader.cancel();
            return Err(reports::too_large(origin).message);
        }
        let at = out.len();
        out.resize(at + value.length() as usize, 0);
        value.copy_to(&mut out[at..]);
    }
}

/// One file's payloads, read and inflated (the waiting part: several files at once overlap it).
type Loaded = Vec<Result<(reports::Payload, Vec<u8>), Unread>>;

/// Reads one file and inflates its gzip payloads.
async fn load(file: web_sys::File) -> Loaded {
    let name = file.name();
    let unread = |origin: String, message: String| vec![Err(Unread { origin, message })];
    if file.size() > MAX_FILE_BYTES as f64 {
        return unread(
            name,
            format!("larger than {} MB: not read", MAX_FILE_BYTES >> 20),
        );
    }
    let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
        return unread(name, "the browser could not read this file".into());
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let mut out = vec![];
    for payload in reports::extract(&name, &bytes) {
        out.push(match payload {
            Err(u) => Err(u),
            Ok(p) => {
                let json = match p.kind {
                    reports::Kind::Json => Ok(p.bytes.clone()),
                    reports::Kind::Gzip => inflate(&p.origin, &p.bytes).await,
                };
                json.map(|j| (p.clone(), j)).map_err(|message| Unread {
                    origin: p.origin.clone(),
                    message,
                })
            }
        });
    }
    out
}

/// Parses what [`load`] read into `all`.
fn add(loaded: Loaded, all: &mut Collection) {
    for item in loaded {
        match item.and_then(|(p, json)| reports::parse(&p, &json)) {
            Ok(found) => found.into_iter().for_each(|r| all.add(r)),
            Err(u) => all.add_unread(u),
        }
    }
}

/// Files read at once.
const AT_ONCE: usize = 32;

fn shown(all: &Collection, files: usize, millis: u64) -> Shown {
    let doc = all.document();
    Shown {
        notes: doc
            .reports
            .iter()
            .filter(|r| !r.notes.is_empty())
            .map(|r| (r.file.clone(), r.notes.clone()))
            .collect(),
        duplicates: doc
            .duplicates
            .iter()
            .map(|d| (d.file.clone(), d.same_as.clone()))
            .collect(),
        unread: doc.unread.to_vec(),
        summary: doc.summary,
        files,
        millis,
    }
}

#[component]
pub(crate) fn ReportsPage() -> impl IntoView {
    dom::set_title("TLS report viewer");
    let all = StoredValue::new(Collection::new());
    let files_read = StoredValue::new(0usize);
    let progress: RwSignal<Progress> = RwSignal::new(None);
    let result: RwSignal<Option<Arc<Shown>>> = RwSignal::new(None);
    let over = RwSignal::new(false);

    let take = move |list: Option<web_sys::FileList>| {
        let Some(list) = list else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        if files.is_empty() || progress.get_untracked().is_some() {
            return;
        }
        leptos::task::spawn_local(async move {
            let total = files.len();
            let start = now();
            let _ = web_sys::window()
                .and_then(|w| w.performance())
                .map(|p| p.mark("mtasts-reports-start"));
            progress.set(Some((0, total)));
            let mut collection = all.try_update_value(std::mem::take).unwrap_or_default();
            let mut last = now();
            let mut done = 0;
            for batch in files.chunks(AT_ONCE) {
                let loaded = futures::future::join_all(batch.iter().cloned().map(load)).await;
                for l in loaded {
                    add(l, &mut collection);
                    done += 1;
                    if now() - last > 12.0 {
                        progress.set(Some((done, total)));
                        breathe().await;
                        last = now();
                    }
                }
            }
            if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                let _ = p.measure_with_start_mark("mtasts-reports-read", "mtasts-reports-start");
            }
            let files = files_read.get_value() + total;
            files_read.set_value(files);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let view = shown(&collection, files, (now() - start).max(0.0) as u64);
            all.set_value(collection);
            result.set(Some(Arc::new(view)));
            progress.set(None);
            // Measured once the summary is rendered (the next animation frame).
            if let Some(w) = web_sys::window() {
                let measure = wasm_bindgen::closure::Closure::once_into_js(|| {
                    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                        let _ = p.measure_with_start_mark("mtasts-reports", "mtasts-reports-start");
                    }
                });
                let _ = w.request_animation_frame(measure.unchecked_ref());
            }
        });
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        take(input.as_ref().and_then(web_sys::HtmlInputElement::files));
        // The same files may be picked again after "Start over".
        if let Some(i) = input {
            i.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        take(ev.data_transfer().and_then(|d| d.files()));
    };
    let clear = move |_| {
        all.set_value(Collection::new());
        files_read.set_value(0);
        result.set(None);
    };
    let export_json = move |_| {
        all.with_value(|c| {
            dom::download(
                "tls-reports.json",
                &dom::to_json(&c.document()),
                "application/json",
            )
        });
    };
    let export_csv = move |_| {
        all.with_value(|c| {
            dom::download("tls-reports.csv", &reports::csv(c.reports()), "text/csv")
        });
    };

    view! {
        <section class="hero">
            <h1>"TLS report viewer"</h1>
            <p class="lede">
                "Read the TLS-RPT reports (RFC 8460) that senders mail you while your policy is in "
                <code>"testing"</code> ": which MX hosts fail, for which senders, and why — and what to fix before "
                <code>"enforce"</code> "."
            </p>
        </section>
        <section class="dropzone" class:over=move || over.get() aria-labelledby="reports-drop-title"
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop>
            <h2 id="reports-drop-title">"Open reports"</h2>
            <p class="help" id="reports-help">
                "Pick or drop any number of files: " <code>".json"</code> ", " <code>".json.gz"</code>
                ", a saved mail (" <code>".eml"</code> ") or a whole mailbox (" <code>".mbox"</code>
                "). They are read in this browser and never uploaded: this page sends no request."
            </p>
            <label for="reports-files">"Report files"</label>
            <input id="reports-files" type="file" multiple
                accept=".json,.gz,.eml,.mbox,application/json,application/gzip,message/rfc822,application/tlsrpt+gzip,application/tlsrpt+json"
                aria-describedby="reports-help" on:change=on_change/>
            " "
            <button type="button" class="btn" on:click=clear disabled=move || result.with(Option::is_none)>"Start over"</button>
        </section>
        <div class="progress-slot" aria-live="polite">
            {move || progress.get().map(|(done, total)| view! {
                <div class="checking" id="reports-progress">
                    <progress max=total.to_string() value=done.to_string()></progress>
                    <span>{format!("Reading {done} of {total} files…")}</span>
                </div>
            })}
        </div>
        {move || result.get().map(|shown| view! {
            <p class="actions">
                <button type="button" class="btn" on:click=export_csv>"Export CSV"</button>
                " "
                <button type="button" class="btn" on:click=export_json>"Export JSON"</button>
            </p>
            <Results shown/>
        })}
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn prio_class(p: Priority) -> &'static str {
    match p {
        Priority::High => "badge badge-error",
        Priority::Medium => "badge badge-warning",
        Priority::Low => "badge badge-info",
    }
}

/// A table from text: one view shape for every table of the page (each distinct `view!` shape
/// is code in the wasm).
fn table(id: Option<&'static str>, head: &[&'static str], rows: Vec<Vec<String>>) -> AnyView {
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

/// A titled section, shown only when it has rows.
fn section(title: String, body: AnyView) -> AnyView {
    view! { <section><h2>{title}</h2>{body}</section> }.into_any()
}

fn list(items: Vec<String>) -> AnyView {
    view! { <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
}

/// Table rows shown per breakdown (the exports have them all): thousands of rows would make the
/// page slow to render and no easier to read.
const MAX_ROWS: usize = 50;

/// The first [`MAX_ROWS`] of `total` rows, and a last one saying how many more the exports hold.
fn capped(rows: impl Iterator<Item = Vec<String>>, total: usize, width: usize) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = rows.take(MAX_ROWS).collect();
    if total > MAX_ROWS {
        let mut last = vec![more(total - MAX_ROWS)];
        last.resize(width, String::new());
        rows.push(last);
    }
    rows
}

/// The first [`MAX_ROWS`] of `total` list items, and one saying how many more.
fn capped_list(items: impl Iterator<Item = String>, total: usize) -> Vec<String> {
    let mut items: Vec<String> = items.take(MAX_ROWS).collect();
    if total > MAX_ROWS {
        items.push(format!(
            "and {} more (all in the JSON export)",
            total - MAX_ROWS
        ));
    }
    items
}

fn more(n: usize) -> String {
    format!("and {n} more (all in the CSV and JSON exports)")
}

fn or_not_given(s: Option<&String>) -> String {
    s.cloned().unwrap_or_else(|| "(not given)".into())
}

fn types(m: &std::collections::BTreeMap<String, u64>) -> String {
    m.keys().cloned().collect::<Vec<_>>().join(", ")
}

#[component]
fn Results(shown: Arc<Shown>) -> impl IntoView {
    let s = &shown.summary;
    let high = s.advice.iter().any(|a| a.priority == Priority::High);
    let tone = if s.reports == 0 {
        "verdict verdict-na"
    } else if high {
        "verdict verdict-fail"
    } else if s.totals.failed > 0 {
        "verdict verdict-warn"
    } else {
        "verdict verdict-pass"
    };
    let all = s.totals.successful.saturating_add(s.totals.failed);
    let span = s
        .span()
        .map_or_else(|| "unknown dates".into(), |(a, b)| format!("{a} to {b}"));
    let facts = format!(
        "{} from {} · {span} · {} ({} failed) · {} read in {} ms",
        plural(s.reports as u64, "report", "reports"),
        plural(s.reporters.len() as u64, "sender", "senders"),
        plural(all, "session", "sessions"),
        s.totals.failed,
        plural(shown.files as u64, "file", "files"),
        shown.millis
    );
    let advice_more = s.advice.len().saturating_sub(MAX_ROWS);
    let advice = s.advice.iter().take(MAX_ROWS).map(|a| {
        let info = reports::result_type(&a.result_type);
        view! {
            <li class="finding">
                <div class="finding-head">
                    <span class=prio_class(a.priority)>{a.priority.as_str()}</span>
                    <code>{a.result_type.clone()}</code>
                    <span class="finding-title">{info.map_or("A result type RFC 8460 does not define", |i| i.title)}</span>
                </div>
                <p class="finding-message">{a.text.clone()}</p>
                {info.map(|i| view! {
                    <details>
                        <summary>"What this result type means"</summary>
                        <p><strong>"What: "</strong>{i.what}</p>
                        <p><strong>"Why it matters: "</strong>{i.why}</p>
                        <p><strong>"Fix: "</strong>{i.fix}</p>
                    </details>
                })}
            </li>
        }
        .into_any()
    }).collect_view();
    let reporters = table(
        Some("reporters-table"),
        &["Organisation", "Reports", "Successful", "Failed"],
        capped(
            s.reporters.iter().map(|r| {
                vec![
                    or_not_given(r.organization.as_ref()),
                    r.reports.to_string(),
                    r.successful.to_string(),
                    r.failed.to_string(),
                ]
            }),
            s.reporters.len(),
            4,
        ),
    );
    view! {
        <section class="report reports-result" aria-labelledby="reports-summary-title">
            <div class=tone role="status">
                <div class="verdict-body">
                    <h2 class="verdict-title" id="reports-summary-title">"What the reports say"</h2>
                    <p id="reports-headline">{s.headline.clone()}</p>
                    <p class="help">{facts}</p>
                </div>
            </div>
            {(!s.advice.is_empty()).then(|| section("What to do".into(), view! { <ul class="findings">{advice}</ul>{(advice_more > 0).then(|| view! { <p>{more(advice_more)}</p> })} }.into_any()))}
            <Chart days=s.daily.clone()/>
            {s.domains.iter().map(domain_view).collect_view()}
            {(!s.reporters.is_empty()).then(|| section("Senders".into(), reporters))}
            {details(&shown)}
        </section>
    }
}

fn domain_view(d: &mtasts::reports::DomainSummary) -> AnyView {
    let name = d
        .policy_domain
        .clone()
        .unwrap_or_else(|| "(domain not given)".into());
    let title = format!(
        "{name} — {}{}",
        d.policy_type,
        d.mode
            .as_deref()
            .map(|m| format!(", mode {m}"))
            .unwrap_or_default()
    );
    let all = d.totals.successful.saturating_add(d.totals.failed);
    let rate = reports::percent(d.totals.successful, all)
        .map_or_else(|| "no sessions".to_owned(), |r| format!("{r}% successful"));
    let mut line = format!(
        "{} · {rate} · {} failed",
        plural(all, "session", "sessions"),
        d.totals.failed
    );
    if d.totals.unreadable > 0 {
        line.push_str(&format!(
            " · {} could not be read (not counted)",
            plural(d.totals.unreadable, "count", "counts")
        ));
    }
    let failures = (!d.totals.failures.is_empty()).then(|| {
        let by_type = table(
            None,
            &["Result type", "Sessions", "Meaning"],
            d.totals
                .failures
                .iter()
                .map(|(rt, n)| {
                    vec![
                        rt.clone(),
                        n.to_string(),
                        reports::result_type(rt)
                            .map_or("Not defined by RFC 8460", |r| r.title)
                            .to_owned(),
                    ]
                })
                .collect(),
        );
        let by_mx = table(
            None,
            &["MX host", "IP", "Sessions", "Result types"],
            capped(
                d.by_mx.iter().map(|r| {
                    vec![
                        or_not_given(r.host.as_ref()),
                        r.ip.clone().unwrap_or_default(),
                        r.failed.to_string(),
                        types(&r.result_types),
                    ]
                }),
                d.by_mx.len(),
                4,
            ),
        );
        let by_sender = table(
            None,
            &["Organisation", "Sending MTA", "Sessions", "Result types"],
            capped(
                d.by_sender.iter().map(|r| {
                    vec![
                        or_not_given(r.organization.as_ref()),
                        or_not_given(r.mta_ip.as_ref()),
                        r.failed.to_string(),
                        types(&r.result_types),
                    ]
                }),
                d.by_sender.len(),
                4,
            ),
        );
        view! {
            <h3>"Failures by result type"</h3>{by_type}
            <h3>"Failures by receiving MX"</h3>{by_mx}
            <h3>"Failures by sender"</h3>{by_sender}
        }
    });
    view! {
        <section class="domain-summary">
            <h2>{title}</h2>
            <p>{line}</p>
            {failures}
        </section>
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

/// Daily successful and failed sessions: two bar rows with their own scales (failures are
/// usually a tiny share and would vanish on one scale), and the same numbers as a table.
#[component]
fn Chart(days: Vec<mtasts::reports::Day>) -> impl IntoView {
    if days.is_empty() {
        return None;
    }
    const W: f64 = 720.0;
    const ROW: f64 = 90.0;
    let n = days.len() as f64;
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
    Some(view! {
        <section aria-labelledby="chart-title">
            <h2 id="chart-title">"Sessions by day"</h2>
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
                {table(Some("daily-table"), &["Day (UTC)", "Successful", "Failed"],
                    days.iter().map(|d| vec![d.date.clone(), d.successful.to_string(), d.failed.to_string()]).collect())}
            </details>
        </section>
    })
}

/// Files that held no report, notes on deviations, reports received twice.
fn details(shown: &Shown) -> AnyView {
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
