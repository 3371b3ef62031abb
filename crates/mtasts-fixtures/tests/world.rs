//! The scenario world proves itself: every scenario gets its verdict and codes through `gather`
//! and `assess`, the committed Evidence fixtures are exactly what the world produces, and every
//! finding code's two examples (text or scenario) behave.

use std::path::PathBuf;

use mtasts::codes::{self, ProofOutcome};
use mtasts::{assess, Finding};
use mtasts_fixtures::{evidence_json, memory, world, SCENARIOS};

fn evidence_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/evidence")
}

#[test]
fn every_scenario_gets_its_verdict_and_codes() {
    for s in SCENARIOS {
        // The world in memory probes the MX hosts, as `mtasts check --smtp` does.
        let (verdict, codes) = s.with_probe();
        let r = assess(&memory::evidence(s.domain));
        let got: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            r.verdict.as_str(),
            verdict,
            "{}: {got:?}\n{}",
            s.domain,
            r.summary
        );
        for want in codes {
            assert!(got.contains(want), "{}: no {want} in {got:?}", s.domain);
        }
        assert!(!r.summary.is_empty());
        // Without the probe: what the page, the Worker and `check` without --smtp see.
        let mut unprobed = memory::evidence(s.domain);
        unprobed.smtp = None;
        let r = assess(&unprobed);
        assert_eq!(
            r.verdict.as_str(),
            s.verdict,
            "{} without the probe",
            s.domain
        );
    }
}

#[test]
fn scenario_domains_are_unique_and_under_test() {
    let mut seen = std::collections::HashSet::new();
    for s in SCENARIOS {
        assert!(seen.insert(s.domain), "{} twice", s.domain);
        assert!(s.domain.ends_with(".test"), "{}", s.domain);
        for c in s.codes {
            assert!(codes::lookup(c).is_some(), "{}: unknown code {c}", s.domain);
        }
    }
}

/// The files are produced from the table (`mtasts-fixtures --write-evidence`); this fails when
/// the table changed and they were not written again, or when a file belongs to no scenario.
#[test]
fn committed_evidence_is_what_the_world_produces() {
    let dir = evidence_dir();
    for s in SCENARIOS {
        let path = dir.join(format!("{}.json", s.domain));
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run mtasts-fixtures --write-evidence",
                path.display()
            )
        });
        assert_eq!(
            committed,
            evidence_json(s.domain),
            "{} differs from the world; run `cargo run -p mtasts-fixtures -- --write-evidence tests/fixtures/evidence`",
            path.display()
        );
    }
    for entry in std::fs::read_dir(&dir).expect("evidence dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let domain = name.trim_end_matches(".json");
        assert!(
            world::scenario(domain).is_some(),
            "{name} belongs to no scenario"
        );
    }
}

/// The world as code examples see it: a scenario's assessment, or two scenarios compared as
/// two observations of the first one's domain.
struct Examples;

impl codes::World for Examples {
    fn findings(&self, domain: &str) -> Option<Vec<Finding>> {
        world::scenario(domain)?;
        Some(assess(&memory::evidence(domain)).findings)
    }

    fn changes(&self, before: &str, after: &str) -> Option<Vec<Finding>> {
        world::scenario(before)?;
        world::scenario(after)?;
        let old = memory::evidence(before);
        let new = memory::observed_as(after, before);
        Some(mtasts::compare(&old, &new).findings)
    }
}

/// One rule, its doc, its examples and this test: every code's bad example produces it and its
/// good example does not; a scenario example must name a scenario of the world.
#[test]
fn every_code_is_proven_by_its_examples() {
    let mut proven = 0;
    for code in codes::all() {
        match codes::prove(code, &Examples) {
            Ok(ProofOutcome::Proven) => proven += 1,
            Ok(ProofOutcome::Skipped) => panic!(
                "{code}: an example names no scenario of the world ({:?}, {:?})",
                code.info().bad,
                code.info().good
            ),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(proven, codes::all().count());
}

/// `compare` over the world's before/after pairs: what each change reads like.
#[test]
fn changes_between_observations_read_right() {
    let changes = |before: &str, after: &str| {
        mtasts::compare(
            &memory::evidence(before),
            &memory::observed_as(after, before),
        )
    };
    let codes = |c: &mtasts::Changes| {
        c.findings
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
    };

    let same = changes("good.test", "good.test");
    assert!(!same.changed(), "{:?}", same.findings);

    let edit = changes("good.test", "goodedit.test");
    assert_eq!(codes(&edit), ["change-policy-id-unchanged"]);
    let f = &edit.findings[0];
    assert!(
        f.message
            .contains("mx added: *.good.test; mx removed: mx1.good.test, mx2.good.test"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("still `20251101000000`") && f.message.contains("(14 days)"),
        "{}",
        f.message
    );
    assert_eq!(f.fix.as_deref(), Some("v=STSv1; id=20251122082640"));

    let mx = changes("good.test", "goodmx.test");
    assert_eq!(codes(&mx), ["change-mx-added", "change-verdict"]);
    assert_eq!(mx.findings[0].severity, mtasts::Severity::Error);
    assert_eq!(mx.findings[0].fix.as_deref(), Some("mx: mx3.good.test"));
    assert_eq!(
        mx.findings[1].message,
        "The verdict changed from pass to broken."
    );
    assert_eq!(
        codes(&changes("goodmx.test", "good.test")),
        ["change-mx-removed", "change-verdict"]
    );

    let renew = changes("good.test", "goodrenew.test");
    assert_eq!(
        renew.findings[0].message,
        "The policy host's certificate was renewed, valid until 2035-06-01."
    );
    let expired = changes("good.test", "expired.test");
    assert!(
        codes(&expired).contains(&"change-certificate-expiring"),
        "{:?}",
        codes(&expired)
    );

    let rollout = changes("testing-no-tlsrpt.test", "good.test");
    assert_eq!(
        codes(&rollout),
        [
            "change-policy-id-unchanged",
            "change-mode",
            "change-max-age",
            "change-record-appeared",
            "change-verdict"
        ]
    );
    let gone = changes("good.test", "testing-no-tlsrpt.test");
    assert!(gone
        .findings
        .iter()
        .any(|f| f.code.as_str() == "change-record-disappeared" && f.message.contains("TLS-RPT")));

    // A check that could not observe a part does not call it removed.
    let failed = changes("good.test", "servfail.test");
    assert!(
        !codes(&failed).contains(&"change-mx-removed"),
        "{:?}",
        codes(&failed)
    );
    assert!(
        codes(&failed).contains(&"change-not-compared"),
        "{:?}",
        codes(&failed)
    );
}

/// The feed's entry id changes exactly when the judged state does: not with the time of the
/// check or a renewed certificate, but with the id, the policy, the MX hosts or the verdict. The
/// feed and the badge are well-formed XML.
#[test]
fn the_feed_entry_changes_exactly_with_the_judged_state() {
    use mtasts::api::Checked;
    use mtasts::monitor::{atom_feed, badge_svg, state_digest};
    let digest = |ev| state_digest(&Checked::assess(ev));
    let base = digest(memory::evidence("good.test"));
    let mut later = memory::evidence("good.test");
    later.observed_at += 86_400;
    assert_eq!(
        digest(later),
        base,
        "the time of the check is not the state"
    );
    assert_eq!(
        digest(memory::observed_as("goodrenew.test", "good.test")),
        base,
        "nor a renewed certificate"
    );
    for changed in [
        "goodbump.test",
        "goodedit.test",
        "goodmx.test",
        "stale.test",
    ] {
        assert_ne!(
            digest(memory::observed_as(changed, "good.test")),
            base,
            "{changed}"
        );
    }
    for s in SCENARIOS {
        let c = Checked::assess(memory::evidence(s.domain));
        for xml in [
            atom_feed(&c, "https://mtasts.example"),
            badge_svg(s.domain, c.report.verdict),
        ] {
            let mut r = quick_xml::Reader::from_str(&xml);
            let mut depth = 0i32;
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                    Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                    Ok(_) => {}
                    Err(e) => panic!("{}: {e}\n{xml}", s.domain),
                }
            }
            assert_eq!(depth, 0, "{}", s.domain);
        }
    }
    let feed = atom_feed(
        &Checked::assess(memory::evidence("stale.test")),
        "https://mtasts.example",
    );
    assert!(feed.contains(&format!(
        "<id>urn:mtasts:state:stale.test:{}</id>",
        state_digest(&Checked::assess(memory::evidence("stale.test")))
    )));
    assert!(feed.contains("<title>stale.test: Broken</title>"));
    assert!(feed.contains("href=\"https://mtasts.example/?domain=stale.test\""));
}
