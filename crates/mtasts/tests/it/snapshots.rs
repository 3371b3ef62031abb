//! Whole reports for the Evidence fixtures in `tests/fixtures/evidence/` (written from the scenario
//! world by `mtasts-fixtures --write-evidence`, whose own tests hold each scenario's expected
//! verdict and codes, so a snapshot can never hide a wrong verdict) and lint results for
//! `tests/fixtures/policies/`, as insta snapshots.

use std::path::PathBuf;

use mtasts::{assess, lint_policy, Evidence};

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

#[test]
fn priorities_follow_the_rollout() {
    let stale = assess(&load("stale.test"));
    let f = stale
        .findings
        .iter()
        .find(|f| f.code.as_str() == "mx-not-covered")
        .expect("finding");
    assert_eq!(f.priority, mtasts::Priority::High);
    let unreachable = assess(&load("unreachable.test"));
    assert_eq!(unreachable.findings[0].priority, mtasts::Priority::High);
    let testing = assess(&load("testing-no-tlsrpt.test"));
    let f = testing
        .findings
        .iter()
        .find(|f| f.code.as_str() == "tlsrpt-absent")
        .expect("finding");
    assert_eq!(f.priority, mtasts::Priority::Medium);
    let absent = assess(&load("none.test"));
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
    let r = assess(&load("stale.test"));
    let json = serde_json::to_value(&r.mx_hosts).expect("json");
    let rows: Vec<_> = json
        .as_array()
        .expect("rows")
        .iter()
        .map(|h| {
            (
                h["host"].clone(),
                h["preference"].clone(),
                h["covered_by"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "aspmx.l.google.test".into(),
                10.into(),
                serde_json::Value::Null
            ),
            ("mx2.stale.test".into(), 20.into(), "mx2.stale.test".into()),
        ]
    );
    // The SMTP facts of each row (the fixture's Evidence was observed with the probe), and the
    // keys the JSON contract promises, present even when null.
    for h in json.as_array().expect("rows") {
        assert_eq!(h["starttls"], true);
        assert_eq!(h["valid_for_host"], true);
        assert_eq!(h["tls_version"], "TLSv1.3");
        assert!(h["certificate"]["subject_names"].is_array());
        assert!(h.get("error").is_some_and(serde_json::Value::is_null));
    }
}

#[test]
fn report_json_has_the_contract_fields() {
    let v = serde_json::to_value(assess(&load("good.test"))).expect("json");
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

/// `compare_judged` over the two reports is `compare` (which judges both itself), for every pair
/// of the Evidence fixtures: the web app compares saved checks with it.
#[test]
fn compare_judged_is_compare() {
    let names: Vec<String> = std::fs::read_dir(fixtures("evidence"))
        .expect("fixtures")
        .map(|e| {
            let name = e.expect("entry").file_name();
            name.to_string_lossy().trim_end_matches(".json").to_owned()
        })
        .collect();
    let all: Vec<(Evidence, mtasts::Report)> = names
        .iter()
        .map(|n| {
            let ev = load(n);
            let r = assess(&ev);
            (ev, r)
        })
        .collect();
    for (old, ro) in &all {
        for (new, rn) in &all {
            assert_eq!(
                mtasts::compare_judged(old, ro, new, rn),
                mtasts::compare(old, new),
                "{} → {}",
                old.domain,
                new.domain
            );
        }
    }
}
