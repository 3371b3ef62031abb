//! The scenario world as an in-memory [`Transport`]: `gather` over it writes the same Evidence
//! a checker writes over the network, with no sockets, no clock and no waiting.
//!
//! DNS goes through the real wire format (the query is encoded, answered from the world by the
//! same function the DoH server uses, encoded and decoded again), and the policy fetch through
//! the crate's fetch rules ([`PolicyFetch::record_head`], [`PolicyFetch::push_body`]). What only
//! a network can produce — a time-out, a refused connection, a certificate that does not verify —
//! is written as the CLI's transport reports it.

use mtasts::observe::dns::{decode_response, encode_query, encode_response};
use mtasts::observe::evidence::{
    CertificateFacts, DnsLookup, ErrorKind, LookupError, PolicyFetch, RecordType,
};
use mtasts::observe::fetch::Next;
use mtasts::{policy_url, Evidence, Transport};

use mtasts::observe::smtp::{AddressProbe, ChainCertificate, MxProbe, SmtpProbe, MAX_SMTP_HOSTS};
use mtasts::HostName;

use crate::world::{self, Cert, Host, Smtp, CA_NAME, CERT_EXPIRED, CERT_RENEWED, CERT_VALID, NOW};

/// The world, answering in memory.
#[derive(Debug, Clone, Copy, Default)]
pub struct World;

/// Evidence for `domain` as `mtasts check --smtp` collects it from the world: `gather`, then
/// the MX hosts' SMTP service ([`probe`]).
pub fn evidence(domain: &str) -> Evidence {
    let mut ev = futures::executor::block_on(mtasts::gather(&World, domain));
    ev.smtp = Some(probe(&ev));
    ev
}

/// Scenario `scenario` observed as if it were `domain` — a later state of that domain (for the
/// change codes): the Evidence of `scenario` with its name replaced by `domain` throughout.
pub fn observed_as(scenario: &str, domain: &str) -> Evidence {
    let ev = evidence(scenario);
    let json = serde_json::to_string(&ev)
        .unwrap_or_default()
        .replace(scenario, domain);
    serde_json::from_str(&json).unwrap_or(ev)
}

/// The SMTP probe of the MX hosts in `ev`, as the world's [`Smtp`] behaviours make the CLI's
/// probe record it (at most [`MAX_SMTP_HOSTS`], MX order). The chain is synthetic: one
/// certificate whose key hashes to [`world::SMTP_SPKI_SHA256`].
pub fn probe(ev: &Evidence) -> SmtpProbe {
    let s = world::scenario(&ev.domain);
    let hosts = ev
        .mx
        .exchanges()
        .into_iter()
        .take(MAX_SMTP_HOSTS)
        .map(|host| {
            if HostName::from_dns(&host).is_none() {
                return MxProbe {
                    error: Some(LookupError {
                        kind: ErrorKind::Other,
                        message: format!("{host:?} is not a host name: nothing to connect to"),
                    }),
                    host,
                    addresses: Vec::new(),
                };
            }
            let behaviour = s.map_or(Smtp::Good, |s| s.smtp_of(&host));
            MxProbe {
                addresses: vec![session(&host, behaviour)],
                host,
                error: None,
            }
        })
        .collect();
    SmtpProbe { hosts }
}

/// One session with `host` behaving as `b`.
fn session(host: &str, b: Smtp) -> AddressProbe {
    let mut a = AddressProbe::new("127.0.0.1:25");
    let fail = |kind, message: &str| {
        Some(LookupError {
            kind,
            message: message.to_owned(),
        })
    };
    if b == Smtp::Busy {
        a.greeting = Some("421 4.3.2 too busy, try later".into());
        a.error = fail(
            ErrorKind::BadResponse,
            "the server refused the session: 421 4.3.2 too busy, try later",
        );
        return a;
    }
    a.greeting = Some(format!("220 {host} ESMTP fixture"));
    match b {
        Smtp::Silent => {
            a.error = fail(ErrorKind::Timeout, "no answer to EHLO within 10 s");
            return a;
        }
        Smtp::NoStarttls => {
            a.starttls = Some(false);
            return a;
        }
        Smtp::OldTls => {
            a.starttls = Some(true);
            a.error = fail(ErrorKind::Tls, "received fatal alert: ProtocolVersion");
            return a;
        }
        _ => a.starttls = Some(true),
    }
    a.tls_version = Some("TLSv1.3".into());
    let (names, issuer, validity) = match b {
        Smtp::WrongName => (
            vec!["smtp.provider.test".to_owned()],
            format!("CN={CA_NAME}"),
            CERT_VALID,
        ),
        Smtp::Expired => (vec![host.to_owned()], format!("CN={CA_NAME}"), CERT_EXPIRED),
        Smtp::Expiring => (
            vec![host.to_owned()],
            format!("CN={CA_NAME}"),
            (CERT_VALID.0, NOW + 5 * 86_400),
        ),
        Smtp::SelfSigned => (vec![host.to_owned()], format!("CN={host}"), CERT_VALID),
        _ => (vec![host.to_owned()], format!("CN={CA_NAME}"), CERT_VALID),
    };
    a.certificate = Some(CertificateFacts {
        subject_names: names,
        issuer: Some(issuer),
        not_before: Some(validity.0),
        not_after: Some(validity.1),
        self_signed: Some(b == Smtp::SelfSigned),
    });
    a.chain = vec![ChainCertificate {
        cert: hex(format!("certificate of {host}").as_bytes()),
        cert_sha256: "11".repeat(32),
        cert_sha512: "11".repeat(64),
        spki: hex(format!("key of {host}").as_bytes()),
        spki_sha256: world::SMTP_SPKI_SHA256.to_owned(),
        spki_sha512: "22".repeat(64),
    }];
    let (valid, invalid) = match b {
        Smtp::WrongName => (
            false,
            fail(
                ErrorKind::CertificateName,
                &format!("certificate not valid for name \"{host}\""),
            ),
        ),
        Smtp::Expired => (
            false,
            fail(ErrorKind::CertificateExpired, "certificate expired"),
        ),
        Smtp::SelfSigned => (
            false,
            fail(
                ErrorKind::CertificateUntrusted,
                "invalid peer certificate: UnknownIssuer",
            ),
        ),
        _ => (true, None),
    };
    a.valid_for_host = Some(valid);
    a.invalid = invalid;
    a
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Transport for World {
    async fn query(&self, name: &str, qtype: RecordType) -> DnsLookup {
        let query = match encode_query(name, qtype) {
            Ok(q) => q,
            Err(e) => return DnsLookup::failed(name, qtype, ErrorKind::Other, e.to_string()),
        };
        let Some((rcode, ad, answers)) = world::answer(name, qtype.code()) else {
            return DnsLookup::failed(name, qtype, ErrorKind::Timeout, "no answer within 5 s");
        };
        let decoded = encode_response(&query, rcode, ad, &answers)
            .map_err(|e| e.to_string())
            .and_then(|wire| decode_response(name, qtype, &wire).map_err(|e| e.to_string()));
        decoded.unwrap_or_else(|e| DnsLookup::failed(name, qtype, ErrorKind::BadResponse, e))
    }

    async fn fetch_policy(&self, domain: &str) -> PolicyFetch {
        let mut out = PolicyFetch::new(policy_url(domain));
        let host = format!("mta-sts.{domain}");
        let Some(s) = world::scenario(domain) else {
            return failed(out, ErrorKind::Dns, format!("{host}: name not resolved"));
        };
        match s.host {
            Host::Missing | Host::Dangling => {
                return failed(out, ErrorKind::Dns, format!("{host}: name not resolved"))
            }
            Host::Closed => return failed(out, ErrorKind::Network, "connection refused".into()),
            Host::Served => {}
        }
        let (names, validity) = match s.cert {
            Cert::Valid => (vec![host.clone()], CERT_VALID),
            Cert::WrongName => (vec!["www.other.test".to_owned()], CERT_VALID),
            Cert::Expired => (vec![host.clone()], CERT_EXPIRED),
            Cert::Renewed => (vec![host.clone()], CERT_RENEWED),
        };
        out.certificate = Some(CertificateFacts {
            subject_names: names,
            issuer: Some(format!("CN={CA_NAME}")),
            not_before: Some(validity.0),
            not_after: Some(validity.1),
            self_signed: Some(false),
        });
        match s.cert {
            Cert::Valid | Cert::Renewed => {}
            Cert::WrongName => {
                let msg = format!("invalid peer certificate: certificate not valid for name \"{host}\"; certificate is only valid for DnsName(\"www.other.test\")");
                return failed(out, ErrorKind::CertificateName, msg);
            }
            Cert::Expired => {
                let msg = "invalid peer certificate: certificate expired".to_owned();
                return failed(out, ErrorKind::CertificateExpired, msg);
            }
        }
        let head = [("content-type", s.http.content_type.to_owned())]
            .into_iter()
            .chain(
                s.http
                    .location
                    .map(|l| ("location", world::fill(l, domain))),
            );
        if out.record_head(s.http.status, head) == Next::Stop {
            return out;
        }
        let body = world::body(s, domain);
        for chunk in body.as_bytes().chunks(16 * 1024) {
            if !out.push_body(chunk) {
                break;
            }
        }
        if s.http.body == world::Body::Stall {
            return failed(
                out,
                ErrorKind::Timeout,
                "no complete response within 10 s".into(),
            );
        }
        out
    }

    fn now(&self) -> u64 {
        NOW
    }
}

fn failed(mut out: PolicyFetch, kind: ErrorKind, message: String) -> PolicyFetch {
    out.error = Some(LookupError { kind, message });
    out
}
