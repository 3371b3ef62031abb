//! The `mailto:` destination: a Cloudflare Email Worker (`email` event; Email Routing sends
//! every address of `TLSRPT_MAIL_DOMAIN` here). The recipient's local part is the token; the
//! message is read with the crate's MIME reader (`mtasts::reports::extract`, as the report
//! viewer reads a dropped `.eml`) and each report attachment goes through the same ingestion
//! as an HTTPS POST. A message that cannot be taken is rejected (`setReject`: the sending MTA
//! gets a permanent failure and the reason), so nothing is dropped silently.

use mtasts::reports::{self, Kind};
use worker::{Env, ForwardableEmailMessage, Result};

use super::http::{ingest_json, subscription, Target};
use super::ingest::{self, Raw, Refusal};
use crate::config::Config;
use crate::monitor::db;

/// Handles one incoming message.
pub(crate) async fn receive(message: &ForwardableEmailMessage, env: &Env) -> Result<()> {
    let outcome = take(message, env).await?;
    if let Err(r) = outcome {
        worker::console_log!("tlsrpt mail to {}: rejected: {}", message.to(), r.message);
        message.set_reject(&format!("{} ({})", r.message, r.code));
    }
    Ok(())
}

async fn take(
    message: &ForwardableEmailMessage,
    env: &Env,
) -> Result<std::result::Result<(), Refusal>> {
    let config = Config::from_env(env);
    let Some(secret) = config.monitor_secret.clone() else {
        return Ok(Err(Refusal::new(
            503,
            "unavailable",
            "monitoring is not configured here",
        )));
    };
    let to = message.to();
    let db = db(env)?;
    let sub = match super::token_of_address(&to) {
        Some(token) => match subscription(&db, &secret, token).await? {
            Ok(sub) => sub,
            Err(r) => return Ok(Err(r)),
        },
        None => {
            return Ok(Err(Refusal::new(
                404,
                "not-found",
                "no such TLS-RPT destination",
            )))
        }
    };
    // rawSize is known before the message is read.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let size = message.raw_size() as usize;
    if size > ingest::MAX_MAIL {
        ingest::count(&db, &sub.id, "refused").await?;
        return Ok(Err(Refusal::new(
            413,
            "too-large",
            format!("the message is over {} MiB", ingest::MAX_MAIL >> 20),
        )));
    }
    let bytes = message.raw_bytes().await?;
    let t = Target {
        env,
        db: &db,
        secret: &secret,
        origin: &config.public_origin,
        sub: &sub,
    };
    let r = ingest_message(&t, &bytes).await?;
    if r.is_err() {
        ingest::count(&db, &sub.id, "refused").await?;
    }
    Ok(r)
}

/// The reports of one message: every readable attachment stored (up to
/// [`ingest::MAX_REPORTS`]); refused only when none could be taken.
async fn ingest_message(t: &Target<'_>, bytes: &[u8]) -> Result<std::result::Result<(), Refusal>> {
    if bytes.len() > ingest::MAX_MAIL {
        return Ok(Err(Refusal::new(
            413,
            "too-large",
            "the message is too large",
        )));
    }
    let mut taken = 0;
    let mut last = Refusal::new(422, "unreadable", "no TLS report in this message");
    for payload in reports::extract("mail", bytes)
        .into_iter()
        .take(ingest::MAX_REPORTS)
    {
        let payload = match payload {
            Ok(p) => p,
            Err(u) => {
                last = Refusal::new(422, "unreadable", u.message);
                continue;
            }
        };
        if payload.bytes.len() > ingest::MAX_BODY {
            last = Refusal::new(413, "too-large", "a report attachment is over 1 MiB");
            continue;
        }
        let json = match payload.kind {
            Kind::Gzip => ingest::inflate(&payload.bytes),
            Kind::Json => Ok(payload.bytes.clone()),
        };
        let json = match json {
            Ok(j) => j,
            Err(e) => {
                last = e;
                continue;
            }
        };
        let raw = Raw {
            via: "mail",
            kind: payload.kind,
            bytes: &payload.bytes,
        };
        let hint = payload
            .domain_hint
            .clone()
            .or_else(|| Some(t.sub.domain.clone()));
        match ingest_json(t, &json, &raw, hint).await? {
            Ok(_) => taken += 1,
            Err(e) => last = e,
        }
    }
    Ok(if taken > 0 { Ok(()) } else { Err(last) })
}
