//! The result types of RFC 8460 §4.3, explained like finding codes: what, why, fix.

use serde::Serialize;

/// Which step of a session failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultKind {
    /// The TLS negotiation with the MX (§4.3.1): would fail delivery under `enforce`.
    Negotiation,
    /// MTA-STS itself (§4.3.2): the policy could not be fetched or validated.
    Sts,
    /// DANE (§4.3.3): TLSA records or DNSSEC; DANE is always enforced.
    Dane,
    /// Not a type RFC 8460 defines: shown as written.
    Other,
}

/// One result type with its explanation.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ResultType {
    /// The name senders write, for example `certificate-host-mismatch`.
    pub name: &'static str,
    /// The step that failed.
    pub kind: ResultKind,
    /// One line.
    pub title: &'static str,
    /// What the sender saw.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// What to do.
    pub fix: &'static str,
}

/// Every result type of RFC 8460 §4.3.
pub const RESULT_TYPES: &[ResultType] = &[
    ResultType {
        name: "starttls-not-supported",
        kind: ResultKind::Negotiation,
        title: "The MX did not offer STARTTLS",
        what: "The sending server connected to the MX and found no STARTTLS in its EHLO answer.",
        why: "Under `enforce`, senders refuse to deliver to an MX without TLS: this mail would bounce.",
        fix: "Enable STARTTLS on this MX (with a certificate for its name), or remove it from the MX records and the policy.",
    },
    ResultType {
        name: "certificate-host-mismatch",
        kind: ResultKind::Negotiation,
        title: "The MX's certificate does not name the host",
        what: "The certificate the MX presented does not contain the MX host name the sender connected to.",
        why: "Under `enforce`, senders refuse an MX whose certificate is for another name: this mail would bounce.",
        fix: "Install a certificate whose names (SAN) include this MX host name, as it appears in the MX record.",
    },
    ResultType {
        name: "certificate-expired",
        kind: ResultKind::Negotiation,
        title: "The MX's certificate has expired",
        what: "The certificate the MX presented was outside its validity period.",
        why: "Under `enforce`, senders refuse an expired certificate: this mail would bounce.",
        fix: "Renew the MX's certificate and automate the renewal (for example with ACME), then reload the mail server.",
    },
    ResultType {
        name: "certificate-not-trusted",
        kind: ResultKind::Negotiation,
        title: "The MX's certificate is not trusted",
        what: "The certificate chain did not lead to a certificate authority the sender trusts: self-signed, a private CA, or intermediates missing.",
        why: "Under `enforce`, senders refuse an untrusted certificate: this mail would bounce.",
        fix: "Use a certificate from a public CA and serve the full chain (the intermediates) on port 25.",
    },
    ResultType {
        name: "validation-failure",
        kind: ResultKind::Negotiation,
        title: "The TLS negotiation failed for another reason",
        what: "A general failure of the TLS negotiation or certificate validation that no other type describes; `failure-reason-code` may say more.",
        why: "Under `enforce`, a session that cannot be secured is not delivered.",
        fix: "Read the failure-reason-code and additional-information, then test the MX with `mtasts check --smtp`.",
    },
    ResultType {
        name: "sts-policy-fetch-error",
        kind: ResultKind::Sts,
        title: "The sender could not fetch the MTA-STS policy",
        what: "The HTTPS fetch of `https://mta-sts.DOMAIN/.well-known/mta-sts.txt` failed: no answer, an HTTP error or a redirect.",
        why: "A sender that cannot fetch the policy delivers without MTA-STS: the protection is missing for it.",
        fix: "Make the policy host answer 200 with the policy over HTTPS from everywhere (check it with `mtasts check DOMAIN`).",
    },
    ResultType {
        name: "sts-policy-invalid",
        kind: ResultKind::Sts,
        title: "The MTA-STS policy could not be read",
        what: "The fetched policy file did not parse as an RFC 8461 policy.",
        why: "Senders ignore an invalid policy: no protection.",
        fix: "Lint the policy file (`mtasts lint policy` or the linter page) and publish the corrected file with a new `id`.",
    },
    ResultType {
        name: "sts-webpki-invalid",
        kind: ResultKind::Sts,
        title: "The policy host's certificate is not valid",
        what: "The HTTPS certificate of `mta-sts.DOMAIN` did not validate (expired, wrong name or untrusted).",
        why: "Senders must not use a policy fetched over an invalid certificate: no protection.",
        fix: "Install a valid public certificate for `mta-sts.DOMAIN` (a web host migration often loses it).",
    },
    ResultType {
        name: "tlsa-invalid",
        kind: ResultKind::Dane,
        title: "The TLSA records are invalid",
        what: "The MX's TLSA records could not be used (malformed, or none matched the certificate).",
        why: "DANE senders defer mail to an MX whose TLSA records do not match: mail is delayed now.",
        fix: "Publish TLSA records that match the MX's current certificate or key, before rolling the certificate.",
    },
    ResultType {
        name: "dnssec-invalid",
        kind: ResultKind::Dane,
        title: "DNSSEC validation failed",
        what: "The DNSSEC signatures for the MX's TLSA or address records did not validate.",
        why: "DANE senders cannot trust the records and defer the mail.",
        fix: "Repair the zone's DNSSEC chain (signatures, DS records at the parent).",
    },
    ResultType {
        name: "dane-required",
        kind: ResultKind::Dane,
        title: "DANE was required but not usable",
        what: "The sender requires DANE for this destination and no usable TLSA records were found.",
        why: "The sender does not deliver without DANE.",
        fix: "Publish DNSSEC-signed TLSA records for the MX.",
    },
];

/// The explanation of `name`, if RFC 8460 defines it.
pub fn result_type(name: &str) -> Option<&'static ResultType> {
    RESULT_TYPES.iter().find(|r| r.name == name)
}
