//! Operator configuration from `wrangler.toml` `[vars]`; never influenced by a request.

use std::time::Duration;

use worker::Env;

/// The Worker's settings.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// RFC 8484 endpoint (`DOH_URL`).
    pub(crate) doh_url: String,
    /// Where the policy is fetched from (`POLICY_URL_TEMPLATE`, `{domain}` replaced). Only for
    /// pointing tests at the fixture internet; the default is the RFC's URL.
    pub(crate) policy_url_template: String,
    /// Time-out of one DNS query (`DNS_TIMEOUT_MS`).
    pub(crate) dns_timeout: Duration,
    /// Time-out of the policy fetch (`FETCH_TIMEOUT_MS`).
    pub(crate) fetch_timeout: Duration,
    /// Allow `.test` names (`FIXTURE_MODE=1`), for the fixture internet only.
    pub(crate) fixture_mode: bool,
    /// Use the Cache API for DNS answers (`DNS_CACHE`, default on).
    pub(crate) dns_cache: bool,
    /// How long one domain's Evidence is served from the edge cache (`EVIDENCE_CACHE_SECONDS`,
    /// default 60; 0 turns it off), so a popular page embedding the widget for one domain does
    /// not make the Worker fetch that domain's policy on every view.
    pub(crate) evidence_cache_seconds: u32,
    /// Check without a `RATE_LIMITER` binding (`ALLOW_NO_RATE_LIMIT=1`, for development only);
    /// otherwise a missing binding fails closed: every check is refused with 503.
    pub(crate) allow_no_rate_limit: bool,
    /// Serve `POST /api/bench/report` (`BENCH_ROUTE=1`, for `scripts/bench-worker.sh` only): the
    /// Worker's own work for N reports replayed from a posted Evidence, with no I/O, so the
    /// workerd process's CPU time over it is the Worker's CPU time per report.
    pub(crate) bench_route: bool,
    /// The operator's secret the monitor's DNS tokens and unsubscribe links derive from
    /// (`MONITOR_SECRET`, a Worker secret); without it the monitor API answers 503.
    pub(crate) monitor_secret: Option<String>,
    /// The first delay before a failed webhook delivery is tried again, doubled each attempt
    /// (`MONITOR_RETRY_SECONDS`, default 60).
    pub(crate) monitor_retry_seconds: u32,
    /// Where the site is served (`PUBLIC_ORIGIN`), for the links in alerts.
    pub(crate) public_origin: String,
    /// The cron that re-reads pending tokens (`MONITOR_VERIFY_CRON`); any other cron is a run.
    pub(crate) verify_cron: String,
    /// Serve `POST /api/monitor/test/enqueue` (`MONITOR_TEST_ROUTES=1`, for the end-to-end
    /// tests only): puts a check message on the real queue, so a test can deliver one message
    /// twice as a queue may.
    pub(crate) monitor_test_routes: bool,
    /// How long runs, finished deliveries, ended subscriptions and unwatched baselines are
    /// kept (`MONITOR_RETENTION_DAYS`, default 90, 1 to 3650).
    pub(crate) monitor_retention_days: u32,
    /// The most rows of one table one prune message deletes (`MONITOR_PRUNE_BATCH`, default
    /// 1000, 1 to 10000).
    pub(crate) monitor_prune_batch: u32,
}

pub(crate) const DEFAULT_DOH: &str = "https://cloudflare-dns.com/dns-query";
pub(crate) const DEFAULT_TEMPLATE: &str = "https://mta-sts.{domain}/.well-known/mta-sts.txt";

impl Config {
    pub(crate) fn from_env(env: &Env) -> Self {
        Config::from_vars(|name| env.var(name).ok().map(|v| v.to_string()))
    }

    /// The settings from variables by name (an empty value counts as unset); what is missing or
    /// unusable takes its default.
    pub(crate) fn from_vars(get: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let ms = |name: &str, default: u64| {
            Duration::from_millis(var(name).and_then(|v| v.parse().ok()).unwrap_or(default))
        };
        let template = var("POLICY_URL_TEMPLATE")
            .filter(|t| t.contains("{domain}") && t.starts_with("https://"))
            .unwrap_or_else(|| DEFAULT_TEMPLATE.to_owned());
        Config {
            doh_url: var("DOH_URL").unwrap_or_else(|| DEFAULT_DOH.to_owned()),
            policy_url_template: template,
            dns_timeout: ms("DNS_TIMEOUT_MS", 5_000),
            fetch_timeout: ms("FETCH_TIMEOUT_MS", 10_000),
            fixture_mode: var("FIXTURE_MODE").is_some_and(|v| v == "1" || v == "true"),
            dns_cache: var("DNS_CACHE").is_none_or(|v| v != "0" && v != "false"),
            evidence_cache_seconds: var("EVIDENCE_CACHE_SECONDS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(60)
                .min(3600),
            allow_no_rate_limit: var("ALLOW_NO_RATE_LIMIT")
                .is_some_and(|v| v == "1" || v == "true"),
            bench_route: var("BENCH_ROUTE").is_some_and(|v| v == "1" || v == "true"),
            // Shorter than 16 characters is no secret.
            monitor_secret: var("MONITOR_SECRET").filter(|s| s.len() >= 16),
            monitor_retry_seconds: var("MONITOR_RETRY_SECONDS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(60)
                .clamp(1, 3600),
            public_origin: var("PUBLIC_ORIGIN")
                .map(|o| o.trim_end_matches('/').to_owned())
                .unwrap_or_else(|| "https://mtasts.example".to_owned()),
            monitor_test_routes: var("MONITOR_TEST_ROUTES")
                .is_some_and(|v| v == "1" || v == "true"),
            verify_cron: var("MONITOR_VERIFY_CRON").unwrap_or_else(|| "*/15 * * * *".to_owned()),
            monitor_retention_days: var("MONITOR_RETENTION_DAYS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(90)
                .clamp(1, 3650),
            monitor_prune_batch: var("MONITOR_PRUNE_BATCH")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1000)
                .clamp(1, 10_000),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        Config::from_vars(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn defaults() {
        let c = config(&[]);
        assert_eq!(c.doh_url, DEFAULT_DOH);
        assert_eq!(c.policy_url_template, DEFAULT_TEMPLATE);
        assert_eq!(c.dns_timeout, Duration::from_millis(5_000));
        assert_eq!(c.fetch_timeout, Duration::from_millis(10_000));
        assert!(!c.fixture_mode);
        assert!(c.dns_cache);
        assert_eq!(c.evidence_cache_seconds, 60);
        assert!(!c.bench_route, "the bench route is off unless asked for");
        assert!(c.monitor_secret.is_none(), "no secret: the monitor is off");
        assert!(
            !c.monitor_test_routes,
            "the test route is off unless asked for"
        );
        assert_eq!(c.monitor_retry_seconds, 60);
        assert_eq!(c.monitor_retention_days, 90);
        assert_eq!(c.monitor_prune_batch, 1000);
        assert_eq!(
            config(&[("MONITOR_RETENTION_DAYS", "0")]).monitor_retention_days,
            1
        );
        assert!(config(&[("MONITOR_SECRET", "short")])
            .monitor_secret
            .is_none());
        assert!(config(&[("MONITOR_SECRET", "0123456789abcdef")])
            .monitor_secret
            .is_some());
        assert!(
            !c.allow_no_rate_limit,
            "a missing rate limiter fails closed by default"
        );
    }

    #[test]
    fn variables_and_what_is_refused() {
        let c = config(&[
            ("DOH_URL", "http://127.0.0.1:8053/dns-query"),
            (
                "POLICY_URL_TEMPLATE",
                "https://mta-sts.{domain}:8443/.well-known/mta-sts.txt",
            ),
            ("DNS_TIMEOUT_MS", "2000"),
            ("FETCH_TIMEOUT_MS", "soon"),
            ("FIXTURE_MODE", "1"),
            ("DNS_CACHE", "0"),
        ]);
        assert_eq!(c.doh_url, "http://127.0.0.1:8053/dns-query");
        assert!(c.policy_url_template.contains(":8443"));
        assert_eq!(c.dns_timeout, Duration::from_millis(2_000));
        assert_eq!(
            c.fetch_timeout,
            Duration::from_millis(10_000),
            "not a number: default"
        );
        assert!(c.fixture_mode);
        assert!(!c.dns_cache);
        // A template without {domain}, or not https, would fetch a URL of someone's choosing.
        for t in [
            "https://evil.example/x",
            "http://mta-sts.{domain}/.well-known/mta-sts.txt",
        ] {
            assert_eq!(
                config(&[("POLICY_URL_TEMPLATE", t)]).policy_url_template,
                DEFAULT_TEMPLATE
            );
        }
        assert!(!config(&[("FIXTURE_MODE", "yes")]).fixture_mode);
        assert!(config(&[("DNS_CACHE", " ")]).dns_cache, "blank is unset");
        assert_eq!(
            config(&[("EVIDENCE_CACHE_SECONDS", "0")]).evidence_cache_seconds,
            0
        );
        assert_eq!(
            config(&[("EVIDENCE_CACHE_SECONDS", "99999")]).evidence_cache_seconds,
            3600
        );
        assert!(config(&[("ALLOW_NO_RATE_LIMIT", "1")]).allow_no_rate_limit);
        assert!(!config(&[("ALLOW_NO_RATE_LIMIT", "yes please")]).allow_no_rate_limit);
    }
}
