//! Linting drafts before they are published: the offline linter of the web app and `mtasts lint`.
//!
//! Same codes as [`mod@crate::judge`]; nothing here does I/O, so it runs in the browser as you type.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::code;
use crate::code_type::Code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{sort_findings, Finding, Severity, Subject};
use crate::judge::coverage;
use crate::names::domain::HostName;
use crate::observe::evidence::SCHEMA_VERSION;
use crate::records::policy::{check_policy, Policy, MAX_POLICY_BYTES, TOO_LARGE};
use crate::records::sts_txt::{check_sts_txt, StsRecord};
use crate::records::tlsrpt::{check_tlsrpt, TlsRptRecord};
use crate::report::{MxHost, Report, Verdict};
use crate::senders::view::View;

code!(MX_HOST_INVALID = "mx-host-invalid", Error, Medium, "RFC 5321 §2.3.5, RFC 8461 §4.1", "An MX host in the draft is not a host name",
    what: "Each line of the MX host list given to the linter: a host name, optionally preceded by its preference (`10 mail.example.com`, as `dig MX` prints it).",
    why: "Coverage can only be checked for real host names; an address or a URL is never an MX host.",
    example: "`https://mail.example.com`, `192.0.2.1`, `mail..example.com`",
    fix: "Give one host name per line, for example `mail.example.com` or `10 mail.example.com.`",
    bad: Example::Draft { policy: "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n", mx_hosts: &["https://mail.example.com"] },
    good: Example::Draft { policy: "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n", mx_hosts: &["10 mail.example.com."] });

pub(crate) const CODES: &[Code] = &[MX_HOST_INVALID];

/// The result of linting one thing: validity, what was parsed, and the findings.
///
/// JSON: `{"valid": bool, "parsed": {...} | null, "findings": [...]}`; `valid` is true iff no
/// finding has severity `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintResult<T> {
    /// True iff no finding is an error.
    pub valid: bool,
    /// What was parsed, when valid.
    pub parsed: Option<T>,
    /// Everything found, errors first.
    pub findings: Vec<Finding>,
}

fn result<T>(parsed: Option<T>, mut findings: Vec<Finding>) -> LintResult<T> {
    let valid = !findings.iter().any(Finding::is_error);
    sort_findings(&mut findings);
    LintResult {
        valid,
        parsed: if valid { parsed } else { None },
        findings,
    }
}

/// Lints a policy file from its bytes.
pub fn lint_policy(bytes: &[u8]) -> LintResult<Policy> {
    let c = check_policy(bytes);
    result(c.policy, c.findings)
}

/// Lints the set of TXT records at `_mta-sts` (each with its strings joined).
pub fn lint_sts_txt<S: AsRef<str>>(records: &[S]) -> LintResult<StsRecord> {
    let c = check_sts_txt(records);
    result(c.record, c.findings)
}

/// Lints the set of TXT records at `_smtp._tls`.
pub fn lint_tlsrpt<S: AsRef<str>>(records: &[S]) -> LintResult<TlsRptRecord> {
    let c = check_tlsrpt(records);
    result(c.record, c.findings)
}

/// A draft to lint: the policy text and, optionally, the records and MX hosts beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The domain, if known (used in messages only).
    #[serde(default)]
    pub domain: String,
    /// The policy file text.
    #[serde(default)]
    pub policy: String,
    /// Draft `_mta-sts` TXT records (empty: not checked).
    #[serde(default)]
    pub sts_txt: Vec<String>,
    /// MX hosts, one per entry, optionally `PREFERENCE HOST` (empty: coverage not checked).
    #[serde(default)]
    pub mx_hosts: Vec<String>,
    /// Draft `_smtp._tls` TXT records (empty: not checked).
    #[serde(default)]
    pub tlsrpt: Vec<String>,
    /// The `Content-Type` the policy will be served with, for "How senders read this" (default
    /// `text/plain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The size of the whole policy in bytes, when `policy` holds only its beginning (a sender
    /// reads no more than 64 KiB, and neither need the linter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_size: Option<usize>,
}

/// Parses one MX host line: `host` or `preference host`, trailing dot allowed.
fn parse_mx_line(line: &str) -> Option<(String, Option<u16>)> {
    let mut parts = line.split_whitespace();
    let first = parts.next()?;
    let (pref, host) = match (first.parse::<u16>(), parts.next()) {
        (Ok(p), Some(h)) => (Some(p), h),
        (_, None) => (None, first),
        _ => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    HostName::new(host).map(|h| (h.to_string(), pref))
}

/// Lints a whole draft: the policy, the optional records, MX coverage when hosts are given, and
/// how real senders read it ([`senders_of`]). The same as [`lint_without_senders`] followed by
/// [`add_senders`] with what [`senders_of`] returns.
pub fn lint(draft: &Draft) -> Report {
    let mut report = records_of(draft);
    if let Some((view, findings)) = senders_of(draft, &report) {
        report.findings.extend(findings);
        report.senders = Some(view);
    }
    conclude(report)
}

/// [`lint`] without "How senders read this": no sender model runs and none is linked into a
/// program that calls only this. With [`senders_of`] and [`add_senders`] it is [`lint`] in
/// parts, for a caller that needs the parts too (the web linter's engine offers the senders'
/// proven rewrite only when their findings call for it).
pub fn lint_without_senders(draft: &Draft) -> Report {
    conclude(records_of(draft))
}

/// Adds "How senders read this" (`view`, and the `findings` it calls for, as [`senders_of`]
/// returns them) to a report of [`lint_without_senders`]: the result equals [`lint`]'s.
pub fn add_senders(report: Report, view: View, findings: Vec<Finding>) -> Report {
    let mut report = report;
    report.findings.extend(findings);
    report.senders = Some(view);
    conclude(report)
}

/// "How senders read this" for `draft`, given `linted`, its report without the senders (of
/// [`lint_without_senders`]): every modelled sender's reading and the findings it calls for;
/// `None` for an empty policy.
pub fn senders_of(draft: &Draft, linted: &Report) -> Option<(View, Vec<Finding>)> {
    if draft.policy.is_empty() {
        return None;
    }
    let records: Vec<&str> = non_empty(&draft.sts_txt)
        .into_iter()
        .map(|r| &**r)
        .collect();
    let hosts: Vec<&str> = linted.mx_hosts.iter().map(|h| h.host.as_str()).collect();
    let v = crate::senders::view::view(&crate::senders::view::Inputs {
        txt: (!records.is_empty()).then_some(&records[..]),
        response: crate::senders::Response {
            status: 200,
            content_type: Some(draft.content_type.as_deref().unwrap_or("text/plain")),
            body: draft.policy.as_bytes(),
        },
        mx_hosts: &hosts,
    });
    let mut findings = Vec::new();
    crate::senders::judge::judge(&v, linted.policy.as_ref(), &mut findings);
    Some((v, findings))
}

/// The records of `v` that are not blank.
fn non_empty(v: &[String]) -> Vec<&String> {
    v.iter().filter(|r| !r.trim().is_empty()).collect()
}

/// The report of `draft` without the senders' reading, its findings unsorted and its verdict and
/// summary not yet drawn ([`conclude`]).
fn records_of(draft: &Draft) -> Report {
    let c = check_policy(draft.policy.as_bytes());
    let mut findings = c.findings;
    if let Some(size) = draft.policy_size.filter(|&n| n > MAX_POLICY_BYTES) {
        for f in findings.iter_mut().filter(|f| f.code == TOO_LARGE) {
            f.message = Cow::Owned(format!(
                "the draft is {size} bytes; senders stop reading at {MAX_POLICY_BYTES} bytes (64 KiB), so only the first 64 KiB were linted"
            ));
        }
    }
    let policy = c.policy;
    let sts_txt = non_empty(&draft.sts_txt);
    let sts_record = (!sts_txt.is_empty())
        .then(|| check_sts_txt(&sts_txt))
        .and_then(|c| {
            findings.extend(c.findings);
            c.record
        });
    let tlsrpt_recs = non_empty(&draft.tlsrpt);
    let tlsrpt = (!tlsrpt_recs.is_empty())
        .then(|| check_tlsrpt(&tlsrpt_recs))
        .and_then(|c| {
            findings.extend(c.findings);
            c.record
        });
    let mut hosts = Vec::new();
    for (i, line) in draft.mx_hosts.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_mx_line(line) {
            Some(h) => hosts.push(h),
            None => findings.push(Finding::new(
                MX_HOST_INVALID,
                Subject::Mx,
                format!("MX host {}: `{}` is not a host name", i + 1, line.trim()),
            )),
        }
    }
    let mx_hosts: Vec<MxHost> = match &policy {
        Some(p) if !hosts.is_empty() => coverage(p, &hosts, &mut findings),
        _ => hosts
            .into_iter()
            .map(|(host, preference)| MxHost::new(host, preference, None))
            .collect(),
    };
    Report {
        involved: None,
        schema_version: SCHEMA_VERSION,
        domain: draft.domain.clone(),
        verdict: Verdict::Pass,
        summary: String::new(),
        findings,
        sts_record,
        policy,
        tlsrpt,
        mx_hosts,
        observed_at: None,
        readiness: None,
        senders: None,
    }
}

/// Sorts the findings of `report` and draws its verdict and summary from them.
fn conclude(mut report: Report) -> Report {
    let findings = &mut report.findings;
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let verdict = if errors > 0 {
        Verdict::Fail
    } else if warnings > 0 {
        Verdict::Warn
    } else {
        Verdict::Pass
    };
    sort_findings(findings);
    report.summary = match verdict {
        Verdict::Fail => format!(
            "The draft has {errors} error{}: senders would not use it as written. First: {}",
            if errors == 1 { "" } else { "s" },
            findings.first().map_or("", |f| &*f.message)
        ),
        Verdict::Warn => format!("The draft is valid, with {warnings} warning{} to consider.", if warnings == 1 { "" } else { "s" }),
        _ => "The draft is valid and ready to publish: publish the policy file first, then the TXT record with a new id.".to_owned(),
    };
    report.verdict = verdict;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_cut_at_what_a_sender_reads_says_its_whole_size() {
        let mut policy =
            "version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 86400\r\n".to_owned();
        policy.push_str(&"x: y\r\n".repeat(MAX_POLICY_BYTES / 6));
        policy.truncate(MAX_POLICY_BYTES + 1);
        let r = lint(&Draft {
            policy,
            policy_size: Some(10_000_000),
            ..Draft::default()
        });
        let f = r.with_code(TOO_LARGE).next().expect("too large");
        assert!(f.message.contains("10000000 bytes"), "{}", f.message);
    }

    #[test]
    fn linting_without_senders_then_adding_them_is_lint() {
        let drafts = [
            Draft::default(),
            Draft {
                policy: "version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n".into(),
                sts_txt: vec!["v=STSv1; id=1".into(), " ".into()],
                mx_hosts: vec!["10 mail.example.com.".into(), "https://x".into()],
                tlsrpt: vec!["v=TLSRPTv1; rua=tls@example.com".into()],
                ..Draft::default()
            },
            Draft {
                policy: "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\nx-note: caf\u{e9}\n".into(),
                content_type: Some("text/html".into()),
                mx_hosts: vec!["mx.example.com".into()],
                ..Draft::default()
            },
            Draft {
                policy: "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n".into(),
                ..Draft::default()
            },
        ];
        for d in &drafts {
            let without = lint_without_senders(d);
            assert_eq!(without.senders, None);
            let rebuilt = match senders_of(d, &without) {
                Some((view, findings)) => add_senders(without, view, findings),
                None => without,
            };
            assert_eq!(rebuilt, lint(d), "{d:?}");
        }
        assert!(lint(&drafts[1]).senders.is_some());
    }

    #[test]
    fn mx_lines() {
        assert_eq!(
            parse_mx_line("10 mail.example.com."),
            Some(("mail.example.com".into(), Some(10)))
        );
        assert_eq!(
            parse_mx_line(" Mail.Example.com "),
            Some(("mail.example.com".into(), None))
        );
        assert_eq!(parse_mx_line("https://mail.example.com"), None);
        assert_eq!(parse_mx_line("10 a b"), None);
    }

    #[test]
    fn draft_with_coverage() {
        let d = Draft {
            policy: "version: STSv1\r\nmode: enforce\r\nmx: *.old-provider.example\r\nmax_age: 604800\r\n".into(),
            sts_txt: vec!["v=STSv1; id=1".into()],
            mx_hosts: vec!["10 mx1.new-provider.example".into()],
            ..Draft::default()
        };
        let r = lint(&d);
        assert_eq!(r.verdict, Verdict::Fail);
        assert_eq!(r.findings[0].code.as_str(), "mx-not-covered");
        assert!(r
            .findings
            .iter()
            .any(|f| f.code.as_str() == "mx-pattern-unused"));
        assert_eq!(r.mx_hosts[0].covered_by, None);
    }
}
