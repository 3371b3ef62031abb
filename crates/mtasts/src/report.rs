//! The Report: findings, an overall verdict, a plain-words summary and the parsed records.

use serde::{Deserialize, Serialize};

use crate::observe::evidence::CertificateFacts;

use crate::code_type::Code;
use crate::finding::{by_priority, Counts, Finding, Severity};
use crate::records::policy::Policy;
use crate::records::sts_txt::StsRecord;
use crate::records::tlsrpt::TlsRptRecord;

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Set up and correct.
    Pass,
    /// Works, or is absent, but needs attention.
    Warn,
    /// Broken: senders will not apply the policy as intended, or mail is at risk.
    Fail,
    /// MTA-STS does not apply (the domain receives no mail: null MX).
    NotApplicable,
    /// A lookup failed, so the check could not be completed.
    Inconclusive,
}

impl Verdict {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
            Verdict::NotApplicable => "not-applicable",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "Pass",
            Verdict::Warn => "Needs attention",
            Verdict::Fail => "Broken",
            Verdict::NotApplicable => "Not applicable",
            Verdict::Inconclusive => "Could not check",
        }
    }
}

/// One MX host and the policy pattern that covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxHost {
    /// Host name as found (no trailing dot).
    pub host: String,
    /// MX preference (`None` for hosts given without one, as in a draft).
    pub preference: Option<u16>,
    /// The first policy pattern that matches, or `None` when not covered.
    pub covered_by: Option<String>,
    /// Whether the host offers STARTTLS on every address probed; `null` when not checked
    /// (only `mtasts check --smtp` observes the MX hosts' SMTP service).
    #[serde(default)]
    pub starttls: Option<bool>,
    /// The TLS version negotiated after STARTTLS.
    #[serde(default)]
    pub tls_version: Option<String>,
    /// The certificate the host presented (its first address that presented one).
    #[serde(default)]
    pub certificate: Option<CertificateFacts>,
    /// Whether that certificate verifies for the host name on every address; `null` when not
    /// checked.
    #[serde(default)]
    pub valid_for_host: Option<bool>,
    /// What went wrong first, if anything (`address: message`).
    #[serde(default)]
    pub error: Option<String>,
}

impl MxHost {
    /// A host and its coverage, its SMTP service not (yet) observed.
    pub fn new(host: String, preference: Option<u16>, covered_by: Option<String>) -> Self {
        MxHost {
            host,
            preference,
            covered_by,
            starttls: None,
            tls_version: None,
            certificate: None,
            valid_for_host: None,
            error: None,
        }
    }
}

/// Where a readiness item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    /// Done.
    Ok,
    /// Needs fixing.
    Problem,
    /// Not observed (the text says how to observe it).
    NotChecked,
    /// Does not apply yet.
    NotApplicable,
}

impl ItemStatus {
    /// The JSON name (`ok`, `problem`, `not-checked`, `not-applicable`).
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Ok => "ok",
            ItemStatus::Problem => "problem",
            ItemStatus::NotChecked => "not-checked",
            ItemStatus::NotApplicable => "not-applicable",
        }
    }
}

/// One line of the readiness checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessItem {
    /// A stable key: `mx-covered`, `mx-tls`, `tlsrpt`, `policy-certificate`.
    pub check: String,
    /// Where it stands.
    pub status: ItemStatus,
    /// In plain words, with the evidence.
    pub text: String,
}

/// Ready to enforce? Where the domain stands on the rollout path (none → testing → enforce), the
/// next step, and the checklist the rollout guides give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    /// `none` (no usable policy, or mode none), `testing` or `enforce`.
    pub stage: String,
    /// What to do next, in plain words.
    pub next_step: String,
    /// The checklist.
    pub items: Vec<ReadinessItem>,
}

/// The result of assessing evidence or linting a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Format version.
    pub schema_version: u32,
    /// The domain (empty for a draft without one).
    pub domain: String,
    /// The overall verdict.
    pub verdict: Verdict,
    /// A plain-words paragraph, like an auditor's finding.
    pub summary: String,
    /// Findings, errors first, then by priority.
    pub findings: Vec<Finding>,
    /// The MTA-STS TXT record that counts, if valid.
    pub sts_record: Option<StsRecord>,
    /// The policy, if valid.
    pub policy: Option<Policy>,
    /// The TLS-RPT record, if valid.
    pub tlsrpt: Option<TlsRptRecord>,
    /// MX hosts and their coverage.
    pub mx_hosts: Vec<MxHost>,
    /// When the evidence was observed (Unix seconds), for assessed reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<u64>,
    /// The readiness checklist, for assessed reports (not for drafts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Readiness>,
    /// Who is involved: mail provider, DNS host, who serves the policy (assessed reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub involved: Option<crate::judge::involved::Involved>,
    /// How real senders read this: a row per modelled sender, beside the RFC's reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senders: Option<crate::senders::view::View>,
}

impl Report {
    /// True when no finding is an error.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// How many findings of each severity.
    pub fn counts(&self) -> Counts {
        Counts::of(&self.findings)
    }

    /// The findings in the order people act on them ([`by_priority`]).
    pub fn by_priority(&self) -> Vec<Finding> {
        by_priority(&self.findings)
    }

    /// The findings of one code.
    pub fn with_code(&self, code: Code) -> impl Iterator<Item = &Finding> + '_ {
        self.findings.iter().filter(move |f| f.code == code)
    }
}
