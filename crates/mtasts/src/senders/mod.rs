//! How real senders read a domain's MTA-STS: one small model per sending implementation.
//!
//! Every judge in this crate reads the policy by the RFC's text. Mail is delivered by senders'
//! code, which disagrees with the RFC and with itself (a trailing blank line, a trailing dot in an
//! `mx` pattern, a duplicate `mode`, a charset, an unrelated TXT record...). A [`Model`] says, for one
//! implementation at one version, what it makes of
//!
//! * the `_mta-sts` TXT record set ([`Model::txt`]),
//! * the policy response: status, Content-Type, body ([`Model::policy`]),
//! * an `mx` pattern against an MX host name ([`Model::matches`]).
//!
//! Each model is written in our own words from the implementation's published source (the files
//! and version it was read from are in [`Model::sources`]) and, where the implementation installs
//! from a registry here, proven against the real code by the differential tests in
//! `tests/conformance/` (see [`Basis`]). The reference reading, RFC 8461 as this crate reads it, is
//! [`rfc`].

use serde::{Deserialize, Serialize};

pub mod answer;
pub mod chasquid;
pub mod documented;
pub mod halon;
pub mod judge;
pub mod kumomta;
pub mod maddy;
pub mod mailauth;
pub mod mox;
pub mod postfix_mta_sts_resolver;
pub mod postfix_tlspol;
pub mod rfc;
pub mod stalwart;
pub mod view;

/// The policy response a sender got for `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
/// Redirects are never followed by the fetcher: a 3xx arrives here as it is, with its body.
#[derive(Clone, Copy, Debug)]
pub struct Response<'a> {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header's value as sent (parameters included), if any.
    pub content_type: Option<&'a str>,
    /// The body bytes.
    pub body: &'a [u8],
}

/// A policy as one sender reads it: what it will apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadPolicy {
    /// The mode it applies, lower-case: `enforce`, `testing` or `none`.
    pub mode: String,
    /// The `max_age` it reads, in seconds (before any clamping of its cache).
    pub max_age: u64,
    /// The `mx` patterns it keeps, in order, as it will match them.
    pub mx: Vec<String>,
}

/// What a sender makes of a policy response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyRead {
    /// It applies this policy.
    Policy(ReadPolicy),
    /// It sees no policy (and delivers as if the domain had none), for this reason.
    NoPolicy(String),
}

/// What a sender makes of the `_mta-sts` TXT record set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxtRead {
    /// It sees a policy with this `id`, and fetches it.
    Policy {
        /// The `id` it reads.
        id: String,
    },
    /// It sees no policy, for this reason.
    NoPolicy(String),
}

/// How a model is known to be right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Read from source, and proven in the test suite against the real code, which installs from
    /// the named registry package.
    Run(&'static str),
    /// Read from the published source at the version given; it cannot be built here, so the
    /// model's unit tables are its proof.
    Source,
    /// Only what the operator documents (no source is published); cited, never guessed.
    Documented,
}

/// One sending implementation at one version.
pub struct Model {
    /// Stable id (`postfix-mta-sts-resolver`, `mox`, ...), used in the CLI and JSON.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// The version modelled.
    pub version: &'static str,
    /// How the model is known to be right.
    pub basis: Basis,
    /// Where it was read from: repository, path and version, or documentation URL.
    pub sources: &'static [&'static str],
    /// In plain words: what it does in `testing` and when the fetch fails.
    pub notes: &'static str,
    /// Reads the `_mta-sts` TXT record set (each record's strings already joined).
    pub txt: fn(&[&str]) -> TxtRead,
    /// Reads a policy response.
    pub policy: fn(&Response<'_>) -> PolicyRead,
    /// Does an `mx` pattern of its reading cover this MX host name?
    pub matches: fn(&str, &str) -> bool,
}

/// Every sender modelled, in a stable order (the ids of the CLI and JSON contract).
pub static SENDERS: &[&Model] = &[
    &postfix_mta_sts_resolver::MODEL,
    &postfix_tlspol::MODEL,
    &mox::MODEL,
    &maddy::MODEL,
    &chasquid::MODEL,
    &stalwart::MODEL,
    &kumomta::MODEL,
    &mailauth::ZONEMTA,
    &mailauth::MAILAUTH,
    &mailauth::MAILAUTH_STRICT,
    &halon::MODEL,
];

/// The model with this id; `rfc` is the reference reading.
pub fn by_id(id: &str) -> Option<&'static Model> {
    if id == rfc::MODEL.id {
        return Some(&rfc::MODEL);
    }
    SENDERS.iter().copied().find(|m| m.id == id)
}
