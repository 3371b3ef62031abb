//! What both kinds of observation record, the DNS and HTTPS [`Evidence`](super::evidence::Evidence)
//! and the SMTP probe ([`SmtpProbe`](super::smtp::SmtpProbe)): why a lookup, fetch or connection
//! failed, and the facts of a certificate. A leaf of `observe`, so that the Evidence (which holds
//! the SMTP probe) and the probe (which holds these) import no circle (issue 21). Re-exported from
//! `evidence`, where they have always been named.

use serde::{Deserialize, Serialize};

/// Why a query or fetch produced no usable response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// No answer in time.
    Timeout,
    /// The connection could not be made or broke.
    Network,
    /// The host name of the policy server does not resolve.
    Dns,
    /// The TLS handshake failed for another reason (protocol, version).
    Tls,
    /// The certificate has expired (or is not yet valid).
    CertificateExpired,
    /// The certificate is not valid for the host name.
    CertificateName,
    /// The certificate does not chain to a trusted root.
    CertificateUntrusted,
    /// The upstream answered with something unparseable.
    BadResponse,
    /// Anything else.
    Other,
    /// The failure was on the checker's side, not the domain's: its platform failed without
    /// saying why, its own resolver failed, the edge answered in the policy host's place, or it
    /// refused to connect to an address that is not public. Always "could not check".
    CheckerSide,
}

/// An error in place of a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// Details for people.
    #[serde(default)]
    pub message: String,
}

impl ErrorKind {
    /// Words for people, as reports print them ("timeout", "certificate expired", …).
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network error",
            ErrorKind::Dns => "DNS error",
            ErrorKind::Tls => "TLS error",
            ErrorKind::CertificateExpired => "certificate expired",
            ErrorKind::CertificateName => "certificate name mismatch",
            ErrorKind::CertificateUntrusted => "untrusted certificate",
            ErrorKind::BadResponse => "bad response",
            ErrorKind::Other => "error",
            ErrorKind::CheckerSide => "failure on the checker's side",
        }
    }
}

/// Facts about the policy server's certificate, where the transport can see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateFacts {
    /// DNS names in the subject alternative name extension.
    #[serde(default)]
    pub subject_names: Vec<String>,
    /// The issuer, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Start of validity (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<u64>,
    /// End of validity (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<u64>,
    /// Issued by itself (its issuer is its subject).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_signed: Option<bool>,
}
