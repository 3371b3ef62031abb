//! Ready to enforce? The checklist the rollout guides give (see LIFECYCLE.md, step 4), built from
//! what was judged: every MX covered; every MX offering STARTTLS with a certificate valid for its
//! name (or "not checked", with the command that checks it); TLS-RPT in place; the policy host's
//! certificate not about to expire. Then where the domain stands (none → testing → enforce) and
//! the next step.

use crate::civil::date;
use crate::judge::judging::Judging;
use crate::judge::smtp::{CERTIFICATE_EXPIRING, EXPIRY_WARNING_DAYS, MX_TLS_FAULTS};
use crate::records::policy::{Mode, Policy};
use crate::report::{ItemStatus, MxHost, Readiness, ReadinessItem};

fn item(check: &str, status: ItemStatus, text: String) -> ReadinessItem {
    ReadinessItem {
        check: check.to_owned(),
        status,
        text,
    }
}

/// The checklist and the next step.
pub(crate) fn readiness(
    j: &Judging<'_>,
    policy: Option<&Policy>,
    hosts: &[MxHost],
    has_tlsrpt: bool,
    null_mx: bool,
) -> Readiness {
    let mode = policy.map(|p| p.mode);
    let mut items = vec![coverage(policy, hosts, null_mx), mx_tls(j, hosts, null_mx)];
    items.push(if has_tlsrpt {
        item(
            "tlsrpt",
            ItemStatus::Ok,
            "TLS-RPT is published: senders report TLS failures to you.".into(),
        )
    } else {
        item(
            "tlsrpt",
            ItemStatus::Problem,
            "No TLS-RPT record: publish one to see failures before they bounce mail.".into(),
        )
    });
    items.push(policy_certificate(j));
    let stage = match mode {
        Some(Mode::Enforce) => "enforce",
        Some(Mode::Testing) => "testing",
        _ => "none",
    };
    let blocked = items.iter().any(|i| i.status == ItemStatus::Problem);
    let unchecked = items.iter().any(|i| i.status == ItemStatus::NotChecked);
    let next_step = match (stage, blocked, unchecked) {
        ("none", ..) if null_mx => "Nothing to do: the domain receives no mail.".to_owned(),
        ("none", ..) => "Publish a policy in mode testing, its _mta-sts TXT record and a TLS-RPT record (the generator writes all three); then read the TLS reports.".to_owned(),
        ("testing", true, _) => "Fix the problems above before switching to enforce: enforcing senders would refuse mail.".to_owned(),
        ("testing", false, true) => "Check what is not checked above, read the TLS reports for a few weeks, then switch to mode enforce and change the TXT id.".to_owned(),
        ("testing", false, false) => "Ready: once the TLS reports show no failures for a few weeks, switch to mode enforce and change the TXT id.".to_owned(),
        (_, true, _) => "Fix the problems above now: senders enforce this policy and refuse mail that fails it.".to_owned(),
        (_, false, true) => "Check what could not be checked above: senders enforce this policy, so a host that fails it does not receive their mail.".to_owned(),
        _ => "Keep it so: read the TLS reports, renew certificates, and change the TXT id with every policy change.".to_owned(),
    };
    Readiness {
        stage: stage.to_owned(),
        next_step,
        items,
    }
}

fn coverage(policy: Option<&Policy>, hosts: &[MxHost], null_mx: bool) -> ReadinessItem {
    if null_mx {
        return item(
            "mx-covered",
            ItemStatus::NotApplicable,
            "The domain receives no mail (null MX).".into(),
        );
    }
    if !policy.is_some_and(|p| p.mode != Mode::None) {
        return item(
            "mx-covered",
            ItemStatus::NotApplicable,
            "No policy in use yet: nothing to cover the MX hosts.".into(),
        );
    }
    if hosts.is_empty() {
        return item(
            "mx-covered",
            ItemStatus::NotChecked,
            "The MX hosts are not known, so coverage was not checked.".into(),
        );
    }
    let missing: Vec<&str> = hosts
        .iter()
        .filter(|h| h.covered_by.is_none())
        .map(|h| h.host.as_str())
        .collect();
    if missing.is_empty() {
        item(
            "mx-covered",
            ItemStatus::Ok,
            format!("All {} MX host(s) are covered by the policy.", hosts.len()),
        )
    } else {
        item(
            "mx-covered",
            ItemStatus::Problem,
            format!("Not covered by the policy: {}.", missing.join(", ")),
        )
    }
}

fn mx_tls(j: &Judging<'_>, hosts: &[MxHost], null_mx: bool) -> ReadinessItem {
    if null_mx {
        return item(
            "mx-tls",
            ItemStatus::NotApplicable,
            "The domain receives no mail (null MX).".into(),
        );
    }
    if j.ev.smtp.is_none() {
        return item(
            "mx-tls",
            ItemStatus::NotChecked,
            format!(
                "The MX hosts' STARTTLS and certificates were not checked: browsers and the edge cannot open port 25. Run `mtasts check --smtp {}`.",
                j.domain
            ),
        );
    }
    if j.ev.smtp.as_ref().is_some_and(|p| p.hosts.is_empty()) {
        return item(
            "mx-tls",
            ItemStatus::NotChecked,
            "No MX host was probed.".into(),
        );
    }
    let bad: Vec<&str> = hosts
        .iter()
        .filter(|h| h.starttls == Some(false) || h.valid_for_host == Some(false))
        .map(|h| h.host.as_str())
        .collect();
    let unknown: Vec<&str> = hosts
        .iter()
        .filter(|h| h.starttls.is_none() || h.valid_for_host.is_none())
        .map(|h| h.host.as_str())
        .collect();
    let tls_errors = j
        .findings
        .iter()
        .any(|f| f.is_error() && MX_TLS_FAULTS.contains(&f.code));
    if !bad.is_empty() || tls_errors {
        item(
            "mx-tls",
            ItemStatus::Problem,
            format!(
                "STARTTLS or the certificate fails on: {}.",
                if bad.is_empty() {
                    "see the findings".to_owned()
                } else {
                    bad.join(", ")
                }
            ),
        )
    } else if !unknown.is_empty() {
        item(
            "mx-tls",
            ItemStatus::NotChecked,
            format!("Could not check: {}.", unknown.join(", ")),
        )
    } else {
        item(
            "mx-tls",
            ItemStatus::Ok,
            "Every MX host offers STARTTLS with a certificate valid for its name.".into(),
        )
    }
}

fn policy_certificate(j: &Judging<'_>) -> ReadinessItem {
    let host = format!("mta-sts.{}", j.domain);
    let Some(c) =
        j.ev.policy_fetch
            .as_ref()
            .and_then(|f| f.certificate.as_ref())
    else {
        return item(
            "policy-certificate",
            ItemStatus::NotChecked,
            format!("The certificate of {host} was not seen."),
        );
    };
    let soon = j
        .findings
        .iter()
        .any(|f| f.code == CERTIFICATE_EXPIRING && f.message.contains(&host));
    match c.not_after {
        Some(end) if end <= j.ev.observed_at => item(
            "policy-certificate",
            ItemStatus::Problem,
            format!("The certificate of {host} expired on {}.", date(end)),
        ),
        Some(end) if soon => item(
            "policy-certificate",
            ItemStatus::Problem,
            format!(
                "The certificate of {host} expires on {} (within {EXPIRY_WARNING_DAYS} days).",
                date(end)
            ),
        ),
        Some(end) => item(
            "policy-certificate",
            ItemStatus::Ok,
            format!("The certificate of {host} is valid until {}.", date(end)),
        ),
        None => item(
            "policy-certificate",
            ItemStatus::NotChecked,
            format!("The validity of {host}'s certificate is not known."),
        ),
    }
}
