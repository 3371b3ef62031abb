//! What the judges of one assessment share ([`Judging`]) and the finding they all raise when a
//! lookup failed ([`LOOKUP_FAILED`]). A leaf of the judge: it imports none of the judges, so each
//! judge imports it and `judge/mod.rs` only assembles them (no import circle, issue 21).

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Subject};
use crate::observe::evidence::{DnsLookup, ErrorKind, Evidence};

code!(LOOKUP_FAILED = "lookup-failed", Warning, Medium, "RFC 8461 §3.1, §3.3", "Could not check",
    what: "Whether every DNS lookup needed for the check got an answer (SERVFAIL, REFUSED, a timeout or a network error mean it did not).",
    why: "A failed lookup says nothing about whether the record exists. mtasts reports \"could not check\" rather than guess \"missing\". A SERVFAIL that persists is often a DNSSEC problem, which senders hit too.",
    example: "The MX lookup answered SERVFAIL, so MX coverage could not be checked.",
    fix: "Check again later. If it persists, test the zone's DNSSEC and name servers (SERVFAIL on a signed zone usually means broken signatures).",
    bad: Example::Scenario("servfail.test"),
    good: Example::Scenario("good.test"));

/// What the judges of one assessment share: the Evidence, the findings so far, and the causes of
/// anything that could not be checked.
pub(crate) struct Judging<'a> {
    pub(crate) ev: &'a Evidence,
    pub(crate) domain: &'a str,
    pub(crate) findings: Vec<Finding>,
    pub(crate) causes: Vec<String>,
}

impl Judging<'_> {
    pub(crate) fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// Records that `what` could not be checked because `lookup` failed (`why`).
    pub(crate) fn failed(&mut self, subject: Subject, what: &str, lookup: &DnsLookup, why: &str) {
        // A dash, not parentheses: `why` often ends in a parenthesis of its own.
        let seen = if lookup
            .error
            .as_ref()
            .is_some_and(|e| e.kind == ErrorKind::Timeout)
        {
            ", as seen from where this check ran"
        } else {
            ""
        };
        let cause = format!(
            "the {} lookup for {} failed — {why}{seen}",
            lookup.qtype.as_str(),
            lookup.name
        );
        self.push(Finding::new(
            LOOKUP_FAILED,
            subject,
            format!("could not check {what}: {cause}"),
        ));
        self.causes.push(cause);
    }

    /// Records that `what` could not be checked, for a reason that is not a DNS lookup.
    pub(crate) fn not_checked(&mut self, subject: Subject, cause: &str, message: &str) {
        self.causes.push(cause.to_owned());
        self.push(Finding::new(LOOKUP_FAILED, subject, message.to_owned()));
    }
}
