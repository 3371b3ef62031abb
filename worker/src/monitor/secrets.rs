//! The monitor's secrets: the DNS token (HMAC-SHA256 of the operator's `MONITOR_SECRET`, as the
//! IETF domain-control-validation draft recommends: random-looking, ≥128 bits, derived rather
//! than stored), the management key (random, stored only as its SHA-256), the signed
//! unsubscribe link, and Standard Webhooks 1.0 signatures (`whsec_` secrets).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `parts` (each followed by a NUL, so no two lists collide) under `key`.
pub(crate) fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC takes a key of any length.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0; 32],
    };
    for p in parts {
        mac.update(p);
        mac.update(&[0]);
    }
    mac.finalize().into_bytes().into()
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    crate::transport::hex(bytes)
}

/// The token subscription `id` publishes at `_mtasts-monitor.<domain>`: 160 bits of the HMAC,
/// hex (DNS TXT-safe, case-proof).
pub(crate) fn dns_token(secret: &str, id: &str, domain: &str) -> String {
    let mac = hmac(
        secret.as_bytes(),
        &[b"mtasts-monitor-token", id.as_bytes(), domain.as_bytes()],
    );
    hex(&mac[..20])
}

/// The TXT record value that proves control.
pub(crate) fn token_record(token: &str) -> String {
    format!("v=MTASTSMON1; token={token}")
}

/// Whether a TXT record's text carries `token` (`v=MTASTSMON1; token=…`, spaces and case of the
/// tag names tolerated).
pub(crate) fn record_has_token(text: &str, token: &str) -> bool {
    let mut version = false;
    let mut found = false;
    for part in text.split(';') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        match k.trim().to_ascii_lowercase().as_str() {
            "v" => version = v.trim() == "MTASTSMON1",
            "token" => found = v.trim().eq_ignore_ascii_case(token),
            _ => {}
        }
    }
    version && found
}

/// The signature of the unsubscribe link of subscription `id`.
pub(crate) fn unsubscribe_sig(secret: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(
        &hmac(
            secret.as_bytes(),
            &[b"mtasts-monitor-unsubscribe", id.as_bytes()],
        )[..18],
    )
}

/// Whether `sig` is the unsubscribe signature of `id` (compared in constant time).
pub(crate) fn unsubscribe_ok(secret: &str, id: &str, sig: &str) -> bool {
    constant_eq(unsubscribe_sig(secret, id).as_bytes(), sig.as_bytes())
}

/// The signature of the (read-only) Atom feed link of subscription `id`.
pub(crate) fn feed_sig(secret: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(&hmac(secret.as_bytes(), &[b"mtasts-monitor-feed", id.as_bytes()])[..18])
}

/// SHA-256 of a management key, hex: what is stored.
pub(crate) fn key_hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// Equal bytes, in time independent of where they differ.
pub(crate) fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `n` random bytes (the platform's CSPRNG); `None` if it failed.
pub(crate) fn random(n: usize) -> Option<Vec<u8>> {
    let mut v = vec![0u8; n];
    getrandom::getrandom(&mut v).ok()?;
    Some(v)
}

/// A new subscription id, management key and webhook secret (`whsec_` and 24 random bytes,
/// base64, as Standard Webhooks has them).
pub(crate) struct Fresh {
    pub(crate) id: String,
    pub(crate) key: String,
    pub(crate) webhook_secret: String,
}

impl Fresh {
    pub(crate) fn new() -> Option<Fresh> {
        Some(Fresh {
            id: format!("sub_{}", hex(&random(12)?)),
            key: format!("mk_{}", URL_SAFE_NO_PAD.encode(random(32)?)),
            webhook_secret: format!("whsec_{}", STANDARD.encode(random(24)?)),
        })
    }
}

/// The `webhook-signature` header of a Standard Webhooks 1.0 message: `v1,` and the base64
/// HMAC-SHA256, under the secret's base64-decoded bytes, of `id.timestamp.body`.
pub(crate) fn webhook_signature(
    whsec: &str,
    id: &str,
    timestamp: u64,
    body: &str,
) -> Option<String> {
    let key = STANDARD.decode(whsec.strip_prefix("whsec_")?).ok()?;
    let mut mac = HmacSha256::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification (and its reference libraries' tests).
    #[test]
    fn standard_webhooks_example() {
        let sig = webhook_signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            sig.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(webhook_signature("nope", "a", 1, ""), None);
    }

    #[test]
    fn tokens_are_derived_long_and_distinct() {
        let t = dns_token("s3cret", "sub_1", "a.test");
        assert_eq!(t.len(), 40, "160 bits, hex");
        assert_eq!(t, dns_token("s3cret", "sub_1", "a.test"));
        assert_ne!(t, dns_token("s3cret", "sub_2", "a.test"));
        assert_ne!(t, dns_token("s3cret", "sub_1", "b.test"));
        assert_ne!(t, dns_token("other", "sub_1", "a.test"));
        assert!(record_has_token(&token_record(&t), &t));
        assert!(record_has_token(
            &format!(" v = MTASTSMON1 ;TOKEN={}", t.to_uppercase()),
            &t
        ));
        assert!(!record_has_token(&format!("token={t}"), &t), "no version");
        assert!(!record_has_token("v=MTASTSMON1; token=abc", &t));
    }

    #[test]
    fn unsubscribe_links_and_keys() {
        let s = unsubscribe_sig("k", "sub_1");
        assert!(unsubscribe_ok("k", "sub_1", &s));
        assert!(!unsubscribe_ok("k", "sub_2", &s));
        assert!(!unsubscribe_ok("k2", "sub_1", &s));
        assert!(!unsubscribe_ok("k", "sub_1", ""));
        assert_ne!(
            feed_sig("k", "sub_1"),
            s,
            "the feed link cannot unsubscribe"
        );
        assert_ne!(feed_sig("k", "sub_1"), feed_sig("k", "sub_2"));
        assert_eq!(key_hash("mk_x").len(), 64);
        assert_ne!(key_hash("mk_x"), key_hash("mk_y"));
        let f = Fresh::new().expect("random");
        let g = Fresh::new().expect("random");
        assert_ne!(f.key, g.key);
        assert!(f.webhook_secret.starts_with("whsec_") && f.id.starts_with("sub_"));
        assert!(webhook_signature(&f.webhook_secret, "m", 1, "{}").is_some());
    }
}
