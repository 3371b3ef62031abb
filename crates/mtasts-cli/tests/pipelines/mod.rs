//! The pipeline formats (issue 23): `lint PATH...`, SARIF, GitHub workflow commands, JUnit and
//! `--fail-on`. Every SARIF and JUnit document written here is also saved under
//! `$MTASTS_PIPELINE_OUT` (default: a temporary directory), where `scripts/pipelines-test.sh`
//! validates each SARIF log with Microsoft's SARIF Multitool and parses each JUnit file.

use std::path::{Path, PathBuf};

use super::{json, mtasts};

/// Where the documents are saved for the script's validation.
fn saved(name: &str, bytes: &[u8]) {
    let dir = std::env::var_os("MTASTS_PIPELINE_OUT").map_or_else(
        || std::env::temp_dir().join("mtasts-pipelines"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).expect("output dir");
    std::fs::write(dir.join(name), bytes).expect("save");
}

/// A fresh directory for one test.
fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mtasts-pipe-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("dir");
    d
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> String {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("dirs");
    std::fs::write(&p, bytes).expect("write");
    p.to_string_lossy().into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn sarif(args: &[&str], name: &str) -> (Option<i32>, serde_json::Value) {
    let mut a = vec!["--format", "sarif"];
    a.extend_from_slice(args);
    let out = mtasts(&a, None);
    saved(&format!("{name}.sarif"), &out.stdout);
    (out.status.code(), json(&out))
}

const BROKEN: &[u8] =
    b"\xEF\xBB\xBFversion: STSv1\nmode: Enforce\n\n  mx: a.example\nmax_age : 86400\n";

#[test]
fn lint_finds_policy_files_in_directories() {
    let d = scratch("find");
    write(&d, "site/.well-known/mta-sts.txt", super::GOOD.as_bytes());
    write(&d, "domains/example.org.mta-sts.txt", BROKEN);
    write(&d, "domains/notes.txt", b"not a policy");
    write(&d, ".git/mta-sts.txt", b"ignored: hidden directory");
    let out = mtasts(&["lint", "--format", "json", s(&d)], None);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let files: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files[0].ends_with("domains/example.org.mta-sts.txt"));
    assert!(files[1].ends_with("site/.well-known/mta-sts.txt"));
    assert_eq!(v["valid"], false);
    assert_eq!(v["files"][1]["valid"], true);
    // An explicit file is linted whatever its name; a directory without a policy is an error.
    let notes = d.join("domains/notes.txt");
    let out = mtasts(&["lint", s(&notes)], None);
    assert_eq!(out.status.code(), Some(1));
    let empty = scratch("find-empty");
    let out = mtasts(&["lint", s(&empty)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no policy or zone file"));
    let out = mtasts(&["lint", s(&d.join("missing"))], None);
    assert_eq!(out.status.code(), Some(2));
    // The subcommands still work beside paths.
    let out = mtasts(&["lint", "sts-txt", "v=STSv1; id=1", "--senders"], None);
    assert_eq!(out.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_dir_all(&empty);
}

#[test]
fn sarif_has_rules_locations_fixes_and_fingerprints() {
    let d = scratch("sarif");
    let f = write(&d, "mta-sts.txt", BROKEN);
    let (code, v) = sarif(
        &["lint", "--site", "https://checker.example/", &f],
        "lint-broken",
    );
    assert_eq!(code, Some(1));
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), mtasts::codes::all().count(), "a rule per code");
    let results = run["results"].as_array().expect("results");
    let by = |code: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == code)
            .unwrap_or_else(|| panic!("no {code}"))
    };
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().expect("index") as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(r["partialFingerprints"]["mtasts/v1"].is_string());
    }
    let mode = by("policy-mode-invalid");
    let rule = &rules[mode["ruleIndex"].as_u64().expect("index") as usize];
    assert_eq!(
        rule["helpUri"],
        "https://checker.example/codes/policy-mode-invalid"
    );
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert!(rule["help"]["markdown"]
        .as_str()
        .is_some_and(|m| m.contains("## Why it matters")));
    let loc = &mode["locations"][0]["physicalLocation"];
    // An absolute path is a file: URI; a relative one is relative to the repository.
    assert!(loc["artifactLocation"]["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("file:///")));
    let (_, rel) = sarif(
        &["lint", "tests/fixtures/policies/many-mistakes.txt"],
        "lint-many-mistakes",
    );
    let art = &rel["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(art["uri"], "tests/fixtures/policies/many-mistakes.txt");
    assert_eq!(art["uriBaseId"], "%SRCROOT%");
    let region = &loc["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(7))
    );
    assert_eq!(region["endColumn"], 14);
    assert_eq!(region["snippet"]["text"], "Enforce");
    assert_eq!(loc["contextRegion"]["snippet"]["text"], "mode: Enforce");
    let offset = region["byteOffset"].as_u64().expect("offset") as usize;
    assert_eq!(&BROKEN[offset..offset + 7], b"Enforce");
    // Safe fix-its as SARIF fixes: byte-order mark, blank line, indent, space before `:`, LF.
    let deleted = |code: &str| {
        let rep = &by(code)["fixes"][0]["artifactChanges"][0]["replacements"][0];
        let r = &rep["deletedRegion"];
        let (o, n) = (
            r["byteOffset"].as_u64().expect("offset") as usize,
            r["byteLength"].as_u64().expect("length") as usize,
        );
        BROKEN[o..o + n].to_vec()
    };
    assert_eq!(deleted("policy-bom"), b"\xEF\xBB\xBF");
    assert_eq!(deleted("policy-blank-line"), b"\n");
    assert_eq!(deleted("policy-indented"), b"  ");
    assert_eq!(deleted("policy-space-before-colon"), b" ");
    let lf = &by("policy-lf-line-endings")["fixes"][0]["artifactChanges"][0]["replacements"];
    assert_eq!(lf.as_array().map(Vec::len), Some(5), "a CR before each LF");
    assert!(
        by("policy-mode-invalid").get("fixes").is_none(),
        "not mechanical: no fix"
    );
    // Record sets and live domains have logical locations.
    let (_, v) = sarif(
        &["lint", "sts-txt", "v=STSv1; id=1", "v=STSv1;id=2"],
        "sts-txt",
    );
    let l = &v["runs"][0]["results"][0]["locations"][0]["logicalLocations"][0];
    assert!(l["fullyQualifiedName"]
        .as_str()
        .is_some_and(|n| n.starts_with("_mta-sts TXT")));
    let (code, v) = sarif(
        &["assess", "tests/fixtures/evidence/stale.test.json"],
        "assess-stale",
    );
    assert_eq!(code, Some(1));
    let names: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["logicalLocations"][0]["name"].as_str())
        .collect();
    assert!(names.contains(&"stale.test MX"), "{names:?}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn fingerprints_stay_when_lines_move() {
    let d = scratch("fp");
    let before =
        b"version: STSv1\nmode: Enforce\nmx: a.example\nmx: a.example\nmax_age: 31557601\n";
    let after = b"version: STSv1\nmx: first.example\nmx: second.example\nmode: Enforce\nmx: a.example\nmx: a.example\nmax_age: 31557601\n";
    let fa = write(&d, "a/mta-sts.txt", before);
    let fb = write(&d, "b/mta-sts.txt", after);
    let prints = |f: &str, name: &str| {
        // The same path in both runs: run from the file's directory.
        let (_, v) = sarif(&["lint", f], name);
        v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap_or("").to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64(),
                    r["partialFingerprints"]["mtasts/v1"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    // Same relative name in both runs, so the file is the same artifact.
    std::fs::copy(&fa, d.join("mta-sts.txt")).expect("copy");
    let path = d.join("mta-sts.txt");
    let a = prints(s(&path), "fp-before");
    std::fs::copy(&fb, &path).expect("copy");
    let b = prints(s(&path), "fp-after");
    let _ = fa;
    for (code, line, fp) in &a {
        let moved = b
            .iter()
            .find(|(_, _, f)| f == fp)
            .unwrap_or_else(|| panic!("{code} at line {line:?} lost its fingerprint"));
        assert_eq!(&moved.0, code);
        if line.is_some_and(|l| l > 1) {
            assert_eq!(moved.1, line.map(|l| l + 2), "{code} moved down two lines");
        }
    }
    let unique: std::collections::BTreeSet<_> = b.iter().map(|(_, _, f)| f).collect();
    assert_eq!(
        unique.len(),
        b.len(),
        "repeated lines get distinct fingerprints"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn github_commands_keep_hostile_text_inert() {
    let d = scratch("gh");
    // A file name and a policy that try to end the command and start another one.
    let name = "evil\n::error file=x::injected%0A,.mta-sts.txt";
    let f = write(
        &d,
        name,
        b"version: STSv1\nmode: enforce\n::error::x\nmx: a.example%0A::warning::y\rmax_age: 86400\n\x1b[31mred: 1\n",
    );
    let out = mtasts(&["lint", "--format", "github", &f], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let n = json(&mtasts(&["lint", "--format", "json", &f], None))["files"][0]["findings"]
        .as_array()
        .map_or(0, Vec::len);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n, "one command a finding:\n{text}");
    for l in &lines {
        let (head, rest) = l.split_once("::").map_or(("", *l), |(a, b)| (a, b));
        assert!(head.is_empty(), "{l}");
        assert!(
            rest.starts_with("error ")
                || rest.starts_with("warning ")
                || rest.starts_with("notice "),
            "{l}"
        );
        // The properties hold no `::`: the first one after the level starts the message.
        let props = rest.split_once("::").map(|(p, _)| p).expect("message");
        assert!(!props.contains(':'), "{l}");
        assert!(!l.contains('\r') && !l.contains('\u{1b}'), "{l:?}");
        assert!(
            l.contains("file=")
                && l.contains("evil\\n%3A%3Aerror file=x%3A%3Ainjected%250A%2C.mta-sts.txt"),
            "{l}"
        );
    }
    assert!(
        text.contains("%250A"),
        "a literal %0A stays literal:\n{text}"
    );
    // TXT records given on the command line, with a line break in one.
    let out = mtasts(
        &[
            "lint",
            "sts-txt",
            "--format",
            "github",
            "v=STSv1; id=1\n::error::x",
        ],
        None,
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.is_empty());
    for l in text.lines() {
        assert!(
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice "),
            "{l}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn junit_has_a_case_per_file_and_check() {
    let d = scratch("junit");
    write(&d, "a.mta-sts.txt", BROKEN);
    write(&d, "b.mta-sts.txt", super::GOOD.as_bytes());
    write(
        &d,
        "c.mta-sts.txt",
        b"version: STSv1\nmode: enforce\nmx: <&\"\x01>\nmax_age: 86400\n",
    );
    let out = mtasts(&["lint", "--format", "junit", s(&d)], None);
    assert_eq!(out.status.code(), Some(1));
    saved("lint.junit.xml", &out.stdout);
    let x = String::from_utf8(out.stdout).expect("utf-8");
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mtasts lint\" tests=\"3\" failures=\"2\""), "{x}");
    assert_eq!(x.matches("<testcase ").count(), 3);
    assert!(!x.contains('\u{1}'), "no control character in XML");
    let out = mtasts(
        &[
            "assess",
            "--format",
            "junit",
            "tests/fixtures/evidence/stale.test.json",
        ],
        None,
    );
    saved("assess-stale.junit.xml", &out.stdout);
    let x = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        x.matches("<testcase ").count(),
        7,
        "one case per check of a domain:\n{x}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn fail_on_sets_the_exit_status() {
    // Mixed line endings: a warning, no error.
    let warn = b"version: STSv1\r\nmode: enforce\nmx: a.example\r\nmax_age: 86400\r\n";
    let run = |extra: &[&str], input: &[u8]| {
        let mut a = vec!["lint", "policy"];
        a.extend_from_slice(extra);
        mtasts(&a, Some(input)).status.code()
    };
    assert_eq!(run(&[], warn), Some(0), "warnings pass by default");
    assert_eq!(run(&["--fail-on", "error"], warn), Some(0));
    assert_eq!(run(&["--fail-on", "warning"], warn), Some(1));
    assert_eq!(run(&["--fail-on", "never"], BROKEN), Some(0));
    assert_eq!(
        run(&["--fail-on", "warning", "--format", "sarif"], warn),
        Some(1)
    );
    assert_eq!(
        run(&["--fail-on", "never", "--format", "github"], BROKEN),
        Some(0)
    );
    let stale = "tests/fixtures/evidence/stale.test.json";
    assert_eq!(
        mtasts(&["assess", stale, "--fail-on", "never"], None)
            .status
            .code(),
        Some(0)
    );
    // Usage errors stay 2, and the options are refused where they mean nothing.
    assert_eq!(
        mtasts(&["lint", "policy", "--fail-on", "sometimes"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        mtasts(&["match", "a", "b", "--fail-on", "never"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        mtasts(&["explain", "all", "--format", "sarif"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        mtasts(
            &["lint", "policy", "--senders", "--format", "sarif"],
            Some(warn)
        )
        .status
        .code(),
        Some(2)
    );
}

/// `check` over the fixture internet in the pipeline formats: a domain's findings have logical
/// locations naming the domain and record, and a repository path for code scanning.
#[test]
fn check_writes_domains_in_pipeline_formats() {
    use mtasts_fixtures::{FixtureInternet, Options};
    let fx = FixtureInternet::start(Options::default()).expect("fixture internet");
    let ca = std::env::temp_dir().join(format!("mtasts-pipe-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, &fx.ca_pem).expect("CA");
    let mut a: Vec<String> = [
        "check",
        "--allow-test-domains",
        "--allow-http-doh",
        "--timeout",
        "3",
        "--doh",
    ]
    .map(str::to_owned)
    .to_vec();
    a.push(fx.doh_url.clone());
    a.push("--ca-file".into());
    a.push(s(&ca).to_owned());
    for r in fx.resolve_args() {
        a.push("--resolve".into());
        a.push(r);
    }
    a.extend(["good.test", "stale.test", "lf.test", "hostile.test"].map(str::to_owned));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, v) = sarif(&refs, "check-domains");
    assert_eq!(code, Some(1), "stale.test fails");
    let results = v["runs"][0]["results"].as_array().expect("results");
    let logical = |r: &serde_json::Value| {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    assert!(results
        .iter()
        .any(|r| logical(r).starts_with("stale.test/")));
    let lf = results
        .iter()
        .find(|r| r["ruleId"] == "policy-lf-line-endings")
        .expect("lf.test's policy finding");
    assert_eq!(
        lf["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "lf.test/mta-sts.txt"
    );
    assert_eq!(
        logical(lf),
        "lf.test/https://mta-sts.lf.test/.well-known/mta-sts.txt"
    );
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("a repository path");
        assert!(!uri.contains(':'), "no URI scheme: {uri}");
    }
    let mut never = refs.clone();
    never.extend(["--fail-on", "never", "--format", "github"]);
    let out = mtasts(&never, None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");
    assert!(text.contains("_mta-sts.stale.test TXT") || text.contains("stale.test"));
    let mut junit = refs.clone();
    junit.extend(["--format", "junit"]);
    let out = mtasts(&junit, None);
    saved("check-domains.junit.xml", &out.stdout);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .matches("<testcase ")
            .count(),
        4 * 7
    );
    let _ = std::fs::remove_file(ca);
}

/// Zone files: their `_mta-sts` and `_smtp._tls` TXT records are linted as record sets, and
/// findings point at the zone line of the record.
#[test]
fn zone_files_are_read_for_their_txt_records() {
    let d = scratch("zone");
    write(
        &d,
        "zones/example.com.zone",
        b"$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster ( 1 7200 3600\n    1209600 3600 )\nwww IN A 192.0.2.1\n_mta-sts IN TXT \"v=STSv1; \" \"id=2024\"\n         IN TXT \"v=STSv1; id=2\" ; a second record\n_smtp._tls 300 IN TXT \"v=TLSRPTv1; rua=tls@example.com\"\n",
    );
    write(
        &d,
        "zones/clean.zone",
        b"$ORIGIN example.net.\n_mta-sts TXT \"v=STSv1; id=1\"\n",
    );
    let zone = d.join("zones/example.com.zone");
    let out = mtasts(&["lint", "--format", "github", s(&zone)], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("line=6,title=sts-txt-several")
            && text.contains("line=7,title=sts-txt-several"),
        "{text}"
    );
    assert!(text.contains("line=8,title=tlsrpt-rua-invalid"), "{text}");
    let (code, v) = sarif(&["lint", s(&d)], "lint-zones");
    assert_eq!(code, Some(1));
    let r = &v["runs"][0]["results"][0];
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        6
    );
    assert!(r["locations"][0]["logicalLocations"][0]["name"]
        .as_str()
        .is_some_and(|n| n.starts_with("_mta-sts.example.com TXT record")));
    let v = json(&mtasts(&["lint", "--format", "json", s(&d)], None));
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 3, "clean.zone: one set; example.com.zone: two");
    assert_eq!(files[0]["owner"], "_mta-sts.example.net");
    assert_eq!(files[0]["valid"], true);
    let _ = std::fs::remove_dir_all(&d);
}
