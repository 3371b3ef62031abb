//! Domain names: the one host-name type and `mx` pattern type ([`domain`]), what a person typed
//! ([`input`]), internationalised names ([`idn`]), and the `mx` grammar and matching of RFC 8461
//! §3.2 and §4.1 ([`mx`]).

pub mod domain;
pub mod idn;
pub mod input;
pub mod mx;
