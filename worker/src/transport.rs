//! `mtasts::Transport` for the Worker: DNS over HTTPS with `fetch` (answers cached by TTL with the
//! Workers Cache API) and the policy fetch by RFC 8461 §3.3 (redirects never followed, no HTTP
//! cache, 64 KiB cap, time-out).

use std::time::Duration;

use futures::future::{select, Either};
use futures::StreamExt as _;
use mtasts::observe::dns::{decode_response, encode_query, DNS_MESSAGE};
use mtasts::observe::evidence::{
    DnsLookup, ErrorKind, LookupError, PolicyFetch, Rcode, RecordType,
};
use mtasts::observe::fetch::{Next, REQUEST_HEADERS};
use worker::{
    Cache, CacheMode, Date, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
    Response,
};

use crate::config::Config;

pub(crate) struct WorkerTransport {
    config: Config,
}

/// Races `fut` against a delay.
pub(crate) async fn within<T>(d: Duration, fut: impl std::future::Future<Output = T>) -> Option<T> {
    let fut = std::pin::pin!(fut);
    match select(fut, Delay::from(d)).await {
        Either::Left((v, _)) => Some(v),
        Either::Right(_) => None,
    }
}

fn now_ms() -> u64 {
    Date::now().as_millis()
}

fn elapsed(start: u64) -> Option<u32> {
    u32::try_from(now_ms().saturating_sub(start)).ok()
}

/// The error kind of a failed `fetch`, from workerd's message.
fn classify(msg: &str) -> ErrorKind {
    let m = msg.to_ascii_lowercase();
    if m.contains("expired") || m.contains("not yet valid") {
        ErrorKind::CertificateExpired
    } else if m.contains("hostname") || m.contains("mismatch") || m.contains("does not match") {
        ErrorKind::CertificateName
    } else if m.contains("not trusted")
        || m.contains("issuer")
        || m.contains("self signed")
        || m.contains("self-signed")
        || m.contains("certificate")
    {
        ErrorKind::CertificateUntrusted
    } else if m.contains("internal error") {
        // workerd says only "internal error" (its log has the reason: often a failed certificate
        // check, but it may be the platform's own fault): nothing observed about the domain.
        ErrorKind::CheckerSide
    } else if m.contains("tls") || m.contains("ssl") || m.contains("handshake") {
        // Plain connection failures read "Network connection lost".
        ErrorKind::Tls
    } else if m.contains("resolve")
        || m.contains("dns")
        || m.contains("getaddrinfo")
        || m.contains("not found")
    {
        ErrorKind::Dns
    } else {
        ErrorKind::Network
    }
}

/// The Cache API key of a DNS answer: a URL under a reserved name holding the resolver, the type
/// and the query name **hex-encoded**, a lossless encoding that URL parsing cannot reinterpret.
/// Names come from the checked domain's own zone (MX exchanges), so `#`, `/`, `?`, `%`, `..` or a
/// TAB in a label must never make one query's answer serve another's (the old key used the name
/// as it was, and URL parsing folded such names together).
fn cache_key(doh_url: &str, name: &str, qtype: RecordType) -> String {
    let resolver: u32 = doh_url.bytes().fold(2_166_136_261, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let hex = hex(name.as_bytes());
    format!(
        "https://dns-cache.mtasts.invalid/{resolver:08x}/{}/{hex}",
        qtype.code()
    )
}

/// Lower-case hex of `bytes`: the lossless encoding of names in cache keys.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cached answer is used only for exactly the query asked (a second guard beside the key).
fn answers(l: &DnsLookup, name: &str, qtype: RecordType) -> bool {
    l.qtype == qtype
        && l.name
            .trim_end_matches('.')
            .eq_ignore_ascii_case(name.trim_end_matches('.'))
}

/// How long an answer may be cached, in seconds: the least TTL of its records, at most an hour;
/// a minute for NODATA and NXDOMAIN; never for a failure, a SERVFAIL or a zero TTL.
fn cache_ttl(l: &DnsLookup) -> Option<u32> {
    if l.error.is_some() {
        return None;
    }
    let ttl = match l.rcode {
        Some(Rcode::NoError) if !l.answers.is_empty() => {
            l.answers.iter().map(|a| a.ttl).min().unwrap_or(0).min(3600)
        }
        Some(Rcode::NoError | Rcode::NxDomain) => 60,
        _ => return None,
    };
    (ttl > 0).then_some(ttl)
}

impl WorkerTransport {
    pub(crate) fn new(config: Config) -> Self {
        WorkerTransport { config }
    }

    fn cache_key(&self, name: &str, qtype: RecordType) -> String {
        cache_key(&self.config.doh_url, name, qtype)
    }

    async fn cached(&self, key: &str) -> Option<DnsLookup> {
        let mut resp = Cache::default().get(key, true).await.ok()??;
        resp.json::<DnsLookup>().await.ok()
    }

    async fn store(&self, key: &str, l: &DnsLookup) {
        let Some(ttl) = cache_ttl(l) else {
            return;
        };
        let Ok(resp) = Response::from_json(l) else {
            return;
        };
        let _ = resp
            .headers()
            .set("Cache-Control", &format!("public, max-age={ttl}"));
        let _ = Cache::default().put(key, resp).await;
    }

    async fn doh(&self, name: &str, qtype: RecordType) -> Result<DnsLookup, (ErrorKind, String)> {
        // A name DNS cannot carry is refused before any request, never cut to fit.
        let query = encode_query(name, qtype).map_err(|e| (ErrorKind::Other, e.to_string()))?;
        let headers = Headers::new();
        let _ = headers.set("Content-Type", DNS_MESSAGE);
        let _ = headers.set("Accept", DNS_MESSAGE);
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(query.into()));
        let req = Request::new_with_init(&self.config.doh_url, &init)
            .map_err(|e| (ErrorKind::Other, e.to_string()))?;
        let mut resp = Fetch::Request(req)
            .send()
            .await
            .map_err(|e| (ErrorKind::Network, e.to_string()))?;
        if resp.status_code() != 200 {
            return Err((
                ErrorKind::BadResponse,
                format!("the DoH server answered HTTP {}", resp.status_code()),
            ));
        }
        let body = resp
            .bytes()
            .await
            .map_err(|e| (ErrorKind::Network, e.to_string()))?;
        decode_response(name, qtype, &body).map_err(|e| (ErrorKind::BadResponse, e.to_string()))
    }

    async fn fetch_into(
        &self,
        url: &str,
        out: &mut PolicyFetch,
    ) -> Result<(), (ErrorKind, String)> {
        let headers = Headers::new();
        for (name, value) in REQUEST_HEADERS {
            let _ = headers.set(name, value);
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Get)
            .with_headers(headers)
            .with_redirect(RequestRedirect::Manual);
        init.cache = Some(CacheMode::NoStore);
        let req =
            Request::new_with_init(url, &init).map_err(|e| (ErrorKind::Other, e.to_string()))?;
        let mut resp = Fetch::Request(req).send().await.map_err(|e| {
            let m = e.to_string();
            let kind = classify(&m);
            let m = if kind == ErrorKind::CheckerSide {
                format!("the edge platform reported only \"{m}\" and not why (often the policy host's certificate is invalid for the name, expired or untrusted); check from elsewhere, e.g. with `mtasts check`")
            } else {
                m
            };
            (kind, m)
        })?;
        // Cloudflare answers for an origin whose TLS failed: 525 handshake failed, 526 invalid certificate.
        match resp.status_code() {
            525 => {
                return Err((
                    ErrorKind::Tls,
                    "the TLS handshake with the policy host failed (HTTP 525 from the edge)".into(),
                ))
            }
            526 => {
                return Err((
                    ErrorKind::CertificateUntrusted,
                    "the policy host's certificate is invalid (HTTP 526 from the edge)".into(),
                ))
            }
            _ => {}
        }
        if out.record_head(resp.status_code(), resp.headers().entries()) == Next::Stop {
            return Ok(());
        }
        let mut stream = resp
            .stream()
            .map_err(|e| (ErrorKind::Network, e.to_string()))?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| (ErrorKind::Network, e.to_string()))?;
            if !out.push_body(&chunk) {
                break;
            }
        }
        // An answer the platform made in the host's place says nothing about the domain.
        if let Some(why) = out.edge_answer() {
            return Err((ErrorKind::CheckerSide, why));
        }
        Ok(())
    }
}

impl mtasts::Transport for WorkerTransport {
    async fn query(&self, name: &str, qtype: RecordType) -> DnsLookup {
        let start = now_ms();
        let key = self.cache_key(name, qtype);
        if self.config.dns_cache {
            if let Some(mut l) = self.cached(&key).await.filter(|l| answers(l, name, qtype)) {
                l.elapsed_ms = Some(0);
                return l;
            }
        }
        let mut l = match within(self.config.dns_timeout, self.doh(name, qtype)).await {
            Some(Ok(l)) => l,
            Some(Err((kind, msg))) => DnsLookup::failed(name, qtype, kind, msg),
            None => DnsLookup::failed(
                name,
                qtype,
                ErrorKind::Timeout,
                format!(
                    "no answer within {} ms",
                    self.config.dns_timeout.as_millis()
                ),
            ),
        };
        l.elapsed_ms = elapsed(start);
        if self.config.dns_cache && l.error.is_none() {
            self.store(&key, &l).await;
        }
        l
    }

    async fn fetch_policy(&self, domain: &str) -> PolicyFetch {
        let start = now_ms();
        let url = self.config.policy_url_template.replace("{domain}", domain);
        let mut out = PolicyFetch::new(url.clone());
        match within(self.config.fetch_timeout, self.fetch_into(&url, &mut out)).await {
            Some(Ok(())) => {}
            Some(Err((kind, message))) => out.error = Some(LookupError { kind, message }),
            None => {
                out.error = Some(LookupError {
                    kind: ErrorKind::Timeout,
                    message: format!(
                        "no complete response within {} s",
                        self.config.fetch_timeout.as_secs()
                    ),
                })
            }
        }
        out.elapsed_ms = elapsed(start);
        out
    }

    fn now(&self) -> u64 {
        now_ms() / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mtasts::observe::evidence::{DnsRecord, RecordData};

    #[test]
    fn fetch_errors_are_classified_by_workerd_message() {
        for (msg, kind) in [
            ("certificate has expired", ErrorKind::CertificateExpired),
            ("Hostname mismatch", ErrorKind::CertificateName),
            (
                "self signed certificate in certificate chain",
                ErrorKind::CertificateUntrusted,
            ),
            ("internal error", ErrorKind::CheckerSide),
            ("TLS handshake failed", ErrorKind::Tls),
            ("getaddrinfo ENOTFOUND", ErrorKind::Dns),
            ("Network connection lost.", ErrorKind::Network),
        ] {
            assert_eq!(classify(msg), kind, "{msg}");
        }
    }

    fn lookup(rcode: Rcode, ttls: &[u32]) -> DnsLookup {
        let answers = ttls
            .iter()
            .map(|&ttl| DnsRecord {
                ttl,
                data: RecordData::Txt {
                    strings: vec!["x".into()],
                },
            })
            .collect();
        DnsLookup {
            rcode: Some(rcode),
            ..DnsLookup::answered("a.test", RecordType::TXT, answers)
        }
    }

    #[test]
    fn cache_rule() {
        assert_eq!(cache_ttl(&lookup(Rcode::NoError, &[300, 120])), Some(120));
        assert_eq!(cache_ttl(&lookup(Rcode::NoError, &[86_400])), Some(3600));
        assert_eq!(cache_ttl(&lookup(Rcode::NoError, &[0])), None);
        assert_eq!(cache_ttl(&lookup(Rcode::NoError, &[])), Some(60));
        assert_eq!(cache_ttl(&lookup(Rcode::NxDomain, &[])), Some(60));
        assert_eq!(cache_ttl(&lookup(Rcode::ServFail, &[])), None);
        let failed = DnsLookup::failed("a.test", RecordType::TXT, ErrorKind::Timeout, "slow");
        assert_eq!(cache_ttl(&failed), None);
    }

    /// Label bytes that URL parsing would reinterpret: no two different queries share a key.
    #[test]
    fn no_two_queries_share_a_cache_key() {
        let names = [
            "a.test",
            "a.test.",
            "A.TEST",
            "a#b.test",
            "a.test#x",
            "a/b.test",
            "a?b.test",
            "a%62.test",
            "ab.test",
            "a..test",
            "a.test/..",
            "a\tb.test",
            "a b.test",
            "a.test%2e",
            "a.test/",
            "_25._tcp.mx1.a.test",
            "_25._tcp.mx1.a.test/../../b.test",
        ];
        let mut seen = std::collections::HashMap::new();
        for n in names {
            for t in [RecordType::TXT, RecordType::TLSA] {
                let key = cache_key("https://r/dns-query", n, t);
                // What the key means once parsed as a URL is the key itself.
                assert!(
                    !key.contains(['#', '?', '%', ' ', '\t']) && !key.contains(".."),
                    "{key}"
                );
                let same = n.trim_end_matches('.').to_ascii_lowercase();
                if let Some(prev) = seen.insert(key.clone(), (same.clone(), t)) {
                    assert_eq!(prev, (same, t), "{n:?} shares {key} with {prev:?}");
                }
            }
        }
        // A cached answer for another name or type is not used.
        let l = DnsLookup::answered("a.test", RecordType::TXT, vec![]);
        assert!(answers(&l, "A.test.", RecordType::TXT));
        assert!(!answers(&l, "a#b.test", RecordType::TXT));
        assert!(!answers(&l, "a.test", RecordType::MX));
    }

    #[test]
    fn cache_keys_hold_the_resolver_type_and_name() {
        let k = cache_key("https://r1/dns-query", "a.test", RecordType::TXT);
        assert!(k.starts_with("https://dns-cache.mtasts.invalid/"));
        assert_ne!(
            k,
            cache_key("https://r2/dns-query", "a.test", RecordType::TXT)
        );
        assert_ne!(
            k,
            cache_key("https://r1/dns-query", "a.test", RecordType::MX)
        );
        assert_ne!(
            k,
            cache_key("https://r1/dns-query", "b.test", RecordType::TXT)
        );
    }
}
