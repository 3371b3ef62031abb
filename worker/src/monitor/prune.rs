//! Retention: what is older than `MONITOR_RETENTION_DAYS` (default 90) is deleted after each
//! run, a bounded batch at a time. The run cron queues one prune message; each deletes at most
//! `MONITOR_PRUNE_BATCH` rows (default 1,000) of each table in one D1 batch, and queues the next
//! prune message while a table had that many to delete, so no invocation grows with the data:
//! - runs of that age (their time is the run's scheduled time);
//! - deliveries of runs of that age that are finished (delivered, gone, cancelled, failed);
//!   one still in flight is left to its consumer;
//! - subscriptions that ended that long ago (their webhook URL and secret with them);
//! - the baselines of domains that nobody subscribes to any more, observed that long ago.

use worker::{D1Database, Env, Result};

use super::{n, now};
use crate::config::Config;

/// The statements, each taking `?1` the cut-off in milliseconds (run times), `?2` the batch
/// size and `?3` the cut-off in seconds (other times).
const STATEMENTS: [&str; 4] = [
    "DELETE FROM runs WHERE rowid IN (SELECT rowid FROM runs WHERE run < ?1 LIMIT ?2)",
    "DELETE FROM deliveries WHERE rowid IN (SELECT rowid FROM deliveries WHERE run < ?1 AND state IN ('delivered', 'gone', 'cancelled', 'failed') LIMIT ?2)",
    "DELETE FROM subscriptions WHERE rowid IN (SELECT rowid FROM subscriptions WHERE state = 'unsubscribed' AND ended_at < ?3 LIMIT ?2)",
    "DELETE FROM baselines WHERE rowid IN (SELECT rowid FROM baselines b WHERE observed_at < ?3 AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.domain = b.domain AND s.state != 'unsubscribed') LIMIT ?2)",
];

/// The cut-offs for `days` of retention at `now_s`: (milliseconds, seconds).
pub(crate) fn cutoffs(now_s: i64, days: u32) -> (i64, i64) {
    let s = now_s - i64::from(days) * 86_400;
    (s * 1000, s)
}

/// One prune message: one bounded batch of deletes; the next message if there may be more.
pub(crate) async fn prune(env: &Env, db: &D1Database, config: &Config) -> Result<()> {
    let (ms, secs) = cutoffs(now(), config.monitor_retention_days);
    let limit = i64::from(config.monitor_prune_batch);
    let mut statements = Vec::with_capacity(STATEMENTS.len());
    for sql in STATEMENTS {
        // D1 wants exactly as many values as the statement's highest parameter number.
        let args = [n(ms), n(limit), n(secs)];
        let used = if sql.contains("?3") { 3 } else { 2 };
        statements.push(db.prepare(sql).bind(&args[..used])?);
    }
    let changed = super::batch(db, statements).await?;
    let deleted: usize = changed.iter().sum();
    if deleted > 0 {
        worker::console_log!("monitor: pruned {changed:?} rows (runs, deliveries, subscriptions, baselines) older than {} days", config.monitor_retention_days);
    }
    let full = usize::try_from(limit).unwrap_or(usize::MAX);
    if changed.iter().any(|&c| c >= full) {
        super::send(env, super::CHECKS, super::run::CheckMsg::Prune {}).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_in_both_units() {
        assert_eq!(cutoffs(100 * 86_400, 90), (10 * 86_400_000, 10 * 86_400));
        assert_eq!(cutoffs(0, 1), (-86_400_000, -86_400));
    }

    #[test]
    fn every_statement_is_bounded() {
        for sql in STATEMENTS {
            assert!(sql.contains("LIMIT ?2"), "{sql}");
        }
    }
}
