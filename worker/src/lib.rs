//! The mtasts edge Worker (Cloudflare Workers, workers-rs): answers `/api/*` with Evidence
//! gathered by DNS over HTTPS and the RFC 8461 §3.3 policy fetch, and a Report assessed by the
//! same `mtasts` crate as the browser and the CLI. Static assets (the web app) are served by the
//! `[assets]` binding in `wrangler.toml`; this code runs first only for `/api/*`.

mod config;
mod handlers;
mod monitor;
mod respond;
mod router;
mod tlsrpt;
mod transport;

use worker::{
    event, Context, Env, ForwardableEmailMessage, MessageBatch, Request, Response, Result,
    ScheduleContext, ScheduledEvent,
};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    router::handle(req, env).await
}

/// The Cron Triggers: the monitoring run, and the re-reading of pending tokens.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    #[allow(clippy::cast_possible_truncation)]
    let at = event.schedule() as i64;
    if let Err(e) = monitor::run::scheduled(&event.cron(), at, &env).await {
        worker::console_error!("monitor: the scheduled run could not start: {e}");
    }
}

/// The queues' consumers: checks, alerts, and their dead letters. Every message is
/// acknowledged or retried in the handler; an `Err` here would trap the isolate.
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    let name = batch.queue();
    let r = if name == monitor::CHECKS_QUEUE || name == monitor::CHECKS_DLQ {
        monitor::run::consume(batch, &env).await
    } else if name == monitor::ALERTS_QUEUE || name == monitor::ALERTS_DLQ {
        monitor::alert::consume(batch, &env).await
    } else {
        batch.ack_all();
        Ok(())
    };
    if let Err(e) = r {
        worker::console_error!("monitor: queue {name}: {e}");
    }
    Ok(())
}

/// Incoming mail (Cloudflare Email Routing): the `mailto:` TLS-RPT destinations. A message that
/// cannot be taken is rejected with the reason; an `Err` here would trap the isolate, so none
/// is returned.
#[event(email)]
async fn email(message: ForwardableEmailMessage, env: Env, _ctx: Context) -> Result<()> {
    if let Err(e) = tlsrpt::mail::receive(&message, &env).await {
        worker::console_error!("tlsrpt: mail to {}: {e}", message.to());
        message.set_reject("temporary failure reading the report; try again later");
    }
    Ok(())
}
