//! The MX hosts (RFC 5321 §5.1, RFC 7505) and their coverage by the policy's `mx` patterns
//! (RFC 8461 §4.1).

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Priority, Severity, Subject};
use crate::judge::judging::Judging;
use crate::names::domain::HostName;
use crate::observe::evidence::LookupStatus;
use crate::records::policy::{Mode, Policy};
use crate::report::MxHost;

code!(MX_NOT_COVERED = "mx-not-covered", Error, High, "RFC 8461 §4.1, §5", "An MX host is not covered by the policy",
    what: "Whether every MX host of the domain matches some `mx` pattern of the policy. In enforce this is an error (high priority); in testing a warning.",
    why: "In enforce, senders refuse to deliver to an MX that matches no pattern: mail routed to it bounces or is delayed. This is the classic failure after a change of mail provider.",
    example: "MX `aspmx.l.google.com` while the policy lists only `mx: mail.protection.outlook.com`.",
    fix: "Add an `mx:` line for the host (or a `*.` pattern covering it), then change the TXT id. If in doubt, switch to testing first.",
    bad: Example::Scenario("stale.test"),
    good: Example::Scenario("good.test"));

code!(MX_PATTERN_UNUSED = "mx-pattern-unused", Warning, Medium, "RFC 8461 §4.1", "A policy pattern matches no MX host",
    what: "Whether each `mx` pattern of the policy matches at least one of the domain's MX hosts.",
    why: "A pattern that nothing uses is usually left over from a previous provider. It widens what senders accept as a legitimate MX.",
    example: "`mx: *.mail.protection.outlook.com` while all MX records point to Google.",
    fix: "Remove the stale `mx:` line and change the TXT id.",
    bad: Example::Scenario("stale.test"),
    good: Example::Scenario("good.test"));

code!(MX_NULL = "mx-null", Info, Low, "RFC 7505, RFC 8461 §4", "The domain accepts no mail (null MX)",
    what: "Whether the domain's only MX is the null MX `0 .` of RFC 7505.",
    why: "A null MX says the domain receives no mail, so MTA-STS does not apply.",
    example: "`example.com MX 0 .`",
    fix: "Nothing. Any MTA-STS records can be removed (switch them to mode none first if they were ever enforced).",
    bad: Example::Scenario("nullmx.test"),
    good: Example::Scenario("good.test"));

code!(MX_NONE = "mx-none", Warning, Medium, "RFC 5321 §5.1, RFC 8461 §4", "The domain has no MX records",
    what: "Whether the domain publishes MX records.",
    why: "Without MX records, senders deliver to the domain's own address (the implicit MX), which the policy must then cover. Usually MX records are simply missing.",
    example: "`example.com` answers MX with no records.",
    fix: "Publish MX records for the hosts that receive your mail, or a null MX (`0 .`) if the domain receives none.",
    bad: Example::Scenario("nomx.test"),
    good: Example::Scenario("good.test"));

code!(DOMAIN_NOT_FOUND = "domain-not-found", Error, High, "RFC 1035", "The domain does not exist",
    what: "Whether the domain exists in DNS (the MX lookup answered NXDOMAIN).",
    why: "A domain that does not exist receives no mail; most likely it was mistyped.",
    example: "`exmaple.com`",
    fix: "Check the spelling of the domain.",
    bad: Example::Scenario("nxdomain.test"),
    good: Example::Scenario("good.test"));

/// The most MX hosts, and the most policy `mx` patterns, compared with each other: far more than
/// any real domain has (large providers list under ten), few enough that a hostile zone or
/// policy cannot make one assessment compare millions of pairs.
pub const MAX_COMPARED: usize = 100;

/// 101 patterns: one more than [`MAX_COMPARED`].
#[cfg(feature = "docs")]
macro_rules! x10 {
    ($s:expr) => {
        concat!($s, $s, $s, $s, $s, $s, $s, $s, $s, $s)
    };
}

code!(MX_TOO_MANY = "mx-too-many", Warning, Low, "RFC 8461 §4.1", "Too many MX hosts or patterns to compare",
what: "Whether the MX hosts and the policy's `mx` patterns are few enough to compare: mtasts compares at most 100 of each (MX hosts in order of preference, patterns in the order written).",
why: "No real domain needs more than a handful of either; hundreds usually mean a generated or hostile zone or policy. Those past the first 100 are not checked, so coverage is judged on part of the list.",
example: "A policy with 150 `mx:` lines.",
fix: "List only the MX hosts that receive mail, and cover them with a few patterns (a `*.` pattern covers a provider's hosts).",
bad: Example::Draft {
    policy: concat!("version: STSv1\r\nmode: testing\r\n", x10!(x10!("mx: *.example.com\r\n")), "mx: mail.example.com\r\nmax_age: 86400\r\n"),
    mx_hosts: &["mail.example.com"],
},
good: Example::Draft {
    policy: "version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 86400\r\n",
    mx_hosts: &["mail.example.com"],
});

/// What the MX lookup showed.
pub(crate) struct MxFacts {
    /// The hosts senders deliver to, preferred first, lower case (the domain itself for an
    /// implicit MX, without a preference).
    pub(crate) hosts: Vec<(String, Option<u16>)>,
    /// A null MX: the domain receives no mail.
    pub(crate) null: bool,
    /// The lookup answered (records, NODATA), so coverage can be judged.
    pub(crate) known: bool,
    /// The domain does not exist.
    pub(crate) nxdomain: bool,
}

/// Reads the MX answer.
pub(crate) fn judge(j: &mut Judging<'_>) -> MxFacts {
    let domain = j.domain;
    let mut facts = MxFacts {
        hosts: Vec::new(),
        null: false,
        known: false,
        nxdomain: false,
    };
    match j.ev.mx.status() {
        LookupStatus::Found => {
            facts.known = true;
            let mut recs: Vec<(u16, String)> =
                j.ev.mx
                    .mx_records()
                    .into_iter()
                    .map(|(p, h)| (p, h.to_ascii_lowercase()))
                    .collect();
            recs.sort();
            facts.null = recs.iter().all(|(_, h)| h.is_empty());
            facts.hosts = recs
                .into_iter()
                .filter(|(_, h)| !h.is_empty())
                .map(|(p, h)| (h, Some(p)))
                .collect();
            if facts.null {
                j.push(Finding::new(
                    MX_NULL,
                    Subject::Mx,
                    format!("{domain} publishes a null MX (RFC 7505): it receives no mail"),
                ));
            }
        }
        LookupStatus::NoData => {
            facts.known = true;
            j.push(
                Finding::new(MX_NONE, Subject::Mx, format!("{domain} has no MX records; senders deliver to the domain's own address (implicit MX)"))
                    .fix(format!("publish MX records for {domain}, or `{domain}. MX 0 .` if it receives no mail")),
            );
            facts.hosts.push((domain.to_owned(), None));
        }
        LookupStatus::NxDomain => {
            facts.nxdomain = true;
            j.push(Finding::new(
                DOMAIN_NOT_FOUND,
                Subject::Domain,
                format!("{domain} does not exist (NXDOMAIN)"),
            ));
        }
        LookupStatus::Failed(_, why) => {
            let lookup = &j.ev.mx;
            j.failed(Subject::Mx, "the MX hosts", lookup, &why);
        }
    }
    facts
}

/// Matches MX hosts against the policy, adding `mx-not-covered` and `mx-pattern-unused`.
pub(crate) fn coverage(
    policy: &Policy,
    hosts: &[(String, Option<u16>)],
    findings: &mut Vec<Finding>,
) -> Vec<MxHost> {
    let enforce = policy.mode == Mode::Enforce;
    let judged = policy.mode != Mode::None;
    if hosts.len() > MAX_COMPARED || policy.mx.len() > MAX_COMPARED {
        findings.push(Finding::new(
            MX_TOO_MANY,
            Subject::Mx,
            format!(
                "{} MX host(s) and {} `mx` pattern(s): only the first {MAX_COMPARED} of each are compared",
                hosts.len(),
                policy.mx.len()
            ),
        ));
    }
    let hosts = &hosts[..hosts.len().min(MAX_COMPARED)];
    let patterns = &policy.mx[..policy.mx.len().min(MAX_COMPARED)];
    // Each host read once as a host name; one that is none (`_bad.example`) matches no pattern.
    let names: Vec<Option<HostName>> = hosts.iter().map(|(h, _)| HostName::from_dns(h)).collect();
    let covering = |name: &Option<HostName>| {
        name.as_ref()
            .and_then(|n| patterns.iter().find(|p| p.matches(n)))
    };
    let out: Vec<MxHost> = hosts
        .iter()
        .zip(&names)
        .map(|((host, preference), name)| {
            MxHost::new(
                host.clone(),
                *preference,
                covering(name).map(|p| p.as_str().to_owned()),
            )
        })
        .collect();
    if !judged || out.is_empty() {
        return out;
    }
    for (h, name) in out
        .iter()
        .zip(&names)
        .filter(|(h, _)| h.covered_by.is_none())
    {
        let (sev, prio, effect) = if enforce {
            (
                Severity::Error,
                Priority::High,
                "senders that enforce MTA-STS will refuse to deliver to it",
            )
        } else {
            (Severity::Warning, Priority::Medium, "in enforce, senders would refuse to deliver to it; TLS-RPT reports will show failures")
        };
        // A name that is no host name cannot be covered by any pattern: the MX record is wrong.
        let fix = match name {
            Some(n) => format!("mx: {n}"),
            None => "correct the MX record: its exchange is not a valid host name".to_owned(),
        };
        findings.push(
            Finding::new(
                MX_NOT_COVERED,
                Subject::Mx,
                format!(
                    "MX host `{}` matches no `mx` pattern of the policy: {effect}",
                    h.host
                ),
            )
            .severity(sev)
            .priority(prio)
            .fix(fix),
        );
    }
    for p in patterns {
        if !names.iter().flatten().any(|n| p.matches(n)) {
            findings.push(
                Finding::new(MX_PATTERN_UNUSED, Subject::Mx, format!("the pattern `mx: {p}` matches none of the MX hosts (left over from a previous provider?)"))
                    .fix(format!("remove the line `mx: {p}` and change the TXT id")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::assess;
    use crate::observe::build::Lookup;
    use crate::observe::evidence::{Evidence, Rcode};
    use crate::report::Verdict;

    /// A hostile zone with thousands of MX hosts: only the first 100 are compared, and it says so.
    #[test]
    fn mx_hosts_past_the_cap_are_not_compared() {
        let names: Vec<String> = (0..5_000).map(|i| format!("mx{i}.example.com")).collect();
        let hosts: Vec<(u16, &str)> = names.iter().map(|n| (10, n.as_str())).collect();
        let r = assess(&Evidence::builder("example.com").mx(&hosts).build());
        assert_eq!(r.with_code(MX_TOO_MANY).count(), 1);
        assert_eq!(r.mx_hosts.len(), MAX_COMPARED);
        // Those compared and not covered are reported; the rest are not looked at.
        let covered = r.mx_hosts.iter().filter(|h| h.covered_by.is_some()).count();
        assert!(covered >= 1);
        assert_eq!(r.with_code(MX_NOT_COVERED).count(), MAX_COMPARED - covered);
    }

    fn judge(b: crate::observe::build::EvidenceBuilder) -> (Verdict, Vec<&'static str>) {
        let r = assess(&b.build());
        (
            r.verdict,
            r.findings.iter().map(|f| f.code.as_str()).collect(),
        )
    }

    #[test]
    fn mx_answers_table() {
        let e = || Evidence::builder("example.com");
        let rows = [
            (e(), Verdict::Pass, None),
            (e().mx(&[(0, ".")]), Verdict::NotApplicable, Some("mx-null")),
            (
                e().mx(&[(10, "mx1.example.com"), (20, "backup.other.net")]),
                Verdict::Fail,
                Some("mx-not-covered"),
            ),
            (
                e().mx(&[(10, "mx1.example.com")]),
                Verdict::Warn,
                Some("mx-pattern-unused"),
            ),
            (
                e().mx(&[(10, "MX1.Example.com."), (20, "mx2.example.com")]),
                Verdict::Pass,
                None,
            ),
            (
                e().answer(Lookup::Mx, Some(Rcode::NoError)),
                Verdict::Fail,
                Some("mx-none"),
            ),
            (
                e().answer(Lookup::Mx, Some(Rcode::NxDomain)),
                Verdict::Fail,
                Some("domain-not-found"),
            ),
            (
                e().answer(Lookup::Mx, Some(Rcode::ServFail)),
                Verdict::Inconclusive,
                Some("lookup-failed"),
            ),
            (
                e().answer(Lookup::Mx, None),
                Verdict::Inconclusive,
                Some("lookup-failed"),
            ),
        ];
        for (i, (b, verdict, code)) in rows.into_iter().enumerate() {
            let (v, got) = judge(b);
            assert_eq!(v, verdict, "row {i}: {got:?}");
            if let Some(c) = code {
                assert!(got.contains(&c), "row {i}: no {c} in {got:?}");
            }
        }
    }

    #[test]
    fn in_testing_an_uncovered_host_is_a_warning() {
        let policy =
            "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n";
        let b = Evidence::builder("example.com")
            .response(200, "text/plain", policy)
            .mx(&[(10, "mx1.example.com"), (20, "mx2.example.com")]);
        let r = assess(&b.build());
        let f = r.with_code(MX_NOT_COVERED).next().expect("uncovered");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(r.verdict, Verdict::Warn);
    }
}
