//! The checker's judged report, `{evidence, report}` (`/api/report`, and the checks saved in this
//! browser), read into the crate's own types field by field from the browser's `JSON.parse`.
//!
//! Why by hand: serde's derived decoders, run over JS values by `serde_wasm_bindgen`, were 68 KB
//! of the report build's 510 KB of wasm (twiggy, after wasm-opt): each struct's visitor carries a
//! sequence form, duplicate-field checks and error texts, inlined into its parent. These readers
//! share a few small functions instead (README, "Payload", for the saving). What they read
//! cannot drift from the crate's JSON unnoticed: a component test decodes every Evidence fixture's
//! judged report both ways and compares the two (`decode_reads_what_serde_reads`).
//!
//! As serde reads it: unknown fields are ignored, a missing or `null` optional field is `None`,
//! a missing list is empty; a required field missing, or any field of the wrong type, refuses
//! the whole answer, naming the field. Enum values are read by the crate's own serde names.

use mtasts::api::Checked;
use mtasts::finding::{ByteRange, Finding};
use mtasts::judge::involved::{Involved, Party};
use mtasts::observe::evidence::{
    Body, CertificateFacts, DnsLookup, DnsRecord, Header, LookupError, PolicyFetch, RecordData,
};
use mtasts::observe::smtp::{AddressProbe, ChainCertificate, MxProbe, SmtpProbe};
use mtasts::records::policy::PolicyExtension;
use mtasts::records::sts_txt::Extension;
use mtasts::report::{MxHost, Readiness, ReadinessItem};
use mtasts::senders::view::{Row, View};
use mtasts::senders::ReadPolicy;
use mtasts::{Code, Evidence, MxPattern, Policy, Report, StsRecord, TlsRptRecord};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::judged::{field, named as by_name};

/// What is read, or the field that could not be.
pub(crate) type Read<T> = Result<T, &'static str>;

/// `o[key]`, `None` when it is missing or `null`.
fn given(o: &JsValue, key: &'static str) -> Option<JsValue> {
    Some(field(o, key)).filter(|v| !v.is_null_or_undefined())
}

/// `o[key]` read by `f` when given.
fn opt<T>(o: &JsValue, key: &'static str, f: impl Fn(&JsValue) -> Read<T>) -> Read<Option<T>> {
    given(o, key).map(|v| f(&v)).transpose()
}

/// The items of the list `o[key]`, each read by `f` (none when it is not given).
fn list<T>(o: &JsValue, key: &'static str, f: impl Fn(&JsValue) -> Read<T>) -> Read<Vec<T>> {
    match given(o, key) {
        None => Ok(Vec::new()),
        Some(v) if js_sys::Array::is_array(&v) => {
            js_sys::Array::from(&v).iter().map(|i| f(&i)).collect()
        }
        Some(_) => Err(key),
    }
}

fn string_of(v: &JsValue) -> Read<String> {
    v.as_string().ok_or("a string")
}

fn string(o: &JsValue, key: &'static str) -> Read<String> {
    field(o, key).as_string().ok_or(key)
}

fn opt_string(o: &JsValue, key: &'static str) -> Read<Option<String>> {
    opt(o, key, |v| v.as_string().ok_or(key))
}

fn strings(o: &JsValue, key: &'static str) -> Read<Vec<String>> {
    list(o, key, string_of)
}

fn opt_bool(o: &JsValue, key: &'static str) -> Read<Option<bool>> {
    opt(o, key, |v| v.as_bool().ok_or(key))
}

/// `o[key]` as a boolean, `false` when not given.
fn flag(o: &JsValue, key: &'static str) -> Read<bool> {
    opt_bool(o, key).map(Option::unwrap_or_default)
}

/// A JSON number that is a whole number of type `T` (within 2^53: the crate's seconds, sizes,
/// TTLs and preferences all are).
fn whole<T: TryFrom<u64>>(v: &JsValue, key: &'static str) -> Read<T> {
    let n = v.as_f64().ok_or(key)?;
    if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        T::try_from(n as u64).map_err(|_| key)
    } else {
        Err(key)
    }
}

fn num<T: TryFrom<u64>>(o: &JsValue, key: &'static str) -> Read<T> {
    whole(&field(o, key), key)
}

fn opt_num<T: TryFrom<u64>>(o: &JsValue, key: &'static str) -> Read<Option<T>> {
    opt(o, key, |v| whole(v, key))
}

/// The crate's enum value named by `o[key]`.
fn named<T: DeserializeOwned>(o: &JsValue, key: &'static str) -> Read<T> {
    by_name(o, key).ok_or(key)
}

fn opt_named<T: DeserializeOwned>(o: &JsValue, key: &'static str) -> Read<Option<T>> {
    opt(o, key, |_| named(o, key))
}

/// `{evidence, report}`.
pub(crate) fn checked(v: &JsValue) -> Read<Checked> {
    Ok(Checked {
        evidence: evidence(&field(v, "evidence"))?,
        report: report(&field(v, "report"))?,
    })
}

/// An Evidence (`mtasts check --format json`).
pub(crate) fn evidence(v: &JsValue) -> Read<Evidence> {
    Ok(Evidence {
        schema_version: num(v, "schema_version")?,
        domain: string(v, "domain")?,
        observed_at: num(v, "observed_at")?,
        sts_txt: lookup(&field(v, "sts_txt"))?,
        mx: lookup(&field(v, "mx"))?,
        tlsrpt_txt: lookup(&field(v, "tlsrpt_txt"))?,
        policy_host: list(v, "policy_host", lookup)?,
        policy_fetch: opt(v, "policy_fetch", fetch)?,
        tlsa: list(v, "tlsa", lookup)?,
        smtp: opt(v, "smtp", |s| {
            Ok(SmtpProbe {
                hosts: list(s, "hosts", mx_probe)?,
            })
        })?,
        ns: opt(v, "ns", lookup)?,
        rua_mx: list(v, "rua_mx", lookup)?,
    })
}

fn lookup(v: &JsValue) -> Read<DnsLookup> {
    Ok(DnsLookup {
        name: string(v, "name")?,
        qtype: named(v, "qtype")?,
        rcode: opt_named(v, "rcode")?,
        error: opt(v, "error", lookup_error)?,
        authenticated: flag(v, "authenticated")?,
        cname_chain: strings(v, "cname_chain")?,
        answers: list(v, "answers", record)?,
        elapsed_ms: opt_num(v, "elapsed_ms")?,
    })
}

fn lookup_error(v: &JsValue) -> Read<LookupError> {
    Ok(LookupError {
        kind: named(v, "kind")?,
        message: opt_string(v, "message")?.unwrap_or_default(),
    })
}

/// One answer: its TTL, and its data beside it, tagged by `type`.
fn record(v: &JsValue) -> Read<DnsRecord> {
    let data = match string(v, "type")?.as_str() {
        "A" => RecordData::A {
            address: string(v, "address")?,
        },
        "AAAA" => RecordData::Aaaa {
            address: string(v, "address")?,
        },
        "CNAME" => RecordData::Cname {
            target: string(v, "target")?,
        },
        "NS" => RecordData::Ns {
            host: string(v, "host")?,
        },
        "MX" => RecordData::Mx {
            preference: num(v, "preference")?,
            exchange: string(v, "exchange")?,
        },
        "TXT" => RecordData::Txt {
            strings: strings(v, "strings")?,
        },
        "TLSA" => RecordData::Tlsa {
            usage: num(v, "usage")?,
            selector: num(v, "selector")?,
            matching_type: num(v, "matching_type")?,
            data: string(v, "data")?,
        },
        _ => return Err("type"),
    };
    Ok(DnsRecord {
        ttl: num(v, "ttl")?,
        data,
    })
}

fn fetch(v: &JsValue) -> Read<PolicyFetch> {
    Ok(PolicyFetch {
        url: string(v, "url")?,
        status: opt_num(v, "status")?,
        headers: list(v, "headers", |h| {
            Ok(Header {
                name: string(h, "name")?,
                value: string(h, "value")?,
            })
        })?,
        location: opt_string(v, "location")?,
        body: opt(v, "body", body)?,
        truncated: flag(v, "truncated")?,
        error: opt(v, "error", lookup_error)?,
        certificate: opt(v, "certificate", certificate)?,
        elapsed_ms: opt_num(v, "elapsed_ms")?,
    })
}

/// `{"text": …}`, or `{"base64": …}` for bytes that are not UTF-8 (decoded by the browser's
/// `atob`, whose "binary string" holds one byte a character).
fn body(v: &JsValue) -> Read<Body> {
    if let Some(t) = opt_string(v, "text")? {
        return Ok(Body(t.into_bytes()));
    }
    let b64 = string(v, "base64")?;
    let binary = web_sys::window()
        .and_then(|w| w.atob(&b64).ok())
        .ok_or("base64")?;
    binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).map_err(|_| "base64"))
        .collect::<Read<Vec<u8>>>()
        .map(Body)
}

fn certificate(v: &JsValue) -> Read<CertificateFacts> {
    Ok(CertificateFacts {
        subject_names: strings(v, "subject_names")?,
        issuer: opt_string(v, "issuer")?,
        not_before: opt_num(v, "not_before")?,
        not_after: opt_num(v, "not_after")?,
        self_signed: opt_bool(v, "self_signed")?,
    })
}

fn mx_probe(v: &JsValue) -> Read<MxProbe> {
    Ok(MxProbe {
        host: string(v, "host")?,
        addresses: list(v, "addresses", address_probe)?,
        error: opt(v, "error", lookup_error)?,
    })
}

fn address_probe(v: &JsValue) -> Read<AddressProbe> {
    Ok(AddressProbe {
        address: string(v, "address")?,
        greeting: opt_string(v, "greeting")?,
        starttls: opt_bool(v, "starttls")?,
        tls_version: opt_string(v, "tls_version")?,
        certificate: opt(v, "certificate", certificate)?,
        chain: list(v, "chain", |c| {
            Ok(ChainCertificate {
                cert: string(c, "cert")?,
                cert_sha256: string(c, "cert_sha256")?,
                cert_sha512: string(c, "cert_sha512")?,
                spki: string(c, "spki")?,
                spki_sha256: string(c, "spki_sha256")?,
                spki_sha512: string(c, "spki_sha512")?,
            })
        })?,
        valid_for_host: opt_bool(v, "valid_for_host")?,
        invalid: opt(v, "invalid", lookup_error)?,
        error: opt(v, "error", lookup_error)?,
        elapsed_ms: opt_num(v, "elapsed_ms")?,
    })
}

/// A report (of a domain or a draft).
pub(crate) fn report(v: &JsValue) -> Read<Report> {
    Ok(Report {
        schema_version: num(v, "schema_version")?,
        domain: string(v, "domain")?,
        verdict: named(v, "verdict")?,
        summary: string(v, "summary")?,
        findings: list(v, "findings", finding)?,
        sts_record: opt(v, "sts_record", |r| {
            Ok(StsRecord {
                id: string(r, "id")?,
                extensions: list(r, "extensions", extension)?,
            })
        })?,
        policy: opt(v, "policy", policy)?,
        tlsrpt: opt(v, "tlsrpt", |r| {
            Ok(TlsRptRecord {
                rua: strings(r, "rua")?,
                extensions: list(r, "extensions", extension)?,
            })
        })?,
        mx_hosts: list(v, "mx_hosts", mx_host)?,
        observed_at: opt_num(v, "observed_at")?,
        readiness: opt(v, "readiness", readiness)?,
        involved: opt(v, "involved", |i| {
            Ok(Involved {
                mail: opt(i, "mail", party)?,
                dns: opt(i, "dns", party)?,
                policy: opt(i, "policy", party)?,
            })
        })?,
        senders: opt(v, "senders", view)?,
    })
}

fn finding(v: &JsValue) -> Read<Finding> {
    Ok(Finding {
        code: Code::parse(&string(v, "code")?).ok_or("code")?,
        severity: named(v, "severity")?,
        priority: named(v, "priority")?,
        subject: named(v, "subject")?,
        message: string(v, "message")?.into(),
        line: opt_num(v, "line")?,
        column: opt_num(v, "column")?,
        span: opt(v, "span", |s| {
            Ok(ByteRange {
                start: num(s, "start")?,
                end: num(s, "end")?,
            })
        })?,
        fix: opt_string(v, "fix")?.map(Into::into),
        rfc: string(v, "rfc")?.into(),
    })
}

fn extension(v: &JsValue) -> Read<Extension> {
    Ok(Extension {
        name: string(v, "name")?,
        value: string(v, "value")?,
    })
}

/// A policy; every `mx` read by the policy grammar, as the crate's serde reads it.
pub(crate) fn policy(v: &JsValue) -> Read<Policy> {
    Ok(Policy {
        version: string(v, "version")?,
        mode: named(v, "mode")?,
        max_age: num(v, "max_age")?,
        mx: list(v, "mx", |m| {
            MxPattern::parse(&string_of(m)?).map_err(|_| "mx")
        })?,
        extensions: list(v, "extensions", |e| {
            Ok(PolicyExtension {
                name: string(e, "name")?,
                value: string(e, "value")?,
            })
        })?,
    })
}

fn mx_host(v: &JsValue) -> Read<MxHost> {
    Ok(MxHost {
        host: string(v, "host")?,
        preference: opt_num(v, "preference")?,
        covered_by: opt_string(v, "covered_by")?,
        starttls: opt_bool(v, "starttls")?,
        tls_version: opt_string(v, "tls_version")?,
        certificate: opt(v, "certificate", certificate)?,
        valid_for_host: opt_bool(v, "valid_for_host")?,
        error: opt_string(v, "error")?,
    })
}

fn readiness(v: &JsValue) -> Read<Readiness> {
    Ok(Readiness {
        stage: string(v, "stage")?,
        next_step: string(v, "next_step")?,
        items: list(v, "items", |i| {
            Ok(ReadinessItem {
                check: string(i, "check")?,
                status: named(i, "status")?,
                text: string(i, "text")?,
            })
        })?,
    })
}

fn party(v: &JsValue) -> Read<Party> {
    Ok(Party {
        name: opt_string(v, "name")?,
        from: string(v, "from")?,
    })
}

fn view(v: &JsValue) -> Read<View> {
    Ok(View {
        rows: list(v, "rows", |r| {
            Ok(Row {
                sender: string(r, "sender")?,
                name: string(r, "name")?,
                version: string(r, "version")?,
                outcome: named(r, "outcome")?,
                policy: opt(r, "policy", read_policy)?,
                reason: opt_string(r, "reason")?,
                uncovered: strings(r, "uncovered")?,
            })
        })?,
        summary: string(v, "summary")?,
        rfc: opt(v, "rfc", read_policy)?,
    })
}

fn read_policy(v: &JsValue) -> Read<ReadPolicy> {
    Ok(ReadPolicy {
        mode: string(v, "mode")?,
        max_age: num(v, "max_age")?,
        mx: strings(v, "mx")?,
    })
}
