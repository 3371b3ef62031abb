//! What this isolate's monitoring consumers did since it started, counted where it happens: the
//! check queue's invocations and messages, and their D1 and queue calls (each a binding call:
//! a subrequest on Cloudflare's accounting, if it counts them). The fetches are counted by the
//! servers they reach (the fixture internet). Served at `GET /api/monitor/test/stats` when
//! `MONITOR_TEST_ROUTES=1`, for `scripts/bench-monitor.mjs`.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use serde_json::json;

/// D1 calls (a statement, or one batch of them).
static D1: AtomicU64 = AtomicU64::new(0);
/// Queue calls (`send` or `send_batch`).
static QUEUE: AtomicU64 = AtomicU64::new(0);
/// Check-queue invocations and the messages they were handed.
static INVOCATIONS: AtomicU64 = AtomicU64::new(0);
static MESSAGES: AtomicU64 = AtomicU64::new(0);
/// The most binding calls one check-queue invocation made (approximate if invocations of this
/// isolate overlap: the count is the isolate's between the invocation's start and end).
static MAX_CALLS: AtomicU64 = AtomicU64::new(0);

/// One D1 call.
pub(crate) fn d1() {
    D1.fetch_add(1, Relaxed);
}

/// One queue call.
pub(crate) fn queue() {
    QUEUE.fetch_add(1, Relaxed);
}

fn calls() -> u64 {
    D1.load(Relaxed) + QUEUE.load(Relaxed)
}

/// A check-queue invocation of `messages` messages begins; pass the answer to [`end`].
pub(crate) fn begin(messages: usize) -> u64 {
    INVOCATIONS.fetch_add(1, Relaxed);
    MESSAGES.fetch_add(u64::try_from(messages).unwrap_or(0), Relaxed);
    calls()
}

/// The invocation that [`begin`] answered `start` for ends.
pub(crate) fn end(start: u64) {
    MAX_CALLS.fetch_max(calls().saturating_sub(start), Relaxed);
}

/// The counts as JSON.
pub(crate) fn json() -> serde_json::Value {
    json!({
        "check_invocations": INVOCATIONS.load(Relaxed),
        "check_messages": MESSAGES.load(Relaxed),
        "d1_calls": D1.load(Relaxed),
        "queue_calls": QUEUE.load(Relaxed),
        "max_binding_calls_per_check_invocation": MAX_CALLS.load(Relaxed),
    })
}
