//! Judging Evidence: `assess(&Evidence) -> Report` (RFC 8461 §3–§8, RFC 8460 §3, RFC 7505).
//!
//! Pure: no I/O and no clock (the evidence's `observed_at` is the time). A lookup that failed is
//! "could not check" (`lookup-failed`, verdict `inconclusive` when nothing else is broken), never
//! "missing".

use crate::code;
use crate::codes::{Code, Example};
use crate::finding::{sort_findings, Finding, Priority, Severity, Subject};
use crate::names::mx::mx_matches;
use crate::observe::evidence::SCHEMA_VERSION;
use crate::observe::evidence::{DnsLookup, ErrorKind, Evidence, LookupStatus};
use crate::records::policy::{check_policy, Mode, Policy, MAX_POLICY_BYTES, TOO_LARGE};
use crate::records::sts_txt::check_sts_txt;
use crate::records::tlsrpt::check_tlsrpt;
use crate::report::{MxHost, Report, Verdict};

code!(STS_ABSENT = "sts-absent", Warning, Low, "RFC 8461 §3.1", "MTA-STS is not deployed",
    what: "Whether the domain publishes an MTA-STS TXT record at `_mta-sts.<domain>` at all (the lookup answered: the name has no TXT record).",
    why: "Without MTA-STS, sending servers use opportunistic TLS, which an attacker on the path can strip or redirect. For most domains this is a maturity gap, not an emergency: mail still flows.",
    example: "`_mta-sts.example.com` answers NXDOMAIN.",
    fix: "Publish a policy in `testing` mode and a TLS-RPT record, read the reports for a few weeks, then switch to `enforce` (mtasts generate writes all three).",
    bad: Example::Scenario("none.test"),
    good: Example::Scenario("good.test"));

code!(LOOKUP_FAILED = "lookup-failed", Warning, Medium, "RFC 8461 §3.1, §3.3", "Could not check",
    what: "Whether every DNS lookup needed for the check got an answer (SERVFAIL, REFUSED, a timeout or a network error mean it did not).",
    why: "A failed lookup says nothing about whether the record exists. mtasts reports \"could not check\" rather than guess \"missing\". A SERVFAIL that persists is often a DNSSEC problem, which senders hit too.",
    example: "The MX lookup answered SERVFAIL, so MX coverage could not be checked.",
    fix: "Check again later. If it persists, test the zone's DNSSEC and name servers (SERVFAIL on a signed zone usually means broken signatures).",
    bad: Example::Scenario("servfail.test"),
    good: Example::Scenario("good.test"));

code!(STS_DELEGATED = "sts-txt-delegated", Info, Low, "RFC 8461 §8.2", "`_mta-sts` is a CNAME to a provider",
    what: "Whether `_mta-sts.<domain>` is delegated with a CNAME.",
    why: "Delegation is allowed and common with hosted MTA-STS. The policy host `mta-sts.<domain>` must still present a certificate for your own name, and the provider must change the id when it changes the policy.",
    example: "`_mta-sts.example.com CNAME _mta-sts.provider.example`",
    fix: "Nothing, if intended. Make sure `mta-sts.<domain>` is also delegated and serves a certificate for it.",
    bad: Example::Scenario("cname.test"),
    good: Example::Scenario("good.test"));

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

code!(MODE_NONE = "mode-none", Info, Low, "RFC 8461 §5, §8.3", "The policy is in mode `none`",
    what: "Whether the policy's mode is `none`.",
    why: "Senders treat the domain as having no MTA-STS policy. That is the right way to switch MTA-STS off (publish `none`, change the id, wait out the old max_age, then remove the records), but not a protection.",
    example: "`mode: none`",
    fix: "If you mean to protect mail, switch to `testing`, then `enforce`.",
    bad: Example::Scenario("modenone.test"),
    good: Example::Scenario("good.test"));

code!(MODE_TESTING = "mode-testing", Info, Low, "RFC 8461 §5", "The policy is in mode `testing`",
    what: "Whether the policy's mode is `testing`.",
    why: "Testing is the normal first step: senders report failures through TLS-RPT but still deliver. It does not protect against downgrade attacks yet.",
    example: "`mode: testing`",
    fix: "Read the TLS-RPT reports for a few weeks; when they show no failures, switch to `mode: enforce` and change the TXT id.",
    bad: Example::Scenario("testing-no-tlsrpt.test"),
    good: Example::Scenario("good.test"));

code!(MX_NOT_COVERED = "mx-not-covered", Error, High, "RFC 8461 §4.1, §5", "An MX host is not covered by the policy",
    what: "Whether every MX host of the domain matches some `mx` pattern of the policy. In enforce this is an error (high priority); in testing a warning.",
    why: "In enforce, senders refuse to deliver to an MX that matches no pattern: mail routed to it bounces or is delayed. This is the classic failure after a change of mail provider.",
    example: "MX `aspmx.l.google.com` while the policy lists only `mx: mail.protection.outlook.com`.",
    fix: "Add an `mx:` line for the host (or a `*.` pattern covering it), then change the TXT id. If in doubt, switch to testing first.",
    bad: Example::Scenario("stale.test"),
    good: Example::Scenario("good.test"));

code!(MX_PATTERN_UNUSED = "mx-pattern-unused", Warning, Medium, "RFC 8461 §4.1", "A policy pattern matches no MX host",
    what: "Whether each `mx` pattern of the policy matches at least one of the domain's MX hosts.",
    why: "A pattern that nothing uses is usually left over from a previous provider. It widens what senders accept as a legitimate MX.",
    example: "`mx: *.mail.protection.outlook.com` while all MX records point to Google.",
    fix: "Remove the stale `mx:` line and change the TXT id.",
    bad: Example::Scenario("stale.test"),
    good: Example::Scenario("good.test"));

code!(MX_NULL = "mx-null", Info, Low, "RFC 7505, RFC 8461 §4", "The domain accepts no mail (null MX)",
    what: "Whether the domain's only MX is the null MX `0 .` of RFC 7505.",
    why: "A null MX says the domain receives no mail, so MTA-STS does not apply.",
    example: "`example.com MX 0 .`",
    fix: "Nothing. Any MTA-STS records can be removed (switch them to mode none first if they were ever enforced).",
    bad: Example::Scenario("nullmx.test"),
    good: Example::Scenario("good.test"));

code!(MX_NONE = "mx-none", Warning, Medium, "RFC 5321 §5.1, RFC 8461 §4", "The domain has no MX records",
    what: "Whether the domain publishes MX records.",
    why: "Without MX records, senders deliver to the domain's own address (the implicit MX), which the policy must then cover. Usually MX records are simply missing.",
    example: "`example.com` answers MX with no records.",
    fix: "Publish MX records for the hosts that receive your mail, or a null MX (`0 .`) if the domain receives none.",
    bad: Example::Scenario("nomx.test"),
    good: Example::Scenario("good.test"));

code!(DOMAIN_NOT_FOUND = "domain-not-found", Error, High, "RFC 1035", "The domain does not exist",
    what: "Whether the domain exists in DNS (the MX lookup answered NXDOMAIN).",
    why: "A domain that does not exist receives no mail; most likely it was mistyped.",
    example: "`exmaple.com`",
    fix: "Check the spelling of the domain.",
    bad: Example::Scenario("nxdomain.test"),
    good: Example::Scenario("good.test"));

code!(TLSRPT_ABSENT = "tlsrpt-absent", Warning, Medium, "RFC 8460 §3", "No TLS-RPT record while MTA-STS is in use",
    what: "Whether `_smtp._tls.<domain>` has a TLS-RPT record while a policy is in testing or enforce.",
    why: "Without TLS-RPT nobody tells you when senders fail to validate your MX hosts, so testing shows nothing and enforce can break silently.",
    example: "A policy in testing and no record at `_smtp._tls.example.com`.",
    fix: "Publish `_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"`.",
    bad: Example::Scenario("testing-no-tlsrpt.test"),
    good: Example::Scenario("good.test"));

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

pub(crate) const CODES: &[Code] = &[
    STS_ABSENT,
    LOOKUP_FAILED,
    STS_DELEGATED,
    POLICY_UNREACHABLE,
    POLICY_TLS,
    POLICY_REDIRECT,
    POLICY_HTTP_STATUS,
    POLICY_CONTENT_TYPE,
    MODE_NONE,
    MODE_TESTING,
    MX_NOT_COVERED,
    MX_PATTERN_UNUSED,
    MX_NULL,
    MX_NONE,
    DOMAIN_NOT_FOUND,
    TLSRPT_ABSENT,
    DANE_TLSA,
    DNSSEC,
];

/// Matches MX hosts against the policy, adding `mx-not-covered` and `mx-pattern-unused`.
pub(crate) fn coverage(
    policy: &Policy,
    hosts: &[(String, Option<u16>)],
    findings: &mut Vec<Finding>,
) -> Vec<MxHost> {
    let enforce = policy.mode == Mode::Enforce;
    let judged = policy.mode != Mode::None;
    let out: Vec<MxHost> = hosts
        .iter()
        .map(|(host, preference)| MxHost {
            host: host.clone(),
            preference: *preference,
            covered_by: policy.mx.iter().find(|p| mx_matches(p, host)).cloned(),
        })
        .collect();
    if !judged || out.is_empty() {
        return out;
    }
    for h in out.iter().filter(|h| h.covered_by.is_none()) {
        let (sev, prio, effect) = if enforce {
            (
                Severity::Error,
                Priority::High,
                "senders that enforce MTA-STS will refuse to deliver to it",
            )
        } else {
            (Severity::Warning, Priority::Medium, "in enforce, senders would refuse to deliver to it; TLS-RPT reports will show failures")
        };
        findings.push(
            Finding::new(
                MX_NOT_COVERED,
                Subject::Mx,
                format!(
                    "MX host `{}` matches no `mx` pattern of the policy: {effect}",
                    h.host
                ),
            )
            .severity(sev)
            .priority(prio)
            .fix(format!("mx: {}", h.host)),
        );
    }
    for p in &policy.mx {
        if !out
            .iter()
            .any(|h| h.covered_by.as_deref() == Some(p.as_str()) || mx_matches(p, &h.host))
        {
            findings.push(
                Finding::new(MX_PATTERN_UNUSED, Subject::Mx, format!("the pattern `mx: {p}` matches none of the MX hosts (left over from a previous provider?)"))
                    .fix(format!("remove the line `mx: {p}` and change the TXT id")),
            );
        }
    }
    out
}

fn failed(
    findings: &mut Vec<Finding>,
    causes: &mut Vec<String>,
    subject: Subject,
    what: &str,
    lookup: &DnsLookup,
    why: &str,
) {
    let cause = format!(
        "the {} lookup for {} failed ({why})",
        lookup.qtype.as_str(),
        lookup.name
    );
    findings.push(Finding::new(
        LOOKUP_FAILED,
        subject,
        format!("could not check {what}: {cause}"),
    ));
    causes.push(cause);
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sts {
    Valid,
    Broken,
    Absent,
    Unknown,
}

/// Judges everything observed about a domain.
pub fn assess(ev: &Evidence) -> Report {
    let mut findings = Vec::new();
    let mut causes: Vec<String> = Vec::new();
    let domain = ev.domain.as_str();
    let policy_host = format!("mta-sts.{domain}");

    // MX (RFC 5321 §5.1, RFC 7505).
    let mut hosts: Vec<(String, Option<u16>)> = Vec::new();
    let mut null_mx = false;
    let mut mx_known = false;
    match ev.mx.status() {
        LookupStatus::Found => {
            mx_known = true;
            let mut recs: Vec<(u16, String)> = ev
                .mx
                .mx_records()
                .into_iter()
                .map(|(p, h)| (p, h.to_ascii_lowercase()))
                .collect();
            recs.sort();
            null_mx = recs.iter().all(|(_, h)| h.is_empty());
            hosts = recs
                .into_iter()
                .filter(|(_, h)| !h.is_empty())
                .map(|(p, h)| (h, Some(p)))
                .collect();
            if null_mx {
                findings.push(Finding::new(
                    MX_NULL,
                    Subject::Mx,
                    format!("{domain} publishes a null MX (RFC 7505): it receives no mail"),
                ));
            }
        }
        LookupStatus::NoData => {
            mx_known = true;
            findings.push(
                Finding::new(MX_NONE, Subject::Mx, format!("{domain} has no MX records; senders deliver to the domain's own address (implicit MX)"))
                    .fix(format!("publish MX records for {domain}, or `{domain}. MX 0 .` if it receives no mail")),
            );
            hosts.push((domain.to_owned(), None));
        }
        LookupStatus::NxDomain => {
            findings.push(Finding::new(
                DOMAIN_NOT_FOUND,
                Subject::Domain,
                format!("{domain} does not exist (NXDOMAIN)"),
            ));
        }
        LookupStatus::Failed(_, why) => failed(
            &mut findings,
            &mut causes,
            Subject::Mx,
            "the MX hosts",
            &ev.mx,
            &why,
        ),
    }

    // The _mta-sts TXT record (RFC 8461 §3.1).
    let mut sts_record = None;
    let sts = match ev.sts_txt.status() {
        LookupStatus::Found => {
            let c = check_sts_txt(&ev.sts_txt.txt_records());
            let valid = c.is_valid();
            sts_record = c.record;
            findings.extend(c.findings);
            if !ev.sts_txt.cname_chain.is_empty() {
                findings.push(Finding::new(
                    STS_DELEGATED,
                    Subject::StsTxt,
                    format!(
                        "_mta-sts.{domain} is delegated: {}",
                        ev.sts_txt.cname_chain.join(" → ")
                    ),
                ));
            }
            if valid {
                Sts::Valid
            } else {
                Sts::Broken
            }
        }
        LookupStatus::NoData | LookupStatus::NxDomain => Sts::Absent,
        LookupStatus::Failed(_, why) => {
            failed(
                &mut findings,
                &mut causes,
                Subject::StsTxt,
                "the MTA-STS record",
                &ev.sts_txt,
                &why,
            );
            Sts::Unknown
        }
    };

    // The policy file (RFC 8461 §3.2, §3.3).
    let mut policy: Option<Policy> = None;
    let mut served_policy = false;
    match (&ev.policy_fetch, sts) {
        (Some(f), Sts::Absent) => {
            // Senders never fetch without the TXT record; only note a published policy.
            if f.error.is_none() && f.status == Some(200) {
                if let Some(b) = &f.body {
                    served_policy = check_policy(&b.0).policy.is_some();
                }
            }
        }
        (None, Sts::Absent) => {}
        (None, _) => {
            causes.push("the policy file was not fetched".into());
            findings.push(Finding::new(
                LOOKUP_FAILED,
                Subject::Fetch,
                "could not check the policy file: it was not fetched",
            ));
        }
        (Some(f), _) => {
            if let Some(e) = &f.error {
                let host_missing = ev
                    .policy_host
                    .iter()
                    .any(|l| matches!(l.status(), LookupStatus::NxDomain))
                    || e.kind == ErrorKind::Dns;
                let (code, msg, fix) = match e.kind {
                    ErrorKind::CertificateExpired => (POLICY_TLS, format!("the certificate of {policy_host} has expired"), "renew the certificate (automate it with ACME)".to_owned()),
                    ErrorKind::CertificateName => (POLICY_TLS, format!("the certificate served by {policy_host} is not valid for that name"), format!("serve a certificate that names {policy_host}")),
                    ErrorKind::CertificateUntrusted => (POLICY_TLS, format!("the certificate of {policy_host} does not chain to a trusted root"), "serve the full chain from a public CA".to_owned()),
                    ErrorKind::Tls => (POLICY_TLS, format!("the TLS handshake with {policy_host} failed"), "serve TLS 1.2 or later with a valid certificate".to_owned()),
                    ErrorKind::Timeout => (POLICY_UNREACHABLE, format!("{policy_host} did not answer in time"), format!("make sure {policy_host} answers HTTPS on port 443")),
                    _ if host_missing => (POLICY_UNREACHABLE, format!("{policy_host} does not resolve (no A/AAAA record)"), format!("create {policy_host} (A/AAAA or CNAME) and serve the policy over HTTPS")),
                    _ => (POLICY_UNREACHABLE, format!("the policy could not be fetched from {policy_host}"), format!("make sure {policy_host} answers HTTPS on port 443")),
                };
                let detail = if e.message.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.message)
                };
                findings
                    .push(Finding::new(code, Subject::Fetch, format!("{msg}{detail}")).fix(fix));
            } else {
                match f.status {
                    Some(s @ 300..=399) => findings.push(
                        Finding::new(POLICY_REDIRECT, Subject::Fetch, format!(
                            "the policy URL answers {s} with a redirect{}; senders never follow redirects",
                            f.location.as_deref().map_or(String::new(), |l| format!(" to {l}"))
                        ))
                        .fix(format!("serve the policy directly at {} with status 200", f.url)),
                    ),
                    Some(200) => {
                        let ct = f.header("content-type").unwrap_or("");
                        let mut parts = ct.split(';').map(str::trim);
                        let media = parts.next().unwrap_or("").to_ascii_lowercase();
                        let charset = parts
                            .filter_map(|p| p.split_once('='))
                            .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
                            .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase());
                        if media != "text/plain" {
                            let what = if ct.is_empty() { "no Content-Type".to_owned() } else { format!("Content-Type `{ct}`") };
                            findings.push(Finding::new(POLICY_CONTENT_TYPE, Subject::Fetch, format!("the policy is served with {what}, not text/plain")).fix("Content-Type: text/plain; charset=utf-8"));
                        } else if let Some(cs) = charset.filter(|c| c != "utf-8" && c != "us-ascii" && c != "utf8") {
                            findings.push(Finding::new(POLICY_CONTENT_TYPE, Subject::Fetch, format!("the policy is served with charset `{cs}`; use utf-8 or us-ascii")).fix("Content-Type: text/plain; charset=utf-8"));
                        }
                        if f.truncated {
                            findings.push(Finding::new(TOO_LARGE, Subject::Policy, format!("the policy body is larger than {MAX_POLICY_BYTES} bytes (64 KiB); reading stopped there")));
                        }
                        let body = f.body.as_ref().map_or(&[][..], |b| b.0.as_slice());
                        let c = check_policy(body);
                        policy = c.policy;
                        served_policy = policy.is_some();
                        findings.extend(c.findings);
                    }
                    Some(s) => findings.push(
                        Finding::new(POLICY_HTTP_STATUS, Subject::Fetch, format!("the policy URL answers HTTP {s}; only 200 counts"))
                            .fix(format!("serve the policy at {} with status 200", f.url)),
                    ),
                    None => {
                        causes.push("the policy fetch returned nothing".into());
                        findings.push(Finding::new(LOOKUP_FAILED, Subject::Fetch, "could not check the policy file: no response was recorded"));
                    }
                }
                if let Some(cert) = &f.certificate {
                    if cert.not_after.is_some_and(|t| t < ev.observed_at) {
                        findings.push(
                            Finding::new(
                                POLICY_TLS,
                                Subject::Fetch,
                                format!("the certificate of {policy_host} has expired"),
                            )
                            .fix("renew the certificate"),
                        );
                    } else if !cert.subject_names.is_empty()
                        && !cert
                            .subject_names
                            .iter()
                            .any(|n| certificate_name_matches(n, &policy_host))
                    {
                        findings.push(
                            Finding::new(
                                POLICY_TLS,
                                Subject::Fetch,
                                format!(
                                    "the certificate names {} but not {policy_host}",
                                    cert.subject_names.join(", ")
                                ),
                            )
                            .fix(format!("serve a certificate that names {policy_host}")),
                        );
                    }
                }
            }
            if sts == Sts::Valid && policy.is_none() {
                // Policy unusable while the TXT record says there is one: urgent.
                for f in findings.iter_mut().filter(|f| {
                    matches!(f.subject, Subject::Fetch | Subject::Policy) && f.is_error()
                }) {
                    f.priority = Priority::High;
                }
            }
        }
    }

    // Mode and MX coverage (RFC 8461 §4, §5).
    let mut mx_hosts = hosts
        .iter()
        .map(|(h, p)| MxHost {
            host: h.clone(),
            preference: *p,
            covered_by: None,
        })
        .collect();
    if let Some(p) = &policy {
        match p.mode {
            Mode::None => findings.push(Finding::new(
                MODE_NONE,
                Subject::Policy,
                "mode `none`: senders treat the domain as having no MTA-STS policy",
            )),
            Mode::Testing => findings.push(Finding::new(
                MODE_TESTING,
                Subject::Policy,
                "mode `testing`: senders report TLS failures but still deliver",
            )),
            Mode::Enforce => {}
        }
        if mx_known && !null_mx {
            mx_hosts = coverage(p, &hosts, &mut findings);
        } else if !mx_known && p.mode != Mode::None {
            causes.push("MX coverage could not be checked".into());
        }
    }

    // TLS-RPT (RFC 8460 §3).
    let mut tlsrpt = None;
    let rollout = policy.as_ref().is_some_and(|p| p.mode != Mode::None) || sts == Sts::Valid;
    match ev.tlsrpt_txt.status() {
        LookupStatus::Found => {
            let c = check_tlsrpt(&ev.tlsrpt_txt.txt_records());
            tlsrpt = c.record;
            findings.extend(c.findings);
        }
        LookupStatus::NoData | LookupStatus::NxDomain => {
            if rollout && !null_mx {
                let testing = policy.as_ref().is_some_and(|p| p.mode == Mode::Testing);
                let f = Finding::new(
                    TLSRPT_ABSENT,
                    Subject::Tlsrpt,
                    format!(
                        "no TLS-RPT record at _smtp._tls.{domain}{}",
                        if testing {
                            ": in testing mode the reports are the whole point"
                        } else {
                            ": nobody will hear about TLS failures"
                        }
                    ),
                )
                .fix(format!(
                    "_smtp._tls.{domain}. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\""
                ));
                findings.push(f);
            }
        }
        LookupStatus::Failed(_, why) => failed(
            &mut findings,
            &mut causes,
            Subject::Tlsrpt,
            "the TLS-RPT record",
            &ev.tlsrpt_txt,
            &why,
        ),
    }

    if sts == Sts::Absent && !null_mx && ev.mx.status() != LookupStatus::NxDomain {
        let extra = if served_policy {
            " A policy file is served at the policy URL, but without the TXT record senders never fetch it."
        } else {
            ""
        };
        findings.push(
            Finding::new(STS_ABSENT, Subject::StsTxt, format!("{domain} does not publish MTA-STS (no TXT record at _mta-sts.{domain}).{extra}"))
                .priority(if served_policy || tlsrpt.is_some() { Priority::Medium } else { Priority::Low })
                .fix(format!("_mta-sts.{domain}. IN TXT \"v=STSv1; id=<timestamp>\" and a policy in testing mode")),
        );
    }

    // DANE and DNSSEC context.
    for l in &ev.tlsa {
        if l.status() == LookupStatus::Found {
            findings.push(Finding::new(
                DANE_TLSA,
                Subject::Dane,
                format!(
                    "{} publishes TLSA records: DANE-capable senders use DANE for this MX",
                    l.name
                ),
            ));
        }
    }
    if ev.mx.status() == LookupStatus::Found || ev.sts_txt.status() == LookupStatus::Found {
        let signed = [&ev.mx, &ev.sts_txt]
            .iter()
            .filter(|l| l.status() == LookupStatus::Found)
            .all(|l| l.authenticated);
        findings.push(Finding::new(
            DNSSEC,
            Subject::Dane,
            if signed {
                "the MX and MTA-STS answers were validated with DNSSEC (AD bit set)"
            } else {
                "the answers were not DNSSEC-validated (no AD bit); MTA-STS does not require DNSSEC"
            },
        ));
    }

    let has_error = findings.iter().any(Finding::is_error);
    let verdict = if null_mx {
        Verdict::NotApplicable
    } else if has_error {
        Verdict::Fail
    } else if !causes.is_empty() {
        Verdict::Inconclusive
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Verdict::Warn
    } else {
        Verdict::Pass
    };
    sort_findings(&mut findings);
    let summary = summarize(
        domain,
        verdict,
        sts,
        policy.as_ref(),
        &mx_hosts,
        tlsrpt.is_some(),
        &findings,
        &causes,
    );
    Report {
        schema_version: SCHEMA_VERSION,
        domain: domain.to_owned(),
        verdict,
        summary,
        findings,
        sts_record,
        policy,
        tlsrpt,
        mx_hosts,
        observed_at: Some(ev.observed_at),
    }
}

fn days(secs: u64) -> String {
    let d = secs / 86_400;
    match d {
        0 => format!("{secs} seconds"),
        1 => "1 day".into(),
        _ => format!("{d} days"),
    }
}

#[allow(clippy::too_many_arguments)] // each input is one independent fact the summary speaks of
fn summarize(
    domain: &str,
    verdict: Verdict,
    sts: Sts,
    policy: Option<&Policy>,
    mx: &[MxHost],
    has_tlsrpt: bool,
    findings: &[Finding],
    causes: &[String],
) -> String {
    let uncovered: Vec<&str> = mx
        .iter()
        .filter(|h| h.covered_by.is_none())
        .map(|h| h.host.as_str())
        .collect();
    let first_error = findings.iter().find(|f| f.is_error());
    match verdict {
        Verdict::NotApplicable => format!("{domain} publishes a null MX (RFC 7505): it receives no mail, so MTA-STS does not apply."),
        Verdict::Inconclusive => format!(
            "Could not check {domain} completely: {}. Nothing found so far is broken; check again in a few minutes.",
            causes.join("; ")
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
                let what = first_error.map_or_else(String::new, |f| f.message.clone());
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
                Mode::None => format!("MTA-STS is switched off for {domain} (mode none)"),
            };
            if p.mode != Mode::None {
                s.push_str(&format!(", the policy is cached for {}", days(p.max_age)));
                if !mx.is_empty() && uncovered.is_empty() {
                    s.push_str(&format!(" and covers all {} MX host{}", mx.len(), if mx.len() > 1 { "s" } else { "" }));
                }
            }
            s.push('.');
            let warnings: Vec<&Finding> = findings.iter().filter(|f| f.severity == Severity::Warning).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

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
