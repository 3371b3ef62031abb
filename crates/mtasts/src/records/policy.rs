//! The MTA-STS policy file at `https://mta-sts.<domain>/.well-known/mta-sts.txt` (RFC 8461 §3.2).
//!
//! ```text
//! sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
//! field-delim       = ":" *WSP
//! sts-policy-term   = LF / CRLF                      ; erratum 6253: both are allowed
//! version: STSv1    mode: testing|enforce|none    max_age: 1*10DIGIT    mx: ["*."] Domain
//! sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]
//! ```
//!
//! [`check_policy`] takes the raw bytes (which may be non-UTF-8, carry a BOM, be an HTML page or be
//! huge) and returns every finding with a line, column and byte range, plus the parsed [`Policy`]
//! when it is valid. Decisions where the RFC is vague are in `shared/docs/RFC-NOTES.md` (items 7–11).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::code;
use crate::codes::{Code, Example};
use crate::finding::{column_of, ByteRange, Finding, Location, Severity, Subject};
use crate::names::mx::{check_pattern, PatternError};
use crate::records::scan::{is_ext_name, is_wsp};

/// The largest policy body senders are advised to accept (RFC 8461 §3.3 suggests 64 KiB).
pub const MAX_POLICY_BYTES: usize = 64 * 1024;
/// The largest `max_age` the RFC allows: 31557600 seconds, about one year (§3.2).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;
/// One week: the least `max_age` advised for production (§3.2 recommends weeks or more).
pub const ONE_WEEK: u64 = 604_800;
/// At most this many findings point at individual lines; the rest are summarised.
const MAX_LINE_FINDINGS: usize = 100;
/// At most this many findings of one code are listed.
const MAX_PER_CODE: usize = 20;

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

code!(VERSION_MISSING = "policy-version-missing", Error, High, "RFC 8461 §3.2", "No `version` field",
    what: "Whether the policy has a `version: STSv1` line.",
    why: "The version field is required; without it the policy is invalid and senders do not apply it.",
    example: "A policy that starts with `mode: enforce` and has no version line.",
    fix: "Add `version: STSv1` as the first line.",
    bad: Example::Policy(b"mode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(VERSION_INVALID = "policy-version-invalid", Error, High, "RFC 8461 §3.2", "`version` is not `STSv1`",
    what: "The value of the first `version` field: exactly `STSv1`, case-sensitive.",
    why: "Senders only understand `STSv1`; any other value makes the policy invalid.",
    example: "`version: stsv1`, `version: STSv2`, `version: v=STSv1`",
    fix: "Write `version: STSv1`.",
    bad: Example::Policy(b"version: STSv2\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(VERSION_NOT_FIRST = "policy-version-not-first", Warning, Low, "RFC 8461 §3.2", "`version` is not the first line",
    what: "Whether `version: STSv1` is the first field.",
    why: "The RFC allows any order, but Google's guidance and many implementations expect the version first; some parsers reject other orders.",
    example: "`mode: enforce` on line 1 and `version: STSv1` on line 2.",
    fix: "Move `version: STSv1` to the first line.",
    bad: Example::Policy(b"mode: enforce\r\nversion: STSv1\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MODE_MISSING = "policy-mode-missing", Error, High, "RFC 8461 §3.2", "No `mode` field",
    what: "Whether the policy has a `mode` line.",
    why: "The mode is required; without it the policy is invalid.",
    example: "A policy with version, mx and max_age but no mode.",
    fix: "Add `mode: testing` (to start) or `mode: enforce`.",
    bad: Example::Policy(b"version: STSv1\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MODE_INVALID = "policy-mode-invalid", Error, High, "RFC 8461 §3.2, §5", "`mode` is not enforce, testing or none",
    what: "The value of the first `mode` field: `enforce`, `testing` or `none`, lower-case.",
    why: "Any other value makes the policy invalid, so senders do not apply it.",
    example: "`mode: Enforce`, `mode: report`, `mode: on`",
    fix: "Write `mode: testing`, `mode: enforce` or `mode: none`.",
    bad: Example::Policy(b"version: STSv1\r\nmode: Enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MAX_AGE_MISSING = "policy-max-age-missing", Error, High, "RFC 8461 §3.2", "No `max_age` field",
    what: "Whether the policy has a `max_age` line.",
    why: "max_age is required: it tells senders how long to cache the policy. Without it the policy is invalid.",
    example: "A policy without a `max_age:` line.",
    fix: "Add `max_age: 604800` (one week) or longer once the policy is in enforce.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MAX_AGE_INVALID = "policy-max-age-invalid", Error, High, "RFC 8461 §3.2", "`max_age` is not 1 to 10 digits",
    what: "The value of the first `max_age` field: `1*10DIGIT`, so digits only (no sign, unit or decimal point) and at most ten of them, leading zeros included.",
    why: "A malformed max_age makes the policy invalid.",
    example: "`max_age: 1w`, `max_age: -1`, `max_age: 86400s`, `max_age: 00000000086400` (eleven digits or more).",
    fix: "Write the number of seconds, for example `max_age: 604800`.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 1w\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MAX_AGE_TOO_LARGE = "policy-max-age-too-large", Error, High, "RFC 8461 §3.2", "`max_age` is above 31557600",
    what: "Whether max_age exceeds 31557600 seconds (about a year), the maximum the RFC sets.",
    why: "RFC 8461 §3.2 gives the value a maximum of 31557600. Senders differ on what they do with larger values (reject, clamp or accept), so the policy's behaviour becomes unpredictable.",
    example: "`max_age: 63115200` (two years).",
    fix: "Use at most `max_age: 31557600`.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 63115200\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 31557600\r\n"));

code!(MAX_AGE_ZERO = "policy-max-age-zero", Warning, Medium, "RFC 8461 §3.2", "`max_age` is 0",
    what: "Whether max_age is zero.",
    why: "A zero max_age means senders do not cache the policy: it protects only when the policy can be fetched at the moment of sending, which is exactly what an attacker can block.",
    example: "`max_age: 0`",
    fix: "Use at least a day while testing (`max_age: 86400`) and weeks in enforce (`max_age: 1209600` or more).",
    bad: Example::Policy(b"version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 0\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 86400\r\n"));

code!(MAX_AGE_SHORT = "policy-max-age-short", Warning, Medium, "RFC 8461 §3.2", "`max_age` is shorter than a week",
    what: "Whether max_age is under one week (604800 s). In enforce this is a warning; in testing only an info note.",
    why: "The policy protects only while it is cached; the RFC recommends weeks or more in production so that an attacker who blocks the policy fetch cannot strip it.",
    example: "`mode: enforce` with `max_age: 86400`.",
    fix: "Once enforce works, raise max_age to weeks or more, for example `max_age: 1209600` (two weeks) or `31557600`.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MX_MISSING = "policy-mx-missing", Error, High, "RFC 8461 §3.2", "No `mx` field",
    what: "Whether a policy in `testing` or `enforce` has at least one `mx` line.",
    why: "Without mx patterns no MX host matches, so in enforce no mail can be delivered to the domain by MTA-STS senders.",
    example: "`mode: enforce` with no `mx:` lines.",
    fix: "Add one `mx:` line per MX host (or `*.` pattern), for example `mx: mail.example.com`.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(MX_INVALID = "policy-mx-invalid", Error, High, "RFC 8461 §3.2, §4.1", "`mx` is not a host name or `*.` pattern",
    what: "Each `mx` value: `[\"*.\"] Domain` in A-label (ASCII) form, one per line, with the wildcard only as the whole left-most label, no trailing dot, no port, no list.",
    why: "A malformed pattern makes the policy invalid for strict senders; lenient ones never match it, so mail to that MX fails in enforce.",
    example: "`mx: *.*.example.com`, `mx: mail*.example.com`, `mx: mail.example.com.`, `mx: mx1.example.com, mx2.example.com`, `mx: bücher.de`.",
    fix: "One pattern per line, as written in DNS without the trailing dot: `mx: mail.example.com` or `mx: *.example.com`; IDNs as A-labels (`xn--bcher-kva.de`).",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail*.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\nmax_age: 604800\r\n"));

code!(MX_DUPLICATE = "policy-mx-duplicate", Info, Low, "RFC 8461 §3.2", "The same `mx` pattern twice",
    what: "Whether the same mx pattern (ignoring case) appears more than once.",
    why: "Harmless, but often a sign of copy-and-paste edits.",
    example: "`mx: mail.example.com` twice.",
    fix: "Remove the repeated line.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(DUPLICATE_FIELD = "policy-duplicate-field", Warning, Medium, "RFC 8461 §3.2", "`version`, `mode` or `max_age` appears twice",
    what: "Whether a field that must appear once appears again.",
    why: "The first occurrence wins and later ones are ignored. An edit appended at the end (a new mode or max_age) silently has no effect.",
    example: "`mode: testing` on line 2 and `mode: enforce` on line 6: senders use testing.",
    fix: "Keep one line per field, holding the value you mean.",
    bad: Example::Policy(b"version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 604800\r\nmode: enforce\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

code!(UNKNOWN_FIELD = "policy-unknown-field", Info, Low, "RFC 8461 §3.2", "Unknown field (ignored)",
    what: "Fields other than version, mode, max_age and mx.",
    why: "Senders ignore unknown fields. That is by design, but a typo (`nmx:`, `Mode:`, `max-age:`) hides here, and then the real field is missing.",
    example: "`max-age: 86400` (the field is `max_age`).",
    fix: "Correct the name if it is a typo; field names are case-sensitive.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax-age: 86400\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

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

pub(crate) const CODES: &[Code] = &[
    EMPTY,
    BOM,
    HTML,
    TOO_LARGE,
    NOT_UTF8,
    BLANK_LINE,
    INDENTED,
    LINE_SYNTAX,
    SPACE_BEFORE_COLON,
    FIELD_NAME,
    VALUE_SYNTAX,
    VERSION_MISSING,
    VERSION_INVALID,
    VERSION_NOT_FIRST,
    MODE_MISSING,
    MODE_INVALID,
    MAX_AGE_MISSING,
    MAX_AGE_INVALID,
    MAX_AGE_TOO_LARGE,
    MAX_AGE_ZERO,
    MAX_AGE_SHORT,
    MX_MISSING,
    MX_INVALID,
    MX_DUPLICATE,
    DUPLICATE_FIELD,
    UNKNOWN_FIELD,
    LF_LINE_ENDINGS,
    MIXED_LINE_ENDINGS,
    TOO_MANY_PROBLEMS,
];

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

    fn parse(s: &str) -> Option<Self> {
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
    pub mx: Vec<String>,
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

/// Why a text is not a valid policy: the first error finding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message} [{code}]")]
#[non_exhaustive]
pub struct PolicyError {
    /// Finding code of the first error.
    pub code: Code,
    /// 1-based line of the first error (0 when it concerns the whole file).
    pub line: u32,
    /// Byte offset of the first error.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl FromStr for Policy {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let c = check_policy(s.as_bytes());
        match c.policy {
            Some(p) => Ok(p),
            None => {
                let first = c.findings.iter().find(|f| f.is_error());
                Err(PolicyError {
                    code: first.map_or(LINE_SYNTAX, |f| f.code),
                    line: first.and_then(|f| f.line).unwrap_or(0),
                    offset: first.and_then(|f| f.span).map_or(0, |s| s.start),
                    message: first.map(|f| f.message.clone()).unwrap_or_default(),
                })
            }
        }
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

/// The result of checking a policy text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCheck {
    /// The parsed policy, when it is valid (no finding is an error).
    pub policy: Option<Policy>,
    /// Everything found, in order of position.
    pub findings: Vec<Finding>,
    /// The line endings used.
    pub line_endings: LineEndings,
}

impl PolicyCheck {
    /// True when the policy is valid.
    pub fn is_valid(&self) -> bool {
        self.policy.is_some()
    }
}

/// One well-formed `name: value` line.
struct Field<'a> {
    name: &'a str,
    value: &'a str,
    line: u32,
    /// Byte offset of the line in the whole text.
    line_start: usize,
    /// The line's text (without terminator).
    text: &'a str,
    value_offset: usize,
}

impl Field<'_> {
    fn loc_value(&self) -> Location {
        self.loc(self.value_offset, self.value_offset + self.value.len())
    }

    fn loc_line(&self) -> Location {
        self.loc(0, self.text.len())
    }

    fn loc(&self, start: usize, end: usize) -> Location {
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

/// Checks a policy file from its raw bytes.
pub fn check_policy(bytes: &[u8]) -> PolicyCheck {
    let mut findings = Vec::new();
    let mut out = PolicyCheck {
        policy: None,
        findings: Vec::new(),
        line_endings: LineEndings::None,
    };
    if bytes.is_empty() {
        findings.push(Finding::new(
            EMPTY,
            Subject::Policy,
            "the policy file is empty",
        ));
        out.findings = findings;
        return out;
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
        out.findings = findings;
        return out;
    }

    let mut fields: Vec<Field<'_>> = Vec::new();
    let (mut crlf, mut lf) = (0usize, 0usize);
    let mut line_findings = 0usize;
    let mut skipped = 0usize;
    let mut push_line = |findings: &mut Vec<Finding>, f: Finding| {
        line_findings += 1;
        if line_findings <= MAX_LINE_FINDINGS {
            findings.push(f);
        } else {
            skipped += 1;
        }
    };
    let body = &bytes[base..];
    let mut pos = 0usize;
    let mut line_no = 0u32;
    while pos < body.len() {
        line_no = line_no.saturating_add(1);
        let nl = body[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|p| pos + p);
        let (raw, next) = match nl {
            Some(n) => (&body[pos..n], n + 1),
            None => (&body[pos..], body.len()),
        };
        let line_start = base + pos;
        pos = next;
        let text = if nl.is_some() && raw.last() == Some(&b'\r') {
            crlf += 1;
            &raw[..raw.len() - 1]
        } else {
            if nl.is_some() {
                lf += 1;
            }
            raw
        };
        let loc = |s: usize, e: usize| loc_bytes(line_no, line_start, text, s, e);
        if text.is_empty() {
            let (what, fix) = if line_no == 1 {
                (
                    "the file begins with an empty line",
                    "delete the empty first line",
                )
            } else if pos >= body.len() {
                (
                    "the file ends with an empty line (two line breaks in a row)",
                    "end the file with a single line break",
                )
            } else {
                ("empty line between fields", "delete the empty line")
            };
            push_line(
                &mut findings,
                Finding::new(BLANK_LINE, Subject::Policy, what)
                    .at(loc(0, 0))
                    .fix(fix),
            );
            continue;
        }
        let text = match std::str::from_utf8(text) {
            Ok(t) => t,
            Err(e) => {
                let at = e.valid_up_to();
                push_line(
                    &mut findings,
                    Finding::new(
                        NOT_UTF8,
                        Subject::Policy,
                        format!("byte 0x{:02X} is not valid UTF-8", text[at]),
                    )
                    .at(loc(at, at + 1)),
                );
                continue;
            }
        };
        let tb = text.as_bytes();
        if is_wsp(tb[0]) {
            let lead = tb.iter().take_while(|&&b| is_wsp(b)).count();
            push_line(
                &mut findings,
                Finding::new(INDENTED, Subject::Policy, "the line starts with whitespace")
                    .at(loc(0, lead))
                    .fix(text.trim_start_matches([' ', '\t']).to_owned()),
            );
            continue;
        }
        if let Some(c) = tb.iter().position(|b| b.is_ascii_control() && !is_wsp(*b)) {
            let what = if tb[c] == b'\r' {
                "a carriage return (CR) not followed by a line feed; lines end with LF or CRLF"
                    .to_owned()
            } else {
                format!("control character 0x{:02X} in the line", tb[c])
            };
            push_line(
                &mut findings,
                Finding::new(LINE_SYNTAX, Subject::Policy, what).at(loc(c, c + 1)),
            );
            continue;
        }
        let Some(colon) = text.find(':') else {
            let guess = text
                .split_once([' ', '\t', '='])
                .map(|(n, v)| format!("{}: {}", n, v.trim_start_matches([' ', '\t', '='])));
            let mut f = Finding::new(
                LINE_SYNTAX,
                Subject::Policy,
                "the line is not `name: value` (no `:`)",
            )
            .at(loc(0, text.len()));
            if let Some(g) = guess {
                f = f.fix(g);
            }
            push_line(&mut findings, f);
            continue;
        };
        let name = &text[..colon];
        if name.ends_with([' ', '\t']) && is_ext_name(name.trim_end_matches([' ', '\t'])) {
            let n = name.trim_end_matches([' ', '\t']);
            push_line(
                &mut findings,
                Finding::new(
                    SPACE_BEFORE_COLON,
                    Subject::Policy,
                    format!("whitespace between `{n}` and `:`"),
                )
                .at(loc(n.len(), colon))
                .fix(format!("{n}:{}", &text[colon + 1..])),
            );
            continue;
        }
        if !is_ext_name(name) {
            push_line(
                &mut findings,
                Finding::new(
                    FIELD_NAME,
                    Subject::Policy,
                    format!("`{name}` is not a valid field name"),
                )
                .at(loc(0, colon.max(1))),
            );
            continue;
        }
        let after = &text[colon + 1..];
        let value_offset = colon + 1 + (after.len() - after.trim_start_matches([' ', '\t']).len());
        let value = text[value_offset..].trim_end_matches([' ', '\t']);
        if value.is_empty() {
            push_line(
                &mut findings,
                Finding::new(
                    LINE_SYNTAX,
                    Subject::Policy,
                    format!("`{name}:` has no value"),
                )
                .at(loc(0, text.len())),
            );
            continue;
        }
        if let Some(t) = value.find('\t') {
            push_line(
                &mut findings,
                Finding::new(
                    VALUE_SYNTAX,
                    Subject::Policy,
                    "a tab inside a value; only single spaces may separate words",
                )
                .at(loc(value_offset + t, value_offset + t + 1)),
            );
            continue;
        }
        fields.push(Field {
            name,
            value,
            line: line_no,
            line_start,
            text,
            value_offset,
        });
    }
    if skipped > 0 {
        findings.push(Finding::new(TOO_MANY_PROBLEMS,
            Subject::Policy,
            format!("{skipped} more broken lines are not listed (only the first {MAX_LINE_FINDINGS} are)"),
        ));
    }
    out.line_endings = match (crlf, lf) {
        (0, 0) => LineEndings::None,
        (_, 0) => LineEndings::Crlf,
        (0, _) => LineEndings::Lf,
        _ => LineEndings::Mixed,
    };
    match out.line_endings {
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
    out.policy = judge_fields(&fields, &mut findings);
    if findings.iter().any(Finding::is_error) {
        out.policy = None;
    }
    out.findings = cap_per_code(findings);
    out
}

/// Keeps at most [`MAX_PER_CODE`] findings of each code; the rest become one summary finding
/// with the worst severity among them, so a huge file gives a short, readable list.
fn cap_per_code(findings: Vec<Finding>) -> Vec<Finding> {
    let mut count: HashMap<Code, usize> = HashMap::new();
    let mut dropped: Vec<(Code, usize, Severity)> = Vec::new();
    let mut out = Vec::with_capacity(findings.len().min(4 * MAX_PER_CODE));
    for f in findings {
        let n = count.entry(f.code).or_insert(0);
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

/// The field-level rules: required fields, first occurrence wins, values, advice.
fn judge_fields(fields: &[Field<'_>], findings: &mut Vec<Finding>) -> Option<Policy> {
    let mut version: Option<&Field<'_>> = None;
    let mut mode: Option<(&Field<'_>, Option<Mode>)> = None;
    let mut max_age: Option<(&Field<'_>, Option<u64>)> = None;
    let mut mx: Vec<String> = Vec::new();
    let mut mx_ok = true;
    let mut extensions = Vec::new();
    let mut mx_seen: HashSet<String> = HashSet::new();
    for (i, f) in fields.iter().enumerate() {
        let first_line = match f.name {
            "version" => version.map(|g| g.line),
            "mode" => mode.map(|(g, _)| g.line),
            "max_age" => max_age.map(|(g, _)| g.line),
            _ => None,
        };
        match f.name {
            "version" | "mode" | "max_age" if first_line.is_some() => {
                let first = first_line.unwrap_or_default();
                findings.push(
                    Finding::new(DUPLICATE_FIELD, Subject::Policy, format!("`{}` already appears on line {first}; senders use the first and ignore this one", f.name))
                        .at(f.loc_line())
                        .fix(format!("delete this line, or put its value on line {first}")),
                );
            }
            "version" => {
                version = Some(f);
                if f.value != "STSv1" {
                    findings.push(
                        Finding::new(
                            VERSION_INVALID,
                            Subject::Policy,
                            format!("`version: {}` is not `STSv1`", f.value),
                        )
                        .at(f.loc_value())
                        .fix("version: STSv1"),
                    );
                }
                if i != 0 {
                    findings.push(
                        Finding::new(
                            VERSION_NOT_FIRST,
                            Subject::Policy,
                            "`version: STSv1` is not the first line",
                        )
                        .at(f.loc_line())
                        .fix("move `version: STSv1` to the first line"),
                    );
                }
            }
            "mode" => {
                let m = Mode::parse(f.value);
                if m.is_none() {
                    let fix = Mode::parse(&f.value.to_ascii_lowercase())
                        .map_or_else(|| "mode: testing".to_owned(), |m| format!("mode: {m}"));
                    findings.push(
                        Finding::new(
                            MODE_INVALID,
                            Subject::Policy,
                            format!(
                                "`mode: {}` is not `enforce`, `testing` or `none` (lower-case)",
                                f.value
                            ),
                        )
                        .at(f.loc_value())
                        .fix(fix),
                    );
                }
                mode = Some((f, m));
            }
            "max_age" => {
                let v = f.value;
                let parsed =
                    if !v.is_empty() && v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()) {
                        v.parse::<u64>().ok()
                    } else {
                        None
                    };
                if parsed.is_none() {
                    let why = if v.bytes().all(|b| b.is_ascii_digit()) {
                        format!("`max_age` has {} digits; at most 10 are allowed", v.len())
                    } else {
                        format!("`max_age: {v}` is not a number of seconds (digits only)")
                    };
                    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                    let mut finding =
                        Finding::new(MAX_AGE_INVALID, Subject::Policy, why).at(f.loc_value());
                    if let Ok(n) = digits.trim_start_matches('0').parse::<u64>() {
                        finding = finding.fix(format!("max_age: {}", n.min(MAX_AGE_LIMIT)));
                    }
                    findings.push(finding);
                }
                max_age = Some((f, parsed));
            }
            "mx" => match check_pattern(f.value) {
                Ok(()) => {
                    if !mx_seen.insert(f.value.to_ascii_lowercase()) {
                        findings.push(
                            Finding::new(
                                MX_DUPLICATE,
                                Subject::Policy,
                                format!("`mx: {}` is listed twice", f.value),
                            )
                            .at(f.loc_line())
                            .fix("delete the repeated line"),
                        );
                    }
                    mx.push(f.value.to_owned());
                }
                Err(e) => {
                    mx_ok = false;
                    let mut finding = Finding::new(
                        MX_INVALID,
                        Subject::Policy,
                        format!("`mx: {}`: {e}", f.value),
                    )
                    .at(f.loc_value());
                    if let Some(fix) = e.suggestion(f.value) {
                        finding = finding.fix(fix);
                    }
                    findings.push(finding);
                }
            },
            other => {
                if first_bad_policy_ext_byte(f.value).is_some() {
                    findings.push(
                        Finding::new(
                            VALUE_SYNTAX,
                            Subject::Policy,
                            format!("the value of `{other}` holds a character outside the grammar"),
                        )
                        .at(f.loc_value()),
                    );
                    continue;
                }
                let hint = suggest_field(other)
                    .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
                let mut finding = Finding::new(
                    UNKNOWN_FIELD,
                    Subject::Policy,
                    format!("unknown field `{other}` is ignored by senders{hint}"),
                )
                .at(f.loc(0, other.len()));
                if let Some(s) = suggest_field(other) {
                    finding = finding.fix(format!("{s}: {}", f.value));
                }
                findings.push(finding);
                extensions.push(PolicyExtension {
                    name: other.to_owned(),
                    value: f.value.to_owned(),
                });
            }
        }
    }
    if version.is_none() {
        findings.push(
            Finding::new(
                VERSION_MISSING,
                Subject::Policy,
                "the policy has no `version: STSv1` line",
            )
            .fix("add `version: STSv1` as the first line"),
        );
    }
    if mode.is_none() {
        findings.push(
            Finding::new(
                MODE_MISSING,
                Subject::Policy,
                "the policy has no `mode` line",
            )
            .fix("add `mode: testing` or `mode: enforce`"),
        );
    }
    if max_age.is_none() {
        findings.push(
            Finding::new(
                MAX_AGE_MISSING,
                Subject::Policy,
                "the policy has no `max_age` line",
            )
            .fix("add `max_age: 604800`"),
        );
    }
    let mode_v = mode.and_then(|(_, m)| m);
    if let Some((f, Some(age))) = max_age {
        if age > MAX_AGE_LIMIT {
            findings.push(
                Finding::new(MAX_AGE_TOO_LARGE, Subject::Policy, format!("`max_age: {age}` exceeds the maximum of {MAX_AGE_LIMIT} seconds (about one year)"))
                    .at(f.loc_value())
                    .fix(format!("max_age: {MAX_AGE_LIMIT}")),
            );
        } else if age == 0 {
            findings.push(
                Finding::new(MAX_AGE_ZERO, Subject::Policy, "`max_age: 0`: senders will not cache the policy, so it protects only while it can be fetched")
                    .at(f.loc_value())
                    .fix("max_age: 86400"),
            );
        } else if age < ONE_WEEK && mode_v != Some(Mode::None) {
            let sev = if mode_v == Some(Mode::Enforce) {
                Severity::Warning
            } else {
                Severity::Info
            };
            findings.push(
                Finding::new(MAX_AGE_SHORT, Subject::Policy, format!("`max_age: {age}` is less than a week; production policies should be cached for weeks"))
                    .severity(sev)
                    .at(f.loc_value())
                    .fix(format!("max_age: {}", if mode_v == Some(Mode::Enforce) { 1_209_600 } else { ONE_WEEK })),
            );
        }
    }
    if mx.is_empty() && mx_ok && matches!(mode_v, Some(Mode::Enforce | Mode::Testing)) {
        findings.push(
            Finding::new(
                MX_MISSING,
                Subject::Policy,
                format!(
                    "mode `{}` requires at least one `mx` line",
                    mode_v.map_or("", Mode::as_str)
                ),
            )
            .fix("add `mx: <your MX host>` for each MX host"),
        );
    }
    Some(Policy {
        version: version.map(|f| f.value.to_owned())?,
        mode: mode_v?,
        max_age: max_age.and_then(|(_, a)| a)?,
        mx,
        extensions,
    })
}

/// `sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]`, where vchar is %x21-7E or
/// any non-ASCII UTF-8 character (the line is already known to be UTF-8).
fn first_bad_policy_ext_byte(value: &str) -> Option<usize> {
    value.bytes().position(|b| b < 0x20 || b == 0x7f)
}

/// A known field name close to `name`: same letters in another case, `-` for `_`, or one edit away.
fn suggest_field(name: &str) -> Option<&'static str> {
    const KNOWN: [&str; 4] = ["version", "mode", "max_age", "mx"];
    let norm = name.to_ascii_lowercase().replace(['-', '.'], "_");
    KNOWN
        .into_iter()
        .find(|k| *k == norm || (k.len() > 2 && edit_distance_at_most_one(k, &norm)))
}

fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

impl PatternError {
    fn suggestion(&self, value: &str) -> Option<String> {
        match self {
            PatternError::UnicodeLabel { a_label } => Some(format!("mx: {a_label}")),
            PatternError::TrailingDot => Some(format!("mx: {}", value.trim_end_matches('.'))),
            PatternError::List => value
                .split([',', ' ', '\t'])
                .filter(|s| !s.is_empty())
                .map(|s| format!("mx: {s}"))
                .reduce(|a, b| a + "\n" + &b),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n";

    fn check(s: &str) -> PolicyCheck {
        check_policy(s.as_bytes())
    }

    fn codes(s: &str) -> Vec<String> {
        check(s)
            .findings
            .into_iter()
            .map(|f| f.code.to_string())
            .collect()
    }

    #[test]
    fn good_policy() {
        let c = check(GOOD);
        assert!(c.findings.is_empty(), "{:?}", c.findings);
        let p = c.policy.expect("valid");
        assert_eq!(p.mode, Mode::Enforce);
        assert_eq!(p.max_age, 604_800);
        assert_eq!(p.mx, ["mail.example.com", "*.example.net"]);
        assert_eq!(p.to_string().parse::<Policy>(), Ok(p));
    }

    #[test]
    fn valid_variants() {
        let table: &[(&str, &[&str])] = &[
            // LF only: valid (erratum 6253), with an info note.
            ("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 604800\n", &["policy-lf-line-endings"]),
            // No final line terminator.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 604800", &[]),
            // No whitespace after the colon, trailing whitespace after the value.
            ("version:STSv1\r\nmode:testing \r\nmx:a.example\t\r\nmax_age:604800", &[]),
            // Leading zeros within ten digits.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 0000604800", &[]),
            // The maximum.
            ("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 31557600", &[]),
            // mode none needs no mx.
            ("version: STSv1\r\nmode: none\r\nmax_age: 86400", &[]),
            // Unknown fields are ignored, with UTF-8 and inner spaces in their values.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 604800\r\nnote: café au lait", &["policy-unknown-field"]),
            // Repeats: the first wins.
            ("version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 604800", &["policy-duplicate-field"]),
            // The version need not come first, but should.
            ("mode: testing\r\nversion: STSv1\r\nmx: a.example\r\nmax_age: 604800", &["policy-version-not-first"]),
            // max_age 0 is valid with a warning.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 0", &["policy-max-age-zero"]),
            // Mixed endings are valid, with a warning.
            ("version: STSv1\r\nmode: testing\nmx: a.example\r\nmax_age: 604800", &["policy-mixed-line-endings"]),
        ];
        for (text, want) in table {
            let c = check(text);
            assert!(c.is_valid(), "{text:?}: {:?}", c.findings);
            let got: Vec<String> = c.findings.iter().map(|f| f.code.to_string()).collect();
            assert_eq!(got, *want, "{text:?}");
        }
        let p = check(
            "version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 604800",
        )
        .policy;
        assert_eq!(p.map(|p| p.mode), Some(Mode::Testing));
    }

    #[test]
    fn invalid_policies() {
        let table: &[(&str, &str)] = &[
            // Empty.
            ("", "policy-empty"),
            // BOM before the first field.
            (
                "\u{FEFF}version: STSv1\r\nmode: none\r\nmax_age: 1",
                "policy-bom",
            ),
            // An HTML page served with 200.
            ("<!DOCTYPE html><html><body>hi</body></html>", "policy-html"),
            // Blank lines are outside the grammar: leading, inner and a doubled final newline.
            (
                "\nversion: STSv1\nmode: none\nmax_age: 1\n",
                "policy-blank-line",
            ),
            (
                "version: STSv1\n\nmode: none\nmax_age: 1\n",
                "policy-blank-line",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 1\n\n",
                "policy-blank-line",
            ),
            // Indentation.
            ("version: STSv1\n mode: none\nmax_age: 1", "policy-indented"),
            // Whitespace before the colon.
            (
                "version: STSv1\nmode : none\nmax_age: 1",
                "policy-space-before-colon",
            ),
            // Not name: value.
            (
                "version: STSv1\nmode none\nmax_age: 1",
                "policy-line-syntax",
            ),
            ("version: STSv1\nmode:\nmax_age: 1", "policy-line-syntax"),
            // Values are case-sensitive.
            (
                "version: stsv1\nmode: none\nmax_age: 1",
                "policy-version-invalid",
            ),
            (
                "version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1",
                "policy-mode-invalid",
            ),
            // Names are case-sensitive: `Mode` is an unknown field, so mode is missing.
            (
                "version: STSv1\nMode: none\nmax_age: 1",
                "policy-mode-missing",
            ),
            // max_age: digits only, at most ten, at most 31557600.
            (
                "version: STSv1\nmode: none\nmax_age: -1",
                "policy-max-age-invalid",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 1w",
                "policy-max-age-invalid",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 00000000001",
                "policy-max-age-invalid",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 31557601",
                "policy-max-age-too-large",
            ),
            // Required fields.
            ("mode: none\nmax_age: 1", "policy-version-missing"),
            ("version: STSv1\nmax_age: 1", "policy-mode-missing"),
            ("version: STSv1\nmode: none", "policy-max-age-missing"),
            (
                "version: STSv1\nmode: enforce\nmax_age: 604800",
                "policy-mx-missing",
            ),
            // mx patterns.
            (
                "version: STSv1\nmode: testing\nmx: *.*.example.com\nmax_age: 1",
                "policy-mx-invalid",
            ),
            (
                "version: STSv1\nmode: testing\nmx: mail.example.com.\nmax_age: 1",
                "policy-mx-invalid",
            ),
            (
                "version: STSv1\nmode: testing\nmx: a.example, b.example\nmax_age: 1",
                "policy-mx-invalid",
            ),
            (
                "version: STSv1\nmode: testing\nmx: bücher.de\nmax_age: 1",
                "policy-mx-invalid",
            ),
            // A tab inside a value.
            (
                "version: STSv1\nmode: none\nmax_age: 1\nx: a\tb",
                "policy-value-syntax",
            ),
            // A lone CR.
            (
                "version: STSv1\rmode: none\nmax_age: 1",
                "policy-line-syntax",
            ),
            // Invalid UTF-8.
            (
                "version: STSv1\nmode: none\nmax_age: 1\nx: \u{0}",
                "policy-line-syntax",
            ),
        ];
        for (text, code) in table {
            let c = check(text);
            assert!(
                !c.is_valid(),
                "{text:?} should be invalid: {:?}",
                c.findings
            );
            assert!(
                codes(text).iter().any(|c| c == code),
                "{text:?}: want {code}, got {:?}",
                c.findings
            );
        }
        let c = check_policy(b"version: STSv1\nmode: none\nmax_age: 1\nx: \xE9t\xE9");
        assert_eq!(c.findings[0].code.as_str(), "policy-not-utf8");
        assert_eq!(
            (c.findings[0].line, c.findings[0].column),
            (Some(4), Some(4))
        );
    }

    #[test]
    fn spans_point_at_the_text() {
        let text =
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 99999999999\r\n";
        let c = check(text);
        let f = c
            .findings
            .iter()
            .find(|f| f.code.as_str() == "policy-max-age-invalid")
            .expect("finding");
        assert_eq!((f.line, f.column), (Some(4), Some(10)));
        let s = f.span.expect("span");
        assert_eq!(&text[s.start..s.end], "99999999999");
    }

    #[test]
    fn huge_and_garbage_inputs_do_not_explode() {
        let big = "x".repeat(10 * 1024 * 1024);
        let c = check(&big);
        assert!(!c.is_valid());
        let many = "garbage\n".repeat(100_000);
        let c = check(&many);
        assert!(c.findings.len() < 120, "{}", c.findings.len());
        assert!(c
            .findings
            .iter()
            .any(|f| f.code.as_str() == "policy-too-many-problems"));
    }

    #[test]
    fn many_repeated_fields_stay_fast_and_short() {
        let mut text =
            String::from("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 604800\n");
        text.push_str(&"mode: enforce\nmx: a.example\nx: y\n".repeat(200_000));
        let c = check(&text);
        // Over 64 KiB: the size is the one error; the repeats are warnings and notes.
        let errors: Vec<&str> = c
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(errors, ["policy-too-large"]);
        assert!(c.findings.len() <= 4 * MAX_PER_CODE, "{}", c.findings.len());
        assert!(c
            .findings
            .iter()
            .any(|f| f.code.as_str() == "policy-too-many-problems"
                && f.severity == Severity::Warning));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_field("max-age"), Some("max_age"));
        assert_eq!(suggest_field("Mode"), Some("mode"));
        assert_eq!(suggest_field("nmx"), None);
        assert_eq!(suggest_field("verison"), None);
        assert_eq!(suggest_field("versio"), Some("version"));
        assert_eq!(suggest_field("xyz"), None);
    }
}
