//! mox (github.com/mjl-/mox): how its outbound queue reads MTA-STS.
//!
//! Read from source (Go; it cannot be built here), at the versions the search index holds:
//!
//! * `mtasts/parse.go` @ `bc38693bcc3a3f7c6728d785c8e8856d6d9b2a6b` (`ParseRecord`,
//!   `ParsePolicy` and their hand-written scanner; the other stored version,
//!   `ec967ef3214fd4995ebe1978d0c003181346d340`, differs only in how it builds a string),
//! * `mtasts/mtasts.go` @ `d1b87cdb0da173fb15c33e38ac81a57494c8d226` (`LookupRecord`,
//!   `FetchPolicy`, `Policy.Matches`),
//! * `moxio/limitreader.go` @ `5d98114a96b64431a36469a48bb3db7508ce1626` (the 64 KiB limit),
//! * `dns/dns.go` @ `d1e93020d83af4b29f8180bd6a66b9baa7d13143` (`ParseDomain`: no trailing
//!   dot, IDNA `Lookup` profile, lower case),
//! * `mtastsdb/db.go` @ `5b20cba50aa1e7d81678b36f925e1cc6e2c99438` (cache, back-off),
//! * `queue/direct.go` @ `91bfff220e645b344f8daec6c9de947c1a2f858b` and
//!   `smtpclient/gather.go` @ the same commit (what delivery does with the policy, and how MX
//!   host names are prepared).
//!
//! In short: mox parses both the record and the policy with a strict, hand-written scanner that
//! follows the RFC's ABNF. Any byte the grammar does not allow makes the whole record or policy
//! invalid: a blank line anywhere (so a trailing `\n\n`), indentation, a space before `:`, a
//! capitalised key (`Mode:` is an unknown key, so `mode` is then missing), a capitalised value
//! (`Enforce`), a trailing dot in an `mx` pattern. Repeated fields: the first `mode` and
//! `max_age` win (the later values must still parse). The Content-Type is not looked at. A
//! body over 64 KiB fails. Matching is exact or one-label wildcard, on lower-cased ASCII names.
//!
//! The `xn--` labels of an `mx` pattern go through Go's `idna.Lookup` (punycode must decode);
//! this model does not decode punycode and accepts any LDH `xn--` label. Label and name lengths
//! are not limited by mox (the `Lookup` profile does not verify DNS lengths), nor here.

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

/// mox, as read from its source.
pub static MODEL: Model = Model {
    id: "mox",
    name: "mox",
    version: "main bc38693b",
    basis: Basis::Source,
    #[cfg(feature = "docs")]
    sources: &[
        "version read: main as stored: mtasts/parse.go @ bc38693b, mtasts/mtasts.go @ d1b87cdb",
        "github.com/mjl-/mox mtasts/parse.go @ bc38693bcc3a3f7c6728d785c8e8856d6d9b2a6b",
        "github.com/mjl-/mox mtasts/mtasts.go @ d1b87cdb0da173fb15c33e38ac81a57494c8d226",
        "github.com/mjl-/mox moxio/limitreader.go @ 5d98114a96b64431a36469a48bb3db7508ce1626",
        "github.com/mjl-/mox dns/dns.go @ d1e93020d83af4b29f8180bd6a66b9baa7d13143",
        "github.com/mjl-/mox mtastsdb/db.go @ 5b20cba50aa1e7d81678b36f925e1cc6e2c99438",
        "github.com/mjl-/mox queue/direct.go @ 91bfff220e645b344f8daec6c9de947c1a2f858b",
        "github.com/mjl-/mox smtpclient/gather.go @ 91bfff220e645b344f8daec6c9de947c1a2f858b",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: delivers to MX hosts the policy does not list (logs it and reports it in \
            TLS-RPT), with opportunistic TLS and a plain-text fallback; enforce: skips unlisted \
            MX hosts and requires STARTTLS with a verified certificate; none: not applied. A \
            failed fetch or an invalid policy with nothing cached: delivers as if the domain had \
            no policy, and remembers the failure as mode none for 5 minutes. A cached, \
            unexpired policy is kept when the TXT lookup or a refetch fails. A temporary DNS \
            error on the TXT lookup postpones the delivery.",
    txt,
    policy,
    matches,
};

/// The body limit of `FetchPolicy`: more than this many bytes is an error, not a truncation.
const MAX_BODY: usize = 64 * 1024;

/// Reads the TXT record set as `LookupRecord` does: records that do not start with `v=STSv1`
/// and a delimiter are skipped; the first invalid one that does ends the lookup with no policy;
/// a second valid one is "multiple records".
pub fn txt(records: &[&str]) -> TxtRead {
    let mut found: Option<String> = None;
    for record in records {
        match read_record(record) {
            Record::NotSts => {}
            Record::Invalid(why) => {
                return TxtRead::NoPolicy(format!("a v=STSv1 record is invalid: {why}"));
            }
            Record::Valid(id) => {
                if found.is_some() {
                    return TxtRead::NoPolicy("more than one v=STSv1 record".into());
                }
                found = Some(id);
            }
        }
    }
    match found {
        Some(id) => TxtRead::Policy { id },
        None => TxtRead::NoPolicy("no record starts with \"v=STSv1;\"".into()),
    }
}

/// Reads a policy response as `FetchPolicy` and `ParsePolicy` do.
pub fn policy(response: &Response<'_>) -> PolicyRead {
    match response.status {
        200 => {}
        404 => return PolicyRead::NoPolicy("HTTP 404: no policy served".into()),
        s => return PolicyRead::NoPolicy(format!("HTTP status {s} (only 200 is accepted)")),
    }
    // The Content-Type and its charset are not looked at.
    if response.body.len() > MAX_BODY {
        return PolicyRead::NoPolicy("the body is larger than 64 KiB".into());
    }
    // Go ranges over the bytes as UTF-8, an invalid byte reading as U+FFFD; no rule below
    // tells one U+FFFD from several, so a lossy conversion reads the same.
    let text = String::from_utf8_lossy(response.body);
    match parse_policy(&text) {
        Ok(p) => PolicyRead::Policy(p),
        Err(why) => PolicyRead::NoPolicy(why),
    }
}

/// `Policy.Matches` for one pattern: the pattern as mox stores it (`*.` and a lower-case
/// domain) against the MX host as delivery prepares it (one trailing dot removed, lower case).
/// A pattern mox would not have stored (its policy is refused) matches nothing.
pub fn matches(pattern: &str, host: &str) -> bool {
    let Some((wildcard, domain)) = parse_pattern(pattern) else {
        return false;
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if host.is_empty() || host.ends_with('.') {
        return false; // mox refuses such an MX target name before any matching
    }
    if wildcard {
        host.split_once('.').is_some_and(|(_, rest)| rest == domain)
    } else {
        host == domain
    }
}

/// What one TXT record is to `ParseRecord`.
enum Record {
    /// It does not start with `v=STSv1` and a delimiter: not an MTA-STS record, skipped.
    NotSts,
    /// It starts like one but does not parse.
    Invalid(String),
    /// A valid record with this id.
    Valid(String),
}

/// A cursor over the text, in the manner of mox's scanner (our own code).
struct Cursor<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Self { s, at: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    fn done(&self) -> bool {
        self.at >= self.s.len()
    }

    fn eat(&mut self, prefix: &str) -> bool {
        if self.rest().starts_with(prefix) {
            self.at += prefix.len();
            true
        } else {
            false
        }
    }

    /// One or more characters for which `ok(char, index)` holds.
    fn run(&mut self, ok: impl Fn(char, usize) -> bool) -> Option<&'a str> {
        let rest = self.rest();
        let end = rest
            .char_indices()
            .find(|&(i, c)| !ok(c, i))
            .map_or(rest.len(), |(i, _)| i);
        if end == 0 {
            return None;
        }
        self.at += end;
        Some(&rest[..end])
    }

    fn skip_wsp(&mut self) {
        while self.eat(" ") || self.eat("\t") {}
    }

    /// `*WSP ";" *WSP`; the cursor moves only when the `;` is there.
    fn delimiter(&mut self) -> bool {
        let back = self.at;
        self.skip_wsp();
        if self.eat(";") {
            self.skip_wsp();
            true
        } else {
            self.at = back;
            false
        }
    }

    /// A line end: LF or CRLF.
    fn eol(&mut self) -> bool {
        self.eat("\n") || self.eat("\r\n")
    }

    /// A field name: 1 to 32 ASCII letters, digits, `-` and `.`, and `_` after the first.
    fn key(&mut self) -> Option<&'a str> {
        self.run(|c, i| {
            i < 32 && (c.is_ascii_alphanumeric() || c == '-' || c == '.' || (i > 0 && c == '_'))
        })
    }
}

fn read_record(text: &str) -> Record {
    let mut c = Cursor::new(text);
    if !c.eat("v=STSv1") || !c.delimiter() {
        return Record::NotSts;
    }
    match record_fields(&mut c) {
        Ok(id) => Record::Valid(id),
        Err(why) => Record::Invalid(why.into()),
    }
}

fn record_fields(c: &mut Cursor<'_>) -> Result<String, &'static str> {
    let mut id = String::new();
    let mut seen_id = false;
    loop {
        let key = c.key().ok_or("a field name is missing or malformed")?;
        if !c.eat("=") {
            return Err("a field has no \"=\" right after its name");
        }
        if key == "id" {
            // A repeated id: nothing more is read, so its value is left over (an error)
            // unless it is empty.
            if !seen_id {
                id = c
                    .run(|ch, i| i < 32 && ch.is_ascii_alphanumeric())
                    .ok_or("the id is empty or not letters and digits")?
                    .to_owned();
            }
            seen_id = true;
        } else {
            c.run(|ch, _| ch.is_ascii_graphic() && ch != '=' && ch != ';')
                .ok_or("an extension field has an empty or invalid value")?;
        }
        if !c.delimiter() || c.done() {
            break;
        }
    }
    if !c.done() {
        return Err("characters left over (an id over 32 characters, a repeated id, a space?)");
    }
    if id.is_empty() {
        return Err("no id");
    }
    Ok(id)
}

fn parse_policy(text: &str) -> Result<ReadPolicy, String> {
    let mut c = Cursor::new(text);
    let mut seen: Vec<&str> = Vec::new();
    let mut mode: Option<&str> = None;
    let mut max_age: Option<u64> = None;
    let mut mx = Vec::new();
    loop {
        let Some(key) = c.key() else {
            return Err(if c.done() && c.at == 0 {
                "the body is empty".into()
            } else if c.rest().starts_with(['\n', '\r']) {
                "a blank line (mox refuses the whole policy)".into()
            } else {
                format!(
                    "a line does not start with a field name: {:?}",
                    line_of(c.rest())
                )
            });
        };
        let repeated = seen.contains(&key);
        seen.push(key);
        if !c.eat(":") {
            return Err(format!("no \":\" right after {key:?}"));
        }
        c.skip_wsp();
        match key {
            "version" => {
                if !c.eat("STSv1") {
                    return Err("version is not STSv1".into());
                }
            }
            "mode" => {
                let value = ["testing", "enforce", "none"]
                    .into_iter()
                    .find(|m| c.eat(m))
                    .ok_or("mode is not testing, enforce or none (case matters)")?;
                if !repeated {
                    mode = Some(value);
                }
            }
            "max_age" => {
                let value = read_max_age(&mut c)?;
                if !repeated {
                    max_age = Some(value);
                }
            }
            "mx" => {
                let (wildcard, domain) =
                    take_pattern(&mut c).ok_or("an mx value is not a valid pattern")?;
                mx.push(if wildcard {
                    format!("*.{domain}")
                } else {
                    domain
                });
            }
            _ => extension_value(&mut c)?,
        }
        c.skip_wsp();
        if !c.eol() || c.done() {
            break;
        }
    }
    if !c.done() {
        return Err(format!("characters left over: {:?}", line_of(c.rest())));
    }
    for required in ["version", "mode", "max_age"] {
        if !seen.contains(&required) {
            return Err(format!("no {required} field"));
        }
    }
    let mode = mode.unwrap_or("none");
    if mode != "none" && !seen.contains(&"mx") {
        return Err("no mx field while mode is not none".into());
    }
    Ok(ReadPolicy {
        mode: mode.into(),
        max_age: max_age.unwrap_or(0),
        mx,
    })
}

/// Up to 10 digits that must fit in a signed 32-bit integer (`ParseInt(.., 10, 32)`). An 11th
/// digit is left over, so it fails too. No other bound: 0 and 31557601 are read as they are.
fn read_max_age(c: &mut Cursor<'_>) -> Result<u64, String> {
    let digits = c
        .run(|ch, i| i < 10 && ch.is_ascii_digit())
        .ok_or("max_age is not digits")?;
    digits
        .parse::<u64>()
        .ok()
        .filter(|&v| v <= i32::MAX as u64)
        .ok_or_else(|| "max_age does not fit in 32 bits".into())
}

/// An extension field's value (`xpolicyvalue`): printable ASCII, any non-ASCII, and spaces
/// after the first character; a tab or control character ends it; trailing spaces are dropped;
/// it must not be empty.
fn extension_value(c: &mut Cursor<'_>) -> Result<(), String> {
    let rest = c.rest();
    let end = rest
        .char_indices()
        .find(|&(i, ch)| !(ch.is_ascii_graphic() || !ch.is_ascii() || (ch == ' ' && i > 0)))
        .map_or(rest.len(), |(i, _)| i);
    let value = rest[..end].trim_end_matches(' ');
    if value.is_empty() {
        return Err("an extension field has an empty value".into());
    }
    c.at += value.len();
    Ok(())
}

/// An `mx` pattern (`xmx`): an optional `*.`, then labels of ASCII letters, digits and inner
/// hyphens joined by single dots; then `ParseDomain`'s checks. Returns the wildcard flag and
/// the lower-case domain.
fn take_pattern(c: &mut Cursor<'_>) -> Option<(bool, String)> {
    let wildcard = c.eat("*.");
    let mut labels = Vec::new();
    loop {
        // A non-ASCII character is read into the label and then refused (U-labels).
        let label =
            c.run(|ch, i| ch.is_ascii_alphanumeric() || (i > 0 && ch == '-') || !ch.is_ascii())?;
        if !label.is_ascii() {
            return None;
        }
        labels.push(label.to_ascii_lowercase());
        if !c.eat(".") {
            break;
        }
    }
    // idna.Lookup (CheckHyphens): no label may end with a hyphen, nor have hyphens in its
    // third and fourth places unless it is an `xn--` label.
    let ok = labels.iter().all(|l| {
        !l.ends_with('-') && (l.starts_with("xn--") || !(l.len() > 4 && &l[2..4] == "--"))
    });
    ok.then(|| (wildcard, labels.join(".")))
}

/// A whole string as one `mx` pattern, or `None` if mox would not have stored it.
fn parse_pattern(pattern: &str) -> Option<(bool, String)> {
    let mut c = Cursor::new(pattern);
    let parsed = take_pattern(&mut c)?;
    c.done().then_some(parsed)
}

/// The start of the text up to its line end, for a reason.
fn line_of(rest: &str) -> &str {
    rest.split(['\r', '\n']).next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::senders::model::tables::{check_bodies, reading as ok};

    fn read_response(status: u16, content_type: Option<&str>, body: &[u8]) -> PolicyRead {
        policy(&Response {
            status,
            content_type,
            body,
        })
    }

    const BASE: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400";

    #[test]
    fn txt_record_sets() {
        let id = |s: &str| TxtRead::Policy { id: s.into() };
        let cases: &[(&[&str], Option<TxtRead>)] = &[
            (
                &["v=STSv1; id=20160831085700Z"],
                Some(id("20160831085700Z")),
            ),
            (&["v=STSv1;id=abc"], Some(id("abc"))),
            (&["v=STSv1; \t id=abc  \t;"], Some(id("abc"))),
            (&["v=STSv1; id=abc;"], Some(id("abc"))),
            (&["v=STSv1; id=abc; "], Some(id("abc"))),
            (&["v=STSv1 ; id=abc"], Some(id("abc"))),
            // Unrelated records are skipped, in any order.
            (&["hello", "v=STSv1; id=abc"], Some(id("abc"))),
            (&["v=STSv1; id=abc", "v=spf1 -all"], Some(id("abc"))),
            (&[], None),
            (&["hello"], None),
            // Not starting with "v=STSv1" and a delimiter: not an MTA-STS record at all.
            (&["v=stsv1; id=abc"], None),
            (&[" v=STSv1; id=abc"], None),
            (&["v=STSv1"], None),
            (&["v=STSv10; id=abc"], None),
            (&["id=abc; v=STSv1"], None),
            (&["v=STSv1 id=abc"], None),
            // Several: two valid records are "multiple"; one invalid STS record spoils the set.
            (&["v=STSv1; id=a", "v=STSv1; id=b"], None),
            (&["v=STSv1; id=a", "v=STSv1; id=a"], None),
            (&["v=STSv1; id=a", "v=STSv1; bogus"], None),
            (&["v=STSv1; bogus", "v=STSv1; id=a"], None),
            (&["v=STSv1; id=a", "v=STSv1 id=b"], Some(id("a"))),
            // Missing or malformed id.
            (&["v=STSv1;"], None),
            (&["v=STSv1; ext=1"], None),
            (&["v=STSv1; id="], None),
            (&["v=STSv1; id=test-123"], None),
            (&["v=STSv1; id=abc def"], None),
            (&["v=STSv1; id=abc "], None),
            (&["v=STSv1; id=abc;;"], None),
            (&["v=STSv1; ID=abc"], None),
            (&["v=STSv1; id = abc"], None),
            (
                &["v=STSv1; id=01234567890123456789012345678901"],
                Some(id("01234567890123456789012345678901")),
            ),
            (&["v=STSv1; id=012345678901234567890123456789012"], None),
            // A repeated id: its value is left over, unless it is empty.
            (&["v=STSv1; id=a; id=b"], None),
            (&["v=STSv1; id=a; id=a"], None),
            (&["v=STSv1; id=a; id="], Some(id("a"))),
            // Extension fields: kept if well formed, before or after the id.
            (&["v=STSv1; id=a; more=a; ext=2"], Some(id("a"))),
            (&["v=STSv1; ext=1; id=a"], Some(id("a"))),
            (&["v=STSv1; id=a; more="], None),
            (&["v=STSv1; id=a; 1%=a"], None),
            (&["v=STSv1; id=a; test=="], None),
            (&["v=STSv1; id=a; _x=1"], None),
            (
                &["v=STSv1; id=a; a12345678901234567890123456789012=1"],
                None,
            ),
        ];
        for (records, want) in cases {
            let got = txt(records);
            match want {
                Some(w) => assert_eq!(&got, w, "{records:?}"),
                None => assert!(matches!(got, TxtRead::NoPolicy(_)), "{records:?}: {got:?}"),
            }
        }
    }

    #[test]
    fn line_ends_blank_lines_and_whitespace() {
        let enforce = || Some(ok("enforce", 86400, &["mail.example.com"]));
        check_bodies(
            policy,
            &[
                (BASE, enforce()),
                (&format!("{BASE}\n"), enforce()),
                (&format!("{BASE}\r\n"), enforce()),
                (&BASE.replace('\n', "\r\n"), enforce()),
                (
                    "version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmax_age: 86400\n",
                    enforce(),
                ),
                // Any blank line refuses the whole policy: trailing, leading or inside.
                (&format!("{BASE}\n\n"), None),
                (&format!("{BASE}\r\n\r\n"), None),
                (&format!("\n{BASE}"), None),
                (&BASE.replace("\nmx", "\n\nmx"), None),
                // A bare CR is not a line end.
                (&BASE.replace('\n', "\r"), None),
                // Indentation, leading whitespace, a space before the colon.
                (&BASE.replace("mode", " mode"), None),
                (&BASE.replace("mode", "\tmode"), None),
                (&BASE.replace("mode:", "mode :"), None),
                // Spaces and tabs after the colon and at the line end are fine; none needed.
                (&BASE.replace("mode: ", "mode:\t \t"), enforce()),
                (&BASE.replace("mode: enforce", "mode:enforce"), enforce()),
                (&BASE.replace("enforce", "enforce \t"), enforce()),
                (&BASE.replace("86400", "86400 "), enforce()),
                // A BOM is not a field name.
                (&format!("\u{feff}{BASE}"), None),
                ("", None),
            ],
        );
    }

    #[test]
    fn keys_values_and_repeats() {
        check_bodies(
            policy,
            &[
                // Key case matters: `Mode` is an unknown key, so mode is missing.
                (&BASE.replace("mode", "Mode"), None),
                (&BASE.replace("version", "Version"), None),
                (
                    &format!("{BASE}\nMode: testing"),
                    Some(ok("enforce", 86400, &["mail.example.com"])),
                ),
                // Value case matters.
                (&BASE.replace("enforce", "Enforce"), None),
                (&BASE.replace("STSv1", "stsv1"), None),
                (&BASE.replace("enforce", "enforced"), None),
                (&BASE.replace("enforce", "report"), None),
                // Repeated mode and max_age: the first wins; the later must still be valid.
                (
                    &format!("{BASE}\nmode: testing"),
                    Some(ok("enforce", 86400, &["mail.example.com"])),
                ),
                (&format!("{BASE}\nmode: bogus"), None),
                (
                    &format!("{BASE}\nmax_age: 5"),
                    Some(ok("enforce", 86400, &["mail.example.com"])),
                ),
                (&format!("{BASE}\nmax_age: x"), None),
                (
                    &format!("{BASE}\nversion: STSv1"),
                    Some(ok("enforce", 86400, &["mail.example.com"])),
                ),
                (&format!("{BASE}\nversion: STSv2"), None),
                // mx: every one kept, in order, lower-cased.
                (
                    &format!("{BASE}\nmx: *.Backup.Example.COM"),
                    Some(ok(
                        "enforce",
                        86400,
                        &["mail.example.com", "*.backup.example.com"],
                    )),
                ),
                // Unknown keys are ignored if their value is well formed.
                (
                    &format!("{BASE}\nfoo: bar baz  "),
                    Some(ok("enforce", 86400, &["mail.example.com"])),
                ),
                (
                    &format!("{BASE}\nfoo: é"),
                    Some(ok("enforce", 86400, &["mail.example.com"])),
                ),
                (&format!("{BASE}\nfoo:"), None),
                (&format!("{BASE}\nfoo: a\tb"), None),
                (&format!("{BASE}\n_foo: bar"), None),
                (
                    &format!("{BASE}\na12345678901234567890123456789012: 1"),
                    None,
                ),
                (&format!("{BASE}\nnot a field"), None),
                // The version line need not be first; it must be there.
                (
                    "mode: enforce\nmx: mail.example.com\nmax_age: 86400\nversion: STSv1",
                    Some(ok("enforce", 86400, &["mail.example.com"])),
                ),
                ("mode: enforce\nmx: mail.example.com\nmax_age: 86400", None),
                ("version: STSv1\nmx: mail.example.com\nmax_age: 86400", None),
                ("version: STSv1\nmode: enforce\nmx: mail.example.com", None),
                // mx is needed unless the (first) mode is none.
                (
                    "version: STSv1\nmode: none\nmax_age: 86400",
                    Some(ok("none", 86400, &[])),
                ),
                ("version: STSv1\nmode: testing\nmax_age: 86400", None),
                (
                    "version: STSv1\nmode: none\nmode: enforce\nmax_age: 1",
                    Some(ok("none", 1, &[])),
                ),
            ],
        );
    }

    #[test]
    fn max_age_bounds() {
        let with = |v: &str| BASE.replace("86400", v);
        let age = |n: u64| Some(ok("enforce", n, &["mail.example.com"]));
        check_bodies(
            policy,
            &[
                (&with("0"), age(0)),
                (&with("31557600"), age(31_557_600)),
                (&with("31557601"), age(31_557_601)),
                (&with("0086400"), age(86400)),
                (&with("2147483647"), age(2_147_483_647)),
                (&with("2147483648"), None),
                (&with("9999999999"), None),
                (&with("01234567890"), None),
                (&with("-1"), None),
                (&with("+1"), None),
                (&with("1e3"), None),
                (&with("86400s"), None),
                (&with(""), None),
            ],
        );
    }

    #[test]
    fn mx_syntax() {
        let with = |v: &str| BASE.replace("mail.example.com", v);
        let mx = |p: &str| Some(ok("enforce", 86400, &[p]));
        check_bodies(
            policy,
            &[
                (&with("MAIL.Example.com"), mx("mail.example.com")),
                (&with("*.example.com"), mx("*.example.com")),
                (&with("*.com"), mx("*.com")),
                (&with("192.0.2.1"), mx("192.0.2.1")),
                (
                    &with("xn--mnchen-3ya.example"),
                    mx("xn--mnchen-3ya.example"),
                ),
                (&with("mail-1.example.com"), mx("mail-1.example.com")),
                // Refused: the whole policy goes.
                (&with("mail.example.com."), None),
                (&with("*"), None),
                (&with("*.*.example.com"), None),
                (&with("**.example"), None),
                (&with("mail.*.example.com"), None),
                (&with(""), None),
                (&with("[192.0.2.1]"), None),
                (&with("2001:db8::1"), None),
                (&with("mail_1.example.com"), None),
                (&with("-mail.example.com"), None),
                (&with("test.example-"), None),
                (&with("ab--cd.example.com"), None),
                (&with("møx.example"), None),
                (&with("mail.example.com, mx2.example.com"), None),
                (&with("mail..example.com"), None),
            ],
        );
    }

    #[test]
    fn the_response() {
        let body = BASE.as_bytes();
        let good = ok("enforce", 86400, &["mail.example.com"]);
        // Only 200; a 3xx is not followed; 404 means no policy.
        for status in [201, 204, 301, 302, 304, 307, 308, 404, 410, 500, 503] {
            assert!(
                matches!(
                    read_response(status, Some("text/plain"), body),
                    PolicyRead::NoPolicy(_)
                ),
                "{status}"
            );
        }
        // The Content-Type and charset are not looked at.
        for ct in [
            None,
            Some("text/html"),
            Some("application/json"),
            Some("text/plain; charset=latin1"),
            Some("bogus"),
        ] {
            assert_eq!(read_response(200, ct, body), good, "{ct:?}");
        }
        // A non-UTF-8 byte in an unknown field is accepted; in an mx, refused.
        let mut latin = BASE.as_bytes().to_vec();
        latin.extend_from_slice(b"\nfoo: caf\xe9");
        assert_eq!(read_response(200, None, &latin), good);
        let bad_mx = BASE.as_bytes().to_vec();
        let bad_mx = [
            &bad_mx[..BASE.find("mail.").unwrap_or(0)],
            b"caf\xe9.example\nmax_age: 1",
        ]
        .concat();
        assert!(matches!(
            read_response(200, None, &bad_mx),
            PolicyRead::NoPolicy(_)
        ));
        // The 64 KiB limit fails (it does not truncate): 65536 bytes pass, 65537 fail.
        let padded = |total: usize| {
            let mut b = format!("{BASE}\nfoo: ").into_bytes();
            b.resize(total, b'x');
            b
        };
        assert_eq!(read_response(200, None, &padded(MAX_BODY)), good);
        assert!(matches!(
            read_response(200, None, &padded(MAX_BODY + 1)),
            PolicyRead::NoPolicy(_)
        ));
    }

    #[test]
    fn matching() {
        let cases = [
            ("mail.example.com", "mail.example.com", true),
            ("mail.example.com", "MAIL.Example.COM", true),
            ("mail.example.com", "mail.example.com.", true),
            ("mail.example.com", "mail.example.com..", false),
            ("mail.example.com", "other.example.com", false),
            ("mail.example.com", "example.com", false),
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "MAIL.EXAMPLE.COM.", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "mail.example.org", false),
            ("*.b.example", "sub.b.example", true),
            ("*.b.example", "sub.sub.b.example", false),
            // Patterns mox would not store match nothing.
            ("mail.example.com.", "mail.example.com", false),
            ("*", "mail.example.com", false),
            ("", "mail.example.com", false),
            // Upper case in a pattern is stored lower-cased.
            ("Mail.Example.COM", "mail.example.com", true),
        ];
        for (pattern, host, want) in cases {
            assert_eq!(matches(pattern, host), want, "{pattern} vs {host}");
        }
    }
}
