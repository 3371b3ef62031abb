//! The field-level rules of the policy (RFC 8461 §3.2): required fields, the first occurrence of
//! a field wins, the values of `version`, `mode`, `max_age` and `mx`, unknown fields, and advice.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Severity, Subject};
use crate::names::domain::MxPattern;
use crate::names::mx::PatternError;
use crate::records::policy::lines::{Field, VALUE_SYNTAX};
use crate::records::policy::model::{Mode, Policy, PolicyExtension, MAX_AGE_LIMIT, ONE_WEEK};

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

code!(MX_ADDRESS = "policy-mx-address", Warning, Medium, "RFC 8461 §3.2, §4.1; RFC 3696 §2", "`mx` looks like an IP address",
    what: "Whether an `mx` value, valid by the grammar, ends in an all-numeric label, as an IPv4 address does.",
    why: "MX records name hosts, never addresses (RFC 5321 §5.1), and a top-level label is never all-numeric (RFC 3696 §2), so such a pattern never matches an MX host: mail to the host you meant is not covered. The policy stays valid (the `Domain` grammar admits it), but a strict sender may reject it.",
    example: "`mx: 192.0.2.25`",
    fix: "Write the MX host's name, as the MX record gives it: `mx: mail.example.com`.",
    bad: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: 192.0.2.25\r\nmax_age: 604800\r\n"),
    good: Example::Policy(b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n"));

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

/// The fields read so far: the first of each single field, every `mx`, the extensions.
#[derive(Default)]
struct Fields<'f, 'a> {
    version: Option<&'f Field<'a>>,
    mode: Option<(&'f Field<'a>, Option<Mode>)>,
    max_age: Option<(&'f Field<'a>, Option<u64>)>,
    mx: Vec<MxPattern>,
    mx_ok: bool,
    /// The `mx` values, lower case, once there are many (see [`Fields::first_mx`]).
    mx_seen_many: HashSet<String>,
    extensions: Vec<PolicyExtension>,
    findings: Vec<Finding>,
}

// The messages write these numbers as text.
const _: () = assert!(MAX_AGE_LIMIT == 31_557_600 && ONE_WEEK == 604_800);

/// Judges the well-formed fields; returns the policy when all required fields have valid values
/// (the caller drops it when any finding is an error).
pub(super) fn judge(fields: &[Field<'_>], findings: &mut Vec<Finding>) -> Option<Policy> {
    let mut s = Fields {
        mx_ok: true,
        mx: Vec::with_capacity(fields.len().min(8)),
        // The caller's list, moved in and back out: no second list to append.
        findings: std::mem::take(findings),
        ..Fields::default()
    };
    for (i, f) in fields.iter().enumerate() {
        let first = match f.name {
            "version" => s.version.map(|g| g.line),
            "mode" => s.mode.map(|(g, _)| g.line),
            "max_age" => s.max_age.map(|(g, _)| g.line),
            _ => None,
        };
        match (f.name, first) {
            (_, Some(first)) => s.duplicate(f, first),
            ("version", None) => s.version(f, i),
            ("mode", None) => s.mode(f),
            ("max_age", None) => s.max_age(f),
            ("mx", _) => s.mx(f),
            _ => s.other(f),
        }
    }
    s.missing();
    let mode = s.mode.and_then(|(_, m)| m);
    s.bounds(mode);
    *findings = std::mem::take(&mut s.findings);
    Some(Policy {
        version: s.version.map(|f| f.value.to_owned())?,
        mode: mode?,
        max_age: s.max_age.and_then(|(_, a)| a)?,
        mx: s.mx,
        extensions: s.extensions,
    })
}

impl<'f, 'a> Fields<'f, 'a> {
    fn duplicate(&mut self, f: &Field<'_>, first: u32) {
        self.findings.push(
            Finding::new(
                DUPLICATE_FIELD,
                Subject::Policy,
                [
                    "`",
                    f.name,
                    "` already appears on line ",
                    itoa::Buffer::new().format(first),
                    "; senders use the first and ignore this one",
                ]
                .concat(),
            )
            .at(f.loc_line())
            .fix(
                [
                    "delete this line, or put its value on line ",
                    itoa::Buffer::new().format(first),
                ]
                .concat(),
            ),
        );
    }

    fn version(&mut self, f: &'f Field<'a>, index: usize) {
        self.version = Some(f);
        if f.value != "STSv1" {
            self.findings.push(
                Finding::new(
                    VERSION_INVALID,
                    Subject::Policy,
                    ["`version: ", f.value, "` is not `STSv1`"].concat(),
                )
                .at(f.loc_value())
                .fix("version: STSv1"),
            );
        }
        if index != 0 {
            self.findings.push(
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

    fn mode(&mut self, f: &'f Field<'a>) {
        let m = Mode::parse(f.value);
        if m.is_none() {
            // The mode meant, when only its case is wrong; else the safe first step.
            let meant = Mode::parse(&f.value.to_ascii_lowercase()).unwrap_or(Mode::Testing);
            let fix = ["mode: ", meant.as_str()].concat();
            self.findings.push(
                Finding::new(
                    MODE_INVALID,
                    Subject::Policy,
                    [
                        "`mode: ",
                        f.value,
                        "` is not `enforce`, `testing` or `none` (lower-case)",
                    ]
                    .concat(),
                )
                .at(f.loc_value())
                .fix(fix),
            );
        }
        self.mode = Some((f, m));
    }

    /// `1*10DIGIT`.
    fn max_age(&mut self, f: &'f Field<'a>) {
        let v = f.value;
        let digits_only = v.bytes().all(|b| b.is_ascii_digit());
        let parsed = if !v.is_empty() && v.len() <= 10 && digits_only {
            v.parse::<u64>().ok()
        } else {
            None
        };
        if parsed.is_none() {
            let why = if digits_only {
                [
                    "`max_age` has ",
                    itoa::Buffer::new().format(v.len()),
                    " digits; at most 10 are allowed",
                ]
                .concat()
            } else {
                [
                    "`max_age: ",
                    v,
                    "` is not a number of seconds (digits only)",
                ]
                .concat()
            };
            let digits: String = v.chars().filter(char::is_ascii_digit).collect();
            let mut finding = Finding::new(MAX_AGE_INVALID, Subject::Policy, why).at(f.loc_value());
            if let Ok(n) = digits.trim_start_matches('0').parse::<u64>() {
                finding = finding.fix(
                    [
                        "max_age: ",
                        itoa::Buffer::new().format(n.min(MAX_AGE_LIMIT)),
                    ]
                    .concat(),
                );
            }
            self.findings.push(finding);
        }
        self.max_age = Some((f, parsed));
    }

    /// Is `value` the first `mx` with this value (compared without case)? The patterns read so
    /// far are the list while short (the common case: no allocation or hashing), then a set.
    fn first_mx(&mut self, value: &str) -> bool {
        const LIST: usize = 16;
        if self.mx.len() < LIST {
            return !self
                .mx
                .iter()
                .any(|p| p.as_str().eq_ignore_ascii_case(value));
        }
        if self.mx_seen_many.is_empty() {
            self.mx_seen_many = self
                .mx
                .iter()
                .map(|p| p.as_str().to_ascii_lowercase())
                .collect();
        }
        self.mx_seen_many.insert(value.to_ascii_lowercase())
    }

    fn mx(&mut self, f: &'f Field<'a>) {
        match MxPattern::parse(f.value) {
            Ok(pattern) => {
                if pattern.looks_like_address() {
                    self.findings.push(
                        Finding::new(
                            MX_ADDRESS,
                            Subject::Policy,
                            ["`mx: ", f.value, "` looks like an IP address: MX records name hosts, so it never matches one, and a strict sender may reject it"].concat(),
                        )
                        .at(f.loc_value())
                        .fix("mx: <the MX host's name>"),
                    );
                }
                if !self.first_mx(f.value) {
                    self.findings.push(
                        Finding::new(
                            MX_DUPLICATE,
                            Subject::Policy,
                            ["`mx: ", f.value, "` is listed twice"].concat(),
                        )
                        .at(f.loc_line())
                        .fix("delete the repeated line"),
                    );
                }
                self.mx.push(pattern);
            }
            Err(e) => {
                self.mx_ok = false;
                let mut finding = Finding::new(MX_INVALID, Subject::Policy, {
                    // The error's own text has no arguments but in two rare variants.
                    let mut message = ["`mx: ", f.value, "`: "].concat();
                    let _ = write!(message, "{e}");
                    message
                })
                .at(f.loc_value());
                if let Some(fix) = e.suggestion(f.value) {
                    finding = finding.fix(fix);
                }
                self.findings.push(finding);
            }
        }
    }

    /// An extension field: ignored by senders, kept, and checked for a typo of a known name.
    fn other(&mut self, f: &Field<'_>) {
        let name = f.name;
        if first_bad_policy_ext_byte(f.value).is_some() {
            self.findings.push(
                Finding::new(
                    VALUE_SYNTAX,
                    Subject::Policy,
                    format!("the value of `{name}` holds a character outside the grammar"),
                )
                .at(f.loc_value()),
            );
            return;
        }
        let suggestion = suggest_field(name);
        let message = match suggestion {
            Some(s) => [
                "unknown field `",
                name,
                "` is ignored by senders (did you mean `",
                s,
                "`?)",
            ]
            .concat(),
            None => ["unknown field `", name, "` is ignored by senders"].concat(),
        };
        let mut finding =
            Finding::new(UNKNOWN_FIELD, Subject::Policy, message).at(f.loc(0, name.len()));
        if let Some(s) = suggestion {
            finding = finding.fix([s, ": ", f.value].concat());
        }
        self.findings.push(finding);
        self.extensions.push(PolicyExtension {
            name: name.to_owned(),
            value: f.value.to_owned(),
        });
    }

    fn missing(&mut self) {
        let required = [
            (
                self.version.is_none(),
                VERSION_MISSING,
                "the policy has no `version: STSv1` line",
                "add `version: STSv1` as the first line",
            ),
            (
                self.mode.is_none(),
                MODE_MISSING,
                "the policy has no `mode` line",
                "add `mode: testing` or `mode: enforce`",
            ),
            (
                self.max_age.is_none(),
                MAX_AGE_MISSING,
                "the policy has no `max_age` line",
                "add `max_age: 604800`",
            ),
        ];
        for (missing, code, what, fix) in required {
            if missing {
                self.findings
                    .push(Finding::new(code, Subject::Policy, what).fix(fix));
            }
        }
    }

    /// `max_age` against its bounds and advice for the mode; `mx` required in testing and enforce.
    fn bounds(&mut self, mode: Option<Mode>) {
        if let Some((f, Some(age))) = self.max_age {
            if age > MAX_AGE_LIMIT {
                self.findings.push(
                    Finding::new(
                        MAX_AGE_TOO_LARGE,
                        Subject::Policy,
                        [
                            "`max_age: ",
                            itoa::Buffer::new().format(age),
                            "` exceeds the maximum of 31557600 seconds (about one year)",
                        ]
                        .concat(),
                    )
                    .at(f.loc_value())
                    .fix("max_age: 31557600"),
                );
            } else if age == 0 {
                self.findings.push(
                    Finding::new(MAX_AGE_ZERO, Subject::Policy, "`max_age: 0`: senders will not cache the policy, so it protects only while it can be fetched")
                        .at(f.loc_value())
                        .fix("max_age: 86400"),
                );
            } else if age < ONE_WEEK && mode != Some(Mode::None) {
                let enforce = mode == Some(Mode::Enforce);
                self.findings.push(
                    Finding::new(
                        MAX_AGE_SHORT,
                        Subject::Policy,
                        [
                            "`max_age: ",
                            itoa::Buffer::new().format(age),
                            "` is less than a week; production policies should be cached for weeks",
                        ]
                        .concat(),
                    )
                    .severity(if enforce {
                        Severity::Warning
                    } else {
                        Severity::Info
                    })
                    .at(f.loc_value())
                    .fix(if enforce {
                        "max_age: 1209600"
                    } else {
                        "max_age: 604800"
                    }),
                );
            }
        }
        if self.mx.is_empty() && self.mx_ok && matches!(mode, Some(Mode::Enforce | Mode::Testing)) {
            self.findings.push(
                Finding::new(
                    MX_MISSING,
                    Subject::Policy,
                    format!(
                        "mode `{}` requires at least one `mx` line",
                        mode.map_or("", Mode::as_str)
                    ),
                )
                .fix("add `mx: <your MX host>` for each MX host"),
            );
        }
    }
}

/// `sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]`, where vchar is %x21-7E or
/// any non-ASCII UTF-8 character (the line is already known to be UTF-8).
fn first_bad_policy_ext_byte(value: &str) -> Option<usize> {
    value.bytes().position(|b| b < 0x20 || b == 0x7f)
}

/// A known field name close to `name`: same letters in another case, `-` for `_`, or one edit away.
pub(super) fn suggest_field(name: &str) -> Option<&'static str> {
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
