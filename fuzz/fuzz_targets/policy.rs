//! Arbitrary bytes as a policy file: no panic, findings consistent, and a valid policy round-trips.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let c = mtasts::check_policy(data);
    assert_eq!(c.policy.is_some(), !c.findings.iter().any(|f| f.is_error()));
    if let Some(p) = c.policy {
        let again: mtasts::Policy = p
            .to_string()
            .parse()
            .expect("display of a valid policy parses");
        assert_eq!(again, p);
    }
});
