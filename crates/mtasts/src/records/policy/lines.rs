//! The policy file line by line (RFC 8461 §3.2): first the whole file (empty, BOM, HTML, size),
//! then each line against `name: value` by the crate's one line rule
//! ([`crate::finding::location::lines`]), then the line endings; and at the end, long lists of
//! one code are capped so a huge file gives a short, readable list.

use crate::code;
use crate::code_type::Code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::location::{column_of, lines, ByteRange, Ending, Location};
use crate::finding::{Finding, Severity, Subject};
use crate::records::policy::model::{LineEndings, MAX_POLICY_BYTES};
use crate::records::scan::{is_ext_name, is_wsp};

/// At most this many findings point at individual lines; the rest are summarised.
const MAX_LINE_FINDINGS: usize = 100;
/// At most this many findings of one code are listed.
pub(super) const MAX_PER_CODE: usize = 20;

code!(EMPTY = "policy-empty", Error, High, "RFC 8461 §3.2", "The policy file is empty",
    what: "Whether the policy file has any content.",
    why: "An empty body is not a policy: senders treat the fetch as failed and, with no cached policy, deliver without MTA-STS.",
    example: "A zero-byte `/.well-known/mta-sts.txt`.",
    fix: "Serve at least `version: STSv1`, `mode:`, `max_age:` and your `mx:` lines.",
    bad: Example::Policy(b""),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(BOM = "policy-bom", Error, High, "RFC 8461 §3.2", "UTF-8 byte-order mark before the first field",
    what: "Whether the file begins with the bytes EF BB BF (a UTF-8 byte-order mark), which some editors add silently.",
    why: "The mark is outside the policy grammar. A strict sender reads the first line as `\\u{FEFF}version` and no longer sees the `version` field, so the policy is invalid for it.",
    example: "A file saved as \"UTF-8 with BOM\" by a Windows editor.",
    fix: "Save the file as UTF-8 without BOM (the linter's fix-it removes it).",
    bad: Example::Policy(b"\xEF\xBB\xBFversion: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(HTML = "policy-html", Error, High, "RFC 8461 §3.2", "The policy looks like an HTML page",
    what: "Whether the body starts like an HTML document (`<!DOCTYPE`, `<html>` or another tag).",
    why: "A web server or CDN often answers unknown paths with a 200 HTML page (a landing page or a soft 404). Senders cannot parse it, so the domain has no usable policy.",
    example: "`<!DOCTYPE html><html><head><title>Welcome</title>…`",
    fix: "Serve the plain-text policy at exactly `/.well-known/mta-sts.txt` on `mta-sts.<domain>`.",
    bad: Example::Policy(b"<!DOCTYPE html>\n<html><head><title>Welcome</title></head></html>\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(TOO_LARGE = "policy-too-large", Error, High, "RFC 8461 §3.3", "The policy is larger than 64 KiB",
    what: "The size of the policy body against the 64 KiB limit senders are advised to apply.",
    why: "Senders may stop reading at 64 KiB and discard the policy; a policy that large is almost certainly not a policy.",
    example: "A 100 KB file, or a large page served at the policy URL.",
    fix: "Serve only the policy lines; a real policy is a few hundred bytes.",
    bad: Example::Scenario("big.test"),
    good: Example::Scenario("good.test"));

code!(NOT_UTF8 = "policy-not-utf8", Error, High, "RFC 8461 §3.2", "A line is not valid UTF-8",
    what: "Whether every line is valid UTF-8.",
    why: "The grammar allows only UTF-8 text; a sender that meets other bytes rejects the policy.",
    example: "A line saved in Latin-1 with an `é` (byte E9).",
    fix: "Save the file as UTF-8 (policy fields themselves are plain ASCII).",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nnote: caf\xE9\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nnote: cafe\r\n"));

code!(BLANK_LINE = "policy-blank-line", Error, High, "RFC 8461 §3.2", "Empty line",
    what: "Whether the file has an empty line: a leading empty line, one between fields, or a doubled final newline.",
    why: "The grammar has no empty lines, so strict senders reject the whole policy.",
    example: "`version: STSv1\\n\\nmode: enforce` or a file ending in `\\n\\n`.",
    fix: "Delete the empty line; one final line break is allowed, two are not.",
    bad: Example::Policy(b"version: STSv1\r\n\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(INDENTED = "policy-indented", Error, High, "RFC 8461 §3.2", "Line starts with whitespace",
    what: "Whether a line begins with a space or tab.",
    why: "The grammar has no indentation: a line must start with the field name. Strict senders reject the policy.",
    example: "`  mx: mail.example.com`",
    fix: "Remove the whitespace before the field name.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\n  mx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(LINE_SYNTAX = "policy-line-syntax", Error, High, "RFC 8461 §3.2", "Line is not `name: value`",
    what: "Whether each line is a field: a name, `:`, optional whitespace, and a value.",
    why: "A line outside the grammar makes the policy invalid for strict senders.",
    example: "`mode enforce` (no colon), `mx:` with no value, or a control character in a line.",
    fix: "Write every line as `name: value`.",
    bad: Example::Policy(b"version: STSv1\r\nmode enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(SPACE_BEFORE_COLON = "policy-space-before-colon", Error, High, "RFC 8461 §3.2", "Whitespace before `:`",
    what: "Whether a field name is followed by whitespace before the `:`.",
    why: "`field-delim = \":\" *WSP`: whitespace may follow the colon but not precede it. Strict senders reject the line, and with it the policy.",
    example: "`mode : enforce`",
    fix: "Write `mode: enforce`.",
    bad: Example::Policy(b"version: STSv1\r\nmode : enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(FIELD_NAME = "policy-field-name", Error, High, "RFC 8461 §3.2", "Invalid field name",
    what: "Whether the text before `:` is a valid field name: a letter or digit, then at most 31 letters, digits, `_`, `-` or `.`.",
    why: "A line whose name breaks the grammar makes the policy invalid for strict senders.",
    example: "`mx_hosts+: mail.example.com`, `# comment: x`",
    fix: "Use the field names `version`, `mode`, `max_age` and `mx`; comments are not allowed.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nmx_hosts+: mail.example.com\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(VALUE_SYNTAX = "policy-value-syntax", Error, High, "RFC 8461 §3.2", "Invalid character in a value",
    what: "Whether a value holds only printable characters with single spaces inside (no tabs or control characters inside a value).",
    why: "Values outside the grammar make the policy invalid for strict senders.",
    example: "`note: a\\tb` (a tab inside the value).",
    fix: "Remove the tab or control character.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nnote: a\tb\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nnote: a b\r\n"));

code!(LF_LINE_ENDINGS = "policy-lf-line-endings", Info, Low, "RFC 8461 §3.2 (erratum 6253)", "Lines end with LF only",
    what: "Whether the lines end with LF rather than CRLF.",
    why: "The RFC's prose says CRLF but its grammar allows LF (erratum 6253), and large providers serve LF-only policies. Valid; noted because a few old checkers flag it.",
    example: "A policy written on Linux or macOS.",
    fix: "Nothing required. For the strictest readers, end lines with CRLF.",
    bad: Example::Policy(b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MIXED_LINE_ENDINGS = "policy-mixed-line-endings", Warning, Low, "RFC 8461 §3.2", "Mixed CRLF and LF line endings",
    what: "Whether some lines end with CRLF and others with LF only.",
    why: "Each ending is allowed, but a mix shows the file was edited by hand in different tools; some parsers split on one kind only.",
    example: "Lines 1–3 with CRLF and line 4 with LF.",
    fix: "Use one line ending throughout (the linter's fix-it normalises them).",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(TOO_MANY_PROBLEMS = "policy-too-many-problems", Error, High, "RFC 8461 §3.2", "Too many findings to list",
    what: "Whether there are more findings (of one kind, or broken lines in all) than the linter lists one by one. Its severity is the worst among the findings it stands for.",
    why: "A file with this many broken lines is not a policy (often a binary file or a page served by mistake).",
    example: "A 10 MB log file served at the policy URL.",
    fix: "Serve a policy of a few lines: version, mode, max_age and mx.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nx-note0: 1\r\nx-note1: 1\r\nx-note2: 1\r\nx-note3: 1\r\nx-note4: 1\r\nx-note5: 1\r\nx-note6: 1\r\nx-note7: 1\r\nx-note8: 1\r\nx-note9: 1\r\nx-note10: 1\r\nx-note11: 1\r\nx-note12: 1\r\nx-note13: 1\r\nx-note14: 1\r\nx-note15: 1\r\nx-note16: 1\r\nx-note17: 1\r\nx-note18: 1\r\nx-note19: 1\r\nx-note20: 1\r\nx-note21: 1\r\nx-note22: 1\r\nx-note23: 1\r\nx-note24: 1\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

/// One well-formed `name: value` line.
pub(super) struct Field<'a> {
    pub(super) name: &'a str,
    pub(super) value: &'a str,
    pub(super) line: u32,
    /// Byte offset of the line in the whole text.
    line_start: usize,
    /// The line's text (without terminator).
    text: &'a str,
    value_offset: usize,
}

impl Field<'_> {
    pub(super) fn loc_value(&self) -> Location {
        self.loc(self.value_offset, self.value_offset + self.value.len())
    }

    pub(super) fn loc_line(&self) -> Location {
        self.loc(0, self.text.len())
    }

    pub(super) fn loc(&self, start: usize, end: usize) -> Location {
        Location {
            line: self.line,
            column: column_of(self.text, start),
            range: ByteRange {
                start: self.line_start + start,
                end: self.line_start + end,
            },
        }
    }
}

fn loc_bytes(line: u32, line_start: usize, text: &[u8], start: usize, end: usize) -> Location {
    let column = match std::str::from_utf8(&text[..start.min(text.len())]) {
        Ok(s) => s.chars().count(),
        Err(_) => start,
    };
    Location {
        line,
        column: u32::try_from(column).unwrap_or(u32::MAX).saturating_add(1),
        range: ByteRange {
            start: line_start + start,
            end: line_start + end.max(start),
        },
    }
}

/// Does the body look like an HTML document rather than a policy?
fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 512)];
    // Every form below starts with `<`; a policy never does.
    if head.first() != Some(&b'<') {
        return false;
    }
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    lower.starts_with(b"<!doctype")
        || lower.starts_with(b"<html")
        || lower.starts_with(b"<head")
        || lower.starts_with(b"<body")
        || lower.starts_with(b"<?xml")
        || (lower.starts_with(b"<")
            && lower
                .windows(6)
                .any(|w| w == b"<html>" || w == b"</div>" || w == b"<body>"))
}

/// Checks the file as a whole. Returns where the lines begin (after a BOM), or `None` when there
/// are no lines to read (an empty file, an HTML page).
pub(super) fn whole_file(bytes: &[u8], findings: &mut Vec<Finding>) -> Option<usize> {
    if bytes.is_empty() {
        findings.push(Finding::new(
            EMPTY,
            Subject::Policy,
            "the policy file is empty",
        ));
        return None;
    }
    let mut base = 0;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        base = 3;
        findings.push(
            Finding::new(BOM, Subject::Policy, "the file begins with a UTF-8 byte-order mark (EF BB BF), which hides the first field from strict senders")
                .at(Location { line: 1, column: 1, range: ByteRange { start: 0, end: 3 } })
                .fix("remove the byte-order mark (save as UTF-8 without BOM)"),
        );
    }
    if bytes.len() > MAX_POLICY_BYTES {
        findings.push(Finding::new(TOO_LARGE,
            Subject::Policy,
            format!("the policy is {} bytes; senders may stop reading at {MAX_POLICY_BYTES} bytes (64 KiB)", bytes.len()),
        ));
    }
    if looks_like_html(&bytes[base..]) {
        findings.push(
            Finding::new(
                HTML,
                Subject::Policy,
                "the body is an HTML page, not a policy",
            )
            .at(loc_bytes(1, base, &bytes[base..], 0, 1))
            .fix("serve the plain-text policy at /.well-known/mta-sts.txt"),
        );
        return None;
    }
    Some(base)
}

/// The well-formed fields of a policy and its line endings.
pub(super) struct Scanned<'a> {
    pub(super) fields: Vec<Field<'a>>,
    pub(super) line_endings: LineEndings,
}

/// Reads every line from `base` on: well-formed lines become fields, the others findings (at
/// most [`MAX_LINE_FINDINGS`], then one summary); then the line endings.
pub(super) fn scan<'a>(bytes: &'a [u8], base: usize, findings: &mut Vec<Finding>) -> Scanned<'a> {
    let body = &bytes[base..];
    // The whole body checked for UTF-8 once (the common case), each line only when it is not.
    let utf8 = std::str::from_utf8(body).ok();
    let mut fields = Vec::with_capacity(body.len() / 16 + 1);
    let (mut crlf, mut lf) = (0usize, 0usize);
    let mut broken = 0usize;
    for l in lines(body) {
        match l.ending {
            Ending::Crlf => crlf += 1,
            Ending::Lf => lf += 1,
            Ending::None => {}
        }
        let last = l.next() >= body.len();
        let text = utf8.map(|t| &t[l.start..l.end]);
        match line(l.content(body), text, l.number, base + l.start, last) {
            Ok(f) => fields.push(f),
            Err(f) => {
                broken += 1;
                if broken <= MAX_LINE_FINDINGS {
                    findings.push(*f);
                }
            }
        }
    }
    if broken > MAX_LINE_FINDINGS {
        let skipped = broken - MAX_LINE_FINDINGS;
        findings.push(Finding::new(TOO_MANY_PROBLEMS,
            Subject::Policy,
            format!("{skipped} more broken lines are not listed (only the first {MAX_LINE_FINDINGS} are)"),
        ));
    }
    let line_endings = match (crlf, lf) {
        (0, 0) => LineEndings::None,
        (_, 0) => LineEndings::Crlf,
        (0, _) => LineEndings::Lf,
        _ => LineEndings::Mixed,
    };
    match line_endings {
        LineEndings::Lf => findings.push(
            Finding::new(LF_LINE_ENDINGS, Subject::Policy, "lines end with LF only; valid (RFC 8461 erratum 6253), though the RFC prose says CRLF")
                .fix("optional: end lines with CRLF"),
        ),
        LineEndings::Mixed => findings.push(
            Finding::new(MIXED_LINE_ENDINGS, Subject::Policy, format!("{crlf} line(s) end with CRLF and {lf} with LF only"))
                .fix("use one kind of line ending throughout"),
        ),
        _ => {}
    }
    Scanned {
        fields,
        line_endings,
    }
}

/// One line's content (`raw`, without its ending), number `number`, starting at byte
/// `line_start` of the file: a field, or the finding that says why it is none.
/// `text` is `raw` as a string when the caller knows it is UTF-8.
fn line<'a>(
    raw: &'a [u8],
    text: Option<&'a str>,
    number: u32,
    line_start: usize,
    last: bool,
) -> Result<Field<'a>, Box<Finding>> {
    let loc = |s: usize, e: usize| loc_bytes(number, line_start, raw, s, e);
    if raw.is_empty() {
        let (what, fix) = if number == 1 {
            (
                "the file begins with an empty line",
                "delete the empty first line",
            )
        } else if last {
            (
                "the file ends with an empty line (two line breaks in a row)",
                "end the file with a single line break",
            )
        } else {
            ("empty line between fields", "delete the empty line")
        };
        return Err(Box::new(
            Finding::new(BLANK_LINE, Subject::Policy, what)
                .at(loc(0, 0))
                .fix(fix),
        ));
    }
    let text = text
        .map_or_else(|| std::str::from_utf8(raw), Ok)
        .map_err(|e| {
            let at = e.valid_up_to();
            Box::new(
                Finding::new(
                    NOT_UTF8,
                    Subject::Policy,
                    format!("byte 0x{:02X} is not valid UTF-8", raw[at]),
                )
                .at(loc(at, at + 1)),
            )
        })?;
    field(text, number, line_start).map_err(|bad| Box::new(bad.finding.at(loc(bad.from, bad.to))))
}

/// The end of `b[start..end]` without its trailing whitespace (ASCII, so counted in bytes).
fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && is_wsp(b[end - 1]) {
        end -= 1;
    }
    end
}

/// Why a line is not a field: the finding, not yet placed, and the bytes of the line it is about.
struct NotAField {
    finding: Finding,
    from: usize,
    to: usize,
}

/// `name: value` in a line of UTF-8 text, or why it is not one.
fn field(text: &str, line: u32, line_start: usize) -> Result<Field<'_>, Box<NotAField>> {
    let tb = text.as_bytes();
    let err = |code: Code, what: String| Finding::new(code, Subject::Policy, what);
    let fail =
        |finding: Finding, (from, to): (usize, usize)| Box::new(NotAField { finding, from, to });
    if is_wsp(tb[0]) {
        let lead = tb.iter().take_while(|&&b| is_wsp(b)).count();
        let f = err(INDENTED, "the line starts with whitespace".into())
            .fix(text.trim_start_matches([' ', '\t']).to_owned());
        return Err(fail(f, (0, lead)));
    }
    let Scan { colon, tab } = match control_or_colon(tb) {
        Ok(scan) => scan,
        Err(c) => {
            let what = if tb[c] == b'\r' {
                "a carriage return (CR) not followed by a line feed; lines end with LF or CRLF"
                    .to_owned()
            } else {
                format!("control character 0x{:02X} in the line", tb[c])
            };
            return Err(fail(err(LINE_SYNTAX, what), (c, c + 1)));
        }
    };
    let Some(colon) = colon else {
        let mut f = err(LINE_SYNTAX, "the line is not `name: value` (no `:`)".into());
        if let Some((n, v)) = text.split_once([' ', '\t', '=']) {
            f = f.fix(format!("{}: {}", n, v.trim_start_matches([' ', '\t', '='])));
        }
        return Err(fail(f, (0, text.len())));
    };
    let name = &text[..colon];
    // Whitespace is ASCII: the trims below count bytes (a `char` pattern decodes UTF-8).
    let trimmed = &name[..trim_end(tb, 0, colon)];
    if trimmed.len() < name.len() && is_ext_name(trimmed) {
        let f = err(
            SPACE_BEFORE_COLON,
            format!("whitespace between `{trimmed}` and `:`"),
        )
        .fix(format!("{trimmed}:{}", &text[colon + 1..]));
        return Err(fail(f, (trimmed.len(), colon)));
    }
    if !is_ext_name(name) {
        let f = err(FIELD_NAME, format!("`{name}` is not a valid field name"));
        return Err(fail(f, (0, colon.max(1))));
    }
    let mut value_offset = colon + 1;
    while value_offset < tb.len() && is_wsp(tb[value_offset]) {
        value_offset += 1;
    }
    let value = &text[value_offset..trim_end(tb, value_offset, tb.len())];
    if value.is_empty() {
        return Err(fail(
            err(LINE_SYNTAX, format!("`{name}:` has no value")),
            (0, text.len()),
        ));
    }
    if let Some(t) = tab
        .then(|| value.bytes().position(|b| b == b'\t'))
        .flatten()
    {
        let f = err(
            VALUE_SYNTAX,
            "a tab inside a value; only single spaces may separate words".into(),
        );
        return Err(fail(f, (value_offset + t, value_offset + t + 1)));
    }
    Ok(Field {
        name,
        value,
        line,
        line_start,
        text,
        value_offset,
    })
}

/// What one pass over a line found: the first `:`, and whether it holds a tab.
#[derive(Default)]
struct Scan {
    colon: Option<usize>,
    tab: bool,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// The high bit of each byte of `v` that is zero; only the lowest one is sure (a borrow can
/// raise false ones above it), which is all a search for the first needs.
#[inline(always)]
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGH
}

/// [`control_or_colon`] for the eight bytes `w` at offset `at` of the line.
#[inline(always)]
fn scan_word(w: [u8; 8], at: usize, scan: &mut Scan) -> Result<(), usize> {
    let v = u64::from_le_bytes(w);
    // Bytes below 0x20 (tab included) or equal to 0x7F set their high bit here, with possible
    // false alarms, which the byte loop settles.
    if (v.wrapping_sub(0x20 * ONES) & !v & HIGH) | zero_bytes(v ^ (0x7f * ONES)) != 0 {
        if let Some(i) = w.iter().position(|&b| is_control(b)) {
            return Err(at + i);
        }
        scan.tab |= w.contains(&b'\t');
    }
    if scan.colon.is_none() {
        let c = zero_bytes(v ^ (u64::from(b':') * ONES));
        if c != 0 {
            scan.colon = Some(at + (c.trailing_zeros() / 8) as usize);
        }
    }
    Ok(())
}

/// The first control character of a line (other than tab: a tab is reported where it stands)
/// or DEL as `Err`, else the first `:` and whether there is a tab. Eight bytes at a time: a
/// policy line is a few dozen printable bytes, and the byte loop this replaces was a fifth of the
/// linter's time (callgrind over the policy corpus). A word that may hold a control character or
/// a tab is looked at byte by byte, so the answer is exact.
fn control_or_colon(tb: &[u8]) -> Result<Scan, usize> {
    let mut scan = Scan::default();
    let word = |at: usize| -> [u8; 8] { tb[at..at + 8].try_into().expect("eight bytes") };
    if tb.len() < 8 {
        // Short lines (`mx: a.b` is seven bytes): a padded copy, so there is one path.
        let mut w = [b' '; 8];
        w[..tb.len()].copy_from_slice(tb);
        scan_word(w, 0, &mut scan)?;
        return Ok(scan);
    }
    let mut at = 0;
    while at + 8 <= tb.len() {
        scan_word(word(at), at, &mut scan)?;
        at += 8;
    }
    if at < tb.len() {
        // The last word overlaps the one before: the bytes seen twice give the same answers.
        let last = tb.len() - 8;
        scan_word(word(last), last, &mut scan)?;
    }
    Ok(scan)
}

/// Keeps at most [`MAX_PER_CODE`] findings of each code; the rest become one summary finding
/// with the worst severity among them, so a huge file gives a short, readable list.
pub(super) fn cap_per_code(findings: Vec<Finding>) -> Vec<Finding> {
    if findings.len() <= MAX_PER_CODE {
        return findings;
    }
    // A few dozen codes at most: a list beats a hash map here.
    let mut count: Vec<(Code, usize)> = Vec::new();
    let mut dropped: Vec<(Code, usize, Severity)> = Vec::new();
    let mut out = Vec::with_capacity(findings.len().min(4 * MAX_PER_CODE));
    for f in findings {
        let n = match count.iter().position(|c| c.0 == f.code) {
            Some(i) => &mut count[i].1,
            None => {
                count.push((f.code, 0));
                &mut count.last_mut().expect("just pushed").1
            }
        };
        *n += 1;
        if *n <= MAX_PER_CODE {
            out.push(f);
        } else if let Some(d) = dropped.iter_mut().find(|d| d.0 == f.code) {
            d.1 += 1;
            d.2 = d.2.min(f.severity);
        } else {
            dropped.push((f.code, 1, f.severity));
        }
    }
    for (code, n, sev) in dropped {
        out.push(
            Finding::new(
                TOO_MANY_PROBLEMS,
                Subject::Policy,
                format!(
                    "{n} more `{code}` findings are not listed (only the first {MAX_PER_CODE} are)"
                ),
            )
            .severity(sev),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`control_or_colon`] answers, byte by byte.
    fn naive(tb: &[u8]) -> Result<(Option<usize>, bool), usize> {
        match tb.iter().position(|&b| is_control(b)) {
            Some(c) => Err(c),
            None => Ok((tb.iter().position(|&b| b == b':'), tb.contains(&b'\t'))),
        }
    }

    proptest::proptest! {
        #[test]
        fn words_agree_with_bytes(line in proptest::collection::vec(
            proptest::prop_oneof![
                6 => 0x20u8..0x7f,
                1 => proptest::strategy::Just(b':'),
                1 => proptest::strategy::Just(b'\t'),
                1 => proptest::prelude::any::<u8>(),
            ],
            0..40,
        )) {
            let got = control_or_colon(&line).map(|s| (s.colon, s.tab));
            proptest::prop_assert_eq!(got, naive(&line), "{:?}", line);
        }
    }
}
