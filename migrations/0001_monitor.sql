-- Hosted monitoring (issue 22): subscriptions, the last good observation of each domain, one
-- row per domain and run, and one row per alert and subscriber. Applied with
-- `wrangler d1 migrations apply DB --local` (scripts/fixture-stack.sh) or `--remote`.

-- One subscriber of one domain. `key_hash` is the SHA-256 of the management key (the key itself
-- is shown once); `webhook_secret` signs deliveries (Standard Webhooks), so it is kept.
-- state: pending (token not seen yet), active, paused (token gone), unsubscribed.
CREATE TABLE subscriptions (
  id TEXT PRIMARY KEY,
  domain TEXT NOT NULL,
  webhook TEXT NOT NULL,
  format TEXT NOT NULL,
  threshold TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  webhook_secret TEXT NOT NULL,
  state TEXT NOT NULL,
  failing INTEGER NOT NULL DEFAULT 0,
  client TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  verified_at INTEGER,
  ended_at INTEGER,
  ended_why TEXT
);
CREATE INDEX subscriptions_by_state ON subscriptions (state, domain);
CREATE INDEX subscriptions_by_domain ON subscriptions (domain, state);
CREATE INDEX subscriptions_by_client ON subscriptions (client, created_at);

-- The last observation that could be made, per domain: what the next run compares with.
CREATE TABLE baselines (
  domain TEXT PRIMARY KEY,
  evidence TEXT NOT NULL,
  -- The policy's mode then (enforce, testing, none; '' without a policy).
  mode TEXT NOT NULL,
  observed_at INTEGER NOT NULL,
  run INTEGER NOT NULL
);

-- One row per domain and run (the cron's scheduled time, ms): a redelivered queue message finds
-- its row and stores nothing twice. outcome: baseline, unchanged, changed, could-not-check.
CREATE TABLE runs (
  domain TEXT NOT NULL,
  run INTEGER NOT NULL,
  observed_at INTEGER NOT NULL,
  digest TEXT NOT NULL,
  verdict TEXT NOT NULL,
  outcome TEXT NOT NULL,
  codes TEXT NOT NULL,
  findings TEXT NOT NULL,
  PRIMARY KEY (domain, run)
);

-- One alert for one subscriber (id: subscription and run). state: new (not yet queued), queued,
-- sending, retrying, delivered, failed (dead-lettered), gone (the receiver answered 410),
-- cancelled (unsubscribed before delivery).
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  subscription TEXT NOT NULL,
  domain TEXT NOT NULL,
  run INTEGER NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status INTEGER,
  claimed_at INTEGER,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX deliveries_by_subscription ON deliveries (subscription, created_at);
CREATE INDEX deliveries_by_run ON deliveries (domain, run, state);
