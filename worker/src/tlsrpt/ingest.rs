//! One report body → decoded (gzip inflated, bounded), read by `mtasts::reports`, summarised
//! for the subscription's domain, and stored once per `report-id` in one D1 batch (a
//! transaction: the report row and its summary rows are written together or not at all; a
//! second copy of a stored report hits the primary key and changes nothing).

use std::collections::BTreeMap;
use std::io::Read as _;

use mtasts::reports::{self, Kind, Payload, TlsReport};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use worker::{D1Database, D1PreparedStatement, Result};

use crate::monitor::{exec, first, n, now, s};

/// The largest body read: an HTTPS POST, or a mail's report attachment (after base64).
pub(crate) const MAX_BODY: usize = 1 << 20;
/// The largest report JSON after inflating (the crate's own cap is 16 MB; a Worker has 128 MB
/// and a report this size is already far beyond any sender's): larger is refused as a bomb.
pub(crate) const MAX_JSON: usize = 4 << 20;
/// The largest mail message read (base64 makes 1 MB of attachment ~1.4 MB).
pub(crate) const MAX_MAIL: usize = 2 << 20;
/// Reports read from one body or message (a JSON array, several attachments).
pub(crate) const MAX_REPORTS: usize = 10;
/// The raw report (as received, base64) is kept when at most this large...
pub(crate) const RAW_KEEP: usize = 256 << 10;
/// ...for this many days; the daily summary for [`SUMMARY_DAYS`].
pub(crate) const RAW_DAYS: i64 = 30;
pub(crate) const SUMMARY_DAYS: i64 = 400;
/// Summary rows written per report at most (the rest are counted under `(others)`).
const MAX_ROWS: usize = 100;

/// Why a body is refused: the HTTP status, a code and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl Refusal {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }
}

/// Inflates gzip, stopping at [`MAX_JSON`] bytes (memory stays bounded whatever the ratio).
pub(crate) fn inflate(gz: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    let limit = u64::try_from(MAX_JSON).unwrap_or(u64::MAX) + 1;
    match flate2::read::MultiGzDecoder::new(gz)
        .take(limit)
        .read_to_end(&mut out)
    {
        Ok(_) if out.len() > MAX_JSON => Err(Refusal::new(
            413,
            "too-large",
            format!(
                "decompresses to more than {} MB: stopped (a gzip bomb, or not a TLS report)",
                MAX_JSON >> 20
            ),
        )),
        Ok(_) => Ok(out),
        Err(e) => Err(Refusal::new(400, "undecodable", format!("not gzip: {e}"))),
    }
}

/// The report JSON of a posted body: gzip is recognised by its magic bytes whatever the
/// declared type (senders mislabel), anything else is read as JSON.
pub(crate) fn decode(body: &[u8]) -> std::result::Result<(Vec<u8>, Kind), Refusal> {
    if body.starts_with(&[0x1f, 0x8b]) {
        return inflate(body).map(|j| (j, Kind::Gzip));
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if body.starts_with(b"\xEF\xBB\xBF") || matches!(first, Some(b'{' | b'[')) {
        return Ok((body.to_vec(), Kind::Json));
    }
    Err(Refusal::new(
        400,
        "undecodable",
        "not a TLS report: neither gzip nor JSON",
    ))
}

/// Reads the reports in report JSON with the crate's tolerant reader and its caps.
pub(crate) fn read(
    origin: &str,
    kind: Kind,
    json: &[u8],
    hint: Option<String>,
) -> std::result::Result<Vec<TlsReport>, Refusal> {
    let payload = Payload {
        origin: origin.to_owned(),
        kind,
        bytes: vec![],
        domain_hint: hint,
        notes: vec![],
    };
    let mut r =
        reports::parse(&payload, json).map_err(|u| Refusal::new(422, "unreadable", u.message))?;
    r.truncate(MAX_REPORTS);
    Ok(r)
}

/// One failure row's key: policy type and domain, result type, MX.
type FailKey = (String, String, String, String);

/// One report summarised for one subscription's domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Agg {
    /// `report-id`, or `sha256:` of the report when it has none (the same report twice still
    /// counts once).
    pub(crate) key: String,
    pub(crate) sender: String,
    pub(crate) day: String,
    pub(crate) date_begin: Option<i64>,
    pub(crate) date_end: Option<i64>,
    pub(crate) successful: u64,
    pub(crate) failed: u64,
    /// Counts that could not be read (taken as 0, and said).
    pub(crate) unreadable: u64,
    /// Sessions by policy (type, domain): (successful, failed).
    pub(crate) policies: BTreeMap<(String, String), (u64, u64)>,
    /// Failed sessions by policy, result type and MX.
    pub(crate) failures: BTreeMap<FailKey, u64>,
    /// Policies for other domains, not counted.
    pub(crate) foreign: Vec<String>,
    pub(crate) notes: Vec<String>,
}

impl Agg {
    /// Failed sessions in ten-thousandths of all sessions.
    pub(crate) fn rate_bp(&self) -> u64 {
        let all = self.successful + self.failed;
        self.failed
            .saturating_mul(10_000)
            .checked_div(all)
            .unwrap_or(0)
    }

    /// The failing result types, MX hosts and sender, as `type:…`, `mx:…`, `sender:…`.
    pub(crate) fn failing_keys(&self) -> Vec<String> {
        let mut keys = std::collections::BTreeSet::new();
        for ((_, _, result, mx), sessions) in &self.failures {
            if *sessions == 0 {
                continue;
            }
            keys.insert(format!("type:{result}"));
            if !mx.is_empty() {
                keys.insert(format!("mx:{mx}"));
            }
            keys.insert(format!("sender:{}", self.sender));
        }
        keys.into_iter().collect()
    }
}

fn norm(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `policy_domain` is the subscription's `domain` or under it.
fn ours(policy_domain: &str, domain: &str) -> bool {
    policy_domain == domain || policy_domain.ends_with(&format!(".{domain}"))
}

/// Summarises `report` for `domain`; the key is its `report-id` or the digest of `json`.
pub(crate) fn aggregate(report: &TlsReport, domain: &str, json: &[u8], received: i64) -> Agg {
    let domain = norm(domain);
    let key = report
        .report_id
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map_or_else(
            || format!("sha256:{}", crate::transport::hex(&Sha256::digest(json))),
            |k| k.chars().take(256).collect(),
        );
    let begin = report.date_begin.unwrap_or(received);
    let mut a = Agg {
        key,
        sender: report
            .organization
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .unwrap_or("(unknown)")
            .chars()
            .take(200)
            .collect(),
        day: mtasts::civil::date(u64::try_from(begin).unwrap_or(0)),
        date_begin: report.date_begin,
        date_end: report.date_end,
        notes: report.notes.clone(),
        ..Agg::default()
    };
    for p in &report.policies {
        let pd = p
            .policy_domain
            .as_deref()
            .map_or_else(|| domain.clone(), norm);
        if !ours(&pd, &domain) {
            a.foreign.push(pd);
            continue;
        }
        let (ok, failed) = (p.successful.unwrap_or(0), p.failed.unwrap_or(0));
        a.unreadable += u64::from(p.successful.is_none()) + u64::from(p.failed.is_none());
        a.successful += ok;
        a.failed += failed;
        let e = a
            .policies
            .entry((p.policy_type.clone(), pd.clone()))
            .or_default();
        e.0 += ok;
        e.1 += failed;
        let mut detailed = 0u64;
        for d in &p.failure_details {
            let sessions = d.failed.unwrap_or(0);
            a.unreadable += u64::from(d.failed.is_none());
            detailed += sessions;
            let mx = d
                .receiving_mx_hostname
                .as_deref()
                .map(norm)
                .or_else(|| d.receiving_ip.clone())
                .unwrap_or_default();
            a.add_failure(
                (p.policy_type.clone(), pd.clone(), d.result_type.clone(), mx),
                sessions,
            );
        }
        if failed > detailed {
            // Failures the sender counted but did not detail.
            let mx = p.mx_host.first().map(|m| norm(m)).unwrap_or_default();
            a.add_failure(
                (p.policy_type.clone(), pd.clone(), "unspecified".into(), mx),
                failed - detailed,
            );
        }
    }
    a
}

impl Agg {
    fn add_failure(&mut self, key: FailKey, sessions: u64) {
        let key = if self.failures.len() >= MAX_ROWS && !self.failures.contains_key(&key) {
            (key.0, key.1, "(others)".into(), "(others)".into())
        } else {
            key
        };
        *self.failures.entry(key).or_default() += sessions;
    }
}

/// What storing a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stored {
    New,
    Duplicate,
}

/// How a report arrived, and its raw bytes.
pub(crate) struct Raw<'a> {
    pub(crate) via: &'a str,
    pub(crate) kind: Kind,
    pub(crate) bytes: &'a [u8],
}

#[derive(Deserialize)]
struct One {
    #[allow(dead_code)]
    one: i64,
}

/// Makes sure the subscription's state row exists.
pub(crate) async fn ensure_state(db: &D1Database, sub: &str) -> Result<()> {
    exec(
        db,
        "INSERT OR IGNORE INTO tlsrpt_state (subscription) VALUES (?1)",
        &[s(sub)],
    )
    .await?;
    Ok(())
}

/// Counts a refused body of an active subscription (`refused`) or a duplicate (`duplicates`).
pub(crate) async fn count(db: &D1Database, sub: &str, column: &str) -> Result<()> {
    ensure_state(db, sub).await?;
    let sql = match column {
        "duplicates" => {
            "UPDATE tlsrpt_state SET duplicates = duplicates + 1 WHERE subscription = ?1"
        }
        _ => "UPDATE tlsrpt_state SET refused = refused + 1 WHERE subscription = ?1",
    };
    exec(db, sql, &[s(sub)]).await?;
    Ok(())
}

/// Stores the report and its summary rows once.
pub(crate) async fn store(db: &D1Database, sub: &str, a: &Agg, raw: &Raw<'_>) -> Result<Stored> {
    let seen: Option<One> = first(
        db,
        "SELECT 1 AS one FROM tlsrpt_reports WHERE subscription = ?1 AND report_key = ?2",
        &[s(sub), s(&a.key)],
    )
    .await?;
    if seen.is_some() {
        count(db, sub, "duplicates").await?;
        return Ok(Stored::Duplicate);
    }
    let batch = statements(db, sub, a, raw)?;
    match db.batch(batch).await {
        Ok(results) => {
            if let Some(e) = results.iter().find_map(worker::D1Result::error) {
                return Err(worker::Error::RustError(e));
            }
            Ok(Stored::New)
        }
        // Another copy stored between the read and the batch: the batch rolled back.
        Err(e) if e.to_string().contains("UNIQUE") => {
            count(db, sub, "duplicates").await?;
            Ok(Stored::Duplicate)
        }
        Err(e) => Err(e),
    }
}

fn u(v: u64) -> worker::wasm_bindgen::JsValue {
    n(i64::try_from(v).unwrap_or(i64::MAX))
}

/// The batch: the report row first (its primary key makes a racing copy roll everything back),
/// the summary upserts, and the pruning of what is past retention.
fn statements(
    db: &D1Database,
    sub: &str,
    a: &Agg,
    raw: &Raw<'_>,
) -> Result<Vec<D1PreparedStatement>> {
    use base64::Engine as _;
    let t = now();
    let kept = (raw.bytes.len() <= RAW_KEEP)
        .then(|| base64::engine::general_purpose::STANDARD.encode(raw.bytes));
    let kind = match raw.kind {
        Kind::Gzip => "gzip",
        Kind::Json => "json",
    };
    let opt = |v: Option<i64>| v.map_or(worker::wasm_bindgen::JsValue::NULL, n);
    let mut batch = vec![db
        .prepare("INSERT INTO tlsrpt_reports (subscription, report_key, organization, date_begin, date_end, day, received_at, via, successful, failed, unreadable, notes, raw_kind, raw, raw_size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")
        .bind(&[s(sub), s(&a.key), s(&a.sender), opt(a.date_begin), opt(a.date_end), s(&a.day), n(t), s(raw.via), u(a.successful), u(a.failed), u(a.unreadable), s(&serde_json::to_string(&a.notes)?), s(kind), kept.as_deref().map_or(worker::wasm_bindgen::JsValue::NULL, s), u(raw.bytes.len() as u64)])?];
    for ((ptype, pdomain), (ok, failed)) in &a.policies {
        batch.push(db.prepare("INSERT INTO tlsrpt_daily (subscription, day, policy_type, policy_domain, sender, reports, successful, failed) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7) ON CONFLICT (subscription, day, policy_type, policy_domain, sender) DO UPDATE SET reports = reports + 1, successful = successful + excluded.successful, failed = failed + excluded.failed")
            .bind(&[s(sub), s(&a.day), s(ptype), s(pdomain), s(&a.sender), u(*ok), u(*failed)])?);
    }
    for ((ptype, pdomain, result, mx), sessions) in &a.failures {
        batch.push(db.prepare("INSERT INTO tlsrpt_failures (subscription, day, policy_type, policy_domain, result_type, mx, sender, sessions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (subscription, day, policy_type, policy_domain, result_type, mx, sender) DO UPDATE SET sessions = sessions + excluded.sessions")
            .bind(&[s(sub), s(&a.day), s(ptype), s(pdomain), s(result), s(mx), s(&a.sender), u(*sessions)])?);
    }
    batch.push(
        db.prepare("INSERT OR IGNORE INTO tlsrpt_state (subscription) VALUES (?1)")
            .bind(&[s(sub)])?,
    );
    batch.push(db.prepare("UPDATE tlsrpt_reports SET raw = NULL WHERE subscription = ?1 AND raw IS NOT NULL AND received_at < ?2")
        .bind(&[s(sub), n(t - RAW_DAYS * 86_400)])?);
    let cutoff = mtasts::civil::date(u64::try_from(t - SUMMARY_DAYS * 86_400).unwrap_or(0));
    for table in ["tlsrpt_daily", "tlsrpt_failures"] {
        batch.push(
            db.prepare(format!(
                "DELETE FROM {table} WHERE subscription = ?1 AND day < ?2"
            ))
            .bind(&[s(sub), s(&cutoff)])?,
        );
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../tests/fixtures/tlsrpt/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
    }

    #[test]
    fn the_bomb_stops_at_the_cap_and_garbage_is_refused() {
        let e = decode(&fixture("bomb.json.gz")).expect_err("a bomb");
        assert_eq!((e.status, e.code), (413, "too-large"));
        let e = decode(b"\x1f\x8b\x08\x00garbage").expect_err("corrupt gzip");
        assert_eq!(e.status, 400);
        assert_eq!(decode(b"hello").expect_err("text").status, 400);
        let (json, kind) = decode(&fixture("rfc8460-example.json.gz")).expect("gzip");
        assert_eq!(kind, Kind::Gzip);
        assert_eq!(json, fixture("rfc8460-example.json"));
        let e = read("x", Kind::Json, b"{\"a\": 1", None).expect_err("truncated");
        assert_eq!(e.status, 422);
    }

    #[test]
    fn the_rfc_example_is_summarised_for_its_domain_only() {
        let json = fixture("rfc8460-example.json");
        let r = read("x", Kind::Json, &json, None).expect("read");
        let a = aggregate(&r[0], "company-y.example", &json, 0);
        assert_eq!(a.key, "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        assert_eq!(a.sender, "Company-X");
        assert_eq!(a.day, "2016-04-01");
        assert_eq!((a.successful, a.failed, a.unreadable), (5326, 303, 0));
        assert_eq!(a.rate_bp(), 303 * 10_000 / 5629);
        assert_eq!(a.failures.len(), 3);
        assert_eq!(
            a.failures[&(
                "sts".into(),
                "company-y.example".into(),
                "starttls-not-supported".into(),
                "mx2.mail.company-y.example".into()
            )],
            200
        );
        assert!(a
            .failing_keys()
            .contains(&"mx:mx-backup.mail.company-y.example".to_owned()));
        let other = aggregate(&r[0], "example.org", &json, 0);
        assert_eq!(other.foreign, ["company-y.example"]);
        assert_eq!(other.successful + other.failed, 0);
        // No report-id: the digest of the JSON is the key.
        let mut anon = r[0].clone();
        anon.report_id = None;
        let k = aggregate(&anon, "company-y.example", &json, 0).key;
        assert!(k.starts_with("sha256:") && k.len() == 7 + 64, "{k}");
    }
}
