//! What changed between two observations of a domain: `compare(old, new)` over two Evidence
//! values gives change findings, each a documented code like every other finding.
//!
//! The failures people suffer after the first setup are changes (LIFECYCLE.md, step 5): the policy
//! edited but the `id` not bumped, an MX added without updating the policy, the policy host's
//! certificate lost, records removed while senders still cache the policy. A part that could not
//! be observed in one of the two (a lookup or fetch that failed) is not compared — it is reported
//! as such (`change-not-compared`), never as "disappeared".
//!
//! [`compare`] runs a list of comparisons, one a kind of change, each defined beside the code it
//! emits (as the judges of [`crate::judge`] are): the policy's content and its `id`, the records
//! and the policy file that appeared or disappeared, the MX hosts, TLS-RPT, the policy host's
//! certificate, the verdict, and last the parts that could not be compared.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::code;
use crate::code_type::Code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{sort_findings, Finding, Priority, Severity, Subject};
use crate::observe::evidence::{CertificateFacts, DnsLookup, Evidence, LookupStatus};
use crate::records::policy::{Mode, Policy};
use crate::records::tlsrpt::TlsRptRecord;
use crate::report::{Report, Verdict};

/// Days before expiry from which a certificate is "about to expire" (as `certificate-expiring`).
const EXPIRING_DAYS: u64 = 14;

pub(crate) const CODES: &[Code] = &[
    CHANGE_POLICY_ID_UNCHANGED,
    CHANGE_ID_ONLY,
    CHANGE_MX_ADDED,
    CHANGE_MX_REMOVED,
    CHANGE_MODE,
    CHANGE_MAX_AGE,
    CHANGE_TLSRPT,
    CHANGE_RECORD_APPEARED,
    CHANGE_RECORD_DISAPPEARED,
    CHANGE_CERTIFICATE_RENEWED,
    CHANGE_CERTIFICATE_EXPIRING,
    CHANGE_VERDICT,
    CHANGE_NOT_COMPARED,
];

/// The changes between two observations of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// The domain (of the newer observation).
    pub domain: String,
    /// When the older observation was made (Unix seconds).
    pub before: u64,
    /// When the newer one was made.
    pub after: u64,
    /// The verdict then.
    pub verdict_before: Verdict,
    /// The verdict now.
    pub verdict_after: Verdict,
    /// The change findings, most severe first; empty when nothing changed.
    pub findings: Vec<Finding>,
}

impl Changes {
    /// Whether anything changed (a part that could not be compared is not a change).
    pub fn changed(&self) -> bool {
        self.findings.iter().any(|f| f.code != CHANGE_NOT_COMPARED)
    }
}

/// The changes from `old` to `new` (normally two observations of one domain, `old` first).
pub fn compare(old: &Evidence, new: &Evidence) -> Changes {
    compare_judged(old, &crate::assess(old), new, &crate::assess(new))
}

/// [`compare`] of two observations already judged: `ro` is `assess(old)` and `rn` is
/// `assess(new)` (as the Worker's `/api/report` returns them). The web app's report compares
/// with this, so its build carries no judge.
pub fn compare_judged(old: &Evidence, ro: &Report, new: &Evidence, rn: &Report) -> Changes {
    let c = Comparing::new(old, new, ro, rn);
    let mut out: Vec<Finding> = vec![];
    // The comparisons, in the order their findings are listed among findings of the same
    // severity and priority (the sort is stable). Those on one part exclude each other: a policy
    // served both times is compared by content, one served only once appeared or disappeared.
    // Called one by one rather than from an array of function pointers: the array kept the
    // compiler from inlining them, 1.1 KB more gzip'd wasm in the web app.
    mode(&c, &mut out);
    max_age(&c, &mut out);
    id_unchanged(&c, &mut out);
    id_only(&c, &mut out);
    policy_file(&c, &mut out);
    sts_record(&c, &mut out);
    mx_added(&c, &mut out);
    mx_removed(&c, &mut out);
    tlsrpt_destinations(&c, &mut out);
    tlsrpt_record(&c, &mut out);
    certificate_expiring(&c, &mut out);
    certificate_renewed(&c, &mut out);
    verdict(&c, &mut out);
    not_compared(&c, &mut out);
    sort_findings(&mut out);
    Changes {
        domain: new.domain.clone(),
        before: old.observed_at,
        after: new.observed_at,
        verdict_before: ro.verdict,
        verdict_after: rn.verdict,
        findings: out,
    }
}

/// What the comparisons share: the two observations, their assessments, and what each saw of
/// the parts that can be present, absent or not observed.
struct Comparing<'a> {
    /// The older observation.
    old: &'a Evidence,
    /// The newer one.
    new: &'a Evidence,
    /// The assessment of `old`.
    ro: &'a Report,
    /// The assessment of `new`.
    rn: &'a Report,
    /// The `_mta-sts` record's `id`, then and now.
    id: (Seen<&'a str>, Seen<&'a str>),
    /// The policy as served, then and now.
    policy: (Seen<&'a Policy>, Seen<&'a Policy>),
    /// The TLS-RPT record, then and now.
    tlsrpt: (Seen<&'a TlsRptRecord>, Seen<&'a TlsRptRecord>),
    /// Whether both MX lookups got an answer.
    mx_seen: bool,
}

impl<'a> Comparing<'a> {
    fn new(old: &'a Evidence, new: &'a Evidence, ro: &'a Report, rn: &'a Report) -> Self {
        let id = |ev: &'a Evidence, r: &'a Report| {
            dns(&ev.sts_txt, r.sts_record.as_ref().map(|s| s.id.as_str()))
        };
        let tlsrpt = |ev: &'a Evidence, r: &'a Report| dns(&ev.tlsrpt_txt, r.tlsrpt.as_ref());
        let answered = |ev: &Evidence| !matches!(ev.mx.status(), LookupStatus::Failed(..));
        Comparing {
            old,
            new,
            ro,
            rn,
            id: (id(old, ro), id(new, rn)),
            policy: (served(old, ro), served(new, rn)),
            tlsrpt: (tlsrpt(old, ro), tlsrpt(new, rn)),
            mx_seen: answered(old) && answered(new),
        }
    }

    /// Both policies, when the policy was served both times.
    fn policies(&self) -> Option<(&'a Policy, &'a Policy)> {
        match self.policy {
            (Seen::Present(a), Seen::Present(b)) => Some((a, b)),
            _ => None,
        }
    }
}

/// Present, absent (a definite answer), or unknown (the observation failed).
enum Seen<T> {
    Present(T),
    Absent,
    Unknown,
}

fn dns<T>(lookup: &DnsLookup, value: Option<T>) -> Seen<T> {
    match (lookup.status(), value) {
        (LookupStatus::Failed(..), _) => Seen::Unknown,
        (_, Some(v)) => Seen::Present(v),
        (LookupStatus::Found, None) => Seen::Absent,
        (LookupStatus::NoData | LookupStatus::NxDomain, None) => Seen::Absent,
    }
}

/// The policy as served: present when parsed, absent when the host definitely does not serve one
/// (an HTTP answer that is not a valid policy), unknown when the fetch failed or was not made.
fn served<'a>(ev: &Evidence, report: &'a Report) -> Seen<&'a Policy> {
    if let Some(p) = &report.policy {
        return Seen::Present(p);
    }
    match &ev.policy_fetch {
        Some(f) if f.error.is_none() && f.status.is_some() => Seen::Absent,
        _ => Seen::Unknown,
    }
}

fn days(secs: u64) -> String {
    let d = secs / 86_400;
    if d == 1 {
        "1 day".into()
    } else if d > 0 {
        format!("{d} days")
    } else {
        format!("{} hours", secs / 3600)
    }
}

code!(CHANGE_MODE = "change-mode", Info, Low, "RFC 8461 §5",
    "The policy's mode changed",
    what: "Whether the policy's `mode` changed (`testing` → `enforce`, or back, or to `none`).",
    why: "The mode decides what senders do when an MX fails validation: deliver anyway (`testing`) or not (`enforce`).",
    example: "`mode: testing` became `mode: enforce`.",
    fix: "Nothing to do if intended; check that the `id` changed with it.",
    bad: Example::Change { before: "testing-no-tlsrpt.test", after: "good.test" },
    good: Example::Change { before: "good.test", after: "goodedit.test" });

/// Judges a change of the policy's mode.
fn mode(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let Some((a, b)) = c.policies() else { return };
    if a.mode != b.mode {
        out.push(Finding::new(
            CHANGE_MODE,
            Subject::Policy,
            format!(
                "The policy's mode changed from {} to {}.",
                a.mode.as_str(),
                b.mode.as_str()
            ),
        ));
    }
}

code!(CHANGE_MAX_AGE = "change-max-age", Info, Low, "RFC 8461 §3.2",
    "The policy's max_age changed",
    what: "Whether the policy's `max_age` changed.",
    why: "`max_age` is how long senders keep the policy: a change of plans (a migration, retiring MTA-STS) must wait out the old value.",
    example: "`max_age: 604800` became `max_age: 1209600`.",
    fix: "Nothing to do if intended.",
    bad: Example::Change { before: "testing-no-tlsrpt.test", after: "good.test" },
    good: Example::Change { before: "good.test", after: "goodedit.test" });

/// Judges a change of the policy's `max_age`.
fn max_age(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let Some((a, b)) = c.policies() else { return };
    if a.max_age != b.max_age {
        out.push(Finding::new(
            CHANGE_MAX_AGE,
            Subject::Policy,
            format!(
                "max_age changed from {} ({}) to {} ({}).",
                a.max_age,
                days(a.max_age),
                b.max_age,
                days(b.max_age)
            ),
        ));
    }
}

code!(CHANGE_POLICY_ID_UNCHANGED = "change-policy-id-unchanged", Error, High, "RFC 8461 §3.1, §5.1",
    "The policy changed but its id did not",
    what: "Whether the policy file's content (mode, `max_age`, `mx` lines) changed between two checks while the `_mta-sts` TXT record's `id` stayed the same.",
    why: "Senders fetch the policy again only when the `id` changes. With the old `id`, every sender that cached the old policy keeps applying it until its `max_age` runs out — for example still refusing a new MX host that the edited policy lists.",
    example: "A new MX host was added to the policy file, and `v=STSv1; id=20251101000000` was left as it was.",
    fix: "Publish a new `id` in the `_mta-sts` TXT record (for example the current date and time, `20251201093000`) whenever the policy file changes.",
    bad: Example::Change { before: "good.test", after: "goodedit.test" },
    good: Example::Change { before: "good.test", after: "goodbump.test" });

/// Judges a policy edited under the same `id`.
fn id_unchanged(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let (Some((a, b)), (Seen::Present(was), Seen::Present(id))) = (c.policies(), &c.id) else {
        return;
    };
    let edits = edits(a, b);
    if edits.is_empty() || was != id {
        return;
    }
    out.push(
        Finding::new(
            CHANGE_POLICY_ID_UNCHANGED,
            Subject::StsTxt,
            format!(
                "The policy changed ({}) but the `_mta-sts` id is still `{id}`: senders that cached the old policy keep applying it for up to its max_age ({}) after they last fetched it.",
                edits.join("; "),
                days(a.max_age)
            ),
        )
        .fix(format!("v=STSv1; id={}", crate::generate::id_from_time(c.new.observed_at))),
    );
}

/// The edits from policy `a` to policy `b`, in words (`mode testing → enforce`, `mx added: …`);
/// none when it is the same policy.
fn edits(a: &Policy, b: &Policy) -> Vec<String> {
    let mut what = vec![];
    if a.mode != b.mode {
        what.push(format!("mode {} → {}", a.mode.as_str(), b.mode.as_str()));
    }
    if a.max_age != b.max_age {
        what.push(format!("max_age {} → {}", a.max_age, b.max_age));
    }
    let (ma, mb) = (mx_set(a), mx_set(b));
    let added: Vec<&String> = mb.difference(&ma).collect();
    let removed: Vec<&String> = ma.difference(&mb).collect();
    if !added.is_empty() {
        what.push(format!("mx added: {}", join(&added)));
    }
    if !removed.is_empty() {
        what.push(format!("mx removed: {}", join(&removed)));
    }
    what
}

fn mx_set(p: &Policy) -> BTreeSet<String> {
    p.mx.iter()
        .map(|m| m.as_str().to_ascii_lowercase())
        .collect()
}

fn join(v: &[&String]) -> String {
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

code!(CHANGE_ID_ONLY = "change-id-only", Info, Low, "RFC 8461 §3.1",
    "The id changed, the policy did not",
    what: "Whether the `_mta-sts` `id` changed while the policy file's content stayed the same.",
    why: "Harmless: senders fetch the policy again and find the same one. Worth knowing when it was not intended (an automated `id` that changes on every deploy makes every sender refetch).",
    example: "`id=20251101000000` became `id=20251201000000` with the same policy file.",
    fix: "Nothing to do if intended.",
    bad: Example::Change { before: "good.test", after: "goodbump.test" },
    good: Example::Change { before: "good.test", after: "good.test" });

/// Judges a new `id` over the same policy.
fn id_only(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let (Some((a, b)), (Seen::Present(was), Seen::Present(id))) = (c.policies(), &c.id) else {
        return;
    };
    if was != id && edits(a, b).is_empty() {
        out.push(Finding::new(
            CHANGE_ID_ONLY,
            Subject::StsTxt,
            format!("The `_mta-sts` id changed from `{was}` to `{id}`; the policy did not."),
        ));
    }
}

code!(CHANGE_RECORD_APPEARED = "change-record-appeared", Info, Low, "RFC 8461 §3; RFC 8460 §3",
    "A record or the policy file appeared",
    what: "Whether the `_mta-sts` TXT record, the policy file or the TLS-RPT record exists now and did not before.",
    why: "Progress in a rollout; noted so the history is complete.",
    example: "`_smtp._tls.example.com` now has a TLS-RPT record.",
    fix: "Nothing to do.",
    bad: Example::Change { before: "testing-no-tlsrpt.test", after: "good.test" },
    good: Example::Change { before: "good.test", after: "testing-no-tlsrpt.test" });

code!(CHANGE_RECORD_DISAPPEARED = "change-record-disappeared", Warning, Medium, "RFC 8461 §8.3; RFC 8460 §3",
    "A record or the policy file disappeared",
    what: "Whether the `_mta-sts` TXT record, the policy file or the TLS-RPT record existed before and is gone now (a definite answer, not a failed lookup).",
    why: "Senders that cached a policy keep applying it until its `max_age` runs out, whatever DNS says now: removing records is not how MTA-STS is switched off. Without TLS-RPT, failures go unreported.",
    example: "The `_mta-sts` TXT record was deleted while the policy said `mode: enforce`.",
    fix: "To retire MTA-STS: publish `mode: none` with a short `max_age` and a new `id`, wait out the old `max_age`, then remove the records (RFC 8461 §8.3). Otherwise restore what was removed.",
    bad: Example::Change { before: "good.test", after: "testing-no-tlsrpt.test" },
    good: Example::Change { before: "testing-no-tlsrpt.test", after: "good.test" });

/// A disappearance; `risky` false lowers it to info (what disappeared did not protect mail: a
/// policy in mode none, or a record of one).
fn disappeared(subject: Subject, message: String, risky: bool) -> Finding {
    let f = Finding::new(CHANGE_RECORD_DISAPPEARED, subject, message);
    if risky {
        f
    } else {
        f.severity(Severity::Info).priority(Priority::Low)
    }
}

/// Judges the policy file appearing or disappearing.
fn policy_file(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    match c.policy {
        (Seen::Absent, Seen::Present(_)) => out.push(Finding::new(
            CHANGE_RECORD_APPEARED,
            Subject::Fetch,
            "The policy file is served now.",
        )),
        (Seen::Present(a), Seen::Absent) => out.push(disappeared(
            Subject::Fetch,
            format!(
                "The policy file is no longer served (it said mode {}): senders that cached it keep applying it for up to {}.",
                a.mode.as_str(),
                days(a.max_age)
            ),
            a.mode != Mode::None,
        )),
        _ => {}
    }
}

/// Judges the `_mta-sts` TXT record appearing or disappearing.
fn sts_record(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let old_policy = match c.policy.0 {
        Seen::Present(p) => Some(p),
        _ => None,
    };
    match c.id {
        (Seen::Absent, Seen::Present(_)) => out.push(Finding::new(
            CHANGE_RECORD_APPEARED,
            Subject::StsTxt,
            "The `_mta-sts` TXT record exists now.",
        )),
        (Seen::Present(_), Seen::Absent) => out.push(disappeared(
            Subject::StsTxt,
            match old_policy {
                Some(p) if p.mode != Mode::None => format!(
                    "The `_mta-sts` TXT record is gone while the policy said mode {}: senders that cached it keep applying it for up to {}.",
                    p.mode.as_str(),
                    days(p.max_age)
                ),
                _ => "The `_mta-sts` TXT record is gone.".into(),
            },
            old_policy.is_some_and(|p| p.mode != Mode::None),
        )),
        _ => {}
    }
}

/// Judges the TLS-RPT record appearing or disappearing.
fn tlsrpt_record(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    match c.tlsrpt {
        (Seen::Absent, Seen::Present(_)) => out.push(Finding::new(
            CHANGE_RECORD_APPEARED,
            Subject::Tlsrpt,
            "The TLS-RPT record exists now.",
        )),
        (Seen::Present(_), Seen::Absent) => out.push(disappeared(
            Subject::Tlsrpt,
            "The TLS-RPT record is gone: senders no longer report TLS failures.".into(),
            true,
        )),
        _ => {}
    }
}

/// The MX hosts of a report, lower-case, without the trailing dot.
fn hosts(report: &Report) -> BTreeSet<String> {
    report
        .mx_hosts
        .iter()
        .map(|m| m.host.trim_end_matches('.').to_ascii_lowercase())
        .collect()
}

code!(CHANGE_MX_ADDED = "change-mx-added", Info, Low, "RFC 8461 §4.1",
    "An MX host was added",
    what: "Whether an MX host appeared since the last check, and whether the policy covers it. Info when covered; an error under `enforce` when no `mx` line matches it (a warning under `testing`).",
    why: "Under `enforce`, senders refuse to deliver to an MX host the policy does not list: mail routed to the new host bounces or waits.",
    example: "`mx3.example.com` was added to the MX records; the policy lists only `mx1` and `mx2`.",
    fix: "Add an `mx` line for the new host to the policy file and publish a new `id` — before the MX record goes live, and wait out the old `max_age` (the migration planner gives the dates).",
    bad: Example::Change { before: "good.test", after: "goodmx.test" },
    good: Example::Change { before: "good.test", after: "good.test" });

/// Judges each MX host added, and whether the new policy covers it.
fn mx_added(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    if !c.mx_seen {
        return;
    }
    let enforce = c.rn.policy.as_ref().map(|p| p.mode);
    for added in hosts(c.rn).difference(&hosts(c.ro)) {
        let covered =
            c.rn.mx_hosts
                .iter()
                .find(|m| m.host.trim_end_matches('.').eq_ignore_ascii_case(added))
                .and_then(|m| m.covered_by.clone());
        let f = Finding::new(CHANGE_MX_ADDED, Subject::Mx, match (&covered, enforce) {
            (Some(p), _) => format!("MX host {added} was added; the policy covers it (`mx: {p}`)."),
            (None, Some(Mode::Enforce)) => format!(
                "MX host {added} was added and no `mx` line of the policy (mode enforce) matches it: senders refuse to deliver to it."
            ),
            (None, Some(Mode::Testing)) => format!(
                "MX host {added} was added and no `mx` line of the policy matches it: under enforce senders would refuse it."
            ),
            (None, _) => format!("MX host {added} was added."),
        });
        out.push(match (&covered, enforce) {
            (None, Some(Mode::Enforce)) => f
                .severity(Severity::Error)
                .priority(Priority::High)
                .fix(format!("mx: {added}")),
            (None, Some(Mode::Testing)) => f
                .severity(Severity::Warning)
                .priority(Priority::Medium)
                .fix(format!("mx: {added}")),
            _ => f,
        });
    }
}

code!(CHANGE_MX_REMOVED = "change-mx-removed", Info, Low, "RFC 8461 §4.1",
    "An MX host was removed",
    what: "Whether an MX host disappeared since the last check.",
    why: "Usually intended. The policy's `mx` line for it can go, with a new `id`.",
    example: "`mx3.example.com` no longer appears in the MX records.",
    fix: "Remove its `mx` line from the policy when no longer needed, and publish a new `id`.",
    bad: Example::Change { before: "goodmx.test", after: "good.test" },
    good: Example::Change { before: "good.test", after: "goodmx.test" });

/// Judges each MX host removed.
fn mx_removed(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    if !c.mx_seen {
        return;
    }
    for removed in hosts(c.ro).difference(&hosts(c.rn)) {
        out.push(Finding::new(
            CHANGE_MX_REMOVED,
            Subject::Mx,
            format!("MX host {removed} was removed."),
        ));
    }
}

code!(CHANGE_TLSRPT = "change-tlsrpt", Info, Low, "RFC 8460 §3",
    "Where TLS reports go changed",
    what: "Whether the TLS-RPT record's `rua` destinations changed.",
    why: "Reports now go elsewhere: make sure someone reads them there.",
    example: "`rua=mailto:tls@example.com` became `rua=mailto:reports@example.com`.",
    fix: "Nothing to do if intended.",
    bad: Example::Change { before: "good.test", after: "goodrua.test" },
    good: Example::Change { before: "good.test", after: "goodbump.test" });

/// Judges a change of where TLS reports go (the record's appearing or disappearing is
/// [`tlsrpt_record`]'s).
fn tlsrpt_destinations(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let (Seen::Present(a), Seen::Present(b)) = c.tlsrpt else {
        return;
    };
    if a.rua != b.rua {
        out.push(Finding::new(
            CHANGE_TLSRPT,
            Subject::Tlsrpt,
            format!(
                "TLS reports go to {} now, not {}.",
                b.rua.join(", "),
                a.rua.join(", ")
            ),
        ));
    }
}

/// The policy host's certificate then and now, when both observations saw one (only a direct
/// observer sees it: the CLI, not the edge).
fn certificates<'a>(c: &Comparing<'a>) -> Option<(&'a CertificateFacts, &'a CertificateFacts)> {
    let cert = |e: &'a Evidence| e.policy_fetch.as_ref().and_then(|f| f.certificate.as_ref());
    Some((cert(c.old)?, cert(c.new)?))
}

/// The time the new certificate `b` has left, when it now expires within [`EXPIRING_DAYS`] (or
/// has expired: zero) and the old one `a` did not at the last check.
fn newly_expiring(c: &Comparing<'_>, a: &CertificateFacts, b: &CertificateFacts) -> Option<u64> {
    let left = |cert: &CertificateFacts, t: u64| cert.not_after.map(|n| n.saturating_sub(t));
    let soon = EXPIRING_DAYS * 86_400;
    let (was, is) = (left(a, c.old.observed_at), left(b, c.new.observed_at)?);
    (is <= soon && was.is_none_or(|w| w > soon)).then_some(is)
}

code!(CHANGE_CERTIFICATE_EXPIRING = "change-certificate-expiring", Warning, Medium, "RFC 8461 §3.3",
    "The policy host's certificate is about to expire",
    what: "Whether the certificate of `mta-sts.<domain>` now expires within 14 days, or has expired, when at the last check it did not. An error once expired.",
    why: "Senders must not use a policy fetched with an invalid certificate: after expiry no sender can refresh the policy, and those without it apply none.",
    example: "The certificate of `mta-sts.example.com` expires in 5 days; at the last check it had 40 days left.",
    fix: "Renew the certificate of `mta-sts.<domain>` and automate the renewal. A web migration often loses this host's certificate.",
    bad: Example::Change { before: "good.test", after: "expired.test" },
    good: Example::Change { before: "good.test", after: "goodrenew.test" });

/// Judges the policy host's certificate coming close to its expiry, or past it.
fn certificate_expiring(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let Some((a, b)) = certificates(c) else {
        return;
    };
    let Some(is) = newly_expiring(c, a, b) else {
        return;
    };
    let expired = is == 0;
    let f = Finding::new(
        CHANGE_CERTIFICATE_EXPIRING,
        Subject::Fetch,
        if expired {
            "The policy host's certificate has expired since the last check: senders cannot refresh the policy.".to_owned()
        } else {
            format!(
                "The policy host's certificate expires in {} (on {}).",
                days(is),
                crate::civil::date(c.new.observed_at + is)
            )
        },
    );
    out.push(if expired {
        f.severity(Severity::Error).priority(Priority::High)
    } else {
        f
    });
}

code!(CHANGE_CERTIFICATE_RENEWED = "change-certificate-renewed", Info, Low, "RFC 8461 §3.3",
    "The policy host's certificate was renewed",
    what: "Whether the certificate of `mta-sts.<domain>` is a different one (other validity dates, names or issuer) from the last check's.",
    why: "Renewals are normal; a renewal that changed the names or the issuer is worth a look.",
    example: "The certificate valid until 2035-01-01 was replaced by one valid until 2035-06-01.",
    fix: "Nothing to do.",
    bad: Example::Change { before: "good.test", after: "goodrenew.test" },
    good: Example::Change { before: "good.test", after: "goodbump.test" });

/// Judges a different certificate on the policy host (not when it is about to expire: that is
/// [`certificate_expiring`]'s).
fn certificate_renewed(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let Some((a, b)) = certificates(c) else {
        return;
    };
    if newly_expiring(c, a, b).is_some()
        || (&a.subject_names, &a.issuer, a.not_before, a.not_after)
            == (&b.subject_names, &b.issuer, b.not_before, b.not_after)
    {
        return;
    }
    let until = b
        .not_after
        .map(|n| format!(", valid until {}", crate::civil::date(n)))
        .unwrap_or_default();
    let mut msg = format!("The policy host's certificate was renewed{until}.");
    if a.subject_names != b.subject_names {
        msg.push_str(&format!(
            " Its names changed: {}.",
            b.subject_names.join(", ")
        ));
    }
    if a.issuer != b.issuer {
        msg.push_str(&format!(
            " Its issuer changed: {}.",
            b.issuer.as_deref().unwrap_or("unknown")
        ));
    }
    out.push(Finding::new(
        CHANGE_CERTIFICATE_RENEWED,
        Subject::Fetch,
        msg,
    ));
}

code!(CHANGE_VERDICT = "change-verdict", Info, Low, "RFC 8461",
    "The verdict changed",
    what: "Whether the overall verdict changed. An error when it became `fail`, a warning when it became `warn` or could not be checked, info when it improved.",
    why: "The one line to watch: a domain that passed and now fails needs attention today.",
    example: "The verdict went from pass to fail because a new MX host is not covered by the policy.",
    fix: "Read the findings of the new report.",
    bad: Example::Change { before: "good.test", after: "goodmx.test" },
    good: Example::Change { before: "good.test", after: "goodedit.test" });

/// Judges a change of the overall verdict: graver when it got worse, unless it was a fail already.
fn verdict(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let (was, is) = (c.ro.verdict, c.rn.verdict);
    if was == is {
        return;
    }
    let worse = match is {
        Verdict::Fail => Some((Severity::Error, Priority::High)),
        Verdict::Warn | Verdict::Inconclusive => Some((Severity::Warning, Priority::Medium)),
        _ => None,
    };
    let f = Finding::new(
        CHANGE_VERDICT,
        Subject::Domain,
        format!(
            "The verdict changed from {} to {}.",
            was.label().to_ascii_lowercase(),
            is.label().to_ascii_lowercase()
        ),
    );
    out.push(match worse {
        Some((s, p)) if was != Verdict::Fail => f.severity(s).priority(p),
        _ => f,
    });
}

code!(CHANGE_NOT_COMPARED = "change-not-compared", Info, Low, "RFC 8461 §3",
    "A part could not be compared",
    what: "Whether a part (TXT record, policy file, MX hosts, TLS-RPT, certificate) could not be observed in one of the two checks, so its change is unknown.",
    why: "A failed lookup says nothing about whether something changed: mtasts says so rather than report it as removed.",
    example: "The MX lookup timed out at the second check.",
    fix: "Check again.",
    bad: Example::Change { before: "good.test", after: "servfail.test" },
    good: Example::Change { before: "good.test", after: "goodedit.test" });

/// Judges, last, what could not be compared: each part that one of the two checks could not
/// observe (the comparisons above pass over it).
fn not_compared(c: &Comparing<'_>, out: &mut Vec<Finding>) {
    let parts = [
        (
            matches!(c.policy, (Seen::Unknown, _) | (_, Seen::Unknown)),
            "the policy file",
        ),
        (
            matches!(c.id, (Seen::Unknown, _) | (_, Seen::Unknown)),
            "the `_mta-sts` record",
        ),
        (!c.mx_seen, "the MX hosts"),
        (
            matches!(c.tlsrpt, (Seen::Unknown, _) | (_, Seen::Unknown)),
            "TLS-RPT",
        ),
    ];
    let unknown: Vec<&str> = parts
        .into_iter()
        .filter_map(|(unseen, part)| unseen.then_some(part))
        .collect();
    if !unknown.is_empty() {
        out.push(Finding::new(
            CHANGE_NOT_COMPARED,
            Subject::Domain,
            format!(
                "Not compared, because one of the two checks could not observe it: {}.",
                unknown.join(", ")
            ),
        ));
    }
}
