//! The reference reading: RFC 8461 as this crate reads it (`shared/docs/RFC-NOTES.md`), in the
//! shape of a sender model, so every sender is compared with it the same way.
//!
//! * TXT (§3.1): discovery over the set, then the grammar ([`check_sts_txt`]).
//! * Policy (§3.3): only a 200 counts (no redirect is followed); the body must be a valid policy
//!   ([`check_policy`]: first occurrence of a repeated field wins, unknown fields ignored, LF or
//!   CRLF, at most 64 KiB). The media type is a SHOULD (item 7): it does not decide.
//! * Matching (§4.1): [`mx_matches`].

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};
use crate::names::mx::mx_matches;
use crate::records::policy::check_policy;
use crate::records::sts_txt::check_sts_txt;

/// RFC 8461, as this crate reads it.
pub static MODEL: Model = Model {
    id: "rfc",
    name: "RFC 8461",
    version: "RFC 8461 (2018), errata 6253",
    basis: Basis::Source,
    #[cfg(feature = "docs")]
    sources: &[
        "RFC 8461 §3.1, §3.2, §3.3, §4.1",
        "shared/docs/RFC-NOTES.md",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: deliver and report failures; a failed fetch with no cached policy: deliver \
            as if the domain had none.",
    txt,
    policy,
    matches: mx_matches,
};

/// Reads the TXT record set by §3.1 discovery and grammar.
pub fn txt(records: &[&str]) -> TxtRead {
    let set = check_sts_txt(records);
    let valid = set.is_valid();
    match set.record {
        Some(r) if valid => TxtRead::Policy { id: r.id },
        _ => TxtRead::NoPolicy(first_error(&set.findings, "no valid v=STSv1 record")),
    }
}

/// Reads a policy response by §3.2 and §3.3.
pub fn policy(response: &Response<'_>) -> PolicyRead {
    if response.status != 200 {
        return PolicyRead::NoPolicy(format!("HTTP status {} (only 200 counts)", response.status));
    }
    let check = check_policy(response.body);
    match check.policy {
        Some(p) => PolicyRead::Policy(ReadPolicy {
            mode: p.mode.as_str().to_owned(),
            max_age: p.max_age,
            mx: p.mx.iter().map(ToString::to_string).collect(),
        }),
        None => PolicyRead::NoPolicy(first_error(&check.findings, "not a valid policy")),
    }
}

fn first_error(findings: &[crate::finding::Finding], otherwise: &str) -> String {
    findings.iter().find(|f| f.is_error()).map_or_else(
        || otherwise.to_owned(),
        |f| format!("{} [{}]", f.message, f.code),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(status: u16, text: &str) -> PolicyRead {
        policy(&Response {
            status,
            content_type: Some("text/plain"),
            body: text.as_bytes(),
        })
    }

    #[test]
    fn reads_a_valid_policy_and_refuses_redirects() {
        let ok = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";
        let PolicyRead::Policy(p) = body(200, ok) else {
            panic!("no policy")
        };
        assert_eq!((p.mode.as_str(), p.max_age), ("enforce", 86400));
        assert_eq!(p.mx, ["mail.example.com"]);
        assert!(matches!(body(301, ok), PolicyRead::NoPolicy(_)));
        assert!(matches!(
            body(200, &format!("{ok}\r\n")),
            PolicyRead::NoPolicy(_)
        ));
    }

    #[test]
    fn txt_discovery() {
        assert_eq!(
            txt(&["v=STSv1; id=abc"]),
            TxtRead::Policy { id: "abc".into() }
        );
        assert!(matches!(
            txt(&["v=STSv1; id=a", "v=STSv1; id=b"]),
            TxtRead::NoPolicy(_)
        ));
        assert_eq!(
            txt(&["v=STSv1; id=abc", "hello"]),
            TxtRead::Policy { id: "abc".into() }
        );
    }
}
