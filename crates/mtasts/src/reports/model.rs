//! What the report readers share: the caps, a payload and what could not be read, and the
//! report types as read. A leaf of `reports`: it imports none of the readers, so `mail`, `parse`
//! and `summary` import it and `reports/mod.rs` only assembles them (no import circle, issue 21).

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

/// The largest file read (a mailbox of many reports included).
pub const MAX_FILE_BYTES: usize = 32 << 20;
/// The largest report JSON, after decompression: larger is a gzip bomb or not a TLS report.
pub const MAX_JSON_BYTES: usize = 16 << 20;
/// Reports read from one file (messages of an mbox, parts of a message, elements of an array).
pub const MAX_REPORTS_PER_FILE: usize = 10_000;
/// Policies read from one report.
pub const MAX_POLICIES: usize = 1_000;
/// Failure details read from one policy.
pub const MAX_FAILURE_DETAILS: usize = 10_000;
/// The longest text field kept (longer ones are shortened, with a note).
pub const MAX_TEXT: usize = 1_024;
/// Notes kept per report (then one saying how many more there were).
pub const MAX_NOTES: usize = 50;

/// How a payload is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Report JSON.
    Json,
    /// Gzip of report JSON: inflate it (at most [`MAX_JSON_BYTES`]) and [`parse`](super::parse()) the result.
    Gzip,
}

/// One report as found in a file: JSON or gzip, where it came from, and what was noted on the way.
#[derive(Debug, Clone)]
pub struct Payload {
    /// The file, and the message and attachment within it: `mbox (message 3): r.json.gz`.
    pub origin: String,
    /// JSON or gzip.
    pub kind: Kind,
    /// The bytes, transfer encoding (base64, quoted-printable) removed.
    pub bytes: Vec<u8>,
    /// The report domain a file name or mail subject names (used when `policy-domain` is missing).
    pub domain_hint: Option<String>,
    /// Deviations noticed before the JSON (a part's media type).
    pub notes: Vec<String>,
}

/// A file, message or part that held no readable report, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    /// Where: the file, and the message or part within it.
    #[serde(rename = "file")]
    pub origin: String,
    /// Why, in plain words.
    pub message: String,
}

/// What a caller says when inflating a payload would pass [`MAX_JSON_BYTES`].
pub fn too_large(origin: &str) -> Unread {
    Unread {
        origin: origin.to_owned(),
        message: format!(
            "decompresses to more than {} MB: stopped (a gzip bomb, or not a TLS report)",
            MAX_JSON_BYTES >> 20
        ),
    }
}

/// `part` of `whole` in percent with two decimals, rounded down (`99.99` is never shown as
/// `100.00`), written without floating-point formatting (which would weigh on the wasm).
pub fn percent(part: u64, whole: u64) -> Option<String> {
    // Exact below 2^50 sessions; beyond, the division comes first (a rounding in the last digit).
    let basis = part
        .checked_mul(10_000)
        .map_or_else(|| part / (whole / 10_000).max(1), |p| p / whole.max(1));
    (whole > 0).then(|| format!("{}.{:02}", basis / 100, basis % 100))
}

/// One aggregate report (RFC 8460 §4.4), as read. Serialised in the documented JSON contract.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TlsReport {
    /// Where it was found.
    pub file: String,
    /// `organization-name`: who sent it.
    pub organization: Option<String>,
    /// `report-id`.
    pub report_id: Option<String>,
    /// `contact-info`.
    pub contact_info: Option<String>,
    /// `date-range.start-datetime`, Unix time.
    #[serde(serialize_with = "rfc3339")]
    pub date_begin: Option<i64>,
    /// `date-range.end-datetime`, Unix time.
    #[serde(serialize_with = "rfc3339")]
    pub date_end: Option<i64>,
    /// One entry per policy the sender applied.
    pub policies: Vec<PolicyResult>,
    /// Deviations from RFC 8460 and how they were read.
    pub notes: Vec<String>,
}

/// The sessions of one policy in one report.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PolicyResult {
    /// `sts`, `tlsa` or `no-policy-found` (others as written).
    pub policy_type: String,
    /// `policy-domain`.
    pub policy_domain: Option<String>,
    /// `policy-string`: the policy's lines (`mode: testing`, …).
    pub policy_string: Vec<String>,
    /// `mx-host`.
    pub mx_host: Vec<String>,
    /// `total-successful-session-count`; `None` when it could not be read.
    pub successful: Option<u64>,
    /// `total-failure-session-count`; `None` when it could not be read.
    pub failed: Option<u64>,
    /// Failed sessions by result type, summed over the failure details (`None`: a count of
    /// that type could not be read).
    pub failures: BTreeMap<String, Option<u64>>,
    /// `failure-details`.
    pub failure_details: Vec<FailureDetail>,
}

impl PolicyResult {
    /// The policy's mode, from its `policy-string` (`sts` policies).
    pub fn mode(&self) -> Option<&str> {
        self.policy_string.iter().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == "mode").then(|| v.trim())
        })
    }
}

/// One `failure-details` entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FailureDetail {
    /// `result-type` (RFC 8460 §4.3), lower case.
    pub result_type: String,
    /// `sending-mta-ip`.
    pub sending_mta_ip: Option<String>,
    /// `receiving-mx-hostname`.
    pub receiving_mx_hostname: Option<String>,
    /// `receiving-mx-helo`.
    pub receiving_mx_helo: Option<String>,
    /// `receiving-ip`.
    pub receiving_ip: Option<String>,
    /// `failed-session-count`; `None` when it could not be read.
    pub failed: Option<u64>,
    /// `additional-information`.
    pub additional_information: Option<String>,
    /// `failure-reason-code`.
    pub failure_reason_code: Option<String>,
}

pub(super) fn rfc3339<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&crate::civil::rfc3339(*t)),
        None => s.serialize_none(),
    }
}
