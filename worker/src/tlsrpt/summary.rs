//! The stored summary of a subscription's reports, as `GET /api/monitor/:id/tlsrpt` answers it
//! (the README's "TLS-RPT summary" documents the shape: it is the contract of the `/monitor`
//! page). Every figure is a sum over the stored rows; nothing is estimated.

use serde::Deserialize;
use serde_json::{json, Value};
use worker::{D1Database, Result};

use super::alerts::{percent, AlertState};
use crate::monitor::{first, rows, s};

/// Rows listed per table at most.
const LIST: i64 = 100;

#[derive(Deserialize, Default)]
struct Totals {
    reports: i64,
    senders: i64,
    days: i64,
    successful: Option<i64>,
    failed: Option<i64>,
    first_day: Option<String>,
    last_day: Option<String>,
}

#[derive(Deserialize)]
struct State {
    threshold_bp: i64,
    duplicates: i64,
    refused: i64,
    alert: String,
}

fn rate(failed: i64, successful: i64) -> Option<String> {
    let all = u64::try_from(failed + successful).unwrap_or(0);
    let failed = u64::try_from(failed).unwrap_or(0);
    mtasts::reports::percent(failed, all)
}

/// Adds `failure_rate` to rows with `successful` and `failed`.
fn with_rate(mut rows: Vec<Value>) -> Vec<Value> {
    for r in &mut rows {
        let f = r["failed"].as_i64().unwrap_or(0);
        let o = r["successful"].as_i64().unwrap_or(0);
        r["failure_rate"] = json!(rate(f, o));
    }
    rows
}

/// The one-line reading of the figures the page leads with.
pub(crate) fn headline(t: &Value, top: Option<&Value>) -> String {
    let reports = t["reports"].as_i64().unwrap_or(0);
    if reports == 0 {
        return "no reports yet: publish the record; senders send one report a day".into();
    }
    let (days, senders, failed) = (
        t["days"].as_i64().unwrap_or(0),
        t["senders"].as_i64().unwrap_or(0),
        t["failed"].as_i64().unwrap_or(0),
    );
    let plural = |k: i64, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    let span = format!(
        "{} of reports from {}",
        plural(days, "day", "days"),
        plural(senders, "sender", "senders")
    );
    match top {
        None if failed == 0 => format!("{span}; 0 failures"),
        Some(f) => format!(
            "{span}; {} failed sessions ({} %), most: {} at {} for {} since {}",
            failed,
            t["failure_rate"].as_str().unwrap_or("?"),
            f["result_type"].as_str().unwrap_or("?"),
            f["mx"]
                .as_str()
                .filter(|m| !m.is_empty())
                .unwrap_or("an unnamed MX"),
            f["sender"].as_str().unwrap_or("?"),
            f["first_day"].as_str().unwrap_or("?"),
        ),
        None => format!("{span}; {failed} failed sessions"),
    }
}

/// The summary of subscription `sub`.
pub(crate) async fn of(db: &D1Database, sub: &str) -> Result<Value> {
    let a = [s(sub)];
    let totals: Totals = first(db, "SELECT COUNT(*) AS reports, COUNT(DISTINCT organization) AS senders, COUNT(DISTINCT day) AS days, SUM(successful) AS successful, SUM(failed) AS failed, MIN(day) AS first_day, MAX(day) AS last_day FROM tlsrpt_reports WHERE subscription = ?1", &a).await?.unwrap_or_default();
    let state: Option<State> = first(
        db,
        "SELECT threshold_bp, duplicates, refused, alert FROM tlsrpt_state WHERE subscription = ?1",
        &a,
    )
    .await?;
    let days: Vec<Value> = rows(db, &format!("SELECT day, SUM(reports) AS reports, SUM(successful) AS successful, SUM(failed) AS failed FROM tlsrpt_daily WHERE subscription = ?1 GROUP BY day ORDER BY day DESC LIMIT {}", 400), &a).await?;
    let policies: Vec<Value> = rows(db, &format!("SELECT policy_type, policy_domain, SUM(reports) AS reports, SUM(successful) AS successful, SUM(failed) AS failed FROM tlsrpt_daily WHERE subscription = ?1 GROUP BY policy_type, policy_domain ORDER BY failed DESC, policy_type LIMIT {LIST}"), &a).await?;
    let senders: Vec<Value> = rows(db, &format!("SELECT sender, SUM(reports) AS reports, SUM(successful) AS successful, SUM(failed) AS failed, MIN(day) AS first_day, MAX(day) AS last_day FROM tlsrpt_daily WHERE subscription = ?1 GROUP BY sender ORDER BY failed DESC, sender LIMIT {LIST}"), &a).await?;
    let failures: Vec<Value> = rows(db, &format!("SELECT result_type, mx, sender, policy_type, policy_domain, SUM(sessions) AS sessions, MIN(day) AS first_day, MAX(day) AS last_day FROM tlsrpt_failures WHERE subscription = ?1 GROUP BY result_type, mx, sender, policy_type, policy_domain ORDER BY sessions DESC, result_type, mx, sender LIMIT {LIST}"), &a).await?;
    let by_type: Vec<Value> = rows(db, &format!("SELECT result_type, SUM(sessions) AS sessions FROM tlsrpt_failures WHERE subscription = ?1 GROUP BY result_type ORDER BY sessions DESC, result_type LIMIT {LIST}"), &a).await?;
    let by_mx: Vec<Value> = rows(db, &format!("SELECT mx, SUM(sessions) AS sessions FROM tlsrpt_failures WHERE subscription = ?1 GROUP BY mx ORDER BY sessions DESC, mx LIMIT {LIST}"), &a).await?;
    let reports: Vec<Value> = rows(db, "SELECT report_key AS report_id, organization, date_begin, date_end, day, received_at, via, successful, failed, unreadable, notes, raw_size, raw IS NOT NULL AS raw_kept FROM tlsrpt_reports WHERE subscription = ?1 ORDER BY received_at DESC, day DESC LIMIT 50", &a).await?;
    let reports = reports
        .into_iter()
        .map(|mut r| {
            let notes = r["notes"].as_str().unwrap_or("[]").to_owned();
            r["notes"] = serde_json::from_str(&notes).unwrap_or(Value::Null);
            r["raw_kept"] = json!(r["raw_kept"].as_i64().unwrap_or(0) != 0);
            r
        })
        .collect::<Vec<_>>();
    let (ok, failed) = (totals.successful.unwrap_or(0), totals.failed.unwrap_or(0));
    let t = json!({
        "reports": totals.reports, "senders": totals.senders, "days": totals.days,
        "successful": ok, "failed": failed, "failure_rate": rate(failed, ok),
        "first_day": totals.first_day, "last_day": totals.last_day,
        "duplicates": state.as_ref().map_or(0, |s| s.duplicates),
        "refused": state.as_ref().map_or(0, |s| s.refused),
    });
    let alert: AlertState = state
        .as_ref()
        .and_then(|s| serde_json::from_str(&s.alert).ok())
        .unwrap_or_default();
    let threshold = state.as_ref().map_or(100, |s| s.threshold_bp);
    Ok(json!({
        "headline": headline(&t, failures.first()),
        "totals": t,
        "alerting": {
            "failure_rate_threshold": percent(u64::try_from(threshold).unwrap_or(100)),
            "open": alert.open.as_ref().map(|i| json!({"since": mtasts::civil::rfc3339(i.since), "first_day": i.first_day, "senders": i.senders.keys().collect::<Vec<_>>(), "worst_failure_rate": percent(i.worst_bp)})),
            "incidents": alert.episode,
            "known_failing": alert.known,
        },
        "days": with_rate(days),
        "policies": with_rate(policies),
        "senders": with_rate(senders),
        "failures": failures,
        "failures_by_type": by_type,
        "failures_by_mx": by_mx,
        "reports": reports,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines() {
        assert!(headline(&json!({"reports": 0}), None).starts_with("no reports yet"));
        assert_eq!(
            headline(
                &json!({"reports": 42, "days": 42, "senders": 7, "failed": 0}),
                None
            ),
            "42 days of reports from 7 senders; 0 failures"
        );
        let f = json!({"result_type": "certificate-host-mismatch", "mx": "mx2.a.test", "sender": "Google", "first_day": "2026-03-03"});
        assert_eq!(
            headline(&json!({"reports": 3, "days": 1, "senders": 1, "failed": 5, "failure_rate": "1.00"}), Some(&f)),
            "1 day of reports from 1 sender; 5 failed sessions (1.00 %), most: certificate-host-mismatch at mx2.a.test for Google since 2026-03-03"
        );
    }
}
