//! The MTA-STS TXT record at `_mta-sts.<domain>` (RFC 8461 §3.1).
//!
//! ```text
//! sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
//! sts-field       = sts-id / sts-extension       ; sts-id is required
//! sts-version     = %s"v=STSv1"
//! sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
//! ```
//!
//! [`StsRecord::from_str`] parses one record and tells "not an MTA-STS record"
//! ([`RecordError::NotThisKind`]) from "an MTA-STS record, but broken" ([`RecordError::Invalid`]).
//! [`check_sts_txt`] applies the discovery rule to the whole set of RRs at the name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::code;
use crate::code_type::Code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::location::loc_in_record;
use crate::finding::{Finding, Subject};
use crate::records::scan::{self, Kind, RawField, Scan, SetCheck};

/// The version tag every MTA-STS TXT record begins with.
pub const STS_VERSION: &str = "v=STSv1";

code!(NOT_FOUND = "sts-txt-not-found", Error, Medium, "RFC 8461 §3.1", "No MTA-STS TXT record",
    what: "Whether the TXT records at `_mta-sts.<domain>` include one that begins with `v=STSv1`.",
    why: "Senders look for this record before anything else. Without it they never fetch the policy, so MTA-STS is off for the domain. (When a whole domain is assessed and MTA-STS is simply not deployed, the domain-level code `sts-absent` is used instead.)",
    example: "`_mta-sts.example.com TXT \"v=spf1 -all\"` (an SPF record published at the wrong name).",
    fix: "Publish `_mta-sts.example.com. IN TXT \"v=STSv1; id=20240101000000\"`, changing the id each time the policy file changes.",
    bad: Example::StsTxt(&["v=spf1 -all"]),
    good: Example::StsTxt(&["v=STSv1; id=20240101"]));

code!(SEVERAL = "sts-txt-several", Error, High, "RFC 8461 §3.1", "Several MTA-STS TXT records",
    what: "Whether more than one TXT record at `_mta-sts.<domain>` begins with `v=STSv1;`.",
    why: "RFC 8461 §3.1: if the number of records beginning with `v=STSv1;` is not exactly one, senders treat the domain as having no MTA-STS policy at all. This happens easily when an old record is left beside a new one.",
    example: "`\"v=STSv1; id=2023\"` and `\"v=STSv1; id=2024\"` both at `_mta-sts.example.com`.",
    fix: "Delete every record but one, and keep the one whose id you changed last.",
    bad: Example::StsTxt(&["v=STSv1; id=2023", "v=STSv1; id=2024"]),
    good: Example::StsTxt(&["v=STSv1; id=2024", "v=spf1 -all"]));

code!(PREFIX = "sts-txt-prefix", Warning, Medium, "RFC 8461 §3.1 (erratum 6285)", "Record does not begin with exactly `v=STSv1;`",
    what: "Whether the record begins with the exact bytes `v=STSv1;`. The grammar allows whitespace before the `;`, so a lone `v=STSv1 ; id=x` is valid.",
    why: "When several TXT records are returned, senders discard every record that does not begin with exactly `v=STSv1;`. A record with a space before the `;` works today and silently stops working the day any other TXT record is added at the name (erratum 6285). Among several records, it is discarded now (then this is an error).",
    example: "`v=STSv1 ; id=20240101`",
    fix: "Write `v=STSv1; id=20240101` (no whitespace before the first `;`).",
    bad: Example::StsTxt(&["v=STSv1 ; id=20240101"]),
    good: Example::StsTxt(&["v=STSv1; id=20240101"]));

code!(SYNTAX = "sts-txt-syntax", Error, High, "RFC 8461 §3.1", "MTA-STS TXT record breaks the grammar",
    what: "The record against the ABNF of RFC 8461 §3.1: `v=STSv1` first, fields separated by `;` with optional whitespace around it, `name=value` with no whitespace around `=`, printable US-ASCII only, no trailing whitespace unless a `;` follows.",
    why: "Senders that find a record not matching the grammar treat the domain as having no MTA-STS policy.",
    example: "`v=STSv1; id = 2024` (spaces around `=`), `v=STSv1;; id=1` (empty field), `v=STSv1; id=1 ` (trailing space).",
    fix: "Write the record as `v=STSv1; id=<1 to 32 letters and digits>`; the finding's fix gives the corrected record where one can be derived.",
    bad: Example::StsTxt(&["v=STSv1; id = 2024"]),
    good: Example::StsTxt(&["v=STSv1; id=2024"]));

code!(ID_MISSING = "sts-txt-id-missing", Error, High, "RFC 8461 §3.1", "No `id` field",
    what: "Whether the record has an `id=` field (the field name is case-sensitive).",
    why: "The id is required: senders compare it with the id of their cached policy to learn when to fetch the policy again. A record without one is invalid.",
    example: "`v=STSv1; ID=2024` (`ID` is not `id`), or `v=STSv1; mode=enforce` (the policy's fields do not belong here).",
    fix: "Add `id=` with 1 to 32 letters and digits, for example a timestamp: `v=STSv1; id=20240101000000`.",
    bad: Example::StsTxt(&["v=STSv1; ID=2024"]),
    good: Example::StsTxt(&["v=STSv1; id=2024"]));

code!(ID_INVALID = "sts-txt-id-invalid", Error, High, "RFC 8461 §3.1", "`id` is not 1 to 32 letters and digits",
    what: "The value of `id`: `1*32(ALPHA / DIGIT)`, so at most 32 characters and no punctuation.",
    why: "A malformed id makes the whole record invalid, so senders see no MTA-STS policy. A 33-character id, or one with `-` or `.` (as in a date `2024-01-01`), is a common slip.",
    example: "`v=STSv1; id=2024-01-01` or an id of 33 characters.",
    fix: "Use only letters and digits, at most 32: `id=20240101`.",
    bad: Example::StsTxt(&["v=STSv1; id=2024-01-01"]),
    good: Example::StsTxt(&["v=STSv1; id=20240101"]));

code!(DUPLICATE_FIELD = "sts-txt-duplicate-field", Warning, Medium, "RFC 8461 §3.1, §3.2", "A field appears more than once",
    what: "Whether a field name appears twice in the record.",
    why: "The first occurrence wins and later ones are ignored (RFC 8461 §3.2, last paragraph, applies to TXT records and policy files). A second `id` you changed will be ignored by senders, so they will not notice the policy changed.",
    example: "`v=STSv1; id=2023; id=2024` (senders use 2023).",
    fix: "Keep one `id` field holding the current id.",
    bad: Example::StsTxt(&["v=STSv1; id=2023; id=2024"]),
    good: Example::StsTxt(&["v=STSv1; id=2024"]));

code!(UNKNOWN_FIELD = "sts-txt-unknown-field", Info, Low, "RFC 8461 §3.1", "Unknown field (ignored)",
    what: "Fields other than `id`.",
    why: "Unknown fields are ignored by senders. That is harmless, but a typo hides here, and policy fields (`mode`, `mx`) do not belong in the TXT record.",
    example: "`v=STSv1; id=2024; mode=enforce` (mode belongs in the policy file).",
    fix: "Remove the field unless an extension you use defines it.",
    bad: Example::StsTxt(&["v=STSv1; id=2024; mode=enforce"]),
    good: Example::StsTxt(&["v=STSv1; id=2024"]));

pub(crate) const CODES: &[Code] = &[
    NOT_FOUND,
    SEVERAL,
    PREFIX,
    SYNTAX,
    ID_MISSING,
    ID_INVALID,
    DUPLICATE_FIELD,
    UNKNOWN_FIELD,
];

/// An extension field (`name=value`) of a TXT record, kept for display and round trips.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Field name as written.
    pub name: String,
    /// Field value as written.
    pub value: String,
}

/// A valid MTA-STS TXT record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StsRecord {
    /// The policy id (1 to 32 letters and digits).
    pub id: String,
    /// Other fields, in order (ignored by senders).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
}

/// Why a single TXT record is not a valid record of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The text does not begin with the version tag: it is a record of some other kind.
    #[error("not {0} record")]
    NotThisKind(&'static str),
    /// It is a record of this kind, but it breaks the RFC at byte `offset`.
    #[error("{message} (at byte {offset})")]
    Invalid {
        /// Finding code of the first error.
        code: Code,
        /// Byte offset of the first error.
        offset: usize,
        /// What is wrong.
        message: String,
        /// The text from `offset` on.
        rest: String,
    },
}

impl RecordError {
    pub(crate) fn from_findings(record: &str, findings: &[Finding], syntax: Code) -> Self {
        let first = findings.iter().find(|f| f.is_error());
        let offset = first.and_then(|f| f.span).map_or(0, |s| s.start);
        RecordError::Invalid {
            code: first.map_or(syntax, |f| f.code),
            offset,
            message: first.map(|f| f.message.to_string()).unwrap_or_default(),
            rest: record.get(offset..).unwrap_or_default().to_owned(),
        }
    }
}

impl FromStr for StsRecord {
    type Err = RecordError;

    /// Parses one record (its character-strings already joined).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if matches!(scan::scan(s, STS_VERSION), Scan::NotThisKind) {
            return Err(RecordError::NotThisKind("an MTA-STS"));
        }
        match parse_record(s, 1) {
            (Some(r), f) if !f.iter().any(Finding::is_error) => Ok(r),
            (_, f) => Err(RecordError::from_findings(s, &f, SYNTAX)),
        }
    }
}

impl fmt::Display for StsRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{STS_VERSION}; id={}", self.id)?;
        for e in &self.extensions {
            write!(f, "; {}={}", e.name, e.value)?;
        }
        Ok(())
    }
}

fn is_sts_id(v: &str) -> bool {
    (1..=32).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Parses one record; `line` is its 1-based index in the set (for finding positions).
pub(crate) fn parse_record(r: &str, line: u32) -> (Option<StsRecord>, Vec<Finding>) {
    let mut findings = Vec::new();
    let fields = match KIND.fields(r, line) {
        Ok(fields) => fields,
        Err(f) => return (None, vec![*f]),
    };
    let mut id: Option<String> = None;
    let mut bad_id = false;
    let mut extensions: Vec<Extension> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for f in &fields {
        let loc = loc_in_record(r, line, f.name_start, f.value_start + f.value.len());
        if seen.contains(&f.name) {
            findings.push(
                Finding::new(
                    DUPLICATE_FIELD,
                    Subject::StsTxt,
                    format!(
                        "`{}` appears more than once; senders use the first and ignore this one",
                        f.name
                    ),
                )
                .at(loc)
                .fix(format!("remove this `{}` field", f.name)),
            );
            findings.extend(KIND.check_ext_value(r, line, f));
            continue;
        }
        seen.push(f.name);
        if f.name == "id" {
            if is_sts_id(f.value) {
                id = Some(f.value.to_owned());
            } else {
                bad_id = true;
                findings.push(invalid_id(r, line, f));
            }
            continue;
        }
        if let Some(bad) = KIND.check_ext_value(r, line, f) {
            findings.push(bad);
            continue;
        }
        findings.push(KIND.unknown_field(UNKNOWN_FIELD, "id", r, line, f));
        extensions.push(Extension {
            name: f.name.to_owned(),
            value: f.value.to_owned(),
        });
    }
    if id.is_none() && !bad_id {
        findings.push(missing_id(r, line, &fields));
    }
    let ok = !findings.iter().any(Finding::is_error);
    let rec = match id {
        Some(id) if ok => Some(StsRecord { id, extensions }),
        _ => None,
    };
    (rec, findings)
}

/// `id` that is not `1*32(ALPHA / DIGIT)`, with the cleaned id as the fix where there is one.
fn invalid_id(r: &str, line: u32, f: &RawField<'_>) -> Finding {
    let cleaned: String = f
        .value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(32)
        .collect();
    let why = if f.value.is_empty() {
        "`id` is empty".to_owned()
    } else if f.value.len() > 32 && f.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        format!(
            "`id` has {} characters; at most 32 are allowed",
            f.value.len()
        )
    } else {
        format!(
            "`id={}` may hold only letters and digits (1 to 32)",
            f.value
        )
    };
    let end = f.value_start + f.value.len().max(1);
    let finding = Finding::new(ID_INVALID, Subject::StsTxt, why).at(loc_in_record(
        r,
        line,
        f.value_start,
        end,
    ));
    if cleaned.is_empty() {
        finding
    } else {
        finding.fix(format!("id={cleaned}"))
    }
}

/// No `id` field: suggests renaming a field that differs only in case, or adding one.
fn missing_id(r: &str, line: u32, fields: &[RawField<'_>]) -> Finding {
    let finding = Finding::new(ID_MISSING, Subject::StsTxt, "the record has no `id` field")
        .at(loc_in_record(r, line, 0, STS_VERSION.len()));
    match fields.iter().find(|f| f.name.eq_ignore_ascii_case("id")) {
        Some(h) => finding.fix(format!(
            "rename `{}` to `id` (field names are case-sensitive)",
            h.name
        )),
        None => finding.fix(format!(
            "{}; id=20240101000000",
            r.trim_end_matches([';', ' ', '\t'])
        )),
    }
}

const KIND: Kind = Kind {
    version: STS_VERSION,
    owner: "_mta-sts",
    subject: Subject::StsTxt,
    not_found: NOT_FOUND,
    several: SEVERAL,
    prefix: PREFIX,
    syntax: SYNTAX,
};

/// Checks the whole set of TXT RRs found at `_mta-sts.<domain>` (each RR with its
/// character-strings already joined with nothing between them).
pub fn check_sts_txt<S: AsRef<str>>(records: &[S]) -> SetCheck<StsRecord> {
    scan::check_set(records, &KIND, parse_record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(records: &[&str]) -> Vec<String> {
        check_sts_txt(records)
            .findings
            .into_iter()
            .map(|f| f.code.to_string())
            .collect()
    }

    #[test]
    fn valid_records() {
        for r in [
            "v=STSv1; id=20160831085700Z",
            "v=STSv1;id=1",
            "v=STSv1; id=abcdefghijklmnopqrstuvwxyz123456", // exactly 32
            "v=STSv1; id=abc;",
            "v=STSv1; id=abc; ",
        ] {
            let c = check_sts_txt(&[r]);
            assert!(c.is_valid(), "{r:?}: {:?}", c.findings);
            assert!(c.findings.is_empty(), "{r:?}: {:?}", c.findings);
        }
    }

    #[test]
    fn invalid_records() {
        let table: &[(&str, &str)] = &[
            // 33 characters: one too many.
            (
                "v=STSv1; id=abcdefghijklmnopqrstuvwxyz1234567",
                "sts-txt-id-invalid",
            ),
            // Punctuation is not allowed in an id.
            ("v=STSv1; id=2024-01-01", "sts-txt-id-invalid"),
            // An empty id.
            ("v=STSv1; id=", "sts-txt-id-invalid"),
            // The id is required.
            ("v=STSv1; foo=bar", "sts-txt-id-missing"),
            // Field names are case-sensitive.
            ("v=STSv1; ID=abc", "sts-txt-id-missing"),
            // Version is case-sensitive.
            ("v=stsv1; id=abc", "sts-txt-syntax"),
            // Trailing whitespace without ";".
            ("v=STSv1; id=abc ", "sts-txt-syntax"),
            // Whitespace around "=".
            ("v=STSv1; id= abc", "sts-txt-id-invalid"),
            // Not an MTA-STS record at all.
            ("v=spf1 -all", "sts-txt-not-found"),
            // An extension value may not contain "=".
            ("v=STSv1; id=a; x=a=b", "sts-txt-syntax"),
        ];
        for (r, code) in table {
            let c = check_sts_txt(&[r]);
            assert!(!c.is_valid(), "{r:?} should be invalid");
            assert!(
                codes(&[r]).contains(&(*code).to_owned()),
                "{r:?}: {:?}",
                c.findings
            );
        }
    }

    #[test]
    fn first_id_wins() {
        let c = check_sts_txt(&["v=STSv1; id=first; id=second"]);
        assert_eq!(c.record.as_ref().map(|r| r.id.as_str()), Some("first"));
        assert!(c.is_valid());
        assert_eq!(
            codes(&["v=STSv1; id=first; id=second"]),
            ["sts-txt-duplicate-field"]
        );
    }

    #[test]
    fn several_records() {
        let c = check_sts_txt(&["v=STSv1; id=a", "v=STSv1; id=b"]);
        assert!(!c.is_valid());
        assert!(c.record.is_none());
        // Unrelated records beside it do not matter.
        let c = check_sts_txt(&["v=spf1 -all", "v=STSv1; id=a"]);
        assert!(c.is_valid(), "{:?}", c.findings);
        assert_eq!(c.chosen, Some(1));
        // A space before ";" is discarded beside another record, so one remains.
        let c = check_sts_txt(&["v=STSv1 ; id=a", "v=STSv1; id=b"]);
        assert_eq!(c.record.map(|r| r.id), Some("b".to_owned()));
        // Alone, the same record is valid, with a warning.
        let c = check_sts_txt(&["v=STSv1 ; id=a"]);
        assert!(c.is_valid());
        assert_eq!(c.findings[0].code.as_str(), "sts-txt-prefix");
        // Beside a non-STS record, it is discarded: nothing remains.
        let c = check_sts_txt(&["v=STSv1 ; id=a", "v=spf1 -all"]);
        assert!(!c.is_valid());
    }

    #[test]
    fn from_str_tells_not_this_kind_from_broken() {
        assert_eq!(
            "v=spf1 -all".parse::<StsRecord>(),
            Err(RecordError::NotThisKind("an MTA-STS"))
        );
        assert!(matches!(
            "v=STSv1; id=a-b".parse::<StsRecord>(),
            Err(RecordError::Invalid { offset: 12, .. })
        ));
        let r: StsRecord = "v=STSv1;id=x;ext=1".parse().expect("valid");
        assert_eq!(r.to_string(), "v=STSv1; id=x; ext=1");
        assert_eq!(r.to_string().parse::<StsRecord>(), Ok(r));
    }
}
