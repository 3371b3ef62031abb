//! What this isolate's monitoring consumers did since it started, counted where it happens: the
//! check queue's invocations and messages, and their D1 and queue calls (each a binding call:
//! a subrequest on Cloudflare's accounting, if it counts them). The fetches are counted by the
//! servers they reach (the fixture internet). Served at `GET /api/monitor/test/stats` when
//! `MONITOR_TEST_ROUTES=1`, for `scripts/bench-monitor.mjs`.
//!
//! An invocation's own binding calls are counted exactly even when invocations of the isolate
//! overlap (their futures interleave on its one thread): [`counted`] wraps the invocation's
//! future and, while it is polled, makes its counter the current one; a binding call is made
//! synchronously inside some future's poll, so it lands on the counter of the invocation that
//! made it.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::task::{Context, Poll};

use serde_json::json;

/// D1 calls (a statement, or one batch of them).
static D1: AtomicU64 = AtomicU64::new(0);
/// Queue calls (`send` or `send_batch`).
static QUEUE: AtomicU64 = AtomicU64::new(0);
/// Check-queue invocations and the messages they were handed.
static INVOCATIONS: AtomicU64 = AtomicU64::new(0);
static MESSAGES: AtomicU64 = AtomicU64::new(0);
/// The most binding calls one check-queue invocation made (its own, by [`counted`]).
static MAX_CALLS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The counter of the invocation whose future is being polled, if one is.
    static CURRENT: RefCell<Option<Rc<Cell<u64>>>> = const { RefCell::new(None) };
}

/// One binding call, on the isolate's total and the current invocation's count.
fn call(total: &AtomicU64) {
    total.fetch_add(1, Relaxed);
    CURRENT.with(|c| {
        if let Some(n) = c.borrow().as_ref() {
            n.set(n.get() + 1);
        }
    });
}

/// One D1 call.
pub(crate) fn d1() {
    call(&D1);
}

/// One queue call.
pub(crate) fn queue() {
    call(&QUEUE);
}

/// A future whose binding calls are counted on `calls` (see the module's documentation).
struct Counted<F> {
    inner: Pin<Box<F>>,
    calls: Rc<Cell<u64>>,
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let mine = Some(Rc::clone(&self.calls));
        let outer = CURRENT.with(|c| c.replace(mine));
        let r = self.inner.as_mut().poll(cx);
        CURRENT.with(|c| *c.borrow_mut() = outer);
        r
    }
}

/// Runs `work`, a check-queue invocation of `messages` messages, counting it and its own
/// binding calls.
pub(crate) async fn counted<F: Future>(messages: usize, work: F) -> F::Output {
    INVOCATIONS.fetch_add(1, Relaxed);
    MESSAGES.fetch_add(u64::try_from(messages).unwrap_or(0), Relaxed);
    let calls = Rc::new(Cell::new(0));
    let out = Counted {
        inner: Box::pin(work),
        calls: Rc::clone(&calls),
    }
    .await;
    MAX_CALLS.fetch_max(calls.get(), Relaxed);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Pending once, then ready: lets another future run in between.
    struct YieldOnce(bool);
    impl Future for YieldOnce {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    async fn calls(n: u64) {
        for _ in 0..n {
            d1();
            YieldOnce(false).await;
            queue();
        }
    }

    /// Two overlapping invocations (their calls interleaved on one thread): each counts its own,
    /// where the isolate-wide difference would give the larger one both.
    #[test]
    fn overlapping_invocations_count_their_own_calls() {
        let both = futures::future::join(counted(1, calls(3)), counted(1, calls(1)));
        let mut both = Box::pin(both);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let before = D1.load(Relaxed) + QUEUE.load(Relaxed);
        while both.as_mut().poll(&mut cx).is_pending() {}
        assert_eq!(D1.load(Relaxed) + QUEUE.load(Relaxed) - before, 8);
        assert_eq!(MAX_CALLS.load(Relaxed), 6);
        // Outside an invocation nothing is current.
        CURRENT.with(|c| assert!(c.borrow().is_none()));
    }
}
