//! Judging Evidence: `assess(&Evidence) -> Report` (RFC 8461 §3–§8, RFC 8460 §3, RFC 7505).
//!
//! Pure: no I/O and no clock (the evidence's `observed_at` is the time). A lookup that failed is
//! "could not check" (`lookup-failed`, verdict `inconclusive` when nothing else is broken), never
//! "missing". One module per concern, in the order [`assess`] runs them: the MX hosts ([`mx`]), the
//! `_mta-sts` record ([`record`]), the policy fetch ([`fetch`]), the policy's mode and MX coverage
//! ([`policy`]), TLS-RPT ([`tlsrpt`]), DNSSEC and DANE ([`dnssec`]), then the verdict and the
//! plain-words summary.

pub mod dnssec;
pub mod fetch;
pub mod involved;
mod judging;
pub mod mx;
pub mod policy;
mod readiness;
pub mod record;
pub mod smtp;
mod summary;
pub mod tlsrpt;

use crate::code_type::Code;
use crate::finding::{sort_findings, Finding, Severity};
use crate::observe::evidence::{Evidence, SCHEMA_VERSION};
use crate::report::{Report, Verdict};

pub use fetch::certificate_name_matches;
pub(crate) use judging::Judging;
pub use judging::LOOKUP_FAILED;
pub(crate) use mx::coverage;

pub(crate) const CODES: &[Code] = &[
    record::STS_ABSENT,
    LOOKUP_FAILED,
    record::STS_DELEGATED,
    record::POLICY_UNDISCOVERABLE,
    fetch::POLICY_UNREACHABLE,
    fetch::POLICY_HOST_DANGLING,
    fetch::POLICY_TLS,
    fetch::POLICY_REDIRECT,
    fetch::POLICY_HTTP_STATUS,
    fetch::POLICY_CONTENT_TYPE,
    policy::MODE_NONE,
    policy::MODE_TESTING,
    mx::MX_NOT_COVERED,
    mx::MX_PATTERN_UNUSED,
    mx::MX_NULL,
    mx::MX_NONE,
    mx::MX_TOO_MANY,
    mx::DOMAIN_NOT_FOUND,
    tlsrpt::TLSRPT_ABSENT,
    tlsrpt::TLSRPT_RUA_NO_MX,
    dnssec::DANE_TLSA,
    dnssec::DNSSEC,
];

/// Judges everything observed about a domain.
pub fn assess(ev: &Evidence) -> Report {
    let mut j = Judging {
        ev,
        domain: ev.domain.as_str(),
        findings: Vec::new(),
        causes: Vec::new(),
    };
    let mx = mx::judge(&mut j);
    let (sts, sts_record) = record::judge(&mut j);
    // A dangling alias first: it is the cause of the fetch failure, and the graver risk.
    fetch::dangling(&mut j);
    let served = fetch::judge(&mut j, sts);
    let mut mx_hosts = policy::judge(&mut j, served.policy.as_ref(), &mx);
    let hosts: Vec<&str> = mx.hosts.iter().map(|(h, _)| h.as_str()).collect();
    let senders = crate::senders::judge::of_evidence(ev, &hosts);
    if let Some(v) = &senders {
        crate::senders::judge::judge(v, served.policy.as_ref(), &mut j.findings);
    }
    let tlsrpt = tlsrpt::judge(&mut j, served.policy.as_ref(), sts, mx.null);
    record::judge_absent(&mut j, sts, &mx, served.found, tlsrpt.is_some());
    dnssec::judge(&mut j);
    smtp::judge(
        &mut j,
        served.policy.as_ref().map(|p| p.mode),
        &mut mx_hosts,
    );
    let readiness = readiness::readiness(
        &j,
        served.policy.as_ref(),
        &mx_hosts,
        tlsrpt.is_some(),
        mx.null,
    );

    let Judging {
        mut findings,
        causes,
        ..
    } = j;
    let verdict = verdict(&findings, &causes, mx.null);
    sort_findings(&mut findings);
    let summary = summary::summarize(&summary::Facts {
        domain: &ev.domain,
        verdict,
        sts,
        policy: served.policy.as_ref(),
        mx: &mx_hosts,
        has_tlsrpt: tlsrpt.is_some(),
        findings: &findings,
        causes: &causes,
    });
    Report {
        schema_version: SCHEMA_VERSION,
        domain: ev.domain.clone(),
        verdict,
        summary,
        findings,
        sts_record,
        policy: served.policy,
        tlsrpt,
        mx_hosts,
        observed_at: Some(ev.observed_at),
        readiness: Some(readiness),
        involved: Some(involved::involved(ev)),
        senders,
    }
}

/// Not applicable for a null MX; else fail on any error, inconclusive when something could not be
/// checked, warn on any warning, pass.
fn verdict(findings: &[Finding], causes: &[String], null_mx: bool) -> Verdict {
    if null_mx {
        Verdict::NotApplicable
    } else if findings.iter().any(Finding::is_error) {
        Verdict::Fail
    } else if !causes.is_empty() {
        Verdict::Inconclusive
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Verdict::Warn
    } else {
        Verdict::Pass
    }
}
