//! The MX hosts' SMTP service as `mtasts check --smtp` observed it (RFC 8461 §4.2, §5; RFC 3207;
//! RFC 7672 for DANE), and the lifetimes of the certificates senders validate.
//!
//! Under `enforce` a host without STARTTLS or with a certificate senders cannot validate makes
//! enforcing senders refuse mail: errors. Under `testing` (or before MTA-STS) the same facts are
//! warnings that say what `enforce` would do. A session that could not be held (port 25 blocked
//! from where the check ran, a time-out, a `421`) is "could not check", never a fault.

use crate::civil::date;
use crate::code;
use crate::code_type::Code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Priority, Severity, Subject};
use crate::judge::judging::Judging;
use crate::observe::evidence::{CertificateFacts, ErrorKind, LookupStatus, RecordData};
use crate::observe::smtp::{AddressProbe, MxProbe};
use crate::records::policy::Mode;
use crate::report::MxHost;

code!(MX_STARTTLS_MISSING = "mx-starttls-missing", Error, High, "RFC 8461 §5, RFC 3207", "An MX host does not offer STARTTLS",
    what: "Whether each MX host lists STARTTLS in its EHLO answer (observed with `mtasts check --smtp`).",
    why: "MTA-STS senders deliver only over TLS to a host matching the policy: under enforce, a host without STARTTLS receives no mail from them; under testing the failures show in TLS reports.",
    example: "`250-mx2.example.com` … `250 SIZE 52428800`, with no `250-STARTTLS` line.",
    fix: "Enable STARTTLS on the host with a certificate for its MX name, or remove the host from the MX records.",
    bad: Example::Scenario("mxnotls.test"),
    good: Example::Scenario("good.test"));

code!(MX_CERTIFICATE_NAME = "mx-certificate-name", Error, High, "RFC 8461 §4.2, RFC 6125", "An MX host's certificate is not valid for its name",
    what: "Whether the certificate an MX host presents after STARTTLS names the MX host (a DNS-ID in the subject alternative names; a wildcard only as the whole left-most label).",
    why: "MTA-STS senders validate the certificate against the MX name itself. A certificate for the provider's generic name or another host fails: under enforce, mail to that host is refused.",
    example: "`mx2.example.com` presents a certificate for `smtp.provider.example` only.",
    fix: "Serve a certificate whose subject alternative names include the MX host name (e.g. with ACME), or point the MX record at a name the certificate covers.",
    bad: Example::Scenario("mxwrongname.test"),
    good: Example::Scenario("good.test"));

code!(MX_CERTIFICATE_EXPIRED = "mx-certificate-expired", Error, High, "RFC 8461 §4.2", "An MX host's certificate has expired",
    what: "Whether the certificate an MX host presents is within its validity period at the time of the check.",
    why: "Senders that enforce MTA-STS refuse an expired certificate, so mail to that host stops.",
    example: "`mx1.example.com` presents a certificate that expired last week.",
    fix: "Renew the certificate and automate renewal; reload the mail server so it serves the new one.",
    bad: Example::Scenario("mxexpired.test"),
    good: Example::Scenario("good.test"));

code!(MX_CERTIFICATE_UNTRUSTED = "mx-certificate-untrusted", Error, High, "RFC 8461 §4.2", "An MX host's certificate is not trusted",
    what: "Whether the chain an MX host presents leads to a public root (a self-signed certificate, a private CA or a missing intermediate do not).",
    why: "MTA-STS relies on the web PKI: senders refuse an MX whose chain they cannot validate. A self-signed certificate on a backup MX is the classic way enforce bounces mail.",
    example: "`mx2.example.com` presents a self-signed certificate.",
    fix: "Serve a certificate from a public CA with its full chain (intermediates included).",
    bad: Example::Scenario("mxselfsigned.test"),
    good: Example::Scenario("good.test"));

code!(MX_TLS = "mx-tls", Error, High, "RFC 8461 §4.2, RFC 8996", "An MX host's TLS handshake fails or is too old",
    what: "Whether the TLS handshake after STARTTLS completes with TLS 1.2 or later.",
    why: "Senders need a TLS 1.2+ session to validate the MX; a failed or outdated handshake counts as a TLS failure and, under enforce, mail to that host is refused.",
    example: "The handshake fails with `protocol version` because the host offers only TLS 1.0.",
    fix: "Enable TLS 1.2 and 1.3 on the mail server.",
    bad: Example::Scenario("mxoldtls.test"),
    good: Example::Scenario("good.test"));

code!(CERTIFICATE_EXPIRING = "certificate-expiring", Warning, Medium, "RFC 8461 §3.3, §4.2", "A certificate expires soon",
    what: "Whether the policy host's or an MX host's certificate expires within 14 days (a warning) or 3 days (an error) of the check.",
    why: "When the policy host's certificate lapses senders cannot refresh the policy; when an MX host's lapses, enforcing senders refuse mail to it. Renewal that silently stopped is common.",
    example: "The certificate of `mx1.example.com` expires in 5 days.",
    fix: "Renew the certificate now and check that automatic renewal (and the server's reload) works.",
    bad: Example::Scenario("mxexpiring.test"),
    good: Example::Scenario("good.test"));

code!(DANE_MISMATCH = "dane-mismatch", Error, High, "RFC 7672 §3", "An MX host's certificate does not match its TLSA records",
    what: "Whether the chain an MX host presents matches one of its DNSSEC-validated TLSA records (usage 3 against the end-entity certificate, usage 2 against the rest of the chain; selectors 0 and 1; matching types 0, 1 and 2).",
    why: "DANE senders refuse an MX whose certificate matches none of its TLSA records, whatever MTA-STS says. A certificate renewed with a new key and TLSA records left behind is the usual cause.",
    example: "`_25._tcp.mx1.example.com TLSA 3 1 1 ab…` while the host's key hashes to `cd…`.",
    fix: "Publish TLSA records for the new key before rolling it over (keep both during the change), then remove the old one.",
    bad: Example::Scenario("danemismatch.test"),
    good: Example::Scenario("good.test"));

code!(DANE_UNSIGNED = "dane-unsigned", Warning, Medium, "RFC 7672 §2.2", "TLSA records without DNSSEC",
    what: "Whether TLSA records at `_25._tcp.<mx>` were validated by DNSSEC (the AD bit).",
    why: "DANE senders use TLSA records only when DNSSEC validates them; unsigned ones are ignored and give a false sense of protection.",
    example: "`_25._tcp.mx1.example.com TLSA 3 1 1 …` in a zone that is not signed.",
    fix: "Sign the zone with DNSSEC, or remove the TLSA records.",
    bad: Example::Scenario("daneunsigned.test"),
    good: Example::Scenario("good.test"));

pub(crate) const CODES: &[Code] = &[
    MX_STARTTLS_MISSING,
    MX_CERTIFICATE_NAME,
    MX_CERTIFICATE_EXPIRED,
    MX_CERTIFICATE_UNTRUSTED,
    MX_TLS,
    CERTIFICATE_EXPIRING,
    DANE_MISMATCH,
    DANE_UNSIGNED,
];

/// The faults of an MX host's STARTTLS or certificate (what the readiness item `mx-tls` counts).
pub(crate) const MX_TLS_FAULTS: &[Code] = &[
    MX_STARTTLS_MISSING,
    MX_CERTIFICATE_NAME,
    MX_CERTIFICATE_EXPIRED,
    MX_CERTIFICATE_UNTRUSTED,
    MX_TLS,
];

/// A certificate that expires within this many days is a warning…
pub const EXPIRY_WARNING_DAYS: u64 = 14;
/// …and within this many, an error.
pub const EXPIRY_ERROR_DAYS: u64 = 3;

/// How bad a fault of an MX host is, given where the domain stands on the rollout path.
fn stakes(mode: Option<Mode>) -> (Severity, Priority, &'static str) {
    match mode {
        Some(Mode::Enforce) => (
            Severity::Error,
            Priority::High,
            "senders that enforce MTA-STS refuse to deliver to it",
        ),
        Some(Mode::Testing) => (
            Severity::Warning,
            Priority::Medium,
            "under enforce, senders would refuse to deliver to it; fix it before enforcing",
        ),
        _ => (
            Severity::Warning,
            Priority::Low,
            "once MTA-STS is enforced, senders would refuse to deliver to it",
        ),
    }
}

fn same_host(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// Judges the probe: findings per MX host, and each host's TLS facts in `hosts`.
pub(crate) fn judge(j: &mut Judging<'_>, mode: Option<Mode>, hosts: &mut [MxHost]) {
    if let Some(f) =
        j.ev.policy_fetch
            .as_ref()
            .and_then(|f| f.certificate.as_ref())
    {
        let host = format!("mta-sts.{}", j.domain);
        expiring(j, &host, f, Subject::Fetch);
    }
    let Some(probe) = j.ev.smtp.as_ref() else {
        return;
    };
    // Every session failed before a greeting, by time-out or network: port 25 is blocked here.
    let sessions: Vec<&AddressProbe> = probe.hosts.iter().flat_map(|h| &h.addresses).collect();
    let silent = |a: &&AddressProbe| {
        a.greeting.is_none()
            && a.error.as_ref().is_some_and(|e| {
                matches!(
                    e.kind,
                    ErrorKind::Timeout | ErrorKind::Network | ErrorKind::CheckerSide
                )
            })
    };
    if !sessions.is_empty() && sessions.iter().all(silent) {
        let cause = "no MX host answered on port 25 — outgoing port 25 is probably blocked from where this check ran (many networks block it); run the check from a server";
        j.not_checked(
            Subject::Mx,
            cause,
            &format!("could not check the MX hosts' STARTTLS and certificates: {cause}"),
        );
        return;
    }
    for mx in &probe.hosts {
        let entry = hosts.iter_mut().find(|h| same_host(&h.host, &mx.host));
        host(j, mode, mx, entry);
    }
}

/// One MX host: its sessions, summarised into `entry` (the report's row for it).
fn host(j: &mut Judging<'_>, mode: Option<Mode>, mx: &MxProbe, mut entry: Option<&mut MxHost>) {
    let (severity, priority, effect) = stakes(mode);
    let name = mx.host.as_str();
    if let Some(e) = &mx.error {
        let cause = format!(
            "the SMTP service of {name} could not be checked — {}",
            e.message
        );
        j.not_checked(
            Subject::Mx,
            &cause,
            &format!("could not check {name}: {}", e.message),
        );
        if let Some(h) = entry.as_deref_mut() {
            h.error = Some(e.message.clone());
        }
        return;
    }
    for a in &mx.addresses {
        if let Some(h) = entry.as_deref_mut() {
            summarise(h, a);
        }
        let at = format!("{name} ({})", a.address);
        let fault = |code, message: String, fix: &str| {
            Finding::new(code, Subject::Mx, format!("{message}: {effect}"))
                .severity(severity)
                .priority(priority)
                .fix(fix.to_owned())
        };
        match (a.starttls, &a.error) {
            (Some(false), _) => {
                j.push(fault(
                    MX_STARTTLS_MISSING,
                    format!("{at} does not offer STARTTLS"),
                    "enable STARTTLS with a certificate for the MX name",
                ));
                continue;
            }
            (Some(true), Some(e)) if e.kind == ErrorKind::Tls && a.certificate.is_none() => {
                j.push(fault(
                    MX_TLS,
                    format!("the TLS handshake with {at} failed — {}", e.message),
                    "enable TLS 1.2 and 1.3 with a certificate for the MX name",
                ));
                continue;
            }
            (_, Some(e)) if a.certificate.is_none() => {
                let cause = format!("the SMTP session with {at} ended early — {}", e.message);
                j.not_checked(
                    Subject::Mx,
                    &cause,
                    &format!("could not check {at}: {}", e.message),
                );
                continue;
            }
            _ => {}
        }
        if let Some(v) = &a.tls_version {
            if matches!(v.as_str(), "SSLv3" | "TLSv1.0" | "TLSv1.1" | "TLSv1") {
                j.push(fault(
                    MX_TLS,
                    format!("{at} negotiated {v}, below TLS 1.2"),
                    "enable TLS 1.2 and 1.3",
                ));
            }
        }
        certificate(j, &at, a, fault);
        if let Some(c) = &a.certificate {
            expiring(j, name, c, Subject::Mx);
        }
    }
    dane(j, mx);
}

/// The certificate's validity for the MX name, as the probe verified it.
fn certificate(
    j: &mut Judging<'_>,
    at: &str,
    a: &AddressProbe,
    fault: impl Fn(Code, String, &str) -> Finding,
) {
    if a.valid_for_host != Some(false) {
        return;
    }
    let self_signed = a.certificate.as_ref().and_then(|c| c.self_signed) == Some(true);
    let kind = a.invalid.as_ref().map(|e| e.kind);
    let f = match kind {
        Some(ErrorKind::CertificateName) => {
            let names = a
                .certificate
                .as_ref()
                .map(|c| c.subject_names.join(", "))
                .unwrap_or_default();
            fault(
                MX_CERTIFICATE_NAME,
                format!("the certificate of {at} is not valid for that name (it names {names})"),
                "serve a certificate that names the MX host",
            )
        }
        Some(ErrorKind::CertificateExpired) => fault(
            MX_CERTIFICATE_EXPIRED,
            format!(
                "the certificate of {at} has expired{}",
                until(a.certificate.as_ref())
            ),
            "renew the certificate and automate renewal",
        ),
        _ if self_signed => fault(
            MX_CERTIFICATE_UNTRUSTED,
            format!("{at} presents a self-signed certificate"),
            "serve a certificate from a public CA with its full chain",
        ),
        _ => fault(
            MX_CERTIFICATE_UNTRUSTED,
            format!(
                "the certificate of {at} does not chain to a trusted root{}",
                a.invalid
                    .as_ref()
                    .map_or(String::new(), |e| format!(" — {}", e.message))
            ),
            "serve a certificate from a public CA with its full chain",
        ),
    };
    j.push(f);
}

fn until(c: Option<&CertificateFacts>) -> String {
    c.and_then(|c| c.not_after)
        .map_or(String::new(), |t| format!(" (on {})", date(t)))
}

/// A certificate that is still valid but expires within [`EXPIRY_WARNING_DAYS`].
fn expiring(j: &mut Judging<'_>, host: &str, c: &CertificateFacts, subject: Subject) {
    let Some(end) = c.not_after else { return };
    let now = j.ev.observed_at;
    if end <= now || end - now > EXPIRY_WARNING_DAYS * 86_400 {
        return;
    }
    let days = (end - now) / 86_400;
    let severity = if end - now <= EXPIRY_ERROR_DAYS * 86_400 {
        Severity::Error
    } else {
        Severity::Warning
    };
    j.push(
        Finding::new(
            CERTIFICATE_EXPIRING,
            subject,
            format!(
                "the certificate of {host} expires on {} (in {days} day(s))",
                date(end)
            ),
        )
        .severity(severity)
        .priority(if severity == Severity::Error {
            Priority::High
        } else {
            Priority::Medium
        })
        .fix(format!(
            "renew the certificate of {host} now and check that automatic renewal works"
        )),
    );
}

/// DANE for one MX host: its TLSA records against each presented chain.
fn dane(j: &mut Judging<'_>, mx: &MxProbe) {
    let owner = format!("_25._tcp.{}", mx.host.trim_end_matches('.'));
    let Some(l) = j.ev.tlsa.iter().find(|l| same_host(&l.name, &owner)) else {
        return;
    };
    if l.status() != LookupStatus::Found {
        return;
    }
    if !l.authenticated {
        return; // dane-unsigned, judged with the DNS answers (judge::dnssec)
    }
    // Usages 2 (DANE-TA) and 3 (DANE-EE) are the ones SMTP uses (RFC 7672 §3.1).
    let records: Vec<(u8, u8, u8, String)> = l
        .answers
        .iter()
        .filter_map(|r| match &r.data {
            RecordData::Tlsa {
                usage: u @ (2 | 3),
                selector,
                matching_type,
                data,
            } => Some((*u, *selector, *matching_type, data.to_ascii_lowercase())),
            _ => None,
        })
        .collect();
    if records.is_empty() {
        return;
    }
    for a in mx.addresses.iter().filter(|a| !a.chain.is_empty()) {
        let matched = records.iter().any(|(usage, selector, matching, data)| {
            let certs = if *usage == 3 {
                &a.chain[..1]
            } else {
                &a.chain[1..]
            };
            certs
                .iter()
                .any(|c| c.association(*selector, *matching) == Some(data.as_str()))
        });
        if !matched {
            j.push(
                Finding::new(
                    DANE_MISMATCH,
                    Subject::Dane,
                    format!(
                        "the certificate chain of {} ({}) matches none of the {} TLSA record(s) at {owner}: DANE senders refuse to deliver to it",
                        mx.host, a.address, records.len()
                    ),
                )
                .fix("publish a TLSA record for the key the host serves (keep the old one during a rollover)"),
            );
        }
    }
}

/// Folds one session into the host's row: STARTTLS only when every address offers it; the
/// first certificate and version seen; invalid when any address's certificate is.
fn summarise(h: &mut MxHost, a: &AddressProbe) {
    if let Some(s) = a.starttls {
        h.starttls = Some(h.starttls.unwrap_or(true) && s);
    }
    if h.tls_version.is_none() {
        h.tls_version.clone_from(&a.tls_version);
    }
    if h.certificate.is_none() {
        h.certificate.clone_from(&a.certificate);
    }
    if let Some(v) = a.valid_for_host {
        h.valid_for_host = Some(h.valid_for_host.unwrap_or(true) && v);
    }
    if h.error.is_none() {
        h.error = a
            .error
            .as_ref()
            .or(a.invalid.as_ref())
            .map(|e| format!("{}: {}", a.address, e.message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::assess;
    use crate::observe::build::{EvidenceBuilder, BUILT_AT};
    use crate::observe::evidence::{Evidence, LookupError};
    use crate::observe::smtp::{AddressProbe, ChainCertificate};
    use crate::report::{ItemStatus, Report, Verdict};

    fn both_good() -> EvidenceBuilder {
        Evidence::builder("example.com")
            .smtp(
                "mx1.example.com",
                EvidenceBuilder::good_session("mx1.example.com"),
            )
            .smtp(
                "mx2.example.com",
                EvidenceBuilder::good_session("mx2.example.com"),
            )
    }

    fn mx2(change: impl FnOnce(&mut AddressProbe)) -> EvidenceBuilder {
        let mut s = EvidenceBuilder::good_session("mx2.example.com");
        change(&mut s);
        Evidence::builder("example.com")
            .smtp(
                "mx1.example.com",
                EvidenceBuilder::good_session("mx1.example.com"),
            )
            .smtp("mx2.example.com", s)
    }

    fn item(r: &Report, check: &str) -> ItemStatus {
        r.readiness
            .as_ref()
            .and_then(|x| x.items.iter().find(|i| i.check == check))
            .map(|i| i.status)
            .expect("item")
    }

    fn codes(r: &Report) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn good_hosts_pass_and_fill_the_rows() {
        let r = assess(&both_good().build());
        assert_eq!(r.verdict, Verdict::Pass, "{:?}", codes(&r));
        assert_eq!(item(&r, "mx-tls"), ItemStatus::Ok);
        let h = &r.mx_hosts[0];
        assert_eq!((h.starttls, h.valid_for_host), (Some(true), Some(true)));
        assert_eq!(h.tls_version.as_deref(), Some("TLSv1.3"));
        let rd = r.readiness.expect("readiness");
        assert_eq!(rd.stage, "enforce");
        assert!(rd.next_step.starts_with("Keep it so"), "{}", rd.next_step);
    }

    #[test]
    fn without_a_probe_the_mx_tls_is_not_checked_and_says_how() {
        let r = assess(&Evidence::builder("example.com").build());
        assert_eq!(r.verdict, Verdict::Pass);
        let rd = r.readiness.expect("readiness");
        let i = rd.items.iter().find(|i| i.check == "mx-tls").expect("item");
        assert_eq!(i.status, ItemStatus::NotChecked);
        assert!(
            i.text.contains("mtasts check --smtp example.com"),
            "{}",
            i.text
        );
        assert!(r.mx_hosts.iter().all(|h| h.starttls.is_none()));
    }

    #[test]
    fn faults_are_errors_under_enforce_and_warnings_under_testing() {
        let cases: Vec<(EvidenceBuilder, Code)> = vec![
            (
                mx2(|s| {
                    s.starttls = Some(false);
                    s.tls_version = None;
                    s.certificate = None;
                    s.valid_for_host = None;
                }),
                MX_STARTTLS_MISSING,
            ),
            (
                mx2(|s| {
                    s.valid_for_host = Some(false);
                    s.invalid = Some(LookupError {
                        kind: ErrorKind::CertificateName,
                        message: "not valid for name".into(),
                    });
                    if let Some(c) = &mut s.certificate {
                        c.subject_names = vec!["smtp.provider.test".into()];
                    }
                }),
                MX_CERTIFICATE_NAME,
            ),
            (
                mx2(|s| {
                    s.valid_for_host = Some(false);
                    s.invalid = Some(LookupError {
                        kind: ErrorKind::CertificateExpired,
                        message: "expired".into(),
                    });
                    if let Some(c) = &mut s.certificate {
                        c.not_after = Some(BUILT_AT - 86_400);
                    }
                }),
                MX_CERTIFICATE_EXPIRED,
            ),
            (
                mx2(|s| {
                    s.valid_for_host = Some(false);
                    s.invalid = Some(LookupError {
                        kind: ErrorKind::CertificateUntrusted,
                        message: "unknown issuer".into(),
                    });
                    if let Some(c) = &mut s.certificate {
                        c.self_signed = Some(true);
                    }
                }),
                MX_CERTIFICATE_UNTRUSTED,
            ),
            (
                mx2(|s| {
                    s.tls_version = None;
                    s.certificate = None;
                    s.valid_for_host = None;
                    s.error = Some(LookupError {
                        kind: ErrorKind::Tls,
                        message: "received fatal alert: ProtocolVersion".into(),
                    });
                }),
                MX_TLS,
            ),
        ];
        for (b, code) in cases {
            let r = assess(&b.build());
            let f = r
                .with_code(code)
                .next()
                .unwrap_or_else(|| panic!("{code}: {:?}", codes(&r)));
            assert_eq!(f.severity, Severity::Error, "{code}");
            assert!(f.message.contains("mx2.example.com"), "{}", f.message);
            assert_eq!(r.verdict, Verdict::Fail);
            assert_eq!(item(&r, "mx-tls"), ItemStatus::Problem, "{code}");
        }
        // Under testing: a warning that says what enforce would do, and not ready.
        let testing = "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 604800\r\n";
        let r = assess(
            &mx2(|s| s.starttls = Some(false))
                .response(200, "text/plain", testing)
                .build(),
        );
        let f = r.with_code(MX_STARTTLS_MISSING).next().expect("finding");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("under enforce"), "{}", f.message);
        assert!(r
            .readiness
            .expect("r")
            .next_step
            .starts_with("Fix the problems"));
    }

    #[test]
    fn sessions_that_could_not_be_held_are_could_not_check() {
        // A 421 at connect on one host.
        let r = assess(
            &mx2(|s| {
                *s = AddressProbe {
                    greeting: Some("421 too busy".into()),
                    error: Some(LookupError {
                        kind: ErrorKind::BadResponse,
                        message: "the server refused the session: 421 too busy".into(),
                    }),
                    ..AddressProbe::new("192.0.2.2:25")
                };
            })
            .build(),
        );
        assert_eq!(r.verdict, Verdict::Inconclusive, "{:?}", codes(&r));
        assert!(r.summary.contains("421"), "{}", r.summary);
        // Every host silent: port 25 is blocked from here, one cause.
        let silent = || AddressProbe {
            error: Some(LookupError {
                kind: ErrorKind::Timeout,
                message: "no greeting within 10 s".into(),
            }),
            ..AddressProbe::new("192.0.2.1:25")
        };
        let r = assess(
            &Evidence::builder("example.com")
                .smtp("mx1.example.com", silent())
                .smtp("mx2.example.com", silent())
                .build(),
        );
        assert_eq!(r.verdict, Verdict::Inconclusive);
        assert!(r.summary.contains("port 25"), "{}", r.summary);
        assert_eq!(r.with_code(crate::judge::LOOKUP_FAILED).count(), 1);
    }

    #[test]
    fn certificates_about_to_expire() {
        for (days, severity) in [(5, Severity::Warning), (2, Severity::Error)] {
            let r = assess(
                &mx2(|s| {
                    if let Some(c) = &mut s.certificate {
                        c.not_after = Some(BUILT_AT + days * 86_400 + 60);
                    }
                })
                .build(),
            );
            let f = r.with_code(CERTIFICATE_EXPIRING).next().expect("expiring");
            assert_eq!(f.severity, severity, "{days} days");
            assert!(
                f.message.contains(&date(BUILT_AT + days * 86_400 + 60)),
                "{}",
                f.message
            );
        }
        let r = assess(&both_good().build());
        assert_eq!(r.with_code(CERTIFICATE_EXPIRING).count(), 0);
        // The policy host's certificate too.
        let mut ev = both_good().build();
        if let Some(c) = ev
            .policy_fetch
            .as_mut()
            .and_then(|f| f.certificate.as_mut())
        {
            c.not_after = Some(BUILT_AT + 7 * 86_400);
        }
        let r = assess(&ev);
        assert!(r
            .with_code(CERTIFICATE_EXPIRING)
            .any(|f| f.message.contains("mta-sts.example.com")));
        assert_eq!(item(&r, "policy-certificate"), ItemStatus::Problem);
    }

    fn chain(spki_sha256: &str) -> Vec<ChainCertificate> {
        vec![ChainCertificate {
            cert: "30".into(),
            cert_sha256: "00".repeat(32),
            cert_sha512: "00".repeat(64),
            spki: "30".into(),
            spki_sha256: spki_sha256.into(),
            spki_sha512: "00".repeat(64),
        }]
    }

    #[test]
    fn dane_records_are_matched_against_the_chain() {
        // `tlsa()` publishes 3 1 1 abab…: the chain's key hash decides.
        let signed = |key: &str| {
            let mut ev = Evidence::builder("example.com")
                .tlsa("mx1.example.com")
                .smtp(
                    "mx1.example.com",
                    AddressProbe {
                        chain: chain(key),
                        ..EvidenceBuilder::good_session("mx1.example.com")
                    },
                )
                .build();
            ev.tlsa[0].authenticated = true;
            assess(&ev)
        };
        assert_eq!(signed(&"ab".repeat(32)).with_code(DANE_MISMATCH).count(), 0);
        let r = signed(&"cd".repeat(32));
        assert_eq!(r.with_code(DANE_MISMATCH).count(), 1);
        assert_eq!(r.verdict, Verdict::Fail);
        // Unsigned TLSA: a warning, nothing matched.
        let r = assess(
            &Evidence::builder("example.com")
                .tlsa("mx1.example.com")
                .smtp(
                    "mx1.example.com",
                    AddressProbe {
                        chain: chain(&"cd".repeat(32)),
                        ..EvidenceBuilder::good_session("mx1.example.com")
                    },
                )
                .build(),
        );
        assert_eq!(r.with_code(DANE_UNSIGNED).count(), 1);
        assert_eq!(r.with_code(DANE_MISMATCH).count(), 0);
    }

    /// Evidence of schema 1 (before the probe existed) still reads and is judged.
    #[test]
    fn schema_1_evidence_still_reads() {
        let mut v = serde_json::to_value(Evidence::builder("example.com").build()).expect("json");
        v["schema_version"] = 1.into();
        if let Some(o) = v.as_object_mut() {
            o.remove("smtp");
        }
        if let Some(c) = v["policy_fetch"]["certificate"].as_object_mut() {
            c.remove("self_signed");
        }
        let ev: Evidence = serde_json::from_value(v).expect("schema 1 reads");
        assert!(ev.smtp.is_none());
        let r = assess(&ev);
        assert_eq!(r.verdict, Verdict::Pass);
        assert_eq!(item(&r, "mx-tls"), ItemStatus::NotChecked);
    }
}
