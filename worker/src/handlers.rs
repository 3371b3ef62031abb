//! Route handlers: health, evidence, report.

use mtasts::observe::evidence::LookupStatus;
use mtasts::{Evidence, InputRules};
use worker::{Request, Response, Result, RouteContext};

use crate::config::Config;
use crate::respond;
use crate::transport::WorkerTransport;

/// Requests per client per period are limited by the `RATE_LIMITER` binding (wrangler.toml).
const RETRY_AFTER_SECONDS: &str = "60";

pub(crate) async fn health(_req: Request, _ctx: RouteContext<Config>) -> Result<Response> {
    respond::json(
        &serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "schema_version": mtasts::SCHEMA_VERSION}),
        200,
    )
}

pub(crate) async fn evidence(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    match gather_for(&req, &ctx).await? {
        Ok(ev) => respond::json(&ev, 200),
        Err(resp) => Ok(resp),
    }
}

/// The MX lookup alone (the generator fills its MX hosts from it): one DNS query.
pub(crate) async fn mx(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let domain = match admit(&req, &ctx).await? {
        Ok(d) => d,
        Err(resp) => return Ok(resp),
    };
    let transport = WorkerTransport::new(ctx.data.clone());
    let lookup = mtasts::Transport::query(
        &transport,
        &domain,
        mtasts::observe::evidence::RecordType::MX,
    )
    .await;
    if let LookupStatus::Failed(..) = lookup.status() {
        if lookup.rcode.is_none() {
            let timed_out = lookup
                .error
                .as_ref()
                .is_some_and(|e| e.kind == mtasts::observe::evidence::ErrorKind::Timeout);
            let (status, code) = if timed_out {
                (504, "upstream-timeout")
            } else {
                (502, "upstream-error")
            };
            return respond::error(
                status,
                code,
                "the DNS resolver did not answer; try again shortly",
            );
        }
    }
    respond::json(&lookup, 200)
}

pub(crate) async fn report(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    match gather_for(&req, &ctx).await? {
        Ok(ev) => {
            let report = mtasts::assess(&ev);
            respond::json(&serde_json::json!({"evidence": ev, "report": report}), 200)
        }
        Err(resp) => Ok(resp),
    }
}

/// Rate limit and validate the input, before any upstream request: the domain to look up, or the
/// response that refuses.
async fn admit(
    req: &Request,
    ctx: &RouteContext<Config>,
) -> Result<std::result::Result<String, Response>> {
    if let Ok(limiter) = ctx.env.rate_limiter("RATE_LIMITER") {
        let client = req
            .headers()
            .get("CF-Connecting-IP")?
            .unwrap_or_else(|| "anonymous".to_owned());
        if !limiter.limit(client).await?.success {
            let resp = respond::error(
                429,
                "rate-limited",
                "too many checks from your address; try again in a minute",
            )?;
            resp.headers().set("Retry-After", RETRY_AFTER_SECONDS)?;
            return Ok(Err(resp));
        }
    }
    let url = req.url()?;
    let Some(input) = url
        .query_pairs()
        .find(|(k, _)| k == "domain")
        .map(|(_, v)| v.into_owned())
    else {
        return Ok(Err(respond::error(
            400,
            "missing-domain",
            "add ?domain=example.com",
        )?));
    };
    let config = &ctx.data;
    let domain = match mtasts::normalize_domain(
        &input,
        InputRules {
            allow_test: config.fixture_mode,
        },
    ) {
        Ok(d) => d,
        Err(e) => return Ok(Err(respond::error(400, "bad-domain", &e.to_string())?)),
    };
    Ok(Ok(domain))
}

/// Admit, then gather.
async fn gather_for(
    req: &Request,
    ctx: &RouteContext<Config>,
) -> Result<std::result::Result<Evidence, Response>> {
    let domain = match admit(req, ctx).await? {
        Ok(d) => d,
        Err(resp) => return Ok(Err(resp)),
    };
    let config = &ctx.data;
    let transport = WorkerTransport::new(config.clone());
    let ev = mtasts::gather(&transport, &domain).await;
    // Nothing was observed at all: the resolver itself is unreachable.
    let lookups = [&ev.sts_txt, &ev.mx, &ev.tlsrpt_txt];
    if lookups
        .iter()
        .all(|l| matches!(l.status(), LookupStatus::Failed(..)))
    {
        let timed_out = lookups.iter().all(|l| {
            l.error
                .as_ref()
                .is_some_and(|e| e.kind == mtasts::observe::evidence::ErrorKind::Timeout)
        });
        let (status, code) = if timed_out {
            (504, "upstream-timeout")
        } else {
            (502, "upstream-error")
        };
        return Ok(Err(respond::error(
            status,
            code,
            "the DNS resolver did not answer; try again shortly",
        )?));
    }
    Ok(Ok(ev))
}
