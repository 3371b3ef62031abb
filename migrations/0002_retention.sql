-- Retention (worker/src/monitor/prune.rs): the daily run deletes runs, finished deliveries,
-- ended subscriptions and unwatched baselines older than MONITOR_RETENTION_DAYS, in bounded
-- batches; these indexes keep each batch from scanning its table.
CREATE INDEX runs_by_time ON runs (run);
CREATE INDEX deliveries_by_time ON deliveries (run, state);
CREATE INDEX subscriptions_by_end ON subscriptions (state, ended_at);
CREATE INDEX baselines_by_time ON baselines (observed_at);
