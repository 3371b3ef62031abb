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

use crate::world::{self, Cert, Host, CA_NAME, CERT_EXPIRED, CERT_VALID, NOW};

/// The world, answering in memory.
#[derive(Debug, Clone, Copy, Default)]
pub struct World;

/// Evidence for `domain` as `gather` collects it from the world.
pub fn evidence(domain: &str) -> Evidence {
    futures::executor::block_on(mtasts::gather(&World, domain))
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
            Host::Missing => {
                return failed(out, ErrorKind::Dns, format!("{host}: name not resolved"))
            }
            Host::Closed => return failed(out, ErrorKind::Network, "connection refused".into()),
            Host::Served => {}
        }
        let (names, validity) = match s.cert {
            Cert::Valid => (vec![host.clone()], CERT_VALID),
            Cert::WrongName => (vec!["www.other.test".to_owned()], CERT_VALID),
            Cert::Expired => (vec![host.clone()], CERT_EXPIRED),
        };
        out.certificate = Some(CertificateFacts {
            subject_names: names,
            issuer: Some(format!("CN={CA_NAME}")),
            not_before: Some(validity.0),
            not_after: Some(validity.1),
        });
        match s.cert {
            Cert::Valid => {}
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
        let body = world::body(s);
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
