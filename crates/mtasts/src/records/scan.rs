//! The `key=value; key=value` grammar shared by the MTA-STS TXT record (RFC 8461 §3.1) and the
//! TLS-RPT TXT record (RFC 8460 §3):
//!
//! ```text
//! record      = version 1*(field-delim field) [field-delim]
//! field-delim = *WSP ";" *WSP
//! field       = name "=" value
//! ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
//! ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
//! ```
//!
//! This module only splits a record into fields; what a field's value must look like is decided by
//! the record kind (`sts_txt`, `tlsrpt`). It also implements the discovery rule for a set of RRs.

/// One `name=value` field of a record, with byte offsets into the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawField<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: &'a str,
    pub(crate) name_start: usize,
    pub(crate) value_start: usize,
}

/// A grammar violation at byte `offset`, `len` bytes long (at least 1 where possible).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) offset: usize,
    pub(crate) len: usize,
    pub(crate) message: String,
    pub(crate) fix: Option<String>,
}

/// How a record's text relates to the record kind with version tag `version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scan<'a> {
    /// It does not start with the version tag (even loosely): a record of some other kind.
    NotThisKind,
    /// It is meant to be this kind of record, but breaks the grammar.
    Broken(SyntaxError),
    /// It matches the grammar; these are its fields after the version, in order.
    Fields(Vec<RawField<'a>>),
}

pub(crate) fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`
pub(crate) fn is_ext_name(name: &str) -> bool {
    // 1: ALPHA / DIGIT; 2: "_" / "-" / "."; a table, as every policy line asks.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut i = 0;
        while i < 256 {
            let b = i as u8;
            t[i] = if b.is_ascii_alphanumeric() {
                1
            } else if b == b'_' || b == b'-' || b == b'.' {
                2
            } else {
                0
            };
            i += 1;
        }
        t
    };
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && CLASS[usize::from(b[0])] == 1
        && b[1..].iter().all(|&c| CLASS[usize::from(c)] != 0)
}

/// `1*(%x21-3A / %x3C / %x3E-7E)`: printable US-ASCII but `;` and `=`. Returns the offset of the
/// first byte that is not allowed (the length when the value is empty).
pub(crate) fn first_bad_ext_value_byte(value: &str) -> Option<usize> {
    if value.is_empty() {
        return Some(0);
    }
    value
        .bytes()
        .position(|b| !(0x21..=0x7e).contains(&b) || b == b';' || b == b'=')
}

/// True when `record` loosely looks like it was meant to be of this kind: after leading
/// whitespace it starts with the version tag, compared case-insensitively.
fn looks_like(record: &str, version: &str) -> bool {
    let t = record.trim_start().as_bytes();
    t.len() >= version.len() && t[..version.len()].eq_ignore_ascii_case(version.as_bytes())
}

fn err(offset: usize, len: usize, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        offset,
        len: len.max(1),
        message: message.into(),
        fix: None,
    }
}

/// Splits `record` into fields by the grammar above, with version tag `version`.
pub(crate) fn scan<'a>(record: &'a str, version: &str) -> Scan<'a> {
    if !looks_like(record, version) {
        return Scan::NotThisKind;
    }
    let checked = version_error(record, version)
        .or_else(|| charset_error(record))
        .map_or_else(|| fields(record, version), Err);
    match checked {
        Ok(fields) => Scan::Fields(fields),
        Err(e) => Scan::Broken(e),
    }
}

/// The record must begin with exactly the version tag.
fn version_error(record: &str, version: &str) -> Option<SyntaxError> {
    if record.starts_with(version) {
        return None;
    }
    let lead = record.bytes().take_while(|&c| is_wsp(c)).count();
    let mut e = if lead > 0 {
        err(
            0,
            lead,
            format!("the record must begin with `{version}`, with nothing before it"),
        )
    } else {
        err(
            0,
            version.len(),
            format!("the version tag is case-sensitive: it must be exactly `{version}`"),
        )
    };
    let rest = &record.trim_start()[version.len()..];
    e.fix = Some(format!("{version}{rest}"));
    Some(e)
}

/// Printable US-ASCII, spaces and tabs only.
fn charset_error(record: &str) -> Option<SyntaxError> {
    let pos = record
        .bytes()
        .position(|c| !c.is_ascii() || c.is_ascii_control() && !is_wsp(c))?;
    let len = record[pos..].chars().next().map_or(1, char::len_utf8);
    Some(err(
        pos,
        len,
        "the record may hold only printable US-ASCII characters, spaces and tabs",
    ))
}

/// The fields after the version tag: `1*(field-delim field) [field-delim]`.
fn fields<'a>(record: &'a str, version: &str) -> Result<Vec<RawField<'a>>, SyntaxError> {
    let mut fields = Vec::new();
    let mut i = version.len();
    while let Some(start) = delimiter(record, i, version, fields.is_empty())? {
        let (f, end) = field(record, start)?;
        fields.push(f);
        i = end;
    }
    Ok(fields)
}

/// `*WSP ";" *WSP` at byte `i`: the start of the next field, or `None` where the record may end
/// (at the end, after at least one field, with or without a trailing delimiter).
fn delimiter(
    record: &str,
    mut i: usize,
    version: &str,
    first: bool,
) -> Result<Option<usize>, SyntaxError> {
    let b = record.as_bytes();
    if i == b.len() {
        return if first {
            Err(err(
                i,
                1,
                format!("`{version}` must be followed by `;` and at least one field"),
            ))
        } else {
            Ok(None)
        };
    }
    let ws_start = i;
    while i < b.len() && is_wsp(b[i]) {
        i += 1;
    }
    if i == b.len() {
        let mut e = err(
            ws_start,
            i - ws_start,
            "whitespace at the end of the record is allowed only before a `;`",
        );
        e.fix = Some(record[..ws_start].to_owned());
        return Err(e);
    }
    if b[i] != b';' {
        let message = if ws_start == version.len() && first {
            format!("expected `;` after `{version}`")
        } else {
            "expected `;` between fields".to_owned()
        };
        return Err(err(i, 1, message));
    }
    i += 1;
    while i < b.len() && is_wsp(b[i]) {
        i += 1;
    }
    if i < b.len() {
        Ok(Some(i))
    } else if first {
        Err(err(
            i,
            1,
            format!("`{version};` must be followed by at least one field"),
        ))
    } else {
        Ok(None) // the optional trailing delimiter
    }
}

/// `name "=" value` at byte `start`: the field and where it ends (before trailing whitespace).
fn field(record: &str, start: usize) -> Result<(RawField<'_>, usize), SyntaxError> {
    let b = record.as_bytes();
    let mut i = start;
    while i < b.len() && b[i] != b'=' && b[i] != b';' {
        i += 1;
    }
    if i == start {
        let message = if b[i] == b';' {
            "empty field: two `;` in a row"
        } else {
            "a field needs a name before `=`"
        };
        return Err(err(i, 1, message));
    }
    if i == b.len() || b[i] == b';' {
        let text = record[start..i].trim_end_matches([' ', '\t']);
        return Err(err(
            start,
            text.len(),
            format!("`{text}` is not a `name=value` field"),
        ));
    }
    let name = &record[start..i];
    if !is_ext_name(name) {
        let message = if name.contains([' ', '\t']) {
            "no whitespace is allowed around `=`".to_owned()
        } else {
            format!("`{name}` is not a valid field name (a letter or digit, then up to 31 letters, digits, `_`, `-`, `.`)")
        };
        return Err(err(start, name.len(), message));
    }
    let value_start = i + 1;
    let value_len = record[value_start..]
        .find(';')
        .unwrap_or(record.len() - value_start);
    let value = record[value_start..value_start + value_len].trim_end_matches([' ', '\t']);
    let f = RawField {
        name,
        value,
        name_start: start,
        value_start,
    };
    Ok((f, value_start + value.len()))
}

/// The outcome of the discovery rule over a set of TXT RRs (RFC 8461 §3.1, RFC 8460 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Discovery {
    /// No RR is of this kind at all.
    None,
    /// Exactly this RR (index into the set) is the one record that counts.
    One(usize),
    /// Several RRs begin with the exact prefix `version;`: the domain has no valid record.
    Several(Vec<usize>),
    /// Several RRs were returned and none begins with the exact prefix, though some look like
    /// records of this kind (indices of those).
    NoneExact(Vec<usize>),
}

/// Applies the discovery rule: a single RR is judged by the grammar alone; among several, every RR
/// that does not begin with exactly `version;` is discarded and exactly one must remain.
pub(crate) fn discover<S: AsRef<str>>(records: &[S], version: &str) -> Discovery {
    match records.len() {
        0 => Discovery::None,
        1 => {
            if looks_like(records[0].as_ref(), version) {
                Discovery::One(0)
            } else {
                Discovery::None
            }
        }
        _ => {
            let prefix = format!("{version};");
            let exact: Vec<usize> = (0..records.len())
                .filter(|&i| records[i].as_ref().starts_with(&prefix))
                .collect();
            match exact.len() {
                1 => Discovery::One(exact[0]),
                0 => {
                    let loose: Vec<usize> = (0..records.len())
                        .filter(|&i| looks_like(records[i].as_ref(), version))
                        .collect();
                    if loose.is_empty() {
                        Discovery::None
                    } else {
                        Discovery::NoneExact(loose)
                    }
                }
                _ => Discovery::Several(exact),
            }
        }
    }
}

/// Indices of the RRs (other than `chosen`) that look like this kind but were discarded because
/// they do not begin with exactly `version;` (erratum 6285: valid alone, discarded beside others).
pub(crate) fn discarded_lookalikes<S: AsRef<str>>(
    records: &[S],
    version: &str,
    chosen: usize,
) -> Vec<usize> {
    if records.len() < 2 {
        return Vec::new();
    }
    let prefix = format!("{version};");
    (0..records.len())
        .filter(|&i| {
            i != chosen
                && looks_like(records[i].as_ref(), version)
                && !records[i].as_ref().starts_with(&prefix)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: &str = "v=STSv1";

    fn fields(r: &str) -> Vec<(String, String)> {
        match scan(r, V) {
            Scan::Fields(f) => f
                .iter()
                .map(|f| (f.name.to_owned(), f.value.to_owned()))
                .collect(),
            other => panic!("{r:?}: expected fields, got {other:?}"),
        }
    }

    fn broken(r: &str) -> SyntaxError {
        match scan(r, V) {
            Scan::Broken(e) => e,
            other => panic!("{r:?}: expected broken, got {other:?}"),
        }
    }

    #[test]
    fn good_records() {
        let table: &[(&str, &[(&str, &str)])] = &[
            ("v=STSv1; id=abc", &[("id", "abc")]),
            ("v=STSv1;id=abc", &[("id", "abc")]),
            ("v=STSv1; id=abc;", &[("id", "abc")]),
            ("v=STSv1; id=abc; ", &[("id", "abc")]),
            ("v=STSv1 ; id=abc", &[("id", "abc")]),
            ("v=STSv1\t;\tid=abc\t;\t", &[("id", "abc")]),
            ("v=STSv1; id=abc; ext=x", &[("id", "abc"), ("ext", "x")]),
            ("v=STSv1; id=a ;x-y.z_=v", &[("id", "a"), ("x-y.z_", "v")]),
        ];
        for (r, want) in table {
            let got = fields(r);
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| ((*a).into(), (*b).into()))
                .collect();
            assert_eq!(got, want, "{r:?}");
        }
    }

    #[test]
    fn broken_records() {
        let table: &[(&str, usize, &str)] = &[
            // The version must be followed by at least one field.
            ("v=STSv1", 7, "at least one field"),
            ("v=STSv1;", 8, "at least one field"),
            ("v=STSv1; ", 9, "at least one field"),
            // Trailing whitespace without a following ";" is outside the grammar.
            ("v=STSv1; id=abc ", 15, "whitespace at the end"),
            // Two delimiters in a row make an empty field.
            ("v=STSv1;; id=abc", 8, "empty field"),
            // No whitespace around "=".
            ("v=STSv1; id =abc", 9, "around `=`"),
            // A field must be name=value.
            ("v=STSv1; id", 9, "not a `name=value`"),
            ("v=STSv1; id=abc; junk", 17, "not a `name=value`"),
            // Fields are separated by ";", not spaces.
            ("v=STSv1 id=abc", 8, "expected `;`"),
            // The version tag is case-sensitive.
            ("v=stsv1; id=abc", 0, "case-sensitive"),
            // Nothing may precede the version.
            (" v=STSv1; id=abc", 0, "nothing before"),
            // Non-ASCII is not allowed anywhere.
            ("v=STSv1; id=abc; x=é", 19, "US-ASCII"),
            // Field names start with a letter or digit and are at most 32 characters.
            ("v=STSv1; _x=1", 9, "not a valid field name"),
            (
                "v=STSv1; aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
                9,
                "not a valid field name",
            ),
        ];
        for (r, offset, msg) in table {
            let e = broken(r);
            assert_eq!(e.offset, *offset, "{r:?}: {e:?}");
            assert!(e.message.contains(msg), "{r:?}: {e:?}");
        }
    }

    #[test]
    fn not_this_kind() {
        for r in [
            "",
            "v=spf1 -all",
            "google-site-verification=x",
            "v=STS",
            "id=abc; v=STSv1",
        ] {
            assert_eq!(scan(r, V), Scan::NotThisKind, "{r:?}");
        }
    }

    #[test]
    fn discovery_rule() {
        assert_eq!(discover::<&str>(&[], V), Discovery::None);
        assert_eq!(discover(&["v=spf1 -all"], V), Discovery::None);
        assert_eq!(discover(&["v=STSv1 ; id=a"], V), Discovery::One(0));
        assert_eq!(discover(&["v=spf1", "v=STSv1; id=a"], V), Discovery::One(1));
        // Discarded: does not begin with exactly "v=STSv1;".
        assert_eq!(
            discover(&["v=STSv1 ; id=a", "v=STSv1; id=b"], V),
            Discovery::One(1)
        );
        assert_eq!(
            discover(&["v=STSv1; id=a", "v=STSv1;id=b"], V),
            Discovery::Several(vec![0, 1])
        );
        assert_eq!(
            discover(&["v=STSv1 ; id=a", "x"], V),
            Discovery::NoneExact(vec![0])
        );
        assert_eq!(
            discarded_lookalikes(&["v=STSv1 ; id=a", "v=STSv1; id=b"], V, 1),
            vec![0]
        );
    }
}

use crate::code_type::Code;
use crate::finding::location::loc_in_record;
use crate::finding::{Finding, Subject};

/// What differs between the two record kinds when a set of RRs is checked.
pub(crate) struct Kind {
    pub(crate) version: &'static str,
    pub(crate) owner: &'static str,
    pub(crate) subject: Subject,
    pub(crate) not_found: Code,
    pub(crate) several: Code,
    pub(crate) prefix: Code,
    pub(crate) syntax: Code,
}

impl Kind {
    /// An unknown field (ignored by senders), with a hint when it is `known` in another case.
    pub(crate) fn unknown_field(
        &self,
        code: Code,
        known: &str,
        r: &str,
        line: u32,
        f: &RawField<'_>,
    ) -> Finding {
        let hint = if f.name.eq_ignore_ascii_case(known) {
            format!(" (field names are case-sensitive: did you mean `{known}`?)")
        } else {
            String::new()
        };
        Finding::new(
            code,
            self.subject,
            format!("unknown field `{}` is ignored{hint}", f.name),
        )
        .at(loc_in_record(
            r,
            line,
            f.name_start,
            f.value_start + f.value.len(),
        ))
    }

    /// Scans one record into fields, or the finding that says why it has none.
    pub(crate) fn fields<'a>(
        &self,
        r: &'a str,
        line: u32,
    ) -> Result<Vec<RawField<'a>>, Box<Finding>> {
        match scan(r, self.version) {
            Scan::NotThisKind => Err(Box::new(Finding::new(
                self.not_found,
                self.subject,
                format!("the record does not begin with `{}`", self.version),
            ))),
            Scan::Broken(e) => {
                let f = Finding::new(self.syntax, self.subject, e.message).at(loc_in_record(
                    r,
                    line,
                    e.offset,
                    e.offset + e.len,
                ));
                Err(Box::new(match e.fix {
                    Some(fix) => f.fix(fix),
                    None => f,
                }))
            }
            Scan::Fields(fields) => Ok(fields),
        }
    }

    /// The finding for an extension value that breaks `ext-value`, if it does.
    pub(crate) fn check_ext_value(&self, r: &str, line: u32, f: &RawField<'_>) -> Option<Finding> {
        let bad = first_bad_ext_value_byte(f.value)?;
        let msg = match f.value.as_bytes().get(bad) {
            None => "a field value may not be empty".to_owned(),
            Some(&c) if is_wsp(c) => "a field value may not contain whitespace".to_owned(),
            Some(&c) => format!("`{}` is not allowed in a field value", c as char),
        };
        Some(
            Finding::new(self.syntax, self.subject, msg).at(loc_in_record(
                r,
                line,
                f.value_start + bad,
                f.value_start + bad + 1,
            )),
        )
    }
}

/// The result of checking one set of TXT RRs found at a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCheck<R> {
    /// The one valid record that counts, if there is one.
    pub record: Option<R>,
    /// Index (0-based) of the RR that counts, if discovery found exactly one.
    pub chosen: Option<usize>,
    /// What was found; record findings carry `line` = 1-based index of the RR.
    pub findings: Vec<Finding>,
}

impl<R> SetCheck<R> {
    /// True when the set holds exactly one valid record and no finding is an error.
    pub fn is_valid(&self) -> bool {
        self.record.is_some() && !self.findings.iter().any(Finding::is_error)
    }
}

fn line_no(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

/// Applies discovery, then `parse_one` to the RR that counts (`line` is its 1-based index).
pub(crate) fn check_set<S: AsRef<str>, R>(
    records: &[S],
    kind: &Kind,
    parse_one: impl Fn(&str, u32) -> (Option<R>, Vec<Finding>),
) -> SetCheck<R> {
    let (chosen, mut findings) = choose(records, kind);
    let Some(i) = chosen else {
        return SetCheck {
            record: None,
            chosen: None,
            findings,
        };
    };
    let (record, mut more) = parse_one(records[i].as_ref(), line_no(i));
    findings.append(&mut more);
    SetCheck {
        record,
        chosen: Some(i),
        findings,
    }
}

/// The discovery rule over `records`: the index of the RR that counts, if one does, and what was
/// found about the set before it is parsed (generic in `S` only: both kinds of record share it).
fn choose<S: AsRef<str>>(records: &[S], kind: &Kind) -> (Option<usize>, Vec<Finding>) {
    let mut findings = Vec::new();
    let i = match discover(records, kind.version) {
        Discovery::None => {
            findings.push(not_found(records.len(), kind));
            return (None, findings);
        }
        Discovery::Several(idx) => {
            several(records, kind, &idx, &mut findings);
            return (None, findings);
        }
        Discovery::NoneExact(idx) => {
            none_exact(records, kind, &idx, &mut findings);
            return (None, findings);
        }
        Discovery::One(i) => i,
    };
    let v = kind.version;
    for j in discarded_lookalikes(records, v, i) {
        let r = records[j].as_ref();
        findings.push(
            Finding::new(
                kind.prefix,
                kind.subject,
                format!("record {} looks like a `{v}` record but is discarded: beside other TXT records only those beginning with exactly `{v};` count", j + 1),
            )
            .at(loc_in_record(r, line_no(j), 0, r.len().min(v.len() + 2)))
            .fix(format!("delete record {}, or merge it into the one record", j + 1)),
        );
    }
    let r = records[i].as_ref();
    if records.len() == 1 && r.starts_with(v) && !r.starts_with(&format!("{v};")) {
        findings.push(inexact_prefix(r, kind));
    }
    (Some(i), findings)
}

/// No RR of this kind among the `count` at the owner name.
fn not_found(count: usize, kind: &Kind) -> Finding {
    let v = kind.version;
    let msg = if count == 0 {
        format!("no TXT record at {}", kind.owner)
    } else {
        format!(
            "none of the {count} TXT record(s) at {} begins with `{v}`",
            kind.owner
        )
    };
    Finding::new(kind.not_found, kind.subject, msg)
}

/// Several RRs (`idx`) begin with exactly `version;`: a finding at each, for none counts.
fn several<S: AsRef<str>>(records: &[S], kind: &Kind, idx: &[usize], findings: &mut Vec<Finding>) {
    let v = kind.version;
    let list: Vec<String> = idx.iter().map(|i| (i + 1).to_string()).collect();
    for &i in idx {
        let r = records[i].as_ref();
        findings.push(
            Finding::new(
                kind.several,
                kind.subject,
                format!(
                    "{} records at {} begin with `{v};` (records {}): senders see no valid record at all",
                    idx.len(),
                    kind.owner,
                    list.join(", ")
                ),
            )
            .at(loc_in_record(r, line_no(i), 0, r.len()))
            .fix(format!("publish exactly one `{v};` record at {} and delete the others", kind.owner)),
        );
    }
}

/// Several RRs were returned and those that look like this kind (`idx`) do not begin with
/// exactly `version;`: each is discarded, and no record counts.
fn none_exact<S: AsRef<str>>(
    records: &[S],
    kind: &Kind,
    idx: &[usize],
    findings: &mut Vec<Finding>,
) {
    let v = kind.version;
    for &i in idx {
        let r = records[i].as_ref();
        findings.push(
            Finding::new(
                kind.prefix,
                kind.subject,
                format!("record {} is discarded: among several TXT records only one beginning with exactly `{v};` counts", i + 1),
            )
            .severity(crate::finding::Severity::Error)
            .at(loc_in_record(r, line_no(i), 0, r.len().min(v.len() + 2)))
            .fix(format!("begin the record with exactly `{v};` (no space before `;`)")),
        );
    }
    findings.push(Finding::new(
        kind.not_found,
        kind.subject,
        format!("no usable record at {}: several TXT records were returned and none begins with exactly `{v};`", kind.owner),
    ));
}

/// The one RR `r` counts, but does not begin with exactly `version;`: it would be discarded
/// beside another TXT record (erratum 6285).
fn inexact_prefix(r: &str, kind: &Kind) -> Finding {
    let v = kind.version;
    let end = r[v.len()..].find(';').map_or(r.len(), |p| v.len() + p + 1);
    let rest = r[end.min(r.len())..].trim_start_matches([' ', '\t']);
    Finding::new(
        kind.prefix,
        kind.subject,
        format!("valid on its own, but does not begin with exactly `{v};`: if another TXT record is ever added at {}, senders will discard this one", kind.owner),
    )
    .at(loc_in_record(r, 1, v.len(), end))
    .fix(format!("{v}; {rest}"))
}
