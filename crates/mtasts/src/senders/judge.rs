//! The findings of "How senders read this": real senders that ignore a policy the RFC reads, or
//! read it differently, and the rewrite that every modelled sender reads as the RFC does.

use crate::code;
use crate::code_type::Code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Severity, Subject};
use crate::records::policy::Policy;

use super::view::{view, Inputs, Outcome, View};
use super::Response;

code!(SENDERS_IGNORE = "senders-ignore", Warning, High, "RFC 8461 §3.2, §3.3", "Some real senders ignore this policy",
    what: "Whether every modelled sending implementation (Postfix resolvers, mox, maddy, chasquid, Stalwart, KumoMTA, ZoneMTA, mailauth, Halon) sees the policy the RFC reads. `mtasts senders list` names each model's version and sources.",
    why: "A sender that sees no policy delivers without MTA-STS: an attacker who strips STARTTLS wins against it, and it sends no TLS report about it. Where half the modelled senders or more ignore the policy, it is an error: the policy protects little of the domain's mail.",
    example: "`x-note: café` without `charset=utf-8` in the Content-Type: postfix-mta-sts-resolver fails to decode the policy and sees none.",
    fix: "Publish the policy in the form every sender reads alike: `version` first, one `key: value` a line ending in CRLF, no blank lines, lower-case keys, each key once, ASCII only (the linter's fix-it writes it).",
    bad: Example::Draft { policy: "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nx-note: caf\u{e9}\r\n", mx_hosts: &[] },
    good: Example::Draft { policy: "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n", mx_hosts: &[] });

code!(SENDERS_DISAGREE = "senders-disagree", Warning, Medium, "RFC 8461 §3.2, §4.1", "Real senders read this policy differently",
    what: "Whether every modelled sender that reads the policy applies the mode, max_age and MX coverage the RFC reads.",
    why: "Senders disagree on repeated keys (the RFC: the first wins; several take the last), on key and value case and on trailing dots in `mx`: one domain then gets `enforce` from some senders and `testing` from others, or mail refused by some because no pattern matches as they read it.",
    example: "`mode: testing` then `mode: enforce`: the RFC applies testing; postfix-mta-sts-resolver, maddy and Stalwart apply enforce.",
    fix: "Remove every repeated key, write keys and values in lower case and `mx` patterns without a trailing dot (the linter's fix-it writes the policy in the form every sender reads alike).",
    bad: Example::Draft { policy: "version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n", mx_hosts: &[] },
    good: Example::Draft { policy: "version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 604800\r\n", mx_hosts: &[] });

pub(crate) const CODES: &[Code] = &[SENDERS_IGNORE, SENDERS_DISAGREE];

/// The findings `v` calls for, given what the RFC reads (`policy`).
pub(crate) fn judge(v: &View, policy: Option<&Policy>, findings: &mut Vec<Finding>) {
    let Some(rfc) = &v.rfc else { return };
    let fix = policy.and_then(safe_rewrite);
    let total = v.rows.len();
    let ignores: Vec<_> = v.with(Outcome::Ignores).collect();
    // Ignoring `mode: none` changes nothing: the domain asked for no policy.
    if !ignores.is_empty() && rfc.mode != "none" {
        let names: Vec<&str> = ignores.iter().map(|r| r.sender.as_str()).collect();
        let mut f = Finding::new(
            SENDERS_IGNORE,
            Subject::Policy,
            format!(
                "{} of {total} modelled senders ignore this policy ({}): {}",
                ignores.len(),
                names.join(", "),
                ignores[0].reason.as_deref().unwrap_or("")
            ),
        );
        if ignores.len() * 2 >= total {
            f = f.severity(Severity::Error);
        }
        findings.push(with_fix(f, fix.as_deref()));
    }
    let differs: Vec<_> = v.with(Outcome::Differs).collect();
    if !differs.is_empty() {
        let names: Vec<&str> = differs.iter().map(|r| r.sender.as_str()).collect();
        let f = Finding::new(
            SENDERS_DISAGREE,
            Subject::Policy,
            format!(
                "{} of {total} modelled senders read this policy differently ({}): {}",
                differs.len(),
                names.join(", "),
                differs[0].reason.as_deref().unwrap_or("")
            ),
        );
        findings.push(with_fix(f, fix.as_deref()));
    }
}

fn with_fix(f: Finding, fix: Option<&str>) -> Finding {
    match fix {
        Some(text) => f.fix(format!(
            "publish this policy, which every modelled sender reads as the RFC does:\n{text}"
        )),
        None => f,
    }
}

/// The policy the RFC reads, written in the plainest form (version first, CRLF, lower case, each
/// key once, no extension fields): returned only when every modelled sender reads that text as the
/// RFC does, so the fix-it is proven, never assumed.
pub fn safe_rewrite(policy: &Policy) -> Option<String> {
    let plain = Policy {
        extensions: Vec::new(),
        ..policy.clone()
    };
    let text = plain.to_string();
    let v = view(&Inputs {
        txt: None,
        response: Response {
            status: 200,
            content_type: Some("text/plain"),
            body: text.as_bytes(),
        },
        mx_hosts: &[],
    });
    v.rows
        .iter()
        .all(|r| r.outcome == Outcome::Applies)
        .then_some(text)
}

/// "How senders read this" for an observed domain: `None` when the TXT lookup or the policy
/// fetch got no answer (what senders do then is the fetch-failure note of each model, not a
/// reading), or when nothing of MTA-STS is published.
pub(crate) fn of_evidence(
    ev: &crate::observe::evidence::Evidence,
    mx_hosts: &[&str],
) -> Option<View> {
    use crate::observe::evidence::Rcode;
    let answered = ev.sts_txt.error.is_none()
        && matches!(ev.sts_txt.rcode, Some(Rcode::NoError | Rcode::NxDomain));
    let fetch = ev.policy_fetch.as_ref()?;
    let status = fetch.status?;
    if !answered {
        return None;
    }
    let records = ev.sts_txt.txt_records();
    let records: Vec<&str> = records.iter().map(String::as_str).collect();
    let body = fetch.body.as_ref().map_or(&[][..], |b| b.0.as_slice());
    Some(view(&Inputs {
        txt: Some(&records),
        response: Response {
            status,
            content_type: fetch.header("content-type"),
            body,
        },
        mx_hosts,
    }))
}
