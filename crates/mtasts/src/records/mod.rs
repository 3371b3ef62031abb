//! The three grammars, each parsed from text and judged line by line: the `_mta-sts` TXT record
//! (RFC 8461 §3.1, [`sts_txt`]), the TLS-RPT TXT record (RFC 8460 §3, [`tlsrpt`]) and the policy
//! file (RFC 8461 §3.2, [`policy`]). Both TXT grammars share one `key=value;` scanner and the
//! discovery rule over a set of records (`scan`).

pub mod policy;
pub(crate) mod scan;
pub mod sts_txt;
pub mod tlsrpt;

pub use scan::SetCheck;
