//! The policy's mode (RFC 8461 §5) and whether its `mx` patterns cover the MX hosts (§4.1).

use crate::code;
#[cfg(feature = "docs")]
use crate::code_type::Example;
use crate::finding::{Finding, Subject};
use crate::judge::judging::Judging;
use crate::judge::mx::{coverage, MxFacts};
use crate::records::policy::{Mode, Policy};
use crate::report::MxHost;

code!(MODE_NONE = "mode-none", Warning, Medium, "RFC 8461 §5, §8.3", "The policy is in mode `none`: MTA-STS is switched off",
    what: "Whether the policy's mode is `none`. A domain in mode `none` never passes: nothing is protected.",
    why: "Senders treat the domain as having no MTA-STS policy, and drop the policy they had cached when they fetch this one. That is the first step of removing MTA-STS (RFC 8461 §8.3: publish `none` with a new id, wait out the old max_age, then remove the records); left in place by mistake, or after a rollback that was meant to be temporary, it leaves mail open to downgrade.",
    example: "`mode: none`",
    fix: "If you mean to protect mail, switch to `testing`, then `enforce`.",
    bad: Example::Scenario("modenone.test"),
    good: Example::Scenario("good.test"));

code!(MODE_TESTING = "mode-testing", Info, Low, "RFC 8461 §5", "The policy is in mode `testing`",
    what: "Whether the policy's mode is `testing`.",
    why: "Testing is the normal first step: senders report failures through TLS-RPT but still deliver. It does not protect against downgrade attacks yet.",
    example: "`mode: testing`",
    fix: "Read the TLS-RPT reports for a few weeks; when they show no failures, switch to `mode: enforce` and change the TXT id.",
    bad: Example::Scenario("testing-no-tlsrpt.test"),
    good: Example::Scenario("good.test"));

/// Notes the mode and judges coverage; returns the MX table (coverage unknown without a policy).
pub(crate) fn judge(j: &mut Judging<'_>, policy: Option<&Policy>, mx: &MxFacts) -> Vec<MxHost> {
    let uncovered = || {
        mx.hosts
            .iter()
            .map(|(h, p)| MxHost::new(h.clone(), *p, None))
            .collect()
    };
    let Some(p) = policy else {
        return uncovered();
    };
    match p.mode {
        Mode::None => j.push(
            Finding::new(
                MODE_NONE,
                Subject::Policy,
                "mode `none`: MTA-STS is switched off, and senders that fetch this policy drop the one they cached; that is how MTA-STS is removed (RFC 8461 §8.3), and otherwise a rollback to undo",
            )
            .fix("mode: testing (then enforce), and change the TXT id"),
        ),
        Mode::Testing => j.push(Finding::new(
            MODE_TESTING,
            Subject::Policy,
            "mode `testing`: senders report TLS failures but still deliver",
        )),
        Mode::Enforce => {}
    }
    if mx.known && !mx.null {
        coverage(p, &mx.hosts, &mut j.findings)
    } else {
        if !mx.known && p.mode != Mode::None {
            j.causes.push("MX coverage could not be checked".into());
        }
        uncovered()
    }
}
