//! The monitor API's answers (worker/src/monitor/api.rs), read field by field from the browser's
//! `JSON.parse` (as `crate::judged` reads reports: no serde decoder in this page), and the words
//! the page says for each state, outcome and delivery.

use wasm_bindgen::JsValue;

pub(super) use crate::judged::number as num;
use crate::judged::{field, items, text};

/// The TXT record that proves control of the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) name: String,
    pub(crate) rtype: String,
    pub(crate) value: String,
}

impl Record {
    pub(super) fn read(v: &JsValue) -> Option<Self> {
        Some(Record {
            name: text(v, "name")?,
            rtype: text(v, "type").unwrap_or_else(|| "TXT".into()),
            value: text(v, "value")?,
        })
    }
}

/// `POST /api/monitor`'s answer: what is shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Created {
    pub(crate) id: String,
    pub(crate) domain: String,
    pub(crate) key: String,
    pub(crate) secret: String,
    pub(crate) record: Record,
}

impl Created {
    pub(crate) fn read(v: &JsValue) -> Option<Self> {
        Some(Created {
            id: text(v, "id")?,
            domain: text(v, "domain")?,
            key: text(v, "management_key")?,
            secret: text(v, "webhook_secret")?,
            record: Record::read(&field(v, "dns"))?,
        })
    }
}

/// One finding of a run: a change (or a standing problem), with its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) code: String,
    pub(crate) severity: String,
    pub(crate) message: String,
    pub(crate) fix: Option<String>,
}

/// One run of the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    /// The cron's scheduled time, ms: the run's key.
    pub(crate) run: u64,
    /// When the evidence was gathered, Unix seconds.
    pub(crate) observed_at: u64,
    pub(crate) verdict: String,
    /// `baseline`, `unchanged`, `changed` or `could-not-check`.
    pub(crate) outcome: String,
    pub(crate) changes: Vec<Change>,
}

/// One alert to the subscriber's webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Delivery {
    pub(crate) id: String,
    /// The run it reports (ms).
    pub(crate) run: u64,
    pub(crate) state: String,
    pub(crate) attempts: u64,
    pub(crate) last_status: Option<u64>,
    pub(crate) delivered_at: Option<u64>,
}

/// The subscription as `GET /api/monitor/:id` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sub {
    pub(crate) id: String,
    pub(crate) domain: String,
    pub(crate) webhook: String,
    pub(crate) format: String,
    pub(crate) threshold: String,
    /// `pending`, `active`, `paused`, `unsubscribed`.
    pub(crate) state: String,
    /// The last alert was dead-lettered (reset by the next delivered one).
    pub(crate) failing: bool,
    pub(crate) created_at: u64,
    pub(crate) verified_at: Option<u64>,
    pub(crate) ended_why: Option<String>,
}

/// `GET /api/monitor/:id`: the subscription, its domain's runs (newest first) and its deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    pub(crate) sub: Sub,
    pub(crate) feed_url: Option<String>,
    pub(crate) record: Option<Record>,
    pub(crate) runs: Vec<Run>,
    pub(crate) deliveries: Vec<Delivery>,
}

impl Shown {
    pub(crate) fn read(v: &JsValue) -> Option<Self> {
        let s = field(v, "subscription");
        let sub = Sub {
            id: text(&s, "id")?,
            domain: text(&s, "domain")?,
            webhook: text(&s, "webhook").unwrap_or_default(),
            format: text(&s, "format").unwrap_or_default(),
            threshold: text(&s, "threshold").unwrap_or_default(),
            state: text(&s, "state")?,
            failing: num(&s, "failing").unwrap_or(0) > 0,
            created_at: num(&s, "created_at").unwrap_or(0),
            verified_at: num(&s, "verified_at"),
            ended_why: text(&s, "ended_why"),
        };
        let runs = items(v, "runs")
            .iter()
            .filter_map(|r| {
                Some(Run {
                    run: num(r, "run")?,
                    observed_at: num(r, "observed_at").unwrap_or(0),
                    verdict: text(r, "verdict").unwrap_or_default(),
                    outcome: text(r, "outcome")?,
                    changes: items(r, "findings")
                        .iter()
                        .filter_map(|f| {
                            Some(Change {
                                code: text(f, "code")?,
                                severity: text(f, "severity").unwrap_or_default(),
                                message: text(f, "message").unwrap_or_default(),
                                fix: text(f, "fix"),
                            })
                        })
                        .collect(),
                })
            })
            .collect();
        let deliveries = items(v, "deliveries")
            .iter()
            .filter_map(|d| {
                Some(Delivery {
                    id: text(d, "id")?,
                    run: num(d, "run")?,
                    state: text(d, "state")?,
                    attempts: num(d, "attempts").unwrap_or(0),
                    last_status: num(d, "last_status"),
                    delivered_at: num(d, "delivered_at"),
                })
            })
            .collect();
        Some(Shown {
            sub,
            feed_url: text(v, "feed_url"),
            record: Record::read(&field(v, "dns")),
            runs,
            deliveries,
        })
    }
}

/// The state the page shows: the stored state, or `failing` while alerts fail.
pub(crate) fn shown_state(state: &str, failing: bool) -> &str {
    if failing && state != "unsubscribed" {
        "failing"
    } else {
        state
    }
}

/// The state in words: what it means and what to do.
pub(crate) fn state_words(state: &str) -> (&'static str, &'static str) {
    match state {
        "pending" => ("Waiting for the TXT record", "Nothing is checked or sent until the record below is seen. Publish it, then press “Check now” (it is also looked for every 15 minutes)."),
        "active" => ("Watching", "The domain is checked every day; an alert goes to your webhook when something changes."),
        "paused" => ("Paused: the TXT record is gone", "Nothing is checked while the record is missing. Publish it again, then press “Check now”."),
        "failing" => ("Alerts are failing", "Your webhook did not accept the last alert after every retry. Checks go on; fix the receiver and the next alert clears this."),
        "unsubscribed" => ("Ended", "Nothing is checked or sent for this subscription any more. Its history stays readable with the key."),
        _ => ("Unknown state", "The service reported a state this page does not know."),
    }
}

/// A run's outcome in words.
pub(crate) fn outcome_words(outcome: &str, changes: usize) -> String {
    match outcome {
        "baseline" => "First run: stored as the baseline to compare the next runs with.".into(),
        "unchanged" => "Unchanged since the last run.".into(),
        "changed" => format!(
            "Changed: {changes} finding{} since the last run.",
            if changes == 1 { "" } else { "s" }
        ),
        "could-not-check" => "Could not check (a lookup failed): nothing was compared, and the last good observation is kept.".into(),
        o => o.to_owned(),
    }
}

/// A run's verdict in words: the crate's label of the verdict its JSON name names.
pub(crate) fn verdict_words(verdict: &str) -> &str {
    use mtasts::Verdict;
    [
        Verdict::Pass,
        Verdict::Warn,
        Verdict::Fail,
        Verdict::NotApplicable,
        Verdict::Inconclusive,
    ]
    .into_iter()
    .find(|v| v.as_str() == verdict)
    .map_or(verdict, |v| v.label())
}

/// The CSS class of a verdict (the checker's colours).
pub(crate) fn verdict_class(verdict: &str) -> &'static str {
    match verdict {
        "pass" => "verdict-cell verdict-pass",
        "warn" => "verdict-cell verdict-warn",
        "fail" => "verdict-cell verdict-fail",
        "inconclusive" => "verdict-cell verdict-inconclusive",
        _ => "verdict-cell verdict-na",
    }
}

/// A delivery's state in words.
pub(crate) fn delivery_words(state: &str) -> &str {
    match state {
        "new" | "queued" => "Queued",
        "sending" => "Sending",
        "retrying" => "Retrying",
        "delivered" => "Delivered",
        "failed" => "Failed after every retry",
        "gone" => "Refused with 410: subscription ended",
        "cancelled" => "Cancelled (unsubscribed first)",
        s => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_shows_over_active_but_not_over_ended() {
        assert_eq!(shown_state("active", true), "failing");
        assert_eq!(shown_state("active", false), "active");
        assert_eq!(shown_state("unsubscribed", true), "unsubscribed");
        for s in ["pending", "active", "paused", "failing", "unsubscribed"] {
            assert_ne!(state_words(s).0, "Unknown state", "{s}");
        }
    }

    #[test]
    fn outcomes_and_deliveries_in_words() {
        assert_eq!(
            outcome_words("changed", 1),
            "Changed: 1 finding since the last run."
        );
        assert_eq!(
            outcome_words("changed", 2),
            "Changed: 2 findings since the last run."
        );
        assert!(outcome_words("could-not-check", 0).starts_with("Could not check"));
        assert_eq!(delivery_words("queued"), "Queued");
        assert_eq!(verdict_words("warn"), "Needs attention");
        assert_eq!(verdict_class("fail"), "verdict-cell verdict-fail");
    }
}
