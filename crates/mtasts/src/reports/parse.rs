//! Reading report JSON tolerantly: every deviation from RFC 8460 §4.4 becomes a note, nothing
//! is guessed (a count that cannot be read stays unreadable), nothing panics.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::model::{
    FailureDetail, Payload, PolicyResult, TlsReport, Unread, MAX_FAILURE_DETAILS, MAX_JSON_BYTES,
    MAX_NOTES, MAX_POLICIES, MAX_REPORTS_PER_FILE, MAX_TEXT,
};
use crate::civil::{parse_rfc3339, Written};

/// Notes, each once, at most [`MAX_NOTES`].
struct Notes {
    list: Vec<String>,
    dropped: usize,
}

impl Notes {
    fn add(&mut self, note: String) {
        if self.list.contains(&note) {
            return;
        }
        if self.list.len() < MAX_NOTES {
            self.list.push(note);
        } else {
            self.dropped += 1;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.list.push(format!("and {} more notes", self.dropped));
        }
        self.list
    }
}

pub(super) fn reports(payload: &Payload, json: &[u8]) -> Result<Vec<TlsReport>, Unread> {
    let unread = |message: String| Unread {
        origin: payload.origin.clone(),
        message,
    };
    if json.len() > MAX_JSON_BYTES {
        return Err(super::model::too_large(&payload.origin));
    }
    let (json, bom) = match json.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (json, false),
    };
    let value: Value = serde_json::from_slice(json).map_err(|e| {
        if json.starts_with(&[0x1f, 0x8b]) {
            unread("gzip inside gzip: not a TLS report".into())
        } else {
            unread(format!("not JSON: {e}"))
        }
    })?;
    value_of(payload, value, bom)
}

pub(super) fn value(payload: &Payload, value: Value, bom: bool) -> Result<Vec<TlsReport>, Unread> {
    value_of(payload, value, bom)
}

fn value_of(payload: &Payload, value: Value, bom: bool) -> Result<Vec<TlsReport>, Unread> {
    let unread = |message: String| Unread {
        origin: payload.origin.clone(),
        message,
    };
    let mut base = payload.notes.clone();
    if bom {
        base.push("the JSON starts with a byte-order mark (ignored)".into());
    }
    match value {
        Value::Object(map) => Ok(vec![report(&map, payload, base)]),
        Value::Array(items) => {
            base.push("several reports in one JSON array (each read on its own)".into());
            let objects: Vec<_> = items
                .iter()
                .filter_map(Value::as_object)
                .take(MAX_REPORTS_PER_FILE)
                .collect();
            if objects.is_empty() {
                return Err(unread("a JSON array with no report objects".into()));
            }
            Ok(objects
                .into_iter()
                .map(|m| report(m, payload, base.clone()))
                .collect())
        }
        _ => Err(unread("JSON, but not a TLS report object".into())),
    }
}

/// One report object; `base` are the notes made before it was read (how it was found).
fn report(map: &Map<String, Value>, payload: &Payload, base: Vec<String>) -> TlsReport {
    let mut n = Notes {
        list: vec![],
        dropped: 0,
    };
    for note in base {
        n.add(note);
    }
    extra_fields(
        map,
        &[
            "organization-name",
            "date-range",
            "contact-info",
            "report-id",
            "policies",
        ],
        "",
        &mut n,
    );
    let organization = text(map, "organization-name", "", true, &mut n);
    let report_id = text(map, "report-id", "", true, &mut n);
    let contact_info = text(map, "contact-info", "", false, &mut n);
    let (date_begin, date_end) = date_range(map.get("date-range"), &mut n);
    let policies = policies(map.get("policies"), payload.domain_hint.as_deref(), &mut n);
    TlsReport {
        file: payload.origin.clone(),
        organization,
        report_id,
        contact_info,
        date_begin,
        date_end,
        policies,
        notes: n.finish(),
    }
}

/// The start and end of `date-range` (unknown when they cannot be read).
fn date_range(range: Option<&Value>, n: &mut Notes) -> (Option<i64>, Option<i64>) {
    let range = match range {
        Some(Value::Object(range)) => range,
        Some(_) => {
            n.add("date-range is not an object: the dates are unknown".into());
            return (None, None);
        }
        None => {
            n.add("date-range is missing: the dates are unknown".into());
            return (None, None);
        }
    };
    extra_fields(range, &["start-datetime", "end-datetime"], "date-range.", n);
    let date_begin = date(range, "start-datetime", n);
    let date_end = date(range, "end-datetime", n);
    if let (Some(b), Some(e)) = (date_begin, date_end) {
        if e < b {
            n.add("date-range ends before it starts".into());
        }
    }
    (date_begin, date_end)
}

/// The entries of `policies`, at most [`MAX_POLICIES`] (a single object is read as a list of
/// one); `hint` is the policy domain the file name or subject gives.
fn policies(value: Option<&Value>, hint: Option<&str>, n: &mut Notes) -> Vec<PolicyResult> {
    let items: Vec<&Value> = match value {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => {
            n.add("policies is an object, not a list (read as one policy)".into());
            vec![v]
        }
        Some(_) => {
            n.add("policies is not a list: no sessions read".into());
            vec![]
        }
        None => {
            n.add("policies is missing: no sessions read".into());
            vec![]
        }
    };
    if items.len() > MAX_POLICIES {
        n.add(format!(
            "{} policies: only the first {MAX_POLICIES} were read",
            items.len()
        ));
    }
    items
        .into_iter()
        .take(MAX_POLICIES)
        .filter_map(|v| match v.as_object() {
            Some(m) => Some(policy(m, hint, n)),
            None => {
                n.add("a policies entry is not an object (skipped)".into());
                None
            }
        })
        .collect()
}

/// One entry of `policies`: the policy it was about, its session counts, its failure details.
fn policy(entry: &Map<String, Value>, hint: Option<&str>, n: &mut Notes) -> PolicyResult {
    extra_fields(
        entry,
        &["policy", "summary", "failure-details"],
        "policies[].",
        n,
    );
    let empty = Map::new();
    let p = match entry.get("policy") {
        Some(Value::Object(p)) => p,
        _ => {
            n.add("a policies entry has no policy object".into());
            &empty
        }
    };
    extra_fields(
        p,
        &["policy-type", "policy-string", "policy-domain", "mx-host"],
        "policy.",
        n,
    );
    let policy_type = policy_type(p, n);
    let policy_domain = policy_domain(p, &policy_type, hint, n);
    let policy_string = strings(p, "policy-string", "policy.", true, n);
    let mx_host = strings(p, "mx-host", "policy.", false, n);
    let (successful, failed) = sessions(entry.get("summary"), n);
    let failure_details = failure_details(entry.get("failure-details"), n);
    let failures = failures(&failure_details);
    check_failures(failed, &failures, n);
    PolicyResult {
        policy_type,
        policy_domain,
        policy_string,
        mx_host,
        successful,
        failed,
        failures,
        failure_details,
    }
}

/// `policy-type`, in lower case (`unknown` when missing); a type RFC 8460 does not define is
/// noted.
fn policy_type(p: &Map<String, Value>, n: &mut Notes) -> String {
    match text(p, "policy-type", "policy.", true, n) {
        Some(t) => {
            let lower = t.to_ascii_lowercase();
            if !matches!(lower.as_str(), "sts" | "tlsa" | "no-policy-found") {
                n.add(format!(
                    "policy-type \"{t}\" is not sts, tlsa or no-policy-found"
                ));
            }
            lower
        }
        None => "unknown".to_owned(),
    }
}

/// `policy-domain`, in lower case without a trailing dot; when missing, the domain `hint` from
/// the file name or subject, with a note.
fn policy_domain(
    p: &Map<String, Value>,
    policy_type: &str,
    hint: Option<&str>,
    n: &mut Notes,
) -> Option<String> {
    match text(p, "policy-domain", "policy.", false, n) {
        Some(d) => Some(d.trim_end_matches('.').to_ascii_lowercase()),
        None => match hint {
            Some(h) => {
                n.add(format!(
                    "policy-domain is missing ({policy_type}): taken from the file name or subject ({h})"
                ));
                Some(h.to_owned())
            }
            None => {
                n.add(format!("policy-domain is missing ({policy_type})"));
                None
            }
        },
    }
}

/// The successful and failed session counts of `summary` (unreadable without one).
fn sessions(summary: Option<&Value>, n: &mut Notes) -> (Option<u64>, Option<u64>) {
    let Some(Value::Object(s)) = summary else {
        n.add("a policy has no summary: its session counts are unreadable".into());
        return (None, None);
    };
    extra_fields(
        s,
        &[
            "total-successful-session-count",
            "total-failure-session-count",
        ],
        "summary.",
        n,
    );
    (
        count(
            s.get("total-successful-session-count"),
            "total-successful-session-count",
            n,
        ),
        count(
            s.get("total-failure-session-count"),
            "total-failure-session-count",
            n,
        ),
    )
}

/// The entries of `failure-details`, at most [`MAX_FAILURE_DETAILS`] (a single object is read as
/// a list of one).
fn failure_details(details: Option<&Value>, n: &mut Notes) -> Vec<FailureDetail> {
    let details: Vec<&Map<String, Value>> = match details {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(o)) => {
            n.add("failure-details is an object, not a list (read as one)".into());
            vec![o]
        }
        Some(Value::Null) | None => vec![],
        Some(_) => {
            n.add("failure-details is not a list (ignored)".into());
            vec![]
        }
    };
    if details.len() > MAX_FAILURE_DETAILS {
        n.add(format!(
            "{} failure details: only the first {MAX_FAILURE_DETAILS} were read",
            details.len()
        ));
    }
    details
        .into_iter()
        .take(MAX_FAILURE_DETAILS)
        .map(|d| detail(d, n))
        .collect()
}

/// Failed sessions by result type (`None`: a count of that type cannot be read).
fn failures(details: &[FailureDetail]) -> BTreeMap<String, Option<u64>> {
    let mut failures: BTreeMap<String, Option<u64>> = BTreeMap::new();
    for d in details {
        let sum = failures.entry(d.result_type.clone()).or_insert(Some(0));
        *sum = sum.and_then(|s| d.failed.map(|f| s.saturating_add(f)));
    }
    failures
}

/// Notes failure details that add up to more sessions than the policy's failed ones.
fn check_failures(failed: Option<u64>, failures: &BTreeMap<String, Option<u64>>, n: &mut Notes) {
    if let (Some(total), Some(sum)) = (
        failed,
        failures
            .values()
            .try_fold(0u64, |a, v| v.map(|v| a.saturating_add(v))),
    ) {
        if sum > total {
            n.add(format!(
                "the failure details add up to {sum} sessions, more than total-failure-session-count ({total})"
            ));
        }
    }
}

/// One entry of `failure-details`.
fn detail(d: &Map<String, Value>, n: &mut Notes) -> FailureDetail {
    const KNOWN: &[&str] = &[
        "result-type",
        "sending-mta-ip",
        "receiving-mx-hostname",
        "receiving-mx-helo",
        "receiving-ip",
        "failed-session-count",
        "additional-information",
        "failure-reason-code",
        "failure-error-code",
    ];
    extra_fields(d, KNOWN, "failure-details[].", n);
    let result_type = text(d, "result-type", "failure-details[].", true, n)
        .map_or_else(|| "unknown".to_owned(), |t| t.to_ascii_lowercase());
    let failure_reason_code = text(d, "failure-reason-code", "", false, n).or_else(|| {
        let code = text(d, "failure-error-code", "", false, n)?;
        n.add(
            "failure-error-code (the name in RFC 8460's own example) read as failure-reason-code"
                .into(),
        );
        Some(code)
    });
    let sending_mta_ip = text(d, "sending-mta-ip", "", false, n);
    if sending_mta_ip.is_none() {
        n.add("a failure detail has no sending-mta-ip".into());
    }
    FailureDetail {
        result_type,
        sending_mta_ip,
        receiving_mx_hostname: text(d, "receiving-mx-hostname", "", false, n)
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase()),
        receiving_mx_helo: text(d, "receiving-mx-helo", "", false, n),
        receiving_ip: text(d, "receiving-ip", "", false, n),
        failed: count(d.get("failed-session-count"), "failed-session-count", n),
        additional_information: text(d, "additional-information", "", false, n),
        failure_reason_code,
    }
}

/// Notes fields RFC 8460 does not define (real senders add some; they are kept out of the counts).
fn extra_fields(map: &Map<String, Value>, known: &[&str], path: &str, n: &mut Notes) {
    let extra: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !known.contains(k))
        .take(10)
        .collect();
    if !extra.is_empty() {
        let list: Vec<String> = extra
            .iter()
            .map(|k| format!("{path}{}", shorten(k, 64)))
            .collect();
        n.add(format!(
            "fields not in RFC 8460 (ignored): {}",
            list.join(", ")
        ));
    }
}

/// A string field. Numbers are read as their text (with a note); a missing field is noted when
/// `required`.
fn text(
    map: &Map<String, Value>,
    key: &str,
    path: &str,
    required: bool,
    n: &mut Notes,
) -> Option<String> {
    match map.get(key) {
        Some(Value::String(s)) if s.trim().is_empty() => {
            if required {
                n.add(format!("{path}{key} is empty"));
            }
            None
        }
        Some(Value::String(s)) => {
            if s.len() > MAX_TEXT {
                n.add(format!(
                    "{path}{key} is longer than {MAX_TEXT} bytes (shortened)"
                ));
            }
            Some(shorten(s.trim(), MAX_TEXT))
        }
        Some(Value::Number(x)) => {
            n.add(format!(
                "{path}{key} is a number, not a string (read as its text)"
            ));
            Some(x.to_string())
        }
        Some(Value::Null) | None => {
            if required {
                n.add(format!("{path}{key} is missing"));
            }
            None
        }
        Some(_) => {
            n.add(format!("{path}{key} is not a string (ignored)"));
            None
        }
    }
}

/// A list of strings; a single string is read as a list of one (`mx-host` from some senders),
/// or as lines (`policy-string`).
fn strings(
    map: &Map<String, Value>,
    key: &str,
    path: &str,
    lines: bool,
    n: &mut Notes,
) -> Vec<String> {
    match map.get(key) {
        Some(Value::Array(a)) => {
            if a.iter().any(|v| !v.is_string()) {
                n.add(format!(
                    "{path}{key} has entries that are not strings (ignored)"
                ));
            }
            a.iter()
                .filter_map(Value::as_str)
                .take(MAX_POLICIES)
                .map(|s| shorten(s.trim(), MAX_TEXT))
                .collect()
        }
        Some(Value::String(s)) => {
            n.add(format!(
                "{path}{key} is a string, not a list (read as a list)"
            ));
            if lines {
                s.lines()
                    .map(|l| shorten(l.trim(), MAX_TEXT))
                    .filter(|l| !l.is_empty())
                    .collect()
            } else {
                s.split([',', ' '])
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(|h| shorten(h, MAX_TEXT))
                    .collect()
            }
        }
        Some(Value::Null) | None => vec![],
        Some(_) => {
            n.add(format!("{path}{key} is not a list (ignored)"));
            vec![]
        }
    }
}

/// A session count: a non-negative integer. Written as a string of digits or as `3.0`, it is read
/// with a note; anything else is unreadable (`None`), never zero.
fn count(v: Option<&Value>, key: &str, n: &mut Notes) -> Option<u64> {
    match v {
        Some(Value::Number(x)) => {
            if let Some(c) = x.as_u64() {
                return Some(c);
            }
            match x.as_f64() {
                Some(f) if f >= 0.0 && f.fract() == 0.0 && f < 9.0e15 => {
                    n.add(format!(
                        "{key} written with a fraction ({x}; read as a whole number)"
                    ));
                    // Exact: an integer below 2^53.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Some(f as u64)
                }
                _ => {
                    n.add(format!(
                        "{key} {x} is not a session count: shown as unreadable, not counted"
                    ));
                    None
                }
            }
        }
        Some(Value::String(s)) => match s.trim().parse::<u64>() {
            Ok(c) if !s.trim().starts_with('+') => {
                n.add(format!("{key} written as a string (read as the number)"));
                Some(c)
            }
            _ => {
                n.add(format!(
                    "{key} \"{}\" is not a number: shown as unreadable, not counted",
                    shorten(s, 32)
                ));
                None
            }
        },
        Some(Value::Null) | None => {
            n.add(format!(
                "{key} is missing: shown as unreadable, not counted"
            ));
            None
        }
        Some(_) => {
            n.add(format!(
                "{key} is not a number: shown as unreadable, not counted"
            ));
            None
        }
    }
}

/// A date-time of `date-range`.
fn date(range: &Map<String, Value>, key: &str, n: &mut Notes) -> Option<i64> {
    match range.get(key) {
        Some(Value::String(s)) => match parse_rfc3339(s) {
            Some((t, Written::Exactly)) => Some(t),
            Some((t, Written::Loosely)) => {
                n.add(format!(
                    "{key} \"{}\" is not RFC 3339 (read as {})",
                    shorten(s, 40),
                    crate::civil::rfc3339(t)
                ));
                Some(t)
            }
            None => {
                n.add(format!(
                    "{key} \"{}\" is not a date: unknown",
                    shorten(s, 40)
                ));
                None
            }
        },
        Some(_) => {
            n.add(format!("{key} is not a string: unknown"));
            None
        }
        None => {
            n.add(format!("{key} is missing: unknown"));
            None
        }
    }
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}
