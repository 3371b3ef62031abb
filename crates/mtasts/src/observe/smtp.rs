//! What `mtasts check --smtp` observed of each MX host's SMTP service: the greeting, whether
//! STARTTLS is offered (RFC 3207), the TLS version, the certificate chain and whether it verifies
//! for the MX name against the public roots, and the digests DANE compares (RFC 7672). Only the
//! command-line tool observes this: browsers and the edge cannot open port 25. Nothing judged.

use serde::{Deserialize, Serialize};

use crate::observe::facts::{CertificateFacts, LookupError};

/// The most MX hosts probed for one domain.
pub const MAX_SMTP_HOSTS: usize = 10;

/// The probe of a domain's MX hosts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SmtpProbe {
    /// Each MX host probed, in MX order.
    #[serde(default)]
    pub hosts: Vec<MxProbe>,
}

/// One MX host: each of its addresses, or why none could be tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxProbe {
    /// The MX host name (no trailing dot).
    pub host: String,
    /// One probe per address (A and AAAA), in the order tried.
    #[serde(default)]
    pub addresses: Vec<AddressProbe>,
    /// Why no address was tried (the name has none, or it is no host name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<LookupError>,
}

/// One SMTP session with one address of an MX host, up to the TLS handshake and QUIT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressProbe {
    /// The address connected to, with its port (`192.0.2.1:25`, `[2001:db8::1]:25`).
    pub address: String,
    /// The first line of the server's greeting (at most 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<String>,
    /// Whether EHLO listed STARTTLS; `None` when the session ended before EHLO was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starttls: Option<bool>,
    /// The negotiated TLS version (`TLSv1.3`, `TLSv1.2`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_version: Option<String>,
    /// The end-entity certificate's facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateFacts>,
    /// The presented chain, end-entity first, with the digests DANE compares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<ChainCertificate>,
    /// Whether the chain verifies for the MX host name against the public roots (and any
    /// `--ca-file`) at the time of the probe; `None` when no certificate was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_for_host: Option<bool>,
    /// Why it does not verify (kind `certificate-name`, `certificate-expired`,
    /// `certificate-untrusted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<LookupError>,
    /// Why the session ended early (connection, time-out, a refusal such as `421`, TLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<LookupError>,
    /// How long the session took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<u32>,
}

impl AddressProbe {
    /// A probe of `address` before anything was observed.
    pub fn new(address: impl Into<String>) -> Self {
        AddressProbe {
            address: address.into(),
            greeting: None,
            starttls: None,
            tls_version: None,
            certificate: None,
            chain: Vec::new(),
            valid_for_host: None,
            invalid: None,
            error: None,
            elapsed_ms: None,
        }
    }
}

/// One certificate of a presented chain as DANE sees it: lower-case hex of the whole DER
/// certificate and of its SubjectPublicKeyInfo, and their SHA-256 and SHA-512 digests (TLSA
/// selectors 0 and 1, matching types 0, 1 and 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCertificate {
    /// The DER certificate, hex.
    pub cert: String,
    /// SHA-256 of the certificate, hex.
    pub cert_sha256: String,
    /// SHA-512 of the certificate, hex.
    pub cert_sha512: String,
    /// The DER SubjectPublicKeyInfo, hex.
    pub spki: String,
    /// SHA-256 of the SubjectPublicKeyInfo, hex.
    pub spki_sha256: String,
    /// SHA-512 of the SubjectPublicKeyInfo, hex.
    pub spki_sha512: String,
}

impl ChainCertificate {
    /// The value a TLSA record of `selector` and `matching_type` is compared with.
    pub fn association(&self, selector: u8, matching_type: u8) -> Option<&str> {
        Some(match (selector, matching_type) {
            (0, 0) => &self.cert,
            (0, 1) => &self.cert_sha256,
            (0, 2) => &self.cert_sha512,
            (1, 0) => &self.spki,
            (1, 1) => &self.spki_sha256,
            (1, 2) => &self.spki_sha512,
            _ => return None,
        })
    }
}
