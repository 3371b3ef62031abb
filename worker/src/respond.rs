//! JSON responses with the project's error shape, CORS for public GETs, and security headers.

use mtasts::api::ApiError;
use serde::Serialize;
use worker::{Headers, Request, Response, Result};

/// Requests per client per period are limited by the `RATE_LIMITER` binding (wrangler.toml).
const RETRY_AFTER_SECONDS: &str = "60";

/// Headers on every API response.
pub(crate) fn api_headers(h: &Headers) -> Result<()> {
    h.set("Content-Type", "application/json; charset=utf-8")?;
    h.set("Access-Control-Allow-Origin", "*")?;
    h.set("Access-Control-Allow-Methods", "GET, OPTIONS")?;
    h.set("Access-Control-Max-Age", "86400")?;
    h.set("X-Content-Type-Options", "nosniff")?;
    h.set("Referrer-Policy", "no-referrer")?;
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; frame-ancestors 'none'",
    )?;
    h.set("Cache-Control", "no-store")?;
    h.set(
        "Strict-Transport-Security",
        "max-age=31536000; includeSubDomains",
    )?;
    Ok(())
}

pub(crate) fn json<T: Serialize>(value: &T, status: u16) -> Result<Response> {
    let resp = Response::from_json(value)?.with_status(status);
    api_headers(resp.headers())?;
    Ok(resp)
}

/// The one place an [`ApiError`] becomes a response: its status, its body
/// `{"error": {"code", "message"}}`, and `Retry-After` when rate-limited.
pub(crate) fn error(e: &ApiError) -> Result<Response> {
    let resp = json(&e.body(), e.status())?;
    if *e == ApiError::RateLimited {
        resp.headers().set("Retry-After", RETRY_AFTER_SECONDS)?;
    }
    Ok(resp)
}

/// A handler's outcome as a response.
pub(crate) fn outcome<T: Serialize>(r: std::result::Result<T, ApiError>) -> Result<Response> {
    match r {
        Ok(v) => json(&v, 200),
        Err(e) => error(&e),
    }
}

/// The CORS preflight answer.
pub(crate) fn preflight() -> Result<Response> {
    let resp = Response::empty()?.with_status(204);
    api_headers(resp.headers())?;
    Ok(resp)
}

/// A bench route's repeat count: the query's `n`, 1 when absent or not a number, within 1..=`max`.
pub(crate) fn bench_count(req: &Request, max: u32) -> Result<u32> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == "n")
        .and_then(|(_, v)| v.parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, max))
}
