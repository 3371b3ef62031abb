//! The policy fetch (RFC 8461 §3.3): failures, redirects, statuses, the Content-Type, the body
//! through the policy grammar (RFC 8461 §3.2), and the certificate (RFC 6125).

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Priority, Subject};
use crate::judge::judging::Judging;
use crate::judge::record::Sts;
use crate::observe::evidence::{
    ErrorKind, Evidence, LookupError, LookupStatus, PolicyFetch, RecordType,
};
use crate::records::policy::{check_policy, Policy, MAX_POLICY_BYTES, TOO_LARGE};

code!(POLICY_HOST_DANGLING = "policy-host-dangling", Error, High, "RFC 8461 §3.3", "The policy host is an alias of a name that does not exist",
    what: "Whether `mta-sts.<domain>` is a CNAME whose target does not resolve (NXDOMAIN, or no address at all).",
    why: "A dangling alias is a takeover risk: whoever can claim the target name (a deleted cloud site, an expired hosting account, a removed pages project) can serve a policy for your domain and get a certificate for it. Meanwhile senders cannot fetch your policy.",
    example: "`mta-sts.example.com` is a CNAME of `example-mta-sts.azurewebsites.net`, and that site was deleted.",
    fix: "Remove the CNAME, or point it at a host you control that serves the policy over HTTPS. Then check the other aliases of the zone for the same problem.",
    bad: Example::Scenario("dangling.test"),
    good: Example::Scenario("good.test"));

/// Judges a CNAME of the policy host whose target does not resolve.
pub(crate) fn dangling(j: &mut Judging<'_>) {
    if host_addresses(j.ev) != HostAddresses::None {
        return;
    }
    let target = j.ev.policy_host.iter().find_map(|l| {
        l.answers
            .iter()
            .find_map(|r| match &r.data {
                crate::observe::evidence::RecordData::Cname { target } => Some(target.clone()),
                _ => None,
            })
            .or_else(|| l.cname_chain.last().cloned())
    });
    if let Some(target) = target {
        let host = format!("mta-sts.{}", j.domain);
        let target = target.trim_end_matches('.').to_owned();
        j.push(
            Finding::new(
                POLICY_HOST_DANGLING,
                Subject::Fetch,
                format!(
                    "{host} is an alias (CNAME) of {target}, which does not exist: whoever can claim {target} can serve a policy for {} and obtain a certificate for it",
                    j.domain
                ),
            )
            .fix(format!("remove the CNAME at {host}, or point it at a host you control that serves the policy")),
        );
    }
}

code!(POLICY_UNREACHABLE = "policy-unreachable", Error, High, "RFC 8461 §3.3", "The policy file could not be fetched",
    what: "Whether `https://mta-sts.<domain>/.well-known/mta-sts.txt` answers: the name resolves, a connection opens and a response arrives in time.",
    why: "Senders that find the TXT record but cannot fetch the policy have no policy to apply (new senders) or keep an old cached one until max_age runs out. In enforce, a policy host that stays down means senders cannot refresh, and a stale policy may reject a new MX.",
    example: "`mta-sts.example.com` has no A/AAAA record, or the connection times out.",
    fix: "Create the `mta-sts` host (A/AAAA or CNAME) and serve the policy over HTTPS on port 443.",
    bad: Example::Scenario("unreachable.test"),
    good: Example::Scenario("good.test"));

code!(POLICY_TLS = "policy-tls", Error, High, "RFC 8461 §3.3 (RFC 6125)", "The policy host's certificate is not valid",
    what: "Whether the policy host presents a certificate that is unexpired, chains to a trusted root and is valid for `mta-sts.<domain>` (a wildcard only as the whole left-most label).",
    why: "Senders must not use a policy fetched over an invalid certificate, so the domain effectively has no policy. With delegated hosting, a certificate for the provider's name instead of yours is a common cause.",
    example: "A certificate for `www.example.com` served on `mta-sts.example.com`, or an expired one.",
    fix: "Issue a certificate that names `mta-sts.<domain>` (e.g. with ACME) and renew it automatically.",
    bad: Example::Scenario("expired.test"),
    good: Example::Scenario("good.test"));

code!(POLICY_REDIRECT = "policy-redirect", Error, High, "RFC 8461 §3.3", "The policy URL redirects",
    what: "Whether the policy URL answers with a 3xx redirect.",
    why: "RFC 8461 §3.3: senders MUST NOT follow redirects, so a redirected policy is no policy. Some checkers follow redirects and wrongly pass such domains.",
    example: "`301 Moved Permanently` to `https://www.example.com/.well-known/mta-sts.txt`.",
    fix: "Serve the policy directly at `https://mta-sts.<domain>/.well-known/mta-sts.txt` with status 200.",
    bad: Example::Scenario("redirect.test"),
    good: Example::Scenario("good.test"));

code!(POLICY_HTTP_STATUS = "policy-http-status", Error, High, "RFC 8461 §3.3", "The policy URL does not answer 200",
    what: "The HTTP status of the policy fetch: only 200 counts.",
    why: "Senders treat any other status as a failed fetch: no policy.",
    example: "`404 Not Found` (the file is not at `/.well-known/mta-sts.txt`) or `403 Forbidden`.",
    fix: "Serve the file at exactly `/.well-known/mta-sts.txt` with status 200.",
    bad: Example::Scenario("notfound.test"),
    good: Example::Scenario("good.test"));

code!(POLICY_CONTENT_TYPE = "policy-content-type", Warning, Low, "RFC 8461 §3.2", "The policy is not served as `text/plain`",
    what: "The `Content-Type` of the policy: it SHOULD be `text/plain`, with no charset or `utf-8`/`us-ascii`.",
    why: "Strict senders may refuse other media types; a `text/html` type often means a page is served instead of the policy.",
    example: "`Content-Type: application/octet-stream` or `text/plain; charset=iso-8859-1`.",
    fix: "Serve the file as `Content-Type: text/plain` (for example `charset=utf-8`).",
    bad: Example::Scenario("ctype.test"),
    good: Example::Scenario("good.test"));

/// What the fetch served.
pub(crate) struct Served {
    /// The valid policy senders would use, when the TXT record lets them fetch one.
    pub(crate) policy: Option<Policy>,
    /// A valid policy is served at the URL (even when senders would not fetch it).
    pub(crate) found: bool,
}

/// Judges the fetch, given what the TXT record said.
pub(crate) fn judge(j: &mut Judging<'_>, sts: Sts) -> Served {
    let mut served = Served {
        policy: None,
        found: false,
    };
    match (&j.ev.policy_fetch, sts) {
        // Senders never fetch without the TXT record; only note a published policy.
        (Some(f), Sts::Absent) => served.found = serves_valid_policy(f),
        (None, Sts::Absent) => {}
        (None, _) => j.not_checked(
            Subject::Fetch,
            "the policy file was not fetched",
            "could not check the policy file: it was not fetched",
        ),
        (Some(f), _) => {
            match &f.error {
                Some(e) => error(j, e),
                None => served.policy = response(j, f),
            }
            served.found = served.policy.is_some();
            if sts == Sts::Valid && served.policy.is_none() {
                // Policy unusable while the TXT record says there is one: urgent.
                for f in j.findings.iter_mut().filter(|f| {
                    matches!(f.subject, Subject::Fetch | Subject::Policy) && f.is_error()
                }) {
                    f.priority = Priority::High;
                }
            }
        }
    }
    served
}

fn serves_valid_policy(f: &PolicyFetch) -> bool {
    f.error.is_none()
        && f.status == Some(200)
        && f.body
            .as_ref()
            .is_some_and(|b| check_policy(&b.0).policy.is_some())
}

/// What DNS over HTTPS said of the policy host's addresses (A and AAAA).
#[derive(PartialEq)]
enum HostAddresses {
    /// At least one address.
    Some,
    /// Both answered: no address (NXDOMAIN or NODATA).
    None,
    /// Not recorded, or a lookup failed: DNS over HTTPS does not tell.
    Unknown,
}

fn host_addresses(ev: &Evidence) -> HostAddresses {
    let lookups: Vec<_> = ev
        .policy_host
        .iter()
        .filter(|l| matches!(l.qtype, RecordType::A | RecordType::AAAA))
        .collect();
    if lookups.iter().any(|l| l.status() == LookupStatus::Found) {
        HostAddresses::Some
    } else if lookups.iter().any(|l| l.status() == LookupStatus::NxDomain)
        || (lookups.len() == 2 && lookups.iter().all(|l| l.status() == LookupStatus::NoData))
    {
        HostAddresses::None
    } else {
        HostAddresses::Unknown
    }
}

/// A fetch that produced no usable response. A failure on the checker's own side (its platform,
/// its resolver) is "could not check", never a fault of the domain.
fn error(j: &mut Judging<'_>, e: &LookupError) {
    let host = format!("mta-sts.{}", j.domain);
    let addresses = host_addresses(j.ev);
    let detail = if e.message.is_empty() {
        String::new()
    } else {
        format!(" — {}", e.message)
    };
    let checker_side = match e.kind {
        ErrorKind::CheckerSide => Some(format!("the policy fetch failed on the checker's side{detail}")),
        // The fetcher's own resolver failed, yet DNS over HTTPS has addresses (or did not answer).
        ErrorKind::Dns if addresses == HostAddresses::Some => Some(format!(
            "the checker's own resolver could not resolve {host}, although DNS over HTTPS gives it addresses{detail}"
        )),
        ErrorKind::Dns if addresses == HostAddresses::Unknown && !j.ev.policy_host.is_empty() => {
            Some(format!("{host} could not be resolved from where this check ran{detail}"))
        }
        _ => None,
    };
    if let Some(cause) = checker_side {
        let message = format!("could not check the policy file: {cause}");
        j.not_checked(Subject::Fetch, &cause, &message);
        return;
    }
    let host_missing = addresses == HostAddresses::None || e.kind == ErrorKind::Dns;
    let (code, msg, fix) = match e.kind {
        ErrorKind::CertificateExpired => (
            POLICY_TLS,
            format!("the certificate of {host} has expired"),
            "renew the certificate (automate it with ACME)".to_owned(),
        ),
        ErrorKind::CertificateName => (
            POLICY_TLS,
            format!("the certificate served by {host} is not valid for that name"),
            format!("serve a certificate that names {host}"),
        ),
        ErrorKind::CertificateUntrusted => (
            POLICY_TLS,
            format!("the certificate of {host} does not chain to a trusted root"),
            "serve the full chain from a public CA".to_owned(),
        ),
        ErrorKind::Tls => (
            POLICY_TLS,
            format!("the TLS handshake with {host} failed"),
            "serve TLS 1.2 or later with a valid certificate".to_owned(),
        ),
        ErrorKind::Timeout => (
            POLICY_UNREACHABLE,
            format!("{host} did not answer in time, as seen from where this check ran"),
            format!("make sure {host} answers HTTPS on port 443"),
        ),
        _ if host_missing => (
            POLICY_UNREACHABLE,
            format!("{host} does not resolve (no A/AAAA record)"),
            format!("create {host} (A/AAAA or CNAME) and serve the policy over HTTPS"),
        ),
        _ => (
            POLICY_UNREACHABLE,
            format!("the policy could not be fetched from {host}"),
            format!("make sure {host} answers HTTPS on port 443"),
        ),
    };
    // A dash, not parentheses: the transport's message often ends in a parenthesis of its own.
    j.push(Finding::new(code, Subject::Fetch, format!("{msg}{detail}")).fix(fix));
}

/// A response: its status, then (for 200) its Content-Type and body; the certificate either way.
fn response(j: &mut Judging<'_>, f: &PolicyFetch) -> Option<Policy> {
    let mut policy = None;
    match f.status {
        Some(s @ 300..=399) => {
            j.push(
                Finding::new(
                    POLICY_REDIRECT,
                    Subject::Fetch,
                    format!(
                "the policy URL answers {s} with a redirect{}; senders never follow redirects",
                f.location.as_deref().map_or(String::new(), |l| format!(" to {l}"))
            ),
                )
                .fix(format!(
                    "serve the policy directly at {} with status 200",
                    f.url
                )),
            )
        }
        Some(200) => {
            content_type(j, f.header("content-type").unwrap_or(""));
            if f.truncated {
                j.push(Finding::new(TOO_LARGE, Subject::Policy, format!("the policy body is larger than {MAX_POLICY_BYTES} bytes (64 KiB); reading stopped there")));
            }
            let body = f.body.as_ref().map_or(&[][..], |b| b.0.as_slice());
            let c = check_policy(body);
            policy = c.policy;
            j.findings.extend(c.findings);
        }
        Some(s) => j.push(
            Finding::new(
                POLICY_HTTP_STATUS,
                Subject::Fetch,
                format!("the policy URL answers HTTP {s}; only 200 counts"),
            )
            .fix(format!("serve the policy at {} with status 200", f.url)),
        ),
        None => j.not_checked(
            Subject::Fetch,
            "the policy fetch returned nothing",
            "could not check the policy file: no response was recorded",
        ),
    }
    certificate(j, f);
    policy
}

/// The Content-Type must be `text/plain`, with a UTF-8 or US-ASCII charset if any.
fn content_type(j: &mut Judging<'_>, ct: &str) {
    let mut parts = ct.split(';').map(str::trim);
    let media = parts.next().unwrap_or("").to_ascii_lowercase();
    let charset = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase());
    let fix = "Content-Type: text/plain; charset=utf-8";
    if media != "text/plain" {
        let what = if ct.is_empty() {
            "no Content-Type".to_owned()
        } else {
            format!("Content-Type `{ct}`")
        };
        j.push(
            Finding::new(
                POLICY_CONTENT_TYPE,
                Subject::Fetch,
                format!("the policy is served with {what}, not text/plain"),
            )
            .fix(fix),
        );
    } else if let Some(cs) = charset.filter(|c| c != "utf-8" && c != "us-ascii" && c != "utf8") {
        j.push(
            Finding::new(
                POLICY_CONTENT_TYPE,
                Subject::Fetch,
                format!("the policy is served with charset `{cs}`; use utf-8 or us-ascii"),
            )
            .fix(fix),
        );
    }
}

/// The certificate the transport saw: expired at the time of observation, or not naming the host.
fn certificate(j: &mut Judging<'_>, f: &PolicyFetch) {
    let Some(cert) = &f.certificate else {
        return;
    };
    let host = format!("mta-sts.{}", j.domain);
    if cert.not_after.is_some_and(|t| t < j.ev.observed_at) {
        j.push(
            Finding::new(
                POLICY_TLS,
                Subject::Fetch,
                format!("the certificate of {host} has expired"),
            )
            .fix("renew the certificate"),
        );
    } else if !cert.subject_names.is_empty()
        && !cert
            .subject_names
            .iter()
            .any(|n| certificate_name_matches(n, &host))
    {
        j.push(
            Finding::new(
                POLICY_TLS,
                Subject::Fetch,
                format!(
                    "the certificate names {} but not {host}",
                    cert.subject_names.join(", ")
                ),
            )
            .fix(format!("serve a certificate that names {host}")),
        );
    }
}

/// Does certificate name `name` cover `host` (RFC 6125 DNS-ID; wildcard only as a whole label)?
pub fn certificate_name_matches(name: &str, host: &str) -> bool {
    let name = name.trim_end_matches('.');
    let host = host.trim_end_matches('.');
    if let Some(suffix) = name.strip_prefix("*.") {
        host.split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest.eq_ignore_ascii_case(suffix))
    } else {
        name.eq_ignore_ascii_case(host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::assess;
    use crate::observe::build::{Lookup, BUILT_AT};
    use crate::observe::evidence::{CertificateFacts, Evidence, Rcode};

    fn codes(b: crate::observe::build::EvidenceBuilder) -> Vec<&'static str> {
        assess(&b.build())
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect()
    }

    const POLICY: &str = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 1209600\r\n";

    #[test]
    fn responses_table() {
        let e = || Evidence::builder("example.com");
        let rows: &[(crate::observe::build::EvidenceBuilder, Option<&str>)] = &[
            (e(), None),
            (e().response(200, "text/plain", POLICY), None),
            (
                e().response(200, "TEXT/PLAIN; Charset=\"UTF-8\"", POLICY),
                None,
            ),
            (
                e().response(200, "text/plain; charset=us-ascii", POLICY),
                None,
            ),
            // Not text/plain, or a charset a sender may not read as UTF-8.
            (
                e().response(200, "application/octet-stream", POLICY),
                Some("policy-content-type"),
            ),
            (
                e().response(200, "text/plain; charset=iso-8859-1", POLICY),
                Some("policy-content-type"),
            ),
            (e().response(200, "", POLICY), Some("policy-content-type")),
            // Only 200 counts, and redirects are never followed.
            (
                e().response(404, "text/plain", "Not Found"),
                Some("policy-http-status"),
            ),
            (
                e().response(500, "text/plain", ""),
                Some("policy-http-status"),
            ),
            (
                e().redirect(301, "https://elsewhere.example/"),
                Some("policy-redirect"),
            ),
            (
                e().redirect(307, "https://elsewhere.example/"),
                Some("policy-redirect"),
            ),
            // The cap was reached.
            (e().truncated(), Some("policy-too-large")),
            // Failures.
            (
                e().fetch_error(ErrorKind::Timeout, "slow"),
                Some("policy-unreachable"),
            ),
            (
                e().fetch_error(ErrorKind::Network, "refused"),
                Some("policy-unreachable"),
            ),
            (
                e().fetch_error(ErrorKind::Dns, "no such host"),
                Some("policy-unreachable"),
            ),
            (
                e().fetch_error(ErrorKind::CertificateExpired, "expired"),
                Some("policy-tls"),
            ),
            (
                e().fetch_error(ErrorKind::CertificateName, "wrong name"),
                Some("policy-tls"),
            ),
            (
                e().fetch_error(ErrorKind::CertificateUntrusted, "self-signed"),
                Some("policy-tls"),
            ),
            (
                e().fetch_error(ErrorKind::Tls, "handshake"),
                Some("policy-tls"),
            ),
        ];
        for (i, (b, want)) in rows.iter().enumerate() {
            let got = codes(b.clone());
            match want {
                Some(c) => assert!(got.contains(c), "row {i}: no {c} in {got:?}"),
                None => assert!(
                    !got.iter().any(|c| c.starts_with("policy-")),
                    "row {i}: {got:?}"
                ),
            }
        }
    }

    #[test]
    fn certificates_are_judged_at_the_time_of_observation() {
        let cert = |names: &[&str], not_after: u64| CertificateFacts {
            subject_names: names.iter().map(|n| (*n).to_owned()).collect(),
            issuer: None,
            not_before: None,
            not_after: Some(not_after),
            self_signed: None,
        };
        let e = || Evidence::builder("example.com");
        let later = BUILT_AT + 1;
        assert!(!codes(e().certificate(cert(&["*.example.com"], later))).contains(&"policy-tls"));
        assert!(
            codes(e().certificate(cert(&["mta-sts.example.com"], BUILT_AT - 1)))
                .contains(&"policy-tls")
        );
        assert!(codes(e().certificate(cert(&["www.example.com"], later))).contains(&"policy-tls"));
    }

    #[test]
    fn a_time_out_says_where_it_was_seen_and_causes_read_cleanly() {
        let r = assess(
            &Evidence::builder("example.com")
                .fetch_error(ErrorKind::Timeout, "no complete response within 10 s")
                .build(),
        );
        let f = r.with_code(POLICY_UNREACHABLE).next().expect("unreachable");
        assert!(
            f.message.contains("as seen from where this check ran"),
            "{}",
            f.message
        );
        let r = assess(
            &Evidence::builder("example.com")
                .answer(Lookup::Mx, Some(Rcode::ServFail))
                .build(),
        );
        assert!(!r.summary.contains("))"), "{}", r.summary);
        let r = assess(
            &Evidence::builder("example.com")
                .answer(Lookup::Mx, None)
                .build(),
        );
        assert!(
            r.summary.contains("as seen from where this check ran"),
            "{}",
            r.summary
        );
    }

    /// Nothing observed about the domain never becomes a verdict about it: a failure of the
    /// fetcher's own resolver, or of its platform, is "could not check" (issue 10 §1).
    #[test]
    fn failures_on_the_checkers_side_are_could_not_check() {
        let e = || Evidence::builder("example.com");
        let inconclusive = |b: crate::observe::build::EvidenceBuilder, why: &str| {
            let r = assess(&b.build());
            assert_eq!(
                r.verdict,
                crate::report::Verdict::Inconclusive,
                "{why}: {:#?}",
                r.findings
            );
            assert!(r.with_code(POLICY_UNREACHABLE).next().is_none(), "{why}");
            assert!(
                r.summary.contains("could not check") || r.summary.contains("Could not check"),
                "{why}: {}",
                r.summary
            );
            r
        };
        // The system resolver failed, but DNS over HTTPS shows the host has an address.
        let r = inconclusive(
            e().policy_host(&["192.0.2.1"])
                .fetch_error(ErrorKind::Dns, "failed to lookup address information"),
            "resolver failed, DoH has addresses",
        );
        assert!(
            r.summary
                .contains("although DNS over HTTPS gives it addresses"),
            "{}",
            r.summary
        );
        // DNS over HTTPS itself failed for the host.
        inconclusive(
            e().answer(Lookup::PolicyHost, None)
                .fetch_error(ErrorKind::Dns, "resolver unreachable"),
            "DoH failed too",
        );
        // The platform failed without saying why.
        inconclusive(
            e().fetch_error(ErrorKind::CheckerSide, "internal error"),
            "platform",
        );
        // Only an answer saying there is no address means the host does not resolve.
        for rcode in [Rcode::NxDomain, Rcode::NoError] {
            for kind in [ErrorKind::Dns, ErrorKind::Network] {
                let r = assess(
                    &e().answer(Lookup::PolicyHost, Some(rcode))
                        .fetch_error(kind, "no such host")
                        .build(),
                );
                let f = r.with_code(POLICY_UNREACHABLE).next().expect("unreachable");
                assert!(
                    f.message.contains("does not resolve"),
                    "{rcode:?} {kind:?}: {}",
                    f.message
                );
                assert_eq!(r.verdict, crate::report::Verdict::Fail);
            }
        }
    }

    #[test]
    fn without_the_txt_record_the_fetch_is_not_judged() {
        let b = Evidence::builder("example.com")
            .answer(Lookup::StsTxt, Some(Rcode::NxDomain))
            .fetch_error(ErrorKind::Dns, "no such host");
        let got = codes(b);
        assert!(got.contains(&"sts-absent"), "{got:?}");
        assert!(!got.contains(&"policy-unreachable"), "{got:?}");
    }

    #[test]
    fn certificate_names() {
        assert!(certificate_name_matches(
            "mta-sts.example.com",
            "mta-sts.example.com"
        ));
        assert!(certificate_name_matches(
            "*.example.com",
            "mta-sts.example.com"
        ));
        assert!(certificate_name_matches(
            "MTA-STS.Example.com",
            "mta-sts.example.com"
        ));
        assert!(!certificate_name_matches("*.com", "mta-sts.example.com"));
        assert!(!certificate_name_matches(
            "example.com",
            "mta-sts.example.com"
        ));
        assert!(!certificate_name_matches(
            "mta-sts*.example.com",
            "mta-sts.example.com"
        ));
    }
}
