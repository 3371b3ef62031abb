//! The TLS reports of a subscription (issue 24) as `GET /api/monitor/:id/tlsrpt` answers them
//! (worker/src/tlsrpt/http.rs and summary.rs; the README's "JSON contract"), read field by field
//! from the browser's `JSON.parse` like the rest of the page; and what the page says of them:
//! the headline over the whole subscription and the readiness checklist (RFC 8461 §5 rollout:
//! `testing` with the reports read for two to four weeks, then `enforce`).

use mtasts::reports::Day;
use wasm_bindgen::JsValue;

use super::model::{num, Record};
use crate::judged::{field, items, text};

/// Days of reports the checklist wants before `enforce`: two weeks (four are better).
pub(crate) const MIN_DAYS: u64 = 14;
/// A report covers one day and comes the day after; older than this, reports have stopped.
pub(crate) const STALE_DAYS: i64 = 3;

/// The sums over every stored report (`summary.totals`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    pub(crate) reports: u64,
    pub(crate) senders: u64,
    pub(crate) days: u64,
    pub(crate) successful: u64,
    pub(crate) failed: u64,
    /// Two decimals, `None` without sessions.
    pub(crate) failure_rate: Option<String>,
    pub(crate) first_day: Option<String>,
    pub(crate) last_day: Option<String>,
    pub(crate) duplicates: u64,
    pub(crate) refused: u64,
}

/// The alert open now (`summary.alerting.open`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Open {
    /// RFC 3339.
    pub(crate) since: String,
    pub(crate) first_day: String,
    pub(crate) senders: Vec<String>,
    pub(crate) worst_rate: String,
}

/// One row of `summary.failures`: a result type at an MX for a sender under a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FailRow {
    pub(crate) result_type: String,
    pub(crate) mx: String,
    pub(crate) sender: String,
    pub(crate) policy_type: String,
    pub(crate) policy_domain: String,
    pub(crate) sessions: u64,
    pub(crate) first_day: String,
    pub(crate) last_day: String,
}

/// One row of `summary.senders`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SenderRow {
    pub(crate) sender: String,
    pub(crate) reports: u64,
    pub(crate) successful: u64,
    pub(crate) failed: u64,
    pub(crate) rate: Option<String>,
    pub(crate) first_day: String,
    pub(crate) last_day: String,
}

/// One of the latest reports (`summary.reports`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ReportRow {
    pub(crate) id: String,
    pub(crate) organization: String,
    pub(crate) day: String,
    pub(crate) received_at: u64,
    pub(crate) via: String,
    pub(crate) successful: u64,
    pub(crate) failed: u64,
    pub(crate) notes: usize,
}

/// The whole answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tls {
    /// Reports are taken (the subscription is active).
    pub(crate) accepting: bool,
    pub(crate) state: String,
    pub(crate) record: Option<Record>,
    pub(crate) https: Option<String>,
    pub(crate) mailto: Option<String>,
    pub(crate) totals: Totals,
    /// The alert threshold, a percentage with two decimals.
    pub(crate) threshold: String,
    pub(crate) open: Option<Open>,
    pub(crate) incidents: u64,
    /// Oldest first (the API lists them newest first).
    pub(crate) days: Vec<Day>,
    /// `(policy type, policy domain)` of every policy reported.
    pub(crate) policies: Vec<(String, String)>,
    pub(crate) senders: Vec<SenderRow>,
    pub(crate) failures: Vec<FailRow>,
    pub(crate) by_type: Vec<(String, u64)>,
    pub(crate) by_mx: Vec<(String, u64)>,
    pub(crate) reports: Vec<ReportRow>,
}

fn count(o: &JsValue, key: &str) -> u64 {
    num(o, key).unwrap_or(0)
}

fn words(o: &JsValue, key: &str) -> String {
    text(o, key).unwrap_or_default()
}

/// `(name, sessions)` of each row of `summary[list]`.
fn pairs(s: &JsValue, list: &str, name: &str) -> Vec<(String, u64)> {
    items(s, list)
        .iter()
        .map(|r| (words(r, name), count(r, "sessions")))
        .collect()
}

impl Tls {
    /// The answer read; `None` when it has no summary (not this API's answer).
    pub(crate) fn read(v: &JsValue) -> Option<Self> {
        let s = field(v, "summary");
        let t = field(&s, "totals");
        if t.is_null_or_undefined() {
            return None;
        }
        let a = field(&s, "alerting");
        let o = field(&a, "open");
        let d = field(v, "destinations");
        let mut days: Vec<Day> = items(&s, "days")
            .iter()
            .map(|r| Day {
                date: words(r, "day"),
                successful: count(r, "successful"),
                failed: count(r, "failed"),
            })
            .collect();
        days.reverse();
        Some(Tls {
            accepting: field(v, "accepting").as_bool().unwrap_or(false),
            state: words(v, "state"),
            record: Record::read(&field(v, "record")),
            https: text(&d, "https"),
            mailto: text(&d, "mailto"),
            totals: Totals {
                reports: count(&t, "reports"),
                senders: count(&t, "senders"),
                days: count(&t, "days"),
                successful: count(&t, "successful"),
                failed: count(&t, "failed"),
                failure_rate: text(&t, "failure_rate"),
                first_day: text(&t, "first_day"),
                last_day: text(&t, "last_day"),
                duplicates: count(&t, "duplicates"),
                refused: count(&t, "refused"),
            },
            threshold: text(&a, "failure_rate_threshold").unwrap_or_else(|| "1.00".into()),
            open: (!o.is_null_or_undefined()).then(|| Open {
                since: words(&o, "since"),
                first_day: words(&o, "first_day"),
                senders: items(&o, "senders")
                    .iter()
                    .filter_map(JsValue::as_string)
                    .collect(),
                worst_rate: words(&o, "worst_failure_rate"),
            }),
            incidents: count(&a, "incidents"),
            days,
            policies: items(&s, "policies")
                .iter()
                .map(|r| (words(r, "policy_type"), words(r, "policy_domain")))
                .collect(),
            senders: items(&s, "senders").iter().map(sender_row).collect(),
            failures: items(&s, "failures").iter().map(fail_row).collect(),
            by_type: pairs(&s, "failures_by_type", "result_type"),
            by_mx: pairs(&s, "failures_by_mx", "mx"),
            reports: items(&s, "reports").iter().map(report_row).collect(),
        })
    }
}

fn sender_row(r: &JsValue) -> SenderRow {
    SenderRow {
        sender: words(r, "sender"),
        reports: count(r, "reports"),
        successful: count(r, "successful"),
        failed: count(r, "failed"),
        rate: text(r, "failure_rate"),
        first_day: words(r, "first_day"),
        last_day: words(r, "last_day"),
    }
}

fn fail_row(r: &JsValue) -> FailRow {
    FailRow {
        result_type: words(r, "result_type"),
        mx: words(r, "mx"),
        sender: words(r, "sender"),
        policy_type: words(r, "policy_type"),
        policy_domain: words(r, "policy_domain"),
        sessions: count(r, "sessions"),
        first_day: words(r, "first_day"),
        last_day: words(r, "last_day"),
    }
}

fn report_row(r: &JsValue) -> ReportRow {
    ReportRow {
        id: words(r, "report_id"),
        organization: words(r, "organization"),
        day: words(r, "day"),
        received_at: count(r, "received_at"),
        via: words(r, "via"),
        successful: count(r, "successful"),
        failed: count(r, "failed"),
        notes: items(r, "notes").len(),
    }
}

// ---- what the page says of them ------------------------------------------------------------

/// `n one` or `n many`.
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The days since 1970 of `YYYY-MM-DD`.
fn day_number(day: &str) -> Option<i64> {
    let mut p = day.splitn(3, '-').map(|x| x.parse::<i64>().ok());
    let (y, m, d) = (p.next()??, p.next()??, p.next()??);
    ((1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| mtasts::civil::from_civil(y, m, d) / 86_400)
}

/// `2026-03-03` as `3 March 2026` (as written when it is no such date).
pub(crate) fn day_words(day: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut p = day.splitn(3, '-');
    match (
        p.next(),
        p.next().and_then(|m| m.parse::<usize>().ok()),
        p.next().and_then(|d| d.parse::<u32>().ok()),
    ) {
        (Some(y), Some(m @ 1..=12), Some(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
        _ => day.to_owned(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A result type's one line (RFC 8460 §4.3).
pub(crate) fn meaning(result_type: &str) -> &'static str {
    mtasts::reports::result_type(result_type).map_or("Not defined by RFC 8460", |r| r.title)
}

/// `s` with its first letter in upper or lower case. `s` is this page's own text or a result
/// type's title from the crate, which begin in ASCII: changing ASCII only keeps the Unicode case
/// tables (~12 KB of wasm) out of the build.
fn first_letter(s: &str, upper: bool) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        if upper {
            first.make_ascii_uppercase();
        } else {
            first.make_ascii_lowercase();
        }
    }
    out
}

/// The failure that most sessions failed with: its result type and MX, the senders that
/// reported it (most sessions first), the first day, and how many other such failures there are.
pub(crate) struct Worst {
    pub(crate) result_type: String,
    pub(crate) mx: String,
    pub(crate) senders: Vec<String>,
    pub(crate) since: String,
    pub(crate) others: usize,
}

/// The worst failure of `rows` (by result type and MX, summed over senders and policies).
pub(crate) fn worst(rows: &[FailRow]) -> Option<Worst> {
    let mut groups: Vec<((String, String), u64)> = Vec::new();
    for r in rows {
        let key = (r.result_type.clone(), r.mx.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += r.sessions,
            None => groups.push((key, r.sessions)),
        }
    }
    let ((result_type, mx), _) = groups.iter().max_by_key(|(_, n)| *n)?.clone();
    let mut of: Vec<&FailRow> = rows
        .iter()
        .filter(|r| r.result_type == result_type && r.mx == mx)
        .collect();
    of.sort_by_key(|r| std::cmp::Reverse(r.sessions));
    let mut senders: Vec<String> = Vec::new();
    for r in &of {
        if !senders.contains(&r.sender) {
            senders.push(r.sender.clone());
        }
    }
    let since = of
        .iter()
        .map(|r| r.first_day.clone())
        .min()
        .unwrap_or_default();
    Some(Worst {
        result_type,
        mx,
        senders,
        since,
        others: groups.len() - 1,
    })
}

/// How the headline's box looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Pass,
    Wait,
    Fail,
    None,
}

impl Tone {
    pub(crate) fn class(self) -> &'static str {
        match self {
            Tone::Pass => "verdict verdict-pass",
            Tone::Wait => "verdict verdict-inconclusive",
            Tone::Fail => "verdict verdict-fail",
            Tone::None => "verdict verdict-na",
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Tone::Pass => "ready",
            Tone::Wait => "waiting",
            Tone::Fail => "failing",
            Tone::None => "none",
        }
    }
}

/// The headline over the whole subscription, in plain words, and its tone; `today` is
/// `YYYY-MM-DD` (UTC).
pub(crate) fn headline(t: &Tls, today: &str) -> (Tone, String) {
    let n = &t.totals;
    if n.reports == 0 {
        let what = if t.accepting {
            "No TLS reports yet. Publish the record below: senders send one report a day, so the first ones arrive a day or two after it is in DNS."
        } else {
            "No TLS reports: they are taken only while the subscription is active (its record published and seen)."
        };
        return (Tone::None, what.into());
    }
    let span = format!(
        "{} of reports from {}",
        plural(n.days, "day", "days"),
        plural(n.senders, "sender", "senders")
    );
    if n.failed > 0 {
        let all = n.successful + n.failed;
        let rate = n.failure_rate.as_deref().unwrap_or("?");
        let sum = format!("{span}; {} of {all} sessions failed ({rate} %).", n.failed);
        let Some(w) = worst(&t.failures) else {
            return (Tone::Fail, sum);
        };
        let mx = if w.mx.is_empty() {
            "An MX not named in the reports".to_owned()
        } else {
            format!("MX {}", w.mx)
        };
        let others = match w.others {
            0 => String::new(),
            k => format!(
                " (and {})",
                plural(k as u64, "other failure", "other failures")
            ),
        };
        return (
            Tone::Fail,
            format!(
                "{mx} fails {} ({}) for {} since {}{others}. {sum}",
                w.result_type,
                first_letter(meaning(&w.result_type), false),
                and_list(&w.senders),
                day_words(&w.since)
            ),
        );
    }
    let items = checklist(t, today);
    match items
        .iter()
        .find(|i| matches!(i.status, Status::Fix | Status::Wait))
    {
        None => (Tone::Pass, format!("{span}; 0 failures: ready to enforce.")),
        Some(i) => (
            Tone::Wait,
            format!(
                "{span}; 0 failures so far. Not ready to enforce yet: {}",
                i.short
            ),
        ),
    }
}

/// A checklist item's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Done,
    /// Not there yet: time will tell.
    Wait,
    Fix,
    /// The reports cannot tell.
    NotChecked,
}

impl Status {
    /// The badge's class and label.
    pub(crate) fn badge(self) -> (&'static str, &'static str) {
        match self {
            Status::Done => ("badge badge-ok", "Done"),
            Status::Wait => ("badge badge-warning", "Waiting"),
            Status::Fix => ("badge badge-error", "To fix"),
            Status::NotChecked => ("badge badge-prio", "Not checked"),
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Wait => "waiting",
            Status::Fix => "fix",
            Status::NotChecked => "not-checked",
        }
    }
}

/// One item of the readiness checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// A stable name (`data-check`).
    pub(crate) check: &'static str,
    pub(crate) status: Status,
    pub(crate) text: String,
    /// What is missing, for the headline.
    pub(crate) short: String,
}

fn item(check: &'static str, status: Status, text: String, short: &str) -> Item {
    Item {
        check,
        status,
        text,
        short: short.to_owned(),
    }
}

/// Ready to enforce, by the stored reports: received at all, for enough days, still arriving,
/// under the MTA-STS policy, without failures, no MX failing, no alert open; and what the reports
/// cannot tell (whether every MX was reached). `today` is `YYYY-MM-DD` (UTC).
pub(crate) fn checklist(t: &Tls, today: &str) -> Vec<Item> {
    let n = &t.totals;
    let any = n.reports > 0;
    let wait = |c, s: &str| item(c, Status::Wait, first_letter(s, true), s);
    let mut out = vec![if any {
        item(
            "received",
            Status::Done,
            format!(
                "{} received, from {}.",
                plural(n.reports, "report", "reports"),
                plural(n.senders, "sender", "senders")
            ),
            "",
        )
    } else {
        wait(
            "received",
            "no report has been received yet: publish the `_smtp._tls` record above.",
        )
    }];
    out.push(if n.days >= MIN_DAYS {
        item("days", Status::Done, format!("{} of reports: at least two weeks (four are better before `enforce`).", plural(n.days, "day", "days")), "")
    } else {
        let s = format!("{} of {MIN_DAYS} days of reports: run `mode: testing` with the reports read for two to four weeks before `enforce`.", n.days);
        item("days", Status::Wait, s.clone(), &s)
    });
    let last = n.last_day.as_deref().unwrap_or_default();
    out.push(match (day_number(today), day_number(last)) {
        (Some(a), Some(b)) if any && a - b <= STALE_DAYS => item("recent", Status::Done, format!("Reports are still arriving: the latest is for {}.", day_words(last)), ""),
        (Some(a), Some(b)) if any => {
            let s = format!("the latest report is for {}, {} ago: check that the `_smtp._tls` record is still published.", day_words(last), plural((a - b) as u64, "day", "days"));
            item("recent", Status::Fix, format!("No report since {}: {s}", day_words(last)), &s)
        }
        _ => wait("recent", "reports have not started arriving."),
    });
    let sts = t.policies.iter().any(|(ty, _)| ty == "sts");
    out.push(if sts {
        item("policy", Status::Done, "Senders found and applied your MTA-STS policy (policy type `sts` in the reports).".into(), "")
    } else if any {
        let s = "the reports say no MTA-STS policy was found (`no-policy-found`): publish the `_mta-sts` TXT record and the policy file, in `mode: testing`.";
        item("policy", Status::Fix, format!("Senders did not apply an MTA-STS policy: {s}"), s)
    } else {
        wait("policy", "no report yet says whether senders find your MTA-STS policy.")
    });
    out.push(failures_item(t));
    out.push(if !any {
        wait("mx", "no report yet says how your MX hosts fare.")
    } else if t.by_mx.is_empty() {
        item(
            "mx",
            Status::Done,
            "No MX host fails in the reports.".into(),
            "",
        )
    } else {
        let hosts: Vec<String> = t
            .by_mx
            .iter()
            .map(|(m, k)| {
                format!(
                    "{} ({})",
                    if m.is_empty() { "unnamed" } else { m },
                    plural(*k, "session", "sessions")
                )
            })
            .collect();
        let s = format!("MX hosts fail: {}.", and_list(&hosts));
        item("mx", Status::Fix, s.clone(), &s)
    });
    out.push(item("mx-reached", Status::NotChecked, "Whether every MX host was reached: TLS reports count successes per policy, not per MX, so an MX no sender used is not in them. Before enforce, test each MX host's STARTTLS and certificate (`mtasts check --smtp`).".into(), ""));
    out.push(match &t.open {
        None if !any => wait("alert", "no report yet, so nothing to alert on."),
        None => item(
            "alert",
            Status::Done,
            format!(
                "No alert open ({} so far).",
                plural(t.incidents, "incident", "incidents")
            ),
            "",
        ),
        Some(o) => {
            let s = format!(
                "an alert is open since {} ({}).",
                day_words(&o.first_day),
                and_list(&o.senders)
            );
            item("alert", Status::Fix, format!("An alert is open: {s}"), &s)
        }
    });
    out
}

/// "No failed session", or the failures by result type and what to do about the worst.
fn failures_item(t: &Tls) -> Item {
    let n = &t.totals;
    if n.reports == 0 {
        return item(
            "failures",
            Status::Wait,
            "No sessions reported yet.".into(),
            "no sessions reported yet.",
        );
    }
    if n.failed == 0 {
        let all = n.successful;
        return item(
            "failures",
            Status::Done,
            format!(
                "No failed session in {}.",
                plural(all, "session", "sessions")
            ),
            "",
        );
    }
    let types: Vec<String> = t
        .by_type
        .iter()
        .map(|(rt, k)| format!("{rt} ({k})"))
        .collect();
    let fix = t
        .by_type
        .first()
        .and_then(|(rt, _)| mtasts::reports::result_type(rt))
        .map(|r| format!(" Fix: {}", r.fix))
        .unwrap_or_default();
    let s = format!(
        "{} failed: {}.",
        plural(n.failed, "session", "sessions"),
        and_list(&types)
    );
    item("failures", Status::Fix, format!("{s}{fix}"), &s)
}

/// A failure-rate threshold as typed (`0.5`, `1`, `0,25`, `2 %`): basis points, 0 to 10,000,
/// at most two decimals; `None` otherwise. By hand, so no float parser is in the wasm.
pub(crate) fn parse_percent(s: &str) -> Option<u32> {
    let s = s.trim().trim_end_matches('%').trim_end();
    let (whole, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty()
        || !digits(whole)
        || !digits(frac)
        || frac.len() > 2
        || whole.len() > 3
    {
        return None;
    }
    let w: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: u32 = if frac.is_empty() {
        0
    } else {
        frac.parse::<u32>().ok()? * if frac.len() == 1 { 10 } else { 1 }
    };
    let bp = w * 100 + f;
    (bp <= 10_000).then_some(bp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls(days: u64, last: &str) -> Tls {
        Tls {
            accepting: true,
            totals: Totals {
                reports: days * 2,
                senders: 2,
                days,
                successful: 900,
                last_day: Some(last.into()),
                ..Totals::default()
            },
            policies: vec![("sts".into(), "a.test".into())],
            threshold: "1.00".into(),
            ..Tls::default()
        }
    }

    #[test]
    fn percentages_as_typed() {
        for (s, bp) in [
            ("0.5", 50),
            ("1", 100),
            ("0,25", 25),
            ("2 %", 200),
            ("100", 10_000),
            (".5", 50),
            ("0", 0),
            ("12.", 1200),
        ] {
            assert_eq!(parse_percent(s), Some(bp), "{s}");
        }
        // Out of range, three decimals, not a number, negative, empty, an exponent.
        for s in ["100.01", "0.125", "abc", "-1", "", ".", "1e2", "1000"] {
            assert_eq!(parse_percent(s), None, "{s}");
        }
    }

    #[test]
    fn dates_and_lists_in_words() {
        assert_eq!(day_words("2026-03-03"), "3 March 2026");
        assert_eq!(day_words("nope"), "nope");
        assert_eq!(
            and_list(&["A".into(), "B".into(), "C".into()]),
            "A, B and C"
        );
        assert_eq!(
            day_number("2026-11-03")
                .zip(day_number("2026-11-01"))
                .map(|(a, b)| a - b),
            Some(2)
        );
    }

    #[test]
    fn ready_only_with_enough_recent_clean_reports() {
        let (tone, h) = headline(&tls(42, "2026-12-03"), "2026-12-04");
        assert_eq!(tone, Tone::Pass);
        assert_eq!(
            h,
            "42 days of reports from 2 senders; 0 failures: ready to enforce."
        );
        let (tone, h) = headline(&tls(3, "2026-12-03"), "2026-12-04");
        assert_eq!(tone, Tone::Wait);
        assert!(h.contains("3 of 14 days"), "{h}");
        // Reports stopped a week ago.
        let stale = checklist(&tls(42, "2026-11-27"), "2026-12-04");
        assert_eq!(
            stale.iter().find(|i| i.check == "recent").map(|i| i.status),
            Some(Status::Fix)
        );
        // No report at all: waiting, never "ready".
        let none = Tls {
            accepting: true,
            ..Tls::default()
        };
        assert_eq!(headline(&none, "2026-12-04").0, Tone::None);
        assert!(checklist(&none, "2026-12-04")
            .iter()
            .all(|i| i.status != Status::Done));
    }

    #[test]
    fn the_worst_failure_names_its_mx_senders_and_first_day() {
        let row = |sender: &str, n, day: &str| FailRow {
            result_type: "certificate-host-mismatch".into(),
            mx: "mx2.a.test".into(),
            sender: sender.into(),
            sessions: n,
            first_day: day.into(),
            ..FailRow::default()
        };
        let mut t = tls(20, "2026-12-03");
        t.totals.failed = 30;
        t.totals.failure_rate = Some("3.22".into());
        t.failures = vec![
            row("Google", 20, "2026-03-05"),
            row("Microsoft", 10, "2026-03-03"),
            FailRow {
                result_type: "starttls-not-supported".into(),
                mx: "mx3.a.test".into(),
                sessions: 1,
                ..FailRow::default()
            },
        ];
        t.by_type = vec![("certificate-host-mismatch".into(), 30)];
        t.by_mx = vec![("mx2.a.test".into(), 30)];
        let (tone, h) = headline(&t, "2026-12-04");
        assert_eq!(tone, Tone::Fail);
        assert_eq!(h, "MX mx2.a.test fails certificate-host-mismatch (the MX's certificate does not name the host) for Google and Microsoft since 3 March 2026 (and 1 other failure). 20 days of reports from 2 senders; 30 of 930 sessions failed (3.22 %).");
        let c = checklist(&t, "2026-12-04");
        let f = c.iter().find(|i| i.check == "failures").expect("failures");
        assert_eq!(f.status, Status::Fix);
        assert!(f.text.contains("Fix: Install a certificate"), "{}", f.text);
    }
}
