//! The HTTP API's contract, shared by the Worker (which answers), the web app (which asks) and
//! the CLI (which prints the same JSON), so none of them can drift from the others.
//!
//! - `GET /api/evidence?domain=D` → [`Evidence`]; `GET /api/report?domain=D` → [`Checked`];
//!   `GET /api/mx?domain=D` → the MX [`DnsLookup`]; `GET /api/health`.
//! - Every error is [`ErrorBody`], `{"error": {"code": "…", "message": "…"}}`, with the status
//!   of its [`ApiError`].

use serde::{Deserialize, Serialize};

use crate::judge::assess;
use crate::observe::evidence::{DnsLookup, ErrorKind, Evidence, LookupStatus};
use crate::report::Report;

/// `/api/evidence`.
pub const EVIDENCE_PATH: &str = "/api/evidence";
/// `/api/report`.
pub const REPORT_PATH: &str = "/api/report";
/// `/api/mx`.
pub const MX_PATH: &str = "/api/mx";
/// `/api/health`.
pub const HEALTH_PATH: &str = "/api/health";

/// A finished check: the Evidence as observed and the Report judged from it. JSON
/// `{"evidence": …, "report": …}`: the body of `/api/report`, each result of
/// `mtasts check --format json`, and what the web page copies and downloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    /// What was observed.
    pub evidence: Evidence,
    /// `assess(&evidence)`.
    pub report: Report,
}

impl Checked {
    /// Judges `evidence` here.
    pub fn assess(evidence: Evidence) -> Self {
        let report = assess(&evidence);
        Checked { evidence, report }
    }
}

/// Why the API refused or could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// No `domain` parameter.
    #[error("add ?domain=example.com")]
    MissingDomain,
    /// The input is not a domain the API checks (the reason in words).
    #[error("{0}")]
    BadDomain(String),
    /// Too many requests from this client.
    #[error("too many checks from your address; try again in a minute")]
    RateLimited,
    /// The resolver did not answer in time: nothing was observed.
    #[error("the DNS resolver did not answer; try again shortly")]
    UpstreamTimeout,
    /// The resolver could not be used: nothing was observed.
    #[error("the DNS resolver did not answer; try again shortly")]
    Upstream,
    /// No such endpoint.
    #[error("no such API endpoint; see /api/health")]
    NotFound,
    /// The service is not configured to protect the domains it checks (no rate limiter): it
    /// refuses to check rather than run unprotected.
    #[error("the checker is not available right now (its rate limiter is not configured)")]
    Unavailable,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::MissingDomain | ApiError::BadDomain(_) => 400,
            ApiError::RateLimited => 429,
            ApiError::UpstreamTimeout => 504,
            ApiError::Upstream => 502,
            ApiError::NotFound => 404,
            ApiError::Unavailable => 503,
        }
    }

    /// The stable code in the error body.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MissingDomain => "missing-domain",
            ApiError::BadDomain(_) => "bad-domain",
            ApiError::RateLimited => "rate-limited",
            ApiError::UpstreamTimeout => "upstream-timeout",
            ApiError::Upstream => "upstream-error",
            ApiError::NotFound => "not-found",
            ApiError::Unavailable => "unavailable",
        }
    }

    /// The body to send.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
            },
        }
    }

    /// When none of `lookups` got any answer from the resolver, the resolver itself failed:
    /// that is the checker's problem, never a fact about the domain.
    pub fn from_silent_resolver(lookups: &[&DnsLookup]) -> Option<ApiError> {
        let silent =
            |l: &&DnsLookup| matches!(l.status(), LookupStatus::Failed(..)) && l.rcode.is_none();
        if lookups.is_empty() || !lookups.iter().all(silent) {
            return None;
        }
        let timed_out = lookups.iter().all(|l| {
            l.error
                .as_ref()
                .is_some_and(|e| e.kind == ErrorKind::Timeout)
        });
        Some(if timed_out {
            ApiError::UpstreamTimeout
        } else {
            ApiError::Upstream
        })
    }
}

/// `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The code and message of an error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, kebab-case ([`ApiError::code`]).
    pub code: String,
    /// For people.
    #[serde(default)]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::evidence::{Rcode, RecordType};

    #[test]
    fn error_bodies_keep_their_shape() {
        let v = serde_json::to_value(ApiError::RateLimited.body()).expect("json");
        assert_eq!(
            v,
            serde_json::json!({"error": {"code": "rate-limited", "message": "too many checks from your address; try again in a minute"}})
        );
        let e = ApiError::BadDomain("`1.2.3.4` is an IP address".into());
        assert_eq!((e.status(), e.code()), (400, "bad-domain"));
        assert_eq!(e.body().error.message, "`1.2.3.4` is an IP address");
        for (e, status) in [
            (ApiError::MissingDomain, 400),
            (ApiError::UpstreamTimeout, 504),
            (ApiError::Upstream, 502),
            (ApiError::NotFound, 404),
        ] {
            assert_eq!(e.status(), status, "{e:?}");
        }
    }

    #[test]
    fn only_a_resolver_that_answered_nothing_is_an_upstream_error() {
        let timeout = DnsLookup::failed("a.test", RecordType::MX, ErrorKind::Timeout, "slow");
        let network = DnsLookup::failed("a.test", RecordType::TXT, ErrorKind::Network, "down");
        let servfail = DnsLookup::empty("a.test", RecordType::TXT, Rcode::ServFail);
        let nx = DnsLookup::empty("a.test", RecordType::TXT, Rcode::NxDomain);
        assert_eq!(
            ApiError::from_silent_resolver(&[&timeout, &timeout]),
            Some(ApiError::UpstreamTimeout)
        );
        assert_eq!(
            ApiError::from_silent_resolver(&[&timeout, &network]),
            Some(ApiError::Upstream)
        );
        // SERVFAIL is an answer about the domain: "could not check", judged by assess.
        assert_eq!(ApiError::from_silent_resolver(&[&timeout, &servfail]), None);
        assert_eq!(ApiError::from_silent_resolver(&[&nx]), None);
        assert_eq!(ApiError::from_silent_resolver(&[]), None);
    }

    #[test]
    fn checked_is_evidence_and_report() {
        let ev: Evidence = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "domain": "a.test", "observed_at": 0,
            "sts_txt": {"name": "_mta-sts.a.test", "qtype": "TXT", "rcode": "NXDOMAIN", "answers": []},
            "mx": {"name": "a.test", "qtype": "MX", "rcode": "NXDOMAIN", "answers": []},
            "tlsrpt_txt": {"name": "_smtp._tls.a.test", "qtype": "TXT", "rcode": "NXDOMAIN", "answers": []}
        }))
        .expect("evidence");
        let c = Checked::assess(ev);
        let v = serde_json::to_value(&c).expect("json");
        assert_eq!(v["report"]["domain"], "a.test");
        assert_eq!(v["evidence"]["domain"], "a.test");
        let back: Checked = serde_json::from_value(v).expect("back");
        assert_eq!(back, c);
    }
}
