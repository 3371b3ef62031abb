//! Route handlers: health, evidence, report, mx. Each returns its value or an [`ApiError`];
//! `respond` turns either into the response.

use mtasts::api::{ApiError, Checked};
use mtasts::observe::evidence::RecordType;
use mtasts::{Evidence, InputRules};
use worker::{Request, Response, Result, RouteContext};

use crate::config::Config;
use crate::respond;
use crate::transport::WorkerTransport;

pub(crate) async fn health(_req: Request, _ctx: RouteContext<Config>) -> Result<Response> {
    respond::json(
        &serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "schema_version": mtasts::SCHEMA_VERSION}),
        200,
    )
}

pub(crate) async fn evidence(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    respond::outcome(gather_for(&req, &ctx).await?)
}

pub(crate) async fn report(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    respond::outcome(gather_for(&req, &ctx).await?.map(Checked::assess))
}

/// The MX lookup alone (the generator fills its MX hosts from it): one DNS query.
pub(crate) async fn mx(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let domain = match admit(&req, &ctx).await? {
        Ok(d) => d,
        Err(e) => return respond::error(&e),
    };
    let transport = WorkerTransport::new(ctx.data.clone());
    let lookup = mtasts::Transport::query(&transport, &domain, RecordType::MX).await;
    respond::outcome(match ApiError::from_silent_resolver(&[&lookup]) {
        Some(e) => Err(e),
        None => Ok(lookup),
    })
}

/// Rate limit and validate the input, before any upstream request: the domain to look up, or why
/// not.
async fn admit(
    req: &Request,
    ctx: &RouteContext<Config>,
) -> Result<std::result::Result<String, ApiError>> {
    if let Ok(limiter) = ctx.env.rate_limiter("RATE_LIMITER") {
        let client = req
            .headers()
            .get("CF-Connecting-IP")?
            .unwrap_or_else(|| "anonymous".to_owned());
        if !limiter.limit(client).await?.success {
            return Ok(Err(ApiError::RateLimited));
        }
    }
    let url = req.url()?;
    let Some(input) = url
        .query_pairs()
        .find(|(k, _)| k == "domain")
        .map(|(_, v)| v.into_owned())
    else {
        return Ok(Err(ApiError::MissingDomain));
    };
    let rules = InputRules {
        allow_test: ctx.data.fixture_mode,
    };
    Ok(mtasts::normalize_domain(&input, rules).map_err(|e| ApiError::BadDomain(e.to_string())))
}

/// Admit, then gather; an error when the resolver itself answered nothing at all.
async fn gather_for(
    req: &Request,
    ctx: &RouteContext<Config>,
) -> Result<std::result::Result<Evidence, ApiError>> {
    let domain = match admit(req, ctx).await? {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let transport = WorkerTransport::new(ctx.data.clone());
    let ev = mtasts::gather(&transport, &domain).await;
    Ok(
        match ApiError::from_silent_resolver(&[&ev.sts_txt, &ev.mx, &ev.tlsrpt_txt]) {
            Some(e) => Err(e),
            None => Ok(ev),
        },
    )
}
