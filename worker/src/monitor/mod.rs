//! Hosted monitoring (issue 22) on Cloudflare's own primitives: subscriptions in D1
//! (`migrations/`), a Cron Trigger that queues one check per domain, a check consumer that runs
//! the same gather + assess as `/api/report` and compares with the last stored observation, and
//! an alert queue whose consumer delivers signed webhooks. Nothing runs for a domain until its
//! subscriber's DNS token is seen.
//!
//! - [`api`]: `POST /api/monitor`, the management routes and the signed unsubscribe link.
//! - [`run`]: the crons and the check consumer.
//! - [`alert`]: the alert consumer and the dead-letter queue's.
//! - [`prune`]: the retention of runs and finished deliveries.
//! - [`stats`]: counts of the consumers' work (for the benchmark).

pub(crate) mod alert;
pub(crate) mod api;
pub(crate) mod prune;
pub(crate) mod run;
pub(crate) mod secrets;
pub(crate) mod stats;
pub(crate) mod webhook_url;

use mtasts::observe::evidence::{RecordData, RecordType};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, Env, Result};

use crate::config::Config;
use crate::transport::WorkerTransport;

/// The D1 binding.
pub(crate) const DB: &str = "DB";
/// The check queue's producer binding, and its queue's name.
pub(crate) const CHECKS: &str = "CHECKS";
pub(crate) const CHECKS_QUEUE: &str = "mtasts-checks";
/// The check queue's dead-letter queue: a check that failed on every attempt.
pub(crate) const CHECKS_DLQ: &str = "mtasts-checks-dlq";
/// The alert queue's producer binding, its queue, and its dead-letter queue.
pub(crate) const ALERTS: &str = "ALERTS";
pub(crate) const ALERTS_QUEUE: &str = "mtasts-alerts";
pub(crate) const ALERTS_DLQ: &str = "mtasts-alerts-dlq";
/// Where the subscriber publishes the token, under the domain.
pub(crate) const TOKEN_LABEL: &str = "_mtasts-monitor";

/// A subscription as stored (the management key's hash is not read back).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Sub {
    pub(crate) id: String,
    pub(crate) domain: String,
    pub(crate) webhook: String,
    pub(crate) format: String,
    pub(crate) threshold: String,
    #[serde(skip_serializing)]
    pub(crate) webhook_secret: String,
    pub(crate) state: String,
    pub(crate) failing: i64,
    pub(crate) created_at: i64,
    pub(crate) verified_at: Option<i64>,
    pub(crate) ended_at: Option<i64>,
    pub(crate) ended_why: Option<String>,
}

/// The columns of [`Sub`].
pub(crate) const SUB_COLUMNS: &str = "id, domain, webhook, format, threshold, webhook_secret, state, failing, created_at, verified_at, ended_at, ended_why";

/// Now, Unix seconds.
pub(crate) fn now() -> i64 {
    i64::try_from(worker::Date::now().as_millis() / 1000).unwrap_or(0)
}

/// A text argument.
pub(crate) fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

/// An integer argument (D1 numbers are JavaScript numbers: exact below 2^53).
pub(crate) fn n(v: i64) -> JsValue {
    #[allow(clippy::cast_precision_loss)]
    JsValue::from_f64(v as f64)
}

/// Runs a statement; how many rows it changed.
pub(crate) async fn exec(db: &D1Database, sql: &str, args: &[JsValue]) -> Result<usize> {
    stats::d1();
    let r = db.prepare(sql).bind(args)?.run().await?;
    Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0))
}

/// The rows of a query.
pub(crate) async fn rows<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> Result<Vec<T>> {
    stats::d1();
    db.prepare(sql).bind(args)?.all().await?.results()
}

/// The first row of a query.
pub(crate) async fn first<T: DeserializeOwned>(
    db: &D1Database,
    sql: &str,
    args: &[JsValue],
) -> Result<Option<T>> {
    stats::d1();
    db.prepare(sql).bind(args)?.first(None).await
}

/// Runs statements as one batch (D1 runs a batch as one transaction: all or nothing); how many
/// rows each changed.
pub(crate) async fn batch(
    db: &D1Database,
    statements: Vec<worker::D1PreparedStatement>,
) -> Result<Vec<usize>> {
    stats::d1();
    let results = db.batch(statements).await?;
    if let Some(e) = results.iter().find_map(worker::D1Result::error) {
        return Err(worker::Error::RustError(e));
    }
    results
        .iter()
        .map(|r| Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0)))
        .collect()
}

/// Sends one message to a queue.
pub(crate) async fn send<T: Serialize>(env: &Env, binding: &str, msg: T) -> Result<()> {
    stats::queue();
    env.queue(binding)?.send(msg).await
}

/// Sends up to 100 messages to a queue in one call.
pub(crate) async fn send_all<T: Serialize>(env: &Env, binding: &str, msgs: Vec<T>) -> Result<()> {
    stats::queue();
    env.queue(binding)?.send_batch(msgs).await
}

/// The database.
pub(crate) fn db(env: &Env) -> Result<D1Database> {
    env.d1(DB)
}

/// The configuration monitoring runs with: the same as the API's, without the DNS cache (a run
/// must see today's answers, and a removed token must be seen as removed).
pub(crate) fn run_config(env: &Env) -> Config {
    let mut c = Config::from_env(env);
    c.dns_cache = false;
    c
}

/// The TXT texts at `_mtasts-monitor.<domain>`, read through DoH now; `None` when the lookup
/// failed (nothing is concluded from a failure: states stay as they are).
pub(crate) async fn published_tokens(config: &Config, domain: &str) -> Option<Vec<String>> {
    let transport = WorkerTransport::new(config.clone());
    let name = format!("{TOKEN_LABEL}.{domain}");
    let l = mtasts::Transport::query(&transport, &name, RecordType::TXT).await;
    if l.error.is_some() {
        return None;
    }
    match l.rcode {
        Some(
            mtasts::observe::evidence::Rcode::NoError | mtasts::observe::evidence::Rcode::NxDomain,
        ) => {}
        _ => return None,
    }
    Some(
        l.answers
            .iter()
            .filter_map(|a| match &a.data {
                RecordData::Txt { strings } => Some(strings.concat()),
                _ => None,
            })
            .collect(),
    )
}

/// Whether subscription `id` of `domain` has its token among `texts`.
pub(crate) fn token_seen(secret: &str, id: &str, domain: &str, texts: &[String]) -> bool {
    let token = secrets::dns_token(secret, id, domain);
    texts.iter().any(|t| secrets::record_has_token(t, &token))
}
