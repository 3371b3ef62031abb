//! Counting reports: totals, per policy domain and type, by MX, by sender, by day; and what a
//! person should do about the failures, given where the domain stands.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::model::{FailureDetail, PolicyResult, TlsReport, Unread};
use super::results::{result_type, ResultKind};
use crate::civil;
use crate::finding::Priority;

/// Reports added one at a time; the same report received twice (same `organization-name` and
/// `report-id`; or, without a `report-id`, the same content) counts once.
#[derive(Debug, Default)]
pub struct Collection {
    reports: Vec<TlsReport>,
    /// Reports by `organization-name` and `report-id`.
    seen: HashMap<(Option<String>, String), usize>,
    /// Reports without a `report-id`, by a hash of their content.
    anonymous: HashMap<u64, Vec<usize>>,
    duplicates: Vec<Duplicate>,
    unread: Vec<Unread>,
}

/// A report received again, not counted twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// Where the copy was found.
    pub file: String,
    /// Its `organization-name`.
    pub organization: Option<String>,
    /// Its `report-id`.
    pub report_id: Option<String>,
    /// Where the counted one was found.
    pub same_as: String,
}

impl Collection {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a report, unless it was added before.
    pub fn add(&mut self, report: TlsReport) {
        let next = self.reports.len();
        let earlier = match &report.report_id {
            Some(id) => {
                let key = (report.organization.clone(), id.clone());
                match self.seen.get(&key) {
                    Some(&i) => Some(i),
                    None => {
                        self.seen.insert(key, next);
                        None
                    }
                }
            }
            None => {
                let content = |r: &TlsReport| {
                    (
                        r.organization.clone(),
                        r.date_begin,
                        r.date_end,
                        r.policies.clone(),
                    )
                };
                let mut h = std::collections::hash_map::DefaultHasher::new();
                content(&report).hash(&mut h);
                let same = self.anonymous.entry(h.finish()).or_default();
                let found = same
                    .iter()
                    .copied()
                    .find(|&i| content(&self.reports[i]) == content(&report));
                if found.is_none() {
                    same.push(next);
                }
                found
            }
        };
        if let Some(i) = earlier {
            self.duplicates.push(Duplicate {
                file: report.file,
                organization: report.organization,
                report_id: report.report_id,
                same_as: self.reports[i].file.clone(),
            });
            return;
        }
        self.reports.push(report);
    }

    /// Records what could not be read.
    pub fn add_unread(&mut self, unread: Unread) {
        self.unread.push(unread);
    }

    /// The reports counted, in the order added.
    pub fn reports(&self) -> &[TlsReport] {
        &self.reports
    }

    /// The whole result: the documented JSON contract of `mtasts reports --format json`.
    pub fn document(&self) -> Document<'_> {
        let summary = Summary::of(&self.reports);
        Document {
            reports: &self.reports,
            totals: summary.totals.clone(),
            summary,
            duplicates: &self.duplicates,
            unread: &self.unread,
        }
    }
}

/// `{reports, totals, summary, duplicates, unread}`.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// One entry per distinct report found.
    pub reports: &'a [TlsReport],
    /// Sessions over all reports.
    pub totals: Totals,
    /// Per domain, by day, by reporter; the advice.
    pub summary: Summary,
    /// Reports received again (counted once).
    pub duplicates: &'a [Duplicate],
    /// Files, messages and parts that held no readable report.
    pub unread: &'a [Unread],
}

/// Session counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Successful sessions.
    pub successful: u64,
    /// Failed sessions.
    pub failed: u64,
    /// Failed sessions by result type (from the failure details).
    pub failures: BTreeMap<String, u64>,
    /// Session counts that could not be read (not in the sums above).
    pub unreadable: u64,
}

/// What the reports say, counted.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Distinct reports.
    pub reports: usize,
    /// The earliest `start-datetime`.
    #[serde(serialize_with = "super::model::rfc3339")]
    pub date_first: Option<i64>,
    /// The latest `end-datetime`.
    #[serde(serialize_with = "super::model::rfc3339")]
    pub date_last: Option<i64>,
    /// Whole days between them.
    pub days_covered: u64,
    /// Sessions over all reports.
    pub totals: Totals,
    /// Per policy domain and policy type.
    pub domains: Vec<DomainSummary>,
    /// Sessions by the UTC day each report's range starts.
    pub daily: Vec<Day>,
    /// Who sent reports.
    pub reporters: Vec<Reporter>,
    /// What to do, most urgent first.
    pub advice: Vec<Advice>,
    /// The plain-words summary on top.
    pub headline: String,
}

/// One policy domain and type.
#[derive(Debug, Clone, Serialize)]
pub struct DomainSummary {
    /// `sts`, `tlsa`, `no-policy-found`.
    pub policy_type: String,
    /// The policy domain (`None`: not given).
    pub policy_domain: Option<String>,
    /// The mode of the latest `sts` policy reported.
    pub mode: Option<String>,
    /// Sessions.
    #[serde(flatten)]
    pub totals: Totals,
    /// Successful sessions in percent of all read (`None` without sessions).
    pub success_rate: Option<f64>,
    /// Failures by receiving MX host and IP, most first.
    pub by_mx: Vec<MxRow>,
    /// Failures by sending organisation and MTA, most first.
    pub by_sender: Vec<SenderRow>,
}

/// Failures at one receiving MX host and IP.
#[derive(Debug, Clone, Serialize)]
pub struct MxRow {
    /// `receiving-mx-hostname` (`None`: not given).
    pub host: Option<String>,
    /// `receiving-ip`.
    pub ip: Option<String>,
    /// Failed sessions.
    pub failed: u64,
    /// By result type.
    pub result_types: BTreeMap<String, u64>,
}

/// Failures from one sending organisation and MTA.
#[derive(Debug, Clone, Serialize)]
pub struct SenderRow {
    /// The reporting organisation.
    pub organization: Option<String>,
    /// `sending-mta-ip`.
    pub mta_ip: Option<String>,
    /// Failed sessions.
    pub failed: u64,
    /// By result type.
    pub result_types: BTreeMap<String, u64>,
}

/// Sessions of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Successful sessions.
    pub successful: u64,
    /// Failed sessions.
    pub failed: u64,
}

/// One reporting organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Reporter {
    /// `organization-name`.
    pub organization: Option<String>,
    /// Reports received.
    pub reports: usize,
    /// Successful sessions.
    pub successful: u64,
    /// Failed sessions.
    pub failed: u64,
}

/// One thing to do.
#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    /// How urgent.
    pub priority: Priority,
    /// The policy domain.
    pub policy_domain: Option<String>,
    /// The result type.
    pub result_type: String,
    /// The receiving MX host (`None`: not given or not host-specific).
    pub mx: Option<String>,
    /// Failed sessions.
    pub sessions: u64,
    /// Distinct sending organisations that saw it.
    pub senders: usize,
    /// In plain words.
    pub text: String,
}

/// Two optional names (host and IP, or organisation and MTA IP).
type Pair = (Option<String>, Option<String>);
/// Failed sessions, and by result type.
type Tally = (u64, BTreeMap<String, u64>);
/// Failed sessions, and the organisations that reported them.
type Seen = (u64, BTreeSet<Option<String>>);

/// The counts of one policy domain and type, before they are sorted into a [`DomainSummary`].
#[derive(Default)]
struct Acc {
    totals: Totals,
    mode: Option<(i64, String)>,
    mx: BTreeMap<Pair, Tally>,
    senders: BTreeMap<Pair, Tally>,
    /// Per result type and MX: failed sessions and the organisations that saw them.
    issues: BTreeMap<(String, Option<String>), Seen>,
}

/// The counts over all reports, gathered one report at a time, before they are sorted into a
/// [`Summary`].
#[derive(Default)]
struct Count {
    totals: Totals,
    domains: BTreeMap<(String, Option<String>), Acc>,
    /// Successful and failed sessions by day (days since 1970-01-01).
    days: BTreeMap<i64, (u64, u64)>,
    reporters: BTreeMap<Option<String>, Reporter>,
    first: Option<i64>,
    last: Option<i64>,
}

/// Adds `n` to the count of `key` in `map`.
fn add_to(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    let v = map.entry(key.to_owned()).or_insert(0);
    *v = v.saturating_add(n);
}

/// Adds `n` failed sessions of result type `rt` to `tally`.
fn add_tally(tally: &mut Tally, rt: &str, n: u64) {
    tally.0 = tally.0.saturating_add(n);
    add_to(&mut tally.1, rt, n);
}

impl Summary {
    /// The first and last day the reports cover (`YYYY-MM-DD`, UTC; the last is the day of the
    /// latest end, which is exclusive to the second).
    pub fn span(&self) -> Option<(String, String)> {
        let (a, b) = (self.date_first?, self.date_last?);
        Some((
            civil::date(u64::try_from(a).unwrap_or(0)),
            civil::date(u64::try_from(b - 1).unwrap_or(0)),
        ))
    }

    /// Counts `reports` (already deduplicated).
    pub fn of(reports: &[TlsReport]) -> Summary {
        let mut count = Count::default();
        for r in reports {
            count.report(r);
        }
        count.summary(reports.len())
    }
}

impl Totals {
    /// Adds the sessions of policy `p`, and its failures by result type; a count that cannot be
    /// read counts as unreadable instead.
    fn add(&mut self, p: &PolicyResult) {
        for c in [p.successful, p.failed] {
            if c.is_none() {
                self.unreadable += 1;
            }
        }
        self.successful = self.successful.saturating_add(p.successful.unwrap_or(0));
        self.failed = self.failed.saturating_add(p.failed.unwrap_or(0));
        for d in &p.failure_details {
            match d.failed {
                Some(n) => add_to(&mut self.failures, &d.result_type, n),
                None => self.unreadable += 1,
            }
        }
    }
}

impl Count {
    /// Counts one report: its date range, its sender, and each of its policies.
    fn report(&mut self, r: &TlsReport) {
        self.first = match (self.first, r.date_begin) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, r.date_end) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.reporter(r);
        for p in &r.policies {
            self.totals.add(p);
            if let Some(b) = r.date_begin {
                let day = self.days.entry(b.div_euclid(86_400)).or_default();
                day.0 = day.0.saturating_add(p.successful.unwrap_or(0));
                day.1 = day.1.saturating_add(p.failed.unwrap_or(0));
            }
            self.domains
                .entry((p.policy_type.clone(), p.policy_domain.clone()))
                .or_default()
                .policy(r, p);
        }
    }

    /// Counts report `r` and its sessions for the organisation that sent it.
    fn reporter(&mut self, r: &TlsReport) {
        let reporter = self
            .reporters
            .entry(r.organization.clone())
            .or_insert(Reporter {
                organization: r.organization.clone(),
                reports: 0,
                successful: 0,
                failed: 0,
            });
        reporter.reports += 1;
        for p in &r.policies {
            reporter.successful = reporter
                .successful
                .saturating_add(p.successful.unwrap_or(0));
            reporter.failed = reporter.failed.saturating_add(p.failed.unwrap_or(0));
        }
    }

    /// The counts sorted: domains in their order, advice most urgent first, reporters with the
    /// most reports first; then the headline, which reads them.
    fn summary(self, reports: usize) -> Summary {
        let mut advice = vec![];
        let domains: Vec<DomainSummary> = self
            .domains
            .into_iter()
            .map(|(key, acc)| acc.summary(key, &mut advice))
            .collect();
        sort_advice(&mut advice);
        let days_covered = match (self.first, self.last) {
            (Some(a), Some(b)) if b > a => u64::try_from((b - a + 86_399) / 86_400).unwrap_or(0),
            _ => 0,
        };
        let mut summary = Summary {
            reports,
            date_first: self.first,
            date_last: self.last,
            days_covered,
            totals: self.totals,
            domains,
            daily: daily(self.days),
            reporters: reporters(self.reporters),
            advice,
            headline: String::new(),
        };
        summary.headline = headline(&summary);
        summary
    }
}

impl Acc {
    /// Counts policy `p` of report `r`: its sessions, the mode of the latest, and its failures.
    fn policy(&mut self, r: &TlsReport, p: &PolicyResult) {
        self.totals.add(p);
        if let Some(mode) = p.mode() {
            let at = r.date_end.or(r.date_begin).unwrap_or(0);
            if self.mode.as_ref().is_none_or(|(t, _)| at >= *t) {
                self.mode = Some((at, mode.to_ascii_lowercase()));
            }
        }
        for d in &p.failure_details {
            if let Some(n) = d.failed {
                self.failure(r.organization.as_ref(), d, n);
            }
        }
    }

    /// Counts `n` failed sessions of failure detail `d`, reported by `organization`: by MX, by
    /// sender, and as an issue to advise on.
    fn failure(&mut self, organization: Option<&String>, d: &FailureDetail, n: u64) {
        let mx = (d.receiving_mx_hostname.clone(), d.receiving_ip.clone());
        add_tally(self.mx.entry(mx).or_default(), &d.result_type, n);
        let sender = (organization.cloned(), d.sending_mta_ip.clone());
        add_tally(self.senders.entry(sender).or_default(), &d.result_type, n);
        let issue = self
            .issues
            .entry((d.result_type.clone(), d.receiving_mx_hostname.clone()))
            .or_default();
        issue.0 = issue.0.saturating_add(n);
        issue.1.insert(organization.cloned());
    }

    /// The summary of the policy domain and type `key`, its advice added to `advice`.
    fn summary(self, key: (String, Option<String>), advice: &mut Vec<Advice>) -> DomainSummary {
        let (policy_type, policy_domain) = key;
        let mode = self.mode.map(|(_, m)| m);
        for ((rt, mx), (sessions, senders)) in &self.issues {
            advice.push(advise(
                &policy_type,
                policy_domain.as_ref(),
                mode.as_deref(),
                rt,
                mx.as_ref(),
                *sessions,
                senders.len(),
            ));
        }
        let all = self.totals.successful.saturating_add(self.totals.failed);
        #[allow(clippy::cast_precision_loss)]
        let success_rate = (all > 0).then(|| self.totals.successful as f64 * 100.0 / all as f64);
        DomainSummary {
            policy_type,
            policy_domain,
            mode,
            totals: self.totals,
            success_rate,
            by_mx: by_mx(self.mx),
            by_sender: by_sender(self.senders),
        }
    }
}

// Unstable sorts with every key compared: deterministic, and no second sort in the wasm.

/// Failures by MX host and IP, most first.
fn by_mx(mx: BTreeMap<Pair, Tally>) -> Vec<MxRow> {
    let mut rows: Vec<MxRow> = mx
        .into_iter()
        .map(|((host, ip), (failed, result_types))| MxRow {
            host,
            ip,
            failed,
            result_types,
        })
        .collect();
    rows.sort_unstable_by(|a, b| {
        b.failed
            .cmp(&a.failed)
            .then_with(|| (&a.host, &a.ip).cmp(&(&b.host, &b.ip)))
    });
    rows
}

/// Failures by sending organisation and MTA, most first.
fn by_sender(senders: BTreeMap<Pair, Tally>) -> Vec<SenderRow> {
    let mut rows: Vec<SenderRow> = senders
        .into_iter()
        .map(
            |((organization, mta_ip), (failed, result_types))| SenderRow {
                organization,
                mta_ip,
                failed,
                result_types,
            },
        )
        .collect();
    rows.sort_unstable_by(|a, b| {
        b.failed
            .cmp(&a.failed)
            .then_with(|| (&a.organization, &a.mta_ip).cmp(&(&b.organization, &b.mta_ip)))
    });
    rows
}

/// Most urgent first; then the most sessions; then by domain, result type and MX.
fn sort_advice(advice: &mut [Advice]) {
    advice.sort_unstable_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.sessions.cmp(&a.sessions))
            .then_with(|| {
                (&a.policy_domain, &a.result_type, &a.mx).cmp(&(
                    &b.policy_domain,
                    &b.result_type,
                    &b.mx,
                ))
            })
    });
}

/// The reporters, the most reports first.
fn reporters(reporters: BTreeMap<Option<String>, Reporter>) -> Vec<Reporter> {
    let mut reporters: Vec<Reporter> = reporters.into_values().collect();
    reporters.sort_unstable_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then_with(|| a.organization.cmp(&b.organization))
    });
    reporters
}

/// The sessions of each day (days since 1970-01-01), in order.
fn daily(days: BTreeMap<i64, (u64, u64)>) -> Vec<Day> {
    days.into_iter()
        .map(|(day, (successful, failed))| Day {
            date: civil::date(u64::try_from(day * 86_400).unwrap_or(0)),
            successful,
            failed,
        })
        .collect()
}

/// The advice for failures of type `rt` at `mx`, given the policy's type and mode.
fn advise(
    policy_type: &str,
    domain: Option<&String>,
    mode: Option<&str>,
    rt: &str,
    mx: Option<&String>,
    sessions: u64,
    senders: usize,
) -> Advice {
    let info = result_type(rt);
    let kind = info.map_or(ResultKind::Other, |i| i.kind);
    let enforce = mode == Some("enforce");
    let sts = policy_type == "sts";
    let priority = match kind {
        ResultKind::Dane => Priority::High,
        ResultKind::Negotiation if enforce || (sts && mode == Some("testing")) => Priority::High,
        ResultKind::Negotiation => Priority::Low,
        ResultKind::Sts if sts => Priority::Medium,
        ResultKind::Sts => Priority::Low,
        ResultKind::Other => Priority::Low,
    };
    let at = mx.map_or_else(
        || "an MX not named in the reports".to_owned(),
        |m| m.clone(),
    );
    let from = format!(
        "{sessions} session{} from {senders} sender{}",
        if sessions == 1 { "" } else { "s" },
        if senders == 1 { "" } else { "s" }
    );
    let title = info.map_or("a result type RFC 8460 does not define", |i| i.title);
    let text = match kind {
        ResultKind::Negotiation if enforce && sts => format!(
            "Mail is not being delivered to {at} now: {from} failed with {rt} ({}). {}",
            lower_first(title), info.map_or("", |i| i.fix)
        ),
        ResultKind::Negotiation if sts && mode == Some("testing") => format!(
            "Fix {at} before enforcing: {from} failed with {rt} ({}). Under enforce this mail would not be delivered. {}",
            lower_first(title), info.map_or("", |i| i.fix)
        ),
        ResultKind::Negotiation => format!(
            "{from} to {at} failed with {rt} ({}); with no MTA-STS policy in force it was delivered anyway. Fix it before publishing one.",
            lower_first(title)
        ),
        ResultKind::Sts => format!(
            "{from} failed with {rt} ({}). {}",
            lower_first(title), info.map_or("", |i| i.fix)
        ),
        ResultKind::Dane => format!(
            "DANE senders are deferring mail to {at}: {from} failed with {rt} ({}). {}",
            lower_first(title), info.map_or("", |i| i.fix)
        ),
        ResultKind::Other => format!("{from} to {at} failed with \"{rt}\" ({title})."),
    };
    Advice {
        priority,
        policy_domain: domain.cloned(),
        result_type: rt.to_owned(),
        mx: mx.cloned(),
        sessions,
        senders,
        text,
    }
}

/// `s` with its first letter in lower case. `s` is one of this module's own titles, which begin
/// in ASCII: lowercasing ASCII only keeps the Unicode case tables (~12 KB of wasm) out of the
/// report viewer's build.
fn lower_first(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    out
}

/// The plain-words summary on top: what is failing, or how far the domain is from `enforce`; then
/// what the counts cannot say (unreadable counts, too few days).
fn headline(s: &Summary) -> String {
    if s.reports == 0 {
        return "No TLS report could be read from these files.".into();
    }
    let enforce = s
        .domains
        .iter()
        .any(|d| d.mode.as_deref() == Some("enforce"));
    let high: Vec<&Advice> = s
        .advice
        .iter()
        .filter(|a| a.priority == Priority::High)
        .collect();
    let mut out = if high.is_empty() {
        standing(s, enforce)
    } else {
        failing(&high, enforce)
    };
    if s.totals.unreadable > 0 {
        out.push_str(&format!(
            " {} count{} could not be read and {} not counted.",
            s.totals.unreadable,
            if s.totals.unreadable == 1 { "" } else { "s" },
            if s.totals.unreadable == 1 {
                "is"
            } else {
                "are"
            }
        ));
    }
    if !enforce && s.days_covered < 14 {
        out.push_str(&format!(
            " The reports cover {} day{}; wait for at least two weeks of reports before enforcing.",
            s.days_covered,
            if s.days_covered == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The headline's first sentence when some advice is urgent: the first three of `high`.
fn failing(high: &[&Advice], enforce: bool) -> String {
    let list: Vec<String> = high
        .iter()
        .take(3)
        .map(|a| {
            format!(
                "{} ({}, {} session{})",
                a.mx.as_deref().unwrap_or("an unnamed MX"),
                a.result_type,
                a.sessions,
                if a.sessions == 1 { "" } else { "s" }
            )
        })
        .collect();
    let more = if high.len() > 3 {
        format!(" and {} more", high.len() - 3)
    } else {
        String::new()
    };
    if enforce {
        format!(
            "Mail is failing now under enforce: {}{more}.",
            list.join("; ")
        )
    } else {
        format!("Fix before enforcing: {}{more}.", list.join("; "))
    }
}

/// The headline's first sentence when no advice is urgent: the failures there are, or that all
/// sessions succeeded.
fn standing(s: &Summary, enforce: bool) -> String {
    let span = s
        .span()
        .map(|(a, b)| format!(" between {a} and {b}"))
        .unwrap_or_default();
    let all = s.totals.successful.saturating_add(s.totals.failed);
    let senders = s.reporters.len();
    if s.totals.failed > 0 || !s.advice.is_empty() {
        format!(
            "{} of {all} sessions failed{span}, none on the MX hosts' TLS under a policy in force: see the advice below.",
            s.totals.failed
        )
    } else if enforce {
        format!(
            "All {all} sessions from {senders} sender{} succeeded under enforce{span}.",
            if senders == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "The reports show nothing standing in the way of enforce: all {all} sessions from {senders} sender{} succeeded{span}.",
            if senders == 1 { "" } else { "s" }
        )
    }
}

/// The reports as CSV (RFC 4180): a `policy` row per policy with its session counts, then a
/// `failure` row per failure detail with its count — summing a column never counts twice.
pub fn csv(reports: &[TlsReport]) -> String {
    let mut out = String::from(
        "row,file,organization,report_id,date_begin,date_end,policy_type,policy_domain,mode,successful,failed,result_type,receiving_mx_hostname,receiving_ip,sending_mta_ip,failed_session_count,failure_reason_code\r\n",
    );
    let date = |t: Option<i64>| t.map(civil::rfc3339).unwrap_or_default();
    let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for r in reports {
        for p in &r.policies {
            let common = [
                r.file.clone(),
                r.organization.clone().unwrap_or_default(),
                r.report_id.clone().unwrap_or_default(),
                date(r.date_begin),
                date(r.date_end),
                p.policy_type.clone(),
                p.policy_domain.clone().unwrap_or_default(),
                p.mode().unwrap_or_default().to_owned(),
            ];
            let mut row = vec!["policy".to_owned()];
            row.extend(common.iter().cloned());
            row.extend([num(p.successful), num(p.failed)]);
            row.extend(std::iter::repeat_n(String::new(), 6));
            csv_row(&mut out, &row);
            for d in &p.failure_details {
                let mut row = vec!["failure".to_owned()];
                row.extend(common.iter().cloned());
                row.extend([String::new(), String::new(), d.result_type.clone()]);
                for f in [&d.receiving_mx_hostname, &d.receiving_ip, &d.sending_mta_ip] {
                    row.push(f.clone().unwrap_or_default());
                }
                row.push(num(d.failed));
                row.push(d.failure_reason_code.clone().unwrap_or_default());
                csv_row(&mut out, &row);
            }
        }
    }
    out
}

/// Appends one CSV (RFC 4180) row to `out`: fields quoted when needed, and a leading `=` `+` `-`
/// `@` prefixed with `'` so spreadsheets do not run it (the reports' export and `/bulk`'s).
pub fn csv_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Quoted when needed; a leading = + - @ is prefixed so spreadsheets do not run it.
        let risky = f.starts_with(['=', '+', '-', '@']);
        let f = if risky { format!("'{f}") } else { f.clone() };
        if f.contains([',', '"', '\r', '\n']) || risky {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}
