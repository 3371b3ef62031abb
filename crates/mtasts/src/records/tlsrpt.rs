//! The TLS-RPT TXT record at `_smtp._tls.<domain>` (RFC 8460 §3).
//!
//! ```text
//! tlsrpt-record  = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
//! tlsrpt-version = %s"v=TLSRPTv1"
//! tlsrpt-rua     = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//! tlsrpt-uri     = URI     ; RFC 3986; "," "!" ";" MUST be percent-encoded
//! ```
//!
//! `rua` is required. When it appears more than once, every URI of every `rua` is used, in order
//! (the grammar allows it and RFC 8460 says nothing against it; see RFC-NOTES.md item 24).

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
use crate::records::sts_txt::{Extension, RecordError};

/// The version tag every TLS-RPT record begins with.
pub const TLSRPT_VERSION: &str = "v=TLSRPTv1";

code!(NOT_FOUND = "tlsrpt-not-found", Error, Medium, "RFC 8460 §3", "No TLS-RPT record",
    what: "Whether the TXT records at `_smtp._tls.<domain>` include one that begins with `v=TLSRPTv1`.",
    why: "Without TLS-RPT, senders have nowhere to report failed TLS connections, so you cannot see whether your MTA-STS policy would break delivery before you enforce it.",
    example: "No TXT record at `_smtp._tls.example.com`.",
    fix: "Publish `_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@example.com\"` with a mailbox you read.",
    bad: Example::Tlsrpt(&["v=spf1 -all"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:tls@example.com"]));

code!(SEVERAL = "tlsrpt-several", Error, Medium, "RFC 8460 §3", "Several TLS-RPT records",
    what: "Whether more than one TXT record at `_smtp._tls.<domain>` begins with `v=TLSRPTv1;`.",
    why: "Senders then treat the domain as having no TLS-RPT record, and send no reports at all.",
    example: "Two records, one from an old reporting provider and one from a new one.",
    fix: "Publish exactly one record; put several addresses in one `rua=` separated by commas.",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com"]));

code!(PREFIX = "tlsrpt-prefix", Warning, Low, "RFC 8460 §3", "Record does not begin with exactly `v=TLSRPTv1;`",
    what: "Whether the record begins with the exact bytes `v=TLSRPTv1;`.",
    why: "Among several TXT records, senders keep only those beginning with exactly `v=TLSRPTv1;`; a space before the `;` makes the record vanish once another TXT record appears at the name (and now, if one already has).",
    example: "`v=TLSRPTv1 ; rua=mailto:tls@example.com`",
    fix: "Write `v=TLSRPTv1; rua=…` with no space before the first `;`.",
    bad: Example::Tlsrpt(&["v=TLSRPTv1 ; rua=mailto:tls@example.com"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:tls@example.com"]));

code!(SYNTAX = "tlsrpt-syntax", Error, Medium, "RFC 8460 §3", "TLS-RPT record breaks the grammar",
    what: "The record against the ABNF of RFC 8460 §3: `v=TLSRPTv1` first, `;`-separated `name=value` fields, printable US-ASCII only.",
    why: "Senders ignore a record that does not match the grammar, so no reports are sent.",
    example: "`v=TLSRPTv1; rua = mailto:tls@example.com` (spaces around `=`).",
    fix: "Write `v=TLSRPTv1; rua=mailto:tls-reports@example.com`.",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; rua = mailto:tls@example.com"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:tls@example.com"]));

code!(RUA_MISSING = "tlsrpt-rua-missing", Error, Medium, "RFC 8460 §3", "No `rua` field",
    what: "Whether the record has a `rua=` field (case-sensitive).",
    why: "`rua` is required: it is where reports go. Without it the record is invalid.",
    example: "`v=TLSRPTv1;` or `v=TLSRPTv1; RUA=mailto:tls@example.com`.",
    fix: "Add `rua=mailto:<address>` or `rua=https://<endpoint>`.",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; RUA=mailto:tls@example.com"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:tls@example.com"]));

code!(RUA_INVALID = "tlsrpt-rua-invalid", Error, Medium, "RFC 8460 §3", "A `rua` URI is not a valid URI",
    what: "Each URI in `rua`: an RFC 3986 URI (scheme, colon, then URI characters), several separated by commas, with `,` `!` and `;` inside a URI percent-encoded.",
    why: "An invalid URI makes the record invalid, so senders report nowhere.",
    example: "`rua=tls@example.com` (no scheme), `rua=mailto:a@example.com!10m` (DMARC's size suffix does not exist here), `rua=mailto:a b@example.com`.",
    fix: "Write full URIs: `rua=mailto:tls@example.com,https://reports.example.com/v1`.",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; rua=tls@example.com"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:tls@example.com"]));

code!(RUA_UNUSABLE = "tlsrpt-rua-unusable", Warning, Medium, "RFC 8460 §3", "A `rua` URI cannot receive reports",
    what: "Whether each `rua` URI can actually receive reports: `mailto:` with an address, or `https:` with a host. Other schemes are valid syntax but unsupported by RFC 8460.",
    why: "The record is valid, but reports sent to such a URI never arrive, so you would roll out MTA-STS blind.",
    example: "`rua=mailto:` (no address), `rua=https:/path` (no host), `rua=ftp://example.com/`.",
    fix: "Use `mailto:you@example.com` or `https://host/path`.",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; rua=ftp://example.com/"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=https://reports.example.com/v1"]));

code!(RUA_REPEATED = "tlsrpt-rua-repeated", Info, Low, "RFC 8460 §3", "`rua` appears more than once",
    what: "Whether `rua` appears as more than one field.",
    why: "The grammar allows it; mtasts uses every URI of every `rua`, in order, but some senders may use only the first. One `rua` with a comma-separated list is clearer.",
    example: "`v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com`",
    fix: "`v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com`",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com"]));

code!(UNKNOWN_FIELD = "tlsrpt-unknown-field", Info, Low, "RFC 8460 §3", "Unknown field (ignored)",
    what: "Fields other than `rua`.",
    why: "Senders ignore them, but a typo hides here (then `rua` is missing).",
    example: "`v=TLSRPTv1; ruf=mailto:x@example.com` (DMARC's `ruf` does not exist in TLS-RPT).",
    fix: "Remove the field unless an extension you use defines it.",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:tls@example.com; ruf=mailto:x@example.com"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=mailto:tls@example.com"]));

code!(RUA_MTASTS = "tlsrpt-rua-mtasts", Info, Low, "RFC 8460 §3", "Reports go to mtasts monitoring",
    what: "Whether a `rua` URI is an mtasts monitoring destination: `https://<host>/api/tlsrpt/<token>`, or a `mailto:` whose local part (or its `+` sub-address) is such a token.",
    why: "Then the reports are collected, read and summarised for the domain's monitor subscription (failures can alert its webhook), rather than landing in a mailbox nobody reads. A note, not a problem: check it is your own subscription's destination.",
    example: "`v=TLSRPTv1; rua=https://mtasts.example/api/tlsrpt/0123456789abcdef01234567-0123456789abcdef0123456789abcdef`",
    fix: "Nothing to fix. To stop, remove the URI from `rua` (or end the subscription: its destination then refuses reports).",
    bad: Example::Tlsrpt(&["v=TLSRPTv1; rua=https://mtasts.example/api/tlsrpt/0123456789abcdef01234567-0123456789abcdef0123456789abcdef"]),
    good: Example::Tlsrpt(&["v=TLSRPTv1; rua=https://reports.example.com/v1"]));

pub(crate) const CODES: &[Code] = &[
    NOT_FOUND,
    SEVERAL,
    PREFIX,
    SYNTAX,
    RUA_MISSING,
    RUA_INVALID,
    RUA_UNUSABLE,
    RUA_REPEATED,
    UNKNOWN_FIELD,
    RUA_MTASTS,
];

/// A valid TLS-RPT record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsRptRecord {
    /// Every URI of every `rua` field, as written, in order.
    pub rua: Vec<String>,
    /// Other fields, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension>,
}

impl TlsRptRecord {
    /// The domains of the `mailto:` destinations, lower case, each once, in order (what follows
    /// the last `@`, before any `?` or `!` size limit).
    pub fn mailto_domains(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for uri in &self.rua {
            let Some(addr) = uri
                .get(..7)
                .filter(|p| p.eq_ignore_ascii_case("mailto:"))
                .map(|_| &uri[7..])
            else {
                continue;
            };
            let Some((_, host)) = addr.split(['?', '!']).next().unwrap_or("").rsplit_once('@')
            else {
                continue;
            };
            let host = host.trim_end_matches('.').to_ascii_lowercase();
            if !host.is_empty() && !out.contains(&host) {
                out.push(host);
            }
        }
        out
    }
}

impl fmt::Display for TlsRptRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{TLSRPT_VERSION}; rua={}", self.rua.join(","))?;
        for e in &self.extensions {
            write!(f, "; {}={}", e.name, e.value)?;
        }
        Ok(())
    }
}

impl FromStr for TlsRptRecord {
    type Err = RecordError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if matches!(scan::scan(s, TLSRPT_VERSION), Scan::NotThisKind) {
            return Err(RecordError::NotThisKind("a TLS-RPT"));
        }
        match parse_record(s, 1) {
            (Some(r), f) if !f.iter().any(Finding::is_error) => Ok(r),
            (_, f) => Err(RecordError::from_findings(s, &f, SYNTAX)),
        }
    }
}

/// Checks an RFC 3986 `URI` with `,` `!` `;` excluded; returns the offset of the first bad byte.
fn uri_error(uri: &str) -> Option<(usize, String)> {
    let b = uri.as_bytes();
    let scheme_len = b.iter().position(|&c| c == b':');
    let Some(sl) = scheme_len.filter(|&n| n > 0) else {
        return Some((
            0,
            format!("`{uri}` has no scheme (write `mailto:{uri}` or `https://…`)"),
        ));
    };
    if !b[0].is_ascii_alphabetic()
        || !b[1..sl]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c))
    {
        return Some((0, format!("`{}` is not a URI scheme", &uri[..sl])));
    }
    let mut i = sl + 1;
    let mut hashes = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'%' => {
                if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return Some((i, "`%` must be followed by two hex digits".to_owned()));
                }
                i += 3;
                continue;
            }
            b',' | b'!' | b';' => {
                return Some((
                    i,
                    format!(
                        "`{}` must be percent-encoded inside a TLS-RPT URI (`%{:02X}`)",
                        c as char, c
                    ),
                ));
            }
            b'#' => hashes += 1,
            _ if c.is_ascii_alphanumeric() || b"-._~$&'()*+=:@/?[]".contains(&c) => {}
            _ => {
                let what = if c == b' ' || c == b'\t' {
                    "whitespace inside a URI (separate URIs with `,`)".to_owned()
                } else {
                    format!("`{}` is not allowed in a URI", c as char)
                };
                return Some((i, what));
            }
        }
        if hashes > 1 {
            return Some((i, "a URI has at most one `#`".to_owned()));
        }
        i += 1;
    }
    None
}

/// Why reports sent to a syntactically valid URI would never arrive, if they would not.
fn unusable(uri: &str) -> Option<String> {
    let scheme = uri
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match scheme.as_str() {
        "mailto" => {
            let addr = uri[7..].split('?').next().unwrap_or_default();
            let addr = percent_decode(addr);
            match addr.rsplit_once('@') {
                Some((local, domain)) if !local.is_empty() && crate::names::domain::HostName::new(domain).is_some() && domain.contains('.') => None,
                _ => Some(format!("`{uri}` has no usable e-mail address; reports will not arrive")),
            }
        }
        // RFC 3986: a host needs an authority ("//"); WHATWG parsing would read `https:/x` as host x.
        "https" if https_has_host(uri) => None,
        "https" => Some(format!("`{uri}` has no host; reports will not arrive")),
        other => Some(format!("scheme `{other}:` is not supported by RFC 8460 (only `mailto:` and `https:`); reports will not arrive")),
    }
}

/// Whether an `https:` URI names a host a report could be posted to, read by RFC 3986's
/// `authority` (which RFC 8460 cites): `"//" [userinfo "@"] host [":" port]`, where the host is
/// an IPv6 literal, a dotted-quad IPv4 address, or a `reg-name` that, percent-decoded and as
/// A-labels ([`crate::names::idn`]), is a host name; the port at most 65535. One reading for
/// every build: no Cargo feature changes the answer. The URI has already passed the RFC 3986
/// character check.
fn https_has_host(uri: &str) -> bool {
    let Some(rest) = uri.get(6..).and_then(|r| r.strip_prefix("//")) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(literal) => match literal.split_once(']') {
            Some((v6, after)) if after.is_empty() || after.starts_with(':') => {
                if v6.parse::<std::net::Ipv6Addr>().is_err() {
                    return false; // IPvFuture or garbage: nothing to post to
                }
                ("", after.strip_prefix(':'))
            }
            _ => return false,
        },
        None => match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        },
    };
    let port_ok = port.is_none_or(|p| {
        p.bytes().all(|b| b.is_ascii_digit()) && (p.is_empty() || p.parse::<u16>().is_ok())
    });
    if !port_ok {
        return false;
    }
    if host.is_empty() {
        // Only an IPv6 literal leaves `host` empty here; an empty reg-name names nothing.
        return host_port.starts_with('[');
    }
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    let decoded = percent_decode(host);
    if decoded.contains(char::REPLACEMENT_CHARACTER) {
        return false;
    }
    // A reg-name that is not a host name (`exa_mple.com`, `1.2.3.999`, `r..example`) names no
    // server a sender could resolve; a trailing root dot is allowed.
    let name = decoded.strip_suffix('.').unwrap_or(&decoded);
    crate::names::domain::HostName::new(name).is_some_and(|h| !h.looks_numeric())
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a `rua` value into URIs: `uri *(*WSP "," *WSP uri)`; returns (offset, uri) pairs.
fn split_uris(value: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for part in value.split(',') {
        let lead = part.len() - part.trim_start_matches([' ', '\t']).len();
        let trimmed = part.trim_matches([' ', '\t']);
        out.push((start + lead, trimmed));
        start += part.len() + 1;
    }
    out
}

/// Parses one record; `line` is its 1-based index in the set.
pub(crate) fn parse_record(r: &str, line: u32) -> (Option<TlsRptRecord>, Vec<Finding>) {
    let mut findings = Vec::new();
    let fields = match KIND.fields(r, line) {
        Ok(fields) => fields,
        Err(f) => return (None, vec![*f]),
    };
    let mut rua: Vec<String> = Vec::new();
    let mut rua_fields = 0;
    let mut extensions = Vec::new();
    for f in &fields {
        if f.name == "rua" {
            rua_fields += 1;
            if rua_fields == 2 {
                findings.push(
                    Finding::new(
                        RUA_REPEATED,
                        Subject::Tlsrpt,
                        "`rua` appears more than once; every URI of every `rua` is used, in order",
                    )
                    .at(loc_in_record(
                        r,
                        line,
                        f.name_start,
                        f.value_start + f.value.len(),
                    )),
                );
            }
            read_rua(r, line, f, &mut rua, &mut findings);
            continue;
        }
        if let Some(bad) = KIND.check_ext_value(r, line, f) {
            findings.push(bad);
            continue;
        }
        findings.push(KIND.unknown_field(UNKNOWN_FIELD, "rua", r, line, f));
        extensions.push(Extension {
            name: f.name.to_owned(),
            value: f.value.to_owned(),
        });
    }
    if rua_fields == 0 {
        findings.push(
            Finding::new(
                RUA_MISSING,
                Subject::Tlsrpt,
                "the record has no `rua` field",
            )
            .at(loc_in_record(r, line, 0, TLSRPT_VERSION.len()))
            .fix(format!(
                "{}; rua=mailto:tls-reports@example.com",
                r.trim_end_matches([';', ' ', '\t'])
            )),
        );
    }
    let ok = !findings.iter().any(Finding::is_error);
    let rec = (ok && !rua.is_empty()).then_some(TlsRptRecord { rua, extensions });
    (rec, findings)
}

/// The URIs of one `rua` field: each checked against RFC 3986 and for usability, the valid ones
/// appended to `rua`.
fn read_rua(
    r: &str,
    line: u32,
    f: &RawField<'_>,
    rua: &mut Vec<String>,
    findings: &mut Vec<Finding>,
) {
    for (off, uri) in split_uris(f.value) {
        let at = f.value_start + off;
        if uri.is_empty() {
            findings.push(
                Finding::new(
                    RUA_INVALID,
                    Subject::Tlsrpt,
                    "empty URI in `rua` (a stray comma, or nothing after `rua=`)",
                )
                .at(loc_in_record(r, line, at, at + 1)),
            );
            continue;
        }
        if let Some((bad, why)) = uri_error(uri) {
            let mut finding = Finding::new(RUA_INVALID, Subject::Tlsrpt, why).at(loc_in_record(
                r,
                line,
                at + bad,
                at + bad + 1,
            ));
            if !uri.contains(':') && uri.contains('@') {
                finding = finding.fix(format!("rua=mailto:{uri}"));
            }
            findings.push(finding);
            continue;
        }
        if let Some(why) = unusable(uri) {
            findings.push(
                Finding::new(RUA_UNUSABLE, Subject::Tlsrpt, why).at(loc_in_record(
                    r,
                    line,
                    at,
                    at + uri.len(),
                )),
            );
        } else if is_mtasts_destination(uri) {
            findings.push(
                Finding::new(
                    RUA_MTASTS,
                    Subject::Tlsrpt,
                    format!("reports sent to `{uri}` go to mtasts monitoring: they are read and summarised for a monitor subscription"),
                )
                .at(loc_in_record(r, line, at, at + uri.len())),
            );
        }
        rua.push(uri.to_owned());
    }
}

/// Whether `token` has the shape of an mtasts monitoring destination's token: the 24 hex digits
/// of a subscription id, `-`, and 32 hex digits of its HMAC (what the Worker's `tlsrpt` module
/// derives).
pub fn is_mtasts_token(token: &str) -> bool {
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    token
        .split_once('-')
        .is_some_and(|(id, mac)| hex(id, 24) && hex(mac, 32))
}

/// Whether a `rua` URI is an mtasts monitoring destination: `https://<host>/api/tlsrpt/<token>`
/// or `mailto:<token>@<host>` (also `mailto:<anything>+<token>@<host>`).
pub fn is_mtasts_destination(uri: &str) -> bool {
    let lower = uri.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("https://") {
        let path = rest.split(['?', '#']).next().unwrap_or_default();
        return path
            .split_once('/')
            .and_then(|(_, p)| p.strip_prefix("api/tlsrpt/"))
            .is_some_and(|t| is_mtasts_token(t.trim_end_matches('/')));
    }
    lower
        .strip_prefix("mailto:")
        .and_then(|a| a.split('?').next())
        .and_then(|a| a.rsplit_once('@'))
        .is_some_and(|(local, _)| is_mtasts_token(local.rsplit('+').next().unwrap_or_default()))
}

const KIND: Kind = Kind {
    version: TLSRPT_VERSION,
    owner: "_smtp._tls",
    subject: Subject::Tlsrpt,
    not_found: NOT_FOUND,
    several: SEVERAL,
    prefix: PREFIX,
    syntax: SYNTAX,
};

/// Checks the whole set of TXT RRs found at `_smtp._tls.<domain>`.
pub fn check_tlsrpt<S: AsRef<str>>(records: &[S]) -> SetCheck<TlsRptRecord> {
    scan::check_set(records, &KIND, parse_record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtasts_destinations_are_recognised() {
        let token = "0123456789abcdef01234567-0123456789abcdef0123456789abcdef";
        for uri in [
            format!("https://mtasts.example/api/tlsrpt/{token}"),
            format!(
                "https://mtasts.example:8443/api/tlsrpt/{}",
                token.to_uppercase()
            ),
            format!("mailto:{token}@reports.mtasts.example"),
            format!("mailto:tlsrpt+{token}@reports.mtasts.example"),
        ] {
            assert!(is_mtasts_destination(&uri), "{uri}");
            let r = format!("v=TLSRPTv1; rua=mailto:tls@example.com,{uri}");
            assert_eq!(codes(&r), ["tlsrpt-rua-mtasts"], "{r}");
        }
        for uri in [
            "https://mtasts.example/api/tlsrpt/".to_owned(),
            format!("https://mtasts.example/api/other/{token}"),
            format!("https://mtasts.example/api/tlsrpt/{token}x"),
            "mailto:tls@example.com".to_owned(),
            format!("mailto:{}@x.example", &token[..20]),
        ] {
            assert!(!is_mtasts_destination(&uri), "{uri}");
        }
    }

    fn rua(r: &str) -> Option<Vec<String>> {
        check_tlsrpt(&[r]).record.map(|r| r.rua)
    }

    fn codes(r: &str) -> Vec<String> {
        check_tlsrpt(&[r])
            .findings
            .into_iter()
            .map(|f| f.code.to_string())
            .collect()
    }

    #[test]
    fn valid_records() {
        let table: &[(&str, &[&str])] = &[
            (
                "v=TLSRPTv1; rua=mailto:tls@example.com",
                &["mailto:tls@example.com"],
            ),
            (
                "v=TLSRPTv1;rua=https://reports.example.com/v1",
                &["https://reports.example.com/v1"],
            ),
            (
                "v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com;",
                &["mailto:a@example.com", "mailto:b@example.com"],
            ),
            (
                "v=TLSRPTv1; rua=mailto:a@example.com , https://r.example/x",
                &["mailto:a@example.com", "https://r.example/x"],
            ),
            (
                "v=TLSRPTv1; rua=mailto:a%2Cb@example.com",
                &["mailto:a%2Cb@example.com"],
            ),
            (
                "v=TLSRPTv1; rua=https://r.example/?a=b&c=d",
                &["https://r.example/?a=b&c=d"],
            ),
            // Every rua, in order.
            (
                "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com",
                &["mailto:a@example.com", "mailto:b@example.com"],
            ),
            (
                "v=TLSRPTv1; rua=mailto:a@example.com; ext=1",
                &["mailto:a@example.com"],
            ),
        ];
        for (r, want) in table {
            assert_eq!(
                rua(r).as_deref(),
                Some(
                    want.iter()
                        .map(|s| (*s).to_owned())
                        .collect::<Vec<_>>()
                        .as_slice()
                ),
                "{r:?}: {:?}",
                codes(r)
            );
            assert!(check_tlsrpt(&[r]).is_valid());
        }
        assert_eq!(
            codes("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com"),
            ["tlsrpt-rua-repeated"]
        );
    }

    #[test]
    fn valid_but_unusable() {
        for r in [
            "v=TLSRPTv1; rua=mailto:",
            "v=TLSRPTv1; rua=https:/path",
            "v=TLSRPTv1; rua=https:///path",
            "v=TLSRPTv1; rua=ftp://example.com/",
        ] {
            let c = check_tlsrpt(&[r]);
            assert!(c.is_valid(), "{r:?}: {:?}", c.findings);
            assert_eq!(codes(r), ["tlsrpt-rua-unusable"], "{r:?}");
        }
    }

    /// The by-hand host check (the web build) gives the `url` crate's answers.
    #[cfg(feature = "idna")]
    /// The `https:` host by RFC 3986's authority, each row with its reason.
    #[test]
    fn https_hosts_by_rfc_3986_authority() {
        crate::names::idn::for_tests();
        let rows: &[(&str, bool)] = &[
            ("https://reports.example.com/tlsrpt", true),
            ("https://REPORTS.example.com", true), // case does not matter
            ("https://r.example:8443/x", true),
            ("https://r.example:/x", true), // empty port: the default
            ("https://r.example:99999/x", false), // no such port
            ("https://r.example:65535/x", true),
            ("https://r.example:8a/x", false),    // port = *DIGIT
            ("https://user:pw@r.example/", true), // userinfo is not the host
            ("https://@r.example/", true),
            ("https://user@/x", false), // empty host
            ("https:///path", false),   // empty authority
            ("https://:443/", false),
            ("https://", false),
            ("https:/path", false), // no authority at all
            ("https:path", false),
            ("https://[2001:db8::1]/", true),
            ("https://[2001:db8::1]:8443/", true),
            ("https://[zz]/", false),         // not an IPv6 address
            ("https://[v1.x]/", false),       // IPvFuture: nothing to post to
            ("https://[2001:db8::1/", false), // unclosed literal
            ("https://[2001:db8::1]x/", false),
            ("https://192.0.2.1/", true),  // IPv4address
            ("https://1.2.3.999/", false), // a reg-name ending in a number
            ("https://0x7f.1/", false),    // WHATWG would read an address; RFC 3986 a reg-name
            ("https://017.0.0.1/", false), // a leading zero is no dec-octet: a reg-name
            ("https://4294967295/", false),
            ("https://1.2.3.4.5/", false),
            ("https://example.123/", false),
            ("https://123.example/", true),
            ("https://exa%20mple.com/", false), // a space in a host name
            ("https://exa%41mple.com/", true),  // %41 is `A`
            ("https://exa%C3%BCmple.com/", true), // an IDN, percent-encoded
            ("https://exa%FFmple.com/", false), // not UTF-8
            ("https://exa_mple.com/", false),   // `_` is not in a host name
            ("https://r..example/", false),
            ("https://r.example./", true), // the root dot
            ("https://-r.example/", false),
            ("https://r.example?x", true),
            ("https://r.example#x", true),
        ];
        let wrong: Vec<_> = rows
            .iter()
            .filter(|(uri, want)| https_has_host(uri) != *want)
            .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn invalid_records() {
        let table: &[(&str, &str)] = &[
            // rua is required.
            ("v=TLSRPTv1;", "tlsrpt-syntax"),
            ("v=TLSRPTv1; ext=1", "tlsrpt-rua-missing"),
            ("v=TLSRPTv1; RUA=mailto:a@example.com", "tlsrpt-rua-missing"),
            // Not a URI: no scheme.
            ("v=TLSRPTv1; rua=tls@example.com", "tlsrpt-rua-invalid"),
            // "!" must be percent-encoded.
            (
                "v=TLSRPTv1; rua=mailto:a@example.com!10m",
                "tlsrpt-rua-invalid",
            ),
            // Separated by spaces instead of commas.
            (
                "v=TLSRPTv1; rua=mailto:a@example.com mailto:b@example.com",
                "tlsrpt-rua-invalid",
            ),
            // An empty URI after a trailing comma.
            (
                "v=TLSRPTv1; rua=mailto:a@example.com,",
                "tlsrpt-rua-invalid",
            ),
            ("v=TLSRPTv1; rua=", "tlsrpt-rua-invalid"),
            // A bad percent escape.
            (
                "v=TLSRPTv1; rua=mailto:a%zz@example.com",
                "tlsrpt-rua-invalid",
            ),
            // Case-sensitive version.
            ("v=tlsrptv1; rua=mailto:a@example.com", "tlsrpt-syntax"),
        ];
        for (r, code) in table {
            let c = check_tlsrpt(&[r]);
            assert!(!c.is_valid(), "{r:?} should be invalid");
            assert!(
                codes(r).contains(&(*code).to_owned()),
                "{r:?}: {:?}",
                c.findings
            );
        }
    }

    #[test]
    fn round_trip() {
        let r: TlsRptRecord = "v=TLSRPTv1;rua=mailto:a@example.com;rua=https://x.example/;e=1"
            .parse()
            .expect("valid");
        assert_eq!(
            r.to_string(),
            "v=TLSRPTv1; rua=mailto:a@example.com,https://x.example/; e=1"
        );
        assert_eq!(r.to_string().parse::<TlsRptRecord>(), Ok(r));
        assert_eq!(
            "v=DMARC1; p=none".parse::<TlsRptRecord>(),
            Err(RecordError::NotThisKind("a TLS-RPT"))
        );
    }
}
