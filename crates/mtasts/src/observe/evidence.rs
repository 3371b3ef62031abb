//! Evidence: what was observed for a domain, nothing judged.
//!
//! Every DNS answer (rcode, TTLs, AD bit, CNAME chain, records) and the policy fetch (status,
//! headers, redirect target, body bytes up to 64 KiB, TLS or network error, certificate facts,
//! timing), plus the observation time. It is plain serde data: it crosses from the Worker to the
//! browser as JSON, is saved as a test fixture, and is replayed by [`fn@crate::assess`].

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::observe::facts::{CertificateFacts, ErrorKind, LookupError};

/// The version of the Evidence and Report JSON formats.
/// Version 2 added `smtp` (the MX hosts' STARTTLS and certificates) and the certificates'
/// `self_signed`; version 1 Evidence still reads (both default to absent).
pub const SCHEMA_VERSION: u32 = 2;

/// Everything observed about one domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Format version ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The domain checked, as A-labels, lower case, no trailing dot.
    pub domain: String,
    /// When the observations were made (Unix seconds); the assessment's clock.
    pub observed_at: u64,
    /// TXT at `_mta-sts.<domain>`.
    pub sts_txt: DnsLookup,
    /// MX at `<domain>`.
    pub mx: DnsLookup,
    /// TXT at `_smtp._tls.<domain>`.
    pub tlsrpt_txt: DnsLookup,
    /// A, AAAA and CNAME of `mta-sts.<domain>` (context for fetch failures).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_host: Vec<DnsLookup>,
    /// The HTTPS fetch of the policy; `None` when it was not attempted.
    #[serde(default)]
    pub policy_fetch: Option<PolicyFetch>,
    /// TLSA at `_25._tcp.<mx>` for each MX host (DANE context).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tlsa: Vec<DnsLookup>,
    /// The MX hosts' SMTP service (STARTTLS, certificates), when probed (`mtasts check --smtp`);
    /// absent when not probed (the page and the edge cannot open port 25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<crate::observe::smtp::SmtpProbe>,
    /// NS of the domain (who hosts its DNS); absent in Evidence from before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<DnsLookup>,
    /// MX of each other domain a TLS-RPT `mailto:` sends reports to (at most
    /// [`crate::observe::gather::MAX_RUA_DOMAINS`]): can reports arrive there?
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rua_mx: Vec<DnsLookup>,
}

/// A DNS record type this project asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[allow(clippy::upper_case_acronyms)] // the DNS names of the types, as people write them
pub enum RecordType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    AAAA,
    /// Alias.
    CNAME,
    /// Name server.
    NS,
    /// Mail exchanger.
    MX,
    /// Text.
    TXT,
    /// DANE TLSA.
    TLSA,
}

/// The DNS response code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Rcode {
    /// The name exists (the answer may still be empty: NODATA).
    NoError,
    /// Server failure: the resolver could not get an answer (often a DNSSEC failure).
    ServFail,
    /// The name does not exist.
    NxDomain,
    /// The resolver refused the query.
    Refused,
    /// Any other response code.
    Other,
}

/// One DNS query and what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsLookup {
    /// The name asked for.
    pub name: String,
    /// The type asked for.
    pub qtype: RecordType,
    /// The response code; `None` when no response arrived (see `error`).
    #[serde(default)]
    pub rcode: Option<Rcode>,
    /// The failure, when no usable response arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<LookupError>,
    /// The AD bit: the resolver validated the answer with DNSSEC.
    #[serde(default)]
    pub authenticated: bool,
    /// CNAMEs followed from `name`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cname_chain: Vec<String>,
    /// The answer records of the type asked for.
    #[serde(default)]
    pub answers: Vec<DnsRecord>,
    /// How long the query took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u32>,
}

/// Whether a lookup found records, found none, or could not be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupStatus<'a> {
    /// Records of the type asked for.
    Found,
    /// NOERROR with no records of that type (NODATA).
    NoData,
    /// NXDOMAIN.
    NxDomain,
    /// No usable answer: the check could not be made. The text says why.
    Failed(&'a str, String),
}

impl DnsLookup {
    /// A successful answer with `answers`.
    pub fn answered(name: impl Into<String>, qtype: RecordType, answers: Vec<DnsRecord>) -> Self {
        DnsLookup {
            name: name.into(),
            qtype,
            rcode: Some(Rcode::NoError),
            error: None,
            authenticated: false,
            cname_chain: Vec::new(),
            answers,
            elapsed_ms: None,
        }
    }

    /// A response with `rcode` and no records.
    pub fn empty(name: impl Into<String>, qtype: RecordType, rcode: Rcode) -> Self {
        DnsLookup {
            rcode: Some(rcode),
            ..DnsLookup::answered(name, qtype, Vec::new())
        }
    }

    /// No response: `kind` and `message` say why.
    pub fn failed(
        name: impl Into<String>,
        qtype: RecordType,
        kind: ErrorKind,
        message: impl Into<String>,
    ) -> Self {
        DnsLookup {
            rcode: None,
            error: Some(LookupError {
                kind,
                message: message.into(),
            }),
            ..DnsLookup::answered(name, qtype, Vec::new())
        }
    }

    /// Classifies the outcome.
    pub fn status(&self) -> LookupStatus<'_> {
        if let Some(e) = &self.error {
            return LookupStatus::Failed(e.kind.label(), e.message.clone());
        }
        match self.rcode {
            Some(Rcode::NoError) if self.answers.iter().any(|r| r.data.rtype() == self.qtype) => LookupStatus::Found,
            Some(Rcode::NoError) => LookupStatus::NoData,
            Some(Rcode::NxDomain) => LookupStatus::NxDomain,
            Some(Rcode::ServFail) => LookupStatus::Failed("SERVFAIL", "the resolver answered SERVFAIL (server failure, often a DNSSEC or name-server problem)".into()),
            Some(Rcode::Refused) => LookupStatus::Failed("REFUSED", "the resolver refused the query".into()),
            Some(Rcode::Other) => LookupStatus::Failed("error", "the resolver answered with an error code".into()),
            None => LookupStatus::Failed("no-response", "no response".into()),
        }
    }

    /// The MX records as `(preference, host)`, sorted, trailing dots removed (so the null MX of
    /// RFC 7505, `.`, is an empty host).
    pub fn mx_records(&self) -> Vec<(u16, String)> {
        let mut recs: Vec<(u16, String)> = self
            .answers
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Mx {
                    preference,
                    exchange,
                } => Some((*preference, exchange.trim_end_matches('.').to_owned())),
                _ => None,
            })
            .collect();
        recs.sort();
        recs
    }

    /// The MX exchanges senders would try, in preference order, each once: trailing dots
    /// removed, the null MX (`.`) left out. What gets TLSA lookups and the SMTP probe.
    pub fn exchanges(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, h) in self.mx_records() {
            if !h.is_empty() && !out.contains(&h) {
                out.push(h);
            }
        }
        out
    }

    /// The TXT records, each with its character-strings joined with nothing between them.
    pub fn txt_records(&self) -> Vec<String> {
        self.answers
            .iter()
            .filter_map(|r| match &r.data {
                RecordData::Txt { strings } => Some(strings.concat()),
                _ => None,
            })
            .collect()
    }
}

/// One answer record. Its `Deserialize` is written by hand (`record_de.rs` says why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsRecord {
    /// Time to live, seconds.
    pub ttl: u32,
    /// The record data.
    #[serde(flatten)]
    pub data: RecordData,
}

/// Record data by type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "UPPERCASE")]
pub enum RecordData {
    /// IPv4 address, dotted.
    A {
        /// The address.
        address: String,
    },
    /// IPv6 address.
    Aaaa {
        /// The address.
        address: String,
    },
    /// Alias target.
    Cname {
        /// The target name.
        target: String,
    },
    /// Name server.
    Ns {
        /// The server's host name.
        host: String,
    },
    /// Mail exchanger.
    Mx {
        /// Preference (lower is preferred).
        preference: u16,
        /// Host name (`.` for the null MX of RFC 7505).
        exchange: String,
    },
    /// Text: the character-strings of one RR, as received (bytes that are not UTF-8 replaced).
    Txt {
        /// The character-strings, in order.
        strings: Vec<String>,
    },
    /// DANE TLSA.
    Tlsa {
        /// Certificate usage.
        usage: u8,
        /// Selector.
        selector: u8,
        /// Matching type.
        matching_type: u8,
        /// Certificate association data, hex.
        data: String,
    },
}

impl RecordData {
    /// The record's type.
    pub fn rtype(&self) -> RecordType {
        match self {
            RecordData::A { .. } => RecordType::A,
            RecordData::Aaaa { .. } => RecordType::AAAA,
            RecordData::Cname { .. } => RecordType::CNAME,
            RecordData::Ns { .. } => RecordType::NS,
            RecordData::Mx { .. } => RecordType::MX,
            RecordData::Txt { .. } => RecordType::TXT,
            RecordData::Tlsa { .. } => RecordType::TLSA,
        }
    }
}

/// An HTTP header as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Name, lower case.
    pub name: String,
    /// Value.
    pub value: String,
}

/// The HTTPS fetch of the policy file, made by the sender rules of RFC 8461 §3.3: no redirects
/// followed, no HTTP cache, at most 64 KiB of body read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFetch {
    /// The URL fetched.
    pub url: String,
    /// HTTP status, when a response arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Response headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header>,
    /// The `Location` of a redirect (recorded, never followed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The body bytes read (at most 64 KiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// True when the body was longer than what was read.
    #[serde(default)]
    pub truncated: bool,
    /// Why no response (or no complete body) arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<LookupError>,
    /// The server certificate, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateFacts>,
    /// How long the fetch took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u32>,
}

impl PolicyFetch {
    /// A fetch of `url` before anything was observed.
    pub fn new(url: impl Into<String>) -> Self {
        PolicyFetch {
            url: url.into(),
            status: None,
            headers: Vec::new(),
            location: None,
            body: None,
            truncated: false,
            error: None,
            certificate: None,
            elapsed_ms: None,
        }
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }
}

/// Body bytes. In JSON: `{"text": "..."}` when they are UTF-8, else `{"base64": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body(pub Vec<u8>);

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum BodyRepr {
    Text(String),
    Base64(String),
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(t) => BodyRepr::Text(t.to_owned()),
            Err(_) => BodyRepr::Base64(base64::engine::general_purpose::STANDARD.encode(&self.0)),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match BodyRepr::deserialize(d)? {
            BodyRepr::Text(t) => Ok(Body(t.into_bytes())),
            BodyRepr::Base64(b) => base64::engine::general_purpose::STANDARD
                .decode(b)
                .map(Body)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_json_round_trip() {
        for bytes in [b"version: STSv1\r\n".to_vec(), vec![0xff, 0xfe, 0x00]] {
            let json = serde_json::to_string(&Body(bytes.clone())).expect("serialize");
            let back: Body = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back.0, bytes, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&Body(b"a".to_vec())).expect("json"),
            r#"{"text":"a"}"#
        );
    }

    #[test]
    fn record_json_shape() {
        let r = DnsRecord {
            ttl: 300,
            data: RecordData::Mx {
                preference: 10,
                exchange: "mx.example.com".into(),
            },
        };
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"ttl": 300, "type": "MX", "preference": 10, "exchange": "mx.example.com"})
        );
        assert_eq!(serde_json::from_value::<DnsRecord>(json).expect("back"), r);
    }

    #[test]
    fn status_tells_failure_from_absence() {
        assert_eq!(
            DnsLookup::empty("x", RecordType::TXT, Rcode::NxDomain).status(),
            LookupStatus::NxDomain
        );
        assert_eq!(
            DnsLookup::empty("x", RecordType::TXT, Rcode::NoError).status(),
            LookupStatus::NoData
        );
        assert!(matches!(
            DnsLookup::empty("x", RecordType::TXT, Rcode::ServFail).status(),
            LookupStatus::Failed(..)
        ));
        assert!(matches!(
            DnsLookup::failed("x", RecordType::TXT, ErrorKind::Timeout, "t").status(),
            LookupStatus::Failed("timeout", _)
        ));
        // A CNAME answer alone is not a TXT answer.
        let l = DnsLookup::answered(
            "x",
            RecordType::TXT,
            vec![DnsRecord {
                ttl: 1,
                data: RecordData::Cname { target: "y".into() },
            }],
        );
        assert_eq!(l.status(), LookupStatus::NoData);
    }
}
