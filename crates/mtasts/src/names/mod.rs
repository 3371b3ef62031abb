//! Domain names: what a person typed ([`input`]), internationalised names ([`idn`]), and the host
//! names and `mx` patterns of RFC 8461 §4.1 ([`mx`]).

pub mod idn;
pub mod input;
pub mod mx;
