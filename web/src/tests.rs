//! Component tests and what needs the browser, run in headless Chromium by `wasm-bindgen-test`
//! (`cargo test -p mtasts-web --target wasm32-unknown-unknown`; scripts/test.sh sets CHROMEDRIVER).

use leptos::prelude::*;
use mtasts::{ByteRange, Evidence, Finding, Severity};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::components::{FindingList, NumberedText, ReportView, VerdictBanner};
use crate::state::{AppState, Checked};
use crate::text::Mark;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("document")
}

/// Mounts `f` in a fresh container and returns the container (the handle keeps it mounted).
fn mount<F, N>(f: F) -> (web_sys::HtmlElement, impl Drop)
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let el: web_sys::HtmlElement = document()
        .create_element("div")
        .and_then(|e| e.dyn_into().map_err(Into::into))
        .expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    let handle = leptos::mount::mount_to(el.clone(), f);
    (el, handle)
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("timeout");
    });
    wasm_bindgen_futures::JsFuture::from(p)
        .await
        .expect("sleep");
}

fn mark(start: usize, end: usize, severity: Severity) -> Mark {
    Mark {
        range: ByteRange { start, end },
        severity,
    }
}

fn evidence(json: &str) -> Evidence {
    let v = js_sys::JSON::parse(json).expect("json");
    serde_wasm_bindgen::from_value(v).expect("evidence")
}

// ---- the browser's IDN converter and the code docs ------------------------------------------

#[wasm_bindgen_test]
fn idns_are_converted_by_the_browser() {
    crate::init();
    let n = |s: &str| crate::api::normalize(s).map_err(|e| e.to_string());
    assert_eq!(n("bücher.de"), Ok("xn--bcher-kva.de".to_owned()));
    assert_eq!(
        n("https://BÜCHER.de/path"),
        Ok("xn--bcher-kva.de".to_owned())
    );
    assert_eq!(
        n("postmaster@straße.example.com"),
        Ok("xn--strae-oqa.example.com".to_owned())
    );
    assert_eq!(n("例え.テスト"), Ok("xn--r8jz45g.xn--zckzah".to_owned()));
    // Full-width dots and letters are mapped as URLs map them.
    assert_eq!(n("ｅｘａｍｐｌｅ。com"), Ok("example.com".to_owned()));
    for bad in [
        "bü cher.de",
        "bü/cher.de",
        "xn--bcher-kva-.de",
        "bücher..de",
    ] {
        assert!(n(bad).is_err(), "{bad:?}: {:?}", n(bad));
    }
    assert_eq!(crate::dom::idn_to_ascii("bü@cher.de"), None);
    assert_eq!(crate::dom::idn_to_ascii("bücher.de:25"), None);
    assert_eq!(
        mtasts::HostName::new("MX.Bücher.de.").map(|h| h.as_str().to_owned()),
        Some("mx.xn--bcher-kva.de".to_owned())
    );
    assert!(mtasts::mx_matches("*.xn--bcher-kva.de", "mx.bücher.de"));
}

#[wasm_bindgen_test]
fn code_docs_parse_into_headings_and_code() {
    let info = mtasts::codes::lookup("policy-lf-line-endings").expect("code");
    let headings: Vec<&str> = info.sections().iter().map(|(h, _)| *h).collect();
    assert_eq!(
        headings,
        [
            "What it checks",
            "Why it matters",
            "Example",
            "Fix",
            "References"
        ]
    );
}

// ---- components ---------------------------------------------------------------------------

#[wasm_bindgen_test]
fn finding_text_is_rendered_as_text() {
    let code = mtasts::records::policy::LINE_SYNTAX;
    let f = Finding::new(
        code,
        mtasts::Subject::Policy,
        "<img src=x onerror=alert(1)> and `<script>`",
    )
    .fix("<b>bold</b>");
    let (el, _h) = mount(move || view! { <FindingList findings=vec![f]/> });
    assert_eq!(
        el.query_selector_all("img, script, b")
            .expect("query")
            .length(),
        0
    );
    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    assert!(text.contains("<b>bold</b>"));
    let link = el.query_selector("a.code-link").expect("q").expect("link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/codes/policy-line-syntax")
    );
}

#[wasm_bindgen_test]
fn finding_list_limits_and_says_how_many_more() {
    let fs: Vec<Finding> = (0..5)
        .map(|i| {
            Finding::new(
                mtasts::records::policy::LINE_SYNTAX,
                mtasts::Subject::Policy,
                format!("n{i}"),
            )
        })
        .collect();
    let (el, _h) = mount(
        move || view! { <FindingList findings=fs limit=3 new_tab=true base="https://x.example"/> },
    );
    assert_eq!(el.query_selector_all("li.finding").expect("q").length(), 3);
    assert!(el.text_content().unwrap_or_default().contains("2 more"));
    let link = el.query_selector("a.code-link").expect("q").expect("link");
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://x.example/codes/policy-line-syntax")
    );
}

#[wasm_bindgen_test]
fn verdict_banner_says_the_verdict_in_words() {
    let (el, _h) = mount(
        || view! { <VerdictBanner verdict=mtasts::Verdict::Inconclusive domain="example.com" summary="why"/> },
    );
    let s = el
        .query_selector("[data-verdict]")
        .expect("q")
        .expect("banner");
    assert_eq!(
        s.get_attribute("data-verdict").as_deref(),
        Some("inconclusive")
    );
    assert!(el
        .text_content()
        .unwrap_or_default()
        .contains("example.com: Could not check"));
}

#[wasm_bindgen_test]
fn numbered_text_has_line_ids_marks_and_an_active_line() {
    let active = RwSignal::new(Some(2u32));
    let (el, _h) = mount(move || {
        view! {
            <NumberedText text=Signal::stored("a: 1\nmode: x\n".to_owned()) marks=Signal::stored(vec![mark(11, 12, Severity::Error)])
                id_prefix="t" label="test" active=active/>
        }
    });
    let l2 = document().get_element_by_id("t-L2").expect("line 2");
    assert!(l2.class_name().contains("active"));
    assert!(l2.class_name().contains("m-error"));
    assert_eq!(
        l2.query_selector("mark")
            .expect("q")
            .expect("mark")
            .text_content()
            .as_deref(),
        Some("x")
    );
    assert!(el.query_selector("#t-L3").expect("q").is_none());
}

#[wasm_bindgen_test]
fn report_view_shows_every_section_and_could_not_check() {
    let ev = evidence(include_str!(
        "../../tests/fixtures/evidence/servfail.test.json"
    ));
    let checked = Checked::assess(ev);
    assert_eq!(checked.report.verdict, mtasts::Verdict::Inconclusive);
    let (el, _h) =
        mount(move || view! { <ReportView checked=checked><p>"actions"</p></ReportView> });
    let text = el.text_content().unwrap_or_default();
    for h in [
        "Findings",
        "The MTA-STS TXT record",
        "The policy file",
        "MX coverage",
        "TLS reporting (TLS-RPT)",
        "DNSSEC and DANE",
    ] {
        assert!(text.contains(h), "missing section {h}");
    }
    assert!(text.contains("Could not check: SERVFAIL"), "{text}");
    assert!(text.contains("actions"));
}

#[wasm_bindgen_test]
fn report_view_numbers_the_policy_and_marks_its_findings() {
    // An HTML page served as the policy: shown line by line as text, marked, never parsed.
    let ev = evidence(include_str!("../../tests/fixtures/evidence/html.test.json"));
    let checked = Checked::assess(ev);
    let (el, _h) = mount(move || view! { <ReportView checked=checked>""</ReportView> });
    assert!(el.query_selector("#policy-L1").expect("q").is_some());
    assert!(
        el.query_selector(".numbered mark").expect("q").is_some(),
        "the HTML is marked"
    );
    assert!(el
        .query_selector(".numbered html, .numbered body, .numbered script")
        .expect("q")
        .is_none());
    assert!(el.text_content().unwrap_or_default().contains("<html"));
}

/// The loader's `window.mtastsLint`, standing in: the engine's `lint` (web/src/lint_wire.rs).
fn stand_in_lint_engine() {
    use wasm_bindgen::closure::Closure;
    let f = Closure::<dyn Fn(wasm_bindgen::JsValue) -> wasm_bindgen::JsValue>::new(
        |d: wasm_bindgen::JsValue| crate::lint_wire::lint_js(&d),
    );
    let w = web_sys::window().expect("window");
    js_sys::Reflect::set(&w, &crate::lint_wire::GLOBAL.into(), f.as_ref()).expect("set");
    f.forget();
}

#[wasm_bindgen_test]
fn the_linters_engine_reads_back_as_the_crate_lints() {
    use crate::lint_wire::read;
    use mtasts::Draft;
    // Before the loader has the module: nothing, and the page says it is loading.
    js_sys::Reflect::delete_property(
        &web_sys::window().expect("window").into(),
        &crate::lint_wire::GLOBAL.into(),
    )
    .expect("delete");
    assert_eq!(read(&Draft::default()), None);
    stand_in_lint_engine();
    let lines = |t: &str| t.lines().map(str::to_owned).collect::<Vec<_>>();
    let drafts = [
        Draft::default(),
        Draft {
            policy: include_str!("../../examples/policy.txt").into(),
            sts_txt: vec!["v=STSv1; id=20261122T000000".into()],
            mx_hosts: lines("10 mail.example.com.\n20 mx1.backup.example.net."),
            tlsrpt: vec!["v=TLSRPTv1; rua=mailto:tls-reports@example.com".into()],
            ..Default::default()
        },
        Draft {
            policy: include_str!("../../examples/broken-policy.txt").into(),
            sts_txt: vec!["v=STSv1; id=2026-11-22".into()],
            mx_hosts: lines("10 mail.example.com.\n20 mail2.example.com."),
            tlsrpt: vec!["v=TLSRPTv1; rua=tls-reports@example.com".into()],
            policy_size: Some(400),
            content_type: Some("text/html".into()),
            ..Default::default()
        },
        // Senders disagree (a duplicate `mode`: the first counts, some take the last): the proven
        // rewrite comes too.
        Draft {
            policy: "version: STSv1\nmode: testing\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n".into(),
            mx_hosts: vec!["mail.example.com".into()],
            ..Default::default()
        },
        // Hostile text: HTML, control characters, a huge max_age, an IDN.
        Draft {
            policy: "<html>\u{0}\r\nversion: STSv1\r\nmax_age: 99999999999\r\nmx: bücher.example\r\n".into(),
            ..Default::default()
        },
    ];
    let mut rewrites = 0;
    for d in drafts {
        let got = read(&d).expect("read back");
        assert_eq!(got.report, mtasts::lint(&d), "{:?}", d.policy);
        let linted = mtasts::lint_without_senders(&d);
        let want = mtasts::senders_of(&d, &linted)
            .filter(|(_, f)| !f.is_empty())
            .and_then(|_| {
                linted
                    .policy
                    .as_ref()
                    .and_then(mtasts::senders::judge::safe_rewrite)
            });
        assert_eq!(got.rewrite, want, "{:?}", d.policy);
        rewrites += usize::from(want.is_some());
    }
    assert!(rewrites >= 1, "one draft calls for the proven rewrite");
}

#[wasm_bindgen_test]
async fn linter_lints_after_typing_pauses() {
    stand_in_lint_engine();
    let (el, _h) = mount(|| {
        provide_context(AppState::new());
        view! { <crate::pages::LintPage/> }
    });
    let ta: web_sys::HtmlTextAreaElement = document()
        .get_element_by_id("policy")
        .expect("policy box")
        .dyn_into()
        .expect("textarea");
    ta.set_value("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 99999999\n");
    let ev = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .expect("event");
    ta.dispatch_event(&ev).expect("dispatch");
    sleep(400).await;
    let found = el
        .query_selector("[data-code=policy-max-age-too-large]")
        .expect("q");
    assert!(found.is_some(), "{}", el.text_content().unwrap_or_default());
    // Line 4 is marked in the numbered view.
    let l4 = document().get_element_by_id("draft-L4").expect("line 4");
    assert!(l4.class_name().contains("m-error"));
}

#[wasm_bindgen_test]
fn the_linter_reads_no_more_than_a_sender() {
    use crate::pages::lint::published;
    use mtasts::records::policy::MAX_POLICY_BYTES;
    assert_eq!(published("a\nb\n", true), "a\r\nb\r\n");
    assert_eq!(published("a\r\nb", false), "a\nb");
    // Exactly at the limit in LF, over it once CRLF: still all of it, so the size is judged right.
    let at_limit = "x\n".repeat(MAX_POLICY_BYTES / 2);
    assert_eq!(published(&at_limit, false).len(), MAX_POLICY_BYTES);
    assert_eq!(
        published(&at_limit, true).len(),
        MAX_POLICY_BYTES + MAX_POLICY_BYTES / 2
    );
    // Far over the limit: just over what a sender reads, cut on a character boundary (rounded
    // up, so it stays over the limit).
    let huge = "é".repeat(MAX_POLICY_BYTES);
    let p = published(&huge, true);
    assert_eq!(p.len(), MAX_POLICY_BYTES + 2);
    let report = mtasts::lint(&mtasts::Draft {
        policy: p,
        ..Default::default()
    });
    assert!(report
        .findings
        .iter()
        .any(|f| f.code.as_str() == "policy-too-large"));
}

// ---- the Worker's judged report, read field by field ---------------------------------------

#[wasm_bindgen_test]
fn judged_reports_read_back_as_the_crate_wrote_them() {
    use crate::judged;
    // The widget, /bulk and the planner read `/api/report` field by field: what they read must
    // be what the crate's JSON says, for every kind of domain.
    for json in [
        include_str!("../../tests/fixtures/evidence/good.test.json"),
        include_str!("../../tests/fixtures/evidence/stale.test.json"),
        include_str!("../../tests/fixtures/evidence/servfail.test.json"),
        include_str!("../../tests/fixtures/evidence/nullmx.test.json"),
        include_str!("../../tests/fixtures/evidence/notfound.test.json"),
        include_str!("../../tests/fixtures/evidence/several.test.json"),
        include_str!("../../tests/fixtures/evidence/hostile.test.json"),
    ] {
        let c = Checked::assess(evidence(json));
        let answer = js_sys::JSON::parse(&crate::dom::to_json(&c)).expect("json");
        let report = judged::field(&answer, "report");
        let domain = &c.report.domain;
        assert_eq!(judged::policy(&report), c.report.policy, "{domain}");
        let hosts: Vec<String> = c.report.mx_hosts.iter().map(|m| m.host.clone()).collect();
        assert_eq!(judged::mx_hosts(&report), hosts, "{domain}");
        assert_eq!(
            judged::named::<mtasts::Verdict>(&report, "verdict"),
            Some(c.report.verdict)
        );
        let evidence = judged::field(&answer, "evidence");
        for (key, l) in [
            ("mx", &c.evidence.mx),
            ("tlsrpt_txt", &c.evidence.tlsrpt_txt),
        ] {
            let read = judged::lookup(&judged::field(&evidence, key)).expect("a lookup");
            assert_eq!(read.status(), l.status(), "{domain} {key}");
            assert_eq!(read.mx_records(), l.mx_records(), "{domain} {key}");
        }
    }
}

// ---- /monitor: a subscription's answer read field by field and shown ----------------------

#[wasm_bindgen_test]
fn monitor_shows_state_timeline_changes_with_fix_and_deliveries() {
    // `GET /api/monitor/:id` as worker/src/monitor/api.rs writes it: newest run first.
    let answer = js_sys::JSON::parse(
        r#"{"subscription": {"id": "sub_x", "domain": "m2.mon.test", "webhook": "https://hooks.example.net/a",
             "format": "json", "threshold": "warning", "state": "active", "failing": 1,
             "created_at": 1764720000, "verified_at": 1764720060, "ended_at": null, "ended_why": null},
           "feed_url": "http://127.0.0.1/api/monitor/sub_x/feed?sig=abc",
           "dns": {"name": "_mtasts-monitor.m2.mon.test", "type": "TXT", "value": "v=MTASTSMON1; token=00"},
           "runs": [
             {"run": 1764806400000, "observed_at": 1764806401, "digest": "d2", "verdict": "fail", "outcome": "changed",
              "codes": ["mx-not-covered"],
              "findings": [{"code": "change-mx-added", "severity": "error", "message": "A new MX host `mx3.m2.mon.test` appeared.", "fix": "Add `mx: mx3.m2.mon.test` to the policy."}]},
             {"run": 1764802800000, "observed_at": 1764802801, "digest": "d", "verdict": "inconclusive", "outcome": "could-not-check", "codes": [], "findings": []},
             {"run": 1764720000000, "observed_at": 1764720001, "digest": "d", "verdict": "pass", "outcome": "baseline", "codes": [], "findings": []}],
           "deliveries": [{"id": "sub_x-1764806400000", "run": 1764806400000, "state": "failed", "attempts": 6,
                           "last_status": 500, "created_at": 1764806402, "delivered_at": null}]}"#,
    )
    .expect("json");
    let (el, _keep) = mount(move || crate::pages::monitor_shown_view(&answer));
    let q = |sel: &str| el.query_selector(sel).expect("selector");
    let text = el.text_content().unwrap_or_default();
    // Failing shows over active, in words and as data.
    let state = q("[data-testid=mon-state]").expect("state");
    assert_eq!(
        state.get_attribute("data-state").as_deref(),
        Some("failing")
    );
    assert!(text.contains("Alerts are failing"), "{text}");
    // Active: no record to publish, but "check now" and the feed.
    assert!(q("[data-testid=mon-record]").is_none());
    assert!(q("[data-testid=mon-feed]").is_some());
    // The timeline, newest first: the change with its message and fix as text and code.
    let runs = el.query_selector_all(".mon-run").expect("runs");
    assert_eq!(runs.length(), 3);
    let outcomes: Vec<String> = (0..3)
        .filter_map(|i| runs.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute("data-outcome"))
        .collect();
    assert_eq!(outcomes, ["changed", "could-not-check", "baseline"]);
    let fix = q(".mon-run .finding-fix").expect("a fix");
    assert_eq!(
        fix.text_content().as_deref(),
        Some("Fix: Add mx: mx3.m2.mon.test to the policy.")
    );
    assert!(q(".mon-run .finding-fix code").is_some());
    assert!(text.contains("Could not check (a lookup failed)"), "{text}");
    assert!(text.contains("Broken"), "{text}");
    // The delivery: its state, attempts and last answer; and beside its run.
    let row = q("[data-testid=mon-deliveries] tbody tr").expect("a delivery");
    let row_text = row.text_content().unwrap_or_default();
    assert!(row_text.contains("Failed after every retry"), "{row_text}");
    assert!(row_text.contains("HTTP 500"), "{row_text}");
    assert!(text.contains("Alert: Failed after every retry"), "{text}");
}

// ---- the judged report read by hand (src/decode.rs) ------------------------------------------

/// Every Evidence fixture, and one with what no fixture has: every record type in an answer, and
/// a policy body that is not UTF-8 (written as base64).
fn all_evidence() -> Vec<Evidence> {
    let mut all: Vec<Evidence> = [
        include_str!("../../tests/fixtures/evidence/big.test.json"),
        include_str!("../../tests/fixtures/evidence/cname.test.json"),
        include_str!("../../tests/fixtures/evidence/ctype.test.json"),
        include_str!("../../tests/fixtures/evidence/dane.test.json"),
        include_str!("../../tests/fixtures/evidence/danemismatch.test.json"),
        include_str!("../../tests/fixtures/evidence/daneunsigned.test.json"),
        include_str!("../../tests/fixtures/evidence/dangling.test.json"),
        include_str!("../../tests/fixtures/evidence/edge522.test.json"),
        include_str!("../../tests/fixtures/evidence/eightmx.test.json"),
        include_str!("../../tests/fixtures/evidence/expired.test.json"),
        include_str!("../../tests/fixtures/evidence/good.test.json"),
        include_str!("../../tests/fixtures/evidence/goodbump.test.json"),
        include_str!("../../tests/fixtures/evidence/goodedit.test.json"),
        include_str!("../../tests/fixtures/evidence/goodmx.test.json"),
        include_str!("../../tests/fixtures/evidence/goodrenew.test.json"),
        include_str!("../../tests/fixtures/evidence/goodrua.test.json"),
        include_str!("../../tests/fixtures/evidence/hostile.test.json"),
        include_str!("../../tests/fixtures/evidence/html.test.json"),
        include_str!("../../tests/fixtures/evidence/lf.test.json"),
        include_str!("../../tests/fixtures/evidence/longid.test.json"),
        include_str!("../../tests/fixtures/evidence/modenone.test.json"),
        include_str!("../../tests/fixtures/evidence/mxbusy.test.json"),
        include_str!("../../tests/fixtures/evidence/mxexpired.test.json"),
        include_str!("../../tests/fixtures/evidence/mxexpiring.test.json"),
        include_str!("../../tests/fixtures/evidence/mxnotls.test.json"),
        include_str!("../../tests/fixtures/evidence/mxoldtls.test.json"),
        include_str!("../../tests/fixtures/evidence/mxselfsigned.test.json"),
        include_str!("../../tests/fixtures/evidence/mxsilent.test.json"),
        include_str!("../../tests/fixtures/evidence/mxwrongname.test.json"),
        include_str!("../../tests/fixtures/evidence/nomx.test.json"),
        include_str!("../../tests/fixtures/evidence/none.test.json"),
        include_str!("../../tests/fixtures/evidence/notfound.test.json"),
        include_str!("../../tests/fixtures/evidence/nullmx.test.json"),
        include_str!("../../tests/fixtures/evidence/nxdomain.test.json"),
        include_str!("../../tests/fixtures/evidence/policyonly.test.json"),
        include_str!("../../tests/fixtures/evidence/redirect.test.json"),
        include_str!("../../tests/fixtures/evidence/ruanomx.test.json"),
        include_str!("../../tests/fixtures/evidence/servfail.test.json"),
        include_str!("../../tests/fixtures/evidence/several.test.json"),
        include_str!("../../tests/fixtures/evidence/slow.test.json"),
        include_str!("../../tests/fixtures/evidence/split.test.json"),
        include_str!("../../tests/fixtures/evidence/stale.test.json"),
        include_str!("../../tests/fixtures/evidence/stsfail.test.json"),
        include_str!("../../tests/fixtures/evidence/testing-no-tlsrpt.test.json"),
        include_str!("../../tests/fixtures/evidence/unreachable.test.json"),
        include_str!("../../tests/fixtures/evidence/wrongname.test.json"),
    ]
    .iter()
    .map(|json| evidence(json))
    .collect();
    let mut odd = all[0].clone();
    use mtasts::observe::evidence::{Body, DnsRecord, RecordData};
    let rec = |data| DnsRecord { ttl: 60, data };
    odd.sts_txt.answers.extend([
        rec(RecordData::A {
            address: "192.0.2.1".into(),
        }),
        rec(RecordData::Aaaa {
            address: "2001:db8::1".into(),
        }),
        rec(RecordData::Cname {
            target: "x.test".into(),
        }),
        rec(RecordData::Ns {
            host: "ns.test".into(),
        }),
        rec(RecordData::Tlsa {
            usage: 3,
            selector: 1,
            matching_type: 1,
            data: "ab".into(),
        }),
    ]);
    if let Some(f) = odd.policy_fetch.as_mut() {
        f.body = Some(Body(vec![0xff, 0xfe, 0x00, b'v']));
    }
    all.push(odd);
    all
}

#[wasm_bindgen_test]
fn decode_reads_what_serde_reads() {
    for ev in all_evidence() {
        let c = Checked::assess(ev);
        let value = js_sys::JSON::parse(&crate::dom::to_json(&c)).expect("json");
        let by_serde: Checked = serde_wasm_bindgen::from_value(value.clone()).expect("serde");
        assert_eq!(by_serde, c, "{}", c.report.domain);
        assert_eq!(
            crate::decode::checked(&value),
            Ok(c.clone()),
            "{}",
            c.report.domain
        );
        // An opened Evidence file is read by the same readers.
        let ev = js_sys::Reflect::get(&value, &"evidence".into()).expect("evidence");
        assert_eq!(crate::decode::evidence(&ev).as_ref(), Ok(&c.evidence));
    }
}

#[wasm_bindgen_test]
fn decode_refuses_what_is_not_a_judged_report_and_names_the_field() {
    let good = crate::dom::to_json(&Checked::assess(evidence(include_str!(
        "../../tests/fixtures/evidence/good.test.json"
    ))));
    let edit = |f: &dyn Fn(&wasm_bindgen::JsValue)| {
        let v = js_sys::JSON::parse(&good).expect("json");
        f(&v);
        crate::decode::checked(&v).err()
    };
    let at = |v: &wasm_bindgen::JsValue, path: &[&str]| {
        path.iter().fold(v.clone(), |o, k| {
            js_sys::Reflect::get(&o, &(*k).into()).expect("get")
        })
    };
    let set = |o: &wasm_bindgen::JsValue, k: &str, x: wasm_bindgen::JsValue| {
        js_sys::Reflect::set(o, &k.into(), &x).expect("set");
    };
    assert_eq!(edit(&|_| {}), None);
    assert_eq!(
        edit(&|v| set(&at(v, &["report"]), "verdict", "great".into())),
        Some("verdict")
    );
    assert_eq!(
        edit(&|v| set(&at(v, &["evidence"]), "observed_at", (-1.0).into())),
        Some("observed_at")
    );
    assert_eq!(
        edit(&|v| set(&at(v, &["evidence"]), "observed_at", 1.5.into())),
        Some("observed_at")
    );
    assert_eq!(
        edit(&|v| set(&at(v, &["evidence", "mx"]), "name", 7.into())),
        Some("name")
    );
    assert_eq!(
        edit(&|v| set(&at(v, &["report"]), "findings", "none".into())),
        Some("findings")
    );
    assert_eq!(
        edit(&|v| set(
            &at(v, &["report", "policy"]),
            "mx",
            js_sys::Array::of1(&"*.*.x".into()).into()
        )),
        Some("mx")
    );
    // Unknown fields are ignored, and an optional field may be null.
    assert_eq!(edit(&|v| set(&at(v, &["report"]), "later", 1.into())), None);
    assert_eq!(
        edit(&|v| set(
            &at(v, &["report"]),
            "readiness",
            wasm_bindgen::JsValue::NULL
        )),
        None
    );
    for not in ["null", "[]", "\"x\"", "{}"] {
        let v = js_sys::JSON::parse(not).expect("json");
        assert!(crate::decode::checked(&v).is_err(), "{not}");
    }
}

// ---- an opened Evidence file, judged by the judge's own module (src/judge_wire.rs) -----------

#[wasm_bindgen_test]
async fn an_opened_file_is_judged_by_the_judges_module_and_read_back() {
    use crate::judge_wire::{judge_text, judged};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;
    // Before the loader has set it up: the page says the judge could not be loaded.
    assert!(judged("{}".into())
        .await
        .expect_err("refused")
        .contains("could not be loaded"));
    // The loader's function, standing in: the engine's `judge` as a promise.
    let f = Closure::<dyn Fn(String) -> js_sys::Promise>::new(|t: String| match judge_text(&t) {
        Ok(j) => js_sys::Promise::resolve(&JsValue::from(j)),
        Err(e) => js_sys::Promise::reject(&JsValue::from(e)),
    });
    let w = web_sys::window().expect("window");
    js_sys::Reflect::set(&w, &"mtastsJudge".into(), f.as_ref()).expect("set");
    f.forget();
    for text in [
        include_str!("../../tests/fixtures/evidence/mxwrongname.test.json"),
        include_str!("../../tests/fixtures/evidence/servfail.test.json"),
    ] {
        let c = judged(text.into()).await.expect("judged");
        assert_eq!(c, Checked::assess(evidence(text)));
        // A saved `{evidence, report}` is judged again from its evidence.
        let again = judged(crate::dom::to_json(&c)).await.expect("judged again");
        assert_eq!(again, c);
    }
    let refused = |t: &'static str| async move { judged(t.into()).await.expect_err("refused") };
    assert!(refused("nope").await.contains("not JSON"));
    assert!(refused(r#"{"not": "evidence"}"#)
        .await
        .contains("not an mtasts Evidence file"));
    let newer = include_str!("../../tests/fixtures/evidence/good.test.json").replacen(
        "\"schema_version\": 2",
        "\"schema_version\": 99",
        1,
    );
    assert!(judged(newer)
        .await
        .expect_err("refused")
        .contains("newer than this page reads"));
}
