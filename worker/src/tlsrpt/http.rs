//! `POST /api/tlsrpt/:token` (RFC 8460 §3: the HTTPS destination), `GET /api/monitor/:id/tlsrpt`
//! (the destinations, the record to publish and the stored summary; management key as Bearer),
//! `POST /api/monitor/:id/tlsrpt` (`{"failure_rate_percent": …}`: the alert threshold), and
//! `POST /api/bench/tlsrpt` (bench only).

use futures::StreamExt as _;
use serde::Deserialize;
use serde_json::json;
use worker::{D1Database, Env, Request, Response, Result, RouteContext};

use super::ingest::{self, Agg, Raw, Refusal, Stored};
use crate::config::Config;
use crate::monitor::{db, exec, first, n, s, Sub, SUB_COLUMNS};
use crate::respond;

fn refuse(r: &Refusal) -> Result<Response> {
    respond::json(
        &json!({"error": {"code": r.code, "message": r.message}}),
        r.status,
    )
}

/// Reads at most `max` bytes of the body: `None` when it is longer.
async fn bounded_body(req: &mut Request, max: usize) -> Result<Option<Vec<u8>>> {
    let declared = req
        .headers()
        .get("Content-Length")?
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|l| l > max as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    let mut stream = req.stream()?;
    while let Some(chunk) = stream.next().await {
        body.extend_from_slice(&chunk?);
        if body.len() > max {
            return Ok(None);
        }
    }
    Ok(Some(body))
}

/// The active subscription `token` names, or the refusal (a bad token costs no D1 query).
pub(crate) async fn subscription(
    db: &D1Database,
    secret: &str,
    token: &str,
) -> Result<std::result::Result<Sub, Refusal>> {
    let unknown = || Refusal::new(404, "not-found", "no such TLS-RPT destination");
    let Some(id) = super::subscription_of(secret, token) else {
        return Ok(Err(unknown()));
    };
    let sub: Option<Sub> = first(
        db,
        &format!("SELECT {SUB_COLUMNS} FROM subscriptions WHERE id = ?1"),
        &[s(&id)],
    )
    .await?;
    Ok(match sub {
        Some(sub) if sub.state == "active" => Ok(sub),
        Some(sub) if sub.state != "unsubscribed" => Err(Refusal::new(
            404,
            "not-active",
            format!("this destination's subscription is {}: reports are accepted only while its DNS token is published and verified", sub.state),
        )),
        _ => Err(unknown()),
    })
}

/// Where a report goes: its subscription, and what the alerts need.
pub(crate) struct Target<'a> {
    pub(crate) env: &'a Env,
    pub(crate) db: &'a D1Database,
    pub(crate) secret: &'a str,
    pub(crate) origin: &'a str,
    pub(crate) sub: &'a Sub,
}

/// What became of each report of a body.
#[derive(Debug, Default)]
pub(crate) struct Ingested {
    pub(crate) stored: Vec<String>,
    pub(crate) duplicates: Vec<String>,
}

/// Reads report JSON and stores each report (the raw body with the first), then steps the
/// alerts for each new one. A body none of whose policies is for the subscription's domain is
/// refused (404, nothing stored).
pub(crate) async fn ingest_json(
    t: &Target<'_>,
    json: &[u8],
    raw: &Raw<'_>,
    hint: Option<String>,
) -> Result<std::result::Result<Ingested, Refusal>> {
    let reports = match ingest::read(raw.via, raw.kind, json, hint) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let received = crate::monitor::now();
    let aggs: Vec<Agg> = reports
        .iter()
        .map(|r| ingest::aggregate(r, &t.sub.domain, json, received))
        .collect();
    let foreign_only = |a: &Agg| a.policies.is_empty() && !a.foreign.is_empty();
    if aggs.is_empty() || aggs.iter().all(foreign_only) {
        let names = aggs
            .iter()
            .flat_map(|a| a.foreign.iter())
            .take(3)
            .cloned()
            .collect::<Vec<_>>();
        return Ok(Err(Refusal::new(
            404,
            "not-subscribed",
            format!(
                "this destination receives reports for {}, not for {}",
                t.sub.domain,
                names.join(", ")
            ),
        )));
    }
    let mut out = Ingested::default();
    for (i, a) in aggs.iter().enumerate().filter(|(_, a)| !foreign_only(a)) {
        let raw_i = Raw {
            via: raw.via,
            kind: raw.kind,
            bytes: if i == 0 { raw.bytes } else { &[] },
        };
        match ingest::store(t.db, &t.sub.id, a, &raw_i).await? {
            Stored::Duplicate => out.duplicates.push(a.key.clone()),
            Stored::New => {
                out.stored.push(a.key.clone());
                if let Err(e) =
                    super::alerts::after_report(t.env, t.db, t.secret, t.origin, t.sub, a).await
                {
                    worker::console_error!("tlsrpt: alerts of {}: {e}", t.sub.id);
                }
            }
        }
    }
    Ok(Ok(out))
}

/// `POST /api/tlsrpt/:token`: 201 when a report was stored, 200 when every report was stored
/// already, 404 for an unknown token, a subscription not active or a report for another
/// domain, 413 for a body over 1 MiB or a gzip inflating past 4 MiB, 400 or 422 for a body that
/// is no TLS report. Refusals of an active subscription's destination are counted.
pub(crate) async fn post(mut req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let Some(secret) = ctx.data.monitor_secret.clone() else {
        return refuse(&Refusal::new(
            503,
            "unavailable",
            "monitoring is not configured here",
        ));
    };
    let token = ctx.param("token").cloned().unwrap_or_default();
    let db = db(&ctx.env)?;
    let sub = match subscription(&db, &secret, &token).await? {
        Ok(sub) => sub,
        Err(r) => return refuse(&r),
    };
    let r = match bounded_body(&mut req, ingest::MAX_BODY).await? {
        None => Err(Refusal::new(
            413,
            "too-large",
            format!("the body is over {} MiB", ingest::MAX_BODY >> 20),
        )),
        Some(body) => match ingest::decode(&body) {
            Err(e) => Err(e),
            Ok((json, kind)) => {
                let t = Target {
                    env: &ctx.env,
                    db: &db,
                    secret: &secret,
                    origin: &ctx.data.public_origin,
                    sub: &sub,
                };
                let raw = Raw {
                    via: "https",
                    kind,
                    bytes: &body,
                };
                ingest_json(&t, &json, &raw, Some(sub.domain.clone())).await?
            }
        },
    };
    match r {
        Ok(done) => respond::json(
            &json!({"stored": done.stored, "duplicates": done.duplicates}),
            if done.stored.is_empty() { 200 } else { 201 },
        ),
        Err(e) => {
            ingest::count(&db, &sub.id, "refused").await?;
            refuse(&e)
        }
    }
}

/// `GET /api/monitor/:id/tlsrpt`: the destinations, the record and the summary.
pub(crate) async fn show(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let sub = match crate::monitor::api::authorised(&req, &ctx).await? {
        Ok(sub) => sub,
        Err(resp) => return Ok(resp),
    };
    let secret = ctx.data.monitor_secret.clone().unwrap_or_default();
    let mail = super::mail_domain(&ctx.env);
    let d = super::destinations(
        &secret,
        &sub.id,
        &sub.domain,
        &ctx.data.public_origin,
        mail.as_deref(),
    );
    let summary = super::summary::of(&db(&ctx.env)?, &sub.id).await?;
    respond::json(
        &json!({
            "subscription": sub.id,
            "domain": sub.domain,
            "state": sub.state,
            "accepting": sub.state == "active",
            "destinations": d.as_ref().map(|d| json!({"https": d.https, "mailto": d.mailto})),
            "record": d.as_ref().map(|d| json!({"name": d.record_name, "type": "TXT", "value": d.record_value})),
            "limits": {
                "body_bytes": ingest::MAX_BODY, "inflated_bytes": ingest::MAX_JSON,
                "mail_bytes": ingest::MAX_MAIL, "reports_per_body": ingest::MAX_REPORTS,
                "raw_kept_bytes": ingest::RAW_KEEP, "raw_days": ingest::RAW_DAYS,
                "summary_days": ingest::SUMMARY_DAYS,
            },
            "summary": summary,
        }),
        200,
    )
}

#[derive(Deserialize)]
struct Settings {
    failure_rate_percent: f64,
}

/// `POST /api/monitor/:id/tlsrpt` `{"failure_rate_percent": 0.5}`: the alert threshold (0 to
/// 100, two decimals).
pub(crate) async fn settings(mut req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let sub = match crate::monitor::api::authorised(&req, &ctx).await? {
        Ok(sub) => sub,
        Err(resp) => return Ok(resp),
    };
    let body = bounded_body(&mut req, 1024).await?.unwrap_or_default();
    let Some(pct) = serde_json::from_slice::<Settings>(&body)
        .ok()
        .map(|s| s.failure_rate_percent)
        .filter(|p| (0.0..=100.0).contains(p))
    else {
        return refuse(&Refusal::new(
            400,
            "bad-request",
            "send {\"failure_rate_percent\": 0 to 100}",
        ));
    };
    #[allow(clippy::cast_possible_truncation)]
    let bp = (pct * 100.0).round() as i64;
    let db = db(&ctx.env)?;
    ingest::ensure_state(&db, &sub.id).await?;
    exec(
        &db,
        "UPDATE tlsrpt_state SET threshold_bp = ?2 WHERE subscription = ?1",
        &[s(&sub.id), n(bp)],
    )
    .await?;
    respond::json(
        &json!({"subscription": sub.id, "failure_rate_threshold": super::alerts::percent(u64::try_from(bp).unwrap_or(0))}),
        200,
    )
}

/// Where [`bench`] answers, when `BENCH_ROUTE=1`.
pub(crate) const BENCH_PATH: &str = "/api/bench/tlsrpt";

/// `POST /api/bench/tlsrpt?n=N` (bench only): the Worker's own work on the posted report body,
/// N times in one request — decoded (inflated), read by the crate's reader, summarised,
/// alert-stepped — with no I/O, so the workerd process's CPU over it is the isolate's.
pub(crate) async fn bench(mut req: Request, _ctx: RouteContext<Config>) -> Result<Response> {
    let n = respond::bench_count(&req, 100_000)?;
    let body = bounded_body(&mut req, ingest::MAX_BODY)
        .await?
        .unwrap_or_default();
    let mut sessions = 0u64;
    let mut state = super::alerts::AlertState::default();
    for i in 0..n {
        let Ok((json, kind)) = ingest::decode(&body) else {
            return refuse(&Refusal::new(400, "undecodable", "not a report"));
        };
        let Ok(reports) = ingest::read("bench", kind, &json, None) else {
            return refuse(&Refusal::new(422, "unreadable", "not a report"));
        };
        for r in &reports {
            let domain = r
                .policies
                .first()
                .and_then(|p| p.policy_domain.clone())
                .unwrap_or_default();
            let a = ingest::aggregate(r, &domain, &json, i64::from(i));
            sessions += a.successful + a.failed;
            super::alerts::step(&mut state, &a, 100, i64::from(i));
        }
    }
    respond::json(
        &json!({"reports": n, "sessions": sessions, "body_bytes": body.len()}),
        200,
    )
}
