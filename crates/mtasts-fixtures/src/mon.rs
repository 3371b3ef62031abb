//! The monitoring zone of the world: `m0.mon.test` to `m19.mon.test` (more with
//! [`set_zone_size`]: `--mon-domains N`, for `scripts/bench-monitor.mjs`), each [`GOOD`] under its
//! own name until a test changes it (`POST /__mon` on the DoH port, see [`set`]): a policy edited
//! without an `id` bump, a new MX the policy does not cover, a resolver that fails, and the
//! `_mtasts-monitor` TXT tokens a subscriber publishes. The world of the other scenarios never
//! changes; this zone is the one whose answers differ between two monitoring runs.
//!
//! `hooks.mon.test` is a webhook receiver on the HTTPS server (see `lib.rs`): it records every
//! request, and answers by the first path segment (`/ok/…` 200, `/flaky/…` 500 once then 200,
//! `/gone/…` 410, `/fail/…` always 500).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{LazyLock, Mutex};

use crate::world::{Body, Dns, Rec, Scenario, GOOD};

/// The zone.
pub const MON_ZONE: &str = "mon.test";
/// How many monitoring domains there are by default (the tests' zone).
pub const MON_DOMAINS: u32 = 20;
/// The most the zone can be made to hold.
pub const MAX_MON_DOMAINS: u32 = 100_000;

static ZONE_SIZE: AtomicU32 = AtomicU32::new(MON_DOMAINS);

/// Sets how many monitoring domains there are (`m0` to `m{n-1}`), at least [`MON_DOMAINS`] and
/// at most [`MAX_MON_DOMAINS`]; answers the size set.
pub fn set_zone_size(n: u32) -> u32 {
    let n = n.clamp(MON_DOMAINS, MAX_MON_DOMAINS);
    ZONE_SIZE.store(n, Ordering::Relaxed);
    n
}

/// How many monitoring domains there are now.
pub fn zone_size() -> u32 {
    ZONE_SIZE.load(Ordering::Relaxed)
}
/// The webhook receiver's host name.
pub const HOOKS_HOST: &str = "hooks.mon.test";

/// What a monitoring domain looks like now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Variant {
    /// As [`GOOD`].
    #[default]
    Good,
    /// The policy edited (a third `mx` line) under the same `id`.
    Edited,
    /// A third MX host that the (unchanged, enforce) policy does not cover.
    NewMx,
    /// The resolver fails for `_mta-sts` (the check cannot be made).
    Broken,
}

impl Variant {
    /// By name (`good`, `edited`, `new-mx`, `broken`).
    pub fn parse(s: &str) -> Option<Variant> {
        Some(match s {
            "good" => Variant::Good,
            "edited" => Variant::Edited,
            "new-mx" => Variant::NewMx,
            "broken" => Variant::Broken,
            _ => return None,
        })
    }
}

/// One monitoring domain's state.
#[derive(Debug, Clone, Default)]
pub struct MonState {
    /// What the domain serves.
    pub variant: Variant,
    /// The TXT strings at `_mtasts-monitor.<domain>`, one record each.
    pub tokens: Vec<String>,
}

static STATE: LazyLock<Mutex<HashMap<String, MonState>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Sets `domain`'s state (a monitoring domain only); false if it is not one.
pub fn set(domain: &str, state: MonState) -> bool {
    let Some(d) = mon_domain(domain).filter(|d| *d == domain) else {
        return false;
    };
    if let Ok(mut m) = STATE.lock() {
        m.insert(d.to_owned(), state);
        return true;
    }
    false
}

/// `domain`'s state now.
pub fn state(domain: &str) -> MonState {
    STATE
        .lock()
        .ok()
        .and_then(|m| m.get(domain).cloned())
        .unwrap_or_default()
}

/// The monitoring domain lower-case `name` is in or under (`mx1.m3.mon.test` → `m3.mon.test`).
pub fn mon_domain(name: &str) -> Option<&str> {
    let name = name.trim_end_matches('.');
    let head = name.strip_suffix(MON_ZONE)?.strip_suffix('.')?;
    let label = head.rsplit('.').next()?;
    let digits = label.strip_prefix('m')?;
    let n: u32 = digits.parse().ok()?;
    (n < zone_size() && digits == n.to_string()).then_some(())?;
    Some(&name[head.len() - label.len()..])
}

/// Whether `name` is in a domain beyond the default zone (its queries are not listed in the
/// DoH server's journal, like the bulk zone's: a benchmark's 100,000 would only grow it).
pub fn is_extra(name: &str) -> bool {
    mon_domain(name)
        .and_then(|d| d.strip_prefix('m'))
        .and_then(|d| d.split('.').next())
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n >= MON_DOMAINS)
}

const EDITED: Scenario = Scenario {
    http: crate::world::Http {
        status: 200,
        content_type: "text/plain; charset=utf-8",
        location: None,
        body: Body::Policy {
            mode: "enforce",
            mx: &["mx1.{d}", "mx2.{d}", "mx3.{d}"],
            eol: "\r\n",
        },
    },
    ..GOOD
};
const NEW_MX: Scenario = Scenario {
    mx: Dns::Records(&[
        Rec::Mx(10, "mx1.{d}"),
        Rec::Mx(20, "mx2.{d}"),
        Rec::Mx(30, "mx.other-provider.test"),
    ]),
    ..GOOD
};
const BROKEN: Scenario = Scenario {
    sts_txt: Dns::ServFail,
    ..GOOD
};

/// The scenario a monitoring domain plays now.
pub fn scenario_of(domain: &str) -> &'static Scenario {
    match state(domain).variant {
        Variant::Good => &GOOD,
        Variant::Edited => &EDITED,
        Variant::NewMx => &NEW_MX,
        Variant::Broken => &BROKEN,
    }
}

/// The policy host names of the domains beyond the default zone (`m16` up), when it was made
/// larger: `/etc/hosts` lines the benchmark adds under a tag of their own and removes after.
pub fn extra_hosts() -> Vec<String> {
    (MON_DOMAINS..zone_size())
        .map(|n| format!("mta-sts.m{n}.{MON_ZONE}"))
        .collect()
}

/// Every host name of the default zone that must resolve to the HTTPS server.
pub fn hosts() -> Vec<String> {
    let mut v: Vec<String> = (0..MON_DOMAINS)
        .map(|n| format!("mta-sts.m{n}.{MON_ZONE}"))
        .collect();
    v.push(HOOKS_HOST.to_owned());
    v
}

/// The webhook receiver's journal and answers.
#[derive(Default)]
pub struct Hooks {
    /// Every request: path, headers (lower-case names) and body.
    pub seen: Vec<serde_json::Value>,
    /// Requests per path so far.
    pub count: HashMap<String, u32>,
}

/// The receiver's state.
pub static HOOKS: LazyLock<Mutex<Hooks>> = LazyLock::new(|| Mutex::new(Hooks::default()));

/// The status the receiver answers for the `n`th request (1-based) to `path`.
pub fn hook_status(path: &str, n: u32) -> u16 {
    match path.trim_start_matches('/').split('/').next() {
        Some("ok") => 200,
        Some("flaky") if n == 1 => 500,
        Some("flaky") => 200,
        Some("gone") => 410,
        Some("fail") => 500,
        _ => 404,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_variants() {
        assert_eq!(mon_domain("m3.mon.test"), Some("m3.mon.test"));
        assert_eq!(mon_domain("_mta-sts.m3.mon.test."), Some("m3.mon.test"));
        for no in ["m20.mon.test", "m03.mon.test", "x.mon.test", "mon.test"] {
            assert_eq!(mon_domain(no), None, "{no}");
        }
        assert!(set(
            "m15.mon.test",
            MonState {
                variant: Variant::NewMx,
                tokens: vec![]
            }
        ));
        assert_eq!(scenario_of("m15.mon.test").mx, NEW_MX.mx);
        assert!(!set("good.test", MonState::default()));
        assert_eq!(hook_status("/flaky/a", 1), 500);
        assert_eq!(hook_status("/flaky/a", 2), 200);
        assert_eq!(hook_status("/gone/a", 1), 410);
        assert!(extra_hosts().is_empty());
    }
}
