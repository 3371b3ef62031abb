-- TLS-RPT destinations of monitor subscriptions (issue 24): the reports received, their daily
-- summary, and the alerting state. Every row belongs to one subscription (its id); nothing is
-- stored for a token that names no active subscription.

-- One row per report and subscription: report_key is the report-id (or sha256: of the report
-- JSON when it has none), so a report sent twice is stored once. raw is the body as received
-- (gzip or JSON, base64), kept when at most 256 KiB and for 30 days (then NULL; the row and
-- its counts stay as long as the subscription).
CREATE TABLE tlsrpt_reports (
  subscription TEXT NOT NULL,
  report_key TEXT NOT NULL,
  organization TEXT NOT NULL,
  date_begin INTEGER,
  date_end INTEGER,
  day TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  via TEXT NOT NULL,
  successful INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  unreadable INTEGER NOT NULL,
  notes TEXT NOT NULL,
  raw_kind TEXT NOT NULL,
  raw TEXT,
  raw_size INTEGER NOT NULL,
  PRIMARY KEY (subscription, report_key)
);
CREATE INDEX tlsrpt_reports_by_time ON tlsrpt_reports (subscription, received_at);

-- Sessions per day (of the report's start), policy and sender (organization-name); 400 days.
CREATE TABLE tlsrpt_daily (
  subscription TEXT NOT NULL,
  day TEXT NOT NULL,
  policy_type TEXT NOT NULL,
  policy_domain TEXT NOT NULL,
  sender TEXT NOT NULL,
  reports INTEGER NOT NULL,
  successful INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  PRIMARY KEY (subscription, day, policy_type, policy_domain, sender)
);

-- Failed sessions per day, policy, result type, MX (receiving-mx-hostname) and sender; 400 days.
CREATE TABLE tlsrpt_failures (
  subscription TEXT NOT NULL,
  day TEXT NOT NULL,
  policy_type TEXT NOT NULL,
  policy_domain TEXT NOT NULL,
  result_type TEXT NOT NULL,
  mx TEXT NOT NULL,
  sender TEXT NOT NULL,
  sessions INTEGER NOT NULL,
  PRIMARY KEY (subscription, day, policy_type, policy_domain, result_type, mx, sender)
);

-- Per subscription: the failure-rate threshold (basis points: 100 = 1.00 %), the counters of
-- duplicates and refused bodies, and the alerting state (JSON: the failing result types, MX
-- hosts and senders seen so far, and the open incident).
CREATE TABLE tlsrpt_state (
  subscription TEXT PRIMARY KEY,
  threshold_bp INTEGER NOT NULL DEFAULT 100,
  duplicates INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  alert TEXT NOT NULL DEFAULT '{}'
);
