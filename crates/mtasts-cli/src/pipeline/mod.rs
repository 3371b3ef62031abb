//! Output for pipelines: SARIF 2.1.0 for code scanning ([`sarif`]), GitHub workflow commands
//! ([`github`]) and JUnit XML ([`junit`]), all written from one model: a [`Target`] (a policy
//! file, a TXT record set given on the command line, or a live domain) and its findings.

pub(crate) mod github;
pub(crate) mod junit;
pub(crate) mod sarif;

use mtasts::{Finding, Severity, Subject};

use crate::args::{FailOn, Format};
use crate::output::Fatal;

/// What a run of findings is about.
pub(crate) struct Target {
    /// The file's path as given, the domain, or the record set's owner (`_mta-sts TXT`).
    pub(crate) name: String,
    /// Its text, for locations and snippets.
    pub(crate) source: Source,
    /// What was found.
    pub(crate) findings: Vec<Finding>,
}

/// Where the findings of a [`Target`] point.
pub(crate) enum Source {
    /// A policy file and its bytes (findings' lines and spans are in it).
    File(Vec<u8>),
    /// TXT records given on the command line (a finding's `line` is the record's index).
    Records(Vec<String>),
    /// A TXT record set of a zone file (the target's name is the file's path).
    Zone {
        /// The owner (`_mta-sts.example.com`).
        owner: String,
        /// The records, strings joined.
        records: Vec<String>,
        /// The zone file's line each record starts on.
        lines: Vec<u32>,
    },
    /// A live domain (or saved Evidence of one): findings are about its records and policy,
    /// and the policy body observed, when there was one.
    Domain {
        /// The policy file fetched, if any.
        policy: Option<Vec<u8>>,
    },
}

impl Target {
    /// The source lines of its text, by the crate's one line rule (records: one a line).
    pub(crate) fn lines(&self) -> Vec<String> {
        match &self.source {
            Source::File(b) | Source::Domain { policy: Some(b) } => crate::render::source_lines(b),
            Source::Records(r) | Source::Zone { records: r, .. } => r.clone(),
            Source::Domain { policy: None } => vec![],
        }
    }

    /// The text a finding's span is an offset into (the file, or the record it points at).
    pub(crate) fn span_text(&self, f: &Finding) -> Option<&[u8]> {
        match &self.source {
            Source::File(b) => Some(b),
            Source::Domain { policy: Some(b) } if f.subject == Subject::Policy => Some(b),
            Source::Records(r) | Source::Zone { records: r, .. } => r
                .get((f.line? as usize).wrapping_sub(1))
                .map(|s| s.as_bytes()),
            Source::Domain { .. } => None,
        }
    }

    /// What identifies the target among others of the same file: the file, and the owner of
    /// a zone's record set.
    pub(crate) fn identity(&self) -> String {
        match &self.source {
            Source::Zone { owner, .. } => format!("{}\u{0}{owner}", self.name),
            _ => self.name.clone(),
        }
    }

    /// For a zone's record set: the zone line of the record finding `f` points at, and how the
    /// record is named (`_mta-sts.example.com TXT record 2`).
    pub(crate) fn zone_record(&self, f: &Finding) -> Option<(Option<u32>, String)> {
        let Source::Zone { owner, lines, .. } = &self.source else {
            return None;
        };
        let line = f
            .line
            .and_then(|n| lines.get((n as usize).wrapping_sub(1)).copied());
        let name = match f.line {
            Some(n) => format!("{owner} TXT record {n}"),
            None => format!("{owner} TXT"),
        };
        Some((line, name))
    }

    /// For a domain: where the subject of `f` is published, as people name it.
    pub(crate) fn published_at(&self, subject: Subject) -> String {
        let d = &self.name;
        match subject {
            Subject::StsTxt => format!("_mta-sts.{d} TXT"),
            Subject::Policy | Subject::Fetch => mtasts::policy_url(d),
            Subject::Mx => format!("{d} MX"),
            Subject::Tlsrpt => format!("_smtp._tls.{d} TXT"),
            Subject::Dane => format!("{d} TLSA (DANE)"),
            Subject::Domain => d.clone(),
        }
    }
}

/// The subject's name in JSON (`sts-txt`, `policy`, …).
pub(crate) fn subject_name(s: Subject) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Whether a finding of `severity` fails the run under `fail_on`.
pub(crate) fn fails(fail_on: FailOn, severity: Severity) -> bool {
    match fail_on {
        FailOn::Error => severity == Severity::Error,
        FailOn::Warning => severity <= Severity::Warning,
        FailOn::Never => false,
    }
}

/// What a pipeline run writes: which format, for which command, and what fails it.
pub(crate) struct Run<'a> {
    pub(crate) format: Format,
    /// `lint` or `check` (the JUnit suite's name, SARIF's automation id).
    pub(crate) command: &'a str,
    pub(crate) fail_on: FailOn,
    /// Where the web app is served (SARIF help links).
    pub(crate) site: &'a str,
}

/// Writes `targets` in the run's format on standard output.
pub(crate) fn print(run: &Run<'_>, targets: &[Target]) -> Result<(), Fatal> {
    use std::io::Write as _;
    let text = match run.format {
        Format::Sarif => sarif::log(run, targets)?,
        Format::Github => github::commands(targets),
        Format::Junit => junit::xml(run, targets),
        _ => return Err(Fatal("not a pipeline format".into())),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Fatal(format!("cannot write: {e}")))
}

/// True for the formats of this module.
pub(crate) fn is_pipeline(f: Format) -> bool {
    matches!(f, Format::Sarif | Format::Github | Format::Junit)
}
