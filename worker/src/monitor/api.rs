//! The monitor's API: subscribe (`POST /api/monitor`), the subscription with its history
//! (`GET /api/monitor/:id`, management key as `Authorization: Bearer`), "check now"
//! (`POST /api/monitor/:id/verify`), unsubscribe (`DELETE /api/monitor/:id`, or the signed link
//! `/api/monitor/:id/unsubscribe?sig=…` that every alert carries).

use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response, Result, RouteContext};

use super::{db, exec, first, n, now, rows, s, secrets, webhook_url, Sub, SUB_COLUMNS};
use crate::config::Config;
use crate::respond;

/// Where subscriptions are made.
pub(crate) const PATH: &str = "/api/monitor";
/// Subscriptions of one domain that are not ended, at most.
pub(crate) const MAX_PER_DOMAIN: usize = 20;
/// Subscriptions made from one client address (an IPv6 /64) in 24 hours, at most.
pub(crate) const MAX_PER_CLIENT_DAY: usize = 10;
/// The largest request body read.
const MAX_BODY: usize = 8 * 1024;

/// An error answer in the API's shape.
fn refuse(status: u16, code: &str, message: &str) -> Result<Response> {
    respond::json(
        &json!({"error": {"code": code, "message": message}}),
        status,
    )
}

#[derive(Deserialize)]
struct SubscribeBody {
    domain: String,
    webhook: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    threshold: Option<String>,
}

/// What a subscription request asks for, validated, or why not.
struct Asked {
    domain: String,
    webhook: String,
    format: String,
    threshold: String,
}

fn validate(body: &[u8], config: &Config) -> std::result::Result<Asked, String> {
    let b: SubscribeBody = serde_json::from_slice(body)
        .map_err(|_| "send JSON {\"domain\": …, \"webhook\": \"https://…\"}".to_owned())?;
    let rules = mtasts::InputRules {
        allow_test: config.fixture_mode,
    };
    let domain = mtasts::normalize_domain(&b.domain, rules).map_err(|e| e.to_string())?;
    let webhook = webhook_url::check(b.webhook.trim(), config.fixture_mode)?;
    let format = b
        .format
        .unwrap_or_else(|| webhook_url::default_format(&webhook).to_owned());
    if !matches!(format.as_str(), "json" | "slack" | "discord") {
        return Err("format is json, slack or discord".into());
    }
    let threshold = b.threshold.unwrap_or_else(|| "warning".into());
    if !matches!(threshold.as_str(), "error" | "warning" | "info") {
        return Err("threshold is error, warning or info".into());
    }
    Ok(Asked {
        domain,
        webhook,
        format,
        threshold,
    })
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

async fn count(
    db: &worker::D1Database,
    sql: &str,
    args: &[worker::wasm_bindgen::JsValue],
) -> Result<usize> {
    let c: Option<Count> = first(db, sql, args).await?;
    Ok(c.map_or(0, |c| usize::try_from(c.n).unwrap_or(0)))
}

/// `POST /api/monitor`: a pending subscription, its management key (shown once) and the DNS
/// token to publish. Nothing is requested from the domain or the webhook here.
pub(crate) async fn subscribe(mut req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let Some(secret) = ctx.data.monitor_secret.clone() else {
        return refuse(
            503,
            "unavailable",
            "monitoring is not configured here (no MONITOR_SECRET)",
        );
    };
    if let Some(e) = crate::handlers::limited(&req, &ctx).await? {
        return respond::error(&e);
    }
    let client = crate::handlers::client_key(req.headers().get("CF-Connecting-IP")?.as_deref());
    let body = req.bytes().await?;
    if body.len() > MAX_BODY {
        return refuse(413, "too-large", "the request body is too large");
    }
    let asked = match validate(&body, &ctx.data) {
        Ok(a) => a,
        Err(m) => return refuse(400, "bad-request", &m),
    };
    let db = db(&ctx.env)?;
    let t = now();
    let per_domain = count(
        &db,
        "SELECT COUNT(*) AS n FROM subscriptions WHERE domain = ?1 AND state != 'unsubscribed'",
        &[s(&asked.domain)],
    )
    .await?;
    if per_domain >= MAX_PER_DOMAIN {
        return refuse(
            429,
            "limit",
            &format!(
                "{} has {MAX_PER_DOMAIN} subscriptions already",
                asked.domain
            ),
        );
    }
    let per_client = count(
        &db,
        "SELECT COUNT(*) AS n FROM subscriptions WHERE client = ?1 AND created_at > ?2",
        &[s(&client), n(t - 86_400)],
    )
    .await?;
    if per_client >= MAX_PER_CLIENT_DAY {
        return refuse(
            429,
            "limit",
            &format!("at most {MAX_PER_CLIENT_DAY} subscriptions a day from one address"),
        );
    }
    let Some(fresh) = secrets::Fresh::new() else {
        return refuse(503, "unavailable", "no randomness available; try again");
    };
    exec(
        &db,
        "INSERT INTO subscriptions (id, domain, webhook, format, threshold, key_hash, webhook_secret, state, client, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9)",
        &[s(&fresh.id), s(&asked.domain), s(&asked.webhook), s(&asked.format), s(&asked.threshold), s(&secrets::key_hash(&fresh.key)), s(&fresh.webhook_secret), s(&client), n(t)],
    )
    .await?;
    let token = secrets::dns_token(&secret, &fresh.id, &asked.domain);
    let origin = req.url()?.origin().ascii_serialization();
    respond::json(
        &json!({
            "id": fresh.id,
            "domain": asked.domain,
            "state": "pending",
            "management_key": fresh.key,
            "webhook_secret": fresh.webhook_secret,
            "format": asked.format,
            "threshold": asked.threshold,
            "dns": {
                "name": format!("{}.{}", super::TOKEN_LABEL, asked.domain),
                "type": "TXT",
                "value": secrets::token_record(&token),
            },
            "unsubscribe_url": unsubscribe_url(&origin, &secret, &fresh.id),
            "feed_url": feed_url(&origin, &secret, &fresh.id),
            "note": "Publish the TXT record; nothing is checked or sent until it is seen. The management key and the webhook secret are shown only now.",
        }),
        201,
    )
}

/// The signed unsubscribe link of a subscription.
pub(crate) fn unsubscribe_url(origin: &str, secret: &str, id: &str) -> String {
    format!(
        "{origin}{PATH}/{id}/unsubscribe?sig={}",
        secrets::unsubscribe_sig(secret, id)
    )
}

/// The read-only Atom feed link of a subscription's changes.
pub(crate) fn feed_url(origin: &str, secret: &str, id: &str) -> String {
    format!(
        "{origin}{PATH}/{id}/feed?sig={}",
        secrets::feed_sig(secret, id)
    )
}

#[derive(Deserialize)]
struct ChangedRun {
    run: i64,
    verdict: String,
    findings: String,
}

/// `GET /api/monitor/:id/feed?sig=…`: an Atom feed (RFC 4287) of the domain's changes since the
/// subscription began, one entry per changed run, newest first (at most 50). The signed link is
/// read-only: it cannot manage or end the subscription.
pub(crate) async fn feed(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let Some(secret) = ctx.data.monitor_secret.clone() else {
        return refuse(503, "unavailable", "monitoring is not configured here");
    };
    let id = ctx.param("id").cloned().unwrap_or_default();
    let url = req.url()?;
    let sig = url
        .query_pairs()
        .find(|(k, _)| k == "sig")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if !secrets::constant_eq(secrets::feed_sig(&secret, &id).as_bytes(), sig.as_bytes()) {
        return refuse(403, "forbidden", "this feed link is not valid");
    }
    let db = db(&ctx.env)?;
    let sub: Option<Sub> = first(
        &db,
        &format!("SELECT {SUB_COLUMNS} FROM subscriptions WHERE id = ?1"),
        &[s(&id)],
    )
    .await?;
    let Some(sub) = sub else {
        return refuse(404, "not-found", "no such subscription");
    };
    let changed: Vec<ChangedRun> = rows(&db, "SELECT run, verdict, findings FROM runs WHERE domain = ?1 AND run >= ?2 AND outcome = 'changed' ORDER BY run DESC LIMIT 50", &[s(&sub.domain), n(sub.created_at * 1000)]).await?;
    let origin = url.origin().ascii_serialization();
    let body = atom(&origin, &sub, &changed, &feed_url(&origin, &secret, &id));
    let resp = Response::ok(body)?;
    let h = resp.headers();
    h.set("Content-Type", "application/atom+xml; charset=utf-8")?;
    h.set("Cache-Control", "no-store")?;
    h.set("X-Content-Type-Options", "nosniff")?;
    h.set("Content-Security-Policy", "default-src 'none'")?;
    Ok(resp)
}

/// The feed's XML.
fn atom(origin: &str, sub: &Sub, changed: &[ChangedRun], self_url: &str) -> String {
    let d = html_escape(&sub.domain);
    let time = |ms: i64| mtasts::civil::rfc3339(ms / 1000);
    let updated = changed
        .first()
        .map_or_else(|| time(sub.created_at * 1000), |r| time(r.run));
    let mut entries = String::new();
    for r in changed {
        let findings: Vec<serde_json::Value> =
            serde_json::from_str(&r.findings).unwrap_or_default();
        let mut html = String::from("<ul>");
        for f in &findings {
            html.push_str(&format!(
                "<li><strong>{}</strong> [{}]: {}{}</li>",
                html_escape(f["severity"].as_str().unwrap_or_default()),
                html_escape(f["code"].as_str().unwrap_or_default()),
                html_escape(f["message"].as_str().unwrap_or_default()),
                f["fix"].as_str().map_or(String::new(), |x| format!(
                    " Fix: <code>{}</code>",
                    html_escape(x)
                ))
            ));
        }
        html.push_str("</ul>");
        entries.push_str(&format!(
            "  <entry>\n    <id>urn:mtasts:monitor:{d}:{run}</id>\n    <title>{d}: {n} change(s), verdict {v}</title>\n    <updated>{when}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{origin}/?domain={d}\"/>\n    <content type=\"html\">{content}</content>\n  </entry>\n",
            run = r.run,
            n = findings.len(),
            v = html_escape(&r.verdict),
            when = time(r.run),
            origin = html_escape(origin),
            content = html_escape(&html),
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>urn:mtasts:monitor:{id}</id>\n  <title>MTA-STS changes of {d}</title>\n  <updated>{updated}</updated>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n  <author><name>mtasts</name></author>\n{entries}</feed>\n",
        id = html_escape(&sub.id),
        self_url = html_escape(self_url),
    )
}

/// The subscription the request's management key opens, or the answer refusing it.
pub(crate) async fn authorised(
    req: &Request,
    ctx: &RouteContext<Config>,
) -> Result<std::result::Result<Sub, Response>> {
    if ctx.data.monitor_secret.is_none() {
        return Ok(Err(refuse(
            503,
            "unavailable",
            "monitoring is not configured here",
        )?));
    }
    let id = ctx.param("id").cloned().unwrap_or_default();
    let key = req
        .headers()
        .get("Authorization")?
        .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned))
        .unwrap_or_default();
    #[derive(Deserialize)]
    struct Hash {
        key_hash: String,
    }
    let db = db(&ctx.env)?;
    let hash: Option<Hash> = first(
        &db,
        "SELECT key_hash FROM subscriptions WHERE id = ?1",
        &[s(&id)],
    )
    .await?;
    let ok = hash.is_some_and(|h| {
        secrets::constant_eq(h.key_hash.as_bytes(), secrets::key_hash(&key).as_bytes())
    });
    if !ok {
        // The same answer for an unknown id and a wrong key.
        return Ok(Err(refuse(
            404,
            "not-found",
            "no such subscription, or not this key",
        )?));
    }
    let sub: Option<Sub> = first(
        &db,
        &format!("SELECT {SUB_COLUMNS} FROM subscriptions WHERE id = ?1"),
        &[s(&id)],
    )
    .await?;
    match sub {
        Some(sub) => Ok(Ok(sub)),
        None => Ok(Err(refuse(404, "not-found", "no such subscription")?)),
    }
}

/// `GET /api/monitor/:id`: the subscription, its domain's runs and its deliveries.
pub(crate) async fn show(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let sub = match authorised(&req, &ctx).await? {
        Ok(sub) => sub,
        Err(resp) => return Ok(resp),
    };
    let db = db(&ctx.env)?;
    let runs: Vec<serde_json::Value> = rows(&db, "SELECT run, observed_at, digest, verdict, outcome, codes, findings FROM runs WHERE domain = ?1 AND run >= ?2 ORDER BY run DESC LIMIT 100", &[s(&sub.domain), n(sub.created_at * 1000)]).await?;
    let runs: Vec<serde_json::Value> = runs.into_iter().map(parse_json_columns).collect();
    let deliveries: Vec<serde_json::Value> = rows(&db, "SELECT id, run, state, attempts, last_status, created_at, delivered_at FROM deliveries WHERE subscription = ?1 ORDER BY created_at DESC LIMIT 100", &[s(&sub.id)]).await?;
    let token_value = ctx
        .data
        .monitor_secret
        .as_deref()
        .map(|secret| secrets::token_record(&secrets::dns_token(secret, &sub.id, &sub.domain)));
    let feed = ctx.data.monitor_secret.as_deref().map(|secret| {
        let origin = req
            .url()
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default();
        feed_url(&origin, secret, &sub.id)
    });
    respond::json(
        &json!({"subscription": sub, "feed_url": feed, "dns": {"name": format!("{}.{}", super::TOKEN_LABEL, sub.domain), "type": "TXT", "value": token_value}, "runs": runs, "deliveries": deliveries}),
        200,
    )
}

/// The JSON-text columns of a run row as JSON.
fn parse_json_columns(mut v: serde_json::Value) -> serde_json::Value {
    for k in ["codes", "findings"] {
        if let Some(text) = v.get(k).and_then(|t| t.as_str()) {
            let parsed = serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
            v[k] = parsed;
        }
    }
    v
}

/// `POST /api/monitor/:id/verify`: reads the token now ("check now") and answers the state.
pub(crate) async fn verify(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let sub = match authorised(&req, &ctx).await? {
        Ok(sub) => sub,
        Err(resp) => return Ok(resp),
    };
    if let Some(e) = crate::handlers::limited(&req, &ctx).await? {
        return respond::error(&e);
    }
    let db = db(&ctx.env)?;
    let config = super::run_config(&ctx.env);
    let state =
        super::run::reconcile(&db, &config, &sub.domain, std::slice::from_ref(&sub)).await?;
    let state = state
        .first()
        .map_or(sub.state.clone(), |(_, st)| st.clone());
    respond::json(&json!({"id": sub.id, "state": state}), 200)
}

/// `DELETE /api/monitor/:id`.
pub(crate) async fn delete(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let sub = match authorised(&req, &ctx).await? {
        Ok(sub) => sub,
        Err(resp) => return Ok(resp),
    };
    end(
        &db(&ctx.env)?,
        &sub.id,
        "unsubscribed with the management key",
    )
    .await?;
    respond::json(&json!({"id": sub.id, "state": "unsubscribed"}), 200)
}

/// Ends a subscription (consent is withdrawn: nothing is sent to it again).
pub(crate) async fn end(db: &worker::D1Database, id: &str, why: &str) -> Result<()> {
    exec(
        db,
        "UPDATE subscriptions SET state = 'unsubscribed', ended_at = ?2, ended_why = ?3 WHERE id = ?1 AND state != 'unsubscribed'",
        &[s(id), n(now()), s(why)],
    )
    .await?;
    exec(db, "UPDATE deliveries SET state = 'cancelled' WHERE subscription = ?1 AND state IN ('new', 'queued', 'retrying')", &[s(id)]).await?;
    Ok(())
}

/// `GET /api/monitor/:id/unsubscribe?sig=…`: a page with one button (a GET changes nothing, so
/// link previews in chat apps cannot unsubscribe anyone); `POST` unsubscribes.
pub(crate) async fn unsubscribe(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let Some(secret) = ctx.data.monitor_secret.clone() else {
        return refuse(503, "unavailable", "monitoring is not configured here");
    };
    let id = ctx.param("id").cloned().unwrap_or_default();
    let sig = req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "sig")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if !secrets::unsubscribe_ok(&secret, &id, &sig) {
        return refuse(403, "forbidden", "this unsubscribe link is not valid");
    }
    if req.method() == worker::Method::Post {
        end(&db(&ctx.env)?, &id, "unsubscribed by the signed link").await?;
        return respond::json(&json!({"id": id, "state": "unsubscribed"}), 200);
    }
    let page = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"color-scheme\" content=\"light dark\"><title>Unsubscribe</title><main><h1>Stop monitoring alerts</h1><form method=\"post\"><button type=\"submit\">Unsubscribe {}</button></form></main></html>",
        html_escape(&id)
    );
    let resp = Response::ok(page)?;
    let h = resp.headers();
    h.set("Content-Type", "text/html; charset=utf-8")?;
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
    )?;
    h.set("Cache-Control", "no-store")?;
    h.set("Referrer-Policy", "no-referrer")?;
    Ok(resp)
}

fn html_escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Where [`enqueue`] answers, when `MONITOR_TEST_ROUTES=1`.
pub(crate) const ENQUEUE_PATH: &str = "/api/monitor/test/enqueue";

/// `POST /api/monitor/test/enqueue` (tests only, see [`Config::monitor_test_routes`]): sends the
/// posted check message to the check queue, as a redelivery would.
pub(crate) async fn enqueue(mut req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let Ok(msg) = serde_json::from_slice::<super::run::CheckMsg>(&req.bytes().await?) else {
        return refuse(400, "bad-request", "not a check message");
    };
    super::send(&ctx.env, super::CHECKS, msg).await?;
    respond::json(&json!({"queued": true}), 202)
}

/// Where [`test_stats`] answers, when `MONITOR_TEST_ROUTES=1`.
pub(crate) const STATS_PATH: &str = "/api/monitor/test/stats";

#[derive(Deserialize)]
struct Outcomes {
    outcome: String,
    n: i64,
}

/// `GET /api/monitor/test/stats?since=MS[&domain=D]` (tests only): the isolate's counts
/// ([`super::stats`]), and the rows of the tables: runs since `since` by outcome, runs,
/// deliveries and baselines in all (of `domain` if given).
pub(crate) async fn test_stats(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let url = req.url()?;
    let q = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let since: i64 = q("since").and_then(|v| v.parse().ok()).unwrap_or(0);
    let domain = q("domain").unwrap_or_default();
    let db = db(&ctx.env)?;
    let any = s(&domain);
    let of = "(?1 = '' OR domain = ?1)";
    let outcomes: Vec<Outcomes> = rows(
        &db,
        &format!(
            "SELECT outcome, COUNT(*) AS n FROM runs WHERE {of} AND run >= ?2 GROUP BY outcome"
        ),
        &[any.clone(), n(since)],
    )
    .await?;
    let mut table = serde_json::Map::new();
    for t in ["runs", "deliveries", "baselines", "subscriptions"] {
        let c = count(
            &db,
            &format!("SELECT COUNT(*) AS n FROM {t} WHERE {of}"),
            std::slice::from_ref(&any),
        )
        .await?;
        table.insert(t.to_owned(), json!(c));
    }
    let since_by_outcome: serde_json::Map<String, serde_json::Value> = outcomes
        .into_iter()
        .map(|o| (o.outcome, json!(o.n)))
        .collect();
    respond::json(
        &json!({"isolate": super::stats::json(), "runs_since": since_by_outcome, "rows": table}),
        200,
    )
}
