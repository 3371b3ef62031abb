//! Whole reports for the evidence fixtures in `tests/fixtures/evidence/` (made by
//! `tests/fixtures/make_evidence.py`) and lint results for `tests/fixtures/policies/`, as insta
//! snapshots, plus an explicit verdict table so a snapshot can never hide a wrong verdict.

use std::path::PathBuf;

use mtasts::{assess, lint_policy, Evidence, Verdict};

fn fixtures(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(sub)
}

fn load(name: &str) -> Evidence {
    let path = fixtures("evidence").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Scenario, verdict, codes that must be present, codes that must be absent.
const TABLE: &[(&str, Verdict, &[&str], &[&str])] = &[
    (
        "good-enforce",
        Verdict::Pass,
        &[],
        &["mx-not-covered", "tlsrpt-absent"],
    ),
    (
        "testing-no-tlsrpt",
        Verdict::Warn,
        &["tlsrpt-absent", "mode-testing"],
        &[],
    ),
    (
        "stale-pattern",
        Verdict::Fail,
        &["mx-not-covered", "mx-pattern-unused"],
        &[],
    ),
    ("redirect", Verdict::Fail, &["policy-redirect"], &[]),
    ("http-404", Verdict::Fail, &["policy-http-status"], &[]),
    (
        "html-200",
        Verdict::Fail,
        &["policy-html", "policy-content-type"],
        &["policy-line-syntax"],
    ),
    (
        "wrong-content-type",
        Verdict::Warn,
        &["policy-content-type"],
        &[],
    ),
    ("too-large", Verdict::Fail, &["policy-too-large"], &[]),
    (
        "slow-body-timeout",
        Verdict::Fail,
        &["policy-unreachable"],
        &[],
    ),
    ("cert-wrong-name", Verdict::Fail, &["policy-tls"], &[]),
    ("cert-expired", Verdict::Fail, &["policy-tls"], &[]),
    ("several-sts", Verdict::Fail, &["sts-txt-several"], &[]),
    // Absent MTA-STS is a maturity gap: warn, and the failed policy fetch is not reported.
    (
        "no-txt",
        Verdict::Warn,
        &["sts-absent"],
        &["policy-unreachable"],
    ),
    ("cname-sts", Verdict::Pass, &["sts-txt-delegated"], &[]),
    (
        "null-mx",
        Verdict::NotApplicable,
        &["mx-null"],
        &["sts-absent"],
    ),
    // A failed lookup is "could not check", never "missing".
    (
        "servfail-mx",
        Verdict::Inconclusive,
        &["lookup-failed"],
        &["mx-none", "mx-not-covered"],
    ),
    (
        "sts-txt-timeout",
        Verdict::Inconclusive,
        &["lookup-failed"],
        &["sts-absent"],
    ),
    ("lf-only", Verdict::Pass, &["policy-lf-line-endings"], &[]),
    (
        "enforce-unreachable",
        Verdict::Fail,
        &["policy-unreachable"],
        &[],
    ),
    ("id-33-chars", Verdict::Fail, &["sts-txt-id-invalid"], &[]),
    ("multi-string-txt", Verdict::Pass, &[], &["sts-txt-syntax"]),
    (
        "dane-dnssec",
        Verdict::Pass,
        &["dane-tlsa", "dnssec-status"],
        &[],
    ),
];

#[test]
fn verdicts_and_codes() {
    for (name, verdict, present, absent) in TABLE {
        let r = assess(&load(name));
        let codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(r.verdict, *verdict, "{name}: {codes:?}\n{}", r.summary);
        for c in *present {
            assert!(codes.contains(c), "{name}: missing {c} in {codes:?}");
        }
        for c in *absent {
            assert!(!codes.contains(c), "{name}: unexpected {c} in {codes:?}");
        }
        assert!(!r.summary.is_empty());
    }
}

#[test]
fn every_fixture_is_in_the_table() {
    for entry in std::fs::read_dir(fixtures("evidence")).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".json")
            .to_owned();
        assert!(
            TABLE.iter().any(|t| t.0 == name),
            "fixture {name} has no expected verdict"
        );
    }
}

#[test]
fn priorities_follow_the_rollout() {
    let stale = assess(&load("stale-pattern"));
    let f = stale
        .findings
        .iter()
        .find(|f| f.code.as_str() == "mx-not-covered")
        .expect("finding");
    assert_eq!(f.priority, mtasts::Priority::High);
    let unreachable = assess(&load("enforce-unreachable"));
    assert_eq!(unreachable.findings[0].priority, mtasts::Priority::High);
    let testing = assess(&load("testing-no-tlsrpt"));
    let f = testing
        .findings
        .iter()
        .find(|f| f.code.as_str() == "tlsrpt-absent")
        .expect("finding");
    assert_eq!(f.priority, mtasts::Priority::Medium);
    let absent = assess(&load("no-txt"));
    let f = absent
        .findings
        .iter()
        .find(|f| f.code.as_str() == "sts-absent")
        .expect("finding");
    assert_eq!(f.priority, mtasts::Priority::Low);
    assert!(
        stale.summary.contains("partially configured"),
        "{}",
        stale.summary
    );
}

#[test]
fn mx_table_shows_coverage() {
    let r = assess(&load("stale-pattern"));
    let json = serde_json::to_value(&r.mx_hosts).expect("json");
    assert_eq!(
        json,
        serde_json::json!([
            {"host": "aspmx.l.google.test", "preference": 10, "covered_by": null},
            {"host": "mx2.stale.example", "preference": 20, "covered_by": "mx2.stale.example"},
        ])
    );
}

#[test]
fn report_json_has_the_contract_fields() {
    let v = serde_json::to_value(assess(&load("good-enforce"))).expect("json");
    for key in [
        "schema_version",
        "domain",
        "verdict",
        "summary",
        "findings",
        "sts_record",
        "policy",
        "tlsrpt",
        "mx_hosts",
    ] {
        assert!(v.get(key).is_some(), "report JSON lacks {key}");
    }
    assert_eq!(v["verdict"], "pass");
    assert_eq!(v["policy"]["mode"], "enforce");
}

#[test]
fn evidence_reports_snapshot() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures("evidence"))
        .expect("fixtures")
        .map(|e| {
            e.expect("entry")
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".json")
                .to_owned()
        })
        .collect();
    names.sort();
    for name in names {
        let report = assess(&load(&name));
        insta::assert_json_snapshot!(format!("report-{name}"), report);
    }
}

#[test]
fn policy_lint_snapshot() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures("policies"))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 5);
    for p in paths {
        let bytes = std::fs::read(&p).expect("read");
        let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
        insta::assert_json_snapshot!(format!("lint-{name}"), lint_policy(&bytes));
    }
}
