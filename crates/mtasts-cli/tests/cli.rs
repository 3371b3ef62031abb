//! The `mtasts` binary: JSON contract, exit statuses, hostile input. One integration binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "pipelines/mod.rs"]
mod pipelines;

fn mtasts(args: &[&str], stdin: Option<&[u8]>) -> Output {
    // From the repository's root, so relative paths in the output read the same on every machine.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mtasts"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mtasts");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    out
}

/// The text output of each command, as people read it, for inputs that exercise its parts:
/// compiler-style excerpts, summaries, a whole report, the code docs with their examples.
#[test]
fn text_output_snapshots() {
    let many = "tests/fixtures/policies/many-mistakes.txt".to_owned();
    let stale = "tests/fixtures/evidence/stale.test.json".to_owned();
    let wrongname = "tests/fixtures/evidence/mxwrongname.test.json".to_owned();
    let silent = "tests/fixtures/evidence/mxsilent.test.json".to_owned();
    /// Snapshot name, arguments, standard input.
    type Case<'a> = (&'a str, Vec<&'a str>, Option<&'a [u8]>);
    let cases: &[Case<'_>] = &[
        (
            "lint-policy-many-mistakes",
            vec!["lint", "policy", &many],
            None,
        ),
        (
            "lint-policy-stdin-lone-cr",
            vec!["lint", "policy"],
            Some(b"version: STSv1\r\nmode: enforce\rmx: a.example\r\nmax_age: 604800\r\n"),
        ),
        (
            "lint-sts-txt-two-records",
            vec![
                "lint",
                "sts-txt",
                "v=STSv1; id=2024",
                "v=STSv1 ; id=2025-01",
            ],
            None,
        ),
        (
            "lint-tlsrpt",
            vec!["lint", "tlsrpt", "v=TLSRPTv1; rua=tls@example.com"],
            None,
        ),
        (
            "match-no",
            vec!["match", "*.example.com", "a.b.example.com"],
            None,
        ),
        ("explain-policy-bom", vec!["explain", "policy-bom"], None),
        ("assess-stale", vec!["assess", &stale], None),
        // Observed with the SMTP probe: the MX rows, the readiness checklist, the findings.
        ("assess-mxwrongname", vec!["assess", &wrongname], None),
        ("assess-mxsilent", vec!["assess", &silent], None),
    ];
    for (name, args, stdin) in cases {
        let out = mtasts(args, *stdin);
        let text = format!(
            "exit: {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout)
        );
        insta::assert_snapshot!(*name, text);
    }
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

const GOOD: &str = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n";

#[test]
fn lint_policy_json_contract() {
    let out = mtasts(
        &["lint", "policy", "-", "--format", "json"],
        Some(GOOD.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(
        v["parsed"],
        serde_json::json!({"version": "STSv1", "mode": "enforce", "max_age": 604800, "mx": ["mail.example.com", "*.example.net"]})
    );
    assert_eq!(v["findings"], serde_json::json!([]));

    let out = mtasts(
        &["lint", "policy", "--format", "json"],
        Some(b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert_eq!(v["parsed"], serde_json::Value::Null);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "policy-max-age-too-large");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(4), Some(10))
    );
    assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[test]
fn lint_policy_reads_files() {
    let dir = std::env::temp_dir().join(format!("mtasts-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("policy.txt");
    std::fs::write(
        &path,
        "version: STSv1\nmode: testing\nmx: a.example\nmax_age: 604800\n",
    )
    .expect("write");
    let out = mtasts(
        &["lint", "policy", path.to_str().expect("utf-8 path")],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("info[policy-lf-line-endings]"), "{text}");
    assert!(text.contains(": valid"), "{text}");
    let out = mtasts(
        &[
            "lint",
            "policy",
            dir.join("missing.txt").to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_output_has_a_caret_under_the_span() {
    let out = mtasts(
        &["lint", "policy"],
        Some(b"version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n"),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("error[policy-mode-invalid]"), "{text}");
    assert!(text.contains("--> <stdin>:2:7"), "{text}");
    assert!(
        text.contains("2 | mode: Enforce\n  |       ^^^^^^^\n"),
        "{text}"
    );
    assert!(text.contains("= fix: mode: enforce"), "{text}");
    assert!(!text.contains('\x1b'), "NO_COLOR must disable colour");
}

#[test]
fn lint_sts_txt_and_tlsrpt_json() {
    let out = mtasts(
        &[
            "lint",
            "sts-txt",
            "v=STSv1; id=20240101",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["parsed"], serde_json::json!({"id": "20240101"}));

    // The whole set: two STS records means no policy.
    let out = mtasts(
        &[
            "--format",
            "json",
            "lint",
            "sts-txt",
            "v=STSv1; id=1",
            "v=STSv1; id=2",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["valid"], false);

    let out = mtasts(
        &[
            "lint",
            "tlsrpt",
            "v=TLSRPTv1; rua=mailto:a@example.com,https://r.example/x",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out)["parsed"],
        serde_json::json!({"rua": ["mailto:a@example.com", "https://r.example/x"]})
    );

    let out = mtasts(
        &[
            "lint",
            "tlsrpt",
            "v=TLSRPTv1; rua=a@example.com",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn match_exit_status_and_json() {
    assert_eq!(
        mtasts(&["match", "*.example.com", "mail.example.com"], None)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        mtasts(&["match", "*.example.com", "a.b.example.com"], None)
            .status
            .code(),
        Some(1)
    );
    let out = mtasts(
        &[
            "match",
            "--format",
            "json",
            "mail.example.com",
            "MAIL.example.com.",
        ],
        None,
    );
    assert_eq!(json(&out)["matches"], true);
    let out = mtasts(
        &["match", "--format", "json", "*.example.com", "example.com"],
        None,
    );
    assert_eq!(json(&out)["matches"], false);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn explain_and_usage_errors() {
    let out = mtasts(&["explain", "policy-bom"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for h in [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Fix",
        "## References",
    ] {
        assert!(text.contains(h), "{text}");
    }
    let out = mtasts(&["explain", "no-such-code"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown code"));
    assert_eq!(mtasts(&["lint"], None).status.code(), Some(2));
    assert_eq!(mtasts(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(mtasts(&["match", "only-one"], None).status.code(), Some(2));
}

#[test]
fn generate_output_lints_clean() {
    let out = mtasts(
        &[
            "generate",
            "--mx",
            "mx1.example.com",
            "mx2.example.com",
            "--mode",
            "enforce",
            "--max-age",
            "1209600",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let g = json(&out);
    let policy = g["policy"].as_str().expect("policy");
    let lint = mtasts(
        &["lint", "policy", "--format", "json"],
        Some(policy.as_bytes()),
    );
    assert_eq!(json(&lint)["findings"], serde_json::json!([]));
    let txt = g["sts_txt"].as_str().expect("txt");
    assert_eq!(
        mtasts(&["lint", "sts-txt", txt], None).status.code(),
        Some(0)
    );
    assert_eq!(
        mtasts(&["generate", "--mx", "not a host"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        mtasts(
            &["generate", "--mx", "a.example", "--max-age", "99999999999"],
            None
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn assess_fixture_and_bad_json() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/evidence/stale.test.json"
    );
    let out = mtasts(&["assess", fixture, "--format", "json"], None);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["verdict"], "fail");
    let out = mtasts(
        &[
            "assess",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/fixtures/evidence/good.test.json"
            ),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Pass — good.test"));
    let out = mtasts(&["assess", "-"], Some(b"{not json"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not Evidence JSON"));
}

#[test]
fn hostile_input_gives_findings_never_a_panic_or_hang() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("binary", (0..=255u8).cycle().take(100_000).collect()),
        (
            "10 MB of text",
            "version: STSv1\n".repeat(700_000).into_bytes(),
        ),
        ("a 100,000-character line", "x".repeat(100_000).into_bytes()),
        (
            "escape sequences",
            b"version: STSv1\nmode: \x1b[31menforce\x1b[0m\nmax_age: 1\n".to_vec(),
        ),
    ];
    for (what, input) in cases {
        let start = Instant::now();
        let out = mtasts(&["lint", "policy"], Some(&input));
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what}: too slow"
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout.len() < 200_000,
            "{what}: {} bytes of output",
            out.stdout.len()
        );
        assert!(!out.stdout.contains(&0x1b), "{what}: raw escape in output");
        let out = mtasts(&["lint", "policy", "--format", "json"], Some(&input));
        assert_eq!(json(&out)["valid"], false, "{what}");
    }
    let out = mtasts(&["lint", "sts-txt", &"v=STSv1; id=".repeat(10_000)], None);
    assert_eq!(out.status.code(), Some(1));
}

/// Strings from DNS, a policy file, an Evidence file and the command line reach the terminal
/// escaped: no raw control, bidi or invisible format character, whatever field they sit in.
#[test]
fn hostile_bytes_stay_inert_in_text_output() {
    let raw = |out: &Output| {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        text.chars()
            .filter(|&c| c != '\n' && mtasts::inert::is_invisible(c))
            .collect::<Vec<_>>()
    };
    let hostile = "\u{1b}]8;;x\u{7}\u{202e}\u{2066}\u{200b}\u{2028}\t";
    // An Evidence file whose every string is hostile: CNAME chain, TXT, MX, policy, errors.
    let mut ev: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/evidence/hostile.test.json"
        ))
        .expect("fixture"),
    )
    .expect("json");
    ev["sts_txt"]["cname_chain"] = serde_json::json!([format!("a{hostile}.test")]);
    ev["sts_txt"]["answers"][0]["strings"] = serde_json::json!([format!("v=STSv1; id=1{hostile}")]);
    ev["tlsrpt_txt"]["error"] = serde_json::json!({"kind": "timeout", "message": hostile});
    ev["policy_fetch"]["body"]["text"] = serde_json::json!(format!(
        "version: STSv1\r\nmode: {hostile}\r\nmx: mx1.hostile.test\r\n"
    ));
    ev["policy_fetch"]["headers"][0]["value"] = serde_json::json!(hostile);
    let path = std::env::temp_dir().join(format!("mtasts-hostile-{}.json", std::process::id()));
    std::fs::write(&path, ev.to_string()).expect("write");
    let out = mtasts(&["assess", &path.to_string_lossy()], None);
    assert!(out.status.code().is_some());
    assert_eq!(
        raw(&out),
        Vec::<char>::new(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("mx1.hostile.test\\t"));
    // A JSON parse error that quotes the input, and echoed arguments.
    std::fs::write(&path, format!("{{\"domain\": 1, \"x{hostile}\": [")).expect("write");
    let out = mtasts(&["assess", &path.to_string_lossy()], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(raw(&out), Vec::<char>::new());
    for args in [
        vec!["match", hostile, hostile],
        vec!["lint", "sts-txt", hostile],
        vec!["check", hostile],
        vec!["lint", "policy", hostile],
        vec!["lint", hostile],
        vec!["--format", hostile, "explain", "all"],
    ] {
        let out = mtasts(&args, None);
        assert_eq!(raw(&out), Vec::<char>::new(), "{args:?}");
    }
    let out = mtasts(
        &["lint", "policy"],
        Some(format!("mx: {hostile}\n").as_bytes()),
    );
    assert_eq!(raw(&out), Vec::<char>::new());
    let _ = std::fs::remove_file(path);
}

#[test]
fn oversized_input_is_refused_clearly() {
    let big = vec![b'a'; 17 * 1024 * 1024];
    let out = mtasts(&["lint", "policy"], Some(&big));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 16 MiB"));
}

mod check {
    //! `mtasts check` against the fixture internet: real DoH, real TLS with a test CA.

    use super::{json, mtasts};
    use mtasts_fixtures::{FixtureInternet, Options, SCENARIOS};

    fn args(fx: &FixtureInternet, ca: &std::path::Path) -> Vec<String> {
        let mut a = vec![
            "check".to_owned(),
            "--format".into(),
            "json".into(),
            "--allow-test-domains".into(),
            "--doh".into(),
            fx.doh_url.clone(),
            "--allow-http-doh".into(),
            "--ca-file".into(),
            ca.to_string_lossy().into_owned(),
            "--timeout".into(),
            "3".into(),
        ];
        for r in fx.resolve_args() {
            a.push("--resolve".into());
            a.push(r);
        }
        a
    }

    fn ca_file(fx: &FixtureInternet, tag: &str) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("mtasts-ca-{}-{tag}.pem", std::process::id()));
        std::fs::write(&p, &fx.ca_pem).expect("write CA");
        p
    }

    /// `check --smtp` with every MX host of the world sent to its fixture SMTP server.
    fn smtp_args(fx: &FixtureInternet, ca: &std::path::Path) -> Vec<String> {
        let mut a = args(fx, ca);
        a.push("--smtp".into());
        for r in fx.smtp_resolve_args() {
            a.push("--resolve".into());
            a.push(r);
        }
        a
    }

    #[test]
    fn every_scenario_gets_its_verdict() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "all");
        let mut a = args(&fx, &ca);
        a.extend(SCENARIOS.iter().map(|s| s.domain.to_owned()));
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = mtasts(&refs, None);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out);
        let results = v.as_array().expect("one result per domain");
        assert_eq!(results.len(), SCENARIOS.len());
        for (s, r) in SCENARIOS.iter().zip(results) {
            let report = &r["report"];
            assert_eq!(report["domain"], s.domain);
            let codes: Vec<&str> = report["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .filter_map(|f| f["code"].as_str())
                .collect();
            assert_eq!(report["verdict"], s.verdict, "{}: {codes:?}", s.domain);
            for want in s.codes {
                assert!(
                    codes.contains(want),
                    "{}: want {want} in {codes:?}",
                    s.domain
                );
            }
        }
        // The evidence records what the transport saw.
        let by = |d: &str| {
            results
                .iter()
                .find(|r| r["report"]["domain"] == d)
                .expect("result")
        };
        let big = &by("big.test")["evidence"]["policy_fetch"];
        assert_eq!(big["truncated"], true);
        assert_eq!(big["body"]["text"].as_str().map(str::len), Some(64 * 1024));
        let slow = &by("slow.test")["evidence"]["policy_fetch"]["error"];
        assert_eq!(slow["kind"], "timeout");
        // Checked with others, its time-out was retried once with fewer checks at once, and
        // the report says so.
        assert!(
            slow["message"]
                .as_str()
                .is_some_and(|m| m.contains("seen under bulk load") && m.contains("retried once")),
            "{slow}"
        );
        assert_eq!(
            by("redirect.test")["evidence"]["policy_fetch"]["location"],
            "https://www.redirect.test/.well-known/mta-sts.txt"
        );
        let wrong = &by("wrongname.test")["evidence"]["policy_fetch"];
        assert_eq!(wrong["error"]["kind"], "certificate-name");
        assert_eq!(
            wrong["certificate"]["subject_names"],
            serde_json::json!(["www.other.test"])
        );
        assert_eq!(
            by("expired.test")["evidence"]["policy_fetch"]["error"]["kind"],
            "certificate-expired"
        );
        let good = &by("good.test")["evidence"];
        assert_eq!(
            good["policy_fetch"]["certificate"]["issuer"],
            "CN=mtasts fixture test CA"
        );
        assert_eq!(good["tlsa"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            by("cname.test")["evidence"]["sts_txt"]["cname_chain"],
            serde_json::json!(["_mta-sts.provider.test"])
        );
        let _ = std::fs::remove_file(ca);
    }

    #[test]
    fn a_list_on_stdin_streams_json_lines() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "jsonl");
        let mut a = args(&fx, &ca);
        a[2] = "jsonl".into();
        a.extend([
            "--resolve".into(),
            format!("*:{}", fx.https_addr),
            "-".into(),
        ]);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let list: String = (0..300)
            .map(|i| format!("d{i}.bulk.test\n"))
            .collect::<String>()
            + "# a comment\n\nnot a domain!\ngood.test\n";
        let out = mtasts(&refs, Some(list.as_bytes()));
        assert_eq!(
            out.status.code(),
            Some(2),
            "bad input is an error: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
            .collect();
        assert_eq!(lines.len(), 302, "{}", String::from_utf8_lossy(&out.stderr));
        let mut inputs: Vec<&str> = lines.iter().filter_map(|l| l["input"].as_str()).collect();
        inputs.sort_unstable();
        inputs.dedup();
        assert_eq!(inputs.len(), 302, "every input once");
        for l in &lines {
            match l["input"].as_str() {
                Some("not a domain!") => assert_eq!(l["error"]["code"], "bad-input"),
                Some(d) => {
                    assert_eq!(l["report"]["verdict"], "pass", "{d}");
                    assert_eq!(l["evidence"]["domain"], d);
                }
                None => panic!("no input in {l}"),
            }
        }
        let _ = std::fs::remove_file(ca);
    }

    #[test]
    fn refused_input_makes_no_upstream_request() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "refuse");
        for bad in [
            "127.0.0.1",
            "0x7f000001",
            "[::1]",
            "localhost",
            "printer.local",
            "https://a@good.test/",
            "good.test:8443",
            "com",
        ] {
            let mut a = args(&fx, &ca);
            a.push(bad.to_owned());
            let refs: Vec<&str> = a.iter().map(String::as_str).collect();
            let out = mtasts(&refs, None);
            assert_eq!(out.status.code(), Some(2), "{bad}");
            assert_eq!(json(&out)["error"]["code"], "bad-input", "{bad}");
        }
        // Without --allow-test-domains, .test is refused too.
        let out = mtasts(
            &[
                "check",
                "--doh",
                &fx.doh_url,
                "--allow-http-doh",
                "good.test",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert_eq!((fx.dns_requests(), fx.https_requests()), (0, 0));
        let _ = std::fs::remove_file(ca);
    }

    #[test]
    fn pasted_forms_are_accepted() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "paste");
        for input in [
            "https://GOOD.test/some/path",
            "mailto:postmaster@good.test",
            " good.test. ",
        ] {
            let mut a = args(&fx, &ca);
            a.push(input.to_owned());
            let refs: Vec<&str> = a.iter().map(String::as_str).collect();
            let out = mtasts(&refs, None);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{input}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(json(&out)["report"]["domain"], "good.test");
        }
        let _ = std::fs::remove_file(ca);
    }

    fn run_json(a: &[String]) -> (Option<i32>, serde_json::Value, String) {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = mtasts(&refs, None);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), json(&out), stderr)
    }

    fn codes(report: &serde_json::Value) -> Vec<String> {
        report["findings"]
            .as_array()
            .map(|f| {
                f.iter()
                    .filter_map(|f| f["code"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Nothing observed never becomes a verdict about the domain: with the resolver unreachable,
    /// every lookup fails and the report says "could not check", not "does not resolve".
    #[test]
    fn a_dead_resolver_is_could_not_check() {
        let dead = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = dead.local_addr().expect("addr").port();
        drop(dead);
        let doh = format!("http://127.0.0.1:{port}/dns-query");
        let a: Vec<String> = [
            "check",
            "--format",
            "json",
            "--allow-test-domains",
            "--allow-http-doh",
            "--doh",
            &doh,
            "--timeout",
            "2",
            "good.test",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let (code, v, stderr) = run_json(&a);
        assert_eq!(code, Some(0), "{stderr}");
        let r = &v["report"];
        assert_eq!(r["verdict"], "inconclusive", "{:?}", codes(r));
        assert!(
            !codes(r).iter().any(|c| c == "policy-unreachable"),
            "{:?}",
            codes(r)
        );
        let text = r.to_string();
        assert!(!text.contains("does not resolve"), "{text}");
        assert_eq!(
            v["evidence"]["policy_fetch"]["error"]["kind"],
            "checker-side"
        );
    }

    /// Plain http to the resolver can be spoofed: only with the explicit test flag.
    #[test]
    fn an_http_resolver_needs_the_test_flag() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let out = mtasts(
            &[
                "check",
                "--allow-test-domains",
                "--doh",
                &fx.doh_url,
                "good.test",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-http-doh"));
        let out = mtasts(
            &[
                "check",
                "--allow-test-domains",
                "--doh",
                "ftp://r.test/x",
                "good.test",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(fx.dns_requests(), 0);
    }

    /// The policy host is resolved through DoH like every other name; an address that is not
    /// public is refused unless `--resolve` names it (`*` for every host), and every address
    /// given is tried before the host is called unreachable.
    #[test]
    fn policy_host_addresses_come_from_doh_and_private_ones_are_refused() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "private");
        let base: Vec<String> = [
            "check",
            "--format",
            "json",
            "--allow-test-domains",
            "--allow-http-doh",
            "--timeout",
            "3",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([
            "--doh".to_owned(),
            fx.doh_url.clone(),
            "--ca-file".into(),
            ca.to_string_lossy().into_owned(),
        ])
        .collect();
        // The fixture's DoH gives mta-sts.good.test 127.0.0.1: refused, could not check.
        let mut a = base.clone();
        a.push("good.test".into());
        let (_, v, _) = run_json(&a);
        assert_eq!(v["report"]["verdict"], "inconclusive");
        let err = v["evidence"]["policy_fetch"]["error"]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            err.contains("not public") && err.contains("127.0.0.1"),
            "{err}"
        );
        assert_eq!(fx.https_requests(), 0, "no connection to a private address");
        // `*` names every host.
        let mut a = base.clone();
        a.extend([
            "--resolve".into(),
            format!("*:{}", fx.https_addr),
            "good.test".into(),
        ]);
        let (code, v, stderr) = run_json(&a);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(v["report"]["verdict"], "pass", "{:?}", codes(&v["report"]));
        // Two addresses, the first closed: the second is tried.
        let mut a = base;
        a.extend([
            "--resolve".into(),
            format!("mta-sts.good.test:{}", fx.closed_addr),
            "--resolve".into(),
            format!("mta-sts.good.test:{}", fx.https_addr),
            "good.test".into(),
        ]);
        let (_, v, _) = run_json(&a);
        assert_eq!(v["report"]["verdict"], "pass", "{:?}", codes(&v["report"]));
        let _ = std::fs::remove_file(ca);
    }

    /// Many domains: the connection to the resolver is reused, results stream in input order,
    /// and `--concurrency` is clamped.
    #[test]
    fn the_resolver_connection_is_reused_and_concurrency_clamped() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "reuse");
        let mut a = args(&fx, &ca);
        a.extend(["--concurrency".into(), "1000000".into()]);
        let domains = [
            "good.test",
            "stale.test",
            "testing-no-tlsrpt.test",
            "dane.test",
            "cname.test",
        ];
        a.extend(domains.iter().map(|d| (*d).to_owned()));
        let (_, v, stderr) = run_json(&a);
        assert!(
            stderr.contains("--concurrency 1000000 is out of range"),
            "{stderr}"
        );
        let got: Vec<&str> = v
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|r| r["report"]["domain"].as_str())
            .collect();
        assert_eq!(got, domains);
        // One domain at a time: the first domain's parallel queries open a few connections, and
        // every later domain reuses them (without reuse: one connection per query).
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let mut a = args(&fx, &ca);
        a.extend(["--concurrency".into(), "1".into()]);
        a.extend(domains.iter().map(|d| (*d).to_owned()));
        let _ = run_json(&a);
        let (queries, conns) = (fx.dns_requests(), fx.dns_connections());
        assert!(queries >= 35, "{queries} queries");
        assert!(conns <= 10, "{conns} connections for {queries} queries");
        let _ = std::fs::remove_file(ca);
    }

    /// `--smtp` against the fixture's SMTP servers: every scenario gets its verdict with the MX
    /// hosts probed, DANE included (the fixture MX hosts carry the world's fixed key).
    #[test]
    fn smtp_probe_gives_every_scenario_its_verdict() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "smtp");
        let mut a = smtp_args(&fx, &ca);
        let scenarios: Vec<_> = SCENARIOS
            .iter()
            .filter(|s| s.domain != "dane.test")
            .collect();
        a.extend(scenarios.iter().map(|s| s.domain.to_owned()));
        let (_, v, stderr) = run_json(&a);
        let results = v.as_array().unwrap_or_else(|| panic!("{stderr}"));
        for (s, r) in scenarios.iter().zip(results) {
            let (verdict, want) = s.with_probe();
            let report = &r["report"];
            let got = codes(report);
            assert_eq!(report["verdict"], verdict, "{}: {got:?}", s.domain);
            for w in want {
                assert!(
                    got.iter().any(|c| c == w),
                    "{}: no {w} in {got:?}",
                    s.domain
                );
            }
        }
        let by = |d: &str| {
            &results
                .iter()
                .find(|r| r["report"]["domain"] == d)
                .expect("result")["report"]
        };
        // The report rows carry the facts (the JSON contract of issue 11).
        let good = &by("good.test")["mx_hosts"][0];
        assert_eq!(good["starttls"], true);
        assert_eq!(good["valid_for_host"], true);
        assert!(
            good["tls_version"]
                .as_str()
                .is_some_and(|v| v.starts_with("TLSv1.")),
            "{good}"
        );
        assert_eq!(good["certificate"]["subject_names"][0], "mx1.good.test");
        let wrong = &by("mxwrongname.test")["mx_hosts"][1];
        assert_eq!(wrong["valid_for_host"], false);
        assert_eq!(
            wrong["certificate"]["subject_names"][0],
            "smtp.provider.test"
        );
        assert_eq!(by("mxnotls.test")["mx_hosts"][1]["starttls"], false);
        assert_eq!(by("good.test")["readiness"]["items"][1]["status"], "ok");
        let _ = std::fs::remove_file(ca);
    }

    /// Hosts and addresses are probed at once: eight MX hosts take about one session, not eight.
    #[test]
    fn eight_mx_hosts_are_probed_at_once() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "eight");
        let mut a = smtp_args(&fx, &ca);
        a.push("eightmx.test".into());
        let t0 = std::time::Instant::now();
        let (code, v, stderr) = run_json(&a);
        let with_smtp = t0.elapsed();
        assert_eq!(code, Some(0), "{stderr}");
        let without: Vec<String> = a.iter().filter(|x| *x != "--smtp").cloned().collect();
        let t0 = std::time::Instant::now();
        let _ = run_json(&without);
        eprintln!(
            "eightmx.test: `check --smtp` {} ms, without --smtp {} ms",
            with_smtp.as_millis(),
            t0.elapsed().as_millis()
        );
        let sessions: Vec<u64> = v["evidence"]["smtp"]["hosts"]
            .as_array()
            .expect("hosts")
            .iter()
            .flat_map(|h| h["addresses"].as_array().cloned().unwrap_or_default())
            .filter_map(|a| a["elapsed_ms"].as_u64())
            .collect();
        assert_eq!(sessions.len(), 8);
        let (sum, slowest) = (
            sessions.iter().sum::<u64>(),
            sessions.iter().max().copied().unwrap_or(0),
        );
        eprintln!("eightmx.test: 8 SMTP sessions, slowest {slowest} ms, sum {sum} ms");
        assert_eq!(v["report"]["verdict"], "pass", "{:?}", codes(&v["report"]));
        let _ = std::fs::remove_file(ca);
    }

    /// Port 25 closed on every MX (as where outgoing SMTP is blocked): could not check, with that
    /// cause. An MX reachable over IPv6 only is probed over IPv6.
    #[test]
    fn blocked_port_25_is_could_not_check_and_ipv6_is_probed() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "blocked");
        let mut a = args(&fx, &ca);
        a.push("--smtp".into());
        for mx in ["mx1.good.test", "mx2.good.test"] {
            a.push("--resolve".into());
            a.push(format!("{mx}:{}", fx.closed_addr));
        }
        a.push("good.test".into());
        let (_, v, _) = run_json(&a);
        assert_eq!(
            v["report"]["verdict"],
            "inconclusive",
            "{:?}",
            codes(&v["report"])
        );
        let summary = v["report"]["summary"].as_str().unwrap_or_default();
        assert!(summary.contains("port 25"), "{summary}");
        // IPv6 only: a listener on [::1] takes the sessions of both MX hosts.
        let Ok(v6) = std::net::TcpListener::bind("[::1]:0") else {
            eprintln!("no IPv6 loopback here: the IPv6 half is skipped");
            return;
        };
        let port = v6.local_addr().expect("addr").port();
        drop(v6);
        let fx6 = FixtureInternet::start(Options::default()).expect("fixture internet");
        // Forward [::1]:port to the STARTTLS listener, so the session really runs over IPv6.
        let target = fx6.smtp_addrs[0];
        let listener = std::net::TcpListener::bind(("::1", port)).expect("bind v6");
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let Ok(up) = std::net::TcpStream::connect(target) else {
                    continue;
                };
                let (mut a1, mut b1) = (
                    conn.try_clone().expect("clone"),
                    up.try_clone().expect("clone"),
                );
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut a1, &mut b1);
                });
                let (mut a2, mut b2) = (up, conn);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut a2, &mut b2);
                });
            }
        });
        let ca6 = ca_file(&fx6, "v6");
        let mut a = args(&fx6, &ca6);
        a.push("--smtp".into());
        for mx in ["mx1.good.test", "mx2.good.test"] {
            a.push("--resolve".into());
            a.push(format!("{mx}:[::1]:{port}"));
        }
        a.push("good.test".into());
        let (_, v, stderr) = run_json(&a);
        assert_eq!(
            v["report"]["verdict"],
            "pass",
            "{stderr} {:?}",
            codes(&v["report"])
        );
        let addr = &v["evidence"]["smtp"]["hosts"][0]["addresses"][0]["address"];
        assert_eq!(addr, &serde_json::json!(format!("[::1]:{port}")));
        let _ = std::fs::remove_file(ca);
        let _ = std::fs::remove_file(ca6);
    }

    /// `watch`: the first run stores, an unchanged domain exits 0, a changed one exits 1 and
    /// says what changed, and a check that could not be completed exits 2 and keeps the stored
    /// observation byte for byte.
    #[test]
    fn watch_stores_compares_and_never_overwrites_with_a_failed_check() {
        let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
        let ca = ca_file(&fx, "watch");
        let dir = std::env::temp_dir().join(format!("mtasts-watch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut a = args(&fx, &ca);
        a[0] = "watch".into();
        a.extend(["--state".into(), dir.to_string_lossy().into_owned()]);
        let run = |domains: &[&str], stdin: Option<&[u8]>| {
            let mut all = a.clone();
            all.extend(domains.iter().map(|d| (*d).to_owned()));
            let refs: Vec<&str> = all.iter().map(String::as_str).collect();
            let out = mtasts(&refs, stdin);
            let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
                .collect();
            (
                out.status.code(),
                lines,
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        let (code, lines, err) = run(&["good.test", "goodmx.test"], None);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(lines[0]["stored"], true);
        assert!(lines[0]["previous"].is_null());
        assert!(dir.join("good.test.json").exists() && dir.join("goodmx.test.json").exists());
        // Unchanged: exit 0, no changes. Domains can come from standard input.
        let (code, lines, err) = run(&["-"], Some(b"# my domains\ngood.test\n\n"));
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["changes"], serde_json::json!([]));
        assert_eq!(lines[0]["verdict"], "pass");
        // The stored observation is older: the id was 20251201000000 then (goodbump.test's state).
        let older = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/evidence/goodbump.test.json"
        ))
        .expect("fixture")
        .replace("goodbump.test", "good.test");
        std::fs::write(dir.join("good.test.json"), older).expect("write");
        let (code, lines, err) = run(&["good.test"], None);
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(lines[0]["changes"][0]["code"], "change-id-only");
        assert_eq!(lines[0]["stored"], true);
        // A check that could not be completed: exit 2, the stored state kept as it was.
        let kept = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/evidence/good.test.json"
        ))
        .expect("fixture")
        .replace("good.test", "servfail.test");
        std::fs::write(dir.join("servfail.test.json"), &kept).expect("write");
        let (code, lines, err) = run(&["servfail.test"], None);
        assert_eq!(code, Some(2), "{err}");
        assert_eq!(lines[0]["stored"], false);
        assert!(lines[0]["error"].as_str().is_some_and(|e| !e.is_empty()));
        assert_eq!(
            std::fs::read_to_string(dir.join("servfail.test.json")).expect("kept"),
            kept
        );
        // Text output for people.
        let mut t = a.clone();
        t.retain(|x| x != "--format" && x != "json");
        t.push("good.test".into());
        let refs: Vec<&str> = t.iter().map(String::as_str).collect();
        let out = mtasts(&refs, None);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("good.test: no change since "));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `mtasts reports`: the sample reports (RFC 8460's example and one per deviation real senders
/// make) as text, JSON (the README's contract) and CSV; a directory read recursively.
mod reports {
    use super::mtasts;

    const DIR: &str = "tests/fixtures/tlsrpt";

    #[test]
    fn text_summary_of_every_sample() {
        let out = mtasts(&["reports", DIR], None);
        assert_eq!(
            out.status.code(),
            Some(1),
            "the bomb and the note are unreadable"
        );
        insta::assert_snapshot!("reports-text", String::from_utf8_lossy(&out.stdout));
    }

    #[test]
    fn the_json_contract() {
        let out = mtasts(&["reports", "--format", "json", DIR], None);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let reports = v["reports"].as_array().expect("reports");
        assert_eq!(
            reports.len(),
            12,
            "one per distinct report; the mbox's copy and the .gz count once"
        );
        let rfc = reports
            .iter()
            .find(|r| r["organization"] == "Company-X")
            .expect("rfc");
        assert_eq!(rfc["file"], "tests/fixtures/tlsrpt/rfc8460-example.json");
        assert_eq!(rfc["report_id"], "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        assert_eq!(rfc["date_begin"], "2016-04-01T00:00:00Z");
        assert_eq!(rfc["date_end"], "2016-04-01T23:59:59Z");
        let p = &rfc["policies"][0];
        assert_eq!(p["policy_type"], "sts");
        assert_eq!(p["policy_domain"], "company-y.example");
        assert_eq!(
            (p["successful"].as_u64(), p["failed"].as_u64()),
            (Some(5326), Some(303))
        );
        assert_eq!(p["failures"]["starttls-not-supported"], 200);
        assert!(rfc["notes"].is_array());
        let counts = reports
            .iter()
            .find(|r| r["organization"] == "Mail Sender G")
            .expect("G");
        assert!(
            counts["policies"][0]["failed"].is_null(),
            "unreadable, not zero"
        );
        assert_eq!(
            v["totals"]["successful"],
            5326 + 840 + 410 + 95 + 50 + 300 + 120 + 77 + 1000 + 64 + 500 + 250
        );
        assert_eq!(v["totals"]["failures"]["certificate-host-mismatch"], 31);
        assert_eq!(v["unread"].as_array().map(Vec::len), Some(2));
        assert!(v["summary"]["headline"]
            .as_str()
            .is_some_and(|h| h.starts_with("Fix before enforcing")));
        // Every message of the mbox is a report entry of its own.
        let from_mbox = reports
            .iter()
            .filter(|r| {
                r["file"]
                    .as_str()
                    .is_some_and(|f| f.contains("reports.mbox (message"))
            })
            .count();
        assert_eq!(from_mbox, 2);
    }

    #[test]
    fn csv_and_single_files_and_stdin() {
        let out = mtasts(
            &[
                "reports",
                "--format",
                "csv",
                "tests/fixtures/tlsrpt/rfc8460-example.json.gz",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(0));
        let csv = String::from_utf8_lossy(&out.stdout);
        assert_eq!(csv.lines().count(), 1 + 1 + 3, "{csv}");
        assert!(
            csv.contains("failure,tests/fixtures/tlsrpt/rfc8460-example.json.gz,Company-X,"),
            "{csv}"
        );
        let eml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/tlsrpt/report.eml"
        ))
        .expect("eml");
        let out = mtasts(&["reports", "--format", "json", "-"], Some(&eml));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["reports"][0]["organization"], "Mail Sender H");
        let out = mtasts(&["lint", "policy", "--format", "csv", "-"], Some(b""));
        assert_eq!(out.status.code(), Some(2), "csv is for reports only");
        let out = mtasts(&["reports", "no/such/dir"], None);
        assert_eq!(out.status.code(), Some(2));
    }

    #[test]
    fn hostile_report_text_stays_inert() {
        let dir = std::env::temp_dir().join(format!("mtasts-reports-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).expect("dir");
        let evil = r#"{"organization-name":"Evil\u001b]0;owned\u0007 \u202e","report-id":"1","date-range":{"start-datetime":"2026-11-01T00:00:00Z","end-datetime":"2026-11-01T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"ex\u001b[2Jample.net"},"summary":{"total-successful-session-count":1,"total-failure-session-count":1},"failure-details":[{"result-type":"x\u001b[31m","receiving-mx-hostname":"mx\u2028.example.net","failed-session-count":1}]}]}"#;
        std::fs::write(dir.join("sub/evil.json"), evil).expect("write");
        let out = mtasts(&["reports", dir.to_str().expect("utf-8")], None);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("sub/evil.json"), "read recursively: {text}");
        for raw in ['\u{1b}', '\u{7}', '\u{202e}', '\u{2028}'] {
            assert!(!text.contains(raw), "{raw:?} raw in {text}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// `mtasts diff OLD NEW`: two observations of one domain (a later state of good.test is another
/// scenario of the world, renamed).
mod diff {
    use super::mtasts;

    fn later(scenario: &str) -> std::path::PathBuf {
        let text = std::fs::read_to_string(format!(
            "{}/../../tests/fixtures/evidence/{scenario}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("fixture")
        .replace(scenario, "good.test");
        let p = std::env::temp_dir().join(format!(
            "mtasts-diff-{}-{scenario}.json",
            std::process::id()
        ));
        std::fs::write(&p, text).expect("write");
        p
    }

    #[test]
    fn changes_as_text_and_json_and_the_exit_status() {
        let good = "tests/fixtures/evidence/good.test.json";
        let out = mtasts(&["diff", good, good], None);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout)
            .starts_with("good.test: no change since 2025-11-22 08:26 UTC (verdict pass)"));

        let edit = later("goodedit.test");
        let out = mtasts(&["diff", good, edit.to_str().expect("path")], None);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout).replace(&*edit.to_string_lossy(), "LATER");
        insta::assert_snapshot!("diff-policy-id-unchanged", text);

        let mx = later("goodmx.test");
        let out = mtasts(
            &["diff", "--format", "json", good, mx.to_str().expect("path")],
            None,
        );
        assert_eq!(out.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(v["verdict_before"], "pass");
        assert_eq!(v["verdict_after"], "fail");
        assert_eq!(v["findings"][0]["code"], "change-mx-added");
        assert_eq!(v["findings"][0]["severity"], "error");

        // {evidence, report} files are read too; two domains are refused.
        let out = mtasts(
            &["diff", good, "tests/fixtures/evidence/stale.test.json"],
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("compare two observations of one domain")
        );
        for p in [edit, mx] {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// `mtasts plan`: the safe steps of a change, from a saved Evidence file (dates count from it).
mod plan {
    use super::mtasts;

    #[test]
    fn plans_for_moving_mx_enforcing_and_retiring() {
        let good = "tests/fixtures/evidence/good.test.json";
        let out = mtasts(
            &[
                "plan",
                "--evidence",
                good,
                "--move-to",
                "mx1.newmail.test",
                "mx2.newmail.test",
            ],
            None,
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        insta::assert_snapshot!("plan-move-mx", String::from_utf8_lossy(&out.stdout));
        let testing = "tests/fixtures/evidence/testing-no-tlsrpt.test.json";
        let out = mtasts(
            &[
                "plan",
                "--evidence",
                testing,
                "--enforce",
                "--format",
                "json",
            ],
            None,
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(
            v["steps"][1]["title"],
            "Publish the policy in enforce mode, max_age 7 days for a start"
        );
        assert_eq!(v["steps"][2]["txt"], "v=STSv1; id=20251122082640");
        assert_eq!(v["steps"][4]["not_before"], "2025-11-29T08:26:40Z");
        let out = mtasts(&["plan", "--evidence", good, "--retire"], None);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("1. Publish the policy in mode none, max_age 1 day"),
            "{text}"
        );
        assert!(text.contains("4. Remove the _mta-sts TXT record, then the policy file and its host (not before 2025-12-06 08:26 UTC)"), "{text}");
        let out = mtasts(&["plan", "--evidence", good, "--enforce"], None);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("enforce mode already"));
        let out = mtasts(
            &[
                "plan",
                "--evidence",
                "tests/fixtures/evidence/notfound.test.json",
                "--retire",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no MTA-STS policy"));
        let out = mtasts(&["plan", "--evidence", good], None);
        assert_eq!(out.status.code(), Some(2), "a goal is needed");
    }
}

const SENDER_IDS: [&str; 11] = [
    "postfix-mta-sts-resolver",
    "postfix-tlspol",
    "mox",
    "maddy",
    "chasquid",
    "stalwart",
    "kumomta",
    "zonemta",
    "mailauth",
    "mailauth-strict",
    "halon",
];

fn senders_of(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    let all: Vec<&serde_json::Value> = v["senders"].as_array().expect("senders").iter().collect();
    let ids: Vec<&str> = all
        .iter()
        .map(|s| s["sender"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, SENDER_IDS);
    all
}

fn sender<'a>(all: &[&'a serde_json::Value], id: &str) -> &'a serde_json::Value {
    all.iter().find(|s| s["sender"] == id).expect("sender")
}

#[test]
fn lint_policy_senders_json_contract() {
    // Without the flag, no `senders` key: the contract of plain `lint policy` is unchanged.
    let out = mtasts(
        &["lint", "policy", "--format", "json"],
        Some(GOOD.as_bytes()),
    );
    assert!(json(&out).get("senders").is_none());

    let dup = b"version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n";
    let out = mtasts(
        &["lint", "policy", "--senders", "--format", "json"],
        Some(dup),
    );
    let v = json(&out);
    let all = senders_of(&v);
    for s in &all {
        assert!(s["version"].as_str().is_some_and(|x| !x.is_empty()));
        match s["outcome"].as_str() {
            Some("policy") => {
                assert!(s["policy"]["mode"].is_string() && s["policy"]["max_age"].is_u64());
                assert!(s["policy"]["mx"].is_array() && s["reason"].is_null());
            }
            Some("no-policy") => assert!(s["policy"].is_null() && s["reason"].is_string()),
            other => panic!("outcome {other:?}"),
        }
    }
    // The RFC: the first `mode` wins. postfix-mta-sts-resolver keeps the last; mox the first.
    let pmsr = sender(&all, "postfix-mta-sts-resolver");
    assert_eq!(pmsr["policy"]["mode"], "enforce");
    assert_eq!(sender(&all, "mox")["policy"]["mode"], "testing");

    // Served as a 404: the RFC and most senders see no policy; Stalwart parses the body anyway.
    let out = mtasts(
        &[
            "lint",
            "policy",
            "--senders",
            "--status",
            "404",
            "--format",
            "json",
        ],
        Some(GOOD.as_bytes()),
    );
    let v = json(&out);
    let all = senders_of(&v);
    assert_eq!(sender(&all, "mox")["outcome"], "no-policy");
    assert_eq!(sender(&all, "stalwart")["outcome"], "policy");

    // A non-ASCII byte without charset=utf-8: postfix-mta-sts-resolver fails; with it, it reads.
    let accented = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\nx-note: café\r\n";
    for (ct, want) in [
        ("text/plain", "no-policy"),
        ("text/plain; charset=utf-8", "policy"),
    ] {
        let out = mtasts(
            &[
                "lint",
                "policy",
                "--senders",
                "--content-type",
                ct,
                "--format",
                "json",
            ],
            Some(accented.as_bytes()),
        );
        let v = json(&out);
        assert_eq!(
            sender(&senders_of(&v), "postfix-mta-sts-resolver")["outcome"],
            want,
            "{ct}"
        );
    }
    // --status without --senders is a usage error.
    assert_eq!(
        mtasts(
            &["lint", "policy", "--status", "404"],
            Some(GOOD.as_bytes())
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn lint_sts_txt_and_match_senders_json_contract() {
    let out = mtasts(
        &[
            "lint",
            "sts-txt",
            "--senders",
            "--format",
            "json",
            "v=STSv1; id=20250101",
            "google-site-verification=abc",
        ],
        None,
    );
    let v = json(&out);
    let all = senders_of(&v);
    for s in &all {
        assert!(s.get("id").is_some() && s.get("reason").is_some() && s["version"].is_string());
    }
    // An unrelated TXT record beside the right one: the RFC discards it; maddy sees no policy.
    assert_eq!(sender(&all, "mox")["id"], "20250101");
    assert_eq!(sender(&all, "maddy")["outcome"], "no-policy");
    assert!(sender(&all, "maddy")["id"].is_null());

    let out = mtasts(
        &[
            "match",
            "--senders",
            "--format",
            "json",
            "*.example.com",
            "a.b.example.com",
        ],
        None,
    );
    let v = json(&out);
    assert_eq!(v["matches"], false);
    let all = senders_of(&v);
    assert!(all.iter().all(|s| s["matches"].is_boolean()));
    // Postfix matches `.example.com` at any depth.
    assert_eq!(sender(&all, "postfix-mta-sts-resolver")["matches"], true);
    assert_eq!(sender(&all, "mox")["matches"], false);
    let out = mtasts(
        &[
            "match",
            "--senders",
            "--format",
            "json",
            "mail.example.com.",
            "mail.example.com",
        ],
        None,
    );
    let all_v = json(&out);
    let all = senders_of(&all_v);
    assert_eq!(sender(&all, "stalwart")["matches"], false);
}

#[test]
fn senders_adapter_answers_the_protocol() {
    let req = concat!(
        r#"{"vector":"a","kind":"sts-txt","records":["v=STSv1; id=x1"]}"#,
        "\n",
        r#"{"vector":"b","kind":"match","pattern":"*.example.com","host":"mail.example.com"}"#,
        "\n",
        r#"{"vector":"c","kind":"nonsense"}"#,
        "\n",
    );
    let out = mtasts(&["senders", "adapter", "rfc"], Some(req.as_bytes()));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines[0]["vector"], "a");
    assert_eq!(
        (lines[0]["outcome"].as_str(), lines[0]["id"].as_str()),
        (Some("policy"), Some("x1"))
    );
    assert_eq!(lines[1]["matches"], true);
    assert!(lines[2]["error"].is_string());
    assert_eq!(
        mtasts(&["senders", "adapter", "nosuch"], Some(b""))
            .status
            .code(),
        Some(2)
    );
}
