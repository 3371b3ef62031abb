//! Route handlers: health, evidence, report, mx. Each returns its value or an [`ApiError`];
//! `respond` turns either into the response.

use mtasts::api::{ApiError, Checked};
use mtasts::observe::evidence::RecordType;
use mtasts::{Evidence, InputRules};
use std::net::IpAddr;

use worker::{Cache, Request, Response, Result, RouteContext};

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
    let (ev, hit) = match gather_for(&req, &ctx).await? {
        Ok(found) => found,
        Err(e) => return respond::error(&e),
    };
    cached(respond::json(&ev, 200)?, hit)
}

pub(crate) async fn report(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    let (ev, hit) = match gather_for(&req, &ctx).await? {
        Ok(found) => found,
        Err(e) => return respond::error(&e),
    };
    cached(respond::json(&Checked::assess(ev), 200)?, hit)
}

/// Where [`bench_report`] answers, when `BENCH_ROUTE=1`.
pub(crate) const BENCH_PATH: &str = "/api/bench/report";

/// The Worker's own work for `n` reports (query `n`, 1 to 10,000), replayed from the Evidence
/// posted as JSON: every DNS answer encoded and decoded in wire format, gathered, judged and
/// written as `/api/report`'s JSON — no I/O. Answers `{"reports": n, "bytes": …}`. Only served
/// when the operator sets `BENCH_ROUTE=1` (see [`Config::bench_route`]).
pub(crate) async fn bench_report(mut req: Request, _ctx: RouteContext<Config>) -> Result<Response> {
    let n = respond::bench_count(&req, 10_000)?;
    let ev: Evidence = match serde_json::from_slice(&req.bytes().await?) {
        Ok(ev) => ev,
        Err(e) => return respond::json(&serde_json::json!({"error": e.to_string()}), 400),
    };
    let replay = mtasts::observe::replay::Replay::new(&ev);
    let mut bytes = 0usize;
    for _ in 0..n {
        let ev = mtasts::gather(&replay, &ev.domain).await;
        bytes += serde_json::to_string(&Checked::assess(ev)).map_or(0, |j| j.len());
    }
    respond::json(&serde_json::json!({"reports": n, "bytes": bytes}), 200)
}

/// Says whether the Evidence came from the edge cache (`X-Evidence-Cache: hit` or `miss`).
fn cached(resp: Response, hit: bool) -> Result<Response> {
    resp.headers()
        .set("X-Evidence-Cache", if hit { "hit" } else { "miss" })?;
    Ok(resp)
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

/// The rate-limit key of a client address: an IPv4 address as it is, an IPv6 address by its /64
/// (one subscriber usually holds a whole /64, so per-address limits would not limit anyone).
pub(crate) fn client_key(address: Option<&str>) -> String {
    match address
        .map(str::trim)
        .and_then(|a| a.parse::<IpAddr>().ok())
    {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_owned(),
    }
}

/// The per-client rate limit: why the request is refused, if it is. Without a rate limiter the
/// Worker fails closed, unless development says otherwise.
pub(crate) async fn limited(req: &Request, ctx: &RouteContext<Config>) -> Result<Option<ApiError>> {
    match ctx.env.rate_limiter("RATE_LIMITER") {
        Ok(limiter) => {
            let client = client_key(req.headers().get("CF-Connecting-IP")?.as_deref());
            if !limiter.limit(client).await?.success {
                return Ok(Some(ApiError::RateLimited));
            }
        }
        Err(_) if ctx.data.allow_no_rate_limit => {}
        Err(_) => return Ok(Some(ApiError::Unavailable)),
    }
    Ok(None)
}

/// Rate limit and validate the input, before any upstream request: the domain to look up, or why
/// not. Without a rate limiter the Worker fails closed, unless development says otherwise.
async fn admit(
    req: &Request,
    ctx: &RouteContext<Config>,
) -> Result<std::result::Result<String, ApiError>> {
    if let Some(e) = limited(req, ctx).await? {
        return Ok(Err(e));
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

/// Admit, then gather (or take the edge's copy of a minute ago: `true`); an error when the
/// resolver itself answered nothing at all.
async fn gather_for(
    req: &Request,
    ctx: &RouteContext<Config>,
) -> Result<std::result::Result<(Evidence, bool), ApiError>> {
    match admit(req, ctx).await? {
        Ok(d) => gather_domain(ctx, &d).await,
        Err(e) => Ok(Err(e)),
    }
}

/// Gather `domain` (admitted already), or take the edge's copy of a minute ago (`true`).
async fn gather_domain(
    ctx: &RouteContext<Config>,
    domain: &str,
) -> Result<std::result::Result<(Evidence, bool), ApiError>> {
    let domain = domain.to_owned();
    let cache = EvidenceCache::new(&ctx.data, &domain);
    if let Some(ev) = cache.get().await {
        return Ok(Ok((ev, true)));
    }
    let transport = WorkerTransport::new(ctx.data.clone());
    let ev = mtasts::gather(&transport, &domain).await;
    Ok(
        match ApiError::from_silent_resolver(&[&ev.sts_txt, &ev.mx, &ev.tlsrpt_txt]) {
            Some(e) => Err(e),
            None => {
                cache.put(&ev).await;
                Ok((ev, false))
            }
        },
    )
}

/// One domain's Evidence at the edge for `evidence_cache_seconds`: however many pages show the
/// widget for a domain, its policy host sees at most one fetch a minute from each edge location.
struct EvidenceCache {
    key: String,
    seconds: u32,
}

impl EvidenceCache {
    fn new(config: &Config, domain: &str) -> Self {
        EvidenceCache {
            key: evidence_cache_key(domain),
            seconds: config.evidence_cache_seconds,
        }
    }

    async fn get(&self) -> Option<Evidence> {
        if self.seconds == 0 {
            return None;
        }
        let mut resp = Cache::default().get(&self.key, true).await.ok()??;
        resp.json::<Evidence>().await.ok()
    }

    async fn put(&self, ev: &Evidence) {
        if self.seconds == 0 {
            return;
        }
        let Ok(resp) = Response::from_json(ev) else {
            return;
        };
        let _ = resp.headers().set(
            "Cache-Control",
            &format!("public, max-age={}", self.seconds),
        );
        let _ = Cache::default().put(&self.key, resp).await;
    }
}

/// What `/api/feed` and `/badge` render.
#[derive(Clone, Copy)]
enum Rendered {
    Feed,
    Badge,
}

/// How long a rendered feed or badge is served from the edge cache (0 when the Evidence cache is
/// off, as in tests that need every request to look again).
const RENDER_CACHE_SECONDS: u32 = 300;

pub(crate) async fn feed(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    render(&req, &ctx, Rendered::Feed).await
}

pub(crate) async fn badge(req: Request, ctx: RouteContext<Config>) -> Result<Response> {
    render(&req, &ctx, Rendered::Badge).await
}

/// The feed or the badge of a domain: rate-limited like the API, cached at the edge for a few
/// minutes, stored nowhere else.
async fn render(req: &Request, ctx: &RouteContext<Config>, what: Rendered) -> Result<Response> {
    let domain = match admit(req, ctx).await? {
        Ok(d) => d,
        Err(e) => return respond::error(&e),
    };
    let seconds = if ctx.data.evidence_cache_seconds == 0 {
        0
    } else {
        RENDER_CACHE_SECONDS
    };
    let kind = match what {
        Rendered::Feed => "feed",
        Rendered::Badge => "badge",
    };
    let key = format!(
        "https://render-cache.mtasts.invalid/{kind}/v{}/{}",
        mtasts::SCHEMA_VERSION,
        crate::transport::hex(domain.as_bytes())
    );
    let content_type = match what {
        Rendered::Feed => "application/atom+xml; charset=utf-8",
        Rendered::Badge => "image/svg+xml; charset=utf-8",
    };
    if seconds > 0 {
        if let Ok(Some(mut hit)) = Cache::default().get(&key, true).await {
            // A cached response's headers are immutable: answer with a copy of its body.
            if let Ok(body) = hit.text().await {
                return rendered(body, content_type, seconds, "hit");
            }
        }
    }
    let (ev, _) = match gather_domain(ctx, &domain).await? {
        Ok(found) => found,
        Err(e) => return respond::error(&e),
    };
    let checked = Checked::assess(ev);
    let url = req.url()?;
    let origin = url.origin().ascii_serialization();
    let body = match what {
        Rendered::Feed => mtasts::monitor::atom_feed(&checked, &origin),
        Rendered::Badge => mtasts::monitor::badge_svg(&domain, checked.report.verdict),
    };
    let mut resp = rendered(body, content_type, seconds, "miss")?;
    if seconds > 0 {
        if let Ok(copy) = resp.cloned() {
            let _ = Cache::default().put(&key, copy).await;
        }
    }
    Ok(resp)
}

/// A feed or badge response with its headers.
fn rendered(body: String, content_type: &str, seconds: u32, cache: &str) -> Result<Response> {
    let resp = Response::ok(body)?;
    let h = resp.headers();
    h.set("Content-Type", content_type)?;
    h.set("Cache-Control", &format!("public, max-age={seconds}"))?;
    h.set("X-Content-Type-Options", "nosniff")?;
    h.set("Access-Control-Allow-Origin", "*")?;
    h.set(
        "Strict-Transport-Security",
        "max-age=31536000; includeSubDomains",
    )?;
    // Opened on its own, the SVG may style itself and nothing more.
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'",
    )?;
    h.set("X-Render-Cache", cache)?;
    Ok(resp)
}

/// The cache key of a domain's Evidence: the schema version and the (normalised) name hex-encoded,
/// under a reserved name, so URL parsing cannot fold two domains together.
fn evidence_cache_key(domain: &str) -> String {
    let hex = crate::transport::hex(domain.as_bytes());
    format!(
        "https://evidence-cache.mtasts.invalid/v{}/{hex}",
        mtasts::SCHEMA_VERSION
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_limited_per_64() {
        let k = |a: &str| client_key(Some(a));
        assert_eq!(k("2001:db8:1:2::1"), k("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assert_eq!(k("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_ne!(k("2001:db8:1:2::1"), k("2001:db8:1:3::1"));
        assert_eq!(k("198.51.100.7"), "198.51.100.7");
        assert_ne!(k("198.51.100.7"), k("198.51.100.8"));
        assert_eq!(k("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(client_key(None), "unknown");
        assert_eq!(k("not an address"), "unknown");
    }

    #[test]
    fn evidence_keys_are_lossless() {
        assert_ne!(evidence_cache_key("a.test"), evidence_cache_key("b.test"));
        let k = evidence_cache_key("a#b/../c.test");
        assert!(!k.contains(['#', '?', '%']) && !k.contains(".."), "{k}");
    }
}
