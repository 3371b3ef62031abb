//! The `_mta-sts` TXT record as found in DNS (RFC 8461 §3.1): judged by the record grammar, its
//! delegation noted, and its absence judged once everything else is known.

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Priority, Subject};
use crate::judge::judging::Judging;
use crate::judge::mx::MxFacts;
use crate::observe::evidence::LookupStatus;
use crate::records::sts_txt::{check_sts_txt, StsRecord};

code!(STS_ABSENT = "sts-absent", Warning, Low, "RFC 8461 §3.1", "MTA-STS is not deployed",
    what: "Whether the domain publishes an MTA-STS TXT record at `_mta-sts.<domain>` at all (the lookup answered: the name has no TXT record).",
    why: "Without MTA-STS, sending servers use opportunistic TLS, which an attacker on the path can strip or redirect. For most domains this is a maturity gap, not an emergency: mail still flows.",
    example: "`_mta-sts.example.com` answers NXDOMAIN.",
    fix: "Publish a policy in `testing` mode and a TLS-RPT record, read the reports for a few weeks, then switch to `enforce` (mtasts generate writes all three).",
    bad: Example::Scenario("none.test"),
    good: Example::Scenario("good.test"));

code!(POLICY_UNDISCOVERABLE = "sts-txt-missing-for-policy", Error, High, "RFC 8461 §3.1, §3.3", "A policy is served, but no TXT record lets senders find it",
    what: "Whether a valid policy file is served at `https://mta-sts.<domain>/.well-known/mta-sts.txt` while no `_mta-sts.<domain>` TXT record exists.",
    why: "Senders look up the TXT record first and fetch the policy only when it exists. The owner meant to deploy MTA-STS, and it does not work at all: not a maturity gap but a broken deployment (often a record lost in a DNS migration).",
    example: "The policy file is served; `_mta-sts.example.com` answers NXDOMAIN.",
    fix: "Publish `_mta-sts.example.com. IN TXT \"v=STSv1; id=20240101000000\"` (a new id each time the policy changes).",
    bad: Example::Scenario("policyonly.test"),
    good: Example::Scenario("good.test"));

code!(STS_DELEGATED = "sts-txt-delegated", Info, Low, "RFC 8461 §8.2", "`_mta-sts` is a CNAME to a provider",
    what: "Whether `_mta-sts.<domain>` is delegated with a CNAME.",
    why: "Delegation is allowed and common with hosted MTA-STS. The policy host `mta-sts.<domain>` must still present a certificate for your own name, and the provider must change the id when it changes the policy.",
    example: "`_mta-sts.example.com CNAME _mta-sts.provider.example`",
    fix: "Nothing, if intended. Make sure `mta-sts.<domain>` is also delegated and serves a certificate for it.",
    bad: Example::Scenario("cname.test"),
    good: Example::Scenario("good.test"));

/// What the `_mta-sts` lookup says about MTA-STS for the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sts {
    /// One valid record.
    Valid,
    /// Records, but no valid one.
    Broken,
    /// No record: MTA-STS is not deployed.
    Absent,
    /// The lookup failed.
    Unknown,
}

/// Judges the TXT record set; returns what it says and the record, when valid.
pub(crate) fn judge(j: &mut Judging<'_>) -> (Sts, Option<StsRecord>) {
    let ev = j.ev;
    match ev.sts_txt.status() {
        LookupStatus::Found => {
            let c = check_sts_txt(&ev.sts_txt.txt_records());
            let valid = c.is_valid();
            j.findings.extend(c.findings);
            if !ev.sts_txt.cname_chain.is_empty() {
                j.push(Finding::new(
                    STS_DELEGATED,
                    Subject::StsTxt,
                    format!(
                        "_mta-sts.{} is delegated: {}",
                        j.domain,
                        ev.sts_txt.cname_chain.join(" → ")
                    ),
                ));
            }
            (if valid { Sts::Valid } else { Sts::Broken }, c.record)
        }
        LookupStatus::NoData | LookupStatus::NxDomain => (Sts::Absent, None),
        LookupStatus::Failed(_, why) => {
            j.failed(Subject::StsTxt, "the MTA-STS record", &ev.sts_txt, &why);
            (Sts::Unknown, None)
        }
    }
}

/// MTA-STS not deployed (for a domain that exists and receives mail): a maturity gap, more urgent
/// when TLS-RPT shows that a rollout was begun; a failure when a policy is served all the same.
pub(crate) fn judge_absent(
    j: &mut Judging<'_>,
    sts: Sts,
    mx: &MxFacts,
    served_policy: bool,
    has_tlsrpt: bool,
) {
    if sts != Sts::Absent || mx.null || mx.nxdomain {
        return;
    }
    let domain = j.domain;
    if served_policy {
        // A deployment that cannot work, not a gap (RFC-NOTES, "Verdicts").
        j.push(
            Finding::new(POLICY_UNDISCOVERABLE, Subject::StsTxt, format!("a valid policy is served at https://mta-sts.{domain}/.well-known/mta-sts.txt, but there is no TXT record at _mta-sts.{domain}, so senders never fetch it"))
                .fix(format!("_mta-sts.{domain}. IN TXT \"v=STSv1; id=<timestamp>\"")),
        );
        return;
    }
    j.push(
        Finding::new(
            STS_ABSENT,
            Subject::StsTxt,
            format!("{domain} does not publish MTA-STS (no TXT record at _mta-sts.{domain})."),
        )
        .priority(if has_tlsrpt {
            Priority::Medium
        } else {
            Priority::Low
        })
        .fix(format!(
            "_mta-sts.{domain}. IN TXT \"v=STSv1; id=<timestamp>\" and a policy in testing mode"
        )),
    );
}
