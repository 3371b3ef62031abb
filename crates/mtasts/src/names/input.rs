//! Turning what people paste into a domain to check, or a clear refusal.
//!
//! Accepted: `Example.COM`, `example.com.`, `https://example.com/some/path`,
//! `mailto:user@example.com`, `user@example.com`, IDNs (`bücher.de` → `xn--bcher-kva.de`),
//! surrounding spaces. Refused before any lookup: IP literals in any spelling, single labels,
//! special-use and internal names (RFC 6761, RFC 6762, RFC 8375, RFC 9476, ICANN's `.internal`),
//! ports, user information, over-long names or labels, characters outside LDH after IDNA
//! (RFC 5890, RFC 1123 §2.1).

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::names::domain::{HostName, NameError};

/// Longest input considered at all (a URL with a long path is still fine).
const MAX_INPUT: usize = 2048;

/// Why an input is not a domain that can be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Nothing was given.
    #[error("enter a domain name, for example example.com")]
    Empty,
    /// The input is longer than any domain or URL worth checking.
    #[error("the input is too long to be a domain name")]
    TooLong,
    /// An IP address, in any spelling.
    #[error("`{0}` is an IP address; MTA-STS applies to domain names")]
    IpAddress(String),
    /// A URL with user information (`user@host`), a common way to disguise the real host.
    #[error("the URL contains user information (`…@`); enter just the domain")]
    UserInfo,
    /// A port was given.
    #[error(
        "enter the domain without a port (MTA-STS always uses HTTPS on port 443 and SMTP on 25)"
    )]
    Port,
    /// An e-mail address with more than one `@`, or other unparseable shapes.
    #[error("`{0}` is not a domain name, URL or e-mail address")]
    Unrecognised(String),
    /// A single label, such as `localhost` or `com`.
    #[error("`{0}` is a single label; enter a full domain such as example.com")]
    SingleLabel(String),
    /// A special-use or internal name that has no public MTA-STS.
    #[error("`{0}` is a special-use or internal name (.{1}), not a public domain")]
    SpecialUse(String, String),
    /// The name or one of its labels is too long.
    #[error("the domain name is too long (at most 253 characters, 63 per label)")]
    NameTooLong,
    /// A character outside letters, digits and hyphens (after IDNA conversion).
    #[error("`{0}` is not a valid domain name: {1}")]
    InvalidName(String, String),
}

/// Special-use and internal top-level names: nothing public to check there.
const SPECIAL_TLDS: &[&str] = &[
    "localhost",
    "local",
    "internal",
    "arpa",
    "invalid",
    "test",
    "example",
    "onion",
    "alt",
    "home",
    "lan",
    "corp",
    "intranet",
    "private",
    "localdomain",
];

/// How strict to be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputRules {
    /// Allow names under `.test` (the fixture internet of the tests and the offline demo).
    pub allow_test: bool,
}

fn looks_numeric_label(l: &str) -> bool {
    !l.is_empty()
        && (l.bytes().all(|b| b.is_ascii_digit())
            || (l.len() > 2
                && (l.starts_with("0x") || l.starts_with("0X"))
                && l[2..].bytes().all(|b| b.is_ascii_hexdigit())))
}

/// Is `host` an IP address in any spelling: dotted quad, IPv6, bracketed, or the inet_aton forms
/// (decimal `2130706433`, hex `0x7f000001`, octal `0177.0.0.1`, short `127.1`)?
fn is_ip_literal(host: &str) -> bool {
    let h = host.trim_end_matches('.');
    if h.starts_with('[') || h.contains(':') {
        return true;
    }
    if h.parse::<Ipv4Addr>().is_ok() || h.parse::<Ipv6Addr>().is_ok() {
        return true;
    }
    // inet_aton accepts 1 to 4 parts, each decimal, octal (leading 0) or hex (0x).
    let parts: Vec<&str> = h.split('.').collect();
    parts.len() <= 4 && parts.iter().all(|p| looks_numeric_label(p))
}

/// Extracts the host part from a URL, an e-mail address or a bare name.
fn extract_host(input: &str) -> Result<&str, InputError> {
    let s = input;
    if let Some((scheme, rest)) = s.split_once("://") {
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return Err(InputError::Unrecognised(input.to_owned()));
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(InputError::UserInfo);
        }
        return host_without_port(authority, input);
    }
    if let Some(rest) = s
        .strip_prefix("mailto:")
        .or_else(|| s.strip_prefix("MAILTO:"))
    {
        let addr = rest.split('?').next().unwrap_or_default();
        return match addr.rsplit_once('@') {
            Some((local, domain)) if !local.contains('@') && !domain.is_empty() => Ok(domain),
            _ => Err(InputError::Unrecognised(input.to_owned())),
        };
    }
    let name = s.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((local, domain)) = name.rsplit_once('@') {
        if local.contains('@') || local.is_empty() || domain.is_empty() {
            return Err(InputError::Unrecognised(input.to_owned()));
        }
        return Ok(domain);
    }
    host_without_port(name, input)
}

fn host_without_port<'a>(authority: &'a str, input: &str) -> Result<&'a str, InputError> {
    if authority.starts_with('[') {
        return Err(InputError::IpAddress(authority.to_owned()));
    }
    match authority.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') => {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                Err(InputError::Port)
            } else {
                Err(InputError::Unrecognised(input.to_owned()))
            }
        }
        Some(_) => Err(InputError::IpAddress(authority.to_owned())),
        None => Ok(authority),
    }
}

/// Normalises what a person pasted into a domain name (A-labels, lower case, no trailing dot),
/// or says clearly why it cannot be checked.
pub fn normalize_domain(input: &str, rules: InputRules) -> Result<String, InputError> {
    if input.len() > MAX_INPUT {
        return Err(InputError::TooLong);
    }
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(InputError::Empty);
    }
    let host = extract_host(trimmed)?;
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return Err(InputError::Unrecognised(trimmed.to_owned()));
    }
    if is_ip_literal(host) {
        return Err(InputError::IpAddress(host.to_owned()));
    }
    let name = HostName::parse(host).map_err(|e| match e {
        NameError::TooLong => InputError::NameTooLong,
        NameError::Idn => InputError::InvalidName(host.to_owned(), e.to_string()),
        other => InputError::InvalidName(host.to_ascii_lowercase(), other.to_string()),
    })?;
    let ascii = name.as_str();
    let tld = name.tld();
    // A top-level label that reads as a number (`example.0x1`, `a.b.017`) makes URL parsers read
    // the whole name as an IPv4 address (WHATWG "ends in a number"): refused like one.
    if is_ip_literal(ascii) || looks_numeric_label(tld) {
        return Err(InputError::IpAddress(ascii.to_owned()));
    }
    if SPECIAL_TLDS.contains(&tld) && !(rules.allow_test && tld == "test") {
        return Err(InputError::SpecialUse(ascii.to_owned(), tld.to_owned()));
    }
    if name.labels() < 2 {
        return Err(InputError::SingleLabel(ascii.to_owned()));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        normalize_domain(s, InputRules::default()).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn accepted() {
        crate::names::idn::for_tests();
        let table = [
            ("example.com", "example.com"),
            ("  Example.COM  ", "example.com"),
            ("example.com.", "example.com"),
            ("https://example.com/some/path?q=1#x", "example.com"),
            ("http://Example.com", "example.com"),
            ("mailto:user@example.com", "example.com"),
            ("mailto:user@example.com?subject=hi", "example.com"),
            ("user@example.com", "example.com"),
            ("bücher.de", "xn--bcher-kva.de"),
            ("https://BÜCHER.de/", "xn--bcher-kva.de"),
            ("example.com/path", "example.com"),
            ("mail.sub.example.co.uk", "mail.sub.example.co.uk"),
        ];
        for (input, want) in table {
            assert_eq!(ok(input), want, "{input:?}");
        }
    }

    /// An input and a test of the error it must give.
    type Refusal = (&'static str, fn(&InputError) -> bool);

    #[test]
    fn refused() {
        let table: &[Refusal] = &[
            ("", |e| matches!(e, InputError::Empty)),
            ("   ", |e| matches!(e, InputError::Empty)),
            // IP literals in every spelling.
            ("127.0.0.1", |e| matches!(e, InputError::IpAddress(_))),
            ("2130706433", |e| matches!(e, InputError::IpAddress(_))),
            ("0x7f000001", |e| matches!(e, InputError::IpAddress(_))),
            ("example.0x1", |e| matches!(e, InputError::IpAddress(_))),
            ("mail.example.0XFF", |e| matches!(e, InputError::IpAddress(_))),
            ("0177.0.0.1", |e| matches!(e, InputError::IpAddress(_))),
            ("127.1", |e| matches!(e, InputError::IpAddress(_))),
            ("::1", |e| matches!(e, InputError::IpAddress(_))),
            ("[::1]", |e| matches!(e, InputError::IpAddress(_))),
            ("https://[::1]/", |e| matches!(e, InputError::IpAddress(_))),
            ("http://169.254.169.254/latest/meta-data", |e| matches!(e, InputError::IpAddress(_))),
            ("user@[127.0.0.1]", |e| matches!(e, InputError::IpAddress(_))),
            // Single labels and special-use names.
            ("localhost", |e| matches!(e, InputError::SpecialUse(..))),
            ("com", |e| matches!(e, InputError::SingleLabel(_))),
            ("printer.local", |e| matches!(e, InputError::SpecialUse(..))),
            ("db.internal", |e| matches!(e, InputError::SpecialUse(..))),
            ("foo.localhost", |e| matches!(e, InputError::SpecialUse(..))),
            ("1.0.0.127.in-addr.arpa", |e| matches!(e, InputError::SpecialUse(..))),
            ("x.invalid", |e| matches!(e, InputError::SpecialUse(..))),
            ("good.test", |e| matches!(e, InputError::SpecialUse(..))),
            // Ports and user information.
            ("example.com:8080", |e| matches!(e, InputError::Port)),
            ("https://example.com:8443/", |e| matches!(e, InputError::Port)),
            ("https://example.com@evil.com/", |e| matches!(e, InputError::UserInfo)),
            ("https://user:pass@example.com/", |e| matches!(e, InputError::UserInfo)),
            ("a@b@example.com", |e| matches!(e, InputError::Unrecognised(_))),
            // Length and characters.
            ("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.com", |e| matches!(e, InputError::NameTooLong)),
            ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", |e| matches!(e, InputError::NameTooLong)),
            ("exa_mple.com", |e| matches!(e, InputError::InvalidName(..))),
            ("exa mple.com", |e| matches!(e, InputError::InvalidName(..))),
            ("-example.com", |e| matches!(e, InputError::InvalidName(..))),
            ("example..com", |e| matches!(e, InputError::InvalidName(..))),
            ("<script>.com", |e| matches!(e, InputError::InvalidName(..))),
        ];
        for (input, check) in table {
            let e = normalize_domain(input, InputRules::default()).expect_err(input);
            assert!(check(&e), "{input:?}: {e:?}");
            assert!(!e.to_string().is_empty());
        }
        assert!(matches!(
            normalize_domain(&"a".repeat(10_000), InputRules::default()),
            Err(InputError::TooLong)
        ));
    }

    #[test]
    fn fixture_mode_allows_test() {
        assert_eq!(
            normalize_domain("Good.TEST", InputRules { allow_test: true }).as_deref(),
            Ok("good.test")
        );
        assert!(normalize_domain("localhost", InputRules { allow_test: true }).is_err());
    }
}
