//! Alerts only when it breaks: after each stored report, a report is *bad* when its failure
//! rate is above the subscription's threshold or it shows a failing result type, MX host or
//! sender never seen failing before. A bad report with no incident open opens one and sends one
//! signed alert (through the monitor's alert queue and delivery: Standard Webhooks, retries,
//! dead letters); while it is open nothing more is sent; it is resolved — one "resolved"
//! message — when every sender that reported it bad has since sent a report that is not. A
//! week-long failure is one alert and one resolved message, and senders reporting on different
//! days do not make it flap.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use worker::{D1Database, Env, Result};

use super::ingest::Agg;
use crate::monitor::{exec, first, n, now, s, Sub};

/// Failing keys remembered per subscription at most.
const MAX_KNOWN: usize = 500;

/// The alerting state of a subscription (`tlsrpt_state.alert`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AlertState {
    /// `type:…`, `mx:…`, `sender:…` seen failing so far.
    #[serde(default)]
    pub(crate) known: Vec<String>,
    /// Incidents opened so far (the delivery ids count them).
    #[serde(default)]
    pub(crate) episode: i64,
    #[serde(default)]
    pub(crate) open: Option<Incident>,
}

/// An open incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Incident {
    /// When it was opened (Unix time), and the day of the report that opened it.
    pub(crate) since: i64,
    pub(crate) first_day: String,
    /// Each sender that reported it bad: still bad (`true`) or reported good since (`false`).
    pub(crate) senders: BTreeMap<String, bool>,
    /// The new failing keys seen during it.
    pub(crate) new: Vec<String>,
    /// The worst failure rate seen, basis points.
    pub(crate) worst_bp: u64,
}

/// What a report does to the alerting state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    Nothing,
    /// Send the alert; the new failing keys.
    Open(Vec<String>),
    /// Send the resolved message.
    Resolve(Incident),
}

/// The state after report `a`, under a threshold of `threshold_bp`.
pub(crate) fn step(st: &mut AlertState, a: &Agg, threshold_bp: u64, t: i64) -> Action {
    let new: Vec<String> = a
        .failing_keys()
        .into_iter()
        .filter(|k| !st.known.contains(k))
        .collect();
    for k in &new {
        if st.known.len() < MAX_KNOWN {
            st.known.push(k.clone());
        }
    }
    let bad = a.rate_bp() > threshold_bp || !new.is_empty();
    match &mut st.open {
        Some(inc) => {
            if bad {
                inc.senders.insert(a.sender.clone(), true);
                inc.new.extend(new);
                inc.worst_bp = inc.worst_bp.max(a.rate_bp());
                return Action::Nothing;
            }
            if let Some(v) = inc.senders.get_mut(&a.sender) {
                *v = false;
            }
            if inc.senders.values().any(|v| *v) {
                return Action::Nothing;
            }
            let inc = st.open.take().unwrap_or_default();
            Action::Resolve(inc)
        }
        None if bad => {
            st.episode += 1;
            st.open = Some(Incident {
                since: t,
                first_day: a.day.clone(),
                senders: BTreeMap::from([(a.sender.clone(), true)]),
                new: new.clone(),
                worst_bp: a.rate_bp(),
            });
            Action::Open(new)
        }
        None => Action::Nothing,
    }
}

/// `bp` basis points as a percentage with two decimals.
pub(crate) fn percent(bp: u64) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// The alert's or resolved message's JSON (Standard Webhooks' `type`, `timestamp`, `data`; the
/// `data` fields the monitor's Slack and Discord formats read are there too).
fn body(origin: &str, secret: &str, sub: &Sub, a: &Agg, action: &Action) -> serde_json::Value {
    let (kind, outcome, verdict, severity, message) = match action {
        Action::Resolve(inc) => (
            "mtasts.tlsrpt.resolved",
            "tlsrpt-resolved",
            "pass",
            "info",
            format!(
                "TLS reports for {} are clean again: the failures reported since {} (worst {} %) stopped ({} reported {} of {} sessions failed)",
                sub.domain, inc.first_day, percent(inc.worst_bp), a.sender, a.failed, a.successful + a.failed
            ),
        ),
        _ => {
            let mut top: Vec<_> = a.failures.iter().collect();
            top.sort_by(|x, y| y.1.cmp(x.1));
            let what = top
                .iter()
                .take(3)
                .map(|((_, _, r, mx), k)| format!("{r} at {} ({k})", if mx.is_empty() { "?" } else { mx }))
                .collect::<Vec<_>>()
                .join(", ");
            (
                "mtasts.tlsrpt.failing",
                "tlsrpt-failing",
                "fail",
                "error",
                format!(
                    "{} reports {} of {} sessions to {} failed on {} ({} %): {what}",
                    a.sender, a.failed, a.successful + a.failed, sub.domain, a.day, percent(a.rate_bp())
                ),
            )
        }
    };
    let new = match action {
        Action::Open(new) => new.clone(),
        Action::Resolve(inc) => inc.new.clone(),
        Action::Nothing => vec![],
    };
    json!({
        "type": kind,
        "timestamp": mtasts::civil::rfc3339(now()),
        "data": {
            "subscription": sub.id,
            "domain": sub.domain,
            "outcome": outcome,
            "verdict": verdict,
            "summary": message,
            "findings": [{"code": outcome, "severity": severity, "message": message, "fix": if verdict == "fail" { Some("Read the failing MX hosts' TLS set-up (certificate names and chain, STARTTLS) in the report; the monitor's TLS-RPT summary lists each failure by type, MX and sender.") } else { None }}],
            "report": {"report_id": a.key, "organization": a.sender, "day": a.day, "successful": a.successful, "failed": a.failed, "failure_rate": percent(a.rate_bp())},
            "new_failing": new,
            "report_url": format!("{origin}/monitor?id={}", sub.id),
            "unsubscribe_url": crate::monitor::api::unsubscribe_url(origin, secret, &sub.id),
        }
    })
}

#[derive(Deserialize)]
struct StateRow {
    threshold_bp: i64,
    alert: String,
}

/// After report `a` was stored for `sub`: steps the alerting state, and queues the alert or the
/// resolved message if one is due. The delivery id is the incident's (`tlsrpt-<sub>-<n>-open`
/// or `-resolved`): inserted at most once, so a repeated step sends nothing twice.
pub(crate) async fn after_report(
    env: &Env,
    db: &D1Database,
    secret: &str,
    origin: &str,
    sub: &Sub,
    a: &Agg,
) -> Result<()> {
    let row: Option<StateRow> = first(
        db,
        "SELECT threshold_bp, alert FROM tlsrpt_state WHERE subscription = ?1",
        &[s(&sub.id)],
    )
    .await?;
    let (threshold, mut st) = row.map_or((100, AlertState::default()), |r| {
        (
            u64::try_from(r.threshold_bp).unwrap_or(100),
            serde_json::from_str(&r.alert).unwrap_or_default(),
        )
    });
    let before = st.clone();
    let t = now();
    let action = step(&mut st, a, threshold, t);
    if st == before {
        return Ok(());
    }
    let mut batch = vec![db
        .prepare("UPDATE tlsrpt_state SET alert = ?2 WHERE subscription = ?1")
        .bind(&[s(&sub.id), s(&serde_json::to_string(&st)?)])?];
    let id = match &action {
        Action::Open(_) => Some(format!("tlsrpt-{}-{}-open", sub.id, st.episode)),
        Action::Resolve(_) => Some(format!("tlsrpt-{}-{}-resolved", sub.id, st.episode)),
        Action::Nothing => None,
    };
    if let Some(id) = &id {
        let b = body(origin, secret, sub, a, &action);
        batch.push(db.prepare("INSERT OR IGNORE INTO deliveries (id, subscription, domain, run, body, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'new', ?6)")
            .bind(&[s(id), s(&sub.id), s(&sub.domain), n(t * 1000), s(&b.to_string()), n(t)])?);
    }
    let results = db.batch(batch).await?;
    if let Some(e) = results.iter().find_map(worker::D1Result::error) {
        return Err(worker::Error::RustError(e));
    }
    if let Some(id) = id {
        env.queue(crate::monitor::ALERTS)?
            .send(crate::monitor::alert::AlertMsg {
                delivery: id.clone(),
            })
            .await?;
        exec(
            db,
            "UPDATE deliveries SET state = 'queued' WHERE id = ?1 AND state = 'new'",
            &[s(&id)],
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(sender: &str, day: &str, ok: u64, failures: &[(&str, &str, u64)]) -> Agg {
        let mut a = Agg {
            key: format!("{sender}-{day}"),
            sender: sender.into(),
            day: day.into(),
            successful: ok,
            ..Agg::default()
        };
        for (r, mx, k) in failures {
            a.failed += k;
            a.failures.insert(
                ("sts".into(), "a.test".into(), (*r).into(), (*mx).into()),
                *k,
            );
        }
        a
    }

    #[test]
    fn a_week_of_failure_is_one_alert_and_one_resolved() {
        let mut st = AlertState::default();
        assert_eq!(
            step(&mut st, &report("G", "d0", 100, &[]), 100, 0),
            Action::Nothing
        );
        let bad = [("certificate-host-mismatch", "mx2.a.test", 40)];
        let Action::Open(new) = step(&mut st, &report("G", "d1", 60, &bad), 100, 1) else {
            panic!("an alert")
        };
        assert_eq!(
            new,
            [
                "mx:mx2.a.test",
                "sender:G",
                "type:certificate-host-mismatch"
            ]
        );
        for d in 2..8 {
            assert_eq!(
                step(&mut st, &report("G", &format!("d{d}"), 60, &bad), 100, d),
                Action::Nothing,
                "day {d}"
            );
        }
        // Another sender fails too: still one incident, now waiting for both.
        assert_eq!(
            step(&mut st, &report("M", "d7", 60, &bad), 100, 8),
            Action::Nothing
        );
        assert_eq!(
            step(&mut st, &report("G", "d8", 100, &[]), 100, 9),
            Action::Nothing
        );
        let Action::Resolve(inc) = step(&mut st, &report("M", "d8", 100, &[]), 100, 10) else {
            panic!("resolved")
        };
        assert_eq!(inc.first_day, "d1");
        assert_eq!(inc.worst_bp, 4000);
        assert!(st.open.is_none());
        // The same failure below the threshold later: known, so no alert; above it: a new one.
        let small = [("certificate-host-mismatch", "mx2.a.test", 1)];
        assert_eq!(
            step(&mut st, &report("G", "d9", 999, &small), 100, 11),
            Action::Nothing
        );
        assert!(matches!(
            step(&mut st, &report("G", "d10", 60, &bad), 100, 12),
            Action::Open(n) if n.is_empty()
        ));
        assert_eq!(st.episode, 2);
    }

    #[test]
    fn a_new_failing_mx_alerts_even_below_the_threshold() {
        let mut st = AlertState::default();
        let tiny = [("starttls-not-supported", "mx9.a.test", 1)];
        assert!(matches!(
            step(&mut st, &report("G", "d1", 100_000, &tiny), 100, 0),
            Action::Open(_)
        ));
        assert_eq!(percent(1), "0.01");
        assert_eq!(percent(12_345), "123.45");
    }
}
