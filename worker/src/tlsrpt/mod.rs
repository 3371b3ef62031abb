//! TLS-RPT destinations for monitor subscriptions (issue 24): a domain points its `rua` at
//! `https://<host>/api/tlsrpt/<token>` (RFC 8460 §3: an HTTPS POST of `application/tlsrpt+gzip`
//! or `+json`) or at `mailto:<token>@<TLSRPT_MAIL_DOMAIN>` (a Cloudflare Email Worker), and the
//! reports are read by the crate's tolerant reader (`mtasts::reports`), kept size-bounded in D1
//! and summarised per day, policy, result type, MX and sender (`migrations/0003_tlsrpt.sql`).
//!
//! - [`ingest`]: one report body → decoded, read, stored once (`report-id`), summarised.
//! - [`http`]: `POST /api/tlsrpt/:token`, `GET`/`POST /api/monitor/:id/tlsrpt`, the bench route.
//! - [`mail`]: the `email` event.
//! - [`alerts`]: after each report, one signed alert when it breaks and one when it is resolved.
//! - [`summary`]: the stored summary as the JSON contract the `/monitor` page reads.
//!
//! The token is derived, never stored: the subscription id's 24 hex digits, `-`, and 128 bits
//! of HMAC-SHA256 of `MONITOR_SECRET` over the id; the receiver recomputes and compares it.

pub(crate) mod alerts;
pub(crate) mod http;
pub(crate) mod ingest;
pub(crate) mod mail;
pub(crate) mod summary;

use worker::Env;

use crate::monitor::secrets;

/// Where reports are posted (`/api/tlsrpt/<token>`).
pub(crate) const PATH_PREFIX: &str = "/api/tlsrpt/";
/// The variable naming the mail domain of the `mailto:` destinations (Email Routing sends every
/// address of it to this Worker); unset: no `mailto:` destination is offered.
pub(crate) const MAIL_DOMAIN_VAR: &str = "TLSRPT_MAIL_DOMAIN";

/// The destination token of subscription `id` (`sub_` and 24 hex digits).
pub(crate) fn token(secret: &str, id: &str) -> Option<String> {
    let hex = id.strip_prefix("sub_")?;
    let mac = secrets::hmac(secret.as_bytes(), &[b"mtasts-tlsrpt-token", id.as_bytes()]);
    Some(format!("{hex}-{}", crate::transport::hex(&mac[..16])))
}

/// The subscription id a token names, when the token is genuine (compared in constant time).
pub(crate) fn subscription_of(secret: &str, token: &str) -> Option<String> {
    let token = token.trim().to_ascii_lowercase();
    if !mtasts::records::tlsrpt::is_mtasts_token(&token) {
        return None;
    }
    let (hex, _) = token.split_once('-')?;
    let id = format!("sub_{hex}");
    let want = self::token(secret, &id)?;
    secrets::constant_eq(want.as_bytes(), token.as_bytes()).then_some(id)
}

/// The token in a recipient address: its local part, or the local part's last `+` sub-address.
pub(crate) fn token_of_address(address: &str) -> Option<&str> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, _) = address.rsplit_once('@')?;
    local.rsplit('+').next()
}

/// The mail domain of the `mailto:` destinations, if the operator set one.
pub(crate) fn mail_domain(env: &Env) -> Option<String> {
    env.var(MAIL_DOMAIN_VAR)
        .ok()
        .map(|v| v.to_string().trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
}

/// A subscription's destinations and the `_smtp._tls` record to publish.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Destinations {
    pub(crate) https: String,
    pub(crate) mailto: Option<String>,
    pub(crate) record_name: String,
    pub(crate) record_value: String,
}

/// The destinations of subscription `id` of `domain`, served from `origin`.
pub(crate) fn destinations(
    secret: &str,
    id: &str,
    domain: &str,
    origin: &str,
    mail_domain: Option<&str>,
) -> Option<Destinations> {
    let token = token(secret, id)?;
    let https = format!("{origin}{PATH_PREFIX}{token}");
    let mailto = mail_domain.map(|m| format!("mailto:{token}@{m}"));
    let rua = std::iter::once(https.as_str())
        .chain(mailto.as_deref())
        .collect::<Vec<_>>()
        .join(",");
    Some(Destinations {
        record_name: format!("_smtp._tls.{domain}"),
        record_value: format!("v=TLSRPTv1; rua={rua}"),
        https,
        mailto,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_derived_checked_and_recognised_by_the_checker() {
        let id = "sub_0123456789abcdef01234567";
        let t = token("s3cret", id).expect("token");
        assert_eq!(t.len(), 24 + 1 + 32);
        assert_eq!(subscription_of("s3cret", &t).as_deref(), Some(id));
        assert_eq!(
            subscription_of("s3cret", &t.to_uppercase()).as_deref(),
            Some(id)
        );
        assert_eq!(subscription_of("other", &t), None);
        let mut forged = t.clone();
        forged.replace_range(30..31, if &t[30..31] == "0" { "1" } else { "0" });
        assert_eq!(subscription_of("s3cret", &forged), None);
        assert_eq!(subscription_of("s3cret", "sub_x"), None);
        assert_eq!(token("s3cret", "nope"), None);
        let d = destinations(
            "s3cret",
            id,
            "a.test",
            "https://m.example",
            Some("r.m.example"),
        )
        .expect("destinations");
        assert_eq!(d.record_name, "_smtp._tls.a.test");
        assert_eq!(
            d.record_value,
            format!("v=TLSRPTv1; rua=https://m.example/api/tlsrpt/{t},mailto:{t}@r.m.example")
        );
        let check = mtasts::records::tlsrpt::check_tlsrpt(&[&d.record_value]);
        let codes: Vec<&str> = check.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["tlsrpt-rua-mtasts", "tlsrpt-rua-mtasts"]);
        assert_eq!(token_of_address(&format!("<{t}@r.m.example>")), Some(&*t));
        assert_eq!(
            token_of_address(&format!("tlsrpt+{t}@r.m.example")),
            Some(&*t)
        );
        assert_eq!(token_of_address("nobody"), None);
    }
}
