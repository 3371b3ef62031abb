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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint, Draft};

    fn draft(policy: &str) -> crate::report::Report {
        lint(&Draft {
            policy: policy.to_owned(),
            ..Draft::default()
        })
    }

    #[test]
    fn a_repeated_mode_is_read_differently_and_the_fix_is_the_plain_rewrite() {
        let r = draft("version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n");
        let f = r
            .with_code(SENDERS_DISAGREE)
            .next()
            .expect("senders-disagree");
        assert!(
            f.message.contains("postfix-mta-sts-resolver"),
            "{}",
            f.message
        );
        let fix = f.fix.as_deref().expect("a fix");
        assert!(
            fix.ends_with(
                "version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"
            ),
            "{fix}"
        );
        let v = r.senders.expect("view");
        assert_eq!(v.rfc.as_ref().map(|p| p.mode.as_str()), Some("testing"));
        let pmsr = v
            .rows
            .iter()
            .find(|r| r.sender == "postfix-mta-sts-resolver")
            .expect("row");
        assert_eq!(pmsr.outcome, Outcome::Differs);
    }

    #[test]
    fn ignoring_by_half_or_more_is_an_error_and_ignoring_none_is_nothing() {
        // Served as text/html: every sender that checks the media type sees no policy.
        let v = view(&Inputs {
            txt: None,
            response: Response {
                status: 200,
                content_type: Some("text/html"),
                body: b"version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 604800\r\n",
            },
            mx_hosts: &[],
        });
        let policy: Policy =
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 604800\r\n"
                .parse()
                .expect("policy");
        let mut findings = Vec::new();
        judge(&v, Some(&policy), &mut findings);
        let ignores = v.with(Outcome::Ignores).count();
        let f = findings
            .iter()
            .find(|f| f.code == SENDERS_IGNORE)
            .expect("senders-ignore");
        let want = if ignores * 2 >= v.rows.len() {
            Severity::Error
        } else {
            Severity::Warning
        };
        assert_eq!(f.severity, want, "{ignores} ignore");
        // mode none: ignoring it changes nothing.
        let r = draft("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\nx-note: caf\u{e9}\r\n");
        assert_eq!(r.with_code(SENDERS_IGNORE).count(), 0);
    }

    #[test]
    fn a_draft_the_rfc_refuses_has_rows_but_no_sender_finding() {
        let r = draft(
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n\r\n",
        );
        let v = r.senders.expect("view");
        assert!(v.rfc.is_none());
        assert!(r
            .findings
            .iter()
            .all(|f| f.code != SENDERS_IGNORE && f.code != SENDERS_DISAGREE));
        assert!(
            v.summary.starts_with("The RFC sees no valid policy, but"),
            "{}",
            v.summary
        );
    }
}
