//! The TLS-RPT record as found in DNS (RFC 8460 §3), and its absence during a rollout.

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Subject};
use crate::judge::judging::Judging;
use crate::judge::record::Sts;
use crate::observe::evidence::LookupStatus;
use crate::records::policy::{Mode, Policy};
use crate::records::tlsrpt::{check_tlsrpt, TlsRptRecord};

code!(TLSRPT_ABSENT = "tlsrpt-absent", Warning, Medium, "RFC 8460 §3", "No TLS-RPT record while MTA-STS is in use",
    what: "Whether `_smtp._tls.<domain>` has a TLS-RPT record while a policy is in testing or enforce.",
    why: "Without TLS-RPT nobody tells you when senders fail to validate your MX hosts, so testing shows nothing and enforce can break silently.",
    example: "A policy in testing and no record at `_smtp._tls.example.com`.",
    fix: "Publish `_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"`.",
    bad: Example::Scenario("testing-no-tlsrpt.test"),
    good: Example::Scenario("good.test"));

code!(TLSRPT_RUA_NO_MX = "tlsrpt-rua-no-mx", Warning, Medium, "RFC 8460 §3; RFC 5321 §5.1", "TLS reports cannot arrive at a mailto: destination",
    what: "Whether the domain of each `mailto:` in the TLS-RPT record receives mail: it exists and has MX records (not a null MX). A domain with no MX records at all is a note: mail may still reach its address record (implicit MX).",
    why: "Senders mail their reports there. A domain that does not exist or has no mail servers silently drops every report, so testing shows nothing.",
    example: "`rua=mailto:tls@reports.example.net`, and `reports.example.net` has no MX record (or does not exist).",
    fix: "Send reports to an address whose domain receives mail, or publish MX records for that domain.",
    bad: Example::Scenario("ruanomx.test"),
    good: Example::Scenario("good.test"));

/// Judges whether reports can arrive at each `mailto:` destination.
fn destinations(j: &mut Judging<'_>, record: &TlsRptRecord) {
    let ev = j.ev;
    let domain = j.domain.to_owned();
    for host in record.mailto_domains() {
        let lookup = if host == domain.to_ascii_lowercase() {
            Some(&ev.mx)
        } else {
            ev.rua_mx
                .iter()
                .find(|l| l.name.trim_end_matches('.').eq_ignore_ascii_case(&host))
        };
        let Some(lookup) = lookup else { continue };
        let null = lookup
            .exchanges()
            .iter()
            .any(|e| e.trim_end_matches('.').is_empty());
        let own = host == domain.to_ascii_lowercase();
        let (why, definite) = match lookup.status() {
            LookupStatus::NxDomain => (format!("{host} does not exist"), true),
            LookupStatus::Found if null => (format!("{host} refuses all mail (null MX)"), true),
            // Mail may still go to the domain's address (implicit MX, RFC 5321 §5.1); the
            // checked domain's own missing MX is `mx-none`.
            LookupStatus::NoData if !own => (format!("{host} has no MX records, so reports arrive only if its address record takes mail (implicit MX)"), false),
            _ => continue,
        };
        let f = Finding::new(
            TLSRPT_RUA_NO_MX,
            Subject::Tlsrpt,
            if definite {
                format!("TLS reports to addresses at {host} cannot arrive: {why}")
            } else {
                format!("TLS reports to addresses at {host} may not arrive: {why}")
            },
        )
        .fix(format!("rua=mailto:tls-reports@{domain}"));
        j.push(if definite {
            f
        } else {
            f.severity(crate::finding::Severity::Info)
                .priority(crate::finding::Priority::Low)
        });
    }
}

/// Judges the `_smtp._tls` record set; returns the record, when valid.
pub(crate) fn judge(
    j: &mut Judging<'_>,
    policy: Option<&Policy>,
    sts: Sts,
    null_mx: bool,
) -> Option<TlsRptRecord> {
    let ev = j.ev;
    let domain = j.domain;
    let rollout = policy.is_some_and(|p| p.mode != Mode::None) || sts == Sts::Valid;
    match ev.tlsrpt_txt.status() {
        LookupStatus::Found => {
            let c = check_tlsrpt(&ev.tlsrpt_txt.txt_records());
            j.findings.extend(c.findings);
            if let Some(r) = &c.record {
                destinations(j, r);
            }
            return c.record;
        }
        LookupStatus::NoData | LookupStatus::NxDomain if rollout && !null_mx => {
            let testing = policy.is_some_and(|p| p.mode == Mode::Testing);
            let why = if testing {
                ": in testing mode the reports are the whole point"
            } else {
                ": nobody will hear about TLS failures"
            };
            j.push(
                Finding::new(
                    TLSRPT_ABSENT,
                    Subject::Tlsrpt,
                    format!("no TLS-RPT record at _smtp._tls.{domain}{why}"),
                )
                .fix(format!(
                    "_smtp._tls.{domain}. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\""
                )),
            );
        }
        LookupStatus::NoData | LookupStatus::NxDomain => {}
        LookupStatus::Failed(_, why) => {
            j.failed(Subject::Tlsrpt, "the TLS-RPT record", &ev.tlsrpt_txt, &why);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::assess;
    use crate::observe::build::Lookup;
    use crate::observe::evidence::{Evidence, Rcode};

    #[test]
    fn absence_matters_only_during_a_rollout() {
        let none = Some(Rcode::NxDomain);
        let has = |b: crate::observe::build::EvidenceBuilder| {
            assess(&b.build()).with_code(TLSRPT_ABSENT).next().is_some()
        };
        let e = || Evidence::builder("example.com").answer(Lookup::Tlsrpt, none);
        assert!(has(e()), "enforce without TLS-RPT");
        assert!(
            !has(e().answer(Lookup::StsTxt, none)),
            "no MTA-STS: sts-absent says it"
        );
        assert!(!has(e().mx(&[(0, ".")])), "null MX");
        assert!(!has(Evidence::builder("example.com")), "published");
    }
}
