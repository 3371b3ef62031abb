//! The offline draft linter (`/lint`): lints as you type, in the browser, with no network request.

use std::time::Duration;

use leptos::prelude::*;
use mtasts::records::policy::{self, MAX_POLICY_BYTES};
use mtasts::{Draft, Finding, Report, Subject};

use crate::components::{
    policy_marks, CoverageTable, FindingList, NumberedText, SendersTable, VerdictBanner,
};
use crate::dom;
use crate::lint_wire::{self, Linted};
use crate::text::{
    capped, has_trailing_space, lines_of, textarea_offset, to_crlf, to_lf, trim_trailing,
    txt_values, MAX_BOX_BYTES,
};

/// The examples a visitor can load: (label, policy, TXT record, MX hosts, TLS-RPT record).
const EXAMPLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "A correct policy in testing mode",
        include_str!("../../../examples/policy.txt"),
        "v=STSv1; id=20261122T000000",
        "10 mail.example.com.\n20 mx1.backup.example.net.",
        "v=TLSRPTv1; rua=mailto:tls-reports@example.com",
    ),
    (
        "A policy with common mistakes",
        include_str!("../../../examples/broken-policy.txt"),
        "v=STSv1; id=2026-11-22",
        "10 mail.example.com.\n20 mail2.example.com.",
        "v=TLSRPTv1; rua=tls-reports@example.com",
    ),
];

fn counts(findings: &[Finding]) -> String {
    let c = mtasts::Counts::of(findings);
    let (e, w, i) = (c.errors, c.warnings, c.notes);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
        plural(i, "note", "notes")
    )
}

/// The policy as it would be published: the chosen line endings, and no more than a sender reads.
/// Beyond 64 KiB nothing more is linted (the size itself is the finding), which keeps the page
/// fast however much is pasted.
pub(crate) fn published(text: &str, crlf: bool) -> String {
    // Rounded up to a character boundary, so a text over the limit stays over it.
    let mut cut = text.len().min(MAX_POLICY_BYTES + 1);
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    let mut out = if crlf {
        to_crlf(&text[..cut])
    } else {
        to_lf(&text[..cut])
    };
    if text.len() > MAX_POLICY_BYTES && out.len() > MAX_POLICY_BYTES + 1 {
        let mut end = MAX_POLICY_BYTES + 1;
        while !out.is_char_boundary(end) {
            end += 1;
        }
        out.truncate(end);
    }
    out
}

/// The text area a finding is about.
fn area_of(subject: Subject) -> &'static str {
    match subject {
        Subject::StsTxt => "sts-txt",
        Subject::Mx => "mx-hosts",
        Subject::Tlsrpt => "tlsrpt",
        _ => "policy",
    }
}

/// A text area's state. `value` follows typing; `shown` is written only when the page itself
/// changes the text (an example, a fix-it), so typing never writes a large text back into the box.
#[derive(Clone, Copy)]
struct Field {
    value: RwSignal<String>,
    shown: RwSignal<String>,
}

impl Field {
    fn new() -> Self {
        Field {
            value: RwSignal::new(String::new()),
            shown: RwSignal::new(String::new()),
        }
    }

    fn set(&self, text: String) {
        self.shown.set(text.clone());
        self.value.set(text);
    }
}

/// The page's boxes and choices: signals, so the struct is `Copy`.
#[derive(Clone, Copy)]
struct Boxes {
    /// The policy file.
    policy: Field,
    /// The `_mta-sts` TXT record.
    sts: Field,
    /// The MX hosts.
    mx: Field,
    /// The `_smtp._tls` TXT record.
    tlsrpt: Field,
    /// Whether the published file has CRLF line endings.
    crlf: RwSignal<bool>,
    /// The line of the policy the last located finding is on.
    active_line: RwSignal<Option<u32>>,
}

impl Boxes {
    /// Empty boxes, CRLF, no line active.
    fn new() -> Self {
        Boxes {
            policy: Field::new(),
            sts: Field::new(),
            mx: Field::new(),
            tlsrpt: Field::new(),
            crlf: RwSignal::new(true),
            active_line: RwSignal::new(None::<u32>),
        }
    }

    /// Loads example `i` of [`EXAMPLES`] into the boxes.
    fn load_example(self, i: &str) {
        if let Some((_, p, t, m, r)) = i.parse::<usize>().ok().and_then(|i| EXAMPLES.get(i)) {
            self.policy.set(to_lf(p));
            self.sts.set((*t).to_owned());
            self.mx.set((*m).to_owned());
            self.tlsrpt.set((*r).to_owned());
            self.crlf.set(p.contains("\r\n"));
            self.active_line.set(None);
        }
    }
}

/// Writes the boxes into `draft` once typing pauses (linting itself takes microseconds;
/// rendering does not).
fn debounce(boxes: Boxes, draft: RwSignal<Draft>) {
    let Boxes {
        policy,
        sts,
        mx,
        tlsrpt,
        crlf,
        ..
    } = boxes;
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let crlf = crlf.get();
        let d = Draft {
            domain: String::new(),
            policy: policy.value.with(|t| published(t, crlf)),
            // Every box is read up to a bound, so a huge paste cannot stall the page.
            sts_txt: sts.value.with(|t| txt_values(capped(t).0)),
            mx_hosts: mx.value.with(|t| lines_of(capped(t).0)),
            tlsrpt: tlsrpt.value.with(|t| txt_values(capped(t).0)),
            policy_size: Some(policy.value.with(String::len)),
            content_type: None,
        };
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        timer.set_value(
            set_timeout_with_handle(move || draft.set(d), Duration::from_millis(120)).ok(),
        );
    });
}

/// The `draft` linted by the engine's module, once the loader has it ([`crate::lint_wire`]):
/// `None` until then; and whether the loader said the module could not be loaded.
fn linted(draft: RwSignal<Draft>) -> (Memo<Option<Linted>>, RwSignal<bool>) {
    let loaded = RwSignal::new(false);
    let failed = RwSignal::new(lint_wire::failed());
    // The loader fires the event once the module is there; it may be there already.
    let _ = window_event_listener_untyped(lint_wire::LOADED, move |_| loaded.set(true));
    let _ = window_event_listener_untyped(lint_wire::FAILED, move |_| failed.set(true));
    let linted = Memo::new(move |_| {
        loaded.track();
        draft.with(lint_wire::read)
    });
    (linted, failed)
}

/// The report in what the engine said, if it has said anything yet.
fn report_of(l: &Option<Linted>) -> Option<&Report> {
    l.as_ref().map(|l| &l.report)
}

/// The linter page.
#[component]
pub(crate) fn LintPage() -> impl IntoView {
    dom::set_title("Draft linter");
    let boxes = Boxes::new();
    let draft = RwSignal::new(Draft::default());
    // Debounce: lint once typing pauses.
    debounce(boxes, draft);
    let (linted, failed) = linted(draft);
    let empty = Memo::new(move |_| {
        draft.with(|d| {
            d.policy.trim().is_empty()
                && d.sts_txt.is_empty()
                && d.mx_hosts.is_empty()
                && d.tlsrpt.is_empty()
        })
    });
    view! {
        <h1>"Draft linter"</h1>
        <p class="lead">
            "Paste a draft policy file, and optionally its TXT record, your MX hosts and the TLS-RPT record. "
            "It is checked here as you type: nothing leaves this page."
        </p>
        <div class="lint-grid">
            {inputs(boxes, draft, linted)}
            {results(draft, linted, (empty, failed), boxes.active_line)}
        </div>
    }
}

/// The boxes: an example to load, the policy with its line endings and fix-its (enabled by the
/// engine's word on the `draft` linted last), the records.
fn inputs(boxes: Boxes, draft: RwSignal<Draft>, linted: Memo<Option<Linted>>) -> impl IntoView {
    let Boxes {
        policy,
        sts,
        mx,
        tlsrpt,
        crlf,
        ..
    } = boxes;
    view! {
        <div class="lint-inputs">
            {example_picker(boxes)}
            <div class="field">
                <label for="policy">"Policy file ("<code>"/.well-known/mta-sts.txt"</code>")"</label>
                {draft_box("policy", policy, "10", "policy-help")}
                <p id="policy-help" class="help">"One "<code>"key: value"</code>" a line: version, mode, mx (one line each), max_age."</p>
            </div>
            {endings(crlf)}
            {fixits(policy, crlf, draft, linted)}
            <div class="field">
                <label for="sts-txt">"TXT record at "<code>"_mta-sts"</code>" (optional)"</label>
                {draft_box("sts-txt", sts, "2", "sts-help")}
                <p id="sts-help" class="help">"One record a line; quoted strings as "<code>"dig"</code>" prints them are joined."</p>
            </div>
            <div class="field">
                <label for="mx-hosts">"MX hosts (optional)"</label>
                {draft_box("mx-hosts", mx, "3", "mx-help")}
                <p id="mx-help" class="help">"One a line, with or without the preference: "<code>"10 mail.example.com."</code></p>
            </div>
            <div class="field">
                <label for="tlsrpt">"TLS-RPT record at "<code>"_smtp._tls"</code>" (optional)"</label>
                {draft_box("tlsrpt", tlsrpt, "2", "tlsrpt-help")}
                <p id="tlsrpt-help" class="help">"For example "<code>"v=TLSRPTv1; rua=mailto:tls-reports@example.com"</code></p>
            </div>
        </div>
    }
}

/// The examples to load into the `boxes`.
fn example_picker(boxes: Boxes) -> impl IntoView {
    let examples = EXAMPLES
        .iter()
        .enumerate()
        .map(|(i, (label, ..))| view! { <option value=i.to_string()>{*label}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for="example">"Load an example"</label>
            <select id="example" on:change=move |ev| boxes.load_example(&event_target_value(&ev))>
                <option value="">"Choose an example…"</option>
                {examples}
            </select>
        </div>
    }
}

/// One text box (`id`, for its label; `rows` high; described by `help_id`) holding `field`, and
/// the note when more was pasted than is read.
fn draft_box(
    id: &'static str,
    field: Field,
    rows: &'static str,
    help_id: &'static str,
) -> impl IntoView {
    view! {
        <textarea
            id=id
            rows=rows
            spellcheck="false"
            autocomplete="off"
            autocapitalize="off"
            aria-describedby=help_id
            prop:value=move || field.shown.get()
            on:input=move |ev| field.value.set(event_target_value(&ev))
        ></textarea>
        <Show when=move || id != "policy" && field.value.with(|t| capped(t).1)>
            <p class="help cap-note" role="status">
                {format!("Only the first {} KiB of this box are read: no DNS answer holds more.", MAX_BOX_BYTES / 1024)}
            </p>
        </Show>
    }
}

/// Which line endings the published file has (a text box cannot show them): `crlf` or LF only.
fn endings(crlf: RwSignal<bool>) -> impl IntoView {
    view! {
        <fieldset class="field endings">
            <legend>"Line endings of the file you will publish"</legend>
            <label><input type="radio" name="endings" prop:checked=move || crlf.get() on:change=move |_| crlf.set(true)/>" CRLF (as RFC 8461 requires)"</label>
            <label><input type="radio" name="endings" prop:checked=move || !crlf.get() on:change=move |_| crlf.set(false)/>" LF only"</label>
            <p class="help">"A text box cannot show line endings, so say which ones the published file has."</p>
        </fieldset>
    }
}

/// The safe fixes, enabled by the engine's report and rewrite (`linted`): the proven rewrite, line
/// endings, trailing spaces in the `policy` box; and the download of the policy of the `draft` as linted.
fn fixits(
    policy: Field,
    crlf: RwSignal<bool>,
    draft: RwSignal<Draft>,
    linted: Memo<Option<Linted>>,
) -> impl IntoView {
    let has_lf_finding = move || {
        linted.with(|l| {
            report_of(l).is_some_and(|r| {
                r.findings.iter().any(|f| {
                    f.code == policy::LF_LINE_ENDINGS || f.code == policy::MIXED_LINE_ENDINGS
                })
            })
        })
    };
    // The policy as the RFC reads it, in the plain form every modelled sender reads alike: offered
    // only when senders disagree or ignore it and the models prove the rewrite (mtasts::senders).
    let safe = move || linted.with(|l| l.as_ref().and_then(|l| l.rewrite.clone()));
    view! {
        <div class="fixits" role="group" aria-label="Safe fixes">
            <button type="button" class="btn" prop:disabled=move || safe().is_none() on:click=move |_| {
                if let Some(text) = safe() {
                    policy.set(to_lf(&text));
                    crlf.set(true);
                }
            }>
                "Rewrite so every sender reads it alike"
            </button>
            <button type="button" class="btn" prop:disabled=move || !has_lf_finding() on:click=move |_| crlf.set(true)>
                "Normalise line endings (CRLF)"
            </button>
            <button type="button" class="btn" prop:disabled=move || !policy.value.with(|p| has_trailing_space(p)) on:click=move |_| policy.set(policy.value.with_untracked(|p| trim_trailing(p)))>
                "Trim trailing spaces"
            </button>
            <button type="button" class="btn" on:click=move |_| draft.with_untracked(|d| dom::download("mta-sts.txt", &d.policy, "text/plain"))>
                "Download mta-sts.txt"
            </button>
        </div>
    }
}

/// Shows where finding `f` is: selects its span in the policy box and marks its line, or focuses
/// the box it is about.
fn show_finding(f: Finding, draft: RwSignal<Draft>, active_line: RwSignal<Option<u32>>) {
    let area = area_of(f.subject);
    if f.subject == Subject::Policy {
        if let Some(span) = f.span {
            let (s, e) = draft.with_untracked(|d| {
                (
                    textarea_offset(&d.policy, span.start),
                    textarea_offset(&d.policy, span.end),
                )
            });
            dom::select_in_textarea(area, s, e);
        } else {
            dom::focus(area);
        }
        active_line.set(f.line);
        if let Some(l) = f.line {
            dom::scroll_into_view(&format!("draft-L{l}"));
        }
    } else {
        dom::focus(area);
    }
}

/// The counts, then the verdict, the findings, the numbered policy (its `active_line` the one
/// the last located finding is on) and the MX coverage; or, while `empty`, what to do, and until
/// the engine's module is there (`linted` is `None`), that it is loading — or, when it `failed`
/// to load, that it could not be.
fn results(
    draft: RwSignal<Draft>,
    linted: Memo<Option<Linted>>,
    (empty, failed): (Memo<bool>, RwSignal<bool>),
    active_line: RwSignal<Option<u32>>,
) -> impl IntoView {
    let policy_text = Signal::derive(move || draft.with(|d| d.policy.clone()));
    let marks = Signal::derive(move || {
        linted.with(|l| report_of(l).map_or_else(Vec::new, |r| policy_marks(&r.findings)))
    });
    let locate = Callback::new(move |f: Finding| show_finding(f, draft, active_line));
    view! {
        <div class="lint-results">
            // A closure block, not a closure in a variable: with `erase_components` the macro
            // shares one render instantiation among the closures of an output type.
            <p class="lint-status" role="status" aria-live="polite">
                {move || if empty.get() {
                    "Paste a policy file to lint it.".to_owned()
                } else {
                    linted.with(|l| match report_of(l) {
                        Some(r) => counts(&r.findings),
                        None if failed.get() => "The linter could not be loaded: reload the page to lint this draft.".to_owned(),
                        None => "Loading the linter…".to_owned(),
                    })
                }}
            </p>
            <Show when=move || !empty.get() fallback=|| view! { <p class="muted">"Findings appear here as you type."</p> }>
                {move || linted.with(|l| report_of(l).map(|r| view! {
                    <VerdictBanner verdict=r.verdict domain="Draft" summary=r.summary.clone()/>
                    <h2>"Findings"</h2>
                    <FindingList findings=r.by_priority() on_locate=locate/>
                }))}
                <h2>"The policy, line by line"</h2>
                <NumberedText text=policy_text marks=marks id_prefix="draft" label="The draft policy with its findings marked" active=active_line/>
                {move || linted.with(|l| report_of(l).filter(|r| !r.mx_hosts.is_empty()).map(|r| view! {
                    <h2>"MX coverage"</h2>
                    <CoverageTable hosts=r.mx_hosts.clone()/>
                }))}
                {move || linted.with(|l| report_of(l).and_then(|r| r.senders.clone()).map(|v| view! { <SendersTable view=v/> }))}
            </Show>
        </div>
    }
}
