//! DNSSEC and DANE context (RFC 8461 §2, §10.1; RFC 7672): TLSA records at the MX hosts, and
//! whether the resolver validated the MX and `_mta-sts` answers.

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Subject};
use crate::judge::judging::Judging;
use crate::observe::evidence::LookupStatus;

code!(DANE_TLSA = "dane-tlsa", Info, Low, "RFC 8461 §2, RFC 7672", "An MX host publishes DANE TLSA records",
    what: "Whether `_25._tcp.<mx>` has TLSA records (DANE for SMTP).",
    why: "Senders that support DANE validate such MX hosts with DANE, which takes precedence over MTA-STS; both can be deployed together.",
    example: "`_25._tcp.mail.example.com TLSA 3 1 1 …`",
    fix: "Nothing; keep TLSA records in step with certificate rollovers.",
    bad: Example::Scenario("dane.test"),
    good: Example::Scenario("good.test"));

code!(DNSSEC = "dnssec-status", Info, Low, "RFC 8461 §10.1, RFC 4035", "DNSSEC status of the answers",
    what: "Whether the resolver validated the MTA-STS and MX answers with DNSSEC (the AD bit).",
    why: "MTA-STS does not need DNSSEC; it relies on the web PKI. DNSSEC adds protection for the TXT and MX lookups and is required for DANE.",
    example: "The MX answer came back with the AD bit set.",
    fix: "Nothing required.",
    bad: Example::Scenario("good.test"),
    good: Example::Scenario("nxdomain.test"));

/// Notes TLSA records and the DNSSEC status of the answers that were found.
pub(crate) fn judge(j: &mut Judging<'_>) {
    let ev = j.ev;
    for l in &ev.tlsa {
        if l.status() == LookupStatus::Found && !l.authenticated {
            j.push(
                Finding::new(
                    crate::judge::smtp::DANE_UNSIGNED,
                    Subject::Dane,
                    format!("{} has TLSA records, but they were not validated by DNSSEC: DANE senders ignore them", l.name),
                )
                .fix("sign the zone with DNSSEC, or remove the TLSA records"),
            );
        }
        if l.status() == LookupStatus::Found {
            j.push(Finding::new(
                DANE_TLSA,
                Subject::Dane,
                format!(
                    "{} publishes TLSA records: DANE-capable senders use DANE for this MX",
                    l.name
                ),
            ));
        }
    }
    let found: Vec<_> = [&ev.mx, &ev.sts_txt]
        .into_iter()
        .filter(|l| l.status() == LookupStatus::Found)
        .collect();
    if found.is_empty() {
        return;
    }
    let message = if found.iter().all(|l| l.authenticated) {
        "the MX and MTA-STS answers were validated with DNSSEC (AD bit set)"
    } else {
        "the answers were not DNSSEC-validated (no AD bit); MTA-STS does not require DNSSEC"
    };
    j.push(Finding::new(DNSSEC, Subject::Dane, message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::assess;
    use crate::observe::evidence::Evidence;

    #[test]
    fn tlsa_and_the_ad_bit_are_noted() {
        let r = assess(
            &Evidence::builder("example.com")
                .dnssec()
                .tlsa("mx1.example.com")
                .build(),
        );
        assert_eq!(r.with_code(DANE_TLSA).count(), 1);
        let f = r.with_code(DNSSEC).next().expect("dnssec");
        assert!(f.message.contains("validated"), "{}", f.message);
        let unsigned = assess(&Evidence::builder("example.com").build());
        let f = unsigned.with_code(DNSSEC).next().expect("dnssec");
        assert!(f.message.contains("not DNSSEC-validated"), "{}", f.message);
    }
}
