//! JSON responses with the project's error shape, CORS for public GETs, and security headers.

use serde::Serialize;
use worker::{Headers, Response, Result};

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
    Ok(())
}

pub(crate) fn json<T: Serialize>(value: &T, status: u16) -> Result<Response> {
    let resp = Response::from_json(value)?.with_status(status);
    api_headers(resp.headers())?;
    Ok(resp)
}

/// `{"error": {"code", "message"}}` with `status`.
pub(crate) fn error(status: u16, code: &str, message: &str) -> Result<Response> {
    json(
        &serde_json::json!({"error": {"code": code, "message": message}}),
        status,
    )
}

/// The CORS preflight answer.
pub(crate) fn preflight() -> Result<Response> {
    let resp = Response::empty()?.with_status(204);
    api_headers(resp.headers())?;
    Ok(resp)
}
