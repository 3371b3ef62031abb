//! TLS-RPT aggregate reports (RFC 8460 §4): found in files and mail, read tolerantly, counted.
//!
//! ```text
//! file bytes ──► extract ──► Payload (JSON, or gzip: the caller inflates it) ──► parse ──► TlsReport
//! TlsReport… ──► Collection (the same report twice counts once) ──► Document { reports, totals, summary }
//! ```
//!
//! No inflate code here: the command-line tool inflates with `flate2`, the web page with the
//! browser's `DecompressionStream`; both stop at [`MAX_JSON_BYTES`] (a gzip bomb gets
//! [`too_large`]). Real senders deviate from §4.4 — no `sending-mta-ip`, no `policy-domain` for
//! `no-policy-found`, `mx-host` as a string, extra fields, counts as strings: each deviation is a
//! note on its report, and a count that cannot be read is *unreadable* (`null`), never zero.

mod mail;
mod model;
mod parse;
mod results;
mod summary;

pub use model::{
    percent, too_large, FailureDetail, Kind, Payload, PolicyResult, TlsReport, Unread,
    MAX_FAILURE_DETAILS, MAX_FILE_BYTES, MAX_JSON_BYTES, MAX_NOTES, MAX_POLICIES,
    MAX_REPORTS_PER_FILE, MAX_TEXT,
};
pub use results::{result_type, ResultKind, ResultType, RESULT_TYPES};
pub use summary::{
    csv, csv_row, Advice, Collection, Day, Document, DomainSummary, Duplicate, MxRow, Reporter,
    SenderRow, Summary, Totals,
};

/// Finds the reports in a file: `.json`, `.json.gz`, a mail message or an mbox. Each element is
/// a payload, or why a message or part could not be read.
pub fn extract(file: &str, bytes: &[u8]) -> Vec<Result<Payload, Unread>> {
    let unread = |message: String| {
        vec![Err(Unread {
            origin: file.to_owned(),
            message,
        })]
    };
    if bytes.len() > MAX_FILE_BYTES {
        return unread(format!("larger than {} MB: not read", MAX_FILE_BYTES >> 20));
    }
    if let Some(kind) = mail::sniff(bytes) {
        return vec![Ok(Payload {
            origin: file.to_owned(),
            kind,
            bytes: bytes.to_vec(),
            domain_hint: mail::domain_hint(file, None),
            notes: vec![],
        })];
    }
    let mut out = vec![];
    if mail::is_mbox(bytes) {
        for (i, message) in mail::split_mbox(bytes).into_iter().enumerate() {
            if out.len() >= MAX_REPORTS_PER_FILE {
                break;
            }
            mail::message_parts(message, &format!("{file} (message {})", i + 1), &mut out);
        }
        return out;
    }
    if mail::is_message(bytes) {
        mail::message_parts(bytes, file, &mut out);
        return out;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return unread(
            "a zip archive: TLS reports are gzip (.json.gz) or JSON; unzip it first".into(),
        );
    }
    unread("not a TLS report: neither JSON, gzip, nor a mail message".into())
}

/// Reads report JSON (the payload's bytes, or what its gzip inflated to). A JSON array of
/// reports is read as several, with a note.
pub fn parse(payload: &Payload, json: &[u8]) -> Result<Vec<TlsReport>, Unread> {
    parse::reports(payload, json)
}

/// As [`parse`], for JSON a caller has parsed already (the web page uses the browser's
/// `JSON.parse`, which saves shipping a JSON parser in the wasm). One difference follows: a
/// count written `3.0` is `3` to JavaScript, so it gets no note.
pub fn parse_value(payload: &Payload, value: serde_json::Value) -> Result<Vec<TlsReport>, Unread> {
    parse::value(payload, value, false)
}

/// Everything in one file, for callers that inflate synchronously (the command-line tool, tests).
/// `inflate` must stop at [`MAX_JSON_BYTES`] and say so with [`too_large`]'s message.
pub fn read_file(
    file: &str,
    bytes: &[u8],
    mut inflate: impl FnMut(&[u8]) -> Result<Vec<u8>, String>,
) -> (Vec<TlsReport>, Vec<Unread>) {
    let (mut reports, mut unread) = (vec![], vec![]);
    for payload in extract(file, bytes) {
        let payload = match payload {
            Ok(p) => p,
            Err(u) => {
                unread.push(u);
                continue;
            }
        };
        let json = match payload.kind {
            Kind::Json => Ok(payload.bytes.clone()),
            Kind::Gzip => inflate(&payload.bytes),
        };
        match json.map_err(|message| Unread {
            origin: payload.origin.clone(),
            message,
        }) {
            Ok(json) => match parse(&payload, &json) {
                Ok(r) => reports.extend(r),
                Err(u) => unread.push(u),
            },
            Err(u) => unread.push(u),
        }
    }
    (reports, unread)
}
