//! Property tests: no panic on arbitrary input, and parse ∘ display round trips.

use mtasts::{
    check_policy, check_sts_txt, check_tlsrpt, mx_matches, Mode, Policy, StsRecord, TlsRptRecord,
};
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?"
}

fn host() -> impl Strategy<Value = String> {
    // The last label starts with a letter: an all-numeric top-level label is an address.
    (prop::collection::vec(label(), 0..3), "[a-z][a-z0-9]{0,5}").prop_map(|(mut l, tld)| {
        l.push(tld);
        l.join(".")
    })
}

fn pattern() -> impl Strategy<Value = String> {
    (any::<bool>(), host()).prop_map(|(w, h)| if w { format!("*.{h}") } else { h })
}

fn policy() -> impl Strategy<Value = Policy> {
    (
        prop_oneof![Just(Mode::Enforce), Just(Mode::Testing), Just(Mode::None)],
        0u64..=31_557_600,
        prop::collection::vec(pattern(), 1..5),
        prop::collection::vec(
            ("[a-z][a-z0-9_.-]{0,8}", "[!-~]([ !-~é]{0,10}[!-~])?"),
            0..3,
        ),
    )
        .prop_filter(
            "extension names must not shadow known fields",
            |(_, _, _, ext)| {
                ext.iter()
                    .all(|(n, _)| !["version", "mode", "max_age", "mx"].contains(&n.as_str()))
            },
        )
        .prop_map(|(mode, max_age, mx, ext)| Policy {
            version: "STSv1".into(),
            mode,
            max_age,
            mx: mx
                .iter()
                .map(|p| mtasts::MxPattern::parse(p).expect("the strategy makes valid patterns"))
                .collect(),
            extensions: ext
                .into_iter()
                .map(|(name, value)| mtasts::records::policy::PolicyExtension { name, value })
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn policy_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let c = check_policy(&bytes);
        prop_assert_eq!(c.policy.is_some(), !c.findings.iter().any(|f| f.is_error()));
        for f in &c.findings {
            if let Some(s) = f.span {
                prop_assert!(s.start <= s.end && s.end <= bytes.len());
            }
        }
    }

    #[test]
    fn policy_like_text_never_panics(lines in prop::collection::vec("(version|mode|max_age|mx|x)?[ :\t]{0,2}[ -~é\r]{0,30}", 0..12), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let _ = check_policy(text.as_bytes());
    }

    #[test]
    fn records_never_panic(records in prop::collection::vec("(v=STSv1|v=TLSRPTv1)?[ -~\t é]{0,40}", 0..4)) {
        let _ = check_sts_txt(&records);
        let _ = check_tlsrpt(&records);
    }

    #[test]
    fn matching_never_panics(p in "[*.a-zé-]{0,20}", h in "[.a-zé0-9-]{0,20}") {
        let _ = mx_matches(&p, &h);
    }

    #[test]
    fn policy_round_trip(p in policy()) {
        let text = p.to_string();
        let back: Policy = text.parse().map_err(|e| TestCaseError::fail(format!("{e}: {text:?}")))?;
        prop_assert_eq!(back, p);
    }

    #[test]
    fn sts_record_round_trip(id in "[A-Za-z0-9]{1,32}", ext in prop::collection::vec(("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,5}", "[!-:<>-~]{1,8}"), 0..3)) {
        let r = StsRecord {
            id,
            // A repeated name cannot round-trip: the first occurrence wins (RFC 8461 §3.2).
            extensions: ext
                .into_iter()
                .filter(|(n, _)| n != "id")
                .fold(Vec::<(String, String)>::new(), |mut v, (n, val)| {
                    if !v.iter().any(|(m, _)| *m == n) {
                        v.push((n, val));
                    }
                    v
                })
                .into_iter()
                .map(|(name, value)| mtasts::records::sts_txt::Extension { name, value })
                .collect(),
        };
        let back: StsRecord = r.to_string().parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(back, r);
    }

    #[test]
    fn tlsrpt_round_trip(users in prop::collection::vec("[a-z0-9.]{1,8}", 1..4), h in host()) {
        let r = TlsRptRecord { rua: users.iter().map(|u| format!("mailto:{u}@{h}.example")).collect(), extensions: vec![] };
        let back: TlsRptRecord = r.to_string().parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(back, r);
    }

    #[test]
    fn wildcard_is_exactly_one_label(l in label(), rest in host(), extra in label()) {
        let pat = format!("*.{rest}");
        let one = format!("{l}.{rest}");
        let two = format!("{extra}.{l}.{rest}");
        prop_assert!(mx_matches(&pat, &one));
        prop_assert!(!mx_matches(&pat, &two));
        prop_assert!(!mx_matches(&pat, &rest));
        let dotted = format!("{one}.");
        prop_assert!(mx_matches(&one.to_uppercase(), &dotted));
    }
}
