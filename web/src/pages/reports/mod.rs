//! The TLS report viewer (`/reports`): TLS-RPT aggregate reports (`.json`, `.json.gz`, `.eml`,
//! `.mbox`) dropped or picked, read in this browser by the same crate as `mtasts reports`, and
//! explained. Gzip goes through the browser's own `DecompressionStream` (no inflate code in the
//! wasm), stopped at the crate's limit. Nothing is uploaded: the page makes no request.
//!
//! Files are read one after another, yielding to the browser every few milliseconds, so a
//! hundred files or 20 MB keep the page responsive and the progress visible.
//!
//! The parts of the screen, a module each: the drop zone and the progress line ([`open`]), the
//! export bar ([`export`]), the results ([`summary`]: the headline and what to do) with the chart
//! ([`chart`]), each domain ([`domains`]) and the details ([`details`]), all of their tables
//! one shape ([`tables`]); the reading itself in [`read`].

mod chart;
mod details;
mod domains;
mod export;
mod open;
mod read;
mod summary;
mod tables;

use std::sync::Arc;

use leptos::prelude::*;
use mtasts::reports::{Collection, Summary, Unread};

use crate::dom;
use export::export_bar;
use open::{drop_zone, reading_progress};
use summary::Results;

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

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What was read and how far the reading is, shared by the parts of the page: a signal or a
/// stored value each, so the struct is `Copy`.
#[derive(Clone, Copy)]
struct Reader {
    /// Every report read so far (files are added to it until "Start over").
    all: StoredValue<Collection>,
    /// How many files it was read from.
    files_read: StoredValue<usize>,
    /// While files are read.
    progress: RwSignal<Progress>,
    /// What the page shows, once files are read.
    result: RwSignal<Option<Arc<Shown>>>,
}

impl Reader {
    /// Nothing read.
    fn new() -> Self {
        Reader {
            all: StoredValue::new(Collection::new()),
            files_read: StoredValue::new(0usize),
            progress: RwSignal::new(None),
            result: RwSignal::new(None),
        }
    }

    /// Reads the files picked or dropped (none while others are read).
    fn take(self, list: Option<web_sys::FileList>) {
        let Some(list) = list else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        if files.is_empty() || self.progress.get_untracked().is_some() {
            return;
        }
        leptos::task::spawn_local(read::read(self, files));
    }

    /// Forgets everything read ("Start over").
    fn clear(self) {
        self.all.set_value(Collection::new());
        self.files_read.set_value(0);
        self.result.set(None);
    }
}

/// The report viewer page.
#[component]
pub(crate) fn ReportsPage() -> impl IntoView {
    dom::set_title("TLS report viewer");
    let reader = Reader::new();
    view! {
        <section class="hero">
            <h1>"TLS report viewer"</h1>
            <p class="lede">
                "Read the TLS-RPT reports (RFC 8460) that senders mail you while your policy is in "
                <code>"testing"</code> ": which MX hosts fail, for which senders, and why — and what to fix before "
                <code>"enforce"</code> "."
            </p>
        </section>
        {drop_zone(reader)}
        {reading_progress(reader.progress)}
        {move || reader.result.get().map(|shown| view! {
            {export_bar(reader.all)}
            <Results shown/>
        })}
    }
}
