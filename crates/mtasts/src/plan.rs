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
    let wait = now + p.max_age;
    let mut notes = vec![];
    let steps = match goal {
        Goal::MoveMx(to) => {
            let mut new: Vec<MxPattern> = vec![];
            for h in to
                .iter()
                .map(|h| h.trim().trim_end_matches('.'))
                .filter(|h| !h.is_empty())
            {
                let host = HostName::parse(h).map_err(|_| PlanError::BadHost(h.to_owned()))?;
                let pat = MxPattern::parse(host.as_str())
                    .map_err(|_| PlanError::BadHost(h.to_owned()))?;
                if !new.contains(&pat) {
                    new.push(pat);
                }
            }
            if new.is_empty() {
                return Err(PlanError::NoHosts);
            }
            // Patterns of the old policy still needed by hosts that stay.
            let staying: Vec<&String> = current_mx
                .iter()
                .filter(|h| {
                    new.iter()
                        .any(|n| n.as_str().eq_ignore_ascii_case(h.trim_end_matches('.')))
                })
                .collect();
            let mut both = p.mx.clone();
            for n in &new {
                if !p.mx.iter().any(|o| mx_matches(o.as_str(), n.as_str())) {
                    both.push(n.clone());
                }
            }
            if both.len() == p.mx.len() {
                notes.push("The live policy already covers every new host: step 1 is only needed if you want their names listed exactly.".into());
            }
            if p.mode != Mode::Enforce {
                notes.push(format!(
                    "The policy is in {} mode: senders deliver even to a host it does not list, so nothing bounces if you switch sooner; the TLS reports will show the failures until senders have the new policy.",
                    if p.mode == Mode::Testing { "testing" } else { "none" }
                ));
            }
            let mut after: Vec<MxPattern> = new.clone();
            for o in &p.mx {
                if staying.iter().any(|h| mx_matches(o.as_str(), h)) && !after.contains(o) {
                    after.push(o.clone());
                }
            }
            vec![
                Step {
                    title: "Publish the policy with both the old and the new MX hosts".into(),
                    detail: "Senders must accept the new hosts before any mail goes to them. Keep every old pattern for now: mail still goes to the old hosts.".into(),
                    not_before: None,
                    policy: Some(with(p, p.mode, both, p.max_age)),
                    txt: None,
                },
                Step {
                    title: "Bump the id".into(),
                    detail: "A new id tells senders to fetch the policy again.".into(),
                    not_before: None,
                    policy: None,
                    txt: Some(txt(now)),
                },
                Step {
                    title: format!("Wait out the old max_age ({}), until {}", days(p.max_age), when(wait)),
                    detail: format!("A sender that fetched the old policy just before step 1 keeps it for up to max_age = {} seconds, and would refuse the new hosts until then.", p.max_age),
                    not_before: None,
                    policy: None,
                    txt: None,
                },
                Step {
                    title: "Switch the MX records to the new hosts".into(),
                    detail: format!("Every sender now has a policy that lists them. New MX hosts: {}.", new.iter().map(MxPattern::as_str).collect::<Vec<_>>().join(", ")),
                    not_before: Some(wait),
                    policy: None,
                    txt: None,
                },
                Step {
                    title: "Remove the old patterns from the policy".into(),
                    detail: "Once no MX record points at the old hosts, the policy need not list them.".into(),
                    not_before: Some(wait),
                    policy: Some(with(p, p.mode, after, p.max_age)),
                    txt: None,
                },
                Step {
                    title: "Bump the id again".into(),
                    detail: "So senders fetch the trimmed policy.".into(),
                    not_before: Some(wait),
                    policy: None,
                    txt: Some(txt(wait)),
                },
            ]
        }
        Goal::Enforce => {
            if p.mode == Mode::Enforce {
                return Err(PlanError::Nothing(
                    "the policy is in enforce mode already".into(),
                ));
            }
            let uncovered: Vec<&String> = current_mx
                .iter()
                .filter(|h| !p.mx.iter().any(|m| mx_matches(m.as_str(), h)))
                .collect();
            if !uncovered.is_empty() {
                notes.push(format!(
                    "Not every MX host is covered by the policy ({}): fix the policy first, or those hosts will be refused under enforce.",
                    uncovered.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            let first = p.max_age.min(FIRST_ENFORCE_MAX_AGE);
            let settle = now + first;
            vec![
                Step {
                    title: "Check that every MX host is ready".into(),
                    detail: "Every MX host must offer STARTTLS with a valid certificate for its name: `mtasts check --smtp DOMAIN` checks each one. The TLS reports of the testing weeks should show no failures (the report viewer reads them).".into(),
                    not_before: None,
                    policy: None,
                    txt: None,
                },
                Step {
                    title: format!("Publish the policy in enforce mode, max_age {} for a start", days(first)),
                    detail: "A short max_age at first means a mistake stays in senders' caches for a week at most.".into(),
                    not_before: None,
                    policy: Some(with(p, Mode::Enforce, p.mx.clone(), first)),
                    txt: None,
                },
                Step {
                    title: "Bump the id".into(),
                    detail: "Senders fetch the enforce policy.".into(),
                    not_before: None,
                    policy: None,
                    txt: Some(txt(now)),
                },
                Step {
                    title: format!("Read the TLS reports until {}", when(settle)),
                    detail: "Failures now mean mail that was not delivered: fix them at once, or go back to testing (with a new id).".into(),
                    not_before: None,
                    policy: None,
                    txt: None,
                },
                Step {
                    title: format!("Raise max_age to {}", days(SETTLED_MAX_AGE.max(p.max_age))),
                    detail: "Once enforce has run cleanly, a longer max_age protects better against an attacker who blocks the policy fetch.".into(),
                    not_before: Some(settle),
                    policy: Some(with(p, Mode::Enforce, p.mx.clone(), SETTLED_MAX_AGE.max(p.max_age))),
                    txt: Some(txt(settle)),
                },
            ]
        }
        Goal::Retire => {
            if p.mode == Mode::None && p.max_age <= RETIRE_MAX_AGE {
                notes.push("The policy is in mode none with a short max_age already: after the wait you can remove the records.".into());
            }
            vec![
                Step {
                    title: format!("Publish the policy in mode none, max_age {}", days(RETIRE_MAX_AGE)),
                    detail: "Senders that fetch it stop applying MTA-STS (RFC 8461 §8.3). Keep the records and the policy host for now.".into(),
                    not_before: None,
                    policy: Some(with(p, Mode::None, p.mx.clone(), RETIRE_MAX_AGE)),
                    txt: None,
                },
                Step {
                    title: "Bump the id".into(),
                    detail: "Senders with the old policy fetch the mode none one.".into(),
                    not_before: None,
                    policy: None,
                    txt: Some(txt(now)),
                },
                Step {
                    title: format!("Wait out the old max_age ({}), until {}", days(p.max_age), when(wait)),
                    detail: "Removing the records sooner would leave senders applying the cached old policy, unable to see the new one.".into(),
                    not_before: None,
                    policy: None,
                    txt: None,
                },
                Step {
                    title: "Remove the _mta-sts TXT record, then the policy file and its host".into(),
                    detail: "Keep the TLS-RPT record if you still want reports (it works without MTA-STS).".into(),
                    not_before: Some(wait),
                    policy: None,
                    txt: None,
                },
            ]
        }
    };
    Ok(Plan { steps, notes })
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
