//! What `generate` writes must lint clean: no finding at all, for every mode and sensible input.

use mtasts::{generate, lint, Draft, GenerateInput, Mode, Verdict};

#[test]
fn generated_records_lint_clean() {
    let inputs = [
        (
            vec!["mx1.example.com", "mx2.example.com"],
            Mode::Testing,
            604_800,
            "",
            "",
        ),
        (
            vec!["MX.Example.COM."],
            Mode::Enforce,
            31_557_600,
            "example.com",
            "tls@example.com",
        ),
        (
            vec!["aspmx.l.google.com", "alt1.aspmx.l.google.com"],
            Mode::Enforce,
            1_209_600,
            "customer.example",
            "https://reports.example.net/tlsrpt",
        ),
        (
            vec!["mx.bücher.de"],
            Mode::Testing,
            604_800,
            "bücher.de",
            "",
        ),
        (vec!["mail.example.org"], Mode::None, 86_400 * 7, "", ""),
    ];
    for (mx, mode, max_age, domain, rua) in inputs {
        let g = generate(&GenerateInput {
            mx: mx.iter().map(|s| (*s).to_owned()).collect(),
            mode,
            max_age,
            now: 1_763_800_000,
            domain: domain.into(),
            rua: rua.into(),
        })
        .expect("generates");
        let report = lint(&Draft {
            domain: g.domain.clone(),
            policy: g.policy.clone(),
            sts_txt: vec![g.sts_txt.clone()],
            mx_hosts: mx.iter().map(|s| (*s).to_owned()).collect(),
            tlsrpt: vec![g.tlsrpt.clone()],
            policy_size: None,
            content_type: None,
        });
        assert_eq!(
            report.verdict,
            Verdict::Pass,
            "{mx:?}: {:#?}",
            report.findings
        );
        assert!(report.findings.is_empty(), "{mx:?}: {:#?}", report.findings);
        assert_eq!(
            report.sts_record.map(|r| r.id),
            Some("20251122082640".to_owned())
        );
        assert!(report.mx_hosts.iter().all(|h| h.covered_by.is_some()));
    }
}
