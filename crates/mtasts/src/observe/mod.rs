//! Observing a domain: the [`evidence`] data model (what was seen, nothing judged), the DNS wire
//! format for DNS over HTTPS ([`dns`]), and [`gather`], the one sequence of lookups every platform
//! runs against its own transport.

pub mod build;
pub mod dns;
pub mod evidence;
mod facts;
pub mod fetch;
pub mod gather;
mod record_de;
pub mod replay;
pub mod smtp;
