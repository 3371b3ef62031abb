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
}

pub(crate) const DEFAULT_DOH: &str = "https://cloudflare-dns.com/dns-query";
pub(crate) const DEFAULT_TEMPLATE: &str = "https://mta-sts.{domain}/.well-known/mta-sts.txt";

impl Config {
    pub(crate) fn from_env(env: &Env) -> Self {
        let var = |name: &str| {
            env.var(name)
                .ok()
                .map(|v| v.to_string())
                .filter(|v| !v.trim().is_empty())
        };
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
        }
    }
}
