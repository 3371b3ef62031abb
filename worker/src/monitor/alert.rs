//! The alert queue's consumer: claims the delivery (so a redelivered message sends nothing
//! twice), signs it per Standard Webhooks 1.0, and posts it without following redirects, with a
//! short time-out and a bounded read. 2xx: delivered. 410: the receiver wants no more: the
//! subscription ends. Anything else: retried with exponential backoff, until the dead-letter
//! queue's consumer marks the delivery failed and the endpoint failing.

use std::time::Duration;

use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use worker::{
    Env, Fetch, Headers, MessageBatch, MessageExt, Method, QueueRetryOptionsBuilder, Request,
    RequestInit, RequestRedirect, Result,
};

use super::{db, exec, first, n, now, s, secrets, Sub, SUB_COLUMNS};
use crate::config::Config;

/// A message of the alert queue: the delivery's id (the body is in D1).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AlertMsg {
    pub(crate) delivery: String,
}

/// Time allowed for the receiver's answer.
const TIMEOUT: Duration = Duration::from_secs(5);
/// The most of the receiver's body read (it is not used; reading a little lets the connection
/// be reused).
const MAX_READ: usize = 1024;
/// A claim older than this is taken to have died with its invocation.
const CLAIM_SECONDS: i64 = 120;

#[derive(Deserialize)]
struct Delivery {
    subscription: String,
    body: String,
    attempts: i64,
}

/// The alert queue's consumer (and, for [`super::ALERTS_DLQ`], the dead-letter queue's).
pub(crate) async fn consume(batch: MessageBatch<serde_json::Value>, env: &Env) -> Result<()> {
    let config = Config::from_env(env);
    let db = db(env)?;
    let dead = batch.queue() == super::ALERTS_DLQ;
    let messages = batch.messages()?;
    let work = messages.iter().map(|m| {
        let (db, config) = (&db, &config);
        async move {
            let Ok(msg) = serde_json::from_value::<AlertMsg>(m.body().clone()) else {
                worker::console_error!("monitor: unreadable alert message {}", m.body());
                m.ack();
                return;
            };
            let r = if dead {
                dead_letter(db, &msg.delivery).await.map(|()| None)
            } else {
                deliver(db, config, &msg.delivery).await
            };
            match r {
                Ok(None) => m.ack(),
                Ok(Some(delay)) => m.retry_with_options(
                    &QueueRetryOptionsBuilder::new()
                        .with_delay_seconds(delay)
                        .build(),
                ),
                Err(e) => {
                    worker::console_error!("monitor alert {}: {e}", msg.delivery);
                    m.retry();
                }
            }
        }
    });
    futures::future::join_all(work).await;
    Ok(())
}

/// The delay before attempt `attempts + 1`: the base, doubled per attempt, at most an hour.
pub(crate) fn backoff(base: u32, attempts: i64) -> u32 {
    let shift = u32::try_from(attempts.clamp(1, 12) - 1).unwrap_or(0);
    base.saturating_mul(1 << shift).min(3600)
}

/// Delivers one alert: `None` when done with it, `Some(seconds)` to try again after a delay.
async fn deliver(db: &worker::D1Database, config: &Config, id: &str) -> Result<Option<u32>> {
    let t = now();
    let claimed = exec(db, "UPDATE deliveries SET state = 'sending', claimed_at = ?2, attempts = attempts + 1 WHERE id = ?1 AND (state IN ('new', 'queued', 'retrying') OR (state = 'sending' AND claimed_at < ?3))", &[s(id), n(t), n(t - CLAIM_SECONDS)]).await?;
    if claimed == 0 {
        // Delivered, ended, or being delivered by another invocation.
        return Ok(None);
    }
    let Some(d) = first::<Delivery>(
        db,
        "SELECT subscription, body, attempts FROM deliveries WHERE id = ?1",
        &[s(id)],
    )
    .await?
    else {
        return Ok(None);
    };
    let sub: Option<Sub> = first(
        db,
        &format!("SELECT {SUB_COLUMNS} FROM subscriptions WHERE id = ?1"),
        &[s(&d.subscription)],
    )
    .await?;
    let Some(sub) = sub.filter(|s| s.state != "unsubscribed") else {
        exec(
            db,
            "UPDATE deliveries SET state = 'cancelled' WHERE id = ?1",
            &[s(id)],
        )
        .await?;
        return Ok(None);
    };
    let status = post(&sub, id, &d.body).await;
    match status {
        Some(200..=299) => {
            exec(db, "UPDATE deliveries SET state = 'delivered', last_status = ?2, delivered_at = ?3 WHERE id = ?1", &[s(id), n(i64::from(status.unwrap_or(200))), n(now())]).await?;
            exec(
                db,
                "UPDATE subscriptions SET failing = 0 WHERE id = ?1",
                &[s(&sub.id)],
            )
            .await?;
            Ok(None)
        }
        Some(410) => {
            exec(
                db,
                "UPDATE deliveries SET state = 'gone', last_status = 410 WHERE id = ?1",
                &[s(id)],
            )
            .await?;
            super::api::end(db, &sub.id, "the webhook answered 410 Gone").await?;
            Ok(None)
        }
        other => {
            let last = other.map_or(0, i64::from);
            exec(
                db,
                "UPDATE deliveries SET state = 'retrying', last_status = ?2 WHERE id = ?1",
                &[s(id), n(last)],
            )
            .await?;
            Ok(Some(backoff(config.monitor_retry_seconds, d.attempts)))
        }
    }
}

/// The body in the subscription's format: the signed JSON as stored, or a Slack or Discord
/// message made from it.
pub(crate) fn formatted(format: &str, body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let d = &v["data"];
    let mut text = format!(
        "MTA-STS of {}: {} ({})",
        d["domain"].as_str().unwrap_or_default(),
        d["outcome"].as_str().unwrap_or_default(),
        d["verdict"].as_str().unwrap_or_default()
    );
    for f in d["findings"].as_array().into_iter().flatten().take(10) {
        text.push_str(&format!(
            "\n• [{}] {}",
            f["code"].as_str().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default()
        ));
        if let Some(fix) = f["fix"].as_str() {
            text.push_str(&format!(" Fix: {fix}"));
        }
    }
    text.push_str(&format!(
        "\nReport: {}\nUnsubscribe: {}",
        d["report_url"].as_str().unwrap_or_default(),
        d["unsubscribe_url"].as_str().unwrap_or_default()
    ));
    match format {
        "slack" => json!({ "text": text }).to_string(),
        // Discord caps a message's content at 2000 characters.
        "discord" => json!({ "content": text.chars().take(2000).collect::<String>() }).to_string(),
        _ => body.to_owned(),
    }
}

/// POSTs the alert; the status, or `None` when no answer came (time-out, network, refused URL).
async fn post(sub: &Sub, id: &str, stored: &str) -> Option<u16> {
    let body = formatted(&sub.format, stored);
    let ts = u64::try_from(now()).unwrap_or(0);
    let signature = secrets::webhook_signature(&sub.webhook_secret, id, ts, &body)?;
    let headers = Headers::new();
    for (k, v) in [
        ("Content-Type", "application/json"),
        ("User-Agent", "mtasts-monitor"),
        ("webhook-id", id),
        ("webhook-timestamp", &ts.to_string()),
        ("webhook-signature", &signature),
    ] {
        headers.set(k, v).ok()?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()))
        .with_redirect(RequestRedirect::Manual);
    let req = Request::new_with_init(&sub.webhook, &init).ok()?;
    let send = async {
        let mut resp = Fetch::Request(req).send().await.ok()?;
        let status = resp.status_code();
        if let Ok(mut stream) = resp.stream() {
            let mut read = 0;
            while let Some(Ok(chunk)) = stream.next().await {
                read += chunk.len();
                if read >= MAX_READ {
                    break;
                }
            }
        }
        Some(status)
    };
    crate::transport::within(TIMEOUT, send).await.flatten()
}

/// The dead-letter queue: the retries are spent; the delivery failed and the endpoint is marked
/// failing (the subscription's page says so).
async fn dead_letter(db: &worker::D1Database, id: &str) -> Result<()> {
    exec(db, "UPDATE deliveries SET state = 'failed' WHERE id = ?1 AND state NOT IN ('delivered', 'gone', 'cancelled')", &[s(id)]).await?;
    exec(db, "UPDATE subscriptions SET failing = 1 WHERE id = (SELECT subscription FROM deliveries WHERE id = ?1)", &[s(id)]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(60, 1), 60);
        assert_eq!(backoff(60, 2), 120);
        assert_eq!(backoff(60, 4), 480);
        assert_eq!(backoff(60, 40), 3600);
        assert_eq!(backoff(1, 0), 1);
    }

    #[test]
    fn slack_and_discord_bodies() {
        let stored = json!({"type": "mtasts.monitor.alert", "data": {"domain": "a.test", "outcome": "changed", "verdict": "fail", "findings": [{"code": "change-mx-added", "message": "mx3 added", "fix": "add it"}], "report_url": "r", "unsubscribe_url": "u"}}).to_string();
        assert_eq!(formatted("json", &stored), stored);
        let slack: serde_json::Value =
            serde_json::from_str(&formatted("slack", &stored)).expect("json");
        let text = slack["text"].as_str().expect("text");
        assert!(
            text.contains("a.test")
                && text.contains("change-mx-added")
                && text.contains("Unsubscribe: u"),
            "{text}"
        );
        let discord: serde_json::Value =
            serde_json::from_str(&formatted("discord", &stored)).expect("json");
        assert!(discord["content"]
            .as_str()
            .expect("content")
            .contains("Fix: add it"));
    }
}
