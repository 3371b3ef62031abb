//! The plain-words summary of a report: what state the domain is in and the next step.

use crate::finding::{Finding, Severity};
use crate::judge::mx::{DOMAIN_NOT_FOUND, MX_PATTERN_UNUSED};
use crate::judge::policy::MODE_NONE;
use crate::judge::record::{Sts, POLICY_UNDISCOVERABLE};
use crate::records::policy::{Mode, Policy};
use crate::report::{MxHost, Verdict};

/// What the summary speaks of.
#[derive(Clone, Copy)]
pub(super) struct Facts<'a> {
    pub(super) domain: &'a str,
    pub(super) verdict: Verdict,
    pub(super) sts: Sts,
    pub(super) policy: Option<&'a Policy>,
    pub(super) mx: &'a [MxHost],
    pub(super) has_tlsrpt: bool,
    pub(super) findings: &'a [Finding],
    pub(super) causes: &'a [String],
}

fn days(secs: u64) -> String {
    let d = secs / 86_400;
    match d {
        0 => format!("{secs} seconds"),
        1 => "1 day".into(),
        _ => format!("{d} days"),
    }
}

/// The plain-words summary of a report, from the facts the judges established.
pub(super) fn summarize(facts: &Facts<'_>) -> String {
    let Facts {
        domain,
        verdict,
        sts,
        policy,
        mx,
        has_tlsrpt,
        findings,
        causes,
    } = *facts;
    let uncovered: Vec<&str> = mx
        .iter()
        .filter(|h| h.covered_by.is_none())
        .map(|h| h.host.as_str())
        .collect();
    let first_error = findings.iter().find(|f| f.is_error());
    if findings.iter().any(|f| f.code == DOMAIN_NOT_FOUND) {
        return format!("{domain} does not exist (NXDOMAIN), so there is no mail domain to protect. Check the spelling of the domain.");
    }
    match verdict {
        Verdict::NotApplicable => format!("{domain} publishes a null MX (RFC 7505): it receives no mail, so MTA-STS does not apply."),
        Verdict::Inconclusive => format!(
            "Could not check {domain} completely: {}. Nothing found so far is broken; check again in a few minutes.",
            causes.join("; ")
        ),
        _ if findings.iter().any(|f| f.code == POLICY_UNDISCOVERABLE) => format!(
            "MTA-STS is broken for {domain}: a valid policy is served, but there is no _mta-sts TXT record, so senders never fetch it. Publish _mta-sts.{domain}. IN TXT \"v=STSv1; id=<timestamp>\"."
        ),
        _ if sts == Sts::Absent => {
            let mut s = format!("MTA-STS is not set up for {domain}: there is no _mta-sts TXT record, so sending servers use opportunistic TLS that an attacker on the path can downgrade. This is a maturity gap, not an emergency.");
            s.push_str(if has_tlsrpt {
                " TLS-RPT is already published. Next: publish a policy in testing mode, read the reports, then enforce."
            } else {
                " Next: publish a policy in testing mode and a TLS-RPT record, read the reports for a few weeks, then switch to enforce."
            });
            s
        }
        Verdict::Fail => {
            if let (Some(p), false) = (policy, uncovered.is_empty()) {
                let mut s = format!(
                    "MTA-STS is partially configured for {domain}: the DNS marker exists, but the {} policy does not cover the MX host{} {}",
                    p.mode,
                    if uncovered.len() > 1 { "s" } else { "" },
                    uncovered.join(", ")
                );
                if findings.iter().any(|f| f.code == MX_PATTERN_UNUSED) {
                    s.push_str(" and lists MX hosts that are no longer in use (a previous provider?)");
                }
                s.push_str(". Switch back to testing, update the mx lines, make sure TLS reports are read, then return to enforce and change the TXT id.");
                s
            } else {
                let what = first_error.map_or_else(String::new, |f| f.message.to_string());
                let fix = first_error.and_then(|f| f.fix.as_deref()).map_or(String::new(), |f| format!(" Fix: {f}."));
                let lead = match sts {
                    Sts::Broken => format!("MTA-STS is published for {domain} but broken"),
                    _ if policy.is_none() => format!("MTA-STS is published for {domain}, but senders cannot use the policy"),
                    _ => format!("MTA-STS is configured for {domain} but has a problem"),
                };
                format!("{lead}: {what}.{fix}")
            }
        }
        Verdict::Warn | Verdict::Pass => {
            let Some(p) = policy else {
                return format!("MTA-STS for {domain} needs attention.");
            };
            let mut s = match p.mode {
                Mode::Enforce => format!("MTA-STS is enforced for {domain}: senders that support it will only deliver over validated TLS"),
                Mode::Testing => format!("MTA-STS is in testing for {domain}: senders report TLS problems but still deliver"),
                Mode::None => format!("MTA-STS is switched off for {domain} (mode none): nothing is protected. If you are removing MTA-STS (RFC 8461 §8.3), keep this policy until the old max_age has passed, then delete the records; if not, switch back to testing or enforce and change the TXT id"),
            };
            if p.mode != Mode::None {
                s.push_str(&format!(", the policy is cached for {}", days(p.max_age)));
                if !mx.is_empty() && uncovered.is_empty() {
                    s.push_str(&format!(" and covers all {} MX host{}", mx.len(), if mx.len() > 1 { "s" } else { "" }));
                }
            }
            s.push('.');
            // Mode none is the summary's own subject, not one thing among others.
            let warnings: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.severity == Severity::Warning && f.code != MODE_NONE)
                .collect();
            if let Some(w) = warnings.first() {
                s.push_str(&format!(
                    " {} to attend to, most important: {}.",
                    if warnings.len() == 1 { "One thing".to_owned() } else { format!("{} things", warnings.len()) },
                    w.message
                ));
            } else if p.mode == Mode::Testing && has_tlsrpt {
                s.push_str(" Next: read the TLS-RPT reports; when they show no failures, switch to enforce and change the TXT id.");
            }
            s
        }
    }
}
