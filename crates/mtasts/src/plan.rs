//! The migration planner: from the live policy (mode, `max_age`, `mx`) and what the owner wants
//! — new MX hosts, `enforce`, or retiring MTA-STS — the ordered safe steps with dates.
//!
//! The one rule behind every plan: a sender keeps a policy it fetched for up to `max_age` after
//! fetching it (RFC 8461 §3.2, §5.1), so anything the old policy forbids must wait until the
//! old `max_age` has run out after the new policy (with a new `id`) was published. Retiring
//! follows RFC 8461 §8.3: `mode: none` with a short `max_age` first, removal only after the old
//! `max_age`.

use serde::Serialize;

use crate::civil;
use crate::generate::id_from_time;
use crate::names::domain::{HostName, MxPattern};
use crate::names::mx::mx_matches;
use crate::records::policy::{Mode, Policy};

/// `max_age` of a policy in `mode: none` while retiring: one day (RFC 8461 §8.3 asks for short).
pub const RETIRE_MAX_AGE: u64 = 86_400;
/// `max_age` to start `enforce` with (one week), raised once enforce has run for that long.
pub const FIRST_ENFORCE_MAX_AGE: u64 = 604_800;
/// `max_age` recommended once enforce is settled (RFC 8461 §3.2 suggests weeks).
pub const SETTLED_MAX_AGE: u64 = 1_209_600;

/// What the owner wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goal {
    /// Move mail to these MX hosts (replacing the current ones).
    MoveMx(Vec<String>),
    /// Go from `testing` to `enforce`.
    Enforce,
    /// Switch MTA-STS off (RFC 8461 §8.3).
    Retire,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What to do, in a line.
    pub title: String,
    /// Why and how.
    pub detail: String,
    /// Not before this time (Unix seconds); `None`: now.
    #[serde(serialize_with = "date")]
    pub not_before: Option<u64>,
    /// The policy file to publish at this step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The `_mta-sts` TXT record to publish at this step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub txt: Option<String>,
}

fn date<S: serde::Serializer>(t: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&civil::rfc3339(i64::try_from(*t).unwrap_or(0))),
        None => s.serialize_none(),
    }
}

/// A plan: the steps in order, and what to know first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Things to know before starting (for example: the live policy does not parse).
    pub notes: Vec<String>,
}

/// Why no plan can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// There is no live policy to start from.
    #[error(
        "the domain has no MTA-STS policy to change: publish one first (the generator writes it)"
    )]
    NoPolicy,
    /// A host to move to is not a host name.
    #[error("`{0}` is not an MX host name")]
    BadHost(String),
    /// No host to move to.
    #[error("give the MX hosts to move to")]
    NoHosts,
    /// The goal is where the policy already is.
    #[error("{0}")]
    Nothing(String),
}

fn when(t: u64) -> String {
    let s = civil::rfc3339(i64::try_from(t).unwrap_or(0));
    format!("{} {} UTC", &s[..10], &s[11..16])
}

fn days(secs: u64) -> String {
    let d = secs.div_ceil(86_400);
    if d == 1 {
        "1 day".into()
    } else {
        format!("{d} days")
    }
}

fn with(policy: &Policy, mode: Mode, mx: Vec<MxPattern>, max_age: u64) -> String {
    Policy {
        mode,
        mx,
        max_age,
        ..policy.clone()
    }
    .to_string()
}

fn txt(t: u64) -> String {
    format!("v=STSv1; id={}", id_from_time(t))
}

/// The plan from `policy` (the live one) and the live MX hosts `current_mx` to `goal`, starting
/// at `now` (Unix seconds).
///
/// # Errors
/// When there is nothing to start from or the goal cannot be planned.
pub fn plan(
    policy: Option<&Policy>,
    current_mx: &[String],
    goal: &Goal,
    now: u64,
) -> Result<Plan, PlanError> {
    let p = policy.ok_or(PlanError::NoPolicy)?;
    match goal {
        Goal::MoveMx(to) => Ok(move_mx(p, current_mx, &new_hosts(to)?, now)),
        Goal::Enforce => enforce(p, current_mx, now),
        Goal::Retire => Ok(retire(p, now)),
    }
}

/// Moving mail to the hosts `new`: list them beside the old ones, bump the id, wait out the old
/// `max_age`, switch the MX records, then drop the old patterns and bump the id again.
fn move_mx(p: &Policy, current_mx: &[String], new: &[MxPattern], now: u64) -> Plan {
    let wait = now + p.max_age;
    let both = with_new_patterns(p, new);
    let notes = move_notes(p, &both);
    let after = without_old_patterns(p, current_mx, new);
    Plan {
        steps: vec![
            add_new_patterns(p, both),
            bump_id(now, "A new id tells senders to fetch the policy again."),
            wait_out(
                p,
                wait,
                format!("A sender that fetched the old policy just before step 1 keeps it for up to max_age = {} seconds, and would refuse the new hosts until then.", p.max_age),
            ),
            switch_mx(new, wait),
            remove_old_patterns(p, after, wait),
            bump_id_again(wait),
        ],
        notes,
    }
}

/// The hosts to move to, as patterns, each once.
fn new_hosts(to: &[String]) -> Result<Vec<MxPattern>, PlanError> {
    let mut new: Vec<MxPattern> = vec![];
    for h in to
        .iter()
        .map(|h| h.trim().trim_end_matches('.'))
        .filter(|h| !h.is_empty())
    {
        let host = HostName::parse(h).map_err(|_| PlanError::BadHost(h.to_owned()))?;
        let pat = MxPattern::parse(host.as_str()).map_err(|_| PlanError::BadHost(h.to_owned()))?;
        if !new.contains(&pat) {
            new.push(pat);
        }
    }
    if new.is_empty() {
        return Err(PlanError::NoHosts);
    }
    Ok(new)
}

/// The old policy's patterns, then each new host that none of them matches.
fn with_new_patterns(p: &Policy, new: &[MxPattern]) -> Vec<MxPattern> {
    let mut both = p.mx.clone();
    for n in new {
        if !p.mx.iter().any(|o| mx_matches(o.as_str(), n.as_str())) {
            both.push(n.clone());
        }
    }
    both
}

/// The new hosts, then the old policy's patterns still needed by live hosts that stay.
fn without_old_patterns(p: &Policy, current_mx: &[String], new: &[MxPattern]) -> Vec<MxPattern> {
    let staying: Vec<&String> = current_mx
        .iter()
        .filter(|h| {
            new.iter()
                .any(|n| n.as_str().eq_ignore_ascii_case(h.trim_end_matches('.')))
        })
        .collect();
    let mut after: Vec<MxPattern> = new.to_vec();
    for o in &p.mx {
        if staying.iter().any(|h| mx_matches(o.as_str(), h)) && !after.contains(o) {
            after.push(o.clone());
        }
    }
    after
}

/// What to know before moving: the live policy may cover the new hosts already, and outside
/// `enforce` nothing bounces.
fn move_notes(p: &Policy, both: &[MxPattern]) -> Vec<String> {
    let mut notes = vec![];
    if both.len() == p.mx.len() {
        notes.push("The live policy already covers every new host: step 1 is only needed if you want their names listed exactly.".into());
    }
    if p.mode != Mode::Enforce {
        notes.push(format!(
            "The policy is in {} mode: senders deliver even to a host it does not list, so nothing bounces if you switch sooner; the TLS reports will show the failures until senders have the new policy.",
            p.mode.as_str()
        ));
    }
    notes
}

/// Step: publish the policy listing the old and the new hosts (`both`).
fn add_new_patterns(p: &Policy, both: Vec<MxPattern>) -> Step {
    Step {
        title: "Publish the policy with both the old and the new MX hosts".into(),
        detail: "Senders must accept the new hosts before any mail goes to them. Keep every old pattern for now: mail still goes to the old hosts.".into(),
        not_before: None,
        policy: Some(with(p, p.mode, both, p.max_age)),
        txt: None,
    }
}

/// Step: switch the MX records to the new hosts, once the old `max_age` is out (`wait`).
fn switch_mx(new: &[MxPattern], wait: u64) -> Step {
    Step {
        title: "Switch the MX records to the new hosts".into(),
        detail: format!(
            "Every sender now has a policy that lists them. New MX hosts: {}.",
            new.iter()
                .map(MxPattern::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        not_before: Some(wait),
        policy: None,
        txt: None,
    }
}

/// Step: publish the policy without the old hosts' patterns (`after`).
fn remove_old_patterns(p: &Policy, after: Vec<MxPattern>, wait: u64) -> Step {
    Step {
        title: "Remove the old patterns from the policy".into(),
        detail: "Once no MX record points at the old hosts, the policy need not list them.".into(),
        not_before: Some(wait),
        policy: Some(with(p, p.mode, after, p.max_age)),
        txt: None,
    }
}

/// Step: a new id for the trimmed policy.
fn bump_id_again(wait: u64) -> Step {
    Step {
        title: "Bump the id again".into(),
        detail: "So senders fetch the trimmed policy.".into(),
        not_before: Some(wait),
        policy: None,
        txt: Some(txt(wait)),
    }
}

/// Going from `testing` to `enforce`: check the hosts, publish `enforce` with a short `max_age`,
/// bump the id, read the reports for that long, then raise `max_age`.
fn enforce(p: &Policy, current_mx: &[String], now: u64) -> Result<Plan, PlanError> {
    if p.mode == Mode::Enforce {
        return Err(PlanError::Nothing(
            "the policy is in enforce mode already".into(),
        ));
    }
    let first = p.max_age.min(FIRST_ENFORCE_MAX_AGE);
    let settle = now + first;
    Ok(Plan {
        steps: vec![
            check_ready(),
            publish_enforce(p, first),
            bump_id(now, "Senders fetch the enforce policy."),
            read_reports(settle),
            raise_max_age(p, settle),
        ],
        notes: uncovered(p, current_mx).into_iter().collect(),
    })
}

/// A note naming the live MX hosts the policy does not cover, if any.
fn uncovered(p: &Policy, current_mx: &[String]) -> Option<String> {
    let uncovered: Vec<&String> = current_mx
        .iter()
        .filter(|h| !p.mx.iter().any(|m| mx_matches(m.as_str(), h)))
        .collect();
    (!uncovered.is_empty()).then(|| format!(
        "Not every MX host is covered by the policy ({}): fix the policy first, or those hosts will be refused under enforce.",
        uncovered.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    ))
}

/// Step: check every MX host's STARTTLS and the testing weeks' reports.
fn check_ready() -> Step {
    Step {
        title: "Check that every MX host is ready".into(),
        detail: "Every MX host must offer STARTTLS with a valid certificate for its name: `mtasts check --smtp DOMAIN` checks each one. The TLS reports of the testing weeks should show no failures (the report viewer reads them).".into(),
        not_before: None,
        policy: None,
        txt: None,
    }
}

/// Step: publish the policy in `enforce` with `max_age` `first`.
fn publish_enforce(p: &Policy, first: u64) -> Step {
    Step {
        title: format!(
            "Publish the policy in enforce mode, max_age {} for a start",
            days(first)
        ),
        detail:
            "A short max_age at first means a mistake stays in senders' caches for a week at most."
                .into(),
        not_before: None,
        policy: Some(with(p, Mode::Enforce, p.mx.clone(), first)),
        txt: None,
    }
}

/// Step: read the TLS reports until `settle`, when the first `max_age` has run.
fn read_reports(settle: u64) -> Step {
    Step {
        title: format!("Read the TLS reports until {}", when(settle)),
        detail: "Failures now mean mail that was not delivered: fix them at once, or go back to testing (with a new id).".into(),
        not_before: None,
        policy: None,
        txt: None,
    }
}

/// Step: publish `enforce` with the settled `max_age`, and a new id with it.
fn raise_max_age(p: &Policy, settle: u64) -> Step {
    let max_age = SETTLED_MAX_AGE.max(p.max_age);
    Step {
        title: format!("Raise max_age to {}", days(max_age)),
        detail: "Once enforce has run cleanly, a longer max_age protects better against an attacker who blocks the policy fetch.".into(),
        not_before: Some(settle),
        policy: Some(with(p, Mode::Enforce, p.mx.clone(), max_age)),
        txt: Some(txt(settle)),
    }
}

/// Switching MTA-STS off (RFC 8461 §8.3): publish `mode: none` with a short `max_age`, bump the
/// id, wait out the old `max_age`, then remove the records.
fn retire(p: &Policy, now: u64) -> Plan {
    let wait = now + p.max_age;
    let mut notes = vec![];
    if p.mode == Mode::None && p.max_age <= RETIRE_MAX_AGE {
        notes.push("The policy is in mode none with a short max_age already: after the wait you can remove the records.".into());
    }
    Plan {
        steps: vec![
            publish_none(p),
            bump_id(now, "Senders with the old policy fetch the mode none one."),
            wait_out(
                p,
                wait,
                "Removing the records sooner would leave senders applying the cached old policy, unable to see the new one.".into(),
            ),
            remove_records(wait),
        ],
        notes,
    }
}

/// Step: publish the policy in `mode: none` with [`RETIRE_MAX_AGE`].
fn publish_none(p: &Policy) -> Step {
    Step {
        title: format!(
            "Publish the policy in mode none, max_age {}",
            days(RETIRE_MAX_AGE)
        ),
        detail: "Senders that fetch it stop applying MTA-STS (RFC 8461 §8.3). Keep the records and the policy host for now.".into(),
        not_before: None,
        policy: Some(with(p, Mode::None, p.mx.clone(), RETIRE_MAX_AGE)),
        txt: None,
    }
}

/// Step: remove the records, once the old `max_age` is out (`wait`).
fn remove_records(wait: u64) -> Step {
    Step {
        title: "Remove the _mta-sts TXT record, then the policy file and its host".into(),
        detail: "Keep the TLS-RPT record if you still want reports (it works without MTA-STS)."
            .into(),
        not_before: Some(wait),
        policy: None,
        txt: None,
    }
}

/// Step (every plan): a new id now, so senders fetch the policy just published; `detail` says
/// what they get.
fn bump_id(now: u64, detail: &str) -> Step {
    Step {
        title: "Bump the id".into(),
        detail: detail.into(),
        not_before: None,
        policy: None,
        txt: Some(txt(now)),
    }
}

/// Step (moving and retiring): wait until `wait`, when the old `max_age` has run out; `detail`
/// says what would go wrong sooner.
fn wait_out(p: &Policy, wait: u64, detail: String) -> Step {
    Step {
        title: format!(
            "Wait out the old max_age ({}), until {}",
            days(p.max_age),
            when(wait)
        ),
        detail,
        not_before: None,
        policy: None,
        txt: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::policy::check_policy;

    const NOW: u64 = 1_763_800_000; // 2025-11-22T08:26:40Z

    fn live(text: &str) -> Policy {
        check_policy(text.as_bytes()).policy.expect("policy")
    }

    #[test]
    fn moving_mx_hosts_waits_out_max_age_between_adding_and_switching() {
        let p = live("version: STSv1\r\nmode: enforce\r\nmx: mx1.old.example\r\nmx: mx2.old.example\r\nmax_age: 1209600\r\n");
        let current = vec!["mx1.old.example".to_owned(), "mx2.old.example".to_owned()];
        let plan = plan(
            Some(&p),
            &current,
            &Goal::MoveMx(vec!["in1.new.example".into(), "in2.new.example.".into()]),
            NOW,
        )
        .expect("plan");
        let titles: Vec<&str> = plan.steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles[0],
            "Publish the policy with both the old and the new MX hosts"
        );
        assert_eq!(
            titles[2],
            "Wait out the old max_age (14 days), until 2025-12-06 08:26 UTC"
        );
        assert_eq!(titles[3], "Switch the MX records to the new hosts");
        let both = plan.steps[0].policy.as_deref().expect("policy");
        assert_eq!(both, "version: STSv1\r\nmode: enforce\r\nmx: mx1.old.example\r\nmx: mx2.old.example\r\nmx: in1.new.example\r\nmx: in2.new.example\r\nmax_age: 1209600\r\n");
        assert_eq!(
            plan.steps[1].txt.as_deref(),
            Some("v=STSv1; id=20251122082640")
        );
        assert_eq!(plan.steps[3].not_before, Some(NOW + 1_209_600));
        let after = plan.steps[4].policy.as_deref().expect("policy");
        assert!(
            !after.contains("old.example") && after.contains("mx: in1.new.example"),
            "{after}"
        );
        assert_eq!(
            plan.steps[5].txt.as_deref(),
            Some("v=STSv1; id=20251206082640")
        );
        assert!(plan.notes.is_empty());
        assert_eq!(
            super::plan(
                Some(&p),
                &current,
                &Goal::MoveMx(vec!["not a host".into()]),
                NOW
            ),
            Err(PlanError::BadHost("not a host".into()))
        );
        assert_eq!(
            super::plan(None, &current, &Goal::Retire, NOW),
            Err(PlanError::NoPolicy)
        );
    }

    #[test]
    fn enforce_and_retire_follow_the_rfc() {
        let p = live("version: STSv1\r\nmode: testing\r\nmx: *.example.com\r\nmax_age: 86400\r\n");
        let e = plan(
            Some(&p),
            &["mail.example.com".into(), "mx.other.example".into()],
            &Goal::Enforce,
            NOW,
        )
        .expect("plan");
        assert!(e.notes[0].contains("mx.other.example"), "{:?}", e.notes);
        assert!(e.steps[1]
            .policy
            .as_deref()
            .is_some_and(|t| t.contains("mode: enforce\r\n") && t.contains("max_age: 86400")));
        let r = plan(Some(&p), &[], &Goal::Retire, NOW).expect("plan");
        assert!(r.steps[0]
            .policy
            .as_deref()
            .is_some_and(|t| t.contains("mode: none\r\n") && t.contains("max_age: 86400")));
        assert_eq!(r.steps[3].not_before, Some(NOW + 86_400));
        let enforced =
            live("version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\nmax_age: 86400\r\n");
        assert!(matches!(
            plan(Some(&enforced), &[], &Goal::Enforce, NOW),
            Err(PlanError::Nothing(_))
        ));
    }
}
