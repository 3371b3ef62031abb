//! TLS-RPT aggregate reports: the samples in `tests/fixtures/tlsrpt` (the RFC's example and one
//! per deviation real senders make), read as the command-line tool reads them.

use std::io::Read;

use mtasts::reports::{self, Collection, TlsReport, Unread, MAX_JSON_BYTES};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/tlsrpt");

fn inflate(gz: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = vec![];
    flate2::read::GzDecoder::new(gz)
        .take(MAX_JSON_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("not gzip: {e}"))?;
    if out.len() > MAX_JSON_BYTES {
        return Err(reports::too_large("").message);
    }
    Ok(out)
}

fn read(name: &str) -> (Vec<TlsReport>, Vec<Unread>) {
    let bytes = std::fs::read(format!("{DIR}/{name}")).expect("sample");
    reports::read_file(name, &bytes, inflate)
}

fn one(name: &str) -> TlsReport {
    let (mut r, u) = read(name);
    assert!(u.is_empty(), "{u:?}");
    assert_eq!(r.len(), 1, "{name}");
    r.remove(0)
}

fn has_note(r: &TlsReport, part: &str) -> bool {
    r.notes.iter().any(|n| n.contains(part))
}

#[test]
fn the_rfc_example_reads_exactly() {
    let r = one("rfc8460-example.json");
    assert_eq!(r.organization.as_deref(), Some("Company-X"));
    assert_eq!(
        r.report_id.as_deref(),
        Some("5065427c-23d3-47ca-b6e0-946ea0e8c4be")
    );
    assert_eq!(r.date_begin, Some(1_459_468_800));
    assert_eq!(r.date_end, Some(1_459_468_800 + 86_399));
    let p = &r.policies[0];
    assert_eq!(
        (p.policy_type.as_str(), p.policy_domain.as_deref()),
        ("sts", Some("company-y.example"))
    );
    assert_eq!((p.successful, p.failed), (Some(5326), Some(303)));
    assert_eq!(p.mode(), Some("testing"));
    assert_eq!(p.failures["certificate-expired"], Some(100));
    assert_eq!(p.failures["starttls-not-supported"], Some(200));
    assert_eq!(p.failures["validation-failure"], Some(3));
    let v = &p.failure_details[2];
    assert_eq!(
        v.failure_reason_code.as_deref(),
        Some("X509_V_ERR_PROOF_OF_POSSESSION")
    );
    // The RFC's example itself writes failure-error-code; that is the only note.
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    // The gzip form is the same report.
    let g = one("rfc8460-example.json.gz");
    assert_eq!(g.policies, r.policies);
}

#[test]
fn each_deviation_is_a_note_and_no_number_is_guessed() {
    let r = one("no-sending-ip.json");
    assert!(has_note(&r, "no sending-mta-ip"), "{:?}", r.notes);
    assert_eq!(r.policies[0].failure_details[0].sending_mta_ip, None);
    assert_eq!(r.policies[0].failures["certificate-host-mismatch"], Some(4));

    let r = one("senderd.example!example.net!1793750400!1793836799!d1.json");
    let p = &r.policies[0];
    assert_eq!(p.policy_type, "no-policy-found");
    assert_eq!(p.policy_domain.as_deref(), Some("example.net"));
    assert!(
        has_note(
            &r,
            "policy-domain is missing (no-policy-found): taken from the file name"
        ),
        "{:?}",
        r.notes
    );

    let r = one("mx-host-string.json");
    assert_eq!(r.policies[0].mx_host, ["mx1.example.net"]);
    assert!(has_note(&r, "mx-host is a string"), "{:?}", r.notes);

    let r = one("extra-fields.json");
    assert!(has_note(&r, "report-version"), "{:?}", r.notes);
    assert!(
        has_note(&r, "summary.total-deferred-session-count"),
        "{:?}",
        r.notes
    );
    assert_eq!(r.policies[0].successful, Some(120));

    let r = one("string-counts.json");
    let p = &r.policies[0];
    assert_eq!(p.successful, Some(77));
    assert_eq!(p.failed, None, "\"n/a\" is unreadable, not zero");
    assert_eq!(p.failures["certificate-host-mismatch"], Some(3));
    assert!(has_note(&r, "written as a string"), "{:?}", r.notes);
    assert!(
        has_note(&r, "\"n/a\" is not a number: shown as unreadable"),
        "{:?}",
        r.notes
    );
}

#[test]
fn hostile_and_odd_json_never_panics() {
    let p = |json: &str| reports::read_file("x.json", json.as_bytes(), inflate);
    for json in [
        "{}", "[]", "[1,2]", "{\"policies\": 5}", "{\"policies\": [null, 3, {}]}",
        "{\"policies\": [{\"policy\": [], \"summary\": {\"total-successful-session-count\": -1, \"total-failure-session-count\": 1.5}}]}",
        "{\"date-range\": {\"start-datetime\": \"yesterday\", \"end-datetime\": 7}}",
        "{\"policies\": {\"policy\": {\"policy-type\": \"STS\", \"mx-host\": [1, \"a\"]}, \"summary\": {\"total-successful-session-count\": 3.0, \"total-failure-session-count\": \"+4\"}, \"failure-details\": {\"result-type\": 9}}}",
        "\u{feff}{\"organization-name\": 12}",
    ] {
        let (r, u) = p(json);
        assert_eq!(r.len() + u.len(), if json == "[1,2]" || json == "[]" { 1 } else { r.len() + u.len() }, "{json}");
        for r in &r {
            for pol in &r.policies {
                assert!(pol.successful != Some(0) || json.contains(": 0"), "{json}: a zero that was not written");
            }
        }
    }
    let (r, _) = p("{\"policies\": {\"policy\": {\"policy-type\": \"STS\"}, \"summary\": {\"total-successful-session-count\": 3.0, \"total-failure-session-count\": \"+4\"}}}");
    assert_eq!(
        (r[0].policies[0].successful, r[0].policies[0].failed),
        (Some(3), None)
    );
    assert_eq!(r[0].policies[0].policy_type, "sts");
    let (r, u) = p("not json at all");
    assert!(
        r.is_empty() && u[0].message.starts_with("not a TLS report"),
        "{u:?}"
    );
}

#[test]
fn mail_messages_and_mailboxes_carry_reports() {
    let r = one("report.eml");
    assert_eq!(r.organization.as_deref(), Some("Mail Sender H"));
    assert!(
        r.file.starts_with("report.eml: MailSenderH!example.net!"),
        "{}",
        r.file
    );
    assert_eq!(r.policies[0].failures["certificate-host-mismatch"], Some(7));
    assert!(r.notes.is_empty(), "{:?}", r.notes);

    let r = one("report-qp.eml");
    assert_eq!(r.organization.as_deref(), Some("Mail Sender I"));
    assert_eq!(r.policies[0].successful, Some(64));

    let (rs, u) = read("reports.mbox");
    assert!(u.is_empty(), "{u:?}");
    assert_eq!(rs.len(), 3);
    assert!(
        rs[1].file.starts_with("reports.mbox (message 2): "),
        "{}",
        rs[1].file
    );
    let mut c = Collection::new();
    for r in rs {
        c.add(r);
    }
    let doc = c.document();
    assert_eq!(doc.reports.len(), 2, "the same report twice counts once");
    assert_eq!(doc.duplicates.len(), 1);
    assert!(doc.duplicates[0]
        .same_as
        .starts_with("reports.mbox (message 1)"));
    assert_eq!((doc.totals.successful, doc.totals.failed), (750, 5));
}

#[test]
fn bombs_and_other_files_stop_with_a_clear_message() {
    let (r, u) = read("bomb.json.gz");
    assert!(r.is_empty());
    assert!(
        u[0].message.contains("decompresses to more than 16 MB"),
        "{u:?}"
    );
    let (r, u) = read("notes.txt");
    assert!(r.is_empty());
    assert!(u[0].message.contains("not a TLS report"), "{u:?}");
    let (_, u) = reports::read_file(
        "big.json",
        &vec![b' '; reports::MAX_FILE_BYTES + 1],
        inflate,
    );
    assert!(u[0].message.contains("larger than 32 MB"), "{u:?}");
    let (_, u) = reports::read_file("m.eml", b"Subject: hi\r\n\r\nno attachment", inflate);
    assert!(u[0].message.contains("no TLS report"), "{u:?}");
    // Many policies and failure details are capped, with a note.
    let details: Vec<String> = (0..reports::MAX_FAILURE_DETAILS + 5)
        .map(|_| r#"{"result-type":"starttls-not-supported","failed-session-count":1}"#.to_owned())
        .collect();
    let json = format!(
        r#"{{"policies":[{{"policy":{{"policy-type":"sts"}},"summary":{{"total-successful-session-count":0,"total-failure-session-count":99999}},"failure-details":[{}]}}]}}"#,
        details.join(",")
    );
    let (r, _) = reports::read_file("many.json", json.as_bytes(), inflate);
    assert_eq!(
        r[0].policies[0].failure_details.len(),
        reports::MAX_FAILURE_DETAILS
    );
    assert!(
        has_note(&r[0], "only the first 10000 were read"),
        "{:?}",
        r[0].notes
    );
}

fn all() -> Collection {
    let mut c = Collection::new();
    let mut names: Vec<String> = std::fs::read_dir(DIR)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let (r, u) = read(&name);
        r.into_iter().for_each(|r| c.add(r));
        u.into_iter().for_each(|u| c.add_unread(u));
    }
    c
}

#[test]
fn the_summary_says_what_to_fix_before_enforce() {
    let c = all();
    let doc = c.document();
    let s = &doc.summary;
    let net = s
        .domains
        .iter()
        .find(|d| d.policy_type == "sts" && d.policy_domain.as_deref() == Some("example.net"))
        .expect("example.net");
    assert_eq!(net.mode.as_deref(), Some("testing"));
    assert_eq!(
        net.totals.failures["certificate-host-mismatch"],
        12 + 4 + 3 + 7 + 5
    );
    assert_eq!(net.by_mx[0].host.as_deref(), Some("mx2.example.net"));
    assert_eq!(net.by_mx[0].ip.as_deref(), Some("198.51.100.2"));
    assert!(
        net.by_sender.iter().any(|r| r.mta_ip.is_none()),
        "the sender without an IP is a row"
    );
    assert_eq!(net.totals.unreadable, 1);
    assert!(
        s.advice[0]
            .text
            .starts_with("Fix mx2.mail.company-y.example before enforcing: 200 sessions"),
        "{}",
        s.advice[0].text
    );
    let top = s
        .advice
        .iter()
        .find(|a| a.policy_domain.as_deref() == Some("example.net"))
        .expect("advice");
    assert_eq!(top.priority, mtasts::Priority::High);
    assert!(
        top.text.starts_with("Fix mx2.example.net before enforcing"),
        "{}",
        top.text
    );
    assert!(
        s.headline.starts_with("Fix before enforcing: "),
        "{}",
        s.headline
    );
    assert!(
        s.headline
            .contains("mx2.example.net (certificate-host-mismatch, 31 sessions)"),
        "{}",
        s.headline
    );
    assert!(
        s.headline.contains("1 count could not be read"),
        "{}",
        s.headline
    );
    assert_eq!(
        s.daily
            .iter()
            .find(|d| d.date == "2026-11-02")
            .map(|d| (d.successful, d.failed)),
        Some((1250, 12))
    );
    assert_eq!(s.daily.first().map(|d| d.date.as_str()), Some("2016-04-01"));
    assert_eq!(doc.unread.len(), 2, "{:?}", doc.unread);
    assert!(s
        .reporters
        .iter()
        .any(|r| r.organization.as_deref() == Some("Mail Sender J") && r.reports == 1));
}

#[test]
fn clean_reports_show_nothing_in_the_way() {
    let mut c = Collection::new();
    for name in ["clean.json", "mx-host-string.json"] {
        one(name);
        read(name).0.into_iter().for_each(|r| c.add(r));
    }
    let s = c.document().summary;
    assert_eq!(
        s.headline,
        "The reports show nothing standing in the way of enforce: all 1140 sessions from 2 senders succeeded between 2026-11-02 and 2026-11-04. The reports cover 3 days; wait for at least two weeks of reports before enforcing."
    );
    assert!(s.advice.is_empty());
    assert_eq!(
        Collection::new().document().summary.headline,
        "No TLS report could be read from these files."
    );
}

#[test]
fn csv_rows_never_count_twice() {
    let c = all();
    let csv = reports::csv(c.reports());
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .is_some_and(|h| h.starts_with("row,file,organization")));
    let failures: u64 = csv
        .lines()
        .filter(|l| l.starts_with("failure,"))
        .filter_map(|l| l.rsplit(',').nth(1)?.parse::<u64>().ok())
        .sum();
    assert_eq!(failures, c.document().totals.failures.values().sum::<u64>());
    assert!(!csv.contains("\n="), "no cell starts a formula");
}

#[test]
fn the_json_contract_holds() {
    let c = all();
    let v = serde_json::to_value(c.document()).expect("json");
    let r = &v["reports"].as_array().expect("reports")[0];
    for key in [
        "file",
        "organization",
        "report_id",
        "date_begin",
        "date_end",
        "policies",
        "notes",
    ] {
        assert!(r.get(key).is_some(), "{key}");
    }
    let p = &r["policies"][0];
    for key in [
        "policy_type",
        "policy_domain",
        "successful",
        "failed",
        "failures",
    ] {
        assert!(p.get(key).is_some(), "{key}");
    }
    for key in ["successful", "failed", "failures"] {
        assert!(v["totals"].get(key).is_some(), "{key}");
    }
    let rfc = v["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| r["organization"] == "Company-X")
        .expect("rfc example");
    assert_eq!(rfc["date_begin"], "2016-04-01T00:00:00Z");
    assert_eq!(rfc["policies"][0]["failures"]["certificate-expired"], 100);
    assert!(v["totals"]["successful"].is_u64());
}

#[test]
fn percentages_round_down_and_never_overflow() {
    assert_eq!(reports::percent(9999, 10_000).as_deref(), Some("99.99"));
    assert_eq!(
        reports::percent(999_999, 1_000_000).as_deref(),
        Some("99.99")
    );
    assert_eq!(reports::percent(5326, 5629).as_deref(), Some("94.61"));
    assert_eq!(reports::percent(1, 1).as_deref(), Some("100.00"));
    assert_eq!(reports::percent(0, 7).as_deref(), Some("0.00"));
    assert_eq!(reports::percent(0, 0), None);
    assert_eq!(
        reports::percent(u64::MAX, u64::MAX).as_deref(),
        Some("100.00")
    );
}
