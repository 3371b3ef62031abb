//! The TLS-RPT record as found in DNS (RFC 8460 §3), and its absence during a rollout.

use crate::code;
use crate::codes::Example;
use crate::finding::{Finding, Subject};
use crate::judge::record::Sts;
use crate::judge::Judging;
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
