//! Which webhook URLs the monitor will call: the treatment of a policy fetch. `https:` only, a
//! public host name only (no IP literal in any spelling, no single-label or internal name, no
//! user name or password), the default port; the Worker then calls it without following
//! redirects, with a short time-out and a bounded read. Refused before any request is made.

use worker::Url;

/// Names under these suffixes are never public (RFC 6761, RFC 6762, RFC 7686, RFC 8375, and the
/// names private networks use by habit).
const INTERNAL_SUFFIXES: &[&str] = &[
    "localhost",
    "local",
    "localdomain",
    "internal",
    "intranet",
    "private",
    "corp",
    "home",
    "lan",
    "invalid",
    "example",
    "onion",
    "arpa",
    "test",
];

/// Why a webhook URL is refused.
pub(crate) fn check(raw: &str, fixture_mode: bool) -> Result<String, &'static str> {
    if raw.len() > 2048 {
        return Err("the webhook URL is longer than 2048 characters");
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the webhook URL holds white space or control characters");
    }
    let url = Url::parse(raw).map_err(|_| "the webhook URL is not a URL")?;
    if url.scheme() != "https" {
        return Err("the webhook URL must be https:");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the webhook URL must not hold a user name or password");
    }
    let host = match url.host() {
        Some(worker::url::Host::Domain(h)) => h.to_ascii_lowercase(),
        Some(worker::url::Host::Ipv4(_) | worker::url::Host::Ipv6(_)) => {
            return Err("the webhook host must be a name, not an IP address")
        }
        None => return Err("the webhook URL has no host"),
    };
    let host = host.trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Err("the webhook host must be a public name with a dot");
    }
    let last = labels.last().copied().unwrap_or_default();
    let test_ok = fixture_mode && last == "test";
    if INTERNAL_SUFFIXES.contains(&last) && !test_ok {
        return Err("the webhook host is an internal or reserved name");
    }
    // A numeric last label is an address in some spelling (`0x7f.1`, `127.1`).
    if last.chars().all(|c| c.is_ascii_digit()) || last.starts_with("0x") {
        return Err("the webhook host must be a name, not an IP address");
    }
    if url.port().is_some() && !fixture_mode {
        return Err("the webhook URL must use the default port");
    }
    Ok(url.to_string())
}

/// The body format a URL asks for when the subscriber did not say: Slack's and Discord's
/// incoming-webhook hosts get theirs, everything else signed JSON.
pub(crate) fn default_format(url: &str) -> &'static str {
    let host = Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    if host == "hooks.slack.com" {
        "slack"
    } else if (host == "discord.com" || host == "discordapp.com") && url.contains("/api/webhooks/")
    {
        "discord"
    } else {
        "json"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_urls_are_refused() {
        for bad in [
            "http://hooks.example.com/x",
            "ftp://hooks.example.com/x",
            "https://127.0.0.1/x",
            "https://[::1]/x",
            "https://[::ffff:10.0.0.1]/x",
            "https://2130706433/x",
            "https://0x7f000001/x",
            "https://127.1/x",
            "https://10.0.0.1/",
            "https://localhost/x",
            "https://foo.localhost/x",
            "https://metadata.google.internal/x",
            "https://router.lan/x",
            "https://printer.local/x",
            "https://intranet/x",
            "https://user:pw@hooks.example.com/x",
            "https://user@hooks.example.com/x",
            "https://hooks.example.com:8443/x",
            "https://a..b.com/x",
            "https://hooks.test/x",
            "https://x.onion/x",
            "not a url",
            "https://hooks.example.com/a b",
        ] {
            assert!(check(bad, false).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn public_urls_and_formats() {
        assert_eq!(
            check("https://Hooks.Example.org/in?x=1", false).as_deref(),
            Ok("https://hooks.example.org/in?x=1")
        );
        assert!(check("https://hooks.mon.test:8443/ok/a", true).is_ok());
        assert!(
            check("https://127.0.0.1:8443/ok/a", true).is_err(),
            "never an IP"
        );
        assert_eq!(
            default_format("https://hooks.slack.com/services/T/B/X"),
            "slack"
        );
        assert_eq!(
            default_format("https://discord.com/api/webhooks/1/x"),
            "discord"
        );
        assert_eq!(default_format("https://example.org/hook"), "json");
    }
}
