//! The run: a Cron Trigger queues one page message; each page message queues up to
//! [`PAGE`] check messages (`send_batch`) and the next page, so no invocation grows with the
//! number of subscribed domains. The check consumer re-reads the DNS tokens, runs exactly
//! `/api/report`'s gather + assess, compares with the domain's baseline (`mtasts::compare`),
//! and stores the run, the new baseline and the alerts in one D1 batch (a transaction).
//!
//! Idempotent under at-least-once delivery: a run is keyed by domain and the cron's scheduled
//! time, so a redelivered message finds its row and only re-queues alerts not yet queued; an
//! alert is keyed by subscription and run, and its consumer claims it before sending.
//!
//! A check that fails on every attempt reaches the dead-letter queue, whose consumer (this
//! module's too) stores the run as could not check: never compared, the baseline kept.

use mtasts::api::{ApiError, Checked};
use mtasts::report::Verdict;
use mtasts::{Evidence, Finding, Severity};
use serde::{Deserialize, Serialize};
use serde_json::json;
use worker::{D1Database, Env, MessageBatch, MessageExt, Result};

use super::{db, exec, first, n, now, rows, s, send, send_all, stats, Sub, SUB_COLUMNS};
use crate::config::Config;
use crate::transport::WorkerTransport;

/// Domains per page message: `send_batch` takes at most 100 messages a call.
pub(crate) const PAGE: usize = 100;

/// A message of the check queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum CheckMsg {
    /// Queue the next [`PAGE`] domains after `after` whose subscriptions are in `states`.
    Page {
        run: i64,
        after: String,
        verify: bool,
    },
    /// Check `domain` for run `run`.
    Run { domain: String, run: i64 },
    /// Re-read the pending tokens of `domain`.
    Verify { domain: String },
    /// Delete what is older than the retention, a bounded batch at a time ([`super::prune`]).
    Prune {},
    /// Tests only (`MONITOR_TEST_ROUTES=1`): a check of `domain` for run `run` that fails on
    /// every attempt, so its message is dead-lettered as a failing check's would be.
    TestFail { domain: String, run: i64 },
}

/// The scheduled event: one page message for the whole run, and after a run (not the
/// re-reading of pending tokens) one prune message.
pub(crate) async fn scheduled(cron: &str, scheduled_ms: i64, env: &Env) -> Result<()> {
    let config = Config::from_env(env);
    let verify = cron == config.verify_cron;
    let msg = CheckMsg::Page {
        run: scheduled_ms,
        after: String::new(),
        verify,
    };
    if verify {
        return send(env, super::CHECKS, msg).await;
    }
    send_all(env, super::CHECKS, vec![msg, CheckMsg::Prune {}]).await
}

/// The check queue's consumer (and, for [`super::CHECKS_DLQ`], its dead-letter queue's): every
/// message acknowledged or retried, never an `Err` (which would trap the isolate, TOOLCHAIN.md).
pub(crate) async fn consume(batch: MessageBatch<serde_json::Value>, env: &Env) -> Result<()> {
    let config = super::run_config(env);
    let Some(secret) = config.monitor_secret.clone() else {
        batch.ack_all();
        return Ok(());
    };
    let db = db(env)?;
    let messages = batch.messages()?;
    if batch.queue() == super::CHECKS_DLQ {
        return dead_letters(&db, &messages).await;
    }
    let work = messages.iter().map(|m| {
        let (db, config, secret) = (&db, &config, &secret);
        async move {
            let Ok(msg) = serde_json::from_value::<CheckMsg>(m.body().clone()) else {
                // Not a message of this version: dropped, never retried forever.
                worker::console_error!("monitor: unreadable check message {}", m.body());
                m.ack();
                return;
            };
            let r = match &msg {
                CheckMsg::Page { run, after, verify } => page(env, db, *run, after, *verify).await,
                CheckMsg::Run { domain, run } => check(env, db, config, secret, domain, *run).await,
                CheckMsg::Verify { domain } => verify_pending(db, config, domain).await,
                CheckMsg::Prune {} => super::prune::prune(env, db, config).await,
                CheckMsg::TestFail { domain, .. } if config.monitor_test_routes => Err(
                    worker::Error::RustError(format!("a test check of {domain} that fails")),
                ),
                CheckMsg::TestFail { .. } => Ok(()),
            };
            match r {
                Ok(()) => m.ack(),
                Err(e) => {
                    worker::console_error!("monitor: {msg:?} failed: {e}");
                    m.retry();
                }
            }
        }
    });
    stats::counted(messages.len(), futures::future::join_all(work)).await;
    Ok(())
}

/// The dead-letter queue: a check message whose every attempt failed. A run's domain gets its
/// run stored as could not check (never compared; the baseline and its alerts untouched), once:
/// a row the check stored meanwhile, or a second dead letter, is left as it is. A page message
/// cannot be redone here (its domains are missed this run, and logged); the others wait for the
/// next cron.
async fn dead_letters(
    db: &D1Database,
    messages: &[worker::Message<serde_json::Value>],
) -> Result<()> {
    for m in messages {
        let msg = serde_json::from_value::<CheckMsg>(m.body().clone());
        let r = match &msg {
            Ok(CheckMsg::Run { domain, run } | CheckMsg::TestFail { domain, run }) => {
                store_dead_run(db, domain, *run).await
            }
            Ok(CheckMsg::Page { after, run, .. }) => {
                worker::console_error!("monitor: the page after {after:?} of run {run} failed on every attempt; its domains are not checked this run");
                Ok(())
            }
            Ok(CheckMsg::Verify { .. } | CheckMsg::Prune {}) | Err(_) => Ok(()),
        };
        match r {
            Ok(()) => m.ack(),
            Err(e) => {
                worker::console_error!("monitor: dead letter {}: {e}", m.body());
                m.retry();
            }
        }
    }
    Ok(())
}

/// What a dead-lettered run stores as its finding.
const DEAD_FINDING: &str = "the check failed on every attempt (its queue message was dead-lettered): nothing was compared and the last baseline is kept";

async fn store_dead_run(db: &D1Database, domain: &str, run: i64) -> Result<()> {
    let findings = json!([{"code": "could-not-check", "severity": "info", "message": DEAD_FINDING, "fix": null}]);
    exec(
        db,
        "INSERT INTO runs (domain, run, observed_at, digest, verdict, outcome, codes, findings) VALUES (?1, ?2, ?3, '', ?4, 'could-not-check', '[]', ?5) ON CONFLICT (domain, run) DO NOTHING",
        &[s(domain), n(run), n(now()), s(Verdict::Inconclusive.as_str()), s(&findings.to_string())],
    )
    .await?;
    Ok(())
}

#[derive(Deserialize)]
struct DomainRow {
    domain: String,
}

/// One page of the run: up to [`PAGE`] check messages, and the next page if there may be one.
async fn page(env: &Env, db: &D1Database, run: i64, after: &str, verify: bool) -> Result<()> {
    let states = if verify {
        "('pending')"
    } else {
        "('active', 'paused')"
    };
    let sql = format!("SELECT DISTINCT domain FROM subscriptions WHERE state IN {states} AND domain > ?1 ORDER BY domain LIMIT ?2");
    let found: Vec<DomainRow> = rows(db, &sql, &[s(after), n(PAGE as i64)]).await?;
    let msgs: Vec<CheckMsg> = found
        .iter()
        .map(|d| {
            if verify {
                CheckMsg::Verify {
                    domain: d.domain.clone(),
                }
            } else {
                CheckMsg::Run {
                    domain: d.domain.clone(),
                    run,
                }
            }
        })
        .collect();
    if !msgs.is_empty() {
        send_all(env, super::CHECKS, msgs).await?;
    }
    if let (true, Some(last)) = (found.len() == PAGE, found.last()) {
        let next = CheckMsg::Page {
            run,
            after: last.domain.clone(),
            verify,
        };
        send(env, super::CHECKS, next).await?;
    }
    Ok(())
}

/// Re-reads the token of each of `subs` (all of one domain) and stores what changed: seen →
/// active (verified the first time), gone → paused (a pending one stays pending). A failed
/// lookup changes nothing. Answers each subscription's state now.
pub(crate) async fn reconcile(
    db: &D1Database,
    config: &Config,
    domain: &str,
    subs: &[Sub],
) -> Result<Vec<(Sub, String)>> {
    let Some(secret) = config.monitor_secret.as_deref() else {
        return Ok(vec![]);
    };
    let Some(texts) = super::published_tokens(config, domain).await else {
        return Ok(subs.iter().map(|s| (s.clone(), s.state.clone())).collect());
    };
    let mut out = Vec::with_capacity(subs.len());
    for sub in subs {
        let seen = super::token_seen(secret, &sub.id, domain, &texts);
        let state = match (seen, sub.state.as_str()) {
            (true, _) => "active",
            (false, "pending") => "pending",
            (false, _) => "paused",
        };
        if state != sub.state {
            exec(db, "UPDATE subscriptions SET state = ?2, verified_at = COALESCE(verified_at, CASE WHEN ?2 = 'active' THEN ?3 END) WHERE id = ?1 AND state != 'unsubscribed'", &[s(&sub.id), s(state), n(now())]).await?;
        }
        out.push((sub.clone(), state.to_owned()));
    }
    Ok(out)
}

async fn subs_of(db: &D1Database, domain: &str, states: &str) -> Result<Vec<Sub>> {
    rows(
        db,
        &format!("SELECT {SUB_COLUMNS} FROM subscriptions WHERE domain = ?1 AND state IN {states}"),
        &[s(domain)],
    )
    .await
}

async fn verify_pending(db: &D1Database, config: &Config, domain: &str) -> Result<()> {
    let subs = subs_of(db, domain, "('pending')").await?;
    if !subs.is_empty() {
        reconcile(db, config, domain, &subs).await?;
    }
    Ok(())
}

#[derive(Deserialize)]
pub(crate) struct Baseline {
    pub(crate) evidence: String,
    pub(crate) mode: String,
}

/// Checks `domain` for run `run` (see the module's description).
async fn check(
    env: &Env,
    db: &D1Database,
    config: &Config,
    secret: &str,
    domain: &str,
    run: i64,
) -> Result<()> {
    let subs = subs_of(db, domain, "('active', 'paused')").await?;
    let active: Vec<Sub> = reconcile(db, config, domain, &subs)
        .await?
        .into_iter()
        .filter(|(_, st)| st == "active")
        .map(|(sub, _)| sub)
        .collect();
    if active.is_empty() {
        return Ok(());
    }
    #[derive(Deserialize)]
    struct Seen {
        #[allow(dead_code)]
        run: i64,
    }
    let done: Option<Seen> = first(
        db,
        "SELECT run FROM runs WHERE domain = ?1 AND run = ?2",
        &[s(domain), n(run)],
    )
    .await?;
    if done.is_none() {
        // The same gather + assess as `/api/report` (handlers::gather_domain, without the cache).
        let transport = WorkerTransport::new(config.clone());
        let checked = Checked::assess(mtasts::gather(&transport, domain).await);
        let base: Option<Baseline> = first(
            db,
            "SELECT evidence, mode FROM baselines WHERE domain = ?1",
            &[s(domain)],
        )
        .await?;
        let outcome = judge_run(&checked, base.as_ref());
        let stored = store_run(db, config, secret, &active, run, &checked, &outcome).await;
        if let Err(e) = stored {
            // A second delivery of the same message may have stored the run meanwhile.
            let again: Option<Seen> = first(
                db,
                "SELECT run FROM runs WHERE domain = ?1 AND run = ?2",
                &[s(domain), n(run)],
            )
            .await?;
            if again.is_none() {
                return Err(e);
            }
        }
    }
    queue_new_alerts(env, db, domain, run).await
}

/// What a run found.
pub(crate) struct Outcome {
    /// `baseline`, `unchanged`, `changed` or `could-not-check`.
    pub(crate) kind: &'static str,
    /// The change findings (none for a baseline or could not check).
    pub(crate) changes: Vec<Finding>,
    /// Findings that alert even without a change: an expiring certificate, a policy-host failure
    /// under `enforce`.
    pub(crate) standing: Vec<Finding>,
    /// Whether the observation becomes the new baseline.
    pub(crate) keep: bool,
}

/// Codes of a failing policy host (they alert on every run while the policy was `enforce`).
const POLICY_HOST_FAILURES: &[&str] = &[
    "policy-unreachable",
    "policy-tls",
    "policy-http-status",
    "policy-redirect",
    "policy-host-dangling",
];

/// The policy's mode in a report, as stored (`''` without a policy).
pub(crate) fn mode_of(c: &Checked) -> String {
    c.report
        .policy
        .as_ref()
        .and_then(|p| serde_json::to_value(p.mode).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Judges a run against the baseline. "Could not check" (the verdict, or a resolver that
/// answered nothing) is stored as such and never compared.
pub(crate) fn judge_run(c: &Checked, base: Option<&Baseline>) -> Outcome {
    let ev = &c.evidence;
    let silent = ApiError::from_silent_resolver(&[&ev.sts_txt, &ev.mx, &ev.tlsrpt_txt]).is_some();
    if silent || c.report.verdict == Verdict::Inconclusive {
        return Outcome {
            kind: "could-not-check",
            changes: vec![],
            standing: vec![],
            keep: false,
        };
    }
    let enforce = base.map_or_else(|| mode_of(c), |b| b.mode.clone()) == "enforce";
    let standing = c
        .report
        .findings
        .iter()
        .filter(|f| {
            let code = f.code.as_str();
            code == "certificate-expiring" || (enforce && POLICY_HOST_FAILURES.contains(&code))
        })
        .cloned()
        .collect();
    let Some(old) = base.and_then(|b| serde_json::from_str::<Evidence>(&b.evidence).ok()) else {
        return Outcome {
            kind: "baseline",
            changes: vec![],
            standing,
            keep: true,
        };
    };
    let changes = mtasts::compare(&old, ev);
    Outcome {
        kind: if changes.changed() {
            "changed"
        } else {
            "unchanged"
        },
        changes: changes.findings,
        standing,
        keep: true,
    }
}

/// Severity rank: 0 error, 1 warning, 2 info.
fn rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// The findings that reach a subscriber of `threshold` (`error`, `warning`, `info`).
pub(crate) fn alerting<'a>(o: &'a Outcome, threshold: &str) -> Vec<&'a Finding> {
    let max = match threshold {
        "error" => 0,
        "info" => 2,
        _ => 1,
    };
    o.changes
        .iter()
        .filter(|f| f.code.as_str() != mtasts::compare::CHANGE_NOT_COMPARED.as_str())
        .chain(&o.standing)
        .filter(|f| rank(f.severity) <= max)
        .collect()
}

fn finding_json(f: &Finding) -> serde_json::Value {
    json!({"code": f.code.as_str(), "severity": f.severity.as_str(), "message": f.message, "fix": f.fix})
}

/// Stores the run, the new baseline and one alert per active subscriber it concerns, in one
/// batch (D1 runs a batch as one transaction: all or nothing).
async fn store_run(
    db: &D1Database,
    config: &Config,
    secret: &str,
    active: &[Sub],
    run: i64,
    c: &Checked,
    o: &Outcome,
) -> Result<()> {
    let domain = &c.report.domain;
    let t = now();
    let codes: Vec<&str> = c.report.findings.iter().map(|f| f.code.as_str()).collect();
    let shown: Vec<serde_json::Value> = o
        .changes
        .iter()
        .chain(&o.standing)
        .map(finding_json)
        .collect();
    let observed = i64::try_from(c.evidence.observed_at).unwrap_or(t);
    let mut batch = vec![db
        .prepare("INSERT INTO runs (domain, run, observed_at, digest, verdict, outcome, codes, findings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(&[s(domain), n(run), n(observed), s(&mtasts::monitor::state_digest(c)), s(c.report.verdict.as_str()), s(o.kind), s(&json!(codes).to_string()), s(&json!(shown).to_string())])?];
    if o.keep {
        let ev = serde_json::to_string(&c.evidence)?;
        batch.push(db.prepare("INSERT INTO baselines (domain, evidence, mode, observed_at, run) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (domain) DO UPDATE SET evidence = excluded.evidence, mode = excluded.mode, observed_at = excluded.observed_at, run = excluded.run")
            .bind(&[s(domain), s(&ev), s(&mode_of(c)), n(observed), n(run)])?);
    }
    for sub in active {
        let found = alerting(o, &sub.threshold);
        if found.is_empty() {
            continue;
        }
        let body = alert_body(config, secret, sub, run, c, o, &found);
        batch.push(db.prepare("INSERT INTO deliveries (id, subscription, domain, run, body, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'new', ?6)")
            .bind(&[s(&format!("{}-{run}", sub.id)), s(&sub.id), s(domain), n(run), s(&body.to_string()), n(t)])?);
    }
    super::batch(db, batch).await?;
    Ok(())
}

/// The alert's JSON (Standard Webhooks' `type`, `timestamp`, `data`).
fn alert_body(
    config: &Config,
    secret: &str,
    sub: &Sub,
    run: i64,
    c: &Checked,
    o: &Outcome,
    found: &[&Finding],
) -> serde_json::Value {
    let origin = &config.public_origin;
    let domain = &c.report.domain;
    json!({
        "type": "mtasts.monitor.alert",
        "timestamp": mtasts::civil::rfc3339(now()),
        "data": {
            "subscription": sub.id,
            "domain": domain,
            "run": run,
            "outcome": o.kind,
            "verdict": c.report.verdict.as_str(),
            "summary": c.report.summary,
            "findings": found.iter().map(|f| finding_json(f)).collect::<Vec<_>>(),
            "report_url": format!("{origin}/?domain={domain}"),
            "unsubscribe_url": super::api::unsubscribe_url(origin, secret, &sub.id),
        }
    })
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

/// Queues the alerts of `domain`'s run `run` not queued yet, then marks them queued (a crash in
/// between queues them again; the alert consumer's claim keeps that to one delivery).
async fn queue_new_alerts(env: &Env, db: &D1Database, domain: &str, run: i64) -> Result<()> {
    let new: Vec<IdRow> = rows(
        db,
        "SELECT id FROM deliveries WHERE domain = ?1 AND run = ?2 AND state = 'new'",
        &[s(domain), n(run)],
    )
    .await?;
    if new.is_empty() {
        return Ok(());
    }
    let msgs: Vec<super::alert::AlertMsg> = new
        .iter()
        .map(|r| super::alert::AlertMsg {
            delivery: r.id.clone(),
        })
        .collect();
    send_all(env, super::ALERTS, msgs).await?;
    exec(
        db,
        "UPDATE deliveries SET state = 'queued' WHERE domain = ?1 AND run = ?2 AND state = 'new'",
        &[s(domain), n(run)],
    )
    .await?;
    Ok(())
}
