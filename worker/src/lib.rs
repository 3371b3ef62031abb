//! The mtasts edge Worker (Cloudflare Workers, workers-rs): answers `/api/*` with Evidence
//! gathered by DNS over HTTPS and the RFC 8461 §3.3 policy fetch, and a Report assessed by the
//! same `mtasts` crate as the browser and the CLI. Static assets (the web app) are served by the
//! `[assets]` binding in `wrangler.toml`; this code runs first only for `/api/*`.

mod config;
mod handlers;
mod respond;
mod router;
mod transport;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    router::handle(req, env).await
}
