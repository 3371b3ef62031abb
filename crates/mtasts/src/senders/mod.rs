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
//! and version it was read from are in `Model::sources`, with the `docs` feature) and, where the implementation installs
//! from a registry here, proven against the real code by the differential tests in
//! `tests/conformance/` (see [`Basis`]). The reference reading, RFC 8461 as this crate reads it, is
//! [`rfc`].

pub mod answer;
pub mod chasquid;
pub mod documented;
pub mod halon;
pub mod judge;
pub mod kumomta;
pub mod maddy;
pub mod mailauth;
pub mod model;
pub mod mox;
pub mod postfix_mta_sts_resolver;
pub mod postfix_tlspol;
pub mod rfc;
pub mod stalwart;
pub mod view;

pub use model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

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
