//! "How senders read this": every sender's reading of one domain (or one draft) beside the RFC's.
//!
//! [`view`] runs each [`Model`] on the same inputs — the TXT record set, the policy response and
//! the MX hosts — and compares what it would apply with what RFC 8461 says ([`super::rfc`]): a row
//! per sender (applies as published / reads it differently / ignores it, with the reason) and a
//! summary line for people.

use serde::{Deserialize, Serialize};

use super::{rfc, Model, PolicyRead, ReadPolicy, Response, TxtRead, SENDERS};

/// What one sender does with the domain's MTA-STS, compared with the RFC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It applies the policy as the RFC reads it.
    Applies,
    /// It applies a policy, but not the one the RFC reads (another mode, max_age or MX coverage;
    /// or a policy where the RFC sees none).
    Differs,
    /// The RFC reads a policy, and this sender sees none: it delivers without MTA-STS.
    Ignores,
    /// Neither the RFC nor this sender sees a policy.
    None,
}

/// One sender's row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The sender's id.
    pub sender: String,
    /// Its display name.
    pub name: String,
    /// The version modelled.
    pub version: String,
    /// What it does, compared with the RFC.
    pub outcome: Outcome,
    /// What it applies, when it applies a policy.
    pub policy: Option<ReadPolicy>,
    /// In plain words: why it ignores the policy, or how its reading differs.
    pub reason: Option<String>,
    /// MX hosts the RFC's reading covers that this sender's does not (under `enforce`, mail to
    /// them is refused by this sender).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncovered: Vec<String>,
}

/// Every sender's row and the line that sums them up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// One row per sender, in [`SENDERS`] order.
    pub rows: Vec<Row>,
    /// "3 of 11 senders ignore this policy: a blank line at the end of the file."
    pub summary: String,
    /// The RFC's reading, when it sees a policy.
    pub rfc: Option<ReadPolicy>,
}

impl View {
    /// The rows with this outcome.
    pub fn with(&self, outcome: Outcome) -> impl Iterator<Item = &Row> + '_ {
        self.rows.iter().filter(move |r| r.outcome == outcome)
    }
}

/// What the senders are given: the same for every one of them.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// The `_mta-sts` TXT records (strings joined), or `None` for a draft with no record (every
    /// sender is then assumed to have discovered the policy).
    pub txt: Option<&'a [&'a str]>,
    /// The policy response.
    pub response: Response<'a>,
    /// The domain's MX host names (may be empty: no coverage is compared then).
    pub mx_hosts: &'a [&'a str],
}

/// What one model makes of the inputs: the policy it applies, or why it sees none.
fn reading(model: &Model, inputs: &Inputs<'_>) -> Result<ReadPolicy, String> {
    if let Some(records) = inputs.txt {
        if let TxtRead::NoPolicy(why) = (model.txt)(records) {
            return Err(format!("_mta-sts TXT record: {why}"));
        }
    }
    match (model.policy)(&inputs.response) {
        PolicyRead::Policy(p) => Ok(p),
        PolicyRead::NoPolicy(why) => Err(why),
    }
}

/// The MX hosts `model` covers with the patterns of `policy`.
fn covered<'a>(model: &Model, policy: &ReadPolicy, hosts: &[&'a str]) -> Vec<&'a str> {
    hosts
        .iter()
        .copied()
        .filter(|h| policy.mx.iter().any(|p| (model.matches)(p, h)))
        .collect()
}

/// Every sender's reading of `inputs`, beside the RFC's.
pub fn view(inputs: &Inputs<'_>) -> View {
    let reference = reading(&rfc::MODEL, inputs).ok();
    let rfc_covered = reference
        .as_ref()
        .map(|p| covered(&rfc::MODEL, p, inputs.mx_hosts))
        .unwrap_or_default();
    let rows: Vec<Row> = SENDERS
        .iter()
        .map(|m| row(m, inputs, reference.as_ref(), &rfc_covered))
        .collect();
    let summary = summary(&rows, reference.is_some());
    View {
        rows,
        summary,
        rfc: reference,
    }
}

fn row(model: &Model, inputs: &Inputs<'_>, rfc: Option<&ReadPolicy>, rfc_covered: &[&str]) -> Row {
    let read = reading(model, inputs);
    let mut uncovered = Vec::new();
    let (outcome, reason) = match (&read, rfc) {
        (Err(why), Some(_)) => (Outcome::Ignores, Some(why.clone())),
        (Err(_), None) => (Outcome::None, None),
        (Ok(p), None) => (
            Outcome::Differs,
            Some(format!(
                "applies mode {} although the RFC sees no valid policy",
                p.mode
            )),
        ),
        (Ok(p), Some(want)) => {
            let mine = covered(model, p, inputs.mx_hosts);
            uncovered = rfc_covered
                .iter()
                .filter(|h| !mine.contains(h))
                .map(|h| (*h).to_owned())
                .collect();
            match differences(p, want, &uncovered, !inputs.mx_hosts.is_empty()) {
                None => (Outcome::Applies, None),
                Some(d) => (Outcome::Differs, Some(d)),
            }
        }
    };
    Row {
        sender: model.id.to_owned(),
        name: model.name.to_owned(),
        version: model.version.to_owned(),
        outcome,
        policy: read.ok(),
        reason,
        uncovered,
    }
}

/// How `got` differs from `want`, in words, or `None` when it does not in any way that counts.
fn differences(
    got: &ReadPolicy,
    want: &ReadPolicy,
    uncovered: &[String],
    hosts_known: bool,
) -> Option<String> {
    let mut parts = Vec::new();
    if got.mode != want.mode {
        parts.push(format!("reads mode {} (RFC: {})", got.mode, want.mode));
    }
    if got.max_age != want.max_age {
        parts.push(format!(
            "reads max_age {} (RFC: {})",
            got.max_age, want.max_age
        ));
    }
    if !uncovered.is_empty() {
        let verb = if got.mode == "enforce" {
            "refuses to deliver to"
        } else {
            "reports failures for"
        };
        parts.push(format!(
            "{verb} {}: no mx pattern matches as it reads them",
            uncovered.join(", ")
        ));
    } else if !hosts_known && lowered(&got.mx) != lowered(&want.mx) {
        // Without MX hosts, coverage cannot be compared: the patterns themselves are, as sets
        // and case-insensitively (a sender that lower-cases or drops a repeat reads the same).
        parts.push(format!(
            "keeps the mx patterns {} (RFC: {})",
            got.mx.join(", "),
            want.mx.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn lowered(patterns: &[String]) -> Vec<String> {
    let mut v: Vec<String> = patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
    v.sort();
    v.dedup();
    v
}

/// The line for people.
fn summary(rows: &[Row], rfc_policy: bool) -> String {
    let total = rows.len();
    let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
    let (ignores, differs, applies) = (
        count(Outcome::Ignores),
        count(Outcome::Differs),
        count(Outcome::Applies),
    );
    let first_reason = |o: Outcome| {
        rows.iter()
            .find(|r| r.outcome == o)
            .and_then(|r| r.reason.clone())
            .unwrap_or_default()
    };
    if !rfc_policy {
        return if differs == 0 {
            format!("No policy for any of the {total} senders.")
        } else {
            format!(
                "The RFC sees no valid policy, but {differs} of {total} senders apply one anyway ({}).",
                first_reason(Outcome::Differs)
            )
        };
    }
    let mut parts = Vec::new();
    if ignores > 0 {
        parts.push(format!(
            "{ignores} of {total} senders ignore this policy: {}",
            first_reason(Outcome::Ignores)
        ));
    }
    if differs > 0 {
        parts.push(format!(
            "{differs} of {total} read it differently: {}",
            first_reason(Outcome::Differs)
        ));
    }
    if parts.is_empty() {
        return format!("All {applies} senders apply this policy as published.");
    }
    format!("{}.", parts.join("; "))
}
