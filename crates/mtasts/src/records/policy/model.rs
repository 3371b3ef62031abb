//! What the policy's readers share: the size and `max_age` bounds, the parsed [`Policy`] and its
//! [`Mode`], and the [`LineEndings`] found. A leaf of `records::policy`: it imports neither
//! reader, so [`lines`](super::lines) and [`fields`](super::fields) import it and
//! `records/policy/mod.rs` only assembles them (no import circle, issue 21).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::names::domain::MxPattern;

/// The largest policy body senders are advised to accept (RFC 8461 §3.3 suggests 64 KiB).
pub const MAX_POLICY_BYTES: usize = 64 * 1024;
/// The largest `max_age` the RFC allows: 31557600 seconds, about one year (§3.2).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;
/// One week: the least `max_age` advised for production (§3.2 recommends weeks or more).
pub const ONE_WEEK: u64 = 604_800;

/// The policy mode (RFC 8461 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Senders must not deliver to an MX that fails validation.
    Enforce,
    /// Senders report failures (TLS-RPT) but deliver.
    Testing,
    /// No policy: senders treat the domain as having none.
    None,
}

impl Mode {
    /// The value as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Testing => "testing",
            Mode::None => "none",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "enforce" => Some(Mode::Enforce),
            "testing" => Some(Mode::Testing),
            "none" => Some(Mode::None),
            _ => None,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An extension field of a policy (`name: value`), kept for display and round trips.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyExtension {
    /// Field name as written.
    pub name: String,
    /// Value as written.
    pub value: String,
}

/// A valid MTA-STS policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Always `STSv1`.
    pub version: String,
    /// The mode.
    pub mode: Mode,
    /// Cache lifetime in seconds (at most 31557600).
    pub max_age: u64,
    /// MX patterns, as written, in order.
    pub mx: Vec<MxPattern>,
    /// Unknown fields, in order (ignored by senders).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<PolicyExtension>,
}

impl fmt::Display for Policy {
    /// Writes the policy with CRLF line endings, version first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "version: {}\r\nmode: {}\r\n", self.version, self.mode)?;
        for mx in &self.mx {
            write!(f, "mx: {mx}\r\n")?;
        }
        write!(f, "max_age: {}\r\n", self.max_age)?;
        for e in &self.extensions {
            write!(f, "{}: {}\r\n", e.name, e.value)?;
        }
        Ok(())
    }
}

/// Which line endings a policy uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEndings {
    /// No line break at all (a single line).
    None,
    /// Every line break is CRLF.
    Crlf,
    /// Every line break is LF only.
    Lf,
    /// Both kinds.
    Mixed,
}
