//! # mtasts
//!
//! Parsing, validation and assessment for MTA-STS (RFC 8461) and TLS-RPT (RFC 8460), with no I/O
//! and no clock of its own: the same code runs in the browser (wasm32), at the edge (Cloudflare
//! Worker) and in the command-line tool.
//!
//! Data flows one way:
//!
//! ```text
//! domain ──► gather (I/O, per platform) ──► Evidence ──► assess (pure) ──► Report
//! draft text ───────────────────────────────────────────► lint (pure)   ──► Report
//! ```
//!
//! Feature `idna` (default): internationalised names through the `idna` crate. Without it the
//! crate ships no Unicode tables; a program registers its own UTS #46 converter with [`names::idn::set_to_ascii`] (the web app uses the browser's URL parser).
//!
//! Feature `docs` (default): the finding codes' documentation and runnable examples (see
//! [`code_type`] and [`codes`]). Without it a finding still has its code, title, default
//! severity and priority and RFC section, and codes are still found by name.
//!
//! ```
//! let lint = mtasts::lint_policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n");
//! assert!(lint.valid);
//! assert!(mtasts::mx_matches("*.example.com", "mail.example.com"));
//! assert!(!mtasts::mx_matches("*.example.com", "a.b.example.com"));
//! ```

#![forbid(unsafe_code)]

pub mod api;
pub mod civil;
pub mod code_type;
pub mod codes;
pub mod compare;
pub mod finding;
pub mod generate;
pub mod inert;
pub mod judge;
pub mod lint;
pub mod monitor;
pub mod names;
pub mod observe;
pub mod plan;
pub mod records;
pub mod report;
pub mod reports;
pub mod senders;

#[cfg(feature = "docs")]
pub use code_type::Example;
pub use code_type::{Code, CodeInfo};
pub use compare::{compare, compare_judged, Changes};
pub use finding::{ByteRange, Counts, Finding, Priority, Severity, Subject};
pub use generate::{generate, GenerateInput, Generated};
pub use judge::assess;
pub use lint::{
    add_senders, lint, lint_policy, lint_sts_txt, lint_tlsrpt, lint_without_senders, senders_of,
    Draft, LintResult,
};
pub use names::domain::{HostName, MxPattern};
pub use names::input::{normalize_domain, InputError, InputRules};
pub use names::mx::{check_pattern, mx_matches};
pub use observe::evidence::{Evidence, SCHEMA_VERSION};
pub use observe::gather::{gather, policy_url, Transport};
pub use records::policy::{check_policy, Mode, Policy, PolicyCheck};
pub use records::sts_txt::{check_sts_txt, RecordError, StsRecord};
pub use records::tlsrpt::{check_tlsrpt, TlsRptRecord};
pub use records::SetCheck;
pub use report::{MxHost, Report, Verdict};
