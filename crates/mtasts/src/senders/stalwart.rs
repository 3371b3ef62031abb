//! Stalwart (Stalwart Labs' mail server), outbound MTA-STS.
//!
//! Two halves, two bases:
//!
//! * **The TXT record set** is read by Stalwart's `mail-auth` crate, which installs from crates.io:
//!   this half is *run*. The conformance adapter `tests/conformance/adapters/mail-auth/` calls
//!   mail-auth 0.11.2's own resolver (`MessageAuthenticator::txt_lookup::<MtaSts>`) against a stub
//!   DNS server on the loopback, so its handling of the set and its TXT parser both run, and the
//!   [`txt`] table below is what that real code answered.
//! * **The policy file and the MX matching** live in Stalwart's `smtp` crate, which does not
//!   install from a registry: this half is *read from source only* ([`policy`], [`matches()`]).
//!
//! Read from (the search tool's stored copies):
//!
//! * stalwartlabs/stalwart `crates/smtp/src/outbound/mta_sts/lookup.rs` at commit
//!   7dc95c7136372a269bfa08d740c18ec27cf4e157 (smtp crate 0.15.x: `crates/smtp/Cargo.toml` at
//!   015bd9059bc63612de0badd72094be705c06bf8e says 0.15.4): the fetch (no status check, no
//!   Content-Type check, 1 MiB limit, UTF-8) and the cache lifetime;
//! * stalwartlabs/mail-server `crates/smtp/src/outbound/mta_sts/parse.rs` and `verify.rs` at
//!   commit 36253a42961e3529bffaadd062218b3fd8638c03 (the newest stored; the stalwart repository's
//!   copy of these two files is not stored) and the older `lookup.rs` at
//!   0b46ec5808c3ae5f9cb82e9eeac937ab7d022a44 (the HTTP client: redirects not followed);
//! * stalwartlabs/stalwart `crates/smtp/src/outbound/delivery.rs` at
//!   2c2aae0514d2c3c4ee610d4f38ffb9733727675f and `crates/smtp/src/outbound/mod.rs` at
//!   166f001d426af0c212bf5e9761663bf81ea66d70 (`NextHop::hostname`: the MX name the matcher
//!   sees), and `crates/utils/src/lib.rs` (`bytes_with_limit`);
//! * mail-auth 0.11.2 from crates.io: `src/mta_sts/parse.rs`, `src/common/parse.rs` (the tag
//!   scanner), `src/common/resolver.rs` (`txt_lookup`: the set, `mx_lookup`: MX names lower-cased).
//!
//! What it does, in short:
//!
//! * TXT: the records are tried in the order of the DNS answer and the **first that parses
//!   wins**; the others, valid or not, are ignored (so two valid records give a policy, the first's
//!   id). A record parses when it has a `v` tag whose value is `STSv1` (any case, any whitespace
//!   inside) *anywhere* in it, and an `id` tag (any characters but whitespace, any length, empty
//!   allowed; the last `id` wins). Tag names are case-folded (`V=`, `ID=`). A bare word without
//!   `=` before a `;` spoils the next tag name (`foo; v=STSv1` is not read as a version).
//! * Policy: the body is read whatever the HTTP status (a 404 or a 3xx body is parsed: the client
//!   follows no redirect and never checks the status) and whatever the Content-Type; at most
//!   1 MiB; it must be UTF-8. Keys are case-sensitive (`Mode:` is an unknown key, so the mode stays
//!   `none`), a repeated key is last-wins (`mx` accumulates), unknown keys are skipped, blank
//!   lines and a trailing blank line are harmless, the version line may be anywhere or missing, a
//!   missing `max_age` is one day, a missing `mode` is `none`, but at least one `mx` is required
//!   (even for `mode: none`). A mode value other than the three lower-case words refuses the whole
//!   policy. A line without a colon swallows the key of the line after it.
//! * Matching: patterns are lower-cased; `*.d` covers exactly one label more than `d`; a
//!   trailing dot is kept on a pattern (so `mx: mail.example.com.` matches nothing), and removed
//!   (once) from the MX name.

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

/// Stalwart's outbound MTA-STS, at the versions in the module comment.
pub static MODEL: Model = Model {
    id: "stalwart",
    name: "Stalwart",
    version: "0.15, mail-auth 0.11.2",
    basis: Basis::Run("crates.io mail-auth =0.11.2 (TXT)"),
    #[cfg(feature = "docs")]
    sources: &[
        "version read: smtp 0.15.x (stalwart 7dc95c71, mail-server 36253a42); mail-auth 0.11.2",
        "crates.io mail-auth 0.11.2: src/mta_sts/parse.rs, src/common/parse.rs, src/common/resolver.rs (run: the TXT half)",
        "github.com/stalwartlabs/stalwart crates/smtp/src/outbound/mta_sts/lookup.rs @ 7dc95c7136372a269bfa08d740c18ec27cf4e157",
        "github.com/stalwartlabs/mail-server crates/smtp/src/outbound/mta_sts/parse.rs @ 36253a42961e3529bffaadd062218b3fd8638c03",
        "github.com/stalwartlabs/mail-server crates/smtp/src/outbound/mta_sts/verify.rs @ 36253a42961e3529bffaadd062218b3fd8638c03",
        "github.com/stalwartlabs/mail-server crates/smtp/src/outbound/mta_sts/lookup.rs @ 0b46ec5808c3ae5f9cb82e9eeac937ab7d022a44 (redirect policy none)",
        "github.com/stalwartlabs/stalwart crates/smtp/src/outbound/delivery.rs @ 2c2aae0514d2c3c4ee610d4f38ffb9733727675f",
        "github.com/stalwartlabs/stalwart crates/smtp/src/outbound/mod.rs @ 166f001d426af0c212bf5e9761663bf81ea66d70 (NextHop::hostname)",
        "github.com/stalwartlabs/stalwart crates/utils/src/lib.rs (HttpLimitResponse::bytes_with_limit)",
    ],
    #[cfg(feature = "docs")]
    notes: "Only the TXT half is run (mail-auth 0.11.2); the policy parser and the MX matcher are \
            read from source only. testing: an MX the policy does not cover is still delivered \
            to, and a TLS report is sent; but any fetched policy (testing and none too) makes \
            STARTTLS required for every MX, so a host without STARTTLS is not delivered to. A \
            failed fetch, an invalid policy or an unreadable TXT record set: the last cached \
            policy if the TXT lookup itself failed, otherwise delivery without MTA-STS (and a TLS \
            report), unless the operator's TLS strategy requires MTA-STS, in which case the \
            message fails for that domain. Cache lifetime: max_age when 3600 <= max_age < \
            31557600, otherwise one day.",
    txt,
    policy,
    matches,
};

// ---------------------------------------------------------------------------------------------
// TXT: the record set and one record (mail-auth 0.11.2, run)
// ---------------------------------------------------------------------------------------------

/// Reads the `_mta-sts` TXT record set: the first record, in answer order, that reads as a
/// `v=STSv1` record with an `id` gives the policy id; the rest of the set is never looked at.
pub fn txt(records: &[&str]) -> TxtRead {
    if records.is_empty() {
        return TxtRead::NoPolicy("no TXT record at _mta-sts".to_owned());
    }
    let mut last_reason = "";
    for record in records {
        match read_record(record.as_bytes()) {
            Ok(id) => return TxtRead::Policy { id },
            Err(reason) => last_reason = reason,
        }
    }
    let reason = if records.len() == 1 {
        last_reason.to_owned()
    } else {
        format!("no record of the set is a v=STSv1 record with an id (the last: {last_reason})")
    };
    TxtRead::NoPolicy(reason)
}

/// A tag name as mail-auth's scanner classifies it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TagName {
    Version,
    Id,
    Other,
}

/// mail-auth's byte scanner over one TXT record, as we read it.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// The whitespace that mail-auth's tag *name* scanner skips (form feed is not in it).
fn name_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl Scanner<'_> {
    fn bump(&mut self) -> Option<u8> {
        let b = self.bytes.get(self.at).copied();
        if b.is_some() {
            self.at += 1;
        }
        b
    }

    /// Scans up to and including the next `=`, and says which tag that names. `None`: the record
    /// ended first. Letters are case-folded and whitespace anywhere is skipped; a `;` clears the
    /// name but not the count of letter positions already used, so letters before a `;` push
    /// the name after it out of place (it can then be no known tag); a name with anything but
    /// letters, or longer than eight letters, is unknown.
    fn tag_name(&mut self) -> Option<TagName> {
        let mut name: Vec<u8> = Vec::new();
        let mut used = 0usize;
        let mut spoilt = false;
        while let Some(b) = self.bump() {
            match b {
                b'=' => {
                    let known = !spoilt && used == name.len();
                    return Some(match name.as_slice() {
                        b"v" if known => TagName::Version,
                        b"id" if known => TagName::Id,
                        _ => TagName::Other,
                    });
                }
                b';' => name.clear(),
                b if name_space(b) => {}
                b if b.is_ascii_alphabetic() && used < 8 => {
                    name.push(b.to_ascii_lowercase());
                    used += 1;
                }
                _ => {
                    spoilt = true;
                    used = 8;
                }
            }
        }
        None
    }

    /// Does the value spell `word` (ASCII case-insensitive, ASCII whitespace anywhere skipped)?
    /// Consumes what it compared.
    fn spells(&mut self, word: &[u8]) -> bool {
        for want in word {
            loop {
                match self.bump() {
                    None => return false,
                    Some(b) if b.is_ascii_whitespace() => {}
                    Some(b) if b.eq_ignore_ascii_case(want) => break,
                    Some(_) => return false,
                }
            }
        }
        true
    }

    /// Is the rest of the value (to the next `;` or the end) whitespace only? Consumes it.
    fn rest_is_blank(&mut self) -> bool {
        while let Some(b) = self.bump() {
            if b == b';' {
                return true;
            }
            if !b.is_ascii_whitespace() {
                return false;
            }
        }
        true
    }

    /// The value up to the next `;` (consumed) or the end, with ASCII whitespace removed.
    fn value_text(&mut self) -> String {
        let mut out = Vec::new();
        while let Some(b) = self.bump() {
            if b == b';' {
                break;
            }
            if !b.is_ascii_whitespace() {
                out.push(b);
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Skips the value up to and including the next `;`.
    fn skip_value(&mut self) {
        while let Some(b) = self.bump() {
            if b == b';' {
                break;
            }
        }
    }
}

/// Reads one TXT record: the `id`, or why it is not an MTA-STS record to mail-auth.
fn read_record(record: &[u8]) -> Result<String, &'static str> {
    let mut scan = Scanner {
        bytes: record,
        at: 0,
    };
    let mut version = false;
    let mut id = None;
    while let Some(tag) = scan.tag_name() {
        match tag {
            TagName::Version => {
                if !(scan.spells(b"STSv1") && scan.rest_is_blank()) {
                    return Err("a v= tag whose value is not STSv1");
                }
                version = true;
            }
            TagName::Id => id = Some(scan.value_text()),
            TagName::Other => scan.skip_value(),
        }
    }
    match (version, id) {
        (true, Some(id)) => Ok(id),
        (false, _) => Err("no v=STSv1 tag"),
        (true, None) => Err("no id tag"),
    }
}

// ---------------------------------------------------------------------------------------------
// Policy and matching (Stalwart's smtp crate, read from source)
// ---------------------------------------------------------------------------------------------

/// The largest body read: 1 MiB (a larger one is refused as too large).
const MAX_BODY: usize = 1024 * 1024;

/// Reads a policy response the way Stalwart does: status and Content-Type are not looked at.
pub fn policy(response: &Response<'_>) -> PolicyRead {
    if response.body.len() > MAX_BODY {
        return PolicyRead::NoPolicy("the policy file is larger than 1 MiB".to_owned());
    }
    let Ok(text) = std::str::from_utf8(response.body) else {
        return PolicyRead::NoPolicy("the policy file is not valid UTF-8".to_owned());
    };
    match read_body(text) {
        Ok(p) => PolicyRead::Policy(p),
        Err(reason) => PolicyRead::NoPolicy(reason),
    }
}

/// An `mx` value as Stalwart keeps it: `*.` + the lower-cased rest for a wildcard, otherwise
/// the lower-cased value; nothing for an empty value or a bare `*.`.
fn keep_mx(value: &str) -> Option<String> {
    match value.strip_prefix("*.") {
        Some("") => None,
        Some(rest) => Some(format!("*.{}", rest.to_lowercase())),
        None if value.is_empty() => None,
        None => Some(value.to_lowercase()),
    }
}

/// Stalwart's policy-file reading, as we read it from `parse.rs`.
///
/// The text is cut at the next `:` (the key: everything before it, which may span lines, with
/// surrounding whitespace trimmed) and then at the next LF (the value, trimmed, so a CR goes).
/// Reading stops where no `:` is left.
fn read_body(text: &str) -> Result<ReadPolicy, String> {
    let mut mode = "none";
    let mut max_age: u64 = 86_400;
    let mut mx = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(colon) = rest.find(':') else { break };
        let key = rest[..colon].trim();
        let after = &rest[colon + 1..];
        let value = match after.find('\n') {
            Some(lf) => {
                rest = &after[lf + 1..];
                &after[..lf]
            }
            None => {
                rest = "";
                after
            }
        }
        .trim();
        match key {
            // A version line other than STSv1 (any case) refuses the policy; none is fine.
            "version" if !value.eq_ignore_ascii_case("STSv1") => {
                return Err(format!("version {value:?} is not STSv1"));
            }
            "mode" => {
                mode = match value {
                    "enforce" => "enforce",
                    "testing" => "testing",
                    "none" => "none",
                    _ => return Err(format!("mode {value:?} is not enforce, testing or none")),
                };
            }
            // A value that is not a u64 (negative, too large, not digits) is passed over.
            "max_age" => {
                if let Ok(n) = value.parse::<u64>() {
                    max_age = n;
                }
            }
            "mx" => mx.extend(keep_mx(value)),
            _ => {}
        }
    }
    if mx.is_empty() {
        return Err("no mx line".to_owned());
    }
    Ok(ReadPolicy {
        mode: mode.to_owned(),
        max_age,
        mx,
    })
}

/// Does `pattern` (an `mx` value; kept as Stalwart keeps it) cover MX host `host`?
///
/// The host is what Stalwart matches for an MX name from DNS: lower-cased (ASCII) by mail-auth's
/// resolver, one trailing dot removed (`NextHop::hostname`). Exact patterns compare equal; `*.d`
/// covers a host whose part after its first dot is exactly `d`.
pub fn matches(pattern: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    let Some(kept) = keep_mx(pattern.trim()) else {
        return false;
    };
    match kept.strip_prefix("*.") {
        Some(domain) => host
            .split_once('.')
            .is_some_and(|(_, parent)| parent == domain),
        None => kept == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str) -> TxtRead {
        TxtRead::Policy { id: id.to_owned() }
    }

    const NONE: &str = "-";

    /// The TXT record set → the id read (`-`: no policy). Every expected value is what mail-auth
    /// 0.11.2's `txt_lookup::<MtaSts>` answered through the conformance adapter.
    #[test]
    fn txt_table_is_what_mail_auth_answered() {
        let table: &[(&[&str], &str)] = &[
            (&["v=STSv1; id=20160831085700Z;"], "20160831085700Z"),
            (&["v=STSv1; id=abc"], "abc"),
            (&[], NONE),
            (&[""], NONE),
            // Several records: the first that parses wins.
            (&["v=STSv1; id=first", "v=STSv1; id=second"], "first"),
            (&["v=STSv1; id=first", "v=STSv1; id=first"], "first"),
            (&["hello world", "v=STSv1; id=abc"], "abc"),
            (&["v=STSv1; id=abc", "hello world"], "abc"),
            (&["v=spf1 -all", "v=STSv1; id=abc"], "abc"),
            (&["v=STSv2; id=x", "v=STSv1; id=y"], "y"),
            (&["v=STSv1", "v=STSv1; id=y"], "y"),
            (&["hello", "world"], NONE),
            // The version tag.
            (&["v=stsv1; id=abc"], "abc"),
            (&["V=STSv1; id=abc"], "abc"),
            (&["v=STSV1; id=abc"], "abc"),
            (&["v = STSv1 ; id = abc"], "abc"),
            (&["v=S T S v 1; id=abc"], "abc"),
            (&["v=STSv1 x; id=abc"], NONE),
            (&["v=STSv10; id=abc"], NONE),
            (&["v=STSv; id=abc"], NONE),
            (&["v=; id=abc"], NONE),
            (&["id=abc"], NONE),
            (&["id=abc; v=STSv1"], "abc"),
            (&["id=abc; v=STSv1; v=STSv2"], NONE),
            (&["  v=STSv1;id=abc"], "abc"),
            (&["v=STSv1;id=abc;"], "abc"),
            (&["v=STSv1;;id=abc"], "abc"),
            (&[";v=STSv1; id=abc"], "abc"),
            // The id: whitespace removed, any other byte kept, no length limit, empty allowed.
            (&["v=STSv1; id="], ""),
            (&["v=STSv1; id=;"], ""),
            (&["v=STSv1;"], NONE),
            (&["v=STSv1; id=a b\tc"], "abc"),
            (&["v=STSv1; id=abc-def_!"], "abc-def_!"),
            (&["v=STSv1; id=été"], "été"),
            (
                &["v=STSv1; id=0123456789012345678901234567890123456789"],
                "0123456789012345678901234567890123456789",
            ),
            (&["v=STSv1; id=a; id=b"], "b"),
            (&["v=STSv1; ID=abc"], "abc"),
            (&["v=STSv1; Id=abc"], "abc"),
            (&["v=STSv1; i d=abc"], "abc"),
            // Extension and unknown tags are skipped; odd tag names are unknown.
            (&["v=STSv1; id=abc; ext=1"], "abc"),
            (&["v=STSv1; ext=1; id=abc"], "abc"),
            (&["v=STSv1; x-y=1; id=abc"], "abc"),
            (&["v=STSv1; id2=abc"], NONE),
            (&["v=STSv1; idx=abc"], NONE),
            // A bare word before a `;` spoils the next tag name.
            (&["foo; v=STSv1; id=abc"], NONE),
            (&["v=STSv1; foo; id=abc"], NONE),
            (&["v=STSv1; id=abc; foo"], "abc"),
        ];
        for (records, want) in table {
            let want = if *want == NONE { None } else { Some(p(want)) };
            let got = txt(records);
            match want {
                Some(w) => assert_eq!(got, w, "{records:?}"),
                None => assert!(matches!(got, TxtRead::NoPolicy(_)), "{records:?}: {got:?}"),
            }
        }
    }

    fn read(status: u16, content_type: Option<&str>, body: &[u8]) -> PolicyRead {
        policy(&Response {
            status,
            content_type,
            body,
        })
    }

    /// One row of a policy table: status, Content-Type, body, the reading (`None`: no policy).
    type Row<'a> = (u16, Option<&'a str>, &'a [u8], Option<ReadPolicy>);

    fn ok(mode: &str, max_age: u64, mx: &[&str]) -> Option<ReadPolicy> {
        Some(ReadPolicy {
            mode: mode.to_owned(),
            max_age,
            mx: mx.iter().map(|s| (*s).to_owned()).collect(),
        })
    }

    const GOOD: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";

    /// Response → reading (`None`: no policy). From source (parse.rs, lookup.rs), not run.
    #[test]
    fn policy_table_from_source() {
        let big = format!("{GOOD}{}", "#".repeat(MAX_BODY));
        let just_fits = format!("{GOOD}{}", "#".repeat(MAX_BODY - GOOD.len()));
        let text = "text/plain";
        let table: Vec<Row<'_>> = vec![
            // Status: never looked at.
            (200, Some(text), GOOD.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            (404, Some(text), GOOD.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            (301, Some(text), GOOD.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            (500, None, GOOD.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            (404, Some("text/html"), b"<html>Not found</html>", None),
            // Content-Type: never looked at.
            (200, None, GOOD.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            (200, Some("text/html"), GOOD.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            (200, Some("text/plain; charset=iso-8859-1"), GOOD.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            // Size and encoding.
            (200, Some(text), just_fits.as_bytes(), ok("enforce", 86400, &["mail.example.com"])),
            (200, Some(text), big.as_bytes(), None),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: m\xe9il.example.com\nmax_age: 86400\n", None),
            (200, Some(text), "version: STSv1\nmode: enforce\nmx: mäil.example.com\nmax_age: 86400\n".as_bytes(), ok("enforce", 86400, &["mäil.example.com"])),
            // A BOM sticks to the first key, so the version line is not seen: harmless.
            (200, Some(text), "\u{feff}version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n".as_bytes(), ok("enforce", 600, &["a.example"])),
            (200, Some(text), "\u{feff}version: STSv9\nmode: enforce\nmx: a.example\nmax_age: 600\n".as_bytes(), ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"", None),
            // Line endings and blank lines.
            (200, Some(text), b"version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 600\r\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\r\nmode: testing\nmx: a.example\r\nmax_age: 600", ok("testing", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 600\r\n\r\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"\n\nversion: STSv1\n\nmode: enforce\n\n\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\rmode: enforce\rmx: a.example\rmax_age: 600\r", None),
            // Whitespace and indentation.
            (200, Some(text), b"  version :  STSv1  \n\tmode\t:\tenforce\n mx :a.example \nmax_age:600", ok("enforce", 600, &["a.example"])),
            // Key case: `Mode` is an unknown key, so the mode stays none.
            (200, Some(text), b"version: STSv1\nMode: enforce\nmx: a.example\nmax_age: 600\n", ok("none", 600, &["a.example"])),
            (200, Some(text), b"Version: STSv9\nmode: enforce\nMX: a.example\nmx: b.example\nMax_Age: 5\n", ok("enforce", 86400, &["b.example"])),
            // Value case.
            (200, Some(text), b"version: stsv1\nmode: enforce\nmx: A.Example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: ENFORCE\nmx: a.example\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: strict\nmx: a.example\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode:\nmx: a.example\nmax_age: 600\n", None),
            // Duplicates: last wins; mx accumulates.
            (200, Some(text), b"version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmode: none\nmx: a.example\nmax_age: 600\n", ok("none", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmode: bogus\nmx: a.example\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\nmax_age: 700\n", ok("enforce", 700, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\nmax_age: x\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nversion: STSv2\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmx: b.example\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example", "b.example", "a.example"])),
            // Unknown keys, and a line without a colon (it swallows the next line's key).
            (200, Some(text), b"version: STSv1\nmode: enforce\nfoo: bar\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\ngarbage\nmx: a.example\nmx: b.example\nmax_age: 600\n", ok("enforce", 600, &["b.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\ngarbage", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a:b\nmax_age: 600\n", ok("enforce", 600, &["a:b"])),
            // Missing keys.
            (200, Some(text), b"mode: enforce\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmx: a.example\nmax_age: 600\n", ok("none", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\n", ok("enforce", 86400, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: none\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: none\nmx: a.example\nmax_age: 600\n", ok("none", 600, &["a.example"])),
            // The version line: anywhere, any case, but if present it must be STSv1.
            (200, Some(text), b"mode: enforce\nversion: STSv1\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, Some(text), b"version: \nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            // max_age: any u64 (the cache, not the reading, clamps); anything else passed over.
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 0\n", ok("enforce", 0, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n", ok("enforce", 31557600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", ok("enforce", 31557601, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n", ok("enforce", 12345678901, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999999999999\n", ok("enforce", 86400, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 000600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: +600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", ok("enforce", 86400, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1d\n", ok("enforce", 86400, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 6 00\n", ok("enforce", 86400, &["a.example"])),
            // mx syntax: lower-cased, otherwise kept; empty and a bare `*.` dropped.
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 600\n", ok("enforce", 600, &["mail.example.com."])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: MAIL.EXAMPLE.COM\nmax_age: 600\n", ok("enforce", 600, &["mail.example.com"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: *.Example.com\nmax_age: 600\n", ok("enforce", 600, &["*.example.com"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: *\nmax_age: 600\n", ok("enforce", 600, &["*"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: *.\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: *.\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx:\nmax_age: 600\n", None),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmax_age: 600\n", ok("enforce", 600, &["192.0.2.1"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: [192.0.2.1]\nmax_age: 600\n", ok("enforce", 600, &["[192.0.2.1]"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: a b.example\nmax_age: 600\n", ok("enforce", 600, &["a b.example"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 600\n", ok("enforce", 600, &["*.*.example.com"])),
            (200, Some(text), b"version: STSv1\nmode: enforce\nmx: mail.*.example.com\nmax_age: 600\n", ok("enforce", 600, &["mail.*.example.com"])),
        ];
        for (i, (status, ct, body, want)) in table.into_iter().enumerate() {
            let got = read(status, ct, body);
            match want {
                Some(w) => assert_eq!(got, PolicyRead::Policy(w), "case {i}"),
                None => assert!(matches!(got, PolicyRead::NoPolicy(_)), "case {i}: {got:?}"),
            }
        }
    }

    /// (pattern, MX host, covered?). From source (verify.rs, NextHop::hostname), not run.
    #[test]
    fn matching_table_from_source() {
        let table: &[(&str, &str, bool)] = &[
            ("mail.example.com", "mail.example.com", true),
            ("mail.example.com", "MAIL.Example.COM", true),
            ("MAIL.EXAMPLE.COM", "mail.example.com", true),
            ("mail.example.com", "mail.example.com.", true),
            ("mail.example.com.", "mail.example.com", false),
            ("mail.example.com.", "mail.example.com.", false),
            ("mail.example.com", "other.example.com", false),
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "MAIL.EXAMPLE.COM", true),
            ("*.example.com", "mail.example.com.", true),
            ("*.Example.com", "mail.example.com", true),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "example.com", false),
            ("*.example.com", "xexample.com", false),
            ("*.example.com.", "mail.example.com", false),
            ("*.example.com.", "mail.example.com.", false),
            ("*", "mail.example.com", false),
            ("*", "*", true),
            ("*.", "mail.example.com", false),
            ("", "mail.example.com", false),
            ("mail.*.example.com", "mail.a.example.com", false),
            ("192.0.2.1", "192.0.2.1", true),
        ];
        for (pattern, host, want) in table {
            assert_eq!(matches(pattern, host), *want, "{pattern} vs {host}");
        }
    }

    #[test]
    fn model_is_wired() {
        assert_eq!(MODEL.id, "stalwart");
        assert!(matches!(MODEL.basis, Basis::Run(_)));
        assert!((MODEL.matches)("*.example.com", "mx.example.com"));
    }
}
